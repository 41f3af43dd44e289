package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/balaidesa/balai/sdk"
	"github.com/xuri/excelize/v2"
)

// The import of budget lines from a Siskeudes export (POST
// /budgets/{year}/import, as CSV or .xlsx, raw or as the file part "file"
// of a multipart form). The layout accepted is the RAB/APBDes detail
// export, one row per account (per item: rows of the same line are
// added up), with a header row naming its columns; names are matched
// without regard to case, spaces and underscores, and other columns are
// ignored:
//
//	Kd_Keg       activity of a spending row: bidang.sub-bidang.kegiatan
//	             ("1.1.01.", "01.01.01." or prefixed with the village's
//	             Siskeudes code: the last three segments are read);
//	             empty for income and financing rows
//	Kd_Rincian   the account: 4.x.x[.xx] income, 5.x.x[.xx] spending
//	             (the type of spending), 6.x.x[.xx] financing
//	             (also: Kd_Rek, Kode_Rekening, Rekening, Kode)
//	Uraian       the line's name (also: Nama, Nama_Rincian, Nama_Obyek)
//	Anggaran     the amount in rupiah, "1250000", "1.250.000" or
//	             "1250000,00" (also: Nilai, JmlAnggaran, Jumlah, Pagu)
//	SumberDana   the source of funds of a spending row: DDS, ADD, PBH, PAD,
//	             BKP, BKK, SWD, SILPA, DLL (also: Sumber_Dana, Sumber)
//	AnggaranStlhPAK  the amount after the change, read instead of
//	             Anggaran by an import with ?kind=perubahan
//
// These are the columns of Siskeudes' Ta_RABRinci (and Ta_RAB) tables;
// Kd_Rincian may also carry the name after the code ("4.1.1. Hasil Usaha
// Desa"), as OpenSID's copy of the tables writes it.
//
// Rows whose account has fewer than three segments ("4.", "4.1.", the
// sub-totals) and empty rows are skipped. A row that cannot be read is
// rejected with its number and reason; the others replace the draft's
// lines (nothing is saved when no row is good).

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

var importColumns = map[string][]string{
	"keg":    {"kdkeg", "kodekegiatan", "kegiatan"},
	"rek":    {"kdrincian", "kdrek", "koderekening", "rekening", "kode"},
	"name":   {"uraian", "nama", "namarincian", "namaobyek"},
	"amount": {"anggaran", "nilai", "nilaianggaran", "jmlanggaran", "jumlah", "pagu"},
	// The amount after the change (PAK), read instead of Anggaran when
	// the import opens or replaces an APBDes Perubahan.
	"after":  {"anggaranstlhpak", "anggaransetelahperubahan"},
	"source": {"sumberdana", "sumber"},
}

func normHeader(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	return strings.NewReplacer(" ", "", "_", "", ".", "").Replace(s)
}

// readTable reads the rows of a CSV (comma or semicolon) or XLSX file.
func readTable(data []byte) ([][]string, error) {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		// Bounds on what the workbook may unpack to: a budget of a few
		// hundred lines is kilobytes; a zip bomb would fill memory and disk.
		wb, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 16 << 20})
		if err != nil {
			return nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile, "the workbook cannot be read: %v", err)
		}
		defer wb.Close()
		sheets := wb.GetSheetList()
		if len(sheets) == 0 {
			return nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile, "the workbook has no sheet")
		}
		rows, err := wb.GetRows(sheets[0])
		if err != nil {
			return nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile, "the first sheet cannot be read: %v", err)
		}
		return rows, nil
	}
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile, "the file is neither UTF-8 CSV nor an .xlsx workbook")
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
		return nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile, "the CSV cannot be read: %v", err)
	}
	return rows, nil
}

// parseRupiah reads an amount as Siskeudes and spreadsheets write it.
func parseRupiah(s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "Rp"))
	if whole, frac, ok := strings.Cut(s, ","); ok && strings.Trim(frac, "0") == "" {
		s = whole
	}
	if strings.Count(s, ".") == 1 && len(s)-strings.Index(s, ".") == 3 && strings.HasSuffix(s, "00") {
		s = strings.TrimSuffix(s, ".00") // 1250000.00 from a numeric cell
	}
	s = strings.ReplaceAll(s, ".", "")
	return strconv.ParseInt(s, 10, 64)
}

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

