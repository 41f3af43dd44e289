package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
)

func mkt(tenant, path string) string { return p(tenant, "marketplace", path) }

// marketWorld is the plugin world with the marketplace enabled in Kampar.
type marketWorld struct {
	*pluginWorld
	t *testing.T
}

func startMarket(t *testing.T, b storetest.Backend) *marketWorld {
	t.Helper()
	w := startPlugins(t, b, []string{"marketplace"})
	w.enable(t, "14.01", "marketplace", true)
	return &marketWorld{pluginWorld: w, t: t}
}

// seller registers a seller in village as c and returns its id.
func (m *marketWorld) seller(c *Client, village, name string) string {
	m.t.Helper()
	return c.Do(m.t, "POST", mkt(village, "/sellers"), map[string]any{"name": name, "kind": "umkm", "owner_name": "Pemilik " + name}).Expect(201).Str("id")
}

// product lists a product in village as c and returns its id.
func (m *marketWorld) product(c *Client, village, seller, name, category string, price, stock int) string {
	m.t.Helper()
	return c.Do(m.t, "POST", mkt(village, "/products"), map[string]any{
		"seller_id": seller, "name": name, "category": category, "price": price, "stock": stock, "description": "Produk " + name,
	}).Expect(201).Str("id")
}

// stock reads a product's stock as its village operator sees it.
func (m *marketWorld) stock(c *Client, village, id string) int {
	m.t.Helper()
	n, _ := c.Do(m.t, "GET", mkt(village, "/products/"+id), nil).Expect(200).JSON()["stock"].(float64)
	return int(n)
}

func order(name, phone string, items ...map[string]any) map[string]any {
	return map[string]any{"buyer_name": name, "phone": phone, "items": items}
}

func line(product string, qty int) map[string]any {
	return map[string]any{"product_id": product, "qty": qty}
}

// rawPost posts from any goroutine: it reports failures instead of
// failing the test, which only the test's goroutine may do.
func rawPost(url string, body any) (int, []byte, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return 0, nil, err
	}
	res, err := http.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	return res.StatusCode, data, err
}

func errCode(body []byte) string {
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	json.Unmarshal(body, &e)
	return e.Error.Code
}

