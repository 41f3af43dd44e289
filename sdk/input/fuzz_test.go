package input

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecode checks the strict decoder's promises on any body: it never
// panics, its refusals are *Error with a documented code, and what it
// accepts is valid JSON, valid UTF-8 with no NUL in any string, and has
// only keys the target names exactly.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"status":"alive","name":"Siti","age":30}`,
		`{"STATUS":"dead"}`,
		`{"ſtatus":"dead"}`,
		`{"status":"a","status":"b"}`,
		`{"name":"a\u0000"}`,
		"{\"name\":\"\xff\"}",
		`{"address":{"street":"x"},"homes":[{"street":"y"}],"extra":{"k":"v"},"any":[1,{"a":null}]}`,
		`{"raw":{"x":[true,false,null,1e5]}}`,
		`[]`, `{}`, `null`, ``, `{"status":"a"} {}`, `{"count":"12","born":"2020-01-01T00:00:00Z"}`,
	} {
		f.Add([]byte(s))
	}
	codes := map[string]bool{"malformed_json": true, "unknown_field": true, "invalid_field": true, "invalid_text": true}
	f.Fuzz(func(t *testing.T, data []byte) {
		var p person
		err := DecodeBytes(data, &p)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !codes[e.Code] || e.Status != 400 || e.Message == "" {
				t.Fatalf("refusal outside the documented codes: %#v", err)
			}
			return
		}
		if !json.Valid(data) || !utf8.Valid(data) {
			t.Fatalf("accepted a body that is not valid JSON: %q", data)
		}
		var generic any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&generic); err != nil {
			t.Fatalf("accepted %q but the standard decoder says %v", data, err)
		}
		checkAccepted(t, generic, reflectFields(), true)
	})
}

// reflectFields is the exact key set of person at its top level.
func reflectFields() map[string]bool {
	out := map[string]bool{}
	for k := range fieldsOf(typeOfPerson) {
		out[k] = true
	}
	return out
}

// checkAccepted walks an accepted value: every string and key is valid
// UTF-8 without NUL, and (at the top) every key is a field name exactly.
func checkAccepted(t *testing.T, v any, names map[string]bool, top bool) {
	switch v := v.(type) {
	case string:
		if !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0 {
			t.Fatalf("accepted string %q", v)
		}
	case []any:
		for _, x := range v {
			checkAccepted(t, x, nil, false)
		}
	case map[string]any:
		for k, x := range v {
			if top && !names[k] {
				t.Fatalf("accepted key %q that is not a field name", k)
			}
			checkAccepted(t, k, nil, false)
			checkAccepted(t, x, nil, false)
		}
	}
}

// FuzzText checks the text rules agree with each other: Name is stricter
// than Text, Text stricter than Clean, and what they accept has no NUL,
// is valid UTF-8 and is within the limit in characters.
func FuzzText(f *testing.F) {
	for _, s := range []string{"Siti Aminah", strings.Repeat("é", 150), "a\x00", "\xff", "a\nb", "Budi\u202Egnp", "a\u200Bb", "\u0085"} {
		f.Add(s, 200)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		max %= 300
		name, text, clean := Name(s, max) == nil, Text(s, max) == nil, Clean(s) == nil
		if (name && !text) || (text && !clean) {
			t.Fatalf("%q (max %d): Name %v, Text %v, Clean %v", s, max, name, text, clean)
		}
		if clean && (!utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0) {
			t.Fatalf("Clean accepted %q", s)
		}
		if text && max > 0 && utf8.RuneCountInString(s) > max {
			t.Fatalf("Text accepted %d characters over a limit of %d", utf8.RuneCountInString(s), max)
		}
		if text {
			for _, r := range s {
				if IsBidiControl(r) {
					t.Fatalf("Text accepted %U in %q", r, s)
				}
			}
		}
	})
}
