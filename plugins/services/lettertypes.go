package main

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
	"github.com/balaidesa/balai/sdk/ui"
)

// FieldSpec is one type-specific field of a letter request.
type FieldSpec struct {
	Name     string   `json:"name"`
	Label    string   `json:"label"`
	Type     string   `json:"type"` // text, date, choice or rupiah (a whole amount, stored as digits)
	Required bool     `json:"required"`
	Options  []Option `json:"options,omitempty"`
	// NotFuture refuses dates after today (a birth, a death).
	NotFuture bool `json:"not_future,omitempty"`
	// Register names the fact of the civil register the field is taken
	// from when the register holds it ("death.date", "move_out.destination",
	// "child.name"...; see lifeevents.go): the requester need not type it,
	// and a typed value that differs is set aside. Required then means
	// required when the register does not hold it.
	Register string `json:"register,omitempty"`
}

// Option is an allowed value of a choice field and how the letter says it.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Template is the wording of a letter type. A regency or village
// overrides any part of it in its settings.
type Template struct {
	Title      string `json:"title,omitempty"`
	Opening    string `json:"opening,omitempty"`
	Body       string `json:"body,omitempty"`
	Closing    string `json:"closing,omitempty"`
	NumberCode string `json:"number_code,omitempty"`
}

// LetterType is a kind of letter the village issues.
type LetterType struct {
	Code   string
	Name   string
	Fields []FieldSpec
	// Statuses are the register statuses of the residents the letter is
	// made for; nil is alive only. A death letter is only for the deceased
	// (issue 11 item 6), a move letter also for a resident whose move out
	// is recorded.
	Statuses []string
	Default  Template
}

const (
	openingKeterangan = "Yang bertanda tangan di bawah ini, {signatory_title}, Kecamatan {district}, {regency}, dengan ini menerangkan bahwa:"
	closingKeterangan = "Surat keterangan ini dibuat untuk keperluan {purpose}. Demikian surat keterangan ini dibuat dengan sebenarnya untuk dapat dipergunakan sebagaimana mestinya."
	closingPengantar  = "Surat pengantar ini dibuat untuk keperluan {purpose}. Demikian surat pengantar ini dibuat untuk dapat dipergunakan sebagaimana mestinya."
)