// dbCount counts rows straight in the database, to prove that refused
// input wrote nothing.
func dbCount(t *testing.T, h *Host, table, where string, args ...any) int64 {
	t.Helper()
	db, err := store.Open(store.Options{URL: h.DBURL, DataDir: h.DataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int64
	q := db.Table(table)
	if where != "" {
		q = q.Where(where, args...)
	}
	if err := q.Count(&n).Error; err != nil {
		t.Fatalf("counting %s: %v", table, err)
	}
	return n
}

// eventPayloads reads the payloads of the events a plugin published.
func eventPayloads(t *testing.T, h *Host, plugin string) []string {
	t.Helper()
	db, err := store.Open(store.Options{URL: h.DBURL, DataDir: h.DataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var payloads [][]byte
	if err := db.Table("events").Where("plugin = ?", plugin).Order("id").Pluck("payload", &payloads).Error; err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(payloads))
	for i, p := range payloads {
		out[i] = string(p)
	}
	return out
}

// Twenty buyers race for ten items: exactly ten get one, on both databases.
func TestMarketplaceNoOversell(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		m := startMarket(t, b)
		s := m.seller(m.op, villageA, "BUMDes Kumantan Sejahtera")
		prod := m.product(m.op, villageA, s, "Madu Hutan", "herbal", 85000, 10)

		const buyers = 20
		type answer struct {
			status int
			body   []byte
			err    error
		}
		answers := make([]answer, buyers)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range buyers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				st, body, err := rawPost(m.h.URL+mkt(villageA, "/orders"), order(fmt.Sprintf("Pembeli %d", i), fmt.Sprintf("0812%08d", i), line(prod, 1)))
				answers[i] = answer{st, body, err}
			}()
		}
		close(start)
		wg.Wait()
		var codes []string
		refused := 0
		for i, a := range answers {
			switch {
			case a.err != nil:
				t.Fatalf("buyer %d: %v", i, a.err)
			case a.status == 201:
				var o struct{ Code, State string }
				json.Unmarshal(a.body, &o)
				if o.Code == "" || o.State != "new" {
					t.Errorf("buyer %d: 201 without code or state: %s", i, a.body)
				}
				codes = append(codes, o.Code)
			case a.status == 409 && errCode(a.body) == "out_of_stock" && strings.Contains(string(a.body), "Madu Hutan"):
				refused++
			default:
				t.Errorf("buyer %d: %d %s", i, a.status, a.body)
			}
		}
		if len(codes) != 10 || refused != 10 {
			t.Fatalf("%d orders taken and %d refused, want 10 and 10", len(codes), refused)
		}
		if n := m.stock(m.op, villageA, prod); n != 0 {
			t.Fatalf("stock after the rush: %d, want 0", n)
		}
		if n := m.op.Do(t, "GET", mkt(villageA, "/orders?state=new"), nil).Expect(200).Total(); n != 10 {
			t.Errorf("%d new orders listed, want 10", n)
		}
		if n := dbCount(t, m.h, "events", "name = ?", "marketplace.order_placed"); n != 10 {
			t.Errorf("%d order_placed events, want 10", n)
		}
		// Cancelling one returns its item, once.
		m.op.Do(t, "POST", mkt(villageA, "/orders/"+codes[0]+"/cancel"), map[string]string{"reason": "pembeli membatalkan"}).Expect(200)
		m.op.Do(t, "POST", mkt(villageA, "/orders/"+codes[0]+"/cancel"), nil).ExpectErr(409, "invalid_transition")
		if n := m.stock(m.op, villageA, prod); n != 1 {
			t.Fatalf("stock after one cancel: %d, want 1", n)
		}
		// The returned item can be bought again, and only once.
		m.h.Anon().Do(t, "POST", mkt(villageA, "/orders"), order("Pembeli Baru", "081399990000", line(prod, 1))).Expect(201)
		m.h.Anon().Do(t, "POST", mkt(villageA, "/orders"), order("Terlambat", "081399990001", line(prod, 1))).ExpectErr(409, "out_of_stock")
	})
}

// Orders naming the same two products in opposite orders, all at once:
// none deadlocks or fails oddly, and every product's stock is exactly its
// start less what the accepted orders took, so an order refused on its
// second product gave back what it had reserved of the first.
func TestMarketplaceMultiProductOrdersStayConsistent(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		m := startMarket(t, b)
		s := m.seller(m.op, villageA, "UMKM Dua Produk")
		p1 := m.product(m.op, villageA, s, "Kopi Bubuk", "drinks", 20000, 12)
		p2 := m.product(m.op, villageA, s, "Gula Aren", "food", 15000, 7)
		const buyers = 16
		type answer struct {
			status     int
			body       []byte
			err        error
			qty1, qty2 int
		}
		answers := make([]answer, buyers)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range buyers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				q1, q2 := 1+i%2, 1
				items := []map[string]any{line(p1, q1), line(p2, q2)}
				if i%2 == 1 {
					items[0], items[1] = items[1], items[0]
				}
				<-start
				st, body, err := rawPost(m.h.URL+mkt(villageA, "/orders"), order("Pembeli", fmt.Sprintf("0857%08d", i), items...))
				answers[i] = answer{st, body, err, q1, q2}
			}()
		}
		close(start)
		wg.Wait()
		took1, took2, accepted := 0, 0, 0
		for i, a := range answers {
			switch {
			case a.err != nil:
				t.Fatalf("buyer %d: %v", i, a.err)
			case a.status == 201:
				var o struct{ Total float64 }
				json.Unmarshal(a.body, &o)
				if int(o.Total) != a.qty1*20000+a.qty2*15000 {
					t.Errorf("buyer %d: total %v for %d and %d", i, o.Total, a.qty1, a.qty2)
				}
				took1 += a.qty1
				took2 += a.qty2
				accepted++
			case a.status == 409 && errCode(a.body) == "out_of_stock":
			default:
				t.Errorf("buyer %d: %d %s", i, a.status, a.body)
			}
		}
		if accepted == 0 {
			t.Fatal("no order was accepted")
		}
		if took1 > 12 || took2 > 7 {
			t.Errorf("oversold: %d of 12 coffee and %d of 7 sugar taken", took1, took2)
		}
		if got := m.stock(m.op, villageA, p1); got != 12-took1 {
			t.Errorf("coffee stock %d, want %d (12 less %d in %d accepted orders)", got, 12-took1, took1, accepted)
		}
		if got := m.stock(m.op, villageA, p2); got != 7-took2 {
			t.Errorf("sugar stock %d, want %d (7 less %d)", got, 7-took2, took2)
		}
		if n := dbCount(t, m.h, "p_marketplace_orders", ""); n != int64(accepted) {
			t.Errorf("%d orders stored, %d accepted", n, accepted)
		}
	})
}

