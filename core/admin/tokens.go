package admin

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/audit"
	"github.com/balaidesa/balai/core/auth"
	"github.com/balaidesa/balai/core/rbac"
	"github.com/balaidesa/balai/core/tenancy"
)

// TokenRequest asks for an API token.
type TokenRequest struct {
	// Name says what the token is for (1 to 100 characters).
	Name string
	// TTL is how long the token lives: 0 for auth.DefaultAPITokenTTL, at
	// most auth.MaxAPITokenTTL.
	TTL time.Duration
	// Limit confines the token to a tenant's subtree and to a set of
	// permissions; the zero Limit keeps the user's grants.
	Limit rbac.Limit
}

// IssuedToken is a new API token: its secret, shown once, and its record.
type IssuedToken struct {
	Secret string
	Token  *auth.Token
}

// IssueToken mints an API token for username. A user mints only for
// itself and only from a password session — an API token cannot mint
// tokens, so a leaked one cannot outlive its own expiry or revocation. The
// operator mints for anyone. The limit must name an existing tenant and
// known permissions.
func (s *Service) IssueToken(ctx context.Context, a Actor, username string, req TokenRequest) (*IssuedToken, error) {
	if err := requireSession(a, "mint API tokens"); err != nil {
		return nil, err
	}
	if !a.IsOperator() && username != a.Username {
		return nil, apierr.Forbidden("you can only mint API tokens for yourself")
	}
	lim := req.Limit
	if lim.Tenant == rbac.Global {
		lim.Tenant = ""
	}
	if lim.Tenant != "" {
		if _, _, err := tenancy.ParseCode(lim.Tenant); err != nil {
			return nil, err
		}
	}
	for _, p := range lim.Permissions {
		// The CLI runs without the plugins, so it knows only the host's
		// permissions: there a well-formed name is enough.
		wellFormed := rbac.ValidPermissionName(strings.TrimSuffix(p, ".*")+".x") || p == "*"
		if !s.Authz.Registry().Known(p) && !(a.IsOperator() && wellFormed) {
			return nil, apierr.Invalid("unknown_permission", "permission %q is not known to this deployment", p)
		}
	}
	var out IssuedToken
	err := s.db(ctx).Transaction(func(tx *gorm.DB) error {
		if lim.Tenant != "" {
			if _, err := tenancy.Get(tx, lim.Tenant); err != nil {
				return err
			}
		}
		u, err := auth.GetUser(tx, username)
		if err != nil {
			return err
		}
		secret, tok, err := auth.IssueAPIToken(tx, u, req.Name, req.TTL, lim)
		if err != nil {
			return err
		}
		out = IssuedToken{Secret: secret, Token: tok}
		return audit.Record(tx, a.Who, lim.Tenant, "token.create", u.Username, map[string]any{
			"token_id": tok.ID, "name": tok.Name, "expires_at": tok.ExpiresAt, "tenant": lim.Tenant, "permissions": lim.Permissions,
		})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// RevokeToken ends one of the actor's tokens. An API token may end itself
// only: managing other credentials needs a password session.
func (s *Service) RevokeToken(ctx context.Context, a Actor, userID, tokenID, currentToken uint) error {
	if !a.Session && tokenID != currentToken {
		return requireSession(a, "revoke other tokens")
	}
	err := s.db(ctx).Transaction(func(tx *gorm.DB) error {
		if err := auth.RevokeToken(tx, userID, tokenID); err != nil {
			return err
		}
		if err := rbac.Bump(tx); err != nil { // other servers drop the token from their caches
			return err
		}
		return audit.Record(tx, a.Who, "", "token.revoke", a.Username, map[string]any{"token_id": tokenID})
	})
	if err != nil {
		return err
	}
	s.reload()
	return nil
}
