package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// Stored states of an article. A published article whose publish_at is
// still ahead is "scheduled" in every answer: the public sees it only from
// that instant.
const (
	StatusDraft     = "draft"
	StatusPublished = "published"
	StatusScheduled = "scheduled"
)

// maxAhead is how far ahead an article may be scheduled.
const maxAhead = 366 * 24 * time.Hour

// Article is an article as stored.
type Article struct {
	Kind  string `json:"kind"`
	Title string `json:"title"`
	Slug  string `json:"slug"`
	// Lead is the clerk's one-paragraph summary; empty when none was given.
	Lead string `json:"lead,omitempty"`
	// Summary is the lead, or the body's first 200 characters as plain
	// text: what lists, the feed and the link card show.
	Summary   string     `json:"summary"`
	Body      string     `json:"body"`
	Category  string     `json:"category"`
	Status    string     `json:"status"`
	PublishAt *time.Time `json:"publish_at,omitempty"`
	Author    string     `json:"author,omitempty"`
	Image     *Photo     `json:"image,omitempty"`
	Gallery   []Photo    `json:"gallery,omitempty"`
}

// Photo is a picture of an article kept in the host's file storage.
type Photo struct {
	ID          string `json:"id"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	// Thumb is the file id of a 320 px JPEG; empty when none could be made.
	Thumb string `json:"thumb,omitempty"`
}

// visible says whether the public sees the article at now.
func (a *Article) visible(now time.Time) bool {
	return a.Status == StatusPublished && a.PublishAt != nil && !a.PublishAt.After(now)
}

// state is the article's status as answers give it: draft, scheduled or
// published.
func (a *Article) state(now time.Time) string {
	if a.Status == StatusPublished && !a.visible(now) {
		return StatusScheduled
	}
	return a.Status
}

// articleInput is the body of POST /articles. Kind defaults to news,
// category to the kind's general one (berita, halaman), status to draft;
// slug is made from the title when not given; publish_at (RFC 3339)
// defaults to now when status is published.
type articleInput struct {
	Kind      string  `json:"kind"`
	Title     string  `json:"title"`
	Slug      string  `json:"slug"`
	Lead      string  `json:"lead"`
	Body      string  `json:"body"`
	Category  string  `json:"category"`
	Status    string  `json:"status"`
	PublishAt *string `json:"publish_at"`
}

func unprocessable(code sdk.Code, field, format string, args ...any) error {
	return &sdk.Error{Status: http.StatusUnprocessableEntity, Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// parsePublishAt reads a publish_at: RFC 3339, at most maxAhead after now.
func parsePublishAt(s string, now time.Time) (*time.Time, error) {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	if err != nil {
		return nil, unprocessable(codeInvalidPublishAt, "publish_at", "publish_at must be an RFC 3339 time such as 2026-12-01T07:00:00+07:00")
	}
	if t.After(now.Add(maxAhead)) {
		return nil, unprocessable(codeInvalidPublishAt, "publish_at", "publish_at may be at most a year ahead")
	}
	t = t.UTC().Truncate(time.Second)
	return &t, nil
}

// check validates a and fills its defaults and summary. slugGiven says
// whether a.Slug came from the client (then it must be well formed).
func (a *Article) check(slugGiven bool) error {
	a.Kind = strings.TrimSpace(a.Kind)
	if a.Kind == "" {
		a.Kind = KindNews
	}
	if a.Kind != KindNews && a.Kind != KindPage {
		return unprocessable(codeInvalidKind, "kind", "kind must be news or page")
	}
	a.Title = strings.TrimSpace(a.Title)
	if a.Title == "" {
		return unprocessable(codeInvalidTitle, "title", "title is required")
	}
	if err := input.Name(a.Title, maxTitle); err != nil {
		return unprocessable(codeInvalidTitle, "title", "title %v", err)
	}
	a.Lead = strings.TrimSpace(a.Lead)
	if err := input.Name(a.Lead, maxLead); err != nil {
		return unprocessable(codeInvalidLead, "lead", "lead must be one paragraph: %v", err)
	}
	a.Body = strings.TrimSpace(strings.ReplaceAll(a.Body, "\r\n", "\n"))
	if a.Body == "" {
		return unprocessable(codeInvalidBody, "body", "body is required")
	}
	if err := input.Text(a.Body, maxBody); err != nil {
		return unprocessable(codeInvalidBody, "body", "body %v", err)
	}
	a.Category = strings.ToLower(strings.TrimSpace(a.Category))
	if a.Category == "" {
		a.Category = defaultCategory(a.Kind)
	}
	if c, ok := category(a.Category); !ok || c.Kind != a.Kind {
		return unprocessable(codeInvalidCategory, "category", "category of a %s must be one of %s (GET /categories)", a.Kind, categoryCodes(a.Kind))
	}
	if slugGiven {
		a.Slug = strings.TrimSpace(a.Slug)
		if len(a.Slug) > maxSlug || !slugRE.MatchString(a.Slug) {
			return unprocessable(codeInvalidSlug, "slug", "slug must be lower-case letters a-z, digits and single hyphens, at most %d characters", maxSlug)
		}
	}
	a.Summary = a.Lead
	if a.Summary == "" {
		a.Summary = PlainText(RenderMarkdown(a.Body), 200)
	}
	return nil
}

// Place names the tenant an article belongs to.
type Place struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// articleView is an article as the API answers it. Body (the Markdown)
// and HTML (rendered and sanitised) are in GET /articles/{slug} only.
type articleView struct {
	ID           string      `json:"id"`
	Version      int64       `json:"version"`
	Tenant       Place       `json:"tenant"`
	Kind         string      `json:"kind"`
	Title        string      `json:"title"`
	Slug         string      `json:"slug"`
	Lead         string      `json:"lead"`
	Body         string      `json:"body,omitempty"`
	HTML         string      `json:"html,omitempty"`
	Category     string      `json:"category"`
	CategoryName string      `json:"category_name"`
	Status       string      `json:"status"`
	PublishAt    *time.Time  `json:"publish_at,omitempty"`
	Author       string      `json:"author,omitempty"`
	URL          string      `json:"url"`
	Image        *photoView  `json:"image,omitempty"`
	Gallery      []photoView `json:"gallery"`
	CreatedAt    time.Time   `json:"created_at"`
	UpdatedAt    time.Time   `json:"updated_at"`
}

// photoView is a picture as answers give it: its URL and its thumbnail's
// (the picture itself when it has none), both public once the article is.
type photoView struct {
	ID          string `json:"id"`
	URL         string `json:"url"`
	ThumbURL    string `json:"thumb_url"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

// pageURL is the public page of an article: /{tenant}/website/articles/{slug}.
func pageURL(tenant, slug string) string {
	return "/" + tenant + "/" + pluginID + "/articles/" + slug
}

func fileURL(tenant, slug, id string) string {
	return "/api/v1/t/" + tenant + "/" + pluginID + "/articles/" + slug + "/files/" + id
}

func newPhotoView(tenant, slug string, p Photo) photoView {
	v := photoView{ID: p.ID, URL: fileURL(tenant, slug, p.ID), ContentType: p.ContentType, Size: p.Size}
	v.ThumbURL = v.URL
	if p.Thumb != "" {
		v.ThumbURL = fileURL(tenant, slug, p.Thumb)
	}
	return v
}

// view makes the answer for rec; full adds the body and its HTML; staff
// adds the author.
func view(rec *sdk.Record, a *Article, names map[string]string, now time.Time, full, staff bool) articleView {
	c, _ := category(a.Category)
	v := articleView{
		ID: rec.ID, Version: rec.Version, Tenant: Place{Code: rec.Tenant, Name: names[rec.Tenant]},
		Kind: a.Kind, Title: a.Title, Slug: a.Slug, Lead: a.Summary, Category: a.Category, CategoryName: c.Name,
		Status: a.state(now), PublishAt: a.PublishAt, URL: pageURL(rec.Tenant, a.Slug),
		Gallery: make([]photoView, 0, len(a.Gallery)), CreatedAt: rec.CreatedAt, UpdatedAt: rec.UpdatedAt,
	}
	if full {
		v.Body, v.HTML = a.Body, RenderMarkdown(a.Body)
	}
	if staff {
		v.Author = a.Author
	}
	if a.Image != nil {
		iv := newPhotoView(rec.Tenant, a.Slug, *a.Image)
		v.Image = &iv
	}
	for _, p := range a.Gallery {
		v.Gallery = append(v.Gallery, newPhotoView(rec.Tenant, a.Slug, p))
	}
	return v
}

// articleEvent is the payload of website.article_published and
// website.article_unpublished.
type articleEvent struct {
	ID        string     `json:"id"`
	Tenant    string     `json:"tenant"`
	Slug      string     `json:"slug"`
	Title     string     `json:"title"`
	Kind      string     `json:"kind"`
	Category  string     `json:"category"`
	Status    string     `json:"status"`
	PublishAt *time.Time `json:"publish_at,omitempty"`
	URL       string     `json:"url"`
}

func eventOf(id, tenant string, a *Article, now time.Time) articleEvent {
	return articleEvent{ID: id, Tenant: tenant, Slug: a.Slug, Title: a.Title, Kind: a.Kind, Category: a.Category,
		Status: a.state(now), PublishAt: a.PublishAt, URL: pageURL(tenant, a.Slug)}
}

// names is the tenant's own name, and the names of every tenant below it
// when it is not a village: one call to the host.
func names(ctx context.Context, req *sdk.Request) (map[string]string, []sdk.Tenant, error) {
	self, _, err := req.TenantInfo(ctx)
	if err != nil {
		return nil, nil, err
	}
	out := map[string]string{req.Tenant: self.Name}
	if req.Level == sdk.Village {
		return out, nil, nil
	}
	below, err := req.TenantsBelow(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	for _, t := range below {
		out[t.Code] = t.Name
	}
	return out, below, nil
}

func createArticle(r *http.Request) (int, any, error) {
	var in articleInput
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	return answered(http.StatusCreated)(create(r, in))
}

// answered answers a change's article with status, or its error.
func answered(status int) func(articleView, error) (int, any, error) {
	return func(v articleView, err error) (int, any, error) {
		if err != nil {
			return 0, nil, err
		}
		return status, v, nil
	}
}

// staffView is the article as the staff who changed it see it.
func staffView(ctx context.Context, req *sdk.Request, rec *sdk.Record, a *Article, now time.Time) (articleView, error) {
	nm, _, err := names(ctx, req)
	if err != nil {
		return articleView{}, err
	}
	return view(rec, a, nm, now, true, true), nil
}

// commitState writes an article's change of status in one batch with
// its event and its audit entry, and answers the stored record.
func commitState(ctx context.Context, req *sdk.Request, rec *sdk.Record, a *Article, now time.Time, fields map[string]any, event, action string, detail map[string]any) (*sdk.Record, error) {
	b := req.Batch()
	w := b.Update("articles", rec.ID, rec.Version, fields)
	b.Publish(event, eventOf(rec.ID, req.Tenant, a, now))
	b.Audit(action, rec.ID, detail)
	if err := b.Commit(ctx); err != nil {
		return nil, err
	}
	return &w.Record, nil
}

// create stores a new article (the API's POST and the console's form).
func create(r *http.Request, in articleInput) (articleView, error) {
	req := sdk.From(r)
	ctx := r.Context()
	now := req.Now()
	a := Article{Kind: in.Kind, Title: in.Title, Slug: in.Slug, Lead: in.Lead, Body: in.Body, Category: in.Category,
		Status: strings.TrimSpace(in.Status), Author: req.User}
	if err := a.check(strings.TrimSpace(in.Slug) != ""); err != nil {
		return articleView{}, err
	}
	if a.Status == "" {
		a.Status = StatusDraft
	}
	if a.Status != StatusDraft && a.Status != StatusPublished {
		return articleView{}, unprocessable(codeInvalidStatus, "status", "status must be draft or published (publish later with a publish_at ahead)")
	}
	if a.Status == StatusPublished && !req.Can(permPublish) {
		return articleView{}, sdk.Errorf(http.StatusForbidden, sdk.CodeForbidden, "publishing needs %s here: save it as a draft", permPublish)
	}
	if in.PublishAt != nil && strings.TrimSpace(*in.PublishAt) != "" {
		t, err := parsePublishAt(*in.PublishAt, now)
		if err != nil {
			return articleView{}, err
		}
		a.PublishAt = t
	} else if a.Status == StatusPublished {
		t := now.UTC().Truncate(time.Second)
		a.PublishAt = &t
	}
	given := a.Slug != ""
	for attempt := 0; ; attempt++ {
		if !given {
			s, err := freeSlug(ctx, req, Slugify(a.Title))
			if err != nil {
				return articleView{}, err
			}
			a.Slug = s
		}
		b := req.Batch()
		w := b.Insert("articles", a)
		if a.Status == StatusPublished {
			// The id is the host's, known after the commit: the event names
			// the article by tenant and slug, unique together.
			b.Publish(eventPublished, eventOf("", req.Tenant, &a, now))
		}
		err := b.Commit(ctx)
		if errors.Is(err, sdk.ErrDuplicate) {
			if given {
				return articleView{}, &sdk.Error{Status: http.StatusConflict, Code: codeSlugTaken, Field: "slug", Message: "another article here has the slug " + a.Slug}
			}
			if attempt < 4 {
				continue
			}
		}
		if err != nil {
			return articleView{}, err
		}
		return staffView(ctx, req, &w.Record, &a, now)
	}
}

// load reads the article of the path's slug in the request's tenant; a
// caller without website.articles.read sees only published, due ones.
func load(r *http.Request) (*sdk.Record, *Article, error) {
	req := sdk.From(r)
	slug := r.PathValue("slug")
	notFound := sdk.Errorf(http.StatusNotFound, codeArticleNotFound, "no article %q in %s", slug, req.Tenant)
	if !slugRE.MatchString(slug) || len(slug) > maxSlug {
		return nil, nil, notFound
	}
	rec, err := req.Records("articles").GetBy(r.Context(), "slug", slug)
	if errors.Is(err, sdk.ErrNotFound) {
		return nil, nil, notFound
	}
	if err != nil {
		return nil, nil, err
	}
	var a Article
	if err := rec.Decode(&a); err != nil {
		return nil, nil, err
	}
	if !a.visible(req.Now()) && !req.Can(permRead) {
		return nil, nil, notFound
	}
	return rec, &a, nil
}

func getArticle(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	rec, a, err := load(r)
	if err != nil {
		return 0, nil, err
	}
	nm := map[string]string{}
	if self, _, err := req.TenantInfo(r.Context()); err == nil {
		nm[req.Tenant] = self.Name
	} else {
		return 0, nil, err
	}
	return http.StatusOK, view(rec, a, nm, req.Now(), true, req.Can(permRead)), nil
}

// patchInput is the body of PATCH /articles/{slug}: the fields to change.
// A new slug breaks links shared before; leave it out to keep it.
type patchInput struct {
	Kind     *string `json:"kind"`
	Title    *string `json:"title"`
	Slug     *string `json:"slug"`
	Lead     *string `json:"lead"`
	Body     *string `json:"body"`
	Category *string `json:"category"`
}

func patchArticle(r *http.Request) (int, any, error) {
	var in patchInput
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	return answered(http.StatusOK)(patch(r, in))
}

func patch(r *http.Request, in patchInput) (articleView, error) {
	req := sdk.From(r)
	ctx := r.Context()
	if in == (patchInput{}) {
		return articleView{}, unprocessable(codeEmptyPatch, "", "name at least one of kind, title, slug, lead, body, category")
	}
	rec, a, err := load(r)
	if err != nil {
		return articleView{}, err
	}
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&a.Kind, in.Kind)
	set(&a.Title, in.Title)
	set(&a.Lead, in.Lead)
	set(&a.Body, in.Body)
	set(&a.Category, in.Category)
	newSlug := in.Slug != nil && strings.TrimSpace(*in.Slug) != a.Slug
	if newSlug {
		a.Slug = *in.Slug
	}
	if in.Kind != nil && in.Category == nil {
		if c, ok := category(a.Category); ok && c.Kind != strings.TrimSpace(a.Kind) {
			a.Category = ""
		}
	}
	if err := a.check(newSlug); err != nil {
		return articleView{}, err
	}
	fields := map[string]any{"kind": a.Kind, "title": a.Title, "slug": a.Slug, "lead": a.Lead, "summary": a.Summary, "body": a.Body, "category": a.Category}
	updated, err := req.Records("articles").Update(ctx, rec.ID, rec.Version, fields)
	if errors.Is(err, sdk.ErrDuplicate) {
		return articleView{}, &sdk.Error{Status: http.StatusConflict, Code: codeSlugTaken, Field: "slug", Message: "another article here has the slug " + a.Slug}
	}
	if err != nil {
		return articleView{}, err
	}
	return staffView(ctx, req, updated, a, req.Now())
}

// publishInput is the optional body of POST /articles/{slug}/publish:
// when the public sees it (RFC 3339; default now, or the time it was
// already published at).
type publishInput struct {
	PublishAt *string `json:"publish_at"`
}

func publishArticle(r *http.Request) (int, any, error) {
	var in publishInput
	if err := sdk.BindOptional(r, &in); err != nil {
		return 0, nil, err
	}
	return answered(http.StatusOK)(publish(r, in))
}

func publish(r *http.Request, in publishInput) (articleView, error) {
	req := sdk.From(r)
	ctx := r.Context()
	now := req.Now()
	rec, a, err := load(r)
	if err != nil {
		return articleView{}, err
	}
	switch {
	case in.PublishAt != nil && strings.TrimSpace(*in.PublishAt) != "":
		t, err := parsePublishAt(*in.PublishAt, now)
		if err != nil {
			return articleView{}, err
		}
		a.PublishAt = t
	case a.Status == StatusPublished && a.PublishAt != nil:
		// Published already: publishing again keeps its date.
	default:
		t := now.UTC().Truncate(time.Second)
		a.PublishAt = &t
	}
	a.Status = StatusPublished
	rec, err = commitState(ctx, req, rec, a, now, map[string]any{"status": a.Status, "publish_at": a.PublishAt},
		eventPublished, "website.article_publish", map[string]any{"slug": a.Slug, "publish_at": a.PublishAt})
	if err != nil {
		return articleView{}, err
	}
	return staffView(ctx, req, rec, a, now)
}

func unpublishArticle(r *http.Request) (int, any, error) {
	return answered(http.StatusOK)(unpublish(r))
}

func unpublish(r *http.Request) (articleView, error) {
	req := sdk.From(r)
	ctx := r.Context()
	now := req.Now()
	rec, a, err := load(r)
	if err != nil {
		return articleView{}, err
	}
	if a.Status != StatusDraft {
		a.Status = StatusDraft
		if rec, err = commitState(ctx, req, rec, a, now, map[string]any{"status": a.Status},
			eventUnpublished, "website.article_unpublish", map[string]any{"slug": a.Slug}); err != nil {
			return articleView{}, err
		}
	}
	return staffView(ctx, req, rec, a, now)
}

func deleteArticle(r *http.Request) (int, any, error) {
	if err := remove(r); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

func remove(r *http.Request) error {
	req := sdk.From(r)
	ctx := r.Context()
	now := req.Now()
	rec, a, err := load(r)
	if err != nil {
		return err
	}
	b := req.Batch().Delete("articles", rec.ID, rec.Version)
	if a.Status == StatusPublished {
		a.Status = StatusDraft
		b.Publish(eventUnpublished, eventOf(rec.ID, req.Tenant, a, now))
	}
	b.Audit("website.article_delete", rec.ID, map[string]any{"slug": a.Slug, "title": a.Title})
	if err := b.Commit(ctx); err != nil {
		return err
	}
	// The article no longer points at its files: a failure here leaves
	// only unreachable files behind.
	for _, p := range append(append([]Photo{}, a.Gallery...), derefPhoto(a.Image)...) {
		for _, id := range []string{p.ID, p.Thumb} {
			if id != "" {
				if err := req.DeleteFile(ctx, id); err != nil && !errors.Is(err, sdk.ErrNotFound) {
					sdk.Logf(ctx, "warn", "file %s of a deleted article left in storage: %v", id, err)
				}
			}
		}
	}
	return nil
}

func derefPhoto(p *Photo) []Photo {
	if p == nil {
		return nil
	}
	return []Photo{*p}
}
