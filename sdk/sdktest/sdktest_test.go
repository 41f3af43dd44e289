package sdktest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// The host's clock reaches the plugin in the tenant's zone: at 23:30 WIB
// on New Year's Eve a village in Papua (WIT) is already in the new year,
// and the kit's clock moves when the test says so.
func TestClockAndZoneReachThePlugin(t *testing.T) {
	p := &sdk.Plugin{ID: "clock", Version: "1",
		Permissions: []sdk.Permission{{Name: "clock.time.read", Roles: []string{"viewer"}}},
		Routes: []sdk.Route{{Method: "GET", Path: "/today", Permission: "clock.time.read", Handler: sdk.Func(func(r *http.Request) (int, any, error) {
			req := sdk.From(r)
			return 200, map[string]string{"today": req.Today(), "zone": req.TimeZone(), "level": string(req.Level), "now": req.Now().Format(time.RFC3339)}, nil
		})}},
	}
	clock := sdktest.NewClock(time.Date(2026, 12, 31, 16, 30, 0, 0, time.UTC)) // 23:30 WIB
	h := sdktest.New(t, p, sdktest.WithClock(clock.Now))
	for _, tt := range []struct{ village, today, zone, now string }{
		{"14.01.01.2009", "2026-12-31", "Asia/Jakarta", "2026-12-31T23:30:00+07:00"},
		{"51.71.01.1001", "2027-01-01", "Asia/Makassar", "2027-01-01T00:30:00+08:00"},
		{"91.01.01.2001", "2027-01-01", "Asia/Jayapura", "2027-01-01T01:30:00+09:00"},
	} {
		h.Tenant(tt.village)
		h.Enable(tt.village)
		var got map[string]string
		h.User("u"+tt.village[:2], "viewer", tt.village).Get(tt.village, "/today").JSON(&got)
		if got["today"] != tt.today || got["zone"] != tt.zone || got["now"] != tt.now || got["level"] != string(sdk.Village) {
			t.Errorf("%s: %v, want today %s in %s at %s", tt.village, got, tt.today, tt.zone, tt.now)
		}
	}
	clock.Add(time.Hour)
	var got map[string]string
	h.Login("u14", "u14-sdktest-password").Get("14.01.01.2009", "/today").JSON(&got)
	if got["today"] != "2027-01-01" {
		t.Errorf("after an hour the Riau village's today is %s, want 2027-01-01", got["today"])
	}
}
