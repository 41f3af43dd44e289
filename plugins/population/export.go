package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/balaidesa/balai/sdk"
)

// exportPage residents are read per storage call: a regency's 900,000
// residents are 450 calls, each answered by the (tenant, id) order of the
// table's primary key without an offset to skip.
const exportPage = 2000

// exportColumn is a column of the residents export: its header as the
// village reads it (the words of the KK and of SIAK's forms) and the
// resident's field (empty for a column the import ignores).
type exportColumn struct{ header, field string }

// exportColumns are the residents export's columns, in the order of a
// family card. Every one is read back by POST /import (the fields by
// their header, the others ignored), so an export is a valid import.
var exportColumns = []exportColumn{
	{"NIK", "nik"}, {"No. KK", "kk"}, {"Nama", "name"}, {"Jenis Kelamin", "sex"},
	{"Tempat Lahir", "birth_place"}, {"Tanggal Lahir", "birth_date"}, {"Tahun Lahir", ""},
	{"Agama", "religion"}, {"Pendidikan", "education"}, {"Pekerjaan", "occupation"},
	{"Status Perkawinan", "marital_status"}, {"Hubungan Keluarga", "relationship"}, {"Golongan Darah", "blood_type"},
	{"Nama Ibu", "mother_name"}, {"Alamat", "address"}, {"RT", "rt"}, {"RW", "rw"}, {"Dusun", "dusun"},
	{"Status", "status"}, {"Kode Wilayah", ""},
}

func init() {
	// The derived and region columns are read back as ignored.
	knownIgnored[foldKey("Tahun Lahir")] = true
	knownIgnored[foldKey("Kode Wilayah")] = true
}

// statusNames are the statuses as the village writes them (OpenSID's
// status_dasar words), read back by translateStatus.
var statusNames = map[string]string{StatusAlive: "Hidup", StatusDeceased: "Mati", StatusMoved: "Pindah", StatusMissing: "Hilang"}

// sexNames are the sexes as the KTP prints them.
var sexNames = map[string]string{"L": "Laki-laki", "P": "Perempuan"}

// neutralise defuses a cell a spreadsheet would run as a formula: one
// starting with = + - @ (or a tab or carriage return, which some
// spreadsheets skip before looking) gets a leading apostrophe, as OWASP's
// CSV injection advice says; Excel shows the value as text, and our
// import drops the apostrophe again (cleanCell).
func neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// exportFormat reads ?format= (csv by default).
func exportFormat(r *http.Request) (string, error) {
	switch f := r.URL.Query().Get("format"); f {
	case "", formatCSV:
		return formatCSV, nil
	case formatXLSX:
		return formatXLSX, nil
	default:
		return "", sdk.Errorf(http.StatusBadRequest, codeInvalidFormat, "format must be csv or xlsx")
	}
}

// sheetWriter writes rows of text cells to an export answer: CSV straight
// to the client as rows come (with a byte order mark, so that Excel reads
// UTF-8; separator ";" when ?sep=semicolon, as Excel in an Indonesian
// locale expects), or an .xlsx workbook through excelize's stream writer
// (rows go to a temporary file, not memory) sent whole at the end.
type sheetWriter struct {
	w      http.ResponseWriter
	format string
	name   string
	csv    *csv.Writer
	buf    *bufio.Writer
	wb     *excelize.File
	sw     *excelize.StreamWriter
	rows   int
}

func newSheetWriter(w http.ResponseWriter, r *http.Request, format, name string) (*sheetWriter, error) {
	s := &sheetWriter{w: w, format: format, name: name + "." + format}
	if format == formatXLSX {
		s.wb = excelize.NewFile()
		sw, err := s.wb.NewStreamWriter("Sheet1")
		if err != nil {
			s.wb.Close()
			return nil, fmt.Errorf("creating a workbook: %w", err)
		}
		s.sw = sw
		return s, nil
	}
	w.Header().Set("Content-Type", contentTypes[formatCSV])
	w.Header().Set("Content-Disposition", `attachment; filename="`+s.name+`"`)
	w.WriteHeader(http.StatusOK)
	s.buf = bufio.NewWriterSize(w, 64<<10)
	s.buf.Write(utf8BOM)
	s.csv = csv.NewWriter(s.buf)
	if r.URL.Query().Get("sep") == "semicolon" {
		s.csv.Comma = ';'
	}
	s.csv.UseCRLF = true
	return s, nil
}

func (s *sheetWriter) row(cells []string) error {
	for i := range cells {
		cells[i] = neutralise(cells[i])
	}
	s.rows++
	if s.csv != nil {
		return s.csv.Write(cells)
	}
	cell, _ := excelize.CoordinatesToCellName(1, s.rows)
	vs := make([]any, len(cells))
	for i, c := range cells {
		vs[i] = c // text cells: a NIK keeps its 16 digits
	}
	return s.sw.SetRow(cell, vs)
}

