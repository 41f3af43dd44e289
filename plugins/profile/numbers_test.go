package main

import (
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk/sdktest"
)

// A number that does not fit its field (an area of 1e400 km², a version
// of 1.5) answers the field's own 422 code by its range tag, as decode's
// type mapping already did, with the field named.
func TestNumbersOutOfRange(t *testing.T) {
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		h.Tenant(villageA)
		h.Enable("14.01")
		op := h.User("op-a", "operator", villageA)
		for _, tt := range []struct {
			body, code, field string
		}{
			{`{"version":1,"area_km2":1e400}`, "invalid_area_km2", "area_km2"},
			{`{"version":1,"coordinates":{"latitude":0.3,"longitude":-1e999}}`, "invalid_coordinates_longitude", "coordinates.longitude"},
			{`{"version":1.5}`, "invalid_version", "version"},
			{`{"version":99999999999999999999}`, "invalid_version", "version"},
		} {
			res := op.Do("PUT", villageA, "/", tt.body)
			if res.Status != 422 || string(res.ErrorCode()) != tt.code || !strings.Contains(string(res.Body), `"field":"`+tt.field+`"`) {
				t.Errorf("%s: %d %s, want 422 %s at %s", tt.body, res.Status, res.Body, tt.code, tt.field)
			}
		}
	})
}
