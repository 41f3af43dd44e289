package main

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

// consoleHref is the console page of an enterprise kept at tenant.
func consoleHref(r *http.Request, tenant, id string) string {
	if !strings.HasPrefix(ui.Info(r).Base, "/console/") {
		// The public recap links the public pages.
		return publicBase(tenant) + "/enterprises/" + id
	}
	if tenant == sdk.From(r).Tenant {
		return ui.Href(r, "/manage/"+id)
	}
	return "/console/" + tenant + "/m/" + pluginID + "/manage/" + id
}

// pageManage lists the enterprises here (at a village with the BUMDes
// Bersama it belongs to; at a district or regency those below) and offers
// the registration form where one can be registered.
func pageManage(w http.ResponseWriter, r *http.Request) {
	renderManage(w, r, http.StatusOK, nil, nil, "")
}

func renderManage(w http.ResponseWriter, r *http.Request, status int, values url.Values, errs map[string]string, msg string) {
	req := sdk.From(r)
	q := url.Values{}
	for _, k := range []string{"page", "limit", "kind", "classification"} {
		if v := r.URL.Query().Get(k); v != "" {
			q.Set(k, v)
		}
	}
	_, body, err := ui.CallAPI(r, listEnterprises, "GET", q, nil)
	if err != nil {
		fail(w, r, err)
		return
	}
	list := body.(sdk.ListOf[EnterpriseView])
	hasOwn := false
	rows := make([]ui.Row, 0, len(list.Items))
	for _, e := range list.Items {
		if e.Tenant == req.Tenant && e.Kind == KindDesa {
			hasOwn = true
		}
		place := e.TenantName
		if place == "" {
			place = e.Tenant
		}
		rows = append(rows, ui.Row{Cells: []ui.Node{absLink(e.Name, consoleHref(r, e.Tenant, e.ID)), ui.Cell(kindLabel(r, e.Kind)),
			ui.Cell(place), ui.Cell(e.RegistrationNumber), classBadge(r, e.Classification, e.ClassificationYear)}})
	}
	off, limit, _ := sdk.Page(r)
	out := []ui.Node{ui.Table{
		Columns: []ui.Column{{Key: "name", Label: ui.Tr(r, "Nama", "Name")}, {Key: "kind", Label: ui.Tr(r, "Jenis", "Kind")},
			{Key: "tenant", Label: ui.Tr(r, "Desa / kecamatan", "Village / district")}, {Key: "reg", Label: ui.Tr(r, "Nomor badan hukum", "Registration number")},
			{Key: "class", Label: ui.Tr(r, "Klasifikasi", "Classification")}},
		Rows: rows, Total: int(list.Total), Page: off/max(limit, 1) + 1, Limit: limit,
		Empty:   ui.Tr(r, "Belum ada BUMDes terdaftar.", "No enterprise registered yet."),
		Caption: ui.Tr(r, "Daftar BUMDes", "Enterprises"),
	}}
	canRegister := req.Can(permWrite) && ((req.Level == sdk.Village && !hasOwn) || req.Level == sdk.District)
	if canRegister {
		title := ui.Tr(r, "Daftarkan BUM Desa", "Register the village enterprise")
		if req.Level == sdk.District {
			title = ui.Tr(r, "Daftarkan BUMDes Bersama", "Register a joint enterprise")
		}
		out = append(out, ui.Section(title, registerForm(r, values, errs, msg)))
	}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "BUMDes", "Village enterprises"), Status: status, Body: out,
		Actions: []ui.Link{{Label: ui.Tr(r, "Rekap", "Recap"), Href: "/recap"}}})
}

