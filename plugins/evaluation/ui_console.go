package main

// The module's console screens, written with sdk/ui. Every screen goes
// through the API handlers (regencyTable, listIndicators, createIndicator,
// getIndicator, postAchievement, getEvaluation, putEvaluation,
// publishEvaluation, respondRecommendation, scores) with the page's
// request: the rules, checks and audit are the API's.
//
// Console pages, below /console/{tenant}/m/evaluation:
//
//	GET  /home                          menu "Evaluasi Kinerja": at a regency or district the table of units, at a village its indicators
//	GET  /table                         the table of units (?year, ?quarter, ?district, ?page)
//	GET  /indicators                    the unit's indicators of ?year with their quarters; POST adds one
//	GET  /indicators/{id}               an indicator, its quarters and evidence; POST .../achievements reports a quarter; POST changes its name, target, description
//	GET  /worksheet/{year}/{unit}       the evaluator's worksheet at the regency; POST saves it, POST .../publish publishes
//	GET  /result                        the unit's published evaluation of ?year and its recommendations; POST /recommendations/{id} answers one
//	GET  /widget                        dashboard widget: the grade (unit) or the grades' counts (regency)

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

var consolePages = []sdk.PageRoute{
	{Method: "GET", Path: "/home", Permission: permRead, Handler: http.HandlerFunc(pageHome),
		Menu: &sdk.MenuEntry{Label: "Evaluasi Kinerja", LabelEN: "Performance evaluation", Icon: "chart", Order: 130}},
	{Method: "GET", Path: "/table", Permission: permRead, Handler: http.HandlerFunc(pageTable)},
	{Method: "GET", Path: "/indicators", Permission: permRead, Handler: http.HandlerFunc(pageIndicators)},
	{Method: "POST", Path: "/indicators", Permission: permReport, Handler: http.HandlerFunc(pageAddIndicator)},
	{Method: "GET", Path: "/indicators/{id}", Permission: permRead, Handler: http.HandlerFunc(pageIndicator)},
	{Method: "POST", Path: "/indicators/{id}", Permission: permReport, Handler: http.HandlerFunc(pageChangeIndicator)},
	{Method: "POST", Path: "/indicators/{id}/achievements", Permission: permReport, MaxBodyBytes: maxEvidenceBytes + multipartSlack, Handler: http.HandlerFunc(pageReport)},
	{Method: "GET", Path: "/achievements/{id}/evidence", Permission: permRead, Handler: http.HandlerFunc(serveEvidence)},
	{Method: "GET", Path: "/worksheet/{year}/{unit}", Permission: permRead, Handler: http.HandlerFunc(pageWorksheet)},
	{Method: "POST", Path: "/worksheet/{year}/{unit}", Permission: permEvaluate, Handler: http.HandlerFunc(pageSaveWorksheet)},
	{Method: "POST", Path: "/worksheet/{year}/{unit}/publish", Permission: permEvaluate, Handler: http.HandlerFunc(pagePublish)},
	{Method: "GET", Path: "/result", Permission: permRead, Handler: http.HandlerFunc(pageResult)},
	{Method: "POST", Path: "/recommendations/{id}", Permission: permRespond, Handler: http.HandlerFunc(pageRespond)},
	{Method: "GET", Path: "/widget", Permission: permRead, Widget: true, Handler: http.HandlerFunc(widget)},
}

// pageHome is the menu's page: a region's table, a village's indicators.
func pageHome(w http.ResponseWriter, r *http.Request) {
	if sdk.From(r).Level == sdk.Village {
		pageIndicators(w, r)
		return
	}
	pageTable(w, r)
}

func yearOptions(r *http.Request) []ui.Option {
	y := thisYear(r)
	var out []ui.Option
	for i := y + 1; i >= y-4; i-- {
		out = append(out, ui.Option{Value: strconv.Itoa(i), Label: strconv.Itoa(i)})
	}
	return out
}

func quarterOptions(r *http.Request, whole bool) []ui.Option {
	var out []ui.Option
	if whole {
		out = append(out, ui.Option{Value: "0", Label: ui.Tr(r, "Setahun", "Whole year")})
	}
	for q := 1; q <= 4; q++ {
		out = append(out, ui.Option{Value: strconv.Itoa(q), Label: fmt.Sprintf(ui.Tr(r, "Triwulan %d", "Quarter %d"), q)})
	}
	return out
}

func sourceLabel(r *http.Request, s Source) string { return ui.Tr(r, s.Label, s.LabelEN) }

// measureCell shows a reading: 87,5 % (35/40), or a dash.
func measureCell(rd *Reading) ui.Node {
	if rd == nil || rd.Value == nil {
		return ui.Cell("–")
	}
	return ui.Cell(fmt.Sprintf("%s (%s/%s)", pct(*rd.Value), num(rd.Numerator), num(rd.Denominator)))
}

