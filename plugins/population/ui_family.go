package main

// Registering a family in one flow: the KK, the address and the head, then
// members added on the same page ("Tambah anggota" posts the form back
// with one more member block, so it works without JavaScript and keeps
// what was typed), then one "Simpan" registers them all through
// createResident, the API's own function, head first.

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

// maxFormMembers bounds the member blocks of one form (the head aside).
const maxFormMembers = 20

// familyField is one input of the family form.
type familyField struct {
	Name, Label, Type, Value, Error, Help string
	// Choose labels the empty first choice of a select; "" for none.
	Choose   string
	Required bool
	Max      int
	Options  []ui.Option
	// Numeric asks a phone for its number pad (NIK, KK, RT, RW).
	Numeric bool
}

// ID is the input's id attribute (the form's names are unique).
func (f familyField) ID() string { return "f-" + strings.ReplaceAll(f.Name, ".", "-") }

// familyBlock is the head's or a member's group of fields.
type familyBlock struct {
	Legend string
	Index  int // 0 the head, then 1...
	Fields []familyField
	Remove string // label of the remove button; "" for the head
}

type familyFormData struct {
	Action, CSRF, Error, Add, Save, KKLegend string
	Family                                   []familyField
	Blocks                                   []familyBlock
	Count                                    int
	HeadSaved                                bool
}

var familyTmpl = template.Must(template.New("family").Parse(`{{define "field"}}<div class="b-field{{if .Error}} b-invalid{{end}}">
<label for="{{.ID}}">{{.Label}}{{if .Required}} <span aria-hidden="true">*</span>{{end}}</label>
{{if eq .Type "select"}}<select id="{{.ID}}" name="{{.Name}}"{{if .Required}} required{{end}}{{if .Error}} aria-invalid="true" aria-describedby="{{.ID}}-err"{{end}}>{{$v := .Value}}{{if .Choose}}<option value="">{{.Choose}}</option>{{end}}{{range .Options}}<option value="{{.Value}}"{{if eq .Value $v}} selected{{end}}>{{.Label}}</option>{{end}}</select>
{{else}}<input id="{{.ID}}" name="{{.Name}}" type="{{.Type}}" value="{{.Value}}"{{if .Numeric}} inputmode="numeric" pattern="[0-9]*"{{end}}{{if .Max}} maxlength="{{.Max}}"{{end}}{{if .Required}} required{{end}}{{if .Error}} aria-invalid="true" aria-describedby="{{.ID}}-err"{{else if .Help}} aria-describedby="{{.ID}}-help"{{end}}>{{end}}
{{if .Help}}<p class="b-help" id="{{.ID}}-help">{{.Help}}</p>{{end}}
{{if .Error}}<p class="b-field-error" id="{{.ID}}-err">{{.Error}}</p>{{end}}
</div>{{end}}<form class="b-form" method="post" action="{{.Action}}" novalidate>
<input type="hidden" name="csrf_token" value="{{.CSRF}}">
<input type="hidden" name="members" value="{{.Count}}">
{{if .HeadSaved}}<input type="hidden" name="head_saved" value="1">{{end}}
{{if .Error}}<p class="b-error" role="alert">{{.Error}}</p>{{end}}
<div class="b-card" role="group" aria-labelledby="family-kk"><h2 id="family-kk">{{.KKLegend}}</h2>
{{range .Family}}{{template "field" .}}{{end}}
</div>
{{range .Blocks}}<div class="b-card" role="group" id="member-{{.Index}}" aria-labelledby="member-{{.Index}}-title"><h2 id="member-{{.Index}}-title">{{.Legend}}</h2>
{{range .Fields}}{{template "field" .}}{{end}}
{{if .Remove}}<button class="b-btn" type="submit" name="action" value="remove-{{.Index}}" formnovalidate>{{.Remove}}</button>{{end}}
</div>
{{end}}<div class="b-actions">
<button class="b-btn" type="submit" name="action" value="add" formnovalidate>{{.Add}}</button>
<button class="b-btn b-btn-primary" type="submit" name="action" value="save">{{.Save}}</button>
</div>
</form>`))

