package main

import (
	"strings"
	"testing"
)

// The codes of Permendagri 20/2018's Lampiran, as its transcriptions and
// Siskeudes' own reference tables give them (accounts.go names them).
func TestAccountsOfTheRegulation(t *testing.T) {
	for _, tc := range []struct {
		section, code string
		ok            bool
	}{
		{sectionIncome, "4.3.1", true}, {sectionIncome, "4.3.2", true}, {sectionIncome, "4.3.6", true}, {sectionIncome, "4.3.6.01", true},
		{sectionIncome, "4.3.9.90", true}, {sectionIncome, "4.3.7", false}, {sectionIncome, "4.1.5", false}, {sectionIncome, "4.2.6", false},
		{sectionFinancing, "6.1.9", true}, {sectionFinancing, "6.1.4", false}, {sectionFinancing, "6.2.3", false},
		{sectionSpending, "2.8.03", true}, {sectionSpending, "2.9.01", false}, {sectionSpending, "3.5.01", false}, {sectionSpending, "4.7.90", true},
		{sectionSpending, "5.3.00", true}, {sectionSpending, "5.4.01", false}, {sectionSpending, "1.6.01", false},
	} {
		if err := checkCode(tc.section, tc.code); (err == nil) != tc.ok {
			t.Errorf("%s %s: %v, want ok=%v", tc.section, tc.code, err, tc.ok)
		}
	}
	// The Lampiran's kinds of spending: a third segment outside them is
	// refused, the type alone still taken.
	for acc, ok := range map[string]bool{"5.1": true, "5.1.4": true, "5.1.5": false, "5.2.7.05": true, "5.2.8": false, "5.3.9.90": true,
		"5.3.10": false, "5.4.1.01": true, "5.4.2": false, "5.5": false} {
		if err := checkAccount(acc); (err == nil) != ok {
			t.Errorf("account %s: %v, want ok=%v", acc, err, ok)
		}
	}
	if !strings.Contains(incomeKinds["4.3.2"], "Pihak Ketiga") || incomeKinds["4.3.4"] != "Hibah dan Sumbangan dari Pihak Ketiga" || incomeKinds["4.3.6"] != "Bunga Bank" {
		t.Errorf("4.3.x: %q %q %q", incomeKinds["4.3.2"], incomeKinds["4.3.4"], incomeKinds["4.3.6"])
	}
	if len(subBidangs) != 27 || len(spendingKinds) != 21 || len(incomeKinds) != 16 || len(financingKinds) != 7 {
		t.Errorf("lists: %d sub-bidang, %d kinds of spending, %d income, %d financing", len(subBidangs), len(spendingKinds), len(incomeKinds), len(financingKinds))
	}
	lines := []Line{{Section: sectionSpending, Code: "4.1.01", Name: "Bibit ikan", Amount: 1, Source: "pbp"}, {Section: sectionSpending, Code: "4.1.02", Name: "Kolam", Amount: 1, Source: "PBK"}}
	if _, err := checkLines(lines); err != nil || lines[0].Source != "BKP" || lines[1].Source != "BKK" {
		t.Errorf("Siskeudes' PBP and PBK: %+v %v", lines, err)
	}
	if subBidangs["1.1"] != "Penyelenggaraan Belanja Penghasilan Tetap, Tunjangan dan Operasional Pemerintahan Desa" {
		t.Errorf("1.1: %q", subBidangs["1.1"])
	}
}
