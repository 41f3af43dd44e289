package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/plugins/services/letterread"
)

// Residents of the letter tests, one per village, each with the mother's
// name a citizen proves identity with.
var (
	budi = map[string]string{"nik": "1401011503800001", "kk": "1401012001150001", "name": "Budi Santoso", "sex": "L",
		"birth_date": "1980-03-15", "birth_place": "Bangkinang", "relationship": "1", "religion": "1", "occupation": "9",
		"address": "Jl. Lintas Timur No. 5", "rt": "002", "rw": "001", "mother_name": "Siti Rahmah"}
	sari = map[string]string{"nik": "1401014107900002", "kk": "1401012001150002", "name": "Sari Dewi", "sex": "P",
		"birth_date": "1990-07-01", "relationship": "1", "mother_name": "Nurhayati"}
	rina = map[string]string{"nik": "1401026006900004", "kk": "1401022001150001", "name": "Rina Marlina", "sex": "P",
		"birth_date": "1990-06-20", "relationship": "1", "mother_name": "Rohani"}
)

// servicesWorld is a host with population and services enabled in Kampar
// and a resident in villages A, A2 (same sub-district) and B.
func servicesWorld(t *testing.T, b storetest.Backend) *pluginWorld {
	t.Helper()
	w := startPlugins(t, b, []string{"population", "services"})
	w.enable(t, "14.01", "population", true)
	w.enable(t, "14.01", "services", true)
	w.op.Do(t, "POST", p(villageA, "population", "/residents"), budi).Expect(201)
	w.district.Do(t, "POST", p(villageA2, "population", "/residents"), sari).Expect(201)
	w.opB.Do(t, "POST", p(villageB, "population", "/residents"), rina).Expect(201)
	return w
}

func letterRequest(typ, nik, purpose string, fields map[string]string) map[string]any {
	return map[string]any{"type": typ, "nik": nik, "purpose": purpose, "fields": fields}
}

// letterText is the text a letter PDF shows, its lines joined and its
// spaces collapsed.
func letterText(t *testing.T, pdf []byte) string {
	t.Helper()
	lines, err := letterread.Lines(pdf)
	if err != nil {
		t.Fatalf("the letter is not a readable PDF: %v", err)
	}
	return strings.Join(strings.Fields(strings.Join(lines, " ")), " ")
}

// letterQR decodes the one QR code of a letter PDF.
func letterQR(t *testing.T, pdf []byte) string {
	t.Helper()
	qr, err := letterread.QR(pdf)
	if err != nil {
		t.Fatalf("the letter's QR code: %v", err)
	}
	return qr
}

// verifyAPI is the API's address of what a letter's QR code holds (the
// village's public page /{village}/services/verify/{code}): the same
// check, answered as JSON.
func verifyAPI(t *testing.T, qr string) string {
	t.Helper()
	u, err := url.Parse(qr)
	parts := strings.Split(strings.TrimPrefix(u.Path, "/"), "/")
	if err != nil || len(parts) != 4 || parts[1] != "services" || parts[2] != "verify" {
		t.Fatalf("the QR code %q is not a verification page's address", qr)
	}
	return "/api/v1/t/" + parts[0] + "/services/verify/" + parts[3]
}

// raw sends a request without failing the test, for use in goroutines
// and with headers of one's own.
func raw(c *Client, method, url string, body any, header map[string]string) (int, []byte, error) {
	a := c.send(method, url, body, header)
	return a.status, a.body, a.err
}

// servicesEvents lists the services events recorded for a request ref.
func servicesEvents(t *testing.T, h *Host, ref string) []string {
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
	if err := db.Table("events").Select("name, payload").Where("plugin = ?", "services").Order("id").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range rows {
		var p struct{ Ref string }
		json.Unmarshal(r.Payload, &p)
		if p.Ref == ref {
			names = append(names, r.Name)
			if bytes.Contains(r.Payload, []byte("1401011503800001")) {
				t.Errorf("event %s carries a NIK: %s", r.Name, r.Payload)
			}
		}
	}
	return names
}

