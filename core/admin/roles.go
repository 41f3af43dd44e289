package admin

import (
	"context"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/audit"
	"github.com/balaidesa/balai/core/rbac"
	"github.com/balaidesa/balai/core/tenancy"
)

// Roles belong to tenants (rbac.Role.Tenant): a custom role is seen and
// granted in its owner's subtree only, and managed by admins of the owner
// or above. Names stay unique in the whole deployment, so a name always
// means one role.

// ListRoles lists the roles the actor may see with roles.read: the global
// ones and those owned by tenants overlapping the actor's scopes.
func (s *Service) ListRoles(ctx context.Context, a Actor) ([]rbac.Role, error) {
	scopes, err := s.RequireSomewhere(ctx, a, rbac.RolesRead)
	if err != nil {
		return nil, err
	}
	roles, err := s.Authz.Roles(s.db(ctx))
	if err != nil {
		return nil, err
	}
	out := []rbac.Role{}
	for _, r := range roles {
		if r.VisibleFrom(scopes) {
			out = append(out, r)
		}
	}
	return out, nil
}

// GetRole returns a role the actor may see; another is 404 role_not_found.
func (s *Service) GetRole(ctx context.Context, a Actor, name string) (*rbac.Role, error) {
	scopes, err := s.RequireSomewhere(ctx, a, rbac.RolesRead)
	if err != nil {
		return nil, err
	}
	return s.visibleRole(s.db(ctx), scopes, name)
}

func (s *Service) visibleRole(db *gorm.DB, scopes []string, name string) (*rbac.Role, error) {
	r, err := s.Authz.Role(db, name)
	if err != nil {
		return nil, err
	}
	if !r.VisibleFrom(scopes) {
		return nil, apierr.NotFound("role_not_found", "role %s does not exist", name)
	}
	return r, nil
}

// NewRole describes a custom role to create.
type NewRole struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Permissions []string `json:"permissions"`
	// Tenant owns the role; "" takes the actor's one roles.write scope, or
	// "*" (global) for a superadmin or the operator.
	Tenant string `json:"tenant,omitempty"`
}

// CreateRole creates a custom role owned by nr.Tenant. The actor needs
// roles.write there and must itself hold each of the role's permissions
// there, so a role never carries more than its author could do.
func (s *Service) CreateRole(ctx context.Context, a Actor, nr NewRole) (*rbac.Role, error) {
	if nr.Tenant == "" {
		if s.Can(a, rbac.Global, rbac.RolesWrite) {
			nr.Tenant = rbac.Global
		} else {
			scopes, err := s.RequireSomewhere(ctx, a, rbac.RolesWrite)
			if err != nil {
				return nil, err
			}
			if len(scopes) != 1 {
				return nil, apierr.Invalid("tenant_required", "you manage roles in %d tenants: say which owns the role with \"tenant\"", len(scopes))
			}
			nr.Tenant = scopes[0]
		}
	}
	if nr.Tenant != rbac.Global {
		if _, _, err := tenancy.ParseCode(nr.Tenant); err != nil {
			return nil, err
		}
	}
	if err := s.Require(a, nr.Tenant, rbac.RolesWrite); err != nil {
		return nil, err
	}
	if err := s.Authz.CheckRole(nr.Name, nr.Permissions); err != nil {
		return nil, err
	}
	for _, p := range nr.Permissions {
		if !s.Can(a, nr.Tenant, p) {
			return nil, apierr.Forbidden("you cannot create a role with %s in %s: you do not hold it there", p, nr.Tenant)
		}
	}
	var role *rbac.Role
	err := s.db(ctx).Transaction(func(tx *gorm.DB) error {
		if nr.Tenant != rbac.Global {
			if _, err := tenancy.Get(tx, nr.Tenant); err != nil {
				return err
			}
		}
		var err error
		if role, err = s.Authz.CreateRole(tx, nr.Name, nr.Description, a.Who.Actor, nr.Tenant, nr.Permissions); err != nil {
			return err
		}
		return audit.Record(tx, a.Who, auditTenant(nr.Tenant), "role.create", role.Name, map[string]any{"permissions": role.Permissions, "tenant": nr.Tenant})
	})
	if err != nil {
		return nil, err
	}
	s.reload()
	return role, nil
}

