// Package modules records which plugins are enabled for which tenants. A
// setting on a tenant holds for every tenant below it until a nearer tenant
// says otherwise: a district enables population for all its villages, and
// may switch it off for one.
package modules

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/tenancy"
)

// Setting is an explicit choice for a tenant.
type Setting struct {
	Tenant    string    `gorm:"primaryKey;size:13" json:"tenant"`
	Plugin    string    `gorm:"primaryKey;size:32" json:"plugin"`
	Enabled   bool      `gorm:"not null" json:"enabled"`
	UpdatedAt time.Time `json:"updated_at"`
}

// TableName fixes the table name.
func (Setting) TableName() string { return "module_settings" }

// Migrations create the enablement and plugin settings tables.
func Migrations() []*store.Migration {
	type setting struct {
		Tenant    string `gorm:"primaryKey;size:13"`
		Plugin    string `gorm:"primaryKey;size:32"`
		Enabled   bool   `gorm:"not null"`
		UpdatedAt time.Time
	}
	return append([]*store.Migration{{
		ID: "202611250200_module_settings",
		Migrate: func(tx *gorm.DB) error {
			return tx.Table("module_settings").AutoMigrate(&setting{})
		},
	}}, settingsMigrations()...)
}

// Set records an explicit setting (in the caller's transaction).
func Set(tx *gorm.DB, tenant, plugin string, enabled bool) error {
	s := Setting{Tenant: tenant, Plugin: plugin, Enabled: enabled, UpdatedAt: time.Now().UTC()}
	return tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "tenant"}, {Name: "plugin"}},
		DoUpdates: clause.AssignmentColumns([]string{"enabled", "updated_at"}),
	}).Create(&s).Error
}

// Clear removes an explicit setting, so the tenant inherits again.
func Clear(tx *gorm.DB, tenant, plugin string) error {
	return tx.Where("tenant = ? AND plugin = ?", tenant, plugin).Delete(&Setting{}).Error
}

// DropTenant removes a deleted tenant's settings.
func DropTenant(tx *gorm.DB, tenant string) error {
	return tx.Where("tenant = ?", tenant).Delete(&Setting{}).Error
}

// Table answers enablement from memory; Reload refreshes it.
type Table struct {
	db *store.DB
	mu sync.Mutex
	m  atomic.Pointer[map[string]map[string]bool] // tenant → plugin → enabled
}

// NewTable loads the settings.
func NewTable(db *store.DB) (*Table, error) {
	t := &Table{db: db}
	return t, t.Reload()
}

// Reload reads all settings again.
func (t *Table) Reload() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	var rows []Setting
	if err := t.db.Find(&rows).Error; err != nil {
		return fmt.Errorf("loading module settings: %w", err)
	}
	m := map[string]map[string]bool{}
	for _, r := range rows {
		if m[r.Tenant] == nil {
			m[r.Tenant] = map[string]bool{}
		}
		m[r.Tenant][r.Plugin] = r.Enabled
	}
	t.m.Store(&m)
	return nil
}

// Resolution says whether a module is enabled in a tenant and why.
type Resolution struct {
	Enabled bool `json:"enabled"`
	// From is the tenant whose setting decides ("" when none does).
	From string `json:"from,omitempty"`
}

// Resolve finds the nearest explicit setting at or above tenant.
func (t *Table) Resolve(tenant, plugin string) Resolution {
	m := *t.m.Load()
	if e, ok := m[tenant][plugin]; ok {
		return Resolution{Enabled: e, From: tenant}
	}
	return t.Above(tenant, plugin)
}

// Enabled reports whether plugin is enabled for tenant.
func (t *Table) Enabled(tenant, plugin string) bool { return t.Resolve(tenant, plugin).Enabled }

// Regions returns where plugin is enabled in tenant's subtree (tenant
// included), for tenancy.RegionClause: a roll-up over the tenants below
// one must leave out those where the module is switched off. Each setting
// below tenant that differs from what its parent resolves to starts a hole
// (or, under a hole, a region again); tenants without settings inherit.
// The answer is empty when the module is enabled nowhere in the subtree.
func (t *Table) Regions(tenant, plugin string) []tenancy.Region {
	m := *t.m.Load()
	// A flip is a tenant below tenant whose setting changes the state it
	// would inherit; the state at any tenant is that of the nearest flip
	// at or above it, or tenant's own.
	var flips []string
	for code, ps := range m {
		on, ok := ps[plugin]
		if !ok || code == tenant || !tenancy.Within(code, tenant) {
			continue
		}
		if on != t.Enabled(tenancy.Ancestors(code)[0], plugin) {
			flips = append(flips, code)
		}
	}
	// Sorted, an ancestor comes before the tenants below it.
	slices.Sort(flips)
	children := map[string][]string{} // nearest flip (or tenant) above → flips
	isFlip := map[string]bool{}
	for _, code := range flips {
		parent := tenant
		for _, a := range tenancy.Ancestors(code) {
			if isFlip[a] {
				parent = a
				break
			}
		}
		children[parent] = append(children[parent], code)
		isFlip[code] = true
	}
	var build func(root string) tenancy.Region
	build = func(root string) tenancy.Region {
		r := tenancy.Region{Root: root}
		for _, c := range children[root] {
			r.Holes = append(r.Holes, build(c))
		}
		return r
	}
	if t.Enabled(tenant, plugin) {
		return []tenancy.Region{build(tenant)}
	}
	// Off at tenant: the flips right below it are where it is on again.
	return build(tenant).Holes
}

// DecidedAbove returns the nearest explicit setting for plugin strictly
// above tenant, or nil when no tenant above decided on it. It reads tx, not
// the in-memory Table, so a policy check and the write it guards see the
// same rows.
func DecidedAbove(tx *gorm.DB, tenant, plugin string) (*Setting, error) {
	ancestors := tenancy.Ancestors(tenant)
	if len(ancestors) == 0 {
		return nil, nil
	}
	var rows []Setting
	if err := tx.Where("plugin = ? AND tenant IN ?", plugin, ancestors).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("reading module settings above %s: %w", tenant, err)
	}
	// Ancestors runs nearest first; the nearest decision is the one in force.
	for _, a := range ancestors {
		for i := range rows {
			if rows[i].Tenant == a {
				return &rows[i], nil
			}
		}
	}
	return nil, nil
}

// Above is Resolve without tenant's own setting: the nearest explicit
// setting strictly above tenant (From "" when no tenant above decided).
// The console uses it to show which switches a tenant may no longer flip.
func (t *Table) Above(tenant, plugin string) Resolution {
	m := *t.m.Load()
	for _, a := range tenancy.Ancestors(tenant) {
		if e, ok := m[a][plugin]; ok {
			return Resolution{Enabled: e, From: a}
		}
	}
	return Resolution{}
}