// letterTypes are the common letters of a village office. The number
// codes follow the archive classification of Permendagri 78/2012.
var letterTypes = []LetterType{
	{
		Code: "domisili", Name: "Surat Keterangan Domisili",
		Default: Template{
			Title: "SURAT KETERANGAN DOMISILI", NumberCode: "470", Opening: openingKeterangan, Closing: closingKeterangan,
			Body: "Orang tersebut di atas adalah benar penduduk {village_kind} {village} dan berdomisili di {address}.",
		},
	},
	{
		Code: "sktm", Name: "Surat Keterangan Tidak Mampu (SKTM)",
		Fields: []FieldSpec{
			{Name: "income", Label: "Penghasilan per bulan", Type: "rupiah"},
			{Name: "dependents", Label: "Jumlah tanggungan", Type: "text"},
		},
		Default: Template{
			Title: "SURAT KETERANGAN TIDAK MAMPU", NumberCode: "400", Opening: openingKeterangan, Closing: closingKeterangan,
			Body: "Orang tersebut di atas adalah benar penduduk {village_kind} {village} dan menurut pengetahuan kami keluarganya tergolong keluarga tidak mampu.",
		},
	},
	{
		Code: "pengantar_ktp", Name: "Surat Pengantar KTP-el",
		Fields: []FieldSpec{{Name: "reason", Label: "Keperluan KTP-el", Type: "choice", Required: true, Options: []Option{
			{"baru", "pembuatan baru"}, {"hilang", "KTP-el hilang"}, {"rusak", "KTP-el rusak"}, {"perubahan", "perubahan data"},
		}}},
		Default: Template{
			Title: "SURAT PENGANTAR KARTU TANDA PENDUDUK", NumberCode: "471", Opening: openingKeterangan, Closing: closingPengantar,
			Body: "Orang tersebut di atas adalah benar penduduk {village_kind} {village} dan bermaksud mengurus Kartu Tanda Penduduk Elektronik (KTP-el) karena {reason}. Mohon kiranya dapat diberikan pelayanan sebagaimana mestinya.",
		},
	},
	{
		Code: "pengantar_kk", Name: "Surat Pengantar Kartu Keluarga",
		Fields: []FieldSpec{{Name: "reason", Label: "Keperluan KK", Type: "choice", Required: true, Options: []Option{
			{"baru", "pembuatan baru"}, {"tambah", "penambahan anggota keluarga"}, {"kurang", "pengurangan anggota keluarga"},
			{"perubahan", "perubahan data"}, {"hilang", "KK hilang atau rusak"},
		}}},
		Default: Template{
			Title: "SURAT PENGANTAR KARTU KELUARGA", NumberCode: "471", Opening: openingKeterangan, Closing: closingPengantar,
			Body: "Orang tersebut di atas adalah benar penduduk {village_kind} {village} dan bermaksud mengurus Kartu Keluarga (KK) karena {reason}. Mohon kiranya dapat diberikan pelayanan sebagaimana mestinya.",
		},
	},
	{
		Code: "usaha", Name: "Surat Keterangan Usaha",
		Fields: []FieldSpec{
			{Name: "business_name", Label: "Nama usaha", Type: "text", Required: true},
			{Name: "business_kind", Label: "Jenis usaha", Type: "text", Required: true},
			{Name: "business_address", Label: "Alamat usaha", Type: "text", Required: true},
			{Name: "business_since", Label: "Berdiri sejak", Type: "text"},
		},
		Default: Template{
			Title: "SURAT KETERANGAN USAHA", NumberCode: "500", Opening: openingKeterangan, Closing: closingKeterangan,
			Body: "Orang tersebut di atas adalah benar penduduk {village_kind} {village} yang mempunyai usaha {business_kind} dengan nama {business_name} yang berlokasi di {business_address}.",
		},
	},
	{
		Code: "kelahiran", Name: "Surat Keterangan Kelahiran",
		Fields: []FieldSpec{
			// A child already registered (POST /events type birth, or as a
			// resident of the family) is named by child_nik in the request,
			// and these four come from the register.
			{Name: "child_name", Label: "Nama anak", Type: "text", Required: true, Register: srcChildName},
			{Name: "child_sex", Label: "Jenis kelamin anak", Type: "choice", Required: true, Options: []Option{{"L", "laki-laki"}, {"P", "perempuan"}}, Register: srcChildSex},
			{Name: "child_birth_place", Label: "Tempat lahir anak", Type: "text", Required: true, Register: srcChildBirthPlace},
			{Name: "child_birth_date", Label: "Tanggal lahir anak", Type: "date", Required: true, NotFuture: true, Register: srcChildBirthDate},
			{Name: "child_birth_time", Label: "Pukul", Type: "text"},
			{Name: "child_order", Label: "Anak ke", Type: "text"},
		},
		Default: Template{
			Title: "SURAT KETERANGAN KELAHIRAN", NumberCode: "474.1", Opening: openingKeterangan, Closing: closingKeterangan,
			Body: "Orang tersebut di atas adalah orang tua dari seorang anak {child_sex} bernama {child_name} yang telah lahir di {child_birth_place} pada tanggal {child_birth_date}.",
		},
	},
	{
		// Only for a resident the register records as deceased, with the
		// recorded death's facts (population POST /events type death).
		Code: "kematian", Name: "Surat Keterangan Kematian", Statuses: []string{"deceased"},
		Fields: []FieldSpec{
			{Name: "death_date", Label: "Tanggal meninggal", Type: "date", Required: true, NotFuture: true, Register: srcDeathDate},
			{Name: "death_place", Label: "Tempat meninggal", Type: "text", Required: true, Register: srcDeathPlace},
			{Name: "death_cause", Label: "Sebab meninggal", Type: "text", Required: true, Register: srcDeathCause},
			{Name: "reporter_name", Label: "Nama pelapor", Type: "text"},
			{Name: "reporter_relation", Label: "Hubungan pelapor", Type: "text"},
		},
		Default: Template{
			Title: "SURAT KETERANGAN KEMATIAN", NumberCode: "474.3", Opening: openingKeterangan, Closing: closingKeterangan,
			Body: "Orang tersebut di atas telah meninggal dunia pada tanggal {death_date} di {death_place} karena {death_cause}.",
		},
	},
	{
		// For a resident about to move, or one whose move out the register
		// records (population POST /events type move_out): then with the
		// recorded destination and date.
		Code: "pindah", Name: "Surat Keterangan Pindah", Statuses: []string{"alive", "moved"},
		Fields: []FieldSpec{
			{Name: "destination_address", Label: "Alamat tujuan", Type: "text", Required: true, Register: srcMoveDestination},
			{Name: "move_reason", Label: "Alasan pindah", Type: "text", Required: true},
			{Name: "move_date", Label: "Tanggal pindah", Type: "date", Register: srcMoveDate},
			{Name: "followers", Label: "Jumlah pengikut", Type: "text"},
		},
		Default: Template{
			Title: "SURAT KETERANGAN PINDAH", NumberCode: "475", Opening: openingKeterangan, Closing: closingKeterangan,
			Body: "Orang tersebut di atas adalah benar penduduk {village_kind} {village} yang bermaksud pindah ke {destination_address} karena {move_reason}.",
		},
	},
}

