package thumb

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

func TestShrink(t *testing.T) {
	for _, c := range []struct {
		w, h, wantW, wantH int
	}{{1600, 1200, 320, 240}, {320, 100, 320, 100}, {100, 50, 100, 50}, {4000, 10, 320, 1}} {
		img := image.NewRGBA(image.Rect(0, 0, c.w, c.h))
		for y := range c.h {
			for x := range c.w {
				img.SetRGBA(x, y, color.RGBA{200, 100, 50, 255})
			}
		}
		got := Shrink(img, Width)
		if b := got.Bounds(); b.Dx() != c.wantW || b.Dy() != c.wantH {
			t.Errorf("%dx%d: %dx%d, want %dx%d", c.w, c.h, b.Dx(), b.Dy(), c.wantW, c.wantH)
		}
		if r, g, b, _ := got.At(0, 0).RGBA(); r>>8 != 200 || g>>8 != 100 || b>>8 != 50 {
			t.Errorf("%dx%d: colour %d %d %d", c.w, c.h, r>>8, g>>8, b>>8)
		}
	}
}

func pngOf(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestJPEG(t *testing.T) {
	ctx := context.Background()
	photo := pngOf(t, image.NewRGBA(image.Rect(0, 0, 1200, 900)))
	got, err := JPEG(ctx, photo, Width)
	if err != nil {
		t.Fatal(err)
	}
	if cfg, err := jpeg.DecodeConfig(bytes.NewReader(got)); err != nil || cfg.Width != 320 || cfg.Height != 240 {
		t.Errorf("thumbnail %dx%d: %v", cfg.Width, cfg.Height, err)
	}
	// A 16-bit PNG just over MaxPixels compresses to little and would
	// decode to over 96 MB: refused before decoding.
	huge := pngOf(t, image.NewRGBA64(image.Rect(0, 0, 4000, MaxPixels/4000+1)))
	if len(huge) > 5<<20 {
		t.Fatalf("the bomb is %d bytes: not the case under test", len(huge))
	}
	for name, data := range map[string][]byte{"over MaxPixels": huge, "not an image": []byte("GIF89a?"), "empty": nil} {
		if _, err := JPEG(ctx, data, Width); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: %v, want ErrUnsupported", name, err)
		}
	}
	// Waiting for a turn ends with the caller's context.
	decoding <- struct{}{}
	decoding <- struct{}{}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := JPEG(cancelled, photo, Width); !errors.Is(err, context.Canceled) {
		t.Errorf("with every turn taken and the context cancelled: %v", err)
	}
	<-decoding
	<-decoding
}
