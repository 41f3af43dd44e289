package web

// The public portal (issue 13): `/` is the regency's home (or the list of
// the regencies a deployment serves), `/{code}/` a region's or village's
// public home, `/{code}` its short address for posters. Pages for phones:
// no script needed, nothing from another host, one stylesheet, Open Graph
// tags for shared links.

import (
	"bytes"
	"fmt"
	"html/template"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"sort"
	"strings"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"

	"github.com/balaidesa/balai/core/tenancy"
	"github.com/balaidesa/balai/core/webpage"
)

// maxPortalQuery bounds the village search's text.
const maxPortalQuery = 100

// ogMeta is a page's Open Graph card (a link shared on WhatsApp).
type ogMeta struct {
	Title, Description, Image, URL string
}

// portalDistrict is one kecamatan and its villages on a regency's home.
type portalDistrict struct {
	Code, Name string
	Villages   []tenancy.Tenant
}

// portalRegion is what a regency's or district's home shows.
type portalRegion struct {
	Tenant                tenancy.Tenant
	Districts             []portalDistrict
	NDistricts, NVillages int
	// Matched counts the villages the search kept.
	Matched int
	Query   string
	// Open shows every district's villages unfolded (after a search, or
	// with a single district); otherwise a phone sees the districts, each
	// opening without script (<details>).
	Open bool
	// Action is the search form's target: this page's path.
	Action  string
	Widgets []webpage.Widget
}

