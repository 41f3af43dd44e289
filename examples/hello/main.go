// Command hello is the smallest complete Balai plugin: it greets the caller
// and keeps notes per village. Copy it to start your own.
package main

import (
	"net/http"

	"github.com/balaidesa/balai/sdk"
)

var plugin = sdk.Plugin{
	ID: "hello", Version: "1.0.0", Vendor: "Balai", Description: "Greets the caller and keeps notes per village",
	Permissions: []sdk.Permission{
		{Name: "hello.notes.read", Roles: []string{"viewer", "operator"}},
		{Name: "hello.notes.write", Roles: []string{"operator"}},
	},
	Collections: []sdk.Collection{{Name: "notes", Fields: []sdk.Field{{Name: "text", Type: sdk.String, Required: true}}}},
	Routes: []sdk.Route{
		{Method: "GET", Path: "/greeting", Permission: "hello.notes.read", Handler: sdk.Func(greeting)},
		{Method: "GET", Path: "/notes", Permission: "hello.notes.read", Handler: sdk.Func(func(r *http.Request) (int, any, error) {
			return sdk.From(r).Records("notes").List(r)
		})},
		{Method: "POST", Path: "/notes", Permission: "hello.notes.write", Handler: sdk.Func(addNote)},
	},
}

func greeting(r *http.Request) (int, any, error) {
	return 200, map[string]string{"tenant": sdk.From(r).Tenant, "user": sdk.From(r).User}, nil
}

func addNote(r *http.Request) (int, any, error) {
	var note struct {
		Text string `json:"text"`
	}
	if err := sdk.Bind(r, &note); err != nil {
		return 0, nil, err
	}
	rec, err := sdk.From(r).Records("notes").Insert(r.Context(), note)
	return 201, rec, err
}

func main() { sdk.Serve(&plugin) }
