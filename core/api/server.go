package api

import (
	"context"
	"log/slog"
	"net/http"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/admin"
	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/audit"
	"github.com/balaidesa/balai/core/auth"
	"github.com/balaidesa/balai/core/host"
)

// Options tune the API.
type Options struct {
	SessionTTL time.Duration
	Logger     *slog.Logger
	// Metrics receives the HTTP metrics; promhttp serves Gatherer at /metrics.
	Metrics  prometheus.Registerer
	Gatherer prometheus.Gatherer
	// Ready adds readiness checks beyond the database (plugins).
	Ready func(context.Context) error
	// FilesDir is where plugins' files lie, for a tenant purge to remove.
	FilesDir string
}

// Server is the HTTP API of the host.
type Server struct {
	h       *host.Host
	opts    Options
	limiter *auth.LoginLimiter
	tokens  *auth.TokenCache
	// admin runs every administrative operation, the same code as the CLI.
	admin  *admin.Service
	router *mux.Router
	// middleware is what every request goes through (observe, checkInput).
	middleware []mux.MiddlewareFunc
	// prefix and prefixed serve the paths under one prefix ahead of the
	// main router (MountPrefix).
	prefix   string
	prefixed http.Handler
	// API is the /api/v1 subrouter, for other packages (plugins) to mount on.
	API *mux.Router
	// web serves the browser's paths (core/web, MountWeb).
	web http.Handler
}

// New builds the router.
func New(h *host.Host, opts Options) *Server {
	if opts.SessionTTL <= 0 {
		opts.SessionTTL = 12 * time.Hour
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Metrics == nil {
		reg := prometheus.NewRegistry()
		opts.Metrics, opts.Gatherer = reg, reg
	}
	s := &Server{h: h, opts: opts, limiter: auth.NewLoginLimiter(), tokens: auth.NewTokenCache(10 * time.Second),
		admin: &admin.Service{DB: h.DB, Authz: h.Authz, FilesDir: opts.FilesDir, Log: opts.Logger}}
	// Revocations by other processes arrive with the policy version.
	h.Authz.OnReload(s.tokens.Flush)
	r := mux.NewRouter()
	s.middleware = []mux.MiddlewareFunc{observe(opts.Logger, NewMetrics(opts.Metrics)), checkInput}
	r.Use(s.middleware...)
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		WriteError(w, r, apierr.NotFound("not_found", "no such endpoint: %s %s", r.Method, r.URL.Path))
	})
	r.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		WriteError(w, r, apierr.New(http.StatusMethodNotAllowed, "method_not_allowed", "%s is not allowed on %s", r.Method, r.URL.Path))
	})
	r.Handle("/", Methods{http.MethodGet: http.HandlerFunc(s.index)})
	r.Handle("/healthz", Methods{http.MethodGet: http.HandlerFunc(s.healthz)})
	r.Handle("/readyz", Methods{http.MethodGet: http.HandlerFunc(s.readyz)})
	r.Handle("/metrics", Methods{http.MethodGet: promhttp.HandlerFor(opts.Gatherer, promhttp.HandlerOpts{})})

	api := r.PathPrefix("/api/v1").Subrouter()
	s.API = api
	ar := s.AdminRouter()
	ar.Handle("/auth/login", Methods{http.MethodPost: http.HandlerFunc(s.login)})
	ar.Handle("/auth/logout", Methods{http.MethodPost: s.authed(s.logout)})
	ar.Handle("/auth/tokens", Methods{http.MethodGet: s.authed(s.listTokens), http.MethodPost: s.authed(s.createToken)})
	ar.Handle("/auth/tokens/{id}", Methods{http.MethodDelete: s.authed(s.deleteToken)})
	ar.Handle("/me", Methods{http.MethodGet: s.authed(s.me)})
	ar.Handle("/me/password", Methods{http.MethodPost: s.authed(s.changePassword)})

	ar.Handle("/tenants", Methods{http.MethodGet: s.authed(s.listTenants), http.MethodPost: s.authed(s.createTenant)})
	ar.Handle("/tenants/{code}", Methods{http.MethodGet: s.authed(s.getTenant), http.MethodPatch: s.authed(s.renameTenant), http.MethodDelete: s.authed(s.deleteTenant)})
	ar.Handle("/tenants/{code}/members", Methods{http.MethodGet: s.authed(s.listMembers)})
	ar.Handle("/tenants/{code}/members/{username}", Methods{http.MethodPut: s.authed(s.setMember), http.MethodDelete: s.authed(s.removeMember)})

	ar.Handle("/users", Methods{http.MethodGet: s.authed(s.listUsers), http.MethodPost: s.authed(s.createUser)})
	ar.Handle("/users/{username}", Methods{http.MethodGet: s.authed(s.getUser), http.MethodPatch: s.authed(s.patchUser)})

	ar.Handle("/roles", Methods{http.MethodGet: s.authed(s.listRoles), http.MethodPost: s.authed(s.createRole)})
	ar.Handle("/roles/{name}", Methods{http.MethodGet: s.authed(s.getRole), http.MethodDelete: s.authed(s.deleteRole)})
	ar.Handle("/permissions", Methods{http.MethodGet: s.authed(s.listPermissions)})

	ar.Handle("/audit", Methods{http.MethodGet: s.authed(s.listAudit)})
	s.router = r
	return s
}

