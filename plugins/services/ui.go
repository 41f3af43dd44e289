package main

// The services module's console screens (issue 13 item 4), written with
// sdk/ui. Every screen goes through the API handlers' own functions
// (listRequests, createRequest, approve, reject, issue, printLetter,
// putSettings, putTemplate, ...), called with the page's request: a rule
// lives in one place, and the host's checks, masking and audit are the
// API's. A screen shows what those functions answer, so a NIK the host
// masks for the caller is shown masked.
//
// Console pages, below /console/{tenant}/m/services:
//
//	GET  /requests                  the queue: tabs by state, filters (type, name, reference); menu "Layanan Surat"
//	GET  /requests/new?type=        a request at the counter: the type, then NIK, purpose, the type's fields
//	POST /requests/new              createRequest; 422 shows the form again with its values
//	GET  /requests/{id}             the request (resident data only with read_personal) and its actions
//	POST /requests/{id}/approve     approve; /reject and /revoke take a reason and a confirmation; /issue
//	GET  /requests/{id}/pdf         the letter as the API prints it (audited there)
//	GET  /letter-types[/{code}]     the types; a type's wording, POST to preview (action=preview), save or reset
//	GET  /settings, POST /settings  letterhead, office address, place, signatory name and NIP, number format, service standard (target_days), preview
//	POST /settings/emblem           upload the letterhead's emblem (multipart); POST /settings/emblem/delete removes it
//	GET  /widget/waiting            dashboard widget: requests waiting for a decision
//
// The citizens' pages are in ui_public.go.

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

// pages are the module's screens: the console's (ui.go) and the citizens'
// (ui_public.go).
var pages = append(consolePages, publicPages...)

var consolePages = []sdk.PageRoute{
	{Method: "GET", Path: "/requests", Permission: permRead, Handler: http.HandlerFunc(pageRequests),
		Menu: &sdk.MenuEntry{Label: "Layanan Surat", LabelEN: "Letters", Icon: "file", Order: 50}},
	{Method: "GET", Path: "/requests/new", Permission: permWrite, Handler: http.HandlerFunc(pageNewRequest)},
	{Method: "POST", Path: "/requests/new", Permission: permWrite, Handler: http.HandlerFunc(pageNewRequest)},
	{Method: "GET", Path: "/requests/{id}", Permission: permRead, Handler: http.HandlerFunc(pageRequest)},
	{Method: "POST", Path: "/requests/{id}/approve", Permission: permApprove, Handler: http.HandlerFunc(pageAction("approve"))},
	{Method: "POST", Path: "/requests/{id}/reject", Permission: permApprove, Handler: http.HandlerFunc(pageAction("reject"))},
	{Method: "POST", Path: "/requests/{id}/issue", Permission: permWrite, Handler: http.HandlerFunc(pageAction("issue"))},
	{Method: "POST", Path: "/requests/{id}/revoke", Permission: permApprove, Handler: http.HandlerFunc(pageAction("revoke"))},
	// The PDF is the API's own answer (audited there), passed through.
	{Method: "GET", Path: "/requests/{id}/pdf", Permission: permPrint, Handler: http.HandlerFunc(printLetter)},
	{Method: "GET", Path: "/letter-types", Permission: permRead, Handler: http.HandlerFunc(pageLetterTypes),
		Menu: &sdk.MenuEntry{Label: "Jenis Surat", LabelEN: "Letter types", Icon: "note", Order: 51}},
	{Method: "GET", Path: "/letter-types/{code}", Permission: permRead, Handler: http.HandlerFunc(pageLetterType)},
	{Method: "POST", Path: "/letter-types/{code}", Permission: permSettings, Handler: http.HandlerFunc(pageLetterType)},
	{Method: "GET", Path: "/settings", Permission: permRead, Handler: http.HandlerFunc(pageSettings),
		Menu: &sdk.MenuEntry{Label: "Kop Surat", LabelEN: "Letterhead", Icon: "settings", Order: 52}},
	{Method: "POST", Path: "/settings", Permission: permSettings, Handler: http.HandlerFunc(pageSettings)},
	{Method: "POST", Path: "/settings/emblem", Permission: permSettings, MaxBodyBytes: maxEmblemBytes + emblemSlack, Handler: http.HandlerFunc(pageUploadEmblem)},
	{Method: "POST", Path: "/settings/emblem/delete", Permission: permSettings, Handler: http.HandlerFunc(pageDeleteEmblem)},
	{Method: "GET", Path: "/widget/waiting", Permission: permRead, Widget: true, Handler: http.HandlerFunc(widgetWaiting)},
}

// codeField is the form field an API error code is about, so that a 422
// shows beside the field at fault.
var codeField = map[sdk.Code]string{
	codeInvalidNIK: "nik", codeUnknownResident: "nik", codeResidentDeceased: "nik", codeNotDeceased: "nik",
	codeInvalidPurpose: "purpose", codeUnknownType: "type", codeInvalidReason: "reason", codeInvalidIdentity: "kk",
	codeUnknownChild: "child_nik", codeInvalidTargetDays: "target_days",
}

// codeText says an API error in Bahasa Indonesia; the API's own (English)
// message follows for the detail.
var codeText = map[sdk.Code]string{
	codeInvalidNIK:           "NIK harus 16 angka",
	codeUnknownResident:      "Data tidak cocok dengan penduduk desa ini",
	codeResidentDeceased:     "Penduduk ini tercatat meninggal",
	codeNotDeceased:          "Penduduk ini tidak tercatat meninggal",
	codeInvalidPurpose:       "Keperluan wajib diisi",
	codeMissingField:         "Isian wajib belum diisi",
	codeUnknownType:          "Jenis surat tidak dikenal",
	codeInvalidReason:        "Alasan wajib diisi",
	codeInvalidState:         "Permohonan tidak dalam keadaan yang membolehkan tindakan ini",
	codeInvalidSettings:      "Pengaturan tidak sah",
	codeInvalidTargetDays:    "Standar waktu pelayanan harus 1 sampai 30 hari kerja",
	codeNotAVillage:          "Surat diajukan dan diterbitkan di desa/kelurahan, bukan di tingkat ini",
	codeTooManyRequests:      "Terlalu banyak permohonan yang masih menunggu",
	codeRequestNotFound:      "Permohonan tidak ditemukan",
	codeLetterNotFound:       "Surat tidak ditemukan",
	codeInvalidIdentity:      "Nomor KK atau nama ibu tidak sah",
	codePopulationNotEnabled: "Modul kependudukan belum aktif di desa ini",
	codePublicBaseURLMissing: "Alamat publik portal belum diatur",
	codeUnknownChild:         "Anak ini tidak tercatat dalam keluarga pemohon",
	codeFourEyesRequired:     "Desa ini mewajibkan orang kedua yang menyetujui (prinsip empat mata): Anda mengajukan atau mengubah permohonan ini",
	codeLetterNotIssued:      "Surat dicetak setelah diterbitkan",
	codeEmblemNotAnImage:     "Lambang harus berupa gambar PNG atau JPEG",
	codeEmblemTooLarge:       "Berkas lambang terlalu besar",
	codeEmblemDimensions:     "Ukuran lambang dalam piksel tidak sesuai",
	codeMalformedForm:        "Pilih berkas gambar lambang",
	// Population's limit on identity checks, passed on with its Retry-After.
	sdk.Code("too_many_attempts"): "Terlalu banyak percobaan dengan NIK ini. Coba lagi nanti",
}

