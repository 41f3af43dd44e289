package main

// The console: a village's project list, the form that registers a
// project, a project's page with its progress form and cancellation, and
// at a district or regency the roll-up of the villages below.

import (
	"cmp"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

const listLimit = 20

// manageHome is the menu's page: a village's projects, or the roll-up at
// a district or regency.
func manageHome(w http.ResponseWriter, r *http.Request) {
	if sdk.From(r).Level == sdk.Village {
		manageListPage(w, r)
		return
	}
	rollupPage(w, r)
}

// listFilters are the project lists' filters (console and public).
func listFilters(r *http.Request, pl *places) []ui.Field {
	fs := []ui.Field{
		{Name: "year", Label: "Tahun", Type: "number", Max: 2100},
		{Name: "state", Label: "Status", Type: "select", Options: stateOptions()},
		{Name: "kind", Label: "Jenis", Type: "select", Options: kindOptions()},
	}
	if sdk.From(r).Level != sdk.Village && pl != nil && len(pl.codes) <= 300 {
		var opts []ui.Option
		for _, c := range pl.codes {
			opts = append(opts, ui.Option{Value: c, Label: pl.names[c]})
		}
		fs = append(fs, ui.Field{Name: "village", Label: "Desa", Type: "select", Options: opts})
	}
	return append(fs, ui.Field{Name: "behind", Label: "Hanya yang terlambat", Type: "checkbox"})
}

// listRequest is r with the screen's defaults for listProjects.
func listRequest(r *http.Request) *http.Request {
	behind := ""
	if v := r.URL.Query().Get("behind"); v == "true" || v == "on" || v == "1" {
		behind = "true"
	}
	return ui.WithQuery(r, "limit", strconv.Itoa(listLimit), "behind", behind)
}

// projectList reads a list page's projects through listProjects, with
// the page's filters (listRequest, which it answers too), and the places
// that name their villages.
func projectList(r *http.Request) (*http.Request, sdk.ListOf[ProjectView], *places, error) {
	lr := listRequest(r)
	list, err := ui.Answer[sdk.ListOf[ProjectView]](lr, listProjects)
	if err != nil {
		return nil, list, nil, err
	}
	pl, err := loadPlaces(r)
	return lr, list, pl, err
}

// manageListPage lists the projects of the village, or of the villages
// below, with filters.
func manageListPage(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	title := "Proyek Pembangunan"
	lr, list, pl, err := projectList(r)
	if err != nil {
		pageErrors.Fail(w, r, title, err)
		return
	}
	offset, _, _ := sdk.Page(lr)
	cols := []ui.Column{{Key: "name", Label: "Proyek"}}
	if req.Level != sdk.Village {
		cols = append(cols, ui.Column{Key: "village", Label: "Desa"})
	}
	cols = append(cols, ui.Column{Key: "year", Label: "Tahun"}, ui.Column{Key: "budget", Label: "Pagu"},
		ui.Column{Key: "percent", Label: "Fisik"}, ui.Column{Key: "absorption", Label: "Serapan"}, ui.Column{Key: "state", Label: "Status"})
	tb := ui.Table{Columns: cols, Total: int(list.Total), Page: offset/listLimit + 1, Limit: listLimit, Filters: listFilters(r, pl),
		Empty: "Belum ada proyek yang cocok.", Caption: title}
	for _, p := range list.Items {
		href := "/manage/projects/" + p.ID
		if p.Village.Code != req.Tenant {
			href = ui.TenantHref(r, p.Village.Code, href)
		} else {
			href = ui.Href(r, href)
		}
		cells := []ui.Node{absLink(p.Name, href)}
		if req.Level != sdk.Village {
			cells = append(cells, ui.Cell(p.Village.Name))
		}
		cells = append(cells, ui.Cell(strconv.Itoa(p.Year)), ui.Cell(ui.Rupiah(p.Budget)), ui.Cell(percent(p.Percent)),
			ui.Cell(percent(p.Absorption)), stateBadge(p.State, p.BehindSchedule))
		tb.Rows = append(tb.Rows, ui.Row{Cells: cells})
	}
	var actions []ui.Link
	if req.Level == sdk.Village && req.Can(permWrite) {
		actions = append(actions, ui.Link{Label: "Tambah proyek", Href: "/manage/new", Primary: true})
	}
	if req.Level != sdk.Village {
		actions = append(actions, ui.Link{Label: "Rekap", Href: "/manage"})
	}
	ui.Render(w, r, ui.Page{Title: title, Actions: actions, Body: []ui.Node{tb}})
}

// rollupPage is the district's or regency's screen: budget absorption
// per village, totals per funding source, and the projects behind
// schedule, for one year.
func rollupPage(w http.ResponseWriter, r *http.Request) {
	title := "Rekap Pembangunan Desa"
	s, err := ui.Answer[Summary](r, summary)
	if err != nil {
		pageErrors.Fail(w, r, title, err)
		return
	}
	yearForm := ui.Form{Method: "GET", Submit: "Tampilkan", Values: url.Values{"year": {strconv.Itoa(s.Year)}}, Fields: []ui.Field{
		{Name: "year", Label: "Tahun anggaran", Type: "number", Max: 2100},
	}}
	totals := ui.DefinitionList(
		[2]string{"Desa dengan modul ini", ui.Number(uint64(len(s.Villages)))},
		[2]string{"Proyek", ui.Number(uint64(s.Projects))},
		[2]string{"Direncanakan / berjalan / selesai / dibatalkan", strings.Join([]string{
			ui.Number(uint64(s.ByState[StatePlanned])), ui.Number(uint64(s.ByState[StateOngoing])),
			ui.Number(uint64(s.ByState[StateCompleted])), ui.Number(uint64(s.ByState[StateCancelled]))}, " / ")},
		[2]string{"Pagu anggaran", ui.Rupiah(s.Budget)},
		[2]string{"Realisasi", ui.Rupiah(s.Spent)},
		[2]string{"Serapan anggaran", percent(s.Absorption)},
		[2]string{"Proyek terlambat", ui.Number(uint64(s.BehindTotal))},
	)
	funding := ui.Table{Caption: "Pagu per sumber dana", Columns: []ui.Column{{Key: "source", Label: "Sumber dana"}, {Key: "amount", Label: "Pagu"}, {Key: "share", Label: "Porsi"}}}
	for _, f := range s.Funding {
		funding.Rows = append(funding.Rows, ui.Row{Cells: []ui.Node{ui.Cell(f.Name), ui.Cell(ui.Rupiah(f.Amount)), ui.Cell(percent(absorption(f.Amount, s.Budget)))}})
	}
	villages := ui.Table{Caption: "Serapan anggaran per desa (yang terendah di atas)", Empty: "Belum ada desa dengan modul Pembangunan.", Columns: []ui.Column{
		{Key: "village", Label: "Desa"}, {Key: "projects", Label: "Proyek"}, {Key: "completed", Label: "Selesai"},
		{Key: "budget", Label: "Pagu"}, {Key: "spent", Label: "Realisasi"}, {Key: "absorption", Label: "Serapan"}, {Key: "behind", Label: "Terlambat"},
	}}
	// The villages with projects first, the lowest absorption first: the
	// ones to ask about; then those without a project this year.
	vs := slices.Clone(s.Villages)
	slices.SortStableFunc(vs, func(a, b VillageSummary) int {
		if (a.Projects == 0) != (b.Projects == 0) {
			if a.Projects == 0 {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.Absorption, b.Absorption)
	})
	for _, v := range vs {
		villages.Rows = append(villages.Rows, ui.Row{Cells: []ui.Node{
			absLink(v.Name, ui.TenantHref(r, v.Code, "/manage?year="+strconv.Itoa(s.Year))), ui.Cell(ui.Number(uint64(v.Projects))), ui.Cell(ui.Number(uint64(v.Completed))), ui.Cell(ui.Rupiah(v.Budget)),
			ui.Cell(ui.Rupiah(v.Spent)), ui.Cell(percent(v.Absorption)), ui.Cell(ui.Number(uint64(v.Behind))),
		}})
	}
	late := ui.Table{Caption: "Proyek terlambat (progres fisik di bawah garis lurus rencana)", Empty: "Tidak ada proyek yang terlambat.", Columns: []ui.Column{
		{Key: "name", Label: "Proyek"}, {Key: "village", Label: "Desa"}, {Key: "plan", Label: "Rencana"},
		{Key: "percent", Label: "Fisik"}, {Key: "expected", Label: "Target hari ini"},
	}}
	for _, b := range s.BehindSchedule {
		late.Rows = append(late.Rows, ui.Row{Cells: []ui.Node{
			absLink(b.Name, ui.TenantHref(r, b.Village.Code, "/manage/projects/"+b.ID)), ui.Cell(b.Village.Name), ui.Cell(ui.DateOnly(b.PlannedStart) + " – " + ui.DateOnly(b.PlannedEnd)),
			ui.Cell(percent(b.Percent)), ui.Cell(percent(b.ExpectedPercent)),
		}})
	}
	body := []ui.Node{yearForm, ui.Section("Ringkasan "+strconv.Itoa(s.Year), totals), ui.Section("Sumber dana", funding)}
	if s.BehindTotal > int64(len(s.BehindSchedule)) {
		late.Caption += " — " + ui.Number(uint64(len(s.BehindSchedule))) + " terjauh dari " + ui.Number(uint64(s.BehindTotal))
	}
	body = append(body, ui.Section("Proyek terlambat", late), ui.Section("Per desa", villages))
	ui.Render(w, r, ui.Page{Title: title, Actions: []ui.Link{
		{Label: "Semua proyek", Href: "/manage/list?year=" + strconv.Itoa(s.Year)},
		{Label: "Hanya yang terlambat", Href: "/manage/list?behind=true&year=" + strconv.Itoa(s.Year)},
	}, Body: body})
}

// projectFields are the form that registers a project. The funding is a
// field per source; empty sources are left out.
func projectFields() []ui.Field {
	fs := []ui.Field{
		{Name: "name", Label: "Nama proyek", Required: true, Max: 160, Placeholder: "Pembangunan jalan usaha tani"},
		{Name: "kind", Label: "Jenis", Type: "select", Required: true, Options: kindOptions()},
		{Name: "year", Label: "Tahun anggaran", Type: "number", Required: true, Max: 2100},
		{Name: "description", Label: "Uraian", Type: "textarea", Max: 2000},
		{Name: "location.dusun", Label: "Dusun", Max: 60},
		{Name: "location.rt", Label: "RT", Max: 3, Digits: true},
		{Name: "location.rw", Label: "RW", Max: 3, Digits: true},
		{Name: "location.lat", Label: "Lintang (desimal)", Max: 20, Placeholder: "0.3321", Help: "Tidak wajib. Lintang dan bujur dari peta ponsel."},
		{Name: "location.lng", Label: "Bujur (desimal)", Max: 20, Placeholder: "101.0205"},
	}
	for i, s := range sources {
		f := ui.Field{Name: "funding_" + s.Code, Label: s.Name + " (Rp)", Type: "text", Max: 20, Digits: true}
		if i == 0 {
			f.Help = "Isi jumlah rupiah tiap sumber dana; kosongkan yang tidak ada. Pagu = jumlah semuanya."
		}
		fs = append(fs, f)
	}
	return append(fs,
		ui.Field{Name: "executor", Label: "Pelaksana (TPK)", Max: 120, Placeholder: "TPK Desa"},
		ui.Field{Name: "executor_lead", Label: "Nama ketua TPK", Max: 120},
		ui.Field{Name: "planned_start", Label: "Rencana mulai", Type: "date", Required: true},
		ui.Field{Name: "planned_end", Label: "Rencana selesai", Type: "date", Required: true},
		ui.Field{Name: "volume", Label: "Volume", Max: 20, Placeholder: "500"},
		ui.Field{Name: "unit", Label: "Satuan", Max: 20, Placeholder: "m"},
		ui.Field{Name: "beneficiaries", Label: "Penerima manfaat (orang)", Type: "number", Max: 10_000_000},
	)
}

func newProjectPage(w http.ResponseWriter, r *http.Request) {
	renderNewProject(w, r, http.StatusOK, url.Values{"year": {strconv.Itoa(sdk.From(r).Now().Year())}}, nil, "")
}

func renderNewProject(w http.ResponseWriter, r *http.Request, status int, values url.Values, errs map[string]string, msg string) {
	if sdk.From(r).Level != sdk.Village {
		pageErrors.Fail(w, r, "Tambah proyek", villageOnlyErr(r))
		return
	}
	form := ui.Form{Action: "/manage/new", Submit: "Simpan proyek", Fields: projectFields(), Values: values, Errors: errs, Error: msg, Cancel: "/manage"}
	ui.Render(w, r, ui.Page{Title: "Tambah proyek", Status: status, Body: []ui.Node{form}})
}

func villageOnlyErr(r *http.Request) error {
	_, _, err := villageOnly(func(*http.Request) (int, any, error) { return 0, nil, nil })(r)
	return err
}

// numberForm reads a whole number typed as people write rupiah
// (1.250.000 or 1250000); ok is false when it is not one.
func numberForm(s string) (int64, bool) {
	s = strings.NewReplacer(".", "", " ", "", "Rp", "", "rp", "").Replace(strings.TrimSpace(s))
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// floatForm reads a decimal typed with a point or a comma.
func floatForm(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.Replace(strings.TrimSpace(s), ",", ".", 1), 64)
	return f, err == nil
}

// projectFromForm is the form as the API's input; a number that is not
// one is the API's error for its field.
func projectFromForm(f url.Values) (projectInput, error) {
	in := projectInput{
		Name: f.Get("name"), Kind: f.Get("kind"), Description: f.Get("description"),
		Location: Location{Dusun: f.Get("location.dusun"), RT: f.Get("location.rt"), RW: f.Get("location.rw")},
		Executor: f.Get("executor"), ExecutorLead: f.Get("executor_lead"),
		PlannedStart: f.Get("planned_start"), PlannedEnd: f.Get("planned_end"), Unit: f.Get("unit"),
	}
	if y, ok := numberForm(f.Get("year")); ok {
		in.Year = int(y)
	}
	for _, c := range []struct {
		name string
		dst  **float64
	}{{"location.lat", &in.Location.Lat}, {"location.lng", &in.Location.Lng}} {
		if s := f.Get(c.name); strings.TrimSpace(s) != "" {
			v, ok := floatForm(s)
			if !ok {
				return in, invalid(codeInvalidCoordinates, c.name, "%s must be a decimal number", c.name)
			}
			*c.dst = &v
		}
	}
	for _, s := range sources {
		v := f.Get("funding_" + s.Code)
		if strings.TrimSpace(v) == "" {
			continue
		}
		n, ok := numberForm(v)
		if !ok {
			return in, invalid(codeInvalidFunding, "funding_"+s.Code, "the amount of %s must be whole rupiah", s.Code)
		}
		in.Funding = append(in.Funding, Funding{Source: s.Code, Amount: n})
	}
	if s := f.Get("volume"); strings.TrimSpace(s) != "" {
		v, ok := floatForm(s)
		if !ok {
			return in, invalid(codeInvalidVolume, "volume", "volume must be a number")
		}
		in.Volume = &v
	}
	if s := f.Get("beneficiaries"); strings.TrimSpace(s) != "" {
		n, ok := numberForm(s)
		if !ok {
			return in, invalid(codeInvalidBeneficiaries, "beneficiaries", "beneficiaries must be a whole number")
		}
		in.Beneficiaries = &n
	}
	return in, nil
}

func createProjectPage(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		pageErrors.Fail(w, r, "Tambah proyek", sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "reading the form: %v", err))
		return
	}
	in, err := projectFromForm(r.PostForm)
	var v any
	if err == nil {
		_, v, err = villageOnly(func(r *http.Request) (int, any, error) { return insertProject(r, in) })(r)
	}
	if err != nil {
		errs, msg, status := pageErrors.Form(r, err)
		renderNewProject(w, r, status, r.PostForm, errs, msg)
		return
	}
	ui.Redirect(w, r, "/manage/projects/"+v.(ProjectView).ID, "success", "Proyek dicatat. Laporkan progresnya dengan foto 0% saat pekerjaan dimulai.")
}

