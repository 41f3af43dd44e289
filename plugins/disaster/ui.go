package main

// Console screens for clerks, below /console/{tenant}/m/disaster:
//
//	GET  /reports                 (menu Bencana) the reports of the tenant and below, filters, paging
//	GET  /reports/new, POST       an operator's report (village only)
//	GET  /reports/{id}            a report: facts, impact, log; verify/reject, impact, status and log forms
//	POST /reports/{id}/verify     verifyReport
//	POST /reports/{id}/reject     rejectReport
//	POST /reports/{id}/impact     putImpact
//	POST /reports/{id}/status     postStatus
//	POST /reports/{id}/log        postLog
//	GET  /regions                 one row per village below: counts and impact (the regency's view)
//	GET  /settings, POST          the regency's webhook and its delivery log
//	GET  /notice                  dashboard widget: active verified disasters in the subtree

import (
	"cmp"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

var consolePages = []sdk.PageRoute{
	{Method: "GET", Path: "/reports", Permission: permRead, Handler: http.HandlerFunc(reportsPage),
		Menu: &sdk.MenuEntry{Label: "Bencana", LabelEN: "Disasters", Icon: "alert", Order: 70}},
	{Method: "GET", Path: "/reports/new", Permission: permWrite, Handler: http.HandlerFunc(newReportPage)},
	{Method: "POST", Path: "/reports/new", Permission: permWrite, Handler: http.HandlerFunc(newReportPage)},
	{Method: "GET", Path: "/reports/{id}", Permission: permRead, Handler: http.HandlerFunc(reportPage)},
	{Method: "POST", Path: "/reports/{id}/verify", Permission: permVerify, Handler: http.HandlerFunc(actionPage(verifyReport, "verify"))},
	{Method: "POST", Path: "/reports/{id}/reject", Permission: permVerify, Handler: http.HandlerFunc(actionPage(rejectReport, "reject"))},
	{Method: "POST", Path: "/reports/{id}/impact", Permission: permWrite, Handler: http.HandlerFunc(actionPage(putImpact, "impact"))},
	{Method: "POST", Path: "/reports/{id}/status", Permission: permWrite, Handler: http.HandlerFunc(actionPage(postStatus, "status"))},
	{Method: "POST", Path: "/reports/{id}/log", Permission: permWrite, Handler: http.HandlerFunc(actionPage(postLog, "log"))},
	{Method: "POST", Path: "/reports/{id}/photos", Permission: permWrite, MaxBodyBytes: maxPhotoBytes + multipartSlack, Handler: http.HandlerFunc(photoPage)},
	{Method: "GET", Path: "/regions", Permission: permRead, Handler: http.HandlerFunc(regionsPage)},
	{Method: "GET", Path: "/settings", Permission: permSettings, Handler: http.HandlerFunc(settingsPage)},
	{Method: "POST", Path: "/settings", Permission: permSettings, Handler: http.HandlerFunc(settingsPage)},
	{Method: "GET", Path: "/notice", Permission: permRead, Widget: true, Handler: http.HandlerFunc(noticeWidget)},
}

// codeText says the module's error codes in Bahasa Indonesia for screens.
var codeText = map[sdk.Code]string{
	codeNotAVillage:           "Laporan bencana dicatat di desa tempat kejadian",
	codeNotARegency:           "Webhook diatur di tingkat kabupaten",
	codeInvalidType:           "Pilih jenis bencana",
	codeInvalidOccurredAt:     "Waktu kejadian tidak valid (tidak boleh di masa depan atau lebih dari setahun lalu)",
	codeInvalidDescription:    "Uraian kejadian wajib diisi (paling banyak 2000 karakter)",
	codeInvalidPlace:          "Dusun atau lokasi tidak valid",
	codeInvalidCoordinates:    "Koordinat harus lengkap (lintang dan bujur) dan berada di Indonesia",
	codeInvalidReporter:       "Nama pelapor wajib diisi",
	codeInvalidPhone:          "Nomor HP tidak valid, contoh 081234567890",
	codeReportNotFound:        "Laporan tidak ditemukan",
	codeInvalidState:          "Status laporan tidak memungkinkan tindakan ini",
	codeInvalidStatus:         "Pilih status penanganan",
	codeInvalidTransition:     "Status penanganan hanya bisa maju",
	codeInvalidReason:         "Alasan penolakan wajib diisi",
	codeInvalidNote:           "Catatan tidak valid",
	codeInvalidImpact:         "Angka dampak harus 0 atau lebih",
	codeInvalidKK:             "Nomor KK harus 16 angka",
	codeInvalidNIK:            "NIK harus 16 angka",
	codeFamilyNotFound:        "KK tidak ada dalam data kependudukan desa",
	codeResidentNotFound:      "NIK tidak ada dalam data kependudukan desa",
	codeTooManyPeople:         "Paling banyak 500 KK dan 500 NIK",
	codePopulationNotEnabled:  "Modul kependudukan belum aktif di desa ini",
	codePopulationUnavailable: "Data kependudukan sedang tidak dapat dihubungi",
	codeInvalidLogKind:        "Pilih jenis catatan",
	codeInvalidSettings:       "Pengaturan tidak valid",
	codeWebhookAddressRefused: "Webhook tidak boleh ke alamat loopback, link-local atau khusus; alamat jaringan kabupaten (10.x, 172.16-31.x, 192.168.x) boleh",
	codeNotAnImage:            "Foto harus berupa gambar JPEG, PNG, WebP atau GIF",
	codePhotoTooLarge:         "Foto paling besar 5 MB",
	codeTooManyPhotos:         "Paling banyak 6 foto per laporan",
	codeMalformedForm:         "Formulir tidak terbaca",
	sdk.CodeRateLimited:       "Terlalu banyak laporan dari alamat ini. Coba lagi nanti",
}

// formErrors reads a client's error for a form: the field's message,
// the summary and the status; ok false for anything else (a 5xx).
func formErrors(r *http.Request, err error) (fields map[string]string, msg string, status int, ok bool) {
	var se *sdk.Error
	if !errors.As(err, &se) || se.Status >= 500 && se.Code != codePopulationUnavailable {
		return nil, "", 0, false
	}
	text := se.Message
	if t, found := codeText[se.Code]; found && ui.Info(r).Lang != "en" {
		text = t
		if strings.HasPrefix(ui.Info(r).Base, "/console/") {
			text = t + " (" + se.Message + ")"
		}
	}
	fields = map[string]string{}
	if se.Field != "" {
		fields[se.Field] = text
	}
	return fields, text, se.Status, true
}

// fail shows an error page.
func fail(w http.ResponseWriter, r *http.Request, err error) {
	_, msg, status, ok := formErrors(r, err)
	if !ok {
		status, msg = http.StatusInternalServerError, ui.Tr(r, "Terjadi kesalahan. Coba lagi nanti.", "Something went wrong. Try again later.")
		sdk.Logf(r.Context(), "error", "page %s: %v", r.URL.Path, err)
	}
	ui.ErrorPage(w, r, ui.Tr(r, "Kesalahan", "Error"), status, msg)
}

// whenWhere are a report's time and place as label and value pairs: when
// it happened, its village (place), dusun, location and coordinates.
func whenWhere(r *http.Request, v ReportView, place string) [][2]string {
	pairs := [][2]string{
		{ui.Tr(r, "Waktu kejadian", "Occurred"), when(r, v.OccurredAt)},
		{ui.Tr(r, "Desa", "Village"), place},
		{"Dusun", v.Dusun},
		{ui.Tr(r, "Lokasi", "Place"), v.Location},
	}
	if v.Latitude != nil {
		pairs = append(pairs, [2]string{ui.Tr(r, "Koordinat", "Coordinates"), fmt.Sprintf("%.5f, %.5f", *v.Latitude, *v.Longitude)})
	}
	return pairs
}

func statusLabel(r *http.Request, s string) string {
	return ui.Tr(r, statusLabelID(s), statusLabelEN(s))
}

// statusBadge is a status as a badge, with data-status for scripts and tests.
func statusBadge(r *http.Request, s string) ui.Node {
	kind := map[string]string{StatusReported: "warning", StatusVerified: "danger", StatusEmergency: "danger", StatusRecovery: "info",
		StatusClosed: "success", StatusRejected: "neutral"}[s]
	return ui.HTML(template.HTML(`<span data-status="`+template.HTMLEscapeString(s)+`">`) + ui.Badge(kind, statusLabel(r, s)).HTML(r) + `</span>`)
}

func typeLabel(r *http.Request, code string) string {
	t, ok := typeOf(code)
	if !ok {
		return code
	}
	return ui.Tr(r, t.Label, t.LabelEN)
}

func typeOptions(r *http.Request, blank string) []ui.Option {
	out := []ui.Option{{Value: "", Label: blank}}
	for _, t := range Types {
		out = append(out, ui.Option{Value: t.Code, Label: ui.Tr(r, t.Label, t.LabelEN)})
	}
	return out
}

func statusOptions(r *http.Request, list []string) []ui.Option {
	out := []ui.Option{{Value: "", Label: ui.Tr(r, "Semua status", "Every status")}}
	for _, s := range list {
		out = append(out, ui.Option{Value: s, Label: statusLabel(r, s)})
	}
	return out
}

// villageNames maps the codes of the villages below (and the tenant
// itself) to their names, for tables of a district or regency.
func villageNames(r *http.Request) map[string]string {
	req := sdk.From(r)
	names := map[string]string{}
	if self, _, err := req.TenantInfo(r.Context()); err == nil {
		names[self.Code] = self.Name
	}
	if req.Level != sdk.Village {
		if below, err := req.TenantsBelow(r.Context(), sdk.Village); err == nil {
			for _, t := range below {
				names[t.Code] = t.Name
			}
		}
	}
	return names
}

func when(r *http.Request, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return ui.DateTime(r, t)
}

func num(n int64) string {
	if n < 0 {
		return "-" + ui.Number(uint64(-n))
	}
	return ui.Number(uint64(n))
}

// reportsPage is the clerks' list: every report of the tenant and below.
func reportsPage(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	_, body, err := ui.CallAPI(r, listReports, "GET", r.URL.Query(), nil)
	if err != nil {
		if _, _, status, ok := formErrors(r, err); ok && status == http.StatusBadRequest {
			q := r.URL.Query()
			q.Del("status")
			q.Del("type")
			q.Del("year")
			_, body, err = ui.CallAPI(r, listReports, "GET", q, nil)
		}
		if err != nil {
			fail(w, r, err)
			return
		}
	}
	list := body.(sdk.ListOf[ReportView])
	names := villageNames(r)
	_, limit, _ := sdk.Page(r)
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	cols := []ui.Column{{Key: "occurred_at", Label: ui.Tr(r, "Waktu kejadian", "Occurred")}, {Key: "type", Label: ui.Tr(r, "Jenis", "Type")},
		{Key: "village", Label: ui.Tr(r, "Desa", "Village")}, {Key: "status", Label: "Status"},
		{Key: "victims", Label: ui.Tr(r, "Meninggal / mengungsi", "Dead / displaced")}}
	rows := make([]ui.Row, 0, len(list.Items))
	for _, v := range list.Items {
		place := names[v.Tenant]
		if place == "" {
			place = v.Tenant
		}
		if v.Dusun != "" {
			place += ", " + v.Dusun
		}
		rows = append(rows, ui.Row{Href: "/reports/" + v.ID, Cells: []ui.Node{ui.Cell(when(r, v.OccurredAt)), ui.Cell(typeLabel(r, v.Type)),
			ui.Cell(place), statusBadge(r, v.Status), ui.Cell(num(v.Impact.Dead) + " / " + num(v.Impact.Displaced))}})
	}
	var actions []ui.Link
	if req.Level == sdk.Village && req.Can(permWrite) {
		actions = append(actions, ui.Link{Label: ui.Tr(r, "Catat laporan", "New report"), Href: "/reports/new", Primary: true})
	}
	actions = append(actions, ui.Link{Label: ui.Tr(r, "Rekap per desa", "Per village"), Href: "/regions"})
	if req.Can(permSettings) && req.Level == sdk.Regency {
		actions = append(actions, ui.Link{Label: ui.Tr(r, "Webhook peringatan", "Alert webhook"), Href: "/settings"})
	}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Laporan bencana", "Disaster reports"), Actions: actions, Body: []ui.Node{
		ui.Table{Columns: cols, Rows: rows, Total: int(list.Total), Page: max(page, 1), Limit: limit, Caption: ui.Tr(r, "Laporan bencana", "Disaster reports"),
			Empty: ui.Tr(r, "Belum ada laporan bencana.", "No disaster reports yet."),
			Filters: []ui.Field{
				{Name: "status", Label: "Status", Type: "select", Options: statusOptions(r, Statuses)},
				{Name: "type", Label: ui.Tr(r, "Jenis", "Type"), Type: "select", Options: typeOptions(r, ui.Tr(r, "Semua jenis", "Every type"))},
				{Name: "year", Label: ui.Tr(r, "Tahun", "Year"), Type: "number", Max: 9999},
			}},
	}})
}

