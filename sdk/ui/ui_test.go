package ui

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk"
)

// pageReq is a page request as a plugin handler sees it outside the host:
// the host's headers on a plain request.
func pageReq(method, target, lang string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	r.Header.Set(sdk.PageBaseHeader, "/console/14.01.01.2009/m/hello")
	r.Header.Set(sdk.CSRFHeader, "tok<en>")
	r.Header.Set(sdk.LangHeader, lang)
	return r
}

func html(n Node, r *http.Request) string { return string(n.HTML(r)) }

func TestFormats(t *testing.T) {
	wita := time.FixedZone("X", 8*3600)
	cases := []struct{ got, want string }{
		{Rupiah(1250000), "Rp1.250.000"},
		{Rupiah(0), "Rp0"},
		{Rupiah(999), "Rp999"},
		{Rupiah(1000), "Rp1.000"},
		{Rupiah(-5000), "-Rp5.000"},
		{Rupiah(math.MinInt64), "-Rp9.223.372.036.854.775.808"},
		{Number(100000), "100.000"},
		{Date(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)), "1 Desember 2026"},
		{Date(time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)), "31 Januari 2026"},
		{Date(time.Date(2026, 5, 9, 0, 0, 0, 0, time.UTC)), "9 Mei 2026"},
		{DateOnly("2026-08-17"), "17 Agustus 2026"},
		{DateOnly("kemarin"), "kemarin"},
		// Outside a plugin the zone is WIB: 07.05 UTC is 14.05 WIB.
		{DateTime(httptest.NewRequest("GET", "/", nil), time.Date(2026, 12, 1, 7, 5, 0, 0, time.UTC)), "1 Desember 2026 14.05 WIB"},
		// Late on 30 November UTC is already 1 December in WIB.
		{DateTime(httptest.NewRequest("GET", "/", nil), time.Date(2026, 11, 30, 20, 0, 0, 0, time.UTC)), "1 Desember 2026 03.00 WIB"},
		{zoneAbbrev(time.Date(2026, 1, 1, 0, 0, 0, 0, wita)), "WITA"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
}

func TestNodesEscape(t *testing.T) {
	r := pageReq("GET", "/notes", "id")
	evil := `<script>alert("x")</script>`
	cases := []struct {
		name string
		node Node
		want []string // substrings
		not  []string
	}{
		{"text", Text(evil), []string{"&lt;script&gt;"}, []string{"<script>"}},
		{"muted", Muted(evil), []string{`class="b-muted"`, "&lt;script&gt;"}, []string{"<script>"}},
		{"heading", Heading(evil), []string{"<h2>&lt;script&gt;"}, []string{"<script>"}},
		{"badge", Badge("success", evil), []string{`class="b-badge b-badge-success"`}, []string{"<script>"}},
		{"badge unknown kind", Badge(`x" onclick="y`, "ok"), []string{"b-badge-neutral"}, []string{"onclick"}},
		{"section", Section(evil, Text("a")), []string{`<section class="b-card"><h2>&lt;script&gt;`}, []string{"<script>"}},
		{"dl", DefinitionList([2]string{"Nama", evil}), []string{`<dl class="b-dl"><dt>Nama</dt><dd>&lt;script&gt;`}, []string{"<script>"}},
		{"link relative to page root", Link{Label: evil, Href: "/notes/new", Primary: true},
			[]string{`href="/console/14.01.01.2009/m/hello/notes/new"`, "b-btn b-btn-primary", "&lt;script&gt;"}, []string{"<script>"}},
		{"javascript link refused", Link{Label: "x", Href: "javascript:alert(1)"}, []string{"#ZgotmplZ"}, []string{"javascript:"}},
		{"html as is", HTML("<b>bold</b>"), []string{"<b>bold</b>"}, nil},
		{"chart", Chart{Title: evil, Bars: []Bar{{Label: evil, Value: 10}, {Label: "b", Value: 5}}},
			[]string{`<figure class="b-chart">`, `<svg`, `width="360.0"`, `width="180.0"`, "&lt;script&gt;"}, []string{"<script>"}},
		{"chart of zeros", Chart{Bars: []Bar{{Label: "a", Value: 0}}}, []string{`width="0.0"`, "Grafik"}, nil},
		{"grid", Grid(Text("a"), Text("b")), []string{`<div class="b-grid"><p>a</p><p>b</p></div>`}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := html(c.node, r)
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in\n%s", w, got)
				}
			}
			for _, w := range c.not {
				if strings.Contains(got, w) {
					t.Errorf("has %q in\n%s", w, got)
				}
			}
		})
	}
}

