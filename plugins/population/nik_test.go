package main

import (
	"strings"
	"testing"
)

func TestCheckNIK(t *testing.T) {
	tests := []struct {
		name, nik, birth, sex string
		field, reason         string // empty: valid
	}{
		{"man", "1401011503900001", "1990-03-15", "L", "", ""},
		{"woman", "1401015503900002", "1990-03-15", "P", "", ""},
		{"born 2005", "1401010101050003", "2005-01-01", "L", "", ""},
		{"short", "140101150390001", "1990-03-15", "L", "nik", "16 digits"},
		{"letters", "14010115039000A1", "1990-03-15", "L", "nik", "16 digits"},
		{"unknown sub-district", "9999011503900001", "1990-03-15", "L", "nik", "not a sub-district"},
		{"day 00", "1401010003900001", "1990-03-15", "L", "nik", "not a birth date"},
		{"month 13", "1401011513900001", "1990-03-15", "L", "nik", "not a birth date"},
		{"day 72", "1401017203900001", "1990-03-15", "P", "nik", "not a birth date"},
		{"serial 0000", "1401011503900000", "1990-03-15", "L", "nik", "0000"},
		{"other birth date", "1401011503900001", "1990-03-16", "L", "nik", "encodes the birth date"},
		{"other year", "1401011503900001", "1991-03-15", "L", "nik", "encodes the birth date"},
		{"woman's NIK, sex L", "1401015503900002", "1990-03-15", "L", "nik", "woman's"},
		{"man's NIK, sex P", "1401011503900001", "1990-03-15", "P", "nik", "man's"},
		{"bad sex", "1401011503900001", "1990-03-15", "X", "sex", "L or P"},
		{"bad birth date", "1401011503900001", "15-03-1990", "L", "birth_date", "YYYY-MM-DD"},
	}
	for _, tt := range tests {
		err := CheckNIK(tt.nik, tt.birth, tt.sex)
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		e, ok := err.(*NIKError)
		if !ok || e.Field != tt.field || !strings.Contains(e.Reason, tt.reason) {
			t.Errorf("%s: %v, want %s %q", tt.name, err, tt.field, tt.reason)
		}
	}
}

func TestCheckKKAndMask(t *testing.T) {
	for kk, ok := range map[string]bool{
		"1401012001150001": true,
		"1401013201150001": false, // day 32
		"9999012001150001": false,
		"1401012001150000": false,
		"14010120011500":   false,
	} {
		if err := CheckKK(kk); (err == nil) != ok {
			t.Errorf("CheckKK(%s) = %v, want ok=%v", kk, err, ok)
		}
	}
	if got := Mask("1401011503900001"); got != "1401**********01" {
		t.Errorf("Mask = %s", got)
	}
	if len(kecamatan) != 7285 {
		t.Errorf("%d sub-district codes embedded, want 7285", len(kecamatan))
	}
}