// manageProjectPage is a project for the village's staff: its facts,
// progress, photos and reports, the progress form and the cancellation.
func manageProjectPage(w http.ResponseWriter, r *http.Request) {
	renderManageProject(w, r, http.StatusOK, nil, nil, "")
}

func renderManageProject(w http.ResponseWriter, r *http.Request, status int, values url.Values, errs map[string]string, msg string) {
	req := sdk.From(r)
	v, err := ui.Answer[ProjectView](r, getProject)
	if err != nil {
		pageErrors.Fail(w, r, "Proyek", err)
		return
	}
	body := projectBody(r, v, true)
	open := v.State == StatePlanned || v.State == StateOngoing
	atVillage := req.Level == sdk.Village
	if open && atVillage && req.Can(permProgress) {
		if values == nil {
			values = url.Values{"date": {req.Today()}, "percent": {strconv.FormatFloat(v.Percent, 'f', -1, 64)}, "spent": {strconv.FormatInt(v.Spent, 10)}}
		}
		form := ui.Form{Action: "/manage/projects/" + v.ID + "/progress", Submit: "Kirim laporan", Multipart: true, Values: values, Errors: errs, Error: msg, Fields: []ui.Field{
			{Name: "date", Label: "Tanggal", Type: "date", Required: true},
			{Name: "percent", Label: "Progres fisik kumulatif (%)", Required: true, Max: 6, Help: "0 sampai 100. Laporan 100% menyelesaikan proyek dan wajib dengan foto."},
			{Name: "spent", Label: "Realisasi keuangan kumulatif (Rp)", Required: true, Max: 20, Digits: true, Help: "Pagu " + ui.Rupiah(v.Budget) + "."},
			{Name: "notes", Label: "Catatan", Type: "textarea", Max: 1000},
			{Name: "over_budget_reason", Label: "Alasan melebihi pagu", Type: "textarea", Max: 500, Help: "Wajib bila realisasi melebihi pagu."},
			{Name: "photo", Label: "Foto pekerjaan", Type: "file", Accept: "image/jpeg,image/png,image/webp", Help: "JPEG, PNG atau WebP, paling besar 5 MB. Foto 0%, 50% dan 100%."},
		}}
		body = append(body, ui.Section("Laporkan progres", form))
	}
	if open && atVillage && req.Can(permManage) {
		body = append(body, ui.Section("Batalkan proyek", ui.Form{Action: "/manage/projects/" + v.ID + "/cancel", Submit: "Batalkan proyek",
			Confirm: "Batalkan proyek ini? Laporan dan fotonya tetap tersimpan.", Fields: []ui.Field{
				{Name: "reason", Label: "Alasan pembatalan", Type: "textarea", Required: true, Max: 500},
			}}))
	}
	body = append(body, ui.HTML(template.HTML(`<p><a href="`+template.HTMLEscapeString(publicHref(v.Village.Code, "/projects/"+v.ID))+`">Lihat halaman publik proyek ini</a></p>`)))
	actions := []ui.Link{{Label: "Daftar proyek", Href: "/manage"}}
	if open && atVillage && req.Can(permWrite) {
		actions = append(actions, ui.Link{Label: "Ubah data proyek", Href: "/manage/projects/" + v.ID + "/edit"})
	}
	ui.Render(w, r, ui.Page{Title: v.Name, Status: status, Actions: actions, Body: body})
}

