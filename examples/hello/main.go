// Command hello is the smallest complete Balai plugin: it greets the caller
// and keeps notes per tenant. Copy it to start your own.
package main

import (
	"net/http"

	"github.com/balaidesa/balai/sdk"
)

var manifest = sdk.Manifest{
	ID: "hello", Version: "1.0.0", Vendor: "Balai", Description: "Greets the caller and keeps notes per village",
	Permissions: []sdk.Permission{
		{Name: "hello.notes.read", Roles: []string{"viewer", "operator"}},
		{Name: "hello.notes.write", Roles: []string{"operator"}},
	},
	Routes: []sdk.Route{
		{Method: "GET", Path: "/greeting", Permission: "hello.notes.read"},
		{Method: "GET", Path: "/notes", Permission: "hello.notes.read"},
		{Method: "POST", Path: "/notes", Permission: "hello.notes.write"},
	},
	Collections: []sdk.Collection{{Name: "notes", Fields: []sdk.Field{{Name: "text", Type: sdk.String, Required: true}}}},
}

func handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /greeting", sdk.Func(func(r *http.Request) (int, any, error) {
		return 200, map[string]string{"tenant": sdk.From(r).Tenant, "user": sdk.From(r).User}, nil
	}))
	mux.Handle("POST /notes", sdk.Func(func(r *http.Request) (int, any, error) {
		var note struct {
			Text string `json:"text"`
		}
		if err := sdk.Bind(r, &note); err != nil {
			return 0, nil, err
		}
		rec, err := sdk.From(r).Records("notes").Insert(r.Context(), note)
		return 201, rec, err
	}))
	mux.Handle("GET /notes", sdk.Func(func(r *http.Request) (int, any, error) { return sdk.From(r).Records("notes").List(r) }))
	return mux
}

func main() { sdk.Serve(manifest, handler()) }
