package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/balaidesa/balai/sdk/sdktest"
)

const (
	villageA  = "14.01.01.2009"
	villageA2 = "14.01.01.2010"
	villageB  = "14.01.02.2001"
	villageP  = "14.05.01.2001" // another regency
	papua     = "91.01.01.2001" // WIT
)

type listAnswer struct {
	Items []eventView `json:"items"`
	Total int         `json:"total"`
}

func TestAgendaInProcess(t *testing.T) {
	// Monday 30 November 2026, 10:00 WIB, on each database (the test
	// moves it).
	start := time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)
	clock := sdktest.NewClock(start)
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		clock.Set(start)
		testAgenda(t, h, clock)
	}, sdktest.WithClock(clock.Now))
}

func testAgenda(t *testing.T, h *sdktest.Host, clock *sdktest.Clock) {
	for _, v := range []string{villageA, villageA2, villageB, villageP} {
		h.Tenant(v)
	}
	h.Enable("14.01")
	h.Enable("14.05")
	op := h.User("op-a", "operator", villageA)
	opB := h.User("op-b", "operator", villageB)
	viewer := h.User("viewer-a", "viewer", villageA)
	anon := h.Anonymous()

	// A weekly posyandu, public, with the midwife.
	res := op.Post(villageA, "/events", map[string]any{"title": "Posyandu Mawar", "category": "posyandu", "visibility": "public",
		"start": "2026-12-01T08:00", "end": "2026-12-01T11:00", "place": "Balai Desa", "officials": []string{"Bidan Sari"},
		"rrule": "FREQ=WEEKLY;COUNT=10"})
	var posyandu eventView
	if res.JSON(&posyandu); res.Status != http.StatusCreated || posyandu.Start != "2026-12-01T08:00:00+07:00" || len(posyandu.Warnings) != 0 {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	// An internal meeting the midwife also attends, overlapping the
	// third posyandu: saved, with a warning.
	res = op.Post(villageA, "/events", map[string]any{"title": "Rapat evaluasi stunting", "category": "rapat",
		"start": "2026-12-15T10:00:00+07:00", "end": "2026-12-15T12:00:00+07:00", "officials": []string{"bidan  sari", "Kades Ahmad"}})
	var meeting eventView
	if res.JSON(&meeting); res.Status != http.StatusCreated || len(meeting.Warnings) != 1 || meeting.Warnings[0].EventID != posyandu.ID ||
		meeting.Warnings[0].Start != "2026-12-15T08:00:00+07:00" || meeting.Warnings[0].Code != codeOfficialDoubleBooked || meeting.Visibility != visInternal {
		t.Fatalf("double booking: %d %s", res.Status, res.Body)
	}
	// The posyandu's own page tells staff of the clash too, not the public.
	var got eventView
	if viewer.Get(villageA, "/events/"+posyandu.ID).JSON(&got); len(got.Warnings) != 1 || got.Warnings[0].EventID != meeting.ID {
		t.Errorf("viewer sees %+v", got.Warnings)
	}
	got = eventView{}
	if anon.Get(villageA, "/events/"+posyandu.ID).JSON(&got); len(got.Warnings) != 0 || got.Title != "Posyandu Mawar" {
		t.Errorf("public sees %+v", got)
	}
	if res := anon.Get(villageA, "/events/"+meeting.ID); res.Status != http.StatusNotFound {
		t.Errorf("an internal event for the public: %d", res.Status)
	}
	// An all-day gotong royong in village B.
	if res := opB.Post(villageB, "/events", map[string]any{"title": "Gotong royong bersih parit", "category": "gotong_royong",
		"visibility": "public", "all_day": true, "start": "2026-12-05"}); res.Status != http.StatusCreated {
		t.Fatalf("all day: %d %s", res.Status, res.Body)
	}

	// December, as the public and staff see it.
	var list listAnswer
	anon.Get(villageA, "/events?from=2026-12-01&to=2026-12-31").JSON(&list)
	if list.Total != 5 || list.Items[0].SeriesStart != posyandu.Start || list.Items[4].Start != "2026-12-29T08:00:00+07:00" {
		t.Fatalf("public December: %+v", list)
	}
	viewer.Get(villageA, "/events?from=2026-12-01&to=2026-12-31").JSON(&list)
	if list.Total != 6 {
		t.Errorf("staff December: %d", list.Total)
	}
	// paging
	anon.Get(villageA, "/events?from=2026-12-01&to=2026-12-31&page=2&limit=2").JSON(&list)
	if list.Total != 5 || len(list.Items) != 2 || list.Items[0].Start != "2026-12-15T08:00:00+07:00" {
		t.Errorf("page 2: %+v", list)
	}
	// The window's bounds.
	for q, code := range map[string]string{
		"from=2026-12-01&to=2027-12-03": "window_too_long", "from=2026-12-10&to=2026-12-01": "window_backwards",
		"from=besok": "invalid_from", "to=31-12-2026": "invalid_to", "category=pesta": "invalid_category", "status=x": "invalid_status",
	} {
		if res := anon.Get(villageA, "/events?"+q); res.Status != 422 || string(res.ErrorCode()) != code {
			t.Errorf("%s: %d %s", q, res.Status, res.Body)
		}
	}

	// The regency gathers the public events of its villages, not the
	// internal ones nor Pelalawan's.
	opP := h.User("op-p", "operator", villageP)
	opP.Post(villageP, "/events", map[string]any{"title": "Musdes Pelalawan", "category": "musyawarah_desa", "visibility": "public", "start": "2026-12-02T09:00"})
	anon.Get("14.01", "/events?from=2026-12-01&to=2026-12-31").JSON(&list)
	if list.Total != 6 || list.Items[0].TenantName != "Tenant "+villageA {
		t.Errorf("regency December: %d %+v", list.Total, list.Items)
	}
	anon.Get("14.01", "/events?from=2026-12-01&to=2026-12-31&village="+villageB).JSON(&list)
	if list.Total != 1 || list.Items[0].Tenant != villageB {
		t.Errorf("regency December, village B: %+v", list)
	}
	for tenant, v := range map[string]string{"14.01": villageP, villageA: villageA, "14.01.01": villageB, "14.01 ": "14.01.01"} {
		if res := anon.Get(strings.TrimSpace(tenant), "/events?village="+v); res.Status != 422 || res.ErrorCode() != codeInvalidVillage {
			t.Errorf("village %s at %s: %d %s", v, tenant, res.Status, res.Body)
		}
	}
	var sum summaryAnswer
	anon.Get("14.01", "/summary?month=2026-12").JSON(&sum)
	if sum.Events != 6 || sum.Total != 3 || sum.Items[0].Tenant != villageA || sum.Items[0].Events != 5 || sum.Items[2].Events != 1 {
		t.Errorf("regency summary: %+v", sum)
	}
	anon.Get("14.01.01", "/summary?month=2026-12").JSON(&sum)
	if sum.Events != 5 || sum.Total != 2 {
		t.Errorf("district summary: %+v", sum)
	}

	// Tenancy: village B's operator cannot write in village A.
	if res := opB.Post(villageA, "/events", map[string]any{"title": "X", "category": "rapat", "start": "2026-12-01T08:00"}); res.Status != http.StatusForbidden {
		t.Errorf("neighbour: %d", res.Status)
	}
	if res := opB.Put(villageB, "/events/"+posyandu.ID, map[string]any{"title": "X", "category": "rapat", "start": "2026-12-01T08:00", "version": 1}); res.Status != http.StatusNotFound {
		t.Errorf("another village's event by id: %d", res.Status)
	}
	if res := viewer.Post(villageA, "/events", map[string]any{"title": "X", "category": "rapat", "start": "2026-12-01T08:00"}); res.Status != http.StatusForbidden {
		t.Errorf("viewer writes: %d", res.Status)
	}
	if res := op.Post(villageA, "/events", map[string]any{"title": "X", "category": "rapat", "start": "2026-12-01T08:00", "colour": "red"}); res.Status != 400 || res.ErrorCode() != "unknown_field" {
		t.Errorf("unknown field: %d %s", res.Status, res.Body)
	}
	if res := op.Post(villageA, "/events", map[string]any{"title": 7, "category": "rapat", "start": "2026-12-01T08:00"}); res.Status != 422 || res.ErrorCode() != codeInvalidTitle {
		t.Errorf("number as title: %d %s", res.Status, res.Body)
	}

	// Edit with the version read; a stale version is refused.
	upd := map[string]any{"title": "Rapat evaluasi stunting", "category": "rapat", "start": "2026-12-15T13:00", "end": "2026-12-15T14:00",
		"officials": []string{"Bidan Sari"}, "version": meeting.Version}
	res = op.Put(villageA, "/events/"+meeting.ID, upd)
	got = eventView{}
	if res.JSON(&got); res.Status != 200 || len(got.Warnings) != 0 || got.Version != 2 {
		t.Fatalf("moved after the posyandu: %d %s", res.Status, res.Body)
	}
	if res := op.Put(villageA, "/events/"+meeting.ID, upd); res.Status != 409 || res.ErrorCode() != codeVersionConflict {
		t.Errorf("stale version: %d %s", res.Status, res.Body)
	}
	// Cancel: kept, shown cancelled; twice is a conflict.
	if res := op.Post(villageA, "/events/"+meeting.ID+"/cancel", map[string]any{"reason": ""}); res.ErrorCode() != codeInvalidReason {
		t.Errorf("no reason: %d %s", res.Status, res.Body)
	}
	if res := op.Post(villageA, "/events/"+meeting.ID+"/cancel", map[string]any{"reason": "Bidan cuti"}); res.Status != 200 {
		t.Errorf("cancel: %d %s", res.Status, res.Body)
	}
	if res := op.Post(villageA, "/events/"+meeting.ID+"/cancel", map[string]any{"reason": "lagi"}); res.Status != 409 || res.ErrorCode() != codeAlreadyCancelled {
		t.Errorf("cancel twice: %d %s", res.Status, res.Body)
	}
	if res := op.Put(villageA, "/events/"+meeting.ID, map[string]any{"title": "X", "category": "rapat", "start": "2026-12-01T08:00", "version": 3}); res.Status != 409 || res.ErrorCode() != codeEventCancelled {
		t.Errorf("edit cancelled: %d %s", res.Status, res.Body)
	}
	viewer.Get(villageA, "/events?from=2026-12-01&to=2026-12-31&status=cancelled").JSON(&list)
	if list.Total != 1 || list.Items[0].CancelReason != "Bidan cuti" {
		t.Errorf("cancelled list: %+v", list)
	}

	// One date of the posyandu called off: the series stays, that date
	// shows cancelled.
	res = op.Post(villageA, "/events/"+posyandu.ID+"/cancel", map[string]any{"reason": "Libur Natal", "date": "2026-12-22"})
	got = eventView{}
	if res.JSON(&got); res.Status != 200 || got.Status != statusScheduled || got.CancelledDates["2026-12-22"] != "Libur Natal" {
		t.Fatalf("cancel one date: %d %s", res.Status, res.Body)
	}
	for _, c := range []struct {
		id, date string
		status   int
		code     string
	}{
		{posyandu.ID, "2026-12-22", 409, string(codeOccurrenceCancelled)},
		{posyandu.ID, "2026-12-23", 422, string(codeNotAnOccurrence)},
		{posyandu.ID, "22-12-2026", 422, string(codeInvalidDate)},
		{meeting.ID, "2026-12-15", 409, string(codeAlreadyCancelled)},
	} {
		if res := op.Post(villageA, "/events/"+c.id+"/cancel", map[string]any{"reason": "x", "date": c.date}); res.Status != c.status || string(res.ErrorCode()) != c.code {
			t.Errorf("cancel %s: %d %s, want %d %s", c.date, res.Status, res.Body, c.status, c.code)
		}
	}
	var oneOff eventView
	op.Post(villageA, "/events", map[string]any{"title": "Rapat RT", "category": "rapat", "start": "2026-12-20T19:00"}).JSON(&oneOff)
	if res := op.Post(villageA, "/events/"+oneOff.ID+"/cancel", map[string]any{"reason": "x", "date": "2026-12-20"}); res.Status != 422 || res.ErrorCode() != codeNotRecurring {
		t.Errorf("a date of a one-off event: %d %s", res.Status, res.Body)
	}
	anon.Get(villageA, "/events?from=2026-12-22&to=2026-12-22").JSON(&list)
	if list.Total != 1 || list.Items[0].Status != statusCancelled || list.Items[0].CancelReason != "Libur Natal" {
		t.Errorf("the cancelled date: %+v", list)
	}
	anon.Get(villageA, "/events?from=2026-12-01&to=2026-12-31&status=scheduled").JSON(&list)
	if list.Total != 4 {
		t.Errorf("scheduled December: %d", list.Total)
	}
	anon.Get("14.01", "/summary?month=2026-12").JSON(&sum)
	if sum.Events != 5 || sum.Cancelled != 1 {
		t.Errorf("summary after one date cancelled: %+v", sum)
	}

	// The feed, parsed by a real parser.
	res = anon.Get("14.01", "/calendar.ics")
	if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("feed: %d %s", res.Status, res.Header)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(string(res.Body)))
	if err != nil {
		t.Fatalf("parsing the feed: %v\n%s", err, res.Body)
	}
	evs := cal.Events()
	if len(evs) != 2 {
		t.Fatalf("feed events: %d\n%s", len(evs), res.Body)
	}
	for _, e := range evs {
		if e.GetProperty(ics.ComponentPropertySummary).Value == "Posyandu Mawar" {
			start, err := e.GetStartAt()
			if err != nil || !start.Equal(time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)) || e.GetProperty(ics.ComponentPropertyRrule).Value != "FREQ=WEEKLY;COUNT=10" {
				t.Errorf("posyandu in the feed: %v %v", start, err)
			}
			if ex := e.GetProperty(ics.ComponentProperty("EXDATE")); ex == nil || ex.Value != "20261222T080000" || ex.ICalParameters["TZID"][0] != "Asia/Jakarta" {
				t.Errorf("the cancelled date in the feed: %+v", ex)
			}
		}
	}

	// Screens: the clerk's month, a form refused then saved, the public page.
	page := op.GetPage(villageA, "/events?month=2026-12")
	if page.Status != 200 || !strings.Contains(page.HTML, "Posyandu Mawar") || !strings.Contains(page.HTML, "Rapat evaluasi stunting") {
		t.Errorf("console list: %d %s", page.Status, page.HTML)
	}
	form := url.Values{"title": {"Musyawarah Desa RKPDes"}, "category": {"musyawarah_desa"}, "visibility": {"public"},
		"start_date": {"2026-12-15"}, "start_time": {"jam sembilan"}, "officials": {"Bidan Sari\nKades Ahmad"}}
	if page := op.PostForm(villageA, "/events/new", form); page.Status != 422 || !strings.Contains(page.HTML, "Musyawarah Desa RKPDes") {
		t.Errorf("bad time: %d %s", page.Status, page.HTML)
	}
	form.Set("start_time", "08.30")
	page = op.PostForm(villageA, "/events/new", form)
	if page.Status != 303 || page.FlashKind != "warning" || !strings.Contains(page.Flash, "Bidan Sari") {
		t.Fatalf("save with a clash: %d %q %q %s", page.Status, page.FlashKind, page.Flash, page.HTML)
	}
	page = op.GetPage(villageA, strings.TrimPrefix(page.Location, "/console/"+villageA+"/m/agenda"))
	if page.Status != 200 || !strings.Contains(page.HTML, "double-bookings") || !strings.Contains(page.HTML, "Selasa, 15 Desember 2026, 08.30–09.30 WIB") {
		t.Errorf("event page: %d %s", page.Status, page.HTML)
	}
	pub := anon.PublicPage("GET", villageA, "/?month=2026-12", nil)
	if pub.Status != 200 || !strings.Contains(pub.HTML, "Posyandu Mawar") || strings.Contains(pub.HTML, "Rapat evaluasi") {
		t.Errorf("public agenda: %d %s", pub.Status, pub.HTML)
	}
	pub = anon.PublicPage("GET", villageA, "/kegiatan/"+posyandu.ID, nil)
	if pub.Status != 200 || !strings.Contains(pub.HTML, "Setiap minggu") {
		t.Errorf("public event: %d %s", pub.Status, pub.HTML)
	}
	if pub := anon.PublicPage("GET", villageA, "/kegiatan/"+meeting.ID, nil); pub.Status != 404 {
		t.Errorf("internal event's public page: %d", pub.Status)
	}
	widgets := h.PublicWidgets("14.01")
	if len(widgets) != 1 || !strings.Contains(string(widgets[0].HTML), "Posyandu Mawar") || len(widgets[0].HTML) > 4096 {
		t.Errorf("regency widget: %+v", widgets)
	}
	if page := op.GetPage("14.01", "/villages?month=2026-12"); page.Status != 200 {
		// op-a has no grant at the regency
		if page.Status != 403 {
			t.Errorf("villages page for a village operator at the regency: %d", page.Status)
		}
	}
	// The menu, the dashboard widget, and the screens in English.
	if menu := h.Menu(villageA, "op-a"); len(menu) != 1 || menu[0].Label != "Agenda" || menu[0].Icon != "calendar" || menu[0].Order != 80 || menu[0].Path != "/events" {
		t.Errorf("menu: %+v", menu)
	}
	if ws := h.Widgets(villageA, "viewer-a"); len(ws) != 1 || !strings.Contains(string(ws[0].HTML), "kegiatan dalam 7 hari") {
		t.Errorf("dashboard widget: %+v", ws)
	}
	op.Lang = "en"
	if page := op.GetPage(villageA, "/events?month=2026-12"); !strings.Contains(page.HTML, "Add event") || !strings.Contains(page.HTML, "Posyandu Mawar") {
		t.Errorf("English list: %s", page.HTML)
	}
	op.Lang = ""
	admin := h.Admin()
	if page := admin.GetPage("14.01", "/villages?month=2026-12"); page.Status != 200 || !strings.Contains(page.HTML, "Tenant "+villageB) {
		t.Errorf("regency villages page: %d %s", page.Status, page.HTML)
	}
	// Without from, the window starts at the village's today: three
	// weeks later, the posyandu of 22 December (cancelled) to 19 January.
	clock.Set(time.Date(2026, 12, 21, 3, 0, 0, 0, time.UTC))
	anon.Get(villageA, "/events").JSON(&list)
	if list.Total != 5 || list.Items[0].Start != "2026-12-22T08:00:00+07:00" || list.Items[4].Start != "2027-01-19T08:00:00+07:00" {
		t.Errorf("the default window: %+v", list)
	}
}

