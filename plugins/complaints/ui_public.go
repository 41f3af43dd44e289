package main

// The citizens' pages, served without a login at /{village}/complaints/...:
// send a complaint (with a photo, from a phone, without JavaScript), follow
// it by its tracking code and rate the answer, and read the published
// complaints with their answers and the village's figures. They call the
// public API's functions (createComplaint, trackComplaint, rate, stats,
// listPublished), so the rules, limits and what a citizen may learn stay
// the API's: never a name or a phone number.
//
// Public pages, below /{tenant}/complaints:
//
//	GET  /lapor                the complaint form; POST sends it (rate limited as POST /complaints)
//	GET  /track?code=          asks for a tracking code, then its page
//	GET  /track/{code}         state, due date, overdue, answer, the rating form once answered
//	POST /track/{code}/rating  the citizen's rating (1-5) and comment
//	GET  /published            published complaints and answers, counts by category, median response time
//	GET  /summary              public widget for the village's page and the regency home

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

var publicPages = []sdk.PageRoute{
	{Method: "GET", Path: "/lapor", Public: true, Handler: http.HandlerFunc(publicForm)},
	{Method: "POST", Path: "/lapor", Public: true, MaxBodyBytes: maxSubmitBytes, RateLimit: publicSubmitLimit, Handler: http.HandlerFunc(publicForm)},
	{Method: "GET", Path: "/track", Public: true, Handler: http.HandlerFunc(publicTrackLookup)},
	{Method: "GET", Path: "/track/{code}", Public: true, RateLimit: trackLimit, Handler: http.HandlerFunc(publicTrack)},
	{Method: "POST", Path: "/track/{code}/rating", Public: true, RateLimit: rateLimit, Handler: http.HandlerFunc(publicRate)},
	{Method: "GET", Path: "/published", Public: true, Handler: http.HandlerFunc(publicPublished)},
	{Method: "GET", Path: "/summary", Public: true, Widget: true, Handler: http.HandlerFunc(publicSummary)},
}

// publicForm is the citizen's complaint form; a success goes to the
// tracking page of the new code.
func publicForm(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	title := ui.Tr(r, "Sampaikan pengaduan", "Send a complaint")
	if req.Level != sdk.Village {
		ui.Render(w, r, ui.Page{Title: title, Status: http.StatusNotFound, Body: []ui.Node{ui.Text(ui.Tr(r,
			"Pengaduan disampaikan di halaman desa Anda: pilih desa di halaman depan.", "Complaints are sent on your village's page: choose it on the home page."))}})
		return
	}
	var values url.Values
	status, errs, msg := http.StatusOK, map[string]string(nil), ""
	if r.Method == http.MethodPost {
		var answered bool
		if values, errs, msg, status, answered = postComplaint(w, r, func(out submitted) {
			ui.Redirect(w, r, "/track/"+out.TrackCode, "success",
				ui.Tr(r, "Pengaduan Anda diterima. Simpan kode pelacakan ini: ", "Your complaint was received. Keep this tracking code: ")+out.TrackCode)
		}); answered {
			return
		}
	}
	ui.Render(w, r, ui.Page{Title: title, Status: status,
		Description: ui.Tr(r, "Sampaikan keluhan atau aspirasi Anda kepada pemerintah desa, lalu pantau tindak lanjutnya dengan kode pelacakan.",
			"Send your complaint or aspiration to the village government and follow it with a tracking code."),
		Body: []ui.Node{
			ui.Muted(ui.Tr(r, "Nama dan nomor HP tidak wajib dan tidak pernah diumumkan. Anda akan menerima kode pelacakan.",
				"Name and number are optional and never published. You will get a tracking code.")),
			submissionForm(r, "/lapor", values, errs, msg, true),
			ui.A(ui.Tr(r, "Sudah punya kode pelacakan? Lacak pengaduan", "Have a tracking code? Track a complaint"), "/track"),
		}})
}

