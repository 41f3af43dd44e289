package e2e

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
)

func dis(tenant, path string) string { return p(tenant, "disaster", path) }

// Residents of the disaster tests in village A: budi's wife in his family,
// and dewi heading another family.
var (
	disWife = map[string]string{"nik": "1401015206850002", "kk": "1401012001150001", "name": "Ani Lestari", "sex": "P",
		"birth_date": "1985-06-12", "relationship": "3", "mother_name": "Rukiah"}
	disDewi = map[string]string{"nik": "1401014408920003", "kk": "1401012001150003", "name": "Dewi Kartika", "sex": "P",
		"birth_date": "1992-08-04", "relationship": "1", "mother_name": "Maimunah"}
)

// disHook is the regency's own system: it records what the webhook posts
// and fails the first delivery, so that the retry shows.
type disHook struct {
	mu     sync.Mutex
	bodies [][]byte
	sigs   []string
	events []string
	calls  int
}

func (h *disHook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls++
	if h.calls == 1 {
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	h.bodies = append(h.bodies, b)
	h.sigs = append(h.sigs, r.Header.Get("X-Balai-Signature"))
	h.events = append(h.events, r.Header.Get("X-Balai-Event"))
}

func disReport(typ, at, desc string) map[string]any {
	return map[string]any{"type": typ, "occurred_at": at, "dusun": "Dusun II", "location": "RT 002 / RW 001, dekat masjid",
		"latitude": 0.3301, "longitude": 101.0212, "description": desc, "reporter_name": "Rahmat Hidayat", "reporter_phone": "0812-7777-8888"}
}

func startDisaster(t *testing.T, b storetest.Backend) *pluginWorld {
	t.Helper()
	// The webhook's receiver in these tests listens on 127.0.0.1: the
	// deployment's switch for tests lets the webhook reach it.
	w := startPlugins(t, b, []string{"population", "disaster"}, "--outbound-allow-loopback")
	w.enable(t, "14.01", "population", true)
	w.enable(t, "14.01", "disaster", true)
	for _, r := range []map[string]string{budi, disWife, disDewi} {
		w.op.Do(t, "POST", p(villageA, "population", "/residents"), r).Expect(201)
	}
	return w
}

func TestDisaster(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startDisaster(t, b)
		// The test switch is never silent: a deployment started with it
		// says so in its log.
		if !strings.Contains(w.h.Log(), "--outbound-allow-loopback") {
			t.Errorf("the server started with --outbound-allow-loopback does not warn of it:\n%s", w.h.Log())
		}
		anon := w.h.AnonFrom("127.0.0.21")
		now := time.Now().UTC()
		at := now.Add(-3 * time.Hour).Format(time.RFC3339)
		hook := &disHook{}
		srv := httptest.NewServer(hook)
		t.Cleanup(srv.Close)
		const secret = "kampar-bpbd-secret-2026"

		t.Run("regency webhook settings", func(t *testing.T) {
			w.district.Do(t, "PUT", dis("14.01", "/settings"), map[string]string{"webhook_url": "ftp://x"}).ExpectErr(422, "invalid_settings")
			w.district.Do(t, "PUT", dis("14.01", "/settings"), map[string]string{"webhook_url": srv.URL + "/hook"}).ExpectErr(422, "invalid_settings")
			w.district.Do(t, "PUT", dis("14.01", "/settings"), map[string]string{"webhook_url": srv.URL, "webhook_secret": "short"}).ExpectErr(422, "invalid_settings")
			w.district.Do(t, "PUT", dis(villageA, "/settings"), map[string]string{"webhook_url": srv.URL, "webhook_secret": secret}).ExpectErr(422, "not_a_regency")
			w.op.Do(t, "PUT", dis(villageA, "/settings"), map[string]string{"webhook_url": srv.URL, "webhook_secret": secret}).ExpectErr(403, "forbidden")
			r := w.district.Do(t, "PUT", dis("14.01", "/settings"), map[string]string{"webhook_url": srv.URL + "/hook?token=abc", "webhook_secret": secret}).Expect(200)
			if strings.Contains(string(r.Body), secret) || r.JSON()["secret_set"] != true {
				t.Fatalf("settings answer: %s", r.Body)
			}
			if r := w.district.Do(t, "GET", dis("14.01", "/settings"), nil).Expect(200); strings.Contains(string(r.Body), secret) {
				t.Fatalf("secret shown: %s", r.Body)
			}
		})

		var id, code string
		t.Run("citizen reports, public sees nothing until verified", func(t *testing.T) {
			r := anon.Do(t, "POST", dis(villageA, "/reports"), disReport("flood", at, "Sungai Kampar meluap, 30 rumah tergenang")).Expect(201)
			code = r.Str("tracking_code")
			if len(code) != 14 || r.Str("id") != "" || r.Str("status") != "reported" {
				t.Fatalf("created: %s", r.Body)
			}
			if n := w.h.Anon().Do(t, "GET", dis("14.01", "/reports"), nil).Expect(200).Total(); n != 0 {
				t.Fatalf("public list shows an unverified report: %d", n)
			}
			w.h.Anon().Do(t, "GET", dis(villageA, "/reports?status=reported"), nil).ExpectErr(400, "invalid_filter")
			tr := anon.Do(t, "GET", dis(villageA, "/track/"+strings.ToLower(code)), nil).Expect(200)
			if tr.Str("status") != "reported" || tr.Str("report_id") != "" {
				t.Fatalf("tracking: %s", tr.Body)
			}
			anon.Do(t, "GET", dis(villageA2, "/track/"+code), nil).ExpectErr(404, "report_not_found")
			items := w.viewer.Do(t, "GET", dis(villageA, "/reports?status=reported"), nil).Expect(200).Items()
			if len(items) != 1 || items[0]["reporter_phone"] == "081277778888" || items[0]["reporter_phone"] == nil {
				t.Fatalf("viewer sees the phone unmasked or not at all: %v", items)
			}
			id = items[0]["id"].(string)
			if got := w.op.Do(t, "GET", dis(villageA, "/reports/"+id), nil).Expect(200).Str("reporter_phone"); got != "081277778888" {
				t.Fatalf("operator sees phone %q", got)
			}
			w.h.Anon().Do(t, "GET", dis(villageA, "/reports/"+id), nil).ExpectErr(404, "report_not_found")
		})

		t.Run("bad input", func(t *testing.T) {
			for _, c := range []struct {
				name   string
				body   any
				status int
				code   string
			}{
				{"unknown type", disReport("banjir", at, "x"), 422, "invalid_type"},
				{"future", disReport("flood", now.Add(2*time.Hour).Format(time.RFC3339), "x"), 422, "invalid_occurred_at"},
				{"no description", disReport("flood", at, " "), 422, "invalid_description"},
				{"unknown field", map[string]any{"type": "flood", "occurred_at": at, "description": "x", "victims": 3}, 400, "unknown_field"},
				{"no phone", map[string]any{"type": "flood", "occurred_at": at, "description": "x", "reporter_name": "A"}, 422, "invalid_phone"},
				{"malformed", `{"type":`, 400, "malformed_json"},
			} {
				t.Run(c.name, func(t *testing.T) {
					w.h.AnonFrom("127.0.0.22").Do(t, "POST", dis(villageA, "/reports"), c.body).ExpectErr(c.status, c.code)
				})
			}
			w.district.Do(t, "POST", dis("14.01.01", "/reports"), disReport("flood", at, "x")).ExpectErr(422, "not_a_village")
			w.op.Do(t, "POST", dis(villageA, "/reports/"+id+"/status"), map[string]string{"status": "recovery"}).ExpectErr(409, "invalid_state")
			w.op.Do(t, "PUT", dis(villageA, "/reports/"+id+"/impact"), map[string]any{"dead": 1}).ExpectErr(409, "invalid_state")
			w.op.Do(t, "POST", dis(villageA, "/reports/"+id+"/reject"), map[string]string{"reason": ""}).ExpectErr(422, "invalid_reason")
			w.op.Do(t, "POST", dis(villageA, "/reports/not-an-id/verify"), nil).ExpectErr(404, "report_not_found")
			w.h.Anon().Do(t, "GET", dis(villageA, "/summary?year=20x6"), nil).ExpectErr(400, "invalid_filter")
		})

		t.Run("a neighbour village and the wrong roles are refused", func(t *testing.T) {
			w.opB.Do(t, "POST", dis(villageA, "/reports/"+id+"/verify"), nil).ExpectErr(403, "forbidden")
			w.op.Do(t, "POST", dis(villageA2, "/reports/"+id+"/verify"), nil).ExpectErr(403, "forbidden")
			w.viewer.Do(t, "POST", dis(villageA, "/reports/"+id+"/verify"), nil).ExpectErr(403, "forbidden")
			w.opB.Do(t, "GET", dis(villageA, "/reports/"+id), nil).Expect(404) // public route: B sees only what the public sees
			w.pelalawanUser.Do(t, "GET", dis(villageP, "/reports"), nil).ExpectErr(404, "module_not_enabled")
			// A report of village A is not reached from its neighbour's URL.
			w.district.Do(t, "POST", dis(villageA2, "/reports/"+id+"/verify"), nil).ExpectErr(404, "report_not_found")
		})

		t.Run("verification publishes, alerts and posts the webhook", func(t *testing.T) {
			r := w.op.Do(t, "POST", dis(villageA, "/reports/"+id+"/verify"), map[string]string{"note": "Dicek ke lokasi oleh Kasi Pemerintahan"}).Expect(200)
			if r.Str("status") != "verified" {
				t.Fatalf("verify: %s", r.Body)
			}
			w.op.Do(t, "POST", dis(villageA, "/reports/"+id+"/verify"), nil).ExpectErr(409, "invalid_state")
			pub := w.h.Anon().Do(t, "GET", dis("14.01", "/reports"), nil).Expect(200)
			if pub.Total() != 1 || strings.Contains(string(pub.Body), "reporter") || strings.Contains(string(pub.Body), "Rahmat") || strings.Contains(string(pub.Body), code) {
				t.Fatalf("public list: %s", pub.Body)
			}
			if tr := anon.Do(t, "GET", dis(villageA, "/track/"+code), nil).Expect(200); tr.Str("report_id") != id {
				t.Fatalf("tracking after verification: %s", tr.Body)
			}
			// The delivery: first attempt refused (502), the host's redelivery succeeds.
			var d map[string]any
			deadline := time.Now().Add(30 * time.Second)
			for time.Now().Before(deadline) {
				items := w.district.Do(t, "GET", dis("14.01", "/deliveries"), nil).Expect(200).Items()
				if len(items) == 1 && items[0]["state"] == "delivered" {
					d = items[0]
					break
				}
				time.Sleep(300 * time.Millisecond)
			}
			if d == nil || d["attempts"].(float64) != 2 || d["tenant"] != villageA || strings.Contains(d["url"].(string), "token") {
				t.Fatalf("delivery log: %v", d)
			}
			w.op.Do(t, "GET", dis(villageA, "/deliveries"), nil).ExpectErr(403, "forbidden")
			hook.mu.Lock()
			defer hook.mu.Unlock()
			if len(hook.bodies) != 1 || hook.events[0] != "disaster.report_verified" {
				t.Fatalf("webhook got %d bodies", len(hook.bodies))
			}
			body := hook.bodies[0]
			m := hmac.New(sha256.New, []byte(secret))
			m.Write(body)
			if hook.sigs[0] != "sha256="+hex.EncodeToString(m.Sum(nil)) {
				t.Fatalf("signature %q does not match", hook.sigs[0])
			}
			var wb struct {
				Event  string `json:"event"`
				Report struct {
					ID, Village, Type, Status string
				} `json:"report"`
			}
			if err := json.Unmarshal(body, &wb); err != nil || wb.Report.ID != id || wb.Report.Village != villageA || wb.Report.Type != "flood" || wb.Report.Status != "verified" {
				t.Fatalf("webhook body: %s", body)
			}
			for _, personal := range []string{"Rahmat", "0812", "81277778888", budi["nik"], budi["kk"], code} {
				if strings.Contains(string(body), personal) {
					t.Fatalf("webhook body holds personal data %q: %s", personal, body)
				}
			}
		})

		t.Run("impact from the population register", func(t *testing.T) {
			path := dis(villageA, "/reports/"+id+"/impact")
			w.op.Do(t, "PUT", path, map[string]any{"kk": []string{"1401012001159999"}}).ExpectErr(422, "family_not_found")
			w.op.Do(t, "PUT", path, map[string]any{"nik": []string{sari["nik"]}}).ExpectErr(422, "resident_not_found") // sari lives in A2
			w.op.Do(t, "PUT", path, map[string]any{"kk": []string{"1401"}}).ExpectErr(422, "invalid_kk")
			w.op.Do(t, "PUT", path, map[string]any{"injured": -1}).ExpectErr(422, "invalid_impact")
			w.opB.Do(t, "PUT", path, map[string]any{"dead": 1}).ExpectErr(403, "forbidden")
			r := w.op.Do(t, "PUT", path, map[string]any{"dead": 0, "missing": 1, "injured": 4, "displaced": 120, "houses_light": 25, "houses_moderate": 4, "houses_heavy": 1,
				"facilities": 1, "facilities_note": "SD Negeri 01", "kk": []string{budi["kk"]}, "nik": []string{disWife["nik"], disDewi["nik"]}}).Expect(200)
			imp := r.JSON()["impact"].(map[string]any)
			if imp["affected_families"].(float64) != 2 || imp["affected_residents"].(float64) != 3 || imp["displaced"].(float64) != 120 {
				t.Fatalf("impact counts: %s", r.Body)
			}
			// The KK/NIK are personal: a viewer and the public never see them whole.
			for _, c := range []*Client{w.viewer, w.h.Anon()} {
				body := string(c.Do(t, "GET", dis(villageA, "/reports/"+id), nil).Expect(200).Body)
				if strings.Contains(body, budi["kk"]) || strings.Contains(body, disDewi["nik"]) {
					t.Fatalf("numbers shown: %s", body)
				}
			}
			if body := string(w.op.Do(t, "GET", dis(villageA, "/reports/"+id), nil).Body); !strings.Contains(body, disDewi["nik"]) {
				t.Fatalf("operator does not see the NIK: %s", body)
			}
		})

		t.Run("response moves forward with its log", func(t *testing.T) {
			st := func(s string) *Resp {
				return w.op.Do(t, "POST", dis(villageA, "/reports/"+id+"/status"), map[string]string{"status": s, "note": "Posko di balai desa"})
			}
			st("verified").ExpectErr(422, "invalid_status")
			st("emergency_response").Expect(200)
			st("emergency_response").ExpectErr(409, "invalid_transition")
			w.op.Do(t, "POST", dis(villageA, "/reports/"+id+"/log"), map[string]any{"kind": "action", "text": "Evakuasi warga ke balai desa"}).Expect(201)
			w.op.Do(t, "POST", dis(villageA, "/reports/"+id+"/log"), map[string]any{"kind": "need", "text": "Beras", "quantity": 500, "unit": "kg"}).Expect(201)
			w.op.Do(t, "POST", dis(villageA, "/reports/"+id+"/log"), map[string]any{"kind": "wish", "text": "x"}).ExpectErr(422, "invalid_log_kind")
			st("recovery").Expect(200)
			v := w.h.Anon().Do(t, "GET", dis(villageA, "/reports/"+id), nil).Expect(200).JSON()
			log, _ := v["log"].([]any)
			if v["status"] != "recovery" || len(log) < 6 {
				t.Fatalf("report after the response: %v", v)
			}
		})

		t.Run("roll-up counts only the villages below where the module is on", func(t *testing.T) {
			// A disaster in village B (another district), and one in A2 whose module is switched off after.
			rb := w.opB.Do(t, "POST", dis(villageB, "/reports"), disReport("whirlwind", at, "Atap 5 rumah terbang")).Expect(201)
			w.opB.Do(t, "POST", dis(villageB, "/reports/"+rb.Str("id")+"/verify"), nil).Expect(200)
			ra := w.district.Do(t, "POST", dis(villageA2, "/reports"), disReport("landslide", at, "Tebing runtuh")).Expect(201)
			w.district.Do(t, "POST", dis(villageA2, "/reports/"+ra.Str("id")+"/verify"), nil).Expect(200)
			sum := func(tenant string) map[string]any {
				return w.h.Anon().Do(t, "GET", dis(tenant, "/summary"), nil).Expect(200).JSON()
			}
			if s := sum("14.01"); s["total"].(float64) != 3 || s["active"].(float64) != 3 {
				t.Fatalf("regency summary: %v", s)
			}
			if s := sum("14.01.01"); s["total"].(float64) != 2 || s["impact"].(map[string]any)["displaced"].(float64) != 120 {
				t.Fatalf("district summary: %v", s)
			}
			if s := sum("14.01.02"); s["total"].(float64) != 1 {
				t.Fatalf("district B summary: %v", s)
			}
			w.enable(t, villageA2, "disaster", false)
			s := sum("14.01.01")
			if s["total"].(float64) != 1 {
				t.Fatalf("district summary with A2 off: %v", s)
			}
			for _, v := range s["by_village"].([]any) {
				if v.(map[string]any)["tenant"] == villageA2 {
					t.Fatalf("A2 listed while off: %v", s)
				}
			}
			var flood float64
			for _, ty := range s["by_type"].([]any) {
				if m := ty.(map[string]any); m["type"] == "flood" {
					flood = m["count"].(float64)
				}
			}
			if flood != 1 {
				t.Fatalf("by_type: %v", s["by_type"])
			}
			if n := w.h.Anon().Do(t, "GET", dis("14.01", "/reports?active=true"), nil).Expect(200).Total(); n != 2 {
				t.Fatalf("active public reports of the regency: %d", n)
			}
		})

		t.Run("the public report is rate limited", func(t *testing.T) {
			c := w.h.AnonFrom("127.0.0.23")
			for i := range 20 {
				if r := c.Do(t, "POST", dis(villageA, "/reports"), disReport("drought", at, "Sumur kering")); r.Status != 201 {
					t.Fatalf("report %d: %d %s", i, r.Status, r.Body)
				}
			}
			r := c.Do(t, "POST", dis(villageA, "/reports"), disReport("drought", at, "Sumur kering")).ExpectErr(429, "rate_limited")
			if r.Header.Get("Retry-After") == "" {
				t.Fatal("no Retry-After")
			}
		})
	})
}
