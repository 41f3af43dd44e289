package main

import (
	"net/http"
	"strconv"

	"github.com/balaidesa/balai/sdk"
)

// Summary is the answer of GET /summary?year=: the roll-up of the villages
// at or below the tenant where the module is enabled. Villages without an
// approved budget for the year are listed with status "none" and zeros.
// Money is whole rupiah; percents one decimal.
type Summary struct {
	Tenant       string           `json:"tenant"`
	Year         int              `json:"year"`
	Villages     int              `json:"villages"`
	Approved     int              `json:"approved"`
	Income       int64            `json:"income"`
	Spending     int64            `json:"spending"`
	IncomeReal   int64            `json:"income_realised"`
	SpendingReal int64            `json:"spending_realised"`
	SpendingPct  float64          `json:"spending_percent"`
	DanaDesa     DanaDesa         `json:"dana_desa"`
	IncomeGroups []GroupView      `json:"income_by_source"`
	SpendGroups  []GroupView      `json:"spending_by_bidang"`
	Items        []VillageSummary `json:"items"`
	Total        int              `json:"total"`
	byVillage    map[string]*VillageSummary
}

// VillageSummary is one village's row of the roll-up: its budget's status
// (none, apbdes or perubahan: the latest approved version), totals,
// realisation and Dana Desa absorption.
type VillageSummary struct {
	Village      string   `json:"village"`
	Name         string   `json:"name"`
	District     string   `json:"district"`
	Status       string   `json:"status"`
	Income       int64    `json:"income"`
	Spending     int64    `json:"spending"`
	IncomeReal   int64    `json:"income_realised"`
	SpendingReal int64    `json:"spending_realised"`
	SpendingPct  float64  `json:"spending_percent"`
	DanaDesa     DanaDesa `json:"dana_desa"`
}

// summaryYear reads ?year=, the village's current year by default.
func summaryYear(r *http.Request) (int, error) {
	if s := r.URL.Query().Get("year"); s != "" {
		return parseYear(s)
	}
	return sdk.From(r).Now().Year(), nil
}

// getSummary answers GET /summary?year= (public).
func getSummary(r *http.Request) (int, any, error) {
	year, err := summaryYear(r)
	if err != nil {
		return 0, nil, err
	}
	off, limit, err := sdk.Page(r)
	if err != nil {
		return 0, nil, err
	}
	s, err := buildSummary(r, year)
	if err != nil {
		return 0, nil, err
	}
	s.Total = len(s.Items)
	s.Items = sdk.PageOf(s.Items, off, limit)
	return http.StatusOK, s, nil
}

// buildSummary aggregates the year's ledgers and approved versions of the
// villages below the request's tenant (or of the village itself) in two
// queries.
func buildSummary(r *http.Request, year int) (*Summary, error) {
	req := sdk.From(r)
	ctx := r.Context()
	s := &Summary{Tenant: req.Tenant, Year: year, Items: []VillageSummary{}, byVillage: map[string]*VillageSummary{}}
	villages, districts, err := req.VillagesWith(ctx, pluginID)
	if err != nil {
		return nil, err
	}
	s.Items = make([]VillageSummary, 0, len(villages))
	for _, v := range villages {
		s.Items = append(s.Items, VillageSummary{Village: v.Code, Name: v.Name, District: districts[v.Parent], Status: "none"})
	}
	for i := range s.Items {
		s.byVillage[s.Items[i].Village] = &s.Items[i]
	}
	s.Villages = len(s.Items)
	versions, err := req.Records("budgets").Aggregate(ctx, sdk.Aggregation{GroupBy: []string{sdk.FieldTenant, "kind"}, Subtree: true,
		Where: []sdk.Filter{{Field: "year", Op: sdk.Eq, Value: year}, {Field: "status", Op: sdk.Eq, Value: statusOK}}})
	if err != nil {
		return nil, err
	}
	for _, g := range versions {
		v := s.byVillage[str(g.Key[0])]
		if v == nil {
			continue
		}
		if v.Status == "none" {
			s.Approved++
		}
		if k := str(g.Key[1]); v.Status != kindPerubahan {
			v.Status = k
		}
	}
	groups, err := req.Records("ledger").Aggregate(ctx, sdk.Aggregation{GroupBy: []string{sdk.FieldTenant, "section", "group", "source"},
		Sum: []string{"budget", "realised"}, Subtree: true,
		Where: []sdk.Filter{{Field: "year", Op: sdk.Eq, Value: year}, {Field: "active", Op: sdk.Eq, Value: true}}})
	if err != nil {
		return nil, err
	}
	inc := map[string]*GroupView{}
	for _, g := range incomeGroups {
		inc[g.Code] = &GroupView{Group: g.Code, Name: g.Name}
	}
	spend := map[string]*GroupView{}
	for _, g := range bidangs {
		spend[g.Code] = &GroupView{Group: g.Code, Name: g.Name}
	}
	for _, g := range groups {
		v := s.byVillage[str(g.Key[0])]
		if v == nil {
			continue
		}
		section, group, source := str(g.Key[1]), str(g.Key[2]), str(g.Key[3])
		bud, real := int64(g.Sums[0]), int64(g.Sums[1])
		switch section {
		case sectionIncome:
			v.Income += bud
			v.IncomeReal += real
			if x := inc[group]; x != nil {
				x.Budget += bud
				x.Realised += real
			}
			if group == "4.2.1" {
				v.DanaDesa.Budget += bud
				v.DanaDesa.Received += real
			}
		case sectionSpending:
			v.Spending += bud
			v.SpendingReal += real
			if x := spend[group]; x != nil {
				x.Budget += bud
				x.Realised += real
			}
			if source == sourceDanaDesa {
				v.DanaDesa.SpendingBudget += bud
				v.DanaDesa.Spent += real
			}
		}
	}
	for i := range s.Items {
		v := &s.Items[i]
		v.SpendingPct = percent(v.SpendingReal, v.Spending)
		v.DanaDesa.AbsorptionPercent = percent(v.DanaDesa.Spent, v.DanaDesa.Budget)
		s.Income += v.Income
		s.Spending += v.Spending
		s.IncomeReal += v.IncomeReal
		s.SpendingReal += v.SpendingReal
		s.DanaDesa.Budget += v.DanaDesa.Budget
		s.DanaDesa.Received += v.DanaDesa.Received
		s.DanaDesa.SpendingBudget += v.DanaDesa.SpendingBudget
		s.DanaDesa.Spent += v.DanaDesa.Spent
	}
	s.SpendingPct = percent(s.SpendingReal, s.Spending)
	s.DanaDesa.AbsorptionPercent = percent(s.DanaDesa.Spent, s.DanaDesa.Budget)
	for _, g := range incomeGroups {
		x := inc[g.Code]
		x.Percent = percent(x.Realised, x.Budget)
		s.IncomeGroups = append(s.IncomeGroups, *x)
	}
	for _, g := range bidangs {
		x := spend[g.Code]
		x.Percent = percent(x.Realised, x.Budget)
		s.SpendGroups = append(s.SpendGroups, *x)
	}
	return s, nil
}

// str reads a group key as text (numbers as integers).
func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatInt(int64(x), 10)
	}
	return ""
}
