package plugin_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// A plugin learns the address its caller used, so that links it prints
// (a letter's QR code) point back at the portal; a proxy's own
// X-Forwarded-* headers are passed on unchanged.
func TestProxyForwardsCallerAddress(t *testing.T) {
	h := sdktest.New(t, &sdk.Plugin{ID: "echo", Version: "1", Routes: []sdk.Route{{
		Method: "GET", Path: "/where", Public: true,
		Handler: sdk.Func(func(r *http.Request) (int, any, error) {
			return http.StatusOK, map[string]string{"host": r.Header.Get("X-Forwarded-Host"), "proto": r.Header.Get("X-Forwarded-Proto")}, nil
		}),
	}}})
	h.Tenant("14.01.01.2009")
	h.Enable("14")
	u, _ := url.Parse(h.URL())
	for _, c := range []struct {
		name        string
		headers     map[string]string
		host, proto string
	}{
		{"direct", nil, u.Host, "http"},
		{"behind a proxy", map[string]string{"X-Forwarded-Host": "desa.example.id", "X-Forwarded-Proto": "https"}, "desa.example.id", "https"},
	} {
		req, _ := http.NewRequest("GET", h.URL()+"/api/v1/t/14.01.01.2009/echo/where", nil)
		for k, v := range c.headers {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]string
		err = json.NewDecoder(res.Body).Decode(&got)
		res.Body.Close()
		if err != nil || got["host"] != c.host || got["proto"] != c.proto {
			t.Errorf("%s: plugin saw %v (%v), want host %s proto %s", c.name, got, err, c.host, c.proto)
		}
	}
}
