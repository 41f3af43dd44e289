package e2e

// The website module through the real balai binary and the website
// plugin, on SQLite and PostgreSQL: a village clerk writes, illustrates,
// schedules and publishes news; the public reads it on the village's site,
// in the portal's widgets, in the Atom feed (parsed by gofeed) and the
// sitemap of the regency; bad input is refused with the documented codes;
// a neighbour village's operator is refused; the roll-up counts only the
// villages below.

import (
	"bytes"
	"encoding/xml"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
	"github.com/mmcdole/gofeed"
)

func wsPath(tenant, path string) string { return p(tenant, "website", path) }

// websitePNG is a real 800 x 450 picture, for thumbnails to be made of.
func websitePNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 800, 450))
	for y := range 450 {
		for x := range 800 {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func websiteGet(t *testing.T, h *Host, path string) (int, string) {
	t.Helper()
	res, err := http.Get(h.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(res.Body)
	return res.StatusCode, b.String()
}

func TestWebsite(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"website"})
		w.enable(t, "14.01", "website", true)
		anon := w.h.Anon()
		t.Run("journey", func(t *testing.T) { websiteJourney(t, w) })
		t.Run("bad input", func(t *testing.T) { websiteBadInput(t, w) })
		t.Run("tenancy and roll-up", func(t *testing.T) { websiteRollup(t, w, anon) })
	})
}

