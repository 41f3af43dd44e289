package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// importAnswer decodes POST /import's answer.
func importAnswer(t *testing.T, r *sdktest.Response) importResult {
	t.Helper()
	var res importResult
	if r.Status != 200 {
		t.Fatalf("import: %d %s", r.Status, r.Body)
	}
	r.JSON(&res)
	return res
}

func residentsOf(t *testing.T, c *sdktest.Client, tenant string) map[string]residentView {
	t.Helper()
	var list sdk.ListOf[residentView]
	c.Get(tenant, "/residents?limit=500").JSON(&list)
	out := map[string]residentView{}
	for _, v := range list.Items {
		out[v.Name] = v
	}
	return out
}

func reasonsByLine(res importResult) map[int]rejection {
	m := map[int]rejection{}
	for _, rj := range res.Rejections {
		m[rj.Line] = rj
	}
	return m
}

// readCSV parses a CSV answer (BOM and separator as the import sniffs).
func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	b = bytes.TrimPrefix(b, utf8BOM)
	cr := csv.NewReader(bytes.NewReader(b))
	cr.Comma = sniffComma(firstLine(b))
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("answer is not CSV: %v\n%s", err, b)
	}
	return rows
}

// siakCSV is shaped like SIAK's export as OpenSID reads it
// (assets/import/format_siak.xls): its column names, words for the coded
// fields, day-first dates, the hamlet in the address; saved by Excel in
// an Indonesian locale: semicolons, a byte order mark, CRLF. Made-up
// people.
const siakCSV = "\ufeffNomor KK;NIK;Nama Penduduk;Status;Tempat Lahir;Tanggal Lahir;Kelamin;NIK Ayah;Ayah;NIK Ibu;Ibu;Status Kawin;SHDK;Agama;Alamat;RW;RT;Pendidikan;Pekerjaan;Gol. Darah;Kolom Tambahan\r\n" +
	"1401012001150001;1401011503800001;BUDI SANTOSO;HIDUP;KAMPAR;15-03-1980;LAKI-LAKI;;;;SITI AMINAH;KAWIN;KEPALA KELUARGA;ISLAM;JL. LINTAS TIMUR DSN SUKAMAJU;2;1;SLTA/SEDERAJAT;PETANI/PEKEBUN;O;x\r\n" +
	"1401012001150001;1401014508850002;SITI RAHMA;Hidup;KAMPAR;05/08/1985;Perempuan;;;;HALIMAH;Kawin;Istri;Islam;JL. LINTAS TIMUR DSN SUKAMAJU;002;001;Tamat SD / Sederajat;Mengurus Rumah Tangga;Tdk Th;\r\n" +
	"1401012001150001;1401010101100003;ANDI;hidup;BANGKINANG;2010-01-01;l;;;;SITI RAHMA;BELUM KAWIN;ANAK;islam;JL. LINTAS TIMUR DSN SUKAMAJU;2;1;Tidak/Blm Sekolah;PELAJAR/MAHASISWA;;\r\n" +
	"1401012001150002;1401016002500004;NENEK TUA;MATI;KAMPAR;20-02-1950;2;;;;-;CERAI MATI;KEPALA KELUARGA;ISLAM;DUSUN HILIR;1;3;TIDAK / BELUM SEKOLAH;BELUM/TIDAK BEKERJA;A+;\r\n" +
	"1401012001150003;1401011203900005;ANAK HILANG;HILANG;KAMPAR;12-03-1990;L;;;;-;BELUM KAWIN;KEPALA KELUARGA;ISLAM;DUSUN HILIR;1;3;SLTP/SEDERAJAT;WIRASWASTA;;\r\n" +
	";;;;;;;;;;;;;;;;;;;;\r\n" +
	"1401012001150001;1401011104750006;KEPALA KEDUA;HIDUP;KAMPAR;11-04-1975;L;;;;-;KAWIN;KEPALA KELUARGA;ISLAM;;2;1;SLTA/SEDERAJAT;PETANI/PEKEBUN;;\r\n" +
	"1401012001150001;1401011104750007;AGAMA ANEH;HIDUP;KAMPAR;11-04-1975;L;;;;-;KAWIN;ANAK;PASTAFARIAN;;2;1;SLTA/SEDERAJAT;PETANI/PEKEBUN;;\r\n"

