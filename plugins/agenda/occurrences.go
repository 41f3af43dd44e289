package main

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
)

// maxWindow bounds GET /events' window: a year and a day (a leap year's
// agenda at once).
const maxWindow = 366 * 24 * time.Hour

// defaultWindow is GET /events' window when to is not given.
const defaultWindow = 31 * 24 * time.Hour

// maxRecords bounds the events one window reads: a regency of 250
// villages with a dozen series each fits many times.
const maxRecords = 10000

// fmtQuery writes an instant as the store's Time filters take it.
func fmtQuery(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// window reads ?from=&to=: each a date YYYY-MM-DD in the village's zone
// (to inclusive) or an RFC 3339 instant (to exclusive). from defaults to
// today, to to 31 days after from. 422 invalid_from, invalid_to,
// window_backwards, window_too_long (over 366 days).
func window(r *http.Request) (from, to time.Time, err error) {
	req := sdk.From(r)
	loc := req.Location()
	q := r.URL.Query()
	from, _ = parseDate(req.Today(), loc)
	if s := q.Get("from"); s != "" {
		var ok bool
		if from, ok = parseDate(s, loc); !ok {
			if from, err = time.Parse(time.RFC3339, s); err != nil {
				return from, to, invalid(codeInvalidFrom, "from", "from must be a date YYYY-MM-DD or an RFC 3339 time")
			}
		}
	}
	to = from.Add(defaultWindow)
	if s := q.Get("to"); s != "" {
		d, ok := parseDate(s, loc)
		if ok {
			to = d.AddDate(0, 0, 1)
		} else if to, err = time.Parse(time.RFC3339, s); err != nil {
			return from, to, invalid(codeInvalidTo, "to", "to must be a date YYYY-MM-DD (inclusive) or an RFC 3339 time")
		}
	}
	if !to.After(from) {
		return from, to, invalid(codeWindowBackwards, "to", "to must be after from")
	}
	if to.Sub(from) > maxWindow {
		return from, to, invalid(codeWindowTooLong, "to", "the window from `from` to `to` is at most 366 days")
	}
	return from, to, nil
}

// scope says whose events a request reads: the tenant's own (all, for
// staff holding agenda.events.read; public ones for anyone else) and, at a
// sub-district or regency, the public events of every tenant below where
// the module is enabled.
type scope struct {
	subtree bool
	staff   bool
}

func scopeOf(r *http.Request) scope {
	req := sdk.From(r)
	return scope{subtree: req.Level != sdk.Village, staff: req.Can(permRead)}
}

// fetch reads the events of the scope that may occur in [from, to), at
// most maxRecords, with extra conditions (category, status).
func fetch(r *http.Request, sc scope, from, to time.Time, where func(*sdk.Query) *sdk.Query) ([]sdk.Record, error) {
	req := sdk.From(r)
	base := func() *sdk.Query {
		q := req.Records(collection).Query().
			Where("start_at", sdk.Lt, fmtQuery(to)).Where("series_end", sdk.Gt, fmtQuery(from)).
			OrderBy("start_at", false).Page(0, maxRecords)
		if where != nil {
			q = where(q)
		}
		return q
	}
	var out []sdk.Record
	q := base()
	if sc.subtree {
		q = q.Subtree()
	}
	if !sc.staff || sc.subtree {
		q = q.Where("visibility", sdk.Eq, visPublic)
	}
	recs, _, err := q.Run(r.Context())
	if err != nil {
		return nil, err
	}
	out = append(out, recs...)
	if sc.staff && sc.subtree {
		// the district's or regency's own internal events
		own, _, err := base().Where("visibility", sdk.Eq, visInternal).Run(r.Context())
		if err != nil {
			return nil, err
		}
		out = append(out, own...)
	}
	return out, nil
}

// occurrence is one instance of an event.
type occurrence struct {
	start, end time.Time
	// cancelled: this one occurrence of a series is called off, for
	// reason.
	cancelled bool
	reason    string
}

// expand gives the occurrences of s that overlap [from, to), in order, at
// most limit (0: no limit).
func expand(s *stored, loc *time.Location, from, to time.Time, limit int) []occurrence {
	d := s.duration()
	r, err := s.rule(loc)
	if err != nil || r == nil {
		if s.StartAt.Before(to) && s.EndAt.After(from) {
			return []occurrence{{start: s.StartAt, end: s.EndAt}}
		}
		return nil
	}
	var out []occurrence
	for _, t := range r.Between(from.Add(-d), to, true) {
		if !t.Before(to) || !t.Add(d).After(from) {
			continue
		}
		o := occurrence{start: t.UTC(), end: t.Add(d).UTC()}
		if reason, ok := s.CancelledDates[t.In(loc).Format(time.DateOnly)]; ok {
			o.cancelled, o.reason = true, reason
		}
		out = append(out, o)
		if limit > 0 && len(out) >= limit {
			break
		}
	}
	return out
}

// occurrencesIn expands records into views of their occurrences in
// [from, to), ordered by start, then title.
func occurrencesIn(r *http.Request, recs []sdk.Record, from, to time.Time, names map[string]string) ([]eventView, error) {
	loc := sdk.From(r).Location()
	var out []eventView
	for _, rec := range recs {
		v, err := view(rec, loc)
		if err != nil {
			return nil, err
		}
		v.TenantName = names[rec.Tenant]
		for _, o := range expand(&v.data, loc, from, to, 0) {
			occ := v
			occ.Start, occ.End = formatSpan(&v.data, o.start, o.end, loc)
			occ.startAt = o.start
			if v.RRule != "" {
				occ.SeriesStart = v.Start
			}
			if o.cancelled {
				occ.Status, occ.CancelReason = statusCancelled, o.reason
			}
			out = append(out, occ)
		}
	}
	slices.SortStableFunc(out, func(a, b eventView) int {
		return cmp.Or(a.startAt.Compare(b.startAt), strings.Compare(a.Title, b.Title), strings.Compare(a.ID, b.ID))
	})
	return out, nil
}

// names gives the names of the request's tenant and, for a subtree, of
// every tenant below, by code.
func names(r *http.Request, subtree bool) (map[string]string, error) {
	req := sdk.From(r)
	self, _, err := req.TenantInfo(r.Context())
	if err != nil {
		return nil, err
	}
	m := map[string]string{self.Code: self.Name}
	if subtree {
		below, err := req.TenantsBelow(r.Context(), "")
		if err != nil {
			return nil, err
		}
		for _, t := range below {
			m[t.Code] = t.Name
		}
	}
	return m, nil
}

// listQuery is what GET /events and the screens ask.
type listQuery struct {
	from, to time.Time
	category string
	status   string
	// village narrows a sub-district's or regency's list to one
	// village below.
	village string
}

// readList reads the occurrences a list asks for.
func readList(r *http.Request, lq listQuery) ([]eventView, error) {
	sc := scopeOf(r)
	recs, err := fetch(r, sc, lq.from, lq.to, func(q *sdk.Query) *sdk.Query {
		if lq.category != "" {
			q = q.Where("category", sdk.Eq, lq.category)
		}
		if lq.village != "" {
			q = q.Where(sdk.FieldTenant, sdk.Eq, lq.village)
		}
		return q
	})
	if err != nil {
		return nil, err
	}
	nm, err := names(r, sc.subtree)
	if err != nil {
		return nil, err
	}
	all, err := occurrencesIn(r, recs, lq.from, lq.to, nm)
	if err != nil || lq.status == "" {
		return all, err
	}
	// A status is the occurrence's: one cancelled date of a running
	// series is cancelled.
	out := all[:0]
	for _, v := range all {
		if v.Status == lq.status {
			out = append(out, v)
		}
	}
	return out, nil
}

// parseList reads GET /events' query: the window, ?category= and
// ?status=scheduled|cancelled.
func parseList(r *http.Request) (listQuery, error) {
	from, to, err := window(r)
	if err != nil {
		return listQuery{}, err
	}
	q := r.URL.Query()
	lq := listQuery{from: from, to: to, category: q.Get("category"), status: q.Get("status"), village: q.Get("village")}
	if tenant := sdk.From(r).Tenant; lq.village != "" && (sdk.From(r).Level == sdk.Village || !strings.HasPrefix(lq.village, tenant+".") || len(strings.Split(lq.village, ".")) != 4) {
		return lq, invalid(codeInvalidVillage, "village", "village must be the code of a village below %s", tenant)
	}
	if lq.category != "" && !validCategory(lq.category) {
		return lq, invalid(codeInvalidCategory, "category", "unknown category %q", lq.category)
	}
	if lq.status != "" && lq.status != statusScheduled && lq.status != statusCancelled {
		return lq, invalid(codeInvalidStatus, "status", "status must be scheduled or cancelled")
	}
	return lq, nil
}

// listEvents is GET /events?from=&to=&category=&status=&page=&limit=
// (public): the occurrences in the window, recurring events expanded,
// ordered by start. Anyone sees the public events; the village's staff
// (agenda.events.read) its internal ones too; a sub-district or regency
// gathers the public events of the villages below.
func listEvents(r *http.Request) (int, any, error) {
	offset, limit, err := sdk.Page(r)
	if err != nil {
		return 0, nil, err
	}
	lq, err := parseList(r)
	if err != nil {
		return 0, nil, err
	}
	all, err := readList(r, lq)
	if err != nil {
		return 0, nil, err
	}
	page := sdk.PageOf(all, offset, limit)
	if page == nil {
		page = []eventView{}
	}
	return http.StatusOK, sdk.ListOf[eventView]{Items: page, Total: int64(len(all))}, nil
}

// maxWarnings bounds the double bookings one answer lists.
const maxWarnings = 20

// conflictHorizon is how far ahead a recurring event is checked for
// double bookings.
const conflictHorizon = 366 * 24 * time.Hour

// conflicts finds the officials of s booked at another scheduled event of
// the village whose occurrence overlaps one of s's (the next year of a
// recurring event), skipping the event id itself.
func conflicts(r *http.Request, s *stored, id string) ([]warning, error) {
	if len(s.Officials) == 0 || s.Status == statusCancelled {
		return nil, nil
	}
	req := sdk.From(r)
	loc := req.Location()
	from := s.StartAt
	if now := req.Now(); s.RRule != "" && now.After(from) {
		from = now // a running series: its coming occurrences
	}
	to := from.Add(conflictHorizon)
	if s.SeriesEnd.Before(to) {
		to = s.SeriesEnd
	}
	if !to.After(from) {
		return nil, nil
	}
	recs, _, err := req.Records(collection).Query().
		Where("start_at", sdk.Lt, fmtQuery(to)).Where("series_end", sdk.Gt, fmtQuery(from)).
		Where("status", sdk.Eq, statusScheduled).OrderBy("start_at", false).Page(0, maxRecords).Run(r.Context())
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 || (len(recs) == 1 && recs[0].ID == id) {
		return nil, nil
	}
	// Officials are named and compared as the profile module records them.
	ro := readRoster(r)
	mine := map[string]string{}
	for _, o := range s.Officials {
		key, name := ro.official(o)
		mine[key] = name
	}
	var own []occurrence
	var out []warning
	for _, rec := range recs {
		if rec.ID == id {
			continue
		}
		var other stored
		if err := rec.Decode(&other); err != nil {
			return nil, err
		}
		var shared []string
		for _, o := range other.Officials {
			key, _ := ro.official(o)
			if name, ok := mine[key]; ok && !slices.Contains(shared, name) {
				shared = append(shared, name)
			}
		}
		if len(shared) == 0 {
			continue
		}
		if own == nil {
			own = active(expand(s, loc, from, to, 0))
		}
		theirs := active(expand(&other, loc, from, to, 0))
		if hit, ok := firstOverlap(own, theirs); ok {
			st, en := formatSpan(&other, hit.start, hit.end, loc)
			for _, name := range shared {
				out = append(out, warning{Code: codeOfficialDoubleBooked, Official: name, EventID: rec.ID,
					Title: other.Title, Start: st, End: en,
					Message: name + " is also booked at \"" + other.Title + "\" from " + st})
				if len(out) >= maxWarnings {
					return out, nil
				}
			}
		}
	}
	return out, nil
}

// active leaves out the cancelled occurrences.
func active(occ []occurrence) []occurrence {
	out := occ[:0]
	for _, o := range occ {
		if !o.cancelled {
			out = append(out, o)
		}
	}
	return out
}

// firstOverlap finds the first occurrence of b that overlaps one of a;
// both are ordered by start.
func firstOverlap(a, b []occurrence) (occurrence, bool) {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if a[i].start.Before(b[j].end) && b[j].start.Before(a[i].end) {
			return b[j], true
		}
		if a[i].end.After(b[j].end) {
			j++
		} else {
			i++
		}
	}
	return occurrence{}, false
}
