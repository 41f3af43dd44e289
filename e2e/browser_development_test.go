package e2e

// The development module's main journey through the real binary and
// Chromium: the village clerk registers a project and reports its
// progress with photos until it is completed (a 100% report without a
// photo is refused on the form); a citizen on a phone finds it on the
// village's public pages with its photo timeline, light and from this
// host only; the regency reads its roll-up.

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/storetest"
)

func TestBrowserDevelopmentJourney(t *testing.T) {
	NeedBrowser(t)
	EachBackend(t, browserDevelopmentJourney)
}

func browserDevelopmentJourney(t *testing.T, backend storetest.Backend) {
	w := startPlugins(t, backend, []string{"development"})
	w.enable(t, "14.01", "development", true)
	photo := filepath.Join(t.TempDir(), "jalan.png")
	if err := os.WriteFile(photo, devPNG(t), 0o644); err != nil {
		t.Fatal(err)
	}
	// A project of a neighbour village, behind schedule, for the roll-up.
	w.opB.Do(t, "POST", dev(villageB, "/projects"), devProject("Irigasi Tersier Batu Belah", -100, 10, 60_000_000)).Expect(http.StatusCreated)

	// 1. The clerk registers the project; a mistake comes back on the form.
	clerk := NewBrowser(t, w.h, "clerk", Desktop)
	clerk.Login("op-a", "op-a-password-1")
	clerk.Visit("/console/" + villageA + "/m/development/manage")
	if st := clerk.Submit("Tambah proyek"); st != http.StatusOK {
		t.Fatalf("the new project form: %d", st)
	}
	clerk.Fill("name", "Jalan Usaha Tani Dusun Koto")
	clerk.Fill("kind", "road")
	clerk.Fill("location.dusun", "Dusun Koto")
	clerk.Fill("location.rt", "002")
	clerk.Fill("location.rw", "001")
	clerk.Fill("funding_dana_desa", "150.000.000")
	clerk.Fill("funding_swadaya", "7.500.000")
	clerk.Fill("executor", "TPK Desa Kumantan")
	clerk.Fill("executor_lead", "Rahmad Hidayat")
	clerk.Fill("planned_start", devToday(-20))
	clerk.Fill("planned_end", devToday(-30))
	clerk.Fill("volume", "450")
	clerk.Fill("unit", "m")
	if st := clerk.Submit("Simpan proyek"); st != http.StatusUnprocessableEntity {
		t.Fatalf("an end before the start: %d, want 422", st)
	}
	clerk.Has("tidak boleh sebelum tanggal mulai")
	clerk.Fill("planned_end", devToday(70))
	if st := clerk.Submit("Simpan proyek"); st != http.StatusOK {
		t.Fatalf("saving the project: %d %s", st, clerk.Body())
	}
	clerk.Has("Proyek dicatat", "Rp157.500.000", "Rahmad Hidayat", "Direncanakan", "Laporkan progres")
	project := clerk.Path()

	// 2. Progress: 0% with the photo of the site, then 100% refused
	// without its final photo, then with it.
	clerk.Fill("percent", "0")
	clerk.Fill("spent", "0")
	clerk.Fill("notes", "Titik nol pekerjaan")
	clerk.Upload("photo", photo)
	// The form carries a file: the host's script sends it with a progress
	// bar and writes the answer's page, so no document loads to wait for.
	send := `form[data-upload] button[type=submit]`
	clerk.ClickUntil(send, `document.body.textContent.includes('Laporan progres disimpan')`)
	clerk.Has("Berjalan", "Titik nol pekerjaan")
	clerk.Fill("percent", "100")
	clerk.Fill("spent", "155.000.000")
	clerk.ClickUntil(send, `document.body.textContent.includes('wajib disertai foto')`)
	if v := clerk.Eval(`document.querySelector('[name="spent"]').value`); v != "155000000" {
		t.Errorf("the refused report lost its spending: %q", v)
	}
	clerk.Upload("photo", photo)
	clerk.ClickUntil(send, `document.body.textContent.includes('Proyek selesai')`)
	clerk.Has("Selesai", "Rp155.000.000")
	clerk.Lacks("Laporkan progres")
	clerk.Document("development-project")

	// 3. A citizen on a phone finds it on the village's public pages.
	citizen := NewBrowser(t, w.h, "citizen", Phone)
	if st := citizen.Visit("/" + villageA + "/development/"); st != http.StatusOK {
		t.Fatalf("the public list: %d %s", st, citizen.Body())
	}
	citizen.Has("Jalan Usaha Tani Dusun Koto", "Selesai")
	publicPageChecks(t, citizen)
	if st := citizen.Submit("Jalan Usaha Tani Dusun Koto"); st != http.StatusOK {
		t.Fatalf("the project page: %d", st)
	}
	citizen.Has("Foto pekerjaan", "Titik nol pekerjaan", "Rp157.500.000", "100%")
	citizen.Lacks("Rahmad Hidayat", "Laporkan progres")
	if n := citizen.Eval(`String(document.querySelectorAll('main img').length)`); n != "2" {
		t.Errorf("the photo timeline shows %s photos, want 2", n)
	}
	if og := citizen.Eval(`(document.querySelector('meta[property="og:image"]') || {}).content || ''`); !strings.Contains(og, "/development/projects/") {
		t.Errorf("the link card's picture: %q", og)
	}
	publicPageChecks(t, citizen)
	citizen.Document("development-public-project")
	if !strings.HasSuffix(project, "/manage/projects/"+citizen.Path()[strings.LastIndex(citizen.Path(), "/")+1:]) {
		t.Errorf("the public page %s is not the clerk's project %s", citizen.Path(), project)
	}
	// The village's page in the portal shows the module's widget.
	citizen.Visit("/" + villageA + "/")
	citizen.Has("Pembangunan Desa", "Lihat proyek pembangunan")
	publicPageChecks(t, citizen)
	// So does the regency's home (two regencies share this deployment,
	// so "/" chooses), counting every village's projects.
	citizen.Visit("/14.01/")
	citizen.Has("Pembangunan Desa", "2 proyek tahun")
	publicPageChecks(t, citizen)
	if st := citizen.Submit("Lihat proyek pembangunan"); st != http.StatusOK || !strings.HasPrefix(citizen.Path(), "/14.01/development") {
		t.Fatalf("the regency widget's link: %d %s", st, citizen.Path())
	}
	citizen.Has("Jalan Usaha Tani Dusun Koto", "Irigasi Tersier Batu Belah", "Kumantan")
	publicPageChecks(t, citizen)

	// 4. The regency's roll-up: absorption per village, funding sources,
	// and the neighbour's project behind schedule.
	regency := NewBrowser(t, w.h, "regency", Desktop)
	regency.Login("kampar-admin", "kampar-admin-password-1")
	regency.Visit("/console/14.01/m/development/manage")
	regency.Has("Rekap Pembangunan Desa", "Serapan anggaran per desa", "Dana Desa (DD)", "Swadaya Masyarakat", "Irigasi Tersier Batu Belah", "Kumantan")
	regency.Lacks("Tidak ada proyek yang terlambat")
	if first := regency.Eval(`[...document.querySelectorAll('table')].find(t => t.caption && t.caption.textContent.startsWith('Serapan anggaran per desa')).querySelector('tbody tr').textContent`); !strings.Contains(first, "Batu Belah") {
		t.Errorf("the lowest absorption is not first: %q", first)
	}
	// The same screen at a district (a shorter one for the documentation).
	regency.Visit("/console/14.01.01/m/development/manage")
	regency.Has("Rekap Pembangunan Desa", "Kumantan", "Rp157.500.000")
	regency.Document("development-regency")
}