func registerForm(r *http.Request, values url.Values, errs map[string]string, msg string) ui.Node {
	fields := []ui.Field{
		{Name: "name", Label: ui.Tr(r, "Nama BUMDes", "Name"), Required: true, Max: 120, Placeholder: "BUM Desa ..."},
		{Name: "registration_number", Label: ui.Tr(r, "Nomor sertifikat badan hukum (Kemenkumham)", "Legal entity registration number"), Max: 60,
			Placeholder: "AHU-00712.AH.01.33.Tahun 2021", Help: ui.Tr(r, "Kosongkan bila pendaftaran badan hukum belum selesai.", "Leave empty while the registration is pending.")},
		{Name: "perdes_number", Label: ui.Tr(r, "Nomor Perdes pendirian", "Founding Perdes number"), Max: 100},
		{Name: "perdes_date", Label: ui.Tr(r, "Tanggal Perdes", "Perdes date"), Type: "date"},
		{Name: "address", Label: ui.Tr(r, "Alamat kantor", "Office address"), Max: 300},
		{Name: "classification", Label: ui.Tr(r, "Klasifikasi (pemeringkatan Kemendesa)", "Classification (Kemendesa ranking)"), Type: "select", Options: options(r, classifications)},
		{Name: "classification_year", Label: ui.Tr(r, "Tahun penilaian", "Year assessed"), Type: "number", Max: 2100},
	}
	if sdk.From(r).Level == sdk.District {
		fields[2].Label = ui.Tr(r, "Nomor Peraturan Bersama Kepala Desa", "Joint regulation number")
		fields = append(fields, ui.Field{Name: "members", Label: ui.Tr(r, "Kode desa anggota", "Member village codes"), Required: true, Max: 500,
			Help: ui.Tr(r, "Dua desa atau lebih di kecamatan ini, dipisah koma: 14.01.01.2009, 14.01.01.2010", "Two or more villages of this district, comma separated")})
	}
	return ui.Form{Action: "/manage", Method: "POST", Submit: ui.Tr(r, "Daftarkan", "Register"), Fields: fields, Values: values, Errors: errs, Error: msg}
}

// pageRegister registers an enterprise from the form.
func pageRegister(w http.ResponseWriter, r *http.Request) {
	var in EnterpriseInput
	err := ui.Decode(r, &in)
	if err == nil {
		var members []string
		for _, m := range in.Members {
			members = append(members, strings.FieldsFunc(m, func(c rune) bool { return c == ',' || c == ' ' || c == '\n' || c == '\r' || c == ';' })...)
		}
		in.Members = members
		var body any
		if _, body, err = registerEnterprise(r, in); err == nil {
			ui.Redirect(w, r, "/manage/"+body.(EnterpriseView).ID, "success", ui.Tr(r, "BUMDes didaftarkan.", "Enterprise registered."))
			return
		}
	}
	errs, msg, status, ok := formErrors(r, err)
	if !ok {
		fail(w, r, err)
		return
	}
	renderManage(w, r, status, r.PostForm, errs, msg)
}

// forms of the enterprise page, to show one again with its errors.
// Each is also the form page's path below /manage/{id}/.
const (
	formEdit    = "edit"
	formAppoint = "management"
	formUnit    = "units"
	formReport  = "reports"
	formCapital = "capital"
)

func pageEnterprise(w http.ResponseWriter, r *http.Request) {
	renderEnterprise(w, r, http.StatusOK, "")
}

