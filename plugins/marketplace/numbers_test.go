package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk/sdktest"
)

// A price, stock, delta or quantity that does not fit a whole number
// (1e30, 99999999999999999999, 1.5) is outside the field's documented
// range: 422 with the field's own code and path; text stays 400
// invalid_field.
func TestNumbersOutOfRange(t *testing.T) {
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		h.Tenant(villageA)
		h.Enable("14.01")
		op := h.User("op-a", "operator", villageA)
		var seller sellerView
		if res := op.Post(villageA, "/sellers", map[string]string{"name": "UMKM Nenas Jaya", "kind": "umkm", "owner_name": "Rahmat", "contact_phone": "0812 7000 1234"}); res.Status != http.StatusCreated {
			t.Fatalf("seller: %d %s", res.Status, res.Body)
		} else {
			res.JSON(&seller)
		}
		product := func(price, stock string) string {
			return `{"seller_id":"` + seller.ID + `","name":"Keripik Nenas","category":"food","price":` + price + `,"stock":` + stock + `,"unit":"bungkus"}`
		}
		var p productView
		if res := op.Post(villageA, "/products", product("15000", "3")); res.Status != http.StatusCreated {
			t.Fatalf("product: %d %s", res.Status, res.Body)
		} else {
			res.JSON(&p)
		}
		for _, tt := range []struct {
			name, method, path, body string
			status                   int
			code, field              string
		}{
			{"price in exponent", "POST", "/products", product("1e30", "3"), 422, "invalid_price", "price"},
			{"price with cents", "POST", "/products", product("15000.5", "3"), 422, "invalid_price", "price"},
			{"price as text", "POST", "/products", product(`"mahal"`, "3"), 400, "invalid_field", "price"},
			{"stock over int64", "POST", "/products", product("15000", "99999999999999999999"), 422, "invalid_stock", "stock"},
			{"patched price over int64", "PATCH", "/products/" + p.ID, `{"price":-99999999999999999999}`, 422, "invalid_price", "price"},
			{"patched stock fraction", "PATCH", "/products/" + p.ID, `{"stock":2.5}`, 422, "invalid_stock", "stock"},
			{"delta in exponent", "POST", "/products/" + p.ID + "/stock", `{"delta":1e19}`, 422, "invalid_delta", "delta"},
			{"order quantity in exponent", "POST", "/orders", `{"buyer_name":"Siti","phone":"081234567890","items":[{"product_id":"` + p.ID + `","qty":1e30}]}`, 422, "invalid_qty", "items[0].qty"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				res := op.Do(tt.method, villageA, tt.path, tt.body)
				if res.Status != tt.status || string(res.ErrorCode()) != tt.code || !strings.Contains(string(res.Body), `"field":"`+tt.field+`"`) {
					t.Errorf("%d %s, want %d %s at %s", res.Status, res.Body, tt.status, tt.code, tt.field)
				}
			})
		}
	})
}
