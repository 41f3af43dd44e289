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
	"github.com/balaidesa/balai/sdk/input"
)

// Role is a named set of permissions.
type Role struct {
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Permissions []string `json:"permissions"`
	Builtin     bool     `json:"builtin"`
}

type roleRow struct {
	Name        string `gorm:"primaryKey;size:64"`
	Description string `gorm:"size:500"`
	CreatedBy   string `gorm:"size:64"`
	CreatedAt   time.Time
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
		out = append(out, Role{Name: name, Description: builtinDescriptions[name], Permissions: perms, Builtin: true})
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
		out = append(out, Role{Name: r.Name, Description: r.Description, Permissions: perms[r.Name]})
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

// CreateRole stores a custom role. The caller checks that the actor holds
// every permission it hands out.
func (a *Authorizer) CreateRole(tx *gorm.DB, name, description, createdBy string, perms []string) (*Role, error) {
	if err := a.CheckRole(name, perms); err != nil {
		return nil, err
	}
	if err := input.Text(description, 500); err != nil {
		return nil, apierr.Invalid("invalid_description", "the description %v", err)
	}
	if err := tx.Create(&roleRow{Name: name, Description: description, CreatedBy: createdBy}).Error; err != nil {
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
	return &Role{Name: name, Description: description, Permissions: perms}, nil
}

// DeleteRole removes a custom role that nobody holds.
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

// CanGrant checks that actor may give role in tenant: superadmin only in the
// global domain and only by a superadmin; any other role only by someone who
// holds members.write and every one of the role's permissions there.
func (a *Authorizer) CanGrant(db *gorm.DB, actor, tenant, role string) error {
	r, err := a.Role(db, role)
	if err != nil {
		if e, ok := apierr.As(err); ok && e.Status == 404 {
			return apierr.Invalid("role_not_found", "role %s does not exist", role)
		}
		return err
	}
	if role == RoleSuperadmin && tenant != Global {
		return apierr.Invalid("invalid_grant", "superadmin can only be granted for the whole deployment (tenant *)")
	}
	if err := a.Require(actor, tenant, MembersWrite); err != nil {
		return err
	}
	for _, p := range r.Permissions {
		if !a.Can(actor, tenant, p) {
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
