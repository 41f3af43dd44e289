package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // decoders for thumbnails
	"image/jpeg"
	_ "image/png"
	"io"

	"github.com/balaidesa/balai/sdk"
)

const (
	// thumbWidth is a thumbnail's width in pixels: a news card on a
	// phone, sharp on a 2x screen at 160 CSS pixels (the code is the
	// marketplace's). A 320 px JPEG at quality 70 is some 10 to 25 KB.
	thumbWidth = 320
	// maxThumbPixels bounds the images decoded for a thumbnail (memory:
	// 4 bytes a pixel); a larger one is shown without a thumbnail.
	maxThumbPixels = 40_000_000
)

// makeThumb stores a JPEG thumbnail of the stored photo id and returns
// its file id; "" with no error when the photo cannot be made into one (a
// WebP, which the standard library does not decode, or a huge image):
// pages then show the photo itself.
func makeThumb(ctx context.Context, req *sdk.Request, id string) (string, error) {
	_, rc, err := req.OpenFile(ctx, id)
	if err != nil {
		return "", fmt.Errorf("reading photo %s: %w", id, err)
	}
	data, err := io.ReadAll(io.LimitReader(rc, maxPhotoBytes+1))
	rc.Close()
	if err != nil {
		return "", fmt.Errorf("reading photo %s: %w", id, err)
	}
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
		return "", fmt.Errorf("encoding the thumbnail of %s: %w", id, err)
	}
	f, err := req.PutFile(ctx, "thumb.jpg", &buf, sdk.FileRules{Accept: []string{"image/jpeg"}, MaxBytes: maxPhotoBytes})
	if err != nil {
		return "", fmt.Errorf("storing the thumbnail of %s: %w", id, err)
	}
	return f.ID, nil
}

// shrink scales img down to width pixels (never up), averaging a 4×4 grid
// of samples for each pixel: smooth enough for a thumbnail, and a fixed
// cost whatever the photo's size.
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
			const k = n * n * 257
			dst.SetRGBA(x, y, color.RGBA{uint8(r / k), uint8(g / k), uint8(bl / k), uint8(a / k)})
		}
	}
	return dst
}
