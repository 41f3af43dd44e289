package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk/sdktest"
)

func TestStatsPerRegion(t *testing.T) {
	clock := sdktest.NewClock(time.Now())
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) { testStatsPerRegion(t, h, clock) }, sdktest.WithClock(clock.Now))
}

// statsAnswer is the answer of GET /stats.
type statsAnswer struct {
	Tenant string        `json:"tenant"`
	By     string        `json:"by"`
	Items  []statsRow    `json:"items"`
	Total  int64         `json:"total"`
	L      int64         `json:"l"`
	P      int64         `json:"p"`
	Per    string        `json:"per"`
	Rows   []tenantStats `json:"rows"`
}

// cells is a table's rows as key -> [l, p].
func cells(rows []statsRow) map[string][2]int64 {
	m := map[string][2]int64{}
	for _, r := range rows {
		m[r.Key] = [2]int64{r.L, r.P}
	}
	return m
}

func sameCells(a, b map[string][2]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func testStatsPerRegion(t *testing.T, h *sdktest.Host, clock *sdktest.Clock) {
	reg := buildRegister(t, h, clock)
	// Living on the village's December 1st, 2026: in A Ani (P, born 2026)
	// and Wati (P, 1999); in B Siti (P, 1985, moved from A), Dedi (L,
	// 1988) and Bayu (L, 2026). Blood types: Wati A, Siti O, the others
	// not known.
	kab := h.User("kab-op", "operator", "14.01")
	for name, blood := range map[string]string{"Wati": "1", "Siti": "4"} {
		tenant := villageA
		if name == "Siti" {
			tenant = villageB
		}
		if res := kab.Patch(tenant, "/residents/"+reg.ids[name], map[string]string{"blood_type": blood}); res.Status != http.StatusOK {
			t.Fatalf("blood type of %s: %d %s", name, res.Status, res.Body)
		}
	}
	anon := h.Anonymous()
	get := func(c *sdktest.Client, tenant, query string) statsAnswer {
		t.Helper()
		res := c.Get(tenant, "/stats"+query)
		if res.Status != http.StatusOK {
			t.Fatalf("GET %s/stats%s: %d %s", tenant, query, res.Status, res.Body)
		}
		var s statsAnswer
		res.JSON(&s)
		return s
	}
	type region struct {
		tenant string
		cells  map[string][2]int64
	}
	cases := []struct {
		name, tenant, query string
		living              int64
		total               map[string][2]int64
		rows                []region
	}{
		{"sex per district", "14.01", "?by=sex&per=district", 5,
			map[string][2]int64{"L": {2, 0}, "P": {0, 3}},
			[]region{{"14.01.01", map[string][2]int64{"P": {0, 2}}}, {"14.01.02", map[string][2]int64{"L": {2, 0}, "P": {0, 1}}}}},
		{"blood type per village", "14.01", "?by=blood_type&per=village", 5,
			map[string][2]int64{"1": {0, 1}, "4": {0, 1}, "unknown": {2, 1}},
			[]region{{villageA, map[string][2]int64{"1": {0, 1}, "unknown": {0, 1}}}, {villageB, map[string][2]int64{"4": {0, 1}, "unknown": {2, 0}}}}},
		{"age groups of a district, per village", "14.01.02", "?by=age_group&per=child", 3,
			map[string][2]int64{"0-4": {1, 0}, "35-39": {1, 0}, "40-44": {0, 1}},
			[]region{{villageB, map[string][2]int64{"0-4": {1, 0}, "35-39": {1, 0}, "40-44": {0, 1}}}}},
		{"religion of the regency, no breakdown", "14.01", "?by=religion", 5,
			map[string][2]int64{"1": {2, 3}}, nil},
	}
	for _, c := range cases {
		got := get(anon, c.tenant, c.query)
		if !sameCells(cells(got.Items), c.total) || got.Total != c.living {
			t.Errorf("%s: total %v (%d), want %v", c.name, cells(got.Items), got.Total, c.total)
		}
		if len(got.Rows) != len(c.rows) {
			t.Errorf("%s: %d rows, want %d: %+v", c.name, len(got.Rows), len(c.rows), got.Rows)
			continue
		}
		var sum int64
		for i, w := range c.rows {
			r := got.Rows[i]
			if r.Tenant != w.tenant || !sameCells(cells(r.Items), w.cells) || r.Name == "" {
				t.Errorf("%s: row %d is %s %q %v, want %s %v", c.name, i, r.Tenant, r.Name, cells(r.Items), w.tenant, w.cells)
			}
			sum += r.Total
		}
		if c.rows != nil && sum != got.Total {
			t.Errorf("%s: rows sum to %d, total %d", c.name, sum, got.Total)
		}
	}
	// Every breakdown, per district: the rows add up to the total.
	for by := range statsBy {
		got := get(anon, "14.01", "?per=child&by="+by)
		var sum, l, p int64
		for _, r := range got.Rows {
			sum += r.Total
			l += r.L
			p += r.P
		}
		if got.Total != 5 || sum != 5 || l != got.L || p != got.P || got.Per != "district" {
			t.Errorf("by=%s: total %d, rows %d (l %d p %d), per %q", by, got.Total, sum, l, p, got.Per)
		}
	}
	// A single village needs a login; its own operator reads it.
	if got := get(h.User("op-b", "operator", villageB), villageB, "?by=blood_type"); !sameCells(cells(got.Items), map[string][2]int64{"4": {0, 1}, "unknown": {2, 0}}) {
		t.Errorf("village B by blood type: %v", cells(got.Items))
	}
	for _, c := range []struct {
		name, tenant, query string
		status              int
		code                string
	}{
		{"unknown breakdown", "14.01", "?by=shoe_size", 400, "invalid_by"},
		{"per at a village", villageA, "?per=village", 403, "forbidden"},
		{"per above the tenant", "14.01", "?per=province", 400, "invalid_per"},
		{"per of the same level", "14.01.01", "?per=district", 400, "invalid_per"},
		{"a village to the public", villageA, "?by=sex", 403, "forbidden"},
	} {
		res := anon.Get(c.tenant, "/stats"+c.query)
		if res.Status != c.status || string(res.ErrorCode()) != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.name, res.Status, res.Body, c.status, c.code)
		}
	}
	if res := kab.Get(villageA, "/stats?per=village"); res.Status != 400 || res.ErrorCode() != "invalid_per" {
		t.Errorf("per at a village: %d %s", res.Status, res.Body)
	}
}
