package input

import (
	"strings"
	"testing"
)

func TestTextRules(t *testing.T) {
	tests := []struct {
		name              string
		s                 string
		max               int
		clean, nameOK, ok bool // Clean, Name, Text
	}{
		{"plain", "Siti Aminah", 200, true, true, true},
		{"accents count as characters", strings.Repeat("é", 150), 200, true, true, true},
		{"decomposed accents count each rune", strings.Repeat("e\u0301", 101), 200, true, false, false},
		{"over the limit in characters", strings.Repeat("é", 201), 200, true, false, false},
		{"exactly the limit", strings.Repeat("a", 200), 200, true, true, true},
		{"no limit", strings.Repeat("a", 5000), 0, true, true, true},
		{"emoji with joiner", "Keluarga 👨\u200d👩\u200d👧", 200, true, false, true},
		{"NUL", "a\x00b", 200, false, false, false},
		{"invalid UTF-8", "a\xffb", 200, false, false, false},
		{"cut multi-byte", "\xc3", 200, false, false, false},
		{"newline", "line\nline", 200, true, false, true},
		{"tab and CR", "a\tb\r\n", 200, true, false, true},
		{"bell", "a\x07", 200, true, false, false},
		{"escape", "a\x1b[31m", 200, true, false, false},
		{"DEL", "a\x7f", 200, true, false, false},
		{"C1 control", "a\u0085", 200, true, false, false},
		{"right-to-left override", "Budi\u202Egnp.exe", 200, true, false, false},
		{"left-to-right embedding", "\u202Aa", 200, true, false, false},
		{"isolate", "a\u2067b\u2069", 200, true, false, false},
		{"right-to-left mark", "a\u200Fb", 200, true, false, false},
		{"zero-width space", "ad\u200Bmin", 200, true, false, true},
		{"byte order mark", "\uFEFFadmin", 200, true, false, true},
		{"soft hyphen", "ad\u00ADmin", 200, true, false, true},
		{"line separator", "Siti\u2028Aminah", 200, true, false, true},
		{"paragraph separator", "Siti\u2029Aminah", 200, true, false, true},
		{"replacement character", "Siti \uFFFD", 200, true, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.s) == nil; got != tt.clean {
				t.Errorf("Clean = %v, want %v", Clean(tt.s), tt.clean)
			}
			if got := Name(tt.s, tt.max) == nil; got != tt.nameOK {
				t.Errorf("Name = %v, want ok=%v", Name(tt.s, tt.max), tt.nameOK)
			}
			if got := Text(tt.s, tt.max) == nil; got != tt.ok {
				t.Errorf("Text = %v, want ok=%v", Text(tt.s, tt.max), tt.ok)
			}
		})
	}
}

func TestLen(t *testing.T) {
	if n := Len(strings.Repeat("é", 150)); n != 150 {
		t.Fatalf("Len = %d, want 150", n)
	}
}
