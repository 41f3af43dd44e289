package main

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/balaidesa/balai/sdk"
)

// feedPast is how far back the feed reaches: a phone keeps the last
// months' events it subscribed to.
const feedPast = 92 * 24 * time.Hour

// feedAhead is how far ahead the feed reaches (by the first
// occurrence): a year, as GET /events' window.
const feedAhead = 366 * 24 * time.Hour

// feedMax bounds the events of one feed: a regency of 250 villages with
// two dozen public events each fits.
const feedMax = 10000

// calendarFeed is GET /calendar.ics (public): the tenant's public events
// (a sub-district's or regency's: also those of every village below)
// as an RFC 5545 iCalendar a phone's calendar subscribes to, recurring
// events with their RRULE, cancelled ones with STATUS:CANCELLED, times in
// the village's zone (TZID with its VTIMEZONE), from three months back
// (by their last occurrence).
func calendarFeed(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	sc := scope{subtree: req.Level != sdk.Village}
	now := req.Now()
	recs, _, err := func() ([]sdk.Record, int64, error) {
		q := req.Records(collection).Query().Where("series_end", sdk.Gt, fmtQuery(now.Add(-feedPast))).
			Where("start_at", sdk.Lt, fmtQuery(now.Add(feedAhead))).
			Where("visibility", sdk.Eq, visPublic).OrderBy("start_at", false).Page(0, feedMax)
		if sc.subtree {
			q = q.Subtree()
		}
		return q.Run(r.Context())
	}()
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	nm, err := names(r, sc.subtree)
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	cal := buildCalendar(req.Tenant, nm, req.TimeZone(), req.Location(), recs)
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="agenda-`+req.Tenant+`.ics"`)
	w.Header().Set("Cache-Control", "public, max-age=900")
	_ = cal.SerializeTo(w)
}

// buildCalendar writes records as an iCalendar.
func buildCalendar(tenant string, names map[string]string, zone string, loc *time.Location, recs []sdk.Record) *ics.Calendar {
	cal := ics.NewCalendarFor("Balai Agenda")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName("Agenda " + names[tenant])
	cal.SetXWRCalName("Agenda " + names[tenant])
	cal.SetXWRTimezone(zone)
	cal.SetRefreshInterval("PT1H")
	cal.SetXPublishedTTL("PT1H")
	// The zone: Indonesia keeps no daylight saving, so one STANDARD.
	tz := cal.AddTimezone(zone)
	std := tz.AddStandard()
	_, off := time.Date(2026, 1, 1, 0, 0, 0, 0, loc).Zone()
	offset := utcOffset(off)
	std.SetProperty(ics.ComponentProperty("DTSTART"), "19700101T000000")
	std.SetProperty(ics.ComponentProperty("TZOFFSETFROM"), offset)
	std.SetProperty(ics.ComponentProperty("TZOFFSETTO"), offset)
	abbr, _ := time.Date(2026, 1, 1, 0, 0, 0, 0, loc).Zone()
	std.SetProperty(ics.ComponentProperty("TZNAME"), zoneName(abbr, off))
	for _, rec := range recs {
		var s stored
		if rec.Decode(&s) != nil {
			continue
		}
		ev := cal.AddEvent(s.UID)
		ev.SetDtStampTime(rec.UpdatedAt)
		ev.SetCreatedTime(rec.CreatedAt)
		ev.SetModifiedAt(rec.UpdatedAt)
		ev.SetSequence(int(rec.Version - 1))
		ev.SetSummary(s.Title)
		desc := s.Description
		if s.Status == statusCancelled && s.CancelReason != "" {
			desc = strings.TrimSpace("DIBATALKAN: " + s.CancelReason + "\n\n" + desc)
		}
		if desc != "" {
			ev.SetDescription(desc)
		}
		place := s.Place
		if rec.Tenant != tenant && names[rec.Tenant] != "" {
			place = strings.TrimPrefix(place+", Desa "+names[rec.Tenant], ", ")
		}
		if place != "" {
			ev.SetLocation(place)
		}
		ev.AddProperty(ics.ComponentPropertyCategories, categoryName(s.Category, "id"))
		if s.Status == statusCancelled {
			ev.SetStatus(ics.ObjectStatusCancelled)
		} else {
			ev.SetStatus(ics.ObjectStatusConfirmed)
		}
		ev.SetClass(ics.ClassificationPublic)
		if s.AllDay {
			ev.SetAllDayStartAt(s.StartAt.In(loc))
			ev.SetAllDayEndAt(s.EndAt.In(loc))
		} else {
			ev.SetProperty(ics.ComponentPropertyDtStart, s.StartAt.In(loc).Format("20060102T150405"), ics.WithTZID(zone))
			ev.SetProperty(ics.ComponentPropertyDtEnd, s.EndAt.In(loc).Format("20060102T150405"), ics.WithTZID(zone))
		}
		if s.RRule != "" {
			ev.AddRrule(feedRule(&s, loc))
			// The occurrences called off, at their local start.
			dates := slices.Sorted(maps.Keys(s.CancelledDates))
			for _, d := range dates {
				day, ok := parseDate(d, loc)
				if !ok {
					continue
				}
				if s.AllDay {
					ev.AddProperty(ics.ComponentProperty("EXDATE"), day.Format("20060102"), ics.WithValue(string(ics.ValueDataTypeDate)))
					continue
				}
				st := s.StartAt.In(loc)
				at := time.Date(day.Year(), day.Month(), day.Day(), st.Hour(), st.Minute(), st.Second(), 0, loc)
				ev.AddProperty(ics.ComponentProperty("EXDATE"), at.Format("20060102T150405"), ics.WithTZID(zone))
			}
		}
	}
	return cal
}

// feedRule is the rule as the feed states it: an all-day event's UNTIL
// is a date, as RFC 5545 3.3.10 asks when DTSTART is one.
func feedRule(s *stored, loc *time.Location) string {
	if !s.AllDay {
		return s.RRule
	}
	parts := strings.Split(s.RRule, ";")
	for i, p := range parts {
		if v, ok := strings.CutPrefix(p, "UNTIL="); ok {
			if t, err := time.Parse("20060102T150405Z", v); err == nil {
				parts[i] = "UNTIL=" + t.In(loc).Format("20060102")
			}
		}
	}
	return strings.Join(parts, ";")
}

// utcOffset writes seconds east of UTC as +hhmm.
func utcOffset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	h, m := sec/3600, sec%3600/60
	return sign + pad(h) + pad(m)
}

func pad(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// zoneName is WIB, WITA or WIT by the offset (the tz database says +07).
func zoneName(abbr string, off int) string {
	switch off {
	case 7 * 3600:
		return "WIB"
	case 8 * 3600:
		return "WITA"
	case 9 * 3600:
		return "WIT"
	}
	return abbr
}
