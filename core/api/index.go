package api

import (
	"html/template"
	"net/http"
)

// Version is shown on the landing page; the CLI sets it at start.
var Version = "dev"

var indexPage = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Balai</title>
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1d2b36}
code{background:#eef2f5;padding:.1rem .3rem;border-radius:3px}h1{margin-bottom:0}.ok{color:#157a3c}</style></head>
<body><h1>Balai</h1><p>One smart-village portal for every village of the district. Version {{.Version}}.</p>
<p class="ok">The portal is running.</p>
<h2>First steps</h2>
<ol>
<li>Load your district's villages: <code>./bin/balai tenant import --under 14.01</code>, or a demo district with its residents: <code>./bin/balai demo seed --district 14.01</code></li>
<li>The public portal of all villages: <a href="/api/v1/t/14.01/profile/villages">/api/v1/t/14.01/profile/villages</a></li>
<li>Log in: <code>curl -X POST {{.Base}}/api/v1/auth/login -d '{"username":"admin","password":"…"}'</code></li>
<li>Call the API with <code>Authorization: Bearer &lt;token&gt;</code>, for example <code>GET {{.Base}}/api/v1/tenants?parent=14.01</code></li>
<li>Enable a module for the district: <code>PUT {{.Base}}/api/v1/tenants/14.01/modules/&lt;plugin&gt;</code> with <code>{"enabled":true}</code></li>
</ol>
<h2>Endpoints</h2>
<ul><li><a href="/healthz">/healthz</a> and <a href="/readyz">/readyz</a>: liveness and readiness</li>
<li><a href="/metrics">/metrics</a>: Prometheus metrics</li>
<li><code>/api/v1/…</code>: the administration API; <code>/api/v1/t/{tenant}/{plugin}/…</code>: the modules</li></ul>
</body></html>`))

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	indexPage.Execute(w, map[string]string{"Version": Version, "Base": "http://" + r.Host})
}
