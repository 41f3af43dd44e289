// Package sdktest runs a plugin in-process against a real Balai host on a
// temporary SQLite database, so a vendor tests a plugin with `go test`
// without building binaries. Requests go through the host's real
// authentication, permission checks, module enablement and tenant-scoped
// storage; only the go-plugin process boundary is left out.
//
//	h := sdktest.New(t, &plugin)
//	h.Tenant("14.01.01.2009")
//	h.Enable("14.01")
//	op := h.User("siti", "operator", "14.01.01.2009")
//	res := op.Post("14.01.01.2009", "/notes", map[string]string{"text": "hi"})
package sdktest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/api"
	"github.com/balaidesa/balai/core/audit"
	"github.com/balaidesa/balai/core/auth"
	"github.com/balaidesa/balai/core/host"
	"github.com/balaidesa/balai/core/plugin"
	"github.com/balaidesa/balai/core/portal"
	"github.com/balaidesa/balai/core/rbac"
	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/core/tenancy"
	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/internal/inproc"
)

// AdminPassword is the password of the superadmin "admin".
const AdminPassword = "sdktest-admin-password"

// Host is a running in-process host with one plugin loaded.
type Host struct {
	t       testing.TB
	core    *host.Host
	rt      *plugin.Runtime
	handler http.Handler
	srv     *httptest.Server
	// Plugin is the id of the plugin under test.
	Plugin string
}

// Option changes how New builds the host.
type Option func(*options)

type options struct {
	dbURL string
	clock func() time.Time
}

// WithDatabase runs the host on this database URL instead of a temporary
// SQLite file (for example a PostgreSQL schema).
func WithDatabase(url string) Option { return func(o *options) { o.dbURL = url } }

// WithClock sets what time the host tells the plugin it is: every
// request's and event's sdk.Request.Now and Today come from clock. Use a
// Clock to move time between requests.
func WithClock(clock func() time.Time) Option { return func(o *options) { o.clock = clock } }

// Clock is a settable clock for WithClock, safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock that stands at now until Set or Add moves it.
func NewClock(now time.Time) *Clock { return &Clock{now: now} }

// Now is the clock's time; pass c.Now to WithClock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// Add moves the clock by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// New starts a host serving p in-process, after the checks sdk.Serve
// makes: a plugin the host would refuse fails the test with every reason.
func New(t testing.TB, p *sdk.Plugin, more ...Option) *Host {
	t.Helper()
	in, err := inproc.New(p)
	if err != nil {
		t.Fatalf("sdktest: %v", err)
	}
	return start(t, p.ID, func(rt *plugin.Runtime) error {
		_, err := rt.LoadInProcess(in)
		return err
	}, "", more)
}

// Each runs fn against a host serving p on every database the machine
// offers: SQLite always, and PostgreSQL, in a fresh schema dropped after
// the test, when BALAI_TEST_DATABASE_URL names a server
// ("postgres://postgres@127.0.0.1:5432/test?sslmode=disable"). Each runs
// as a subtest named "sqlite" or "postgres"; without a server the
// PostgreSQL run is skipped, and logged as skipped.
func Each(t *testing.T, p *sdk.Plugin, fn func(t *testing.T, h *Host), more ...Option) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			opts := append([]Option{}, more...)
			if url, _ := b.New(t); url != "" {
				opts = append(opts, WithDatabase(url))
			}
			fn(t, New(t, p, opts...))
		})
	}
}

// NewBinary starts a host that runs a built plugin binary through the real
// go-plugin runtime, as balai serve does: for testing the shipped binary,
// and for measuring what the process boundary costs.
func NewBinary(t testing.TB, path, id string, more ...Option) *Host {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("sdktest: %v", err)
	}
	// The host loads a plugin only from a file named by its id.
	if err := os.WriteFile(filepath.Join(dir, id), data, 0o755); err != nil {
		t.Fatal(err)
	}
	th := start(t, id, nil, dir, more)
	if _, ok := th.rt.Get(id); !ok {
		t.Fatalf("sdktest: plugin %s did not load from %s", id, path)
	}
	return th
}

