package e2e

// The browser harness: a headless Chromium driven through chromedp against
// a real balai server (started with the harness of harness_test.go), for
// the screens of issue 12. Tests call NeedBrowser (skip, or fail in CI),
// then NewBrowser per user; every test leaves a screenshot of where it
// ended in $BALAI_ARTIFACTS (e2e/artifacts/ by default).

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// updateScreenshots copies the screenshots a test names as documentation
// into docs/screenshots/ (go test ./e2e -run TestBrowser -update-screenshots).
var updateScreenshots = flag.Bool("update-screenshots", false, "copy the documented screens' screenshots into docs/screenshots/")

// Viewport is a browser window size in CSS pixels.
type Viewport struct {
	Name          string
	Width, Height int64
	Mobile        bool
}

var (
	// Phone is the narrowest screen the console must work on.
	Phone = Viewport{Name: "360", Width: 360, Height: 740, Mobile: true}
	// Desktop is a village office's PC.
	Desktop = Viewport{Name: "desktop", Width: 1280, Height: 860}
)

// chromiumPath is the browser to drive: BALAI_CHROMIUM, else Debian's.
func chromiumPath() string {
	if p := os.Getenv("BALAI_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// NeedBrowser skips the test when no Chromium is installed, unless
// BALAI_TEST_REQUIRE_BROWSER=1 (CI), where a missing browser fails it:
// a CI run must not pass by skipping every screen.
func NeedBrowser(t *testing.T) {
	t.Helper()
	p := chromiumPath()
	if _, err := os.Stat(p); err != nil {
		msg := fmt.Sprintf("no Chromium at %s (install Debian's chromium or set BALAI_CHROMIUM): %v", p, err)
		if os.Getenv("BALAI_TEST_REQUIRE_BROWSER") == "1" {
			t.Fatal(msg + " — BALAI_TEST_REQUIRE_BROWSER=1")
		}
		t.Skip(msg)
	}
}

// artifactsDir is where screenshots go: $BALAI_ARTIFACTS or e2e/artifacts.
func artifactsDir(t *testing.T) string {
	dir := os.Getenv("BALAI_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(repoRoot, "e2e", "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("artifacts directory: %v", err)
	}
	return dir
}

// Browser is one user's headless Chromium (its own profile, so its own
// cookies) on one Host.
type Browser struct {
	t    *testing.T
	h    *Host
	vp   Viewport
	name string
	ctx  context.Context
	// last is the status of the last document loaded by Visit or Submit.
	last  int
	shots int
}

// NewBrowser starts Chromium for one user (name appears in screenshot
// names) at viewport vp. It stops with the test, after a screenshot of
// where the test ended (named "failed" when the test failed).
func NewBrowser(t *testing.T, h *Host, name string, vp Viewport) *Browser {
	t.Helper()
	NeedBrowser(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath()),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("lang", "id-ID"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(int(vp.Width), int(vp.Height)),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	b := &Browser{t: t, h: h, vp: vp, name: name, ctx: ctx}
	var emul []chromedp.EmulateViewportOption
	if vp.Mobile {
		emul = append(emul, chromedp.EmulateMobile, chromedp.EmulatePortrait)
	}
	// The first Run starts the browser; it must not carry a timeout.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.Width, vp.Height, emul...)); err != nil {
		cancel()
		cancelAlloc()
		t.Fatalf("starting Chromium (%s): %v", chromiumPath(), err)
	}
	t.Cleanup(func() {
		kind := "end"
		if t.Failed() {
			kind = "failed"
		}
		b.Screenshot(kind)
		cancel()
		cancelAlloc()
	})
	return b
}

// step bounds one action, so a missing element fails the test instead of
// hanging it.
func (b *Browser) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, 20*time.Second)
}

// URL is the absolute address of path on the host.
func (b *Browser) URL(path string) string { return b.h.URL + path }

// Visit loads path and returns the document's HTTP status.
func (b *Browser) Visit(path string) int {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.RunResponse(ctx, chromedp.Navigate(b.URL(path)))
	if err != nil {
		b.Screenshot("visit-error")
		b.t.Fatalf("%s: visiting %s: %v", b.name, path, err)
	}
	return b.status(res)
}

