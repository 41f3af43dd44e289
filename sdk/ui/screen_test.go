package ui

import (
	"errors"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk"
)

func TestAnswer(t *testing.T) {
	type view struct{ Name string }
	bad := sdk.Errorf(http.StatusNotFound, sdk.CodeNotFound, "no such thing")
	cases := []struct {
		name    string
		h       func(*http.Request) (int, any, error)
		want    view
		wantErr string
	}{
		{"value of the type", func(*http.Request) (int, any, error) { return 200, view{"Budi"}, nil }, view{"Budi"}, ""},
		{"handler's error as is", func(*http.Request) (int, any, error) { return 0, nil, bad }, view{}, "no such thing"},
		{"another type", func(*http.Request) (int, any, error) { return 200, &view{"Budi"}, nil }, view{}, "handler answered *ui.view, want ui.view"},
		{"nil value", func(*http.Request) (int, any, error) { return 204, nil, nil }, view{}, "handler answered <nil>, want ui.view"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Answer[view](pageReq("GET", "/x", "id"), c.h)
			if got != c.want {
				t.Errorf("value %+v, want %+v", got, c.want)
			}
			if (err == nil) != (c.wantErr == "") || err != nil && err.Error() != c.wantErr {
				t.Errorf("error %v, want %q", err, c.wantErr)
			}
		})
	}
	// The handler's *sdk.Error stays one, for Errors.Explain to read.
	if _, err := Answer[view](pageReq("GET", "/x", "id"), cases[1].h); !errors.Is(err, bad) {
		t.Errorf("error %v is not the handler's", err)
	}
}

func TestWithQuery(t *testing.T) {
	cases := []struct {
		name, target string
		kv           []string
		want         string
	}{
		{"adds", "/list?q=budi", []string{"limit", "20"}, "limit=20&q=budi"},
		{"replaces", "/list?limit=5&q=budi", []string{"limit", "20"}, "limit=20&q=budi"},
		{"empty removes", "/list?limit=5&q=budi", []string{"q", ""}, "limit=5"},
		{"several", "/list", []string{"a", "1", "b", "2"}, "a=1&b=2"},
		{"odd key ignored", "/list?q=x", []string{"limit"}, "q=x"},
		{"escapes", "/list", []string{"q", "a&b c"}, "q=a%26b+c"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := pageReq("GET", c.target, "id")
			before := r.URL.RawQuery
			got := WithQuery(r, c.kv...)
			if got.URL.RawQuery != c.want {
				t.Errorf("query %q, want %q", got.URL.RawQuery, c.want)
			}
			if r.URL.RawQuery != before {
				t.Errorf("the page's request changed: %q", r.URL.RawQuery)
			}
			if got.Header.Get(sdk.PageBaseHeader) != r.Header.Get(sdk.PageBaseHeader) {
				t.Error("the copy lost the request's headers")
			}
		})
	}
}

func TestSwapTenant(t *testing.T) {
	cases := []struct{ base, from, to, want string }{
		{"/console/14.01/m/development", "14.01", "14.01.01.2009", "/console/14.01.01.2009/m/development"},
		{"/14.01/marketplace", "14.01", "14.01.02.2001", "/14.01.02.2001/marketplace"},
		// The tenant at the end of the root.
		{"/portal/14.01", "14.01", "14.01.03", "/portal/14.01.03"},
		// A longer code that starts with the tenant's is not the tenant.
		{"/14.01.01/marketplace", "14.01", "14.02", "/14.01.01/marketplace"},
		// The last segment of the tenant's code is the one replaced.
		{"/14.01/x/14.01/y", "14.01", "9", "/14.01/x/9/y"},
		{"/console/m/hello", "14.01", "9", "/console/m/hello"},
		{"/14.01/marketplace", "", "9", "/14.01/marketplace"},
	}
	for _, c := range cases {
		if got := swapTenant(c.base, c.from, c.to); got != c.want {
			t.Errorf("swapTenant(%q, %q, %q) = %q, want %q", c.base, c.from, c.to, got, c.want)
		}
	}
	// Outside a plugin handler there is no tenant to replace.
	if got := TenantHref(pageReq("GET", "/", "id"), "14.01.01.2009", "/projects/p1"); got != "/console/14.01.01.2009/m/hello/projects/p1" {
		t.Errorf("TenantHref outside a handler: %q", got)
	}
}

