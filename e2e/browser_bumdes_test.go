package e2e

// The bumdes module's main journey through the real binaries and
// Chromium: the clerk registers the village's enterprise (a malformed
// registration number refused, the form kept), adds a business unit and
// its semester report (a negative revenue refused); a citizen reads the
// enterprise on a phone, light and without another host's assets; the
// village's portal home and the regency's show the widget; the regency
// reads its recap in the console and in public.

import (
	"net/http"
	"testing"

	"github.com/balaidesa/balai/core/storetest"
)

func TestBrowserBumdesJourney(t *testing.T) {
	NeedBrowser(t)
	EachBackend(t, browserBumdesJourney)
}

func browserBumdesJourney(t *testing.T, backend storetest.Backend) {
	w := startPlugins(t, backend, []string{"bumdes"})
	w.enable(t, "14.01", "bumdes", true)
	console := "/console/" + villageA + "/m/bumdes"

	// 1. The clerk registers the enterprise.
	clerk := NewBrowser(t, w.h, "clerk", Desktop)
	clerk.Login("op-a", "op-a-password-1")
	if st := clerk.Visit(console + "/manage"); st != http.StatusOK {
		t.Fatalf("the enterprises page: %d %s", st, clerk.Body())
	}
	clerk.Has("BUMDes", "Belum ada BUMDes terdaftar", "Daftarkan BUM Desa")
	clerk.Fill("Nama BUMDes", "BUM Desa Kumantan Jaya")
	clerk.Fill("registration_number", "AHU-712")
	clerk.Fill("classification", "berkembang")
	clerk.Fill("classification_year", "2025")
	if st := clerk.Submit("Daftarkan"); st != http.StatusUnprocessableEntity {
		t.Fatalf("a malformed registration number: %d", st)
	}
	clerk.Has("AHU-00712.AH.01.33.Tahun 2021")
	if v := clerk.Eval(`document.querySelector('[name="name"]').value`); v != "BUM Desa Kumantan Jaya" {
		t.Errorf("the refused form lost the name: %q", v)
	}
	clerk.Fill("registration_number", "AHU-00712.AH.01.33.Tahun 2021")
	if st := clerk.Submit("Daftarkan"); st != http.StatusOK {
		t.Fatalf("registering: %d %s", st, clerk.Body())
	}
	clerk.Has("BUMDes didaftarkan", "BUM Desa Kumantan Jaya", "AHU-00712.AH.01.33.Tahun 2021", "Berkembang 2025")

	// 2. A unit, then its report.
	clerk.Submit("Tambah unit usaha")
	clerk.Fill("type", "toko")
	clerk.Fill("Nama unit", "Waserda Kumantan")
	clerk.Fill("Nama pengelola", "Eka Putri")
	if st := clerk.Submit("Tambah unit usaha"); st != http.StatusOK {
		t.Fatalf("adding the unit: %d %s", st, clerk.Body())
	}
	clerk.Has("Unit usaha ditambahkan", "Waserda Kumantan", "Eka Putri")
	clerk.Submit("Kirim laporan semester")
	clerk.Fill("unit_id", "Waserda Kumantan")
	clerk.Fill("year", "2026")
	clerk.Fill("semester", "1")
	clerk.Fill("revenue", "-40000000")
	clerk.Fill("costs", "30000000")
	if st := clerk.Submit("Kirim laporan"); st != http.StatusUnprocessableEntity {
		t.Fatalf("a negative revenue: %d", st)
	}
	clerk.Has("Angka tidak boleh negatif")
	clerk.Fill("revenue", "40000000")
	clerk.Fill("pades", "2000000")
	if st := clerk.Submit("Kirim laporan"); st != http.StatusOK {
		t.Fatalf("the report: %d %s", st, clerk.Body())
	}
	clerk.Has("Laporan diterima", "2026-S1", "Rp40.000.000", "Rp10.000.000", "Rp2.000.000")
	clerk.Document("bumdes-enterprise")

	// 3. A citizen reads it on a phone.
	citizen := NewBrowser(t, w.h, "citizen", Phone)
	if st := citizen.Visit("/" + villageA + "/bumdes/"); st != http.StatusOK {
		t.Fatalf("the public list: %d %s", st, citizen.Body())
	}
	publicPageChecks(t, citizen)
	citizen.Has("Badan Usaha Milik Desa", "BUM Desa Kumantan Jaya", "Berkembang 2025")
	if st := citizen.Submit("BUM Desa Kumantan Jaya"); st != http.StatusOK {
		t.Fatalf("the public enterprise: %d %s", st, citizen.Body())
	}
	publicPageChecks(t, citizen)
	citizen.Has("Waserda Kumantan", "Toko / waserda", "Kinerja per tahun", "Rp40.000.000", "Rp2.000.000")
	citizen.Document("bumdes-public")

	// 4. The village's portal home and the regency's carry the widget.
	citizen.Visit("/" + villageA + "/")
	citizen.Has("BUM Desa Kumantan Jaya")
	publicPageChecks(t, citizen)
	citizen.Visit("/14.01/")
	citizen.Has("desa memiliki BUMDes", "Rp40.000.000")

	// 5. The regency's recap, in the console and in public.
	regency := NewBrowser(t, w.h, "regency", Desktop)
	regency.Login("kampar-admin", "kampar-admin-password-1")
	if st := regency.Visit("/console/14.01/m/bumdes/recap?year=2026"); st != http.StatusOK {
		t.Fatalf("the recap: %d %s", st, regency.Body())
	}
	regency.Has("Rekap BUMDes 2026", "Kumantan", "BUM Desa Kumantan Jaya", "Rp40.000.000", "BUMDes menurut klasifikasi")
	regency.Document("bumdes-regency")
	citizen.Visit("/14.01/bumdes/rekap?year=2026")
	publicPageChecks(t, citizen)
	citizen.Has("Rekap BUMDes 2026", "BUM Desa Kumantan Jaya")
}
