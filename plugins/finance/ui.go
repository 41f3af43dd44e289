package main

// The finance screens. Console (clerks, village head, regency): the
// budget of a year with its lines and realisation, the draft editor (one
// line at a time, no script needed), approval with the Perdes, the
// Siskeudes import, realisation entry with its evidence, the semester and
// year-end reports (and their CSV), and at a district or regency the
// roll-up with one row per village. Public (citizens): the budget
// infographic of a village, the Dana Desa absorption per village at a
// district or regency, and the portal widget. Every screen goes through
// the API's handlers (ui.CallAPI or the handler itself), so a form obeys
// the same rules as the API.

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

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

// pages are the finance screens.
func pages() []sdk.PageRoute {
	return []sdk.PageRoute{
		{Method: "GET", Path: "/anggaran", Permission: permRead, Handler: http.HandlerFunc(budgetPage),
			Menu: &sdk.MenuEntry{Label: "Anggaran Desa", LabelEN: "Village budget", Icon: "money", Order: 100}},
		{Method: "GET", Path: "/anggaran/{year}/baris", Permission: permWrite, Handler: http.HandlerFunc(linePage)},
		{Method: "POST", Path: "/anggaran/{year}/baris", Permission: permWrite, Handler: http.HandlerFunc(saveLinePage)},
		{Method: "POST", Path: "/anggaran/{year}/baris/hapus", Permission: permWrite, Handler: http.HandlerFunc(deleteLinePage)},
		{Method: "POST", Path: "/anggaran/{year}/perubahan", Permission: permWrite, Handler: http.HandlerFunc(perubahanPage)},
		{Method: "POST", Path: "/anggaran/{year}/setujui", Permission: permApprove, Handler: http.HandlerFunc(approvePage)},
		{Method: "GET", Path: "/anggaran/{year}/impor", Permission: permWrite, Handler: http.HandlerFunc(importPage)},
		{Method: "POST", Path: "/anggaran/{year}/impor", Permission: permWrite, MaxBodyBytes: maxImportBytes + multipartSlack, Handler: http.HandlerFunc(importPage)},
		{Method: "GET", Path: "/anggaran/{year}/realisasi", Permission: permRead, Handler: http.HandlerFunc(realisationPage)},
		{Method: "POST", Path: "/anggaran/{year}/realisasi", Permission: permRealise, MaxBodyBytes: maxEvidenceBytes + multipartSlack, Handler: http.HandlerFunc(realisationPage)},
		{Method: "GET", Path: "/anggaran/{year}/realisasi/{id}/bukti", Permission: permRead, Handler: http.HandlerFunc(serveEvidence)},
		{Method: "GET", Path: "/anggaran/{year}/realisasi/{id}/batal", Permission: permRealise, Handler: http.HandlerFunc(reversePage)},
		{Method: "POST", Path: "/anggaran/{year}/realisasi/{id}/batal", Permission: permRealise, Handler: http.HandlerFunc(reversePage)},
		{Method: "GET", Path: "/anggaran/{year}/laporan", Permission: permRead, Handler: http.HandlerFunc(reportPage)},
		{Method: "GET", Path: "/anggaran/{year}/laporan.csv", Permission: permRead, Handler: http.HandlerFunc(reportCSVPage)},
		{Method: "GET", Path: "/widget", Permission: permRead, Widget: true, Handler: http.HandlerFunc(consoleWidget)},
		{Method: "GET", Path: "/{$}", Public: true, Handler: http.HandlerFunc(publicPage)},
		{Method: "GET", Path: "/ringkasan", Public: true, Widget: true, Handler: http.HandlerFunc(publicWidget)},
	}
}

var sectionNames = map[string]string{sectionIncome: "Pendapatan", sectionSpending: "Belanja", sectionFinancing: "Pembiayaan"}

// fail shows an error in the shell.
func fail(w http.ResponseWriter, r *http.Request, title string, err error) {
	status, msg := http.StatusInternalServerError, "Terjadi kesalahan. Coba lagi nanti."
	var e *sdk.Error
	if errors.As(err, &e) && e.Status < 500 {
		status, msg = e.Status, e.Message
	} else {
		sdk.Logf(r.Context(), "error", "finance screen %s: %v", r.URL.Path, err)
	}
	ui.ErrorPage(w, r, title, status, msg)
}

// isCode says whether err is an *sdk.Error with code.
func isCode(err error, code sdk.Code) bool {
	var e *sdk.Error
	return errors.As(err, &e) && e.Code == code
}

// pageYear reads the year of a page: the path's, ?year=, or this year.
func pageYear(r *http.Request) (int, error) {
	if s := r.PathValue("year"); s != "" {
		return parseYear(s)
	}
	return summaryYear(r)
}

func pct(p float64) string {
	return strings.Replace(strconv.FormatFloat(p, 'f', 1, 64), ".", ",", 1) + "%"
}

func rp(n int64) string {
	if n < 0 {
		return "-" + ui.Rupiah(-n)
	}
	return ui.Rupiah(n)
}

