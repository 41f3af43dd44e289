package records

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// legacyTableName is how releases before issue 9 named plugin tables.
func legacyTableName(plugin, coll string) string {
	name := "p_" + plugin + "_" + coll
	if len(name) <= 63 {
		return name
	}
	sum := sha256.Sum256([]byte(plugin + "/" + coll))
	return name[:50] + "_" + hex.EncodeToString(sum[:6])
}

func TestTableNamesAreInjective(t *testing.T) {
	long := strings.Repeat("a", 63)
	pairs := [][2]string{
		{"population", "verify_attempts"}, {"population_verify", "attempts"}, {"population_verify_attempts", "x"},
		{"population", "verify"}, {"population_verify", "x"}, {"a_b", "c_d"}, {"a", "b_c_d"}, {"a_b_c", "d"},
		{"p1", "x"}, {"p", "1_x"}, {"census", long}, {"census", long[:62] + "b"}, {"census_x", long}, {"census", "x" + long[:55]},
		{"zz", long[:59]}, {"z", "z_" + long[:57]},
	}
	// A name a plugin can make of its own collections must never be the
	// hashed name of another pair either: try every pair's name as a
	// collection name of other plugins.
	seen := map[string][2]string{}
	for _, p := range pairs {
		name := TableName(p[0], p[1])
		if len(name) > 63 {
			t.Errorf("%v: %q is longer than PostgreSQL's 63 bytes", p, name)
		}
		if other, dup := seen[name]; dup {
			t.Errorf("%v and %v share table %s", p, other, name)
		}
		seen[name] = p
	}
	for want, p := range map[string][2]string{
		"p_population_verify_attempts":   {"population", "verify_attempts"}, // unchanged for first-party plugins
		"p17_population_verify_attempts": {"population_verify", "attempts"},
		"p_marketplace_orders":           {"marketplace", "orders"},
	} {
		if got := TableName(p[0], p[1]); got != want {
			t.Errorf("TableName%v = %s, want %s", p, got, want)
		}
	}
}

var attempts = &pb.Collection{Name: "attempts", Fields: []*pb.Field{
	{Name: "nik", Type: pb.FieldType_FIELD_TYPE_STRING, Personal: true},
	{Name: "tries", Type: pb.FieldType_FIELD_TYPE_INT},
}, Indexes: []*pb.Index{{Fields: []string{"nik"}, Unique: true}}}

// previousRelease creates the collections of plugin as the release before
// issue 9 did (legacy table and index names, catalogue rows naming them)
// and stores rows in them.
func previousRelease(t *testing.T, db *store.DB, plugin string, pc *pb.Collection, rows ...map[string]any) {
	t.Helper()
	c := newCollection(plugin, pc)
	c.Table = legacyTableName(plugin, pc.Name)
	if err := db.Transaction(func(tx *gorm.DB) error {
		// The previous release did not check claims: write as it did.
		if err := tx.Exec("DELETE FROM plugin_collections WHERE plugin = ? AND collection = ?", plugin, pc.Name).Error; err != nil {
			return err
		}
		return ensureOneUnclaimed(tx, db.Dialect, c)
	}); err != nil {
		t.Fatalf("creating %s as the previous release did: %v", c.Table, err)
	}
	e := NewEngine(db)
	e.colls[plugin] = map[string]*Collection{pc.Name: c}
	for _, r := range rows {
		b, _ := json.Marshal(r)
		res, err := e.Run(context.Background(), plugin, Scope{Tenant: "14.01.01.2009"}, &pb.StorageRequest{Ops: []*pb.StorageOp{{Op: &pb.StorageOp_Insert{Insert: &pb.InsertOp{Collection: pc.Name, Records: []*pb.Record{{Data: b}}}}}}})
		if err != nil || res.Results[0].Error != nil {
			t.Fatalf("storing into %s: %v %v", c.Table, err, res.Results[0].Error)
		}
	}
}

// upgrade starts this release on a database of the previous one: it opens
// the database afresh, as a new binary does, and migrates it.
func upgrade(t *testing.T, b storetest.Backend, u, dir string, db *store.DB) *store.DB {
	t.Helper()
	if err := db.Exec("DELETE FROM schema_migrations WHERE id = ?", "202611301000_plugin_tables_injective").Error; err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err := store.Open(store.Options{URL: u, DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(Migrations()); err != nil {
		t.Fatalf("upgrading: %v", err)
	}
	return db
}

// eachBackend runs fn on a fresh database of every backend, with what it
// needs to open the database again.
func eachBackend(t *testing.T, fn func(t *testing.T, b storetest.Backend, u, dir string, db *store.DB)) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			u, dir := b.New(t)
			db, err := store.Open(store.Options{URL: u, DataDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if err := db.Migrate(Migrations()); err != nil {
				t.Fatal(err)
			}
			fn(t, b, u, dir, db)
		})
	}
}

func read(t *testing.T, e *Engine, plugin, coll string, op *pb.StorageOp) *pb.OpResult {
	t.Helper()
	res, err := e.Run(context.Background(), plugin, Scope{Tenant: "14.01.01.2009"}, &pb.StorageRequest{Ops: []*pb.StorageOp{op}})
	if err != nil {
		t.Fatal(err)
	}
	return res.Results[0]
}

func all(coll string) *pb.StorageOp {
	return &pb.StorageOp{Op: &pb.StorageOp_Query{Query: &pb.Query{Collection: coll, Count: true}}}
}