// AdminRouter returns a new router under /api/v1 with the admin API's body
// limit. Register Methods handlers on it, not .Methods() routes.
func (s *Server) AdminRouter() *mux.Router {
	sub := s.API.NewRoute().Subrouter()
	sub.Use(limitBody)
	return sub
}

// Methods serves a path by method and answers 405 for the others. The API
// routes by path alone and dispatches methods here because gorilla/mux
// loses a method mismatch inside subrouters (a later route sharing the path
// prefix clears it) and answers 404 instead of 405.
type Methods map[string]http.Handler

func (m Methods) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h, ok := m[r.Method]
	if !ok && r.Method == http.MethodHead {
		h, ok = m[http.MethodGet]
	}
	if !ok {
		allow := make([]string, 0, len(m))
		for method := range m {
			allow = append(allow, method)
		}
		sort.Strings(allow)
		w.Header().Set("Allow", strings.Join(allow, ", "))
		WriteError(w, r, apierr.New(http.StatusMethodNotAllowed, "method_not_allowed", "%s is not allowed on %s; use %s", r.Method, r.URL.Path, strings.Join(allow, " or ")))
		return
	}
	h.ServeHTTP(w, r)
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// An unclean path (/a//b, /a/../b) goes to the main router, which
	// redirects it to its clean form; path.Clean allocates only then.
	if s.prefixed != nil && strings.HasPrefix(r.URL.Path, s.prefix) && isClean(r.URL.Path) {
		s.prefixed.ServeHTTP(w, r)
		return
	}
	if s.web != nil && IsWebPath(r.URL.Path) && isClean(r.URL.Path) {
		s.web.ServeHTTP(w, r)
		return
	}
	s.router.ServeHTTP(w, r)
}

// IsWebPath reports whether p belongs to the browser pages (core/web):
// /login, /logout, /console..., /static/... and the public module pages
// /{tenant}/... (tenant codes start with a digit).
func IsWebPath(p string) bool {
	switch {
	case p == "/login", p == "/logout", p == "/console", strings.HasPrefix(p, "/console/"), strings.HasPrefix(p, "/static/"):
		return true
	}
	return len(p) > 1 && p[1] >= '0' && p[1] <= '9'
}

// MountWeb serves the browser's paths (IsWebPath) with h, behind the same
// middleware as the API (request id, access log, metrics, input checks).
// Call it once, before serving.
func (s *Server) MountWeb(h http.Handler) {
	for i := len(s.middleware) - 1; i >= 0; i-- {
		h = s.middleware[i].Middleware(h)
	}
	s.web = h
}

// LoginLimiter is the API's login limiter, which the web login shares so
// that a password cannot be guessed twice as fast through two doors.
func (s *Server) LoginLimiter() *auth.LoginLimiter { return s.limiter }

