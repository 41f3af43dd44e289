package e2e

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
)

// TestAccountTakeoverIsRefused replays issue 9's account takeover: an admin
// of a sub-district grants a role to a user the superadmin made, resets its
// password, removes the grant, and waits for the user to become admin of
// another regency. The reset must be refused, so the password it would have
// captured never works.
func TestAccountTakeoverIsRefused(t *testing.T) {
	Each(t, func(t *testing.T, h *Host) {
		h.MustCLI(t, "tenant", "import", "--file", WilayahCSV(t), "--under", "14.01", "--under", "14.05")
		root := h.Admin(t)
		sub := root.CreateUserIn(t, "kecamatan-admin", "14.01.01")
		root.Grant(t, "14.01.01", "kecamatan-admin", "admin")
		victim, victimPW := root.CreateUser(t, "camat") // the superadmin's user, no home
		const captured = "captured-by-the-attacker"

		// Without any grant in the sub-district the user is invisible there.
		sub.Do(t, "PUT", "/api/v1/tenants/"+villageA+"/members/camat", map[string]any{"roles": []string{"operator"}}).ExpectErr(404, "user_not_found")
		sub.Do(t, "PATCH", "/api/v1/users/camat", map[string]string{"password": captured}).ExpectErr(404, "user_not_found")

		// Once the user works in the sub-district the admin sees it and may
		// grant it roles there, but the account stays the superadmins'.
		root.Grant(t, villageA, "camat", "viewer")
		sub.Grant(t, villageA, "camat", "operator")
		sub.Do(t, "PATCH", "/api/v1/users/camat", map[string]string{"password": captured}).ExpectErr(403, "forbidden")
		sub.Do(t, "PATCH", "/api/v1/users/camat", map[string]bool{"disabled": true}).ExpectErr(403, "forbidden")
		sub.Do(t, "PATCH", "/api/v1/users/camat", map[string]string{"full_name": "Hijacked"}).ExpectErr(403, "forbidden")
		sub.Do(t, "DELETE", "/api/v1/tenants/"+villageA+"/members/camat", nil).Expect(204)
		root.Grant(t, "14.05", "camat", "admin") // later: admin of Pelalawan

		h.Anon().Do(t, "POST", "/api/v1/auth/login", map[string]string{"username": "camat", "password": captured}).ExpectErr(401, "invalid_credentials")
		victim.Do(t, "GET", "/api/v1/me", nil).Expect(200) // never logged out by the attempts
		h.Login(t, "camat", victimPW).Do(t, "GET", "/api/v1/tenants/14.05", nil).Expect(200)
		if u := root.Do(t, "GET", "/api/v1/users/camat", nil).Expect(200).JSON(); u["full_name"] != "CAMAT" || u["disabled"] != false {
			t.Errorf("the refused attempts changed the account: %v", u)
		}

		// A user the sub-district made is the sub-district's, while all of
		// its grants lie there: a reset works and ends its sessions...
		staff := sub.CreateUserIn(t, "kecamatan-staff", "14.01.01")
		sub.Grant(t, villageA2, "kecamatan-staff", "operator")
		sub.Do(t, "PATCH", "/api/v1/users/kecamatan-staff", map[string]string{"password": "reset-by-the-camat"}).Expect(200)
		staff.Do(t, "GET", "/api/v1/me", nil).ExpectErr(401, "invalid_token")
		// ...but once it holds a role elsewhere, only a superadmin resets it.
		root.Grant(t, "14.05", "kecamatan-staff", "admin")
		sub.Do(t, "PATCH", "/api/v1/users/kecamatan-staff", map[string]string{"password": captured}).ExpectErr(403, "forbidden")
		kampar := root.CreateUserIn(t, "kampar-admin", "14.01")
		root.Grant(t, "14.01", "kampar-admin", "admin")
		kampar.Do(t, "PATCH", "/api/v1/users/kecamatan-staff", map[string]bool{"disabled": true}).ExpectErr(403, "forbidden")
		root.Do(t, "PATCH", "/api/v1/users/kecamatan-staff", map[string]string{"password": "reset-by-the-superadmin"}).Expect(200)
		h.Login(t, "kecamatan-staff", "reset-by-the-superadmin")

		// A sub-district admin cannot give its users a home outside.
		sub.Do(t, "POST", "/api/v1/users", map[string]string{"username": "outsider", "password": "outsider-password-1", "tenant": "14.01.02"}).ExpectErr(403, "forbidden")
		// The CLI operator owns every account.
		if r := h.CLI(t, "set-by-the-operator\n", "user", "passwd", "camat", "--password-stdin"); r.Code != 0 {
			t.Fatalf("CLI passwd: %s", r.Stderr)
		}
		h.Anon().Do(t, "POST", "/api/v1/auth/login", map[string]string{"username": "camat", "password": victimPW}).ExpectErr(401, "invalid_credentials")
	})
}

