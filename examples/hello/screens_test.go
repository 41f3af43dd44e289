package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk/sdktest"
)

// The notes screen, requested as the host's web layer requests it.
func TestNotesScreen(t *testing.T) {
	h := sdktest.New(t, &plugin)
	const village, neighbour = "14.01.01.2009", "14.01.01.2010"
	h.Tenant(village)
	h.Tenant(neighbour)
	h.Enable("14.01.01")
	op := h.User("siti", "operator", village)
	viewer := h.User("ani", "viewer", village)

	// An empty list, with the form for an operator.
	res := op.GetPage(village, "/notes")
	if res.Status != http.StatusOK || !res.Fragment || res.Title != "Catatan" {
		t.Fatalf("GET /notes: %d fragment=%v title=%q\n%s", res.Status, res.Fragment, res.Title, res.HTML)
	}
	for _, want := range []string{"Belum ada catatan.", `action="/console/14.01.01.2009/m/hello/notes"`, `name="csrf_token" value="` + sdktest.CSRFToken + `"`, `<label for="f-text">`} {
		if !strings.Contains(res.HTML, want) {
			t.Errorf("missing %q in\n%s", want, res.HTML)
		}
	}

	// An empty note: 422, the error under the field, the form again.
	res = op.PostForm(village, "/notes", url.Values{"text": {"   "}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.HTML, `<p class="b-field-error" id="f-text-error">Catatan wajib diisi.</p>`) {
		t.Fatalf("empty note: %d\n%s", res.Status, res.HTML)
	}
	// Too long: the text is kept, escaped.
	long := "<b>" + strings.Repeat("a", 500)
	res = op.PostForm(village, "/notes", url.Values{"text": {long}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.HTML, "Catatan lebih dari 500 karakter.") || !strings.Contains(res.HTML, "&lt;b&gt;aaaa") {
		t.Fatalf("long note: %d\n%s", res.Status, res.HTML)
	}

	// A good note: 303 back to the list, with a message; then listed.
	res = op.PostForm(village, "/notes", url.Values{"text": {"Rapat <desa> Senin"}})
	if res.Status != http.StatusSeeOther || res.Location != "/console/14.01.01.2009/m/hello/notes" || res.FlashKind != "success" || res.Flash != "Catatan disimpan." {
		t.Fatalf("add note: %d %q %q %q\n%s", res.Status, res.Location, res.FlashKind, res.Flash, res.HTML)
	}
	res = viewer.GetPage(village, "/notes")
	if res.Status != http.StatusOK || !strings.Contains(res.HTML, "<td>Rapat &lt;desa&gt; Senin</td>") {
		t.Fatalf("list after adding: %d\n%s", res.Status, res.HTML)
	}
	// The viewer sees no form, and may not post one.
	if strings.Contains(res.HTML, "<form") {
		t.Errorf("the viewer is shown the form:\n%s", res.HTML)
	}
	if res := viewer.PostForm(village, "/notes", url.Values{"text": {"x"}}); res.Status != http.StatusForbidden {
		t.Errorf("viewer POST: %d %s, want 403", res.Status, res.Code)
	}
	// The API's note and the screen's are the same records.
	var list struct{ Total int }
	op.Get(village, "/notes").JSON(&list)
	if list.Total != 1 {
		t.Errorf("API lists %d notes, want 1", list.Total)
	}

	// English.
	op.Lang = "en"
	if res := op.GetPage(village, "/notes"); res.Title != "Notes" || !strings.Contains(res.HTML, ">Save</button>") {
		t.Errorf("English: %q\n%s", res.Title, res.HTML)
	}

	// The menu and the dashboard widget.
	if menu := h.Menu(village, "ani"); len(menu) != 1 || menu[0].Path != "/notes" || menu[0].Label != "Catatan" || menu[0].LabelEN != "Notes" {
		t.Errorf("menu = %+v", menu)
	}
	if ws := h.Widgets(village, "ani"); len(ws) != 1 || ws[0].Title != "Catatan" || !strings.Contains(string(ws[0].HTML), "1 catatan") {
		t.Errorf("widgets = %+v", ws)
	}

	// Elsewhere: no permission in the neighbour, module off, no page.
	if res := op.GetPage(neighbour, "/notes"); res.Status != http.StatusForbidden {
		t.Errorf("neighbour: %d %s, want 403", res.Status, res.Code)
	}
	if menu := h.Menu(neighbour, "siti"); len(menu) != 0 {
		t.Errorf("menu in the neighbour = %+v", menu)
	}
	if res := op.GetPage(village, "/nope"); res.Status != http.StatusNotFound {
		t.Errorf("unknown page: %d", res.Status)
	}
	if res := op.PublicPage("GET", village, "/notes", nil); res.Status != http.StatusNotFound {
		t.Errorf("console page at the public URL: %d, want 404", res.Status)
	}
	h.Disable(village)
	if res := op.GetPage(village, "/notes"); res.Status != http.StatusNotFound || res.Code != "module_not_enabled" {
		t.Errorf("module off: %d %s", res.Status, res.Code)
	}
	if menu := h.Menu(village, "ani"); len(menu) != 0 {
		t.Errorf("menu with the module off = %+v", menu)
	}
}
