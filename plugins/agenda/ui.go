package main

// The clerks' screens in the console: the month's agenda (at a
// sub-district or regency, with the public events of every village
// below), an event's page with its officials' double bookings, the form
// that creates and edits an event, the cancellation, and the per-village
// roll-up of a sub-district or regency. Every screen calls the API's own
// handlers (ui.CallAPI), so its rules, checks and events are the API's.

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

func pages() []sdk.PageRoute {
	h := func(f func(http.ResponseWriter, *http.Request)) http.Handler { return http.HandlerFunc(f) }
	return []sdk.PageRoute{
		{Method: "GET", Path: "/events", Permission: permRead, Handler: h(consoleList),
			Menu: &sdk.MenuEntry{Label: "Agenda", LabelEN: "Agenda", Icon: "calendar", Order: 80}},
		{Method: "GET", Path: "/events/new", Permission: permWrite, Handler: h(newPage)},
		{Method: "POST", Path: "/events/new", Permission: permWrite, MaxBodyBytes: 64 << 10, Handler: h(createPage)},
		{Method: "GET", Path: "/events/{id}", Permission: permRead, Handler: h(consoleEvent)},
		{Method: "GET", Path: "/events/{id}/edit", Permission: permWrite, Handler: h(editPage)},
		{Method: "POST", Path: "/events/{id}/edit", Permission: permWrite, MaxBodyBytes: 64 << 10, Handler: h(savePage)},
		{Method: "POST", Path: "/events/{id}/cancel", Permission: permWrite, MaxBodyBytes: 16 << 10, Handler: h(cancelPage)},
		{Method: "GET", Path: "/villages", Permission: permRead, Handler: h(villagesPage)},
		{Method: "GET", Path: "/today", Permission: permRead, Widget: true, Handler: h(consoleWidget)},
		// Public pages (ui_public.go).
		{Method: "GET", Path: "/{$}", Public: true, Handler: h(publicAgenda)},
		{Method: "GET", Path: "/kegiatan/{id}", Public: true, Handler: h(publicEvent)},
		{Method: "GET", Path: "/widget", Public: true, Widget: true, Handler: h(publicWidget)},
	}
}

// failPage shows an API error as the page.
func failPage(w http.ResponseWriter, r *http.Request, title string, err error) {
	status := http.StatusInternalServerError
	msg := ui.Tr(r, "Terjadi kesalahan. Coba lagi nanti.", "Something went wrong. Try again later.")
	var e *sdk.Error
	if errors.As(err, &e) && e.Status < 500 {
		status = e.Status
		msg = e.Message
		if e.Status == http.StatusNotFound {
			msg = ui.Tr(r, "Kegiatan tidak ditemukan.", "Event not found.")
		}
	} else {
		sdk.Logf(r.Context(), "error", "agenda page: %v", err)
	}
	ui.ErrorPage(w, r, title, status, msg)
}

// monthPage reads a month screen: the month (?month=), its occurrences
// (listFor, with ?category= and ?village=) and the page of them to show
// (?page=, limit a page).
func monthPage(r *http.Request, limit int) (from time.Time, items []eventView, offset, n int, err error) {
	from, to, err := monthQuery(r)
	if err != nil {
		return from, nil, 0, 0, err
	}
	if items, err = listFor(r, from, to, r.URL.Query().Get("category")); err != nil {
		return from, nil, 0, 0, err
	}
	offset, n, err = sdk.Page(withLimit(r, limit))
	return from, items, offset, n, err
}

// monthQuery reads ?month= for a screen: the month and its window.
func monthQuery(r *http.Request) (time.Time, time.Time, error) {
	_, from, to, err := month(r)
	return from, to, err
}

// listFor reads the occurrences for the screens with the window and
// filters (?village= narrows a sub-district's or regency's screen to one
// village below, as in the API).
func listFor(r *http.Request, from, to time.Time, category string) ([]eventView, error) {
	lq := listQuery{from: from, to: to, category: category}
	if v := r.URL.Query().Get("village"); v != "" && sdk.From(r).Level != sdk.Village && strings.HasPrefix(v, sdk.From(r).Tenant+".") {
		lq.village = v
	}
	if category != "" && !validCategory(category) {
		return nil, invalid(codeInvalidCategory, "category", "unknown category")
	}
	return readList(r, lq)
}

func categoryOptions(r *http.Request) []ui.Option {
	opts := make([]ui.Option, len(categories))
	for i, c := range categories {
		opts[i] = ui.Option{Value: c.Code, Label: categoryName(c.Code, lang(r))}
	}
	return opts
}

