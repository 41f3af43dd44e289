// Package admin holds Balai's administrative operations — tenants, users,
// grants, roles and API tokens — once, for every way in: the HTTP API and
// the CLI are thin callers of the same Service. Each operation takes the
// Actor doing it, checks that the actor may, runs in one transaction, writes
// its audit entry in that transaction and bumps the policy version when
// other processes must reload, so that no copy of an operation can forget a
// step the others take.
package admin

import (
	"context"
	"log/slog"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/audit"
	"github.com/balaidesa/balai/core/auth"
	"github.com/balaidesa/balai/core/rbac"
	"github.com/balaidesa/balai/core/store"
)

// Actor is who performs an operation.
type Actor struct {
	// Username is the user acting; "" is the deployment's operator at the
	// CLI, who acts as a superadmin (whoever can run balai against the
	// database owns the deployment anyway).
	Username string
	// Limit is the API token's limit when the actor uses one.
	Limit rbac.Limit
	// Session is true when the actor logged in with a password; only then
	// may it mint API tokens or change credentials.
	Session bool
	// Who is how the audit trail names the actor and where it acted from.
	Who audit.Who
}

// Operator is the CLI operator, recorded in the audit trail as who.
func Operator(who audit.Who) Actor { return Actor{Session: true, Who: who} }

// FromIdentity is the actor behind an authenticated request.
func FromIdentity(id *auth.Identity, who audit.Who) Actor {
	who.Actor = id.Username
	return Actor{Username: id.Username, Limit: id.Limit, Session: id.IsSession(), Who: who}
}

// IsOperator reports whether the actor is the CLI operator.
func (a Actor) IsOperator() bool { return a.Username == "" }

// Service runs the operations over one database.
type Service struct {
	DB    *store.DB
	Authz *rbac.Authorizer
	// FilesDir is where plugins' files lie (core/files); a tenant purge
	// removes its files there after the commit.
	FilesDir string
	Log      *slog.Logger
}

func (s *Service) db(ctx context.Context) *gorm.DB { return s.DB.WithContext(ctx) }

func (s *Service) logger() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// Can reports whether the actor may use perm in tenant: the operator
// everywhere, a user through its grants cut down by its token's limit.
func (s *Service) Can(a Actor, tenant, perm string) bool {
	return a.IsOperator() || s.Authz.Allowed(a.Username, a.Limit, tenant, perm)
}

// Require is Can that answers 403 forbidden.
func (s *Service) Require(a Actor, tenant, perm string) error {
	if a.IsOperator() {
		return nil
	}
	return s.Authz.Authorize(a.Username, a.Limit, tenant, perm)
}

// Scopes returns the roots of the subtrees where the actor may use perm
// ("*": everywhere; empty: nowhere).
func (s *Service) Scopes(ctx context.Context, a Actor, perm string) ([]string, error) {
	if a.IsOperator() {
		return []string{rbac.Global}, nil
	}
	return s.Authz.LimitedScopes(s.db(ctx), a.Username, a.Limit, perm)
}

// RequireSomewhere returns the actor's scopes for perm, or 403 when it
// holds perm nowhere.
func (s *Service) RequireSomewhere(ctx context.Context, a Actor, perm string) ([]string, error) {
	scopes, err := s.Scopes(ctx, a, perm)
	if err != nil {
		return nil, err
	}
	if len(scopes) == 0 {
		return nil, apierr.Forbidden("you do not have %s in any tenant", perm)
	}
	return scopes, nil
}

// requireSession refuses API tokens where a password login is needed.
func requireSession(a Actor, what string) error {
	if a.Session {
		return nil
	}
	return apierr.New(403, "session_required", "an API token cannot %s: log in with your password", what)
}

// reload makes this process apply a committed policy change at once; other
// processes follow the bumped version.
func (s *Service) reload() {
	if err := s.Authz.Reload(); err != nil {
		s.logger().Error("reloading policy", "err", err)
	}
}

// union merges scope lists.
func union(lists ...[]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range lists {
		for _, s := range l {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}
