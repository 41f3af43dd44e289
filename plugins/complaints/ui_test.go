package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk/sdktest"
)

// TestPages runs the screens of the main journey through the test kit's
// host: the citizen's form and tracking page, the clerk's list with the
// overdue flag, the answer, the rating, the regency's recap and widget.
func TestPages(t *testing.T) {
	clock := sdktest.NewClock(time.Time{})
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		clock.Set(time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC))
		h.Tenant(villageA)
		h.Tenant(villageB)
		h.Enable(regency)
		op := h.User("op-a", "operator", villageA)
		viewer := h.User("viewer-a", "viewer", villageA)
		kab := h.User("kab", "admin", regency)
		anon := h.Anonymous()

		// A bad form is shown again with the error under its field.
		res := anon.PublicPage("POST", villageA, "/lapor", url.Values{"csrf_token": {sdktest.CSRFToken}, "category": {"infrastructure"}, "description": {"rusak"}})
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.HTML, "paling sedikit 10 huruf") || !strings.Contains(res.HTML, ">rusak</textarea>") {
			t.Fatalf("bad form: %d %s", res.Status, res.HTML)
		}
		res = anon.PublicPage("POST", villageA, "/lapor", url.Values{"csrf_token": {sdktest.CSRFToken}, "category": {"infrastructure"},
			"description": {"Lampu jalan di simpang empat mati sejak seminggu"}, "phone": {"0812 1111 2222"}, "publish": {"true"}})
		if res.Status != http.StatusSeeOther || !strings.Contains(res.Location, "/track/") {
			t.Fatalf("form: %d %s %s", res.Status, res.Location, res.HTML)
		}
		code := res.Location[strings.LastIndex(res.Location, "/")+1:]
		if !strings.Contains(res.Flash, code) {
			t.Errorf("the flash does not give the code: %q", res.Flash)
		}
		res = anon.PublicPage("GET", villageA, "/track/"+code, nil)
		if res.Status != http.StatusOK || !strings.Contains(res.HTML, "Diterima") || strings.Contains(res.HTML, "0812") {
			t.Errorf("tracking page: %d %s", res.Status, res.HTML)
		}
		if res := anon.PublicPage("GET", villageA, "/track/AAAAAAAAAAAAAAAAAAAAAAAAAA", nil); res.Status != http.StatusNotFound {
			t.Errorf("unknown code: %d", res.Status)
		}

		// Two weeks later it is overdue on the clerk's list.
		clock.Set(time.Date(2026, 12, 16, 2, 0, 0, 0, time.UTC))
		res = op.GetPage(villageA, "/complaints")
		if res.Status != http.StatusOK || !strings.Contains(res.HTML, "Lewat tenggat") || !strings.Contains(res.HTML, "Lampu jalan") {
			t.Fatalf("list: %d %s", res.Status, res.HTML)
		}
		if res := op.GetPage(villageA, "/complaints?overdue=true"); !strings.Contains(res.HTML, "Lampu jalan") {
			t.Errorf("overdue filter: %s", res.HTML)
		}
		var list struct {
			Items []complaintView `json:"items"`
		}
		op.Get(villageA, "/complaints?overdue=true").JSON(&list)
		if len(list.Items) != 1 || !list.Items[0].Overdue {
			t.Fatalf("API overdue: %+v", list)
		}
		id := list.Items[0].ID
		var st statsView
		anon.Get(regency, "/stats").JSON(&st)
		if st.Overdue != 1 || st.Villages[0].Overdue+st.Villages[1].Overdue != 1 || st.MedianDays != nil {
			t.Errorf("overdue in the roll-up: %+v", st)
		}
		// The viewer sees the complaint without the actions nor the number.
		if res := viewer.GetPage(villageA, "/complaints/"+id); res.Status != http.StatusOK || strings.Contains(res.HTML, "Kirim jawaban") || strings.Contains(res.HTML, "081211112222") {
			t.Errorf("viewer's page: %d %s", res.Status, res.HTML)
		}
		if res := viewer.PostForm(villageA, "/complaints/"+id+"/respond", url.Values{"answer": {"Sudah diperbaiki"}}); res.Status != http.StatusForbidden {
			t.Errorf("viewer answers: %d", res.Status)
		}
		res = op.GetPage(villageA, "/complaints/"+id)
		if !strings.Contains(res.HTML, "Kirim jawaban") || !strings.Contains(res.HTML, "081211112222") {
			t.Errorf("operator's page: %s", res.HTML)
		}
		if res := op.PostForm(villageA, "/complaints/"+id+"/respond", url.Values{"answer": {""}}); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.HTML, "Jawaban wajib diisi") {
			t.Errorf("empty answer: %d %s", res.Status, res.HTML)
		}
		if res := op.PostForm(villageA, "/complaints/"+id+"/respond", url.Values{"answer": {"Lampu sudah diganti oleh petugas PLN."}}); res.Status != http.StatusSeeOther {
			t.Fatalf("answer: %d %s", res.Status, res.HTML)
		}
		res = anon.PublicPage("POST", villageA, "/track/"+code+"/rating", url.Values{"csrf_token": {sdktest.CSRFToken}, "rating": {"5"}})
		if res.Status != http.StatusSeeOther {
			t.Errorf("rating: %d %s", res.Status, res.HTML)
		}
		if res := anon.PublicPage("GET", villageA, "/published", nil); !strings.Contains(res.HTML, "Lampu sudah diganti") || strings.Contains(res.HTML, "0812") {
			t.Errorf("published page: %s", res.HTML)
		}
		// The regency's recap has a line per village, the late answer counted.
		res = kab.GetPage(regency, "/recap")
		if res.Status != http.StatusOK || !strings.Contains(res.HTML, villageA) || !strings.Contains(res.HTML, villageB) || !strings.Contains(res.HTML, "0%") {
			t.Errorf("recap: %d %s", res.Status, res.HTML)
		}
		widgets := h.PublicWidgets(regency)
		if len(widgets) != 1 || len(widgets[0].HTML) > 4096 {
			t.Errorf("public widget: %+v", widgets)
		}
		// The clerk records a complaint at the counter and escalates it; the
		// district's list leads to it at its village, where the district's
		// official (and not the village's clerk) has the actions.
		camat := h.User("camat", "operator", districtA)
		res = op.PostForm(villageA, "/complaints/new", url.Values{"category": {"social"}, "description": {"Warga lansia belum menerima BLT bulan ini"}})
		if res.Status != http.StatusSeeOther || !strings.Contains(res.Flash, "Kode pelacakan") {
			t.Fatalf("counter: %d %s", res.Status, res.HTML)
		}
		counterID := res.Location[strings.LastIndex(res.Location, "/")+1:]
		var got complaintView
		op.Get(villageA, "/complaints/"+counterID).JSON(&got)
		if got.Channel != ChannelOffice || got.SubmittedBy != "op-a" {
			t.Errorf("counter complaint: %+v", got)
		}
		if res := op.PostForm(villageA, "/complaints/"+counterID+"/escalate", url.Values{"to": {"district"}, "reason": {"Data BLT dikelola kecamatan"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("escalate page: %d %s", res.Status, res.HTML)
		}
		if res := op.GetPage(villageA, "/complaints/"+counterID); strings.Contains(res.HTML, "Kirim jawaban") || !strings.Contains(res.HTML, "ditangani di sana") {
			t.Errorf("the village clerk still has the actions: %s", res.HTML)
		}
		res = camat.GetPage(districtA, "/complaints?escalated=here")
		if !strings.Contains(res.HTML, `href="../../../`+villageA+`/m/complaints/complaints/`+counterID+`"`) {
			t.Errorf("district list's link: %s", res.HTML)
		}
		if res := camat.GetPage(districtA, "/complaints/"+counterID); res.Status != http.StatusOK || !strings.Contains(res.HTML, `href="../../../../`+villageA+`/m/complaints/complaints/`+counterID+`"`) {
			t.Errorf("the complaint at the district: %d %s", res.Status, res.HTML)
		}
		if res := camat.GetPage(villageA, "/complaints/"+counterID); !strings.Contains(res.HTML, "Kirim jawaban") {
			t.Errorf("the district's official has no actions: %s", res.HTML)
		}
		if res := camat.PostForm(villageA, "/complaints/"+counterID+"/respond", url.Values{"answer": {"Sudah didaftarkan ke Dinas Sosial."}}); res.Status != http.StatusSeeOther {
			t.Errorf("district answers: %d %s", res.Status, res.HTML)
		}

		// Settings: the regency's form; a village reads them.
		if res := kab.PostForm(regency, "/settings", url.Values{"target_days": {"5"}, "holidays": {"2026-12-24 Cuti bersama Natal\n2026-12-25 Natal"}}); res.Status != http.StatusSeeOther {
			t.Errorf("settings: %d %s", res.Status, res.HTML)
		}
		if res := op.GetPage(villageA, "/settings"); !strings.Contains(res.HTML, "5 hari kerja") || !strings.Contains(res.HTML, "Natal") {
			t.Errorf("village settings page: %s", res.HTML)
		}
		if res := kab.PostForm(regency, "/settings", url.Values{"target_days": {"5"}, "holidays": {"24-12-2026 Natal"}}); res.Status != http.StatusUnprocessableEntity {
			t.Errorf("bad holidays: %d", res.Status)
		}
	}, sdktest.WithClock(clock.Now))
}
