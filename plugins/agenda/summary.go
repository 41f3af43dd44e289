package main

import (
	"net/http"
	"time"

	"github.com/balaidesa/balai/sdk"
)

// villageRow is one village of GET /summary: its public events in the
// month, counted by occurrence (a weekly posyandu counts four or five
// times), scheduled and cancelled apart.
type villageRow struct {
	Tenant    string `json:"tenant"`
	Name      string `json:"name"`
	District  string `json:"district,omitempty"`
	Events    int    `json:"events"`
	Cancelled int    `json:"cancelled"`
}

// summaryAnswer is GET /summary's answer: the month, one row per village
// (items, total) and the sums.
type summaryAnswer struct {
	Month     string       `json:"month"`
	From      string       `json:"from"`
	To        string       `json:"to"`
	Items     []villageRow `json:"items"`
	Total     int          `json:"total"`
	Events    int          `json:"events"`
	Cancelled int          `json:"cancelled"`
}

// month reads ?month=YYYY-MM (default: the village's current month) as
// its first instant and the next month's; 422 invalid_month.
func month(r *http.Request) (string, time.Time, time.Time, error) {
	req := sdk.From(r)
	m := r.URL.Query().Get("month")
	if m == "" {
		m = req.Today()[:7]
	}
	t, err := time.ParseInLocation("2006-01", m, req.Location())
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		return m, t, t, invalid(codeInvalidMonth, "month", "month must be YYYY-MM")
	}
	return m, t, t.AddDate(0, 1, 0), nil
}

// summary is GET /summary?month=YYYY-MM (public): the roll-up of the
// public events of the month, one row per village at or below the tenant
// where the module is enabled (a sub-district's or regency's own events
// are not counted), in the order of the region codes.
func summary(r *http.Request) (int, any, error) {
	m, from, to, err := month(r)
	if err != nil {
		return 0, nil, err
	}
	ans, err := rollup(r, m, from, to)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, ans, nil
}

// rollup counts the month's public occurrences per village.
func rollup(r *http.Request, m string, from, to time.Time) (summaryAnswer, error) {
	req := sdk.From(r)
	ans := summaryAnswer{Month: m, From: from.Format(time.DateOnly), To: to.AddDate(0, 0, -1).Format(time.DateOnly), Items: []villageRow{}}
	rows := map[string]*villageRow{}
	villages, districts, err := req.VillagesWith(r.Context(), pluginID)
	if err != nil {
		return ans, err
	}
	for _, t := range villages {
		ans.Items = append(ans.Items, villageRow{Tenant: t.Code, Name: t.Name, District: districts[t.Parent]})
	}
	for i := range ans.Items {
		rows[ans.Items[i].Tenant] = &ans.Items[i]
	}
	recs, err := fetch(r, scope{subtree: req.Level != sdk.Village}, from, to, func(q *sdk.Query) *sdk.Query {
		return q.Where("visibility", sdk.Eq, visPublic)
	})
	if err != nil {
		return ans, err
	}
	loc := req.Location()
	for _, rec := range recs {
		row := rows[rec.Tenant]
		if row == nil {
			continue // the sub-district's or regency's own
		}
		var s stored
		if err := rec.Decode(&s); err != nil {
			return ans, err
		}
		for _, o := range expand(&s, loc, from, to, 0) {
			if s.Status == statusCancelled || o.cancelled {
				row.Cancelled++
				ans.Cancelled++
			} else {
				row.Events++
				ans.Events++
			}
		}
	}
	ans.Total = len(ans.Items)
	return ans, nil
}
