package main

// The population register's screens (issue 12): console pages written with
// sdk/ui. Every screen reads and writes through the API handlers' own
// functions (listResidents, createResident, postEvent, runImport, stats,
// ...), called with the page's request, so that a rule lives in one place
// and the host's checks, masking and audit are the API's. A page shows
// what those functions answer: NIKs and KKs come masked by the host to a
// caller without read_personal, and are shown masked.

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

// pages are the module's console screens.
var pages = []sdk.PageRoute{
	{Method: "GET", Path: "/residents", Permission: permRead, Handler: http.HandlerFunc(pageResidents),
		Menu: &sdk.MenuEntry{Label: "Penduduk", LabelEN: "Residents", Icon: "users", Order: 10}},
	{Method: "GET", Path: "/residents/{id}", Permission: permRead, Handler: http.HandlerFunc(pageResident)},
	{Method: "GET", Path: "/residents/{id}/family", Permission: permRead, Handler: http.HandlerFunc(pageResidentFamily)},
	{Method: "GET", Path: "/residents/{id}/death", Permission: permWrite, Handler: http.HandlerFunc(pageDeath)},
	{Method: "POST", Path: "/residents/{id}/death", Permission: permWrite, Handler: http.HandlerFunc(pageDeath)},
	{Method: "GET", Path: "/residents/{id}/move", Permission: permWrite, Handler: http.HandlerFunc(pageMove)},
	{Method: "POST", Path: "/residents/{id}/move", Permission: permWrite, Handler: http.HandlerFunc(pageMove)},
	{Method: "GET", Path: "/families", Permission: permRead, Handler: http.HandlerFunc(pageFamilies),
		Menu: &sdk.MenuEntry{Label: "Keluarga", LabelEN: "Families", Icon: "home", Order: 20}},
	// A family is found by its full KK in a POST, so that the number
	// stays out of URLs (and the logs and histories that keep them).
	{Method: "POST", Path: "/families", Permission: permRead, Handler: http.HandlerFunc(pageFamilies)},
	{Method: "GET", Path: "/families/new", Permission: permWrite, Handler: http.HandlerFunc(pageNewFamily)},
	{Method: "POST", Path: "/families/new", Permission: permWrite, Handler: http.HandlerFunc(pageNewFamily)},
	{Method: "GET", Path: "/residents/{id}/edit", Permission: permWrite, Handler: http.HandlerFunc(pageEditResident)},
	{Method: "POST", Path: "/residents/{id}/edit", Permission: permWrite, Handler: http.HandlerFunc(pageEditResident)},
	{Method: "GET", Path: "/residents/{id}/family/head", Permission: permWrite, Handler: http.HandlerFunc(pageChangeHead)},
	{Method: "POST", Path: "/residents/{id}/family/head", Permission: permWrite, Handler: http.HandlerFunc(pageChangeHead)},
	{Method: "GET", Path: "/residents/{id}/family/split", Permission: permWrite, Handler: http.HandlerFunc(pageSplit)},
	{Method: "POST", Path: "/residents/{id}/family/split", Permission: permWrite, Handler: http.HandlerFunc(pageSplit)},
	{Method: "GET", Path: "/arrivals/new", Permission: permWrite, Handler: http.HandlerFunc(pageArrival)},
	{Method: "POST", Path: "/arrivals/new", Permission: permWrite, Handler: http.HandlerFunc(pageArrival)},
	{Method: "GET", Path: "/families/members/new", Permission: permWrite, Handler: http.HandlerFunc(pageAddMembers)},
	{Method: "POST", Path: "/families/members/new", Permission: permWrite, Handler: http.HandlerFunc(pageAddMembers)},
	{Method: "GET", Path: "/births/new", Permission: permWrite, Handler: http.HandlerFunc(pageBirth)},
	{Method: "POST", Path: "/births/new", Permission: permWrite, Handler: http.HandlerFunc(pageBirth)},
	{Method: "GET", Path: "/import", Permission: permWrite, Handler: http.HandlerFunc(pageImport),
		Menu: &sdk.MenuEntry{Label: "Impor", LabelEN: "Import", Icon: "upload", Order: 30}},
	{Method: "POST", Path: "/import", Permission: permWrite, MaxBodyBytes: 64 << 20, Handler: http.HandlerFunc(pageImport)},
	// The rejects file: the API's own handler, answered as a download.
	{Method: "GET", Path: "/import/rejects/{id}", Permission: permWrite, Handler: http.HandlerFunc(pageRejects)},
	{Method: "GET", Path: "/import/contoh.csv", Permission: permWrite, Handler: http.HandlerFunc(pageSampleCSV)},
	{Method: "GET", Path: "/stats", Permission: permRead, Handler: http.HandlerFunc(pageStats),
		Menu: &sdk.MenuEntry{Label: "Statistik", LabelEN: "Statistics", Icon: "chart", Order: 40}},
	// The public home's summary (ui_public.go).
	{Method: "GET", Path: "/summary", Public: true, Widget: true, Handler: http.HandlerFunc(pagePublicSummary)},
}