func statusBadge(b *BudgetView) ui.Node {
	if b.Status == statusOK {
		return ui.Badge("success", kindLabel(b.Kind)+" disetujui")
	}
	return ui.Badge("warning", "Rancangan "+kindLabel(b.Kind))
}

// yearLinks links the previous and next year of a page.
func yearLinks(path string, year int) []ui.Link {
	return []ui.Link{{Label: "‹ " + strconv.Itoa(year-1), Href: fmt.Sprintf(path, year-1)}, {Label: strconv.Itoa(year+1) + " ›", Href: fmt.Sprintf(path, year+1)}}
}

// budgetPage is the console's budget screen: the village's budget of the
// year, or the roll-up at a district or regency.
func budgetPage(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	year, err := pageYear(r)
	if err != nil {
		fail(w, r, "Anggaran Desa", err)
		return
	}
	if req.Level != sdk.Village {
		rollupPage(w, r, year)
		return
	}
	title := fmt.Sprintf("APBDes %d", year)
	actions := yearLinks("/anggaran?year=%d", year)
	v, err := buildView(r.Context(), req, year, false)
	if isCode(err, codeBudgetNotFound) {
		body := []ui.Node{ui.Text(fmt.Sprintf("Belum ada anggaran untuk tahun %d.", year))}
		if req.Can(permWrite) {
			actions = append(actions, ui.Link{Label: "Tambah baris anggaran", Href: fmt.Sprintf("/anggaran/%d/baris", year), Primary: true},
				ui.Link{Label: "Impor dari Siskeudes", Href: fmt.Sprintf("/anggaran/%d/impor", year)})
		}
		ui.Render(w, r, ui.Page{Title: title, Actions: actions, Body: body})
		return
	}
	if err != nil {
		fail(w, r, title, err)
		return
	}
	y := strconv.Itoa(year)
	var body []ui.Node
	pairs := [][2]string{{"Status", ""}, {"Pendapatan", rp(v.Totals.Income)}, {"Belanja", rp(v.Totals.Spending)},
		{"Surplus/(defisit)", rp(v.Totals.Surplus)}, {"Pembiayaan neto", rp(v.Totals.NetFinancing)}, {"SiLPA tahun berjalan", rp(v.Totals.SiLPA)}}
	if v.Status == statusOK {
		pairs = append(pairs, [2]string{"Perdes", v.PerdesNumber + " (" + ui.DateOnly(v.PerdesDate) + ")"},
			[2]string{"Realisasi belanja", rp(v.Realised.Spending) + " (" + pct(v.Realised.SpendingPercent) + ")"},
			[2]string{"Penyerapan Dana Desa", rp(v.DanaDesa.Spent) + " dari " + rp(v.DanaDesa.Budget) + " (" + pct(v.DanaDesa.AbsorptionPercent) + ")"})
	}
	pairs = pairs[1:]
	body = append(body, statusBadge(v), ui.DefinitionList(pairs...))
	if v.Status == statusDraft {
		if gap := v.Totals.SiLPA; gap != 0 {
			word := "Surplus belum dialokasikan"
			if gap < 0 {
				word, gap = "Defisit belum tertutup pembiayaan", -gap
			}
			body = append(body, ui.Alert(fmt.Sprintf("%s: %s. Anggaran harus seimbang sebelum disetujui.", word, ui.Rupiah(gap))))
		}
		if req.Can(permWrite) {
			actions = append(actions, ui.Link{Label: "Tambah baris anggaran", Href: "/anggaran/" + y + "/baris", Primary: true},
				ui.Link{Label: "Impor dari Siskeudes", Href: "/anggaran/" + y + "/impor"})
		}
		if req.Can(permApprove) {
			body = append(body, ui.Section("Setujui dengan Peraturan Desa", ui.Muted("Setelah disetujui, anggaran dikunci: perubahan hanya lewat APBDes Perubahan."),
				approveForm(y)))
		}
	} else {
		if req.Can(permRealise) {
			actions = append(actions, ui.Link{Label: "Catat realisasi", Href: "/anggaran/" + y + "/realisasi", Primary: true})
		}
		actions = append(actions, ui.Link{Label: "Laporan semester I", Href: "/anggaran/" + y + "/laporan?period=s1"},
			ui.Link{Label: "Laporan akhir tahun", Href: "/anggaran/" + y + "/laporan?period=year"})
		if v.Revision == 0 && req.Can(permWrite) {
			body = append(body, perubahanForm(y))
		}
	}
	body = append(body, linesTable(r, v, v.Status == statusDraft && req.Can(permWrite)))
	if len(v.Versions) > 1 {
		rows := []ui.Row{}
		for _, ver := range v.Versions {
			rows = append(rows, ui.Row{Cells: []ui.Node{ui.Cell(kindLabel(ver.Kind)), ui.Cell(map[string]string{statusOK: "Disetujui", statusDraft: "Rancangan"}[ver.Status]),
				ui.Cell(ver.PerdesNumber), ui.Cell(ui.DateOnly(ver.PerdesDate))}})
		}
		body = append(body, ui.Section("Versi", ui.Table{Columns: []ui.Column{{Label: "Versi"}, {Label: "Status"}, {Label: "Perdes"}, {Label: "Tanggal"}}, Rows: rows}))
	}
	ui.Render(w, r, ui.Page{Title: title, Actions: actions, Body: body})
}

