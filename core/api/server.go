package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"gorm.io/gorm"

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
}

// Server is the HTTP API of the host.
type Server struct {
	h       *host.Host
	opts    Options
	limiter *auth.LoginLimiter
	router  *mux.Router
	// API is the /api/v1 subrouter, for other packages (plugins) to mount on.
	API *mux.Router
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
	s := &Server{h: h, opts: opts, limiter: auth.NewLoginLimiter()}
	r := mux.NewRouter()
	r.Use(observe(opts.Logger, NewMetrics(opts.Metrics)))
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		WriteError(w, r, apierr.NotFound("not_found", "no such endpoint: %s %s", r.Method, r.URL.Path))
	})
	r.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		WriteError(w, r, apierr.New(http.StatusMethodNotAllowed, "method_not_allowed", "%s is not allowed on %s", r.Method, r.URL.Path))
	})
	r.HandleFunc("/healthz", s.healthz).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/readyz", s.readyz).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/metrics", promhttp.HandlerFor(opts.Gatherer, promhttp.HandlerOpts{})).Methods(http.MethodGet)

	api := r.PathPrefix("/api/v1").Subrouter()
	s.API = api
	admin := api.NewRoute().Subrouter()
	admin.Use(limitBody)
	admin.HandleFunc("/auth/login", s.login).Methods(http.MethodPost)
	admin.Handle("/auth/logout", s.authed(s.logout)).Methods(http.MethodPost)
	admin.Handle("/auth/tokens", s.authed(s.listTokens)).Methods(http.MethodGet)
	admin.Handle("/auth/tokens", s.authed(s.createToken)).Methods(http.MethodPost)
	admin.Handle("/auth/tokens/{id}", s.authed(s.deleteToken)).Methods(http.MethodDelete)
	admin.Handle("/me", s.authed(s.me)).Methods(http.MethodGet)

	admin.Handle("/tenants", s.authed(s.listTenants)).Methods(http.MethodGet)
	admin.Handle("/tenants", s.authed(s.createTenant)).Methods(http.MethodPost)
	admin.Handle("/tenants/{code}", s.authed(s.getTenant)).Methods(http.MethodGet)
	admin.Handle("/tenants/{code}", s.authed(s.renameTenant)).Methods(http.MethodPatch)
	admin.Handle("/tenants/{code}", s.authed(s.deleteTenant)).Methods(http.MethodDelete)
	admin.Handle("/tenants/{code}/members", s.authed(s.listMembers)).Methods(http.MethodGet)
	admin.Handle("/tenants/{code}/members/{username}", s.authed(s.setMember)).Methods(http.MethodPut)
	admin.Handle("/tenants/{code}/members/{username}", s.authed(s.removeMember)).Methods(http.MethodDelete)

	admin.Handle("/users", s.authed(s.listUsers)).Methods(http.MethodGet)
	admin.Handle("/users", s.authed(s.createUser)).Methods(http.MethodPost)
	admin.Handle("/users/{username}", s.authed(s.getUser)).Methods(http.MethodGet)
	admin.Handle("/users/{username}", s.authed(s.patchUser)).Methods(http.MethodPatch)

	admin.Handle("/roles", s.authed(s.listRoles)).Methods(http.MethodGet)
	admin.Handle("/roles", s.authed(s.createRole)).Methods(http.MethodPost)
	admin.Handle("/roles/{name}", s.authed(s.getRole)).Methods(http.MethodGet)
	admin.Handle("/roles/{name}", s.authed(s.deleteRole)).Methods(http.MethodDelete)
	admin.Handle("/permissions", s.authed(s.listPermissions)).Methods(http.MethodGet)

	admin.Handle("/audit", s.authed(s.listAudit)).Methods(http.MethodGet)
	s.router = r
	return s
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

// Router exposes the root router so the plugin runtime can add its routes.
func (s *Server) Router() *mux.Router { return s.router }

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
	return auth.Authenticate(s.h.DB.WithContext(r.Context()), strings.TrimSpace(secret))
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
