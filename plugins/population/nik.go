package main

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
)

//go:generate go run ./internal/gen ../../../shared/data/wilayah.csv internal/gen/historical.txt kecamatan.txt

//go:embed kecamatan.txt
var kecamatanList string

// kecamatan holds every sub-district code (PPKKCC) a NIK or KK may start
// with: today's, mapped to "", and those of older official lists since
// Permendagri 56/2015, mapped to the code the sub-district has today
// ("930101" for Merauke's 910101) or "-" when none is known. A NIK keeps
// the code of the sub-district where it was first issued for life (UU
// 23/2006 art. 13, as amended by UU 24/2013), so a code retired by a split
// or a renumbering still starts lawful NIKs. See internal/gen for sources.
var kecamatan = func() map[string]string {
	m := make(map[string]string, 8000)
	for _, line := range strings.Split(kecamatanList, "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		code, today, _ := strings.Cut(line, " ")
		m[code] = today
	}
	return m
}()

// NIKError says why a number cannot be a NIK or KK at all: Field is "nik"
// or "kk", Reason a sentence for the clerk.
type NIKError struct{ Field, Reason, ID string }

func (e *NIKError) Error() string { return e.Field + " " + e.Reason }

// label is how a screen names a number's field.
func label(field string) string {
	if field == "kk" {
		return "Nomor KK"
	}
	return "NIK"
}

// numberError is the 422 of a NIK or KK that CheckNIK or CheckKK refused,
// with its Indonesian sentence.
func numberError(code sdk.Code, err error) error {
	var ne *NIKError
	if errors.As(err, &ne) {
		return invalidID(code, ne.ID, "%s", err.Error())
	}
	return invalid(code, "%s", err.Error())
}

// Warning is something a clerk should look at about a stored resident that
// does not stop the write: a NIK whose date or sex part disagrees with the
// birth date or sex (a NIK is not reissued when a birth date is
// corrected), or one issued under a sub-district code since renumbered.
// Residents keep them in nik_warnings, computed again on every write.
type Warning struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Warning codes of nik_warnings. They never change.
const (
	// warnNIKRegion: the NIK starts with a sub-district code of an older
	// official list, not today's (issued before a split or renumbering).
	warnNIKRegion = "nik_region_historical"
	// warnNIKBirthDate: digits 7-12 are not the birth_date recorded.
	warnNIKBirthDate = "nik_birth_date_mismatch"
	// warnNIKSex: the day part says the other sex (day + 40 for women).
	warnNIKSex = "nik_sex_mismatch"
	// warnKKRegion: the KK starts with a historical sub-district code.
	warnKKRegion = "kk_region_historical"
)

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// dotted writes PPKKCC as PP.KK.CC.
func dotted(code string) string { return code[:2] + "." + code[2:4] + "." + code[4:6] }

// checkRegion checks the first six digits of a NIK or KK: 16 digits whose
// first six are a sub-district code of today's list or of an older one. A
// historical code gives a warning with warnCode naming today's code.
func checkRegion(field, v, warnCode string) (*Warning, error) {
	if len(v) != 16 || !digits(v) {
		return nil, &NIKError{field, fmt.Sprintf("must be 16 digits (0-9), got %d characters", len([]rune(v))),
			fmt.Sprintf("%s harus 16 angka (0-9); yang diisi %d karakter.", label(field), len([]rune(v)))}
	}
	today, ok := kecamatan[v[:6]]
	if !ok {
		return nil, &NIKError{field, fmt.Sprintf("starts with %s, which is no sub-district code of any official list since 2015", dotted(v)),
			fmt.Sprintf("%s diawali %s: itu bukan kode kecamatan dalam daftar resmi mana pun sejak 2015 (6 angka pertama adalah kode kecamatan).", label(field), dotted(v))}
	}
	if today == "" {
		return nil, nil
	}
	msg := fmt.Sprintf("%s was issued under sub-district code %s, which is ", strings.ToUpper(field), dotted(v))
	if today == "-" {
		msg += "not in today's list"
	} else {
		msg += dotted(today) + " today"
	}
	return &Warning{Code: warnCode, Message: msg + ": the number stays valid (it never changes)"}, nil
}

