package rbac_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/rbac"
	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/tenancy"
	"github.com/balaidesa/balai/core/tenancy/regions"
)

// district builds Kampar's policy: 250 villages, 1,000 users (operators and
// viewers of villages, sub-district viewers and admins, district admins) and
// twelve modules' worth of permissions.
func district(b *testing.B) (*rbac.Authorizer, *store.DB, []string) {
	b.Helper()
	db, err := store.Open(store.Options{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	reg := rbac.NewRegistry()
	for _, m := range []string{"population", "profile", "services", "marketplace", "development", "disaster", "agenda", "website", "finance", "complaints", "bumdes", "evaluation"} {
		reg.Add(m, rbac.Permission{Name: m + ".records.read", Roles: []string{"viewer", "operator"}},
			rbac.Permission{Name: m + ".records.write", Roles: []string{"operator"}},
			rbac.Permission{Name: m + ".records.read_personal"})
	}
	a := authorizer(b, db, reg)
	f, err := regions.Open()
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if _, err := tenancy.Import(db.DB, f, []string{"14.01"}, nil); err != nil {
		b.Fatal(err)
	}
	var villages, districts []string
	db.Model(&tenancy.Tenant{}).Where("level = ?", "village").Order("code").Pluck("code", &villages)
	db.Model(&tenancy.Tenant{}).Where("level = ?", "district").Order("code").Pluck("code", &districts)
	rng := rand.New(rand.NewPCG(1, 2))
	err = db.Transaction(func(tx *gorm.DB) error {
		for i := 0; i < 1000; i++ {
			user := fmt.Sprintf("user%04d", i)
			tenant, role := villages[rng.IntN(len(villages))], "operator"
			switch {
			case i < 20:
				tenant, role = "14.01", "admin"
			case i < 100:
				tenant, role = districts[rng.IntN(len(districts))], []string{"viewer", "admin"}[i%2]
			case i%3 == 0:
				role = "viewer"
			}
			if err := rbac.SetRoles(tx, tenant, user, []string{role}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := a.Reload(); err != nil {
		b.Fatal(err)
	}
	return a, db, villages
}

func BenchmarkCan(b *testing.B) {
	a, db, villages := district(b)
	grants, err := rbac.Grants(db.DB, "user0998") // a village operator
	if err != nil || len(grants) != 1 {
		b.Fatalf("grants of user0998: %v %v", grants, err)
	}
	home := grants[0].Tenant
	neighbour := villages[0]
	if neighbour == home {
		neighbour = villages[1]
	}
	cases := []struct {
		name, user, tenant, perm string
		want                     bool
	}{
		{"operator in own village", "user0998", home, "population.records.write", true},
		{"operator in another village", "user0998", neighbour, "population.records.read", false},
		{"district admin in a village", "user0001", villages[100], "population.records.read_personal", true},
		{"no grant", "nobody", villages[5], "population.records.read", false},
	}
	for _, c := range cases {
		if got := a.Can(c.user, c.tenant, c.perm); got != c.want {
			b.Fatalf("%s: Can = %v, want %v", c.name, got, c.want)
		}
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				a.Can(c.user, c.tenant, c.perm)
			}
		})
	}
	// Cold: every check a different village and user, as after a reload.
	b.Run("cold across 1000 users", func(b *testing.B) {
		i := 0
		for b.Loop() {
			a.Can(fmt.Sprintf("user%04d", i%1000), villages[i%len(villages)], "population.records.read")
			i++
		}
	})
	b.Run("reload policy", func(b *testing.B) {
		for b.Loop() {
			if err := a.Reload(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