// TestUserEnumeration: whoever may not see a user gets exactly the answer
// for a user that does not exist, on every route that names a user.
func TestUserEnumeration(t *testing.T) {
	Each(t, func(t *testing.T, h *Host) {
		w := newRBACWorld(t, h)
		same := func(t *testing.T, c *Client, method, path, existing string, body any) {
			t.Helper()
			a := c.Do(t, method, strings.ReplaceAll(path, "USER", existing), body).ExpectErr(404, "user_not_found")
			b := c.Do(t, method, strings.ReplaceAll(path, "USER", "ghost-user"), body).ExpectErr(404, "user_not_found")
			if strings.ReplaceAll(string(a.Body), existing, "ghost-user") != string(b.Body) {
				t.Errorf("%s %s: %s for an existing user, %s for a missing one", method, path, a.Body, b.Body)
			}
		}
		// A viewer of a sub-district, asking about Pelalawan's admin.
		same(t, w.viewer, "GET", "/api/v1/users/USER", "pelalawan-admin", nil)
		same(t, w.viewer, "PATCH", "/api/v1/users/USER", "pelalawan-admin", map[string]string{"full_name": "X"})
		// Kampar's admin, about users of Pelalawan and the superadmin.
		for _, u := range []string{"pelalawan-admin", "admin"} {
			same(t, w.kampar, "GET", "/api/v1/users/USER", u, nil)
			same(t, w.kampar, "PATCH", "/api/v1/users/USER", u, map[string]string{"password": "hijacked-password"})
			same(t, w.kampar, "PUT", "/api/v1/tenants/"+villageA+"/members/USER", u, map[string]any{"roles": []string{"viewer"}})
			same(t, w.kampar, "DELETE", "/api/v1/tenants/"+villageA+"/members/USER", u, nil)
		}
		// What the caller may see it still sees, with only its grants there.
		w.root.Grant(t, "14.05", "village-op", "viewer")
		got := string(w.kampar.Do(t, "GET", "/api/v1/users/village-op", nil).Expect(200).Body)
		if strings.Contains(got, "14.05") || !strings.Contains(got, villageA) {
			t.Errorf("Kampar's admin sees %s", got)
		}
		w.viewer.Do(t, "GET", "/api/v1/users/kecamatan-viewer", nil).Expect(200)
	})
}