// reportFields are the fields of a report form; public adds the reporter.
func reportFields(r *http.Request, public bool) []ui.Field {
	fields := []ui.Field{
		{Name: "type", Label: ui.Tr(r, "Jenis bencana", "Disaster type"), Type: "select", Required: true, Options: typeOptions(r, ui.Tr(r, "Pilih jenis", "Choose a type"))},
		{Name: "occurred_date", Label: ui.Tr(r, "Tanggal kejadian", "Date"), Type: "date", Required: true},
		{Name: "occurred_time", Label: ui.Tr(r, "Jam kejadian", "Time"), Max: 5, Placeholder: "14:30", Help: ui.Tr(r, "Jam dan menit, waktu setempat. Kosongkan bila tidak tahu.", "Hours and minutes, local time. Leave empty if unknown.")},
		{Name: "dusun", Label: "Dusun", Max: 100},
		{Name: "location", Label: ui.Tr(r, "Lokasi (RT/RW, patokan)", "Place (RT/RW, landmark)"), Max: 200},
		{Name: "latitude", Label: ui.Tr(r, "Lintang (opsional)", "Latitude (optional)"), Placeholder: "0.3301", Max: 12},
		{Name: "longitude", Label: ui.Tr(r, "Bujur (opsional)", "Longitude (optional)"), Placeholder: "101.0212", Max: 12},
		{Name: "description", Label: ui.Tr(r, "Uraian kejadian", "What happened"), Type: "textarea", Required: true, Max: 2000},
	}
	nameHelp := ui.Tr(r, "Tidak ditampilkan kepada publik.", "Never shown to the public.")
	fields = append(fields,
		ui.Field{Name: "reporter_name", Label: ui.Tr(r, "Nama pelapor", "Reporter's name"), Required: public, Max: 100, Help: nameHelp},
		ui.Field{Name: "reporter_phone", Label: ui.Tr(r, "Nomor HP pelapor", "Reporter's phone"), Type: "tel", Required: public, Max: 20, Digits: true,
			Help: ui.Tr(r, "Petugas desa menghubungi nomor ini untuk memastikan laporan. Tidak ditampilkan kepada publik.", "The village calls this number to confirm. Never shown to the public.")})
	return fields
}

