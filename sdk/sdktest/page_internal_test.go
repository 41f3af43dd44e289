package sdktest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/webpage"
	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

// pagesPlugin has an API route and a page on the same pattern, a public
// page, a wildcard API route (which must not reach the pages), a small
// upload page and a widget that fails.
func pagesPlugin() *sdk.Plugin {
	echo := func(kind string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			req := sdk.From(r)
			pi := req.Page()
			fmt.Fprintf(w, "%s path=%s base=%s csrf=%s lang=%s page=%v user=%s x=%s",
				kind, r.URL.Path, pi.Base, pi.CSRF, pi.Lang, req.IsPage(), req.User, r.Header.Get("X-Test"))
		}
	}
	return &sdk.Plugin{ID: "pages", Version: "1",
		Permissions: []sdk.Permission{{Name: "pages.items.read", Roles: []string{"viewer"}}},
		Routes: []sdk.Route{
			{Method: "GET", Path: "/items", Permission: "pages.items.read", Handler: echo("api")},
			{Method: "GET", Path: "/any/{rest...}", Permission: "pages.items.read", Handler: echo("wild")},
		},
		Pages: []sdk.PageRoute{
			{Method: "GET", Path: "/items", Permission: "pages.items.read", Handler: echo("page"),
				Menu: &sdk.MenuEntry{Label: "Barang", Order: 2}},
			{Method: "GET", Path: "/items/{id}", Permission: "pages.items.read", Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintf(w, "item %s at %s", r.PathValue("id"), r.URL.Path)
			})},
			{Method: "GET", Path: "/first", Permission: "pages.items.read", Handler: echo("first"),
				Menu: &sdk.MenuEntry{Label: "Awal", Order: 1}},
			{Method: "GET", Path: "/hello", Public: true, Handler: echo("public")},
			{Method: "POST", Path: "/hello", Public: true, Handler: echo("public post")},
			{Method: "POST", Path: "/upload", Permission: "pages.items.read", MaxBodyBytes: 100, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, err := io.ReadAll(r.Body)
				fmt.Fprintf(w, "read %d %v", len(b), err)
			})},
			{Method: "GET", Path: "/ok", Permission: "pages.items.read", Widget: true, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ui.Render(w, r, ui.Page{Title: "Baik", Body: []ui.Node{ui.Text("isi")}})
			})},
			{Method: "GET", Path: "/summary", Public: true, Widget: true, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ui.Render(w, r, ui.Page{Title: "Ringkasan", Body: []ui.Node{ui.Text("publik " + ui.Info(r).Base)}})
			})},
			{Method: "GET", Path: "/broken", Permission: "pages.items.read", Widget: true, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, "no", http.StatusInternalServerError)
			})},
			{Method: "GET", Path: "/slow", Permission: "pages.items.read", Widget: true, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-time.After(5 * time.Second):
				case <-r.Context().Done():
				}
				ui.Render(w, r, ui.Page{Title: "Lambat"})
			})},
		},
	}
}

