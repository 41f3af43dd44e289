package input

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Error is a request body that Decode refused. Its Code is one of the
// documented codes of the host's API, so the host and every plugin answer
// the same body the same way:
//
//   - malformed_json (400): not JSON, empty, more than one value, a
//     duplicate key, nested deeper than MaxDepth, or not the kind of value
//     the body must be (an object where a list is wanted);
//   - unknown_field (400): a key the target type does not have, byte for
//     byte (a key that only differs in case is unknown);
//   - invalid_field (400): a value of the wrong type for its field;
//   - a field's own range code (422): a JSON number that does not fit its
//     field's Go type (too large, a fraction for a whole number, 1e400,
//     below 0 for an unsigned type), where the field carries a range tag
//     (see RangeTag). A whole number written with a zero fraction or an
//     exponent (2026.0, 1e3) is that whole number: JSON has one number
//     type, and 2026.0 is the number 2026, so it fills an integer field;
//     only a real fraction (2026.5) is refused;
//   - invalid_text (400): invalid UTF-8 anywhere, a NUL in a string, or a
//     string escaping half a UTF-16 surrogate pair (\ud800 alone, or a low
//     half before its high one), which encoding/json would quietly turn
//     into U+FFFD;
//   - body_too_large (413): the reader stopped at its http.MaxBytesReader
//     limit.
type Error struct {
	Status int
	Code   string
	// Field is the path of the offending key or value, in the form
	// contact.phone or officials[2].name; empty for the body as a whole.
	Field string
	// Want is what an invalid_field must be: "text", "a number", "a whole
	// number", "true or false", "a list" or "an object".
	Want    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// RangeTag is the struct tag that names a number field's domain error
// code: with
//
//	Amount int64 `json:"amount" range:"invalid_amount"`
//
// a JSON number that does not fit the field's Go type (99999999999999999999
// or 1e30 into an int64, 1500.5 into a whole number, 1e400 into a float64)
// is outside the field's documented range as surely as one that fits but
// is too large, so it answers the same 422 with that code and the field's
// path, not 400 invalid_field. A value of the wrong kind ("amount":"banyak",
// a list) stays 400 invalid_field: it is a malformed request, not a value
// out of range. On a list or map field the tag covers its elements
// (funding[2] of a []int64). Without the tag a number that does not fit is
// 400 invalid_field.
const RangeTag = "range"

// MaxDepth bounds the nesting of a body (the standard library's own
// limit), so that a body of a million brackets costs no deep recursion.
const MaxDepth = 10000

func fail(status int, code, field, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

func bad(code, field, format string, args ...any) *Error {
	return fail(http.StatusBadRequest, code, field, format, args...)
}

// Decode reads all of r and decodes exactly one JSON value into v (a
// pointer), strictly: object keys must be the target's json names exactly
// (encoding/json alone would match "STATUS", or "ſtatus" with U+017F, to a
// field "status"); unknown and duplicate keys are refused; the body must be
// valid UTF-8, no string may hold a NUL (written raw or as \u0000), and no
// string (key or value) may escape a lone or mis-ordered UTF-16 surrogate.
// Maps and interface values take any key; json.Unmarshaler types are
// checked for text and duplicates only. Errors are *Error, except for a v
// that is not a non-nil pointer (a programming error).
func Decode(r io.Reader, v any) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return readError(err)
	}
	return DecodeBytes(data, v)
}

// DecodeOptional is Decode for a body that may be left out: an empty (or
// all-whitespace) body leaves v as it is and is no error.
func DecodeOptional(r io.Reader, v any) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return readError(err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	return DecodeBytes(data, v)
}

func readError(err error) error {
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return fail(http.StatusRequestEntityTooLarge, "body_too_large", "", "the body is larger than %d bytes", maxErr.Limit)
	}
	return bad("malformed_json", "", "the body could not be read: %v", err)
}

