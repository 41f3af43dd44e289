package auth

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// LoginLimiter throttles failed logins per username and per client address,
// so that a password cannot be guessed online. Each failure spends a token
// from both buckets; an attempt is refused while either bucket is empty.
// State is in memory: one server process is one limit.
type LoginLimiter struct {
	mu     sync.Mutex
	users  map[string]*rate.Limiter
	addrs  map[string]*rate.Limiter
	user   limit
	addr   limit
	now    func() time.Time
	sweept time.Time
}

type limit struct {
	burst int
	every time.Duration
}

// NewLoginLimiter allows 5 failures per user (then one per minute) and 20 per
// address (then one every 15 seconds).
func NewLoginLimiter() *LoginLimiter {
	return &LoginLimiter{
		users: map[string]*rate.Limiter{},
		addrs: map[string]*rate.Limiter{},
		user:  limit{burst: 5, every: time.Minute},
		addr:  limit{burst: 20, every: 15 * time.Second},
		now:   time.Now,
	}
}

func (l *LoginLimiter) get(m map[string]*rate.Limiter, key string, lim limit) *rate.Limiter {
	r, ok := m[key]
	if !ok {
		r = rate.NewLimiter(rate.Every(lim.every), lim.burst)
		m[key] = r
	}
	return r
}

// Allow reports whether a login attempt may proceed; when not, it returns
// how long the caller should wait.
func (l *LoginLimiter) Allow(username, addr string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var wait time.Duration
	for _, r := range []*rate.Limiter{l.get(l.users, username, l.user), l.get(l.addrs, addr, l.addr)} {
		if tokens := r.TokensAt(now); tokens < 1 {
			need := time.Duration((1 - tokens) / float64(r.Limit()) * float64(time.Second))
			if need > wait {
				wait = need
			}
		}
	}
	if wait > 0 {
		return false, time.Duration(math.Ceil(wait.Seconds())) * time.Second
	}
	return true, 0
}

// Failed records a failed attempt.
func (l *LoginLimiter) Failed(username, addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.get(l.users, username, l.user).AllowN(now, 1)
	l.get(l.addrs, addr, l.addr).AllowN(now, 1)
	l.sweep(now)
}

// sweep forgets buckets that have refilled, bounding memory under a
// spray of usernames or addresses.
func (l *LoginLimiter) sweep(now time.Time) {
	if now.Sub(l.sweept) < time.Minute {
		return
	}
	l.sweept = now
	for _, m := range []map[string]*rate.Limiter{l.users, l.addrs} {
		for k, r := range m {
			if r.TokensAt(now) >= float64(r.Burst()) {
				delete(m, k)
			}
		}
	}
}
