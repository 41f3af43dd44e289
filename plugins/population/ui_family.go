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
{{else}}<input id="{{.ID}}" name="{{.Name}}" type="{{.Type}}" value="{{.Value}}"{{if .Max}} maxlength="{{.Max}}"{{end}}{{if .Required}} required{{end}}{{if .Error}} aria-invalid="true" aria-describedby="{{.ID}}-err"{{else if .Help}} aria-describedby="{{.ID}}-help"{{end}}>{{end}}
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
	choose := tr(r, "— pilih —", "— choose —")
	mk := func(f, label, typ string, req bool, max int, opts []ui.Option, help string) familyField {
		ff := familyField{Name: n(f), Label: label, Type: typ, Value: vals.Get(n(f)), Error: errs[n(f)], Required: req, Max: max, Options: opts, Help: help}
		if typ == "select" {
			ff.Choose = choose
		}
		return ff
	}
	rel := mk("relationship", tr(r, "Hubungan keluarga", "Relationship"), "select", true, 0, options("relationship"), "")
	if i == 0 {
		rel.Options, rel.Choose, rel.Value = []ui.Option{{Value: headOfFamily, Label: codeLabel("relationship", headOfFamily)}}, "", headOfFamily
	}
	return []familyField{
		mk("name", tr(r, "Nama lengkap", "Full name"), "text", true, 200, nil, ""),
		mk("nik", "NIK", "text", false, 16, nil, tr(r, "16 digit; kosongkan bila belum ada (nomor sementara)", "16 digits; leave empty if none yet (temporary number)")),
		mk("sex", tr(r, "Jenis kelamin", "Sex"), "select", true, 0, sexOptions(r), ""),
		mk("birth_place", tr(r, "Tempat lahir", "Place of birth"), "text", false, 100, nil, ""),
		mk("birth_date", tr(r, "Tanggal lahir", "Date of birth"), "date", true, 0, nil, ""),
		rel,
		mk("religion", tr(r, "Agama", "Religion"), "select", false, 0, options("religion"), ""),
		mk("education", tr(r, "Pendidikan", "Education"), "select", false, 0, options("education"), ""),
		mk("occupation", tr(r, "Pekerjaan", "Occupation"), "select", false, 0, options("occupation"), ""),
		mk("marital_status", tr(r, "Status perkawinan", "Marital status"), "select", false, 0, options("marital_status"), ""),
		mk("mother_name", tr(r, "Nama ibu kandung", "Mother's name"), "text", false, 200, nil, ""),
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
func pageNewFamily(w http.ResponseWriter, r *http.Request) {
	vals := url.Values{}
	errs := map[string]string{}
	count := 0 // members besides the head
	status := http.StatusOK
	formError := ""
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			fail(w, r, sdk.Errorf(http.StatusBadRequest, codeInvalidParameter, "%v", err))
			return
		}
		vals = r.PostForm
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
			n, failedAt, err := saveFamily(r, vals, first, count)
			if err == nil {
				ui.Redirect(w, r, "/residents", "success",
					fmt.Sprintf(tr(r, "Keluarga terdaftar: %d orang.", "Family registered: %d people."), n))
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
				formError = fmt.Sprintf(tr(r, "%d orang sudah tersimpan; perbaiki dan simpan sisanya. ", "%d people were saved; correct and save the rest. "), n) + formError
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
		Action: ui.Href(r, "/families/new"), CSRF: ui.Info(r).CSRF, Error: formError, Count: count,
		KKLegend: tr(r, "Kartu Keluarga", "Family card"), Add: tr(r, "Tambah anggota", "Add a member"), Save: tr(r, "Simpan keluarga", "Save the family"),
		Family: []familyField{
			{Name: "kk", Label: tr(r, "Nomor KK", "Family card number (KK)"), Type: "text", Required: true, Max: 16, Value: vals.Get("kk"), Error: errs["kk"]},
			{Name: "address", Label: tr(r, "Alamat", "Address"), Type: "text", Max: 500, Value: vals.Get("address"), Error: errs["address"]},
			{Name: "rt", Label: "RT", Type: "text", Max: 3, Value: vals.Get("rt"), Error: errs["rt"]},
			{Name: "rw", Label: "RW", Type: "text", Max: 3, Value: vals.Get("rw"), Error: errs["rw"]},
			{Name: "dusun", Label: "Dusun", Type: "text", Max: 100, Value: vals.Get("dusun"), Error: errs["dusun"]},
		},
	}
	data.HeadSaved = vals.Get("head_saved") == "1"
	for i := 0; i <= count; i++ {
		if data.HeadSaved && i == 0 {
			// The head is registered: the form goes on with the
			// members only, who join the family by its KK.
			continue
		}
		b := familyBlock{Index: i, Fields: personFields(r, i, vals, errs)}
		if i == 0 {
			b.Legend = tr(r, "Kepala keluarga", "Head of the family")
		} else {
			b.Legend = fmt.Sprintf(tr(r, "Anggota %d", "Member %d"), i)
			b.Remove = fmt.Sprintf(tr(r, "Hapus anggota %d", "Remove member %d"), i)
		}
		data.Blocks = append(data.Blocks, b)
	}
	var buf strings.Builder
	if err := familyTmpl.Execute(&buf, data); err != nil {
		fail(w, r, fmt.Errorf("rendering the family form: %w", err))
		return
	}
	ui.Render(w, r, ui.Page{Title: tr(r, "Daftarkan keluarga", "Register a family"), Status: status, Body: []ui.Node{ui.HTML(template.HTML(buf.String()))}})
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

// saveFamily registers blocks first..count of the form (block 0 is the
// head) in order through createResident, the API's function. Everyone is
// checked first with the validate createResident runs, so that a typing
// mistake in the last member saves nobody; a clash only storage finds (a
// NIK registered meanwhile, a second head) stops at that resident: saved
// says how many were registered, failedAt which block failed.
func saveFamily(r *http.Request, vals url.Values, first, count int) (saved, failedAt int, err error) {
	req := sdk.From(r)
	if req.Level != sdk.Village {
		return 0, first, errNotAVillage(req)
	}
	people := []Resident{}
	for i := first; i <= count; i++ {
		p := familyPerson(vals, i)
		check := p
		if check.NIK == "" {
			// The register assigns a temporary number on insert; a
			// well-formed stand-in lets the rest be checked now.
			check.NIK, check.NIKTemporary = temporaryPrefix(req.Tenant)+"00001", true
		}
		if err := check.validate(req.Today()); err != nil {
			return 0, i, err
		}
		people = append(people, p)
	}
	for k, p := range people {
		if _, _, err := apiCall(r, villageOnly(createResident), "POST", nil, p); err != nil {
			return k, first + k, err
		}
	}
	return len(people), 0, nil
}
