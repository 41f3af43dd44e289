package main

import (
	"net/http"
	"sort"
	"strconv"

	"github.com/balaidesa/balai/sdk"
)

// Summary is the answer of GET /summary: the published (verified)
// disasters of the tenant and every village below it where the module is
// on, as BNPB's DIBI counts them: per type, per year and per village, with
// the impact summed.
type Summary struct {
	Tenant string    `json:"tenant"`
	Level  sdk.Level `json:"level"`
	// Year is the ?year= asked for; 0 for every year.
	Year int `json:"year,omitempty"`
	// Total counts the published reports; Active those still handled
	// (verified, emergency_response, recovery).
	Total  int64  `json:"total"`
	Active int64  `json:"active"`
	Impact Impact `json:"impact"`
	// ByType has one row per BNPB type, in BNPB's order, zero rows included.
	ByType []TypeCount `json:"by_type"`
	// ByYear has one row per year with a report, newest first.
	ByYear []YearCount `json:"by_year"`
	// ByVillage has one row per village below (or the village itself)
	// where the module is on, zero rows included, by code.
	ByVillage []VillageCount `json:"by_village"`
}

// TypeCount is one type's row of the summary.
type TypeCount struct {
	Type   string `json:"type"`
	Label  string `json:"label"`
	Count  int64  `json:"count"`
	Active int64  `json:"active"`
}

// YearCount is one year's row of the summary.
type YearCount struct {
	Year  int   `json:"year"`
	Count int64 `json:"count"`
}

// VillageCount is one village's row of the summary.
type VillageCount struct {
	Tenant string `json:"tenant"`
	Name   string `json:"name"`
	Count  int64  `json:"count"`
	Active int64  `json:"active"`
	Impact Impact `json:"impact"`
}

// impactFields are the summed fields, in Impact's order.
var impactFields = []string{"dead", "missing", "injured", "displaced", "houses_light", "houses_moderate", "houses_heavy", "facilities", "affected_families", "affected_residents"}

func addImpact(m *Impact, s []float64) {
	if len(s) < len(impactFields) {
		return
	}
	for i, p := range []*int64{&m.Dead, &m.Missing, &m.Injured, &m.Displaced, &m.HousesLight, &m.HousesModerate, &m.HousesHeavy, &m.Facilities, &m.AffectedFamilies, &m.AffectedResidents} {
		*p += int64(s[i])
	}
}

// summary is GET /summary?year= (public): the roll-up of the published
// disasters of the tenant and the villages below it where the module is
// on. 400 invalid_filter for a malformed year.
func summary(r *http.Request) (int, any, error) {
	year := 0
	if y := r.URL.Query().Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1900 || n > 9999 {
			return 0, nil, sdk.Errorf(http.StatusBadRequest, codeInvalidFilter, "year must be a year such as 2026")
		}
		year = n
	}
	s, err := computeSummary(r, year)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s, nil
}

func computeSummary(r *http.Request, year int) (*Summary, error) {
	req := sdk.From(r)
	ctx := r.Context()
	where := []sdk.Filter{{Field: "status", Op: sdk.In, Value: publishedStatuses}}
	if year > 0 {
		where = append(where, sdk.Filter{Field: "year", Op: sdk.Eq, Value: year})
	}
	groups, err := req.Records("reports").Aggregate(ctx, sdk.Aggregation{
		GroupBy: []string{sdk.FieldTenant, "type", "year", "active"}, Sum: impactFields, Subtree: true, Where: where})
	if err != nil {
		return nil, err
	}
	s := &Summary{Tenant: req.Tenant, Level: req.Level, Year: year, ByType: []TypeCount{}, ByYear: []YearCount{}, ByVillage: []VillageCount{}}
	villages := map[string]*VillageCount{}
	vs, _, err := req.VillagesWith(ctx, pluginID)
	if err != nil {
		return nil, err
	}
	for _, t := range vs {
		s.ByVillage = append(s.ByVillage, VillageCount{Tenant: t.Code, Name: t.Name})
	}
	for i := range s.ByVillage {
		villages[s.ByVillage[i].Tenant] = &s.ByVillage[i]
	}
	types := map[string]*TypeCount{}
	for _, t := range Types {
		s.ByType = append(s.ByType, TypeCount{Type: t.Code, Label: t.Label})
	}
	for i := range s.ByType {
		types[s.ByType[i].Type] = &s.ByType[i]
	}
	years := map[int]int64{}
	for _, g := range groups {
		if len(g.Key) < 4 {
			continue
		}
		tenant, _ := g.Key[0].(string)
		typ, _ := g.Key[1].(string)
		yf, _ := g.Key[2].(float64)
		active, _ := g.Key[3].(bool)
		s.Total += g.Count
		addImpact(&s.Impact, g.Sums)
		years[int(yf)] += g.Count
		if tc := types[typ]; tc != nil {
			tc.Count += g.Count
			if active {
				tc.Active += g.Count
			}
		}
		vc := villages[tenant]
		if vc == nil && tenant != "" {
			// A village whose module was switched off later is not
			// counted by Subtree; anything else below is shown by code.
			s.ByVillage = append(s.ByVillage, VillageCount{Tenant: tenant, Name: tenant})
			vc = &s.ByVillage[len(s.ByVillage)-1]
			villages = map[string]*VillageCount{}
			for i := range s.ByVillage {
				villages[s.ByVillage[i].Tenant] = &s.ByVillage[i]
			}
			vc = villages[tenant]
		}
		if vc != nil {
			vc.Count += g.Count
			addImpact(&vc.Impact, g.Sums)
			if active {
				vc.Active += g.Count
			}
		}
		if active {
			s.Active += g.Count
		}
	}
	for y, n := range years {
		s.ByYear = append(s.ByYear, YearCount{Year: y, Count: n})
	}
	sort.Slice(s.ByYear, func(i, j int) bool { return s.ByYear[i].Year > s.ByYear[j].Year })
	return s, nil
}