func auditActions(t *testing.T, admin *Client, target string) []string {
	t.Helper()
	var actions []string
	for _, e := range admin.Do(t, "GET", "/api/v1/audit?action=services.*&limit=500", nil).Expect(200).Items() {
		if e["target"] == target {
			actions = append(actions, e["action"].(string))
		}
	}
	slices.Reverse(actions) // oldest first
	return actions
}

func TestServicesLetterLifecycle(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := servicesWorld(t, b)
		svc := func(tenant, path string) string { return p(tenant, "services", path) }

		// An operator asks for a business letter for a resident of the village.
		fields := map[string]string{"business_name": "Kedai Kopi Kampar", "business_kind": "warung kopi", "business_address": "Pasar Bangkinang"}
		created := w.op.Do(t, "POST", svc(villageA, "/requests"), letterRequest("usaha", budi["nik"], "pengajuan kredit usaha rakyat", fields)).Expect(201).JSON()
		id, ref := created["id"].(string), created["ref"].(string)
		if created["state"] != "submitted" || created["name"] != "Budi Santoso" || created["nik"] != budi["nik"] || created["masked"] != false {
			t.Errorf("created request: %v", created)
		}
		if res := created["resident"].(map[string]any); res["religion"] != "Islam" || res["occupation"] != "Petani/Pekebun" || res["birth_place"] != "Bangkinang" {
			t.Errorf("resident snapshot with code names: %v", res)
		}

		// Bad input and other villages are refused, each with its reason.
		w.op.Do(t, "POST", svc(villageA, "/requests"), letterRequest("domisili", rina["nik"], "x", nil)).ExpectErr(422, "unknown_resident")
		w.op.Do(t, "POST", svc(villageA, "/requests"), letterRequest("domisili", "1401011503809999", "x", nil)).ExpectErr(422, "unknown_resident")
		w.op.Do(t, "POST", svc(villageA, "/requests"), letterRequest("usaha", budi["nik"], "x", map[string]string{"business_name": "X"})).ExpectErr(422, "missing_field")
		w.op.Do(t, "POST", svc(villageA, "/requests"), letterRequest("surat_nikah", budi["nik"], "x", nil)).ExpectErr(422, "unknown_type")
		w.op.Do(t, "POST", svc(villageA, "/requests"), `{"type":"domisili",`).ExpectErr(400, "malformed_json")
		w.opB.Do(t, "POST", svc(villageA, "/requests"), letterRequest("domisili", budi["nik"], "x", nil)).ExpectErr(403, "forbidden")
		w.opB.Do(t, "GET", svc(villageA, "/requests/"+id), nil).ExpectErr(403, "forbidden")
		w.opB.Do(t, "POST", svc(villageA, "/requests/"+id+"/approve"), nil).ExpectErr(403, "forbidden")
		w.opB.Do(t, "GET", svc(villageB, "/requests/"+id), nil).ExpectErr(404, "request_not_found")
		w.viewer.Do(t, "POST", svc(villageA, "/requests/"+id+"/approve"), nil).ExpectErr(403, "forbidden")
		w.pelalawanUser.Do(t, "GET", svc(villageP, "/requests"), nil).ExpectErr(404, "module_not_enabled")

		// Editing while submitted is fine.
		w.op.Do(t, "PATCH", svc(villageA, "/requests/"+id), map[string]any{"purpose": "pengajuan KUR"}).Expect(200)
		w.op.Do(t, "PATCH", svc(villageA, "/requests/"+id), map[string]any{"fields": map[string]string{"business_name": "X"}}).ExpectErr(422, "missing_field")

		// Approval numbers the letter; it is printed once issued (an
		// approved letter's QR code would not verify as valid).
		w.op.Do(t, "GET", svc(villageA, "/requests/"+id+"/pdf"), nil).ExpectErr(409, "letter_not_issued")
		approved := w.op.Do(t, "POST", svc(villageA, "/requests/"+id+"/approve"), nil).Expect(200).JSON()
		number := approved["number"].(string)
		if want := regexp.MustCompile(`^001/500/14\.01\.01\.2009/[IVX]+/20\d\d$`); !want.MatchString(number) || approved["state"] != "approved" {
			t.Errorf("approved as %v", approved)
		}
		w.op.Do(t, "GET", svc(villageA, "/requests/"+id+"/pdf"), nil).ExpectErr(409, "letter_not_issued")
		if v := w.h.Anon().Do(t, "GET", verifyAPI(t, approved["verify_url"].(string)), nil).Expect(200).JSON(); v["valid"] != false || v["state"] != "approved" {
			t.Errorf("verification before issue: %v", v)
		}

		// Issued: the letter prints and verifies, and can no longer change.
		w.op.Do(t, "POST", svc(villageA, "/requests/"+id+"/issue"), nil).Expect(200)
		pdf := w.op.Do(t, "GET", svc(villageA, "/requests/"+id+"/pdf"), nil).Expect(200)
		if ct := pdf.Header.Get("Content-Type"); ct != "application/pdf" {
			t.Errorf("PDF served as %s", ct)
		}
		text := letterText(t, pdf.Body)
		for _, want := range []string{
			"PEMERINTAH KABUPATEN KAMPAR", "KECAMATAN BANGKINANG KOTA", "DESA KUMANTAN", "SURAT KETERANGAN USAHA", "Nomor: " + number,
			"Kepala Desa Kumantan", "Budi Santoso", "1401011503800001", "Bangkinang, 15 Maret 1980", "Islam", "Petani/Pekebun",
			"Jl. Lintas Timur No. 5, RT 002/RW 001, Desa Kumantan", "Kedai Kopi Kampar", "pengajuan KUR", "Kumantan, ",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("the letter does not say %q:\n%s", want, text)
			}
		}
		// The QR code points back at this portal, as the approver reached it.
		// It opens the village's public verification page, a page for a
		// phone; the API's address of the same code (what the letters
		// printed before held) keeps answering, JSON for programs.
		qr := letterQR(t, pdf.Body)
		if !strings.HasPrefix(qr, w.h.URL+"/"+villageA+"/services/verify/") || approved["verify_url"] != qr {
			t.Fatalf("QR code %q, portal %s, verify_url %v", qr, w.h.URL, approved["verify_url"])
		}
		v := w.h.Anon().Do(t, "GET", svc(villageA, "/verify/"+qr[strings.LastIndex(qr, "/")+1:]), nil).Expect(200).JSON()
		if v["valid"] != true || v["number"] != number || v["type"] != "usaha" || v["village"] != "Desa Kumantan" ||
			v["name"] != "B*** S******" || v["tenant"] != villageA || v["date"] != approved["letter_date"] {
			t.Errorf("verification of the issued letter: %v", v)
		}
		if strings.Contains(fmt.Sprint(v), "Budi") || strings.Contains(fmt.Sprint(v), budi["nik"]) {
			t.Errorf("verification reveals personal data: %v", v)
		}
		for _, u := range []string{qr, w.h.URL + svc(villageA, "/verify/"+qr[strings.LastIndex(qr, "/")+1:])} {
			status, page, err := raw(w.h.Anon(), "GET", u, nil, map[string]string{"Accept": "text/html"})
			if err != nil || status != 200 || !bytes.Contains(page, []byte("Surat sah")) || !bytes.Contains(page, []byte(number)) {
				t.Errorf("verification page for a phone at %s: %d %s", u, status, page)
			}
		}
		// The QR code's page is the portal's, at 360 px: a viewport, the
		// portal's stylesheet, no raw JSON.
		if status, page, _ := raw(w.h.Anon(), "GET", qr, nil, nil); status != 200 || !bytes.Contains(page, []byte(`name="viewport"`)) || bytes.HasPrefix(bytes.TrimSpace(page), []byte("{")) {
			t.Errorf("the QR code's link without Accept: %d %.300s", status, page)
		}
		code := qr[strings.LastIndex(qr, "/")+1:]
		tampered := code[:len(code)-1] + "A"
		if strings.HasSuffix(code, "A") {
			tampered = code[:len(code)-1] + "B"
		}
		w.h.Anon().Do(t, "GET", svc(villageA, "/verify/"+tampered), nil).ExpectErr(404, "letter_not_found")
		w.h.Anon().Do(t, "GET", svc(villageA, "/verify/"+code+"X"), nil).ExpectErr(404, "letter_not_found")
		w.h.Anon().Do(t, "GET", svc(villageB, "/verify/"+code), nil).ExpectErr(404, "letter_not_found")
		w.op.Do(t, "POST", svc(villageA, "/requests/"+id+"/approve"), nil).ExpectErr(409, "invalid_state")
		w.op.Do(t, "PATCH", svc(villageA, "/requests/"+id), map[string]any{"purpose": "lain"}).ExpectErr(409, "invalid_state")
		w.op.Do(t, "POST", svc(villageA, "/requests/"+id+"/reject"), map[string]string{"reason": "x"}).ExpectErr(409, "invalid_state")
		w.op.Do(t, "POST", svc(villageA, "/requests/"+id+"/issue"), nil).ExpectErr(409, "invalid_state")

		// Revoked: verification says so, and the PDF is marked.
		w.op.Do(t, "POST", svc(villageA, "/requests/"+id+"/revoke"), map[string]string{}).ExpectErr(422, "invalid_reason")
		w.op.Do(t, "POST", svc(villageA, "/requests/"+id+"/revoke"), map[string]string{"reason": "data usaha keliru"}).Expect(200)
		v = w.h.Anon().Do(t, "GET", svc(villageA, "/verify/"+code), nil).Expect(200).JSON()
		if v["valid"] != false || v["state"] != "revoked" || v["revoked_at"] == nil {
			t.Errorf("verification of a revoked letter: %v", v)
		}
		if text := letterText(t, w.op.Do(t, "GET", svc(villageA, "/requests/"+id+"/pdf"), nil).Expect(200).Body); !strings.Contains(text, "SURAT INI TELAH DICABUT") {
			t.Errorf("the revoked letter's PDF: %s", text)
		}
		w.op.Do(t, "POST", svc(villageA, "/requests/"+id+"/revoke"), map[string]string{"reason": "lagi"}).ExpectErr(409, "invalid_state")

		// Every change was audited and announced, in order.
		if got, want := auditActions(t, w.admin, ref), []string{"services.requests.submitted", "services.requests.updated", "services.requests.approved",
			"services.requests.issued", "services.letters.printed", "services.requests.revoked", "services.letters.printed"}; !slices.Equal(got, want) {
			t.Errorf("audit trail of %s: %v, want %v", ref, got, want)
		}
		if got, want := servicesEvents(t, w.h, ref), []string{"services.request_submitted", "services.request_updated", "services.request_approved",
			"services.request_issued", "services.request_revoked"}; !slices.Equal(got, want) {
			t.Errorf("events of %s: %v, want %v", ref, got, want)
		}

		// A viewer reads the NIK masked by the host, no resident snapshot,
		// and cannot print; the district admin sees them in full, and the
		// host audits that read (the collection, the record, the fields).
		if items := w.viewer.Do(t, "GET", svc(villageA, "/requests"), nil).Expect(200).Items(); len(items) != 1 || items[0]["nik"] != "1401**********01" || items[0]["resident"] != nil || items[0]["masked"] != true {
			t.Errorf("viewer's list: %v", items)
		}
		w.viewer.Do(t, "GET", svc(villageA, "/requests/"+id+"/pdf"), nil).ExpectErr(403, "forbidden")
		if r := w.district.Do(t, "GET", svc(villageA, "/requests/"+id), nil).Expect(200).JSON(); r["nik"] != budi["nik"] || r["masked"] != false {
			t.Errorf("district admin sees %v", r["nik"])
		}
		reads := w.admin.Do(t, "GET", "/api/v1/audit?action=services.personal.read&actor=kampar-admin", nil).Expect(200).Items()
		if len(reads) == 0 || reads[0]["target"] != "requests" || fmt.Sprint(reads[0]["detail"].(map[string]any)["records"]) != "["+id+"]" ||
			strings.Contains(fmt.Sprint(reads[0]), budi["nik"]) {
			t.Errorf("full read not audited: %v", reads)
		}

		// A citizen asks online, proving identity with KK and mother's name.
		citizen := map[string]any{"type": "domisili", "nik": budi["nik"], "kk": budi["kk"], "mother_name": "  SITI rahmah", "purpose": "melamar pekerjaan"}
		online := w.h.Anon().Do(t, "POST", svc(villageA, "/public/requests"), citizen).Expect(201).JSON()
		track := online["track_code"].(string)
		var refusal string
		for _, change := range []map[string]any{
			{"mother_name": "Siti Aminah"},
			{"kk": "1401012001150009"},
			{"nik": rina["nik"], "kk": rina["kk"], "mother_name": rina["mother_name"]}, // right, but of another village
		} {
			body := map[string]any{}
			for k, v := range citizen {
				body[k] = v
			}
			for k, v := range change {
				body[k] = v
			}
			r := w.h.Anon().Do(t, "POST", svc(villageA, "/public/requests"), body).ExpectErr(422, "unknown_resident")
			// One answer for every mismatch: it must not tell which part was wrong.
			if refusal == "" {
				refusal = string(r.Body)
			} else if string(r.Body) != refusal {
				t.Errorf("refusals differ: %s and %s", refusal, r.Body)
			}
		}
		// The population module's own check answers the same way.
		w.h.Anon().Do(t, "POST", p(villageA, "population", "/verify"), map[string]string{"nik": budi["nik"], "kk": budi["kk"], "mother_name": "siti rahmah"}).Expect(200)
		w.h.Anon().Do(t, "POST", p(villageA, "population", "/verify"), map[string]string{"nik": budi["nik"], "kk": budi["kk"], "mother_name": "Siti"}).ExpectErr(404, "resident_not_found")
		tr := w.h.Anon().Do(t, "GET", svc(villageA, "/track/"+track), nil).Expect(200).JSON()
		if tr["state"] != "submitted" || tr["ref"] != online["ref"] {
			t.Errorf("tracking: %v", tr)
		}
		onlineID := w.op.Do(t, "GET", svc(villageA, "/requests?ref="+online["ref"].(string)), nil).Expect(200).Items()[0]["id"].(string)
		w.op.Do(t, "POST", svc(villageA, "/requests/"+onlineID+"/reject"), map[string]string{"reason": "alamat belum lengkap"}).Expect(200)
		if tr := w.h.Anon().Do(t, "GET", svc(villageA, "/track/"+track), nil).Expect(200).JSON(); tr["state"] != "rejected" || tr["reason"] != "alamat belum lengkap" {
			t.Errorf("tracking a rejected request: %v", tr)
		}
		w.op.Do(t, "POST", svc(villageA, "/requests/"+onlineID+"/approve"), nil).ExpectErr(409, "invalid_state")
		// Online requests wait for the village a few at a time.
		for i := 0; i < 5; i++ {
			w.h.Anon().Do(t, "POST", svc(villageA, "/public/requests"), citizen).Expect(201)
		}
		w.h.Anon().Do(t, "POST", svc(villageA, "/public/requests"), citizen).ExpectErr(429, "too_many_requests")

		// The district sets the portal's public address and the village
		// its signatory: the next letter carries both.
		w.district.Do(t, "PUT", svc("14.01", "/settings"), map[string]any{"public_base_url": "https://portal.kamparkab.go.id"}).Expect(200)
		w.district.Do(t, "PUT", svc(villageA, "/settings"), map[string]any{"signatory": map[string]string{"name": "H. Syamsuar"}}).Expect(200)
		w.op.Do(t, "PUT", svc(villageA, "/settings"), map[string]any{"place": "X"}).ExpectErr(403, "forbidden")
		id2 := w.op.Do(t, "POST", svc(villageA, "/requests"), letterRequest("sktm", budi["nik"], "beasiswa", nil)).Expect(201).Str("id")
		second := w.op.Do(t, "POST", svc(villageA, "/requests/"+id2+"/approve"), nil).Expect(200).JSON()
		if !strings.HasPrefix(second["number"].(string), "002/400/") {
			t.Errorf("second number %v", second["number"])
		}
		w.op.Do(t, "POST", svc(villageA, "/requests/"+id2+"/issue"), nil).Expect(200)
		pdf2 := w.op.Do(t, "GET", svc(villageA, "/requests/"+id2+"/pdf"), nil).Expect(200).Body
		if qr := letterQR(t, pdf2); !strings.HasPrefix(qr, "https://portal.kamparkab.go.id/"+villageA+"/services/verify/") {
			t.Errorf("QR code with the public address set: %s", qr)
		}
		if text := letterText(t, pdf2); !strings.Contains(text, "H. Syamsuar") || !strings.Contains(text, "SURAT KETERANGAN TIDAK MAMPU") {
			t.Errorf("second letter: %s", text)
		}
	})
}