// parseImport turns the rows into lines and rejected rows; perubahan
// reads the amounts after the change (AnggaranStlhPAK) where the file has
// them.
func parseImport(rows [][]string, perubahan bool) ([]Line, int, []RowError, error) {
	head, cols := -1, map[string]int{}
	for i, row := range rows {
		if i > 20 {
			break
		}
		found := map[string]int{}
		for j, cell := range row {
			h := normHeader(cell)
			for col, names := range importColumns {
				for _, n := range names {
					if h == n {
						if _, dup := found[col]; !dup {
							found[col] = j
						}
					}
				}
			}
		}
		if _, ok := found["rek"]; ok {
			if _, ok := found["amount"]; ok {
				head, cols = i, found
				break
			}
		}
	}
	if head < 0 {
		return nil, 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile, "no header row with the columns Kd_Rincian and Anggaran in the first 20 rows")
	}
	cell := func(row []string, col string) string {
		j, ok := cols[col]
		if !ok || j >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[j])
	}
	amountCol := "amount"
	if _, ok := cols["after"]; ok && perubahan {
		amountCol = "after"
	}
	var lines []Line
	at := map[string]int{}
	skipped := 0
	var rejected []RowError
	for i := head + 1; i < len(rows); i++ {
		row, n := rows[i], i+1
		rek, name := cell(row, "rek"), cell(row, "name")
		// OpenSID's copy of the tables writes "4.1.1. Hasil Usaha Desa":
		// the code, then the name.
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
		amount, err := parseRupiah(cell(row, amountCol))
		if err != nil {
			rejected = append(rejected, RowError{n, string(codeInvalidAmount), fmt.Sprintf("amount %q is not rupiah", cell(row, amountCol))})
			continue
		}
		l := Line{Name: name, Amount: amount}
		switch rek[0] {
		case '4':
			l.Section, l.Code = sectionIncome, rek
		case '6':
			l.Section, l.Code = sectionFinancing, rek
		case '5':
			l.Section, l.Code, l.Account, l.Source = sectionSpending, activityCode(cell(row, "keg")), rek, strings.ToUpper(cell(row, "source"))
		default:
			rejected = append(rejected, RowError{n, string(codeInvalidCode), fmt.Sprintf("account %q is not income (4), spending (5) or financing (6)", rek)})
			continue
		}
		one := []Line{l}
		if _, err := checkLines(one); err != nil {
			se := err.(*sdk.Error)
			_, reason, _ := strings.Cut(se.Message, ": ")
			rejected = append(rejected, RowError{n, string(se.Code), reason})
			continue
		}
		l = one[0]
		k := lineKey(l.Section, l.Code, l.Account)
		if j, ok := at[k]; ok {
			if lines[j].Source != l.Source {
				rejected = append(rejected, RowError{n, string(codeInvalidSource), fmt.Sprintf("the line %s %s is funded by %s in an earlier row", l.Code, l.Account, lines[j].Source)})
				continue
			}
			lines[j].Amount += l.Amount
			continue
		}
		at[k] = len(lines)
		lines = append(lines, l)
	}
	return lines, skipped, rejected, nil
}

// importBudget answers POST /budgets/{year}/import[?kind=perubahan].
func importBudget(r *http.Request) (int, any, error) {
	year, err := parseYear(r.PathValue("year"))
	if err != nil {
		return 0, nil, err
	}
	data, err := importBody(r)
	if err != nil {
		return 0, nil, err
	}
	rows, err := readTable(data)
	if err != nil {
		return 0, nil, err
	}
	lines, skipped, rejected, err := parseImport(rows, r.URL.Query().Get("kind") == kindPerubahan)
	if err != nil {
		return 0, nil, err
	}
	res := &ImportResult{Rows: len(rows), Lines: len(lines), Skipped: skipped, Rejected: rejected}
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
	_, v, err := saveDraft(r, year, r.URL.Query().Get("kind"), lines, sums)
	if err != nil {
		return 0, nil, err
	}
	res.Budget = v.(*BudgetView)
	sdk.Logf(r.Context(), "info", "imported %d budget lines for %d (%d rows rejected)", len(lines), year, len(rejected))
	return http.StatusOK, res, nil
}

// importBody reads the uploaded file, raw or from a multipart form.
func importBody(r *http.Request) ([]byte, error) {
	var rd io.Reader = r.Body
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "the multipart form cannot be read: %v", err)
		}
		for rd = nil; rd == nil; {
			part, err := mr.NextPart()
			if err != nil {
				return nil, sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "the form has no file part: send the export as the field file")
			}
			if part.FileName() != "" {
				rd = part
			}
		}
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