func TestMarketplaceCatalogue(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		m := startMarket(t, b)
		anon := m.h.Anon()
		sA := m.seller(m.op, villageA, "UMKM Nenas Kumantan")
		sB := m.seller(m.opB, villageB, "BUMDes Batu Belah")
		m.product(m.op, villageA, sA, "Keripik Nenas", "food", 15000, 40)
		m.product(m.op, villageA, sA, "Dodol Nenas", "food", 25000, 0)
		delisted := m.product(m.op, villageA, sA, "Selai Nenas Lama", "food", 20000, 5)
		m.product(m.opB, villageB, sB, "Anyaman Pandan", "crafts", 75000, 3)
		m.product(m.opB, villageB, sB, "Ikan Salai Patin", "fishery", 60000, 8)
		m.op.Do(t, "PATCH", mkt(villageA, "/products/"+delisted), map[string]any{"listed": false}).Expect(200)

		names := func(r *Resp) []string {
			var out []string
			for _, it := range r.Items() {
				out = append(out, it["name"].(string))
			}
			return out
		}
		// The district's mall, without a login: both villages, named, with
		// the seller's name, delisted products left out.
		r := anon.Do(t, "GET", mkt("14.01", "/products?sort=name"), nil).Expect(200)
		if got := strings.Join(names(r), ","); got != "Anyaman Pandan,Dodol Nenas,Ikan Salai Patin,Keripik Nenas" || r.Total() != 4 {
			t.Errorf("district catalogue by name: %s (total %d)", got, r.Total())
		}
		villages := map[string]string{}
		for _, it := range r.Items() {
			v := it["village"].(map[string]any)
			villages[v["code"].(string)] = v["name"].(string)
			if seller := it["seller"].(map[string]any); !strings.HasPrefix(seller["name"].(string), "UMKM") && !strings.HasPrefix(seller["name"].(string), "BUMDes") {
				t.Errorf("item %v has no seller name", it["name"])
			}
		}
		if villages[villageA] != "Kumantan" || villages[villageB] != "Batu Belah" {
			t.Errorf("villages named %v", villages)
		}
		// village= narrows the district's mall; the sub-district has only its own.
		if got := strings.Join(names(anon.Do(t, "GET", mkt("14.01", "/products?sort=name&village="+villageB), nil).Expect(200)), ","); got != "Anyaman Pandan,Ikan Salai Patin" {
			t.Errorf("village=%s: %s", villageB, got)
		}
		if got := strings.Join(names(anon.Do(t, "GET", mkt("14.01.01", "/products?sort=name"), nil).Expect(200)), ","); got != "Dodol Nenas,Keripik Nenas" {
			t.Errorf("sub-district 14.01.01: %s", got)
		}
		anon.Do(t, "GET", mkt("14.01", "/products?village="+villageP), nil).ExpectErr(400, "invalid_village")
		// Sorting, search, category, in_stock, paging.
		if got := strings.Join(names(anon.Do(t, "GET", mkt("14.01", "/products?sort=-price"), nil).Expect(200)), ","); got != "Anyaman Pandan,Ikan Salai Patin,Dodol Nenas,Keripik Nenas" {
			t.Errorf("sort=-price: %s", got)
		}
		if got := strings.Join(names(anon.Do(t, "GET", mkt("14.01", "/products?sort=price"), nil).Expect(200)), ","); got != "Keripik Nenas,Dodol Nenas,Ikan Salai Patin,Anyaman Pandan" {
			t.Errorf("sort=price: %s", got)
		}
		if got := strings.Join(names(anon.Do(t, "GET", mkt("14.01", "/products?q=NENAS&sort=name"), nil).Expect(200)), ","); got != "Dodol Nenas,Keripik Nenas" {
			t.Errorf("q=NENAS: %s", got)
		}
		if got := strings.Join(names(anon.Do(t, "GET", mkt("14.01", "/products?category=fishery"), nil).Expect(200)), ","); got != "Ikan Salai Patin" {
			t.Errorf("category=fishery: %s", got)
		}
		if n := anon.Do(t, "GET", mkt("14.01", "/products?in_stock=true"), nil).Expect(200).Total(); n != 3 {
			t.Errorf("in_stock=true: %d, want 3", n)
		}
		if r := anon.Do(t, "GET", mkt("14.01", "/products?sort=name&limit=3&page=2"), nil).Expect(200); r.Total() != 4 || strings.Join(names(r), ",") != "Keripik Nenas" {
			t.Errorf("page 2: %s (total %d)", names(r), r.Total())
		}
		anon.Do(t, "GET", mkt("14.01", "/products?sort=cheapest"), nil).ExpectErr(400, "invalid_sort")
		anon.Do(t, "GET", mkt("14.01", "/products?category=weapons"), nil).ExpectErr(400, "invalid_category")
		// A delisted product is gone for the public, there for its operator.
		anon.Do(t, "GET", mkt(villageA, "/products/"+delisted), nil).ExpectErr(404, "product_not_found")
		m.op.Do(t, "GET", mkt(villageA, "/products/"+delisted), nil).Expect(200)
		anon.Do(t, "GET", mkt(villageA, "/products?listed=false"), nil).ExpectErr(403, "forbidden")
		if got := strings.Join(names(m.op.Do(t, "GET", mkt(villageA, "/products?listed=false"), nil).Expect(200)), ","); got != "Selai Nenas Lama" {
			t.Errorf("operator's delisted products: %s", got)
		}
		anon.Do(t, "POST", mkt(villageA, "/orders"), order("Siti", "081234567890", line(delisted, 1))).ExpectErr(409, "product_unavailable")
		// Sellers are public too, without their owners' names.
		sellers := anon.Do(t, "GET", mkt("14.01", "/sellers"), nil).Expect(200)
		if sellers.Total() != 2 || strings.Contains(string(sellers.Body), "Pemilik") {
			t.Errorf("public sellers: %s", sellers.Body)
		}
		if !strings.Contains(string(m.op.Do(t, "GET", mkt(villageA, "/sellers/"+sA), nil).Expect(200).Body), "Pemilik") {
			t.Error("the operator does not see the seller's owner")
		}
		// A sub-district that switches the module off leaves the district's mall.
		m.enable(t, "14.01.02", "marketplace", false)
		if got := strings.Join(names(anon.Do(t, "GET", mkt("14.01", "/products?sort=name"), nil).Expect(200)), ","); got != "Dodol Nenas,Keripik Nenas" {
			t.Errorf("after Kampar sub-district disabled it: %s", got)
		}
		anon.Do(t, "GET", mkt(villageB, "/products"), nil).ExpectErr(404, "module_not_enabled")
	})
}

