package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/balaidesa/balai/core/api"
	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/rbac"
	"github.com/balaidesa/balai/core/tenancy"
	"github.com/balaidesa/balai/core/webpage"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pages are the parsed screens: each is the layout plus its "content".
var pages = parsePages()

func parsePages() map[string]*template.Template {
	funcs := template.FuncMap{
		"add":     func(a, b int) int { return a + b },
		"date":    func(t time.Time) string { return t.Format("2006-01-02 15:04") },
		"join":    strings.Join,
		"has":     func(list []string, s string) bool { return contains(list, s) },
		"dict":    dict,
		"attr":    func(s string) template.HTMLAttr { return template.HTMLAttr(s) },
		"pathesc": url.PathEscape,
	}
	base := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html"))
	out := map[string]*template.Template{}
	names, _ := fs.Glob(templateFS, "templates/*.html")
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" {
			continue
		}
		t := template.Must(base.Clone())
		out[name] = template.Must(t.ParseFS(templateFS, n))
	}
	return out
}

func dict(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// loadAssets names each static file by a hash of its content, so that the
// long cache never serves a stale stylesheet after an upgrade.
func loadAssets() map[string]string {
	out := map[string]string{}
	entries, _ := fs.ReadDir(staticFS, "static")
	for _, e := range entries {
		b, _ := fs.ReadFile(staticFS, "static/"+e.Name())
		sum := sha256.Sum256(b)
		ext := path.Ext(e.Name())
		out[e.Name()] = "/static/" + strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:])[:12] + ext
	}
	return out
}

// static serves the embedded assets under their hashed names.
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	api.NoteRoute(r.Context(), r.Pattern, "", "")
	want := "/static/" + r.PathValue("file")
	for name, url := range s.assets {
		if url == want {
			b, _ := fs.ReadFile(staticFS, "static/"+name)
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
			return
		}
	}
	http.NotFound(w, r)
}

// view is what the layout renders.
type view struct {
	Lang, Title, Deployment string
	CSS, JS                 string
	CSRF                    string
	// User is the caller's display name; "" anonymous.
	User, Username string
	Tenant         *tenancy.Tenant
	Path           []tenancy.Tenant
	Switch         []tenancy.Tenant
	Menu           []navItem
	Admin          []navItem
	Flash          *flash
	Public         bool
	Refresh        int
	// Here is the request path, for the language switch to come back.
	Here string
	Body template.HTML
	Data any
	q    *rq
}

// T is the host string key in the page's language.
func (v *view) T(key string) string { return T(v.Lang, key) }

type navItem struct {
	Label, Href string
	Current     bool
	// Icon is the entry's inline SVG (icons.go), empty for none.
	Icon template.HTML
}

// render writes a full page: the layout around templates/<page>.html.
func (s *Server) render(q *rq, status int, page, title string, data any) {
	v := s.newView(q, title)
	v.Data = data
	s.write(q, status, page, v)
}

func (s *Server) write(q *rq, status int, page string, v *view) {
	var buf bytes.Buffer
	if err := pages[page].ExecuteTemplate(&buf, "layout.html", v); err != nil {
		s.cfg.Logger.Error("rendering page", "page", page, "err", err)
		http.Error(q.w, "internal error", http.StatusInternalServerError)
		return
	}
	if v.Flash != nil && !q.flashSet {
		s.setCookie(q.w, q.r, cookieFlash, "", -1) // shown now
	}
	h := q.w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	q.w.WriteHeader(status)
	_, _ = q.w.Write(buf.Bytes())
}

// newView fills the shell: names, tenant path and switcher, navigation.
func (s *Server) newView(q *rq, title string) *view {
	v := &view{Lang: q.lang, Title: title, Deployment: s.cfg.Name, CSS: s.assets["balai.css"], JS: s.assets["balai.js"],
		CSRF: q.csrf, Flash: q.flash, Tenant: q.tenant, Here: q.r.URL.RequestURI(), q: q}
	if q.id == nil {
		return v
	}
	v.User, v.Username = q.fullName, q.id.Username
	if v.User == "" {
		v.User = q.id.Username
	}
	ctx := q.r.Context()
	db := s.cfg.Host.DB.WithContext(ctx)
	// The switcher lists the tenants where the caller holds grants.
	if grants, err := rbac.Grants(db, q.id.Username); err == nil {
		for _, g := range grants {
			if g.Tenant == rbac.Global {
				continue
			}
			if t, err := tenancy.Get(db, g.Tenant); err == nil {
				v.Switch = append(v.Switch, *t)
			}
		}
	}
	if q.tenant == nil {
		return v
	}
	for _, a := range tenancy.Ancestors(q.tenant.Code) {
		if t, err := tenancy.Get(db, a); err == nil {
			v.Path = append(v.Path, *t)
		}
	}
	sort.Slice(v.Path, func(i, j int) bool { return len(v.Path[i].Code) < len(v.Path[j].Code) })
	if !containsTenant(v.Switch, q.tenant.Code) {
		v.Switch = append(v.Switch, *q.tenant)
	}
	base := "/console/" + q.tenant.Code
	here := q.r.URL.Path
	v.Menu = append(v.Menu, navItem{Label: q.T("nav.dashboard"), Href: base + "/", Current: here == base+"/", Icon: icon("dashboard")})
	if s.cfg.Source != nil {
		if items, err := s.cfg.Source.Menu(ctx, q.tenant.Code, q.id.Username); err == nil {
			for _, it := range items {
				v.Menu = append(v.Menu, s.menuItem(q, base, here, it))
			}
		} else {
			s.cfg.Logger.Warn("module menu", "err", err)
		}
	}
	a := q.actor()
	for _, sec := range []struct{ perm, key, href string }{
		{rbac.UsersRead, "nav.users", "/admin/users"},
		{rbac.MembersRead, "nav.members", "/admin/grants"},
		{rbac.RolesRead, "nav.roles", "/admin/roles"},
		{rbac.ModulesRead, "nav.modulesadmin", "/admin/modules"},
		{rbac.AuditRead, "nav.audit", "/admin/audit"},
		{rbac.PluginsRead, "nav.plugins", "/admin/plugins"},
		{rbac.TenantsRead, "nav.regions", "/admin/regions"},
	} {
		if s.cfg.Admin.Can(a, q.tenant.Code, sec.perm) {
			v.Admin = append(v.Admin, navItem{Label: q.T(sec.key), Href: base + sec.href, Current: strings.HasPrefix(here, base+sec.href)})
		}
	}
	return v
}

