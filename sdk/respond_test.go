package sdk

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

func TestPage(t *testing.T) {
	tests := []struct {
		query         string
		offset, limit int
		ok            bool
	}{
		{"", 0, 50, true},
		{"page=3&limit=20", 40, 20, true},
		{"page=4294968&limit=500", 2147483500, 500, true},
		{"page=4294969&limit=500", 0, 0, false},
		{"page=2147483648&limit=1", 2147483647, 1, true},
		{"page=2147483649&limit=1", 0, 0, false},
		{"page=9223372036854775807", 0, 0, false},
		{"page=99999999999999999999999", 0, 0, false},
		{"page=0", 0, 0, false},
		{"page=-1", 0, 0, false},
		{"limit=501", 0, 0, false},
		{"limit=0", 0, 0, false},
		{"limit=x", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			offset, limit, err := Page(httptest.NewRequest("GET", "/?"+tt.query, nil))
			if !tt.ok {
				var he *HTTPError
				if !errors.As(err, &he) || he.Status != 400 || he.Code != "invalid_pagination" {
					t.Fatalf("got %d, %d, %v; want 400 invalid_pagination", offset, limit, err)
				}
				return
			}
			if err != nil || offset != tt.offset || limit != tt.limit {
				t.Fatalf("got %d, %d, %v; want %d, %d", offset, limit, err, tt.offset, tt.limit)
			}
		})
	}
}

func TestQueryPageRefusesWhatTheWireCannotCarry(t *testing.T) {
	for _, tt := range []struct {
		offset, limit int
		ok            bool
	}{{0, 50, true}, {MaxOffset, 1, true}, {MaxOffset + 1, 1, false}, {-1, 1, false}, {0, -1, false}} {
		q := (&Query{q: &pb.Query{}}).Page(tt.offset, tt.limit)
		if got := q.err == nil; got != tt.ok {
			t.Errorf("Page(%d, %d): err %v, want ok=%v", tt.offset, tt.limit, q.err, tt.ok)
		}
		if !tt.ok && ErrorCode(q.err) != "invalid" {
			t.Errorf("Page(%d, %d): code %q, want invalid", tt.offset, tt.limit, ErrorCode(q.err))
		}
	}
}

func TestBind(t *testing.T) {
	type resident struct {
		Status string `json:"status"`
		Name   string `json:"name"`
	}
	tests := []struct {
		body, code string
		status     int
	}{
		{`{"status":"alive","name":"Siti"}`, "", 0},
		{`{"STATUS":"dead"}`, "unknown_field", 400},
		{`{"ſtatus":"dead"}`, "unknown_field", 400},
		{`{"name":"a","name":"b"}`, "malformed_json", 400},
		{`{"name":"\u0000"}`, "invalid_text", 400},
		{"{\"name\":\"\xff\"}", "invalid_text", 400},
		{`{"name":1}`, "invalid_field", 400},
		{`{"name":"a"}{}`, "malformed_json", 400},
		{``, "malformed_json", 400},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			var v resident
			err := Bind(httptest.NewRequest("POST", "/", strings.NewReader(tt.body)), &v)
			var he *HTTPError
			switch {
			case tt.code == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.code != "" && (!errors.As(err, &he) || he.Code != tt.code || he.Status != tt.status):
				t.Fatalf("got %v, want %d %s", err, tt.status, tt.code)
			}
		})
	}
	var v resident
	if err := BindOptional(httptest.NewRequest("POST", "/", strings.NewReader("")), &v); err != nil {
		t.Fatalf("BindOptional of no body: %v", err)
	}
}

// TestFailErrRetryAfter: an *HTTPError with a RetryAfter answers the
// header in whole seconds, rounded up, also when wrapped; one without
// answers none.
func TestFailErrRetryAfter(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"none", Errorf(429, "too_many_attempts", "x"), ""},
		{"whole seconds", Errorf(429, "too_many_attempts", "x").WithRetryAfter(90 * time.Second), "90"},
		{"rounded up", Errorf(429, "too_many_attempts", "x").WithRetryAfter(1500 * time.Millisecond), "2"},
		{"at least one second", Errorf(429, "too_many_attempts", "x").WithRetryAfter(time.Millisecond), "1"},
		{"wrapped", fmt.Errorf("verify: %w", Errorf(429, "too_many_requests", "x").WithRetryAfter(time.Hour)), "3600"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			FailErr(w, httptest.NewRequest("POST", "/", nil), tt.err)
			if w.Code != 429 || w.Header().Get("Retry-After") != tt.want {
				t.Errorf("got %d Retry-After %q, want 429 %q", w.Code, w.Header().Get("Retry-After"), tt.want)
			}
		})
	}
	base := Errorf(429, "too_many_requests", "x")
	if base.WithRetryAfter(time.Minute); base.RetryAfter != 0 {
		t.Errorf("WithRetryAfter changed the shared error: %v", base.RetryAfter)
	}
}
