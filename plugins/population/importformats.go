package main

// The files villages hold: CSV (comma, semicolon or tab, with or without a
// UTF-8 byte order mark, CRLF or LF) and Excel workbooks (.xlsx), laid out
// as our own export, as OpenSID's import template or as SIAK's export.
// This file reads them into rows of cells and translates their columns and
// values into a Resident; import.go decides what to do with each row.

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/balaidesa/balai/sdk"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"
)

// Upload formats, named as in the answer's "format" and in ?format= of
// the exports.
const (
	formatCSV  = "csv"
	formatXLSX = "xlsx"
)

// utf8BOM starts a CSV that Excel saved as "CSV UTF-8".
var utf8BOM = []byte("\ufeff")

// detectFormat tells an XLSX workbook (a zip archive: "PK\x03\x04") from
// CSV by the first bytes of the upload, and by its Content-Type when the
// client names a spreadsheet. A legacy Excel 97-2003 workbook (an OLE
// compound file, as SIAK's older exports are) is refused with a hint: no
// maintained Go library reads it, and Excel or LibreOffice saves it as
// .xlsx in two clicks.
func detectFormat(head []byte, contentType string) (string, error) {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return formatXLSX, nil
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return "", invalid(codeInvalidFile, "the file is an Excel 97-2003 workbook (.xls): save it as .xlsx (Excel Workbook) or CSV and import that")
	case strings.Contains(strings.ToLower(contentType), "spreadsheetml"):
		return "", invalid(codeInvalidFile, "the file was sent as an .xlsx workbook but is not one (no zip archive)")
	}
	return formatCSV, nil
}

// table is an uploaded sheet read row by row: next answers the cells of
// the next row and the line of the file it starts on (the row number in
// a workbook), io.EOF after the last.
type table interface {
	next() (cells []string, line int, err error)
}

// csvTable reads CSV. The separator is sniffed from the header line:
// Excel in an Indonesian locale saves "CSV" with semicolons, because the
// comma is the decimal separator there.
type csvTable struct {
	cr    *csv.Reader
	comma rune
	bom   bool
}

func newCSVTable(in io.Reader) *csvTable {
	br := bufio.NewReaderSize(in, 64<<10)
	t := &csvTable{comma: ','}
	if b, _ := br.Peek(len(utf8BOM)); bytes.Equal(b, utf8BOM) {
		br.Discard(len(utf8BOM))
		t.bom = true
	}
	head, _ := br.Peek(64 << 10)
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	t.comma = sniffComma(head)
	t.cr = csv.NewReader(br)
	t.cr.Comma = t.comma
	t.cr.FieldsPerRecord = -1 // checked per row, with a clearer reason
	return t
}

// sniffComma picks the separator that occurs most often outside quotes in
// the header line: comma, semicolon or tab; comma on a tie.
func sniffComma(line []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, c := range string(line) {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t'):
			counts[c]++
		}
	}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

func (t *csvTable) next() ([]string, int, error) {
	rec, err := t.cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, 0, io.EOF
		}
		return nil, 0, csvError(err)
	}
	line, _ := t.cr.FieldPos(0)
	return rec, line, nil
}

// xlsxTable streams the rows of one worksheet (excelize's Rows: a sheet of
// 100,000 rows is never held in memory whole). Cells are read raw, so a
// date cell comes as Excel's serial day number and a number as the digits
// stored, not as the workbook's display format ("3/15/80") would show it.
type xlsxTable struct {
	rows *excelize.Rows
	row  int
}

// xlsxUnzipLimit bounds what an uploaded workbook may unpack to (a zip
// bomb would otherwise fill the disk): 16 times the route's body limit is
// far above what a sheet of residents compresses by.
const xlsxUnzipLimit = 16 << 30

// openWorkbook opens the spooled upload and names the sheet to read: the
// one sheet names (case-insensitively), or else the first.
func openWorkbook(path, sheet string) (*excelize.File, string, error) {
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: xlsxUnzipLimit})
	if err != nil {
		return nil, "", invalid(codeInvalidFile, "the file is not a readable .xlsx workbook: %v; nothing was imported", err)
	}
	names := f.GetSheetList()
	if len(names) == 0 {
		f.Close()
		return nil, "", invalid(codeInvalidFile, "the workbook has no sheet")
	}
	if sheet == "" {
		return f, names[0], nil
	}
	for _, n := range names {
		if strings.EqualFold(strings.TrimSpace(n), strings.TrimSpace(sheet)) {
			return f, n, nil
		}
	}
	f.Close()
	e := sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidFile, "the workbook has no sheet %q (sheets: %s)", sheet, strings.Join(names, ", "))
	e.Field = "sheet"
	return nil, "", e
}

