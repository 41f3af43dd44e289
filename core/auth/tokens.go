package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/sdk/input"
)

// Token kinds.
const (
	KindSession = "session" // from a login; expires
	KindAPI     = "api"     // for machine clients; expires only if asked to
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
	return []*store.Migration{{
		ID: "202611240200_users_tokens",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Table("users").AutoMigrate(&user{}); err != nil {
				return err
			}
			return tx.Table("tokens").AutoMigrate(&token{})
		},
	}}
}

// Identity is an authenticated caller.
type Identity struct {
	UserID    uint
	Username  string
	TokenID   uint
	TokenKind string
	ExpiresAt *time.Time
}

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

// IssueToken creates a token for a user and returns its secret, which is
// shown once and never stored.
func IssueToken(db *gorm.DB, u *User, kind, name string, ttl time.Duration) (string, *Token, error) {
	prefix := sessionPrefix
	if kind == KindAPI {
		prefix = apiPrefix
		if name = strings.TrimSpace(name); name == "" || input.Name(name, 100) != nil {
			return "", nil, apierr.Invalid("invalid_token_name", "an API token needs a name of 1 to 100 characters, on one line, without control or invisible formatting characters")
		}
	}
	secret, err := newSecret(prefix)
	if err != nil {
		return "", nil, fmt.Errorf("generating token: %w", err)
	}
	t := &Token{UserID: u.ID, Kind: kind, Name: name, Hash: hashSecret(secret)}
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
	return &Identity{UserID: row.UserID, Username: row.Username, TokenID: row.ID, TokenKind: row.Kind, ExpiresAt: row.ExpiresAt}, nil
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
// it can be.
func (c *TokenCache) Authenticate(db *gorm.DB, secret string) (*Identity, error) {
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
	id, err := authenticateHash(db, key)
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

func revokeUserTokens(db *gorm.DB, userID uint) error {
	return db.Model(&Token{}).Where("user_id = ? AND revoked_at IS NULL", userID).
		Update("revoked_at", time.Now().UTC()).Error
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