// DeleteRole deletes a custom role nobody holds. The actor needs roles.write
// in the role's tenant ("*" for a global role); a role it cannot see is 404.
func (s *Service) DeleteRole(ctx context.Context, a Actor, name string) error {
	scopes, err := s.Scopes(ctx, a, rbac.RolesRead)
	if err != nil {
		return err
	}
	scopes = union(scopes, mustScopes(s.Scopes(ctx, a, rbac.RolesWrite)))
	err = s.db(ctx).Transaction(func(tx *gorm.DB) error {
		r, err := s.visibleRole(tx, scopes, name)
		if err != nil {
			return err
		}
		if r.Builtin {
			return apierr.Conflict("role_builtin", "%s is a built-in role and cannot be deleted", name)
		}
		if err := s.Require(a, r.Tenant, rbac.RolesWrite); err != nil {
			return err
		}
		if err := s.Authz.DeleteRole(tx, name); err != nil {
			return err
		}
		return audit.Record(tx, a.Who, auditTenant(r.Tenant), "role.delete", name, map[string]any{"tenant": r.Tenant})
	})
	if err != nil {
		return err
	}
	s.reload()
	return nil
}

func mustScopes(sc []string, err error) []string {
	if err != nil {
		return nil
	}
	return sc
}

// auditTenant is the audit trail's tenant of a domain: "" for "*".
func auditTenant(domain string) string {
	if domain == rbac.Global {
		return ""
	}
	return domain
}

// SetRoles replaces the roles username holds directly in tenant ("*" for
// the whole deployment); nil roles removes the membership (404
// member_not_found when there is none). The actor needs members.write
// there and must be able to grant every role given and every role taken
// away (rbac.CanGrant), so no one hands out, or strips, more than they hold.
// A user the actor may not see answers 404 user_not_found. It returns the
// roles held before.
func (s *Service) SetRoles(ctx context.Context, a Actor, tenant, username string, roles []string) ([]string, error) {
	if tenant != rbac.Global {
		if _, _, err := tenancy.ParseCode(tenant); err != nil {
			return nil, err
		}
	}
	if roles != nil && len(roles) == 0 {
		return nil, apierr.Invalid("invalid_roles", "give at least one role; remove the membership to remove all")
	}
	if err := s.Require(a, tenant, rbac.MembersWrite); err != nil {
		return nil, err
	}
	var had []string
	err := s.db(ctx).Transaction(func(tx *gorm.DB) error {
		if tenant != rbac.Global {
			if _, err := tenancy.Get(tx, tenant); err != nil {
				return err
			}
		}
		if _, _, err := s.lookup(ctx, tx, a, username, rbac.MembersWrite, rbac.UsersRead); err != nil {
			return err
		}
		current, err := rbac.Members(tx, tenant)
		if err != nil {
			return err
		}
		for _, m := range current {
			if m.Username == username {
				had = m.Roles
			}
		}
		if roles == nil && len(had) == 0 {
			return apierr.NotFound("member_not_found", "%s holds no roles in %s", username, tenant)
		}
		for _, role := range append(append([]string{}, roles...), had...) {
			if a.IsOperator() {
				r, err := s.Authz.Role(tx, role)
				if err == nil && !r.UsableIn(tenant) {
					err = apierr.Invalid("role_not_found", "role %s is owned by %s and cannot be granted in %s", role, r.Tenant, tenant)
				}
				if err == nil && role == rbac.RoleSuperadmin && tenant != rbac.Global {
					err = apierr.Invalid("invalid_grant", "superadmin can only be granted for the whole deployment (tenant *)")
				}
				if err != nil {
					return err
				}
				continue
			}
			if err := s.Authz.CanGrant(tx, a.Username, a.Limit, tenant, role); err != nil {
				return err
			}
		}
		if err := rbac.SetRoles(tx, tenant, username, roles); err != nil {
			return err
		}
		action := "member.set"
		if roles == nil {
			action = "member.remove"
		}
		return audit.Record(tx, a.Who, auditTenant(tenant), action, username, map[string]any{"tenant": tenant, "roles": roles, "previous": had})
	})
	if err != nil {
		return nil, err
	}
	s.reload()
	return had, nil
}
