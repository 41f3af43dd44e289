package main

import (
	"fmt"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// BenchmarkPerformance measures GET /performance (letters_on_time) at a
// regency of Kampar's size, 250 villages in 21 districts, each with 200
// letters issued over 2026 (50,000) with their service_days, written by
// the test route of withSeed. On SQLite, and on PostgreSQL when
// BALAI_TEST_DATABASE_URL is set; the in-process host of the test kit.
func BenchmarkPerformance(b *testing.B) {
	backends := []struct{ name, url string }{{"sqlite", ""}}
	if base := os.Getenv(storetest.EnvURL); base != "" {
		backends = append(backends, struct{ name, url string }{"postgres", storetest.NewSchema(b, base)})
	}
	wib := time.FixedZone("WIB", 7*3600)
	for _, be := range backends {
		var opts []sdktest.Option
		if be.url != "" {
			opts = append(opts, sdktest.WithDatabase(be.url))
		}
		h := sdktest.New(b, withSeed(), opts...)
		var villages []string
		for i := range 250 {
			v := fmt.Sprintf("14.01.%02d.%04d", i%21+1, 2001+i/21)
			villages = append(villages, v)
			h.Tenant(v)
		}
		h.Enable("14.01")
		op := h.User("bench-op", "operator", "14.01")
		start := time.Now()
		for i, v := range villages {
			letters := make([]seeded, 200)
			for j := range letters {
				// Spread over the year's working hours; issued 0 to 3 days later.
				sub := time.Date(2026, 1, 1, 8, 0, 0, 0, wib).Add(time.Duration((i*200+j)%8000) * time.Hour)
				iss := sub.Add(time.Duration((i+j)%4*24+1) * time.Hour)
				days := workingDaysAfter(sub, iss, wib, 1<<30)
				letters[j] = seeded{Submitted: sub, Issued: &iss, ServiceDays: &days}
			}
			if res := op.Post(v, "/test-seed", letters); res.Status != http.StatusCreated {
				b.Fatalf("seeding %s: %d %s", v, res.Status, res.Body)
			}
		}
		b.Logf("%s: seeded 50,000 issued letters in 250 villages in %s", be.name, time.Since(start).Round(time.Millisecond))
		for _, m := range []struct{ name, tenant, query string }{
			{"regency-year", "14.01", "year=2026&limit=500"},
			{"regency-quarter", "14.01", "year=2026&quarter=2&limit=500"},
			{"district-year", "14.01.01", "year=2026"},
			{"village-year", villages[0], "year=2026"},
		} {
			b.Run(be.name+"/"+m.name, func(b *testing.B) {
				for b.Loop() {
					if res := op.Get(m.tenant, "/performance?"+m.query); res.Status != http.StatusOK {
						b.Fatalf("%s: %d %.300s", m.query, res.Status, res.Body)
					}
				}
			})
		}
	}
}
