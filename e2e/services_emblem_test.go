package e2e

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/plugins/services/letterread"
)

// emblemPNG draws a w x h emblem: a disc of colour c on a transparent
// ground, as a regency's lambang comes.
func emblemPNG(t *testing.T, w, h int, c color.NRGBA) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	r := min(w, h) / 2
	for y := range h {
		for x := range w {
			if dx, dy := x-w/2, y-h/2; dx*dx+dy*dy < r*r {
				img.Set(x, y, c)
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// letterImages lists the pixel sizes of the images a letter PDF holds.
func letterImages(t *testing.T, pdf []byte) []image.Point {
	t.Helper()
	imgs, err := letterread.Images(pdf)
	if err != nil {
		t.Fatal(err)
	}
	var out []image.Point
	for _, im := range imgs {
		out = append(out, im.Bounds().Size())
	}
	return out
}

func hasSize(sizes []image.Point, w, h int) bool {
	for _, s := range sizes {
		if s.X == w && s.Y == h {
			return true
		}
	}
	return false
}

// The letterhead's emblem: the regency uploads it through the host's
// files, every village that follows the regency's settings prints it
// beside its letterhead (the QR code still reads), a village may upload
// its own or print none, and what is not a small PNG or JPEG is refused
// with the documented errors.
func TestServicesLetterheadEmblem(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := servicesWorld(t, b)
		regency := p("14.01", "services", "/settings/emblem")
		lambang := emblemPNG(t, 240, 300, color.NRGBA{R: 0, G: 120, B: 0, A: 255})

		// None yet.
		w.h.Anon().Do(t, "GET", p(villageA, "services", "/settings/emblem"), nil).ExpectErr(404, "emblem_not_found")

		// Bad input, and who may not.
		var gf bytes.Buffer
		gif.Encode(&gf, image.NewPaletted(image.Rect(0, 0, 100, 100), []color.Color{color.White, color.Black}), nil)
		w.district.Do(t, "PUT", regency, gf.Bytes()).ExpectErr(415, "emblem_not_an_image")
		w.district.Do(t, "PUT", regency, []byte("<svg xmlns='http://www.w3.org/2000/svg'/>")).ExpectErr(415, "emblem_not_an_image")
		w.district.Do(t, "PUT", regency, emblemPNG(t, 30, 30, color.NRGBA{A: 255})).ExpectErr(422, "emblem_dimensions")
		w.district.Do(t, "PUT", regency, emblemPNG(t, 1300, 200, color.NRGBA{A: 255})).ExpectErr(422, "emblem_dimensions")
		w.district.Do(t, "PUT", regency, append(emblemPNG(t, 100, 100, color.NRGBA{A: 255}), make([]byte, 530<<10)...)).ExpectErr(413, "emblem_too_large")
		// Far over it, the host stops the body before the plugin reads it.
		w.district.Do(t, "PUT", regency, append(emblemPNG(t, 100, 100, color.NRGBA{A: 255}), make([]byte, 2<<20)...)).ExpectErr(413, "body_too_large")
		var mp bytes.Buffer
		mw := multipart.NewWriter(&mp)
		mw.WriteField("note", "no file")
		mw.Close()
		req, _ := http.NewRequest("PUT", w.h.URL+regency, &mp)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+w.district.Token)
		if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 400 {
			t.Errorf("a form without a file: %v %v", res, err)
		}
		w.op.Do(t, "PUT", p(villageA, "services", "/settings/emblem"), lambang).Expect(403)
		w.h.Anon().Do(t, "PUT", regency, lambang).Expect(401)
		w.district.Do(t, "PUT", p("14.01", "services", "/settings"), map[string]any{"emblem": map[string]any{"data": "AAAA"}}).ExpectErr(422, "invalid_settings")

		// The regency's emblem, as a multipart form like the console's.
		mp.Reset()
		mw = multipart.NewWriter(&mp)
		fw, _ := mw.CreateFormFile("emblem", "lambang-kampar.png")
		fw.Write(lambang)
		mw.Close()
		req, _ = http.NewRequest("PUT", w.h.URL+regency, &mp)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+w.district.Token)
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("uploading the regency's emblem: %v %v", res, err)
		}
		res.Body.Close()
		got := w.op.Do(t, "GET", p(villageA, "services", "/settings"), nil).Expect(200)
		if bytes.Contains(got.Body, []byte(`"data"`)) {
			t.Errorf("the settings answer carries the image: %.300s", got.Body)
		}
		em, _ := got.JSON()["resolved"].(map[string]any)["emblem"].(map[string]any)
		if em == nil || em["tenant"] != "14.01" || em["width"] != 240.0 || em["height"] != 300.0 || !strings.HasPrefix(em["url"].(string), p(villageA, "services", "/settings/emblem")) {
			t.Fatalf("the village's resolved emblem: %v", em)
		}
		img := w.h.Anon().Do(t, "GET", em["url"].(string), nil).Expect(200)
		if img.Header.Get("Content-Type") != "image/png" || img.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("the emblem is served as %v", img.Header)
		}
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(img.Body)); err != nil || cfg.Width != 240 {
			t.Errorf("the served emblem: %v %v", cfg, err)
		}

		// A letter of the village prints it, on F4, the QR code beside.
		print := func(c *Client, village, nik string) []byte {
			t.Helper()
			id := c.Do(t, "POST", p(village, "services", "/requests"), letterRequest("domisili", nik, "melamar pekerjaan", nil)).Expect(201).Str("id")
			w.district.Do(t, "POST", p(village, "services", "/requests/"+id+"/approve"), nil).Expect(200)
			c.Do(t, "POST", p(village, "services", "/requests/"+id+"/issue"), nil).Expect(200)
			return c.Do(t, "GET", p(village, "services", "/requests/"+id+"/pdf"), nil).Expect(200).Body
		}
		pdf := print(w.op, villageA, budi["nik"])
		if sizes := letterImages(t, pdf); !hasSize(sizes, 240, 300) {
			t.Errorf("the letter does not hold the regency's emblem: %v", sizes)
		}
		if qr := letterQR(t, pdf); !strings.Contains(qr, "/"+villageA+"/services/verify/") {
			t.Errorf("QR code beside the emblem: %q", qr)
		}
		if text := letterText(t, pdf); !strings.Contains(text, "PEMERINTAH KABUPATEN KAMPAR") || !strings.Contains(text, "DESA KUMANTAN") {
			t.Errorf("the letterhead beside the emblem: %s", text)
		}

		// A village uploads its own (a JPEG); its neighbour keeps the
		// regency's; a village that removes it prints none.
		var jp bytes.Buffer
		jpeg.Encode(&jp, image.NewRGBA(image.Rect(0, 0, 160, 160)), nil)
		w.admin.Do(t, "PUT", p(villageA2, "services", "/settings/emblem"), jp.Bytes()).Expect(200)
		if ct := w.h.Anon().Do(t, "GET", p(villageA2, "services", "/settings/emblem"), nil).Expect(200).Header.Get("Content-Type"); ct != "image/jpeg" {
			t.Errorf("the village's own emblem is %s", ct)
		}
		if sizes := letterImages(t, print(w.admin, villageA2, sari["nik"])); !hasSize(sizes, 160, 160) || hasSize(sizes, 240, 300) {
			t.Errorf("the village with its own emblem prints %v", sizes)
		}
		if ct := w.h.Anon().Do(t, "GET", p(villageB, "services", "/settings/emblem"), nil).Expect(200).Header.Get("Content-Type"); ct != "image/png" {
			t.Errorf("the regency's other villages: %s", ct)
		}
		w.admin.Do(t, "DELETE", p(villageA, "services", "/settings/emblem"), nil).Expect(200)
		w.h.Anon().Do(t, "GET", p(villageA, "services", "/settings/emblem"), nil).ExpectErr(404, "emblem_not_found")
		if sizes := letterImages(t, print(w.op, villageA, budi["nik"])); len(sizes) != 1 {
			t.Errorf("a village without an emblem prints images %v", sizes)
		}
		w.h.Anon().Do(t, "GET", regency, nil).Expect(200)
	})
}