// DecodeBytes is Decode on a body already read, for a handler that works
// on the raw body first (a merge patch) and decodes the result.
func DecodeBytes(data []byte, v any) error {
	if !utf8.Valid(data) {
		return bad("invalid_text", "", "the body is not valid UTF-8 (at byte %d)", invalidAt(data))
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("input.Decode needs a non-nil pointer, not %T", v)
	}
	w := walker{dec: json.NewDecoder(bytes.NewReader(data)), data: data}
	w.dec.UseNumber()
	if err := w.value(rv.Type().Elem(), "", ""); err != nil {
		return err
	}
	if _, err := w.dec.Token(); err != io.EOF {
		return bad("malformed_json", "", "the body must hold exactly one JSON value")
	}
	// encoding/json refuses 2026.0 for an int: the walk has noted every
	// such whole number, and the decoder reads it in plain digits.
	data = w.rewritten()
	// The walk has checked every key against the target's exact names, so
	// the standard decoder's case folding can no longer pick a field.
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			want := wantOf(typeErr.Type)
			if typeErr.Field == "" {
				return bad("malformed_json", "", "the body must be %s", want)
			}
			e := bad("invalid_field", typeErr.Field, "field %q must be %s", typeErr.Field, want)
			e.Want = want
			return e
		}
		return bad("malformed_json", "", "the body is not valid JSON for this request: %v", err)
	}
	return nil
}

func invalidAt(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(data)
}

// walker checks the token stream against the target type before the
// standard decoder fills it.
type walker struct {
	dec   *json.Decoder
	data  []byte // the body, for the raw text of string tokens
	depth int
	// wholes are the numbers in an integer's place written with a zero
	// fraction or an exponent (2026.0, 1e3), in body order, with their
	// plain digits.
	wholes []whole
}

// whole is a number of the body, data[at:end], that is the whole number
// digits.
type whole struct {
	at, end int64
	digits  string
}

// noteWhole notes that the number token just read, lit, is to be read as
// digits.
func (w *walker) noteWhole(lit, digits string) {
	end := w.dec.InputOffset()
	w.wholes = append(w.wholes, whole{at: end - int64(len(lit)), end: end, digits: digits})
}

// rewritten is the body with the noted numbers in plain digits.
func (w *walker) rewritten() []byte {
	if len(w.wholes) == 0 {
		return w.data
	}
	out := make([]byte, 0, len(w.data))
	prev := int64(0)
	for _, n := range w.wholes {
		out = append(out, w.data[prev:n.at]...)
		out = append(out, n.digits...)
		prev = n.end
	}
	return append(out, w.data[prev:]...)
}

// integral is the whole number a JSON number literal denotes, in plain
// digits ("2026.0" is "2026", "1e3" "1000", "-5.00" "-5", "1.5e1" "15"),
// or false for a literal with a fraction (2026.5, 1.05e1) or an exponent
// above 40, which no Go integer holds anyway.
func integral(lit string) (string, bool) {
	neg := strings.HasPrefix(lit, "-")
	s := strings.TrimPrefix(lit, "-")
	exp := 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(s[i+1:])
		if err != nil {
			return "", false
		}
		s, exp = s[:i], e
	}
	intPart, frac, _ := strings.Cut(s, ".")
	digits := intPart + frac
	if strings.Trim(digits, "0") == "" {
		return "0", true
	}
	if exp > 40 {
		return "", false
	}
	point := len(intPart) + exp // where the decimal point falls in digits
	switch {
	case point <= 0:
		return "", false // 0.5, 5e-1: below 1 and not 0
	case point >= len(digits):
		digits += strings.Repeat("0", point-len(digits))
	default:
		if strings.Trim(digits[point:], "0") != "" {
			return "", false
		}
		digits = digits[:point]
	}
	digits = strings.TrimLeft(digits, "0")
	if neg {
		digits = "-" + digits
	}
	return digits, true
}

// token reads the next token. A string that holds U+FFFD is checked in its
// raw text: encoding/json decodes an escaped lone surrogate to U+FFFD, which
// must be refused, while U+FFFD itself (raw or as \ufffd) is text like any
// other.
func (w *walker) token() (json.Token, bool, error) {
	start := w.dec.InputOffset()
	tok, err := w.dec.Token()
	if err != nil {
		return tok, false, err
	}
	s, ok := tok.(string)
	if !ok || !strings.ContainsRune(s, utf8.RuneError) {
		return tok, false, nil
	}
	end := w.dec.InputOffset()
	if start < 0 || end > int64(len(w.data)) || start > end {
		return tok, false, nil
	}
	return tok, loneSurrogate(w.data[start:end]), nil
}

