package main

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// A regency the size of Kampar: 250 villages in 21 districts, each with a
// year of complaints (benchPerVillage: a busy village's complaint box, or
// 10,000 for the regency), three quarters answered, a tenth escalated.
const (
	benchDistricts  = 21
	benchVillages   = 250
	benchPerVillage = 40
)

// benchPlugin is the module with one more route, for the benchmark's setup
// only: it stores a village's year of complaints in one batch, as if they
// had come in and been answered over the year (the measured routes are the
// module's own).
func benchPlugin() *sdk.Plugin {
	p := plugin
	p.Routes = append(append([]sdk.Route{}, plugin.Routes...), sdk.Route{Method: "POST", Path: "/bench/seed", Permission: permWrite, Timeout: time.Minute, Handler: sdk.Func(benchSeed)})
	return &p
}

func benchSeed(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	cal := newCalendar(defaultHolidays)
	rng := rand.New(rand.NewPCG(uint64(len(req.Tenant)), uint64(req.Tenant[len(req.Tenant)-1])))
	parts := req.Tenant[:8] // the district
	var vs []any
	for i := range benchPerVillage {
		day := time.Date(2026, 1, 2, 2, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(330))
		c := complaint{Ref: fmt.Sprintf("B%07d", i), TrackCode: fmt.Sprintf("%sBENCH%05d%s", "ZZ", i, req.Tenant), Category: categories[rng.IntN(len(categories))].Code,
			Description: "Jalan desa berlubang di dekat sekolah, mohon diperbaiki", Place: "RT 01", Phone: "081200000000", Channel: ChannelOnline,
			State: StateReceived, SubmittedAt: day, SubmittedDate: day.Format(time.DateOnly), TargetDays: 10, Publish: rng.IntN(2) == 0}
		c.DueDate = cal.dueDate(c.SubmittedDate, 10)
		if rng.IntN(10) == 0 {
			c.EscalatedTo, c.EscalationLevel = parts, "district"
		}
		if rng.IntN(4) != 0 {
			ans := day.AddDate(0, 0, rng.IntN(20))
			days := cal.between(c.SubmittedDate, ans.Format(time.DateOnly))
			onTime := ans.Format(time.DateOnly) <= c.DueDate
			c.State, c.Answer, c.AnsweredAt, c.AnsweredDate, c.ResponseDays, c.OnTime, c.AnsweredLevel = StateAnswered, "Sudah ditindaklanjuti.", ans, ans.Format(time.DateOnly), &days, &onTime, "village"
			if rng.IntN(2) == 0 {
				c.State, c.Rating = StateClosed, 1+rng.IntN(5)
			}
		}
		vs = append(vs, c)
	}
	_, err := req.Records("complaints").InsertMany(r.Context(), vs, false)
	return http.StatusNoContent, nil, err
}

func benchVillageCodes() []string {
	var out []string
	for i := range benchVillages {
		out = append(out, fmt.Sprintf("14.01.%02d.%04d", i%benchDistricts+1, 2001+i/benchDistricts))
	}
	return out
}

// BenchmarkRegency measures, on a regency of 250 villages and 10,000
// complaints, the roll-up (GET /stats at the regency and at a district),
// the main list at the regency (newest first, overdue, escalated here) and
// at a village, and the published list. On SQLite, and again on
// PostgreSQL when BALAI_TEST_DATABASE_URL is set.
func BenchmarkRegency(b *testing.B) {
	backends := []struct{ name, url string }{{"sqlite", ""}}
	if base := os.Getenv(storetest.EnvURL); base != "" {
		backends = append(backends, struct{ name, url string }{"postgres", storetest.NewSchema(b, base)})
	}
	for _, be := range backends {
		var opts []sdktest.Option
		if be.url != "" {
			opts = append(opts, sdktest.WithDatabase(be.url))
		}
		clock := sdktest.NewClock(time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC))
		opts = append(opts, sdktest.WithClock(clock.Now))
		h := sdktest.New(b, benchPlugin(), opts...)
		villages := benchVillageCodes()
		for _, v := range villages {
			h.Tenant(v)
		}
		h.Enable("14.01")
		op := h.User("bench-op", "operator", "14.01")
		start := time.Now()
		for _, v := range villages {
			if res := op.Post(v, "/bench/seed", nil); res.Status != http.StatusNoContent {
				b.Fatalf("seeding %s: %d %s", v, res.Status, res.Body)
			}
		}
		b.Logf("%s: seeded %d complaints in %d villages in %s", be.name, benchVillages*benchPerVillage, benchVillages, time.Since(start).Round(time.Millisecond))
		anon := h.Anonymous()
		for _, m := range []struct {
			name, tenant, path string
			c                  *sdktest.Client
		}{
			{"stats/regency", "14.01", "/stats", anon},
			{"stats/regency-year", "14.01", "/stats?year=2026", anon},
			{"stats/district", "14.01.01", "/stats", anon},
			{"list/regency", "14.01", "/complaints?limit=50", op},
			{"list/regency-overdue", "14.01", "/complaints?overdue=true&limit=50", op},
			{"list/district-escalated", "14.01.01", "/complaints?escalated=here&limit=50", op},
			{"list/village", villages[0], "/complaints?limit=50", op},
			{"published/regency", "14.01", "/published?limit=50", anon},
			{"performance/regency", "14.01", "/performance?year=2026&limit=500", op},
			{"performance/regency-quarter", "14.01", "/performance?year=2026&quarter=2&limit=500", op},
		} {
			b.Run(be.name+"/"+m.name, func(b *testing.B) {
				for b.Loop() {
					if res := m.c.Get(m.tenant, m.path); res.Status != http.StatusOK {
						b.Fatalf("%s: %d %s", m.path, res.Status, res.Body)
					}
				}
			})
		}
	}
}
