package e2e

// The disaster module's main journey through the real balai binary, the
// population and disaster plugins and Chromium: a citizen reports a flood
// from her phone and follows it by its code; the village clerk verifies
// it, assesses its impact from the population register and moves the
// response on; the district's dashboard shows the notice and the regency
// screen its row; the public sees the disaster on the regency's home and
// its page, without the reporter.

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/storetest"
)

func TestBrowserDisasterJourney(t *testing.T) {
	NeedBrowser(t)
	EachBackend(t, browserDisasterJourney)
}

func browserDisasterJourney(t *testing.T, backend storetest.Backend) {
	w := startDisaster(t, backend)
	base := "/" + villageA + "/disaster"

	// 1. The citizen reports from her phone; a mistyped phone number is
	// refused beside its field and the form keeps what she wrote.
	citizen := NewBrowser(t, w.h, "citizen", Phone)
	if st := citizen.Visit(base + "/lapor"); st != http.StatusOK {
		t.Fatalf("the public report page: %d %s", st, citizen.Body())
	}
	publicPageChecks(t, citizen)
	citizen.Fill("type", "flood")
	citizen.Fill("occurred_time", "00:05")
	citizen.Fill("dusun", "Dusun II")
	citizen.Fill("Uraian kejadian", "Sungai Kampar meluap, air masuk ke 30 rumah di RT 002")
	citizen.Fill("reporter_name", "Rahmat Hidayat")
	citizen.Fill("reporter_phone", "0812")
	// The form is multipart (it takes a photo): the harness sees no status
	// for such a navigation (0), so the page itself is checked.
	if st := citizen.Submit("Kirim laporan"); st != http.StatusUnprocessableEntity && st != 0 {
		t.Fatalf("a short phone number: %d, want 422", st)
	}
	citizen.Has("Nomor HP tidak valid")
	if v := citizen.Eval(`document.querySelector('textarea[name="description"]').value`); !strings.HasPrefix(v, "Sungai Kampar meluap") {
		t.Errorf("the refused form lost the description: %q", v)
	}
	citizen.Fill("reporter_phone", "081277778888")
	photo := filepath.Join(t.TempDir(), "banjir.png")
	if err := os.WriteFile(photo, disPNG(t), 0o644); err != nil {
		t.Fatal(err)
	}
	citizen.Upload("photo", photo)
	if st := citizen.Submit("Kirim laporan"); st != http.StatusOK && st != 0 {
		t.Fatalf("sending the report: %d %s", st, citizen.Body())
	}
	track := citizen.Path()
	code, ok := strings.CutPrefix(track, base+"/lacak/")
	code, _, _ = strings.Cut(code, "?")
	if !ok || len(code) != 14 {
		t.Fatalf("the report leads to %s, want its tracking page", track)
	}
	citizen.Has("Simpan kode pelacakan", code, "Dilaporkan")
	citizen.Lacks("Foto tidak tersimpan")
	publicPageChecks(t, citizen)
	citizen.Document("disaster-tracking")
	// Not public before verification.
	citizen.Visit(base + "/kejadian")
	citizen.Has("Belum ada kejadian bencana terverifikasi")

	// 2. The clerk sees it waiting on the dashboard, verifies it after
	// calling back, assesses the impact and starts the emergency response.
	clerk := NewBrowser(t, w.h, "clerk", Desktop)
	clerk.Login("op-a", "op-a-password-1")
	clerk.Visit("/console/" + villageA + "/")
	clerk.Has("Bencana aktif", "Tidak ada bencana aktif", "1 laporan menunggu verifikasi")
	clerk.Visit("/console/" + villageA + "/m/disaster/reports?status=reported")
	link := clerk.Eval(`document.querySelector('.b-table a').getAttribute('href')`)
	if !strings.HasPrefix(link, "/console/"+villageA+"/m/disaster/reports/") {
		t.Fatalf("the list's first link: %q", link)
	}
	clerk.Visit(link)
	clerk.Has("Rahmat Hidayat", "081277778888", "Dilaporkan")
	clerk.Fill("note", "Ditelepon balik, dicek ke lokasi")
	if st := clerk.Submit("Verifikasi laporan"); st != http.StatusOK {
		t.Fatalf("verifying: %d %s", st, clerk.Body())
	}
	clerk.Has("Laporan diverifikasi dan diterbitkan", "Terverifikasi")
	clerk.Fill("displaced", "120")
	clerk.Fill("houses_light", "25")
	clerk.Fill("kk", "1401012001159999")
	if st := clerk.Submit("Simpan kaji dampak"); st != http.StatusUnprocessableEntity {
		t.Fatalf("an unknown KK: %d, want 422", st)
	}
	clerk.Has("KK tidak ada dalam data kependudukan desa")
	clerk.Fill("kk", budi["kk"])
	clerk.Fill("nik", disDewi["nik"])
	if st := clerk.Submit("Simpan kaji dampak"); st != http.StatusOK {
		t.Fatalf("saving the impact: %d %s", st, clerk.Body())
	}
	clerk.Has("Kaji dampak disimpan", "2 KK", "3 jiwa", "120")
	clerk.Fill("status", "emergency_response")
	clerk.Fill("note", "Posko di balai desa")
	if st := clerk.Submit("Ubah status"); st != http.StatusOK {
		t.Fatalf("changing the status: %d %s", st, clerk.Body())
	}
	clerk.Has("Tanggap darurat")
	clerk.Fill("kind", "need")
	clerk.Fill("text", "Beras untuk pengungsi")
	clerk.Fill("quantity", "500")
	clerk.Fill("unit", "kg")
	if st := clerk.Submit("Tambah"); st != http.StatusOK {
		t.Fatalf("logging a need: %d %s", st, clerk.Body())
	}
	clerk.Has("Catatan ditambahkan", "Beras untuk pengungsi (500 kg)")
	clerk.Document("disaster-report")

	// 3. The district and regency see it at once: the dashboard notice
	// and the regency's screen, one row per village.
	kab := NewBrowser(t, w.h, "regency", Desktop)
	kab.Login("kampar-admin", "kampar-admin-password-1")
	kab.Visit("/console/14.01.01/")
	kab.Has("Bencana aktif", "1 bencana sedang ditangani", "Banjir")
	kab.Visit("/console/14.01/m/disaster/regions")
	kab.Has("Rekap bencana per desa", villageA, villageA2, "120")
	if rows := kab.Eval(`String(document.querySelectorAll('.b-table tbody tr').length)`); rows == "1" || rows == "0" {
		t.Errorf("the regency screen has %s rows, want every village", rows)
	}
	kab.Document("disaster-regions")

	// 4. The public: the regency home's widget, the list and the page,
	// with the impact and the needs but never the reporter.
	pub := NewBrowser(t, w.h, "public", Phone)
	if st := pub.Visit("/14.01/"); st != http.StatusOK {
		t.Fatalf("regency home: %d", st)
	}
	pub.Has("1 bencana sedang ditangani", "Banjir")
	publicPageChecks(t, pub)
	if st := pub.Submit("Banjir, "); st != http.StatusOK {
		t.Fatalf("opening the disaster from the regency home: %d", st)
	}
	pub.Has("Tanggap darurat", "Sungai Kampar meluap", "Mengungsi", "120", "Beras untuk pengungsi")
	thumb := pub.Eval(`[...document.querySelectorAll('#report-photos img')].map(i => i.getAttribute('src')).join(' ')`)
	if !strings.HasSuffix(thumb, "/thumb") || strings.Contains(thumb, " ") {
		t.Fatalf("the public page's photos: %q, want one thumbnail", thumb)
	}
	if st, body := pub.Fetch(thumb); st != http.StatusOK || len(body) < 500 {
		t.Errorf("the thumbnail %s: %d %.8q", thumb, st, body)
	}
	if og := pub.Eval(`document.querySelector('meta[property="og:image"]').content`); !strings.Contains(og, "/photos/") {
		t.Errorf("og:image %q is not the report's photo", og)
	}
	pub.Lacks("Rahmat", "0812", budi["kk"], disDewi["nik"], "op-a")
	publicPageChecks(t, pub)
	pub.Document("disaster-public")
	citizen.Visit(track)
	citizen.Has("Tanggap darurat", "Lihat halaman kejadian")
}

// disPNG is a 1200 x 800 picture, as a phone's photo might be.
func disPNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 1200, 800))
	for x := range 1200 {
		for y := 400; y < 800; y++ {
			img.Set(x, y, color.RGBA{60, 90, 160, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
