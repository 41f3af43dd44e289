package plugin

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	grpcstatus "google.golang.org/grpc/status"

	"github.com/balaidesa/balai/core/api"
	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/auth"
	"github.com/balaidesa/balai/core/idempotency"
	"github.com/balaidesa/balai/core/rbac"
	"github.com/balaidesa/balai/core/tenancy"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// Prefix is where plugin routes live: /api/v1/t/{tenant}/{plugin}/{path...}.
const Prefix = "/api/v1/t/"

// streamThreshold is the body size above which a request body is streamed
// to the plugin instead of sent in one message.
const streamThreshold = 256 << 10

// hopHeaders are not forwarded in either direction; Authorization and
// Cookie never reach a plugin, which learns the caller from its scope.
var hopHeaders = map[string]bool{
	"Connection": true, "Keep-Alive": true, "Proxy-Authenticate": true, "Proxy-Authorization": true,
	"Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true,
	"Authorization": true, "Cookie": true, "Set-Cookie": true,
}

// tenantCache remembers, briefly, which tenant codes exist, so that the hot
// path does not ask the database on every request.
type tenantCache struct {
	mu sync.Mutex
	m  map[string]tenantEntry
}

type tenantEntry struct{ until time.Time }

// forgetTenants empties the cache of tenant codes known to exist.
func (rt *Runtime) forgetTenants() error {
	rt.tenants.mu.Lock()
	rt.tenants.m = nil
	rt.tenants.mu.Unlock()
	return nil
}

// maxCachedTenants is more than the whole country's 91,599 regions.
const maxCachedTenants = 100_000

func (rt *Runtime) tenantLevel(ctx context.Context, code string) (tenancy.Level, error) {
	level, _, err := tenancy.ParseCode(code)
	if err != nil {
		return "", err
	}
	rt.tenants.mu.Lock()
	e, ok := rt.tenants.m[code]
	rt.tenants.mu.Unlock()
	if ok && time.Now().Before(e.until) {
		return level, nil
	}
	exists, err := tenancy.Exists(rt.h.DB.WithContext(ctx), code)
	if err != nil {
		return "", err
	}
	if !exists {
		// Not cached: made-up codes must not grow the cache.
		return "", apierr.NotFound("tenant_not_found", "tenant %s does not exist", code)
	}
	rt.tenants.mu.Lock()
	if rt.tenants.m == nil || len(rt.tenants.m) >= maxCachedTenants {
		rt.tenants.m = map[string]tenantEntry{}
	}
	rt.tenants.m[code] = tenantEntry{until: time.Now().Add(5 * time.Second)}
	rt.tenants.mu.Unlock()
	return level, nil
}

// call is one request to a plugin, from HTTP or from another plugin.
type call struct {
	tenant, plugin, method, path, rawQuery string
	headers                                http.Header
	user                                   string
	// limit is the caller's API token limit, applied to every check.
	limit rbac.Limit
	// system marks the host acting for its operator (the CLI): no login,
	// every permission the plugin declares.
	system    bool
	requestID string
	body      io.Reader
	size      int64 // -1 when unknown
	// client is the caller's address (no port); "" for the host's calls.
	client string
	// idem is the idempotency key the request holds, if any; calls it
	// makes to other plugins write under it too.
	idem *idempotency.Claim
	// broken is set by send when the plugin's answer broke off midway.
	broken bool
	// caller is the plugin making a plugin-to-plugin call ("" otherwise);
	// may limits the permissions it acts with (see Runtime.callLimit).
	caller string
	may    func(perm string) bool
	depth  int // plugin-to-plugin calls on the way to this one
	// page marks a request for a page (Route.page) rather than an API
	// route; publicArea, that it came by the public page URL
	// (/{tenant}/{plugin}/...), which serves public pages only, while the
	// console's serves the others.
	page, publicArea bool
	// flush, when set, pushes what was written of the answer to the
	// client; send calls it when the plugin's next part is not in sight
	// (see awaitPart). It may run on another goroutine.
	flush func()
}

// resolved is a call checked and ready to send.
type resolved struct {
	in      *Instance
	proc    *process
	route   *pb.Route
	pattern string
	level   tenancy.Level
	granted []string
	timeout time.Duration
	limit   int64
}

