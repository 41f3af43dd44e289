package web_test

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/webpage"
)

// testSource stands in for the plugin runtime's pages: a module "hello"
// answering as the page protocol says (docs/web.md).
type testSource struct{ t *testing.T }

func (testSource) Menu(_ context.Context, tenant, user string) ([]webpage.MenuItem, error) {
	return []webpage.MenuItem{{Plugin: "hello", Path: "/items", Label: "Data warga", LabelEN: "Residents", Icon: "users", Order: 1},
		{Plugin: "hello", Path: "/other", Label: "Lain", Icon: "no-such-icon", Order: 2}}, nil
}

func (testSource) Widgets(_ context.Context, tenant, user, lang string) []webpage.Widget {
	return []webpage.Widget{{Plugin: "hello", Title: "Surat", HTML: "<p id=\"widget-hello\">3 surat menunggu</p>"}}
}

// PublicWidgets gives every tenant one public widget naming it.
func (testSource) PublicWidgets(_ context.Context, tenant, lang string) []webpage.Widget {
	return []webpage.Widget{{Plugin: "population", Title: "Penduduk", HTML: template.HTML(`<p id="public-widget">penduduk ` + template.HTMLEscapeString(tenant) + `</p>`)}}
}

func (s testSource) ServePage(w http.ResponseWriter, r *http.Request, c webpage.Call) error {
	if r.Header.Get("Balai-CSRF") != "" || r.Header.Get("Balai-Page-Base") != "" {
		s.t.Errorf("the client's Balai-* headers reached the plugin")
	}
	switch {
	case c.Path == "/items" && r.Method == http.MethodGet:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Balai-Page", "fragment")
		w.Header().Set("Balai-Page-Title", url.PathEscape("Daftar warga"))
		fmt.Fprintf(w, `<p id="frag">user=%s base=%s lang=%s public=%v</p><form method="post"><input type="hidden" name="csrf_token" value="%s"></form>`, c.User, c.Base, c.Lang, c.Public, c.CSRF)
	case c.Path == "/items" && r.Method == http.MethodPost:
		body, _ := io.ReadAll(r.Body)
		if !strings.Contains(string(body), "name=Budi") {
			s.t.Errorf("the plugin got body %q, want the whole form", body)
		}
		w.Header().Set("Location", "/items/12")
		w.Header().Set("Balai-Flash", "success;"+url.PathEscape("Warga disimpan"))
		w.WriteHeader(http.StatusSeeOther)
	case strings.HasPrefix(c.Path, "/card/"):
		// A page naming its link card: /card/local names a picture on the
		// deployment, /card/foreign one on another host.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Balai-Page", "fragment")
		w.Header().Set("Balai-Page-Title", url.PathEscape("Jalan Usaha Tani"))
		w.Header().Set("Balai-Page-Description", url.PathEscape("Rabat beton 500 m, selesai 100%"))
		img := "/14.01.01.2001/hello/photos/1.jpg"
		if c.Path == "/card/foreign" {
			img = "//evil.example/x.jpg"
		}
		w.Header().Set("Balai-Page-Image", url.PathEscape(img))
		io.WriteString(w, `<p>proyek</p>`)
	case c.Path == "/export.csv":
		w.Header().Set("Content-Type", "text/csv")
		io.WriteString(w, "nik,nama\n")
	case c.Path == "/forbidden":
		return apierr.Forbidden("you do not have hello.items.read in %s", c.Tenant)
	case c.Path == "/off":
		return apierr.NotFound("module_not_enabled", "hello is not enabled")
	case c.Path == "/down":
		return apierr.New(http.StatusServiceUnavailable, "plugin_unavailable", "hello is down")
	case c.Path == "/busy":
		e := apierr.New(http.StatusTooManyRequests, "rate_limited", "slow down")
		e.RetryAfter = 3
		return e
	default:
		return apierr.NotFound("not_found", "no page %s", c.Path)
	}
	return nil
}

// shellSite has a regency with two villages, a clerk granted in one and
// the test source for module pages.
func shellSite(t *testing.T) *site {
	s := sqliteSite(t)
	s.tenant("14", "Riau")
	s.tenant("14.01", "Kabupaten Kampar")
	s.tenant("14.01.01", "Bangkinang")
	s.tenant("14.01.01.2001", "Desa Satu")
	s.tenant("14.01.01.2002", "Desa Dua")
	s.user("clerk", "clerk-password-1", "14.01.01.2001", "operator")
	s.p.Web.SetSource(testSource{t})
	return s
}

