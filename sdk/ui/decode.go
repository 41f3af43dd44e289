package ui

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
)

// maxMemory is how much of a multipart form Decode keeps in memory; the
// rest of its files go to temporary files (the host bounds the body).
const maxMemory = 8 << 20

// Decode reads a submitted form into dst, a pointer to the same input
// struct the plugin's API route binds with sdk.Bind, so that a screen and
// the API check input by one set of rules. Each field of the struct is
// read from the form value named by its json name (dotted for a nested
// struct: "contact.phone"); other form values (csrf_token, confirmed) are
// ignored. Text is taken as is; an empty value leaves the field out (its
// zero value, nil for a pointer); numbers are parsed; a bool is true for
// "1", "on", "true" or "yes" and false when absent (an unchecked box); a
// []string takes every value. The result then goes through sdk.Unmarshal.
// Errors are *sdk.Error 422 invalid with Field set, for FormErrors.
func Decode(r *http.Request, dst any) error {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	if ct == "multipart/form-data" {
		err = sdk.ParseMultipartForm(r, maxMemory)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return sdk.Errorf(http.StatusRequestEntityTooLarge, sdk.CodeBodyTooLarge, "the form is larger than %d bytes", maxErr.Limit)
		}
		return sdk.Errorf(http.StatusBadRequest, sdk.CodeInvalid, "reading the form: %v", err)
	}
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return errors.New("ui.Decode: dst must be a pointer to a struct")
	}
	obj, err := formObject(r, rv.Elem().Type(), "")
	if err != nil {
		return err
	}
	data, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	if err := sdk.Unmarshal(data, dst); err != nil {
		var e *sdk.Error
		if errors.As(err, &e) && e.Status == http.StatusBadRequest {
			// A form cannot send JSON of the wrong shape: what is left is
			// the user's value, reported like the API's validation.
			return &sdk.Error{Status: http.StatusUnprocessableEntity, Code: sdk.CodeInvalid, Message: e.Message, Field: e.Field}
		}
		return err
	}
	return nil
}

var (
	timeType = reflect.TypeFor[time.Time]()
	// grouped is a whole number with its thousands grouped by dots.
	grouped = regexp.MustCompile(`^-?[0-9]{1,3}(\.[0-9]{3})+$`)
)

// formObject builds the JSON object of struct type typ from the form.
func formObject(r *http.Request, typ reflect.Type, prefix string) (map[string]any, error) {
	obj := map[string]any{}
	for i := range typ.NumField() {
		sf := typ.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		key := prefix + name
		ft := sf.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && ft != timeType {
			sub, err := formObject(r, ft, key+".")
			if err != nil {
				return nil, err
			}
			if len(sub) > 0 {
				obj[name] = sub
			}
			continue
		}
		vals, present := r.Form[key]
		if ft.Kind() == reflect.Bool {
			if sf.Type.Kind() == reflect.Pointer && !present {
				continue
			}
			obj[name] = present && truthy(vals[len(vals)-1])
			continue
		}
		if ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.String {
			if present {
				obj[name] = vals
			}
			continue
		}
		if !present || strings.TrimSpace(vals[0]) == "" {
			continue
		}
		v := vals[0]
		switch ft.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			v = strings.TrimSpace(v)
			if grouped.MatchString(v) {
				v = strings.ReplaceAll(v, ".", "") // "1.250.000", as people write it
			}
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, &sdk.Error{Status: http.StatusUnprocessableEntity, Code: sdk.CodeInvalid, Field: key, Message: t(r, "want_int")}
			}
			obj[name] = n
		case reflect.Float32, reflect.Float64:
			f, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(v), ",", "."), 64)
			if err != nil {
				return nil, &sdk.Error{Status: http.StatusUnprocessableEntity, Code: sdk.CodeInvalid, Field: key, Message: t(r, "want_number")}
			}
			obj[name] = f
		default:
			obj[name] = v
		}
	}
	return obj, nil
}

func truthy(s string) bool {
	switch strings.ToLower(s) {
	case "1", "on", "true", "yes":
		return true
	}
	return false
}

// FormValues parses a submitted form, URL-encoded or multipart (a form
// with a file field), and answers its text values: r.PostForm, or the
// multipart form's values. A multipart form keeps up to maxMemory bytes of
// its files in memory and the rest in temporary files; r.FormFile and
// r.MultipartForm.File read them afterwards. A form that cannot be read
// (or is larger than the route's MaxBodyBytes) is an *sdk.Error 400
// sdk.CodeMalformedForm. For a form that fills the API's input struct,
// Decode does all this itself.
func FormValues(r *http.Request, maxMemory int64) (url.Values, error) {
	if err := sdk.ParseMultipartForm(r, maxMemory); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return nil, sdk.Errorf(http.StatusBadRequest, sdk.CodeMalformedForm, "the form cannot be read")
	}
	if r.MultipartForm != nil {
		return url.Values(r.MultipartForm.Value), nil
	}
	return r.PostForm, nil
}
