package main

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"net/http"
	"testing"

	"github.com/balaidesa/balai/sdk/sdktest"
)

// A decodable photo gets a 320 px JPEG thumbnail; an undecodable one is
// its own thumbnail; deleting the photo deletes both.
func TestPhotoThumbnail(t *testing.T) {
	h := sdktest.New(t, &plugin)
	h.Tenant(villageA)
	h.Enable(villageA)
	op := h.User("op-a", "operator", villageA)
	anon := h.Anonymous()
	var seller sellerView
	op.Post(villageA, "/sellers", map[string]string{"name": "UMKM", "kind": "umkm"}).JSON(&seller)
	var product productView
	op.Post(villageA, "/products", map[string]any{"seller_id": seller.ID, "name": "Tikar", "category": "crafts", "price": 50000, "stock": 2}).JSON(&product)

	img := image.NewRGBA(image.Rect(0, 0, 1200, 900))
	var big bytes.Buffer
	png.Encode(&big, img)
	var ph photoView
	res := op.Do("POST", villageA, "/products/"+product.ID+"/photos", big.Bytes())
	if res.JSON(&ph); res.Status != http.StatusCreated || ph.ThumbURL != ph.URL+"/thumb" {
		t.Fatalf("upload: %d %s", res.Status, res.Body)
	}
	thumb := anon.Get(villageA, "/products/"+product.ID+"/photos/"+ph.ID+"/thumb")
	if thumb.Status != http.StatusOK || thumb.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("thumb: %d %s", thumb.Status, thumb.Header.Get("Content-Type"))
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(thumb.Body))
	if err != nil || cfg.Width != 320 || cfg.Height != 240 || len(thumb.Body) >= big.Len() {
		t.Errorf("thumb %dx%d, %d bytes (photo %d): %v", cfg.Width, cfg.Height, len(thumb.Body), big.Len(), err)
	}
	// An image the standard library cannot decode: the photo stands in.
	res = op.Do("POST", villageA, "/products/"+product.ID+"/photos", pngPhoto)
	var ph2 photoView
	res.JSON(&ph2)
	if got := anon.Get(villageA, "/products/"+product.ID+"/photos/"+ph2.ID+"/thumb"); got.Status != http.StatusOK || !bytes.Equal(got.Body, pngPhoto) {
		t.Errorf("fallback thumb: %d %d bytes", got.Status, len(got.Body))
	}
	if res := op.Delete(villageA, "/products/"+product.ID+"/photos/"+ph.ID); res.Status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", res.Status, res.Body)
	}
	if got := anon.Get(villageA, "/products/"+product.ID+"/photos/"+ph.ID+"/thumb"); got.Status != http.StatusNotFound {
		t.Errorf("thumb after delete: %d", got.Status)
	}
}