// publicHref is the public page of the module at village, from a
// console page: /{village}/development{path}.
func publicHref(village, path string) string {
	return "/" + village + "/" + pluginID + path
}

// progressPage takes the progress form (multipart, with its photo)
// through the API's code.
func progressPage(w http.ResponseWriter, r *http.Request) {
	in, ups, err := readProgress(r)
	if err == nil {
		_, _, err = villageOnly(func(r *http.Request) (int, any, error) { return submitProgress(r, in, ups) })(r)
	}
	if err != nil {
		errs, msg, status := pageErrors.Form(r, err)
		vals := url.Values{"date": {in.Date}, "notes": {in.Notes}, "over_budget_reason": {in.OverBudgetReason}}
		if in.Percent != nil {
			vals.Set("percent", strconv.FormatFloat(*in.Percent, 'f', -1, 64))
		}
		if in.Spent != nil {
			vals.Set("spent", strconv.FormatInt(*in.Spent, 10))
		}
		renderManageProject(w, r, status, vals, errs, msg)
		return
	}
	done := "Laporan progres disimpan."
	if in.Percent != nil && *in.Percent == 100 {
		done = "Laporan disimpan. Proyek selesai."
	}
	ui.Redirect(w, r, "/manage/projects/"+r.PathValue("id"), "success", done)
}

