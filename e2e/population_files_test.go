package e2e

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/balaidesa/balai/core/storetest"
)

// siakExport is shaped like SIAK's export (the column names of OpenSID's
// format_siak.xls, words for the codes, day-first dates), saved by Excel
// in an Indonesian locale: semicolons, a byte order mark, CRLF. Made-up
// people with valid NIKs of Kampar (14.01.01).
const siakExport = "\ufeffNomor KK;NIK;Nama Penduduk;Status;Tempat Lahir;Tanggal Lahir;Kelamin;Ibu;Status Kawin;SHDK;Agama;Alamat;RW;RT;Pendidikan;Pekerjaan;Gol. Darah;Catatan\r\n" +
	"1401012001150031;1401011503800031;RAHMAT HIDAYAT;HIDUP;KAMPAR;15-03-1980;LAKI-LAKI;SALMAH;KAWIN;KEPALA KELUARGA;ISLAM;JL. PASAR DSN SUKAJADI;2;1;SLTA/SEDERAJAT;PEDAGANG;B;=1+2\r\n" +
	"1401012001150031;1401014508850032;NURUL AINI;HIDUP;KAMPAR;05/08/1985;PEREMPUAN;FATIMAH;KAWIN;ISTRI;ISLAM;JL. PASAR DSN SUKAJADI;2;1;DIPLOMA IV/STRATA I;GURU;A;\r\n" +
	"1401012001150031;1401011104750033;KEPALA LAIN;HIDUP;KAMPAR;11-04-1975;L;-;KAWIN;KEPALA KELUARGA;ISLAM;JL. PASAR;2;1;SLTA/SEDERAJAT;PEDAGANG;;\r\n"

func openSIDBook(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"alamat", "dusun", "rw", "rt", "nama", "no_kk", "nik", "sex", "tempatlahir", "tanggallahir", "agama_id", "pendidikan_kk_id", "pekerjaan_id", "status_kawin", "kk_level", "nama_ibu", "status_dasar", "kolom_baru"},
		{"JL. DESA", "HULU", "001", "002", "ZAINAL ARIFIN", "1401022001150041", "1401021503800041", 1, "KAMPAR", "1980-03-15", 1, 5, 9, 2, 1, "AMINAH", 1, ""},
		{"JL. DESA", "HULU", "001", "002", "SALAH AGAMA", "1401022001150041", "1401021104750042", 1, "KAMPAR", "1975-04-11", 42, 5, 9, 2, 4, "", 1, ""},
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &row)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func csvRows(t *testing.T, b []byte) [][]string {
	t.Helper()
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	cr := csv.NewReader(bytes.NewReader(b))
	if i := bytes.IndexByte(b, '\n'); i > 0 && bytes.Count(b[:i], []byte(";")) > bytes.Count(b[:i], []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, b)
	}
	return rows
}

