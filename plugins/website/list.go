package main

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/balaidesa/balai/sdk"
)

// listQuery is what GET /articles was asked, checked.
type listQuery struct {
	Kind, Category, Status, Village string
	Offset, Limit                   int
}

// parseList reads ?kind=&category=&status=&village=&page=&limit=.
// status is published unless a caller holding website.articles.read asks
// for draft, scheduled or all.
func parseList(r *http.Request) (listQuery, error) {
	req := sdk.From(r)
	q := r.URL.Query()
	var lq listQuery
	var err error
	if lq.Offset, lq.Limit, err = sdk.Page(r); err != nil {
		return lq, err
	}
	lq.Kind, lq.Category, lq.Status, lq.Village = q.Get("kind"), q.Get("category"), q.Get("status"), q.Get("village")
	if lq.Kind != "" && lq.Kind != KindNews && lq.Kind != KindPage {
		return lq, sdk.Errorf(http.StatusBadRequest, codeInvalidKind, "kind must be news or page")
	}
	if lq.Category != "" {
		c, ok := category(lq.Category)
		if !ok || (lq.Kind != "" && c.Kind != lq.Kind) {
			return lq, sdk.Errorf(http.StatusBadRequest, codeInvalidCategory, "category must be one of %s (GET /categories)", categoryCodes(lq.Kind))
		}
	}
	switch lq.Status {
	case "":
		lq.Status = StatusPublished
	case StatusPublished:
	case StatusDraft, StatusScheduled, "all":
		if !req.Can(permRead) {
			return lq, sdk.Errorf(http.StatusForbidden, codeForbiddenFilter, "status=%s needs %s here: the public sees published articles only", lq.Status, permRead)
		}
	default:
		return lq, sdk.Errorf(http.StatusBadRequest, codeInvalidStatus, "status must be published, scheduled, draft or all")
	}
	return lq, nil
}

// articleQuery builds the storage query of lq at now: across the region
// below a district or regency (where the website is enabled), or one
// tenant of it with ?village=.
func articleQuery(req *sdk.Request, lq listQuery, nm map[string]string, now time.Time) (*sdk.Query, error) {
	q := req.Records("articles").Query()
	if req.Level != sdk.Village {
		q.Subtree()
	}
	if lq.Village != "" && lq.Village != req.Tenant {
		if _, ok := nm[lq.Village]; !ok || req.Level == sdk.Village {
			return nil, sdk.Errorf(http.StatusBadRequest, codeInvalidVillage, "%s is not a tenant below %s", lq.Village, req.Tenant)
		}
		q.Where(sdk.FieldTenant, sdk.Eq, lq.Village)
	} else if lq.Village == req.Tenant && req.Level != sdk.Village {
		q.Where(sdk.FieldTenant, sdk.Eq, req.Tenant)
	}
	if lq.Kind != "" {
		q.Where("kind", sdk.Eq, lq.Kind)
	}
	if lq.Category != "" {
		q.Where("category", sdk.Eq, lq.Category)
	}
	switch lq.Status {
	case StatusPublished:
		q.Where("status", sdk.Eq, StatusPublished).Where("publish_at", sdk.Le, now.UTC()).
			OrderBy("publish_at", true).OrderBy(sdk.FieldID, false)
	case StatusScheduled:
		q.Where("status", sdk.Eq, StatusPublished).Where("publish_at", sdk.Gt, now.UTC()).
			OrderBy("publish_at", false).OrderBy(sdk.FieldID, false)
	case StatusDraft:
		q.Where("status", sdk.Eq, StatusDraft).OrderBy(sdk.FieldUpdatedAt, true).OrderBy(sdk.FieldID, false)
	default:
		q.OrderBy(sdk.FieldUpdatedAt, true).OrderBy(sdk.FieldID, false)
	}
	return q.Page(lq.Offset, lq.Limit), nil
}

// listArticles answers GET /articles: published articles, newest first,
// of the tenant and (at a district or regency) of every tenant below it
// with the website; {"items":[...],"total":N}. Items carry no body.
func listArticles(r *http.Request) (int, any, error) {
	lq, err := parseList(r)
	if err != nil {
		return 0, nil, err
	}
	out, err := list(r.Context(), sdk.From(r), lq)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, out, nil
}

func list(ctx context.Context, req *sdk.Request, lq listQuery) (sdk.ListOf[articleView], error) {
	now := req.Now()
	nm, _, err := names(ctx, req)
	if err != nil {
		return sdk.ListOf[articleView]{}, err
	}
	q, err := articleQuery(req, lq, nm, now)
	if err != nil {
		return sdk.ListOf[articleView]{}, err
	}
	recs, total, err := q.WithTotal().Run(ctx)
	if err != nil {
		return sdk.ListOf[articleView]{}, err
	}
	staff := req.Can(permRead)
	out := sdk.ListOf[articleView]{Items: make([]articleView, 0, len(recs)), Total: total}
	for i := range recs {
		var a Article
		if err := recs[i].Decode(&a); err != nil {
			return out, err
		}
		out.Items = append(out.Items, view(&recs[i], &a, nm, now, false, staff))
	}
	return out, nil
}

// villagesWithWebsite are the villages below the request's tenant where
// the website is enabled, by code.
func villagesWithWebsite(below []sdk.Tenant) []sdk.Tenant {
	var out []sdk.Tenant
	for _, t := range below {
		if t.Level == sdk.Village && slices.Contains(t.Modules, pluginID) {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b sdk.Tenant) int {
		if a.Code < b.Code {
			return -1
		}
		if a.Code > b.Code {
			return 1
		}
		return 0
	})
	return out
}