// codeField is the form field an API error code is about, so that a 422
// shows beside the field at fault.
var codeField = map[sdk.Code]string{
	codeInvalidNIK: "nik", codeDuplicateNIK: "nik", codeInvalidKK: "kk", codeUnknownFamily: "kk", codeFamilyExists: "kk",
	codeInvalidSex: "sex", codeInvalidBirthDate: "birth_date", codeInvalidName: "name",
	codeInvalidMotherName: "mother_name", codeInvalidBirthPlace: "birth_place", codeInvalidAddress: "address",
	codeInvalidDusun: "dusun", codeInvalidRT: "rt", codeInvalidRW: "rw", codeInvalidReligion: "religion",
	codeInvalidEducation: "education", codeInvalidOccupation: "occupation", codeInvalidMarital: "marital_status",
	codeInvalidRelationship: "relationship", codeRelationshipSex: "relationship", codeDuplicateHead: "relationship",
	codeInvalidBloodType: "blood_type", codeInvalidDate: "date", codeInvalidPlace: "place", codeInvalidCause: "cause",
	codeInvalidNote: "note", codeInvalidDestination: "to_tenant", codeUnknownDestination: "to_tenant",
	codeInvalidFile: "file", codeInvalidCSV: "file", codeInvalidFormat: "file",
	codeInvalidHeadID: "head_id", codeInvalidOrigin: "origin", codeInvalidMembers: "head_id",
}

// formErrors splits an API error into field errors and a message for the
// top of the form; ok is false for an error that is not the caller's (a
// storage failure), which the page answers as such.
func formErrors(r *http.Request, err error) (fields map[string]string, msg string, status int, ok bool) {
	var se *sdk.Error
	if !errors.As(err, &se) || se.Status >= 500 {
		return nil, "", 0, false
	}
	text := idMessage(r, err)
	field := se.Field
	if f, found := codeField[se.Code]; found {
		field = f
	}
	fields = map[string]string{}
	if field != "" {
		fields[field] = text
	}
	return fields, text, se.Status, true
}

// saved ends a write screen's POST after the API's call: when it
// succeeded (err nil), on to next with the success flash; else the form
// again with err (showFormError, with before and moved).
func saved(w http.ResponseWriter, r *http.Request, err error, next, flash, title string, form ui.Form, before []ui.Node, moved ...string) {
	if err == nil {
		ui.Redirect(w, r, next, "success", flash)
		return
	}
	showFormError(w, r, title, form, err, before, moved...)
}

// showFormError shows form again under title, after the nodes in before,
// with err beside its field and in the form's summary, at err's status; an
// error that is not the client's fails the page instead. moved copies the
// message of a field the API names to the form's own field, in from, to
// pairs (the API's "birth_date" is a birth form's "date").
func showFormError(w http.ResponseWriter, r *http.Request, title string, form ui.Form, err error, before []ui.Node, moved ...string) {
	fe, msg, st, ok := formErrors(r, err)
	if !ok {
		fail(w, r, err)
		return
	}
	for i := 0; i+1 < len(moved); i += 2 {
		if m, found := fe[moved[i]]; found {
			fe[moved[i+1]] = m
		}
	}
	form.Errors, form.Error = fe, msg
	ui.Render(w, r, ui.Page{Title: title, Status: st, Body: append(before, form)})
}

// fail answers an error the page cannot show in a form: the host renders
// errors of its own; this one is the plugin's, shown as a plain page.
func fail(w http.ResponseWriter, r *http.Request, err error) {
	var se *sdk.Error
	status, msg := http.StatusInternalServerError, ui.Tr(r, "Terjadi kesalahan. Coba lagi nanti.", "Something went wrong. Try again later.")
	if errors.As(err, &se) && se.Status < 500 {
		status, msg = se.Status, idMessage(r, err)
	}
	ui.ErrorPage(w, r, ui.Tr(r, "Kesalahan", "Error"), status, msg)
}

// options turns a Dukcapil code list into select options (ui's select
// leads them with an empty choice).
func options(list string) []ui.Option {
	out := []ui.Option{}
	for _, c := range codeLists[list] {
		out = append(out, ui.Option{Value: c.Code, Label: c.Name})
	}
	return out
}

func sexOptions(r *http.Request) []ui.Option {
	return []ui.Option{{Value: "L", Label: ui.Tr(r, "Laki-laki", "Male")}, {Value: "P", Label: ui.Tr(r, "Perempuan", "Female")}}
}

func statusOptions(r *http.Request) []ui.Option {
	return []ui.Option{{Value: StatusAlive, Label: ui.Tr(r, "Hidup", "Alive")}, {Value: StatusDeceased, Label: ui.Tr(r, "Meninggal", "Deceased")},
		{Value: StatusMoved, Label: ui.Tr(r, "Pindah", "Moved")}, {Value: StatusMissing, Label: ui.Tr(r, "Hilang", "Missing")}}
}

// statusBadge shows a resident's status.
func statusBadge(r *http.Request, status string) ui.Node {
	switch status {
	case StatusAlive:
		return ui.Badge("success", ui.Tr(r, "Hidup", "Alive"))
	case StatusDeceased:
		return ui.Badge("neutral", ui.Tr(r, "Meninggal", "Deceased"))
	case StatusMoved:
		return ui.Badge("info", ui.Tr(r, "Pindah", "Moved"))
	case StatusMissing:
		return ui.Badge("warning", ui.Tr(r, "Hilang", "Missing"))
	}
	return ui.Cell(status)
}

func sexName(r *http.Request, s string) string {
	switch s {
	case "L":
		return ui.Tr(r, "Laki-laki", "Male")
	case "P":
		return ui.Tr(r, "Perempuan", "Female")
	}
	return s
}