// monthNav links to the previous and next months, keeping the query.
func monthNav(r *http.Request, from time.Time) ui.Node {
	link := func(t time.Time) string {
		q := r.URL.Query()
		q.Set("month", t.Format("2006-01"))
		q.Del("page")
		return "?" + q.Encode()
	}
	prev, next := from.AddDate(0, -1, 0), from.AddDate(0, 1, 0)
	return ui.HTML(template.HTML(fmt.Sprintf(`<nav class="b-pager" aria-label="%s"><a class="b-btn" href="%s" rel="prev">‹ %s</a><strong>%s</strong><a class="b-btn" href="%s" rel="next">%s ›</a></nav>`,
		template.HTMLEscapeString(ui.Tr(r, "Bulan", "Month")),
		template.HTMLEscapeString(link(prev)), template.HTMLEscapeString(monthName(prev)),
		template.HTMLEscapeString(monthName(from)),
		template.HTMLEscapeString(link(next)), template.HTMLEscapeString(monthName(next)))))
}

// rawLink is a link to an absolute path (another tenant's page).
func rawLink(label, href string) ui.Node {
	return ui.HTML(template.HTML(`<a href="` + template.HTMLEscapeString(href) + `">` + template.HTMLEscapeString(label) + `</a>`))
}

const consoleLimit = 100

// consoleList is the month's agenda: every occurrence with its time,
// place, category, visibility and status, 100 a page.
func consoleList(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	title := ui.Tr(r, "Agenda", "Agenda")
	from, items, offset, limit, err := monthPage(r, consoleLimit)
	if err != nil {
		failPage(w, r, title, err)
		return
	}
	subtree := req.Level != sdk.Village
	loc := req.Location()
	cols := []ui.Column{{Key: "when", Label: ui.Tr(r, "Waktu", "When")}, {Key: "title", Label: ui.Tr(r, "Kegiatan", "Event")}}
	if subtree {
		cols = append(cols, ui.Column{Key: "village", Label: ui.Tr(r, "Desa", "Village")})
	}
	cols = append(cols, ui.Column{Key: "place", Label: ui.Tr(r, "Tempat", "Place")},
		ui.Column{Key: "category", Label: ui.Tr(r, "Kategori", "Category")},
		ui.Column{Key: "status", Label: ui.Tr(r, "Status", "Status")})
	var rows []ui.Row
	for _, v := range sdk.PageOf(items, offset, limit) {
		start := v.startAt.In(loc)
		end := start.Add(v.data.duration())
		whenCell := longDate(r, start) + " · " + timeOfDay(r, v.AllDay, start, end, loc)
		row := ui.Row{}
		var first ui.Node = ui.Cell(whenCell)
		if v.Tenant == req.Tenant {
			row.Href = "/events/" + v.ID
		} else {
			first = rawLink(whenCell, "/console/"+v.Tenant+"/m/agenda/events/"+v.ID)
		}
		titleCell := v.Title
		if v.RRule != "" {
			titleCell += " ↻"
		}
		row.Cells = []ui.Node{first, ui.Cell(titleCell)}
		if subtree {
			row.Cells = append(row.Cells, ui.Cell(v.TenantName))
		}
		status := ui.Node(ui.Badge("neutral", visibilityName(r, v.Visibility)))
		if v.Status == statusCancelled {
			status = statusBadge(r, v.Status)
		}
		row.Cells = append(row.Cells, ui.Cell(v.Place), ui.Cell(categoryName(v.Category, lang(r))), status)
		rows = append(rows, row)
	}
	actions := []ui.Link{}
	if req.Can(permWrite) {
		actions = append(actions, ui.Link{Label: ui.Tr(r, "Tambah kegiatan", "Add event"), Href: "/events/new", Primary: true})
	}
	if subtree {
		actions = append(actions, ui.Link{Label: ui.Tr(r, "Rekap per desa", "Per village"), Href: "/villages?month=" + from.Format("2006-01")})
	}
	body := []ui.Node{monthNav(r, from), ui.Table{
		Columns: cols, Rows: rows, Total: len(items), Page: offset/limit + 1, Limit: limit,
		Filters: []ui.Field{
			{Name: "month", Label: ui.Tr(r, "Bulan (TTTT-BB)", "Month (YYYY-MM)"), Placeholder: "2026-12", Max: 7},
			{Name: "category", Label: ui.Tr(r, "Kategori", "Category"), Type: "select", Options: categoryOptions(r)},
		},
		Empty:   ui.Tr(r, "Belum ada kegiatan bulan ini.", "No events this month."),
		Caption: ui.Tr(r, "Kegiatan ", "Events of ") + monthName(from),
	}}
	if v := r.URL.Query().Get("village"); subtree && v != "" {
		nm, err := names(r, true)
		if err != nil {
			failPage(w, r, title, err)
			return
		}
		body = append([]ui.Node{ui.Text(ui.Tr(r, "Hanya desa ", "Village ") + nm[v] + " (" + v + ")"),
			ui.A(ui.Tr(r, "Tampilkan semua desa", "Show every village"), "/events?month="+from.Format("2006-01"))}, body...)
	}
	if subtree {
		body = append(body, ui.Muted(ui.Tr(r, "Kegiatan publik semua desa di bawah wilayah ini, dan kegiatan wilayah ini sendiri.",
			"The public events of every village below, and this region's own events.")))
	}
	body = append(body, ui.HTML(template.HTML(`<p class="b-muted">`+template.HTMLEscapeString(ui.Tr(r, "Langganan kalender (iCalendar): ", "Calendar subscription (iCalendar): "))+
		`<a href="`+template.HTMLEscapeString(feedPath(r))+`">calendar.ics</a></p>`)))
	ui.Render(w, r, ui.Page{Title: title + " — " + monthName(from), Actions: actions, Body: body})
}

