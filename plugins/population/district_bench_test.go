package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
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

	"github.com/jackc/pgx/v5"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// seeded is Kabupaten Kampar seeded once per benchmark run on one database.
type seeded struct {
	once     sync.Once
	err      error
	dbURL    string // a postgres:// URL, or sqlite:<file>
	dir      string
	pluginBn string
	seconds  float64
	peakMiB  float64
	lookups  []lookup // residents to look up, with their villages
}

// district is Kampar on PostgreSQL; districtSQLite on the embedded default.
var district, districtSQLite seeded

type lookup struct{ village, nik string }

// seedDistrict builds the binaries and runs the real "balai demo seed
// --district 14.01" against a fresh PostgreSQL schema: 898,973 residents
// through the population plugin, timed, with the memory of the whole
// process tree (host and plugin) sampled while it runs.
func seedDistrict(b *testing.B) {
	base := os.Getenv(storetest.EnvURL)
	if base == "" {
		b.Skipf("the district benchmark runs on PostgreSQL: set %s (BenchmarkDistrictSQLite runs on SQLite)", storetest.EnvURL)
	}
	district.seed(b, func() string {
		if reuse := os.Getenv("BALAI_BENCH_DISTRICT_DB"); reuse != "" {
			return reuse
		}
		return storetest.NewSchema(b, base)
	}, os.Getenv("BALAI_BENCH_DISTRICT_DB") != "")
}

// seedDistrictSQLite is seedDistrict on a SQLite file in a temporary
// directory (BALAI_BENCH_DISTRICT_SQLITE names a file seeded before).
func seedDistrictSQLite(b *testing.B) {
	reuse := os.Getenv("BALAI_BENCH_DISTRICT_SQLITE")
	districtSQLite.seed(b, func() string {
		if reuse != "" {
			return "sqlite:" + reuse
		}
		return "sqlite:" + filepath.Join(districtSQLite.dir, "balai.db")
	}, reuse != "")
}

func (d *seeded) seed(b *testing.B, dbURL func() string, reuse bool) {
	d.once.Do(func() {
		dir, err := os.MkdirTemp("", "balai-district-")
		if err != nil {
			d.err = err
			return
		}
		d.dir = dir
		// The binaries and a seeded SQLite file (450 MB) go with the
		// benchmark that made them.
		b.Cleanup(func() { os.RemoveAll(dir) })
		bin, plugins := filepath.Join(dir, "balai"), filepath.Join(dir, "plugins")
		d.pluginBn = filepath.Join(plugins, "population")
		for out, pkg := range map[string]string{bin: "../../cmd/balai", d.pluginBn: "."} {
			if b, err := exec.Command("go", "build", "-o", out, pkg).CombinedOutput(); err != nil {
				d.err = fmt.Errorf("building %s: %v\n%s", pkg, err, b)
				return
			}
		}
		d.dbURL = dbURL()
		if reuse {
			// A database seeded before: measure the reads only.
			d.err = d.loadLookups()
			return
		}
		cmd := exec.Command(bin, "demo", "seed", "--district", "14.01", "--database", d.dbURL, "--plugins", plugins, "--data", dir)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		start := time.Now()
		if err := cmd.Start(); err != nil {
			d.err = err
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
					d.err = fmt.Errorf("seeding: %v\n%s", err, tail(stderr.String()))
					return
				}
				break wait
			case <-tick.C:
				peak = max(peak, treeRSS(cmd.Process.Pid))
			}
		}
		d.seconds, d.peakMiB = time.Since(start).Seconds(), peak/1024
		d.err = d.loadLookups()
	})
	if d.err != nil {
		b.Fatal(d.err)
	}
}

