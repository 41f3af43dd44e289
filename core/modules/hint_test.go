package modules

import (
	"strings"
	"testing"
)

func table(settings map[string]map[string]bool) *Table {
	t := &Table{}
	t.m.Store(&settings)
	return t
}

func TestNotEnabled(t *testing.T) {
	cases := []struct {
		name     string
		settings map[string]map[string]bool
		tenant   string
		want     []string // substrings of the message
		not      []string
	}{
		{"nowhere", nil, "14.01", []string{"module profile is not enabled for tenant 14.01", "enabled for no tenant yet",
			"balai plugin enable profile --tenant 14.01", `PUT /api/v1/tenants/14.01/modules/profile {"enabled":true}`}, []string{"nearest"}},
		{"only below: the regency of a seeded district",
			map[string]map[string]bool{"14.01.01": {"profile": true}}, "14.01", []string{"enabled only at 14.01.01"}, nil},
		{"below before beside",
			map[string]map[string]bool{"14.01.02": {"profile": true}, "14.02": {"profile": true}, "14.01.01.2009": {"profile": true}},
			"14.01.01", []string{"enabled nearest at 14.01.01.2009 (3 tenants enable it)"}, []string{"14.02"}},
		{"sibling regencies tie, at most three named",
			map[string]map[string]bool{"14.02": {"profile": true}, "14.03": {"profile": true}, "14.04": {"profile": true}, "14.05": {"profile": true}, "31.71": {"profile": true}},
			"14.01", []string{"enabled nearest at 14.02, 14.03, 14.04 and 1 more (5 tenants enable it)"}, []string{"31.71"}},
		{"switched off above",
			map[string]map[string]bool{"14.01": {"profile": false}, "14.05": {"profile": true}}, "14.01.01",
			[]string{"switched off at 14.01, above it", "enabled only at 14.05"}, nil},
		{"switched off here",
			map[string]map[string]bool{"14.01": {"profile": true}, "14.01.01": {"profile": false}}, "14.01.01",
			[]string{"(it is switched off here)", "enabled only at 14.01"}, nil},
		{"another module's settings do not count",
			map[string]map[string]bool{"14.01": {"population": true}}, "14.01", []string{"enabled for no tenant yet"}, nil},
	}
	for _, c := range cases {
		e := table(c.settings).NotEnabled(c.tenant, "profile")
		if e.Status != 404 || e.Code != "module_not_enabled" {
			t.Errorf("%s: %d %s", c.name, e.Status, e.Code)
		}
		for _, w := range c.want {
			if !strings.Contains(e.Message, w) {
				t.Errorf("%s: %q does not say %q", c.name, e.Message, w)
			}
		}
		for _, w := range c.not {
			if strings.Contains(e.Message, w) {
				t.Errorf("%s: %q says %q", c.name, e.Message, w)
			}
		}
	}
}