func newXLSXTable(f *excelize.File, sheet string) (*xlsxTable, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, invalid(codeInvalidFile, "reading sheet %q: %v", sheet, err)
	}
	return &xlsxTable{rows: rows}, nil
}

func (t *xlsxTable) next() ([]string, int, error) {
	if !t.rows.Next() {
		if err := t.rows.Error(); err != nil {
			return nil, 0, invalid(codeInvalidFile, "the sheet is not readable after row %d: %v; nothing was imported", t.row, err)
		}
		return nil, 0, io.EOF
	}
	t.row++
	cells, err := t.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, 0, invalid(codeInvalidFile, "the sheet is not readable at row %d: %v; nothing was imported", t.row, err)
	}
	return cells, t.row, nil
}

func (t *xlsxTable) close() error { return t.rows.Close() }

// blank reports whether a row has no value at all: spreadsheets carry
// empty rows below the data (OpenSID's template is formatted down to row
// 1000), and a CSV saved from one carries lines of separators only.
func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// foldKey reduces a column name or a coded value to what tells it apart:
// compatibility-normalised (NFKC), lower case, letters and digits only,
// without a parenthesised tail. "Nomor KK", "NO_KK" and "no. kk" are one
// key; "PEGAWAI NEGERI SIPIL (PNS)" is "pegawainegerisipil".
func foldKey(s string) string {
	s = norm.NFKC.String(s)
	if i := strings.IndexByte(s, '('); i > 0 {
		s = s[:i]
	}
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// columnAliases maps the folded name of every column we read to the
// resident's field. Sources: our own import and export columns (see
// exportColumns); OpenSID's import template (Impor_model::$daftar_kolom:
// no_kk, nama, sex, tempatlahir, tanggallahir, agama_id, pendidikan_kk_id,
// pekerjaan_id, status_kawin, kk_level, golongan_darah_id, nama_ibu,
// status_dasar, alamat, dusun, rt, rw); SIAK's export as OpenSID's
// assets/import/format_siak.xls heads it ("Nomor KK", "Nama Penduduk",
// "Kelamin", "SHDK", "Ibu", "Gol. Darah", "Status"...); and the column
// names of Dukcapil's consolidated data (DKB) extracts (NAMA_LGKP,
// JENIS_KLMIN, TMPT_LHR, TGL_LHR, STAT_HBKEL, STAT_KWN, PDDK_AKH,
// JENIS_PKRJN, GOL_DRH, NAMA_LGKP_IBU, NO_RT, NO_RW).
var columnAliases = func() map[string]string {
	m := map[string]string{}
	add := func(field string, names ...string) {
		m[foldKey(field)] = field
		for _, n := range names {
			m[foldKey(n)] = field
		}
	}
	add("nik", "NIK")
	add("kk", "no_kk", "Nomor KK", "No. KK", "No KK", "Nomor Kartu Keluarga")
	add("name", "nama", "Nama Penduduk", "Nama Lengkap", "NAMA_LGKP")
	add("sex", "Jenis Kelamin", "Kelamin", "JK", "JENIS_KLMIN")
	add("birth_place", "tempatlahir", "Tempat Lahir", "TMPT_LHR")
	add("birth_date", "tanggallahir", "Tanggal Lahir", "Tgl Lahir", "TGL_LHR")
	add("religion", "agama", "agama_id")
	add("education", "pendidikan", "pendidikan_kk_id", "Pendidikan Terakhir", "Pendidikan dalam KK", "PDDK_AKH")
	add("occupation", "pekerjaan", "pekerjaan_id", "JENIS_PKRJN")
	add("marital_status", "status_kawin", "Status Perkawinan", "STAT_KWN")
	add("relationship", "kk_level", "SHDK", "Hubungan Keluarga", "Hubungan Keluarga (SHDK)", "Status Hubungan Dalam Keluarga", "STAT_HBKEL")
	add("blood_type", "golongan_darah_id", "Golongan Darah", "Gol. Darah", "GOL_DRH")
	add("address", "alamat")
	add("rt", "NO_RT")
	add("rw", "NO_RW")
	add("dusun", "Dusun/Lingkungan", "Lingkungan")
	add("status", "status_dasar", "Status Dasar", "Status Penduduk")
	add("mother_name", "nama_ibu", "Nama Ibu", "Nama Ibu Kandung", "Ibu", "NAMA_LGKP_IBU")
	for _, c := range exportColumns {
		if c.field != "" {
			add(c.field, c.header)
		}
	}
	return m
}()

// knownIgnored are columns of OpenSID's template and SIAK's export that
// the register does not keep (father's data, deeds, passport, KTP print
// dates, operators...), and the region columns of our own export: read,
// recognised, and reported as ignored_columns rather than as unknown.
var knownIgnored = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range []string{
		// OpenSID (Impor_model::$daftar_kolom)
		"pendidikan_sedang_id", "warganegara_id", "ayah_nik", "nama_ayah", "ibu_nik", "akta_lahir",
		"dokumen_pasport", "tanggal_akhir_paspor", "dokumen_kitas", "akta_perkawinan", "tanggalperkawinan",
		"akta_perceraian", "tanggalperceraian", "cacat_id", "cara_kb_id", "hamil", "ktp_el", "status_rekam",
		"alamat_sekarang", "suku", "tag_id_card", "id_asuransi", "no_asuransi", "lat", "lng",
		// SIAK (format_siak.xls)
		"NIK Ayah", "Ayah", "NIK Ibu", "Kecamatan", "Desa/Kel", "Deskripsi Pekerjaan", "Cacat", "Cetak KTP",
		"Ganti KTP", "KTP Berakhir", "Nomor Paspor", "Nomor Akta Lahir", "Nomor Akta Kawin", "Tanggal Kwn",
		"Nomor Akta Cerai", "Tgl Cerai", "Petugas Registrasi", "Tgl Ubah", "Petugas Entri", "Tgl Entri",
		// row numbers, and our export's region and derived columns
		"No", "No.", "Nomor", "Kode Wilayah", "Desa", "Umur", "Usia",
	} {
		m[foldKey(n)] = true
	}
	return m
}()

