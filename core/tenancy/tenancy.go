package tenancy

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/sdk/input"
)

// Tenant is one administrative region served by the deployment.
type Tenant struct {
	Code      string    `gorm:"primaryKey;size:13" json:"code"`
	Name      string    `gorm:"size:200;not null" json:"name"`
	Level     Level     `gorm:"size:16;not null" json:"level"`
	Parent    *string   `gorm:"size:13;index" json:"parent"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Migrations create the tenants table.
func Migrations() []*store.Migration {
	type tenant struct {
		Code      string  `gorm:"primaryKey;size:13"`
		Name      string  `gorm:"size:200;not null"`
		Level     string  `gorm:"size:16;not null"`
		Parent    *string `gorm:"size:13;index"`
		CreatedAt time.Time
		UpdatedAt time.Time
	}
	return []*store.Migration{{
		ID: "202611240100_tenants",
		Migrate: func(tx *gorm.DB) error {
			return tx.Table("tenants").AutoMigrate(&tenant{})
		},
	}}
}

const maxNameLen = 200

func checkName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", apierr.Invalid("invalid_name", "the tenant name is required")
	}
	// Counted in characters, and refusing control and invisible
	// formatting characters: a name is shown on every page of the portal.
	if err := input.Name(name, maxNameLen); err != nil {
		return "", apierr.Invalid("invalid_name", "the tenant name %v", err)
	}
	return name, nil
}

// Create adds a tenant whose parent already exists.
func Create(db *gorm.DB, code, name string) (*Tenant, error) {
	level, parent, err := ParseCode(code)
	if err != nil {
		return nil, err
	}
	if name, err = checkName(name); err != nil {
		return nil, err
	}
	t := &Tenant{Code: code, Name: name, Level: level}
	if parent != "" {
		if _, err := Get(db, parent); err != nil {
			if e, ok := apierr.As(err); ok && e.Status == 404 {
				return nil, apierr.Invalid("parent_not_found", "the parent tenant %s of %s does not exist: create or import it first", parent, code)
			}
			return nil, err
		}
		t.Parent = &parent
	}
	if err := db.Create(t).Error; err != nil {
		if store.IsUniqueViolation(err) {
			return nil, apierr.Conflict("tenant_exists", "tenant %s already exists", code)
		}
		return nil, fmt.Errorf("creating tenant %s: %w", code, err)
	}
	return t, nil
}

// Get returns one tenant.
func Get(db *gorm.DB, code string) (*Tenant, error) {
	var t Tenant
	err := db.Where("code = ?", code).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, apierr.NotFound("tenant_not_found", "tenant %s does not exist", code)
	}
	if err != nil {
		return nil, fmt.Errorf("reading tenant %s: %w", code, err)
	}
	return &t, nil
}

// Exists reports whether a tenant exists.
func Exists(db *gorm.DB, code string) (bool, error) {
	var n int64
	err := db.Model(&Tenant{}).Where("code = ?", code).Count(&n).Error
	return n > 0, err
}

// Filter narrows a listing.
type Filter struct {
	Parent string // direct children of this code
	Level  Level
	Query  string // case-insensitive name substring
	// Scopes, when not nil, limits the listing to these subtrees (the caller's
	// grants); an empty non-nil slice lists nothing.
	Scopes        []string
	Offset, Limit int
}

// SubtreeClause returns a WHERE fragment matching col against the subtrees of
// roots, with its arguments; "*" stands for every tenant.
func SubtreeClause(col string, roots []string) (string, []any) {
	if len(roots) == 0 {
		return "1 = 0", nil
	}
	var parts []string
	var args []any
	for _, r := range roots {
		if r == "*" {
			return "1 = 1", nil
		}
		parts = append(parts, "("+col+" = ? OR "+col+" LIKE ?)")
		args = append(args, r, r+".%")
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}

// List returns a page of tenants and the total that match.
func List(db *gorm.DB, f Filter) ([]Tenant, int64, error) {
	q := db.Model(&Tenant{})
	if f.Parent != "" {
		q = q.Where("parent = ?", f.Parent)
	}
	if f.Level != "" {
		q = q.Where("level = ?", f.Level)
	}
	if f.Query != "" {
		q = q.Where("LOWER(name) LIKE ?", "%"+strings.ToLower(f.Query)+"%")
	}
	if f.Scopes != nil {
		clause, args := SubtreeClause("code", f.Scopes)
		q = q.Where(clause, args...)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("counting tenants: %w", err)
	}
	items := []Tenant{}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	if err := q.Order("code").Offset(f.Offset).Limit(f.Limit).Find(&items).Error; err != nil {
		return nil, 0, fmt.Errorf("listing tenants: %w", err)
	}
	return items, total, nil
}

// Rename changes a tenant's name.
func Rename(db *gorm.DB, code, name string) (*Tenant, error) {
	name, err := checkName(name)
	if err != nil {
		return nil, err
	}
	t, err := Get(db, code)
	if err != nil {
		return nil, err
	}
	t.Name = name
	if err := db.Model(t).Update("name", name).Error; err != nil {
		return nil, fmt.Errorf("renaming tenant %s: %w", code, err)
	}
	return t, nil
}

// CheckLeaf reports whether a tenant exists and has no children, as a
// delete needs: 404 tenant_not_found, or 409 tenant_has_children. The
// delete itself, with the tenant's data, is admin.DeleteTenant.
func CheckLeaf(db *gorm.DB, code string) error {
	if _, err := Get(db, code); err != nil {
		return err
	}
	var n int64
	if err := db.Model(&Tenant{}).Where("parent = ?", code).Count(&n).Error; err != nil {
		return fmt.Errorf("counting children of %s: %w", code, err)
	}
	if n > 0 {
		return apierr.Conflict("tenant_has_children", "tenant %s has %d child tenants: delete them first", code, n)
	}
	return nil
}
