package main

// Everyday screens beside registration (issue 12 item 4, second pass):
// correcting a resident's record (PATCH /residents/{id}'s function), a
// family's new head and a family split (POST /families/{kk}/head and
// /split's), and an arrival from outside the deployment (POST /events,
// move_in). Each calls the API's function, so its rules stay in one place.

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

// editFields are the fields a clerk may correct on the edit screen, by
// their API name; status and NIK change through their own routes.
var editFields = []string{"name", "birth_place", "birth_date", "sex", "religion", "education", "occupation", "marital_status",
	"blood_type", "mother_name", "address", "rt", "rw", "dusun"}

// residentValue is a resident's field as the edit form shows it.
func residentValue(p residentView, f string) string {
	switch f {
	case "name":
		return p.Name
	case "birth_place":
		return p.BirthPlace
	case "birth_date":
		return p.BirthDate
	case "sex":
		return p.Sex
	case "religion":
		return p.Religion
	case "education":
		return p.Education
	case "occupation":
		return p.Occupation
	case "marital_status":
		return p.MaritalStatus
	case "blood_type":
		return p.BloodType
	case "mother_name":
		return p.MotherName
	case "address":
		return p.Address
	case "rt":
		return p.RT
	case "rw":
		return p.RW
	case "dusun":
		return p.Dusun
	}
	return ""
}

// pageEditResident is GET and POST /residents/{id}/edit: the form sends
// only the fields the clerk changed, through patchResident.
func pageEditResident(w http.ResponseWriter, r *http.Request) {
	if !atVillage(w, r) {
		return
	}
	id := r.PathValue("id")
	p, err := readResident(r, id)
	if err != nil {
		fail(w, r, err)
		return
	}
	title := ui.Tr(r, "Ubah data", "Edit") + ": " + p.Name
	fields := []ui.Field{
		{Name: "name", Label: ui.Tr(r, "Nama lengkap", "Full name"), Type: "text", Required: true, Max: 200},
		{Name: "sex", Label: ui.Tr(r, "Jenis kelamin", "Sex"), Type: "select", Required: true, Options: sexOptions(r)},
		{Name: "birth_place", Label: ui.Tr(r, "Tempat lahir", "Place of birth"), Type: "text", Max: 100},
		{Name: "birth_date", Label: ui.Tr(r, "Tanggal lahir", "Date of birth"), Type: "date"},
		{Name: "religion", Label: ui.Tr(r, "Agama", "Religion"), Type: "select", Options: options("religion")},
		{Name: "education", Label: ui.Tr(r, "Pendidikan", "Education"), Type: "select", Options: options("education")},
		{Name: "occupation", Label: ui.Tr(r, "Pekerjaan", "Occupation"), Type: "select", Options: options("occupation")},
		{Name: "marital_status", Label: ui.Tr(r, "Status perkawinan", "Marital status"), Type: "select", Options: options("marital_status")},
		{Name: "blood_type", Label: ui.Tr(r, "Golongan darah", "Blood type"), Type: "select", Options: options("blood_type")},
		{Name: "mother_name", Label: ui.Tr(r, "Nama ibu kandung", "Mother's name"), Type: "text", Max: 200},
		{Name: "address", Label: ui.Tr(r, "Alamat", "Address"), Type: "text", Max: 500},
		{Name: "rt", Label: "RT", Type: "text", Digits: true, Max: 3},
		{Name: "rw", Label: "RW", Type: "text", Digits: true, Max: 3},
		{Name: "dusun", Label: "Dusun", Type: "text", Max: 100},
	}
	// A value the caller sees masked or as a year only is not offered:
	// sending it back would overwrite the real one.
	hidden := map[string]bool{"birth_date": p.BirthDate == "", "mother_name": p.Masked}
	shown := fields[:0]
	for _, f := range fields {
		if !hidden[f.Name] {
			shown = append(shown, f)
		}
	}
	vals := url.Values{}
	for _, f := range editFields {
		vals.Set(f, residentValue(p, f))
	}
	form := ui.Form{Action: "/residents/" + url.PathEscape(id) + "/edit", Method: "POST", Submit: ui.Tr(r, "Simpan perubahan", "Save the changes"),
		Fields: shown, Values: vals, Cancel: "/residents/" + url.PathEscape(id)}
	intro := ui.Muted(ui.Tr(r, "Perbaiki salah ketik di sini. NIK diganti lewat menu NIK; status berubah lewat peristiwa (kematian, pindah).",
		"Correct typing mistakes here. The NIK changes through its own screen; the status through events (death, move)."))
	if r.Method != http.MethodPost {
		ui.Render(w, r, ui.Page{Title: title, Body: []ui.Node{intro, form}})
		return
	}
	if !parsedForm(w, r) {
		return
	}
	patch := map[string]string{}
	for _, f := range shown {
		if _, sent := r.PostForm[f.Name]; !sent {
			continue // not on the form that was sent: left as it is
		}
		if v := strings.TrimSpace(r.PostForm.Get(f.Name)); v != vals.Get(f.Name) {
			patch[f.Name] = v
		}
		form.Values.Set(f.Name, r.PostForm.Get(f.Name))
	}
	if len(patch) == 0 {
		ui.Redirect(w, r, "/residents/"+url.PathEscape(id), "info", ui.Tr(r, "Tidak ada yang diubah.", "Nothing changed."))
		return
	}
	body := map[string]json.RawMessage{}
	for k, v := range patch {
		b, _ := json.Marshal(v)
		body[k] = b
	}
	if _, _, err := ui.CallAPI(r, villageOnly(patchResident), "PATCH", nil, body, "id", id); err != nil {
		showFormError(w, r, title, form, err, []ui.Node{intro})
		return
	}
	ui.Redirect(w, r, "/residents/"+url.PathEscape(id), "success", ui.Tr(r, "Data penduduk disimpan.", "The resident's record was saved."))
}

