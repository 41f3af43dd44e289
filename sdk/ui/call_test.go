package ui

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestTr(t *testing.T) {
	for _, c := range []struct{ lang, want string }{{"id", "Simpan"}, {"en", "Save"}, {"", "Simpan"}, {"fr", "Simpan"}} {
		if got := Tr(pageReq("GET", "/x", c.lang), "Simpan", "Save"); got != c.want {
			t.Errorf("lang %q: %q, want %q", c.lang, got, c.want)
		}
	}
}

// CallAPI hands the API handler the method, query, JSON body and path
// values it asked for, and leaves the page's own request as it was.
func TestCallAPI(t *testing.T) {
	page := pageReq("POST", "/families/new?tab=1", "id")
	page.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var seen struct {
		method, query, ctype, id string
		body                     map[string]any
	}
	handler := func(r *http.Request) (int, any, error) {
		seen.method, seen.query, seen.ctype, seen.id = r.Method, r.URL.RawQuery, r.Header.Get("Content-Type"), r.PathValue("id")
		b, _ := io.ReadAll(r.Body)
		json.Unmarshal(b, &seen.body)
		return 201, "ok", nil
	}
	st, v, err := CallAPI(page, handler, "PATCH", url.Values{"q": {"budi"}}, map[string]any{"name": "Budi"}, "id", "r1")
	if st != 201 || v != "ok" || err != nil {
		t.Fatalf("answer %d %v %v", st, v, err)
	}
	if seen.method != "PATCH" || seen.query != "q=budi" || seen.ctype != "application/json" || seen.id != "r1" || seen.body["name"] != "Budi" {
		t.Errorf("the handler saw %+v", seen)
	}
	if page.Method != "POST" || page.URL.RawQuery != "tab=1" || page.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("the page's request changed: %s %s %s", page.Method, page.URL.RawQuery, page.Header.Get("Content-Type"))
	}
	seen.body = nil
	CallAPI(page, handler, "GET", nil, nil)
	if seen.method != "GET" || seen.ctype != "" || seen.body != nil {
		t.Errorf("a GET without body: %+v", seen)
	}
}

// A Digits field asks a phone for its number pad and keeps leading zeros
// (a text input, not a number).
func TestDigitsField(t *testing.T) {
	r := pageReq("GET", "/x", "id")
	got := html(Form{Action: "/x", Fields: []Field{{Name: "nik", Label: "NIK", Max: 16, Digits: true}, {Name: "name", Label: "Nama"}},
		Values: url.Values{"nik": {"0140101200900001"}}}, r)
	if !strings.Contains(got, `name="nik" value="0140101200900001" maxlength="16" inputmode="numeric" pattern="[0-9]*"`) ||
		!strings.Contains(got, `<input type="text" id="f-nik"`) {
		t.Errorf("digits field:\n%s", got)
	}
	if strings.Count(got, "inputmode") != 1 {
		t.Errorf("a plain text field asks for the number pad:\n%s", got)
	}
}