// trackLookup is the look-up of a complaint by its tracking code.
func trackLookup(r *http.Request) ui.Lookup {
	return ui.Lookup{Path: "/track", Title: ui.Tr(r, "Lacak pengaduan", "Track a complaint"), Max: 40,
		Help:    ui.Tr(r, "26 huruf dan angka, diberikan saat Anda mengirim pengaduan.", "26 letters and digits, given when you sent the complaint."),
		More:    []ui.Node{ui.A(ui.Tr(r, "Sampaikan pengaduan baru", "Send a new complaint"), "/lapor")},
		Missing: ui.Tr(r, "Tidak ada pengaduan dengan kode ini. Periksa kembali kodenya.", "No complaint has this code. Check it again.")}
}

// publicTrackLookup asks for a tracking code and sends a given one to its page.
func publicTrackLookup(w http.ResponseWriter, r *http.Request) { trackLookup(r).Serve(w, r) }

// publicTrack is the citizen's view of a complaint.
func publicTrack(w http.ResponseWriter, r *http.Request) {
	renderTrack(w, r, http.StatusOK, nil, "", nil)
}

func renderTrack(w http.ResponseWriter, r *http.Request, status int, values url.Values, msg string, errs map[string]string) {
	code, body, ok := trackLookup(r).Find(w, r, trackComplaint, fail)
	if !ok {
		return
	}
	t := body.(tracking)
	next := map[string][2]string{
		StateReceived:   {"Pengaduan Anda sudah diterima dan menunggu tindak lanjut.", "Your complaint was received and awaits follow-up."},
		StateInProgress: {"Pengaduan Anda sedang ditangani petugas.", "An official is handling your complaint."},
		StateAnswered:   {"Pengaduan Anda sudah dijawab. Beri penilaian atas jawabannya di bawah.", "Your complaint was answered. Rate the answer below."},
		StateClosed:     {"Pengaduan Anda sudah selesai ditangani.", "Your complaint is closed."},
		StateRejected:   {"Pengaduan Anda tidak dapat ditindaklanjuti. Alasannya di bawah.", "Your complaint cannot be acted on. The reason is below."},
	}[t.State]
	if !t.CanRate && t.State == StateAnswered {
		next = [2]string{"Pengaduan Anda sudah dijawab.", "Your complaint was answered."}
	}
	head := []ui.Node{stateBadge(r, t.State)}
	if t.Overdue {
		head = append(head, overdueBadge(r))
	}
	pairs := [][2]string{
		{ui.Tr(r, "Kode pelacakan", "Tracking code"), code},
		{ui.Tr(r, "Nomor", "Reference"), t.Ref},
		{ui.Tr(r, "Kategori", "Category"), catLabel(r, t.Category)},
		{ui.Tr(r, "Dikirim", "Sent"), ui.DateTime(r, t.SubmittedAt)},
		{ui.Tr(r, "Target dijawab paling lambat", "To be answered by"), ui.DateOnly(t.DueDate)},
	}
	if t.Place != "" {
		pairs = append(pairs, [2]string{ui.Tr(r, "Lokasi", "Place"), t.Place})
	}
	if t.EscalatedTo != "" {
		pairs = append(pairs, [2]string{ui.Tr(r, "Diteruskan ke", "Escalated to"), levelLabel(r, t.EscalatedTo)})
	}
	if t.Answer != "" {
		pairs = append(pairs, [2]string{ui.Tr(r, "Jawaban", "Answer"), t.Answer}, [2]string{ui.Tr(r, "Dijawab", "Answered"), ui.DateTime(r, t.AnsweredAt)})
	}
	if t.RejectReason != "" {
		pairs = append(pairs, [2]string{ui.Tr(r, "Alasan", "Reason"), t.RejectReason})
	}
	if t.Rating > 0 {
		pairs = append(pairs, [2]string{ui.Tr(r, "Penilaian Anda", "Your rating"), strings.Repeat("★", t.Rating) + strings.Repeat("☆", 5-t.Rating)})
	}
	out := []ui.Node{
		ui.HTML(template.HTML(`<p id="track-state">`) + nodes(head...).HTML(r) + ` ` + template.HTML(template.HTMLEscapeString(ui.Tr(r, next[0], next[1]))) + `</p>`),
		ui.DefinitionList(pairs...),
		ui.Section(ui.Tr(r, "Uraian Anda", "Your description"), ui.Text(t.Description)),
	}
	if t.CanRate {
		out = append(out, ui.Section(ui.Tr(r, "Nilai jawaban ini", "Rate this answer"), ui.Form{Action: "/track/" + code + "/rating", Submit: ui.Tr(r, "Kirim penilaian", "Send rating"),
			Values: values, Error: msg, Errors: errs, Fields: []ui.Field{
				{Name: "rating", Label: ui.Tr(r, "Nilai", "Rating"), Type: "select", Required: true, Options: []ui.Option{
					{Value: "", Label: ui.Tr(r, "Pilih", "Choose")},
					{Value: "5", Label: ui.Tr(r, "5 – Sangat baik", "5 – Very good")}, {Value: "4", Label: ui.Tr(r, "4 – Baik", "4 – Good")},
					{Value: "3", Label: ui.Tr(r, "3 – Cukup", "3 – Fair")}, {Value: "2", Label: ui.Tr(r, "2 – Kurang", "2 – Poor")},
					{Value: "1", Label: ui.Tr(r, "1 – Sangat kurang", "1 – Very poor")}}},
				{Name: "comment", Label: ui.Tr(r, "Komentar (tidak wajib)", "Comment (optional)"), Type: "textarea", Max: 500},
			}}))
	}
	out = append(out, ui.Muted(ui.Tr(r, "Simpan kode pelacakan ", "Keep the tracking code ")+code+ui.Tr(r, " atau alamat halaman ini untuk melihat perkembangannya.", " or this page's address to follow your complaint.")))
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Pengaduan ", "Complaint ") + t.Ref, Status: status, Body: out})
}

