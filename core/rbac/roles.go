package rbac

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/tenancy"
	"github.com/balaidesa/balai/sdk/input"
)

// Role is a named set of permissions. Names are unique in the whole
// deployment, whichever tenant owns the role.
type Role struct {
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Permissions []string `json:"permissions"`
	Builtin     bool     `json:"builtin"`
	// Tenant owns a custom role: the role is visible and can be granted
	// only in that tenant's subtree, and only admins (roles.write) of that
	// tenant or above may delete it. "*" is a global role (built-in roles,
	// roles made by a superadmin or the CLI), usable everywhere.
	Tenant string `json:"tenant"`
}

type roleRow struct {
	Name        string `gorm:"primaryKey;size:64"`
	Description string `gorm:"size:500"`
	Tenant      string `gorm:"size:13;not null;default:'*'"`
	CreatedBy   string `gorm:"size:64"`
	CreatedAt   time.Time
}

// roleMigrations give custom roles an owning tenant; roles made before
// roles were owned stay global, as they behaved.
func roleMigrations() []*store.Migration {
	return []*store.Migration{{
		ID: "202611300720_roles_tenant",
		Migrate: func(tx *gorm.DB) error {
			return tx.Exec("ALTER TABLE roles ADD COLUMN tenant VARCHAR(13) NOT NULL DEFAULT '*'").Error
		},
	}}
}

// UsableIn reports whether the role may be granted, and is seen, in tenant:
// a global role everywhere, an owned role in its owner's subtree.
func (r Role) UsableIn(tenant string) bool {
	return r.Tenant == Global || (tenant != Global && tenancy.Within(tenant, r.Tenant))
}

// VisibleFrom reports whether someone acting in the subtrees of scopes may
// see the role: it is global, or its owner's subtree and one of the scopes
// overlap (an admin above the owner sees it, as does one inside).
func (r Role) VisibleFrom(scopes []string) bool {
	if r.Tenant == Global {
		return true
	}
	for _, s := range scopes {
		if s == Global || tenancy.Within(r.Tenant, s) || tenancy.Within(s, r.Tenant) {
			return true
		}
	}
	return false
}

func (roleRow) TableName() string { return "roles" }

var roleNameRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{1,63}$`)

var builtinDescriptions = map[string]string{
	RoleSuperadmin: "everything, in every tenant",
	RoleAdmin:      "manages users, roles, modules and all module data in its tenant and below",
	RoleOperator:   "reads and writes module data",
	RoleViewer:     "reads module data",
}

// Roles lists the built-in roles and the custom ones.
func (a *Authorizer) Roles(db *gorm.DB) ([]Role, error) {
	var out []Role
	builtins := a.registry.builtinPolicies()
	for _, name := range []string{RoleSuperadmin, RoleAdmin, RoleOperator, RoleViewer} {
		perms := append([]string{}, builtins[name]...)
		sort.Strings(perms)
		out = append(out, Role{Name: name, Description: builtinDescriptions[name], Permissions: perms, Builtin: true, Tenant: Global})
	}
	var rows []roleRow
	if err := db.Order("name").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("listing roles: %w", err)
	}
	var rules []Rule
	if err := db.Where("ptype = 'p'").Order("v0, v1").Find(&rules).Error; err != nil {
		return nil, fmt.Errorf("listing role permissions: %w", err)
	}
	perms := map[string][]string{}
	for _, r := range rules {
		name := strings.TrimPrefix(r.V0, "role:")
		perms[name] = append(perms[name], r.V1)
	}
	for _, r := range rows {
		tenant := r.Tenant
		if tenant == "" {
			tenant = Global
		}
		out = append(out, Role{Name: r.Name, Description: r.Description, Permissions: perms[r.Name], Tenant: tenant})
	}
	return out, nil
}

// Role returns one role.
func (a *Authorizer) Role(db *gorm.DB, name string) (*Role, error) {
	roles, err := a.Roles(db)
	if err != nil {
		return nil, err
	}
	for _, r := range roles {
		if r.Name == name {
			return &r, nil
		}
	}
	return nil, apierr.NotFound("role_not_found", "role %s does not exist", name)
}

// CheckRole validates a custom role's name and permissions.
func (a *Authorizer) CheckRole(name string, perms []string) error {
	if IsBuiltin(name) {
		return apierr.Conflict("role_exists", "%s is a built-in role", name)
	}
	if !roleNameRE.MatchString(name) {
		return apierr.Invalid("invalid_role_name", "role name %q must be 2 to 64 characters of a-z, 0-9, '_' or '-', starting with a letter", name)
	}
	if len(perms) == 0 {
		return apierr.Invalid("invalid_permissions", "a role needs at least one permission")
	}
	for _, p := range perms {
		if !a.registry.Known(p) {
			return apierr.Invalid("unknown_permission", "permission %q is not known to this deployment", p)
		}
	}
	return nil
}

// CreateRole stores a custom role owned by tenant ("*" for a global one).
// The caller checks that the actor may create roles there and holds every
// permission it puts in the role.
func (a *Authorizer) CreateRole(tx *gorm.DB, name, description, createdBy, tenant string, perms []string) (*Role, error) {
	if err := a.CheckRole(name, perms); err != nil {
		return nil, err
	}
	if err := input.Text(description, 500); err != nil {
		return nil, apierr.Invalid("invalid_description", "the description %v", err)
	}
	if tenant == "" {
		tenant = Global
	}
	if err := tx.Create(&roleRow{Name: name, Description: description, Tenant: tenant, CreatedBy: createdBy}).Error; err != nil {
		if store.IsUniqueViolation(err) {
			return nil, apierr.Conflict("role_exists", "role %s already exists", name)
		}
		return nil, fmt.Errorf("creating role %s: %w", name, err)
	}
	perms = dedupe(perms)
	for _, p := range perms {
		if err := tx.Create(&Rule{Ptype: "p", V0: roleSub(name), V1: p}).Error; err != nil {
			return nil, fmt.Errorf("adding %s to role %s: %w", p, name, err)
		}
	}
	if err := bump(tx); err != nil {
		return nil, err
	}
	return &Role{Name: name, Description: description, Permissions: perms, Tenant: tenant}, nil
}

// DeleteRole removes a custom role that nobody holds. The caller checks
// that the actor may manage roles in the role's tenant (RoleTenant).
func (a *Authorizer) DeleteRole(tx *gorm.DB, name string) error {
	if IsBuiltin(name) {
		return apierr.Conflict("role_builtin", "%s is a built-in role and cannot be deleted", name)
	}
	var row roleRow
	if err := tx.Where("name = ?", name).Take(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return apierr.NotFound("role_not_found", "role %s does not exist", name)
		}
		return err
	}
	var held int64
	if err := tx.Model(&Rule{}).Where("ptype = 'g' AND v1 = ?", roleSub(name)).Count(&held).Error; err != nil {
		return err
	}
	if held > 0 {
		return apierr.Conflict("role_in_use", "role %s is held in %d grant(s): revoke them first", name, held)
	}
	if err := tx.Where("ptype = 'p' AND v0 = ?", roleSub(name)).Delete(&Rule{}).Error; err != nil {
		return err
	}
	if err := tx.Delete(&row).Error; err != nil {
		return err
	}
	return bump(tx)
}

// CanGrant checks that actor, using a credential with limit lim, may give
// role in tenant: superadmin only in the global domain and only by a
// superadmin; a custom role only inside its owner's subtree; any role only
// by someone who holds members.write and every one of the role's
// permissions there. A role the actor cannot see answers as a missing one.
func (a *Authorizer) CanGrant(db *gorm.DB, actor string, lim Limit, tenant, role string) error {
	r, err := a.Role(db, role)
	if err == nil && !r.UsableIn(tenant) {
		err = apierr.NotFound("role_not_found", "role %s does not exist", role)
	}
	if err != nil {
		if e, ok := apierr.As(err); ok && e.Status == 404 {
			return apierr.Invalid("role_not_found", "role %s does not exist", role)
		}
		return err
	}
	if role == RoleSuperadmin && tenant != Global {
		return apierr.Invalid("invalid_grant", "superadmin can only be granted for the whole deployment (tenant *)")
	}
	if err := a.Authorize(actor, lim, tenant, MembersWrite); err != nil {
		return err
	}
	for _, p := range r.Permissions {
		if !a.Allowed(actor, lim, tenant, p) {
			return apierr.Forbidden("you cannot grant role %s in %s: you do not hold its permission %s there", role, tenant, p)
		}
	}
	return nil
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// DropTenantRoles removes the custom roles a tenant owns, with their
// permissions and any grant of them (a tenant being purged), and returns
// their names.
func DropTenantRoles(tx *gorm.DB, tenant string) ([]string, error) {
	var names []string
	if err := tx.Model(&roleRow{}).Where("tenant = ?", tenant).Order("name").Pluck("name", &names).Error; err != nil {
		return nil, fmt.Errorf("listing roles of %s: %w", tenant, err)
	}
	for _, n := range names {
		if err := tx.Where("(ptype = 'p' AND v0 = ?) OR (ptype = 'g' AND v1 = ?)", roleSub(n), roleSub(n)).Delete(&Rule{}).Error; err != nil {
			return nil, fmt.Errorf("dropping role %s: %w", n, err)
		}
	}
	if err := tx.Where("tenant = ?", tenant).Delete(&roleRow{}).Error; err != nil {
		return nil, fmt.Errorf("dropping roles of %s: %w", tenant, err)
	}
	return names, nil
}
