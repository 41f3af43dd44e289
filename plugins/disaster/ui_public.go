package main

// Citizens' pages, without a login, below /{tenant}/disaster:
//
//	GET  /kejadian         the verified disasters of the region (active first in the widget), filters type and year
//	GET  /kejadian/{id}    a verified disaster: facts, impact, the response's actions and needs
//	GET  /lapor, POST      a citizen's report (village only; rate limited as the API)
//	GET  /lacak?code=      a tracking code asked for, then its page
//	GET  /lacak/{code}     the report's status as its reporter may see it
//	GET  /statistik        statistics per type, year and village (GET /summary)
//	GET  /widget           the public widget of the village page and the regency home

import (
	"errors"
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
	{Method: "GET", Path: "/kejadian", Public: true, Handler: http.HandlerFunc(publicListPage)},
	{Method: "GET", Path: "/kejadian/{id}", Public: true, Handler: http.HandlerFunc(publicReportPage)},
	{Method: "GET", Path: "/lapor", Public: true, Handler: http.HandlerFunc(publicFormPage)},
	{Method: "POST", Path: "/lapor", Public: true, MaxBodyBytes: maxPhotoBytes + multipartSlack, RateLimit: publicReportLimit, Handler: http.HandlerFunc(publicFormPage)},
	{Method: "GET", Path: "/lacak", Public: true, Handler: http.HandlerFunc(publicTrackLookup)},
	{Method: "GET", Path: "/lacak/{code}", Public: true, RateLimit: lookupLimit, Handler: http.HandlerFunc(publicTrackPage)},
	{Method: "GET", Path: "/statistik", Public: true, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { statsPage(w, r, true) })},
	{Method: "GET", Path: "/widget", Public: true, Widget: true, Handler: http.HandlerFunc(publicWidget)},
}

