package e2e

// The agenda module through the real balai binary and the agenda plugin
// on SQLite and PostgreSQL: a clerk's events (one-off, recurring,
// all-day), the double-booking warning, the public and staff views of a
// window, bad input with the documented codes, a neighbour village
// refused, the sub-district's and regency's agendas and roll-up counting
// only the villages below, the iCalendar feed parsed by a real parser,
// and the events published.

import (
	"net/http"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
)

// agendaEventNames reads the names of the events the agenda published,
// in order, straight from the database.
func agendaEventNames(t *testing.T, h *Host) []string {
	t.Helper()
	db, err := store.Open(store.Options{URL: h.DBURL, DataDir: h.DataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var names []string
	if err := db.Table("events").Where("plugin = ?", "agenda").Order("id").Pluck("name", &names).Error; err != nil {
		t.Fatal(err)
	}
	return names
}

func agd(tenant, path string) string { return p(tenant, "agenda", path) }

func TestAgenda(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"agenda"})
		w.enable(t, "14.01", "agenda", true)
		w.enable(t, "14.05", "agenda", true)
		h, anon := w.h, w.h.Anon()

		var posyandu, musdes string
		t.Run("journey", func(t *testing.T) {
			r := w.op.Do(t, "POST", agd(villageA, "/events"), map[string]any{
				"title": "Posyandu Mawar", "category": "posyandu", "visibility": "public", "place": "Balai Desa Kumantan",
				"start": "2027-03-02T08:00", "end": "2027-03-02T11:00", "officials": []string{"Bidan Sari"},
				"rrule": "FREQ=MONTHLY;BYDAY=1TU;COUNT=12", "description": "Penimbangan balita dan imunisasi."}).Expect(http.StatusCreated)
			posyandu = r.Str("id")
			if r.Str("start") != "2027-03-02T08:00:00+07:00" || r.Str("time_zone") != "Asia/Jakarta" || len(r.JSON()["warnings"].([]any)) != 0 {
				t.Errorf("created: %s", r.Body)
			}
			// The head of the village and the midwife at a musdes
			// overlapping the posyandu: saved, with a warning.
			r = w.op.Do(t, "POST", agd(villageA, "/events"), map[string]any{
				"title": "Musyawarah Desa RKPDes 2028", "category": "musyawarah_desa", "visibility": "public",
				"start": "2027-04-06T10:00:00+07:00", "end": "2027-04-06T13:00:00+07:00", "officials": []string{"Kades Ahmad", "bidan sari"}}).Expect(http.StatusCreated)
			musdes = r.Str("id")
			warnings := r.JSON()["warnings"].([]any)
			if len(warnings) != 1 {
				t.Fatalf("warnings: %s", r.Body)
			}
			if wn := warnings[0].(map[string]any); wn["code"] != "official_double_booked" || wn["event_id"] != posyandu || wn["start"] != "2027-04-06T08:00:00+07:00" {
				t.Errorf("warning: %v", wn)
			}
			// An internal meeting, and an all-day gotong royong in village B.
			w.op.Do(t, "POST", agd(villageA, "/events"), map[string]any{"title": "Rapat perangkat", "category": "rapat",
				"start": "2027-03-10T13:00", "officials": []string{"Kades Ahmad"}}).Expect(http.StatusCreated)
			w.opB.Do(t, "POST", agd(villageB, "/events"), map[string]any{"title": "Gotong royong bersih parit", "category": "gotong_royong",
				"visibility": "public", "all_day": true, "start": "2027-03-13", "end": "2027-03-14"}).Expect(http.StatusCreated)
			w.pelalawanUser.Do(t, "POST", agd(villageP, "/events"), map[string]any{"title": "Musdes Pelalawan", "category": "musyawarah_desa",
				"visibility": "public", "start": "2027-03-03T09:00"}).Expect(http.StatusCreated)

			// March: the public sees the posyandu, not the internal meeting.
			r = anon.Do(t, "GET", agd(villageA, "/events?from=2027-03-01&to=2027-03-31"), nil).Expect(200)
			if r.Total() != 1 || r.Items()[0]["title"] != "Posyandu Mawar" {
				t.Errorf("public March: %s", r.Body)
			}
			if r := w.viewer.Do(t, "GET", agd(villageA, "/events?from=2027-03-01&to=2027-03-31"), nil).Expect(200); r.Total() != 2 {
				t.Errorf("staff March: %s", r.Body)
			}
			// A year's window expands the monthly posyandu into its
			// twelve first Tuesdays (the year from March: 10 in 2027).
			r = anon.Do(t, "GET", agd(villageA, "/events?from=2027-01-01&to=2027-12-31&category=posyandu&limit=500"), nil).Expect(200)
			if r.Total() != 10 || r.Items()[9]["start"] != "2027-12-07T08:00:00+07:00" {
				t.Errorf("posyandu in 2027: %d %s", r.Total(), r.Body)
			}
			// The event, public; the internal one is not found for the public.
			anon.Do(t, "GET", agd(villageA, "/events/"+posyandu), nil).Expect(200)
			// Editing with the version read, then cancelling.
			upd := map[string]any{"title": "Musyawarah Desa RKPDes 2028", "category": "musyawarah_desa", "visibility": "public",
				"start": "2027-04-06T13:00", "end": "2027-04-06T15:00", "officials": []string{"Kades Ahmad", "Bidan Sari"}, "version": 1}
			r = w.op.Do(t, "PUT", agd(villageA, "/events/"+musdes), upd).Expect(200)
			if len(r.JSON()["warnings"].([]any)) != 0 || r.JSON()["version"] != float64(2) {
				t.Errorf("moved after the posyandu: %s", r.Body)
			}
			w.op.Do(t, "PUT", agd(villageA, "/events/"+musdes), upd).ExpectErr(409, "version_conflict")
		})

		t.Run("bad input", func(t *testing.T) {
			ok := map[string]any{"title": "Rapat", "category": "rapat", "start": "2027-03-01T09:00"}
			with := func(k string, v any) map[string]any {
				m := map[string]any{}
				for a, b := range ok {
					m[a] = b
				}
				if v == nil {
					delete(m, k)
				} else {
					m[k] = v
				}
				return m
			}
			for _, c := range []struct {
				body   any
				status int
				code   string
			}{
				{with("title", ""), 422, "invalid_title"},
				{with("title", 5), 422, "invalid_title"},
				{with("category", "pesta"), 422, "invalid_category"},
				{with("visibility", "rahasia"), 422, "invalid_visibility"},
				{with("start", "besok pagi"), 422, "invalid_start"},
				{with("end", "2027-03-01T08:00"), 422, "end_before_start"},
				{with("end", "2027-05-01T08:00"), 422, "event_too_long"},
				{with("officials", []string{""}), 422, "invalid_officials"},
				{with("rrule", "FREQ=HOURLY"), 422, "invalid_rrule"},
				{with("rrule", "FREQ=WEEKLY;BYDAY=FR"), 422, "start_not_in_rrule"},
				{with("colour", "merah"), 400, "unknown_field"},
				{`{"title":`, 400, "malformed_json"},
			} {
				w.op.Do(t, "POST", agd(villageA, "/events"), c.body).ExpectErr(c.status, c.code)
			}
			for q, code := range map[string]string{
				"from=2027-01-01&to=2028-01-03": "window_too_long", "from=2027-03-10&to=2027-03-01": "window_backwards",
				"from=01-03-2027": "invalid_from", "to=kemarin": "invalid_to", "village=" + villageB: "invalid_village",
			} {
				anon.Do(t, "GET", agd(villageA, "/events?"+q), nil).ExpectErr(422, code)
			}
			anon.Do(t, "GET", agd("14.01", "/summary?month=2027-13"), nil).ExpectErr(422, "invalid_month")
			w.op.Do(t, "POST", agd(villageA, "/events/"+musdes+"/cancel"), map[string]any{"reason": ""}).ExpectErr(422, "invalid_reason")
			w.op.Do(t, "PUT", agd(villageA, "/events/"+musdes), map[string]any{"title": "X", "category": "rapat", "start": "2027-03-01T09:00"}).ExpectErr(422, "invalid_version")
			anon.Do(t, "GET", agd(villageA, "/events/00000000-0000-0000-0000-000000000000"), nil).ExpectErr(404, "not_found")
		})

		t.Run("tenancy", func(t *testing.T) {
			// Village B's operator is refused in village A, and cannot
			// reach A's event through its own village.
			w.opB.Do(t, "POST", agd(villageA, "/events"), map[string]any{"title": "X", "category": "rapat", "start": "2027-03-01T09:00"}).ExpectErr(403, "forbidden")
			w.opB.Do(t, "POST", agd(villageA, "/events/"+posyandu+"/cancel"), map[string]any{"reason": "x"}).ExpectErr(403, "forbidden")
			w.opB.Do(t, "POST", agd(villageB, "/events/"+posyandu+"/cancel"), map[string]any{"reason": "x"}).ExpectErr(404, "not_found")
			w.viewer.Do(t, "POST", agd(villageA, "/events"), map[string]any{"title": "X", "category": "rapat", "start": "2027-03-01T09:00"}).ExpectErr(403, "forbidden")
			anon.Do(t, "POST", agd(villageA, "/events"), map[string]any{"title": "X", "category": "rapat", "start": "2027-03-01T09:00"}).Expect(401)
			// Pelalawan's operator sees nothing of Kampar's internal events.
			if r := w.pelalawanUser.Do(t, "GET", agd(villageA, "/events?from=2027-03-01&to=2027-03-31"), nil).Expect(200); r.Total() != 1 {
				t.Errorf("Pelalawan's operator in Kampar: %s", r.Body)
			}
		})

		t.Run("roll-up", func(t *testing.T) {
			// The regency's March: Kumantan's posyandu and Batu Belah's
			// gotong royong, never Pelalawan's musdes nor the internal
			// meeting.
			r := anon.Do(t, "GET", agd("14.01", "/events?from=2027-03-01&to=2027-03-31"), nil).Expect(200)
			if r.Total() != 2 || r.Items()[0]["tenant"] != villageA || r.Items()[1]["tenant"] != villageB || r.Items()[1]["start"] != "2027-03-13" || r.Items()[1]["end"] != "2027-03-14" {
				t.Errorf("regency March: %s", r.Body)
			}
			if r := anon.Do(t, "GET", agd("14.01", "/events?from=2027-03-01&to=2027-03-31&village="+villageB), nil).Expect(200); r.Total() != 1 || r.Items()[0]["tenant"] != villageB {
				t.Errorf("regency March, village B only: %s", r.Body)
			}
			anon.Do(t, "GET", agd("14.01", "/events?village="+villageP), nil).ExpectErr(422, "invalid_village")
			// The sub-district sees only its own villages.
			if r := anon.Do(t, "GET", agd("14.01.01", "/events?from=2027-03-01&to=2027-03-31"), nil).Expect(200); r.Total() != 1 {
				t.Errorf("sub-district March: %s", r.Body)
			}
			s := anon.Do(t, "GET", agd("14.01", "/summary?month=2027-03"), nil).Expect(200).JSON()
			if s["events"] != float64(2) {
				t.Errorf("regency summary: %v", s)
			}
			rows := map[string]float64{}
			for _, it := range s["items"].([]any) {
				m := it.(map[string]any)
				rows[m["tenant"].(string)] = m["events"].(float64)
			}
			if _, ok := rows[villageP]; ok || rows[villageA] != 1 || rows[villageB] != 1 || len(rows) < 200 {
				t.Errorf("regency rows: %d rows, A %v, B %v", len(rows), rows[villageA], rows[villageB])
			}
			// A village where the module is switched off drops out.
			w.enable(t, villageB, "agenda", false)
			if r := anon.Do(t, "GET", agd("14.01", "/events?from=2027-03-01&to=2027-03-31"), nil).Expect(200); r.Total() != 1 {
				t.Errorf("regency after B switched off: %s", r.Body)
			}
			w.enable(t, villageB, "agenda", true)
			ps := anon.Do(t, "GET", agd("14.05", "/summary?month=2027-03"), nil).Expect(200).JSON()
			if ps["events"] != float64(1) {
				t.Errorf("Pelalawan summary: %v", ps)
			}
		})

		t.Run("feed", func(t *testing.T) {
			w.op.Do(t, "POST", agd(villageA, "/events/"+musdes+"/cancel"), map[string]any{"reason": "Kepala desa dinas luar"}).Expect(200)
			w.op.Do(t, "POST", agd(villageA, "/events/"+musdes+"/cancel"), map[string]any{"reason": "lagi"}).ExpectErr(409, "already_cancelled")
			// May's posyandu falls on a holiday: that date only.
			w.op.Do(t, "POST", agd(villageA, "/events/"+posyandu+"/cancel"), map[string]any{"reason": "Hari libur nasional", "date": "2027-05-04"}).Expect(200)
			w.op.Do(t, "POST", agd(villageA, "/events/"+posyandu+"/cancel"), map[string]any{"reason": "x", "date": "2027-05-05"}).ExpectErr(422, "not_an_occurrence")
			if r := anon.Do(t, "GET", agd(villageA, "/events?from=2027-05-01&to=2027-06-30"), nil).Expect(200); r.Total() != 2 ||
				r.Items()[0]["status"] != "cancelled" || r.Items()[0]["cancel_reason"] != "Hari libur nasional" || r.Items()[1]["status"] != "scheduled" {
				t.Errorf("May and June: %s", r.Body)
			}
			for _, tenant := range []string{villageA, "14.01"} {
				r := anon.Do(t, "GET", agd(tenant, "/calendar.ics"), nil).Expect(200)
				if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
					t.Errorf("content type %q", ct)
				}
				cal, err := ics.ParseCalendar(strings.NewReader(string(r.Body)))
				if err != nil {
					t.Fatalf("%s's feed does not parse: %v\n%s", tenant, err, r.Body)
				}
				byTitle := map[string]*ics.VEvent{}
				for _, e := range cal.Events() {
					byTitle[e.GetProperty(ics.ComponentPropertySummary).Value] = e
				}
				if _, ok := byTitle["Rapat perangkat"]; ok {
					t.Errorf("%s's feed shows an internal event", tenant)
				}
				if _, ok := byTitle["Musdes Pelalawan"]; ok {
					t.Errorf("%s's feed shows another regency's event", tenant)
				}
				e := byTitle["Posyandu Mawar"]
				if e == nil {
					t.Fatalf("%s's feed lacks the posyandu:\n%s", tenant, r.Body)
				}
				start, err := e.GetStartAt()
				if err != nil || !start.Equal(time.Date(2027, 3, 2, 1, 0, 0, 0, time.UTC)) || e.GetProperty(ics.ComponentPropertyRrule).Value != "FREQ=MONTHLY;COUNT=12;BYDAY=+1TU" {
					t.Errorf("the posyandu in %s's feed: %v %v %v", tenant, start, err, e.GetProperty(ics.ComponentPropertyRrule))
				}
				if ex := e.GetProperty(ics.ComponentProperty("EXDATE")); ex == nil || ex.Value != "20270504T080000" {
					t.Errorf("the posyandu's cancelled date in %s's feed: %v", tenant, ex)
				}
				if m := byTitle["Musyawarah Desa RKPDes 2028"]; m == nil || m.GetProperty(ics.ComponentPropertyStatus).Value != "CANCELLED" {
					t.Errorf("the cancelled musdes in %s's feed", tenant)
				}
				if tenant == "14.01" {
					g := byTitle["Gotong royong bersih parit"]
					if g == nil {
						t.Fatalf("the regency's feed lacks village B's event")
					}
					if s, err := g.GetAllDayStartAt(); err != nil || s.Format("2006-01-02") != "2027-03-13" {
						t.Errorf("all-day start: %v %v", s, err)
					}
					if p := g.GetProperty(ics.ComponentPropertyDtEnd); p == nil || p.Value != "20270315" {
						t.Errorf("all-day end (exclusive): %v", p)
					}
				}
			}
		})

		t.Run("events", func(t *testing.T) {
			names := agendaEventNames(t, h)
			want := map[string]int{"agenda.event_created": 5, "agenda.event_updated": 1, "agenda.event_cancelled": 2}
			got := map[string]int{}
			for _, n := range names {
				got[n]++
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s published %d times, want %d (%v)", k, got[k], v, got)
				}
			}
		})
	})
}
