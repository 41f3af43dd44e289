package e2e

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
)

func TestOperations(t *testing.T) {
	Each(t, func(t *testing.T, h *Host) {
		anon := h.Anon()
		anon.Do(t, "GET", "/healthz", nil).Expect(200)
		if page := string(anon.Do(t, "GET", "/", nil).Expect(200).Body); !strings.Contains(page, "Portal sedang berjalan") || !strings.Contains(page, `href="/login"`) {
			t.Errorf("landing page: %s", page)
		}
		ready := anon.Do(t, "GET", "/readyz", nil).Expect(200).JSON()
		if ready["status"] != "ready" {
			t.Errorf("readyz = %v", ready)
		}
		admin := h.Admin(t)
		r := admin.Do(t, "GET", "/api/v1/me", nil).Expect(200)
		if len(r.Header.Get("X-Request-Id")) < 8 {
			t.Errorf("no request id: %v", r.Header)
		}
		req, _ := http.NewRequest("GET", h.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+admin.Token)
		req.Header.Set("X-Request-Id", "trace-from-proxy-42")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.Header.Get("X-Request-Id") != "trace-from-proxy-42" {
			t.Errorf("incoming request id not kept: %q", res.Header.Get("X-Request-Id"))
		}
		metrics := string(anon.Do(t, "GET", "/metrics", nil).Expect(200).Body)
		for _, m := range []string{`balai_http_requests_total{method="GET",route="/api/v1/me",status="200"}`, "balai_http_request_duration_seconds_bucket", "go_goroutines"} {
			if !strings.Contains(metrics, m) {
				t.Errorf("metrics lack %s", m)
			}
		}
		waitFor(t, 2*time.Second, func() bool { return strings.Contains(h.Log(), "request_id=trace-from-proxy-42") })
		log := h.Log()
		if !strings.Contains(log, "user=admin") || !strings.Contains(log, "route=/api/v1/me") {
			t.Errorf("access log lacks user or route")
		}
		if strings.Contains(log, AdminPassword) || strings.Contains(log, admin.Token) {
			t.Error("a secret reached the log")
		}
		// SIGTERM drains and exits cleanly.
		h.Stop(t)
		if code := h.ExitCode(t); code != 0 {
			t.Errorf("exit code %d after SIGTERM", code)
		}
		if !strings.Contains(h.Log(), "stopped") {
			t.Error("no clean stop logged")
		}
	})
}

func TestSchemaNewerThanBinaryIsRefused(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		h := NewHost(t, b)
		h.MustCLI(t, "migrate")
		out := h.MustCLI(t, "migrate").Stdout // twice is fine
		if !strings.Contains(out, "schema") {
			t.Errorf("migrate printed %q", out)
		}
		db, err := store.Open(store.Options{URL: h.DBURL, DataDir: h.DataDir})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Exec("INSERT INTO schema_migrations (id) VALUES ('299901010000_from_the_future')").Error; err != nil {
			t.Fatal(err)
		}
		db.Close()
		for _, args := range [][]string{{"tenant", "list"}, {"serve", "--listen", "127.0.0.1:0"}} {
			r := h.CLI(t, "", args...)
			if r.Code == 0 || !strings.Contains(r.Stderr, "newer than this binary") {
				t.Errorf("balai %s on a newer schema: exit %d, %s", args[0], r.Code, r.Stderr)
			}
		}
	})
}

// runBalai runs the binary with exactly args and returns its stdout.
func runBalai(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(balaiBin, args...).Output()
	if err != nil {
		t.Fatalf("balai %s: %v", strings.Join(args, " "), err)
	}
	return string(out)
}

func TestConfigFileAndHelp(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		h := NewHost(t, b)
		// balai.yaml in the working directory sets the session lifetime.
		os.WriteFile(filepath.Join(h.DataDir, "balai.yaml"), []byte("session-ttl: 1s\nlog-format: json\n"), 0o644)
		h.Serve(t)
		admin := h.Admin(t)
		time.Sleep(1500 * time.Millisecond)
		admin.Do(t, "GET", "/api/v1/me", nil).ExpectErr(401, "token_expired")
		if !strings.Contains(h.Log(), `"msg":"request"`) {
			t.Error("log-format json from balai.yaml not applied")
		}
		help := runBalai(t, "--help")
		for _, s := range []string{"serve", "tenant", "user", "role", "plugin", "BALAI_"} {
			if !strings.Contains(help, s) {
				t.Errorf("balai --help lacks %q", s)
			}
		}
		if out := runBalai(t, "tenant", "import", "--help"); !strings.Contains(out, "--under") || !strings.Contains(out, "transaction") {
			t.Errorf("tenant import --help: %s", out)
		}
		if r := h.CLI(t, "", "tenant", "nosuch"); r.Code == 0 {
			t.Error("an unknown command exits 0")
		}
	})
}
