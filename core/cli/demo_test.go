package cli

import (
	"strings"
	"testing"
)

func TestSeedTarget(t *testing.T) {
	cases := []struct {
		regency, district string
		want, err         string
	}{
		{regency: "14.01", want: "14.01"},
		{district: "14.01.01", want: "14.01.01"},
		{district: "14.01", want: "14.01"}, // the old meaning of --district keeps working
		{regency: "14.01.01", err: "--regency takes a regency"},
		{regency: "14", err: "not a province"},
		{district: "14", err: "--district takes a district (kecamatan)"},
		{district: "14.01.01.2009", err: "not a village"},
		{district: "14.1", err: "--district:"},
	}
	for _, c := range cases {
		got, err := seedTarget(c.regency, c.district)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("seedTarget(%q, %q): %v, want an error saying %q", c.regency, c.district, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("seedTarget(%q, %q) = %q, %v; want %q", c.regency, c.district, got, err, c.want)
		}
	}
	for code, want := range map[string]string{"14.01": "14.01", "14.01.01": "14.01", "31.71.02": "31.71"} {
		if got := regencyOf(code); got != want {
			t.Errorf("regencyOf(%s) = %s, want %s", code, got, want)
		}
	}
}
