package sdk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	wire "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// Code is an error code of the documented error shape
// {"error":{"code":"...","message":"..."}}: lower-case words joined by _,
// stable across releases, for clients to act on. A plugin declares its own
// as constants (const codeNotHead sdk.Code = "not_head_of_family").
type Code string

// Codes the host, the SDK and every plugin share, with the status each is
// answered with.
const (
	// CodeInvalid: the request is well formed but its values are not (422).
	CodeInvalid Code = "invalid"
	// CodeNotFound: no such record, file or route in this tenant (404).
	CodeNotFound Code = "not_found"
	// CodeConflict: the record changed since the caller read it (409).
	CodeConflict Code = "conflict"
	// CodeDuplicate: a unique field's value is taken (409).
	CodeDuplicate Code = "duplicate"
	// CodeConditionFailed: the record does not meet an Increment's
	// conditions, such as not enough stock (409).
	CodeConditionFailed Code = "condition_failed"
	// CodeForbidden: the caller may not do this here (403).
	CodeForbidden Code = "forbidden"
	// CodeTooLarge: a body or file is over its limit (413).
	CodeTooLarge Code = "too_large"
	// CodeRateLimited: too many requests; Retry-After says when (429).
	CodeRateLimited Code = "rate_limited"
	// CodeUnavailable: a service is down for now (503).
	CodeUnavailable Code = "unavailable"
	// CodeTimeout: the request took too long (504).
	CodeTimeout Code = "timeout"
	// CodeInternal: the plugin or host failed; details are in the log (500).
	CodeInternal Code = "internal"
	// Body codes, answered by Bind: malformed_json, unknown_field,
	// invalid_field, invalid_text (400) and body_too_large (413).
	CodeMalformedJSON Code = "malformed_json"
	CodeUnknownField  Code = "unknown_field"
	CodeInvalidField  Code = "invalid_field"
	CodeInvalidText   Code = "invalid_text"
	CodeBodyTooLarge  Code = "body_too_large"
	CodeInvalidPaging Code = "invalid_pagination"
	// CodeMalformedForm: a multipart form that cannot be read, or that
	// lacks the file it must carry (400; UploadBody).
	CodeMalformedForm Code = "malformed_form"
)

// Error is an error with its HTTP status and code: what a handler returns
// to answer a client, and what storage and the host's services return to a
// plugin. errors.Is matches two Errors by Code alone, so
// errors.Is(err, sdk.ErrNotFound) holds for any not_found, wrapped or not.
type Error struct {
	Status  int
	Code    Code
	Message string
	// Field names the field at fault: the unique field that clashed, for
	// duplicate.
	Field string
	// RetryAfter, when positive, is sent as the Retry-After header in
	// whole seconds (rounded up): when the client may try again. Every
	// 429 carries one; a 503 may.
	RetryAfter time.Duration
}

func (e *Error) Error() string { return e.Message }

// Is matches another *Error with the same Code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// WithRetryAfter returns a copy of e that tells the client to try again
// after d (see RetryAfter). e itself is left as it is, so a shared error
// value can be answered with different waits.
func (e *Error) WithRetryAfter(d time.Duration) *Error {
	c := *e
	c.RetryAfter = d
	return &c
}

// Sentinels for errors.Is. Storage and the host's services return errors
// that match them; a handler may also return them as they are.
var (
	ErrNotFound        = &Error{Status: http.StatusNotFound, Code: CodeNotFound, Message: "not found"}
	ErrConflict        = &Error{Status: http.StatusConflict, Code: CodeConflict, Message: "the record changed since it was read"}
	ErrDuplicate       = &Error{Status: http.StatusConflict, Code: CodeDuplicate, Message: "a unique value is already taken"}
	ErrConditionFailed = &Error{Status: http.StatusConflict, Code: CodeConditionFailed, Message: "the record does not meet the conditions"}
	ErrInvalid         = &Error{Status: http.StatusUnprocessableEntity, Code: CodeInvalid, Message: "invalid"}
	ErrForbidden       = &Error{Status: http.StatusForbidden, Code: CodeForbidden, Message: "forbidden"}
	ErrTooLarge        = &Error{Status: http.StatusRequestEntityTooLarge, Code: CodeTooLarge, Message: "too large"}
)