var typeFieldRE = regexp.MustCompile(`\bfield ([a-z_]+)\b`)

// pageErrors say the API's errors on the screens: the field at fault and
// the sentence in Bahasa Indonesia, followed on the console by the API's
// own (English) message for the clerk; a citizen gets the sentence only.
var pageErrors = ui.Errors{Module: "services", Text: codeText, Fields: codeField, Detail: true}

// formErrors splits an API error into field errors and a message for the
// top of the form; ok is false for an error that is not the caller's (a
// storage failure), which the page answers as such.
func formErrors(r *http.Request, err error) (fields map[string]string, msg string, status int, ok bool) {
	fields, msg, status, ok = pageErrors.Client(r, err)
	var se *sdk.Error
	if ok && errors.As(err, &se) && (se.Code == codeMissingField || (se.Code == sdk.CodeInvalidField && se.Field == "")) {
		// A letter type's own field, which the API names in its message
		// ("needs field business_name"); the form calls it fields.{name}.
		if m := typeFieldRE.FindStringSubmatch(se.Message); m != nil {
			fields = map[string]string{"fields." + m[1]: msg}
		}
	}
	return fields, msg, status, ok
}

// fail answers an error the page cannot show in a form: the host renders
// errors of its own; this one is the plugin's, shown as a plain page.
func fail(w http.ResponseWriter, r *http.Request, err error) {
	pageErrors.Fail(w, r, ui.Tr(r, "Kesalahan", "Error"), err)
}

// stateLabel says a request's state in the page's language.
func stateLabel(r *http.Request, s string) string {
	switch s {
	case StateSubmitted:
		return ui.Tr(r, "Menunggu", "Waiting")
	case StateApproved:
		return ui.Tr(r, "Disetujui", "Approved")
	case StateRejected:
		return ui.Tr(r, "Ditolak", "Rejected")
	case StateIssued:
		return ui.Tr(r, "Diterbitkan", "Issued")
	case StateRevoked:
		return ui.Tr(r, "Dicabut", "Revoked")
	}
	return s
}

// stateBadge shows a request's state; data-state keeps the raw state for
// tests and scripts.
func stateBadge(r *http.Request, s string) ui.Node {
	kind := map[string]string{StateSubmitted: "warning", StateApproved: "info", StateRejected: "danger", StateIssued: "success", StateRevoked: "neutral"}[s]
	if kind == "" {
		kind = "neutral"
	}
	return ui.HTML(template.HTML(`<span data-state="`+template.HTMLEscapeString(s)+`">`) + ui.Badge(kind, stateLabel(r, s)).HTML(r) + `</span>`)
}

func stateOptions(r *http.Request) []ui.Option {
	out := make([]ui.Option, 0, len(states))
	for _, s := range states {
		out = append(out, ui.Option{Value: s, Label: stateLabel(r, s)})
	}
	return out
}

func typeOptions() []ui.Option {
	out := make([]ui.Option, 0, len(letterTypes))
	for _, lt := range letterTypes {
		out = append(out, ui.Option{Value: lt.Code, Label: lt.Name})
	}
	return out
}

// pageRequests is the request queue: newest first, filtered by state
// (the tabs), type, reference and name, as GET /requests filters.
func pageRequests(w http.ResponseWriter, r *http.Request) {
	q := url.Values{}
	in := r.URL.Query()
	for _, k := range []string{"state", "type", "ref", "q", "page", "limit"} {
		if v := strings.TrimSpace(in.Get(k)); v != "" {
			q.Set(k, v)
		}
	}
	status, body, err := ui.CallAPI(r, listRequests, "GET", q, nil)
	if err != nil || status != http.StatusOK {
		fail(w, r, err)
		return
	}
	list := body.(sdk.ListOf[requestView])
	offset, limit, _ := sdk.Page(r)
	// A sub-district or district oversees its villages' requests: the
	// village is a column there.
	subtree := sdk.From(r).Level != sdk.Village
	rows := make([]ui.Row, 0, len(list.Items))
	for _, v := range list.Items {
		cells := []ui.Node{ui.Cell(v.Ref), ui.Cell(v.Name), ui.Cell(v.NIK), ui.Cell(v.TypeName), stateBadge(r, v.State),
			ui.Cell(ui.DateTime(r, v.SubmittedAt)), ui.Cell(v.Number)}
		row := ui.Row{Href: "/requests/" + v.ID, Cells: cells}
		if subtree {
			// Its page is the village's: the request and its actions
			// belong there.
			row.Href = ""
			row.Cells = append(cells, ui.Cell(v.Village))
		}
		rows = append(rows, row)
	}
	columns := []ui.Column{{Key: "ref", Label: ui.Tr(r, "Nomor permohonan", "Reference")}, {Key: "name", Label: ui.Tr(r, "Nama", "Name")},
		{Key: "nik", Label: "NIK"}, {Key: "type", Label: ui.Tr(r, "Jenis surat", "Letter")}, {Key: "state", Label: ui.Tr(r, "Keadaan", "State")},
		{Key: "submitted_at", Label: ui.Tr(r, "Diajukan", "Submitted")}, {Key: "number", Label: ui.Tr(r, "Nomor surat", "Number")}}
	if subtree {
		columns = append(columns, ui.Column{Key: "village", Label: ui.Tr(r, "Desa/Kelurahan", "Village")})
	}
	// The tabs: one link per state, the current one marked.
	var tabs strings.Builder
	tabs.WriteString(`<nav class="b-actions" aria-label="` + template.HTMLEscapeString(ui.Tr(r, "Keadaan permohonan", "Request state")) + `">`)
	cur := in.Get("state")
	for _, t := range append([]ui.Option{{Value: "", Label: ui.Tr(r, "Semua", "All")}}, stateOptions(r)...) {
		href := "/requests"
		if t.Value != "" {
			href += "?state=" + t.Value
		}
		cls, aria := "b-btn", ""
		if t.Value == cur {
			cls, aria = "b-btn b-btn-primary", ` aria-current="page"`
		}
		tabs.WriteString(`<a class="` + cls + `"` + aria + ` href="` + template.HTMLEscapeString(ui.Href(r, href)) + `">` + template.HTMLEscapeString(t.Label) + `</a>`)
	}
	tabs.WriteString(`</nav>`)
	page := offset/max(limit, 1) + 1
	actions := []ui.Link{}
	if sdk.From(r).Can(permWrite) && sdk.From(r).Level == sdk.Village {
		actions = append(actions, ui.Link{Label: ui.Tr(r, "Permohonan baru", "New request"), Href: "/requests/new", Primary: true})
	}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Layanan Surat", "Letter requests"), Actions: actions, Body: []ui.Node{
		ui.HTML(template.HTML(tabs.String())),
		ui.Table{
			Columns: columns, Rows: rows, Total: int(list.Total), Page: page, Limit: limit,
			Filters: []ui.Field{
				{Name: "state", Label: ui.Tr(r, "Keadaan", "State"), Type: "select", Options: stateOptions(r)},
				{Name: "type", Label: ui.Tr(r, "Jenis surat", "Letter"), Type: "select", Options: typeOptions()},
				{Name: "q", Label: ui.Tr(r, "Nama", "Name"), Type: "search", Max: 100},
				{Name: "ref", Label: ui.Tr(r, "Nomor permohonan", "Reference"), Max: 40},
			},
			Empty:   ui.Tr(r, "Belum ada permohonan surat.", "No letter requests yet."),
			Caption: ui.Tr(r, "Permohonan surat", "Letter requests"),
		},
	}})
}

