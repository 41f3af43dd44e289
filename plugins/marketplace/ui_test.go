package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk/sdktest"
)

// contains fails t for each of wants missing from html.
func contains(t *testing.T, what, html string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(html, w) {
			t.Errorf("%s: missing %q in\n%s", what, w, html)
		}
	}
}

// The mall's screens as the host's web layer requests them: a seller
// registers and lists a product in the console, a citizen finds it in the
// regency's catalogue, orders it from the village's basket and tracks it,
// and the seller confirms, ships and cancels orders.
func TestMarketScreens(t *testing.T) { sdktest.Each(t, &plugin, testMarketScreens) }

func testMarketScreens(t *testing.T, h *sdktest.Host) {
	const regency = "14.01"
	h.Tenant(villageA)
	h.Tenant(villageB)
	h.Enable(regency)
	op := h.User("op-a", "operator", villageA)
	viewer := h.User("viewer-a", "viewer", villageA)
	anon := h.Anonymous()
	consoleBase := "/console/" + villageA + "/m/marketplace"

	// No seller yet: the new product page says to register one first.
	if res := op.GetPage(villageA, "/manage/products/new"); res.Status != http.StatusOK || !strings.Contains(res.HTML, "Belum ada penjual") {
		t.Fatalf("new product without sellers: %d\n%s", res.Status, res.HTML)
	}
	// A seller with a bad phone: 422, the error beside the field, values kept.
	res := op.PostForm(villageA, "/manage/sellers", url.Values{"name": {"UMKM <Nenas>"}, "kind": {"umkm"}, "contact_phone": {"12345"}, "owner_name": {"Rahmat"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("seller with a bad phone: %d\n%s", res.Status, res.HTML)
	}
	contains(t, "bad seller", res.HTML, `id="f-contact_phone-error"`, "nomor seluler Indonesia", `value="UMKM &lt;Nenas&gt;"`, `value="Rahmat"`)
	res = op.PostForm(villageA, "/manage/sellers", url.Values{"name": {"UMKM Nenas Jaya"}, "kind": {"umkm"}, "contact_phone": {"0812 7000 1234"}, "owner_name": {"Rahmat"}})
	if res.Status != http.StatusSeeOther || res.Location != consoleBase+"/manage/sellers" || res.FlashKind != "success" {
		t.Fatalf("seller: %d %q %q\n%s", res.Status, res.Location, res.Flash, res.HTML)
	}
	var sellers struct {
		Items []sellerView
	}
	op.Get(villageA, "/sellers").JSON(&sellers)
	if len(sellers.Items) != 1 {
		t.Fatalf("sellers: %+v", sellers)
	}
	sellerID := sellers.Items[0].ID
	// Editing the seller: a bad phone is 422 beside it; a good edit keeps
	// the owner's name the form did not send.
	res = op.GetPage(villageA, "/manage/sellers/"+sellerID)
	contains(t, "seller form", res.HTML, `value="Rahmat"`, `value="&#43;6281270001234"`)
	if res := op.PostForm(villageA, "/manage/sellers/"+sellerID, url.Values{"name": {"UMKM Nenas Jaya"}, "contact_phone": {"999"}}); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.HTML, `id="f-contact_phone-error"`) {
		t.Errorf("seller with a bad phone: %d\n%s", res.Status, res.HTML)
	}
	if res := op.PostForm(villageA, "/manage/sellers/"+sellerID, url.Values{"name": {"UMKM Nenas Jaya"}, "kind": {"umkm"}, "description": {"Keripik dari Kampar"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("seller edit: %d\n%s", res.Status, res.HTML)
	}
	var sv sellerView
	if op.Get(villageA, "/sellers/"+sellerID).JSON(&sv); sv.OwnerName != "Rahmat" || sv.Description != "Keripik dari Kampar" || sv.ContactPhone != "+6281270001234" {
		t.Errorf("seller after the edit: %+v", sv)
	}

	// A product: a bad price is 422 beside the price, the rest kept.
	form := url.Values{"seller_id": {sellerID}, "name": {"Keripik Nenas"}, "category": {"food"}, "price": {"0"}, "stock": {"5"}, "unit": {"bungkus"}, "listed": {"1"}}
	res = op.PostForm(villageA, "/manage/products", form)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("product with price 0: %d\n%s", res.Status, res.HTML)
	}
	contains(t, "bad price", res.HTML, `id="f-price-error"`, `value="Keripik Nenas"`, `<option value="food" selected>`)
	form.Set("price", "15.000") // as people write it
	res = op.PostForm(villageA, "/manage/products", form)
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, consoleBase+"/manage/products/") {
		t.Fatalf("product: %d %q\n%s", res.Status, res.Location, res.HTML)
	}
	productID := strings.TrimPrefix(res.Location, consoleBase+"/manage/products/")
	res = op.GetPage(villageA, "/manage/products/"+productID)
	contains(t, "edit page", res.HTML, `value="15000"`, `enctype="multipart/form-data"`, `class="b-progress"`, `name="photo"`)
	// The API sees the product the screen made.
	var p productView
	if anon.Get(villageA, "/products/"+productID).JSON(&p); p.Price != 15000 || p.Stock != 5 || p.Seller.Name != "UMKM Nenas Jaya" {
		t.Fatalf("product by the API: %+v", p)
	}
	// A photo through the API, so that pages show thumbnails.
	if res := op.Do("POST", villageA, "/products/"+productID+"/photos", pngPhoto); res.Status != http.StatusCreated {
		t.Fatalf("photo: %d %s", res.Status, res.Body)
	}
	// An edit: a bad stock is 422, a good one saved.
	res = op.PostForm(villageA, "/manage/products/"+productID, url.Values{"name": {"Keripik Nenas"}, "category": {"food"}, "price": {"15000"}, "stock": {"-1"}, "listed": {"1"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.HTML, `id="f-stock-error"`) {
		t.Fatalf("stock -1: %d\n%s", res.Status, res.HTML)
	}
	res = op.PostForm(villageA, "/manage/products/"+productID, url.Values{"name": {"Keripik Nenas Madu"}, "category": {"food"}, "price": {"15000"}, "stock": {"5"}, "unit": {"bungkus"}, "listed": {"1"}})
	if res.Status != http.StatusSeeOther || res.Flash != "Produk disimpan." {
		t.Fatalf("edit: %d %q\n%s", res.Status, res.Flash, res.HTML)
	}
	res = op.GetPage(villageA, "/manage/products")
	contains(t, "products list", res.HTML, "Keripik Nenas Madu", "Rp15.000", "Ditampilkan")

	// The viewer may not manage products; the menu shows the viewer the
	// orders only.
	if res := viewer.GetPage(villageA, "/manage/products"); res.Status != http.StatusForbidden {
		t.Errorf("viewer on products: %d", res.Status)
	}
	if menu := h.Menu(villageA, "viewer-a"); len(menu) != 1 || menu[0].Path != "/manage/orders" {
		t.Errorf("viewer's menu = %+v", menu)
	}
	if menu := h.Menu(villageA, "op-a"); len(menu) != 2 || menu[0].Label != "Lapak Desa" {
		t.Errorf("operator's menu = %+v", menu)
	}

	// A citizen: the regency's catalogue, with search.
	res = anon.PublicPage("GET", regency, "/?q=nenas", nil)
	if res.Status != http.StatusOK || !res.Fragment {
		t.Fatalf("catalogue: %d\n%s", res.Status, res.HTML)
	}
	productHref := "/" + villageA + "/marketplace/products/" + productID
	contains(t, "catalogue", res.HTML, `href="`+productHref+`"`, "Rp15.000", `loading="lazy"`, "/api/v1/t/"+villageA+"/marketplace/products/"+productID+"/photos/", "/thumb\"", "UMKM Nenas Jaya")
	if strings.Contains(res.HTML, "data:") || len(res.HTML) > 20_000 {
		t.Errorf("catalogue page is %d bytes or inlines data", len(res.HTML))
	}
	if res := anon.PublicPage("GET", regency, "/?q=sapi", nil); !strings.Contains(res.HTML, "Belum ada produk yang cocok.") {
		t.Errorf("search for nothing:\n%s", res.HTML)
	}
	if res := anon.PublicPage("GET", regency, "/?category=nope", nil); res.Status != http.StatusBadRequest {
		t.Errorf("bad category: %d", res.Status)
	}
	// A regency has no basket: orders are placed at a village.
	if res := anon.PublicPage("GET", regency, "/basket?b="+productID+":1", nil); res.Status != http.StatusOK || !strings.Contains(res.HTML, "Pesan dari halaman desa penjualnya.") || strings.Contains(res.HTML, "<form") {
		t.Errorf("regency basket: %d\n%s", res.Status, res.HTML)
	}
	// The product's page at its village, and the basket.
	res = anon.PublicPage("GET", villageA, "/products/"+productID, nil)
	contains(t, "product page", res.HTML, "Keripik Nenas Madu", `action="/`+villageA+`/marketplace/basket"`, `name="qty"`, `method="get"`)
	res = anon.PublicPage("GET", villageA, "/basket?add="+productID+"&qty=2", nil)
	contains(t, "basket", res.HTML, "Rp30.000", `name="b" value="`+productID+`:2"`, `action="/`+villageA+`/marketplace/checkout"`, `<label for="f-phone">`)
	// Checkout with a bad phone: 422 beside the phone, the name kept.
	res = anon.PublicPage("POST", villageA, "/checkout", url.Values{"b": {productID + ":2"}, "buyer_name": {"Siti Aminah"}, "phone": {"123"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("checkout with a bad phone: %d\n%s", res.Status, res.HTML)
	}
	contains(t, "bad checkout", res.HTML, `id="f-phone-error"`, `value="Siti Aminah"`)
	// Too many: 409 out of stock, said in Indonesian.
	res = anon.PublicPage("POST", villageA, "/checkout", url.Values{"b": {productID + ":9"}, "buyer_name": {"Siti Aminah"}, "phone": {"0813 1111 2222"}})
	if res.Status != http.StatusConflict || !strings.Contains(res.HTML, "Stok salah satu produk tidak cukup.") {
		t.Fatalf("checkout over the stock: %d\n%s", res.Status, res.HTML)
	}
	res = anon.PublicPage("POST", villageA, "/checkout", url.Values{"b": {productID + ":2"}, "buyer_name": {"Siti Aminah"}, "phone": {"0813 1111 2222"}, "address": {"Jl. Nenas 1"}})
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/"+villageA+"/marketplace/orders/") || res.FlashKind != "success" {
		t.Fatalf("checkout: %d %q\n%s", res.Status, res.Location, res.HTML)
	}
	code := strings.TrimPrefix(res.Location, "/"+villageA+"/marketplace/orders/")
	// The tracking page masks the buyer as the API does and has no address.
	res = anon.PublicPage("GET", villageA, "/orders/"+code, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("tracking: %d\n%s", res.Status, res.HTML)
	}
	contains(t, "tracking", res.HTML, "Baru", "Rp30.000", "Keripik Nenas Madu (bungkus)")
	for _, secret := range []string{"Siti Aminah", "+6281311112222", "Jl. Nenas"} {
		if strings.Contains(res.HTML, secret) {
			t.Errorf("tracking page shows %q:\n%s", secret, res.HTML)
		}
	}
	if res := anon.PublicPage("GET", villageA, "/track?code="+strings.ToLower(code), nil); res.Status != http.StatusSeeOther || !strings.HasSuffix(res.Location, "/orders/"+code) {
		t.Errorf("track by code: %d %q", res.Status, res.Location)
	}
	if res := anon.PublicPage("GET", villageA, "/orders/0000000000000000000A", nil); res.Status != http.StatusNotFound {
		t.Errorf("unknown code: %d", res.Status)
	}

	// The seller's queue: the widget counts it; the viewer sees the buyer
	// masked, the operator in full.
	if ws := h.Widgets(villageA, "op-a"); len(ws) != 1 || !strings.Contains(string(ws[0].HTML), "1 pesanan baru") {
		t.Errorf("widgets = %+v", ws)
	}
	res = viewer.GetPage(villageA, "/manage/orders")
	if res.Status != http.StatusOK || strings.Contains(res.HTML, "Siti Aminah") || strings.Contains(res.HTML, "+6281311112222") {
		t.Errorf("viewer's queue: %d\n%s", res.Status, res.HTML)
	}
	if !regexp.MustCompile(`<td>Si\*+h</td>`).MatchString(res.HTML) {
		t.Errorf("viewer's queue has no masked name:\n%s", res.HTML)
	}
	res = op.GetPage(villageA, "/manage/orders")
	contains(t, "operator's queue", res.HTML, "Siti Aminah", "+6281311112222", `href="`+consoleBase+`/manage/orders/`+code+`"`)
	// Searches: by number in every state; by phone only with the right to
	// see phones (the API's 403 for the viewer).
	var listed orderView
	anon.Get(villageA, "/orders/"+code).JSON(&listed)
	if res := viewer.GetPage(villageA, "/manage/orders?number="+listed.Number); !strings.Contains(res.HTML, listed.Number) || strings.Contains(res.HTML, `name="phone"`) {
		t.Errorf("viewer's search by number:\n%s", res.HTML)
	}
	if res := viewer.GetPage(villageA, "/manage/orders?phone=081311112222"); res.Status != http.StatusForbidden {
		t.Errorf("viewer's search by phone: %d", res.Status)
	}
	if res := op.GetPage(villageA, "/manage/orders?phone=0813-1111-2222"); !strings.Contains(res.HTML, listed.Number) {
		t.Errorf("operator's search by phone:\n%s", res.HTML)
	}
	res = op.GetPage(villageA, "/manage/orders/"+code)
	contains(t, "order page", res.HTML, "Jl. Nenas 1", `action="`+consoleBase+`/manage/orders/`+code+`/confirm"`, `data-confirm="Batalkan pesanan ini? Stok dikembalikan."`)
	if strings.Contains(res.HTML, "/ship\"") {
		t.Errorf("a new order offers ship:\n%s", res.HTML)
	}
	if res := viewer.GetPage(villageA, "/manage/orders/"+code); strings.Contains(res.HTML, "<form") || strings.Contains(res.HTML, "Jl. Nenas") {
		t.Errorf("viewer's order page:\n%s", res.HTML)
	}
	if res := viewer.PostForm(villageA, "/manage/orders/"+code+"/confirm", nil); res.Status != http.StatusForbidden {
		t.Errorf("viewer confirms: %d", res.Status)
	}
	for _, a := range []string{"confirm", "ship"} {
		res = op.PostForm(villageA, "/manage/orders/"+code+"/"+a, nil)
		if res.Status != http.StatusSeeOther || res.FlashKind != "success" {
			t.Fatalf("%s: %d %q %q\n%s", a, res.Status, res.FlashKind, res.Flash, res.HTML)
		}
	}
	// Shipped cannot be cancelled: the API's 409, as a message.
	res = op.PostForm(villageA, "/manage/orders/"+code+"/cancel", url.Values{"confirmed": {"1"}})
	if res.Status != http.StatusSeeOther || res.FlashKind != "error" {
		t.Errorf("cancel a shipped order: %d %q %q", res.Status, res.FlashKind, res.Flash)
	}
	var o orderView
	anon.Get(villageA, "/orders/"+code).JSON(&o)
	if o.State != StateShipped {
		t.Errorf("state after the screens = %s", o.State)
	}
	res = anon.PublicPage("GET", villageA, "/orders/"+code, nil)
	contains(t, "tracking when shipped", res.HTML, "Dikirim")

	// A cancel without JavaScript asks first, then cancels and returns the stock.
	res = anon.PublicPage("POST", villageA, "/checkout", url.Values{"b": {productID + ":1"}, "buyer_name": {"Budi"}, "phone": {"0813 1111 3333"}})
	code2 := strings.TrimPrefix(res.Location, "/"+villageA+"/marketplace/orders/")
	res = op.PostForm(villageA, "/manage/orders/"+code2+"/cancel", url.Values{"reason": {"Stok rusak"}})
	if res.Status != http.StatusOK || !strings.Contains(res.HTML, `class="b-confirm"`) || !strings.Contains(res.HTML, `name="confirmed" value="1"`) {
		t.Fatalf("cancel step: %d\n%s", res.Status, res.HTML)
	}
	res = op.PostForm(villageA, "/manage/orders/"+code2+"/cancel", url.Values{"reason": {"Stok rusak"}, "confirmed": {"1"}})
	if res.Status != http.StatusSeeOther || res.Flash != "Pesanan dibatalkan." {
		t.Fatalf("cancel: %d %q", res.Status, res.Flash)
	}
	if anon.Get(villageA, "/products/"+productID).JSON(&p); p.Stock != 3 {
		t.Errorf("stock after a cancel = %d, want 3", p.Stock)
	}
	if res := anon.PublicPage("GET", villageA, "/orders/"+code2, nil); !strings.Contains(res.HTML, "Stok rusak") {
		t.Errorf("cancelled order page:\n%s", res.HTML)
	}

	// Hiding the product: the select's "0" is false; the public no longer
	// finds it, the console still lists it.
	res = op.PostForm(villageA, "/manage/products/"+productID, url.Values{"name": {"Keripik Nenas Madu"}, "category": {"food"}, "price": {"15000"}, "stock": {"3"}, "listed": {"0"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("hide: %d\n%s", res.Status, res.HTML)
	}
	if res := anon.PublicPage("GET", villageA, "/products/"+productID, nil); res.Status != http.StatusNotFound {
		t.Errorf("hidden product's page: %d", res.Status)
	}
	if res := op.GetPage(villageA, "/manage/products?listed=false"); !strings.Contains(res.HTML, "Keripik Nenas Madu") || !strings.Contains(res.HTML, "Disembunyikan") {
		t.Errorf("hidden products:\n%s", res.HTML)
	}
	// Deleting a photo asks first without JavaScript.
	var shown productView
	op.Get(villageA, "/products/"+productID).JSON(&shown)
	del := "/manage/products/" + productID + "/photos/" + shown.Photos[0].ID + "/delete"
	if res := op.PostForm(villageA, del, nil); res.Status != http.StatusOK || !strings.Contains(res.HTML, "Hapus foto ini dari produk?") {
		t.Fatalf("delete step: %d\n%s", res.Status, res.HTML)
	}
	if res := op.PostForm(villageA, del, url.Values{"confirmed": {"1"}}); res.Status != http.StatusSeeOther || res.Flash != "Foto dihapus." {
		t.Fatalf("delete: %d %q", res.Status, res.Flash)
	}
	if op.Get(villageA, "/products/"+productID).JSON(&shown); len(shown.Photos) != 0 {
		t.Errorf("photos after the delete: %+v", shown.Photos)
	}

	// English.
	anon.Lang = "en"
	if res := anon.PublicPage("GET", villageA, "/basket", nil); res.Title != "Basket" || !strings.Contains(res.HTML, "The basket is empty.") {
		t.Errorf("English basket: %q\n%s", res.Title, res.HTML)
	}
	// Console pages are not public, and need a login.
	if res := anon.PublicPage("GET", villageA, "/manage/orders", nil); res.Status != http.StatusNotFound {
		t.Errorf("console page at the public URL: %d", res.Status)
	}
}