// Status is the HTTP status of the last document loaded.
func (b *Browser) Status() int { return b.last }

// Path is the current location's path and query.
func (b *Browser) Path() string {
	b.t.Helper()
	loc := b.Eval(`location.pathname + location.search`)
	return loc
}

// Eval evaluates a JavaScript expression whose value is a string.
func (b *Browser) Eval(expr string) string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("%s: evaluating %.80s: %v", b.name, expr, err)
	}
	return v
}

// locate is JavaScript returning a CSS selector (#id) for the form control
// whose <label> reads key (exactly, else starting with it: a label may end
// in a required mark), else whose name is key; "" when none. It gives the
// control an id when it has none.
const locate = `((key) => {
	const norm = s => s.replace(/\s+/g, ' ').trim();
	let el = null;
	const labels = [...document.querySelectorAll('label')];
	for (const pass of [0, 1]) {
		for (const l of labels) {
			const t = norm(l.textContent);
			if (pass === 0 ? t === key : t.startsWith(key)) { el = l.control; if (el) break; }
		}
		if (el) break;
	}
	if (!el) el = document.querySelector('[name="' + CSS.escape(key) + '"]');
	if (!el) return '';
	if (!el.id) el.id = 'e2e-' + Math.random().toString(36).slice(2);
	return '#' + CSS.escape(el.id);
})(%q)`

// control finds a form control by label or name, failing the test when
// the page has none.
func (b *Browser) control(key string) string {
	b.t.Helper()
	sel := b.Eval(fmt.Sprintf(locate, key))
	if sel == "" {
		b.Screenshot("no-field")
		b.t.Fatalf("%s: no field labelled or named %q on %s", b.name, key, b.Path())
	}
	return sel
}

// Fill sets the field labelled (or named) key to value: text, number,
// date, textarea and select (by option value or label); for a checkbox,
// "1"/"on"/"true" checks it.
func (b *Browser) Fill(key, value string) {
	b.t.Helper()
	sel := b.control(key)
	got := b.Eval(fmt.Sprintf(`((sel, v) => {
		const el = document.querySelector(sel);
		if (el.type === 'checkbox') { el.checked = ['1','on','true'].includes(v); }
		else if (el.tagName === 'SELECT') {
			const o = [...el.options].find(o => o.value === v) || [...el.options].find(o => o.textContent.trim() === v);
			if (!o) return 'no option ' + v;
			el.value = o.value;
		} else { el.value = v; }
		el.dispatchEvent(new Event('input', {bubbles: true}));
		el.dispatchEvent(new Event('change', {bubbles: true}));
		return 'ok';
	})(%q, %q)`, sel, value))
	if got != "ok" {
		b.t.Fatalf("%s: filling %q: %s", b.name, key, got)
	}
}

// Type types value into the field labelled (or named) key, key by key,
// as a user does (after clearing it).
func (b *Browser) Type(key, value string) {
	b.t.Helper()
	sel := b.control(key)
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Clear(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), value)); err != nil {
		b.t.Fatalf("%s: typing into %q: %v", b.name, key, err)
	}
}

// Upload sets the file field labelled (or named) key to the local file path.
func (b *Browser) Upload(key, path string) {
	b.t.Helper()
	sel := b.control(key)
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(sel), []string{path})); err != nil {
		b.t.Fatalf("%s: uploading %s into %q: %v", b.name, path, key, err)
	}
}

// button is JavaScript returning a selector for the button, submit input
// or link whose visible text (or value) is label.
const button = `((label) => {
	const norm = s => s.replace(/\s+/g, ' ').trim();
	const all = [...document.querySelectorAll('button, input[type=submit], a')];
	const el = all.find(e => norm(e.textContent || e.value || '') === label) ||
		all.find(e => norm(e.textContent || e.value || '').startsWith(label));
	if (!el) return '';
	if (!el.id) el.id = 'e2e-' + Math.random().toString(36).slice(2);
	return '#' + CSS.escape(el.id);
})(%q)`