func TestForm(t *testing.T) {
	fields := []Field{
		{Name: "title", Label: "Judul", Required: true, Max: 100, Help: "Singkat saja"},
		{Name: "body", Label: "Isi", Type: "textarea"},
		{Name: "kind", Label: "Jenis", Type: "select", Options: []Option{{"a", "A"}, {"b", "B<"}}},
		{Name: "done", Label: "Selesai", Type: "checkbox"},
		{Name: "secret", Label: "Sandi", Type: "password"},
		{Name: "id", Type: "hidden"},
		{Name: "amount", Label: "Jumlah", Type: "number", Max: 1000},
		{Name: "weird", Label: "Aneh", Type: "color"},
	}
	kept := url.Values{"title": {`"><b>x`}, "body": {"</textarea><script>"}, "kind": {"b"}, "done": {"on"}, "secret": {"hunter2"}, "id": {"42"}}
	cases := []struct {
		name string
		form Form
		lang string
		want []string
		not  []string
	}{
		{"csrf and labels", Form{Action: "/notes", Fields: fields}, "id", []string{
			`<form class="b-form" method="post" action="/console/14.01.01.2009/m/hello/notes"`,
			`<input type="hidden" name="csrf_token" value="tok&lt;en&gt;">`,
			`<label for="f-title">Judul <span class="b-muted">(wajib)</span></label>`,
			`<input type="text" id="f-title" name="title" value="" maxlength="100" required aria-describedby="f-title-help">`,
			`<p class="b-help" id="f-title-help">Singkat saja</p>`,
			`<label for="f-body">Isi</label><textarea id="f-body" name="body"`,
			`<select id="f-kind" name="kind"><option value="">Pilih…</option>`,
			`<input type="checkbox" id="f-done" name="done" value="1"> <label for="f-done">Selesai</label>`,
			`<input type="number" id="f-amount" name="amount" value="" max="1000" inputmode="numeric">`,
			`<input type="text" id="f-weird"`,
			`>Simpan</button>`,
		}, []string{"data-confirm", "enctype"}},
		{"english", Form{Fields: fields[:1]}, "en", []string{"(required)", ">Save</button>"}, []string{"action="}},
		{"GET form has no token", Form{Method: "GET", Fields: fields[:1]}, "id", []string{`method="get"`}, []string{"csrf_token"}},
		{"kept values, escaped", Form{Fields: fields, Values: kept}, "id", []string{
			`value="&#34;&gt;&lt;b&gt;x"`,
			`&lt;/textarea&gt;&lt;script&gt;</textarea>`,
			`<option value="b" selected>B&lt;</option>`,
			`name="done" value="1" checked`,
			`<input type="hidden" name="id" value="42">`,
			`<input type="password" id="f-secret" name="secret" value=""`,
		}, []string{"hunter2", "<script>", `<b>x`}},
		{"errors placed and linked", Form{Fields: fields, Errors: map[string]string{"title": "Judul wajib <diisi>", "kind": "Pilih satu"}, Error: "Periksa isian yang ditandai."}, "id", []string{
			`<div class="b-error" role="alert" id="form-error">Periksa isian yang ditandai.</div>`,
			`aria-describedby="f-title-help f-title-error" aria-invalid="true"`,
			`<p class="b-help" id="f-title-help">Singkat saja</p><p class="b-field-error" id="f-title-error">Judul wajib &lt;diisi&gt;</p>`,
			`<div class="b-field b-invalid"><label for="f-kind">`,
			`<select id="f-kind" name="kind" aria-describedby="f-kind-error" aria-invalid="true">`,
		}, nil},
		{"confirm", Form{Action: "/notes/1/delete", Confirm: "Hapus <catatan>?", Submit: "Hapus"}, "id", []string{
			`data-confirm="Hapus &lt;catatan&gt;?"`, `class="b-btn b-btn-danger">Hapus</button>`, "csrf_token",
		}, nil},
		{"upload", Upload("/files", "file", "Berkas", "PDF, paling besar 5 MB", "application/pdf"), "id", []string{
			`enctype="multipart/form-data" data-upload`, `<div class="b-upload"><input type="file" id="f-file" name="file" accept="application/pdf" required`,
			`<progress class="b-progress" max="100" value="0" hidden`, "csrf_token",
		}, nil},
		{"id prefix keeps two forms' ids apart", Form{IDPrefix: "rec-7-", Fields: fields[:1], Errors: map[string]string{"title": "Wajib"}, Error: "Periksa."}, "id", []string{
			`<div class="b-error" role="alert" id="rec-7-form-error">`,
			`<label for="rec-7-f-title">`, `id="rec-7-f-title" name="title"`,
			`aria-describedby="rec-7-f-title-help rec-7-f-title-error"`, `<p class="b-help" id="rec-7-f-title-help">`,
		}, []string{`"f-title`, `"form-error"`}},
		{"cancel link", Form{Cancel: "/notes"}, "en", []string{`<a class="b-btn" href="/console/14.01.01.2009/m/hello/notes">Cancel</a>`}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := html(c.form, pageReq("GET", "/notes", c.lang))
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in\n%s", w, got)
				}
			}
			for _, w := range c.not {
				if strings.Contains(got, w) {
					t.Errorf("has %q in\n%s", w, got)
				}
			}
		})
	}
}

