package plugin

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/modules"
	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/core/tenancy"
)

// GuardModule: a village's switch for a module its regency decided on is
// refused (403 module_set_above, naming the regency) unless the caller
// manages modules at the regency; switching back to inherit is always
// allowed; where nobody above decided the village decides.
func TestGuardModule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.Migrate(append(tenancy.Migrations(), modules.Migrations()...)); err != nil {
			t.Fatal(err)
		}
		const village = "14.01.01.2009"
		for _, tn := range [][2]string{{"14", "Riau"}, {"14.01", "Kampar"}, {"14.01.01", "Bangkinang"}, {village, "Kumantan"}} {
			if _, err := tenancy.Create(db.DB, tn[0], tn[1]); err != nil {
				t.Fatal(err)
			}
		}
		on, off := true, false
		villageAdmin := func(tenant string) bool { return tenancy.Within(tenant, village) }
		regencyAdmin := func(tenant string) bool { return tenancy.Within(tenant, "14.01") }
		guard := func(manages func(string) bool, plugin string, enabled *bool) error {
			return GuardModule(db.DB, manages, village, plugin, enabled)
		}
		if err := guard(villageAdmin, "evaluation", &on); err != nil {
			t.Errorf("undecided above, the village switches on: %v", err)
		}
		if err := guard(villageAdmin, "evaluation", &off); err != nil {
			t.Errorf("undecided above, the village switches off: %v", err)
		}
		if err := modules.Set(db.DB, "14.01", "evaluation", true); err != nil {
			t.Fatal(err)
		}
		for _, enabled := range []*bool{&off, &on} {
			err := guard(villageAdmin, "evaluation", enabled)
			var ae *apierr.Error
			if !errors.As(err, &ae) || ae.Status != http.StatusForbidden || ae.Code != CodeModuleSetAbove ||
				!strings.Contains(ae.Message, "Kampar (14.01)") {
				t.Errorf("the regency switched it on, the village sets %v: %v", *enabled, err)
			}
		}
		if err := guard(villageAdmin, "evaluation", nil); err != nil {
			t.Errorf("the village clears its own setting: %v", err)
		}
		if err := guard(regencyAdmin, "evaluation", &off); err != nil {
			t.Errorf("the regency's admin overrides for the village: %v", err)
		}
		if err := guard(villageAdmin, "bumdes", &on); err != nil {
			t.Errorf("another module nobody above decided on: %v", err)
		}
		// The nearest decision counts: below a district's, the district's
		// admin may override, not needing the regency.
		if err := modules.Set(db.DB, "14.01.01", "evaluation", false); err != nil {
			t.Fatal(err)
		}
		districtAdmin := func(tenant string) bool { return tenancy.Within(tenant, "14.01.01") }
		if err := guard(districtAdmin, "evaluation", &on); err != nil {
			t.Errorf("the district's admin below the district's decision: %v", err)
		}
		if err := guard(villageAdmin, "evaluation", &on); err == nil || !strings.Contains(err.Error(), "Bangkinang (14.01.01)") {
			t.Errorf("the village below the district's decision: %v", err)
		}
	})
}
