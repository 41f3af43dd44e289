package main

import (
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk"
)

// The catalogue is consistent: the eight letters are there, every
// default wording passes the check a district's override must pass, and
// no field shadows a common placeholder.
func TestLetterTypeCatalogue(t *testing.T) {
	want := []string{"domisili", "sktm", "pengantar_ktp", "pengantar_kk", "usaha", "kelahiran", "kematian", "pindah"}
	var got []string
	for i := range letterTypes {
		lt := &letterTypes[i]
		got = append(got, lt.Code)
		if err := lt.checkTemplate(lt.Default); err != nil {
			t.Errorf("%s: default wording: %v", lt.Code, err)
		}
		if lt.Default.Title == "" || lt.Default.Body == "" || lt.Default.NumberCode == "" {
			t.Errorf("%s: default wording incomplete: %+v", lt.Code, lt.Default)
		}
		if !strings.Contains(lt.Default.Closing, "{purpose}") {
			t.Errorf("%s: the letter does not state the purpose", lt.Code)
		}
		for _, f := range lt.Fields {
			if slices.Contains(commonPlaceholders, f.Name) {
				t.Errorf("%s: field %s shadows a common placeholder", lt.Code, f.Name)
			}
			if (f.Type == "choice") != (len(f.Options) > 0) || !slices.Contains([]string{"text", "date", "choice", "rupiah"}, f.Type) {
				t.Errorf("%s: field %s has type %s with %d options", lt.Code, f.Name, f.Type, len(f.Options))
			}
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("letter types %v, want %v", got, want)
	}
}

func TestCheckFields(t *testing.T) {
	const today = "2026-06-05"
	kelahiran, _ := letterType("kelahiran")
	ktp, _ := letterType("pengantar_ktp")
	baby := func(extra map[string]any) map[string]any {
		m := map[string]any{"child_name": "Putri", "child_sex": "P", "child_birth_place": "Bangkinang", "child_birth_date": "2026-06-01"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	for _, c := range []struct {
		name string
		lt   *LetterType
		in   map[string]any
		code sdk.Code // "" for accepted
	}{
		{"complete", kelahiran, baby(nil), ""},
		{"optional field given", kelahiran, baby(map[string]any{"child_order": "2"}), ""},
		{"blank optional field", kelahiran, baby(map[string]any{"child_order": "  "}), ""},
		{"unknown field", kelahiran, baby(map[string]any{"father": "X"}), "unknown_field"},
		{"required field missing", kelahiran, map[string]any{"child_name": "Putri", "child_sex": "P", "child_birth_place": "X"}, "missing_field"},
		{"required field blank", kelahiran, baby(map[string]any{"child_name": " "}), "missing_field"},
		{"not a string", kelahiran, baby(map[string]any{"child_order": 2}), "invalid_field"},
		{"bad date", kelahiran, baby(map[string]any{"child_birth_date": "01-06-2026"}), "invalid_field"},
		{"born tomorrow", kelahiran, baby(map[string]any{"child_birth_date": "2026-06-06"}), "invalid_field"},
		{"not an option", kelahiran, baby(map[string]any{"child_sex": "X"}), "invalid_field"},
		{"too long", kelahiran, baby(map[string]any{"child_name": strings.Repeat("a", 501)}), "invalid_field"},
		{"choice", ktp, map[string]any{"reason": "hilang"}, ""},
		{"no fields at all", ktp, nil, "missing_field"},
	} {
		out, err := c.lt.checkFields(c.in, today)
		var code sdk.Code
		var he *sdk.Error
		if errors.As(err, &he) {
			code = he.Code
			if he.Status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d", c.name, he.Status)
			}
		} else if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if code != c.code {
			t.Errorf("%s: error %q (%v), want %q", c.name, code, err, c.code)
		}
		if err == nil && out["child_order"] == "  " {
			t.Errorf("%s: blank value kept", c.name)
		}
	}
	// Values are shown as the letter writes them.
	sex := kelahiran.Fields[1]
	date := kelahiran.Fields[3]
	if sex.display("P") != "perempuan" || date.display("2026-06-01") != "1 Juni 2026" {
		t.Errorf("display: %q %q", sex.display("P"), date.display("2026-06-01"))
	}
}

func TestTemplateOverride(t *testing.T) {
	lt, _ := letterType("domisili")
	o := Template{Body: "Benar berdomisili di {address} sejak lama.", NumberCode: "470.1"}
	got := lt.Default.with(o)
	if got.Body != o.Body || got.NumberCode != "470.1" || got.Title != lt.Default.Title || got.Closing != lt.Default.Closing {
		t.Errorf("override laid over the default: %+v", got)
	}
	for _, bad := range []Template{
		{Body: "{business_name}"}, // another type's field
		{Title: "{nama}"},
		{NumberCode: "{seq}"},
		{Closing: strings.Repeat("x", 2001)},
	} {
		if err := lt.checkTemplate(bad); err == nil {
			t.Errorf("override %+v accepted", bad)
		}
	}
}

// Letters about life events take the register's facts, and are made only
// for the residents the register says they are about (issue 11 item 6).
func TestLettersFollowTheRegister(t *testing.T) {
	kematian, _ := letterType("kematian")
	kelahiran, _ := letterType("kelahiran")
	pindah, _ := letterType("pindah")
	domisili, _ := letterType("domisili")
	death := &lifeEvents{Death: &lifeEvent{Date: "2026-01-02", Place: "RSUD Bangkinang", Cause: "sakit jantung"}}
	child := &lifeEvents{Child: &childFacts{ID: "c1", Name: "Putri Ayu", Sex: "P", BirthPlace: "Puskesmas Kumantan", BirthDate: "2025-06-10", BirthEvent: true}}
	moved := &lifeEvents{MoveOut: &lifeEvent{Date: "2026-02-01", Destination: "Pekanbaru"}}
	for _, c := range []struct {
		name     string
		lt       *LetterType
		typed    map[string]string
		ev       *lifeEvents
		childNIK string
		want     map[string]string // the fields the letter prints
		notes    int
		code     sdk.Code
	}{
		{"death, nothing typed", kematian, map[string]string{}, death, "",
			map[string]string{"death_date": "2026-01-02", "death_place": "RSUD Bangkinang", "death_cause": "sakit jantung"}, 0, ""},
		{"death, other date and place typed", kematian, map[string]string{"death_date": "2026-01-05", "death_place": "Rumah", "reporter_name": "Ani"}, death, "",
			map[string]string{"death_date": "2026-01-02", "death_place": "RSUD Bangkinang", "death_cause": "sakit jantung", "reporter_name": "Ani"}, 2, ""},
		{"death, same facts typed in other case", kematian, map[string]string{"death_date": "2026-01-02", "death_place": "rsud  bangkinang"}, death, "",
			map[string]string{"death_date": "2026-01-02", "death_place": "RSUD Bangkinang", "death_cause": "sakit jantung"}, 0, ""},
		{"death without a recorded cause, cause typed", kematian, map[string]string{"death_cause": "usia lanjut"},
			&lifeEvents{Death: &lifeEvent{Date: "2026-01-02"}}, "",
			map[string]string{"death_date": "2026-01-02", "death_cause": "usia lanjut"}, 0, "missing_field"},
		{"death without a recorded cause, place and cause typed", kematian, map[string]string{"death_cause": "usia lanjut", "death_place": "Rumah"},
			&lifeEvents{Death: &lifeEvent{Date: "2026-01-02"}}, "",
			map[string]string{"death_date": "2026-01-02", "death_place": "Rumah", "death_cause": "usia lanjut"}, 0, ""},
		{"deceased, no death recorded, nothing typed", kematian, map[string]string{}, &lifeEvents{}, "", nil, 0, "missing_field"},
		{"registered child", kelahiran, map[string]string{"child_name": "Putri", "child_order": "2"}, child, "1401015006250004",
			map[string]string{"child_name": "Putri Ayu", "child_sex": "P", "child_birth_place": "Puskesmas Kumantan", "child_birth_date": "2025-06-10", "child_order": "2"}, 1, ""},
		{"child_nik of no child of the family", kelahiran, map[string]string{}, &lifeEvents{}, "1401015006250009", nil, 0, "unknown_child"},
		{"child not registered, typed", kelahiran, map[string]string{"child_name": "Putri", "child_sex": "P", "child_birth_place": "Bangkinang", "child_birth_date": "2026-01-01"}, &lifeEvents{}, "",
			map[string]string{"child_name": "Putri", "child_sex": "P", "child_birth_place": "Bangkinang", "child_birth_date": "2026-01-01"}, 0, ""},
		{"recorded move", pindah, map[string]string{"destination_address": "Jakarta", "move_reason": "pekerjaan"}, moved, "",
			map[string]string{"destination_address": "Pekanbaru", "move_date": "2026-02-01", "move_reason": "pekerjaan"}, 1, ""},
		{"recorded move, no reason typed", pindah, map[string]string{}, moved, "", nil, 0, "missing_field"},
		{"no life event letter", domisili, map[string]string{}, death, "", map[string]string{}, 0, ""},
	} {
		fields := maps.Clone(c.typed)
		use, err := c.lt.applyRegister(fields, c.ev, c.childNIK)
		var code sdk.Code
		if he := (*sdk.Error)(nil); errors.As(err, &he) {
			code = he.Code
		} else if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if code != c.code {
			t.Errorf("%s: error %q (%v), want %q", c.name, code, err, c.code)
			continue
		}
		if code != "" {
			continue
		}
		if !maps.Equal(fields, c.want) {
			t.Errorf("%s: the letter prints %v, want %v", c.name, fields, c.want)
		}
		if n := 0; use != nil {
			n = len(use.Notes)
			if n != c.notes {
				t.Errorf("%s: notes %q, want %d", c.name, use.Notes, c.notes)
			}
		} else if c.notes != 0 || c.lt.Code != "domisili" && c.lt.Code != "kelahiran" {
			t.Errorf("%s: no register use recorded", c.name)
		}
	}

	// An edit keeps what the register gave, whatever is typed.
	stored := map[string]string{"death_date": "2026-01-02", "death_place": "RSUD Bangkinang", "death_cause": "sakit jantung"}
	use := &registerUse{Fields: []string{"death_date", "death_place", "death_cause"}}
	edited := map[string]string{"death_date": "2025-12-31", "reporter_name": "Ani"}
	kept := kematian.keepRegister(edited, stored, use)
	if edited["death_date"] != "2026-01-02" || edited["death_place"] != "RSUD Bangkinang" || edited["reporter_name"] != "Ani" || len(kept.Notes) != 1 {
		t.Errorf("an edit of register facts: %v, notes %q", edited, kept.Notes)
	}

	// Who each letter is for.
	for _, c := range []struct {
		lt     *LetterType
		status string
		code   sdk.Code
	}{
		{kematian, "deceased", ""},
		{kematian, "alive", "not_deceased"},
		{kematian, "moved", "unknown_resident"},
		{domisili, "alive", ""},
		{domisili, "deceased", "resident_deceased"},
		{domisili, "moved", "unknown_resident"},
		{pindah, "alive", ""},
		{pindah, "moved", ""},
		{pindah, "deceased", "resident_deceased"},
		{kelahiran, "missing", "unknown_resident"},
	} {
		err := eligible(c.lt, &resident{Status: c.status})
		var code sdk.Code
		if he := (*sdk.Error)(nil); errors.As(err, &he) {
			code = he.Code
		}
		if code != c.code {
			t.Errorf("%s for a resident %s: %q (%v), want %q", c.lt.Code, c.status, code, err, c.code)
		}
	}
	// child_nik names a child: only on a birth letter, one word.
	for _, c := range []struct {
		lt   *LetterType
		nik  string
		code sdk.Code
	}{
		{kelahiran, " 1401015006250004 ", ""},
		{kelahiran, "", ""},
		{domisili, "1401015006250004", "invalid_field"},
		{kelahiran, "1401 0150", "invalid_field"},
		{kelahiran, strings.Repeat("1", 33), "invalid_field"},
		{kelahiran, "1401\u202e0150", "invalid_field"},
	} {
		_, err := checkChildNIK(c.lt, c.nik)
		var code sdk.Code
		if he := (*sdk.Error)(nil); errors.As(err, &he) {
			code = he.Code
		}
		if code != c.code {
			t.Errorf("child_nik %q on %s: %q, want %q", c.nik, c.lt.Code, code, c.code)
		}
	}
}
