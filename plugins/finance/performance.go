package main

import (
	"net/http"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/performance"
)

// realisationMeasure is the measure GET /performance answers: the
// realisation of the year's approved spending by the end of the period.
var realisationMeasure = performance.Measure{
	Key:            "budget_realisation",
	Label:          "Realisasi belanja APBDes",
	LabelEN:        "Budget realisation (spending)",
	Unit:           "%",
	HigherIsBetter: true,
	Description: "Spending realised from 1 January to the end of the period (realisation entries dated up to then, reversals deducted), " +
		"as a share of the spending in the year's approved budget: the APBDes Perubahan once approved, else the APBDes " +
		"(Permendagri 20/2018). Null while the year has no approved budget. Numerator and denominator are whole rupiah.",
}

// getPerformance is GET /performance?year=&quarter= (finance.budgets.read):
// budget_realisation per village. The budget and the year's realisation
// come from the roll-up of GET /summary (buildSummary); a quarter's
// realisation adds the entries dated up to its last day, grouped by village
// in one Aggregate. Errors: 400 invalid_year, 400 invalid_quarter, 400
// invalid_pagination.
var getPerformance = performance.Handler(pluginID, realisationMeasure,
	func(r *http.Request, p performance.Period, _ []sdk.Tenant) (map[string]performance.Value, error) {
		s, err := buildSummary(r, p.Year)
		if err != nil {
			return nil, err
		}
		var upTo map[string]int64
		if p.Quarter != 0 {
			groups, err := sdk.From(r).Records("realisations").Aggregate(r.Context(), sdk.Aggregation{
				GroupBy: []string{sdk.FieldTenant}, Sum: []string{"amount"}, Subtree: true,
				Where: []sdk.Filter{{Field: "year", Op: sdk.Eq, Value: p.Year}, {Field: "section", Op: sdk.Eq, Value: sectionSpending},
					{Field: "date", Op: sdk.Le, Value: p.To}}})
			if err != nil {
				return nil, err
			}
			upTo = make(map[string]int64, len(groups))
			for _, g := range groups {
				upTo[str(g.Key[0])] = int64(g.Sums[0])
			}
		}
		out := make(map[string]performance.Value, len(s.Items))
		for _, v := range s.Items {
			if v.Status == "none" {
				continue // no approved budget: nothing to measure against
			}
			real := v.SpendingReal
			if upTo != nil {
				real = upTo[v.Village]
			}
			out[v.Village] = performance.Percent(real, v.Spending)
		}
		return out, nil
	})