// reportBody turns a report form into the API's input, in the village's
// zone; a malformed date, time or coordinate is answered as the API would.
func reportBody(r *http.Request, v url.Values) (*ReportInput, error) {
	in := &ReportInput{Type: v.Get("type"), Dusun: v.Get("dusun"), Location: v.Get("location"), Description: v.Get("description"),
		ReporterName: v.Get("reporter_name"), ReporterPhone: v.Get("reporter_phone")}
	hm := strings.TrimSpace(strings.ReplaceAll(v.Get("occurred_time"), ".", ":"))
	if hm == "" {
		hm = "00:00"
	}
	at, err := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(v.Get("occurred_date"))+" "+hm, sdk.From(r).Location())
	if err != nil {
		return nil, invalid(codeInvalidOccurredAt, "occurred_date", "date and time of the disaster are malformed")
	}
	in.OccurredAt = at.Format(time.RFC3339)
	lat, lng := strings.TrimSpace(strings.ReplaceAll(v.Get("latitude"), ",", ".")), strings.TrimSpace(strings.ReplaceAll(v.Get("longitude"), ",", "."))
	if lat != "" || lng != "" {
		la, err1 := strconv.ParseFloat(lat, 64)
		lo, err2 := strconv.ParseFloat(lng, 64)
		if err1 != nil || err2 != nil {
			return nil, invalid(codeInvalidCoordinates, "latitude", "latitude and longitude must be decimal degrees")
		}
		in.Latitude, in.Longitude = &la, &lo
	}
	return in, nil
}

// newReportPage is an operator's report form.
func newReportPage(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	title := ui.Tr(r, "Catat laporan bencana", "New disaster report")
	if req.Level != sdk.Village {
		fail(w, r, errNotAVillage(req))
		return
	}
	values := url.Values{"occurred_date": {req.Today()}}
	status, errs, msg := http.StatusOK, map[string]string(nil), ""
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			fail(w, r, sdk.Errorf(http.StatusBadRequest, sdk.CodeInvalidField, "unreadable form"))
			return
		}
		values = r.PostForm
		in, err := reportBody(r, values)
		var out any
		if err == nil {
			_, out, err = ui.CallAPI(r, createReport, "POST", nil, in)
		}
		if err == nil {
			ui.Redirect(w, r, "/reports/"+out.(Created).ID, "success", ui.Tr(r, "Laporan dicatat. Verifikasi setelah dipastikan di lapangan.", "Report recorded. Verify it once confirmed."))
			return
		}
		var ok bool
		if errs, msg, status, ok = formErrors(r, err); !ok {
			fail(w, r, err)
			return
		}
	}
	ui.Render(w, r, ui.Page{Title: title, Status: status, Body: []ui.Node{
		ui.Form{Action: "/reports/new", Submit: ui.Tr(r, "Simpan laporan", "Save report"), Values: values, Errors: errs, Error: msg,
			Fields: reportFields(r, false), Cancel: "/reports"},
	}})
}

// reportPage shows a report with the forms its status allows.
func reportPage(w http.ResponseWriter, r *http.Request) {
	renderReport(w, r, http.StatusOK, "", nil, "", nil)
}

