package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/auth"
	"github.com/balaidesa/balai/core/host"
	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
)

func code(err error) string {
	if e, ok := apierr.As(err); ok {
		return e.Code
	}
	return ""
}

func TestTokensAndCache(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.Migrate(host.Migrations()); err != nil {
			t.Fatal(err)
		}
		u, err := auth.CreateUser(db.DB, auth.NewUser{Username: "siti", Password: "a-long-password"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := auth.CreateUser(db.DB, auth.NewUser{Username: "siti", Password: "a-long-password"}); code(err) != "duplicate_username" {
			t.Errorf("duplicate user: %v", err)
		}
		secret, tok, err := auth.IssueToken(db.DB, u, auth.KindSession, "", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		cache := auth.NewTokenCache(time.Minute)
		if id, err := cache.Authenticate(context.Background(), db.DB, secret); err != nil || id.Username != "siti" {
			t.Fatalf("authenticate: %v %v", id, err)
		}
		// Revoked in the database: the cache keeps answering until flushed,
		// which is what every revocation path does.
		if err := auth.RevokeToken(db.DB, u.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := cache.Authenticate(context.Background(), db.DB, secret); err != nil {
			t.Errorf("cached token refused before a flush: %v", err)
		}
		cache.Flush()
		if _, err := cache.Authenticate(context.Background(), db.DB, secret); code(err) != "invalid_token" {
			t.Errorf("revoked token after flush: %v", err)
		}
		// A cached token never outlives its expiry.
		short, _, _ := auth.IssueToken(db.DB, u, auth.KindSession, "", 1500*time.Millisecond)
		if _, err := cache.Authenticate(context.Background(), db.DB, short); err != nil {
			t.Fatal(err)
		}
		time.Sleep(1600 * time.Millisecond)
		if _, err := cache.Authenticate(context.Background(), db.DB, short); code(err) != "token_expired" {
			t.Errorf("expired cached token: %v", err)
		}
		// Disabling revokes every token.
		api, _, _ := auth.IssueToken(db.DB, u, auth.KindAPI, "bot", 0)
		off := true
		if _, err := auth.UpdateUser(db.DB, "siti", auth.UserPatch{Disabled: &off}); err != nil {
			t.Fatal(err)
		}
		if _, err := auth.Authenticate(db.DB, api); code(err) != "invalid_token" {
			t.Errorf("token of a disabled user: %v", err)
		}
		if n, err := auth.PurgeExpired(db.DB); err != nil || n != 0 {
			t.Errorf("purge of fresh tokens removed %d (%v)", n, err)
		}
	})
}
