package auth

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLoginLimiter(t *testing.T) {
	now := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	l := NewLoginLimiter()
	l.now = func() time.Time { return now }
	allowed := func(user, addr string) bool {
		at, _ := l.Reserve(user, addr)
		if at != nil {
			at.Release()
		}
		return at != nil
	}
	for i := 0; i < 5; i++ {
		if at, _ := l.Reserve("siti", "10.0.0.1"); at == nil {
			t.Fatalf("attempt %d refused before any limit", i+1)
		} // not released: a wrong password
	}
	at, wait := l.Reserve("siti", "10.0.0.1")
	if at != nil || wait != time.Minute {
		t.Fatalf("after 5 failures: attempt %v, wait %s; want refused for 1m", at, wait)
	}
	if allowed("siti", "10.0.0.2") {
		t.Error("the per-user limit was escaped by changing address")
	}
	if !allowed("budi", "10.0.0.1") {
		t.Error("another user from the same address was refused after 5 failures")
	}
	now = now.Add(30 * time.Second)
	if at, wait := l.Reserve("siti", "10.0.0.1"); at != nil || wait != 30*time.Second {
		t.Errorf("half-way: attempt %v wait %s, want refused for 30s", at, wait)
	}
	now = now.Add(31 * time.Second)
	if !allowed("siti", "10.0.0.1") {
		t.Error("one attempt should be allowed again after a minute")
	}
	// Right passwords give their attempt back: any number of them pass.
	for i := 0; i < 50; i++ {
		if !allowed("budi", "10.0.0.3") {
			t.Fatalf("right password %d refused", i+1)
		}
	}
	// Per address: 20 failures over many names.
	for i := 0; i < 20; i++ {
		if at, _ := l.Reserve(string(rune('a'+i))+"-user", "10.0.0.9"); at == nil {
			t.Fatalf("failure %d from one address refused", i+1)
		}
	}
	if at, wait := l.Reserve("fresh-user", "10.0.0.9"); at != nil || wait != 15*time.Second {
		t.Errorf("after 20 failures from one address: attempt %v wait %s", at, wait)
	}
	// A refused attempt takes nothing: fresh-user is untouched elsewhere.
	for i := 0; i < 5; i++ {
		if at, _ := l.Reserve("fresh-user", "10.0.0.10"); at == nil {
			t.Fatalf("fresh-user attempt %d refused from another address", i+1)
		}
	}
	// Full buckets are forgotten on the next sweep.
	now = now.Add(time.Hour)
	l.Reserve("zz", "10.0.0.11")
	if len(l.users) > 1 || len(l.addrs) > 1 {
		t.Errorf("sweep kept %d users and %d addresses", len(l.users), len(l.addrs))
	}
}

// TestLoginLimiterConcurrent: attempts reserved at once, before any
// password is judged, are still bounded by the buckets.
func TestLoginLimiterConcurrent(t *testing.T) {
	tests := []struct {
		name    string
		n       int
		user    func(i int) string
		addr    func(i int) string
		release bool // right passwords
		want    int  // attempts granted: exactly, or at least when released
	}{
		{"one user, one address", 40, func(int) string { return "siti" }, func(int) string { return "10.0.0.1" }, false, 5},
		{"one user, many addresses", 40, func(int) string { return "siti" }, func(i int) string { return fmt.Sprint("10.1.0.", i) }, false, 5},
		{"many users, one address", 60, func(i int) string { return fmt.Sprint("user", i) }, func(int) string { return "10.0.0.1" }, false, 20},
		{"right passwords are given back", 40, func(int) string { return "siti" }, func(int) string { return "10.0.0.1" }, true, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
			l := NewLoginLimiter()
			l.now = func() time.Time { return now }
			var granted atomic.Int32
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := 0; i < tt.n; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					at, wait := l.Reserve(tt.user(i), tt.addr(i))
					if at == nil {
						if wait < time.Second {
							t.Errorf("refused with wait %s", wait)
						}
						return
					}
					granted.Add(1)
					if tt.release {
						time.Sleep(time.Millisecond) // overlap with the others
						at.Release()
						at.Release() // twice gives back once
					}
				}()
			}
			close(start)
			wg.Wait()
			if tt.release {
				// Every attempt came back: the buckets are full again.
				for i := 0; i < 5; i++ {
					if at, _ := l.Reserve("siti", "10.0.0.1"); at == nil {
						t.Fatalf("after releases, attempt %d refused", i+1)
					}
				}
				if at, _ := l.Reserve("siti", "10.0.0.1"); at != nil {
					t.Fatal("double releases overfilled the bucket")
				}
			}
			if got := int(granted.Load()); got < tt.want || !tt.release && got != tt.want {
				t.Errorf("%d attempts granted, want %d", got, tt.want)
			}
		})
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
