package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
)

// The CLI imports through the real population plugin, with the module's
// own checks, and generates a whole demo district the same way.
func TestPopulationCLI(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		h := NewHost(t, b)
		plugins := PluginDir(t, "population")
		// The built-in region list: no file needed.
		h.MustCLI(t, "tenant", "import", "--under", "14.01")

		sample, err := os.ReadFile(filepath.Join(repoRoot, "examples", "population", "residents-sample.csv"))
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "residents.csv")
		bad := "1401010003800099,1401012001150001,Tanggal Salah,L,,1980-03-16,,,,,4,,,,,\n" // day 00: no date
		if err := os.WriteFile(file, append(sample, bad...), 0o644); err != nil {
			t.Fatal(err)
		}
		// Not enabled yet: refused with the API's error, nothing imported.
		r := h.CLI(t, "", "population", "import", "--tenant", villageA, "--plugins", plugins, file)
		if r.Code == 0 || !strings.Contains(r.Stderr, "module_not_enabled") {
			t.Fatalf("import before enabling: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
		}
		h.MustCLI(t, "plugin", "enable", "population", "--tenant", "14.01", "--plugins", plugins)
		r = h.MustCLI(t, "population", "import", "--tenant", villageA, "--plugins", plugins, file)
		if !strings.Contains(r.Stdout, "5 rows read: 4 inserted, 0 already registered (skipped), 1 rejected") ||
			!regexp.MustCompile(`line 6 1401\*+99: .*birth date`).MatchString(r.Stdout) {
			t.Errorf("first import said:\n%s", r.Stdout)
		}
		if !strings.Contains(r.Stderr, "importing residents.csv into "+villageA) || !strings.Contains(r.Stderr, "(100%)") {
			t.Errorf("no progress line:\n%s", r.Stderr)
		}
		r = h.MustCLI(t, "population", "import", "--tenant", villageA, "--plugins", plugins, file)
		if !strings.Contains(r.Stdout, "4 already registered") || !strings.Contains(r.Stdout, "0 inserted") {
			t.Errorf("second import said:\n%s", r.Stdout)
		}
		for _, args := range [][]string{
			{"population", "import", "--plugins", plugins, file},                                  // no tenant
			{"population", "import", "--tenant", villageA, "--plugins", plugins, file + ".x"},     // no file
			{"population", "import", "--tenant", "14.01.01.9", "--plugins", plugins, file},        // bad code
			{"population", "import", "--tenant", villageA, "--plugins", t.TempDir(), file},        // no plugin
			{"demo", "seed", "--district", "14", "--plugins", plugins},                            // a province
			{"demo", "seed", "--district", "14.01.01", "--plugins", plugins, "--residents", "-1"}, // nonsense
		} {
			if r := h.CLI(t, "", args...); r.Code == 0 || !strings.HasPrefix(r.Stderr, "error: ") {
				t.Errorf("balai %s: exit %d, stderr %q", strings.Join(args, " "), r.Code, r.Stderr)
			}
		}

		// A demo sub-district: generated residents all pass the module's
		// checks, and the same seed adds nobody the second time.
		r = h.MustCLI(t, "demo", "seed", "--district", "14.01.02", "--residents", "3000", "--plugins", plugins)
		if !regexp.MustCompile(`Seeded 14\.01\.02: \d+ villages, 3000 residents \(3000 new, 0 already there\)`).MatchString(r.Stdout) {
			t.Errorf("seed said:\n%s%s", r.Stdout, r.Stderr)
		}
		r = h.MustCLI(t, "demo", "seed", "--district", "14.01.02", "--residents", "3000", "--plugins", plugins)
		if !strings.Contains(r.Stdout, "(0 new, 3000 already there)") {
			t.Errorf("second seed said:\n%s", r.Stdout)
		}

		h.Serve(t, "--plugins", plugins)
		anon := h.Anon()
		if st := anon.Do(t, "GET", p("14.01.02", "population", "/stats?by=sex"), nil).Expect(200).JSON(); st["total"] != float64(3000) {
			t.Errorf("sub-district statistics after the seed: %v", st)
		}
		if st := anon.Do(t, "GET", p("14.01", "population", "/stats?by=sex"), nil).Expect(200).JSON(); st["total"] != float64(3004) {
			t.Errorf("district statistics: %v", st)
		}
		// Seeding beside a running server: it serves the new sub-district
		// without a restart (Pelalawan: nothing enabled there before).
		h.MustCLI(t, "demo", "seed", "--district", "14.05.01", "--residents", "500", "--plugins", plugins)
		waitFor(t, 10*time.Second, func() bool {
			return anon.Do(t, "GET", p("14.05.01", "population", "/stats?by=sex"), nil).Status == 200
		})
		if st := anon.Do(t, "GET", p("14.05.01", "population", "/stats?by=sex"), nil).Expect(200).JSON(); st["total"] != float64(500) {
			t.Errorf("statistics of a sub-district seeded beside the server: %v", st)
		}
		audit := h.Admin(t).Do(t, "GET", "/api/v1/audit?action=demo.seed", nil).Expect(200).Items()
		if len(audit) != 3 || !strings.HasPrefix(audit[0]["actor"].(string), "cli:") {
			t.Errorf("seeding is not in the audit trail: %v", audit)
		}
	})
}