// Tokens is the API's token cache, flushed with the policy.
func (s *Server) Tokens() *auth.TokenCache { return s.tokens }

// Admin is the service running the administrative operations.
func (s *Server) Admin() *admin.Service { return s.admin }

// SessionTTL is how long a login session lasts.
func (s *Server) SessionTTL() time.Duration { return s.opts.SessionTTL }

// MountPrefix serves every path under prefix (such as /api/v1/t/) with h,
// behind the same middleware as the rest of the API (request id, access
// log, metrics, input checks). Such paths are matched before the API's
// own routes, by one route of their own: the plugin routes, the busiest,
// are not tried against every admin route's pattern first. A path under
// prefix that is not clean (/a//b, /a/../b) is redirected to its clean
// form as the main router does. Call it once, before serving.
//
// The middleware wraps h directly rather than through a mux.Router: a
// router clones the request twice (its route and its variables) for a
// match that the prefix test has already made, on the busiest path.
func (s *Server) MountPrefix(prefix string, h http.Handler) {
	for i := len(s.middleware) - 1; i >= 0; i-- {
		h = s.middleware[i].Middleware(h)
	}
	s.prefix, s.prefixed = prefix, h
}

// isClean reports whether p is its own clean form as gorilla/mux computes
// it (path.Clean, keeping a trailing slash).
func isClean(p string) bool {
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		return len(c)+1 == len(p) && p[:len(c)] == c
	}
	return c == p
}

// Authed wraps a handler so that it runs only for an authenticated caller,
// whose identity Caller returns.
func (s *Server) Authed(next http.HandlerFunc) http.Handler { return s.authed(next) }

func (s *Server) authed(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := s.Authenticate(r)
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="balai"`)
			WriteError(w, r, err)
			return
		}
		NoteUser(r.Context(), id.Username)
		next(w, r.WithContext(context.WithValue(r.Context(), identityKey, id)))
	})
}

// Authenticate resolves the request's bearer token.
func (s *Server) Authenticate(r *http.Request) (*auth.Identity, error) {
	h := r.Header.Get("Authorization")
	secret, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || secret == "" {
		return nil, apierr.Unauthorized("unauthenticated", "send Authorization: Bearer <token>; get a token from POST /api/v1/auth/login")
	}
	return s.tokens.Authenticate(r.Context(), s.h.DB.DB, strings.TrimSpace(secret))
}

// actor is the caller as the admin operations see it: its user, its
// token's limit, whether it logged in with a password, and how the audit
// trail names it.
func actor(r *http.Request) admin.Actor {
	return admin.FromIdentity(Caller(r.Context()), who(r))
}

// Authorize checks that the request's caller holds perm in tenant, within
// its token's limit: the one check for host and plugin routes alike.
func (s *Server) Authorize(r *http.Request, tenant, perm string) error {
	c := Caller(r.Context())
	if c == nil {
		return apierr.Unauthorized("unauthenticated", "send Authorization: Bearer <token>")
	}
	return s.h.Authz.Authorize(c.Username, c.Limit, tenant, perm)
}

// who describes the caller for the audit trail.
func who(r *http.Request) audit.Who {
	w := audit.Who{Source: clientAddr(r), RequestID: RequestID(r.Context())}
	if c := Caller(r.Context()); c != nil {
		w.Actor = c.Username
	}
	return w
}

// db is the database bound to the request's context.
func (s *Server) db(r *http.Request) *gorm.DB { return s.h.DB.WithContext(r.Context()) }

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	checks := map[string]string{"database": "ok"}
	status := http.StatusOK
	if err := s.h.DB.Ping(ctx); err != nil {
		checks["database"] = "unavailable"
		status = http.StatusServiceUnavailable
	}
	if s.opts.Ready != nil {
		if err := s.opts.Ready(ctx); err != nil {
			checks["plugins"] = err.Error()
			status = http.StatusServiceUnavailable
		} else {
			checks["plugins"] = "ok"
		}
	}
	state := "ready"
	if status != http.StatusOK {
		state = "not_ready"
	}
	writeJSON(w, status, map[string]any{"status": state, "checks": checks})
}
