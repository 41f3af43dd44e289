package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/balaidesa/balai/core/admin"
	"github.com/balaidesa/balai/core/api"
	"github.com/balaidesa/balai/core/audit"
	"github.com/balaidesa/balai/core/auth"
	"github.com/balaidesa/balai/core/plugin"
	"github.com/balaidesa/balai/core/portal"
	"github.com/balaidesa/balai/core/storetest"
)

const adminPassword = "web-test-admin-password"

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// site is a running host (real database, API and web layer).
type site struct {
	t   *testing.T
	p   *portal.Portal
	srv *httptest.Server
}

// eachSite runs fn against a fresh host on every backend.
func eachSite(t *testing.T, fn func(t *testing.T, s *site)) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			fn(t, newSite(t, b))
		})
	}
}

// sqliteSite is a fresh host on SQLite only, for screens whose SQL the
// session tests already run on PostgreSQL.
func sqliteSite(t *testing.T) *site { return newSite(t, storetest.Backends(t)[0]) }

func newSite(t *testing.T, b storetest.Backend) *site { return newSiteWith(t, b, plugin.Config{}) }

// newSiteWith starts a host with a plugin configuration (a public URL).
func newSiteWith(t *testing.T, b storetest.Backend, pcfg plugin.Config) *site {
	t.Helper()
	dbURL, dir := b.New(t)
	p, err := portal.Open(portal.Config{DatabaseURL: dbURL, DataDir: dir, Logger: quiet(), API: &api.Options{}, Plugins: pcfg})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	if _, _, err := p.Host.Bootstrap(adminPassword); err != nil {
		t.Fatal(err)
	}
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p.API)
	t.Cleanup(srv.Close)
	return &site{t: t, p: p, srv: srv}
}

// operator is the CLI operator, for arranging data through core/admin.
func (s *site) operator() admin.Actor { return admin.Operator(audit.Who{Actor: "test"}) }

// user creates a user with roles in tenant through core/admin.
func (s *site) user(name, password, tenant string, roles ...string) {
	s.t.Helper()
	ctx := context.Background()
	a := s.p.API.Admin()
	if _, err := a.CreateUser(ctx, s.operator(), auth.NewUser{Username: name, Password: password, FullName: "User " + name, Tenant: tenant}); err != nil {
		s.t.Fatal(err)
	}
	if len(roles) > 0 {
		if _, err := a.SetRoles(ctx, s.operator(), tenant, name, roles); err != nil {
			s.t.Fatal(err)
		}
	}
}

// tenant creates a tenant (and needs its parent).
func (s *site) tenant(code, name string) {
	s.t.Helper()
	if _, err := s.p.API.Admin().CreateTenant(context.Background(), s.operator(), code, name); err != nil {
		s.t.Fatal(err)
	}
}

// browser is a cookie-keeping client that does not follow redirects and
// remembers the last page's csrf_token.
type browser struct {
	t    *testing.T
	s    *site
	c    *http.Client
	csrf string
	// Header is added to every request.
	Header http.Header
}

func (s *site) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: s.t, s: s, Header: http.Header{},
		c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// page is an answer.
type page struct {
	Status int
	Body   string
	Header http.Header
}

// Location is the redirect target.
func (p page) Location() string { return p.Header.Get("Location") }

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]*)"`)

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	for k, v := range b.Header {
		req.Header[k] = v
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if m := csrfRE.FindSubmatch(body); m != nil {
		b.csrf = html.UnescapeString(string(m[1]))
	}
	return page{Status: res.StatusCode, Body: string(body), Header: res.Header}
}

func (b *browser) get(path string) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.s.srv.URL+path, nil)
	return b.do(req)
}

// post sends a form with the remembered csrf_token (unless the form sets
// its own, or "-" drops it).
func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if !form.Has("csrf_token") {
		form.Set("csrf_token", b.csrf)
	} else if form.Get("csrf_token") == "-" {
		form.Del("csrf_token")
	}
	req, _ := http.NewRequest(http.MethodPost, b.s.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// login logs in through the form and fails the test if it does not work.
func (b *browser) login(user, password string) {
	b.t.Helper()
	b.get("/login")
	p := b.post("/login", url.Values{"username": {user}, "password": {password}})
	if p.Status != http.StatusSeeOther {
		b.t.Fatalf("login as %s: status %d, want 303; body %.300s", user, p.Status, p.Body)
	}
}

// cookie returns the browser's value of a cookie.
func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.s.srv.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// parse checks that a page is well-formed HTML with lang set and returns
// its text.
func parse(t *testing.T, body string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// find returns the first element with the id.
func find(n *html.Node, id string) *html.Node {
	if n.Type == html.ElementNode {
		for _, a := range n.Attr {
			if a.Key == "id" && a.Val == id {
				return n
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, id); f != nil {
			return f
		}
	}
	return nil
}

// text is the text content of n.
func text(n *html.Node) string {
	if n == nil {
		return ""
	}
	var sb strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			sb.WriteString(n.Data)
		} else {
			sb.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(sb.String()), " ")
}