// Fifty operators approving at once get fifty different numbers, 1 to 50
// with none skipped, and the register agrees with the events.
func TestServicesConcurrentNumbering(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := servicesWorld(t, b)
		const n = 50
		ids := make([]string, n)
		for i := range ids {
			ids[i] = w.op.Do(t, "POST", p(villageA, "services", "/requests"), letterRequest("domisili", budi["nik"], fmt.Sprintf("keperluan %d", i), nil)).Expect(201).Str("id")
		}
		var wg sync.WaitGroup
		numbers := make([]string, n)
		errs := make([]string, n)
		start := make(chan struct{})
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				status, body, err := raw(w.op, "POST", p(villageA, "services", "/requests/"+id+"/approve"), nil, nil)
				var r struct{ Number, State string }
				json.Unmarshal(body, &r)
				if err != nil || status != 200 || r.State != "approved" {
					errs[i] = fmt.Sprintf("approval %d: %d %v %s", i, status, err, body)
				}
				numbers[i] = r.Number
			}()
		}
		close(start)
		wg.Wait()
		for _, e := range errs {
			if e != "" {
				t.Error(e)
			}
		}
		seen := map[int]bool{}
		for _, num := range numbers {
			var seq int
			fmt.Sscanf(num, "%d/", &seq)
			if seen[seq] || seq < 1 || seq > n || !strings.HasPrefix(num, fmt.Sprintf("%03d/470/%s/", seq, villageA)) {
				t.Errorf("number %q is out of place or given twice", num)
			}
			seen[seq] = true
		}
		if len(seen) != n {
			t.Errorf("%d distinct numbers for %d approvals", len(seen), n)
		}
		// The next approval continues the sequence.
		id := w.op.Do(t, "POST", p(villageA, "services", "/requests"), letterRequest("domisili", budi["nik"], "satu lagi", nil)).Expect(201).Str("id")
		if num := w.op.Do(t, "POST", p(villageA, "services", "/requests/"+id+"/approve"), nil).Expect(200).Str("number"); !strings.HasPrefix(num, "051/") {
			t.Errorf("the approval after fifty got %s", num)
		}
		// Another village counts on its own.
		idB := w.opB.Do(t, "POST", p(villageB, "services", "/requests"), letterRequest("domisili", rina["nik"], "x", nil)).Expect(201).Str("id")
		if num := w.opB.Do(t, "POST", p(villageB, "services", "/requests/"+idB+"/approve"), nil).Expect(200).Str("number"); !strings.HasPrefix(num, "001/470/"+villageB) {
			t.Errorf("village B's first number %s", num)
		}
		db, err := store.Open(store.Options{URL: w.h.DBURL, DataDir: w.h.DataDir})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var approvedEvents int64
		db.Table("events").Where("plugin = ? AND name = ? AND tenant = ?", "services", "services.request_approved", villageA).Count(&approvedEvents)
		if approvedEvents != n+1 {
			t.Errorf("%d approval events in village A, want %d", approvedEvents, n+1)
		}
	})
}

