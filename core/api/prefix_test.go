package api_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/balaidesa/balai/core/api"
	"github.com/balaidesa/balai/core/host"
	"github.com/balaidesa/balai/core/rbac"
)

// Paths under a mounted prefix reach its handler through the API's own
// middleware (request id, input checks), are redirected to their clean
// form as every other path is, and the rest of the API is still served.
func TestMountPrefix(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h, err := host.Open(host.Config{DataDir: t.TempDir()}, rbac.NewRegistry(), log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	s := api.New(h, api.Options{Logger: log})
	var served []string
	s.MountPrefix("/api/v1/t/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served = append(served, r.URL.Path)
		w.WriteHeader(http.StatusTeapot)
	}))
	for _, c := range []struct {
		path     string
		status   int
		location string
	}{
		{"/api/v1/t/14.01/hello/greeting", http.StatusTeapot, ""},
		{"/api/v1/t/14.01//hello/greeting", http.StatusMovedPermanently, "/api/v1/t/14.01/hello/greeting"},
		{"/api/v1/t/../users", http.StatusMovedPermanently, "/api/v1/users"},
		{"/api/v1/t/14.01/hello/x?q=%00", http.StatusBadRequest, ""},
		{"/api/v1/users", http.StatusUnauthorized, ""},
		{"/api/v1/tx", http.StatusNotFound, ""},
	} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", c.path, nil))
		if rec.Code != c.status || rec.Header().Get("Location") != c.location {
			t.Errorf("GET %s = %d (Location %q), want %d (%q)", c.path, rec.Code, rec.Header().Get("Location"), c.status, c.location)
		}
		if rec.Header().Get("X-Request-Id") == "" && (rec.Code == http.StatusTeapot || rec.Code == http.StatusBadRequest) {
			t.Errorf("GET %s: no X-Request-Id: the middleware did not run", c.path)
		}
	}
	if len(served) != 1 || served[0] != "/api/v1/t/14.01/hello/greeting" {
		t.Errorf("the prefix handler served %v, want the one clean path", served)
	}
}
