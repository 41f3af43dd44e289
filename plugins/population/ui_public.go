package main

// The population register's public widget (issue 13): the summary a
// citizen sees on a village's (or the regency's) public home in the portal.

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

// smallCell is the least count the public summary of a single village
// shows by sex: below it, a count could point at a person (as for GET
// /stats, which needs a login at a village), so only the total is shown.
const smallCell = 5

// pagePublicSummary is the public widget: living residents in the tenant
// (and below it, at a district or above), by sex. Only counts leave the
// plugin. At a single village, when either sex counts fewer than
// smallCell, the split is left out and only the total shown.
func pagePublicSummary(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	groups, err := req.Records("residents").Aggregate(r.Context(), sdk.Aggregation{GroupBy: []string{"sex"}, Subtree: req.Level != sdk.Village, Where: alive})
	if err != nil {
		fail(w, r, fmt.Errorf("counting residents by sex: %w", err))
		return
	}
	var total, l, p int64
	for _, g := range groups {
		total += g.Count
		switch keyString(g.Key[0]) {
		case "L":
			l += g.Count
		case "P":
			p += g.Count
		}
	}
	split := req.Level != sdk.Village || ((l == 0 || l >= smallCell) && (p == 0 || p >= smallCell))
	title := ui.Tr(r, "Penduduk", "Residents")
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set(sdk.PageHeader, "fragment")
	h.Set(sdk.PageTitleHeader, url.PathEscape(title))
	var b []byte
	b = append(b, `<dl class="b-dl b-stats" id="population-summary">`...)
	row := func(id, label string, n int64) {
		b = append(b, `<dt>`...)
		b = append(b, template.HTMLEscapeString(label)...)
		b = append(b, `</dt><dd id="`+id+`" data-count="`+strconv.FormatInt(n, 10)+`">`...)
		b = append(b, template.HTMLEscapeString(groupThousands(n))...)
		b = append(b, `</dd>`...)
	}
	row("population-total", ui.Tr(r, "Penduduk hidup", "Living residents"), total)
	if split {
		row("population-male", sexName(r, "L"), l)
		row("population-female", sexName(r, "P"), p)
	}
	b = append(b, `</dl>`...)
	_, _ = w.Write(b)
}

// groupThousands writes n with Indonesian thousands dots: 12.345.
func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, '.')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}