// A sub-district sees and counts the requests of its villages, and only
// those; a village sees only its own.
func TestServicesSubDistrictView(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := servicesWorld(t, b)
		camat, _ := w.admin.CreateUser(t, "camat-bangkinang")
		w.admin.Grant(t, "14.01.01", "camat-bangkinang", "viewer")
		submit := func(c *Client, tenant, typ, nik string, fields map[string]string) string {
			return c.Do(t, "POST", p(tenant, "services", "/requests"), letterRequest(typ, nik, "keperluan", fields)).Expect(201).Str("id")
		}
		a1 := submit(w.op, villageA, "domisili", budi["nik"], nil)
		submit(w.op, villageA, "sktm", budi["nik"], nil)
		submit(w.op, villageA, "pengantar_ktp", budi["nik"], map[string]string{"reason": "hilang"})
		a2 := submit(w.district, villageA2, "domisili", sari["nik"], nil)
		submit(w.district, villageA2, "kelahiran", sari["nik"], map[string]string{"child_name": "Putri", "child_sex": "P", "child_birth_place": "Bangkinang", "child_birth_date": "2026-01-02"})
		submit(w.opB, villageB, "domisili", rina["nik"], nil)
		w.op.Do(t, "POST", p(villageA, "services", "/requests/"+a1+"/approve"), nil).Expect(200)
		w.district.Do(t, "POST", p(villageA2, "services", "/requests/"+a2+"/reject"), map[string]string{"reason": "berkas kurang"}).Expect(200)

		st := camat.Do(t, "GET", p("14.01.01", "services", "/requests/stats"), nil).Expect(200).JSON()
		byType, byState := st["by_type"].(map[string]any), st["by_state"].(map[string]any)
		if st["total"] != float64(5) || byType["domisili"] != float64(2) || byType["sktm"] != float64(1) || byType["kelahiran"] != float64(1) ||
			byState["submitted"] != float64(3) || byState["approved"] != float64(1) || byState["rejected"] != float64(1) {
			t.Errorf("sub-district stats: %v", st)
		}
		perVillage := map[string]float64{}
		for _, v := range st["villages"].([]any) {
			m := v.(map[string]any)
			perVillage[m["code"].(string)] = m["total"].(float64)
		}
		if perVillage[villageA] != 3 || perVillage[villageA2] != 2 {
			t.Errorf("per village: %v", perVillage)
		}
		if _, listed := perVillage[villageB]; listed {
			t.Errorf("a village of another sub-district is listed: %v", perVillage)
		}
		list := camat.Do(t, "GET", p("14.01.01", "services", "/requests"), nil).Expect(200)
		if list.Total() != 5 {
			t.Errorf("sub-district list: %d requests", list.Total())
		}
		for _, it := range list.Items() {
			if it["tenant"] != villageA && it["tenant"] != villageA2 || it["village"] == "" || it["masked"] != true {
				t.Errorf("sub-district list item: %v", it)
			}
		}
		if n := camat.Do(t, "GET", p("14.01.01", "services", "/requests?village="+villageA2+"&state=rejected"), nil).Expect(200).Total(); n != 1 {
			t.Errorf("filtered by village and state: %d", n)
		}
		// The district counts all three villages.
		if all := w.district.Do(t, "GET", p("14.01", "services", "/requests/stats"), nil).Expect(200).JSON(); all["total"] != float64(6) {
			t.Errorf("district stats: %v", all["total"])
		}
		// A village sees its own, and nothing above it.
		if own := w.op.Do(t, "GET", p(villageA, "services", "/requests/stats"), nil).Expect(200).JSON(); own["total"] != float64(3) {
			t.Errorf("village A stats: %v", own["total"])
		}
		w.op.Do(t, "GET", p("14.01.01", "services", "/requests/stats"), nil).ExpectErr(403, "forbidden")
		camat.Do(t, "GET", p("14.01.02", "services", "/requests"), nil).ExpectErr(403, "forbidden")
		camat.Do(t, "POST", p("14.01.01", "services", "/requests/"+a1+"/approve"), nil).ExpectErr(403, "forbidden")
	})
}

