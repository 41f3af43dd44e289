// Package performancetest checks a module's GET /performance through the
// test kit's host (sdk/sdktest): the unit tests of services, complaints,
// finance and population state their cases as a table and run them here.
package performancetest

import (
	"net/http"
	"testing"

	"github.com/balaidesa/balai/plugins/services/performance"
	"github.com/balaidesa/balai/sdk"
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
