package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/plugin"
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
	DryRun         bool     `json:"dry_run"`
	Format         string   `json:"format"`
	Read           int      `json:"read"`
	Inserted       int      `json:"inserted"`
	WouldInsert    *int     `json:"would_insert"`
	Duplicates     int      `json:"duplicates"`
	Rejected       int      `json:"rejected"`
	UnknownColumns []string `json:"unknown_columns"`
	IgnoredColumns []string `json:"ignored_columns"`
	Rejections     []struct {
		Line   int    `json:"line"`
		NIK    string `json:"nik"`
		Reason string `json:"reason"`
	} `json:"rejections"`
	RejectsFile *struct {
		Rows    int    `json:"rows"`
		URL     string `json:"url"`
		Expires string `json:"expires"`
	} `json:"rejects_file"`
}

func (a *app) populationImportCmd() *cobra.Command {
	var tenant, file, sheet, rejects string
	var asJSON, dryRun bool
	cmd := &cobra.Command{
		Use:   "import --tenant CODE --file FILE",
		Short: "Import residents of a village from a CSV or .xlsx file, through the population plugin",
		Long: `Import residents from a file into a village, through the population plugin
exactly as POST /api/v1/t/{village}/population/import does. The file is CSV
(comma, semicolon or tab; UTF-8 with or without a byte order mark) or an
Excel workbook (.xlsx, the first sheet or --sheet), laid out as Balai's own
export, OpenSID's import template or SIAK's export: the columns are
recognised by their names, and the words of the coded fields (religion,
education, occupation...) are translated. Each row is checked (NIK, KK,
dates, codes, one living head per family), valid rows are inserted in
batches, rows whose NIK is already registered are skipped, and every
rejected row is reported with its line and reason; columns not imported
are listed. Importing the same file twice adds nothing.

--dry-run checks the file against the village's register and writes
nothing. --rejects OUT writes the rejected rows to OUT, in the file's
format, with its columns and a reason column (alasan): fix them there and
import OUT again.

The command starts the deployment's plugins from --plugins itself, so it
works with or without a running server; the module must be enabled for the
tenant (balai plugin enable population --tenant CODE). Progress is printed
to standard error; the summary to standard output.`,
		Example: `  balai population import --tenant 14.01.01.2009 --file residents.csv
  balai population import --tenant 14.01.01.2009 --file siak.xlsx --dry-run --rejects ditolak.xlsx`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, _, err := tenancy.ParseCode(tenant); err != nil {
				return err
			}
			switch {
			case file == "" && len(args) == 1:
				file = args[0] // the older form: the file as the argument
			case file == "":
				return fmt.Errorf("name the file to import with --file")
			case len(args) == 1:
				return fmt.Errorf("name the file once, with --file")
			}
			f, err := os.Open(file)
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
			query := url.Values{}
			if dryRun {
				query.Set("dry_run", "true")
			}
			if sheet != "" {
				query.Set("sheet", sheet)
			}
			if rejects != "" {
				query.Set("rejects", "file")
			}
			contentType := "text/csv"
			if strings.EqualFold(filepath.Ext(file), ".xlsx") {
				contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
			}
			body := &countingReader{r: f}
			verb := "importing"
			if dryRun {
				verb = "checking"
			}
			stopProgress := a.progress(func() string {
				done := body.n.Load()
				return fmt.Sprintf("%s %s into %s: %s of %s (%d%%)", verb, filepath.Base(file), tenant,
					megabytes(done), megabytes(st.Size()), done*100/max(st.Size(), 1))
			})
			res, err := d.invokeAnswer(context.Background(), tenant, "population", "POST", "/import", query.Encode(), contentType, body, st.Size())
			stopProgress()
			if err != nil {
				return err
			}
			out := res.body.Bytes()
			if rejects != "" {
				// The answer is the rejects file; the counts come in a header.
				if err := os.WriteFile(rejects, out, 0o600); err != nil {
					return fmt.Errorf("writing the rejected rows: %w", err)
				}
				out = []byte(res.header.Get("Balai-Import-Summary"))
			}
			if asJSON {
				_, err := a.stdout.Write(append(out, '\n'))
				return err
			}
			var sum importSummary
			if err := json.Unmarshal(out, &sum); err != nil {
				return fmt.Errorf("reading the plugin's answer: %w", err)
			}
			if sum.DryRun {
				would := 0
				if sum.WouldInsert != nil {
					would = *sum.WouldInsert
				}
				fmt.Fprintf(a.stdout, "Dry run, nothing written: %d rows read: %d would be inserted, %d already registered (would be skipped), %d rejected\n",
					sum.Read, would, sum.Duplicates, sum.Rejected)
			} else {
				fmt.Fprintf(a.stdout, "%d rows read: %d inserted, %d already registered (skipped), %d rejected\n",
					sum.Read, sum.Inserted, sum.Duplicates, sum.Rejected)
			}
			if len(sum.UnknownColumns) > 0 {
				fmt.Fprintf(a.stdout, "Columns not recognised (not imported): %s\n", strings.Join(sum.UnknownColumns, ", "))
			}
			if len(sum.IgnoredColumns) > 0 {
				fmt.Fprintf(a.stdout, "Columns the register does not keep (not imported): %s\n", strings.Join(sum.IgnoredColumns, ", "))
			}
			for _, r := range sum.Rejections {
				fmt.Fprintf(a.stdout, "  line %d %s: %s\n", r.Line, r.NIK, r.Reason)
			}
			switch {
			case rejects != "":
				fmt.Fprintf(a.stdout, "The rejected rows are in %s (column alasan says why): fix them there and import it again.\n", rejects)
			case sum.RejectsFile != nil:
				fmt.Fprintf(a.stdout, "The %d rejected rows can be downloaded until %s: GET /api/v1/t/%s/population%s (or import again with --rejects FILE)\n",
					sum.RejectsFile.Rows, sum.RejectsFile.Expires, tenant, sum.RejectsFile.URL)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&tenant, "tenant", "", "the village to import into (Kemendagri code)")
	cmd.Flags().StringVar(&file, "file", "", "the file to import: CSV or .xlsx")
	cmd.Flags().StringVar(&sheet, "sheet", "", "the worksheet of a workbook to read (default: the first)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "check the file against the register and write nothing")
	cmd.Flags().StringVar(&rejects, "rejects", "", "write the rejected rows to this file, with a reason column (alasan)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the plugin's JSON answer")
	cmd.MarkFlagRequired("tenant")
	return cmd
}

// invokeAnswer is invoke with a query string, answering the whole answer
// (its headers too: a file answer carries its summary in one).
func (d *deployment) invokeAnswer(ctx context.Context, tenant, pluginID, method, path, rawQuery, contentType string, body io.Reader, size int64) (*answer, error) {
	hdr := http.Header{}
	if contentType != "" {
		hdr.Set("Content-Type", contentType)
	}
	var res answer
	err := d.Runtime.Invoke(ctx, plugin.Invocation{Actor: cliWho().Actor, Tenant: tenant, Plugin: pluginID, Method: method, Path: path,
		RawQuery: rawQuery, Header: hdr, Body: body, Size: size}, &res)
	if err != nil {
		return nil, err
	}
	if res.status >= 400 {
		return nil, apierr.FromBody(res.status, res.body.Bytes())
	}
	return &res, nil
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
