package portal_test

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/api"
	"github.com/balaidesa/balai/core/plugin"
	"github.com/balaidesa/balai/core/portal"
	"github.com/balaidesa/balai/core/storetest"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func open(t *testing.T, cfg portal.Config) *portal.Portal {
	t.Helper()
	p, err := portal.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// The assembled portal answers the host's API, with the plugins' routes
// mounted, on either database.
func TestPortalServes(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			url, dir := b.New(t)
			at := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
			p := open(t, portal.Config{DatabaseURL: url, DataDir: dir, Logger: quiet(), API: &api.Options{}, Clock: func() time.Time { return at }})
			if _, _, err := p.Host.Bootstrap("portal-test-password"); err != nil {
				t.Fatal(err)
			}
			if err := p.Start(); err != nil {
				t.Fatal(err)
			}
			if !p.Host.Now().Equal(at) {
				t.Errorf("host clock %v, want the configured %v", p.Host.Now(), at)
			}
			srv := httptest.NewServer(p.API)
			defer srv.Close()
			for path, want := range map[string]string{
				"/readyz": `"status":"ready"`,
				// Plugin routes are mounted: an unknown plugin is the
				// runtime's answer, not the router's "no such endpoint".
				plugin.Prefix + "14/nosuch/x": `"code":"tenant_not_found"`,
			} {
				res, err := http.Get(srv.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if !strings.Contains(string(body), want) {
					t.Errorf("GET %s: %d %s, want %s", path, res.StatusCode, body, want)
				}
			}
			res, err := http.Post(srv.URL+"/api/v1/auth/login", "application/json", strings.NewReader(`{"username":"admin","password":"portal-test-password"}`))
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Errorf("login as the bootstrapped admin: %d", res.StatusCode)
			}
		})
	}
}

// Without Config.API there is no HTTP API (the CLI's case), and the
// parts are built all the same.
func TestPortalDefaults(t *testing.T) {
	dir := t.TempDir()
	p := open(t, portal.Config{DataDir: dir, Logger: quiet()})
	if p.API != nil {
		t.Error("an HTTP API was built without Config.API")
	}
	if p.Metrics == nil || p.Modules == nil || p.Runtime == nil {
		t.Errorf("parts missing: %+v", p)
	}
	if _, err := portal.Open(portal.Config{}); err == nil {
		t.Error("a portal without a data directory opened")
	}
}

// In-process plugins load before the binaries start, and a refusal fails
// Start with the reason.
func TestPortalInProcess(t *testing.T) {
	var got *plugin.Runtime
	refused := errors.New("manifest says no")
	p := open(t, portal.Config{DataDir: t.TempDir(), Logger: quiet(), InProcess: func(rt *plugin.Runtime) error {
		got = rt
		return refused
	}})
	err := p.Start()
	if got != p.Runtime {
		t.Errorf("InProcess called with %p, want the portal's runtime %p", got, p.Runtime)
	}
	if !errors.Is(err, refused) || !strings.Contains(err.Error(), "in-process") {
		t.Errorf("Start: %v, want the in-process refusal", err)
	}
}

// Close stops plugins and the database, once, whether or not Start ran;
// several portals live side by side in one process (the test kit runs one
// per test), each with its own metrics.
func TestPortalClose(t *testing.T) {
	a := open(t, portal.Config{DataDir: t.TempDir(), Logger: quiet(), API: &api.Options{}})
	b := open(t, portal.Config{DataDir: t.TempDir(), Logger: quiet(), API: &api.Options{}})
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	if err := a.Start(); err == nil {
		t.Error("a second Start was accepted")
	}
	for _, p := range []*portal.Portal{a, b} {
		if err := p.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
		if err := p.Close(); err != nil {
			t.Errorf("second close: %v", err)
		}
	}
	if err := a.Host.DB.Exec("SELECT 1").Error; err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("the database is still open after Close: %v", err)
	}
}
