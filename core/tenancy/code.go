// Package tenancy holds the tenant tree: the Kemendagri administrative
// regions (province → regency/city → sub-district → village) that a
// deployment serves, keyed by their official code.
package tenancy

import (
	"strings"

	"github.com/balaidesa/balai/core/apierr"
)

// Level is a tenant's place in the region tree.
type Level string

const (
	Province Level = "province"
	Regency  Level = "regency"
	District Level = "district" // kecamatan, the sub-district
	Village  Level = "village"  // desa or kelurahan
)

// segment widths of a Kemendagri code: PP.KK.CC.DDDD
var widths = [...]int{2, 2, 2, 4}
var levels = [...]Level{Province, Regency, District, Village}

// ParseCode validates a Kemendagri code and returns its level and its
// parent's code ("" for a province).
func ParseCode(code string) (Level, string, error) {
	parts := strings.Split(code, ".")
	if code == "" || len(parts) > len(widths) {
		return "", "", invalidCode(code, "a code has 1 to 4 dot-separated parts, as in 14, 14.01, 14.01.01 or 14.01.01.2009")
	}
	for i, p := range parts {
		if len(p) != widths[i] {
			return "", "", invalidCode(code, "part %d must have %d digits", i+1, widths[i])
		}
		allZero := true
		for _, c := range p {
			if c < '0' || c > '9' {
				return "", "", invalidCode(code, "part %d must be digits only", i+1)
			}
			if c != '0' {
				allZero = false
			}
		}
		if allZero {
			return "", "", invalidCode(code, "part %d cannot be all zeros", i+1)
		}
	}
	parent := ""
	if len(parts) > 1 {
		parent = strings.Join(parts[:len(parts)-1], ".")
	}
	return levels[len(parts)-1], parent, nil
}

func invalidCode(code, format string, args ...any) error {
	e := apierr.Invalid("invalid_code", format, args...)
	e.Message = "invalid tenant code " + quote(code) + ": " + e.Message
	return e
}

func quote(s string) string { return `"` + s + `"` }

// Ancestors returns the codes above code, nearest first: for 14.01.01.2009
// that is 14.01.01, 14.01, 14. The code must be valid.
func Ancestors(code string) []string {
	var out []string
	for i := len(code) - 1; i > 0; i-- {
		if code[i] == '.' {
			out = append(out, code[:i])
		}
	}
	return out
}

// Within reports whether code is ancestor itself or lies below it.
func Within(code, ancestor string) bool {
	return code == ancestor || (len(code) > len(ancestor) && code[len(ancestor)] == '.' && code[:len(ancestor)] == ancestor)
}