// pageTable is the regency's (or district's) table: each unit's grade,
// achievement and the four cross-module measures side by side.
func pageTable(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	q := r.URL.Query()
	year := yearParam(r)
	query := url.Values{}
	for _, k := range []string{"quarter", "district", "page", "limit"} {
		if v := q.Get(k); v != "" {
			query.Set(k, v)
		}
	}
	_, body, err := ui.CallAPI(r, regencyTable, "GET", query, nil, "year", strconv.Itoa(year))
	if err != nil {
		fail(w, r, err)
		return
	}
	t := body.(Table)
	cols := []ui.Column{{Key: "unit", Label: ui.Tr(r, "Unit", "Unit")}, {Key: "level", Label: ui.Tr(r, "Tingkat", "Level")},
		{Key: "indicators", Label: ui.Tr(r, "Indikator", "Indicators")}, {Key: "achievement", Label: ui.Tr(r, "Capaian rata-rata", "Average achievement")},
		{Key: "score", Label: ui.Tr(r, "Nilai", "Score")}, {Key: "grade", Label: ui.Tr(r, "Predikat", "Grade")}}
	for _, s := range sources {
		cols = append(cols, ui.Column{Key: s.Key, Label: sourceLabel(r, s)})
	}
	rows := make([]ui.Row, 0, len(t.Items))
	for _, it := range t.Items {
		level := ui.Tr(r, "Desa/Kelurahan", "Village")
		if it.Level == string(sdk.District) {
			level = ui.Tr(r, "Kecamatan", "District")
		}
		ach := "–"
		if it.AchievementAverage != nil {
			ach = pct(*it.AchievementAverage)
		}
		scoreCell, gradeCell := ui.Cell("–"), ui.Cell(ui.Tr(r, "belum dievaluasi", "not evaluated"))
		if e := it.Evaluation; e != nil {
			if e.Score != nil {
				scoreCell = ui.Cell(score2(*e.Score))
			}
			gradeCell = ui.Cell(ui.Tr(r, "draf", "draft"))
			if e.Grade != "" {
				gradeCell = gradeBadge(e.Grade)
				if e.State == StateDraft {
					gradeCell = nodes(gradeBadge(e.Grade), ui.Muted(ui.Tr(r, "draf", "draft")))
				}
			}
		}
		cells := []ui.Node{ui.Cell(it.Name + " (" + it.Unit + ")"), ui.Cell(level), ui.Cell(strconv.FormatInt(it.Indicators, 10)), ui.Cell(ach), scoreCell, gradeCell}
		for _, s := range sources {
			cells = append(cells, measureCell(it.Measures[s.Key]))
		}
		href := "../../../" + it.Unit + "/m/evaluation/indicators?year=" + strconv.Itoa(year)
		if req.Level == sdk.Regency {
			href = "/worksheet/" + strconv.Itoa(year) + "/" + it.Unit
		}
		rows = append(rows, ui.Row{Cells: cells, Href: href})
	}
	page, _ := strconv.Atoi(q.Get("page"))
	limit, _ := strconv.Atoi(q.Get("limit"))
	if page < 1 {
		page = 1
	}
	if limit < 1 {
		limit = 50
	}
	filters := []ui.Field{
		{Name: "year", Label: ui.Tr(r, "Tahun", "Year"), Type: "select", Options: yearOptions(r)},
		{Name: "quarter", Label: ui.Tr(r, "Periode", "Period"), Type: "select", Options: quarterOptions(r, true)},
	}
	if req.Level != sdk.District {
		if below, err := req.TenantsBelow(r.Context(), sdk.District); err == nil {
			opts := []ui.Option{}
			for _, d := range below {
				opts = append(opts, ui.Option{Value: d.Code, Label: d.Name})
			}
			filters = append(filters, ui.Field{Name: "district", Label: ui.Tr(r, "Kecamatan", "District"), Type: "select", Options: opts})
		}
	}
	out := []ui.Node{
		ui.Muted(ui.Tr(r, "Nilai evaluasi SAKIP (PermenPAN-RB 88/2021), rata-rata capaian indikator unit, dan ukuran kinerja dari modul lain untuk setiap desa dan kecamatan.",
			"SAKIP evaluation score (PermenPAN-RB 88/2021), the units' average indicator achievement, and the other modules' performance measures for every village and district.")),
		ui.Table{Columns: cols, Rows: rows, Total: t.Total, Page: page, Limit: limit, Filters: filters,
			Empty: ui.Tr(r, "Belum ada unit dengan modul evaluasi aktif.", "No unit has the evaluation module enabled yet."), Caption: ui.Tr(r, "Kinerja unit", "Units' performance")},
	}
	var notes []string
	for _, s := range t.Sources {
		if !s.Available {
			notes = append(notes, sourceLabel(r, s.Source)+": "+s.Reason)
		}
	}
	if len(notes) > 0 {
		out = append(out, ui.Muted(ui.Tr(r, "Tidak tersedia — ", "Not available — ")+strings.Join(notes, "; ")))
	}
	actions := []ui.Link{}
	if req.Level == sdk.District {
		actions = append(actions, ui.Link{Label: ui.Tr(r, "Indikator kecamatan", "District's indicators"), Href: "/indicators"})
	}
	ui.Render(w, r, ui.Page{Title: fmt.Sprintf(ui.Tr(r, "Evaluasi Kinerja %d", "Performance evaluation %d"), year), Actions: actions, Body: out})
}

