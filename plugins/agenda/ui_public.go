package main

// The citizens' pages: the month's public agenda of a village (of every
// village, at a sub-district or regency), an event's page, and the small
// widget of the portal's village and regency homes. No image, no script:
// light on a cheap phone.

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

// dayGroup is one day of the public agenda.
type dayGroup struct {
	Day   string
	Items []publicItem
}

type publicItem struct {
	Href, Title, Time, Place, Village, Category, Cancelled, Repeats string
}

var daysT = template.Must(template.New("days").Parse(
	`{{range .}}<section class="b-card"><h2>{{.Day}}</h2><ul role="list" style="list-style:none;padding:0;margin:0">` +
		`{{range .Items}}<li style="margin:.5rem 0"><a href="{{.Href}}"><strong>{{.Title}}</strong></a>` +
		`{{if .Cancelled}} <span class="b-badge b-badge-danger">{{.Cancelled}}</span>{{end}}` +
		`<br><span>{{.Time}}</span>{{if .Place}} · <span>{{.Place}}</span>{{end}}` +
		`<br><span class="b-muted">{{.Category}}{{if .Village}} · {{.Village}}{{end}}{{if .Repeats}} · {{.Repeats}}{{end}}</span></li>{{end}}</ul></section>{{end}}`))

// publicHref is an event's public page: at its own village's address.
func publicHref(r *http.Request, v eventView) string {
	if v.Tenant == sdk.From(r).Tenant {
		return ui.Href(r, "/kegiatan/"+v.ID)
	}
	return "/" + v.Tenant + "/agenda/kegiatan/" + v.ID
}

// groupByDay groups occurrences by their day in the village's zone.
func groupByDay(r *http.Request, items []eventView, showVillage bool) []dayGroup {
	loc := sdk.From(r).Location()
	var out []dayGroup
	for _, v := range items {
		start := v.startAt.In(loc)
		day := longDate(r, start)
		if len(out) == 0 || out[len(out)-1].Day != day {
			out = append(out, dayGroup{Day: day})
		}
		it := publicItem{Href: publicHref(r, v), Title: v.Title, Place: v.Place,
			Time:     timeOfDay(r, v.AllDay, start, start.Add(v.data.duration()), loc),
			Category: categoryName(v.Category, lang(r))}
		if showVillage && v.TenantName != "" {
			it.Village = v.TenantName
		}
		if v.Status == statusCancelled {
			it.Cancelled = ui.Tr(r, "Dibatalkan", "Cancelled")
		}
		if v.RRule != "" {
			it.Repeats = ui.Tr(r, "rutin", "recurring")
		}
		out[len(out)-1].Items = append(out[len(out)-1].Items, it)
	}
	return out
}

// publicLimit is the occurrences one public page shows (a regency's
// month can hold thousands; the category filter narrows it).
const publicLimit = 60

// publicAgenda is the month's public agenda: by day, with a month
// navigation, a category filter and the calendar subscription.
func publicAgenda(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	name, err := tenantName(r)
	if err != nil {
		failPage(w, r, "Agenda", err)
		return
	}
	title := ui.Tr(r, "Agenda ", "Agenda of ") + name
	from, items, offset, limit, err := monthPage(r, publicLimit)
	if err != nil {
		failPage(w, r, title, err)
		return
	}
	shown := sdk.PageOf(items, offset, limit)
	body := []ui.Node{monthNav(r, from),
		ui.Form{Method: "GET", Submit: ui.Tr(r, "Tampilkan", "Show"), Values: r.URL.Query(), Fields: []ui.Field{
			{Name: "month", Type: "hidden"},
			{Name: "category", Label: ui.Tr(r, "Kategori", "Category"), Type: "select", Options: categoryOptions(r)},
		}},
	}
	if len(shown) == 0 {
		body = append(body, ui.HTML(template.HTML(`<p class="b-empty">`+template.HTMLEscapeString(ui.Tr(r, "Belum ada kegiatan publik bulan ini.", "No public events this month."))+`</p>`)))
	} else {
		var buf strings.Builder
		_ = daysT.Execute(&buf, groupByDay(r, shown, req.Level != sdk.Village))
		body = append(body, ui.HTML(template.HTML(buf.String())))
		if p := pager(r, len(items), offset/limit+1, limit); p != nil {
			body = append(body, p)
		}
	}
	body = append(body, ui.Section(ui.Tr(r, "Langganan kalender", "Subscribe"),
		ui.Text(ui.Tr(r, "Tambahkan agenda ini ke kalender ponsel Anda (Google Calendar, Kalender iPhone): tekan lama tautan di bawah, pilih “Salin alamat link”, lalu tempel di menu “Tambah kalender dari URL”. Kalender Anda akan ikut berubah bila jadwal berubah.",
			"Add this agenda to your phone's calendar (Google Calendar, iPhone Calendar): long-press the link below, choose “Copy link address” and paste it into “Add calendar from URL”. Your calendar follows every change.")),
		ui.HTML(template.HTML(`<p style="overflow-wrap:anywhere"><a id="ics-link" href="`+template.HTMLEscapeString(feedPath(r))+`">`+template.HTMLEscapeString(feedPath(r))+`</a></p>`))))
	ui.Render(w, r, ui.Page{Title: title + " — " + monthName(from), Body: body,
		Description: ui.Tr(r, "Jadwal kegiatan publik ", "Public events of ") + name + " — " + monthName(from)})
}

