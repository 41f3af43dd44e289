package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk/sdktest"
)

// TestPages drives the console and citizens' screens through the plugin
// runtime as the host's web layer does (sdktest's Page), on SQLite and
// PostgreSQL: the menu and widget, permissions, refused forms shown again
// with their values, the template preview, settings saved, public pages.
// Screens of requests themselves need the population module: they are in
// e2e/services_pages_test.go and e2e/browser_services_test.go.
func TestPages(t *testing.T) { sdktest.Each(t, &plugin, testPages) }

func testPages(t *testing.T, h *sdktest.Host) {
	h.Tenant(villageA)
	h.Enable("14.01")
	admin := h.User("adm-a", "admin", villageA)
	op := h.User("op-a", "operator", villageA)
	viewer := h.User("viewer-a", "viewer", villageA)
	anon := h.Anonymous()

	menu := func(user string) string {
		var labels []string
		for _, m := range h.Menu(villageA, user) {
			labels = append(labels, m.Label)
		}
		return strings.Join(labels, ",")
	}
	for _, u := range []string{"op-a", "viewer-a"} {
		if got := menu(u); got != "Layanan Surat,Jenis Surat,Kop Surat" {
			t.Errorf("%s's menu %q", u, got)
		}
	}
	if ws := h.Widgets(villageA, "viewer-a"); len(ws) != 1 || !strings.Contains(string(ws[0].HTML), `data-count="0"`) {
		t.Errorf("waiting widget: %+v", ws)
	}

	settings := url.Values{"letterhead": {"PEMERINTAH KABUPATEN KAMPAR\nKECAMATAN BANGKINANG\nDESA KUMANTAN"}, "address": {"Jl. Prof. M. Yamin No. 1"},
		"signatory_name": {"H. Syamsuar"}, "signatory_nip": {"197001012000031001"}, "number_template": {"{seq:3}/{type_code}/{year}"},
		"paper": {"A4"}, "four_eyes": {"1"}}
	with := func(v url.Values, kv ...string) url.Values {
		out := url.Values{}
		for k, vs := range v {
			out[k] = vs
		}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	for _, c := range []struct {
		name   string
		c      *sdktest.Client
		method string
		path   string
		form   url.Values
		public bool
		status int
		want   []string // in the fragment (or the Location for a redirect)
		bad    []string // never in it
	}{
		{"empty queue", viewer, "GET", "/requests", nil, false, 200, []string{"Belum ada permohonan surat", `aria-current="page"`}, []string{"Permohonan baru"}},
		{"queue tab by state", op, "GET", "/requests?state=approved", nil, false, 200,
			[]string{`aria-current="page" href="/console/` + villageA + `/m/services/requests?state=approved"`, "Permohonan baru"}, nil},
		{"a bad state filter", op, "GET", "/requests?state=done", nil, false, 400, []string{"b-error"}, nil},
		{"viewer may not open the counter form", viewer, "GET", "/requests/new", nil, false, http.StatusForbidden, nil, nil},
		{"counter form asks the letter first", op, "GET", "/requests/new", nil, false, 200, []string{`href="/console/` + villageA + `/m/services/requests/new?type=usaha"`, "Surat Keterangan Usaha"}, []string{`name="nik"`}},
		{"counter form of a type", op, "GET", "/requests/new?type=usaha", nil, false, 200,
			[]string{`name="nik"`, `name="fields.business_name"`, `name="csrf_token" value="` + sdktest.CSRFToken + `"`}, nil},
		{"a short NIK is refused beside it, values kept", op, "POST", "/requests/new",
			url.Values{"type": {"usaha"}, "nik": {"140101"}, "purpose": {"Kredit usaha"}, "fields.business_name": {"Warung Siti"}}, false, 422,
			[]string{`id="f-nik-error"`, "NIK harus 16 angka", `value="Kredit usaha"`, `value="Warung Siti"`}, nil},
		{"a missing type field is refused beside it", op, "POST", "/requests/new",
			url.Values{"type": {"usaha"}, "nik": {"1401011503800001"}, "purpose": {"Kredit usaha"}}, false, 422,
			[]string{`id="f-fields-business_name-error"`, `value="1401011503800001"`}, nil},
		{"viewer may not post a request", viewer, "POST", "/requests/new", url.Values{"type": {"domisili"}}, false, http.StatusForbidden, nil, nil},
		{"an unknown request", op, "GET", "/requests/0190a1b2-0000-7000-8000-000000000000", nil, false, 404, []string{"Permohonan tidak ditemukan"}, nil},
		{"viewer may not approve", viewer, "POST", "/requests/0190a1b2-0000-7000-8000-000000000000/approve", url.Values{}, false, http.StatusForbidden, nil, nil},

		{"letter types", viewer, "GET", "/letter-types", nil, false, 200, []string{"Surat Keterangan Tidak Mampu", "Bawaan"}, nil},
		{"viewer reads a wording without a form", viewer, "GET", "/letter-types/sktm", nil, false, 200, []string{`id="preview"`, "SURAT KETERANGAN TIDAK MAMPU"}, []string{`name="body"`}},
		{"admin's wording form", admin, "GET", "/letter-types/sktm", nil, false, 200, []string{`name="body"`, `value="preview"`, "{income}"}, nil},
		{"preview with sample data", admin, "POST", "/letter-types/sktm", url.Values{"action": {"preview"}, "title": {"SKTM"}, "body": {"Keluarga {name} berpenghasilan {income}."}}, false, 200,
			[]string{`id="preview"`, "Keluarga BUDI SANTOSO berpenghasilan", "Keluarga {name} berpenghasilan {income}."}, nil},
		{"a preview of an unknown placeholder", admin, "POST", "/letter-types/sktm", url.Values{"action": {"preview"}, "body": {"Keluarga {nama}."}}, false, 422,
			[]string{"b-error", "nama", `Keluarga {nama}.`}, []string{`id="preview"`}},
		{"saving an unknown placeholder", admin, "POST", "/letter-types/sktm", url.Values{"body": {"Keluarga {nama}."}}, false, 422, []string{"Pengaturan tidak sah", `Keluarga {nama}.`}, nil},
		{"the wording saved", admin, "POST", "/letter-types/sktm", url.Values{"body": {"Keluarga {name} tidak mampu."}}, false, http.StatusSeeOther, []string{"/letter-types/sktm"}, nil},
		{"the type shows as customized", viewer, "GET", "/letter-types", nil, false, 200, []string{"Diubah"}, nil},
		{"operator may not change wording", op, "POST", "/letter-types/sktm", url.Values{"body": {"x"}}, false, http.StatusForbidden, nil, nil},

		{"viewer reads the settings without a form", viewer, "GET", "/settings", nil, false, 200, []string{"Kepala Desa"}, []string{`name="address"`}},
		{"operator may not change them", op, "POST", "/settings", settings, false, http.StatusForbidden, nil, nil},
		{"a number without a year is refused, values kept", admin, "POST", "/settings", with(settings, "number_template", "{seq}"), false, 422,
			[]string{`id="f-number_template-error"`, `value="H. Syamsuar"`, `value="197001012000031001"`, "DESA KUMANTAN"}, nil},
		{"an unknown paper is refused beside it", admin, "POST", "/settings", with(settings, "paper", "B5"), false, 422, []string{`id="f-paper-error"`, `value="H. Syamsuar"`}, nil},
		{"settings saved", admin, "POST", "/settings", settings, false, http.StatusSeeOther, []string{"/settings"}, nil},
		{"the letterhead as printed", viewer, "GET", "/settings", nil, false, 200, []string{"PEMERINTAH KABUPATEN KAMPAR / KECAMATAN BANGKINANG / DESA KUMANTAN", "H. Syamsuar", "197001012000031001", "A4 (210 × 297 mm)", "Ya: yang mengajukan tidak boleh menyetujui"}, nil},
		{"the form shows what is saved", admin, "GET", "/settings", nil, false, 200, []string{`<option value="A4" selected`, `name="four_eyes" value="1" checked`}, nil},
		{"the preview uses the letterhead", viewer, "GET", "/letter-types/sktm", nil, false, 200, []string{"DESA KUMANTAN", "Keluarga BUDI SANTOSO tidak mampu.", "NIP 197001012000031001"}, nil},

		{"public request form", anon, "GET", "/request", nil, true, 200, []string{`href="/` + villageA + `/services/request?type=domisili"`, "Lacak permohonan"}, nil},
		{"public form of a type", anon, "GET", "/request?type=domisili", nil, true, 200, []string{`name="kk"`, `name="mother_name"`, `name="nik"`}, nil},
		{"a citizen's short NIK, values kept", anon, "POST", "/request",
			url.Values{"type": {"domisili"}, "nik": {"1401"}, "kk": {"1401012001150001"}, "mother_name": {"Siti"}, "purpose": {"Melamar kerja"}}, true, 422,
			[]string{`id="f-nik-error"`, "NIK harus 16 angka", `value="1401012001150001"`, `value="Melamar kerja"`}, []string{"must be"}},
		{"the console's pages are not public", anon, "GET", "/requests", nil, true, 404, nil, nil},
		{"tracking lookup", anon, "GET", "/track", nil, true, 200, []string{`name="code"`}, nil},
		{"tracking lookup sends to the code's page", anon, "GET", "/track?code=abc", nil, true, http.StatusSeeOther, []string{"/" + villageA + "/services/track/ABC"}, nil},
		{"an unknown tracking code", anon, "GET", "/track/AAAAAAAAAAAAAAAAAAAAAAAAAA", nil, true, 404, []string{"Tidak ada permohonan dengan kode ini", `value="AAAAAAAAAAAAAAAAAAAAAAAAAA"`}, nil},
		{"an unknown letter", anon, "GET", "/verify/AAAAAAAAAAAAAAAAAAAAAAAAAA", nil, true, 404, []string{`data-valid="false"`, "Tidak ada surat dengan kode ini"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var res *sdktest.PageResponse
			if c.public {
				res = c.c.PublicPage(c.method, villageA, c.path, c.form)
			} else {
				res = c.c.Page(c.method, villageA, c.path, c.form)
			}
			if res.Status != c.status {
				t.Fatalf("status %d, want %d: %s", res.Status, c.status, res.HTML)
			}
			text := res.HTML + res.Location
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("no %q in:\n%s", w, text)
				}
			}
			for _, b := range c.bad {
				if strings.Contains(text, b) {
					t.Errorf("%q shown:\n%s", b, text)
				}
			}
			if res.Status < 300 && !res.Fragment {
				t.Errorf("not a fragment: %v", res.Header)
			}
		})
	}

	// A sub-district reads its villages' queue; requests are written at
	// a village only.
	camat := h.User("camat-view", "operator", "14.01.01")
	if res := camat.GetPage("14.01.01", "/requests"); res.Status != 200 || strings.Contains(res.HTML, "Permohonan baru") {
		t.Errorf("the sub-district's queue: %d %s", res.Status, res.HTML)
	}
	if res := camat.PostForm("14.01.01", "/requests/new", url.Values{"type": {"domisili"}, "nik": {"1401011503800001"}, "purpose": {"x"}}); res.Status != 422 ||
		!strings.Contains(res.HTML, "bukan di tingkat ini") {
		t.Errorf("a request at a sub-district: %d %s", res.Status, res.HTML)
	}

	// In English on request.
	op.Lang = "en"
	if res := op.GetPage(villageA, "/requests"); res.Title != "Letter requests" || !strings.Contains(res.HTML, "New request") {
		t.Errorf("English queue: %q", res.Title)
	}
}