// loadLookups picks the residents the lookups ask for.
func (d *seeded) loadLookups() error {
	db, err := store.Open(store.Options{URL: d.dbURL})
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
		d.lookups = append(d.lookups, l)
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
// plugin) against a raw COPY of the same rows into a table of the same
// shape in the same run, a NIK lookup through the whole path (HTTP,
// token, Casbin, enablement, plugin, storage) with the plugin in its own
// process and in-process through sdktest in the same run, and regency
// statistics: the first call of each grouping after a start, warm calls,
// and calls after a write in one village.
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
	// Measured once, outside b.Run, which may call its function more
	// than once.
	read, cp, n, err := copyBaseline(district.dbURL)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("import/copy-baseline", func(b *testing.B) {
		b.ReportMetric(float64(n), "rows")
		b.ReportMetric(read, "read_s")
		b.ReportMetric(cp, "copy_s")
		if district.seconds > 0 {
			b.ReportMetric(district.seconds/cp, "seed/copy")
		}
	})
	inproc := sdktest.New(b, &plugin, sdktest.WithDatabase(district.dbURL))
	binary := sdktest.NewBinary(b, district.pluginBn, "population", sdktest.WithDatabase(district.dbURL))
	statsLoad(b, binary, &district)
	for _, hc := range []struct {
		name string
		h    *sdktest.Host
	}{{"lookup/in-process", inproc}, {"lookup/plugin", binary}} {
		// A district operator: works in every village of Kampar.
		op := hc.h.User(fmt.Sprintf("bench-%s-%d", strings.ReplaceAll(hc.name, "/", "-"), time.Now().UnixNano()), "operator", "14.01")
		b.Run(hc.name, func(b *testing.B) { lookupLoad(b, hc.h, op.Token, district.lookups) })
	}
}

