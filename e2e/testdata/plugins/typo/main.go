// Command typo is a vendor plugin with a typo in its manifest: a route
// needs typo.itemz.read, which it never declares. sdk.Serve refuses it at
// start and says why on stderr; the host must show that reason, not only
// that the handshake failed.
package main

import (
	"net/http"

	"github.com/balaidesa/balai/sdk"
)

func main() {
	sdk.Serve(&sdk.Plugin{
		ID: "typo", Version: "0.1.0", Vendor: "Balai tests",
		Permissions: []sdk.Permission{{Name: "typo.items.read", Roles: []string{"viewer"}}},
		Routes:      []sdk.Route{{Method: "GET", Path: "/items", Permission: "typo.itemz.read", Handler: http.NotFoundHandler()}},
	})
}
