// Command webpages is a test plugin with module pages written by hand
// against the page protocol (docs/web.md), without sdk/ui: a menu page, a
// form that redirects with a flash, a widget, a download and a public page.
// The web layer's end-to-end tests drive it through the real host.
package main

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

const (
	read  = "webpages.items.read"
	write = "webpages.items.write"
)

// fragment writes an HTML fragment for the host's shell.
func fragment(w http.ResponseWriter, status int, title, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set(sdk.PageHeader, "fragment")
	w.Header().Set(sdk.PageTitleHeader, url.PathEscape(title))
	w.WriteHeader(status)
	io.WriteString(w, body)
}

func items(w http.ResponseWriter, r *http.Request) {
	p := sdk.From(r).Page()
	fragment(w, http.StatusOK, "Daftar barang", fmt.Sprintf(
		`<div class="b-page"><p id="wp-info">base=%s lang=%s</p>`+
			`<form method="post" action="%s/items" class="b-form" id="wp-form"><input type="hidden" name="%s" value="%s">`+
			`<div class="b-field"><label for="wp-name">Nama</label><input id="wp-name" name="name"></div>`+
			`<button class="b-btn b-btn-primary" id="wp-submit">Simpan</button></form></div>`,
		html.EscapeString(p.Base), p.Lang, html.EscapeString(p.Base), sdk.CSRFField, html.EscapeString(p.CSRF)))
}

func create(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.PostForm.Get("name") == "" {
		fragment(w, http.StatusUnprocessableEntity, "Daftar barang", `<p class="b-error" id="wp-error">Nama wajib diisi</p>`)
		return
	}
	w.Header().Set("Location", "/items/1")
	w.Header().Set(sdk.FlashHeader, "success;"+url.PathEscape("Tersimpan: "+r.PostForm.Get("name")))
	w.WriteHeader(http.StatusSeeOther)
}

func item(w http.ResponseWriter, r *http.Request) {
	fragment(w, http.StatusOK, "Barang "+r.PathValue("id"), `<p id="wp-item">barang `+html.EscapeString(r.PathValue("id"))+`</p>`)
}

func widget(w http.ResponseWriter, r *http.Request) {
	fragment(w, http.StatusOK, "Ringkasan", `<p id="wp-widget">2 barang baru</p>`)
}

func export(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	io.WriteString(w, "id,nama\n1,meja\n")
}

func public(w http.ResponseWriter, r *http.Request) {
	p := sdk.From(r).Page()
	fragment(w, http.StatusOK, "Layanan", `<p id="wp-public">layanan publik base=`+html.EscapeString(p.Base)+`</p>`)
}

// removeForm is an sdk/ui form with a confirmation step.
var removeForm = ui.Form{Action: "/ui", Submit: "Hapus", Confirm: "Hapus barang ini?",
	Fields: []ui.Field{{Name: "name", Label: "Nama barang", Required: true}}}

func uiPage(w http.ResponseWriter, r *http.Request) {
	ui.Render(w, r, ui.Page{Title: "Kit layar", Body: []ui.Node{removeForm, ui.Upload("/upload", "file", "Berkas", "CSV", ".csv")}})
}

func uiPost(w http.ResponseWriter, r *http.Request) {
	if !ui.Confirm(w, r, removeForm) {
		return
	}
	ui.Redirect(w, r, "/items", "success", "Dihapus: "+r.PostFormValue("name"))
}

func upload(w http.ResponseWriter, r *http.Request) {
	f, hdr, err := r.FormFile("file")
	if err != nil {
		fragment(w, http.StatusUnprocessableEntity, "Unggah", `<p class="b-error" id="wp-error">tidak ada berkas</p>`)
		return
	}
	n, _ := io.Copy(io.Discard, f)
	ui.Redirect(w, r, "/items", "success", fmt.Sprintf("%s: %d bita", hdr.Filename, n))
}

var plugin = sdk.Plugin{
	ID: "webpages", Version: "0.1.0", Vendor: "Balai tests", Description: "module pages for the web layer's tests",
	Permissions: []sdk.Permission{
		{Name: read, Description: "see items", Roles: []string{"viewer", "operator"}},
		{Name: write, Description: "add items", Roles: []string{"operator"}},
	},
	Pages: []sdk.PageRoute{
		{Method: "GET", Path: "/items", Permission: read, Menu: &sdk.MenuEntry{Label: "Barang", LabelEN: "Items", Order: 1}, Handler: http.HandlerFunc(items)},
		{Method: "POST", Path: "/items", Permission: write, Handler: http.HandlerFunc(create)},
		{Method: "GET", Path: "/items/{id}", Permission: read, Handler: http.HandlerFunc(item)},
		{Method: "GET", Path: "/summary", Permission: read, Widget: true, Handler: http.HandlerFunc(widget)},
		{Method: "GET", Path: "/export.csv", Permission: read, Handler: http.HandlerFunc(export)},
		{Method: "GET", Path: "/service", Public: true, Handler: http.HandlerFunc(public)},
		{Method: "GET", Path: "/ui", Permission: read, Handler: http.HandlerFunc(uiPage)},
		{Method: "POST", Path: "/ui", Permission: write, Handler: http.HandlerFunc(uiPost)},
		{Method: "POST", Path: "/upload", Permission: write, MaxBodyBytes: 8 << 20, Handler: http.HandlerFunc(upload)},
	},
}

func main() { sdk.Serve(&plugin) }
