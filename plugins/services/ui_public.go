package main

// The citizens' letter pages (issue 13 item 2), served without a login at
// /{village}/services/...: request a letter, follow it by its tracking
// code, and the page a letter's QR code opens. They call the public API
// handlers (createPublicRequest, trackRequest, verificationOf), so the
// identity check, the limits and what a citizen may learn stay the API's:
// a name is masked, a NIK never shown. Small pages, forms without script.
//
// Public pages, below /{village}/services:
//
//	GET  /request?type=   choose the letter, then NIK, KK, mother's name, purpose and the type's fields
//	POST /request         createPublicRequest; success goes to /track/{code} with the code in the message
//	GET  /track?code=     a tracking code asked for, then its page
//	GET  /track/{code}    state, number, a rejection's reason, the link to the verification page
//	GET  /verify/{code}   valid or not, number, type, village, date, name masked (what the QR code's page says)

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

var publicPages = []sdk.PageRoute{
	{Method: "GET", Path: "/request", Public: true, Handler: http.HandlerFunc(publicRequestPage)},
	{Method: "POST", Path: "/request", Public: true, MaxBodyBytes: 16 << 10, RateLimit: publicRequestLimit, Handler: http.HandlerFunc(publicRequestPage)},
	{Method: "GET", Path: "/track", Public: true, Handler: http.HandlerFunc(publicTrackLookup)},
	{Method: "GET", Path: "/track/{code}", Public: true, Handler: http.HandlerFunc(publicTrackPage)},
	{Method: "GET", Path: "/verify/{code}", Public: true, Handler: http.HandlerFunc(publicVerifyPage)},
	// The village's letters on its public home in the portal (issue 13).
	{Method: "GET", Path: "/summary", Public: true, Widget: true, Handler: http.HandlerFunc(publicSummary)},
}

// publicSummary is the services' public widget on a village's home in the
// portal: the letters a citizen may ask for online, each a link to its
// request form, and the tracking page. Requests are made to a village;
// above one the widget says so.
func publicSummary(w http.ResponseWriter, r *http.Request) {
	title := ui.Tr(r, "Layanan Surat", "Letters")
	if sdk.From(r).Level != sdk.Village {
		ui.Render(w, r, ui.Page{Title: title, Body: []ui.Node{ui.Text(ui.Tr(r,
			"Surat keterangan diajukan di halaman desa Anda: pilih desa di bawah.",
			"Letters are requested on your village's page: choose the village below."))}})
		return
	}
	ui.Render(w, r, ui.Page{Title: title, Body: []ui.Node{
		ui.Text(ui.Tr(r, "Ajukan surat keterangan dari rumah, lalu ambil atau unduh setelah diterbitkan.",
			"Ask for a letter from home, then collect or download it once issued.")),
		typeChooser(r, "/request", ""),
		ui.A(ui.Tr(r, "Lacak permohonan dengan kode", "Track a request by its code"), "/track"),
	}})
}

