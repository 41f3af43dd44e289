package e2e

// The evaluation module's main journey through the real binaries and
// Chromium: the village's clerk enters a performance indicator and a
// quarter's achievement with its evidence; the regency's evaluator fills
// the PermenPAN-RB 88/2021 worksheet for the village, is refused a score
// over 100 with the form kept, saves it and publishes it; the regency's
// table shows the village's grade beside its achievement; the village
// answers a recommendation; a citizen sees the grade on the village's
// portal home, on a phone.

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
)

func TestBrowserEvaluationJourney(t *testing.T) {
	NeedBrowser(t)
	EachBackend(t, browserEvaluationJourney)
}

func browserEvaluationJourney(t *testing.T, backend storetest.Backend) {
	w := startEvaluation(t, backend)
	now := time.Now().In(time.FixedZone("WIB", 7*3600))
	year, quarter := strconv.Itoa(now.Year()), strconv.Itoa((int(now.Month())-1)/3+1)
	console := "/console/" + villageA + "/m/evaluation"
	evidence := filepath.Join(t.TempDir(), "berita-acara-musdes.pdf")
	if err := os.WriteFile(evidence, evidencePDF, 0o644); err != nil {
		t.Fatal(err)
	}

	// 1. The village's clerk adds an indicator and reports a quarter.
	clerk := NewBrowser(t, w.h, "clerk", Desktop)
	clerk.Login("op-a", "op-a-password-1")
	if st := clerk.Visit(console + "/home"); st != http.StatusOK {
		t.Fatalf("the indicators page: %d %s", st, clerk.Body())
	}
	clerk.Has("Indikator Kinerja "+year, "Belum ada indikator kinerja tahun ini")
	clerk.Fill("name", "Dokumen perencanaan desa disahkan")
	clerk.Fill("measure", "dokumen")
	clerk.Fill("target", "4")
	if st := clerk.Submit("Tambah indikator"); st != http.StatusOK {
		t.Fatalf("adding the indicator: %d %s", st, clerk.Body())
	}
	clerk.Has("Indikator ditambahkan", "Dokumen perencanaan desa disahkan", "4 dokumen")
	clerk.Submit("Dokumen perencanaan desa disahkan")
	clerk.Has("Laporkan capaian", "Belum ada capaian yang dilaporkan")
	clerk.Fill("quarter", quarter)
	clerk.Fill("realisation", "3")
	clerk.Fill("note", "RKPDes dan APBDes disahkan")
	clerk.Upload("evidence", evidence)
	clerk.ClickUntil(`form.b-form button[type=submit]`, `document.querySelector('.b-flash') || document.querySelector('.b-error')`)
	clerk.Has("Capaian disimpan", "75 %", "berita-acara-musdes.pdf")
	clerk.Document("evaluation-indicator")

	// 2. The regency's evaluator fills the worksheet: a score over 100 is
	// refused with the form kept, then saved and published.
	eval := NewBrowser(t, w.h, "evaluator", Desktop)
	eval.Login("inspektur", "inspektur-password-1")
	sheet := "/console/14.01/m/evaluation/worksheet/" + year + "/" + villageA
	if st := eval.Visit(sheet); st != http.StatusOK {
		t.Fatalf("the worksheet: %d %s", st, eval.Body())
	}
	eval.Has("Lembar Kerja Evaluasi", "Perencanaan Kinerja")
	for _, c := range []string{"perencanaan", "pengukuran", "pelaporan", "evaluasi_internal"} {
		for _, s := range []string{"keberadaan", "kualitas", "pemanfaatan"} {
			eval.Fill(c+"."+s+".score", "85")
		}
	}
	eval.Fill("perencanaan.keberadaan.evidence", "Renstra Desa 2025-2030, RKPDes "+year)
	eval.Fill("recommendations", "Tetapkan Perjanjian Kinerja kepala desa\nLaporkan capaian setiap triwulan")
	eval.Fill("pelaporan.kualitas.score", "120")
	if st := eval.Submit("Simpan draf"); st != http.StatusUnprocessableEntity {
		t.Fatalf("a score over 100: %d", st)
	}
	eval.Has("Nilai harus 0 sampai 100")
	if v := eval.Eval(`document.querySelector('[name="perencanaan.keberadaan.evidence"]').value`); v != "Renstra Desa 2025-2030, RKPDes "+year {
		t.Errorf("the refused worksheet lost the evidence: %q", v)
	}
	eval.Fill("pelaporan.kualitas.score", "85")
	if st := eval.Submit("Simpan draf"); st != http.StatusOK {
		t.Fatalf("saving: %d %s", st, eval.Body())
	}
	eval.Has("Lembar kerja disimpan", "85,00", "Draf")
	eval.Eval(`window.confirm = q => (window.asked = q, true), ''`)
	if st := eval.Submit("Terbitkan hasil evaluasi"); st != http.StatusOK {
		t.Fatalf("publishing: %d %s", st, eval.Body())
	}
	eval.Has("Hasil evaluasi diterbitkan: A (85,00)", "Diterbitkan")
	eval.Lacks("Simpan draf")
	eval.Document("evaluation-worksheet")

	// The village's own admin is not an evaluator.
	kades := NewBrowser(t, w.h, "kades", Desktop)
	kades.Login("kades-a", "kades-a-password-1")
	if st := kades.Visit("/console/14.01/m/evaluation/worksheet/" + year + "/" + villageA); st != http.StatusForbidden {
		t.Errorf("the village admin at the regency's worksheet: %d", st)
	}

	// 3. The regency's table shows the grade beside the achievement.
	regency := NewBrowser(t, w.h, "regency", Desktop)
	regency.Login("kampar-admin", "kampar-admin-password-1")
	regency.Visit("/console/14.01/m/evaluation/home?year=" + year + "&district=14.01.01")
	regency.Has("Evaluasi Kinerja "+year, "Kumantan (14.01.01.2009)", "85,00", "75 %", "Pengaduan dijawab tepat waktu")
	row := regency.Eval(`[...document.querySelectorAll('.b-table tbody tr')].find(r => r.innerText.includes('14.01.01.2009')).innerText`)
	for _, want := range []string{"85,00", "A", "75 %"} {
		if !containsWord(row, want) {
			t.Errorf("Kumantan's row %q lacks %q", row, want)
		}
	}
	regency.Document("evaluation-regency")

	// 4. The village answers a recommendation.
	clerk.Visit(console + "/result?year=" + year)
	clerk.Has("Hasil Evaluasi "+year, "Tetapkan Perjanjian Kinerja kepala desa", "Belum ditanggapi")
	clerk.Fill("response", "Perjanjian Kinerja kepala desa ditandatangani 5 Januari")
	clerk.Fill("status", "done")
	if st := clerk.Submit("Kirim tanggapan"); st != http.StatusOK {
		t.Fatalf("answering: %d %s", st, clerk.Body())
	}
	clerk.Has("Tanggapan disimpan", "Selesai", "ditandatangani 5 Januari")

	// 5. A citizen sees the grade on the village's portal home.
	citizen := NewBrowser(t, w.h, "citizen", Phone)
	if st := citizen.Visit("/" + villageA + "/"); st != http.StatusOK {
		t.Fatalf("the village's home: %d", st)
	}
	citizen.Has("Akuntabilitas Kinerja", fmt.Sprintf("Hasil evaluasi SAKIP %s", year), "85,00")
	publicPageChecks(t, citizen)
	citizen.Document("evaluation-public")
}

// containsWord says whether s holds want as a whole cell's word.
func containsWord(s, want string) bool {
	for _, f := range splitCells(s) {
		if f == want || len(f) > len(want) && (f[:len(want)+1] == want+" ") {
			return true
		}
	}
	return false
}

func splitCells(s string) []string {
	var out []string
	cur := ""
	for _, r := range s {
		if r == '\t' || r == '\n' {
			if cur != "" {
				out = append(out, cur)
			}
			cur = ""
			continue
		}
		cur += string(r)
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}
