package main

// The citizens' site: the news list (a village's, or a whole district's
// or regency's with its villages'), an article's page with its link card
// for WhatsApp, the village's standing pages, the gallery, and the small
// widget the portal shows on the village's and the regency's home. Pages
// are light for a weak signal: pictures are 320 px thumbnails loaded
// lazily, the full picture a tap away.

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

// newsLimit is the articles on one page of the public list.
const newsLimit = 10

func itoa(n int) string { return strconv.Itoa(n) }

// pageNumber is ?page= from 1 to 1000 (1 when absent or wrong).
func pageNumber(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 || n > 1000 {
		return 1
	}
	return n
}

var cardsT = template.Must(template.New("cards").Parse(
	`<ul class="b-grid" role="list" style="list-style:none;padding:0;margin:1rem 0">{{range .}}<li class="b-card" data-slug="{{.Slug}}">` +
		`{{if .Thumb}}<img src="{{.Thumb}}" alt="" width="160" height="90" style="max-width:100%;height:auto" loading="lazy" decoding="async">{{end}}` +
		`<h2><a href="{{.Href}}">{{.Title}}</a></h2><p class="b-muted">{{.Meta}}</p>{{if .Lead}}<p>{{.Lead}}</p>{{end}}</li>{{end}}</ul>`))

type card struct{ Slug, Thumb, Href, Title, Meta, Lead string }

// meta is the line under an article's title: its place (when another
// tenant's), its date and its category.
func meta(r *http.Request, v articleView) string {
	s := day(r, v.PublishAt) + " · " + v.CategoryName
	if v.Tenant.Code != sdk.From(r).Tenant && v.Tenant.Name != "" {
		s = v.Tenant.Name + " · " + s
	}
	return s
}

func cards(r *http.Request, items []articleView) ui.Node {
	cs := make([]card, 0, len(items))
	for _, v := range items {
		c := card{Slug: v.Slug, Href: v.URL, Title: v.Title, Meta: meta(r, v), Lead: v.Lead}
		if v.Image != nil {
			c.Thumb = v.Image.ThumbURL
		}
		cs = append(cs, c)
	}
	return ui.HTML(ui.Execute(r, cardsT, cs))
}

func emptyNote(s string) ui.Node {
	return ui.HTML(template.HTML(`<p class="b-empty">` + template.HTMLEscapeString(s) + `</p>`))
}

// newsPage is the site's home: published news, newest first, ten a page,
// by category; at a district or regency the news of its villages too.
func newsPage(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	title := ui.Tr(r, "Berita", "News")
	if self, _, err := req.TenantInfo(r.Context()); err == nil {
		title += " " + self.Name
	}
	page := pageNumber(r)
	lq := listQuery{Kind: KindNews, Status: StatusPublished, Offset: (page - 1) * newsLimit, Limit: newsLimit}
	if c, ok := category(r.URL.Query().Get("category")); ok && c.Kind == KindNews {
		lq.Category = c.Code
	}
	out, err := list(r.Context(), req, lq)
	if err != nil {
		pageErrors.Fail(w, r, title, err)
		return
	}
	filter := ui.Form{Method: "GET", Submit: ui.Tr(r, "Tampilkan", "Show"), Values: r.URL.Query(), Fields: []ui.Field{
		{Name: "category", Label: ui.Tr(r, "Kategori", "Category"), Type: "select", Options: categoryOptions(r, KindNews)},
	}}
	body := []ui.Node{filter}
	if len(out.Items) == 0 {
		body = append(body, emptyNote(ui.Tr(r, "Belum ada berita.", "No news yet.")))
	} else {
		body = append(body, cards(r, out.Items), ui.Pager{Total: int(out.Total), Page: page, Limit: newsLimit, Label: ui.Tr(r, "Halaman daftar", "List pages")})
	}
	body = append(body, ui.HTML(template.HTML(`<p class="b-muted">`+template.HTMLEscapeString(ui.Tr(r, "Ikuti berita ini di aplikasi pembaca berita: ", "Follow this news in a feed reader: "))+
		`<a href="/api/v1/t/`+template.HTMLEscapeString(req.Tenant)+`/`+pluginID+`/feed.xml" type="application/atom+xml">`+template.HTMLEscapeString(ui.Tr(r, "umpan Atom", "Atom feed"))+`</a></p>`)))
	actions := []ui.Link{{Label: ui.Tr(r, "Profil dan layanan", "About and services"), Href: "/pages"}, {Label: ui.Tr(r, "Galeri", "Gallery"), Href: "/gallery"}}
	ui.Render(w, r, ui.Page{Title: title, Actions: actions, Body: body,
		Description: ui.Tr(r, "Berita terbaru dari ", "The latest news from ") + title})
}