// pageIndicators is the unit's indicators of a year, with the form adding one.
func pageIndicators(w http.ResponseWriter, r *http.Request) {
	renderIndicators(w, r, yearParam(r), 0, nil, nil, "")
}

func renderIndicators(w http.ResponseWriter, r *http.Request, year, status int, values url.Values, errs map[string]string, msg string) {
	req := sdk.From(r)
	list, err := ui.Answer[sdk.ListOf[IndicatorView]](ui.WithQuery(r, "year", strconv.Itoa(year), "unit", req.Tenant, "limit", "500", "page", ""), listIndicators)
	if err != nil {
		fail(w, r, err)
		return
	}
	cols := []ui.Column{{Key: "name", Label: ui.Tr(r, "Indikator", "Indicator")}, {Key: "target", Label: "Target"},
		{Key: "direction", Label: ui.Tr(r, "Arah", "Direction")}, {Key: "source", Label: ui.Tr(r, "Sumber", "Source")}}
	for q := 1; q <= 4; q++ {
		cols = append(cols, ui.Column{Key: "q" + strconv.Itoa(q), Label: "TW " + strconv.Itoa(q)})
	}
	cols = append(cols, ui.Column{Key: "avg", Label: ui.Tr(r, "Rata-rata", "Average")})
	rows := []ui.Row{}
	for _, ind := range list.Items {
		dir := ui.Tr(r, "makin tinggi makin baik", "higher is better")
		if !ind.HigherIsBetter {
			dir = ui.Tr(r, "makin rendah makin baik", "lower is better")
		}
		src := ui.Tr(r, "diisi manual", "typed")
		if s, ok := sourceOf(ind.Source); ok {
			src = sourceLabel(r, s)
		}
		cells := []ui.Node{ui.Cell(ind.Name), ui.Cell(num(ind.Target) + " " + ind.Measure), ui.Cell(dir), ui.Cell(src)}
		byQ := map[int]AchievementView{}
		for _, a := range ind.Achievements {
			byQ[a.Quarter] = a
		}
		for q := 1; q <= 4; q++ {
			if a, ok := byQ[q]; ok {
				cells = append(cells, ui.Cell(pct(a.Percent)))
			} else {
				cells = append(cells, ui.Cell("–"))
			}
		}
		avg := "–"
		if ind.Average != nil {
			avg = pct(*ind.Average)
		}
		cells = append(cells, ui.Cell(avg))
		rows = append(rows, ui.Row{Cells: cells, Href: "/indicators/" + ind.ID})
	}
	out := []ui.Node{
		ui.Table{Columns: cols, Rows: rows, Filters: []ui.Field{{Name: "year", Label: ui.Tr(r, "Tahun", "Year"), Type: "select", Options: yearOptions(r)}},
			Empty: ui.Tr(r, "Belum ada indikator kinerja tahun ini.", "No performance indicator this year yet."), Caption: ui.Tr(r, "Indikator kinerja", "Performance indicators")},
	}
	if req.Can(permReport) && isUnit(req) {
		if values == nil {
			values = url.Values{"year": {strconv.Itoa(year)}, "direction": {"higher"}}
		}
		srcOpts := []ui.Option{}
		for _, s := range sources {
			srcOpts = append(srcOpts, ui.Option{Value: s.Key, Label: sourceLabel(r, s) + " (" + s.Module + ")"})
		}
		out = append(out, ui.Section(ui.Tr(r, "Tambah indikator", "Add an indicator"), ui.Form{Action: "/indicators", Submit: ui.Tr(r, "Tambah indikator", "Add indicator"),
			Values: values, Errors: errs, Error: msg, Fields: []ui.Field{
				{Name: "year", Label: ui.Tr(r, "Tahun", "Year"), Type: "select", Options: yearOptions(r), Required: true},
				{Name: "name", Label: ui.Tr(r, "Nama indikator", "Indicator name"), Required: true, Max: 300},
				{Name: "measure", Label: ui.Tr(r, "Satuan", "Unit of measure"), Max: 40, Placeholder: "%, dokumen, orang, hari", Help: ui.Tr(r, "Untuk indikator bersumber modul lain satuannya %.", "An indicator read from another module is in %.")},
				{Name: "target", Label: "Target", Required: true, Placeholder: "90"},
				{Name: "direction", Label: ui.Tr(r, "Arah", "Direction"), Type: "select", Options: []ui.Option{
					{Value: "higher", Label: ui.Tr(r, "Makin tinggi makin baik", "Higher is better")}, {Value: "lower", Label: ui.Tr(r, "Makin rendah makin baik", "Lower is better")}}},
				{Name: "source", Label: ui.Tr(r, "Sumber data (opsional)", "Data source (optional)"), Type: "select", Options: srcOpts,
					Help: ui.Tr(r, "Capaian diambil dari modul itu setiap triwulan, tidak diketik.", "The achievement is read from that module each quarter, not typed.")},
				{Name: "description", Label: ui.Tr(r, "Uraian", "Description"), Type: "textarea", Max: 2000},
			}}))
	}
	actions := []ui.Link{{Label: ui.Tr(r, "Hasil evaluasi", "Evaluation result"), Href: "/result?year=" + strconv.Itoa(year)}}
	ui.Render(w, r, ui.Page{Title: fmt.Sprintf(ui.Tr(r, "Indikator Kinerja %d", "Performance indicators %d"), year), Status: status, Actions: actions, Body: out})
}

