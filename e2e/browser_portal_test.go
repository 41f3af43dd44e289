package e2e

// Issue 13 items 1 and 6 through the real balai binary, the population
// plugin and Chromium on a 360 px phone: a citizen opens the regency's
// portal, searches her village, opens it and reads its population
// summary; each page's first load weighs at most 150 KB, fetches nothing
// from another host and carries Open Graph tags for WhatsApp.

import (
	"encoding/base64"
	"fmt"
	"image/color"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/plugins/services/letterread"
)

// maxPageWeight is a public page's first load, everything it fetches
// (issue 13 item 6).
const maxPageWeight = 150 << 10

// netWatch sums what a browser fetched since its last reset: the bytes on
// the wire (encodedDataLength) and the hosts it asked.
type netWatch struct {
	mu      sync.Mutex
	bytes   int64
	urls    []string
	foreign []string
	host    string
}

// watchNetwork starts counting b's network traffic with the cache off,
// so every Visit is a first load.
func watchNetwork(t *testing.T, b *Browser) *netWatch {
	t.Helper()
	u, _ := url.Parse(b.h.URL)
	w := &netWatch{host: u.Host}
	if err := chromedp.Listen(b.ctx, func(ev any) {
		w.mu.Lock()
		defer w.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			r, err := url.Parse(e.Request.URL)
			if err == nil && r.Scheme != "data" && r.Host != w.host {
				w.foreign = append(w.foreign, e.Request.URL)
			}
			w.urls = append(w.urls, e.Request.URL)
		case *network.EventLoadingFinished:
			w.bytes += int64(e.EncodedDataLength)
		}
	}); err != nil {
		t.Fatalf("listening to the network: %v", err)
	}
	ctx, cancel := b.step()
	defer cancel()
	if _, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		t.Fatalf("disabling the cache: %v", err)
	}
	return w
}

func (w *netWatch) reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.bytes, w.urls, w.foreign = 0, nil, nil
}

// check fails t when the page since the last reset weighed more than
// maxPageWeight or asked another host, and logs its weight.
func (w *netWatch) check(t *testing.T, page string) {
	t.Helper()
	time.Sleep(500 * time.Millisecond) // deferred script and late images finish
	w.mu.Lock()
	defer w.mu.Unlock()
	t.Logf("%s: %d bytes in %d requests %v", page, w.bytes, len(w.urls), w.urls)
	if w.bytes == 0 || w.bytes > maxPageWeight {
		t.Errorf("%s weighs %d bytes on its first load, want 1 to %d", page, w.bytes, maxPageWeight)
	}
	if len(w.foreign) > 0 {
		t.Errorf("%s fetched from another host: %v", page, w.foreign)
	}
}

// checkOG fails t unless the page has Open Graph title, description and an
// image served by the host.
func checkOG(t *testing.T, b *Browser, title string) {
	t.Helper()
	og := func(p string) string {
		return b.Eval(fmt.Sprintf(`(document.querySelector('meta[property=%q]') || {}).content || ''`, p))
	}
	if got := og("og:title"); got != title {
		t.Errorf("og:title %q, want %q", got, title)
	}
	if og("og:description") == "" {
		t.Error("no og:description")
	}
	img := og("og:image")
	if !strings.HasPrefix(img, b.h.URL+"/static/og.") {
		t.Fatalf("og:image %q is not the host's", img)
	}
	if st, _ := b.Fetch(strings.TrimPrefix(img, b.h.URL)); st != http.StatusOK {
		t.Errorf("og:image answers %d", st)
	}
}

