package main

import (
	"errors"
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk"
)

var wib = time.FixedZone("WIB", 7*3600)

func TestManifest(t *testing.T) {
	if err := plugin.Validate(); err != nil {
		t.Fatal(err)
	}
}

// TestCheck is the input's rules, each refusal with its code and field.
func TestCheck(t *testing.T) {
	base := func(mod func(*eventInput)) eventInput {
		in := eventInput{Title: "Posyandu Mawar", Category: "posyandu", Start: "2026-12-08T09:00", End: "2026-12-08T11:00"}
		if mod != nil {
			mod(&in)
		}
		return in
	}
	cases := []struct {
		name  string
		in    eventInput
		code  sdk.Code
		field string
		check func(t *testing.T, s stored)
	}{
		{name: "local time is the village's", in: base(nil), check: func(t *testing.T, s stored) {
			if !s.StartAt.Equal(time.Date(2026, 12, 8, 2, 0, 0, 0, time.UTC)) || s.Visibility != visInternal || s.StartDate != "2026-12-08" {
				t.Errorf("%+v", s)
			}
		}},
		{name: "RFC 3339 with another offset", in: base(func(in *eventInput) { in.Start, in.End = "2026-12-08T01:30:00Z", "" }), check: func(t *testing.T, s stored) {
			if s.StartDate != "2026-12-08" || s.duration() != time.Hour {
				t.Errorf("%+v", s)
			}
		}},
		{name: "all day, end inclusive", in: base(func(in *eventInput) { in.AllDay, in.Start, in.End = true, "2026-12-05", "2026-12-06" }), check: func(t *testing.T, s stored) {
			if s.duration() != 48*time.Hour || s.EndDate != "2026-12-06" || !s.StartAt.Equal(time.Date(2026, 12, 4, 17, 0, 0, 0, time.UTC)) {
				t.Errorf("%+v", s)
			}
		}},
		{name: "officials deduplicated", in: base(func(in *eventInput) {
			in.Officials = []string{"Kepala Desa Ahmad", "kepala  desa ahmad", "Sekdes Rina"}
		}), check: func(t *testing.T, s stored) {
			if len(s.Officials) != 2 {
				t.Errorf("%v", s.Officials)
			}
		}},
		{name: "monthly rule", in: base(func(in *eventInput) { in.RRule = "RRULE:FREQ=MONTHLY;BYDAY=2TU;COUNT=3" }), check: func(t *testing.T, s stored) {
			// 8 Dec 2026, 12 Jan, 9 Feb 2027 (second Tuesdays)
			if want := time.Date(2027, 2, 9, 4, 0, 0, 0, time.UTC); !s.SeriesEnd.Equal(want) || s.RRule != "FREQ=MONTHLY;COUNT=3;BYDAY=+2TU" {
				t.Errorf("%s %s", s.SeriesEnd, s.RRule)
			}
		}},
		{name: "endless rule", in: base(func(in *eventInput) { in.RRule = "FREQ=WEEKLY" }), check: func(t *testing.T, s stored) {
			if !s.SeriesEnd.Equal(forever) {
				t.Errorf("%s", s.SeriesEnd)
			}
		}},
		{name: "no title", in: base(func(in *eventInput) { in.Title = "  " }), code: codeInvalidTitle, field: "title"},
		{name: "title over two lines", in: base(func(in *eventInput) { in.Title = "a\nb" }), code: codeInvalidTitle, field: "title"},
		{name: "unknown category", in: base(func(in *eventInput) { in.Category = "pesta" }), code: codeInvalidCategory, field: "category"},
		{name: "visibility", in: base(func(in *eventInput) { in.Visibility = "secret" }), code: codeInvalidVisibility, field: "visibility"},
		{name: "start not a time", in: base(func(in *eventInput) { in.Start = "besok" }), code: codeInvalidStart, field: "start"},
		{name: "all-day start a time", in: base(func(in *eventInput) { in.AllDay = true }), code: codeInvalidStart, field: "start"},
		{name: "end not a time", in: base(func(in *eventInput) { in.End = "2026-12-08" }), code: codeInvalidEnd, field: "end"},
		{name: "end before start", in: base(func(in *eventInput) { in.End = "2026-12-08T08:00" }), code: codeEndBeforeStart, field: "end"},
		{name: "end equals start", in: base(func(in *eventInput) { in.End = in.Start }), code: codeEndBeforeStart, field: "end"},
		{name: "all-day end before start", in: base(func(in *eventInput) { in.AllDay, in.Start, in.End = true, "2026-12-05", "2026-12-04" }), code: codeEndBeforeStart, field: "end"},
		{name: "too long", in: base(func(in *eventInput) { in.End = "2027-01-20T09:00" }), code: codeEventTooLong, field: "end"},
		{name: "year 1999", in: base(func(in *eventInput) { in.Start, in.End = "1999-12-08T09:00", "" }), code: codeInvalidStart, field: "start"},
		{name: "empty official", in: base(func(in *eventInput) { in.Officials = []string{""} }), code: codeInvalidOfficials, field: "officials"},
		{name: "bad rule", in: base(func(in *eventInput) { in.RRule = "FREQ=SOMETIMES" }), code: codeInvalidRRule, field: "rrule"},
		{name: "hourly rule", in: base(func(in *eventInput) { in.RRule = "FREQ=HOURLY" }), code: codeInvalidRRule, field: "rrule"},
		{name: "rule with hours", in: base(func(in *eventInput) { in.RRule = "FREQ=DAILY;BYHOUR=1,2,3" }), code: codeInvalidRRule, field: "rrule"},
		{name: "rule with DTSTART", in: base(func(in *eventInput) { in.RRule = "DTSTART:20261208T090000\nRRULE:FREQ=DAILY" }), code: codeInvalidRRule, field: "rrule"},
		{name: "start off the rule", in: base(func(in *eventInput) { in.RRule = "FREQ=WEEKLY;BYDAY=WE" }), code: codeStartNotInRRule, field: "start"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := c.in.check(wib, "Asia/Jakarta")
			if c.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				c.check(t, s)
				return
			}
			var e *sdk.Error
			if !errors.As(err, &e) || e.Code != c.code || e.Field != c.field || e.Status != 422 {
				t.Fatalf("got %v (%+v), want %s on %s", err, e, c.code, c.field)
			}
		})
	}
}

