package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk/sdktest"
)

// TestPages drives the screens through the plugin runtime as the host's
// web layer does (sdktest's Page), on SQLite and PostgreSQL: permissions,
// the menu, masking, refused forms kept, redirects with a flash.
func TestPages(t *testing.T) { sdktest.Each(t, &plugin, testPages) }

func testPages(t *testing.T, h *sdktest.Host) {
	h.Tenant(villageA)
	h.Enable("14.01")
	op := h.User("op-a", "operator", villageA)
	viewer := h.User("viewer-a", "viewer", villageA)
	const kk = "1401012001150001"

	menu := func(user string) string {
		var labels []string
		for _, m := range h.Menu(villageA, user) {
			labels = append(labels, m.Label)
		}
		return strings.Join(labels, ",")
	}
	if got := menu("op-a"); got != "Penduduk,Keluarga,Impor,Statistik" {
		t.Errorf("operator's menu %q", got)
	}
	if got := menu("viewer-a"); got != "Penduduk,Keluarga,Statistik" {
		t.Errorf("viewer's menu %q (no Impor: it needs write)", got)
	}

	family := url.Values{"kk": {kk}, "address": {"Jl. Lintas Timur"}, "rt": {"1"}, "members": {"1"}, "action": {"save"},
		"p0.name": {"Budi Santoso"}, "p0.nik": {"1401011503800001"}, "p0.sex": {"L"}, "p0.birth_date": {"1980-03-15"},
		"p1.name": {"Siti Aminah"}, "p1.nik": {"1401014508850002"}, "p1.sex": {"L"}, "p1.birth_date": {"1985-08-05"}, "p1.relationship": {"3"}}
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
		status int
		want   []string // in the fragment (or the Location for a redirect)
		bad    []string // never in it
	}{
		{"viewer may not open the family form", viewer, "GET", "/families/new", nil, http.StatusForbidden, nil, nil},
		{"operator's empty family form", op, "GET", "/families/new", nil, 200,
			[]string{`name="csrf_token" value="` + sdktest.CSRFToken + `"`, `name="p0.name"`, "Tambah anggota"}, []string{`name="p1.name"`}},
		{"adding a member keeps the head", op, "POST", "/families/new", with(family, "action", "add", "members", "0"), 200,
			[]string{`name="p1.name"`, `value="Budi Santoso"`, "Anggota 1"}, nil},
		{"a wife who is a man is refused beside her relationship", op, "POST", "/families/new", family, 422,
			[]string{`id="f-p1-relationship-err"`, `value="1401014508850002"`, "Hubungan keluarga tidak cocok"}, nil},
		{"nobody was saved by the refused form", op, "GET", "/residents", nil, 200, []string{"Tidak ada penduduk"}, []string{"Budi Santoso"}},
		{"a member removed", op, "POST", "/families/new", with(family, "action", "remove-1"), 200, []string{`value="Budi Santoso"`}, []string{`name="p1.name"`}},
		{"the family saved", op, "POST", "/families/new", with(family, "p1.sex", "P"), http.StatusSeeOther, []string{"/residents"}, nil},
		// A clash only storage finds (a NIK registered already) stops at
		// that member: the head saved before it leaves the form, the
		// member stays with the error beside the NIK.
		{"a member already registered", op, "POST", "/families/new", url.Values{"kk": {"1401012001150003"}, "members": {"1"}, "action": {"save"},
			"p0.name": {"Rudi Hartono"}, "p0.nik": {"1401012302900007"}, "p0.sex": {"L"}, "p0.birth_date": {"1990-02-23"},
			"p1.name": {"Budi Lagi"}, "p1.nik": {"1401011503800001"}, "p1.sex": {"L"}, "p1.birth_date": {"1980-03-15"}, "p1.relationship": {"4"}},
			http.StatusConflict, []string{"1 orang sudah tersimpan", `name="head_saved" value="1"`, `id="f-p1-nik-err"`, `value="Budi Lagi"`}, []string{`name="p0.name"`}},
		{"the rest saved", op, "POST", "/families/new", url.Values{"kk": {"1401012001150003"}, "members": {"1"}, "action": {"save"}, "head_saved": {"1"},
			"p1.name": {"Budi Lagi"}, "p1.nik": {"1401011503800009"}, "p1.sex": {"L"}, "p1.birth_date": {"1980-03-15"}, "p1.relationship": {"4"}},
			http.StatusSeeOther, []string{"/residents"}, nil},
		{"operator sees the numbers", op, "GET", "/residents", nil, 200, []string{"1401011503800001", "Siti Aminah"}, nil},
		{"viewer sees them masked", viewer, "GET", "/residents", nil, 200, []string{"1401**********01", "Budi Santoso", "1980"},
			[]string{"1401011503800001", "1401014508850002", "1980-03-15", "Daftarkan keluarga"}},
		{"viewer may not search by NIK", viewer, "GET", "/residents?nik=1401011503800001", nil, 200, []string{"Budi Santoso"}, []string{`name="nik"`}},
		{"operator finds the family by KK", op, "POST", "/families", url.Values{"kk": {kk}}, 200, []string{"Kartu Keluarga", "Siti Aminah"}, nil},
		{"an unknown family", op, "POST", "/families", url.Values{"kk": {"1401012001159999"}}, 404, []string{"Keluarga tidak ditemukan"}, nil},
		{"viewer cannot look a family up", viewer, "POST", "/families", url.Values{"kk": {kk}}, 200, []string{"hak mencari"}, []string{"Siti Aminah"}},
		{"a birth into an unknown family", op, "POST", "/births/new", url.Values{"kk": {"1401012001159999"}, "name": {"Bayi"}, "sex": {"P"}, "date": {"2026-11-30"}}, 422,
			[]string{`id="`, "belum terdaftar", `value="Bayi"`}, nil},
		{"statistics as a chart", viewer, "GET", "/stats?by=sex", nil, 200, []string{"<svg", "Laki-laki", "Perempuan"}, nil},
		{"import form", op, "GET", "/import", nil, 200, []string{`type="file"`, `enctype="multipart/form-data"`}, nil},
		{"viewer may not import", viewer, "GET", "/import", nil, http.StatusForbidden, nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := c.c.Page(c.method, villageA, c.path, c.form)
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

	// A death, from the resident's record: a date in the future is
	// refused beside the date, then the death is recorded and shown.
	var list struct {
		Items []residentView `json:"items"`
	}
	op.Get(villageA, "/residents?q=Budi+Santoso").JSON(&list)
	if len(list.Items) != 1 {
		t.Fatalf("Budi not found: %+v", list)
	}
	id := list.Items[0].ID
	if res := op.PostForm(villageA, "/residents/"+id+"/death", url.Values{"date": {"2999-01-01"}, "place": {"Rumah"}}); res.Status != 422 ||
		!strings.Contains(res.HTML, `value="Rumah"`) || !strings.Contains(res.HTML, "b-field-error") {
		t.Errorf("a death in the future: %d %s", res.Status, res.HTML)
	}
	if res := op.PostForm(villageA, "/residents/"+id+"/death", url.Values{"date": {"2026-01-02"}, "place": {"Rumah"}, "cause": {"Sakit"}}); res.Status != http.StatusSeeOther || res.FlashKind != "success" {
		t.Fatalf("recording a death: %d %s", res.Status, res.HTML)
	}
	if res := op.GetPage(villageA, "/residents/"+id); !strings.Contains(res.HTML, "Meninggal") || !strings.Contains(res.HTML, "Kematian") || !strings.Contains(res.HTML, "Sakit") {
		t.Errorf("the record after the death: %s", res.HTML)
	}

	// In English on request.
	op.Lang = "en"
	if res := op.GetPage(villageA, "/residents"); res.Title != "Residents" || !strings.Contains(res.HTML, "Register a family") {
		t.Errorf("English residents page: %q", res.Title)
	}
	// A regency reads the roll-up but registers nobody.
	admin := h.Admin()
	if res := admin.GetPage("14.01", "/import"); res.Status != 422 || !strings.Contains(res.HTML, "desa/kelurahan") {
		t.Errorf("import at a regency: %d %s", res.Status, res.HTML)
	}
}