func TestImportSIAKCSV(t *testing.T) {
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		h.Tenant(villageA)
		h.Enable("14.01")
		op := h.User("op-a", "operator", villageA)
		res := importAnswer(t, op.Post(villageA, "/import", siakCSV))
		if res.Format != "csv" || res.Read != 7 || res.Inserted != 5 || res.Rejected != 2 || res.Duplicates != 0 {
			t.Fatalf("counts: %+v", res)
		}
		if !slices.Equal(res.UnknownColumns, []string{"Kolom Tambahan"}) || !slices.Contains(res.IgnoredColumns, "Ayah") || !slices.Contains(res.IgnoredColumns, "NIK Ibu") {
			t.Errorf("columns: unknown %v, ignored %v", res.UnknownColumns, res.IgnoredColumns)
		}
		rj := reasonsByLine(res)
		// Line 7 is the separators-only row: skipped, not counted.
		if rj[8].Code != reasonDuplicateHead || !strings.Contains(rj[8].Reason, "line 2") || rj[8].NIK != "1401**********06" {
			t.Errorf("second head in the file: %+v", rj[8])
		}
		if rj[9].Code != string(codeInvalidReligion) {
			t.Errorf("unknown religion word: %+v", rj[9])
		}
		got := residentsOf(t, op, villageA)
		budi, siti, andi, nenek, hilang := got["BUDI SANTOSO"], got["SITI RAHMA"], got["ANDI"], got["NENEK TUA"], got["ANAK HILANG"]
		for _, c := range []struct {
			what, got, want string
		}{
			{"sex", budi.Sex + siti.Sex + andi.Sex + nenek.Sex, "LPLP"},
			{"birth date dd-mm-yyyy", budi.BirthDate, "1980-03-15"},
			{"birth date dd/mm/yyyy", siti.BirthDate, "1985-08-05"},
			{"religion", budi.Religion + andi.Religion, "11"},
			{"education by name", budi.Education + "," + siti.Education + "," + andi.Education + "," + nenek.Education, "5,3,1,1"},
			{"occupation by name", budi.Occupation + "," + siti.Occupation + "," + hilang.Occupation, "9,2,88"},
			{"marital status", budi.MaritalStatus + siti.MaritalStatus + andi.MaritalStatus + nenek.MaritalStatus, "2214"},
			{"relationship", budi.Relationship + siti.Relationship + andi.Relationship, "134"},
			{"blood type", budi.BloodType + "," + siti.BloodType + "," + nenek.BloodType, "4,13,5"},
			{"status", budi.Status + "," + nenek.Status + "," + hilang.Status, "alive,deceased,missing"},
			{"mother's name", budi.MotherName + "," + nenek.MotherName, "SITI AMINAH,"},
			{"dusun out of the address", budi.Dusun + "|" + budi.Address, "SUKAMAJU|JL. LINTAS TIMUR"},
			{"dusun as the address", nenek.Dusun + "|" + nenek.Address, "HILIR|"},
		} {
			if c.got != c.want {
				t.Errorf("%s: got %q, want %q", c.what, c.got, c.want)
			}
		}
		if !strings.HasSuffix(budi.RT, "1") || !strings.HasSuffix(budi.RW, "2") {
			t.Errorf("rt/rw: %q %q", budi.RT, budi.RW)
		}
		// The stored rejects file: the uploaded columns plus alasan, the
		// uploaded separator; fixed and imported again, it adds the rows.
		if res.RejectsFile == nil || res.RejectsFile.Rows != 2 || res.RejectsFile.Name != "ditolak.csv" {
			t.Fatalf("rejects file: %+v", res.RejectsFile)
		}
		r := op.Get(villageA, res.RejectsFile.URL)
		if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") || !bytes.HasPrefix(r.Body, utf8BOM) {
			t.Fatalf("download: %d %v", r.Status, r.Header)
		}
		rows := readCSV(t, r.Body)
		if len(rows) != 3 || rows[0][len(rows[0])-1] != "alasan" || rows[0][0] != "Nomor KK" || rows[1][2] != "KEPALA KEDUA" ||
			!strings.HasPrefix(rows[1][len(rows[1])-1], "duplicate_head") || !strings.Contains(string(r.Body), ";") {
			t.Fatalf("rejects file:\n%s", r.Body)
		}
		if v := h.User("viewer-a", "viewer", villageA); v.Get(villageA, res.RejectsFile.URL).Status != 403 {
			t.Error("a viewer downloaded the rejects file")
		}
		if r := h.User("op-b", "operator", villageB).Get(villageA, res.RejectsFile.URL); r.Status != 403 {
			t.Errorf("another village's operator: %d", r.Status)
		}
		var fixed bytes.Buffer
		fw := csv.NewWriter(&fixed)
		fw.Comma = ';'
		for i, row := range rows {
			// The alasan column stays, as a clerk leaves it: Balai's own
			// column, read past, not reported as unknown.
			if i == 1 {
				row[12] = "SUAMI" // not a second head
			}
			fw.Write(row)
		}
		fw.Flush()
		res = importAnswer(t, op.Post(villageA, "/import", fixed.String()))
		if res.Inserted != 1 || res.Rejected != 1 || slices.Contains(res.UnknownColumns, "alasan") || slices.Contains(res.IgnoredColumns, "alasan") {
			t.Errorf("the half-fixed rejects: %+v", res)
		}
		// The row rejected again: its new reason in the same column (the
		// API's import: in English), no second alasan column.
		r = op.Get(villageA, res.RejectsFile.URL)
		again := readCSV(t, r.Body)
		if len(again) != 2 || len(again[0]) != len(rows[0]) || again[0][len(again[0])-1] != "alasan" ||
			!strings.HasPrefix(again[1][len(again[1])-1], "invalid_religion: religion") {
			t.Fatalf("rejects file of the re-import:\n%s", r.Body)
		}
		fixed.Reset()
		fw = csv.NewWriter(&fixed)
		fw.Comma = ';'
		for i, row := range again {
			if i == 1 {
				row[13] = "Islam"
			}
			fw.Write(row)
		}
		fw.Flush()
		res = importAnswer(t, op.Post(villageA, "/import", fixed.String()))
		if res.Inserted != 1 || res.Rejected != 0 {
			t.Errorf("the fixed rejects: %+v", res)
		}
	})
}

