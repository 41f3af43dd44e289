package main

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

// words are the screen's own strings, in Bahasa Indonesia and English.
var words = map[string]map[string]string{
	"id": {
		"title": "Catatan", "note": "Catatan", "created": "Dibuat", "add": "Tambah catatan", "save": "Simpan",
		"empty": "Belum ada catatan.", "saved": "Catatan disimpan.", "help": "Paling banyak 500 karakter.",
		"required": "Catatan wajib diisi.", "too_long": "Catatan lebih dari 500 karakter.", "count": "%s catatan",
		"open": "Buka catatan",
	},
	"en": {
		"title": "Notes", "note": "Note", "created": "Created", "add": "Add a note", "save": "Save",
		"empty": "No notes yet.", "saved": "Note saved.", "help": "At most 500 characters.",
		"required": "A note is required.", "too_long": "The note is longer than 500 characters.", "count": "%s notes",
		"open": "Open notes",
	},
}

func word(r *http.Request, key string) string { return words[sdk.From(r).Page().Lang][key] }

var columns = []ui.Column{{Key: "text", Label: "note"}, {Key: "created_at", Label: "created", Sortable: true}}

// notesPage lists the village's notes, newest first unless sorted
// otherwise, with a form to add one for users who may write.
func notesPage(w http.ResponseWriter, r *http.Request) {
	renderNotes(w, r, http.StatusOK, nil, nil, "")
}

// addNotePage adds a note from the form: back to the list with a message,
// or the list again with the form's errors and the text kept (422).
func addNotePage(w http.ResponseWriter, r *http.Request) {
	var n note
	err := ui.Decode(r, &n)
	if err == nil {
		err = n.check()
	}
	if err == nil {
		_, err = sdk.From(r).Records("notes").Insert(r.Context(), n)
	}
	if err != nil {
		fields, msg := ui.FormErrorsFor(r, err)
		// The rule's message is the API's (English); the screen says it in
		// the user's language.
		if _, bad := fields["text"]; bad {
			fields["text"] = word(r, "required")
			if n.Text != "" {
				fields["text"] = word(r, "too_long")
			}
		}
		renderNotes(w, r, ui.FormStatus(err), r.PostForm, fields, msg)
		return
	}
	ui.Redirect(w, r, "/notes", "success", word(r, "saved"))
}

func renderNotes(w http.ResponseWriter, r *http.Request, status int, values url.Values, errs map[string]string, msg string) {
	req := sdk.From(r)
	offset, limit, err := sdk.Page(r)
	if err != nil {
		offset, limit = 0, 50
	}
	cols := make([]ui.Column, len(columns))
	for i, c := range columns {
		cols[i] = ui.Column{Key: c.Key, Label: word(r, c.Label), Sortable: c.Sortable}
	}
	sort := ui.SortParam(r, cols, "-created_at")
	q := req.Records("notes").Query().OrderBy("created_at", sort == "-created_at").Page(offset, limit).WithTotal()
	recs, total, err := q.Run(r.Context())
	if err != nil {
		sdk.Logf(r.Context(), "error", "listing notes: %v", err)
		_, msg := ui.FormErrorsFor(r, err)
		ui.Render(w, r, ui.Page{Title: word(r, "title"), Status: http.StatusInternalServerError, Body: []ui.Node{ui.Text(msg)}})
		return
	}
	table := ui.Table{Columns: cols, Total: int(total), Page: offset/limit + 1, Limit: limit, Sort: sort, Empty: word(r, "empty")}
	for _, rec := range recs {
		var n note
		if err := rec.Decode(&n); err != nil {
			continue
		}
		table.Rows = append(table.Rows, ui.Row{Cells: []ui.Node{ui.Cell(n.Text), ui.Cell(ui.DateTime(r, rec.CreatedAt))}})
	}
	body := []ui.Node{table}
	if req.Can("hello.notes.write") {
		body = append(body, ui.Section(word(r, "add"), ui.Form{
			Action: "/notes", Submit: word(r, "save"), Values: values, Errors: errs, Error: msg,
			Fields: []ui.Field{{Name: "text", Label: word(r, "note"), Type: "textarea", Required: true, Max: maxNote, Help: word(r, "help")}},
		}))
	}
	ui.Render(w, r, ui.Page{Title: word(r, "title"), Status: status, Body: body})
}

// summaryWidget is the dashboard's card: how many notes the village has.
func summaryWidget(w http.ResponseWriter, r *http.Request) {
	_, total, err := sdk.From(r).Records("notes").Query().Page(0, 1).WithTotal().Run(r.Context())
	if err != nil {
		sdk.Logf(r.Context(), "error", "counting notes: %v", err)
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	ui.Render(w, r, ui.Page{Title: word(r, "title"), Body: []ui.Node{
		ui.Text(fmt.Sprintf(word(r, "count"), ui.Number(uint64(total)))),
		ui.A(word(r, "open"), "/notes"),
	}})
}
