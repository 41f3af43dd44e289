package e2e

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/storetest"
)

// Issue 13 item 6, "forms that work without JavaScript", for the letters:
// a citizen's request posted as a plain form through the real server
// lands on its tracking page, and the village's admin uploads, replaces
// and removes the letterhead's emblem with plain multipart forms and the
// confirmation page a browser without script gets.
func TestServicesScreensWithoutScript(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := servicesWorld(t, b)

		// The citizen.
		citizen := newConsoleClient(t, w.h)
		form := "/" + villageA + "/services/request"
		st, body, _ := citizen.do("GET", form+"?type=domisili", nil)
		if st != http.StatusOK || !strings.Contains(body, `name="mother_name"`) {
			t.Fatalf("the request form: %d %s", st, body)
		}
		checkPublic(t, "request form", body)
		st, body, hdr := citizen.do("POST", form, url.Values{"type": {"domisili"}, "nik": {budi["nik"]}, "kk": {budi["kk"]},
			"mother_name": {budi["mother_name"]}, "purpose": {"Melamar pekerjaan"}})
		track := hdr.Get("Location")
		if st != http.StatusSeeOther || !strings.HasPrefix(track, "/"+villageA+"/services/track/") {
			t.Fatalf("posting the request: %d %q %s", st, track, body)
		}
		st, body, _ = citizen.do("GET", track, nil)
		if st != http.StatusOK || !strings.Contains(body, strings.TrimPrefix(track, "/"+villageA+"/services/track/")) || !strings.Contains(body, "Menunggu") {
			t.Errorf("the tracking page: %d %s", st, body)
		}
		checkPublic(t, "tracking page", body)

		// The village's admin and the emblem.
		admin := newConsoleClient(t, w.h)
		admin.do("GET", "/login", nil)
		if st, body, _ := admin.do("POST", "/login", url.Values{"username": {"admin"}, "password": {AdminPassword}}); st != http.StatusSeeOther {
			t.Fatalf("login: %d %s", st, body)
		}
		settings := "/console/" + villageA + "/m/services/settings"
		if _, body, _ := admin.do("GET", settings, nil); !strings.Contains(body, "Belum ada lambang") || !strings.Contains(body, `enctype="multipart/form-data"`) {
			t.Fatalf("the settings page without an emblem: %s", body)
		}
		var gf bytes.Buffer
		gif.Encode(&gf, image.NewPaletted(image.Rect(0, 0, 100, 100), []color.Color{color.White, color.Black}), nil)
		if st, hdr := admin.upload(settings+"/emblem", "emblem", "lambang.gif", gf.Bytes()); st != http.StatusSeeOther || hdr.Get("Location") != settings {
			t.Fatalf("a GIF: %d %q", st, hdr.Get("Location"))
		}
		if _, body, _ := admin.do("GET", settings, nil); !strings.Contains(body, "Lambang harus berupa gambar PNG atau JPEG") || !strings.Contains(body, "Belum ada lambang") {
			t.Errorf("after a GIF: %s", body)
		}
		if st, _ := admin.upload(settings+"/emblem", "emblem", "lambang.png", emblemPNG(t, 200, 200, color.NRGBA{B: 200, A: 255})); st != http.StatusSeeOther {
			t.Fatalf("the emblem: %d", st)
		}
		_, body, _ = admin.do("GET", settings, nil)
		for _, want := range []string{"Lambang disimpan.", `id="emblem" src="/api/v1/t/` + villageA + `/services/settings/emblem?v=`, `id="preview-emblem"`, "Hapus lambang"} {
			if !strings.Contains(body, want) {
				t.Errorf("the settings page with an emblem lacks %q", want)
			}
		}
		// Removing it asks first (no script: a confirmation page).
		st, body, _ = admin.do("POST", settings+"/emblem/delete", url.Values{})
		if st != http.StatusOK || !strings.Contains(body, "Cetak surat tanpa lambang?") {
			t.Fatalf("removing without confirming: %d %s", st, body)
		}
		w.h.Anon().Do(t, "GET", p(villageA, "services", "/settings/emblem"), nil).Expect(200)
		if st, _, _ := admin.do("POST", settings+"/emblem/delete", url.Values{"confirmed": {"1"}}); st != http.StatusSeeOther {
			t.Fatalf("removing: %d", st)
		}
		if _, body, _ := admin.do("GET", settings, nil); !strings.Contains(body, "Lambang dihapus.") || !strings.Contains(body, "Belum ada lambang") {
			t.Errorf("after removing: %s", body)
		}
		w.h.Anon().Do(t, "GET", p(villageA, "services", "/settings/emblem"), nil).ExpectErr(404, "emblem_not_found")
		// An operator sees the letterhead but not the forms.
		op := newConsoleClient(t, w.h)
		op.do("GET", "/login", nil)
		op.do("POST", "/login", url.Values{"username": {"op-a"}, "password": {"op-a-password-1"}})
		if _, body, _ := op.do("GET", settings, nil); strings.Contains(body, "Unggah lambang") || !strings.Contains(body, "Lambang") {
			t.Errorf("an operator's settings page: %s", body)
		}
		if st, _ := op.upload(settings+"/emblem", "emblem", "lambang.png", emblemPNG(t, 200, 200, color.NRGBA{A: 255})); st != http.StatusForbidden {
			t.Errorf("an operator's upload: %d", st)
		}
	})
}