func letterType(code string) (*LetterType, bool) {
	for i := range letterTypes {
		if letterTypes[i].Code == code {
			return &letterTypes[i], true
		}
	}
	return nil, false
}

// commonPlaceholders are what every letter's wording may use.
var commonPlaceholders = []string{
	"name", "nik", "sex", "birth_place", "birth_date", "religion", "occupation", "marital_status", "address",
	"village", "village_kind", "district", "regency", "province", "purpose", "signatory_title", "signatory_name",
	"place", "date", "type_name",
}

// placeholders are what this type's wording may use: the common ones and
// its own fields.
func (lt *LetterType) placeholders() map[string]bool {
	m := make(map[string]bool, len(commonPlaceholders)+len(lt.Fields))
	for _, p := range commonPlaceholders {
		m[p] = true
	}
	for _, f := range lt.Fields {
		m[f.Name] = true
	}
	return m
}

// checkTemplate checks an override of this type's wording.
func (lt *LetterType) checkTemplate(t Template) error {
	allowed := lt.placeholders()
	for _, part := range []struct {
		name, text string
		check      func(string, int) error
	}{{"title", t.Title, input.Name}, {"opening", t.Opening, input.Text}, {"body", t.Body, input.Text}, {"closing", t.Closing, input.Text}} {
		// The wording is printed on every letter: the title is one line,
		// the rest free text, both by the shared rules of sdk/input.
		if err := part.check(part.text, 2000); err != nil {
			return &TemplateError{fmt.Sprintf("%s %v", part.name, err)}
		}
		if err := checkTemplate(part.text, allowed, nil); err != nil {
			return &TemplateError{fmt.Sprintf("%s: %s", part.name, err.Error())}
		}
	}
	if input.Name(t.NumberCode, 20) != nil || strings.ContainsAny(t.NumberCode, "{}") {
		return &TemplateError{"number_code: one line of at most 20 characters, without braces, control or invisible characters"}
	}
	return nil
}

// with lays an override over the template, part by part.
func (t Template) with(o Template) Template {
	for _, p := range []struct {
		dst *string
		src string
	}{
		{&t.Title, o.Title}, {&t.Opening, o.Opening}, {&t.Body, o.Body}, {&t.Closing, o.Closing}, {&t.NumberCode, o.NumberCode},
	} {
		if p.src != "" {
			*p.dst = p.src
		}
	}
	return t
}

const maxFieldChars = 500

// checkFields validates a request's type-specific fields and returns them
// as strings: unknown fields, missing required ones and malformed values
// are refused with the field named.
func (lt *LetterType) checkFields(in map[string]any, today string) (map[string]string, error) {
	out, err := lt.checkShapes(in, today)
	if err != nil {
		return nil, err
	}
	return out, lt.requireFields(out, false)
}

// requireFields refuses a missing required field (422 missing_field);
// with deferRegister, not yet the fields the register may fill
// (FieldSpec.Register), which applyRegister requires once it has looked.
func (lt *LetterType) requireFields(out map[string]string, deferRegister bool) error {
	for _, f := range lt.Fields {
		if f.Required && out[f.Name] == "" && !(deferRegister && f.Register != "") {
			return sdk.Errorf(http.StatusUnprocessableEntity, codeMissingField, "a %s letter needs field %s (%s)", lt.Code, f.Name, f.Label)
		}
	}
	return nil
}

