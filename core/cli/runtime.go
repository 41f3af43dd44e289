package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/host"
	"github.com/balaidesa/balai/core/modules"
	"github.com/balaidesa/balai/core/plugin"
)

// pluginConfig is the plugin runtime's configuration, the same for serve
// and for the commands that work through plugins.
func (a *app) pluginConfig() plugin.Config {
	procs := plugin.DefaultPluginProcs
	if a.v.IsSet("plugin-procs") {
		procs = a.v.GetInt("plugin-procs")
	}
	// Zero timeout and body limit (commands without those flags) take the
	// runtime's defaults.
	return plugin.Config{
		PluginProcs: procs,
		Dir:         a.v.GetString("plugins"),
		Enabled:     a.v.GetStringSlice("plugins-enabled"),
		Checksums:   a.v.GetStringMapString("plugin-checksums"),
		CallTimeout: a.v.GetDuration("call-timeout"),
		MaxBody:     a.v.GetInt64("max-body"),
		FilesDir:    filepath.Join(a.v.GetString("data"), "files"),
	}
}

// deployment is the host with its plugins running, for commands that work
// through plugin routes the way the server does (imports, demo data), so
// that a module's own checks apply and its events reach the others.
type deployment struct {
	h    *host.Host
	rt   *plugin.Runtime
	stop func()
}

func (a *app) startDeployment() (*deployment, error) {
	h, err := a.open()
	if err != nil {
		return nil, err
	}
	mods, err := modules.NewTable(h.DB)
	if err != nil {
		h.Close()
		return nil, err
	}
	// Only the runtime's own complaints reach the operator.
	log := slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	rt := plugin.New(h, a.pluginConfig(), mods, prometheus.NewRegistry(), log)
	ctx, cancel := context.WithCancel(context.Background())
	if err := rt.Load(ctx); err != nil {
		cancel()
		h.Close()
		return nil, err
	}
	return &deployment{h: h, rt: rt, stop: func() { cancel(); rt.Wait(); h.Close() }}, nil
}

// requirePlugin fails with a useful message when a plugin is not running.
func (d *deployment) requirePlugin(id, dir string) error {
	in, ok := d.rt.Get(id)
	if !ok {
		return fmt.Errorf("the %s plugin is not in %s: build it (make build) or point --plugins at it", id, dir)
	}
	if info := in.Info(); info.State != plugin.StateRunning {
		return fmt.Errorf("the %s plugin is %s: %s", id, info.State, info.Error)
	}
	return nil
}

// invoke sends a request to a plugin route as the CLI's operator and
// returns the status and body of the answer; an error answer becomes an
// *apierr.Error so that it prints like the API's.
func (d *deployment) invoke(ctx context.Context, tenant, pluginID, method, path, contentType string, body io.Reader, size int64) ([]byte, error) {
	rec := httptest.NewRecorder()
	hdr := http.Header{}
	if contentType != "" {
		hdr.Set("Content-Type", contentType)
	}
	who := cliWho()
	err := d.rt.Invoke(ctx, plugin.Invocation{Actor: who.Actor, Tenant: tenant, Plugin: pluginID, Method: method, Path: path, Header: hdr, Body: body, Size: size}, rec)
	if err != nil {
		return nil, err
	}
	if rec.Code >= 400 {
		return nil, apierr.FromBody(rec.Code, rec.Body.Bytes())
	}
	return rec.Body.Bytes(), nil
}
