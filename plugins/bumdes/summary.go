package main

import (
	"cmp"
	"net/http"
	"sort"
	"strconv"

	"github.com/balaidesa/balai/sdk"
)

// Summary is the answer of GET /summary?year= (public): the roll-up of the
// villages at or below the tenant where the module is enabled (villages
// with it off are left out), and of the BUMDes Bersama kept by districts
// below. Money is the year's reports summed, whole rupiah.
type Summary struct {
	Tenant string `json:"tenant"`
	Year   int    `json:"year"`
	// Villages counts the villages where the module is on; WithEnterprise
	// those with their own BUM Desa.
	Villages       int `json:"villages"`
	WithEnterprise int `json:"with_enterprise"`
	Joint          int `json:"joint_enterprises"`
	// ByClassification counts enterprises (own and joint) by their latest
	// classification, "none" when never assessed.
	ByClassification map[string]int   `json:"by_classification"`
	Units            int64            `json:"units"`
	Reports          int64            `json:"reports"`
	Revenue          int64            `json:"revenue"`
	Costs            int64            `json:"costs"`
	Profit           int64            `json:"profit"`
	PADes            int64            `json:"pades"`
	Items            []VillageSummary `json:"items"`
	Total            int              `json:"total"`
	JointItems       []JointSummary   `json:"joint"`
}

// VillageSummary is one village's row: its own enterprise and the year's
// reports of its units.
type VillageSummary struct {
	Village            string `json:"village"`
	Name               string `json:"name"`
	District           string `json:"district,omitempty"`
	Enterprise         string `json:"enterprise,omitempty"`
	EnterpriseName     string `json:"enterprise_name,omitempty"`
	Classification     string `json:"classification,omitempty"`
	ClassificationYear int    `json:"classification_year,omitempty"`
	Units              int64  `json:"units"`
	Reports            int64  `json:"reports"`
	Revenue            int64  `json:"revenue"`
	Profit             int64  `json:"profit"`
	PADes              int64  `json:"pades"`
}

// JointSummary is a BUMDes Bersama's row, at the district keeping it
// and above. At a member village the summary lists the BUMDes Bersama the
// village belongs to with Member true: it counts in Joint and
// ByClassification there, but its units and figures stay zero and out of
// the village's totals, because they are the district's (which a village
// cannot read) and belong to all members at once. A district's or
// regency's summary reads the enterprises themselves, never the members'
// copies, so each BUMDes Bersama counts once however many member villages
// it has.
type JointSummary struct {
	Enterprise     string   `json:"enterprise"`
	District       string   `json:"district"`
	Name           string   `json:"name"`
	Members        []string `json:"members"`
	Classification string   `json:"classification,omitempty"`
	Units          int64    `json:"units"`
	Reports        int64    `json:"reports"`
	Revenue        int64    `json:"revenue"`
	Profit         int64    `json:"profit"`
	PADes          int64    `json:"pades"`
	Member         bool     `json:"member,omitempty"`
}

// getSummary answers GET /summary?year=&page=&limit= (page and limit
// apply to items).
func getSummary(r *http.Request) (int, any, error) {
	year, err := queryYear(r)
	if err != nil {
		return 0, nil, err
	}
	off, limit, err := sdk.Page(r)
	if err != nil {
		return 0, nil, err
	}
	s, err := buildSummary(r, year)
	if err != nil {
		return 0, nil, err
	}
	s.Total = len(s.Items)
	s.Items = sdk.PageOf(s.Items, off, limit)
	return http.StatusOK, s, nil
}

