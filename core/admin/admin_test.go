package admin_test

import (
	"testing"

	"github.com/balaidesa/balai/core/admin"
)

func TestOwns(t *testing.T) {
	tests := []struct {
		name   string
		scopes []string
		home   string
		grants []string
		want   bool
	}{
		{"superadmin owns everyone", []string{"*"}, "", []string{"14.05"}, true},
		{"no home: only the superadmins", []string{"14.01.01"}, "", []string{"14.01.01.2009"}, false},
		{"no home and no grants: only the superadmins", []string{"14.01"}, "", nil, false},
		{"home and grants inside", []string{"14.01.01"}, "14.01.01", []string{"14.01.01.2009", "14.01.01.2010"}, true},
		{"home inside, no grants", []string{"14.01"}, "14.01.01", nil, true},
		{"home above the admin", []string{"14.01.01"}, "14.01", nil, false},
		{"a grant outside: the takeover", []string{"14.01.01"}, "14.01.01", []string{"14.01.01.2009", "14.05"}, false},
		{"home elsewhere", []string{"14.01.01"}, "14.05.01", []string{"14.01.01.2009"}, false},
		{"a global grant", []string{"14.01"}, "14.01.01", []string{"*"}, false},
		{"two scopes, each holding part", []string{"14.01.01", "14.05"}, "14.01.01", []string{"14.05"}, false},
		{"two scopes, one holding all", []string{"14.05", "14.01"}, "14.01.01", []string{"14.01.02.2001"}, true},
		{"prefix is not a parent", []string{"14.01.01"}, "14.01.011", nil, false},
		{"no scopes", nil, "14.01", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := admin.Owns(tt.scopes, tt.home, tt.grants); got != tt.want {
				t.Errorf("Owns(%v, %q, %v) = %v, want %v", tt.scopes, tt.home, tt.grants, got, tt.want)
			}
		})
	}
}

func TestSees(t *testing.T) {
	tests := []struct {
		name   string
		scopes []string
		home   string
		grants []string
		want   bool
	}{
		{"superadmin sees everyone", []string{"*"}, "", nil, true},
		{"by home", []string{"14.01"}, "14.01.01", nil, true},
		{"by one grant", []string{"14.01"}, "", []string{"14.05", "14.01.02.2001"}, true},
		{"neither", []string{"14.01"}, "14.05", []string{"14.05.01.2001"}, false},
		{"the superadmins' user without grants", []string{"14.01"}, "", nil, false},
		{"a global grant is not inside a tenant", []string{"14.01"}, "", []string{"*"}, false},
		{"no scopes", nil, "14.01", []string{"14.01"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := admin.Sees(tt.scopes, tt.home, tt.grants); got != tt.want {
				t.Errorf("Sees(%v, %q, %v) = %v, want %v", tt.scopes, tt.home, tt.grants, got, tt.want)
			}
		})
	}
}
