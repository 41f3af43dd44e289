package main

import (
	"fmt"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// A regency the size of Kampar: 250 villages in 21 districts, each with
// benchIndicators indicators reported in all four quarters (8,000
// achievements), every unit evaluated and published.
const (
	benchDistricts  = 21
	benchVillages   = 250
	benchIndicators = 8
)

// benchPlugin is the module with one more route, for the setup only: it
// stores a village's indicators and their four quarters in two calls (the
// measured routes are the module's own).
func benchPlugin() *sdk.Plugin {
	p := plugin
	p.Routes = append(append([]sdk.Route{}, plugin.Routes...), sdk.Route{Method: "POST", Path: "/bench/seed", Permission: permReport, Timeout: time.Minute, Handler: sdk.Func(benchSeed)})
	return &p
}

func benchSeed(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	var inds []any
	for i := range benchIndicators {
		inds = append(inds, indicator{Year: 2026, Name: fmt.Sprintf("Indikator kinerja %d", i+1), Measure: "%", Target: 80 + float64(i), HigherIsBetter: i%4 != 3})
	}
	res, err := req.Records("indicators").InsertMany(ctx, inds, false)
	if err != nil {
		return 0, nil, err
	}
	var achs []any
	for i, rec := range res.Records {
		ind := inds[i].(indicator)
		for q := 1; q <= 4; q++ {
			real := 60 + float64((i*7+q*13+len(req.Tenant))%40)
			achs = append(achs, achievement{Indicator: rec.ID, Year: 2026, Quarter: q, Realisation: real, Percent: Achievement(ind.Target, real, ind.HigherIsBetter),
				Note: "Laporan triwulan", RecordedBy: req.User, RecordedAt: req.Now().UTC()})
		}
	}
	_, err = req.Records("achievements").InsertMany(ctx, achs, false)
	return http.StatusNoContent, nil, err
}

func benchVillageCodes() []string {
	var out []string
	for i := range benchVillages {
		out = append(out, fmt.Sprintf("14.01.%02d.%04d", i%benchDistricts+1, 2001+i/benchDistricts))
	}
	return out
}

// BenchmarkRegency measures, on a Kampar-sized regency (271 units, 2,000
// indicators, 8,000 achievements, 250 published evaluations), the
// regency's table (a page of 50 and the whole regency in one page of 500;
// in this host the four source modules are absent, so each of their calls
// is the host's quick refusal), a district's table, the scores, a
// village's indicators with their quarters and a worksheet's save. On
// SQLite, and again on PostgreSQL when BALAI_TEST_DATABASE_URL is set.
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
		admin := h.Admin()
		if res := admin.API("POST", "/api/v1/roles", map[string]any{"name": "evaluator", "permissions": []string{permEvaluate, permRead}}); res.Status != http.StatusCreated {
			b.Fatalf("role: %d %s", res.Status, res.Body)
		}
		op := h.User("bench-op", "operator", "14.01")
		eval := h.User("bench-eval", "evaluator", "14.01")
		start := time.Now()
		for i, v := range villages {
			if res := op.Post(v, "/bench/seed", nil); res.Status != http.StatusNoContent {
				b.Fatalf("seeding %s: %d %s", v, res.Status, res.Body)
			}
			s := 30 + float64(i%70)
			c := map[string]any{"keberadaan": map[string]any{"score": s}, "kualitas": map[string]any{"score": s}, "pemanfaatan": map[string]any{"score": s}}
			ws := map[string]any{"perencanaan": c, "pengukuran": c, "pelaporan": c, "evaluasi_internal": c, "recommendations": []string{"Tetapkan Perjanjian Kinerja", "Laporkan capaian triwulanan"}}
			if res := eval.Put("14.01", "/evaluations/2026/"+v, ws); res.Status != http.StatusCreated {
				b.Fatalf("worksheet %s: %d %s", v, res.Status, res.Body)
			}
			if res := eval.Post("14.01", "/evaluations/2026/"+v+"/publish", nil); res.Status != http.StatusOK {
				b.Fatalf("publish %s: %d %s", v, res.Status, res.Body)
			}
		}
		b.Logf("%s: seeded %d villages, %d achievements, %d published evaluations in %s", be.name, benchVillages, benchVillages*benchIndicators*4, benchVillages,
			time.Since(start).Round(time.Millisecond))
		var tb Table
		op.Get("14.01", "/evaluations/2026?limit=500").JSON(&tb)
		if tb.Total != benchVillages+benchDistricts || len(tb.Items) != tb.Total || tb.Items[1].AchievementAverage == nil || tb.Items[1].Evaluation == nil {
			b.Fatalf("table: total %d, %d rows", tb.Total, len(tb.Items))
		}
		body := map[string]any{"perencanaan": map[string]any{"kualitas": map[string]any{"score": 70}}}
		h.Tenant("14.01.01.2999")
		h.Enable("14.01.01.2999")
		for _, m := range []struct {
			name, method, tenant, path string
			c                          *sdktest.Client
			body                       any
			status                     int
		}{
			{"table/regency-page50", "GET", "14.01", "/evaluations/2026?limit=50", op, nil, 200},
			{"table/regency-all500", "GET", "14.01", "/evaluations/2026?limit=500", op, nil, 200},
			{"table/regency-quarter", "GET", "14.01", "/evaluations/2026?quarter=2&limit=500", op, nil, 200},
			{"table/district", "GET", "14.01.01", "/evaluations/2026", op, nil, 200},
			{"scores/regency", "GET", "14.01", "/scores?year=2026&limit=500", op, nil, 200},
			{"scores/village", "GET", villages[0], "/scores?year=2026", op, nil, 200},
			{"indicators/village", "GET", villages[0], "/indicators?year=2026", op, nil, 200},
			{"worksheet/save", "PUT", "14.01", "/evaluations/2026/14.01.01.2999", eval, body, 0},
		} {
			b.Run(be.name+"/"+m.name, func(b *testing.B) {
				for b.Loop() {
					res := m.c.Do(m.method, m.tenant, m.path, m.body)
					if (m.status != 0 && res.Status != m.status) || res.Status >= 300 {
						b.Fatalf("%s: %d %s", m.path, res.Status, res.Body)
					}
				}
			})
		}
	}
}
