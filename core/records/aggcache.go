package records

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/store"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// Aggregates over a subtree (a regency's statistics: 250 villages, 900,000
// residents) are answered from per-tenant results kept in memory, exact at
// every call:
//
//   - every write of a plugin table bumps, in the write's transaction, the
//     version of the tenant it wrote in (record_versions: one row per table
//     and tenant);
//   - an aggregate reads the versions of the tenants in its region first,
//     then computes, grouped by tenant as well, only the tenants whose
//     version differs from the one their kept result was computed at (all
//     of them on the first call), and adds the tenants' results up.
//
// A result computed after its version was read may include a later write,
// but that write bumped the version, so the result is never used again: a
// kept result is used only while its tenant's version is unchanged, that
// is while the tenant's records are exactly as they were. Writes from
// another process (the CLI's seed next to a server) bump the same rows.
// A write in one village recomputes that village alone.

// versionsTable is the table of per-tenant write versions.
const versionsTable = "record_versions"

func versionsMigration() *store.Migration {
	return &store.Migration{
		ID: "202612010200_record_versions",
		Migrate: func(tx *gorm.DB) error {
			tx = tx.Session(&gorm.Session{NewDB: true})
			tenant := "tenant TEXT NOT NULL"
			if tx.Dialector.Name() == "postgres" {
				tenant = `tenant TEXT COLLATE "C" NOT NULL` // a region is a range of codes
			}
			if err := tx.Exec("CREATE TABLE " + versionsTable + " (tbl TEXT NOT NULL, " + tenant + ", version BIGINT NOT NULL, PRIMARY KEY (tbl, tenant))").Error; err != nil {
				return fmt.Errorf("creating %s: %w", versionsTable, err)
			}
			// Records written before this release have a version too, or
			// their tenants would be missing from every cached aggregate.
			rows, err := cataloged(tx)
			if err != nil {
				return err
			}
			for _, r := range rows {
				if !tableNameRE.MatchString(r.TableName) || !tx.Migrator().HasTable(r.TableName) {
					continue
				}
				if err := tx.Exec("INSERT INTO "+versionsTable+" (tbl, tenant, version) SELECT ?, tenant, 1 FROM "+r.TableName+" GROUP BY tenant", r.TableName).Error; err != nil {
					return fmt.Errorf("versions of %s: %w", r.TableName, err)
				}
			}
			return nil
		},
	}
}

const bumpSQL = "INSERT INTO " + versionsTable + " (tbl, tenant, version) VALUES (?, ?, 1) ON CONFLICT (tbl, tenant) DO UPDATE SET version = " + versionsTable + ".version + 1"

// bumpVersion records in tx that table changed in tenant.
func bumpVersion(tx *gorm.DB, table, tenant string) error {
	if err := tx.Exec(bumpSQL, table, tenant).Error; err != nil {
		return fmt.Errorf("bumping the version of %s in %s: %w", table, tenant, err)
	}
	return nil
}

// maxCachedTenants bounds the kept results (tenants × aggregate shapes);
// past it the cache starts again empty.
const maxCachedTenants = 200000

// aggCache keeps per-tenant aggregate results by shape.
type aggCache struct {
	mu      sync.Mutex
	entries map[string]*tenantAgg // shape + "\x00" + tenant
}

// tenantAgg is one tenant's groups at one version.
type tenantAgg struct {
	version int64
	groups  []rawGroup
}

// rawGroup is a group as the database gave it: key values (nil for NULL),
// count and sums, before any masking.
type rawGroup struct {
	key   []any
	count int64
	sums  []float64
}

func newAggCache() *aggCache { return &aggCache{entries: map[string]*tenantAgg{}} }

