package main

import (
	"testing"

	"github.com/balaidesa/balai/sdk/sdktest/performancetest"
)

// GET /stats has one line per village where the module is on, as
// sdk.Request.VillagesWith lists them: a village with the module off is
// left out.
func TestStatsVillages(t *testing.T) {
	performancetest.Villages(t, &plugin, "/stats", "villages", "code", "", nil)
}