// publicBase is the deployment's address as a citizen types it: the
// configured public URL, else the request's own host.
func (s *Server) publicBase(r *http.Request) string {
	if u := s.cfg.PublicURL; u != nil && u.Host != "" {
		return strings.TrimRight(u.Scheme+"://"+u.Host+u.Path, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// og fills the Open Graph card of a public page.
func (s *Server) og(q *rq, title, desc string) *ogMeta {
	base := s.publicBase(q.r)
	return &ogMeta{Title: title, Description: desc, Image: base + s.assets[ogName], URL: base + q.r.URL.Path}
}

// portalHome serves `/`: the one regency's home, or the list of the
// regencies (or provinces) when there are several, or a short welcome
// leading to the console when the deployment has no region yet.
func (s *Server) portalHome(q *rq) {
	db := s.cfg.Host.DB.WithContext(q.r.Context())
	var tops []tenancy.Tenant
	for _, lvl := range []tenancy.Level{tenancy.Regency, tenancy.Province, tenancy.District} {
		ts, _, err := tenancy.List(db, tenancy.Filter{Level: lvl, Limit: 200})
		if err != nil {
			s.fail(q, err)
			return
		}
		if len(ts) > 0 {
			tops = ts
			break
		}
	}
	if len(tops) == 1 {
		s.portalRegionPage(q, &tops[0], true)
		return
	}
	v := s.newView(q, s.cfg.Name)
	v.Public = true
	v.OG = s.og(q, s.cfg.Name, q.T("portal.desc"))
	v.Data = map[string]any{"Regions": tops}
	s.write(q, http.StatusOK, "portal_home", v)
}

// portalCode serves `/{code}/`: a village's public home, or a regency's or
// district's home with its villages.
func (s *Server) portalCode(q *rq) {
	t, ok := s.portalTenant(q)
	if !ok {
		return
	}
	if t.Level == tenancy.Village {
		s.portalVillage(q, t)
		return
	}
	s.portalRegionPage(q, t, false)
}

// portalShort answers a poster's short address `/{code}` with the
// village's home `/{code}/`.
func (s *Server) portalShort(q *rq) {
	t, ok := s.portalTenant(q)
	if !ok {
		return
	}
	http.Redirect(q.w, q.r, "/"+t.Code+"/", http.StatusMovedPermanently)
}

// portalTenant reads {tenant} and loads it; false when it answered 404.
func (s *Server) portalTenant(q *rq) (*tenancy.Tenant, bool) {
	code := q.r.PathValue("tenant")
	if _, _, err := tenancy.ParseCode(code); err != nil {
		s.fail(q, notFound())
		return nil, false
	}
	t, err := tenancy.Get(s.cfg.Host.DB.WithContext(q.r.Context()), code)
	if err != nil {
		s.fail(q, err)
		return nil, false
	}
	q.tenant = t
	return t, true
}

// portalRegionPage renders a regency's (or district's, or province's)
// home: its numbers, the search, and its villages by district.
func (s *Server) portalRegionPage(q *rq, t *tenancy.Tenant, home bool) {
	query := strings.TrimSpace(q.r.URL.Query().Get("q"))
	if len([]rune(query)) > maxPortalQuery {
		query = string([]rune(query)[:maxPortalQuery])
	}
	db := s.cfg.Host.DB.WithContext(q.r.Context())
	var below []tenancy.Tenant
	if err := db.Where("code LIKE ?", t.Code+".%").Where("level IN ?", []string{string(tenancy.District), string(tenancy.Village)}).
		Order("code").Find(&below).Error; err != nil {
		s.fail(q, fmt.Errorf("listing the villages of %s: %w", t.Code, err))
		return
	}
	pr := portalRegion{Tenant: *t, Query: query, Action: "/" + t.Code + "/"}
	if home {
		pr.Action = "/"
	}
	byCode := map[string]*portalDistrict{}
	var order []string
	for _, b := range below {
		if b.Level == tenancy.District {
			pr.NDistricts++
			byCode[b.Code] = &portalDistrict{Code: b.Code, Name: b.Name}
			order = append(order, b.Code)
		}
	}
	if t.Level == tenancy.District {
		byCode[t.Code] = &portalDistrict{Code: t.Code, Name: t.Name}
		order = append(order, t.Code)
	}
	needle := strings.ToLower(query)
	for _, b := range below {
		if b.Level != tenancy.Village {
			continue
		}
		pr.NVillages++
		d := byCode[b.Code[:8]]
		if d == nil {
			continue // a village whose district was not imported
		}
		// The search keeps a village by its name or its district's.
		if needle != "" && !strings.Contains(strings.ToLower(b.Name), needle) && !strings.Contains(strings.ToLower(d.Name), needle) {
			continue
		}
		d.Villages = append(d.Villages, b)
		pr.Matched++
	}
	for _, c := range order {
		if d := byCode[c]; len(d.Villages) > 0 {
			pr.Districts = append(pr.Districts, *d)
		}
	}
	sort.SliceStable(pr.Districts, func(i, j int) bool { return pr.Districts[i].Name < pr.Districts[j].Name })
	pr.Open = query != "" || len(pr.Districts) == 1
	if s.cfg.Source != nil {
		pr.Widgets = s.cfg.Source.PublicWidgets(q.r.Context(), t.Code, q.lang)
	}
	v := s.newView(q, t.Name)
	v.Public = true
	v.Path = s.publicCrumbs(q, t)
	if home {
		v.Here = "/"
	}
	v.OG = s.og(q, t.Name, fmt.Sprintf(q.T("portal.og.region"), pr.NVillages, pr.NDistricts))
	v.Data = pr
	s.write(q, http.StatusOK, "portal_region", v)
}

// publicCrumbs are t's ancestors, from the top.
func (s *Server) publicCrumbs(q *rq, t *tenancy.Tenant) []tenancy.Tenant {
	db := s.cfg.Host.DB.WithContext(q.r.Context())
	var out []tenancy.Tenant
	for _, a := range tenancy.Ancestors(t.Code) {
		if p, err := tenancy.Get(db, a); err == nil {
			out = append(out, *p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i].Code) < len(out[j].Code) })
	return out
}

// portalVillage renders a village's public home: its place, its modules'
// public widgets, and its short address with a QR code for posters.
func (s *Server) portalVillage(q *rq, t *tenancy.Tenant) {
	short := s.publicBase(q.r) + "/" + t.Code
	qrSVG, err := qrSVG(short)
	if err != nil {
		s.fail(q, fmt.Errorf("drawing the QR code of %s: %w", t.Code, err))
		return
	}
	var widgets []webpage.Widget
	if s.cfg.Source != nil {
		widgets = s.cfg.Source.PublicWidgets(q.r.Context(), t.Code, q.lang)
	}
	v := s.newView(q, t.Name)
	v.Public = true
	v.Path = s.publicCrumbs(q, t)
	place := t.Name
	for i := len(v.Path) - 1; i >= 0; i-- {
		place += ", " + v.Path[i].Name
	}
	v.OG = s.og(q, t.Name, fmt.Sprintf(q.T("portal.og.village"), place))
	v.Data = map[string]any{"Village": t, "Short": short, "QR": qrSVG, "Widgets": widgets}
	s.write(q, http.StatusOK, "portal_village", v)
}

// qrSVG draws content as a QR code in inline SVG: one path of horizontal
// runs (a few kilobytes), crisp at any print size.
func qrSVG(content string) (template.HTML, error) {
	code, err := qr.Encode(content, qr.M, qr.Auto)
	if err != nil {
		return "", err
	}
	return qrPath(code), nil
}

func qrPath(code barcode.Barcode) template.HTML {
	b := code.Bounds()
	n := b.Dx()
	const quiet = 4
	var p strings.Builder
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < n; {
			if !isDark(code.At(b.Min.X+x, b.Min.Y+y)) {
				x++
				continue
			}
			start := x
			for x < n && isDark(code.At(b.Min.X+x, b.Min.Y+y)) {
				x++
			}
			fmt.Fprintf(&p, "M%d %dh%dv1h-%dz", start+quiet, y+quiet, x-start, x-start)
		}
	}
	size := n + 2*quiet
	return template.HTML(fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" class="b-qr" role="img" aria-label="QR" shape-rendering="crispEdges"><rect width="%d" height="%d" fill="#fff"/><path d="%s" fill="#000"/></svg>`,
		size, size, size, size, p.String()))
}

func isDark(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r+g+b < 3*0x8000
}

// ogName is the Open Graph picture's asset name.
const ogName = "og.png"

// ogPNG draws the deployment's sharing picture once: 600 × 315 (the
// 1.91:1 card WhatsApp and others show), the console's blue with a white
// village hall (balai) roof, a few kilobytes.
var ogPNG = func() []byte {
	const w, h = 600, 315
	img := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.RGBA{0x0b, 0x5c, 0xad, 0xff}, color.White, color.RGBA{0xff, 0xbf, 0x47, 0xff}})
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			cx, top := x-w/2, 70
			switch {
			case y >= top && y < 160 && abs(cx) <= (y-top)*2: // the roof
				img.SetColorIndex(x, y, 1)
			case y >= 160 && y < 250 && abs(cx) <= 130 && !(abs(cx) <= 25 && y >= 190): // the hall, a door
				img.SetColorIndex(x, y, 1)
			case y >= 265 && y < 275 && abs(cx) <= 200: // the ground
				img.SetColorIndex(x, y, 2)
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}()

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
