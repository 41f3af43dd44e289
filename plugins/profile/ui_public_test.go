package main

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk/sdktest"
)

// The profile's card on a village's public home: the head, the office's
// contacts, the map position as a geo: link (no map from another host),
// and the way to the whole profile; above a village, the way to every
// village's profile.
func TestPublicProfileSummary(t *testing.T) { sdktest.Each(t, &plugin, testPublicProfileSummary) }

func testPublicProfileSummary(t *testing.T, h *sdktest.Host) {
	h.Tenant(villageA)
	h.Enable("14.01")
	op := h.User("op-a", "operator", villageA)
	form := url.Values{"version": {"0"}, "head": {"H. Ahmad <Kades>"}, "address": {"Jl. Lintas Timur 1"}, "contact.phone": {"0762-123"},
		"coordinates.latitude": {"0.3376"}, "coordinates.longitude": {"101.0253"}}
	// Ten officials: the card lists the first eight.
	for i := range 10 {
		form.Set("officials."+strconv.Itoa(i)+".name", "Pejabat "+strconv.Itoa(i+1))
		form.Set("officials."+strconv.Itoa(i)+".position", "Kaur "+strconv.Itoa(i+1))
	}
	if res := op.PostForm(villageA, "/edit", form); res.Status != 303 {
		t.Fatalf("saving the profile: %d\n%s", res.Status, res.HTML)
	}
	ws := h.PublicWidgets(villageA)
	if len(ws) != 1 || ws[0].Plugin != "profile" || ws[0].Title != "Profil Desa" {
		t.Fatalf("public widgets: %+v", ws)
	}
	got := string(ws[0].HTML)
	for _, want := range []string{"H. Ahmad &lt;Kades&gt;", "Jl. Lintas Timur 1", "0762-123", `href="geo:0.3376,101.0253"`,
		`href="/` + villageA + `/profile/"`, "Perangkat desa", "<li>Kaur 1: Pejabat 1</li>", "<li>Kaur 8: Pejabat 8</li><li>…</li>"} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Pejabat 9") || len(got) > 4<<10 {
		t.Errorf("the card lists more than eight officials, or weighs %d bytes:\n%s", len(got), got)
	}
	if strings.Contains(got, "Surel") {
		t.Errorf("an empty e-mail is shown:\n%s", got)
	}
	ws = h.PublicWidgets("14.01")
	if len(ws) != 1 || !strings.Contains(string(ws[0].HTML), `href="/14.01/profile/"`) {
		t.Errorf("the regency's card: %+v", ws)
	}
}
