package main

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/performance"
)

// DefaultTargetDays is the service standard of a letter where no tenant
// has set target_days: issued by the end of the next working day, the
// standard most villages publish for an administrative letter (a
// certificate of domicile, of no means, a cover letter) in their
// Standar Pelayanan under PermenPAN-RB 15/2014.
const DefaultTargetDays = 1

// effectiveTargetDays is the service standard in force under s: its
// target_days, or DefaultTargetDays where no tenant set one.
func effectiveTargetDays(s Settings) int {
	if s.TargetDays == 0 {
		return DefaultTargetDays
	}
	return s.TargetDays
}

// maxTargetDays bounds target_days: six working weeks, beyond which no
// village letter has a standard.
const maxTargetDays = 30

// onTimeMeasure is the measure GET /performance answers: letters issued
// within the service standard.
var onTimeMeasure = performance.Measure{
	Key:            "letters_on_time",
	Label:          "Surat selesai tepat waktu",
	LabelEN:        "Letters issued on time",
	Unit:           "%",
	HigherIsBetter: true,
	Description: "Of the letters issued in the period (by the date of issue in the village's calendar, including letters revoked since), " +
		"the share issued within the service standard: target_days working days (Monday to Friday) from the request's submission " +
		"to the letter's issue, as the services settings of the tenant asked set it (default 1: by the end of the next working day).",
}

// workingDaysAfter counts the working days (Monday to Friday) after the
// day of from up to and including the day of to, both in loc, stopping
// once it passes limit: a letter issued the day it was asked for took 0,
// one asked on Friday and issued on Monday 1.
func workingDaysAfter(from, to time.Time, loc *time.Location, limit int) int {
	y, m, d := from.In(loc).Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	y, m, d = to.In(loc).Date()
	last := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	n := 0
	for day = day.AddDate(0, 0, 1); !day.After(last) && n <= limit; day = day.AddDate(0, 0, 1) {
		if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return n
}

// getPerformance is GET /performance?year=&quarter= (services.requests.read):
// letters_on_time per village. The letters issued in the period are
// counted by village and service_days in one Aggregate (a few groups per
// village, whatever the number of letters) and timed against the target
// in effect at the tenant asked. Letters issued before service_days was
// kept are timed from their two times, read by a second Aggregate grouped
// by village and both times (one group per such letter; none once every
// letter of the period has it). Errors: 400 invalid_year, 400
// invalid_quarter, 400 invalid_pagination.
var getPerformance = performance.Handler("services", onTimeMeasure,
	func(r *http.Request, p performance.Period, _ []sdk.Tenant) (map[string]performance.Value, error) {
		req := sdk.From(r)
		ctx := r.Context()
		s, _, err := loadSettings(ctx, req)
		if err != nil {
			return nil, err
		}
		target := effectiveTargetDays(s)
		loc := req.Location()
		issuedIn := []sdk.Filter{{Field: "issued_at", Op: sdk.Ge, Value: p.Start(loc).Format(time.RFC3339)},
			{Field: "issued_at", Op: sdk.Lt, Value: p.End(loc).Format(time.RFC3339)}}
		letters := req.Records("requests")
		subtree := req.Level != sdk.Village
		kept, err := letters.Aggregate(ctx, sdk.Aggregation{GroupBy: []string{sdk.FieldTenant, "service_days"}, Subtree: subtree,
			Where: append(slices.Clone(issuedIn), sdk.Filter{Field: "service_days", Op: sdk.NotNull})})
		if err != nil {
			return nil, err
		}
		older, err := letters.Aggregate(ctx, sdk.Aggregation{GroupBy: []string{sdk.FieldTenant, "submitted_at", "issued_at"}, Subtree: subtree,
			Where: append(slices.Clone(issuedIn), sdk.Filter{Field: "service_days", Op: sdk.IsNull})})
		if err != nil {
			return nil, err
		}
		issued, onTime := map[string]int64{}, map[string]int64{}
		count := func(code string, days int, n int64) {
			issued[code] += n
			if days <= target {
				onTime[code] += n
			}
		}
		for _, g := range kept {
			code, _ := g.Key[0].(string)
			days, _ := g.Key[1].(float64)
			count(code, int(days), g.Count)
		}
		for _, g := range older {
			code, _ := g.Key[0].(string)
			sub, err1 := parseTime(g.Key[1])
			iss, err2 := parseTime(g.Key[2])
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("reading the times of issued letters: %v %v", err1, err2)
			}
			count(code, workingDaysAfter(sub, iss, loc, target), g.Count)
		}
		out := make(map[string]performance.Value, len(issued))
		for code, n := range issued {
			out[code] = performance.Percent(onTime[code], n)
		}
		return out, nil
	})

// parseTime reads a Time field's group key (RFC 3339 text).
func parseTime(v any) (time.Time, error) {
	s, _ := v.(string)
	return time.Parse(time.RFC3339Nano, s)
}