// publicRequestPage is a citizen's letter request: the letter type first
// (its own fields depend on it), then NIK, KK, mother's name, purpose and
// the type's fields. A success goes to the tracking page of the new code.
func publicRequestPage(w http.ResponseWriter, r *http.Request) {
	values := r.URL.Query()
	status, errs, msg := http.StatusOK, map[string]string(nil), ""
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			fail(w, r, sdk.Errorf(http.StatusBadRequest, sdk.CodeInvalidField, "unreadable form"))
			return
		}
		values = r.PostForm
		_, body, err := ui.CallAPI(r, villageOnly(createPublicRequest), "POST", nil, submissionBody(values, "type", "nik", "kk", "mother_name", "purpose", "child_nik"))
		if err == nil {
			out := body.(map[string]any)
			code, _ := out["track_code"].(string)
			ui.Redirect(w, r, "/track/"+code, "success",
				ui.Tr(r, "Permohonan Anda diterima. Simpan kode pelacakan ini: ", "Your request was received. Keep this tracking code: ")+code)
			return
		}
		var ok bool
		if errs, msg, status, ok = formErrors(r, err); !ok {
			fail(w, r, err)
			return
		}
		if status == http.StatusTooManyRequests && ui.Info(r).Lang == "en" {
			msg = "Too many attempts. Try again later. " + msg
		}
	}
	title := ui.Tr(r, "Ajukan surat", "Request a letter")
	links := []ui.Node{ui.A(ui.Tr(r, "Sudah punya kode pelacakan? Lacak permohonan", "Have a tracking code? Track a request"), "/track")}
	lt, ok := letterType(values.Get("type"))
	if !ok {
		ui.Render(w, r, ui.Page{Title: title, Status: status, Body: append([]ui.Node{
			ui.Text(ui.Tr(r, "Pilih surat yang Anda perlukan.", "Choose the letter you need.")),
			typeChooser(r, "/request", msg),
		}, links...)})
		return
	}
	fields := []ui.Field{
		{Name: "type", Type: "hidden"},
		{Name: "nik", Label: "NIK", Type: "text", Required: true, Max: 16, Help: ui.Tr(r, "16 angka, seperti pada KTP atau KK.", "16 digits, as on your ID card or family card.")},
		{Name: "kk", Label: ui.Tr(r, "Nomor KK", "Family card number"), Required: true, Max: 16},
		{Name: "mother_name", Label: ui.Tr(r, "Nama ibu kandung", "Mother's name"), Required: true, Max: 200},
		{Name: "purpose", Label: ui.Tr(r, "Keperluan", "Purpose"), Required: true, Max: 500},
	}
	if lt.Code == "kelahiran" {
		fields = append(fields, ui.Field{Name: "child_nik", Label: ui.Tr(r, "NIK anak (bila sudah tercatat)", "Child's NIK (if registered)"), Max: 16})
	}
	fields = append(fields, typeFields(r, lt)...)
	ui.Render(w, r, ui.Page{Title: title + ": " + lt.Name, Status: status, Body: append([]ui.Node{
		ui.Muted(ui.Tr(r, "NIK, nomor KK dan nama ibu dicocokkan dengan data kependudukan desa; data Anda tidak ditampilkan kepada siapa pun.",
			"NIK, family card number and mother's name are checked against the village register; your data is shown to no one.")),
		ui.Form{Action: "/request", Submit: ui.Tr(r, "Kirim permohonan", "Send request"), Values: values, Errors: errs, Error: msg,
			Fields: fields, Cancel: "/request"},
	}, links...)})
}

// trackLookup is the look-up of a letter request by its tracking code.
func trackLookup(r *http.Request) ui.Lookup {
	return ui.Lookup{Path: "/track", Title: ui.Tr(r, "Lacak permohonan surat", "Track a letter request"), Max: 40,
		Help:    ui.Tr(r, "26 huruf dan angka, diberikan saat Anda mengajukan surat.", "26 letters and digits, given when you sent the request."),
		More:    []ui.Node{ui.A(ui.Tr(r, "Ajukan surat baru", "Request a new letter"), "/request")},
		Missing: ui.Tr(r, "Tidak ada permohonan dengan kode ini. Periksa kembali kodenya.", "No request has this code. Check it again.")}
}

// publicTrackLookup asks for a tracking code, and sends a given one to
// its page.
func publicTrackLookup(w http.ResponseWriter, r *http.Request) { trackLookup(r).Serve(w, r) }

