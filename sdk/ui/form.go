package ui

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/balaidesa/balai/sdk"
)

// Form is an HTML form. It carries the CSRF token (hidden field
// csrf_token) unless its Method is GET, labels every field, keeps the
// values it is given (after a 422, the values the user sent: r.PostForm),
// and shows each field's error below it, linked by aria-describedby, with
// Error as a summary above.
type Form struct {
	// Action is page-root-relative ("/notes"); empty posts to the page
	// itself.
	Action string
	// Method is POST (the default) or GET.
	Method string
	// Submit is the button's label; empty gives "Simpan" / "Save".
	Submit string
	Fields []Field
	// Values are the fields' current values, by name.
	Values url.Values
	// Errors are messages by field name (FormErrors makes them from an
	// *sdk.Error).
	Errors map[string]string
	// Error is a message for the form as a whole.
	Error string
	// Multipart sends the form as multipart/form-data; a file field sets
	// it anyway.
	Multipart bool
	// Confirm, when set, is a question the user must confirm before the
	// form is sent ("Hapus catatan ini?"): the browser asks it with
	// confirm() when the host's script runs (attribute data-confirm); if
	// not, the handler's call to Confirm shows a confirmation step first.
	// The submit button is then styled as a dangerous action.
	Confirm string
	// Cancel, when set, is a page-root-relative link shown as "Batal".
	Cancel string
	// IDPrefix starts the ids of the form's fields (of their help and
	// error lines, and of the form's error summary): a page showing several forms with the same field names
	// (one per row, say) gives each its own prefix ("rec-7-"), so that ids
	// stay unique on the page and each label points at its own form's
	// input. Empty keeps the plain ids ("f-name").
	IDPrefix string
	// danger styles the submit button as a dangerous action (the
	// confirmation step, which asks no second question).
	danger bool
}

// Field is one input of a form or of a table's filters.
type Field struct {
	// Name is the form field's name: the input struct's json name
	// (Decode), dotted for a nested one ("contact.phone").
	Name, Label string
	// Type is text (the default), number, date, select, textarea, file,
	// hidden, checkbox, email, tel, password or search.
	Type string
	// Help is a hint shown under the input.
	Help    string
	Options []Option // for select
	// Required marks the field as required (attribute and label).
	Required bool
	// Max is the most characters of a text, email, tel, password, search or
	// textarea field, and the largest value of a number field; 0 for no
	// bound.
	Max int
	// Accept lists the file types a file field takes ("image/*,.pdf").
	Accept string
	// Placeholder is an example value shown in an empty input.
	Placeholder string
	// Digits marks a text field of digits (NIK, KK, RT, a phone number
	// without +): a phone shows its number pad (inputmode="numeric",
	// pattern="[0-9]*"), and unlike Type number leading zeros are kept.
	Digits bool
}

// Option is one choice of a select field.
type Option struct {
	Value, Label string
}

// ConfirmedField is the field that marks a form with Confirm as confirmed:
// the host's script adds it when the user accepts confirm(), and the
// confirmation step sends it.
const ConfirmedField = "confirmed"

