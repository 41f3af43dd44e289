package input

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzDecode checks the strict decoder's promises on any body: it never
// panics, its refusals are *Error with a documented code, and what it
// accepts is valid JSON, valid UTF-8 with no NUL in any string, has only
// keys the target names exactly, and holds U+FFFD only where the body
// wrote it (raw or as \ufffd), never as a lone surrogate's replacement.
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
		`{"name":"\ud800"}`, `{"name":"\ude00\ud83d"}`, `{"name":"\ud83d\ude00"}`, `{"extra":{"\udc00":"x"}}`,
		`{"name":"\ufffd\\ud800"}`, "{\"name\":\"\uFFFD\"}",
		`{"amount":1e30,"lines":[{"price":1.5}]}`, `{"shares":[1,-1e400],"by_month":{"x":"y"}}`, `{"units":-0}`,
		`[]`, `{}`, `null`, ``, `{"status":"a"} {}`, `{"count":"12","born":"2020-01-01T00:00:00Z"}`,
	} {
		f.Add([]byte(s))
	}
	codes := map[string]bool{"malformed_json": true, "unknown_field": true, "invalid_field": true, "invalid_text": true}
	f.Fuzz(func(t *testing.T, data []byte) {
		var p person
		err := DecodeBytes(data, &p)
		checkRange(t, data)
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
		if n := replacements(generic); n > 0 {
			written := bytes.Count(data, []byte("\uFFFD")) + bytes.Count(bytes.ToLower(data), []byte(`\ufffd`))
			if n > written {
				t.Fatalf("accepted %q, which decodes to %d U+FFFD but writes %d", data, n, written)
			}
		}
	})
}

// checkRange decodes data into priced, whose number fields carry range
// tags: a refusal is a documented 400, or a 422 whose code is the tag of
// the field at its path (found by the path's last name) and whose body is
// still valid JSON up to that point; never a 422 for a value that fits.
func checkRange(t *testing.T, data []byte) {
	var p priced
	err := DecodeBytes(data, &p)
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) || e.Message == "" {
		t.Fatalf("priced: refusal is not an *Error: %#v", err)
	}
	if e.Status == 400 {
		if !map[string]bool{"malformed_json": true, "unknown_field": true, "invalid_field": true, "invalid_text": true}[e.Code] {
			t.Fatalf("priced: refusal outside the documented codes: %#v", e)
		}
		return
	}
	rangeCodes := map[string]bool{}
	for _, f := range fieldsOf(reflect.TypeFor[priced]()) {
		rangeCodes[f.code] = true
	}
	rangeCodes["invalid_price"] = true
	if e.Status != 422 || !rangeCodes[e.Code] || e.Field == "" {
		t.Fatalf("priced: %d %s at %q is neither a documented 400 nor a range tag's 422", e.Status, e.Code, e.Field)
	}
}

// reflectFields is the exact key set of person at its top level.
func reflectFields() map[string]bool {
	out := map[string]bool{}
	for k := range fieldsOf(typeOfPerson) {
		out[k] = true
	}
	return out
}

// replacements counts U+FFFD in the strings and keys of v.
func replacements(v any) int {
	switch v := v.(type) {
	case string:
		return strings.Count(v, "\uFFFD")
	case []any:
		n := 0
		for _, x := range v {
			n += replacements(x)
		}
		return n
	case map[string]any:
		n := 0
		for k, x := range v {
			n += replacements(k) + replacements(x)
		}
		return n
	}
	return 0
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
	for _, s := range []string{"Siti Aminah", strings.Repeat("é", 150), "a\x00", "\xff", "a\nb", "Budi\u202Egnp", "a\u200Bb", "\u0085", "a\u2028b", "a\u2029b"} {
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
		if name {
			for _, r := range s {
				if unicode.In(r, unicode.Zl, unicode.Zp, unicode.Cc, unicode.Cf) {
					t.Fatalf("Name accepted %U in %q: a name is one visible line", r, s)
				}
			}
		}
	})
}
