package main

import (
	"fmt"
	"net/http"
	"time"

	"github.com/balaidesa/balai/sdk"
)

// The monthly population report (Laporan Bulanan Penduduk, the report a
// village sends its district each month; OpenSID's Laporan_bulanan_model)
// counts, by sex, the population at the start of a month, the births,
// deaths, arrivals and departures in it, and the population at its end.
//
// Its life events are kept in the vital_events collection, one record per
// person per event, written in the same batch as the event itself
// (recordVital, called from events.go), in the village where it happened.
// The history collection cannot serve: its entries are keyed by NIK and
// move with the resident to the next village, and hold no sex.
//
// A month is counted by the day each event was recorded in the register in
// the village's time zone (OpenSID's tgl_lapor), not by the day it
// happened: a birth recorded in December for a child born in November is
// December's, so a report sent to the district never changes afterwards and
// each month starts where the previous one ended.
//
// The start of a month is counted backwards from today's register:
//
//	end(M)   = living residents today − (births + arrivals − deaths − departures recorded after M)
//	start(M) = end(M) − (births + arrivals − deaths − departures recorded in M)
//
// so start + births − deaths + arrivals − departures = end holds by
// construction, for a village and for every roll-up (a district's row is
// the sum of its villages', a move between two of its villages being one
// departure and one arrival). Each figure is one Aggregate over the tenant's
// subtree, whatever the size of the regency. What the register gained or
// lost without a life event — residents entered by a clerk or imported
// (not arrivals), a status set by an import — counts as having always been
// so: the report is the register as it stands, rolled back through the
// recorded events.

// Kinds of vital_events, the report's lines.
const (
	vitalBirth     = "birth"
	vitalDeath     = "death"
	vitalArrival   = "arrival"   // move_in from outside the deployment, or a move from another village
	vitalDeparture = "departure" // move_out, or a move to another village
)

// vitalEvent is one person's life event in the village where it happened,
// as the monthly report counts it. It holds no personal data: a count of
// them is what leaves the plugin.
type vitalEvent struct {
	// Kind is birth, death, arrival or departure.
	Kind string `json:"kind"`
	// Date is the event's own date (YYYY-MM-DD, village time).
	Date string `json:"date"`
	// Reported is the village's date the event was recorded on: the
	// report's month.
	Reported string `json:"reported"`
	// Sex is L or P.
	Sex string `json:"sex"`
	// Head: the person was the head of a family (Kepala Keluarga), as
	// OpenSID's report counts families (KK) moving and dying.
	Head bool `json:"head"`
	// Other is the other village of a move within the deployment.
	Other string `json:"other,omitempty"`
}

// vitalEvents is the collection of the monthly report's events.
var vitalEvents = sdk.Collection{
	Name: "vital_events",
	Fields: []sdk.Field{
		{Name: "kind", Type: sdk.String, Required: true},
		{Name: "date", Type: sdk.Date, Required: true},
		{Name: "reported", Type: sdk.Date, Required: true},
		{Name: "sex", Type: sdk.String},
		{Name: "head", Type: sdk.Bool},
		{Name: "other", Type: sdk.String},
	},
	Indexes: []sdk.Index{{Fields: []string{"reported"}}},
}

// eventVital is the report's kind of a life event type of POST /events.
var eventVital = map[string]string{EventBirth: vitalBirth, EventDeath: vitalDeath, EventMoveIn: vitalArrival, EventMoveOut: vitalDeparture}

// recordVital adds to b the monthly report's record of a life event of
// res: for a move (type move) the departure from the request's village and
// the arrival in to, otherwise one record in the request's village. Call
// it in the batch that records the event, so that the report counts what
// the register holds, no more and no less.
func recordVital(b *sdk.Batch, req *sdk.Request, typ, date string, res *Resident, to string) {
	ev := vitalEvent{Date: date, Reported: req.Today(), Sex: res.Sex, Head: res.Relationship == headOfFamily}
	if typ == EventMove {
		ev.Kind, ev.Other = vitalDeparture, to
		b.Insert(vitalEvents.Name, ev)
		ev.Kind, ev.Other = vitalArrival, req.Tenant
		b.InsertInto(to, vitalEvents.Name, ev)
		return
	}
	if ev.Kind = eventVital[typ]; ev.Kind != "" {
		b.Insert(vitalEvents.Name, ev)
	}
}