// approveForm approves the draft of year y, after a confirmation.
func approveForm(y string) ui.Form {
	return ui.Form{Action: "/anggaran/" + y + "/setujui", Method: "POST", Submit: "Setujui anggaran", Confirm: "Setujui dan kunci anggaran ini?",
		Fields: []ui.Field{{Name: "perdes_number", Label: "Nomor Perdes", Required: true, Max: 80, Placeholder: "Perdes No. 1 Tahun " + y},
			{Name: "perdes_date", Label: "Tanggal Perdes", Type: "date", Required: true}}}
}

// perubahanForm opens the APBDes Perubahan of year y, after a
// confirmation.
func perubahanForm(y string) ui.Form {
	return ui.Form{Action: "/anggaran/" + y + "/perubahan", Method: "POST", Submit: "Susun APBDes Perubahan",
		Confirm: "Buka rancangan APBDes Perubahan dari anggaran yang berlaku?"}
}

// linesTable lists a budget's lines with their realisation.
func linesTable(r *http.Request, v *BudgetView, editable bool) ui.Node {
	cols := []ui.Column{{Label: "Bagian"}, {Label: "Kode"}, {Label: "Uraian"}, {Label: "Sumber"}, {Label: "Anggaran"}, {Label: "Realisasi"}, {Label: "%"}}
	if editable {
		cols = append(cols, ui.Column{Label: "Ubah"}, ui.Column{Label: "Hapus"})
	}
	rows := make([]ui.Row, 0, len(v.Lines))
	for _, l := range v.Lines {
		code := l.Code
		if l.Account != "" {
			code += " / " + l.Account
		}
		cells := []ui.Node{ui.Cell(sectionNames[l.Section]), ui.Cell(code), ui.Cell(l.Name), ui.Cell(l.Source), ui.Cell(rp(l.Amount)), ui.Cell(rp(l.Realised)), ui.Cell(pct(l.Percent))}
		if editable {
			cells = append(cells, ui.A("Ubah", fmt.Sprintf("/anggaran/%d/baris?key=%s", v.Year, url.QueryEscape(lineKey(l.Section, l.Code, l.Account)))))
			cells = append(cells, ui.Form{Action: fmt.Sprintf("/anggaran/%d/baris/hapus", v.Year), Method: "POST", Submit: "Hapus",
				Fields: []ui.Field{{Name: "key", Type: "hidden"}}, Values: url.Values{"key": {lineKey(l.Section, l.Code, l.Account)}}})
		}
		rows = append(rows, ui.Row{Cells: cells})
	}
	return ui.Section("Rincian anggaran", ui.Table{Columns: cols, Rows: rows, Total: len(rows), Empty: "Belum ada baris."})
}

func sourceOptions() []ui.Option {
	opts := []ui.Option{{Value: "", Label: "—"}}
	for _, s := range sources {
		opts = append(opts, ui.Option{Value: s.Code, Label: s.Code + " — " + s.Name})
	}
	return opts
}

var lineFields = []ui.Field{
	{Name: "section", Label: "Bagian", Type: "select", Required: true, Options: []ui.Option{{Value: sectionIncome, Label: "Pendapatan (4)"}, {Value: sectionSpending, Label: "Belanja (bidang 1–5)"}, {Value: sectionFinancing, Label: "Pembiayaan (6)"}}},
	{Name: "code", Label: "Kode rekening / kegiatan", Required: true, Max: 30, Help: "Pendapatan 4.2.1 (Dana Desa); belanja bidang.sub-bidang.kegiatan, misalnya 2.3.01; pembiayaan 6.1.1 (SiLPA)."},
	{Name: "account", Label: "Jenis belanja (khusus belanja)", Max: 30, Help: "Boleh kosong: 5.1 pegawai, 5.2 barang dan jasa, 5.3 modal, 5.4 tak terduga."},
	{Name: "name", Label: "Uraian", Required: true, Max: 200},
	{Name: "amount", Label: "Anggaran (Rp)", Type: "number", Required: true},
	{Name: "source", Label: "Sumber dana (khusus belanja)", Type: "select", Options: sourceOptions()},
}

// linePage shows the form adding a line to the draft, or changing the
// line named by ?key= (section|code|account), its values filled in.
func linePage(w http.ResponseWriter, r *http.Request) {
	values := url.Values{}
	if k := r.URL.Query().Get("key"); k != "" {
		if year, err := pageYear(r); err == nil {
			lines, _, _ := currentDraft(r, year)
			for _, l := range lines {
				if lineKey(l.Section, l.Code, l.Account) == k {
					values = url.Values{"section": {l.Section}, "code": {l.Code}, "account": {l.Account}, "name": {l.Name},
						"amount": {strconv.FormatInt(l.Amount, 10)}, "source": {l.Source}}
				}
			}
		}
	}
	renderLine(w, r, http.StatusOK, values, nil, "")
}

