package main

import (
	"context"
	"errors"
	"fmt"
	_ "image/gif" // decoders for thumbnails
	_ "image/png"
	"io"
	"net/http"
	"slices"
	"time"

	_ "golang.org/x/image/webp"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/thumb"
)

const (
	// maxPhotoBytes bounds one photo: a phone camera's JPEG fits.
	maxPhotoBytes = 5 << 20
	// multipartSlack lets a form's boundaries and other fields through a
	// body limit; the photo itself is held to maxPhotoBytes.
	multipartSlack = 64 << 10
	// maxPhotos per report: enough to show the damage, little enough for
	// a page read on a village connection.
	maxPhotos = 6
)

// Photo-specific error codes.
const (
	// codeNotAnImage: the upload is not a JPEG, PNG, WebP or GIF (415).
	codeNotAnImage sdk.Code = "not_an_image"
	// codePhotoTooLarge: over 5 MiB (413).
	codePhotoTooLarge sdk.Code = "photo_too_large"
	// codeTooManyPhotos: a report has 6 photos already (409).
	codeTooManyPhotos sdk.Code = "too_many_photos"
	// codePhotoNotFound: no such photo of a report the caller may see (404).
	codePhotoNotFound sdk.Code = "photo_not_found"
	// codeMalformedForm: a multipart body without a readable file part (400).
	codeMalformedForm sdk.Code = "malformed_form"
)

// photoTypes are what browsers show inline; the host sniffs the bytes and
// refuses anything else whatever the uploader claims.
var photoTypes = []string{"image/jpeg", "image/png", "image/webp", "image/gif"}

// Photo is a photo of a report as stored.
type Photo struct {
	ID          string    `json:"id"`
	Thumb       string    `json:"thumb,omitempty"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	At          time.Time `json:"at"`
}

// PhotoView is a photo as the API shows it: its URLs below the report's
// village (public once the report is published).
type PhotoView struct {
	ID          string `json:"id"`
	URL         string `json:"url"`
	ThumbURL    string `json:"thumb_url"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

func photoViews(tenant, reportID string, photos []Photo) []PhotoView {
	out := make([]PhotoView, 0, len(photos))
	for _, p := range photos {
		u := "/api/v1/t/" + tenant + "/disaster/reports/" + reportID + "/photos/" + p.ID
		out = append(out, PhotoView{ID: p.ID, URL: u, ThumbURL: u + "/thumb", ContentType: p.ContentType, Size: p.Size})
	}
	return out
}

func photoTooLarge() error {
	return sdk.Errorf(http.StatusRequestEntityTooLarge, codePhotoTooLarge, "a photo is at most %d MiB", maxPhotoBytes>>20)
}

// uploadPhoto is POST /reports/{id}/photos (reports.write, at the
// village): the image as the body, or a multipart form with it as its
// file part. 201 PhotoView. Errors: 415 not_an_image, 413
// photo_too_large, 409 too_many_photos, 400 malformed_form.
func uploadPhoto(r *http.Request) (int, any, error) {
	if r.ContentLength > maxPhotoBytes+multipartSlack {
		return 0, nil, photoTooLarge()
	}
	rec, rp, err := ownReport(r)
	if err != nil {
		return 0, nil, err
	}
	body, name, err := sdk.UploadBody(r, "photo")
	if err != nil {
		return 0, nil, err
	}
	pv, err := attachPhoto(r.Context(), sdk.From(r), rec, rp, body, name)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, pv, nil
}

// attachPhoto stores a photo and its thumbnail and adds them to the
// report; on failure nothing stays stored.
func attachPhoto(ctx context.Context, req *sdk.Request, rec *sdk.Record, rp *report, body io.Reader, name string) (*PhotoView, error) {
	if len(rp.Photos) >= maxPhotos {
		return nil, sdk.Errorf(http.StatusConflict, codeTooManyPhotos, "a report has at most %d photos", maxPhotos)
	}
	f, err := req.PutFile(ctx, name, body, sdk.FileRules{Accept: photoTypes, MaxBytes: maxPhotoBytes})
	var se *sdk.Error
	switch {
	case errors.Is(err, sdk.ErrInvalid) && errors.As(err, &se):
		return nil, sdk.Errorf(http.StatusUnsupportedMediaType, codeNotAnImage, "the photo must be a JPEG, PNG, WebP or GIF image: %s", se.Message)
	case errors.Is(err, sdk.ErrTooLarge):
		return nil, photoTooLarge()
	case err != nil:
		return nil, fmt.Errorf("storing a photo: %w", err)
	}
	p := Photo{ID: f.ID, ContentType: f.ContentType, Size: f.Size, SHA256: f.SHA256, At: req.Now().UTC()}
	if small, terr := thumb.StoreFor(ctx, req, f.ID, maxPhotoBytes); terr != nil {
		sdk.Logf(ctx, "warn", "photo %s of report %s has no thumbnail: %v", f.ID, rec.ID, terr)
	} else {
		p.Thumb = small
	}
	photos := append(slices.Clone(rp.Photos), p)
	if _, err := req.Records("reports").Update(ctx, rec.ID, rec.Version, map[string]any{"photos": photos}); err != nil {
		for _, id := range []string{p.ID, p.Thumb} {
			if id != "" {
				_ = req.DeleteFile(ctx, id)
			}
		}
		return nil, err
	}
	pv := photoViews(rec.Tenant, rec.ID, []Photo{p})[0]
	return &pv, nil
}

// servePhoto is GET /reports/{id}/photos/{file} (public once the report is
// published; a reader any); with thumb, its thumbnail (the photo itself
// when it has none).
func servePhoto(thumb bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		req := sdk.From(r)
		notFound := sdk.Errorf(http.StatusNotFound, codePhotoNotFound, "no photo %s of report %s", r.PathValue("file"), r.PathValue("id"))
		if req.Level != sdk.Village || !validID(r.PathValue("id")) {
			sdk.FailErr(w, r, notFound)
			return
		}
		rec, err := req.Records("reports").Get(r.Context(), r.PathValue("id"))
		if err != nil {
			sdk.FailErr(w, r, notFound)
			return
		}
		rp, err := decodeReport(rec)
		if err != nil || (!rp.Published && !req.Can(permRead)) {
			sdk.FailErr(w, r, notFound)
			return
		}
		i := slices.IndexFunc(rp.Photos, func(p Photo) bool { return p.ID == r.PathValue("file") })
		if i < 0 {
			sdk.FailErr(w, r, notFound)
			return
		}
		p := rp.Photos[i]
		etag, fileID := p.SHA256, p.ID
		if thumb && p.Thumb != "" {
			etag, fileID = etag+"-thumb", p.Thumb
		}
		// A staff member's view of an unverified report is never kept by
		// a shared cache for the next caller.
		sdk.ServeFile(w, r, fileID, sdk.FileAnswer{ETag: etag, Public: rp.Published, NotFound: notFound})
	}
}