func TestPageRules(t *testing.T) {
	h := New(t, pagesPlugin())
	const village = "14.01.01.2009"
	h.Tenant(village)
	h.Enable(village)
	viewer := h.User("ani", "viewer", village)

	serve := func(method, target, path string, header http.Header, body string, c webpage.Call) (int, string, error) {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		for k, v := range header {
			req.Header[k] = v
		}
		c.Tenant, c.Plugin, c.Path = village, "pages", path
		rec := httptest.NewRecorder()
		err := h.rt.ServePage(rec, req, c)
		return rec.Code, rec.Body.String(), err
	}
	call := webpage.Call{User: "ani", CSRF: "real", Lang: "en", Base: "/console/14.01.01.2009/m/pages"}

	// The host's headers win over the browser's copies; others pass.
	forged := http.Header{"Balai-Csrf": {"forged"}, "Balai-Page-Base": {"javascript:"}, "Balai-Lang": {"xx"}, "Balai-Other": {"1"}, "X-Test": {"kept"}}
	_, body, err := serve("GET", "/x/items", "/items", forged, "", call)
	if want := "page path=/items base=/console/14.01.01.2009/m/pages csrf=real lang=en page=true user=ani x=kept"; err != nil || body != want {
		t.Errorf("page: %v %q\nwant %q", err, body, want)
	}
	// The API route of the same pattern is another handler, and knows no page.
	if res := viewer.Get(village, "/items"); string(res.Body) != "api path=/items base= csrf= lang= page=false user=ani x=" {
		t.Errorf("API: %s", res.Body)
	}
	// The API does not reach a page, nor a page the API.
	if res := viewer.Get(village, "/any/x"); res.Status != 200 {
		t.Errorf("wildcard API: %d %s", res.Status, res.Body)
	}
	if res := viewer.Get(village, "/first"); res.Status != http.StatusNotFound || strings.Contains(string(res.Body), "first path") {
		t.Errorf("API request to a page's path: %d %s", res.Status, res.Body)
	}
	// Path values reach the page handler, with its own path.
	if _, body, _ := serve("GET", "/x", "/items/42", nil, "", call); body != "item 42 at /items/42" {
		t.Errorf("wildcard page: %q", body)
	}
	// Language defaults to Indonesian.
	if _, body, _ := serve("GET", "/x", "/items", nil, "", webpage.Call{User: "ani"}); !strings.Contains(body, "lang=id") {
		t.Errorf("default language: %q", body)
	}
	// Errors come back before anything is written, as *apierr.Error.
	for _, c := range []struct {
		name, method, path string
		call               webpage.Call
		status             int
		code               string
	}{
		{"anonymous on a console page", "GET", "/items", webpage.Call{}, 401, "unauthenticated"},
		{"stranger", "GET", "/items", webpage.Call{User: "nobody"}, 403, ""},
		{"no such page", "GET", "/nope", call, 404, "not_found"},
		{"API-only path", "GET", "/any/x", call, 404, "not_found"},
		{"public page in the console", "GET", "/hello", call, 404, "not_found"},
		{"console page in the public area", "GET", "/items", webpage.Call{User: "ani", Public: true}, 404, "not_found"},
		{"method", "DELETE", "/items", call, 405, "method_not_allowed"},
	} {
		rec := httptest.NewRecorder()
		c.call.Tenant, c.call.Plugin, c.call.Path = village, "pages", c.path
		err := h.rt.ServePage(rec, httptest.NewRequest(c.method, "/x", nil), c.call)
		e, ok := apierr.As(err)
		if !ok || e.Status != c.status || c.code != "" && e.Code != c.code || rec.Body.Len() > 0 {
			t.Errorf("%s: %v (written %q), want %d %s", c.name, err, rec.Body.String(), c.status, c.code)
		}
	}
	// A public page serves anyone, in the public area.
	if _, body, err := serve("GET", "/x", "/hello", nil, "", webpage.Call{Public: true, Base: "/14.01.01.2009/pages"}); err != nil || !strings.HasPrefix(body, "public path=/hello base=/14.01.01.2009/pages") {
		t.Errorf("public page: %v %q", err, body)
	}
	// A public POST page has the host's default limit, 30 a minute per
	// client address, counted apart from any API route.
	public := webpage.Call{Public: true, Base: "/14.01.01.2009/pages"}
	for i := range 30 {
		if _, _, err := serve("POST", "/x", "/hello", nil, "", public); err != nil {
			t.Fatalf("public post %d: %v", i+1, err)
		}
	}
	if _, _, err := serve("POST", "/x", "/hello", nil, "", public); err == nil || !strings.Contains(err.Error(), "too many requests") {
		t.Errorf("public post 31: %v, want rate_limited", err)
	} else if e, _ := apierr.As(err); e.Status != http.StatusTooManyRequests || e.RetryAfter < 1 {
		t.Errorf("public post 31: %+v", e)
	}
	// The page's body limit holds.
	if _, body, err := serve("POST", "/x", "/upload", nil, strings.Repeat("a", 100), call); err != nil || body != "read 100 <nil>" {
		t.Errorf("upload within the limit: %v %q", err, body)
	}
	if _, _, err := serve("POST", "/x", "/upload", nil, strings.Repeat("a", 101), call); err == nil || !strings.Contains(err.Error(), "larger than 100 bytes") {
		t.Errorf("upload over the limit: %v", err)
	}

	// Menu: sorted by order; widgets: the good one only, within the bound.
	menu := h.Menu(village, "ani")
	if len(menu) != 2 || menu[0].Label != "Awal" || menu[1].Label != "Barang" || menu[1].Path != "/items" {
		t.Errorf("menu = %+v", menu)
	}
	if menu := h.Menu(village, "nobody"); len(menu) != 0 {
		t.Errorf("menu of a stranger = %+v", menu)
	}
	start := time.Now()
	ws := h.Widgets(village, "ani")
	if len(ws) != 1 || ws[0].Title != "Baik" || !strings.Contains(string(ws[0].HTML), "<p>isi</p>") {
		t.Errorf("widgets = %+v", ws)
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("widgets took %s, want about 2 s", d)
	}
	// A public widget is for the public home only, fetched anonymously,
	// with links under the public page root.
	pub := h.PublicWidgets(village)
	if len(pub) != 1 || pub[0].Title != "Ringkasan" || !strings.Contains(string(pub[0].HTML), "publik /14.01.01.2009/pages") {
		t.Errorf("public widgets = %+v", pub)
	}
	for _, w := range ws {
		if w.Title == "Ringkasan" {
			t.Error("a public widget is on the console dashboard")
		}
	}
	h.Tenant("14.01.01.2010")
	if pub := h.PublicWidgets("14.01.01.2010"); len(pub) != 0 {
		t.Errorf("public widgets where the module is not enabled = %+v", pub)
	}
	if _, err := h.rt.Menu(t.Context(), "99.99", "ani"); err == nil {
		t.Error("menu of an unknown tenant: no error")
	}
}
