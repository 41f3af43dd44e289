// Command posyandu is a vendor-like test plugin: a register of children
// weighed at the village health post, with personal fields (NIK, name,
// birth date) it does nothing to protect itself. The host masks them for
// callers without posyandu.children.read_personal, audits every read that
// shows them, and leaves villages where the module is off out of the
// district's roll-up. An event delivery has no caller: it reads them in
// full, unaudited.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/balaidesa/balai/sdk"
)

const (
	permRead     = "posyandu.children.read"
	permWrite    = "posyandu.children.write"
	permPersonal = "posyandu.children.read_personal"
)

var plugin = sdk.Plugin{
	ID: "posyandu", Version: "0.1.0", Vendor: "Balai tests", Description: "children weighed at the posyandu",
	Permissions: []sdk.Permission{
		{Name: permRead, Roles: []string{"viewer", "operator"}},
		{Name: permWrite, Roles: []string{"operator"}},
		{Name: permPersonal, Description: "see children's NIK, name and birth date in full (audited)", Roles: []string{"operator"}},
	},
	Routes: []sdk.Route{
		{Method: "GET", Path: "/children", Permission: permRead, Handler: sdk.Func(listChildren)},
		{Method: "POST", Path: "/children", Permission: permWrite, Handler: sdk.Func(addChild)},
		{Method: "GET", Path: "/rollup", Permission: permRead, Handler: sdk.Func(rollup)},
		{Method: "GET", Path: "/checks", Permission: permRead, Handler: sdk.Func(func(r *http.Request) (int, any, error) {
			return sdk.From(r).Records("checks").List(r)
		})},
		{Method: "POST", Path: "/claims", Public: true, Handler: sdk.Func(checkClaim)},
	},
	Publishes: []string{"posyandu.child_registered"},
	Consumes:  []sdk.Consumer{{Event: "posyandu.child_registered", Handle: checkChild}},
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
	}, {
		// checks records what the event handler read of each new child.
		Name:   "checks",
		Fields: []sdk.Field{{Name: "child", Type: sdk.String, Required: true}, {Name: "nik_in_full", Type: sdk.Bool, Required: true}},
	}},
}

func main() { sdk.Serve(&plugin) }

func listChildren(r *http.Request) (int, any, error) {
	q := sdk.From(r).Records("children").Query().WithTotal().OrderBy("nik", false)
	if sdk.From(r).Level != sdk.Village {
		q = q.Subtree()
	}
	recs, total, err := q.Run(r.Context())
	return http.StatusOK, sdk.ListOf[sdk.Record]{Items: recs, Total: total}, err
}

func addChild(r *http.Request) (int, any, error) {
	var child map[string]any
	if err := sdk.Bind(r, &child); err != nil {
		return 0, nil, err
	}
	req := sdk.From(r)
	rec, err := req.Records("children").Insert(r.Context(), child)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, rec, req.Publish(r.Context(), "posyandu.child_registered", map[string]string{"id": rec.ID})
}

// rollup counts children per village below the caller's tenant.
func rollup(r *http.Request) (int, any, error) {
	groups, err := sdk.From(r).Records("children").Aggregate(r.Context(), sdk.Aggregation{GroupBy: []string{sdk.FieldTenant}, Sum: []string{"weight_kg"}, Subtree: true})
	return http.StatusOK, map[string]any{"villages": groups}, err
}

// checkClaim answers a parent, without a login, whether the name they give
// is the one registered for a NIK: the plugin compares the real name
// (revealed, and so audited) and shows nothing of it.
func checkClaim(r *http.Request) (int, any, error) {
	var claim struct {
		NIK  string `json:"nik"`
		Name string `json:"name"`
	}
	if err := sdk.Bind(r, &claim); err != nil {
		return 0, nil, err
	}
	rec, err := sdk.From(r).Records("children").Reveal("check a parent's claim").GetBy(r.Context(), "nik", claim.NIK)
	if errors.Is(err, sdk.ErrNotFound) {
		return http.StatusOK, map[string]bool{"match": false}, nil
	} else if err != nil {
		return 0, nil, err
	}
	var c struct{ Name string }
	if err := rec.Decode(&c); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]bool{"match": strings.EqualFold(c.Name, claim.Name)}, nil
}

// checkChild reads the new child as an event handler and notes whether its
// NIK came unmasked.
func checkChild(ctx context.Context, ev sdk.Event) error {
	var p struct{ ID string }
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		return err
	}
	req := sdk.FromContext(ctx)
	rec, err := req.Records("children").Get(ctx, p.ID)
	if err != nil {
		return err
	}
	var c struct{ NIK string }
	if err := rec.Decode(&c); err != nil {
		return err
	}
	_, err = req.Records("checks").Insert(ctx, map[string]any{"child": p.ID, "nik_in_full": c.NIK != "" && !strings.Contains(c.NIK, "*")})
	return err
}
