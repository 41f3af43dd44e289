package main

// Shared parts of the screens (ui_console.go for the village's clerks and
// the regency, ui_public.go for citizens): words, how an API error is
// shown, and calling the API's own handlers so that a screen applies the
// very rules the API does.

import (
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

// pages are the module's screens: the public pages at
// /{tenant}/development/... and the console's at
// /console/{tenant}/m/development/manage/....
func pages() []sdk.PageRoute {
	return []sdk.PageRoute{
		// Citizens.
		{Method: "GET", Path: "/{$}", Public: true, Handler: http.HandlerFunc(publicListPage)},
		{Method: "GET", Path: "/projects/{id}", Public: true, Handler: http.HandlerFunc(publicProjectPage)},
		{Method: "GET", Path: "/widget", Public: true, Widget: true, Handler: http.HandlerFunc(publicWidget)},
		// Clerks, the village head and the regency.
		{Method: "GET", Path: "/manage", Permission: permRead, Handler: http.HandlerFunc(manageHome),
			Menu: &sdk.MenuEntry{Label: "Pembangunan", LabelEN: "Development", Icon: "map", Order: 60}},
		{Method: "GET", Path: "/manage/list", Permission: permRead, Handler: http.HandlerFunc(manageListPage)},
		{Method: "GET", Path: "/manage/new", Permission: permWrite, Handler: http.HandlerFunc(newProjectPage)},
		{Method: "POST", Path: "/manage/new", Permission: permWrite, Handler: http.HandlerFunc(createProjectPage)},
		{Method: "GET", Path: "/manage/projects/{id}", Permission: permRead, Handler: http.HandlerFunc(manageProjectPage)},
		{Method: "GET", Path: "/manage/projects/{id}/edit", Permission: permWrite, Handler: http.HandlerFunc(editProjectPage)},
		{Method: "POST", Path: "/manage/projects/{id}/edit", Permission: permWrite, Handler: http.HandlerFunc(saveProjectPage)},
		{Method: "POST", Path: "/manage/projects/{id}/progress", Permission: permProgress, MaxBodyBytes: maxReportBytes, Handler: http.HandlerFunc(progressPage)},
		{Method: "POST", Path: "/manage/projects/{id}/cancel", Permission: permManage, Handler: http.HandlerFunc(cancelPage)},
		{Method: "GET", Path: "/manage/widget", Permission: permRead, Widget: true, Handler: http.HandlerFunc(consoleWidget)},
	}
}

var stateWords = map[string]string{
	StatePlanned: "Direncanakan", StateOngoing: "Berjalan", StateCompleted: "Selesai", StateCancelled: "Dibatalkan",
}

// stateBadge shows a project's state, and "Terlambat" when it is behind
// the straight line.
func stateBadge(state string, late bool) ui.Node {
	kind := map[string]string{StatePlanned: "neutral", StateOngoing: "info", StateCompleted: "success", StateCancelled: "danger"}[state]
	return ui.NodeFunc(func(r *http.Request) template.HTML {
		h := ui.Badge(kind, stateWords[state]).HTML(r)
		if late {
			h += " " + ui.Badge("warning", "Terlambat").HTML(r)
		}
		return h
	})
}

// percent writes a percent the Indonesian way: 62,5%.
func percent(p float64) string {
	s := strconv.FormatFloat(math.Round(p*10)/10, 'f', -1, 64)
	return strings.Replace(s, ".", ",", 1) + "%"
}

func stateOptions() []ui.Option {
	out := make([]ui.Option, len(states))
	for i, s := range states {
		out[i] = ui.Option{Value: s, Label: stateWords[s]}
	}
	return out
}

func kindOptions() []ui.Option {
	out := make([]ui.Option, len(kinds))
	for i, k := range kinds {
		out[i] = ui.Option{Value: k.Code, Label: k.Name}
	}
	return out
}

// codeWords say the API's errors in Bahasa Indonesia; an error not listed
// shows the API's own (English) message.
var codeWords = map[sdk.Code]string{
	codeInvalidName:          "Nama proyek wajib diisi, satu baris, paling banyak 160 karakter.",
	codeInvalidKind:          "Pilih jenis proyek.",
	codeInvalidDescription:   "Uraian paling banyak 2.000 karakter.",
	codeInvalidLocation:      "Dusun paling banyak 60 karakter; RT dan RW 1 sampai 3 angka.",
	codeInvalidCoordinates:   "Isi lintang dan bujur bersama, di wilayah Indonesia (lintang -11 s.d. 6, bujur 95 s.d. 141,5).",
	codeInvalidYear:          "Tahun anggaran tidak valid.",
	codeInvalidFunding:       "Isi paling sedikit satu sumber dana dengan jumlah rupiah lebih dari 0.",
	codeInvalidExecutor:      "Pelaksana dan nama ketua TPK satu baris, paling banyak 120 karakter.",
	codeInvalidDate:          "Isi tanggal yang valid.",
	codeEndBeforeStart:       "Tanggal selesai rencana tidak boleh sebelum tanggal mulai.",
	codeInvalidVolume:        "Volume harus lebih dari 0 dan diisi bersama satuannya (m, m², unit, ...).",
	codeInvalidBeneficiaries: "Jumlah penerima manfaat 0 sampai 10.000.000.",
	codeProjectClosed:        "Proyek sudah selesai atau dibatalkan.",
	codeDateInFuture:         "Tanggal laporan tidak boleh setelah hari ini.",
	codeDateBeforeLast:       "Tanggal laporan tidak boleh sebelum laporan terakhir.",
	codeInvalidPercent:       "Progres fisik 0 sampai 100 persen.",
	codeProgressDecreased:    "Progres fisik kumulatif: tidak boleh kurang dari laporan terakhir.",
	codeInvalidSpent:         "Isi realisasi keuangan kumulatif dalam rupiah.",
	codeSpentDecreased:       "Realisasi keuangan kumulatif: tidak boleh kurang dari laporan terakhir.",
	codeSpentExceedsBudget:   "Realisasi melebihi pagu anggaran: isi alasan melebihi pagu.",
	codeInvalidNotes:         "Catatan paling banyak 1.000 karakter, alasan paling banyak 500.",
	codeFinalPhotoRequired:   "Laporan 100% menyelesaikan proyek dan wajib disertai foto hasil pekerjaan.",
	codeTooManyPhotos:        "Terlalu banyak foto.",
	codeNotAnImage:           "Foto harus berkas JPEG, PNG atau WebP.",
	codePhotoTooLarge:        "Foto paling besar 5 MB.",
	codeInvalidReason:        "Isi alasan pembatalan (paling banyak 500 karakter).",
	codeNotAVillage:          "Proyek dicatat di tingkat desa.",
	codeProjectNotFound:      "Proyek tidak ditemukan.",
	sdk.CodeConflict:         "Data berubah saat Anda menyimpan. Muat ulang lalu coba lagi.",
}

// pageErrors say the API's errors on the screens: codes in Bahasa
// Indonesia (an error not listed shows the API's own English message),
// and the form field an error's field stands for.
var pageErrors = ui.Errors{Module: "development", Text: codeWords, Rename: map[string]string{"funding": "funding_dana_desa"}}

// progressBars shows the physical progress against the straight line,
// and the budget absorbed, as a chart.
func progressBars(v ProjectView) ui.Node {
	return ui.Chart{Title: "Progres fisik, target garis lurus rencana hari ini, dan serapan anggaran", Format: func(f float64) string { return percent(f) }, Bars: []ui.Bar{
		{Label: "Fisik", Value: v.Percent},
		{Label: "Target hari ini", Value: v.ExpectedPercent},
		{Label: "Serapan anggaran", Value: v.Absorption},
	}}
}

var timelineT = template.Must(template.New("timeline").Parse(
	`<ol class="b-grid" style="list-style:none;padding:0">{{range .}}<li class="b-card"><a href="{{.URL}}"><img src="{{.ThumbURL}}" alt="{{.Alt}}" width="160" height="120" style="max-width:100%;height:auto" loading="lazy" decoding="async"></a>` +
		`<p>{{.Caption}}</p></li>{{end}}</ol>`))

// timeline is a project's photos in the order taken, each with its date
// and the physical percent of its report (0%, 50%, 100%...).
func timeline(r *http.Request, v ProjectView) ui.Node {
	if len(v.Photos) == 0 {
		return ui.Muted("Belum ada foto.")
	}
	type item struct{ URL, ThumbURL, Alt, Caption string }
	var items []item
	for _, p := range v.Photos {
		c := ui.DateOnly(p.Date) + " · " + percent(p.Percent)
		items = append(items, item{URL: p.URL, ThumbURL: p.ThumbURL, Alt: "Foto " + v.Name + " " + c, Caption: c})
	}
	return ui.HTML(ui.Execute(r, timelineT, items))
}

// reportsTable lists a project's reports, newest first.
func reportsTable(v ProjectView) ui.Node {
	tb := ui.Table{Caption: "Laporan progres", Empty: "Belum ada laporan progres.", Columns: []ui.Column{
		{Key: "date", Label: "Tanggal"}, {Key: "percent", Label: "Fisik"}, {Key: "spent", Label: "Realisasi"}, {Key: "notes", Label: "Catatan"},
	}}
	for i := len(v.Reports) - 1; i >= 0; i-- {
		rep := v.Reports[i]
		notes := rep.Notes
		if rep.OverBudgetReason != "" {
			notes = strings.TrimSpace(notes + " (Melebihi pagu: " + rep.OverBudgetReason + ")")
		}
		tb.Rows = append(tb.Rows, ui.Row{Cells: []ui.Node{ui.Cell(ui.DateOnly(rep.Date)), ui.Cell(percent(rep.Percent)), ui.Cell(ui.Rupiah(rep.Spent)), ui.Cell(notes)}})
	}
	return tb
}

// projectDetails are a project's facts as label and value pairs.
func projectDetails(v ProjectView, staff bool) ui.Node {
	loc := v.Location.Dusun
	if v.Location.RT != "" || v.Location.RW != "" {
		loc = strings.TrimSpace(loc + " RT " + v.Location.RT + " / RW " + v.Location.RW)
	}
	pairs := [][2]string{
		{"Desa", v.Village.Name},
		{"Jenis", v.KindName},
		{"Tahun anggaran", strconv.Itoa(v.Year)},
	}
	if loc != "" {
		pairs = append(pairs, [2]string{"Lokasi", loc})
	}
	if v.Location.Lat != nil && v.Location.Lng != nil {
		pairs = append(pairs, [2]string{"Koordinat", strconv.FormatFloat(*v.Location.Lat, 'f', 6, 64) + ", " + strconv.FormatFloat(*v.Location.Lng, 'f', 6, 64)})
	}
	if v.Volume != nil {
		pairs = append(pairs, [2]string{"Volume", strings.Replace(strconv.FormatFloat(*v.Volume, 'f', -1, 64), ".", ",", 1) + " " + v.Unit})
	}
	if v.Beneficiaries != nil {
		pairs = append(pairs, [2]string{"Penerima manfaat", ui.Number(uint64(*v.Beneficiaries)) + " orang"})
	}
	if v.Executor != "" {
		pairs = append(pairs, [2]string{"Pelaksana (TPK)", v.Executor})
	}
	if staff && v.ExecutorLead != "" {
		pairs = append(pairs, [2]string{"Ketua TPK", v.ExecutorLead})
	}
	pairs = append(pairs,
		[2]string{"Rencana pelaksanaan", ui.DateOnly(v.PlannedStart) + " – " + ui.DateOnly(v.PlannedEnd)},
		[2]string{"Pagu anggaran", ui.Rupiah(v.Budget)},
	)
	for _, f := range v.Funding {
		pairs = append(pairs, [2]string{"  " + f.Name, ui.Rupiah(f.Amount)})
	}
	pairs = append(pairs,
		[2]string{"Realisasi keuangan", ui.Rupiah(v.Spent) + " (" + percent(v.Absorption) + ")"},
		[2]string{"Progres fisik", percent(v.Percent)},
	)
	if v.LastReport != "" {
		pairs = append(pairs, [2]string{"Laporan terakhir", ui.DateOnly(v.LastReport)})
	}
	if v.CancelReason != "" {
		pairs = append(pairs, [2]string{"Alasan pembatalan", v.CancelReason})
	}
	return ui.DefinitionList(pairs...)
}

// projectBody is a project's page as staff (with the chair's name) and
// citizens alike see it: its state, facts, progress against the plan,
// description, photo timeline and reports.
func projectBody(r *http.Request, v ProjectView, staff bool) []ui.Node {
	body := []ui.Node{
		ui.HTML("<p>" + stateBadge(v.State, v.BehindSchedule).HTML(r) + "</p>"),
		ui.Section("Data proyek", projectDetails(v, staff), mapLink(v)),
		ui.Section("Progres", progressBars(v)),
	}
	if v.Description != "" {
		body = append(body, ui.Section("Uraian", ui.Text(v.Description)))
	}
	return append(body, ui.Section("Foto pekerjaan", timeline(r, v)), reportsTable(v))
}

// mapLink links a project's point to OpenStreetMap, a page the citizen
// opens on purpose (nothing of it loads with ours); none without a point.
func mapLink(v ProjectView) ui.Node {
	if v.Location.Lat == nil || v.Location.Lng == nil {
		return ui.HTML("")
	}
	lat := strconv.FormatFloat(*v.Location.Lat, 'f', 6, 64)
	lng := strconv.FormatFloat(*v.Location.Lng, 'f', 6, 64)
	href := "https://www.openstreetmap.org/?mlat=" + lat + "&mlon=" + lng + "#map=17/" + lat + "/" + lng
	return ui.HTML(template.HTML(`<p><a href="` + template.HTMLEscapeString(href) + `" rel="noopener">Lihat lokasi di peta (OpenStreetMap)</a></p>`))
}