// withLimit gives r with ?limit= set when the user did not choose one.
func withLimit(r *http.Request, n int) *http.Request {
	if r.URL.Query().Get("limit") != "" {
		return r
	}
	r2 := r.Clone(r.Context())
	q := r2.URL.Query()
	q.Set("limit", strconv.Itoa(n))
	u := *r2.URL
	u.RawQuery = q.Encode()
	r2.URL = &u
	return r2
}

// eventForm is the form's input: the API's eventInput split as a clerk
// types it (a date and a time, officials one per line, a repetition
// chosen from a list or written as an RRULE).
type eventForm struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Category    string `json:"category"`
	Place       string `json:"place"`
	Visibility  string `json:"visibility"`
	AllDay      bool   `json:"all_day"`
	StartDate   string `json:"start_date"`
	StartTime   string `json:"start_time"`
	EndDate     string `json:"end_date"`
	EndTime     string `json:"end_time"`
	Officials   string `json:"officials"`
	Repeat      string `json:"repeat"`
	Until       string `json:"until"`
	RRule       string `json:"rrule"`
	Version     int64  `json:"version"`
}

var timeRE = regexp.MustCompile(`^([01]?[0-9]|2[0-3])[.:]?([0-5][0-9])$`)

// hhmm reads "09.00", "9:00" or "0900" as "09:00".
func hhmm(s string) (string, bool) {
	m := timeRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", false
	}
	h, _ := strconv.Atoi(m[1])
	return fmt.Sprintf("%02d:%s", h, m[2]), true
}

// formError is a 422 on one of the form's own fields.
func formError(field, msg string) *sdk.Error {
	return &sdk.Error{Status: 422, Code: sdk.CodeInvalid, Field: field, Message: msg}
}

// toInput turns the form into the API's input.
func (f eventForm) toInput(r *http.Request) (eventInput, error) {
	loc := sdk.From(r).Location()
	in := eventInput{Title: f.Title, Description: f.Description, Category: f.Category, Place: f.Place,
		Visibility: f.Visibility, AllDay: f.AllDay}
	for _, line := range strings.Split(f.Officials, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			in.Officials = append(in.Officials, line)
		}
	}
	if f.StartDate == "" {
		return in, formError("start_date", ui.Tr(r, "Isi tanggal mulai.", "Enter the start date."))
	}
	start, ok := parseDate(f.StartDate, loc)
	if !ok {
		return in, formError("start_date", ui.Tr(r, "Tanggal mulai tidak valid.", "The start date is not valid."))
	}
	if f.AllDay {
		in.Start, in.End = f.StartDate, f.EndDate
	} else {
		t, ok := hhmm(f.StartTime)
		if !ok {
			return in, formError("start_time", ui.Tr(r, "Isi jam mulai, misalnya 09.00.", "Enter the start time, e.g. 09.00."))
		}
		in.Start = f.StartDate + "T" + t
		if f.EndTime != "" {
			et, ok := hhmm(f.EndTime)
			if !ok {
				return in, formError("end_time", ui.Tr(r, "Jam selesai tidak valid, misalnya 11.00.", "The end time is not valid, e.g. 11.00."))
			}
			d := f.EndDate
			if d == "" {
				d = f.StartDate
			}
			in.End = d + "T" + et
		} else if f.EndDate != "" {
			return in, formError("end_time", ui.Tr(r, "Isi jam selesai.", "Enter the end time."))
		}
	}
	var rule string
	switch f.Repeat {
	case "":
	case "daily":
		rule = "FREQ=DAILY"
	case "weekly":
		rule = "FREQ=WEEKLY"
	case "biweekly":
		rule = "FREQ=WEEKLY;INTERVAL=2"
	case "monthly_weekday":
		n := (start.Day()-1)/7 + 1
		if n == 5 {
			n = -1
		}
		rule = fmt.Sprintf("FREQ=MONTHLY;BYDAY=%d%s", n, strings.ToUpper(start.Weekday().String()[:2]))
	case "monthly_date":
		rule = "FREQ=MONTHLY"
	case "yearly":
		rule = "FREQ=YEARLY"
	case "custom":
		if strings.TrimSpace(f.RRule) == "" {
			return in, formError("rrule", ui.Tr(r, "Tulis aturan RRULE, misalnya FREQ=WEEKLY;BYDAY=TU.", "Write an RRULE, e.g. FREQ=WEEKLY;BYDAY=TU."))
		}
		in.RRule = f.RRule
	default:
		return in, formError("repeat", ui.Tr(r, "Pilihan pengulangan tidak dikenal.", "Unknown repetition."))
	}
	if rule != "" {
		if f.Until != "" {
			u, ok := parseDate(f.Until, loc)
			if !ok {
				return in, formError("until", ui.Tr(r, "Tanggal akhir pengulangan tidak valid.", "The repeat-until date is not valid."))
			}
			rule += ";UNTIL=" + u.AddDate(0, 0, 1).Add(-time.Second).UTC().Format("20060102T150405Z")
		}
		in.RRule = rule
	}
	return in, nil
}