// With --public-url, a letter's verification link is the portal's, however
// the approver's request names the host: a forged Host or X-Forwarded-Host
// must not put a link to another site on an official letter.
func TestServicesVerificationLinkUsesThePublicURL(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"population", "services"}, "--public-url", "https://portal.kampar.go.id")
		w.enable(t, "14.01", "population", true)
		w.enable(t, "14.01", "services", true)
		w.op.Do(t, "POST", p(villageA, "population", "/residents"), budi).Expect(201)
		// A village's own setting does not override the deployment's
		// address either.
		w.admin.Do(t, "PUT", p(villageA, "services", "/settings"), map[string]string{"public_base_url": "https://desa-palsu.example"}).Expect(200)
		id := w.op.Do(t, "POST", p(villageA, "services", "/requests"), letterRequest("domisili", budi["nik"], "melamar pekerjaan", nil)).Expect(201).Str("id")
		a := w.op.send("POST", p(villageA, "services", "/requests/"+id+"/approve"), nil, map[string]string{"X-Forwarded-Host": "balai-verifikasi.example", "X-Forwarded-Proto": "http", "Balai-Public-Url": "https://palsu.example"})
		if a.status != 200 {
			t.Fatalf("approve: %d %s", a.status, a.body)
		}
		var approved map[string]any
		if err := json.Unmarshal(a.body, &approved); err != nil {
			t.Fatal(err)
		}
		if u, _ := approved["verify_url"].(string); !strings.HasPrefix(u, "https://portal.kampar.go.id/"+villageA+"/services/verify/") {
			t.Errorf("verify_url %q, want the public URL's", u)
		}
		if strings.Contains(w.h.Log(), "no --public-url") {
			t.Error("the server warns of a missing public URL it was given")
		}
	})
}

