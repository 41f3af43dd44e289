package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk/sdktest"
)

// A number too large (or too precise) for its field is outside the
// field's documented range: 422 with the field's own code, on create,
// correction and progress report alike; a value of the wrong kind stays
// 400 invalid_field.
func TestNumbersOutOfRange(t *testing.T) {
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		h.Tenant(villageA)
		h.Enable(regency)
		op := h.User("op-a", "operator", villageA)
		good, _ := json.Marshal(project("Jalan", "2026-03-01", "2026-08-31"))
		with := func(old, new string) string {
			s := strings.Replace(string(good), old, new, 1)
			if s == string(good) {
				t.Fatalf("%s not in %s", old, good)
			}
			return s
		}
		amount := `"amount":100000000`
		for _, tt := range []struct {
			name, body string
			status     int
			code       string
		}{
			{"amount over int64", with(amount, `"amount":99999999999999999999999`), 422, "invalid_funding"},
			{"amount in exponent", with(amount, `"amount":1e30`), 422, "invalid_funding"},
			{"amount with cents", with(amount, `"amount":1500.5`), 422, "invalid_funding"},
			{"second amount over", with(`"funding":[`, `"funding":[{"source":"add","amount":1e400},`), 422, "invalid_funding"},
			{"year over", with(`"year":2026`, `"year":1e20`), 422, "invalid_year"},
			{"beneficiaries over", with(`"beneficiaries":320`, `"beneficiaries":18446744073709551616`), 422, "invalid_beneficiaries"},
			{"latitude over float", with(`"dusun":"Dusun I"`, `"dusun":"Dusun I","lat":1e999,"lng":101`), 422, "invalid_coordinates"},
			{"amount as text", with(amount, `"amount":"seratus juta"`), 400, "invalid_field"},
			{"amount as list", with(amount, `"amount":[1]`), 400, "invalid_field"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				res := op.Post(villageA, "/projects", tt.body)
				if res.Status != tt.status || string(res.ErrorCode()) != tt.code {
					t.Errorf("%d %s, want %d %s", res.Status, res.Body, tt.status, tt.code)
				}
			})
		}
		var p struct {
			ID string `json:"id"`
		}
		if res := op.Post(villageA, "/projects", string(good)); res.Status != 201 {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		} else {
			res.JSON(&p)
		}
		if res := op.Patch(villageA, "/projects/"+p.ID, `{"funding":[{"source":"dana_desa","amount":1e19}]}`); res.Status != 422 || res.ErrorCode() != "invalid_funding" {
			t.Errorf("correction: %d %s", res.Status, res.Body)
		}
		if res := op.Post(villageA, "/projects/"+p.ID+"/progress", `{"date":"2026-03-02","percent":10,"spent":1e25}`); res.Status != 422 || res.ErrorCode() != "invalid_spent" {
			t.Errorf("progress: %d %s", res.Status, res.Body)
		}
	})
}
