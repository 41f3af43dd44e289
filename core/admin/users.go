package admin

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/audit"
	"github.com/balaidesa/balai/core/auth"
	"github.com/balaidesa/balai/core/rbac"
	"github.com/balaidesa/balai/core/tenancy"
)

// Who owns and who sees an account.
//
// A user belongs to its home tenant (auth.User.HomeTenant, the tenant it was
// created in); a user without a home belongs to the superadmins. Granting a
// user roles never moves its home.
//
// Owning — resetting the password, disabling, renaming — needs users.write
// for the whole deployment, or users.write in one tenant whose subtree holds
// the user's home and every grant the user has. So an admin of a
// sub-district cannot take over an account that reaches anywhere else: not
// one a superadmin made and the admin merely granted a role to, and not one
// of its own once the user is granted a role outside the sub-district.
//
// Seeing — naming the user in GET /users/{name}, in a grant, in a listing —
// needs the home, or at least one grant, of the user inside the subtree
// where the actor holds the permission of the route (users.read or
// users.write for the user routes, members.write for grants). A user the
// actor may not see is answered exactly as a user that does not exist (404
// user_not_found), so that usernames cannot be probed.

// Owns reports whether actor may manage target's account (see above). It
// is a pure function of the actor's users.write scopes and the target's
// home and grants, so that the rule can be tested on its own.
func Owns(writeScopes []string, home string, grantTenants []string) bool {
	if rbac.WithinAny(rbac.Global, writeScopes) {
		return true
	}
	if home == "" {
		return false
	}
	return rbac.CommonRoot(writeScopes, append([]string{home}, grantTenants...)...) != ""
}

// Sees reports whether someone holding a permission in scopes may see
// target: all of them for "*", else by home or by any grant.
func Sees(scopes []string, home string, grantTenants []string) bool {
	if rbac.WithinAny(rbac.Global, scopes) || (home != "" && rbac.WithinAny(home, scopes)) {
		return true
	}
	for _, g := range grantTenants {
		if rbac.WithinAny(g, scopes) {
			return true
		}
	}
	return false
}

func grantTenants(gs []rbac.Grant) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.Tenant
	}
	return out
}

func userNotFound(name string) error {
	return apierr.NotFound("user_not_found", "user %s does not exist", name)
}

// lookup loads a user the actor may see with perms; an unseen user answers
// as a missing one.
func (s *Service) lookup(ctx context.Context, tx *gorm.DB, a Actor, username string, perms ...string) (*auth.User, []rbac.Grant, error) {
	u, err := auth.GetUser(tx, username)
	if err != nil {
		return nil, nil, err
	}
	grants, err := rbac.Grants(tx, u.Username)
	if err != nil {
		return nil, nil, err
	}
	if a.IsOperator() || u.Username == a.Username {
		return u, grants, nil
	}
	var scopes []string
	for _, p := range perms {
		sc, err := s.Scopes(ctx, a, p)
		if err != nil {
			return nil, nil, err
		}
		scopes = union(scopes, sc)
	}
	if !Sees(scopes, u.HomeTenant, grantTenants(grants)) {
		return nil, nil, userNotFound(username)
	}
	return u, grants, nil
}

// UserView is a user with the grants the viewer may see.
type UserView struct {
	*auth.User
	Grants []rbac.Grant `json:"grants"`
}

// GetUser returns a user the actor may see (users.read), with its grants
// inside the actor's reach; an unseen user is 404 user_not_found.
func (s *Service) GetUser(ctx context.Context, a Actor, username string) (*UserView, error) {
	db := s.db(ctx)
	u, grants, err := s.lookup(ctx, db, a, username, rbac.UsersRead, rbac.UsersWrite)
	if err != nil {
		return nil, err
	}
	shown := []rbac.Grant{}
	if a.IsOperator() || u.Username == a.Username {
		shown = append(shown, grants...)
	} else {
		scopes, err := s.Scopes(ctx, a, rbac.UsersRead)
		if err != nil {
			return nil, err
		}
		for _, g := range grants {
			if rbac.WithinAny(g.Tenant, scopes) {
				shown = append(shown, g)
			}
		}
	}
	if u.Username != a.Username {
		// A user's full name is personal data (UU PDP 27/2022): reading
		// another's record is processing it.
		if err := audit.Record(db, a.Who, "", "user.read", u.Username, nil); err != nil {
			return nil, err
		}
	}
	return &UserView{User: u, Grants: shown}, nil
}

