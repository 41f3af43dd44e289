package modules

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/tenancy"
)

// Nearest returns the tenants where plugin is enabled that lie nearest to
// tenant in the region tree (most code segments in common; below tenant
// before beside it), sorted by code, and how many tenants have it enabled
// by an explicit setting in all. The candidates are the explicit "enabled"
// settings (each holds at its own tenant whatever is set above it); the
// tenants that inherit from one are found through it.
func (t *Table) Nearest(tenant, plugin string) (nearest []string, total int) {
	m := *t.m.Load()
	best := -1
	for code, ps := range m {
		if on, ok := ps[plugin]; !ok || !on {
			continue
		}
		total++
		d := closeness(tenant, code)
		switch {
		case d > best:
			best, nearest = d, []string{code}
		case d == best:
			nearest = append(nearest, code)
		}
	}
	sort.Strings(nearest)
	return nearest, total
}

// closeness ranks code's distance from tenant: the segments they share,
// times two, plus one when code lies below tenant (a regency's villages are
// nearer to it than its neighbouring regency's).
func closeness(tenant, code string) int {
	a, b := strings.Split(tenant, "."), strings.Split(code, ".")
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	score := 2 * n
	if tenancy.Within(code, tenant) {
		score++
	}
	return score
}

// NotEnabled is the documented 404 module_not_enabled for a call to
// plugin in tenant, with what a newcomer needs to act on it: whether a
// tenant above switched the module off, where it is enabled nearest (or
// that it is enabled nowhere), and the CLI command and API call that
// enable it here.
func (t *Table) NotEnabled(tenant, plugin string) *apierr.Error {
	var b strings.Builder
	fmt.Fprintf(&b, "module %s is not enabled for tenant %s", plugin, tenant)
	if r := t.Resolve(tenant, plugin); r.From != "" && !r.Enabled {
		if r.From == tenant {
			b.WriteString(" (it is switched off here)")
		} else {
			fmt.Fprintf(&b, " (it is switched off at %s, above it)", r.From)
		}
	}
	nearest, total := t.Nearest(tenant, plugin)
	switch {
	case total == 0:
		b.WriteString("; it is enabled for no tenant yet")
	case len(nearest) == 1 && total == 1:
		fmt.Fprintf(&b, "; it is enabled only at %s", nearest[0])
	default:
		shown := nearest
		if len(shown) > 3 {
			shown = shown[:3]
		}
		fmt.Fprintf(&b, "; it is enabled nearest at %s", strings.Join(shown, ", "))
		if more := len(nearest) - len(shown); more > 0 {
			fmt.Fprintf(&b, " and %d more", more)
		}
		fmt.Fprintf(&b, " (%d tenants enable it)", total)
	}
	fmt.Fprintf(&b, `. To enable it for %[1]s and every tenant below: balai plugin enable %[2]s --tenant %[1]s, or PUT /api/v1/tenants/%[1]s/modules/%[2]s {"enabled":true}`, tenant, plugin)
	return &apierr.Error{Status: http.StatusNotFound, Code: "module_not_enabled", Message: b.String()}
}