// pageResidents is the register: search by name (and by NIK or KK for
// those who may look numbers up), filters, paging.
func pageResidents(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	in := r.URL.Query()
	q := url.Values{}
	for _, k := range []string{"q", "sex", "status", "rt", "rw", "dusun", "page"} {
		if v := strings.TrimSpace(in.Get(k)); v != "" {
			q.Set(k, v)
		}
	}
	lookup := req.Can(permLookup) || req.Can(permPersonal)
	if lookup {
		for _, k := range []string{"nik", "kk"} {
			if v := strings.TrimSpace(in.Get(k)); v != "" {
				q.Set(k, v)
			}
		}
	}
	const limit = 25
	q.Set("limit", strconv.Itoa(limit))
	filters := []ui.Field{
		{Name: "q", Label: ui.Tr(r, "Nama", "Name"), Type: "text", Max: 200},
		{Name: "sex", Label: ui.Tr(r, "Jenis kelamin", "Sex"), Type: "select", Options: sexOptions(r)},
		{Name: "rt", Label: "RT", Type: "text", Digits: true, Max: 3},
		{Name: "rw", Label: "RW", Type: "text", Digits: true, Max: 3},
		{Name: "status", Label: ui.Tr(r, "Status", "Status"), Type: "select", Options: statusOptions(r)},
	}
	if lookup {
		filters = append([]ui.Field{{Name: "nik", Label: "NIK", Type: "text", Digits: true, Max: 16,
			Help: ui.Tr(r, "NIK lengkap 16 digit (pencarian dicatat)", "The full 16-digit NIK (searches are audited)")}}, filters...)
	}
	body := []ui.Node{}
	var list sdk.ListOf[residentView]
	_, v, err := ui.CallAPI(r, listResidents, "GET", q, nil)
	if err != nil {
		_, msg, _, ok := formErrors(r, err)
		if !ok {
			fail(w, r, err)
			return
		}
		body = append(body, ui.Alert(msg))
	} else {
		list = v.(sdk.ListOf[residentView])
	}
	rows := make([]ui.Row, 0, len(list.Items))
	for _, p := range list.Items {
		born := p.BirthDate
		if born == "" && p.BirthYear > 0 {
			born = strconv.Itoa(p.BirthYear)
		}
		nik := nikShown(r, p)
		rows = append(rows, ui.Row{Href: "/residents/" + url.PathEscape(p.ID), Cells: []ui.Node{
			ui.Cell(p.Name), ui.Cell(nik), ui.Cell(sexName(r, p.Sex)), ui.Cell(born),
			ui.Cell(strings.Trim(p.RT+"/"+p.RW, "/")), statusBadge(r, p.Status),
		}})
	}
	page, _ := strconv.Atoi(in.Get("page"))
	body = append(body, ui.Table{
		Columns: []ui.Column{{Key: "name", Label: ui.Tr(r, "Nama", "Name")}, {Key: "nik", Label: "NIK"},
			{Key: "sex", Label: ui.Tr(r, "Jenis kelamin", "Sex")}, {Key: "birth", Label: ui.Tr(r, "Lahir", "Born")},
			{Key: "rtrw", Label: "RT/RW"}, {Key: "status", Label: "Status"}},
		Rows: rows, Total: int(list.Total), Page: max(page, 1), Limit: limit, Filters: filters,
		Empty: ui.Tr(r, "Tidak ada penduduk yang cocok.", "No resident matches."),
	})
	var actions []ui.Link
	if req.Can(permWrite) && req.Level == sdk.Village {
		actions = []ui.Link{{Label: ui.Tr(r, "Daftarkan keluarga", "Register a family"), Href: "/families/new", Primary: true},
			{Label: ui.Tr(r, "Catat kelahiran", "Record a birth"), Href: "/births/new"},
			{Label: ui.Tr(r, "Catat pendatang", "Record an arrival"), Href: "/arrivals/new"}}
	} else if req.Can(permWrite) {
		body = append([]ui.Node{ui.Muted(ui.Tr(r, "Untuk mendaftarkan keluarga, kelahiran atau pendatang, buka desa/kelurahannya di pemilih wilayah.",
			"To register a family, a birth or an arrival, open the village in the region switcher."))}, body...)
	}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Penduduk", "Residents"), Actions: actions, Body: body})
}

// readResident reads one resident through getResident, as the API shows it.
func readResident(r *http.Request, id string) (residentView, error) {
	_, v, err := ui.CallAPI(r, getResident, "GET", nil, nil, "id", id)
	if err != nil {
		if errors.Is(err, sdk.ErrNotFound) {
			return residentView{}, sdk.Errorf(http.StatusNotFound, codeResidentNotFound, "%s", ui.Tr(r, "Penduduk tidak ditemukan", "No such resident"))
		}
		return residentView{}, err
	}
	return v.(residentView), nil
}

// codeLabel is a code's name in its Dukcapil list, or the code.
func codeLabel(list, c string) string {
	for _, x := range codeLists[list] {
		if x.Code == c {
			return x.Name
		}
	}
	return c
}

