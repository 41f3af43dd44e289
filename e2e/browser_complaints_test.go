package e2e

// The complaints module's main journey through the real balai binary, the
// complaints plugin and Chromium: a citizen sends a complaint with a photo
// from her phone on the village's public page and gets a tracking code; the
// clerk finds it in the console, assigns and answers it; the citizen reads
// the answer and rates it; the published page shows it without her name or
// number; the regency sees its villages in the recap.

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/storetest"
)

func TestBrowserComplaintsJourney(t *testing.T) {
	NeedBrowser(t)
	EachBackend(t, browserComplaintsJourney)
}

func browserComplaintsJourney(t *testing.T, backend storetest.Backend) {
	w := startComplaints(t, backend)
	base := "/" + villageA + "/complaints"
	photo := filepath.Join(t.TempDir(), "jembatan.png")
	if err := os.WriteFile(photo, pngComplaintPhoto, 0o644); err != nil {
		t.Fatal(err)
	}

	// 1. The citizen, on her phone: a too short description is refused
	// and the form keeps what she typed; then it goes through.
	citizen := NewBrowser(t, w.h, "citizen", Phone)
	if st := citizen.Visit(base + "/lapor"); st != http.StatusOK {
		t.Fatalf("the complaint form: %d %s", st, citizen.Body())
	}
	publicPageChecks(t, citizen)
	citizen.Fill("category", "infrastructure")
	citizen.Fill("Uraian pengaduan", "Patah")
	citizen.Fill("place", "RT 03 / RW 01, jembatan ke SD 012")
	citizen.Fill("phone", "0812 7000 1234")
	citizen.Fill("publish", "true")
	// The form carries a file field: the host's script sends it with a
	// progress bar and writes the answer in place.
	citizen.ClickUntil(`form.b-form button[type=submit]`, `document.querySelector('.b-error') && document.querySelector('textarea[name="description"]') && document.readyState === 'complete'`)
	citizen.Has("paling sedikit 10 huruf")
	if v := citizen.Eval(`String(document.querySelector('textarea[name="description"]').value)`); v != "Patah" {
		t.Errorf("the refused form lost the description: %q", v)
	}
	if v := citizen.Eval(`document.querySelector('[name="place"]').value`); v != "RT 03 / RW 01, jembatan ke SD 012" {
		t.Errorf("the refused form lost the place: %q", v)
	}
	citizen.Fill("Uraian pengaduan", "Jembatan kayu di RT 03 patah, anak sekolah harus memutar dua kilometer")
	citizen.Upload("photo", photo)
	citizen.Document("complaints-form")
	citizen.ClickUntil(`form.b-form button[type=submit]`, `document.querySelector('#track-state')`)
	track := citizen.Path()
	code, ok := strings.CutPrefix(track, base+"/track/")
	if !ok || len(code) != 26 {
		t.Fatalf("the complaint leads to %s, want its tracking page", track)
	}
	citizen.Has("Simpan kode pelacakan "+code, "Diterima")
	citizen.Lacks("0812", "081270001234")
	publicPageChecks(t, citizen)

	// 2. The clerk sees it on the list, opens it (with the photo), assigns
	// it and answers it.
	clerk := NewBrowser(t, w.h, "clerk", Desktop)
	clerk.Login("op-a", "op-a-password-1")
	clerk.Visit("/console/" + villageA + "/")
	clerk.Has("Pengaduan", "belum dijawab")
	clerk.Visit("/console/" + villageA + "/m/complaints/complaints")
	clerk.Has("Jembatan kayu", "Diterima")
	link := clerk.Eval(`document.querySelector('.b-table tbody a').getAttribute('href')`)
	if !strings.HasPrefix(link, "/console/"+villageA+"/m/complaints/complaints/") {
		t.Fatalf("the list's first link: %q", link)
	}
	clerk.Visit(link)
	clerk.Has("081270001234", "Lihat foto", "RT 03 / RW 01")
	photoURL := clerk.Eval(`[...document.querySelectorAll('a')].find(a => a.textContent.trim() === 'Lihat foto').getAttribute('href')`)
	if st, body := clerk.Fetch(photoURL); st != http.StatusOK || !strings.Contains(body[:min(8, len(body))], "PNG") {
		t.Errorf("the photo %s: %d", photoURL, st)
	}
	clerk.Fill("official", "Kaur Pembangunan")
	if st := clerk.Submit("Tugaskan"); st != http.StatusOK {
		t.Fatalf("assigning: %d %s", st, clerk.Body())
	}
	clerk.Has("Petugas ditugaskan.", "Diproses", "Kaur Pembangunan")
	if st := clerk.Submit("Kirim jawaban"); st != http.StatusUnprocessableEntity {
		t.Fatalf("an empty answer: %d, want 422", st)
	}
	clerk.Fill("answer", "Jembatan diperbaiki gotong royong hari Sabtu, bahan dari dana desa.")
	if st := clerk.Submit("Kirim jawaban"); st != http.StatusOK {
		t.Fatalf("answering: %d %s", st, clerk.Body())
	}
	clerk.Has("Jawaban dikirim.", "Dijawab", "tepat waktu")
	clerk.Document("complaints-console-answered")

	// 3. The citizen reads the answer and rates it.
	citizen.Visit(track)
	citizen.Has("Dijawab", "Jembatan diperbaiki gotong royong")
	citizen.Fill("rating", "5")
	if st := citizen.Submit("Kirim penilaian"); st != http.StatusOK {
		t.Fatalf("rating: %d %s", st, citizen.Body())
	}
	citizen.Has("Terima kasih atas penilaian Anda", "★★★★★")
	citizen.Lacks("Kirim penilaian")
	publicPageChecks(t, citizen)
	citizen.Document("complaints-tracking")

	// 4. The published page: the complaint and its answer, without her
	// name, number or the clerk.
	citizen.Visit(base + "/published")
	citizen.Has("Jembatan kayu di RT 03", "Jembatan diperbaiki gotong royong", "Median waktu tanggapan")
	citizen.Lacks("0812", "op-a", "Kaur Pembangunan")
	publicPageChecks(t, citizen)
	// The regency home shows the module's widget.
	citizen.Visit("/14.01/")
	citizen.Has("Pengaduan Warga")
	publicPageChecks(t, citizen)

	// 5. The regency's recap: one row per village of Kampar.
	kab := NewBrowser(t, w.h, "regency", Desktop)
	kab.Login("kampar-admin", "kampar-admin-password-1")
	kab.Visit("/console/14.01/m/complaints/recap")
	kab.Has("Rekap pengaduan", "Kumantan", "100%")
	if n := kab.Eval(`String(document.querySelectorAll('.b-table tbody tr').length)`); n < "2" || len(n) < 3 {
		t.Errorf("the recap has %s rows, want one per village of Kampar", n)
	}
	// The district's recap (a dozen villages) is the documented screen.
	kab.Visit("/console/14.01.01/m/complaints/recap")
	kab.Has("Kumantan")
	kab.Document("complaints-district-recap")
}
