package plugin

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/balaidesa/balai/core/api"
	"github.com/balaidesa/balai/core/rbac"
	"github.com/balaidesa/balai/core/webpage"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// The runtime is the web layer's source of module pages.
var _ webpage.Source = (*Runtime)(nil)

// widgetTimeout bounds each widget's fetch: the dashboard waits for the
// slowest one.
const widgetTimeout = 2 * time.Second

// maxWidgetBytes bounds a widget's fragment; a larger one is left out.
const maxWidgetBytes = 256 << 10

// ServePage serves a browser's request for a module page (webpage.Source):
// the same checks as an API request (rt.check: tenant, plugin, module
// enabled, page, login, permission; then rate and body limits), with the
// user the web layer authenticated. A console page is served only with
// c.Public false, a public page only with it true. The Balai-* headers a
// browser sent are removed and the host's own set from c. Errors before the
// plugin answered come back as *apierr.Error, with nothing written to w;
// the plugin's answer is written unchanged.
func (rt *Runtime) ServePage(w http.ResponseWriter, r *http.Request, c webpage.Call) error {
	h := r.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	for name := range h {
		if strings.HasPrefix(http.CanonicalHeaderKey(name), "Balai-") {
			delete(h, name)
		}
	}
	lang := "id"
	if c.Lang == "en" {
		lang = "en"
	}
	h.Set(pb.PageBaseHeader, c.Base)
	h.Set(pb.CSRFHeader, c.CSRF)
	h.Set(pb.LangHeader, lang)
	r2 := r.WithContext(r.Context())
	r2.Header = h
	rt.forwardHeaders(r2)
	path := c.Path
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	requestID := api.RequestID(r.Context())
	if requestID == "" {
		requestID = uuid.NewString()
	}
	call := &call{
		tenant: c.Tenant, plugin: c.Plugin, method: r.Method, path: path, rawQuery: r.URL.RawQuery,
		headers: h, user: c.User, requestID: requestID, size: r.ContentLength, client: api.ClientAddr(r),
		page: true, publicArea: c.Public,
	}
	res, err := rt.admitCall(w, r2, call, nil)
	if err != nil {
		return err
	}
	return rt.relay(w, r2, call, res, nil)
}

// pageRef is one page of a loaded plugin.
type pageRef struct {
	plugin string
	route  *pb.Route
}

// visiblePages lists the console pages of the plugins enabled in tenant
// that keep returns true for and whose permission user holds there.
func (rt *Runtime) visiblePages(ctx context.Context, tenant, user string, keep func(*pb.Route) bool) ([]pageRef, error) {
	return rt.enabledPages(ctx, tenant, func(r *pb.Route) bool {
		return !r.Public && keep(r) && user != "" && rt.h.Authz.Allowed(user, rbac.Limit{}, tenant, r.Permission)
	})
}

// enabledPages lists the pages that keep returns true for of the plugins
// enabled in tenant, in load order. The error is the tenant's lookup's.
func (rt *Runtime) enabledPages(ctx context.Context, tenant string, keep func(*pb.Route) bool) ([]pageRef, error) {
	if _, err := rt.tenantLevel(ctx, tenant); err != nil {
		return nil, err
	}
	var out []pageRef
	for _, in := range rt.Instances() {
		m := in.Manifest()
		if m == nil {
			continue
		}
		if loaded, ok := rt.Get(m.Id); !ok || loaded != in || !rt.modules.Enabled(tenant, m.Id) {
			continue
		}
		for _, r := range m.Routes {
			if !r.Page || !keep(r) {
				continue
			}
			out = append(out, pageRef{plugin: m.Id, route: r})
		}
	}
	return out, nil
}

// Menu lists the console pages with a menu entry of the plugins enabled in
// tenant whose permission user holds there, sorted by order, then label,
// then plugin (webpage.Source). The error is the tenant's lookup's
// (*apierr.Error tenant_not_found for an unknown code).
func (rt *Runtime) Menu(ctx context.Context, tenant, user string) ([]webpage.MenuItem, error) {
	pages, err := rt.visiblePages(ctx, tenant, user, func(r *pb.Route) bool { return r.Menu != nil })
	if err != nil {
		return nil, err
	}
	items := make([]webpage.MenuItem, 0, len(pages))
	for _, p := range pages {
		m := p.route.Menu
		items = append(items, webpage.MenuItem{Plugin: p.plugin, Path: p.route.Path, Label: m.Label, LabelEN: m.LabelEn, Icon: m.Icon, Order: int(m.Order)})
	}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if a.Order != b.Order {
			return a.Order < b.Order
		}
		if a.Label != b.Label {
			return a.Label < b.Label
		}
		return a.Plugin < b.Plugin
	})
	return items, nil
}

