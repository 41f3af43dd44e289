package e2e

import (
	"strings"
	"testing"
	"time"
)

// rbacWorld is Kampar and Pelalawan with an admin of Kampar, an operator of
// one village, a viewer of a sub-district, an admin of Pelalawan and a user
// without grants.
type rbacWorld struct {
	h                                         *Host
	root, kampar, op, viewer, pelalawan, none *Client
}

func newRBACWorld(t *testing.T, h *Host) *rbacWorld {
	t.Helper()
	h.MustCLI(t, "tenant", "import", "--file", WilayahCSV(t), "--under", "14.01", "--under", "14.05")
	w := &rbacWorld{h: h, root: h.Admin(t)}
	w.kampar, _ = w.root.CreateUser(t, "kampar-admin")
	w.root.Grant(t, "14.01", "kampar-admin", "admin")
	// Kampar's staff live in Kampar: its admin owns their accounts.
	w.op = w.root.CreateUserIn(t, "village-op", "14.01")
	w.root.Grant(t, villageA, "village-op", "operator")
	w.viewer, _ = w.root.CreateUser(t, "kecamatan-viewer")
	w.root.Grant(t, "14.01.02", "kecamatan-viewer", "viewer")
	w.pelalawan, _ = w.root.CreateUser(t, "pelalawan-admin")
	w.root.Grant(t, "14.05", "pelalawan-admin", "admin")
	w.none = w.root.CreateUserIn(t, "nobody", villageA)
	return w
}

// CreateUserIn makes a user at home in tenant through the API as c and
// returns its client; the password is username + "-password-1".
func (c *Client) CreateUserIn(t *testing.T, username, tenant string) *Client {
	t.Helper()
	password := username + "-password-1"
	c.Do(t, "POST", "/api/v1/users", map[string]string{"username": username, "password": password, "full_name": strings.ToUpper(username), "tenant": tenant}).Expect(201)
	return c.h.Login(t, username, password)
}

func TestGrantsHoldBelowAndNowhereElse(t *testing.T) {
	Each(t, func(t *testing.T, h *Host) {
		w := newRBACWorld(t, h)
		// The admin of Kampar manages any village of Kampar...
		w.kampar.Do(t, "POST", "/api/v1/tenants", map[string]string{"code": "14.01.02.2999", "name": "Desa Baru"}).Expect(201)
		w.kampar.Do(t, "PATCH", "/api/v1/tenants/"+villageB, map[string]string{"name": "Batu Belah Baru"}).Expect(200)
		w.kampar.Do(t, "GET", "/api/v1/tenants/"+villageA+"/members", nil).Expect(200)
		staff, _ := w.kampar.CreateUser(t, "kampar-staff")
		w.kampar.Grant(t, villageB, "kampar-staff", "operator")
		staff.Do(t, "GET", "/api/v1/tenants/"+villageB, nil).Expect(200)
		if n := w.kampar.Do(t, "GET", "/api/v1/tenants?limit=500", nil).Expect(200).Total(); n != 273 {
			t.Errorf("the admin of Kampar sees %d tenants, want Kampar's 272 and the new village", n)
		}
		// ...and the operator of one village works there only.
		w.op.Do(t, "GET", "/api/v1/tenants/"+villageA, nil).Expect(200)
		if n := w.op.Do(t, "GET", "/api/v1/tenants", nil).Expect(200).Total(); n != 1 {
			t.Errorf("a village operator sees %d tenants, want 1", n)
		}
		me := string(w.op.Do(t, "GET", "/api/v1/me", nil).Expect(200).Body)
		if !strings.Contains(me, `"grants":[{"tenant":"`+villageA+`","roles":["operator"]}]`) {
			t.Errorf("me = %s", me)
		}
		// Deny by default: no grant, nothing.
		if n := w.none.Do(t, "GET", "/api/v1/tenants", nil).Expect(200).Total(); n != 0 {
			t.Errorf("a user without grants sees %d tenants", n)
		}
	})
}

