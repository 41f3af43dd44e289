package main

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

const (
	villageA  = "14.01.01.2009"
	villageA2 = "14.01.01.2010"
	villageB  = "14.01.02.2001"
	district  = "14.01.01"
	regency   = "14.01"
)

func TestManifest(t *testing.T) {
	if err := plugin.Validate(); err != nil {
		t.Fatal(err)
	}
}

func f(v float64) *float64 { return &v }

func TestReportInputCheck(t *testing.T) {
	jakarta, _ := time.LoadLocation("Asia/Jakarta")
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, jakarta)
	ok := ReportInput{Type: "flood", OccurredAt: "2026-12-01T08:00:00+07:00", Description: "Air setinggi 1 m", ReporterName: "Ani", ReporterPhone: "0812 3456 7890"}
	for _, c := range []struct {
		name   string
		edit   func(*ReportInput)
		public bool
		code   sdk.Code
		field  string
	}{
		{"valid public", func(*ReportInput) {}, true, "", ""},
		{"unknown type", func(in *ReportInput) { in.Type = "banjir" }, true, codeInvalidType, "type"},
		{"no time", func(in *ReportInput) { in.OccurredAt = "" }, true, codeInvalidOccurredAt, "occurred_at"},
		{"date only", func(in *ReportInput) { in.OccurredAt = "2026-12-01" }, true, codeInvalidOccurredAt, "occurred_at"},
		{"future", func(in *ReportInput) { in.OccurredAt = "2026-12-01T12:00:00+07:00" }, true, codeInvalidOccurredAt, "occurred_at"},
		{"two years ago", func(in *ReportInput) { in.OccurredAt = "2024-11-01T12:00:00+07:00" }, true, codeInvalidOccurredAt, "occurred_at"},
		{"no description", func(in *ReportInput) { in.Description = "  " }, true, codeInvalidDescription, "description"},
		{"long description", func(in *ReportInput) { in.Description = strings.Repeat("a", 2001) }, true, codeInvalidDescription, "description"},
		{"control in dusun", func(in *ReportInput) { in.Dusun = "Dusun\x07" }, true, codeInvalidPlace, "dusun"},
		{"latitude alone", func(in *ReportInput) { in.Latitude = f(0.3) }, true, codeInvalidCoordinates, "latitude"},
		{"outside Indonesia", func(in *ReportInput) { in.Latitude, in.Longitude = f(51.5), f(-0.1) }, true, codeInvalidCoordinates, "latitude"},
		{"in Kampar", func(in *ReportInput) { in.Latitude, in.Longitude = f(0.33), f(101.02) }, true, "", ""},
		{"citizen without name", func(in *ReportInput) { in.ReporterName = "" }, true, codeInvalidReporter, "reporter_name"},
		{"citizen without phone", func(in *ReportInput) { in.ReporterPhone = "" }, true, codeInvalidPhone, "reporter_phone"},
		{"foreign phone", func(in *ReportInput) { in.ReporterPhone = "+44 20 7946 0958" }, true, codeInvalidPhone, "reporter_phone"},
		{"operator without reporter", func(in *ReportInput) { in.ReporterName, in.ReporterPhone = "", "" }, false, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := ok
			c.edit(&in)
			rp, err := in.check(now, c.public)
			if c.code == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if rp.Year != 2026 || rp.Status != StatusReported {
					t.Errorf("report %+v", rp)
				}
				return
			}
			se, _ := err.(*sdk.Error)
			if se == nil || se.Code != c.code || se.Field != c.field {
				t.Fatalf("got %v, want %s on %s", err, c.code, c.field)
			}
		})
	}
}

func TestNormalizePhone(t *testing.T) {
	for in, want := range map[string]string{"081234567890": "081234567890", "+62 812-3456-7890": "081234567890", "6281234567890": "081234567890",
		"12345": "", "08abc": "", "0812345678901234": ""} {
		got, ok := normalizePhone(in)
		if got != want || ok != (want != "") {
			t.Errorf("%q: %q %v", in, got, ok)
		}
	}
}

