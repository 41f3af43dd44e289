package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk/sdktest"
)

const (
	villageA  = "14.01.01.2009"
	villageA2 = "14.01.01.2010"
	villageB  = "14.01.02.2001"
	districtA = "14.01.01"
	regency   = "14.01"
)

func TestManifest(t *testing.T) {
	if err := plugin.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestDueDate(t *testing.T) {
	cal := newCalendar(defaultHolidays)
	tests := []struct {
		received string
		days     int
		due      string
	}{
		{"2026-12-01", 1, "2026-12-02"},  // Tuesday -> Wednesday
		{"2026-12-04", 1, "2026-12-07"},  // Friday -> Monday
		{"2026-12-05", 1, "2026-12-07"},  // Saturday -> Monday
		{"2026-12-23", 2, "2026-12-29"},  // 24 and 25 December are off
		{"2026-03-16", 10, "2026-04-07"}, // Nyepi, Idul Fitri and its cuti bersama, Good Friday
		{"2026-12-31", 1, "2027-01-04"},  // New Year's Day, then a weekend
	}
	for _, tt := range tests {
		if got := cal.dueDate(tt.received, tt.days); got != tt.due {
			t.Errorf("dueDate(%s, %d) = %s, want %s", tt.received, tt.days, got, tt.due)
		}
	}
	between := []struct {
		from, to string
		want     int
	}{
		{"2026-12-01", "2026-12-01", 0},
		{"2026-12-01", "2026-12-02", 1},
		{"2026-12-04", "2026-12-07", 1},
		{"2026-03-16", "2026-04-07", 10},
		{"2026-12-02", "2026-12-01", 0},
	}
	for _, tt := range between {
		if got := cal.between(tt.from, tt.to); got != tt.want {
			t.Errorf("between(%s, %s) = %d, want %d", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestDefaultHolidays(t *testing.T) {
	seen := map[string]bool{}
	for _, h := range defaultHolidays {
		if _, err := time.Parse(time.DateOnly, h.Date); err != nil || h.Name == "" || seen[h.Date] {
			t.Errorf("holiday %+v: bad date, no name or twice", h)
		}
		seen[h.Date] = true
	}
	for _, must := range []string{"2026-08-17", "2027-08-17", "2026-12-25", "2027-01-01"} {
		if !seen[must] {
			t.Errorf("%s missing from the default holidays", must)
		}
	}
}

func TestNormalPhone(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"0812 3456 7890", "081234567890", true},
		{"+62 812-3456-7890", "081234567890", true},
		{"6281234567890", "081234567890", true},
		{"021 555 1234", "", false}, // a landline: no WhatsApp, no SMS
		{"0812", "", false},
		{"08123456789012345", "", false},
		{"abc", "", false},
	}
	for _, tt := range tests {
		got, ok := normalPhone(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("normalPhone(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		h    hist
		want float64
		none bool
	}{
		{hist{}, 0, true},
		{hist{3: 1}, 3, false},
		{hist{1: 1, 3: 1}, 2, false},
		{hist{0: 2, 5: 1}, 0, false},
		{hist{1: 1, 2: 1, 10: 2}, 6, false},
	}
	for _, tt := range tests {
		got := tt.h.median()
		if (got == nil) != tt.none || (got != nil && *got != tt.want) {
			t.Errorf("median(%v) = %v, want %v", tt.h, got, tt.want)
		}
	}
}

func TestSubmissionCheck(t *testing.T) {
	long := make([]byte, 2001)
	for i := range long {
		long[i] = 'a'
	}
	tests := []struct {
		name string
		s    submission
		code string
	}{
		{"ok", submission{Category: "infrastructure", Description: "Jalan berlubang di RT 02"}, ""},
		{"unknown category", submission{Category: "roads", Description: "Jalan berlubang di RT 02"}, string(codeInvalidCategory)},
		{"short description", submission{Category: "other", Description: "rusak"}, string(codeInvalidDescription)},
		{"long description", submission{Category: "other", Description: string(long)}, string(codeInvalidDescription)},
		{"bad phone", submission{Category: "other", Description: "Lampu jalan mati sejak seminggu", Phone: "12345"}, string(codeInvalidPhone)},
		{"control in place", submission{Category: "other", Description: "Lampu jalan mati sejak seminggu", Place: "RT\x0701"}, string(codeInvalidPlace)},
	}
	for _, tt := range tests {
		err := tt.s.check()
		got := ""
		if err != nil {
			got = string(errCode(err))
		}
		if got != tt.code {
			t.Errorf("%s: code %q, want %q (%v)", tt.name, got, tt.code, err)
		}
	}
}

// TestJourneyInProcess runs the main journey through the test kit's host on
// SQLite and PostgreSQL: submit, track, assign, answer late, rate, close,
// publish, stats, escalation.
func TestJourneyInProcess(t *testing.T) {
	// Monday 16 March 2026, 09:00 WIB: the Nyepi and Idul Fitri days off
	// follow.
	clock := sdktest.NewClock(time.Time{})
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		clock.Set(time.Date(2026, 3, 16, 2, 0, 0, 0, time.UTC))
		for _, v := range []string{villageA, villageA2, villageB} {
			h.Tenant(v)
		}
		h.Enable(regency)
		op := h.User("op-a", "operator", villageA)
		opB := h.User("op-b", "operator", villageB)
		viewer := h.User("viewer-a", "viewer", villageA)
		camat := h.User("camat", "operator", districtA)
		anon := h.Anonymous()

		var got submitted
		res := anon.Post(villageA, "/complaints", map[string]any{"category": "infrastructure", "description": "Jembatan kayu di RT 03 patah, anak sekolah memutar jauh",
			"place": "RT 03 / RW 01", "name": "Pak Rahmat", "phone": "0812 7000 1234", "publish": true})
		if res.JSON(&got); res.Status != http.StatusCreated || got.TrackCode == "" || got.DueDate != "2026-04-07" || got.Anonymous {
			t.Fatalf("submit: %d %s", res.Status, res.Body)
		}
		// A viewer sees the phone masked, the operator in full.
		var v complaintView
		viewer.Get(villageA, "/complaints/"+got.ID).JSON(&v)
		if v.Phone == "081270001234" || !v.Masked || v.Name == "Pak Rahmat" {
			t.Errorf("viewer sees personal data: %+v", v)
		}
		op.Get(villageA, "/complaints/"+got.ID).JSON(&v)
		if v.Phone != "081270001234" || v.Masked {
			t.Errorf("operator: %+v", v)
		}
		// The neighbour's operator is refused by the host.
		if res := opB.Get(villageA, "/complaints/"+got.ID); res.Status != http.StatusForbidden {
			t.Errorf("neighbour read: %d", res.Status)
		}
		var tr tracking
		anon.Get(villageA, "/complaints/track/"+got.TrackCode).JSON(&tr)
		if tr.State != StateReceived || tr.Ref != got.Ref {
			t.Errorf("tracking: %+v", tr)
		}
		if res := op.Post(villageA, "/complaints/"+got.ID+"/assign", map[string]string{"official": "Kepala Dusun II"}); res.Status != http.StatusOK {
			t.Fatalf("assign: %d %s", res.Status, res.Body)
		}
		// Answered on 8 April, one day after the due date: late.
		clock.Set(time.Date(2026, 4, 8, 3, 0, 0, 0, time.UTC))
		res = op.Post(villageA, "/complaints/"+got.ID+"/respond", map[string]string{"answer": "Jembatan diperbaiki gotong royong Sabtu ini."})
		if res.JSON(&v); res.Status != http.StatusOK || v.State != StateAnswered || v.OnTime == nil || *v.OnTime || v.ResponseDays == nil || *v.ResponseDays != 11 {
			t.Fatalf("respond: %d %s", res.Status, res.Body)
		}
		if res := anon.Post(villageA, "/complaints/track/"+got.TrackCode+"/rating", map[string]any{"rating": 6}); res.ErrorCode() != codeInvalidRating {
			t.Errorf("rating 6: %d %s", res.Status, res.Body)
		}
		if res := anon.Post(villageA, "/complaints/track/"+got.TrackCode+"/rating", map[string]any{"rating": 4}); res.Status != http.StatusOK {
			t.Errorf("rating: %d %s", res.Status, res.Body)
		}
		if res := anon.Post(villageA, "/complaints/track/"+got.TrackCode+"/rating", map[string]any{"rating": 5}); res.ErrorCode() != codeAlreadyRated {
			t.Errorf("rated twice: %d %s", res.Status, res.Body)
		}
		if res := op.Post(villageA, "/complaints/"+got.ID+"/close", nil); res.Status != http.StatusOK {
			t.Errorf("close: %d %s", res.Status, res.Body)
		}
		if res := op.Post(villageA, "/complaints/"+got.ID+"/close", nil); res.ErrorCode() != codeInvalidState {
			t.Errorf("closed twice: %d %s", res.Status, res.Body)
		}
		res = anon.Get(villageA, "/published")
		if res.Status != http.StatusOK || !contains(string(res.Body), "Jembatan kayu") || contains(string(res.Body), "Rahmat") || contains(string(res.Body), "0812") {
			t.Errorf("published: %d %s", res.Status, res.Body)
		}

		// Escalation: the village sends a second complaint to the district;
		// the village clerk can no longer answer it, the district can.
		var second submitted
		anon.Post(villageA, "/complaints", map[string]any{"category": "security", "description": "Balap liar tiap malam minggu di jalan lintas"}).JSON(&second)
		if second.ID == "" || !second.Anonymous {
			t.Fatalf("second: %+v", second)
		}
		if res := op.Post(villageA, "/complaints/"+second.ID+"/escalate", map[string]string{"to": "province", "reason": "Di luar kewenangan desa"}); res.ErrorCode() != codeInvalidTarget {
			t.Errorf("escalate to province: %d %s", res.Status, res.Body)
		}
		if res := op.Post(villageA, "/complaints/"+second.ID+"/escalate", map[string]string{"to": "district", "reason": "Di luar kewenangan desa"}); res.Status != http.StatusOK {
			t.Fatalf("escalate: %d %s", res.Status, res.Body)
		}
		if res := op.Post(villageA, "/complaints/"+second.ID+"/respond", map[string]string{"answer": "Kami tangani sendiri."}); res.ErrorCode() != codeEscalated {
			t.Errorf("village answers an escalated complaint: %d %s", res.Status, res.Body)
		}
		var list struct {
			Items []complaintView `json:"items"`
			Total int             `json:"total"`
		}
		camat.Get(districtA, "/complaints?escalated=here").JSON(&list)
		if list.Total != 1 || list.Items[0].ID != second.ID {
			t.Errorf("district's escalated list: %+v", list)
		}
		if res := camat.Post(districtA, "/complaints/"+second.ID+"/respond", map[string]string{"answer": "Patroli bersama Polsek."}); res.ErrorCode() != codeNotAVillage {
			t.Errorf("respond at the district: %d %s", res.Status, res.Body)
		}
		if res := camat.Post(villageA, "/complaints/"+second.ID+"/respond", map[string]string{"answer": "Patroli bersama Polsek tiap Sabtu malam."}); res.Status != http.StatusOK {
			t.Errorf("district answers: %d %s", res.Status, res.Body)
		}

		var st statsView
		anon.Get(regency, "/stats").JSON(&st)
		if st.Total != 2 || st.ByCategory["infrastructure"] != 1 || st.ByState[StateClosed] != 1 || st.Responded != 2 || st.OnTime != 1 {
			t.Errorf("regency stats: %+v", st)
		}
		if st.AvgRating == nil || *st.AvgRating != 4 {
			t.Errorf("average rating: %v", st.AvgRating)
		}
	}, sdktest.WithClock(clock.Now))
}

func contains(s, sub string) bool {
	return len(sub) == 0 || len(s) >= len(sub) && (indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
