package sdk

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestReadAnswer(t *testing.T) {
	answer := func(status int, body string) *http.Response {
		return &http.Response{StatusCode: status, Body: io.NopCloser(strings.NewReader(body))}
	}
	for _, tt := range []struct {
		name    string
		res     *http.Response
		total   int
		is      error
		code    Code
		wantErr bool
	}{
		{"a count", answer(200, `{"total":42}`), 42, nil, "", false},
		{"not found in the documented shape", answer(404, `{"error":{"code":"not_found","message":"no such resident"}}`), 0, ErrNotFound, CodeNotFound, true},
		{"the module's own code", answer(404, `{"error":{"code":"module_not_enabled","message":"off here"}}`), 0, nil, "module_not_enabled", true},
		{"an answer in no known shape", answer(502, `<html>bad gateway</html>`), 0, nil, CodeInternal, true},
		{"a 2xx that is not JSON", answer(200, `total: 42`), 0, nil, "", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var v struct{ Total int }
			err := ReadAnswer(tt.res, &v)
			if (err != nil) != tt.wantErr || v.Total != tt.total {
				t.Fatalf("ReadAnswer = %v, total %d; want error %v, total %d", err, v.Total, tt.wantErr, tt.total)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
			var e *Error
			if tt.code != "" && (!errors.As(err, &e) || e.Code != tt.code || e.Status != tt.res.StatusCode) {
				t.Errorf("error %#v, want code %s with status %d", err, tt.code, tt.res.StatusCode)
			}
		})
	}
}
