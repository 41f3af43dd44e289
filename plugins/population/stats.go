package main

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"

	"github.com/balaidesa/balai/sdk"
)

// statsRow is one line of GET /stats: a value, and counts by sex.
type statsRow struct {
	Key   string `json:"key"`
	Name  string `json:"name,omitempty"`
	Total int64  `json:"total"`
	L     int64  `json:"l"`
	P     int64  `json:"p"`
}

// alive filters the living residents, whom /stats and /count count.
var alive = []sdk.Filter{{Field: "status", Op: sdk.Eq, Value: StatusAlive}}

var statsBy = map[string]bool{"sex": true, "age_group": true, "religion": true, "education": true, "occupation": true, "marital_status": true}

// stats counts the living residents of the tenant and everything below it.
// Only counts leave the plugin; at a single village they need a login, so
// that small numbers cannot point at a person.
func stats(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	by := r.URL.Query().Get("by")
	if by == "" {
		by = "sex"
	}
	if !statsBy[by] {
		return 0, nil, sdk.Errorf(http.StatusBadRequest, codeInvalidBy, "by must be sex, age_group, religion, education, occupation or marital_status")
	}
	if req.Level == sdk.Village && !req.Can(permRead) {
		return 0, nil, sdk.Errorf(http.StatusForbidden, sdk.CodeForbidden, "statistics of a single village need population.residents.read; districts and sub-districts are public")
	}
	field := by
	if by == "age_group" {
		field = "birth_year"
	}
	group := []string{field}
	if by != "sex" {
		group = append(group, "sex")
	}
	groups, err := req.Records("residents").Aggregate(r.Context(), sdk.Aggregation{GroupBy: group, Subtree: true, Where: alive})
	if err != nil {
		return 0, nil, err
	}
	rows := map[string]*statsRow{}
	var total statsRow
	year := req.Now().Year() // ages as of the village's date
	for _, g := range groups {
		key := keyString(g.Key[0])
		if by == "age_group" {
			key = ageGroup(year, g.Key[0])
		}
		sex := key
		if by != "sex" {
			sex = keyString(g.Key[1])
		}
		row := rows[key]
		if row == nil {
			row = &statsRow{Key: key, Name: codeName(by, key)}
			rows[key] = row
		}
		for _, r := range []*statsRow{row, &total} {
			r.Total += g.Count
			switch sex {
			case "L":
				r.L += g.Count
			case "P":
				r.P += g.Count
			}
		}
	}
	out := make([]statsRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return sortKey(out[i].Key) < sortKey(out[j].Key) })
	return 200, map[string]any{"tenant": req.Tenant, "by": by, "items": out, "total": total.Total, "l": total.L, "p": total.P}, nil
}

// count answers the number of living residents of the tenant and everything
// below it. A bare total cannot point at a person, so unlike /stats it is
// public at a village too: the village profile shows it, and recounts it
// from its event handlers, which call without a user.
func count(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	// A village has nothing below it: counting its own rows lets the
	// database use the (tenant, status) index, where the subtree's LIKE
	// could not. The profile module recounts on every population event.
	subtree := req.Level != sdk.Village
	groups, err := req.Records("residents").Aggregate(r.Context(), sdk.Aggregation{Subtree: subtree, Where: alive})
	if err != nil {
		return 0, nil, err
	}
	var total int64
	for _, g := range groups {
		total += g.Count
	}
	return 200, map[string]any{"tenant": req.Tenant, "total": total}, nil
}

func keyString(v any) string {
	switch k := v.(type) {
	case string:
		return k
	case float64:
		return strconv.FormatInt(int64(k), 10)
	case nil:
		return "unknown"
	}
	return "unknown"
}

// ageGroup buckets a birth year into the five-year groups of BPS tables.
func ageGroup(year int, v any) string {
	y, ok := v.(float64)
	if !ok {
		return "unknown"
	}
	age := year - int(y)
	if age >= 75 {
		return "75+"
	}
	lo := age / 5 * 5
	return strconv.Itoa(lo) + "-" + strconv.Itoa(lo+4)
}

// sortKey orders numeric keys (codes, age groups) by number, others after.
func sortKey(key string) string {
	n, i := 0, 0
	for i < len(key) && key[i] >= '0' && key[i] <= '9' {
		n = n*10 + int(key[i]-'0')
		i++
	}
	if i == 0 {
		return "~" + key
	}
	return fmt.Sprintf("%08d", n)
}

func codeName(list, key string) string {
	for _, c := range codeLists[list] {
		if c.Code == key {
			return c.Name
		}
	}
	return ""
}
