package main

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

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

// testPNG is a small real image, so that a thumbnail is made of it.
func testPNG(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := range 40 {
		img.Set(x, x%30, color.RGBA{200, 100, 0, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// form is a multipart progress report with photos.
func form(t testing.TB, fields map[string]string, photos ...[]byte) (string, []byte) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	for i, p := range photos {
		fw, err := w.CreateFormFile("photo", "foto"+string(rune('a'+i))+".png")
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(p)
	}
	w.Close()
	return w.FormDataContentType(), b.Bytes()
}

func project(name string, start, end string, funding ...map[string]any) map[string]any {
	if len(funding) == 0 {
		funding = []map[string]any{{"source": "dana_desa", "amount": 100_000_000}}
	}
	return map[string]any{
		"name": name, "kind": "road", "year": 2026, "funding": funding,
		"location": map[string]any{"dusun": "Dusun I", "rt": "001", "rw": "002"},
		"executor": "TPK Desa", "executor_lead": "Bapak Ketua", "planned_start": start, "planned_end": end,
		"volume": 500, "unit": "m", "beneficiaries": 320,
	}
}

func TestValidation(t *testing.T) {
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		h.Tenant(villageA)
		h.Enable(regency)
		op := h.User("op-a", "operator", villageA)
		base := func(edit func(m map[string]any)) map[string]any {
			m := project("Jalan", "2026-03-01", "2026-08-31")
			edit(m)
			return m
		}
		tests := []struct {
			name   string
			body   any
			status int
			code   string
		}{
			{"no name", base(func(m map[string]any) { m["name"] = " " }), 422, "invalid_name"},
			{"bad kind", base(func(m map[string]any) { m["kind"] = "mall" }), 422, "invalid_kind"},
			{"bad rt", base(func(m map[string]any) { m["location"] = map[string]any{"rt": "1a"} }), 422, "invalid_location"},
			{"lat alone", base(func(m map[string]any) { m["location"] = map[string]any{"lat": 0.3} }), 422, "invalid_coordinates"},
			{"outside Indonesia", base(func(m map[string]any) { m["location"] = map[string]any{"lat": 48.8, "lng": 2.3} }), 422, "invalid_coordinates"},
			{"old year", base(func(m map[string]any) { m["year"] = 1999 }), 422, "invalid_year"},
			{"no funding", base(func(m map[string]any) { m["funding"] = []any{} }), 422, "invalid_funding"},
			{"unknown source", base(func(m map[string]any) { m["funding"] = []any{map[string]any{"source": "apbn", "amount": 1}} }), 422, "invalid_funding"},
			{"twice", base(func(m map[string]any) {
				m["funding"] = []any{map[string]any{"source": "add", "amount": 1}, map[string]any{"source": "add", "amount": 2}}
			}), 422, "invalid_funding"},
			{"zero amount", base(func(m map[string]any) { m["funding"] = []any{map[string]any{"source": "add", "amount": 0}} }), 422, "invalid_funding"},
			{"bad date", base(func(m map[string]any) { m["planned_start"] = "1/3/2026" }), 422, "invalid_date"},
			{"end before start", base(func(m map[string]any) { m["planned_end"] = "2026-02-01" }), 422, "planned_end_before_start"},
			{"volume without unit", base(func(m map[string]any) { delete(m, "unit") }), 422, "invalid_volume"},
			{"negative volume", base(func(m map[string]any) { m["volume"] = -1 }), 422, "invalid_volume"},
			{"negative beneficiaries", base(func(m map[string]any) { m["beneficiaries"] = -1 }), 422, "invalid_beneficiaries"},
			{"unknown field", base(func(m map[string]any) { m["budget"] = 5 }), 400, "unknown_field"},
			{"good", base(func(map[string]any) {}), 201, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := op.Post(villageA, "/projects", tt.body)
				if res.Status != tt.status || (tt.code != "" && string(res.ErrorCode()) != tt.code) {
					t.Errorf("%d %s, want %d %s", res.Status, res.Body, tt.status, tt.code)
				}
			})
		}
	})
}

