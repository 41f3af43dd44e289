package main

import (
	"slices"
	"strings"
	"testing"
)

// TestCheckNIK: only what cannot be a NIK is refused; a date or sex part
// that disagrees with the record, or a sub-district code since renumbered,
// is a warning (issue 11 item 1).
func TestCheckNIK(t *testing.T) {
	tests := []struct {
		name, nik, birth, sex string
		reason                string   // refused with this in the reason
		warns                 []string // else accepted with these warnings
	}{
		{"man", "1401011503900001", "1990-03-15", "L", "", nil},
		{"woman", "1401015503900002", "1990-03-15", "P", "", nil},
		{"born 2005", "1401010101050003", "2005-01-01", "L", "", nil},
		{"woman born on the 31st", "1401017112900002", "1990-12-31", "P", "", nil},
		{"short", "140101150390001", "1990-03-15", "L", "16 digits", nil},
		{"letters", "14010115039000A1", "1990-03-15", "L", "16 digits", nil},
		{"unknown province", "9901011503900001", "1990-03-15", "L", "no sub-district code", nil},
		{"unknown regency", "1499011503900001", "1990-03-15", "L", "no sub-district code", nil},
		{"unknown sub-district", "1401991503900001", "1990-03-15", "L", "no sub-district code", nil},
		{"a temporary number typed", "0140101200900001", "1990-03-15", "L", "no sub-district code", nil},
		{"day 00", "1401010003900001", "1990-03-15", "L", "not a birth date", nil},
		{"day 32", "1401013203900001", "1990-03-15", "L", "not a birth date", nil},
		{"day 40", "1401014003900001", "1990-03-15", "P", "not a birth date", nil},
		{"day 72", "1401017203900001", "1990-03-15", "P", "not a birth date", nil},
		{"month 00", "1401011500900001", "1990-03-15", "L", "not a birth date", nil},
		{"month 13", "1401011513900001", "1990-03-15", "L", "not a birth date", nil},
		{"serial 0000", "1401011503900000", "1990-03-15", "L", "0000", nil},
		// Lawful NIKs that disagree with the record: warnings.
		{"birth date corrected since", "1401011503900001", "1990-03-16", "L", "", []string{warnNIKBirthDate}},
		{"other year", "1401011503900001", "1991-03-15", "L", "", []string{warnNIKBirthDate}},
		{"woman's NIK, sex L", "1401015503900002", "1990-03-15", "L", "", []string{warnNIKSex}},
		{"man's NIK, sex P", "1401011503900001", "1990-03-15", "P", "", []string{warnNIKSex}},
		{"both", "1401011503900001", "1990-04-15", "P", "", []string{warnNIKBirthDate, warnNIKSex}},
		// Merauke was 91.01 until Papua Selatan (93) was formed in 2022.
		{"Merauke before 2022", "9101011503900001", "1990-03-15", "L", "", []string{warnNIKRegion}},
		{"Merauke today", "9301011503900001", "1990-03-15", "L", "", nil},
		// Sorong was 92.01 until Papua Barat Daya (96) was formed in 2022.
		{"Sorong before 2022", "9201011503900001", "1990-03-15", "L", "", []string{warnNIKRegion}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			warns, err := CheckNIK(tt.nik, tt.birth, tt.sex)
			if tt.reason != "" {
				e, ok := err.(*NIKError)
				if !ok || e.Field != "nik" || !strings.Contains(e.Reason, tt.reason) {
					t.Errorf("CheckNIK(%s) = %v, want refused for %q", tt.nik, err, tt.reason)
				}
				return
			}
			if err != nil {
				t.Fatalf("CheckNIK(%s) refused a lawful NIK: %v", tt.nik, err)
			}
			var codes []string
			for _, w := range warns {
				codes = append(codes, w.Code)
				if w.Message == "" {
					t.Errorf("warning %s without a message", w.Code)
				}
			}
			if !slices.Equal(codes, tt.warns) {
				t.Errorf("CheckNIK(%s, %s, %s) warns %v, want %v", tt.nik, tt.birth, tt.sex, warns, tt.warns)
			}
		})
	}
	// The warning names today's code, for the clerk.
	warns, _ := CheckNIK("9101011503900001", "1990-03-15", "L")
	if len(warns) != 1 || !strings.Contains(warns[0].Message, "91.01.01") || !strings.Contains(warns[0].Message, "93.01.01 today") {
		t.Errorf("Merauke's warning: %v", warns)
	}
}

func TestCheckKKAndMask(t *testing.T) {
	for kk, want := range map[string]string{
		"1401012001150001": "",
		"9101012001150001": warnKKRegion, // historical code: accepted, warned
		"1401013201150001": "refused",    // day 32
		"9999012001150001": "refused",
		"1401012001150000": "refused",
		"14010120011500":   "refused",
	} {
		warns, err := CheckKK(kk)
		got := ""
		switch {
		case err != nil:
			got = "refused"
		case len(warns) > 0:
			got = warns[0].Code
		}
		if got != want {
			t.Errorf("CheckKK(%s) = %v %v, want %q", kk, warns, err, want)
		}
	}
	if got := Mask("1401011503900001"); got != "1401**********01" {
		t.Errorf("Mask = %s", got)
	}
	today, past := 0, 0
	for _, now := range kecamatan {
		if now == "" {
			today++
		} else {
			past++
		}
	}
	// Today's list (Kepmendagri 300.2.2-2138/2025) and the codes of the
	// lists since Permendagri 56/2015 it lacks (internal/gen/historical.txt).
	if today != 7285 || past != 594 {
		t.Errorf("%d sub-district codes of today, %d historical embedded; want 7285 and 594", today, past)
	}
}

func TestTemporaryNIK(t *testing.T) {
	if p := temporaryPrefix("14.01.01.2009"); p != "01401012009" || len(p)+5 != 16 {
		t.Errorf("temporaryPrefix = %s", p)
	}
	for v, want := range map[string]bool{"0140101200900001": true, "1401011503900001": false, "014010120090001": false, "01401012009000A1": false} {
		if IsTemporaryNIK(v) != want {
			t.Errorf("IsTemporaryNIK(%s) = %v", v, !want)
		}
	}
}

func TestRTRWVariants(t *testing.T) {
	for in, want := range map[string][]string{"1": {"001", "1", "01"}, "001": {"001", "1", "01"}, "10": {"010", "10"}, "100": {"100"}, "0": nil, "abc": nil, "1000": nil} {
		if got := rtRWVariants(in); !slices.Equal(got, want) {
			t.Errorf("rtRWVariants(%q) = %v, want %v", in, got, want)
		}
	}
}
