package plugin

import (
	"context"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/files"
	"github.com/balaidesa/balai/core/host"
	"github.com/balaidesa/balai/core/modules"
	"github.com/balaidesa/balai/core/rbac"
	"github.com/balaidesa/balai/core/records"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// Config is the deployment's plugin configuration.
type Config struct {
	// Dir holds the plugin binaries.
	Dir string
	// Enabled lists the plugin binaries (by file name) to load; empty loads all.
	Enabled []string
	// Checksums pins binaries (by file name) to a SHA-256, hex-encoded.
	Checksums map[string]string
	// CallTimeout bounds a plugin call whose route sets no timeout.
	CallTimeout time.Duration
	// MaxBody bounds a request body whose route sets no limit.
	MaxBody int64
	// FilesDir is where plugins' files are stored.
	FilesDir string
	// MaxFileBytes bounds one stored file.
	MaxFileBytes int64
	// PluginProcs is GOMAXPROCS of each plugin process; 0 leaves Go's
	// default (every core). See DefaultPluginProcs.
	PluginProcs int
	// PublicURL is the deployment's public address (https://desa.example
	// .go.id), from which plugins print links (a letter's verification QR
	// code). When set, plugins are told its host and scheme whatever a
	// client sends; when empty they are told the request's own Host, which
	// a caller chooses.
	PublicURL *url.URL
	// OutboundAllowLoopback lets plugins' outbound requests to addresses a
	// user gives (the disaster module's webhook) reach loopback addresses,
	// which they otherwise refuse: for tests, whose receivers listen on
	// 127.0.0.1. Never for a real deployment. Link-local and the other
	// refused ranges stay refused.
	OutboundAllowLoopback bool
}

// DefaultPluginProcs gives each plugin process one scheduler thread. A
// deployment runs a dozen plugin processes beside the host and the
// database on a machine of a few cores; a plugin mostly waits on the host,
// and idle threads of many processes spinning for work cost more than they
// give (the NIK lookup through a plugin went from 0.50 to 0.52 of the
// in-process rate on 2 cores).
const DefaultPluginProcs = 1

// State is where a plugin is in its life.
type State string

const (
	StateStarting   State = "starting"
	StateRunning    State = "running"
	StateRestarting State = "restarting" // crashed or hung; waiting to start again
	StateFailed     State = "failed"     // refused: bad manifest, checksum, duplicate
	StateStopped    State = "stopped"
)

// Instance is one loaded plugin and its supervision state.
type Instance struct {
	rt       *Runtime
	File     string
	Path     string
	Checksum string
	pinned   []byte

	mu        sync.RWMutex
	proc      *process
	manifest  *pb.Manifest
	routes    *http.ServeMux
	pages     *http.ServeMux // the page routes, matched apart from the API's
	perms     []string
	state     State
	restarts  int
	lastError string
	nextStart time.Time
	backoff   time.Duration
	upSince   time.Time
	wake      chan struct{}
}

// Info is what GET /api/v1/plugins shows of a plugin.
type Info struct {
	ID          string   `json:"id"`
	File        string   `json:"file"`
	Version     string   `json:"version"`
	Vendor      string   `json:"vendor,omitempty"`
	Description string   `json:"description,omitempty"`
	State       State    `json:"state"`
	PID         int      `json:"pid,omitempty"`
	Restarts    int      `json:"restarts"`
	Protocol    int      `json:"protocol,omitempty"`
	SHA256      string   `json:"sha256"`
	Error       string   `json:"error,omitempty"`
	Permissions []string `json:"permissions,omitempty"`
}

// Info snapshots the instance.
func (in *Instance) Info() Info {
	in.mu.RLock()
	defer in.mu.RUnlock()
	i := Info{File: in.File, State: in.state, Restarts: in.restarts, SHA256: in.Checksum, Error: in.lastError, Permissions: in.perms}
	if in.manifest != nil {
		i.ID, i.Version, i.Vendor, i.Description = in.manifest.Id, in.manifest.Version, in.manifest.Vendor, in.manifest.Description
	}
	if in.proc != nil && in.state == StateRunning {
		i.PID, i.Protocol = in.proc.pid, in.proc.protocol
	}
	return i
}

// ID is the plugin id from its manifest ("" before the first start).
func (in *Instance) ID() string {
	in.mu.RLock()
	defer in.mu.RUnlock()
	if in.manifest == nil {
		return ""
	}
	return in.manifest.Id
}

// Manifest returns the plugin's manifest.
func (in *Instance) Manifest() *pb.Manifest {
	in.mu.RLock()
	defer in.mu.RUnlock()
	return in.manifest
}

// live returns the running process, or nil with the seconds to wait.
func (in *Instance) live() (*process, int) {
	in.mu.RLock()
	defer in.mu.RUnlock()
	if in.state == StateRunning && in.proc != nil {
		return in.proc, 0
	}
	wait := int(time.Until(in.nextStart).Seconds()) + 1
	return nil, max(1, wait)
}

// Runtime loads, supervises and serves the deployment's plugins.
type Runtime struct {
	h       *host.Host
	cfg     Config
	log     *slog.Logger
	engine  *records.Engine
	modules *modules.Table
	scopes  *scopeTable
	events  *dispatcher
	files   *files.Store
	tenants tenantCache
	metrics *metrics
	edge    *edge // rate limits and idempotency keys (edge.go)

	mu        sync.RWMutex
	instances []*Instance
	byID      map[string]*Instance
	ctx       context.Context
	wg        sync.WaitGroup
}

// New builds a runtime; Load starts the plugins.
func New(h *host.Host, cfg Config, mods *modules.Table, reg prometheus.Registerer, log *slog.Logger) *Runtime {
	if cfg.CallTimeout == 0 {
		cfg.CallTimeout = 30 * time.Second
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 1 << 20
	}
	if cfg.MaxFileBytes == 0 {
		cfg.MaxFileBytes = 10 << 20
	}
	if cfg.OutboundAllowLoopback && log != nil {
		// A test switch in production would let a module's outbound
		// requests (the disaster webhook) reach this machine's own
		// services: say so at every start.
		log.Warn("plugins may send requests to loopback addresses (--outbound-allow-loopback): for tests only, never in production")
	}
	rt := &Runtime{
		h: h, cfg: cfg, log: log, engine: records.NewEngine(h.DB), modules: mods,
		scopes: newScopeTable(), byID: map[string]*Instance{}, metrics: newMetrics(reg),
		edge: newEdge(h.DB),
	}
	rt.files = &files.Store{DB: h.DB.DB, Dir: cfg.FilesDir, MaxBytes: cfg.MaxFileBytes}
	rt.events = newDispatcher(rt)
	// A tenant deleted (and purged) elsewhere bumps the policy version:
	// forget which tenants exist, so no request writes under the deleted
	// code in the seconds the cache would still vouch for it.
	h.Authz.OnReload(rt.forgetTenants)
	return rt
}

// Engine is the storage engine plugins write through.
func (rt *Runtime) Engine() *records.Engine { return rt.engine }

// Modules is the enablement table.
func (rt *Runtime) Modules() *modules.Table { return rt.modules }

// discover lists the plugin binaries to load.
func (rt *Runtime) discover() ([]string, error) {
	files, missing, err := discover(rt.cfg)
	for _, name := range missing {
		rt.log.Error("plugin enabled in the configuration is missing", "plugin", name, "dir", rt.cfg.Dir)
	}
	return files, err
}

// discover lists, sorted, the plugin binaries cfg loads: the executable
// regular files of cfg.Dir not starting with a dot, only those of
// cfg.Enabled when it is set. missing are the names of cfg.Enabled with
// no such file. A missing directory holds no plugins.
func discover(cfg Config) (files, missing []string, err error) {
	entries, err := os.ReadDir(cfg.Dir)
	if os.IsNotExist(err) {
		return nil, cfg.Enabled, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading plugin directory %s: %w", cfg.Dir, err)
	}
	want := map[string]bool{}
	for _, e := range cfg.Enabled {
		want[e] = true
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() || info.Mode().Perm()&0o111 == 0 || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if len(want) > 0 && !want[e.Name()] {
			continue
		}
		files = append(files, e.Name())
	}
	for _, name := range cfg.Enabled {
		if !slices.Contains(files, name) {
			missing = append(missing, name)
		}
	}
	sort.Strings(files)
	return files, missing, nil
}

// pin is the SHA-256 cfg pins the plugin file to, nil when none is.
func (cfg Config) pin(file string) ([]byte, error) {
	pin, ok := cfg.Checksums[file]
	if !ok {
		return nil, nil
	}
	b, err := hex.DecodeString(strings.TrimSpace(pin))
	if err != nil || len(b) != 32 {
		return nil, fmt.Errorf("the pinned checksum for %s is not a SHA-256 in hex", file)
	}
	return b, nil
}

// Lookup checks that a deployment configured by cfg loads the plugin id,
// by the rules Load applies, without a database or a running host: the
// CLI's "plugin enable" asks it before recording a setting, as the API
// asks the running runtime. The plugin's binary (named by its id) is
// started just long enough to read and check its manifest. The error is
// an *apierr.Error plugin_not_found (404) naming the plugins there are
// when cfg has no binary for id, and says why when the binary is refused.
func Lookup(ctx context.Context, cfg Config, id string) error {
	files, _, err := discover(cfg)
	if err != nil {
		return err
	}
	if !slices.Contains(files, id) {
		there := "it has none"
		if len(files) > 0 {
			there = "it has " + strings.Join(files, ", ")
		}
		return apierr.NotFound("plugin_not_found", "no plugin %s in the plugin directory %s (%s): check the id, or point --plugins at the directory the server loads", id, cfg.Dir, there)
	}
	if _, _, err := InspectInstalled(ctx, cfg, id); err != nil {
		return fmt.Errorf("the plugin %s in %s is refused: %w", id, cfg.Dir, err)
	}
	return nil
}

// InspectInstalled is Inspect for the plugin file of cfg.Dir, checked as
// Load checks it: against the checksum cfg pins it to, and named by its
// id.
func InspectInstalled(ctx context.Context, cfg Config, file string) (*pb.Manifest, int, error) {
	pinned, err := cfg.pin(file)
	if err != nil {
		return nil, 0, err
	}
	return inspect(ctx, filepath.Join(cfg.Dir, file), pinned, true)
}

// Load starts every plugin of the deployment. A plugin that cannot start is
// recorded as failed and does not stop the others.
func (rt *Runtime) Load(ctx context.Context) error {
	rt.ctx = ctx
	files, err := rt.discover()
	if err != nil {
		return err
	}
	var ready []*Instance
	for _, f := range files {
		in := &Instance{rt: rt, File: f, Path: filepath.Join(rt.cfg.Dir, f), state: StateStarting, wake: make(chan struct{}, 1)}
		sum, err := FileChecksum(in.Path)
		if err != nil {
			rt.log.Error("reading plugin", "file", f, "err", err)
			continue
		}
		in.Checksum = sum
		if in.pinned, err = rt.cfg.pin(f); err != nil {
			in.fail(err)
			rt.log.Error("plugin refused", "file", f, "err", err)
			rt.add(in)
			continue
		}
		rt.add(in)
		ready = append(ready, in)
	}
	// Processes start all at once, so that plugins that hang at start
	// (each up to the start timeout) delay the host once, by the start
	// timeout at most, however many they are: a bound on how many start
	// together would let a few hung ones hold the others back for a
	// timeout each. They register one by one in file order, so which of
	// two binaries with one id wins does not depend on timing.
	procs := make([]*process, len(ready))
	errs := make([]error, len(ready))
	var wg sync.WaitGroup
	for i, in := range ready {
		wg.Add(1)
		go func() {
			defer wg.Done()
			procs[i], errs[i] = in.startGuarded(ctx)
		}()
	}
	wg.Wait()
	for i, in := range ready {
		err := errs[i]
		if err == nil {
			err = in.register(procs[i])
		}
		if err != nil {
			in.fail(err)
			rt.log.Error("plugin refused", "file", in.File, "err", err)
			continue
		}
		rt.wg.Add(1)
		go in.supervise(ctx)
	}
	rt.wg.Add(1)
	go func() { defer rt.wg.Done(); rt.events.run(ctx) }()
	return nil
}

func (rt *Runtime) add(in *Instance) {
	rt.mu.Lock()
	rt.instances = append(rt.instances, in)
	rt.mu.Unlock()
}

// Instances lists every plugin the runtime knows, loaded or refused.
func (rt *Runtime) Instances() []*Instance {
	rt.mu.RLock()
	defer rt.mu.RUnlock()
	return append([]*Instance(nil), rt.instances...)
}

// Get returns a loaded plugin by id.
func (rt *Runtime) Get(id string) (*Instance, bool) {
	rt.mu.RLock()
	defer rt.mu.RUnlock()
	in, ok := rt.byID[id]
	return in, ok
}

// Ready fails while any plugin of the deployment is not running: one
// refused at start (failed, for good until the operator replaces it),
// crashed or hung (restarting), or still starting. The error names each
// by its file, with its state and why ("plugins not running: typo failed:
// the plugin did not start: ...; probe restarting: the plugin process
// exited"), for /readyz: a deployment missing a module is not ready, even
// though the host and its other plugins serve.
func (rt *Runtime) Ready(context.Context) error {
	var down []string
	for _, in := range rt.Instances() {
		in.mu.RLock()
		if in.state != StateRunning {
			d := in.File + " " + string(in.state)
			if in.lastError != "" {
				d += ": " + in.lastError
			}
			down = append(down, d)
		}
		in.mu.RUnlock()
	}
	if len(down) > 0 {
		return fmt.Errorf("plugins not running: %s", strings.Join(down, "; "))
	}
	return nil
}

// Wait blocks until supervision has stopped (after ctx of Load ends),
// kills every plugin process and waits for storage's background writes.
func (rt *Runtime) Wait() {
	rt.wg.Wait()
	var wg sync.WaitGroup
	for _, in := range rt.Instances() {
		in.mu.Lock()
		proc := in.proc
		in.proc = nil
		if in.state != StateFailed {
			in.state = StateStopped
		}
		in.mu.Unlock()
		if proc != nil {
			wg.Add(1)
			go func() { defer wg.Done(); proc.kill() }()
		}
	}
	wg.Wait()
	// The aggregate results computed last are still being kept for the
	// next start; the database is closed after Wait.
	rt.engine.WaitSaved()
}

func (in *Instance) fail(err error) {
	in.mu.Lock()
	in.state = StateFailed
	in.lastError = err.Error()
	in.mu.Unlock()
}

// startGuarded starts the plugin's process, with a panic in host code on
// this plugin's behalf turned into this plugin's refusal: one plugin never
// stops the host from starting.
func (in *Instance) startGuarded(ctx context.Context) (p *process, err error) {
	defer func() {
		if v := recover(); v != nil {
			p, err = nil, fmt.Errorf("the host could not start the plugin: %v", v)
			in.rt.log.Error("plugin made the host panic while starting; refused", "file", in.File, "panic", v, "stack", string(debug.Stack()))
		}
	}()
	return start(ctx, startOptions{path: in.Path, checksum: in.pinned, log: in.rt.log.With("plugin", in.File), host: &hostService{rt: in.rt, in: in}, procs: in.rt.cfg.PluginProcs, loopback: in.rt.cfg.OutboundAllowLoopback})
}

// LoadInProcess serves a plugin from this process, without go-plugin: what
// sdktest runs, and the baseline the plugin path is measured against.
func (rt *Runtime) LoadInProcess(pl pb.InProcess) (*Instance, error) {
	in := &Instance{rt: rt, File: "(in-process) " + pl.Manifest().Id, state: StateStarting, wake: make(chan struct{}, 1), Checksum: "-"}
	rt.add(in)
	p := &process{manifest: pl.Manifest(), protocol: pb.Protocol, inproc: pl, pid: os.Getpid()}
	p.host = &directHost{s: &hostService{rt: rt, in: in}}
	if err := in.register(p); err != nil {
		in.fail(err)
		return nil, err
	}
	return in, nil
}

// register checks a started plugin's manifest and makes it servable:
// unique id, routes, storage tables, permissions. Whatever is wrong with
// the plugin, even a manifest that makes host code panic, refuses this
// plugin alone: its process is killed and nothing of it stays registered.
func (in *Instance) register(p *process) (err error) {
	rt := in.rt
	m := p.manifest
	claimed := false
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("the host could not load the plugin: %v", v)
			rt.log.Error("plugin made the host panic while loading; refused", "file", in.File, "panic", v, "stack", string(debug.Stack()))
		}
		if err == nil {
			return
		}
		if claimed {
			rt.mu.Lock()
			if rt.byID[m.Id] == in {
				delete(rt.byID, m.Id)
			}
			rt.mu.Unlock()
		}
		p.abort()
	}()
	mux, pages, err := admit(m, in.Path)
	if err != nil {
		return err
	}
	rt.mu.Lock()
	if other, dup := rt.byID[m.Id]; dup {
		rt.mu.Unlock()
		return fmt.Errorf("duplicate plugin id %s: already loaded from %s", m.Id, other.File)
	}
	rt.byID[m.Id] = in
	claimed = true
	rt.mu.Unlock()
	if err := rt.engine.Register(m.Id, m.Collections); err != nil {
		return fmt.Errorf("preparing storage: %w", err)
	}
	var perms []rbac.Permission
	var names []string
	for _, pp := range m.Permissions {
		perms = append(perms, rbac.Permission{Name: pp.Name, Description: pp.Description, Roles: pp.Roles})
		names = append(names, pp.Name)
	}
	if err := rt.h.Authz.Registry().Add(m.Id, perms...); err != nil {
		return err
	}
	if err := rt.h.Authz.Reload(); err != nil {
		rt.h.Authz.Registry().Remove(m.Id)
		return err
	}
	in.mu.Lock()
	in.proc, in.manifest, in.routes, in.pages, in.perms = p, m, mux, pages, names
	in.state, in.upSince, in.lastError = StateRunning, time.Now(), ""
	in.mu.Unlock()
	rt.log.Info("plugin loaded", "plugin", m.Id, "version", m.Version, "pid", p.pid, "protocol", p.protocol, "sha256", in.Checksum)
	return nil
}