func (s *Server) menuItem(q *rq, base, here string, it webpage.MenuItem) navItem {
	label := it.Label
	if q.lang == LangEN && it.LabelEN != "" {
		label = it.LabelEN
	}
	href := base + "/m/" + it.Plugin + it.Path
	return navItem{Label: label, Href: href, Current: strings.HasPrefix(here, href), Icon: icon(it.Icon)}
}

func containsTenant(ts []tenancy.Tenant, code string) bool {
	for _, t := range ts {
		if t.Code == code {
			return true
		}
	}
	return false
}

// flash is a one-time message shown on the next page.
type flash struct{ Kind, Message string }

func parseFlash(v string) *flash {
	kind, msg, ok := strings.Cut(v, ";")
	if !ok {
		return nil
	}
	switch kind {
	case "success", "info", "warning", "error":
	default:
		return nil
	}
	m, err := url.PathUnescape(msg)
	if err != nil || m == "" {
		return nil
	}
	if len(m) > 300 {
		m = m[:300]
	}
	return &flash{Kind: kind, Message: m}
}

// setFlash keeps a message for the next page in a short-lived cookie
// (base64 of the Balai-Flash form: cookie values cannot hold ";").
func (s *Server) setFlash(q *rq, kind, msg string) {
	q.flashSet = true
	s.setCookie(q.w, q.r, cookieFlash, base64.RawURLEncoding.EncodeToString([]byte(kind+";"+url.PathEscape(msg))), 60)
}

// flashCookie reads the flash cookie's value.
func flashCookie(v string) *flash {
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil {
		return nil
	}
	return parseFlash(string(b))
}

// setFlashRaw stores a Balai-Flash header value as given by a plugin.
func (s *Server) setFlashRaw(q *rq, v string) {
	if f := parseFlash(v); f != nil {
		s.setFlash(q, f.Kind, f.Message)
	}
}

func notFound() error { return apierr.NotFound("not_found", "no such page") }

// errorPage renders a host error in the shell.
func (s *Server) errorPage(q *rq, status int, title, msg string) {
	s.render(q, status, "error", title, map[string]any{"Status": status, "Message": msg})
}

// fail renders err as an HTML error page in Bahasa Indonesia (or the
// chosen language): 403, 404, 404 module_not_enabled, 429, 503; anything
// else is a 500 with the request id, logged.
func (s *Server) fail(q *rq, err error) {
	e, ok := apierr.As(err)
	if !ok {
		s.cfg.Logger.Error("web request failed", "request_id", api.RequestID(q.r.Context()), "err", err)
		e = apierr.New(http.StatusInternalServerError, "internal", "internal")
	}
	if e.Status == http.StatusUnauthorized && q.id == nil {
		http.Redirect(q.w, q.r, "/login", http.StatusSeeOther)
		return
	}
	if e.RetryAfter > 0 {
		q.w.Header().Set("Retry-After", fmt.Sprint(e.RetryAfter))
	}
	msg := q.errMsg(e)
	switch {
	case e.Code == "module_not_enabled":
		msg = q.T("err.module")
	case e.Status == http.StatusForbidden || e.Status == http.StatusUnauthorized:
		msg = q.T("err.403")
	case e.Status == http.StatusNotFound:
		if strings.HasSuffix(e.Code, "_not_found") || e.Code == "not_found" {
			msg = q.T("err.404")
		}
	case e.Status == http.StatusTooManyRequests:
		msg = q.T("err.429")
	case e.Status == http.StatusServiceUnavailable || e.Status == http.StatusBadGateway || e.Status == http.StatusGatewayTimeout:
		msg = q.T("err.503")
	case e.Status >= 500:
		msg = q.T("err.500") + api.RequestID(q.r.Context())
	}
	s.errorPage(q, e.Status, q.T("err.title"), msg)
}

// isStatus reports whether err is an apierr with that status.
func isStatus(err error, status int) bool {
	var e *apierr.Error
	return errors.As(err, &e) && e.Status == status
}