func renderLine(w http.ResponseWriter, r *http.Request, status int, values url.Values, errs map[string]string, msg string) {
	y := r.PathValue("year")
	ui.Render(w, r, ui.Page{Title: "Tambah baris anggaran " + y, Status: status, Body: []ui.Node{
		ui.Muted("Baris dengan bagian, kode dan jenis belanja yang sama menggantikan baris lama."),
		ui.Form{Action: "/anggaran/" + y + "/baris", Method: "POST", Submit: "Simpan baris", Fields: lineFields, Values: values, Errors: errs, Error: msg, Cancel: "/anggaran?year=" + y},
	}})
}

// currentDraft reads the lines of the year's latest version for the
// editor, or none.
func currentDraft(r *http.Request, year int) ([]Line, string, error) {
	_, bs, err := versions(r.Context(), sdk.From(r), year)
	if err != nil || len(bs) == 0 {
		return nil, "", err
	}
	if bs[0].Status == statusOK {
		return nil, "", sdk.Errorf(http.StatusConflict, codeBudgetLocked, "Anggaran %d sudah disetujui dan dikunci. Susun APBDes Perubahan untuk mengubahnya.", year)
	}
	return bs[0].Lines, bs[0].Kind, nil
}

// saveLinePage adds or replaces a line of the draft through PUT.
func saveLinePage(w http.ResponseWriter, r *http.Request) {
	year, err := pageYear(r)
	if err != nil {
		fail(w, r, "Anggaran Desa", err)
		return
	}
	var l Line
	err = ui.Decode(r, &l)
	var lines []Line
	if err == nil {
		lines, _, err = currentDraft(r, year)
	}
	if err == nil {
		k := lineKey(l.Section, strings.TrimSuffix(strings.TrimSpace(l.Code), "."), strings.TrimSuffix(strings.TrimSpace(l.Account), "."))
		out := make([]Line, 0, len(lines)+1)
		for _, x := range lines {
			if lineKey(x.Section, x.Code, x.Account) != k {
				out = append(out, x)
			}
		}
		out = append(out, l)
		_, _, err = ui.CallAPI(r, putBudget, "PUT", nil, draftInput{Lines: out}, "year", strconv.Itoa(year))
		if err != nil {
			var e *sdk.Error
			if errors.As(err, &e) && strings.HasPrefix(e.Field, "lines[") {
				_, f, _ := strings.Cut(e.Field, "].")
				e = &sdk.Error{Status: e.Status, Code: e.Code, Field: f, Message: e.Message[strings.Index(e.Message, ": ")+2:]}
				err = e
			}
		}
	}
	if err != nil {
		fields, msg := ui.FormErrorsFor(r, err)
		renderLine(w, r, ui.FormStatus(err), r.PostForm, fields, msg)
		return
	}
	ui.Redirect(w, r, fmt.Sprintf("/anggaran?year=%d", year), "success", "Baris anggaran disimpan.")
}

// deleteLinePage removes a line from the draft.
func deleteLinePage(w http.ResponseWriter, r *http.Request) {
	year, err := pageYear(r)
	if err != nil {
		fail(w, r, "Anggaran Desa", err)
		return
	}
	lines, _, err := currentDraft(r, year)
	if err == nil {
		k := r.PostFormValue("key")
		out := make([]Line, 0, len(lines))
		for _, x := range lines {
			if lineKey(x.Section, x.Code, x.Account) != k {
				out = append(out, x)
			}
		}
		if len(out) == 0 {
			err = sdk.Errorf(http.StatusUnprocessableEntity, codeNoLines, "Baris terakhir tidak dapat dihapus: anggaran memerlukan paling sedikit satu baris.")
		} else {
			_, _, err = ui.CallAPI(r, putBudget, "PUT", nil, draftInput{Lines: out}, "year", strconv.Itoa(year))
		}
	}
	if err != nil {
		fail(w, r, "Hapus baris", err)
		return
	}
	ui.Redirect(w, r, fmt.Sprintf("/anggaran?year=%d", year), "success", "Baris anggaran dihapus.")
}

// perubahanPage opens the APBDes Perubahan draft from the approved lines.
func perubahanPage(w http.ResponseWriter, r *http.Request) {
	year, err := pageYear(r)
	if err != nil {
		fail(w, r, "Anggaran Desa", err)
		return
	}
	if !ui.Confirm(w, r, perubahanForm(strconv.Itoa(year))) {
		return
	}
	_, bs, err := versions(r.Context(), sdk.From(r), year)
	if err == nil && len(bs) == 0 {
		err = sdk.Errorf(http.StatusNotFound, codeBudgetNotFound, "Belum ada anggaran %d.", year)
	}
	if err == nil {
		_, _, err = ui.CallAPI(r, putBudget, "PUT", nil, draftInput{Kind: kindPerubahan, Lines: bs[0].Lines}, "year", strconv.Itoa(year))
	}
	if err != nil {
		fail(w, r, "APBDes Perubahan", err)
		return
	}
	ui.Redirect(w, r, fmt.Sprintf("/anggaran?year=%d", year), "success", "Rancangan APBDes Perubahan dibuka dari anggaran yang berlaku.")
}

