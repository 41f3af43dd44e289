package auth_test

import (
	"testing"

	"github.com/balaidesa/balai/core/auth"
	"github.com/balaidesa/balai/core/host"
	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
)

// TestRowsFromBeforeTheUpgrade: users and tokens made before homes and token
// limits existed hold NULL there; they must still load and authenticate,
// as a user of the superadmins and an unlimited token.
func TestRowsFromBeforeTheUpgrade(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		{
			if err := db.Migrate(host.Migrations()); err != nil {
				t.Fatal(err)
			}
			u, err := auth.CreateUser(db.DB, auth.NewUser{Username: "old", Password: "old-password-1"})
			if err != nil {
				t.Fatal(err)
			}
			secret, _, err := auth.IssueToken(db.DB, u, auth.KindSession, "", 3600e9)
			if err != nil {
				t.Fatal(err)
			}
			db.Exec("UPDATE users SET home_tenant = NULL")
			db.Exec("UPDATE tokens SET tenant = NULL, permissions = NULL")
			if _, err := auth.GetUser(db.DB, "old"); err != nil {
				t.Fatal(err)
			}
			id, err := auth.Authenticate(db.DB, secret)
			if err != nil || !id.Limit.Unlimited() {
				t.Fatal(id, err)
			}
			if _, _, err := auth.ListUsers(db.DB, auth.UserFilter{Usernames: []string{}, Homes: []string{"14.01"}}); err != nil {
				t.Fatal(err)
			}
		}
	})
}