// TestAPITokensAreScoped: API tokens expire, may be confined to a tenant and
// permissions on host and plugin routes, cannot mint tokens or change
// credentials; a password change needs the current password and revokes
// every session and token.
func TestAPITokensAreScoped(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"hello"})
		w.enable(t, "14.01", "hello", true)
		h, root, kampar := w.h, w.admin, w.district
		days := func(r *Resp) float64 {
			exp, err := time.Parse(time.RFC3339, r.Str("expires_at"))
			if err != nil {
				t.Fatalf("token without expiry: %s", r.Body)
			}
			return time.Until(exp).Hours() / 24
		}
		if d := days(root.Do(t, "POST", "/api/v1/auth/tokens", map[string]any{"name": "default"}).Expect(201)); d < 29.9 || d > 30.1 {
			t.Errorf("a token without expiry lives %.1f days, want 30", d)
		}
		if d := days(root.Do(t, "POST", "/api/v1/auth/tokens", map[string]any{"name": "year", "expires_in_days": 365}).Expect(201)); d < 364.9 {
			t.Errorf("expires_in_days 365 gave %.1f days", d)
		}
		for _, body := range []map[string]any{
			{"name": "forever", "expires_in_days": 366},
			{"name": "past", "expires_at": "2020-01-01T00:00:00Z"},
			{"name": "far", "expires_at": time.Now().AddDate(2, 0, 0).Format(time.RFC3339)},
		} {
			root.Do(t, "POST", "/api/v1/auth/tokens", body).ExpectErr(422, "invalid_expiry")
		}
		root.Do(t, "POST", "/api/v1/auth/tokens", map[string]any{"name": "x", "permissions": []string{"ghost.read"}}).ExpectErr(422, "unknown_permission")
		root.Do(t, "POST", "/api/v1/auth/tokens", map[string]any{"name": "x", "tenant": "14.99"}).ExpectErr(404, "tenant_not_found")

		// Kampar's admin makes a read-only token for one village.
		tok := kampar.Do(t, "POST", "/api/v1/auth/tokens", map[string]any{"name": "village sync", "tenant": villageA, "permissions": []string{"hello.notes.read", "tenants.read"}}).Expect(201)
		bot := &Client{h: h, Token: tok.Str("token")}
		bot.Do(t, "GET", p(villageA, "hello", "/notes"), nil).Expect(200)
		if me := string(bot.Do(t, "GET", "/api/v1/me", nil).Expect(200).Body); !strings.Contains(me, `"limit":{"tenant":"`+villageA+`","permissions":["hello.notes.read","tenants.read"]}`) {
			t.Errorf("me does not show the token's limit: %s", me)
		}
		bot.Do(t, "POST", p(villageA, "hello", "/notes"), map[string]string{"text": "x"}).ExpectErr(403, "forbidden")
		bot.Do(t, "GET", p(villageB, "hello", "/notes"), nil).ExpectErr(403, "forbidden")
		bot.Do(t, "GET", "/api/v1/tenants/"+villageA, nil).Expect(200)
		bot.Do(t, "GET", "/api/v1/tenants/"+villageB, nil).ExpectErr(403, "forbidden")
		if n := bot.Do(t, "GET", "/api/v1/tenants", nil).Expect(200).Total(); n != 1 {
			t.Errorf("the village token lists %d tenants, want 1", n)
		}
		bot.Do(t, "PATCH", "/api/v1/tenants/"+villageA, map[string]string{"name": "X"}).ExpectErr(403, "forbidden")
		bot.Do(t, "POST", "/api/v1/users", map[string]string{"username": "botmade", "password": "botmade-password"}).ExpectErr(403, "forbidden")
		bot.Do(t, "GET", "/api/v1/audit", nil).ExpectErr(403, "forbidden")
		kampar.Do(t, "POST", p(villageB, "hello", "/notes"), map[string]string{"text": "the session is not limited"}).Expect(201)

		// An API token, even unlimited, mints nothing and changes no credential.
		full := &Client{h: h, Token: kampar.Do(t, "POST", "/api/v1/auth/tokens", map[string]any{"name": "full"}).Expect(201).Str("token")}
		full.Do(t, "POST", "/api/v1/auth/tokens", map[string]any{"name": "child"}).ExpectErr(403, "session_required")
		full.Do(t, "POST", "/api/v1/me/password", map[string]string{"current_password": "kampar-admin-password-1", "new_password": "taken-over-password"}).ExpectErr(403, "session_required")
		full.Do(t, "PATCH", "/api/v1/users/op-a", map[string]string{"password": "taken-over-password"}).ExpectErr(403, "session_required")
		full.Do(t, "DELETE", "/api/v1/auth/tokens/"+itoa(tok.JSON()["id"]), nil).ExpectErr(403, "session_required")
		bot.Do(t, "PATCH", "/api/v1/users/kampar-admin", map[string]string{"full_name": "Diganti Token"}).ExpectErr(403, "session_required")
		full.Do(t, "PATCH", "/api/v1/users/kampar-admin", map[string]string{"full_name": "Diganti Token"}).ExpectErr(403, "session_required")
		full.Do(t, "GET", "/api/v1/tenants/"+villageB, nil).Expect(200)

		// Changing a password needs the current one, and ends every
		// session and token of the account, this one too.
		kampar.Do(t, "PATCH", "/api/v1/users/kampar-admin", map[string]string{"password": "no-current-password"}).ExpectErr(422, "current_password_required")
		kampar.Do(t, "POST", "/api/v1/me/password", map[string]string{"current_password": "wrong-password", "new_password": "a-new-kampar-password"}).ExpectErr(401, "wrong_password")
		other := h.Login(t, "kampar-admin", "kampar-admin-password-1")
		fresh := kampar.Do(t, "POST", "/api/v1/me/password", map[string]string{"current_password": "kampar-admin-password-1", "new_password": "a-new-kampar-password"}).Expect(200)
		for name, c := range map[string]*Client{"the session used": kampar, "another session": other, "an API token": full, "a limited API token": bot} {
			if r := c.Do(t, "GET", "/api/v1/me", nil); r.Status != 401 {
				t.Errorf("%s survived the password change: %d", name, r.Status)
			}
		}
		(&Client{h: h, Token: fresh.Str("token")}).Do(t, "GET", "/api/v1/me", nil).Expect(200)
		h.Anon().Do(t, "POST", "/api/v1/auth/login", map[string]string{"username": "kampar-admin", "password": "kampar-admin-password-1"}).ExpectErr(401, "invalid_credentials")
		h.Login(t, "kampar-admin", "a-new-kampar-password")

		// Logout ends the session; API tokens are separate credentials that
		// live until they expire or are revoked.
		opTok := &Client{h: h, Token: w.op.Do(t, "POST", "/api/v1/auth/tokens", map[string]any{"name": "sync"}).Expect(201).Str("token")}
		w.op.Do(t, "POST", "/api/v1/auth/logout", nil).Expect(204)
		w.op.Do(t, "GET", "/api/v1/me", nil).ExpectErr(401, "invalid_token")
		opTok.Do(t, "GET", "/api/v1/me", nil).Expect(200)
		opTok.Do(t, "DELETE", "/api/v1/auth/tokens/"+itoa(idOf(t, opTok)), nil).Expect(204)
		opTok.Do(t, "GET", "/api/v1/me", nil).ExpectErr(401, "invalid_token")

		// The CLI issues limited tokens within the same bounds.
		cli := h.MustCLI(t, "user", "token", "op-a", "--name", "cli", "--tenant", villageA, "--permission", "hello.notes.read")
		cliTok := &Client{h: h, Token: strings.TrimSpace(cli.Stdout)}
		cliTok.Do(t, "GET", p(villageA, "hello", "/notes"), nil).Expect(200)
		cliTok.Do(t, "POST", p(villageA, "hello", "/notes"), map[string]string{"text": "x"}).ExpectErr(403, "forbidden")
		if r := h.CLI(t, "", "user", "token", "op-a", "--name", "cli", "--expires-in-days", "400"); r.Code == 0 {
			t.Error("the CLI issued a token living 400 days")
		}
	})
}

