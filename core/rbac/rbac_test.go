package rbac_test

import (
	"fmt"
	"io"
	"log/slog"
	"testing"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/host"
	"github.com/balaidesa/balai/core/rbac"
	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
)

func authorizer(t testing.TB, db *store.DB, reg *rbac.Registry) *rbac.Authorizer {
	t.Helper()
	if err := db.Migrate(host.Migrations()); err != nil {
		t.Fatal(err)
	}
	if reg == nil {
		reg = rbac.NewRegistry()
	}
	a, err := rbac.New(db, reg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func grant(t testing.TB, db *store.DB, a *rbac.Authorizer, tenant, user string, roles ...string) {
	t.Helper()
	if err := db.Transaction(func(tx *gorm.DB) error { return rbac.SetRoles(tx, tenant, user, roles) }); err != nil {
		t.Fatal(err)
	}
	if err := a.Reload(); err != nil {
		t.Fatal(err)
	}
}

func TestCanFollowsTheTree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		reg := rbac.NewRegistry()
		reg.Add("population", rbac.Permission{Name: "population.residents.read", Roles: []string{"viewer", "operator"}},
			rbac.Permission{Name: "population.residents.write", Roles: []string{"operator"}})
		a := authorizer(t, db, reg)
		grant(t, db, a, "14.01", "kampar", "admin")
		grant(t, db, a, "14.01.01.2009", "op", "operator")
		grant(t, db, a, "14.01.01", "viewer", "viewer")
		grant(t, db, a, rbac.Global, "root", "superadmin")
		// A user named like a role gets nothing from the name.
		grant(t, db, a, "14.05", "someone", "viewer")
		tests := []struct {
			user, tenant, perm string
			want               bool
		}{
			{"kampar", "14.01", "users.write", true},
			{"kampar", "14.01.01.2009", "population.residents.write", true},
			{"kampar", "14.05.01.2001", "tenants.read", false},
			{"kampar", "14", "tenants.write", false},
			{"kampar", rbac.Global, "plugins.read", false},
			{"op", "14.01.01.2009", "population.residents.write", true},
			{"op", "14.01.01.2009", "population.residents.read", true},
			{"op", "14.01.01.2009", "users.write", false},
			{"op", "14.01.01.2010", "population.residents.read", false},
			{"op", "14.01.01", "population.residents.read", false},
			{"viewer", "14.01.01.2010", "population.residents.read", true},
			{"viewer", "14.01.01.2010", "population.residents.write", false},
			{"viewer", "14.01.02.2001", "population.residents.read", false},
			{"root", "14.05.01.2001", "anything.at.all", true},
			{"root", rbac.Global, "plugins.read", true},
			{"admin", "14.01", "tenants.read", false},
			{"superadmin", "14.01", "tenants.read", false},
			{"nobody", "14.01", "tenants.read", false},
		}
		for _, tt := range tests {
			if got := a.Can(tt.user, tt.tenant, tt.perm); got != tt.want {
				t.Errorf("Can(%s, %s, %s) = %v, want %v", tt.user, tt.tenant, tt.perm, got, tt.want)
			}
		}
		scopes, err := a.Scopes(db.DB, "kampar", "tenants.read")
		if err != nil || fmt.Sprint(scopes) != "[14.01]" {
			t.Errorf("Scopes = %v %v", scopes, err)
		}
		grant(t, db, a, "14.01.01.2009", "kampar", "viewer") // nested in 14.01: collapsed
		if scopes, _ := a.Scopes(db.DB, "kampar", "tenants.read"); fmt.Sprint(scopes) != "[14.01]" {
			t.Errorf("nested scopes not collapsed: %v", scopes)
		}
	})
}

func TestCustomRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		reg := rbac.NewRegistry()
		reg.Add("population", rbac.Permission{Name: "population.residents.read"}, rbac.Permission{Name: "population.residents.read_personal"})
		a := authorizer(t, db, reg)
		bad := []struct {
			name  string
			perms []string
			code  string
		}{
			{"admin", []string{"tenants.read"}, "role_exists"},
			{"Bad Name", []string{"tenants.read"}, "invalid_role_name"},
			{"empty", nil, "invalid_permissions"},
			{"ghost", []string{"ghost.things.read"}, "unknown_permission"},
			{"ghostly", []string{"ghost.*"}, "unknown_permission"},
		}
		for _, b := range bad {
			err := db.Transaction(func(tx *gorm.DB) error {
				_, err := a.CreateRole(tx, b.name, "", "test", rbac.Global, b.perms)
				return err
			})
			if code(err) != b.code {
				t.Errorf("CreateRole(%s) = %v, want %s", b.name, err, b.code)
			}
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			_, err := a.CreateRole(tx, "pendata", "census takers", "test", rbac.Global, []string{"population.*", "tenants.read"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		a.Reload()
		grant(t, db, a, "14.01.01.2009", "kader", "pendata")
		if !a.Can("kader", "14.01.01.2009", "population.residents.read_personal") || a.Can("kader", "14.01.01.2009", "users.read") {
			t.Error("a wildcard role grants the wrong permissions")
		}
		if err := db.Transaction(func(tx *gorm.DB) error { return a.DeleteRole(tx, "pendata") }); code(err) != "role_in_use" {
			t.Errorf("deleting a held role: %v", err)
		}
		if err := a.CanGrant(db.DB, "kader", rbac.Limit{}, "14.01.01.2009", "operator"); code(err) != "forbidden" {
			t.Errorf("CanGrant without members.write: %v", err)
		}
		grant(t, db, a, "14.01", "boss", "admin")
		if err := a.CanGrant(db.DB, "boss", rbac.Limit{}, "14.01.01.2009", "pendata"); err != nil {
			t.Errorf("an admin granting a custom role below it: %v", err)
		}
		if err := a.CanGrant(db.DB, "boss", rbac.Limit{}, "14.01", "superadmin"); code(err) != "invalid_grant" {
			t.Errorf("superadmin in a tenant: %v", err)
		}
		if err := a.CanGrant(db.DB, "boss", rbac.Limit{}, rbac.Global, "viewer"); code(err) != "forbidden" {
			t.Errorf("an admin granting deployment-wide: %v", err)
		}
	})
}

// code is the apierr code of err, or its text when it is not one.
func code(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := apierr.As(err); ok {
		return e.Code
	}
	return err.Error()
}

// A plugin cannot redeclare the host's permissions nor another plugin's,
// and removing a plugin forgets its own only.
func TestRegistryOwnership(t *testing.T) {
	tests := []struct {
		name, plugin, perm string
		wantErr            bool
	}{
		{"own permission", "population", "population.residents.read", false},
		{"the host's users.write", "users", "users.write", true},
		{"the host's audit.read", "audit", "audit.read", true},
		{"another plugin's", "population_verify", "population.residents.read", true},
		{"a new one of its own", "posyandu", "posyandu.visits.read", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := rbac.NewRegistry()
			if err := reg.Add("population", rbac.Permission{Name: "population.residents.read"}); err != nil {
				t.Fatal(err)
			}
			err := reg.Add(tt.plugin, rbac.Permission{Name: tt.perm, Roles: []string{"viewer"}})
			if (err != nil) != tt.wantErr {
				t.Fatalf("Add(%s, %s) = %v, want error %v", tt.plugin, tt.perm, err, tt.wantErr)
			}
			reg.Remove(tt.plugin)
			for _, kept := range []string{"users.write", "audit.read"} {
				if !reg.Known(kept) {
					t.Errorf("removing %s forgot the host's %s", tt.plugin, kept)
				}
			}
			if tt.plugin != "population" && !reg.Known("population.residents.read") {
				t.Errorf("removing %s forgot population's permission", tt.plugin)
			}
		})
	}
}

// Answers are remembered, but a change of grants takes effect with the
// reload that follows it: a revoked operator is refused at once, and a new
// grant is honoured at once, with the same questions asked before.
func TestRememberedAnswersEndWithTheirPolicy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		reg := rbac.NewRegistry()
		reg.Add("population", rbac.Permission{Name: "population.residents.write", Roles: []string{"operator"}})
		a := authorizer(t, db, reg)
		const village, perm = "14.01.01.2009", "population.residents.write"
		grant(t, db, a, village, "op", "operator")
		for i := 0; i < 3; i++ {
			if !a.Can("op", village, perm) || a.Can("newcomer", village, perm) {
				t.Fatalf("before the change: op %v, newcomer %v", a.Can("op", village, perm), a.Can("newcomer", village, perm))
			}
		}
		grant(t, db, a, village, "op")
		grant(t, db, a, "14.01.01", "newcomer", "operator")
		if a.Can("op", village, perm) {
			t.Error("a revoked operator is still allowed")
		}
		if !a.Can("newcomer", village, perm) {
			t.Error("a new grant is not honoured")
		}
	})
}