// columnMap is how an upload's header maps onto resident fields.
type columnMap struct {
	index   map[string]int // field: column index
	header  []string       // as uploaded
	mapped  []columnUse    // every header cell that feeds a field
	unknown []string
	ignored []string
}

// columnUse is one column of the upload and the field it feeds, shown in
// the answer so that a clerk sees how her file was read.
type columnUse struct {
	Column string `json:"column"`
	Field  string `json:"field"`
}

// requiredColumns must be in every upload.
var requiredColumns = []string{"nik", "kk", "name", "sex", "birth_date"}

func mapColumns(head []string) (*columnMap, error) {
	m := &columnMap{index: map[string]int{}, header: append([]string(nil), head...), unknown: []string{}, ignored: []string{}}
	for i, name := range head {
		name = strings.TrimSpace(strings.TrimPrefix(name, "\ufeff"))
		if name == "" {
			continue
		}
		k := foldKey(name)
		field, ok := columnAliases[k]
		switch {
		case ok:
			if _, dup := m.index[field]; dup {
				// A second column for the same field: the first wins,
				// and the clerk is told the other was not read.
				m.ignored = append(m.ignored, name)
				continue
			}
			m.index[field] = i
			m.mapped = append(m.mapped, columnUse{Column: name, Field: field})
		case knownIgnored[k]:
			m.ignored = append(m.ignored, name)
		case isRejectsColumn(name):
			// Balai's own reason column of a rejects file: read past,
			// neither unknown nor ignored.
		default:
			m.unknown = append(m.unknown, name)
		}
	}
	for _, need := range requiredColumns {
		if _, ok := m.index[need]; !ok {
			return nil, errCSV("the header lacks the column %s (names it may have: %s; columns: %s)", need, aliasesOf(need), strings.Join(importColumns, ","))
		}
	}
	return m, nil
}

// aliasesOf lists a few header names read as field, for error messages.
func aliasesOf(field string) string {
	switch field {
	case "kk":
		return "kk, no_kk, Nomor KK, No. KK"
	case "name":
		return "name, nama, Nama Penduduk"
	case "sex":
		return "sex, Jenis Kelamin, Kelamin"
	case "birth_date":
		return "birth_date, tanggallahir, Tanggal Lahir"
	}
	return field
}