func TestBrowserPortal(t *testing.T) {
	NeedBrowser(t)
	h := NewHost(t, sqliteOnly(t))
	h.ImportKampar(t)
	h.Serve(t, "--plugins", PluginDir(t, "population"))
	admin := h.Admin(t)
	admin.Do(t, "PUT", "/api/v1/tenants/14.01/modules/population", map[string]bool{"enabled": true}).Expect(http.StatusOK)
	// Five men and five women in Kumantan, each the head of a family.
	for i := 1; i <= 10; i++ {
		nik, sex, birth := fmt.Sprintf("14010115038000%02d", i), "L", "1980-03-15"
		if i > 5 {
			nik, sex, birth = fmt.Sprintf("14010155088500%02d", i), "P", "1985-08-15"
		}
		admin.Do(t, "POST", p(villageA, "population", "/residents"),
			popResident(nik, fmt.Sprintf("14010120011500%02d", i), fmt.Sprintf("Warga %d", i), sex, birth, "1")).Expect(http.StatusCreated)
	}

	b := NewBrowser(t, h, "citizen", Phone)
	net := watchNetwork(t, b)

	// 1. The regency's home.
	net.reset()
	if st := b.Visit("/"); st != http.StatusOK {
		t.Fatalf("GET /: %d", st)
	}
	net.check(t, "/")
	if got := b.Text("#page-title"); got != "KAMPAR" && !strings.Contains(strings.ToUpper(got), "KAMPAR") {
		t.Errorf("the home's title %q", got)
	}
	if n := b.Text("#n-villages"); n == "" || n == "0" {
		t.Errorf("villages on the home: %q", n)
	}
	if got := b.Text("#widgets [data-plugin=population] #population-total"); got != "10" {
		t.Errorf("the regency's residents %q, want 10", got)
	}
	checkOG(t, b, b.Text("#page-title"))
	if w := b.Eval(`String(document.documentElement.scrollWidth)`); w != "360" {
		t.Errorf("the home is %s px wide at 360 px", w)
	}
	b.Document("portal-home")

	// 2. She searches her village by name (a GET form, no script needed).
	b.Fill("q", "kumantan")
	if st := b.SubmitForm("#village-search"); st != http.StatusOK {
		t.Fatalf("searching: %d", st)
	}
	links := b.Texts("#villages a")
	if len(links) != 1 || !strings.EqualFold(links[0], "Kumantan") {
		t.Fatalf("search for kumantan lists %v", links)
	}
	b.Document("portal-search")

	// 3. She opens it: a first load, counted on its own.
	net.reset()
	ctx, cancel := b.step()
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#villages a[data-code="`+villageA+`"]`)))
	cancel()
	if err != nil || res == nil || res.Status != http.StatusOK {
		t.Fatalf("opening the village: %v %v", err, res)
	}
	net.check(t, "/"+villageA+"/")
	if p := b.Path(); p != "/"+villageA+"/" {
		t.Errorf("the village's page is %s", p)
	}
	for id, want := range map[string]string{"population-total": "10", "population-male": "5", "population-female": "5"} {
		if got := b.Text("#" + id); got != want {
			t.Errorf("#%s = %q, want %q", id, got, want)
		}
	}
	if got := b.Text("#short-link"); got != h.URL+"/"+villageA {
		t.Errorf("short address %q", got)
	}
	if b.Eval(`String(!!document.querySelector('#qr svg path'))`) != "true" {
		t.Error("no QR code")
	}
	checkOG(t, b, b.Text("#page-title"))
	if w := b.Eval(`String(document.documentElement.scrollWidth)`); w != "360" {
		t.Errorf("the village page is %s px wide at 360 px", w)
	}
	b.Document("portal-village")

	// 4. The short address on the poster leads to the same page.
	if st := b.Visit("/" + villageA); st != http.StatusOK || b.Path() != "/"+villageA+"/" {
		t.Errorf("the short address: %d at %s", st, b.Path())
	}
}