// checkShapes validates the fields given (known, strings, printable,
// dates and choices well formed) without asking for the required ones.
func (lt *LetterType) checkShapes(in map[string]any, today string) (map[string]string, error) {
	out := map[string]string{}
	known := map[string]*FieldSpec{}
	for i := range lt.Fields {
		known[lt.Fields[i].Name] = &lt.Fields[i]
	}
	for name, v := range in {
		f, ok := known[name]
		if !ok {
			return nil, sdk.Errorf(http.StatusUnprocessableEntity, sdk.CodeUnknownField, "a %s letter has no field %q; see GET /letter-types/%s", lt.Code, name, lt.Code)
		}
		s, ok := v.(string)
		if v != nil && !ok {
			return nil, sdk.Errorf(http.StatusUnprocessableEntity, sdk.CodeInvalidField, "field %s must be a string", name)
		}
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		// Printed on the letter: free text by the shared rules (no control
		// characters but line breaks and tabs, no bidirectional controls).
		if err := input.Text(s, maxFieldChars); err != nil {
			return nil, sdk.Errorf(http.StatusUnprocessableEntity, sdk.CodeInvalidField, "field %s %v", name, err)
		}
		switch f.Type {
		case "date":
			if _, err := time.Parse(time.DateOnly, s); err != nil {
				return nil, sdk.Errorf(http.StatusUnprocessableEntity, sdk.CodeInvalidField, "field %s must be a date YYYY-MM-DD", name)
			}
			if f.NotFuture && s > today {
				return nil, sdk.Errorf(http.StatusUnprocessableEntity, sdk.CodeInvalidField, "field %s (%s) is in the future", name, s)
			}
		case "rupiah":
			n, ok := parseRupiah(s)
			if !ok {
				return nil, sdk.Errorf(http.StatusUnprocessableEntity, sdk.CodeInvalidField, "field %s must be a whole amount in rupiah, such as 1500000 or Rp1.500.000", name)
			}
			s = strconv.FormatInt(n, 10)
		case "choice":
			if f.option(s) == nil {
				vals := make([]string, len(f.Options))
				for i, o := range f.Options {
					vals[i] = o.Value
				}
				return nil, sdk.Errorf(http.StatusUnprocessableEntity, sdk.CodeInvalidField, "field %s must be one of %s", name, strings.Join(vals, ", "))
			}
		}
		out[name] = s
	}
	return out, nil
}

func (f *FieldSpec) option(v string) *Option {
	for i := range f.Options {
		if f.Options[i].Value == v {
			return &f.Options[i]
		}
	}
	return nil
}

// display is how the letter writes a field's value.
func (f *FieldSpec) display(v string) string {
	switch f.Type {
	case "date":
		return longDateString(v)
	case "rupiah":
		if n, ok := parseRupiah(v); ok {
			return ui.Rupiah(n)
		}
	case "choice":
		if o := f.option(v); o != nil {
			return o.Label
		}
	}
	return v
}

// fieldsText is each of a request's fields as the letter writes it.
func (lt *LetterType) fieldsText(fields map[string]string) map[string]string {
	if len(fields) == 0 {
		return nil
	}
	out := make(map[string]string, len(fields))
	for i := range lt.Fields {
		if v := fields[lt.Fields[i].Name]; v != "" {
			out[lt.Fields[i].Name] = lt.Fields[i].display(v)
		}
	}
	return out
}

// letterTypeView is a letter type as GET /letter-types shows it: its
// fields, and its wording as this tenant prints it.
type letterTypeView struct {
	Code       string      `json:"code"`
	Name       string      `json:"name"`
	Fields     []FieldSpec `json:"fields"`
	Template   Template    `json:"template"`
	Customized bool        `json:"customized"`
}

func viewType(lt *LetterType, s *Settings) letterTypeView {
	o, custom := s.Types[lt.Code]
	fields := lt.Fields
	if fields == nil {
		fields = []FieldSpec{}
	}
	return letterTypeView{Code: lt.Code, Name: lt.Name, Fields: fields, Template: lt.Default.with(o), Customized: custom}
}

func listLetterTypes(r *http.Request) (int, any, error) {
	var s Settings
	if err := sdk.From(r).Settings(r.Context(), &s); err != nil {
		return 0, nil, err
	}
	items := make([]letterTypeView, 0, len(letterTypes))
	for i := range letterTypes {
		items = append(items, viewType(&letterTypes[i], &s))
	}
	return http.StatusOK, sdk.ListOf[letterTypeView]{Items: items, Total: int64(len(items))}, nil
}

func getLetterType(r *http.Request) (int, any, error) {
	lt, ok := letterType(r.PathValue("code"))
	if !ok {
		return 0, nil, sdk.Errorf(http.StatusNotFound, codeUnknownType, "no letter type %q; see GET /letter-types", r.PathValue("code"))
	}
	var s Settings
	if err := sdk.From(r).Settings(r.Context(), &s); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, viewType(lt, &s), nil
}