func websiteJourney(t *testing.T, w *pluginWorld) {
	h := w.h
	anon := h.Anon()
	// A draft, illustrated, then published.
	created := w.op.Do(t, "POST", wsPath(villageA, "/articles"), map[string]any{
		"title": "Gotong Royong Membersihkan Parit Dusun II", "category": "kegiatan",
		"lead": "Tiga puluh warga membersihkan parit sepanjang 500 meter.",
		"body": "Warga **Dusun II** bergotong royong.\n\n<script>alert(1)</script>\n\n- parit\n- jalan",
	}).Expect(201).JSON()
	slug := created["slug"].(string)
	if slug != "gotong-royong-membersihkan-parit-dusun-ii" || created["status"] != "draft" || created["url"] != "/"+villageA+"/website/articles/"+slug {
		t.Fatalf("created: %v", created)
	}
	if html := created["html"].(string); strings.Contains(html, "<script") || !strings.Contains(html, "<strong>Dusun II</strong>") {
		t.Errorf("rendered body: %s", html)
	}
	anon.Do(t, "GET", wsPath(villageA, "/articles/"+slug), nil).ExpectErr(404, "article_not_found")
	if n := anon.Do(t, "GET", wsPath(villageA, "/articles"), nil).Expect(200).Total(); n != 0 {
		t.Errorf("the public sees %d articles before publishing", n)
	}
	pic := websitePNG(t)
	withImage := w.op.Do(t, "PUT", wsPath(villageA, "/articles/"+slug+"/image"), pic).Expect(200).JSON()
	img := withImage["image"].(map[string]any)
	if img["content_type"] != "image/png" || img["thumb_url"] == img["url"] {
		t.Errorf("featured image: %v", img)
	}
	// Before publishing, the picture is not public either.
	anon.Do(t, "GET", img["url"].(string), nil).ExpectErr(404, "article_not_found")
	w.op.Do(t, "POST", wsPath(villageA, "/articles/"+slug+"/photos"), pic).Expect(201)
	w.op.Do(t, "POST", wsPath(villageA, "/articles/"+slug+"/photos"), []byte("not an image")).ExpectErr(415, "not_an_image")

	pub := w.op.Do(t, "POST", wsPath(villageA, "/articles/"+slug+"/publish"), nil).Expect(200).JSON()
	if pub["status"] != "published" || pub["publish_at"] == nil {
		t.Fatalf("published: %v", pub)
	}
	got := anon.Do(t, "GET", wsPath(villageA, "/articles/"+slug), nil).Expect(200).JSON()
	if got["title"] != "Gotong Royong Membersihkan Parit Dusun II" || got["author"] != nil || len(got["gallery"].([]any)) != 1 {
		t.Errorf("public article: %v", got)
	}
	file := anon.Do(t, "GET", img["url"].(string), nil).Expect(200)
	if !bytes.Equal(file.Body, pic) || file.Header.Get("Content-Type") != "image/png" || file.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("featured image served as %s, %d bytes", file.Header.Get("Content-Type"), len(file.Body))
	}
	if th := anon.Do(t, "GET", img["thumb_url"].(string), nil).Expect(200); th.Header.Get("Content-Type") != "image/jpeg" || len(th.Body) > 40<<10 {
		t.Errorf("thumbnail: %s, %d bytes", th.Header.Get("Content-Type"), len(th.Body))
	}
	// The public page carries the link card for WhatsApp.
	st, page := websiteGet(t, h, "/"+villageA+"/website/articles/"+slug)
	if st != 200 || !strings.Contains(page, `property="og:description" content="Tiga puluh warga membersihkan parit sepanjang 500 meter."`) ||
		!strings.Contains(page, `/api/v1/t/`+villageA+`/website/articles/`+slug+`/files/`+img["id"].(string)) || !strings.Contains(page, "<strong>Dusun II</strong>") ||
		strings.Contains(page, "alert(1)") {
		t.Errorf("article page %d:\n%s", st, page)
	}
	if st, page := websiteGet(t, h, "/"+villageA+"/website/"); st != 200 || !strings.Contains(page, "Gotong Royong Membersihkan Parit Dusun II") {
		t.Errorf("news page %d", st)
	}

	// Scheduled: not public until its time, then public.
	at := time.Now().Add(3 * time.Second).UTC().Format(time.RFC3339)
	sch := w.op.Do(t, "POST", wsPath(villageA, "/articles"), map[string]any{"title": "Jadwal Posyandu Desember", "body": "Posyandu tanggal 5.", "category": "kesehatan", "status": "published", "publish_at": at}).Expect(201).JSON()
	if sch["status"] != "scheduled" {
		t.Errorf("scheduled: %v", sch)
	}
	anon.Do(t, "GET", wsPath(villageA, "/articles/jadwal-posyandu-desember"), nil).ExpectErr(404, "article_not_found")
	if n := w.viewer.Do(t, "GET", wsPath(villageA, "/articles?status=scheduled"), nil).Expect(200).Total(); n != 1 {
		t.Errorf("viewer's scheduled: %d", n)
	}
	// A standing page, and a second article of the same title.
	w.op.Do(t, "POST", wsPath(villageA, "/articles"), map[string]any{"kind": "page", "title": "Sejarah Desa Kumantan", "body": "Desa berdiri pada 1930.", "category": "sejarah", "status": "published"}).Expect(201)
	if s := w.op.Do(t, "POST", wsPath(villageA, "/articles"), map[string]any{"title": "Gotong royong membersihkan parit dusun II", "body": "Bagian kedua."}).Expect(201).Str("slug"); s != slug+"-2" {
		t.Errorf("second slug %q", s)
	}
	time.Sleep(time.Until(time.Now().Add(3500 * time.Millisecond)))
	anon.Do(t, "GET", wsPath(villageA, "/articles/jadwal-posyandu-desember"), nil).Expect(200)

	// Edit, withdraw, delete.
	w.op.Do(t, "PATCH", wsPath(villageA, "/articles/"+slug+"-2"), map[string]any{"title": "Gotong Royong, Bagian Kedua", "slug": "gotong-royong-bagian-kedua"}).Expect(200)
	w.op.Do(t, "POST", wsPath(villageA, "/articles/gotong-royong-bagian-kedua/publish"), nil).Expect(200)
	w.op.Do(t, "POST", wsPath(villageA, "/articles/gotong-royong-bagian-kedua/unpublish"), nil).Expect(200)
	w.op.Do(t, "DELETE", wsPath(villageA, "/articles/gotong-royong-bagian-kedua"), nil).Expect(204)
	w.op.Do(t, "GET", wsPath(villageA, "/articles/gotong-royong-bagian-kedua"), nil).ExpectErr(404, "article_not_found")

	events := strings.Join(eventPayloads(t, h, "website"), "\n")
	if strings.Count(events, `"slug":"`+slug+`"`) != 1 || !strings.Contains(events, `"status":"scheduled"`) || !strings.Contains(events, `"slug":"gotong-royong-bagian-kedua"`) {
		t.Errorf("events:\n%s", events)
	}
	names := websiteEventNames(t, h)
	if !slices.Contains(names, "website.article_published") || !slices.Contains(names, "website.article_unpublished") {
		t.Errorf("event names: %v", names)
	}
}

