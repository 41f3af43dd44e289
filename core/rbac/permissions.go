// Package rbac decides who may do what in which tenant. It keeps grants
// (user, role, tenant) and custom roles in Casbin's gorm-adapter table, adds
// the built-in roles from code, and applies a grant in a tenant to every
// tenant below it.
package rbac

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Core permissions of the host itself. Plugins add their own (package
// plugin), named <plugin>.<object>.<action>.
const (
	TenantsRead  = "tenants.read"
	TenantsWrite = "tenants.write"
	UsersRead    = "users.read"
	UsersWrite   = "users.write"
	RolesRead    = "roles.read"
	RolesWrite   = "roles.write"
	MembersRead  = "members.read"
	MembersWrite = "members.write"
	ModulesRead  = "modules.read"
	ModulesWrite = "modules.write"
	AuditRead    = "audit.read"
	PluginsRead  = "plugins.read"
)

// Built-in role names.
const (
	RoleSuperadmin = "superadmin"
	RoleAdmin      = "admin"
	RoleOperator   = "operator"
	RoleViewer     = "viewer"
)

// Global is the Casbin domain of deployment-wide grants: a grant there holds
// in every tenant. Only superadmins hold grants in it by default.
const Global = "*"

// Permission describes one permission that roles can hold.
type Permission struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	// Roles lists the built-in roles (operator, viewer) that get it besides
	// admin and superadmin, which hold everything.
	Roles []string `json:"roles,omitempty"`
}

var permRE = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`)

// ValidPermissionName reports whether name has the dotted lower-case form.
func ValidPermissionName(name string) bool { return permRE.MatchString(name) }

// Registry is the catalogue of known permissions: the host's and those the
// loaded plugins declare.
type Registry struct {
	mu    sync.RWMutex
	perms map[string]Permission
	// owner is the plugin id that declared each permission; "" for the
	// host's own, which no plugin may redeclare.
	owner map[string]string
}

// NewRegistry returns a registry holding the core permissions.
func NewRegistry() *Registry {
	r := &Registry{perms: map[string]Permission{}, owner: map[string]string{}}
	for _, p := range []Permission{
		{TenantsRead, "see tenants", []string{RoleOperator, RoleViewer}},
		{TenantsWrite, "create, rename and delete tenants below", nil},
		{UsersRead, "see users who hold grants here", nil},
		{UsersWrite, "create users, disable them, reset their passwords", nil},
		{RolesRead, "see roles", []string{RoleOperator, RoleViewer}},
		{RolesWrite, "create custom roles", nil},
		{MembersRead, "see who holds which roles here", nil},
		{MembersWrite, "grant and revoke roles here", nil},
		{ModulesRead, "see which modules are enabled", []string{RoleOperator, RoleViewer}},
		{ModulesWrite, "enable and disable modules", nil},
		{AuditRead, "read the audit trail", nil},
		{PluginsRead, "see the loaded plugins", nil},
	} {
		r.perms[p.Name] = p
		r.owner[p.Name] = ""
	}
	return r
}

// Add registers the permissions a plugin declares, refusing a malformed
// name and one that the host or another plugin already declared: a plugin
// must never redefine who holds users.write. Nothing is added when one is
// refused.
func (r *Registry) Add(plugin string, ps ...Permission) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range ps {
		if owner, taken := r.owner[p.Name]; taken && owner != plugin {
			if owner == "" {
				return fmt.Errorf("permission %s is the host's own", p.Name)
			}
			return fmt.Errorf("permission %s belongs to plugin %s", p.Name, owner)
		}
		if !ValidPermissionName(p.Name) {
			return fmt.Errorf("permission %q: want dotted lower-case words such as population.residents.read", p.Name)
		}
		for _, role := range p.Roles {
			if role != RoleOperator && role != RoleViewer {
				return fmt.Errorf("permission %s: built-in role %q cannot be given permissions (use operator or viewer)", p.Name, role)
			}
		}
	}
	for _, p := range ps {
		r.perms[p.Name] = p
		r.owner[p.Name] = plugin
	}
	return nil
}

// Remove forgets the permissions plugin declared (when it is unloaded or
// refused); the host's own and other plugins' stay whatever the id.
func (r *Registry) Remove(plugin string) {
	if plugin == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for name, owner := range r.owner {
		if owner == plugin {
			delete(r.perms, name)
			delete(r.owner, name)
		}
	}
}

// All returns the permissions sorted by name.
func (r *Registry) All() []Permission {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Permission, 0, len(r.perms))
	for _, p := range r.perms {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Known reports whether a permission, or the pattern "x.*" or "*", names at
// least one known permission.
func (r *Registry) Known(name string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if name == "*" {
		return true
	}
	if prefix, ok := strings.CutSuffix(name, ".*"); ok {
		for p := range r.perms {
			if strings.HasPrefix(p, prefix+".") {
				return true
			}
		}
		return false
	}
	_, ok := r.perms[name]
	return ok
}

// builtinPolicies returns the permissions of each built-in role.
func (r *Registry) builtinPolicies() map[string][]string {
	out := map[string][]string{
		RoleSuperadmin: {"*"},
		RoleAdmin:      {"*"},
	}
	for _, p := range r.All() {
		for _, role := range p.Roles {
			out[role] = append(out[role], p.Name)
		}
	}
	return out
}

// IsBuiltin reports whether a role name is one of the four built-in roles.
func IsBuiltin(role string) bool {
	switch role {
	case RoleSuperadmin, RoleAdmin, RoleOperator, RoleViewer:
		return true
	}
	return false
}
