package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
)

const lockedNIK = "1401019912990001" // no such resident: each check fails

// failVerify makes one failed identity check at population's public
// POST /verify and returns its status.
func failVerify(t *testing.T, c *Client, nik string) *Resp {
	t.Helper()
	return c.Do(t, "POST", p(villageA, "population", "/verify"), map[string]string{"nik": nik, "kk": "1401010000000001", "mother_name": "Siti"})
}

// Issue 9, item 1: a vendor plugin named population_verify with a
// collection failures (population's verify_failures table was
// p_population_verify_failures, and so was this one's) reaches only its own data: not the NIKs of
// population's lockouts, not the lockouts to reset them, not another
// plugin's files or settings.
func TestPluginNamesDoNotCollide(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"population", "probe", "population_verify"})
		for _, id := range []string{"population", "probe", "population_verify"} {
			w.enable(t, "14.01", id, true)
		}
		anon := w.h.Anon()
		for range 5 {
			failVerify(t, anon, lockedNIK).ExpectErr(404, "resident_not_found")
		}
		failVerify(t, anon, lockedNIK).ExpectErr(429, "too_many_attempts")
		populations := dbCount(t, w.h, "p_population_verify_failures", "")
		if populations == 0 {
			t.Fatal("population's verify_failures holds no rows after five failures")
		}

		col := func(path string) string { return p(villageA, "population_verify", path) }
		if n := w.op.Do(t, "GET", col("/attempts"), nil).Expect(200).Total(); n != 0 {
			t.Errorf("population_verify sees %d attempts; want none (population's lockouts are not its data)", n)
		}
		if d := w.op.Do(t, "POST", col("/reset"), nil).Expect(200).JSON()["deleted"]; d != float64(0) {
			t.Errorf("population_verify deleted %v attempts", d)
		}
		// Its own record with the same NIK is its own, and clashes with nothing.
		w.op.Do(t, "POST", col("/attempts"), map[string]any{"nik": lockedNIK, "failures": 0}).Expect(201)
		if n := w.op.Do(t, "GET", col("/attempts"), nil).Expect(200).Total(); n != 1 {
			t.Errorf("population_verify sees %d of its own attempts, want 1", n)
		}
		failVerify(t, anon, lockedNIK).ExpectErr(429, "too_many_attempts") // still locked
		if n := dbCount(t, w.h, "p_population_verify_failures", ""); n != populations {
			t.Errorf("population's verify_failures holds %d rows, want its own %d", n, populations)
		}
		if n := dbCount(t, w.h, "p17_population_verify_failures", ""); n != 1 {
			t.Errorf("population_verify's table holds %d rows, want its 1", n)
		}
		// Files and settings are the plugin's own too.
		png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 100)...)
		f := w.op.Do(t, "POST", p(villageA, "probe", "/photo"), png).Expect(201).JSON()
		w.op.Do(t, "GET", col(fmt.Sprintf("/files/%v", f["id"])), nil).ExpectErr(404, "not_found")
		w.op.Do(t, "PUT", p(villageA, "probe", "/settings"), map[string]string{"letterhead": "Desa Kumantan"}).Expect(204)
		if s := w.op.Do(t, "GET", col("/settings"), nil).Expect(200).JSON()["settings"]; s != nil {
			t.Errorf("population_verify reads settings %v", s)
		}
	})
}

// Issue 9, item 1: a deployment of an earlier release, where
// population_verify's failures lived in p_population_verify_failures, is
// upgraded in place: the plugin still reads its records, under its new
// table, and population's collection of that old name starts empty
// instead of inheriting them.
func TestLegacyPluginTablesAreMigrated(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		h := NewHost(t, b)
		h.MustCLI(t, "tenant", "import", "--file", WilayahCSV(t), "--under", "14.01")
		// The database as the previous release left it.
		db, err := store.Open(store.Options{URL: h.DBURL, DataDir: h.DataDir})
		if err != nil {
			t.Fatal(err)
		}
		tenantCol := "tenant TEXT NOT NULL"
		if db.Dialect == store.Postgres {
			tenantCol = `tenant TEXT COLLATE "C" NOT NULL`
		}
		now := time.Now().UnixMilli()
		for _, stmt := range []string{
			"CREATE TABLE p_population_verify_failures (id TEXT PRIMARY KEY, " + tenantCol + ", version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, f_nik TEXT, f_address TEXT, f_failures BIGINT, f_since TEXT)",
			"CREATE INDEX ix_00000000000000aa ON p_population_verify_failures (tenant, id)",
			"CREATE UNIQUE INDEX ix_00000000000000bb ON p_population_verify_failures (tenant, f_nik, f_address)",
			fmt.Sprintf("INSERT INTO p_population_verify_failures VALUES ('0190f3c2-0000-7000-8000-0000000000aa', '%s', 1, %d, %d, '%s', '192.0.2.1', 3, '2026-11-30T10:00:00Z')", villageA, now, now, lockedNIK),
			`INSERT INTO plugin_collections (plugin, collection, table_name, fields, updated_at) VALUES ('population_verify', 'failures', 'p_population_verify_failures', '[{"name":"nik","type":1},{"name":"address","type":1},{"name":"failures","type":2},{"name":"since","type":1}]', CURRENT_TIMESTAMP)`,
			"DELETE FROM schema_migrations WHERE id = '202611301000_plugin_tables_injective'",
		} {
			if err := db.Exec(stmt).Error; err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
		}
		db.Close()

		h.Serve(t, "--plugins", PluginDir(t, "population", "population_verify"))
		admin := h.Admin(t)
		for _, id := range []string{"population", "population_verify"} {
			admin.Do(t, "PUT", "/api/v1/tenants/14.01/modules/"+id, map[string]bool{"enabled": true}).Expect(200)
		}
		items := admin.Do(t, "GET", p(villageA, "population_verify", "/attempts"), nil).Expect(200).Items()
		if len(items) != 1 || items[0]["data"].(map[string]any)["nik"] != lockedNIK {
			t.Fatalf("population_verify's attempts after the upgrade: %v; want its one record", items)
		}
		// Its unique index came along: the same NIK is refused.
		admin.Do(t, "POST", p(villageA, "population_verify", "/attempts"), map[string]any{"nik": lockedNIK, "failures": 1}).ExpectErr(409, "duplicate")
		// population's verify_failures is a table of its own: the NIK with 3
		// failures is not locked after 2 more of population's own, and
		// population's table holds only its own counters (one for the
		// address, one for the NIK from all addresses).
		for range 2 {
			failVerify(t, h.Anon(), lockedNIK).ExpectErr(404, "resident_not_found")
		}
		if n := dbCount(t, h, "p_population_verify_failures", "f_address = '192.0.2.1'"); n != 0 {
			t.Errorf("population's verify_failures holds %d of the vendor's rows", n)
		}
		if n := dbCount(t, h, "p17_population_verify_failures", ""); n != 1 {
			t.Errorf("the migrated table holds %d rows, want 1", n)
		}
	})
}
