package ui

import (
	"html/template"
	"net/http"
	"strconv"
)

// Pager is the compact pager of a page that draws its own list (cards, a
// gallery, a catalogue): "‹ 2 / 5 ›" (class b-pager), the arrows linking
// to the previous and next pages with the page's query kept, ?page= set
// and ?limit= dropped (the page's own limit holds). It shows nothing when
// everything fits on one page. A Table has its own, fuller pager.
type Pager struct {
	// Total is how many items the list has, Page the page shown (from 1)
	// and Limit how many a page shows.
	Total, Page, Limit int
	// Label names the navigation for screen readers; empty is the
	// package's "Halaman" / "Pages".
	Label string
}

var compactPagerT = template.Must(template.New("compact-pager").Parse(
	`<nav class="b-pager" aria-label="{{.Aria}}">{{if .Prev}}<a class="b-btn" href="{{.Prev}}" rel="prev">‹</a>{{end}}` +
		`<span>{{.Where}}</span>{{if .Next}}<a class="b-btn" href="{{.Next}}" rel="next">›</a>{{end}}</nav>`))

// HTML writes the pager.
func (p Pager) HTML(r *http.Request) template.HTML {
	if p.Limit <= 0 {
		return ""
	}
	pages := max((p.Total+p.Limit-1)/p.Limit, 1)
	if pages == 1 {
		return ""
	}
	page := max(p.Page, 1)
	link := func(n int) string { return "?" + with(r.URL.Query(), "page", strconv.Itoa(n), "limit", "").Encode() }
	data := map[string]string{"Aria": p.Label, "Where": strconv.Itoa(page) + " / " + strconv.Itoa(pages)}
	if data["Aria"] == "" {
		data["Aria"] = t(r, "pager")
	}
	if page > 1 {
		data["Prev"] = link(page - 1)
	}
	if page < pages {
		data["Next"] = link(page + 1)
	}
	return run(compactPagerT, data)
}
