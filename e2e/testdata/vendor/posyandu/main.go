// Command posyandu is a vendor's plugin as the vendor guide teaches it to
// be written: a posyandu (child health post) register of weighings, with
// the child's NIK and name as personal data and a roll-up for the district.
// e2e/vendor_test.go builds it in a module of its own, outside the
// repository, against the SDK module alone.
package main

import (
	"errors"
	"net/http"
	"strings"

	"github.com/balaidesa/balai/sdk"
)

const (
	read         = "posyandu.visits.read"
	write        = "posyandu.visits.write"
	readPersonal = "posyandu.visits.read_personal"
)

// codeFutureDate answers a weighing dated after the village's today.
const codeFutureDate sdk.Code = "visit_in_future"

// Plugin is the whole plugin: manifest and handlers.
var Plugin = sdk.Plugin{
	ID: "posyandu", Version: "0.1.0", Vendor: "Contoh Vendor", Description: "Posyandu weighing register",
	Permissions: []sdk.Permission{
		{Name: read, Roles: []string{"viewer", "operator"}},
		{Name: write, Roles: []string{"operator"}},
		{Name: readPersonal, Roles: []string{"operator"}},
	},
	Routes: []sdk.Route{
		{Method: "GET", Path: "/visits", Permission: read, Handler: sdk.Func(func(r *http.Request) (int, any, error) {
			return sdk.From(r).Records("visits").List(r)
		})},
		{Method: "POST", Path: "/visits", Permission: write, Handler: sdk.Func(addVisit)},
		{Method: "GET", Path: "/visits/{id}", Permission: read, Handler: sdk.Func(getVisit)},
		{Method: "GET", Path: "/rollup", Permission: read, Handler: sdk.Func(rollup)},
	},
	Collections: []sdk.Collection{{
		Name: "visits",
		Fields: []sdk.Field{
			{Name: "child_nik", Type: sdk.String, Required: true, Personal: true},
			{Name: "child_name", Type: sdk.String, Required: true, Personal: true},
			{Name: "weight_kg", Type: sdk.Float, Required: true},
			{Name: "visit_date", Type: sdk.Date, Required: true},
		},
		PersonalPermission: readPersonal,
	}},
}

func main() { sdk.Serve(&Plugin) }

// Visit is a weighing as clients send and read it.
type Visit struct {
	ChildNIK  string  `json:"child_nik"`
	ChildName string  `json:"child_name"`
	WeightKg  float64 `json:"weight_kg"`
	VisitDate string  `json:"visit_date,omitempty"`
}

func addVisit(r *http.Request) (int, any, error) {
	var v Visit
	if err := sdk.Bind(r, &v); err != nil {
		return 0, nil, err
	}
	req := sdk.From(r)
	if len(v.ChildNIK) != 16 || strings.Trim(v.ChildNIK, "0123456789") != "" {
		return 0, nil, &sdk.Error{Status: 422, Code: sdk.CodeInvalid, Message: "child_nik must be 16 digits", Field: "child_nik"}
	}
	if v.WeightKg <= 0 || v.WeightKg > 40 {
		return 0, nil, &sdk.Error{Status: 422, Code: sdk.CodeInvalid, Message: "weight_kg must be above 0 and at most 40", Field: "weight_kg"}
	}
	if v.VisitDate == "" {
		v.VisitDate = req.Today() // the village's date, not the server's
	}
	if v.VisitDate > req.Today() {
		return 0, nil, sdk.Errorf(422, codeFutureDate, "visit_date %s is after today (%s)", v.VisitDate, req.Today())
	}
	rec, err := req.Records("visits").Insert(r.Context(), v)
	return http.StatusCreated, rec, err
}

func getVisit(r *http.Request) (int, any, error) {
	rec, err := sdk.From(r).Records("visits").Get(r.Context(), r.PathValue("id"))
	if errors.Is(err, sdk.ErrNotFound) {
		return 0, nil, sdk.Errorf(404, sdk.CodeNotFound, "no such visit")
	}
	return http.StatusOK, rec, err
}

// rollup counts the weighings of each village below the caller's tenant
// (where the module is enabled) since ?from=, with their total weight.
func rollup(r *http.Request) (int, any, error) {
	a := sdk.Aggregation{GroupBy: []string{sdk.FieldTenant}, Sum: []string{"weight_kg"}, Subtree: true}
	if from := r.URL.Query().Get("from"); from != "" {
		a.Where = []sdk.Filter{{Field: "visit_date", Op: sdk.Ge, Value: from}}
	}
	groups, err := sdk.From(r).Records("visits").Aggregate(r.Context(), a)
	if err != nil {
		return 0, nil, err
	}
	type row struct {
		Village  string  `json:"village"`
		Visits   int64   `json:"visits"`
		WeightKg float64 `json:"weight_kg"`
	}
	out := []row{}
	for _, g := range groups {
		out = append(out, row{Village: g.Key[0].(string), Visits: g.Count, WeightKg: g.Sums[0]})
	}
	return http.StatusOK, map[string]any{"villages": out}, nil
}