// publicTrackPage is the citizen's view of a request: state, number,
// the reason of a rejection, the verification page of an issued letter.
func publicTrackPage(w http.ResponseWriter, r *http.Request) {
	code, body, ok := trackLookup(r).Find(w, r, trackRequest, fail)
	if !ok {
		return
	}
	t := body.(tracking)
	pairs := [][2]string{
		{ui.Tr(r, "Kode pelacakan", "Tracking code"), code},
		{ui.Tr(r, "Nomor permohonan", "Reference"), t.Ref},
		{ui.Tr(r, "Jenis surat", "Letter"), t.TypeName},
		{ui.Tr(r, "Diajukan", "Submitted"), ui.DateOnly(firstN(t.SubmittedAt, 10))},
	}
	if t.Number != "" {
		pairs = append(pairs, [2]string{ui.Tr(r, "Nomor surat", "Letter number"), t.Number}, [2]string{ui.Tr(r, "Tanggal surat", "Letter date"), ui.DateOnly(t.LetterDate)})
	}
	if t.Reason != "" {
		pairs = append(pairs, [2]string{ui.Tr(r, "Alasan penolakan", "Reason for rejection"), t.Reason})
	}
	next := map[string][2]string{
		StateSubmitted: {"Permohonan Anda sedang diperiksa oleh petugas desa.", "Your request is being checked by the village office."},
		StateApproved:  {"Surat Anda sudah disetujui dan sedang disiapkan. Ambil di kantor desa.", "Your letter is approved and being prepared. Collect it at the village office."},
		StateIssued:    {"Surat Anda sudah diterbitkan.", "Your letter has been issued."},
		StateRejected:  {"Permohonan Anda ditolak. Anda dapat mengajukan kembali.", "Your request was rejected. You may send a new one."},
		StateRevoked:   {"Surat ini telah dicabut dan tidak berlaku lagi.", "This letter has been revoked and is no longer valid."},
	}[t.State]
	nodes := []ui.Node{
		ui.HTML(template.HTML(`<p id="track-state">`) + stateBadge(r, t.State).HTML(r) + ` ` + template.HTML(template.HTMLEscapeString(ui.Tr(r, next[0], next[1]))) + `</p>`),
		ui.DefinitionList(pairs...),
	}
	if t.VerifyURL != "" {
		if i := strings.LastIndex(t.VerifyURL, "/"); i >= 0 && validCode(t.VerifyURL[i+1:]) {
			nodes = append(nodes, ui.A(ui.Tr(r, "Buka halaman verifikasi surat", "Open the letter's verification page"), "/verify/"+t.VerifyURL[i+1:]))
		}
	}
	nodes = append(nodes, ui.Muted(ui.Tr(r, "Simpan alamat halaman ini untuk melihat perkembangannya.", "Keep this page's address to follow your request.")))
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Permohonan ", "Request ") + t.Ref, Body: nodes})
}

func firstN(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// publicVerifyPage is what a letter's QR code shows on a phone: valid or
// not, and the few facts that tell a real letter (name masked).
func publicVerifyPage(w http.ResponseWriter, r *http.Request) {
	v, err := verificationOf(r)
	if err != nil {
		if _, _, status, ok := formErrors(r, err); ok && status == http.StatusNotFound {
			ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Surat tidak ditemukan", "Letter not found"), Status: http.StatusNotFound, Body: []ui.Node{
				ui.HTML(template.HTML(`<p class="b-error" role="alert" id="verify-result" data-valid="false">` +
					template.HTMLEscapeString(ui.Tr(r, "Tidak ada surat dengan kode ini. Surat ini mungkin palsu atau kodenya salah.",
						"No letter has this code. The letter may be forged or the code mistyped.")) + `</p>`)),
			}})
			return
		}
		fail(w, r, err)
		return
	}
	kind, head := "danger", ui.Tr(r, "Surat tidak berlaku", "Letter not valid")
	if v.Valid {
		kind, head = "success", ui.Tr(r, "Surat sah", "Valid letter")
	}
	valid := "false"
	if v.Valid {
		valid = "true"
	}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Verifikasi surat", "Letter verification"), Body: []ui.Node{
		ui.HTML(template.HTML(`<p id="verify-result" data-valid="`+valid+`"><strong>`) + ui.Badge(kind, head).HTML(r) + `</strong></p>`),
		ui.Text(verifyMessage(r, v)),
		ui.DefinitionList(
			[2]string{ui.Tr(r, "Nomor", "Number"), v.Number},
			[2]string{ui.Tr(r, "Jenis surat", "Letter"), v.TypeName},
			[2]string{ui.Tr(r, "Diterbitkan oleh", "Issued by"), v.Village},
			[2]string{ui.Tr(r, "Tanggal surat", "Letter date"), v.DateText()},
			[2]string{ui.Tr(r, "Atas nama", "In the name of"), v.Name},
		),
	}})
}

// verifyMessage is the verification's sentence in the page's language
// (the API's is in Bahasa Indonesia).
func verifyMessage(r *http.Request, v *verification) string {
	if ui.Info(r).Lang != "en" {
		return v.Message
	}
	switch v.State {
	case StateIssued:
		return "This letter is valid: it is recorded as issued by " + v.Village + "."
	case StateRevoked:
		return "This letter has been REVOKED and is no longer valid."
	}
	return "This letter is approved but not issued yet."
}
