package auth

import (
	"math"
	"sync"
	"time"
)

// LoginLimiter throttles password checks per username and per client
// address, so that a password cannot be guessed online. An attempt is
// reserved with Reserve before the password is checked, which takes a token
// from both buckets at once, under one lock: however many requests arrive
// together, no more are checked than the buckets hold. An attempt whose
// password turns out right (or that was never judged, because of an error)
// is given back with Attempt.Release; a wrong one stays spent. State is in
// memory: one server process is one limit.
type LoginLimiter struct {
	mu     sync.Mutex
	users  map[string]*bucket
	addrs  map[string]*bucket
	user   limit
	addr   limit
	now    func() time.Time
	sweept time.Time
}

type limit struct {
	burst int
	every time.Duration
}

// bucket is a token bucket: tokens as of at, refilled at one per every up
// to burst.
type bucket struct {
	tokens float64
	at     time.Time
}

// refill brings b up to now.
func (b *bucket) refill(now time.Time, lim limit) {
	if d := now.Sub(b.at); d > 0 {
		b.tokens = math.Min(float64(lim.burst), b.tokens+float64(d)/float64(lim.every))
		b.at = now
	}
}

// wait is how long until b holds a whole token again.
func (b *bucket) wait(lim limit) time.Duration {
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) * float64(lim.every))
}

// NewLoginLimiter allows 5 wrong passwords per user (then one per minute)
// and 20 per address (then one every 15 seconds).
func NewLoginLimiter() *LoginLimiter {
	return &LoginLimiter{
		users: map[string]*bucket{},
		addrs: map[string]*bucket{},
		user:  limit{burst: 5, every: time.Minute},
		addr:  limit{burst: 20, every: 15 * time.Second},
		now:   time.Now,
	}
}

func (l *LoginLimiter) get(m map[string]*bucket, key string, lim limit, now time.Time) *bucket {
	b, ok := m[key]
	if !ok {
		b = &bucket{tokens: float64(lim.burst), at: now}
		m[key] = b
	}
	b.refill(now, lim)
	return b
}

// Attempt is one reserved password check, from LoginLimiter.Reserve.
type Attempt struct {
	l          *LoginLimiter
	user, addr string
	released   bool
}

// Reserve takes one attempt for username from addr before its password is
// checked. When either bucket is empty nothing is taken, the attempt is nil
// and wait (whole seconds, at least one) says when to try again.
func (l *LoginLimiter) Reserve(username, addr string) (*Attempt, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	u := l.get(l.users, username, l.user, now)
	a := l.get(l.addrs, addr, l.addr, now)
	if wait := max(u.wait(l.user), a.wait(l.addr)); wait > 0 {
		return nil, time.Duration(math.Ceil(wait.Seconds())) * time.Second
	}
	u.tokens--
	a.tokens--
	return &Attempt{l: l, user: username, addr: addr}, 0
}

// Release gives the attempt back: the password was right, or it was never
// judged. An attempt that is not released counts as a wrong password.
// Releasing twice gives back once.
func (a *Attempt) Release() {
	l := a.l
	l.mu.Lock()
	defer l.mu.Unlock()
	if a.released {
		return
	}
	a.released = true
	now := l.now()
	for _, x := range []struct {
		m   map[string]*bucket
		key string
		lim limit
	}{{l.users, a.user, l.user}, {l.addrs, a.addr, l.addr}} {
		// A bucket swept away meanwhile was full: nothing to give back.
		if b, ok := x.m[x.key]; ok {
			b.refill(now, x.lim)
			b.tokens = math.Min(float64(x.lim.burst), b.tokens+1)
		}
	}
}

// sweep forgets buckets that have refilled, bounding memory under a
// spray of usernames or addresses.
func (l *LoginLimiter) sweep(now time.Time) {
	if now.Sub(l.sweept) < time.Minute {
		return
	}
	l.sweept = now
	for _, p := range []struct {
		m   map[string]*bucket
		lim limit
	}{{l.users, l.user}, {l.addrs, l.addr}} {
		for k, b := range p.m {
			if b.refill(now, p.lim); b.tokens >= float64(p.lim.burst) {
				delete(p.m, k)
			}
		}
	}
}
