package api

import (
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/mux"
	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/admin"
	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/audit"
	"github.com/balaidesa/balai/core/auth"
	"github.com/balaidesa/balai/core/rbac"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if err := decode(r, &req); err != nil {
		WriteError(w, r, err)
		return
	}
	if req.Username == "" || req.Password == "" {
		WriteError(w, r, apierr.Invalid("missing_credentials", "give username and password"))
		return
	}
	// Usernames are lower case (auth's rule): "Siti" typed on a phone
	// whose keyboard capitalises is siti.
	req.Username = strings.ToLower(strings.TrimSpace(req.Username))
	addr := clientAddr(r)
	// The attempt is taken before the password is checked, so that
	// parallel guesses cannot all pass a check made before any is counted.
	attempt, wait := s.limiter.Reserve(req.Username, addr)
	if attempt == nil {
		WriteError(w, r, tooManyAttempts("failed logins", wait))
		return
	}
	db := s.db(r)
	u, ok, err := auth.VerifyPassword(db, req.Username, req.Password)
	if err != nil {
		attempt.Release()
		WriteError(w, r, err)
		return
	}
	whoami := audit.Who{Actor: req.Username, Source: addr, RequestID: RequestID(r.Context())}
	if !ok { // the attempt stays spent
		if u != nil { // only known users: a spray of made-up names should not fill the trail
			if err := audit.Record(db, whoami, "", "auth.login_failed", req.Username, nil); err != nil {
				logger(r).Error("auditing failed login", "err", err)
			}
		}
		WriteError(w, r, apierr.Unauthorized("invalid_credentials", "wrong username or password"))
		return
	}
	attempt.Release()
	if u.Disabled {
		WriteError(w, r, apierr.Unauthorized("user_disabled", "the account %s is disabled", u.Username))
		return
	}
	var secret string
	var tok *auth.Token
	err = db.Transaction(func(tx *gorm.DB) error {
		var err error
		if secret, tok, err = auth.IssueToken(tx, u, auth.KindSession, "", s.opts.SessionTTL); err != nil {
			return err
		}
		return audit.Record(tx, whoami, "", "auth.login", u.Username, nil)
	})
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, loginResponse{Token: secret, ExpiresAt: *tok.ExpiresAt})
}

// logout ends the credential the request carries: the session (API tokens
// of the account are separate credentials and live on until they expire or
// are revoked with DELETE /auth/tokens/{id}; a password change revokes them
// all), or the API token itself when one is used.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	c := Caller(r.Context())
	err := s.db(r).Transaction(func(tx *gorm.DB) error {
		if err := auth.RevokeToken(tx, c.UserID, c.TokenID); err != nil {
			return err
		}
		if err := rbac.Bump(tx); err != nil { // other servers drop the token from their caches
			return err
		}
		return audit.Record(tx, who(r), "", "auth.logout", c.Username, nil)
	})
	if err != nil {
		WriteError(w, r, err)
		return
	}
	s.reloadPolicy(r)
	w.WriteHeader(http.StatusNoContent)
}

type meResponse struct {
	Username  string       `json:"username"`
	FullName  string       `json:"full_name"`
	Grants    []rbac.Grant `json:"grants"`
	TokenKind string       `json:"token_kind"`
	ExpiresAt *time.Time   `json:"expires_at"`
	// Limit is the API token's limit, when it has one.
	Limit *rbac.Limit `json:"limit,omitempty"`
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	c := Caller(r.Context())
	db := s.db(r)
	u, err := auth.GetUser(db, c.Username)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	grants, err := rbac.Grants(db, c.Username)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	if grants == nil {
		grants = []rbac.Grant{}
	}
	out := meResponse{Username: u.Username, FullName: u.FullName, Grants: grants, TokenKind: c.TokenKind, ExpiresAt: c.ExpiresAt}
	if !c.Limit.Unlimited() {
		out.Limit = &c.Limit
	}
	writeJSON(w, http.StatusOK, out)
}