// The files villages hold, through the real host and plugin binaries:
// SIAK's CSV and OpenSID's workbook imported over HTTP and by the CLI, a
// dry run that writes nothing, unknown columns reported, the rejected
// rows as a file to fix and import again, and exports masked as the
// caller may see with formulas neutralised.
func TestPopulationFiles(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"population"})
		w.enable(t, "14.01", "population", true)
		imp := p(villageA, "population", "/import")

		// A dry run: what would happen, nothing written.
		dry := w.op.Do(t, "POST", imp+"?dry_run=true", siakExport).Expect(200).JSON()
		if dry["dry_run"] != true || dry["would_insert"] != float64(2) || dry["rejected"] != float64(1) || dry["read"] != float64(3) {
			t.Fatalf("dry run: %v", dry)
		}
		if n := w.op.Do(t, "GET", p(villageA, "population", "/residents"), nil).Expect(200).Total(); n != 0 {
			t.Fatalf("the dry run registered %d residents", n)
		}
		res := w.op.Do(t, "POST", imp, siakExport).Expect(200).JSON()
		if res["inserted"] != float64(2) || res["rejected"] != float64(1) || strings.Join(toStrings(res["unknown_columns"]), ",") != "Catatan" {
			t.Fatalf("SIAK import: %v", res)
		}
		rj := res["rejections"].([]any)[0].(map[string]any)
		if rj["code"] != "duplicate_head" || rj["nik"] != "1401**********33" || rj["line"] != float64(4) {
			t.Errorf("second head: %v", rj)
		}
		if strings.Contains(w.h.Log(), "1401011104750033") {
			t.Error("a NIK reached the host's log")
		}
		// The rejected row as a file, fixed and imported again.
		rf := res["rejects_file"].(map[string]any)
		dl := w.op.Do(t, "GET", p(villageA, "population", rf["url"].(string)), nil).Expect(200)
		rows := csvRows(t, dl.Body)
		if len(rows) != 2 || rows[0][len(rows[0])-1] != "alasan" || rows[1][2] != "KEPALA LAIN" {
			t.Fatalf("rejects file: %q", rows)
		}
		w.viewer.Do(t, "GET", p(villageA, "population", rf["url"].(string)), nil).Expect(403)
		fixed := strings.Join(rows[0][:len(rows[0])-1], ";") + "\r\n" + strings.Replace(strings.Join(rows[1][:len(rows[1])-1], ";"), "KEPALA KELUARGA", "FAMILI LAIN", 1) + "\r\n"
		if again := w.op.Do(t, "POST", imp, fixed).Expect(200).JSON(); again["inserted"] != float64(1) {
			t.Errorf("fixed rejects: %v", again)
		}

		// Exports: the operator sees the numbers, the viewer masked; a
		// formula is neutralised; every export audited without values.
		full := csvRows(t, w.op.Do(t, "GET", p(villageA, "population", "/residents/export"), nil).Expect(200).Body)
		masked := csvRows(t, w.viewer.Do(t, "GET", p(villageA, "population", "/residents/export"), nil).Expect(200).Body)
		if len(full) != 4 || len(masked) != 4 || full[0][0] != "NIK" || full[0][1] != "No. KK" {
			t.Fatalf("exports: %q / %q", full, masked)
		}
		for i := 1; i < 4; i++ {
			if strings.Contains(full[i][0], "*") || !strings.Contains(masked[i][0], "*") || masked[i][13] != "" {
				t.Errorf("row %d: operator %q, viewer %q", i, full[i][:2], masked[i][:14])
			}
		}
		// Catatan is not imported; a formula in a name would be: the
		// importer keeps it, the export defuses it.
		w.op.Do(t, "PATCH", p(villageA, "population", "/residents/"+findID(t, w, "NURUL AINI")), map[string]string{"address": "=HYPERLINK(\"http://x\")"}).Expect(200)
		full = csvRows(t, w.op.Do(t, "GET", p(villageA, "population", "/residents/export?q=nurul"), nil).Expect(200).Body)
		if len(full) != 2 || full[1][14] != "'=HYPERLINK(\"http://x\")" {
			t.Errorf("injection: %q", full)
		}
		book := w.district.Do(t, "GET", p("14.01", "population", "/residents/export?format=xlsx"), nil).Expect(200)
		wb, err := excelize.OpenReader(bytes.NewReader(book.Body))
		if err != nil {
			t.Fatal(err)
		}
		if all, _ := wb.GetRows("Sheet1"); len(all) != 4 {
			t.Errorf("regency workbook: %d rows", len(all))
		}
		if a := w.admin.Do(t, "GET", "/api/v1/audit?action=population.residents.exported", nil).Expect(200).Items(); len(a) != 4 || strings.Contains(string(mustMarshal(a)), "NURUL") {
			t.Errorf("export audit: %v", a)
		}
		st := csvRows(t, w.h.Anon().Do(t, "GET", p("14.01", "population", "/stats/export?by=sex"), nil).Expect(200).Body)
		if st[len(st)-1][2] != "3" {
			t.Errorf("stats export: %q", st)
		}

		// The CLI: an OpenSID workbook, checked with its rejects written,
		// then imported.
		dir := t.TempDir()
		file := filepath.Join(dir, "penduduk.xlsx")
		if err := os.WriteFile(file, openSIDBook(t), 0o600); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "ditolak.xlsx")
		r := w.h.MustCLI(t, "population", "import", "--tenant", villageB, "--file", file, "--dry-run", "--rejects", out, "--plugins", w.plugins)
		if !strings.Contains(r.Stdout, "Dry run, nothing written: 2 rows read: 1 would be inserted, 0 already registered (would be skipped), 1 rejected") ||
			!strings.Contains(r.Stdout, "Columns not recognised (not imported): kolom_baru") {
			t.Errorf("dry run said:\n%s", r.Stdout)
		}
		rb, err := excelize.OpenFile(out)
		if err != nil {
			t.Fatalf("rejects workbook: %v", err)
		}
		if got, _ := rb.GetRows("Sheet1"); len(got) != 2 || got[1][4] != "SALAH AGAMA" || !strings.HasPrefix(got[1][len(got[1])-1], "invalid_religion") {
			t.Errorf("rejects workbook: %q", got)
		}
		if n := w.opB.Do(t, "GET", p(villageB, "population", "/residents"), nil).Expect(200).Total(); n != 0 {
			t.Fatalf("the CLI's dry run registered %d", n)
		}
		r = w.h.MustCLI(t, "population", "import", "--tenant", villageB, "--file", file, "--plugins", w.plugins)
		if !strings.Contains(r.Stdout, "2 rows read: 1 inserted, 0 already registered (skipped), 1 rejected") || !strings.Contains(r.Stdout, "/import/rejects/") {
			t.Errorf("import said:\n%s", r.Stdout)
		}
		if n := w.opB.Do(t, "GET", p(villageB, "population", "/residents"), nil).Expect(200).Total(); n != 1 {
			t.Errorf("%d residents after the CLI import", n)
		}
	})
}

func findID(t *testing.T, w *pluginWorld, name string) string {
	t.Helper()
	for _, it := range w.op.Do(t, "GET", p(villageA, "population", "/residents?q="+strings.ReplaceAll(name, " ", "%20")), nil).Expect(200).Items() {
		if it["name"] == name {
			return it["id"].(string)
		}
	}
	t.Fatalf("no resident %s", name)
	return ""
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func mustMarshal(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