// renderEnterprise is an enterprise's page, with msg (an action's refusal)
// on top when not empty.
func renderEnterprise(w http.ResponseWriter, r *http.Request, status int, msg string) {
	req := sdk.From(r)
	id := r.PathValue("id")
	_, body, err := ui.CallAPI(r, getEnterprise, "GET", nil, nil, "id", id)
	if err != nil {
		fail(w, r, err)
		return
	}
	e := body.(EnterpriseView)
	info := ui.DefinitionList(
		[2]string{ui.Tr(r, "Jenis", "Kind"), kindLabel(r, e.Kind)},
		[2]string{ui.Tr(r, "Nomor badan hukum", "Registration number"), dash(e.RegistrationNumber)},
		[2]string{ui.Tr(r, "Perdes pendirian", "Founding Perdes"), dash(strings.TrimSpace(e.PerdesNumber + " " + dateText(e.PerdesDate)))},
		[2]string{ui.Tr(r, "Alamat", "Address"), dash(e.Address)},
		[2]string{ui.Tr(r, "Desa anggota", "Member villages"), dash(strings.Join(e.Members, ", "))},
	)
	out := []ui.Node{ui.Section("", classBadge(r, e.Classification, e.ClassificationYear), info)}
	if msg != "" {
		out = append([]ui.Node{ui.HTML(`<p class="b-error" role="alert">` + template.HTML(template.HTMLEscapeString(msg)) + `</p>`)}, out...)
	}
	if e.Joint {
		out = append(out, ui.Muted(ui.Tr(r, "BUMDes Bersama ini dikelola oleh staf kecamatan.", "This joint enterprise is kept by the district's staff.")),
			absLink(ui.Tr(r, "Buka di kecamatan", "Open at the district"), consoleHref(r, e.Tenant, e.ID)))
		ui.Render(w, r, ui.Page{Title: e.Name, Status: status, Body: out})
		return
	}
	canWrite := req.Can(permWrite)
	action := func(label, path string) ui.Node {
		if !canWrite {
			return nil
		}
		return ui.Link{Label: label, Href: "/manage/" + e.ID + path}
	}
	var actions []ui.Link
	if canWrite {
		actions = []ui.Link{{Label: ui.Tr(r, "Ubah data", "Edit"), Href: "/manage/" + e.ID + "/edit"}}
	}
	// Management.
	_, mb, err := ui.CallAPI(r, listManagement, "GET", nil, nil, "id", id)
	if err != nil {
		fail(w, r, err)
		return
	}
	var mrows []ui.Row
	for _, m := range mb.(sdk.ListOf[Manager]).Items {
		mrows = append(mrows, ui.Row{Cells: []ui.Node{ui.Cell(word(r, roles, m.Role)), ui.Cell(m.Name), ui.Cell(dateText(m.StartDate)), ui.Cell(dash(m.Phone))}})
	}
	out = append(out, ui.Section(ui.Tr(r, "Pengurus", "Management"), ui.Table{Columns: []ui.Column{{Key: "role", Label: ui.Tr(r, "Jabatan", "Role")}, {Key: "name", Label: ui.Tr(r, "Nama", "Name")},
		{Key: "start", Label: ui.Tr(r, "Sejak", "Since")}, {Key: "phone", Label: ui.Tr(r, "Nomor HP", "Phone")}}, Rows: mrows,
		Empty: ui.Tr(r, "Pengurus belum dicatat.", "No management recorded.")}, action(ui.Tr(r, "Tetapkan pengurus", "Appoint a manager"), "/management")))
	// Units.
	var urows []ui.Row
	for _, u := range e.Units {
		state := ui.Badge("success", ui.Tr(r, "Aktif", "Active"))
		if !u.Active {
			state = ui.Badge("neutral", ui.Tr(r, "Tutup", "Closed"))
		}
		var mall ui.Node = ui.Cell("–")
		switch {
		case u.MallPage != "":
			mall = absLink(ui.Tr(r, "Lapak di Mall Desa", "Mall page"), u.MallPage)
		case canWrite && u.Active && e.Kind == KindDesa:
			mall = ui.Form{Action: "/manage/" + e.ID + "/units/" + u.ID + "/seller", Method: "POST", Submit: ui.Tr(r, "Buka lapak di Mall Desa", "Sell in the village mall")}
		}
		urows = append(urows, ui.Row{Cells: []ui.Node{ui.Cell(u.Name), ui.Cell(word(r, unitTypes, u.Type)), ui.Cell(u.ManagerName), state, mall}})
	}
	out = append(out, ui.Section(ui.Tr(r, "Unit usaha", "Business units"), ui.Table{Columns: []ui.Column{{Key: "name", Label: ui.Tr(r, "Unit usaha", "Unit")}, {Key: "type", Label: ui.Tr(r, "Jenis", "Type")},
		{Key: "manager", Label: ui.Tr(r, "Pengelola", "Manager")}, {Key: "state", Label: ui.Tr(r, "Status", "State")}, {Key: "mall", Label: ui.Tr(r, "Mall Desa", "Mall")}},
		Rows: urows, Empty: ui.Tr(r, "Belum ada unit usaha.", "No business unit yet.")}, action(ui.Tr(r, "Tambah unit usaha", "Add a unit"), "/units")))
	// Reports.
	_, rb, err := ui.CallAPI(r, listReports, "GET", query("limit", "24"), nil, "id", id)
	if err != nil {
		fail(w, r, err)
		return
	}
	names := map[string]string{}
	for _, u := range e.Units {
		names[u.ID] = u.Name
	}
	var rrows []ui.Row
	for _, rep := range rb.(sdk.ListOf[ReportView]).Items {
		rev := ""
		if rep.Revision > 1 {
			rev = " (" + ui.Tr(r, "koreksi ", "correction ") + strconv.FormatInt(rep.Revision-1, 10) + ")"
		}
		rrows = append(rrows, ui.Row{Cells: []ui.Node{ui.Cell(rep.Period + rev), ui.Cell(names[rep.UnitID]), ui.Cell(rupiah(rep.Revenue)), ui.Cell(rupiah(rep.Costs)),
			ui.Cell(rupiah(rep.Profit)), ui.Cell(rupiah(rep.PADes)), ui.Cell(rupiah(rep.Assets)), ui.Cell(number(rep.Employees))}})
	}
	var reportAction ui.Node
	if len(e.Units) > 0 {
		reportAction = action(ui.Tr(r, "Kirim laporan semester", "Submit a semester report"), "/reports")
	}
	out = append(out, ui.Section(ui.Tr(r, "Laporan semester", "Semester reports"), ui.Table{Columns: []ui.Column{{Key: "period", Label: ui.Tr(r, "Periode", "Period")}, {Key: "unit", Label: ui.Tr(r, "Unit", "Unit")},
		{Key: "revenue", Label: ui.Tr(r, "Omzet", "Revenue")}, {Key: "costs", Label: ui.Tr(r, "Biaya", "Costs")}, {Key: "profit", Label: ui.Tr(r, "Laba", "Profit")},
		{Key: "pades", Label: ui.Tr(r, "Kontribusi PADes", "Village income")}, {Key: "assets", Label: ui.Tr(r, "Aset", "Assets")}, {Key: "employees", Label: ui.Tr(r, "Pekerja", "Employees")}},
		Rows: rrows, Empty: ui.Tr(r, "Belum ada laporan.", "No report yet.")}, reportAction))
	// Capital.
	_, cb, err := ui.CallAPI(r, listCapital, "GET", nil, nil, "id", id)
	if err != nil {
		fail(w, r, err)
		return
	}
	var yrows []ui.Row
	for _, y := range cb.(CapitalList).Years {
		yrows = append(yrows, ui.Row{Cells: []ui.Node{ui.Cell(strconv.Itoa(y.Year)), ui.Cell(rupiah(y.Recorded)), ui.Cell(rupiah(y.FromVillage)),
			ui.Cell(rupiah(y.Budgeted)), ui.Cell(rupiah(y.Realised)), capitalFlag(r, y)}})
	}
	out = append(out, ui.Section(ui.Tr(r, "Penyertaan modal", "Capital"), ui.Table{Columns: []ui.Column{{Key: "year", Label: ui.Tr(r, "Tahun", "Year")}, {Key: "recorded", Label: ui.Tr(r, "Dicatat BUMDes", "Recorded")},
		{Key: "village", Label: ui.Tr(r, "Dari desa", "From the village")}, {Key: "budget", Label: ui.Tr(r, "Anggaran APBDes 6.2.2", "APBDes 6.2.2 budget")},
		{Key: "realised", Label: ui.Tr(r, "Realisasi APBDes", "APBDes realised")}, {Key: "flag", Label: ui.Tr(r, "Kecocokan", "Check")}},
		Rows: yrows, Empty: ui.Tr(r, "Belum ada penyertaan modal.", "No capital recorded.")}, action(ui.Tr(r, "Catat penyertaan modal", "Record capital"), "/capital")))
	out = append(out, absLink(ui.Tr(r, "Lihat halaman publik", "See the public page"), publicBase(e.Tenant)+"/enterprises/"+e.ID))
	ui.Render(w, r, ui.Page{Title: e.Name, Status: status, Body: out, Actions: actions})
}

