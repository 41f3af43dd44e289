package modules

import (
	"testing"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
)

// DecidedAbove finds the nearest decision strictly above a tenant: a
// village's own setting does not count, a district's beats its regency's,
// and another plugin's or another regency's settings are not read. The
// in-memory Table.Above agrees with it.
func TestDecidedAbove(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.Migrate(Migrations()); err != nil {
			t.Fatal(err)
		}
		const village = "14.01.01.2009"
		set := func(tenant, plugin string, on bool) {
			t.Helper()
			if err := Set(db.DB, tenant, plugin, on); err != nil {
				t.Fatal(err)
			}
		}
		check := func(step, plugin, wantFrom string, wantOn bool) {
			t.Helper()
			got, err := DecidedAbove(db.DB, village, plugin)
			if err != nil {
				t.Fatal(err)
			}
			from, on := "", false
			if got != nil {
				from, on = got.Tenant, got.Enabled
			}
			if from != wantFrom || on != wantOn {
				t.Errorf("%s: DecidedAbove = %q %v, want %q %v", step, from, on, wantFrom, wantOn)
			}
			table, err := NewTable(db)
			if err != nil {
				t.Fatal(err)
			}
			if res := table.Above(village, plugin); res.From != wantFrom || res.Enabled != wantOn {
				t.Errorf("%s: Table.Above = %+v, want %q %v", step, res, wantFrom, wantOn)
			}
		}
		set(village, "evaluation", false)
		set("14.05", "evaluation", true)
		set("14.01", "bumdes", true)
		check("only the village itself and others decided", "evaluation", "", false)
		set("14.01", "evaluation", true)
		check("the regency switched it on", "evaluation", "14.01", true)
		set("14.01.01", "evaluation", false)
		check("the district switched it off below the regency", "evaluation", "14.01.01", false)
		check("another plugin", "bumdes", "14.01", true)
		if got, err := DecidedAbove(db.DB, "14", "evaluation"); err != nil || got != nil {
			t.Errorf("a province has no tenant above: %v %v", got, err)
		}
	})
}