// publicEvent is a public event's page.
func publicEvent(w http.ResponseWriter, r *http.Request) {
	_, v, err := ui.CallAPI(r, getEvent, "GET", nil, nil, "id", r.PathValue("id"))
	if err != nil {
		failPage(w, r, ui.Tr(r, "Kegiatan", "Event"), err)
		return
	}
	ev := v.(eventView)
	loc := sdk.From(r).Location()
	s := ev.data
	body := []ui.Node{}
	if s.Status == statusCancelled {
		body = append(body, ui.HTML(template.HTML(`<p class="b-error" role="alert" id="cancelled">`+
			template.HTMLEscapeString(ui.Tr(r, "Kegiatan ini dibatalkan: ", "This event is cancelled: ")+s.CancelReason)+`</p>`)))
	}
	pairs := [][2]string{
		{ui.Tr(r, "Waktu", "When"), when(r, s.AllDay, s.StartAt, s.EndAt, loc)},
	}
	if s.RRule != "" {
		pairs = append(pairs, [2]string{ui.Tr(r, "Berulang", "Repeats"), describeRule(r, s.RRule, loc)})
	}
	pairs = append(pairs,
		[2]string{ui.Tr(r, "Tempat", "Place"), orDash(s.Place)},
		[2]string{ui.Tr(r, "Desa", "Village"), ev.TenantName},
		[2]string{ui.Tr(r, "Kategori", "Category"), categoryName(s.Category, lang(r))})
	if len(s.Officials) > 0 {
		pairs = append(pairs, [2]string{ui.Tr(r, "Dihadiri", "Attended by"), strings.Join(s.Officials, ", ")})
	}
	body = append(body, ui.DefinitionList(pairs...))
	if s.Description != "" {
		body = append(body, ui.Text(s.Description))
	}
	if s.RRule != "" && s.Status == statusScheduled {
		body = append(body, nextOccurrences(r, &s, loc))
	}
	body = append(body, ui.A(ui.Tr(r, "← Semua kegiatan", "← All events"), "/"))
	desc := when(r, s.AllDay, s.StartAt, s.EndAt, loc)
	if s.Place != "" {
		desc += " · " + s.Place
	}
	ui.Render(w, r, ui.Page{Title: s.Title, Body: body, Description: desc})
}

// widgetCount is the events the portal's widget lists.
const widgetCount = 5

// publicWidget is the portal's card: the next public events (of every
// village below, on a regency's home), a link to the agenda.
func publicWidget(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	today, _ := parseDate(req.Today(), req.Location())
	items, err := listFor(r, today, today.AddDate(0, 0, 60), "")
	if err != nil {
		failPage(w, r, "Agenda", err)
		return
	}
	var next []eventView
	for _, v := range items {
		if v.Status == statusScheduled && v.startAt.Add(v.data.duration()).After(req.Now()) {
			next = append(next, v)
			if len(next) == widgetCount {
				break
			}
		}
	}
	body := []ui.Node{}
	if len(next) == 0 {
		body = append(body, ui.Muted(ui.Tr(r, "Belum ada kegiatan dalam dua bulan ke depan.", "No events in the next two months.")))
	} else {
		loc := req.Location()
		var b strings.Builder
		b.WriteString(`<ul id="agenda-next">`)
		for _, v := range next {
			start := v.startAt.In(loc)
			line := ui.Date(start) + ", " + timeOfDay(r, v.AllDay, start, start.Add(v.data.duration()), loc)
			if req.Level != sdk.Village && v.TenantName != "" {
				line += " · " + v.TenantName
			}
			b.WriteString(`<li><a href="` + template.HTMLEscapeString(publicHref(r, v)) + `">` + template.HTMLEscapeString(v.Title) +
				`</a><br><span class="b-muted">` + template.HTMLEscapeString(line) + `</span></li>`)
		}
		b.WriteString(`</ul>`)
		body = append(body, ui.HTML(template.HTML(b.String())))
	}
	body = append(body, ui.A(ui.Tr(r, "Lihat agenda lengkap", "See the full agenda"), "/"))
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Agenda kegiatan", "Upcoming events"), Body: body})
}

// pager links to the previous and next pages of a list, keeping the
// query; nothing when it fits one page.
func pager(r *http.Request, total, page, limit int) ui.Node {
	pages := (total + limit - 1) / limit
	if pages <= 1 {
		return nil
	}
	link := func(n int) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		return "?" + q.Encode()
	}
	var b strings.Builder
	b.WriteString(`<nav class="b-pager" aria-label="` + template.HTMLEscapeString(ui.Tr(r, "Halaman", "Pages")) + `">`)
	if page > 1 {
		b.WriteString(`<a class="b-btn" rel="prev" href="` + template.HTMLEscapeString(link(page-1)) + `">‹</a>`)
	}
	b.WriteString("<span>" + strconv.Itoa(page) + " / " + strconv.Itoa(pages) + "</span>")
	if page < pages {
		b.WriteString(`<a class="b-btn" rel="next" href="` + template.HTMLEscapeString(link(page+1)) + `">›</a>`)
	}
	b.WriteString("</nav>")
	return ui.HTML(template.HTML(b.String()))
}
