package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"
	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/audit"
	"github.com/balaidesa/balai/core/demo"
	"github.com/balaidesa/balai/core/plugin"
	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/tenancy"
	"github.com/balaidesa/balai/core/tenancy/regions"
)

func (a *app) demoCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Generate demonstration data: a whole district with its residents",
	}
	cmd.AddCommand(a.demoSeedCmd())
	return cmd
}

func (a *app) demoSeedCmd() *cobra.Command {
	var district string
	var residents, parallel int
	var seed uint64
	cmd := &cobra.Command{
		Use:   "seed --district CODE",
		Short: "Create a district's villages and fill them with generated residents",
		Long: `Create a realistic district to try Balai on or to measure it: its
sub-districts and villages from the built-in official region list, every
installed module enabled for it, and residents in families (the regency's
census figure by default: Kabupaten Kampar, 14.01, has 898,973) with NIKs and
KK numbers that pass the population module's checks.

The residents go through the population plugin's import, in batches, as a
real import does; the same seed makes the same people, so running the
command again adds nothing. Needs the population plugin in --plugins.
Progress is printed to standard error.`,
		Example: `  balai demo seed --district 14.01                     # Kampar: 250 villages, 898,973 residents
  balai demo seed --district 14.01.01 --residents 20000 # one sub-district, quickly`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.seed(district, residents, parallel, seed)
		},
	}
	cmd.Flags().StringVar(&district, "district", "", "the regency or sub-district to create (Kemendagri code, e.g. 14.01)")
	cmd.Flags().IntVar(&residents, "residents", 0, "how many residents (default: the regency's census figure)")
	cmd.Flags().IntVar(&parallel, "parallel", 2, "villages imported at once")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "random seed: the same seed makes the same residents")
	cmd.MarkFlagRequired("district")
	return cmd
}

func (a *app) seed(district string, residents, parallel int, seed uint64) error {
	level, _, err := tenancy.ParseCode(district)
	if err != nil {
		return err
	}
	if level != tenancy.Regency && level != tenancy.District {
		return fmt.Errorf("--district must be a regency (14.01) or a sub-district (14.01.01), not a %s", level)
	}
	if residents < 0 || parallel < 1 {
		return fmt.Errorf("--residents must be positive (or 0 for the census figure) and --parallel at least 1")
	}
	if residents == 0 {
		p, err := regions.PopulationOf(district)
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
		if imported, err = tenancy.Import(tx, list, []string{district}, nil); err != nil {
			return err
		}
		on := true
		for _, id := range enabled {
			// SetModule audits each and tells a running server to reload.
			if err := plugin.SetModule(tx, cliWho(), district, id, &on); err != nil {
				return err
			}
		}
		return audit.Record(tx, cliWho(), district, "demo.seed", district, map[string]any{"residents": residents, "seed": seed, "modules": enabled})
	})
	if err != nil {
		return err
	}
	if err := d.Runtime.Modules().Reload(); err != nil {
		return err
	}
	villages, _, err := tenancy.List(d.Host.DB.DB, tenancy.Filter{Scopes: []string{district}, Level: tenancy.Village, Limit: 100000})
	if err != nil {
		return err
	}
	districts, _, err := tenancy.List(d.Host.DB.DB, tenancy.Filter{Scopes: []string{district}, Level: tenancy.District, Limit: 100000})
	if err != nil {
		return err
	}
	if len(villages) == 0 {
		return fmt.Errorf("the region list has no villages under %s", district)
	}
	fmt.Fprintf(a.stderr, "%s: %d regions (%d new), %d villages; modules enabled: %v\n", district, imported.Selected, imported.Created, len(villages), enabled)
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
	if err := analyzePluginTables(d.Host.DB); err != nil {
		return err
	}
	took := time.Since(start)
	fmt.Fprintf(a.stdout, "Seeded %s: %d villages, %d residents (%d new, %d already there) in %s, %.0f residents/s\n",
		district, len(villages), done.Load(), inserted.Load(), skipped.Load(), took.Round(time.Second), float64(done.Load())/took.Seconds())
	return nil
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