// personFields are the fields of the head or a member, named p{i}.{field}.
func personFields(r *http.Request, i int, vals url.Values, errs map[string]string) []familyField {
	n := func(f string) string { return "p" + strconv.Itoa(i) + "." + f }
	choose := ui.Tr(r, "— pilih —", "— choose —")
	mk := func(f, label, typ string, req bool, max int, opts []ui.Option, help string) familyField {
		ff := familyField{Name: n(f), Label: label, Type: typ, Value: vals.Get(n(f)), Error: errs[n(f)], Required: req, Max: max, Options: opts, Help: help}
		if typ == "select" {
			ff.Choose = choose
		}
		ff.Numeric = f == "nik"
		return ff
	}
	rel := mk("relationship", ui.Tr(r, "Hubungan keluarga", "Relationship"), "select", true, 0, options("relationship"), "")
	if i == 0 {
		rel.Options, rel.Choose, rel.Value = []ui.Option{{Value: headOfFamily, Label: codeLabel("relationship", headOfFamily)}}, "", headOfFamily
	}
	return []familyField{
		mk("name", ui.Tr(r, "Nama lengkap", "Full name"), "text", true, 200, nil, ""),
		mk("nik", "NIK", "text", false, 16, nil, ui.Tr(r, "16 digit; kosongkan bila belum ada (nomor sementara)", "16 digits; leave empty if none yet (temporary number)")),
		mk("sex", ui.Tr(r, "Jenis kelamin", "Sex"), "select", true, 0, sexOptions(r), ""),
		mk("birth_place", ui.Tr(r, "Tempat lahir", "Place of birth"), "text", false, 100, nil, ""),
		mk("birth_date", ui.Tr(r, "Tanggal lahir", "Date of birth"), "date", true, 0, nil, ""),
		rel,
		mk("religion", ui.Tr(r, "Agama", "Religion"), "select", false, 0, options("religion"), ""),
		mk("education", ui.Tr(r, "Pendidikan", "Education"), "select", false, 0, options("education"), ""),
		mk("occupation", ui.Tr(r, "Pekerjaan", "Occupation"), "select", false, 0, options("occupation"), ""),
		mk("marital_status", ui.Tr(r, "Status perkawinan", "Marital status"), "select", false, 0, options("marital_status"), ""),
		mk("mother_name", ui.Tr(r, "Nama ibu kandung", "Mother's name"), "text", false, 200, nil, ""),
	}
}

// familyPerson is the resident of block i of the form, with the family's
// KK and address.
func familyPerson(vals url.Values, i int) Resident {
	g := func(f string) string { return strings.TrimSpace(vals.Get("p" + strconv.Itoa(i) + "." + f)) }
	p := Resident{NIK: g("nik"), KK: strings.TrimSpace(vals.Get("kk")), Name: g("name"), Sex: g("sex"), BirthPlace: g("birth_place"),
		BirthDate: g("birth_date"), Religion: g("religion"), Education: g("education"), Occupation: g("occupation"),
		MaritalStatus: g("marital_status"), Relationship: g("relationship"), MotherName: g("mother_name"),
		Address: strings.TrimSpace(vals.Get("address")), RT: strings.TrimSpace(vals.Get("rt")), RW: strings.TrimSpace(vals.Get("rw")),
		Dusun: strings.TrimSpace(vals.Get("dusun"))}
	if i == 0 {
		p.Relationship = headOfFamily
	}
	return p
}

// familyShared are the fields every member takes from the family.
var familyShared = map[string]bool{"kk": true, "address": true, "rt": true, "rw": true, "dusun": true}

// pageNewFamily is GET and POST /families/new.
func pageNewFamily(w http.ResponseWriter, r *http.Request) { familyPage(w, r, false) }

// pageAddMembers is GET and POST /families/members/new: members join a
// family the village has (its KK), on the family form without the head.
func pageAddMembers(w http.ResponseWriter, r *http.Request) { familyPage(w, r, true) }

