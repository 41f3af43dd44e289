package sdk

import (
	"net/http"

	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// Headers the host sets on a page request (and removes from what the
// browser sent, so a handler can trust them).
const (
	// PageBaseHeader is the module's page root as the browser sees it:
	// "/console/14.01.01.2009/m/population" or "/14.01.01.2009/population".
	PageBaseHeader = pb.PageBaseHeader
	// CSRFHeader is the token every form of the page must carry in a
	// field named CSRFField.
	CSRFHeader = pb.CSRFHeader
	// LangHeader is the user's language: "id" (the default) or "en".
	LangHeader = pb.LangHeader
)

// Headers a page's answer carries (package sdk/ui sets them).
const (
	// PageHeader, set to "fragment", marks an answer as HTML for the
	// host's shell; an answer without it (a download) passes through as is.
	PageHeader = pb.PageHeader
	// PageTitleHeader is the page's title, UTF-8 percent-encoded
	// (url.PathEscape).
	PageTitleHeader = pb.PageTitleHeader
	// FlashHeader is a message for the next page, "kind;percent-encoded
	// text", kind one of success, info, warning, error; sent with a 303.
	FlashHeader = pb.FlashHeader
	// PageDescriptionHeader is a public page's one-line summary for the
	// card a shared link shows (Open Graph og:description), UTF-8
	// percent-encoded; empty keeps the portal's own.
	PageDescriptionHeader = pb.PageDescriptionHeader
	// PageImageHeader is a public page's picture for that card
	// (og:image): a path on this deployment starting with a single "/",
	// which the host makes absolute with the public base URL;
	// percent-encoded. Anything else keeps the portal's picture (a card
	// never points at another host).
	PageImageHeader = pb.PageImageHeader
)

// CSRFField is the form field that carries the CSRF token.
const CSRFField = pb.CSRFField

// PageInfo is what the host tells a page handler about the page request.
type PageInfo struct {
	// Base is the module's page root as the browser sees it, without a
	// trailing slash; links and form actions are Base + a page's path.
	Base string
	// CSRF is the token forms must carry in the field CSRFField.
	CSRF string
	// Lang is "id" or "en".
	Lang string
}

// Page is the page request's information; the zero PageInfo (Lang "")
// outside a page request (an API route, an event).
func (r *Request) Page() PageInfo { return r.page }

// IsPage reports whether the request is for a page rather than an API route.
func (r *Request) IsPage() bool { return r.page.Lang != "" }

// pageLang is the language the host named: "en", else "id".
func pageLang(s string) string {
	if s == "en" {
		return "en"
	}
	return "id"
}

// Lookup is From without the panic: the Balai request of r and true inside
// a plugin handler, nil and false elsewhere (a handler tested on its own
// with net/http/httptest). Packages of helpers, such as sdk/ui, use it to
// work in both.
func Lookup(r *http.Request) (*Request, bool) {
	req, ok := r.Context().Value(ctxKey{}).(*Request)
	return req, ok
}
