package main

import (
	"strconv"
	"strings"
)

// parseRupiah reads an amount as a clerk types it: 1500000, 1.500.000,
// Rp1.500.000 or Rp 1.500.000 (a trailing ",00" or ",-" of whole rupiah
// is allowed). It refuses anything else, fractions of a rupiah, and
// amounts of more than 15 digits.
func parseRupiah(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && strings.EqualFold(s[:2], "rp") {
		s = strings.TrimSpace(s[2:])
		s = strings.TrimPrefix(s, ".")
		s = strings.TrimSpace(s)
	}
	s = strings.TrimSuffix(strings.TrimSuffix(s, ",-"), ",00")
	groups := strings.Split(s, ".")
	for i, g := range groups {
		// Dots separate thousands: every group after the first has three
		// digits, so "1.5" (a decimal point) is refused.
		if g == "" || (i > 0 && len(g) != 3) || (i == 0 && len(groups) > 1 && len(g) > 3) {
			return 0, false
		}
		for _, c := range g {
			if c < '0' || c > '9' {
				return 0, false
			}
		}
	}
	digits := strings.Join(groups, "")
	if len(digits) > 15 {
		return 0, false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	return n, err == nil
}
