package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/auth"
)

type ctxKey int

const identityKey ctxKey = iota

// reqInfo is a request's own state, one context value: its id and logger,
// and what is filled in as it is served for its access log line (the
// identity is only known deep inside, after authentication, and a plugin
// route only once the plugin runtime has matched it).
type reqInfo struct {
	id   string
	base *slog.Logger
	// log is base with the request id, built the first time a handler
	// logs: most requests log only their access line, which adds the id
	// itself, and building a logger costs every request formatting time.
	log  *slog.Logger
	user string
	// route, tenant and plugin are set by NoteRoute for plugin requests.
	route, tenant, plugin string
}

// logger is the request's logger, tagged with its id.
func (i *reqInfo) logger() *slog.Logger {
	if i.log == nil {
		i.log = i.base.With("request_id", i.id)
	}
	return i.log
}

type reqInfoKey struct{}

// NoteUser tells the access log who the request's caller is.
func NoteUser(ctx context.Context, username string) {
	if info, ok := ctx.Value(reqInfoKey{}).(*reqInfo); ok {
		info.user = username
	}
}

// NoteRoute tells the access log and the metrics which plugin route served
// the request: route is the pattern, such as
// /api/v1/t/{tenant}/population/families/{kk}, never the raw path, whose
// segments may be citizens' keys (KK numbers, order and tracking codes).
// tenant is the tenant code (a public region code, not a secret) and
// plugin the plugin id. Call it only once the route is known to exist, so
// that made-up paths cannot grow the metrics' label sets.
func NoteRoute(ctx context.Context, route, tenant, plugin string) {
	if info, ok := ctx.Value(reqInfoKey{}).(*reqInfo); ok {
		info.route, info.tenant, info.plugin = route, tenant, plugin
	}
}

// RequestID returns the id of the request in ctx.
func RequestID(ctx context.Context) string {
	if info, ok := ctx.Value(reqInfoKey{}).(*reqInfo); ok {
		return info.id
	}
	return ""
}

// Caller returns the authenticated identity of the request, if any.
func Caller(ctx context.Context) *auth.Identity {
	id, _ := ctx.Value(identityKey).(*auth.Identity)
	return id
}

var requestIDRE = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

func newRequestID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Metrics are the HTTP metrics of the host.
type Metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// NewMetrics registers the HTTP metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "balai_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "balai_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach Flush on the real writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// observe gives every request an id, a logger carrying it, a recovered
// panic as a 500, an access log line and metrics.
func observe(base *slog.Logger, m *Metrics) mux.MiddlewareFunc {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			id := r.Header.Get("X-Request-Id")
			if !requestIDRE.MatchString(id) {
				id = newRequestID()
			}
			w.Header()["X-Request-Id"] = []string{id}
			info := &reqInfo{id: id, base: base}
			r = r.WithContext(context.WithValue(r.Context(), reqInfoKey{}, info))
			rec := &statusRecorder{ResponseWriter: w}
			defer func() {
				if p := recover(); p != nil {
					if p == http.ErrAbortHandler {
						panic(p)
					}
					info.logger().Error("panic serving request", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
					if rec.status == 0 {
						WriteError(rec, r, apierr.New(http.StatusInternalServerError, "internal", "the server could not complete the request; the request id is %s", id))
					}
				}
				// The raw path is never logged: plugin paths carry citizens'
				// keys (/families/{kk}, /orders/{code}), and a 404's path is
				// whatever the caller typed. The route pattern is logged
				// instead: the plugin's, as NoteRoute gave it, or the host's
				// mux template.
				route := "unmatched"
				if info.route != "" {
					route = info.route
				} else if cr := mux.CurrentRoute(r); cr != nil {
					if t, err := cr.GetPathTemplate(); err == nil {
						route = t
					}
				}
				if rec.status == 0 {
					rec.status = http.StatusOK
				}
				elapsed := time.Since(start)
				if m != nil {
					m.requests.WithLabelValues(route, r.Method, strconv.Itoa(rec.status)).Inc()
					m.duration.WithLabelValues(route, r.Method).Observe(elapsed.Seconds())
				}
				level := slog.LevelInfo
				if rec.status >= 500 {
					level = slog.LevelError
				}
				// The query string is left out too: it may carry personal
				// data (?nik=) or a code.
				attrs := []any{"request_id", id, "method", r.Method, "route", route}
				if info.plugin != "" {
					attrs = append(attrs, "plugin", info.plugin, "tenant", info.tenant)
				}
				attrs = append(attrs, "status", rec.status, "bytes", rec.bytes, "duration_ms", float64(elapsed.Microseconds())/1000,
					"user", info.user, "remote", clientAddr(r))
				if info.log != nil {
					info.log.Log(r.Context(), level, "request", attrs[2:]...)
				} else {
					base.Log(r.Context(), level, "request", attrs...)
				}
			}()
			next.ServeHTTP(rec, r)
		})
	}
}

// LimitBody caps request bodies of the admin API.
func LimitBody(next http.Handler) http.Handler { return limitBody(next) }

// limitBody caps request bodies of the admin API.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		next.ServeHTTP(w, r)
	})
}

// ClientAddr is the peer address without its port.
func ClientAddr(r *http.Request) string { return clientAddr(r) }

// clientAddr is the peer address without its port. Balai does not trust
// X-Forwarded-For: behind a proxy every caller shares the proxy's address
// for rate limiting.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
