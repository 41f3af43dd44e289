package tenancy

import (
	"reflect"
	"testing"

	"github.com/balaidesa/balai/core/apierr"
)

func TestParseCode(t *testing.T) {
	tests := []struct {
		code   string
		level  Level
		parent string
		ok     bool
	}{
		{"14", Province, "", true},
		{"14.01", Regency, "14", true},
		{"14.01.01", District, "14.01", true},
		{"14.01.01.2009", Village, "14.01.01", true},
		{"", "", "", false},
		{"1", "", "", false},
		{"140", "", "", false},
		{"14.1", "", "", false},
		{"14.01.01.209", "", "", false},
		{"14.01.01.2009.1", "", "", false},
		{"14.0a", "", "", false},
		{"00", "", "", false},
		{"14.00", "", "", false},
		{"14..01", "", "", false},
		{"14.01.", "", "", false},
		{" 14", "", "", false},
	}
	for _, tt := range tests {
		level, parent, err := ParseCode(tt.code)
		if (err == nil) != tt.ok {
			t.Errorf("ParseCode(%q) error = %v, want ok=%v", tt.code, err, tt.ok)
			continue
		}
		if err != nil {
			if e, ok := apierr.As(err); !ok || e.Code != "invalid_code" || e.Status != 422 {
				t.Errorf("ParseCode(%q) error = %#v, want 422 invalid_code", tt.code, err)
			}
			continue
		}
		if level != tt.level || parent != tt.parent {
			t.Errorf("ParseCode(%q) = %s, %q; want %s, %q", tt.code, level, parent, tt.level, tt.parent)
		}
	}
}

func TestAncestorsAndWithin(t *testing.T) {
	if got, want := Ancestors("14.01.01.2009"), []string{"14.01.01", "14.01", "14"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Ancestors = %v, want %v", got, want)
	}
	if got := Ancestors("14"); len(got) != 0 {
		t.Errorf("Ancestors(14) = %v, want none", got)
	}
	within := []struct {
		code, anc string
		want      bool
	}{
		{"14.01.01.2009", "14.01", true},
		{"14.01", "14.01", true},
		{"14.010", "14.01", false},
		{"14.05.01", "14.01", false},
		{"14", "14.01", false},
		{"14.01.01", "1", false},
	}
	for _, tt := range within {
		if got := Within(tt.code, tt.anc); got != tt.want {
			t.Errorf("Within(%q, %q) = %v, want %v", tt.code, tt.anc, got, tt.want)
		}
	}
}