func TestCrossTenantAttemptsAreRefused(t *testing.T) {
	Each(t, func(t *testing.T, h *Host) {
		w := newRBACWorld(t, h)
		w.pelalawan.CreateUser(t, "pelalawan-staff")
		w.pelalawan.Grant(t, villageP, "pelalawan-staff", "operator")
		tests := []struct {
			name   string
			c      *Client
			method string
			path   string
			body   any
			// code is the error expected besides 403 forbidden: a user the
			// caller may not see answers as a missing one.
			code string
		}{
			{"kampar admin reads Pelalawan", w.kampar, "GET", "/api/v1/tenants/14.05", nil, ""},
			{"kampar admin lists Pelalawan's sub-districts", w.kampar, "GET", "/api/v1/tenants?parent=14.05", nil, ""},
			{"kampar admin renames a Pelalawan village", w.kampar, "PATCH", "/api/v1/tenants/" + villageP, map[string]string{"name": "X"}, ""},
			{"kampar admin creates a village in Pelalawan", w.kampar, "POST", "/api/v1/tenants", map[string]string{"code": "14.05.01.2999", "name": "X"}, ""},
			{"kampar admin deletes a Pelalawan village", w.kampar, "DELETE", "/api/v1/tenants/" + villageP, nil, ""},
			{"kampar admin creates a regency in the province", w.kampar, "POST", "/api/v1/tenants", map[string]string{"code": "14.99", "name": "X"}, ""},
			{"kampar admin deletes Kampar itself", w.kampar, "DELETE", "/api/v1/tenants/14.01", nil, ""},
			{"kampar admin lists Pelalawan's members", w.kampar, "GET", "/api/v1/tenants/14.05/members", nil, ""},
			{"kampar admin grants in Pelalawan", w.kampar, "PUT", "/api/v1/tenants/" + villageP + "/members/nobody", map[string]any{"roles": []string{"viewer"}}, ""},
			{"kampar admin revokes in Pelalawan", w.kampar, "DELETE", "/api/v1/tenants/" + villageP + "/members/pelalawan-staff", nil, ""},
			{"kampar admin reads a Pelalawan user", w.kampar, "GET", "/api/v1/users/pelalawan-staff", nil, "user_not_found"},
			{"kampar admin disables a Pelalawan user", w.kampar, "PATCH", "/api/v1/users/pelalawan-staff", map[string]bool{"disabled": true}, "user_not_found"},
			{"kampar admin resets a Pelalawan password", w.kampar, "PATCH", "/api/v1/users/pelalawan-admin", map[string]string{"password": "hijacked-password"}, "user_not_found"},
			{"kampar admin resets the superadmin", w.kampar, "PATCH", "/api/v1/users/admin", map[string]string{"password": "hijacked-password"}, "user_not_found"},
			{"kampar admin enables a module in Pelalawan", w.kampar, "PUT", "/api/v1/tenants/14.05/modules/hello", map[string]bool{"enabled": true}, ""},
			{"operator renames its own village", w.op, "PATCH", "/api/v1/tenants/" + villageA, map[string]string{"name": "X"}, ""},
			{"operator reads its neighbour village", w.op, "GET", "/api/v1/tenants/" + villageA2, nil, ""},
			{"operator reads its sub-district", w.op, "GET", "/api/v1/tenants/14.01.01", nil, ""},
			{"operator grants itself admin", w.op, "PUT", "/api/v1/tenants/" + villageA + "/members/village-op", map[string]any{"roles": []string{"admin"}}, ""},
			{"operator creates users", w.op, "POST", "/api/v1/users", map[string]string{"username": "sneaky", "password": "long-enough-1"}, ""},
			{"operator lists users", w.op, "GET", "/api/v1/users", nil, ""},
			{"operator reads the audit trail", w.op, "GET", "/api/v1/audit", nil, ""},
			{"viewer reads another sub-district", w.viewer, "GET", "/api/v1/tenants/14.01.01", nil, ""},
			{"viewer writes its sub-district", w.viewer, "PATCH", "/api/v1/tenants/14.01.02", map[string]string{"name": "X"}, ""},
			{"viewer lists members", w.viewer, "GET", "/api/v1/tenants/14.01.02/members", nil, ""},
			{"no grants: read a tenant", w.none, "GET", "/api/v1/tenants/14.01", nil, ""},
			{"no grants: create a role", w.none, "POST", "/api/v1/roles", map[string]any{"name": "mine", "permissions": []string{"tenants.read"}}, ""},
			{"no grants: list roles", w.none, "GET", "/api/v1/roles", nil, ""},
			{"no grants: list plugins", w.none, "GET", "/api/v1/plugins", nil, ""},
		}
		before := counts(t, h)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if tt.code == "user_not_found" {
					tt.c.Do(t, tt.method, tt.path, tt.body).ExpectErr(404, "user_not_found")
					return
				}
				tt.c.Do(t, tt.method, tt.path, tt.body).ExpectErr(403, "forbidden")
			})
		}
		if after := counts(t, h); after["users"] != before["users"] || after["tenants"] != before["tenants"] || after["casbin_rule"] != before["casbin_rule"] {
			t.Errorf("refused attempts changed the database: %v → %v", before, after)
		}
		h.Login(t, "pelalawan-staff", "pelalawan-staff-password-1")
		// The audit trail of Kampar holds nothing of Pelalawan.
		for _, e := range w.kampar.Do(t, "GET", "/api/v1/audit?limit=500", nil).Expect(200).Items() {
			if tenant, _ := e["tenant"].(string); tenant != "" && !strings.HasPrefix(tenant, "14.01") {
				t.Errorf("Kampar's admin sees an audit entry of %s: %v", tenant, e)
			}
		}
		if n := len(w.kampar.Do(t, "GET", "/api/v1/audit?tenant=14.05", nil).Expect(200).Items()); n != 0 {
			t.Errorf("Kampar's admin reads %d audit entries of Pelalawan", n)
		}
	})
}

