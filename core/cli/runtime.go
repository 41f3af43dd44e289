package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/plugin"
	"github.com/balaidesa/balai/core/portal"
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
		// Only the deployment decides this, never a module's settings.
		OutboundAllowLoopback: a.v.GetBool("outbound-allow-loopback"),
	}
}

// deployment is the portal with its plugins running and no HTTP API, for
// commands that work through plugin routes the way the server does
// (imports, demo data), so that a module's own checks apply and its events
// reach the others.
type deployment struct {
	*portal.Portal
}

func (a *app) startDeployment() (*deployment, error) {
	p, err := portal.Open(portal.Config{
		DatabaseURL: a.v.GetString("database"),
		DataDir:     a.v.GetString("data"),
		Plugins:     a.pluginConfig(),
		// Only the runtime's own complaints reach the operator.
		Logger: slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		return nil, err
	}
	if err := p.Start(); err != nil {
		p.Close()
		return nil, err
	}
	return &deployment{p}, nil
}

// requirePlugin fails with a useful message when a plugin is not running.
func (d *deployment) requirePlugin(id, dir string) error {
	in, ok := d.Runtime.Get(id)
	if !ok {
		return fmt.Errorf("the %s plugin is not in %s: build it (make build) or point --plugins at it", id, dir)
	}
	if info := in.Info(); info.State != plugin.StateRunning {
		return fmt.Errorf("the %s plugin is %s: %s", id, info.State, info.Error)
	}
	return nil
}

// invoke sends a request to a plugin route as the CLI's operator and
// returns the body of the answer; an error answer becomes an
// *apierr.Error so that it prints like the API's.
func (d *deployment) invoke(ctx context.Context, tenant, pluginID, method, path, contentType string, body io.Reader, size int64) ([]byte, error) {
	hdr := http.Header{}
	if contentType != "" {
		hdr.Set("Content-Type", contentType)
	}
	who := cliWho()
	var res answer
	err := d.Runtime.Invoke(ctx, plugin.Invocation{Actor: who.Actor, Tenant: tenant, Plugin: pluginID, Method: method, Path: path, Header: hdr, Body: body, Size: size}, &res)
	if err != nil {
		return nil, err
	}
	if res.status >= 400 {
		return nil, apierr.FromBody(res.status, res.body.Bytes())
	}
	return res.body.Bytes(), nil
}

// answer is a plugin's answer to the CLI, kept whole in memory: the
// http.ResponseWriter that plugin.Runtime.Invoke writes to.
type answer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *answer) Header() http.Header {
	if w.header == nil {
		w.header = http.Header{}
	}
	return w.header
}

func (w *answer) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *answer) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(b)
}
