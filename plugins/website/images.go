package main

import (
	"errors"
	"net/http"
	"slices"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/thumb"
)

// imageRules are what the host accepts as an article's picture.
var imageRules = sdk.FileRules{Accept: []string{"image/jpeg", "image/png", "image/webp", "image/gif"}, MaxBytes: maxPhotoBytes}

// storePhoto stores the request's picture and its thumbnail. On an error
// nothing is left stored.
func storePhoto(r *http.Request) (Photo, error) {
	req := sdk.From(r)
	ctx := r.Context()
	body, name, err := sdk.UploadBody(r, "image")
	if err != nil {
		return Photo{}, err
	}
	f, err := req.PutFile(ctx, name, body, imageRules)
	switch {
	case errors.Is(err, sdk.ErrTooLarge):
		return Photo{}, sdk.Errorf(http.StatusRequestEntityTooLarge, codePhotoTooLarge, "a picture is at most %d MiB", maxPhotoBytes>>20)
	case errors.Is(err, sdk.ErrInvalid):
		return Photo{}, sdk.Errorf(http.StatusUnsupportedMediaType, codeNotAnImage, "the file is not a JPEG, PNG, WebP or GIF image")
	case err != nil:
		var e *sdk.Error
		if errors.As(err, &e) && e.Status == http.StatusRequestEntityTooLarge {
			return Photo{}, sdk.Errorf(http.StatusRequestEntityTooLarge, codePhotoTooLarge, "a picture is at most %d MiB", maxPhotoBytes>>20)
		}
		return Photo{}, err
	}
	p := Photo{ID: f.ID, ContentType: f.ContentType, Size: f.Size, SHA256: f.SHA256}
	if p.Thumb, err = thumb.StoreFor(ctx, req, f.ID, maxPhotoBytes); err != nil {
		// A missing thumbnail only makes lists heavier: keep the picture.
		sdk.Logf(ctx, "warn", "thumbnail of %s: %v", f.ID, err)
		p.Thumb = ""
	}
	return p, nil
}

// dropFiles removes stored files that no record points at.
func dropFiles(r *http.Request, ps ...Photo) {
	for _, p := range ps {
		for _, id := range []string{p.ID, p.Thumb} {
			if id == "" {
				continue
			}
			if err := sdk.From(r).DeleteFile(r.Context(), id); err != nil && !errors.Is(err, sdk.ErrNotFound) {
				sdk.Logf(r.Context(), "warn", "file %s left unreferenced: %v", id, err)
			}
		}
	}
}

// putImage answers PUT /articles/{slug}/image: the picture (the body, or
// a multipart form's first file) becomes the featured image, replacing
// the one before. 200 with the article.
func putImage(r *http.Request) (int, any, error) {
	v, err := setImage(r)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, v, nil
}

func setImage(r *http.Request) (articleView, error) {
	req := sdk.From(r)
	rec, a, err := load(r)
	if err != nil {
		return articleView{}, err
	}
	p, err := storePhoto(r)
	if err != nil {
		return articleView{}, err
	}
	old := a.Image
	a.Image = &p
	updated, err := req.Records("articles").Update(r.Context(), rec.ID, rec.Version, map[string]any{"image": p})
	if err != nil {
		dropFiles(r, p)
		return articleView{}, err
	}
	if old != nil {
		dropFiles(r, *old)
	}
	nm, _, err := names(r.Context(), req)
	if err != nil {
		return articleView{}, err
	}
	return view(updated, a, nm, req.Now(), false, true), nil
}

// addPhoto answers POST /articles/{slug}/photos: a picture added to the
// article's gallery (at most maxGallery). 201 with the photo.
func addPhoto(r *http.Request) (int, any, error) {
	v, err := addGallery(r)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, v, nil
}

func addGallery(r *http.Request) (photoView, error) {
	req := sdk.From(r)
	rec, a, err := load(r)
	if err != nil {
		return photoView{}, err
	}
	if len(a.Gallery) >= maxGallery {
		return photoView{}, sdk.Errorf(http.StatusConflict, codeTooManyPhotos, "an article's gallery holds at most %d photos: delete one first", maxGallery)
	}
	p, err := storePhoto(r)
	if err != nil {
		return photoView{}, err
	}
	gallery := append(slices.Clone(a.Gallery), p)
	if _, err := req.Records("articles").Update(r.Context(), rec.ID, rec.Version, map[string]any{"gallery": gallery}); err != nil {
		dropFiles(r, p)
		return photoView{}, err
	}
	return newPhotoView(req.Tenant, a.Slug, p), nil
}

// deletePhoto answers DELETE /articles/{slug}/photos/{file}: a gallery
// photo, or the featured image when file is its id. 204.
func deletePhoto(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	rec, a, err := load(r)
	if err != nil {
		return 0, nil, err
	}
	file := r.PathValue("file")
	var gone Photo
	fields := map[string]any{}
	if a.Image != nil && a.Image.ID == file {
		gone, fields["image"] = *a.Image, nil
	} else {
		i := slices.IndexFunc(a.Gallery, func(p Photo) bool { return p.ID == file })
		if i < 0 {
			return 0, nil, sdk.Errorf(http.StatusNotFound, codePhotoNotFound, "the article has no picture %s", file)
		}
		gone = a.Gallery[i]
		fields["gallery"] = slices.Delete(slices.Clone(a.Gallery), i, i+1)
	}
	if _, err := req.Records("articles").Update(r.Context(), rec.ID, rec.Version, fields); err != nil {
		return 0, nil, err
	}
	dropFiles(r, gone)
	return http.StatusNoContent, nil, nil
}

// serveFile streams a picture of an article (or its thumbnail) to anyone
// once the article is public; before, only to its staff.
func serveFile(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	_, a, err := load(r)
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	file := r.PathValue("file")
	var found *Photo
	for _, p := range append(slices.Clone(a.Gallery), derefPhoto(a.Image)...) {
		if p.ID == file || (p.Thumb != "" && p.Thumb == file) {
			found = &p
			break
		}
	}
	if found == nil {
		sdk.FailErr(w, r, sdk.Errorf(http.StatusNotFound, codePhotoNotFound, "the article has no picture %s", file))
		return
	}
	etag := found.SHA256
	if file == found.Thumb {
		etag += "-thumb"
	}
	// A draft's picture is never kept by a shared cache.
	sdk.ServeFile(w, r, file, sdk.FileAnswer{ETag: etag, Public: a.visible(req.Now()),
		NotFound: sdk.Errorf(http.StatusNotFound, codePhotoNotFound, "the article has no picture %s", file)})
}