// check applies, in order, everything that stands between a caller and a
// plugin route: tenant, plugin, enablement, route, login, permission.
// authenticate returns the caller's username, "" when no token was sent.
func (rt *Runtime) check(ctx context.Context, c *call, authenticate func() (string, error)) (*resolved, error) {
	level, err := rt.tenantLevel(ctx, c.tenant)
	if err != nil {
		return nil, err
	}
	in, ok := rt.Get(c.plugin)
	if !ok {
		return nil, apierr.NotFound("plugin_not_found", "no plugin %s is loaded", c.plugin)
	}
	if !rt.modules.Enabled(c.tenant, c.plugin) {
		return nil, rt.modules.NotEnabled(c.tenant, c.plugin) // names where it is enabled and how to enable it
	}
	in.mu.RLock()
	mux, manifest := in.routes, in.manifest
	if c.page {
		mux = in.pages
	}
	in.mu.RUnlock()
	probe := &http.Request{Method: c.method, URL: &url.URL{Path: c.path}, Host: "plugin"}
	h, pattern := mux.Handler(probe)
	idx, ok := h.(routeIndex)
	if !ok {
		// ServeMux's own answer (404, 405, a redirect) says which it is.
		var rec statusOnly
		h.ServeHTTP(&rec, probe)
		if rec.status == http.StatusMethodNotAllowed {
			return nil, apierr.New(http.StatusMethodNotAllowed, "method_not_allowed", "%s is not allowed on %s", c.method, c.path)
		}
		return nil, apierr.NotFound("not_found", "plugin %s has no route %s %s", c.plugin, c.method, c.path)
	}
	route := manifest.Routes[idx]
	if c.page && route.Public != c.publicArea {
		// A console page is not served at the public URL, nor a public
		// page inside the console: each area has its own shell and rules.
		return nil, apierr.NotFound("not_found", "plugin %s has no page %s %s here", c.plugin, c.method, c.path)
	}
	if c.user == "" && authenticate != nil {
		// A public route serves anonymous callers, but one who sends a
		// token is served as that user, and a bad token is refused.
		user, err := authenticate()
		if err != nil {
			return nil, err
		}
		c.user = user
	}
	if !route.Public && !c.system && !c.mayUse(route.Permission) {
		return nil, apierr.New(http.StatusForbidden, "permission_not_declared", "plugin %s calls a route that needs %s without declaring it in its manifest's uses", c.caller, route.Permission)
	}
	if !route.Public && !c.system {
		if c.user == "" {
			return nil, apierr.Unauthorized("unauthenticated", "send Authorization: Bearer <token>; get a token from POST /api/v1/auth/login")
		}
		if err := rt.h.Authz.Authorize(c.user, c.limit, c.tenant, route.Permission); err != nil {
			return nil, err
		}
	}
	r := &resolved{in: in, route: route, pattern: pattern, level: level}
	if c.user != "" {
		for _, p := range manifest.Permissions {
			if c.system || c.mayUse(p.Name) && rt.h.Authz.Allowed(c.user, c.limit, c.tenant, p.Name) {
				r.granted = append(r.granted, p.Name)
			}
		}
	}
	r.timeout = rt.cfg.CallTimeout
	if route.TimeoutMs > 0 {
		r.timeout = time.Duration(route.TimeoutMs) * time.Millisecond
	}
	r.limit = rt.cfg.MaxBody
	if route.MaxBodyBytes > 0 {
		r.limit = route.MaxBodyBytes
	}
	proc, wait := in.live()
	if proc == nil {
		e := apierr.New(http.StatusServiceUnavailable, "plugin_unavailable", "plugin %s is restarting: try again in %d s", c.plugin, wait)
		e.RetryAfter = wait
		return nil, e
	}
	r.proc = proc
	return r, nil
}

