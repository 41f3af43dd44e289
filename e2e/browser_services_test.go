package e2e

// Issue 13 items 2 and 4 through the real balai binary, the population
// and services plugins and Chromium: a citizen requests a letter on the
// village's public page from her phone and follows it by its code; the
// clerk approves and issues it in the console; a viewer sees the request
// masked; the citizen's tracking page shows the letter issued and its
// verification page (and the QR code's link) opens.

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/storetest"
)

func TestBrowserServicesJourney(t *testing.T) {
	NeedBrowser(t)
	EachBackend(t, browserServicesJourney)
}

// publicPageChecks fails the test when the citizen's page is wider than
// the phone, weighs more than 150 KB transferred, or fetched anything from
// another host.
func publicPageChecks(t *testing.T, b *Browser) {
	t.Helper()
	if w := b.Eval(`String(document.documentElement.scrollWidth)`); w != "360" {
		t.Errorf("%s is %s px wide on a 360 px phone; too wide: %s", b.Path(), w, b.Eval(`[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361).slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id + ':' + Math.round(e.getBoundingClientRect().right)).join(' ')`))
	}
	weight, _ := strconv.Atoi(b.Eval(`String(performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).reduce((a, e) => a + (e.transferSize || e.encodedBodySize || 0), 0))`))
	if weight <= 0 || weight > 150<<10 {
		t.Errorf("%s weighs %d bytes transferred (limit 150 KB)", b.Path(), weight)
	}
	if other := b.Eval(`performance.getEntriesByType('resource').map(e => e.name).filter(u => !u.startsWith(location.origin)).join(' ')`); other != "" {
		t.Errorf("%s fetched from another host: %s", b.Path(), other)
	}
	if lang := b.Eval(`document.documentElement.lang`); lang != "id" {
		t.Errorf("%s has lang %q", b.Path(), lang)
	}
}

