package records

import (
	"fmt"
	"regexp"

	"gorm.io/gorm"
)

// tableNameRE is what TableName produces; the purge builds SQL from the
// stored name, so it refuses anything else.
var tableNameRE = regexp.MustCompile(`^p_[a-z0-9_]{1,61}$`)

// cataloged lists every plugin collection table in the catalogue, keyed
// "plugin.collection". The stored table_name is used rather than
// recomputed, so a purge reaches tables whatever naming made them.
func cataloged(tx *gorm.DB) ([]struct{ Plugin, Collection, TableName string }, error) {
	var rows []struct{ Plugin, Collection, TableName string }
	if err := tx.Table("plugin_collections").Select("plugin, collection, table_name").Order("plugin, collection").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("reading the collection catalogue: %w", err)
	}
	return rows, nil
}

// CountTenant returns, per "plugin.collection", how many records a tenant
// holds itself (not below it); collections without any are left out.
func CountTenant(tx *gorm.DB, tenant string) (map[string]int64, error) {
	rows, err := cataloged(tx)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for _, r := range rows {
		var n int64
		if err := tx.Table(r.TableName).Where("tenant = ?", tenant).Count(&n).Error; err != nil {
			return nil, fmt.Errorf("counting %s.%s of %s: %w", r.Plugin, r.Collection, tenant, err)
		}
		if n > 0 {
			out[r.Plugin+"."+r.Collection] = n
		}
	}
	return out, nil
}

// PurgeTenant deletes, in tx, every record a tenant holds itself in every
// cataloged collection, and returns the counts per "plugin.collection". It
// is the storage half of deleting a tenant: a tenant created again with the
// same code must start empty.
func PurgeTenant(tx *gorm.DB, tenant string) (map[string]int64, error) {
	rows, err := cataloged(tx)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for _, r := range rows {
		if !tableNameRE.MatchString(r.TableName) {
			return nil, fmt.Errorf("the catalogue names table %q for %s.%s: not a plugin table", r.TableName, r.Plugin, r.Collection)
		}
		res := tx.Exec("DELETE FROM "+r.TableName+" WHERE tenant = ?", tenant)
		if res.Error != nil {
			return nil, fmt.Errorf("purging %s.%s of %s: %w", r.Plugin, r.Collection, tenant, res.Error)
		}
		if res.RowsAffected > 0 {
			out[r.Plugin+"."+r.Collection] = res.RowsAffected
			// Cached aggregates of the tenant's regions must see it go.
			if err := bumpVersion(tx, r.TableName, tenant); err != nil {
				return nil, err
			}
		}
	}
	// Its kept aggregate results go with it (the bumped versions already
	// keep them from being used).
	if err := tx.Exec("DELETE FROM "+resultsTable+" WHERE tenant = ?", tenant).Error; err != nil {
		return nil, fmt.Errorf("purging kept aggregates of %s: %w", tenant, err)
	}
	return out, nil
}
