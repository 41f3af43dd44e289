package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk"
	"github.com/xuri/excelize/v2"
)

var updateTestdata = flag.Bool("update-testdata", false, "rewrite testdata/Ta_RABRinci.xlsx from testdata/Ta_RABRinci.csv")

// taRABRinci is testdata/Ta_RABRinci.csv: a village's budget items in the
// layout of Siskeudes' Ta_RABRinci table, as Siskeudes exports it and
// OpenSID imports it.
func taRABRinci(t *testing.T) [][]string {
	t.Helper()
	data, err := os.ReadFile("testdata/Ta_RABRinci.csv")
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := readTable(data)
	if err != nil {
		t.Fatal(err)
	}
	return tbl.rows
}

func lineOf(lines []Line, section, code, account string) *Line {
	for i := range lines {
		if lines[i].Section == section && lines[i].Code == code && lines[i].Account == account {
			return &lines[i]
		}
	}
	return nil
}

func importErr(t *testing.T, err error, code sdk.Code, want string) {
	t.Helper()
	var e *sdk.Error
	if !errors.As(err, &e) || e.Code != code || !strings.Contains(e.Message, want) {
		t.Errorf("%v, want %s saying %q", err, code, want)
	}
}

func TestImportTaRABRinci(t *testing.T) {
	rows := taRABRinci(t)
	lines, skipped, rejected, err := parseImport(table{rows: rows}, importOptions{Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 15 || skipped != 0 || len(rejected) != 0 {
		t.Fatalf("%d lines, %d skipped, rejected %+v", len(lines), skipped, rejected)
	}
	sums, err := checkLines(lines)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkBalance(sums); err != nil || sums.Income != 1_251_500_000 || sums.Spending != 1_083_800_005 {
		t.Errorf("totals %+v: %v", sums, err)
	}
	for _, c := range []struct {
		section, code, account, name string
		amount                       int64
	}{
		{sectionIncome, "4.3.6.01", "", "Bunga bank, rekening kas desa", 1_500_000},
		// Three items of one account, two funded by ADD and one by PBH: a
		// line per source; the ADD items added up and named by the
		// account's kind.
		{sectionSpending, "1.1.02.2", "5.1.2.01", "Penghasilan Tetap dan Tunjangan Perangkat Desa", 196_800_000},
		{sectionSpending, "1.1.02.3", "5.1.2.01", "Penghasilan tetap kepala dusun (2 orang)", 43_200_000},
		// 550005.25 + 1249999.25: added in sen, then rounded half up (each
		// rounded first would make 1800004).
		{sectionSpending, "1.1.04", "5.2.1.01", "Belanja Barang Perlengkapan", 1_800_005},
		{sectionSpending, "2.3.10", "5.3.5.03", "Belanja Modal Jalan/Prasarana Jalan", 450_000_000},
		{sectionSpending, "5.1.01", "5.4.1.01", "Belanja tak terduga", 50_000_000},
		{sectionFinancing, "6.2.2.01", "", "Penyertaan modal BUMDes", 170_000_000},
	} {
		l := lineOf(lines, c.section, c.code, c.account)
		if l == nil || l.Name != c.name || l.Amount != c.amount {
			t.Errorf("%s %s %s: %+v, want %q %d", c.section, c.code, c.account, l, c.name, c.amount)
		}
	}
	if l := lineOf(lines, sectionSpending, "2.3.10", "5.3.5.02"); l == nil || l.Source != "DDS" {
		t.Errorf("source: %+v", l)
	}
	if l := lineOf(lines, sectionIncome, "4.2.1.01", ""); l == nil || l.Source != "" {
		t.Errorf("an income row's SumberDana is not a line's source: %+v", l)
	}

	// The Perubahan reads AnggaranStlhPAK.
	lines, _, _, _ = parseImport(table{rows: rows}, importOptions{Year: 2026, Perubahan: true})
	sums, _ = checkLines(lines)
	if l := lineOf(lines, sectionSpending, "2.3.10", "5.3.5.03"); l == nil || l.Amount != 500_000_000 || checkBalance(sums) != nil || sums.Income != 1_301_500_000 {
		t.Errorf("perubahan: %+v %+v", l, sums)
	}

	// Another year's export.
	_, _, _, err = parseImport(table{rows: rows}, importOptions{Year: 2025})
	importErr(t, err, codeInvalidFile, "of the year 2026 (Tahun), not 2025")
}

// with returns rows with the cells of row i named by column set.
func with(rows [][]string, i int, set map[string]string) [][]string {
	out := make([][]string, len(rows))
	for k := range rows {
		out[k] = append([]string(nil), rows[k]...)
	}
	for col, v := range set {
		for j, h := range rows[0] {
			if h == col {
				out[i][j] = v
			}
		}
	}
	return out
}

func TestImportRejectsWholeLines(t *testing.T) {
	rows := taRABRinci(t)
	// Row 12 (Tinta printer) has an amount that is not rupiah: its line
	// (ATK, 5.2.1.01 of 1.1.04) is left out whole, the Kertas row (11)
	// listed with it; the other lines are imported.
	bad := with(rows, 11, map[string]string{"Anggaran": "12,5,0"})
	lines, _, rejected, err := parseImport(table{rows: bad}, importOptions{Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 14 || lineOf(lines, sectionSpending, "1.1.04", "5.2.1.01") != nil {
		t.Errorf("%d lines: %+v", len(lines), lines)
	}
	if len(rejected) != 2 || rejected[0].Row != 11 || rejected[0].Code != "line_incomplete" || !strings.Contains(rejected[0].Reason, "row 12") ||
		rejected[1].Row != 12 || rejected[1].Code != "invalid_amount" {
		t.Errorf("rejected %+v", rejected)
	}
	// One account funded by two sources (Siskeudes budgets an account
	// per source): a line per source, told apart by the source's number.
	mixed := with(rows, 11, map[string]string{"SumberDana": "DDS"})
	lines, _, rejected, _ = parseImport(table{rows: mixed}, importOptions{Year: 2026})
	dds, add := lineOf(lines, sectionSpending, "1.1.04.1", "5.2.1.01"), lineOf(lines, sectionSpending, "1.1.04.2", "5.2.1.01")
	if len(lines) != 16 || len(rejected) != 0 || dds == nil || dds.Source != "DDS" || dds.Amount != 1_249_999 || dds.Name != "Tinta printer" ||
		add == nil || add.Source != "ADD" || add.Amount != 550_005 || lineOf(lines, sectionSpending, "1.1.04", "5.2.1.01") != nil {
		t.Errorf("mixed sources: %d lines, %+v %+v, %+v", len(lines), dds, add, rejected)
	}
	// ... and a bad item of one of them leaves out that source's line only.
	mixedBad := with(mixed, 11, map[string]string{"Anggaran": "x"})
	lines, _, rejected, _ = parseImport(table{rows: mixedBad}, importOptions{Year: 2026})
	if len(lines) != 15 || len(rejected) != 1 || rejected[0].Row != 12 || lineOf(lines, sectionSpending, "1.1.04.2", "5.2.1.01") == nil {
		t.Errorf("mixed sources, a bad item: %d lines, %+v", len(lines), rejected)
	}
	// A bidang that does not exist: that row alone.
	wrong := with(rows, 15, map[string]string{"Kd_Keg": "01.2009.09.01.01."})
	lines, _, rejected, _ = parseImport(table{rows: wrong}, importOptions{Year: 2026})
	if len(lines) != 14 || len(rejected) != 1 || rejected[0].Row != 16 || rejected[0].Code != "invalid_code" {
		t.Errorf("bidang 9: %d lines, %+v", len(lines), rejected)
	}
}

func TestImportDistrictDatabase(t *testing.T) {
	rows := taRABRinci(t)
	// A district's Siskeudes database holds several villages.
	other := with(rows, 1, map[string]string{"Kd_Desa": "01.2010.", "Kd_Keg": "01.2010.00.00.00."})[1]
	rows = append(rows, other)
	_, _, _, err := parseImport(table{rows: rows}, importOptions{Year: 2026})
	importErr(t, err, codeInvalidFile, "2 villages (Kd_Desa 01.2009, 01.2010)")
	lines, skipped, rejected, err := parseImport(table{rows: rows}, importOptions{Year: 2026, KdDesa: "01.2009."})
	if err != nil || len(lines) != 15 || skipped != 1 || len(rejected) != 0 {
		t.Errorf("kd_desa=01.2009.: %d lines, %d skipped, %v %v", len(lines), skipped, rejected, err)
	}
	if lines, _, _, _ := parseImport(table{rows: rows}, importOptions{Year: 2026, KdDesa: "01.2010"}); len(lines) != 1 || lines[0].Amount != 50_000_000 {
		t.Errorf("kd_desa=01.2010: %+v", lines)
	}
	_, _, _, err = parseImport(table{rows: rows}, importOptions{Year: 2026, KdDesa: "01.2011"})
	importErr(t, err, codeInvalidFile, "no row of the file is of Kd_Desa 01.2011")

	// Ta_Anggaran's postings: one at a time.
	posted := [][]string{{"KdPosting", "Tahun", "KD_Rincian", "Anggaran", "Kd_keg", "SumberDana", "Kd_Desa"},
		{"1", "2026", "4.2.1.01.", "800000000", "01.2009.00.00.00.", "DDS", "01.2009."},
		{"2", "2026", "4.2.1.01.", "850000000", "01.2009.00.00.00.", "DDS", "01.2009."}}
	_, _, _, err = parseImport(table{rows: posted}, importOptions{Year: 2026})
	importErr(t, err, codeInvalidFile, "2 postings")
	if lines, _, _, err := parseImport(table{rows: posted[:2]}, importOptions{Year: 2026}); err != nil || len(lines) != 1 || lines[0].Name != "Dana Desa" {
		t.Errorf("one posting: %+v %v", lines, err)
	}

	// Ta_RAB: one row per account, no names and no sources. Income and
	// financing are named after their kind; spending cannot be read.
	rab := [][]string{{"Tahun", "Kd_Desa", "Kd_Keg", "Kd_Rincian", "Anggaran", "AnggaranPAK", "AnggaranStlhPAK"},
		{"2026", "01.2009.", "01.2009.00.00.00.", "4.3.6.01.", "1500000", "0", "1500000"},
		{"2026", "01.2009.", "01.2009.00.00.00.", "6.1.1.01.", "2300005", "0", "2300005"}}
	if lines, _, _, err := parseImport(table{rows: rab}, importOptions{Year: 2026}); err != nil || len(lines) != 2 || lines[0].Name != "Bunga Bank" || lines[1].Name != "SiLPA Tahun Sebelumnya" {
		t.Errorf("Ta_RAB: %+v %v", lines, err)
	}
	rab = append(rab, []string{"2026", "01.2009.", "01.2009.01.01.01.", "5.1.1.01.", "30000000", "0", "30000000"})
	_, _, _, err = parseImport(table{rows: rab}, importOptions{Year: 2026})
	importErr(t, err, codeInvalidFile, "no SumberDana column")
}

// The workbook: the same rows with the amounts as number cells shown in
// a thousands format; the values behind the format are read.
func TestImportWorkbook(t *testing.T) {
	rows := taRABRinci(t)
	wb := excelize.NewFile()
	defer wb.Close()
	style, _ := wb.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
	for i, row := range rows {
		for j, v := range row {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if f, err := strconv.ParseFloat(v, 64); err == nil && i > 0 && (rows[0][j] == "Anggaran" || rows[0][j] == "AnggaranStlhPAK" || rows[0][j] == "HrgSatuan") {
				wb.SetCellFloat("Sheet1", ref, f, -1, 64)
				wb.SetCellStyle("Sheet1", ref, ref, style)
			} else {
				wb.SetCellStr("Sheet1", ref, v)
			}
		}
	}
	var buf bytes.Buffer
	if err := wb.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if *updateTestdata {
		if err := os.WriteFile("testdata/Ta_RABRinci.xlsx", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	committed, err := os.ReadFile("testdata/Ta_RABRinci.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	want, _, _, _ := parseImport(table{rows: rows}, importOptions{Year: 2026})
	for name, data := range map[string][]byte{"built": buf.Bytes(), "testdata": committed} {
		tbl, err := readTable(data)
		if err != nil || !tbl.workbook {
			t.Fatalf("%s: %v", name, err)
		}
		got, _, rejected, err := parseImport(tbl, importOptions{Year: 2026})
		if err != nil || len(rejected) != 0 || len(got) != len(want) {
			t.Fatalf("%s: %d lines, rejected %v, %v", name, len(got), rejected, err)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s line %d: %+v, want %+v", name, i, got[i], want[i])
			}
		}
	}
}

// A CSV saved by Excel or Access on Windows is in Windows-1252.
func TestImportWindows1252(t *testing.T) {
	data := []byte("Kd_Keg;Kd_Rincian;Uraian;Satuan;Anggaran;SumberDana\n01.2009.02.03.10.;5.3.5.03.;Plester dinding caf\xe9;M\xb2;1.500.000;DDS\n")
	tbl, err := readTable(data)
	if err != nil {
		t.Fatal(err)
	}
	lines, _, rejected, err := parseImport(tbl, importOptions{Year: 2026})
	if err != nil || len(rejected) != 0 || len(lines) != 1 || lines[0].Name != "Plester dinding café" || lines[0].Amount != 1_500_000 {
		t.Errorf("%+v %v %v", lines, rejected, err)
	}
	if _, err := readTable([]byte("a,b\x00")); err == nil {
		t.Error("a binary file was read")
	}
}

func TestParseSen(t *testing.T) {
	for _, c := range []struct {
		in      string
		machine bool
		sen     int64
	}{
		{"1250000", false, 125_000_000}, {"1.250.000", false, 125_000_000}, {"1.250.000,00", false, 125_000_000},
		{"1,250,000.50", false, 125_000_050}, {"1250000,5", false, 125_000_050}, {"1250000.00", false, 125_000_000},
		{"Rp 1.250.000", false, 125_000_000}, {"Rp. 1.250.000,-", false, 125_000_000}, {"Rp. 1.250.000,-5", false, -1}, {"1.250", false, 125_000}, {"1,250", false, 125_000},
		{"550005.25", false, 55_000_525}, {"0,005", false, 500}, {"12,5,0", false, -1}, {"-1000", false, -1}, {"", false, -1}, {"abc", false, -1},
		{"1250000.5", true, 125_000_050}, {"1.25E+6", true, 125_000_000}, {"1249999.25", true, 124_999_925}, {"1.250.000", true, 125_000_000},
		{"1.250", true, 125}, {"1250.000", false, 125_000}, {"99999999999999999999", false, -1},
	} {
		sen, err := parseSen(c.in, c.machine)
		if (c.sen < 0) != (err != nil) || (err == nil && sen != c.sen) {
			t.Errorf("parseSen(%q, %v) = %d, %v; want %d", c.in, c.machine, sen, err, c.sen)
		}
	}
	if roundSen(180000450) != 1800005 || roundSen(180000449) != 1800004 {
		t.Error("rounding half up")
	}
}

// A workbook whose rows each hold a cell in the last column (XFD, 16,384)
// is read cut to maxSheetColumns cells a row, not padded to 16,384
// strings a row (a few kilobytes zipped would otherwise unpack into
// gigabytes); a sheet of more than maxSheetRows rows is refused whole.
func TestImportWorkbookBounds(t *testing.T) {
	write := func(wb *excelize.File) []byte {
		var buf bytes.Buffer
		if err := wb.Write(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	wide := excelize.NewFile()
	defer wide.Close()
	for i := 1; i <= 200; i++ {
		wide.SetCellStr("Sheet1", "A"+strconv.Itoa(i), "Kd_Desa")
		wide.SetCellStr("Sheet1", "XFD"+strconv.Itoa(i), "x")
	}
	tbl, err := readTable(write(wide))
	if err != nil {
		t.Fatal(err)
	}
	if len(tbl.rows) != 200 {
		t.Fatalf("%d rows, want 200", len(tbl.rows))
	}
	for i, row := range tbl.rows {
		if len(row) > maxSheetColumns || cap(row) > maxSheetColumns {
			t.Fatalf("row %d keeps %d cells (cap %d), want at most %d", i+1, len(row), cap(row), maxSheetColumns)
		}
	}

	long := excelize.NewFile()
	defer long.Close()
	sw, err := long.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= maxSheetRows+1; i++ {
		if err := sw.SetRow("A"+strconv.Itoa(i), []any{"Kd_Desa"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	_, err = readTable(write(long))
	var e *sdk.Error
	if !errors.As(err, &e) || e.Code != codeInvalidFile {
		t.Fatalf("a sheet of %d rows: %v, want 422 %s", maxSheetRows+1, err, codeInvalidFile)
	}
}