func TestImpactCheck(t *testing.T) {
	for _, c := range []struct {
		name string
		in   ImpactInput
		code sdk.Code
	}{
		{"zeroes", ImpactInput{}, ""},
		{"negative", ImpactInput{Dead: -1}, codeInvalidImpact},
		{"huge", ImpactInput{Displaced: maxCount + 1}, codeInvalidImpact},
		{"bad KK", ImpactInput{KK: []string{"1401"}}, codeInvalidKK},
		{"bad NIK", ImpactInput{NIK: []string{"140101150380000X"}}, codeInvalidNIK},
		{"too many", ImpactInput{KK: make([]string, maxPeople+1)}, codeTooManyPeople},
		{"duplicates folded", ImpactInput{KK: []string{"1401012001150001", "1401 0120 0115 0001"}}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.in.check()
			if c.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if se, _ := err.(*sdk.Error); se == nil || se.Code != c.code {
				t.Fatalf("got %v, want %s", err, c.code)
			}
		})
	}
	in := ImpactInput{KK: []string{"1401012001150001", "1401 0120 0115 0001"}}
	_ = in.check()
	if len(in.KK) != 1 {
		t.Errorf("KK not deduplicated: %v", in.KK)
	}
}

func TestSign(t *testing.T) {
	// RFC 4231 test case 2.
	if got := Sign("Jefe", []byte("what do ya want for nothing?")); got != "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" {
		t.Fatal(got)
	}
}

func TestTrackingCode(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		c := newTrackingCode()
		if len(c) != 14 || c[4] != '-' || c[9] != '-' || seen[c] || strings.ContainsAny(c, "ILOU") {
			t.Fatalf("code %q", c)
		}
		seen[c] = true
	}
}

// The journey in-process, without the population module.
func TestJourney(t *testing.T) {
	clock := sdktest.NewClock(time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC))
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) { testJourney(t, h, clock) }, sdktest.WithClock(clock.Now))
}

