package e2e

// Issue 13 items 1 and 6 through the real balai binary, the population
// plugin and Chromium on a 360 px phone: a citizen opens the regency's
// portal, searches her village, opens it and reads its population
// summary; each page's first load weighs at most 150 KB, fetches nothing
// from another host and carries Open Graph tags for WhatsApp.

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
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
