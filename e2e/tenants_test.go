package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTenantImport(t *testing.T) {
	Each(t, func(t *testing.T, h *Host) {
		csv := WilayahCSV(t)
		first := h.MustCLI(t, "tenant", "import", "--file", csv, "--under", "14.01")
		if !strings.Contains(first.Stderr, "importing tenants: 272/272") && !strings.Contains(first.Stderr, "273/273") {
			t.Errorf("no progress line on stderr:\n%s", first.Stderr)
		}
		if !strings.Contains(first.Stdout, "273 created") {
			t.Errorf("first import: %s", first.Stdout)
		}
		admin := h.Admin(t)
		levels := map[string]int{"province": 1, "regency": 1, "district": 21, "village": 250}
		for level, want := range levels {
			if got := admin.Do(t, "GET", "/api/v1/tenants?level="+level, nil).Expect(200).Total(); got != want {
				t.Errorf("%d tenants of level %s, want %d", got, level, want)
			}
		}
		kampar := admin.Do(t, "GET", "/api/v1/tenants/14.01", nil).Expect(200).JSON()
		if kampar["name"] != "Kabupaten Kampar" || kampar["level"] != "regency" || kampar["parent"] != "14" {
			t.Errorf("14.01 = %v", kampar)
		}
		// Twice changes nothing.
		again := h.MustCLI(t, "tenant", "import", "--file", csv, "--under", "14.01")
		if !strings.Contains(again.Stdout, "0 created, 0 renamed, 273 unchanged") {
			t.Errorf("second import: %s", again.Stdout)
		}
		// Repeated --under adds Pelalawan and shares the province.
		h.MustCLI(t, "tenant", "import", "--file", csv, "--under", "14.01", "--under", "14.05")
		if n := admin.Do(t, "GET", "/api/v1/tenants?level=province", nil).Total(); n != 1 {
			t.Errorf("%d provinces after importing two regencies", n)
		}
		// An unknown region, or a broken file, imports nothing.
		before := admin.Do(t, "GET", "/api/v1/tenants?limit=1", nil).Total()
		if r := h.CLI(t, "", "tenant", "import", "--file", csv, "--under", "14.99"); r.Code == 0 || !strings.Contains(r.Stderr, "14.99") {
			t.Errorf("unknown --under: exit %d %s", r.Code, r.Stderr)
		}
		broken := filepath.Join(t.TempDir(), "broken.csv")
		os.WriteFile(broken, []byte("kode,nama\n15,Jambi\n15.01,Kabupaten Kerinci\n15.01.x,Broken\n"), 0o644)
		if r := h.CLI(t, "", "tenant", "import", "--file", broken); r.Code == 0 || !strings.Contains(r.Stderr, "line 4") {
			t.Errorf("broken file: exit %d %s", r.Code, r.Stderr)
		}
		if after := admin.Do(t, "GET", "/api/v1/tenants?limit=1", nil).Total(); after != before {
			t.Errorf("failed imports changed the tenant count from %d to %d", before, after)
		}
		// The CLI lists as JSON too.
		var list struct{ Total int }
		json.Unmarshal([]byte(h.MustCLI(t, "tenant", "list", "--parent", "14.01", "--json").Stdout), &list)
		if list.Total != 21 {
			t.Errorf("CLI lists %d sub-districts of Kampar", list.Total)
		}
	})
}

func TestTenantLifecycle(t *testing.T) {
	Each(t, func(t *testing.T, h *Host) {
		h.ImportKampar(t)
		admin := h.Admin(t)
		created := admin.Do(t, "POST", "/api/v1/tenants", map[string]string{"code": "14.01.01.2999", "name": "Desa Baru"}).Expect(201).JSON()
		if created["level"] != "village" || created["parent"] != "14.01.01" {
			t.Errorf("created %v", created)
		}
		// Bangkinang Kota has 4 villages and now the new one: pages of 3.
		children := admin.Do(t, "GET", "/api/v1/tenants?parent=14.01.01&limit=3&page=2", nil).Expect(200)
		if children.Total() != 5 || len(children.Items()) != 2 || children.Items()[1]["code"] != "14.01.01.2999" {
			t.Errorf("page 2 of Bangkinang Kota's villages: %v of %d", children.Items(), children.Total())
		}
		admin.Do(t, "PATCH", "/api/v1/tenants/14.01.01.2999", map[string]string{"name": "Desa Baru Jaya"}).Expect(200)
		if admin.Do(t, "GET", "/api/v1/tenants/14.01.01.2999", nil).JSON()["name"] != "Desa Baru Jaya" {
			t.Error("rename did not stick")
		}
		admin.Do(t, "DELETE", "/api/v1/tenants/14.01.01", nil).ExpectErr(409, "tenant_has_children")
		admin.Do(t, "DELETE", "/api/v1/tenants/14.01.01.2999", nil).Expect(204)
		admin.Do(t, "GET", "/api/v1/tenants/14.01.01.2999", nil).ExpectErr(404, "tenant_not_found")
		// The CLI does the same.
		h.MustCLI(t, "tenant", "create", "14.01.01.2998", "Desa Contoh")
		h.MustCLI(t, "tenant", "rename", "14.01.01.2998", "Desa Contoh Makmur")
		if out := h.MustCLI(t, "tenant", "get", "14.01.01.2998").Stdout; !strings.Contains(out, "Desa Contoh Makmur") {
			t.Errorf("CLI get: %s", out)
		}
		if r := h.CLI(t, "", "tenant", "delete", "14.01.01"); r.Code == 0 || !strings.Contains(r.Stderr, "tenant_has_children") {
			t.Errorf("CLI delete with children: exit %d %s", r.Code, r.Stderr)
		}
		if r := h.CLI(t, "", "tenant", "create", "14.0x", "Bad"); r.Code == 0 || !strings.Contains(r.Stderr, "invalid_code") {
			t.Errorf("CLI bad code: exit %d %s", r.Code, r.Stderr)
		}
		h.MustCLI(t, "tenant", "delete", "14.01.01.2998")
		admin.Do(t, "GET", "/api/v1/tenants/14.01.01.2998", nil).ExpectErr(404, "tenant_not_found")
	})
}