// familyOf reads the family of resident id (getFamily, with the KK from
// the resident's record, so that the number stays out of URLs).
func familyOf(r *http.Request, id string) (residentView, []residentView, error) {
	p, err := readResident(r, id)
	if err != nil {
		return p, nil, err
	}
	if p.Masked {
		return p, nil, sdk.Errorf(http.StatusForbidden, sdk.CodeForbidden, "%s", ui.Tr(r, "Kartu keluarga memuat NIK dan KK utuh: Anda tidak berhak melihatnya.", "The family card shows full NIKs and KKs, which you may not see."))
	}
	_, v, err := ui.CallAPI(r, getFamily, "GET", nil, nil, "kk", p.KK)
	if err != nil {
		return p, nil, err
	}
	members, _ := v.(map[string]any)["members"].([]residentView)
	return p, members, nil
}

// memberOptions are the living members as select options (name and
// relationship), leaving out skip.
func memberOptions(members []residentView, skip func(residentView) bool) []ui.Option {
	out := []ui.Option{}
	for _, m := range members {
		if skip != nil && skip(m) {
			continue
		}
		out = append(out, ui.Option{Value: m.ID, Label: m.Name + " (" + codeLabel("relationship", m.Relationship) + ")"})
	}
	return out
}

// relationshipOptions are the SHDK codes but the head's.
func relationshipOptions() []ui.Option {
	out := []ui.Option{}
	for _, o := range options("relationship") {
		if o.Value != headOfFamily {
			out = append(out, o)
		}
	}
	return out
}