// aggregateCached answers a subtree aggregate from the cache, computing
// what is stale. groupCols and sel are as aggregate built them; filters
// and fargs are the filter clauses (" AND …") without the tenant.
func (x *exec) aggregateCached(groupCols []string, types []pb.FieldType, sums []string, filters string, fargs []any) ([]rawGroup, error) {
	region, rargs := x.tenantWhere(true)
	rows, err := x.tx.Raw("SELECT tenant, version FROM "+versionsTable+" WHERE tbl = ? AND "+region, append([]any{x.c.Table}, rargs...)...).Rows()
	if err != nil {
		return nil, err
	}
	versions := map[string]int64{}
	for rows.Next() {
		var t string
		var v int64
		if err := rows.Scan(&t, &v); err != nil {
			rows.Close()
			return nil, err
		}
		versions[t] = v
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	shape, _ := json.Marshal([]any{x.c.Table, groupCols, sums, filters, fargs})
	prefix := string(shape) + "\x00"
	c := x.cache
	c.mu.Lock()
	var stale []string
	kept := map[string]*tenantAgg{}
	for t, v := range versions {
		if e := c.entries[prefix+t]; e != nil && e.version == v {
			kept[t] = e
		} else {
			stale = append(stale, t)
		}
	}
	c.mu.Unlock()
	if len(stale) > 0 {
		slices.Sort(stale)
		fresh := map[string]*tenantAgg{}
		for _, t := range stale {
			fresh[t] = &tenantAgg{version: versions[t]}
		}
		sel := append([]string{"tenant"}, groupCols...)
		sel = append(sel, "COUNT(*)")
		for _, s := range sums {
			sel = append(sel, "COALESCE(SUM("+column(s)+"), 0)")
		}
		where, args := region, rargs
		if len(stale) <= 64 && len(stale) < len(versions) {
			// A few tenants changed: read only theirs.
			where, args = "tenant IN ?", []any{stale}
		}
		stmt := "SELECT " + strings.Join(sel, ", ") + " FROM " + x.c.Table + " WHERE " + where + filters +
			" GROUP BY " + strings.Join(append([]string{"tenant"}, groupCols...), ", ")
		rows, err := x.tx.Raw(stmt, append(append([]any{}, args...), fargs...)...).Rows()
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var tenant string
			dst := []any{&tenant}
			for _, t := range types {
				dst = append(dst, scanTarget(t))
			}
			g := rawGroup{key: make([]any, len(types)), sums: make([]float64, len(sums))}
			dst = append(dst, &g.count)
			for i := range g.sums {
				dst = append(dst, &g.sums[i])
			}
			if err := rows.Scan(dst...); err != nil {
				rows.Close()
				return nil, err
			}
			for i, t := range types {
				if v, ok := fromScan(t, dst[1+i]); ok {
					g.key[i] = v
				}
			}
			// A tenant first written after the versions were read is
			// left to the next call.
			if e := fresh[tenant]; e != nil {
				e.groups = append(e.groups, g)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		c.mu.Lock()
		if len(c.entries)+len(fresh) > maxCachedTenants {
			c.entries = map[string]*tenantAgg{}
		}
		for t, e := range fresh {
			c.entries[prefix+t] = e
			kept[t] = e
		}
		c.mu.Unlock()
	}
	// Add the tenants' groups up, key by key.
	merged := map[string]*rawGroup{}
	var out []*rawGroup
	for _, e := range kept {
		for _, g := range e.groups {
			k, _ := json.Marshal(g.key)
			m := merged[string(k)]
			if m == nil {
				m = &rawGroup{key: g.key, sums: make([]float64, len(g.sums))}
				merged[string(k)] = m
				out = append(out, m)
			}
			m.count += g.count
			for i, s := range g.sums {
				m.sums[i] += s
			}
		}
	}
	nullsFirst := x.dialect != store.Postgres // as ORDER BY puts them
	slices.SortFunc(out, func(a, b *rawGroup) int {
		for i := range a.key {
			if c := compareKey(a.key[i], b.key[i], nullsFirst); c != 0 {
				return c
			}
		}
		return 0
	})
	if len(groupCols) == 0 && len(out) == 0 {
		// One group of everything, as COUNT(*) over no rows answers.
		out = append(out, &rawGroup{key: []any{}, sums: make([]float64, len(sums))})
	}
	res := make([]rawGroup, len(out))
	for i, g := range out {
		res[i] = *g
	}
	return res, nil
}

// compareKey orders two group key values of one column.
func compareKey(a, b any, nullsFirst bool) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		if nullsFirst {
			return -1
		}
		return 1
	case b == nil:
		if nullsFirst {
			return 1
		}
		return -1
	}
	switch av := a.(type) {
	case string:
		bv, _ := b.(string)
		return strings.Compare(av, bv)
	case int64:
		bv, _ := b.(int64)
		return cmp.Compare(av, bv)
	case float64:
		bv, _ := b.(float64)
		return cmp.Compare(av, bv)
	case bool:
		bv, _ := b.(bool)
		switch {
		case av == bv:
			return 0
		case !av:
			return -1
		}
		return 1
	}
	return 0
}
