package sdk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Every error a handler can get from the host and leave unhandled reaches
// the client with its right status and code, never as a 500 unless it is
// the host's or the plugin's own failure.
func TestUnhandledErrorsGetTheirStatus(t *testing.T) {
	stored := func(code, msg string) error { return &Error{Code: code, Message: msg} }
	cases := []struct {
		name   string
		err    error
		status int
		code   string
		msg    string
	}{
		{"guarded increment whose condition fails", stored("condition_failed", "the record does not meet the conditions"), 409, "condition_failed", "the record does not meet the conditions"},
		{"wrapped condition_failed", fmt.Errorf("taking stock: %w", stored("condition_failed", "x")), 409, "condition_failed", "x"},
		{"version changed", stored("conflict", "changed"), 409, "conflict", "changed"},
		{"unique field taken", stored("duplicate", "nik taken"), 409, "duplicate", "nik taken"},
		{"record missing", stored("not_found", "record not found"), 404, "not_found", "record not found"},
		{"field does not fit", stored("invalid", "age must be an int"), 422, "invalid", "age must be an int"},
		{"other tenant", stored("forbidden", "no"), 403, "forbidden", "no"},
		{"host storage failure keeps its details", stored("storage_failed", "disk I/O error at /var/db"), 500, "internal", "the plugin could not complete the request"},
		{"file too large", status.Error(codes.OutOfRange, "file too large: the limit is 10 bytes"), 413, "too_large", "file too large: the limit is 10 bytes"},
		{"file type refused", status.Error(codes.InvalidArgument, "file type not accepted"), 422, "invalid", "file type not accepted"},
		{"file missing, wrapped with internal detail", fmt.Errorf("opening photo of resident 1401: %w", status.Error(codes.NotFound, "file not found")), 404, "not_found", "file not found"},
		{"expired scope", status.Error(codes.PermissionDenied, "unknown or expired scope"), 403, "forbidden", "unknown or expired scope"},
		{"host internal", status.Error(codes.Internal, "storage failed; see the host log"), 500, "internal", "the plugin could not complete the request"},
		{"deadline", fmt.Errorf("query: %w", context.DeadlineExceeded), 504, "timeout", "the request took too long"},
		{"plugin's own bug", errors.New("nil map in handler"), 500, "internal", "the plugin could not complete the request"},
		{"explicit HTTPError wins", fmt.Errorf("ctx: %w", Errorf(418, "teapot", "short and stout")), 418, "teapot", "short and stout"},
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
					Error struct{ Code, Message string } `json:"error"`
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