var (
	formOpenT = template.Must(template.New("form").Parse(
		`<form class="b-form" method="{{.Method}}"{{if .Action}} action="{{.Action}}"{{end}}` +
			`{{if .Multipart}} enctype="multipart/form-data" data-upload{{end}}` +
			`{{if .Confirm}} data-confirm="{{.Confirm}}"{{end}} novalidate>` +
			`{{if .CSRF}}<input type="hidden" name="csrf_token" value="{{.CSRF}}">{{end}}` +
			`{{if .Error}}<div class="b-error" role="alert" id="{{.Prefix}}form-error">{{.Error}}</div>{{end}}`))
	formCloseT = template.Must(template.New("formclose").Parse(
		`<div class="b-actions"><button type="submit" class="b-btn {{if .Danger}}b-btn-danger{{else}}b-btn-primary{{end}}">{{.Submit}}</button>` +
			`{{if .Cancel}}<a class="b-btn" href="{{.Cancel}}">{{.CancelLabel}}</a>{{end}}</div></form>`))
	fieldT = template.Must(template.New("field").Parse(
		`{{if eq .Type "hidden"}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">{{else}}` +
			`<div class="b-field{{if eq .Type "checkbox"}} b-field-check{{end}}{{if .Err}} b-invalid{{end}}">` +
			`{{if eq .Type "checkbox"}}<input type="checkbox" id="{{.ID}}" name="{{.Name}}" value="1"{{if .Checked}} checked{{end}}{{template "aria" .}}> <label for="{{.ID}}">{{.Label}}</label>` +
			`{{else}}<label for="{{.ID}}">{{.Label}}{{if .Required}} <span class="b-muted">({{.RequiredWord}})</span>{{end}}</label>` +
			`{{if eq .Type "textarea"}}<textarea id="{{.ID}}" name="{{.Name}}" rows="4"{{if .Max}} maxlength="{{.Max}}"{{end}}{{if .Required}} required{{end}}{{if .Placeholder}} placeholder="{{.Placeholder}}"{{end}}{{template "aria" .}}>{{.Value}}</textarea>` +
			`{{else if eq .Type "select"}}<select id="{{.ID}}" name="{{.Name}}"{{if .Required}} required{{end}}{{template "aria" .}}><option value="">{{.Choose}}</option>` +
			`{{range .Options}}<option value="{{.Value}}"{{if eq .Value $.Value}} selected{{end}}>{{.Label}}</option>{{end}}</select>` +
			`{{else if eq .Type "file"}}<div class="b-upload"><input type="file" id="{{.ID}}" name="{{.Name}}"{{if .Accept}} accept="{{.Accept}}"{{end}}{{if .Required}} required{{end}}{{template "aria" .}}>` +
			`<progress class="b-progress" max="100" value="0" hidden aria-label="{{.Uploading}}"></progress></div>` +
			`{{else}}<input type="{{.Type}}" id="{{.ID}}" name="{{.Name}}" value="{{.Value}}"` +
			`{{if .Max}}{{if eq .Type "number"}} max="{{.Max}}"{{else}} maxlength="{{.Max}}"{{end}}{{end}}` +
			`{{if or (eq .Type "number") .Digits}} inputmode="numeric"{{end}}{{if .Digits}} pattern="[0-9]*"{{end}}{{if .Required}} required{{end}}{{if .Placeholder}} placeholder="{{.Placeholder}}"{{end}}{{template "aria" .}}>{{end}}{{end}}` +
			`{{if .Help}}<p class="b-help" id="{{.ID}}-help">{{.Help}}</p>{{end}}` +
			`{{if .Err}}<p class="b-field-error" id="{{.ID}}-error">{{.Err}}</p>{{end}}</div>{{end}}` +
			`{{define "aria"}}{{if .Described}} aria-describedby="{{.Described}}"{{end}}{{if .Err}} aria-invalid="true"{{end}}{{end}}`))
)

// fieldHTML writes one field with its value from values and its error
// from errs; prefix starts its id (Form.IDPrefix).
func fieldHTML(r *http.Request, f Field, values url.Values, errs map[string]string, prefix string) template.HTML {
	typ := f.Type
	switch typ {
	case "text", "number", "date", "select", "textarea", "file", "hidden", "checkbox", "email", "tel", "password", "search":
	default:
		typ = "text"
	}
	id := prefix + "f-" + strings.NewReplacer(".", "-", "[", "-", "]", "").Replace(f.Name)
	value := values.Get(f.Name)
	if typ == "password" || typ == "file" {
		value = "" // never sent back to the browser
	}
	err := errs[f.Name]
	var described []string
	if f.Help != "" {
		described = append(described, id+"-help")
	}
	if err != "" {
		described = append(described, id+"-error")
	}
	checked := false
	switch strings.ToLower(value) {
	case "1", "on", "true", "yes":
		checked = true
	}
	return run(fieldT, map[string]any{
		"Type": typ, "ID": id, "Name": f.Name, "Label": f.Label, "Value": value, "Help": f.Help, "Err": err,
		"Required": f.Required, "RequiredWord": t(r, "required"), "Max": f.Max, "Options": f.Options,
		"Choose": t(r, "choose"), "Accept": f.Accept, "Placeholder": f.Placeholder, "Digits": f.Digits, "Checked": checked,
		"Described": strings.Join(described, " "), "Uploading": t(r, "uploading"),
	})
}

