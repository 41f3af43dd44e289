// Command website is Website Desa: a village's (or a district's or
// regency's) news and standing pages, written in Markdown by its clerks,
// published at a time, and joined into one regency portal: each village's
// public home shows its latest news, the regency's home the latest of all
// its villages and its own, and the Atom feed and sitemap of a region hold
// every village below it.
package main

import (
	"net/http"
	"time"

	"github.com/balaidesa/balai/sdk"
)

const (
	pluginID = "website"
	// permRead shows drafts and scheduled articles (the public sees only
	// what is published and due).
	permRead = "website.articles.read"
	// permWrite writes and edits articles and their pictures.
	permWrite = "website.articles.write"
	// permPublish publishes, schedules, withdraws and deletes articles.
	permPublish = "website.articles.publish"
)

// Events other modules can follow. The payload is an articleEvent.
const (
	// eventPublished: an article was published or scheduled (its
	// publish_at says when the public sees it).
	eventPublished = "website.article_published"
	// eventUnpublished: a published or scheduled article went back to
	// draft, or was deleted.
	eventUnpublished = "website.article_unpublished"
)

// Limits of what a client may send.
const (
	maxTitle      = 200
	maxLead       = 300
	maxBody       = 60_000 // characters of Markdown
	maxSlug       = 80
	maxPhotoBytes = 5 << 20
	maxGallery    = 12
	// multipartSlack is the room a multipart envelope takes around a photo.
	multipartSlack = 64 << 10
	// publicLimit is the API's public rate per client.
	publicRequests = 120
)

var publicRate = &sdk.RateLimit{Requests: publicRequests, Window: time.Minute}

var plugin = sdk.Plugin{
	ID: pluginID, Version: "0.1.0", Vendor: "Balai",
	Description: "Website Desa: village news and pages in Markdown, scheduled publishing, featured images and a gallery, Atom feed and sitemap joined across the regency",
	Permissions: []sdk.Permission{
		{Name: permRead, Description: "see draft and scheduled articles", Roles: []string{"viewer", "operator"}},
		{Name: permWrite, Description: "write and edit articles, upload their pictures", Roles: []string{"operator"}},
		{Name: permPublish, Description: "publish, schedule, withdraw and delete articles", Roles: []string{"operator"}},
	},
	Routes: []sdk.Route{
		{Method: "GET", Path: "/categories", Public: true, Handler: sdk.Func(listCategories)},
		{Method: "POST", Path: "/articles", Permission: permWrite, MaxBodyBytes: 512 << 10, Handler: sdk.Func(createArticle)},
		{Method: "GET", Path: "/articles", Public: true, RateLimit: publicRate, Handler: sdk.Func(listArticles)},
		{Method: "GET", Path: "/articles/{slug}", Public: true, RateLimit: publicRate, Handler: sdk.Func(getArticle)},
		{Method: "PATCH", Path: "/articles/{slug}", Permission: permWrite, MaxBodyBytes: 512 << 10, Handler: sdk.Func(patchArticle)},
		{Method: "DELETE", Path: "/articles/{slug}", Permission: permPublish, Handler: sdk.Func(deleteArticle)},
		{Method: "POST", Path: "/articles/{slug}/publish", Permission: permPublish, Handler: sdk.Func(publishArticle)},
		{Method: "POST", Path: "/articles/{slug}/unpublish", Permission: permPublish, Handler: sdk.Func(unpublishArticle)},
		{Method: "PUT", Path: "/articles/{slug}/image", Permission: permWrite, MaxBodyBytes: maxPhotoBytes + multipartSlack, Timeout: 2 * time.Minute, Handler: sdk.Func(putImage)},
		{Method: "POST", Path: "/articles/{slug}/photos", Permission: permWrite, MaxBodyBytes: maxPhotoBytes + multipartSlack, Timeout: 2 * time.Minute, Handler: sdk.Func(addPhoto)},
		{Method: "DELETE", Path: "/articles/{slug}/photos/{file}", Permission: permWrite, Handler: sdk.Func(deletePhoto)},
		{Method: "GET", Path: "/articles/{slug}/files/{file}", Public: true, Handler: http.HandlerFunc(serveFile)},
		{Method: "GET", Path: "/feed.xml", Public: true, RateLimit: publicRate, Handler: http.HandlerFunc(serveFeed)},
		{Method: "GET", Path: "/sitemap.xml", Public: true, RateLimit: &sdk.RateLimit{Requests: 10, Window: time.Minute}, Handler: http.HandlerFunc(serveSitemap)},
		{Method: "GET", Path: "/summary", Public: true, RateLimit: publicRate, Handler: sdk.Func(getSummary)},
	},
	Pages:     pages(),
	Publishes: []string{eventPublished, eventUnpublished},
	Collections: []sdk.Collection{{
		Name: "articles",
		Fields: []sdk.Field{
			{Name: "kind", Type: sdk.String, Required: true},
			{Name: "title", Type: sdk.String, Required: true},
			{Name: "slug", Type: sdk.String, Required: true},
			{Name: "lead", Type: sdk.String},
			{Name: "summary", Type: sdk.String},
			{Name: "body", Type: sdk.String, Required: true},
			{Name: "category", Type: sdk.String, Required: true},
			{Name: "status", Type: sdk.String, Required: true},
			{Name: "publish_at", Type: sdk.Time},
			{Name: "author", Type: sdk.String},
			{Name: "image", Type: sdk.Object},
			{Name: "gallery", Type: sdk.Object},
		},
		Indexes: []sdk.Index{
			{Fields: []string{"slug"}, Unique: true},
			{Fields: []string{"status", "publish_at"}},
			{Fields: []string{"kind", "status", "publish_at"}},
		},
	}},
}

func main() { sdk.Serve(&plugin) }
