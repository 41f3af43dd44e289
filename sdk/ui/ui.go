// Package ui writes a plugin's screens: HTML fragments that the Balai host
// puts inside its console (or public) shell, with the host's look. Every
// value is escaped (html/template); class names are the host stylesheet's
// (prefix b-), so a plugin ships no CSS and no JavaScript.
//
// A page handler builds a Page of Nodes and renders it:
//
//	ui.Render(w, r, ui.Page{Title: "Catatan", Body: []ui.Node{ui.Table{...}, ui.Form{...}}})
//
// Links and form actions are page-root-relative ("/notes/new"): the
// package prefixes the module's page root, which the host sends with each
// page request (sdk.Request.Page). Forms carry the CSRF token the host
// checks. Text is Bahasa Indonesia by default and English when the user
// chose it (PageInfo.Lang); dates and amounts are written the Indonesian
// way ("1 Desember 2026", "Rp1.250.000").
package ui

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/balaidesa/balai/sdk"
)

// Node is a piece of a page. Everything in this package is a Node; HTML is
// called with the page's request (for its page root, CSRF token, language
// and query).
type Node interface {
	HTML(r *http.Request) template.HTML
}

// NodeFunc adapts a function to a Node.
type NodeFunc func(r *http.Request) template.HTML

// HTML calls f.
func (f NodeFunc) HTML(r *http.Request) template.HTML { return f(r) }

// Page is one screen: its title (the shell shows it as the heading and in
// the browser's title), the status (0 is 200; 422 for a form shown again
// with errors), the actions shown beside the title, and the body.
type Page struct {
	Title   string
	Status  int
	Actions []Link
	Body    []Node
	// Description and Image make the card a link to a public page shows
	// when shared (Open Graph, as WhatsApp draws it): a one-line summary
	// (at most about 200 characters are shown) and a picture's path on
	// this deployment ("/3201/website/files/..."; 1200 x 630 px or a
	// square of at least 300 px reads best). Empty keeps the portal's
	// own. Console pages ignore both.
	Description string
	Image       string
}

