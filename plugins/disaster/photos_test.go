package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
	"github.com/balaidesa/balai/sdk/thumb"
)

func testPNG(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{200, 30, 30, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestPhotos(t *testing.T) {
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		h.Tenant(villageA)
		h.Tenant(villageB)
		h.Enable(regency)
		op := h.User("op-a", "operator", villageA)
		opB := h.User("op-b", "operator", villageB)
		anon := h.Anonymous()
		var c Created
		op.Post(villageA, "/reports", map[string]any{"type": "landslide", "occurred_at": time.Now().Add(-time.Hour).Format(time.RFC3339), "description": "Tebing runtuh"}).JSON(&c)
		path := "/reports/" + c.ID + "/photos"
		if r := op.Post(villageA, path, "not an image at all"); r.ErrorCode() != codeNotAnImage || r.Status != 415 {
			t.Fatalf("text as a photo: %d %s", r.Status, r.Body)
		}
		if r := opB.Post(villageA, path, testPNG(t, 10, 10)); r.Status != 403 {
			t.Fatalf("neighbour uploads: %d", r.Status)
		}
		r := op.Post(villageA, path, testPNG(t, 1200, 800))
		var pv PhotoView
		if r.JSON(&pv); r.Status != 201 || pv.ContentType != "image/png" || !strings.HasSuffix(pv.ThumbURL, "/thumb") {
			t.Fatalf("upload: %d %s", r.Status, r.Body)
		}
		sub := strings.TrimPrefix(pv.ThumbURL, "/api/v1/t/"+villageA+"/disaster")
		if r := anon.Get(villageA, sub); r.ErrorCode() != codePhotoNotFound {
			t.Fatalf("photo of an unverified report shown to the public: %d", r.Status)
		}
		op.Post(villageA, "/reports/"+c.ID+"/verify", nil)
		r = anon.Get(villageA, sub)
		if r.Status != 200 || r.Header.Get("Content-Type") != "image/jpeg" {
			t.Fatalf("thumbnail: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		img, _, err := image.Decode(bytes.NewReader(r.Body))
		if err != nil || img.Bounds().Dx() != thumb.Width || img.Bounds().Dy() != 213 {
			t.Fatalf("thumbnail image: %v %v", err, img)
		}
		var v ReportView
		anon.Get(villageA, "/reports/"+c.ID).JSON(&v)
		if len(v.Photos) != 1 || v.Photos[0].URL != pv.URL {
			t.Fatalf("report photos: %+v", v.Photos)
		}
		if pr := anon.PublicPage("GET", villageA, "/kejadian/"+c.ID, nil); pr.Status != 200 || !strings.Contains(pr.HTML, pv.ThumbURL) {
			t.Fatalf("public page: %d %s", pr.Status, pr.HTML)
		}
		for range maxPhotos - 1 {
			op.Post(villageA, path, testPNG(t, 20, 20))
		}
		if r := op.Post(villageA, path, testPNG(t, 20, 20)); !r.Is(&sdk.Error{Status: 409, Code: codeTooManyPhotos}) {
			t.Fatalf("seventh photo: %d %s", r.Status, r.Body)
		}
	})
}
