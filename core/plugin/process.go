// Package plugin is the host's plugin runtime: it discovers plugin binaries,
// starts them with hashicorp/go-plugin, supervises them, serves their routes
// under /api/v1/t/{tenant}/{plugin}/ and offers them the host's services.
package plugin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// SupportedProtocols are the wire protocol versions this host speaks.
var SupportedProtocols = []int{1, 2, 3}

// hostSide is the go-plugin glue on the host side.
type hostSide struct {
	goplugin.NetRPCUnsupportedPlugin
}

func (hostSide) GRPCServer(*goplugin.GRPCBroker, *grpc.Server) error {
	return errors.New("the host side serves no plugin")
}

func (hostSide) GRPCClient(_ context.Context, broker *goplugin.GRPCBroker, conn *grpc.ClientConn) (any, error) {
	return &conn_{client: pb.NewPluginClient(conn), broker: broker}, nil
}

// conn_ is a live connection to a plugin process.
type conn_ struct {
	client pb.PluginClient
	broker *goplugin.GRPCBroker
}

// process is one start of a plugin binary, or an in-process plugin.
type process struct {
	client   *goplugin.Client
	conn     *conn_
	manifest *pb.Manifest
	protocol int
	pid      int
	// inproc and host are set for a plugin served in this process.
	inproc pb.InProcess
	host   pb.Services
	// svc answers the storage requests of protocol 3 exchanges.
	svc *hostService
}

// startOptions say how to start a plugin binary.
type startOptions struct {
	path     string
	checksum []byte // pinned SHA-256, nil when not pinned
	log      *slog.Logger
	// host, when set, is served to the plugin over the broker and on each
	// request's exchange stream.
	host *hostService
	// procs is the process's GOMAXPROCS, 0 for Go's default.
	procs int
	// startTimeout bounds the whole start: handshake, manifest and setup.
	startTimeout time.Duration
}

// pluginEnv is the whole environment of a plugin process: nothing of the
// host's (database URL, admin password, cloud credentials) leaks into it.
func pluginEnv(procs int) []string {
	env := []string{"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", "TZ=UTC", "TMPDIR=" + os.TempDir()}
	if procs > 0 {
		env = append(env, "GOMAXPROCS="+strconv.Itoa(procs))
	}
	return env
}

// defaultStartTimeout bounds a plugin's start when startOptions set none.
const defaultStartTimeout = 20 * time.Second

// describeTimeout bounds reading the manifest and the setup, within the
// start timeout.
const describeTimeout = 10 * time.Second

// start launches the binary, negotiates the protocol, reads the manifest
// and, with opts.host, sets up the host services once for this start. It
// returns within the start timeout whatever the plugin does: a plugin
// refused here is killed with its process group at once, and go-plugin's
// cleanup, which waits for the plugin's pipes to close, runs in the
// background.
func start(ctx context.Context, opts startOptions) (_ *process, err error) {
	timeout := opts.startTimeout
	if timeout == 0 {
		timeout = defaultStartTimeout
	}
	deadline := time.Now().Add(timeout)
	cmd := exec.Command(opts.path)
	cmd.Env = pluginEnv(opts.procs)
	// The plugin's last words: a plugin that refuses to start (the SDK
	// checks its manifest first) says why on stderr, and go-plugin itself
	// reports only that the handshake failed.
	said := &tail{max: 2 << 10}
	ownGroup(cmd)
	var secure *goplugin.SecureConfig
	if opts.checksum != nil {
		secure = &goplugin.SecureConfig{Checksum: opts.checksum, Hash: sha256.New()}
	}
	versions := map[int]goplugin.PluginSet{}
	for _, v := range SupportedProtocols {
		versions[v] = goplugin.PluginSet{pb.PluginName: hostSide{}}
	}
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  pb.Handshake,
		VersionedPlugins: versions,
		Cmd:              cmd,
		SecureConfig:     secure,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		StartTimeout:     timeout,
		SkipHostEnv:      true,
		GRPCDialOptions:  pb.DialOptions(),
		Logger:           newHCLogger(opts.log),
		Stderr:           said,
	})
	// cmd.Process is set by client.Client, on this goroutine.
	abort := func() {
		if cmd.Process != nil {
			killGroup(cmd.Process.Pid)
		}
		go client.Kill()
	}
	fail := func(err error) (*process, error) {
		abort()
		return nil, err
	}
	defer func() {
		// Whatever the plugin sent, a panic here refuses it and leaves no
		// process behind.
		if v := recover(); v != nil {
			abort()
			err = fmt.Errorf("starting the plugin: %v", v)
		}
	}()
	rpc, err := client.Client()
	if err != nil {
		if errors.Is(err, goplugin.ErrChecksumsDoNotMatch) {
			return fail(fmt.Errorf("checksum mismatch: the binary is not the one pinned in the configuration"))
		}
		if msg := strings.ToLower(err.Error()); strings.Contains(msg, "incompatible api version") || strings.Contains(msg, "protocol version") {
			return fail(fmt.Errorf("the plugin speaks a protocol this host does not support (host supports %v): rebuild it with a current SDK: %w", SupportedProtocols, err))
		}
		if words := said.wait(200 * time.Millisecond); words != "" {
			return fail(fmt.Errorf("the plugin did not start: %s", words))
		}
		return fail(err)
	}
	raw, err := rpc.Dispense(pb.PluginName)
	if err != nil {
		return fail(fmt.Errorf("dispensing: %w", err))
	}
	c, ok := raw.(*conn_)
	if !ok {
		return fail(fmt.Errorf("dispensing: unexpected %T", raw))
	}
	p := &process{client: client, conn: c, protocol: client.NegotiatedVersion(), svc: opts.host}
	if cmd.Process != nil {
		p.pid = cmd.Process.Pid
	}
	dctx, cancel := context.WithDeadline(ctx, earliest(deadline, time.Now().Add(describeTimeout)))
	defer cancel()
	if p.manifest, err = c.client.Describe(dctx, &pb.DescribeRequest{}); err != nil {
		return fail(fmt.Errorf("reading manifest: %w", err))
	}
	if opts.host != nil {
		// One broker listener per start, set up before the first request, as
		// Vault's Setup and Mattermost's OnActivate do.
		id := c.broker.NextId()
		go c.broker.AcceptAndServe(id, func(o []grpc.ServerOption) *grpc.Server {
			o = append(o, grpc.MaxRecvMsgSize(maxMessage), grpc.MaxSendMsgSize(maxMessage))
			o = append(o, grpc.ChainUnaryInterceptor(recoverUnary(opts.log)), grpc.ChainStreamInterceptor(recoverStream(opts.log)))
			s := grpc.NewServer(append(o, pb.ServerOptions()...)...)
			pb.RegisterHostServer(s, opts.host)
			return s
		})
		if _, err := c.client.Setup(dctx, &pb.SetupRequest{HostBrokerId: id, Protocol: uint32(p.protocol)}); err != nil {
			return fail(fmt.Errorf("setting up host services: %w", err))
		}
	}
	return p, nil
}