// BenchmarkDistrictSQLite is BenchmarkDistrict's import and statistics on
// the embedded default, SQLite: the seed against SQLite's own insert of
// the same rows into a table of the same shape (INSERT … SELECT from the
// seeded file, 2,000 rows a transaction, as the import commits), measured
// in the same run.
func BenchmarkDistrictSQLite(b *testing.B) {
	seedDistrictSQLite(b)
	b.Run("import", func(b *testing.B) {
		if districtSQLite.seconds == 0 {
			b.Skip("reusing a seeded database")
		}
		b.ReportMetric(districtSQLite.seconds, "s")
		b.ReportMetric(districtSQLite.peakMiB, "peak_MiB")
		b.ReportMetric(898973/districtSQLite.seconds, "residents/s")
	})
	secs, n, err := sqliteBaseline(strings.TrimPrefix(districtSQLite.dbURL, "sqlite:"), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Run("import/raw-baseline", func(b *testing.B) {
		b.ReportMetric(float64(n), "rows")
		b.ReportMetric(secs, "raw_s")
		if districtSQLite.seconds > 0 {
			b.ReportMetric(districtSQLite.seconds/secs, "seed/raw")
		}
	})
	binary := sdktest.NewBinary(b, districtSQLite.pluginBn, "population", sdktest.WithDatabase(districtSQLite.dbURL))
	statsLoad(b, binary, &districtSQLite)
}

// statsGroupings are the groupings of GET /stats.
var statsGroupings = []string{"sex", "age_group", "religion", "education", "occupation", "marital_status"}

// statsLoad measures regency statistics (GET /api/v1/t/14.01/population/stats)
// through the plugin binary: "stats/first" is each grouping's first call
// after the host started (nothing kept yet on a fresh seed),
// "stats/first-after-restart" the same on a second host started over the
// same database (the results kept there), "stats/plugin" warm calls,
// "stats/after-write" a call after a resident of one village changed (that
// village is computed again).
func statsLoad(b *testing.B, h *sdktest.Host, d *seeded) {
	anon := h.Anonymous()
	get := func(b *testing.B, by string) time.Duration {
		start := time.Now()
		if r := anon.Get("14.01", "/stats?by="+by); r.Status != 200 {
			b.Fatalf("stats: %d %s", r.Status, r.Body)
		}
		return time.Since(start)
	}
	// Once per grouping, before b.Run (which may run its function more
	// than once): a second call would be warm.
	var worst, sum time.Duration
	for _, by := range statsGroupings {
		t := get(b, by)
		worst, sum = max(worst, t), sum+t
	}
	b.Run("stats/first", func(b *testing.B) {
		b.ReportMetric(float64(worst.Microseconds())/1000, "max_ms")
		b.ReportMetric(float64(sum.Microseconds())/1000/float64(len(statsGroupings)), "mean_ms")
	})
	// A second start of the host over the same database: the results the
	// first calls computed are kept there (written in the background,
	// hence the pause), and its first calls read them.
	time.Sleep(3 * time.Second)
	restarted := sdktest.NewBinary(b, d.pluginBn, "population", sdktest.WithDatabase(d.dbURL))
	ranon := restarted.Anonymous()
	worst, sum = 0, 0
	for _, by := range statsGroupings {
		start := time.Now()
		if r := ranon.Get("14.01", "/stats?by="+by); r.Status != 200 {
			b.Fatalf("stats after a start: %d %s", r.Status, r.Body)
		}
		t := time.Since(start)
		worst, sum = max(worst, t), sum+t
	}
	b.Run("stats/first-after-restart", func(b *testing.B) {
		b.ReportMetric(float64(worst.Microseconds())/1000, "max_ms")
		b.ReportMetric(float64(sum.Microseconds())/1000/float64(len(statsGroupings)), "mean_ms")
	})
	b.Run("stats/plugin", func(b *testing.B) {
		var worst time.Duration
		for i := 0; i < b.N; i++ {
			worst = max(worst, get(b, statsGroupings[i%len(statsGroupings)]))
		}
		b.ReportMetric(float64(worst.Microseconds())/1000, "max_ms")
	})
	op := h.User(fmt.Sprintf("bench-stats-%d", time.Now().UnixNano()), "operator", "14.01")
	l, id := residentToChange(b, op, d)
	b.Run("stats/after-write", func(b *testing.B) {
		writeThenGet(b, op, l, id, func(i int) time.Duration { return get(b, statsGroupings[i%len(statsGroupings)]) })
	})
}

// residentToChange is the first resident the lookups name, and its id.
func residentToChange(b *testing.B, op *sdktest.Client, d *seeded) (lookup, string) {
	l := d.lookups[0]
	r := op.Get(l.village, "/residents?nik="+l.nik)
	var found struct {
		Items []struct{ ID string } `json:"items"`
	}
	if err := json.Unmarshal(r.Body, &found); err != nil || len(found.Items) != 1 {
		b.Fatalf("finding a resident to change: %d %s", r.Status, r.Body)
	}
	return l, found.Items[0].ID
}

// writeThenGet runs b.N rounds of a change to resident id of village l
// (not timed: its village is counted again by the next read) and a timed
// get, and reports the slowest get.
func writeThenGet(b *testing.B, op *sdktest.Client, l lookup, id string, get func(i int) time.Duration) {
	var worst time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if r := op.Do("PATCH", l.village, "/residents/"+id, map[string]string{"address": fmt.Sprintf("Jl. Bench %d", i)}); r.Status != 200 {
			b.Fatalf("changing a resident: %d %s", r.Status, r.Body)
		}
		b.StartTimer()
		worst = max(worst, get(i))
	}
	b.ReportMetric(float64(worst.Microseconds())/1000, "max_ms")
}