// admit checks a plugin's manifest as the host does before loading it,
// and returns the tables that find a request's API route and page. path is the
// plugin's binary: its file must be named by the manifest's id ("" skips
// that rule, for a plugin served in this process or a binary inspected
// where it was built).
func admit(m *pb.Manifest, path string) (routes, pages *http.ServeMux, err error) {
	if m == nil {
		return nil, nil, fmt.Errorf("the plugin sent no manifest")
	}
	if err := pb.ValidateManifest(m); err != nil {
		return nil, nil, err
	}
	// A plugin is named by its id. Otherwise any binary could declare
	// another's id ("population") and, loaded first, be served its data:
	// with the name fixed, two binaries cannot claim one id from one
	// directory, and an operator sees what each file is.
	if base := filepath.Base(path); path != "" && strings.TrimSuffix(base, filepath.Ext(base)) != m.Id {
		return nil, nil, fmt.Errorf("the plugin in file %s declares the id %s: a plugin's file must be named by its id (%s)", base, m.Id, m.Id)
	}
	// Routes last: they touch nothing shared, and a pattern ServeMux
	// refuses must not leave tables or permissions behind.
	if routes, err = routeMux(m, false); err != nil {
		return nil, nil, err
	}
	if pages, err = routeMux(m, true); err != nil {
		return nil, nil, err
	}
	return routes, pages, nil
}

