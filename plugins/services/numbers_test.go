package main

import (
	"testing"

	"github.com/balaidesa/balai/sdk/sdktest"
)

// A target_days that no float64 holds (1e400), or too large for any count,
// is a target out of range like 31: 422 invalid_target_days, not 400
// malformed_json; 2.0 is still 2.
func TestNumbersOutOfRange(t *testing.T) {
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		h.Tenant(villageA)
		h.Enable("14.01")
		kampar := h.User("kampar-admin", "admin", "14.01")
		for _, bad := range []string{"1e400", "-1e400", "1e30", "99999999999999999999", "2.5"} {
			if res := kampar.Put("14.01", "/settings", `{"target_days":`+bad+`}`); res.Status != 422 || res.ErrorCode() != codeInvalidTargetDays {
				t.Errorf("target_days %s: %d %s", bad, res.Status, res.Body)
			}
		}
		var got struct {
			Resolved struct {
				TargetDays int `json:"target_days"`
			} `json:"resolved"`
		}
		if res := kampar.Put("14.01", "/settings", `{"target_days":2.0}`); res.Status != 200 {
			t.Errorf("target_days 2.0: %d %s", res.Status, res.Body)
		} else if res.JSON(&got); got.Resolved.TargetDays != 2 {
			t.Errorf("target_days 2.0 resolved to %d: %s", got.Resolved.TargetDays, res.Body)
		}
		if res := kampar.Put("14.01", "/settings", `{"paper":1e400}`); res.Status != 422 || res.ErrorCode() != codeInvalidSettings {
			t.Errorf("a number for the paper: %d %s", res.Status, res.Body)
		}
	})
}