// fetchBytes downloads path with the browser's cookies as bytes (a PDF),
// failing the test unless it answers 200.
func fetchBytes(t *testing.T, b *Browser, path string) []byte {
	t.Helper()
	out := b.Eval(fmt.Sprintf(`fetch(%q, {credentials: 'same-origin'}).then(async r => {
		const u = new Uint8Array(await r.arrayBuffer()); let s = '';
		for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000));
		return r.status + ' ' + btoa(s);
	})`, path))
	status, data, _ := strings.Cut(out, " ")
	if status != "200" {
		t.Fatalf("%s answers %s", path, status)
	}
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// Issue 13's letter journeys in Chromium through the real binaries: a
// citizen finds her village from the regency's home on a 360 px phone
// (its page shows the profile with officials and map position, the
// population summary and the letters it offers), requests a letter,
// follows it, and once the clerk issues it opens the link the printed QR
// code holds; the village's admin uploads the letterhead's emblem, edits
// the letterhead, sees the preview and prints on F4 (215 x 330 mm). Every
// public page's first load weighs at most 150 KB and asks no other host.
func TestBrowserLetterFromTheRegencyHome(t *testing.T) {
	NeedBrowser(t)
	EachBackend(t, func(t *testing.T, backend storetest.Backend) {
		w := startPlugins(t, backend, []string{"population", "services", "profile"})
		for _, m := range []string{"population", "services", "profile"} {
			w.enable(t, "14.01", m, true)
		}
		w.op.Do(t, "POST", p(villageA, "population", "/residents"), budi).Expect(201)
		w.op.Do(t, "PUT", p(villageA, "profile", ""), map[string]any{
			"version": 0, "head": "H. Ahmad Yani", "address": "Jl. Prof. M. Yamin No. 1, Kumantan",
			"coordinates": map[string]float64{"latitude": 0.3376, "longitude": 101.0257},
			"officials":   []map[string]string{{"name": "Siti Rahma", "position": "Sekretaris Desa"}, {"name": "Joni", "position": "Kaur Keuangan"}},
		}).Expect(200)

		citizen := NewBrowser(t, w.h, "citizen", Phone)
		net := watchNetwork(t, citizen)
		page := func(what string) {
			t.Helper()
			net.check(t, what)
			publicPageChecks(t, citizen)
			net.reset()
		}

		// 1. The regency's home; she searches her village and opens it.
		net.reset()
		if st := citizen.Visit("/"); st != http.StatusOK {
			t.Fatalf("GET /: %d", st)
		}
		page("/")
		// This deployment holds two regencies: the home lists them.
		ctx, cancel := citizen.step()
		res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#regions a[data-code="14.01"]`)))
		cancel()
		if err != nil || res == nil || res.Status != http.StatusOK {
			t.Fatalf("opening the regency: %v %v", err, res)
		}
		page("the regency")
		citizen.Fill("q", "kumantan")
		if st := citizen.SubmitForm("#village-search"); st != http.StatusOK {
			t.Fatalf("searching: %d", st)
		}
		page("the search")
		ctx, cancel = citizen.step()
		res, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#villages a[data-code="`+villageA+`"]`)))
		cancel()
		if err != nil || res == nil || res.Status != http.StatusOK {
			t.Fatalf("opening the village: %v %v", err, res)
		}
		page("the village")
		// Profile, officials, map position, population, letters.
		citizen.Has("H. Ahmad Yani", "Sekretaris Desa: Siti Rahma", "Kaur Keuangan: Joni", "Layanan Surat", "Surat Keterangan Domisili")
		if geo := citizen.Eval(`(document.querySelector('a[href^="geo:"]') || {}).href || ''`); geo != "geo:0.3376,101.0257" {
			t.Errorf("the map position's link %q", geo)
		}
		if n := citizen.Text("#population-total"); n != "1" {
			t.Errorf("the population summary %q", n)
		}
		// Each card says its title once (the card's, not the fragment's
		// own heading under it).
		heads := citizen.Eval(`[...document.querySelectorAll('#widgets h1, #widgets h2')].filter(e => e.offsetParent !== null).map(e => e.textContent.trim()).join('|')`)
		t.Logf("widget headings: %s", heads)
		for _, title := range []string{"Profil Desa", "Layanan Surat"} {
			if n := len(slices.DeleteFunc(strings.Split(heads, "|"), func(h string) bool { return h != title })); n != 1 {
				t.Errorf("the village page shows the heading %q %d times: %s", title, n, heads)
			}
		}
		citizen.Document("portal-village-services")

		// 2. She asks for a domicile letter from the village's page.
		if st := citizen.Submit("Surat Keterangan Domisili"); st != http.StatusOK || !strings.HasPrefix(citizen.Path(), "/"+villageA+"/services/request") {
			t.Fatalf("choosing the letter: %d at %s", st, citizen.Path())
		}
		page("the request form")
		citizen.Fill("nik", budi["nik"])
		citizen.Fill("kk", budi["kk"])
		citizen.Fill("mother_name", budi["mother_name"])
		citizen.Fill("purpose", "Melamar pekerjaan")
		if st := citizen.Submit("Kirim permohonan"); st != http.StatusOK {
			t.Fatalf("sending the request: %d %s", st, citizen.Body())
		}
		page("the tracking page")
		track := citizen.Path()
		code, ok := strings.CutPrefix(track, "/"+villageA+"/services/track/")
		if !ok {
			t.Fatalf("the request leads to %s", track)
		}
		citizen.Has("Menunggu", code)

		// 3. The village's admin (kepala desa's clerk with the admin role)
		// sets the letterhead: emblem, office address, signatory, F4.
		w.admin.CreateUser(t, "admin-a")
		w.admin.Grant(t, villageA, "admin-a", "admin")
		clerk := NewBrowser(t, w.h, "clerk", Desktop)
		clerk.Login("admin-a", "admin-a-password-1")
		settings := "/console/" + villageA + "/m/services/settings"
		clerk.Visit(settings)
		clerk.Has("Belum ada lambang")
		emblem := filepath.Join(t.TempDir(), "lambang-kampar.png")
		if err := os.WriteFile(emblem, emblemPNG(t, 240, 300, color.NRGBA{G: 120, A: 255}), 0o644); err != nil {
			t.Fatal(err)
		}
		clerk.Upload("emblem", emblem)
		clerk.ClickUntil(`form[data-upload] button[type=submit]`, `document.body.textContent.includes('Lambang disimpan.')`)
		// Once loaded (the page may show before its images).
		if v := clerk.Eval(`new Promise(r => { const i = document.querySelector('#preview-emblem'); if (!i) return r('none');
			const done = () => r(String(i.naturalWidth)); if (i.complete) done(); else { i.onload = i.onerror = done; } })`); v != "240" {
			t.Errorf("the preview's emblem is %s px wide, want 240 (loaded)", v)
		}
		clerk.Fill("address", "Jl. Prof. M. Yamin No. 1, Bangkinang")
		clerk.Fill("signatory_name", "H. Ahmad Yani")
		clerk.Fill("paper", "F4")
		if st := clerk.Submit("Simpan"); st != http.StatusOK {
			t.Fatalf("saving the letterhead: %d %s", st, clerk.Body())
		}
		clerk.Has("Pengaturan kop surat disimpan", "F4 (folio, 215 × 330 mm)", "Jl. Prof. M. Yamin No. 1, Bangkinang")
		if n := clerk.Eval(`String(document.querySelectorAll('#preview img, #emblem').length)`); n != "2" {
			t.Errorf("the emblem and its preview: %s images", n)
		}
		clerk.Document("services-letterhead-emblem")

		// 4. The clerk approves, issues and prints it: F4, the emblem, the
		// QR code of the village's verification page.
		clerk.Visit("/console/" + villageA + "/m/services/requests?state=submitted")
		clerk.Visit(clerk.Eval(`document.querySelector('.b-table a').getAttribute('href')`))
		if st := clerk.Submit("Setujui dan beri nomor"); st != http.StatusOK {
			t.Fatalf("approving: %d", st)
		}
		if st := clerk.Submit("Tandai diterbitkan"); st != http.StatusOK {
			t.Fatalf("issuing: %d", st)
		}
		pdf := fetchBytes(t, clerk, clerk.Eval(`[...document.querySelectorAll('a')].find(a => a.textContent.trim() === 'Cetak PDF').getAttribute('href')`))
		sizes, err := letterread.PageSizes(pdf)
		if err != nil || len(sizes) == 0 || math.Abs(sizes[0][0]-215) > 0.1 || math.Abs(sizes[0][1]-330) > 0.1 {
			t.Errorf("the letter's pages %v %v, want F4 215 x 330 mm", sizes, err)
		}
		if imgs := letterImages(t, pdf); !hasSize(imgs, 240, 300) {
			t.Errorf("the printed letter lacks the emblem: %v", imgs)
		}
		if text := letterText(t, pdf); !strings.Contains(text, "Jl. Prof. M. Yamin No. 1, Bangkinang") || !strings.Contains(text, "H. Ahmad Yani") {
			t.Errorf("the letterhead as printed: %s", text)
		}
		qr := letterQR(t, pdf)

		// 5. She follows her request, then opens the QR code's link.
		net.reset()
		citizen.Visit(track)
		page("the tracking page, issued")
		citizen.Has("Diterbitkan")
		link, ok := strings.CutPrefix(qr, w.h.URL)
		if !ok || !strings.HasPrefix(link, "/"+villageA+"/services/verify/") {
			t.Fatalf("the QR code holds %q", qr)
		}
		if st := citizen.Visit(link); st != http.StatusOK {
			t.Fatalf("the QR code's page: %d", st)
		}
		page("the verification page")
		citizen.Has("Surat sah", "Surat Keterangan Domisili", "B*** S******")
		citizen.Lacks("Budi Santoso", budi["nik"])
		citizen.Document("services-verify-from-qr")
	})
}
