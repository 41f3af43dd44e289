// Package portal assembles a running Balai deployment from its parts, in
// the one order they depend on each other: the database and the core
// services (host.Open), the module enablement table, the plugin runtime,
// and the HTTP API with the plugins' routes mounted on it.
//
// balai serve, the CLI commands that work through plugins (imports, demo
// data) and the test kit (sdk/sdktest) all build it here, so a plugin meets
// the same host in a test as in production.
//
//	p, err := portal.Open(portal.Config{DataDir: dir, Plugins: plugin.Config{Dir: "plugins"}, API: &api.Options{}})
//	...
//	defer p.Close()
//	if err := p.Start(); err != nil { ... }
//	http.ListenAndServe(addr, p.API)
package portal

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/balaidesa/balai/core/api"
	"github.com/balaidesa/balai/core/host"
	"github.com/balaidesa/balai/core/modules"
	"github.com/balaidesa/balai/core/plugin"
	"github.com/balaidesa/balai/core/rbac"
	"github.com/balaidesa/balai/core/web"
	"github.com/balaidesa/balai/core/webpage"
)

// Config says what to assemble. Only DataDir is required (for SQLite, and
// for the plugins' files when Plugins.FilesDir is empty).
type Config struct {
	// DatabaseURL is a postgres:// URL; empty keeps a SQLite file in DataDir.
	DatabaseURL string
	// DataDir holds the SQLite database and, under files/, what plugins
	// store (unless Plugins.FilesDir says otherwise).
	DataDir string
	// Plugins configures the runtime: where the binaries are, which to
	// load, timeouts, limits, the public URL. Plugins.Dir empty loads no
	// binary (only InProcess plugins). FilesDir defaults to DataDir/files.
	Plugins plugin.Config
	// InProcess, when set, is called with the runtime before any binary
	// starts, to load plugins served from this process
	// (plugin.Runtime.LoadInProcess): what the test kit runs. An error
	// fails Start.
	InProcess func(*plugin.Runtime) error
	// Clock is the time plugins are told it is (host.Config.Clock); nil
	// is time.Now.
	Clock func() time.Time
	// Logger receives the host's and the plugins' logs; nil is
	// slog.Default().
	Logger *slog.Logger
	// Name is the deployment's name in the console's header ("Portal Desa
	// Kabupaten Kampar"); "" is "Balai".
	Name string
	// Metrics receives the runtime's and the API's metrics; nil is a
	// fresh registry of the portal's own.
	Metrics *prometheus.Registry
	// Registry is the permission catalogue; nil is a new one with the
	// built-in permissions (plugins add theirs when they load).
	Registry *rbac.Registry
	// API, when set, builds the HTTP API with these options and mounts the
	// plugins' routes on it (Portal.API). Logger, Metrics, Gatherer, Ready
	// and FilesDir left empty are filled from the portal. Nil builds no
	// HTTP API: for CLI commands that call plugins directly
	// (plugin.Runtime.Invoke).
	API *api.Options
}

// Portal is an assembled deployment. Its fields are ready after Open;
// plugins run from Start until Close.
type Portal struct {
	// Host is the database and the core services.
	Host *host.Host
	// Modules is the enablement table, reloaded with the policy.
	Modules *modules.Table
	// Runtime loads, supervises and serves the plugins.
	Runtime *plugin.Runtime
	// API is the HTTP API with the plugins' routes; nil without
	// Config.API.
	API *api.Server
	// Web is the browser face (login, console, module pages), mounted on
	// API; nil without Config.API.
	Web *web.Server
	// Metrics is the registry the runtime and the API report to.
	Metrics *prometheus.Registry

	cfg       Config
	stop      context.CancelFunc
	closeOnce sync.Once
	closeErr  error
}

// Open connects to the database and migrates it, loads the policy, and
// builds the modules table, the plugin runtime and (with Config.API) the
// HTTP API. No plugin runs yet: call Start. On an error nothing stays open.
func Open(cfg Config) (*Portal, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("portal: no data directory")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = prometheus.NewRegistry()
	}
	if cfg.Registry == nil {
		cfg.Registry = rbac.NewRegistry()
	}
	if cfg.Plugins.FilesDir == "" {
		cfg.Plugins.FilesDir = filepath.Join(cfg.DataDir, "files")
	}
	h, err := host.Open(host.Config{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir, Clock: cfg.Clock}, cfg.Registry, cfg.Logger)
	if err != nil {
		return nil, err
	}
	mods, err := modules.NewTable(h.DB)
	if err != nil {
		h.Close()
		return nil, fmt.Errorf("loading module enablement: %w", err)
	}
	// Enablement changes travel with the policy version: another process
	// (the CLI, another server) enabling a module bumps it.
	h.Authz.OnReload(mods.Reload)
	p := &Portal{Host: h, Modules: mods, Metrics: cfg.Metrics, cfg: cfg}
	p.Runtime = plugin.New(h, cfg.Plugins, mods, cfg.Metrics, cfg.Logger)
	if cfg.API != nil {
		opts := *cfg.API
		if opts.Logger == nil {
			opts.Logger = cfg.Logger
		}
		if opts.Metrics == nil {
			opts.Metrics, opts.Gatherer = cfg.Metrics, cfg.Metrics
		}
		if opts.Ready == nil {
			opts.Ready = p.Runtime.Ready
		}
		if opts.FilesDir == "" {
			opts.FilesDir = cfg.Plugins.FilesDir
		}
		p.API = api.New(h, opts)
		p.Runtime.Mount(p.API)
		// The web layer shares the API's login limiter, token cache and
		// admin service: one implementation of every use case.
		p.Web = web.New(web.Config{Host: h, Admin: p.API.Admin(), Limiter: p.API.LoginLimiter(), Tokens: p.API.Tokens(),
			SessionTTL: p.API.SessionTTL(), Runtime: p.Runtime, Modules: mods, PublicURL: cfg.Plugins.PublicURL, Name: cfg.Name, Logger: cfg.Logger})
		if src, ok := any(p.Runtime).(webpage.Source); ok { // once the runtime serves pages
			p.Web.SetSource(src)
		}
		p.API.MountWeb(p.Web)
	}
	return p, nil
}

// Start loads the in-process plugins (Config.InProcess), then starts every
// plugin binary of Config.Plugins.Dir and the event dispatcher. A plugin
// that cannot start is recorded as failed and does not stop the others;
// an error means the runtime could not start at all (an unreadable plugin
// directory, an in-process plugin refused). Plugins run until Close.
// Start is called once.
func (p *Portal) Start() error {
	if p.stop != nil {
		return errors.New("portal: started twice")
	}
	if p.cfg.InProcess != nil {
		if err := p.cfg.InProcess(p.Runtime); err != nil {
			return fmt.Errorf("loading in-process plugins: %w", err)
		}
	}
	// Plugins live until Close, not until a caller's context ends: the
	// server stops them only once its HTTP requests have drained.
	ctx, cancel := context.WithCancel(context.Background())
	p.stop = cancel
	if err := p.Runtime.Load(ctx); err != nil {
		return fmt.Errorf("starting plugins: %w", err)
	}
	return nil
}

// Close stops the plugins (waiting for their processes to end) and closes
// the database. It is safe to call more than once and without Start.
func (p *Portal) Close() error {
	p.closeOnce.Do(func() {
		if p.stop != nil {
			p.stop()
			p.Runtime.Wait()
		}
		p.closeErr = p.Host.Close()
	})
	return p.closeErr
}
