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
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/balaidesa/balai/sdk/internal/inproc"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// Serve runs the plugin process: it checks the plugin (Validate) and, if
// anything is wrong, prints every problem to standard error, where the
// host shows it to the operator, and exits 1. Otherwise it serves the host
// until the host stops it.
func Serve(p *Plugin) {
	b, err := build(p)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// The host starts plugins with a clean environment, so GOGC is never
	// set: a plugin's live heap is small, and collecting less often buys
	// request throughput for a few megabytes.
	debug.SetGCPercent(400)
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig:  pb.Handshake,
		VersionedPlugins: map[int]plugin.PluginSet{pb.Protocol: {pb.PluginName: &grpcPlugin{b: b}}},
		GRPCServer: func(opts []grpc.ServerOption) *grpc.Server {
			return grpc.NewServer(append(opts, pb.ServerOptions()...)...)
		},
		Logger: hclog.New(&hclog.LoggerOptions{Name: p.ID, Output: os.Stderr, JSONFormat: true, Level: hclog.Info}),
	})
}

// built is a checked plugin with its route table and event handlers.
type built struct {
	p        *Plugin
	manifest *pb.Manifest
	mux      *http.ServeMux
	pages    *http.ServeMux
	events   map[string]func(context.Context, Event) error
}

func build(p *Plugin) (*built, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	b := &built{p: p, manifest: p.wire(), mux: http.NewServeMux(), pages: http.NewServeMux(), events: map[string]func(context.Context, Event) error{}}
	// The host matches requests against the same patterns, so a request
	// reaches the plugin only for a declared route and this mux picks the
	// same one (setting its PathValues).
	for _, r := range p.Routes {
		b.mux.Handle(r.Method+" "+r.Path, r.Handler)
	}
	// Pages have a mux of their own, as in the host: a page and an API
	// route may have the same pattern, no API pattern can catch a page
	// request (or clash with a page's pattern), and no API request reaches
	// a page.
	for _, pg := range p.Pages {
		b.pages.Handle(pg.Method+" "+pg.Path, pg.Handler)
	}
	for _, c := range p.Consumes {
		b.events[c.Event] = c.Handle
	}
	return b, nil
}

func init() {
	inproc.New = func(p any) (pb.InProcess, error) {
		pl, ok := p.(*Plugin)
		if !ok {
			return nil, fmt.Errorf("sdk: in-process plugin must be an *sdk.Plugin, not %T", p)
		}
		return build(pl)
	}
}

// Manifest is the wire manifest (pb.InProcess).
func (b *built) Manifest() *pb.Manifest { return b.manifest }

// Health runs the plugin's health check (pb.InProcess).
func (b *built) Health(ctx context.Context) error {
	if b.p.Health == nil {
		return nil
	}
	return b.p.Health(ctx)
}

// Deliver runs the plugin's handler for an event; events without one are
// acknowledged (pb.InProcess).
func (b *built) Deliver(ctx context.Context, ev *pb.EventDelivery, host pb.Services) error {
	h := b.events[ev.Name]
	if h == nil {
		return nil
	}
	if ev.Scope == nil {
		ev.Scope = &pb.Scope{}
	}
	ctx = withScope(ctx, ev.Scope, host)
	return h(ctx, Event{ID: ev.Id, Name: ev.Name, Source: ev.SourcePlugin, Payload: ev.Payload, At: time.UnixMilli(ev.AtUnixMs).UTC()})
}

// ServeHTTP runs the route's handler for a wire request (pb.InProcess).
// The plugin process and the test kit both come here, so a handler sees
// the same request either way.
func (b *built) ServeHTTP(ctx context.Context, req *pb.HTTPRequest, body io.Reader, host pb.Services, w http.ResponseWriter) {
	if req.Scope == nil {
		req.Scope = &pb.Scope{}
	}
	ctx = withScope(ctx, req.Scope, host)
	u := &url.URL{Path: req.Path, RawQuery: req.RawQuery}
	h := make(http.Header, len(req.Headers))
	for _, hd := range req.Headers {
		h[hd.Name] = hd.Values
	}
	mux := b.mux
	if req.Page {
		mux = b.pages
		FromContext(ctx).page = PageInfo{Base: strings.TrimSuffix(h.Get(PageBaseHeader), "/"), CSRF: h.Get(CSRFHeader), Lang: pageLang(h.Get(LangHeader))}
	}
	r := (&http.Request{
		Method: req.Method, URL: u, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: io.NopCloser(body), Host: "plugin", RequestURI: u.RequestURI(),
	}).WithContext(ctx)
	if cl := h.Get("Content-Length"); cl != "" {
		r.ContentLength, _ = strconv.ParseInt(cl, 10, 64)
	}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				return
			}
			// req.Route is the pattern the host matched; the path itself
			// may hold a citizen's key and stays out of the log. The stack
			// is the vendor's way to the bug.
			Logf(ctx, "error", "panic serving %s: %v\n%s", req.Route, p, debug.Stack())
			if rw, ok := w.(*pb.ResponseWriter); !ok || !rw.Started() {
				Fail(w, http.StatusInternalServerError, CodeInternal, "the plugin failed")
			}
		}
	}()
	// net/http's server removes a parsed multipart form's temporary files
	// after the handler; requests reach this mux through gRPC, not that
	// server, so without this every upload over a form's memory limit (a
	// citizen's photo on a public form) would stay in TMPDIR for good.
	// The mux hands the handler a copy of r, so the forms are found
	// through the call's Request (ParseMultipartForm), not r.
	defer FromContext(ctx).removeForms()
	mux.ServeHTTP(w, r)
}

