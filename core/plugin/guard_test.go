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
// manages modules at the regency, switching back to inherit too; where
// nobody above decided the village decides.
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
		villageAdmin := func(tenant string) bool { return tenancy.Within(tenant, village) }
		regencyAdmin := func(tenant string) bool { return tenancy.Within(tenant, "14.01") }
		guard := func(manages func(string) bool, plugin string) error {
			return GuardModule(db.DB, manages, village, plugin)
		}
		if err := guard(villageAdmin, "evaluation"); err != nil {
			t.Errorf("undecided above, the village changes its switch: %v", err)
		}
		if err := modules.Set(db.DB, "14.01", "evaluation", true); err != nil {
			t.Fatal(err)
		}
		err := guard(villageAdmin, "evaluation")
		var ae *apierr.Error
		if !errors.As(err, &ae) || ae.Status != http.StatusForbidden || ae.Code != CodeModuleSetAbove ||
			!strings.Contains(ae.Message, "switched on") || !strings.Contains(ae.Message, "Kampar (14.01)") {
			t.Errorf("the regency switched it on, the village changes its switch: %v", err)
		}
		if err := guard(regencyAdmin, "evaluation"); err != nil {
			t.Errorf("the regency's admin overrides for the village: %v", err)
		}
		if err := guard(villageAdmin, "bumdes"); err != nil {
			t.Errorf("another module nobody above decided on: %v", err)
		}
		// The nearest decision counts: below a district's, the district's
		// admin may override, not needing the regency.
		if err := modules.Set(db.DB, "14.01.01", "evaluation", false); err != nil {
			t.Fatal(err)
		}
		districtAdmin := func(tenant string) bool { return tenancy.Within(tenant, "14.01.01") }
		if err := guard(districtAdmin, "evaluation"); err != nil {
			t.Errorf("the district's admin below the district's decision: %v", err)
		}
		if err := guard(villageAdmin, "evaluation"); err == nil || !strings.Contains(err.Error(), "switched off") || !strings.Contains(err.Error(), "Bangkinang (14.01.01)") {
			t.Errorf("the village below the district's decision: %v", err)
		}
	})
}
