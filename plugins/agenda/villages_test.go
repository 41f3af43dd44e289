package main

import (
	"testing"

	"github.com/balaidesa/balai/sdk/sdktest/performancetest"
)

// GET /summary has one line per village where the module is on, as
// sdk.Request.VillagesWith lists them: a village with the module off is
// left out.
func TestSummaryVillages(t *testing.T) {
	performancetest.Villages(t, &plugin, "/summary?month=2026-12", "items", "tenant", "district", nil)
}
