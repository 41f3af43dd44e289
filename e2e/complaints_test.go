package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
)

func cpl(tenant, path string) string { return p(tenant, "complaints", path) }

// complaintsWorld is the plugin world with complaints enabled in Kampar
// and Pelalawan, and a sub-district official of Bangkinang Kota (14.01.01).
type complaintsWorld struct {
	*pluginWorld
	camat *Client
}

func startComplaints(t *testing.T, b storetest.Backend) *complaintsWorld {
	t.Helper()
	w := startPlugins(t, b, []string{"complaints"})
	w.enable(t, "14.01", "complaints", true)
	w.enable(t, "14.05", "complaints", true)
	camat, _ := w.admin.CreateUser(t, "camat-a")
	w.admin.Grant(t, "14.01.01", "camat-a", "operator")
	return &complaintsWorld{pluginWorld: w, camat: camat}
}

func complaint(category, description string, extra map[string]any) map[string]any {
	m := map[string]any{"category": category, "description": description}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// complaintMultipart posts a complaint as a multipart form with a photo.
func complaintMultipart(t *testing.T, c *Client, path string, fields map[string]string, filename string, photo []byte) *Resp {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if photo != nil {
		fw, _ := mw.CreateFormFile("photo", filename)
		fw.Write(photo)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.h.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.http().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return &Resp{Status: res.StatusCode, Header: res.Header, Body: data, t: t}
}

// complaintEvents lists the complaints events recorded for a ref, and
// fails if one carries the complainant's phone or name.
func complaintEvents(t *testing.T, h *Host, ref string, secrets ...string) []string {
	t.Helper()
	db, err := store.Open(store.Options{URL: h.DBURL, DataDir: h.DataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows []struct {
		Name    string
		Payload []byte
	}
	if err := db.Table("events").Select("name, payload").Where("plugin = ?", "complaints").Order("id").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range rows {
		var p struct{ Ref string }
		json.Unmarshal(r.Payload, &p)
		if p.Ref != ref {
			continue
		}
		names = append(names, r.Name)
		for _, s := range secrets {
			if bytes.Contains(r.Payload, []byte(s)) {
				t.Errorf("event %s carries %q: %s", r.Name, s, r.Payload)
			}
		}
	}
	return names
}

// pngComplaintPhoto is the smallest body the host sniffs as a PNG.
var pngComplaintPhoto = append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)

func TestComplaints(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startComplaints(t, b)
		t.Run("journey", func(t *testing.T) {
			anon := w.h.AnonFrom("127.0.0.31")
			res := anon.Do(t, "POST", cpl(villageA, "/complaints"), complaint("infrastructure", "Jembatan kayu di RT 03 patah, anak sekolah memutar jauh",
				map[string]any{"place": "RT 03 / RW 01", "name": "Rahmat Hidayat", "phone": "+62 812-7000-1234", "publish": true})).Expect(http.StatusCreated)
			sub := res.JSON()
			id, code, ref := sub["id"].(string), sub["track_code"].(string), sub["ref"].(string)
			if len(code) != 26 || sub["state"] != "received" || sub["anonymous"] != false || sub["due_date"] == "" || sub["target_days"] != float64(10) {
				t.Fatalf("submitted: %s", res.Body)
			}
			// The citizen follows it with the code; no name or phone there.
			tr := anon.Do(t, "GET", cpl(villageA, "/complaints/track/"+code), nil).Expect(http.StatusOK)
			if tr.Str("state") != "received" || tr.Str("ref") != ref || strings.Contains(string(tr.Body), "Rahmat") || strings.Contains(string(tr.Body), "0812") {
				t.Errorf("tracking: %s", tr.Body)
			}
			// The operator sees the phone, the viewer masked.
			if got := w.op.Do(t, "GET", cpl(villageA, "/complaints/"+id), nil).Expect(http.StatusOK); got.Str("phone") != "081270001234" || got.Str("name") != "Rahmat Hidayat" {
				t.Errorf("operator's view: %s", got.Body)
			}
			if got := w.viewer.Do(t, "GET", cpl(villageA, "/complaints/"+id), nil).Expect(http.StatusOK); strings.Contains(string(got.Body), "081270001234") || strings.Contains(string(got.Body), "Rahmat Hidayat") || got.JSON()["masked"] != true {
				t.Errorf("viewer's view shows personal data: %s", got.Body)
			}
			w.viewer.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/assign"), map[string]string{"user": "op-a"}).ExpectErr(http.StatusForbidden, "forbidden")
			// Rated only once answered.
			anon.Do(t, "POST", cpl(villageA, "/complaints/track/"+code+"/rating"), map[string]int{"rating": 5}).ExpectErr(http.StatusConflict, "invalid_state")
			w.op.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/close"), nil).ExpectErr(http.StatusConflict, "invalid_state")
			if got := w.op.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/assign"), map[string]string{"user": "op-a"}).Expect(http.StatusOK); got.Str("state") != "in_progress" || got.Str("assigned_user") != "op-a" {
				t.Errorf("assigned: %s", got.Body)
			}
			if got := w.op.Do(t, "GET", cpl(villageA, "/complaints?assigned=me"), nil).Expect(http.StatusOK); got.Total() != 1 {
				t.Errorf("assigned to me: %s", got.Body)
			}
			got := w.op.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/respond"), map[string]string{"answer": "Jembatan diperbaiki gotong royong hari Sabtu."}).Expect(http.StatusOK).JSON()
			if got["state"] != "answered" || got["on_time"] != true || got["response_days"] != float64(0) || got["answered_level"] != "village" {
				t.Errorf("answered: %v", got)
			}
			if tr := anon.Do(t, "GET", cpl(villageA, "/complaints/track/"+code), nil).Expect(http.StatusOK).JSON(); tr["answer"] != "Jembatan diperbaiki gotong royong hari Sabtu." || tr["can_rate"] != true {
				t.Errorf("tracking after the answer: %v", tr)
			}
			anon.Do(t, "POST", cpl(villageA, "/complaints/track/"+code+"/rating"), map[string]int{"rating": 0}).ExpectErr(http.StatusUnprocessableEntity, "invalid_rating")
			anon.Do(t, "POST", cpl(villageA, "/complaints/track/"+code+"/rating"), map[string]any{"rating": 4, "comment": "Cepat, terima kasih"}).Expect(http.StatusOK)
			anon.Do(t, "POST", cpl(villageA, "/complaints/track/"+code+"/rating"), map[string]any{"rating": 1}).ExpectErr(http.StatusConflict, "already_rated")
			w.op.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/close"), map[string]any{}).Expect(http.StatusOK)
			w.op.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/respond"), map[string]string{"answer": "Jawaban kedua"}).ExpectErr(http.StatusConflict, "invalid_state")

			// Published, since the complainant agreed: without name and phone.
			pub := anon.Do(t, "GET", cpl(villageA, "/published"), nil).Expect(http.StatusOK)
			if pub.Total() != 1 || !strings.Contains(string(pub.Body), "Jembatan kayu") || strings.Contains(string(pub.Body), "Rahmat") || strings.Contains(string(pub.Body), "0812") || strings.Contains(string(pub.Body), "op-a") {
				t.Errorf("published: %s", pub.Body)
			}
			if ev := strings.Join(complaintEvents(t, w.h, ref, "0812", "Rahmat"), " "); ev != "complaints.complaint_received complaints.complaint_assigned complaints.complaint_answered complaints.complaint_rated complaints.complaint_closed" {
				t.Errorf("events: %s", ev)
			}
			// The counter: a clerk records complaints beyond a citizen's limit.
			for i := 0; i < 11; i++ {
				if got := w.op.Do(t, "POST", cpl(villageA, "/complaints/counter"), complaint("public_services", "Antrean KTP di kecamatan terlalu lama", nil)).Expect(http.StatusCreated); got.Str("track_code") == "" {
					t.Fatalf("counter: %s", got.Body)
				}
			}
			w.viewer.Do(t, "POST", cpl(villageA, "/complaints/counter"), complaint("public_services", "Antrean KTP di kecamatan terlalu lama", nil)).ExpectErr(http.StatusForbidden, "forbidden")
			if got := w.op.Do(t, "GET", cpl(villageA, "/complaints?category=public_services&limit=1"), nil).Expect(200).Items(); len(got) != 1 || got[0]["channel"] != "office" {
				t.Errorf("counter complaint: %v", got)
			}
			// An anonymous complaint, not for publication.
			anon.Do(t, "POST", cpl(villageA, "/complaints"), complaint("environment", "Sampah menumpuk di tepi sungai Kampar dekat pasar", nil)).Expect(http.StatusCreated)
			if pub := anon.Do(t, "GET", cpl(villageA, "/published"), nil).Expect(http.StatusOK); pub.Total() != 1 {
				t.Errorf("an unpublished complaint shows: %s", pub.Body)
			}
		})

		t.Run("bad input", func(t *testing.T) {
			anon := w.h.AnonFrom("127.0.0.32")
			from := w.h.AnonFrom("127.0.0.21")
			for _, tt := range []struct {
				name   string
				body   any
				status int
				code   string
			}{
				{"unknown field", map[string]any{"category": "other", "description": "Lampu jalan mati sudah seminggu", "nik": "1401011503800001"}, 400, "unknown_field"},
				{"no category", map[string]any{"description": "Lampu jalan mati sudah seminggu"}, 422, "invalid_category"},
				{"bad category", complaint("roads", "Lampu jalan mati sudah seminggu", nil), 422, "invalid_category"},
				{"short description", complaint("other", "mati", nil), 422, "invalid_description"},
				{"landline", complaint("other", "Lampu jalan mati sudah seminggu", map[string]any{"phone": "0761 123456"}), 422, "invalid_phone"},
				{"publish not a bool", complaint("other", "Lampu jalan mati sudah seminggu", map[string]any{"publish": "ya"}), 400, "invalid_field"},
				{"not JSON", "{", 400, "malformed_json"},
			} {
				from.Do(t, "POST", cpl(villageA, "/complaints"), tt.body).ExpectErr(tt.status, tt.code)
			}
			anon.Do(t, "POST", cpl("14.01.01", "/complaints"), complaint("other", "Lampu jalan mati sudah seminggu", nil)).ExpectErr(422, "not_a_village")
			anon.Do(t, "GET", cpl(villageA, "/complaints/track/NOSUCHCODE23456789ABCDEFGH"), nil).ExpectErr(404, "complaint_not_found")
			anon.Do(t, "GET", cpl(villageA, "/complaints"), nil).ExpectErr(401, "unauthenticated")
			w.op.Do(t, "GET", cpl(villageA, "/complaints/00000000-0000-0000-0000-000000000000"), nil).ExpectErr(404, "complaint_not_found")
			w.op.Do(t, "GET", cpl(villageA, "/complaints?state=lost"), nil).ExpectErr(400, "invalid_filter")
			w.op.Do(t, "GET", cpl(villageA, "/complaints?limit=501"), nil).ExpectErr(400, "invalid_pagination")
			anon.Do(t, "GET", cpl(villageA, "/stats?year=20x6"), nil).ExpectErr(400, "invalid_filter")

			id := anon.Do(t, "POST", cpl(villageA, "/complaints"), complaint("social", "Bantuan sembako tidak sampai ke RT 04", nil)).Expect(201).Str("id")
			w.op.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/assign"), map[string]string{}).ExpectErr(422, "invalid_assignee")
			w.op.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/assign"), map[string]string{"user": "op-a", "official": "Pak Kadus"}).ExpectErr(422, "invalid_assignee")
			w.op.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/assign"), map[string]string{"user": "Op A!"}).ExpectErr(422, "invalid_assignee")
			w.op.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/respond"), map[string]string{"answer": " "}).ExpectErr(422, "invalid_answer")
			w.op.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/respond"), map[string]any{"answer": "Sudah kami cek", "extra": 1}).ExpectErr(400, "unknown_field")
			w.op.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/reject"), map[string]string{"reason": ""}).ExpectErr(422, "invalid_reason")
			w.op.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/escalate"), map[string]string{"to": "province", "reason": "Di luar kewenangan desa"}).ExpectErr(422, "invalid_escalation_target")
			w.op.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/escalate"), map[string]string{"to": "district"}).ExpectErr(422, "invalid_reason")
			got := w.op.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/reject"), map[string]string{"reason": "Bukan wewenang desa: sudah diteruskan ke Dinas Sosial"}).Expect(200).JSON()
			if got["state"] != "rejected" || got["on_time"] != true {
				t.Errorf("rejected: %v", got)
			}
			w.op.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/escalate"), map[string]string{"to": "district", "reason": "Di luar kewenangan desa"}).ExpectErr(409, "invalid_state")

			// Settings are the regency's.
			w.op.Do(t, "PUT", cpl(villageA, "/settings"), map[string]any{"target_days": 5}).ExpectErr(403, "forbidden")
			w.district.Do(t, "PUT", cpl("14.01.01", "/settings"), map[string]any{"target_days": 5}).ExpectErr(422, "not_a_regency")
			w.district.Do(t, "PUT", cpl("14.01", "/settings"), map[string]any{"target_days": 61}).ExpectErr(422, "invalid_settings")
			w.district.Do(t, "PUT", cpl("14.01", "/settings"), map[string]any{"target_days": 5, "holidays": []map[string]string{{"date": "2026-13-01", "name": "x"}}}).ExpectErr(422, "invalid_settings")
		})

		t.Run("photo", func(t *testing.T) {
			anon := w.h.AnonFrom("127.0.0.33")
			res := complaintMultipart(t, anon, cpl(villageA, "/complaints"), map[string]string{"category": "infrastructure", "description": "Lubang besar di jalan depan SD 012", "publish": "true"}, "lubang.png", pngComplaintPhoto)
			res.Expect(http.StatusCreated)
			id := res.Str("id")
			v := w.op.Do(t, "GET", cpl(villageA, "/complaints/"+id), nil).Expect(200).JSON()
			if v["has_photo"] != true || v["publish"] != true {
				t.Fatalf("photo complaint: %v", v)
			}
			photo := w.op.Do(t, "GET", v["photo_url"].(string), nil).Expect(200)
			if photo.Header.Get("Content-Type") != "image/png" || !bytes.Equal(photo.Body, pngComplaintPhoto) {
				t.Errorf("photo: %s %d bytes", photo.Header.Get("Content-Type"), len(photo.Body))
			}
			anon.Do(t, "GET", v["photo_url"].(string), nil).ExpectErr(401, "unauthenticated")
			w.opB.Do(t, "GET", v["photo_url"].(string), nil).ExpectErr(403, "forbidden")
			complaintMultipart(t, anon, cpl(villageA, "/complaints"), map[string]string{"category": "other", "description": "Foto ini bukan gambar sama sekali"}, "x.png", []byte("just some text")).ExpectErr(415, "not_an_image")
			complaintMultipart(t, anon, cpl(villageA, "/complaints"), map[string]string{"category": "other", "description": "Foto ini bukan gambar sama sekali", "nik": "1"}, "", nil).ExpectErr(400, "unknown_field")
		})

		t.Run("neighbour refused", func(t *testing.T) {
			anon := w.h.AnonFrom("127.0.0.34")
			id := anon.Do(t, "POST", cpl(villageA, "/complaints"), complaint("security", "Pencurian sawit di kebun warga RT 05", nil)).Expect(201).Str("id")
			w.opB.Do(t, "GET", cpl(villageA, "/complaints/"+id), nil).ExpectErr(403, "forbidden")
			w.opB.Do(t, "GET", cpl(villageA, "/complaints"), nil).ExpectErr(403, "forbidden")
			w.opB.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/assign"), map[string]string{"user": "op-b"}).ExpectErr(403, "forbidden")
			// Its own village does not hold the complaint.
			w.opB.Do(t, "GET", cpl(villageB, "/complaints/"+id), nil).ExpectErr(404, "complaint_not_found")
			w.opB.Do(t, "POST", cpl(villageB, "/complaints/"+id+"/assign"), map[string]string{"user": "op-b"}).ExpectErr(404, "complaint_not_found")
		})

		t.Run("escalation", func(t *testing.T) {
			anon := w.h.AnonFrom("127.0.0.35")
			res := anon.Do(t, "POST", cpl(villageA, "/complaints"), complaint("infrastructure", "Jalan kabupaten Kumantan-Langgini rusak berat", map[string]any{"phone": "081299990000"})).Expect(201)
			id, code := res.Str("id"), res.Str("track_code")
			w.op.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/assign"), map[string]string{"official": "Kaur Pembangunan"}).Expect(200)
			got := w.op.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/escalate"), map[string]string{"to": "district", "reason": "Jalan kabupaten: di luar kewenangan desa"}).Expect(200).JSON()
			if got["escalated_to"] != "14.01.01" || got["state"] != "received" || got["assigned_name"] != nil {
				t.Errorf("escalated: %v", got)
			}
			// The village can no longer act on it.
			w.op.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/respond"), map[string]string{"answer": "Kami perbaiki."}).ExpectErr(403, "escalated_elsewhere")
			w.op.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/escalate"), map[string]string{"to": "regency", "reason": "Naik ke kabupaten"}).ExpectErr(403, "escalated_elsewhere")
			// The district sees it below it, with the village's name.
			list := w.camat.Do(t, "GET", cpl("14.01.01", "/complaints?escalated=here"), nil).Expect(200)
			if items := list.Items(); len(items) != 1 || items[0]["id"] != id || items[0]["tenant"] != villageA || items[0]["village"] != "Kumantan" {
				t.Errorf("district's escalated list: %s", list.Body)
			}
			w.camat.Do(t, "GET", cpl("14.01.01", "/complaints/"+id), nil).Expect(200)
			// An action at the district's address names the village's.
			if msg := string(w.camat.Do(t, "POST", cpl("14.01.01", "/complaints/"+id+"/respond"), map[string]string{"answer": "Sudah dijadwalkan."}).ExpectErr(422, "not_a_village").Body); !strings.Contains(msg, "/api/v1/t/"+villageA+"/complaints/complaints/"+id+"/respond") {
				t.Errorf("the refusal does not name the village's address: %s", msg)
			}
			// The regency: escalated further by the district.
			w.camat.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/escalate"), map[string]string{"to": "district", "reason": "Lagi ke kecamatan"}).ExpectErr(422, "invalid_escalation_target")
			w.camat.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/escalate"), map[string]string{"to": "regency", "reason": "Jalan kabupaten: PUPR Kampar"}).Expect(200)
			w.camat.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/respond"), map[string]string{"answer": "Kami perbaiki."}).ExpectErr(403, "escalated_elsewhere")
			if n := w.district.Do(t, "GET", cpl("14.01", "/complaints?escalated=here"), nil).Expect(200).Total(); n != 1 {
				t.Errorf("regency's escalated list: %d", n)
			}
			got = w.district.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/respond"), map[string]string{"answer": "Perbaikan jalan masuk APBD Perubahan, dikerjakan Januari."}).Expect(200).JSON()
			if got["answered_level"] != "regency" || got["state"] != "answered" {
				t.Errorf("answered by the regency: %v", got)
			}
			if tr := anon.Do(t, "GET", cpl(villageA, "/complaints/track/"+code), nil).Expect(200).JSON(); tr["escalated_to"] != "regency" || tr["state"] != "answered" {
				t.Errorf("tracking an escalated complaint: %v", tr)
			}
		})

		t.Run("roll-up", func(t *testing.T) {
			anon := w.h.AnonFrom("127.0.0.36")
			for _, v := range []string{villageA2, villageB, villageP} {
				anon.Do(t, "POST", cpl(v, "/complaints"), complaint("environment", "Pembakaran lahan di ujung desa, asap tebal", nil)).Expect(201)
			}
			stats := func(tenant string) map[string]any {
				return anon.Do(t, "GET", cpl(tenant, "/stats"), nil).Expect(200).JSON()
			}
			villageTotal := stats(villageA)["total"].(float64)
			a2 := stats(villageA2)["total"].(float64)
			bTotal := stats(villageB)["total"].(float64)
			district := stats("14.01.01")
			if district["total"].(float64) != villageTotal+a2 {
				t.Errorf("district total %v, want %v + %v (village B of another sub-district left out)", district["total"], villageTotal, a2)
			}
			regency := stats("14.01")
			if regency["total"].(float64) != villageTotal+a2+bTotal {
				t.Errorf("regency total %v, want %v (Pelalawan left out)", regency["total"], villageTotal+a2+bTotal)
			}
			if n := len(regency["villages"].([]any)); n < 200 {
				t.Errorf("regency roll-up has %d villages, want one line per village of Kampar", n)
			}
			bc := regency["by_category"].(map[string]any)
			if bc["environment"].(float64) < 3 {
				t.Errorf("by category: %v", bc)
			}
			if regency["median_response_days"] == nil || regency["on_time_percent"] == nil {
				t.Errorf("regency response figures: %v %v", regency["median_response_days"], regency["on_time_percent"])
			}
			// A village where the module is off leaves the roll-up.
			w.enable(t, villageA2, "complaints", false)
			if got := stats("14.01.01")["total"].(float64); got != villageTotal {
				t.Errorf("district total with %s off: %v, want %v", villageA2, got, villageTotal)
			}
			w.enable(t, villageA2, "complaints", true)
			// The published list rolls up as well.
			if got := anon.Do(t, "GET", cpl("14.01", "/published"), nil).Expect(200); got.Total() < 1 || strings.Contains(string(got.Body), "081299990000") {
				t.Errorf("regency's published list: %s", got.Body)
			}
		})

		t.Run("working days", func(t *testing.T) {
			anon := w.h.AnonFrom("127.0.0.37")
			// The regency declares the next ten days holidays: a complaint of
			// today is due on the first working day after them.
			loc, _ := time.LoadLocation("Asia/Jakarta")
			today := time.Now().In(loc)
			var hs []map[string]string
			for i := 1; i <= 10; i++ {
				hs = append(hs, map[string]string{"date": today.AddDate(0, 0, i).Format(time.DateOnly), "name": "Libur daerah"})
			}
			w.district.Do(t, "PUT", cpl("14.01", "/settings"), map[string]any{"target_days": 1, "holidays": hs}).Expect(200)
			if got := w.op.Do(t, "GET", cpl(villageA, "/settings"), nil).Expect(200).JSON(); got["target_days"] != float64(1) || got["default_holidays"] != false {
				t.Errorf("inherited settings: %v", got)
			}
			want := today.AddDate(0, 0, 11)
			for want.Weekday() == time.Saturday || want.Weekday() == time.Sunday {
				want = want.AddDate(0, 0, 1)
			}
			due := anon.Do(t, "POST", cpl(villageA2, "/complaints"), complaint("other", "Air PAM tidak mengalir tiga hari", nil)).Expect(201).Str("due_date")
			if due != want.Format(time.DateOnly) && time.Now().In(loc).Format(time.DateOnly) == today.Format(time.DateOnly) {
				t.Errorf("due %s, want %s", due, want.Format(time.DateOnly))
			}
			w.district.Do(t, "PUT", cpl("14.01", "/settings"), map[string]any{"target_days": 10, "holidays": nil}).Expect(200)
			if got := w.op.Do(t, "GET", cpl(villageA, "/settings"), nil).Expect(200).JSON(); got["default_holidays"] != true {
				t.Errorf("default holidays back: %v", got)
			}
		})

		t.Run("rate limit", func(t *testing.T) {
			c := w.h.AnonFrom("127.0.0.22")
			for i := 0; i < 10; i++ {
				c.Do(t, "POST", cpl(villageB, "/complaints"), complaint("other", "Keluhan berulang nomor lima belas", nil)).Expect(201)
			}
			res := c.Do(t, "POST", cpl(villageB, "/complaints"), complaint("other", "Keluhan berulang nomor lima belas", nil)).ExpectErr(429, "rate_limited")
			if res.Header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
		})
	})
}