func TestMarketplacePhotos(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		m := startMarket(t, b)
		s := m.seller(m.op, villageA, "UMKM Foto")
		prod := m.product(m.op, villageA, s, "Tas Rotan", "crafts", 120000, 2)
		upload := func(c *Client, body []byte) *Resp {
			return c.Do(t, "POST", mkt(villageA, "/products/"+prod+"/photos"), body)
		}
		png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), bytes.Repeat([]byte{7}, 4000)...)
		ph := upload(m.op, png).Expect(201).JSON()
		if ph["content_type"] != "image/png" || ph["size"] != float64(len(png)) {
			t.Errorf("stored photo %v", ph)
		}
		// Anyone fetches it, byte for byte, as the type sniffed.
		got := m.h.Anon().Do(t, "GET", ph["url"].(string), nil).Expect(200)
		if !bytes.Equal(got.Body, png) || got.Header.Get("Content-Type") != "image/png" || got.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("photo served as %q (%d bytes)", got.Header.Get("Content-Type"), len(got.Body))
		}
		// Browsers revalidate by the content's hash.
		req, _ := http.NewRequest("GET", m.h.URL+ph["url"].(string), nil)
		req.Header.Set("If-None-Match", got.Header.Get("ETag"))
		if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusNotModified {
			t.Errorf("revalidating the photo: %v %v", err, res)
		} else {
			res.Body.Close()
		}
		if photos := m.h.Anon().Do(t, "GET", mkt("14.01", "/products"), nil).Expect(200).Items()[0]["photos"].([]any); len(photos) != 1 {
			t.Errorf("catalogue item photos %v", photos)
		}
		// Whatever is not an image is refused, whatever it claims to be.
		elf := append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 600)...)
		zip := append([]byte("PK\x03\x04\x14\x00\x00\x00"), make([]byte, 600)...)
		svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
		for name, body := range map[string][]byte{"text": []byte("bukan foto, hanya teks"), "ELF": elf, "zip": zip, "SVG": svg} {
			r := upload(m.op, body)
			if r.Status != 415 || r.ErrCode() != "not_an_image" {
				t.Errorf("%s as a photo: %d %s", name, r.Status, r.Body)
			}
		}
		// Over 5 MiB is refused: by the plugin just over, by the host well over.
		over := append(append([]byte{}, png...), make([]byte, 5<<20)...)
		upload(m.op, over).ExpectErr(413, "photo_too_large")
		upload(m.op, append(over, make([]byte, 2<<20)...)).ExpectErr(413, "body_too_large")
		// A chunked upload, whose size is not known beforehand, is held
		// to the same limit.
		req, _ = http.NewRequest("POST", m.h.URL+mkt(villageA, "/products/"+prod+"/photos"), io.MultiReader(bytes.NewReader(over), bytes.NewReader(make([]byte, 2<<20))))
		req.Header.Set("Authorization", "Bearer "+m.op.Token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		chunked, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 413 {
			t.Errorf("chunked upload over the limit: %d %s", res.StatusCode, chunked)
		}
		// Others may not add photos; nothing refused was kept.
		upload(m.opB, png).ExpectErr(403, "forbidden")
		upload(m.viewer, png).ExpectErr(403, "forbidden")
		if n := dbCount(t, m.h, "files", "plugin = ?", "marketplace"); n != 1 {
			t.Errorf("%d files stored, want only the one photo", n)
		}
		// Deleting removes it from the product and from storage.
		m.op.Do(t, "DELETE", mkt(villageA, "/products/"+prod+"/photos/"+ph["id"].(string)), nil).Expect(204)
		m.h.Anon().Do(t, "GET", ph["url"].(string), nil).ExpectErr(404, "photo_not_found")
		if n := dbCount(t, m.h, "files", "plugin = ?", "marketplace"); n != 0 {
			t.Errorf("%d files left after delete", n)
		}
	})
}

