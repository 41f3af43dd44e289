package sdk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// Handshake is shared by the host and every plugin. go-plugin refuses to
// start a binary launched without it, which tells a person who runs a plugin
// by hand what it is. It is not a security measure: the host pins checksums.
var Handshake = plugin.HandshakeConfig{
	MagicCookieKey:   "BALAI_PLUGIN",
	MagicCookieValue: "d1f0c3a8-balai-plugin-v1",
}

// PluginName is the name under which the plugin is dispensed.
const PluginName = "balai"

// EventHandler handles a delivered event. Returning an error asks for
// redelivery later: delivery is at least once, so handlers must be idempotent.
type EventHandler func(ctx context.Context, ev Event) error

// Event is a delivered event.
type Event struct {
	ID      uint64
	Name    string
	Source  string
	Payload []byte
	At      time.Time
}

// Options tune Serve.
type Options struct {
	// Events maps consumed event names to handlers. Inside a handler,
	// FromContext gives the event's tenant and storage.
	Events map[string]EventHandler
	// Health, if set, is asked when the host checks the plugin.
	Health func(context.Context) error
	// Protocol pins the wire protocol version served (tests of old
	// plugins); 0 serves every version this SDK speaks.
	Protocol int
}

// Plugin is a manifest with its handler: what a plugin binary serves, and
// what sdktest runs in-process.
type Plugin struct {
	Manifest Manifest
	Handler  http.Handler
	Options  Options
	manifest *pb.Manifest
}

// New checks the manifest and builds a Plugin.
func New(m Manifest, h http.Handler, opts Options) (*Plugin, error) {
	p := &Plugin{Manifest: m, Handler: h, Options: opts, manifest: m.proto()}
	if err := ValidateManifest(p.manifest); err != nil {
		return nil, err
	}
	for name := range opts.Events {
		found := false
		for _, c := range m.Consumes {
			found = found || c == name
		}
		if !found {
			return nil, fmt.Errorf("plugin %s handles event %s but does not declare it in Consumes", m.ID, name)
		}
	}
	return p, nil
}

// Describe returns the wire manifest.
func (p *Plugin) Describe() *pb.Manifest { return p.manifest }

// Serve runs the plugin process. It returns only when the host stops it.
func Serve(m Manifest, h http.Handler) { ServeWith(m, h, Options{}) }

// ServeWith is Serve with options (event handlers, health check).
func ServeWith(m Manifest, h http.Handler, opts Options) {
	p, err := New(m, h, opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// The host starts plugins with a clean environment, so GOGC is never
	// set: a plugin's live heap is small, and collecting less often buys
	// request throughput for a few megabytes.
	debug.SetGCPercent(400)
	versions := map[int]plugin.PluginSet{}
	for v := 1; v <= Protocol; v++ {
		if opts.Protocol == 0 || opts.Protocol == v {
			versions[v] = plugin.PluginSet{PluginName: &grpcPlugin{p: p, protocol: v}}
		}
	}
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig:  Handshake,
		VersionedPlugins: versions,
		GRPCServer: func(opts []grpc.ServerOption) *grpc.Server {
			// Reused stream workers keep their grown stacks instead of
			// growing a fresh goroutine's for every request.
			return grpc.NewServer(append(opts, GRPCServerOptions()...)...)
		},
		Logger: hclog.New(&hclog.LoggerOptions{Name: m.ID, Output: os.Stderr, JSONFormat: true, Level: hclog.Info}),
	})
}

// Fixed flow-control windows turn off gRPC's bandwidth estimation, whose
// pings cost a frame and a wake-up on almost every request between two
// processes on one machine; 1 MiB is far above what a loopback hop needs.
const grpcWindow = 1 << 20

// streamWorkers is how many requests a side serves on reused goroutines
// at once; beyond it gRPC starts a fresh goroutine per request, whose stack
// then grows again (with one worker per core, stack copying took an eighth
// of a plugin's time under eight concurrent clients). An idle worker costs
// only its stack.
const streamWorkers = 64

// GRPCServerOptions tune the gRPC servers on both sides of the plugin
// boundary (the plugin's, and the host services'). Reused stream workers
// keep their grown stacks instead of growing a fresh goroutine's for every
// request.
func GRPCServerOptions() []grpc.ServerOption {
	return []grpc.ServerOption{
		grpc.NumStreamWorkers(streamWorkers),
		grpc.InitialWindowSize(grpcWindow), grpc.InitialConnWindowSize(grpcWindow),
	}
}

// GRPCDialOptions tune the gRPC clients on both sides, as GRPCServerOptions.
func GRPCDialOptions() []grpc.DialOption {
	return []grpc.DialOption{
		grpc.WithInitialWindowSize(grpcWindow), grpc.WithInitialConnWindowSize(grpcWindow),
	}
}