// capitalFlag says how a year's capital compares with the APBDes.
func capitalFlag(r *http.Request, y CapitalYear) ui.Node {
	switch {
	case y.Status == budgetFinanceOff:
		return ui.Badge("neutral", ui.Tr(r, "Modul APBDes tidak aktif", "Finance module off"))
	case y.Status == budgetNotApplicable:
		return ui.Badge("neutral", ui.Tr(r, "Dari APBDes desa anggota", "From member villages' budgets"))
	case y.Status == budgetUnavailable:
		return ui.Badge("warning", ui.Tr(r, "APBDes tidak dapat dibaca", "Budget unavailable"))
	case y.Status == budgetNone && !y.Mismatch:
		return ui.Badge("neutral", ui.Tr(r, "Belum ada APBDes", "No approved budget"))
	case y.Mismatch:
		return ui.Badge("danger", ui.Tr(r, "Tidak sesuai APBDes", "Does not match the budget"))
	}
	return ui.Badge("success", ui.Tr(r, "Sesuai APBDes", "Matches the budget"))
}

// formOf builds one of the enterprise's forms, each on a page of its own
// (a page of several forms would repeat the fields' ids).
func formOf(r *http.Request, name string, e *EnterpriseView, values url.Values, errs map[string]string, msg string) (string, ui.Form) {
	req := sdk.From(r)
	f := ui.Form{Action: "/manage/" + e.ID + "/" + name, Method: "POST", Values: values, Errors: errs, Error: msg, Cancel: "/manage/" + e.ID}
	switch name {
	case formEdit:
		if f.Values == nil {
			f.Values = url.Values{"name": {e.Name}, "registration_number": {e.RegistrationNumber}, "perdes_number": {e.PerdesNumber},
				"perdes_date": {e.PerdesDate}, "address": {e.Address}, "classification": {e.Classification}}
			if e.ClassificationYear > 0 {
				f.Values.Set("classification_year", strconv.Itoa(e.ClassificationYear))
			}
		}
		f.Submit = ui.Tr(r, "Simpan", "Save")
		f.Fields = []ui.Field{
			{Name: "name", Label: ui.Tr(r, "Nama BUMDes", "Name"), Required: true, Max: 120},
			{Name: "registration_number", Label: ui.Tr(r, "Nomor sertifikat badan hukum", "Registration number"), Max: 60, Placeholder: "AHU-00712.AH.01.33.Tahun 2021"},
			{Name: "perdes_number", Label: ui.Tr(r, "Nomor Perdes pendirian", "Founding Perdes number"), Max: 100},
			{Name: "perdes_date", Label: ui.Tr(r, "Tanggal Perdes", "Perdes date"), Type: "date"},
			{Name: "address", Label: ui.Tr(r, "Alamat kantor", "Office address"), Max: 300},
			{Name: "classification", Label: ui.Tr(r, "Klasifikasi", "Classification"), Type: "select", Options: options(r, classifications)},
			{Name: "classification_year", Label: ui.Tr(r, "Tahun penilaian", "Year assessed"), Type: "number", Max: 2100},
		}
		return ui.Tr(r, "Ubah data BUMDes", "Edit the enterprise"), f
	case formAppoint:
		f.Submit = ui.Tr(r, "Tetapkan pengurus", "Appoint")
		f.Fields = []ui.Field{
			{Name: "role", Label: ui.Tr(r, "Jabatan", "Role"), Type: "select", Required: true, Options: options(r, roles)},
			{Name: "name", Label: ui.Tr(r, "Nama", "Name"), Required: true, Max: 120},
			{Name: "nik", Label: "NIK", Digits: true, Max: 16},
			{Name: "phone", Label: ui.Tr(r, "Nomor HP", "Phone"), Type: "tel", Max: 20},
			{Name: "start_date", Label: ui.Tr(r, "Mulai menjabat", "Start date"), Type: "date", Required: true},
			{Name: "decree", Label: ui.Tr(r, "Nomor SK", "Decree number"), Max: 120},
		}
		return ui.Tr(r, "Tetapkan pengurus", "Appoint a manager"), f
	case formUnit:
		f.Submit = ui.Tr(r, "Tambah unit usaha", "Add the unit")
		f.Fields = []ui.Field{
			{Name: "type", Label: ui.Tr(r, "Jenis usaha", "Type"), Type: "select", Required: true, Options: options(r, unitTypes)},
			{Name: "name", Label: ui.Tr(r, "Nama unit", "Unit name"), Required: true, Max: 120},
			{Name: "manager_name", Label: ui.Tr(r, "Nama pengelola", "Manager"), Required: true, Max: 120},
			{Name: "manager_phone", Label: ui.Tr(r, "Nomor HP pengelola", "Manager's phone"), Type: "tel", Max: 20},
			{Name: "started", Label: ui.Tr(r, "Mulai beroperasi", "Started"), Type: "date"},
			{Name: "description", Label: ui.Tr(r, "Keterangan", "Description"), Type: "textarea", Max: 1000},
		}
		return ui.Tr(r, "Tambah unit usaha", "Add a unit"), f
	case formReport:
		if f.Values == nil {
			sem := "1"
			if req.Now().Month() >= 7 {
				sem = "2"
			}
			f.Values = url.Values{"year": {strconv.Itoa(req.Now().Year())}, "semester": {sem}}
		}
		opts := make([]ui.Option, 0, len(e.Units))
		for _, u := range e.Units {
			if u.Active {
				opts = append(opts, ui.Option{Value: u.ID, Label: u.Name})
			}
		}
		f.Submit = ui.Tr(r, "Kirim laporan", "Submit the report")
		f.Fields = []ui.Field{
			{Name: "unit_id", Label: ui.Tr(r, "Unit usaha", "Unit"), Type: "select", Required: true, Options: opts},
			{Name: "year", Label: ui.Tr(r, "Tahun", "Year"), Type: "number", Required: true, Max: 2100},
			{Name: "semester", Label: "Semester", Type: "select", Required: true, Options: []ui.Option{{Value: "1", Label: ui.Tr(r, "Semester 1 (Jan–Jun)", "Semester 1 (Jan–Jun)")}, {Value: "2", Label: ui.Tr(r, "Semester 2 (Jul–Des)", "Semester 2 (Jul–Dec)")}}},
			{Name: "revenue", Label: ui.Tr(r, "Omzet (Rp)", "Revenue (Rp)"), Type: "number", Required: true},
			{Name: "costs", Label: ui.Tr(r, "Biaya (Rp)", "Costs (Rp)"), Type: "number", Required: true},
			{Name: "pades", Label: ui.Tr(r, "Kontribusi PADes (Rp)", "Contribution to village income (Rp)"), Type: "number", Help: ui.Tr(r, "Bagian laba yang disetor ke kas desa sebagai pendapatan asli desa.", "The part of the profit paid to the village as its own revenue.")},
			{Name: "assets", Label: ui.Tr(r, "Aset (Rp)", "Assets (Rp)"), Type: "number"},
			{Name: "employees", Label: ui.Tr(r, "Jumlah pekerja", "Employees"), Type: "number"},
			{Name: "note", Label: ui.Tr(r, "Catatan", "Note"), Type: "textarea", Max: 1000},
		}
		return ui.Tr(r, "Laporan semester", "Semester report"), f
	default: // formCapital
		f.Submit = ui.Tr(r, "Catat penyertaan modal", "Record the capital")
		f.Fields = []ui.Field{
			{Name: "year", Label: ui.Tr(r, "Tahun anggaran", "Budget year"), Type: "number", Required: true, Max: 2100},
			{Name: "amount", Label: ui.Tr(r, "Jumlah (Rp)", "Amount (Rp)"), Type: "number", Required: true},
			{Name: "source", Label: ui.Tr(r, "Sumber", "Source"), Type: "select", Required: true, Options: options(r, capitalSources)},
			{Name: "date", Label: ui.Tr(r, "Tanggal diterima", "Date received"), Type: "date", Required: true},
			{Name: "note", Label: ui.Tr(r, "Catatan", "Note"), Max: 500},
		}
		if e.Kind == KindBersama {
			f.Fields = append(f.Fields[:3], append([]ui.Field{{Name: "village", Label: ui.Tr(r, "Kode desa anggota", "Member village code"), Max: 20}}, f.Fields[3:]...)...)
		}
		return ui.Tr(r, "Penyertaan modal", "Capital"), f
	}
}

