// Package store opens the host's database (SQLite by default, PostgreSQL when
// the URL says so) and brings its schema up to date.
package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the database behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is the host's database handle.
type DB struct {
	*gorm.DB
	Dialect Dialect
	// Where is a printable description of the database with any password removed.
	Where string
	// gate queues the writers of a SQLite file (nil on PostgreSQL).
	gate *writeGate
}

// Options say which database to open.
type Options struct {
	// URL is a postgres:// URL; empty means SQLite under DataDir.
	URL string
	// DataDir holds balai.db when URL is empty.
	DataDir string
}

// Open connects to the database without migrating it.
func Open(opts Options) (*DB, error) {
	cfg := &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
	switch {
	case strings.HasPrefix(opts.URL, "postgres://"), strings.HasPrefix(opts.URL, "postgresql://"):
		g, err := gorm.Open(postgres.Open(opts.URL), cfg)
		if err != nil {
			return nil, fmt.Errorf("connecting to PostgreSQL at %s: %w", Redact(opts.URL), err)
		}
		sqlDB, err := g.DB()
		if err != nil {
			return nil, err
		}
		sqlDB.SetMaxOpenConns(32)
		sqlDB.SetMaxIdleConns(16)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		return &DB{DB: g, Dialect: Postgres, Where: Redact(opts.URL)}, nil
	case opts.URL == "" || strings.HasPrefix(opts.URL, "sqlite:") || strings.HasPrefix(opts.URL, "file:"):
		path := strings.TrimPrefix(strings.TrimPrefix(opts.URL, "sqlite://"), "sqlite:")
		if path == "" {
			dir := opts.DataDir
			if dir == "" {
				dir = "data"
			}
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("creating data directory %s: %w", dir, err)
			}
			path = filepath.Join(dir, "balai.db")
		}
		// WAL lets readers proceed while one writer commits; writers queue
		// (see writeGate), and SQLite's own busy wait is a short backstop.
		dsn := path + fmt.Sprintf("?_pragma=busy_timeout(%d)", sqliteBusyTimeout) +
			"&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
		gate, err := newWriteGate(path)
		if err != nil {
			return nil, err
		}
		sqlDB, err := openSQLite(dsn, gate)
		if err != nil {
			gate.close()
			return nil, fmt.Errorf("opening SQLite database %s: %w", path, err)
		}
		g, err := gorm.Open(&sqlite.Dialector{Conn: sqlDB}, cfg)
		if err != nil {
			sqlDB.Close()
			gate.close()
			return nil, fmt.Errorf("opening SQLite database %s: %w", path, err)
		}
		// Readers run side by side; writers take turns at the gate.
		sqlDB.SetMaxOpenConns(4)
		return &DB{DB: g, Dialect: SQLite, Where: "sqlite " + path, gate: gate}, nil
	default:
		return nil, fmt.Errorf("unsupported database URL %q: use postgres://... or leave it empty for SQLite", Redact(opts.URL))
	}
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	sqlDB, err := db.DB.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Close releases the connection pool.
func (db *DB) Close() error {
	sqlDB, err := db.DB.DB()
	if err != nil {
		return err
	}
	err = sqlDB.Close()
	if db.gate != nil {
		err = errors.Join(err, db.gate.close())
	}
	return err
}

// Redact removes a password from a database URL so it can be printed.
func Redact(url string) string {
	at := strings.LastIndex(url, "@")
	scheme := strings.Index(url, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return url
	}
	cred := url[scheme+3 : at]
	if i := strings.Index(cred, ":"); i >= 0 {
		return url[:scheme+3] + cred[:i] + ":xxxxx" + url[at:]
	}
	return url
}

// IsUniqueViolation reports whether err is a unique-constraint failure on
// either database.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505") || strings.Contains(msg, "duplicate key value")
}