// tokenRequest asks for an API token. The lifetime is expires_in_days
// (1 to 365) or expires_at (RFC 3339, at most 365 days ahead); neither
// gives auth.DefaultAPITokenTTL (30 days). tenant and permissions limit the
// token below the user's grants (rbac.Limit).
type tokenRequest struct {
	Name          string     `json:"name"`
	ExpiresInDays int        `json:"expires_in_days"`
	ExpiresAt     *time.Time `json:"expires_at"`
	Tenant        string     `json:"tenant"`
	Permissions   []string   `json:"permissions"`
}

// tokenResponse is a new token: the secret, shown once, and its record.
type tokenResponse struct {
	Secret      string     `json:"token"`
	ID          uint       `json:"id"`
	Kind        string     `json:"kind"`
	Name        string     `json:"name"`
	CreatedAt   time.Time  `json:"created_at"`
	ExpiresAt   *time.Time `json:"expires_at"`
	Tenant      string     `json:"tenant,omitempty"`
	Permissions []string   `json:"permissions,omitempty"`
}

// createToken issues an API token for the caller's own account, for machine
// clients (a village's offline sync, a reporting job). Only a password
// session may: an API token cannot mint tokens.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	var req tokenRequest
	if err := decode(r, &req); err != nil {
		WriteError(w, r, err)
		return
	}
	maxDays := int(auth.MaxAPITokenTTL / (24 * time.Hour))
	var ttl time.Duration
	switch {
	case req.ExpiresInDays != 0 && req.ExpiresAt != nil:
		WriteError(w, r, apierr.Invalid("invalid_expiry", "give expires_in_days or expires_at, not both"))
		return
	case req.ExpiresInDays < 0 || req.ExpiresInDays > maxDays:
		WriteError(w, r, apierr.Invalid("invalid_expiry", "expires_in_days must be from 1 to %d", maxDays))
		return
	case req.ExpiresInDays > 0:
		ttl = time.Duration(req.ExpiresInDays) * 24 * time.Hour
	case req.ExpiresAt != nil:
		if ttl = time.Until(*req.ExpiresAt); ttl < time.Minute {
			WriteError(w, r, apierr.Invalid("invalid_expiry", "expires_at must be in the future"))
			return
		}
	}
	c := Caller(r.Context())
	res, err := s.admin.IssueToken(r.Context(), actor(r), c.Username, admin.TokenRequest{
		Name: req.Name, TTL: ttl, Limit: rbac.Limit{Tenant: req.Tenant, Permissions: req.Permissions},
	})
	if err != nil {
		WriteError(w, r, err)
		return
	}
	t := res.Token
	writeJSON(w, http.StatusCreated, tokenResponse{Secret: res.Secret, ID: t.ID, Kind: t.Kind, Name: t.Name, CreatedAt: t.CreatedAt,
		ExpiresAt: t.ExpiresAt, Tenant: t.Tenant, Permissions: t.Limit().Permissions})
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) {
	ts, err := auth.ListAPITokens(s.db(r), Caller(r.Context()).UserID)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, List[auth.Token]{Items: ts, Total: int64(len(ts))})
}

// deleteToken revokes one of the caller's tokens; an API token may revoke
// only itself.
func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request) {
	id, err := pathInt(mux.Vars(r)["id"])
	if err != nil {
		WriteError(w, r, err)
		return
	}
	c := Caller(r.Context())
	if err := s.admin.RevokeToken(r.Context(), actor(r), c.UserID, id, c.TokenID); err != nil {
		WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// tooManyAttempts is the 429 of a password check the login limiter
// refused (what: "failed logins", "wrong passwords"), with Retry-After in
// whole seconds, rounded up.
func tooManyAttempts(what string, wait time.Duration) *apierr.Error {
	e := apierr.New(http.StatusTooManyRequests, "too_many_attempts", "too many %s: try again in %s", what, wait)
	e.RetryAfter = max(1, int(math.Ceil(wait.Seconds())))
	return e
}
