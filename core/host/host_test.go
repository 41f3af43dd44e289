package host_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/host"
	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
)

func TestMigrations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for i := 0; i < 2; i++ {
			if err := db.Migrate(host.Migrations()); err != nil {
				t.Fatalf("migration run %d: %v", i+1, err)
			}
		}
		v, err := db.SchemaVersion()
		newest := ""
		for _, m := range host.Migrations() { // each package's, in no order
			newest = max(newest, m.ID)
		}
		if err != nil || v != newest {
			t.Errorf("schema version %q (%v)", v, err)
		}
		if err := db.Exec("INSERT INTO schema_migrations (id) VALUES ('299901010000_future')").Error; err != nil {
			t.Fatal(err)
		}
		var tooNew *store.ErrSchemaTooNew
		err = db.Migrate(host.Migrations())
		if !errors.As(err, &tooNew) || !strings.Contains(err.Error(), "upgrade balai") {
			t.Errorf("a newer schema: %v", err)
		}
	})
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://balai:s3cret@db:5432/balai": "postgres://balai:xxxxx@db:5432/balai",
		"postgres://balai@db/balai":             "postgres://balai@db/balai",
		"postgres://db/balai?sslmode=disable":   "postgres://db/balai?sslmode=disable",
		"postgres://u:p@ss@db/x":                "postgres://u:xxxxx@db/x",
	} {
		if got := store.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
