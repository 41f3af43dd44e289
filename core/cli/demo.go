package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"
	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/audit"
	"github.com/balaidesa/balai/core/demo"
	"github.com/balaidesa/balai/core/events"
	"github.com/balaidesa/balai/core/plugin"
	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/tenancy"
	"github.com/balaidesa/balai/core/tenancy/regions"
)

func (a *app) demoCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Generate demonstration data: a whole regency or district with its residents",
	}
	cmd.AddCommand(a.demoSeedCmd())
	return cmd
}

func (a *app) demoSeedCmd() *cobra.Command {
	var regency, district string
	var residents, parallel int
	var seed uint64
	cmd := &cobra.Command{
		Use:   "seed (--regency CODE | --district CODE)",
		Short: "Create a regency's or a district's villages and fill them with generated residents",
		Long: `Create a realistic regency (kabupaten/kota) or district (kecamatan) to try
Balai on or to measure it: its districts and villages from the built-in
official region list, and residents in families (the census figure by
default: Kabupaten Kampar, 14.01, has 898,973) with NIKs and KK numbers that
pass the population module's checks.

Every installed module is enabled for the whole regency (the regency's
portal lists its villages and shows its numbers), also when only one of its
districts is seeded.

The residents go through the population plugin's import, in batches, as a
real import does; the same seed makes the same people, so running the
command again adds nothing. Needs the population plugin in --plugins.
Progress is printed to standard error.

--district used to take a regency code (14.01): it still does, and seeds
the whole regency, as --regency does.`,
		Example: `  balai demo seed --regency 14.01                      # Kampar: 250 villages, 898,973 residents
  balai demo seed --district 14.01.01 --residents 20000 # one district (kecamatan), quickly`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			code, err := seedTarget(regency, district)
			if err != nil {
				return err
			}
			return a.seed(code, residents, parallel, seed)
		},
	}
	cmd.Flags().StringVar(&regency, "regency", "", "the regency (kabupaten/kota) to create, by Kemendagri code, e.g. 14.01")
	cmd.Flags().StringVar(&district, "district", "", "the district (kecamatan) to create, by Kemendagri code, e.g. 14.01.01 (a regency code is still taken, as --regency)")
	cmd.Flags().IntVar(&residents, "residents", 0, "how many residents (default: the census figure)")
	cmd.Flags().IntVar(&parallel, "parallel", 2, "villages imported at once")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "random seed: the same seed makes the same residents")
	cmd.MarkFlagsOneRequired("regency", "district")
	cmd.MarkFlagsMutuallyExclusive("regency", "district")
	return cmd
}

// seedTarget checks the code given to --regency or --district against the
// flag's level. --district keeps taking a regency code, as it did before
// the glossary named the kecamatan "district" (PRODUCT.md, "Words").
func seedTarget(regency, district string) (string, error) {
	flag, code := "--district", district
	if regency != "" {
		flag, code = "--regency", regency
	}
	level, _, err := tenancy.ParseCode(code)
	if err != nil {
		return "", fmt.Errorf("%s: %w", flag, err)
	}
	switch {
	case flag == "--regency" && level != tenancy.Regency:
		return "", fmt.Errorf("--regency takes a regency (kabupaten/kota) code such as 14.01, not a %s; for a district (kecamatan) use --district", level)
	case flag == "--district" && level != tenancy.Regency && level != tenancy.District:
		return "", fmt.Errorf("--district takes a district (kecamatan) code such as 14.01.01, not a %s; for a whole regency use --regency 14.01", level)
	}
	return code, nil
}

// regencyOf is the regency a regency or district code lies in.
func regencyOf(code string) string {
	if as := tenancy.Ancestors(code); len(as) >= 2 {
		return as[len(as)-2] // [district..., regency, province]
	}
	return code
}