// formFieldOf maps an API field error to the form's field.
func formFieldOf(f eventForm, field string) string {
	switch field {
	case "start":
		if f.AllDay {
			return "start_date"
		}
		return "start_time"
	case "end":
		if f.AllDay {
			return "end_date"
		}
		return "end_time"
	case "rrule":
		if f.Repeat == "custom" {
			return "rrule"
		}
		return "repeat"
	}
	return field
}

func repeatOptions(r *http.Request) []ui.Option {
	return []ui.Option{
		{Value: "", Label: ui.Tr(r, "Tidak berulang", "Does not repeat")},
		{Value: "daily", Label: ui.Tr(r, "Setiap hari", "Every day")},
		{Value: "weekly", Label: ui.Tr(r, "Setiap minggu (hari yang sama)", "Every week (same day)")},
		{Value: "biweekly", Label: ui.Tr(r, "Setiap dua minggu", "Every two weeks")},
		{Value: "monthly_weekday", Label: ui.Tr(r, "Setiap bulan (mis. Selasa kedua)", "Every month (e.g. second Tuesday)")},
		{Value: "monthly_date", Label: ui.Tr(r, "Setiap bulan (tanggal yang sama)", "Every month (same date)")},
		{Value: "yearly", Label: ui.Tr(r, "Setiap tahun", "Every year")},
		{Value: "custom", Label: ui.Tr(r, "Aturan sendiri (RRULE)", "Own rule (RRULE)")},
	}
}

// eventFormOf is the create and edit form.
func eventFormOf(r *http.Request, action, submit string, values url.Values, errs map[string]string, msg string) ui.Form {
	return ui.Form{Action: action, Submit: submit, Values: values, Errors: errs, Error: msg, Cancel: "/events",
		Fields: []ui.Field{
			{Name: "title", Label: ui.Tr(r, "Nama kegiatan", "Title"), Required: true, Max: maxTitle, Placeholder: "Musyawarah Desa RKPDes 2027"},
			{Name: "category", Label: ui.Tr(r, "Kategori", "Category"), Type: "select", Required: true, Options: categoryOptions(r)},
			{Name: "visibility", Label: ui.Tr(r, "Sifat", "Visibility"), Type: "select", Options: []ui.Option{
				{Value: visPublic, Label: ui.Tr(r, "Publik — tampil untuk warga", "Public — shown to citizens")},
				{Value: visInternal, Label: ui.Tr(r, "Internal — hanya perangkat desa", "Internal — staff only")},
			}},
			{Name: "start_date", Label: ui.Tr(r, "Tanggal mulai", "Start date"), Type: "date", Required: true},
			{Name: "start_time", Label: ui.Tr(r, "Jam mulai", "Start time"), Placeholder: "09.00", Max: 5,
				Help: ui.Tr(r, "Waktu setempat desa. Kosongkan bila sehari penuh.", "The village's local time. Leave empty for an all-day event.")},
			{Name: "end_date", Label: ui.Tr(r, "Tanggal selesai", "End date"), Type: "date",
				Help: ui.Tr(r, "Kosongkan bila selesai di hari yang sama.", "Leave empty when it ends the same day.")},
			{Name: "end_time", Label: ui.Tr(r, "Jam selesai", "End time"), Placeholder: "11.00", Max: 5,
				Help: ui.Tr(r, "Kosongkan: satu jam setelah mulai.", "Empty: one hour after the start.")},
			{Name: "all_day", Label: ui.Tr(r, "Sehari penuh", "All day"), Type: "checkbox"},
			{Name: "place", Label: ui.Tr(r, "Tempat", "Place"), Max: maxPlace, Placeholder: "Balai Desa"},
			{Name: "officials", Label: ui.Tr(r, "Pejabat yang hadir", "Officials attending"), Type: "textarea",
				Help: ui.Tr(r, "Satu nama per baris. Pejabat yang sudah terjadwal di kegiatan lain pada jam yang sama akan diberi peringatan.",
					"One name per line. An official already booked at another event at the same time is warned about.")},
			{Name: "repeat", Label: ui.Tr(r, "Berulang", "Repeats"), Type: "select", Options: repeatOptions(r)},
			{Name: "until", Label: ui.Tr(r, "Berulang sampai", "Repeat until"), Type: "date"},
			{Name: "rrule", Label: ui.Tr(r, "Aturan RRULE (bila memilih aturan sendiri)", "RRULE (for an own rule)"), Max: maxRRule,
				Placeholder: "FREQ=MONTHLY;BYDAY=2TU;COUNT=12"},
			{Name: "description", Label: ui.Tr(r, "Keterangan", "Description"), Type: "textarea", Max: maxDescription},
			{Name: "version", Type: "hidden"},
		}}
}