func TestShell(t *testing.T) {
	s := shellSite(t)
	b := s.browser()
	b.login("clerk", "clerk-password-1")
	p := b.get("/console/")
	if p.Status != http.StatusSeeOther || p.Location() != "/console/14.01.01.2001/" {
		t.Fatalf("/console/ for the clerk: %d to %q", p.Status, p.Location())
	}
	p = b.get("/console/14.01.01.2001/")
	if p.Status != http.StatusOK {
		t.Fatalf("dashboard: %d %.300s", p.Status, p.Body)
	}
	if p.Header.Get("X-Frame-Options") != "DENY" || !strings.Contains(p.Header.Get("Content-Security-Policy"), "script-src 'self'") || p.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("security headers: %v", p.Header)
	}
	doc := parse(t, p.Body)
	for id, want := range map[string]string{
		"tenant-name":   "Desa Satu",
		"user-name":     "User clerk",
		"menu":          "Data warga",
		"widget-hello":  "3 surat menunggu",
		"logout-button": "Keluar",
	} {
		if got := text(find(doc, id)); !strings.Contains(got, want) {
			t.Errorf("#%s = %q, want %q", id, got, want)
		}
	}
	// Menu icons: drawn inline for a known name, none for another.
	if !regexp.MustCompile(`<svg class="b-icon" aria-hidden="true"[^>]*><path d="M9 11[^"]*"/></svg>Data warga`).MatchString(p.Body) ||
		strings.Count(p.Body, `class="b-icon"`) != 2 { // the dashboard's and users'
		t.Errorf("menu icons: %d drawn", strings.Count(p.Body, `class="b-icon"`))
	}
	// The switcher lists where the clerk holds grants, not the neighbour.
	sw := text(find(doc, "tenant-switch"))
	if !strings.Contains(sw, "Desa Satu") || strings.Contains(sw, "Desa Dua") {
		t.Errorf("tenant switcher %q", sw)
	}
	// An operator sees no administration beyond what it may read.
	if adm := text(find(doc, "admin-menu")); strings.Contains(adm, "Pengguna") || strings.Contains(adm, "Jejak audit") {
		t.Errorf("operator's admin menu %q", adm)
	}
	// The neighbour village is not the clerk's.
	if p := b.get("/console/14.01.01.2002/"); p.Status != http.StatusForbidden || !strings.Contains(p.Body, "tidak punya izin") {
		t.Errorf("neighbour's dashboard: %d", p.Status)
	}
	if p := b.get("/console/99.99/"); p.Status != http.StatusNotFound || !strings.Contains(p.Body, "Halaman tidak ditemukan") {
		t.Errorf("unknown tenant: %d", p.Status)
	}
	// The stylesheet and script are served from this host, cached long.
	for _, tag := range []string{`<link rel="stylesheet" href="/static/balai.`, `<script src="/static/balai.`} {
		i := strings.Index(p.Body, tag)
		if i < 0 {
			t.Fatalf("no %s in the page", tag)
		}
		rest := p.Body[i+strings.Index(tag, "/static/"):]
		href := rest[:strings.IndexByte(rest, '"')]
		res := b.get(href)
		if res.Status != http.StatusOK || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: %d %q", href, res.Status, res.Header.Get("Cache-Control"))
		}
	}
}

func TestModulePages(t *testing.T) {
	s := shellSite(t)
	b := s.browser()
	b.login("clerk", "clerk-password-1")
	base := "/console/14.01.01.2001/m/hello"
	// A client's own Balai-* headers are stripped before the plugin.
	b.Header.Set("Balai-CSRF", "mine")
	b.Header.Set("Balai-Page-Base", "/elsewhere")
	p := b.get(base + "/items")
	b.Header = http.Header{}
	if p.Status != http.StatusOK {
		t.Fatalf("fragment page: %d %.300s", p.Status, p.Body)
	}
	doc := parse(t, p.Body)
	frag := text(find(doc, "frag"))
	if frag != "user=clerk base="+base+" lang=id public=false" {
		t.Errorf("fragment %q", frag)
	}
	if !strings.Contains(p.Body, "<title>Daftar warga · Balai</title>") || find(doc, "menu") == nil || find(doc, "logout-form") == nil {
		t.Errorf("the fragment is not in the shell: %.500s", p.Body)
	}
	// The plugin's form carries the session's token; posting it works, the
	// body reaches the plugin whole, the Location is made absolute and the
	// flash shows on the next page.
	p = b.post(base+"/items", url.Values{"name": {"Budi"}})
	if p.Status != http.StatusSeeOther || p.Location() != base+"/items/12" {
		t.Fatalf("POST: %d to %q", p.Status, p.Location())
	}
	if p.Header.Get("Balai-Flash") != "" {
		t.Error("Balai-Flash reached the browser")
	}
	p = b.get(base + "/items")
	if got := text(find(parse(t, p.Body), "flash")); got != "Warga disimpan" {
		t.Errorf("flash %q", got)
	}
	if p := b.get(base + "/items"); strings.Contains(p.Body, `id="flash"`) {
		t.Error("the flash showed twice")
	}
	// A redirect or a download on the way does not eat the message.
	b.post(base+"/items", url.Values{"name": {"Budi"}})
	if p := b.get("/console/"); p.Status != http.StatusSeeOther {
		t.Fatalf("/console/: %d", p.Status)
	}
	b.get(base + "/export.csv")
	if got := text(find(parse(t, b.get("/console/14.01.01.2001/").Body), "flash")); got != "Warga disimpan" {
		t.Errorf("flash after a redirect and a download: %q", got)
	}
	// Without the token the plugin is never asked.
	if p := b.post(base+"/items", url.Values{"name": {"Budi"}, "csrf_token": {"-"}}); p.Status != http.StatusForbidden {
		t.Errorf("POST without token: %d", p.Status)
	}
	// A download passes through untouched.
	p = b.get(base + "/export.csv")
	if p.Status != http.StatusOK || p.Body != "nik,nama\n" || p.Header.Get("Content-Type") != "text/csv" {
		t.Errorf("download: %d %q %q", p.Status, p.Header.Get("Content-Type"), p.Body)
	}
	// The host's errors are HTML pages in the shell.
	for path, want := range map[string]struct {
		status int
		text   string
	}{
		"/forbidden": {403, "tidak punya izin"},
		"/off":       {404, "belum diaktifkan"},
		"/down":      {503, "sedang tidak tersedia"},
		"/busy":      {429, "Terlalu banyak permintaan"},
		"/nosuch":    {404, "Halaman tidak ditemukan"},
	} {
		p := b.get(base + path)
		if p.Status != want.status || !strings.Contains(p.Body, want.text) || !strings.Contains(p.Header.Get("Content-Type"), "text/html") || find(parse(t, p.Body), "error-page") == nil {
			t.Errorf("%s: %d, want %d with %q", path, p.Status, want.status, want.text)
		}
	}
	// English on request.
	if p := b.get("/console/lang?l=en&next=" + url.QueryEscape(base+"/busy")); p.Status != http.StatusSeeOther || p.Location() != base+"/busy" {
		t.Fatalf("language switch: %d to %q", p.Status, p.Location())
	}
	p = b.get(base + "/busy")
	if !strings.Contains(p.Body, `<html lang="en">`) || !strings.Contains(p.Body, "Too many requests") || p.Header.Get("Retry-After") != "3" {
		t.Errorf("English error page: %.300s", p.Body)
	}
	if p := b.get(base + "/items"); !strings.Contains(text(find(parse(t, p.Body), "frag")), "lang=en") || !strings.Contains(p.Body, "Residents") {
		t.Errorf("English fragment and menu: %.300s", p.Body)
	}
	// Anonymous: the console page asks for a login.
	if p := s.browser().get(base + "/items"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location(), "/login") {
		t.Errorf("anonymous console page: %d %q", p.Status, p.Location())
	}
}

