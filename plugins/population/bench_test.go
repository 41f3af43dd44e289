package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// seedCSV writes n residents of one village, in families of four, with
// valid NIKs.
func seedCSV(n int) (string, []string) {
	var b strings.Builder
	b.WriteString("nik,kk,name,sex,birth_date\n")
	var niks []string
	for i := 0; i < n; i++ {
		day, month, year := 1+i%28, 1+(i/28)%12, 1950+(i/336)%70
		sex, dd := "L", day
		if i%2 == 1 {
			sex, dd = "P", day+40
		}
		nik := fmt.Sprintf("140101%02d%02d%02d%04d", dd, month, year%100, 1+i/40320%9999)
		nik = nik[:12] + fmt.Sprintf("%04d", 1+i%9999)
		kk := fmt.Sprintf("14010101011%05d", 1+i/4)
		fmt.Fprintf(&b, "%s,%s,Warga %d,%s,%04d-%02d-%02d\n", nik, kk, i, sex, year, month, day)
		niks = append(niks, nik)
	}
	return b.String(), niks
}

// BenchmarkNIKLookup measures GET /residents?nik= through the whole path
// (HTTP, token, Casbin, enablement, plugin, storage) with the plugin in
// its own process and in-process, in one run. With BALAI_TEST_DATABASE_URL
// set it runs on PostgreSQL.
func BenchmarkNIKLookup(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "population")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("building the plugin: %v\n%s", err, out)
	}
	var opts []sdktest.Option
	newDB := func() {}
	if base := os.Getenv(storetest.EnvURL); base != "" {
		newDB = func() { opts = []sdktest.Option{sdktest.WithDatabase(storetest.NewSchema(b, base))} }
	}
	csv, niks := seedCSV(20000)
	const village = "14.01.01.2009"
	newDB()
	inproc := sdktest.New(b, &plugin, opts...)
	newDB()
	binary := sdktest.NewBinary(b, bin, "population", opts...)
	for _, hc := range []struct {
		name string
		h    *sdktest.Host
	}{{"in-process", inproc}, {"plugin", binary}} {
		h := hc.h
		h.Tenant(village)
		h.Enable("14.01")
		op := h.User("operator1", "operator", village)
		if r := op.Do("POST", village, "/import", csv); r.Status != 200 || !strings.Contains(string(r.Body), `"inserted":20000`) {
			b.Fatalf("seeding: %d %.300s", r.Status, r.Body)
		}
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
		b.Run(hc.name, func(b *testing.B) {
			var mu sync.Mutex
			var lat []time.Duration
			b.SetParallelism(4)
			b.RunParallel(func(pb *testing.PB) {
				var mine []time.Duration
				i := 0
				for pb.Next() {
					req, _ := http.NewRequest("GET", h.URL()+"/api/v1/t/"+village+"/population/residents?nik="+niks[i%len(niks)], nil)
					req.Header.Set("Authorization", "Bearer "+op.Token)
					start := time.Now()
					res, err := client.Do(req)
					if err != nil || res.StatusCode != 200 {
						b.Errorf("lookup: %v %v", err, res)
						return
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					mine = append(mine, time.Since(start))
					i += 7
				}
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			})
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
			if len(lat) > 0 {
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99_ms")
			}
		})
	}
}

// BenchmarkRecordsComplete measures GET /performance (records_complete) at
// Kabupaten Kampar, 250 villages and 898,973 residents seeded by "balai
// demo seed --district 14.01" (see BenchmarkDistrict), on PostgreSQL
// (BALAI_TEST_DATABASE_URL; BALAI_BENCH_DISTRICT_DB reuses a seeded
// schema), through the plugin binary.
func BenchmarkRecordsComplete(b *testing.B) {
	seedDistrict(b)
	performanceLoad(b, &district)
}

// BenchmarkRecordsCompleteSQLite is BenchmarkRecordsComplete on SQLite
// (BALAI_BENCH_DISTRICT_SQLITE reuses a seeded file).
func BenchmarkRecordsCompleteSQLite(b *testing.B) {
	seedDistrictSQLite(b)
	performanceLoad(b, &districtSQLite)
}

// performanceLoad measures the regency's records_complete, all 250
// villages on one page: "first" is the first call after the host started
// over the seeded database (nothing kept for these aggregates yet on a
// fresh seed), "first-after-restart" the first call of a second host over
// the same database (the results kept there), "warm" repeated calls,
// "after-write" a call after a resident of one village changed (that
// village is counted again). It reports the regency's figures once, to
// show what was counted.
func performanceLoad(b *testing.B, d *seeded) {
	if d.err != nil {
		b.Fatal(d.err)
	}
	h := sdktest.NewBinary(b, d.pluginBn, "population", sdktest.WithDatabase(d.dbURL))
	viewer := h.User(fmt.Sprintf("bench-perf-%d", time.Now().UnixNano()), "viewer", "14.01")
	call := func(b *testing.B, c *sdktest.Client) (time.Duration, []byte) {
		start := time.Now()
		r := c.Get("14.01", "/performance?year=2026&limit=500")
		if r.Status != 200 {
			b.Fatalf("performance: %d %.300s", r.Status, r.Body)
		}
		return time.Since(start), r.Body
	}
	// Once, before b.Run (which may run its function more than once).
	first, body := call(b, viewer)
	var ans struct {
		Items []struct {
			Values map[string]struct{ Numerator, Denominator int64 } `json:"values"`
		} `json:"items"`
		Total int64 `json:"total"`
	}
	if err := json.Unmarshal(body, &ans); err != nil {
		b.Fatal(err)
	}
	var done, living int64
	for _, it := range ans.Items {
		v := it.Values["records_complete"]
		done, living = done+v.Numerator, living+v.Denominator
	}
	b.Run("records_complete/first", func(b *testing.B) {
		b.ReportMetric(float64(first.Microseconds())/1000, "ms")
		b.ReportMetric(float64(ans.Total), "villages")
		b.ReportMetric(float64(living), "living")
		b.ReportMetric(float64(done), "complete")
	})
	// The kept results are written in the background after the answer.
	time.Sleep(3 * time.Second)
	restarted := sdktest.NewBinary(b, d.pluginBn, "population", sdktest.WithDatabase(d.dbURL))
	rviewer := restarted.User(fmt.Sprintf("bench-perf-r-%d", time.Now().UnixNano()), "viewer", "14.01")
	again, _ := call(b, rviewer)
	b.Run("records_complete/first-after-restart", func(b *testing.B) {
		b.ReportMetric(float64(again.Microseconds())/1000, "ms")
	})
	b.Run("records_complete/warm", func(b *testing.B) {
		var worst time.Duration
		for i := 0; i < b.N; i++ {
			t, _ := call(b, viewer)
			worst = max(worst, t)
		}
		b.ReportMetric(float64(worst.Microseconds())/1000, "max_ms")
	})
	op := h.User(fmt.Sprintf("bench-perf-op-%d", time.Now().UnixNano()), "operator", "14.01")
	l, id := residentToChange(b, op, d)
	b.Run("records_complete/after-write", func(b *testing.B) {
		writeThenGet(b, op, l, id, func(int) time.Duration { t, _ := call(b, viewer); return t })
	})
}