// routeMux builds the table that finds a request's manifest route among
// the API routes, or among the pages with pages set. It
// turns ServeMux's panic on a pattern it refuses into an error, for a
// manifest that slipped past ValidateManifest (an older SDK's rules, a
// plugin that never ran them).
func routeMux(m *pb.Manifest, pages bool) (mux *http.ServeMux, err error) {
	mux = http.NewServeMux()
	for i, r := range m.Routes {
		if r.Page != pages {
			continue
		}
		pattern := r.Method + " " + r.Path
		func() {
			defer func() {
				if v := recover(); v != nil {
					kind := "route"
					if pages {
						kind = "page"
					}
					err = fmt.Errorf("%s %s cannot be served: %v", kind, pattern, v)
				}
			}()
			mux.Handle(pattern, routeIndex(i))
		}()
		if err != nil {
			return nil, err
		}
	}
	return mux, nil
}

// validStatus is the status a plugin's response head may carry: a final
// status from 200 to 599. Anything else is a bad gateway: net/http panics
// on codes outside 100-999, and a 1xx is no answer at all.
func validStatus(code int32) int {
	if code < 200 || code > 599 {
		return http.StatusBadGateway
	}
	return int(code)
}

// routeIndex marks which manifest route a ServeMux pattern belongs to.
type routeIndex int