// loneSurrogate reports whether raw, the text of one JSON string (perhaps
// after the whitespace, comma or colon before it), escapes a UTF-16
// surrogate that is not the high half of a pair directly followed by its
// low half.
func loneSurrogate(raw []byte) bool {
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		i++ // the escaped character: \\ and \" are skipped whole
		if i >= len(raw) || raw[i] != 'u' {
			continue
		}
		r, ok := hex4(raw[i+1:])
		if !ok {
			continue // not JSON: the decoder has refused it already
		}
		i += 4
		switch {
		case r >= 0xDC00 && r <= 0xDFFF:
			return true
		case r >= 0xD800 && r <= 0xDBFF:
			if i+2 >= len(raw) || raw[i+1] != '\\' || raw[i+2] != 'u' {
				return true
			}
			if lo, ok := hex4(raw[i+3:]); !ok || lo < 0xDC00 || lo > 0xDFFF {
				return true
			}
			i += 6
		}
	}
	return false
}

// hex4 parses the four hex digits at the start of b.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[:4]), 16, 16)
	return rune(n), err == nil
}

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	numberType          = reflect.TypeFor[json.Number]()
)

// target normalises t for the walk: pointers are followed; nil means any
// JSON value is acceptable in shape (interfaces, json.Unmarshaler types).
func target(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		if t.Implements(unmarshalerType) {
			return nil
		}
		t = t.Elem()
	}
	if t == nil || t.Kind() == reflect.Interface || t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType) {
		return nil
	}
	return t
}

// value walks one value of type t at path; code is the range code of the
// field it sits in ("" for none), for a number that does not fit t.
func (w *walker) value(t reflect.Type, code, path string) error {
	tok, surrogate, err := w.token()
	if err != nil {
		return syntaxError(err)
	}
	if surrogate {
		return bad("invalid_text", path, "%s escapes a lone UTF-16 surrogate (\\ud800 to \\udfff must come in high-low pairs)", describe(path))
	}
	t = target(t)
	switch tok := tok.(type) {
	case json.Delim:
		w.depth++
		if w.depth > MaxDepth {
			return bad("malformed_json", path, "the body is nested deeper than %d levels", MaxDepth)
		}
		defer func() { w.depth-- }()
		if tok == '{' {
			return w.object(t, code, path)
		}
		return w.array(t, code, path)
	case string:
		if strings.IndexByte(tok, 0) >= 0 {
			return bad("invalid_text", path, "%s holds a NUL character", describe(path))
		}
		if t != nil && t.Kind() != reflect.String && !isBytes(t) && !reflect.PointerTo(t).Implements(textUnmarshalerType) {
			return mismatch(t, path)
		}
	case json.Number:
		if t == nil {
			return nil
		}
		switch t.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if _, err := strconv.ParseInt(tok.String(), 10, t.Bits()); err != nil {
				d, ok := integral(tok.String())
				if _, err := strconv.ParseInt(d, 10, t.Bits()); !ok || err != nil {
					return outOfRange(t, code, path, tok)
				}
				w.noteWhole(tok.String(), d)
			}
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			if _, err := strconv.ParseUint(tok.String(), 10, t.Bits()); err != nil {
				d, ok := integral(tok.String())
				if _, err := strconv.ParseUint(d, 10, t.Bits()); !ok || err != nil {
					return outOfRange(t, code, path, tok)
				}
				w.noteWhole(tok.String(), d)
			}
		case reflect.Float32, reflect.Float64:
			if _, err := strconv.ParseFloat(tok.String(), t.Bits()); err != nil {
				return outOfRange(t, code, path, tok)
			}
		default:
			if t != numberType {
				return mismatch(t, path)
			}
		}
	case bool:
		if t != nil && t.Kind() != reflect.Bool {
			return mismatch(t, path)
		}
	}
	return nil
}

func (w *walker) object(t reflect.Type, code, path string) error {
	var fields map[string]field
	var elem reflect.Type
	if t != nil {
		switch t.Kind() {
		case reflect.Struct:
			fields = fieldsOf(t)
		case reflect.Map:
			elem = t.Elem()
		default:
			return mismatch(t, path)
		}
	}
	seen := map[string]bool{}
	for w.dec.More() {
		tok, surrogate, err := w.token()
		if err != nil {
			return syntaxError(err)
		}
		if surrogate {
			return bad("invalid_text", path, "a key of %s escapes a lone UTF-16 surrogate (\\ud800 to \\udfff must come in high-low pairs)", describe(path))
		}
		key, _ := tok.(string)
		child := key
		if path != "" {
			child = path + "." + key
		}
		if strings.IndexByte(key, 0) >= 0 {
			return bad("invalid_text", path, "a key of %s holds a NUL character", describe(path))
		}
		if seen[key] {
			return bad("malformed_json", child, "field %q appears twice", child)
		}
		seen[key] = true
		vt, vc := elem, code // a map's values share its range code
		if fields != nil {
			f, ok := fields[key]
			if !ok {
				return unknown(fields, key, child)
			}
			vt, vc = f.typ, f.code
		}
		if err := w.value(vt, vc, child); err != nil {
			return err
		}
	}
	_, err := w.dec.Token() // the closing brace
	return syntaxError(err)
}

