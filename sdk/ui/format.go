package ui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
)

var months = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}

// Rupiah writes an amount of rupiah the Indonesian way: "Rp1.250.000",
// "-Rp5.000" for a negative one: "Rp" and the number without a space,
// dots between thousands, as Pedoman Umum Ejaan Bahasa Indonesia writes
// currency and as CLDR's id-ID pattern does. Amounts are whole rupiah.
func Rupiah(amount int64) string {
	sign := ""
	u := uint64(amount)
	if amount < 0 {
		sign = "-"
		u = uint64(-(amount + 1)) + 1 // math.MinInt64 too
	}
	return sign + "Rp" + Number(u)
}

// Number groups a whole number's thousands with dots: 1250000 is "1.250.000".
func Number(n uint64) string {
	s := strconv.FormatUint(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Date writes t's calendar date in Indonesian: "1 Desember 2026". t is
// taken in its own zone: give it in the tenant's (sdk.Request.Now is).
func Date(t time.Time) string {
	return strconv.Itoa(t.Day()) + " " + months[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// DateOnly writes a "YYYY-MM-DD" date (as records store them) as Date
// does; a value that is not such a date comes back unchanged.
func DateOnly(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return Date(t)
}

// DateTime writes an instant in the tenant's time zone (the request's;
// WIB outside a plugin handler): "1 Desember 2026 14.05 WIB".
func DateTime(r *http.Request, t time.Time) string {
	loc := wib
	if req, ok := sdk.Lookup(r); ok {
		loc = req.Location()
	}
	t = t.In(loc)
	return Date(t) + " " + t.Format("15.04") + " " + zoneAbbrev(t)
}

var wib = time.FixedZone("WIB", 7*3600)

// zoneAbbrev is WIB, WITA or WIT by the offset, else the zone's own name.
func zoneAbbrev(t time.Time) string {
	name, off := t.Zone()
	switch off {
	case 7 * 3600:
		return "WIB"
	case 8 * 3600:
		return "WITA"
	case 9 * 3600:
		return "WIT"
	}
	return name
}
