package main

import (
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
