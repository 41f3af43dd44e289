// Package host assembles the core services (storage, tenancy, auth, RBAC,
// audit) over one database. The server and the admin CLI both start here, so
// they see the same schema and the same rules.
package host

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/audit"
	"github.com/balaidesa/balai/core/auth"
	"github.com/balaidesa/balai/core/events"
	"github.com/balaidesa/balai/core/files"
	"github.com/balaidesa/balai/core/idempotency"
	"github.com/balaidesa/balai/core/modules"
	"github.com/balaidesa/balai/core/rbac"
	"github.com/balaidesa/balai/core/records"
	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/tenancy"
)

// Config says where the host keeps its state.
type Config struct {
	// DatabaseURL is a postgres:// URL; empty keeps a SQLite file in DataDir.
	DatabaseURL string
	// DataDir holds the SQLite database (when DatabaseURL is empty).
	DataDir string
	// Clock is the host's time of day, which plugins receive with every
	// request and event as their "now"; nil is time.Now. A test sets it to
	// run a plugin at a chosen moment (midnight in Papua, a year end).
	// Deadlines, timeouts and rate limits keep the real time.
	Clock func() time.Time
}

// Host is the assembled core.
type Host struct {
	DB    *store.DB
	Authz *rbac.Authorizer
	Log   *slog.Logger
	clock func() time.Time
}

// Now is the host's clock (Config.Clock): the time plugins are told it is.
func (h *Host) Now() time.Time {
	if h.clock == nil {
		return time.Now()
	}
	return h.clock()
}

// Migrations returns every migration the host knows, in order.
func Migrations() []*store.Migration {
	var ms []*store.Migration
	ms = append(ms, tenancy.Migrations()...)
	ms = append(ms, auth.Migrations()...)
	ms = append(ms, rbac.Migrations()...)
	ms = append(ms, audit.Migrations()...)
	ms = append(ms, records.Migrations()...)
	ms = append(ms, modules.Migrations()...)
	ms = append(ms, events.Migrations()...)
	ms = append(ms, files.Migrations()...)
	ms = append(ms, idempotency.Migrations()...)
	return ms
}

// Open connects, migrates and loads the policy.
func Open(cfg Config, reg *rbac.Registry, log *slog.Logger) (*Host, error) {
	if log == nil {
		log = slog.Default()
	}
	db, err := store.Open(store.Options{URL: cfg.DatabaseURL, DataDir: cfg.DataDir})
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(Migrations()); err != nil {
		db.Close()
		return nil, err
	}
	if reg == nil {
		reg = rbac.NewRegistry()
	}
	authz, err := rbac.New(db, reg, log)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Host{DB: db, Authz: authz, Log: log, clock: cfg.Clock}, nil
}

// Close releases the database.
func (h *Host) Close() error { return h.DB.Close() }

// Bootstrap creates the first user, admin with role superadmin, when the
// database has no users, with password, or a generated one that is returned
// so the caller can show it once.
func (h *Host) Bootstrap(password string) (created bool, generated string, err error) {
	err = h.DB.Transaction(func(tx *gorm.DB) error {
		n, err := auth.CountUsers(tx)
		if err != nil || n > 0 {
			return err
		}
		if password == "" {
			if generated, err = RandomPassword(20); err != nil {
				return err
			}
			password = generated
		}
		if _, err := auth.CreateUser(tx, auth.NewUser{Username: "admin", Password: password, FullName: "Administrator", CreatedBy: "bootstrap"}); err != nil {
			return fmt.Errorf("creating the first user admin (check BALAI_ADMIN_PASSWORD): %w", err)
		}
		if err := rbac.SetRoles(tx, rbac.Global, "admin", []string{rbac.RoleSuperadmin}); err != nil {
			return err
		}
		created = true
		return audit.Record(tx, audit.Who{Actor: "system", Source: "bootstrap"}, "", "user.create", "admin", map[string]any{"roles": []string{rbac.RoleSuperadmin}, "tenant": rbac.Global})
	})
	if err != nil {
		return false, "", err
	}
	if created {
		err = h.Authz.Reload()
	}
	return created, generated, err
}

// RandomPassword returns n characters from an alphabet without look-alikes.
func RandomPassword(n int) (string, error) {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, n)
	for i := range b {
		k, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			return "", err
		}
		b[i] = alphabet[k.Int64()]
	}
	return string(b), nil
}
