package main

// The import screen: upload a CSV or .xlsx (ours, OpenSID's or SIAK's
// layout), then the result (counts, the rejected rows with their reasons)
// and a link to download the rejects file, all through runImport, the
// function POST /import runs.

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

// importForm is the upload form.
func importForm(r *http.Request, errs map[string]string, msg string) ui.Node {
	return ui.Form{Action: "/import", Method: "POST", Multipart: true, Submit: ui.Tr(r, "Impor", "Import"),
		Values: url.Values{}, Errors: errs, Error: msg,
		Fields: []ui.Field{
			{Name: "dry_run", Label: ui.Tr(r, "Periksa saja, jangan simpan", "Check only, do not save"), Type: "checkbox"},
			{Name: "file", Label: ui.Tr(r, "Berkas penduduk (CSV atau .xlsx)", "Residents file (CSV or .xlsx)"), Type: "file", Required: true,
				Help: ui.Tr(r, "Format Balai, templat OpenSID, atau ekspor SIAK. Baris yang ditolak dapat diunduh setelahnya.",
					"Balai's layout, OpenSID's template or a SIAK export. The rejected rows can be downloaded afterwards.")},
		}}
}

// pageImport is GET (the form) and POST (the import and its result).
func pageImport(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	title := ui.Tr(r, "Impor penduduk", "Import residents")
	if req.Level != sdk.Village {
		fail(w, r, errNotAVillage(req))
		return
	}
	if r.Method != http.MethodPost {
		ui.Render(w, r, ui.Page{Title: title, Actions: []ui.Link{{Label: ui.Tr(r, "Unduh contoh CSV", "Download a sample CSV"), Href: "/import/contoh.csv"}},
			Body: []ui.Node{importForm(r, nil, ""), ui.Muted(ui.Tr(r,
				"Contoh CSV memuat kolom yang dikenali Balai dan satu baris contoh: hapus baris contoh, isi data warga, lalu impor. Kolom wajib: NIK, No. KK, Nama, Jenis Kelamin, Tanggal Lahir.",
				"The sample CSV has the columns Balai recognises and one example row: delete the example, fill in the residents, then import. Required: NIK, No. KK, Nama, Jenis Kelamin, Tanggal Lahir."))}})
		return
	}
	res, err := importUpload(r)
	if err != nil {
		fe, msg, st, ok := formErrors(r, err)
		if !ok {
			fail(w, r, err)
			return
		}
		if len(fe) == 0 {
			fe = map[string]string{"file": msg}
		}
		ui.Render(w, r, ui.Page{Title: title, Status: st, Body: []ui.Node{importForm(r, fe, msg)}})
		return
	}
	ui.Render(w, r, ui.Page{Title: title, Actions: []ui.Link{{Label: ui.Tr(r, "Impor berkas lain", "Import another file"), Href: "/import"}},
		Body: importResultNodes(r, res)})
}

// importUpload streams the form's file part into runImport (no copy in
// memory: runImport spools it to disk as the API's upload).
func importUpload(r *http.Request) (*importResult, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, sdk.Errorf(http.StatusBadRequest, codeInvalidFile, "%s", ui.Tr(r, "Pilih berkas untuk diimpor", "Choose a file to import"))
	}
	q := url.Values{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile, "%s", ui.Tr(r, "Pilih berkas untuk diimpor", "Choose a file to import"))
		}
		var me *http.MaxBytesError
		if errors.As(err, &me) {
			return nil, sdk.Errorf(http.StatusRequestEntityTooLarge, codeInvalidFile, "%s", ui.Tr(r, "Berkas terlalu besar untuk diunggah di sini (paling besar 64 MB); gunakan API atau CLI", "The file is too big to upload here (64 MB at most); use the API or the CLI"))
		}
		if err != nil {
			return nil, sdk.Errorf(http.StatusBadRequest, codeInvalidFile, "reading the upload: %v", err)
		}
		switch part.FormName() {
		case "dry_run":
			if v, _ := io.ReadAll(io.LimitReader(part, 16)); len(v) > 0 {
				q.Set("dry_run", "true")
			}
		case "file":
			if part.FileName() == "" {
				return nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile, "%s", ui.Tr(r, "Pilih berkas untuk diimpor", "Choose a file to import"))
			}
			res, out, err := runImport(uploadRequest(r, part, q))
			if out != nil { // only with ?rejects=file, which the screen never asks
				os.Remove(out.path)
			}
			return res, err
		}
		part.Close()
	}
}

// uploadRequest is r as POST /import sees an upload: the file as the
// body, its content type, the options as the query.
func uploadRequest(r *http.Request, part *multipart.Part, q url.Values) *http.Request {
	r2 := r.Clone(r.Context())
	u := *r.URL
	u.RawQuery = q.Encode()
	r2.URL = &u
	r2.Body = io.NopCloser(part)
	r2.ContentLength = -1
	r2.Header = r.Header.Clone()
	r2.Header.Set("Content-Type", part.Header.Get("Content-Type"))
	return r2
}