// send delivers the call to the plugin and hands the response parts to out.
// It returns an error only when nothing was sent to out yet.
func (rt *Runtime) send(ctx context.Context, c *call, r *resolved, out func(*pb.HTTPResponsePart) error) error {
	// The host decides timeouts: the plugin's own deadline is a second
	// later, and the call is cancelled at the host's, so a plugin that
	// answers "in time" by its clock cannot race the host's 504.
	parent := ctx
	callCtx, callCancel := context.WithTimeout(parent, r.timeout+time.Second)
	defer callCancel()
	// The host's deadline is a timer that cancels the call: one timer per
	// request, not a second context and a watcher.
	var expired atomic.Bool
	defer time.AfterFunc(r.timeout, func() {
		expired.Store(true)
		callCancel()
	}).Stop()
	// ctxErr is why the call ended early, as a context of the host's
	// deadline would say: DeadlineExceeded at the host's deadline (or the
	// caller's own), Canceled when the caller went away, else nil.
	ctxErr := func() error {
		if expired.Load() {
			return context.DeadlineExceeded
		}
		return parent.Err()
	}
	deadline, _ := callCtx.Deadline()
	entry := &scopeEntry{plugin: c.plugin, tenant: c.tenant, user: c.user, limit: c.limit, requestID: c.requestID, perm: r.route.Permission, granted: r.granted, client: c.client, idem: c.idem, may: c.may, depth: c.depth}
	handle := rt.scopes.open(entry)
	defer rt.scopes.close(handle)
	req := &pb.HTTPRequest{
		Scope:  rt.stamp(&pb.Scope{Handle: handle, RequestId: c.requestID, Tenant: c.tenant, TenantLevel: string(r.level), Username: c.user, Granted: r.granted, DeadlineUnixMs: deadline.UnixMilli(), ClientAddress: c.client}),
		Method: c.method, Path: c.path, RawQuery: c.rawQuery, Route: r.pattern, Page: c.page,
	}
	for name, vs := range c.headers {
		if !hopHeaders[http.CanonicalHeaderKey(name)] {
			req.Headers = append(req.Headers, &pb.Header{Name: name, Values: vs})
		}
	}
	start := time.Now()
	status := "ok"
	defer func() {
		rt.metrics.calls.WithLabelValues(c.plugin, status).Inc()
		rt.metrics.duration.WithLabelValues(c.plugin).Observe(time.Since(start).Seconds())
	}()
	if r.proc.inproc != nil {
		// In process: the handler writes straight into out, no copies.
		body := c.body
		if body == nil {
			body = http.NoBody
		}
		ctx, cancel := context.WithTimeout(parent, r.timeout)
		defer cancel()
		w := pb.NewResponseWriter(out)
		r.proc.inproc.ServeHTTP(ctx, req, body, r.proc.host, w)
		w.Close()
		return nil
	}
	// Protocol 3: a body above streamThreshold (or of unknown size) streams
	// to the plugin on HandleStream; anything smaller travels in the
	// request message of an Exchange, with the request's storage calls.
	var recv func() (*pb.HTTPResponsePart, error)
	var bodyErr atomic.Pointer[error]
	if c.body != nil && (c.size < 0 || c.size > streamThreshold) {
		stream, err := r.proc.conn.client.HandleStream(callCtx)
		if err != nil {
			status = "unavailable"
			return rt.callError(ctxErr(), r.in, err)
		}
		if err := stream.Send(&pb.HTTPRequestPart{Request: req}); err != nil {
			status = "unavailable"
			return rt.callError(ctxErr(), r.in, err)
		}
		go func() {
			buf := make([]byte, 64<<10)
			for {
				n, err := c.body.Read(buf)
				if n > 0 {
					if stream.Send(&pb.HTTPRequestPart{Body: append([]byte(nil), buf[:n]...)}) != nil {
						return
					}
				}
				if err == io.EOF {
					stream.CloseSend()
					return
				}
				if err != nil {
					// A body cut short (too large, client gone) must not
					// reach the plugin as a complete one: cancel the call.
					bodyErr.Store(&err)
					callCancel()
					return
				}
			}
		}()
		recv = func() (*pb.HTTPResponsePart, error) {
			part, err := stream.Recv()
			if p := bodyErr.Load(); err != nil && p != nil {
				return nil, bodyError(*p)
			}
			return part, err
		}
	} else {
		if c.body != nil {
			b, err := readBody(c.body)
			if err != nil {
				status = "bad_request"
				return err
			}
			req.Body = b
		}
		stream, err := r.proc.conn.client.Exchange(callCtx)
		if err != nil {
			status = "unavailable"
			return rt.callError(ctxErr(), r.in, err)
		}
		if err := stream.Send(&pb.ExchangeDown{Request: req}); err != nil {
			status = "unavailable"
			return rt.callError(ctxErr(), r.in, err)
		}
		recv = func() (*pb.HTTPResponsePart, error) {
			for {
				m, err := stream.Recv()
				if err != nil {
					return nil, err
				}
				if m.Storage != nil {
					// The same checks as a call over the broker: the
					// request's scope decides tenant and caller.
					res, err := r.proc.svc.Storage(callCtx, m.Storage)
					down := &pb.ExchangeDown{Storage: res}
					if err != nil {
						down = &pb.ExchangeDown{Error: &pb.Error{Code: "storage_failed", Message: grpcstatus.Convert(err).Message()}}
					}
					if err := stream.Send(down); err != nil {
						return nil, err
					}
					continue
				}
				if m.Part != nil {
					return m.Part, nil
				}
			}
		}
	}
	first, err := recv()
	if cerr := ctxErr(); err == nil && cerr != nil {
		// The plugin gave up on its own deadline at the same moment: the
		// caller gets the timeout, not whatever it sent.
		err = cerr
	}
	if err != nil {
		status = "error"
		return rt.callError(ctxErr(), r.in, err)
	}
	if first.Head == nil {
		status = "error"
		return apierr.New(http.StatusBadGateway, "plugin_error", "plugin %s answered without a status", c.plugin)
	}
	if err := out(first); err != nil || first.Last {
		// The plugin marked its answer complete: no need to wait for the
		// stream's end, which only closes it.
		return nil
	}
	for {
		part, err := awaitPart(recv, c.flush)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			status = "broken"
			c.broken = true
			rt.log.Warn("plugin response broken off", "plugin", c.plugin, "request_id", c.requestID, "err", err)
			r.in.poke()
			return nil
		}
		if out(part) != nil || part.Last {
			return nil
		}
	}
}

