package sdk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/balaidesa/balai/sdk/input"
)

var stderr io.Writer = os.Stderr

// JSON writes v as a JSON response.
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Fail writes an error in Balai's documented shape
// {"error":{"code":"...","message":"..."}}.
func Fail(w http.ResponseWriter, status int, code, message string) {
	JSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": message}})
}

// FailErr answers err in the documented error shape with its right
// status: an *HTTPError as it says, a storage *Error and a host service's
// refusal (file too large, wrong file type, unknown file, ...) by
// ErrorStatus, anything else as a 500 whose details stay in the log. A
// handler that does not handle a storage error itself thus still answers
// a client's conflict with 409, not 500.
func FailErr(w http.ResponseWriter, r *http.Request, err error) {
	var he *HTTPError
	if errors.As(err, &he) {
		if he.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(he.RetryAfter)))
		}
		Fail(w, he.Status, he.Code, he.Message)
		return
	}
	st, code, msg := ErrorStatus(err)
	if st >= 500 {
		// The pattern, not the path: paths carry citizens' keys (a KK
		// number, an order code), which must not reach the log.
		Logf(r.Context(), "error", "%s: %v", routeOf(r), err)
	}
	Fail(w, st, code, msg)
}

// storageStatus is the HTTP status of each storage error code; a code not
// listed is the host's own failure (500).
var storageStatus = map[string]int{
	"not_found":        http.StatusNotFound,
	"conflict":         http.StatusConflict, // the record changed since it was read
	"duplicate":        http.StatusConflict, // a unique field is taken
	"condition_failed": http.StatusConflict, // a guarded increment's condition does not hold
	"invalid":          http.StatusUnprocessableEntity,
	"forbidden":        http.StatusForbidden,
}

// grpcStatus maps the gRPC codes host services answer with (files,
// settings, calls) to an HTTP status and error code.
var grpcStatus = map[codes.Code]struct {
	status int
	code   string
}{
	codes.NotFound:           {http.StatusNotFound, "not_found"},
	codes.InvalidArgument:    {http.StatusUnprocessableEntity, "invalid"},
	codes.OutOfRange:         {http.StatusRequestEntityTooLarge, "too_large"},
	codes.PermissionDenied:   {http.StatusForbidden, "forbidden"},
	codes.AlreadyExists:      {http.StatusConflict, "duplicate"},
	codes.FailedPrecondition: {http.StatusConflict, "conflict"},
	codes.Aborted:            {http.StatusConflict, "conflict"},
	codes.ResourceExhausted:  {http.StatusTooManyRequests, "too_many_requests"},
	codes.DeadlineExceeded:   {http.StatusGatewayTimeout, "timeout"},
	codes.Unavailable:        {http.StatusServiceUnavailable, "unavailable"},
}

// ErrorStatus gives the HTTP status, error code and client-safe message of
// an error a plugin got from the host: a storage *Error by its code (409
// for conflict, duplicate and condition_failed, 404 not_found, 422
// invalid, 403 forbidden), a host service's gRPC status by its code, a
// context deadline as 504. Anything else is 500 "internal" with a generic
// message, so internal details never reach the client.
func ErrorStatus(err error) (httpStatus int, code, message string) {
	var e *Error
	if errors.As(err, &e) {
		if s, ok := storageStatus[e.Code]; ok {
			return s, e.Code, e.Message
		}
		return http.StatusInternalServerError, "internal", "the plugin could not complete the request"
	}
	var ge interface{ GRPCStatus() *status.Status }
	if errors.As(err, &ge) {
		// The host's own status, not a plugin's wrapping of it: the
		// wrapping may hold details meant for the log.
		st := ge.GRPCStatus()
		if m, known := grpcStatus[st.Code()]; known {
			return m.status, m.code, st.Message()
		}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return http.StatusGatewayTimeout, "timeout", "the request took too long"
	}
	return http.StatusInternalServerError, "internal", "the plugin could not complete the request"
}

// Decode reads a JSON body into v with the rules of Bind. On failure it
// has already answered in the documented shape and returns false.
func Decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := Bind(r, v); err != nil {
		var he *HTTPError
		if errors.As(err, &he) {
			Fail(w, he.Status, he.Code, he.Message)
		} else {
			FailErr(w, r, err)
		}
		return false
	}
	return true
}