// pageAddIndicator stores the form's indicator through the API.
func pageAddIndicator(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		fail(w, r, sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "the form cannot be read"))
		return
	}
	f := r.PostForm
	year, _ := strconv.Atoi(f.Get("year"))
	in := IndicatorInput{Year: year, Name: f.Get("name"), Measure: f.Get("measure"), Source: f.Get("source"), Description: f.Get("description")}
	if t, ok := parseNumber(f.Get("target")); ok {
		in.Target = t
	}
	if f.Get("direction") == "lower" {
		no := false
		in.HigherIsBetter = &no
	}
	_, _, err := ui.CallAPI(r, createIndicator, "POST", nil, in)
	afterForm(w, r, err, func(status int, fields map[string]string, msg string) {
		renderIndicators(w, r, yearParam(r), status, f, fields, msg)
	},
		"/indicators?year="+strconv.Itoa(year), ui.Tr(r, "Indikator ditambahkan.", "Indicator added."))
}

// pageIndicator shows an indicator's quarters and the form reporting one.
func pageIndicator(w http.ResponseWriter, r *http.Request) {
	renderIndicator(w, r, 0, nil, nil, "")
}

func renderIndicator(w http.ResponseWriter, r *http.Request, status int, values url.Values, errs map[string]string, msg string) {
	renderIndicatorWith(w, r, status, values, errs, msg, nil, nil)
}

// renderIndicatorWith shows the indicator page with the report form's
// values and errors, and the change form's.
func renderIndicatorWith(w http.ResponseWriter, r *http.Request, status int, values url.Values, errs map[string]string, msg string, changeValues url.Values, changeErrs map[string]string) {
	req := sdk.From(r)
	ind, err := ui.Answer[IndicatorView](r, getIndicator) // the page's {id} is the API's
	if err != nil {
		fail(w, r, err)
		return
	}
	dir := ui.Tr(r, "makin tinggi makin baik", "higher is better")
	if !ind.HigherIsBetter {
		dir = ui.Tr(r, "makin rendah makin baik", "lower is better")
	}
	pairs := [][2]string{{ui.Tr(r, "Tahun", "Year"), strconv.Itoa(ind.Year)}, {"Target", num(ind.Target) + " " + ind.Measure}, {ui.Tr(r, "Arah", "Direction"), dir}}
	if s, ok := sourceOf(ind.Source); ok {
		pairs = append(pairs, [2]string{ui.Tr(r, "Sumber", "Source"), sourceLabel(r, s) + " (" + s.Module + ")"})
	}
	if ind.Description != "" {
		pairs = append(pairs, [2]string{ui.Tr(r, "Uraian", "Description"), ind.Description})
	}
	rows := []ui.Row{}
	for _, a := range ind.Achievements {
		real := num(a.Realisation) + " " + ind.Measure
		if a.Denominator != nil && a.Numerator != nil {
			real += fmt.Sprintf(" (%s/%s, %s – %s)", num(*a.Numerator), num(*a.Denominator), ui.DateOnly(a.PeriodFrom), ui.DateOnly(a.PeriodTo))
		}
		evidence := ui.Node(ui.Cell("–"))
		if a.Evidence != nil {
			evidence = ui.A(a.Evidence.Name, "/achievements/"+a.ID+"/evidence")
		}
		rows = append(rows, ui.Row{Cells: []ui.Node{ui.Cell(fmt.Sprintf(ui.Tr(r, "Triwulan %d", "Quarter %d"), a.Quarter)), ui.Cell(real),
			ui.Cell(pct(a.Percent)), ui.Cell(a.Note), evidence, ui.Cell(ui.DateTime(r, a.RecordedAt))}})
	}
	out := []ui.Node{
		ui.DefinitionList(pairs...),
		ui.Table{Columns: []ui.Column{{Key: "quarter", Label: ui.Tr(r, "Triwulan", "Quarter")}, {Key: "realisation", Label: ui.Tr(r, "Realisasi", "Realisation")},
			{Key: "percent", Label: ui.Tr(r, "Capaian", "Achievement")}, {Key: "note", Label: ui.Tr(r, "Catatan", "Note")},
			{Key: "evidence", Label: ui.Tr(r, "Bukti", "Evidence")}, {Key: "at", Label: ui.Tr(r, "Dicatat", "Recorded")}},
			Rows: rows, Empty: ui.Tr(r, "Belum ada capaian yang dilaporkan.", "No achievement reported yet.")},
	}
	if req.Can(permReport) && ind.Unit == req.Tenant {
		fields := []ui.Field{{Name: "quarter", Label: ui.Tr(r, "Triwulan", "Quarter"), Type: "select", Options: quarterOptions(r, false), Required: true}}
		help := ui.Tr(r, "Laporan ulang untuk triwulan yang sama menggantikan yang lama.", "Reporting a quarter again replaces the earlier report.")
		if ind.Source == "" {
			fields = append(fields, ui.Field{Name: "realisation", Label: ui.Tr(r, "Realisasi", "Realisation") + " (" + ind.Measure + ")", Required: true, Placeholder: "87,5"})
		} else {
			help = ui.Tr(r, "Realisasi diambil dari modul sumber saat disimpan, dengan pembilang dan penyebutnya.", "The realisation is read from the source module when saved, with its numerator and denominator.") + " " + help
		}
		fields = append(fields,
			ui.Field{Name: "note", Label: ui.Tr(r, "Catatan", "Note"), Type: "textarea", Max: 2000},
			ui.Field{Name: "evidence", Label: ui.Tr(r, "Bukti dukung (PDF/foto, maks. 5 MB)", "Evidence (PDF/photo, max. 5 MB)"), Type: "file", Accept: "application/pdf,image/jpeg,image/png,image/webp"})
		out = append(out, ui.Section(ui.Tr(r, "Laporkan capaian", "Report an achievement"), ui.Muted(help),
			ui.Form{Action: "/indicators/" + ind.ID + "/achievements", Submit: ui.Tr(r, "Simpan capaian", "Save achievement"), Multipart: true,
				Fields: fields, Values: values, Errors: errs, Error: msg}))
	}
	if req.Can(permReport) && ind.Unit == req.Tenant {
		cv := changeValues
		if cv == nil {
			cv = url.Values{"name": {ind.Name}, "target": {num(ind.Target)}, "description": {ind.Description}}
		}
		out = append(out, ui.Section(ui.Tr(r, "Ubah indikator", "Change the indicator"),
			ui.Muted(ui.Tr(r, "Capaian triwulan yang sudah dilaporkan dihitung ulang dengan target baru.", "Reported quarters are recomputed against the new target.")),
			ui.Form{Action: "/indicators/" + ind.ID, Submit: ui.Tr(r, "Simpan perubahan", "Save changes"), Values: cv, Errors: changeErrs, Fields: []ui.Field{
				{Name: "name", Label: ui.Tr(r, "Nama indikator", "Indicator name"), Required: true, Max: 300},
				{Name: "target", Label: "Target (" + ind.Measure + ")", Required: true},
				{Name: "description", Label: ui.Tr(r, "Uraian", "Description"), Type: "textarea", Max: 2000},
			}}))
	}
	ui.Render(w, r, ui.Page{Title: ind.Name, Status: status, Actions: []ui.Link{{Label: ui.Tr(r, "Semua indikator", "All indicators"), Href: "/indicators?year=" + strconv.Itoa(ind.Year)}}, Body: out})
}

