package main

import (
	"context"
	"fmt"
	"net/http"
	"slices"
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

// add counts n residents of sex (L or P) in the row.
func (r *statsRow) add(sex string, n int64) {
	r.Total += n
	switch sex {
	case "L":
		r.L += n
	case "P":
		r.P += n
	}
}

// alive filters the living residents, whom /stats and /count count.
var alive = []sdk.Filter{{Field: "status", Op: sdk.Eq, Value: StatusAlive}}

// statsBy are the breakdowns of GET /stats: the tables of a village's and
// a regency's population statistics (sex, five-year age groups, and the
// Dukcapil code lists of GET /codes), as OpenSID's statistik penduduk
// publishes them.
var statsBy = map[string]bool{"sex": true, "age_group": true, "religion": true, "education": true,
	"occupation": true, "marital_status": true, "blood_type": true}

// tenantStats is one region's part of GET /stats?per=: its code and name,
// its rows and its totals.
type tenantStats struct {
	Tenant string     `json:"tenant"`
	Name   string     `json:"name"`
	Level  sdk.Level  `json:"level"`
	Items  []statsRow `json:"items"`
	Total  int64      `json:"total"`
	L      int64      `json:"l"`
	P      int64      `json:"p"`
}

// stats counts the living residents of the tenant and everything below it,
// by ?by= (sex when absent). With ?per=village, district, regency or child
// (the level just below the tenant) at a region it also answers "rows":
// one tenantStats per region of that level below, from the same single
// Aggregate grouped by tenant. Only counts leave the plugin; at a single
// village they need a login, so that small numbers cannot point at a
// person. Errors: 400 invalid_by, 400 invalid_per, 403 forbidden.
func stats(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	by := r.URL.Query().Get("by")
	if by == "" {
		by = "sex"
	}
	if !statsBy[by] {
		return 0, nil, sdk.Errorf(http.StatusBadRequest, codeInvalidBy, "by must be sex, age_group, religion, education, occupation, marital_status or blood_type")
	}
	if err := villageNeedsLogin(req); err != nil {
		return 0, nil, err
	}
	per, err := perLevel(req, r.URL.Query().Get("per"))
	if err != nil {
		return 0, nil, err
	}
	field := by
	if by == "age_group" {
		field = "birth_year"
	}
	group := []string{field}
	if by != "sex" {
		group = append(group, "sex")
	}
	if per != "" {
		group = append([]string{sdk.FieldTenant}, group...)
	}
	groups, err := req.Records("residents").Aggregate(r.Context(), sdk.Aggregation{GroupBy: group, Subtree: req.Level != sdk.Village, Where: alive})
	if err != nil {
		return 0, nil, fmt.Errorf("counting residents by %s: %w", by, err)
	}
	year := req.Now().Year() // ages as of the village's date
	all := newStatsTable(by)
	var parts map[string]*statsTable
	if per != "" {
		parts = map[string]*statsTable{}
	}
	for _, g := range groups {
		k := g.Key
		var region string
		if per != "" {
			region = regionOf(keyString(k[0]), per)
			k = k[1:]
		}
		key := keyString(k[0])
		if by == "age_group" {
			key = ageGroup(year, k[0])
		}
		sex := key
		if by != "sex" {
			sex = keyString(k[1])
		}
		all.add(key, sex, g.Count)
		if per != "" {
			t := parts[region]
			if t == nil {
				t = newStatsTable(by)
				parts[region] = t
			}
			t.add(key, sex, g.Count)
		}
	}
	out := map[string]any{"tenant": req.Tenant, "by": by, "items": all.rows(), "total": all.total.Total, "l": all.total.L, "p": all.total.P}
	if per != "" {
		regions, err := regionsBelow(r.Context(), req, per, parts)
		if err != nil {
			return 0, nil, err
		}
		rows := make([]tenantStats, 0, len(regions))
		for _, t := range regions {
			tab := parts[t.Code]
			if tab == nil {
				tab = newStatsTable(by)
			}
			rows = append(rows, tenantStats{Tenant: t.Code, Name: t.Name, Level: per, Items: tab.rows(), Total: tab.total.Total, L: tab.total.L, P: tab.total.P})
		}
		out["per"], out["rows"] = per, rows
	}
	return 200, out, nil
}

// statsTable accumulates the rows of one breakdown.
type statsTable struct {
	by    string
	byKey map[string]*statsRow
	total statsRow
}

func newStatsTable(by string) *statsTable { return &statsTable{by: by, byKey: map[string]*statsRow{}} }

func (t *statsTable) add(key, sex string, n int64) {
	row := t.byKey[key]
	if row == nil {
		row = &statsRow{Key: key, Name: codeName(t.by, key)}
		t.byKey[key] = row
	}
	row.add(sex, n)
	t.total.add(sex, n)
}

// rows answers the table's rows in the order of their codes (numbers by
// value, age groups from the youngest), "unknown" last.
func (t *statsTable) rows() []statsRow {
	out := make([]statsRow, 0, len(t.byKey))
	for _, r := range t.byKey {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return sortKey(out[i].Key) < sortKey(out[j].Key) })
	return out
}