func TestExpandAndOverlap(t *testing.T) {
	s, err := eventInput{Title: "Posyandu", Category: "posyandu", Start: "2026-12-08T09:00", End: "2026-12-08T11:00", RRule: "FREQ=WEEKLY"}.check(wib, "Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 12, 1, 0, 0, 0, 0, wib)
	occ := expand(&s, wib, from, from.AddDate(0, 1, 0), 0)
	if len(occ) != 4 || occ[3].start.In(wib).Day() != 29 {
		t.Fatalf("%v", occ)
	}
	// A window starting inside an occurrence still shows it.
	if got := expand(&s, wib, time.Date(2026, 12, 8, 10, 0, 0, 0, wib), time.Date(2026, 12, 8, 12, 0, 0, 0, wib), 0); len(got) != 1 {
		t.Errorf("inside an occurrence: %v", got)
	}
	other := []occurrence{{start: time.Date(2026, 12, 15, 10, 30, 0, 0, wib), end: time.Date(2026, 12, 15, 12, 0, 0, 0, wib)}}
	if hit, ok := firstOverlap(occ, other); !ok || !hit.start.Equal(other[0].start) {
		t.Errorf("overlap not found")
	}
	after := []occurrence{{start: time.Date(2026, 12, 15, 11, 0, 0, 0, wib), end: time.Date(2026, 12, 15, 12, 0, 0, 0, wib)}}
	if _, ok := firstOverlap(occ, after); ok {
		t.Errorf("back-to-back events do not overlap")
	}
}

func TestHHMM(t *testing.T) {
	for in, want := range map[string]string{"09.00": "09:00", "9:30": "09:30", "1400": "14:00", "23.59": "23:59", "24.00": "", "9": "", "jam 9": ""} {
		got, ok := hhmm(in)
		if ok != (want != "") || got != want {
			t.Errorf("hhmm(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
}

func TestFeedRule(t *testing.T) {
	s := stored{AllDay: true, RRule: "FREQ=WEEKLY;UNTIL=20261231T165959Z"}
	if got := feedRule(&s, wib); got != "FREQ=WEEKLY;UNTIL=20261231" {
		t.Errorf("%s", got)
	}
}
