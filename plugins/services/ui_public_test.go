package main

import (
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk/sdktest"
)

// The letters' card on a village's public home: every letter type a link
// to its request form, and the tracking page; above a village, a sentence
// sending the citizen to her village.
func TestPublicLettersSummary(t *testing.T) { sdktest.Each(t, &plugin, testPublicLettersSummary) }

func testPublicLettersSummary(t *testing.T, h *sdktest.Host) {
	h.Tenant(villageA)
	h.Enable("14.01")
	ws := h.PublicWidgets(villageA)
	if len(ws) != 1 || ws[0].Plugin != "services" || ws[0].Title != "Layanan Surat" {
		t.Fatalf("public widgets: %+v", ws)
	}
	got := string(ws[0].HTML)
	for _, lt := range letterTypes {
		if !strings.Contains(got, `href="/`+villageA+`/services/request?type=`+lt.Code+`"`) {
			t.Errorf("no request link for %s:\n%s", lt.Code, got)
		}
	}
	if !strings.Contains(got, `href="/`+villageA+`/services/track"`) {
		t.Errorf("no tracking link:\n%s", got)
	}
	ws = h.PublicWidgets("14.01")
	if len(ws) != 1 || !strings.Contains(string(ws[0].HTML), "halaman desa") || strings.Contains(string(ws[0].HTML), "/request") {
		t.Errorf("the regency's card: %+v", ws)
	}
}