// villageNeedsLogin refuses the statistics of a single village to a caller
// without population.residents.read: a count of three in one cell of a
// village table can name a person. A district and above are public.
func villageNeedsLogin(req *sdk.Request) error {
	if req.Level == sdk.Village && !req.Can(permRead) {
		return sdk.Errorf(http.StatusForbidden, sdk.CodeForbidden, "statistics of a single village need population.residents.read; districts and regencies are public")
	}
	return nil
}

// codeLength is the length of a Kemendagri code at each level
// (14, 14.01, 14.01.01, 14.01.01.2009): a village's region at a level is
// the prefix of its code.
var codeLength = map[sdk.Level]int{sdk.Province: 2, sdk.Regency: 5, sdk.District: 8, sdk.Village: 13}

// levelOrder ranks the levels from the top.
var levelOrder = []sdk.Level{sdk.Province, sdk.Regency, sdk.District, sdk.Village}

// perLevel reads ?per=: empty for no breakdown, else a level strictly below
// the request's tenant ("child" names the one just below). Errors: 400
// invalid_per.
func perLevel(req *sdk.Request, per string) (sdk.Level, error) {
	if per == "" {
		return "", nil
	}
	own := slices.Index(levelOrder, req.Level)
	if own < 0 || own == len(levelOrder)-1 {
		return "", sdk.Errorf(http.StatusBadRequest, codeInvalidPer, "per breaks a region down into the regions below it; a %s has none", req.Level)
	}
	if per == "child" {
		return levelOrder[own+1], nil
	}
	at := slices.Index(levelOrder, sdk.Level(per))
	if at <= own {
		var below []string
		for _, l := range levelOrder[own+1:] {
			below = append(below, string(l))
		}
		return "", sdk.Errorf(http.StatusBadRequest, codeInvalidPer, "per must be child or a level below %s %s: %v", req.Level, req.Tenant, below)
	}
	return sdk.Level(per), nil
}

// regionOf is the code of the region of level per that holds tenant (a
// village code): its prefix.
func regionOf(tenant string, per sdk.Level) string {
	if n := codeLength[per]; len(tenant) >= n {
		return tenant[:n]
	}
	return tenant
}

// regionsBelow lists the regions of level per below the request's tenant,
// in code order, for the rows of a breakdown: every village where the
// module is enabled (a village without it has no register, rather than a
// population of zero), every district or regency, and any region counted
// that the host did not list.
func regionsBelow[T any](ctx context.Context, req *sdk.Request, per sdk.Level, counted map[string]T) ([]sdk.Tenant, error) {
	below, err := req.TenantsBelow(ctx, per)
	if err != nil {
		return nil, fmt.Errorf("listing the %s tenants below %s: %w", per, req.Tenant, err)
	}
	out := make([]sdk.Tenant, 0, len(below))
	seen := map[string]bool{}
	for _, t := range below {
		if _, has := counted[t.Code]; !has && per == sdk.Village && !slices.Contains(t.Modules, "population") {
			continue
		}
		seen[t.Code] = true
		out = append(out, t)
	}
	for code := range counted {
		if !seen[code] {
			out = append(out, sdk.Tenant{Code: code, Level: per})
		}
	}
	slices.SortFunc(out, func(a, b sdk.Tenant) int {
		switch {
		case a.Code < b.Code:
			return -1
		case a.Code > b.Code:
			return 1
		}
		return 0
	})
	return out, nil
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