// grpcPlugin is the go-plugin glue on the plugin side.
type grpcPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	p        *Plugin
	protocol int
}

func (g *grpcPlugin) GRPCServer(broker *plugin.GRPCBroker, s *grpc.Server) error {
	pb.RegisterPluginServer(s, &server{p: g.p, broker: broker, protocol: g.protocol})
	return nil
}

func (g *grpcPlugin) GRPCClient(context.Context, *plugin.GRPCBroker, *grpc.ClientConn) (any, error) {
	return nil, fmt.Errorf("the plugin side has no client")
}

// server answers the host's calls.
type server struct {
	pb.UnimplementedPluginServer
	p        *Plugin
	broker   *plugin.GRPCBroker
	protocol int
	host     Host
}

func (s *server) Describe(context.Context, *pb.DescribeRequest) (*pb.Manifest, error) {
	return s.p.manifest, nil
}

func (s *server) Setup(_ context.Context, req *pb.SetupRequest) (*pb.SetupResponse, error) {
	conn, err := s.broker.DialWithOptions(req.HostBrokerId, GRPCDialOptions()...)
	if err != nil {
		return nil, fmt.Errorf("dialing host services: %w", err)
	}
	s.host = &grpcHost{c: pb.NewHostClient(conn)}
	return &pb.SetupResponse{}, nil
}

func (s *server) Health(ctx context.Context, _ *pb.HealthRequest) (*pb.HealthResponse, error) {
	if s.host == nil {
		return &pb.HealthResponse{Ok: false, Message: "not set up"}, nil
	}
	if s.p.Options.Health != nil {
		if err := s.p.Options.Health(ctx); err != nil {
			return &pb.HealthResponse{Ok: false, Message: err.Error()}, nil
		}
	}
	return &pb.HealthResponse{Ok: true}, nil
}

func (s *server) Deliver(ctx context.Context, ev *pb.EventDelivery) (*pb.DeliverResponse, error) {
	if err := s.p.Deliver(ctx, ev, s.host); err != nil {
		return nil, err
	}
	return &pb.DeliverResponse{}, nil
}

// Deliver runs the plugin's handler for an event. Events without a handler
// are acknowledged.
func (p *Plugin) Deliver(ctx context.Context, ev *pb.EventDelivery, host Host) error {
	h := p.Options.Events[ev.Name]
	if h == nil {
		return nil
	}
	ctx = WithScope(ctx, ev.Scope, host)
	return h(ctx, Event{ID: ev.Id, Name: ev.Name, Source: ev.SourcePlugin, Payload: ev.Payload, At: time.UnixMilli(ev.AtUnixMs).UTC()})
}

func (s *server) Handle(req *pb.HTTPRequest, stream pb.Plugin_HandleServer) error {
	return s.serve(stream.Context(), req, bytes.NewReader(req.Body), s.host, stream.Send)
}

// Exchange serves a request whose storage calls travel on its own stream
// (protocol 3): one stream per request instead of a stream and a call back
// to the host for each storage operation.
func (s *server) Exchange(stream pb.Plugin_ExchangeServer) error {
	first, err := stream.Recv()
	if err != nil {
		return err
	}
	if first.Request == nil {
		return fmt.Errorf("the first message of an exchange must carry the request")
	}
	ex := &exchangeHost{Host: s.host, stream: stream}
	return s.serve(stream.Context(), first.Request, bytes.NewReader(first.Request.Body), ex, func(p *pb.HTTPResponsePart) error {
		ex.mu.Lock()
		defer ex.mu.Unlock()
		return stream.Send(&pb.ExchangeUp{Part: p})
	})
}

// exchangeHost sends a request's storage operations on the request's own
// stream; everything else goes to the host over the broker as usual. The
// lock keeps one storage call in flight at a time, so each answer that
// comes down is the answer to the call waiting for it.
type exchangeHost struct {
	Host
	mu     sync.Mutex
	stream pb.Plugin_ExchangeServer
}

func (e *exchangeHost) Storage(ctx context.Context, req *pb.StorageRequest) (*pb.StorageResponse, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := e.stream.Send(&pb.ExchangeUp{Storage: req}); err != nil {
		return nil, err
	}
	m, err := e.stream.Recv()
	if err != nil {
		return nil, err
	}
	if m.Error != nil {
		return nil, errors.New(m.Error.Message)
	}
	if m.Storage == nil {
		return nil, fmt.Errorf("the host answered a storage request without a result")
	}
	return m.Storage, nil
}

func (s *server) HandleStream(stream pb.Plugin_HandleStreamServer) error {
	first, err := stream.Recv()
	if err != nil {
		return err
	}
	if first.Request == nil {
		return fmt.Errorf("the first part of a streamed request must carry the request")
	}
	body := &partReader{buf: first.Body, next: func() ([]byte, error) {
		p, err := stream.Recv()
		if err != nil {
			return nil, err
		}
		return p.Body, nil
	}}
	return s.serve(stream.Context(), first.Request, body, s.host, stream.Send)
}