// typeChooser offers the letter types as links to path?type={code}: the
// first step of a request form, without script. Links rather than a
// select: the types' long names fit a 360 px screen as wrapping buttons,
// where a select is as wide as its longest option.
func typeChooser(r *http.Request, path, msg string) ui.Node {
	var b strings.Builder
	if msg != "" {
		b.WriteString(`<p class="b-error" role="alert">` + template.HTMLEscapeString(msg) + `</p>`)
	}
	b.WriteString(`<nav aria-labelledby="type-chooser"><h2 id="type-chooser">` + template.HTMLEscapeString(ui.Tr(r, "Pilih jenis surat", "Choose the letter")) + `</h2><ul class="b-actions" style="list-style:none;padding:0">`)
	for _, lt := range letterTypes {
		b.WriteString(`<li><a class="b-btn" href="` + template.HTMLEscapeString(ui.Href(r, path+"?type="+lt.Code)) + `">` + template.HTMLEscapeString(lt.Name) + `</a></li>`)
	}
	b.WriteString(`</ul></nav>`)
	return ui.HTML(template.HTML(b.String()))
}

// typeFields are the form fields of a letter type's own values, named
// fields.{name} as the API's body nests them.
func typeFields(r *http.Request, lt *LetterType) []ui.Field {
	out := []ui.Field{}
	for _, f := range lt.Fields {
		uf := ui.Field{Name: "fields." + f.Name, Label: f.Label, Required: f.Required && f.Register == "", Max: maxFieldChars}
		switch f.Type {
		case "date":
			uf.Type, uf.Max = "date", 0
		case "choice":
			uf.Type, uf.Max = "select", 0
			for _, o := range f.Options {
				uf.Options = append(uf.Options, ui.Option{Value: o.Value, Label: o.Label})
			}
		}
		if f.Type == "rupiah" {
			uf.Help, uf.Placeholder = ui.Tr(r, "Jumlah dalam rupiah, misalnya 1.500.000.", "An amount in rupiah, such as 1.500.000."), "1.500.000"
		}
		if f.Register != "" {
			uf.Help = ui.Tr(r, "Diambil dari data kependudukan bila sudah tercatat.", "Taken from the civil register when it holds it.")
		}
		out = append(out, uf)
	}
	return out
}

// submissionBody is the API's JSON body from a request form: the common
// fields as they are, fields.{name} nested under "fields", empty values
// left out (the API then names what is missing).
func submissionBody(form url.Values, common ...string) map[string]any {
	body := map[string]any{}
	fields := map[string]any{}
	for _, k := range common {
		if v := strings.TrimSpace(form.Get(k)); v != "" {
			body[k] = v
		}
	}
	for k, vs := range form {
		if name, ok := strings.CutPrefix(k, "fields."); ok && len(vs) > 0 && strings.TrimSpace(vs[0]) != "" {
			fields[name] = strings.TrimSpace(vs[0])
		}
	}
	if len(fields) > 0 {
		body["fields"] = fields
	}
	return body
}

// pageNewRequest registers a request for a resident at the counter: the
// letter type first (its own fields depend on it; no script needed), then
// NIK, purpose and the type's fields, through createRequest.
func pageNewRequest(w http.ResponseWriter, r *http.Request) {
	values := r.URL.Query()
	var errs map[string]string
	var msg string
	status := http.StatusOK
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			fail(w, r, sdk.Errorf(http.StatusBadRequest, sdk.CodeInvalidField, "unreadable form"))
			return
		}
		values = r.PostForm
		_, body, err := ui.CallAPI(r, villageOnly(createRequest), "POST", nil, submissionBody(values, "type", "nik", "purpose", "child_nik"))
		if err == nil {
			v := body.(requestView)
			ui.Redirect(w, r, "/requests/"+v.ID, "success", ui.Tr(r, "Permohonan "+v.Ref+" dicatat.", "Request "+v.Ref+" registered."))
			return
		}
		var ok bool
		if errs, msg, status, ok = formErrors(r, err); !ok {
			fail(w, r, err)
			return
		}
	}
	title := ui.Tr(r, "Permohonan surat baru", "New letter request")
	lt, ok := letterType(values.Get("type"))
	if !ok {
		// Step one: which letter.
		ui.Render(w, r, ui.Page{Title: title, Status: status, Body: []ui.Node{typeChooser(r, "/requests/new", msg)}})
		return
	}
	fields := []ui.Field{
		{Name: "type", Type: "hidden"},
		{Name: "nik", Label: "NIK", Required: true, Max: 16, Help: ui.Tr(r, "16 angka, dari KTP pemohon.", "16 digits, from the requester's ID card.")},
		{Name: "purpose", Label: ui.Tr(r, "Keperluan", "Purpose"), Required: true, Max: 500},
	}
	if lt.Code == "kelahiran" {
		fields = append(fields, ui.Field{Name: "child_nik", Label: ui.Tr(r, "NIK anak (bila sudah tercatat)", "Child's NIK (if registered)"), Max: 16})
	}
	fields = append(fields, typeFields(r, lt)...)
	ui.Render(w, r, ui.Page{Title: title + ": " + lt.Name, Status: status, Body: []ui.Node{ui.Form{
		Action: "/requests/new", Submit: ui.Tr(r, "Catat permohonan", "Register request"), Values: values, Errors: errs, Error: msg,
		Fields: fields, Cancel: "/requests",
	}}})
}

