package main

import (
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk/sdktest"
)

// A version that does not fit a whole number (1e30, 1.5) is refused as
// the version it cannot be: 422 invalid_version with the field named, by
// its range tag, as a version below 1 is.
func TestNumbersOutOfRange(t *testing.T) {
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		h.Tenant(villageA)
		h.Enable("14.01")
		op := h.User("op-a", "operator", villageA)
		event := `{"title":"Musyawarah Desa","category":"musyawarah","start":"2026-12-10T09:00","end":"2026-12-10T12:00","version":`
		for _, version := range []string{"1e30", "99999999999999999999", "1.5", "0"} {
			res := op.Put(villageA, "/events/0190aaaa-0000-7000-8000-000000000000", event+version+"}")
			if res.Status != 422 || res.ErrorCode() != codeInvalidVersion || !strings.Contains(string(res.Body), `"field":"version"`) {
				t.Errorf("version %s: %d %s", version, res.Status, res.Body)
			}
		}
	})
}