var figureT = template.Must(template.New("figure").Parse(
	`<figure style="margin:0 0 1rem"><a href="{{.URL}}"><img src="{{.Thumb}}" alt="{{.Alt}}" width="320" height="180" style="width:100%;max-width:640px;height:auto" decoding="async"></a></figure>`))

var galleryT = template.Must(template.New("gallery").Parse(
	`<ul class="b-grid" role="list" style="list-style:none;padding:0;margin:1rem 0">{{range .}}<li><a href="{{.URL}}"><img src="{{.Thumb}}" alt="{{.Alt}}" width="160" height="120" style="max-width:100%;height:auto" loading="lazy" decoding="async"></a>{{if .Caption}}<br><a href="{{.Href}}">{{.Caption}}</a>{{end}}</li>{{end}}</ul>`))

type pic struct{ URL, Thumb, Alt, Href, Caption string }

// articlePage is an article: its place and date, its featured image, the
// rendered text and its gallery. The link card (og:description,
// og:image) is the lead and the featured image.
func articlePage(w http.ResponseWriter, r *http.Request) {
	_, av, err := ui.CallAPI(r, getArticle, "GET", nil, nil, "slug", r.PathValue("slug"))
	if err != nil {
		pageErrors.Fail(w, r, ui.Tr(r, "Artikel tidak ditemukan", "Article not found"), err)
		return
	}
	v := av.(articleView)
	body := []ui.Node{}
	if v.Status != StatusPublished {
		body = append(body, ui.HTML(template.HTML(`<p class="b-flash b-flash-warning">`+template.HTMLEscapeString(ui.Tr(r, "Pratinjau: artikel ini belum tampil untuk umum.", "Preview: this article is not public yet."))+`</p>`)))
	}
	body = append(body, ui.Muted(meta(r, v)))
	image := ""
	if v.Image != nil {
		image = v.Image.URL
		body = append(body, ui.HTML(ui.Execute(r, figureT, pic{URL: v.Image.URL, Thumb: v.Image.ThumbURL, Alt: v.Title})))
	}
	body = append(body, ui.HTML(template.HTML(`<div class="wb-article" style="overflow-wrap:anywhere">`+v.HTML+`</div>`)))
	if len(v.Gallery) > 0 {
		pics := make([]pic, 0, len(v.Gallery))
		for i, p := range v.Gallery {
			pics = append(pics, pic{URL: p.URL, Thumb: p.ThumbURL, Alt: v.Title + " " + itoa(i+1)})
		}
		body = append(body, ui.Heading(ui.Tr(r, "Galeri", "Gallery")), ui.HTML(ui.Execute(r, galleryT, pics)))
	}
	back := ui.Link{Label: ui.Tr(r, "Berita lainnya", "More news"), Href: "/"}
	if v.Kind == KindPage {
		back = ui.Link{Label: ui.Tr(r, "Profil dan layanan", "About and services"), Href: "/pages"}
	}
	ui.Render(w, r, ui.Page{Title: v.Title, Actions: []ui.Link{back}, Body: body, Description: v.Lead, Image: image})
}