func renderReport(w http.ResponseWriter, r *http.Request, status int, form string, values url.Values, msg string, errs map[string]string) {
	req := sdk.From(r)
	id := r.PathValue("id")
	_, body, err := ui.CallAPI(r, getReport, "GET", nil, nil, "id", id)
	if err != nil {
		fail(w, r, err)
		return
	}
	v := body.(ReportView)
	names := villageNames(r)
	place := names[v.Tenant]
	pairs := append([][2]string{{ui.Tr(r, "Jenis", "Type"), typeLabel(r, v.Type)}}, whenWhere(r, v, place)...)
	pairs = append(pairs,
		[2]string{ui.Tr(r, "Dilaporkan", "Reported"), when(r, v.ReportedAt) + " (" + channelLabel(r, v.Channel, v.ReportedBy) + ")"},
		[2]string{ui.Tr(r, "Pelapor", "Reporter"), strings.TrimSpace(v.ReporterName + " " + v.ReporterPh)})
	if !v.VerifiedAt.IsZero() {
		pairs = append(pairs, [2]string{ui.Tr(r, "Diverifikasi", "Verified"), when(r, v.VerifiedAt) + " (" + v.VerifiedBy + ")"})
	}
	if v.RejectReason != "" {
		pairs = append(pairs, [2]string{ui.Tr(r, "Alasan penolakan", "Reason for rejection"), v.RejectReason})
	}
	nodes := []ui.Node{
		ui.HTML(template.HTML(`<p id="report-status">`) + statusBadge(r, v.Status).HTML(r) + `</p>`),
		ui.Text(v.Description),
		ui.DefinitionList(filled(pairs)...),
		photosNode(r, v.Photos),
		impactSection(r, v),
	}
	canWrite := req.Level == sdk.Village && req.Can(permWrite)
	if canWrite && len(v.Photos) < maxPhotos && v.Status != StatusRejected {
		nodes = append(nodes, ui.Upload("/reports/"+v.ID+"/photos", "photo", ui.Tr(r, "Tambah foto", "Add a photo"),
			ui.Tr(r, "JPEG, PNG atau WebP, paling besar 5 MB; paling banyak 6 foto. Foto tampil di halaman publik setelah diverifikasi.", "JPEG, PNG or WebP up to 5 MB; at most 6. Shown publicly once verified."), "image/*"))
	}
	formOf := func(name string) (url.Values, map[string]string, string) {
		if name == form {
			return values, errs, msg
		}
		return nil, nil, ""
	}
	switch {
	case v.Status == StatusReported && req.Level == sdk.Village && req.Can(permVerify):
		fv, fe, fm := formOf("verify")
		if fv == nil {
			fv = url.Values{"description": {v.Description}}
		}
		nodes = append(nodes, ui.Section(ui.Tr(r, "Verifikasi", "Verification"),
			ui.Muted(ui.Tr(r, "Pastikan kejadian dengan menelepon pelapor atau meninjau lokasi. Verifikasi menerbitkan laporan dan memberi tahu kecamatan dan kabupaten.",
				"Confirm by calling the reporter or visiting. Verifying publishes the report and alerts the district and regency.")),
			ui.Form{Action: "/reports/" + v.ID + "/verify", Submit: ui.Tr(r, "Verifikasi laporan", "Verify report"), Values: fv, Errors: fe, Error: fm,
				Fields: []ui.Field{
					{Name: "description", Label: ui.Tr(r, "Uraian yang diterbitkan", "Text to publish"), Type: "textarea", Max: 2000,
						Help: ui.Tr(r, "Hapus nama, nomor HP atau NIK yang ditulis pelapor sebelum diterbitkan.", "Take out any name, phone or NIK the reporter wrote before publishing.")},
					{Name: "note", Label: ui.Tr(r, "Catatan (opsional)", "Note (optional)"), Max: 1000}}}))
		fv, fe, fm = formOf("reject")
		nodes = append(nodes, ui.Section(ui.Tr(r, "Tolak laporan", "Reject report"),
			ui.Form{Action: "/reports/" + v.ID + "/reject", Submit: ui.Tr(r, "Tolak", "Reject"), Values: fv, Errors: fe, Error: fm,
				Confirm: ui.Tr(r, "Tolak laporan ini?", "Reject this report?"),
				Fields:  []ui.Field{{Name: "reason", Label: ui.Tr(r, "Alasan", "Reason"), Required: true, Max: 1000}}}))
	case canWrite && contains(activeStatuses, v.Status):
		fv, fe, fm := formOf("status")
		var opts []ui.Option
		for _, s := range []string{StatusEmergency, StatusRecovery, StatusClosed} {
			if statusRank(s) > statusRank(v.Status) {
				opts = append(opts, ui.Option{Value: s, Label: statusLabel(r, s)})
			}
		}
		nodes = append(nodes, ui.Section(ui.Tr(r, "Status penanganan", "Response status"),
			ui.Form{Action: "/reports/" + v.ID + "/status", Submit: ui.Tr(r, "Ubah status", "Change status"), Values: fv, Errors: fe, Error: fm,
				Fields: []ui.Field{{Name: "status", Label: "Status", Type: "select", Required: true, Options: opts},
					{Name: "note", Label: ui.Tr(r, "Catatan", "Note"), Max: 1000}}}))
	}
	if canWrite && contains(publishedStatuses, v.Status) {
		fv, fe, fm := formOf("impact")
		if fv == nil {
			fv = impactValues(v)
		}
		nodes = append(nodes, ui.Section(ui.Tr(r, "Kaji dampak", "Impact assessment"), impactForm(r, v.ID, fv, fe, fm)))
		fv, fe, fm = formOf("log")
		nodes = append(nodes, ui.Section(ui.Tr(r, "Tambah catatan penanganan", "Add to the log"),
			ui.Form{Action: "/reports/" + v.ID + "/log", Submit: ui.Tr(r, "Tambah", "Add"), Values: fv, Errors: fe, Error: fm, Fields: []ui.Field{
				{Name: "kind", Label: ui.Tr(r, "Jenis", "Kind"), Type: "select", Required: true, Options: []ui.Option{
					{Value: "action", Label: ui.Tr(r, "Tindakan", "Action")}, {Value: "need", Label: ui.Tr(r, "Kebutuhan", "Need")}}},
				{Name: "text", Label: ui.Tr(r, "Uraian", "Text"), Type: "textarea", Required: true, Max: 1000,
					Help: ui.Tr(r, "Catatan ini tampil di halaman publik: jangan tulis nama atau NIK.", "The log is public: write no one's name or NIK.")},
				{Name: "quantity", Label: ui.Tr(r, "Jumlah (kebutuhan)", "Quantity (need)"), Type: "number"},
				{Name: "unit", Label: ui.Tr(r, "Satuan", "Unit"), Max: 30, Placeholder: "kg"},
			}}))
	}
	nodes = append(nodes, logSection(r, v.Log, true))
	ui.Render(w, r, ui.Page{Title: typeLabel(r, v.Type) + " " + ui.Tr(r, "di ", "in ") + place, Status: status,
		Actions: []ui.Link{{Label: ui.Tr(r, "Kembali ke daftar", "Back to the list"), Href: "/reports"}}, Body: nodes})
}

