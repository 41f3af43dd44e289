package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/storetest"
)

// A plugin named like one of the host's permission namespaces (users,
// audit) declared the host's own permissions for viewers, and every viewer
// could then reset other users' passwords: such a plugin is refused, and
// the host's permissions keep their meaning.
func TestPluginCannotTakeTheHostsPermissions(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		dir := PluginDir(t, "hello")
		broken, err := os.ReadFile(PluginBinary("broken"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"users", "audit"} {
			if err := os.WriteFile(filepath.Join(dir, name), broken, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		h := NewHost(t, b)
		h.ImportKampar(t)
		h.Serve(t, "--plugins", dir)
		admin := h.Admin(t)
		for _, name := range []string{"users", "audit"} {
			info := pluginInfo(t, admin, name)
			if info["state"] != "failed" || !strings.Contains(fmt.Sprint(info["error"]), "reserved for the host") {
				t.Errorf("%s: state %v, error %q; want failed, reserved for the host", name, info["state"], info["error"])
			}
		}
		for _, r := range admin.Do(t, "GET", "/api/v1/roles", nil).Expect(200).Items() {
			if r["name"] != "viewer" {
				continue
			}
			for _, p := range r["permissions"].([]any) {
				if slices.Contains([]string{"users.write", "users.read", "audit.read"}, p.(string)) {
					t.Errorf("viewer holds %v", p)
				}
			}
		}
		admin.Do(t, "POST", "/api/v1/users", map[string]string{"username": "victim", "password": "victim-password-1", "full_name": "Korban"}).Expect(201)
		admin.Do(t, "POST", "/api/v1/users", map[string]string{"username": "evilviewer", "password": "viewer-password-1", "full_name": "Penonton"}).Expect(201)
		admin.Do(t, "PUT", "/api/v1/tenants/"+villageA+"/members/evilviewer", map[string][]string{"roles": {"viewer"}}).Expect(200)
		evil := h.Login(t, "evilviewer", "viewer-password-1")
		if r := evil.Do(t, "PATCH", "/api/v1/users/victim", map[string]string{"password": "taken-over-123456"}); r.Status < 400 {
			t.Errorf("a viewer reset another user's password: %d %s", r.Status, r.Body)
		}
		if r := evil.Do(t, "GET", "/api/v1/audit", nil); r.Status != 403 {
			t.Errorf("a viewer read the audit trail: %d", r.Status)
		}
		h.Login(t, "victim", "victim-password-1")
	})
}
