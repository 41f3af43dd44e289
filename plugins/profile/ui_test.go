package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk/sdktest"
)

func has(t *testing.T, what, html string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(html, w) {
			t.Errorf("%s: missing %q in\n%s", what, w, html)
		}
	}
}

// The profile form, requested as the host's web layer requests it: the
// API's 422 beside each field at fault with the values kept, a stale
// version refused, a good profile saved and shown on the public page.
func TestProfileScreens(t *testing.T) { sdktest.Each(t, &plugin, testProfileScreens) }

func testProfileScreens(t *testing.T, h *sdktest.Host) {
	h.Tenant(villageA)
	h.Tenant(villageB)
	h.Enable("14.01")
	op := h.User("op-a", "operator", villageA)
	viewer := h.User("viewer-a", "viewer", villageA)
	anon := h.Anonymous()
	base := "/console/" + villageA + "/m/profile"

	res := op.GetPage(villageA, "/edit")
	if res.Status != http.StatusOK || !res.Fragment {
		t.Fatalf("form: %d\n%s", res.Status, res.HTML)
	}
	has(t, "form", res.HTML, `action="`+base+`/edit"`, `name="version" value="0"`, `<label for="f-head">`, `<label for="f-boundaries-north">`,
		`name="officials.0.name"`, `name="officials.2.position"`, `name="csrf_token" value="`+sdktest.CSRFToken+`"`)

	// Several problems: each beside its field, in Indonesian; values kept.
	bad := url.Values{"version": {"0"}, "head": {"H. <Ahmad>"}, "contact.email": {"not-an-email"}, "area_km2": {"-3"},
		"coordinates.latitude": {"0,3376"}, "officials.0.name": {"Siti"}, "officials.1.position": {"Bendahara"}}
	res = op.PostForm(villageA, "/edit", bad)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad profile: %d\n%s", res.Status, res.HTML)
	}
	has(t, "bad profile", res.HTML,
		`<p class="b-field-error" id="f-contact-email-error">Alamat surel seperti kantor@kumantan.desa.id.</p>`,
		`id="f-area_km2-error"`, `id="f-coordinates-latitude-error"`, `id="f-officials-0-position-error"`, `id="f-officials-1-name-error"`,
		`value="H. &lt;Ahmad&gt;"`, `value="not-an-email"`, `value="Bendahara"`, `aria-invalid="true"`)
	if strings.Contains(res.HTML, `id="f-head-error"`) {
		t.Errorf("the head is fine but marked:\n%s", res.HTML)
	}
	// Not a number: the form's own check, the same field.
	if res := op.PostForm(villageA, "/edit", url.Values{"version": {"0"}, "area_km2": {"luas"}}); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.HTML, `id="f-area_km2-error"`) {
		t.Errorf("area not a number: %d\n%s", res.Status, res.HTML)
	}

	good := url.Values{"version": {"0"}, "head": {"H. Ahmad"}, "area_km2": {"12,5"}, "boundaries.north": {"Desa Kampung Panjang"},
		"coordinates.latitude": {"0.3376"}, "coordinates.longitude": {"101.0257"}, "vision": {"Desa maju"}, "mission": {"Membangun jalan\n\nMembina UMKM"},
		"officials.0.position": {"Sekretaris Desa"}, "officials.0.name": {"Siti"}, "officials.2.position": {"Bendahara"}, "officials.2.name": {"Rina"},
		"potential": {"Kebun nenas"}}
	res = op.PostForm(villageA, "/edit", good)
	if res.Status != http.StatusSeeOther || res.Location != base+"/edit" || res.Flash != "Profil desa disimpan." {
		t.Fatalf("save: %d %q %q\n%s", res.Status, res.Location, res.Flash, res.HTML)
	}
	var v View
	anon.Get(villageA, "").JSON(&v)
	if v.Version != 1 || v.Head != "H. Ahmad" || *v.AreaKm2 != 12.5 || len(v.Mission) != 2 || len(v.Officials) != 2 || v.Officials[1].Name != "Rina" {
		t.Errorf("saved by the screen: %+v", v)
	}
	// The same form again (version 0): someone saved meanwhile.
	res = op.PostForm(villageA, "/edit", good)
	if res.Status != http.StatusConflict || !strings.Contains(res.HTML, "Profil sudah diubah orang lain") || !strings.Contains(res.HTML, `value="Rina"`) {
		t.Errorf("stale version: %d\n%s", res.Status, res.HTML)
	}
	res = op.GetPage(villageA, "/edit")
	has(t, "form after saving", res.HTML, `name="version" value="1"`, `value="12.5"`, "Membangun jalan\nMembina UMKM", `name="officials.4.name"`)

	// Permission: the viewer neither sees nor posts the form.
	if res := viewer.GetPage(villageA, "/edit"); res.Status != http.StatusForbidden {
		t.Errorf("viewer's form: %d", res.Status)
	}
	if res := viewer.PostForm(villageA, "/edit", good); res.Status != http.StatusForbidden {
		t.Errorf("viewer's post: %d", res.Status)
	}
	if menu := h.Menu(villageA, "op-a"); len(menu) != 1 || menu[0].Label != "Profil Desa" {
		t.Errorf("menu = %+v", menu)
	}

	// The public page.
	res = anon.PublicPage("GET", villageA, "/", nil)
	if res.Status != http.StatusOK || !res.Fragment || !strings.HasPrefix(res.Title, "Profil Desa ") {
		t.Fatalf("public page: %d %q\n%s", res.Status, res.Title, res.HTML)
	}
	has(t, "public page", res.HTML, "H. Ahmad", "12,5", "<li>Membina UMKM</li>", "<td>Bendahara</td><td>Rina</td>", "Desa Kampung Panjang", "0.3376, 101.0257")
	// Above a village: its villages, each linked to its profile.
	res = anon.PublicPage("GET", "14.01", "/?q=", nil)
	if res.Status != http.StatusOK || res.Title != "Desa-desa" {
		t.Fatalf("regency's villages: %d %q\n%s", res.Status, res.Title, res.HTML)
	}
	has(t, "villages", res.HTML, `<a href="/`+villageA+`/profile/">`, "<td>H. Ahmad</td>", `name="q"`)
	anon.Lang = "en"
	if res := anon.PublicPage("GET", villageB, "/", nil); !strings.HasPrefix(res.Title, "Village profile") {
		t.Errorf("English title %q", res.Title)
	}
}
