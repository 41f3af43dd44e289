package main

import (
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk/sdktest"
)

// TestPublicSummary: the public widget counts a village's living residents
// for anyone, by sex only when no cell is small enough to point at a
// person; a district above it is split by sex.
func TestPublicSummary(t *testing.T) { sdktest.Each(t, &plugin, testPublicSummary) }

func testPublicSummary(t *testing.T, h *sdktest.Host) {
	newFamily(t, h) // 2 men and a woman in villageA
	one := func(tenant string) string {
		t.Helper()
		ws := h.PublicWidgets(tenant)
		if len(ws) != 1 || ws[0].Plugin != "population" || ws[0].Title != "Penduduk" {
			t.Fatalf("public widgets of %s = %+v", tenant, ws)
		}
		return string(ws[0].HTML)
	}
	cases := []struct {
		tenant    string
		want, not []string
	}{
		{villageA, []string{`id="population-total" data-count="3"`}, []string{"population-male", "population-female"}},
		{"14.01.01", []string{`id="population-total" data-count="3"`, `id="population-male" data-count="2"`, `id="population-female" data-count="1"`, "Laki-laki"}, nil},
		{villageB, []string{`id="population-total" data-count="0"`}, nil},
	}
	for _, c := range cases {
		got := one(c.tenant)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: summary lacks %q:\n%s", c.tenant, w, got)
			}
		}
		for _, n := range c.not {
			if strings.Contains(got, n) {
				t.Errorf("%s: summary shows %q (a small count):\n%s", c.tenant, n, got)
			}
		}
	}
	if got := groupThousands(1234567); got != "1.234.567" {
		t.Errorf("groupThousands = %q", got)
	}
}