// Render writes p as a page fragment: status, Content-Type text/html,
// Balai-Page: fragment and Balai-Page-Title (percent-encoded), and the HTML
// <div class="b-page"> holding an <h1> with the title, the actions and the
// body. Caching is off: a page shows a user's data.
func Render(w http.ResponseWriter, r *http.Request, p Page) {
	status := p.Status
	if status == 0 {
		status = http.StatusOK
	}
	var buf bytes.Buffer
	buf.WriteString(`<div class="b-page">`)
	buf.WriteString(`<div class="b-page-head"><h1>` + template.HTMLEscapeString(p.Title) + `</h1>`)
	if len(p.Actions) > 0 {
		buf.WriteString(`<div class="b-actions">`)
		for _, a := range p.Actions {
			buf.WriteString(string(a.HTML(r)))
		}
		buf.WriteString(`</div>`)
	}
	buf.WriteString(`</div>`)
	for _, n := range p.Body {
		if n != nil {
			buf.WriteString(string(n.HTML(r)))
		}
	}
	buf.WriteString(`</div>`)
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set(sdk.PageHeader, "fragment")
	h.Set(sdk.PageTitleHeader, url.PathEscape(p.Title))
	if p.Description != "" {
		h.Set(sdk.PageDescriptionHeader, url.PathEscape(p.Description))
	}
	if p.Image != "" {
		h.Set(sdk.PageImageHeader, url.PathEscape(p.Image))
	}
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// Info is the page request's information: sdk.Request.Page inside a plugin
// handler; outside one (a handler tested with httptest), read from the
// request's Balai-* headers, so that tests can set them.
func Info(r *http.Request) sdk.PageInfo {
	if req, ok := sdk.Lookup(r); ok {
		return req.Page()
	}
	lang := "id"
	if r.Header.Get(sdk.LangHeader) == "en" {
		lang = "en"
	}
	return sdk.PageInfo{Base: strings.TrimSuffix(r.Header.Get(sdk.PageBaseHeader), "/"), CSRF: r.Header.Get(sdk.CSRFHeader), Lang: lang}
}

// Href is the URL the browser needs for a page-root-relative path: the
// page root prefixed to a path starting with a single /; anything else (a
// query "?page=2", a fragment, an absolute URL) unchanged.
func Href(r *http.Request, path string) string {
	if strings.HasPrefix(path, "/") && !strings.HasPrefix(path, "//") {
		return Info(r).Base + path
	}
	return path
}

// Text is escaped text, in a paragraph.
func Text(s string) Node {
	return NodeFunc(func(*http.Request) template.HTML {
		return template.HTML("<p>" + template.HTMLEscapeString(s) + "</p>")
	})
}

// Muted is secondary text, in a paragraph of class b-muted.
func Muted(s string) Node {
	return NodeFunc(func(*http.Request) template.HTML {
		return template.HTML(`<p class="b-muted">` + template.HTMLEscapeString(s) + "</p>")
	})
}

// HTML is markup the plugin vouches for, written as is. Never build t from
// a user's input: use Text, or html/template.
func HTML(t template.HTML) Node {
	return NodeFunc(func(*http.Request) template.HTML { return t })
}

// Heading is a section heading (<h2>).
func Heading(s string) Node {
	return NodeFunc(func(*http.Request) template.HTML {
		return template.HTML("<h2>" + template.HTMLEscapeString(s) + "</h2>")
	})
}

// Link is a link styled as a button (class b-btn; b-btn-primary when
// Primary). Href is page-root-relative ("/residents/new"), see Href.
type Link struct {
	Label, Href string
	Primary     bool
}

var linkT = template.Must(template.New("link").Parse(
	`<a class="b-btn{{if .Primary}} b-btn-primary{{end}}" href="{{.Href}}">{{.Label}}</a>`))

// HTML writes the link.
func (l Link) HTML(r *http.Request) template.HTML {
	return run(linkT, Link{Label: l.Label, Href: Href(r, l.Href), Primary: l.Primary})
}

// A is a plain text link (not a button) to a page-root-relative path.
func A(label, href string) Node {
	return NodeFunc(func(r *http.Request) template.HTML {
		return run(aT, map[string]string{"Label": label, "Href": Href(r, href)})
	})
}

var aT = template.Must(template.New("a").Parse(`<a href="{{.Href}}">{{.Label}}</a>`))

// Badge is a short status label; kind is success, info, warning, danger or
// neutral (anything else is neutral).
func Badge(kind, label string) Node {
	switch kind {
	case "success", "info", "warning", "danger", "neutral":
	default:
		kind = "neutral"
	}
	return NodeFunc(func(*http.Request) template.HTML {
		return template.HTML(`<span class="b-badge b-badge-` + kind + `">` + template.HTMLEscapeString(label) + `</span>`)
	})
}

// Section is a card with a heading (omitted when title is empty) and a body.
func Section(title string, body ...Node) Node {
	return NodeFunc(func(r *http.Request) template.HTML {
		var b strings.Builder
		b.WriteString(`<section class="b-card">`)
		if title != "" {
			b.WriteString("<h2>" + template.HTMLEscapeString(title) + "</h2>")
		}
		for _, n := range body {
			if n != nil {
				b.WriteString(string(n.HTML(r)))
			}
		}
		b.WriteString(`</section>`)
		return template.HTML(b.String())
	})
}

// Grid lays nodes side by side on a wide screen, one under another on a
// phone (class b-grid).
func Grid(nodes ...Node) Node {
	return NodeFunc(func(r *http.Request) template.HTML {
		var b strings.Builder
		b.WriteString(`<div class="b-grid">`)
		for _, n := range nodes {
			if n != nil {
				b.WriteString(string(n.HTML(r)))
			}
		}
		b.WriteString(`</div>`)
		return template.HTML(b.String())
	})
}

// DefinitionList shows label and value pairs (class b-dl), as a record's
// details.
func DefinitionList(pairs ...[2]string) Node {
	return NodeFunc(func(*http.Request) template.HTML {
		var b strings.Builder
		b.WriteString(`<dl class="b-dl">`)
		for _, p := range pairs {
			b.WriteString("<dt>" + template.HTMLEscapeString(p[0]) + "</dt><dd>" + template.HTMLEscapeString(p[1]) + "</dd>")
		}
		b.WriteString(`</dl>`)
		return template.HTML(b.String())
	})
}

// Redirect answers a POST with 303 See Other to a page-root-relative path
// (see Href), with a message for the next page when flash is not empty:
// kind is success, info, warning or error. The host shows the message once.
func Redirect(w http.ResponseWriter, r *http.Request, path, kind, flash string) {
	if flash != "" {
		switch kind {
		case "success", "info", "warning", "error":
		default:
			kind = "info"
		}
		w.Header().Set(sdk.FlashHeader, kind+";"+url.PathEscape(flash))
	}
	w.Header().Set("Location", Href(r, path))
	w.WriteHeader(http.StatusSeeOther)
}

// run executes a template into HTML; the templates here cannot fail on
// their own data, so an error is a bug and shows as an empty node.
func run(t *template.Template, data any) template.HTML {
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return ""
	}
	return template.HTML(b.String())
}
