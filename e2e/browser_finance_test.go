package e2e

// The finance module's main journey through the real binaries and
// Chromium: the clerk imports the village's Siskeudes export (a row
// rejected), sees the deficit that keeps the draft from approval and
// covers it with the SiLPA line; the village head approves it with the
// Perdes; the clerk records a payment with its receipt, is refused one
// over the line's budget with the form kept, and downloads the year-end
// report; a citizen reads the budget infographic on a phone; the regency
// sees every village's Dana Desa absorption, in the console and on its
// public page; the village's portal home shows the widget.

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/storetest"
)

func TestBrowserFinanceJourney(t *testing.T) {
	NeedBrowser(t)
	EachBackend(t, browserFinanceJourney)
}

func browserFinanceJourney(t *testing.T, backend storetest.Backend) {
	w := startPlugins(t, backend, []string{"finance"})
	w.enable(t, "14.01", "finance", true)
	w.admin.CreateUser(t, "kades-a")
	w.admin.Grant(t, villageA, "kades-a", "admin")
	console := "/console/" + villageA + "/m/finance"

	dir := t.TempDir()
	export := filepath.Join(dir, "apbdes-2026.csv")
	if err := os.WriteFile(export, []byte("APBDes Desa Kumantan 2026\n"+
		"Kd_Keg;Kd_Rincian;Uraian;Anggaran;SumberDana\n"+
		";4.;PENDAPATAN;1.250.000.000;\n"+
		";4.2.1.01.;Dana Desa;800.000.000;\n"+
		";4.2.3.01.;Alokasi Dana Desa;400.000.000;\n"+
		";4.1.1.01.;Hasil BUMDes;50.000.000;\n"+
		"1401.2009.01.01.01.;5.1.1.01.;Penghasilan tetap;300.000.000;ADD\n"+
		"1401.2009.02.03.01.;5.3.1.01.;Jalan desa;600.000.000;DDS\n"+
		"1401.2009.04.02.01.;5.2.1.01.;Pelatihan petani;150.000.000;DDS\n"+
		"1401.2009.05.01.01.;5.4.1.01.;Tanggap bencana;50.000.000;DDS\n"+
		"1401.2009.09.01.01.;5.2.1.01.;Bidang salah;1000;DDS\n"+
		";6.2.2.01.;Penyertaan modal BUMDes;170.000.000;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	receipt := filepath.Join(dir, "kuitansi-termin-1.pdf")
	if err := os.WriteFile(receipt, pdfEvidence, 0o644); err != nil {
		t.Fatal(err)
	}

	// 1. The clerk imports the Siskeudes export.
	clerk := NewBrowser(t, w.h, "clerk", Desktop)
	clerk.Login("op-a", "op-a-password-1")
	if st := clerk.Visit(console + "/anggaran?year=2026"); st != http.StatusOK {
		t.Fatalf("the budget page: %d %s", st, clerk.Body())
	}
	clerk.Has("Anggaran Desa", "Belum ada anggaran untuk tahun 2026")
	clerk.Submit("Impor dari Siskeudes")
	clerk.Upload("file", export)
	clerk.ClickUntil(`form.b-form button[type=submit]`, `document.querySelector('.b-dl') || document.querySelector('.b-error')`)
	clerk.Has("Baris anggaran diimpor", "Baris yang ditolak", "invalid_code")
	if got := clerk.Eval(`[...document.querySelectorAll('.b-dl dd')].map(e => e.innerText.trim()).join(',')`); got != "8,1,1" {
		t.Errorf("import counts (lines, skipped, rejected) %s, want 8,1,1", got)
	}
	clerk.Document("finance-import")

	// 2. The draft shows its deficit; the clerk covers it with the SiLPA.
	clerk.Submit("Lihat anggaran")
	clerk.Has("Rancangan APBDes", "Defisit belum tertutup pembiayaan: Rp20.000.000")
	clerk.Lacks("Setujui anggaran") // the operator does not approve
	clerk.Submit("Tambah baris anggaran")
	clerk.Fill("section", "financing")
	clerk.Fill("code", "6.1.9")
	clerk.Fill("name", "SiLPA salah kode")
	clerk.Fill("amount", "-1")
	if st := clerk.Submit("Simpan baris"); st != http.StatusUnprocessableEntity {
		t.Fatalf("a negative amount: %d", st)
	}
	clerk.Has("amount")
	if v := clerk.Eval(`document.querySelector('[name="name"]').value`); v != "SiLPA salah kode" {
		t.Errorf("the refused form lost the name: %q", v)
	}
	clerk.Fill("code", "6.1.1")
	clerk.Fill("name", "SiLPA tahun sebelumnya")
	clerk.Fill("amount", "20000000")
	if st := clerk.Submit("Simpan baris"); st != http.StatusOK {
		t.Fatalf("adding the SiLPA: %d %s", st, clerk.Body())
	}
	clerk.Has("Baris anggaran disimpan", "SiLPA tahun sebelumnya")
	clerk.Lacks("Defisit belum tertutup")

	// 3. The village head approves it with the Perdes.
	kades := NewBrowser(t, w.h, "kades", Desktop)
	kades.Login("kades-a", "kades-a-password-1")
	kades.Visit(console + "/anggaran?year=2026")
	kades.Fill("perdes_number", "Perdes No. 1 Tahun 2026")
	kades.Fill("perdes_date", "2026-01-05")
	kades.Eval(`window.confirm = q => (window.asked = q, true), ''`)
	if st := kades.Submit("Setujui anggaran"); st != http.StatusOK {
		t.Fatalf("approving: %d %s", st, kades.Body())
	}
	if asked := kades.Eval(`String(window.asked || '')`); asked != "" && !strings.Contains(asked, "kunci") {
		t.Errorf("the confirmation asked %q", asked)
	}
	kades.Has("Anggaran disetujui dan dikunci", "APBDes disetujui", "Perdes No. 1 Tahun 2026")
	kades.Document("finance-approved")

	// 4. The clerk records the first payment with its receipt.
	clerk.Visit(console + "/anggaran/2026/realisasi")
	clerk.Fill("line", "spending|2.3.01|5.3.1.01")
	clerk.Fill("date", "2026-03-02")
	clerk.Fill("amount", "250000000")
	clerk.Fill("description", "Termin I pembangunan jalan desa")
	clerk.Upload("evidence", receipt)
	clerk.ClickUntil(`form.b-form button[type=submit]`, `document.querySelector('.b-flash') || document.querySelector('.b-error')`)
	clerk.Has("Realisasi dicatat", "Termin I pembangunan jalan desa", "kuitansi-termin-1.pdf", "Rp250.000.000")
	href := clerk.Eval(`[...document.querySelectorAll('a')].find(a => a.textContent.trim() === 'kuitansi-termin-1.pdf').getAttribute('href')`)
	if st, body := clerk.Fetch(href); st != http.StatusOK || !strings.HasPrefix(body, "%PDF") {
		t.Errorf("the receipt %s: %d %.20q", href, st, body)
	}
	// Over the line's budget: refused, the form kept.
	clerk.Fill("line", "spending|2.3.01|5.3.1.01")
	clerk.Fill("date", "2026-04-02")
	clerk.Fill("amount", "400000000")
	clerk.Fill("description", "Termin II")
	clerk.ClickUntil(`form.b-form button[type=submit]`, `document.querySelector('.b-error')`)
	clerk.Has("350000000")
	if v := clerk.Eval(`document.querySelector('[name="description"]').value`); v != "Termin II" {
		t.Errorf("the refused entry lost its description: %q", v)
	}
	clerk.Screenshot("over-budget")

	// 5. The year-end report and its CSV.
	clerk.Visit(console + "/anggaran/2026/laporan?period=year")
	clerk.Has("Laporan Pertanggungjawaban Realisasi APBDes 2026", "JUMLAH BELANJA", "Rp250.000.000")
	csvHref := clerk.Eval(`[...document.querySelectorAll('a')].find(a => a.textContent.trim() === 'Unduh CSV').getAttribute('href')`)
	if st, body := clerk.Fetch(csvHref); st != http.StatusOK || !strings.HasPrefix(body, "bagian,kode,rekening,uraian") || !strings.Contains(body, "250000000") {
		t.Errorf("the report CSV %s: %d %.200q", csvHref, st, body)
	}
	clerk.Document("finance-report")

	// 6. A citizen reads the infographic on a phone.
	citizen := NewBrowser(t, w.h, "citizen", Phone)
	if st := citizen.Visit("/" + villageA + "/finance/"); st != http.StatusOK {
		t.Fatalf("the public budget: %d %s", st, citizen.Body())
	}
	publicPageChecks(t, citizen)
	citizen.Has("APBDes 2026", "Pendapatan menurut sumber", "Belanja menurut bidang", "Dana Desa", "2 Pembangunan", "Rp1.250.000.000")
	if n := citizen.Eval(`String(document.querySelectorAll('.b-chart svg').length)`); n != "3" {
		t.Errorf("%s charts on the infographic, want 3", n)
	}
	citizen.Lacks("kuitansi", "Termin I") // entries and evidence are not public
	if og := citizen.Eval(`(document.querySelector('meta[property="og:description"]') || {}).content || ''`); !strings.Contains(og, "APBDes 2026") {
		t.Errorf("og:description %q", og)
	}
	citizen.Document("finance-public")

	// 7. The regency: every village's Dana Desa absorption.
	regency := NewBrowser(t, w.h, "regency", Desktop)
	regency.Login("kampar-admin", "kampar-admin-password-1")
	regency.Visit("/console/14.01/m/finance/anggaran?year=2026")
	regency.Has("Anggaran desa 2026", "Penyerapan Dana Desa", "1 dari", "31,3%")
	if rows := regency.Eval(`String(document.querySelectorAll('.b-table tbody tr').length)`); rows != "50" {
		t.Errorf("the regency's table has %s rows on its first page, want 50", rows)
	}
	// Sorted by absorption, highest first: the village with a budget leads.
	regency.Visit("/console/14.01/m/finance/anggaran?year=2026&sort=-absorption")
	if first := regency.Eval(`document.querySelector('.b-table tbody tr td').innerText.trim()`); first != "Kumantan" {
		t.Errorf("the highest absorption is %q's", first)
	}
	regency.Document("finance-regency")
	citizen.Visit("/14.01/finance/?year=2026")
	publicPageChecks(t, citizen)
	citizen.Has("Penyerapan Dana Desa per desa")

	// 8. The village's portal home carries the widget.
	citizen.Visit("/" + villageA + "/")
	citizen.Has("APBDes 2026", "Lihat infografis anggaran")
	publicPageChecks(t, citizen)
}