// approvePage approves the draft with its Perdes.
func approvePage(w http.ResponseWriter, r *http.Request) {
	year, err := pageYear(r)
	if err != nil {
		fail(w, r, "Anggaran Desa", err)
		return
	}
	if !ui.Confirm(w, r, approveForm(strconv.Itoa(year))) {
		return
	}
	var in approveInput
	err = ui.Decode(r, &in)
	if err == nil {
		_, _, err = ui.CallAPI(r, approveBudget, "POST", nil, in, "year", strconv.Itoa(year))
	}
	if err != nil {
		var e *sdk.Error
		if errors.As(err, &e) && (e.Code == codeDeficitNotCovered || e.Code == codeSurplusNotAllocated) {
			err = &sdk.Error{Status: e.Status, Code: e.Code, Message: "Anggaran belum seimbang: " + e.Message}
		}
		fail(w, r, "Setujui anggaran", err)
		return
	}
	ui.Redirect(w, r, fmt.Sprintf("/anggaran?year=%d", year), "success", "Anggaran disetujui dan dikunci.")
}

// importPage uploads a Siskeudes export and shows the rows it rejected.
func importPage(w http.ResponseWriter, r *http.Request) {
	y := r.PathValue("year")
	title := "Impor anggaran " + y + " dari Siskeudes"
	form := ui.Upload("/anggaran/"+y+"/impor", "file", "Berkas ekspor Siskeudes (.csv atau .xlsx)",
		"Tabel Ta_RABRinci dari Siskeudes (kolom Tahun, Kd_Desa, Kd_Keg, Kd_Rincian, Uraian, Anggaran, SumberDana). Baris yang diimpor menggantikan rancangan; baris yang ditolak tidak diimpor, begitu pula baris lain dari rekening yang sama.", ".csv,.xlsx")
	form.Submit = "Impor"
	if r.Method == http.MethodGet {
		ui.Render(w, r, ui.Page{Title: title, Body: []ui.Node{form}})
		return
	}
	year, err := parseYear(y)
	var res any
	if err == nil {
		_, res, err = importBudget(r)
	}
	if err != nil {
		_, msg := ui.FormErrorsFor(r, err)
		form.Error = msg
		ui.Render(w, r, ui.Page{Title: title, Status: ui.FormStatus(err), Body: []ui.Node{form}})
		return
	}
	ir := res.(*ImportResult)
	body := []ui.Node{ui.DefinitionList([2]string{"Baris anggaran diimpor", strconv.Itoa(ir.Lines)}, [2]string{"Baris dilewati (judul, subtotal, desa lain)", strconv.Itoa(ir.Skipped)},
		[2]string{"Baris ditolak", strconv.Itoa(len(ir.Rejected))})}
	if len(ir.Rejected) > 0 {
		rows := []ui.Row{}
		for _, e := range ir.Rejected {
			rows = append(rows, ui.Row{Cells: []ui.Node{ui.Cell(strconv.Itoa(e.Row)), ui.Cell(e.Code), ui.Cell(e.Reason)}})
		}
		body = append(body, ui.Section("Baris yang ditolak", ui.Table{Columns: []ui.Column{{Label: "Baris"}, {Label: "Kode"}, {Label: "Alasan"}}, Rows: rows}))
	}
	body = append(body, ui.Link{Label: "Lihat anggaran", Href: fmt.Sprintf("/anggaran?year=%d", year), Primary: true})
	ui.Render(w, r, ui.Page{Title: title, Body: body})
}

