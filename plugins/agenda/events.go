package main

import (
	"crypto/rand"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// eventView is an event as the API answers it. start and end are RFC 3339
// in the village's zone for a timed event, dates (end inclusive) for an
// all-day one; in GET /events they are those of the occurrence, and
// series_start the first occurrence's start.
type eventView struct {
	ID           string   `json:"id"`
	Tenant       string   `json:"tenant"`
	TenantName   string   `json:"tenant_name,omitempty"`
	Title        string   `json:"title"`
	Description  string   `json:"description,omitempty"`
	Category     string   `json:"category"`
	Place        string   `json:"place,omitempty"`
	Visibility   string   `json:"visibility"`
	AllDay       bool     `json:"all_day"`
	Start        string   `json:"start"`
	End          string   `json:"end"`
	SeriesStart  string   `json:"series_start,omitempty"`
	TimeZone     string   `json:"time_zone"`
	Officials    []string `json:"officials"`
	RRule        string   `json:"rrule,omitempty"`
	Status       string   `json:"status"`
	CancelReason string   `json:"cancel_reason,omitempty"`
	// CancelledDates are the series' occurrences called off (date in the
	// village's zone: reason).
	CancelledDates map[string]string `json:"cancelled_dates,omitempty"`
	Version        int64             `json:"version"`
	CreatedAt      string            `json:"created_at"`
	UpdatedAt      string            `json:"updated_at"`
	// Warnings is set on writes and, for staff, on GET /events/{id}: the
	// officials booked at an overlapping event of the same village.
	Warnings []warning `json:"warnings,omitempty"`

	startAt time.Time // the occurrence's start, for sorting
	rec     *sdk.Record
	data    stored
}

// written is the answer of a write: the event and its warnings, always
// present ([] when none).
type written struct {
	eventView
	Warnings []warning `json:"warnings"`
}

// warning says that an official is booked at another event at an
// overlapping time: code official_double_booked, the official's name, the
// other event and its occurrence's start and end. A warning, not a
// refusal: the village decides.
type warning struct {
	Code     sdk.Code `json:"code"`
	Official string   `json:"official"`
	EventID  string   `json:"event_id"`
	Title    string   `json:"title"`
	Start    string   `json:"start"`
	End      string   `json:"end"`
	Message  string   `json:"message"`
}

// formatSpan writes an occurrence's start and end as the API shows them.
func formatSpan(s *stored, start, end time.Time, loc *time.Location) (string, string) {
	if s.AllDay {
		return start.In(loc).Format(time.DateOnly), end.Add(-time.Nanosecond).In(loc).Format(time.DateOnly)
	}
	return start.In(loc).Format(time.RFC3339), end.In(loc).Format(time.RFC3339)
}

// view builds the API's view of a record at its first occurrence.
func view(rec sdk.Record, loc *time.Location) (eventView, error) {
	var s stored
	if err := rec.Decode(&s); err != nil {
		return eventView{}, err
	}
	v := eventView{ID: rec.ID, Tenant: rec.Tenant, Title: s.Title, Description: s.Description,
		Category: s.Category, Place: s.Place, Visibility: s.Visibility, AllDay: s.AllDay,
		TimeZone: s.TimeZone, Officials: s.Officials, RRule: s.RRule, Status: s.Status,
		CancelReason: s.CancelReason, CancelledDates: s.CancelledDates, Version: rec.Version,
		CreatedAt: rec.CreatedAt.In(loc).Format(time.RFC3339), UpdatedAt: rec.UpdatedAt.In(loc).Format(time.RFC3339),
		startAt: s.StartAt, data: s}
	if v.Officials == nil {
		v.Officials = []string{}
	}
	v.Start, v.End = formatSpan(&s, s.StartAt, s.EndAt, loc)
	v.rec = &rec
	return v, nil
}

// payload is what the module's events carry: the event's identity and
// schedule, never its description.
func payload(id, tenant string, s stored) map[string]any {
	p := map[string]any{"uid": s.UID, "tenant": tenant, "title": s.Title, "category": s.Category,
		"visibility": s.Visibility, "all_day": s.AllDay, "start_at": s.StartAt, "end_at": s.EndAt,
		"rrule": s.RRule, "status": s.Status, "officials": s.Officials}
	if id != "" {
		p["id"] = id
	}
	return p
}

// newUID is a fresh event key: 130 random bits (crypto/rand.Text), @
// the module.
func newUID() string {
	return strings.ToLower(rand.Text()) + "@agenda.balai"
}

// createEvent is POST /events: 201 with the event and its warnings
// (an official booked twice), or 422 with the field's code.
func createEvent(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	var in eventInput
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	s, err := in.check(req.Location(), req.TimeZone())
	if err != nil {
		return 0, nil, err
	}
	s.Status, s.CreatedBy, s.UpdatedBy, s.UID = statusScheduled, req.User, req.User, newUID()
	b := req.Batch()
	w := b.Insert(collection, s)
	b.Publish(eventCreated, payload("", req.Tenant, s))
	if err := b.Commit(r.Context()); err != nil {
		return 0, nil, err
	}
	v, err := view(w.Record, req.Location())
	if err != nil {
		return 0, nil, err
	}
	ans := written{eventView: v}
	if ans.Warnings, err = conflicts(r, &s, v.ID); err != nil {
		return 0, nil, err
	}
	if ans.Warnings == nil {
		ans.Warnings = []warning{}
	}
	return http.StatusCreated, ans, nil
}

// load reads one event of the request's tenant; a caller without
// agenda.events.read sees only public events (an internal one is 404, as
// if it did not exist).
func load(r *http.Request) (sdk.Record, stored, error) {
	req := sdk.From(r)
	notFound := sdk.Errorf(http.StatusNotFound, sdk.CodeNotFound, "no such event")
	got, err := req.Records(collection).Get(r.Context(), r.PathValue("id"))
	if errors.Is(err, sdk.ErrNotFound) || errors.Is(err, sdk.ErrInvalid) {
		return sdk.Record{}, stored{}, notFound
	}
	if err != nil {
		return sdk.Record{}, stored{}, err
	}
	rec := *got
	var s stored
	if err := rec.Decode(&s); err != nil {
		return rec, s, err
	}
	if s.Visibility != visPublic && !req.Can(permRead) {
		return rec, s, notFound
	}
	return rec, s, nil
}

// getEvent is GET /events/{id} (public for a public event): the event at
// its first occurrence, with the officials' double bookings for staff.
func getEvent(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	rec, s, err := load(r)
	if err != nil {
		return 0, nil, err
	}
	v, err := view(rec, req.Location())
	if err != nil {
		return 0, nil, err
	}
	if req.Can(permRead) && s.Status == statusScheduled {
		if v.Warnings, err = conflicts(r, &s, rec.ID); err != nil {
			return 0, nil, err
		}
	}
	if v.TenantName, err = tenantName(r); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, v, nil
}

// updateEvent is PUT /events/{id}: the whole event and the version read;
// 409 version_conflict or event_cancelled.
func updateEvent(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	var in eventUpdate
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if in.Version < 1 {
		return 0, nil, invalid(codeInvalidVersion, "version", "version must be the version read (1 or more)")
	}
	rec, old, err := load(r)
	if err != nil {
		return 0, nil, err
	}
	if old.Status == statusCancelled {
		return 0, nil, sdk.Errorf(http.StatusConflict, codeEventCancelled, "a cancelled event cannot be edited")
	}
	if rec.Version != in.Version {
		return 0, nil, sdk.Errorf(http.StatusConflict, codeVersionConflict, "the event was changed since version %d (now %d): read it again", in.Version, rec.Version)
	}
	s, err := in.check(req.Location(), req.TimeZone())
	if err != nil {
		return 0, nil, err
	}
	s.Status, s.CreatedBy, s.UpdatedBy, s.UID = statusScheduled, old.CreatedBy, req.User, old.UID
	patch := map[string]any{"title": s.Title, "description": s.Description, "category": s.Category,
		"place": s.Place, "visibility": s.Visibility, "all_day": s.AllDay, "start_at": s.StartAt,
		"end_at": s.EndAt, "start_date": s.StartDate, "end_date": s.EndDate, "time_zone": s.TimeZone,
		"officials": s.Officials, "rrule": s.RRule, "series_end": s.SeriesEnd, "updated_by": req.User}
	b := req.Batch()
	w := b.Update(collection, rec.ID, rec.Version, patch)
	b.Publish(eventUpdated, payload(rec.ID, req.Tenant, s))
	if err := b.Commit(r.Context()); err != nil {
		if errors.Is(err, sdk.ErrConflict) {
			return 0, nil, sdk.Errorf(http.StatusConflict, codeVersionConflict, "the event was changed meanwhile: read it again")
		}
		return 0, nil, err
	}
	v, err := view(w.Record, req.Location())
	if err != nil {
		return 0, nil, err
	}
	ans := written{eventView: v}
	if ans.Warnings, err = conflicts(r, &s, rec.ID); err != nil {
		return 0, nil, err
	}
	if ans.Warnings == nil {
		ans.Warnings = []warning{}
	}
	return http.StatusOK, ans, nil
}

// cancelInput is the body of POST /events/{id}/cancel.
type cancelInput struct {
	Reason string `json:"reason"`
	// Date, when set, cancels only the occurrence of a recurring event
	// starting that day (YYYY-MM-DD in the village's zone).
	Date string `json:"date,omitempty"`
}

// cancelEvent is POST /events/{id}/cancel {"reason"}: the event stays,
// shown as cancelled with the reason (in the feed STATUS:CANCELLED, so
// subscribed phones drop it); 409 already_cancelled.
func cancelEvent(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	var in cancelInput
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if in.Reason == "" || len([]rune(in.Reason)) > maxReason || invalidText(in.Reason, maxReason) {
		return 0, nil, invalid(codeInvalidReason, "reason", "reason must be 1 to %d characters", maxReason)
	}
	rec, s, err := load(r)
	if err != nil {
		return 0, nil, err
	}
	if s.Status == statusCancelled {
		return 0, nil, sdk.Errorf(http.StatusConflict, codeAlreadyCancelled, "the event is already cancelled")
	}
	if in.Date != "" {
		return cancelOccurrence(r, rec, s, in)
	}
	now := req.Now().UTC()
	s.Status = statusCancelled
	b := req.Batch()
	w := b.Update(collection, rec.ID, rec.Version, map[string]any{"status": statusCancelled,
		"cancel_reason": in.Reason, "cancelled_by": req.User, "cancelled_at": now, "updated_by": req.User})
	p := payload(rec.ID, req.Tenant, s)
	p["reason"] = in.Reason
	b.Publish(eventCancelled, p)
	if err := b.Commit(r.Context()); err != nil {
		if errors.Is(err, sdk.ErrConflict) {
			return 0, nil, sdk.Errorf(http.StatusConflict, codeVersionConflict, "the event was changed meanwhile: try again")
		}
		return 0, nil, err
	}
	v, err := view(w.Record, req.Location())
	return http.StatusOK, v, err
}

// cancelOccurrence calls off one occurrence of a series: the series
// stays, that date is shown cancelled with the reason (the feed drops it
// with EXDATE) and no longer counts for double bookings.
func cancelOccurrence(r *http.Request, rec sdk.Record, s stored, in cancelInput) (int, any, error) {
	req := sdk.From(r)
	loc := req.Location()
	day, ok := parseDate(in.Date, loc)
	if !ok {
		return 0, nil, invalid(codeInvalidDate, "date", "date must be YYYY-MM-DD")
	}
	if s.RRule == "" {
		return 0, nil, invalid(codeNotRecurring, "date", "the event does not repeat: cancel it without a date")
	}
	occ := expand(&s, loc, day, day.AddDate(0, 0, 1), 0)
	found := false
	for _, o := range occ {
		if o.start.In(loc).Format(time.DateOnly) == in.Date {
			found = true
			if o.cancelled {
				return 0, nil, sdk.Errorf(http.StatusConflict, codeOccurrenceCancelled, "the occurrence of %s is already cancelled", in.Date)
			}
		}
	}
	if !found {
		return 0, nil, invalid(codeNotAnOccurrence, "date", "no occurrence of the event starts on %s", in.Date)
	}
	dates := map[string]string{}
	for k, v := range s.CancelledDates {
		dates[k] = v
	}
	dates[in.Date] = in.Reason
	b := req.Batch()
	w := b.Update(collection, rec.ID, rec.Version, map[string]any{"cancelled_dates": dates, "updated_by": req.User})
	p := payload(rec.ID, req.Tenant, s)
	p["reason"], p["date"] = in.Reason, in.Date
	b.Publish(eventCancelled, p)
	if err := b.Commit(r.Context()); err != nil {
		if errors.Is(err, sdk.ErrConflict) {
			return 0, nil, sdk.Errorf(http.StatusConflict, codeVersionConflict, "the event was changed meanwhile: try again")
		}
		return 0, nil, err
	}
	v, err := view(w.Record, loc)
	return http.StatusOK, v, err
}

// invalidText says whether s is not acceptable free text of at most max
// characters.
func invalidText(s string, max int) bool { return input.Text(s, max) != nil }

// tenantName is the request's tenant's name.
func tenantName(r *http.Request) (string, error) {
	self, _, err := sdk.From(r).TenantInfo(r.Context())
	return self.Name, err
}