func TestAlertAndErrorPage(t *testing.T) {
	r := pageReq("GET", "/x", "id")
	cases := []struct{ msg, want string }{
		{"Proyek tidak ditemukan.", `<p class="b-error" role="alert">Proyek tidak ditemukan.</p>`},
		{`<script>x</script>`, `<p class="b-error" role="alert">&lt;script&gt;x&lt;/script&gt;</p>`},
		{"", `<p class="b-error" role="alert"></p>`},
	}
	for _, c := range cases {
		if got := html(Alert(c.msg), r); got != c.want {
			t.Errorf("Alert(%q) = %s, want %s", c.msg, got, c.want)
		}
	}
	w := httptest.NewRecorder()
	ErrorPage(w, r, "Proyek", http.StatusNotFound, "Proyek <tidak> ditemukan.")
	if w.Code != http.StatusNotFound || w.Header().Get(sdk.PageTitleHeader) != "Proyek" ||
		!strings.Contains(w.Body.String(), `<h1>Proyek</h1></div><p class="b-error" role="alert">Proyek &lt;tidak&gt; ditemukan.</p></div>`) {
		t.Errorf("ErrorPage: %d %v %s", w.Code, w.Header(), w.Body)
	}
}

func TestExecute(t *testing.T) {
	ok := template.Must(template.New("ok").Parse(`<b>{{.}}</b>`))
	broken := template.Must(template.New("broken").Parse(`{{.Missing}}`))
	cases := []struct {
		name string
		t    *template.Template
		data any
		want template.HTML
	}{
		{"escapes its data", ok, "<i>", "<b>&lt;i&gt;</b>"},
		{"a failure shows nothing", broken, 42, ""},
	}
	for _, c := range cases {
		if got := Execute(pageReq("GET", "/", "id"), c.t, c.data); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestWords(t *testing.T) {
	words := Words{
		"id": {"save": "Simpan", "only_id": "Hanya"},
		"en": {"save": "Save"},
	}
	cases := []struct{ lang, key, want string }{
		{"id", "save", "Simpan"},
		{"en", "save", "Save"},
		{"en", "only_id", "Hanya"},
		{"fr", "save", "Simpan"},
		{"en", "unknown", ""},
	}
	for _, c := range cases {
		if got := words.Get(pageReq("GET", "/", c.lang), c.key); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.lang, c.key, got, c.want)
		}
	}
}

func TestErrors(t *testing.T) {
	const codeBadName sdk.Code = "invalid_name"
	e := Errors{
		Module: "test",
		Text:   map[sdk.Code]string{codeBadName: "Nama wajib diisi.", sdk.CodeConflict: "Data berubah."},
		Fields: map[sdk.Code]string{codeBadName: "name"},
		Rename: map[string]string{"funding": "funding_dana_desa"},
	}
	cases := []struct {
		name, lang string
		err        error
		field, msg string
		status     int
		fields     map[string]string
		summary    string
	}{
		{"code's field and sentence", "id", sdk.Errorf(422, codeBadName, "name is required"),
			"name", "Nama wajib diisi.", 422, map[string]string{"name": "Nama wajib diisi."}, "Periksa isian yang ditandai."},
		{"English keeps the API's message", "en", sdk.Errorf(422, codeBadName, "name is required"),
			"name", "name is required", 422, map[string]string{"name": "name is required"}, "Check the marked fields."},
		{"error's own field first", "id", &sdk.Error{Status: 422, Code: codeBadName, Field: "title", Message: "x"},
			"title", "Nama wajib diisi.", 422, map[string]string{"title": "Nama wajib diisi."}, "Periksa isian yang ditandai."},
		{"renamed field", "id", &sdk.Error{Status: 422, Code: sdk.CodeInvalid, Field: "funding", Message: "funding is empty"},
			"funding_dana_desa", "funding is empty", 422, map[string]string{"funding_dana_desa": "funding is empty"}, "Periksa isian yang ditandai."},
		{"no field: the message is the summary", "id", sdk.Errorf(409, sdk.CodeConflict, "changed"),
			"", "Data berubah.", 409, map[string]string{}, "Data berubah."},
		{"a failure of the plugin's own", "id", errors.New("db down: secret detail"),
			"", "Terjadi kesalahan. Coba lagi sebentar lagi.", 500, map[string]string{}, "Terjadi kesalahan. Coba lagi sebentar lagi."},
		{"a 5xx is a failure too", "id", sdk.Errorf(503, sdk.CodeUnavailable, "storage secret unavailable"),
			"", "Terjadi kesalahan. Coba lagi sebentar lagi.", 500, map[string]string{}, "Terjadi kesalahan. Coba lagi sebentar lagi."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := pageReq("POST", "/new", c.lang)
			field, msg, status := e.Explain(r, c.err)
			if field != c.field || msg != c.msg || status != c.status {
				t.Errorf("Explain: %q %q %d, want %q %q %d", field, msg, status, c.field, c.msg, c.status)
			}
			fields, summary, status := e.Form(r, c.err)
			if !reflect.DeepEqual(fields, c.fields) || summary != c.summary || status != c.status {
				t.Errorf("Form: %v %q %d, want %v %q %d", fields, summary, status, c.fields, c.summary, c.status)
			}
			w := httptest.NewRecorder()
			e.Fail(w, r, "Judul", c.err)
			if w.Code != c.status || !strings.Contains(w.Body.String(), `role="alert">`+template.HTMLEscapeString(c.msg)+`</p>`) {
				t.Errorf("Fail: %d %s", w.Code, w.Body)
			}
			if strings.Contains(w.Body.String(), "secret") {
				t.Error("a failure's text reached the page")
			}
		})
	}
}

