package main

import (
	"net/http"
	"slices"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/performance"
)

// completeFields are the fields a complete resident record holds, besides
// a permanent NIK: what a letter, a Dukcapil report and the statistics
// tables of GET /stats need of every resident.
var completeFields = []string{"birth_place", "birth_date", "religion", "education", "occupation", "marital_status"}

// completeMeasure is the measure GET /performance answers: the share of
// the living residents whose record is complete.
var completeMeasure = performance.Measure{
	Key:            "records_complete",
	Label:          "Data penduduk lengkap",
	LabelEN:        "Population records complete",
	Unit:           "%",
	HigherIsBetter: true,
	Description: "Of the living residents, the share whose record is complete: a permanent NIK (not a temporary number), " +
		"birth place and birth date, religion, education, occupation and marital status. " +
		"A snapshot of the register at the time of asking: the period does not apply.",
}

// getPerformance is GET /performance?year=&quarter= (population.residents.read):
// records_complete per village. Two Aggregates grouped by village (the
// living residents, and the complete ones by nik_temporary), which the
// host answers from its kept per-village results: at a regency only the
// villages written since are counted again. Errors: 400 invalid_year, 400
// invalid_quarter, 400 invalid_pagination.
var getPerformance = performance.Handler("population", completeMeasure,
	func(r *http.Request, _ performance.Period, _ []sdk.Tenant) (map[string]performance.Value, error) {
		req := sdk.From(r)
		coll := req.Records("residents")
		subtree := req.Level != sdk.Village
		living, err := coll.Aggregate(r.Context(), sdk.Aggregation{GroupBy: []string{sdk.FieldTenant}, Subtree: subtree, Where: alive})
		if err != nil {
			return nil, err
		}
		where := slices.Clone(alive)
		for _, f := range completeFields {
			where = append(where, sdk.Filter{Field: f, Op: sdk.NotNull})
		}
		// Grouped by nik_temporary rather than filtered on it: the flag is
		// left out (null) on a permanent NIK, and a "!= true" would not
		// match a null.
		complete, err := coll.Aggregate(r.Context(), sdk.Aggregation{GroupBy: []string{sdk.FieldTenant, "nik_temporary"}, Subtree: subtree, Where: where})
		if err != nil {
			return nil, err
		}
		done := map[string]int64{}
		for _, g := range complete {
			if temp, _ := g.Key[1].(bool); !temp {
				done[keyString(g.Key[0])] += g.Count
			}
		}
		out := make(map[string]performance.Value, len(living))
		for _, g := range living {
			code := keyString(g.Key[0])
			out[code] = performance.Percent(done[code], g.Count)
		}
		return out, nil
	})
