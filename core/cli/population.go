package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/balaidesa/balai/core/tenancy"
)

func (a *app) populationCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "population",
		Short: "Work with the population module's data (imports)",
	}
	cmd.AddCommand(a.populationImportCmd())
	return cmd
}

// importSummary is the population plugin's answer to POST /import.
type importSummary struct {
	Read       int `json:"read"`
	Inserted   int `json:"inserted"`
	Duplicates int `json:"duplicates"`
	Rejected   int `json:"rejected"`
	Rejections []struct {
		Line   int    `json:"line"`
		NIK    string `json:"nik"`
		Reason string `json:"reason"`
	} `json:"rejections"`
}

func (a *app) populationImportCmd() *cobra.Command {
	var tenant string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "import --tenant CODE FILE",
		Short: "Import residents of a village from a CSV, through the population plugin",
		Long: `Import residents from a CSV file into a village, through the population
plugin exactly as POST /api/v1/t/{village}/population/import does: each row
is checked (NIK, KK, birth date, codes), valid rows are inserted in batches,
rows whose NIK is already registered are skipped, and every rejected row is
reported with its line and reason. Importing the same file twice adds
nothing. The columns are described in examples/population/README.md.

The command starts the deployment's plugins from --plugins itself, so it
works with or without a running server; the module must be enabled for the
tenant (balai plugin enable population --tenant CODE). Progress is printed
to standard error; the summary to standard output.`,
		Example: `  balai population import --tenant 14.01.01.2009 residents.csv`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, _, err := tenancy.ParseCode(tenant); err != nil {
				return err
			}
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil {
				return err
			}
			d, err := a.startDeployment()
			if err != nil {
				return err
			}
			defer d.Close()
			if err := d.requirePlugin("population", a.v.GetString("plugins")); err != nil {
				return err
			}
			body := &countingReader{r: f}
			stopProgress := a.progress(func() string {
				done := body.n.Load()
				return fmt.Sprintf("importing %s into %s: %s of %s (%d%%)", filepath.Base(args[0]), tenant,
					megabytes(done), megabytes(st.Size()), done*100/max(st.Size(), 1))
			})
			out, err := d.invoke(context.Background(), tenant, "population", "POST", "/import", "text/csv", body, st.Size())
			stopProgress()
			if err != nil {
				return err
			}
			if asJSON {
				_, err := a.stdout.Write(append(out, '\n'))
				return err
			}
			var sum importSummary
			if err := json.Unmarshal(out, &sum); err != nil {
				return fmt.Errorf("reading the plugin's answer: %w", err)
			}
			fmt.Fprintf(a.stdout, "%d rows read: %d inserted, %d already registered (skipped), %d rejected\n",
				sum.Read, sum.Inserted, sum.Duplicates, sum.Rejected)
			for _, r := range sum.Rejections {
				fmt.Fprintf(a.stdout, "  line %d %s: %s\n", r.Line, r.NIK, r.Reason)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&tenant, "tenant", "", "the village to import into (Kemendagri code)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the plugin's JSON answer")
	cmd.MarkFlagRequired("tenant")
	return cmd
}

// countingReader counts what has been read, for progress lines.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func megabytes(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

// progress rewrites one line on standard error every second with what line
// returns, until the returned stop is called; stop prints it a last time.
func (a *app) progress(line func() string) (stop func()) {
	start := time.Now()
	done := make(chan struct{})
	finished := make(chan struct{})
	print := func() {
		fmt.Fprintf(a.stderr, "\r%s, %s\033[K", line(), time.Since(start).Round(time.Second))
	}
	go func() {
		defer close(finished)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				print()
				fmt.Fprintln(a.stderr)
				return
			case <-t.C:
				print()
			}
		}
	}()
	return func() { close(done); <-finished }
}
