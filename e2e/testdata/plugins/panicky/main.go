// Command panicky is a test plugin whose handlers fail the ways a vendor's
// code does, to show that the host keeps serving the other plugins and
// that the plugin's own account of the failure (a panic's stack) reaches
// the host's log:
//
//   - GET /ok answers {"ok": true};
//   - GET /panic panics in the handler, which the SDK recovers;
//   - GET /crash panics on a goroutine of its own, which nothing can
//     recover: the process dies mid-request, Go's runtime writing the
//     panic and its stack to stderr.
package main

import (
	"net/http"

	"github.com/balaidesa/balai/sdk"
)

const read = "panicky.items.read"

func main() {
	sdk.Serve(&sdk.Plugin{
		ID: "panicky", Version: "0.1.0", Vendor: "Balai tests",
		Permissions: []sdk.Permission{{Name: read, Roles: []string{"viewer", "operator"}}},
		Routes: []sdk.Route{
			{Method: "GET", Path: "/ok", Permission: read, Handler: sdk.Func(func(*http.Request) (int, any, error) {
				return http.StatusOK, map[string]bool{"ok": true}, nil
			})},
			{Method: "GET", Path: "/panic", Permission: read, Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
				panic("broken handler")
			})},
			{Method: "GET", Path: "/crash", Permission: read, Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
				go explode()
				select {}
			})},
		},
	})
}

// explode panics where no one recovers: its name must appear in the stack
// the host logs.
func explode() { panic("broken on purpose") }
