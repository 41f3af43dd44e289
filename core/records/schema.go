// Package records stores plugins' data. Each collection a plugin declares
// becomes a real table (see TableName for its name), with one column per field
// and the indexes the plugin asked for, every one led by the tenant. Plugins
// never see SQL or tenants: they name their own collections, and the host
// adds the tenant of the request to every statement, like a storage view in
// Vault.
package records

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/store"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// Collection is a declared collection with its table.
type Collection struct {
	Plugin  string
	Name    string
	Table   string
	Fields  []*pb.Field
	Indexes []*pb.Index
	// PersonalPermission shows the personal fields unmasked (see Mask).
	PersonalPermission string
	byName             map[string]*pb.Field
	// unique lists the single fields with a unique index (GetBy keys).
	unique map[string]bool
}

// Field returns a declared field.
func (c *Collection) Field(name string) (*pb.Field, bool) {
	f, ok := c.byName[name]
	return f, ok
}

// HasPersonal reports whether any field holds personal data.
func (c *Collection) HasPersonal() bool {
	for _, f := range c.Fields {
		if f.Personal {
			return true
		}
	}
	return false
}

// Migrations create the catalogue of plugin collections, and move tables
// named the way earlier releases did to TableName's names.
func Migrations() []*store.Migration {
	type pluginCollection struct {
		Plugin     string `gorm:"primaryKey;size:32"`
		Collection string `gorm:"primaryKey;size:63"`
		TableName  string `gorm:"size:63;not null"`
		Fields     string `gorm:"type:text;not null"`
		UpdatedAt  time.Time
	}
	return []*store.Migration{{
		ID: "202611250100_plugin_collections",
		Migrate: func(tx *gorm.DB) error {
			return tx.Table("plugin_collections").AutoMigrate(&pluginCollection{})
		},
	}, {
		ID:      "202611301000_plugin_tables_injective",
		Migrate: renameLegacyTables,
	}, versionsMigration(), resultsMigration()}
}

// TableName is the table of a plugin's collection. Distinct (plugin,
// collection) pairs always get distinct names, whatever underscores either
// holds (plugin ids and collection names may both contain "_"):
//
//   - p_<plugin>_<collection> for a plugin id without "_": the id ends at
//     the first "_" after "p_". Every first-party plugin is named so, and
//     keeps the tables of earlier releases.
//   - p<len(plugin)>_<plugin>_<collection> for an id with "_": the length
//     says where the id ends. Earlier releases named these like the first
//     form, so population_verify's "attempts" and population's
//     "verify_attempts" shared p_population_verify_attempts.
//   - px_<hash>_<prefix> when the name would pass PostgreSQL's 63-byte
//     limit: the first 96 bits of SHA-256 of "<plugin>/<collection>" ("/"
//     is in neither), and the start of the longer name for people to read.
//
// The three forms differ in their second byte ("_", a digit, "x"), so no
// name of one form is a name of another.
func TableName(plugin, coll string) string {
	name := "p_" + plugin + "_" + coll
	if strings.Contains(plugin, "_") {
		name = fmt.Sprintf("p%d_%s_%s", len(plugin), plugin, coll)
	}
	if len(name) <= 63 {
		return name
	}
	sum := sha256.Sum256([]byte(plugin + "/" + coll))
	return "px_" + hex.EncodeToString(sum[:12]) + "_" + name[:63-28]
}

// legacyRow is a catalogue row whose table is not named by TableName.
type legacyRow struct {
	Plugin, Collection string
	Table              string `gorm:"column:table_name"`
}

// renameLegacyTables moves every collection whose table an earlier release
// named ambiguously to its TableName, with its indexes, in the migration's
// transaction: nothing is copied, nothing lost. A table that two catalogue
// rows share (two plugins wrote to one table) is left alone: Balai cannot
// tell whose records are whose, and Ensure refuses the plugin that is not
// the table's owner under the new names.
func renameLegacyTables(tx *gorm.DB) error {
	tx = tx.Session(&gorm.Session{NewDB: true}) // not gormigrate's statement
	var rows []legacyRow
	if err := tx.Table("plugin_collections").Select("plugin, collection, table_name").Order("plugin, collection").Find(&rows).Error; err != nil {
		return fmt.Errorf("reading the catalogue of plugin collections: %w", err)
	}
	users := map[string]int{}
	for _, r := range rows {
		users[r.Table]++
	}
	for _, r := range rows {
		to := TableName(r.Plugin, r.Collection)
		if r.Table == to || users[r.Table] > 1 || users[to] > 0 || tx.Migrator().HasTable(to) {
			continue
		}
		if err := renameTable(tx, r.Table, to); err != nil {
			return fmt.Errorf("moving collection %s of plugin %s from table %s to %s: %w", r.Collection, r.Plugin, r.Table, to, err)
		}
		if err := tx.Exec("UPDATE plugin_collections SET table_name = ? WHERE plugin = ? AND collection = ?", to, r.Plugin, r.Collection).Error; err != nil {
			return err
		}
		users[r.Table]--
		users[to]++
	}
	return nil
}