// pagesPage lists the tenant's standing pages by category.
func pagesPage(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	title := ui.Tr(r, "Profil dan layanan", "About and services")
	out, err := list(r.Context(), req, listQuery{Kind: KindPage, Status: StatusPublished, Village: req.Tenant, Limit: 200})
	if err != nil {
		pageErrors.Fail(w, r, title, err)
		return
	}
	body := []ui.Node{}
	for _, c := range categories {
		if c.Kind != KindPage {
			continue
		}
		var links []ui.Node
		for _, v := range out.Items {
			if v.Category == c.Code {
				links = append(links, ui.HTML(template.HTML(`<p><a href="`+template.HTMLEscapeString(v.URL)+`">`+template.HTMLEscapeString(v.Title)+`</a></p>`)))
			}
		}
		if len(links) > 0 {
			body = append(body, ui.Section(c.Name, links...))
		}
	}
	if len(body) == 0 {
		body = append(body, emptyNote(ui.Tr(r, "Belum ada halaman.", "No pages yet.")))
	}
	ui.Render(w, r, ui.Page{Title: title, Actions: []ui.Link{{Label: ui.Tr(r, "Berita", "News"), Href: "/"}}, Body: body})
}

// galleryPage shows the pictures of the newest published articles (48 at
// most), each leading to its article.
func galleryPage(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	title := ui.Tr(r, "Galeri", "Gallery")
	out, err := list(r.Context(), req, listQuery{Status: StatusPublished, Limit: 48})
	if err != nil {
		pageErrors.Fail(w, r, title, err)
		return
	}
	var pics []pic
	for _, v := range out.Items {
		for _, p := range append(optional(v.Image), v.Gallery...) {
			if len(pics) < 48 {
				pics = append(pics, pic{URL: p.URL, Thumb: p.ThumbURL, Alt: v.Title, Href: v.URL, Caption: v.Title})
			}
		}
	}
	body := []ui.Node{emptyNote(ui.Tr(r, "Belum ada foto.", "No photos yet."))}
	if len(pics) > 0 {
		body = []ui.Node{ui.HTML(ui.Execute(r, galleryT, pics))}
	}
	ui.Render(w, r, ui.Page{Title: title, Actions: []ui.Link{{Label: ui.Tr(r, "Berita", "News"), Href: "/"}}, Body: body})
}

func optional(p *photoView) []photoView {
	if p == nil {
		return nil
	}
	return []photoView{*p}
}

var widgetT = template.Must(template.New("widget").Parse(
	`<ul id="website-latest" style="padding-left:1.1rem;margin:.5rem 0">{{range .Items}}<li><a href="{{.Href}}">{{.Title}}</a> <span class="b-muted">{{.Meta}}</span></li>{{end}}</ul>` +
		`<p><a href="{{.All}}">{{.AllLabel}}</a></p>`))

// publicWidget is the portal's card: the five newest news of the tenant
// and (at a district or regency) of its villages, and a link to them all.
func publicWidget(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	title := ui.Tr(r, "Berita Terbaru", "Latest news")
	out, err := list(r.Context(), req, listQuery{Kind: KindNews, Status: StatusPublished, Limit: 5})
	if err != nil {
		pageErrors.Fail(w, r, title, err)
		return
	}
	var body ui.Node
	if len(out.Items) == 0 {
		body = ui.Muted(ui.Tr(r, "Belum ada berita.", "No news yet."))
	} else {
		type item struct{ Href, Title, Meta string }
		data := struct {
			Items         []item
			All, AllLabel string
		}{All: ui.Href(r, "/"), AllLabel: ui.Tr(r, "Semua berita", "All news")}
		for _, v := range out.Items {
			data.Items = append(data.Items, item{Href: v.URL, Title: v.Title, Meta: meta(r, v)})
		}
		body = ui.HTML(ui.Execute(r, widgetT, data))
	}
	ui.Render(w, r, ui.Page{Title: title, Body: []ui.Node{body}})
}
