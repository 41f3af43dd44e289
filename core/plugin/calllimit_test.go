package plugin

import (
	"testing"

	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// A plugin calling another acts with its own permissions and those it
// declares in uses, and never more than every plugin before it on the
// chain was allowed.
func TestCallLimit(t *testing.T) {
	rt := &Runtime{byID: map[string]*Instance{}}
	for id, uses := range map[string][]string{
		"services":   {"population.residents.read"},
		"population": nil,
		"portal":     {"services.requests.read", "population.residents.read_personal"},
	} {
		rt.byID[id] = &Instance{manifest: &pb.Manifest{Id: id, Uses: uses}}
	}
	servicesForUser := rt.callLimit(&scopeEntry{plugin: "services"})
	servicesForPortal := rt.callLimit(&scopeEntry{plugin: "services", may: rt.callLimit(&scopeEntry{plugin: "portal"})})
	unknown := rt.callLimit(&scopeEntry{plugin: "gone"})
	cases := []struct {
		name  string
		limit func(string) bool
		perm  string
		want  bool
	}{
		{"declared", servicesForUser, "population.residents.read", true},
		{"undeclared, though the user may hold it", servicesForUser, "population.residents.read_personal", false},
		{"its own permission", servicesForUser, "services.requests.read", true},
		{"a look-alike plugin's", servicesForUser, "services_x.requests.read", false},
		{"declared by services but not by portal before it", servicesForPortal, "population.residents.read", false},
		{"declared by portal but not by services", servicesForPortal, "population.residents.read_personal", false},
		{"services' own, which portal declared", servicesForPortal, "services.requests.read", true},
		{"services' own, which portal did not declare", servicesForPortal, "services.requests.write", false},
		{"a plugin no longer loaded declares nothing", unknown, "population.residents.read", false},
	}
	for _, c := range cases {
		if got := c.limit(c.perm); got != c.want {
			t.Errorf("%s: %s allowed %v, want %v", c.name, c.perm, got, c.want)
		}
	}
	if !(&call{}).mayUse("anything.at.all") {
		t.Error("a user's own request was limited")
	}
}