// pageResident is one resident's record.
func pageResident(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	p, err := readResident(r, r.PathValue("id"))
	if err != nil {
		fail(w, r, err)
		return
	}
	born := ui.DateOnly(p.BirthDate)
	if born == "" && p.BirthYear > 0 {
		born = strconv.Itoa(p.BirthYear)
	}
	pairs := [][2]string{
		{"NIK", nikShown(r, p)}, {ui.Tr(r, "Nomor KK", "Family card (KK)"), p.KK}, {ui.Tr(r, "Nama", "Name"), p.Name},
		{ui.Tr(r, "Jenis kelamin", "Sex"), sexName(r, p.Sex)}, {ui.Tr(r, "Tempat lahir", "Place of birth"), p.BirthPlace},
		{ui.Tr(r, "Tanggal/tahun lahir", "Date/year of birth"), born},
		{ui.Tr(r, "Hubungan keluarga", "Relationship"), codeLabel("relationship", p.Relationship)},
		{ui.Tr(r, "Agama", "Religion"), codeLabel("religion", p.Religion)},
		{ui.Tr(r, "Pendidikan", "Education"), codeLabel("education", p.Education)},
		{ui.Tr(r, "Pekerjaan", "Occupation"), codeLabel("occupation", p.Occupation)},
		{ui.Tr(r, "Status perkawinan", "Marital status"), codeLabel("marital_status", p.MaritalStatus)},
		{ui.Tr(r, "Alamat", "Address"), p.Address}, {"RT/RW", strings.Trim(p.RT+"/"+p.RW, "/")}, {"Dusun", p.Dusun},
	}
	if p.MotherName != "" {
		pairs = append(pairs, [2]string{ui.Tr(r, "Nama ibu kandung", "Mother's name"), p.MotherName})
	}
	// Fields never filled in are left out rather than shown blank.
	shown := pairs[:0]
	for _, kv := range pairs {
		if kv[1] != "" {
			shown = append(shown, kv)
		}
	}
	body := []ui.Node{statusBadge(r, p.Status), ui.DefinitionList(shown...)}
	if p.Masked {
		body = append(body, ui.HTML(`<p class="b-muted">`+escape(ui.Tr(r, "NIK dan KK disamarkan: Anda tidak berhak melihatnya utuh.", "NIK and KK are masked: you may not see them in full."))+`</p>`))
	}
	for _, wn := range p.NIKWarnings {
		body = append(body, ui.Badge("warning", wn.Message))
	}
	hist, err := historyTable(r, p.ID)
	if err != nil {
		fail(w, r, err)
		return
	}
	body = append(body, ui.Section(ui.Tr(r, "Riwayat", "History"), hist))
	var actions []ui.Link
	if !p.Masked {
		actions = append(actions, ui.Link{Label: ui.Tr(r, "Kartu keluarga", "Family card"), Href: "/residents/" + url.PathEscape(p.ID) + "/family"})
	}
	if req.Can(permWrite) && p.Status == StatusAlive && req.Level == sdk.Village {
		actions = append(actions,
			ui.Link{Label: ui.Tr(r, "Ubah data", "Edit"), Href: "/residents/" + url.PathEscape(p.ID) + "/edit"},
			ui.Link{Label: ui.Tr(r, "Catat kelahiran anak", "Record a child's birth"), Href: "/births/new?resident=" + url.QueryEscape(p.ID)},
			ui.Link{Label: ui.Tr(r, "Catat kematian", "Record a death"), Href: "/residents/" + url.PathEscape(p.ID) + "/death"},
			ui.Link{Label: ui.Tr(r, "Catat pindah", "Record a move"), Href: "/residents/" + url.PathEscape(p.ID) + "/move"})
	}
	ui.Render(w, r, ui.Page{Title: p.Name, Actions: actions, Body: body})
}

// familyCard renders a family (getFamily's answer) as its card: the KK
// and the members, head first.
func familyCard(r *http.Request, fam map[string]any) ui.Node {
	members, _ := fam["members"].([]residentView)
	rows := make([]ui.Row, 0, len(members))
	for _, m := range members {
		born := m.BirthDate
		if born == "" && m.BirthYear > 0 {
			born = strconv.Itoa(m.BirthYear)
		}
		rows = append(rows, ui.Row{Href: "/residents/" + url.PathEscape(m.ID), Cells: []ui.Node{
			ui.Cell(m.Name), ui.Cell(m.NIK), ui.Cell(codeLabel("relationship", m.Relationship)),
			ui.Cell(sexName(r, m.Sex)), ui.Cell(born)}})
	}
	// The address is the family's, from its records (the living head's,
	// a member's, or the late head's): the card shows it even when the
	// head has died.
	var addr [][2]string
	if home, _, err := familyHome(r, fmt.Sprint(fam["kk"])); err == nil {
		addr = [][2]string{{ui.Tr(r, "Alamat", "Address"), home.Address}, {"RT/RW", strings.Trim(home.RT+"/"+home.RW, "/")}, {"Dusun", home.Dusun}}
	}
	var notice ui.Node = ui.HTML("")
	hasHead := false
	for _, m := range members {
		if m.Relationship == headOfFamily {
			hasHead = true
		}
	}
	if !hasHead && len(members) > 0 {
		msg := escape(ui.Tr(r, "Keluarga ini tidak punya kepala keluarga yang hidup. Pilih kepala keluarga baru.",
			"This family has no living head. Choose a new head."))
		if sdk.From(r).Can(permWrite) && sdk.From(r).Level == sdk.Village {
			msg += ` <a id="choose-head" href="` + escape(ui.Href(r, "/residents/"+url.PathEscape(members[0].ID)+"/family/head")) + `">` +
				escape(ui.Tr(r, "Ganti kepala keluarga", "Change the head")) + `</a>`
		}
		notice = ui.HTML(`<p class="b-flash b-flash-warning" role="status" id="no-head">` + msg + `</p>`)
	}
	return ui.Section(ui.Tr(r, "Kartu Keluarga", "Family card")+" "+fmt.Sprint(fam["kk"]),
		notice,
		ui.DefinitionList(addr...),
		ui.Table{Columns: []ui.Column{{Key: "name", Label: ui.Tr(r, "Nama", "Name")}, {Key: "nik", Label: "NIK"},
			{Key: "rel", Label: ui.Tr(r, "Hubungan", "Relationship")}, {Key: "sex", Label: ui.Tr(r, "Jenis kelamin", "Sex")},
			{Key: "born", Label: ui.Tr(r, "Lahir", "Born")}}, Rows: rows, Total: len(rows),
			Empty: ui.Tr(r, "Tidak ada anggota yang hidup.", "No living member.")})
}