// openSIDWorkbook builds a workbook laid out as OpenSID's import template
// (Impor_model::$daftar_kolom, a header row of its column names) with
// date cells as Excel stores them, numeric codes, status_dasar, and the
// template's empty formatted rows below the data.
func openSIDWorkbook(t *testing.T, sheet string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if sheet != "Sheet1" {
		f.NewSheet(sheet)
	}
	head := []any{"alamat", "dusun", "rw", "rt", "nama", "no_kk", "nik", "sex", "tempatlahir", "tanggallahir", "agama_id",
		"pendidikan_kk_id", "pendidikan_sedang_id", "pekerjaan_id", "status_kawin", "kk_level", "warganegara_id",
		"nama_ayah", "nama_ibu", "golongan_darah_id", "status_dasar", "catatan_desa"}
	f.SetSheetRow(sheet, "A1", &head)
	rows := [][]any{
		{"JL. SUDIRMAN", "MANGSIT", "-", "004", "ADI PRATAMA", "1401012001150011", "1401011503800011", 1, "KAMPAR", "date:1980-03-15", 1, 5, 18, 9, 2, 1, 1, "AYAH", "IBU ADI", 4, 1, "x"},
		{"JL. SUDIRMAN", "MANGSIT", "-", "004", "DEWI LESTARI", "1401012001150011", "1401014508850012", 2, "KAMPAR", "05-08-1985", 1, 5, 18, 2, 2, 3, 1, "", "IBU DEWI", 13, 1, ""},
		{"JL. SUDIRMAN", "MANGSIT", "-", "004", "KAKEK ADI", "1401012001150011", "1401011502400013", "L", "KAMPAR", "date:1940-02-15", 1, 1, 18, 1, 4, 7, 1, "", "", "", 2, ""},
		{"JL. SUDIRMAN", "MANGSIT", "-", "004", "AGAMA SALAH", "1401012001150011", "1401011503900014", 1, "KAMPAR", "1990-03-15", 9, 5, 18, 2, 2, 3, 1, "", "", "", 1, "=1+1"},
		{"JL. SUDIRMAN", "MANGSIT", "-", "004", "NIK RUSAK", "1401012001150011", "14010115039", 1, "KAMPAR", "1990-03-15", 1, 5, 18, 2, 2, 4, 1, "", "", "", 1, ""},
	}
	for i, row := range rows {
		for j, v := range row {
			if s, ok := v.(string); ok && strings.HasPrefix(s, "date:") {
				d, _ := parseISO(strings.TrimPrefix(s, "date:"))
				cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
				f.SetCellValue(sheet, cell, d) // a date cell: a serial number with a date format
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
			f.SetCellValue(sheet, cell, v)
		}
	}
	// The template is formatted far below its data: empty styled rows.
	style, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	f.SetCellStyle(sheet, "A10", "V20", style)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportOpenSIDWorkbook(t *testing.T) {
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		h.Tenant(villageA)
		h.Enable("14.01")
		op := h.User("op-a", "operator", villageA)
		book := openSIDWorkbook(t, "Data Penduduk")
		// The first sheet is Sheet1, empty: naming the sheet reads it.
		if r := op.Post(villageA, "/import", book); r.ErrorCode() != codeInvalidCSV {
			t.Errorf("an empty first sheet: %d %s", r.Status, r.Body)
		}
		if r := op.Post(villageA, "/import?sheet=Lain", book); r.ErrorCode() != codeInvalidFile {
			t.Errorf("a sheet that is not there: %d %s", r.Status, r.Body)
		}
		// A dry run says what would happen and writes nothing.
		res := importAnswer(t, op.Post(villageA, "/import?dry_run=true&sheet=data%20penduduk", book))
		if !res.DryRun || res.Format != "xlsx" || res.Sheet != "Data Penduduk" || res.Read != 5 || res.WouldInsert == nil || *res.WouldInsert != 3 ||
			res.Inserted != 0 || res.Rejected != 2 || res.RejectsFile != nil {
			t.Fatalf("dry run: %+v", res)
		}
		if !slices.Equal(res.UnknownColumns, []string{"catatan_desa"}) || !slices.Contains(res.IgnoredColumns, "pendidikan_sedang_id") {
			t.Errorf("columns: %v %v", res.UnknownColumns, res.IgnoredColumns)
		}
		if n := len(residentsOf(t, op, villageA)); n != 0 {
			t.Fatalf("a dry run registered %d residents", n)
		}
		res = importAnswer(t, op.Post(villageA, "/import?sheet=Data+Penduduk", book))
		if res.Inserted != 3 || res.Rejected != 2 || res.RejectsFile == nil || res.RejectsFile.Name != "ditolak.xlsx" {
			t.Fatalf("import: %+v", res)
		}
		got := residentsOf(t, op, villageA)
		adi, kakek := got["ADI PRATAMA"], got["KAKEK ADI"]
		if adi.BirthDate != "1980-03-15" || kakek.BirthDate != "1940-02-15" || adi.Occupation != "9" || adi.Relationship != "1" ||
			adi.Dusun != "MANGSIT" || adi.RW != "" || kakek.Status != StatusDeceased || adi.MotherName != "IBU ADI" {
			t.Errorf("read as: %+v / %+v", adi.Resident, kakek.Resident)
		}
		// The rejects come back as a workbook with the uploaded columns.
		r := op.Get(villageA, res.RejectsFile.URL)
		if r.Status != 200 || r.Header.Get("Content-Type") != contentTypes[formatXLSX] {
			t.Fatalf("download: %d %s", r.Status, r.Header)
		}
		wb, err := excelize.OpenReader(bytes.NewReader(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := wb.GetRows(wb.GetSheetList()[0])
		if len(rows) != 3 || rows[0][0] != "alamat" || rows[0][len(rows[0])-1] != "alasan" || rows[1][4] != "AGAMA SALAH" || rows[2][4] != "NIK RUSAK" {
			t.Fatalf("rejects workbook: %q", rows)
		}
		if rows[1][21] != "'=1+1" {
			t.Errorf("a formula in the rejects file is not neutralised: %q", rows[1][21])
		}
		// Importing the same workbook again: the three are duplicates.
		res = importAnswer(t, op.Post(villageA, "/import?sheet=Data+Penduduk", book))
		if res.Inserted != 0 || res.Duplicates != 3 {
			t.Errorf("again: %+v", res)
		}
	})
}

func parseISO(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }

// A second living head of a family the register has is rejected as
// duplicate_head, told apart from a NIK registered already, by the import
// and by its dry run.
func TestImportDuplicateHead(t *testing.T) {
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		h.Tenant(villageA)
		h.Enable("14.01")
		op := h.User("op-a", "operator", villageA)
		first := "nik,kk,name,sex,birth_date,relationship\n1401011503800001,1401012001150001,Budi,L,1980-03-15,1\n"
		importAnswer(t, op.Post(villageA, "/import", first))
		second := first + "1401011104750006,1401012001150001,Kepala Kedua,L,1975-04-11,1\n1401010101100003,1401012001150001,Andi,L,2010-01-01,4\n"
		for _, dry := range []bool{true, false} {
			path := "/import"
			if dry {
				path += "?dry_run=1"
			}
			res := importAnswer(t, op.Post(villageA, path, second))
			rj := reasonsByLine(res)
			if res.Duplicates != 1 || res.Rejected != 1 || rj[2].Code != reasonDuplicateNIK || rj[3].Code != reasonDuplicateHead {
				t.Errorf("dry run %v: %+v", dry, res)
			}
		}
		if n := len(residentsOf(t, op, villageA)); n != 2 {
			t.Errorf("%d residents, want Budi and Andi", n)
		}
		if r := op.Post(villageA, "/import?dry_run=maybe", first); r.ErrorCode() != codeInvalidParameter {
			t.Errorf("dry_run=maybe: %s", r.Body)
		}
		if r := op.Post(villageA, "/import", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0}); r.ErrorCode() != codeInvalidFile || !strings.Contains(string(r.Body), ".xls") {
			t.Errorf("an .xls: %s", r.Body)
		}
		if r := op.Post(villageA, "/import", "PK\x03\x04broken"); r.ErrorCode() != codeInvalidFile {
			t.Errorf("a broken workbook: %s", r.Body)
		}
		// ?rejects=file answers the file itself, the counts in a header.
		r := op.Post(villageA, "/import?dry_run=true&rejects=file", second)
		var sum map[string]any
		json.Unmarshal([]byte(r.Header.Get("Balai-Import-Summary")), &sum)
		rows := readCSV(t, r.Body)
		if r.Status != 200 || sum["rejected"] != float64(1) || len(rows) != 2 || rows[1][2] != "Kepala Kedua" {
			t.Errorf("rejects=file: %d %v %q", r.Status, sum, rows)
		}
	})
}

