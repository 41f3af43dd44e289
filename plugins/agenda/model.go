package main

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
	"github.com/teambition/rrule-go"
)

// Categories are the kinds of village activity the field schedules
// (Permendesa 16/2019 for the musyawarah desa; posyandu, gotong royong and
// the rest from the village calendars of Ogan Ilir's Jadwalin Bae). The
// order is the screens'.
var categories = []struct{ Code, ID, EN string }{
	{"musyawarah_desa", "Musyawarah desa", "Village deliberation"},
	{"rapat", "Rapat", "Meeting"},
	{"posyandu", "Posyandu", "Posyandu"},
	{"gotong_royong", "Gotong royong", "Community work"},
	{"pelatihan", "Pelatihan dan sosialisasi", "Training and outreach"},
	{"keagamaan", "Keagamaan", "Religious"},
	{"olahraga_budaya", "Olahraga dan budaya", "Sport and culture"},
	{"pelayanan", "Pelayanan keliling", "Mobile service"},
	{"lainnya", "Lainnya", "Other"},
}

func validCategory(c string) bool {
	return slices.ContainsFunc(categories, func(x struct{ Code, ID, EN string }) bool { return x.Code == c })
}

// Visibilities: a public event is shown to anyone (pages, API, feed, the
// district and regency agendas); an internal one only to the village's
// staff holding agenda.events.read.
const (
	visPublic   = "public"
	visInternal = "internal"
)

// Statuses: an event is scheduled until it is cancelled (kept and shown
// as cancelled, so that citizens who saw it learn it will not happen).
const (
	statusScheduled = "scheduled"
	statusCancelled = "cancelled"
)

// Bounds of the input.
const (
	maxTitle       = 150
	maxDescription = 4000
	maxPlace       = 200
	maxOfficials   = 30
	maxOfficial    = 100
	maxReason      = 500
	maxRRule       = 300
	// maxDuration bounds one occurrence (a week-long festival fits).
	maxDuration = 31 * 24 * time.Hour
)

// forever is the series_end of an endless rule.
var forever = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// eventInput is the body of POST /events and, with its version, of
// PUT /events/{id}.
//
// start and end are, for a timed event, RFC 3339 instants
// ("2026-12-05T09:00:00+07:00") or the village's wall-clock time without an
// offset ("2026-12-05T09:00"); end defaults to one hour after start. For an
// all-day event (all_day true) they are dates "YYYY-MM-DD" in the village's
// zone, end inclusive and defaulting to start. rrule is an RFC 5545 RRULE
// value ("FREQ=MONTHLY;BYDAY=2TU;COUNT=12"; the "RRULE:" prefix is
// accepted) whose first occurrence is start; FREQ is DAILY or longer.
type eventInput struct {
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Category    string   `json:"category"`
	Place       string   `json:"place,omitempty"`
	Visibility  string   `json:"visibility,omitempty"`
	AllDay      bool     `json:"all_day,omitempty"`
	Start       string   `json:"start"`
	End         string   `json:"end,omitempty"`
	Officials   []string `json:"officials,omitempty"`
	RRule       string   `json:"rrule,omitempty"`
}

// eventUpdate is the body of PUT /events/{id}: the whole event again and
// the version it was read at (409 version_conflict when another write came
// between).
type eventUpdate struct {
	eventInput
	Version int64 `json:"version" range:"invalid_version"`
}

// stored is an event as kept in the collection.
type stored struct {
	UID          string     `json:"uid"`
	Title        string     `json:"title"`
	Description  string     `json:"description,omitempty"`
	Category     string     `json:"category"`
	Place        string     `json:"place,omitempty"`
	Visibility   string     `json:"visibility"`
	AllDay       bool       `json:"all_day"`
	StartAt      time.Time  `json:"start_at"`
	EndAt        time.Time  `json:"end_at"`
	StartDate    string     `json:"start_date"`
	EndDate      string     `json:"end_date"`
	TimeZone     string     `json:"time_zone"`
	Officials    []string   `json:"officials,omitempty"`
	RRule        string     `json:"rrule,omitempty"`
	SeriesEnd    time.Time  `json:"series_end"`
	Status       string     `json:"status"`
	CreatedBy    string     `json:"created_by,omitempty"`
	UpdatedBy    string     `json:"updated_by,omitempty"`
	CancelledBy  string     `json:"cancelled_by,omitempty"`
	CancelledAt  *time.Time `json:"cancelled_at,omitempty"`
	CancelReason string     `json:"cancel_reason,omitempty"`
	// CancelledDates are the series' occurrences called off: the
	// occurrence's start date in the village's zone, and the reason.
	CancelledDates map[string]string `json:"cancelled_dates,omitempty"`
}