// ListUsers lists the users the actor may see with users.read.
func (s *Service) ListUsers(ctx context.Context, a Actor, f auth.UserFilter) ([]auth.User, int64, error) {
	db := s.db(ctx)
	scopes, err := s.RequireSomewhere(ctx, a, rbac.UsersRead)
	if err != nil {
		return nil, 0, err
	}
	f.Usernames, f.Homes = nil, nil
	if !rbac.WithinAny(rbac.Global, scopes) {
		names, err := rbac.UsersWithGrantsIn(db, scopes)
		if err != nil {
			return nil, 0, err
		}
		f.Usernames = append([]string{}, names...)
		f.Homes = scopes
	}
	users, total, err := auth.ListUsers(db, f)
	if err != nil {
		return nil, 0, err
	}
	// Listing users shows their full names, personal data: recorded with
	// the count, not the names.
	if err := audit.Record(db, a.Who, "", "user.list", "users", map[string]int{"users": len(users)}); err != nil {
		return nil, 0, err
	}
	return users, total, nil
}

// CreateUser creates a user at home in nu.Tenant: given, or the actor's
// one users.write scope; a superadmin (or the operator) without a tenant
// makes a user that belongs to the superadmins. The actor needs users.write
// in the home.
func (s *Service) CreateUser(ctx context.Context, a Actor, nu auth.NewUser) (*auth.User, error) {
	if nu.Tenant == rbac.Global {
		nu.Tenant = ""
	}
	if nu.Tenant == "" && !s.Can(a, rbac.Global, rbac.UsersWrite) {
		scopes, err := s.RequireSomewhere(ctx, a, rbac.UsersWrite)
		if err != nil {
			return nil, err
		}
		if len(scopes) != 1 {
			return nil, apierr.Invalid("tenant_required", "you manage users in %d tenants: say in which the user lives with \"tenant\"", len(scopes))
		}
		nu.Tenant = scopes[0]
	}
	if nu.Tenant != "" {
		if _, _, err := tenancy.ParseCode(nu.Tenant); err != nil {
			return nil, err
		}
		if err := s.Require(a, nu.Tenant, rbac.UsersWrite); err != nil {
			return nil, err
		}
	}
	nu.CreatedBy = a.Who.Actor
	var u *auth.User
	err := s.db(ctx).Transaction(func(tx *gorm.DB) error {
		if nu.Tenant != "" {
			if _, err := tenancy.Get(tx, nu.Tenant); err != nil {
				return err
			}
		}
		var err error
		if u, err = auth.CreateUser(tx, nu); err != nil {
			return err
		}
		return audit.Record(tx, a.Who, nu.Tenant, "user.create", u.Username, map[string]any{"home_tenant": nu.Tenant})
	})
	return u, err
}

