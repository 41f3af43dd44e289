package main

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/balaidesa/balai/sdk"
)

// RowEvaluation is a unit's evaluation in the table: at the regency the
// worksheet's state (a draft's score is null until complete), elsewhere
// the published result.
type RowEvaluation struct {
	State string   `json:"state"`
	Score *float64 `json:"score"`
	Grade string   `json:"grade,omitempty"`
}

// TableRow is one unit of the regency's table. AchievementAverage is the
// mean of the achievement percents the unit reported for the year (or
// the quarter asked), over all its indicators and quarters; Measures
// holds each source module's reading for the period (a district's is the
// sum over its villages), null where the module has nothing for the unit.
type TableRow struct {
	Unit               string              `json:"unit"`
	Name               string              `json:"name"`
	Level              string              `json:"level"`
	District           string              `json:"district,omitempty"`
	Indicators         int64               `json:"indicators"`
	Achievements       int64               `json:"achievements"`
	AchievementAverage *float64            `json:"achievement_average"`
	Evaluation         *RowEvaluation      `json:"evaluation"`
	Measures           map[string]*Reading `json:"measures"`
}

// SourceStatus says whether a source module's measure could be read for
// the table, and why not.
type SourceStatus struct {
	Source
	Available bool   `json:"available"`
	Reason    string `json:"reason,omitempty"`
	// Calls is how many GET /performance calls the page cost: 1, more
	// only above 500 villages with the module.
	Calls int `json:"calls"`
}

// Table is GET /evaluations/{year}'s answer.
type Table struct {
	Tenant  string         `json:"tenant"`
	Year    int            `json:"year"`
	Quarter int            `json:"quarter"`
	Sources []SourceStatus `json:"sources"`
	Items   []TableRow     `json:"items"`
	Total   int            `json:"total"`
}

// unitsBelow lists the districts and villages below the request's tenant
// where the module is enabled, sorted by code, within district when it is
// set.
func unitsBelow(ctx context.Context, req *sdk.Request, district string) ([]sdk.Tenant, error) {
	below, err := req.TenantsBelow(ctx, "")
	if err != nil {
		return nil, err
	}
	out := make([]sdk.Tenant, 0, len(below))
	for _, t := range below {
		if (t.Level != sdk.District && t.Level != sdk.Village) || !slices.Contains(t.Modules, pluginID) {
			continue
		}
		if district != "" && t.Code != district && !strings.HasPrefix(t.Code, district+".") {
			continue
		}
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b sdk.Tenant) int { return strings.Compare(a.Code, b.Code) })
	return out, nil
}

// parseQuarter reads ?quarter= (0 or absent: the whole year).
func parseQuarter(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	q, err := strconv.Atoi(s)
	if err != nil || q < 0 || q > 4 {
		return 0, sdk.Errorf(http.StatusBadRequest, codeInvalidQuarter, "quarter must be 1 to 4, or 0 for the whole year")
	}
	return q, nil
}

