package main

import (
	_ "embed"
	"fmt"
	"strings"
	"time"
)

//go:generate go run ./internal/gen ../../../shared/data/wilayah.csv kecamatan.txt

//go:embed kecamatan.txt
var kecamatanList string

// kecamatan holds every official sub-district code (PPKKCC).
var kecamatan = func() map[string]bool {
	m := make(map[string]bool, 7300)
	for _, line := range strings.Split(kecamatanList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
}()

// NIKError says what is wrong with a NIK or KK number.
type NIKError struct{ Field, Reason string }

func (e *NIKError) Error() string { return e.Field + " " + e.Reason }

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// checkRegion checks the first six digits of a NIK or KK.
func checkRegion(field, v string) error {
	if len(v) != 16 || !digits(v) {
		return &NIKError{field, fmt.Sprintf("must be 16 digits, got %q", v)}
	}
	if !kecamatan[v[:6]] {
		return &NIKError{field, fmt.Sprintf("starts with %s.%s.%s, which is not a sub-district code", v[:2], v[2:4], v[4:6])}
	}
	return nil
}

// CheckNIK validates a NIK against the holder's birth date (YYYY-MM-DD) and
// sex (L or P): digits 7 to 12 are the birth date as DDMMYY, with 40 added
// to the day for women; the last four are a serial number, never 0000.
func CheckNIK(nik, birthDate, sex string) error {
	if err := checkRegion("nik", nik); err != nil {
		return err
	}
	day := int(nik[6]-'0')*10 + int(nik[7]-'0')
	month, yy := nik[8:10], nik[10:12]
	female := day > 40
	if female {
		day -= 40
	}
	if day < 1 || day > 31 || month < "01" || month > "12" {
		return &NIKError{"nik", fmt.Sprintf("digits 7-12 (%s) are not a birth date DDMMYY (day + 40 for women)", nik[6:12])}
	}
	if nik[12:] == "0000" {
		return &NIKError{"nik", "ends in 0000, which is not a serial number"}
	}
	bd, err := time.Parse(time.DateOnly, birthDate)
	if err != nil {
		return &NIKError{"birth_date", "must be a date YYYY-MM-DD"}
	}
	if want := fmt.Sprintf("%02d%s%s", day, month, yy); bd.Format("020106") != want {
		return &NIKError{"nik", fmt.Sprintf("encodes the birth date %s-%s-%s, but birth_date is %s", yy, month, fmt.Sprintf("%02d", day), birthDate)}
	}
	switch {
	case sex == "P" && !female:
		return &NIKError{"nik", "is a man's (day under 40), but sex is P"}
	case sex == "L" && female:
		return &NIKError{"nik", "is a woman's (day plus 40), but sex is L"}
	case sex != "L" && sex != "P":
		return &NIKError{"sex", "must be L or P"}
	}
	return nil
}

// CheckKK validates a family card number: a sub-district code, the date the
// card was issued (DDMMYY) and a serial.
func CheckKK(kk string) error {
	if err := checkRegion("kk", kk); err != nil {
		return err
	}
	if _, err := time.Parse("020106", kk[6:12]); err != nil {
		return &NIKError{"kk", fmt.Sprintf("digits 7-12 (%s) are not an issue date DDMMYY", kk[6:12])}
	}
	if kk[12:] == "0000" {
		return &NIKError{"kk", "ends in 0000, which is not a serial number"}
	}
	return nil
}

// Mask hides the middle of a NIK or KK where the plugin writes one itself
// (error messages, import rejections, audit targets), as the host masks
// stored NIKs and KKs for callers who may not see them:
// 1401234567890001 → 1401**********01.
func Mask(v string) string {
	if len(v) < 6 {
		return strings.Repeat("*", len(v))
	}
	return v[:4] + strings.Repeat("*", len(v)-6) + v[len(v)-2:]
}