// publicWidget is the module's card on the village page and the regency
// home: the active disasters of the region (at most 3), links to the list
// and, at a village, to the report form. A few hundred bytes.
func publicWidget(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	recs, total, err := req.Records("reports").Query().Subtree().Where("active", sdk.Eq, true).OrderBy("occurred_at", true).Page(0, 3).WithTotal().Run(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	var b strings.Builder
	if total == 0 {
		fmt.Fprintf(&b, `<p id="disaster-active" data-active="0">%s</p>`, template.HTMLEscapeString(ui.Tr(r, "Tidak ada bencana aktif saat ini.", "No active disaster now.")))
	} else {
		names := map[string]string{}
		if req.Level != sdk.Village {
			names = villageNames(r)
		}
		fmt.Fprintf(&b, `<p id="disaster-active" data-active="%d"><strong>%s</strong></p><ul>`, total,
			template.HTMLEscapeString(fmt.Sprintf(ui.Tr(r, "%d bencana sedang ditangani", "%d disasters being handled"), total)))
		for i := range recs {
			rp, err := decodeReport(&recs[i])
			if err != nil {
				continue
			}
			label := typeLabel(r, rp.Type)
			if n := names[recs[i].Tenant]; n != "" {
				label += ", " + n
			}
			fmt.Fprintf(&b, `<li><a href="%s">%s</a> · %s</li>`, template.HTMLEscapeString(ui.Href(r, "/kejadian/"+recs[i].ID)),
				template.HTMLEscapeString(label), template.HTMLEscapeString(ui.Date(rp.OccurredAt.In(req.Location()))))
		}
		b.WriteString(`</ul>`)
	}
	fmt.Fprintf(&b, `<p><a href="%s">%s</a>`, template.HTMLEscapeString(ui.Href(r, "/kejadian")), template.HTMLEscapeString(ui.Tr(r, "Semua kejadian bencana", "Every disaster")))
	if req.Level == sdk.Village {
		fmt.Fprintf(&b, ` · <a href="%s">%s</a>`, template.HTMLEscapeString(ui.Href(r, "/lapor")), template.HTMLEscapeString(ui.Tr(r, "Laporkan bencana", "Report a disaster")))
	}
	b.WriteString(`</p>`)
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Bencana", "Disasters"), Body: []ui.Node{ui.HTML(template.HTML(b.String()))}})
}

// publicListPage lists the verified disasters of the region.
func publicListPage(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	q := url.Values{}
	for _, k := range []string{"type", "year", "page", "active"} {
		if v := r.URL.Query().Get(k); v != "" {
			q.Set(k, v)
		}
	}
	_, body, err := ui.CallAPI(r, listReports, "GET", q, nil)
	if err != nil {
		q.Del("type")
		q.Del("year")
		q.Del("active")
		if _, body, err = ui.CallAPI(r, listReports, "GET", q, nil); err != nil {
			fail(w, r, err)
			return
		}
	}
	list := body.(sdk.ListOf[ReportView])
	self, _, _ := req.TenantInfo(r.Context())
	names := map[string]string{self.Code: self.Name}
	if req.Level != sdk.Village {
		names = villageNames(r)
	}
	rows := make([]ui.Row, 0, len(list.Items))
	for _, v := range list.Items {
		place := names[v.Tenant]
		if v.Dusun != "" {
			place += ", " + v.Dusun
		}
		rows = append(rows, ui.Row{Href: "/kejadian/" + v.ID, Cells: []ui.Node{ui.Cell(typeLabel(r, v.Type)), ui.Cell(ui.Date(v.OccurredAt.In(req.Location()))),
			ui.Cell(place), statusBadge(r, v.Status)}})
	}
	_, limit, _ := sdk.Page(r)
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	nodes := []ui.Node{ui.Table{Columns: []ui.Column{{Key: "type", Label: ui.Tr(r, "Jenis", "Type")}, {Key: "occurred", Label: ui.Tr(r, "Tanggal", "Date")},
		{Key: "place", Label: ui.Tr(r, "Tempat", "Place")}, {Key: "status", Label: "Status"}},
		Rows: rows, Total: int(list.Total), Page: max(page, 1), Limit: limit, Caption: ui.Tr(r, "Kejadian bencana terverifikasi", "Verified disasters"),
		Empty: ui.Tr(r, "Belum ada kejadian bencana terverifikasi.", "No verified disaster."),
		Filters: []ui.Field{{Name: "type", Label: ui.Tr(r, "Jenis", "Type"), Type: "select", Options: typeOptions(r, ui.Tr(r, "Semua jenis", "Every type"))},
			{Name: "year", Label: ui.Tr(r, "Tahun", "Year"), Type: "number", Max: 9999}}}}
	if req.Level == sdk.Village {
		nodes = append(nodes, ui.Link{Label: ui.Tr(r, "Laporkan bencana", "Report a disaster"), Href: "/lapor", Primary: true})
	}
	nodes = append(nodes, ui.A(ui.Tr(r, "Statistik per jenis, tahun dan desa", "Statistics per type, year and village"), "/statistik"),
		ui.Muted(ui.Tr(r, "Hanya laporan yang telah diverifikasi petugas desa yang ditampilkan.", "Only reports verified by the village are shown.")))
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Bencana di ", "Disasters in ") + self.Name, Body: nodes,
		Description: ui.Tr(r, "Kejadian bencana terverifikasi dan penanganannya di ", "Verified disasters and their response in ") + self.Name})
}

// publicReportPage shows a verified disaster.
func publicReportPage(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	_, body, err := ui.CallAPI(r, getReport, "GET", nil, nil, "id", r.PathValue("id"))
	if err != nil {
		fail(w, r, err)
		return
	}
	v := body.(ReportView)
	names := villageNames(r)
	place := names[v.Tenant]
	pairs := whenWhere(r, v, place)
	nodes := []ui.Node{
		ui.HTML(template.HTML(`<p id="report-status">`) + statusBadge(r, v.Status).HTML(r) + `</p>`),
		ui.Text(v.Description),
		ui.DefinitionList(filled(pairs)...),
		photosNode(r, v.Photos),
		impactSection(r, v),
		logSection(r, v.Log, req.Can(permRead)),
	}
	title := typeLabel(r, v.Type) + ui.Tr(r, " di ", " in ") + place
	image := ""
	if len(v.Photos) > 0 {
		image = v.Photos[0].ThumbURL
	}
	ui.Render(w, r, ui.Page{Title: title, Body: nodes, Image: image,
		Description: fmt.Sprintf("%s, %s. %s", title, ui.Date(v.OccurredAt.In(req.Location())), statusLabel(r, v.Status))})
}

