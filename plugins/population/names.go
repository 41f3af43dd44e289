package main

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// foldCase folds letter case the Unicode way (ß and ss, Σ and σ/ς alike),
// not only ASCII.
var foldCase = cases.Fold()

// typographic maps characters that keyboards, phones and word processors
// put in place of the one a clerk means: curly and modifier apostrophes
// for ', dashes and hyphen variants for -. Names like Nur'aini and
// Abdul-Rahman are typed with either.
var typographic = strings.NewReplacer(
	"\u2018", "'", "\u2019", "'", "\u201b", "'", "\u02bc", "'", "\u02b9", "'", "`", "'", "\u00b4", "'",
	"\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "-", "\u2212", "-",
)

// foldName is a person's name as a clerk compares it: compatibility forms
// made plain (NFKC: full-width letters, ligatures), case folded,
// typographic variants of the apostrophe and hyphen made one, and runs of
// spaces made one. It never drops or merges letters: "Siti" and "Sitti"
// stay different names, so a comparison on folded names is as strict as
// the clerk reading them.
func foldName(s string) string {
	s = typographic.Replace(norm.NFKC.String(s))
	s = foldCase.String(s)
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}