// CheckNIK checks a NIK (Dukcapil's layout: PPKKCC sub-district of first
// issue, DDMMYY birth date with 40 added to the day for women, a
// four-digit serial) against the holder's birth date (YYYY-MM-DD) and sex
// (L or P). It refuses only what cannot be a NIK: not 16 digits, a
// sub-district code of no official list, digits 7-12 that are no day
// (01-31, or 41-71) and month, serial 0000. What disagrees with the
// record (the date, the sex) or names a renumbered sub-district comes back
// as warnings. A malformed birthDate or sex is compared with nothing (the
// caller checks them).
func CheckNIK(nik, birthDate, sex string) ([]Warning, error) {
	var warns []Warning
	w, err := checkRegion("nik", nik, warnNIKRegion)
	if err != nil {
		return nil, err
	}
	if w != nil {
		warns = append(warns, *w)
	}
	day := int(nik[6]-'0')*10 + int(nik[7]-'0')
	month, yy := nik[8:10], nik[10:12]
	female := day > 40
	if female {
		day -= 40
	}
	if day < 1 || day > 31 || month < "01" || month > "12" {
		return nil, &NIKError{"nik", fmt.Sprintf("digits 7-12 (%s) are not a birth date DDMMYY (day + 40 for women)", nik[6:12]),
			fmt.Sprintf("Angka ke-7 sampai ke-12 NIK (%s) bukan tanggal lahir DDMMYY (untuk perempuan tanggalnya ditambah 40, misalnya 450390). Periksa lagi NIK di KTP atau KK.", nik[6:12])}
	}
	if nik[12:] == "0000" {
		return nil, &NIKError{"nik", "ends in 0000, which is not a serial number", "NIK berakhir 0000: 4 angka terakhir adalah nomor urut dan tidak pernah 0000."}
	}
	if bd, err := time.Parse(time.DateOnly, birthDate); err == nil {
		if want := fmt.Sprintf("%02d%s%s", day, month, yy); bd.Format("020106") != want {
			warns = append(warns, Warning{warnNIKBirthDate, fmt.Sprintf(
				"the NIK encodes the birth date %02d-%s-%s (DD-MM-YY), the record says %s: check the birth certificate; the NIK is not reissued",
				day, month, yy, bd.Format("02-01-2006"))})
		}
	}
	switch {
	case sex == "P" && !female:
		warns = append(warns, Warning{warnNIKSex, "the NIK is a man's (day under 40), the record says P: check the KTP"})
	case sex == "L" && female:
		warns = append(warns, Warning{warnNIKSex, "the NIK is a woman's (day plus 40), the record says L: check the KTP"})
	}
	return warns, nil
}

// CheckKK checks a family card number: a sub-district code of any
// official list, the date the card was issued (DDMMYY) and a serial other
// than 0000. A historical sub-district code is a warning.
func CheckKK(kk string) ([]Warning, error) {
	var warns []Warning
	w, err := checkRegion("kk", kk, warnKKRegion)
	if err != nil {
		return nil, err
	}
	if w != nil {
		warns = append(warns, *w)
	}
	if _, err := time.Parse("020106", kk[6:12]); err != nil {
		return nil, &NIKError{"kk", fmt.Sprintf("digits 7-12 (%s) are not an issue date DDMMYY", kk[6:12]),
			fmt.Sprintf("Angka ke-7 sampai ke-12 nomor KK (%s) bukan tanggal terbit DDMMYY. Periksa lagi nomor di kartu keluarga.", kk[6:12])}
	}
	if kk[12:] == "0000" {
		return nil, &NIKError{"kk", "ends in 0000, which is not a serial number", "Nomor KK berakhir 0000: 4 angka terakhir adalah nomor urut dan tidak pernah 0000."}
	}
	return warns, nil
}

// Temporary numbers. A resident without a NIK yet (a newborn before the
// birth certificate, someone not yet recorded by Dukcapil) gets a number
// marked temporary, as OpenSID's "NIK sementara" does: "0", the village's
// ten-digit code, a five-digit serial ("0140101200900001"). It cannot be
// taken for a NIK (no province code starts with 0), it is unique in the
// deployment (the village code is in it, and the NIK index is
// deployment-wide), and POST /residents/{id}/nik replaces it with the real
// one.

// temporaryPrefix is the part of a temporary number before the serial,
// for the village tenant ("14.01.01.2009" → "01401012009").
func temporaryPrefix(village string) string {
	return "0" + strings.ReplaceAll(village, ".", "")
}

// IsTemporaryNIK reports whether v has the shape of a temporary number.
func IsTemporaryNIK(v string) bool {
	return len(v) == 16 && v[0] == '0' && digits(v)
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
