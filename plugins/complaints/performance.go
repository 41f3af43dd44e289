package main

import (
	"net/http"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/performance"
)

// onTimeMeasure is the measure GET /performance answers: complaints
// answered within the regency's response target.
var onTimeMeasure = performance.Measure{
	Key:            "complaints_on_time",
	Label:          "Pengaduan dijawab tepat waktu",
	LabelEN:        "Complaints answered on time",
	Unit:           "%",
	HigherIsBetter: true,
	Description: "Of the complaints answered in the period (answered or rejected with a reason, by the date of the answer in the village's calendar), " +
		"the share answered by their due date: the response target in working days the regency had set when the complaint was received, " +
		"counted without weekends and the public holidays the regency keeps. Escalated complaints count for the village they were made to.",
}

// getPerformance is GET /performance?year=&quarter= (complaints.complaints.read):
// complaints_on_time per village, from the same count as GET /stats
// (countResponses). Errors: 400 invalid_year, 400 invalid_quarter, 400
// invalid_pagination.
var getPerformance = performance.Handler("complaints", onTimeMeasure,
	func(r *http.Request, p performance.Period, _ []sdk.Tenant) (map[string]performance.Value, error) {
		req := sdk.From(r)
		counts, err := countResponses(r.Context(), req.Records("complaints"), req.Level != sdk.Village, []sdk.Filter{
			{Field: "answered_date", Op: sdk.Ge, Value: p.From}, {Field: "answered_date", Op: sdk.Le, Value: p.To}})
		if err != nil {
			return nil, err
		}
		out := make(map[string]performance.Value, len(counts))
		for code, c := range counts {
			out[code] = performance.Percent(c.OnTime, c.Responded)
		}
		return out, nil
	})
