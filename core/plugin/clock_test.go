package plugin

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/host"
	"github.com/balaidesa/balai/core/modules"
	"github.com/balaidesa/balai/core/tenancy"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// clockRuntime is a runtime over a new SQLite host with clock.
func clockRuntime(t *testing.T, clock func() time.Time) *Runtime {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h, err := host.Open(host.Config{DataDir: t.TempDir(), Clock: clock}, nil, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	mods, err := modules.NewTable(h.DB)
	if err != nil {
		t.Fatal(err)
	}
	return New(h, Config{}, mods, nil, log)
}

// Every scope the host sends carries the tenant's zone and the host's
// clock, not the machine's: a test host set to 23:30 WIB on 31 December
// tells a village in Papua it is already 1 January.
func TestStampScope(t *testing.T) {
	at := time.Date(2026, 12, 31, 16, 30, 0, 0, time.UTC) // 23:30 WIB, 01:30 WIT
	rt := clockRuntime(t, func() time.Time { return at })
	for _, tt := range []struct {
		tenant, zone, date string
	}{
		{"94.01.01.2001", tenancy.WIT, "2027-01-01"},
		{"73.71", tenancy.WITA, "2027-01-01"},
		{"14.01.01.2009", tenancy.WIB, "2026-12-31"},
	} {
		s := rt.stamp(&pb.Scope{Tenant: tt.tenant, Handle: 7})
		if s.TimeZone != tt.zone || s.NowUnixMs != at.UnixMilli() || s.Handle != 7 {
			t.Errorf("%s: zone %q now %d handle %d, want %q %d 7", tt.tenant, s.TimeZone, s.NowUnixMs, s.Handle, tt.zone, at.UnixMilli())
			continue
		}
		loc, err := time.LoadLocation(s.TimeZone)
		if err != nil {
			t.Skipf("no time zone database: %v", err)
		}
		if got := time.UnixMilli(s.NowUnixMs).In(loc).Format(time.DateOnly); got != tt.date {
			t.Errorf("%s: the plugin's today is %s, want %s", tt.tenant, got, tt.date)
		}
	}
}

// Without a clock the host tells the real time.
func TestStampScopeRealClock(t *testing.T) {
	rt := clockRuntime(t, nil)
	before := time.Now()
	s := rt.stamp(&pb.Scope{Tenant: "14"})
	if now := time.UnixMilli(s.NowUnixMs); now.Before(before.Truncate(time.Millisecond)) || now.After(time.Now()) {
		t.Errorf("now %v, not between %v and the end of the call", now, before)
	}
}