// buildSummary reads the tenants below and three aggregates/queries,
// whatever the number of villages.
func buildSummary(r *http.Request, year int) (*Summary, error) {
	req := sdk.From(r)
	ctx := r.Context()
	s := &Summary{Tenant: req.Tenant, Year: year, Items: []VillageSummary{}, JointItems: []JointSummary{}, ByClassification: map[string]int{"none": 0}}
	for _, c := range classifications {
		s.ByClassification[c.Code] = 0
	}
	villages, districts, err := req.VillagesWith(ctx, pluginID)
	if err != nil {
		return nil, err
	}
	byVillage := make(map[string]*VillageSummary, len(villages))
	s.Items = make([]VillageSummary, len(villages))
	for i, v := range villages {
		s.Items[i] = VillageSummary{Village: v.Code, Name: v.Name, District: districts[v.Parent]}
		byVillage[v.Code] = &s.Items[i]
	}
	s.Villages = len(villages)
	// Enterprises are one per village plus a few joint ones: a regency's
	// are read in pages of 500.
	byEnterprise := map[string]func(units, reports int64, revenue, profit, pades int64){}
	joint := map[string]*JointSummary{}
	for off := 0; ; off += 500 {
		q := req.Records("enterprises").Query().OrderBy(sdk.FieldID, false).Page(off, 500)
		if req.Level != sdk.Village {
			q.Subtree()
		}
		recs, _, err := q.Run(ctx)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			var e enterprise
			if err := rec.Decode(&e); err != nil {
				return nil, err
			}
			class := e.Classification
			if class == "" {
				class = "none"
			}
			if e.Kind == KindBersama {
				j := &JointSummary{Enterprise: rec.ID, District: rec.Tenant, Name: e.Name, Members: e.Members, Classification: e.Classification}
				joint[rec.ID] = j
				s.ByClassification[class]++
				continue
			}
			v := byVillage[rec.Tenant]
			if v == nil {
				continue
			}
			v.Enterprise, v.EnterpriseName, v.Classification, v.ClassificationYear = rec.ID, e.Name, e.Classification, e.ClassificationYear
			s.WithEnterprise++
			s.ByClassification[class]++
		}
		if len(recs) < 500 {
			break
		}
	}
	for id, j := range joint {
		j := j
		byEnterprise[id] = func(units, reports, revenue, profit, pades int64) {
			j.Units += units
			j.Reports += reports
			j.Revenue += revenue
			j.Profit += profit
			j.PADes += pades
		}
	}
	units, err := req.Records("units").Aggregate(ctx, sdk.Aggregation{GroupBy: []string{sdk.FieldTenant, "enterprise_id"}, Subtree: req.Level != sdk.Village,
		Where: []sdk.Filter{{Field: "active", Op: sdk.Eq, Value: true}}})
	if err != nil {
		return nil, err
	}
	for _, g := range units {
		t, id := str(g.Key[0]), str(g.Key[1])
		if v := byVillage[t]; v != nil && v.Enterprise == id {
			v.Units += g.Count
		} else if f := byEnterprise[id]; f != nil {
			f(g.Count, 0, 0, 0, 0)
		}
	}
	reports, err := req.Records("reports").Aggregate(ctx, sdk.Aggregation{GroupBy: []string{sdk.FieldTenant, "enterprise_id"}, Subtree: req.Level != sdk.Village,
		Sum: []string{"revenue", "costs", "profit", "pades"}, Where: []sdk.Filter{{Field: "year", Op: sdk.Eq, Value: year}}})
	if err != nil {
		return nil, err
	}
	for _, g := range reports {
		t, id := str(g.Key[0]), str(g.Key[1])
		revenue, costs, profit, pades := int64(g.Sums[0]), int64(g.Sums[1]), int64(g.Sums[2]), int64(g.Sums[3])
		if v := byVillage[t]; v != nil && v.Enterprise == id {
			v.Reports += g.Count
			v.Revenue += revenue
			v.Profit += profit
			v.PADes += pades
		} else if f := byEnterprise[id]; f != nil {
			f(0, g.Count, revenue, profit, pades)
		} else {
			continue
		}
		s.Reports += g.Count
		s.Revenue += revenue
		s.Costs += costs
		s.Profit += profit
		s.PADes += pades
	}
	for _, v := range s.Items {
		s.Units += v.Units
	}
	for _, j := range joint {
		s.Units += j.Units
		s.JointItems = append(s.JointItems, *j)
	}
	if req.Level == sdk.Village {
		ms, err := memberships(ctx, req)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			s.JointItems = append(s.JointItems, JointSummary{Enterprise: m.ID, District: m.Tenant, Name: m.Name, Members: m.Members,
				Classification: m.Classification, Member: true})
			s.ByClassification[cmp.Or(m.Classification, "none")]++
		}
	}
	s.Joint = len(s.JointItems)
	sort.Slice(s.JointItems, func(a, b int) bool { return s.JointItems[a].Name < s.JointItems[b].Name })
	return s, nil
}

// str reads a group key as text (numbers as integers).
func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatInt(int64(x), 10)
	}
	return ""
}