// Submit clicks the button (or link) reading label, waits for the page it
// leads to and returns its HTTP status.
func (b *Browser) Submit(label string) int {
	b.t.Helper()
	sel := b.Eval(fmt.Sprintf(button, label))
	if sel == "" {
		b.Screenshot("no-button")
		b.t.Fatalf("%s: no button or link %q on %s", b.name, label, b.Path())
	}
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.Screenshot("submit-error")
		b.t.Fatalf("%s: clicking %q: %v", b.name, label, err)
	}
	return b.status(res)
}

// Click clicks the element matching a CSS selector without waiting for
// a page (a button that only runs script).
func (b *Browser) Click(css string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(css))); err != nil {
		b.t.Fatalf("%s: clicking %s: %v", b.name, css, err)
	}
}

// Key types keys (chromedp's notation: "\t" is Tab) into the focused
// element.
func (b *Browser) Key(keys string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(keys)); err != nil {
		b.t.Fatalf("%s: pressing %q: %v", b.name, keys, err)
	}
}

// Text is the visible text of the first element matching a CSS selector,
// "" when there is none (it does not wait for one).
func (b *Browser) Text(css string) string {
	b.t.Helper()
	return b.Eval(fmt.Sprintf(`(document.querySelector(%q) || {innerText: ''}).innerText`, css))
}

// Texts are the visible texts of every element matching a CSS selector.
func (b *Browser) Texts(css string) []string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(`[...document.querySelectorAll(%q)].map(e => e.innerText)`, css)))
	if err != nil {
		b.t.Fatalf("%s: texts of %s: %v", b.name, css, err)
	}
	return v
}

// Body is the visible text of the whole page.
func (b *Browser) Body() string { return b.Text("body") }

// Has fails the test unless the page's visible text contains each of want.
func (b *Browser) Has(want ...string) {
	b.t.Helper()
	body := b.Body()
	for _, w := range want {
		if !strings.Contains(body, w) {
			b.Screenshot("missing")
			b.t.Fatalf("%s: %s does not show %q; it shows:\n%s", b.name, b.Path(), w, tail(body, 40))
		}
	}
}

// Lacks fails the test when the page's visible text contains one of bad.
func (b *Browser) Lacks(bad ...string) {
	b.t.Helper()
	body := b.Body()
	for _, w := range bad {
		if strings.Contains(body, w) {
			b.Screenshot("unexpected")
			b.t.Errorf("%s: %s shows %q", b.name, b.Path(), w)
		}
	}
}

// Fetch downloads path from the page with the browser's cookies (a file
// link such as the rejects file) and returns its status and body text.
func (b *Browser) Fetch(path string) (int, string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	type answer struct {
		Status int    `json:"status"`
		Body   string `json:"body"`
	}
	v, err := chromedp.Run(ctx, chromedp.Evaluate[answer](fmt.Sprintf(
		`fetch(%q, {credentials: 'same-origin'}).then(async r => ({status: r.status, body: await r.text()}))`, path),
		chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("%s: fetching %s: %v", b.name, path, err)
	}
	return v.Status, v.Body
}

// Cookie is the value of a cookie the page's script can read ("" for an
// HttpOnly one or none).
func (b *Browser) Cookie(name string) string {
	return b.Eval(fmt.Sprintf(`(document.cookie.split('; ').find(c => c.startsWith(%q + '=')) || '').slice(%d)`, name, len(name)+1))
}

// Login signs in on /login as user and fails unless the console opens.
func (b *Browser) Login(user, password string) {
	b.t.Helper()
	b.Visit("/login")
	b.Fill("username", user)
	b.Fill("password", password)
	st := b.SubmitForm("form")
	if st != http.StatusOK || strings.HasPrefix(b.Path(), "/login") {
		b.t.Fatalf("%s: login as %s: status %d at %s:\n%s", b.name, user, st, b.Path(), tail(b.Body(), 20))
	}
}

// SubmitForm submits the first form matching css through its first submit
// button and returns the status of the page it leads to.
func (b *Browser) SubmitForm(css string) int {
	b.t.Helper()
	sel := b.Eval(fmt.Sprintf(`((f) => {
		const el = f && f.querySelector('button:not([type=button]), input[type=submit]');
		if (!el) return '';
		if (!el.id) el.id = 'e2e-' + Math.random().toString(36).slice(2);
		return '#' + CSS.escape(el.id);
	})(document.querySelector(%q))`, css))
	if sel == "" {
		b.t.Fatalf("%s: no form %s with a submit button on %s", b.name, css, b.Path())
	}
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("%s: submitting %s: %v", b.name, css, err)
	}
	return b.status(res)
}

