package main

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/plugins/services/letterread"
	"github.com/balaidesa/balai/sdk"
)

// emblemImage draws a w x h emblem: a red disc on a transparent ground,
// as a regency's lambang comes.
func emblemImage(w, h int, deep bool) image.Image {
	var img interface {
		image.Image
		Set(x, y int, c color.Color)
	}
	if deep {
		img = image.NewNRGBA64(image.Rect(0, 0, w, h))
	} else {
		img = image.NewNRGBA(image.Rect(0, 0, w, h))
	}
	r := min(w, h) / 2
	for y := range h {
		for x := range w {
			dx, dy := x-w/2, y-h/2
			if dx*dx+dy*dy < r*r {
				img.Set(x, y, color.NRGBA{R: 200, A: 255})
			}
		}
	}
	return img
}

func encodePNG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCheckEmblem(t *testing.T) {
	var jpg, gf bytes.Buffer
	jpeg.Encode(&jpg, emblemImage(120, 150, false), nil)
	gif.Encode(&gf, emblemImage(100, 100, false), nil)
	for _, c := range []struct {
		name string
		data []byte
		code sdk.Code
		ct   string
	}{
		{"png", encodePNG(t, emblemImage(300, 360, false)), "", "image/png"},
		{"16-bit png", encodePNG(t, emblemImage(200, 200, true)), "", "image/png"},
		{"jpeg", jpg.Bytes(), "", "image/jpeg"},
		{"too small", encodePNG(t, emblemImage(40, 200, false)), codeEmblemDimensions, ""},
		{"too large", encodePNG(t, emblemImage(1201, 300, false)), codeEmblemDimensions, ""},
		{"gif", gf.Bytes(), codeEmblemNotAnImage, ""},
		{"text", []byte("not an image"), codeEmblemNotAnImage, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			ct, w, h, out, err := checkEmblem(c.data)
			if c.code != "" {
				var se *sdk.Error
				if !errors.As(err, &se) || se.Code != c.code {
					t.Fatalf("error %v, want %s", err, c.code)
				}
				return
			}
			if err != nil || ct != c.ct {
				t.Fatalf("%s %v", ct, err)
			}
			cfg, format, err := image.DecodeConfig(bytes.NewReader(out))
			if err != nil || cfg.Width != w || cfg.Height != h || "image/"+format != ct {
				t.Fatalf("printed image %v %s %v, want %dx%d", cfg, format, err, w, h)
			}
			// What the printer gets is what it reads: 8 bits a channel.
			if ct == "image/png" {
				if img, _ := png.Decode(bytes.NewReader(out)); img.ColorModel() == color.NRGBA64Model || img.ColorModel() == color.RGBA64Model {
					t.Errorf("the printed PNG is 16-bit")
				}
			}
		})
	}
}

