package modules

import (
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/tenancy"
)

// PluginSettings are a plugin's settings for one tenant (letterhead,
// numbering template...), as a JSON object.
type PluginSettings struct {
	Plugin    string `gorm:"primaryKey;size:32"`
	Tenant    string `gorm:"primaryKey;size:13"`
	Values    string `gorm:"type:text;not null"`
	UpdatedAt time.Time
}

// TableName fixes the table name.
func (PluginSettings) TableName() string { return "plugin_settings" }

func settingsMigrations() []*store.Migration {
	type settings struct {
		Plugin    string `gorm:"primaryKey;size:32"`
		Tenant    string `gorm:"primaryKey;size:13"`
		Values    string `gorm:"type:text;not null"`
		UpdatedAt time.Time
	}
	return []*store.Migration{{
		ID: "202611250210_plugin_settings",
		Migrate: func(tx *gorm.DB) error {
			return tx.Table("plugin_settings").AutoMigrate(&settings{})
		},
	}}
}

// GetSettings returns a tenant's settings for a plugin as they apply to it,
// inherited by top-level key: each key's value comes whole from the
// nearest tenant (the tenant itself, then its ancestors nearest first)
// whose own settings set it, and a key that tenant stored as null is
// removed. Values are never merged inside: an emblem's bytes and its
// content_type, or a signatory's name and NIP, always come from the same
// tenant. A village that never set a key so follows the regency's later
// changes of it. nil when no tenant on the way has any settings.
func GetSettings(db *gorm.DB, plugin, tenant string) ([]byte, error) {
	out, found, err := merged(db, plugin, append([]string{tenant}, tenancy.Ancestors(tenant)...))
	if err != nil || !found {
		return nil, err
	}
	return json.Marshal(out)
}

// merged layers the settings of codes, nearest first, as GetSettings
// says; found is false when none of them has a row.
func merged(db *gorm.DB, plugin string, codes []string) (out any, found bool, err error) {
	if len(codes) == 0 {
		return nil, false, nil
	}
	var rows []PluginSettings
	if err := db.Where("plugin = ? AND tenant IN ?", plugin, codes).Find(&rows).Error; err != nil {
		return nil, false, err
	}
	own := make(map[string]any, len(rows))
	for _, r := range rows {
		var v any
		if err := json.Unmarshal([]byte(r.Values), &v); err != nil {
			return nil, false, fmt.Errorf("settings of %s for %s: %w", plugin, r.Tenant, err)
		}
		own[r.Tenant] = v
	}
	for i := len(codes) - 1; i >= 0; i-- {
		v, ok := own[codes[i]]
		if !ok {
			continue
		}
		out, found = layer(out, v), true
	}
	return out, found, nil
}

// layer puts a nearer tenant's own settings over what it inherits: each
// top-level key it has replaces the inherited value whole, a null removes
// it. Settings that are not an object replace everything.
func layer(inherited, own any) any {
	om, ok := own.(map[string]any)
	if !ok {
		return own
	}
	im, _ := inherited.(map[string]any)
	out := make(map[string]any, len(im)+len(om))
	for k, v := range im {
		out[k] = v
	}
	for k, v := range om {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

// PutSettings stores a tenant's settings for a plugin; values are the
// settings as they are to apply to it (what GetSettings returns, changed).
// The tenant's row keeps, whole, each top-level key it sets: one it had
// set before (it stays its own, even if an ancestor now has the same
// value), or one whose value differs from the inherited one. A key equal
// to the inherited one that it never set is not stored, so it follows the
// ancestors' later changes; an inherited key missing from values is
// stored as null (removed, and it stays removed when an ancestor changes
// it), as is a key the tenant removed before and still leaves out. A
// tenant that inherits nothing stores values whole.
//
// The inherited settings are read and the row written in one transaction,
// serialised with every other save of the plugin's settings (SQLite
// writes one transaction at a time; PostgreSQL takes a transaction lock
// per plugin), so the diff is never made against settings an ancestor is
// changing at that moment.
func PutSettings(db *gorm.DB, plugin, tenant string, values []byte) error {
	var to any
	if err := json.Unmarshal(values, &to); err != nil {
		return fmt.Errorf("settings of %s for %s: %w", plugin, tenant, err)
	}
	return db.Transaction(func(tx *gorm.DB) error {
		if tx.Dialector.Name() == "postgres" {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(CAST(? AS integer), hashtext(?))", settingsLockKey, plugin).Error; err != nil {
				return err
			}
		}
		inherited, _, err := merged(tx, plugin, tenancy.Ancestors(tenant))
		if err != nil {
			return err
		}
		var prev any
		var rows []PluginSettings
		if err := tx.Where("plugin = ? AND tenant = ?", plugin, tenant).Limit(1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 1 {
			if err := json.Unmarshal([]byte(rows[0].Values), &prev); err != nil {
				return fmt.Errorf("settings of %s for %s: %w", plugin, tenant, err)
			}
		}
		own := values
		fm, fromObject := inherited.(map[string]any)
		if tm, toObject := to.(map[string]any); fromObject && toObject {
			pm, _ := prev.(map[string]any)
			if own, err = json.Marshal(ownPart(fm, pm, tm)); err != nil {
				return err
			}
		}
		s := PluginSettings{Plugin: plugin, Tenant: tenant, Values: string(own), UpdatedAt: time.Now().UTC()}
		return tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "plugin"}, {Name: "tenant"}},
			DoUpdates: clause.AssignmentColumns([]string{"values", "updated_at"}),
		}).Create(&s).Error
	})
}

// settingsLockKey is the first key of the PostgreSQL transaction lock
// PutSettings takes (the second is the plugin id's hash): "sets".
const settingsLockKey = 0x73657473

// ownPart is what a tenant stores, by top-level key, when it saves the
// settings to while inheriting from and having stored prev before (nil
// if it had no row): see PutSettings. layer(from, ownPart(from, prev,
// to)) equals to.
func ownPart(from, prev, to map[string]any) map[string]any {
	p := map[string]any{}
	for k := range from {
		if _, ok := to[k]; !ok {
			p[k] = nil
		}
	}
	for k, v := range prev {
		if _, ok := to[k]; !ok && v == nil {
			p[k] = nil
		}
	}
	for k, tv := range to {
		if pv, set := prev[k]; (set && pv != nil) || !reflect.DeepEqual(from[k], tv) {
			p[k] = tv
		}
	}
	return p
}