// finish sends what is left: the end of the CSV, or the whole workbook.
func (s *sheetWriter) finish() error {
	if s.csv != nil {
		s.csv.Flush()
		if err := s.csv.Error(); err != nil {
			return err
		}
		return s.buf.Flush()
	}
	defer s.wb.Close()
	if err := s.sw.Flush(); err != nil {
		return fmt.Errorf("writing the workbook: %w", err)
	}
	s.w.Header().Set("Content-Type", contentTypes[formatXLSX])
	s.w.Header().Set("Content-Disposition", `attachment; filename="`+s.name+`"`)
	s.w.WriteHeader(http.StatusOK)
	return s.wb.Write(s.w)
}

// abort ends an export that failed after it began: a workbook not yet
// sent is answered as an error; a CSV under way is cut short with a last
// line saying so, since its status is sent already.
func (s *sheetWriter) abort(r *http.Request, err error) {
	sdk.Logf(r.Context(), "error", "export of %s failed after %d rows: %v", s.name, s.rows, err)
	if s.csv != nil {
		s.csv.Write([]string{"EKSPOR TIDAK LENGKAP: terjadi kesalahan; unduh ulang"})
		s.csv.Flush()
		s.buf.Flush()
		return
	}
	s.wb.Close()
	sdk.FailErr(s.w, r, err)
}

// residentQuery is the one residents query of GET /residents and its
// export, without page and order: the filters of params (sex, status, rt,
// rw, dusun, q for the name; nik, kk, mother_name only for a caller
// personalFilters allows) on the request's tenant and, above a village,
// every village below it. It returns the names of the filters applied,
// for the audit trail, or 422 invalid_rt/invalid_rw, 403 forbidden_filter.
func residentQuery(req *sdk.Request, params url.Values) (*sdk.Query, []string, error) {
	q := req.Records("residents").Query()
	if req.Level != sdk.Village {
		q = q.Subtree() // a sub-district or above sees every village below
	}
	var filters []string
	for _, f := range []string{"sex", "status", "dusun"} {
		if v := strings.TrimSpace(params.Get(f)); v != "" {
			q = q.Where(f, sdk.Eq, v)
			filters = append(filters, f)
		}
	}
	// ?rt=1 finds RT 001, stored so since every write normalises it, and
	// "1" or "01" as records stored before were.
	for _, f := range []struct {
		name string
		code sdk.Code
	}{{"rt", codeInvalidRT}, {"rw", codeInvalidRW}} {
		if v := strings.TrimSpace(params.Get(f.name)); v != "" {
			variants := rtRWVariants(v)
			if variants == nil {
				return nil, nil, invalidID(f.code, fmt.Sprintf("Cari %s dengan angka 1 sampai 3 digit, bukan 0 (misalnya 1 atau 001); yang diisi %q.", strings.ToUpper(f.name), v),
					"?%s= must be a number of 1 to 3 digits, not zero", f.name)
			}
			q = q.Where(f.name, sdk.In, variants)
			filters = append(filters, f.name)
		}
	}
	personal, err := personalFilters(req, params)
	if err != nil {
		return nil, nil, err
	}
	for _, f := range personal {
		q = q.Where(f, sdk.Eq, strings.TrimSpace(params.Get(f)))
		filters = append(filters, f)
	}
	if s := strings.TrimSpace(params.Get("q")); s != "" {
		q = q.Where("name", sdk.Like, s)
		filters = append(filters, "q")
	}
	return q, filters, nil
}

// eachPage runs the query page by page in the order of record ids,
// continuing after the last id seen (no offset for the database to skip),
// and hands every page to fn.
func eachPage(r *http.Request, build func() (*sdk.Query, error), fn func([]sdk.Record) error) error {
	last := ""
	for {
		q, err := build()
		if err != nil {
			return err
		}
		if last != "" {
			q = q.Where(sdk.FieldID, sdk.Gt, last)
		}
		recs, _, err := q.OrderBy(sdk.FieldID, false).Page(0, exportPage).Run(r.Context())
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return nil
		}
		if err := fn(recs); err != nil {
			return err
		}
		if len(recs) < exportPage {
			return nil
		}
		last = recs[len(recs)-1].ID
	}
}

// dayFirst writes an ISO date as the village writes it, dd-mm-yyyy.
func dayFirst(d string) string {
	if t, err := time.Parse(time.DateOnly, d); err == nil {
		return t.Format("02-01-2006")
	}
	return d
}

