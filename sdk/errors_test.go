package sdk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	wire "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// stored is an error as storage answers it on the wire.
func stored(code, msg string) error { return storageError(&wire.Error{Code: code, Message: msg}) }

// Every error a handler can get from the host and leave unhandled reaches
// the client with its right status and code; a 500 is always answered
// generically, its details kept for the log.
func TestUnhandledErrorsGetTheirStatus(t *testing.T) {
	const generic = "the plugin could not complete the request"
	cases := []struct {
		name   string
		err    error
		status int
		code   Code
		msg    string
	}{
		{"guarded increment whose condition fails", stored("condition_failed", "the record does not meet the conditions"), 409, CodeConditionFailed, "the record does not meet the conditions"},
		{"wrapped condition_failed", fmt.Errorf("taking stock: %w", stored("condition_failed", "x")), 409, CodeConditionFailed, "x"},
		{"version changed", stored("conflict", "changed"), 409, CodeConflict, "changed"},
		{"unique field taken", stored("duplicate", "nik taken"), 409, CodeDuplicate, "nik taken"},
		{"record missing", stored("not_found", "record not found"), 404, CodeNotFound, "record not found"},
		{"value a client sent does not fit", stored("invalid", "age must be a whole number"), 422, CodeInvalid, "age must be a whole number"},
		{"other tenant", stored("forbidden", "no"), 403, CodeForbidden, "no"},
		{"plugin_error keeps its message out of the answer", stored("plugin_error", "collection visitz is not declared"), 500, CodeInternal, generic},
		{"host storage failure keeps its details", stored("storage_failed", "disk I/O error at /var/db"), 500, CodeInternal, generic},
		{"file too large", hostError(status.Error(codes.OutOfRange, "file too large: the limit is 10 bytes")), 413, CodeTooLarge, "file too large: the limit is 10 bytes"},
		{"file type refused", hostError(status.Error(codes.InvalidArgument, "file type not accepted")), 422, CodeInvalid, "file type not accepted"},
		{"file missing, wrapped with internal detail", fmt.Errorf("opening photo of resident 1401: %w", hostError(status.Error(codes.NotFound, "file not found"))), 404, CodeNotFound, "file not found"},
		{"expired scope", hostError(status.Error(codes.PermissionDenied, "unknown or expired scope")), 403, CodeForbidden, "unknown or expired scope"},
		{"host busy", hostError(status.Error(codes.Unavailable, "draining")), 503, CodeUnavailable, "draining"},
		{"host internal", hostError(status.Error(codes.Internal, "storage failed; see the host log")), 500, CodeInternal, generic},
		{"deadline", fmt.Errorf("query: %w", context.DeadlineExceeded), 504, CodeTimeout, "the request took too long"},
		{"plugin's own bug", errors.New("nil map in handler"), 500, CodeInternal, generic},
		{"plugin's own 500 is generic too", Errorf(500, "db_broken", "password=hunter2 rejected"), 500, CodeInternal, generic},
		{"plugin's own 503 passes", Errorf(503, CodeUnavailable, "the SMS gateway is down"), 503, CodeUnavailable, "the SMS gateway is down"},
		{"explicit error wins, wrapped", fmt.Errorf("ctx: %w", Errorf(418, "teapot", "short and stout")), 418, "teapot", "short and stout"},
		{"sentinel returned as is", ErrNotFound, 404, CodeNotFound, "not found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, via := range []string{"FailErr", "Func"} {
				rec := httptest.NewRecorder()
				r := httptest.NewRequest("POST", "/x", nil)
				if via == "FailErr" {
					FailErr(rec, r, c.err)
				} else {
					Func(func(*http.Request) (int, any, error) { return 201, map[string]int{"n": 1}, c.err }).ServeHTTP(rec, r)
				}
				var body struct {
					Error struct {
						Code    Code
						Message string
					} `json:"error"`
				}
				if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
					t.Fatalf("%s: body %q is not the error shape: %v", via, rec.Body, err)
				}
				if rec.Code != c.status || body.Error.Code != c.code || body.Error.Message != c.msg {
					t.Errorf("%s: %d %s %q, want %d %s %q", via, rec.Code, body.Error.Code, body.Error.Message, c.status, c.code, c.msg)
				}
			}
		})
	}
}

