package main

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
	"github.com/mmcdole/gofeed"
)

const (
	villageA  = "14.01.01.2009"
	villageA2 = "14.01.01.2010"
	villageB  = "14.01.02.2001"
	districtA = "14.01.01"
	regency   = "14.01"
)

func TestManifest(t *testing.T) {
	if err := plugin.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestSlugify(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Gotong Royong di Dusun II", "gotong-royong-di-dusun-ii"},
		{"  Musyawarah   Desa: RKPDes 2027!  ", "musyawarah-desa-rkpdes-2027"},
		{"Café Señor Über Straße", "cafe-senor-uber-strasse"},
		{"Posyandu & PKK", "posyandu-dan-pkk"},
		{"---", "artikel"},
		{"بيت", "artikel"},
		{"🎉🎉", "artikel"},
		// Cut at 80 characters on a word.
		{strings.Repeat("panjang ", 30), strings.TrimSuffix(strings.Repeat("panjang-", 10), "-")},
	} {
		got := Slugify(tc.in)
		if len(got) > maxSlug || !slugRE.MatchString(got) {
			t.Errorf("Slugify(%q) = %q: not a slug", tc.in, got)
		}
		if got != tc.want {
			t.Errorf("Slugify(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRenderMarkdown(t *testing.T) {
	for _, tc := range []struct {
		name, in   string
		has, lacks []string
	}{
		{"emphasis and lists", "**Rapat** desa\n\n- satu\n- dua", []string{"<strong>Rapat</strong>", "<li>satu</li>"}, nil},
		{"raw script dropped", "halo <script>alert(1)</script>", []string{"halo"}, []string{"<script", "alert(1)</script>"}},
		{"event handler dropped", `<img src="/x.png" onerror="alert(1)">`, nil, []string{"onerror"}},
		{"javascript link dropped", `[klik](javascript:alert(1))`, []string{"klik"}, []string{"javascript:"}},
		{"external image becomes a link", `![peta](https://example.org/peta.png)`, []string{`href="https://example.org/peta.png"`, "peta"}, []string{"<img"}},
		{"local image kept, lazy", `![foto](/14.01/website/x.png)`, []string{`<img loading="lazy"`, `src="/14.01/website/x.png"`}, nil},
		{"links get nofollow", `[situs](https://kampar.go.id)`, []string{`rel="nofollow`}, nil},
		{"table", "| a | b |\n|---|---|\n| 1 | 2 |", []string{"<table>", "<td>1</td>"}, nil},
		{"iframe dropped", `<iframe src="https://evil"></iframe>`, nil, []string{"<iframe"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := RenderMarkdown(tc.in)
			for _, s := range tc.has {
				if !strings.Contains(out, s) {
					t.Errorf("%q renders as %q: no %q", tc.in, out, s)
				}
			}
			for _, s := range tc.lacks {
				if strings.Contains(out, s) {
					t.Errorf("%q renders as %q: has %q", tc.in, out, s)
				}
			}
		})
	}
}

func TestPlainText(t *testing.T) {
	if got := PlainText("<p>Satu &amp; <b>dua</b></p>\n<p>tiga</p>", 100); got != "Satu & dua tiga" {
		t.Errorf("PlainText = %q", got)
	}
	if got := PlainText("<p>"+strings.Repeat("kata ", 100)+"</p>", 50); len([]rune(got)) > 50 || !strings.HasSuffix(got, "…") {
		t.Errorf("PlainText cut = %q", got)
	}
}

type listAnswer struct {
	Items []articleView `json:"items"`
	Total int           `json:"total"`
}

func TestWebsiteInProcess(t *testing.T) {
	sdktest.Each(t, &plugin, testWebsite, sdktest.WithClock(testClock.Now))
}

var testClock = sdktest.NewClock(time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC))

func testWebsite(t *testing.T, h *sdktest.Host) {
	testClock.Set(time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC))
	for _, v := range []string{villageA, villageA2, villageB} {
		h.Tenant(v)
	}
	h.Enable(regency)
	op := h.User("op-a", "operator", villageA)
	opB := h.User("op-b", "operator", villageB)
	viewer := h.User("viewer-a", "viewer", villageA)
	regAdmin := h.User("kab", "admin", regency)
	anon := h.Anonymous()

	var a articleView
	res := op.Post(villageA, "/articles", map[string]any{"title": "Gotong Royong Bersihkan Parit", "body": "Warga **Dusun I** bergotong royong.\n\n<script>x()</script>", "status": "published"})
	if res.JSON(&a); res.Status != http.StatusCreated || a.Slug != "gotong-royong-bersihkan-parit" || a.Status != StatusPublished || a.Lead != "Warga Dusun I bergotong royong." || strings.Contains(a.HTML, "<script") {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	// The same title gets -2; a slug given that is taken is refused.
	res = op.Post(villageA, "/articles", map[string]any{"title": "Gotong royong bersihkan parit", "body": "Lagi."})
	if res.JSON(&a); res.Status != http.StatusCreated || a.Slug != "gotong-royong-bersihkan-parit-2" || a.Status != StatusDraft {
		t.Fatalf("second: %d %s", res.Status, res.Body)
	}
	if res = op.Post(villageA, "/articles", map[string]any{"title": "X", "body": "Y", "slug": "gotong-royong-bersihkan-parit"}); res.ErrorCode() != codeSlugTaken || res.Status != 409 {
		t.Errorf("taken slug: %d %s", res.Status, res.Body)
	}
	// Another village may use the same slug.
	if res = opB.Post(villageB, "/articles", map[string]any{"title": "Gotong Royong Bersihkan Parit", "body": "Di Batu Belah.", "status": "published", "category": "kegiatan"}); res.Status != 201 {
		t.Fatalf("village B: %d %s", res.Status, res.Body)
	}
	// Scheduled for tomorrow 07:00 WIB.
	res = op.Post(villageA, "/articles", map[string]any{"title": "Jadwal Posyandu Desember", "body": "Posyandu tanggal 5.", "category": "kesehatan", "status": "published", "publish_at": "2026-12-02T07:00:00+07:00"})
	if res.JSON(&a); res.Status != 201 || a.Status != StatusScheduled {
		t.Fatalf("scheduled: %d %s", res.Status, res.Body)
	}
	// A standing page.
	if res = op.Post(villageA, "/articles", map[string]any{"kind": "page", "title": "Sejarah Desa", "body": "Desa berdiri 1930.", "category": "sejarah", "status": "published"}); res.Status != 201 {
		t.Fatalf("page: %d %s", res.Status, res.Body)
	}

	for _, tc := range []struct {
		body   any
		status int
		code   sdk.Code
	}{
		{map[string]any{"body": "x"}, 422, codeInvalidTitle},
		{map[string]any{"title": "x"}, 422, codeInvalidBody},
		{map[string]any{"title": "x", "body": "y", "kind": "blog"}, 422, codeInvalidKind},
		{map[string]any{"title": "x", "body": "y", "category": "sejarah"}, 422, codeInvalidCategory},
		{map[string]any{"title": "x", "body": "y", "slug": "Bad Slug"}, 422, codeInvalidSlug},
		{map[string]any{"title": "x", "body": "y", "status": "live"}, 422, codeInvalidStatus},
		{map[string]any{"title": "x", "body": "y", "publish_at": "besok"}, 422, codeInvalidPublishAt},
		{map[string]any{"title": "x", "body": "y", "publish_at": "2028-01-01T00:00:00Z"}, 422, codeInvalidPublishAt},
		{map[string]any{"title": "x\ny", "body": "y"}, 422, codeInvalidTitle},
		{map[string]any{"title": "x", "body": "y", "lead": strings.Repeat("a", 301)}, 422, codeInvalidLead},
		{map[string]any{"title": "x", "body": "y", "author": "z"}, 400, sdk.CodeUnknownField},
	} {
		if res := op.Post(villageA, "/articles", tc.body); res.Status != tc.status || res.ErrorCode() != tc.code {
			t.Errorf("%v: %d %s, want %d %s", tc.body, res.Status, res.Body, tc.status, tc.code)
		}
	}
	// Neighbours and the public may not write.
	if res := opB.Post(villageA, "/articles", map[string]any{"title": "x", "body": "y"}); res.Status != 403 {
		t.Errorf("neighbour writes: %d", res.Status)
	}
	if res := viewer.Post(villageA, "/articles", map[string]any{"title": "x", "body": "y"}); res.Status != 403 {
		t.Errorf("viewer writes: %d", res.Status)
	}

	// The public sees published, due articles only.
	var l listAnswer
	anon.Get(villageA, "/articles").JSON(&l)
	if l.Total != 2 || l.Items[0].Author != "" {
		t.Errorf("public list of A: %+v", l)
	}
	if res := anon.Get(villageA, "/articles/gotong-royong-bersihkan-parit-2"); res.ErrorCode() != codeArticleNotFound {
		t.Errorf("draft public: %d %s", res.Status, res.Body)
	}
	if res := anon.Get(villageA, "/articles/jadwal-posyandu-desember"); res.ErrorCode() != codeArticleNotFound {
		t.Errorf("scheduled public: %d %s", res.Status, res.Body)
	}
	if res := anon.Get(villageA, "/articles?status=draft"); res.ErrorCode() != codeForbiddenFilter {
		t.Errorf("public draft filter: %d %s", res.Status, res.Body)
	}
	viewer.Get(villageA, "/articles?status=all").JSON(&l)
	if l.Total != 4 {
		t.Errorf("viewer sees all: %+v", l.Total)
	}
	if res := viewer.Get(villageA, "/articles/jadwal-posyandu-desember"); res.Status != 200 {
		t.Errorf("viewer reads scheduled: %d", res.Status)
	}
	// The regency sees its villages' news and its own.
	if res := regAdmin.Post(regency, "/articles", map[string]any{"title": "Bupati Resmikan Jembatan", "body": "Jembatan baru.", "status": "published"}); res.Status != 201 {
		t.Fatalf("regency article: %d %s", res.Status, res.Body)
	}
	anon.Get(regency, "/articles?kind=news").JSON(&l)
	if l.Total != 3 {
		t.Errorf("regency news: %d %+v", l.Total, l.Items)
	}
	anon.Get(districtA, "/articles").JSON(&l)
	if l.Total != 2 {
		t.Errorf("district A: %d", l.Total)
	}
	// The scheduled article comes out at its time.
	testClock.Set(time.Date(2026, 12, 2, 0, 0, 1, 0, time.UTC))
	if res := anon.Get(villageA, "/articles/jadwal-posyandu-desember"); res.Status != 200 {
		t.Errorf("scheduled after its time: %d %s", res.Status, res.Body)
	}

	// The feed parses, holds the villages below, and links to the pages.
	res = anon.Get(regency, "/feed.xml")
	feed, err := gofeed.NewParser().ParseString(string(res.Body))
	if err != nil || res.Status != 200 || feed.FeedType != "atom" {
		t.Fatalf("feed: %d %v %s", res.Status, err, res.Body)
	}
	if len(feed.Items) != 5 || !strings.Contains(feed.Items[0].Link, "/"+villageA+"/website/articles/jadwal-posyandu-desember") {
		t.Errorf("feed items: %d, first %+v", len(feed.Items), feed.Items[0])
	}
	// The sitemap too.
	res = anon.Get(regency, "/sitemap.xml")
	var sm urlset
	if err := xml.Unmarshal(res.Body, &sm); err != nil || res.Status != 200 {
		t.Fatalf("sitemap: %v %s", err, res.Body)
	}
	if n := strings.Count(string(res.Body), "<lastmod>2026-12-01T"); n != 5 {
		t.Errorf("sitemap lastmods: %d in %s", n, res.Body)
	}
	if n := strings.Count(string(res.Body), "/website/articles/"); n != 5 {
		t.Errorf("sitemap holds %d articles: %s", n, res.Body)
	}

	// The roll-up counts only the villages below.
	var s summaryView
	anon.Get(districtA, "/summary").JSON(&s)
	if s.Villages != 2 || s.News != 2 || s.Pages != 1 || s.VillagesWithNews != 1 || s.Items[0].Drafts != nil {
		t.Errorf("district summary: %+v", s)
	}
	h.Disable(villageB)
	anon.Get(regency, "/summary").JSON(&s)
	if s.Villages != 2 || s.News != 2 || s.Own.News != 1 {
		t.Errorf("regency summary without B: %+v", s)
	}
	h.Enable(villageB)

	// Publishing, withdrawing, deleting publish events.
	if res := op.Post(villageA, "/articles/gotong-royong-bersihkan-parit-2/publish", nil); res.Status != 200 {
		t.Errorf("publish: %d %s", res.Status, res.Body)
	}
	if res := op.Post(villageA, "/articles/gotong-royong-bersihkan-parit-2/unpublish", nil); res.Status != 200 {
		t.Errorf("unpublish: %d %s", res.Status, res.Body)
	}
	if res := op.Patch(villageA, "/articles/gotong-royong-bersihkan-parit-2", map[string]any{"slug": "kerja-bakti"}); res.Status != 200 {
		t.Errorf("patch slug: %d %s", res.Status, res.Body)
	}
	if res := op.Patch(villageA, "/articles/kerja-bakti", map[string]any{}); res.ErrorCode() != codeEmptyPatch {
		t.Errorf("empty patch: %d %s", res.Status, res.Body)
	}
	if res := op.Delete(villageA, "/articles/kerja-bakti"); res.Status != 204 {
		t.Errorf("delete: %d %s", res.Status, res.Body)
	}

	// Screens: the public list and article page, the widget, the console.
	pg := anon.PublicPage("GET", villageA, "/", nil)
	if pg.Status != 200 || !strings.Contains(pg.HTML, "Gotong Royong Bersihkan Parit") {
		t.Errorf("public news page: %d %s", pg.Status, pg.HTML)
	}
	pg = anon.PublicPage("GET", villageA, "/articles/gotong-royong-bersihkan-parit", nil)
	if pg.Status != 200 || pg.Header.Get(sdk.PageDescriptionHeader) == "" || !strings.Contains(pg.HTML, "<strong>Dusun I</strong>") {
		t.Errorf("article page: %d %v %s", pg.Status, pg.Header, pg.HTML)
	}
	ws := h.PublicWidgets(regency)
	if len(ws) != 1 || !strings.Contains(string(ws[0].HTML), "Bupati Resmikan Jembatan") || !strings.Contains(string(ws[0].HTML), "Tenant "+villageA) {
		t.Errorf("regency widget: %+v", ws)
	}
	if n := len(ws[0].HTML); n > 4096 {
		t.Errorf("the regency widget is %d bytes", n)
	}
	if ws := h.PublicWidgets(villageB); len(ws) != 1 || strings.Contains(string(ws[0].HTML), "Bupati") || !strings.Contains(string(ws[0].HTML), "Gotong Royong") {
		t.Errorf("village B's widget: %+v", ws)
	}
	if pg = anon.PublicPage("GET", villageA, "/pages", nil); pg.Status != 200 || !strings.Contains(pg.HTML, "Sejarah Desa") {
		t.Errorf("pages page: %d %s", pg.Status, pg.HTML)
	}
	if pg = anon.PublicPage("GET", villageA, "/articles/no-such", nil); pg.Status != 404 {
		t.Errorf("a missing article's page: %d", pg.Status)
	}
	if pg = anon.PublicPage("GET", regency, "/", nil); pg.Status != 200 || !strings.Contains(pg.HTML, "Tenant "+villageB) {
		t.Errorf("the regency's news names the villages: %d %s", pg.Status, pg.HTML)
	}
	if pg = anon.PublicPage("GET", villageA, "/gallery", nil); pg.Status != 200 || !strings.Contains(pg.HTML, "Belum ada foto") {
		t.Errorf("empty gallery: %d %s", pg.Status, pg.HTML)
	}
	pg = op.PostForm(villageA, "/write", url.Values{"title": {""}, "body": {"isi"}, "kind": {"news"}, "category": {"berita"}})
	if pg.Status != 422 || !strings.Contains(pg.HTML, "Judul wajib diisi") {
		t.Errorf("write form refused: %d %s", pg.Status, pg.HTML)
	}
	pg = op.PostForm(villageA, "/write", url.Values{"title": {"Rapat RKPDes"}, "body": {"isi"}, "kind": {"news"}, "category": {"berita"}})
	if pg.Status != 303 || !strings.HasSuffix(pg.Location, "/manage/rapat-rkpdes") {
		t.Errorf("write form: %d %s %s", pg.Status, pg.Location, pg.HTML)
	}
	pg = op.PostForm(villageA, "/manage/rapat-rkpdes/publish", url.Values{"publish_date": {"2026-12-10"}, "publish_time": {"07:00"}})
	if pg.Status != 303 || !strings.Contains(pg.Flash, "dijadwalkan") {
		t.Errorf("schedule form: %d %s %s", pg.Status, pg.Flash, pg.HTML)
	}
	var got articleView
	op.Get(villageA, "/articles/rapat-rkpdes").JSON(&got)
	if got.PublishAt == nil || !got.PublishAt.Equal(time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("scheduled at %v", got.PublishAt)
	}
	if pg = regAdmin.GetPage(regency, "/regency"); pg.Status != 200 || !strings.Contains(pg.HTML, "Tenant "+districtA) || strings.Contains(pg.HTML, "Tenant "+villageA2) {
		t.Errorf("regency page by district: %d %s", pg.Status, pg.HTML)
	}
	if pg = regAdmin.GetPage(regency, "/regency?district="+districtA); pg.Status != 200 || !strings.Contains(pg.HTML, "Tenant "+villageA2) || strings.Contains(pg.HTML, "Tenant "+villageB) {
		t.Errorf("regency page of district A: %d %s", pg.Status, pg.HTML)
	}
	if pg = regAdmin.GetPage(districtA, "/regency"); pg.Status != 200 || !strings.Contains(pg.HTML, "Tenant "+villageA2) {
		t.Errorf("district page: %d %s", pg.Status, pg.HTML)
	}
	if pg = op.GetPage(villageA, "/manage"); pg.Status != 200 || !strings.Contains(pg.HTML, "Rapat RKPDes") {
		t.Errorf("manage page: %d %s", pg.Status, pg.HTML)
	}
}