// filled drops the pairs without a value.
func filled(pairs [][2]string) [][2]string {
	out := pairs[:0]
	for _, p := range pairs {
		if strings.TrimSpace(p[1]) != "" {
			out = append(out, p)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func channelLabel(r *http.Request, channel, by string) string {
	if channel == ChannelOperator {
		return ui.Tr(r, "petugas ", "operator ") + by
	}
	return ui.Tr(r, "warga, daring", "a citizen, online")
}

func impactValues(v ReportView) url.Values {
	i := v.Impact
	out := url.Values{}
	for k, n := range map[string]int64{"dead": i.Dead, "missing": i.Missing, "injured": i.Injured, "displaced": i.Displaced,
		"houses_light": i.HousesLight, "houses_moderate": i.HousesModerate, "houses_heavy": i.HousesHeavy, "facilities": i.Facilities} {
		out.Set(k, strconv.FormatInt(n, 10))
	}
	out.Set("facilities_note", i.FacilitiesNote)
	if !hasMasked(v.AffectedKK) {
		out.Set("kk", strings.Join(v.AffectedKK, "\n"))
	}
	if !hasMasked(v.AffectedNIK) {
		out.Set("nik", strings.Join(v.AffectedNIK, "\n"))
	}
	return out
}

func hasMasked(list []string) bool {
	for _, s := range list {
		if strings.Contains(s, "*") {
			return true
		}
	}
	return false
}

func impactForm(r *http.Request, id string, values url.Values, errs map[string]string, msg string) ui.Node {
	n := func(name, id, en string) ui.Field {
		return ui.Field{Name: name, Label: ui.Tr(r, id, en), Type: "number", Max: maxCount}
	}
	return ui.Form{Action: "/reports/" + id + "/impact", Submit: ui.Tr(r, "Simpan kaji dampak", "Save assessment"), Values: values, Errors: errs, Error: msg,
		Fields: []ui.Field{
			n("dead", "Meninggal", "Dead"), n("missing", "Hilang", "Missing"), n("injured", "Luka-luka", "Injured"), n("displaced", "Mengungsi", "Displaced"),
			n("houses_light", "Rumah rusak ringan", "Houses lightly damaged"), n("houses_moderate", "Rumah rusak sedang", "Houses moderately damaged"),
			n("houses_heavy", "Rumah rusak berat", "Houses heavily damaged"), n("facilities", "Fasilitas umum rusak", "Public facilities damaged"),
			{Name: "facilities_note", Label: ui.Tr(r, "Fasilitas yang rusak", "Which facilities"), Max: 1000, Placeholder: ui.Tr(r, "SD 01, jembatan dusun II", "primary school, bridge")},
			{Name: "kk", Label: ui.Tr(r, "KK terdampak", "Affected families (KK)"), Type: "textarea",
				Help: ui.Tr(r, "Satu nomor KK per baris; dicocokkan dengan data kependudukan desa, semua anggotanya terhitung.", "One KK per line, matched against the village register; all members count.")},
			{Name: "nik", Label: ui.Tr(r, "NIK terdampak (perorangan)", "Affected residents (NIK)"), Type: "textarea",
				Help: ui.Tr(r, "Satu NIK per baris, untuk warga yang terdampak tanpa seluruh keluarganya.", "One NIK per line, for residents affected without their whole family.")},
		}}
}

// impactBody turns the impact form into the API's input.
func impactBody(v url.Values) (*ImpactInput, error) {
	in := &ImpactInput{FacilitiesNote: v.Get("facilities_note"), KK: lines(v.Get("kk")), NIK: lines(v.Get("nik"))}
	for name, p := range map[string]*int64{"dead": &in.Dead, "missing": &in.Missing, "injured": &in.Injured, "displaced": &in.Displaced,
		"houses_light": &in.HousesLight, "houses_moderate": &in.HousesModerate, "houses_heavy": &in.HousesHeavy, "facilities": &in.Facilities} {
		s := strings.TrimSpace(v.Get(name))
		if s == "" {
			continue
		}
		n, err := strconv.ParseInt(strings.ReplaceAll(s, ".", ""), 10, 64)
		if err != nil {
			return nil, invalid(codeInvalidImpact, name, "%s must be a whole number", name)
		}
		*p = n
	}
	return in, nil
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ',' || r == ';' }) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// impactSection shows the assessed impact.
func impactSection(r *http.Request, v ReportView) ui.Node {
	i := v.Impact
	if v.ImpactAt.IsZero() {
		return ui.Section(ui.Tr(r, "Dampak", "Impact"), ui.Muted(ui.Tr(r, "Dampak belum dikaji.", "Impact not assessed yet.")))
	}
	pairs := [][2]string{
		{ui.Tr(r, "Meninggal", "Dead"), num(i.Dead)}, {ui.Tr(r, "Hilang", "Missing"), num(i.Missing)},
		{ui.Tr(r, "Luka-luka", "Injured"), num(i.Injured)}, {ui.Tr(r, "Mengungsi", "Displaced"), num(i.Displaced)},
		{ui.Tr(r, "Keluarga terdampak", "Affected families"), num(i.AffectedFamilies) + " KK"},
		{ui.Tr(r, "Warga terdampak", "Affected residents"), num(i.AffectedResidents) + ui.Tr(r, " jiwa", "")},
		{ui.Tr(r, "Rumah rusak (ringan / sedang / berat)", "Houses damaged (light / moderate / heavy)"), num(i.HousesLight) + " / " + num(i.HousesModerate) + " / " + num(i.HousesHeavy)},
		{ui.Tr(r, "Fasilitas umum rusak", "Public facilities damaged"), strings.TrimSpace(num(i.Facilities) + " " + i.FacilitiesNote)},
		{ui.Tr(r, "Dikaji", "Assessed"), when(r, v.ImpactAt)},
	}
	return ui.HTML(`<section class="b-card" id="impact"><h2>` + template.HTML(template.HTMLEscapeString(ui.Tr(r, "Dampak", "Impact"))) + `</h2>` + ui.DefinitionList(pairs...).HTML(r) + `</section>`)
}

// logSection shows the response's log, newest first: a table for staff,
// a list that reads on a phone for the public.
func logSection(r *http.Request, log []LogEntry, staff bool) ui.Node {
	if !staff {
		if len(log) == 0 {
			return ui.Section(ui.Tr(r, "Catatan penanganan", "Response log"), ui.Muted(ui.Tr(r, "Belum ada catatan.", "Nothing logged yet.")))
		}
		var b strings.Builder
		b.WriteString(`<ul id="response-log">`)
		for i := len(log) - 1; i >= 0; i-- {
			e := log[i]
			kind := map[string]string{"action": ui.Tr(r, "Tindakan", "Action"), "need": ui.Tr(r, "Kebutuhan", "Need"), "status": "Status"}[e.Kind]
			text := e.Text
			if e.Quantity > 0 {
				text += " (" + num(e.Quantity) + " " + e.Unit + ")"
			}
			fmt.Fprintf(&b, `<li><strong>%s</strong>: %s <span class="b-muted">%s</span></li>`, template.HTMLEscapeString(kind),
				template.HTMLEscapeString(text), template.HTMLEscapeString(when(r, e.At)))
		}
		b.WriteString(`</ul>`)
		return ui.Section(ui.Tr(r, "Catatan penanganan", "Response log"), ui.HTML(template.HTML(b.String())))
	}
	rows := make([]ui.Row, 0, len(log))
	for i := len(log) - 1; i >= 0; i-- {
		e := log[i]
		kind := map[string]string{"action": ui.Tr(r, "Tindakan", "Action"), "need": ui.Tr(r, "Kebutuhan", "Need"), "status": "Status"}[e.Kind]
		text := e.Text
		if e.Quantity > 0 {
			text += " (" + num(e.Quantity) + " " + e.Unit + ")"
		}
		cells := []ui.Node{ui.Cell(when(r, e.At)), ui.Cell(kind), ui.Cell(text)}
		if staff {
			cells = append(cells, ui.Cell(e.By))
		}
		rows = append(rows, ui.Row{Cells: cells})
	}
	cols := []ui.Column{{Key: "at", Label: ui.Tr(r, "Waktu", "When")}, {Key: "kind", Label: ui.Tr(r, "Jenis", "Kind")}, {Key: "text", Label: ui.Tr(r, "Uraian", "Text")}}
	if staff {
		cols = append(cols, ui.Column{Key: "by", Label: ui.Tr(r, "Oleh", "By")})
	}
	return ui.Section(ui.Tr(r, "Catatan penanganan", "Response log"), ui.Table{Columns: cols, Rows: rows,
		Empty: ui.Tr(r, "Belum ada catatan.", "Nothing logged yet.")})
}

// actionPage serves a report's workflow form by the API's handler.
func actionPage(fn func(*http.Request) (int, any, error), form string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			fail(w, r, sdk.Errorf(http.StatusBadRequest, sdk.CodeInvalidField, "unreadable form"))
			return
		}
		id := r.PathValue("id")
		v := r.PostForm
		var body any
		var err error
		switch form {
		case "verify":
			body = NoteInput{Note: v.Get("note"), Description: v.Get("description")}
		case "reject":
			if form == "reject" && !ui.Confirm(w, r, ui.Form{Action: "/reports/" + id + "/reject", Submit: ui.Tr(r, "Tolak", "Reject"),
				Confirm: ui.Tr(r, "Tolak laporan ini?", "Reject this report?"), Fields: []ui.Field{{Name: "reason", Type: "hidden"}}, Values: v}) {
				return
			}
			body = NoteInput{Reason: v.Get("reason")}
		case "impact":
			body, err = impactBody(v)
		case "status":
			body = StatusInput{Status: v.Get("status"), Note: v.Get("note")}
		case "log":
			var q int64
			if s := strings.TrimSpace(v.Get("quantity")); s != "" {
				if q, err = strconv.ParseInt(strings.ReplaceAll(s, ".", ""), 10, 64); err != nil {
					err = invalid(codeInvalidImpact, "quantity", "quantity must be a whole number")
				}
			}
			body = LogInput{Kind: v.Get("kind"), Text: v.Get("text"), Quantity: q, Unit: v.Get("unit")}
		}
		if err == nil {
			_, _, err = ui.CallAPI(r, villageOnly(fn), "POST", nil, body, "id", id)
		}
		if err == nil {
			msg := map[string][2]string{
				"verify": {"Laporan diverifikasi dan diterbitkan. Kecamatan dan kabupaten telah diberi tahu.", "Report verified and published. The district and regency are alerted."},
				"reject": {"Laporan ditolak.", "Report rejected."},
				"impact": {"Kaji dampak disimpan.", "Impact assessment saved."},
				"status": {"Status penanganan diubah.", "Response status changed."},
				"log":    {"Catatan ditambahkan.", "Added to the log."},
			}[form]
			ui.Redirect(w, r, "/reports/"+id, "success", ui.Tr(r, msg[0], msg[1]))
			return
		}
		errs, msg, status, ok := formErrors(r, err)
		if !ok || status == http.StatusNotFound || status == http.StatusForbidden {
			fail(w, r, err)
			return
		}
		renderReport(w, r, status, form, v, msg, errs)
	}
}

