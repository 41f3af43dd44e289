// Command oldproto is a plugin built for protocol 1, the oldest this host
// still supports: it must keep working.
package main

import (
	"net/http"

	"github.com/balaidesa/balai/sdk"
)

func main() {
	mux := http.NewServeMux()
	mux.Handle("GET /ping", sdk.Func(func(r *http.Request) (int, any, error) {
		return 200, map[string]string{"pong": sdk.From(r).Tenant}, nil
	}))
	sdk.ServeWith(sdk.Manifest{
		ID: "oldproto", Version: "0.9.0", Vendor: "Balai tests",
		Permissions: []sdk.Permission{{Name: "oldproto.ping.read", Roles: []string{"viewer"}}},
		Routes:      []sdk.Route{{Method: "GET", Path: "/ping", Permission: "oldproto.ping.read"}},
	}, mux, sdk.Options{Protocol: 1})
}