// UpdateUser applies a patch to a user the actor owns (see Owns). Users may
// rename themselves; their own password changes through ChangePassword,
// which asks for the current one. Setting a password or disabling revokes
// every session and token of the user. API tokens cannot set passwords.
func (s *Service) UpdateUser(ctx context.Context, a Actor, username string, p auth.UserPatch) (*auth.User, error) {
	if p.Empty() {
		return nil, apierr.Invalid("empty_patch", "give full_name, password or disabled")
	}
	if p.Password != nil {
		if err := requireSession(a, "set a password"); err != nil {
			return nil, err
		}
	}
	var out *auth.User
	revokes := p.Password != nil || (p.Disabled != nil && *p.Disabled)
	err := s.db(ctx).Transaction(func(tx *gorm.DB) error {
		u, grants, err := s.lookup(ctx, tx, a, username, rbac.UsersRead, rbac.UsersWrite)
		if err != nil {
			return err
		}
		self := u.Username == a.Username
		if self && !a.Session {
			// An API token acts for a machine client within its limit;
			// the account itself is its owner's, changed at a login.
			return requireSession(a, "change its own account")
		}
		switch {
		case self && p.Disabled != nil && *p.Disabled:
			return apierr.Invalid("cannot_disable_self", "you cannot disable your own account")
		case self && p.Password != nil:
			return apierr.Invalid("current_password_required", "change your own password with POST /api/v1/me/password and your current password")
		case self && p.Disabled == nil:
			// renaming oneself needs no permission
		case a.IsOperator():
		default:
			scopes, err := s.Scopes(ctx, a, rbac.UsersWrite)
			if err != nil {
				return err
			}
			if !Owns(scopes, u.HomeTenant, grantTenants(grants)) {
				owner := "the superadmins"
				if u.HomeTenant != "" {
					owner = "tenant " + u.HomeTenant
				}
				return apierr.Forbidden("user %s belongs to %s or holds roles outside the tenants where you have %s", u.Username, owner, rbac.UsersWrite)
			}
		}
		if out, err = auth.UpdateUser(tx, u.Username, p); err != nil {
			return err
		}
		var fields []string
		detail := map[string]any{}
		if p.FullName != nil {
			fields = append(fields, "full_name")
		}
		if p.Password != nil {
			fields = append(fields, "password")
		}
		if p.Disabled != nil {
			fields = append(fields, "disabled")
			detail["disabled"] = *p.Disabled
		}
		detail["fields"] = fields
		if revokes {
			detail["tokens_revoked"] = true
			// Tokens were revoked: every server drops its cached copies.
			if err := rbac.Bump(tx); err != nil {
				return err
			}
		}
		return audit.Record(tx, a.Who, u.HomeTenant, "user.update", u.Username, detail)
	})
	if err != nil {
		return nil, err
	}
	if revokes {
		s.reload()
	}
	return out, nil
}

// NewSession is a login session handed out after a password change.
type NewSession struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

// ChangePassword changes the actor's own password, which needs the current
// one (401 wrong_password) and a password session (403 session_required).
// Every session and API token of the account is revoked, the one in use
// too, and a fresh session living ttl is returned in its place, so that
// whoever held a copy of any credential is out and the user is not.
func (s *Service) ChangePassword(ctx context.Context, a Actor, current, next string, ttl time.Duration) (*NewSession, error) {
	if err := requireSession(a, "change a password"); err != nil {
		return nil, err
	}
	if a.IsOperator() {
		return nil, apierr.Invalid("no_user", "the CLI operator has no password: use balai user passwd")
	}
	if current == "" || next == "" {
		return nil, apierr.Invalid("missing_password", "give current_password and new_password")
	}
	var out NewSession
	err := s.db(ctx).Transaction(func(tx *gorm.DB) error {
		if err := auth.ChangePassword(tx, a.Username, current, next); err != nil {
			return err
		}
		u, err := auth.GetUser(tx, a.Username)
		if err != nil {
			return err
		}
		secret, tok, err := auth.IssueToken(tx, u, auth.KindSession, "", ttl)
		if err != nil {
			return err
		}
		out = NewSession{Token: secret, ExpiresAt: *tok.ExpiresAt}
		if err := rbac.Bump(tx); err != nil {
			return err
		}
		return audit.Record(tx, a.Who, u.HomeTenant, "user.password_change", u.Username, map[string]any{"tokens_revoked": true})
	})
	if err != nil {
		return nil, err
	}
	s.reload()
	return &out, nil
}

// ResetPassword is the operator's (or an owner's) reset of someone else's
// password; see UpdateUser.
func (s *Service) ResetPassword(ctx context.Context, a Actor, username, password string) error {
	_, err := s.UpdateUser(ctx, a, username, auth.UserPatch{Password: &password})
	return err
}