// renameTable renames a plugin table and gives its indexes the names
// indexName derives from the new table name, so that Ensure finds them
// (and duplicate errors are recognised) as for a table created so.
// PostgreSQL renames indexes in place; SQLite cannot, so they are dropped
// and made again, in the same transaction.
func renameTable(tx *gorm.DB, from, to string) error {
	type index struct{ Name, Def string }
	var ixs []index
	postgres := tx.Dialector.Name() == "postgres"
	if postgres {
		if err := tx.Raw("SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ?", from).Scan(&ixs).Error; err != nil {
			return err
		}
	} else if err := tx.Raw("SELECT name, sql AS def FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", from).Scan(&ixs).Error; err != nil {
		return err
	}
	if err := tx.Exec(fmt.Sprintf(`ALTER TABLE %q RENAME TO %q`, from, to)).Error; err != nil {
		return err
	}
	for _, ix := range ixs {
		open, end := strings.LastIndex(ix.Def, "("), strings.LastIndex(ix.Def, ")")
		switch {
		case postgres && strings.HasSuffix(ix.Name, "_pkey"):
			// The primary key's index, named after the table: a table made
			// later under the old name would otherwise find it taken.
			name := to
			if len(name) > 58 {
				name = name[:58]
			}
			if err := tx.Exec(fmt.Sprintf(`ALTER INDEX %q RENAME TO %q`, ix.Name, name+"_pkey")).Error; err != nil {
				return err
			}
			continue
		case !strings.HasPrefix(ix.Name, "ix_") || open < 0 || end < open:
			continue
		}
		var cols []string
		for _, c := range strings.Split(ix.Def[open+1:end], ",") {
			cols = append(cols, strings.Trim(strings.TrimSpace(c), `"`))
		}
		unique := strings.Contains(strings.ToUpper(ix.Def), "UNIQUE INDEX")
		name := indexName(to, cols, unique)
		if postgres {
			if err := tx.Exec(fmt.Sprintf(`ALTER INDEX %q RENAME TO %q`, ix.Name, name)).Error; err != nil {
				return err
			}
			continue
		}
		kind := "INDEX"
		if unique {
			kind = "UNIQUE INDEX"
		}
		if err := tx.Exec(fmt.Sprintf(`DROP INDEX %q`, ix.Name)).Error; err != nil {
			return err
		}
		if err := tx.Exec(fmt.Sprintf(`CREATE %s %q ON %q (%s)`, kind, name, to, strings.Join(cols, ", "))).Error; err != nil {
			return err
		}
	}
	return nil
}

// claim checks, before Ensure touches table c.Table, that it is c's alone:
// its catalogue row (if any) names that table, and no other collection's
// row does, and no table of that name exists outside the catalogue.
func claim(tx *gorm.DB, c *Collection) (exists bool, err error) {
	var rows []legacyRow
	if err := tx.Table("plugin_collections").Select("plugin, collection, table_name").
		Where("(plugin = ? AND collection = ?) OR table_name = ?", c.Plugin, c.Name, c.Table).Find(&rows).Error; err != nil {
		return false, err
	}
	var others []string
	for _, r := range rows {
		switch {
		case r.Plugin == c.Plugin && r.Collection == c.Name:
			if r.Table != c.Table {
				return false, fmt.Errorf("its records are in table %s, which an earlier release shared with another plugin's collection, so whose records are whose is unknown; the table is left as it is for the operator to sort out", r.Table)
			}
			exists = true
		default:
			others = append(others, r.Plugin+"'s "+r.Collection)
		}
	}
	if len(others) > 0 && !exists {
		return false, fmt.Errorf("table %s is held by %s under an earlier release's names; it is not handed over", c.Table, strings.Join(others, ", "))
	}
	if !exists && tx.Migrator().HasTable(c.Table) {
		return false, fmt.Errorf("table %s exists but belongs to no collection in the catalogue; it is not taken over", c.Table)
	}
	return exists, nil
}

func column(field string) string { return "f_" + field }

func sqlType(d store.Dialect, t pb.FieldType) string {
	switch t {
	case pb.FieldType_FIELD_TYPE_INT:
		return "BIGINT"
	case pb.FieldType_FIELD_TYPE_FLOAT:
		if d == store.Postgres {
			return "DOUBLE PRECISION"
		}
		return "REAL"
	case pb.FieldType_FIELD_TYPE_BOOL:
		return "BOOLEAN"
	default: // strings, dates (YYYY-MM-DD sorts as text), times (UTC RFC 3339), JSON
		return "TEXT"
	}
}

