// Package performance is the shape of GET /performance, the route through
// which modules (first-party: services, complaints, finance, population)
// hand their measures of a village's performance to the evaluation module
// (SAKIP indicators that take their value from the modules' data instead
// of being copied by hand):
//
//	GET /performance?year=YYYY[&quarter=1..4][&page=&limit=]
//	200 {"year":2026,"quarter":1,"from":"2026-01-01","to":"2026-03-31",
//	     "measures":[{"key":...,"label":...,"label_en":...,"unit":"%","higher_is_better":true,"description":...}],
//	     "items":[{"tenant":"14.01.01.2009","name":"...","values":{"<key>":{"value":87.5,"numerator":35,"denominator":40}}}],
//	     "total":250}
//
// At a village the answer holds the village's one item; at a district,
// regency or province one item per village below where the module is
// enabled, sorted by code and paged like every list. Errors: 400
// invalid_year, 400 invalid_quarter, 400 invalid_pagination.
//
// The package is part of the SDK so that any module, first-party or a
// vendor's built against the sdk module alone, can offer a measure: it
// serves the route with Handler and computes its own values; the
// evaluation module reads every module's answer the same way. Tests check
// the route with sdk/sdktest/performancetest.
package performance

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/balaidesa/balai/sdk"
)

// Error codes of GET /performance, the same in every module.
const (
	// CodeInvalidYear: ?year= is missing or not a year from 2000 to 2100 (400).
	CodeInvalidYear sdk.Code = "invalid_year"
	// CodeInvalidQuarter: ?quarter= is not 1, 2, 3 or 4 (400).
	CodeInvalidQuarter sdk.Code = "invalid_quarter"
)

// Period is the time a measure covers: a quarter of a year, or the whole
// year (Quarter 0), as dates of the village's calendar.
type Period struct {
	Year    int `json:"year"`
	Quarter int `json:"quarter"`
	// From and To are the first and last day, inclusive, "YYYY-MM-DD".
	From string `json:"from"`
	To   string `json:"to"`
}

// NewPeriod is the period of quarter (1 to 4; 0 for the whole year) of year.
func NewPeriod(year, quarter int) Period {
	first, months := time.Month(1), 12
	if quarter > 0 {
		first, months = time.Month(3*quarter-2), 3
	}
	from := time.Date(year, first, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, months, -1)
	return Period{Year: year, Quarter: quarter, From: from.Format(time.DateOnly), To: to.Format(time.DateOnly)}
}

// ParsePeriod reads ?year= (required, 2000 to 2100) and ?quarter= (1 to
// 4; absent or 0 for the whole year). Errors: 400 invalid_year, 400
// invalid_quarter.
func ParsePeriod(r *http.Request) (Period, error) {
	q := r.URL.Query()
	ys := q.Get("year")
	y, err := strconv.Atoi(ys)
	if err != nil || len(ys) != 4 || y < 2000 || y > 2100 {
		return Period{}, sdk.Errorf(http.StatusBadRequest, CodeInvalidYear, "year is required: a year from 2000 to 2100 such as ?year=2026")
	}
	quarter := 0
	if qs := q.Get("quarter"); qs != "" {
		quarter, err = strconv.Atoi(qs)
		if err != nil || len(qs) != 1 || quarter < 0 || quarter > 4 {
			return Period{}, sdk.Errorf(http.StatusBadRequest, CodeInvalidQuarter, "quarter must be 1, 2, 3 or 4 (leave it out for the whole year)")
		}
	}
	return NewPeriod(y, quarter), nil
}

// Start is the period's first moment in loc (the village's zone).
func (p Period) Start(loc *time.Location) time.Time {
	d, _ := time.ParseInLocation(time.DateOnly, p.From, loc)
	return d
}

// End is the moment just after the period's last day in loc: the period
// holds the times t with Start <= t < End.
func (p Period) End(loc *time.Location) time.Time {
	d, _ := time.ParseInLocation(time.DateOnly, p.To, loc)
	return d.AddDate(0, 0, 1)
}

// Measure describes one measure: its key in an item's values, its labels
// (Bahasa Indonesia and English), unit and direction, and exactly what it
// counts.
type Measure struct {
	Key            string `json:"key"`
	Label          string `json:"label"`
	LabelEN        string `json:"label_en"`
	Unit           string `json:"unit"`
	HigherIsBetter bool   `json:"higher_is_better"`
	Description    string `json:"description"`
}

// Value is one measure of one village: Numerator out of Denominator, and
// Value their ratio as the measure's unit says (a percent 0 to 100 with at
// most 2 decimals), null when the denominator is 0: nothing to measure yet.
type Value struct {
	Value       *float64 `json:"value"`
	Numerator   int64    `json:"numerator"`
	Denominator int64    `json:"denominator"`
}

// Same reports whether v and w hold the same figures (both values null,
// or equal).
func (v Value) Same(w Value) bool {
	if v.Numerator != w.Numerator || v.Denominator != w.Denominator || (v.Value == nil) != (w.Value == nil) {
		return false
	}
	return v.Value == nil || *v.Value == *w.Value
}

// String shows v as "66.67 (2/3)", or "null (0/0)".
func (v Value) String() string {
	s := "null"
	if v.Value != nil {
		s = strconv.FormatFloat(*v.Value, 'f', -1, 64)
	}
	return fmt.Sprintf("%s (%d/%d)", s, v.Numerator, v.Denominator)
}

// Percent is the Value of part out of whole as a percent rounded to 2
// decimals; null when whole is 0.
func Percent(part, whole int64) Value {
	v := Value{Numerator: part, Denominator: whole}
	if whole != 0 {
		p := math.Round(float64(part)*10000/float64(whole)) / 100
		v.Value = &p
	}
	return v
}

// Item is one village's line: its values by measure key.
type Item struct {
	Tenant string           `json:"tenant"`
	Name   string           `json:"name"`
	Values map[string]Value `json:"values"`
}

// Answer is the body of GET /performance.
type Answer struct {
	Period
	Measures []Measure `json:"measures"`
	Items    []Item    `json:"items"`
	Total    int64     `json:"total"`
}

// Compute gives the measure's value of each of the villages (by code) for
// the period; a village left out of the map has nothing to measure (a
// null value over 0).
type Compute func(r *http.Request, p Period, villages []sdk.Tenant) (map[string]Value, error)

// Handler serves GET /performance for module's one measure m: it reads
// the period and the page, lists the villages, has compute measure them,
// and answers the documented shape.
func Handler(module string, m Measure, compute Compute) func(r *http.Request) (int, any, error) {
	return func(r *http.Request) (int, any, error) {
		p, err := ParsePeriod(r)
		if err != nil {
			return 0, nil, err
		}
		offset, limit, err := sdk.Page(r)
		if err != nil {
			return 0, nil, err
		}
		// The villages a Subtree aggregate counts: the request's village
		// itself, or those below where module is enabled, by code.
		villages, _, err := sdk.From(r).VillagesWith(r.Context(), module)
		if err != nil {
			return 0, nil, err
		}
		values, err := compute(r, p, villages)
		if err != nil {
			return 0, nil, fmt.Errorf("measuring %s: %w", m.Key, err)
		}
		out := Answer{Period: p, Measures: []Measure{m}, Items: []Item{}, Total: int64(len(villages))}
		for _, v := range sdk.PageOf(villages, offset, limit) {
			val, ok := values[v.Code]
			if !ok {
				val = Value{}
			}
			out.Items = append(out.Items, Item{Tenant: v.Code, Name: v.Name, Values: map[string]Value{m.Key: val}})
		}
		return http.StatusOK, out, nil
	}
}
