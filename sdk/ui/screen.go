package ui

// Helpers every module's screens need around the API's own handlers:
// calling one and taking its answer, showing its error, reading a screen's
// words, and linking to the same module at another tenant. They were
// written once per module before; one copy here keeps them alike.

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/balaidesa/balai/sdk"
)

// Answer calls one of the plugin's API handlers (the function sdk.Func
// adapts) with r and returns its value as T: a screen goes through the
// API's code, its checks and its masking, never a copy of them. The
// handler's error is returned as is; a value of another type is an error
// of the plugin's ("handler answered X, want T").
func Answer[T any](r *http.Request, h func(*http.Request) (int, any, error)) (T, error) {
	var zero T
	_, v, err := h(r)
	if err != nil {
		return zero, err
	}
	t, ok := v.(T)
	if !ok {
		return zero, fmt.Errorf("handler answered %T, want %T", v, zero)
	}
	return t, nil
}

// WithQuery is a copy of r whose query has the given key, value pairs set
// (an empty value removes the key), for calling a handler with a screen's
// defaults: Answer[T](WithQuery(r, "limit", "20"), list). r is unchanged;
// a trailing key without a value is ignored.
func WithQuery(r *http.Request, kv ...string) *http.Request {
	r2 := r.Clone(r.Context())
	q := r2.URL.Query()
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			q.Del(kv[i])
		} else {
			q.Set(kv[i], kv[i+1])
		}
	}
	u := *r2.URL
	u.RawQuery = q.Encode()
	r2.URL = &u
	return r2
}

// TenantHref is the browser's URL of a page of the same module at another
// tenant (a record's village, from a regency's list): the page root with
// the request's tenant code replaced by tenant, then path
// ("/projects/p1"). Outside a plugin handler, or when the page root does
// not name the request's tenant, it is the page root and path.
func TenantHref(r *http.Request, tenant, path string) string {
	base := Info(r).Base
	if req, ok := sdk.Lookup(r); ok {
		base = swapTenant(base, req.Tenant, tenant)
	}
	return base + path
}

// swapTenant replaces the last whole path segment from of base by to;
// base is unchanged when no segment is from.
func swapTenant(base, from, to string) string {
	if from == "" {
		return base
	}
	i := strings.LastIndex(base, "/"+from)
	if i < 0 {
		return base
	}
	end := i + 1 + len(from)
	if end != len(base) && base[end] != '/' {
		return base
	}
	return base[:i] + "/" + to + base[end:]
}

// Alert is a message in the error style (class b-error, role alert), as a
// paragraph: what went wrong on a page.
func Alert(msg string) Node {
	return NodeFunc(func(*http.Request) template.HTML {
		return template.HTML(`<p class="b-error" role="alert">` + template.HTMLEscapeString(msg) + `</p>`)
	})
}

// ErrorPage renders a page that says only msg (as an Alert) under title,
// with status: the answer of a screen that cannot show what was asked.
func ErrorPage(w http.ResponseWriter, r *http.Request, title string, status int, msg string) {
	Render(w, r, Page{Title: title, Status: status, Body: []Node{Alert(msg)}})
}

// Execute runs one of a screen's templates with data. A screen's
// templates cannot fail on their own data, so an error is a bug: it is
// logged (sdk.Logf, level error, with the template's name) and the node
// shows nothing.
func Execute(r *http.Request, t *template.Template, data any) template.HTML {
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		sdk.Logf(r.Context(), "error", "template %s: %v", t.Name(), err)
		return ""
	}
	return template.HTML(b.String())
}

// Words are a module's screen strings by language ("id", "en") and key.
type Words map[string]map[string]string

// Get is the string key in the page's language (Info(r).Lang); a key the
// language lacks falls back to Bahasa Indonesia's, and an unknown key is
// "".
func (w Words) Get(r *http.Request, key string) string {
	if s, ok := w[Info(r).Lang][key]; ok {
		return s
	}
	return w["id"][key]
}

