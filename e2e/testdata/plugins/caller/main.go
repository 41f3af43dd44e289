// Command caller is a test plugin that calls the probe plugin's routes on
// behalf of its user, declaring in Uses only probe.items.read: the host
// must refuse its calls to routes needing anything else, and show probe
// no other of the user's permissions.
package main

import (
	"encoding/json"
	"io"
	"net/http"

	"github.com/balaidesa/balai/sdk"
)

const calls = "caller.calls.make"

var plugin = sdk.Plugin{
	ID: "caller", Version: "0.1.0", Vendor: "Balai tests", Description: "calls probe",
	Permissions: []sdk.Permission{{Name: calls, Roles: []string{"operator"}}},
	Routes: []sdk.Route{
		// POST /call {"method","path","body"} answers {"status","body"}:
		// what probe answered.
		{Method: "POST", Path: "/call", Permission: calls, Handler: sdk.Func(call)},
		// GET /loop calls itself until the host says no: it answers how
		// many calls nested below it succeeded and the status that ended
		// the chain.
		{Method: "GET", Path: "/loop", Permission: calls, Handler: sdk.Func(loop)},
	},
	Uses: []string{"probe.items.read"},
}

func main() { sdk.Serve(&plugin) }

func call(r *http.Request) (int, any, error) {
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
	return http.StatusOK, map[string]any{"status": res.StatusCode, "body": string(b)}, nil
}

func loop(r *http.Request) (int, any, error) {
	res, err := sdk.From(r).Call(r.Context(), "caller", "GET", "/loop", nil, nil)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return http.StatusOK, map[string]int{"depth": 0, "status": res.StatusCode}, nil
	}
	var inner struct{ Depth, Status int }
	if err := json.NewDecoder(res.Body).Decode(&inner); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]int{"depth": inner.Depth + 1, "status": inner.Status}, nil
}
