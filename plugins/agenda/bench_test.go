package main

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// Kampar's size: 250 villages in 21 districts. Each village keeps a
// realistic year: a monthly posyandu, a monthly village government
// meeting and a weekly Friday gotong royong (three series, public), and
// twenty one-off events (musdes, trainings, religious and sport events),
// a quarter of them internal: 5,750 events, 20,000-odd occurrences a year.
const (
	benchDistricts = 21
	benchVillages  = 250
	benchOneOffs   = 20
)

// BenchmarkAgenda seeds Kampar through the API once per database, then
// measures the regency's month (GET /events), its roll-up (GET /summary),
// its feed (GET /calendar.ics), a village's month, and a clerk's write
// with its double-booking check. SQLite always; PostgreSQL with
// BALAI_TEST_DATABASE_URL.
func BenchmarkAgenda(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchAgenda(b, "") })
	if base := os.Getenv(storetest.EnvURL); base != "" {
		b.Run("postgres", func(b *testing.B) { benchAgenda(b, storetest.NewSchema(b, base)) })
	}
}

func benchAgenda(b *testing.B, dbURL string) {
	clock := sdktest.NewClock(time.Date(2027, 1, 4, 1, 0, 0, 0, time.UTC))
	opts := []sdktest.Option{sdktest.WithClock(clock.Now)}
	if dbURL != "" {
		opts = append(opts, sdktest.WithDatabase(dbURL))
	}
	// The public routes' rate limit is the host's business, not what is
	// measured: a copy of the plugin without it.
	unlimited := plugin
	unlimited.Routes = append([]sdk.Route(nil), plugin.Routes...)
	for i := range unlimited.Routes {
		unlimited.Routes[i].RateLimit = nil
	}
	h := sdktest.New(b, &unlimited, opts...)
	var villages []string
	for i := range benchVillages {
		d := i%benchDistricts + 1
		v := fmt.Sprintf("14.01.%02d.%04d", d, 2001+i/benchDistricts)
		h.Tenant(v)
		villages = append(villages, v)
	}
	h.Enable("14.01")
	op := h.User("kab-op", "operator", "14.01")
	start := time.Now()
	n := 0
	post := func(v string, body map[string]any) {
		if res := op.Post(v, "/events", body); res.Status != 201 {
			b.Fatalf("seeding %s: %d %s", v, res.Status, res.Body)
		}
		n++
	}
	for i, v := range villages {
		post(v, map[string]any{"title": "Posyandu", "category": "posyandu", "visibility": "public", "start": "2027-01-05T08:00", "end": "2027-01-05T11:00",
			"rrule": "FREQ=MONTHLY;BYDAY=1TU;COUNT=12", "officials": []string{"Bidan Desa"}})
		post(v, map[string]any{"title": "Rapat bulanan perangkat", "category": "rapat", "visibility": "public", "start": "2027-01-11T09:00", "end": "2027-01-11T12:00",
			"rrule": "FREQ=MONTHLY;BYDAY=2MO", "officials": []string{"Kepala Desa", "Sekretaris Desa"}})
		post(v, map[string]any{"title": "Gotong royong Jumat bersih", "category": "gotong_royong", "visibility": "public", "start": "2027-01-08T07:00", "end": "2027-01-08T10:00",
			"rrule": "FREQ=WEEKLY;UNTIL=20271231T000000Z"})
		for k := range benchOneOffs {
			day := time.Date(2027, time.Month(k%12+1), (i+k)%27+1, 0, 0, 0, 0, time.UTC)
			vis := "public"
			if k%4 == 0 {
				vis = "internal"
			}
			post(v, map[string]any{"title": fmt.Sprintf("Kegiatan %d", k), "category": "lainnya", "visibility": vis,
				"start": day.Format("2006-01-02") + "T13:00", "end": day.Format("2006-01-02") + "T15:00", "officials": []string{"Kepala Desa"}})
		}
	}
	b.Logf("seeded %d events in %d villages in %.1f s (%.0f/s)", n, len(villages), time.Since(start).Seconds(), float64(n)/time.Since(start).Seconds())
	anon := h.Anonymous()
	get := func(b *testing.B, tenant, path string) []byte {
		res := anon.Get(tenant, path)
		if res.Status != 200 {
			b.Fatalf("%s %s: %d %s", tenant, path, res.Status, res.Body)
		}
		return res.Body
	}
	var list listAnswer
	anon.Get("14.01", "/events?from=2027-03-01&to=2027-03-31&limit=1").JSON(&list)
	b.Logf("regency March: %d public occurrences", list.Total)
	b.Run("regency-month", func(b *testing.B) {
		for b.Loop() {
			get(b, "14.01", "/events?from=2027-03-01&to=2027-03-31")
		}
	})
	b.Run("regency-summary", func(b *testing.B) {
		for b.Loop() {
			get(b, "14.01", "/summary?month=2027-03")
		}
	})
	b.Run("regency-feed", func(b *testing.B) {
		var size int
		for b.Loop() {
			size = len(get(b, "14.01", "/calendar.ics"))
		}
		b.ReportMetric(float64(size)/1024, "KiB")
	})
	b.Run("district-month", func(b *testing.B) {
		for b.Loop() {
			get(b, "14.01.01", "/events?from=2027-03-01&to=2027-03-31")
		}
	})
	b.Run("village-month", func(b *testing.B) {
		for b.Loop() {
			get(b, villages[0], "/events?from=2027-03-01&to=2027-03-31")
		}
	})
	b.Run("village-year", func(b *testing.B) {
		for b.Loop() {
			get(b, villages[0], "/events?from=2027-01-01&to=2027-12-31&limit=500")
		}
	})
	b.Run("create-with-check", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			res := op.Post(villages[1], "/events", map[string]any{"title": "Rapat", "category": "rapat", "start": "2027-02-08T10:00", "end": "2027-02-08T11:00",
				"officials": []string{"Kepala Desa"}})
			if res.Status != 201 {
				b.Fatalf("%d %s", res.Status, res.Body)
			}
		}
	})
}