func browserServicesJourney(t *testing.T, backend storetest.Backend) {
	w := servicesWorld(t, backend)
	base := "/" + villageA + "/services"

	// 1. The citizen, on her phone, asks for a domicile letter. A wrong
	// mother's name is refused without saying which part was wrong, and
	// the form keeps what she typed.
	citizen := NewBrowser(t, w.h, "citizen", Phone)
	if st := citizen.Visit(base + "/request"); st != http.StatusOK {
		t.Fatalf("the public request page: %d %s", st, citizen.Body())
	}
	publicPageChecks(t, citizen)
	citizen.Submit("Surat Keterangan Domisili")
	citizen.Fill("nik", budi["nik"])
	citizen.Fill("kk", budi["kk"])
	citizen.Fill("mother_name", "Siti Salah")
	citizen.Fill("purpose", "Melamar pekerjaan")
	if st := citizen.Submit("Kirim permohonan"); st != http.StatusUnprocessableEntity {
		t.Fatalf("a wrong mother's name: %d, want 422", st)
	}
	citizen.Has("Data tidak cocok")
	if v := citizen.Eval(`document.querySelector('[name="purpose"]').value`); v != "Melamar pekerjaan" {
		t.Errorf("the refused form lost the purpose: %q", v)
	}
	citizen.Fill("mother_name", budi["mother_name"])
	if st := citizen.Submit("Kirim permohonan"); st != http.StatusOK {
		t.Fatalf("sending the request: %d %s", st, citizen.Body())
	}
	track := citizen.Path()
	code, ok := strings.CutPrefix(track, base+"/track/")
	if !ok || len(code) != 26 {
		t.Fatalf("the request leads to %s, want its tracking page", track)
	}
	citizen.Has("Simpan kode pelacakan", code, "Menunggu")
	citizen.Lacks(budi["nik"], budi["kk"])
	publicPageChecks(t, citizen)
	citizen.Screenshot("tracking-submitted")

	// 2. Later she looks it up by its code.
	citizen.Visit(base + "/track")
	citizen.Fill("code", strings.ToLower(code))
	if st := citizen.Submit("Lacak"); st != http.StatusOK || citizen.Path() != track {
		t.Fatalf("looking the code up: %d at %s", st, citizen.Path())
	}

	// 3. The clerk finds it in the queue of waiting requests, approves and
	// issues it, and prints the PDF.
	clerk := NewBrowser(t, w.h, "clerk", Desktop)
	clerk.Login("op-a", "op-a-password-1")
	clerk.Visit("/console/" + villageA + "/")
	clerk.Has("Layanan Surat", "permohonan menunggu keputusan")
	clerk.Visit("/console/" + villageA + "/m/services/requests?state=submitted")
	clerk.Has("Budi Santoso", budi["nik"], "Menunggu")
	req := clerk.Eval(`document.querySelector('.b-table a').getAttribute('href')`)
	if !strings.HasPrefix(req, "/console/"+villageA+"/m/services/requests/") {
		t.Fatalf("the queue's first link: %q", req)
	}
	clerk.Visit(req)
	clerk.Has("Jl. Lintas Timur", "Daring") // the operator sees the resident's data
	if st := clerk.Submit("Setujui dan beri nomor"); st != http.StatusOK {
		t.Fatalf("approving: %d %s", st, clerk.Body())
	}
	clerk.Has("Permohonan disetujui", "Disetujui", "Nomor surat")
	clerk.Lacks("Cetak PDF") // printed once issued
	if st := clerk.Submit("Tandai diterbitkan"); st != http.StatusOK {
		t.Fatalf("issuing: %d %s", st, clerk.Body())
	}
	clerk.Has("Surat ditandai diterbitkan", "Diterbitkan")
	clerk.Screenshot("request-issued")
	pdf := clerk.Eval(`[...document.querySelectorAll('a')].find(a => a.textContent.trim() === 'Cetak PDF').getAttribute('href')`)
	if st, body := clerk.Fetch(pdf); st != http.StatusOK || !strings.HasPrefix(body, "%PDF") {
		t.Errorf("printing %s: %d %.20q", pdf, st, body)
	}

	// The clerk registers a request at the counter for a resident who
	// came in, and rejects it with a reason, through the confirmation
	// page a browser without script gets.
	clerk.Visit("/console/" + villageA + "/m/services/requests/new")
	clerk.Submit("Surat Keterangan Usaha")
	clerk.Fill("nik", budi["nik"])
	clerk.Fill("purpose", "Kredit usaha")
	clerk.Fill("fields.business_name", "Warung Budi")
	if st := clerk.Submit("Catat permohonan"); st != http.StatusUnprocessableEntity {
		t.Fatalf("a request without its required fields: %d, want 422", st)
	}
	if v := clerk.Eval(`document.querySelector('[name="fields.business_name"]').value`); v != "Warung Budi" {
		t.Errorf("the refused counter form lost a field: %q", v)
	}
	clerk.Fill("fields.business_kind", "Warung makan")
	clerk.Fill("fields.business_address", "Jl. Lintas Timur No. 7")
	if st := clerk.Submit("Catat permohonan"); st != http.StatusOK {
		t.Fatalf("registering at the counter: %d %s", st, clerk.Body())
	}
	clerk.Has("dicatat", "Surat Keterangan Usaha", "Loket", "Warung Budi")
	// The regency requires a second person to approve: the clerk who
	// registered the request is refused on its page, with the reason.
	w.district.Do(t, "PUT", p("14.01", "services", "/settings"), map[string]any{"four_eyes": true}).Expect(http.StatusOK)
	if st := clerk.Submit("Setujui dan beri nomor"); st != http.StatusForbidden {
		t.Fatalf("approving one's own request under four eyes: %d, want 403", st)
	}
	clerk.Has("prinsip empat mata", "Menunggu")
	clerk.Fill("reason", "Usaha belum terdaftar di desa")
	clerk.Eval(`(document.querySelector('form[data-confirm]') || {}).removeAttribute && document.querySelector('form[data-confirm]').removeAttribute('data-confirm'), ''`)
	if st := clerk.Submit("Tolak"); st != http.StatusOK {
		t.Fatalf("rejecting: %d", st)
	}
	clerk.Has("Tolak permohonan ini?")
	if st := clerk.Submit("Ya, lanjutkan"); st != http.StatusOK {
		t.Fatalf("confirming the rejection: %d", st)
	}
	clerk.Has("Permohonan ditolak.", "Ditolak", "Usaha belum terdaftar di desa")
	clerk.Visit("/console/" + villageA + "/m/services/requests?state=rejected")
	if rows := clerk.Eval(`[...document.querySelectorAll('.b-table tbody tr')].map(tr => tr.textContent).join('|')`); !strings.Contains(rows, "Surat Keterangan Usaha") || strings.Contains(rows, "Domisili") {
		t.Errorf("the rejected tab's rows: %s", rows)
	}

	// The village's admin, on a phone, sets the signatory and previews a
	// letter's wording with sample data (no script involved).
	admin := NewBrowser(t, w.h, "admin", Phone)
	admin.Login("admin", AdminPassword)
	admin.Visit("/console/" + villageA + "/m/services/settings")
	admin.Fill("signatory_name", "H. Syamsuar")
	admin.Fill("signatory_nip", "197001012000031001")
	admin.Fill("paper", "A4")
	if st := admin.Submit("Simpan"); st != http.StatusOK {
		t.Fatalf("saving the letterhead: %d %s", st, admin.Body())
	}
	admin.Has("Pengaturan kop surat disimpan", "H. Syamsuar", "A4 (210 × 297 mm)")
	admin.Visit("/console/" + villageA + "/m/services/letter-types/sktm")
	admin.Fill("body", "Keluarga {name} berpenghasilan {income} sebulan.")
	if st := admin.Submit("Pratinjau"); st != http.StatusOK {
		t.Fatalf("previewing: %d", st)
	}
	admin.Has("Keluarga BUDI SANTOSO berpenghasilan Rp1.500.000 sebulan.", "H. Syamsuar", "NIP 197001012000031001")
	if wd := admin.Eval(`String(document.documentElement.scrollWidth)`); wd != "360" {
		t.Errorf("the preview is %s px wide on a phone", wd)
	}
	admin.Document("services-letter-preview")

	// 4. A viewer of the village sees the request masked, as the API shows it.
	viewer := NewBrowser(t, w.h, "viewer", Phone)
	viewer.Login("viewer-a", "viewer-a-password-1")
	viewer.Visit(req)
	viewer.Has("1401**********01", "disamarkan")
	viewer.Lacks(budi["nik"], "Jl. Lintas Timur", "Setujui", "Cetak PDF")

	// 5. The citizen's tracking page shows the letter issued, and the
	// verification page opens, as does the link the QR code holds.
	citizen.Visit(track)
	citizen.Has("Diterbitkan", "Surat Anda sudah diterbitkan")
	if st := citizen.Submit("Buka halaman verifikasi surat"); st != http.StatusOK {
		t.Fatalf("the verification page: %d", st)
	}
	citizen.Has("Surat sah", "Surat Keterangan Domisili", "B*** S******")
	citizen.Lacks("Budi Santoso", budi["nik"])
	if v := citizen.Eval(`document.querySelector('#verify-result').dataset.valid`); v != "true" {
		t.Errorf("verification data-valid %q", v)
	}
	publicPageChecks(t, citizen)
	citizen.Document("services-verify")

	verifyURL, _ := w.h.Anon().Do(t, "GET", p(villageA, "services", "/track/"+code), nil).Expect(200).JSON()["verify_url"].(string)
	// The link is the village's public page (the QR code's, decoded
	// from the PDF by TestServices), not the API's.
	if !strings.HasPrefix(verifyURL, w.h.URL+"/"+villageA+"/services/verify/") {
		t.Fatalf("the letter's verification link: %q", verifyURL)
	}
	if st := citizen.Visit(strings.TrimPrefix(verifyURL, w.h.URL)); st != http.StatusOK {
		t.Fatalf("the QR code's link %s: %d", verifyURL, st)
	}
	citizen.Has("Surat sah")
	publicPageChecks(t, citizen)
	// The API's address of the same code, which letters printed before
	// held, still opens a page in a browser.
	if st := citizen.Visit("/api/v1/t/" + villageA + "/services/verify/" + verifyURL[strings.LastIndex(verifyURL, "/")+1:]); st != http.StatusOK {
		t.Fatalf("the API verification link: %d", st)
	}
	citizen.Has("Surat sah")

	// 6. The clerk revokes the letter, confirming with the host's script
	// this time (its confirm() answered yes: one post, confirmed); the
	// verification page says so.
	clerk.Visit(req)
	clerk.Fill("reason", "Salah ketik alamat")
	clerk.Eval(`window.confirm = q => (window.asked = q, true), ''`)
	if st := clerk.Submit("Cabut"); st != http.StatusOK {
		t.Fatalf("revoking: %d", st)
	}
	clerk.Has("Surat dicabut.", "Dicabut", "Salah ketik alamat")
	clerk.Lacks("Ya, lanjutkan")
	citizen.Visit(base + "/verify/" + verifyURL[strings.LastIndex(verifyURL, "/")+1:])
	citizen.Has("Surat tidak berlaku", "DICABUT")
	if v := citizen.Eval(`document.querySelector('#verify-result').dataset.valid`); v != "false" {
		t.Errorf("a revoked letter's data-valid %q", v)
	}
}