// pageRequest shows one request as the API shows it to the caller
// (resident data only with read_personal; the NIK masked otherwise) and
// the actions its state and the caller's permissions allow.
func pageRequest(w http.ResponseWriter, r *http.Request) {
	renderRequest(w, r, http.StatusOK, nil, "", nil)
}

func renderRequest(w http.ResponseWriter, r *http.Request, status int, errs map[string]string, msg string, values url.Values) {
	_, body, err := ui.CallAPI(r, getRequest, "GET", nil, nil, "id", r.PathValue("id"))
	if err != nil {
		fail(w, r, err)
		return
	}
	v := body.(requestView)
	req := sdk.From(r)
	pairs := [][2]string{
		{ui.Tr(r, "Nomor permohonan", "Reference"), v.Ref},
		{ui.Tr(r, "Jenis surat", "Letter"), v.TypeName},
		{ui.Tr(r, "Keadaan", "State"), stateLabel(r, v.State)},
		{ui.Tr(r, "Nama", "Name"), v.Name},
		{"NIK", v.NIK},
		{ui.Tr(r, "Keperluan", "Purpose"), v.Purpose},
		{ui.Tr(r, "Saluran", "Channel"), map[string]string{ChannelOnline: ui.Tr(r, "Daring (warga)", "Online (citizen)"), ChannelOffice: ui.Tr(r, "Loket", "Counter")}[v.Channel]},
		{ui.Tr(r, "Diajukan", "Submitted"), ui.DateTime(r, v.SubmittedAt)},
	}
	if v.Number != "" {
		pairs = append(pairs, [2]string{ui.Tr(r, "Nomor surat", "Letter number"), v.Number}, [2]string{ui.Tr(r, "Tanggal surat", "Letter date"), ui.DateOnly(v.LetterDate)})
	}
	if v.RejectReason != "" {
		pairs = append(pairs, [2]string{ui.Tr(r, "Alasan penolakan", "Reason for rejection"), v.RejectReason})
	}
	if v.RevokeReason != "" {
		pairs = append(pairs, [2]string{ui.Tr(r, "Alasan pencabutan", "Reason for revocation"), v.RevokeReason})
	}
	lt, _ := letterType(v.Type)
	for _, f := range lt.Fields {
		if val, ok := v.Fields[f.Name]; ok {
			pairs = append(pairs, [2]string{f.Label, f.display(val)})
		}
	}
	nodes := []ui.Node{ui.Section(ui.Tr(r, "Permohonan", "Request"), ui.DefinitionList(pairs...))}
	if v.Resident != nil {
		s := v.Resident
		nodes = append(nodes, ui.Section(ui.Tr(r, "Data penduduk", "Resident"), ui.DefinitionList(residentPairs(r, s)...)))
	} else if v.Masked {
		nodes = append(nodes, ui.Muted(ui.Tr(r, "Data penduduk disamarkan: Anda tidak berhak melihatnya.", "Resident data is masked: you may not see it.")))
	}
	if v.Register != nil && len(v.Register.Notes) > 0 {
		nodes = append(nodes, ui.Section(ui.Tr(r, "Catatan dari data kependudukan", "Notes from the civil register"), listNode(v.Register.Notes)))
	}
	base := "/requests/" + v.ID
	actions := []ui.Link{{Label: ui.Tr(r, "Kembali", "Back"), Href: "/requests"}}
	if req.Level == sdk.Village {
		switch v.State {
		case StateSubmitted:
			if req.Can(permApprove) {
				nodes = append(nodes,
					ui.Form{Action: base + "/approve", Submit: ui.Tr(r, "Setujui dan beri nomor", "Approve and number")},
					ui.Section(ui.Tr(r, "Tolak permohonan", "Reject the request"), ui.Form{
						Action: base + "/reject", Submit: ui.Tr(r, "Tolak", "Reject"), Values: values, Errors: errs, Error: msg,
						Confirm: ui.Tr(r, "Tolak permohonan ini?", "Reject this request?"),
						Fields:  []ui.Field{{Name: "reason", Label: ui.Tr(r, "Alasan (dibaca pemohon)", "Reason (the requester reads it)"), Type: "textarea", Required: true, Max: 500}},
					}))
			}
		case StateApproved, StateIssued:
			if v.State == StateApproved && req.Can(permWrite) {
				nodes = append(nodes, ui.Form{Action: base + "/issue", Submit: ui.Tr(r, "Tandai diterbitkan (diserahkan)", "Mark issued (handed over)"), Error: msg})
			}
			if req.Can(permApprove) {
				nodes = append(nodes, ui.Section(ui.Tr(r, "Cabut surat", "Revoke the letter"), ui.Form{
					Action: base + "/revoke", Submit: ui.Tr(r, "Cabut", "Revoke"), Values: values, Errors: errs,
					Confirm: ui.Tr(r, "Cabut surat ini? Surat tidak berlaku lagi.", "Revoke this letter? It will no longer be valid."),
					Fields:  []ui.Field{{Name: "reason", Label: ui.Tr(r, "Alasan pencabutan", "Reason for revocation"), Type: "textarea", Required: true, Max: 500}},
				}))
			}
		}
	}
	// A letter is printed once issued (the API answers 409 before).
	if (v.State == StateIssued || v.State == StateRevoked) && req.Can(permPrint) {
		actions = append(actions, ui.Link{Label: ui.Tr(r, "Cetak PDF", "Print PDF"), Href: base + "/pdf", Primary: true})
	}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Permohonan ", "Request ") + v.Ref, Status: status, Actions: actions, Body: nodes})
}

// residentPairs shows the request's snapshot of the resident.
func residentPairs(r *http.Request, s *snapshot) [][2]string {
	b, _ := json.Marshal(s)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	labels := []struct{ key, id, en string }{
		{"birth_place", "Tempat lahir", "Birth place"}, {"birth_date", "Tanggal lahir", "Birth date"}, {"sex", "Jenis kelamin", "Sex"},
		{"religion", "Agama", "Religion"}, {"occupation", "Pekerjaan", "Occupation"}, {"marital_status", "Status perkawinan", "Marital status"},
		{"address", "Alamat", "Address"},
	}
	out := [][2]string{}
	for _, l := range labels {
		v, ok := m[l.key]
		if !ok || fmt.Sprint(v) == "" {
			continue
		}
		text := fmt.Sprint(v)
		switch l.key {
		case "birth_date":
			text = ui.DateOnly(text)
		case "sex":
			text = map[string]string{"L": ui.Tr(r, "Laki-laki", "Male"), "P": ui.Tr(r, "Perempuan", "Female")}[text]
		case "address":
			if s.RT != "" || s.RW != "" {
				text += " RT " + s.RT + "/RW " + s.RW
			}
		}
		out = append(out, [2]string{ui.Tr(r, l.id, l.en), text})
	}
	return out
}