func start(t testing.TB, id string, load func(*plugin.Runtime) error, pluginDir string, more []Option) *Host {
	t.Helper()
	var o options
	for _, fn := range more {
		fn(&o)
	}
	dir := t.TempDir()
	// The host's log, with the plugin's own Logf lines and panics, goes to
	// the test's log: shown when the test fails or runs with -v.
	tw := &testWriter{t: t}
	t.Cleanup(tw.stop)
	log := slog.New(quietAccess{slog.NewTextHandler(tw, &slog.HandlerOptions{Level: slog.LevelDebug})})
	p, err := portal.Open(portal.Config{
		DatabaseURL: o.dbURL, DataDir: dir, Logger: log, Clock: o.clock,
		Plugins:   plugin.Config{Dir: pluginDir, PluginProcs: plugin.DefaultPluginProcs},
		InProcess: load,
		API:       &api.Options{},
	})
	if err != nil {
		t.Fatalf("sdktest: opening host: %v", err)
	}
	if _, _, err := p.Host.Bootstrap(AdminPassword); err != nil {
		p.Close()
		t.Fatalf("sdktest: %v", err)
	}
	if err := p.Start(); err != nil {
		p.Close()
		t.Fatalf("sdktest: %v", err)
	}
	th := &Host{t: t, core: p.Host, rt: p.Runtime, handler: p.API, Plugin: id}
	th.srv = httptest.NewServer(p.API)
	t.Cleanup(func() {
		th.srv.Close()
		p.Close()
	})
	return th
}

// URL is the base URL of the host's HTTP API.
func (h *Host) URL() string { return h.srv.URL }

// Handler is the host's HTTP handler, for benchmarks without a network.
func (h *Host) Handler() http.Handler { return h.handler }

// Tenant creates a tenant and any missing ancestors, named after their codes.
func (h *Host) Tenant(code string) {
	h.t.Helper()
	codes := append(tenancy.Ancestors(code), "")
	for i := len(codes) - 2; i >= 0; i-- {
		h.ensureTenant(codes[i])
	}
	h.ensureTenant(code)
}

func (h *Host) ensureTenant(code string) {
	h.t.Helper()
	if ok, _ := tenancy.Exists(h.core.DB.DB, code); ok {
		return
	}
	if _, err := tenancy.Create(h.core.DB.DB, code, "Tenant "+code); err != nil {
		h.t.Fatalf("sdktest: creating tenant %s: %v", code, err)
	}
}

// Enable enables the plugin for a tenant and everything below it.
func (h *Host) Enable(tenant string) { h.setModule(tenant, true) }

// Disable disables the plugin for a tenant and everything below it.
func (h *Host) Disable(tenant string) { h.setModule(tenant, false) }

func (h *Host) setModule(tenant string, on bool) {
	h.t.Helper()
	err := h.core.DB.Transaction(func(tx *gorm.DB) error {
		return plugin.SetModule(tx, audit.Who{Actor: "sdktest"}, tenant, h.Plugin, &on)
	})
	if err == nil {
		err = h.core.Authz.Reload()
	}
	if err != nil {
		h.t.Fatalf("sdktest: enabling %s in %s: %v", h.Plugin, tenant, err)
	}
}

// User creates a user holding role in tenant and returns it logged in.
func (h *Host) User(username, role, tenant string) *Client {
	h.t.Helper()
	password := username + "-sdktest-password"
	err := h.core.DB.Transaction(func(tx *gorm.DB) error {
		if _, err := auth.CreateUser(tx, auth.NewUser{Username: username, Password: password}); err != nil {
			return err
		}
		return rbac.SetRoles(tx, tenant, username, []string{role})
	})
	if err == nil {
		err = h.core.Authz.Reload()
	}
	if err != nil {
		h.t.Fatalf("sdktest: creating user %s: %v", username, err)
	}
	return h.Login(username, password)
}

// Admin returns the superadmin, logged in.
func (h *Host) Admin() *Client { return h.Login("admin", AdminPassword) }

// Anonymous returns a client without a login, for public routes.
func (h *Host) Anonymous() *Client { return &Client{h: h} }

