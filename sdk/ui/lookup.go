package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/balaidesa/balai/sdk"
)

// Lookup is a citizen's look-up of a record by its tracking code: a page
// at Path with a GET form asking for the code, which sends a code given on
// to the record's own page at Path/{CODE}. The tracking pages of a
// complaint, a letter request and a disaster report work so; the record's
// page finds its record with Find.
type Lookup struct {
	// Path is the look-up page's page-root-relative path ("/track").
	Path string
	// Title is the look-up page's title ("Lacak pengaduan").
	Title string
	// Help and Placeholder describe the code's input; Max is its most
	// characters (0: no bound).
	Help, Placeholder string
	Max               int
	// More are nodes shown under the form on the look-up page (a link to
	// send a new one).
	More []Node
	// Missing is the message under the code when no record has it
	// ("Tidak ada pengaduan dengan kode ini.").
	Missing string
}

// Serve is the look-up page: with ?code= it answers 303 to Path/{code}
// (trimmed, upper-cased as the codes are given, path-escaped); without,
// it shows the form and More.
func (l Lookup) Serve(w http.ResponseWriter, r *http.Request) {
	if code := strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("code"))); code != "" {
		http.Redirect(w, r, Href(r, l.Path+"/"+url.PathEscape(code)), http.StatusSeeOther)
		return
	}
	Render(w, r, Page{Title: l.Title, Body: append([]Node{l.Form(r, "", "")}, l.More...)})
}

// Form is the look-up form: the field code ("Kode pelacakan", required)
// holding code, with errText under it when not empty, sent by GET to
// Path.
func (l Lookup) Form(r *http.Request, code, errText string) Form {
	f := Form{Method: "GET", Action: l.Path, Submit: t(r, "track"), Fields: []Field{
		{Name: "code", Label: t(r, "track_code"), Required: true, Max: l.Max, Help: l.Help, Placeholder: l.Placeholder},
	}}
	if code != "" {
		f.Values = url.Values{"code": {code}}
	}
	if errText != "" {
		f.Errors = map[string]string{"code": errText}
	}
	return f
}

// NotFound answers the record's page for a code no record has: 404, the
// look-up page with the code in its form and Missing under it.
func (l Lookup) NotFound(w http.ResponseWriter, r *http.Request, code string) {
	Render(w, r, Page{Title: l.Title, Status: http.StatusNotFound, Body: []Node{l.Form(r, code, l.Missing)}})
}

// Find reads the record of a record's page at Path/{code}: the path's
// code, upper-cased, goes to the API's look-up handler h (a GET, as
// CallAPI makes it, with the path value code). A code no record has (an
// *sdk.Error 404) answers NotFound; another error goes to fail, the
// module's error page. ok is false when the page has been answered.
func (l Lookup) Find(w http.ResponseWriter, r *http.Request, h func(*http.Request) (int, any, error), fail func(http.ResponseWriter, *http.Request, error)) (code string, v any, ok bool) {
	code = strings.ToUpper(r.PathValue("code"))
	_, v, err := CallAPI(r, h, "GET", nil, nil, "code", code)
	var se *sdk.Error
	switch {
	case err == nil:
		return code, v, true
	case errors.As(err, &se) && se.Status == http.StatusNotFound:
		l.NotFound(w, r, code)
	default:
		fail(w, r, err)
	}
	return code, nil, false
}