func listNode(items []string) ui.Node {
	var b strings.Builder
	b.WriteString("<ul>")
	for _, it := range items {
		b.WriteString("<li>" + template.HTMLEscapeString(it) + "</li>")
	}
	b.WriteString("</ul>")
	return ui.HTML(template.HTML(b.String()))
}

// pageAction runs a workflow step (approve, reject, issue) through the
// API's handler and goes back to the request with a message; a refusal
// shows the request again with the reason.
func pageAction(action string) func(http.ResponseWriter, *http.Request) {
	fns := map[string]func(*http.Request) (int, any, error){"approve": approve, "reject": reject, "issue": issue, "revoke": revoke}
	questions := map[string][2]string{
		"reject": {"Tolak permohonan ini?", "Reject this request?"},
		"revoke": {"Cabut surat ini? Surat tidak berlaku lagi.", "Revoke this letter? It will no longer be valid."},
	}
	done := map[string][2]string{
		"revoke":  {"Surat dicabut.", "Letter revoked."},
		"approve": {"Permohonan disetujui dan diberi nomor.", "Request approved and numbered."},
		"reject":  {"Permohonan ditolak.", "Request rejected."},
		"issue":   {"Surat ditandai diterbitkan.", "Letter marked issued."},
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			fail(w, r, sdk.Errorf(http.StatusBadRequest, sdk.CodeInvalidField, "unreadable form"))
			return
		}
		var body any
		if q, ok := questions[action]; ok {
			if !ui.Confirm(w, r, ui.Form{Action: "/requests/" + r.PathValue("id") + "/" + action, Values: r.PostForm,
				Confirm: ui.Tr(r, q[0], q[1]), Cancel: "/requests/" + r.PathValue("id")}) {
				return
			}
			body = reasonBody{Reason: r.PostForm.Get("reason")}
		}
		_, _, err := ui.CallAPI(r, villageOnly(fns[action]), "POST", nil, body, "id", r.PathValue("id"))
		if err != nil {
			errs, msg, status, ok := formErrors(r, err)
			if !ok {
				fail(w, r, err)
				return
			}
			renderRequest(w, r, status, errs, msg, r.PostForm)
			return
		}
		ui.Redirect(w, r, "/requests/"+r.PathValue("id"), "success", ui.Tr(r, done[action][0], done[action][1]))
	}
}

// pageLetterTypes lists the letter types with their wording's state.
func pageLetterTypes(w http.ResponseWriter, r *http.Request) {
	_, body, err := ui.CallAPI(r, listLetterTypes, "GET", nil, nil)
	if err != nil {
		fail(w, r, err)
		return
	}
	list := body.(sdk.ListOf[letterTypeView])
	rows := []ui.Row{}
	for _, t := range list.Items {
		own := ui.Badge("neutral", ui.Tr(r, "Bawaan", "Default"))
		if t.Customized {
			own = ui.Badge("info", ui.Tr(r, "Diubah", "Customized"))
		}
		rows = append(rows, ui.Row{Href: "/letter-types/" + t.Code, Cells: []ui.Node{ui.Cell(t.Name), ui.Cell(t.Code), ui.Cell(t.Template.NumberCode), own}})
	}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Jenis surat", "Letter types"), Body: []ui.Node{ui.Table{
		Columns: []ui.Column{{Key: "name", Label: ui.Tr(r, "Surat", "Letter")}, {Key: "code", Label: ui.Tr(r, "Kode", "Code")},
			{Key: "number_code", Label: ui.Tr(r, "Kode klasifikasi", "Classification")}, {Key: "custom", Label: ui.Tr(r, "Redaksi", "Wording")}},
		Rows: rows,
	}}})
}

// sampleValues fill a template's placeholders for the preview: a made-up
// resident (never a real one, so a preview reveals no one's data) and the
// tenant's resolved letterhead settings.
func sampleValues(lt *LetterType, res *resolved) map[string]string {
	vals := map[string]string{
		"name": "BUDI SANTOSO", "nik": "1234567890123456", "sex": "Laki-laki", "birth_place": "Bangkinang",
		"birth_date": "15 Maret 1980", "religion": "Islam", "occupation": "Petani/Pekebun", "marital_status": "Kawin",
		"address": "Jl. Contoh No. 1, RT 001/RW 002", "village": res.Region.Village, "village_kind": res.Region.Kind,
		"district": res.Region.District, "regency": res.Region.Regency, "province": res.Region.Province,
		"purpose": "Persyaratan administrasi", "signatory_title": res.Signatory.Title, "signatory_name": res.Signatory.Name,
		"place": res.Place, "date": "1 Desember 2026", "type_name": lt.Name,
	}
	for _, f := range lt.Fields {
		switch {
		case len(f.Options) > 0:
			vals[f.Name] = f.Options[0].Label
		case f.Type == "date":
			vals[f.Name] = "1 Januari 2020"
		case f.Type == "rupiah":
			vals[f.Name] = ui.Rupiah(1500000)
		default:
			vals[f.Name] = "(" + f.Label + ")"
		}
	}
	return vals
}

// pageLetterType shows a type's wording as a form: Pratinjau renders it
// server-side with sample data (no script), Simpan saves it through
// PUT /letter-types/{code}/template's handler.
func pageLetterType(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	_, body, err := ui.CallAPI(r, getLetterType, "GET", nil, nil, "code", code)
	if err != nil {
		fail(w, r, err)
		return
	}
	view := body.(letterTypeView)
	lt, _ := letterType(code)
	req := sdk.From(r)
	values := url.Values{"title": {view.Template.Title}, "opening": {view.Template.Opening}, "body": {view.Template.Body},
		"closing": {view.Template.Closing}, "number_code": {view.Template.NumberCode}}
	status, errs, msg := http.StatusOK, map[string]string(nil), ""
	var preview ui.Node
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			fail(w, r, sdk.Errorf(http.StatusBadRequest, sdk.CodeInvalidField, "unreadable form"))
			return
		}
		values = r.PostForm
		t := Template{Title: values.Get("title"), Opening: values.Get("opening"), Body: values.Get("body"), Closing: values.Get("closing"), NumberCode: values.Get("number_code")}
		if values.Get("action") == "reset" {
			t = Template{}
		}
		if values.Get("action") == "preview" {
			if err := lt.checkTemplate(t); err != nil {
				status, msg = http.StatusUnprocessableEntity, ui.Tr(r, "Redaksi tidak sah: ", "Invalid wording: ")+err.Error()
			} else {
				_, res, err := loadSettings(r.Context(), req)
				if err != nil {
					fail(w, r, err)
					return
				}
				preview = previewNode(r, lt.Default.with(t), lt, &res)
			}
		} else {
			_, _, err := ui.CallAPI(r, putTemplate, "PUT", nil, t, "code", code)
			if err == nil {
				ui.Redirect(w, r, "/letter-types/"+code, "success", ui.Tr(r, "Redaksi surat disimpan.", "Wording saved."))
				return
			}
			var ok bool
			if errs, msg, status, ok = formErrors(r, err); !ok {
				fail(w, r, err)
				return
			}
		}
	}
	nodes := []ui.Node{ui.Muted(ui.Tr(r, "Kata dalam kurung kurawal diganti data pemohon: ", "Words in braces are replaced by the requester's data: ") + listNames(lt.placeholders()))}
	if preview != nil {
		nodes = append(nodes, preview)
	}
	if req.Can(permSettings) {
		nodes = append(nodes, templateForm(r, values, errs, msg))
	} else {
		_, res, err := loadSettings(r.Context(), req)
		if err != nil {
			fail(w, r, err)
			return
		}
		nodes = append(nodes, previewNode(r, view.Template, lt, &res))
	}
	ui.Render(w, r, ui.Page{Title: view.Name, Status: status, Actions: []ui.Link{{Label: ui.Tr(r, "Kembali", "Back"), Href: "/letter-types"}}, Body: nodes})
}