func TestTable(t *testing.T) {
	cols := []Column{{Key: "name", Label: "Nama", Sortable: true}, {Key: "age", Label: "Umur"}}
	rows := []Row{{Cells: []Node{Cell("<Ani>"), Cell("30")}, Href: "/people/1"}, {Cells: []Node{Cell("Budi"), nil}}}
	cases := []struct {
		name, target string
		table        Table
		want, not    []string
	}{
		{"rows, links, sort link", "/people?status=aktif", Table{Columns: cols, Rows: rows}, []string{
			`<div class="b-table-wrap"><table class="b-table">`,
			`<th scope="col"><a href="?sort=name&amp;status=aktif" title="Urutkan menurut Nama">Nama</a></th><th scope="col">Umur</th>`,
			`<td><a href="/console/14.01.01.2009/m/hello/people/1">&lt;Ani&gt;</a></td><td>30</td>`,
			`<td>Budi</td><td></td>`,
		}, []string{"b-pager", "<Ani>"}},
		{"sorted ascending links to descending", "/people?sort=name&page=3", Table{Columns: cols, Rows: rows, Sort: "name"}, []string{
			`aria-sort="ascending"><a href="?sort=-name"`, "▲",
		}, []string{"page=3&amp;sort"}},
		{"sorted descending", "/people", Table{Columns: cols, Rows: rows, Sort: "-name"}, []string{`aria-sort="descending"><a href="?sort=name"`, "▼"}, nil},
		{"pager keeps the query", "/people?sort=-name&q=a&page=2", Table{Columns: cols, Rows: rows, Total: 1250, Page: 2, Limit: 50}, []string{
			`<nav class="b-pager" aria-label="Halaman">`,
			`<a class="b-btn" href="?page=1&amp;q=a&amp;sort=-name" rel="prev">Sebelumnya</a>`,
			`<span>Halaman 2 dari 25</span><span class="b-muted">1.250 data</span>`,
			`<a class="b-btn" href="?page=3&amp;q=a&amp;sort=-name" rel="next">Berikutnya</a>`,
		}, nil},
		{"last page has no next", "/people?page=25", Table{Columns: cols, Rows: rows, Total: 1250, Page: 25, Limit: 50}, []string{"rel=\"prev\""}, []string{"rel=\"next\""}},
		{"empty", "/people", Table{Columns: cols}, []string{`<p class="b-empty">Belum ada data.</p>`}, []string{"<table"}},
		{"empty own words", "/people", Table{Columns: cols, Empty: "Belum ada <penduduk>."}, []string{`<p class="b-empty">Belum ada &lt;penduduk&gt;.</p>`}, nil},
		{"filters keep values", "/people?status=pindah&sort=-name", Table{Columns: cols, Rows: rows, Filters: []Field{
			{Name: "status", Label: "Status", Type: "select", Options: []Option{{"aktif", "Aktif"}, {"pindah", "Pindah"}}},
			{Name: "q", Label: "Cari", Type: "search"},
		}}, []string{
			`<form class="b-filters" method="get" role="search">`,
			`<option value="pindah" selected>Pindah</option>`,
			`<label for="f-q">Cari</label><input type="search" id="f-q" name="q" value="">`,
			`<input type="hidden" name="sort" value="-name">`,
			`>Saring</button>`,
		}, []string{"csrf_token"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := html(c.table, pageReq("GET", c.target, "id"))
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in\n%s", w, got)
				}
			}
			for _, w := range c.not {
				if strings.Contains(got, w) {
					t.Errorf("has %q in\n%s", w, got)
				}
			}
		})
	}
	if got := SortParam(pageReq("GET", "/?sort=-name", "id"), cols, "x"); got != "-name" {
		t.Errorf("SortParam = %q", got)
	}
	if got := SortParam(pageReq("GET", "/?sort=age", "id"), cols, "x"); got != "x" {
		t.Errorf("SortParam of an unsortable column = %q", got)
	}
}