// pageChangeHead is GET and POST /residents/{id}/family/head: the family
// of resident id gets a new head (changeHead, POST /families/{kk}/head).
func pageChangeHead(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	if !atVillage(w, r) {
		return
	}
	id := r.PathValue("id")
	p, members, err := familyOf(r, id)
	if err != nil {
		fail(w, r, err)
		return
	}
	hasHead := false
	for _, m := range members {
		if m.Relationship == headOfFamily {
			hasHead = true
		}
	}
	fields := []ui.Field{
		{Name: "head_id", Label: ui.Tr(r, "Kepala keluarga baru", "New head of the family"), Type: "select", Required: true,
			Options: memberOptions(members, func(m residentView) bool { return m.Relationship == headOfFamily })},
		{Name: "date", Label: ui.Tr(r, "Tanggal perubahan", "Date of the change"), Type: "date", Required: true},
	}
	if hasHead {
		fields = append(fields, ui.Field{Name: "former_head_relationship", Label: ui.Tr(r, "Hubungan kepala keluarga lama", "The former head's new relationship"),
			Type: "select", Required: true, Options: relationshipOptions()})
	}
	fields = append(fields,
		ui.Field{Name: "new_kk", Label: ui.Tr(r, "Nomor KK baru (bila Dukcapil menerbitkan KK baru)", "New KK (if Dukcapil issued a new card)"), Type: "text", Digits: true, Max: 16},
		ui.Field{Name: "note", Label: ui.Tr(r, "Catatan", "Note"), Type: "textarea", Max: 1000})
	card := "/residents/" + url.PathEscape(id) + "/family"
	form := ui.Form{Action: card + "/head", Method: "POST", Submit: ui.Tr(r, "Simpan kepala keluarga", "Save the head"), Fields: fields,
		Values: url.Values{"date": {req.Today()}}, Cancel: card}
	title := ui.Tr(r, "Ganti kepala keluarga", "Change the head of the family")
	if r.Method == http.MethodPost {
		if !parsedForm(w, r) {
			return
		}
		f := r.PostForm
		form.Values = f
		body := headRequest{HeadID: f.Get("head_id"), Date: f.Get("date"), FormerHeadRelationship: f.Get("former_head_relationship"),
			NewKK: strings.TrimSpace(f.Get("new_kk")), Note: f.Get("note")}
		_, _, err := ui.CallAPI(r, villageOnly(changeHead), "POST", nil, body, "kk", p.KK)
		// The family's KK is not on this form; the new one is.
		saved(w, r, err, card, ui.Tr(r, "Kepala keluarga diganti.", "The head of the family was changed."), title, form, nil, "kk", "new_kk")
		return
	}
	ui.Render(w, r, ui.Page{Title: title, Body: []ui.Node{form}})
}

// pageSplit is GET and POST /residents/{id}/family/split: some members of
// resident id's family leave it for a new KK (splitFamily, pecah KK).
func pageSplit(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	if !atVillage(w, r) {
		return
	}
	id := r.PathValue("id")
	p, members, err := familyOf(r, id)
	if err != nil {
		fail(w, r, err)
		return
	}
	others := memberOptions(members, func(m residentView) bool { return m.Relationship == headOfFamily })
	fields := []ui.Field{
		{Name: "new_kk", Label: ui.Tr(r, "Nomor KK baru", "New KK"), Type: "text", Digits: true, Required: true, Max: 16,
			Help: ui.Tr(r, "16 angka, dari KK baru yang diterbitkan Dukcapil", "16 digits, from the new card Dukcapil issued")},
		{Name: "head_id", Label: ui.Tr(r, "Kepala keluarga baru", "Head of the new family"), Type: "select", Required: true, Options: others},
	}
	for _, o := range others {
		fields = append(fields, ui.Field{Name: "member_" + o.Value, Label: ui.Tr(r, "Ikut pindah ke KK baru: ", "Moves to the new KK: ") + o.Label, Type: "checkbox"})
	}
	fields = append(fields, ui.Field{Name: "date", Label: ui.Tr(r, "Tanggal", "Date"), Type: "date", Required: true},
		ui.Field{Name: "note", Label: ui.Tr(r, "Catatan", "Note"), Type: "textarea", Max: 1000})
	card := "/residents/" + url.PathEscape(id) + "/family"
	form := ui.Form{Action: card + "/split", Method: "POST", Submit: ui.Tr(r, "Pecah KK", "Split the family"), Fields: fields,
		Values: url.Values{"date": {req.Today()}}, Cancel: card}
	title := ui.Tr(r, "Pecah KK", "Split the family")
	if r.Method == http.MethodPost {
		if !parsedForm(w, r) {
			return
		}
		f := r.PostForm
		form.Values = f
		body := splitRequest{NewKK: strings.TrimSpace(f.Get("new_kk")), HeadID: f.Get("head_id"), Date: f.Get("date"), Note: f.Get("note")}
		for _, o := range others {
			if f.Get("member_"+o.Value) != "" && o.Value != body.HeadID {
				body.MemberIDs = append(body.MemberIDs, o.Value)
			}
		}
		_, _, err := ui.CallAPI(r, villageOnly(splitFamily), "POST", nil, body, "kk", p.KK)
		// The family's KK is not on this form; the new one is.
		saved(w, r, err, "/residents/"+url.PathEscape(body.HeadID)+"/family", ui.Tr(r, "KK baru tercatat.", "The new family was recorded."), title, form, nil, "kk", "new_kk")
		return
	}
	ui.Render(w, r, ui.Page{Title: title, Body: []ui.Node{form}})
}