// regencyTable is GET /evaluations/{year}?quarter=&district=&page=&limit=
// at a regency or district (or province): one row per district and
// village below with the module enabled, sorted by code. Every column of
// a page comes from a fixed number of calls whatever its size: one query
// of evaluations, one aggregate of indicators, one of achievements, and
// one /performance call per source module (more only above 500 villages
// with that module). 422 not_a_region; 400 invalid_year,
// invalid_quarter, invalid_filter, invalid_pagination.
func regencyTable(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	if req.Level == sdk.Village {
		return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeNotARegion, "the table of units is read at a district, regency or province; a village reads its own evaluation at GET /evaluations/{year}/%s", req.Tenant)
	}
	year, err := parseYear(r.PathValue("year"), http.StatusBadRequest)
	if err != nil {
		return 0, nil, err
	}
	p := r.URL.Query()
	quarter, err := parseQuarter(p.Get("quarter"))
	if err != nil {
		return 0, nil, err
	}
	offset, limit, err := sdk.Page(r)
	if err != nil {
		return 0, nil, err
	}
	district := p.Get("district")
	if district != "" && (!strings.HasPrefix(district, req.Tenant+".") || strings.Count(district, ".") != 2) {
		return 0, nil, badFilter("district %q is not a district below %s", district, req.Tenant)
	}
	units, err := unitsBelow(ctx, req, district)
	if err != nil {
		return 0, nil, err
	}
	t := Table{Tenant: req.Tenant, Year: year, Quarter: quarter, Items: []TableRow{}, Total: len(units)}
	if offset < len(units) {
		units = units[offset:min(offset+limit, len(units))]
	} else {
		units = nil
	}
	codes := make([]string, len(units))
	hi := ""
	for i, u := range units {
		codes[i] = u.Code
		top := u.Code
		if u.Level == sdk.District {
			top = u.Code + "/" // after every village of the district
		}
		hi = max(hi, top)
	}

	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		evals    = map[string]*RowEvaluation{}
		inds     = map[string]int64{}
		achs     = map[string][2]float64{} // count, sum of percent
		readings = make([]map[string]Reading, len(sources))
	)
	t.Sources = make([]SourceStatus, len(sources))
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	if len(units) > 0 {
		wg.Add(3 + len(sources))
		go func() {
			defer wg.Done()
			if err := tableEvaluations(ctx, req, year, codes, evals); err != nil {
				fail(err)
			}
		}()
		go func() {
			defer wg.Done()
			groups, err := req.Records("indicators").Aggregate(ctx, sdk.Aggregation{GroupBy: []string{sdk.FieldTenant}, Subtree: true,
				Where: []sdk.Filter{{Field: "year", Op: sdk.Eq, Value: year}, {Field: sdk.FieldTenant, Op: sdk.In, Value: codes}}})
			if err != nil {
				fail(err)
				return
			}
			for _, g := range groups {
				if code, ok := g.Key[0].(string); ok {
					inds[code] = g.Count
				}
			}
		}()
		go func() {
			defer wg.Done()
			where := []sdk.Filter{{Field: "year", Op: sdk.Eq, Value: year}, {Field: sdk.FieldTenant, Op: sdk.In, Value: codes}}
			if quarter > 0 {
				where = append(where, sdk.Filter{Field: "quarter", Op: sdk.Eq, Value: quarter})
			}
			groups, err := req.Records("achievements").Aggregate(ctx, sdk.Aggregation{GroupBy: []string{sdk.FieldTenant}, Sum: []string{"percent"}, Subtree: true, Where: where})
			if err != nil {
				fail(err)
				return
			}
			for _, g := range groups {
				if code, ok := g.Key[0].(string); ok {
					achs[code] = [2]float64{float64(g.Count), g.Sums[0]}
				}
			}
		}()
		for i, s := range sources {
			go func() {
				defer wg.Done()
				m, calls, err := readingsUpTo(ctx, req, s, year, quarter, hi)
				t.Sources[i] = SourceStatus{Source: s, Available: err == nil, Calls: calls}
				if un, ok := err.(*unavailable); ok {
					t.Sources[i].Reason = un.Reason
				} else if err != nil {
					fail(err)
					return
				}
				readings[i] = m
			}()
		}
		wg.Wait()
	} else {
		for i, s := range sources {
			t.Sources[i] = SourceStatus{Source: s, Available: true}
		}
	}
	if firstErr != nil {
		return 0, nil, firstErr
	}
	for _, u := range units {
		row := TableRow{Unit: u.Code, Name: u.Name, Level: string(u.Level), Indicators: inds[u.Code], Evaluation: evals[u.Code], Measures: map[string]*Reading{}}
		if u.Level == sdk.Village {
			row.District = parentOf(u.Code)
		}
		if a := achs[u.Code]; a[0] > 0 {
			row.Achievements = int64(a[0])
			avg := roundPct(a[1] / a[0])
			row.AchievementAverage = &avg
		}
		for i, s := range sources {
			m := readings[i]
			if m == nil {
				row.Measures[s.Key] = nil
				continue
			}
			if u.Level == sdk.Village {
				if v, ok := m[u.Code]; ok {
					row.Measures[s.Key] = &v
				} else {
					row.Measures[s.Key] = nil
				}
				continue
			}
			var rs []Reading
			for code, v := range m {
				if strings.HasPrefix(code, u.Code+".") {
					rs = append(rs, v)
				}
			}
			row.Measures[s.Key] = sumReadings(rs)
		}
		t.Items = append(t.Items, row)
	}
	return http.StatusOK, t, nil
}

