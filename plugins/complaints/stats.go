package main

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"

	"github.com/balaidesa/balai/sdk"
)

// villageStats is one village's line of the roll-up.
type villageStats struct {
	Code       string           `json:"code"`
	Name       string           `json:"name"`
	Total      int64            `json:"total"`
	ByState    map[string]int64 `json:"by_state"`
	Overdue    int64            `json:"overdue"`
	Responded  int64            `json:"responded"`
	OnTime     int64            `json:"on_time"`
	OnTimePct  *float64         `json:"on_time_percent"`
	MedianDays *float64         `json:"median_response_days"`
	Ratings    int64            `json:"ratings"`
	AvgRating  *float64         `json:"average_rating"`
}

// statsView is GET /stats: counts by category and state, the median
// response time in working days, the share answered on time, overdue
// complaints and the average rating, for the tenant and per village.
type statsView struct {
	Tenant     string           `json:"tenant"`
	Level      string           `json:"level"`
	Year       int              `json:"year,omitempty"`
	TargetDays int              `json:"target_days"`
	Total      int64            `json:"total"`
	ByCategory map[string]int64 `json:"by_category"`
	ByState    map[string]int64 `json:"by_state"`
	Overdue    int64            `json:"overdue"`
	Responded  int64            `json:"responded"`
	OnTime     int64            `json:"on_time"`
	OnTimePct  *float64         `json:"on_time_percent"`
	MedianDays *float64         `json:"median_response_days"`
	Ratings    int64            `json:"ratings"`
	AvgRating  *float64         `json:"average_rating"`
	Villages   []villageStats   `json:"villages"`
}

func zero(keys []string) map[string]int64 {
	m := make(map[string]int64, len(keys))
	for _, k := range keys {
		m[k] = 0
	}
	return m
}

// hist is a histogram of response days, for a median without reading
// every complaint.
type hist map[int]int64

// median of the histogram: the middle value, or the mean of the two
// middle ones; nil when empty.
func (h hist) median() *float64 {
	var n int64
	keys := make([]int, 0, len(h))
	for k, c := range h {
		n += c
		keys = append(keys, k)
	}
	if n == 0 {
		return nil
	}
	slices.Sort(keys)
	at := func(i int64) int { // the i-th value, from 0
		for _, k := range keys {
			if i < h[k] {
				return k
			}
			i -= h[k]
		}
		return keys[len(keys)-1]
	}
	m := float64(at((n-1)/2)+at(n/2)) / 2
	return &m
}

func pct(part, whole int64) *float64 {
	if whole == 0 {
		return nil
	}
	v := math.Round(float64(part)*1000/float64(whole)) / 10
	return &v
}

func num(v any) int {
	f, _ := v.(float64)
	return int(f)
}