// pageResidentFamily is the family card of a resident's family, for a
// caller who sees the resident's KK in full (getFamily needs it).
func pageResidentFamily(w http.ResponseWriter, r *http.Request) {
	p, err := readResident(r, r.PathValue("id"))
	if err != nil {
		fail(w, r, err)
		return
	}
	if p.Masked {
		fail(w, r, sdk.Errorf(http.StatusForbidden, sdk.CodeForbidden, "%s", ui.Tr(r, "Kartu keluarga memuat NIK dan KK utuh: Anda tidak berhak melihatnya.", "The family card shows full NIKs and KKs, which you may not see.")))
		return
	}
	_, v, err := ui.CallAPI(r, getFamily, "GET", nil, nil, "kk", p.KK)
	if err != nil {
		fail(w, r, err)
		return
	}
	var actions []ui.Link
	if sdk.From(r).Can(permWrite) && sdk.From(r).Level == sdk.Village {
		id := url.PathEscape(p.ID)
		actions = []ui.Link{{Label: ui.Tr(r, "Catat kelahiran", "Record a birth"), Href: "/births/new?resident=" + url.QueryEscape(p.ID), Primary: true},
			{Label: ui.Tr(r, "Tambah anggota", "Add a member"), Href: "/families/members/new?resident=" + url.QueryEscape(p.ID)},
			{Label: ui.Tr(r, "Ganti kepala keluarga", "Change the head"), Href: "/residents/" + id + "/family/head"},
			{Label: ui.Tr(r, "Pecah KK", "Split the family"), Href: "/residents/" + id + "/family/split"}}
	}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Kartu Keluarga", "Family card"), Actions: actions, Body: []ui.Node{familyCard(r, v.(map[string]any))}})
}

// pageFamilies finds a family by its full KK (POST, so that the number
// stays out of URLs) and shows its card.
func pageFamilies(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	var actions []ui.Link
	if req.Can(permWrite) && req.Level == sdk.Village {
		actions = []ui.Link{{Label: ui.Tr(r, "Daftarkan keluarga", "Register a family"), Href: "/families/new", Primary: true}}
	}
	form := ui.Form{Action: "/families", Method: "POST", Submit: ui.Tr(r, "Cari", "Find"), Values: url.Values{},
		Fields: []ui.Field{{Name: "kk", Label: ui.Tr(r, "Nomor KK", "Family card number (KK)"), Type: "text", Digits: true, Required: true, Max: 16,
			Help: ui.Tr(r, "16 digit, dari kartu keluarga warga (pencarian dicatat)", "16 digits, from the citizen's family card (searches are audited)")}}}
	if !req.Can(permLookup) && !req.Can(permPersonal) {
		// getFamily would refuse it: the page says why instead.
		ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Keluarga", "Families"), Actions: actions, Body: []ui.Node{
			ui.Muted(ui.Tr(r, "Mencari keluarga dengan nomor KK memerlukan hak mencari NIK/KK.", "Finding a family by its KK needs the lookup permission."))}})
		return
	}
	body := []ui.Node{}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		if !parsedForm(w, r) {
			return
		}
		kk := strings.TrimSpace(r.PostForm.Get("kk"))
		form.Values.Set("kk", kk)
		_, v, err := ui.CallAPI(r, getFamily, "GET", nil, nil, "kk", kk)
		if err != nil {
			fields, msg, st, ok := formErrors(r, err)
			if !ok {
				fail(w, r, err)
				return
			}
			if errors.Is(err, sdk.Errorf(0, codeFamilyNotFound, "")) {
				fields = map[string]string{"kk": ui.Tr(r, "Keluarga tidak ditemukan di desa ini", "No such family in this village")}
			}
			if len(fields) == 0 {
				fields = map[string]string{"kk": msg}
			}
			form.Errors, status = fields, st
		} else {
			body = append(body, familyCard(r, v.(map[string]any)))
		}
	}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Keluarga", "Families"), Status: status, Actions: actions, Body: append([]ui.Node{form}, body...)})
}

// pageDeath records a resident's death.
func pageDeath(w http.ResponseWriter, r *http.Request) {
	lifeEventPage(w, r, EventDeath)
}

// pageMove records a resident's move.
func pageMove(w http.ResponseWriter, r *http.Request) {
	lifeEventPage(w, r, EventMoveOut)
}