// Ensure creates or extends the tables of a plugin's collections: new
// tables, new columns, new indexes. It refuses to change a field's type, and
// never drops anything, so a plugin upgrade cannot lose data.
func Ensure(db *store.DB, plugin string, colls []*pb.Collection) (map[string]*Collection, error) {
	out := map[string]*Collection{}
	err := db.Transaction(func(tx *gorm.DB) error {
		for _, pc := range colls {
			c := newCollection(plugin, pc)
			if err := ensureOne(tx, db.Dialect, c); err != nil {
				return fmt.Errorf("collection %s: %w", pc.Name, err)
			}
			out[pc.Name] = c
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func newCollection(plugin string, pc *pb.Collection) *Collection {
	c := &Collection{Plugin: plugin, Name: pc.Name, Table: TableName(plugin, pc.Name), Fields: pc.Fields, Indexes: pc.Indexes,
		PersonalPermission: pc.PersonalPermission, byName: map[string]*pb.Field{}, unique: map[string]bool{}}
	for _, f := range pc.Fields {
		c.byName[f.Name] = f
	}
	for _, ix := range pc.Indexes {
		if ix.Unique && len(ix.Fields) == 1 {
			c.unique[ix.Fields[0]] = true
		}
	}
	return c
}

type storedField struct {
	Name string       `json:"name"`
	Type pb.FieldType `json:"type"`
}

func ensureOne(tx *gorm.DB, d store.Dialect, c *Collection) error {
	if _, err := claim(tx, c); err != nil {
		return err
	}
	return ensureOneUnclaimed(tx, d, c)
}

// ensureOneUnclaimed creates or extends c's table, which claim found to be
// c's own.
func ensureOneUnclaimed(tx *gorm.DB, d store.Dialect, c *Collection) error {
	var row struct{ Fields string }
	err := tx.Table("plugin_collections").Select("fields").Where("plugin = ? AND collection = ?", c.Plugin, c.Name).Take(&row).Error
	known := map[string]pb.FieldType{}
	exists := err == nil
	if err != nil && err != gorm.ErrRecordNotFound {
		return err
	}
	if exists {
		var fs []storedField
		if err := json.Unmarshal([]byte(row.Fields), &fs); err != nil {
			return fmt.Errorf("reading stored fields: %w", err)
		}
		for _, f := range fs {
			known[f.Name] = f.Type
		}
	}
	if !exists {
		tenantCol := "tenant TEXT NOT NULL"
		if d == store.Postgres {
			// Byte order makes "tenant LIKE '14.01.01.%'" an index range
			// scan: a sub-district's statistics read its own rows, not the
			// whole district's (175 ms to 10 ms on Kampar's 900,000).
			tenantCol = `tenant TEXT COLLATE "C" NOT NULL`
		}
		cols := []string{"id TEXT PRIMARY KEY", tenantCol, "version BIGINT NOT NULL", "created_at BIGINT NOT NULL", "updated_at BIGINT NOT NULL"}
		for _, f := range c.Fields {
			cols = append(cols, column(f.Name)+" "+sqlType(d, f.Type))
		}
		if err := tx.Exec(fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s (%s)", c.Table, strings.Join(cols, ", "))).Error; err != nil {
			return fmt.Errorf("creating table %s: %w", c.Table, err)
		}
		if err := tx.Exec(fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s ON %s (tenant, id)", indexName(c.Table, []string{"tenant", "id"}, false), c.Table)).Error; err != nil {
			return err
		}
	} else {
		for _, f := range c.Fields {
			old, ok := known[f.Name]
			if ok && old != f.Type {
				return fmt.Errorf("field %s was %s and cannot become %s: add a new field instead", f.Name, old, f.Type)
			}
			if !ok {
				if err := tx.Exec(fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", c.Table, column(f.Name), sqlType(d, f.Type))).Error; err != nil {
					return fmt.Errorf("adding field %s: %w", f.Name, err)
				}
			}
		}
	}
	for _, ix := range c.Indexes {
		cols := make([]string, 0, len(ix.Fields)+1)
		if !ix.DeploymentWide {
			cols = append(cols, "tenant")
		}
		for _, f := range ix.Fields {
			cols = append(cols, column(f))
		}
		unique := ""
		if ix.Unique {
			unique = "UNIQUE "
		}
		stmt := fmt.Sprintf("CREATE %sINDEX IF NOT EXISTS %s ON %s (%s)", unique, indexName(c.Table, cols, ix.Unique), c.Table, strings.Join(cols, ", "))
		if err := tx.Exec(stmt).Error; err != nil {
			return fmt.Errorf("creating index on %s (existing records may break a new unique index): %w", strings.Join(ix.Fields, ","), err)
		}
	}
	// Remember every field ever declared, so a later type change is caught
	// even if a version of the plugin dropped the field.
	for _, f := range c.Fields {
		known[f.Name] = f.Type
	}
	var fs []storedField
	for name, t := range known {
		fs = append(fs, storedField{Name: name, Type: t})
	}
	b, _ := json.Marshal(fs)
	return tx.Exec(upsertCollectionSQL, c.Plugin, c.Name, c.Table, string(b), time.Now().UTC()).Error
}

const upsertCollectionSQL = `INSERT INTO plugin_collections (plugin, collection, table_name, fields, updated_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (plugin, collection) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at`

func indexName(table string, cols []string, unique bool) string {
	sum := sha256.Sum256([]byte(table + "|" + strings.Join(cols, ",") + fmt.Sprint(unique)))
	return "ix_" + hex.EncodeToString(sum[:8])
}