// newPage is the empty form (public by default: most village
// activities are for citizens; the clerk switches off what is internal).
func newPage(w http.ResponseWriter, r *http.Request) {
	values := url.Values{"visibility": {visPublic}, "start_date": {sdk.From(r).Today()}, "start_time": {"09.00"}}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Tambah kegiatan", "Add event"),
		Body: []ui.Node{eventFormOf(r, "/events/new", ui.Tr(r, "Simpan kegiatan", "Save event"), values, nil, "")}})
}

// flashFor is the message after a save: a warning naming the double
// bookings, if any.
func flashFor(r *http.Request, warnings []warning) (string, string) {
	if len(warnings) == 0 {
		return "success", ui.Tr(r, "Kegiatan disimpan.", "Event saved.")
	}
	var parts []string
	for _, w := range warnings {
		parts = append(parts, w.Official+ui.Tr(r, " juga terjadwal di “", " is also booked at “")+w.Title+"”")
	}
	return "warning", ui.Tr(r, "Kegiatan disimpan. Perhatian: ", "Event saved. Note: ") + strings.Join(parts, "; ") + "."
}

// createPage saves the form through POST /events.
func createPage(w http.ResponseWriter, r *http.Request) {
	title := ui.Tr(r, "Tambah kegiatan", "Add event")
	var f eventForm
	err := ui.Decode(r, &f)
	var v any
	if err == nil {
		var in eventInput
		if in, err = f.toInput(r); err == nil {
			_, v, err = ui.CallAPI(r, createEvent, "POST", nil, in)
		}
	}
	if err != nil {
		errs, msg := formErrorsOf(r, f, err)
		ui.Render(w, r, ui.Page{Title: title, Status: ui.FormStatus(err),
			Body: []ui.Node{eventFormOf(r, "/events/new", ui.Tr(r, "Simpan kegiatan", "Save event"), r.PostForm, errs, msg)}})
		return
	}
	ev := v.(written)
	kind, msg := flashFor(r, ev.Warnings)
	ui.Redirect(w, r, "/events/"+ev.ID, kind, msg)
}

// formErrorsOf places an API error under the form's field.
func formErrorsOf(r *http.Request, f eventForm, err error) (map[string]string, string) {
	errs, msg := ui.FormErrorsFor(r, err)
	out := map[string]string{}
	for k, m := range errs {
		out[formFieldOf(f, k)] = m
	}
	return out, msg
}