// realisationPage records an entry (POST) and lists the year's entries.
func realisationPage(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	year, err := pageYear(r)
	if err != nil {
		fail(w, r, "Realisasi", err)
		return
	}
	y := strconv.Itoa(year)
	status, values, errs, msg := http.StatusOK, url.Values{"date": {req.Today()}}, map[string]string(nil), ""
	if r.Method == http.MethodPost {
		in, _, _, err := recordEntry(r)
		if err == nil {
			ui.Redirect(w, r, "/anggaran/"+y+"/realisasi", "success", "Realisasi dicatat.")
			return
		}
		errs, msg = ui.FormErrorsFor(r, err)
		if errs["code"] != "" {
			errs["line"] = errs["code"]
		}
		status = ui.FormStatus(err)
		values = url.Values{"line": {lineKey(in.Section, in.Code, in.Account)}, "date": {in.Date}, "description": {in.Description}}
		if in.Amount > 0 {
			values.Set("amount", strconv.FormatInt(in.Amount, 10))
		}
	}
	v, err := buildView(r.Context(), req, year, true)
	if err != nil {
		fail(w, r, "Realisasi "+y, err)
		return
	}
	var body []ui.Node
	if req.Can(permRealise) {
		opts := []ui.Option{}
		for _, l := range v.Lines {
			label := sectionNames[l.Section] + " " + l.Code
			if l.Account != "" {
				label += "/" + l.Account
			}
			opts = append(opts, ui.Option{Value: lineKey(l.Section, l.Code, l.Account), Label: label + " " + l.Name + " (sisa " + rp(l.Amount-l.Realised) + ")"})
		}
		body = append(body, ui.Section("Catat realisasi", ui.Form{Action: "/anggaran/" + y + "/realisasi", Method: "POST", Multipart: true, Submit: "Simpan realisasi",
			Values: values, Errors: errs, Error: msg, Fields: []ui.Field{
				{Name: "line", Label: "Baris anggaran", Type: "select", Required: true, Options: opts},
				{Name: "date", Label: "Tanggal", Type: "date", Required: true},
				{Name: "amount", Label: "Jumlah (Rp", Type: "number", Required: true},
				{Name: "description", Label: "Keterangan", Type: "textarea", Required: true, Max: 500},
				{Name: "evidence", Label: "Bukti (PDF atau foto, paling besar 5 MB)", Type: "file", Accept: ".pdf,image/jpeg,image/png,image/webp"},
			}}))
	}
	off, limit, _ := sdk.Page(r)
	q := url.Values{"page": {strconv.Itoa(off/max(limit, 1) + 1)}, "limit": {strconv.Itoa(limit)}}
	_, list, err := ui.CallAPI(r, listRealisations, "GET", q, nil, "year", y)
	if err != nil {
		fail(w, r, "Realisasi "+y, err)
		return
	}
	l := list.(sdk.ListOf[EntryView])
	rows := []ui.Row{}
	for _, e := range l.Items {
		ev := ui.Cell("—")
		if e.Evidence != nil {
			ev = ui.A(e.Evidence.Name, fmt.Sprintf("/anggaran/%s/realisasi/%s/bukti", y, e.ID))
		}
		action := ui.Cell("")
		switch {
		case e.ReversedBy != "":
			action = ui.Badge("neutral", "Dibatalkan")
		case e.Reverses != "":
			action = ui.Badge("info", "Koreksi")
		case req.Can(permRealise):
			action = ui.A("Batalkan", fmt.Sprintf("/anggaran/%s/realisasi/%s/batal", y, e.ID))
		}
		rows = append(rows, ui.Row{Cells: []ui.Node{ui.Cell(ui.DateOnly(e.Date)), ui.Cell(e.Code + " " + e.Name), ui.Cell(rp(e.Amount)), ui.Cell(e.Description), ev, action}})
	}
	body = append(body, ui.Section("Daftar realisasi", ui.Table{Columns: []ui.Column{{Label: "Tanggal"}, {Label: "Baris"}, {Label: "Jumlah"}, {Label: "Keterangan"}, {Label: "Bukti"}, {Label: "Koreksi"}},
		Rows: rows, Total: int(l.Total), Page: off/max(limit, 1) + 1, Limit: limit, Empty: "Belum ada realisasi."}))
	ui.Render(w, r, ui.Page{Title: "Realisasi APBDes " + y, Status: status, Actions: []ui.Link{{Label: "Kembali ke anggaran", Href: "/anggaran?year=" + y}}, Body: body})
}

// reversePage asks why an entry is cancelled (GET) and cancels it with a
// reversing entry (POST).
func reversePage(w http.ResponseWriter, r *http.Request) {
	y, id := r.PathValue("year"), r.PathValue("id")
	form := ui.Form{Action: "/anggaran/" + y + "/realisasi/" + id + "/batal", Method: "POST", Submit: "Batalkan realisasi",
		Cancel: "/anggaran/" + y + "/realisasi", Fields: []ui.Field{{Name: "reason", Label: "Alasan pembatalan", Type: "textarea", Required: true, Max: 500,
			Help: "Realisasi tidak dihapus: dicatat realisasi koreksi dengan jumlah negatif, hari ini."}}}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		var in reverseInput
		err := ui.Decode(r, &in)
		if err == nil {
			_, _, err = ui.CallAPI(r, reverseRealisation, "POST", nil, in, "year", y, "id", id)
		}
		if err == nil {
			ui.Redirect(w, r, "/anggaran/"+y+"/realisasi", "success", "Realisasi dibatalkan dengan koreksi.")
			return
		}
		if !isCode(err, codeInvalidDescription) {
			fail(w, r, "Batalkan realisasi", err)
			return
		}
		form.Errors, form.Error = ui.FormErrorsFor(r, err)
		form.Values, status = r.PostForm, ui.FormStatus(err)
	}
	ui.Render(w, r, ui.Page{Title: "Batalkan realisasi", Status: status, Body: []ui.Node{form}})
}