// idOf returns the id of the API token c uses, from its owner's list.
func idOf(t *testing.T, c *Client) any {
	t.Helper()
	items := c.Do(t, "GET", "/api/v1/auth/tokens", nil).Expect(200).Items()
	if len(items) != 1 {
		t.Fatalf("%d tokens listed, want 1", len(items))
	}
	return items[0]["id"]
}

// TestRolesBelongToTenants: a custom role belongs to the tenant that made it.
func TestRolesBelongToTenants(t *testing.T) {
	Each(t, func(t *testing.T, h *Host) {
		w := newRBACWorld(t, h)
		sub := w.root.CreateUserIn(t, "kecamatan-admin", "14.01.01")
		w.root.Grant(t, "14.01.01", "kecamatan-admin", "admin")
		role := sub.Do(t, "POST", "/api/v1/roles", map[string]any{"name": "kecamatan-star", "permissions": []string{"*"}}).Expect(201).JSON()
		if role["tenant"] != "14.01.01" {
			t.Errorf("the sub-district's role is owned by %v", role["tenant"])
		}
		// Pelalawan neither sees it nor removes it nor grants it.
		for _, r := range w.pelalawan.Do(t, "GET", "/api/v1/roles", nil).Expect(200).Items() {
			if r["name"] == "kecamatan-star" {
				t.Error("Pelalawan's admin lists the sub-district's role")
			}
		}
		w.pelalawan.Do(t, "GET", "/api/v1/roles/kecamatan-star", nil).ExpectErr(404, "role_not_found")
		w.pelalawan.Do(t, "DELETE", "/api/v1/roles/kecamatan-star", nil).ExpectErr(404, "role_not_found")
		w.pelalawan.CreateUserIn(t, "pelalawan-staff", "14.05")
		w.pelalawan.Do(t, "PUT", "/api/v1/tenants/14.05/members/pelalawan-staff", map[string]any{"roles": []string{"kecamatan-star"}}).ExpectErr(422, "role_not_found")
		// It is granted in its subtree only, even by a superadmin.
		sub.Grant(t, villageA, "nobody", "kecamatan-star")
		w.root.Do(t, "PUT", "/api/v1/tenants/"+villageB+"/members/nobody", map[string]any{"roles": []string{"kecamatan-star"}}).ExpectErr(422, "role_not_found")
		if r := h.CLI(t, "", "role", "grant", "nobody", "kecamatan-star", "--tenant", villageB); r.Code == 0 || !strings.Contains(r.Stderr, "role_not_found") {
			t.Errorf("the CLI granted an owned role outside its owner: %d %s", r.Code, r.Stderr)
		}
		// Kampar, above the owner, sees and removes it; a global role made by
		// the superadmin stays beyond Kampar's reach.
		w.kampar.Do(t, "GET", "/api/v1/roles/kecamatan-star", nil).Expect(200)
		sub.Do(t, "DELETE", "/api/v1/tenants/"+villageA+"/members/nobody", nil).Expect(204)
		w.kampar.Do(t, "DELETE", "/api/v1/roles/kecamatan-star", nil).Expect(204)
		w.root.Do(t, "POST", "/api/v1/roles", map[string]any{"name": "global-reader", "permissions": []string{"tenants.read"}}).Expect(201)
		w.kampar.Do(t, "DELETE", "/api/v1/roles/global-reader", nil).ExpectErr(403, "forbidden")
		// A sub-district admin cannot make a role for a tenant above it.
		sub.Do(t, "POST", "/api/v1/roles", map[string]any{"name": "kampar-wide", "permissions": []string{"tenants.read"}, "tenant": "14.01"}).ExpectErr(403, "forbidden")
		if out := h.MustCLI(t, "role", "create", "desa-kader", "--permission", "tenants.read", "--tenant", villageA).Stdout; !strings.Contains(out, "desa-kader") {
			t.Errorf("CLI role create: %s", out)
		}
		w.pelalawan.Do(t, "GET", "/api/v1/roles/desa-kader", nil).ExpectErr(404, "role_not_found")
	})
}

