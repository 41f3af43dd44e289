package plugin

import (
	"math"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/balaidesa/balai/core/apierr"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// DefaultPublicWriteLimit applies to a public POST, PUT, PATCH or DELETE
// route whose manifest sets no rate limit: 30 requests per minute per client
// address. It is generous for a person filling in a form (a village office
// behind one address included) and stops a script hammering it.
var DefaultPublicWriteLimit = &pb.RateLimit{Requests: 30, WindowSeconds: 60}

// maxRateBuckets bounds the limiter's memory. Entries are small (about
// 200 bytes), so this is some 20 MB at worst.
const maxRateBuckets = 100_000

// rateLimiter keeps one token bucket per plugin route and client. The map
// is bounded: buckets that have refilled are forgotten (a full bucket is
// the same as a new one), and when the map is still full, arbitrary
// entries are dropped, so addresses made up by an attacker cannot grow it.
// State is in memory: each server process limits on its own.
type rateLimiter struct {
	mu     sync.Mutex
	m      map[rateKey]*rate.Limiter
	max    int
	now    func() time.Time
	sweept time.Time
}

type rateKey struct{ plugin, route, client string }

func newRateLimiter(max int) *rateLimiter {
	return &rateLimiter{m: map[rateKey]*rate.Limiter{}, max: max, now: time.Now}
}

// effectiveLimit is the rate limit that applies to a route, nil for none:
// the manifest's, or the default for public unsafe routes.
func effectiveLimit(route *pb.Route) *pb.RateLimit {
	if route.RateLimit != nil && route.RateLimit.Requests > 0 && route.RateLimit.WindowSeconds > 0 {
		return route.RateLimit
	}
	if route.Public && unsafeMethod(route.Method) {
		return DefaultPublicWriteLimit
	}
	return nil
}

func unsafeMethod(m string) bool {
	switch m {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// rateClient is the key a caller is counted under: a logged-in caller by
// username, anyone else by address. An IPv6 client is counted by its /64,
// the block one subscriber gets, so that it cannot dodge the limit by
// stepping through its own addresses.
func rateClient(user, addr string) string {
	if user != "" {
		return "user:" + user
	}
	if a, err := netip.ParseAddr(addr); err == nil {
		a = a.Unmap()
		if a.Is6() {
			p, _ := a.WithZone("").Prefix(64)
			return "addr:" + p.String()
		}
		return "addr:" + a.String()
	}
	return "addr:" + addr
}

// allow takes a token for key from a bucket of limit lim. When none is
// left it returns false and the whole seconds to wait for the next one.
func (l *rateLimiter) allow(key rateKey, lim *pb.RateLimit) (bool, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.m[key]
	if !ok {
		l.makeRoom(now)
		every := time.Duration(lim.WindowSeconds) * time.Second / time.Duration(lim.Requests)
		b = rate.NewLimiter(rate.Every(every), int(lim.Requests))
		l.m[key] = b
	}
	r := b.ReserveN(now, 1)
	if d := r.DelayFrom(now); !r.OK() || d > 0 {
		r.CancelAt(now)
		return false, max(1, int(math.Ceil(d.Seconds())))
	}
	return true, 0
}

// makeRoom forgets refilled buckets once a minute, and makes room for a
// new bucket when the map is full.
func (l *rateLimiter) makeRoom(now time.Time) {
	if len(l.m) < l.max && now.Sub(l.sweept) < time.Minute {
		return
	}
	l.sweept = now
	for k, b := range l.m {
		if b.TokensAt(now) >= float64(b.Burst()) {
			delete(l.m, k)
		}
	}
	// Still full of busy buckets: drop a tenth, at random (map order), so
	// the next inserts do not each pay for a sweep.
	if len(l.m) >= l.max {
		drop := max(1, l.max/10)
		for k := range l.m {
			if drop == 0 {
				break
			}
			delete(l.m, k)
			drop--
		}
	}
}

// size is the number of buckets held.
func (l *rateLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.m)
}

// limitRate applies the route's rate limit to an HTTP caller: nil when the
// call may proceed, else 429 rate_limited with Retry-After.
func (rt *Runtime) limitRate(c *call, r *resolved) error {
	lim := effectiveLimit(r.route)
	if lim == nil {
		return nil
	}
	if !r.route.Public && c.user == "" {
		return nil // only the host's own calls get here without a user
	}
	route := r.route.Method + " " + r.route.Path
	if r.route.Page {
		route = "page " + route // a page and an API route may share a pattern
	}
	key := rateKey{plugin: c.plugin, route: route, client: rateClient(c.user, c.client)}
	ok, wait := rt.edge.limiter.allow(key, lim)
	if ok {
		return nil
	}
	e := apierr.New(http.StatusTooManyRequests, "rate_limited", "too many requests to this route (at most %d in %d s): try again in %d s", lim.Requests, lim.WindowSeconds, wait)
	e.RetryAfter = wait
	return e
}
