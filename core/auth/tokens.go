package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/rbac"
	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/sdk/input"
)

// Token kinds.
const (
	KindSession = "session" // from a login; expires after the session TTL
	KindAPI     = "api"     // for machine clients; expires, may be limited
)

// Lifetimes of API tokens: a token asked for without an expiry gets
// DefaultAPITokenTTL, and none lives longer than MaxAPITokenTTL, so a
// forgotten or leaked token dies on its own.
const (
	DefaultAPITokenTTL = 30 * 24 * time.Hour
	MaxAPITokenTTL     = 365 * 24 * time.Hour
)

// Token prefixes make a leaked token recognisable to secret scanners.
const (
	sessionPrefix = "bls_"
	apiPrefix     = "bla_"
)

// Token is a stored bearer token. Only the SHA-256 of the secret is kept:
// a copy of the database does not hand out sessions.
type Token struct {
	ID         uint       `gorm:"primaryKey" json:"id"`
	UserID     uint       `gorm:"not null;index" json:"-"`
	Kind       string     `gorm:"size:16;not null" json:"kind"`
	Name       string     `gorm:"size:100" json:"name,omitempty"`
	Hash       string     `gorm:"size:64;uniqueIndex;not null" json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	// Tenant and Permissions hold an API token's limit (rbac.Limit):
	// Tenant "" is none; Permissions is a comma-separated list, "" none.
	Tenant      string `gorm:"size:13" json:"tenant,omitempty"`
	Permissions string `gorm:"type:text" json:"-"`
}

// Limit returns the token's limit.
func (t *Token) Limit() rbac.Limit {
	l := rbac.Limit{Tenant: t.Tenant}
	if t.Permissions != "" {
		l.Permissions = strings.Split(t.Permissions, ",")
	}
	return l
}

// MarshalJSON shows the limit's permissions as a list.
func (t Token) MarshalJSON() ([]byte, error) {
	type plain Token
	return json.Marshal(struct {
		plain
		Permissions []string `json:"permissions,omitempty"`
	}{plain(t), t.Limit().Permissions})
}

// tokenMigrations add API token limits and give every API token an expiry:
// tokens made before expiry was required get DefaultAPITokenTTL from the
// upgrade, time for their owners to replace them.
func tokenMigrations() []*store.Migration {
	return []*store.Migration{{
		ID: "202611300710_tokens_limits",
		Migrate: func(tx *gorm.DB) error {
			for _, stmt := range []string{
				"ALTER TABLE tokens ADD COLUMN tenant VARCHAR(13)",
				"ALTER TABLE tokens ADD COLUMN permissions TEXT",
			} {
				if err := tx.Exec(stmt).Error; err != nil {
					return err
				}
			}
			exp := time.Now().UTC().Add(DefaultAPITokenTTL).Truncate(time.Second)
			return tx.Exec("UPDATE tokens SET expires_at = ? WHERE kind = ? AND expires_at IS NULL", exp, KindAPI).Error
		},
	}}
}

// Migrations create the users and tokens tables.
func Migrations() []*store.Migration {
	type user struct {
		ID           uint   `gorm:"primaryKey"`
		Username     string `gorm:"size:64;uniqueIndex;not null"`
		FullName     string `gorm:"size:200;not null"`
		PasswordHash string `gorm:"size:200;not null"`
		Disabled     bool   `gorm:"not null;default:false"`
		CreatedBy    string `gorm:"size:64"`
		CreatedAt    time.Time
		UpdatedAt    time.Time
	}
	type token struct {
		ID         uint   `gorm:"primaryKey"`
		UserID     uint   `gorm:"not null;index"`
		Kind       string `gorm:"size:16;not null"`
		Name       string `gorm:"size:100"`
		Hash       string `gorm:"size:64;uniqueIndex;not null"`
		CreatedAt  time.Time
		ExpiresAt  *time.Time
		LastUsedAt *time.Time
		RevokedAt  *time.Time
	}
	ms := []*store.Migration{{
		ID: "202611240200_users_tokens",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Table("users").AutoMigrate(&user{}); err != nil {
				return err
			}
			return tx.Table("tokens").AutoMigrate(&token{})
		},
	}}
	return append(append(ms, userMigrations()...), tokenMigrations()...)
}

// Identity is an authenticated caller.
type Identity struct {
	UserID    uint
	Username  string
	TokenID   uint
	TokenKind string
	ExpiresAt *time.Time
	// Limit narrows an API token below its user's grants; every permission
	// check of a request made with the token applies it.
	Limit rbac.Limit
}

// IsSession reports whether the caller logged in with a password. Only a
// session may mint API tokens or change credentials: an API token that
// leaks must not be able to outlive its revocation or lock out its owner.
func (id *Identity) IsSession() bool { return id.TokenKind == KindSession }

func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

func newSecret(prefix string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// IssueToken creates a session token for a user and returns its secret,
// which is shown once and never stored.
func IssueToken(db *gorm.DB, u *User, kind, name string, ttl time.Duration) (string, *Token, error) {
	if kind == KindAPI {
		return IssueAPIToken(db, u, name, ttl, rbac.Limit{})
	}
	return issue(db, u, kind, name, ttl, rbac.Limit{})
}

// IssueAPIToken creates an API token for a user, living ttl (0:
// DefaultAPITokenTTL; more than MaxAPITokenTTL is refused with 422
// invalid_expiry) and confined by lim. The caller checks that lim names an
// existing tenant and known permissions.
func IssueAPIToken(db *gorm.DB, u *User, name string, ttl time.Duration, lim rbac.Limit) (string, *Token, error) {
	if name = strings.TrimSpace(name); name == "" || input.Name(name, 100) != nil {
		return "", nil, apierr.Invalid("invalid_token_name", "an API token needs a name of 1 to 100 characters, on one line, without control or invisible formatting characters")
	}
	if ttl == 0 {
		ttl = DefaultAPITokenTTL
	}
	if ttl < time.Minute || ttl > MaxAPITokenTTL {
		return "", nil, apierr.Invalid("invalid_expiry", "an API token lives from 1 minute to %d days", int(MaxAPITokenTTL/(24*time.Hour)))
	}
	if lim.Permissions != nil && len(lim.Permissions) == 0 {
		return "", nil, apierr.Invalid("invalid_permissions", "give at least one permission, or none to keep the user's")
	}
	for _, p := range lim.Permissions {
		if p == "" || strings.Contains(p, ",") {
			return "", nil, apierr.Invalid("invalid_permissions", "permission %q is not a permission name", p)
		}
	}
	return issue(db, u, KindAPI, name, ttl, lim)
}

func issue(db *gorm.DB, u *User, kind, name string, ttl time.Duration, lim rbac.Limit) (string, *Token, error) {
	prefix := sessionPrefix
	if kind == KindAPI {
		prefix = apiPrefix
	}
	secret, err := newSecret(prefix)
	if err != nil {
		return "", nil, fmt.Errorf("generating token: %w", err)
	}
	t := &Token{UserID: u.ID, Kind: kind, Name: name, Hash: hashSecret(secret), Tenant: lim.Tenant, Permissions: strings.Join(lim.Permissions, ",")}
	if ttl > 0 {
		exp := time.Now().UTC().Add(ttl).Truncate(time.Second)
		t.ExpiresAt = &exp
	}
	if err := db.Create(t).Error; err != nil {
		return "", nil, fmt.Errorf("storing token: %w", err)
	}
	return secret, t, nil
}

// Authenticate resolves a bearer secret to its identity. A token that is
// unknown, revoked, expired or whose user is disabled is refused with 401.
func Authenticate(db *gorm.DB, secret string) (*Identity, error) {
	if !strings.HasPrefix(secret, sessionPrefix) && !strings.HasPrefix(secret, apiPrefix) {
		return nil, apierr.Unauthorized("invalid_token", "the bearer token is not valid")
	}
	return authenticateHash(db, hashSecret(secret))
}

func authenticateHash(db *gorm.DB, hash string) (*Identity, error) {
	var row struct {
		Token
		Username string
		Disabled bool
	}
	err := db.Table("tokens").
		Select("tokens.*, users.username, users.disabled").
		Joins("JOIN users ON users.id = tokens.user_id").
		Where("tokens.hash = ?", hash).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, apierr.Unauthorized("invalid_token", "the bearer token is not valid")
	}
	if err != nil {
		return nil, fmt.Errorf("looking up token: %w", err)
	}
	switch {
	case row.RevokedAt != nil:
		return nil, apierr.Unauthorized("invalid_token", "the bearer token was revoked")
	case row.ExpiresAt != nil && !time.Now().Before(*row.ExpiresAt):
		return nil, apierr.Unauthorized("token_expired", "the bearer token has expired: log in again")
	case row.Disabled:
		return nil, apierr.Unauthorized("user_disabled", "the account %s is disabled", row.Username)
	}
	return &Identity{UserID: row.UserID, Username: row.Username, TokenID: row.ID, TokenKind: row.Kind, ExpiresAt: row.ExpiresAt, Limit: row.Token.Limit()}, nil
}

// TokenCache remembers valid tokens for a few seconds, so that a busy
// server does not read the token table on every request. Whatever revokes
// tokens flushes it: in this process at once (Flush), in others through the
// policy version they watch.
type TokenCache struct {
	mu  sync.RWMutex
	m   map[string]cachedIdentity
	ttl time.Duration
}

type cachedIdentity struct {
	id    *Identity
	until time.Time
}

// maxCached bounds the cache; past it the cache starts afresh.
const maxCached = 100_000

// NewTokenCache returns a cache keeping identities for ttl.
func NewTokenCache(ttl time.Duration) *TokenCache {
	return &TokenCache{m: map[string]cachedIdentity{}, ttl: ttl}
}

// Authenticate is the package Authenticate, answered from the cache when
// it can be; only a miss reads db, within ctx (a hit costs no database
// session).
func (c *TokenCache) Authenticate(ctx context.Context, db *gorm.DB, secret string) (*Identity, error) {
	if !strings.HasPrefix(secret, sessionPrefix) && !strings.HasPrefix(secret, apiPrefix) {
		return nil, apierr.Unauthorized("invalid_token", "the bearer token is not valid")
	}
	key := hashSecret(secret)
	now := time.Now()
	c.mu.RLock()
	e, ok := c.m[key]
	c.mu.RUnlock()
	if ok && now.Before(e.until) {
		return e.id, nil
	}
	id, err := authenticateHash(db.WithContext(ctx), key)
	if err != nil {
		return nil, err
	}
	until := now.Add(c.ttl)
	if id.ExpiresAt != nil && id.ExpiresAt.Before(until) {
		until = *id.ExpiresAt
	}
	c.mu.Lock()
	if len(c.m) >= maxCached {
		c.m = map[string]cachedIdentity{}
	}
	c.m[key] = cachedIdentity{id: id, until: until}
	c.mu.Unlock()
	return id, nil
}

// Flush forgets every cached token.
func (c *TokenCache) Flush() error {
	c.mu.Lock()
	c.m = map[string]cachedIdentity{}
	c.mu.Unlock()
	return nil
}

// RevokeToken ends one token of a user.
func RevokeToken(db *gorm.DB, userID, tokenID uint) error {
	res := db.Model(&Token{}).Where("id = ? AND user_id = ? AND revoked_at IS NULL", tokenID, userID).
		Update("revoked_at", time.Now().UTC())
	if res.Error != nil {
		return fmt.Errorf("revoking token: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return apierr.NotFound("token_not_found", "no active token %d", tokenID)
	}
	return nil
}

// RevokeUserTokens ends every session and API token of a user. Callers
// bump the policy version in the same transaction so that other servers
// drop their cached copies.
func RevokeUserTokens(db *gorm.DB, userID uint) error {
	return db.Model(&Token{}).Where("user_id = ? AND revoked_at IS NULL", userID).
		Update("revoked_at", time.Now().UTC()).Error
}

// RevokeTenantTokens ends the API tokens confined to a tenant or below it
// (the tenant is being deleted: a token must not come back to life if the
// code is created again) and returns how many.
func RevokeTenantTokens(db *gorm.DB, tenant string) (int64, error) {
	res := db.Model(&Token{}).Where("revoked_at IS NULL AND (tenant = ? OR tenant LIKE ?)", tenant, tenant+".%").
		Update("revoked_at", time.Now().UTC())
	return res.RowsAffected, res.Error
}

// ListAPITokens returns a user's API tokens that are not revoked.
func ListAPITokens(db *gorm.DB, userID uint) ([]Token, error) {
	ts := []Token{}
	err := db.Where("user_id = ? AND kind = ? AND revoked_at IS NULL", userID, KindAPI).Order("id").Find(&ts).Error
	return ts, err
}

// PurgeExpired deletes tokens that expired or were revoked more than a day
// ago; they can no longer authenticate and only grow the table.
func PurgeExpired(db *gorm.DB) (int64, error) {
	cutoff := time.Now().UTC().Add(-24 * time.Hour)
	res := db.Where("(expires_at IS NOT NULL AND expires_at < ?) OR (revoked_at IS NOT NULL AND revoked_at < ?)", cutoff, cutoff).Delete(&Token{})
	return res.RowsAffected, res.Error
}
