package main

import (
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"slices"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/thumb"
)

const (
	// maxPhotoBytes bounds one photo: a phone camera's JPEG fits, and a
	// catalogue page of them still loads on a village connection.
	maxPhotoBytes = 5 << 20
	// multipartSlack lets a form upload's boundaries and headers through
	// the route's body limit; the photo itself is held to maxPhotoBytes.
	multipartSlack = 64 << 10
	maxPhotos      = 8
)

// photoTypes are what browsers show inline; the host sniffs the data and
// refuses anything else, whatever the uploader claims (SVG, which can
// carry scripts, is never sniffed as an image).
var photoTypes = []string{"image/jpeg", "image/png", "image/webp", "image/gif"}

// uploadPhoto stores a photo of a product: the raw image as the body, or a
// multipart form with the image as its file part.
func uploadPhoto(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	rec, p, err := villageProduct(r)
	if err != nil {
		return 0, nil, err
	}
	if len(p.Photos) >= maxPhotos {
		return 0, nil, sdk.Errorf(http.StatusConflict, codeTooManyPhotos, "a product has at most %d photos: delete one first", maxPhotos)
	}
	if r.ContentLength > maxPhotoBytes+multipartSlack {
		return 0, nil, photoTooLarge()
	}
	body, name, err := sdk.UploadBody(r, "photo")
	if err != nil {
		return 0, nil, err
	}
	f, err := req.PutFile(r.Context(), name, body, sdk.FileRules{Accept: photoTypes, MaxBytes: maxPhotoBytes})
	var se *sdk.Error
	switch {
	case errors.Is(err, sdk.ErrInvalid) && errors.As(err, &se):
		return 0, nil, sdk.Errorf(http.StatusUnsupportedMediaType, codeNotAnImage, "the photo must be a JPEG, PNG, WebP or GIF image: %s", se.Message)
	case errors.Is(err, sdk.ErrTooLarge):
		return 0, nil, photoTooLarge()
	case err != nil:
		return 0, nil, fmt.Errorf("storing a photo: %w", err)
	}
	productID := rec.ID
	photo := Photo{ID: f.ID, ContentType: f.ContentType, Size: f.Size, SHA256: f.SHA256}
	// A thumbnail keeps catalogue pages light on a phone; without one
	// (an image it cannot decode, or a failure) pages show the photo.
	if small, terr := thumb.StoreFor(r.Context(), req, f.ID, maxPhotoBytes); terr != nil {
		sdk.Logf(r.Context(), "warn", "photo %s of product %s has no thumbnail: %v", f.ID, productID, terr)
	} else {
		photo.Thumb = small
	}
	// Orders bump the product's version all the time; the photo list is
	// read again and the append retried rather than failing the upload.
	for attempt := 0; ; attempt++ {
		if len(p.Photos) >= maxPhotos {
			err = sdk.Errorf(http.StatusConflict, codeTooManyPhotos, "a product has at most %d photos: delete one first", maxPhotos)
			break
		}
		photos := append(slices.Clone(p.Photos), photo)
		_, err = req.Records("products").Update(r.Context(), rec.ID, rec.Version, map[string]any{"photos": photos})
		if !errors.Is(err, sdk.ErrConflict) || attempt == 7 {
			break
		}
		// Spread the contenders out ("full jitter") before reading again.
		time.Sleep(time.Duration(mrand.Int64N(int64(2*time.Millisecond<<attempt))) + time.Millisecond)
		if rec, p, err = villageProduct(r); err != nil {
			break
		}
	}
	if err != nil {
		for _, id := range []string{f.ID, photo.Thumb} {
			if id == "" {
				continue
			}
			if derr := req.DeleteFile(r.Context(), id); derr != nil {
				sdk.Logf(r.Context(), "warn", "file %s of product %s left unreferenced: %v", id, productID, derr)
			}
		}
		if errors.Is(err, sdk.ErrConflict) {
			err = sdk.Errorf(http.StatusConflict, sdk.CodeConflict, "the product kept changing: try the upload again")
		}
		return 0, nil, err
	}
	return http.StatusCreated, newPhotoView(req.Tenant, productID, photo), nil
}

func photoTooLarge() error {
	return sdk.Errorf(http.StatusRequestEntityTooLarge, codePhotoTooLarge, "a photo is at most %d bytes (%d MiB)", maxPhotoBytes, maxPhotoBytes>>20)
}

// servePhoto streams a photo of a listed product to anyone: the
// catalogue's pictures need no login.
func servePhoto(w http.ResponseWriter, r *http.Request) { sendPhoto(w, r, false) }

// serveThumb streams a photo's thumbnail, or the photo itself when it has
// none.
func serveThumb(w http.ResponseWriter, r *http.Request) { sendPhoto(w, r, true) }

func sendPhoto(w http.ResponseWriter, r *http.Request, thumb bool) {
	req := sdk.From(r)
	notFound := sdk.Errorf(http.StatusNotFound, codePhotoNotFound, "no photo %s of product %s in %s", r.PathValue("file"), r.PathValue("id"), req.Tenant)
	if req.Level != sdk.Village {
		// Files live in the village that uploaded them; the catalogue
		// gives every photo's URL under its village.
		sdk.FailErr(w, r, notFound)
		return
	}
	_, p, err := visibleProduct(r, &places{names: map[string]string{req.Tenant: ""}})
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	i := slices.IndexFunc(p.Photos, func(ph Photo) bool { return ph.ID == r.PathValue("file") })
	if i < 0 {
		sdk.FailErr(w, r, notFound)
		return
	}
	etag, fileID := p.Photos[i].SHA256, p.Photos[i].ID
	if thumb && p.Photos[i].Thumb != "" {
		etag, fileID = etag+"-thumb", p.Photos[i].Thumb
	}
	sdk.ServeFile(w, r, fileID, sdk.FileAnswer{ETag: etag, Public: true, NotFound: notFound})
}

func deletePhoto(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	file := r.PathValue("file")
	thumb := ""
	for attempt := 0; ; attempt++ {
		rec, p, err := villageProduct(r)
		if err != nil {
			return 0, nil, err
		}
		if i := slices.IndexFunc(p.Photos, func(ph Photo) bool { return ph.ID == file }); i >= 0 {
			thumb = p.Photos[i].Thumb
		}
		photos := slices.DeleteFunc(slices.Clone(p.Photos), func(ph Photo) bool { return ph.ID == file })
		if len(photos) == len(p.Photos) {
			return 0, nil, sdk.Errorf(http.StatusNotFound, codePhotoNotFound, "no photo %s of product %s", file, rec.ID)
		}
		_, err = req.Records("products").Update(r.Context(), rec.ID, rec.Version, map[string]any{"photos": photos})
		if errors.Is(err, sdk.ErrConflict) && attempt < 4 {
			continue
		}
		if err != nil {
			return 0, nil, err
		}
		break
	}
	// The product no longer points at the file, so a failure here leaves
	// only an unreachable file behind.
	for _, id := range []string{file, thumb} {
		if id == "" {
			continue
		}
		if err := req.DeleteFile(r.Context(), id); err != nil && !errors.Is(err, sdk.ErrNotFound) {
			sdk.Logf(r.Context(), "warn", "file %s removed from its product but not from storage: %v", id, err)
		}
	}
	return http.StatusNoContent, nil, nil
}
