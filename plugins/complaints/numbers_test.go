package main

import (
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk/sdktest"
)

// A rating or a target that does not fit a whole number (1e30, 4.5) is
// outside the field's range: 422 with its own code and the field named;
// text stays 400 invalid_field.
func TestNumbersOutOfRange(t *testing.T) {
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		h.Tenant(villageA)
		h.Enable(regency)
		kab := h.User("kab", "admin", regency)
		anon := h.Anonymous()
		for _, tt := range []struct {
			name  string
			res   *sdktest.Response
			code  string
			field string
		}{
			{"target in exponent", kab.Put(regency, "/settings", `{"target_days":1e30}`), "invalid_settings", "target_days"},
			{"target fraction", kab.Put(regency, "/settings", `{"target_days":7.5}`), "invalid_settings", "target_days"},
			{"rating over", anon.Post(villageA, "/complaints/track/ADU-XXXX-XXXX/rating", `{"rating":99999999999999999999}`), "invalid_rating", "rating"},
			{"rating fraction", anon.Post(villageA, "/complaints/track/ADU-XXXX-XXXX/rating", `{"rating":4.5}`), "invalid_rating", "rating"},
			{"rating as text", anon.Post(villageA, "/complaints/track/ADU-XXXX-XXXX/rating", `{"rating":"baik"}`), "invalid_field", "rating"},
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
