package main

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/balaidesa/balai/sdk"
)

// maxBehindListed bounds the behind-schedule list of a summary; the
// total counts them all, and GET /projects?behind=true pages through.
const maxBehindListed = 100

// VillageSummary is one village's line of a roll-up.
type VillageSummary struct {
	Code       string  `json:"code"`
	Name       string  `json:"name"`
	Projects   int64   `json:"projects"`
	Completed  int64   `json:"completed"`
	Budget     int64   `json:"budget"`
	Spent      int64   `json:"spent"`
	Absorption float64 `json:"absorption"`
	Behind     int64   `json:"behind"`
}

// BehindItem is a project behind schedule: its physical percent below
// the straight line's expected_percent for today.
type BehindItem struct {
	ID              string  `json:"id"`
	Village         Village `json:"village"`
	Name            string  `json:"name"`
	Kind            string  `json:"kind"`
	PlannedStart    string  `json:"planned_start"`
	PlannedEnd      string  `json:"planned_end"`
	Percent         float64 `json:"percent"`
	ExpectedPercent float64 `json:"expected_percent"`
	Budget          int64   `json:"budget"`
	Spent           int64   `json:"spent"`
}

// Summary is GET /summary: one year's projects of a village, or of every
// village below a district or regency with the module on. Budgets,
// spending and absorption leave cancelled projects out; by_state counts
// them.
type Summary struct {
	Tenant         string           `json:"tenant"`
	Level          sdk.Level        `json:"level"`
	Year           int              `json:"year"`
	Today          string           `json:"today"`
	Projects       int64            `json:"projects"`
	ByState        map[string]int64 `json:"by_state"`
	Budget         int64            `json:"budget"`
	Spent          int64            `json:"spent"`
	Absorption     float64          `json:"absorption"`
	Funding        []Funding        `json:"funding"`
	Villages       []VillageSummary `json:"villages"`
	BehindTotal    int64            `json:"behind_total"`
	BehindSchedule []BehindItem     `json:"behind_schedule"`
}

// yearParam is ?year=, or the tenant's current year.
func yearParam(r *http.Request) (int, error) {
	req := sdk.From(r)
	y := r.URL.Query().Get("year")
	if y == "" {
		return req.Now().Year(), nil
	}
	n, err := strconv.Atoi(y)
	if err != nil || n < 2000 || n > 2100 {
		return 0, sdk.Errorf(http.StatusBadRequest, codeInvalidYear, "year must be a year such as %d", req.Now().Year())
	}
	return n, nil
}

// summary rolls up a year's projects (GET /summary, public).
func summary(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	year, err := yearParam(r)
	if err != nil {
		return 0, nil, err
	}
	pl, err := loadPlaces(r)
	if err != nil {
		return 0, nil, err
	}
	subtree := req.Level != sdk.Village
	sums := []string{"budget", "spent"}
	for _, s := range sources {
		sums = append(sums, s.field)
	}
	groups, err := req.Records("projects").Aggregate(ctx, sdk.Aggregation{
		GroupBy: []string{sdk.FieldTenant, "state"}, Sum: sums, Subtree: subtree,
		Where: []sdk.Filter{{Field: "year", Op: sdk.Eq, Value: year}},
	})
	if err != nil {
		return 0, nil, err
	}
	out := Summary{Tenant: req.Tenant, Level: req.Level, Year: year, Today: req.Today(), ByState: map[string]int64{},
		Villages: []VillageSummary{}, BehindSchedule: []BehindItem{}}
	for _, s := range states {
		out.ByState[s] = 0
	}
	funding := make([]int64, len(sources))
	villages := map[string]*VillageSummary{}
	for _, code := range pl.codes {
		villages[code] = &VillageSummary{Code: code, Name: pl.names[code]}
	}
	for _, g := range groups {
		tenant, state := fmt.Sprint(g.Key[0]), fmt.Sprint(g.Key[1])
		v, ok := villages[tenant]
		if !ok {
			continue // the tenant itself, or a village no longer listed
		}
		out.Projects += g.Count
		out.ByState[state] += g.Count
		v.Projects += g.Count
		if state == StateCompleted {
			v.Completed += g.Count
		}
		if state == StateCancelled {
			continue
		}
		budget, spent := int64(g.Sums[0]), int64(g.Sums[1])
		out.Budget += budget
		out.Spent += spent
		v.Budget += budget
		v.Spent += spent
		for i := range sources {
			funding[i] += int64(g.Sums[2+i])
		}
	}
	out.Absorption = absorption(out.Spent, out.Budget)
	for i, s := range sources {
		out.Funding = append(out.Funding, Funding{Source: s.Code, Name: s.Name, Amount: funding[i]})
	}
	yearOnly := []sdk.Filter{{Field: "year", Op: sdk.Eq, Value: year}}
	groups2, err := lateGroups(r, subtree, yearOnly)
	if err != nil {
		return 0, nil, err
	}
	for _, g := range groups2 {
		if v, ok := villages[g.tenant]; ok {
			v.Behind += g.count
			out.BehindTotal += g.count
		}
	}
	late, _, err := lateRecords(r, subtree, yearOnly, groups2, 0, maxBehindListed)
	if err != nil {
		return 0, nil, err
	}
	for i := range late {
		var p Project
		if err := late[i].Decode(&p); err != nil {
			return 0, nil, err
		}
		out.BehindSchedule = append(out.BehindSchedule, BehindItem{
			ID: late[i].ID, Village: pl.village(late[i].Tenant), Name: p.Name, Kind: p.Kind, PlannedStart: p.PlannedStart,
			PlannedEnd: p.PlannedEnd, Percent: p.Percent, ExpectedPercent: expected(p.PlannedStart, p.PlannedEnd, out.Today),
			Budget: p.Budget, Spent: p.Spent,
		})
	}
	for _, code := range pl.codes {
		v := villages[code]
		v.Absorption = absorption(v.Spent, v.Budget)
		out.Villages = append(out.Villages, *v)
	}
	return http.StatusOK, out, nil
}
