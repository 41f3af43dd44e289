package main

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/balaidesa/balai/sdk"
	"golang.org/x/text/unicode/norm"
)

// slugRE is what a slug is: lower-case ASCII letters and digits in words
// joined by single hyphens.
var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// special are letters NFKD does not take apart into an ASCII letter and
// marks.
var special = map[rune]string{
	'ß': "ss", 'æ': "ae", 'Æ': "ae", 'ø': "o", 'Ø': "o", 'đ': "d", 'Đ': "d", 'ł': "l", 'Ł': "l",
	'œ': "oe", 'Œ': "oe", 'þ': "th", 'ı': "i", '&': " dan ",
}

// Slugify makes a slug of a title: letters transliterated to ASCII
// (é to e, ß to ss), lower-case, every run of other characters one
// hyphen, at most maxSlug characters cut at a word. A title with nothing
// to transliterate (Arabic script, emoji) gives "artikel".
func Slugify(title string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFKD.String(title) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		s := string(r)
		if t, ok := special[r]; ok {
			s = t
		}
		for _, c := range strings.ToLower(s) {
			if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
				if hyphen && b.Len() > 0 {
					b.WriteByte('-')
				}
				hyphen = false
				b.WriteRune(c)
			} else {
				hyphen = true
			}
		}
	}
	s := b.String()
	if len(s) > maxSlug {
		s = s[:maxSlug]
		if i := strings.LastIndexByte(s, '-'); i > maxSlug/2 {
			s = s[:i]
		}
		s = strings.Trim(s, "-")
	}
	if s == "" {
		return "artikel"
	}
	return s
}

// freeSlug is base, or base-2, base-3, ... whichever is not yet an
// article's slug in the tenant. Two writers racing for the same slug are
// told apart by the unique index: the loser asks again.
func freeSlug(ctx context.Context, req *sdk.Request, base string) (string, error) {
	if len(base) > maxSlug-4 {
		base = strings.Trim(base[:maxSlug-4], "-")
	}
	recs, _, err := req.Records("articles").Query().Where("slug", sdk.Prefix, base).Page(0, 10000).Run(ctx)
	if err != nil {
		return "", err
	}
	taken := make(map[string]bool, len(recs))
	for _, rec := range recs {
		var a struct {
			Slug string `json:"slug"`
		}
		if err := rec.Decode(&a); err != nil {
			return "", err
		}
		taken[a.Slug] = true
	}
	if !taken[base] {
		return base, nil
	}
	for n := 2; ; n++ {
		if s := base + "-" + strconv.Itoa(n); !taken[s] {
			return s, nil
		}
	}
}