// familyPage is the family form: a new family (head and members), or
// members added to a registered one (adding).
func familyPage(w http.ResponseWriter, r *http.Request, adding bool) {
	if !atVillage(w, r) {
		return
	}
	formPath := "/families/new"
	if adding {
		formPath = "/families/members/new"
	}
	vals := url.Values{}
	if adding {
		vals.Set("head_saved", "1")
		// From a family card (?resident=): the KK comes from a member's
		// record, so that the number stays out of the URL.
		if id := r.URL.Query().Get("resident"); id != "" {
			if p, err := readResident(r, id); err == nil && !p.Masked {
				vals.Set("kk", p.KK)
			}
		}
	}
	errs := map[string]string{}
	count := 0 // members besides the head
	if adding {
		count = 1
	}
	status := http.StatusOK
	formError := ""
	if r.Method == http.MethodPost {
		if !parsedForm(w, r) {
			return
		}
		vals = r.PostForm
		if adding {
			vals.Set("head_saved", "1")
		}
		count, _ = strconv.Atoi(vals.Get("members"))
		count = min(max(count, 0), maxFormMembers)
		action := vals.Get("action")
		switch {
		case action == "add":
			if count < maxFormMembers {
				count++
			}
		case strings.HasPrefix(action, "remove-"):
			i, _ := strconv.Atoi(strings.TrimPrefix(action, "remove-"))
			if i >= 1 && i <= count {
				vals = removeMember(vals, i, count)
				count--
			}
		default: // save
			first := 0
			if vals.Get("head_saved") == "1" {
				first = 1
			}
			n, failedAt, checked, err := saveFamily(r, vals, first, count, adding)
			if err == nil && len(checked) > 0 {
				status = http.StatusUnprocessableEntity
				errs = checked
				formError = fmt.Sprintf(ui.Tr(r, "Ada %d isian yang perlu diperbaiki; tidak ada yang disimpan. Lihat pesan di samping isian.",
					"%d entries need correcting; nothing was saved. See the messages beside the fields."), len(checked))
				break
			}
			if err == nil {
				msg := fmt.Sprintf(ui.Tr(r, "Keluarga terdaftar: %d orang.", "Family registered: %d people."), n)
				if adding {
					msg = fmt.Sprintf(ui.Tr(r, "Anggota keluarga ditambahkan: %d orang.", "Family members added: %d people."), n)
				}
				ui.Redirect(w, r, "/residents", "success", msg)
				return
			}
			fe, msg, st, ok := formErrors(r, err)
			if !ok {
				fail(w, r, err)
				return
			}
			status, formError = st, msg
			// Those saved are in the register now: they leave the form,
			// so that saving again registers only the rest.
			for k := 0; k < n; k++ {
				if first == 0 {
					vals.Set("head_saved", "1")
					first = 1 // member blocks keep their numbers
					continue
				}
				vals = removeMember(vals, 1, count)
				count--
				failedAt--
			}
			if n > 0 {
				formError = fmt.Sprintf(ui.Tr(r, "%d orang sudah tersimpan; perbaiki dan simpan sisanya. ", "%d people were saved; correct and save the rest. "), n) + formError
			}
			for f, m := range fe {
				if familyShared[f] {
					errs[f] = m
				} else {
					errs["p"+strconv.Itoa(failedAt)+"."+f] = m
				}
			}
		}
	}
	data := familyFormData{
		Action: ui.Href(r, formPath), CSRF: ui.Info(r).CSRF, Error: formError, Count: count,
		KKLegend: ui.Tr(r, "Kartu Keluarga", "Family card"), Add: ui.Tr(r, "Tambah anggota", "Add a member"), Save: ui.Tr(r, "Simpan keluarga", "Save the family"),
		Family: []familyField{
			{Name: "kk", Label: ui.Tr(r, "Nomor KK", "Family card number (KK)"), Type: "text", Required: true, Max: 16, Value: vals.Get("kk"), Error: errs["kk"], Numeric: true},
			{Name: "address", Label: ui.Tr(r, "Alamat", "Address"), Type: "text", Max: 500, Value: vals.Get("address"), Error: errs["address"]},
			{Name: "rt", Label: "RT", Type: "text", Max: 3, Value: vals.Get("rt"), Error: errs["rt"], Numeric: true},
			{Name: "rw", Label: "RW", Type: "text", Max: 3, Value: vals.Get("rw"), Error: errs["rw"], Numeric: true},
			{Name: "dusun", Label: "Dusun", Type: "text", Max: 100, Value: vals.Get("dusun"), Error: errs["dusun"]},
		},
	}
	data.HeadSaved = vals.Get("head_saved") == "1"
	if adding {
		data.Save = ui.Tr(r, "Simpan anggota", "Save the members")
		data.KKLegend = ui.Tr(r, "Keluarga yang sudah terdaftar", "The registered family")
		data.Family[0].Help = ui.Tr(r, "Nomor KK keluarga yang sudah terdaftar di desa ini", "The KK of a family this village has registered")
		// The members take the family's address when these stay empty.
		for i := 1; i < len(data.Family); i++ {
			data.Family[i].Help = ui.Tr(r, "Kosongkan untuk memakai alamat keluarga", "Leave empty for the family's address")
		}
	}
	for i := 0; i <= count; i++ {
		if data.HeadSaved && i == 0 {
			// The head is registered: the form goes on with the
			// members only, who join the family by its KK.
			continue
		}
		b := familyBlock{Index: i, Fields: personFields(r, i, vals, errs)}
		if i == 0 {
			b.Legend = ui.Tr(r, "Kepala keluarga", "Head of the family")
		} else {
			b.Legend = fmt.Sprintf(ui.Tr(r, "Anggota %d", "Member %d"), i)
			b.Remove = fmt.Sprintf(ui.Tr(r, "Hapus anggota %d", "Remove member %d"), i)
		}
		data.Blocks = append(data.Blocks, b)
	}
	var buf strings.Builder
	if err := familyTmpl.Execute(&buf, data); err != nil {
		fail(w, r, fmt.Errorf("rendering the family form: %w", err))
		return
	}
	title := ui.Tr(r, "Daftarkan keluarga", "Register a family")
	if adding {
		title = ui.Tr(r, "Tambah anggota keluarga", "Add a family member")
	}
	ui.Render(w, r, ui.Page{Title: title, Status: status, Body: []ui.Node{ui.HTML(template.HTML(buf.String()))}})
}