func TestMarketplaceOrderLifecycleAndAccess(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		m := startMarket(t, b)
		anon := m.h.Anon()
		s := m.seller(m.op, villageA, "UMKM Kue")
		prod := m.product(m.op, villageA, s, "Bolu Kemojo", "food", 30000, 10)
		// Lines of the same product are merged; the total is the server's.
		placed := anon.Do(t, "POST", mkt(villageA, "/orders"), order("Siti Aminah", "+62 813 1111 2222", line(prod, 2), line(prod, 1))).Expect(201)
		o := placed.JSON()
		code := o["code"].(string)
		items := o["items"].([]any)
		if o["total"] != float64(90000) || len(items) != 1 || items[0].(map[string]any)["qty"] != float64(3) {
			t.Errorf("placed order %s", placed.Body)
		}
		if len(code) < 20 || strings.Contains(string(placed.Body), "8131111") || strings.Contains(string(placed.Body), "Aminah") {
			t.Errorf("the buyer's answer shows code %q, or the phone or name unmasked: %s", code, placed.Body)
		}
		// A later price change does not change the order.
		m.op.Do(t, "PATCH", mkt(villageA, "/products/"+prod), map[string]any{"price": 35000}).Expect(200)
		// The buyer follows it without a login, masked.
		pub := anon.Do(t, "GET", mkt(villageA, "/orders/"+code), nil).Expect(200).JSON()
		if pub["phone"] != "+62**********2" || pub["buyer_name"] != "Si********h" || pub["address"] != nil || pub["masked"] != true || pub["total"] != float64(90000) || pub["state"] != "new" {
			t.Errorf("public order page %v", pub)
		}
		anon.Do(t, "GET", mkt(villageA, "/orders/"+strings.Repeat("A", 20)), nil).ExpectErr(404, "order_not_found")
		// Operators of another village can neither see nor move it.
		m.opB.Do(t, "POST", mkt(villageA, "/orders/"+code+"/confirm"), nil).ExpectErr(403, "forbidden")
		m.opB.Do(t, "POST", mkt(villageB, "/orders/"+code+"/confirm"), nil).ExpectErr(404, "order_not_found")
		m.opB.Do(t, "GET", mkt(villageA, "/orders"), nil).ExpectErr(403, "forbidden")
		anon.Do(t, "GET", mkt(villageA, "/orders"), nil).ExpectErr(401, "unauthenticated")
		anon.Do(t, "POST", mkt(villageA, "/orders/"+code+"/confirm"), nil).ExpectErr(401, "unauthenticated")
		m.viewer.Do(t, "POST", mkt(villageA, "/orders/"+code+"/confirm"), nil).ExpectErr(403, "forbidden")
		// A viewer lists orders masked; the operator sees the buyer, audited.
		if v := m.viewer.Do(t, "GET", mkt(villageA, "/orders"), nil).Expect(200).Items()[0]; v["phone"] != "+62**********2" {
			t.Errorf("viewer sees phone %v", v["phone"])
		}
		full := m.op.Do(t, "GET", mkt(villageA, "/orders?state=new"), nil).Expect(200).Items()
		if len(full) != 1 || full[0]["phone"] != "+6281311112222" || full[0]["buyer_name"] != "Siti Aminah" {
			t.Errorf("operator's list %v", full)
		}
		// Invalid moves are refused; valid ones go through, with their times.
		m.op.Do(t, "POST", mkt(villageA, "/orders/"+code+"/ship"), nil).ExpectErr(409, "invalid_transition")
		m.op.Do(t, "POST", mkt(villageA, "/orders/"+code+"/complete"), nil).ExpectErr(409, "invalid_transition")
		m.op.Do(t, "POST", mkt(villageA, "/orders/"+code+"/confirm"), nil).Expect(200)
		m.op.Do(t, "POST", mkt(villageA, "/orders/"+code+"/ship"), nil).Expect(200)
		m.op.Do(t, "POST", mkt(villageA, "/orders/"+code+"/cancel"), nil).ExpectErr(409, "invalid_transition")
		// The district's admin may manage the village's orders too.
		done := m.district.Do(t, "POST", mkt(villageA, "/orders/"+code+"/complete"), nil).Expect(200).JSON()
		for _, f := range []string{"placed_at", "confirmed_at", "shipped_at", "completed_at"} {
			if done[f] == nil {
				t.Errorf("completed order lacks %s: %v", f, done)
			}
		}
		if done["state"] != "completed" || done["total"] != float64(90000) || done["cancelled_at"] != nil {
			t.Errorf("completed order %v", done)
		}
		if n := m.stock(m.op, villageA, prod); n != 7 {
			t.Errorf("stock after a completed order of 3: %d, want 7", n)
		}
		// Every move and every full read is in the audit trail; events
		// tell other modules without the buyer's data.
		audit := m.admin.Do(t, "GET", "/api/v1/audit?action=marketplace.*", nil).Expect(200)
		for _, want := range []string{"marketplace.orders.confirm", "marketplace.orders.ship", "marketplace.orders.complete", "marketplace.personal.read", "kampar-admin", "op-a"} {
			if !strings.Contains(string(audit.Body), want) {
				t.Errorf("audit trail lacks %s", want)
			}
		}
		if strings.Contains(string(audit.Body), "8131111") {
			t.Error("the audit trail holds the phone number")
		}
		for _, ev := range []string{"order_placed", "order_confirmed", "order_shipped", "order_completed"} {
			if n := dbCount(t, m.h, "events", "name = ? AND tenant = ?", "marketplace."+ev, villageA); n != 1 {
				t.Errorf("%d %s events, want 1", n, ev)
			}
		}
		for _, payload := range eventPayloads(t, m.h, "marketplace") {
			if strings.Contains(payload, "8131111") || strings.Contains(payload, "Siti") || strings.Contains(payload, code) {
				t.Errorf("an event carries the buyer's data or the order's code: %s", payload)
			}
		}
		// Orders are placed at the village that sells.
		anon.Do(t, "POST", mkt("14.01", "/orders"), order("Siti", "081234567890", line(prod, 1))).ExpectErr(422, "not_a_village")
		anon.Do(t, "POST", mkt(villageA2, "/orders"), order("Siti", "081234567890", line(prod, 1))).ExpectErr(422, "unknown_product")
	})
}

