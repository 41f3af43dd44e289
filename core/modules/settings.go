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
	"github.com/balaidesa/balai/sdk/input"
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

// GetSettings returns a tenant's settings for a plugin as they apply to it:
// those of its furthest ancestor that has some, with each nearer tenant's
// own settings, the tenant's last, merged over them key by key (RFC 7386
// merge patch: objects merge, a null removes the key, anything else
// replaces). A village that set only its signatory so follows the
// regency's later changes of everything else (its emblem included). nil
// when no tenant on the way has any.
func GetSettings(db *gorm.DB, plugin, tenant string) ([]byte, error) {
	return merged(db, plugin, append([]string{tenant}, tenancy.Ancestors(tenant)...))
}

// merged merges the settings of codes, nearest first, as GetSettings says.
func merged(db *gorm.DB, plugin string, codes []string) ([]byte, error) {
	if len(codes) == 0 {
		return nil, nil
	}
	var rows []PluginSettings
	if err := db.Where("plugin = ? AND tenant IN ?", plugin, codes).Find(&rows).Error; err != nil {
		return nil, err
	}
	var out any
	found := false
	for i := len(codes) - 1; i >= 0; i-- {
		for _, r := range rows {
			if r.Tenant != codes[i] {
				continue
			}
			var v any
			if err := json.Unmarshal([]byte(r.Values), &v); err != nil {
				return nil, fmt.Errorf("settings of %s for %s: %w", plugin, r.Tenant, err)
			}
			if _, isObject := v.(map[string]any); !isObject {
				// Not an object: nothing to merge, the nearest wins whole.
				out = v
			} else {
				out = input.MergePatch(out, v)
			}
			found = true
		}
	}
	if !found {
		return nil, nil
	}
	return json.Marshal(out)
}

// PutSettings stores a tenant's settings for a plugin. What is stored is
// the tenant's own part only: the merge patch from what it inherits to
// values, so a key equal to the inherited one is not kept (it follows the
// ancestors' later changes) and an inherited key missing from values is
// kept as null (the tenant removed it). A tenant with no ancestor settings
// stores values whole.
func PutSettings(db *gorm.DB, plugin, tenant string, values []byte) error {
	inherited, err := merged(db, plugin, tenancy.Ancestors(tenant))
	if err != nil {
		return err
	}
	own := values
	if inherited != nil {
		var from, to any
		if err := json.Unmarshal(inherited, &from); err != nil {
			return err
		}
		if err := json.Unmarshal(values, &to); err != nil {
			return err
		}
		fm, fromObject := from.(map[string]any)
		if tm, toObject := to.(map[string]any); fromObject && toObject {
			if own, err = json.Marshal(diffPatch(fm, tm)); err != nil {
				return err
			}
		}
	}
	s := PluginSettings{Plugin: plugin, Tenant: tenant, Values: string(own), UpdatedAt: time.Now().UTC()}
	return db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "plugin"}, {Name: "tenant"}},
		DoUpdates: clause.AssignmentColumns([]string{"values", "updated_at"}),
	}).Create(&s).Error
}

// diffPatch is the merge patch that turns the object from into the
// object to: input.MergePatch(from, diffPatch(from, to)) equals to (a null
// inside to's values aside, which a merge patch cannot carry).
func diffPatch(from, to map[string]any) map[string]any {
	p := map[string]any{}
	for k := range from {
		if _, ok := to[k]; !ok {
			p[k] = nil
		}
	}
	for k, tv := range to {
		fv, ok := from[k]
		switch {
		case !ok:
			p[k] = tv
		case reflect.DeepEqual(fv, tv):
		default:
			fo, fIsObject := fv.(map[string]any)
			to2, tIsObject := tv.(map[string]any)
			if fIsObject && tIsObject {
				p[k] = diffPatch(fo, to2)
			} else {
				p[k] = tv
			}
		}
	}
	return p
}
