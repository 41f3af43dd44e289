package admin

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/audit"
	"github.com/balaidesa/balai/core/auth"
	"github.com/balaidesa/balai/core/events"
	"github.com/balaidesa/balai/core/files"
	"github.com/balaidesa/balai/core/idempotency"
	"github.com/balaidesa/balai/core/modules"
	"github.com/balaidesa/balai/core/rbac"
	"github.com/balaidesa/balai/core/records"
	"github.com/balaidesa/balai/core/tenancy"
)

// parentDomain is where the right to create or delete a tenant is checked:
// its parent, or the whole deployment for a province.
func parentDomain(code string) (string, error) {
	_, parent, err := tenancy.ParseCode(code)
	if err != nil {
		return "", err
	}
	if parent == "" {
		return rbac.Global, nil
	}
	return parent, nil
}

// CreateTenant creates a tenant under an existing parent; the actor needs
// tenants.write in the parent (the whole deployment for a province).
func (s *Service) CreateTenant(ctx context.Context, a Actor, code, name string) (*tenancy.Tenant, error) {
	dom, err := parentDomain(code)
	if err != nil {
		return nil, err
	}
	if err := s.Require(a, dom, rbac.TenantsWrite); err != nil {
		return nil, err
	}
	var t *tenancy.Tenant
	err = s.db(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if t, err = tenancy.Create(tx, code, name); err != nil {
			return err
		}
		return audit.Record(tx, a.Who, t.Code, "tenant.create", t.Code, map[string]any{"name": t.Name})
	})
	return t, err
}

// RenameTenant renames a tenant; the actor needs tenants.write in it.
func (s *Service) RenameTenant(ctx context.Context, a Actor, code, name string) (*tenancy.Tenant, error) {
	if _, _, err := tenancy.ParseCode(code); err != nil {
		return nil, err
	}
	if err := s.Require(a, code, rbac.TenantsWrite); err != nil {
		return nil, err
	}
	var t *tenancy.Tenant
	err := s.db(ctx).Transaction(func(tx *gorm.DB) error {
		old, err := tenancy.Get(tx, code)
		if err != nil {
			return err
		}
		if t, err = tenancy.Rename(tx, code, name); err != nil {
			return err
		}
		return audit.Record(tx, a.Who, code, "tenant.rename", code, map[string]any{"from": old.Name, "to": t.Name})
	})
	return t, err
}

// ImportTenants creates or renames tenants from a kode,nama list in one
// transaction (tenancy.Import); only a superadmin or the operator may, as
// it can touch the whole country.
func (s *Service) ImportTenants(ctx context.Context, a Actor, r io.Reader, source string, under []string, progress func(done, total int)) (*tenancy.ImportResult, error) {
	if err := s.Require(a, rbac.Global, rbac.TenantsWrite); err != nil {
		return nil, err
	}
	var res *tenancy.ImportResult
	err := s.db(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if res, err = tenancy.Import(tx, r, under, progress); err != nil {
			return err
		}
		return audit.Record(tx, a.Who, "", "tenant.import", source, map[string]any{"under": under, "created": res.Created, "renamed": res.Renamed})
	})
	return res, err
}

// TenantData is what a tenant holds itself: what a delete would lose.
type TenantData struct {
	// Records counts module records per "plugin.collection".
	Records map[string]int64 `json:"records,omitempty"`
	Files   int64            `json:"files,omitempty"`
	// Members counts grants held directly in the tenant.
	Members int64 `json:"members,omitempty"`
	// Roles lists the custom roles the tenant owns.
	Roles []string `json:"roles,omitempty"`
	// Settings counts the modules' settings stored for the tenant.
	Settings int64 `json:"settings,omitempty"`
}

// Empty reports whether the tenant holds nothing worth refusing a plain
// delete for. Module enablement, events and tokens confined to the tenant
// are configuration and plumbing: a delete removes them without asking.
func (d TenantData) Empty() bool {
	return len(d.Records) == 0 && d.Files == 0 && d.Members == 0 && len(d.Roles) == 0 && d.Settings == 0
}

// String lists the data for a person: "hello.notes: 2 records, 1 file".
func (d TenantData) String() string {
	var parts []string
	keys := make([]string, 0, len(d.Records))
	for k := range d.Records {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s: %d records", k, d.Records[k]))
	}
	if d.Files > 0 {
		parts = append(parts, fmt.Sprintf("%d files", d.Files))
	}
	if d.Members > 0 {
		parts = append(parts, fmt.Sprintf("%d member grants", d.Members))
	}
	if len(d.Roles) > 0 {
		parts = append(parts, "custom roles "+strings.Join(d.Roles, ", "))
	}
	if d.Settings > 0 {
		parts = append(parts, fmt.Sprintf("%d module settings", d.Settings))
	}
	return strings.Join(parts, "; ")
}

