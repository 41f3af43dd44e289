// Package idempotency makes unsafe plugin requests safe to retry. A client
// sends "Idempotency-Key: <unique string>" with a POST, PUT, PATCH or
// DELETE; the host claims the key before the plugin runs and keeps the
// plugin's answer for a day, so that a retry with the same key gets that
// answer again instead of a second write.
//
// Keys live per tenant and caller (a username, or the client address for
// anonymous callers) and are stored only as a hash of the three, with a
// SHA-256 fingerprint of the request (method, path, query, body). While a
// request holds its key, every storage transaction it commits through the
// host also marks the claim as written (Claim.MarkWrote), in the same
// transaction: when the plugin dies after its write committed and the host
// could only answer 503, a retry learns that the first request was applied
// (409 idempotency_outcome_unknown) rather than applying it twice; when
// nothing was written, the claim is released and a retry runs normally.
package idempotency

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"sync"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/store"
)

// Header is the request header that carries the key.
const Header = "Idempotency-Key"

// ReplayedHeader is set to "true" on an answer replayed from a stored one.
const ReplayedHeader = "Idempotent-Replayed"

// TTL is how long a key and its answer are kept.
const TTL = 24 * time.Hour

// MaxAnswerBytes is the largest answer body kept for replay. A larger
// answer is not kept, but its key stays claimed: a retry gets 409
// idempotency_answer_not_kept rather than a second write.
const MaxAnswerBytes = 1 << 20

// MaxKeyLength bounds a key: 1 to 255 printable ASCII characters.
const MaxKeyLength = 255

// States of a key.
const (
	statePending = "pending" // a request holds the key
	stateDone    = "done"    // the answer is kept (or was too large to keep)
	stateUnknown = "unknown" // the request wrote, then failed before answering
)

// entry is a row of idempotency_keys.
type entry struct {
	// ID is the SHA-256 (hex) of tenant, caller and key: neither the
	// caller's address nor the key itself is stored.
	ID     string `gorm:"primaryKey;size:64"`
	Tenant string `gorm:"size:13;not null;index"`
	// Fingerprint is the SHA-256 (hex) of the request.
	Fingerprint string `gorm:"size:64;not null"`
	State       string `gorm:"size:16;not null"`
	// Holder identifies the request holding a pending key; LeaseUntil is
	// when another request may take a pending key over (its holder's host
	// stopped without finishing).
	Holder     string    `gorm:"size:36;not null"`
	LeaseUntil time.Time `gorm:"not null"`
	// Wrote is set in the transaction of the holder's first write.
	Wrote bool `gorm:"not null"`
	// Status, Header (JSON object of lists) and Body are the kept answer;
	// Kept is false when the body was too large to keep.
	Status    int    `gorm:"not null"`
	Header    string `gorm:"type:text"`
	Body      []byte
	Kept      bool      `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null"`
	ExpiresAt time.Time `gorm:"not null;index"`
}

func (entry) TableName() string { return "idempotency_keys" }

// Migrations create the idempotency_keys table.
func Migrations() []*store.Migration {
	return []*store.Migration{{
		ID: "202611300900_idempotency_keys",
		Migrate: func(tx *gorm.DB) error {
			// The table as it was at this migration, whatever entry becomes.
			type key struct {
				ID          string    `gorm:"primaryKey;size:64"`
				Tenant      string    `gorm:"size:13;not null;index"`
				Fingerprint string    `gorm:"size:64;not null"`
				State       string    `gorm:"size:16;not null"`
				Holder      string    `gorm:"size:36;not null"`
				LeaseUntil  time.Time `gorm:"not null"`
				Wrote       bool      `gorm:"not null"`
				Status      int       `gorm:"not null"`
				Header      string    `gorm:"type:text"`
				Body        []byte
				Kept        bool      `gorm:"not null"`
				CreatedAt   time.Time `gorm:"not null"`
				ExpiresAt   time.Time `gorm:"not null;index"`
			}
			return tx.Table("idempotency_keys").AutoMigrate(&key{})
		},
	}}
}