// cleanCell trims a cell and undoes what spreadsheets and exports add to
// keep a value as text: a leading apostrophe (Excel's text marker, which
// our own export also puts before a cell starting with = + - @ to
// neutralise it), no-break and zero-width spaces. A lone "-" is how
// OpenSID and SIAK write "none".
func cleanCell(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\u00a0', '\u2007', '\u202f':
			return ' '
		case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "'")
	if s == "-" {
		return ""
	}
	return s
}

// residentFromRow builds the resident a row describes, translating the
// words and codes of OpenSID and SIAK into ours. It never refuses: what
// it cannot translate is passed on as written, and validate says what is
// wrong with it.
func (m *columnMap) residentFromRow(cells []string, xlsx bool) Resident {
	get := func(field string) string {
		if i, ok := m.index[field]; ok && i < len(cells) {
			return cleanCell(cells[i])
		}
		return ""
	}
	p := Resident{
		NIK: get("nik"), KK: get("kk"), Name: get("name"), Sex: translateSex(get("sex")),
		BirthPlace: get("birth_place"), BirthDate: translateDate(get("birth_date"), xlsx),
		Religion: translateCode("religion", get("religion")), Education: translateCode("education", get("education")),
		Occupation: translateCode("occupation", get("occupation")), MaritalStatus: translateCode("marital_status", get("marital_status")),
		Relationship: translateCode("relationship", get("relationship")), BloodType: translateCode("blood_type", get("blood_type")),
		Address: get("address"), RT: get("rt"), RW: get("rw"), Dusun: get("dusun"),
		Status: translateStatus(get("status")), MotherName: get("mother_name"),
	}
	if _, ok := m.index["dusun"]; !ok && p.Address != "" {
		// SIAK writes the hamlet into the address ("JL. MERDEKA DSN
		// JIWET"), as OpenSID's Siak_model reads it.
		if loc := dusunInAddress.FindStringSubmatchIndex(p.Address); loc != nil {
			p.Dusun = strings.TrimSpace(p.Address[loc[2]:loc[3]])
			p.Address = strings.TrimSpace(p.Address[:loc[0]])
		}
	}
	return p
}

var dusunInAddress = regexp.MustCompile(`(?i)(?:^|\s)(?:DSN|DUSUN|DS)\.?\s+(\S.*)$`)

// translateSex reads sex as L/P, 1/2 (OpenSID's and SIAK's codes), LK/PR,
// LAKI-LAKI/PEREMPUAN, PRIA/WANITA, in any case.
func translateSex(v string) string {
	switch foldKey(v) {
	case "l", "lk", "1", "lakilaki", "laki", "pria":
		return "L"
	case "p", "pr", "2", "perempuan", "wanita":
		return "P"
	}
	return strings.ToUpper(v)
}

// statusWords are the status columns' values: ours, OpenSID's
// status_dasar (1 HIDUP, 2 MATI, 3 PINDAH, 4 HILANG, 6 PERGI) and SIAK's
// words. PERGI (left without moving papers) is not among the living, as
// moved. OpenSID's 9 TIDAK VALID has no meaning here and is refused.
var statusWords = map[string]string{
	"alive": StatusAlive, "hidup": StatusAlive, "1": StatusAlive, "aktif": StatusAlive,
	"deceased": StatusDeceased, "dead": StatusDeceased, "mati": StatusDeceased, "meninggal": StatusDeceased,
	"meninggaldunia": StatusDeceased, "wafat": StatusDeceased, "2": StatusDeceased,
	"moved": StatusMoved, "pindah": StatusMoved, "pindahdalamnegeri": StatusMoved, "pindahluarnegeri": StatusMoved,
	"pergi": StatusMoved, "3": StatusMoved, "6": StatusMoved,
	"missing": StatusMissing, "hilang": StatusMissing, "4": StatusMissing,
}

func translateStatus(v string) string {
	if v == "" {
		return ""
	}
	if s, ok := statusWords[foldKey(v)]; ok {
		return s
	}
	return v
}

