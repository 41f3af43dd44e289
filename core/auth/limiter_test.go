package auth

import (
	"testing"
	"time"
)

func TestLoginLimiter(t *testing.T) {
	now := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	l := NewLoginLimiter()
	l.now = func() time.Time { return now }
	for i := 0; i < 5; i++ {
		if ok, _ := l.Allow("siti", "10.0.0.1"); !ok {
			t.Fatalf("attempt %d refused before any limit", i+1)
		}
		l.Failed("siti", "10.0.0.1")
	}
	ok, wait := l.Allow("siti", "10.0.0.1")
	if ok || wait != time.Minute {
		t.Fatalf("after 5 failures: allowed %v, wait %s; want refused for 1m", ok, wait)
	}
	if ok, _ := l.Allow("siti", "10.0.0.2"); ok {
		t.Error("the per-user limit was escaped by changing address")
	}
	if ok, _ := l.Allow("budi", "10.0.0.1"); !ok {
		t.Error("another user from the same address was refused after 5 failures")
	}
	now = now.Add(30 * time.Second)
	if ok, wait := l.Allow("siti", "10.0.0.1"); ok || wait != 30*time.Second {
		t.Errorf("half-way: allowed %v wait %s, want refused for 30s", ok, wait)
	}
	now = now.Add(31 * time.Second)
	if ok, _ := l.Allow("siti", "10.0.0.1"); !ok {
		t.Error("one attempt should be allowed again after a minute")
	}
	// Per address: 20 failures over many names.
	for i := 0; i < 20; i++ {
		l.Failed(string(rune('a'+i))+"-user", "10.0.0.9")
	}
	if ok, wait := l.Allow("fresh-user", "10.0.0.9"); ok || wait != 15*time.Second {
		t.Errorf("after 20 failures from one address: allowed %v wait %s", ok, wait)
	}
	// Full buckets are forgotten on the next sweep.
	now = now.Add(time.Hour)
	l.Failed("zz", "10.0.0.10")
	if len(l.users) > 2 || len(l.addrs) > 1 {
		t.Errorf("sweep kept %d users and %d addresses", len(l.users), len(l.addrs))
	}
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		user, pw string
		ok       bool
	}{
		{"siti", "123456789", false},
		{"siti", "1234567890", true},
		{"siti", "ŝŝŝŝŝŝŝŝŝŝ", true}, // ten characters, not ten bytes
		{"siti-aminah", "SITI-AMINAH", false},
		{"siti", string(make([]byte, 257)), false},
	}
	for _, tt := range tests {
		if err := CheckPassword(tt.user, tt.pw); (err == nil) != tt.ok {
			t.Errorf("CheckPassword(%q, %q) = %v, want ok=%v", tt.user, tt.pw, err, tt.ok)
		}
	}
	for name, ok := range map[string]bool{"siti": true, "s.aminah_01": true, "ab": false, "Siti": false, "-siti": false, "siti aminah": false} {
		if err := CheckUsername(name); (err == nil) != ok {
			t.Errorf("CheckUsername(%q) = %v, want ok=%v", name, err, ok)
		}
	}
}
