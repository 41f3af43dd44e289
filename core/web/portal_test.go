package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// portalSite has a province, one regency with two districts and three
// villages, and the test source's public widgets.
func portalSite(t *testing.T, s *site) {
	s.tenant("14", "Riau")
	s.tenant("14.01", "Kabupaten Kampar")
	s.tenant("14.01.01", "Bangkinang")
	s.tenant("14.01.02", "Kampar Kiri")
	s.tenant("14.01.01.2001", "Desa Satu")
	s.tenant("14.01.01.2002", "Desa Dua")
	s.tenant("14.01.02.2001", "Lipat Kain")
	s.p.Web.SetSource(testSource{t})
}

var ogImageRE = regexp.MustCompile(`<meta property="og:image" content="([^"]+)">`)

// srcRE finds every address a page makes the browser fetch or follow.
var srcRE = regexp.MustCompile(`(?:src|href|action|content)="(https?:)?//([^/"]+)`)

func TestPortal(t *testing.T) {
	eachSite(t, func(t *testing.T, s *site) {
		portalSite(t, s)
		b := s.browser()
		host := strings.TrimPrefix(s.srv.URL, "http://")
		cases := []struct {
			name, path string
			status     int
			want, not  []string
			location   string
		}{
			{name: "the regency's home", path: "/", status: 200,
				want: []string{`id="portal-region"`, `<h1 id="page-title">Kabupaten Kampar</h1>`, `<dd id="n-districts">2</dd>`, `<dd id="n-villages">3</dd>`,
					`<p id="public-widget">penduduk 14.01</p>`, `id="h-14.01.01">Kecamatan Bangkinang`, `href="/14.01.01.2001/"`, `href="/14.01.01.2002/"`, `href="/14.01.02.2001/"`,
					`<meta property="og:title" content="Kabupaten Kampar">`, `og:description`, `lang="id"`, `id="village-search"`, `<label for="q">`},
				not: []string{"<script>", "search-result", " open>"}},
			{name: "search by a village's name", path: "/?q=DUA", status: 200,
				want: []string{`href="/14.01.01.2002/"`, `id="search-result"`, "1 desa cocok", `value="DUA"`, `id="d-14.01.01" open>`},
				not:  []string{`href="/14.01.01.2001/"`, `href="/14.01.02.2001/"`, `id="h-14.01.02"`}},
			{name: "search by a district's name", path: "/?q=kiri", status: 200,
				want: []string{`href="/14.01.02.2001/"`}, not: []string{`href="/14.01.01.2002/"`}},
			{name: "search finding nothing", path: "/?q=%3Cb%3Ezzz", status: 200,
				want: []string{"Tidak ada desa yang cocok dengan “&lt;b&gt;zzz”"}, not: []string{`href="/14.01.01.2001/"`, "<b>zzz"}},
			{name: "a district's home", path: "/14.01.01/", status: 200,
				want: []string{`<h1 id="page-title">Bangkinang</h1>`, `href="/14.01.01.2001/"`, `<a href="/14.01/">Kabupaten Kampar</a>`, `action="/14.01.01/"`, `id="d-14.01.01" open>`},
				not:  []string{`href="/14.01.02.2001/"`, `id="n-districts"`}},
			{name: "a village's home", path: "/14.01.01.2001/", status: 200,
				want: []string{`id="portal-village"`, `<h1 id="page-title">Desa Satu</h1>`, `<a href="/14/">Riau</a>`, `<a href="/14.01/">Kabupaten Kampar</a>`, `<a href="/14.01.01/">Bangkinang</a>`,
					`<p id="public-widget">penduduk 14.01.01.2001</p>`, `id="short-link">` + s.srv.URL + `/14.01.01.2001</a>`, `<svg xmlns="http://www.w3.org/2000/svg"`,
					`<meta property="og:title" content="Desa Satu">`, `Halaman desa Desa Satu, Bangkinang, Kabupaten Kampar, Riau`},
				not: []string{"<script>"}},
			{name: "the short address", path: "/14.01.01.2001", status: http.StatusMovedPermanently, location: "/14.01.01.2001/"},
			{name: "an unknown village", path: "/14.01.01.2999/", status: 404, want: []string{`id="error-page"`, `href="/" class="b-btn"`}},
			{name: "an unknown short address", path: "/14.01.01.2999", status: 404},
			{name: "not a code", path: "/1abc/", status: 404},
			{name: "English", path: "/14.01.01.2001/?x", status: 200, want: []string{"short address"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if c.name == "English" {
					b.Header.Set("Cookie", "balai_lang=en")
					defer b.Header.Del("Cookie")
				}
				p := b.get(c.path)
				if p.Status != c.status {
					t.Fatalf("GET %s = %d, want %d; %.300s", c.path, p.Status, c.status, p.Body)
				}
				if c.location != "" && p.Location() != c.location {
					t.Errorf("Location %q, want %q", p.Location(), c.location)
				}
				for _, w := range c.want {
					if !strings.Contains(p.Body, w) {
						t.Errorf("GET %s lacks %q", c.path, w)
					}
				}
				for _, n := range c.not {
					if strings.Contains(p.Body, n) {
						t.Errorf("GET %s shows %q", c.path, n)
					}
				}
				if c.status == 200 {
					parse(t, p.Body)
					for _, m := range srcRE.FindAllStringSubmatch(p.Body, -1) {
						if m[2] != host && m[2] != "www.w3.org" { // the SVG namespace is a name, never fetched
							t.Errorf("GET %s points at another host: %q", c.path, m[0])
						}
					}
				}
			})
		}

		// The Open Graph picture is a small PNG served by the host.
		m := ogImageRE.FindStringSubmatch(b.get("/").Body)
		if m == nil || !strings.HasPrefix(m[1], s.srv.URL+"/static/og.") {
			t.Fatalf("og:image = %v", m)
		}
		img := b.get(strings.TrimPrefix(m[1], s.srv.URL))
		if img.Status != 200 || img.Header.Get("Content-Type") != "image/png" || len(img.Body) > 20<<10 || len(img.Body) < 100 {
			t.Errorf("og image: %d %s, %d bytes", img.Status, img.Header.Get("Content-Type"), len(img.Body))
		}
	})
}

// TestPortalRegions: a deployment of several regencies lists them at /;
// one with no region yet leads staff to the console.
func TestPortalRegions(t *testing.T) {
	s := sqliteSite(t)
	b := s.browser()
	if p := b.get("/"); p.Status != 200 || !strings.Contains(p.Body, `id="portal-empty"`) || !strings.Contains(p.Body, `href="/login"`) {
		t.Errorf("empty portal: %d %.400s", p.Status, p.Body)
	}
	portalSite(t, s)
	s.tenant("14.02", "Kabupaten Indragiri Hulu")
	p := b.get("/")
	for _, w := range []string{`id="regions"`, `<a href="/14.01/" data-code="14.01">Kabupaten Kampar</a>`, `<a href="/14.02/" data-code="14.02">Kabupaten Indragiri Hulu</a>`, `og:image`} {
		if !strings.Contains(p.Body, w) {
			t.Errorf("/ of two regencies lacks %q", w)
		}
	}
	if p := b.get("/14.02/"); p.Status != 200 || !strings.Contains(p.Body, `<dd id="n-villages">0</dd>`) {
		t.Errorf("/14.02/: %d", p.Status)
	}
}
