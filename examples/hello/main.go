// Command hello is the smallest complete Balai plugin: it greets the caller
// and keeps notes per village, through the API and on one screen of the
// console. Copy it to start your own.
package main

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/balaidesa/balai/sdk"
)

var plugin = sdk.Plugin{
	ID: "hello", Version: "1.0.0", Vendor: "Balai", Description: "Greets the caller and keeps notes per village",
	Permissions: []sdk.Permission{
		{Name: "hello.notes.read", Roles: []string{"viewer", "operator"}},
		{Name: "hello.notes.write", Roles: []string{"operator"}},
	},
	Collections: []sdk.Collection{{Name: "notes", Fields: []sdk.Field{{Name: "text", Type: sdk.String, Required: true}}}},
	Routes: []sdk.Route{
		{Method: "GET", Path: "/greeting", Permission: "hello.notes.read", Handler: sdk.Func(greeting)},
		{Method: "GET", Path: "/notes", Permission: "hello.notes.read", Handler: sdk.Func(func(r *http.Request) (int, any, error) {
			return sdk.From(r).Records("notes").List(r)
		})},
		{Method: "POST", Path: "/notes", Permission: "hello.notes.write", Handler: sdk.Func(addNote)},
	},
	// The screen (screens.go): the same paths as the API, matched apart.
	Pages: []sdk.PageRoute{
		{Method: "GET", Path: "/notes", Permission: "hello.notes.read", Handler: http.HandlerFunc(notesPage),
			Menu: &sdk.MenuEntry{Label: "Catatan", LabelEN: "Notes", Icon: "note", Order: 50}},
		{Method: "POST", Path: "/notes", Permission: "hello.notes.write", Handler: http.HandlerFunc(addNotePage)},
		{Method: "GET", Path: "/summary", Permission: "hello.notes.read", Widget: true, Handler: http.HandlerFunc(summaryWidget)},
	},
}

func greeting(r *http.Request) (int, any, error) {
	return 200, map[string]string{"tenant": sdk.From(r).Tenant, "user": sdk.From(r).User}, nil
}

// note is a note as the API and the screen take it.
type note struct {
	Text string `json:"text"`
}

// maxNote is the longest note, in characters.
const maxNote = 500

// check is the one set of rules for a new note, for the API and the screen.
func (n *note) check() error {
	n.Text = strings.TrimSpace(n.Text)
	switch {
	case n.Text == "":
		return &sdk.Error{Status: http.StatusUnprocessableEntity, Code: sdk.CodeInvalid, Field: "text", Message: "text is required"}
	case utf8.RuneCountInString(n.Text) > maxNote:
		return &sdk.Error{Status: http.StatusUnprocessableEntity, Code: sdk.CodeInvalid, Field: "text", Message: "text is longer than 500 characters"}
	}
	return nil
}

func addNote(r *http.Request) (int, any, error) {
	var n note
	if err := sdk.Bind(r, &n); err != nil {
		return 0, nil, err
	}
	if err := n.check(); err != nil {
		return 0, nil, err
	}
	rec, err := sdk.From(r).Records("notes").Insert(r.Context(), n)
	return 201, rec, err
}

func main() { sdk.Serve(&plugin) }