// consoleEvent is an event's page: its details, the next occurrences,
// the officials' double bookings, and the edit and cancel actions.
func consoleEvent(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	_, v, err := ui.CallAPI(r, getEvent, "GET", nil, nil, "id", r.PathValue("id"))
	if err != nil {
		failPage(w, r, ui.Tr(r, "Kegiatan", "Event"), err)
		return
	}
	ev := v.(eventView)
	loc := req.Location()
	s := ev.data
	body := []ui.Node{}
	if len(ev.Warnings) > 0 {
		var b strings.Builder
		b.WriteString(`<div class="b-error" role="alert" id="double-bookings"><strong>` +
			template.HTMLEscapeString(ui.Tr(r, "Pejabat terjadwal ganda", "Officials booked twice")) + `</strong><ul>`)
		for _, w := range ev.Warnings {
			b.WriteString("<li>" + template.HTMLEscapeString(w.Official+ui.Tr(r, " juga terjadwal di “", " is also booked at “")+w.Title+"” ("+spanText(r, w.Start, w.End, loc)+")") + "</li>")
		}
		b.WriteString("</ul></div>")
		body = append(body, ui.HTML(template.HTML(b.String())))
	}
	officials := strings.Join(ev.Officials, ", ")
	if officials == "" {
		officials = "—"
	}
	pairs := [][2]string{
		{ui.Tr(r, "Waktu", "When"), when(r, s.AllDay, s.StartAt, s.EndAt, loc)},
		{ui.Tr(r, "Berulang", "Repeats"), describeRule(r, s.RRule, loc)},
		{ui.Tr(r, "Tempat", "Place"), orDash(s.Place)},
		{ui.Tr(r, "Kategori", "Category"), categoryName(s.Category, lang(r))},
		{ui.Tr(r, "Sifat", "Visibility"), visibilityName(r, s.Visibility)},
		{ui.Tr(r, "Pejabat yang hadir", "Officials attending"), officials},
		{ui.Tr(r, "Status", "Status"), statusText(r, s.Status)},
	}
	if s.Status == statusCancelled {
		pairs = append(pairs, [2]string{ui.Tr(r, "Alasan pembatalan", "Reason for cancelling"), s.CancelReason})
	}
	pairs = append(pairs, [2]string{ui.Tr(r, "Dicatat oleh", "Recorded by"), orDash(s.CreatedBy) + " · " + ui.DateTime(r, ev.rec.CreatedAt)})
	body = append(body, ui.DefinitionList(pairs...))
	if s.Description != "" {
		body = append(body, ui.Section(ui.Tr(r, "Keterangan", "Description"), ui.Text(s.Description)))
	}
	if s.RRule != "" {
		body = append(body, nextOccurrences(r, &s, loc))
	}
	var actions []ui.Link
	if req.Can(permWrite) && s.Status == statusScheduled {
		actions = append(actions, ui.Link{Label: ui.Tr(r, "Ubah", "Edit"), Href: "/events/" + ev.ID + "/edit", Primary: true})
		body = append(body, ui.Section(ui.Tr(r, "Batalkan kegiatan", "Cancel the event"), cancelForm(r, ev.ID, seriesDates(r, &s), nil, nil, "")))
	}
	if s.Visibility == visPublic {
		body = append(body, ui.HTML(template.HTML(`<p class="b-muted">`+template.HTMLEscapeString(ui.Tr(r, "Halaman publik: ", "Public page: "))+
			`<a href="/`+template.HTMLEscapeString(req.Tenant)+`/agenda/kegiatan/`+template.HTMLEscapeString(ev.ID)+`">`+
			template.HTMLEscapeString(ui.Tr(r, "lihat seperti warga", "view as a citizen"))+`</a></p>`)))
	}
	actions = append(actions, ui.Link{Label: ui.Tr(r, "Kembali ke agenda", "Back to the agenda"), Href: "/events?month=" + s.StartAt.In(loc).Format("2006-01")})
	ui.Render(w, r, ui.Page{Title: s.Title, Actions: actions, Body: body})
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func statusText(r *http.Request, s string) string {
	if s == statusCancelled {
		return ui.Tr(r, "Dibatalkan", "Cancelled")
	}
	return ui.Tr(r, "Terjadwal", "Scheduled")
}

// spanText shows an API start and end (RFC 3339 or dates) in words.
func spanText(r *http.Request, start, end string, loc *time.Location) string {
	if st, err := time.Parse(time.RFC3339, start); err == nil {
		en, _ := time.Parse(time.RFC3339, end)
		return when(r, false, st, en, loc)
	}
	st, _ := parseDate(start, loc)
	en, _ := parseDate(end, loc)
	return when(r, true, st, en.AddDate(0, 0, 1), loc)
}

// nextOccurrences lists a series' next five occurrences from today.
func nextOccurrences(r *http.Request, s *stored, loc *time.Location) ui.Node {
	now := sdk.From(r).Now()
	occ := expand(s, loc, now, now.Add(maxWindow), 5)
	var b strings.Builder
	b.WriteString(`<ul id="next-occurrences">`)
	for _, o := range occ {
		line := when(r, s.AllDay, o.start, o.end, loc)
		if o.cancelled {
			line += " — " + ui.Tr(r, "dibatalkan: ", "cancelled: ") + o.reason
		}
		b.WriteString("<li>" + template.HTMLEscapeString(line) + "</li>")
	}
	b.WriteString("</ul>")
	if len(occ) == 0 {
		return ui.Section(ui.Tr(r, "Jadwal berikutnya", "Next dates"), ui.Muted(ui.Tr(r, "Tidak ada lagi.", "No more.")))
	}
	return ui.Section(ui.Tr(r, "Jadwal berikutnya", "Next dates"), ui.HTML(template.HTML(b.String())))
}

// cancelForm is the cancellation; dates, for a series, lets the clerk
// call off one date only (the next twelve not yet cancelled).
func cancelForm(r *http.Request, id string, dates []ui.Option, values url.Values, errs map[string]string, msg string) ui.Form {
	fields := []ui.Field{}
	if len(dates) > 0 {
		opts := append([]ui.Option{{Value: "", Label: ui.Tr(r, "Seluruh rangkaian", "The whole series")}}, dates...)
		fields = append(fields, ui.Field{Name: "date", Label: ui.Tr(r, "Yang dibatalkan", "What to cancel"), Type: "select", Options: opts,
			Help: ui.Tr(r, "Pilih satu tanggal untuk membatalkan jadwal itu saja.", "Choose one date to cancel that date only.")})
	}
	fields = append(fields, ui.Field{Name: "reason", Label: ui.Tr(r, "Alasan", "Reason"), Type: "textarea", Required: true, Max: maxReason})
	return ui.Form{Action: "/events/" + id + "/cancel", Submit: ui.Tr(r, "Batalkan kegiatan", "Cancel the event"),
		Confirm: ui.Tr(r, "Batalkan kegiatan ini? Warga akan melihatnya sebagai dibatalkan.", "Cancel this event? Citizens will see it as cancelled."),
		Values:  values, Errors: errs, Error: msg, Fields: fields}
}

// seriesDates are a series' next twelve dates not yet cancelled, as
// options of the cancel form.
func seriesDates(r *http.Request, s *stored) []ui.Option {
	if s.RRule == "" {
		return nil
	}
	loc := sdk.From(r).Location()
	now := sdk.From(r).Now()
	var out []ui.Option
	for _, o := range active(expand(s, loc, now, now.Add(maxWindow), 24)) {
		out = append(out, ui.Option{Value: o.start.In(loc).Format(time.DateOnly), Label: longDate(r, o.start.In(loc))})
		if len(out) == 12 {
			break
		}
	}
	return out
}

// cancelPage cancels through POST /events/{id}/cancel, after the
// confirmation.
func cancelPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var in cancelInput
	err := ui.Decode(r, &in)
	if err == nil && strings.TrimSpace(in.Reason) == "" {
		err = formError("reason", ui.Tr(r, "Tulis alasan pembatalan.", "Write the reason for cancelling."))
	}
	var dates []ui.Option
	if in.Date != "" {
		dates = []ui.Option{{Value: in.Date, Label: ui.DateOnly(in.Date)}}
	}
	if err == nil {
		if !ui.Confirm(w, r, cancelForm(r, id, dates, r.PostForm, nil, "")) {
			return
		}
		_, _, err = ui.CallAPI(r, cancelEvent, "POST", nil, in, "id", id)
	}
	if err != nil {
		errs, msg := ui.FormErrorsFor(r, err)
		ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Batalkan kegiatan", "Cancel the event"), Status: ui.FormStatus(err),
			Body: []ui.Node{cancelForm(r, id, dates, r.PostForm, errs, msg)}})
		return
	}
	if in.Date != "" {
		ui.Redirect(w, r, "/events/"+id, "success", ui.Tr(r, "Jadwal tanggal ", "The date ")+ui.DateOnly(in.Date)+ui.Tr(r, " dibatalkan.", " is cancelled."))
		return
	}
	ui.Redirect(w, r, "/events/"+id, "success", ui.Tr(r, "Kegiatan dibatalkan.", "Event cancelled."))
}