// renderForm shows one of the enterprise's forms on its page.
func renderForm(w http.ResponseWriter, r *http.Request, status int, name string, values url.Values, errs map[string]string, msg string) {
	_, body, err := ui.CallAPI(r, getEnterprise, "GET", nil, nil, "id", r.PathValue("id"))
	if err != nil {
		fail(w, r, err)
		return
	}
	e := body.(EnterpriseView)
	if e.Joint {
		fail(w, r, enterpriseNotFound())
		return
	}
	title, f := formOf(r, name, &e, values, errs, msg)
	ui.Render(w, r, ui.Page{Title: title, Status: status, Body: []ui.Node{ui.Muted(e.Name), f}})
}

// formPage is the GET handler of one of the enterprise's forms.
func formPage(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { renderForm(w, r, http.StatusOK, name, nil, nil, "") }
}

func dash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "–"
	}
	return s
}

func dateText(s string) string {
	if s == "" {
		return ""
	}
	return ui.DateOnly(s)
}

// pageForm runs a form's action and goes back to the enterprise page,
// with the form shown again on an error.
func pageForm(w http.ResponseWriter, r *http.Request, form string, do func() error, done string) {
	if err := do(); err != nil {
		errs, msg, status, ok := formErrors(r, err)
		if !ok {
			fail(w, r, err)
			return
		}
		if form == "" {
			renderEnterprise(w, r, status, msg)
			return
		}
		renderForm(w, r, status, form, r.PostForm, errs, msg)
		return
	}
	ui.Redirect(w, r, "/manage/"+r.PathValue("id"), "success", done)
}

