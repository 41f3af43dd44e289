package main

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

// Names a clerk reads as one name fold to one string; names that differ by
// a letter, an accent or a separator stay different. The cases are the
// ways a mother's name reaches POST /verify: typed on a phone, pasted from
// a chat, copied from a scanned KK.
func TestFoldName(t *testing.T) {
	same := []struct{ name, register, typed string }{
		{"case", "Siti Aminah", "SITI AMINAH"},
		{"mixed case", "Siti Aminah", "sItI aMiNaH"},
		{"double space", "Siti Aminah", "Siti  Aminah"},
		{"leading and trailing spaces, tab", "Siti Aminah", " \tSiti Aminah  "},
		{"non-breaking space", "Siti Aminah", "Siti\u00a0Aminah"},
		{"narrow no-break and ideographic spaces", "Siti Aminah", "Siti\u202f\u3000Aminah"},
		{"curly apostrophe", "Nur'aini", "NUR\u2019AINI"},
		{"left curly apostrophe", "Nur'aini", "Nur\u2018aini"},
		{"modifier letter apostrophe", "Nur'aini", "Nur\u02bcaini"},
		{"grave accent for an apostrophe", "Nur'aini", "Nur`aini"},
		{"acute accent for an apostrophe", "Nur'aini", "Nur\u00b4aini"},
		{"prime for an apostrophe", "Ma'ruf", "Ma\u2032ruf"},
		{"full-width apostrophe", "Nur'aini", "Nur\uff07aini"},
		{"decomposed é (NFD) against composed (NFC)", norm.NFC.String("Désirée"), norm.NFD.String("Désirée")},
		{"decomposed é, upper case", norm.NFC.String("Désirée"), norm.NFD.String("DÉSIRÉE")},
		{"full-width letters", "Siti Aminah", "ＳＩＴＩ ＡＭＩＮＡＨ"},
		{"full-width space", "Siti Aminah", "ＳＩＴＩ\u3000ＡＭＩＮＡＨ"},
		{"non-breaking hyphen U+2011", "Abdul-Rahman", "Abdul\u2011Rahman"},
		{"hyphen U+2010", "Abdul-Rahman", "Abdul\u2010Rahman"},
		{"en dash", "Abdul-Rahman", "Abdul\u2013Rahman"},
		{"minus sign", "Abdul-Rahman", "ABDUL\u2212RAHMAN"},
		{"spaces around the hyphen", "Abdul-Rahman", "Abdul - Rahman"},
		{"soft hyphen pasted from a document", "Nurhayati", "Nur\u00adhayati"},
		{"zero-width space pasted from a chat", "Siti Rahmah", "Siti Rah\u200bmah"},
		{"byte order mark at the start", "Siti Rahmah", "\ufeffSiti Rahmah"},
		{"ligature", "Siti Rafiah", "Siti Ra\ufb01ah"},
		{"sharp s folds like ss", "Strauß", "STRAUSS"},
	}
	for _, c := range same {
		if a, b := foldName(c.register), foldName(c.typed); a != b {
			t.Errorf("%s: %q folds to %q, %q to %q: want one name", c.name, c.register, a, c.typed, b)
		}
	}
	different := []struct{ name, register, typed string }{
		{"a letter more", "Siti Aminah", "Siti Aminahh"},
		{"a letter doubled", "Siti Aminah", "Sitti Aminah"},
		{"a letter less", "Siti Aminah", "Siti Amina"},
		{"a word less", "Siti Aminah", "Siti"},
		{"words run together", "Siti Aminah", "SitiAminah"},
		{"apostrophe left out", "Nur'aini", "Nuraini"},
		{"hyphen for a space", "Abdul-Rahman", "Abdul Rahman"},
		{"accent left out", "José", "Jose"},
		{"another accent", "José", "Josè"},
		{"a letter swapped", "Nurhayati", "Nurhayatu"},
		{"dotless i", "Siti", "S\u0131ti"},
		{"digit for a letter", "Siti", "S1ti"},
	}
	for _, c := range different {
		if a, b := foldName(c.register), foldName(c.typed); a == b {
			t.Errorf("%s: %q and %q both fold to %q: want two names", c.name, c.register, c.typed, a)
		}
	}
	// The fold is stable: folding a folded name changes nothing, so a
	// folded name stored for the duplicate check compares with a fresh one.
	for _, c := range same {
		if f := foldName(c.typed); foldName(f) != f {
			t.Errorf("%s: folding %q twice gives %q, then %q", c.name, c.typed, f, foldName(f))
		}
	}
	for _, blank := range []string{"", "   ", "\u00a0\u200b\ufeff"} {
		if f := foldName(blank); f != "" {
			t.Errorf("blank %q folds to %q", blank, f)
		}
	}
}
