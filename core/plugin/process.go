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
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// Protocol is the one wire protocol version this host speaks, the one of
// the SDK release named by sdkRelease. A plugin offering only others is
// refused at start, told what to do (see protocolRefusal).
const Protocol = pb.Protocol

// sdkRelease is the SDK release whose plugins speak Protocol: what a
// plugin speaking an older protocol must be rebuilt with.
const sdkRelease = pb.SDKModule + " v1"

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
	// loopback passes Config.OutboundAllowLoopback on to the process.
	loopback bool
	// startTimeout bounds the whole start: handshake, manifest and setup.
	startTimeout time.Duration
}

// pluginEnv is the whole environment of a plugin process: nothing of the
// host's (database URL, admin password, cloud credentials) leaks into it.
// With loopback, OutboundAllowLoopbackEnv=1 lets the plugin's outbound
// requests (the disaster webhook) reach loopback addresses: for tests.
func pluginEnv(procs int, loopback bool) []string {
	env := []string{"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", "TZ=UTC", "TMPDIR=" + os.TempDir()}
	if procs > 0 {
		env = append(env, "GOMAXPROCS="+strconv.Itoa(procs))
	}
	if loopback {
		env = append(env, OutboundAllowLoopbackEnv+"=1")
	}
	return env
}

// OutboundAllowLoopbackEnv is the variable a plugin reads to know that the
// deployment lets its outbound requests reach loopback addresses (see
// Config.OutboundAllowLoopback).
const OutboundAllowLoopbackEnv = "BALAI_OUTBOUND_ALLOW_LOOPBACK"

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
	cmd.Env = pluginEnv(opts.procs, opts.loopback)
	// The plugin's last words: a plugin that refuses to start (the SDK
	// checks its manifest first) says why on stderr, and go-plugin itself
	// reports only that the handshake failed. What it writes later (a
	// crash's stack; its os.Stdout and os.Stderr, which go-plugin streams)
	// is logged too.
	said := newOutput(opts.log, slog.LevelWarn)
	ownGroup(cmd)
	var secure *goplugin.SecureConfig
	if opts.checksum != nil {
		secure = &goplugin.SecureConfig{Checksum: opts.checksum, Hash: sha256.New()}
	}
	versions := map[int]goplugin.PluginSet{Protocol: {pb.PluginName: hostSide{}}}
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
		Logger:           newHCLogger(opts.log, opts.path),
		Stderr:           said,
		SyncStderr:       newOutput(opts.log, slog.LevelWarn),
		SyncStdout:       newOutput(opts.log, slog.LevelInfo),
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
		if refused := protocolRefusal(err); refused != nil {
			return fail(refused)
		}
		if words := said.words(200 * time.Millisecond); words != "" {
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

// offeredVersion finds the protocol a plugin offered in go-plugin's
// refusal ("... Plugin version: 2, Client versions: [3]"); go-plugin has
// no typed error for it.
var offeredVersion = regexp.MustCompile(`Plugin version: (\d+)`)

// protocolRefusal turns go-plugin's error for a plugin speaking no
// protocol of this host into what the operator must do: rebuild an older
// plugin with the current SDK, or upgrade the host for a newer one. It
// returns nil for any other error.
func protocolRefusal(err error) error {
	msg := err.Error()
	lower := strings.ToLower(msg)
	if !strings.Contains(lower, "incompatible api version") && !strings.Contains(lower, "incompatible core api version") {
		return nil
	}
	rebuild := fmt.Sprintf("rebuild with %s (wire protocol %d)", sdkRelease, Protocol)
	m := offeredVersion.FindStringSubmatch(msg)
	if strings.Contains(lower, "incompatible core api version") || m == nil {
		return fmt.Errorf("the plugin's handshake is not one this host speaks (%s): %s", strings.SplitN(msg, "\n", 2)[0], rebuild)
	}
	v, _ := strconv.Atoi(m[1])
	if v > Protocol {
		return fmt.Errorf("the plugin speaks wire protocol %d, newer than this host's %d: upgrade the host (balai) to a release that serves protocol %d, or rebuild the plugin with %s", v, Protocol, v, sdkRelease)
	}
	return fmt.Errorf("the plugin speaks wire protocol %d, which this host no longer serves: %s", v, rebuild)
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

// Inspect starts a binary just long enough to read its manifest and the
// protocol it speaks, and checks the manifest as the runtime does before
// loading it, except for the rule that a plugin's file is named by its id
// (a build's output may be named anything). The error says why the host
// would refuse the plugin: in the plugin's own words when it refused to
// start, what to do when it speaks another protocol.
func Inspect(ctx context.Context, path string) (*pb.Manifest, int, error) {
	return inspect(ctx, path, nil, false)
}

// inspect is Inspect with the checksum the binary is pinned to (nil for
// none) and, with named, the file name rule too.
func inspect(ctx context.Context, path string, checksum []byte, named bool) (m *pb.Manifest, protocol int, err error) {
	p, err := start(ctx, startOptions{path: path, checksum: checksum, log: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, 0, err
	}
	defer p.kill()
	defer func() {
		if v := recover(); v != nil {
			m, protocol, err = nil, 0, fmt.Errorf("the host could not load the plugin: %v", v)
		}
	}()
	file := ""
	if named {
		file = path
	}
	if _, _, err := admit(p.manifest, file); err != nil {
		return nil, 0, err
	}
	return p.manifest, p.protocol, nil
}