// flushDelay is how long the host waits for a plugin's next response part
// before it pushes what it has to the client. The end of a one-part answer
// arrives within microseconds of the part; a streaming plugin's next part
// is delayed by at most this much.
const flushDelay = 2 * time.Millisecond

// awaitPart is recv, with flush called if no part (nor the end) has come
// within flushDelay. flush may be nil.
func awaitPart(recv func() (*pb.HTTPResponsePart, error), flush func()) (*pb.HTTPResponsePart, error) {
	if flush == nil {
		return recv()
	}
	done := make(chan struct{})
	t := time.AfterFunc(flushDelay, func() {
		defer close(done)
		flush()
	})
	part, err := recv()
	if !t.Stop() {
		// The flush started: let it finish before anything else writes.
		<-done
	}
	return part, err
}

// statusOnly is a ResponseWriter that keeps only the status, to learn what
// net/http.ServeMux answers a request it has no route for.
type statusOnly struct {
	header http.Header
	status int
}

func (w *statusOnly) Header() http.Header {
	if w.header == nil {
		w.header = http.Header{}
	}
	return w.header
}

func (w *statusOnly) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *statusOnly) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return len(b), nil
}

// callError maps a failed plugin call to the documented errors; ctxErr
// says why the call's context ended, if it did.
func (rt *Runtime) callError(ctxErr error, in *Instance, err error) error {
	if errors.Is(ctxErr, context.DeadlineExceeded) {
		return apierr.New(http.StatusGatewayTimeout, "plugin_timeout", "plugin %s did not answer in time", in.ID())
	}
	var e *apierr.Error
	if errors.As(err, &e) {
		return e
	}
	in.poke()
	ae := apierr.New(http.StatusServiceUnavailable, "plugin_unavailable", "plugin %s is not answering: try again shortly", in.ID())
	ae.RetryAfter = 1
	return ae
}

// ServeHTTP serves /api/v1/t/{tenant}/{plugin}/{path...}.
func (rt *Runtime) ServeHTTP(w http.ResponseWriter, r *http.Request, authenticate func(*http.Request) (*auth.Identity, error)) {
	rest := strings.TrimPrefix(r.URL.Path, Prefix)
	tenant, rest, _ := strings.Cut(rest, "/")
	plugin, path, _ := strings.Cut(rest, "/")
	// The plugin learns the deployment's address (see forwardHeaders).
	rt.forwardHeaders(r)
	c := &call{
		tenant: tenant, plugin: plugin, method: r.Method, path: "/" + path, rawQuery: r.URL.RawQuery,
		headers: r.Header, requestID: api.RequestID(r.Context()), size: r.ContentLength, client: api.ClientAddr(r),
	}
	res, err := rt.admitCall(w, r, c, func() (string, error) {
		if r.Header.Get("Authorization") == "" {
			return "", nil
		}
		id, err := authenticate(r)
		if err != nil {
			return "", err
		}
		c.limit = id.Limit
		return id.Username, nil
	})
	if err != nil {
		api.WriteError(w, r, err)
		return
	}
	var keyed *keyedCall
	if unsafeMethod(c.method) && len(r.Header.Values(idempotency.Header)) > 0 {
		var replayed bool
		keyed, replayed, err = rt.claimKey(w, r, c, res)
		if err != nil {
			api.WriteError(w, r, err)
			return
		}
		if replayed {
			return
		}
		c.idem = keyed.claim
	}
	err = rt.relay(w, r, c, res, keyed)
	if keyed != nil {
		rt.settle(r.Context(), c, keyed, err)
	}
	if err != nil {
		api.WriteError(w, r, err)
	}
}