// pageArrival is GET and POST /arrivals/new: someone moving in from
// outside the deployment (postEvent, move_in), into a new or a registered
// family.
func pageArrival(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	if !atVillage(w, r) {
		return
	}
	form := ui.Form{Action: "/arrivals/new", Method: "POST", Submit: ui.Tr(r, "Simpan kedatangan", "Save the arrival"),
		Values: url.Values{"date": {req.Today()}},
		Fields: []ui.Field{
			{Name: "date", Label: ui.Tr(r, "Tanggal datang", "Date of arrival"), Type: "date", Required: true},
			{Name: "origin", Label: ui.Tr(r, "Asal (desa, kecamatan, kabupaten)", "Coming from (village, district, regency)"), Type: "text", Max: 200},
			{Name: "name", Label: ui.Tr(r, "Nama lengkap", "Full name"), Type: "text", Required: true, Max: 200},
			{Name: "nik", Label: "NIK", Type: "text", Digits: true, Max: 16, Help: ui.Tr(r, "16 angka dari KTP/KK; kosongkan bila belum ada (diberi nomor sementara)", "16 digits from the KTP/KK; leave empty if none yet (a temporary number is given)")},
			{Name: "kk", Label: ui.Tr(r, "Nomor KK", "Family card number (KK)"), Type: "text", Digits: true, Required: true, Max: 16},
			{Name: "sex", Label: ui.Tr(r, "Jenis kelamin", "Sex"), Type: "select", Required: true, Options: sexOptions(r)},
			{Name: "birth_place", Label: ui.Tr(r, "Tempat lahir", "Place of birth"), Type: "text", Max: 100},
			{Name: "birth_date", Label: ui.Tr(r, "Tanggal lahir", "Date of birth"), Type: "date", Required: true},
			{Name: "relationship", Label: ui.Tr(r, "Hubungan keluarga", "Relationship"), Type: "select", Required: true, Options: options("relationship")},
			{Name: "religion", Label: ui.Tr(r, "Agama", "Religion"), Type: "select", Options: options("religion")},
			{Name: "mother_name", Label: ui.Tr(r, "Nama ibu kandung", "Mother's name"), Type: "text", Max: 200},
			{Name: "address", Label: ui.Tr(r, "Alamat di desa ini", "Address in this village"), Type: "text", Max: 500},
			{Name: "rt", Label: "RT", Type: "text", Digits: true, Max: 3},
			{Name: "rw", Label: "RW", Type: "text", Digits: true, Max: 3},
			{Name: "dusun", Label: "Dusun", Type: "text", Max: 100},
			{Name: "note", Label: ui.Tr(r, "Catatan", "Note"), Type: "textarea", Max: 1000},
		}}
	title := ui.Tr(r, "Catat pendatang", "Record an arrival")
	intro := ui.Muted(ui.Tr(r, "Untuk warga yang datang dari luar wilayah ini. Pindahan dari desa lain di wilayah ini dicatat oleh desa asalnya (menu Catat pindah).",
		"For someone coming from outside this deployment. A move from another village of the deployment is recorded by that village (Record a move)."))
	if r.Method != http.MethodPost {
		ui.Render(w, r, ui.Page{Title: title, Body: []ui.Node{intro, form}})
		return
	}
	if !parsedForm(w, r) {
		return
	}
	f := r.PostForm
	form.Values = f
	g := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	p := Resident{NIK: g("nik"), KK: g("kk"), Name: g("name"), Sex: g("sex"), BirthPlace: g("birth_place"), BirthDate: g("birth_date"),
		Relationship: g("relationship"), Religion: g("religion"), MotherName: g("mother_name"), Address: g("address"), RT: g("rt"), RW: g("rw"), Dusun: g("dusun")}
	ev := eventRequest{Type: EventMoveIn, Date: g("date"), Resident: &p, Origin: g("origin"), Note: f.Get("note")}
	_, v, err := ui.CallAPI(r, villageOnly(postEvent), "POST", nil, ev)
	rv, _ := v.(residentView)
	saved(w, r, err, "/residents/"+url.PathEscape(rv.ID), ui.Tr(r, "Kedatangan tercatat.", "Arrival recorded."), title, form, []ui.Node{intro})
}
