package main

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
)

// villageRow is one village of a summary. Drafts and Scheduled are given
// only to a caller holding website.articles.read.
type villageRow struct {
	Code         string `json:"code"`
	Name         string `json:"name"`
	District     string `json:"district,omitempty"`
	DistrictName string `json:"district_name,omitempty"`
	News         int64  `json:"news"`
	Pages        int64  `json:"pages"`
	News30       int64  `json:"news_30d"`
	Scheduled    *int64 `json:"scheduled,omitempty"`
	Drafts       *int64 `json:"drafts,omitempty"`
}

// summaryView is GET /summary: the villages below the tenant with the
// website (the tenant itself at a village), their published news and
// pages and the news of the last 30 days; the totals are the villages'
// sums only (a district's or regency's own articles are in Own).
type summaryView struct {
	Tenant           Place        `json:"tenant"`
	Level            sdk.Level    `json:"level"`
	Villages         int          `json:"villages"`
	VillagesWithNews int          `json:"villages_with_news"`
	News             int64        `json:"news"`
	Pages            int64        `json:"pages"`
	News30           int64        `json:"news_30d"`
	Own              ownCounts    `json:"own"`
	Items            []villageRow `json:"items"`
	Total            int          `json:"total"`
}

type ownCounts struct {
	News  int64 `json:"news"`
	Pages int64 `json:"pages"`
}

func getSummary(r *http.Request) (int, any, error) {
	s, err := summarize(r.Context(), sdk.From(r))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s, nil
}

func key(k []any, i int) string {
	if i < len(k) {
		if s, ok := k[i].(string); ok {
			return s
		}
	}
	return ""
}

func summarize(ctx context.Context, req *sdk.Request) (summaryView, error) {
	now := req.Now().UTC()
	nm, below, err := names(ctx, req)
	if err != nil {
		return summaryView{}, err
	}
	s := summaryView{Tenant: Place{Code: req.Tenant, Name: nm[req.Tenant]}, Level: req.Level, Items: []villageRow{}}
	rows := map[string]*villageRow{}
	if req.Level == sdk.Village {
		rows[req.Tenant] = &villageRow{Code: req.Tenant, Name: nm[req.Tenant]}
	}
	for _, t := range villagesWithWebsite(below) {
		rows[t.Code] = &villageRow{Code: t.Code, Name: t.Name, District: t.Parent, DistrictName: nm[t.Parent]}
	}
	sub := req.Level != sdk.Village
	published := []sdk.Filter{{Field: "status", Op: sdk.Eq, Value: StatusPublished}, {Field: "publish_at", Op: sdk.Le, Value: now}}
	groups, err := req.Records("articles").Aggregate(ctx, sdk.Aggregation{GroupBy: []string{sdk.FieldTenant, "kind"}, Subtree: sub, Where: published})
	if err != nil {
		return s, err
	}
	for _, g := range groups {
		tenant, kind := key(g.Key, 0), key(g.Key, 1)
		if row, ok := rows[tenant]; ok {
			if kind == KindPage {
				row.Pages += g.Count
			} else {
				row.News += g.Count
			}
		}
		if tenant == req.Tenant {
			if kind == KindPage {
				s.Own.Pages += g.Count
			} else {
				s.Own.News += g.Count
			}
		}
	}
	recent := append(slices.Clone(published), sdk.Filter{Field: "kind", Op: sdk.Eq, Value: KindNews},
		sdk.Filter{Field: "publish_at", Op: sdk.Gt, Value: now.Add(-30 * 24 * time.Hour)})
	if groups, err = req.Records("articles").Aggregate(ctx, sdk.Aggregation{GroupBy: []string{sdk.FieldTenant}, Subtree: sub, Where: recent}); err != nil {
		return s, err
	}
	for _, g := range groups {
		if row, ok := rows[key(g.Key, 0)]; ok {
			row.News30 += g.Count
		}
	}
	if req.Can(permRead) {
		for _, row := range rows {
			row.Drafts, row.Scheduled = new(int64), new(int64)
		}
		groups, err := req.Records("articles").Aggregate(ctx, sdk.Aggregation{GroupBy: []string{sdk.FieldTenant}, Subtree: sub,
			Where: []sdk.Filter{{Field: "status", Op: sdk.Eq, Value: StatusDraft}}})
		if err != nil {
			return s, err
		}
		for _, g := range groups {
			if row, ok := rows[key(g.Key, 0)]; ok {
				*row.Drafts += g.Count
			}
		}
		groups, err = req.Records("articles").Aggregate(ctx, sdk.Aggregation{GroupBy: []string{sdk.FieldTenant}, Subtree: sub,
			Where: []sdk.Filter{{Field: "status", Op: sdk.Eq, Value: StatusPublished}, {Field: "publish_at", Op: sdk.Gt, Value: now}}})
		if err != nil {
			return s, err
		}
		for _, g := range groups {
			if row, ok := rows[key(g.Key, 0)]; ok {
				*row.Scheduled += g.Count
			}
		}
	}
	for _, row := range rows {
		s.Items = append(s.Items, *row)
		s.News += row.News
		s.Pages += row.Pages
		s.News30 += row.News30
		if row.News > 0 {
			s.VillagesWithNews++
		}
	}
	slices.SortFunc(s.Items, func(a, b villageRow) int {
		if c := strings.Compare(a.DistrictName, b.DistrictName); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	s.Villages, s.Total = len(s.Items), len(s.Items)
	return s, nil
}