func TestNoEscalation(t *testing.T) {
	Each(t, func(t *testing.T, h *Host) {
		w := newRBACWorld(t, h)
		w.kampar.Do(t, "PUT", "/api/v1/tenants/14.01/members/nobody", map[string]any{"roles": []string{"superadmin"}}).ExpectErr(422, "invalid_grant")
		w.kampar.Do(t, "PUT", "/api/v1/tenants/*/members/nobody", map[string]any{"roles": []string{"superadmin"}}).ExpectErr(403, "forbidden")
		w.kampar.Do(t, "PUT", "/api/v1/tenants/*/members/nobody", map[string]any{"roles": []string{"viewer"}}).ExpectErr(403, "forbidden")
		w.kampar.Do(t, "PUT", "/api/v1/tenants/14/members/nobody", map[string]any{"roles": []string{"viewer"}}).ExpectErr(403, "forbidden")
		// A custom role that may manage members but holds little else
		// cannot hand out more than it holds.
		w.root.Do(t, "POST", "/api/v1/roles", map[string]any{"name": "kader", "description": "manages a village's members", "permissions": []string{"members.read", "members.write", "tenants.read"}}).Expect(201)
		kader, _ := w.root.CreateUser(t, "kader-a")
		w.root.Grant(t, villageA, "kader-a", "kader")
		kader.Do(t, "PUT", "/api/v1/tenants/"+villageA+"/members/nobody", map[string]any{"roles": []string{"admin"}}).ExpectErr(403, "forbidden")
		kader.Do(t, "PUT", "/api/v1/tenants/"+villageA+"/members/nobody", map[string]any{"roles": []string{"operator"}}).ExpectErr(403, "forbidden")
		kader.Do(t, "PUT", "/api/v1/tenants/"+villageA+"/members/nobody", map[string]any{"roles": []string{"kader"}}).Expect(200)
		// Nor strip a role it could not grant.
		kader.Do(t, "DELETE", "/api/v1/tenants/"+villageA+"/members/village-op", nil).ExpectErr(403, "forbidden")
		// A role can only carry permissions its author holds.
		w.op.Do(t, "POST", "/api/v1/roles", map[string]any{"name": "mine", "permissions": []string{"tenants.read"}}).ExpectErr(403, "forbidden")
		kader.Do(t, "POST", "/api/v1/roles", map[string]any{"name": "bigger", "permissions": []string{"users.write"}}).ExpectErr(403, "forbidden")
		w.kampar.Do(t, "POST", "/api/v1/roles", map[string]any{"name": "kampar-auditor", "permissions": []string{"audit.read", "tenants.read"}}).Expect(201)
		roles := map[string]bool{}
		for _, r := range w.kampar.Do(t, "GET", "/api/v1/roles", nil).Expect(200).Items() {
			roles[r["name"].(string)] = r["builtin"].(bool)
		}
		for name, builtin := range map[string]bool{"superadmin": true, "admin": true, "operator": true, "viewer": true, "kader": false, "kampar-auditor": false} {
			if b, ok := roles[name]; !ok || b != builtin {
				t.Errorf("role %s: listed %v builtin %v", name, ok, b)
			}
		}
		w.root.Do(t, "DELETE", "/api/v1/roles/kader", nil).ExpectErr(409, "role_in_use")
		// Kampar's role belongs to Kampar: Pelalawan does not see it, Kampar
		// removes it.
		w.pelalawan.Do(t, "DELETE", "/api/v1/roles/kampar-auditor", nil).ExpectErr(404, "role_not_found")
		w.kampar.Do(t, "DELETE", "/api/v1/roles/kampar-auditor", nil).Expect(204)
	})
}

