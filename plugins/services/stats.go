package main

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/balaidesa/balai/sdk"
)

type typeState struct {
	Type  string `json:"type"`
	State string `json:"state"`
	Count int64  `json:"count"`
}

type villageStats struct {
	Code    string           `json:"code"`
	Name    string           `json:"name"`
	Total   int64            `json:"total"`
	ByState map[string]int64 `json:"by_state"`
}

type statsView struct {
	Tenant      string           `json:"tenant"`
	Total       int64            `json:"total"`
	ByState     map[string]int64 `json:"by_state"`
	ByType      map[string]int64 `json:"by_type"`
	ByTypeState []typeState      `json:"by_type_state"`
	Villages    []villageStats   `json:"villages"`
}

func zeroCounts(keys []string) map[string]int64 {
	m := make(map[string]int64, len(keys))
	for _, k := range keys {
		m[k] = 0
	}
	return m
}

// dateFilters turns ?from= and ?to= (inclusive dates) into filters on the
// submission time. A date is a day of the tenant's calendar: from midnight
// in its zone, not the server's.
func dateFilters(r *http.Request) ([]sdk.Filter, error) {
	var fs []sdk.Filter
	loc := sdk.From(r).Location()
	for _, p := range []struct {
		param string
		op    sdk.Op
		days  int
	}{{"from", sdk.Ge, 0}, {"to", sdk.Lt, 1}} {
		v := r.URL.Query().Get(p.param)
		if v == "" {
			continue
		}
		d, err := time.ParseInLocation(time.DateOnly, v, loc)
		if err != nil {
			return nil, sdk.Errorf(http.StatusBadRequest, codeInvalidFilter, "%s must be a date YYYY-MM-DD", p.param)
		}
		fs = append(fs, sdk.Filter{Field: "submitted_at", Op: p.op, Value: d.AddDate(0, 0, p.days).Format(time.RFC3339)})
	}
	return fs, nil
}

// requestStats counts requests by type and state, in a village or, at a
// district or regency, across every village below it: the kecamatan's
// oversight of its villages' services.
func requestStats(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	filters, err := dateFilters(r)
	if err != nil {
		return 0, nil, err
	}
	subtree := req.Level != sdk.Village
	groups, err := req.Records("requests").Aggregate(ctx, sdk.Aggregation{
		GroupBy: []string{sdk.FieldTenant, "type", "state"}, Subtree: subtree, Where: filters,
	})
	if err != nil {
		return 0, nil, err
	}
	codes := make([]string, len(letterTypes))
	for i, lt := range letterTypes {
		codes[i] = lt.Code
	}
	out := statsView{Tenant: req.Tenant, ByState: zeroCounts(states), ByType: zeroCounts(codes), ByTypeState: []typeState{}}
	perType := map[[2]string]int64{}
	perVillage := map[string]*villageStats{}
	villages, _, err := req.VillagesWith(ctx, "services")
	if err != nil {
		return 0, nil, err
	}
	for _, t := range villages {
		perVillage[t.Code] = &villageStats{Code: t.Code, Name: t.Name, ByState: zeroCounts(states)}
	}
	for _, g := range groups {
		tenant, typ, state := fmt.Sprint(g.Key[0]), fmt.Sprint(g.Key[1]), fmt.Sprint(g.Key[2])
		out.Total += g.Count
		out.ByState[state] += g.Count
		out.ByType[typ] += g.Count
		perType[[2]string{typ, state}] += g.Count
		v, ok := perVillage[tenant]
		if !ok {
			// A village where the module was switched off keeps its history.
			v = &villageStats{Code: tenant, ByState: zeroCounts(states)}
			perVillage[tenant] = v
		}
		v.Total += g.Count
		v.ByState[state] += g.Count
	}
	for k, n := range perType {
		out.ByTypeState = append(out.ByTypeState, typeState{Type: k[0], State: k[1], Count: n})
	}
	slices.SortFunc(out.ByTypeState, func(a, b typeState) int {
		if a.Type != b.Type {
			return cmp.Compare(a.Type, b.Type)
		}
		return cmp.Compare(a.State, b.State)
	})
	for _, v := range perVillage {
		out.Villages = append(out.Villages, *v)
	}
	slices.SortFunc(out.Villages, func(a, b villageStats) int { return cmp.Compare(a.Code, b.Code) })
	return http.StatusOK, out, nil
}