// publicRate sends the citizen's rating.
func publicRate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		fail(w, r, sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "unreadable form"))
		return
	}
	n, _ := strconv.Atoi(r.PostForm.Get("rating"))
	_, _, err := rate(r, ratingBody{Rating: n, Comment: r.PostForm.Get("comment")})
	if err == nil {
		ui.Redirect(w, r, "/track/"+strings.ToUpper(r.PathValue("code")), "success", ui.Tr(r, "Terima kasih atas penilaian Anda.", "Thank you for your rating."))
		return
	}
	errs, msg, status, ok := pageErrors.Client(r, err)
	if !ok || status == http.StatusNotFound {
		fail(w, r, err)
		return
	}
	renderTrack(w, r, status, r.PostForm, msg, errs)
}

// figures are the public figures of a tenant, as a definition list.
func figures(r *http.Request, s *statsView) ui.Node {
	return ui.DefinitionList(
		[2]string{ui.Tr(r, "Pengaduan masuk", "Complaints received"), ui.Number(uint64(s.Total))},
		[2]string{ui.Tr(r, "Sudah ditanggapi", "Responded to"), ui.Number(uint64(s.Responded))},
		[2]string{ui.Tr(r, "Median waktu tanggapan", "Median response time"), fmtFloat(s.MedianDays, " "+ui.Tr(r, "hari kerja", "working days"))},
		[2]string{ui.Tr(r, "Ditanggapi tepat waktu", "Responded to on time"), fmtFloat(s.OnTimePct, "%")},
	)
}