func TestExpected(t *testing.T) {
	tests := []struct {
		start, end, today string
		want              float64
	}{
		{"2026-03-01", "2026-03-10", "2026-02-28", 0},
		{"2026-03-01", "2026-03-10", "2026-03-01", 0},
		{"2026-03-01", "2026-03-10", "2026-03-05", 40},
		{"2026-03-01", "2026-03-10", "2026-03-10", 90},
		{"2026-03-01", "2026-03-10", "2026-03-11", 100},
		{"2026-03-01", "2026-03-10", "2026-12-01", 100},
		{"2026-03-01", "2026-03-01", "2026-03-01", 0},
		{"2026-03-01", "2026-03-01", "2026-03-02", 100},
	}
	for _, tt := range tests {
		if got := expected(tt.start, tt.end, tt.today); got != tt.want {
			t.Errorf("expected(%s, %s, %s) = %v, want %v", tt.start, tt.end, tt.today, got, tt.want)
		}
	}
}

func TestJourney(t *testing.T) {
	clock := sdktest.NewClock(time.Date(2026, 6, 1, 3, 0, 0, 0, time.UTC))
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		for _, v := range []string{villageA, villageA2, villageB} {
			h.Tenant(v)
		}
		h.Enable(regency)
		op := h.User("op-a", "operator", villageA)
		opB := h.User("op-b", "operator", villageB)
		head := h.User("kades", "admin", villageA)
		anon := h.Anonymous()

		var p ProjectView
		res := op.Post(villageA, "/projects", project("Jalan Usaha Tani", "2026-03-01", "2026-08-31",
			map[string]any{"source": "dana_desa", "amount": 150_000_000}, map[string]any{"source": "swadaya", "amount": 10_000_000}))
		if res.JSON(&p); res.Status != 201 || p.Budget != 160_000_000 || p.State != StatePlanned || p.ExecutorLead != "Bapak Ketua" || !p.BehindSchedule {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		// The public sees the project without the chair's name.
		var pub ProjectView
		anon.Get(villageA, "/projects/"+p.ID).JSON(&pub)
		if pub.ExecutorLead != "" || pub.Name != "Jalan Usaha Tani" {
			t.Errorf("public project %+v", pub)
		}
		// A neighbour's operator is refused by the host.
		if res := opB.Post(villageA, "/projects/"+p.ID+"/progress", map[string]any{"date": "2026-05-01", "percent": 10, "spent": 1}); res.Status != 403 {
			t.Errorf("neighbour: %d %s", res.Status, res.Body)
		}
		// Writes at a district are refused.
		dop := h.User("op-district", "operator", district)
		if res := dop.Post(district, "/projects", project("X", "2026-03-01", "2026-08-31")); res.Status != 422 || res.ErrorCode() != "not_a_village" {
			t.Errorf("district write: %d %s", res.Status, res.Body)
		}
		progress := []struct {
			name   string
			body   map[string]any
			status int
			code   string
		}{
			{"future", map[string]any{"date": "2026-06-02", "percent": 10, "spent": 1}, 422, "date_in_future"},
			{"percent over", map[string]any{"date": "2026-05-01", "percent": 101, "spent": 1}, 422, "invalid_percent"},
			{"no spent", map[string]any{"date": "2026-05-01", "percent": 1}, 422, "invalid_spent"},
			{"over budget", map[string]any{"date": "2026-05-01", "percent": 10, "spent": 170_000_000}, 422, "spent_exceeds_budget"},
			{"100 without photo", map[string]any{"date": "2026-05-01", "percent": 100, "spent": 1}, 422, "final_photo_required"},
			{"first", map[string]any{"date": "2026-05-01", "percent": 20, "spent": 30_000_000, "notes": "Pengerasan"}, 201, ""},
			{"before last", map[string]any{"date": "2026-04-30", "percent": 30, "spent": 30_000_000}, 422, "date_before_last_report"},
			{"decreased", map[string]any{"date": "2026-05-02", "percent": 10, "spent": 30_000_000}, 422, "progress_decreased"},
			{"spent decreased", map[string]any{"date": "2026-05-02", "percent": 30, "spent": 1}, 422, "spent_decreased"},
			{"over budget with reason", map[string]any{"date": "2026-05-20", "percent": 60, "spent": 165_000_000, "over_budget_reason": "Harga material naik"}, 201, ""},
		}
		for _, tt := range progress {
			res := op.Post(villageA, "/projects/"+p.ID+"/progress", tt.body)
			if res.Status != tt.status || (tt.code != "" && string(res.ErrorCode()) != tt.code) {
				t.Errorf("%s: %d %s, want %d %s", tt.name, res.Status, res.Body, tt.status, tt.code)
			}
		}
		anon.Get(villageA, "/projects/"+p.ID).JSON(&pub)
		if pub.State != StateOngoing || pub.Percent != 60 || !pub.OverBudget || len(pub.Reports) != 2 || pub.Reports[0].ReportedBy != "" {
			t.Errorf("after reports: %+v", pub)
		}
		// Corrections: the location merges, the funding replaces, the
		// reports' fields cannot be written.
		res = op.Patch(villageA, "/projects/"+p.ID, map[string]any{"location": map[string]any{"rt": "004"}, "funding": []map[string]any{{"source": "dana_desa", "amount": 170_000_000}}})
		if res.JSON(&pub); res.Status != 200 || pub.Location.RT != "004" || pub.Location.Dusun != "Dusun I" || pub.Budget != 170_000_000 || pub.OverBudget || pub.Percent != 60 || pub.State != StateOngoing {
			t.Errorf("patch: %d %s", res.Status, res.Body)
		}
		if res := op.Patch(villageA, "/projects/"+p.ID, map[string]any{"percent": 100}); res.Status != 400 || res.ErrorCode() != "unknown_field" {
			t.Errorf("patch of a report's field: %d %s", res.Status, res.Body)
		}
		if res := op.Patch(villageA, "/projects/"+p.ID, map[string]any{"planned_end": "2026-01-01"}); res.ErrorCode() != "planned_end_before_start" {
			t.Errorf("patch with a bad end: %d %s", res.Status, res.Body)
		}
		// Completion with a photo, as a multipart form.
		ct, body := form(t, map[string]string{"date": "2026-06-01", "percent": "100", "spent": "165000000"}, testPNG(t))
		status, data := postMultipart(t, h, op, villageA, "/projects/"+p.ID+"/progress", ct, body)
		var ans ProgressAnswer
		if json.Unmarshal(data, &ans); status != 201 || ans.Project.State != StateCompleted || len(ans.Report.Photos) != 1 || len(ans.Project.Photos) != 1 {
			t.Fatalf("complete: %d %s", status, data)
		}
		if res := anon.Get(villageA, ans.Project.Photos[0].ThumbURL[len("/api/v1/t/"+villageA+"/development"):]); res.Status != 200 || res.Header.Get("Content-Type") != "image/jpeg" {
			t.Errorf("thumb: %d %s", res.Status, res.Header)
		}
		if res := op.Post(villageA, "/projects/"+p.ID+"/progress", map[string]any{"date": "2026-06-01", "percent": 100, "spent": 1}); res.Status != 409 || res.ErrorCode() != "project_closed" {
			t.Errorf("report on completed: %d %s", res.Status, res.Body)
		}
		if res := op.Patch(villageA, "/projects/"+p.ID, map[string]any{"name": "X"}); res.Status != 409 || res.ErrorCode() != "project_closed" {
			t.Errorf("patch on completed: %d %s", res.Status, res.Body)
		}

		// A second project, cancelled by the village head only.
		var q ProjectView
		op.Post(villageA, "/projects", project("Gedung PAUD", "2026-07-01", "2026-10-31")).JSON(&q)
		if res := op.Post(villageA, "/projects/"+q.ID+"/cancel", map[string]string{"reason": "Dialihkan"}); res.Status != 403 {
			t.Errorf("operator cancels: %d", res.Status)
		}
		if res := head.Post(villageA, "/projects/"+q.ID+"/cancel", map[string]string{"reason": ""}); res.ErrorCode() != "invalid_reason" {
			t.Errorf("cancel without reason: %d %s", res.Status, res.Body)
		}
		if res := head.Post(villageA, "/projects/"+q.ID+"/cancel", map[string]string{"reason": "Dialihkan ke BLT"}); res.Status != 200 {
			t.Errorf("cancel: %d %s", res.Status, res.Body)
		}
		// Village B: one project behind schedule.
		var late ProjectView
		opB.Post(villageB, "/projects", project("Irigasi", "2026-01-01", "2026-06-30", map[string]any{"source": "add", "amount": 50_000_000})).JSON(&late)

		var s Summary
		anon.Get(district, "/summary?year=2026").JSON(&s)
		if s.Projects != 2 || s.Budget != 170_000_000 || s.Spent != 165_000_000 || s.BehindTotal != 0 {
			t.Errorf("district summary: %+v", s)
		}
		anon.Get(regency, "/summary?year=2026").JSON(&s)
		if s.Projects != 3 || s.Budget != 220_000_000 || s.BehindTotal != 1 || s.BehindSchedule[0].ID != late.ID || s.Funding[1].Amount != 50_000_000 {
			t.Errorf("regency summary: %+v", s)
		}
		var list struct {
			Items []ProjectView
			Total int
		}
		anon.Get(regency, "/projects?behind=true").JSON(&list)
		if list.Total != 1 || list.Items[0].Village.Code != villageB {
			t.Errorf("behind list: %+v", list)
		}
		if res := anon.Get(regency, "/projects?state=done"); res.Status != 400 || res.ErrorCode() != "invalid_filter" {
			t.Errorf("bad state: %d %s", res.Status, res.Body)
		}
		anon.Get(regency, "/projects?village="+villageA).JSON(&list)
		if list.Total != 2 {
			t.Errorf("village filter: %+v", list)
		}
	}, sdktest.WithClock(clock.Now))
}