func (routeIndex) ServeHTTP(http.ResponseWriter, *http.Request) {}

// poke asks the supervisor to check the plugin now (after a failed call).
func (in *Instance) poke() {
	select {
	case in.wake <- struct{}{}:
	default:
	}
}

const (
	superviseEvery = 500 * time.Millisecond
	healthEvery    = 5 * time.Second
	healthTimeout  = 3 * time.Second
	minBackoff     = 250 * time.Millisecond
	maxBackoff     = 30 * time.Second
)

// supervise restarts the plugin when it dies or stops answering, with
// exponential backoff, until ctx ends. go-plugin does not restart plugins:
// this loop does.
func (in *Instance) supervise(ctx context.Context) {
	defer in.rt.wg.Done()
	defer func() {
		// A panic while supervising one plugin stops supervising it, not
		// the host: the plugin is refused and its process killed.
		if v := recover(); v != nil {
			in.rt.log.Error("plugin supervision panicked; plugin refused", "file", in.File, "panic", v, "stack", string(debug.Stack()))
			in.mu.Lock()
			proc := in.proc
			in.proc, in.state, in.lastError = nil, StateFailed, fmt.Sprintf("supervision failed: %v", v)
			in.mu.Unlock()
			if proc != nil {
				proc.abort()
			}
		}
	}()
	tick := time.NewTicker(superviseEvery)
	defer tick.Stop()
	lastHealth := time.Now()
	failures := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-in.wake:
		}
		in.mu.RLock()
		state, proc, next := in.state, in.proc, in.nextStart
		in.mu.RUnlock()
		switch state {
		case StateRunning:
			if proc.inproc != nil {
				continue
			}
			if proc.exited() {
				in.down("the plugin process exited")
				continue
			}
			if time.Since(lastHealth) < healthEvery {
				continue
			}
			lastHealth = time.Now()
			hctx, cancel := context.WithTimeout(ctx, healthTimeout)
			res, err := proc.conn.client.Health(hctx, &pb.HealthRequest{})
			cancel()
			if ctx.Err() != nil {
				return
			}
			if err != nil || !res.Ok {
				failures++
				msg := "health check failed"
				if err != nil {
					msg += ": " + err.Error()
				} else {
					msg += ": " + res.Message
				}
				// Two misses in a row: a hung plugin is killed and restarted.
				if failures >= 2 || err != nil && proc.exited() {
					in.down(msg)
				}
				continue
			}
			failures = 0
			in.mu.Lock()
			if time.Since(in.upSince) > time.Minute {
				in.backoff = 0
			}
			in.mu.Unlock()
		case StateRestarting:
			if time.Now().Before(next) {
				continue
			}
			in.restart(ctx)
			lastHealth, failures = time.Now(), 0
		}
	}
}

