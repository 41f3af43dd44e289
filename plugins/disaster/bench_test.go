package main

import (
	"fmt"
	"net/http"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// Kampar-sized data: 250 villages in 21 districts, 8 reports per village
// (2,000 reports, about what five years of village-level reports of every
// kind come to), three of each four verified and one of those closed, the
// impact assessed on the verified ones.
const (
	benchDistricts = 21
	benchVillages  = 250
	benchPerVil    = 8
)

// BenchmarkRegency measures the regency's roll-up (GET /summary, public),
// the public list of its disasters, a reader's list of every report, and
// the public widget of the regency home, on SQLite and (with
// BALAI_TEST_DATABASE_URL) PostgreSQL, in-process.
func BenchmarkRegency(b *testing.B) {
	backends := []struct {
		name string
		opts []sdktest.Option
	}{{"sqlite", nil}}
	if base := os.Getenv(storetest.EnvURL); base != "" {
		backends = append(backends, struct {
			name string
			opts []sdktest.Option
		}{"postgres", []sdktest.Option{sdktest.WithDatabase(storetest.NewSchema(b, base))}})
	}
	for _, be := range backends {
		h := sdktest.New(b, &plugin, be.opts...)
		start := time.Now()
		villages := seedRegency(b, h)
		b.Logf("%s: seeded %d reports in %d villages in %s", be.name, benchVillages*benchPerVil, len(villages), time.Since(start).Round(time.Millisecond))
		anon := h.Anonymous()
		reader := h.User("bpbd", "viewer", "14.01")
		for _, c := range []struct {
			name   string
			client *sdktest.Client
			path   string
		}{
			{"summary", anon, "/summary"},
			{"summary-year", anon, "/summary?year=2026"},
			{"public-list", anon, "/reports?limit=50"},
			{"public-active", anon, "/reports?active=true&limit=50"},
			{"reader-list", reader, "/reports?limit=50"},
		} {
			b.Run(be.name+"/"+c.name, func(b *testing.B) {
				lat := make([]time.Duration, 0, b.N)
				for b.Loop() {
					t0 := time.Now()
					if r := c.client.Get("14.01", c.path); r.Status != http.StatusOK {
						b.Fatalf("%s: %d %.300s", c.path, r.Status, r.Body)
					}
					lat = append(lat, time.Since(t0))
				}
				benchReport(b, lat)
			})
		}
		b.Run(be.name+"/public-widget", func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			for b.Loop() {
				t0 := time.Now()
				if w := h.PublicWidgets("14.01"); len(w) != 1 {
					b.Fatalf("widgets: %+v", w)
				}
				lat = append(lat, time.Since(t0))
			}
			benchReport(b, lat)
		})
	}
}

func benchReport(b *testing.B, lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) == 0 {
		return
	}
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
}

// seedRegency creates Kampar's 250 villages and their reports through the
// API (each village's operator reports, verifies, assesses, closes).
func seedRegency(b *testing.B, h *sdktest.Host) []string {
	var villages []string
	for d := 1; len(villages) < benchVillages; d = d%benchDistricts + 1 {
		v := fmt.Sprintf("14.01.%02d.%04d", d, 2001+len(villages)/benchDistricts)
		villages = append(villages, v)
	}
	for _, v := range villages {
		h.Tenant(v)
	}
	h.Enable("14.01")
	types := []string{"flood", "flood", "forest_fire", "whirlwind", "landslide", "drought", "flood", "epidemic"}
	now := time.Now()
	for i, v := range villages {
		op := h.User(fmt.Sprintf("op%03d", i), "operator", v)
		for j := range benchPerVil {
			at := now.AddDate(0, -(j*7 + i%5), -(i % 27)).Add(-time.Hour)
			if at.Before(now.AddDate(-1, 0, 1)) {
				at = now.Add(-time.Duration(j+1) * 24 * time.Hour)
			}
			r := op.Post(v, "/reports", map[string]any{"type": types[j], "occurred_at": at.Format(time.RFC3339), "dusun": "Dusun I",
				"description": "Kejadian uji beban", "reporter_name": "Warga", "reporter_phone": "081200000000"})
			if r.Status != 201 {
				b.Fatalf("seeding %s: %d %s", v, r.Status, r.Body)
			}
			var c Created
			r.JSON(&c)
			if j%4 == 3 {
				continue
			}
			if r := op.Post(v, "/reports/"+c.ID+"/verify", nil); r.Status != 200 {
				b.Fatalf("verify: %s", r.Body)
			}
			if r := op.Put(v, "/reports/"+c.ID+"/impact", map[string]any{"displaced": 10 + j, "houses_light": j, "injured": i % 3}); r.Status != 200 {
				b.Fatalf("impact: %s", r.Body)
			}
			if j%4 == 0 {
				if r := op.Post(v, "/reports/"+c.ID+"/status", map[string]string{"status": "closed"}); r.Status != 200 {
					b.Fatalf("close: %s", r.Body)
				}
			}
		}
	}
	return villages
}