// lifeEventPage records a death or a move (out of the deployment, or to
// another of its villages when a village code is given) through postEvent.
func lifeEventPage(w http.ResponseWriter, r *http.Request, typ string) {
	req := sdk.From(r)
	if !atVillage(w, r) {
		return
	}
	id := r.PathValue("id")
	p, err := readResident(r, id)
	if err != nil {
		fail(w, r, err)
		return
	}
	title := ui.Tr(r, "Catat kematian", "Record a death") + ": " + p.Name
	fields := []ui.Field{
		{Name: "date", Label: ui.Tr(r, "Tanggal meninggal", "Date of death"), Type: "date", Required: true},
		{Name: "place", Label: ui.Tr(r, "Tempat meninggal", "Place of death"), Type: "text", Max: 200},
		{Name: "cause", Label: ui.Tr(r, "Sebab", "Cause"), Type: "text", Max: 200},
		{Name: "note", Label: ui.Tr(r, "Catatan", "Note"), Type: "textarea", Max: 1000},
	}
	if typ != EventDeath {
		title = ui.Tr(r, "Catat pindah", "Record a move") + ": " + p.Name
		fields = []ui.Field{
			{Name: "date", Label: ui.Tr(r, "Tanggal pindah", "Date of the move"), Type: "date", Required: true},
			{Name: "to_tenant", Label: ui.Tr(r, "Kode desa tujuan (jika di wilayah ini)", "Destination village code (if in this deployment)"), Type: "text", Max: 13,
				Help: ui.Tr(r, "Kosongkan bila pindah ke luar wilayah: petugas desa tujuan mencatat kedatangannya. Isi kode desa (misalnya 14.01.01.2009) hanya bila Anda juga berhak mencatat di desa tujuan, seperti petugas kecamatan.",
					"Leave empty for a move out of the deployment: the receiving village records the arrival. Give a village code (like 14.01.01.2009) only if you may write there too, as a district clerk may.")},
			{Name: "place", Label: ui.Tr(r, "Alamat tujuan", "Destination"), Type: "text", Max: 200},
			{Name: "note", Label: ui.Tr(r, "Catatan", "Note"), Type: "textarea", Max: 1000},
		}
	}
	action := "/residents/" + url.PathEscape(id) + "/move"
	if typ == EventDeath {
		action = "/residents/" + url.PathEscape(id) + "/death"
	}
	form := ui.Form{Action: action, Method: "POST", Submit: ui.Tr(r, "Simpan", "Save"), Fields: fields, Values: url.Values{"date": {req.Today()}},
		Cancel: "/residents/" + url.PathEscape(id)}
	if typ == EventDeath {
		// A death cannot be undone on a screen: the clerk confirms it.
		form.Confirm = fmt.Sprintf(ui.Tr(r, "Catat kematian %s? Status penduduk menjadi meninggal dan tidak dapat dibatalkan di layar ini.",
			"Record the death of %s? The resident's status becomes deceased and cannot be undone on this screen."), p.Name)
	}
	if r.Method == http.MethodPost {
		if !parsedForm(w, r) {
			return
		}
		if typ == EventDeath && !ui.Confirm(w, r, form) {
			return
		}
		form.Values = r.PostForm
		ev := eventRequest{Type: typ, Date: r.PostForm.Get("date"), ResidentID: id, Place: r.PostForm.Get("place"),
			Cause: r.PostForm.Get("cause"), Note: r.PostForm.Get("note")}
		if to := strings.TrimSpace(r.PostForm.Get("to_tenant")); typ != EventDeath && to != "" {
			ev.Type, ev.ToTenant = EventMove, to
		}
		_, _, err := ui.CallAPI(r, villageOnly(postEvent), "POST", nil, ev)
		msg := ui.Tr(r, "Peristiwa tercatat.", "Event recorded.")
		if typ == EventDeath && p.Relationship == headOfFamily {
			// The family needs a new head: its card says so and links
			// to the screen.
			msg = ui.Tr(r, "Kematian tercatat. Keluarganya perlu kepala keluarga baru: buka kartu keluarga.", "Death recorded. The family needs a new head: open its family card.")
		}
		saved(w, r, err, "/residents/"+url.PathEscape(id), msg, title, form, nil)
		return
	}
	ui.Render(w, r, ui.Page{Title: title, Body: []ui.Node{form}})
}

// pageBirth records a birth into an existing family (postEvent, type
// birth). From a parent's page (?resident=) the KK comes from the parent's
// record when the caller sees it in full.
func pageBirth(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	if !atVillage(w, r) {
		return
	}
	form := ui.Form{Action: "/births/new", Method: "POST", Submit: ui.Tr(r, "Simpan kelahiran", "Save the birth"), Values: url.Values{"date": {req.Today()}},
		Fields: []ui.Field{
			{Name: "kk", Label: ui.Tr(r, "Nomor KK keluarga", "Family card number (KK)"), Type: "text", Digits: true, Required: true, Max: 16},
			{Name: "name", Label: ui.Tr(r, "Nama bayi", "Baby's name"), Type: "text", Required: true, Max: 200},
			{Name: "sex", Label: ui.Tr(r, "Jenis kelamin", "Sex"), Type: "select", Required: true, Options: sexOptions(r)},
			{Name: "date", Label: ui.Tr(r, "Tanggal lahir", "Date of birth"), Type: "date", Required: true},
			{Name: "place", Label: ui.Tr(r, "Tempat lahir", "Place of birth"), Type: "text", Max: 200},
			{Name: "mother_name", Label: ui.Tr(r, "Nama ibu kandung", "Mother's name"), Type: "text", Max: 200},
			{Name: "nik", Label: "NIK", Type: "text", Digits: true, Max: 16,
				Help: ui.Tr(r, "Kosongkan bila belum ada: Balai memberi nomor sementara sampai NIK terbit", "Leave empty if none yet: Balai gives a temporary number until the NIK is issued")},
			{Name: "note", Label: ui.Tr(r, "Catatan", "Note"), Type: "textarea", Max: 1000},
		}}
	if id := r.URL.Query().Get("resident"); id != "" && r.Method == http.MethodGet {
		if p, err := readResident(r, id); err == nil && !p.Masked {
			form.Values.Set("kk", p.KK)
			if p.Sex == "P" {
				form.Values.Set("mother_name", p.Name)
			}
		}
	}
	title := ui.Tr(r, "Catat kelahiran", "Record a birth")
	if r.Method != http.MethodPost {
		ui.Render(w, r, ui.Page{Title: title, Body: []ui.Node{form}})
		return
	}
	if !parsedForm(w, r) {
		return
	}
	f := r.PostForm
	form.Values = f
	baby := Resident{NIK: strings.TrimSpace(f.Get("nik")), KK: strings.TrimSpace(f.Get("kk")), Name: f.Get("name"), Sex: f.Get("sex"),
		BirthPlace: f.Get("place"), BirthDate: f.Get("date"), MotherName: f.Get("mother_name")}
	ev := eventRequest{Type: EventBirth, Date: f.Get("date"), Resident: &baby, Place: f.Get("place"), Note: f.Get("note")}
	_, v, err := ui.CallAPI(r, villageOnly(postEvent), "POST", nil, ev)
	rv, _ := v.(residentView)
	// The API's birth_date is this form's date.
	saved(w, r, err, "/residents/"+url.PathEscape(rv.ID), ui.Tr(r, "Kelahiran tercatat.", "Birth recorded."), title, form, nil, "birth_date", "date")
}

