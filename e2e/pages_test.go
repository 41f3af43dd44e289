package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// hello's notes screen through the real plugin binary and go-plugin: the
// runtime's ServePage (what the web layer calls) sends the page request to
// the plugin process, whose storage calls travel on the request's stream,
// and moves the answer back unchanged.
func TestHelloScreenThroughThePluginBinary(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		var opts []sdktest.Option
		if u, _ := b.New(t); u != "" {
			opts = append(opts, sdktest.WithDatabase(u))
		}
		h := sdktest.NewBinary(t, PluginBinary("hello"), "hello", opts...)
		h.Tenant(villageA)
		h.Enable(villageA)
		op := h.User("siti", "operator", villageA)
		viewer := h.User("ani", "viewer", villageA)

		res := op.PostForm(villageA, "/notes", url.Values{"text": {""}})
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.HTML, `id="f-text-error"`) || !res.Fragment {
			t.Fatalf("empty note: %d\n%s", res.Status, res.HTML)
		}
		res = op.PostForm(villageA, "/notes", url.Values{"text": {"Posyandu <Kamis>"}})
		if res.Status != http.StatusSeeOther || res.Location != "/console/"+villageA+"/m/hello/notes" || res.Flash != "Catatan disimpan." {
			t.Fatalf("add note: %d %q %q\n%s", res.Status, res.Location, res.Flash, res.HTML)
		}
		res = viewer.GetPage(villageA, "/notes")
		if res.Status != http.StatusOK || res.Title != "Catatan" || !strings.Contains(res.HTML, "<td>Posyandu &lt;Kamis&gt;</td>") || strings.Contains(res.HTML, "<form") {
			t.Fatalf("list: %d %q\n%s", res.Status, res.Title, res.HTML)
		}
		if res := viewer.PostForm(villageA, "/notes", url.Values{"text": {"x"}}); res.Status != http.StatusForbidden {
			t.Errorf("viewer posts: %d, want 403", res.Status)
		}
		if menu := h.Menu(villageA, "ani"); len(menu) != 1 || menu[0].Plugin != "hello" || menu[0].Path != "/notes" {
			t.Errorf("menu = %+v", menu)
		}
		if ws := h.Widgets(villageA, "ani"); len(ws) != 1 || !strings.Contains(string(ws[0].HTML), "1 catatan") {
			t.Errorf("widgets = %+v", ws)
		}
		h.Disable(villageA)
		if res := viewer.GetPage(villageA, "/notes"); res.Status != http.StatusNotFound || res.Code != "module_not_enabled" {
			t.Errorf("module off: %d %s", res.Status, res.Code)
		}
	})
}

// The real server loads a plugin that declares pages: its API keeps
// working on the paths its pages share, and a page is not reachable
// through the API.
func TestServerLoadsAPluginWithPages(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"hello"})
		w.enable(t, "14.01", "hello", true)
		w.op.Do(t, "POST", p(villageA, "hello", "/notes"), map[string]string{"text": "rapat"}).Expect(http.StatusCreated)
		if n := w.viewer.Do(t, "GET", p(villageA, "hello", "/notes"), nil).Expect(http.StatusOK).Total(); n != 1 {
			t.Errorf("API lists %d notes, want 1", n)
		}
		w.viewer.Do(t, "GET", p(villageA, "hello", "/summary"), nil).ExpectErr(http.StatusNotFound, "not_found")
	})
}