// tally is one line of the monthly report: people by sex, and for the
// events, how many of them were heads of family (KK).
type tally struct {
	L     int64  `json:"l"`
	P     int64  `json:"p"`
	Total int64  `json:"total"`
	KK    *int64 `json:"kk,omitempty"`
}

func (t *tally) add(sex string, n int64) {
	t.Total += n
	switch sex {
	case "L":
		t.L += n
	case "P":
		t.P += n
	}
}

// sub is t − u, sex by sex.
func (t tally) sub(u tally) tally { return tally{L: t.L - u.L, P: t.P - u.P, Total: t.Total - u.Total} }

// plus is t + u, sex by sex.
func (t tally) plus(u tally) tally {
	return tally{L: t.L + u.L, P: t.P + u.P, Total: t.Total + u.Total}
}

// monthlyRow is the monthly report of one region (or the whole tenant):
// Start + Births − Deaths + Arrivals − Departures = End, for L, P and the
// total.
type monthlyRow struct {
	Tenant     string    `json:"tenant"`
	Name       string    `json:"name,omitempty"`
	Level      sdk.Level `json:"level,omitempty"`
	Start      tally     `json:"start"`
	Births     tally     `json:"births"`
	Deaths     tally     `json:"deaths"`
	Arrivals   tally     `json:"arrivals"`
	Departures tally     `json:"departures"`
	End        tally     `json:"end"`
}

// monthlyCounts gathers, for one region, the living today and the events
// of the month and after it.
type monthlyCounts struct {
	now          tally
	month, after map[string]*tally // by kind
}

func newMonthlyCounts() *monthlyCounts {
	return &monthlyCounts{month: map[string]*tally{}, after: map[string]*tally{}}
}

func kindTally(m map[string]*tally, kind string) *tally {
	t := m[kind]
	if t == nil {
		zero := int64(0)
		t = &tally{KK: &zero}
		m[kind] = t
	}
	return t
}

// net is births + arrivals − deaths − departures.
func net(m map[string]*tally) tally {
	var in, out tally
	for kind, t := range m {
		switch kind {
		case vitalBirth, vitalArrival:
			in = in.plus(*t)
		case vitalDeath, vitalDeparture:
			out = out.plus(*t)
		}
	}
	return in.sub(out)
}

func (c *monthlyCounts) row(tenant, name string, level sdk.Level) monthlyRow {
	end := c.now.sub(net(c.after))
	r := monthlyRow{Tenant: tenant, Name: name, Level: level, End: end, Start: end.sub(net(c.month)),
		Births: *kindTally(c.month, vitalBirth), Deaths: *kindTally(c.month, vitalDeath),
		Arrivals: *kindTally(c.month, vitalArrival), Departures: *kindTally(c.month, vitalDeparture)}
	return r
}

