package main

import (
	"encoding/xml"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/gorilla/feeds"
)

// feedEntries is how many articles the Atom feed holds: the newest.
const feedEntries = 30

// maxSitemapURLs is the sitemap protocol's bound on one file
// (sitemaps.org): the newest articles past it are left out.
const maxSitemapURLs = 50_000

var hostRE = regexp.MustCompile(`^([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$`)

// baseURL is the absolute address feeds and sitemaps link with: the
// deployment's configured public address (balai serve --public-url), else
// the address the caller reached the portal on (the host passes it as
// X-Forwarded-Host and -Proto).
func baseURL(r *http.Request) string {
	if u := sdk.PublicURL(r); u != "" {
		return strings.TrimSuffix(u, "/")
	}
	first := func(v string) string { return strings.TrimSpace(strings.Split(v, ",")[0]) }
	host, proto := first(r.Header.Get("X-Forwarded-Host")), first(r.Header.Get("X-Forwarded-Proto"))
	if !hostRE.MatchString(host) || (proto != "http" && proto != "https") {
		host, proto = r.Host, "http"
		if !hostRE.MatchString(host) {
			host = "localhost"
		}
	}
	return proto + "://" + host
}

// serveFeed answers GET /feed.xml: an Atom feed (RFC 4287) of the newest
// published news and pages of the tenant and every tenant below it with
// the website, each entry linking to its public page, its summary the
// lead and its content the rendered article.
func serveFeed(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	ctx := r.Context()
	now := req.Now()
	nm, _, err := names(ctx, req)
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	q, err := articleQuery(req, listQuery{Status: StatusPublished, Limit: feedEntries}, nm, now)
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	recs, _, err := q.Run(ctx)
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	base := baseURL(r)
	home := base + "/" + req.Tenant + "/" + pluginID + "/"
	f := &feeds.Feed{
		Title:       "Berita " + nm[req.Tenant],
		Link:        &feeds.Link{Href: home},
		Description: "Berita dan halaman " + nm[req.Tenant],
		Author:      &feeds.Author{Name: nm[req.Tenant]},
		Id:          home,
		Updated:     time.Unix(0, 0).UTC(),
	}
	for i := range recs {
		var a Article
		if err := recs[i].Decode(&a); err != nil {
			sdk.FailErr(w, r, err)
			return
		}
		link := base + pageURL(recs[i].Tenant, a.Slug)
		updated := recs[i].UpdatedAt
		if a.PublishAt.After(updated) {
			updated = *a.PublishAt
		}
		if updated.After(f.Updated) {
			f.Updated = updated
		}
		f.Items = append(f.Items, &feeds.Item{
			Title: a.Title, Link: &feeds.Link{Href: link}, Id: link,
			Author:      &feeds.Author{Name: nm[recs[i].Tenant]},
			Description: a.Summary, Content: RenderMarkdown(a.Body),
			Created: *a.PublishAt, Updated: updated,
		})
	}
	if len(f.Items) == 0 {
		f.Updated = now.UTC()
	}
	atom, err := f.ToAtom()
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/atom+xml; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=300")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(atom))
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type urlset struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

// serveSitemap answers GET /sitemap.xml (sitemaps.org 0.9): the news
// pages of the tenant and of every tenant below it with the website, and
// every published article's page with its last change, newest first, at
// most 50,000 addresses.
func serveSitemap(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	ctx := r.Context()
	now := req.Now()
	nm, below, err := names(ctx, req)
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	base := baseURL(r)
	set := urlset{URLs: []sitemapURL{{Loc: base + "/" + req.Tenant + "/" + pluginID + "/"}}}
	for _, t := range below {
		if containsModule(t) {
			set.URLs = append(set.URLs, sitemapURL{Loc: base + "/" + t.Code + "/" + pluginID + "/"})
		}
	}
	// Only the slugs and dates are needed: an aggregate of one group per
	// article reads them without the bodies, and with no filter on time
	// its shape is constant, so the host keeps each village's part until
	// that village writes. The clock is applied here.
	groups, err := req.Records("articles").Aggregate(ctx, sdk.Aggregation{
		GroupBy: []string{sdk.FieldTenant, "slug", "publish_at", sdk.FieldUpdatedAt}, Subtree: req.Level != sdk.Village,
		Where: []sdk.Filter{{Field: "status", Op: sdk.Eq, Value: StatusPublished}}})
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	type entry struct {
		loc             string
		at, lastChanged time.Time
	}
	var entries []entry
	for _, g := range groups {
		at, ok := keyTime(g.Key, 2)
		if !ok || at.After(now) {
			continue
		}
		changed, _ := keyTime(g.Key, 3)
		if _, ok := nm[key(g.Key, 0)]; !ok {
			continue
		}
		entries = append(entries, entry{loc: base + pageURL(key(g.Key, 0), key(g.Key, 1)), at: at, lastChanged: changed})
	}
	sort.Slice(entries, func(i, j int) bool {
		if !entries[i].at.Equal(entries[j].at) {
			return entries[i].at.After(entries[j].at)
		}
		return entries[i].loc < entries[j].loc
	})
	for _, e := range entries {
		if len(set.URLs) >= maxSitemapURLs {
			break
		}
		u := sitemapURL{Loc: e.loc}
		if !e.lastChanged.IsZero() {
			u.LastMod = e.lastChanged.UTC().Format(time.RFC3339)
		}
		set.URLs = append(set.URLs, u)
	}
	out, err := xml.Marshal(set)
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/xml; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=600")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(xml.Header))
	w.Write(out)
}

func containsModule(t sdk.Tenant) bool {
	for _, m := range t.Modules {
		if m == pluginID {
			return true
		}
	}
	return false
}