func pageEdit(w http.ResponseWriter, r *http.Request) {
	pageForm(w, r, formEdit, func() error {
		var p EnterprisePatch
		if err := ui.Decode(r, &p); err != nil {
			return err
		}
		// A form sends every field: an emptied one clears it.
		for name, ptr := range map[string]**string{"registration_number": &p.RegistrationNumber, "perdes_number": &p.PerdesNumber, "perdes_date": &p.PerdesDate, "address": &p.Address} {
			if *ptr == nil && r.PostForm.Has(name) {
				*ptr = new(string)
			}
		}
		if p.Classification == nil && p.ClassificationYear == nil {
			p.Classification = new(string)
			p.ClassificationYear = new(int)
		}
		_, _, err := updateEnterprise(r, p)
		return err
	}, ui.Tr(r, "Data BUMDes disimpan.", "Saved."))
}

func pageAppoint(w http.ResponseWriter, r *http.Request) {
	pageForm(w, r, formAppoint, func() error {
		var in ManagerInput
		if err := ui.Decode(r, &in); err != nil {
			return err
		}
		_, _, err := appoint(r, in)
		return err
	}, ui.Tr(r, "Pengurus ditetapkan.", "Manager appointed."))
}

func pageAddUnit(w http.ResponseWriter, r *http.Request) {
	pageForm(w, r, formUnit, func() error {
		var in UnitInput
		if err := ui.Decode(r, &in); err != nil {
			return err
		}
		_, _, err := addUnit(r, in)
		return err
	}, ui.Tr(r, "Unit usaha ditambahkan.", "Unit added."))
}

