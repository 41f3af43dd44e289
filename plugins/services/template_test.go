package main

import (
	"testing"
	"time"
)

func TestCheckTemplate(t *testing.T) {
	allowed := map[string]bool{"name": true, "seq": true}
	seqWidth := func(n string) bool { return n == "seq" }
	for _, c := range []struct {
		tmpl string
		ok   bool
	}{
		{"Orang bernama {name}.", true},
		{"", true},
		{"tanpa placeholder", true},
		{"{seq:3}", true},
		{"{name:3}", false}, // only seq takes a width
		{"{seq:0}", false},
		{"{seq:9}", false},
		{"{nama}", false}, // unknown
		{"{Name}", false}, // placeholders are lower case
		{"{name", false},
		{"name}", false},
		{"{ name }", false},
		{"{{name}}", false},
	} {
		err := checkTemplate(c.tmpl, allowed, seqWidth)
		if (err == nil) != c.ok {
			t.Errorf("checkTemplate(%q) = %v, want ok=%v", c.tmpl, err, c.ok)
		}
	}
}

func TestRender(t *testing.T) {
	vals := map[string]string{"name": "Budi", "seq": "7", "empty": ""}
	for _, c := range []struct{ tmpl, want string }{
		{"{name} ({seq})", "Budi (7)"},
		{"{seq:3}", "007"},
		{"{seq:1}", "7"},
		{"[{empty}]", "[]"},
	} {
		if got := render(c.tmpl, vals); got != c.want {
			t.Errorf("render(%q) = %q, want %q", c.tmpl, got, c.want)
		}
	}
	// A sequence longer than the width is never cut.
	if got := render("{seq:2}", map[string]string{"seq": "1234"}); got != "1234" {
		t.Errorf("wide sequence = %q", got)
	}
}

func TestNumberTemplate(t *testing.T) {
	for _, c := range []struct {
		tmpl string
		ok   bool
	}{
		{DefaultNumberTemplate, true},
		{"{seq}/{type_code}/{village_code}/{roman_month}/{year}", true},
		{"470/{seq:4}/DS-KMT/{month}.{year}", true},
		{"{seq}/{type}/{year}", true},
		{"{seq}/{type_code}", false},   // without the year numbers repeat next year
		{"{type_code}/{year}", false},  // without the sequence every letter has the same number
		{"{seq}/{name}/{year}", false}, // a resident's name has no place in a number
		{"{seq}/{year:4}", false},      // only seq takes a width
		{"{seq}/{year}/" + string(make([]byte, 100)), false},
	} {
		err := checkNumberTemplate(c.tmpl)
		if (err == nil) != c.ok {
			t.Errorf("checkNumberTemplate(%q) = %v, want ok=%v", c.tmpl, err, c.ok)
		}
	}
	d := time.Date(2026, time.June, 5, 0, 0, 0, 0, time.UTC)
	p := numberParts{Seq: 7, TypeCode: "474.1", Type: "kelahiran", Village: "14.01.01.2009", Date: d}
	for _, c := range []struct{ tmpl, want string }{
		{DefaultNumberTemplate, "007/474.1/14.01.01.2009/VI/2026"},
		{"{seq}/{type}/{month}/{year}", "7/kelahiran/06/2026"},
	} {
		if got := formatNumber(c.tmpl, p); got != c.want {
			t.Errorf("formatNumber(%q) = %q, want %q", c.tmpl, got, c.want)
		}
	}
}

func TestDates(t *testing.T) {
	want := []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}
	for m := time.January; m <= time.December; m++ {
		if got := romanMonth(m); got != want[m-1] {
			t.Errorf("romanMonth(%v) = %s, want %s", m, got, want[m-1])
		}
	}
	for _, c := range []struct{ in, want string }{
		{"2026-06-05", "5 Juni 2026"},
		{"1980-03-15", "15 Maret 1980"},
		{"2000-12-31", "31 Desember 2000"},
		{"not a date", "not a date"},
	} {
		if got := longDateString(c.in); got != c.want {
			t.Errorf("longDateString(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestMasks(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Budi Santoso", "B*** S******"},
		{"  Siti   Aminah ", "S*** A*****"},
		{"A", "A"},
		{"Ñoño", "Ñ***"},
		{"", ""},
	} {
		if got := maskName(c.in); got != c.want {
			t.Errorf("maskName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := maskNIK("1401011503800001"); got != "1401**********01" {
		t.Errorf("maskNIK = %s", got)
	}
}