// publicPublished lists the published complaints and their answers, with
// the tenant's figures by category and per village.
func publicPublished(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	q := url.Values{}
	for _, k := range []string{"page", "limit", "category"} {
		if v := r.URL.Query().Get(k); v != "" {
			q.Set(k, v)
		}
	}
	_, body, err := ui.CallAPI(r, listPublished, "GET", q, nil)
	if err != nil {
		fail(w, r, err)
		return
	}
	list := body.(sdk.ListOf[publishedItem])
	_, sb, err := ui.CallAPI(r, stats, "GET", nil, nil)
	if err != nil {
		fail(w, r, err)
		return
	}
	s := sb.(statsView)
	var bars []ui.Bar
	for _, c := range categories {
		bars = append(bars, ui.Bar{Label: ui.Tr(r, c.Name, c.NameEN), Value: float64(s.ByCategory[c.Code])})
	}
	out := []ui.Node{figures(r, &s), ui.Chart{Title: ui.Tr(r, "Pengaduan per kategori", "Complaints by category"), Bars: bars}}
	if req.Level != sdk.Village && len(s.Villages) > 0 {
		rows := make([]ui.Row, 0, len(s.Villages))
		for _, v := range s.Villages {
			if v.Total == 0 {
				continue
			}
			rows = append(rows, ui.Row{Cells: []ui.Node{ui.Cell(v.Name), ui.Cell(ui.Number(uint64(v.Total))), ui.Cell(fmtFloat(v.MedianDays, "")), ui.Cell(fmtFloat(v.OnTimePct, "%"))}})
		}
		out = append(out, ui.Table{Columns: []ui.Column{{Key: "name", Label: ui.Tr(r, "Desa", "Village")}, {Key: "total", Label: ui.Tr(r, "Pengaduan", "Complaints")},
			{Key: "median", Label: ui.Tr(r, "Median (hari kerja)", "Median (working days)")}, {Key: "on_time", Label: ui.Tr(r, "Tepat waktu", "On time")}},
			Rows: rows, Empty: ui.Tr(r, "Belum ada pengaduan.", "No complaints yet."), Caption: ui.Tr(r, "Per desa", "Per village")})
	}
	out = append(out, ui.Heading(ui.Tr(r, "Pengaduan dan jawabannya", "Complaints and their answers")))
	if len(list.Items) == 0 {
		out = append(out, ui.Muted(ui.Tr(r, "Belum ada pengaduan yang diumumkan.", "No complaint published yet.")))
	}
	for _, it := range list.Items {
		title := catLabel(r, it.Category) + " · " + ui.DateOnly(it.SubmittedDate)
		if req.Level != sdk.Village {
			title = it.VillageName + " · " + title
		}
		pairs := [][2]string{{ui.Tr(r, "Jawaban", "Answer"), it.Answer}, {ui.Tr(r, "Dijawab", "Answered"), ui.DateOnly(it.AnsweredDate)}}
		if it.Place != "" {
			pairs = append([][2]string{{ui.Tr(r, "Lokasi", "Place"), it.Place}}, pairs...)
		}
		out = append(out, ui.Section(title, ui.Text(it.Description), ui.DefinitionList(pairs...)))
	}
	if list.Total > int64(len(list.Items)) {
		page, _ := strconv.Atoi(q.Get("page"))
		if page < 1 {
			page = 1
		}
		out = append(out, ui.A(ui.Tr(r, "Berikutnya", "Next"), fmt.Sprintf("/published?page=%d", page+1)))
	}
	if req.Level == sdk.Village {
		out = append(out, ui.Link{Label: ui.Tr(r, "Sampaikan pengaduan", "Send a complaint"), Href: "/lapor", Primary: true})
	}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Pengaduan warga", "Citizens' complaints"),
		Description: fmt.Sprintf(ui.Tr(r, "%d pengaduan, median waktu tanggapan %s hari kerja.", "%d complaints, median response time %s working days."), s.Total, fmtFloat(s.MedianDays, "")),
		Body:        out})
}

// publicSummary is the public widget: the figures and the links a citizen
// needs; above a village, the roll-up of the villages below.
func publicSummary(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	_, sb, err := ui.CallAPI(r, stats, "GET", nil, nil)
	if err != nil {
		fail(w, r, err)
		return
	}
	s := sb.(statsView)
	out := []ui.Node{figures(r, &s)}
	if req.Level == sdk.Village {
		out = append(out, ui.Link{Label: ui.Tr(r, "Sampaikan pengaduan", "Send a complaint"), Href: "/lapor", Primary: true},
			ui.A(ui.Tr(r, "Lacak pengaduan", "Track a complaint"), "/track"))
	} else {
		out = append(out, ui.Muted(ui.Tr(r, "Pengaduan disampaikan di halaman desa: pilih desa Anda.", "Complaints are sent on a village's page: choose yours.")))
	}
	out = append(out, ui.A(ui.Tr(r, "Pengaduan yang diumumkan", "Published complaints"), "/published"))
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Pengaduan Warga", "Complaints"), Body: out})
}
