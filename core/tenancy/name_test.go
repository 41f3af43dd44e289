package tenancy

import (
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/apierr"
)

func TestCheckName(t *testing.T) {
	tests := []struct {
		name, in, want string // want "" = refused
	}{
		{"plain", "Kumantan", "Kumantan"},
		{"trimmed", "  Bangkinang Kota \n", "Bangkinang Kota"},
		{"200 accented characters", strings.Repeat("é", 200), strings.Repeat("é", 200)},
		{"201 characters", strings.Repeat("a", 201), ""},
		{"empty", "  ", ""},
		{"NUL", "Kum\x00antan", ""},
		{"invalid UTF-8", "Kum\xffantan", ""},
		{"line break inside", "Kum\nantan", ""},
		{"escape sequence", "Kum\x1b[2Jantan", ""},
		{"bidirectional override", "Desa \u202Enatnamuk", ""},
		{"zero-width space", "Kum\u200Bantan", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := checkName(tt.in)
			if tt.want == "" {
				if e, ok := apierr.As(err); !ok || e.Status != 422 || e.Code != "invalid_name" {
					t.Fatalf("got %q, %v; want 422 invalid_name", got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
