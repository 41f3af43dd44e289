// Command caller is a test plugin that calls the probe plugin's routes on
// behalf of its user, declaring in Uses only probe.items.read: the host
// must refuse its calls to routes needing anything else, and show probe
// no other of the user's permissions.
package main

import (
	"io"
	"net/http"

	"github.com/balaidesa/balai/sdk"
)

var manifest = sdk.Manifest{
	ID: "caller", Version: "0.1.0", Vendor: "Balai tests", Description: "calls probe",
	Permissions: []sdk.Permission{{Name: "caller.calls.make", Roles: []string{"operator"}}},
	Routes: []sdk.Route{
		{Method: "POST", Path: "/call", Permission: "caller.calls.make"},
	},
	Uses: []string{"probe.items.read"},
}

func main() {
	mux := http.NewServeMux()
	// POST /call {"method","path","body"} answers {"status","body"}: what
	// probe answered.
	mux.Handle("POST /call", sdk.Func(func(r *http.Request) (int, any, error) {
		var v struct {
			Method string `json:"method"`
			Path   string `json:"path"`
			Body   any    `json:"body"`
		}
		if err := sdk.Bind(r, &v); err != nil {
			return 0, nil, err
		}
		res, err := sdk.From(r).Call(r.Context(), "probe", v.Method, v.Path, nil, v.Body)
		if err != nil {
			return 0, nil, err
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return 200, map[string]any{"status": res.StatusCode, "body": string(b)}, nil
	}))
	sdk.Serve(manifest, mux)
}