// earliest returns the earlier of two times.
func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// recoverUnary and recoverStream answer a host-service call that panics
// with an internal error: gRPC does not recover handlers, and a plugin's
// odd request must not end the host and every other plugin with it.
func recoverUnary(log *slog.Logger) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (_ any, err error) {
		defer recoverCall(log, info.FullMethod, &err)
		return handler(ctx, req)
	}
}

func recoverStream(log *slog.Logger) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) (err error) {
		defer recoverCall(log, info.FullMethod, &err)
		return handler(srv, ss)
	}
}

func recoverCall(log *slog.Logger, method string, err *error) {
	if v := recover(); v != nil {
		log.Error("host service panicked", "method", method, "panic", v, "stack", string(debug.Stack()))
		*err = status.Error(codes.Internal, "the host failed to serve the call; see the host log")
	}
}

// maxMessage bounds one gRPC message between host and plugin.
const maxMessage = 16 << 20

func (p *process) exited() bool { return p.inproc == nil && p.client.Exited() }

// Bounds of kill: the graceful stop, then the cleanup after SIGKILL.
const (
	killGrace = 3 * time.Second
	killReap  = 2 * time.Second
)

// kill stops the process gracefully, or hard after killGrace, and then
// kills what is left of its process group, children included. It returns
// within killGrace+killReap: go-plugin's Kill waits, without a deadline,
// for a Shutdown answer a hung process never gives and for pipes a child
// of the plugin may hold open; what it still waits for after the hard kill
// finishes in the background.
func (p *process) kill() {
	if p.inproc != nil {
		return
	}
	done := make(chan struct{})
	go func() { p.client.Kill(); close(done) }()
	select {
	case <-done:
	case <-time.After(killGrace):
	}
	p.hardKill()
	select {
	case <-done:
	case <-time.After(killReap):
	}
}

// abort kills the process and its group at once, without waiting: for a
// refused, hung or crashed plugin. go-plugin's cleanup runs in the
// background.
func (p *process) abort() {
	if p.inproc != nil {
		return
	}
	p.hardKill()
	go p.client.Kill()
}

// hardKill sends SIGKILL to the process and its process group, which also
// ends a stopped or deadlocked process and the children it spawned.
func (p *process) hardKill() {
	if p.inproc == nil {
		killGroup(p.pid)
	}
}

// FileChecksum returns the SHA-256 of a file, hex-encoded.
func FileChecksum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Inspect starts a binary just to read its manifest.
func Inspect(ctx context.Context, path string) (*pb.Manifest, int, error) {
	p, err := start(ctx, startOptions{path: path, log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return nil, 0, err
	}
	defer p.kill()
	return p.manifest, p.protocol, nil
}

// newHCLogger routes go-plugin's logs (including what a plugin writes to
// stderr) into the host's slog logger.
func newHCLogger(log *slog.Logger) hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{
		Name:       "plugin",
		Level:      hclog.Info,
		Output:     &slogWriter{log: log},
		JSONFormat: true,
	})
}

// slogWriter receives hclog's JSON lines and re-logs them through slog.
type slogWriter struct{ log *slog.Logger }

func (w *slogWriter) Write(b []byte) (int, error) {
	line := strings.TrimSpace(string(b))
	level := slog.LevelInfo
	switch {
	case strings.Contains(line, `"@level":"error"`):
		level = slog.LevelError
	case strings.Contains(line, `"@level":"warn"`):
		level = slog.LevelWarn
	case strings.Contains(line, `"@level":"debug"`), strings.Contains(line, `"@level":"trace"`):
		level = slog.LevelDebug
	}
	w.log.Log(context.Background(), level, "plugin output", "line", line)
	return len(b), nil
}

// tail keeps the last max bytes a plugin wrote to stderr.
type tail struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if over := len(t.b) - t.max; over > 0 {
		t.b = t.b[over:]
	}
	return len(p), nil
}

// wait returns what the plugin said, waiting up to d for its stderr to
// reach the host: go-plugin may report the failed start before it has
// copied the plugin's last line.
func (t *tail) wait(d time.Duration) string {
	deadline := time.Now().Add(d)
	for {
		t.mu.Lock()
		s := strings.TrimSpace(strings.ToValidUTF8(string(t.b), ""))
		t.mu.Unlock()
		if s != "" || time.Now().After(deadline) {
			return s
		}
		time.Sleep(10 * time.Millisecond)
	}
}
