package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/spf13/cobra"

	"github.com/balaidesa/balai/core/api"
	"github.com/balaidesa/balai/core/auth"
	"github.com/balaidesa/balai/core/host"
	"github.com/balaidesa/balai/core/plugin"
	"github.com/balaidesa/balai/core/portal"
)

func (a *app) serveCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Start the portal: the HTTP API and every enabled plugin",
		Long: `Start the portal. On an empty database the first start creates the user
"admin" (role superadmin) with the password in BALAI_ADMIN_PASSWORD, or with a
random password that is printed once.

The server stops gracefully on SIGTERM or Ctrl-C: it stops accepting
connections and lets requests in flight finish (up to --shutdown-timeout).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.serve(cmd.Context()) },
	}
	f := cmd.Flags()
	f.String("listen", "127.0.0.1:8080", "address to listen on (host:port; port 0 picks a free one)")
	f.Duration("session-ttl", 12*time.Hour, "how long a login session lasts")
	f.Duration("shutdown-timeout", 15*time.Second, "how long to wait for requests in flight on shutdown")
	f.StringSlice("plugins-enabled", nil, "plugin binaries (file names in --plugins) to load; default: all")
	f.StringToString("plugin-checksums", nil, "pinned SHA-256 per plugin file, name=hex; a mismatching binary is refused")
	f.Duration("call-timeout", 30*time.Second, "how long a plugin may take to answer, unless its route says otherwise")
	f.Int64("max-body", 1<<20, "largest request body for plugin routes that set no limit, in bytes")
	f.Int("plugin-procs", plugin.DefaultPluginProcs, "scheduler threads (GOMAXPROCS) of each plugin process; 0 uses every core")
	f.String("debug-listen", "", "serve Go's profiler (/debug/pprof/) on this address, for diagnosis; keep it private")
	f.String("name", "", "the deployment's name in the console's header (default Balai)")
	f.Bool("outbound-allow-loopback", false, "let plugins' outbound requests (the disaster webhook) reach loopback addresses, which they refuse otherwise; for tests only")
	f.String("public-url", "", "the portal's public address (https://portal.example.go.id): links printed on letters and pages use it, whatever a client's Host header says")
	return cmd
}

func (a *app) serve(parent context.Context) error {
	if parent == nil {
		parent = context.Background()
	}
	ctx, stop := signal.NotifyContext(parent, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	log := a.logger()
	pcfg := a.pluginConfig()
	var err error
	if pcfg.PublicURL, err = publicURL(a.v.GetString("public-url")); err != nil {
		return err
	}
	api.Version = Version
	metrics := prometheus.NewRegistry()
	metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	p, err := portal.Open(portal.Config{
		DatabaseURL: a.v.GetString("database"),
		DataDir:     a.v.GetString("data"),
		Plugins:     pcfg,
		Logger:      log,
		Name:        a.v.GetString("name"),
		Metrics:     metrics,
		API:         &api.Options{SessionTTL: a.v.GetDuration("session-ttl")},
	})
	if err != nil {
		return err
	}
	// Plugins stop, and the database closes, only after the HTTP server
	// has drained (Shutdown below).
	defer p.Close()
	h := p.Host
	version, _ := h.DB.SchemaVersion()
	log.Info("database ready", "database", h.DB.Where, "schema", version)

	created, password, err := h.Bootstrap(os.Getenv("BALAI_ADMIN_PASSWORD"))
	if err != nil {
		return err
	}
	if created {
		if password != "" {
			fmt.Fprintf(a.stdout, "Created the first user: admin, password %s\nThis password is shown only once: log in and change it.\n", password)
		} else {
			fmt.Fprintln(a.stdout, "Created the first user: admin, with the password from BALAI_ADMIN_PASSWORD.")
		}
	}
	if pcfg.PublicURL == nil {
		log.Warn("no --public-url (BALAI_PUBLIC_URL) set: links that modules print, such as a letter's verification QR code, take the address from each request's Host header, which a caller can choose; set it to the portal's public address")
	}
	if err := p.Start(); err != nil {
		return err
	}

	go h.Authz.Watch(ctx, 2*time.Second)
	go purgeTokens(ctx, h)

	if addr := a.v.GetString("debug-listen"); addr != "" {
		// A separate listener: the profiler must never be reachable
		// through the public API address.
		dbg := &http.Server{Addr: addr, Handler: debugMux(), ReadHeaderTimeout: 10 * time.Second}
		go func() {
			if err := dbg.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Error("debug listener failed", "addr", addr, "err", err)
			}
		}()
		defer dbg.Close()
		log.Info("profiler listening", "url", "http://"+addr+"/debug/pprof/")
	}

	ln, err := net.Listen("tcp", a.v.GetString("listen"))
	if err != nil {
		return fmt.Errorf("listening on %s: %w", a.v.GetString("listen"), err)
	}
	hs := &http.Server{
		Handler:           p.API,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          nil,
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	url := "http://" + ln.Addr().String()
	log.Info("listening", "url", url)
	fmt.Fprintf(a.stdout, "Balai is running at %s (press Ctrl-C to stop)\n", url)
	fmt.Fprintf(a.stdout, "Open %s/login in a browser and log in; the console leads a new deployment through its setup.\n", url)

	select {
	case err := <-errc:
		return fmt.Errorf("serving HTTP: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), a.v.GetDuration("shutdown-timeout"))
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutting down: %w", err)
	}
	log.Info("stopped")
	return nil
}

// purgeTokens removes long-dead tokens once an hour.
func purgeTokens(ctx context.Context, h *host.Host) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := auth.PurgeExpired(h.DB.WithContext(ctx)); err != nil && ctx.Err() == nil {
			h.Log.Warn("purging expired tokens", "err", err)
		} else if n > 0 {
			h.Log.Info("purged expired tokens", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func debugMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// publicURL parses --public-url: empty is none; otherwise an absolute
// http or https URL with a host and nothing after it but an optional "/".
func publicURL(s string) (*url.URL, error) {
	if s == "" {
		return nil, nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return nil, fmt.Errorf("--public-url %q: want the portal's address, such as https://portal.example.go.id", s)
	}
	return u, nil
}
