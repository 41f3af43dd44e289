package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
)

// The regency decides its villages' modules (PRODUCT.md: regency operators
// "enable only the modules they need, for the whole regency or for some
// villages"; trial finding 1). Kampar switched evaluation on: the village's
// own admin may not switch it off there, nor on, nor clear its switch, by
// the API or the console (403 module_set_above naming Kampar), and the
// village stays evaluated; Kampar's admin may switch it off for the village.
// A module nobody above decided on (complaints) the village switches on and
// off itself. The operator CLI stays unrestricted.
func TestModulesPolicyRegencyDecides(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"evaluation", "complaints"})
		w.enable(t, "14.01", "evaluation", true)
		kades, kadesPW := w.admin.CreateUser(t, "kades-policy")
		w.admin.Grant(t, villageA, "kades-policy", "admin")
		kampar, _ := w.admin.CreateUser(t, "kampar-policy")
		w.admin.Grant(t, "14.01", "kampar-policy", "admin")
		mod := func(tenant, plugin string) string { return "/api/v1/tenants/" + tenant + "/modules/" + plugin }
		state := func(tenant, plugin string) map[string]any {
			t.Helper()
			for _, m := range w.admin.Do(t, "GET", "/api/v1/tenants/"+tenant+"/modules", nil).Expect(http.StatusOK).Items() {
				if m["plugin"] == plugin {
					return m
				}
			}
			t.Fatalf("%s not listed for %s", plugin, tenant)
			return nil
		}
		refused := func(r *Resp, step string) {
			t.Helper()
			r.ExpectErr(http.StatusForbidden, "module_set_above")
			if msg := r.JSON()["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "Kampar (14.01)") {
				t.Errorf("%s: the refusal does not name the regency that decided: %q", step, msg)
			}
		}

		// The village admin cannot escape the regency's evaluation.
		refused(kades.Do(t, "PUT", mod(villageA, "evaluation"), map[string]bool{"enabled": false}), "switching off")
		refused(kades.Do(t, "PUT", mod(villageA, "evaluation"), map[string]bool{"enabled": true}), "a redundant switch on")
		refused(kades.Do(t, "DELETE", mod(villageA, "evaluation"), nil), "clearing")
		if m := state(villageA, "evaluation"); m["enabled"] != true || m["from"] != "14.01" || m["explicit"] != false {
			t.Errorf("after the refusals the village's evaluation is %v, want on from 14.01", m)
		}
		kades.Do(t, "GET", evp(villageA, "/indicators"), nil).Expect(http.StatusOK)

		// Nor through the console: the switch is shown disabled with the
		// reason, and a forged post is refused.
		c := newConsoleClient(t, w.h)
		c.do("GET", "/login", nil)
		if st, body, _ := c.do("POST", "/login", url.Values{"username": {"kades-policy"}, "password": {kadesPW}}); st != http.StatusSeeOther {
			t.Fatalf("console login: %d %s", st, body)
		}
		_, body, _ := c.do("GET", "/console/"+villageA+"/admin/modules", nil)
		if !strings.Contains(body, `disabled aria-describedby="module-locked-evaluation"`) ||
			!strings.Contains(body, `id="module-locked-evaluation">Diputuskan oleh wilayah di atas`) || !strings.Contains(body, "Kampar (14.01)") {
			t.Errorf("the console's evaluation switch is not shown locked by Kampar: %s", body)
		}
		if !strings.Contains(body, `<button type="submit" name="action" value="enable" class="b-btn b-btn-primary" id="module-enable-complaints">`) {
			t.Errorf("the console's complaints switch (undecided above) is not usable: %s", body)
		}
		if st, body, _ := c.do("POST", "/console/"+villageA+"/admin/modules", url.Values{"plugin": {"evaluation"}, "action": {"disable"}}); st != http.StatusForbidden || !strings.Contains(body, "Kampar (14.01)") {
			t.Errorf("console disable by the village admin: %d %s", st, body)
		}
		if m := state(villageA, "evaluation"); m["enabled"] != true || m["from"] != "14.01" {
			t.Errorf("after the console's refusal the village's evaluation is %v", m)
		}

		// The regency's admin may switch it off for the village.
		if m := kampar.Do(t, "PUT", mod(villageA, "evaluation"), map[string]bool{"enabled": false}).Expect(http.StatusOK).JSON(); m["enabled"] != false || m["explicit"] != true {
			t.Errorf("the regency admin's switch off: %v", m)
		}
		kades.Do(t, "GET", evp(villageA, "/indicators"), nil).ExpectErr(http.StatusNotFound, "module_not_enabled")
		// What the regency set for the village stays the regency's.
		refused(kades.Do(t, "DELETE", mod(villageA, "evaluation"), nil), "clearing the regency's switch for the village")
		refused(kades.Do(t, "PUT", mod(villageA, "evaluation"), map[string]bool{"enabled": true}), "switching it back on")
		kampar.Do(t, "DELETE", mod(villageA, "evaluation"), nil).Expect(http.StatusOK)

		// A module nobody above decided on: the village decides.
		if m := kades.Do(t, "PUT", mod(villageA, "complaints"), map[string]bool{"enabled": true}).Expect(http.StatusOK).JSON(); m["enabled"] != true || m["explicit"] != true {
			t.Errorf("the village switches on complaints: %v", m)
		}
		if m := kades.Do(t, "PUT", mod(villageA, "complaints"), map[string]bool{"enabled": false}).Expect(http.StatusOK).JSON(); m["enabled"] != false {
			t.Errorf("the village switches complaints off again: %v", m)
		}
		kades.Do(t, "DELETE", mod(villageA, "complaints"), nil).Expect(http.StatusOK)

		// The operator CLI (direct database access) is not bound by it.
		w.h.MustCLI(t, "plugin", "disable", "evaluation", "--tenant", villageA, "--plugins", w.plugins)
		waitFor(t, 6*time.Second, func() bool {
			m := state(villageA, "evaluation")
			return m["enabled"] == false && m["explicit"] == true
		})
	})
}