// Widgets fetches the dashboard fragments of the plugins enabled in
// tenant that user may see, in parallel, each bounded to widgetTimeout
// (webpage.Source). A widget that fails, times out, or answers anything
// but a 200 fragment is left out and logged (by plugin and path only).
// Widget links resolve against the console page root of their plugin.
func (rt *Runtime) Widgets(ctx context.Context, tenant, user, lang string) []webpage.Widget {
	pages, err := rt.visiblePages(ctx, tenant, user, func(r *pb.Route) bool { return r.Widget })
	if err != nil {
		rt.log.Warn("listing widgets", "tenant", tenant, "err", err)
		return nil
	}
	return rt.fetchWidgets(ctx, tenant, user, lang, pages)
}

// PublicWidgets fetches the public widget pages of the plugins enabled in
// tenant for an anonymous caller, in parallel, each bounded to
// widgetTimeout (webpage.Source): what the portal shows on a tenant's
// public home. Failures are left out and logged as for Widgets. Widget
// links resolve against the public page root /{tenant}/{plugin}.
func (rt *Runtime) PublicWidgets(ctx context.Context, tenant, lang string) []webpage.Widget {
	pages, err := rt.enabledPages(ctx, tenant, func(r *pb.Route) bool { return r.Public && r.Widget })
	if err != nil {
		rt.log.Warn("listing public widgets", "tenant", tenant, "err", err)
		return nil
	}
	return rt.fetchWidgets(ctx, tenant, "", lang, pages)
}

// fetchWidgets fetches pages in parallel for user ("" anonymous), keeping
// the answers in the order of pages and leaving failures out.
func (rt *Runtime) fetchWidgets(ctx context.Context, tenant, user, lang string, pages []pageRef) []webpage.Widget {
	out := make([]*webpage.Widget, len(pages))
	var wg sync.WaitGroup
	for i, p := range pages {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w, err := rt.widget(ctx, tenant, user, lang, p)
			if err != nil {
				rt.log.Warn("widget left out", "plugin", p.plugin, "page", p.route.Path, "tenant", tenant, "err", err)
				return
			}
			out[i] = w
		}()
	}
	wg.Wait()
	var ws []webpage.Widget
	for _, w := range out {
		if w != nil {
			ws = append(ws, *w)
		}
	}
	return ws
}

// widget fetches one widget page.
func (rt *Runtime) widget(ctx context.Context, tenant, user, lang string, p pageRef) (*webpage.Widget, error) {
	ctx, cancel := context.WithTimeout(ctx, widgetTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.route.Path, nil)
	if err != nil {
		return nil, err
	}
	rec := &fragmentRecorder{header: http.Header{}}
	base := "/console/" + tenant + "/m/" + p.plugin
	if p.route.Public {
		base = "/" + tenant + "/" + p.plugin
	}
	err = rt.ServePage(rec, req, webpage.Call{
		Tenant: tenant, Plugin: p.plugin, Path: p.route.Path, User: user, Lang: lang,
		Base: base, Public: p.route.Public,
	})
	switch {
	case err != nil:
		return nil, err
	case ctx.Err() != nil:
		return nil, fmt.Errorf("no complete answer within %s", widgetTimeout)
	case rec.status != http.StatusOK:
		return nil, fmt.Errorf("status %d", rec.status)
	case rec.header.Get(pb.PageHeader) != "fragment":
		return nil, fmt.Errorf("the answer is not a page fragment")
	case rec.overflow:
		return nil, fmt.Errorf("the fragment is larger than %d bytes", maxWidgetBytes)
	}
	title, err := url.PathUnescape(rec.header.Get(pb.PageTitleHeader))
	if err != nil {
		title = ""
	}
	// The plugin's fragment is HTML by the page contract: the host trusts
	// its plugins' markup as it trusts their pages.
	return &webpage.Widget{Plugin: p.plugin, Title: title, HTML: template.HTML(rec.body.String())}, nil
}

// fragmentRecorder keeps a widget's answer, up to maxWidgetBytes.
type fragmentRecorder struct {
	header   http.Header
	status   int
	body     bytes.Buffer
	overflow bool
}

func (f *fragmentRecorder) Header() http.Header { return f.header }

func (f *fragmentRecorder) WriteHeader(code int) {
	if f.status == 0 {
		f.status = code
	}
}

func (f *fragmentRecorder) Write(b []byte) (int, error) {
	f.WriteHeader(http.StatusOK)
	if f.body.Len()+len(b) > maxWidgetBytes {
		f.overflow = true
		return 0, fmt.Errorf("widget fragment too large")
	}
	return f.body.Write(b)
}