// status records the status of the document a navigation loaded; a
// navigation that loaded no document (a script wrote the page) is 0.
func (b *Browser) status(res *network.Response) int {
	b.last = 0
	if res != nil {
		b.last = int(res.Status)
	}
	return b.last
}

// ClickUntil clicks the element matching css and waits until the
// JavaScript condition done holds (a page a script writes, such as the
// answer of an upload sent with a progress bar, loads no document that
// Submit could wait for).
func (b *Browser) ClickUntil(css, done string) {
	b.t.Helper()
	b.Click(css)
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := b.step()
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!(`+done+`)`))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			b.Screenshot("timeout")
			b.t.Fatalf("%s: after clicking %s, %s never held (last error %v)", b.name, css, done, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Screenshot saves a full-page PNG as <test>-<user>-<viewport>-<n>-<name>.png
// in the artifacts directory and returns its path ("" if the browser is
// gone). It never fails the test: it runs on failure paths.
func (b *Browser) Screenshot(name string) string {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			b.t.Logf("%s: screenshot %s: %v", b.name, name, err)
		}
		return ""
	}
	b.shots++
	file := unsafeName.ReplaceAllString(fmt.Sprintf("%s-%s-%s-%02d-%s.png", b.t.Name(), b.name, b.vp.Name, b.shots, name), "_")
	path := filepath.Join(artifactsDir(b.t), file)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Logf("writing %s: %v", path, err)
		return ""
	}
	return path
}

// Document takes a screenshot and, with -update-screenshots, copies it to
// docs/screenshots/<name>.png for the README's "Screens".
func (b *Browser) Document(name string) {
	b.t.Helper()
	path := b.Screenshot(name)
	if !*updateScreenshots || path == "" {
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.t.Fatal(err)
	}
	dst := filepath.Join(repoRoot, "docs", "screenshots", name+".png")
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// TestBrowserHarness checks the harness itself on a page every deployment
// serves: Chromium starts, loads /login at both sizes, finds the fields by
// name and takes screenshots.
func TestBrowserHarness(t *testing.T) {
	NeedBrowser(t)
	h := Start(t, sqliteOnly(t))
	for _, vp := range []Viewport{Phone, Desktop} {
		t.Run(vp.Name, func(t *testing.T) {
			b := NewBrowser(t, h, "anon", vp)
			if st := b.Visit("/login"); st != http.StatusOK {
				t.Fatalf("GET /login: %d", st)
			}
			if lang := b.Eval(`document.documentElement.lang`); lang != "id" {
				t.Errorf("<html lang=%q>, want id", lang)
			}
			b.control("username")
			b.control("password")
			if w := b.Eval(`String(document.documentElement.scrollWidth)`); vp.Mobile && w != "360" {
				t.Errorf("the login page is %s px wide at 360 px: it scrolls sideways", w)
			}
			if p := b.Screenshot("login"); p == "" {
				t.Error("no screenshot")
			} else if fi, err := os.Stat(p); err != nil || fi.Size() < 1000 {
				t.Errorf("screenshot %s: %v", p, err)
			}
		})
	}
}

// sqliteOnly is the SQLite backend: the browser tests exercise screens,
// which do not differ by database (the API tests run both).
func sqliteOnly(t *testing.T) storetest.Backend {
	return storetest.Backends(t)[0]
}