func TestPublicPages(t *testing.T) {
	s := shellSite(t)
	anon := s.browser()
	p := anon.get("/14.01.01.2001/hello/items")
	if p.Status != http.StatusOK {
		t.Fatalf("public page: %d %.300s", p.Status, p.Body)
	}
	doc := parse(t, p.Body)
	frag := text(find(doc, "frag"))
	if frag != "user= base=/14.01.01.2001/hello lang=id public=true" {
		t.Errorf("public fragment %q", frag)
	}
	if !strings.Contains(p.Body, `class="b-body b-public"`) || find(doc, "menu") != nil || find(doc, "logout-form") != nil {
		t.Errorf("public shell shows the console: %.400s", p.Body)
	}
	// A citizen's form posts with the pre-session token.
	if anon.csrf == "" {
		t.Fatal("no token on the public page")
	}
	if p := anon.post("/14.01.01.2001/hello/items", url.Values{"name": {"Budi"}}); p.Status != http.StatusSeeOther || p.Location() != "/14.01.01.2001/hello/items/12" {
		t.Errorf("public POST: %d to %q", p.Status, p.Location())
	}
	if p := anon.post("/14.01.01.2001/hello/items", url.Values{"name": {"Budi"}, "csrf_token": {"-"}}); p.Status != http.StatusForbidden {
		t.Errorf("public POST without token: %d", p.Status)
	}
	if p := anon.get("/99.99.99.9999/hello/items"); p.Status != http.StatusNotFound {
		t.Errorf("unknown tenant: %d", p.Status)
	}
	// A page's own link card (ui.Page.Description and Image); a picture on
	// another host is never named, the portal's stands instead.
	for _, tt := range []struct{ path, image string }{
		{"/14.01.01.2001/hello/card/local", s.srv.URL + "/14.01.01.2001/hello/photos/1.jpg"},
		{"/14.01.01.2001/hello/card/foreign", s.srv.URL + "/static/og."},
	} {
		p := anon.get(tt.path)
		if !strings.Contains(p.Body, `<meta property="og:title" content="Jalan Usaha Tani">`) ||
			!strings.Contains(p.Body, `<meta property="og:description" content="Rabat beton 500 m, selesai 100%">`) {
			t.Errorf("%s: card title or description missing: %.600s", tt.path, p.Body)
		}
		m := ogImageRE.FindStringSubmatch(p.Body)
		if m == nil || !strings.HasPrefix(m[1], tt.image) {
			t.Errorf("%s: og:image = %v, want %s...", tt.path, m, tt.image)
		}
		if strings.Contains(p.Body, "evil.example") || strings.Contains(p.Header.Get("Balai-Page-Image"), "/") {
			t.Errorf("%s: the foreign picture or the page header leaked", tt.path)
		}
	}
}
