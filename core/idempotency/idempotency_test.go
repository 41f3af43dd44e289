package idempotency

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
)

func TestValidKey(t *testing.T) {
	for _, tt := range []struct {
		key  string
		want bool
	}{
		{"a", true},
		{"7d8f0c3e-5b1a-4c1e-9f1e-2a3b4c5d6e7f", true},
		{"order 12 / retry #1 ~", true},
		{strings.Repeat("k", 255), true},
		{"", false},
		{strings.Repeat("k", 256), false},
		{"tab\tkey", false},
		{"new\nline", false},
		{"kunci-ü", false},
		{"del\x7f", false},
	} {
		if got := ValidKey(tt.key); got != tt.want {
			t.Errorf("ValidKey(%q) = %v, want %v", tt.key, got, tt.want)
		}
	}
}

func TestFingerprintSeparatesParts(t *testing.T) {
	a := Fingerprint("p", "POST", "/a", "b=1", []byte{1})
	for name, fp := range map[string]string{
		"plugin": Fingerprint("q", "POST", "/a", "b=1", []byte{1}),
		"method": Fingerprint("p", "PUT", "/a", "b=1", []byte{1}),
		"path":   Fingerprint("p", "POST", "/a?b=1", "", []byte{1}),
		"query":  Fingerprint("p", "POST", "/a", "b=2", []byte{1}),
		"body":   Fingerprint("p", "POST", "/a", "b=1", []byte{2}),
	} {
		if fp == a {
			t.Errorf("a different %s gives the same fingerprint", name)
		}
	}
	if Fingerprint("p", "POST", "/a", "b=1", []byte{1}) != a {
		t.Error("the fingerprint is not stable")
	}
}

// clock is a settable time for the store.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newStore(t *testing.T, db *store.DB) (*Store, *clock) {
	t.Helper()
	if err := db.Migrate(Migrations()); err != nil {
		t.Fatal(err)
	}
	s := New(db)
	c := &clock{t: time.Now().UTC()}
	s.now = c.now
	s.purgedAt = c.now().Add(100 * 365 * 24 * time.Hour) // no background purge racing the test
	return s, c
}

const (
	tenant = "14.01.01.2009"
	lease  = time.Minute
)

func begin(t *testing.T, s *Store, caller, key, fp string) (*Claim, *Answer, *apierr.Error) {
	t.Helper()
	c, a, err := s.Begin(context.Background(), tenant, caller, key, fp, lease)
	if err == nil {
		return c, a, nil
	}
	e, ok := apierr.As(err)
	if !ok {
		t.Fatalf("Begin: %v", err)
	}
	return c, a, e
}

func expectErr(t *testing.T, e *apierr.Error, status int, code string) {
	t.Helper()
	if e == nil || e.Status != status || e.Code != code {
		t.Fatalf("got %v, want %d %s", e, status, code)
	}
}

func markWrote(t *testing.T, s *Store, c *Claim) error {
	t.Helper()
	return s.db.Transaction(func(tx *gorm.DB) error { return c.MarkWrote(tx) })
}