// regionsPage is the regency's (or district's) view: one row per village
// below where the module is on, with its counts and impact.
func regionsPage(w http.ResponseWriter, r *http.Request) { statsPage(w, r, false) }

// statsPage draws the roll-up: for clerks (regionsPage) or, public, the
// citizens' statistics page (only published disasters are counted either
// way: it is GET /summary).
func statsPage(w http.ResponseWriter, r *http.Request, public bool) {
	year := 0
	if y := r.URL.Query().Get("year"); y != "" {
		year, _ = strconv.Atoi(y)
		if year < 1900 || year > 9999 {
			year = 0
		}
	}
	s, err := computeSummary(r, year)
	if err != nil {
		fail(w, r, err)
		return
	}
	cols := []ui.Column{{Key: "village", Label: ui.Tr(r, "Desa", "Village")}, {Key: "count", Label: ui.Tr(r, "Kejadian", "Disasters")},
		{Key: "active", Label: ui.Tr(r, "Aktif", "Active")}, {Key: "dead", Label: ui.Tr(r, "Meninggal", "Dead")},
		{Key: "displaced", Label: ui.Tr(r, "Mengungsi", "Displaced")}, {Key: "families", Label: ui.Tr(r, "KK terdampak", "Families")},
		{Key: "houses", Label: ui.Tr(r, "Rumah rusak", "Houses damaged")}}
	// Villages with disasters first (active ones first), then by code.
	byV := slices.Clone(s.ByVillage)
	slices.SortStableFunc(byV, func(a, b VillageCount) int {
		if c := cmp.Compare(b.Active, a.Active); c != 0 {
			return c
		}
		return cmp.Compare(b.Count, a.Count)
	})
	rows := make([]ui.Row, 0, len(byV))
	for _, v := range byV {
		i := v.Impact
		rows = append(rows, ui.Row{Cells: []ui.Node{ui.Cell(v.Name + " (" + v.Tenant + ")"), ui.Cell(num(v.Count)), ui.Cell(num(v.Active)),
			ui.Cell(num(i.Dead)), ui.Cell(num(i.Displaced)), ui.Cell(num(i.AffectedFamilies)), ui.Cell(num(i.HousesLight + i.HousesModerate + i.HousesHeavy))}})
	}
	var bars []ui.Bar
	for _, t := range s.ByType {
		if t.Count > 0 {
			bars = append(bars, ui.Bar{Label: typeLabel(r, t.Type), Value: float64(t.Count)})
		}
	}
	body := []ui.Node{
		ui.Form{Method: "GET", Action: map[bool]string{false: "/regions", true: "/statistik"}[public], Submit: ui.Tr(r, "Tampilkan", "Show"), Values: r.URL.Query(), Fields: []ui.Field{
			{Name: "year", Label: ui.Tr(r, "Tahun (kosong: semua)", "Year (empty: all)"), Type: "number", Max: 9999}}},
		ui.DefinitionList(
			[2]string{ui.Tr(r, "Kejadian terverifikasi", "Verified disasters"), num(s.Total)},
			[2]string{ui.Tr(r, "Masih ditangani", "Still handled"), num(s.Active)},
			[2]string{ui.Tr(r, "Meninggal / hilang / luka", "Dead / missing / injured"), num(s.Impact.Dead) + " / " + num(s.Impact.Missing) + " / " + num(s.Impact.Injured)},
			[2]string{ui.Tr(r, "Mengungsi", "Displaced"), num(s.Impact.Displaced)},
		),
	}
	if len(bars) > 0 {
		body = append(body, ui.Chart{Title: ui.Tr(r, "Kejadian per jenis", "Disasters per type"), Bars: bars})
	}
	body = append(body, ui.Table{Columns: cols, Rows: rows, Caption: ui.Tr(r, "Per desa", "Per village"),
		Empty: ui.Tr(r, "Modul bencana belum aktif di desa mana pun di bawah wilayah ini.", "The module is on in no village below.")})
	list, title := "/reports", ui.Tr(r, "Rekap bencana per desa", "Disasters per village")
	if public {
		list, title = "/kejadian", ui.Tr(r, "Statistik bencana", "Disaster statistics")
	}
	ui.Render(w, r, ui.Page{Title: title, Description: ui.Tr(r, "Kejadian bencana terverifikasi per jenis, tahun dan desa.", "Verified disasters per type, year and village."),
		Actions: []ui.Link{{Label: ui.Tr(r, "Daftar kejadian", "Disasters"), Href: list}}, Body: body})
}

