package main

import "github.com/balaidesa/balai/sdk"

// The error codes this plugin answers besides the SDK's shared ones
// (sdk.CodeConflict, sdk.CodeForbidden and Bind's body codes). Clients,
// the README and the e2e tests act on them: they never change.
const (
	// codeArticleNotFound: no article with this slug here, or not public
	// yet for a caller who may not see drafts (404).
	codeArticleNotFound sdk.Code = "article_not_found"
	// codeInvalidTitle: the title is missing or not one line of at most
	// maxTitle characters (422).
	codeInvalidTitle sdk.Code = "invalid_title"
	// codeInvalidSlug: a slug given is not lower-case letters, digits and
	// single hyphens of at most maxSlug characters (422).
	codeInvalidSlug sdk.Code = "invalid_slug"
	// codeSlugTaken: a slug given is already another article's here (409).
	codeSlugTaken sdk.Code = "slug_taken"
	// codeInvalidLead: the lead is over maxLead characters or not one
	// paragraph (422).
	codeInvalidLead sdk.Code = "invalid_lead"
	// codeInvalidBody: the body is missing, over maxBody characters, or
	// holds characters text may not (422).
	codeInvalidBody sdk.Code = "invalid_body"
	// codeInvalidKind: kind, or ?kind=, is not news or page (422 in a
	// body, 400 in a query).
	codeInvalidKind sdk.Code = "invalid_kind"
	// codeInvalidCategory: category, or ?category=, is not one of GET
	// /categories for the article's kind (422 in a body, 400 in a query).
	codeInvalidCategory sdk.Code = "invalid_category"
	// codeInvalidStatus: status in a body is not draft or published (422);
	// ?status= is not draft, scheduled, published or all (400).
	codeInvalidStatus sdk.Code = "invalid_status"
	// codeInvalidPublishAt: publish_at is not an RFC 3339 time, or lies
	// more than a year ahead (422).
	codeInvalidPublishAt sdk.Code = "invalid_publish_at"
	// codeForbiddenFilter: ?status= other than published without
	// website.articles.read here (403).
	codeForbiddenFilter sdk.Code = "forbidden_filter"
	// codeInvalidVillage: ?village= names no tenant of this region with
	// the website (400).
	codeInvalidVillage sdk.Code = "invalid_village"
	// codeEmptyPatch: a PATCH that names no field (422).
	codeEmptyPatch sdk.Code = "empty_patch"
	// codeNotAnImage: the host sniffed the upload as something other than
	// a JPEG, PNG, WebP or GIF image (415).
	codeNotAnImage sdk.Code = "not_an_image"
	// codePhotoTooLarge: a picture is over 5 MiB (413).
	codePhotoTooLarge sdk.Code = "photo_too_large"
	// codeMalformedForm: a multipart upload cannot be read or has no file
	// part (400).
	codeMalformedForm sdk.Code = "malformed_form"
	// codeTooManyPhotos: the article's gallery holds maxGallery photos
	// already (409).
	codeTooManyPhotos sdk.Code = "too_many_photos"
	// codePhotoNotFound: the article has no such picture (404).
	codePhotoNotFound sdk.Code = "photo_not_found"
)
