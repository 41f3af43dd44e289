package store_test

import (
	"testing"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
)

// A database migrated by one release takes the new migrations of the next
// one: what every upgrade does.
func TestMigrateAddsNewMigrationsToAMigratedDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ran := map[string]int{}
		m := func(id string) *store.Migration {
			return &store.Migration{ID: id, Migrate: func(*gorm.DB) error { ran[id]++; return nil }}
		}
		if err := db.Migrate([]*store.Migration{m("0001_a")}); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate([]*store.Migration{m("0001_a"), m("0002_b")}); err != nil {
			t.Fatalf("the second release's migration: %v", err)
		}
		if err := db.Migrate([]*store.Migration{m("0001_a"), m("0002_b"), m("0003_c")}); err != nil {
			t.Fatalf("the third release's migration: %v", err)
		}
		if ran["0001_a"] != 1 || ran["0002_b"] != 1 || ran["0003_c"] != 1 {
			t.Errorf("migrations ran %v times; want each once", ran)
		}
		if v, err := db.SchemaVersion(); err != nil || v != "0003_c" {
			t.Errorf("schema version %q %v", v, err)
		}
	})
}