// cancelPage cancels a project after a confirmation.
func cancelPage(w http.ResponseWriter, r *http.Request) {
	back := "/manage/projects/" + r.PathValue("id")
	if err := r.ParseForm(); err != nil {
		pageErrors.Fail(w, r, "Batalkan proyek", sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "reading the form: %v", err))
		return
	}
	if !ui.Confirm(w, r, ui.Form{Action: back + "/cancel", Confirm: "Batalkan proyek ini? Laporan dan fotonya tetap tersimpan.", Cancel: back,
		Fields: []ui.Field{{Name: "reason", Type: "hidden"}}, Values: r.PostForm}) {
		return
	}
	_, _, err := villageOnly(func(r *http.Request) (int, any, error) {
		return cancelWith(r, cancelInput{Reason: r.PostForm.Get("reason")})
	})(r)
	pageErrors.Back(w, r, back, err, "Proyek dibatalkan.")
}

// consoleWidget is the dashboard's count: this year's projects under
// way and those behind schedule.
func consoleWidget(w http.ResponseWriter, r *http.Request) {
	s, err := ui.Answer[Summary](ui.WithQuery(r, "year", ""), summary)
	if err != nil {
		sdk.Logf(r.Context(), "error", "development widget: %v", err)
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	ui.Render(w, r, ui.Page{Title: "Pembangunan", Body: []ui.Node{
		ui.Text(ui.Number(uint64(s.ByState[StateOngoing])) + " proyek berjalan, " + ui.Number(uint64(s.BehindTotal)) + " terlambat; serapan anggaran " + percent(s.Absorption) + "."),
		ui.A("Buka Pembangunan", "/manage"),
	}})
}

// absLink is a link to a browser path as is (another tenant's page),
// which ui.Href would prefix with this page's root.
func absLink(label, href string) ui.Node {
	return ui.HTML(template.HTML(`<a href="` + template.HTMLEscapeString(href) + `">` + template.HTMLEscapeString(label) + `</a>`))
}

// editProjectPage is the project form filled with the project, to
// correct it while it is planned or ongoing.
func editProjectPage(w http.ResponseWriter, r *http.Request) {
	_, p, err := openProject(r)
	if err != nil {
		pageErrors.Fail(w, r, "Ubah proyek", err)
		return
	}
	in := inputOf(p)
	vals := url.Values{"name": {in.Name}, "kind": {in.Kind}, "year": {strconv.Itoa(in.Year)}, "description": {in.Description},
		"location.dusun": {in.Location.Dusun}, "location.rt": {in.Location.RT}, "location.rw": {in.Location.RW},
		"executor": {in.Executor}, "executor_lead": {in.ExecutorLead}, "planned_start": {in.PlannedStart}, "planned_end": {in.PlannedEnd}, "unit": {in.Unit}}
	if in.Location.Lat != nil && in.Location.Lng != nil {
		vals.Set("location.lat", strconv.FormatFloat(*in.Location.Lat, 'f', -1, 64))
		vals.Set("location.lng", strconv.FormatFloat(*in.Location.Lng, 'f', -1, 64))
	}
	for _, f := range in.Funding {
		vals.Set("funding_"+f.Source, strconv.FormatInt(f.Amount, 10))
	}
	if in.Volume != nil {
		vals.Set("volume", strconv.FormatFloat(*in.Volume, 'f', -1, 64))
	}
	if in.Beneficiaries != nil {
		vals.Set("beneficiaries", strconv.FormatInt(*in.Beneficiaries, 10))
	}
	renderEditProject(w, r, http.StatusOK, vals, nil, "")
}

func renderEditProject(w http.ResponseWriter, r *http.Request, status int, values url.Values, errs map[string]string, msg string) {
	back := "/manage/projects/" + r.PathValue("id")
	form := ui.Form{Action: back + "/edit", Submit: "Simpan perubahan", Fields: projectFields(), Values: values, Errors: errs, Error: msg, Cancel: back}
	ui.Render(w, r, ui.Page{Title: "Ubah proyek", Status: status, Body: []ui.Node{
		ui.Muted("Progres, realisasi dan foto hanya berubah lewat laporan progres."), form,
	}})
}

// saveProjectPage stores the corrected project through the API's code.
func saveProjectPage(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		pageErrors.Fail(w, r, "Ubah proyek", sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "reading the form: %v", err))
		return
	}
	in, err := projectFromForm(r.PostForm)
	if err == nil {
		_, _, err = villageOnly(func(r *http.Request) (int, any, error) {
			rec, p, err := openProject(r)
			if err != nil {
				return 0, nil, err
			}
			return saveProject(r, rec, p, in)
		})(r)
	}
	if err != nil {
		errs, msg, status := pageErrors.Form(r, err)
		renderEditProject(w, r, status, r.PostForm, errs, msg)
		return
	}
	ui.Redirect(w, r, "/manage/projects/"+r.PathValue("id"), "success", "Perubahan proyek disimpan.")
}