// removeMember drops member block i of count, moving the later ones up.
func removeMember(vals url.Values, i, count int) url.Values {
	out := url.Values{}
	for k, v := range vals {
		if !strings.HasPrefix(k, "p") || !strings.Contains(k, ".") {
			out[k] = v
		}
	}
	for j := 0; j <= count; j++ {
		if j == i {
			continue
		}
		to := j
		if j > i {
			to = j - 1
		}
		prefix := "p" + strconv.Itoa(j) + "."
		for k, v := range vals {
			if strings.HasPrefix(k, prefix) {
				out["p"+strconv.Itoa(to)+"."+strings.TrimPrefix(k, prefix)] = v
			}
		}
	}
	return out
}

// standIn is a value every rule accepts for a resident's field, put in
// place of a refused one so that validate goes on to the next field.
var standIn = map[string]string{
	"name": "x", "sex": "L", "birth_date": "2000-01-01", "kk": "1401012001150001", "mother_name": "", "birth_place": "",
	"address": "", "dusun": "", "rt": "", "rw": "", "religion": "", "education": "", "occupation": "",
	"marital_status": "", "relationship": "4", "blood_type": "",
}

// setField sets a Resident's field by its form name (standIn's names).
func setField(p *Resident, f, v string) bool {
	ptr := map[string]*string{"name": &p.Name, "sex": &p.Sex, "birth_date": &p.BirthDate, "kk": &p.KK, "mother_name": &p.MotherName,
		"birth_place": &p.BirthPlace, "address": &p.Address, "dusun": &p.Dusun, "rt": &p.RT, "rw": &p.RW, "religion": &p.Religion,
		"education": &p.Education, "occupation": &p.Occupation, "marital_status": &p.MaritalStatus, "relationship": &p.Relationship,
		"blood_type": &p.BloodType}[f]
	if ptr == nil {
		return false
	}
	*ptr = v
	return true
}

