package e2e

// The proof of issue 12, through the real balai binary, the population
// plugin and Chromium: a deployment set up from the browser, a village
// clerk's day (a family, a birth, an import with a bad row), the CSRF and
// origin defences, and a viewer who sees NIKs masked.

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

const (
	proofVillage = villageA // Kumantan, Bangkinang Kota, Kampar
	headNIK      = "1401011503800001"
	familyKK     = "1401012001150001"
	wifeNIK      = "1401014508850002"
)

// popPage is the console address of a population page in the village.
func popPage(path string) string { return "/console/" + proofVillage + "/m/population" + path }

func TestBrowserConsoleProof(t *testing.T) {
	NeedBrowser(t)
	EachBackend(t, browserProof)
}

func browserProof(t *testing.T, backend storetest.Backend) {
	start := time.Now()
	h := NewHost(t, backend)
	h.Serve(t, "--plugins", PluginDir(t, "population"))

	// 1. The admin sets the empty deployment up: Riau, Kampar, import,
	// population enabled.
	admin := NewBrowser(t, h, "admin", Desktop)
	admin.Login("admin", AdminPassword)
	if p := admin.Path(); !strings.HasPrefix(p, "/console/setup") {
		t.Fatalf("an empty deployment opens %s, want the setup wizard", p)
	}
	admin.Document("setup")
	admin.Fill("province", "14")
	admin.SubmitForm("#setup-province-form")
	admin.Fill("regency", "14.01")
	if st := admin.SubmitForm("#setup-regency-form"); st != http.StatusOK {
		t.Fatalf("starting the import: %d", st)
	}
	job := admin.Path()
	deadline := time.Now().Add(90 * time.Second)
	for admin.Eval(`document.querySelector('#job-next') ? 'done' : (document.querySelector('#job-error') ? 'error' : '')`) == "" {
		if time.Now().After(deadline) {
			t.Fatalf("the region import did not finish: %s", admin.Body())
		}
		time.Sleep(300 * time.Millisecond)
		admin.Visit(job)
	}
	admin.Submit(admin.Text("#job-next"))
	if admin.Eval(`String(!!document.querySelector('#setup-module-population') && document.querySelector('#setup-module-population').checked)`) != "true" {
		t.Fatalf("the wizard does not offer population, checked: %s", admin.Body())
	}
	admin.SubmitForm("#setup-modules-form")

	// 2. The admin creates the clerk, an operator in one village, and a
	// viewer there.
	for _, u := range []struct{ name, role string }{{"siti-clerk", "operator"}, {"vera-viewer", "viewer"}} {
		admin.Visit("/console/" + proofVillage + "/admin/users")
		admin.Fill("username", u.name)
		admin.Fill("full_name", strings.ToUpper(u.name))
		admin.Fill("password", u.name+"-password-1")
		admin.Fill("role", u.role)
		if st := admin.SubmitForm("#user-create-form"); st != http.StatusOK {
			t.Fatalf("creating %s: %d %s", u.name, st, admin.Body())
		}
		admin.Has(u.name)
	}

	// 3. The clerk, on her phone, sees only her village.
	clerk := NewBrowser(t, h, "clerk", Phone)
	clerk.Login("siti-clerk", "siti-clerk-password-1")
	if p := clerk.Path(); !strings.HasPrefix(p, "/console/"+proofVillage+"/") {
		t.Fatalf("the clerk lands on %s, want her village's dashboard", p)
	}
	clerk.Has("Penduduk", "Keluarga", "Impor", "Statistik")
	if st := clerk.Visit("/console/" + villageB + "/m/population/residents"); st != http.StatusForbidden && st != http.StatusNotFound {
		t.Errorf("the clerk opens another village's residents: %d", st)
	}
	if n := clerk.Eval(`String([...document.querySelectorAll('select option, nav a')].filter(e => /14\.01\.02/.test(e.value || e.getAttribute('href') || '')).length)`); n != "0" {
		t.Errorf("the clerk's console offers another village (%s entries)", n)
	}

	// 4. She registers a family: the KK and its head, then a member added
	// on the same page; a mistake is shown beside its field, values kept.
	clerk.Visit(popPage("/families/new"))
	// The keyboard moves through the form in order.
	clerk.Click("#f-kk")
	clerk.Key("\t")
	if id := clerk.Eval(`document.activeElement.id`); id != "f-address" {
		t.Errorf("Tab from the KK goes to %q, want the address", id)
	}
	clerk.Fill("kk", familyKK)
	clerk.Fill("address", "Jl. Lintas Timur")
	clerk.Fill("rt", "1")
	clerk.Fill("rw", "2x") // wrong too: every mistake is shown at once
	if m := clerk.Eval(`document.querySelector('#f-kk').inputMode + ' ' + document.querySelector('#f-p0-nik').inputMode`); m != "numeric numeric" {
		t.Errorf("the KK and NIK inputs ask no number pad: %q", m)
	}
	clerk.Fill("p0.name", "Budi Santoso")
	clerk.Fill("p0.nik", headNIK)
	clerk.Fill("p0.sex", "L")
	clerk.Fill("p0.birth_date", "1980-03-15")
	if st := clerk.Submit("Tambah anggota"); st != http.StatusOK {
		t.Fatalf("adding a member: %d", st)
	}
	if v := clerk.Eval(`document.querySelector('[name="p0.name"]').value`); v != "Budi Santoso" {
		t.Fatalf("adding a member lost the head's name: %q", v)
	}
	clerk.Fill("p1.name", "Siti Aminah")
	clerk.Fill("p1.nik", wifeNIK)
	clerk.Fill("p1.sex", "L") // wrong: an Istri is a woman
	clerk.Fill("p1.birth_date", "1985-08-05")
	clerk.Fill("p1.relationship", "3")
	if st := clerk.Submit("Simpan keluarga"); st != http.StatusUnprocessableEntity {
		t.Fatalf("a wife registered as a man: %d, want 422", st)
	}
	if e := clerk.Text("#f-p1-relationship-err"); e == "" {
		t.Errorf("no error beside the member's relationship: %s", clerk.Body())
	}
	// Both mistakes at once, each beside its field, in Bahasa Indonesia.
	if e := clerk.Text("#f-rw-err"); !strings.Contains(e, "RW diisi angka") {
		t.Errorf("the RW's error beside it: %q", e)
	}
	clerk.Lacks("must be", "is not a")
	if v := clerk.Eval(`document.querySelector('[name="p1.nik"]').value`); v != wifeNIK {
		t.Errorf("the refused form lost the member's NIK: %q", v)
	}
	clerk.Document("family-new-error")
	if w := clerk.Eval(`String(document.documentElement.scrollWidth)`); w != "360" {
		t.Errorf("the family form is %s px wide on a 360 px phone; too wide: %s", w, clerk.Eval(`[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361).slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id + ':' + Math.round(e.getBoundingClientRect().right)).join(' ')`))
	}
	clerk.Fill("p1.sex", "P")
	clerk.Fill("rw", "2")
	if st := clerk.Submit("Simpan keluarga"); st != http.StatusOK {
		t.Fatalf("saving the family: %d %s", st, clerk.Body())
	}
	clerk.Has("Keluarga terdaftar", "Budi Santoso", "Siti Aminah")
	clerk.Document("residents")

	// 5. She records a birth from the father's record: the KK comes
	// filled in.
	clerk.Submit("Budi Santoso")
	clerk.Has(headNIK, familyKK)
	clerk.Document("resident")
	clerk.Submit("Catat kelahiran anak")
	if v := clerk.Eval(`document.querySelector('[name=kk]').value`); v != familyKK {
		t.Errorf("the birth form's KK is %q, want the father's", v)
	}
	clerk.Fill("name", "Putri Budi")
	clerk.Fill("sex", "P")
	clerk.Fill("place", "Bangkinang")
	if st := clerk.Submit("Simpan kelahiran"); st != http.StatusOK {
		t.Fatalf("recording the birth: %d %s", st, clerk.Body())
	}
	clerk.Has("Kelahiran tercatat", "Putri Budi")
	clerk.Submit("Kartu keluarga")
	clerk.Has("Budi Santoso", "Siti Aminah", "Putri Budi")
	clerk.Document("family-card")

	// 6. She imports a file with a bad row and downloads the rejected rows.
	csv := filepath.Join(t.TempDir(), "penduduk.csv")
	if err := os.WriteFile(csv, []byte("nik,kk,name,sex,birth_date,relationship\n"+
		"1401012302900004,1401012001150002,Rudi Hartono,L,1990-02-23,1\n"+
		"1401012302900005,1401012001150002,Baris Salah,X,1990-02-23,4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	clerk.Visit(popPage("/import"))
	clerk.Upload("file", csv)
	// The host's script sends the file with a progress bar and writes
	// the answer into the page.
	if clerk.Eval(`String(!!document.querySelector('form .b-upload progress.b-progress'))`) != "true" {
		t.Errorf("the import form has no upload progress bar")
	}
	clerk.ClickUntil(`form.b-form button[type=submit]`, `document.querySelector('#rejects-file') || document.querySelector('.b-error')`)
	clerk.Has("Impor selesai", "invalid_sex", "Pilih jenis kelamin")
	if got := clerk.Eval(`[...document.querySelectorAll('.b-dl dd')].map(e => e.innerText.trim()).join(',')`); got != "2,1,0,1" {
		t.Errorf("import counts (read, registered, skipped, rejected) %s, want 2,1,0,1", got)
	}
	clerk.Document("import-result")
	href := clerk.Eval(`document.querySelector('#rejects-file').getAttribute('href')`)
	st, rejects := clerk.Fetch(href)
	if st != http.StatusOK || !strings.Contains(rejects, "Baris Salah") || !strings.Contains(rejects, "alasan") || strings.Contains(rejects, "Rudi Hartono") ||
		!strings.Contains(rejects, "invalid_sex: Pilih jenis kelamin") {
		t.Errorf("rejects file %s: %d\n%s", href, st, rejects)
	}

	// A move out of the deployment, from the imported resident's record.
	clerk.Visit(popPage("/residents?q=Rudi"))
	clerk.Submit("Rudi Hartono")
	clerk.Submit("Catat pindah")
	clerk.Fill("place", "Pekanbaru")
	if st := clerk.Submit("Simpan"); st != http.StatusOK {
		t.Fatalf("recording a move: %d %s", st, clerk.Body())
	}
	clerk.Has("Peristiwa tercatat", "Pindah", "Pindah keluar", "Pekanbaru", "siti-clerk")

	// She finds a family by its KK (posted, not in the URL) and a
	// resident by NIK.
	clerk.Visit(popPage("/families"))
	clerk.Fill("kk", familyKK)
	clerk.Submit("Cari")
	clerk.Has("Budi Santoso", "Siti Aminah", "Putri Budi")
	if strings.Contains(clerk.Path(), familyKK) {
		t.Errorf("the KK went into the URL: %s", clerk.Path())
	}
	clerk.Visit(popPage("/residents?nik=" + wifeNIK))
	clerk.Has("Siti Aminah")
	clerk.Lacks("Budi Santoso")

	// 6b. Everyday corrections: a name's typo, the head's death (asked to
	// confirm first), then the family card asks for a new head, chosen
	// there; an arrival from outside.
	clerk.Visit(popPage("/residents?q=Siti"))
	clerk.Submit("Siti Aminah")
	clerk.Submit("Ubah data")
	clerk.Fill("name", "Siti Aminah Putri")
	if st := clerk.Submit("Simpan perubahan"); st != http.StatusOK {
		t.Fatalf("editing a name: %d %s", st, clerk.Body())
	}
	clerk.Has("Data penduduk disimpan", "Siti Aminah Putri")
	clerk.Visit(popPage("/residents?q=Budi+Santoso"))
	clerk.Submit("Budi Santoso")
	clerk.Submit("Catat kematian")
	if clerk.Eval(`String(!!document.querySelector('form[data-confirm]'))`) != "true" {
		t.Errorf("the death form asks no confirmation: %s", clerk.Body())
	}
	clerk.Eval(`window.confirm = () => true, ''`)
	if st := clerk.Submit("Simpan"); st != http.StatusOK {
		t.Fatalf("recording the head's death: %d %s", st, clerk.Body())
	}
	clerk.Has("Kematian tercatat", "Meninggal")
	clerk.Visit(popPage("/residents?q=Siti"))
	clerk.Submit("Siti Aminah Putri")
	clerk.Submit("Kartu keluarga")
	clerk.Has("Jl. Lintas Timur", "tidak punya kepala keluarga")
	if st := clerk.Visit(clerk.Eval(`new URL(document.querySelector('#choose-head').href).pathname`)); st != http.StatusOK {
		t.Fatalf("the choose-a-head link: %d", st)
	}
	clerk.Eval(`(() => { const s = document.querySelector('[name=head_id]'); s.value = [...s.options].find(o => /Siti/.test(o.text)).value; return '' })()`)
	if st := clerk.Submit("Simpan kepala keluarga"); st != http.StatusOK {
		t.Fatalf("choosing a new head: %d %s", st, clerk.Body())
	}
	clerk.Has("Kepala keluarga diganti")
	clerk.Lacks("tidak punya kepala keluarga")
	clerk.Visit(popPage("/arrivals/new"))
	clerk.Fill("origin", "Kota Pekanbaru")
	clerk.Fill("name", "Joko Pendatang")
	clerk.Fill("nik", "1471011203900005")
	clerk.Fill("kk", "1401012001260002")
	clerk.Fill("sex", "L")
	clerk.Fill("birth_date", "1990-03-12")
	clerk.Fill("relationship", "1")
	if st := clerk.Submit("Simpan kedatangan"); st != http.StatusOK {
		t.Fatalf("recording an arrival: %d %s", st, clerk.Body())
	}
	clerk.Has("Kedatangan tercatat", "Pindah masuk", "Kota Pekanbaru")

	// 7. Statistics as charts.
	clerk.Visit(popPage("/stats"))
	if clerk.Eval(`String(!!document.querySelector('.b-chart svg'))`) != "true" {
		t.Errorf("no SVG chart on the statistics page")
	}
	clerk.Document("stats")
	clerk.Visit(popPage("/stats?by=age"))
	if w := clerk.Eval(`String(document.documentElement.scrollWidth)`); w != "360" {
		t.Errorf("the statistics by age are %s px wide on a 360 px phone", w)
	}
	clerk.Lacks("unknown")

	// 8. A form without its CSRF token, or from another site, is refused.
	token := clerk.Eval(`(document.querySelector('input[name=csrf_token]') || {}).value || ''`)
	if token == "" {
		t.Fatal("the statistics page's forms carry no csrf_token")
	}
	jar := clerk.Cookies()
	post := func(form url.Values, origin string) int {
		req, _ := http.NewRequest("POST", h.URL+popPage("/births/new"), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range jar {
			req.AddCookie(c)
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
			req.Header.Set("Sec-Fetch-Site", "cross-site")
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	birth := url.Values{"kk": {familyKK}, "name": {"Tanpa Token"}, "sex": {"L"}, "date": {time.Now().Format(time.DateOnly)}}
	if st := post(birth, ""); st != http.StatusForbidden {
		t.Errorf("a form without its CSRF token: %d, want 403", st)
	}
	birth.Set("csrf_token", token)
	if st := post(birth, "http://evil.example"); st != http.StatusForbidden {
		t.Errorf("a form from another origin: %d, want 403", st)
	}

	// 9. The viewer sees the register with NIKs masked, and no write.
	viewer := NewBrowser(t, h, "viewer", Desktop)
	viewer.Login("vera-viewer", "vera-viewer-password-1")
	viewer.Visit(popPage("/residents"))
	viewer.Has("Budi Santoso", "1401**********01")
	viewer.Lacks(headNIK, wifeNIK, "Daftarkan keluarga")
	viewer.Document("residents-viewer")
	if st := viewer.Visit(popPage("/families/new")); st != http.StatusForbidden {
		t.Errorf("the viewer opens the family form: %d", st)
	}
	// The screens speak English when the user switches.
	viewer.Visit("/console/lang?l=en&next=" + url.QueryEscape(popPage("/residents")))
	if h1 := viewer.Text("h1"); h1 != "Residents" {
		t.Errorf("the residents page in English is titled %q", h1)
	}
	viewer.Has("Budi Santoso", "Male")
	if d := time.Since(start); d > 3*time.Minute {
		t.Errorf("the browser proof took %v: keep it under 3 minutes", d)
	}
}

// Cookies are the browser's cookies for the host, HttpOnly ones included
// (read through the DevTools protocol), for a plain HTTP client that acts
// as this user.
func (b *Browser) Cookies() []*http.Cookie {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.Action[network.GetCookiesResult](func(ctx context.Context, t *chromedp.Target) (network.GetCookiesResult, error) {
		return cdp.Call(ctx, t, network.GetCookies, network.GetCookiesParams{URLs: []string{b.h.URL}})
	}))
	cs := res.Cookies
	if err != nil {
		b.t.Fatalf("%s: reading cookies: %v", b.name, err)
	}
	out := make([]*http.Cookie, 0, len(cs))
	for _, c := range cs {
		out = append(out, &http.Cookie{Name: c.Name, Value: c.Value})
	}
	return out
}
