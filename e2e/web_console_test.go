package e2e

import (
	"io"
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
		h.Serve(t, "--plugins", PluginDir(t, "hello"))
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
		if st != http.StatusOK || !regexp.MustCompile(`(?s)data-plugin="hello">.*?running.*?<td>\d+</td>`).MatchString(body) {
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
		if !regexp.MustCompile(`<span class="b-count">1</span> <span class="b-badge b-badge-info">Modul aktif`).MatchString(body) {
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
