// Package input holds the rules every Balai process applies to what comes
// from outside: strict JSON decoding of request bodies (Decode) and the
// text rules for names and free text (Name, Text, Clean). The host and the
// SDK both use it, so a plugin answers bad input exactly as the host does.
//
// It depends on the standard library only, because the SDK is meant to
// become a module of its own with few dependencies.
package input

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TextError says why a string was refused. Reason reads after the field's
// name: "full_name " + Reason.
type TextError struct {
	Reason string
}

func (e *TextError) Error() string { return e.Reason }

func textErr(format string, args ...any) *TextError {
	return &TextError{Reason: fmt.Sprintf(format, args...)}
}

// Clean reports whether s may be stored and compared at all: valid UTF-8
// and no NUL. PostgreSQL refuses both in text (the request would fail with
// a database error), SQLite would store them as they are; so every string
// from outside passes here before it reaches storage or a query.
func Clean(s string) error {
	if !utf8.ValidString(s) {
		return textErr("is not valid UTF-8")
	}
	if strings.IndexByte(s, 0) >= 0 {
		return textErr("holds a NUL character")
	}
	return nil
}

// Name checks a one-line name of at most max characters (runes, not
// bytes: "é" is one character): Clean, and no control characters (C0, C1,
// newlines and tabs included), no line or paragraph separators (Unicode
// categories Zl and Zp: U+2028, U+2029), which break a name over lines as
// a newline does, nor invisible format characters (Unicode category Cf:
// bidirectional overrides and isolates, zero-width spaces and joiners, soft
// hyphens), which would make a name display as something other than what
// it is. Emptiness is the caller's rule. max <= 0 means
// no length limit.
func Name(s string, max int) error {
	if err := Clean(s); err != nil {
		return err
	}
	for _, r := range s {
		switch {
		case unicode.IsControl(r):
			return textErr("holds a control character (%U)", r)
		case unicode.In(r, unicode.Zl, unicode.Zp):
			return textErr("holds a line or paragraph separator (%U)", r)
		case unicode.Is(unicode.Cf, r):
			return textErr("holds an invisible formatting character (%U)", r)
		}
	}
	return checkLen(s, max)
}

// Text checks free text of at most max characters (runes) that may span
// lines, such as a description: Clean, no control characters but newline,
// carriage return and tab, and no bidirectional override or isolate
// characters (U+202A–U+202E, U+2066–U+2069), which can make text read in
// another order than it is stored. Other format characters (the zero-width
// joiner of emoji sequences) are allowed in free text. max <= 0 means no
// length limit.
func Text(s string, max int) error {
	if err := Clean(s); err != nil {
		return err
	}
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
		case unicode.IsControl(r):
			return textErr("holds a control character (%U)", r)
		case IsBidiControl(r):
			return textErr("holds a bidirectional control character (%U)", r)
		}
	}
	return checkLen(s, max)
}

// IsBidiControl reports whether r overrides, embeds or isolates the
// direction of the text around it (U+202A–U+202E, U+2066–U+2069), or is an
// invisible direction mark (U+200E, U+200F, U+061C).
func IsBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0x200E || r == 0x200F || r == 0x061C
}

func checkLen(s string, max int) error {
	if max > 0 {
		if n := utf8.RuneCountInString(s); n > max {
			return textErr("is %d characters long, at most %d are allowed", n, max)
		}
	}
	return nil
}

// Len is the length of s in characters (runes), the unit of every length
// limit in Balai.
func Len(s string) int { return utf8.RuneCountInString(s) }