// exportResidents is GET /residents/export?format=csv|xlsx: the residents
// GET /residents would list, with the same filters, at every level (a
// regency exports every village below it), all of them, read in pages of
// exportPage and streamed. Each resident is shown as GET /residents shows
// it to the caller: NIK and KK masked by the host without read_personal,
// the mother's name left out then, the birth date too for a caller who
// may not look NIKs up. The export is audited: who (the host adds it),
// how many rows, which fields and filters, masked or not; never values.
func exportResidents(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	format, err := exportFormat(r)
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	params := r.URL.Query()
	_, filters, err := residentQuery(req, params)
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	build := func() (*sdk.Query, error) {
		q, _, err := residentQuery(req, params)
		return q, err
	}
	// The first page is read before anything is sent, so that a refusal
	// is answered as an error rather than as a broken file.
	var sw *sheetWriter
	written := 0
	err = eachPage(r, build, func(recs []sdk.Record) error {
		if sw == nil {
			var err error
			if sw, err = newSheetWriter(w, r, format, "penduduk-"+req.Tenant); err != nil {
				return err
			}
			head := make([]string, len(exportColumns))
			for i, c := range exportColumns {
				head[i] = c.header
			}
			if err := sw.row(head); err != nil {
				return err
			}
		}
		for i := range recs {
			v, err := view(&recs[i], req)
			if err != nil {
				return err
			}
			if err := sw.row(residentCells(&v)); err != nil {
				return err
			}
			written++
		}
		return nil
	})
	if err == nil && sw == nil {
		// Nothing matched: the header alone.
		if sw, err = newSheetWriter(w, r, format, "penduduk-"+req.Tenant); err == nil {
			head := make([]string, len(exportColumns))
			for i, c := range exportColumns {
				head[i] = c.header
			}
			err = sw.row(head)
		}
	}
	finishExport(w, r, sw, err, "residents.exported", map[string]any{"format": format, "rows": written,
		"fields": exportedFields(req), "filters": filters, "masked": !req.Can(permPersonal)})
}

// finishExport sends the end of an export and records it in the audit
// trail; an export that failed is answered (or cut short) as sheetWriter
// can.
func finishExport(w http.ResponseWriter, r *http.Request, sw *sheetWriter, err error, action string, detail map[string]any) {
	req := sdk.From(r)
	if err != nil {
		if sw == nil {
			sdk.FailErr(w, r, err)
		} else {
			sw.abort(r, err)
		}
		return
	}
	// Audited before the last bytes leave: a workbook is sent whole at
	// the end, and an export that cannot be recorded is not sent.
	if action != "" {
		if err := req.Batch().Audit(action, req.Tenant, detail).Commit(r.Context()); err != nil {
			sw.abort(r, err)
			return
		}
	}
	if err := sw.finish(); err != nil {
		sdk.Logf(r.Context(), "error", "sending export %s: %v", sw.name, err)
	}
}

// exportedFields names the fields an export shows the caller in full or
// masked, for the audit trail.
func exportedFields(req *sdk.Request) []string {
	var out []string
	for _, c := range exportColumns {
		switch {
		case c.field == "":
		case c.field == "mother_name" && !req.Can(permPersonal):
		case c.field == "birth_date" && !req.Can(permPersonal) && !req.Can(permLookup):
		default:
			out = append(out, c.field)
		}
	}
	return out
}

// residentCells is a resident as a row of the export: codes as their
// names, dates day first, statuses and sex in words.
func residentCells(v *residentView) []string {
	year := ""
	if v.BirthYear > 0 {
		year = itoa(v.BirthYear)
	}
	name := func(list, code string) string {
		if n := codeName(list, code); n != "" {
			return n
		}
		return code
	}
	status := statusNames[v.Status]
	if status == "" {
		status = v.Status
	}
	sex := sexNames[v.Sex]
	if sex == "" {
		sex = v.Sex
	}
	return []string{v.NIK, v.KK, v.Name, sex, v.BirthPlace, dayFirst(v.BirthDate), year,
		name("religion", v.Religion), name("education", v.Education), name("occupation", v.Occupation),
		name("marital_status", v.MaritalStatus), name("relationship", v.Relationship), name("blood_type", v.BloodType),
		v.MotherName, v.Address, v.RT, v.RW, v.Dusun, status, v.Tenant}
}

// familyColumns are the families export's columns.
var familyColumns = []string{"No. KK", "NIK Kepala Keluarga", "Nama Kepala Keluarga", "Jumlah Anggota", "Alamat", "RT", "RW", "Dusun", "Kode Wilayah"}

