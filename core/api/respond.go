// Package api serves the host's HTTP API under /api/v1: authentication,
// tenants, users, roles, grants and the audit trail, with the documented
// JSON conventions and error shape.
package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/sdk/input"
)

// MaxBodyBytes bounds every admin API request body.
const MaxBodyBytes = 1 << 20

// WriteJSON sends v with status.
func WriteJSON(w http.ResponseWriter, status int, v any) { writeJSON(w, status, v) }

// Decode reads a JSON request body the way every admin endpoint does.
func Decode(r *http.Request, v any) error { return decode(r, v) }

// ParsePage reads ?page=&limit=.
func ParsePage(r *http.Request) (Page, error) { return parsePage(r) }

// writeJSON sends v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

type errorBody struct {
	Error *apierr.Error `json:"error"`
}

// ErrorJSON is the body WriteError sends for e, {"error":{...}} and a
// newline, for answers that do not go through an http.ResponseWriter (a
// plugin's call to another plugin).
func ErrorJSON(e *apierr.Error) []byte {
	b, err := json.Marshal(errorBody{Error: e})
	if err != nil {
		// apierr.Error holds strings and numbers only.
		panic(fmt.Sprintf("encoding an API error: %v", err))
	}
	return append(b, '\n')
}

// WriteError sends err in the documented shape. Errors that are not the
// caller's fault are logged and answered with a generic 500, so internals
// (SQL, paths) never reach the client.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	e, ok := apierr.As(err)
	if !ok {
		logger(r).Error("request failed", "err", err)
		e = apierr.New(http.StatusInternalServerError, "internal", "the server could not complete the request; the request id is %s", RequestID(r.Context()))
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfter))
	}
	writeJSON(w, e.Status, errorBody{Error: e})
}

// decode reads a JSON body into v with the strict rules of sdk/input that
// every plugin also follows: keys match exactly (a key that only folds to a
// field's name is unknown), unknown and duplicate keys, trailing data,
// invalid UTF-8 and NUL in strings are refused, and bodies over the limit.
// The Content-Type is not checked: a body is JSON or it is refused, and
// curl's default form type should not be in the way.
func decode(r *http.Request, v any) error {
	return decodeError(input.Decode(r.Body, v))
}

// decodeError turns a refusal of the strict decoder into the documented
// error; other errors (a target that is not a pointer) stay internal.
func decodeError(err error) error {
	var e *input.Error
	if errors.As(err, &e) {
		return apierr.New(e.Status, e.Code, "%s", e.Message)
	}
	return err
}

// List is the documented shape of every listing.
type List[T any] struct {
	Items []T   `json:"items"`
	Total int64 `json:"total"`
}

// Page is a parsed ?page=&limit= pair.
type Page struct{ Page, Limit int }

// Offset is where the page starts.
func (p Page) Offset() int { return (p.Page - 1) * p.Limit }

// MaxLimit is the largest page a listing returns.
const MaxLimit = 500

func parsePage(r *http.Request) (Page, error) {
	p := Page{Page: 1, Limit: 50}
	q := r.URL.Query()
	for _, f := range []struct {
		name string
		dst  *int
		max  int
	}{{"page", &p.Page, 1 << 30}, {"limit", &p.Limit, MaxLimit}} {
		s := q.Get(f.name)
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > f.max {
			return p, apierr.BadRequest("invalid_pagination", "%s must be a whole number from 1 to %d", f.name, f.max)
		}
		*f.dst = n
	}
	return p, nil
}

func logger(r *http.Request) *slog.Logger {
	if info, ok := r.Context().Value(reqInfoKey{}).(*reqInfo); ok {
		return info.logger()
	}
	return slog.Default()
}

func pathInt(s string) (uint, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, apierr.NotFound("not_found", "%q is not a valid id", s)
	}
	return uint(n), nil
}
