package web

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/tenancy"
	"github.com/balaidesa/balai/core/webpage"
)

// Headers of the page protocol (docs/web.md).
const (
	hdrPage      = "Balai-Page"
	hdrPageTitle = "Balai-Page-Title"
	hdrFlash     = "Balai-Flash"
	hdrPageDesc  = "Balai-Page-Description"
	hdrPageImage = "Balai-Page-Image"
)

// consolePage serves /console/{tenant}/m/{plugin}/{path...} in the shell.
func (s *Server) consolePage(q *rq) {
	plugin := q.r.PathValue("plugin")
	base := "/console/" + q.tenant.Code + "/m/" + plugin
	s.servePage(q, webpage.Call{Tenant: q.tenant.Code, Plugin: plugin, Path: "/" + q.r.PathValue("path"),
		User: q.id.Username, CSRF: q.csrf, Lang: q.lang, Base: base})
}

// publicPage serves /{tenant}/{plugin}/{path...}: a citizen's page in the
// plain public shell. Tenant codes start with a digit.
func (s *Server) publicPage(q *rq) {
	code, plugin := q.r.PathValue("tenant"), q.r.PathValue("plugin")
	if _, _, err := tenancy.ParseCode(code); err != nil {
		s.fail(q, notFound())
		return
	}
	t, err := tenancy.Get(s.cfg.Host.DB.WithContext(q.r.Context()), code)
	if err != nil {
		s.fail(q, err)
		return
	}
	q.tenant = t
	user := ""
	if q.id != nil {
		user = q.id.Username
	}
	if q.csrf == "" {
		// An anonymous citizen's form (a complaint, a request) still needs a
		// token: the pre-session one, as the login form has.
		q.csrf = randomToken()
		s.setCookie(q.w, q.r, cookieLogin, q.csrf, 3600)
	}
	s.servePage(q, webpage.Call{Tenant: code, Plugin: plugin, Path: "/" + q.r.PathValue("path"),
		User: user, CSRF: q.csrf, Lang: q.lang, Base: "/" + code + "/" + plugin, Public: true})
}

func (s *Server) servePage(q *rq, c webpage.Call) {
	if s.cfg.Source == nil {
		s.fail(q, apierr.NotFound("not_found", "no module pages"))
		return
	}
	// The client's copies of the host's headers never reach a plugin.
	for _, h := range []string{"Balai-Page-Base", "Balai-CSRF", "Balai-Lang", hdrPage, hdrPageTitle, hdrFlash, hdrPageDesc, hdrPageImage} {
		q.r.Header.Del(h)
	}
	rec := &pageWriter{w: q.w, header: http.Header{}, base: c.Base, onFlash: func(v string) { s.setFlashRaw(q, v) }}
	if err := s.cfg.Source.ServePage(rec, q.r, c); err != nil {
		if !rec.started {
			s.fail(q, err)
			return
		}
		s.cfg.Logger.Warn("module page failed after it began", "plugin", c.Plugin, "err", err)
		return
	}
	if !rec.started {
		rec.WriteHeader(http.StatusOK)
	}
	if !rec.fragment {
		return
	}
	if f := rec.header.Get(hdrFlash); f != "" {
		s.setFlashRaw(q, f)
	}
	title, _ := url.PathUnescape(rec.header.Get(hdrPageTitle))
	v := s.newView(q, title)
	v.Public = c.Public
	if c.Public {
		v.Path = append(s.publicCrumbs(q, q.tenant), *q.tenant)
		v.OG = s.pageOG(q, title, rec.header)
	}
	body := rec.buf.String()
	if title != "" && !strings.Contains(strings.ToLower(body), "<h1") {
		// Every page has one h1: the title, unless the fragment brings its own.
		body = "<h1 class=\"b-title\" id=\"page-title\">" + template.HTMLEscapeString(title) + "</h1>\n" + body
	}
	v.Body = template.HTML(body) // the plugin's escaped fragment (sdk/ui)
	s.write(q, rec.status, "fragment", v)
}

// maxOGDescription bounds a page's card summary, in characters: WhatsApp
// shows about two lines.
const maxOGDescription = 300

// pageOG is a public module page's link card: its title, and the summary
// and picture the page named (ui.Page.Description and Image), else the
// portal's. A picture must be a path on this deployment: a card never
// makes a phone fetch from another host.
func (s *Server) pageOG(q *rq, title string, h http.Header) *ogMeta {
	if title == "" {
		title = s.cfg.Name
	}
	desc, _ := url.PathUnescape(h.Get(hdrPageDesc))
	if desc == "" {
		desc = q.T("portal.desc")
	}
	if r := []rune(desc); len(r) > maxOGDescription {
		desc = string(r[:maxOGDescription-1]) + "…"
	}
	og := s.og(q, title, desc)
	if img, err := url.PathUnescape(h.Get(hdrPageImage)); err == nil && localPath(img) {
		og.Image = s.publicBase(q.r) + img
	}
	return og
}

// localPath reports whether p is a path on this host: one leading slash,
// no backslash, no control character.
func localPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\") {
		return false
	}
	for _, r := range p {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// pageWriter sits between the plugin's answer and the browser: a fragment
// is buffered for the shell; anything else (a download, a redirect) passes
// through, with a page-root-relative Location made absolute and a
// Balai-Flash turned into the flash cookie.
type pageWriter struct {
	w        http.ResponseWriter
	header   http.Header
	base     string
	status   int
	started  bool
	fragment bool
	buf      bytes.Buffer
	onFlash  func(string)
}

func (p *pageWriter) Header() http.Header { return p.header }

func (p *pageWriter) WriteHeader(status int) {
	if p.started {
		return
	}
	p.started, p.status = true, status
	if p.header.Get(hdrPage) == "fragment" {
		p.fragment = true
		return
	}
	dst := p.w.Header()
	for k, vs := range p.header {
		switch k {
		case hdrPage, hdrPageTitle, hdrPageDesc, hdrPageImage:
			continue
		case hdrFlash:
			if p.onFlash != nil {
				p.onFlash(vs[0])
			}
			continue
		case "Location":
			vs = []string{rewriteLocation(vs[0], p.base)}
		}
		dst[k] = vs
	}
	p.w.WriteHeader(status)
}

func (p *pageWriter) Write(b []byte) (int, error) {
	if !p.started {
		p.WriteHeader(http.StatusOK)
	}
	if p.fragment {
		return p.buf.Write(b)
	}
	return p.w.Write(b)
}

// Flush passes streaming downloads on.
func (p *pageWriter) Flush() {
	if !p.fragment {
		if f, ok := p.w.(http.Flusher); ok {
			f.Flush()
		}
	}
}

// Unwrap lets http.ResponseController reach the real writer.
func (p *pageWriter) Unwrap() http.ResponseWriter { return p.w }

// rewriteLocation prefixes a page-root-relative Location ("/residents/12")
// with the page root; an absolute path already under it, or any URL with a
// scheme or host, is left alone.
func rewriteLocation(loc, base string) string {
	if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") {
		return loc
	}
	if loc == base || strings.HasPrefix(loc, base+"/") || strings.HasPrefix(loc, base+"?") {
		return loc
	}
	return base + loc
}