// editPage is the form filled with the event.
func editPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	_, v, err := ui.CallAPI(r, getEvent, "GET", nil, nil, "id", id)
	if err != nil {
		failPage(w, r, ui.Tr(r, "Ubah kegiatan", "Edit event"), err)
		return
	}
	ev := v.(eventView)
	if ev.Status == statusCancelled {
		failPage(w, r, ui.Tr(r, "Ubah kegiatan", "Edit event"), sdk.Errorf(409, codeEventCancelled, "%s", ui.Tr(r, "Kegiatan yang dibatalkan tidak dapat diubah.", "A cancelled event cannot be edited.")))
		return
	}
	loc := sdk.From(r).Location()
	s := ev.data
	start, end := s.StartAt.In(loc), s.EndAt.In(loc)
	values := url.Values{"title": {s.Title}, "description": {s.Description}, "category": {s.Category},
		"place": {s.Place}, "visibility": {s.Visibility}, "start_date": {s.StartDate},
		"officials": {strings.Join(s.Officials, "\n")}, "version": {strconv.FormatInt(ev.Version, 10)}}
	if s.AllDay {
		values.Set("all_day", "true")
		if s.EndDate != s.StartDate {
			values.Set("end_date", s.EndDate)
		}
	} else {
		values.Set("start_time", clock(start))
		values.Set("end_time", clock(end))
		if end.Format(time.DateOnly) != start.Format(time.DateOnly) {
			values.Set("end_date", end.Format(time.DateOnly))
		}
	}
	if s.RRule != "" {
		values.Set("repeat", "custom")
		values.Set("rrule", s.RRule)
	}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Ubah kegiatan", "Edit event"),
		Body: []ui.Node{eventFormOf(r, "/events/"+id+"/edit", ui.Tr(r, "Simpan perubahan", "Save changes"), values, nil, "")}})
}