// postMultipart posts a multipart body as c (the kit's client sends no
// Content-Type of its own).
func postMultipart(t testing.TB, h *sdktest.Host, c *sdktest.Client, tenant, path, ct string, body []byte) (int, []byte) {
	req, _ := http.NewRequest("POST", h.URL()+"/api/v1/t/"+tenant+"/development"+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res.StatusCode, data
}

// TestBehindPaging pages through projects behind schedule: furthest
// behind first, every one once, equal ones (the same dates and percent)
// split across pages.
func TestBehindPaging(t *testing.T) {
	clock := sdktest.NewClock(time.Date(2026, 6, 1, 3, 0, 0, 0, time.UTC))
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		h.Tenant(villageA)
		h.Tenant(villageB)
		h.Enable(regency)
		op := h.User("op-kampar", "operator", regency)
		// Percents reported on 2026-05-01 for projects from 2026-03-01 to
		// 2026-06-30 (expected today: 75%).
		percents := []float64{10, 10, 10, 40, 0, 70, 80}
		for i, pct := range percents {
			v := villageA
			if i%2 == 1 {
				v = villageB
			}
			var p ProjectView
			op.Post(v, "/projects", project("P", "2026-03-01", "2026-06-30")).JSON(&p)
			if pct > 0 {
				if res := op.Post(v, "/projects/"+p.ID+"/progress", map[string]any{"date": "2026-05-01", "percent": pct, "spent": 0}); res.Status != 201 {
					t.Fatalf("report: %d %s", res.Status, res.Body)
				}
			}
		}
		seen := map[string]bool{}
		var got []float64
		for page := 1; page <= 4; page++ {
			var list struct {
				Items []ProjectView
				Total int
			}
			anon := h.Anonymous()
			anon.Get(regency, "/projects?behind=true&limit=2&page="+strconv.Itoa(page)).JSON(&list)
			if list.Total != 6 {
				t.Fatalf("total %d, want 6 (80%% is ahead)", list.Total)
			}
			for _, it := range list.Items {
				if seen[it.ID] {
					t.Errorf("%s twice", it.ID)
				}
				seen[it.ID] = true
				got = append(got, it.Percent)
			}
		}
		if want := []float64{0, 10, 10, 10, 40, 70}; !slices.Equal(got, want) {
			t.Errorf("percents in order %v, want %v", got, want)
		}
		var s Summary
		h.Anonymous().Get(regency, "/summary?year=2026").JSON(&s)
		if s.BehindTotal != 6 || len(s.BehindSchedule) != 6 || s.Villages[0].Behind+s.Villages[1].Behind != 6 {
			t.Errorf("summary behind %d %d %+v", s.BehindTotal, len(s.BehindSchedule), s.Villages)
		}
	}, sdktest.WithClock(clock.Now))
}

// TestVillageToday dates reports by the village's calendar: at 16:30 UTC
// it is already tomorrow in Jayapura (WIT), and a report of that day is
// not in the future there, while it still is in Kampar (WIB).
func TestVillageToday(t *testing.T) {
	clock := sdktest.NewClock(time.Date(2026, 6, 1, 16, 30, 0, 0, time.UTC))
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		const papua = "91.71.01.1001"
		h.Tenant(papua)
		h.Tenant(villageA)
		h.Enable("91")
		h.Enable(regency)
		for _, c := range []struct {
			village string
			status  int
		}{{papua, 201}, {villageA, 422}} {
			op := h.User("op-"+strings.ReplaceAll(c.village, ".", ""), "operator", c.village)
			var p ProjectView
			op.Post(c.village, "/projects", project("Air Bersih", "2026-05-01", "2026-07-31")).JSON(&p)
			if res := op.Post(c.village, "/projects/"+p.ID+"/progress", map[string]any{"date": "2026-06-02", "percent": 5, "spent": 0}); res.Status != c.status {
				t.Errorf("%s: a report of 2026-06-02: %d %s, want %d", c.village, res.Status, res.Body, c.status)
			}
		}
	}, sdktest.WithClock(clock.Now))
}
