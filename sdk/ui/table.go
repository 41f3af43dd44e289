package ui

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Table is a list of records: sortable columns, filters above, a pager
// below. Sorting, filtering and paging are links and a GET form with the
// values in the query (?sort=-name&page=2&limit=50&status=aktif), so they
// work without JavaScript; the handler reads them (sdk.Page reads page and
// limit; SortParam the sort) and fills Rows with the page asked.
type Table struct {
	Columns []Column
	Rows    []Row
	// Total is the number of records over every page; Page the page shown
	// (from 1) and Limit the rows per page. With Limit 0 there is no pager.
	Total, Page, Limit int
	// Sort is the sort in effect: a column Key, "-" in front for
	// descending.
	Sort string
	// Filters are fields of the filter form; their values are kept from
	// the query.
	Filters []Field
	// Empty is shown when there are no rows ("Belum ada penduduk.");
	// empty gives the package's words.
	Empty string
	// Caption names the table for screen readers; optional.
	Caption string
}

// Column is a table column; a Sortable one's heading is a link that sorts
// by Key (then, clicked again, the other way).
type Column struct {
	Key, Label string
	Sortable   bool
}

// Row is a table row: one cell per column. With Href (page-root-relative)
// the first cell links to the record.
type Row struct {
	Cells []Node
	Href  string
}

// Cell is a text cell.
func Cell(s string) Node {
	return NodeFunc(func(*http.Request) template.HTML { return template.HTML(template.HTMLEscapeString(s)) })
}

// SortParam is the ?sort= of r if it names one of the sortable columns
// (with or without a leading "-"), else def: a handler passes it on to its
// query safely.
func SortParam(r *http.Request, cols []Column, def string) string {
	s := r.URL.Query().Get("sort")
	key := strings.TrimPrefix(s, "-")
	for _, c := range cols {
		if c.Sortable && c.Key == key {
			return s
		}
	}
	return def
}

// HTML writes the filters, the table and the pager.
func (tb Table) HTML(r *http.Request) template.HTML {
	q := r.URL.Query()
	var b strings.Builder
	if len(tb.Filters) > 0 {
		b.WriteString(`<form class="b-filters" method="get" role="search">`)
		for _, f := range tb.Filters {
			b.WriteString(string(fieldHTML(r, f, q, nil, "")))
		}
		if s := q.Get("sort"); s != "" {
			b.WriteString(string(run(hiddenT, map[string]string{"Name": "sort", "Value": s})))
		}
		b.WriteString(`<div class="b-actions"><button class="b-btn" type="submit">` + template.HTMLEscapeString(t(r, "filter")) + `</button>`)
		b.WriteString(string(run(aBtnT, map[string]string{"Label": t(r, "reset"), "Href": "?"})))
		b.WriteString(`</div></form>`)
	}
	if len(tb.Rows) == 0 {
		empty := tb.Empty
		if empty == "" {
			empty = t(r, "empty")
		}
		b.WriteString(`<p class="b-empty">` + template.HTMLEscapeString(empty) + `</p>`)
		return template.HTML(b.String())
	}
	b.WriteString(`<div class="b-table-wrap"><table class="b-table">`)
	if tb.Caption != "" {
		b.WriteString("<caption>" + template.HTMLEscapeString(tb.Caption) + "</caption>")
	}
	b.WriteString("<thead><tr>")
	for _, c := range tb.Columns {
		b.WriteString(string(headCell(r, q, c, tb.Sort)))
	}
	b.WriteString("</tr></thead><tbody>")
	for _, row := range tb.Rows {
		b.WriteString("<tr>")
		for i, cell := range row.Cells {
			var inner template.HTML
			if cell != nil {
				inner = cell.HTML(r)
			}
			if i == 0 && row.Href != "" {
				inner = run(aRawT, map[string]any{"Inner": inner, "Href": Href(r, row.Href)})
			}
			b.WriteString("<td>" + string(inner) + "</td>")
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table></div>")
	b.WriteString(string(tb.pager(r, q)))
	return template.HTML(b.String())
}

var (
	hiddenT = template.Must(template.New("hidden").Parse(`<input type="hidden" name="{{.Name}}" value="{{.Value}}">`))
	aBtnT   = template.Must(template.New("abtn").Parse(`<a class="b-btn" href="{{.Href}}">{{.Label}}</a>`))
	aRawT   = template.Must(template.New("araw").Parse(`<a href="{{.Href}}">{{.Inner}}</a>`))
	thT     = template.Must(template.New("th").Parse(
		`<th scope="col"{{if .Aria}} aria-sort="{{.Aria}}"{{end}}>{{if .Href}}<a href="{{.Href}}" title="{{.Title}}">{{.Label}}{{.Arrow}}</a>{{else}}{{.Label}}{{end}}</th>`))
	pagerT = template.Must(template.New("pager").Parse(
		`<nav class="b-pager" aria-label="{{.Aria}}">` +
			`{{if .Prev}}<a class="b-btn" href="{{.Prev}}" rel="prev">{{.PrevLabel}}</a>{{end}}` +
			`<span>{{.Where}}</span><span class="b-muted">{{.Total}}</span>` +
			`{{if .Next}}<a class="b-btn" href="{{.Next}}" rel="next">{{.NextLabel}}</a>{{end}}</nav>`))
)

// headCell is a column heading; a sortable one links to the same query
// sorted by it (ascending, or descending if it is the ascending sort now),
// back on the first page.
func headCell(r *http.Request, q url.Values, c Column, sort string) template.HTML {
	data := map[string]string{"Label": c.Label}
	if c.Sortable {
		next, aria, arrow := c.Key, "", ""
		switch sort {
		case c.Key:
			next, aria, arrow = "-"+c.Key, "ascending", " ▲"
		case "-" + c.Key:
			aria, arrow = "descending", " ▼"
		}
		data["Href"] = "?" + with(q, "sort", next, "page", "").Encode()
		data["Aria"], data["Arrow"] = aria, arrow
		data["Title"] = fmt.Sprintf(t(r, "sort_by"), c.Label)
	}
	return run(thT, data)
}

// pager links to the previous and next pages, keeping the rest of the query.
func (tb Table) pager(r *http.Request, q url.Values) template.HTML {
	if tb.Limit <= 0 || tb.Total < 0 {
		return ""
	}
	page := max(tb.Page, 1)
	pages := max((tb.Total+tb.Limit-1)/tb.Limit, 1)
	data := map[string]string{
		"Aria": t(r, "pager"), "PrevLabel": t(r, "prev"), "NextLabel": t(r, "next"),
		"Where": fmt.Sprintf(t(r, "page_of"), page, pages),
		"Total": fmt.Sprintf(t(r, "total"), Number(uint64(tb.Total))),
	}
	if page > 1 {
		data["Prev"] = "?" + with(q, "page", strconv.Itoa(page-1)).Encode()
	}
	if page < pages {
		data["Next"] = "?" + with(q, "page", strconv.Itoa(page+1)).Encode()
	}
	return run(pagerT, data)
}

// with is a copy of q with the given key, value pairs set (an empty value
// removes the key).
func with(q url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			out.Del(kv[i])
		} else {
			out.Set(kv[i], kv[i+1])
		}
	}
	return out
}
