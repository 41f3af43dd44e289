package records

import (
	"regexp"
	"strings"
	"unicode/utf8"

	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// dateRE matches a Date value, "YYYY-MM-DD".
var dateRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

// Mask hides a personal value of a field of type t from a caller who does
// not hold the collection's personal permission, keeping only what lets
// a person tell records apart on screen:
//
//   - a String keeps at most its first 4 and last 2 characters, the rest
//     '*' one for one: a 16-digit NIK reads "1401**********01". Shorter
//     strings show less, so that at least five eighths are always hidden
//     (head len/4, tail len/8, in characters), and a string of fewer than 8
//     characters is all '*';
//   - a Date keeps its year: "1990-**-**";
//   - any other type (Int, Float, Bool, Time, Object) becomes null.
//
// v is the value as records returns it (a string for String, Date and
// Time); the result is nil or a string.
func Mask(t pb.FieldType, v any) any {
	s, ok := v.(string)
	switch {
	case !ok:
		return nil
	case t == pb.FieldType_FIELD_TYPE_STRING:
		return maskString(s)
	case t == pb.FieldType_FIELD_TYPE_DATE:
		if dateRE.MatchString(s) {
			return s[:4] + "-**-**"
		}
		return strings.Repeat("*", utf8.RuneCountInString(s))
	}
	return nil
}

// maskString is Mask for a String.
func maskString(s string) string {
	n := utf8.RuneCountInString(s)
	if n < 8 {
		return strings.Repeat("*", n)
	}
	head, tail := min(4, n/4), min(2, n/8)
	r := []rune(s)
	return string(r[:head]) + strings.Repeat("*", n-head-tail) + string(r[n-tail:])
}
