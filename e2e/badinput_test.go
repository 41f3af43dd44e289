package e2e

import (
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/store"
)

// counts reads the row counts that bad input must leave untouched.
func counts(t *testing.T, h *Host) map[string]int64 {
	t.Helper()
	db, err := store.Open(store.Options{URL: h.DBURL, DataDir: h.DataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]int64{}
	for _, table := range []string{"users", "tenants", "casbin_rule", "roles", "audit_log", "module_settings"} {
		var n int64
		if err := db.Table(table).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

func TestBadInputChangesNothing(t *testing.T) {
	Each(t, func(t *testing.T, h *Host) {
		h.ImportKampar(t)
		admin := h.Admin(t)
		admin.CreateUser(t, "existing")
		big := `{"username":"x","password":"` + strings.Repeat("a", 2<<20) + `","full_name":"x"}`
		tests := []struct {
			name, method, path string
			body               any
			status             int
			code               string
		}{
			{"unknown field", "POST", "/api/v1/users", `{"username":"newuser","password":"long-enough-1","full_name":"N","role":"admin"}`, 400, "unknown_field"},
			{"malformed JSON", "POST", "/api/v1/users", `{"username":"newuser",`, 400, "malformed_json"},
			{"empty body", "POST", "/api/v1/tenants", "", 400, "malformed_json"},
			{"trailing data", "POST", "/api/v1/tenants", `{"code":"14.01.01.2999","name":"A"} {"x":1}`, 400, "malformed_json"},
			{"wrong field type", "POST", "/api/v1/tenants", `{"code":1401,"name":"A"}`, 400, "invalid_field"},
			{"oversized body", "POST", "/api/v1/users", big, 413, "body_too_large"},
			{"code too short", "POST", "/api/v1/tenants", map[string]string{"code": "1", "name": "A"}, 422, "invalid_code"},
			{"code with letters", "POST", "/api/v1/tenants", map[string]string{"code": "14.0A", "name": "A"}, 422, "invalid_code"},
			{"code too deep", "POST", "/api/v1/tenants", map[string]string{"code": "14.01.01.2009.1", "name": "A"}, 422, "invalid_code"},
			{"village part too short", "POST", "/api/v1/tenants", map[string]string{"code": "14.01.01.209", "name": "A"}, 422, "invalid_code"},
			{"missing parent", "POST", "/api/v1/tenants", map[string]string{"code": "14.99.01", "name": "A"}, 422, "parent_not_found"},
			{"no name", "POST", "/api/v1/tenants", map[string]string{"code": "14.01.01.2999", "name": " "}, 422, "invalid_name"},
			{"duplicate tenant", "POST", "/api/v1/tenants", map[string]string{"code": "14.01.01.2009", "name": "Again"}, 409, "tenant_exists"},
			{"duplicate username", "POST", "/api/v1/users", map[string]string{"username": "existing", "password": "long-enough-1", "full_name": "X"}, 409, "duplicate_username"},
			{"weak password", "POST", "/api/v1/users", map[string]string{"username": "weakling", "password": "short9", "full_name": "X"}, 422, "weak_password"},
			{"password is the username", "POST", "/api/v1/users", map[string]string{"username": "sameasuser", "password": "sameasuser", "full_name": "X"}, 422, "weak_password"},
			{"bad username", "POST", "/api/v1/users", map[string]string{"username": "Bad Name", "password": "long-enough-1", "full_name": "X"}, 422, "invalid_username"},
			{"weak password reset", "PATCH", "/api/v1/users/existing", map[string]string{"password": "short"}, 422, "weak_password"},
			{"empty patch", "PATCH", "/api/v1/users/existing", map[string]string{}, 422, "empty_patch"},
			{"unknown user", "PATCH", "/api/v1/users/ghost", map[string]string{"full_name": "G"}, 404, "user_not_found"},
			{"grant unknown role", "PUT", "/api/v1/tenants/14.01/members/existing", map[string]any{"roles": []string{"chief"}}, 422, "role_not_found"},
			{"grant no roles", "PUT", "/api/v1/tenants/14.01/members/existing", map[string]any{"roles": []string{}}, 422, "invalid_roles"},
			{"superadmin in a tenant", "PUT", "/api/v1/tenants/14.01/members/existing", map[string]any{"roles": []string{"superadmin"}}, 422, "invalid_grant"},
			{"grant in unknown tenant", "PUT", "/api/v1/tenants/14.01.01.2999/members/existing", map[string]any{"roles": []string{"viewer"}}, 404, "tenant_not_found"},
			{"delete a tenant with children", "DELETE", "/api/v1/tenants/14.01.01", nil, 409, "tenant_has_children"},
			{"role with unknown permission", "POST", "/api/v1/roles", map[string]any{"name": "kader", "permissions": []string{"nothing.at.all"}}, 422, "unknown_permission"},
			{"role named like a built-in", "POST", "/api/v1/roles", map[string]any{"name": "admin", "permissions": []string{"tenants.read"}}, 409, "role_exists"},
			{"limit over 500", "GET", "/api/v1/tenants?limit=501", nil, 400, "invalid_pagination"},
			{"page zero", "GET", "/api/v1/users?page=0", nil, 400, "invalid_pagination"},
			{"limit not a number", "GET", "/api/v1/audit?limit=abc", nil, 400, "invalid_pagination"},
			{"bad time filter", "GET", "/api/v1/audit?since=yesterday", nil, 400, "invalid_time"},
			{"bad level filter", "GET", "/api/v1/tenants?level=city", nil, 400, "invalid_level"},
			{"unknown endpoint", "GET", "/api/v1/nothing", nil, 404, "not_found"},
			{"method not allowed", "DELETE", "/api/v1/users", nil, 405, "method_not_allowed"},
		}
		before := counts(t, h)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				admin.Do(t, tt.method, tt.path, tt.body).ExpectErr(tt.status, tt.code)
			})
		}
		after := counts(t, h)
		for table, n := range before {
			if after[table] != n {
				t.Errorf("%s: %d rows before the bad input, %d after", table, n, after[table])
			}
		}
	})
}
