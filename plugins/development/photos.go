package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	_ "image/png" // decoders for thumbnails
	"net/http"
	"slices"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/thumb"
)

// makeThumb stores a JPEG thumbnail (sdk/thumb, 320 px wide) of the photo
// data and returns its file id; "" with no error when the photo cannot be
// made into one (a WebP, which the standard library does not decode, or a
// huge image): pages then show the photo itself.
func makeThumb(ctx context.Context, req *sdk.Request, data []byte) (string, error) {
	small, err := thumb.JPEG(ctx, data, thumb.Width)
	if errors.Is(err, thumb.ErrUnsupported) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("a thumbnail: %w", err)
	}
	f, err := req.PutFile(ctx, "thumb.jpg", bytes.NewReader(small), sdk.FileRules{Accept: []string{"image/jpeg"}, MaxBytes: maxPhotoBytes})
	if err != nil {
		return "", fmt.Errorf("storing a thumbnail: %w", err)
	}
	return f.ID, nil
}

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