// ValidKey reports whether k is 1 to 255 printable ASCII characters
// (space to tilde).
func ValidKey(k string) bool {
	if len(k) == 0 || len(k) > MaxKeyLength {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x20 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// Fingerprint hashes what makes two requests the same request. bodySum is
// the SHA-256 of the body.
func Fingerprint(plugin, method, path, rawQuery string, bodySum []byte) string {
	h := sha256.New()
	for _, s := range []string{plugin, method, path, rawQuery} {
		fmt.Fprintf(h, "%d:%s\x00", len(s), s)
	}
	h.Write(bodySum)
	return hex.EncodeToString(h.Sum(nil))
}

// Store keeps idempotency keys in the host's database.
type Store struct {
	db  *store.DB
	now func() time.Time

	mu       sync.Mutex
	purgedAt time.Time
}

// New returns a store over db (migrated with Migrations).
func New(db *store.DB) *Store {
	return &Store{db: db, now: func() time.Time { return time.Now().UTC() }}
}

// Answer is a kept answer to replay.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// Claim is a key held by one request until Complete or Abandon.
type Claim struct {
	s          *Store
	id, holder string
}

// ErrClaimLost is returned by MarkWrote when the claim no longer holds its
// key (it was released or taken over): the write must not commit.
var ErrClaimLost = errors.New("the request's idempotency key is no longer held by it")

// Begin claims key k of tenant and caller for a request with fingerprint
// fp, to be held for at most lease. It returns a Claim when the request
// should run, an Answer when it was already answered, or an *apierr.Error:
// 422 idempotency_key_reused (the key came with a different request), 409
// idempotency_key_in_use (the first request is still running; with
// Retry-After), 409 idempotency_outcome_unknown (the first request wrote
// and then failed before answering) or 409 idempotency_answer_not_kept.
func (s *Store) Begin(ctx context.Context, tenant, caller, k, fp string, lease time.Duration) (*Claim, *Answer, error) {
	s.purgeSometimes()
	id := keyID(tenant, caller, k)
	db := s.db.WithContext(ctx)
	for range 5 {
		now := s.now()
		c := &Claim{s: s, id: id, holder: uuid.NewString()}
		row := entry{ID: id, Tenant: tenant, Fingerprint: fp, State: statePending, Holder: c.holder,
			LeaseUntil: now.Add(lease), CreatedAt: now, ExpiresAt: now.Add(TTL)}
		res := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil {
			return nil, nil, fmt.Errorf("claiming an idempotency key: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			return c, nil, nil
		}
		var old entry
		err := db.Where("id = ?", id).Take(&old).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			continue // released meanwhile: claim again
		}
		if err != nil {
			return nil, nil, fmt.Errorf("reading an idempotency key: %w", err)
		}
		if !old.ExpiresAt.After(now) {
			if err := db.Where("id = ? AND expires_at <= ?", id, now).Delete(&entry{}).Error; err != nil {
				return nil, nil, fmt.Errorf("dropping an expired idempotency key: %w", err)
			}
			continue
		}
		if old.Fingerprint != fp {
			return nil, nil, apierr.Invalid("idempotency_key_reused", "this Idempotency-Key was used for a different request (another method, path, query or body) in the last 24 hours: use a new key for a new request")
		}
		switch old.State {
		case stateDone:
			if !old.Kept {
				return nil, nil, apierr.Conflict("idempotency_answer_not_kept", "the first request with this key was applied (status %d), but its answer was too large to keep: check its outcome instead of retrying", old.Status)
			}
			a := &Answer{Status: old.Status, Header: http.Header{}, Body: old.Body}
			if old.Header != "" {
				if err := json.Unmarshal([]byte(old.Header), &a.Header); err != nil {
					return nil, nil, fmt.Errorf("reading a kept answer: %w", err)
				}
			}
			return nil, a, nil
		case stateUnknown:
			return nil, nil, outcomeUnknown()
		}
		if old.LeaseUntil.After(now) {
			e := apierr.Conflict("idempotency_key_in_use", "a request with this Idempotency-Key is still being served: retry after it has been answered")
			e.RetryAfter = int(min(30, max(1, math.Ceil(old.LeaseUntil.Sub(now).Seconds()/10))))
			return nil, nil, e
		}
		// The holder's server stopped before finishing. If it wrote, the
		// outcome is unknown for good; if not, this request takes over.
		if old.Wrote {
			if err := db.Model(&entry{}).Where("id = ? AND holder = ?", id, old.Holder).Update("state", stateUnknown).Error; err != nil {
				return nil, nil, fmt.Errorf("settling an idempotency key: %w", err)
			}
			return nil, nil, outcomeUnknown()
		}
		res = db.Model(&entry{}).Where("id = ? AND holder = ? AND state = ? AND wrote = ?", id, old.Holder, statePending, false).
			Updates(map[string]any{"holder": c.holder, "lease_until": now.Add(lease)})
		if res.Error != nil {
			return nil, nil, fmt.Errorf("taking over an idempotency key: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			return c, nil, nil
		}
	}
	e := apierr.Conflict("idempotency_key_in_use", "a request with this Idempotency-Key is still being served: retry after it has been answered")
	e.RetryAfter = 1
	return nil, nil, e
}

func outcomeUnknown() error {
	return apierr.Conflict("idempotency_outcome_unknown", "the first request with this Idempotency-Key was applied, but its answer was lost: check its outcome (list or read what it created) before retrying with a new key")
}

// MarkWrote records, in tx (the transaction of a write made for the
// claim's request), that the request wrote. It fails with ErrClaimLost
// when the claim no longer holds the key, so that the write rolls back
// rather than commit for a request whose key was released.
func (c *Claim) MarkWrote(tx *gorm.DB) error {
	res := tx.Model(&entry{}).Where("id = ? AND holder = ? AND state = ?", c.id, c.holder, statePending).Update("wrote", true)
	if res.Error != nil {
		return fmt.Errorf("marking an idempotency key written: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return ErrClaimLost
	}
	return nil
}

// Complete keeps the request's answer for replay. kept is false when the
// body was too large to keep (body is then ignored).
func (c *Claim) Complete(ctx context.Context, status int, header http.Header, body []byte, kept bool) error {
	h, err := json.Marshal(header)
	if err != nil {
		return fmt.Errorf("keeping an answer: %w", err)
	}
	if !kept {
		body, h = nil, nil
	}
	err = c.s.db.WithContext(ctx).Model(&entry{}).Where("id = ? AND holder = ?", c.id, c.holder).
		Updates(map[string]any{"state": stateDone, "status": status, "header": string(h), "body": body, "kept": kept}).Error
	if err != nil {
		return fmt.Errorf("keeping an answer: %w", err)
	}
	return nil
}

// Abandon ends a claim whose request got no answer from its plugin (it
// died, timed out or broke off). A claim that wrote nothing is released,
// so that a retry runs; one that wrote is settled as unknown, so that a
// retry is refused instead of writing twice. It reports whether the
// request wrote.
func (c *Claim) Abandon(ctx context.Context) (wrote bool, err error) {
	db := c.s.db.WithContext(ctx)
	res := db.Where("id = ? AND holder = ? AND wrote = ?", c.id, c.holder, false).Delete(&entry{})
	if res.Error != nil {
		return false, fmt.Errorf("releasing an idempotency key: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return false, nil
	}
	err = db.Model(&entry{}).Where("id = ? AND holder = ?", c.id, c.holder).Update("state", stateUnknown).Error
	if err != nil {
		return true, fmt.Errorf("settling an idempotency key: %w", err)
	}
	return true, nil
}

// PurgeTenant deletes the keys kept for a tenant in tx (the tenant is
// being deleted): a kept answer holds what was written there, personal
// data included, and must not be replayed once the tenant is gone or
// created again under the same code.
func PurgeTenant(tx *gorm.DB, tenant string) (int64, error) {
	res := tx.Where("tenant = ?", tenant).Delete(&entry{})
	if res.Error != nil {
		return 0, fmt.Errorf("purging idempotency keys of %s: %w", tenant, res.Error)
	}
	return res.RowsAffected, nil
}

// Purge deletes expired keys and returns how many.
func (s *Store) Purge(ctx context.Context) (int64, error) {
	res := s.db.WithContext(ctx).Where("expires_at <= ?", s.now()).Delete(&entry{})
	if res.Error != nil {
		return 0, fmt.Errorf("purging expired idempotency keys: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// purgeSometimes purges expired keys in the background, at most every
// ten minutes, so that the table holds about a day of keys.
func (s *Store) purgeSometimes() {
	s.mu.Lock()
	now := s.now()
	due := now.Sub(s.purgedAt) >= 10*time.Minute
	if due {
		s.purgedAt = now
	}
	s.mu.Unlock()
	if due {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			_, _ = s.Purge(ctx)
		}()
	}
}

func keyID(tenant, caller, k string) string {
	h := sha256.New()
	for _, s := range []string{tenant, caller, k} {
		fmt.Fprintf(h, "%d:%s\x00", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil))
}