// Errors says a module's API errors on its screens: which form field an
// error is about and the sentence shown for it.
type Errors struct {
	// Module names the module in the log line of a failure of its own
	// ("development screen /manage/new: ...").
	Module string
	// Text is the sentence in Bahasa Indonesia per code, shown instead of
	// the API's own (English) message unless the page is in English.
	Text map[sdk.Code]string
	// Fields is the form field a code is about when its error names none.
	Fields map[sdk.Code]string
	// Rename maps a field the API names to the form's own name for it
	// ("funding" to "funding_dana_desa").
	Rename map[string]string
	// Detail, on a console page (a page root below /console/), follows
	// Text's sentence with the API's own message for the clerk:
	// "Pilih kategori pengaduan: unknown category".
	Detail bool
}

// Explain turns err into what a screen shows: the form field it is about
// (or ""), the message in the page's language where the module has one,
// and the status to answer with (the *sdk.Error's 4xx). Anything else
// (an error that is not an *sdk.Error, or a 5xx) is a failure, not the
// client's mistake: it is logged and shown as a general message with
// 500, never as its text.
func (e Errors) Explain(r *http.Request, err error) (field, msg string, status int) {
	field, msg, ok := e.explain(r, err)
	if !ok {
		sdk.Logf(r.Context(), "error", "%s screen %s: %v", e.Module, r.URL.Path, err)
		return "", t(r, "server_error"), http.StatusInternalServerError
	}
	return field, msg, FormStatus(err)
}

// explain is Explain without the log: ok is false for a failure.
func (e Errors) explain(r *http.Request, err error) (field, msg string, ok bool) {
	var se *sdk.Error
	if !errors.As(err, &se) || se.Status >= 500 {
		return "", "", false
	}
	field = se.Field
	if f, ok := e.Rename[field]; ok {
		field = f
	}
	if f, ok := e.Fields[se.Code]; ok && field == "" {
		field = f
	}
	msg = se.Message
	if m, ok := e.Text[se.Code]; ok && Info(r).Lang != "en" {
		msg = m
		if e.Detail && strings.HasPrefix(Info(r).Base, "/console/") {
			msg = m + ": " + se.Message
		}
	}
	return field, msg, true
}

// Client is Explain for a page that shows a client's error in its form
// and fails otherwise: fields holds the message under the field at fault
// (empty when none is), msg is the message itself, and ok is false for a
// failure (see Explain), which the page answers with Fail instead.
func (e Errors) Client(r *http.Request, err error) (fields map[string]string, msg string, status int, ok bool) {
	field, msg, ok := e.explain(r, err)
	if !ok {
		return nil, "", 0, false
	}
	fields = map[string]string{}
	if field != "" {
		fields[field] = msg
	}
	return fields, msg, FormStatus(err), true
}

// Form is Explain for a form: the message by field name (empty when the
// error names no field), the summary shown above the form (the message
// itself when no field is at fault) and the status.
func (e Errors) Form(r *http.Request, err error) (fields map[string]string, summary string, status int) {
	field, msg, status := e.Explain(r, err)
	if field == "" {
		return map[string]string{}, msg, status
	}
	return map[string]string{field: msg}, t(r, "form_error"), status
}

// Fail renders err as the page under title: its status and message
// (Explain).
func (e Errors) Fail(w http.ResponseWriter, r *http.Request, title string, err error) {
	_, msg, status := e.Explain(r, err)
	ErrorPage(w, r, title, status, msg)
}

// Back ends an action a page posts (a button: upload, delete, a state
// change) by going back to path (303, see Redirect): with err's message
// (Explain) as an error flash when err is not nil, else with success.
func (e Errors) Back(w http.ResponseWriter, r *http.Request, path string, err error, success string) {
	if err != nil {
		_, msg, _ := e.Explain(r, err)
		Redirect(w, r, path, "error", msg)
		return
	}
	Redirect(w, r, path, "success", success)
}