// TestWIT: a village in Papua keeps its own clock: 16:30 UTC is already
// tomorrow there, and its events are stated in WIT.
func TestWIT(t *testing.T) {
	clock := sdktest.NewClock(time.Date(2026, 12, 1, 16, 30, 0, 0, time.UTC))
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		h.Tenant(papua)
		h.Enable(papua)
		op := h.User("op-papua", "operator", papua)
		var ev eventView
		res := op.Post(papua, "/events", map[string]any{"title": "Rapat", "category": "rapat", "start": "2026-12-02T08:00", "visibility": "public"})
		if res.JSON(&ev); res.Status != 201 || ev.Start != "2026-12-02T08:00:00+09:00" || ev.TimeZone != "Asia/Jayapura" {
			t.Fatalf("%d %s", res.Status, res.Body)
		}
		// No from: today is already 2 December there.
		var list listAnswer
		if h.Anonymous().Get(papua, "/events").JSON(&list); list.Total != 1 {
			t.Errorf("%+v", list)
		}
		if pub := h.Anonymous().PublicPage("GET", papua, "/kegiatan/"+ev.ID, nil); !strings.Contains(pub.HTML, "08.00–09.00 WIT") {
			t.Errorf("%s", pub.HTML)
		}
	}, sdktest.WithClock(clock.Now))
}
