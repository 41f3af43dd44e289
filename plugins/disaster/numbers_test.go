package main

import (
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk/sdktest"
)

// A count, quantity or coordinate that does not fit its field (1e30,
// 2.5 people, 1e400 degrees) is outside the field's range: 422 with its
// own code and the field named; text stays 400 invalid_field.
func TestNumbersOutOfRange(t *testing.T) {
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		h.Tenant(villageA)
		h.Enable(regency)
		op := h.User("op-a", "operator", villageA)
		const id = "0190aaaa-0000-7000-8000-000000000000" // the body is read before the report
		for _, tt := range []struct {
			name  string
			res   *sdktest.Response
			code  string
			field string
		}{
			{"dead in exponent", op.Put(villageA, "/reports/"+id+"/impact", `{"dead":1e30}`), "invalid_impact", "dead"},
			{"displaced fraction", op.Put(villageA, "/reports/"+id+"/impact", `{"displaced":2.5}`), "invalid_impact", "displaced"},
			{"houses over int64", op.Put(villageA, "/reports/"+id+"/impact", `{"houses_heavy":99999999999999999999}`), "invalid_impact", "houses_heavy"},
			{"quantity in exponent", op.Post(villageA, "/reports/"+id+"/log", `{"kind":"need","text":"Beras","quantity":1e19,"unit":"kg"}`), "invalid_impact", "quantity"},
			{"longitude over float", op.Post(villageA, "/reports", `{"type":"flood","occurred_at":"2026-12-01T08:00:00+07:00","description":"Sungai meluap, rumah tergenang","latitude":0.3,"longitude":1e400}`), "invalid_coordinates", "longitude"},
			{"dead as text", op.Put(villageA, "/reports/"+id+"/impact", `{"dead":"satu"}`), "invalid_field", "dead"},
		} {
			want := 422
			if tt.code == "invalid_field" {
				want = 400
			}
			if tt.res.Status != want || string(tt.res.ErrorCode()) != tt.code || !strings.Contains(string(tt.res.Body), `"field":"`+tt.field+`"`) {
				t.Errorf("%s: %d %s, want %d %s at %s", tt.name, tt.res.Status, tt.res.Body, want, tt.code, tt.field)
			}
		}
	})
}
