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
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
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
		Fail(w, he.Status, he.Code, he.Message)
		return
	}
	st, code, msg := ErrorStatus(err)
	if st >= 500 {
		Logf(r.Context(), "error", "%s %s: %v", r.Method, r.URL.Path, err)
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

// Decode reads a JSON body into v, refusing unknown fields. On failure it
// has already answered 400 and returns false.
func Decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			Fail(w, http.StatusRequestEntityTooLarge, "body_too_large", "the body is too large")
			return false
		}
		Fail(w, http.StatusBadRequest, "malformed_json", "the body is not valid JSON for this request: "+err.Error())
		return false
	}
	return true
}

// HTTPError is an error with its HTTP status and code, for Func handlers.
type HTTPError struct {
	Status  int
	Code    string
	Message string
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

// Bind reads exactly one JSON value into v, refusing unknown fields, and
// answers bad input with the same codes as the host's own API
// (malformed_json, unknown_field, invalid_field, body_too_large), so that
// a client handles the host and every plugin alike.
func Bind(r *http.Request, v any) error {
	return bind(r, v, false)
}

// BindOptional is Bind for a body that may be left out entirely.
func BindOptional(r *http.Request, v any) error {
	return bind(r, v, true)
}

func bind(r *http.Request, v any, optional bool) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if optional && errors.Is(err, io.EOF) {
			return nil
		}
		return bindError(err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return Errorf(http.StatusBadRequest, "malformed_json", "the body must hold exactly one JSON value")
	}
	return nil
}

func bindError(err error) error {
	var maxErr *http.MaxBytesError
	var syntaxErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &maxErr):
		return Errorf(http.StatusRequestEntityTooLarge, "body_too_large", "the body is larger than %d bytes", maxErr.Limit)
	case errors.Is(err, io.EOF):
		return Errorf(http.StatusBadRequest, "malformed_json", "the body is empty: send a JSON object")
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		return Errorf(http.StatusBadRequest, "malformed_json", "the body is not valid JSON: %v", err)
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return Errorf(http.StatusBadRequest, "invalid_field", "field %q must be a %s", typeErr.Field, typeErr.Type)
	case errors.As(err, &typeErr):
		return Errorf(http.StatusBadRequest, "malformed_json", "the body must be a JSON %s", typeErr.Type.Kind())
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return Errorf(http.StatusBadRequest, "unknown_field", "the body has an unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return Errorf(http.StatusBadRequest, "malformed_json", "the body could not be read: %v", err)
}

// Page reads ?page=&limit= (limit at most 500, default 50) as offset and limit.
func Page(r *http.Request) (offset, limit int, err error) {
	page, limit := 1, 50
	q := r.URL.Query()
	if s := q.Get("page"); s != "" {
		if page, err = strconv.Atoi(s); err != nil || page < 1 {
			return 0, 0, Errorf(http.StatusBadRequest, "invalid_pagination", "page must be a whole number from 1")
		}
	}
	if s := q.Get("limit"); s != "" {
		if limit, err = strconv.Atoi(s); err != nil || limit < 1 || limit > 500 {
			return 0, 0, Errorf(http.StatusBadRequest, "invalid_pagination", "limit must be a whole number from 1 to 500")
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