// copyBaseline copies the seeded residents with pgx's CopyFrom into a
// scratch table of the same columns and indexes (CREATE TABLE … LIKE …
// INCLUDING ALL), the rows streamed from the seeded table on a second
// connection; read is the time of reading them alone, in the same way.
func copyBaseline(dbURL string) (read, copied float64, n int64, err error) {
	ctx := context.Background()
	src, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return 0, 0, 0, err
	}
	defer src.Close(ctx)
	dst, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return 0, 0, 0, err
	}
	defer dst.Close(ctx)
	const table = "p_population_residents"
	start := time.Now()
	rows, err := src.Query(ctx, "SELECT * FROM "+table)
	if err != nil {
		return 0, 0, 0, err
	}
	for rows.Next() {
		if _, err := rows.Values(); err != nil {
			return 0, 0, 0, err
		}
	}
	if rows.Close(); rows.Err() != nil {
		return 0, 0, 0, rows.Err()
	}
	read = time.Since(start).Seconds()
	if _, err := dst.Exec(ctx, "DROP TABLE IF EXISTS copy_baseline; CREATE TABLE copy_baseline (LIKE "+table+" INCLUDING ALL)"); err != nil {
		return 0, 0, 0, err
	}
	defer dst.Exec(ctx, "DROP TABLE IF EXISTS copy_baseline")
	start = time.Now()
	rows, err = src.Query(ctx, "SELECT * FROM "+table)
	if err != nil {
		return 0, 0, 0, err
	}
	defer rows.Close()
	var cols []string
	for _, f := range rows.FieldDescriptions() {
		cols = append(cols, f.Name)
	}
	n, err = dst.CopyFrom(ctx, pgx.Identifier{"copy_baseline"}, cols, rowSource{rows})
	return read, time.Since(start).Seconds(), n, err
}

// rowSource feeds a query's rows to CopyFrom.
type rowSource struct{ pgx.Rows }

func (r rowSource) Values() ([]any, error) { return r.Rows.Values() }

// sqliteBaseline inserts the seeded residents into a fresh SQLite file
// with the same table and indexes, by INSERT … SELECT in transactions of
// 2,000 rows: SQLite's own cost for the rows, with nothing of Balai.
func sqliteBaseline(seededFile, dir string) (float64, int64, error) {
	db, err := sql.Open("sqlite", seededFile+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // the attachment belongs to the connection
	const table = "p_population_residents"
	var ddl []string
	rows, err := db.Query("SELECT sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type DESC", table)
	if err != nil {
		return 0, 0, err
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return 0, 0, err
		}
		ddl = append(ddl, s)
	}
	rows.Close()
	stmts := []string{"ATTACH DATABASE '" + filepath.Join(dir, "baseline.db") + "' AS s", "PRAGMA s.journal_mode = WAL", "PRAGMA s.synchronous = NORMAL"}
	for _, s := range ddl {
		// CREATE TABLE p_… / CREATE [UNIQUE] INDEX ix_… ON p_…: the new
		// objects go to the attached file.
		s = strings.Replace(s, "CREATE TABLE "+table, "CREATE TABLE s."+table, 1)
		s = strings.Replace(s, "INDEX ix_", "INDEX s.ix_", 1)
		s = strings.Replace(s, "INDEX IF NOT EXISTS ix_", "INDEX IF NOT EXISTS s.ix_", 1)
		stmts = append(stmts, s)
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			return 0, 0, fmt.Errorf("%s: %w", s, err)
		}
	}
	var maxID int64
	if err := db.QueryRow("SELECT MAX(rowid) FROM main." + table).Scan(&maxID); err != nil {
		return 0, 0, err
	}
	start := time.Now()
	var n int64
	for lo := int64(0); lo < maxID; lo += 2000 {
		res, err := db.Exec("INSERT INTO s."+table+" SELECT * FROM main."+table+" WHERE rowid > ? AND rowid <= ?", lo, lo+2000)
		if err != nil {
			return 0, 0, err
		}
		k, _ := res.RowsAffected()
		n += k
	}
	return time.Since(start).Seconds(), n, nil
}

// lookupLoad runs NIK lookups from parallel keep-alive clients and reports
// the rate and the 99th percentile latency.
func lookupLoad(b *testing.B, h *sdktest.Host, token string, lookups []lookup) {
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
			l := lookups[i%len(lookups)]
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