// pageChangeIndicator changes the indicator's name, target and
// description through PATCH's handler.
func pageChangeIndicator(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		fail(w, r, sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "the form cannot be read"))
		return
	}
	f := r.PostForm
	name, desc := f.Get("name"), f.Get("description")
	p := IndicatorPatch{Name: &name, Description: &desc}
	target, ok := parseNumber(f.Get("target"))
	if !ok {
		target = -1 // refused by the API's rule, under its field
	}
	p.Target = &target
	_, _, err := ui.CallAPI(r, patchIndicator, "PATCH", nil, p, "id", r.PathValue("id"))
	afterForm(w, r, err, func(status int, fields map[string]string, msg string) {
		renderIndicatorWith(w, r, status, nil, nil, "", f, fields)
	}, "/indicators/"+r.PathValue("id"), ui.Tr(r, "Indikator diubah.", "Indicator changed."))
}

// pageReport takes the achievement form (multipart, with the evidence)
// through the API's own handler.
func pageReport(w http.ResponseWriter, r *http.Request) {
	_, _, err := postAchievement(r)
	afterForm(w, r, err, func(status int, fields map[string]string, msg string) {
		renderIndicator(w, r, status, r.PostForm, fields, msg)
	},
		"/indicators/"+r.PathValue("id"), ui.Tr(r, "Capaian disimpan.", "Achievement saved."))
}

// worksheetValues turns a worksheet into the form's values.
func worksheetValues(ws Worksheet) url.Values {
	v := url.Values{}
	for _, c := range components {
		comp := c.get(&ws)
		for _, s := range subs {
			cr := s.get(comp)
			k := c.Key + "." + s.Key
			if cr.Score != nil {
				v.Set(k+".score", num(*cr.Score))
			}
			v.Set(k+".evidence", cr.Evidence)
			v.Set(k+".note", cr.Note)
		}
	}
	v.Set("recommendations", strings.Join(ws.Recommendations, "\n"))
	v.Set("summary", ws.Summary)
	return v
}

// worksheetFromForm reads the worksheet form; a score that is not a
// number is a field error.
func worksheetFromForm(f url.Values) (Worksheet, error) {
	var ws Worksheet
	for _, c := range components {
		comp := c.get(&ws)
		for _, s := range subs {
			cr := s.get(comp)
			k := c.Key + "." + s.Key
			if raw := strings.TrimSpace(f.Get(k + ".score")); raw != "" {
				v, ok := parseNumber(raw)
				if !ok {
					return ws, fieldErr(codeInvalidScore, k+".score", "%s score must be a number from 0 to 100", k)
				}
				cr.Score = &v
			}
			cr.Evidence, cr.Note = f.Get(k+".evidence"), f.Get(k+".note")
		}
	}
	for _, line := range strings.Split(f.Get("recommendations"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			ws.Recommendations = append(ws.Recommendations, line)
		}
	}
	ws.Summary = f.Get("summary")
	return ws, nil
}

