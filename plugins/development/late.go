package main

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"

	"github.com/balaidesa/balai/sdk"
)

// lateGroup is a set of projects behind schedule that share their
// village, planned dates and physical percent, so that they are equally
// late: the database counts them, the plugin judges them.
type lateGroup struct {
	tenant, start, end string
	percent, expected  float64
	count              int64
}

func (g lateGroup) gap() float64 { return g.expected - g.percent }

// lateGroups finds the planned and ongoing projects behind the straight
// line today among those the filters select: one aggregate of their
// village, dates and percent (no record is read), judged here, the
// furthest behind first.
func lateGroups(r *http.Request, subtree bool, filters []sdk.Filter) ([]lateGroup, error) {
	req := sdk.From(r)
	today := req.Today()
	where := append(slices.Clone(filters),
		sdk.Filter{Field: "state", Op: sdk.In, Value: []string{StatePlanned, StateOngoing}},
		// Nothing is expected on the first day: only projects started
		// before today can be late.
		sdk.Filter{Field: "planned_start", Op: sdk.Lt, Value: today},
	)
	groups, err := req.Records("projects").Aggregate(r.Context(), sdk.Aggregation{
		GroupBy: []string{sdk.FieldTenant, "planned_start", "planned_end", "percent"}, Subtree: subtree, Where: where,
	})
	if err != nil {
		return nil, err
	}
	var out []lateGroup
	for _, g := range groups {
		pct, _ := g.Key[3].(float64)
		lg := lateGroup{tenant: fmt.Sprint(g.Key[0]), start: fmt.Sprint(g.Key[1]), end: fmt.Sprint(g.Key[2]), percent: pct, count: g.Count}
		lg.expected = expected(lg.start, lg.end, today)
		if behind(StateOngoing, lg.percent, lg.expected) {
			out = append(out, lg)
		}
	}
	slices.SortFunc(out, func(a, b lateGroup) int {
		return cmp.Or(cmp.Compare(b.gap(), a.gap()), cmp.Compare(a.tenant, b.tenant), cmp.Compare(a.start, b.start),
			cmp.Compare(a.end, b.end), cmp.Compare(a.percent, b.percent))
	})
	return out, nil
}

// lateRecords reads the records of the late projects from offset to
// offset+limit in the groups' order (ties by id), and their total.
func lateRecords(r *http.Request, subtree bool, filters []sdk.Filter, groups []lateGroup, offset, limit int) ([]sdk.Record, int64, error) {
	req := sdk.From(r)
	var total int64
	for _, g := range groups {
		total += g.count
	}
	// The groups the page falls in, and how many records come before the
	// first of them.
	var page []lateGroup
	var before, seen int64
	for _, g := range groups {
		if seen+g.count > int64(offset) && seen < int64(offset+limit) {
			if len(page) == 0 {
				before = seen
			}
			page = append(page, g)
		}
		seen += g.count
	}
	if len(page) == 0 {
		return nil, total, nil
	}
	// One query for a superset of the page's groups: their villages,
	// start and end dates; then kept to the groups exactly.
	set := func(f func(lateGroup) string) []string {
		var out []string
		for _, g := range page {
			if s := f(g); !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
		return out
	}
	where := append(slices.Clone(filters),
		sdk.Filter{Field: "state", Op: sdk.In, Value: []string{StatePlanned, StateOngoing}},
		sdk.Filter{Field: "planned_start", Op: sdk.In, Value: set(func(g lateGroup) string { return g.start })},
		sdk.Filter{Field: "planned_end", Op: sdk.In, Value: set(func(g lateGroup) string { return g.end })},
	)
	if subtree {
		where = append(where, sdk.Filter{Field: sdk.FieldTenant, Op: sdk.In, Value: set(func(g lateGroup) string { return g.tenant })})
	}
	index := map[lateGroup]int{}
	for i, g := range page {
		g.count, g.expected = 0, 0
		index[g] = i
	}
	type found struct {
		rec   sdk.Record
		group int
	}
	var recs []found
	for from := 0; ; from += 500 {
		got, _, err := query(req, subtree, where).OrderBy(sdk.FieldID, false).Page(from, 500).Run(r.Context())
		if err != nil {
			return nil, 0, err
		}
		for _, rec := range got {
			var p struct {
				Percent      float64 `json:"percent"`
				PlannedStart string  `json:"planned_start"`
				PlannedEnd   string  `json:"planned_end"`
			}
			if err := rec.Decode(&p); err != nil {
				return nil, 0, err
			}
			if i, ok := index[lateGroup{tenant: rec.Tenant, start: p.PlannedStart, end: p.PlannedEnd, percent: p.Percent}]; ok {
				recs = append(recs, found{rec, i})
			}
		}
		if len(got) < 500 {
			break
		}
	}
	slices.SortStableFunc(recs, func(a, b found) int { return cmp.Or(cmp.Compare(a.group, b.group), cmp.Compare(a.rec.ID, b.rec.ID)) })
	from := int(int64(offset) - before)
	out := make([]sdk.Record, 0, limit)
	for i := from; i < len(recs) && len(out) < limit; i++ {
		out = append(out, recs[i].rec)
	}
	return out, total, nil
}