// A village may have its head approve and print letters without reading
// requesters' data in the API (a "kepala desa" role without
// services.requests.read_personal): the plugin builds and prints the
// letter from the request read revealed, each reveal audited with its
// purpose, and answers the approver only what the host shows her.
func TestServicesApproverWithoutPersonalRead(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := servicesWorld(t, b)
		svc := func(path string) string { return p(villageA, "services", path) }
		w.admin.Do(t, "POST", "/api/v1/roles", map[string]any{"name": "kades",
			"permissions": []string{"services.requests.read", "services.requests.approve", "services.letters.print"}}).Expect(201)
		kades, _ := w.admin.CreateUser(t, "kades-a")
		w.admin.Grant(t, villageA, "kades-a", "kades")

		id := w.op.Do(t, "POST", svc("/requests"), letterRequest("domisili", budi["nik"], "melamar pekerjaan", nil)).Expect(201).Str("id")
		if q := kades.Do(t, "GET", svc("/requests/"+id), nil).Expect(200).JSON(); q["nik"] != "1401**********01" || q["resident"] != nil || q["masked"] != true {
			t.Errorf("the head reads %v", q)
		}
		approved := kades.Do(t, "POST", svc("/requests/"+id+"/approve"), nil).Expect(200)
		if q := approved.JSON(); q["state"] != "approved" || q["nik"] != "1401**********01" || q["resident"] != nil {
			t.Errorf("the head's approval answers %v", q)
		}
		if strings.Contains(string(approved.Body), budi["nik"]) || strings.Contains(string(approved.Body), "Lintas Timur") {
			t.Errorf("the approval answers revealed data: %s", approved.Body)
		}
		// The letter holds the real data: it was built from the revealed
		// request, and services.letters.print is the right to have it
		// (once the clerk has issued it).
		w.op.Do(t, "POST", svc("/requests/"+id+"/issue"), nil).Expect(200)
		text := letterText(t, kades.Do(t, "GET", svc("/requests/"+id+"/pdf"), nil).Expect(200).Body)
		for _, want := range []string{"Budi Santoso", budi["nik"], "Bangkinang, 15 Maret 1980", "Jl. Lintas Timur No. 5, RT 002/RW 001"} {
			if !strings.Contains(text, want) {
				t.Errorf("the letter does not say %q:\n%s", want, text)
			}
		}
		purposes := map[string]bool{}
		for _, e := range w.admin.Do(t, "GET", "/api/v1/audit?action=services.personal.read&actor=kades-a", nil).Expect(200).Items() {
			purposes[fmt.Sprint(e["detail"].(map[string]any)["purpose"])] = true
		}
		if !purposes["build the approved letter from the request"] || !purposes["print the letter (services.letters.print)"] || purposes["<nil>"] {
			t.Errorf("the head's reads of personal data in the audit trail: %v", purposes)
		}
	})
}