// pageWorksheet is the evaluator's worksheet of a unit and year, at the
// regency: a form while it is a draft, the result once published.
func pageWorksheet(w http.ResponseWriter, r *http.Request) {
	renderWorksheet(w, r, 0, nil, nil, "")
}

func renderWorksheet(w http.ResponseWriter, r *http.Request, status int, values url.Values, errs map[string]string, msg string) {
	req := sdk.From(r)
	year, unit := r.PathValue("year"), r.PathValue("unit")
	ev, err := ui.Answer[EvaluationView](r, getEvaluation) // the page's {year}, {unit} are the API's
	var v *EvaluationView
	if err == nil {
		v = &ev
	} else if errCode(err) != codeEvaluationNotFound {
		fail(w, r, err)
		return
	}
	name := unit
	if v != nil && v.UnitName != "" {
		name = v.UnitName + " (" + unit + ")"
	}
	title := fmt.Sprintf(ui.Tr(r, "Lembar Kerja Evaluasi %s — %s", "Evaluation worksheet %s — %s"), year, name)
	out := []ui.Node{}
	if v != nil {
		pairs := [][2]string{{ui.Tr(r, "Status", "State"), map[string]string{StateDraft: ui.Tr(r, "Draf", "Draft"), StateFinal: ui.Tr(r, "Diterbitkan", "Published")}[v.State]}}
		if v.Score != nil {
			pairs = append(pairs, [2]string{ui.Tr(r, "Nilai", "Score"), score2(*v.Score)}, [2]string{ui.Tr(r, "Predikat", "Grade"), v.Grade + " (" + v.GradeName + ")"})
		} else {
			pairs = append(pairs, [2]string{ui.Tr(r, "Nilai sementara", "Partial score"), score2(v.PartialScore)})
		}
		for _, c := range v.Components {
			pairs = append(pairs, [2]string{ui.Tr(r, c.Name, c.NameEN) + fmt.Sprintf(" (%s %%)", num(c.Weight)), score2(c.Score)})
		}
		out = append(out, ui.DefinitionList(pairs...))
	}
	editable := req.Can(permEvaluate) && req.Level == sdk.Regency && (v == nil || v.State == StateDraft)
	if editable {
		if values == nil {
			values = url.Values{}
			if v != nil {
				values = worksheetValues(v.Worksheet)
			}
		}
		var fields []ui.Field
		for _, c := range components {
			for _, s := range subs {
				k := c.Key + "." + s.Key
				label := ui.Tr(r, c.Name+" — "+s.Name, c.NameEN+" — "+s.NameEN) + fmt.Sprintf(" (%s %%)", num(float64(subWeight(c, s))/10))
				fields = append(fields,
					ui.Field{Name: k + ".score", Label: label + ui.Tr(r, ": nilai 0–100", ": score 0–100"), Placeholder: "0–100"},
					ui.Field{Name: k + ".evidence", Label: ui.Tr(r, "Bukti yang diperiksa", "Evidence examined"), Max: 2000},
					ui.Field{Name: k + ".note", Label: ui.Tr(r, "Catatan", "Note"), Max: 2000})
			}
		}
		fields = append(fields,
			ui.Field{Name: "recommendations", Label: ui.Tr(r, "Rekomendasi (satu per baris)", "Recommendations (one per line)"), Type: "textarea"},
			ui.Field{Name: "summary", Label: ui.Tr(r, "Simpulan", "Summary"), Type: "textarea", Max: 4000})
		out = append(out, ui.Section(ui.Tr(r, "Penilaian (PermenPAN-RB 88/2021)", "Scoring (PermenPAN-RB 88/2021)"),
			ui.Form{Action: "/worksheet/" + year + "/" + unit, Submit: ui.Tr(r, "Simpan draf", "Save draft"), Fields: fields, Values: values, Errors: errs, Error: msg}))
		if v != nil && v.Complete {
			out = append(out, ui.Section(ui.Tr(r, "Terbitkan", "Publish"),
				ui.Muted(ui.Tr(r, "Setelah diterbitkan, hasil dan rekomendasi dikirim ke unit dan tidak dapat diubah.", "Once published, the result and recommendations go to the unit and cannot be changed.")),
				ui.Form{Action: "/worksheet/" + year + "/" + unit + "/publish", Submit: ui.Tr(r, "Terbitkan hasil evaluasi", "Publish the evaluation"),
					Confirm: ui.Tr(r, "Terbitkan hasil evaluasi ini? Hasil tidak dapat diubah lagi.", "Publish this evaluation? It cannot be changed afterwards.")}))
		}
	} else if v != nil {
		out = append(out, worksheetDetail(r, v)...)
		if len(v.Recommendations) > 0 {
			// The unit's answers, beside the worksheet they follow from.
			rows := []ui.Row{}
			for _, rc := range v.Recommendations {
				rows = append(rows, ui.Row{Cells: []ui.Node{ui.Cell(strconv.Itoa(rc.Number)), ui.Cell(rc.Text), recStatusBadge(r, rc.Status), ui.Cell(rc.Response)}})
			}
			out = append(out, ui.Section(ui.Tr(r, "Rekomendasi dan tanggapan unit", "Recommendations and the unit's responses"),
				ui.Table{Columns: []ui.Column{{Key: "n", Label: "No."}, {Key: "text", Label: ui.Tr(r, "Rekomendasi", "Recommendation")},
					{Key: "status", Label: "Status"}, {Key: "response", Label: ui.Tr(r, "Tanggapan", "Response")}}, Rows: rows}))
		}
	} else {
		out = append(out, ui.Muted(ui.Tr(r, "Belum ada lembar kerja evaluasi untuk unit ini.", "No evaluation worksheet for this unit yet.")))
	}
	ui.Render(w, r, ui.Page{Title: title, Status: status, Actions: []ui.Link{{Label: ui.Tr(r, "Tabel unit", "Units' table"), Href: "/table?year=" + year}}, Body: out})
}

