// Package performancetest checks a module's GET /performance (package
// sdk/performance) through the test kit's host (sdk/sdktest): the unit
// tests of services, complaints, finance and population state their cases
// as a table and run them here. Villages checks the villages of any
// roll-up by village the same way.
//
// It lives in the test kit's module, not in the sdk module beside
// performance, because it needs sdktest, and sdktest requires sdk: a
// package of sdk importing sdktest would make the two modules depend on
// each other. Here a vendor's module gets it with the test kit it already
// requires for its tests, and the sdk module stays free of test helpers.
package performancetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/performance"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// Case is one GET /performance and what it must answer.
type Case struct {
	Name string
	// Client asks at Tenant with the query string Query ("year=2026&quarter=1").
	Client *sdktest.Client
	Tenant string
	Query  string
	// Total is the number of villages; Want the items of the page, by
	// village code (a zero Value: nothing measured, null over 0).
	Total int64
	Want  map[string]performance.Value
}

// Run checks each case: 200, the one measure key, the total, and exactly
// the villages of Want in code order with their figures.
func Run(t *testing.T, key string, cases []Case) {
	t.Helper()
	for _, c := range cases {
		var ans performance.Answer
		res := c.Client.Get(c.Tenant, "/performance?"+c.Query)
		if res.JSON(&ans); res.Status != http.StatusOK {
			t.Errorf("%s: %d %s", c.Name, res.Status, res.Body)
			continue
		}
		if ans.Total != c.Total || len(ans.Items) != len(c.Want) || len(ans.Measures) != 1 || ans.Measures[0].Key != key {
			t.Errorf("%s: %s", c.Name, res.Body)
			continue
		}
		for i, it := range ans.Items {
			want, ok := c.Want[it.Tenant]
			if got := it.Values[key]; !ok || !got.Same(want) {
				t.Errorf("%s: %s = %s, want %s", c.Name, it.Tenant, got, want)
			}
			if i > 0 && ans.Items[i-1].Tenant >= it.Tenant {
				t.Errorf("%s: items not in code order: %s before %s", c.Name, ans.Items[i-1].Tenant, it.Tenant)
			}
		}
	}
}

// Refused checks that c is answered 400 with the code of each query
// string at tenant, and that neighbour (a user of another village) is
// refused there.
func Refused(t *testing.T, c, neighbour *sdktest.Client, tenant string, bad map[string]sdk.Code) {
	t.Helper()
	for q, code := range bad {
		if res := c.Get(tenant, "/performance?"+q); res.Status != http.StatusBadRequest || res.ErrorCode() != code {
			t.Errorf("?%s: %d %s, want 400 %s", q, res.Status, res.Body, code)
		}
	}
	if res := neighbour.Get(tenant, "/performance?year=2026"); res.Status != http.StatusForbidden {
		t.Errorf("a neighbour village's user: %d %s, want 403", res.Status, res.Body)
	}
}

// Pct is a percent value to want.
func Pct(num, den int64, value float64) performance.Value {
	return performance.Value{Value: &value, Numerator: num, Denominator: den}
}

// Ask is a Case (for a table without field names).
func Ask(name string, c *sdktest.Client, tenant, query string, total int64, want map[string]performance.Value) Case {
	return Case{Name: name, Client: c, Tenant: tenant, Query: query, Total: total, Want: want}
}

// Villages checks, on each database, that a module's roll-up by village
// (path, such as "/summary") lists the villages sdk.Request.VillagesWith
// gives, in code order. It makes the villages 14.01.01.2001,
// 14.01.01.2002 (the module off) and 14.01.02.2001 and asks as a viewer of
// the regency: at the regency both villages with the module, named, with
// their district's name when district is not empty; at the district
// 14.01.01 its one village with the module and no district; at the village
// 14.01.01.2001 itself. The answer's list is the field list, each row's
// code, name and district name the fields code, "name" and district.
// more, if not nil, checks more on the same host.
func Villages(t *testing.T, p *sdk.Plugin, path, list, code, district string, more func(*testing.T, *sdktest.Host)) {
	t.Helper()
	sdktest.Each(t, p, func(t *testing.T, h *sdktest.Host) {
		for _, v := range []string{"14.01.02.2001", "14.01.01.2002", "14.01.01.2001"} {
			h.Tenant(v)
		}
		h.Enable("14.01")
		h.Disable("14.01.01.2002")
		viewer := h.User("rollup-viewer", "viewer", "14.01")
		regency := "14.01.01.2001/Tenant 14.01.01.2001/ 14.01.02.2001/Tenant 14.01.02.2001/"
		if district != "" {
			regency = "14.01.01.2001/Tenant 14.01.01.2001/Tenant 14.01.01 14.01.02.2001/Tenant 14.01.02.2001/Tenant 14.01.02"
		}
		for _, c := range []struct{ tenant, want string }{
			{"14.01", regency},
			{"14.01.01", "14.01.01.2001/Tenant 14.01.01.2001/"},
			{"14.01.01.2001", "14.01.01.2001/Tenant 14.01.01.2001/"},
		} {
			res := viewer.Get(c.tenant, path)
			if res.Status != http.StatusOK {
				t.Fatalf("%s at %s: %d %s", path, c.tenant, res.Status, res.Body)
			}
			var ans map[string]json.RawMessage
			var rows []map[string]any
			if res.JSON(&ans); json.Unmarshal(ans[list], &rows) != nil {
				t.Fatalf("%s at %s: no list %s in %s", path, c.tenant, list, res.Body)
			}
			var got []string
			for _, r := range rows {
				d, _ := r[district].(string)
				got = append(got, fmt.Sprint(r[code])+"/"+fmt.Sprint(r["name"])+"/"+d)
			}
			if g := strings.Join(got, " "); g != c.want {
				t.Errorf("%s at %s: villages %q, want %q", path, c.tenant, g, c.want)
			}
		}
		if more != nil {
			more(t, h)
		}
	})
}