// errors.Is matches by code whatever the message, the status or the
// wrapping, for storage's errors, the host services' gRPC errors and a
// handler's own; errors.As still finds the *Error, and a host service's
// error still carries its gRPC status.
func TestErrorsIsMatchesByCode(t *testing.T) {
	grpcNotFound := status.Error(codes.NotFound, "file not found")
	cases := []struct {
		name   string
		err    error
		target *Error
		want   bool
	}{
		{"storage not_found", stored("not_found", "record not found"), ErrNotFound, true},
		{"storage not_found is no conflict", stored("not_found", "record not found"), ErrConflict, false},
		{"wrapped storage conflict", fmt.Errorf("saving: %w", stored("conflict", "x")), ErrConflict, true},
		{"storage duplicate", stored("duplicate", "taken"), ErrDuplicate, true},
		{"duplicate is no conflict", stored("duplicate", "taken"), ErrConflict, false},
		{"storage condition_failed", stored("condition_failed", "x"), ErrConditionFailed, true},
		{"storage invalid", stored("invalid", "x"), ErrInvalid, true},
		{"storage forbidden", stored("forbidden", "x"), ErrForbidden, true},
		{"plugin_error is nothing a client caused", stored("plugin_error", "x"), ErrInvalid, false},
		{"gRPC NotFound", hostError(grpcNotFound), ErrNotFound, true},
		{"gRPC OutOfRange", hostError(status.Error(codes.OutOfRange, "big")), ErrTooLarge, true},
		{"gRPC InvalidArgument", hostError(status.Error(codes.InvalidArgument, "type")), ErrInvalid, true},
		{"gRPC PermissionDenied", hostError(status.Error(codes.PermissionDenied, "no")), ErrForbidden, true},
		{"gRPC AlreadyExists", hostError(status.Error(codes.AlreadyExists, "x")), ErrDuplicate, true},
		{"gRPC Aborted", hostError(status.Error(codes.Aborted, "x")), ErrConflict, true},
		{"gRPC Internal matches no sentinel", hostError(status.Error(codes.Internal, "x")), ErrNotFound, false},
		{"a handler's own code", Errorf(404, CodeNotFound, "no such child %s", "x"), ErrNotFound, true},
		{"a plugin's code is not a shared one", Errorf(409, "not_head_of_family", "x"), ErrConflict, false},
		{"plain error", errors.New("not found"), ErrNotFound, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := errors.Is(c.err, c.target); got != c.want {
				t.Errorf("errors.Is(%v, %s) = %v, want %v", c.err, c.target.Code, got, c.want)
			}
		})
	}
	err := fmt.Errorf("photo: %w", hostError(grpcNotFound))
	var e *Error
	if !errors.As(err, &e) || e.Status != 404 || e.Code != CodeNotFound || e.Message != "file not found" {
		t.Errorf("errors.As found %+v", e)
	}
	if st, ok := status.FromError(errors.Unwrap(errors.Unwrap(err))); !ok || st.Code() != codes.NotFound {
		t.Errorf("the gRPC status is lost: %v", st)
	}
	if s := stored("duplicate", "nik taken"); s.(*Error).Field != "" {
		t.Errorf("field set from nothing: %+v", s)
	}
	if s := storageError(&wire.Error{Code: "duplicate", Message: "taken", Field: "nik"}); s.(*Error).Field != "nik" {
		t.Errorf("duplicate lost its field: %+v", s)
	}
	if storageError(nil) != nil || hostError(nil) != nil {
		t.Error("no error became one")
	}
}

// A client error's field is answered beside its message; a 500's never.
func TestFailErrField(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{&Error{Status: 409, Code: CodeDuplicate, Message: "taken", Field: "nik"}, `"field":"nik"`},
		{&Error{Status: 500, Code: "x", Message: "y", Field: "nik"}, ""},
	} {
		w := httptest.NewRecorder()
		FailErr(w, httptest.NewRequest("POST", "/", nil), c.err)
		if got := strings.Contains(w.Body.String(), `"field"`); got != (c.want != "") || !strings.Contains(w.Body.String(), c.want) {
			t.Errorf("%v answered %s, want field %q", c.err, w.Body, c.want)
		}
	}
}

// An *Error with a RetryAfter answers the header in whole seconds, rounded
// up, also when wrapped; one without answers none; WithRetryAfter leaves a
// shared error as it was.
func TestFailErrRetryAfter(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"none", Errorf(429, CodeRateLimited, "x"), ""},
		{"whole seconds", Errorf(429, CodeRateLimited, "x").WithRetryAfter(90 * time.Second), "90"},
		{"rounded up", Errorf(429, CodeRateLimited, "x").WithRetryAfter(1500 * time.Millisecond), "2"},
		{"at least one second", Errorf(429, CodeRateLimited, "x").WithRetryAfter(time.Millisecond), "1"},
		{"wrapped", fmt.Errorf("verify: %w", Errorf(429, "too_many_attempts", "x").WithRetryAfter(time.Hour)), "3600"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			FailErr(w, httptest.NewRequest("POST", "/", nil), tt.err)
			if w.Code != 429 || w.Header().Get("Retry-After") != tt.want {
				t.Errorf("got %d Retry-After %q, want 429 %q", w.Code, w.Header().Get("Retry-After"), tt.want)
			}
		})
	}
	if ErrNotFound.WithRetryAfter(time.Minute); ErrNotFound.RetryAfter != 0 {
		t.Errorf("WithRetryAfter changed the sentinel: %v", ErrNotFound.RetryAfter)
	}
}
