package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/storetest"
)

// A number too large for its field answers the field's own 422 code in
// every module, through the real host and plugin binaries: finance's
// invalid_amount, marketplace's invalid_price and invalid_qty,
// development's invalid_funding, bumdes's invalid_amount; the field is
// named, nothing is stored, and the same field given text stays 400
// invalid_field (sdk/input's range tag, documented in
// docs/writing-a-plugin.md).
func TestNumbersOutOfRange(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		modules := []string{"finance", "marketplace", "development", "bumdes"}
		w := startPlugins(t, b, modules)
		for _, m := range modules {
			w.enable(t, "14.01", m, true)
		}
		expect := func(r *Resp, status int, code, field string) {
			t.Helper()
			r.ExpectErr(status, code)
			if e, _ := r.JSON()["error"].(map[string]any); e["field"] != field {
				t.Errorf("%s names field %v, want %s: %s", code, e["field"], field, r.Body)
			}
		}
		const huge = "99999999999999999999" // over int64's 9223372036854775807

		// finance: a budget line.
		line := `{"lines":[{"section":"income","code":"4.2.1","name":"Dana Desa","amount":AMOUNT}]}`
		for _, a := range []string{huge, "1e30", "1500.5"} {
			expect(w.op.Do(t, "PUT", fin(villageA, "/budgets/2026"), strings.Replace(line, "AMOUNT", a, 1)), 422, "invalid_amount", "lines[0].amount")
		}
		expect(w.op.Do(t, "PUT", fin(villageA, "/budgets/2026"), strings.Replace(line, "AMOUNT", `"banyak"`, 1)), 400, "invalid_field", "lines[0].amount")
		w.op.Do(t, "GET", fin(villageA, "/budgets/2026"), nil).ExpectErr(404, "budget_not_found") // no draft either

		// marketplace: a product's price and an order line's quantity.
		product := `{"seller_id":"0190aaaa-0000-7000-8000-000000000000","name":"Keripik Nenas","category":"food","price":PRICE,"stock":1,"unit":"bungkus"}`
		for _, a := range []string{huge, "1e30", "1500.5"} {
			expect(w.op.Do(t, "POST", mkt(villageA, "/products"), strings.Replace(product, "PRICE", a, 1)), 422, "invalid_price", "price")
		}
		expect(w.op.Do(t, "POST", mkt(villageA, "/products"), strings.Replace(product, "PRICE", `"mahal"`, 1)), 400, "invalid_field", "price")
		expect(w.h.Anon().Do(t, "POST", mkt(villageA, "/orders"), `{"buyer_name":"Siti","phone":"081234567890","items":[{"product_id":"0190aaaa-0000-7000-8000-000000000000","qty":`+huge+`}]}`),
			422, "invalid_qty", "items[0].qty")
		if n := w.op.Do(t, "GET", mkt(villageA, "/products"), nil).Expect(200).Total(); n != 0 {
			t.Errorf("refused products stored: %d", n)
		}

		// development: a funding source's amount, through sdk.Bind alone
		// now (the module's own workaround is gone).
		good, err := json.Marshal(devProject("Jalan Usaha Tani", 0, 90, 150_000_000))
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range []string{huge, "1e30", "1500.5"} {
			expect(w.op.Do(t, "POST", dev(villageA, "/projects"), strings.Replace(string(good), `"amount":150000000`, `"amount":`+a, 1)), 422, "invalid_funding", "funding[0].amount")
		}

		// bumdes: capital and a semester's revenue.
		ent := w.op.Do(t, "POST", bumdesPath(villageA, "/enterprises"), map[string]any{"name": "BUM Desa Kumantan Jaya"}).Expect(201).Str("id")
		unit := w.op.Do(t, "POST", bumdesPath(villageA, "/enterprises/"+ent+"/units"), map[string]any{"type": "toko", "name": "Waserda", "manager_name": "Eka"}).Expect(201).Str("id")
		for _, a := range []string{huge, "1e30", "1500.5"} {
			expect(w.op.Do(t, "POST", bumdesPath(villageA, "/enterprises/"+ent+"/capital"), `{"year":2026,"amount":`+a+`,"source":"desa","date":"2026-03-01"}`), 422, "invalid_amount", "amount")
			expect(w.op.Do(t, "POST", bumdesPath(villageA, "/enterprises/"+ent+"/reports"), `{"unit_id":"`+unit+`","year":2026,"semester":1,"revenue":`+a+`,"costs":1}`), 422, "invalid_amount", "revenue")
		}
		expect(w.op.Do(t, "POST", bumdesPath(villageA, "/enterprises/"+ent+"/capital"), `{"year":2026,"amount":"banyak","source":"desa","date":"2026-03-01"}`), 400, "invalid_field", "amount")
		if n := w.op.Do(t, "GET", bumdesPath(villageA, "/enterprises/"+ent+"/reports"), nil).Expect(200).Total(); n != 0 {
			t.Errorf("refused reports stored: %d", n)
		}
	})
}
