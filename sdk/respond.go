package sdk

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/balaidesa/balai/sdk/input"
)

var stderr io.Writer = os.Stderr

// JSON writes v as a JSON response with status.
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Fail writes an error in Balai's documented shape
// {"error":{"code":"...","message":"..."}}.
func Fail(w http.ResponseWriter, status int, code Code, message string) {
	writeError(w, status, code, message, "")
}

// writeError writes the documented shape, with "field" naming the field
// at fault when there is one (a form shows the message beside it).
func writeError(w http.ResponseWriter, status int, code Code, message, field string) {
	body := map[string]string{"code": string(code), "message": message}
	if field != "" {
		body["field"] = field
	}
	JSON(w, status, map[string]any{"error": body})
}

// FailErr answers err in the documented error shape with its right
// status: an *Error (a handler's own, storage's, a host service's) as it
// says, a deadline as 504, anything else as 500 whose details go to the
// log and never to the client. A handler that does not handle a storage
// error itself thus still answers a client's conflict with 409.
func FailErr(w http.ResponseWriter, r *http.Request, err error) {
	st, code, msg := errorAnswer(err)
	if st >= 500 {
		// The pattern, not the path: paths carry citizens' keys (a KK
		// number, an order code), which must not reach the log.
		Logf(r.Context(), "error", "%s: %v", routeOf(r), err)
	}
	var e *Error
	field := ""
	if errors.As(err, &e) && st < 500 {
		field = e.Field
		if e.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(max(1, int((e.RetryAfter+time.Second-1)/time.Second))))
		}
	}
	writeError(w, st, code, msg, field)
}

// Func adapts a function returning (status, value, error) to an
// http.Handler: the value is sent as JSON with status, an error as
// FailErr answers it; a nil value sends the status alone.
func Func(fn func(r *http.Request) (int, any, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status, v, err := fn(r)
		switch {
		case err != nil:
			FailErr(w, r, err)
		case v == nil:
			w.WriteHeader(status)
		default:
			JSON(w, status, v)
		}
	})
}

// Bind reads exactly one JSON value from the request body into v, with
// the host's own strict rules: keys match the json names exactly (a key
// that only folds to a field's name, "STATUS" for "status", is an unknown
// field); unknown and duplicate keys, trailing data, invalid UTF-8 and NUL
// in strings are refused; a wrong type is named in the API's words ("must
// be a number"). Bad input is an *Error with the host's codes
// (malformed_json, unknown_field, invalid_field, invalid_text: 400;
// body_too_large: 413), so that a client handles the host and every
// plugin alike. A number field tagged range:"code" (input.RangeTag)
// answers a JSON number that does not fit its Go type (1e30 or 1500.5
// for an int64) with that code, 422 and the field's path, like a value
// that fits but is out of the field's range: one mistake, one answer.
func Bind(r *http.Request, v any) error {
	return bindError(input.Decode(r.Body, v))
}

// BindOptional is Bind for a body that may be left out entirely.
func BindOptional(r *http.Request, v any) error {
	return bindError(input.DecodeOptional(r.Body, v))
}

// Unmarshal is Bind for JSON the plugin already holds (an event's payload,
// a record merged with a patch), held to the same rules.
func Unmarshal(data []byte, v any) error {
	return bindError(input.DecodeBytes(data, v))
}

func bindError(err error) error {
	var e *input.Error
	if errors.As(err, &e) {
		return &Error{Status: e.Status, Code: Code(e.Code), Message: e.Message, Field: e.Field}
	}
	return err
}

// Page reads ?page=&limit= (limit 1 to 500, default 50; page from 1) as
// an offset and limit for Query.Page. A bad number, or a page whose offset
// would pass MaxOffset, is a 400 invalid_pagination *Error.
func Page(r *http.Request) (offset, limit int, err error) {
	page, limit := 1, 50
	q := r.URL.Query()
	if s := q.Get("limit"); s != "" {
		if limit, err = strconv.Atoi(s); err != nil || limit < 1 || limit > 500 {
			return 0, 0, Errorf(http.StatusBadRequest, CodeInvalidPaging, "limit must be a whole number from 1 to 500")
		}
	}
	if s := q.Get("page"); s != "" {
		last := MaxOffset/limit + 1
		if page, err = strconv.Atoi(s); err != nil || page < 1 || page > last {
			return 0, 0, Errorf(http.StatusBadRequest, CodeInvalidPaging, "page must be a whole number from 1 to %d (with limit %d)", last, limit)
		}
	}
	return (page - 1) * limit, limit, nil
}

// PageOf is the page of items at offset, at most limit long (Page's
// answer), for a list built in memory (a roll-up of villages): empty past
// the end, never out of range.
func PageOf[T any](items []T, offset, limit int) []T {
	return items[min(offset, len(items)):min(offset+limit, len(items))]
}

// ListOf is the documented list shape {"items":[...],"total":N}.
type ListOf[T any] struct {
	Items []T   `json:"items"`
	Total int64 `json:"total"`
}

// routeOf names the route that serves r for a log line: its pattern
// ("POST /orders/{code}"), never the path, which may hold a citizen's key.
func routeOf(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	return r.Method + " (unrouted)"
}