// forwardHeaders sets the headers by which the plugin learns the
// deployment's address, as a reverse proxy tells its backend, for the links
// it prints (a letter's verification QR code). The configured public URL
// wins over anything a client sends: otherwise a caller's Host or
// X-Forwarded-Host would put a link to a site of its choosing on an
// official letter. Without one, a proxy in front of Balai may have set
// them, else the request's Host counts. pb.PublicURLHeader is the host's
// alone: a client's copy never reaches a plugin.
func (rt *Runtime) forwardHeaders(r *http.Request) {
	r.Header.Del(pb.PublicURLHeader)
	if pu := rt.cfg.PublicURL; pu != nil {
		r.Header.Set("X-Forwarded-Host", pu.Host)
		r.Header.Set("X-Forwarded-Proto", pu.Scheme)
		r.Header.Set(pb.PublicURLHeader, pu.Scheme+"://"+pu.Host)
	} else {
		if r.Header.Get("X-Forwarded-Host") == "" {
			r.Header.Set("X-Forwarded-Host", r.Host)
		}
		if r.Header.Get("X-Forwarded-Proto") == "" {
			proto := "http"
			if r.TLS != nil {
				proto = "https"
			}
			r.Header.Set("X-Forwarded-Proto", proto)
		}
	}
}

// admitCall runs every check of an HTTP request to a plugin route or page
// (rt.check, then the rate limit and the body limit) and bounds the body
// it will read. Errors are *apierr.Error, before anything is written.
func (rt *Runtime) admitCall(w http.ResponseWriter, r *http.Request, c *call, authenticate func() (string, error)) (*resolved, error) {
	res, err := rt.check(r.Context(), c, authenticate)
	if err != nil {
		return nil, err
	}
	if !c.page {
		noteRoute(r.Context(), c, res)
	}
	if err := rt.limitRate(c, res); err != nil {
		return nil, err
	}
	if r.ContentLength > res.limit {
		return nil, apierr.New(http.StatusRequestEntityTooLarge, "body_too_large", "the body is larger than %d bytes", res.limit)
	}
	if r.Body != nil && r.Body != http.NoBody {
		c.body = http.MaxBytesReader(w, r.Body, res.limit)
	}
	return res, nil
}

// relay sends an admitted call to its plugin and writes the answer to w
// (keyed, when set, records it for its idempotency key). It returns an
// error only when nothing was written to w yet.
func (rt *Runtime) relay(w http.ResponseWriter, r *http.Request, c *call, res *resolved, keyed *keyedCall) error {
	// The answer is flushed only when the plugin's next part is not in
	// sight: a one-part answer then leaves in one write, with its
	// Content-Length, and a streamed one still reaches the client as it
	// comes. mu orders the writes here and the flush awaitPart may run.
	var mu sync.Mutex
	flusher := http.NewResponseController(w)
	c.flush = func() {
		mu.Lock()
		flusher.Flush()
		mu.Unlock()
	}
	return rt.send(r.Context(), c, res, func(p *pb.HTTPResponsePart) error {
		mu.Lock()
		defer mu.Unlock()
		if keyed != nil {
			keyed.capture(p)
		}
		if p.Head != nil {
			for _, h := range p.Head.Headers {
				if !hopHeaders[http.CanonicalHeaderKey(h.Name)] {
					w.Header()[http.CanonicalHeaderKey(h.Name)] = h.Values
				}
			}
			w.WriteHeader(validStatus(p.Head.Status))
		}
		if len(p.Body) > 0 {
			if _, err := w.Write(p.Body); err != nil {
				if keyed != nil {
					keyed.lost = true
				}
				return err
			}
		}
		return nil
	})
}