// Refused input leaves every table as it was.
func TestMarketplaceBadInputWritesNothing(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		m := startMarket(t, b)
		s := m.seller(m.op, villageA, "UMKM Awal")
		sB := m.seller(m.opB, villageB, "UMKM Tetangga")
		prod := m.product(m.op, villageA, s, "Beras Lokal", "agriculture", 14000, 5)
		snapshot := func() string {
			var parts []string
			for _, table := range []string{"p_marketplace_sellers", "p_marketplace_products", "p_marketplace_orders", "events", "files"} {
				parts = append(parts, fmt.Sprintf("%s=%d", table, dbCount(t, m.h, table, "")))
			}
			return strings.Join(parts, " ") + fmt.Sprintf(" stock=%d", m.stock(m.op, villageA, prod))
		}
		before := snapshot()
		productBody := func(change map[string]any) map[string]any {
			body := map[string]any{"seller_id": s, "name": "Telur Ayam", "category": "livestock", "price": 2000, "stock": 30}
			for k, v := range change {
				if v == nil {
					delete(body, k)
				} else {
					body[k] = v
				}
			}
			return body
		}
		anon := m.h.Anon()
		tests := []struct {
			name   string
			c      *Client
			method string
			path   string
			body   any
			status int
			code   string
		}{
			{"negative price", m.op, "POST", "/products", productBody(map[string]any{"price": -2000}), 422, "invalid_price"},
			{"zero price", m.op, "POST", "/products", productBody(map[string]any{"price": 0}), 422, "invalid_price"},
			{"fractional price", m.op, "POST", "/products", productBody(map[string]any{"price": 2000.5}), 422, "invalid_price"},
			{"price as text", m.op, "POST", "/products", productBody(map[string]any{"price": "2000"}), 400, "invalid_field"},
			{"negative stock", m.op, "POST", "/products", productBody(map[string]any{"stock": -1}), 422, "invalid_stock"},
			{"no stock", m.op, "POST", "/products", productBody(map[string]any{"stock": nil}), 422, "invalid_stock"},
			{"unknown seller", m.op, "POST", "/products", productBody(map[string]any{"seller_id": "0190aaaa-0000-7000-8000-000000000000"}), 422, "unknown_seller"},
			{"seller of another village", m.op, "POST", "/products", productBody(map[string]any{"seller_id": sB}), 422, "unknown_seller"},
			{"unknown category", m.op, "POST", "/products", productBody(map[string]any{"category": "senjata"}), 422, "invalid_category"},
			{"unknown product field", m.op, "POST", "/products", productBody(map[string]any{"discount": 10}), 400, "unknown_field"},
			{"product at the district", m.district, "POST", "/products@14.01", productBody(nil), 422, "not_a_village"},
			{"operator of another village adds a product", m.opB, "POST", "/products", productBody(nil), 403, "forbidden"},
			{"viewer adds a product", m.viewer, "POST", "/products", productBody(nil), 403, "forbidden"},
			{"anonymous adds a product", anon, "POST", "/products", productBody(nil), 401, "unauthenticated"},
			{"seller without a kind", m.op, "POST", "/sellers", map[string]any{"name": "X"}, 422, "invalid_kind"},
			{"seller with a bad phone", m.op, "POST", "/sellers", map[string]any{"name": "X", "kind": "umkm", "contact_phone": "12"}, 422, "invalid_contact_phone"},
			{"unknown seller field", m.op, "POST", "/sellers", map[string]any{"name": "X", "kind": "umkm", "nik": "1401011503800001"}, 400, "unknown_field"},
			{"operator of another village adds a seller", m.opB, "POST", "/sellers", map[string]any{"name": "X", "kind": "umkm"}, 403, "forbidden"},
			{"negative price by patch", m.op, "PATCH", "/products/" + prod, map[string]any{"price": -1}, 422, "invalid_price"},
			{"moving a product to another seller", m.op, "PATCH", "/products/" + prod, map[string]any{"seller_id": sB}, 400, "unknown_field"},
			{"empty patch", m.op, "PATCH", "/products/" + prod, map[string]any{}, 422, "empty_patch"},
			{"stock below zero", m.op, "POST", "/products/" + prod + "/stock", map[string]any{"delta": -6}, 409, "insufficient_stock"},
			{"qty 0", anon, "POST", "/orders", order("Siti", "081234567890", line(prod, 0)), 422, "invalid_qty"},
			{"negative qty", anon, "POST", "/orders", order("Siti", "081234567890", line(prod, -2)), 422, "invalid_qty"},
			{"qty over the bound", anon, "POST", "/orders", order("Siti", "081234567890", line(prod, 101)), 422, "invalid_qty"},
			{"no items", anon, "POST", "/orders", order("Siti", "081234567890"), 422, "invalid_items"},
			{"items null", anon, "POST", "/orders", map[string]any{"buyer_name": "Siti", "phone": "081234567890"}, 422, "invalid_items"},
			{"bad phone", anon, "POST", "/orders", order("Siti", "021-555-1234", line(prod, 1)), 422, "invalid_phone"},
			{"no buyer name", anon, "POST", "/orders", order(" ", "081234567890", line(prod, 1)), 422, "invalid_buyer_name"},
			{"unknown product", anon, "POST", "/orders", order("Siti", "081234567890", line("0190aaaa-0000-7000-8000-000000000000", 1)), 422, "unknown_product"},
			{"more than in stock", anon, "POST", "/orders", order("Siti", "081234567890", line(prod, 6)), 409, "out_of_stock"},
			{"unknown order field", anon, "POST", "/orders", map[string]any{"buyer_name": "Siti", "phone": "081234567890", "items": []any{line(prod, 1)}, "total": 1}, 400, "unknown_field"},
			{"unknown line field", anon, "POST", "/orders", order("Siti", "081234567890", map[string]any{"product_id": prod, "qty": 1, "price": 1}), 400, "unknown_field"},
			{"malformed JSON", anon, "POST", "/orders", `{"buyer_name":`, 400, "malformed_json"},
			{"two JSON objects", anon, "POST", "/orders", `{"buyer_name":"a"} {}`, 400, "malformed_json"},
			{"order of a text phone", anon, "POST", "/orders", map[string]any{"buyer_name": "Siti", "phone": 81234567890, "items": []any{line(prod, 1)}}, 400, "invalid_field"},
		}
		for _, tt := range tests {
			path, tenant := tt.path, villageA
			if before, after, ok := strings.Cut(path, "@"); ok {
				path, tenant = before, after
			}
			r := tt.c.Do(t, tt.method, mkt(tenant, path), tt.body)
			if r.Status != tt.status || r.ErrCode() != tt.code {
				t.Errorf("%s: %d %s, want %d %s", tt.name, r.Status, r.Body, tt.status, tt.code)
			}
		}
		if after := snapshot(); after != before {
			t.Errorf("refused input changed the data:\nbefore %s\nafter  %s", before, after)
		}
	})
}
