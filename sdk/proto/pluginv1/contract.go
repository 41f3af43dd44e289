package pluginv1

import (
	"context"
	"io"
	"net/http"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// Protocol is the one wire protocol version the host and the SDK speak.
// go-plugin negotiates it at start; a plugin built with an SDK that speaks
// another is refused with a message naming the SDK release to rebuild with.
// Protocol 3 carries a request's storage calls on the request's own stream
// (Exchange) and bodies above a threshold in parts (HandleStream).
const Protocol = 3

// SDKModule is the Go module a plugin is built with, named in messages that
// tell an operator or a vendor what to rebuild with.
const SDKModule = "github.com/balaidesa/balai/sdk"

// Handshake is shared by the host and every plugin. go-plugin refuses to
// start a binary launched without it, which tells a person who runs a plugin
// by hand what it is. It is not a security measure: the host pins checksums
// and starts plugins with an environment of its own choosing.
var Handshake = plugin.HandshakeConfig{
	MagicCookieKey:   "BALAI_PLUGIN",
	MagicCookieValue: "d1f0c3a8-balai-plugin-v1",
}

// PluginName is the name under which the plugin is dispensed.
const PluginName = "balai"

// Services are the host's services as the plugin side calls them: over the
// go-plugin broker in a plugin process, directly in the host's own process
// for a plugin run in-process (the test kit). Every call carries the scope
// the host handed out with the request or event, and the host decides from
// it alone which tenant and caller the call is for.
type Services interface {
	Storage(ctx context.Context, req *StorageRequest) (*StorageResponse, error)
	Authorize(ctx context.Context, req *AuthorizeRequest) (*AuthorizeResponse, error)
	PutFile(ctx context.Context, h *FileHeader, data io.Reader) (*FileInfo, error)
	// GetFile's reader must be closed.
	GetFile(ctx context.Context, ref *FileRef) (*FileInfo, io.ReadCloser, error)
	DeleteFile(ctx context.Context, ref *FileRef) error
	// Call's response body must be closed.
	Call(ctx context.Context, req *HTTPRequest, body io.Reader) (*http.Response, error)
	GetSettings(ctx context.Context, scope *Scope) ([]byte, error)
	PutSettings(ctx context.Context, scope *Scope, values []byte) error
	Log(ctx context.Context, rec *LogRecord) error
	Tenants(ctx context.Context, req *TenantsRequest) (*TenantsResponse, error)
}

// InProcess is a plugin served inside the host's process, without the
// go-plugin boundary: the test kit loads plugins this way. It sees the
// same wire messages a plugin process does.
type InProcess interface {
	// Manifest is the plugin's manifest, as Describe answers it.
	Manifest() *Manifest
	// ServeHTTP serves one request; body is the request body.
	ServeHTTP(ctx context.Context, req *HTTPRequest, body io.Reader, host Services, w http.ResponseWriter)
	// Deliver runs the plugin's handler for an event; an error asks for
	// redelivery.
	Deliver(ctx context.Context, ev *EventDelivery, host Services) error
	// Health is the plugin's own health check; nil when healthy.
	Health(ctx context.Context) error
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

// ServerOptions tune the gRPC servers on both sides of the plugin boundary
// (the plugin's, and the host services').
func ServerOptions() []grpc.ServerOption {
	return []grpc.ServerOption{
		grpc.NumStreamWorkers(streamWorkers),
		grpc.InitialWindowSize(grpcWindow), grpc.InitialConnWindowSize(grpcWindow),
	}
}

// DialOptions tune the gRPC clients on both sides, as ServerOptions.
func DialOptions() []grpc.DialOption {
	return []grpc.DialOption{
		grpc.WithInitialWindowSize(grpcWindow), grpc.WithInitialConnWindowSize(grpcWindow),
	}
}

// ChunkSize is the size of the parts bodies and files travel in.
const ChunkSize = 32 << 10

// NewChunkReader turns a sequence of chunks into an io.Reader: first, then
// whatever next returns until it fails (io.EOF ends the stream).
func NewChunkReader(first []byte, next func() ([]byte, error)) io.Reader {
	return &chunkReader{buf: first, next: next}
}

type chunkReader struct {
	buf  []byte
	next func() ([]byte, error)
	err  error
}

func (p *chunkReader) Read(b []byte) (int, error) {
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

// ResponseWriter is an http.ResponseWriter that sends the response as wire
// parts: the head with the first ChunkSize bytes, then ChunkSize parts.
// Close sends what is left.
type ResponseWriter struct {
	send      func(*HTTPResponsePart) error
	header    http.Header
	status    int
	wroteHead bool
	buf       []byte
	err       error
}

// NewResponseWriter returns a writer that hands parts to send.
func NewResponseWriter(send func(*HTTPResponsePart) error) *ResponseWriter {
	return &ResponseWriter{send: send, header: http.Header{}}
}

// Header is the response's header, sent with the first part.
func (w *ResponseWriter) Header() http.Header { return w.header }

// WriteHeader sets the status; only the first call counts.
func (w *ResponseWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

// Write buffers b and sends every full part.
func (w *ResponseWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.err != nil {
		return 0, w.err
	}
	w.buf = append(w.buf, b...)
	for len(w.buf) >= ChunkSize {
		if err := w.flushPart(w.buf[:ChunkSize], false); err != nil {
			return 0, err
		}
		w.buf = w.buf[ChunkSize:]
	}
	return len(b), nil
}

// Flush sends what is buffered.
func (w *ResponseWriter) Flush() {
	if len(w.buf) > 0 || !w.wroteHead {
		w.flushPart(w.buf, false)
		w.buf = nil
	}
}

// Started reports whether the head has been sent, after which the status
// can no longer change.
func (w *ResponseWriter) Started() bool { return w.wroteHead }

// flushPart sends body without copying it: send must be done with the
// part when it returns (gRPC's Send has marshalled it by then; the host's
// in-process path copies it out), so the buffer may be reused after.
func (w *ResponseWriter) flushPart(body []byte, last bool) error {
	part := &HTTPResponsePart{Body: body, Last: last}
	if !w.wroteHead {
		if w.status == 0 {
			w.status = http.StatusOK
		}
		head := &HTTPResponseHead{Status: int32(w.status)}
		for name, vs := range w.header {
			head.Headers = append(head.Headers, &Header{Name: name, Values: vs})
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

// Close sends the rest of the response as the part marked last (an empty
// one if everything was sent) and reports the first send error.
func (w *ResponseWriter) Close() error {
	if w.err == nil {
		w.flushPart(w.buf, true)
		w.buf = nil
	}
	return w.err
}

// PublicURLHeader carries, on a request the host hands a plugin, the
// deployment's configured public address ("https://portal.kampar.go.id");
// the host removes any copy a client sent.
const PublicURLHeader = "Balai-Public-Url"

// Headers of a page request and its answer (web contract of issue 12). The
// host sets the request's three from the browser's session and removes any
// copy of a Balai-* header a browser sent; package sdk reads them into
// Request.Page.
const (
	// PageBaseHeader is the module's page root as the browser sees it.
	PageBaseHeader = "Balai-Page-Base"
	// CSRFHeader is the CSRF token forms must carry (field CSRFField).
	CSRFHeader = "Balai-Csrf"
	// LangHeader is the user's language, "id" or "en".
	LangHeader = "Balai-Lang"
	// PageHeader set to "fragment" marks an answer as HTML for the shell.
	PageHeader = "Balai-Page"
	// PageTitleHeader is the fragment's title, UTF-8 percent-encoded.
	PageTitleHeader = "Balai-Page-Title"
	// FlashHeader is "kind;percent-encoded message" for the next page.
	FlashHeader = "Balai-Flash"
	// PageDescriptionHeader is a public page's summary for its link card
	// (Open Graph), UTF-8 percent-encoded.
	PageDescriptionHeader = "Balai-Page-Description"
	// PageImageHeader is a public page's picture for its link card: a
	// path on the deployment ("/1401/marketplace/photos/..."), percent-encoded.
	PageImageHeader = "Balai-Page-Image"
	// CSRFField is the form field of the CSRF token.
	CSRFField = "csrf_token"
)
