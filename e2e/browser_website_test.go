package e2e

// The website's main journey in Chromium through the real balai binary
// and the website plugin: a village clerk writes news in the console (a
// refused form keeps what was typed), uploads its featured image and
// publishes it; a citizen on a 360 px phone finds it on the village's
// site and opens it (light, nothing from another host, the link card
// naming the picture); the village's and the regency's portal homes show
// it in their widgets; the regency sees the roll-up of its villages.

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/storetest"
)

func TestBrowserWebsiteJourney(t *testing.T) {
	NeedBrowser(t)
	EachBackend(t, browserWebsiteJourney)
}

func browserWebsiteJourney(t *testing.T, backend storetest.Backend) {
	w := startPlugins(t, backend, []string{"website"})
	w.enable(t, "14.01", "website", true)
	picture := filepath.Join(t.TempDir(), "parit.png")
	if err := os.WriteFile(picture, websitePNG(t), 0o644); err != nil {
		t.Fatal(err)
	}

	// 1. The clerk writes the news in the console.
	clerk := NewBrowser(t, w.h, "clerk", Desktop)
	clerk.Login("op-a", "op-a-password-1")
	console := "/console/" + villageA + "/m/website"
	if st := clerk.Visit(console + "/manage"); st != http.StatusOK {
		t.Fatalf("the news list: %d %s", st, clerk.Body())
	}
	clerk.Has("Berita Desa", "Belum ada artikel")
	if st := clerk.Submit("Tulis artikel"); st != http.StatusOK {
		t.Fatalf("the writing form: %d", st)
	}
	clerk.Fill("Kategori", "kegiatan")
	clerk.Fill("Ringkasan", "Tiga puluh warga membersihkan parit sepanjang 500 meter.")
	clerk.Fill("Isi", "Warga **Dusun II** bergotong royong membersihkan parit.\n\n- parit\n- jalan desa")
	if st := clerk.Submit("Simpan artikel"); st != http.StatusUnprocessableEntity {
		t.Fatalf("an article without a title: %d, want 422", st)
	}
	clerk.Has("Judul wajib diisi")
	if v := clerk.Eval(`document.querySelector('[name="lead"]').value`); v != "Tiga puluh warga membersihkan parit sepanjang 500 meter." {
		t.Errorf("the refused form lost the lead: %q", v)
	}
	clerk.Fill("Judul", "Gotong Royong Membersihkan Parit Dusun II")
	if st := clerk.Submit("Simpan artikel"); st != http.StatusOK {
		t.Fatalf("saving: %d %s", st, clerk.Body())
	}
	slug := "gotong-royong-membersihkan-parit-dusun-ii"
	if clerk.Path() != console+"/manage/"+slug {
		t.Fatalf("after saving the clerk is at %s", clerk.Path())
	}
	clerk.Has("Artikel disimpan sebagai draf", "Draf", "Dusun II")
	// The featured image, sent with the host's progress bar.
	clerk.Upload("image", picture)
	clerk.ClickUntil(`form[action$="/image"] button[type=submit]`, `(document.querySelector('#flash') || {textContent: ''}).textContent.includes('Gambar utama diunggah')`)
	clerk.Visit(console + "/manage/" + slug)
	if st := clerk.Submit("Terbitkan"); st != http.StatusOK {
		t.Fatalf("publishing: %d %s", st, clerk.Body())
	}
	clerk.Has("Artikel diterbitkan", "Terbit")
	clerk.Document("website-console-article")

	// 2. A citizen on her phone finds it on the village's site.
	citizen := NewBrowser(t, w.h, "citizen", Phone)
	if st := citizen.Visit("/" + villageA + "/website/"); st != http.StatusOK {
		t.Fatalf("the news page: %d", st)
	}
	publicPageChecks(t, citizen)
	citizen.Has("Gotong Royong Membersihkan Parit Dusun II", "Tiga puluh warga")
	if st := citizen.Submit("Gotong Royong Membersihkan Parit Dusun II"); st != http.StatusOK {
		t.Fatalf("opening the article: %d", st)
	}
	if citizen.Path() != "/"+villageA+"/website/articles/"+slug {
		t.Fatalf("the article is at %s", citizen.Path())
	}
	publicPageChecks(t, citizen)
	citizen.Has("Dusun II", "jalan desa", "Kegiatan")
	if b := citizen.Eval(`document.querySelector('.wb-article strong').textContent`); b != "Dusun II" {
		t.Errorf("the Markdown is not rendered: %q", b)
	}
	og := citizen.Eval(`document.querySelector('meta[property="og:image"]').content`)
	if !strings.Contains(og, "/api/v1/t/"+villageA+"/website/articles/"+slug+"/files/") {
		t.Errorf("og:image is %q", og)
	}
	if d := citizen.Eval(`document.querySelector('meta[property="og:description"]').content`); d != "Tiga puluh warga membersihkan parit sepanjang 500 meter." {
		t.Errorf("og:description is %q", d)
	}
	if loaded := citizen.Eval(`String(document.querySelector('figure img').naturalWidth)`); loaded != "320" {
		t.Errorf("the article's picture is %s px wide, want the 320 px thumbnail", loaded)
	}
	citizen.Document("website-article-phone")

	// 3. The portal: the village's home and the regency's.
	citizen.Visit("/" + villageA + "/")
	citizen.Has("Berita Terbaru", "Gotong Royong Membersihkan Parit Dusun II")
	publicPageChecks(t, citizen)
	citizen.Visit("/14.01/")
	citizen.Has("Berita Terbaru", "Gotong Royong Membersihkan Parit Dusun II", "Kumantan")
	publicPageChecks(t, citizen)
	citizen.Screenshot("regency-home")

	// 4. The regency's roll-up of its villages.
	official := NewBrowser(t, w.h, "regency", Desktop)
	official.Login("kampar-admin", "kampar-admin-password-1")
	if st := official.Visit("/console/14.01/m/website/regency"); st != http.StatusOK {
		t.Fatalf("the roll-up: %d", st)
	}
	official.Has("Rekap Berita Desa", "Per kecamatan", "Bangkinang Kota", "Desa tanpa berita 30 hari", "Desa yang pernah menerbitkan berita")
	if n := official.Eval(`String(document.querySelectorAll('.b-table tbody tr').length)`); n != "21" {
		t.Errorf("the roll-up has %s district rows, want Kampar's 21", n)
	}
	if st := official.Submit("Bangkinang Kota"); st != http.StatusOK {
		t.Fatalf("a district's villages: %d", st)
	}
	official.Has("Kumantan", "Ridan Permai", "Semua kecamatan")
	official.Lacks("Batu Belah")
	official.Document("website-regency")
}