// exportFamilies is GET /families/export?format=csv|xlsx: one row per
// family with a living head, in the tenant and every village below it,
// with the head's name and address and the number of living members.
// The numbers are masked by the host for a caller without read_personal;
// the members are then not counted (Jumlah Anggota is left empty): a
// family's members are found by its KK, which such a caller is not shown,
// and grouping by the masked number would merge families. Audited as
// the residents export.
func exportFamilies(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	format, err := exportFormat(r)
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	full := req.Can(permPersonal)
	build := func() (*sdk.Query, error) {
		q := req.Records("residents").Query().Where("head_kk", sdk.NotNull, nil)
		if req.Level != sdk.Village {
			q = q.Subtree()
		}
		return q, nil
	}
	sw, err := newSheetWriter(w, r, format, "keluarga-"+req.Tenant)
	if err == nil {
		err = sw.row(append([]string(nil), familyColumns...))
	}
	written := 0
	if err == nil {
		err = eachPage(r, build, func(recs []sdk.Record) error {
			heads := make([]Resident, len(recs))
			kks := make([]string, 0, len(recs))
			for i := range recs {
				if err := recs[i].Decode(&heads[i]); err != nil {
					return fmt.Errorf("decoding resident %s: %w", recs[i].ID, err)
				}
				kks = append(kks, heads[i].KK)
			}
			members := map[string]int64{}
			if full {
				for len(kks) > 0 {
					chunk := kks[:min(len(kks), inMax)]
					kks = kks[len(chunk):]
					groups, err := req.Records("residents").Aggregate(r.Context(), sdk.Aggregation{
						GroupBy: []string{sdk.FieldTenant, "kk"}, Subtree: req.Level != sdk.Village,
						Where: []sdk.Filter{{Field: "kk", Op: sdk.In, Value: chunk}, alive[0]}})
					if err != nil {
						return err
					}
					for _, g := range groups {
						members[keyString(g.Key[0])+"/"+keyString(g.Key[1])] = g.Count
					}
				}
			}
			for i, h := range heads {
				n := ""
				if full {
					n = fmt.Sprint(members[recs[i].Tenant+"/"+h.KK])
				}
				if err := sw.row([]string{h.KK, h.NIK, h.Name, n, h.Address, h.RT, h.RW, h.Dusun, recs[i].Tenant}); err != nil {
					return err
				}
				written++
			}
			return nil
		})
	}
	finishExport(w, r, sw, err, "families.exported", map[string]any{"format": format, "rows": written,
		"fields": []string{"kk", "nik", "name", "members", "address", "rt", "rw", "dusun"}, "masked": !full})
}

// exportStats is GET /stats/export?by=&format=: the table GET /stats
// answers for the same by, as a file (Kode, Nama, Jumlah, Laki-laki,
// Perempuan, and a last row of totals). Only counts leave, under GET
// /stats's own rules (public above a village, a login at a village).
func exportStats(w http.ResponseWriter, r *http.Request) {
	format, err := exportFormat(r)
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	status, v, err := stats(r)
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	if status != http.StatusOK {
		sdk.JSON(w, status, v)
		return
	}
	// Read back as JSON, so that the export follows whatever GET /stats
	// answers: rows of key, name, total, l and p, and the totals.
	b, err := json.Marshal(v)
	if err != nil {
		sdk.FailErr(w, r, fmt.Errorf("encoding statistics: %w", err))
		return
	}
	var table struct {
		By    string `json:"by"`
		Items []struct {
			Key   string `json:"key"`
			Name  string `json:"name"`
			Total int64  `json:"total"`
			L     int64  `json:"l"`
			P     int64  `json:"p"`
		} `json:"items"`
		Total int64 `json:"total"`
		L     int64 `json:"l"`
		P     int64 `json:"p"`
	}
	if err := json.Unmarshal(b, &table); err != nil {
		sdk.FailErr(w, r, fmt.Errorf("decoding statistics: %w", err))
		return
	}
	req := sdk.From(r)
	sw, err := newSheetWriter(w, r, format, "statistik-"+table.By+"-"+req.Tenant)
	if err == nil {
		err = sw.row([]string{"Kode", "Nama", "Jumlah", "Laki-laki", "Perempuan"})
	}
	for _, it := range table.Items {
		if err != nil {
			break
		}
		err = sw.row([]string{it.Key, it.Name, fmt.Sprint(it.Total), fmt.Sprint(it.L), fmt.Sprint(it.P)})
	}
	if err == nil {
		err = sw.row([]string{"", "Jumlah", fmt.Sprint(table.Total), fmt.Sprint(table.L), fmt.Sprint(table.P)})
	}
	action := ""
	if req.User != "" {
		action = "stats.exported" // counts only: recorded for a logged-in caller
	}
	finishExport(w, r, sw, err, action, map[string]any{"format": format, "by": table.By, "rows": len(table.Items)})
}
