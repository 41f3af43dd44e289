package sdk

import (
	"strings"
	"testing"
	"time"
)

func TestRouteRateLimit(t *testing.T) {
	for _, tt := range []struct {
		name       string
		limit      *RateLimit
		ok         bool
		wantReq    uint32
		wantWindow uint32
	}{
		{"none", nil, true, 0, 0},
		{"ten a minute", &RateLimit{Requests: 10, Window: time.Minute}, true, 10, 60},
		{"a day", &RateLimit{Requests: 1, Window: 24 * time.Hour}, true, 1, 86400},
		{"part seconds are dropped", &RateLimit{Requests: 3, Window: 2500 * time.Millisecond}, true, 3, 2},
		{"no requests", &RateLimit{Requests: 0, Window: time.Minute}, false, 0, 60},
		{"negative requests", &RateLimit{Requests: -1, Window: time.Minute}, false, 0, 60},
		{"too many requests", &RateLimit{Requests: 2_000_000, Window: time.Minute}, false, 0, 60},
		{"no window", &RateLimit{Requests: 5}, false, 5, 0},
		{"under a second", &RateLimit{Requests: 5, Window: time.Millisecond}, false, 5, 0},
		{"over a day", &RateLimit{Requests: 5, Window: 25 * time.Hour}, false, 5, 0},
	} {
		m := Manifest{ID: "forms", Version: "1", Routes: []Route{{Method: "POST", Path: "/f", Public: true, RateLimit: tt.limit}}}
		err := m.Validate()
		if (err == nil) != tt.ok {
			t.Errorf("%s: Validate() = %v, want ok=%v", tt.name, err, tt.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "rate limit") {
			t.Errorf("%s: the error does not name the rate limit: %v", tt.name, err)
		}
		rl := m.proto().Routes[0].RateLimit
		if tt.limit == nil {
			if rl != nil {
				t.Errorf("%s: a limit on the wire: %v", tt.name, rl)
			}
			continue
		}
		if rl.GetRequests() != tt.wantReq || rl.GetWindowSeconds() != tt.wantWindow {
			t.Errorf("%s: wire %d per %d s, want %d per %d s", tt.name, rl.GetRequests(), rl.GetWindowSeconds(), tt.wantReq, tt.wantWindow)
		}
	}
}