// pageStats shows the living residents by sex, age group, religion,
// education, occupation or marital status, as bar charts (SVG, no script).
func pageStats(w http.ResponseWriter, r *http.Request) {
	asked := strings.TrimSpace(r.URL.Query().Get("by"))
	by := statsAliases[strings.ToLower(asked)]
	if by == "" {
		by = asked
	}
	var notice ui.Node = ui.HTML("")
	if !statsBy[by] {
		if asked != "" {
			notice = ui.HTML(`<p class="b-flash b-flash-warning" role="status" id="stats-by-unknown">` + escape(fmt.Sprintf(ui.Tr(r,
				"Pengelompokan %q tidak dikenal: ditampilkan menurut jenis kelamin. Pilih pengelompokan lain dari daftar.",
				"No breakdown %q: shown by sex. Choose another from the list."), asked)) + `</p>`)
		}
		by = "sex"
	}
	_, v, err := ui.CallAPI(r, stats, "GET", url.Values{"by": {by}}, nil)
	if err != nil {
		fail(w, r, err)
		return
	}
	m := v.(map[string]any)
	items, _ := m["items"].([]statsRow)
	byNames := []ui.Option{{Value: "sex", Label: ui.Tr(r, "Jenis kelamin", "Sex")}, {Value: "age_group", Label: ui.Tr(r, "Kelompok umur", "Age group")},
		{Value: "religion", Label: ui.Tr(r, "Agama", "Religion")}, {Value: "education", Label: ui.Tr(r, "Pendidikan", "Education")},
		{Value: "occupation", Label: ui.Tr(r, "Pekerjaan", "Occupation")}, {Value: "marital_status", Label: ui.Tr(r, "Status perkawinan", "Marital status")}}
	label := by
	for _, o := range byNames {
		if o.Value == by {
			label = o.Label
		}
	}
	rows := make([]ui.Row, 0, len(items))
	for _, it := range items {
		name := it.Name
		if name == "" {
			name = it.Key
		}
		if by == "sex" {
			name = sexName(r, it.Key)
		}
		if name == "" || it.Key == "unknown" {
			name = ui.Tr(r, "(tidak diisi)", "(not given)")
		}
		rows = append(rows, ui.Row{Cells: []ui.Node{ui.Cell(name), ui.Cell(strconv.FormatInt(it.L, 10)), ui.Cell(strconv.FormatInt(it.P, 10)), ui.Cell(strconv.FormatInt(it.Total, 10))}})
	}
	total, _ := m["total"].(int64)
	body := []ui.Node{
		ui.Form{Action: "/stats", Method: "GET", Submit: ui.Tr(r, "Tampilkan", "Show"), Values: url.Values{"by": {by}},
			Fields: []ui.Field{{Name: "by", Label: ui.Tr(r, "Menurut", "By"), Type: "select", Options: byNames}}},
		notice,
		ui.HTML(`<p>` + escape(ui.Tr(r, "Penduduk hidup", "Living residents")) + `: <strong>` + escape(strconv.FormatInt(total, 10)) + `</strong></p>`),
		// Table first: it reads on any screen; the chart below shows the
		// largest groups only, so that its bars stay readable at 360 px.
		ui.Table{Columns: []ui.Column{{Key: "name", Label: label}, {Key: "l", Label: ui.Tr(r, "Laki-laki", "Male")}, {Key: "p", Label: ui.Tr(r, "Perempuan", "Female")}, {Key: "total", Label: ui.Tr(r, "Jumlah", "Total")}},
			Rows: rows, Total: len(rows), Empty: ui.Tr(r, "Belum ada penduduk.", "No residents yet.")},
		statsChart(r, label, items),
	}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Statistik penduduk", "Population statistics"), Body: body})
}

// statsChart draws the rows as bars of the living residents per group.
func statsChart(r *http.Request, label string, items []statsRow) ui.Node {
	bars := make([]ui.Bar, 0, len(items))
	var rest int64
	if len(items) > maxBars {
		// Too many groups for a phone: the largest, and the rest as one.
		items = slices.Clone(items)
		slices.SortStableFunc(items, func(a, b statsRow) int { return cmp.Compare(b.Total, a.Total) })
		for _, it := range items[maxBars-1:] {
			rest += it.Total
		}
		items = items[:maxBars-1]
	}
	for _, it := range items {
		name := it.Name
		if it.Key == "L" || it.Key == "P" {
			name = sexName(r, it.Key)
		}
		if name == "" {
			name = it.Key
		}
		if name == "" || it.Key == "unknown" {
			name = ui.Tr(r, "(tidak diisi)", "(not given)")
		}
		bars = append(bars, ui.Bar{Label: name, Value: float64(it.Total)})
	}
	if rest > 0 {
		bars = append(bars, ui.Bar{Label: ui.Tr(r, "Lainnya", "Others"), Value: float64(rest)})
	}
	return ui.Chart{Title: ui.Tr(r, "Penduduk hidup menurut ", "Living residents by ") + strings.ToLower(label), Bars: bars}
}