// checkAll runs validate, the API's rules of one resident, until it finds
// nothing more: each refused field is noted and replaced by a stand-in,
// so that the form shows every mistake of the person at once. It returns
// the errors by form field name (codeField's names).
func checkAll(r *http.Request, p Resident, today string) map[string]string {
	errs := map[string]string{}
	for range len(standIn) + 1 {
		check := p
		if err := check.validate(today); err != nil {
			fe, msg, _, ok := formErrors(r, err)
			if !ok {
				errs[""] = idMessage(r, err)
				return errs
			}
			progressed := false
			for f, m := range fe {
				if _, seen := errs[f]; seen {
					continue
				}
				errs[f] = m
				switch {
				case f == "nik":
					// Any number of a temporary one's shape passes.
					p.NIK, p.NIKTemporary, progressed = "0"+strings.Repeat("1", 15), true, true
				default:
					progressed = setField(&p, f, standIn[f])
				}
			}
			if len(fe) == 0 {
				errs[""] = msg
				return errs
			}
			if !progressed {
				return errs
			}
			continue
		}
		break
	}
	return errs
}

// saveFamily registers blocks first..count of the form (block 0 is the
// head) in order through createResident, the API's function. Everyone is
// checked first with the validate createResident runs, every field of
// every person (checkAll), so that the clerk sees all mistakes at once
// and a mistake in the last member saves nobody; then errs (by form
// field name) is returned and nothing saved. A clash only storage finds
// (a NIK registered meanwhile, a second head) stops at that resident:
// saved says how many were registered, failedAt which block failed.
// adding is the add-member screen: the KK must name a family of the
// village; otherwise it must not.
func saveFamily(r *http.Request, vals url.Values, first, count int, adding bool) (saved, failedAt int, errs map[string]string, err error) {
	req := sdk.From(r)
	if req.Level != sdk.Village {
		return 0, first, nil, errNotAVillage(req)
	}
	errs = map[string]string{}
	people := []Resident{}
	for i := first; i <= count; i++ {
		p := familyPerson(vals, i)
		if adding && p.Relationship == headOfFamily {
			errs["p"+strconv.Itoa(i)+".relationship"] = ui.Tr(r, "Keluarga ini sudah punya kepala keluarga: pilih hubungan lain, atau ganti kepala keluarga lewat kartu keluarganya.",
				"This family has its head: choose another relationship, or change the head from its family card.")
		}
		check := p
		if check.NIK == "" {
			// The register assigns a temporary number on insert; a
			// well-formed stand-in lets the rest be checked now.
			check.NIK, check.NIKTemporary = temporaryPrefix(req.Tenant)+"00001", true
		}
		for f, m := range checkAll(r, check, req.Today()) {
			switch {
			case familyShared[f]:
				errs[f] = m
			case f == "":
				errs["p"+strconv.Itoa(i)+".name"] = m
			default:
				errs["p"+strconv.Itoa(i)+"."+f] = m
			}
		}
		people = append(people, p)
	}
	if kk := strings.TrimSpace(vals.Get("kk")); errs["kk"] == "" && kk != "" && (first == 0 || adding) {
		home, exists, err := familyHome(r, kk)
		if err != nil {
			return 0, first, nil, err
		}
		if adding && exists {
			for k := range people {
				p := &people[k]
				if p.Address == "" && p.RT == "" && p.RW == "" && p.Dusun == "" {
					p.Address, p.RT, p.RW, p.Dusun = home.Address, home.RT, home.RW, home.Dusun
				}
			}
		}
		switch {
		case exists && !adding:
			errs["kk"] = ui.Tr(r, "Nomor KK ini sudah terdaftar di desa ini. Untuk menambah anggota ke keluarga itu gunakan Tambah anggota keluarga.",
				"This KK is registered in this village already. To add members to that family use Add a family member.")
		case !exists && adding:
			errs["kk"] = ui.Tr(r, "Belum ada keluarga dengan nomor KK ini di desa ini: daftarkan keluarganya dulu.",
				"No family of this village has this KK: register the family first.")
		}
	}
	if len(errs) > 0 {
		return 0, first, errs, nil
	}
	for k, p := range people {
		if _, _, err := ui.CallAPI(r, villageOnly(createResident), "POST", nil, p); err != nil {
			return k, first + k, nil, err
		}
	}
	return len(people), 0, nil, nil
}
