// Package records stores plugins' data. Each collection a plugin declares
// becomes a real table, p_<plugin>_<collection>, with one column per field
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
	byName  map[string]*pb.Field
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

// Migrations create the catalogue of plugin collections.
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
	}}
}

// TableName is the table of a plugin's collection; names over PostgreSQL's
// 63-byte limit are shortened with a hash so they stay unique.
func TableName(plugin, coll string) string {
	name := "p_" + plugin + "_" + coll
	if len(name) <= 63 {
		return name
	}
	sum := sha256.Sum256([]byte(plugin + "/" + coll))
	return name[:50] + "_" + hex.EncodeToString(sum[:6])
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
		byName: map[string]*pb.Field{}, unique: map[string]bool{}}
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