func pageOpenSeller(w http.ResponseWriter, r *http.Request) {
	pageForm(w, r, "", func() error {
		_, _, err := openSeller(r)
		return err
	}, ui.Tr(r, "Unit usaha kini berjualan di Mall Desa.", "The unit now sells in the village mall."))
}

func pageReport(w http.ResponseWriter, r *http.Request) {
	pageForm(w, r, formReport, func() error {
		var in ReportInput
		if err := ui.Decode(r, &in); err != nil {
			return err
		}
		_, _, err := addReport(r, in)
		return err
	}, ui.Tr(r, "Laporan diterima.", "Report submitted."))
}

func pageCapital(w http.ResponseWriter, r *http.Request) {
	pageForm(w, r, formCapital, func() error {
		var in CapitalInput
		if err := ui.Decode(r, &in); err != nil {
			return err
		}
		_, _, err := addCapital(r, in)
		return err
	}, ui.Tr(r, "Penyertaan modal dicatat.", "Capital recorded."))
}

// pageRecap is the roll-up of the villages below: enterprises by
// classification, the year's turnover and contribution to village income.
func pageRecap(w http.ResponseWriter, r *http.Request) {
	q := query("year", r.URL.Query().Get("year"), "page", r.URL.Query().Get("page"), "limit", r.URL.Query().Get("limit"))
	for k, v := range q {
		if v[0] == "" {
			q.Del(k)
		}
	}
	_, body, err := ui.CallAPI(r, getSummary, "GET", q, nil)
	if err != nil {
		fail(w, r, err)
		return
	}
	s := body.(*Summary)
	off, limit, _ := sdk.Page(r)
	rows := make([]ui.Row, 0, len(s.Items))
	for _, v := range s.Items {
		var ent ui.Node = ui.Cell("–")
		if v.Enterprise != "" {
			ent = absLink(v.EnterpriseName, consoleHref(r, v.Village, v.Enterprise))
		}
		class := ui.Cell("–")
		if v.Enterprise != "" {
			class = classBadge(r, v.Classification, v.ClassificationYear)
		}
		rows = append(rows, ui.Row{Cells: []ui.Node{ui.Cell(v.Name), ui.Cell(v.District), ent, class, ui.Cell(number(v.Units)),
			ui.Cell(rupiah(v.Revenue)), ui.Cell(rupiah(v.PADes))}})
	}
	out := []ui.Node{rollupFigures(r, s), ui.Table{
		Filters: []ui.Field{{Name: "year", Label: ui.Tr(r, "Tahun", "Year"), Type: "number", Max: 2100}},
		Columns: []ui.Column{{Key: "village", Label: ui.Tr(r, "Desa", "Village")}, {Key: "district", Label: ui.Tr(r, "Kecamatan", "District")},
			{Key: "enterprise", Label: "BUMDes"}, {Key: "class", Label: ui.Tr(r, "Klasifikasi", "Classification")}, {Key: "units", Label: ui.Tr(r, "Unit", "Units")},
			{Key: "revenue", Label: ui.Tr(r, "Omzet", "Revenue")}, {Key: "pades", Label: ui.Tr(r, "Kontribusi PADes", "Village income")}},
		Rows: rows, Total: s.Total, Page: off/max(limit, 1) + 1, Limit: limit,
		Empty: ui.Tr(r, "Tidak ada desa dengan modul BUMDes aktif.", "No village has the module on."),
	}}
	if len(s.JointItems) > 0 {
		var jrows []ui.Row
		for _, j := range s.JointItems {
			jrows = append(jrows, ui.Row{Cells: []ui.Node{absLink(j.Name, consoleHref(r, j.District, j.Enterprise)), ui.Cell(strings.Join(j.Members, ", ")),
				ui.Cell(rupiah(j.Revenue)), ui.Cell(rupiah(j.PADes))}})
		}
		out = append(out, ui.Section(ui.Tr(r, "BUMDes Bersama", "Joint enterprises"), ui.Table{Columns: []ui.Column{{Key: "name", Label: ui.Tr(r, "Nama", "Name")},
			{Key: "members", Label: ui.Tr(r, "Desa anggota", "Members")}, {Key: "revenue", Label: ui.Tr(r, "Omzet", "Revenue")}, {Key: "pades", Label: ui.Tr(r, "Kontribusi PADes", "Village income")}}, Rows: jrows}))
	}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Rekap BUMDes ", "Enterprises recap ") + strconv.Itoa(s.Year), Body: out})
}

