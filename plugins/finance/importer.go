package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/balaidesa/balai/sdk"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

// The import of budget lines from a Siskeudes export (POST
// /budgets/{year}/import, as CSV or .xlsx, raw or as the file part "file"
// of a multipart form).
//
// The layout read is Siskeudes' own: the table Ta_RABRinci (the items of
// the budget, one row per item) as Siskeudes exports its tables, which is
// also what OpenSID imports (Ta_RABRinci.csv in the zip of Siskeudes
// tables; OpenSID's migration create_keuangan_ta_rab_rinci_table names the
// columns Tahun, Kd_Desa, Kd_Keg, Kd_Rincian, Kd_SubRinci, No_Urut,
// SumberDana, Uraian, Satuan, JmlSatuan, HrgSatuan, Anggaran, JmlSatuanPAK,
// HrgSatuanPAK, AnggaranStlhPAK, AnggaranPAK, Kode_SBU), and Ta_RAB (one
// row per account: Tahun, Kd_Desa, Kd_Keg, Kd_Rincian, Anggaran,
// AnggaranPAK, AnggaranStlhPAK). Balai's own simpler layout, a header row
// naming some of these columns (or their aliases) anywhere in the first 20
// rows, is read the same way. Names are matched without regard to case,
// spaces, dots and underscores, and other columns are ignored:
//
//	Kd_Keg       activity of a spending row: Siskeudes writes the village's
//	             Kd_Desa then bidang.sub-bidang.kegiatan ("01.2001.02.03.01.");
//	             "1.1.01." and "01.01.01." are read too: the last three
//	             segments, leading zeros of bidang and sub-bidang dropped;
//	             ignored for income and financing rows
//	Kd_Rincian   the account as Siskeudes writes it, with a trailing dot:
//	             4.x.x[.xx] income, 5.x.x[.xx] spending (the type of
//	             spending), 6.x.x[.xx] financing
//	             (also: Kd_Rek, Kode_Rekening, Rekening, Kode)
//	Uraian       the item's name (also: Nama, Nama_Rincian, Nama_Obyek)
//	Anggaran     the amount in rupiah: "1250000" and "1250000.5" (numbers
//	             as Siskeudes and a workbook's cells hold them),
//	             "1.250.000", "1.250.000,00", "1,250,000.00", "Rp 1.250.000,-"
//	             (also: Nilai, Nilai_Anggaran, JmlAnggaran, Jumlah, Pagu)
//	SumberDana   the source of funds of a spending row: DDS, ADD, PBH, PAD,
//	             BKP, BKK, SWD, SILPA, DLL, or PBP, PBK, PDL read as BKP,
//	             BKK, DLL (also: Sumber_Dana, Sumber)
//	AnggaranStlhPAK  the amount after the change, read instead of
//	             Anggaran by an import with ?kind=perubahan
//	Tahun        the budget year: a file of another year is refused
//	Kd_Desa      the village in Siskeudes: a Siskeudes database (and its
//	             export) may hold the villages of a whole district, so a
//	             file with more than one is refused unless ?kd_desa= names
//	             the one to read
//	KdPosting    Ta_Anggaran's posting: a file with more than one is refused
//
// Kd_Rincian may also carry the name after the code ("4.1.1. Hasil Usaha
// Desa"), as some copies of the tables write it.
//
// Rows whose account has fewer than three segments ("4.", "4.1.", the
// sub-totals), empty rows and rows of other villages are skipped. The item
// rows of one line (section, activity, account) are added up: in sen, so
// that items of fractional rupiah (JmlSatuan x HrgSatuan) add up as
// Siskeudes adds them, then rounded to whole rupiah, half up. An account
// funded by several sources becomes a line per source (sourceNumber). A
// row that cannot be read is rejected with its number and reason; a line
// of which one item row is rejected is left out whole, its other rows
// listed as line_incomplete, so that no line is imported with part of its
// amount. The other lines replace the draft's (nothing is saved when no
// row is good).

