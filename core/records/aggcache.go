package records

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	gormlogger "gorm.io/gorm/logger"

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
//
// The results are also kept in the database (aggregate_results: one row
// per aggregate shape and tenant, with the version it was computed at), so
// that the first call after a start reads 250 small rows instead of
// scanning a regency's 900,000 records. The same rule makes them exact: a
// row is used only while its tenant's version is the one it holds.
// Versions only grow (a purge bumps them too), so a row can never match a
// later state of its tenant. The rows are written after the answer, in
// the background: a lost write costs only the next start a scan.

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

// resultsTable keeps aggregate results across starts (see above).
const resultsTable = "aggregate_results"

func resultsMigration() *store.Migration {
	return &store.Migration{
		ID: "202612010300_aggregate_results",
		Migrate: func(tx *gorm.DB) error {
			tx = tx.Session(&gorm.Session{NewDB: true})
			tenant := "tenant TEXT NOT NULL"
			if tx.Dialector.Name() == "postgres" {
				tenant = `tenant TEXT COLLATE "C" NOT NULL` // a region is a range of codes
			}
			if err := tx.Exec("CREATE TABLE " + resultsTable + " (shape TEXT NOT NULL, " + tenant +
				", version BIGINT NOT NULL, groups TEXT NOT NULL, used_unix BIGINT NOT NULL, PRIMARY KEY (shape, tenant))").Error; err != nil {
				return fmt.Errorf("creating %s: %w", resultsTable, err)
			}
			if err := tx.Exec("CREATE INDEX " + resultsTable + "_used ON " + resultsTable + " (used_unix)").Error; err != nil {
				return fmt.Errorf("indexing %s: %w", resultsTable, err)
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

// aggCache keeps per-tenant aggregate results by shape, in memory and in
// db's aggregate_results.
type aggCache struct {
	db      *gorm.DB
	mu      sync.Mutex
	entries map[string]*tenantAgg // shape + "\x00" + tenant
	// saving counts the background writes of results, for tests and a
	// clean stop to wait on.
	saving sync.WaitGroup
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

func newAggCache(db *gorm.DB) *aggCache { return &aggCache{db: db, entries: map[string]*tenantAgg{}} }

// WaitSaved returns when the aggregate results computed so far are
// written to the database (they are written in the background); for a
// clean stop and for tests.
func (e *Engine) WaitSaved() { e.cache.saving.Wait() }

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
	sum := sha256.Sum256(shape)
	shapeKey := hex.EncodeToString(sum[:])
	if len(stale) > 0 {
		// What memory lacks (after a start), the database may keep.
		saved, err := x.savedResults(shapeKey, versions, types, len(sums))
		if err != nil {
			return nil, err
		}
		if len(saved) > 0 {
			c.mu.Lock()
			for t, e := range saved {
				c.entries[prefix+t] = e
				kept[t] = e
			}
			c.mu.Unlock()
			stale = slices.DeleteFunc(stale, func(t string) bool { return saved[t] != nil })
		}
	}
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
		c.save(shapeKey, fresh)
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

// savedGroup is a rawGroup as aggregate_results holds it, in JSON.
type savedGroup struct {
	Key   []any     `json:"k"`
	Count int64     `json:"n"`
	Sums  []float64 `json:"s,omitempty"`
}

// savedResults reads the kept results of shape for the region's tenants
// whose version is still the one in versions. A row that does not decode
// as the shape's key types expect is left out (recomputed and replaced).
func (x *exec) savedResults(shape string, versions map[string]int64, types []pb.FieldType, sums int) (map[string]*tenantAgg, error) {
	region, rargs := x.tenantWhere(true)
	rows, err := x.tx.Raw("SELECT tenant, version, groups FROM "+resultsTable+" WHERE shape = ? AND "+region,
		append([]any{shape}, rargs...)...).Rows()
	if err != nil {
		return nil, fmt.Errorf("reading kept aggregates of %s: %w", x.c.Table, err)
	}
	defer rows.Close()
	out := map[string]*tenantAgg{}
	for rows.Next() {
		var tenant, groups string
		var version int64
		if err := rows.Scan(&tenant, &version, &groups); err != nil {
			return nil, err
		}
		if v, ok := versions[tenant]; !ok || v != version {
			continue
		}
		if e, ok := decodeSaved(groups, version, types, sums); ok {
			out[tenant] = e
		}
	}
	return out, rows.Err()
}

// decodeSaved turns a kept row back into a tenant's groups, each key
// value typed as the live query scans it (JSON has one number type).
func decodeSaved(groups string, version int64, types []pb.FieldType, sums int) (*tenantAgg, bool) {
	var saved []savedGroup
	dec := json.NewDecoder(strings.NewReader(groups))
	dec.UseNumber()
	if err := dec.Decode(&saved); err != nil {
		return nil, false
	}
	e := &tenantAgg{version: version, groups: make([]rawGroup, 0, len(saved))}
	for _, g := range saved {
		if len(g.Key) != len(types) || len(g.Sums) != sums {
			return nil, false
		}
		key := make([]any, len(types))
		for i, v := range g.Key {
			if v == nil {
				continue
			}
			var ok bool
			switch types[i] {
			case pb.FieldType_FIELD_TYPE_INT:
				var n json.Number
				if n, ok = v.(json.Number); ok {
					i64, err := n.Int64()
					key[i], ok = i64, err == nil
				}
			case pb.FieldType_FIELD_TYPE_FLOAT:
				var n json.Number
				if n, ok = v.(json.Number); ok {
					f, err := n.Float64()
					key[i], ok = f, err == nil
				}
			case pb.FieldType_FIELD_TYPE_BOOL:
				key[i], ok = v.(bool)
			default:
				key[i], ok = v.(string)
			}
			if !ok {
				return nil, false
			}
		}
		if g.Sums == nil {
			g.Sums = []float64{}
		}
		e.groups = append(e.groups, rawGroup{key: key, count: g.Count, sums: g.Sums})
	}
	return e, true
}

// savedKeepDays is how long a kept result no aggregate has written again
// stays in aggregate_results: shapes no longer asked for (a plugin's
// changed statistics) do not pile up.
const savedKeepDays = 30

// save writes fresh results of shape to aggregate_results in the
// background, replacing older rows of the same tenants, and removes rows
// not written for savedKeepDays. Errors are ignored: a row not written
// costs a scan after the next start, never a wrong answer.
func (c *aggCache) save(shape string, fresh map[string]*tenantAgg) {
	if c.db == nil || len(fresh) == 0 {
		return
	}
	type row struct {
		Shape, Tenant, Groups string
		Version, UsedUnix     int64
	}
	now := time.Now().Unix()
	rows := make([]row, 0, len(fresh))
	for t, e := range fresh {
		saved := make([]savedGroup, len(e.groups))
		for i, g := range e.groups {
			saved[i] = savedGroup{Key: g.key, Count: g.count, Sums: g.sums}
		}
		b, err := json.Marshal(saved)
		if err != nil {
			return
		}
		rows = append(rows, row{Shape: shape, Tenant: t, Groups: string(b), Version: e.version, UsedUnix: now})
	}
	slices.SortFunc(rows, func(a, b row) int { return strings.Compare(a.Tenant, b.Tenant) })
	c.saving.Add(1)
	go func() {
		defer c.saving.Done()
		db := c.db.Session(&gorm.Session{NewDB: true, Logger: c.db.Logger.LogMode(gormlogger.Silent)})
		db.Transaction(func(tx *gorm.DB) error {
			for chunk := range slices.Chunk(rows, 200) {
				if err := tx.Table(resultsTable).Clauses(clause.OnConflict{
					Columns:   []clause.Column{{Name: "shape"}, {Name: "tenant"}},
					DoUpdates: clause.AssignmentColumns([]string{"version", "groups", "used_unix"}),
				}).Create(chunk).Error; err != nil {
					return err
				}
			}
			return tx.Exec("DELETE FROM "+resultsTable+" WHERE used_unix < ?", now-savedKeepDays*86400).Error
		})
	}()
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
