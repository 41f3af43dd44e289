package rbac_test

import (
	"testing"

	"github.com/balaidesa/balai/core/rbac"
)

func TestLimitAllows(t *testing.T) {
	village := rbac.Limit{Tenant: "14.01.01.2009"}
	reads := rbac.Limit{Permissions: []string{"hello.notes.read", "population.*"}}
	both := rbac.Limit{Tenant: "14.01", Permissions: []string{"tenants.read"}}
	tests := []struct {
		name         string
		l            rbac.Limit
		tenant, perm string
		want         bool
	}{
		{"no limit", rbac.Limit{}, "*", "users.write", true},
		{"its tenant", village, "14.01.01.2009", "hello.notes.write", true},
		{"a neighbour", village, "14.01.01.2010", "hello.notes.read", false},
		{"above it", village, "14.01.01", "hello.notes.read", false},
		{"the whole deployment", village, "*", "hello.notes.read", false},
		{"a listed permission", reads, "14.05", "hello.notes.read", true},
		{"another permission", reads, "14.05", "hello.notes.write", false},
		{"a pattern", reads, "14.05", "population.residents.read", true},
		{"a pattern is not a prefix", reads, "14.05", "populationx.read", false},
		{"both, inside", both, "14.01.02.2001", "tenants.read", true},
		{"both, wrong permission", both, "14.01", "tenants.write", false},
		{"both, outside", both, "14.05", "tenants.read", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.l.Allows(tt.tenant, tt.perm); got != tt.want {
				t.Errorf("%+v.Allows(%s, %s) = %v, want %v", tt.l, tt.tenant, tt.perm, got, tt.want)
			}
		})
	}
}

func TestRoleUsableAndVisible(t *testing.T) {
	owned := rbac.Role{Name: "kader", Tenant: "14.01.01"}
	global := rbac.Role{Name: "auditor", Tenant: rbac.Global}
	tests := []struct {
		name   string
		r      rbac.Role
		tenant string
		scopes []string
		usable bool
		seen   bool
	}{
		{"owned, in its tenant", owned, "14.01.01", []string{"14.01.01"}, true, true},
		{"owned, below, seen from above", owned, "14.01.01.2009", []string{"14.01"}, true, true},
		{"owned, seen from a village inside", owned, "14.01.01.2009", []string{"14.01.01.2009"}, true, true},
		{"owned, elsewhere", owned, "14.01.02", []string{"14.05"}, false, false},
		{"owned, for the whole deployment", owned, "*", []string{"*"}, false, true},
		{"global, anywhere", global, "14.05.01.2001", []string{"14.05.01.2001"}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.UsableIn(tt.tenant); got != tt.usable {
				t.Errorf("UsableIn(%s) = %v", tt.tenant, got)
			}
			if got := tt.r.VisibleFrom(tt.scopes); got != tt.seen {
				t.Errorf("VisibleFrom(%v) = %v", tt.scopes, got)
			}
		})
	}
}