func (s *server) serve(ctx context.Context, req *pb.HTTPRequest, body io.Reader, host Host, send func(*pb.HTTPResponsePart) error) error {
	if req.Scope != nil && req.Scope.DeadlineUnixMs > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, time.UnixMilli(req.Scope.DeadlineUnixMs))
		defer cancel()
	}
	w := NewResponseStreamer(send)
	ServeRequest(ctx, s.p.Handler, req, body, host, w)
	return w.Close()
}

// ServeRequest runs handler for a wire request. The plugin process and
// sdktest both use it, so a handler sees the same request either way.
func ServeRequest(ctx context.Context, handler http.Handler, req *pb.HTTPRequest, body io.Reader, host Host, w http.ResponseWriter) {
	if req.Scope == nil {
		req.Scope = &pb.Scope{}
	}
	ctx = WithScope(ctx, req.Scope, host)
	u := &url.URL{Path: req.Path, RawQuery: req.RawQuery}
	r, err := http.NewRequestWithContext(ctx, req.Method, u.String(), body)
	if err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	r.RequestURI = u.RequestURI()
	for _, h := range req.Headers {
		for _, v := range h.Values {
			r.Header.Add(h.Name, v)
		}
	}
	if cl := r.Header.Get("Content-Length"); cl != "" {
		fmt.Sscan(cl, &r.ContentLength)
	}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				return
			}
			// req.Route is the pattern the host matched; the path itself
			// may hold a citizen's key and stays out of the log.
			Logf(ctx, "error", "panic serving %s: %v", req.Route, p)
			if rs, ok := w.(*ResponseStreamer); !ok || !rs.wroteHead {
				http.Error(w, `{"error":{"code":"internal","message":"the plugin failed"}}`, http.StatusInternalServerError)
			}
		}
	}()
	handler.ServeHTTP(w, r)
}

// NewChunkReader turns a sequence of chunks into an io.Reader: first, then
// whatever next returns until it fails (io.EOF ends the stream). The host
// reads streamed bodies and files with it too.
func NewChunkReader(first []byte, next func() ([]byte, error)) io.Reader {
	return &partReader{buf: first, next: next}
}

// partReader turns a sequence of body chunks into an io.Reader.
type partReader struct {
	buf  []byte
	next func() ([]byte, error)
	err  error
}

func (p *partReader) Read(b []byte) (int, error) {
	for len(p.buf) == 0 {
		if p.err != nil {
			return 0, p.err
		}
		p.buf, p.err = p.next()
	}
	n := copy(b, p.buf)
	p.buf = p.buf[n:]
	return n, nil
}

// ResponseStreamer is an http.ResponseWriter that sends the response as wire
// parts: the head with the first 32 KiB, then 32 KiB chunks.
type ResponseStreamer struct {
	send      func(*pb.HTTPResponsePart) error
	header    http.Header
	status    int
	wroteHead bool
	buf       []byte
	err       error
}

const chunkSize = 32 << 10

// NewResponseStreamer returns a writer that hands parts to send.
func NewResponseStreamer(send func(*pb.HTTPResponsePart) error) *ResponseStreamer {
	return &ResponseStreamer{send: send, header: http.Header{}}
}

func (w *ResponseStreamer) Header() http.Header { return w.header }

func (w *ResponseStreamer) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *ResponseStreamer) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.err != nil {
		return 0, w.err
	}
	w.buf = append(w.buf, b...)
	for len(w.buf) >= chunkSize {
		if err := w.flushPart(w.buf[:chunkSize]); err != nil {
			return 0, err
		}
		w.buf = w.buf[chunkSize:]
	}
	return len(b), nil
}

// Flush sends what is buffered.
func (w *ResponseStreamer) Flush() {
	if len(w.buf) > 0 || !w.wroteHead {
		w.flushPart(w.buf)
		w.buf = nil
	}
}

func (w *ResponseStreamer) flushPart(body []byte) error {
	part := &pb.HTTPResponsePart{Body: append([]byte(nil), body...)}
	if !w.wroteHead {
		if w.status == 0 {
			w.status = http.StatusOK
		}
		head := &pb.HTTPResponseHead{Status: int32(w.status)}
		for name, vs := range w.header {
			head.Headers = append(head.Headers, &pb.Header{Name: name, Values: vs})
		}
		part.Head = head
		w.wroteHead = true
	}
	if err := w.send(part); err != nil {
		w.err = err
		return err
	}
	return nil
}

// Close sends the rest of the response.
func (w *ResponseStreamer) Close() error {
	w.Flush()
	return w.err
}
