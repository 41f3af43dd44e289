package auth_test

import (
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/auth"
)

func TestCheckFullName(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"plain", "Siti Aminah", true},
		{"empty", "", true},
		{"150 accented characters (300 bytes)", strings.Repeat("é", 150), true},
		{"200 characters", strings.Repeat("é", 200), true},
		{"201 characters", strings.Repeat("a", 201), false},
		{"NUL", "Siti\x00", false},
		{"invalid UTF-8", "Siti\xc3", false},
		{"line break", "Siti\nAdmin", false},
		{"right-to-left override", "Siti \u202Enimda", false},
		{"isolate", "Siti \u2066x\u2069", false},
		{"zero-width joiner", "ad\u200Dmin", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := auth.CheckFullName(tt.in)
			if tt.ok != (err == nil) || (!tt.ok && code(err) != "invalid_full_name") {
				t.Fatalf("got %v, want ok=%v", err, tt.ok)
			}
		})
	}
}