func TestRender(t *testing.T) {
	w := httptest.NewRecorder()
	Render(w, pageReq("GET", "/notes", "id"), Page{Title: "Catatan & <daftar>", Status: 422, Actions: []Link{{Label: "Baru", Href: "/notes/new", Primary: true}}, Body: []Node{Text("x"), nil}})
	res := w.Result()
	body := w.Body.String()
	if res.StatusCode != 422 || res.Header.Get("Content-Type") != "text/html; charset=utf-8" || res.Header.Get(sdk.PageHeader) != "fragment" {
		t.Fatalf("status %d headers %v", res.StatusCode, res.Header)
	}
	if got, _ := url.PathUnescape(res.Header.Get(sdk.PageTitleHeader)); got != "Catatan & <daftar>" {
		t.Errorf("title header %q decodes to %q", res.Header.Get(sdk.PageTitleHeader), got)
	}
	for _, want := range []string{`<div class="b-page">`, `<h1>Catatan &amp; &lt;daftar&gt;</h1>`, `<div class="b-actions"><a class="b-btn b-btn-primary" href="/console/14.01.01.2009/m/hello/notes/new">Baru</a></div>`, `<p>x</p>`} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %q in %s", want, body)
		}
	}
}

func TestRedirect(t *testing.T) {
	cases := []struct{ path, kind, flash, loc, header string }{
		{"/notes", "success", "Catatan disimpan.", "/console/14.01.01.2009/m/hello/notes", "success;Catatan%20disimpan."},
		{"/notes", "bogus", "x;y", "/console/14.01.01.2009/m/hello/notes", "info;x%3By"},
		{"?page=2", "", "", "?page=2", ""},
	}
	for _, c := range cases {
		w := httptest.NewRecorder()
		Redirect(w, pageReq("POST", "/notes", "id"), c.path, c.kind, c.flash)
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != c.loc || w.Header().Get(sdk.FlashHeader) != c.header {
			t.Errorf("%v: %d %q %q", c, w.Code, w.Header().Get("Location"), w.Header().Get(sdk.FlashHeader))
		}
	}
}

