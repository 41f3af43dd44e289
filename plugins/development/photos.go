package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	_ "image/png" // decoders for thumbnails
	"io"
	"net/http"
	"slices"
	"strconv"

	"github.com/balaidesa/balai/sdk"
)

const (
	// thumbWidth is a thumbnail's width in pixels: a timeline card on a
	// phone, sharp on a 2x screen at 160 CSS pixels; some 10 to 25 KB.
	thumbWidth = 320
	// maxThumbPixels bounds the images decoded for a thumbnail (memory:
	// 4 bytes a pixel); a larger one is shown without a thumbnail.
	maxThumbPixels = 40_000_000
)

// makeThumb stores a JPEG thumbnail of the photo data and returns its
// file id; "" with no error when the photo cannot be made into one (a
// WebP, which the standard library does not decode, or a huge image):
// pages then show the photo itself.
func makeThumb(ctx context.Context, req *sdk.Request, data []byte) (string, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width < 1 || cfg.Height < 1 || cfg.Width*cfg.Height > maxThumbPixels {
		return "", nil
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return "", nil
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, shrink(img, thumbWidth), &jpeg.Options{Quality: 70}); err != nil {
		return "", fmt.Errorf("encoding a thumbnail: %w", err)
	}
	f, err := req.PutFile(ctx, "thumb.jpg", &buf, sdk.FileRules{Accept: []string{"image/jpeg"}, MaxBytes: maxPhotoBytes})
	if err != nil {
		return "", fmt.Errorf("storing a thumbnail: %w", err)
	}
	return f.ID, nil
}

// shrink scales img down to width pixels (never up), averaging a 4×4 grid
// of samples for each pixel (as the marketplace's thumbnails).
func shrink(img image.Image, width int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= width {
		width = w
	}
	height := max(h*width/w, 1)
	dst := image.NewRGBA(image.Rect(0, 0, width, height))
	const n = 4
	for y := range height {
		for x := range width {
			var r, g, bl, a uint32
			for sy := range n {
				for sx := range n {
					px := b.Min.X + (x*n+sx)*w/(width*n)
					py := b.Min.Y + (y*n+sy)*h/(height*n)
					cr, cg, cb, ca := img.At(px, py).RGBA()
					r, g, bl, a = r+cr, g+cg, bl+cb, a+ca
				}
			}
			// The colours are premultiplied by alpha: a transparent part
			// shows on white (a JPEG has no transparency).
			const k = n * n * 257
			white := 255 - a/k
			dst.SetRGBA(x, y, color.RGBA{uint8(r/k + white), uint8(g/k + white), uint8(bl/k + white), 255})
		}
	}
	return dst
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
	etag := `"` + p.Photos[i].SHA256 + `"`
	fileID := p.Photos[i].ID
	if thumb && p.Photos[i].Thumb != "" {
		etag, fileID = `"`+p.Photos[i].SHA256+`-thumb"`, p.Photos[i].Thumb
	}
	if r.Header.Get("If-None-Match") == etag {
		w.Header().Set("ETag", etag)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	info, rc, err := req.OpenFile(r.Context(), fileID)
	if errors.Is(err, sdk.ErrNotFound) {
		sdk.FailErr(w, r, notFound)
		return
	}
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	defer rc.Close()
	h := w.Header()
	// The type is the host's sniff of the stored bytes; nosniff keeps
	// browsers to it.
	h.Set("Content-Type", info.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.FormatInt(info.Size, 10))
	h.Set("Content-Disposition", "inline")
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("ETag", etag)
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, rc); err != nil {
		sdk.Logf(r.Context(), "warn", "streaming photo %s: %v", info.ID, err)
	}
}
