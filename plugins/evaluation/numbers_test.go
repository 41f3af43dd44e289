package main

import (
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// A year, quarter, target, realisation or score that does not fit its
// field (1e30 or 99999999999999999999 into an int, 1.5 into a whole
// number, 1e400 into a float64) answers the field's own 422 code with the
// field named, as the module's range checks answer a number that fits;
// text in a number's place stays 400 invalid_field.
func TestNumbersOutOfRange(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		res := w.op.Post(villageA, "/indicators", map[string]any{"year": 2026, "name": "Persentase surat selesai 1 hari", "measure": "%", "target": 40})
		want(t, res, 201, "")
		var ind IndicatorView
		res.JSON(&ind)
		indicator := func(field, value string) string {
			v := map[string]string{"year": "2026", "target": "40"}
			v[field] = value
			return `{"year":` + v["year"] + `,"name":"Indikator angka","measure":"%","target":` + v["target"] + `}`
		}
		score := func(value string) string {
			return `{"perencanaan":{"keberadaan":{"score":` + value + `}}}`
		}
		for _, tt := range []struct {
			name         string
			client       *sdktest.Client
			method, path string
			tenant, body string
			status       int
			code         sdk.Code
			field        string
		}{
			{"year in exponent", w.op, "POST", "/indicators", villageA, indicator("year", "1e30"), 422, codeInvalidYear, "year"},
			{"year over int64", w.op, "POST", "/indicators", villageA, indicator("year", "99999999999999999999"), 422, codeInvalidYear, "year"},
			{"year fraction", w.op, "POST", "/indicators", villageA, indicator("year", "2026.5"), 422, codeInvalidYear, "year"},
			{"year as text", w.op, "POST", "/indicators", villageA, indicator("year", `"2026"`), 400, sdk.CodeInvalidField, "year"},
			{"target over float64", w.op, "POST", "/indicators", villageA, indicator("target", "1e400"), 422, codeInvalidTarget, "target"},
			// Fits a float64 but above the module's bound of 1e12.
			{"target above the bound", w.op, "POST", "/indicators", villageA, indicator("target", "1e30"), 422, codeInvalidTarget, "target"},
			{"patched target over float64", w.op, "PATCH", "/indicators/" + ind.ID, villageA, `{"target":1e400}`, 422, codeInvalidTarget, "target"},
			{"quarter fraction", w.op, "POST", "/indicators/" + ind.ID + "/achievements", villageA, `{"quarter":1.5,"realisation":10}`, 422, codeInvalidQuarter, "quarter"},
			{"quarter in exponent", w.op, "POST", "/indicators/" + ind.ID + "/achievements", villageA, `{"quarter":1e30,"realisation":10}`, 422, codeInvalidQuarter, "quarter"},
			{"realisation over float64", w.op, "POST", "/indicators/" + ind.ID + "/achievements", villageA, `{"quarter":1,"realisation":1e400}`, 422, codeInvalidRealisation, "realisation"},
			{"realisation above the bound", w.op, "POST", "/indicators/" + ind.ID + "/achievements", villageA, `{"quarter":1,"realisation":1e30}`, 422, codeInvalidRealisation, "realisation"},
			{"realisation as text", w.op, "POST", "/indicators/" + ind.ID + "/achievements", villageA, `{"quarter":1,"realisation":"banyak"}`, 400, sdk.CodeInvalidField, "realisation"},
			{"score over float64", w.eval, "PUT", "/evaluations/2026/" + villageA, regency, score("1e400"), 422, codeInvalidScore, "perencanaan.keberadaan.score"},
			{"score above 100", w.eval, "PUT", "/evaluations/2026/" + villageA, regency, score("1e30"), 422, codeInvalidScore, "perencanaan.keberadaan.score"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				res := tt.client.Do(tt.method, tt.tenant, tt.path, tt.body)
				if res.Status != tt.status || res.ErrorCode() != tt.code || !strings.Contains(string(res.Body), `"field":"`+tt.field+`"`) {
					t.Errorf("%d %s, want %d %s at %s", res.Status, res.Body, tt.status, tt.code, tt.field)
				}
			})
		}
	})
}