// Login logs a user in.
func (h *Host) Login(username, password string) *Client {
	h.t.Helper()
	c := &Client{h: h, Username: username}
	res := c.raw("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": password})
	if res.Status != http.StatusOK {
		h.t.Fatalf("sdktest: login %s: %d %s", username, res.Status, res.Body)
	}
	var tok struct{ Token string }
	res.JSON(&tok)
	c.Token = tok.Token
	return c
}

// Client calls the host as one user.
type Client struct {
	h     *Host
	Token string
	// Username is the client's user; "" for Anonymous.
	Username string
	// Lang is the language its pages are asked in: "id" (when empty) or "en".
	Lang string
}

// Response is an HTTP answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	t      testing.TB
}

// JSON decodes the body into v, failing the test if it cannot.
func (r *Response) JSON(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		r.t.Fatalf("sdktest: response %d is not the JSON expected: %v\n%s", r.Status, err, r.Body)
	}
}

// ErrorCode returns error.code of an error answer, "" for another.
func (r *Response) ErrorCode() sdk.Code {
	var e struct {
		Error struct{ Code sdk.Code } `json:"error"`
	}
	json.Unmarshal(r.Body, &e)
	return e.Error.Code
}

// Is reports whether the answer is the error target: its status and code
// (Is(sdk.ErrNotFound) for a 404 not_found).
func (r *Response) Is(target *sdk.Error) bool {
	return r.Status == target.Status && r.ErrorCode() == target.Code
}

// quietAccess leaves out the host's access log (one "request" line per
// call, which would bury what the plugin said) and the successes it
// reports; everything else, the plugin's own lines included, passes.
type quietAccess struct{ slog.Handler }

func (q quietAccess) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "request" && r.Level < slog.LevelWarn {
		return nil
	}
	return q.Handler.Handle(ctx, r)
}

func (q quietAccess) WithAttrs(as []slog.Attr) slog.Handler {
	return quietAccess{q.Handler.WithAttrs(as)}
}
func (q quietAccess) WithGroup(name string) slog.Handler {
	return quietAccess{q.Handler.WithGroup(name)}
}

// testWriter sends log lines to t.Log until the test ends (t.Log after
// that panics; late lines from a stopping host go to standard error).
type testWriter struct {
	mu   sync.Mutex
	t    testing.TB
	done bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return os.Stderr.Write(p)
	}
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func (w *testWriter) stop() {
	w.mu.Lock()
	w.done = true
	w.mu.Unlock()
}

// Do sends method to the plugin's path in tenant: /api/v1/t/{tenant}/{plugin}{path}.
func (c *Client) Do(method, tenant, path string, body any) *Response {
	c.h.t.Helper()
	return c.raw(method, plugin.Prefix+tenant+"/"+c.h.Plugin+path, body)
}

// API calls the host's own API (for example GET /api/v1/audit).
func (c *Client) API(method, path string, body any) *Response {
	c.h.t.Helper()
	return c.raw(method, path, body)
}

// Get is Do with GET.
func (c *Client) Get(tenant, path string) *Response { return c.Do("GET", tenant, path, nil) }

// Post is Do with POST and a body: a string or []byte is sent as it is,
// anything else as JSON.
func (c *Client) Post(tenant, path string, body any) *Response {
	return c.Do("POST", tenant, path, body)
}

// Put is Do with PUT and a body, as Post.
func (c *Client) Put(tenant, path string, body any) *Response { return c.Do("PUT", tenant, path, body) }

// Patch is Do with PATCH and a body, as Post.
func (c *Client) Patch(tenant, path string, body any) *Response {
	return c.Do("PATCH", tenant, path, body)
}

// Delete is Do with DELETE and no body.
func (c *Client) Delete(tenant, path string) *Response { return c.Do("DELETE", tenant, path, nil) }

func (c *Client) raw(method, path string, body any) *Response {
	c.h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			c.h.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, c.h.srv.URL+path, rd)
	if err != nil {
		c.h.t.Fatal(err)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.h.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return &Response{Status: res.StatusCode, Header: res.Header, Body: data, t: c.h.t}
}
