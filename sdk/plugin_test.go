package sdk

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// ok is a handler for routes whose behaviour does not matter.
var ok = Func(func(*http.Request) (int, any, error) { return http.StatusNoContent, nil, nil })

// posyandu is a valid plugin of the shape a vendor writes: routes with
// wildcards, a collection with a personal field and its permission, an
// event consumed.
func posyandu() *Plugin {
	return &Plugin{
		ID: "posyandu", Version: "1.0.0",
		Permissions: []Permission{
			{Name: "posyandu.visits.read", Roles: []string{"viewer", "operator"}},
			{Name: "posyandu.visits.write", Roles: []string{"operator"}},
			{Name: "posyandu.children.read_personal", Roles: []string{"operator"}},
		},
		Routes: []Route{
			{Method: "GET", Path: "/visits", Permission: "posyandu.visits.read", Handler: ok},
			{Method: "GET", Path: "/visits/{id}", Permission: "posyandu.visits.read", Handler: ok},
			{Method: "GET", Path: "/visits/export", Permission: "posyandu.visits.read", Handler: ok},
			{Method: "POST", Path: "/visits", Permission: "posyandu.visits.write", Handler: ok},
		},
		Collections: []Collection{{
			Name: "visits",
			Fields: []Field{
				{Name: "child_nik", Type: String, Required: true, Personal: true},
				{Name: "weight_kg", Type: Float},
			},
			PersonalPermission: "posyandu.children.read_personal",
		}},
		Consumes: []Consumer{{Event: "population.resident_moved", Handle: func(context.Context, Event) error { return nil }}},
	}
}

