package main

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/balaidesa/balai/sdk/input"
)

// Templates (letter wording and number formats) use {name} placeholders,
// and {seq:N} to pad the sequence number to N digits. The syntax is
// deliberately poorer than text/template: a regency clerk edits it, and
// every placeholder is checked when the template is saved, not when a
// letter is printed.
var placeholderRE = regexp.MustCompile(`\{([a-z][a-z0-9_]*)(?::([0-9]+))?\}`)

// TemplateError says what is wrong with a template.
type TemplateError struct{ Msg string }

func (e *TemplateError) Error() string { return e.Msg }

// checkTemplate accepts tmpl if every brace belongs to a placeholder from
// allowed, and widths appear only where widthOK allows them.
func checkTemplate(tmpl string, allowed map[string]bool, widthOK func(name string) bool) error {
	rest := placeholderRE.ReplaceAllStringFunc(tmpl, func(m string) string {
		return strings.Repeat(" ", len(m))
	})
	if i := strings.IndexAny(rest, "{}"); i >= 0 {
		return &TemplateError{fmt.Sprintf("a brace at position %d is not part of a {placeholder}", i+1)}
	}
	for _, m := range placeholderRE.FindAllStringSubmatch(tmpl, -1) {
		name, width := m[1], m[2]
		if !allowed[name] {
			return &TemplateError{fmt.Sprintf("{%s} is not a placeholder here; use one of %s", name, listNames(allowed))}
		}
		if width != "" && (widthOK == nil || !widthOK(name)) {
			return &TemplateError{fmt.Sprintf("{%s:%s}: only {seq} takes a width", name, width)}
		}
		if width != "" {
			if n, _ := strconv.Atoi(width); n < 1 || n > 8 {
				return &TemplateError{fmt.Sprintf("{%s:%s}: the width is 1 to 8 digits", name, width)}
			}
		}
	}
	return nil
}

func listNames(m map[string]bool) string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, "{"+n+"}")
	}
	slices.Sort(names)
	return strings.Join(names, " ")
}

// render fills the placeholders of a checked template.
func render(tmpl string, vals map[string]string) string {
	return placeholderRE.ReplaceAllStringFunc(tmpl, func(m string) string {
		sub := placeholderRE.FindStringSubmatch(m)
		v := vals[sub[1]]
		if sub[2] != "" {
			w, _ := strconv.Atoi(sub[2])
			for utf8.RuneCountInString(v) < w {
				v = "0" + v
			}
		}
		return v
	})
}

// numberPlaceholders are what a letter number template may use.
var numberPlaceholders = map[string]bool{
	"seq": true, "type_code": true, "type": true, "village_code": true, "month": true, "roman_month": true, "year": true,
}

// DefaultNumberTemplate gives numbers such as 007/470/14.01.01.2009/VI/2026.
const DefaultNumberTemplate = "{seq:3}/{type_code}/{village_code}/{roman_month}/{year}"

// checkNumberTemplate also requires {seq} and {year}: the counter restarts
// every year, so a number without the year would repeat.
func checkNumberTemplate(tmpl string) error {
	if input.Len(tmpl) > 100 {
		return &TemplateError{"a number template is at most 100 characters"}
	}
	if err := checkTemplate(tmpl, numberPlaceholders, func(n string) bool { return n == "seq" }); err != nil {
		return err
	}
	var seq, year bool
	for _, m := range placeholderRE.FindAllStringSubmatch(tmpl, -1) {
		seq = seq || m[1] == "seq"
		year = year || m[1] == "year"
	}
	if !seq || !year {
		return &TemplateError{"a number template needs {seq} and {year}, so that numbers never repeat"}
	}
	return nil
}

// numberParts are the values a letter number is made of.
type numberParts struct {
	Seq      int
	TypeCode string // the archive classification code, such as 470
	Type     string // the letter type's code, such as domisili
	Village  string // the village's Kemendagri code
	Date     time.Time
}

func formatNumber(tmpl string, p numberParts) string {
	return render(tmpl, map[string]string{
		"seq":          strconv.Itoa(p.Seq),
		"type_code":    p.TypeCode,
		"type":         p.Type,
		"village_code": p.Village,
		"month":        fmt.Sprintf("%02d", int(p.Date.Month())),
		"roman_month":  romanMonth(p.Date.Month()),
		"year":         strconv.Itoa(p.Date.Year()),
	})
}

var romanMonths = [...]string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}

// romanMonth is how Indonesian letter numbers write the month.
func romanMonth(m time.Month) string { return romanMonths[m-1] }

var indonesianMonths = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
	"September", "Oktober", "November", "Desember"}

// longDate writes a date as a letter does: 5 Juni 2026.
func longDate(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), indonesianMonths[t.Month()-1], t.Year())
}

// longDateString is longDate for a YYYY-MM-DD string; anything else is
// returned as it is.
func longDateString(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return longDate(t)
}

// maskName shows the first letter of each word of a name: the public
// verification page confirms a name to someone holding the letter without
// handing names to anyone who guesses codes.
func maskName(name string) string {
	words := strings.Fields(name)
	for i, w := range words {
		r, size := utf8.DecodeRuneInString(w)
		words[i] = string(r) + strings.Repeat("*", utf8.RuneCountInString(w[size:]))
	}
	return strings.Join(words, " ")
}

// maskNIK hides the middle of a NIK in a message the plugin writes itself,
// as the host masks stored NIKs for callers who may not see them:
// 1401234567890001 → 1401**********01.
func maskNIK(v string) string {
	if len(v) < 6 {
		return strings.Repeat("*", len(v))
	}
	return v[:4] + strings.Repeat("*", len(v)-6) + v[len(v)-2:]
}
