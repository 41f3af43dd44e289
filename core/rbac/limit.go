package rbac

import (
	"strings"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/tenancy"
)

// Limit narrows what a credential may do below what its user's grants
// allow. An API token carries one; a login session carries none (the zero
// Limit). The effective permission of a request is the user's grants
// intersected with the limit: a limit never adds anything.
type Limit struct {
	// Tenant, when set, confines the credential to this tenant's subtree
	// (a Kemendagri code, never "*"); "" means wherever the user's grants
	// reach.
	Tenant string `json:"tenant,omitempty"`
	// Permissions, when not nil, is the set of permissions the credential
	// may exercise; entries may be patterns ("hello.*"). nil means every
	// permission the user holds.
	Permissions []string `json:"permissions,omitempty"`
}

// Unlimited reports whether the limit narrows nothing.
func (l Limit) Unlimited() bool { return l.Tenant == "" && l.Permissions == nil }

// Permits reports whether the limit lets perm through, wherever.
func (l Limit) Permits(perm string) bool {
	if l.Permissions == nil {
		return true
	}
	for _, p := range l.Permissions {
		if permMatches(p, perm) {
			return true
		}
	}
	return false
}

// Allows reports whether the limit lets perm through in tenant ("*" for
// the whole deployment, which a tenant-limited credential never reaches).
func (l Limit) Allows(tenant, perm string) bool {
	if l.Tenant != "" && (tenant == Global || !tenancy.Within(tenant, l.Tenant)) {
		return false
	}
	return l.Permits(perm)
}

// permMatches applies a role's permission pattern as the Casbin model's
// keyMatch does for the names used here: "*", "x.*" or an exact name.
func permMatches(pattern, perm string) bool {
	if pattern == "*" || pattern == perm {
		return true
	}
	prefix, ok := strings.CutSuffix(pattern, ".*")
	return ok && strings.HasPrefix(perm, prefix+".")
}

// Allowed is Can for a credential: user holds perm in tenant through its
// grants and the credential's limit lets it through. Every check made on
// behalf of a request goes through here (or Authorize), so an API token's
// limit applies on host routes and plugin routes alike.
func (a *Authorizer) Allowed(user string, l Limit, tenant, perm string) bool {
	return l.Allows(tenant, perm) && a.Can(user, tenant, perm)
}

// Authorize is Allowed that returns a 403 error saying what is missing.
func (a *Authorizer) Authorize(user string, l Limit, tenant, perm string) error {
	if a.Allowed(user, l, tenant, perm) {
		return nil
	}
	if a.Can(user, tenant, perm) {
		return apierr.Forbidden("this API token is not allowed %s in %s", perm, where(tenant))
	}
	return apierr.Forbidden("you do not have %s in %s", perm, where(tenant))
}

func where(tenant string) string {
	if tenant == Global {
		return "the whole deployment"
	}
	return "tenant " + tenant
}

// LimitedScopes is Scopes for a credential: the roots of the subtrees in
// which user holds perm, cut down to the limit's tenant and empty when the
// limit does not permit perm.
func (a *Authorizer) LimitedScopes(db *gorm.DB, user string, l Limit, perm string) ([]string, error) {
	if !l.Permits(perm) {
		return []string{}, nil
	}
	scopes, err := a.Scopes(db, user, perm)
	if err != nil || l.Tenant == "" {
		return scopes, err
	}
	out := []string{}
	for _, s := range scopes {
		switch {
		case s == Global || tenancy.Within(l.Tenant, s):
			return []string{l.Tenant}, nil
		case tenancy.Within(s, l.Tenant):
			out = append(out, s)
		}
	}
	return out, nil
}

// WithinAny reports whether code lies in the subtree of one of roots ("*"
// holds everything, and only "*" holds "*").
func WithinAny(code string, roots []string) bool {
	for _, r := range roots {
		if r == Global || (code != Global && code != "" && tenancy.Within(code, r)) {
			return true
		}
	}
	return false
}

// CommonRoot returns the root among roots whose subtree holds every code
// in codes, or "" when none does; Global holds everything.
func CommonRoot(roots []string, codes ...string) string {
	for _, r := range roots {
		ok := true
		for _, c := range codes {
			if !WithinAny(c, []string{r}) {
				ok = false
				break
			}
		}
		if ok {
			return r
		}
	}
	return ""
}
