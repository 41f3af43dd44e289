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
// put in place of the one a clerk means: curly, modifier and prime
// apostrophes for ', dashes and hyphen variants for -. Names like
// Nur'aini and Abdul-Rahman are typed with either.
//
// It runs before NFKC as well as after it: NFKC turns the acute accent
// U+00B4 (typed for an apostrophe on some keyboards) into a space and a
// combining accent, and the non-breaking hyphen U+2011 into U+2010.
var typographic = strings.NewReplacer(
	// apostrophes: left/right single quotation marks, reversed-9 quotation
	// mark, modifier letters apostrophe, prime, turned comma (okina),
	// prime, grave accent, acute accent.
	"\u2018", "'", "\u2019", "'", "\u201b", "'", "\u02bc", "'", "\u02b9", "'", "\u02bb", "'", "\u2032", "'",
	"`", "'", "\u00b4", "'",
	// hyphens: hyphen, non-breaking hyphen, figure dash, en dash, em dash,
	// horizontal bar, minus sign, small and full-width hyphen-minus (NFKC
	// maps these two, listed for clarity).
	"\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "-", "\u2015", "-", "\u2212", "-",
	"\ufe63", "-", "\uff0d", "-",
)

// invisible reports the characters a name carries without showing them,
// which text pasted from a chat or a word processor brings along: soft
// hyphen, zero-width space, joiners, word joiner, byte order mark and the
// other format characters (Unicode category Cf, bidirectional controls
// among them). A clerk reading the name does not see them, so they do not
// make it another name. They are not letters: no letter is ever dropped.
func invisible(r rune) bool { return unicode.Is(unicode.Cf, r) }

// foldName is a person's name as a clerk compares it, for the identity
// check of POST /verify (mother's name) and for finding the same person
// twice. Two names fold to the same string when a clerk reading both would
// see one name:
//
//   - case: SITI AMINAH and siti aminah (Unicode case folding);
//   - spacing: leading, trailing and repeated spaces, tabs, non-breaking
//     and other Unicode spaces, and spaces around a hyphen ("Abdul - Rahman"
//     and "Abdul-Rahman");
//   - forms of one character: NFC and NFD accents (é as one code point or
//     e and a combining accent), full-width letters (ＳＩＴＩ), ligatures
//     (NFKC), curly, modifier and prime apostrophes (Nur’aini), the hyphen
//     variants (U+2010 to U+2015, U+2212), invisible format characters.
//
// It never drops, merges or guesses letters: "Siti" and "Sitti",
// "Aminah" and "Aminah h", "Nuraini" and "Nur'aini", "José" and "Jose",
// "Abdul Rahman" and "Abdul-Rahman" stay different names, so a comparison
// on folded names is as strict as the clerk reading them. The result is
// NFKC, case-folded text (Unicode's NFKC_Casefold, with the typographic
// mapping above), never empty for a name with a letter.
//
// Its name and signature are shared with the duplicate check across
// villages (issue 11 item 11): func foldName(s string) string.
func foldName(s string) string {
	s = typographic.Replace(s)
	s = norm.NFKC.String(s)
	s = typographic.Replace(s)
	s = strings.Map(func(r rune) rune {
		if invisible(r) {
			return -1
		}
		return r
	}, s)
	// Folding case can leave text that is not NFKC (U+0130 folds to i
	// and a combining dot): normalise again, as NFKC_Casefold does.
	s = norm.NFKC.String(foldCase.String(s))
	// Words split at any kind of space (NFKC made NBSP, the ideographic
	// space and the other compatibility spaces plain already).
	s = strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
	return strings.ReplaceAll(strings.ReplaceAll(s, " -", "-"), "- ", "-")
}
