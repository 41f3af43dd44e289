package store

import (
	"fmt"
	"sort"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// Migration is one versioned, forward-only schema change. IDs sort in the
// order they must run; each package of the host contributes its own.
type Migration = gormigrate.Migration

const migrationsTable = "schema_migrations"

// advisoryLockKey serialises migrations of concurrent processes on PostgreSQL
// (a server starting while the CLI runs, or two replicas).
const advisoryLockKey = 0x62616c6169 // "balai"

// ErrSchemaTooNew is returned when the database was migrated by a newer balai.
type ErrSchemaTooNew struct{ Unknown, Latest string }

func (e *ErrSchemaTooNew) Error() string {
	return fmt.Sprintf("the database schema has migration %s, newer than this binary knows (its latest is %s): upgrade balai before using this database", e.Unknown, e.Latest)
}

// Migrate applies every migration not yet applied, in ID order, each in its
// own transaction. It refuses a database that carries migrations this binary
// does not know, rather than run against a schema it does not understand.
func (db *DB) Migrate(ms []*Migration) error {
	ms = append([]*Migration(nil), ms...)
	sort.Slice(ms, func(i, j int) bool { return ms[i].ID < ms[j].ID })
	known := make(map[string]bool, len(ms))
	for _, m := range ms {
		known[m.ID] = true
	}
	latest := ""
	if len(ms) > 0 {
		latest = ms[len(ms)-1].ID
	}
	return db.Connection(func(conn *gorm.DB) error {
		// Each statement on conn gets its own gorm.Statement: without this
		// the Pluck below left its table and destination on the shared
		// one, and gormigrate's insert of the next migration's ID then
		// panicked, so no database that had been migrated once could take
		// a new migration.
		conn = conn.Session(&gorm.Session{})
		if db.Dialect == Postgres {
			if err := conn.Exec("SELECT pg_advisory_lock(?)", advisoryLockKey).Error; err != nil {
				return fmt.Errorf("locking for migration: %w", err)
			}
			defer conn.Exec("SELECT pg_advisory_unlock(?)", advisoryLockKey)
		}
		if conn.Migrator().HasTable(migrationsTable) {
			var applied []string
			if err := conn.Table(migrationsTable).Pluck("id", &applied).Error; err != nil {
				return fmt.Errorf("reading applied migrations: %w", err)
			}
			sort.Strings(applied)
			for _, id := range applied {
				if !known[id] {
					return &ErrSchemaTooNew{Unknown: id, Latest: latest}
				}
			}
		}
		opts := &gormigrate.Options{TableName: migrationsTable, IDColumnName: "id", IDColumnSize: 64, UseTransaction: true}
		if err := gormigrate.New(conn, opts, ms).Migrate(); err != nil {
			return fmt.Errorf("migrating database: %w", err)
		}
		return nil
	})
}

// SchemaVersion returns the ID of the newest applied migration.
func (db *DB) SchemaVersion() (string, error) {
	var id string
	err := db.Table(migrationsTable).Select("id").Order("id DESC").Limit(1).Scan(&id).Error
	return id, err
}