// worksheetDetail shows a worksheet's scores, evidence and notes and its
// recommendations with the unit's responses.
func worksheetDetail(r *http.Request, v *EvaluationView) []ui.Node {
	rows := []ui.Row{}
	for _, c := range components {
		comp := c.get(&v.Worksheet)
		for _, s := range subs {
			cr := s.get(comp)
			sc := "–"
			if cr.Score != nil {
				sc = num(*cr.Score)
			}
			rows = append(rows, ui.Row{Cells: []ui.Node{ui.Cell(ui.Tr(r, c.Name, c.NameEN)), ui.Cell(ui.Tr(r, s.Name, s.NameEN)), ui.Cell(sc), ui.Cell(cr.Evidence), ui.Cell(cr.Note)}})
		}
	}
	out := []ui.Node{ui.Table{Columns: []ui.Column{{Key: "c", Label: ui.Tr(r, "Komponen", "Component")}, {Key: "s", Label: ui.Tr(r, "Sub-komponen", "Sub-component")},
		{Key: "score", Label: ui.Tr(r, "Nilai", "Score")}, {Key: "evidence", Label: ui.Tr(r, "Bukti", "Evidence")}, {Key: "note", Label: ui.Tr(r, "Catatan", "Note")}}, Rows: rows}}
	if v.Worksheet.Summary != "" {
		out = append(out, ui.Section(ui.Tr(r, "Simpulan", "Summary"), ui.Text(v.Worksheet.Summary)))
	}
	return out
}

// pageSaveWorksheet saves the worksheet form through PUT's handler.
func pageSaveWorksheet(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		fail(w, r, sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "the form cannot be read"))
		return
	}
	year, unit := r.PathValue("year"), r.PathValue("unit")
	ws, err := worksheetFromForm(r.PostForm)
	if err == nil {
		_, _, err = ui.CallAPI(r, putEvaluation, "PUT", nil, ws, "year", year, "unit", unit)
	}
	afterForm(w, r, err, func(status int, fields map[string]string, msg string) {
		renderWorksheet(w, r, status, r.PostForm, fields, msg)
	},
		"/worksheet/"+year+"/"+unit, ui.Tr(r, "Lembar kerja disimpan.", "Worksheet saved."))
}

// pagePublish publishes the worksheet.
func pagePublish(w http.ResponseWriter, r *http.Request) {
	year, unit := r.PathValue("year"), r.PathValue("unit")
	form := ui.Form{Action: "/worksheet/" + year + "/" + unit + "/publish", Submit: ui.Tr(r, "Terbitkan hasil evaluasi", "Publish the evaluation"),
		Confirm: ui.Tr(r, "Terbitkan hasil evaluasi ini? Hasil tidak dapat diubah lagi.", "Publish this evaluation? It cannot be changed afterwards.")}
	if !ui.Confirm(w, r, form) {
		return
	}
	_, body, err := ui.CallAPI(r, publishEvaluation, "POST", nil, nil, "year", year, "unit", unit)
	if err != nil {
		if _, msg, _, ok := pageErrors.Client(r, err); ok {
			ui.Redirect(w, r, "/worksheet/"+year+"/"+unit, "error", msg)
			return
		}
		fail(w, r, err)
		return
	}
	v := body.(EvaluationView)
	ui.Redirect(w, r, "/worksheet/"+year+"/"+unit, "success", fmt.Sprintf(ui.Tr(r, "Hasil evaluasi diterbitkan: %s (%s).", "Evaluation published: %s (%s)."), v.Grade, score2(*v.Score)))
}