func insert(coll string, v any) *pb.StorageOp {
	b, _ := json.Marshal(v)
	return &pb.StorageOp{Op: &pb.StorageOp_Insert{Insert: &pb.InsertOp{Collection: coll, Records: []*pb.Record{{Data: b}}}}}
}

// Issue 9, item 1: a deployment whose plugin tables were named the old,
// ambiguous way is upgraded in place: each table moves to its new name with
// its records and indexes, and two plugins never end up on one table.
func TestLegacyTablesMoveToInjectiveNames(t *testing.T) {
	eachBackend(t, func(t *testing.T, b storetest.Backend, u, dir string, db *store.DB) {
		longColl := &pb.Collection{Name: "attempts_of_identity_verification_by_mother_name_and_kk", Fields: attempts.Fields, Indexes: attempts.Indexes}
		previousRelease(t, db, "population_verify", attempts, map[string]any{"nik": "1401010101010001", "tries": 2})
		previousRelease(t, db, "census", longColl, map[string]any{"nik": "1401010101010002", "tries": 1})
		db = upgrade(t, b, u, dir, db)

		e := NewEngine(db)
		if err := e.Register("population_verify", []*pb.Collection{attempts}); err != nil {
			t.Fatal(err)
		}
		if err := e.Register("census", []*pb.Collection{longColl}); err != nil {
			t.Fatal(err)
		}
		for plugin, coll := range map[string]string{"population_verify": "attempts", "census": longColl.Name} {
			if r := read(t, e, plugin, coll, all(coll)); r.Error != nil || r.Total != 1 {
				t.Errorf("%s.%s after the upgrade: %v, total %d; want its one record", plugin, coll, r.Error, r.Total)
			}
			// The unique index moved too, and is still recognised.
			var nik string
			for _, rec := range read(t, e, plugin, coll, all(coll)).Records {
				var v struct{ Nik string }
				json.Unmarshal(rec.Data, &v)
				nik = v.Nik
			}
			if r := read(t, e, plugin, coll, insert(coll, map[string]any{"nik": nik})); r.Error == nil || r.Error.Code != "duplicate" || r.Error.Field != "nik" {
				t.Errorf("%s.%s: a duplicate nik after the upgrade gave %v; want duplicate on nik", plugin, coll, r.Error)
			}
			if db.Migrator().HasTable(legacyTableName(plugin, coll)) {
				t.Errorf("%s.%s: the old table %s is still there", plugin, coll, legacyTableName(plugin, coll))
			}
			var n int64
			db.Table("plugin_collections").Where("plugin = ? AND collection = ? AND table_name = ?", plugin, coll, TableName(plugin, coll)).Count(&n)
			if n != 1 {
				t.Errorf("%s.%s: the catalogue does not name table %s", plugin, coll, TableName(plugin, coll))
			}
		}
		// population's own collection now gets a table of its own, empty.
		verify := &pb.Collection{Name: "verify_attempts", Fields: attempts.Fields}
		if err := e.Register("population", []*pb.Collection{verify}); err != nil {
			t.Fatal(err)
		}
		if r := read(t, e, "population", "verify_attempts", all("verify_attempts")); r.Error != nil || r.Total != 0 {
			t.Errorf("population.verify_attempts sees %d records of population_verify", r.Total)
		}
	})
}

// Where an earlier release already put two plugins' collections in one
// table, nobody can tell whose records are whose: the table stays with the
// pair that owns its name now, and the other plugin is refused.
func TestSharedLegacyTableIsRefused(t *testing.T) {
	eachBackend(t, func(t *testing.T, b storetest.Backend, u, dir string, db *store.DB) {
		verify := &pb.Collection{Name: "verify_attempts", Fields: attempts.Fields}
		previousRelease(t, db, "population", verify, map[string]any{"nik": "1401010101010001", "tries": 3})
		previousRelease(t, db, "population_verify", attempts, map[string]any{"nik": "1401010101010009", "tries": 0})
		db = upgrade(t, b, u, dir, db)
		e := NewEngine(db)
		err := e.Register("population_verify", []*pb.Collection{attempts})
		if err == nil || !strings.Contains(err.Error(), "p_population_verify_attempts") {
			t.Fatalf("population_verify on the shared table: %v; want a refusal naming the table", err)
		}
		if err := e.Register("population", []*pb.Collection{verify}); err != nil {
			t.Fatalf("population, owner of the table's name, was refused: %v", err)
		}
		if r := read(t, e, "population", "verify_attempts", all("verify_attempts")); r.Error != nil || r.Total != 2 {
			t.Errorf("population's table lost records: %v %d", r.Error, r.Total)
		}
		if db.Migrator().HasTable(TableName("population_verify", "attempts")) {
			t.Errorf("a table was made for the refused plugin")
		}
	})
}

// A table the catalogue does not know is never adopted by a collection.
func TestForeignTableIsNotAdopted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.Migrate(Migrations()); err != nil {
			t.Fatal(err)
		}
		if err := db.Exec("CREATE TABLE p17_population_verify_attempts (id TEXT PRIMARY KEY, tenant TEXT)").Error; err != nil {
			t.Fatal(err)
		}
		err := NewEngine(db).Register("population_verify", []*pb.Collection{attempts})
		if err == nil || !strings.Contains(err.Error(), "belongs to no collection") {
			t.Fatalf("got %v; want a refusal", err)
		}
	})
}
