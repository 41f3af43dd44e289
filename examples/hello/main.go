// Command hello is the smallest complete Balai plugin: a greeting and a
// tenant's notes. Copy it to start your own.
package main

import (
	"net/http"

	"github.com/balaidesa/balai/sdk"
)

var manifest = sdk.Manifest{
	ID: "hello", Version: "1.0.0", Vendor: "Balai", Description: "Greets the caller and keeps notes per village",
	Permissions: []sdk.Permission{
		{Name: "hello.notes.read", Description: "read notes", Roles: []string{"viewer", "operator"}},
		{Name: "hello.notes.write", Description: "write notes", Roles: []string{"operator"}},
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
	mux.HandleFunc("GET /greeting", func(w http.ResponseWriter, r *http.Request) {
		req := sdk.From(r)
		sdk.JSON(w, http.StatusOK, map[string]string{"tenant": req.Tenant, "user": req.User})
	})
	mux.HandleFunc("POST /notes", func(w http.ResponseWriter, r *http.Request) {
		var note struct {
			Text string `json:"text"`
		}
		if !sdk.Decode(w, r, &note) {
			return
		}
		rec, err := sdk.From(r).Records("notes").Insert(r.Context(), note)
		if err != nil {
			sdk.FailErr(w, r, err)
			return
		}
		sdk.JSON(w, http.StatusCreated, map[string]any{"id": rec.ID, "text": note.Text})
	})
	mux.HandleFunc("GET /notes", func(w http.ResponseWriter, r *http.Request) {
		recs, total, err := sdk.From(r).Records("notes").Query().Page(0, 500).WithTotal().Run(r.Context())
		if err != nil {
			sdk.FailErr(w, r, err)
			return
		}
		items := make([]map[string]any, 0, len(recs))
		for _, rec := range recs {
			var n struct{ Text string }
			rec.Decode(&n)
			items = append(items, map[string]any{"id": rec.ID, "text": n.Text, "created_at": rec.CreatedAt})
		}
		sdk.JSON(w, http.StatusOK, map[string]any{"items": items, "total": total})
	})
	return mux
}

func main() { sdk.Serve(manifest, handler()) }