// importResultNodes shows an import's counts, the rejected rows and the
// link to the rejects file.
func importResultNodes(r *http.Request, res *importResult) []ui.Node {
	n := strconv.Itoa
	pairs := [][2]string{
		{ui.Tr(r, "Baris dibaca", "Rows read"), n(res.Read)},
		{ui.Tr(r, "Didaftarkan", "Registered"), n(res.Inserted)},
		{ui.Tr(r, "Sudah terdaftar (dilewati)", "Already registered (skipped)"), n(res.Duplicates)},
		{ui.Tr(r, "Ditolak", "Rejected"), n(res.Rejected)},
	}
	if res.DryRun && res.WouldInsert != nil {
		pairs[1] = [2]string{ui.Tr(r, "Akan didaftarkan", "Would be registered"), n(*res.WouldInsert)}
	}
	kind, msg := "success", ui.Tr(r, "Impor selesai.", "Import finished.")
	if res.DryRun {
		kind, msg = "info", ui.Tr(r, "Pemeriksaan selesai: belum ada yang disimpan.", "Check finished: nothing was saved.")
	}
	if res.Rejected > 0 {
		kind = "warning"
	}
	out := []ui.Node{
		ui.HTML(template.HTML(`<p class="b-flash b-flash-`+kind+`" role="status">`) + escape(msg) + `</p>`),
		ui.Section(ui.Tr(r, "Hasil", "Result"), ui.DefinitionList(pairs...)),
	}
	if f := res.RejectsFile; f != nil {
		href := ui.Href(r, "/import/rejects/"+url.PathEscape(f.ID))
		out = append(out, ui.HTML(template.HTML(fmt.Sprintf(`<p><a class="b-btn" href="%s" download="%s" id="rejects-file">%s</a> <span class="b-muted">%s</span></p>`,
			escape(href), escape(f.Name), escape(fmt.Sprintf(ui.Tr(r, "Unduh baris yang ditolak (%d baris)", "Download the rejected rows (%d rows)"), f.Rows)),
			escape(fmt.Sprintf(ui.Tr(r, "tersedia sampai %s", "available until %s"), f.Expires))))))
	}
	if len(res.Rejections) > 0 {
		rows := make([]ui.Row, 0, len(res.Rejections))
		for _, rj := range res.Rejections {
			reason := rj.Reason
			if ui.Info(r).Lang != "en" && rj.ReasonID != "" {
				reason = rj.ReasonID
			}
			rows = append(rows, ui.Row{Cells: []ui.Node{ui.Cell(n(rj.Line)), ui.Cell(rj.NIK), ui.Badge("warning", rj.Code), ui.Cell(reason)}})
		}
		out = append(out, ui.Section(ui.Tr(r, "Baris yang tidak diimpor", "Rows not imported"),
			ui.Table{Columns: []ui.Column{{Key: "line", Label: ui.Tr(r, "Baris", "Line")}, {Key: "nik", Label: "NIK"},
				{Key: "code", Label: ui.Tr(r, "Kode", "Code")}, {Key: "reason", Label: ui.Tr(r, "Alasan", "Reason")}},
				Rows: rows, Total: len(rows)}))
	}
	if len(res.UnknownColumns) > 0 {
		out = append(out, ui.HTML(template.HTML(`<p class="b-muted">`+escape(ui.Tr(r, "Kolom tidak dikenal (tidak diimpor): ", "Unknown columns (not imported): "))+escape(strings.Join(res.UnknownColumns, ", "))+`</p>`)))
	}
	return out
}

// escape is html/template's escaping for the few fragments built by hand.
func escape(s string) template.HTML { return template.HTML(template.HTMLEscapeString(s)) }

// importSampleCSV is the import page's sample file: Balai's own column names
// (importformats.go recognises them) and one example row.
const importSampleCSV = "\ufeffNIK;No. KK;Nama;Jenis Kelamin;Tempat Lahir;Tanggal Lahir;Agama;Pendidikan;Pekerjaan;Status Perkawinan;Hubungan Keluarga;Nama Ibu;Alamat;RT;RW;Dusun\r\n" +
	"'1401010101900001;'1401010101150001;Contoh Nama Warga;L;Kampar;01-01-1990;Islam;SLTA/Sederajat;Petani/Pekebun;Kawin;Kepala Keluarga;Nama Ibu Kandung;Jalan Contoh No. 1;001;002;Dusun I\r\n"

// pageSampleCSV downloads importSampleCSV (a file, not a fragment).
func pageSampleCSV(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="contoh-impor-penduduk.csv"`)
	io.WriteString(w, importSampleCSV)
}

// pageRejects is the screen's link to a rejects file: the file itself,
// or, when it is gone or not the caller's to see, a page in the shell
// saying so (the API answers JSON).
func pageRejects(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	if req.Level != sdk.Village {
		fail(w, r, errNotAVillage(req))
		return
	}
	rr, body, err := openRejects(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	defer body.Close()
	serveRejects(w, rr, body)
}
