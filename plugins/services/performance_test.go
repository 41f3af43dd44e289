package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/performance"
	"github.com/balaidesa/balai/sdk/sdktest"
	"github.com/balaidesa/balai/sdk/sdktest/performancetest"
)

func TestWorkingDaysAfter(t *testing.T) {
	wib := time.FixedZone("WIB", 7*3600)
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, wib)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name     string
		from, to string
		limit    int
		want     int
	}{
		{"the same day", "2026-01-05 08:00", "2026-01-05 16:00", 1, 0},
		{"the next day", "2026-01-05 15:00", "2026-01-06 08:00", 1, 1},
		{"Friday to Monday", "2026-01-09 15:00", "2026-01-12 09:00", 1, 1},
		{"Saturday to Monday", "2026-01-10 09:00", "2026-01-12 09:00", 1, 1},
		{"Monday to Wednesday", "2026-01-05 09:00", "2026-01-07 09:00", 5, 2},
		{"two weeks, stopped past the limit", "2026-01-05 09:00", "2026-01-19 09:00", 3, 4},
		{"two weeks", "2026-01-05 09:00", "2026-01-19 09:00", 30, 10},
		// 23:30 on Monday in Jakarta is Monday 16:30 UTC; issued 01:00 on
		// Tuesday (Monday 18:00 UTC) is the next day there.
		{"the village's calendar, not UTC's", "2026-01-05 23:30", "2026-01-06 01:00", 1, 1},
	}
	for _, tt := range tests {
		if got := workingDaysAfter(at(tt.from).UTC(), at(tt.to).UTC(), wib, tt.limit); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
}

// seeded is a letter request's two times and the working days kept when
// it was issued (nil as on letters issued before they were kept), written
// as stored.
type seeded struct {
	Submitted   time.Time  `json:"submitted"`
	Issued      *time.Time `json:"issued"`
	ServiceDays *int       `json:"service_days"`
}

// withSeed is the plugin with one more route that writes requests'
// records as the workflow leaves them (the workflow itself needs the
// population module; e2e/performance_test.go goes through it): the
// measure reads real records on the real host.
func withSeed() *sdk.Plugin {
	p := plugin
	p.Routes = append(append([]sdk.Route{}, plugin.Routes...), sdk.Route{Method: "POST", Path: "/test-seed", Permission: permWrite,
		Handler: sdk.Func(func(r *http.Request) (int, any, error) {
			var in []seeded
			if err := sdk.Bind(r, &in); err != nil {
				return 0, nil, err
			}
			req := sdk.From(r)
			b := req.Batch()
			for i, s := range in {
				q := request{Ref: fmt.Sprintf("%s-%d-%d", req.Tenant, s.Submitted.Unix(), i), Type: "domisili", State: StateApproved,
					NIK: "1401011503800001", Name: "Budi", Purpose: "uji", Channel: "counter", SubmittedAt: s.Submitted}
				if s.Issued != nil {
					q.State, q.IssuedAt, q.ServiceDays = StateIssued, *s.Issued, s.ServiceDays
				}
				b.Insert("requests", q)
			}
			return http.StatusCreated, nil, b.Commit(r.Context())
		})})
	return &p
}