// savePage saves the edit through PUT /events/{id}.
func savePage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var f eventForm
	err := ui.Decode(r, &f)
	var v any
	if err == nil {
		var in eventInput
		if in, err = f.toInput(r); err == nil {
			_, v, err = ui.CallAPI(r, updateEvent, "PUT", nil, eventUpdate{eventInput: in, Version: f.Version}, "id", id)
		}
	}
	if err != nil {
		errs, msg := formErrorsOf(r, f, err)
		if errors.Is(err, sdk.ErrNotFound) {
			failPage(w, r, ui.Tr(r, "Ubah kegiatan", "Edit event"), err)
			return
		}
		var e *sdk.Error
		if errors.As(err, &e) && e.Code == codeVersionConflict {
			msg = ui.Tr(r, "Kegiatan ini baru saja diubah orang lain. Buka lagi halamannya dan ulangi perubahan Anda.",
				"Someone else has just changed this event. Open it again and redo your change.")
		}
		ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Ubah kegiatan", "Edit event"), Status: ui.FormStatus(err),
			Body: []ui.Node{eventFormOf(r, "/events/"+id+"/edit", ui.Tr(r, "Simpan perubahan", "Save changes"), r.PostForm, errs, msg)}})
		return
	}
	kind, msg := flashFor(r, v.(written).Warnings)
	ui.Redirect(w, r, "/events/"+id, kind, msg)
}

// villagesPage is the sub-district's or regency's roll-up: one row per
// village below with its public events of the month (GET /summary).
func villagesPage(w http.ResponseWriter, r *http.Request) {
	title := ui.Tr(r, "Agenda per desa", "Agenda per village")
	m, from, to, err := month(r)
	if err != nil {
		failPage(w, r, title, err)
		return
	}
	ans, err := rollup(r, m, from, to)
	if err != nil {
		failPage(w, r, title, err)
		return
	}
	var rows []ui.Row
	for _, v := range ans.Items {
		rows = append(rows, ui.Row{Cells: []ui.Node{
			ui.A(v.Name, "/events?month="+m+"&village="+v.Tenant), ui.Cell(v.District),
			ui.Cell(strconv.Itoa(v.Events)), ui.Cell(strconv.Itoa(v.Cancelled)),
		}})
	}
	body := []ui.Node{monthNav(r, from),
		ui.DefinitionList(
			[2]string{ui.Tr(r, "Desa", "Villages"), strconv.Itoa(ans.Total)},
			[2]string{ui.Tr(r, "Kegiatan publik", "Public events"), strconv.Itoa(ans.Events)},
			[2]string{ui.Tr(r, "Dibatalkan", "Cancelled"), strconv.Itoa(ans.Cancelled)},
		),
		ui.Table{Columns: []ui.Column{
			{Key: "village", Label: ui.Tr(r, "Desa", "Village")}, {Key: "district", Label: ui.Tr(r, "Kecamatan", "District")},
			{Key: "events", Label: ui.Tr(r, "Kegiatan publik", "Public events")}, {Key: "cancelled", Label: ui.Tr(r, "Dibatalkan", "Cancelled")},
		}, Rows: rows, Caption: title + " — " + monthName(from),
			Empty: ui.Tr(r, "Tidak ada desa dengan modul Agenda di bawah wilayah ini.", "No village below has the Agenda module.")},
		ui.Muted(ui.Tr(r, "Dihitung per kejadian: posyandu mingguan dihitung setiap minggunya.", "Counted by occurrence: a weekly posyandu counts each week.")),
	}
	ui.Render(w, r, ui.Page{Title: title + " — " + monthName(from), Body: body,
		Actions: []ui.Link{{Label: ui.Tr(r, "Agenda bulan ini", "This month's agenda"), Href: "/events?month=" + m}}})
}

// consoleWidget is the dashboard's card: today's and the coming week's
// events.
func consoleWidget(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	today, _ := parseDate(req.Today(), req.Location())
	items, err := listFor(r, today, today.AddDate(0, 0, 7), "")
	if err != nil {
		failPage(w, r, "Agenda", err)
		return
	}
	n := 0
	for _, v := range items {
		if v.Status == statusScheduled {
			n++
		}
	}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Agenda", "Agenda"), Body: []ui.Node{
		ui.Text(fmt.Sprintf(ui.Tr(r, "%d kegiatan dalam 7 hari ke depan.", "%d events in the next 7 days."), n)),
		ui.A(ui.Tr(r, "Buka agenda", "Open the agenda"), "/events"),
	}})
}
