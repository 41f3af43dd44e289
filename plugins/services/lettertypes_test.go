package main

import (
	"errors"
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
			if (f.Type == "choice") != (len(f.Options) > 0) || !slices.Contains([]string{"text", "date", "choice"}, f.Type) {
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
