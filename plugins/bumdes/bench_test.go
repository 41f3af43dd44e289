package main

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// The benchmark's regency: Kampar-sized, 250 villages in 21 districts,
// each with its BUM Desa of benchUnits units reporting both semesters of
// 2026, and a BUMDes Bersama of two villages in each district.
const (
	benchDistricts = 21
	benchVillages  = 250
	benchUnits     = 3
)

func benchHost(b *testing.B, db string) (*sdktest.Host, []string) {
	opts := []sdktest.Option{sdktest.WithClock(func() time.Time { return now })}
	if db == "postgres" {
		base := os.Getenv(storetest.EnvURL)
		if base == "" {
			b.Skipf("set %s for the PostgreSQL run", storetest.EnvURL)
		}
		opts = append(opts, sdktest.WithDatabase(storetest.NewSchema(b, base)))
	}
	h := sdktest.New(b, &plugin, opts...)
	var villages []string
	for d := 1; len(villages) < benchVillages; d = d%benchDistricts + 1 {
		v := fmt.Sprintf("14.01.%02d.%04d", d, 2001+len(villages)/benchDistricts)
		h.Tenant(v)
		villages = append(villages, v)
	}
	h.Enable("14.01")
	admin := h.Admin()
	start := time.Now()
	requests := 0
	post := func(tenant, path string, body any) map[string]any {
		requests++
		res := admin.Post(tenant, path, body)
		if res.Status != 201 {
			b.Fatalf("seed %s %s: %d %s", tenant, path, res.Status, res.Body)
		}
		var out map[string]any
		res.JSON(&out)
		return out
	}
	seedUnits := func(tenant, ent string, i int) {
		for u := range benchUnits {
			unit := post(tenant, "/enterprises/"+ent+"/units", map[string]any{"type": unitTypes[(i+u)%len(unitTypes)].Code, "name": fmt.Sprintf("Unit %d", u+1), "manager_name": "Pengelola"})
			for sem := 1; sem <= 2; sem++ {
				post(tenant, "/enterprises/"+ent+"/reports", map[string]any{"unit_id": unit["id"], "year": 2026, "semester": sem,
					"revenue": 20_000_000 + i*10_000, "costs": 15_000_000, "pades": 1_000_000, "assets": 100_000_000, "employees": 2})
			}
		}
	}
	for i, v := range villages {
		ent := post(v, "/enterprises", map[string]any{"name": fmt.Sprintf("BUM Desa %d", i), "registration_number": fmt.Sprintf("AHU-%05d.AH.01.33.Tahun 2022", i+1),
			"classification": classifications[i%len(classifications)].Code, "classification_year": 2025})
		seedUnits(v, ent["id"].(string), i)
	}
	for d := 1; d <= benchDistricts; d++ {
		district := fmt.Sprintf("14.01.%02d", d)
		ent := post(district, "/enterprises", map[string]any{"name": fmt.Sprintf("BUM Desa Bersama %d", d),
			"members": []string{villages[d-1], villages[d-1+benchDistricts]}})
		seedUnits(district, ent["id"].(string), d)
	}
	b.Logf("%s: seeded %d villages and %d joint enterprises (%d units, 2 reports each) in %d requests, %s", db, len(villages), benchDistricts,
		(len(villages)+benchDistricts)*benchUnits, requests, time.Since(start).Round(time.Millisecond))
	return h, villages
}

// BenchmarkBumdes measures the regency's roll-up, a district's, the public
// list at the regency and at a village, and one enterprise's public page,
// on SQLite and (with BALAI_TEST_DATABASE_URL) PostgreSQL.
func BenchmarkBumdes(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		b.Run(db, func(b *testing.B) {
			h, villages := benchHost(b, db)
			anon := h.Anonymous()
			var list listOf[EnterpriseView]
			anon.Get(villages[100], "/enterprises").JSON(&list)
			get := func(tenant, path string) func(b *testing.B) {
				return func(b *testing.B) {
					for b.Loop() {
						if res := anon.Get(tenant, path); res.Status != 200 {
							b.Fatalf("%s: %d %.300s", path, res.Status, res.Body)
						}
					}
				}
			}
			b.Run("summary-regency", get("14.01", "/summary?year=2026&limit=500"))
			b.Run("summary-district", get("14.01.07", "/summary?year=2026"))
			b.Run("enterprises-regency", get("14.01", "/enterprises?limit=50"))
			b.Run("enterprises-village", get(villages[0], "/enterprises"))
			b.Run("enterprise-public", get(villages[100], "/enterprises/"+list.Items[0].ID))
		})
	}
}
