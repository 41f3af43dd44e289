package main

import (
	_ "image/png" // decoders for thumbnails
	"net/http"
	"slices"

	"github.com/balaidesa/balai/sdk"
)

// servePhoto streams a project's photo to anyone: a project's photos are
// public like the project.
func servePhoto(w http.ResponseWriter, r *http.Request) { sendPhoto(w, r, false) }

// serveThumb streams a photo's thumbnail, or the photo itself when it has
// none.
func serveThumb(w http.ResponseWriter, r *http.Request) { sendPhoto(w, r, true) }

func sendPhoto(w http.ResponseWriter, r *http.Request, thumb bool) {
	req := sdk.From(r)
	notFound := sdk.Errorf(http.StatusNotFound, codePhotoNotFound, "no photo %s of project %s in %s", r.PathValue("file"), r.PathValue("id"), req.Tenant)
	if req.Level != sdk.Village {
		// Files live in the village that took them; the API gives every
		// photo's URL under its village.
		sdk.FailErr(w, r, notFound)
		return
	}
	rec, err := findProject(r, r.PathValue("id"))
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	var p Project
	if err := rec.Decode(&p); err != nil {
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
