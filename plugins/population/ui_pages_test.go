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
	h.Tenant(villageB)
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
		// Every person and field checked at once, each error beside its
		// field, in Bahasa Indonesia with the values.
		{"all errors at once", op, "POST", "/families/new", with(family, "p0.nik", "1401011234560001", "p1.birth_date", "2999-01-01", "rt", "12a"), 422,
			[]string{`id="f-p0-nik-err"`, "Angka ke-7 sampai ke-12 NIK (123456)", `id="f-p1-birth_date-err"`, `id="f-rt-err"`, `id="f-p1-relationship-err"`, "Ada 4 isian"},
			[]string{"are not a birth date", "is in the future"}},
		{"numeric inputs", op, "GET", "/families/new", nil, 200, []string{`name="kk" type="text" value="" inputmode="numeric"`, `name="p0.nik" type="text" value="" inputmode="numeric"`}, nil},
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
		{"operator sees the numbers", op, "GET", "/residents", nil, 200, []string{"1401011503800001", "Siti Aminah",
			`name="rt" value="" maxlength="3" inputmode="numeric" pattern="[0-9]*"`, `name="nik" value="" maxlength="16" inputmode="numeric" pattern="[0-9]*"`}, nil},
		{"viewer sees them masked", viewer, "GET", "/residents", nil, 200, []string{"1401**********01", "Budi Santoso", "1980"},
			[]string{"1401011503800001", "1401014508850002", "1980-03-15", "Daftarkan keluarga"}},
		{"viewer may not search by NIK", viewer, "GET", "/residents?nik=1401011503800001", nil, 200, []string{"Budi Santoso"}, []string{`name="nik"`}},
		{"operator finds the family by KK", op, "POST", "/families", url.Values{"kk": {kk}}, 200, []string{"Kartu Keluarga", "Siti Aminah"}, nil},
		{"an unknown family", op, "POST", "/families", url.Values{"kk": {"1401012001159999"}}, 404, []string{"Keluarga tidak ditemukan"}, nil},
		{"viewer cannot look a family up", viewer, "POST", "/families", url.Values{"kk": {kk}}, 200, []string{"hak mencari"}, []string{"Siti Aminah"}},
		{"a birth into an unknown family", op, "POST", "/births/new", url.Values{"kk": {"1401012001159999"}, "name": {"Bayi"}, "sex": {"P"}, "date": {"2026-11-30"}}, 422,
			[]string{`id="`, "belum terdaftar", `value="Bayi"`}, nil},
		{"statistics as a chart", viewer, "GET", "/stats?by=sex", nil, 200, []string{"<svg", "Laki-laki", "Perempuan"}, nil},
		{"statistics by age", viewer, "GET", "/stats?by=age", nil, 200, []string{`<option value="age_group" selected>`}, []string{"stats-by-unknown"}},
		{"statistics by an unknown breakdown", viewer, "GET", "/stats?by=xyz", nil, 200, []string{"stats-by-unknown", "tidak dikenal"}, nil},
		{"a registered KK is not a new family", op, "POST", "/families/new", url.Values{"kk": {kk}, "members": {"0"}, "action": {"save"},
			"p0.name": {"Orang Lain"}, "p0.sex": {"L"}, "p0.birth_date": {"1970-01-01"}}, 422,
			[]string{`id="f-kk-err"`, "sudah terdaftar di desa ini", "Tambah anggota keluarga"}, []string{"sudah punya kepala keluarga"}},
		{"a member joins the registered family", op, "POST", "/families/members/new", url.Values{"kk": {kk}, "members": {"1"}, "action": {"save"},
			"p1.name": {"Anak Baru"}, "p1.sex": {"P"}, "p1.birth_date": {"2010-05-05"}, "p1.relationship": {"4"}}, http.StatusSeeOther, []string{"/residents"}, nil},
		{"an arrival from outside", op, "POST", "/arrivals/new", url.Values{"date": {"2026-03-01"}, "origin": {"Kota Pekanbaru"}, "name": {"Joko Pendatang"},
			"nik": {"1471011203900005"}, "kk": {"1401012001260002"}, "sex": {"L"}, "birth_date": {"1990-03-12"}, "relationship": {"1"}}, http.StatusSeeOther, []string{"/residents/"}, nil},
		{"an unknown rejects file is a page", op, "GET", "/import/rejects/nope", nil, 404, []string{"masa simpannya"}, nil},
		{"the sample CSV", op, "GET", "/import/contoh.csv", nil, 200, nil, nil},
		{"the import form offers the sample", op, "GET", "/import", nil, 200, []string{"/import/contoh.csv"}, nil},
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
			if res.Status < 300 && !res.Fragment && !strings.HasSuffix(c.path, ".csv") {
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
	if res := op.PostForm(villageA, "/residents/"+id+"/death", url.Values{"date": {"2999-01-01"}, "place": {"Rumah"}, "confirmed": {"1"}}); res.Status != 422 ||
		!strings.Contains(res.HTML, `value="Rumah"`) || !strings.Contains(res.HTML, "b-field-error") {
		t.Errorf("a death in the future: %d %s", res.Status, res.HTML)
	}
	death := url.Values{"date": {"2026-01-02"}, "place": {"Rumah"}, "cause": {"Sakit"}}
	if res := op.PostForm(villageA, "/residents/"+id+"/death", death); res.Status != 200 || !strings.Contains(res.HTML, "b-confirm") {
		t.Fatalf("a death is confirmed first: %d %s", res.Status, res.HTML)
	}
	death.Set("confirmed", "1")
	if res := op.PostForm(villageA, "/residents/"+id+"/death", death); res.Status != http.StatusSeeOther || res.FlashKind != "success" {
		t.Fatalf("recording a death: %d %s", res.Status, res.HTML)
	}
	if res := op.GetPage(villageA, "/residents/"+id); !strings.Contains(res.HTML, "Meninggal") || !strings.Contains(res.HTML, "Kematian") || !strings.Contains(res.HTML, "Sakit") {
		t.Errorf("the record after the death: %s", res.HTML)
	}

	// The family card after the head's death: the family's address still,
	// and a link to choose a new head; the new head chosen there.
	var wife residentView
	op.Get(villageA, "/residents?q=Siti+Aminah").JSON(&list)
	if len(list.Items) != 1 {
		t.Fatalf("Siti not found: %+v", list)
	}
	wife = list.Items[0]
	card := op.GetPage(villageA, "/residents/"+wife.ID+"/family")
	if !strings.Contains(card.HTML, `id="no-head"`) || !strings.Contains(card.HTML, "/family/head") || !strings.Contains(card.HTML, "Jl. Lintas Timur") {
		t.Errorf("the card after the head's death: %s", card.HTML)
	}
	if res := op.PostForm(villageA, "/residents/"+wife.ID+"/family/head", url.Values{"head_id": {wife.ID}, "date": {"2026-01-03"}}); res.Status != http.StatusSeeOther {
		t.Errorf("a new head: %d %s", res.Status, res.HTML)
	}
	if card := op.GetPage(villageA, "/residents/"+wife.ID+"/family"); strings.Contains(card.HTML, `id="no-head"`) {
		t.Errorf("still no head: %s", card.HTML)
	}
	// A typo corrected on the edit screen (only the changed field sent).
	if res := op.PostForm(villageA, "/residents/"+wife.ID+"/edit", url.Values{"name": {"Siti Aminah Putri"}, "sex": {"P"}}); res.Status != http.StatusSeeOther {
		t.Errorf("editing: %d %s", res.Status, res.HTML)
	}
	if res := op.GetPage(villageA, "/residents/"+wife.ID); !strings.Contains(res.HTML, "Siti Aminah Putri") {
		t.Errorf("the edited record: %s", res.HTML)
	}
	// The member added through the add-member screen took the family's address.
	op.Get(villageA, "/residents?q=Anak+Baru").JSON(&list)
	if len(list.Items) != 1 || list.Items[0].Address != "Jl. Lintas Timur" {
		t.Errorf("the added member: %+v", list.Items)
	}
	// The sample CSV imports without a rejection.
	var dry importResult
	res := op.Post(villageA, "/import?dry_run=true", importSampleCSV)
	if res.JSON(&dry); res.Status != 200 || dry.Rejected != 0 || len(dry.UnknownColumns) != 0 {
		t.Errorf("the sample CSV: %d %s", res.Status, res.Body)
	}

	// A birth without a NIK from the screen: the temporary number is
	// marked on the record, and the baby lives at the family's address.
	if res := op.PostForm(villageA, "/births/new", url.Values{"kk": {kk}, "name": {"Bayi Tanpa NIK"}, "sex": {"L"}, "date": {"2026-11-30"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("a birth without a NIK: %d %s", res.Status, res.HTML)
	}
	op.Get(villageA, "/residents?q=Bayi+Tanpa").JSON(&list)
	if len(list.Items) != 1 || list.Items[0].Address != "Jl. Lintas Timur" || list.Items[0].RT != "001" {
		t.Fatalf("the baby: %+v", list.Items)
	}
	if res := op.GetPage(villageA, "/residents/"+list.Items[0].ID); !strings.Contains(res.HTML, "(sementara)") {
		t.Errorf("the temporary NIK is not marked on the record: %s", res.HTML)
	}
	// A move to a village the clerk may not write in: said in Bahasa
	// Indonesia, with what to do instead, not a raw 403.
	if res := op.PostForm(villageA, "/residents/"+list.Items[0].ID+"/move", url.Values{"date": {"2026-11-30"}, "to_tenant": {villageB}}); res.Status != http.StatusForbidden ||
		!strings.Contains(res.HTML, "tidak berhak mencatat penduduk di desa "+villageB) || strings.Contains(res.HTML, "you cannot") {
		t.Errorf("a move without rights in the destination: %d %s", res.Status, res.HTML)
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
	for _, path := range []string{"/families/new", "/births/new", "/arrivals/new"} {
		if res := admin.GetPage("14.01", path); res.Status != 200 || !strings.Contains(res.HTML, `id="not-a-village"`) || strings.Contains(res.HTML, "<form") {
			t.Errorf("%s at a regency: %d %s", path, res.Status, res.HTML)
		}
	}
}