// publicFormPage is a citizen's report: type, when, where, what; name and
// phone for the call back. Success goes to the tracking page.
func publicFormPage(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	title := ui.Tr(r, "Laporkan bencana", "Report a disaster")
	if req.Level != sdk.Village {
		ui.Render(w, r, ui.Page{Title: title, Body: []ui.Node{ui.Text(ui.Tr(r,
			"Bencana dilaporkan di halaman desa tempat kejadian: pilih desa dari halaman depan portal.",
			"Disasters are reported on the page of the village where they happen: choose it from the portal's home."))}})
		return
	}
	values := url.Values{"occurred_date": {req.Today()}}
	status, errs, msg := http.StatusOK, map[string]string(nil), ""
	if r.Method == http.MethodPost {
		var err error
		if values, err = ui.FormValues(r, 1<<20); err != nil {
			fail(w, r, err)
			return
		}
		in, err := reportBody(r, values)
		var out Created
		var id string
		if err == nil {
			out, id, err = submitReport(r, in)
		}
		if err == nil {
			// The tracking page says "received" itself (?baru=1): a flash
			// cookie is not always kept across a multipart form's redirect.
			next, kind, msg := "/lacak/"+out.TrackingCode+"?baru=1", "success", ui.Tr(r, "Laporan Anda diterima.", "Your report was received.")
			if perr := formPhoto(r, id); perr != nil {
				sdk.Logf(r.Context(), "info", "a citizen's photo was refused: %v", perr)
				next, kind, msg = next+"&foto=gagal", "warning", msg+ui.Tr(r, " Foto tidak tersimpan.", " The photo was not saved.")
			}
			ui.Redirect(w, r, next, kind, msg)
			return
		}
		var ok bool
		if errs, msg, status, ok = formErrors(r, err); !ok {
			fail(w, r, err)
			return
		}
	}
	ui.Render(w, r, ui.Page{Title: title, Status: status, Body: []ui.Node{
		ui.Muted(ui.Tr(r, "Dalam keadaan darurat, hubungi juga 112. Laporan ditampilkan kepada publik setelah diverifikasi petugas desa; nama dan nomor HP Anda tidak ditampilkan.",
			"In an emergency, also call 112. Reports are shown publicly once the village verifies them; your name and phone never are.")),
		ui.Form{Action: "/lapor", Submit: ui.Tr(r, "Kirim laporan", "Send report"), Values: values, Errors: errs, Error: msg,
			Fields: append(reportFields(r, true), ui.Field{Name: "photo", Label: ui.Tr(r, "Foto (opsional)", "Photo (optional)"), Type: "file", Accept: "image/*",
				Help: ui.Tr(r, "Satu foto kejadian, paling besar 5 MB.", "One photo, at most 5 MB.")})},
		ui.A(ui.Tr(r, "Sudah punya kode pelacakan? Lacak laporan", "Have a tracking code? Track a report"), "/lacak"),
	}})
}

// trackLookup is the look-up of a report by its tracking code.
func trackLookup(r *http.Request) ui.Lookup {
	return ui.Lookup{Path: "/lacak", Title: ui.Tr(r, "Lacak laporan bencana", "Track a disaster report"), Max: 20, Placeholder: "ABCD-EFGH-JKMN",
		Missing: ui.Tr(r, "Tidak ada laporan dengan kode ini. Periksa kembali kodenya.", "No report has this code. Check it again.")}
}

// publicTrackLookup asks for a tracking code and sends it to its page.
func publicTrackLookup(w http.ResponseWriter, r *http.Request) { trackLookup(r).Serve(w, r) }

