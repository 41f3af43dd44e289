package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk/sdktest"
)

func form(kv ...string) url.Values {
	v := url.Values{"csrf_token": {sdktest.CSRFToken}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// TestPages runs the clerk's journey through the screens (register, a
// unit, a report, a bad form shown again), the public pages, the menu,
// the widgets and the regency's recap.
func TestPages(t *testing.T) {
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		setup(t, h)
		op := h.User("op-a", "operator", villageA)
		viewer := h.User("viewer-a", "viewer", villageA)
		camat := h.User("camat", "operator", districtA)
		anon := h.Anonymous()

		res := op.GetPage(villageA, "/manage")
		if res.Status != http.StatusOK || !strings.Contains(res.HTML, "Daftarkan BUM Desa") {
			t.Fatalf("manage: %d %s", res.Status, res.HTML)
		}
		res = op.PostForm(villageA, "/manage", form("name", "BUM Desa Kumantan", "registration_number", "AHU-1"))
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.HTML, "AHU-00712.AH.01.33.Tahun 2021") || !strings.Contains(res.HTML, `value="BUM Desa Kumantan"`) {
			t.Fatalf("bad form: %d %s", res.Status, res.HTML)
		}
		res = op.PostForm(villageA, "/manage", form("name", "BUM Desa Kumantan", "registration_number", "AHU-00712.AH.01.33.Tahun 2021", "classification", "pemula", "classification_year", "2025"))
		if res.Status != http.StatusSeeOther || !strings.Contains(res.Location, "/manage/") {
			t.Fatalf("register: %d %s %s", res.Status, res.Location, res.HTML)
		}
		id := res.Location[strings.LastIndex(res.Location, "/")+1:]
		if res := op.GetPage(villageA, "/manage"); strings.Contains(res.HTML, "Daftarkan BUM Desa") || !strings.Contains(res.HTML, "BUM Desa Kumantan") {
			t.Errorf("the form is still offered after registering: %s", res.HTML)
		}
		if res := op.GetPage(villageA, "/manage/"+id+"/units"); res.Status != http.StatusOK || strings.Count(res.HTML, `id="f-name"`) != 1 ||
			!strings.Contains(res.HTML, `action="/console/`+villageA+`/m/bumdes/manage/`+id+`/units"`) {
			t.Fatalf("unit form: %d %s", res.Status, res.HTML)
		}
		res = op.PostForm(villageA, "/manage/"+id+"/units", form("type", "toko", "name", "Waserda", "manager_name", "Eka", "manager_phone", "0812 3333 4444"))
		if res.Status != http.StatusSeeOther {
			t.Fatalf("unit: %d %s", res.Status, res.HTML)
		}
		var units listOf[UnitView]
		op.Get(villageA, "/enterprises/"+id+"/units").JSON(&units)
		if len(units.Items) != 1 {
			t.Fatalf("units: %+v", units)
		}
		for _, f := range []string{"edit", "management", "reports", "capital"} {
			if res := op.GetPage(villageA, "/manage/"+id+"/"+f); res.Status != http.StatusOK || !strings.Contains(res.HTML, `action="/console/`+villageA+`/m/bumdes/manage/`+id+`/`+f+`"`) {
				t.Errorf("the %s form's page: %d %s", f, res.Status, res.HTML)
			}
		}
		res = op.PostForm(villageA, "/manage/"+id+"/reports", form("unit_id", units.Items[0].ID, "year", "2026", "semester", "1", "revenue", "-5", "costs", "1"))
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.HTML, "tidak boleh negatif") {
			t.Fatalf("negative report: %d %s", res.Status, res.HTML)
		}
		res = op.PostForm(villageA, "/manage/"+id+"/reports", form("unit_id", units.Items[0].ID, "year", "2026", "semester", "1", "revenue", "12.500.000", "costs", "10000000", "pades", "1000000"))
		if res.Status != http.StatusSeeOther {
			t.Fatalf("report: %d %s", res.Status, res.HTML)
		}
		res = op.PostForm(villageA, "/manage/"+id+"/management", form("role", "pelaksana_operasional", "name", "Budi", "nik", "1401010101800001", "start_date", "2024-01-02"))
		if res.Status != http.StatusSeeOther {
			t.Fatalf("appoint: %d %s", res.Status, res.HTML)
		}
		res = op.PostForm(villageA, "/manage/"+id+"/capital", form("year", "2026", "amount", "50000000", "source", "desa", "date", "2026-02-01"))
		if res.Status != http.StatusSeeOther {
			t.Fatalf("capital: %d %s", res.Status, res.HTML)
		}
		res = op.PostForm(villageA, "/manage/"+id+"/edit", form("name", "BUM Desa Kumantan Jaya", "registration_number", "AHU-00712.AH.01.33.Tahun 2021", "classification", "berkembang", "classification_year", "2026"))
		if res.Status != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", res.Status, res.HTML)
		}
		res = op.GetPage(villageA, "/manage/"+id)
		for _, want := range []string{"BUM Desa Kumantan Jaya", "Waserda", "2026-S1", "Rp12.500.000", "Rp2.500.000", "Budi", "Rp50.000.000", "Berkembang 2026"} {
			if !strings.Contains(res.HTML, want) {
				t.Errorf("enterprise page lacks %q", want)
			}
		}
		// The mall is off here: the button's refusal is said on the page.
		if res := op.PostForm(villageA, "/manage/"+id+"/units/"+units.Items[0].ID+"/seller", form()); res.Status < 400 || !strings.Contains(res.HTML, "b-error") {
			t.Errorf("seller without the mall: %d %s", res.Status, res.HTML)
		}
		if res := viewer.GetPage(villageA, "/manage/"+id); res.Status != http.StatusOK || strings.Contains(res.HTML, "Tambah unit usaha") || strings.Contains(res.HTML, "1401010101800001") {
			t.Errorf("viewer's page: %d", res.Status)
		}
		if res := viewer.PostForm(villageA, "/manage/"+id+"/units", form("type", "toko", "name", "X", "manager_name", "Y")); res.Status != http.StatusForbidden {
			t.Errorf("viewer posts: %d", res.Status)
		}

		// The public: the village's list, the enterprise, the widget.
		res = anon.PublicPage("GET", villageA, "/", nil)
		if res.Status != http.StatusOK || !strings.Contains(res.HTML, "BUM Desa Kumantan Jaya") {
			t.Errorf("public list: %d %s", res.Status, res.HTML)
		}
		res = anon.PublicPage("GET", villageA, "/enterprises/"+id, nil)
		if res.Status != http.StatusOK || !strings.Contains(res.HTML, "Waserda") || !strings.Contains(res.HTML, "Rp12.500.000") || strings.Contains(res.HTML, "0812") || strings.Contains(res.HTML, "1401010101800001") {
			t.Errorf("public enterprise: %d %s", res.Status, res.HTML)
		}
		found := false
		for _, w := range h.PublicWidgets(villageA) {
			found = found || strings.Contains(string(w.HTML), "BUM Desa Kumantan Jaya")
		}
		if !found {
			t.Errorf("the village page's widget lacks the enterprise: %+v", h.PublicWidgets(villageA))
		}
		found = false
		for _, w := range h.PublicWidgets(regency) {
			found = found || strings.Contains(string(w.HTML), "Rp12.500.000")
		}
		if !found {
			t.Errorf("the regency home's widget lacks the turnover: %+v", h.PublicWidgets(regency))
		}
		menu := false
		for _, m := range h.Menu(villageA, "viewer-a") {
			menu = menu || m.Label == "BUMDes"
		}
		if !menu {
			t.Errorf("menu: %+v", h.Menu(villageA, "viewer-a"))
		}
		if len(h.Widgets(villageA, "op-a")) == 0 {
			t.Errorf("no dashboard widget")
		}

		// The district registers a BUMDes Bersama from its form.
		res = camat.PostForm(districtA, "/manage", form("name", "BUM Desa Bersama Bangkinang", "members", villageA+", "+villageA2))
		if res.Status != http.StatusSeeOther {
			t.Fatalf("joint: %d %s", res.Status, res.HTML)
		}
		if res := anon.PublicPage("GET", villageA2, "/", nil); !strings.Contains(res.HTML, "BUM Desa Bersama Bangkinang") || !strings.Contains(res.HTML, "/"+districtA+"/bumdes/enterprises/") {
			t.Errorf("member's public list: %s", res.HTML)
		}

		// The regency's recap, in the console and in public.
		kab := h.User("kab", "viewer", regency)
		res = kab.GetPage(regency, "/recap?year=2026")
		if res.Status != http.StatusOK || !strings.Contains(res.HTML, "BUM Desa Kumantan Jaya") || !strings.Contains(res.HTML, "Rp12.500.000") || !strings.Contains(res.HTML, "BUM Desa Bersama Bangkinang") {
			t.Errorf("recap: %d %s", res.Status, res.HTML)
		}
		if res := anon.PublicPage("GET", regency, "/rekap?year=2026", nil); res.Status != http.StatusOK || !strings.Contains(res.HTML, "Rp12.500.000") || strings.Contains(res.HTML, "/console/") {
			t.Errorf("public recap: %d %s", res.Status, res.HTML)
		}
	}, sdktest.WithClock(func() time.Time { return now }))
}
