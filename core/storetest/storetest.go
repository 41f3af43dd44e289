// Package storetest runs storage tests against every database Balai
// supports: SQLite always, PostgreSQL when BALAI_TEST_DATABASE_URL is set.
// Each test gets a database of its own (a temporary SQLite file, or a fresh
// PostgreSQL schema that is dropped afterwards), so tests run in parallel
// without seeing each other's rows.
package storetest

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/balaidesa/balai/core/store"
)

// EnvURL names the PostgreSQL server used by tests.
const EnvURL = "BALAI_TEST_DATABASE_URL"

// EnvRequire, when set, turns a missing PostgreSQL into a failure instead of
// a skip; CI sets it so that PostgreSQL coverage cannot silently disappear.
const EnvRequire = "BALAI_TEST_REQUIRE_POSTGRES"

// Backend is a database flavour a test runs against.
type Backend struct {
	Name string // "sqlite" or "postgres"
	// URL returns a database URL for a new, empty database of this backend
	// ("" for SQLite means: the data directory decides).
	New func(t testing.TB) (url, dataDir string)
}

// Backends lists the databases to test against. Without PostgreSQL it
// records a skip (or a failure under EnvRequire) in t.
func Backends(t testing.TB) []Backend {
	bs := []Backend{{Name: "sqlite", New: func(t testing.TB) (string, string) { return "", t.TempDir() }}}
	base := os.Getenv(EnvURL)
	if base == "" {
		if os.Getenv(EnvRequire) != "" {
			t.Fatalf("%s is set but %s is not: PostgreSQL tests cannot be skipped", EnvRequire, EnvURL)
		}
		t.Logf("PostgreSQL tests skipped: set %s (for example postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", EnvURL)
		return bs
	}
	return append(bs, Backend{Name: "postgres", New: func(t testing.TB) (string, string) { return NewSchema(t, base), t.TempDir() }})
}

// NewSchema creates an empty schema on the server at base and returns a URL
// whose search_path points at it; the schema is dropped when t ends.
func NewSchema(t testing.TB, base string) string {
	t.Helper()
	admin, err := store.Open(store.Options{URL: base})
	if err != nil {
		t.Fatalf("PostgreSQL at %s: %v", store.Redact(base), err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "balai_t_" + hex.EncodeToString(b)
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("PostgreSQL at %s is not usable: %v", store.Redact(base), err)
	}
	t.Cleanup(func() {
		a, err := store.Open(store.Options{URL: base})
		if err != nil {
			return
		}
		defer a.Close()
		a.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parsing %s: %v", EnvURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Each runs fn once per backend, as a subtest, with an open database that is
// not migrated; call db.Migrate (or host.Open) as the test needs.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	for _, b := range Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			u, dir := b.New(t)
			db, err := store.Open(store.Options{URL: u, DataDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			fn(t, db)
		})
	}
}

// SQLitePath is where a SQLite backend keeps its file in dataDir.
func SQLitePath(dataDir string) string { return filepath.Join(dataDir, "balai.db") }
