package main

import (
	"net/http"
	"strings"

	"github.com/balaidesa/balai/sdk"
)

// profileOfficials is what the agenda reads of the village's profile
// (the profile module's public GET /): its head and its officials as the
// village recorded them.
type profileOfficials struct {
	Head      string `json:"head"`
	Officials []struct {
		Name     string `json:"name"`
		Position string `json:"position"`
	} `json:"officials"`
}

// roster names officials as the profile module records them: an official
// typed as "kades ahmad yani", "Ahmad  Yani" or "Kepala Desa H. Ahmad Yani"
// is the profile's "H. Ahmad Yani", and two events naming them in
// different ways book the same person.
type roster struct {
	// byKey maps every folded way of writing an official (see keysOf) to
	// the name the profile records.
	byKey map[string]string
}

// headTitles are the ways the village head's office is written before
// the name: the desa's kepala desa (kades), the kelurahan's lurah
// (UU 6/2014 art. 26; PP 73/2005 for the kelurahan).
var headTitles = []string{"kepala desa", "kades", "lurah", "kepala kelurahan", "pj kepala desa", "pj. kepala desa", "pj kades"}

// honorifics are titles of address people put before a name and the
// profile may or may not carry.
var honorifics = map[string]bool{"bapak": true, "pak": true, "bp.": true, "ibu": true, "bu": true, "h.": true, "hj.": true, "haji": true, "hajjah": true}

// bare drops the honorifics at the start of a folded name.
func bare(n string) string {
	f := strings.Fields(n)
	for len(f) > 1 && honorifics[f[0]] {
		f = f[1:]
	}
	return strings.Join(f, " ")
}

// keysOf are the folded ways of writing an official with position.
func keysOf(name, position string, titles ...string) []string {
	n := normalize(name)
	keys := []string{n, bare(n)}
	for _, t := range append(titles, position) {
		if t = normalize(t); t != "" {
			keys = append(keys, t+" "+n, t+" "+bare(n))
		}
	}
	return keys
}

// readRoster reads the village's officials from the profile module; a
// village without it (not installed, not enabled, unreachable) has an
// empty roster and officials keep one canonical form of what was typed.
func readRoster(r *http.Request) roster {
	var p profileOfficials
	res, err := sdk.From(r).Call(r.Context(), "profile", http.MethodGet, "/", nil, nil)
	if err == nil && sdk.ReadAnswer(res, &p) != nil {
		p = profileOfficials{}
	}
	return newRoster(p)
}

// newRoster indexes a profile's officials, the head first.
func newRoster(p profileOfficials) roster {
	ro := roster{byKey: map[string]string{}}
	add := func(name string, keys []string) {
		for _, k := range keys {
			if _, taken := ro.byKey[k]; !taken && k != "" {
				ro.byKey[k] = name
			}
		}
	}
	if h := strings.Join(strings.Fields(p.Head), " "); h != "" {
		add(h, keysOf(h, "", headTitles...))
	}
	for _, o := range p.Officials {
		if n := strings.Join(strings.Fields(o.Name), " "); n != "" {
			add(n, keysOf(n, o.Position))
		}
	}
	return ro
}

// official is an official typed in an event as the warnings name them:
// the profile's name when the roster knows them, else the typed name with
// its spaces tidied. key compares two officials.
func (ro roster) official(typed string) (key, name string) {
	n := normalize(typed)
	for _, k := range []string{n, bare(n)} {
		if name, ok := ro.byKey[k]; ok {
			return "profile:" + normalize(name), name
		}
	}
	return n, strings.Join(strings.Fields(typed), " ")
}
