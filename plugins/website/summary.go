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

// keyTime reads a time of an aggregate's key: a Time field's RFC 3339
// text, or the created_at or updated_at pseudo-field, which the host
// groups by as whole milliseconds since 1970.
func keyTime(k []any, i int) (time.Time, bool) {
	if i < len(k) {
		if ms, ok := k[i].(float64); ok {
			return time.UnixMilli(int64(ms)).UTC(), true
		}
	}
	s := key(k, i)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
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
	// One aggregate with no filter on time: its shape never changes, so
	// the host keeps its per-village results until a village writes, and
	// the clock is applied here to one group per publish time.
	groups, err := req.Records("articles").Aggregate(ctx, sdk.Aggregation{
		GroupBy: []string{sdk.FieldTenant, "kind", "status", "publish_at"}, Subtree: req.Level != sdk.Village})
	if err != nil {
		return s, err
	}
	staff := req.Can(permRead)
	if staff {
		for _, row := range rows {
			row.Drafts, row.Scheduled = new(int64), new(int64)
		}
	}
	monthAgo := now.Add(-30 * 24 * time.Hour)
	for _, g := range groups {
		tenant, kind, status := key(g.Key, 0), key(g.Key, 1), key(g.Key, 2)
		at, dated := keyTime(g.Key, 3)
		row := rows[tenant]
		switch {
		case status == StatusDraft:
			if row != nil && staff {
				*row.Drafts += g.Count
			}
		case status != StatusPublished || !dated:
		case at.After(now):
			if row != nil && staff {
				*row.Scheduled += g.Count
			}
		default:
			if tenant == req.Tenant {
				if kind == KindPage {
					s.Own.Pages += g.Count
				} else {
					s.Own.News += g.Count
				}
			}
			if row == nil {
				continue
			}
			if kind == KindPage {
				row.Pages += g.Count
			} else {
				row.News += g.Count
				if at.After(monthAgo) {
					row.News30 += g.Count
				}
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