// HTTPError is an error with its HTTP status and code, for Func handlers.
type HTTPError struct {
	Status  int
	Code    string
	Message string
	// RetryAfter, when positive, is sent as the Retry-After header in
	// whole seconds (rounded up): when the client may try again. Every
	// 429 carries one (PRODUCT: 429 comes with Retry-After), a 503 may.
	RetryAfter time.Duration
}

// WithRetryAfter returns a copy of e that tells the client to try again
// after d (see RetryAfter). e itself is left as it is, so a shared error
// value can be answered with different waits.
func (e *HTTPError) WithRetryAfter(d time.Duration) *HTTPError {
	c := *e
	c.RetryAfter = d
	return &c
}

// retryAfterSeconds is d in whole seconds, rounded up and at least 1.
func retryAfterSeconds(d time.Duration) int {
	return max(1, int((d+time.Second-1)/time.Second))
}

func (e *HTTPError) Error() string { return e.Message }

// Errorf builds an HTTPError.
func Errorf(status int, code, format string, args ...any) *HTTPError {
	return &HTTPError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Func adapts a function returning (status, value, error) to an
// http.Handler: the value is sent as JSON, an error in the documented error
// shape (*HTTPError and storage errors with their status, others as 500).
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

// Bind reads exactly one JSON value into v with the strict rules of
// sdk/input, the host's own: keys match the json names exactly (a key that
// only folds to a field's name, "STATUS" or "ſtatus" for "status", is an
// unknown field), unknown and duplicate keys, trailing data, invalid UTF-8
// and NUL in strings are refused. Bad input is answered with the host's
// codes (malformed_json, unknown_field, invalid_field, invalid_text: 400;
// body_too_large: 413) as an *HTTPError, so that a client handles the host
// and every plugin alike.
func Bind(r *http.Request, v any) error {
	return bindError(input.Decode(r.Body, v))
}

// BindOptional is Bind for a body that may be left out entirely.
func BindOptional(r *http.Request, v any) error {
	return bindError(input.DecodeOptional(r.Body, v))
}

// Unmarshal is Bind for a body the handler has already read or built (a
// record merged with a patch), so that it is held to the same rules.
func Unmarshal(data []byte, v any) error {
	return bindError(input.DecodeBytes(data, v))
}

func bindError(err error) error {
	var e *input.Error
	if errors.As(err, &e) {
		return &HTTPError{Status: e.Status, Code: e.Code, Message: e.Message}
	}
	return err
}

// Page reads ?page=&limit= (limit at most 500, default 50) as offset and
// limit. A page whose offset would pass MaxOffset is refused with 400
// invalid_pagination like any other bad number, instead of overflowing
// into a negative offset the storage refuses.
func Page(r *http.Request) (offset, limit int, err error) {
	page, limit := 1, 50
	q := r.URL.Query()
	if s := q.Get("limit"); s != "" {
		if limit, err = strconv.Atoi(s); err != nil || limit < 1 || limit > 500 {
			return 0, 0, Errorf(http.StatusBadRequest, "invalid_pagination", "limit must be a whole number from 1 to 500")
		}
	}
	if s := q.Get("page"); s != "" {
		last := MaxOffset/limit + 1
		if page, err = strconv.Atoi(s); err != nil || page < 1 || page > last {
			return 0, 0, Errorf(http.StatusBadRequest, "invalid_pagination", "page must be a whole number from 1 to %d (with limit %d)", last, limit)
		}
	}
	return (page - 1) * limit, limit, nil
}

// ListOf is the documented list shape {"items":[...],"total":N}.
type ListOf[T any] struct {
	Items []T   `json:"items"`
	Total int64 `json:"total"`
}

// List pages through the collection as ?page=&limit= ask, newest last,
// and answers the documented list shape.
func (c *Records) List(r *http.Request) (int, any, error) {
	offset, limit, err := Page(r)
	if err != nil {
		return 0, nil, err
	}
	recs, total, err := c.Query().Page(offset, limit).WithTotal().Run(r.Context())
	return http.StatusOK, ListOf[Record]{Items: recs, Total: total}, err
}

// routeOf names the route that serves r for a log line: its ServeMux
// pattern ("POST /orders/{code}"), or the method alone when r was not
// routed by a ServeMux.
func routeOf(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	return r.Method + " (unrouted)"
}