// websiteEventNames reads the names of the events the website published.
func websiteEventNames(t *testing.T, h *Host) []string {
	t.Helper()
	db, err := store.Open(store.Options{URL: h.DBURL, DataDir: h.DataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var names []string
	if err := db.Table("events").Where("plugin = ?", "website").Order("id").Pluck("name", &names).Error; err != nil {
		t.Fatal(err)
	}
	return names
}

func websiteBadInput(t *testing.T, w *pluginWorld) {
	for _, tc := range []struct {
		body   any
		status int
		code   string
	}{
		{map[string]any{"body": "isi"}, 422, "invalid_title"},
		{map[string]any{"title": "Judul"}, 422, "invalid_body"},
		{map[string]any{"title": "Judul", "body": "isi", "kind": "blog"}, 422, "invalid_kind"},
		{map[string]any{"title": "Judul", "body": "isi", "category": "sejarah"}, 422, "invalid_category"},
		{map[string]any{"title": "Judul", "body": "isi", "slug": "Judul Besar"}, 422, "invalid_slug"},
		{map[string]any{"title": "Judul", "body": "isi", "status": "live"}, 422, "invalid_status"},
		{map[string]any{"title": "Judul", "body": "isi", "publish_at": "besok pagi"}, 422, "invalid_publish_at"},
		{map[string]any{"title": "Judul", "body": "isi", "lead": "satu\ndua"}, 422, "invalid_lead"},
		{map[string]any{"title": "Judul", "body": "isi", "slug": "sejarah-desa-kumantan"}, 409, "slug_taken"},
		{map[string]any{"title": "Judul", "body": "isi", "author": "x"}, 400, "unknown_field"},
		{`{"title":`, 400, "malformed_json"},
	} {
		w.op.Do(t, "POST", wsPath(villageA, "/articles"), tc.body).ExpectErr(tc.status, tc.code)
	}
	anon := w.h.Anon()
	anon.Do(t, "GET", wsPath(villageA, "/articles?status=draft"), nil).ExpectErr(403, "forbidden_filter")
	anon.Do(t, "GET", wsPath(villageA, "/articles?status=old"), nil).ExpectErr(400, "invalid_status")
	anon.Do(t, "GET", wsPath(villageA, "/articles?kind=blog"), nil).ExpectErr(400, "invalid_kind")
	anon.Do(t, "GET", wsPath(villageA, "/articles?category=nope"), nil).ExpectErr(400, "invalid_category")
	anon.Do(t, "GET", wsPath("14.01", "/articles?village=14.05.01.2001"), nil).ExpectErr(400, "invalid_village")
	anon.Do(t, "GET", wsPath(villageA, "/articles?limit=501"), nil).ExpectErr(400, "invalid_pagination")
	anon.Do(t, "GET", wsPath(villageA, "/articles/No_Such"), nil).ExpectErr(404, "article_not_found")
	anon.Do(t, "POST", wsPath(villageA, "/articles"), map[string]any{"title": "x", "body": "y"}).ExpectErr(401, "unauthenticated")
	w.op.Do(t, "PATCH", wsPath(villageA, "/articles/sejarah-desa-kumantan"), map[string]any{}).ExpectErr(422, "empty_patch")
	w.op.Do(t, "PATCH", wsPath(villageA, "/articles/sejarah-desa-kumantan"), map[string]any{"category": "berita"}).ExpectErr(422, "invalid_category")
	w.op.Do(t, "POST", wsPath(villageA, "/articles/sejarah-desa-kumantan/publish"), map[string]any{"publish_at": "2099-01-01T00:00:00Z"}).ExpectErr(422, "invalid_publish_at")
	w.op.Do(t, "DELETE", wsPath(villageA, "/articles/sejarah-desa-kumantan/photos/nope"), nil).ExpectErr(404, "photo_not_found")
	w.viewer.Do(t, "POST", wsPath(villageA, "/articles"), map[string]any{"title": "x", "body": "y"}).ExpectErr(403, "forbidden")

	// A reporter writes drafts; the village publishes them (one more news
	// of village A in the roll-up below).
	w.admin.Do(t, "POST", "/api/v1/roles", map[string]any{"name": "website-reporter", "permissions": []string{"website.articles.read", "website.articles.write"}}).Expect(201)
	reporter, _ := w.admin.CreateUser(t, "reporter-a")
	w.admin.Grant(t, villageA, "reporter-a", "website-reporter")
	reporter.Do(t, "POST", wsPath(villageA, "/articles"), map[string]any{"title": "Laporan Reporter", "body": "isi", "status": "published"}).ExpectErr(403, "forbidden")
	reporter.Do(t, "POST", wsPath(villageA, "/articles"), map[string]any{"title": "Laporan Reporter", "body": "isi"}).Expect(201)
	reporter.Do(t, "POST", wsPath(villageA, "/articles/laporan-reporter/publish"), nil).ExpectErr(403, "forbidden")
	w.op.Do(t, "POST", wsPath(villageA, "/articles/laporan-reporter/publish"), nil).Expect(200)
}

func websiteRollup(t *testing.T, w *pluginWorld, anon *Client) {
	// A neighbour village's operator may not write or see drafts here.
	w.opB.Do(t, "POST", wsPath(villageA, "/articles"), map[string]any{"title": "x", "body": "y"}).ExpectErr(403, "forbidden")
	w.opB.Do(t, "POST", wsPath(villageA, "/articles/sejarah-desa-kumantan/unpublish"), nil).ExpectErr(403, "forbidden")
	w.opB.Do(t, "GET", wsPath(villageA, "/articles?status=draft"), nil).ExpectErr(403, "forbidden_filter")
	// Its own village's news, and the regency's own.
	w.opB.Do(t, "POST", wsPath(villageB, "/articles"), map[string]any{"title": "Panen Raya Batu Belah", "body": "Panen padi.", "status": "published", "category": "ekonomi"}).Expect(201)
	w.district.Do(t, "POST", wsPath("14.01", "/articles"), map[string]any{"title": "Bupati Resmikan Jembatan Kampar", "body": "Jembatan baru.", "status": "published"}).Expect(201)
	// Pelalawan does not have the module.
	w.pelalawanUser.Do(t, "POST", wsPath(villageP, "/articles"), map[string]any{"title": "x", "body": "y"}).ExpectErr(404, "module_not_enabled")

	// Sub-district 14.01.01 (Bangkinang Kota): its four villages and
	// kelurahan only.
	s := anon.Do(t, "GET", wsPath("14.01.01", "/summary"), nil).Expect(200).JSON()
	if s["villages"] != float64(4) || s["news"] != float64(3) || s["pages"] != float64(1) || s["villages_with_news"] != float64(1) {
		t.Errorf("sub-district summary: %v", s)
	}
	for _, it := range s["items"].([]any) {
		if row := it.(map[string]any); row["drafts"] != nil || !strings.HasPrefix(row["code"].(string), "14.01.01.") {
			t.Errorf("a public summary row: %v", row)
		}
	}
	reg := anon.Do(t, "GET", wsPath("14.01", "/summary"), nil).Expect(200).JSON()
	if reg["news"] != float64(4) || reg["villages_with_news"] != float64(2) || reg["own"].(map[string]any)["news"] != float64(1) {
		t.Errorf("regency summary: news %v, with news %v, own %v", reg["news"], reg["villages_with_news"], reg["own"])
	}
	if n := reg["villages"].(float64); n < 200 {
		t.Errorf("Kampar has %v villages with the website", n)
	}
	// The regency's list, feed and sitemap hold the villages' news and its own.
	if n := anon.Do(t, "GET", wsPath("14.01", "/articles?kind=news"), nil).Expect(200).Total(); n != 5 {
		t.Errorf("regency news: %d", n)
	}
	res := anon.Do(t, "GET", wsPath("14.01", "/feed.xml"), nil).Expect(200)
	feed, err := gofeed.NewParser().ParseString(string(res.Body))
	if err != nil || feed.FeedType != "atom" || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("regency feed: %v %s", err, res.Body)
	}
	links := map[string]bool{}
	for _, it := range feed.Items {
		links[strings.TrimPrefix(it.Link, w.h.URL)] = true
	}
	for _, want := range []string{"/" + villageA + "/website/articles/gotong-royong-membersihkan-parit-dusun-ii", "/" + villageB + "/website/articles/panen-raya-batu-belah", "/14.01/website/articles/bupati-resmikan-jembatan-kampar"} {
		if !links[want] {
			t.Errorf("the regency feed lacks %s: %v", want, links)
		}
	}
	res = anon.Do(t, "GET", wsPath("14.01", "/sitemap.xml"), nil).Expect(200)
	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(res.Body, &sm); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(res.Body), "/"+villageB+"/website/articles/panen-raya-batu-belah") || len(sm.URLs) < 200 {
		t.Errorf("sitemap of %d addresses", len(sm.URLs))
	}
	// The village's feed holds only its own.
	vf, err := gofeed.NewParser().ParseString(string(anon.Do(t, "GET", wsPath(villageB, "/feed.xml"), nil).Expect(200).Body))
	if err != nil || len(vf.Items) != 1 || vf.Items[0].Title != "Panen Raya Batu Belah" {
		t.Errorf("village B feed: %v %+v", err, vf)
	}

	// The portal: the village's home shows its news, the regency's home
	// the latest of all villages and its own.
	if st, page := websiteGet(t, w.h, "/"+villageB+"/"); st != 200 || !strings.Contains(page, "Panen Raya Batu Belah") || strings.Contains(page, "Bupati Resmikan") {
		t.Errorf("village B's home %d lacks its news", st)
	}
	if st, page := websiteGet(t, w.h, "/14.01/"); st != 200 || !strings.Contains(page, "Panen Raya Batu Belah") || !strings.Contains(page, "Bupati Resmikan Jembatan Kampar") {
		t.Errorf("the regency's home %d lacks the news", st)
	}

	// A village that switches the module off leaves the regency's roll-up.
	w.enable(t, villageB, "website", false)
	if n := anon.Do(t, "GET", wsPath("14.01", "/articles?kind=news"), nil).Expect(200).Total(); n != 4 {
		t.Errorf("regency news without B: %d", n)
	}
	if reg := anon.Do(t, "GET", wsPath("14.01", "/summary"), nil).Expect(200).JSON(); reg["news"] != float64(3) {
		t.Errorf("regency summary without B: %v", reg["news"])
	}
	w.enable(t, villageB, "website", true)
}