// duration is how long one occurrence lasts.
func (s *stored) duration() time.Duration { return s.EndAt.Sub(s.StartAt) }

// rule is the event's recurrence with its first occurrence at StartAt in
// loc, or nil for a one-off event.
func (s *stored) rule(loc *time.Location) (*rrule.RRule, error) {
	if s.RRule == "" {
		return nil, nil
	}
	opt, err := rrule.StrToROptionInLocation(s.RRule, loc)
	if err != nil {
		return nil, err
	}
	opt.Dtstart = s.StartAt.In(loc)
	return rrule.NewRRule(*opt)
}

// decode reads a JSON body with sdk.Bind's strict rules; a value of the
// wrong type is 422 with the field's own code.
func decode(r *http.Request, v any) error {
	err := sdk.Bind(r, v)
	var e *sdk.Error
	if errors.As(err, &e) && e.Field != "" && (e.Code == sdk.CodeInvalidField || e.Code == sdk.CodeInvalidText) {
		name, _, _ := strings.Cut(e.Field, "[")
		name, _, _ = strings.Cut(name, ".")
		code, ok := fieldCodes[name]
		if !ok {
			code = sdk.CodeInvalid
		}
		return &sdk.Error{Status: http.StatusUnprocessableEntity, Code: code, Message: e.Message, Field: e.Field}
	}
	return err
}

// localLayouts are the wall-clock forms start and end take without an
// offset, read in the village's zone.
var localLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"}

// parseInstant reads a timed event's start or end.
func parseInstant(s string, loc *time.Location) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	for _, l := range localLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseDate reads a date "YYYY-MM-DD" as its midnight in loc.
func parseDate(s string, loc *time.Location) (time.Time, bool) {
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	return t, err == nil
}

// normalize folds an official's name for comparison: "Kepala Desa  Ahmad"
// and "kepala desa ahmad" are one person.
func normalize(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// check applies the rules to the input and gives the event to store (its
// status, authors and timestamps are the caller's to set). Every refusal
// is 422 with the field at fault.
func (in eventInput) check(loc *time.Location, zone string) (stored, error) {
	var s stored
	in.Title = strings.TrimSpace(in.Title)
	if in.Title == "" || utf8.RuneCountInString(in.Title) > maxTitle || input.Name(in.Title, maxTitle) != nil {
		return s, invalid(codeInvalidTitle, "title", "title must be 1 to %d characters on one line", maxTitle)
	}
	in.Description = strings.TrimSpace(in.Description)
	if input.Text(in.Description, maxDescription) != nil || utf8.RuneCountInString(in.Description) > maxDescription {
		return s, invalid(codeInvalidDescription, "description", "description must be at most %d characters of text", maxDescription)
	}
	if !validCategory(in.Category) {
		codes := make([]string, len(categories))
		for i, c := range categories {
			codes[i] = c.Code
		}
		return s, invalid(codeInvalidCategory, "category", "category must be one of %s", strings.Join(codes, ", "))
	}
	in.Place = strings.TrimSpace(in.Place)
	if input.Name(in.Place, maxPlace) != nil || utf8.RuneCountInString(in.Place) > maxPlace {
		return s, invalid(codeInvalidPlace, "place", "place must be at most %d characters on one line", maxPlace)
	}
	switch in.Visibility {
	case "":
		in.Visibility = visInternal
	case visPublic, visInternal:
	default:
		return s, invalid(codeInvalidVisibility, "visibility", "visibility must be public or internal")
	}
	s = stored{Title: in.Title, Description: in.Description, Category: in.Category, Place: in.Place,
		Visibility: in.Visibility, AllDay: in.AllDay, TimeZone: zone}
	if in.AllDay {
		start, ok := parseDate(in.Start, loc)
		if !ok {
			return s, invalid(codeInvalidStart, "start", "start of an all-day event must be a date YYYY-MM-DD")
		}
		end := start
		if in.End != "" {
			if end, ok = parseDate(in.End, loc); !ok {
				return s, invalid(codeInvalidEnd, "end", "end of an all-day event must be a date YYYY-MM-DD (the last day)")
			}
		}
		if end.Before(start) {
			return s, invalid(codeEndBeforeStart, "end", "end %s is before start %s", in.End, in.Start)
		}
		s.StartAt, s.EndAt = start, end.AddDate(0, 0, 1)
	} else {
		start, ok := parseInstant(in.Start, loc)
		if !ok {
			return s, invalid(codeInvalidStart, "start", "start must be a time: RFC 3339 (2026-12-05T09:00:00+07:00) or the village's time 2026-12-05T09:00")
		}
		end := start.Add(time.Hour)
		if in.End != "" {
			if end, ok = parseInstant(in.End, loc); !ok {
				return s, invalid(codeInvalidEnd, "end", "end must be a time: RFC 3339 or the village's time 2026-12-05T11:00")
			}
		}
		if !end.After(start) {
			return s, invalid(codeEndBeforeStart, "end", "end must be after start")
		}
		s.StartAt, s.EndAt = start, end
	}
	if y := s.StartAt.In(loc).Year(); y < 2000 || y > 2100 {
		return s, invalid(codeInvalidStart, "start", "start must be in the years 2000 to 2100")
	}
	if s.duration() > maxDuration {
		return s, invalid(codeEventTooLong, "end", "one occurrence lasts at most 31 days")
	}
	s.StartDate = s.StartAt.In(loc).Format(time.DateOnly)
	s.EndDate = s.EndAt.Add(-time.Nanosecond).In(loc).Format(time.DateOnly)
	s.StartAt, s.EndAt = s.StartAt.UTC(), s.EndAt.UTC()

	if len(in.Officials) > maxOfficials {
		return s, invalid(codeInvalidOfficials, "officials", "at most %d officials", maxOfficials)
	}
	seen := map[string]bool{}
	for i, o := range in.Officials {
		o = strings.Join(strings.Fields(o), " ")
		if o == "" || utf8.RuneCountInString(o) > maxOfficial || input.Name(o, maxOfficial) != nil {
			return s, invalid(codeInvalidOfficials, "officials", "officials[%d] must be a name of 1 to %d characters", i, maxOfficial)
		}
		if seen[normalize(o)] {
			continue
		}
		seen[normalize(o)] = true
		s.Officials = append(s.Officials, o)
	}

	s.SeriesEnd = s.EndAt
	if rr := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(in.RRule), "RRULE:")); rr != "" {
		if err := s.setRule(rr, loc); err != nil {
			return s, err
		}
	}
	return s, nil
}