func (a *app) seed(code string, residents, parallel int, seed uint64) error {
	if residents < 0 || parallel < 1 {
		return fmt.Errorf("--residents must be positive (or 0 for the census figure) and --parallel at least 1")
	}
	if residents == 0 {
		p, err := regions.PopulationOf(code)
		if err != nil {
			return fmt.Errorf("%w; give --residents", err)
		}
		residents = p.Total
	}
	d, err := a.startDeployment()
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.requirePlugin("population", a.v.GetString("plugins")); err != nil {
		return err
	}
	start := time.Now()

	// The region tree and the modules, in one transaction.
	list, err := regions.Open()
	if err != nil {
		return err
	}
	defer list.Close()
	var enabled []string
	for _, in := range d.Runtime.Instances() {
		if info := in.Info(); info.State == plugin.StateRunning {
			enabled = append(enabled, info.ID)
		}
	}
	var imported *tenancy.ImportResult
	err = d.Host.DB.Transaction(func(tx *gorm.DB) error {
		var err error
		if imported, err = tenancy.Import(tx, list, []string{code}, nil); err != nil {
			return err
		}
		// The modules are enabled for the whole regency, not only the
		// seeded code: the regency's portal (its villages, its
		// numbers) is where a newcomer looks first, and a code alone
		// left it at 404 module_not_enabled (issue 13 item 5). Its other
		// districts have no residents until seeded.
		on := true
		for _, id := range enabled {
			// SetModule audits each and tells a running server to reload.
			if err := plugin.SetModule(tx, cliWho(), regencyOf(code), id, &on); err != nil {
				return err
			}
		}
		return audit.Record(tx, cliWho(), code, "demo.seed", code, map[string]any{"residents": residents, "seed": seed, "modules": enabled})
	})
	if err != nil {
		return err
	}
	if err := d.Runtime.Modules().Reload(); err != nil {
		return err
	}
	villages, _, err := tenancy.List(d.Host.DB.DB, tenancy.Filter{Scopes: []string{code}, Level: tenancy.Village, Limit: 100000})
	if err != nil {
		return err
	}
	districts, _, err := tenancy.List(d.Host.DB.DB, tenancy.Filter{Scopes: []string{code}, Level: tenancy.District, Limit: 100000})
	if err != nil {
		return err
	}
	if len(villages) == 0 {
		return fmt.Errorf("the region list has no villages under %s", code)
	}
	fmt.Fprintf(a.stderr, "%s: %d regions (%d new), %d villages; modules enabled for the regency %s: %v\n", code, imported.Selected, imported.Created, len(villages), regencyOf(code), enabled)
	kecName := map[string]string{}
	for _, t := range districts {
		kecName[t.Code] = t.Name
	}

	// One goroutine generates each village's CSV (the generator remembers
	// the serials it gave); importers send them through the plugin.
	counts := demo.Split(demo.NewRand(seed), residents, len(villages), 200)
	type job struct {
		village string
		csv     []byte
	}
	jobs := make(chan job, parallel)
	gen := demo.New(seed, time.Now())
	genErr := make(chan error, 1)
	go func() {
		defer close(jobs)
		for i, v := range villages {
			var buf bytes.Buffer
			parent := ""
			if v.Parent != nil {
				parent = kecName[*v.Parent]
			}
			if err := gen.WriteVillage(&buf, demo.Village{Code: v.Code, Name: v.Name, District: parent}, counts[i], true); err != nil {
				genErr <- err
				return
			}
			jobs <- job{village: v.Code, csv: buf.Bytes()}
		}
		genErr <- nil
	}()
	var done, inserted, skipped, villagesDone atomic.Int64
	stopProgress := a.progress(func() string {
		n := done.Load()
		return fmt.Sprintf("seeding residents: %d of %d (%d%%) in %d of %d villages, %.0f/s", n, residents,
			n*100/int64(max(residents, 1)), villagesDone.Load(), len(villages), float64(n)/time.Since(start).Seconds())
	})
	var wg sync.WaitGroup
	var firstErr error
	var errOnce sync.Once
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for w := 0; w < max(parallel, 1); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if ctx.Err() != nil {
					continue
				}
				out, err := d.invoke(ctx, j.village, "population", "POST", "/import", "text/csv", bytes.NewReader(j.csv), int64(len(j.csv)))
				var sum importSummary
				if err == nil {
					err = json.Unmarshal(out, &sum)
				}
				if err == nil && sum.Rejected > 0 {
					err = fmt.Errorf("the plugin rejected %d generated residents of %s, first: line %d: %s", sum.Rejected, j.village, sum.Rejections[0].Line, sum.Rejections[0].Reason)
				}
				if err != nil {
					errOnce.Do(func() { firstErr = fmt.Errorf("importing into %s: %w", j.village, err); cancel() })
					continue
				}
				done.Add(int64(sum.Read))
				inserted.Add(int64(sum.Inserted))
				skipped.Add(int64(sum.Duplicates))
				villagesDone.Add(1)
			}
		}()
	}
	wg.Wait()
	stopProgress()
	if firstErr != nil {
		return firstErr
	}
	if err := <-genErr; err != nil {
		return fmt.Errorf("generating residents: %w", err)
	}
	// The imports' events (the profile's recount of each village) are
	// delivered in the background: closing the deployment under them
	// cancelled one and logged a WARN, and left the counts to the server's
	// next start. The seed finishes that work first.
	if err := settleEvents(d, settleTimeout, a.stderr); err != nil {
		return err
	}
	if err := analyzePluginTables(d.Host.DB); err != nil {
		return err
	}
	took := time.Since(start)
	fmt.Fprintf(a.stdout, "Seeded %s: %d villages, %d residents (%d new, %d already there) in %s, %.0f residents/s\n",
		code, len(villages), done.Load(), inserted.Load(), skipped.Load(), took.Round(time.Second), float64(done.Load())/took.Seconds())
	return nil
}

