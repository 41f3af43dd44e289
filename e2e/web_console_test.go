package e2e

import (
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/storetest"
)

// consoleClient is a browser without a browser: a cookie jar that does not
// follow redirects and remembers the last page's csrf_token.
type consoleClient struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

var consoleCSRF = regexp.MustCompile(`name="csrf_token" value="([^"]*)"`)

func newConsoleClient(t *testing.T, h *Host) *consoleClient {
	jar, _ := cookiejar.New(nil)
	return &consoleClient{t: t, base: h.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *consoleClient) do(method, path string, form url.Values) (int, string, http.Header) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		if !form.Has("csrf_token") {
			form.Set("csrf_token", c.csrf)
		}
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, c.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if m := consoleCSRF.FindSubmatch(b); m != nil {
		c.csrf = string(m[1])
	}
	return res.StatusCode, string(b), res.Header
}

// The console against the real binaries: log in through the form, see the
// plugin process's health, enable a module for the regency and find it
// inherited by a village, as the API reports it too.
func TestWebConsoleModules(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		h := NewHost(t, b)
		h.Serve(t, "--plugins", PluginDir(t, "hello"), "--name", "Portal Desa Kampar")
		c := newConsoleClient(t, h)
		c.do("GET", "/login", nil)
		if st, body, hdr := c.do("POST", "/login", url.Values{"username": {"admin"}, "password": {AdminPassword}}); st != http.StatusSeeOther {
			t.Fatalf("login: %d %s %v", st, body, hdr)
		}
		if st, _, hdr := c.do("GET", "/console/", nil); st != http.StatusSeeOther || hdr.Get("Location") != "/console/setup" {
			t.Fatalf("empty deployment: %d to %q", st, hdr.Get("Location"))
		}
		h.ImportKampar(t)
		st, body, _ := c.do("GET", "/console/14.01/admin/plugins", nil)
		if st != http.StatusOK || !regexp.MustCompile(`(?s)data-plugin="hello">.*?data-state="running".*?<td>\d+</td>`).MatchString(body) {
			t.Fatalf("plugin health: %d %s", st, body)
		}
		st, body, _ = c.do("GET", "/console/14.01/admin/modules", nil)
		if st != http.StatusOK || !strings.Contains(body, `id="module-enable-hello"`) || !strings.Contains(body, "belum diatur") {
			t.Fatalf("modules before: %d %s", st, body)
		}
		if st, body, _ := c.do("POST", "/console/14.01/admin/modules", url.Values{"plugin": {"hello"}, "action": {"enable"}}); st != http.StatusSeeOther {
			t.Fatalf("enable: %d %s", st, body)
		}
		_, body, _ = c.do("GET", "/console/14.01.01.1011/admin/modules", nil)
		if !strings.Contains(body, "ikut wilayah induk (14.01)") || !strings.Contains(body, `id="module-disable-hello"`) {
			t.Errorf("village's modules: %s", body)
		}
		api := h.Admin(t)
		mods := api.Do(t, "GET", "/api/v1/tenants/14.01.01.1011/modules", nil).Expect(200).Items()
		if len(mods) != 1 || mods[0]["enabled"] != true || mods[0]["from"] != "14.01" {
			t.Errorf("API sees %v", mods)
		}
		audit := api.Do(t, "GET", "/api/v1/audit?action=module.enable&actor=admin", nil).Expect(200).Items()
		if len(audit) != 1 || audit[0]["tenant"] != "14.01" {
			t.Errorf("audit of the enable: %v", audit)
		}
		_, body, _ = c.do("GET", "/console/14.01/", nil)
		if !strings.Contains(body, `id="brand">Portal Desa Kampar</a>`) {
			t.Errorf("deployment name missing from the header")
		}
		if !regexp.MustCompile(`<span class="b-count">1</span> <span class="b-count-label">Modul aktif`).MatchString(body) {
			t.Errorf("dashboard does not count the module: %s", body)
		}
		// The session cookie is no API credential.
		req, _ := http.NewRequest("GET", h.URL+"/api/v1/me", nil)
		res, err := c.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("/api/v1/me with the console's cookie: %d", res.StatusCode)
		}
	})
}

