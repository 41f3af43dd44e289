package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// district is Kabupaten Kampar seeded once per benchmark run.
var district struct {
	once     sync.Once
	err      error
	dbURL    string
	pluginBn string
	seconds  float64
	peakMiB  float64
	lookups  []lookup // residents to look up, with their villages
}

type lookup struct{ village, nik string }

// seedDistrict builds the binaries and runs the real "balai demo seed
// --district 14.01" against a fresh PostgreSQL schema: 898,973 residents
// through the population plugin, timed, with the memory of the whole
// process tree (host and plugin) sampled while it runs.
func seedDistrict(b *testing.B) {
	base := os.Getenv(storetest.EnvURL)
	if base == "" {
		b.Skipf("the district benchmark runs on PostgreSQL: set %s", storetest.EnvURL)
	}
	district.once.Do(func() {
		dir, err := os.MkdirTemp("", "balai-district-")
		if err != nil {
			district.err = err
			return
		}
		bin, plugins := filepath.Join(dir, "balai"), filepath.Join(dir, "plugins")
		district.pluginBn = filepath.Join(plugins, "population")
		for out, pkg := range map[string]string{bin: "../../cmd/balai", district.pluginBn: "."} {
			if b, err := exec.Command("go", "build", "-o", out, pkg).CombinedOutput(); err != nil {
				district.err = fmt.Errorf("building %s: %v\n%s", pkg, err, b)
				return
			}
		}
		if reuse := os.Getenv("BALAI_BENCH_DISTRICT_DB"); reuse != "" {
			// A database seeded before: measure the lookups only.
			district.dbURL = reuse
			district.err = loadLookups()
			return
		}
		district.dbURL = storetest.NewSchema(b, base)
		cmd := exec.Command(bin, "demo", "seed", "--district", "14.01", "--database", district.dbURL, "--plugins", plugins, "--data", dir)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		start := time.Now()
		if err := cmd.Start(); err != nil {
			district.err = err
			return
		}
		peak := 0.0
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
	wait:
		for {
			select {
			case err := <-done:
				if err != nil {
					district.err = fmt.Errorf("seeding: %v\n%s", err, tail(stderr.String()))
					return
				}
				break wait
			case <-tick.C:
				peak = max(peak, treeRSS(cmd.Process.Pid))
			}
		}
		district.seconds, district.peakMiB = time.Since(start).Seconds(), peak/1024
		district.err = loadLookups()
	})
	if district.err != nil {
		b.Fatal(district.err)
	}
}

// loadLookups picks the residents the lookups ask for.
func loadLookups() error {
	db, err := store.Open(store.Options{URL: district.dbURL})
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.Raw("SELECT tenant, f_nik FROM p_population_residents ORDER BY f_nik LIMIT 20000").Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var l lookup
		if err := rows.Scan(&l.village, &l.nik); err != nil {
			return err
		}
		district.lookups = append(district.lookups, l)
	}
	return rows.Err()
}

func tail(s string) string {
	if len(s) > 2000 {
		return s[len(s)-2000:]
	}
	return s
}

// treeRSS sums the resident memory, in KiB, of a process and its descendants.
func treeRSS(pid int) float64 {
	total := 0.0
	if f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
				kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
				total += kb
			}
		}
		f.Close()
	}
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	for _, t := range tasks {
		b, _ := os.ReadFile(t)
		for _, c := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(c); err == nil {
				total += treeRSS(n)
			}
		}
	}
	return total
}

// BenchmarkDistrict measures Kampar at full size on PostgreSQL: the import
// of 898,973 residents through the plugin (time and memory of host plus
// plugin), a NIK lookup through the whole path (HTTP, token, Casbin,
// enablement, plugin, storage) with the plugin in its own process and
// in-process through sdktest in the same run, and district statistics.
func BenchmarkDistrict(b *testing.B) {
	seedDistrict(b)
	b.Run("import", func(b *testing.B) {
		if district.seconds == 0 {
			b.Skip("reusing a seeded database")
		}
		b.ReportMetric(district.seconds, "s")
		b.ReportMetric(district.peakMiB, "peak_MiB")
		b.ReportMetric(898973/district.seconds, "residents/s")
	})
	inproc := sdktest.New(b, &plugin, sdktest.WithDatabase(district.dbURL))
	binary := sdktest.NewBinary(b, district.pluginBn, "population", sdktest.WithDatabase(district.dbURL))
	for _, hc := range []struct {
		name string
		h    *sdktest.Host
	}{{"lookup/in-process", inproc}, {"lookup/plugin", binary}} {
		// A district operator: works in every village of Kampar.
		op := hc.h.User(fmt.Sprintf("bench-%s-%d", strings.ReplaceAll(hc.name, "/", "-"), time.Now().UnixNano()), "operator", "14.01")
		b.Run(hc.name, func(b *testing.B) { lookupLoad(b, hc.h, op.Token) })
	}
	anon := binary.Anonymous()
	b.Run("stats/plugin", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			by := []string{"sex", "age_group", "religion", "education", "occupation", "marital_status"}[i%6]
			if r := anon.Get("14.01", "/stats?by="+by); r.Status != 200 {
				b.Fatalf("stats: %d %s", r.Status, r.Body)
			}
		}
	})
}

// lookupLoad runs NIK lookups from parallel keep-alive clients and reports
// the rate and the 99th percentile latency.
func lookupLoad(b *testing.B, h *sdktest.Host, token string) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var mu sync.Mutex
	var lat []time.Duration
	var next sync.Mutex
	i := 0
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			next.Lock()
			l := district.lookups[i%len(district.lookups)]
			i += 7
			next.Unlock()
			req, _ := http.NewRequest("GET", h.URL()+"/api/v1/t/"+l.village+"/population/residents?nik="+l.nik, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			start := time.Now()
			res, err := client.Do(req)
			if err != nil {
				b.Errorf("lookup: %v", err)
				return
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || !bytes.Contains(body, []byte(`"total":1`)) {
				b.Errorf("lookup of %s in %s: %d %.200s", l.nik, l.village, res.StatusCode, body)
				return
			}
			mine = append(mine, time.Since(start))
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99_ms")
	}
}