// settleTimeout bounds how long the seed waits for its events' deliveries.
const settleTimeout = 2 * time.Minute

// settleEvents waits until every event recorded so far has been delivered
// to the consumers running in d (their deliveries are the runtime's, in
// the background), or until timeout; deliveries still pending then are
// said on w and left to the server, which delivers them when it starts.
func settleEvents(d *deployment, timeout time.Duration, w io.Writer) error {
	var consumers []string
	for _, in := range d.Runtime.Instances() {
		if m := in.Manifest(); m != nil && len(m.Consumes) > 0 && in.Info().State == plugin.StateRunning {
			consumers = append(consumers, m.Id)
		}
	}
	if len(consumers) == 0 {
		return nil
	}
	deadline := time.Now().Add(timeout)
	for {
		var pending int64
		if err := d.Host.DB.Model(&events.Delivery{}).Where("delivered_at IS NULL AND consumer IN ?", consumers).Count(&pending).Error; err != nil {
			return fmt.Errorf("reading the event outbox: %w", err)
		}
		if pending == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			fmt.Fprintf(w, "%d event deliveries (%s) still pending after %s: the server delivers them when it starts\n", pending, strings.Join(consumers, ", "), timeout)
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// analyzePluginTables refreshes PostgreSQL's statistics of the plugin
// tables after a bulk load. Until autovacuum gets to it (a minute or more
// later) the planner believes a freshly seeded table empty: regency
// statistics then sorted 900,000 rows on disk (1.4 s) instead of a
// parallel hash aggregate (0.4 s). SQLite is left alone: without
// statistics its planner uses fixed rules that a bulk load does not make
// wrong, and its ANALYZE would read every index of a 450 MB file.
func analyzePluginTables(db *store.DB) error {
	if db.Dialect != store.Postgres {
		return nil
	}
	var tables []string
	if err := db.Raw("SELECT table_name FROM plugin_collections ORDER BY table_name").Scan(&tables).Error; err != nil {
		return fmt.Errorf("listing plugin tables: %w", err)
	}
	for _, t := range tables {
		if err := db.Exec(`ANALYZE "` + strings.ReplaceAll(t, `"`, `""`) + `"`).Error; err != nil {
			return fmt.Errorf("analyzing %s: %w", t, err)
		}
	}
	return nil
}
