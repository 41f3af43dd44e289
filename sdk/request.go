package sdk

import (
	"context"
	"mime/multipart"
	"net/http"
	"sync"
	"time"

	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// Level is a tenant's place in the Kemendagri region tree.
type Level string

// Levels, from the top. The API and the manifest use these English words;
// screens say provinsi, kabupaten/kota, kecamatan and desa/kelurahan.
const (
	Province Level = "province"
	// Regency is a kabupaten or kota (code "14.01").
	Regency Level = "regency"
	// District is a kecamatan (code "14.01.01").
	District Level = "district"
	// Village is a desa or kelurahan (code "14.01.01.2009").
	Village Level = "village"
)

type ctxKey struct{}

// Request is what a handler or event handler knows about the call it
// serves. It is valid for the duration of that call only.
type Request struct {
	// Tenant is the Kemendagri code of the tenant in the URL ("14.01.01.2009").
	Tenant string
	// Level is the tenant's level.
	Level Level
	// User is the caller's username; empty on a public route without a
	// login, and in an event handler.
	User      string
	RequestID string
	// ClientAddress is the caller's network address (no port), as the host
	// saw it; empty for the host's own calls and for events. Key per-client
	// limits on it, never on anything the client sends.
	ClientAddress string
	granted       map[string]bool
	now           time.Time
	zone          string
	loc           *time.Location
	scope         *pb.Scope
	host          pb.Services
	page          PageInfo
	// forms are the multipart forms ParseMultipartForm parsed during the
	// call, whose temporary files are removed when it ends.
	formsMu sync.Mutex
	forms   []*multipart.Form
}

// From returns the Balai request of r. It panics outside a plugin handler,
// which is a programming error.
func From(r *http.Request) *Request {
	return FromContext(r.Context())
}

// FromContext is From for code that only has the context (an event
// handler, a helper).
func FromContext(ctx context.Context) *Request {
	req, ok := ctx.Value(ctxKey{}).(*Request)
	if !ok {
		panic("sdk: no Balai request in context: call From only inside a plugin handler or event handler")
	}
	return req
}

// withScope attaches the scope of a request or event to ctx.
func withScope(ctx context.Context, scope *pb.Scope, host pb.Services) context.Context {
	g := make(map[string]bool, len(scope.Granted))
	for _, p := range scope.Granted {
		g[p] = true
	}
	now := time.Now()
	if scope.NowUnixMs > 0 {
		now = time.UnixMilli(scope.NowUnixMs)
	}
	return context.WithValue(ctx, ctxKey{}, &Request{
		Tenant: scope.Tenant, Level: Level(scope.TenantLevel), User: scope.Username,
		RequestID: scope.RequestId, ClientAddress: scope.ClientAddress, granted: g,
		now: now, zone: zoneName(scope.TimeZone), loc: location(scope.TimeZone), scope: scope, host: host,
	})
}

// Indonesia's three zones keep no daylight saving time, so fixed offsets
// are exact and need no tz database in the plugin's environment; they
// also print as the abbreviations villages use.
var (
	wib  = time.FixedZone("WIB", 7*3600)
	wita = time.FixedZone("WITA", 8*3600)
	wit  = time.FixedZone("WIT", 9*3600)
)

// location is the zone the host named: WIB, WITA or WIT by their IANA
// names; another name is loaded from the system; an unknown or empty one
// is WIB, the zone of most villages, rather than the server's.
func location(name string) *time.Location {
	switch name {
	case "", "Asia/Jakarta", "Asia/Pontianak":
		return wib
	case "Asia/Makassar":
		return wita
	case "Asia/Jayapura":
		return wit
	}
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return wib
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
		return false, hostError(err)
	}
	return len(res.Allowed) == 1 && res.Allowed[0], nil
}

// Now is the host's clock when the request or event arrived, in the
// tenant's time zone: the time to stamp records with and to compare dates
// against. A test host can set it (sdktest.WithClock).
func (r *Request) Now() time.Time { return r.now.In(r.loc) }

// Location is the tenant's time zone: WIB (Asia/Jakarta), WITA
// (Asia/Makassar) or WIT (Asia/Jayapura), by its province (Keppres
// 41/1987). A village in WIT is already in tomorrow while the server's UTC
// clock still shows today.
func (r *Request) Location() *time.Location { return r.loc }

// TimeZone is the IANA name of the tenant's zone ("Asia/Jayapura"), to
// store beside a time or show in a setting.
func (r *Request) TimeZone() string { return r.zone }

// zoneName is the zone the host named, WIB's when it named none.
func zoneName(name string) string {
	if name == "" {
		return "Asia/Jakarta"
	}
	return name
}

// Today is the tenant's date now, "YYYY-MM-DD": what "today" means to a
// clerk in that village (a birth dated today is not in the future).
func (r *Request) Today() string { return r.Now().Format(time.DateOnly) }

// PublicURLHeader carries, on a request the host hands a plugin, the
// deployment's configured public address (balai serve --public-url), such
// as "https://portal.kampar.go.id"; absent when none is configured. The host
// removes any copy a client sent. A link a plugin prints for the public (a
// letter's verification QR code) must use it when present, over anything a
// tenant's own settings say.
const PublicURLHeader = pb.PublicURLHeader

// PublicURL is the deployment's configured public address, "" when the
// operator set none (see PublicURLHeader).
func PublicURL(r *http.Request) string { return r.Header.Get(PublicURLHeader) }
