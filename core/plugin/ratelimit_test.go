package plugin

import (
	"fmt"
	"testing"
	"time"

	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

func TestEffectiveLimit(t *testing.T) {
	own := &pb.RateLimit{Requests: 5, WindowSeconds: 60}
	for _, tt := range []struct {
		name  string
		route *pb.Route
		want  *pb.RateLimit
	}{
		{"public write without a limit gets the default", &pb.Route{Method: "POST", Public: true}, DefaultPublicWriteLimit},
		{"public delete too", &pb.Route{Method: "DELETE", Public: true}, DefaultPublicWriteLimit},
		{"public read is not limited", &pb.Route{Method: "GET", Public: true}, nil},
		{"logged-in write is not limited", &pb.Route{Method: "POST", Permission: "x.y.z"}, nil},
		{"the manifest's limit wins", &pb.Route{Method: "GET", Public: true, RateLimit: own}, own},
		{"a logged-in route may set one", &pb.Route{Method: "GET", Permission: "x.y.z", RateLimit: own}, own},
		{"an empty limit is no limit", &pb.Route{Method: "POST", Public: true, RateLimit: &pb.RateLimit{}}, DefaultPublicWriteLimit},
	} {
		if got := effectiveLimit(tt.route); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestRateClient(t *testing.T) {
	for _, tt := range []struct{ user, addr, want string }{
		{"siti", "10.0.0.1", "user:siti"},
		{"", "10.0.0.1", "addr:10.0.0.1"},
		{"", "::ffff:10.0.0.1", "addr:10.0.0.1"},
		{"", "2001:db8:1:2:aaaa::1", "addr:2001:db8:1:2::/64"},
		{"", "2001:db8:1:2:bbbb::9", "addr:2001:db8:1:2::/64"},
		{"", "2001:db8:1:3::1", "addr:2001:db8:1:3::/64"},
		{"", "not-an-ip", "addr:not-an-ip"},
	} {
		if got := rateClient(tt.user, tt.addr); got != tt.want {
			t.Errorf("rateClient(%q, %q) = %q, want %q", tt.user, tt.addr, got, tt.want)
		}
	}
}

func TestRateLimiterCountsAndRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newRateLimiter(100)
	l.now = func() time.Time { return now }
	lim := &pb.RateLimit{Requests: 3, WindowSeconds: 60} // one regained every 20 s
	k := rateKey{"p", "POST /f", "addr:1.2.3.4"}
	for i := range 3 {
		if ok, _ := l.allow(k, lim); !ok {
			t.Fatalf("request %d refused", i+1)
		}
	}
	ok, wait := l.allow(k, lim)
	if ok || wait != 20 {
		t.Fatalf("4th request: allowed %v, retry after %d s, want refused and 20", ok, wait)
	}
	// A refusal does not spend a token: after 20 s exactly one passes.
	if ok, _ := l.allow(rateKey{"p", "POST /f", "addr:5.6.7.8"}, lim); !ok {
		t.Fatal("another client was refused")
	}
	if ok, _ := l.allow(rateKey{"p", "POST /g", "addr:1.2.3.4"}, lim); !ok {
		t.Fatal("another route was refused")
	}
	now = now.Add(20 * time.Second)
	if ok, _ := l.allow(k, lim); !ok {
		t.Fatal("refused after the wait it was told")
	}
	if ok, _ := l.allow(k, lim); ok {
		t.Fatal("two tokens regained in one interval")
	}
}

// Made-up addresses cannot grow the limiter without bound.
func TestRateLimiterIsBounded(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newRateLimiter(1000)
	l.now = func() time.Time { return now }
	lim := &pb.RateLimit{Requests: 2, WindowSeconds: 3600}
	for i := range 50_000 {
		l.allow(rateKey{"p", "POST /f", fmt.Sprintf("addr:10.%d.%d.%d", i>>16, (i>>8)&255, i&255)}, lim)
		if n := l.size(); n > 1000 {
			t.Fatalf("%d buckets after %d addresses, limit 1000", n, i+1)
		}
	}
	// Buckets that have refilled are forgotten at the next sweep.
	now = now.Add(2 * time.Hour)
	l.allow(rateKey{"p", "POST /f", "addr:192.0.2.1"}, lim)
	if n := l.size(); n != 1 {
		t.Fatalf("%d buckets after all refilled, want 1", n)
	}
}