// TestTenantDeletePurges: a tenant holding data is not deleted by accident,
// and a purge removes everything, so that the same code comes back empty.
func TestTenantDeletePurges(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"hello", "probe"})
		w.enable(t, "14.01", "hello", true)
		w.enable(t, "14.01", "probe", true)
		h, root := w.h, w.admin
		const fresh, viaCLI = "14.01.01.2999", "14.01.01.2998"
		root.Do(t, "POST", "/api/v1/tenants", map[string]string{"code": fresh, "name": "Desa Sementara"}).Expect(201)
		root.Grant(t, fresh, "op-a", "operator")
		w.op.Do(t, "POST", p(fresh, "hello", "/notes"), map[string]string{"text": "catatan lama"}).Expect(201)
		w.op.Do(t, "POST", p(fresh, "probe", "/items"), map[string]string{"text": "barang lama"}).Expect(201)
		w.op.Do(t, "POST", p(fresh, "probe", "/poke"), nil).Expect(201)
		// An answer kept for an idempotency key, and an account at home here.
		keyed := func() answer {
			return w.op.send("POST", p(fresh, "hello", "/notes"), map[string]string{"text": "catatan berkunci"}, map[string]string{"Idempotency-Key": "ghost-1"})
		}
		if a := keyed(); a.status != 201 {
			t.Fatalf("keyed note: %d %s", a.status, a.body)
		}
		root.Do(t, "POST", "/api/v1/users", map[string]string{"username": "ghostuser", "password": "ghost-password-1", "full_name": "Hantu", "tenant": fresh}).Expect(201)
		png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 100)...)
		fileID := w.op.Do(t, "POST", p(fresh, "probe", "/photo"), png).Expect(201).Str("id")
		blob := filepath.Join(h.DataDir, "files", "probe", fileID)
		if _, err := os.Stat(blob); err != nil {
			t.Fatalf("the photo is not where the test looks: %v", err)
		}

		// Refused while it holds data, by the API and the CLI alike.
		r := root.Do(t, "DELETE", "/api/v1/tenants/"+fresh, nil).ExpectErr(409, "tenant_has_data")
		for _, want := range []string{"hello.notes: 2 records", "probe.items", "1 files", "purge=true", "--purge"} {
			if !strings.Contains(string(r.Body), want) {
				t.Errorf("the refusal does not say %q: %s", want, r.Body)
			}
		}
		if c := h.CLI(t, "", "tenant", "delete", fresh); c.Code == 0 || !strings.Contains(c.Stderr, "tenant_has_data") {
			t.Errorf("CLI delete of a tenant with data: exit %d %s", c.Code, c.Stderr)
		}
		root.Do(t, "DELETE", "/api/v1/tenants/"+fresh+"?purge=yes", nil).ExpectErr(400, "invalid_purge")
		w.district.Do(t, "DELETE", "/api/v1/tenants/"+villageP+"?purge=true", nil).ExpectErr(403, "forbidden")
		w.op.Do(t, "GET", p(fresh, "hello", "/notes"), nil).Expect(200)

		root.Do(t, "DELETE", "/api/v1/tenants/"+fresh+"?purge=true", nil).Expect(204)
		if _, err := os.Stat(blob); !os.IsNotExist(err) {
			t.Errorf("the photo's contents outlived the purge: %v", err)
		}
		root.Do(t, "POST", "/api/v1/tenants", map[string]string{"code": fresh, "name": "Desa Baru"}).Expect(201)
		w.op.Do(t, "GET", p(fresh, "hello", "/notes"), nil).ExpectErr(403, "forbidden") // the grant went too
		if n := root.Do(t, "GET", p(fresh, "hello", "/notes"), nil).Expect(200).Total(); n != 0 {
			t.Errorf("%d old notes came back with the code", n)
		}
		if n := root.Do(t, "GET", p(fresh, "probe", "/items"), nil).Expect(200).Total(); n != 0 {
			t.Errorf("%d old items came back with the code", n)
		}
		// The kept answer went with the tenant: the same key writes anew
		// instead of replaying what was purged.
		root.Grant(t, fresh, "op-a", "operator")
		if a := keyed(); a.status != 201 || a.header.Get("Idempotent-Replayed") != "" {
			t.Errorf("the key of a purged tenant replayed: %d %v %s", a.status, a.header, a.body)
		}
		if n := root.Do(t, "GET", p(fresh, "hello", "/notes"), nil).Expect(200).Total(); n != 1 {
			t.Errorf("%d notes after writing with the old key, want the new 1", n)
		}
		root.Do(t, "DELETE", "/api/v1/tenants/"+fresh+"/members/op-a", nil).Expect(204)
		// The account at home here moved to the sub-district.
		if home := root.Do(t, "GET", "/api/v1/users/ghostuser", nil).Expect(200).JSON()["home_tenant"]; home != "14.01.01" {
			t.Errorf("ghostuser's home after the purge: %v, want 14.01.01", home)
		}
		db, err := store.Open(store.Options{URL: h.DBURL, DataDir: h.DataDir})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for _, q := range []string{"SELECT COUNT(*) FROM files WHERE tenant = ?", "SELECT COUNT(*) FROM events WHERE tenant = ?", "SELECT COUNT(*) FROM casbin_rule WHERE v2 = ?"} {
			var n int64
			if err := db.Raw(q, fresh).Scan(&n).Error; err != nil || n != 0 {
				t.Errorf("%s: %d (%v)", q, n, err)
			}
		}
		audit := root.Do(t, "GET", "/api/v1/audit?action=tenant.delete&tenant="+fresh, nil).Expect(200)
		if !strings.Contains(string(audit.Body), `"hello.notes":2`) || !strings.Contains(string(audit.Body), `"idempotency_keys":1`) {
			t.Errorf("the purge is not audited with its counts: %s", audit.Body)
		}

		// The CLI purges through the same code.
		h.MustCLI(t, "tenant", "create", viaCLI, "Desa CLI")
		root.Do(t, "POST", p(viaCLI, "hello", "/notes"), map[string]string{"text": "lewat CLI"}).Expect(201)
		if out := h.MustCLI(t, "tenant", "delete", viaCLI, "--purge").Stdout; !strings.Contains(out, "hello.notes: 1 records") {
			t.Errorf("CLI purge says %s", out)
		}
		h.MustCLI(t, "tenant", "create", viaCLI, "Desa CLI")
		waitFor(t, 10*time.Second, func() bool { return root.Do(t, "GET", p(viaCLI, "hello", "/notes"), nil).Status == http.StatusOK })
		if n := root.Do(t, "GET", p(viaCLI, "hello", "/notes"), nil).Total(); n != 0 {
			t.Errorf("%d notes came back after the CLI purge", n)
		}
	})
}