// yearFilter reads ?year= into filters on the submission date.
func yearFilter(r *http.Request) (int, []sdk.Filter, error) {
	v := r.URL.Query().Get("year")
	if v == "" {
		return 0, nil, nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 2000 || y > 2100 {
		return 0, nil, badFilter("year must be a year such as 2026")
	}
	return y, []sdk.Filter{
		{Field: "submitted_date", Op: sdk.Ge, Value: fmt.Sprintf("%04d-01-01", y)},
		{Field: "submitted_date", Op: sdk.Lt, Value: fmt.Sprintf("%04d-01-01", y+1)},
	}, nil
}

// responses are a village's answered complaints: how many, how many
// within the target each was received with (on_time, fixed when it was
// answered), and their response times in working days.
type responses struct {
	Responded int64
	OnTime    int64
	Days      hist
}

// countResponses counts the answered complaints (those with a response
// time) that match where, per village, in one Aggregate: the one count of
// answers on time behind both GET /stats and GET /performance.
func countResponses(ctx context.Context, coll *sdk.Records, subtree bool, where []sdk.Filter) (map[string]*responses, error) {
	groups, err := coll.Aggregate(ctx, sdk.Aggregation{GroupBy: []string{sdk.FieldTenant, "response_days", "on_time"}, Subtree: subtree,
		Where: append(slices.Clone(where), sdk.Filter{Field: "response_days", Op: sdk.NotNull})})
	if err != nil {
		return nil, err
	}
	out := map[string]*responses{}
	for _, g := range groups {
		code := fmt.Sprint(g.Key[0])
		c := out[code]
		if c == nil {
			c = &responses{Days: hist{}}
			out[code] = c
		}
		c.Responded += g.Count
		if onTime, _ := g.Key[2].(bool); onTime {
			c.OnTime += g.Count
		}
		c.Days[num(g.Key[1])] += g.Count
	}
	return out, nil
}

// stats is GET /stats?year= (public): at a village its own figures, at a
// district or regency the villages below where the module is enabled, one
// line each. No personal data, no text. 400 invalid_filter.
func stats(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	year, filters, err := yearFilter(r)
	if err != nil {
		return 0, nil, err
	}
	set, _, err := effective(r)
	if err != nil {
		return 0, nil, err
	}
	subtree := req.Level != sdk.Village
	coll := req.Records("complaints")
	counts, err := coll.Aggregate(ctx, sdk.Aggregation{GroupBy: []string{sdk.FieldTenant, "category", "state"}, Subtree: subtree, Where: filters})
	if err != nil {
		return 0, nil, err
	}
	responded, err := countResponses(ctx, coll, subtree, filters)
	if err != nil {
		return 0, nil, err
	}
	late, err := coll.Aggregate(ctx, sdk.Aggregation{GroupBy: []string{sdk.FieldTenant}, Subtree: subtree,
		Where: append(slices.Clone(filters), sdk.Filter{Field: "state", Op: sdk.In, Value: openStates}, sdk.Filter{Field: "due_date", Op: sdk.Lt, Value: req.Today()})})
	if err != nil {
		return 0, nil, err
	}
	rated, err := coll.Aggregate(ctx, sdk.Aggregation{GroupBy: []string{sdk.FieldTenant}, Sum: []string{"rating"}, Subtree: subtree,
		Where: append(slices.Clone(filters), sdk.Filter{Field: "rating", Op: sdk.NotNull})})
	if err != nil {
		return 0, nil, err
	}
	out := statsView{Tenant: req.Tenant, Level: string(req.Level), Year: year, TargetDays: set.TargetDays,
		ByCategory: zero(categoryCodes()), ByState: zero(states), Villages: []villageStats{}}
	per := map[string]*villageStats{}
	village := func(code string) *villageStats {
		v, ok := per[code]
		if !ok {
			v = &villageStats{Code: code, ByState: zero(states)}
			per[code] = v
		}
		return v
	}
	if subtree {
		below, err := req.TenantsBelow(ctx, sdk.Village)
		if err != nil {
			return 0, nil, err
		}
		for _, t := range below {
			if slices.Contains(t.Modules, "complaints") {
				village(t.Code).Name = t.Name
			}
		}
	} else {
		self, _, err := req.TenantInfo(ctx)
		if err != nil {
			return 0, nil, err
		}
		village(self.Code).Name = self.Name
	}
	for _, g := range counts {
		v := village(fmt.Sprint(g.Key[0]))
		cat, st := fmt.Sprint(g.Key[1]), fmt.Sprint(g.Key[2])
		out.Total += g.Count
		out.ByCategory[cat] += g.Count
		out.ByState[st] += g.Count
		v.Total += g.Count
		v.ByState[st] += g.Count
	}
	all := hist{}
	perHist := map[string]hist{}
	for code, c := range responded {
		v := village(code)
		v.Responded += c.Responded
		out.Responded += c.Responded
		v.OnTime += c.OnTime
		out.OnTime += c.OnTime
		for days, n := range c.Days {
			all[days] += n
		}
		perHist[code] = c.Days
	}
	for _, g := range late {
		village(fmt.Sprint(g.Key[0])).Overdue += g.Count
		out.Overdue += g.Count
	}
	var ratingSum float64
	for _, g := range rated {
		v := village(fmt.Sprint(g.Key[0]))
		v.Ratings = g.Count
		out.Ratings += g.Count
		if len(g.Sums) == 1 && g.Count > 0 {
			avg := math.Round(g.Sums[0]*10/float64(g.Count)) / 10
			v.AvgRating = &avg
			ratingSum += g.Sums[0]
		}
	}
	if out.Ratings > 0 {
		avg := math.Round(ratingSum*10/float64(out.Ratings)) / 10
		out.AvgRating = &avg
	}
	out.OnTimePct, out.MedianDays = pct(out.OnTime, out.Responded), all.median()
	for code, v := range per {
		v.OnTimePct, v.MedianDays = pct(v.OnTime, v.Responded), perHist[code].median()
		out.Villages = append(out.Villages, *v)
	}
	slices.SortFunc(out.Villages, func(a, b villageStats) int { return cmp.Compare(a.Code, b.Code) })
	return http.StatusOK, out, nil
}

// publishedItem is a published complaint and its answer: no name, phone,
// photo or staff names.
type publishedItem struct {
	Ref           string `json:"ref"`
	Village       string `json:"village"`
	VillageName   string `json:"village_name,omitempty"`
	Category      string `json:"category"`
	CategoryName  string `json:"category_name"`
	Description   string `json:"description"`
	Place         string `json:"place,omitempty"`
	State         string `json:"state"`
	SubmittedDate string `json:"submitted_date"`
	Answer        string `json:"answer"`
	AnsweredDate  string `json:"answered_date"`
	AnsweredLevel string `json:"answered_level,omitempty"`
	ResponseDays  *int   `json:"response_days,omitempty"`
	OnTime        *bool  `json:"on_time,omitempty"`
	Rating        int    `json:"rating,omitempty"`
}

// listPublished is GET /published (public): the answered and closed
// complaints whose complainants agreed to publication, newest answer
// first, at a village or across the villages below; ?category= filters.
func listPublished(r *http.Request) (int, any, error) {
	offset, limit, err := sdk.Page(r)
	if err != nil {
		return 0, nil, err
	}
	req := sdk.From(r)
	q := req.Records("complaints").Query().Where("publish", sdk.Eq, true).Where("state", sdk.In, []string{StateAnswered, StateClosed}).
		OrderBy("answered_at", true).Page(offset, limit).WithTotal()
	if req.Level != sdk.Village {
		q = q.Subtree()
	}
	if v := r.URL.Query().Get("category"); v != "" {
		if !slices.Contains(categoryCodes(), v) {
			return 0, nil, badFilter("category must be one of %v", categoryCodes())
		}
		q = q.Where("category", sdk.Eq, v)
	}
	recs, total, err := q.Run(r.Context())
	if err != nil {
		return 0, nil, err
	}
	names, err := villageNames(r, len(recs) > 0)
	if err != nil {
		return 0, nil, err
	}
	items := make([]publishedItem, 0, len(recs))
	for i := range recs {
		c, err := decode(&recs[i])
		if err != nil {
			return 0, nil, err
		}
		items = append(items, publishedItem{Ref: c.Ref, Village: recs[i].Tenant, VillageName: names[recs[i].Tenant], Category: c.Category,
			CategoryName: categoryName(c.Category), Description: c.Description, Place: c.Place, State: c.State, SubmittedDate: c.SubmittedDate,
			Answer: c.Answer, AnsweredDate: c.AnsweredDate, AnsweredLevel: c.AnsweredLevel, ResponseDays: c.ResponseDays, OnTime: c.OnTime, Rating: c.Rating})
	}
	return http.StatusOK, sdk.ListOf[publishedItem]{Items: items, Total: total}, nil
}