// grpcPlugin is the go-plugin glue on the plugin side.
type grpcPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	b *built
}

func (g *grpcPlugin) GRPCServer(broker *plugin.GRPCBroker, s *grpc.Server) error {
	pb.RegisterPluginServer(s, &server{b: g.b, broker: broker})
	return nil
}

func (g *grpcPlugin) GRPCClient(context.Context, *plugin.GRPCBroker, *grpc.ClientConn) (any, error) {
	return nil, fmt.Errorf("the plugin side has no client")
}

// server answers the host's calls.
type server struct {
	pb.UnimplementedPluginServer
	b      *built
	broker *plugin.GRPCBroker
	host   pb.Services
}

func (s *server) Describe(context.Context, *pb.DescribeRequest) (*pb.Manifest, error) {
	return s.b.manifest, nil
}

func (s *server) Setup(_ context.Context, req *pb.SetupRequest) (*pb.SetupResponse, error) {
	conn, err := s.broker.DialWithOptions(req.HostBrokerId, pb.DialOptions()...)
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
	if err := s.b.Health(ctx); err != nil {
		return &pb.HealthResponse{Ok: false, Message: err.Error()}, nil
	}
	return &pb.HealthResponse{Ok: true}, nil
}

func (s *server) Deliver(ctx context.Context, ev *pb.EventDelivery) (*pb.DeliverResponse, error) {
	if err := s.b.Deliver(ctx, ev, s.host); err != nil {
		return nil, err
	}
	return &pb.DeliverResponse{}, nil
}

// Exchange serves a request whose storage calls travel on its own stream:
// one stream per request instead of a stream and a call back to the host
// for each storage operation.
func (s *server) Exchange(stream pb.Plugin_ExchangeServer) error {
	first, err := stream.Recv()
	if err != nil {
		return err
	}
	if first.Request == nil {
		return fmt.Errorf("the first message of an exchange must carry the request")
	}
	ex := &exchangeHost{Services: s.host, stream: stream}
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
	pb.Services
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

// HandleStream serves a request whose body comes in parts (bodies above
// the host's threshold: uploads, imports).
func (s *server) HandleStream(stream pb.Plugin_HandleStreamServer) error {
	first, err := stream.Recv()
	if err != nil {
		return err
	}
	if first.Request == nil {
		return fmt.Errorf("the first part of a streamed request must carry the request")
	}
	body := pb.NewChunkReader(first.Body, func() ([]byte, error) {
		p, err := stream.Recv()
		if err != nil {
			return nil, err
		}
		return p.Body, nil
	})
	return s.serve(stream.Context(), first.Request, body, s.host, stream.Send)
}

func (s *server) serve(ctx context.Context, req *pb.HTTPRequest, body io.Reader, host pb.Services, send func(*pb.HTTPResponsePart) error) error {
	if req.Scope != nil && req.Scope.DeadlineUnixMs > 0 {
		// The host's deadline usually rides on the stream already (gRPC
		// carries it as a duration, so it lands a little later here); a
		// second timer for nearly the same instant costs every request a
		// context and a timer, and the host enforces its own anyway.
		at := time.UnixMilli(req.Scope.DeadlineUnixMs)
		if d, ok := ctx.Deadline(); !ok || d.After(at.Add(100*time.Millisecond)) {
			var cancel context.CancelFunc
			ctx, cancel = context.WithDeadline(ctx, at)
			defer cancel()
		}
	}
	w := pb.NewResponseWriter(send)
	s.b.ServeHTTP(ctx, req, body, host, w)
	return w.Close()
}