// eventNames say a history entry's type.
var eventNames = map[string][2]string{
	"registered": {"Didaftarkan", "Registered"}, EventBirth: {"Kelahiran", "Birth"}, EventDeath: {"Kematian", "Death"},
	EventMoveOut: {"Pindah keluar", "Moved out"}, EventMoveIn: {"Pindah masuk", "Moved in"}, EventMove: {"Pindah antardesa", "Moved between villages"},
	"imported": {"Diimpor", "Imported"}, "head_changed": {"Ganti kepala keluarga", "New head of the family"},
	"family_split": {"Pecah KK", "Family split"}, "nik_corrected": {"NIK dibetulkan", "NIK corrected"}, "nik_assigned": {"NIK diterbitkan", "NIK assigned"},
}

// historyTable is a resident's history as getHistory answers it (dates of
// a birth as a year for a caller who may not see birth dates).
func historyTable(r *http.Request, id string) (ui.Node, error) {
	_, v, err := ui.CallAPI(r, getHistory, "GET", nil, nil, "id", id)
	if err != nil {
		return nil, err
	}
	// getHistory's entry type is its own: read the answer as the API's
	// client would.
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding a history: %w", err)
	}
	var h struct {
		Items []struct {
			Type, Date, Actor string
			Detail            map[string]any
		}
	}
	if err := json.Unmarshal(b, &h); err != nil {
		return nil, fmt.Errorf("decoding a history: %w", err)
	}
	rows := make([]ui.Row, 0, len(h.Items))
	for _, e := range h.Items {
		name := e.Type
		if n, ok := eventNames[e.Type]; ok {
			name = ui.Tr(r, n[0], n[1])
		}
		var words []string
		for _, k := range []string{"place", "cause", "destination", "origin", "note"} {
			if s, ok := e.Detail[k].(string); ok && s != "" {
				words = append(words, s)
			}
		}
		rows = append(rows, ui.Row{Cells: []ui.Node{ui.Cell(ui.DateOnly(e.Date)), ui.Cell(name), ui.Cell(strings.Join(words, "; ")), ui.Cell(e.Actor)}})
	}
	return ui.Table{Columns: []ui.Column{{Key: "date", Label: ui.Tr(r, "Tanggal", "Date")}, {Key: "type", Label: ui.Tr(r, "Peristiwa", "Event")},
		{Key: "detail", Label: ui.Tr(r, "Keterangan", "Detail")}, {Key: "actor", Label: ui.Tr(r, "Petugas", "Recorded by")}},
		Rows: rows, Total: len(rows), Empty: ui.Tr(r, "Belum ada riwayat.", "No history yet.")}, nil
}

// atVillage says whether the page is at a village, where residents are
// written; elsewhere it answers the page (notAVillagePage).
func atVillage(w http.ResponseWriter, r *http.Request) bool {
	if sdk.From(r).Level == sdk.Village {
		return true
	}
	notAVillagePage(w, r)
	return false
}

// parsedForm reads the page's posted form into r.PostForm; false when it
// cannot be read, the page then answered.
func parsedForm(w http.ResponseWriter, r *http.Request) bool {
	if err := r.ParseForm(); err != nil {
		fail(w, r, sdk.Errorf(http.StatusBadRequest, codeInvalidParameter, "%v", err))
		return false
	}
	return true
}

// notAVillagePage answers a write screen opened above a village (where
// the API refuses with not_a_village): no form, a sentence saying where
// to write instead.
func notAVillagePage(w http.ResponseWriter, r *http.Request) {
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Buka desa/kelurahan", "Open a village"), Body: []ui.Node{
		ui.HTML(`<p class="b-muted" id="not-a-village">` + escape(ui.Tr(r,
			"Penduduk dan keluarga dicatat di desa/kelurahan. Pilih desa/kelurahannya di pemilih wilayah di atas untuk mendaftarkan keluarga, kelahiran atau peristiwa lain; di tingkat ini data hanya dapat dilihat.",
			"Residents and families are recorded at a village. Choose the village in the region switcher above to register a family, a birth or another event; at this level the data can only be read.")) + `</p>`),
	}})
}

// nikShown is a resident's NIK as the screens show it: a temporary number
// marked as such.
func nikShown(r *http.Request, p residentView) string {
	if p.NIKTemporary {
		return p.NIK + ui.Tr(r, " (sementara)", " (temporary)")
	}
	return p.NIK
}

// maxBars bounds the stats chart's bars (the rest are summed as one), so
// that each label and bar stays readable on a 360 px phone.
const maxBars = 8

// statsAliases are other words a clerk may type after ?by= for the
// breakdowns GET /stats knows.
var statsAliases = map[string]string{"age": "age_group", "umur": "age_group", "usia": "age_group", "kelompok_umur": "age_group",
	"jenis_kelamin": "sex", "agama": "religion", "pendidikan": "education", "pekerjaan": "occupation", "status_perkawinan": "marital_status",
	"golongan_darah": "blood_type"}