func TestStore(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s, clk := newStore(t, db)

		// A kept answer is replayed; other content under the key is refused.
		c, _, e := begin(t, s, "user:siti", "k1", "fp1")
		if c == nil || e != nil {
			t.Fatalf("first claim: %v", e)
		}
		_, _, e = begin(t, s, "user:siti", "k1", "fp1")
		expectErr(t, e, 409, "idempotency_key_in_use")
		if e.RetryAfter < 1 {
			t.Errorf("in use without Retry-After")
		}
		if err := markWrote(t, s, c); err != nil {
			t.Fatal(err)
		}
		h := http.Header{"Content-Type": {"application/json"}, "Location": {"/x/1"}}
		if err := c.Complete(ctx, 201, h, []byte(`{"id":1}`), true); err != nil {
			t.Fatal(err)
		}
		_, a, e := begin(t, s, "user:siti", "k1", "fp1")
		if e != nil || a == nil || a.Status != 201 || string(a.Body) != `{"id":1}` || a.Header.Get("Location") != "/x/1" {
			t.Fatalf("replay: %+v %v", a, e)
		}
		_, _, e = begin(t, s, "user:siti", "k1", "fp2")
		expectErr(t, e, 422, "idempotency_key_reused")
		// Keys are per caller (and tenant): the same key is free for another.
		if c, _, e := begin(t, s, "addr:10.1.2.3", "k1", "fp2"); c == nil || e != nil {
			t.Fatalf("another caller's key: %v", e)
		}

		// A failure that wrote nothing releases the key.
		c, _, _ = begin(t, s, "user:siti", "k2", "fp")
		if wrote, err := c.Abandon(ctx); err != nil || wrote {
			t.Fatalf("abandon without a write: %v %v", wrote, err)
		}
		if err := markWrote(t, s, c); !errors.Is(err, ErrClaimLost) {
			t.Fatalf("a write after the key was released: %v, want ErrClaimLost", err)
		}
		c2, _, e := begin(t, s, "user:siti", "k2", "fp")
		if c2 == nil || e != nil {
			t.Fatalf("claim after release: %v", e)
		}

		// A failure after a write settles the key as unknown, for good.
		if err := markWrote(t, s, c2); err != nil {
			t.Fatal(err)
		}
		if wrote, err := c2.Abandon(ctx); err != nil || !wrote {
			t.Fatalf("abandon after a write: %v %v", wrote, err)
		}
		_, _, e = begin(t, s, "user:siti", "k2", "fp")
		expectErr(t, e, 409, "idempotency_outcome_unknown")

		// An answer too large to keep: the key stays used.
		c, _, _ = begin(t, s, "user:siti", "k3", "fp")
		if err := c.Complete(ctx, 200, http.Header{}, nil, false); err != nil {
			t.Fatal(err)
		}
		_, _, e = begin(t, s, "user:siti", "k3", "fp")
		expectErr(t, e, 409, "idempotency_answer_not_kept")

		// A holder whose server stopped: once its lease ran out, a key
		// without a write is taken over (and the old holder can no longer
		// write under it); one with a write is settled as unknown.
		stale, _, _ := begin(t, s, "user:siti", "k4", "fp")
		written, _, _ := begin(t, s, "user:siti", "k5", "fp")
		if err := markWrote(t, s, written); err != nil {
			t.Fatal(err)
		}
		clk.advance(lease + time.Second)
		taker, _, e := begin(t, s, "user:siti", "k4", "fp")
		if taker == nil || e != nil {
			t.Fatalf("take over an expired lease: %v", e)
		}
		if err := markWrote(t, s, stale); !errors.Is(err, ErrClaimLost) {
			t.Fatalf("the old holder wrote after a takeover: %v", err)
		}
		_, _, e = begin(t, s, "user:siti", "k5", "fp")
		expectErr(t, e, 409, "idempotency_outcome_unknown")

		// After a day, keys are forgotten: a key may be used anew, and
		// Purge deletes the rest.
		clk.advance(TTL)
		if c, _, e := begin(t, s, "user:siti", "k1", "fp-new"); c == nil || e != nil {
			t.Fatalf("a key after its day: %v", e)
		}
		n, err := s.Purge(ctx)
		if err != nil || n < 4 {
			t.Fatalf("purged %d keys (%v), want the 4 or more expired ones", n, err)
		}
		var left int64
		db.Model(&entry{}).Count(&left)
		if left != 1 {
			t.Fatalf("%d keys left after the purge, want 1", left)
		}
	})
}

// Twenty claims of one key at once: exactly one wins, on both databases.
func TestStoreConcurrentClaims(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s, _ := newStore(t, db)
		var wg sync.WaitGroup
		var mu sync.Mutex
		claims, inUse := 0, 0
		var other []error
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, _, err := s.Begin(context.Background(), tenant, "user:siti", "race", "fp", lease)
				mu.Lock()
				defer mu.Unlock()
				if e, ok := apierr.As(err); ok && e.Code == "idempotency_key_in_use" {
					inUse++
				} else if err != nil {
					other = append(other, err)
				} else if c != nil {
					claims++
				}
			}()
		}
		wg.Wait()
		if claims != 1 || inUse != 19 || len(other) > 0 {
			t.Fatalf("%d claims, %d in use, errors %v; want 1 and 19", claims, inUse, other)
		}
	})
}
