package sdk_test

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/balaidesa/balai/sdk"
)

// A plugin is one value: its manifest and its routes, each carrying its
// handler. main hands it to sdk.Serve.
func ExamplePlugin() {
	plugin := sdk.Plugin{
		ID: "hello", Version: "1.0.0", Vendor: "Desa Digital",
		Permissions: []sdk.Permission{
			{Name: "hello.notes.read", Roles: []string{"viewer", "operator"}},
			{Name: "hello.notes.write", Roles: []string{"operator"}},
		},
		Routes: []sdk.Route{
			{Method: "GET", Path: "/greeting", Public: true, Handler: sdk.Func(func(r *http.Request) (int, any, error) {
				return http.StatusOK, map[string]string{"greeting": "Selamat datang di " + sdk.From(r).Tenant}, nil
			})},
			{Method: "GET", Path: "/notes", Permission: "hello.notes.read", Handler: sdk.Func(func(r *http.Request) (int, any, error) {
				return sdk.From(r).Records("notes").List(r)
			})},
		},
		Collections: []sdk.Collection{{Name: "notes", Fields: []sdk.Field{{Name: "text", Type: sdk.String, Required: true}}}},
	}
	// In main: sdk.Serve(&plugin). Here, serve one request as the host would.
	fmt.Println(get(&plugin, "/greeting", "14.01.01.2009", "Asia/Jakarta", time.Now()))
	// Output: {"greeting":"Selamat datang di 14.01.01.2009"}
}

// Validate names every mistake at once, as sdk.Serve does when the plugin
// starts and the host shows the operator.
func ExamplePlugin_Validate() {
	plugin := sdk.Plugin{
		ID: "posyandu", Version: "0.1.0",
		Permissions: []sdk.Permission{{Name: "posyandu.visits.read"}},
		Routes: []sdk.Route{
			{Method: "GET", Path: "/visits", Permission: "posyandu.visitz.read", Handler: http.NotFoundHandler()},
			{Method: "GET", Path: "/visits/{id}", Permission: "posyandu.visits.read"},
		},
	}
	fmt.Println(plugin.Validate())
	// Output: invalid manifest for plugin "posyandu": route GET /visits: permission posyandu.visitz.read is not declared; route GET /visits/{id} has no handler
}

// A query names its comparisons with the Op constants and pseudo-fields
// with the Field constants.
func ExampleQuery() {
	_ = sdk.Func(func(r *http.Request) (int, any, error) {
		req := sdk.From(r)
		since := req.Now().AddDate(0, -1, 0).Format(time.DateOnly)
		visits, total, err := req.Records("visits").Query().
			Where("visit_date", sdk.Ge, since).
			Where("status", sdk.In, []string{"weighed", "referred"}).
			Where("child_nik", sdk.Prefix, "1401").
			OrderBy(sdk.FieldCreatedAt, true).
			Page(0, 20).WithTotal().
			Run(r.Context())
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, sdk.ListOf[sdk.Record]{Items: visits, Total: total}, nil
	})
}

// A roll-up counts in the database, across the villages below a district
// where the module is enabled.
func ExampleRecords_Aggregate() {
	_ = sdk.Func(func(r *http.Request) (int, any, error) {
		groups, err := sdk.From(r).Records("visits").Aggregate(r.Context(), sdk.Aggregation{
			GroupBy: []string{sdk.FieldTenant, "status"},
			Sum:     []string{"weight_kg"},
			Subtree: true,
			Where:   []sdk.Filter{{Field: "visit_date", Op: sdk.Ge, Value: "2026-01-01"}},
		})
		if err != nil {
			return 0, nil, err
		}
		out := map[string]int64{}
		for _, g := range groups {
			out[g.Key[0].(string)] += g.Count // Key in GroupBy order
		}
		return http.StatusOK, out, nil
	})
}

// A batch commits its writes, events and audit entries together; each
// write's handle holds its record after Commit.
func ExampleBatch() {
	_ = sdk.Func(func(r *http.Request) (int, any, error) {
		req := sdk.From(r)
		b := req.Batch()
		child := b.Insert("children", map[string]any{"nik": "1401010101200001", "name": "Ayu"})
		visit := b.Insert("visits", map[string]any{"child_nik": "1401010101200001", "visit_date": req.Today()})
		b.Publish("posyandu.child_registered", map[string]string{"village": req.Tenant})
		b.Audit("child.register", "", nil)
		if err := b.Commit(r.Context()); err != nil {
			return 0, nil, err // nothing was stored
		}
		return http.StatusCreated, map[string]string{"child": child.Record.ID, "visit": visit.Record.ID}, nil
	})
}

// Storage and the host's services return errors that errors.Is matches
// against the sentinels by code, however they are wrapped; a plugin's own
// codes are typed constants.
func ExampleError() {
	const codeNotRegistered sdk.Code = "child_not_registered"

	err := fmt.Errorf("loading child: %w", &sdk.Error{Status: 404, Code: sdk.CodeNotFound, Message: "record not found"})
	if errors.Is(err, sdk.ErrNotFound) {
		err = sdk.Errorf(http.StatusUnprocessableEntity, codeNotRegistered, "register the child before a visit")
	}
	var e *sdk.Error
	if errors.As(err, &e) {
		fmt.Println(e.Status, e.Code, e.Message)
	}
	fmt.Println(errors.Is(sdk.Errorf(409, sdk.CodeDuplicate, "NIK taken"), sdk.ErrDuplicate))
	// Output:
	// 422 child_not_registered register the child before a visit
	// true
}

// Today and Now are the tenant's: at 23:30 UTC a village in Papua (WIT) is
// already in the next morning.
func ExampleRequest_Today() {
	plugin := sdk.Plugin{ID: "posyandu", Version: "1.0.0", Routes: []sdk.Route{{
		Method: "GET", Path: "/today", Public: true,
		Handler: sdk.Func(func(r *http.Request) (int, any, error) {
			req := sdk.From(r)
			return http.StatusOK, map[string]string{"today": req.Today(), "now": req.Now().Format("15:04 MST")}, nil
		}),
	}}}
	at := time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC)
	fmt.Println(get(&plugin, "/today", "94.71.01.1001", "Asia/Jayapura", at))
	fmt.Println(get(&plugin, "/today", "14.01.01.2009", "Asia/Jakarta", at.Add(-8*time.Hour)))
	// Output:
	// {"now":"08:30 WIT","today":"2026-12-01"}
	// {"now":"22:30 WIB","today":"2026-11-30"}
}