// Module pages through the real runtime and plugin process: the menu and
// the widget in the shell, a fragment page, a form post with the session's
// token answered by a redirect and a flash, a download passing through,
// permissions and enablement as HTML error pages, and a public page.
func TestWebModulePages(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		h := NewHost(t, b)
		h.Serve(t, "--plugins", PluginDir(t, "webpages"))
		h.ImportKampar(t)
		admin := h.Admin(t)
		admin.Do(t, "PUT", "/api/v1/tenants/14.01/modules/webpages", map[string]any{"enabled": true}).Expect(200)
		_, password := admin.CreateUser(t, "clerk")
		admin.Grant(t, "14.01.01.1011", "clerk", "operator")
		_, vpassword := admin.CreateUser(t, "looker")
		admin.Grant(t, "14.01.01.1011", "looker", "viewer")

		c := newConsoleClient(t, h)
		c.do("GET", "/login", nil)
		c.do("POST", "/login", url.Values{"username": {"clerk"}, "password": {password}})
		if st, _, hdr := c.do("GET", "/console/", nil); st != http.StatusSeeOther || hdr.Get("Location") != "/console/14.01.01.1011/" {
			t.Fatalf("clerk's console: %d to %q", st, hdr.Get("Location"))
		}
		base := "/console/14.01.01.1011/m/webpages"
		st, body, _ := c.do("GET", "/console/14.01.01.1011/", nil)
		if st != http.StatusOK || !strings.Contains(body, `<a href="`+base+`/items">Barang</a>`) || !strings.Contains(body, `<p id="wp-widget">2 barang baru</p>`) {
			t.Fatalf("dashboard without the module's menu or widget: %d %s", st, body)
		}
		st, body, _ = c.do("GET", base+"/items", nil)
		if st != http.StatusOK || !strings.Contains(body, `<p id="wp-info">base=`+base+` lang=id</p>`) ||
			!strings.Contains(body, "<title>Daftar barang · Balai</title>") || !strings.Contains(body, `id="logout-form"`) {
			t.Fatalf("page in the shell: %d %s", st, body)
		}
		st, _, hdr := c.do("POST", base+"/items", url.Values{"name": {"meja"}})
		if st != http.StatusSeeOther || hdr.Get("Location") != base+"/items/1" {
			t.Fatalf("form post: %d to %q", st, hdr.Get("Location"))
		}
		_, body, _ = c.do("GET", base+"/items/1", nil)
		if !strings.Contains(body, `id="flash">Tersimpan: meja</div>`) || !strings.Contains(body, `<p id="wp-item">barang 1</p>`) {
			t.Errorf("after the post: %s", body)
		}
		st, body, _ = c.do("POST", base+"/items", url.Values{"name": {""}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="wp-error"`) || !strings.Contains(body, `id="menu"`) {
			t.Errorf("refused form: %d %s", st, body)
		}
		if st, body, _ := c.do("POST", base+"/items", url.Values{"name": {"kursi"}, "csrf_token": {"forged"}}); st != http.StatusForbidden || !strings.Contains(body, "Formulir kedaluwarsa") {
			t.Errorf("forged token: %d", st)
		}
		// An sdk/ui page: its own h1, the confirmation step without a
		// script, then the confirmed post.
		st, body, _ = c.do("GET", base+"/ui", nil)
		if st != http.StatusOK || strings.Count(body, "<h1") != 1 || !strings.Contains(body, `data-confirm="Hapus barang ini?"`) || !strings.Contains(body, `class="b-upload"`) {
			t.Fatalf("sdk/ui page: %d %s", st, body)
		}
		st, body, _ = c.do("POST", base+"/ui", url.Values{"name": {"meja"}})
		if st != http.StatusOK || !strings.Contains(body, `<p class="b-confirm">Hapus barang ini?</p>`) || !strings.Contains(body, `name="confirmed" value="1"`) || !strings.Contains(body, `id="menu"`) {
			t.Fatalf("confirmation step: %d %s", st, body)
		}
		st, _, hdr = c.do("POST", base+"/ui", url.Values{"name": {"meja"}, "confirmed": {"1"}})
		if st != http.StatusSeeOther || hdr.Get("Location") != base+"/items" {
			t.Fatalf("confirmed post: %d to %q", st, hdr.Get("Location"))
		}
		if _, body, _ := c.do("GET", base+"/items", nil); !strings.Contains(body, `id="flash">Dihapus: meja</div>`) {
			t.Errorf("flash after the confirmed post: %s", body)
		}
		// An upload: the token travels in the multipart body ahead of the
		// file; the plugin still receives the whole file.
		upload := func(token string) int {
			var mp strings.Builder
			mw := multipart.NewWriter(&mp)
			mw.WriteField("csrf_token", token)
			fw, _ := mw.CreateFormFile("file", "warga.csv")
			fw.Write([]byte(strings.Repeat("x", 300000)))
			mw.Close()
			req, _ := http.NewRequest("POST", h.URL+base+"/upload", strings.NewReader(mp.String()))
			req.Header.Set("Content-Type", mw.FormDataContentType())
			res, err := c.c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		if st := upload(c.csrf); st != http.StatusSeeOther {
			t.Errorf("upload: %d", st)
		}
		if _, body, _ := c.do("GET", base+"/items", nil); !strings.Contains(body, `id="flash">warga.csv: 300000 bita</div>`) {
			t.Errorf("flash after the upload: %s", body)
		}
		if st := upload("forged"); st != http.StatusForbidden {
			t.Errorf("upload with a forged token: %d", st)
		}
		st, body, hdr = c.do("GET", base+"/export.csv", nil)
		if st != http.StatusOK || body != "id,nama\n1,meja\n" || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") {
			t.Errorf("download: %d %q %q", st, hdr.Get("Content-Type"), body)
		}
		// Another regency has not enabled the module; the clerk has no
		// grant there either: both are HTML pages.
		if st, body, _ := c.do("GET", "/console/14.01.01.1013/m/webpages/items", nil); st != http.StatusForbidden || !strings.Contains(body, `id="error-page"`) {
			t.Errorf("neighbour village: %d", st)
		}
		v := newConsoleClient(t, h)
		v.do("GET", "/login", nil)
		v.do("POST", "/login", url.Values{"username": {"looker"}, "password": {vpassword}})
		v.do("GET", base+"/items", nil)
		if st, body, _ := v.do("POST", base+"/items", url.Values{"name": {"lemari"}}); st != http.StatusForbidden || !strings.Contains(body, "tidak punya izin") {
			t.Errorf("viewer posting: %d", st)
		}
		admin.Do(t, "PUT", "/api/v1/tenants/14.01.01.1011/modules/webpages", map[string]any{"enabled": false}).Expect(200)
		if st, body, _ := c.do("GET", base+"/items", nil); st != http.StatusNotFound || !strings.Contains(body, "belum diaktifkan") {
			t.Errorf("disabled module: %d %s", st, body)
		}
		admin.Do(t, "DELETE", "/api/v1/tenants/14.01.01.1011/modules/webpages", nil).Expect(200)
		// A citizen's page, no login.
		anon := newConsoleClient(t, h)
		st, body, _ = anon.do("GET", "/14.01.01.1011/webpages/service", nil)
		if st != http.StatusOK || !strings.Contains(body, `<p id="wp-public">layanan publik base=/14.01.01.1011/webpages</p>`) || strings.Contains(body, `id="menu"`) {
			t.Errorf("public page: %d %s", st, body)
		}
		if st, _, hdr := anon.do("GET", base+"/items", nil); st != http.StatusSeeOther || !strings.HasPrefix(hdr.Get("Location"), "/login") {
			t.Errorf("anonymous console page: %d %q", st, hdr.Get("Location"))
		}
	})
}

// A clerk's open form survives what an operator does to the servers: the
// form tokens are keyed by the session, not by a key each process draws,
// so a second server on the same database (behind one balancer, or the
// same portal restarted) accepts a form the first one served.
func TestWebFormsOutliveARestart(t *testing.T) {
	b := storetest.Backends(t)[0]
	a := NewHost(t, b)
	a.Serve(t)
	other := &Host{Backend: a.Backend, DBURL: a.DBURL, DataDir: a.DataDir}
	other.Serve(t)
	c := newConsoleClient(t, a)
	c.do("GET", "/login", nil)
	if st, _, _ := c.do("POST", "/login", url.Values{"username": {"admin"}, "password": {AdminPassword}}); st != http.StatusSeeOther {
		t.Fatalf("login: %d", st)
	}
	c.do("GET", "/console/account", nil)
	c.base = other.URL // the jar's cookies hold for 127.0.0.1 whatever the port
	if st, body, _ := c.do("POST", "/logout", url.Values{}); st != http.StatusSeeOther {
		t.Fatalf("the other server refused the form: %d %s", st, body)
	}
}