func testJourney(t *testing.T, h *sdktest.Host, clock *sdktest.Clock) {
	for _, v := range []string{villageA, villageA2, villageB} {
		h.Tenant(v)
	}
	h.Enable(regency)
	op := h.User("op-a", "operator", villageA)
	viewer := h.User("viewer-a", "viewer", villageA)
	opB := h.User("op-b", "operator", villageB)
	anon := h.Anonymous()
	body := map[string]any{"type": "flood", "occurred_at": "2026-12-01T08:00:00+07:00", "dusun": "Dusun II",
		"description": "Sungai Kampar meluap, 30 rumah tergenang", "reporter_name": "Ani", "reporter_phone": "081234567890"}

	r := anon.Post(villageA, "/reports", body)
	var created Created
	if r.JSON(&created); r.Status != 201 || created.TrackingCode == "" || created.ID != "" || created.Status != StatusReported {
		t.Fatalf("public report: %d %s", r.Status, r.Body)
	}
	if r := anon.Post(district, "/reports", body); r.ErrorCode() != codeNotAVillage {
		t.Errorf("report at a district: %d %s", r.Status, r.Body)
	}
	var list sdk.ListOf[ReportView]
	if r := anon.Get(regency, "/reports"); jsonAnd(r, &list, func() bool { return r.Status != 200 || list.Total != 0 }) {
		t.Fatalf("unverified report published: %s", r.Body)
	}
	if r := anon.Get(villageA, "/reports?status=reported"); r.ErrorCode() != codeInvalidFilter {
		t.Errorf("public status filter: %d %s", r.Status, r.Body)
	}
	if r := viewer.Get(villageA, "/reports"); jsonAnd(r, &list, func() bool {
		return list.Total != 1 || list.Items[0].ReporterPh == "081234567890" || list.Items[0].ReporterPh == ""
	}) {
		t.Fatalf("viewer list (phone masked): %s", r.Body)
	}
	id := list.Items[0].ID
	if r := anon.Get(villageA, "/reports/"+id); r.ErrorCode() != codeReportNotFound {
		t.Errorf("public read of an unverified report: %d %s", r.Status, r.Body)
	}
	var tr Tracking
	if r := anon.Get(villageA, "/track/"+created.TrackingCode); jsonAnd(r, &tr, func() bool { return r.Status != 200 || tr.Status != StatusReported || tr.ReportID != "" }) {
		t.Fatalf("tracking: %s", r.Body)
	}
	// Workflow refusals before verification.
	if r := op.Post(villageA, "/reports/"+id+"/status", map[string]string{"status": "recovery"}); r.ErrorCode() != codeInvalidState {
		t.Errorf("status before verification: %s", r.Body)
	}
	if r := op.Put(villageA, "/reports/"+id+"/impact", map[string]any{"dead": 1}); r.ErrorCode() != codeInvalidState {
		t.Errorf("impact before verification: %s", r.Body)
	}
	if r := viewer.Post(villageA, "/reports/"+id+"/verify", nil); r.Status != 403 {
		t.Errorf("viewer verifies: %d", r.Status)
	}
	if r := opB.Post(villageA, "/reports/"+id+"/verify", nil); r.Status != 403 {
		t.Errorf("neighbour verifies: %d", r.Status)
	}
	if r := op.Post(villageA, "/reports/"+id+"/verify", map[string]string{"description": "x\x00"}); r.ErrorCode() != sdk.CodeInvalidText && r.ErrorCode() != codeInvalidDescription {
		t.Errorf("verify with a bad description: %d %s", r.Status, r.Body)
	}
	if r := op.Post(villageA, "/reports/"+id+"/verify", map[string]string{"note": "Dicek ke lokasi", "description": "Sungai Kampar meluap, 30 rumah tergenang di Dusun II"}); r.Status != 200 {
		t.Fatalf("verify: %d %s", r.Status, r.Body)
	}
	if r := op.Post(villageA, "/reports/"+id+"/verify", nil); r.ErrorCode() != codeInvalidState {
		t.Errorf("verify twice: %s", r.Body)
	}
	if r := anon.Get(villageA, "/reports"); jsonAnd(r, &list, func() bool { return list.Total != 1 || !strings.Contains(list.Items[0].Description, "di Dusun II") }) {
		t.Errorf("published description: %s", r.Body)
	}
	// Published now, at the village and above; the public never sees the reporter.
	if r := anon.Get(villageA, "/reports"); jsonAnd(r, &list, func() bool { return list.Total != 1 || !strings.Contains(list.Items[0].Description, "di Dusun II") }) {
		t.Errorf("published description: %s", r.Body)
	}
	if r := anon.Get(regency, "/reports"); jsonAnd(r, &list, func() bool {
		return list.Total != 1 || strings.Contains(string(r.Body), "reporter") || strings.Contains(string(r.Body), "tracking")
	}) {
		t.Fatalf("public list after verification: %s", r.Body)
	}
	if r := anon.Get(villageB, "/reports"); jsonAnd(r, &list, func() bool { return list.Total != 0 }) {
		t.Errorf("village B sees A's report: %s", r.Body)
	}
	// Impact without the population module: counts fine, KK refused.
	if r := op.Put(villageA, "/reports/"+id+"/impact", map[string]any{"dead": 0, "displaced": 120, "houses_light": 30}); r.Status != 200 {
		t.Fatalf("impact: %d %s", r.Status, r.Body)
	}
	if r := op.Put(villageA, "/reports/"+id+"/impact", map[string]any{"kk": []string{"1401012001150001"}}); r.ErrorCode() != codePopulationNotEnabled {
		t.Errorf("impact with KK and no population: %d %s", r.Status, r.Body)
	}
	if r := op.Put(villageA, "/reports/"+id+"/impact", map[string]any{"dead": -2}); r.ErrorCode() != codeInvalidImpact {
		t.Errorf("negative impact: %s", r.Body)
	}
	if r := op.Put(villageA, "/reports/"+id+"/impact", map[string]any{"deaths": 2}); r.ErrorCode() != sdk.CodeUnknownField {
		t.Errorf("unknown field: %s", r.Body)
	}
	// Status forward only.
	for _, c := range []struct {
		status string
		code   sdk.Code
	}{{"verified", codeInvalidStatus}, {"emergency_response", ""}, {"emergency_response", codeInvalidTransition}, {"closed", ""}, {"recovery", codeInvalidState}} {
		r := op.Post(villageA, "/reports/"+id+"/status", map[string]string{"status": c.status})
		if (c.code == "" && r.Status != 200) || (c.code != "" && r.ErrorCode() != c.code) {
			t.Errorf("status %s: %d %s", c.status, r.Status, r.Body)
		}
	}
	if r := op.Post(villageA, "/reports/"+id+"/log", map[string]any{"kind": "need", "text": "Beras", "quantity": 500, "unit": "kg"}); r.Status != 201 {
		t.Errorf("log: %d %s", r.Status, r.Body)
	}
	var v ReportView
	if r := anon.Get(villageA, "/reports/"+id); jsonAnd(r, &v, func() bool {
		return r.Status != 200 || v.Status != StatusClosed || v.Impact.Displaced != 120 || len(v.Log) < 4 || v.Log[0].By != ""
	}) {
		t.Errorf("public report: %s", r.Body)
	}
	// Summary at the district counts only the villages below.
	op2 := op.Post(villageA, "/reports", map[string]any{"type": "landslide", "occurred_at": "2026-11-30T08:00:00+07:00", "description": "Tebing runtuh"})
	if op2.Status != 201 {
		t.Fatalf("operator report: %s", op2.Body)
	}
	var c2 Created
	op2.JSON(&c2)
	if c2.ID == "" {
		t.Errorf("operator gets no id: %s", op2.Body)
	}
	op.Post(villageA, "/reports/"+c2.ID+"/reject", map[string]string{"reason": "Duplikat"})
	var s Summary
	if r := anon.Get(district, "/summary"); jsonAnd(r, &s, func() bool {
		return r.Status != 200 || s.Total != 1 || s.Active != 0 || s.Impact.Displaced != 120 || len(s.ByVillage) != 2
	}) {
		t.Errorf("district summary: %s", r.Body)
	}
	if r := anon.Get(district, "/summary?year=abc"); r.ErrorCode() != codeInvalidFilter {
		t.Errorf("bad year: %s", r.Body)
	}
	if r := anon.Get("14.01.02", "/summary"); jsonAnd(r, &s, func() bool { return s.Total != 0 }) {
		t.Errorf("other district: %s", r.Body)
	}
	// Pages.
	pr := anon.PublicPage("POST", villageA, "/lapor", url.Values{"type": {"whirlwind"}, "occurred_date": {"2026-12-01"}, "occurred_time": {"09.15"},
		"description": {"Atap rumah terbang"}, "reporter_name": {"Budi"}, "reporter_phone": {"0812-1111-2222"}, "csrf_token": {sdktest.CSRFToken}})
	if pr.Status != 303 || !strings.Contains(pr.Location, "/lacak/") || !strings.HasSuffix(pr.Location, "?baru=1") {
		t.Errorf("public form: %d %s %s", pr.Status, pr.Location, pr.HTML)
	}
	pr = anon.PublicPage("POST", villageA, "/lapor", url.Values{"type": {"whirlwind"}, "occurred_date": {"2026-12-01"}, "description": {""},
		"reporter_name": {"Budi"}, "reporter_phone": {"0812"}, "csrf_token": {sdktest.CSRFToken}})
	if pr.Status != 422 || !strings.Contains(pr.HTML, "b-field-error") {
		t.Errorf("public form error: %d %s", pr.Status, pr.HTML)
	}
	if pr := op.GetPage(villageA, "/reports"); pr.Status != 200 || !strings.Contains(pr.HTML, "Puting beliung") {
		t.Errorf("console list: %d %s", pr.Status, pr.HTML)
	}
	if pr := h.User("kab", "admin", regency).GetPage(regency, "/regions"); pr.Status != 200 || !strings.Contains(pr.HTML, villageA2) {
		t.Errorf("regions: %d %s", pr.Status, pr.HTML)
	}
	if pr := anon.PublicPage("GET", district, "/statistik", nil); pr.Status != 200 || !strings.Contains(pr.HTML, villageA2) || !strings.Contains(pr.HTML, "Banjir") {
		t.Errorf("public statistics: %d %s", pr.Status, pr.HTML)
	}
	h.User("camat", "viewer", district)
	var notice string
	for _, wd := range h.Widgets(district, "camat") {
		notice += string(wd.HTML)
	}
	if !strings.Contains(notice, `id="disaster-notice"`) {
		t.Errorf("district dashboard notice: %q", notice)
	}
	w := h.PublicWidgets(villageA)
	if len(w) != 1 || len(w[0].HTML) > 4096 {
		t.Errorf("public widget: %+v", w)
	}
	_ = clock
}

// jsonAnd decodes r into v, then answers cond.
func jsonAnd(r *sdktest.Response, v any, cond func() bool) bool {
	r.JSON(v)
	return cond()
}
