package main

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// A Kampar-sized data set: 250 villages in 21 districts, each with 12
// projects in the budget year (the Dana Desa of a village in Riau pays
// for 5 to 15 physical projects a year), two thirds of them with two
// progress reports: 3,000 projects and 4,000 reports, on 1 September,
// when most are under way and some behind.
const (
	benchDistricts        = 21
	benchVillages         = 250
	benchProjectsPerVill  = 12
	benchVillageForLists  = "14.01.01.2001"
	benchDistrictForLists = "14.01.01"
)

func benchVillage(i int) string {
	return fmt.Sprintf("14.01.%02d.%04d", i%benchDistricts+1, 2001+i/benchDistricts)
}

// seedBench builds the data set through the API (as villages would) and
// returns the host and the time it took.
func seedBench(b *testing.B, opts ...sdktest.Option) (*sdktest.Host, time.Duration) {
	clock := sdktest.NewClock(time.Date(2026, 9, 1, 3, 0, 0, 0, time.UTC))
	h := sdktest.New(b, &plugin, append(opts, sdktest.WithClock(clock.Now))...)
	for i := range benchVillages {
		h.Tenant(benchVillage(i))
	}
	h.Enable("14.01")
	op := h.User("bench-op", "operator", "14.01")
	start := time.Now()
	n := 0
	for i := range benchVillages {
		v := benchVillage(i)
		for j := range benchProjectsPerVill {
			n++
			month := 2 + j%7 // starts February to August
			body := map[string]any{
				"name": fmt.Sprintf("Proyek %d desa %s", j, v), "kind": kinds[j%len(kinds)].Code, "year": 2026,
				"funding": []map[string]any{
					{"source": "dana_desa", "amount": 50_000_000 + int64(j)*10_000_000},
					{"source": "swadaya", "amount": 2_000_000},
				},
				"location":      map[string]any{"dusun": fmt.Sprintf("Dusun %d", j%4+1), "rt": "001", "rw": "001"},
				"planned_start": fmt.Sprintf("2026-%02d-01", month), "planned_end": fmt.Sprintf("2026-%02d-28", month+3),
				"volume": 100 + j*10, "unit": "m", "beneficiaries": 100 + j,
			}
			res := op.Post(v, "/projects", body)
			if res.Status != 201 {
				b.Fatalf("seeding: %d %s", res.Status, res.Body)
			}
			if j%3 == 2 {
				continue
			}
			var p ProjectView
			res.JSON(&p)
			for k, pct := range []int{10 + j*3, 30 + j*5} {
				r := op.Post(v, "/projects/"+p.ID+"/progress", map[string]any{
					"date": fmt.Sprintf("2026-%02d-%02d", month, 10+k*10), "percent": pct, "spent": int64(pct) * p.Budget / 110,
				})
				if r.Status != 201 {
					b.Fatalf("seeding a report: %d %s", r.Status, r.Body)
				}
			}
		}
	}
	return h, time.Since(start)
}

func benchReads(b *testing.B, h *sdktest.Host, seed time.Duration) {
	b.Run("seed", func(b *testing.B) {
		b.ReportMetric(seed.Seconds(), "s")
		b.ReportMetric(float64(benchVillages*benchProjectsPerVill)/seed.Seconds(), "projects/s")
	})
	anon := h.Anonymous()
	for _, c := range []struct{ name, tenant, path string }{
		{"summary/regency", "14.01", "/summary?year=2026"},
		{"summary/district", benchDistrictForLists, "/summary?year=2026"},
		{"summary/village", benchVillageForLists, "/summary?year=2026"},
		{"list/regency", "14.01", "/projects?year=2026&limit=50"},
		{"list/regency-page-40", "14.01", "/projects?year=2026&limit=50&page=40"},
		{"list/regency-behind", "14.01", "/projects?behind=true&limit=50"},
		{"list/village", benchVillageForLists, "/projects?limit=50"},
		{"project", benchVillageForLists, ""},
	} {
		path := c.path
		if path == "" {
			var l struct{ Items []ProjectView }
			anon.Get(c.tenant, "/projects?limit=1").JSON(&l)
			path = "/projects/" + l.Items[0].ID
		}
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if res := anon.Get(c.tenant, path); res.Status != 200 {
					b.Fatalf("%s: %d %s", path, res.Status, res.Body)
				}
			}
		})
	}
}

// BenchmarkKamparSQLite measures the roll-up and the lists on the
// embedded default, SQLite.
func BenchmarkKamparSQLite(b *testing.B) {
	h, seed := seedBench(b)
	benchReads(b, h, seed)
}

// BenchmarkKamparPostgres measures them on PostgreSQL
// (BALAI_TEST_DATABASE_URL).
func BenchmarkKamparPostgres(b *testing.B) {
	base := os.Getenv(storetest.EnvURL)
	if base == "" {
		b.Skipf("set %s", storetest.EnvURL)
	}
	h, seed := seedBench(b, sdktest.WithDatabase(storetest.NewSchema(b, base)))
	benchReads(b, h, seed)
}