// templateForm is the wording form with its three buttons (preview,
// save, back to the default): plain submit buttons, told apart by the
// action field.
func templateForm(r *http.Request, values url.Values, errs map[string]string, msg string) ui.Node {
	f := ui.Form{Submit: ui.Tr(r, "Simpan", "Save"), Values: values, Errors: errs, Error: msg, Fields: []ui.Field{
		{Name: "title", Label: ui.Tr(r, "Judul", "Title"), Max: 200},
		{Name: "opening", Label: ui.Tr(r, "Pembuka", "Opening"), Type: "textarea", Max: 2000},
		{Name: "body", Label: ui.Tr(r, "Isi", "Body"), Type: "textarea", Max: 2000},
		{Name: "closing", Label: ui.Tr(r, "Penutup", "Closing"), Type: "textarea", Max: 2000},
		{Name: "number_code", Label: ui.Tr(r, "Kode klasifikasi arsip", "Archive classification code"), Max: 20},
	}}
	html := string(f.HTML(r))
	// A second and third button in the same form: "preview" renders, "reset"
	// saves the default; a plain submit saves.
	extra := `<button class="b-btn" type="submit" name="action" value="preview">` + template.HTMLEscapeString(ui.Tr(r, "Pratinjau", "Preview")) + `</button> ` +
		`<button class="b-btn" type="submit" name="action" value="reset">` + template.HTMLEscapeString(ui.Tr(r, "Kembalikan ke bawaan", "Back to default")) + `</button>`
	if i := strings.LastIndex(html, "</form>"); i >= 0 {
		html = html[:i] + `<div class="b-actions">` + extra + `</div>` + html[i:]
	}
	return ui.HTML(template.HTML(html))
}

// previewNode renders wording t with sample data as the letter reads.
func previewNode(r *http.Request, t Template, lt *LetterType, res *resolved) ui.Node {
	vals := sampleValues(lt, res)
	var b strings.Builder
	b.WriteString(`<div class="b-card" id="preview" aria-label="` + template.HTMLEscapeString(ui.Tr(r, "Pratinjau", "Preview")) + `"><div style="text-align:center">`)
	if e := res.Emblem; e != nil {
		// Beside the letterhead, as the PDF draws it (about 25 mm tall).
		b.WriteString(`<img id="preview-emblem" src="` + template.HTMLEscapeString(e.URL) + `" alt="` + template.HTMLEscapeString(ui.Tr(r, "Lambang", "Emblem")) +
			`" width="` + strconv.Itoa(e.Width) + `" height="` + strconv.Itoa(e.Height) + `" style="float:left;height:4.5rem;width:auto;margin-right:.5rem">`)
	}
	for _, l := range res.Letterhead {
		b.WriteString("<strong>" + template.HTMLEscapeString(l) + "</strong><br>")
	}
	if res.Address != "" {
		b.WriteString(`<small>` + template.HTMLEscapeString(res.Address) + `</small>`)
	}
	b.WriteString(`<hr><p><strong><u>` + template.HTMLEscapeString(render(t.Title, vals)) + `</u></strong><br>`)
	b.WriteString(template.HTMLEscapeString(ui.Tr(r, "Nomor: ", "Number: ")+"001/"+t.NumberCode+"/…") + `</p></div>`)
	if t.Opening != "" {
		b.WriteString(`<p style="white-space:pre-line">` + template.HTMLEscapeString(render(t.Opening, vals)) + `</p>`)
	}
	// The resident's data, as the letter lists it under the opening.
	b.WriteString(string(ui.DefinitionList(
		[2]string{"Nama", vals["name"]}, [2]string{"NIK", vals["nik"]}, [2]string{"Tempat/Tanggal Lahir", vals["birth_place"] + ", " + vals["birth_date"]},
		[2]string{"Jenis Kelamin", vals["sex"]}, [2]string{"Agama", vals["religion"]}, [2]string{"Pekerjaan", vals["occupation"]},
		[2]string{"Status Perkawinan", vals["marital_status"]}, [2]string{"Alamat", vals["address"]},
	).HTML(r)))
	for _, part := range []string{t.Body, t.Closing} {
		if part != "" {
			b.WriteString(`<p style="white-space:pre-line">` + template.HTMLEscapeString(render(part, vals)) + `</p>`)
		}
	}
	b.WriteString(`<p style="text-align:right">` + template.HTMLEscapeString(res.Place+", "+vals["date"]) + `<br>` +
		template.HTMLEscapeString(res.Signatory.Title) + `<br><br><br>` + template.HTMLEscapeString(orDots(res.Signatory.Name)))
	if res.Signatory.NIP != "" {
		b.WriteString(`<br>NIP ` + template.HTMLEscapeString(res.Signatory.NIP))
	}
	b.WriteString(`</p></div>`)
	return ui.HTML(template.HTML(b.String()))
}

// paperName says a paper size with its measures.
func paperName(r *http.Request, p string) string {
	switch p {
	case "F4":
		return ui.Tr(r, "F4 (folio, 215 × 330 mm)", "F4 (folio, 215 × 330 mm)")
	case "A4":
		return "A4 (210 × 297 mm)"
	}
	return p
}

func orDots(s string) string {
	if s == "" {
		return "(.............................)"
	}
	return s
}