// monthlyReport answers GET /reports/monthly?month=YYYY-MM[&per=village|
// district|regency|child]: the monthly population report of the tenant
// (all its villages summed) for the month (the current one, so far, when
// absent), with one row per region of the level per below it. At a
// village it needs population.residents.read; above, it is public like
// /stats. Errors: 422 invalid_month (not YYYY-MM, or after the current
// month in the village's time zone), 400 invalid_per, 403 forbidden.
func monthlyReport(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	if err := villageNeedsLogin(req); err != nil {
		return 0, nil, err
	}
	now := req.Now() // the village's date, in its time zone
	thisMonth := now.Format("2006-01")
	month := r.URL.Query().Get("month")
	if month == "" {
		month = thisMonth
	}
	first, err := time.ParseInLocation("2006-01", month, req.Location())
	if err != nil || first.Format("2006-01") != month {
		return 0, nil, invalid(codeInvalidMonth, "month must be YYYY-MM, got %q", month)
	}
	if month > thisMonth {
		return 0, nil, invalid(codeInvalidMonth, "month %s has not begun in %s (today is %s)", month, req.Tenant, req.Today())
	}
	per, err := perLevel(req, r.URL.Query().Get("per"))
	if err != nil {
		return 0, nil, err
	}
	from, next := first.Format(time.DateOnly), first.AddDate(0, 1, 0).Format(time.DateOnly)
	subtree := req.Level != sdk.Village
	byTenant := func(g ...string) []string {
		if per != "" {
			return append([]string{sdk.FieldTenant}, g...)
		}
		return g
	}
	counts := map[string]*monthlyCounts{} // by region; "" for the whole tenant
	at := func(key []any) (*monthlyCounts, []any) {
		region := ""
		if per != "" {
			region, key = regionOf(keyString(key[0]), per), key[1:]
		}
		c := counts[region]
		if c == nil {
			c = newMonthlyCounts()
			counts[region] = c
		}
		return c, key
	}
	living, err := req.Records("residents").Aggregate(r.Context(), sdk.Aggregation{GroupBy: byTenant("sex"), Subtree: subtree, Where: alive})
	if err != nil {
		return 0, nil, fmt.Errorf("counting the living residents of %s: %w", req.Tenant, err)
	}
	for _, g := range living {
		c, key := at(g.Key)
		c.now.add(keyString(key[0]), g.Count)
	}
	// The events of the month, and those recorded after it (none for the
	// current month: nothing is recorded after today).
	type period struct {
		where []sdk.Filter
		into  func(*monthlyCounts) map[string]*tally
	}
	periods := []period{{[]sdk.Filter{{Field: "reported", Op: sdk.Ge, Value: from}, {Field: "reported", Op: sdk.Lt, Value: next}},
		func(c *monthlyCounts) map[string]*tally { return c.month }}}
	if month < thisMonth {
		periods = append(periods, period{[]sdk.Filter{{Field: "reported", Op: sdk.Ge, Value: next}},
			func(c *monthlyCounts) map[string]*tally { return c.after }})
	}
	for _, p := range periods {
		groups, err := req.Records(vitalEvents.Name).Aggregate(r.Context(), sdk.Aggregation{GroupBy: byTenant("kind", "sex", "head"), Subtree: subtree, Where: p.where})
		if err != nil {
			return 0, nil, fmt.Errorf("counting the life events of %s from %s: %w", req.Tenant, from, err)
		}
		for _, g := range groups {
			c, key := at(g.Key)
			t := kindTally(p.into(c), keyString(key[0]))
			t.add(keyString(key[1]), g.Count)
			if head, _ := key[2].(bool); head {
				*t.KK += g.Count
			}
		}
	}
	// The whole tenant is the sum of its regions.
	total := newMonthlyCounts()
	for region, c := range counts {
		if region == "" && per != "" {
			continue
		}
		total.now = total.now.plus(c.now)
		for kind, t := range c.month {
			sumInto(kindTally(total.month, kind), t)
		}
		for kind, t := range c.after {
			sumInto(kindTally(total.after, kind), t)
		}
	}
	last := first.AddDate(0, 1, -1).Format(time.DateOnly)
	out := map[string]any{"tenant": req.Tenant, "month": month, "from": from, "to": last,
		"complete": month < thisMonth, "total": total.row(req.Tenant, "", req.Level)}
	if per != "" {
		regions, err := regionsBelow(r.Context(), req, per, counts)
		if err != nil {
			return 0, nil, err
		}
		rows := make([]monthlyRow, 0, len(regions))
		for _, t := range regions {
			c := counts[t.Code]
			if c == nil {
				c = newMonthlyCounts()
			}
			rows = append(rows, c.row(t.Code, t.Name, per))
		}
		out["per"], out["rows"] = per, rows
	}
	return 200, out, nil
}

func sumInto(dst, src *tally) {
	dst.L += src.L
	dst.P += src.P
	dst.Total += src.Total
	*dst.KK += *src.KK
}
