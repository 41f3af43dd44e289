package main

import (
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk/sdktest"
)

// An amount too large for any rupiah figure, or with cents, is outside
// the field's documented range: 422 invalid_amount (totals_mismatch for a
// declared total) with the field's path, as for 10^12 + 1; a value of the
// wrong kind stays 400 invalid_field.
func TestNumbersOutOfRange(t *testing.T) {
	clock := sdktest.NewClock(time.Date(2026, 7, 15, 3, 0, 0, 0, time.UTC))
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		h.Tenant(villageA)
		h.Enable("14.01")
		op := h.User("op-a", "operator", villageA)
		head := h.User("kades-a", "admin", villageA)
		line := `{"section":"income","code":"4.2.1","name":"Dana Desa","amount":AMOUNT}`
		for _, tt := range []struct {
			name, body  string
			status      int
			code, field string
		}{
			{"line amount over int64", `{"lines":[` + strings.Replace(line, "AMOUNT", "99999999999999999999", 1) + `]}`, 422, "invalid_amount", "lines[0].amount"},
			{"line amount in exponent", `{"lines":[` + strings.Replace(line, "AMOUNT", "1", 1) + `,` + strings.Replace(line, "AMOUNT", "1e30", 1) + `]}`, 422, "invalid_amount", "lines[1].amount"},
			{"line amount with cents", `{"lines":[` + strings.Replace(line, "AMOUNT", "1500.5", 1) + `]}`, 422, "invalid_amount", "lines[0].amount"},
			{"line amount just over the limit", `{"lines":[` + strings.Replace(line, "AMOUNT", "1000000000001", 1) + `]}`, 422, "invalid_amount", "lines[0].amount"},
			{"total over int64", `{"lines":[` + strings.Replace(line, "AMOUNT", "1", 1) + `],"totals":{"income":1e19}}`, 422, "totals_mismatch", "totals.income"},
			{"line amount as text", `{"lines":[` + strings.Replace(line, "AMOUNT", `"banyak"`, 1) + `]}`, 400, "invalid_field", "lines[0].amount"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				res := op.Put(villageA, "/budgets/2026", tt.body)
				if res.Status != tt.status || string(res.ErrorCode()) != tt.code || !strings.Contains(string(res.Body), `"field":"`+tt.field+`"`) {
					t.Errorf("%d %s, want %d %s at %s", res.Status, res.Body, tt.status, tt.code, tt.field)
				}
			})
		}
		if res := op.Put(villageA, "/budgets/2026", map[string]any{"lines": balanced()}); res.Status != 200 {
			t.Fatalf("draft: %d %s", res.Status, res.Body)
		}
		if res := head.Post(villageA, "/budgets/2026/approve", map[string]string{"perdes_number": "Perdes No. 1 Tahun 2026", "perdes_date": "2026-01-05"}); res.Status != 200 {
			t.Fatalf("approve: %d %s", res.Status, res.Body)
		}
		entry := `{"section":"income","code":"4.2.1","date":"2026-04-01","amount":AMOUNT,"description":"Dana Desa tahap I"}`
		for amount, want := range map[string]string{"1e30": "invalid_amount", "-99999999999999999999": "invalid_amount", "400000000.5": "invalid_amount", `"empat ratus juta"`: "invalid_field"} {
			if res := op.Post(villageA, "/budgets/2026/realisations", strings.Replace(entry, "AMOUNT", amount, 1)); string(res.ErrorCode()) != want {
				t.Errorf("realisation of %s: %d %s, want %s", amount, res.Status, res.Body, want)
			}
		}
	}, sdktest.WithClock(clock.Now))
}