// TestPerformance checks letters_on_time on SQLite and PostgreSQL: letters
// counted in the quarter of their issue in the village's calendar, timed
// against the inherited target, the regency's villages, target_days'
// checks, a neighbour refused, bad periods.
func TestPerformance(t *testing.T) {
	sdktest.Each(t, withSeed(), func(t *testing.T, h *sdktest.Host) {
		const villageA2 = "14.01.01.2010"
		for _, v := range []string{villageA, villageA2, villageB} {
			h.Tenant(v)
		}
		h.Enable("14.01")
		op := h.User("op-a", "operator", villageA)
		opB := h.User("op-b", "operator", villageB)
		kampar := h.User("kampar-admin", "admin", "14.01")
		wib := func(s string) *time.Time {
			v, err := time.ParseInLocation("2006-01-02 15:04", s, time.FixedZone("WIB", 7*3600))
			if err != nil {
				t.Fatal(err)
			}
			return &v
		}
		letters := []seeded{
			{*wib("2026-01-05 09:00"), wib("2026-01-05 11:00"), nil}, // the same day
			{*wib("2026-01-09 15:00"), wib("2026-01-12 09:00"), nil}, // Friday to Monday: 1 working day
			{*wib("2026-01-05 09:00"), wib("2026-01-07 10:00"), nil}, // 2 working days: late at 1
			{*wib("2026-03-31 08:00"), wib("2026-04-01 01:00"), nil}, // issued in April in Kampar (March in UTC)
			{*wib("2026-02-02 08:00"), nil, nil},                     // not issued
		}
		if res := op.Post(villageA, "/test-seed", letters); res.Status != http.StatusCreated {
			t.Fatalf("seed: %d %s", res.Status, res.Body)
		}
		// Village A2: the same April letter (its days not kept), and two
		// in August whose days were kept when issued: 0 and 3.
		zero, three := 0, 3
		kept := append(letters[3:4:4], seeded{*wib("2026-08-03 08:00"), wib("2026-08-03 09:00"), &zero}, seeded{*wib("2026-08-03 08:00"), wib("2026-08-06 09:00"), &three})
		if res := h.User("op-b2", "operator", villageA2).Post(villageA2, "/test-seed", kept); res.Status != http.StatusCreated {
			t.Fatalf("seed A2: %d %s", res.Status, res.Body)
		}

		pct := performancetest.Pct
		performancetest.Run(t, "letters_on_time", []performancetest.Case{
			performancetest.Ask("quarter 1 at the default target", op, villageA, "year=2026&quarter=1", 1, map[string]performance.Value{villageA: pct(2, 3, 66.67)}),
			performancetest.Ask("quarter 2", op, villageA, "year=2026&quarter=2", 1, map[string]performance.Value{villageA: pct(1, 1, 100)}),
			performancetest.Ask("regency, whole year", kampar, "14.01", "year=2026", 3, map[string]performance.Value{villageA: pct(3, 4, 75), villageA2: pct(2, 3, 66.67), villageB: {}}),
			performancetest.Ask("kept days, quarter 3", kampar, villageA2, "year=2026&quarter=3", 1, map[string]performance.Value{villageA2: pct(1, 2, 50)}),
		})
		// The regency sets 2 working days; its villages inherit it.
		for _, bad := range []any{0, 31, 1.5, "2", -1} {
			if res := kampar.Put("14.01", "/settings", map[string]any{"target_days": bad}); res.Status != http.StatusUnprocessableEntity || res.ErrorCode() != codeInvalidTargetDays {
				t.Errorf("target_days %v: %d %s", bad, res.Status, res.Body)
			}
		}
		var sv settingsView
		res := kampar.Put("14.01", "/settings", map[string]any{"target_days": 2})
		if res.JSON(&sv); res.Status != http.StatusOK || sv.Resolved.TargetDays != 2 {
			t.Fatalf("target_days 2: %d %s", res.Status, res.Body)
		}
		if op.Get(villageA, "/settings").JSON(&sv); sv.Resolved.TargetDays != 2 {
			t.Errorf("village A inherits %d", sv.Resolved.TargetDays)
		}
		// The standard is the regency's: a village's admin cannot lengthen
		// it to re-score its own letters (the security review's case), and
		// may only repeat the value in force.
		villageAdmin := h.User("admin-a", "admin", villageA)
		if res := villageAdmin.Put(villageA, "/settings", map[string]any{"target_days": 30}); res.Status != http.StatusUnprocessableEntity || res.ErrorCode() != codeTargetDaysAtRegency {
			t.Errorf("a village's target_days 30: %d %s", res.Status, res.Body)
		}
		if res := villageAdmin.Put(villageA, "/settings", map[string]any{"target_days": nil}); res.Status != http.StatusUnprocessableEntity || res.ErrorCode() != codeTargetDaysAtRegency {
			t.Errorf("a village's target_days null: %d %s", res.Status, res.Body)
		}
		if res := villageAdmin.Put(villageA, "/settings", map[string]any{"target_days": 2, "place": "Kumantan"}); res.Status != http.StatusOK {
			t.Errorf("a village repeating the regency's target_days: %d %s", res.Status, res.Body)
		}
		performancetest.Run(t, "letters_on_time", []performancetest.Case{
			performancetest.Ask("quarter 1 at 2 days", op, villageA, "year=2026&quarter=1", 1, map[string]performance.Value{villageA: pct(3, 3, 100)}),
		})
		res = kampar.Put("14.01", "/settings", map[string]any{"target_days": nil})
		if res.JSON(&sv); res.Status != http.StatusOK || sv.Resolved.TargetDays != DefaultTargetDays {
			t.Errorf("target_days null: %d %s", res.Status, res.Body)
		}

		performancetest.Refused(t, op, opB, villageA, map[string]sdk.Code{"year=": performance.CodeInvalidYear, "year=2026&quarter=44": performance.CodeInvalidQuarter})
	})
}

