package main

// The cross-module measures, read from the source modules' GET
// /performance (the contract in brief-perf, documented in each module's
// README) on the caller's behalf: the caller's own read permission there,
// declared in the manifest's Uses, decides what it may see.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/balaidesa/balai/sdk"
)

// Source is a measure another module computes that an indicator may take
// its value from.
type Source struct {
	// Key is the measure's key in the module's /performance answer.
	Key string `json:"key"`
	// Module is the plugin id answering it.
	Module string `json:"module"`
	// Label and LabelEN name it.
	Label   string `json:"label"`
	LabelEN string `json:"label_en"`
	// Permission is the module's read permission the caller needs.
	Permission string `json:"permission"`
}

// sources are the four measures of the perf contract, all percentages
// where higher is better.
var sources = []Source{
	{"letters_on_time", "services", "Surat selesai tepat waktu", "Letters issued on time", "services.requests.read"},
	{"complaints_on_time", "complaints", "Pengaduan dijawab tepat waktu", "Complaints answered on time", "complaints.complaints.read"},
	{"budget_realisation", "finance", "Realisasi anggaran belanja", "Budget realisation", "finance.budgets.read"},
	{"records_complete", "population", "Data penduduk lengkap", "Population records complete", "population.residents.read"},
}

func sourceOf(key string) (Source, bool) {
	for _, s := range sources {
		if s.Key == key {
			return s, true
		}
	}
	return Source{}, false
}

func sourceKeys() []string {
	out := make([]string, len(sources))
	for i, s := range sources {
		out[i] = s.Key
	}
	return out
}

// Reading is one measure of one village in a period, as /performance
// answers it: Value is null when Denominator is 0.
type Reading struct {
	Value       *float64 `json:"value"`
	Numerator   float64  `json:"numerator"`
	Denominator float64  `json:"denominator"`
}

// perfItem is one village of a /performance answer.
type perfItem struct {
	Tenant string             `json:"tenant"`
	Name   string             `json:"name"`
	Values map[string]Reading `json:"values"`
}

// perfAnswer is GET /performance's answer.
type perfAnswer struct {
	Year    int        `json:"year"`
	Quarter int        `json:"quarter"`
	From    string     `json:"from"`
	To      string     `json:"to"`
	Items   []perfItem `json:"items"`
	Total   int        `json:"total"`
}

// perfLimit is the largest page /performance answers: a regency of up to
// 500 villages is read in one call per module.
const perfLimit = 500

// unavailable explains why a source cannot be read, in words a user
// acts on; it is never a 500.
type unavailable struct{ Reason string }

func (u *unavailable) Error() string { return u.Reason }

// callPerformance reads one page of a module's /performance in the
// request's tenant. Every refusal of the host or the module becomes an
// *unavailable.
func callPerformance(ctx context.Context, req *sdk.Request, s Source, year, quarter, page int) (*perfAnswer, error) {
	q := url.Values{"year": {strconv.Itoa(year)}, "page": {strconv.Itoa(page)}, "limit": {strconv.Itoa(perfLimit)}}
	if quarter > 0 {
		q.Set("quarter", strconv.Itoa(quarter))
	}
	res, err := req.Call(ctx, s.Module, "GET", "/performance", q, nil)
	var ans perfAnswer
	if err == nil {
		err = sdk.ReadAnswer(res, &ans)
	}
	if err == nil {
		return &ans, nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	var se *sdk.Error
	if !errors.As(err, &se) {
		sdk.Logf(ctx, "warn", "reading %s /performance: %v", s.Module, err)
		return nil, &unavailable{fmt.Sprintf("module %s did not answer", s.Module)}
	}
	switch {
	case se.Code == "module_not_enabled" || se.Code == "plugin_not_found":
		return nil, &unavailable{fmt.Sprintf("module %s is not enabled here", s.Module)}
	case se.Status == http.StatusForbidden || se.Status == http.StatusUnauthorized:
		return nil, &unavailable{fmt.Sprintf("you may not read module %s here (it needs %s)", s.Module, s.Permission)}
	case se.Status == http.StatusNotFound || se.Status == http.StatusMethodNotAllowed:
		return nil, &unavailable{fmt.Sprintf("module %s does not offer its performance measures (GET /performance) in this deployment", s.Module)}
	case se.Status == http.StatusServiceUnavailable:
		return nil, &unavailable{fmt.Sprintf("module %s is unavailable right now: try again later", s.Module)}
	default:
		sdk.Logf(ctx, "warn", "reading %s /performance: %d %s", s.Module, se.Status, se.Code)
		return nil, &unavailable{fmt.Sprintf("module %s could not give its measures (%s)", s.Module, se.Code)}
	}
}

// readingsUpTo reads a module's /performance pages, sorted by village
// code, until past the code hi (or the last page): the villages of one
// page of the regency's table in one call when the regency has at most
// 500 villages with the module, never one call per village.
func readingsUpTo(ctx context.Context, req *sdk.Request, s Source, year, quarter int, hi string) (map[string]Reading, int, error) {
	out := map[string]Reading{}
	calls := 0
	for page := 1; ; page++ {
		ans, err := callPerformance(ctx, req, s, year, quarter, page)
		calls++
		if err != nil {
			return nil, calls, err
		}
		for _, it := range ans.Items {
			if v, ok := it.Values[s.Key]; ok {
				out[it.Tenant] = v
			}
		}
		if len(ans.Items) == 0 || page*perfLimit >= ans.Total || ans.Items[len(ans.Items)-1].Tenant > hi {
			return out, calls, nil
		}
	}
}

// sumReadings adds up villages' readings: a district's measure is the
// share over all its villages (numerators and denominators summed), not
// an average of percentages.
func sumReadings(rs []Reading) *Reading {
	if len(rs) == 0 {
		return nil
	}
	var sum Reading
	for _, r := range rs {
		sum.Numerator += r.Numerator
		sum.Denominator += r.Denominator
	}
	if sum.Denominator > 0 {
		v := roundPct(sum.Numerator / sum.Denominator * 100)
		sum.Value = &v
	}
	return &sum
}

func roundPct(v float64) float64 {
	return float64(int64(v*100+0.5)) / 100
}

// unitReading reads a source's measure for the request's unit in a
// quarter: at a village its item, at a district the sum of its villages.
// It answers the period read too.
func unitReading(ctx context.Context, req *sdk.Request, s Source, year, quarter int) (*Reading, string, string, error) {
	var all []Reading
	var from, to string
	for page := 1; ; page++ {
		ans, err := callPerformance(ctx, req, s, year, quarter, page)
		if err != nil {
			return nil, "", "", err
		}
		from, to = ans.From, ans.To
		for _, it := range ans.Items {
			if v, ok := it.Values[s.Key]; ok && (it.Tenant == req.Tenant || req.Level != sdk.Village) {
				if req.Level == sdk.Village {
					// The measure's own value, as the module rounded it.
					return &v, from, to, nil
				}
				all = append(all, v)
			}
		}
		if len(ans.Items) == 0 || page*perfLimit >= ans.Total {
			break
		}
	}
	r := sumReadings(all)
	if r == nil {
		return nil, from, to, &unavailable{fmt.Sprintf("module %s has no %s for %s", s.Module, s.Key, req.Tenant)}
	}
	return r, from, to, nil
}
