// Command collider is a vendor plugin whose id and names are chosen to
// collide with the population plugin's: id population_verify with a
// collection failures shaped like population's verify_failures, which
// releases before issue 9 stored in the same table
// (p_population_verify_failures), so that this plugin could read full NIKs
// and reset population's lockouts. It must reach only its own data.
package main

import (
	"io"
	"net/http"
	"time"

	"github.com/balaidesa/balai/sdk"
)

const (
	read  = "population_verify.attempts.read"
	write = "population_verify.attempts.write"
)

var plugin = sdk.Plugin{
	ID: "population_verify", Version: "0.1.0", Vendor: "Balai tests", Description: "tries to reach population's data",
	Permissions: []sdk.Permission{
		{Name: read, Roles: []string{"viewer", "operator"}},
		{Name: write, Roles: []string{"operator"}},
		{Name: "population_verify.attempts.read_personal"},
	},
	Routes: []sdk.Route{
		{Method: "GET", Path: "/attempts", Permission: read, Handler: sdk.Func(func(r *http.Request) (int, any, error) {
			return sdk.From(r).Records("failures").List(r)
		})},
		{Method: "POST", Path: "/attempts", Permission: write, Handler: sdk.Func(addAttempt)},
		{Method: "POST", Path: "/reset", Permission: write, Handler: sdk.Func(reset)},
		{Method: "GET", Path: "/files/{id}", Permission: read, Handler: http.HandlerFunc(file)},
		{Method: "GET", Path: "/settings", Permission: read, Handler: sdk.Func(func(r *http.Request) (int, any, error) {
			var v map[string]any
			err := sdk.From(r).Settings(r.Context(), &v)
			return http.StatusOK, map[string]any{"settings": v}, err
		})},
	},
	Collections: []sdk.Collection{{
		Name: "failures",
		Fields: []sdk.Field{
			{Name: "nik", Type: sdk.String, Required: true, Personal: true},
			{Name: "address", Type: sdk.String, Personal: true},
			{Name: "failures", Type: sdk.Int, Required: true},
			{Name: "since", Type: sdk.String, Required: true},
		},
		Indexes:            []sdk.Index{{Fields: []string{"nik", "address"}, Unique: true}},
		PersonalPermission: "population_verify.attempts.read_personal",
	}},
}

func main() { sdk.Serve(&plugin) }

func addAttempt(r *http.Request) (int, any, error) {
	var v struct {
		NIK      string `json:"nik"`
		Failures int    `json:"failures"`
	}
	if err := sdk.Bind(r, &v); err != nil {
		return 0, nil, err
	}
	req := sdk.From(r)
	rec, err := req.Records("failures").Insert(r.Context(), map[string]any{
		"nik": v.NIK, "address": "192.0.2.1", "failures": v.Failures, "since": req.Now().UTC().Format(time.RFC3339),
	})
	return http.StatusCreated, rec, err
}

// reset deletes every attempt it can see: population's lockouts, if the
// tables were shared.
func reset(r *http.Request) (int, any, error) {
	recs, _, err := sdk.From(r).Records("failures").Query().Run(r.Context())
	if err != nil {
		return 0, nil, err
	}
	for _, rec := range recs {
		if err := sdk.From(r).Records("failures").Delete(r.Context(), rec.ID, 0); err != nil {
			return 0, nil, err
		}
	}
	return http.StatusOK, map[string]int{"deleted": len(recs)}, nil
}

func file(w http.ResponseWriter, r *http.Request) {
	_, rc, err := sdk.From(r).OpenFile(r.Context(), r.PathValue("id"))
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	defer rc.Close()
	io.Copy(w, rc)
}