// publicTrackPage shows a report's status to its reporter.
func publicTrackPage(w http.ResponseWriter, r *http.Request) {
	_, body, ok := trackLookup(r).Find(w, r, trackReport, fail)
	if !ok {
		return
	}
	t := body.(Tracking)
	next := map[string][2]string{
		StatusReported:  {"Laporan Anda sedang diperiksa petugas desa. Anda mungkin ditelepon untuk memastikan.", "The village is checking your report and may call you."},
		StatusVerified:  {"Laporan Anda telah diverifikasi dan diteruskan ke kecamatan dan kabupaten.", "Your report is verified and passed on to the district and regency."},
		StatusEmergency: {"Tanggap darurat sedang berlangsung.", "Emergency response under way."},
		StatusRecovery:  {"Masa pemulihan sedang berlangsung.", "Recovery under way."},
		StatusClosed:    {"Penanganan bencana ini telah selesai.", "The response is closed."},
		StatusRejected:  {"Laporan Anda tidak dapat dipastikan.", "Your report could not be confirmed."},
	}[t.Status]
	pairs := [][2]string{{ui.Tr(r, "Kode pelacakan", "Tracking code"), t.TrackingCode}, {ui.Tr(r, "Jenis", "Type"), typeLabel(r, t.Type)},
		{ui.Tr(r, "Dilaporkan", "Reported"), when(r, t.ReportedAt)}}
	if t.RejectReason != "" {
		pairs = append(pairs, [2]string{ui.Tr(r, "Alasan", "Reason"), t.RejectReason})
	}
	var nodes []ui.Node
	if r.URL.Query().Get("baru") == "1" {
		nodes = append(nodes, ui.HTML(template.HTML(`<p class="b-flash b-flash-success" role="status" id="track-new">`+template.HTMLEscapeString(
			ui.Tr(r, "Laporan Anda diterima. Simpan kode pelacakan ini: ", "Your report was received. Keep this tracking code: ")+t.TrackingCode)+`</p>`)))
		if r.URL.Query().Get("foto") == "gagal" {
			nodes = append(nodes, ui.HTML(template.HTML(`<p class="b-flash b-flash-warning" role="alert">`+template.HTMLEscapeString(
				ui.Tr(r, "Foto tidak tersimpan (harus gambar JPEG, PNG atau WebP, paling besar 5 MB). Laporan tetap diterima.",
					"The photo was not saved (a JPEG, PNG or WebP image up to 5 MB). The report was received."))+`</p>`)))
		}
	}
	nodes = append(nodes,
		ui.HTML(template.HTML(`<p id="track-status">`)+statusBadge(r, t.Status).HTML(r)+" "+template.HTML(template.HTMLEscapeString(ui.Tr(r, next[0], next[1])))+`</p>`),
		ui.DefinitionList(pairs...),
	)
	if t.ReportID != "" {
		nodes = append(nodes, ui.A(ui.Tr(r, "Lihat halaman kejadian", "Open the disaster's page"), "/kejadian/"+t.ReportID))
	}
	nodes = append(nodes, ui.Muted(ui.Tr(r, "Simpan alamat halaman ini untuk melihat perkembangannya.", "Keep this page's address to follow your report.")))
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Laporan ", "Report ") + t.TrackingCode, Body: nodes})
}

// formPhoto stores the photo of a form, if one was chosen, with the report id.
func formPhoto(r *http.Request, id string) error {
	if r.MultipartForm == nil {
		return nil
	}
	f, hdr, err := r.FormFile("photo")
	if errors.Is(err, http.ErrMissingFile) {
		return nil
	}
	if err != nil {
		return sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "the photo cannot be read")
	}
	defer f.Close()
	if hdr.Size > maxPhotoBytes {
		return photoTooLarge()
	}
	req := sdk.From(r)
	rec, err := req.Records("reports").Get(r.Context(), id)
	if err != nil {
		return err
	}
	rp, err := decodeReport(rec)
	if err != nil {
		return err
	}
	_, err = attachPhoto(r.Context(), req, rec, rp, f, hdr.Filename)
	return err
}

// photosNode shows a report's photos as thumbnails, each a link to the
// photo; lazy, so that a phone fetches only what it shows.
func photosNode(r *http.Request, photos []PhotoView) ui.Node {
	if len(photos) == 0 {
		return ui.HTML("")
	}
	var b strings.Builder
	b.WriteString(`<p id="report-photos">`)
	for i, p := range photos {
		fmt.Fprintf(&b, `<a href="%s"><img src="%s" alt="%s" width="160" loading="lazy" style="max-width:48%%;height:auto;margin:0 4px 4px 0"></a>`,
			template.HTMLEscapeString(p.URL), template.HTMLEscapeString(p.ThumbURL),
			template.HTMLEscapeString(fmt.Sprintf(ui.Tr(r, "Foto %d", "Photo %d"), i+1)))
	}
	b.WriteString(`</p>`)
	return ui.HTML(template.HTML(b.String()))
}
