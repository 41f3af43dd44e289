package sdk

import (
	"context"
	"io"
	"net/http"

	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// Host is the set of services the Balai host offers a plugin. Plugin
// authors never implement it: the SDK reaches the host over the go-plugin
// broker, and sdktest wires a real in-process host. Every call carries the
// scope the host handed out with the request, and the host decides from it
// which tenant and caller the call is for.
type Host interface {
	Storage(ctx context.Context, req *pb.StorageRequest) (*pb.StorageResponse, error)
	Authorize(ctx context.Context, req *pb.AuthorizeRequest) (*pb.AuthorizeResponse, error)
	PutFile(ctx context.Context, h *pb.FileHeader, data io.Reader) (*pb.FileInfo, error)
	GetFile(ctx context.Context, ref *pb.FileRef) (*pb.FileInfo, io.ReadCloser, error)
	DeleteFile(ctx context.Context, ref *pb.FileRef) error
	Call(ctx context.Context, req *pb.HTTPRequest, body io.Reader) (*http.Response, error)
	GetSettings(ctx context.Context, scope *pb.Scope) ([]byte, error)
	PutSettings(ctx context.Context, scope *pb.Scope, values []byte) error
	Log(ctx context.Context, rec *pb.LogRecord) error
	Tenants(ctx context.Context, req *pb.TenantsRequest) (*pb.TenantsResponse, error)
}

type ctxKey struct{}

// Request is what a handler knows about the request it serves.
type Request struct {
	// Tenant is the Kemendagri code of the tenant in the URL.
	Tenant string
	// TenantLevel is province, regency, district or village.
	TenantLevel string
	// User is the caller's username; empty on a public route without login.
	User      string
	RequestID string
	// ClientAddress is the caller's network address (no port), as the host
	// saw it; empty for the host's own calls and for events. Key per-client
	// limits on it, never on anything the client sends.
	ClientAddress string
	granted       map[string]bool
	scope         *pb.Scope
	host          Host
}

// From returns the Balai request of r. It panics outside a plugin handler,
// which is a programming error.
func From(r *http.Request) *Request {
	return FromContext(r.Context())
}

// FromContext is From for code that only has the context.
func FromContext(ctx context.Context) *Request {
	req, ok := ctx.Value(ctxKey{}).(*Request)
	if !ok {
		panic("sdk: no Balai request in context: call From only inside a plugin handler or event handler")
	}
	return req
}

// WithScope attaches the scope of a request or event to ctx. The host side
// of the runtime and sdktest call it; plugin authors do not.
func WithScope(ctx context.Context, scope *pb.Scope, host Host) context.Context {
	g := make(map[string]bool, len(scope.Granted))
	for _, p := range scope.Granted {
		g[p] = true
	}
	return context.WithValue(ctx, ctxKey{}, &Request{
		Tenant: scope.Tenant, TenantLevel: scope.TenantLevel, User: scope.Username,
		RequestID: scope.RequestId, ClientAddress: scope.ClientAddress, granted: g, scope: scope, host: host,
	})
}

// Can reports whether the caller holds one of the plugin's declared
// permissions in the tenant. It needs no call to the host: the host sends
// the caller's grants with the request.
func (r *Request) Can(perm string) bool { return r.granted[perm] }

// CanIn asks the host whether the caller holds perm in another tenant (the
// destination village of a move, for example).
func (r *Request) CanIn(ctx context.Context, tenant, perm string) (bool, error) {
	res, err := r.host.Authorize(ctx, &pb.AuthorizeRequest{Scope: r.scope, Permissions: []string{perm}, Tenant: tenant})
	if err != nil {
		return false, err
	}
	return len(res.Allowed) == 1 && res.Allowed[0], nil
}

// Scope is the wire scope of the request, for advanced use.
func (r *Request) Scope() *pb.Scope { return r.scope }

// Host is the raw host API, for advanced use; the typed methods of Request
// cover what plugins need.
func (r *Request) Host() Host { return r.host }

// PublicURLHeader carries, on a request the host hands a plugin, the
// deployment's configured public address (balai serve --public-url), such
// as "https://portal.kampar.go.id"; absent when none is configured. The host
// removes any copy a client sent. A link a plugin prints for the public (a
// letter's verification QR code) must use it when present, over anything a
// tenant's own settings say.
const PublicURLHeader = "Balai-Public-Url"

// PublicURL is the deployment's configured public address, "" when the
// operator set none (see PublicURLHeader).
func PublicURL(r *http.Request) string { return r.Header.Get(PublicURLHeader) }