// settingsPage is the regency's webhook and its delivery log.
func settingsPage(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	status, errs, msg := http.StatusOK, map[string]string(nil), ""
	var values url.Values
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			fail(w, r, sdk.Errorf(http.StatusBadRequest, sdk.CodeInvalidField, "unreadable form"))
			return
		}
		values = r.PostForm
		_, _, err := ui.CallAPI(r, putSettings, "PUT", nil, SettingsInput{WebhookURL: values.Get("webhook_url"), WebhookSecret: values.Get("webhook_secret")})
		if err == nil {
			ui.Redirect(w, r, "/settings", "success", ui.Tr(r, "Webhook disimpan.", "Webhook saved."))
			return
		}
		var ok bool
		if errs, msg, status, ok = formErrors(r, err); !ok {
			fail(w, r, err)
			return
		}
	}
	_, sv, err := ui.CallAPI(r, getSettings, "GET", nil, nil)
	if err != nil {
		fail(w, r, err)
		return
	}
	view := sv.(SettingsView)
	if values == nil {
		values = url.Values{"webhook_url": {view.WebhookURL}}
	}
	secretHelp := ui.Tr(r, "Paling sedikit 16 karakter; kunci tanda tangan HMAC-SHA256 (header X-Balai-Signature).", "At least 16 characters; keys the HMAC-SHA256 signature (X-Balai-Signature).")
	if view.SecretSet {
		secretHelp = ui.Tr(r, "Sudah diatur. Kosongkan untuk tetap memakai yang lama.", "Set. Leave empty to keep it.")
	}
	var body []ui.Node
	if req.Level == sdk.Regency {
		body = append(body, ui.Muted(ui.Tr(r, "Setiap laporan yang diverifikasi di desa mana pun di kabupaten ini dikirim sebagai JSON ke alamat ini (tanpa data pribadi), dicoba ulang sampai 4 kali.",
			"Every report verified in any village of the regency is posted here as JSON (no personal data), tried up to 4 times.")),
			ui.Form{Action: "/settings", Submit: ui.Tr(r, "Simpan webhook", "Save webhook"), Values: values, Errors: errs, Error: msg, Fields: []ui.Field{
				{Name: "webhook_url", Label: ui.Tr(r, "Alamat webhook", "Webhook URL"), Max: 500, Placeholder: "https://bpbd.kamparkab.go.id/hook"},
				{Name: "webhook_secret", Label: ui.Tr(r, "Rahasia", "Secret"), Type: "password", Max: 200, Help: secretHelp},
			}})
	} else {
		body = append(body, ui.Muted(ui.Tr(r, "Webhook diatur di tingkat kabupaten.", "The webhook is set at the regency.")))
	}
	_, dl, err := ui.CallAPI(r, listDeliveries, "GET", r.URL.Query(), nil)
	if err != nil {
		fail(w, r, err)
		return
	}
	list := dl.(sdk.ListOf[Delivery])
	rows := make([]ui.Row, 0, len(list.Items))
	for _, d := range list.Items {
		kind := map[string]string{DeliveryDelivered: "success", DeliveryRetrying: "warning", DeliveryFailed: "danger"}[d.State]
		label := map[string]string{DeliveryDelivered: ui.Tr(r, "Terkirim", "Delivered"), DeliveryRetrying: ui.Tr(r, "Dicoba ulang", "Retrying"), DeliveryFailed: ui.Tr(r, "Gagal", "Failed")}[d.State]
		rows = append(rows, ui.Row{Href: "/reports/" + d.ReportID, Cells: []ui.Node{ui.Cell(when(r, d.LastAt)), ui.Cell(d.Tenant),
			ui.HTML(template.HTML(`<span data-delivery="`+template.HTMLEscapeString(d.State)+`">`) + ui.Badge(kind, label).HTML(r) + `</span>`),
			ui.Cell(strconv.Itoa(d.Attempts)), ui.Cell(strings.TrimSpace(strconv.Itoa(d.LastStatus) + " " + d.LastError))}})
	}
	_, limit, _ := sdk.Page(r)
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	body = append(body, ui.Heading(ui.Tr(r, "Pengiriman webhook", "Webhook deliveries")), ui.Table{
		Columns: []ui.Column{{Key: "at", Label: ui.Tr(r, "Terakhir", "Last")}, {Key: "village", Label: ui.Tr(r, "Desa", "Village")},
			{Key: "state", Label: "Status"}, {Key: "attempts", Label: ui.Tr(r, "Percobaan", "Attempts")}, {Key: "answer", Label: ui.Tr(r, "Jawaban", "Answer")}},
		Rows: rows, Total: int(list.Total), Page: max(page, 1), Limit: limit, Empty: ui.Tr(r, "Belum ada pengiriman.", "No deliveries yet.")})
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Webhook peringatan bencana", "Disaster alert webhook"), Status: status, Body: body})
}

