package main

import (
	"testing"
	"time"
)

func TestParseRupiah(t *testing.T) {
	cases := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1500000", 1500000, true}, {"1.500.000", 1500000, true}, {"Rp1.500.000", 1500000, true},
		{"Rp 1.500.000", 1500000, true}, {"rp. 750.000", 750000, true}, {"Rp1.500.000,00", 1500000, true},
		{"Rp1.500.000,-", 1500000, true}, {"0", 0, true}, {" 250000 ", 250000, true},
		{"1.5", 0, false}, {"1,5 juta", 0, false}, {"satu juta", 0, false}, {"", 0, false}, {"Rp", 0, false},
		{"1500.000", 0, false}, {"1.50.000", 0, false}, {"-5000", 0, false}, {"1234567890123456", 0, false},
		{"1.500.000,50", 0, false},
	}
	for _, c := range cases {
		got, ok := parseRupiah(c.in)
		if ok != c.ok || got != c.want {
			t.Errorf("parseRupiah(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// An SKTM's income is stored as digits and printed (letter and
// fields_text) as Rupiah; the letter's date is written in Indonesian.
func TestLetterAmountsAndDates(t *testing.T) {
	sktm, _ := letterType("sktm")
	fields, err := sktm.checkShapes(map[string]any{"income": "Rp 1.500.000", "dependents": "3"}, "2026-12-01")
	if err != nil || fields["income"] != "1500000" {
		t.Fatalf("income stored as %q (%v), want the digits", fields["income"], err)
	}
	if _, err := sktm.checkShapes(map[string]any{"income": "sejuta"}, "2026-12-01"); err == nil {
		t.Error("an income in words is accepted")
	}
	if got := sktm.fieldsText(fields); got["income"] != "Rp1.500.000" || got["dependents"] != "3" {
		t.Errorf("fields_text %v", got)
	}
	res := sampleResolved(&Settings{})
	q := sampleRequest()
	q.Type, q.Fields = "sktm", fields
	l := buildLetter(sktm, sktm.Default, &res, q, "001/400/14.01.01.2009/XII/2026", time.Date(2026, 12, 1, 9, 0, 0, 0, res.loc), "https://portal.example/v")
	if l.Date != "1 Desember 2026" {
		t.Errorf("letter date %q", l.Date)
	}
	found := false
	for _, r := range l.Details {
		found = found || (r.Label == "Penghasilan per bulan" && r.Value == "Rp1.500.000")
	}
	if !found {
		t.Errorf("the letter's details: %v", l.Details)
	}
}