func TestFormErrors(t *testing.T) {
	cases := []struct {
		err    error
		fields map[string]string
		msg    string
		status int
	}{
		{&sdk.Error{Status: 422, Code: sdk.CodeInvalid, Field: "title", Message: "title is required"}, map[string]string{"title": "title is required"}, "Periksa isian yang ditandai.", 422},
		{fmt.Errorf("saving: %w", &sdk.Error{Status: 409, Code: sdk.CodeConflict, Message: "changed meanwhile"}), map[string]string{}, "changed meanwhile", 409},
		{errors.New("db down"), map[string]string{}, "Terjadi kesalahan. Coba lagi sebentar lagi.", 500},
	}
	for _, c := range cases {
		fields, msg := FormErrors(c.err)
		if fmt.Sprint(fields) != fmt.Sprint(c.fields) || msg != c.msg || FormStatus(c.err) != c.status {
			t.Errorf("%v: got %v %q %d", c.err, fields, msg, FormStatus(c.err))
		}
	}
	if _, msg := FormErrorsFor(pageReq("POST", "/", "en"), cases[0].err); msg != "Check the marked fields." {
		t.Errorf("English summary: %q", msg)
	}
}

func TestDecode(t *testing.T) {
	type contact struct {
		Phone string `json:"phone"`
	}
	type input struct {
		Title   string   `json:"title"`
		Count   int      `json:"count"`
		Price   float64  `json:"price"`
		Done    bool     `json:"done"`
		Note    *string  `json:"note,omitempty"`
		Tags    []string `json:"tags"`
		Contact contact  `json:"contact"`
	}
	cases := []struct {
		name, body string
		want       string
		errField   string
	}{
		{"all", "title=Rapat&count=1.250&price=2,5&done=on&note=x&tags=a&tags=b&contact.phone=0812&csrf_token=t&confirmed=1",
			`{Title:Rapat Count:1250 Price:2.5 Done:true Note:x Tags:[a b] Contact:{Phone:0812}}`, ""},
		{"empty and unchecked", "title=&count=", `{Title: Count:0 Price:0 Done:false Note:<nil> Tags:[] Contact:{Phone:}}`, ""},
		{"bad number", "count=12a", "", "count"},
		{"decimal is not whole", "count=1.5", "", "count"},
		{"bad text", "title=a%00b", "", "title"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(c.body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			var in input
			err := Decode(r, &in)
			if c.errField != "" {
				var e *sdk.Error
				if !errors.As(err, &e) || e.Field != c.errField || e.Status != 422 {
					t.Fatalf("got %#v, want a 422 on %s", err, c.errField)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			note := "<nil>"
			if in.Note != nil {
				note = *in.Note
			}
			got := fmt.Sprintf("{Title:%s Count:%d Price:%v Done:%v Note:%s Tags:%v Contact:{Phone:%s}}", in.Title, in.Count, in.Price, in.Done, note, in.Tags, in.Contact.Phone)
			if got != c.want {
				t.Errorf("got %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestConfirm(t *testing.T) {
	form := Form{Action: "/notes/1/delete", Confirm: "Hapus catatan ini?", Cancel: "/notes"}
	r := httptest.NewRequest("POST", "/notes/1/delete", strings.NewReader("csrf_token=t&reason=dobel"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set(sdk.CSRFHeader, "fresh")
	w := httptest.NewRecorder()
	if Confirm(w, r, form) {
		t.Fatal("an unconfirmed post counted as confirmed")
	}
	body := w.Body.String()
	for _, want := range []string{"<h1>Konfirmasi</h1>", `<p class="b-confirm">Hapus catatan ini?</p>`, `name="csrf_token" value="fresh"`,
		`<input type="hidden" name="reason" value="dobel">`, `<input type="hidden" name="confirmed" value="1">`, "b-btn-danger", "Ya, lanjutkan"} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %q in %s", want, body)
		}
	}
	if strings.Contains(body, "data-confirm") {
		t.Errorf("the confirmation step asks twice: %s", body)
	}
	r = httptest.NewRequest("POST", "/notes/1/delete", strings.NewReader("confirmed=1"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if !Confirm(httptest.NewRecorder(), r, form) {
		t.Error("a confirmed post was not")
	}
}
