// Package apierr holds the error type every layer of the host returns when the
// caller, not the host, is at fault. It carries the HTTP status and the stable
// snake_case code of the documented error shape
// {"error":{"code":"...","message":"..."}}, so a service can say precisely
// what went wrong without knowing whether an HTTP handler or the CLI called it.
package apierr

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Error is a caller-facing failure.
type Error struct {
	Status  int    `json:"-"`
	Code    string `json:"code"`
	Message string `json:"message"`
	// RetryAfter, in seconds, is sent as the Retry-After header when set.
	RetryAfter int `json:"-"`
}

func (e *Error) Error() string { return e.Message }

// New builds an Error with a formatted message.
func New(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Shorthands for the statuses the API documents.
func Invalid(code, format string, args ...any) *Error {
	return New(http.StatusUnprocessableEntity, code, format, args...)
}
func BadRequest(code, format string, args ...any) *Error {
	return New(http.StatusBadRequest, code, format, args...)
}
func NotFound(code, format string, args ...any) *Error {
	return New(http.StatusNotFound, code, format, args...)
}
func Conflict(code, format string, args ...any) *Error {
	return New(http.StatusConflict, code, format, args...)
}
func Forbidden(format string, args ...any) *Error {
	return New(http.StatusForbidden, "forbidden", format, args...)
}
func Unauthorized(code, format string, args ...any) *Error {
	return New(http.StatusUnauthorized, code, format, args...)
}

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// FromBody turns an error answer in the documented shape back into an
// Error, for clients of the API such as the CLI going through a plugin.
func FromBody(status int, body []byte) *Error {
	var shape struct {
		Error *Error `json:"error"`
	}
	if json.Unmarshal(body, &shape) == nil && shape.Error != nil && shape.Error.Code != "" {
		shape.Error.Status = status
		return shape.Error
	}
	msg := strings.TrimSpace(string(body))
	if len(msg) > 300 {
		msg = msg[:300] + "..."
	}
	return New(status, "http_"+strconv.Itoa(status), "%s: %s", http.StatusText(status), msg)
}
