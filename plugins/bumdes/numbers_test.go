package main

import (
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// A figure, amount, year or semester that does not fit a whole number
// (1e30, 99999999999999999999, 1500.5) answers its field's 422 code with
// the field named; text stays 400 invalid_field.
func TestNumbersOutOfRange(t *testing.T) {
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		setup(t, h)
		op := h.User("op-a", "operator", villageA)
		var ent EnterpriseView
		must(t, op.Post(villageA, "/enterprises", map[string]any{"name": "BUM Desa Kumantan Jaya"}), 201).JSON(&ent)
		var unit UnitView
		must(t, op.Post(villageA, "/enterprises/"+ent.ID+"/units", map[string]any{"type": "toko", "name": "Waserda", "manager_name": "Eka"}), 201).JSON(&unit)
		report := func(field, value string) string {
			figures := map[string]string{"year": "2026", "semester": "1", "revenue": "60000000", "costs": "45000000", "employees": "3"}
			figures[field] = value
			return `{"unit_id":"` + unit.ID + `","year":` + figures["year"] + `,"semester":` + figures["semester"] + `,"revenue":` + figures["revenue"] +
				`,"costs":` + figures["costs"] + `,"employees":` + figures["employees"] + `}`
		}
		var r ReportView
		must(t, op.Post(villageA, "/enterprises/"+ent.ID+"/reports", report("", "")), 201).JSON(&r)
		for _, tt := range []struct {
			name, path, body string
			status           int
			code             sdk.Code
			field            string
		}{
			{"revenue over int64", "/reports", report("revenue", "99999999999999999999"), 422, codeInvalidAmount, "revenue"},
			{"costs in exponent", "/reports", report("costs", "1e30"), 422, codeInvalidAmount, "costs"},
			{"employees fraction", "/reports", report("employees", "2.5"), 422, codeInvalidAmount, "employees"},
			{"semester fraction", "/reports", report("semester", "1.5"), 422, codeInvalidPeriod, "semester"},
			{"year in exponent", "/reports", report("year", "2e40"), 422, codeInvalidYear, "year"},
			{"revenue as text", "/reports", report("revenue", `"banyak"`), 400, sdk.CodeInvalidField, "revenue"},
			{"corrected assets over", "/reports/" + r.ID + "/correct", `{"revenue":1,"costs":1,"assets":-1e19}`, 422, codeInvalidAmount, "assets"},
			{"capital in exponent", "/capital", `{"year":2026,"amount":1e30,"source":"desa","date":"2026-03-01"}`, 422, codeInvalidAmount, "amount"},
			{"capital with cents", "/capital", `{"year":2026,"amount":1500.5,"source":"desa","date":"2026-03-01"}`, 422, codeInvalidAmount, "amount"},
			// Fits an int64 but above maxFigure: 250 villages' sums of such
			// figures would overflow the roll-up.
			{"revenue above the bound", "/reports", report("revenue", "10000000000001"), 422, codeInvalidAmount, "revenue"},
			{"corrected pades above the bound", "/reports/" + r.ID + "/correct", `{"revenue":1,"costs":1,"pades":9000000000000000000}`, 422, codeInvalidAmount, "pades"},
			{"capital above the bound", "/capital", `{"year":2026,"amount":10000000000001,"source":"desa","date":"2026-03-01"}`, 422, codeInvalidAmount, "amount"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				res := op.Post(villageA, "/enterprises/"+ent.ID+tt.path, tt.body)
				if res.Status != tt.status || res.ErrorCode() != tt.code || !strings.Contains(string(res.Body), `"field":"`+tt.field+`"`) {
					t.Errorf("%d %s, want %d %s at %s", res.Status, res.Body, tt.status, tt.code, tt.field)
				}
			})
		}
		res := op.Patch(villageA, "/enterprises/"+ent.ID, `{"classification":"maju","classification_year":1e20}`)
		wantCode(t, "classification year in exponent", res, 422, codeInvalidYear)
	})
}
