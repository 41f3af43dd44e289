// Package web is Balai's browser face: login sessions on cookies with CSRF
// protection, the console shell (layout, navigation, tenant switcher,
// flash messages, HTML error pages), the host's own screens (dashboard,
// account, administration, setup wizard) and the wrapping of module pages
// that plugins render as HTML fragments (package webpage).
//
// Every administrative operation goes through core/admin, the same code as
// the API and the CLI, so the screens audit and check exactly as they do.
// Cookies are accepted only here: /api/v1 keeps bearer tokens.
package web

import (
	"golang.org/x/time/rate"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/balaidesa/balai/core/admin"
	"github.com/balaidesa/balai/core/auth"
	"github.com/balaidesa/balai/core/host"
	"github.com/balaidesa/balai/core/modules"
	"github.com/balaidesa/balai/core/plugin"
	"github.com/balaidesa/balai/core/webpage"
)

// Config is what the web layer is built from.
type Config struct {
	Host  *host.Host
	Admin *admin.Service
	// Limiter is the API's login limiter: one budget of guesses for both doors.
	Limiter *auth.LoginLimiter
	// Tokens is the API's token cache (flushed with the policy).
	Tokens *auth.TokenCache
	// SessionTTL is how long a login lasts (the API's).
	SessionTTL time.Duration
	// Source serves module pages, menus and widgets; nil: no module pages.
	Source webpage.Source
	// Runtime gives plugin health and the loaded plugins; nil: none.
	Runtime *plugin.Runtime
	// Modules is the module enablement table; nil: no module screens.
	Modules *modules.Table
	// PublicURL, when https, makes every cookie Secure.
	PublicURL *url.URL
	// Name is the deployment's name in the header; "" is "Balai".
	Name   string
	Logger *slog.Logger
}

// Server serves the browser's paths (api.IsWebPath).
type Server struct {
	cfg Config
	mux *http.ServeMux
	cop *http.CrossOriginProtection
	// anonRefusals budgets the log lines of forms refused without a
	// session (refuseCSRF).
	anonRefusals *rate.Limiter
	jobs         *jobs
	// assets maps a static file's name to its hashed URL.
	assets map[string]string
	once   sync.Once
}

// New builds the web layer.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.Name == "" {
		cfg.Name = "Balai"
	}
	if cfg.Limiter == nil {
		cfg.Limiter = auth.NewLoginLimiter()
	}
	if cfg.Tokens == nil {
		cfg.Tokens = auth.NewTokenCache(10 * time.Second)
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), cop: http.NewCrossOriginProtection(), jobs: newJobs(),
		anonRefusals: rate.NewLimiter(rate.Every(time.Second), 20)}
	s.assets = loadAssets()
	s.routes()
	return s
}

// SetSource sets the module page source once the runtime exists.
func (s *Server) SetSource(src webpage.Source) { s.cfg.Source = src }

func (s *Server) routes() {
	m := s.mux
	m.Handle("GET /static/{file}", http.HandlerFunc(s.static))
	m.Handle("GET /login", s.anon(s.loginForm))
	m.Handle("POST /login", s.anon(s.loginPost))
	m.Handle("GET /logout", s.anon(s.logoutForm))
	m.Handle("POST /logout", s.authed(s.logoutPost))
	m.Handle("GET /console/lang", s.anon(s.setLang))
	m.Handle("GET /console", http.RedirectHandler("/console/", http.StatusMovedPermanently))
	m.Handle("GET /console/{$}", s.authed(s.consoleHome))
	m.Handle("GET /console/account", s.authed(s.accountForm))
	m.Handle("POST /console/account", s.authed(s.accountPost))
	m.Handle("GET /console/setup", s.authed(s.setupForm))
	m.Handle("POST /console/setup", s.authed(s.setupPost))
	m.Handle("GET /console/setup/modules", s.authed(s.setupModules))
	m.Handle("POST /console/setup/modules", s.authed(s.setupModulesPost))
	m.Handle("GET /console/jobs/{id}", s.authed(s.jobPage))
	m.Handle("GET /console/{tenant}/{$}", s.tenanted(s.dashboard))
	m.Handle("GET /console/{tenant}", s.tenanted(func(q *rq) { http.Redirect(q.w, q.r, "/console/"+q.tenant.Code+"/", http.StatusMovedPermanently) }))
	m.Handle("GET /console/{tenant}/admin/users", s.tenanted(s.usersList))
	m.Handle("POST /console/{tenant}/admin/users", s.tenanted(s.usersCreate))
	m.Handle("GET /console/{tenant}/admin/users/{username}", s.tenanted(s.userDetail))
	m.Handle("POST /console/{tenant}/admin/users/{username}", s.tenanted(s.userUpdate))
	m.Handle("GET /console/{tenant}/admin/grants", s.tenanted(s.grantsList))
	m.Handle("POST /console/{tenant}/admin/grants", s.tenanted(s.grantsPost))
	m.Handle("GET /console/{tenant}/admin/roles", s.tenanted(s.rolesList))
	m.Handle("POST /console/{tenant}/admin/roles", s.tenanted(s.rolesPost))
	m.Handle("GET /console/{tenant}/admin/modules", s.tenanted(s.modulesList))
	m.Handle("POST /console/{tenant}/admin/modules", s.tenanted(s.modulesPost))
	m.Handle("GET /console/{tenant}/admin/audit", s.tenanted(s.auditList))
	m.Handle("GET /console/{tenant}/admin/plugins", s.tenanted(s.pluginsList))
	m.Handle("GET /console/{tenant}/admin/regions", s.tenanted(s.regionsList))
	m.Handle("POST /console/{tenant}/admin/regions", s.tenanted(s.regionsImport))
	m.Handle("/console/{tenant}/m/{plugin}/{path...}", s.tenanted(s.consolePage))
	m.Handle("/{tenant}/{plugin}/{path...}", s.anon(s.publicPage))
	// The public portal (portal.go).
	m.Handle("GET /{$}", s.anon(s.portalHome))
	m.Handle("GET /{tenant}/{$}", s.anon(s.portalCode))
	m.Handle("GET /{tenant}", s.anon(s.portalShort))
	m.Handle("/", s.anon(func(q *rq) { s.fail(q, notFound()) }))
}

// ServeHTTP serves the browser's paths.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Pages carry personal data: never framed. Scripts only from this
	// host; inline style attributes are allowed because module fragments
	// (charts, widths) may use them and they cannot run code.
	h := w.Header()
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	s.mux.ServeHTTP(w, r)
}