// settingsForm is the letterhead form: lines of the letterhead (one a
// line), office address, place, signatory, number format, paper, four
// eyes and the service standard.
type settingsForm struct {
	Letterhead     string `json:"letterhead"`
	Address        string `json:"address"`
	Place          string `json:"place"`
	SignatoryTitle string `json:"signatory_title"`
	SignatoryName  string `json:"signatory_name"`
	SignatoryNIP   string `json:"signatory_nip"`
	NumberTemplate string `json:"number_template"`
	Paper          string `json:"paper"`
	FourEyes       bool   `json:"four_eyes"`
	// TargetDays is the service standard in working days; empty keeps
	// the inherited one or the default.
	TargetDays *int `json:"target_days"`
}

// patch is the JSON merge patch PUT /settings takes: an emptied field is
// null (removed: the default applies again).
func (f settingsForm) patch() map[string]any {
	orNull := func(s string) any {
		if s = strings.TrimSpace(s); s == "" {
			return nil
		}
		return s
	}
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(f.Letterhead, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	var letterhead any
	if len(lines) > 0 {
		letterhead = lines
	}
	// Four eyes off is the default: removed rather than saved as false.
	var fourEyes any
	if f.FourEyes {
		fourEyes = true
	}
	var targetDays any
	if f.TargetDays != nil {
		targetDays = *f.TargetDays
	}
	return map[string]any{
		"paper": orNull(f.Paper), "four_eyes": fourEyes, "target_days": targetDays,
		"letterhead": letterhead, "address": orNull(f.Address), "place": orNull(f.Place), "number_template": orNull(f.NumberTemplate),
		"signatory": map[string]any{"title": orNull(f.SignatoryTitle), "name": orNull(f.SignatoryName), "nip": orNull(f.SignatoryNIP)},
	}
}

// pageSettings shows and saves the letterhead settings through
// GET and PUT /settings' handlers.
func pageSettings(w http.ResponseWriter, r *http.Request) {
	_, body, err := ui.CallAPI(r, getSettings, "GET", nil, nil)
	if err != nil {
		fail(w, r, err)
		return
	}
	sv := body.(settingsView)
	s := sv.Settings
	values := url.Values{"letterhead": {strings.Join(s.Letterhead, "\n")}, "address": {s.Address}, "place": {s.Place},
		"signatory_title": {s.Signatory.Title}, "signatory_name": {s.Signatory.Name}, "signatory_nip": {s.Signatory.NIP},
		"number_template": {s.NumberTemplate}, "paper": {s.Paper}}
	if s.FourEyes {
		values.Set("four_eyes", "true")
	}
	if s.TargetDays != 0 {
		values.Set("target_days", strconv.Itoa(s.TargetDays))
	}
	status, errs, msg := http.StatusOK, map[string]string(nil), ""
	if r.Method == http.MethodPost {
		var f settingsForm
		err := ui.Decode(r, &f)
		values = r.PostForm
		if err == nil {
			patch := f.patch()
			if below := sdk.From(r).Level; below == sdk.Village || below == sdk.District {
				delete(patch, "target_days") // the regency's, shown as text here
			}
			_, _, err = ui.CallAPI(r, putSettings, "PUT", nil, patch)
		}
		if err == nil {
			ui.Redirect(w, r, "/settings", "success", ui.Tr(r, "Pengaturan kop surat disimpan.", "Letterhead settings saved."))
			return
		}
		var ok bool
		if errs, msg, status, ok = formErrors(r, err); !ok {
			fail(w, r, err)
			return
		}
		// The API names the setting at fault in its message only.
		for _, k := range []string{"letterhead", "address", "place", "number_template", "paper", "target_days", "signatory"} {
			if strings.Contains(msg, k) {
				name := k
				if k == "signatory" {
					name = "signatory_name"
					for _, sub := range []string{"title", "nip"} {
						if strings.Contains(msg, "signatory."+sub) || strings.Contains(msg, "signatory "+sub) {
							name = "signatory_" + sub
						}
					}
				}
				errs[name] = msg
				break
			}
		}
	}
	res := sv.Resolved
	nodes := []ui.Node{
		ui.Section(ui.Tr(r, "Yang dicetak sekarang", "Printed now"), ui.DefinitionList(
			[2]string{ui.Tr(r, "Kop surat", "Letterhead"), strings.Join(res.Letterhead, " / ")},
			[2]string{ui.Tr(r, "Alamat kantor", "Office address"), res.Address},
			[2]string{ui.Tr(r, "Penanda tangan", "Signatory"), res.Signatory.Title + " — " + orDots(res.Signatory.Name)},
			[2]string{"NIP", res.Signatory.NIP},
			[2]string{ui.Tr(r, "Format nomor", "Number format"), res.NumberTemplate},
			[2]string{ui.Tr(r, "Kertas", "Paper"), paperName(r, res.Paper)},
			[2]string{ui.Tr(r, "Prinsip empat mata", "Four eyes"), map[bool]string{true: ui.Tr(r, "Ya: yang mengajukan tidak boleh menyetujui", "Yes: the submitter may not approve"), false: ui.Tr(r, "Tidak", "No")}[res.FourEyes]},
			[2]string{ui.Tr(r, "Zona waktu", "Time zone"), res.Timezone},
			[2]string{ui.Tr(r, "Standar waktu pelayanan surat", "Letter service standard"),
				fmt.Sprintf(ui.Tr(r, "%d hari kerja sejak diajukan sampai diterbitkan", "%d working days from submission to issue"), res.TargetDays)},
		)),
	}
	// The letter as it prints now, the emblem beside the letterhead.
	if lt, ok := letterType("domisili"); ok {
		nodes = append(nodes, ui.Section(ui.Tr(r, "Pratinjau", "Preview"), previewNode(r, lt.Default.with(s.Types[lt.Code]), lt, &res)))
	}
	canEdit := sdk.From(r).Can(permSettings)
	nodes = append(nodes, emblemSection(r, &res, canEdit))
	if canEdit {
		fields := []ui.Field{
			{Name: "letterhead", Label: ui.Tr(r, "Kop surat (satu baris per baris, paling banyak 5)", "Letterhead (one line each, at most 5)"), Type: "textarea",
				Help: ui.Tr(r, "Kosongkan untuk memakai nama wilayah.", "Leave empty to use the region names.")},
			{Name: "address", Label: ui.Tr(r, "Alamat kantor", "Office address"), Max: 200},
			{Name: "place", Label: ui.Tr(r, "Tempat penandatanganan", "Place of signing"), Max: 100},
			{Name: "signatory_title", Label: ui.Tr(r, "Jabatan penanda tangan", "Signatory's title"), Max: 100},
			{Name: "signatory_name", Label: ui.Tr(r, "Nama penanda tangan", "Signatory's name"), Max: 100},
			{Name: "signatory_nip", Label: "NIP", Max: 30, Help: ui.Tr(r, "Nomor Induk Pegawai, 18 angka; kosongkan bila tidak ada.", "Civil servant number, 18 digits; empty if none.")},
			{Name: "number_template", Label: ui.Tr(r, "Format nomor surat", "Number format"), Max: 100, Help: "{seq:3}/{type_code}/{village_code}/{roman_month}/{year}"},
			{Name: "paper", Label: ui.Tr(r, "Kertas", "Paper"), Type: "select", Options: []ui.Option{{Value: "F4", Label: paperName(r, "F4")}, {Value: "A4", Label: paperName(r, "A4")}},
				Help: ui.Tr(r, "Kosong: F4, kecuali diatur oleh wilayah di atas.", "Empty: F4, unless set above.")},
			{Name: "four_eyes", Label: ui.Tr(r, "Prinsip empat mata: yang mengajukan atau mengubah permohonan tidak boleh menyetujuinya", "Four eyes: whoever submitted or edited a request may not approve it"), Type: "checkbox"},
			{Name: "target_days", Label: ui.Tr(r, "Standar waktu pelayanan surat (hari kerja, 1 sampai 30)", "Letter service standard (working days, 1 to 30)"), Type: "number",
				Help: fmt.Sprintf(ui.Tr(r, "Hari kerja (Senin sampai Jumat) sejak permohonan diajukan sampai surat diterbitkan; dipakai penilaian kinerja. Kosong: %d, kecuali diatur oleh wilayah di atas.",
					"Working days (Monday to Friday) from a request's submission to the letter's issue, used by the performance evaluation. Empty: %d, unless set above."), DefaultTargetDays)},
		}
		// Below the regency the standard is the regency's (PUT /settings
		// refuses a change, target_days_at_regency): shown in the summary
		// above, not asked.
		if l := sdk.From(r).Level; l == sdk.Village || l == sdk.District {
			fields = fields[:len(fields)-1]
		}
		nodes = append(nodes, ui.Form{Action: "/settings", Values: values, Errors: errs, Error: msg, Fields: fields})
	} else {
		nodes = append(nodes, ui.Muted(ui.Tr(r, "Hanya admin yang dapat mengubah kop surat.", "Only an admin can change the letterhead.")))
	}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Kop surat dan penanda tangan", "Letterhead and signatory"), Status: status, Body: nodes})
}

// emblemSection shows the emblem the letters print and, for an admin, the
// upload and removal forms.
func emblemSection(r *http.Request, res *resolved, canEdit bool) ui.Node {
	var body []ui.Node
	e := res.Emblem
	switch {
	case e == nil:
		body = append(body, ui.Muted(ui.Tr(r, "Belum ada lambang: surat dicetak tanpa lambang.", "No emblem yet: letters print without one.")))
	case e.Tenant != res.Region.Code:
		body = append(body, ui.Muted(ui.Tr(r, "Lambang ini diatur oleh wilayah di atas ("+e.Tenant+").", "This emblem is set above ("+e.Tenant+").")))
	}
	if e != nil {
		body = append(body, ui.HTML(template.HTML(`<p><img id="emblem" src="`+template.HTMLEscapeString(e.URL)+`" alt="`+
			template.HTMLEscapeString(ui.Tr(r, "Lambang pada kop surat", "Letterhead emblem"))+`" width="`+strconv.Itoa(e.Width)+`" height="`+strconv.Itoa(e.Height)+
			`" style="max-height:6rem;width:auto"></p>`)))
	}
	if canEdit {
		up := ui.Upload("/settings/emblem", "emblem", ui.Tr(r, "Unggah lambang (PNG atau JPEG)", "Upload an emblem (PNG or JPEG)"),
			fmt.Sprintf(ui.Tr(r, "Paling besar %d KB, sisi %d sampai %d piksel. Berlaku juga untuk desa di bawahnya yang mengikuti pengaturan ini.",
				"At most %d KB, each side %d to %d pixels. Villages below that follow these settings print it too."), maxEmblemBytes>>10, minEmblemPixels, maxEmblemPixels),
			"image/png,image/jpeg")
		up.Submit = ui.Tr(r, "Unggah", "Upload")
		body = append(body, up)
		if e != nil {
			body = append(body, ui.Form{Action: "/settings/emblem/delete", Submit: ui.Tr(r, "Hapus lambang", "Remove the emblem"),
				Confirm: ui.Tr(r, "Cetak surat tanpa lambang?", "Print letters without an emblem?")})
		}
	}
	return ui.Section(ui.Tr(r, "Lambang", "Emblem"), body...)
}

// pageUploadEmblem stores the form's image with the API's putEmblem (the
// first file part of the multipart body); back to the settings with the
// outcome.
func pageUploadEmblem(w http.ResponseWriter, r *http.Request) {
	if _, _, err := putEmblem(r); err != nil {
		_, msg, _, ok := formErrors(r, err)
		if !ok {
			fail(w, r, err)
			return
		}
		ui.Redirect(w, r, "/settings", "error", msg)
		return
	}
	ui.Redirect(w, r, "/settings", "success", ui.Tr(r, "Lambang disimpan.", "Emblem saved."))
}

// pageDeleteEmblem removes the emblem after a confirmation.
func pageDeleteEmblem(w http.ResponseWriter, r *http.Request) {
	if !ui.Confirm(w, r, ui.Form{Action: "/settings/emblem/delete", Confirm: ui.Tr(r, "Cetak surat tanpa lambang?", "Print letters without an emblem?"), Cancel: "/settings"}) {
		return
	}
	if _, _, err := deleteEmblem(r); err != nil {
		fail(w, r, err)
		return
	}
	ui.Redirect(w, r, "/settings", "success", ui.Tr(r, "Lambang dihapus.", "Emblem removed."))
}

// widgetWaiting is the dashboard's count of requests waiting for a
// decision, with a link to them.
func widgetWaiting(w http.ResponseWriter, r *http.Request) {
	_, body, err := ui.CallAPI(r, listRequests, "GET", url.Values{"state": {StateSubmitted}, "limit": {"1"}}, nil)
	if err != nil {
		fail(w, r, err)
		return
	}
	n := body.(sdk.ListOf[requestView]).Total
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Permohonan surat menunggu", "Letter requests waiting"), Body: []ui.Node{
		ui.HTML(template.HTML(`<p><strong class="b-count" data-count="` + strconv.FormatInt(n, 10) + `">` + strconv.FormatInt(n, 10) + `</strong> ` +
			template.HTMLEscapeString(ui.Tr(r, "permohonan menunggu keputusan", "requests waiting for a decision")) + `</p>`)),
		ui.A(ui.Tr(r, "Buka antrean", "Open the queue"), "/requests?state=submitted"),
	}})
}
