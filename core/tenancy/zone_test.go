package tenancy_test

import (
	"encoding/csv"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/tenancy"
	wilayah "github.com/balaidesa/balai/core/tenancy/regions"
)

// zoneTests are the cases of TestTimeZone.
var zoneTests = []struct {
	code, want string
}{
	// Every province, by the list of Keppres 41/1987 as the provinces
	// were later split.
	{"11", tenancy.WIB}, {"12", tenancy.WIB}, {"13", tenancy.WIB}, {"14", tenancy.WIB},
	{"15", tenancy.WIB}, {"16", tenancy.WIB}, {"17", tenancy.WIB}, {"18", tenancy.WIB},
	{"19", tenancy.WIB}, {"21", tenancy.WIB}, {"31", tenancy.WIB}, {"32", tenancy.WIB},
	{"33", tenancy.WIB}, {"34", tenancy.WIB}, {"35", tenancy.WIB}, {"36", tenancy.WIB},
	{"51", tenancy.WITA}, {"52", tenancy.WITA}, {"53", tenancy.WITA},
	{"61", tenancy.WIB}, {"62", tenancy.WIB},
	{"63", tenancy.WITA}, {"64", tenancy.WITA}, {"65", tenancy.WITA},
	{"71", tenancy.WITA}, {"72", tenancy.WITA}, {"73", tenancy.WITA}, {"74", tenancy.WITA},
	{"75", tenancy.WITA}, {"76", tenancy.WITA},
	{"81", tenancy.WIT}, {"82", tenancy.WIT},
	{"91", tenancy.WIT}, {"92", tenancy.WIT}, {"93", tenancy.WIT}, {"94", tenancy.WIT},
	{"95", tenancy.WIT}, {"96", tenancy.WIT}, {"97", tenancy.WIT},
	// Every level takes its province's zone.
	{"94.01", tenancy.WIT},
	{"73.71.01", tenancy.WITA},
	{"14.01.01.2009", tenancy.WIB},
	{"51.71.01.1001", tenancy.WITA},
	// Next to the ranges.
	{"50", tenancy.WIB}, {"54", tenancy.WIB}, {"66", tenancy.WIB}, {"77", tenancy.WIB},
	{"80", tenancy.WIB}, {"83", tenancy.WIB}, {"90", tenancy.WIB}, {"98", tenancy.WIB},
	// Not a province: the default.
	{"*", tenancy.WIB}, {"", tenancy.WIB}, {"9", tenancy.WIB}, {"9a.01", tenancy.WIB}, {"910", tenancy.WIB},
}

func TestTimeZone(t *testing.T) {
	for _, tt := range zoneTests {
		if got := tenancy.TimeZone(tt.code); got != tt.want {
			t.Errorf("TimeZone(%q) = %s, want %s", tt.code, got, tt.want)
		}
	}
}

// Each zone is a real IANA zone at the offset its name says, so a plugin
// can load it.
func TestTimeZoneOffsets(t *testing.T) {
	for zone, hours := range map[string]int{tenancy.WIB: 7, tenancy.WITA: 8, tenancy.WIT: 9} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Skipf("no time zone database here: %v", err)
		}
		if _, off := time.Date(2026, 1, 1, 0, 0, 0, 0, loc).Zone(); off != hours*3600 {
			t.Errorf("%s is at UTC%+d, want UTC+%d", zone, off/3600, hours)
		}
	}
}

// Every province of the bundled Kemendagri list is named in TestTimeZone,
// so a new province cannot fall to WIB unnoticed.
func TestTimeZoneCoversEveryProvince(t *testing.T) {
	rc, err := wilayah.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	r := csv.NewReader(rc)
	listed := map[string]bool{}
	for _, tt := range zoneTests {
		listed[tt.code] = true
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if code := rec[0]; len(code) == 2 && !strings.Contains(code, "kode") && !listed[code] {
			t.Errorf("province %s (%s) is new: decide its time zone in tenancy.TimeZone and its test", code, rec[1])
		}
	}
}