// HTML writes the form.
func (f Form) HTML(r *http.Request) template.HTML {
	method := strings.ToLower(f.Method)
	if method != "get" {
		method = "post"
	}
	multipart := f.Multipart
	for _, fl := range f.Fields {
		multipart = multipart || fl.Type == "file"
	}
	csrf := ""
	if method == "post" {
		csrf = Info(r).CSRF
	}
	var b strings.Builder
	action := ""
	if f.Action != "" {
		action = Href(r, f.Action)
	}
	b.WriteString(string(run(formOpenT, map[string]any{
		"Method": method, "Action": action, "Multipart": multipart, "Confirm": f.Confirm, "CSRF": csrf, "Error": f.Error, "Prefix": f.IDPrefix,
	})))
	for _, fl := range f.Fields {
		b.WriteString(string(fieldHTML(r, fl, f.Values, f.Errors, f.IDPrefix)))
	}
	submit := f.Submit
	if submit == "" {
		submit = t(r, "save")
	}
	cancel := ""
	if f.Cancel != "" {
		cancel = Href(r, f.Cancel)
	}
	b.WriteString(string(run(formCloseT, map[string]any{
		"Submit": submit, "Danger": f.Confirm != "" || f.danger, "Cancel": cancel, "CancelLabel": t(r, "cancel"),
	})))
	return template.HTML(b.String())
}

// Upload is a form of one file field: the host's script sends it with a
// progress bar (class b-progress) when it runs, and without it the browser
// posts it as plain multipart/form-data. The handler reads the file with
// r.FormFile(name) and stores it with the request's Files.
func Upload(action, name, label, help, accept string) Form {
	return Form{Action: action, Multipart: true, Fields: []Field{{Name: name, Label: label, Type: "file", Help: help, Accept: accept, Required: true}}}
}

// Confirmed reports whether a form with Confirm came confirmed (field
// ConfirmedField).
func Confirmed(r *http.Request) bool {
	return r.FormValue(ConfirmedField) == "1"
}

// Confirm is the no-JavaScript confirmation step of a form with Confirm.
// Call it first in the form's POST handler: it returns true when the user
// has confirmed; otherwise it renders a page asking f.Confirm, which posts
// the same values again with the confirmation, and returns false (the
// handler then returns). With the host's script, the browser asked already
// and the first post is confirmed.
func Confirm(w http.ResponseWriter, r *http.Request, f Form) bool {
	if Confirmed(r) {
		return true
	}
	vals := url.Values{}
	if err := r.ParseForm(); err == nil {
		vals = r.PostForm
	}
	step := Form{Action: f.Action, Submit: t(r, "confirm_yes"), Cancel: f.Cancel, danger: true}
	for name, vs := range vals {
		if name == sdk.CSRFField || name == ConfirmedField || len(vs) == 0 {
			continue
		}
		step.Fields = append(step.Fields, Field{Name: name, Type: "hidden"})
	}
	step.Fields = append(step.Fields, Field{Name: ConfirmedField, Type: "hidden"})
	step.Values = with(vals, ConfirmedField, "1")
	// The question is asked by the page itself; the form has no
	// data-confirm, so the script asks no second time.
	Render(w, r, Page{Title: t(r, "confirm"), Body: []Node{
		NodeFunc(func(*http.Request) template.HTML {
			return template.HTML(`<p class="b-confirm">` + template.HTMLEscapeString(f.Confirm) + `</p>`)
		}),
		step,
	}})
	return false
}

// FormErrors turns a handler's error into a form's errors: an *sdk.Error
// with a Field gives that field its message (and msg asks to check the
// marked fields); one without gives the message for the form; any other
// error (a failure of the plugin's own, which the handler should log) a
// general message. The package's own words are in Bahasa Indonesia; see
// FormErrorsFor. fields is never nil.
func FormErrors(err error) (fields map[string]string, msg string) {
	return formErrors("id", err)
}

// FormErrorsFor is FormErrors with the package's words in the user's
// language (sdk.PageInfo.Lang).
func FormErrorsFor(r *http.Request, err error) (fields map[string]string, msg string) {
	return formErrors(Info(r).Lang, err)
}

func formErrors(lang string, err error) (fields map[string]string, msg string) {
	words := msgs[lang]
	if words == nil {
		words = msgs["id"]
	}
	fields = map[string]string{}
	if err == nil {
		return fields, ""
	}
	var e *sdk.Error
	if !errors.As(err, &e) {
		return fields, words["server_error"]
	}
	if e.Field != "" {
		fields[e.Field] = e.Message
		return fields, words["form_error"]
	}
	return fields, e.Message
}

// FormStatus is the status to render a form again with after err: the
// *sdk.Error's own status when it is a 4xx (422 invalid, 409 conflict),
// else 500.
func FormStatus(err error) int {
	var e *sdk.Error
	if errors.As(err, &e) && e.Status >= 400 && e.Status < 500 {
		return e.Status
	}
	return http.StatusInternalServerError
}
