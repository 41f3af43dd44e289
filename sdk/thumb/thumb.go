// Package thumb makes the small JPEG previews a public page shows instead
// of a full photo: a catalogue card, a news list, a disaster report's
// timeline read on a phone over a weak signal.
//
// One implementation for every module, because a thumbnail is decoded
// from an upload (often a citizen's, from a public form) and decoding is
// where an image costs memory: a small, highly compressed PNG can decode
// to hundreds of megabytes. JPEG therefore refuses images over MaxPixels
// before decoding and decodes at most two images at a time per plugin
// process, so that a burst of uploads queues instead of exhausting memory.
package thumb

import (
	"bytes"
	"context"
	"errors"
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
	// Width is the usual thumbnail width in pixels: a card on a phone,
	// sharp on a 2x screen at 160 CSS pixels. A 320 px JPEG at quality 70
	// is some 10 to 25 KB, so a page of cards stays light.
	Width = 320
	// MaxPixels bounds the images decoded (width x height): a 12 MP phone
	// photo passes; at the worst, 16-bit colour, one decode holds about
	// 96 MB, and two run at once.
	MaxPixels = 12_000_000
	// quality of the JPEG written.
	quality = 70
)

// ErrUnsupported: the data is not a JPEG, PNG or GIF the standard
// library decodes (a WebP, say), or it is larger than MaxPixels. A page
// then shows the photo itself.
var ErrUnsupported = errors.New("thumb: image not decodable or too large for a thumbnail")

// decoding bounds the decodes running at once in this process.
var decoding = make(chan struct{}, 2)

// JPEG scales the image in data down to width pixels wide (never up),
// keeping its proportions, and returns it as a JPEG. Errors: ErrUnsupported
// (the caller shows the photo itself), or ctx's error while waiting for
// a turn to decode.
func JPEG(ctx context.Context, data []byte, width int) ([]byte, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width < 1 || cfg.Height < 1 || cfg.Width*cfg.Height > MaxPixels {
		return nil, ErrUnsupported
	}
	select {
	case decoding <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-decoding }()
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, ErrUnsupported
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, Shrink(img, width), &jpeg.Options{Quality: quality}); err != nil {
		return nil, fmt.Errorf("thumb: encoding: %w", err)
	}
	return buf.Bytes(), nil
}

// maxThumbBytes bounds a stored thumbnail: 320 px at quality 70 is some
// 10 to 25 KB, so anything near this is a mistake.
const maxThumbBytes = 1 << 20

// Store makes a Width-pixel thumbnail of the image data and stores it as
// a new file of req's tenant, returning its id; "" with no error when the
// image is ErrUnsupported (pages then show the photo itself).
func Store(ctx context.Context, req *sdk.Request, data []byte) (string, error) {
	small, err := JPEG(ctx, data, Width)
	if errors.Is(err, ErrUnsupported) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	f, err := req.PutFile(ctx, "thumb.jpg", bytes.NewReader(small), sdk.FileRules{Accept: []string{"image/jpeg"}, MaxBytes: maxThumbBytes})
	if err != nil {
		return "", fmt.Errorf("thumb: storing: %w", err)
	}
	return f.ID, nil
}

// StoreFor is Store for a photo already stored as file id, read up to
// maxBytes (the limit it was stored under).
func StoreFor(ctx context.Context, req *sdk.Request, id string, maxBytes int64) (string, error) {
	_, rc, err := req.OpenFile(ctx, id)
	if err != nil {
		return "", fmt.Errorf("thumb: reading photo %s: %w", id, err)
	}
	data, err := io.ReadAll(io.LimitReader(rc, maxBytes+1))
	rc.Close()
	if err != nil {
		return "", fmt.Errorf("thumb: reading photo %s: %w", id, err)
	}
	return Store(ctx, req, data)
}

// Shrink scales img down to width pixels (never up), averaging a 4x4 grid
// of samples for each pixel: smooth enough for a thumbnail, and a fixed
// cost whatever the photo's size.
func Shrink(img image.Image, width int) image.Image {
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