// call serves a plugin's request to another plugin's route, on behalf of
// the caller of the request it is serving.
func (rt *Runtime) call(ctx context.Context, from *scopeEntry, req *pb.HTTPRequest, out func(*pb.HTTPResponsePart) error) error {
	path := req.Path
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	c := &call{
		tenant: from.tenant, plugin: req.TargetPlugin, method: req.Method, path: path, rawQuery: req.RawQuery,
		headers: http.Header{}, user: from.user, limit: from.limit, requestID: from.requestID, size: int64(len(req.Body)),
		client: from.client, idem: from.idem, caller: from.plugin, may: rt.callLimit(from), depth: from.depth + 1,
	}
	for _, h := range req.Headers {
		c.headers[h.Name] = h.Values
	}
	if len(req.Body) > 0 {
		c.body = bytes.NewReader(req.Body)
	}
	res, err := rt.check(ctx, c, nil)
	if err == nil && int64(len(req.Body)) > res.limit {
		err = apierr.New(http.StatusRequestEntityTooLarge, "body_too_large", "the body is larger than %d bytes", res.limit)
	}
	if err == nil {
		err = rt.send(ctx, c, res, out)
	}
	if err != nil {
		// The calling plugin gets the same answer an HTTP client would.
		e, ok := apierr.As(err)
		if !ok {
			rt.log.Error("plugin-to-plugin call failed", "from", from.plugin, "to", req.TargetPlugin, "err", err)
			e = apierr.New(http.StatusInternalServerError, "internal", "the call failed")
		}
		head := &pb.HTTPResponseHead{Status: int32(e.Status), Headers: []*pb.Header{{Name: "Content-Type", Values: []string{"application/json"}}}}
		if e.RetryAfter > 0 {
			head.Headers = append(head.Headers, &pb.Header{Name: "Retry-After", Values: []string{strconv.Itoa(e.RetryAfter)}})
		}
		return out(&pb.HTTPResponsePart{Head: head, Body: api.ErrorJSON(e)})
	}
	return nil
}

// Invocation is a request the host itself sends to a plugin route on behalf
// of its operator (balai population import, balai demo seed): it holds
// every permission the plugin declares, and Actor names it in the audit
// trail.
type Invocation struct {
	Actor, Tenant, Plugin, Method, Path, RawQuery string
	Header                                        http.Header
	Body                                          io.Reader
	// Size of Body, -1 when unknown; large bodies stream to the plugin.
	Size int64
}

// Invoke sends inv to its plugin and writes the answer to w. Errors before
// the plugin answered come back as *apierr.Error.
func (rt *Runtime) Invoke(ctx context.Context, inv Invocation, w http.ResponseWriter) error {
	c := &call{
		tenant: inv.Tenant, plugin: inv.Plugin, method: inv.Method, path: inv.Path, rawQuery: inv.RawQuery,
		headers: inv.Header, user: inv.Actor, system: true, requestID: uuid.NewString(), body: inv.Body, size: inv.Size,
	}
	if c.headers == nil {
		c.headers = http.Header{}
	}
	res, err := rt.check(ctx, c, nil)
	if err != nil {
		return err
	}
	if c.body != nil {
		c.body = &limitedBody{r: c.body, left: res.limit, limit: res.limit}
	}
	return rt.send(ctx, c, res, func(p *pb.HTTPResponsePart) error {
		if p.Head != nil {
			for _, h := range p.Head.Headers {
				w.Header()[http.CanonicalHeaderKey(h.Name)] = h.Values
			}
			w.WriteHeader(validStatus(p.Head.Status))
		}
		_, err := w.Write(p.Body)
		return err
	})
}

// limitedBody fails a body that runs past the route's limit instead of
// cutting it short silently.
type limitedBody struct {
	r           io.Reader
	left, limit int64
}

func (l *limitedBody) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, &http.MaxBytesError{Limit: l.limit}
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return n - 1, &http.MaxBytesError{Limit: l.limit}
	}
	return n, err
}

// readBody reads a whole request body, mapping an oversized one to 413.
func readBody(body io.Reader) ([]byte, error) {
	b, err := io.ReadAll(body)
	if err != nil {
		return nil, bodyError(err)
	}
	return b, nil
}

// bodyError is the caller's error for a request body that could not be
// read: too large, or cut off.
func bodyError(err error) error {
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return apierr.New(http.StatusRequestEntityTooLarge, "body_too_large", "the body is larger than %d bytes", maxErr.Limit)
	}
	return apierr.BadRequest("bad_body", "reading the request body: %v", err)
}