func TestValidate(t *testing.T) {
	handle := func(context.Context, Event) error { return nil }
	cases := []struct {
		name   string
		change func(p *Plugin)
		want   []string // parts of the error; none for a valid plugin
	}{
		{"valid", func(*Plugin) {}, nil},
		{"route without handler", func(p *Plugin) { p.Routes[1].Handler = nil }, []string{"route GET /visits/{id} has no handler"}},
		{"consumer without handler", func(p *Plugin) { p.Consumes[0].Handle = nil }, []string{"consumed event population.resident_moved has no handler"}},
		{"page without handler", func(p *Plugin) {
			p.Pages = []PageRoute{{Method: "GET", Path: "/visits", Permission: "posyandu.visits.read"}}
		}, []string{"page GET /visits has no handler"}},
		{"page with a bad menu", func(p *Plugin) {
			p.Pages = []PageRoute{{Method: "GET", Path: "/visits/{id}", Permission: "posyandu.visits.read", Menu: &MenuEntry{Label: "Kunjungan"}, Handler: http.NotFoundHandler()}}
		}, []string{"page GET /visits/{id}: a menu entry needs a console GET page of a fixed path"}},
		{"page beside a route of the same pattern", func(p *Plugin) {
			p.Pages = []PageRoute{{Method: "GET", Path: "/visits", Permission: "posyandu.visits.read", Handler: http.NotFoundHandler()}}
		}, nil},
		{"duplicate consumer", func(p *Plugin) {
			p.Consumes = append(p.Consumes, Consumer{Event: "population.resident_moved", Handle: handle})
		}, []string{"event population.resident_moved is consumed twice"}},
		{"personal field without personal permission", func(p *Plugin) { p.Collections[0].PersonalPermission = "" },
			[]string{"collection visits has personal fields: name the permission"}},
		{"personal permission not declared", func(p *Plugin) { p.Collections[0].PersonalPermission = "posyandu.children.reveal" },
			[]string{"personal permission posyandu.children.reveal is not declared"}},
		{"personal permission without personal field", func(p *Plugin) { p.Collections[0].Fields[0].Personal = false },
			[]string{"names a personal permission but has no personal field"}},
		{"wildcards differing only by name", func(p *Plugin) {
			p.Routes = append(p.Routes, Route{Method: "GET", Path: "/visits/{child}", Permission: "posyandu.visits.read", Handler: ok})
		}, []string{"routes GET /visits/{id} and GET /visits/{child} differ only by wildcard names"}},
		{"same path, other method", func(p *Plugin) {
			p.Routes = append(p.Routes, Route{Method: "DELETE", Path: "/visits/{child}", Permission: "posyandu.visits.write", Handler: ok})
		}, nil},
		{"neither more specific", func(p *Plugin) {
			p.Routes = append(p.Routes, Route{Method: "GET", Path: "/{kind}/export", Permission: "posyandu.visits.read", Handler: ok})
		}, []string{"cannot be served"}},
		{"permission typo", func(p *Plugin) { p.Routes[0].Permission = "posyandu.visitz.read" },
			[]string{"route GET /visits: permission posyandu.visitz.read is not declared"}},
		{"every problem in one error", func(p *Plugin) {
			p.Routes[0].Handler = nil
			p.Collections[0].PersonalPermission = ""
		}, []string{"route GET /visits has no handler", "collection visits has personal fields"}},
		{"rate limit out of range", func(p *Plugin) { p.Routes[3].RateLimit = &RateLimit{Requests: 0, Window: time.Minute} }, []string{"rate limit"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := posyandu()
			c.change(p)
			err := p.Validate()
			if len(c.want) == 0 {
				if err != nil {
					t.Fatalf("refused a valid plugin: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted; want an error with %q", c.want)
			}
			if !strings.HasPrefix(err.Error(), `invalid manifest for plugin "posyandu": `) {
				t.Errorf("error %q does not name the plugin", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// A route's Timeout and RateLimit reach the wire in the units the host
// reads (milliseconds, whole seconds); values the wire cannot carry are
// refused by Validate and never wrap around.
func TestRouteLimitsOnTheWire(t *testing.T) {
	for _, tt := range []struct {
		name       string
		limit      *RateLimit
		ok         bool
		wantReq    uint32
		wantWindow uint32
	}{
		{"none", nil, true, 0, 0},
		{"ten a minute", &RateLimit{Requests: 10, Window: time.Minute}, true, 10, 60},
		{"a day", &RateLimit{Requests: 1, Window: 24 * time.Hour}, true, 1, 86400},
		{"part seconds are dropped", &RateLimit{Requests: 3, Window: 2500 * time.Millisecond}, true, 3, 2},
		{"no requests", &RateLimit{Requests: 0, Window: time.Minute}, false, 0, 60},
		{"negative requests", &RateLimit{Requests: -1, Window: time.Minute}, false, 0, 60},
		{"too many requests", &RateLimit{Requests: 2_000_000, Window: time.Minute}, false, 0, 60},
		{"no window", &RateLimit{Requests: 5}, false, 5, 0},
		{"under a second", &RateLimit{Requests: 5, Window: time.Millisecond}, false, 5, 0},
		{"over a day", &RateLimit{Requests: 5, Window: 25 * time.Hour}, false, 5, 0},
	} {
		// An API route and a public form page carry their limits alike.
		for _, p := range []Plugin{
			{ID: "forms", Version: "1", Routes: []Route{{Method: "POST", Path: "/f", Public: true, RateLimit: tt.limit, Handler: ok}}},
			{ID: "forms", Version: "1", Pages: []PageRoute{{Method: "POST", Path: "/f", Public: true, RateLimit: tt.limit, Handler: ok}}},
		} {
			kind := "route"
			if len(p.Pages) > 0 {
				kind = "page"
			}
			err := p.Validate()
			if (err == nil) != tt.ok {
				t.Errorf("%s %s: Validate() = %v, want ok=%v", kind, tt.name, err, tt.ok)
			}
			if err != nil && !strings.Contains(err.Error(), "rate limit") {
				t.Errorf("%s %s: the error does not name the rate limit: %v", kind, tt.name, err)
			}
			rl := p.wire().Routes[0].RateLimit
			if tt.limit == nil {
				if rl != nil {
					t.Errorf("%s %s: a limit on the wire: %v", kind, tt.name, rl)
				}
				continue
			}
			if rl.GetRequests() != tt.wantReq || rl.GetWindowSeconds() != tt.wantWindow {
				t.Errorf("%s %s: wire %d per %d s, want %d per %d s", kind, tt.name, rl.GetRequests(), rl.GetWindowSeconds(), tt.wantReq, tt.wantWindow)
			}
		}
	}
	for _, tt := range []struct {
		timeout time.Duration
		want    uint32
	}{{0, 0}, {500 * time.Millisecond, 500}, {2 * time.Minute, 120000}, {1000 * time.Hour, 1 << 31}} {
		p := Plugin{ID: "forms", Version: "1", Routes: []Route{{Method: "GET", Path: "/f", Public: true, Timeout: tt.timeout, Handler: ok}}}
		if got := p.wire().Routes[0].TimeoutMs; got != tt.want {
			t.Errorf("Timeout %v: %d ms on the wire, want %d", tt.timeout, got, tt.want)
		}
	}
}

// The manifest on the wire says which SDK and protocol built it, and
// carries each collection's personal permission.
func TestWireManifest(t *testing.T) {
	m := posyandu().wire()
	if m.SdkVersion != Version || m.Protocol != pb.Protocol {
		t.Errorf("sdk %q protocol %d, want %q %d", m.SdkVersion, m.Protocol, Version, pb.Protocol)
	}
	if m.Collections[0].PersonalPermission != "posyandu.children.read_personal" || !m.Collections[0].Fields[0].Personal {
		t.Errorf("collection on the wire: %v", m.Collections[0])
	}
	if len(m.Consumes) != 1 || m.Consumes[0] != "population.resident_moved" {
		t.Errorf("consumes on the wire: %v", m.Consumes)
	}
}

// serve runs one wire request through a built plugin the way the plugin
// process does, and returns the parts it answered.
func serve(t *testing.T, b *built, method, path string) []*pb.HTTPResponsePart {
	t.Helper()
	var parts []*pb.HTTPResponsePart
	w := pb.NewResponseWriter(func(p *pb.HTTPResponsePart) error {
		p.Body = bytes.Clone(p.Body) // the writer reuses its buffer
		parts = append(parts, p)
		return nil
	})
	b.ServeHTTP(context.Background(), &pb.HTTPRequest{Method: method, Path: path, Route: method + " " + path, Scope: &pb.Scope{Tenant: "14.01.01.2009"}}, strings.NewReader(""), nil, w)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return parts
}

// Each route is served by its own handler: GET /visits/export is not
// caught by /visits/{id}, the wildcard is set under the name the route
// declares, and a panic answers 500 internal without stopping anything.
func TestRoutesServeTheirOwnHandler(t *testing.T) {
	p := posyandu()
	named := func(name string) http.Handler {
		return Func(func(r *http.Request) (int, any, error) {
			return http.StatusOK, map[string]string{"handler": name, "id": r.PathValue("id"), "tenant": From(r).Tenant}, nil
		})
	}
	p.Routes[1].Handler = named("one")
	p.Routes[2].Handler = named("export")
	p.Routes = append(p.Routes, Route{Method: "DELETE", Path: "/visits/{id}", Permission: "posyandu.visits.write",
		Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("vendor bug") })})
	b, err := build(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		method, path string
		status       int32
		want         string
	}{
		{"GET", "/visits/export", 200, `{"handler":"export","id":"","tenant":"14.01.01.2009"}`},
		{"GET", "/visits/42", 200, `{"handler":"one","id":"42","tenant":"14.01.01.2009"}`},
		{"DELETE", "/visits/42", 500, `{"error":{"code":"internal","message":"the plugin failed"}}`},
	} {
		parts := serve(t, b, c.method, c.path)
		if len(parts) != 1 || parts[0].Head == nil {
			t.Fatalf("%s %s: parts %v", c.method, c.path, parts)
		}
		if got := strings.TrimSpace(string(parts[0].Body)); parts[0].Head.Status != c.status || got != c.want {
			t.Errorf("%s %s: %d %s, want %d %s", c.method, c.path, parts[0].Head.Status, got, c.status, c.want)
		}
	}
	if _, err := build(&Plugin{ID: "posyandu", Version: "1", Routes: []Route{{Method: "GET", Path: "/x", Public: true}}}); err == nil {
		t.Error("a plugin with a route without a handler was built")
	}
}

// A page is served by its own handler, apart from the API route of the
// same pattern, with the page information from the host's headers; an API
// wildcard neither catches a page request nor clashes with a page.
func TestPagesServeApartFromRoutes(t *testing.T) {
	p := posyandu()
	p.Routes[1].Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "route "+r.PathValue("id")) })
	p.Routes = append(p.Routes, Route{Method: "GET", Path: "/{a}/{b}/special", Permission: "posyandu.visits.read",
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "wildcard "+r.URL.Path) })})
	p.Pages = []PageRoute{{Method: "GET", Path: "/visits/{id}", Permission: "posyandu.visits.read",
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			pi := From(r).Page()
			fmt.Fprintf(w, "page %s %s %s %s %s", r.PathValue("id"), r.URL.Path, pi.Base, pi.CSRF, pi.Lang)
		})}}
	b, err := build(p)
	if err != nil {
		t.Fatal(err)
	}
	run := func(req *pb.HTTPRequest) string {
		var body []byte
		w := pb.NewResponseWriter(func(p *pb.HTTPResponsePart) error { body = append(body, p.Body...); return nil })
		req.Scope = &pb.Scope{Tenant: "14.01.01.2009"}
		b.ServeHTTP(context.Background(), req, strings.NewReader(""), nil, w)
		w.Close()
		return strings.TrimSpace(string(body))
	}
	headers := []*pb.Header{{Name: PageBaseHeader, Values: []string{"/console/14.01.01.2009/m/posyandu"}}, {Name: CSRFHeader, Values: []string{"tok"}}, {Name: LangHeader, Values: []string{"fr"}}}
	for _, c := range []struct {
		req  *pb.HTTPRequest
		want string
	}{
		{&pb.HTTPRequest{Method: "GET", Path: "/visits/7", Page: true, Headers: headers}, "page 7 /visits/7 /console/14.01.01.2009/m/posyandu tok id"},
		{&pb.HTTPRequest{Method: "GET", Path: "/visits/special", Page: true, Headers: headers}, "page special /visits/special /console/14.01.01.2009/m/posyandu tok id"},
		{&pb.HTTPRequest{Method: "GET", Path: "/visits/7", Headers: headers}, "route 7"},
		{&pb.HTTPRequest{Method: "GET", Path: "/x/y/special", Page: true}, "404 page not found"},
		{&pb.HTTPRequest{Method: "GET", Path: "/x/y/special"}, "wildcard /x/y/special"},
	} {
		if got := run(c.req); got != c.want {
			t.Errorf("%s %s page=%v: %s, want %s", c.req.Method, c.req.Path, c.req.Page, got, c.want)
		}
	}
}

// An event reaches its consumer with its fields and a Request for its
// tenant; an event the plugin does not consume is acknowledged.
func TestDeliver(t *testing.T) {
	var got Event
	var tenant string
	p := posyandu()
	p.Consumes[0].Handle = func(ctx context.Context, ev Event) error {
		got, tenant = ev, FromContext(ctx).Tenant
		return nil
	}
	b, err := build(p)
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(map[string]string{"to": "14.01.01.2010"})
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	ev := &pb.EventDelivery{Id: 7, Name: "population.resident_moved", SourcePlugin: "population", Payload: payload, AtUnixMs: at.UnixMilli(), Scope: &pb.Scope{Tenant: "14.01.01.2009"}}
	if err := b.Deliver(context.Background(), ev, nil); err != nil {
		t.Fatal(err)
	}
	if got.ID != 7 || got.Source != "population" || !got.At.Equal(at) || string(got.Payload) != string(payload) || tenant != "14.01.01.2009" {
		t.Errorf("delivered %+v in %s", got, tenant)
	}
	if err := b.Deliver(context.Background(), &pb.EventDelivery{Name: "other.thing"}, nil); err != nil {
		t.Errorf("an event not consumed: %v", err)
	}
}