func TestErrorsClient(t *testing.T) {
	const codeBadPhone sdk.Code = "invalid_phone"
	e := Errors{Module: "test", Detail: true,
		Text:   map[sdk.Code]string{codeBadPhone: "Nomor HP tidak sah"},
		Fields: map[sdk.Code]string{codeBadPhone: "phone"}}
	const console, public = "/console/14.01.01.2009/m/complaints", "/14.01.01.2009/complaints"
	cases := []struct {
		name, base, lang string
		err              error
		fields           map[string]string
		msg              string
		status           int
		ok               bool
	}{
		{"citizen: the sentence only", public, "id", sdk.Errorf(422, codeBadPhone, "phone is not a mobile number"),
			map[string]string{"phone": "Nomor HP tidak sah"}, "Nomor HP tidak sah", 422, true},
		{"clerk: the API's detail follows", console, "id", sdk.Errorf(422, codeBadPhone, "phone is not a mobile number"),
			map[string]string{"phone": "Nomor HP tidak sah: phone is not a mobile number"}, "Nomor HP tidak sah: phone is not a mobile number", 422, true},
		{"English: the API's message", console, "en", sdk.Errorf(422, codeBadPhone, "phone is not a mobile number"),
			map[string]string{"phone": "phone is not a mobile number"}, "phone is not a mobile number", 422, true},
		{"no sentence, no detail", console, "id", sdk.Errorf(409, sdk.CodeConflict, "changed"),
			map[string]string{}, "changed", 409, true},
		{"a failure is not the client's", public, "id", errors.New("db down"), nil, "", 0, false},
		{"nor is a 5xx", public, "id", sdk.Errorf(500, sdk.CodeInternal, "boom"), nil, "", 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := pageReq("POST", "/lapor", c.lang)
			r.Header.Set(sdk.PageBaseHeader, c.base)
			fields, msg, status, ok := e.Client(r, c.err)
			if !reflect.DeepEqual(fields, c.fields) || msg != c.msg || status != c.status || ok != c.ok {
				t.Errorf("Client: %v %q %d %v, want %v %q %d %v", fields, msg, status, ok, c.fields, c.msg, c.status, c.ok)
			}
		})
	}
}

func TestErrorsBack(t *testing.T) {
	e := Errors{Module: "test", Text: map[sdk.Code]string{"photo_too_large": "Foto paling besar 5 MB."}}
	const base = "/console/14.01.01.2009/m/hello"
	cases := []struct {
		name, lang string
		err        error
		flash      string
	}{
		{"success", "id", nil, "success;" + url.PathEscape("Foto diunggah.")},
		{"client's error in Bahasa Indonesia", "id", sdk.Errorf(413, "photo_too_large", "too big"), "error;" + url.PathEscape("Foto paling besar 5 MB.")},
		{"in English, the API's", "en", sdk.Errorf(413, "photo_too_large", "too big"), "error;" + url.PathEscape("too big")},
		{"a failure says nothing of itself", "id", errors.New("disk secret"), "error;" + url.PathEscape("Terjadi kesalahan. Coba lagi sebentar lagi.")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			e.Back(w, pageReq("POST", "/products/p1/photos", c.lang), "/products/p1", c.err, "Foto diunggah.")
			if w.Code != http.StatusSeeOther || w.Header().Get("Location") != base+"/products/p1" || w.Header().Get(sdk.FlashHeader) != c.flash {
				t.Errorf("%d %q %q, want 303 to %q with %q", w.Code, w.Header().Get("Location"), w.Header().Get(sdk.FlashHeader), base+"/products/p1", c.flash)
			}
		})
	}
}