// down kills the process and its group and schedules a restart. The kill
// does not wait for the process to be reaped: requests and the plugin list
// must not wait on a dying process.
func (in *Instance) down(reason string) {
	in.mu.Lock()
	if in.state != StateRunning {
		in.mu.Unlock()
		return
	}
	if old := in.proc; old != nil {
		in.proc = nil
		old.abort()
	}
	defer in.mu.Unlock()
	in.backoff = min(max(in.backoff*2, minBackoff), maxBackoff)
	jitter := time.Duration(rand.Int64N(int64(in.backoff / 4)))
	in.nextStart = time.Now().Add(in.backoff + jitter)
	in.state, in.lastError = StateRestarting, reason
	in.rt.metrics.crashes.WithLabelValues(in.manifest.Id).Inc()
	in.rt.log.Warn("plugin down; restarting", "plugin", in.manifest.Id, "reason", reason, "in", in.backoff+jitter)
}

func (in *Instance) restart(ctx context.Context) {
	id := in.ID()
	p, err := start(ctx, startOptions{path: in.Path, checksum: in.pinned, log: in.rt.log.With("plugin", in.File), host: &hostService{rt: in.rt, in: in}, procs: in.rt.cfg.PluginProcs, loopback: in.rt.cfg.OutboundAllowLoopback})
	if err == nil && p.manifest.Id != id {
		p.abort()
		err = fmt.Errorf("the binary now declares id %s instead of %s", p.manifest.Id, id)
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if err != nil {
		in.backoff = min(max(in.backoff*2, minBackoff), maxBackoff)
		in.nextStart = time.Now().Add(in.backoff)
		in.lastError = "restart failed: " + err.Error()
		in.rt.log.Error("plugin restart failed", "plugin", id, "err", err, "retry_in", in.backoff)
		return
	}
	in.proc, in.state, in.upSince = p, StateRunning, time.Now()
	in.restarts++
	in.rt.metrics.restarts.WithLabelValues(id).Inc()
	in.rt.log.Info("plugin restarted", "plugin", id, "pid", p.pid, "restarts", in.restarts)
}