// The emblem is drawn in the letter: the PDF holds it, at its pixel
// size and colour, beside a QR code that still reads, on F4 and A4, from
// PNG and JPEG alike.
func TestLetterEmblem(t *testing.T) {
	lt, _ := letterType("usaha")
	var jpg bytes.Buffer
	jpeg.Encode(&jpg, emblemImage(180, 220, false), &jpeg.Options{Quality: 95})
	for _, c := range []struct {
		name, paper string
		data        []byte
	}{{"png F4", "F4", encodePNG(t, emblemImage(240, 300, true))}, {"jpeg A4", "A4", jpg.Bytes()}} {
		t.Run(c.name, func(t *testing.T) {
			ct, w, h, printed, err := checkEmblem(c.data)
			if err != nil {
				t.Fatal(err)
			}
			// A long first line, as a regency's may be: centred over the
			// whole width it would run into the emblem.
			s := Settings{Letterhead: []string{"PEMERINTAH KABUPATEN KAMPAR - PROVINSI RIAU - RI", "KECAMATAN BANGKINANG KOTA", "DESA KUMANTAN"},
				Emblem: &Emblem{File: "f1", Tenant: "14.01", ContentType: ct, Width: w, Height: h, SHA256: strings.Repeat("ab", 32), Data: printed}}
			if err := s.validate(); err != nil {
				t.Fatal(err)
			}
			res := sampleResolved(&s)
			if res.emblem == nil || res.Emblem == nil || res.Emblem.URL != "/api/v1/t/14.01.01.2009/services/settings/emblem?v=abababababab" {
				t.Fatalf("resolved emblem %+v", res.Emblem)
			}
			date := time.Date(2026, 6, 5, 10, 0, 0, 0, res.loc)
			l := buildLetter(lt, lt.Default, &res, sampleRequest(), "007/500/14.01.01.2009/VI/2026", date, "https://portal.example/14.01.01.2009/services/verify/X")
			data, err := renderLetterPDF(l, date, "", c.paper, res.emblem)
			if err != nil {
				t.Fatal(err)
			}
			imgs, err := letterread.Images(data)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, im := range imgs {
				b := im.Bounds()
				if b.Dx() == w && b.Dy() == h {
					found = true
					if r, g, _, _ := im.At(w/2, h/2).RGBA(); r>>8 < 150 || g>>8 > 60 {
						t.Errorf("the emblem's centre is %v, want red", im.At(w/2, h/2))
					}
				}
			}
			if !found {
				t.Errorf("no %dx%d image in the PDF: %d images", w, h, len(imgs))
			}
			if got := pdfQR(t, data); got != l.VerifyURL {
				t.Errorf("QR code %q", got)
			}
			text := strings.Join(pdfLines(t, data), " ")
			for _, want := range []string{"PEMERINTAH KABUPATEN KAMPAR", "DESA KUMANTAN", "SURAT KETERANGAN USAHA", "Kumantan, 5 Juni 2026"} {
				if !strings.Contains(text, want) {
					t.Errorf("the letter with an emblem lost %q", want)
				}
			}
			// Where: the emblem's box at the top left margins (25 mm, 15 mm),
			// 24 mm tall (or 30 mm wide), and every letterhead line to its
			// right, the rule below it.
			const mm = 72 / 25.4
			placed, texts, err := letterread.Placements(data)
			if err != nil {
				t.Fatal(err)
			}
			var box *letterread.Placed
			for i := range placed {
				if placed[i].Page == 1 && placed[i].X < 26*mm && placed[i].Y > 200*mm {
					box = &placed[i]
				}
			}
			paperH := map[string]float64{"F4": 330, "A4": 297}[c.paper] * mm
			switch {
			case box == nil:
				t.Fatalf("no image at the top left: %+v", placed)
			case math.Abs(box.X-25*mm) > 0.5 || math.Abs(paperH-(box.Y+box.H)-15*mm) > 0.5:
				t.Errorf("the emblem's box %+v is not at 25 mm left, 15 mm top", *box)
			case math.Abs(box.H-24*mm) > 0.5 && math.Abs(box.W-30*mm) > 0.5:
				t.Errorf("the emblem's box %+v is neither 24 mm tall nor 30 mm wide", *box)
			}
			for _, tx := range texts {
				for _, head := range l.Letterhead {
					if tx.Text == head && box != nil && tx.X < box.X+box.W {
						t.Errorf("the letterhead line %q starts at %.1f pt, over the emblem (right edge %.1f)", head, tx.X, box.X+box.W)
					}
				}
				if tx.Text == l.Title && box != nil && tx.Y > box.Y {
					t.Errorf("the title is beside the emblem, not below it")
				}
			}
			// Without the emblem, no image but the QR code.
			plain, _ := renderPDF(l, date, "", c.paper)
			if imgs, _ := letterread.Images(plain); len(imgs) != 1 {
				t.Errorf("a letter without an emblem holds %d images", len(imgs))
			}
		})
	}
}

// The emblem is set by its own route: a settings patch may remove it,
// never write it.
func TestEmblemPatch(t *testing.T) {
	s := Settings{Address: "Jl. A", Emblem: &Emblem{ContentType: "image/png", Width: 60, Height: 60, Data: []byte{1}}}
	if _, err := s.patched([]byte(`{"emblem":{"content_type":"image/png","data":"AQ=="}}`)); err == nil {
		t.Error("a patch wrote the emblem")
	}
	kept, err := s.patched([]byte(`{"address":"Jl. B"}`))
	if err != nil || kept.Emblem == nil || kept.Address != "Jl. B" {
		t.Errorf("a patch of the address: %+v %v", kept, err)
	}
	gone, err := s.patched([]byte(`{"emblem":null}`))
	if err != nil || gone.Emblem != nil {
		t.Errorf("emblem: null: %+v %v", gone, err)
	}
	v := newSettingsView("14.01", s, resolved{})
	if v.Settings.Emblem == nil || v.Settings.Emblem.Data != nil || s.Emblem.Data == nil {
		t.Errorf("the settings answer carries the image, or the settings lost it")
	}
}
