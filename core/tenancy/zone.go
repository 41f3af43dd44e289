package tenancy

import "strings"

// The three time zones of Indonesia, as IANA names (Keppres 41/1987 on the
// division of Indonesia into three time zones).
const (
	WIB  = "Asia/Jakarta"  // Waktu Indonesia Barat, UTC+7
	WITA = "Asia/Makassar" // Waktu Indonesia Tengah, UTC+8
	WIT  = "Asia/Jayapura" // Waktu Indonesia Timur, UTC+9
)

// TimeZone returns the IANA name of the time zone of the tenant code (any
// level: 14, 14.01 or 14.01.01.2009), decided by its province, the first
// two digits (Keppres 41/1987):
//
//   - WIT for Maluku (81), Maluku Utara (82) and the Papua provinces (91-97);
//   - WITA for Bali and Nusa Tenggara (51-53), South, East and North
//     Kalimantan (63-65) and Sulawesi (71-76);
//   - WIB for the rest: Sumatra, Java, West and Central Kalimantan.
//
// Anything else (Global, a malformed code) is WIB, the zone of the capital:
// a zone is always known, and a code is validated where it is created. The
// host stamps it on every plugin call, so a village in Papua sees its own
// date at night when the server's clock is already or still on another.
func TimeZone(code string) string {
	province, _, _ := strings.Cut(code, ".")
	if len(province) != 2 || province[0] < '0' || province[0] > '9' || province[1] < '0' || province[1] > '9' {
		return WIB
	}
	switch n := int(province[0]-'0')*10 + int(province[1]-'0'); {
	case n == 81 || n == 82 || (n >= 91 && n <= 97):
		return WIT
	case (n >= 51 && n <= 53) || (n >= 63 && n <= 65) || (n >= 71 && n <= 76):
		return WITA
	default:
		return WIB
	}
}