// pageResult is the unit's published evaluation and its recommendations,
// each with the form answering it.
func pageResult(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	year := yearParam(r)
	title := fmt.Sprintf(ui.Tr(r, "Hasil Evaluasi %d", "Evaluation result %d"), year)
	_, body, err := ui.CallAPI(r, getEvaluation, "GET", nil, nil, "year", strconv.Itoa(year), "unit", req.Tenant)
	if errCode(err) == codeEvaluationNotFound {
		ui.Render(w, r, ui.Page{Title: title, Body: []ui.Node{
			ui.Table{Filters: []ui.Field{{Name: "year", Label: ui.Tr(r, "Tahun", "Year"), Type: "select", Options: yearOptions(r)}}, Columns: []ui.Column{{Key: "x", Label: "-"}},
				Empty: ui.Tr(r, "Hasil evaluasi tahun ini belum diterbitkan.", "This year's evaluation has not been published yet.")}}})
		return
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	v := body.(EvaluationView)
	out := []ui.Node{ui.DefinitionList([2]string{ui.Tr(r, "Nilai", "Score"), score2(*v.Score)}, [2]string{ui.Tr(r, "Predikat", "Grade"), v.Grade + " (" + v.GradeName + ")"})}
	out = append(out, worksheetDetail(r, &v)...)
	for _, rc := range v.Recommendations {
		sec := []ui.Node{ui.Text(rc.Text), recStatusBadge(r, rc.Status)}
		if rc.Response != "" {
			sec = append(sec, ui.DefinitionList([2]string{ui.Tr(r, "Tanggapan", "Response"), rc.Response}, [2]string{ui.Tr(r, "Oleh", "By"), rc.RespondedBy}))
		}
		if req.Can(permRespond) && rc.Unit == req.Tenant {
			// One form per recommendation: the prefix keeps each form's
			// ids (and so its labels) its own; the hidden year brings a
			// refused answer back to this year's page.
			sec = append(sec, ui.Form{Action: "/recommendations/" + rc.ID, Submit: ui.Tr(r, "Kirim tanggapan", "Send response"), IDPrefix: fmt.Sprintf("rec%d-", rc.Number),
				Values: url.Values{"response": {rc.Response}, "status": {rc.Status}, "year": {strconv.Itoa(year)}}, Fields: []ui.Field{
					{Name: "year", Type: "hidden"},
					{Name: "response", Label: ui.Tr(r, "Tanggapan / tindak lanjut", "Response / follow-up"), Type: "textarea", Required: true, Max: 2000},
					{Name: "status", Label: "Status", Type: "select", Required: true, Options: []ui.Option{{Value: RecPlanned, Label: ui.Tr(r, "Direncanakan", "Planned")}, {Value: RecDone, Label: ui.Tr(r, "Selesai", "Done")}}},
				}})
		}
		out = append(out, ui.Section(fmt.Sprintf(ui.Tr(r, "Rekomendasi %d", "Recommendation %d"), rc.Number), sec...))
	}
	ui.Render(w, r, ui.Page{Title: title, Body: out})
}

// recStatusBadge shows a recommendation's status.
func recStatusBadge(r *http.Request, status string) ui.Node {
	label := map[string]string{RecOpen: ui.Tr(r, "Belum ditanggapi", "Not answered"), RecPlanned: ui.Tr(r, "Direncanakan", "Planned"), RecDone: ui.Tr(r, "Selesai", "Done")}[status]
	return ui.Badge(map[string]string{RecOpen: "warning", RecPlanned: "info", RecDone: "success"}[status], label)
}

// pageRespond answers a recommendation.
func pageRespond(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		fail(w, r, sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "the form cannot be read"))
		return
	}
	in := ResponseInput{Response: r.PostForm.Get("response"), Status: r.PostForm.Get("status")}
	_, body, err := ui.CallAPI(r, respondRecommendation, "POST", nil, in, "id", r.PathValue("id"))
	if err != nil {
		if _, msg, _, ok := pageErrors.Client(r, err); ok {
			back := "/result"
			if y, err := parseYear(r.PostForm.Get("year"), http.StatusBadRequest); err == nil {
				back += "?year=" + strconv.Itoa(y) // the year the user was on
			}
			ui.Redirect(w, r, back, "error", msg)
			return
		}
		fail(w, r, err)
		return
	}
	rc := body.(RecommendationView)
	ui.Redirect(w, r, "/result?year="+strconv.Itoa(rc.Year), "success", ui.Tr(r, "Tanggapan disimpan.", "Response saved."))
}

// widget is the dashboard's: a unit's last published grade, or a
// region's count per grade this year.
func widget(w http.ResponseWriter, r *http.Request) {
	year := thisYear(r)
	s, err := ui.Answer[Scores](ui.WithQuery(r, "year", strconv.Itoa(year), "page", "", "limit", ""), scores)
	if err != nil {
		fail(w, r, err)
		return
	}
	var out []ui.Node
	if s.Total == 0 {
		out = append(out, ui.Text(fmt.Sprintf(ui.Tr(r, "Belum ada hasil evaluasi %d yang diterbitkan.", "No %d evaluation published yet."), year)))
	} else {
		var parts []string
		for _, g := range gradeCodes() {
			if s.Counts[g] > 0 {
				parts = append(parts, fmt.Sprintf("%s: %d", g, s.Counts[g]))
			}
		}
		out = append(out, ui.Text(fmt.Sprintf(ui.Tr(r, "Hasil evaluasi %d: %s.", "Evaluations %d: %s."), year, strings.Join(parts, ", "))))
	}
	out = append(out, ui.A(ui.Tr(r, "Buka evaluasi kinerja", "Open performance evaluation"), "/home"))
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Evaluasi Kinerja", "Performance evaluation"), Body: out})
}
