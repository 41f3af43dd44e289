package ui

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	l := Lookup{Path: "/track", Title: "Lacak pengaduan", Max: 40, Help: "26 huruf", Placeholder: "ABCD",
		More: []Node{A("Sampaikan pengaduan baru", "/lapor")}}
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
	l.NotFound(w, pageReq("GET", "/track/XYZ", "id"), "XYZ", "Tidak ada <pengaduan> dengan kode ini.")
	body := w.Body.String()
	if w.Code != http.StatusNotFound || !strings.Contains(body, `value="XYZ"`) || !strings.Contains(body, "Tidak ada &lt;pengaduan&gt; dengan kode ini.") ||
		strings.Contains(body, "/lapor") || w.Header().Get("Balai-Page-Title") != "Lacak%20pengaduan" {
		t.Errorf("NotFound: %d %v %s", w.Code, w.Header(), body)
	}
}
