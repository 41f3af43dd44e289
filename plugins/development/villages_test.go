package main

import (
	"net/http"
	"testing"

	"github.com/balaidesa/balai/sdk/sdktest"
	"github.com/balaidesa/balai/sdk/sdktest/performancetest"
)

// GET /summary has one line per village where the module is on, as
// sdk.Request.VillagesWith lists them, and ?village= takes only those: a
// village with the module off is left out.
func TestSummaryVillages(t *testing.T) {
	performancetest.Villages(t, &plugin, "/summary", "villages", "code", "", func(t *testing.T, h *sdktest.Host) {
		if res := h.Anonymous().Get("14.01", "/projects?village=14.01.01.2002"); res.Status != http.StatusBadRequest || res.ErrorCode() != codeInvalidFilter {
			t.Errorf("?village= with the module off: %d %s", res.Status, res.Body)
		}
	})
}
