package main

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

const (
	villageA = "14.01.01.2009"
	villageB = "14.01.02.2001"
)

// pngPhoto is the smallest body the host sniffs as a PNG.
var pngPhoto = append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)

func TestManifest(t *testing.T) {
	if err := plugin.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestMarketplaceInProcess(t *testing.T) { sdktest.Each(t, &plugin, testMarketplaceInProcess) }

func testMarketplaceInProcess(t *testing.T, h *sdktest.Host) {
	h.Tenant(villageA)
	h.Tenant(villageB)
	h.Enable("14.01")
	op := h.User("op-a", "operator", villageA)
	opB := h.User("op-b", "operator", villageB)
	viewer := h.User("viewer-a", "viewer", villageA)
	anon := h.Anonymous()

	var seller sellerView
	res := op.Post(villageA, "/sellers", map[string]string{"name": "UMKM Nenas Jaya", "kind": "umkm", "owner_name": "Rahmat", "contact_phone": "0812 7000 1234"})
	if res.JSON(&seller); res.Status != http.StatusCreated || seller.ContactPhone != "+6281270001234" || seller.Village.Name != "Tenant "+villageA {
		t.Fatalf("create seller: %d %s", res.Status, res.Body)
	}
	var product productView
	res = op.Post(villageA, "/products", map[string]any{"seller_id": seller.ID, "name": "Keripik Nenas", "category": "food", "price": 15000, "stock": 3, "unit": "bungkus"})
	if res.JSON(&product); res.Status != http.StatusCreated || product.Seller.Name != "UMKM Nenas Jaya" || product.CategoryName != "Makanan" {
		t.Fatalf("create product: %d %s", res.Status, res.Body)
	}

	// The public sees the seller without the owner's name.
	var pub sellerView
	anon.Get(villageA, "/sellers/"+seller.ID).JSON(&pub)
	if pub.OwnerName != "" || pub.Name != "UMKM Nenas Jaya" {
		t.Errorf("public seller %+v", pub)
	}
	// A PATCH writes only what it names: the owner's name stays.
	res = op.Patch(villageA, "/sellers/"+seller.ID, map[string]string{"description": "Keripik dari nenas Kampar"})
	if res.JSON(&seller); res.Status != http.StatusOK || seller.OwnerName != "Rahmat" || seller.Description != "Keripik dari nenas Kampar" || seller.ContactPhone != "+6281270001234" {
		t.Errorf("patch seller: %d %s", res.Status, res.Body)
	}
	// A seller of village A cannot carry a product of village B.
	if res := opB.Post(villageB, "/products", map[string]any{"seller_id": seller.ID, "name": "X", "category": "food", "price": 1, "stock": 1}); res.ErrorCode() != "unknown_seller" {
		t.Errorf("product under another village's seller: %d %s", res.Status, res.Body)
	}

	// Photos: raw and as a form; text refused.
	res = op.Do("POST", villageA, "/products/"+product.ID+"/photos", pngPhoto)
	var photo photoView
	if res.JSON(&photo); res.Status != http.StatusCreated || photo.ContentType != "image/png" {
		t.Fatalf("photo upload: %d %s", res.Status, res.Body)
	}
	if res := op.Do("POST", villageA, "/products/"+product.ID+"/photos", "hello, I am text"); res.Status != http.StatusUnsupportedMediaType || res.ErrorCode() != "not_an_image" {
		t.Errorf("text as a photo: %d %s", res.Status, res.Body)
	}
	// Over the photo limit but within the route's body limit: the plugin
	// refuses it, and the host keeps nothing of it.
	over := append(append([]byte{}, pngPhoto...), make([]byte, maxPhotoBytes)...)
	if res := op.Do("POST", villageA, "/products/"+product.ID+"/photos", over); res.Status != http.StatusRequestEntityTooLarge || res.ErrorCode() != codePhotoTooLarge {
		t.Errorf("photo over the limit: %d %s", res.Status, res.Body)
	}
	var shown productView
	if anon.Get(villageA, "/products/"+product.ID).JSON(&shown); len(shown.Photos) != 1 {
		t.Errorf("photos after a refused upload: %+v", shown.Photos)
	}
	got := anon.Get(villageA, "/products/"+product.ID+"/photos/"+photo.ID)
	if got.Status != http.StatusOK || !bytes.Equal(got.Body, pngPhoto) || got.Header.Get("Content-Type") != "image/png" {
		t.Errorf("photo download: %d %q", got.Status, got.Header.Get("Content-Type"))
	}

	// An order, followed by the buyer with name and phone masked by the
	// host, and no address.
	res = anon.Post(villageA, "/orders", map[string]any{"buyer_name": "Siti Aminah", "phone": "0813-1111-2222", "address": "Jl. Lintas Timur 5",
		"items": []map[string]any{{"product_id": product.ID, "qty": 2}}})
	var order orderView
	if res.JSON(&order); res.Status != http.StatusCreated || order.Total != 30000 || order.Phone != "+62**********2" || order.BuyerName != "Si********h" ||
		order.Address != "" || !order.Masked || len(order.Code) != codeLen {
		t.Fatalf("place order: %d %s", res.Status, res.Body)
	}
	if res := anon.Post(villageA, "/orders", map[string]any{"buyer_name": "Budi", "phone": "081311112223", "items": []map[string]any{{"product_id": product.ID, "qty": 2}}}); res.Status != http.StatusConflict || res.ErrorCode() != "out_of_stock" || !strings.Contains(string(res.Body), "Keripik Nenas") {
		t.Errorf("ordering more than is left: %d %s", res.Status, res.Body)
	}
	// The viewer lists masked; the operator in full.
	var list sdk.ListOf[orderView]
	viewer.Get(villageA, "/orders").JSON(&list)
	if list.Total != 1 || list.Items[0].Phone != "+62**********2" || list.Items[0].Address != "" || !list.Items[0].Masked {
		t.Errorf("viewer's orders: %+v", list)
	}
	op.Get(villageA, "/orders?state=new").JSON(&list)
	if list.Total != 1 || list.Items[0].Phone != "+6281311112222" || list.Items[0].BuyerName != "Siti Aminah" || list.Items[0].Address != "Jl. Lintas Timur 5" || list.Items[0].Masked {
		t.Errorf("operator's orders: %+v", list)
	}
	// The operator's list is audited by the host (fields and records, no
	// values); the viewer's and the public's masked reads are not.
	var audit sdk.ListOf[map[string]any]
	h.Admin().API("GET", "/api/v1/audit?action=marketplace.*", nil).JSON(&audit)
	reads := map[string]int{}
	for _, e := range audit.Items {
		if a := e["action"].(string); a == "marketplace.personal.read" && e["target"] == "orders" {
			reads[e["actor"].(string)]++
		} else if strings.HasSuffix(a, "_personal") {
			t.Errorf("the plugin audits a personal read itself: %v", e)
		}
	}
	if reads["op-a"] != 1 || reads["viewer-a"] != 0 || reads["anonymous"] != 0 {
		t.Errorf("personal reads audited by actor: %v", reads)
	}
	// Life of the order; a cancel returns the stock.
	if res := viewer.Post(villageA, "/orders/"+order.Code+"/confirm", nil); res.Status != http.StatusForbidden {
		t.Errorf("viewer confirms: %d", res.Status)
	}
	if res := op.Post(villageA, "/orders/"+order.Code+"/ship", nil); res.ErrorCode() != "invalid_transition" {
		t.Errorf("ship a new order: %d %s", res.Status, res.Body)
	}
	if res := op.Post(villageA, "/orders/"+order.Code+"/confirm", nil); res.Status != http.StatusOK {
		t.Fatalf("confirm: %d %s", res.Status, res.Body)
	}
	if res := op.Post(villageA, "/orders/"+order.Code+"/cancel", map[string]string{"reason": "stok rusak"}); res.Status != http.StatusOK {
		t.Fatalf("cancel: %d %s", res.Status, res.Body)
	}
	anon.Get(villageA, "/products/"+product.ID).JSON(&product)
	if product.Stock != 3 {
		t.Errorf("stock after cancel %d, want 3", product.Stock)
	}
	anon.Get(villageA, "/orders/"+strings.ToLower(order.Code)).JSON(&order)
	if order.State != StateCancelled || order.CancelledAt == nil || order.ConfirmedAt == nil || order.CancelReason != "stok rusak" {
		t.Errorf("cancelled order: %+v", order.Order)
	}

	// A form upload, as a browser sends it.
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	fw, _ := mw.CreateFormFile("photo", "nenas.png")
	fw.Write(pngPhoto)
	mw.Close()
	req, _ := http.NewRequest("POST", h.URL()+"/api/v1/t/"+villageA+"/marketplace/products/"+product.ID+"/photos", &form)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+op.Token)
	if hr, err := http.DefaultClient.Do(req); err != nil || hr.StatusCode != http.StatusCreated {
		t.Errorf("form upload: %v %v", err, hr.Status)
	}

	// The district's mall names the village.
	var cat sdk.ListOf[productView]
	anon.Get("14.01", "/products").JSON(&cat)
	if cat.Total != 1 || cat.Items[0].Village.Code != villageA || cat.Items[0].Village.Name != "Tenant "+villageA || len(cat.Items[0].Photos) != 2 {
		t.Errorf("district catalogue: %+v", cat)
	}
}