// rollupFigures are the roll-up's totals and the classification chart.
func rollupFigures(r *http.Request, s *Summary) ui.Node {
	bars := []ui.Bar{}
	for _, c := range classifications {
		bars = append(bars, ui.Bar{Label: ui.Tr(r, c.ID, c.EN), Value: float64(s.ByClassification[c.Code])})
	}
	bars = append(bars, ui.Bar{Label: ui.Tr(r, "Belum dinilai", "Not assessed"), Value: float64(s.ByClassification["none"])})
	return ui.Grid(
		ui.Section(ui.Tr(r, "Tahun ", "Year ")+strconv.Itoa(s.Year), ui.DefinitionList(
			[2]string{ui.Tr(r, "Desa", "Villages"), number(int64(s.Villages))},
			[2]string{ui.Tr(r, "Desa ber-BUMDes", "Villages with an enterprise"), number(int64(s.WithEnterprise))},
			[2]string{ui.Tr(r, "BUMDes Bersama", "Joint enterprises"), number(int64(s.Joint))},
			[2]string{ui.Tr(r, "Unit usaha", "Business units"), number(s.Units)},
			[2]string{ui.Tr(r, "Omzet", "Revenue"), rupiah(s.Revenue)},
			[2]string{ui.Tr(r, "Laba", "Profit"), rupiah(s.Profit)},
			[2]string{ui.Tr(r, "Kontribusi PADes", "Contribution to village income"), rupiah(s.PADes)},
		)),
		ui.Chart{Title: ui.Tr(r, "BUMDes menurut klasifikasi", "Enterprises by classification"), Bars: bars, Format: func(v float64) string { return number(int64(v)) }},
	)
}

// widget is the dashboard widget: the enterprises and this year's turnover.
func widget(w http.ResponseWriter, r *http.Request) {
	_, body, err := ui.CallAPI(r, getSummary, "GET", nil, nil)
	if err != nil {
		fail(w, r, err)
		return
	}
	s := body.(*Summary)
	ui.Render(w, r, ui.Page{Title: "BUMDes", Body: []ui.Node{
		ui.Text(ui.Tr(r, "BUMDes: ", "Enterprises: ") + number(int64(s.WithEnterprise+s.Joint)) + " · " + ui.Tr(r, "omzet ", "revenue ") + strconv.Itoa(s.Year) + ": " + rupiah(s.Revenue)),
		ui.A(ui.Tr(r, "Kelola BUMDes", "Manage enterprises"), "/manage"),
	}})
}