// reportPage shows the semester or year-end realisation report.
func reportPage(w http.ResponseWriter, r *http.Request) {
	year, err := pageYear(r)
	if err != nil {
		fail(w, r, "Laporan", err)
		return
	}
	period := r.URL.Query().Get("period")
	rep, err := buildReport(r, year, period)
	if err != nil {
		fail(w, r, "Laporan realisasi", err)
		return
	}
	title := fmt.Sprintf("Laporan Realisasi APBDes Semester I %d", year)
	if rep.Period == "year" {
		title = fmt.Sprintf("Laporan Pertanggungjawaban Realisasi APBDes %d", year)
	}
	rows := []ui.Row{}
	for _, l := range rep.Lines {
		code := l.Code
		if l.Account != "" {
			code += " / " + l.Account
		}
		rows = append(rows, ui.Row{Cells: []ui.Node{ui.Cell(code), ui.Cell(l.Name), ui.Cell(rp(l.Budget)), ui.Cell(rp(l.Realised)), ui.Cell(rp(l.Remaining)), ui.Cell(pct(l.Percent))}})
	}
	for _, t := range []struct {
		n    string
		b, x int64
	}{{"JUMLAH PENDAPATAN", rep.Budget.Income, rep.Realised.Income}, {"JUMLAH BELANJA", rep.Budget.Spending, rep.Realised.Spending},
		{"PENERIMAAN PEMBIAYAAN", rep.Budget.FinancingReceipts, rep.Realised.FinancingReceipts}, {"PENGELUARAN PEMBIAYAAN", rep.Budget.FinancingExpenditures, rep.Realised.FinancingExpenditures}} {
		rows = append(rows, ui.Row{Cells: []ui.Node{ui.Cell(""), ui.Cell(t.n), ui.Cell(rp(t.b)), ui.Cell(rp(t.x)), ui.Cell(rp(t.b - t.x)), ui.Cell(pct(percent(t.x, t.b)))}})
	}
	y := strconv.Itoa(year)
	ui.Render(w, r, ui.Page{Title: title, Actions: []ui.Link{
		{Label: "Unduh CSV", Href: "/anggaran/" + y + "/laporan.csv?period=" + rep.Period, Primary: true},
		{Label: "Kembali ke anggaran", Href: "/anggaran?year=" + y}},
		Body: []ui.Node{
			ui.DefinitionList([2]string{"Periode", ui.DateOnly(rep.From) + " s.d. " + ui.DateOnly(rep.To)}, [2]string{"Dasar", kindLabel(rep.Kind) + ", " + rep.PerdesNumber}),
			ui.Table{Columns: []ui.Column{{Label: "Kode"}, {Label: "Uraian"}, {Label: "Anggaran"}, {Label: "Realisasi"}, {Label: "Sisa"}, {Label: "%"}}, Rows: rows},
		}})
}

// reportCSVPage downloads the report as CSV from the console.
func reportCSVPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	q.Set("format", "csv")
	r.URL.RawQuery = q.Encode()
	serveReport(w, r)
}

// consoleWidget is the dashboard's card: the year's budget status and
// realisation at a village, the count of approved budgets and the Dana
// Desa absorption above.
func consoleWidget(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	year := req.Now().Year()
	y := strconv.Itoa(year)
	link := ui.A("Buka Anggaran Desa", "/anggaran?year="+y)
	if req.Level != sdk.Village {
		s, err := buildSummary(r, year)
		if err != nil {
			fail(w, r, "Anggaran Desa", err)
			return
		}
		ui.Render(w, r, ui.Page{Title: "Anggaran Desa " + y, Body: []ui.Node{ui.DefinitionList(
			[2]string{"APBDes disetujui", fmt.Sprintf("%d dari %d desa", s.Approved, s.Villages)},
			[2]string{"Penyerapan Dana Desa", pct(s.DanaDesa.AbsorptionPercent)}), link}})
		return
	}
	v, err := buildView(r.Context(), req, year, false)
	if err != nil {
		ui.Render(w, r, ui.Page{Title: "APBDes " + y, Body: []ui.Node{ui.Muted("Belum ada anggaran tahun ini."), link}})
		return
	}
	ui.Render(w, r, ui.Page{Title: "APBDes " + y, Body: []ui.Node{statusBadge(v), ui.DefinitionList(
		[2]string{"Realisasi belanja", pct(v.Realised.SpendingPercent)},
		[2]string{"Penyerapan Dana Desa", pct(v.DanaDesa.AbsorptionPercent)}), link}})
}

// rollupPage is the regency-level (or district) screen: one row per
// village below with its budget's status, realisation and Dana Desa
// absorption.
func rollupPage(w http.ResponseWriter, r *http.Request, year int) {
	s, err := buildSummary(r, year)
	if err != nil {
		fail(w, r, "Anggaran Desa", err)
		return
	}
	body := []ui.Node{rollupFacts(s), pagedRollup(r, s, false)}
	ui.Render(w, r, ui.Page{Title: fmt.Sprintf("Anggaran desa %d", year), Actions: yearLinks("/anggaran?year=%d", year), Body: body})
}