func TestAuditTrail(t *testing.T) {
	Each(t, func(t *testing.T, h *Host) {
		w := newRBACWorld(t, h)
		w.kampar.Do(t, "POST", "/api/v1/tenants", map[string]string{"code": "14.01.02.2999", "name": "Desa Audit"}).Expect(201)
		w.kampar.Do(t, "PATCH", "/api/v1/tenants/14.01.02.2999", map[string]string{"name": "Desa Audit Baru"}).Expect(200)
		w.kampar.Do(t, "DELETE", "/api/v1/tenants/14.01.02.2999", nil).Expect(204)
		w.kampar.Do(t, "PATCH", "/api/v1/users/village-op", map[string]string{"full_name": "Op"}).Expect(200)
		w.kampar.Do(t, "DELETE", "/api/v1/tenants/"+villageA+"/members/village-op", nil).Expect(204)
		h.MustCLI(t, "role", "grant", "village-op", "viewer", "--tenant", villageB)
		// Reading another's account and listing accounts read full names.
		w.kampar.Do(t, "GET", "/api/v1/users/village-op", nil).Expect(200)
		w.kampar.Do(t, "GET", "/api/v1/users", nil).Expect(200)
		entries := w.root.Do(t, "GET", "/api/v1/audit?limit=500", nil).Expect(200).Items()
		want := map[string]string{"tenant.create": "14.01.02.2999", "tenant.rename": "14.01.02.2999", "tenant.delete": "14.01.02.2999", "user.update": "village-op", "member.remove": "village-op", "member.set": "village-op", "user.create": "nobody", "user.read": "village-op", "user.list": "users"}
		for action, target := range want {
			found := false
			for _, e := range entries {
				if e["action"] == action && e["target"] == target {
					found = true
					if _, err := time.Parse(time.RFC3339, e["at"].(string)); err != nil {
						t.Errorf("%s: time %v", action, e["at"])
					}
					if e["actor"] == "" || e["source"] == "" {
						t.Errorf("%s: no actor or source: %v", action, e)
					}
				}
			}
			if !found {
				t.Errorf("no audit entry %s %s", action, target)
			}
		}
		var cli, api map[string]any
		for _, e := range entries {
			if e["action"] == "member.set" && e["target"] == "village-op" {
				if e["source"] == "cli" {
					cli = e
				} else if e["actor"] == "admin" {
					api = e
				}
			}
		}
		if cli == nil || !strings.HasPrefix(cli["actor"].(string), "cli:") {
			t.Errorf("CLI grant audited as %v", cli)
		}
		if api == nil || api["source"] != "127.0.0.1" || api["request_id"] == "" {
			t.Errorf("API grant audited as %v", api)
		}
		if n := len(w.root.Do(t, "GET", "/api/v1/audit?action=tenant.*&actor=kampar-admin", nil).Expect(200).Items()); n != 3 {
			t.Errorf("%d tenant.* entries by kampar-admin, want 3", n)
		}
	})
}

func TestCLIGrantsReachTheServer(t *testing.T) {
	Each(t, func(t *testing.T, h *Host) {
		h.ImportKampar(t)
		gen := h.MustCLI(t, "user", "create", "siti", "--full-name", "Siti Aminah")
		if !strings.Contains(gen.Stdout, "password: ") {
			t.Errorf("no generated password printed: %s", gen.Stdout)
		}
		if r := h.CLI(t, "short\n", "user", "create", "weak", "--password-stdin"); r.Code == 0 || !strings.Contains(r.Stderr, "weak_password") {
			t.Errorf("weak CLI password: exit %d %s", r.Code, r.Stderr)
		}
		r := h.CLI(t, "siti-password-123\n", "user", "create", "budi", "--password-stdin")
		if r.Code != 0 {
			t.Fatalf("user create: %s", r.Stderr)
		}
		budi := h.Login(t, "budi", "siti-password-123")
		budi.Do(t, "GET", "/api/v1/tenants/"+villageA, nil).ExpectErr(403, "forbidden")
		h.MustCLI(t, "role", "grant", "budi", "operator", "--tenant", villageA)
		waitFor(t, 6*time.Second, func() bool { return budi.Do(t, "GET", "/api/v1/tenants/"+villageA, nil).Status == 200 })
		h.MustCLI(t, "role", "revoke", "budi", "--tenant", villageA)
		waitFor(t, 6*time.Second, func() bool { return budi.Do(t, "GET", "/api/v1/tenants/"+villageA, nil).Status == 403 })
		if r := h.CLI(t, "", "role", "grant", "budi", "superadmin", "--tenant", villageA); r.Code == 0 {
			t.Error("the CLI granted superadmin in a village")
		}
		out := h.MustCLI(t, "role", "list").Stdout
		for _, role := range []string{"superadmin", "admin", "operator", "viewer"} {
			if !strings.Contains(out, role) {
				t.Errorf("role list lacks %s", role)
			}
		}
		if !strings.Contains(h.MustCLI(t, "user", "list").Stdout, "Siti Aminah") {
			t.Error("user list lacks Siti")
		}
		if !strings.Contains(h.MustCLI(t, "audit", "list", "--action", "member.*").Stdout, "budi") {
			t.Error("audit list lacks the CLI grants")
		}
	})
}