// ImportResult is the answer of an import.
type ImportResult struct {
	Rows     int         `json:"rows"`
	Lines    int         `json:"lines"`
	Skipped  int         `json:"skipped"`
	Rejected []RowError  `json:"rejected"`
	Budget   *BudgetView `json:"budget,omitempty"`
}

// RowError is a rejected row: its number in the file (the header is row
// 1 when it is the first), the error code and the reason.
type RowError struct {
	Row    int    `json:"row"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// importOptions are what an import reads besides the file: the year of
// the path, whether it opens the Perubahan (the amounts after the change),
// and the Siskeudes village code of a file that holds several.
type importOptions struct {
	Year      int
	Perubahan bool
	KdDesa    string
}

var importColumns = map[string][]string{
	"keg":    {"kdkeg", "kodekegiatan", "kegiatan"},
	"rek":    {"kdrincian", "kdrek", "koderekening", "rekening", "kode"},
	"name":   {"uraian", "nama", "namarincian", "namaobyek"},
	"amount": {"anggaran", "nilai", "nilaianggaran", "jmlanggaran", "jumlah", "pagu"},
	// The amount after the change (PAK), read instead of Anggaran when
	// the import opens or replaces an APBDes Perubahan.
	"after":   {"anggaranstlhpak", "anggaransetelahperubahan"},
	"source":  {"sumberdana", "sumber"},
	"year":    {"tahun"},
	"desa":    {"kddesa"},
	"posting": {"kdposting"},
}

func normHeader(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	return strings.NewReplacer(" ", "", "_", "", ".", "").Replace(s)
}

// table is an import file's rows; workbook says they come from .xlsx
// cells, whose numbers are read as the workbook stores them ("1250000.5")
// rather than as its number format shows them in some locale.
type table struct {
	rows     [][]string
	workbook bool
}

// Bounds on a workbook's first sheet as read. A row is read padded with
// blanks up to its last cell, so one cell in column XFD makes 16,384
// strings: a few kilobytes of zipped XML could otherwise unpack into
// gigabytes (found by the security review). Siskeudes' widest table has
// about 40 columns and a district's export some tens of thousands of item
// rows.
const (
	maxSheetRows    = 50_000
	maxSheetColumns = 64
)

// sheetRows reads the sheet's rows one at a time, each cut to
// maxSheetColumns cells, and refuses a sheet of more than maxSheetRows
// rows (422 invalid_import_file).
func sheetRows(wb *excelize.File, sheet string) ([][]string, error) {
	it, err := wb.Rows(sheet)
	if err != nil {
		return nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile, "the first sheet cannot be read: %v", err)
	}
	defer it.Close()
	var rows [][]string
	for it.Next() {
		if len(rows) == maxSheetRows {
			return nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile, "the first sheet has more than %d rows: import one village's budget at a time", maxSheetRows)
		}
		cells, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile, "the first sheet cannot be read: %v", err)
		}
		row := make([]string, min(len(cells), maxSheetColumns)) // a copy: the padded row is not kept
		copy(row, cells)
		rows = append(rows, row)
	}
	if err := it.Error(); err != nil {
		return nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile, "the first sheet cannot be read: %v", err)
	}
	return rows, nil
}

// readTable reads the rows of a CSV (comma or semicolon; UTF-8, or
// Windows-1252 when it is not UTF-8) or XLSX file.
func readTable(data []byte) (table, error) {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		// Bounds on what the workbook may unpack to: a budget of a few
		// hundred lines is kilobytes; a zip bomb would fill memory and disk.
		wb, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 16 << 20})
		if err != nil {
			return table{}, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile, "the workbook cannot be read: %v", err)
		}
		defer wb.Close()
		sheets := wb.GetSheetList()
		if len(sheets) == 0 {
			return table{}, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile, "the workbook has no sheet")
		}
		rows, err := sheetRows(wb, sheets[0])
		if err != nil {
			return table{}, err
		}
		return table{rows: rows, workbook: true}, nil
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return table{}, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile, "the file is neither CSV nor an .xlsx workbook")
	}
	if !utf8.Valid(data) {
		// Excel and Access on Windows save CSV in the system's code page,
		// Windows-1252 in Indonesia: a unit written "M\xb2" or a name with
		// an accent would otherwise refuse the whole export.
		dec, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			return table{}, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile, "the file is neither UTF-8 nor Windows-1252 CSV, nor an .xlsx workbook")
		}
		data = dec
	}
	// The delimiter: semicolons (a spreadsheet in the Indonesian locale) or
	// commas, whichever the first lines hold more of.
	head := data[:min(len(data), 4096)]
	cr := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(head, []byte(";")) > bytes.Count(head, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	rows, err := cr.ReadAll()
	if err != nil {
		return table{}, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile, "the CSV cannot be read: %v", err)
	}
	return table{rows: rows}, nil
}

// machineNumber is a number as a program writes it: Siskeudes' exported
// tables, and the value a workbook stores behind a cell's format.
var machineNumber = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// parseSen reads an amount in rupiah as Siskeudes, a workbook or a clerk
// writes it, and answers it in sen (hundredths of a rupiah), so that the
// items of a line add up exactly before the line is rounded. machine says
// the value is a workbook cell's stored value, read with a decimal point.
// Written by hand, the separator that comes last is the decimal one when
// both "." and "," occur ("1.250.000,50", "1,250,000.50"); a single kind
// occurring more than once groups thousands ("1.250.000"), and occurring
// once it groups thousands when it could ("1.250", "1,250"), and is the
// decimal separator otherwise ("1250000,5", "1250000.00", "1250.000").
// Groups that are not of three digits ("12,5,0") are not an amount.
func parseSen(s string, machine bool) (int64, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", " "))
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(s, "Rp"), "."))
	s = strings.ReplaceAll(s, " ", "")
	// "Rp 1.250.000,-": no sen, as Indonesian writes it by hand.
	s = strings.TrimSuffix(strings.TrimSuffix(s, ",-"), ".-")
	bad := fmt.Errorf("amount %q is not rupiah", s)
	if s == "" {
		return 0, bad
	}
	if machine && machineNumber.MatchString(s) {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(f, 0) || f*100 > math.MaxInt64/2 {
			return 0, bad
		}
		return int64(math.Round(f * 100)), nil
	}
	whole, frac := s, ""
	dot, comma := strings.LastIndex(s, "."), strings.LastIndex(s, ",")
	switch {
	case dot >= 0 && comma >= 0:
		dec, group := max(dot, comma), ","
		if dec == comma {
			group = "."
		}
		if !grouped(s[:dec], group) {
			return 0, bad
		}
		whole, frac = strings.ReplaceAll(s[:dec], group, ""), s[dec+1:]
	case dot >= 0 || comma >= 0:
		sep := "."
		if comma >= 0 {
			sep = ","
		}
		i := strings.LastIndex(s, sep)
		switch {
		case strings.Count(s, sep) > 1 && !grouped(s, sep):
			return 0, bad
		case strings.Count(s, sep) > 1 || len(s)-i-1 == 3 && grouped(s, sep):
			whole = strings.ReplaceAll(s, sep, "")
		default:
			whole, frac = s[:i], s[i+1:]
		}
	}
	if whole == "" || len(whole) > 15 || strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" {
		return 0, bad
	}
	n, _ := strconv.ParseInt(whole, 10, 64)
	sen := n * 100
	if frac != "" {
		// Sen from the first two digits, rounded half up on the third.
		f := (frac + "000")[:3]
		d, _ := strconv.Atoi(f)
		sen += int64((d + 5) / 10)
	}
	return sen, nil
}

// grouped says whether s groups its digits in thousands with sep:
// "1.250.000", not "12.5.0".
func grouped(s, sep string) bool {
	parts := strings.Split(s, sep)
	if len(parts[0]) < 1 || len(parts[0]) > 3 {
		return false
	}
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return false
		}
	}
	return true
}

// roundSen rounds sen to whole rupiah, half up.
func roundSen(sen int64) int64 { return (sen + 50) / 100 }

// activityCode reads Kd_Keg: its last three segments, leading zeros of
// the bidang and sub-bidang removed.
func activityCode(s string) string {
	parts := strings.Split(strings.Trim(strings.TrimSpace(s), "."), ".")
	if len(parts) < 3 {
		return strings.Join(parts, ".")
	}
	parts = parts[len(parts)-3:]
	for i := 0; i < 2; i++ {
		if n, err := strconv.Atoi(parts[i]); err == nil {
			parts[i] = strconv.Itoa(n)
		}
	}
	return strings.Join(parts, ".")
}

// kindName is the regulation's name of a line's kind (the third segment
// of its account, or of its code for income and financing): the name an
// imported line gets when its item rows are named differently, or not.
func kindName(l Line) string {
	switch l.Section {
	case sectionIncome:
		return incomeKinds[prefix(l.Code, 3)]
	case sectionFinancing:
		return financingKinds[prefix(l.Code, 3)]
	}
	if k := spendingKinds[prefix(l.Account, 3)]; k != "" {
		return k
	}
	return spendingAccounts[prefix(l.Account, 2)]
}

// findHeader finds the header row among the first 20 and the columns it
// names.
func findHeader(rows [][]string) (int, map[string]int, error) {
	for i, row := range rows {
		if i > 20 {
			break
		}
		found := map[string]int{}
		for j, cell := range row {
			h := normHeader(cell)
			for col, names := range importColumns {
				if _, dup := found[col]; !dup && slices.Contains(names, h) {
					found[col] = j
				}
			}
		}
		_, rek := found["rek"]
		_, amount := found["amount"]
		if rek && amount {
			return i, found, nil
		}
	}
	return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile, "no header row with the columns Kd_Rincian and Anggaran in the first 20 rows")
}

// distinct lists the different values of a column in rows, in the order
// met, without trailing dots.
func distinct(rows [][]string, col int, ok bool) []string {
	var vs []string
	if !ok {
		return nil
	}
	for _, row := range rows {
		if col < len(row) {
			if v := strings.Trim(strings.TrimSpace(row[col]), "."); v != "" && !slices.Contains(vs, v) {
				vs = append(vs, v)
			}
		}
	}
	return vs
}

// importRow is a row read: its number, the line it adds to (amount in
// sen), or why it was rejected.
type importRow struct {
	n    int
	line Line
	sen  int64
	key  string
	err  *RowError
}

// parseImport turns the rows into lines, the number of rows skipped and
// the rejected rows; a file it cannot read as a whole is an error.
func parseImport(t table, o importOptions) ([]Line, int, []RowError, error) {
	head, cols, err := findHeader(t.rows)
	if err != nil {
		return nil, 0, nil, err
	}
	body := t.rows[head+1:]
	cell := func(row []string, col string) string {
		j, ok := cols[col]
		if !ok || j >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[j])
	}
	// The file as a whole: one village, one year, one posting.
	desaCol, hasDesa := cols["desa"]
	villages := distinct(body, desaCol, hasDesa)
	want := strings.Trim(strings.TrimSpace(o.KdDesa), ".")
	switch {
	case want != "" && hasDesa && !slices.Contains(villages, want):
		return nil, 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile, "no row of the file is of Kd_Desa %s; it holds %s", want, strings.Join(villages, ", "))
	case want == "" && len(villages) > 1:
		return nil, 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile,
			"the file holds the budgets of %d villages (Kd_Desa %s): export one village, or name it with ?kd_desa=", len(villages), strings.Join(villages, ", "))
	}
	yearCol, hasYear := cols["year"]
	for _, y := range distinct(body, yearCol, hasYear) {
		if y != strconv.Itoa(o.Year) {
			return nil, 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile, "the file is of the year %s (Tahun), not %d", y, o.Year)
		}
	}
	postCol, hasPost := cols["posting"]
	if ps := distinct(body, postCol, hasPost); len(ps) > 1 {
		return nil, 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile,
			"the file holds %d postings of the budget (KdPosting %s): export one, or Ta_RABRinci", len(ps), strings.Join(ps, ", "))
	}
	amountCol := "amount"
	if _, ok := cols["after"]; ok && o.Perubahan {
		amountCol = "after"
	}
	_, hasSource := cols["source"]

	skipped := 0
	var read []importRow
	for i, row := range body {
		n := head + i + 2
		if want != "" && hasDesa && strings.Trim(cell(row, "desa"), ".") != want {
			skipped++ // another village of the district's database
			continue
		}
		rek, name := cell(row, "rek"), cell(row, "name")
		// Some copies of the tables write "4.1.1. Hasil Usaha Desa": the
		// code, then the name.
		if code, rest, ok := strings.Cut(rek, " "); ok {
			rek = code
			if name == "" {
				name = strings.TrimSpace(rest)
			}
		}
		rek = strings.Trim(rek, ".")
		if rek == "" && cell(row, amountCol) == "" {
			skipped++
			continue
		}
		if strings.Count(rek, ".") < 2 {
			skipped++ // a sub-total row ("4.", "4.1.") or a heading
			continue
		}
		l := Line{Name: name}
		switch rek[0] {
		case '4':
			l.Section, l.Code = sectionIncome, rek
		case '6':
			l.Section, l.Code = sectionFinancing, rek
		case '5':
			if !hasSource {
				return nil, 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile,
					"row %d is spending but the file has no SumberDana column: export Ta_RABRinci, whose rows carry their source of funds (Ta_RAB does not)", n)
			}
			l.Section, l.Code, l.Account, l.Source = sectionSpending, activityCode(cell(row, "keg")), rek, strings.ToUpper(cell(row, "source"))
		default:
			read = append(read, importRow{n: n, err: &RowError{n, string(codeInvalidCode), fmt.Sprintf("account %q is not income (4), spending (5) or financing (6)", rek)}})
			continue
		}
		if l.Name == "" {
			l.Name = kindName(l)
		}
		one := []Line{l}
		if _, err := checkLines(one); err != nil {
			se := err.(*sdk.Error)
			_, reason, _ := strings.Cut(se.Message, ": ")
			read = append(read, importRow{n: n, err: &RowError{n, string(se.Code), reason}})
			continue
		}
		l = one[0]
		r := importRow{n: n, line: l, key: lineKey(l.Section, l.Code, l.Account)}
		sen, err := parseSen(cell(row, amountCol), t.workbook)
		switch {
		case err != nil:
			r.err = &RowError{n, string(codeInvalidAmount), err.Error()}
		case sen > maxAmount*100:
			r.err = &RowError{n, string(codeInvalidAmount), fmt.Sprintf("amount %s is over %d rupiah", cell(row, amountCol), int64(maxAmount))}
		}
		r.sen = sen
		read = append(read, r)
	}

	// Siskeudes budgets a spending account of a kegiatan per source of
	// funds (Ta_Anggaran's RincianSD is Kd_Rincian and SumberDana), so
	// one account may be funded by several; a Balai line has one source.
	// Such an account becomes one line per source, the activity code
	// followed by the source's number in sources (1.1.01.2 for ADD).
	funders := map[string][]string{}
	for _, r := range read {
		if r.key != "" && !slices.Contains(funders[r.key], r.line.Source) {
			funders[r.key] = append(funders[r.key], r.line.Source)
		}
	}
	for i := range read {
		r := &read[i]
		if r.key == "" || len(funders[r.key]) < 2 {
			continue
		}
		r.line.Code += "." + strconv.Itoa(sourceNumber(r.line.Source))
		r.key = lineKey(r.line.Section, r.line.Code, r.line.Account)
	}
	// A line one of whose rows is rejected is left out whole.
	spoiled := map[string]int{}
	for _, r := range read {
		if _, ok := spoiled[r.key]; r.key != "" && r.err != nil && !ok {
			spoiled[r.key] = r.n
		}
	}
	var rejected []RowError
	var lines []Line
	at := map[string]int{}
	sens := []int64{}
	names := map[string]bool{}
	for _, r := range read {
		if r.err != nil {
			rejected = append(rejected, *r.err)
			continue
		}
		if bad, ok := spoiled[r.key]; ok {
			rejected = append(rejected, RowError{r.n, string(codeLineIncomplete), fmt.Sprintf("row %d of the same line (%s %s %s) was rejected: the line is left out rather than imported in part",
				bad, r.line.Section, r.line.Code, r.line.Account)})
			continue
		}
		j, ok := at[r.key]
		if !ok {
			at[r.key] = len(lines)
			lines = append(lines, r.line)
			sens = append(sens, r.sen)
			names[r.key] = true
			continue
		}
		sens[j] += r.sen
		if lines[j].Name != r.line.Name && names[r.key] {
			// Items named differently: the line takes its kind's name.
			names[r.key] = false
			if k := kindName(lines[j]); k != "" {
				lines[j].Name = k
			}
		}
	}
	slices.SortFunc(rejected, func(a, b RowError) int { return a.Row - b.Row })
	for i := range lines {
		lines[i].Amount = roundSen(sens[i])
	}
	return lines, skipped, rejected, nil
}

// importBudget answers POST /budgets/{year}/import[?kind=perubahan][&kd_desa=].
func importBudget(r *http.Request) (int, any, error) {
	year, err := parseYear(r.PathValue("year"))
	if err != nil {
		return 0, nil, err
	}
	data, err := importBody(r)
	if err != nil {
		return 0, nil, err
	}
	t, err := readTable(data)
	if err != nil {
		return 0, nil, err
	}
	q := r.URL.Query()
	lines, skipped, rejected, err := parseImport(t, importOptions{Year: year, Perubahan: q.Get("kind") == kindPerubahan, KdDesa: q.Get("kd_desa")})
	if err != nil {
		return 0, nil, err
	}
	res := &ImportResult{Rows: len(t.rows), Lines: len(lines), Skipped: skipped, Rejected: rejected}
	if res.Rejected == nil {
		res.Rejected = []RowError{}
	}
	if len(lines) == 0 {
		msg := "no row of the file is a budget line"
		if len(rejected) > 0 {
			msg = fmt.Sprintf("no row of the file is a budget line; row %d: %s", rejected[0].Row, rejected[0].Reason)
		}
		return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeImportRows, "%s", msg)
	}
	sums, err := checkLines(lines)
	if err != nil {
		return 0, nil, err
	}
	_, v, err := saveDraft(r, year, q.Get("kind"), lines, sums)
	if err != nil {
		return 0, nil, err
	}
	res.Budget = v.(*BudgetView)
	sdk.Logf(r.Context(), "info", "imported %d budget lines for %d (%d rows rejected)", len(lines), year, len(rejected))
	return http.StatusOK, res, nil
}

// importBody reads the uploaded file, raw or from a multipart form.
func importBody(r *http.Request) ([]byte, error) {
	rd, _, err := sdk.UploadBody(r, "file")
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(rd, maxImportBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxImportBytes {
		return nil, sdk.Errorf(http.StatusRequestEntityTooLarge, sdk.CodeTooLarge, "an import file is at most %d MiB", maxImportBytes>>20)
	}
	if len(data) == 0 {
		return nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile, "the file is empty")
	}
	return data, nil
}