// tableEvaluations fills evals for the units of a page: at a regency its
// worksheets in any state, elsewhere the published results below.
func tableEvaluations(ctx context.Context, req *sdk.Request, year int, codes []string, evals map[string]*RowEvaluation) error {
	if req.Level == sdk.Regency {
		recs, _, err := req.Records("evaluations").Query().Where("year", sdk.Eq, year).Where("unit", sdk.In, codes).Page(0, len(codes)).Run(ctx)
		if err != nil {
			return err
		}
		for _, rec := range recs {
			var e struct {
				Unit  string   `json:"unit"`
				State string   `json:"state"`
				Score *float64 `json:"score"`
				Grade string   `json:"grade"`
			}
			if err := rec.Decode(&e); err != nil {
				return err
			}
			evals[e.Unit] = &RowEvaluation{State: e.State, Score: e.Score, Grade: e.Grade}
		}
		return nil
	}
	recs, _, err := req.Records("results").Query().Subtree().Where("year", sdk.Eq, year).Where(sdk.FieldTenant, sdk.In, codes).Page(0, len(codes)).Run(ctx)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		var res struct {
			Score float64 `json:"score"`
			Grade string  `json:"grade"`
		}
		if err := rec.Decode(&res); err != nil {
			return err
		}
		evals[rec.Tenant] = &RowEvaluation{State: StateFinal, Score: &res.Score, Grade: res.Grade}
	}
	return nil
}

// ScoreItem is one unit's published grade.
type ScoreItem struct {
	Unit        string    `json:"unit"`
	Name        string    `json:"name"`
	Level       string    `json:"level"`
	Score       float64   `json:"score"`
	Grade       string    `json:"grade"`
	GradeName   string    `json:"grade_name"`
	PublishedAt time.Time `json:"published_at"`
}

// Scores is GET /scores's answer: the published grades of the year at the
// tenant and below, the count per grade (every grade, 0 included) and
// the mean score.
type Scores struct {
	Tenant  string           `json:"tenant"`
	Year    int              `json:"year"`
	Counts  map[string]int64 `json:"counts"`
	Average *float64         `json:"average_score"`
	Items   []ScoreItem      `json:"items"`
	Total   int64            `json:"total"`
}

// scores is GET /scores?year=&grade=&page=&limit=: published evaluations
// only (drafts stay with the evaluators). 400 invalid_year (missing
// too), invalid_filter.
func scores(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	p := r.URL.Query()
	year, err := parseYear(p.Get("year"), http.StatusBadRequest)
	if err != nil {
		return 0, nil, err
	}
	offset, limit, err := sdk.Page(r)
	if err != nil {
		return 0, nil, err
	}
	where := []sdk.Filter{{Field: "year", Op: sdk.Eq, Value: year}}
	coll := req.Records("results")
	groups, err := coll.Aggregate(ctx, sdk.Aggregation{GroupBy: []string{"grade"}, Sum: []string{"score"}, Subtree: true, Where: where})
	if err != nil {
		return 0, nil, err
	}
	out := Scores{Tenant: req.Tenant, Year: year, Counts: map[string]int64{}, Items: []ScoreItem{}}
	for _, g := range gradeCodes() {
		out.Counts[g] = 0
	}
	var n int64
	var sum float64
	for _, g := range groups {
		if grade, ok := g.Key[0].(string); ok {
			out.Counts[grade] = g.Count
		}
		n += g.Count
		sum += g.Sums[0]
	}
	if n > 0 {
		avg := roundPct(sum / float64(n))
		out.Average = &avg
	}
	q := coll.Query().Subtree().Where("year", sdk.Eq, year)
	if gr := p.Get("grade"); gr != "" {
		if !slices.Contains(gradeCodes(), gr) {
			return 0, nil, badFilter("grade must be one of %s", strings.Join(gradeCodes(), ", "))
		}
		q = q.Where("grade", sdk.Eq, gr)
	}
	recs, total, err := q.OrderBy(sdk.FieldTenant, false).Page(offset, limit).WithTotal().Run(ctx)
	if err != nil {
		return 0, nil, err
	}
	out.Total = total
	if len(recs) == 0 {
		return http.StatusOK, out, nil
	}
	names := map[string]sdk.Tenant{}
	self, _, err := req.TenantInfo(ctx)
	if err != nil {
		return 0, nil, err
	}
	names[self.Code] = self
	if req.Level != sdk.Village {
		below, err := req.TenantsBelow(ctx, "")
		if err != nil {
			return 0, nil, err
		}
		for _, t := range below {
			names[t.Code] = t
		}
	}
	for _, rec := range recs {
		var res result
		if err := rec.Decode(&res); err != nil {
			return 0, nil, err
		}
		t := names[rec.Tenant]
		out.Items = append(out.Items, ScoreItem{Unit: rec.Tenant, Name: t.Name, Level: string(t.Level), Score: res.Score, Grade: res.Grade,
			GradeName: gradeName(res.Grade), PublishedAt: res.PublishedAt})
	}
	return http.StatusOK, out, nil
}
