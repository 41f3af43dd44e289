package main

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// Enterprise kinds (PP 11/2021 art. 1): a BUM Desa founded by one village,
// or a BUM Desa Bersama founded by two or more villages with a joint
// regulation of their heads (Peraturan Bersama Kepala Desa). Balai keeps a
// Bersama only among villages of one district, where the district's staff
// (who hold grants in every member village) keep it.
const (
	KindDesa    = "desa"
	KindBersama = "bersama"
)

// label is a term with its Indonesian and English words.
type label struct{ Code, ID, EN string }

// classifications are the ranks of the yearly assessment (pemeringkatan,
// Permendesa PDTT 3/2021 art. 22; formula in Kepmendesa PDTT 145/2022),
// from the lowest; an assessment in February ranks the year before.
var classifications = []label{
	{"perintis", "Perintis", "Pioneer"},
	{"pemula", "Pemula", "Beginner"},
	{"berkembang", "Berkembang", "Developing"},
	{"maju", "Maju", "Advanced"},
}

// roles are the enterprise's organs (PP 11/2021 art. 23 ff.): the advisor
// (penasihat, ex officio the village head), the supervisor (pengawas), the
// operational executive (pelaksana operasional, often titled direktur) and
// its secretary and treasurer.
var roles = []label{
	{"penasihat", "Penasihat (Kepala Desa)", "Advisor (village head)"},
	{"pengawas", "Pengawas", "Supervisor"},
	{"pelaksana_operasional", "Direktur / Pelaksana Operasional", "Director / operational executive"},
	{"sekretaris", "Sekretaris", "Secretary"},
	{"bendahara", "Bendahara", "Treasurer"},
}

// unitTypes are the business lines villages run most (the Kemendesa
// registration's usual categories).
var unitTypes = []label{
	{"air_bersih", "Air bersih", "Clean water"},
	{"simpan_pinjam", "Simpan pinjam", "Savings and loans"},
	{"wisata", "Wisata desa", "Tourism"},
	{"toko", "Toko / waserda", "Shop"},
	{"tik", "Jasa TIK", "ICT services"},
	{"pertanian", "Pertanian", "Agriculture"},
	{"sampah", "Pengelolaan sampah", "Waste"},
	{"lainnya", "Lainnya", "Other"},
}

// capitalSources are where capital comes from (PP 11/2021 art. 39 ff.):
// the village (penyertaan modal Desa, APBDes financing 6.2.2), a member
// village of a BUMDes Bersama (its own APBDes; village names the member),
// the community (penyertaan modal masyarakat Desa), or other.
var capitalSources = []label{
	{"desa", "Penyertaan modal desa (APBDes)", "Village capital (APBDes)"},
	{"desa_anggota", "Penyertaan modal desa anggota", "Member village capital"},
	{"masyarakat", "Penyertaan modal masyarakat", "Community capital"},
	{"lainnya", "Lainnya", "Other"},
}

func findLabel(ls []label, code string) (label, bool) {
	for _, l := range ls {
		if l.Code == code {
			return l, true
		}
	}
	return label{}, false
}

func codes(ls []label) string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Code
	}
	return strings.Join(out, ", ")
}

// ahu is the number of the legal entity certificate the Ministry of Law
// (Kemenkumham, AHU online) issues on registration (Permendesa PDTT
// 3/2021): "AHU-00712.AH.01.33.Tahun 2021"; AH.01.33 is the series of BUM
// Desa certificates. Certificates print "Tahun" or "TAHUN", some with a dot
// before the year; the digits count varies (5 in practice).
var ahu = regexp.MustCompile(`^AHU-([0-9]{3,7})\.AH\.01\.33\.(?i:TAHUN)[ .]((?:19|20)[0-9]{2})$`)

// cleanRegistration normalises a registration number to the printed
// form "AHU-00712.AH.01.33.Tahun 2021"; empty stays empty (an enterprise
// still being registered).
func cleanRegistration(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "", nil
	}
	m := ahu.FindStringSubmatch(strings.ToUpper(s[:min(len(s), 3)]) + s[min(len(s), 3):])
	if m == nil {
		return "", invalid(codeInvalidRegistration, "registration_number",
			"registration_number %q is not a Kemenkumham BUM Desa registration number such as AHU-00712.AH.01.33.Tahun 2021", s)
	}
	return "AHU-" + m[1] + ".AH.01.33.Tahun " + m[2], nil
}

// cleanName trims a name and checks it: required, at most max characters.
func cleanName(field, s string, max int, required bool) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		if required {
			return "", invalid(codeInvalidName, field, "%s is required", field)
		}
		return "", nil
	}
	if err := input.Name(s, max); err != nil {
		return "", invalid(codeInvalidName, field, "%s: %v", field, err)
	}
	return s, nil
}

// cleanText checks free text of at most max characters.
func cleanText(field, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if err := input.Text(s, max); err != nil {
		return "", invalid(codeInvalidText, field, "%s: %v", field, err)
	}
	return s, nil
}

// cleanDate checks a YYYY-MM-DD date not after today.
func cleanDate(req *sdk.Request, field, s string, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			return "", invalid(codeInvalidDate, field, "%s is required (YYYY-MM-DD)", field)
		}
		return "", nil
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", invalid(codeInvalidDate, field, "%s %q is not a date YYYY-MM-DD", field, s)
	}
	if s > req.Today() {
		return "", invalid(codeDateInFuture, field, "%s %s is after today (%s)", field, s, req.Today())
	}
	return s, nil
}

var nikRe = regexp.MustCompile(`^[0-9]{16}$`)

// cleanNIK checks a NIK: 16 digits (UU 24/2013 on population administration).
func cleanNIK(field, s string) (string, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if s == "" {
		return "", nil
	}
	if !nikRe.MatchString(s) || s[:2] == "00" {
		return "", invalid(codeInvalidNIK, field, "%s must be a NIK of 16 digits", field)
	}
	return s, nil
}

var phoneRe = regexp.MustCompile(`^0[0-9]{8,13}$`)

// cleanPhone accepts an Indonesian number written with spaces, dashes or
// +62, and keeps it as 08... digits.
func cleanPhone(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	d := strings.NewReplacer(" ", "", "-", "", ".", "", "(", "", ")", "").Replace(s)
	if strings.HasPrefix(d, "+62") {
		d = "0" + d[3:]
	} else if strings.HasPrefix(d, "62") {
		d = "0" + d[2:]
	}
	if !phoneRe.MatchString(d) {
		return "", invalid(codeInvalidPhone, field, "%s must be an Indonesian phone number such as 0812-3456-7890", field)
	}
	return d, nil
}

// checkYear checks a year in a body: 2000 to next year.
func checkYear(req *sdk.Request, field string, y int) error {
	if y < 2000 || y > req.Now().Year()+1 {
		return invalid(codeInvalidYear, field, "%s %d is not a year from 2000 to %d", field, y, req.Now().Year()+1)
	}
	return nil
}

// queryYear reads ?year=, the tenant's current year by default.
func queryYear(r *http.Request) (int, error) {
	req := sdk.From(r)
	s := r.URL.Query().Get("year")
	if s == "" {
		return req.Now().Year(), nil
	}
	y, err := strconv.Atoi(s)
	if err != nil || len(s) != 4 || y < 2000 || y > 2100 {
		return 0, sdk.Errorf(http.StatusBadRequest, codeInvalidYear, "year %q is not a year from 2000 to 2100", s)
	}
	return y, nil
}

// periodLabel names a semester: "2026-S1".
func periodLabel(year, semester int) string { return fmt.Sprintf("%d-S%d", year, semester) }
