package ui

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk"
)

func TestLookup(t *testing.T) {
	l := Lookup{Path: "/track", Title: "Lacak pengaduan", Max: 40, Help: "26 huruf", Placeholder: "ABCD",
		More: []Node{A("Sampaikan pengaduan baru", "/lapor")}, Missing: "Tidak ada <pengaduan> dengan kode ini."}
	const base = "/console/14.01.01.2009/m/hello"
	cases := []struct {
		name, target, lang string
		status             int
		location           string
		has, lacks         []string
	}{
		{"form", "/track", "id", 200, "", []string{
			`method="get" action="` + base + `/track"`, `name="code"`, `maxlength="40"`, `placeholder="ABCD"`, "26 huruf", ">Kode pelacakan <", ">Lacak</button>",
			`<a href="` + base + `/lapor">Sampaikan pengaduan baru</a>`,
		}, []string{"b-field-error"}},
		{"form in English", "/track", "en", 200, "", []string{">Tracking code", ">Track</button>"}, nil},
		{"a code goes to its page", "/track?code=+ab12cd+", "id", 303, base + "/track/AB12CD", nil, nil},
		{"escaped", "/track?code=a%2Fb", "id", 303, base + "/track/A%2FB", nil, nil},
		{"blank code shows the form", "/track?code=+", "id", 200, "", []string{`name="code"`}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			l.Serve(w, pageReq("GET", c.target, c.lang))
			body := w.Body.String()
			if w.Code != c.status || w.Header().Get("Location") != c.location {
				t.Fatalf("%d to %q, want %d to %q", w.Code, w.Header().Get("Location"), c.status, c.location)
			}
			for _, s := range c.has {
				if !strings.Contains(body, s) {
					t.Errorf("no %q in %s", s, body)
				}
			}
			for _, s := range c.lacks {
				if strings.Contains(body, s) {
					t.Errorf("%q in %s", s, body)
				}
			}
		})
	}
	// A code no record has: 404, the code kept, the message under it, and
	// not the look-up page's extra links.
	w := httptest.NewRecorder()
	l.NotFound(w, pageReq("GET", "/track/XYZ", "id"), "XYZ")
	body := w.Body.String()
	if w.Code != http.StatusNotFound || !strings.Contains(body, `value="XYZ"`) || !strings.Contains(body, "Tidak ada &lt;pengaduan&gt; dengan kode ini.") ||
		strings.Contains(body, "/lapor") || w.Header().Get("Balai-Page-Title") != "Lacak%20pengaduan" {
		t.Errorf("NotFound: %d %v %s", w.Code, w.Header(), body)
	}
}

func TestLookupFind(t *testing.T) {
	l := Lookup{Path: "/track", Title: "Lacak pengaduan", Missing: "Tidak ada pengaduan dengan kode ini."}
	track := func(r *http.Request) (int, any, error) {
		switch r.PathValue("code") {
		case "AB12":
			return 200, "found AB12", nil
		case "GONE":
			return 0, nil, sdk.Errorf(http.StatusNotFound, sdk.CodeNotFound, "no such code")
		}
		return 0, nil, errors.New("db down")
	}
	cases := []struct {
		name, code string
		ok         bool
		v          any
		status     int
		has        string
	}{
		{"found, the code upper-cased", "ab12", true, "found AB12", 0, ""},
		{"no record: the look-up form with the code", "gone", false, nil, 404, `value="GONE"`},
		{"another error goes to the module", "x", false, nil, 599, "failed: db down"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := pageReq("GET", "/track/"+c.code, "id")
			r.SetPathValue("code", c.code)
			w := httptest.NewRecorder()
			code, v, ok := l.Find(w, r, track, func(w http.ResponseWriter, _ *http.Request, err error) {
				w.WriteHeader(599)
				w.Write([]byte("failed: " + err.Error()))
			})
			if ok != c.ok || v != c.v || code != strings.ToUpper(c.code) {
				t.Fatalf("%q %v %v, want %v %v", code, v, ok, c.v, c.ok)
			}
			if !ok && (w.Code != c.status || !strings.Contains(w.Body.String(), c.has)) {
				t.Errorf("answered %d %s", w.Code, w.Body)
			}
			if ok && w.Body.Len() > 0 {
				t.Errorf("a found record's page was answered: %s", w.Body)
			}
		})
	}
}
