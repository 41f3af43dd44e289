package main

import (
	"net/http"

	"github.com/balaidesa/balai/sdk"
)

// maxPhotoBytes bounds a complaint's photo: a phone camera's JPEG fits.
const maxPhotoBytes = 5 << 20

// photoTypes are the images a complaint's photo may be; the host sniffs
// the bytes and refuses anything else, whatever the sender claims (never
// SVG, which can carry scripts).
var photoTypes = []string{"image/jpeg", "image/png", "image/webp"}

func photoTooLarge() error {
	e := sdk.Errorf(http.StatusRequestEntityTooLarge, codePhotoTooLarge, "a photo is at most %d MiB", maxPhotoBytes>>20)
	e.Field = "photo"
	return e
}

func notAnImage(detail string) error {
	e := sdk.Errorf(http.StatusUnsupportedMediaType, codeNotAnImage, "the photo must be a JPEG, PNG or WebP image: %s", detail)
	e.Field = "photo"
	return e
}

// servePhoto is GET /photos/{id}: the complaint's photo, to
// staff of its village (and of the district and regency above, whose grants
// hold there). It may show people and houses: never public. 404
// complaint_not_found when there is none.
func servePhoto(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	notFound := sdk.Errorf(http.StatusNotFound, codeComplaintNotFound, "no photo of complaint %s in %s", r.PathValue("id"), req.Tenant)
	if req.Level != sdk.Village {
		// The file lives in the village; the complaint's photo_url names it there.
		sdk.FailErr(w, r, notFound)
		return
	}
	_, c, err := load(r)
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	if c.Photo == "" {
		sdk.FailErr(w, r, notFound)
		return
	}
	// A complainant's photo is for staff only: never kept by a shared cache.
	sdk.ServeFile(w, r, c.Photo, sdk.FileAnswer{NotFound: notFound})
}