// noticeWidget is the dashboard's notice: the active verified disasters
// of the tenant and below (the village, its district and its regency see
// a verification at once).
func noticeWidget(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	recs, total, err := req.Records("reports").Query().Subtree().Where("active", sdk.Eq, true).OrderBy("occurred_at", true).Page(0, 5).WithTotal().Run(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	_, waiting, err := req.Records("reports").Query().Subtree().Where("status", sdk.Eq, StatusReported).Page(0, 1).WithTotal().Run(r.Context())
	if err != nil {
		waiting = 0
	}
	title := ui.Tr(r, "Bencana aktif", "Active disasters")
	if total == 0 {
		ui.Render(w, r, ui.Page{Title: title, Body: []ui.Node{ui.HTML(`<p id="disaster-notice" data-active="0">` +
			template.HTML(template.HTMLEscapeString(ui.Tr(r, "Tidak ada bencana aktif.", "No active disaster."))) + `</p>`),
			waitingLink(r, waiting)}})
		return
	}
	names := villageNames(r)
	var items strings.Builder
	for i := range recs {
		rp, err := decodeReport(&recs[i])
		if err != nil {
			continue
		}
		fmt.Fprintf(&items, `<li><a href="%s">%s</a> · %s · %s</li>`, template.HTMLEscapeString(ui.Href(r, "/reports/"+recs[i].ID)),
			template.HTMLEscapeString(typeLabel(r, rp.Type)), template.HTMLEscapeString(names[recs[i].Tenant]), template.HTMLEscapeString(statusLabel(r, rp.Status)))
	}
	ui.Render(w, r, ui.Page{Title: title, Body: []ui.Node{
		ui.HTML(template.HTML(fmt.Sprintf(`<p class="b-error" role="alert" id="disaster-notice" data-active="%d"><strong>%s</strong></p><ul>`, total,
			template.HTMLEscapeString(fmt.Sprintf(ui.Tr(r, "%d bencana sedang ditangani di wilayah ini.", "%d disasters are being handled in this region."), total)))) +
			template.HTML(items.String()) + `</ul>`),
		waitingLink(r, waiting),
	}})
}

func waitingLink(r *http.Request, n int64) ui.Node {
	if n == 0 {
		return ui.HTML("")
	}
	return ui.A(fmt.Sprintf(ui.Tr(r, "%d laporan menunggu verifikasi", "%d reports waiting for verification"), n), "/reports?status=reported")
}

// photoPage adds a photo to a report from the console.
func photoPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, _, err := villageOnly(uploadPhoto)(r); err != nil {
		if _, msg, status, ok := formErrors(r, err); ok && status != http.StatusNotFound && status != http.StatusForbidden {
			ui.Redirect(w, r, "/reports/"+id, "error", msg)
			return
		}
		fail(w, r, err)
		return
	}
	ui.Redirect(w, r, "/reports/"+id, "success", ui.Tr(r, "Foto ditambahkan.", "Photo added."))
}