// codeWords maps, per code list, the folded names of its codes to the
// code: the names of GET /codes, OpenSID's reference tables (which name
// the same Dukcapil codes: "TIDAK / BELUM SEKOLAH", "KEPOLISIAN RI
// (POLRI)", "ORANGTUA") and their import aliases (Impor_model: "Tidak/Blm
// Sekolah", "Strata-II", BK/K/CH/CM for marital status, "Tdk Th" for an
// unknown blood type), and common spellings.
var codeWords = func() map[string]map[string]string {
	m := map[string]map[string]string{}
	for list, codes := range codeLists {
		m[list] = map[string]string{}
		for _, c := range codes {
			if k := foldKey(c.Name); m[list][k] == "" {
				m[list][k] = c.Code // "A" before "A+" and "A-", which fold to it
			}
		}
	}
	alias := func(list, code string, names ...string) {
		for _, n := range names {
			m[list][foldKey(n)] = code
		}
	}
	alias("religion", "3", "Katolik", "Kristen Katolik")
	alias("religion", "2", "Kristen Protestan", "Protestan")
	alias("religion", "5", "Buddha")
	alias("religion", "6", "Konghucu", "Khonghuchu")
	alias("religion", "7", "Kepercayaan", "Kepercayaan Terhadap Tuhan YME / Lainnya", "Lainnya")
	alias("education", "1", "Tidak/Blm Sekolah", "Tidak Sekolah", "Belum Sekolah")
	alias("education", "2", "Tidak Tamat SD/Sederajat")
	alias("education", "7", "Akademi/ Diploma III/S. Muda", "Diploma III")
	alias("education", "8", "Diploma IV/ Strata I", "Strata I", "S1")
	alias("education", "9", "Strata-II", "S2")
	alias("education", "10", "Strata-III", "S3")
	alias("marital_status", "1", "BK", "Belum Menikah")
	alias("marital_status", "2", "K", "Menikah")
	alias("marital_status", "3", "CH")
	alias("marital_status", "4", "CM")
	alias("relationship", "1", "Kepala", "KK")
	alias("relationship", "7", "Orangtua")
	alias("blood_type", "13", "Tdk Th", "Tidak Diketahui")
	alias("occupation", "5", "PNS")
	alias("occupation", "6", "TNI")
	alias("occupation", "7", "POLRI")
	return m
}()

// translateCode reads a coded field as its code (digits, leading zeros
// dropped: "04" is 4) or by the code's name, case and spacing aside.
// A value it cannot place is returned as written, for validate to refuse
// with the list's name.
func translateCode(list, v string) string {
	if v == "" {
		return ""
	}
	if digits(v) {
		if n, err := strconv.Atoi(v); err == nil {
			return strconv.Itoa(n)
		}
		return v
	}
	if list == "blood_type" {
		// "A+" and "A-" fold to one key: match them as written first.
		for _, c := range codeLists[list] {
			if strings.EqualFold(strings.ReplaceAll(v, " ", ""), c.Name) {
				return c.Code
			}
		}
	}
	if c, ok := codeWords[list][foldKey(v)]; ok {
		return c
	}
	return v
}

// dateLayouts are the ways villages write a birth date: ISO (ours,
// OpenSID's template), and day first as Indonesians write dates (SIAK's
// export, spreadsheets in an Indonesian locale): dd-mm-yyyy, dd/mm/yyyy,
// dd.mm.yyyy, with or without leading zeros. Month first is never
// assumed: 03/04/1980 is the 3rd of April.
var dateLayouts = []string{"2006-01-02", "2006/01/02", "2-1-2006", "2/1/2006", "2.1.2006"}

// translateDate reads a date into YYYY-MM-DD; a workbook's date cell (a
// serial day number, read raw) is converted too. What it cannot read is
// returned as written, for validate to refuse.
func translateDate(v string, xlsx bool) string {
	if v == "" {
		return ""
	}
	if i := strings.IndexAny(v, " T"); i >= 8 {
		v = v[:i] // a date with a time of day, "1980-03-15 00:00:00"
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t.Format(time.DateOnly)
		}
	}
	if xlsx {
		if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 1 && f < 2958466 {
			if t, err := excelize.ExcelDateToTime(f, false); err == nil {
				return t.Format(time.DateOnly)
			}
		}
	}
	return v
}

// rejectsColumn is the reason column Balai adds to a rejects file.
const rejectsColumn = "alasan"

// isRejectsColumn reports whether a header cell is the rejects file's
// reason column.
func isRejectsColumn(name string) bool {
	return foldKey(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff"))) == foldKey(rejectsColumn)
}