// TestTargetDaysScreen sets the service standard through the settings
// screen: shown, refused beside its field when out of range, saved.
func TestTargetDaysScreen(t *testing.T) {
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		h.Tenant(villageA)
		h.Enable("14.01")
		admin := h.User("kampar-admin", "admin", "14.01")
		viewer := h.User("viewer-a", "viewer", villageA)
		villageAdmin := h.User("admin-a", "admin", villageA)
		if res := villageAdmin.GetPage(villageA, "/settings"); res.Status != 200 || strings.Contains(res.HTML, `name="target_days"`) {
			t.Errorf("a village's settings form asks the regency's standard: %d", res.Status)
		}
		tests := []struct {
			name   string
			c      *sdktest.Client
			method string
			tenant string
			form   url.Values
			status int
			want   []string
		}{
			{"the default shown", viewer, "GET", villageA, nil, 200, []string{"1 hari kerja sejak diajukan sampai diterbitkan"}},
			{"the field on the form", admin, "GET", "14.01", nil, 200, []string{`name="target_days"`}},
			{"31 refused beside the field", admin, "POST", "14.01", url.Values{"target_days": {"31"}}, 422,
				[]string{`id="f-target_days-error"`, "Standar waktu pelayanan harus 1 sampai 30 hari kerja", `value="31"`}},
			{"0 refused", admin, "POST", "14.01", url.Values{"target_days": {"0"}}, 422, []string{`id="f-target_days-error"`}},
			{"3 saved", admin, "POST", "14.01", url.Values{"target_days": {"3"}}, http.StatusSeeOther, nil},
			{"the regency's form keeps it", admin, "GET", "14.01", nil, 200, []string{`name="target_days" value="3"`}},
			{"the village inherits it", viewer, "GET", villageA, nil, 200, []string{"3 hari kerja sejak diajukan sampai diterbitkan"}},
			{"the village saves its place without asking the standard", villageAdmin, "POST", villageA, url.Values{"place": {"Kumantan"}, "paper": {"F4"}}, http.StatusSeeOther, nil},
			{"the village still follows the regency", viewer, "GET", villageA, nil, 200, []string{"3 hari kerja sejak diajukan sampai diterbitkan"}},
		}
		for _, tt := range tests {
			res := tt.c.Page(tt.method, tt.tenant, "/settings", tt.form)
			if res.Status != tt.status {
				t.Errorf("%s: %d %.400s", tt.name, res.Status, res.HTML)
				continue
			}
			for _, w := range tt.want {
				if !strings.Contains(res.HTML, w) {
					t.Errorf("%s: no %q in %.3000s", tt.name, w, res.HTML)
				}
			}
		}
	})
}