func inventory(tx *gorm.DB, code string) (TenantData, error) {
	var d TenantData
	var err error
	if d.Records, err = records.CountTenant(tx, code); err != nil {
		return d, err
	}
	if d.Files, err = files.CountTenant(tx, code); err != nil {
		return d, fmt.Errorf("counting files of %s: %w", code, err)
	}
	ms, err := rbac.Members(tx, code)
	if err != nil {
		return d, err
	}
	d.Members = int64(len(ms))
	roles, err := rolesOwnedBy(tx, code)
	if err != nil {
		return d, err
	}
	d.Roles = roles
	if err := tx.Model(&modules.PluginSettings{}).Where("tenant = ?", code).Count(&d.Settings).Error; err != nil {
		return d, fmt.Errorf("counting settings of %s: %w", code, err)
	}
	return d, nil
}

func rolesOwnedBy(tx *gorm.DB, code string) ([]string, error) {
	var names []string
	err := tx.Table("roles").Where("tenant = ?", code).Order("name").Pluck("name", &names).Error
	if err != nil {
		return nil, fmt.Errorf("listing roles of %s: %w", code, err)
	}
	return names, nil
}

// Purged says what a tenant delete removed.
type Purged struct {
	TenantData
	Events int64 `json:"events,omitempty"`
	Tokens int64 `json:"tokens,omitempty"`
	// IdempotencyKeys counts the kept answers of requests in the tenant.
	IdempotencyKeys int64 `json:"idempotency_keys,omitempty"`
	// Rehomed counts the accounts whose home was the tenant: they move to
	// its parent, whose administrators owned them already.
	Rehomed int64 `json:"rehomed,omitempty"`
}

// DeleteTenant deletes a tenant without children; the actor needs
// tenants.write in the parent. A tenant holding data (module records,
// files, members, custom roles, module settings) is refused with 409
// tenant_has_data listing it, unless purge is set: then everything the
// tenant holds is removed in the same transaction as the tenant — records
// in every plugin collection, file rows (their contents after commit),
// settings, module enablement, grants, owned roles, its events, and API
// tokens confined to it are revoked — so that a tenant created again with
// the same code starts empty. The audit entry counts what went.
func (s *Service) DeleteTenant(ctx context.Context, a Actor, code string, purge bool) (*Purged, error) {
	dom, err := parentDomain(code)
	if err != nil {
		return nil, err
	}
	if err := s.Require(a, dom, rbac.TenantsWrite); err != nil {
		return nil, err
	}
	var out Purged
	var gone []files.File
	err = s.db(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tenancy.CheckLeaf(tx, code); err != nil {
			return err
		}
		data, err := inventory(tx, code)
		if err != nil {
			return err
		}
		if !data.Empty() && !purge {
			return apierr.Conflict("tenant_has_data", "tenant %s holds data (%s): to erase it with the tenant, delete with ?purge=true (balai tenant delete %s --purge)", code, data, code)
		}
		out.TenantData = data
		if out.Records, err = records.PurgeTenant(tx, code); err != nil {
			return err
		}
		if gone, err = files.PurgeTenant(tx, code); err != nil {
			return err
		}
		if err := tx.Where("tenant = ?", code).Delete(&modules.PluginSettings{}).Error; err != nil {
			return fmt.Errorf("deleting settings of %s: %w", code, err)
		}
		if _, err := rbac.DropTenantRoles(tx, code); err != nil {
			return err
		}
		if err := rbac.DropTenant(tx, code); err != nil {
			return err
		}
		if err := modules.DropTenant(tx, code); err != nil {
			return err
		}
		if out.Events, err = events.PurgeTenant(tx, code); err != nil {
			return err
		}
		if out.Tokens, err = auth.RevokeTenantTokens(tx, code); err != nil {
			return fmt.Errorf("revoking tokens of %s: %w", code, err)
		}
		if out.IdempotencyKeys, err = idempotency.PurgeTenant(tx, code); err != nil {
			return err
		}
		// An account homed here would otherwise keep the code as its
		// home and belong to whoever administers a tenant created again
		// under it.
		if out.Rehomed, err = auth.Rehome(tx, code, dom); err != nil {
			return err
		}
		if err := tx.Where("code = ?", code).Delete(&tenancy.Tenant{}).Error; err != nil {
			return fmt.Errorf("deleting tenant %s: %w", code, err)
		}
		detail := map[string]any{"purge": purge}
		if purge {
			detail["purged"] = out
		}
		return audit.Record(tx, a.Who, code, "tenant.delete", code, detail)
	})
	if err != nil {
		return nil, err
	}
	if len(gone) > 0 && s.FilesDir == "" {
		s.logger().Error("no files directory configured: the contents of a deleted tenant's files stay on disk", "tenant", code, "files", len(gone))
	} else if err := files.RemoveBlobs(s.FilesDir, gone); err != nil {
		// The rows are gone, so nothing can reach the contents; say so.
		s.logger().Error("removing files of a deleted tenant", "tenant", code, "err", err)
	}
	s.reload()
	return &out, nil
}
