// Package api serves the host's HTTP API under /api/v1: authentication,
// tenants, users, roles, grants and the audit trail, with the documented
// JSON conventions and error shape.
package api

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/balaidesa/balai/core/apierr"
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

// decode reads a JSON body into v, refusing unknown fields, trailing data,
// and bodies over the limit. The Content-Type is not checked: a body is JSON
// or it is refused, and curl's default form type should not be in the way.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return apierr.BadRequest("malformed_json", "the body must hold exactly one JSON object")
	}
	return nil
}

func decodeError(err error) error {
	var maxErr *http.MaxBytesError
	var syntaxErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &maxErr):
		return apierr.New(http.StatusRequestEntityTooLarge, "body_too_large", "the body is larger than %d bytes", maxErr.Limit)
	case errors.Is(err, io.EOF):
		return apierr.BadRequest("malformed_json", "the body is empty: send a JSON object")
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		return apierr.BadRequest("malformed_json", "the body is not valid JSON: %v", err)
	case errors.As(err, &typeErr):
		return apierr.BadRequest("invalid_field", "field %q must be a %s", typeErr.Field, typeErr.Type)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return apierr.BadRequest("unknown_field", "the body has an unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return apierr.BadRequest("malformed_json", "the body could not be read: %v", err)
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
	if l, ok := r.Context().Value(loggerKey{}).(*slog.Logger); ok {
		return l
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