// Exports: every resident of the level, masked as the caller's permission
// says, formulas neutralised, and read back by the import.
func TestExport(t *testing.T) {
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		h.Tenant(villageA)
		h.Tenant(villageB)
		h.Enable("14.01")
		op := h.User("op-a", "operator", villageA)
		opB := h.User("op-b", "operator", villageB)
		importAnswer(t, op.Post(villageA, "/import", siakCSV))
		importAnswer(t, opB.Post(villageB, "/import", "nik,kk,name,sex,birth_date,relationship,address\n1401021503800021,1401022001150021,\"=HYPERLINK(\"\"x\"\")\",L,1980-03-15,1,@SUM(A1)\n"))
		regency := h.User("op-reg", "operator", "14.01")
		viewer := h.User("viewer-reg", "viewer", "14.01")

		r := regency.Get("14.01", "/residents/export")
		rows := readCSV(t, r.Body)
		if r.Status != 200 || len(rows) != 7 || rows[0][0] != "NIK" || rows[0][1] != "No. KK" || rows[0][2] != "Nama" {
			t.Fatalf("regency export: %d %q", r.Status, rows)
		}
		var hyper []string
		for _, row := range rows {
			if strings.Contains(row[2], "HYPERLINK") {
				hyper = row
			}
		}
		if hyper == nil || hyper[2] != "'=HYPERLINK(\"x\")" || hyper[14] != "'@SUM(A1)" || hyper[0] != "1401021503800021" {
			t.Errorf("injection: %q", hyper)
		}
		r = viewer.Get("14.01", "/residents/export?format=xlsx&status=alive")
		wb, err := excelize.OpenReader(bytes.NewReader(r.Body))
		if err != nil {
			t.Fatalf("viewer xlsx: %d %s", r.Status, r.Body)
		}
		vrows, _ := wb.GetRows("Sheet1")
		if len(vrows) != 5 { // header + 4 living
			t.Fatalf("viewer export: %q", vrows)
		}
		for _, row := range vrows[1:] {
			row = append(row, make([]string, 20)...)
			if !strings.Contains(row[0], "*") || !strings.Contains(row[1], "*") || row[5] != "" || row[13] != "" {
				t.Errorf("viewer sees %q", row[:14])
			}
		}
		if r := viewer.Get("14.01", "/residents/export?nik=1401011503800001"); r.Status != 403 {
			t.Errorf("viewer filtering by NIK: %d", r.Status)
		}
		// The export filters as the list does: ?rt=1 finds RT 001.
		if r := regency.Get("14.01", "/residents/export?rt=1&status=alive"); len(readCSV(t, r.Body)) != 4 {
			t.Errorf("export ?rt=1: %d %s", r.Status, r.Body)
		}
		if r := regency.Get("14.01", "/residents/export?rt=0"); r.ErrorCode() != codeInvalidRT {
			t.Errorf("export ?rt=0: %s", r.Body)
		}
		if r := viewer.Get("14.01", "/residents/export?format=pdf"); r.ErrorCode() != codeInvalidFormat {
			t.Errorf("format=pdf: %s", r.Body)
		}
		// Round trip: the village's export imports into an empty village
		// as the same residents (Kode Wilayah and Tahun Lahir ignored).
		r = op.Get(villageA, "/residents/export?format=xlsx")
		var audit struct{ Items []map[string]any }
		h.Admin().API("GET", "/api/v1/audit?action=population.residents.exported", nil).JSON(&audit)
		if len(audit.Items) != 4 || strings.Contains(string(mustJSON(audit.Items)), "BUDI") { // 3 above, 1 by RT
			t.Errorf("export audit: %v", audit.Items)
		}
		// NIKs are unique across the deployment: the round trip imports
		// into a fresh one.
		h2 := sdktest.New(t, &plugin)
		h2.Tenant(villageA)
		h2.Enable("14.01")
		op3 := h2.User("op-a", "operator", villageA)
		res := importAnswer(t, op3.Post(villageA, "/import", r.Body))
		if res.Inserted != 5 || res.Rejected != 0 || len(res.UnknownColumns) != 0 {
			t.Fatalf("round trip: %+v", res)
		}
		before, after := residentsOf(t, op, villageA), residentsOf(t, op3, villageA)
		for name, v := range before {
			w := after[name]
			v.ID, v.Version, v.CreatedAt, v.UpdatedAt = "", 0, time.Time{}, time.Time{}
			w.ID, w.Version, w.CreatedAt, w.UpdatedAt = "", 0, time.Time{}, time.Time{}
			if mustJSON(v) != mustJSON(w) {
				t.Errorf("round trip changed %s:\n%s\n%s", name, mustJSON(v), mustJSON(w))
			}
		}
		// Families and statistics.
		r = regency.Get("14.01", "/families/export")
		frows := readCSV(t, r.Body)
		if len(frows) != 3 || frows[0][3] != "Jumlah Anggota" {
			t.Fatalf("families: %q", frows)
		}
		for _, row := range frows[1:] {
			if row[2] == "BUDI SANTOSO" && row[3] != "3" {
				t.Errorf("Budi's family has %s members", row[3])
			}
		}
		frows = readCSV(t, viewer.Get("14.01", "/families/export").Body)
		if len(frows) != 3 || !strings.Contains(frows[1][0], "*") || frows[1][3] != "" {
			t.Errorf("families for a viewer: %q", frows)
		}
		srows := readCSV(t, h.Anonymous().Get("14.01", "/stats/export?by=sex").Body)
		if len(srows) < 3 || srows[len(srows)-1][1] != "Jumlah" || srows[len(srows)-1][2] != "4" {
			t.Errorf("stats export: %q", srows)
		}
		if r := h.Anonymous().Get(villageA, "/stats/export"); r.Status != 403 {
			t.Errorf("anonymous village stats export: %d", r.Status)
		}
	})
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
