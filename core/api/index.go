package api

import (
	"html/template"
	"net/http"
)

// Version is shown on the landing page; the CLI sets it at start.
var Version = "dev"

// indexPage is the landing page until the public portal (issue 13): in
// Bahasa Indonesia, it leads to the login and the console.
var indexPage = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Balai</title>
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1d2b36}
a{color:#0b5cad}a:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
.btn{display:inline-block;padding:.6rem 1.2rem;border-radius:6px;background:#0b5cad;color:#fff;text-decoration:none;margin:.25rem .5rem .25rem 0}
code{background:#eef2f5;padding:.1rem .3rem;border-radius:3px}h1{margin-bottom:0}.ok{color:#157a3c}.muted{color:#5b6b78;font-size:.9rem}</style></head>
<body><h1>Balai</h1><p>Satu portal desa cerdas untuk semua desa di kabupaten. Versi {{.Version}}.</p>
<p class="ok">Portal sedang berjalan.</p>
<p><a class="btn" href="/login" id="index-login">Masuk</a> <a class="btn" href="/console/" id="index-console">Buka konsol</a></p>
<h2>Langkah pertama</h2>
<ol>
<li>Masuk sebagai <code>admin</code> dengan kata sandi yang dicetak saat server pertama kali dijalankan.</li>
<li>Penyiapan memandu Anda memilih provinsi dan kabupaten/kota, mengimpor wilayahnya, dan mengaktifkan modul.</li>
<li>Buat pengguna untuk petugas desa dan beri mereka peran di desanya.</li>
</ol>
<h2>Untuk pengembang</h2>
<ul><li><a href="/healthz">/healthz</a> dan <a href="/readyz">/readyz</a>: kesehatan dan kesiapan</li>
<li><a href="/metrics">/metrics</a>: metrik Prometheus</li>
<li><code>{{.Base}}/api/v1/…</code>: API administrasi (token Bearer dari <code>POST /api/v1/auth/login</code>); <code>/api/v1/t/{tenant}/{plugin}/…</code>: API modul</li></ul>
<p class="muted">English: <a href="/console/lang?l=en&amp;next=/login">log in</a> in English.</p>
</body></html>`))

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	indexPage.Execute(w, map[string]string{"Version": Version, "Base": "http://" + r.Host})
}