// setRule checks an RRULE value and sets RRule (canonical) and SeriesEnd.
func (s *stored) setRule(rr string, loc *time.Location) error {
	if len(rr) > maxRRule {
		return invalid(codeInvalidRRule, "rrule", "rrule must be at most %d characters", maxRRule)
	}
	upper := strings.ToUpper(rr)
	if strings.Contains(upper, "DTSTART") || strings.Contains(upper, "\n") {
		return invalid(codeInvalidRRule, "rrule", "rrule is one RRULE value (FREQ=WEEKLY;BYDAY=TU); the start is the event's start")
	}
	opt, err := rrule.StrToROptionInLocation(rr, loc)
	if err != nil {
		return invalid(codeInvalidRRule, "rrule", "rrule is not a valid RFC 5545 RRULE: %v", err)
	}
	if opt.Freq > rrule.DAILY {
		return invalid(codeInvalidRRule, "rrule", "rrule repeats at most daily (FREQ=DAILY, WEEKLY, MONTHLY or YEARLY)")
	}
	if len(opt.Byhour)+len(opt.Byminute)+len(opt.Bysecond)+len(opt.Byeaster) > 0 {
		return invalid(codeInvalidRRule, "rrule", "rrule may not use BYHOUR, BYMINUTE, BYSECOND or BYEASTER: the time is the event's start")
	}
	if opt.Count < 0 || opt.Count > 1000 || opt.Interval < 0 || opt.Interval > 1000 {
		return invalid(codeInvalidRRule, "rrule", "COUNT and INTERVAL must be from 1 to 1000")
	}
	opt.Dtstart = s.StartAt.In(loc)
	r, err := rrule.NewRRule(*opt)
	if err != nil {
		return invalid(codeInvalidRRule, "rrule", "rrule is not a valid RFC 5545 RRULE: %v", err)
	}
	next := r.Iterator()
	first, ok := next()
	if !ok || !first.Equal(s.StartAt) {
		return invalid(codeStartNotInRRule, "start", "start must be the rule's first occurrence (a start on a day the rule names)")
	}
	s.RRule = opt.RRuleString()
	s.SeriesEnd = forever
	if opt.Count > 0 || !opt.Until.IsZero() {
		last := first
		for i := 0; ; i++ {
			t, ok := next()
			if !ok {
				s.SeriesEnd = last.Add(s.duration()).UTC()
				break
			}
			if i > 5000 {
				break // long enough to be endless for every query
			}
			last = t
		}
	}
	return nil
}