func (w *walker) array(t reflect.Type, code, path string) error {
	var elem reflect.Type
	if t != nil {
		switch t.Kind() {
		case reflect.Slice, reflect.Array:
			elem = t.Elem()
		default:
			return mismatch(t, path)
		}
	}
	for i := 0; w.dec.More(); i++ {
		if err := w.value(elem, code, path+"["+strconv.Itoa(i)+"]"); err != nil {
			return err
		}
	}
	_, err := w.dec.Token() // the closing bracket
	return syntaxError(err)
}

func syntaxError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, io.EOF):
		return bad("malformed_json", "", "the body is empty or cut short: send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return bad("malformed_json", "", "the body is not valid JSON: it ends too early")
	}
	return bad("malformed_json", "", "the body is not valid JSON: %v", err)
}

func unknown(fields map[string]field, key, path string) *Error {
	for name := range fields {
		if strings.EqualFold(name, key) {
			return bad("unknown_field", path, "the body has an unknown field %q (field names match exactly: did you mean %q?)", path, name)
		}
	}
	return bad("unknown_field", path, "the body has an unknown field %q", path)
}

func mismatch(t reflect.Type, path string) *Error {
	want := wantOf(t)
	if path == "" {
		return bad("malformed_json", "", "the body must be %s", want)
	}
	e := bad("invalid_field", path, "field %q must be %s", path, want)
	e.Want = want
	return e
}

// outOfRange is the refusal of number n, which does not fit t: the
// field's range code (422) when it has one, else invalid_field.
func outOfRange(t reflect.Type, code, path string, n json.Number) *Error {
	if code == "" || path == "" {
		return mismatch(t, path)
	}
	return fail(http.StatusUnprocessableEntity, code, path, "field %q is out of range: %s is not %s it can hold", path, clip(n.String()), wantOf(t))
}

// clip shortens a number for a message: a body may send thousands of
// digits.
func clip(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

func describe(path string) string {
	if path == "" {
		return "the body"
	}
	return "field " + strconv.Quote(path)
}

func isBytes(t reflect.Type) bool {
	return t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8
}

// wantOf names the JSON kind a Go type takes, for messages.
func wantOf(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == numberType {
		return "a number"
	}
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		if isBytes(t) {
			return "text"
		}
		return "a list"
	}
	return "an object"
}

// field is a JSON name of a struct, the type its value decodes into and
// its RangeTag code.
type field struct {
	typ   reflect.Type
	code  string
	depth int
}

var fieldCache sync.Map // reflect.Type -> map[string]field

// fieldsOf lists the JSON names of struct type t as encoding/json sees
// them: tag names or Go names of exported fields, "-" skipped, fields of
// untagged embedded structs promoted (the shallower name wins). Fields with
// the ",string" option take any value here; the standard decoder checks
// them.
func fieldsOf(t reflect.Type) map[string]field {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]field)
	}
	m := map[string]field{}
	collect(t, 0, m, map[reflect.Type]bool{})
	fieldCache.Store(t, m)
	return m
}

func collect(t reflect.Type, depth int, m map[string]field, visiting map[reflect.Type]bool) {
	if visiting[t] {
		return
	}
	visiting[t] = true
	defer delete(visiting, t)
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := sf.Type
		if sf.Anonymous && name == "" {
			et := ft
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				collect(et, depth+1, m, visiting)
				continue
			}
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		if strings.Contains(","+opts+",", ",string,") {
			ft = nil
		}
		if old, ok := m[name]; ok && old.depth <= depth {
			continue
		}
		m[name] = field{typ: ft, code: sf.Tag.Get(RangeTag), depth: depth}
	}
}