// rollupColumns are the roll-up table's columns; the sortable ones sort
// the villages (?sort=absorption, ?sort=-absorption, ...).
var rollupColumns = []ui.Column{{Key: "name", Label: "Desa", Sortable: true}, {Label: "Kecamatan"}, {Label: "APBDes"},
	{Key: "spending", Label: "Belanja", Sortable: true}, {Key: "realisation", Label: "Realisasi", Sortable: true},
	{Key: "dana_desa", Label: "Dana Desa", Sortable: true}, {Key: "absorption", Label: "Penyerapan DD", Sortable: true}}

// pagedRollup sorts the villages by ?sort= and shows one page of them.
func pagedRollup(r *http.Request, s *Summary, public bool) ui.Node {
	sortKey := ui.SortParam(r, rollupColumns, "name")
	key := func(v VillageSummary) float64 {
		switch strings.TrimPrefix(sortKey, "-") {
		case "spending":
			return float64(v.Spending)
		case "realisation":
			return v.SpendingPct
		case "dana_desa":
			return float64(v.DanaDesa.Budget)
		case "absorption":
			return v.DanaDesa.AbsorptionPercent
		}
		return 0
	}
	q := r.URL.Query()
	districts := []ui.Option{{Value: "", Label: "Semua"}}
	seen := map[string]bool{}
	items := make([]VillageSummary, 0, len(s.Items))
	for _, v := range s.Items {
		if v.District != "" && !seen[v.District] {
			seen[v.District] = true
			districts = append(districts, ui.Option{Value: v.District, Label: v.District})
		}
		if d := q.Get("kecamatan"); d != "" && v.District != d {
			continue
		}
		if st := q.Get("status"); st != "" && (st == "none") != (v.Status == "none") {
			continue
		}
		items = append(items, v)
	}
	slices.SortStableFunc(districts[1:], func(a, b ui.Option) int { return strings.Compare(a.Label, b.Label) })
	slices.SortStableFunc(items, func(a, b VillageSummary) int {
		c := cmp.Compare(key(a), key(b))
		if c == 0 {
			c = strings.Compare(a.Name, b.Name)
		}
		if strings.HasPrefix(sortKey, "-") {
			return -c
		}
		return c
	})
	off, limit, err := sdk.Page(r)
	if err != nil {
		off, limit = 0, 50
	}
	page := *s
	page.Items = sdk.PageOf(items, off, limit)
	tb := rollupTable(r, &page, public).(ui.Table)
	tb.Total, tb.Page, tb.Limit, tb.Sort = len(items), off/limit+1, limit, sortKey
	tb.Filters = []ui.Field{{Name: "status", Label: "APBDes", Type: "select", Options: []ui.Option{{Value: "", Label: "Semua"}, {Value: "approved", Label: "Sudah disetujui"}, {Value: "none", Label: "Belum ada"}}}}
	if len(districts) > 2 {
		tb.Filters = append([]ui.Field{{Name: "kecamatan", Label: "Kecamatan", Type: "select", Options: districts}}, tb.Filters...)
	}
	// The year stays when the filters are applied.
	tb.Filters = append(tb.Filters, ui.Field{Name: "year", Type: "hidden"})
	return tb
}

func rollupFacts(s *Summary) ui.Node {
	return ui.DefinitionList(
		[2]string{"Desa dengan APBDes disetujui", fmt.Sprintf("%d dari %d", s.Approved, s.Villages)},
		[2]string{"Pendapatan", rp(s.Income)}, [2]string{"Belanja", rp(s.Spending)},
		[2]string{"Realisasi belanja", rp(s.SpendingReal) + " (" + pct(s.SpendingPct) + ")"},
		[2]string{"Dana Desa", rp(s.DanaDesa.Budget)},
		[2]string{"Penyerapan Dana Desa", rp(s.DanaDesa.Spent) + " (" + pct(s.DanaDesa.AbsorptionPercent) + ")"})
}

// rollupTable has a row per village; public links lead to each village's
// public page, console ones to its budget.
func rollupTable(r *http.Request, s *Summary, public bool) ui.Node {
	rows := make([]ui.Row, 0, len(s.Items))
	for _, v := range s.Items {
		status := map[string]string{"none": "Belum ada", kindAPBDes: "APBDes", kindPerubahan: "APBDes Perubahan"}[v.Status]
		href := fmt.Sprintf("/console/%s/m/finance/anggaran?year=%d", v.Village, s.Year)
		if public {
			href = fmt.Sprintf("/%s/finance/?year=%d", v.Village, s.Year)
		}
		// The village's own page is another tenant's: an absolute path.
		name := ui.HTML(template.HTML(`<a href="` + template.HTMLEscapeString(href) + `">` + template.HTMLEscapeString(v.Name) + `</a>`))
		rows = append(rows, ui.Row{Cells: []ui.Node{name, ui.Cell(v.District), ui.Cell(status), ui.Cell(rp(v.Spending)),
			ui.Cell(pct(v.SpendingPct)), ui.Cell(rp(v.DanaDesa.Budget)), ui.Cell(pct(v.DanaDesa.AbsorptionPercent))}})
	}
	return ui.Table{Columns: rollupColumns,
		Rows: rows, Total: len(rows), Empty: "Modul anggaran belum aktif di desa mana pun di bawah wilayah ini."}
}
