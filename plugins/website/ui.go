package main

// Shared parts of the website's screens (ui_public.go for citizens,
// ui_console.go for clerks): the page routes, how an API error is shown,
// and the small templates of the lists.

import (
	"net/http"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

// pages are the website's screens: the public site at
// /{tenant}/website/... and the clerks' side at
// /console/{tenant}/m/website/....
func pages() []sdk.PageRoute {
	return []sdk.PageRoute{
		// Citizens.
		{Method: "GET", Path: "/{$}", Public: true, Handler: http.HandlerFunc(newsPage)},
		{Method: "GET", Path: "/articles/{slug}", Public: true, Handler: http.HandlerFunc(articlePage)},
		{Method: "GET", Path: "/pages", Public: true, Handler: http.HandlerFunc(pagesPage)},
		{Method: "GET", Path: "/gallery", Public: true, Handler: http.HandlerFunc(galleryPage)},
		{Method: "GET", Path: "/widget", Public: true, Widget: true, Handler: http.HandlerFunc(publicWidget)},
		// Clerks.
		{Method: "GET", Path: "/manage", Permission: permRead, Handler: http.HandlerFunc(managePage),
			Menu: &sdk.MenuEntry{Label: "Berita Desa", LabelEN: "Village news", Icon: "note", Order: 90}},
		{Method: "GET", Path: "/write", Permission: permWrite, Handler: http.HandlerFunc(writePage)},
		{Method: "POST", Path: "/write", Permission: permWrite, MaxBodyBytes: 512 << 10, Handler: http.HandlerFunc(createPage)},
		{Method: "GET", Path: "/manage/{slug}", Permission: permRead, Handler: http.HandlerFunc(editPage)},
		{Method: "POST", Path: "/manage/{slug}", Permission: permWrite, MaxBodyBytes: 512 << 10, Handler: http.HandlerFunc(savePage)},
		{Method: "POST", Path: "/manage/{slug}/publish", Permission: permPublish, Handler: http.HandlerFunc(publishPage)},
		{Method: "POST", Path: "/manage/{slug}/unpublish", Permission: permPublish, Handler: http.HandlerFunc(unpublishPage)},
		{Method: "POST", Path: "/manage/{slug}/delete", Permission: permPublish, Handler: http.HandlerFunc(deletePage)},
		{Method: "POST", Path: "/manage/{slug}/image", Permission: permWrite, MaxBodyBytes: maxPhotoBytes + multipartSlack, Handler: http.HandlerFunc(imagePage)},
		{Method: "POST", Path: "/manage/{slug}/photos", Permission: permWrite, MaxBodyBytes: maxPhotoBytes + multipartSlack, Handler: http.HandlerFunc(photoPage)},
		{Method: "POST", Path: "/manage/{slug}/photos/{file}/delete", Permission: permWrite, Handler: http.HandlerFunc(deletePhotoPage)},
		{Method: "GET", Path: "/manage/widget", Permission: permRead, Widget: true, Handler: http.HandlerFunc(consoleWidget)},
		{Method: "GET", Path: "/regency", Permission: permRead, Handler: http.HandlerFunc(regencyPage),
			Menu: &sdk.MenuEntry{Label: "Rekap Berita Desa", LabelEN: "Village news roll-up", Icon: "chart", Order: 91}},
	}
}

// codeFields are the form fields this plugin's error codes point at when
// the error names none.
var codeFields = map[sdk.Code]string{
	codeInvalidTitle: "title", codeInvalidSlug: "slug", codeSlugTaken: "slug", codeInvalidLead: "lead",
	codeInvalidBody: "body", codeInvalidKind: "kind", codeInvalidCategory: "category", codeInvalidPublishAt: "publish_date",
}

// codeWords say the API's errors in Bahasa Indonesia; an error not listed
// shows the API's own (English) message.
var codeWords = map[sdk.Code]string{
	codeInvalidTitle:     "Judul wajib diisi, satu baris, paling banyak 200 karakter.",
	codeInvalidSlug:      "Alamat (slug) hanya huruf kecil a-z, angka dan tanda hubung, paling banyak 80 karakter.",
	codeSlugTaken:        "Alamat (slug) ini sudah dipakai artikel lain. Pilih yang lain atau kosongkan.",
	codeInvalidLead:      "Ringkasan satu paragraf, paling banyak 300 karakter.",
	codeInvalidBody:      "Isi wajib diisi, paling banyak 60.000 karakter.",
	codeInvalidKind:      "Pilih berita atau halaman.",
	codeInvalidCategory:  "Pilih kategori yang sesuai dengan jenisnya (berita atau halaman).",
	codeInvalidPublishAt: "Waktu terbit tidak valid atau lebih dari setahun ke depan.",
	codeArticleNotFound:  "Artikel tidak ditemukan.",
	codeNotAnImage:       "Berkas harus gambar JPEG, PNG, WebP atau GIF.",
	codePhotoTooLarge:    "Gambar paling besar 5 MB.",
	codeMalformedForm:    "Pilih berkas gambar.",
	codeTooManyPhotos:    "Galeri artikel sudah berisi 12 foto: hapus satu dulu.",
	codePhotoNotFound:    "Foto tidak ditemukan.",
	codeEmptyPatch:       "Tidak ada yang diubah.",
	sdk.CodeConflict:     "Artikel berubah saat Anda menyimpan. Muat ulang lalu coba lagi.",
}

// pageErrors say the API's errors on the screens: the field at fault
// (the form calls the API's publish_at publish_date) and the sentence in
// Bahasa Indonesia.
var pageErrors = ui.Errors{Module: "website", Text: codeWords, Fields: codeFields, Rename: map[string]string{"publish_at": "publish_date"}}

// when is an instant as a screen shows it, in the tenant's zone.
func when(r *http.Request, t *time.Time) string {
	if t == nil {
		return "–"
	}
	return ui.DateTime(r, *t)
}

// day is an instant's date in the tenant's zone.
func day(r *http.Request, t *time.Time) string {
	if t == nil {
		return "–"
	}
	return ui.Date(t.In(sdk.From(r).Location()))
}

// statusBadge shows an article's status.
func statusBadge(r *http.Request, status string) ui.Node {
	switch status {
	case StatusPublished:
		return ui.Badge("success", ui.Tr(r, "Terbit", "Published"))
	case StatusScheduled:
		return ui.Badge("info", ui.Tr(r, "Terjadwal", "Scheduled"))
	}
	return ui.Badge("neutral", ui.Tr(r, "Draf", "Draft"))
}

func kindName(r *http.Request, kind string) string {
	if kind == KindPage {
		return ui.Tr(r, "Halaman", "Page")
	}
	return ui.Tr(r, "Berita", "News")
}

func categoryOptions(r *http.Request, kind string) []ui.Option {
	var out []ui.Option
	for _, c := range categories {
		if kind == "" || c.Kind == kind {
			label := c.Name
			if kind == "" {
				label += " (" + kindName(r, c.Kind) + ")"
			}
			out = append(out, ui.Option{Value: c.Code, Label: label})
		}
	}
	return out
}
