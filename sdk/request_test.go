package sdk

import (
	"context"
	"testing"
	"time"

	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// A Request's clock is the host's, in the tenant's zone: a village in WIT
// is already in tomorrow while the server's UTC clock still shows today,
// and a missing zone is WIB, never the server's own.
func TestRequestClock(t *testing.T) {
	utc := func(h, m int) time.Time { return time.Date(2026, 11, 30, h, m, 0, 0, time.UTC) }
	cases := []struct {
		name       string
		zone       string
		now        time.Time
		today      string
		clock      string // Now() as 15:04 MST
		wantZoneID string
	}{
		{"WIT at 23:30 UTC is the next morning", "Asia/Jayapura", utc(23, 30), "2026-12-01", "08:30 WIT", "Asia/Jayapura"},
		{"WIT at 15:30 UTC is past midnight", "Asia/Jayapura", utc(15, 30), "2026-12-01", "00:30 WIT", "Asia/Jayapura"},
		{"WITA at 15:30 UTC is still today", "Asia/Makassar", utc(15, 30), "2026-11-30", "23:30 WITA", "Asia/Makassar"},
		{"WIB at 15:30 UTC is still today", "Asia/Jakarta", utc(15, 30), "2026-11-30", "22:30 WIB", "Asia/Jakarta"},
		{"WIB at 23:30 UTC", "Asia/Jakarta", utc(23, 30), "2026-12-01", "06:30 WIB", "Asia/Jakarta"},
		{"no zone named is WIB", "", utc(16, 59), "2026-11-30", "23:59 WIB", "Asia/Jakarta"},
		{"an unknown zone is WIB", "Mars/Olympus", utc(17, 0), "2026-12-01", "00:00 WIB", "Mars/Olympus"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := withScope(context.Background(), &pb.Scope{Tenant: "94.71.01.1001", TimeZone: c.zone, NowUnixMs: c.now.UnixMilli()}, nil)
			r := FromContext(ctx)
			if got := r.Today(); got != c.today {
				t.Errorf("Today() = %s, want %s", got, c.today)
			}
			if got := r.Now().Format("15:04 MST"); got != c.clock {
				t.Errorf("Now() = %s, want %s", got, c.clock)
			}
			if !r.Now().Equal(c.now) {
				t.Errorf("Now() = %v is not the host's instant %v", r.Now(), c.now)
			}
			if r.Location() != r.Now().Location() {
				t.Errorf("Location() %v is not Now()'s %v", r.Location(), r.Now().Location())
			}
			if got := r.TimeZone(); got != c.wantZoneID {
				t.Errorf("TimeZone() = %s, want %s", got, c.wantZoneID)
			}
		})
	}
	// Without the host's clock (an older host), Now is the plugin's own.
	r := FromContext(withScope(context.Background(), &pb.Scope{}, nil))
	if d := time.Since(r.Now()); d < 0 || d > time.Minute {
		t.Errorf("Now() without a host clock is %v away", d)
	}
}

// The request's fields come from the scope the host sent; Can answers from
// its grants without a call to the host.
func TestRequestFromScope(t *testing.T) {
	ctx := withScope(context.Background(), &pb.Scope{
		Tenant: "14.01.01.2009", TenantLevel: "village", Username: "siti", RequestId: "r1",
		ClientAddress: "192.0.2.7", Granted: []string{"posyandu.visits.read"},
	}, nil)
	r := FromContext(ctx)
	if r.Tenant != "14.01.01.2009" || r.Level != Village || r.User != "siti" || r.RequestID != "r1" || r.ClientAddress != "192.0.2.7" {
		t.Errorf("request %+v", r)
	}
	if !r.Can("posyandu.visits.read") || r.Can("posyandu.visits.write") {
		t.Error("Can does not answer from the grants")
	}
	defer func() {
		if recover() == nil {
			t.Error("FromContext outside a handler did not panic")
		}
	}()
	FromContext(context.Background())
}