// Errorf builds an *Error to return from a handler.
func Errorf(status int, code Code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// storageStatus is the HTTP status of each error code storage answers; a
// code not listed is the host's own failure or a programming error of the
// plugin (an undeclared collection, a value a field does not take): 500,
// with the details in the log only.
var storageStatus = map[Code]int{
	CodeNotFound:        http.StatusNotFound,
	CodeConflict:        http.StatusConflict,
	CodeDuplicate:       http.StatusConflict,
	CodeConditionFailed: http.StatusConflict,
	CodeInvalid:         http.StatusUnprocessableEntity,
	CodeForbidden:       http.StatusForbidden,
}

// storageError converts a wire storage error.
func storageError(e *wire.Error) error {
	if e == nil {
		return nil
	}
	st, ok := storageStatus[Code(e.Code)]
	if !ok {
		st = http.StatusInternalServerError
	}
	return &Error{Status: st, Code: Code(e.Code), Message: e.Message, Field: e.Field}
}

// grpcStatus maps the gRPC codes host services answer with (files,
// settings, calls) to an HTTP status and error code.
var grpcStatus = map[codes.Code]*Error{
	codes.NotFound:           ErrNotFound,
	codes.InvalidArgument:    ErrInvalid,
	codes.OutOfRange:         ErrTooLarge,
	codes.PermissionDenied:   ErrForbidden,
	codes.AlreadyExists:      ErrDuplicate,
	codes.FailedPrecondition: ErrConflict,
	codes.Aborted:            ErrConflict,
	codes.ResourceExhausted:  {Status: http.StatusTooManyRequests, Code: CodeRateLimited},
	codes.DeadlineExceeded:   {Status: http.StatusGatewayTimeout, Code: CodeTimeout},
	codes.Unavailable:        {Status: http.StatusServiceUnavailable, Code: CodeUnavailable},
}

// hostError converts a host service's gRPC error to an *Error that keeps
// the original in its chain, so both errors.Is(err, ErrNotFound) and the
// gRPC status remain visible.
func hostError(err error) error {
	if err == nil {
		return nil
	}
	var ge interface{ GRPCStatus() *status.Status }
	if errors.As(err, &ge) {
		st := ge.GRPCStatus()
		if m, ok := grpcStatus[st.Code()]; ok {
			return &wrapped{e: &Error{Status: m.Status, Code: m.Code, Message: st.Message()}, cause: err}
		}
	}
	return err
}

// wrapped is a host service's error seen as an *Error (for errors.Is and
// errors.As) that still unwraps to the gRPC error it came from.
type wrapped struct {
	e     *Error
	cause error
}

func (w *wrapped) Error() string        { return w.e.Message }
func (w *wrapped) Unwrap() error        { return w.cause }
func (w *wrapped) Is(target error) bool { return w.e.Is(target) }

// As lets errors.As(err, &e) with e *Error find it.
func (w *wrapped) As(target any) bool {
	if p, ok := target.(**Error); ok {
		*p = w.e
		return true
	}
	return false
}

// errorAnswer gives the status, code and client-safe message of err: an
// *Error as it says, except a 500, which is always answered generically
// (storage's plugin_error, the host's failures, a plugin's own 500s carry
// details meant for the log); a plugin's own 502, 503 or 504 (a service it
// depends on is down) passes as it set it. A context deadline is 504;
// anything else (the plugin's own bug) 500 with a generic message, so that
// internal details stay in the log.
func errorAnswer(err error) (httpStatus int, code Code, message string) {
	var e *Error
	if errors.As(err, &e) && e.Status > 0 && e.Status != http.StatusInternalServerError && e.Status < 600 {
		return e.Status, e.Code, e.Message
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return http.StatusGatewayTimeout, CodeTimeout, "the request took too long"
	}
	return http.StatusInternalServerError, CodeInternal, "the plugin could not complete the request"
}
