// Command posyandu is a vendor-like test plugin: a register of children
// weighed at the village health post, with personal fields (NIK, name,
// birth date) it does nothing to protect itself. The host masks them for
// callers without posyandu.children.read_personal, audits every read that
// shows them, and leaves villages where the module is off out of the
// district's roll-up.
package main

import (
	"net/http"

	"github.com/balaidesa/balai/sdk"
)

const (
	permRead     = "posyandu.children.read"
	permWrite    = "posyandu.children.write"
	permPersonal = "posyandu.children.read_personal"
)

var manifest = sdk.Manifest{
	ID: "posyandu", Version: "0.1.0", Vendor: "Balai tests", Description: "children weighed at the posyandu",
	Permissions: []sdk.Permission{
		{Name: permRead, Roles: []string{"viewer", "operator"}},
		{Name: permWrite, Roles: []string{"operator"}},
		{Name: permPersonal, Description: "see children's NIK, name and birth date in full (audited)", Roles: []string{"operator"}},
	},
	Routes: []sdk.Route{
		{Method: "GET", Path: "/children", Permission: permRead},
		{Method: "POST", Path: "/children", Permission: permWrite},
		{Method: "GET", Path: "/rollup", Permission: permRead},
	},
	Collections: []sdk.Collection{{
		Name: "children",
		Fields: []sdk.Field{
			{Name: "nik", Type: sdk.String, Required: true, Personal: true},
			{Name: "name", Type: sdk.String, Required: true, Personal: true},
			{Name: "birth_date", Type: sdk.Date, Personal: true},
			{Name: "weight_kg", Type: sdk.Float},
		},
		Indexes:            []sdk.Index{{Fields: []string{"nik"}, Unique: true}},
		PersonalPermission: permPersonal,
	}},
}

func main() {
	mux := http.NewServeMux()
	mux.Handle("GET /children", sdk.Func(func(r *http.Request) (int, any, error) {
		q := sdk.From(r).Records("children").Query().WithTotal().OrderBy("nik", false)
		if sdk.From(r).TenantLevel != "village" {
			q = q.Subtree()
		}
		recs, total, err := q.Run(r.Context())
		return http.StatusOK, sdk.ListOf[sdk.Record]{Items: recs, Total: total}, err
	}))
	mux.Handle("POST /children", sdk.Func(func(r *http.Request) (int, any, error) {
		var child map[string]any
		if err := sdk.Bind(r, &child); err != nil {
			return 0, nil, err
		}
		rec, err := sdk.From(r).Records("children").Insert(r.Context(), child)
		return http.StatusCreated, rec, err
	}))
	// The roll-up counts children per village below the caller's tenant.
	mux.Handle("GET /rollup", sdk.Func(func(r *http.Request) (int, any, error) {
		groups, err := sdk.From(r).Records("children").Aggregate(r.Context(), []string{"tenant"}, []string{"weight_kg"}, true)
		return http.StatusOK, map[string]any{"villages": groups}, err
	}))
	sdk.Serve(manifest, mux)
}
