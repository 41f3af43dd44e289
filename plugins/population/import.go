package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

// importColumns are our own column names, in the order of the import
// template; any order is read, and the names of OpenSID's template and
// SIAK's export too (see columnAliases). nik, kk, name, sex and
// birth_date are required.
var importColumns = []string{"nik", "kk", "name", "sex", "birth_place", "birth_date", "religion", "education",
	"occupation", "marital_status", "relationship", "blood_type", "address", "rt", "rw", "dusun", "status", "mother_name"}

// importBatch rows travel to the host in one call and one transaction.
const importBatch = 2000

// maxRejections bounds the rejected rows listed in the answer; the
// rejects file holds them all.
const maxRejections = 1000

// inMax is the most values an "in" filter of storage takes.
const inMax = 1000

// rejectsKeptDays is how long a stored rejects file stays downloadable:
// it holds residents' numbers in full, so it does not outlive the clerk's
// correction of her file (UU PDP 27/2022, storage limitation).
const rejectsKeptDays = 7

// Why a row was not imported, besides the codes validate answers
// (invalid_nik, invalid_sex, invalid_relationship...).
const (
	reasonDuplicateNIK  = "duplicate_nik"  // registered already: skipped, counted in duplicates
	reasonDuplicateHead = "duplicate_head" // a second living head of the family: rejected
	reasonInvalidRow    = "invalid_row"    // a row with more or fewer fields than the header
)

// rejection is a row not imported: its line in the file (the row number
// in a workbook), the NIK masked, the reason's code and its explanation.
type rejection struct {
	Line   int    `json:"line"`
	NIK    string `json:"nik,omitempty"` // masked
	Code   string `json:"code"`
	Reason string `json:"reason"`
	// ReasonID is Reason in Bahasa Indonesia, for the import screen (the
	// API's JSON keeps its documented English reason).
	ReasonID string `json:"-"`
}

// why is a rejection's reason in English (the API's) and in Bahasa
// Indonesia (the screen's), built from the same values.
type why struct{ en, id string }

// importResult is the answer of POST /import. Every data row of the file
// (blank rows aside) is counted in Read and in exactly one of Inserted
// (WouldInsert in a dry run), Duplicates and Rejected; Rejections lists the
// first maxRejections rows not inserted, rejected or duplicate, by line.
type importResult struct {
	DryRun bool   `json:"dry_run"`
	Format string `json:"format"`          // csv or xlsx
	Sheet  string `json:"sheet,omitempty"` // the worksheet read
	Read   int    `json:"read"`
	// Inserted counts the rows registered; WouldInsert, in a dry run, those
	// that would be.
	Inserted    int  `json:"inserted"`
	WouldInsert *int `json:"would_insert,omitempty"`
	// Duplicates are rows whose NIK is registered already (skipped: the
	// same file imported twice adds nothing).
	Duplicates int `json:"duplicates"`
	Rejected   int `json:"rejected"`
	// Columns shows how the header was read; UnknownColumns lists the
	// columns not recognised, IgnoredColumns those recognised (OpenSID's
	// and SIAK's fields the register does not keep, a second column of a
	// field): neither is imported.
	Columns        []columnUse   `json:"columns"`
	UnknownColumns []string      `json:"unknown_columns"`
	IgnoredColumns []string      `json:"ignored_columns"`
	Rejections     []rejection   `json:"rejections"`
	RejectsFile    *rejectsStore `json:"rejects_file,omitempty"`
}

// rejectsStore names a stored file of the rejected rows: GET URL (under
// the API's /api/v1/t/{village}/population) downloads it until Expires.
type rejectsStore struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Rows    int    `json:"rows"`
	URL     string `json:"url"`
	Expires string `json:"expires"` // YYYY-MM-DD, the village's date
}

// rejectsRecord is a stored rejects file, in the collection
// import_rejects: what GET /import/rejects/{id} serves and what a later
// import deletes after rejectsKeptDays.
type rejectsRecord struct {
	FileID  string `json:"file_id"`
	Name    string `json:"name"`
	Format  string `json:"format"`
	Rows    int    `json:"rows"`
	Expires string `json:"expires"`
}

func (res *importResult) reject(line int, nik, code string, reason why) {
	res.Rejected++
	res.list(line, nik, code, reason)
}

func (res *importResult) list(line int, nik, code string, reason why) {
	if len(res.Rejections) < maxRejections {
		if nik != "" {
			nik = Mask(nik)
		}
		res.Rejections = append(res.Rejections, rejection{Line: line, NIK: nik, Code: code, Reason: reason.en, ReasonID: reason.id})
	}
}

// errCSV refuses a whole file: the CSV itself is broken, so where one row
// ends and the next begins is unknown (an unterminated quote swallows
// every line after it), and no row of the file is imported.
func errCSV(format string, args ...any) error {
	return invalid(codeInvalidCSV, format, args...)
}

// csvError describes a CSV syntax error with the line it was found on.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		where := fmt.Sprintf("line %d", pe.Line)
		if pe.StartLine != pe.Line {
			where = fmt.Sprintf("the row starting on line %d (read up to line %d)", pe.StartLine, pe.Line)
		}
		return errCSV("the file is not valid CSV at %s, column %d: %v; nothing was imported", where, pe.Column, pe.Err)
	}
	var me *http.MaxBytesError
	if errors.As(err, &me) {
		return err
	}
	return sdk.Errorf(http.StatusBadRequest, codeInvalidCSV, "reading the file: %v", err)
}

// scanner checks the rows of an upload. today is the village's date,
// after which no one is born; xlsx says the table is a workbook's (date
// cells, rows of varying width).
type scanner struct {
	today string
	xlsx  bool
	// rejected, when set, receives every row rejected here with its
	// cells as uploaded (the rejects file).
	rejected func(line int, cells []string, reason string)
	// lang is the language of the rejects file's "alasan" column: "id"
	// for an import from the screen in Bahasa Indonesia, "en" otherwise.
	lang string
}

// alasan is a rejected row's "alasan" cell: its code and reason in the
// scanner's language.
func (s *scanner) alasan(code string, w why) string {
	if s.lang == "id" && w.id != "" {
		return code + ": " + w.id
	}
	return code + ": " + w.en
}

// scan reads a table whose first non-blank row names the columns and
// checks every data row: valid rows, each with its NIK first in the file
// and no second living head of a family, go to accept with their line and
// cells (valid until accept returns); the others are counted and listed
// in the result as rejected. A file that cannot be read (no header, a
// missing required column, broken CSV) is refused whole with 422
// invalid_csv or invalid_file naming the line: nothing of it may be
// imported. accept may be nil (a checking pass).
func (s *scanner) scan(t table, accept func(line int, cells []string, p *Resident) error) (*importResult, *columnMap, error) {
	var head []string
	for {
		rec, _, err := t.next()
		if errors.Is(err, io.EOF) {
			return nil, nil, errCSV("the file is empty: the first row names the columns (%s)", strings.Join(importColumns, ","))
		}
		if err != nil {
			return nil, nil, err
		}
		if !blank(rec) {
			head = slices.Clone(rec)
			break
		}
	}
	cols, err := mapColumns(head)
	if err != nil {
		return nil, nil, err
	}
	res := &importResult{Rejections: []rejection{}, Columns: cols.mapped, UnknownColumns: cols.unknown, IgnoredColumns: cols.ignored}
	seen := map[string]int{}  // NIK: first line
	heads := map[string]int{} // KK: line of its living head
	for {
		rec, line, err := t.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		if blank(rec) {
			continue
		}
		res.Read++
		reject := func(nik, code string, reason why) {
			res.reject(line, nik, code, reason)
			if s.rejected != nil {
				s.rejected(line, rec, s.alasan(code, reason))
			}
		}
		if !s.xlsx && len(rec) != len(head) {
			// A comma too many or too few shifts the columns: the
			// values would land in the wrong fields. (A workbook's
			// cells are addressed, and its rows end at their last
			// value.)
			reject("", reasonInvalidRow, why{fmt.Sprintf("the row has %d fields, the header %d", len(rec), len(head)),
				fmt.Sprintf("Baris ini punya %d kolom, judul tabel %d: periksa koma atau titik koma yang berlebih atau kurang.", len(rec), len(head))})
			continue
		}
		p := cols.residentFromRow(rec, s.xlsx)
		if err := p.validate(s.today); err != nil {
			code := string(sdk.CodeInvalid)
			var se *sdk.Error
			if errors.As(err, &se) {
				code = string(se.Code)
			}
			reject(p.NIK, code, why{err.Error(), reasonFor(err)})
			continue
		}
		if first, dup := seen[p.NIK]; dup {
			reject(p.NIK, reasonDuplicateNIK, why{"the same NIK is on line " + itoa(first) + " of this file",
				"NIK yang sama sudah ada di baris " + itoa(first) + " berkas ini."})
			continue
		}
		if p.HeadKK != nil {
			if first, dup := heads[p.KK]; dup {
				reject(p.NIK, reasonDuplicateHead, why{"the family's living head is on line " + itoa(first) + " of this file",
					"Kepala keluarga ini sudah ada di baris " + itoa(first) + " berkas ini: satu keluarga punya satu kepala keluarga."})
				continue
			}
			heads[p.KK] = line
		}
		seen[p.NIK] = line
		if accept != nil {
			if err := accept(line, rec, &p); err != nil {
				return nil, nil, err
			}
		}
	}
	return res, cols, nil
}

// scanImport checks a CSV as both passes of POST /import do: the fuzz
// target's entry.
func scanImport(in io.Reader, today string, accept func(line int, p *Resident) error) (*importResult, error) {
	s := &scanner{today: today}
	var fn func(int, []string, *Resident) error
	if accept != nil {
		fn = func(line int, _ []string, p *Resident) error { return accept(line, p) }
	}
	res, _, err := s.scan(newCSVTable(in), fn)
	return res, err
}

// importOptions are POST /import's query parameters.
type importOptions struct {
	dryRun bool
	// rejectsFile answers the rejected rows as the file itself
	// (?rejects=file) instead of the JSON summary.
	rejectsFile bool
	sheet       string
}

func parseImportOptions(r *http.Request) (importOptions, error) {
	q := r.URL.Query()
	var o importOptions
	if v := q.Get("dry_run"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return o, sdk.Errorf(http.StatusBadRequest, codeInvalidParameter, "dry_run must be true or false")
		}
		o.dryRun = b
	}
	switch v := q.Get("rejects"); v {
	case "", "json":
	case "file":
		o.rejectsFile = true
	default:
		return o, sdk.Errorf(http.StatusBadRequest, codeInvalidParameter, "rejects must be file (answer the rejected rows as a file) or json")
	}
	o.sheet = strings.TrimSpace(q.Get("sheet"))
	return o, nil
}

// pendingRow is a row of the batch in hand, until storage said whether
// it was inserted.
type pendingRow struct {
	line  int
	cells []string
	p     Resident
}

// rejectRow is a row bound for the rejects file.
type rejectRow struct {
	line   int
	cells  []string
	reason string
}

// importResidents is POST /import: it reads an upload of residents (CSV
// or .xlsx, laid out as ours, OpenSID's template or SIAK's export; see
// importformats.go) in two passes over a spooled copy: the first checks
// the whole file, so that a broken file is refused before anything is
// written; the second inserts the valid rows in batches of importBatch,
// one storage call each. Rows whose NIK is registered already are skipped
// (importing the same file twice adds nothing); a row making a second
// living head of a family, in the file or against the register, is
// rejected as duplicate_head; every row not inserted is reported with
// its line and reason.
//
// ?dry_run=true writes nothing and answers what the import would do,
// checked against the village's register (a NIK registered in another
// village is found only by the real import). ?rejects=file answers the
// rejected rows as a file in the upload's format, with the upload's
// columns and a reason column "alasan", the counts in the
// Balai-Import-Summary header (JSON); otherwise a real import with
// rejected rows stores that file for rejectsKeptDays and the answer's
// rejects_file says where to GET it. ?sheet= names the worksheet of a
// workbook (the first by default).
//
// One audit entry records the import with its counts. A storage failure
// during the second pass leaves the batches already committed; the answer
// is an error, and importing the same file again adds the rest.
func importResidents(w http.ResponseWriter, r *http.Request) {
	res, out, err := runImport(r)
	if out != nil {
		defer os.Remove(out.path)
	}
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	if out == nil {
		sdk.JSON(w, http.StatusOK, res)
		return
	}
	// ?rejects=file: the file is the answer.
	f, err := os.Open(out.path)
	if err != nil {
		sdk.FailErr(w, r, fmt.Errorf("reopening the rejects file: %w", err))
		return
	}
	defer f.Close()
	summary, _ := json.Marshal(map[string]any{"dry_run": res.DryRun, "format": res.Format, "read": res.Read,
		"inserted": res.Inserted, "would_insert": res.WouldInsert, "duplicates": res.Duplicates, "rejected": res.Rejected,
		"unknown_columns": res.UnknownColumns, "ignored_columns": res.IgnoredColumns})
	w.Header().Set("Balai-Import-Summary", string(summary))
	w.Header().Set("Content-Type", contentTypes[res.Format])
	w.Header().Set("Content-Disposition", `attachment; filename="`+out.name+`"`)
	w.WriteHeader(http.StatusOK)
	io.Copy(w, f)
}

// rejectsOut is the rejects file of an import, written to a temporary file.
type rejectsOut struct {
	path, name string
	rows       int
}

func runImport(r *http.Request) (*importResult, *rejectsOut, error) {
	req := sdk.From(r)
	ctx := r.Context()
	opts, err := parseImportOptions(r)
	if err != nil {
		return nil, nil, err
	}
	spool, err := os.CreateTemp("", "balai-population-import-*")
	if err != nil {
		return nil, nil, fmt.Errorf("spooling the import: %w", err)
	}
	defer os.Remove(spool.Name())
	defer spool.Close()
	if _, err := io.Copy(spool, r.Body); err != nil {
		var me *http.MaxBytesError
		if errors.As(err, &me) {
			return nil, nil, err
		}
		return nil, nil, sdk.Errorf(http.StatusBadRequest, codeInvalidCSV, "reading the file: %v", err)
	}
	head := make([]byte, 8)
	n, _ := spool.ReadAt(head, 0)
	format, err := detectFormat(head[:n], r.Header.Get("Content-Type"))
	if err != nil {
		return nil, nil, err
	}
	today := req.Today()
	sc := &scanner{today: today, xlsx: format == formatXLSX, lang: "en"}
	if info := ui.Info(r); info.Base != "" && info.Lang != "en" {
		// The screen's upload: the rejects file goes back to a clerk.
		sc.lang = "id"
	}
	var wb *excelize.File
	sheet := ""
	if format == formatXLSX {
		if wb, sheet, err = openWorkbook(spool.Name(), opts.sheet); err != nil {
			return nil, nil, err
		}
		defer wb.Close()
	}
	var comma rune
	var bom bool
	open := func() (table, func(), error) {
		if format == formatXLSX {
			t, err := newXLSXTable(wb, sheet)
			if err != nil {
				return nil, nil, err
			}
			return t, func() { t.close() }, nil
		}
		if _, err := spool.Seek(0, io.SeekStart); err != nil {
			return nil, nil, fmt.Errorf("rereading the import: %w", err)
		}
		t := newCSVTable(spool)
		comma, bom = t.comma, t.bom
		return t, func() {}, nil
	}

	// Pass 1: the whole file is readable, or nothing is written.
	t, done, err := open()
	if err != nil {
		return nil, nil, err
	}
	_, cols, err := sc.scan(t, nil)
	done()
	if err != nil {
		return nil, nil, err
	}

	// Pass 2: the rows, in batches.
	var rw *rejectsWriter
	wantFile := opts.rejectsFile || !opts.dryRun
	if wantFile {
		if rw, err = newRejectsWriter(format, cols.header, comma, bom); err != nil {
			return nil, nil, err
		}
		defer rw.discard()
	}
	// The rejects file lists rows in the upload's order: the rows the
	// scan rejects wait in pending until the batch in hand is flushed and
	// storage has said which of its rows it refused.
	var pending []rejectRow
	var batch []pendingRow
	writePending := func(before int) error {
		slices.SortStableFunc(pending, func(a, b rejectRow) int { return a.line - b.line })
		n := 0
		for _, p := range pending {
			if p.line >= before {
				break
			}
			if err := rw.row(p.cells, p.reason); err != nil {
				return err
			}
			n++
		}
		pending = append(pending[:0], pending[n:]...)
		return nil
	}
	var werr error
	sc.rejected = func(line int, cells []string, reason string) {
		if rw == nil {
			return
		}
		pending = append(pending, rejectRow{line, slices.Clone(cells), reason})
		if len(pending) >= importBatch && werr == nil {
			// Many rejected rows between two batches: write those
			// before the batch in hand rather than hold them all.
			before := int(^uint(0) >> 1)
			if len(batch) > 0 {
				before = batch[0].line
			}
			werr = writePending(before)
		}
	}
	inserted, duplicates, headClashes := 0, 0, 0
	// Rows refused at a flush: duplicates and heads of families the
	// register has (the first maxRejections of them are listed).
	var late []rejection
	lateReject := func(row *pendingRow, code string, reason why) {
		if len(late) < maxRejections {
			late = append(late, rejection{Line: row.line, NIK: Mask(row.p.NIK), Code: code, Reason: reason.en, ReasonID: reason.id})
		}
		if rw != nil && code != reasonDuplicateNIK {
			pending = append(pending, rejectRow{row.line, row.cells, sc.alasan(code, reason)})
		}
	}
	flush := func() error {
		if werr != nil {
			return werr
		}
		if len(batch) > 0 {
			var err error
			if opts.dryRun {
				err = checkBatch(r, batch, &inserted, &duplicates, &headClashes, lateReject)
			} else {
				err = insertBatch(r, batch, &inserted, &duplicates, &headClashes, lateReject)
			}
			if err != nil {
				return err
			}
		}
		if rw != nil && len(pending) > 0 {
			if err := writePending(int(^uint(0) >> 1)); err != nil {
				return err
			}
		}
		batch = batch[:0]
		return nil
	}
	t, done, err = open()
	if err != nil {
		return nil, nil, err
	}
	res, _, err := sc.scan(t, func(line int, cells []string, p *Resident) error {
		// The table hands out a new slice for every row: kept as is.
		batch = append(batch, pendingRow{line: line, cells: cells, p: *p})
		if len(batch) == importBatch {
			return flush()
		}
		return nil
	})
	done()
	if err == nil {
		err = flush()
	}
	if err != nil {
		return nil, nil, err
	}
	res.DryRun, res.Format, res.Sheet = opts.dryRun, format, sheet
	res.Duplicates, res.Rejected = duplicates, res.Rejected+headClashes
	if opts.dryRun {
		res.WouldInsert = &inserted
	} else {
		res.Inserted = inserted
	}
	// The first rows not inserted, whatever the reason, in file order.
	res.Rejections = append(res.Rejections, late...)
	slices.SortStableFunc(res.Rejections, func(a, b rejection) int { return a.Line - b.Line })
	res.Rejections = res.Rejections[:min(len(res.Rejections), maxRejections)]

	var out *rejectsOut
	b := req.Batch()
	if rw != nil {
		if out, err = rw.finish(); err != nil {
			return nil, nil, err
		}
		out.name = rejectsName(format)
		switch {
		case opts.rejectsFile:
		case out.rows > 0:
			// Kept for the clerk's browser (issue 12) and the CLI: a GET
			// of the URL downloads it.
			stored, err := storeRejects(r, b, out)
			os.Remove(out.path)
			if err != nil {
				return nil, nil, err
			}
			res.RejectsFile = stored
			out = nil
		default:
			os.Remove(out.path)
			out = nil
		}
	}
	// One record of the processing (UU PDP 27/2022): counts, no data.
	action := "residents.imported"
	if opts.dryRun {
		action = "residents.import_checked"
	}
	b.Audit(action, req.Tenant, map[string]any{"format": format, "read": res.Read, "inserted": res.Inserted,
		"would_insert": res.WouldInsert, "duplicates": res.Duplicates, "rejected": res.Rejected,
		"unknown_columns": len(res.UnknownColumns)})
	if res.Inserted > 0 {
		b.Publish("population.residents_imported", map[string]int{"inserted": res.Inserted})
	}
	if err := b.Commit(ctx); err != nil {
		if out != nil {
			os.Remove(out.path)
		}
		return nil, nil, fmt.Errorf("recording the import: %w", err)
	}
	return res, out, nil
}

// insertBatch inserts a batch in one call, duplicates skipped. A skipped
// head of family is either already registered (the same NIK heads the
// family: a duplicate, as a re-import) or a second head of a family that
// has one: the register's heads of those families are read in one query
// per inMax of them, only when the insert skipped heads.
func insertBatch(r *http.Request, batch []pendingRow, inserted, duplicates, headClashes *int,
	reject func(row *pendingRow, code string, reason why)) error {
	req := sdk.From(r)
	vs := make([]any, len(batch))
	for i := range batch {
		vs[i] = batch[i].p
	}
	out, err := req.Records("residents").InsertMany(r.Context(), vs, true)
	if err != nil {
		return fmt.Errorf("inserting residents of lines %d to %d: %w", batch[0].line, batch[len(batch)-1].line, err)
	}
	*inserted += len(out.Records)
	var skippedHeads []string
	for _, i := range out.Skipped {
		if batch[i].p.HeadKK != nil {
			skippedHeads = append(skippedHeads, batch[i].p.KK)
		}
	}
	heads, err := registeredHeads(r, skippedHeads)
	if err != nil {
		return err
	}
	for _, i := range out.Skipped {
		row := &batch[i]
		if nik, ok := heads[row.p.KK]; ok && row.p.HeadKK != nil && nik != row.p.NIK {
			*headClashes++
			reject(row, reasonDuplicateHead, why{"family " + Mask(row.p.KK) + " already has a living head in the register",
				"Keluarga " + Mask(row.p.KK) + " sudah punya kepala keluarga yang hidup di register."})
			continue
		}
		*duplicates++
		reject(row, reasonDuplicateNIK, why{"the NIK is already registered; the row was skipped", "NIK sudah terdaftar; baris dilewati."})
	}
	return nil
}

// checkBatch is insertBatch's dry run: which NIKs of the batch the
// village has registered, and which heads of family the village has, in
// one query each per inMax rows.
func checkBatch(r *http.Request, batch []pendingRow, wouldInsert, duplicates, headClashes *int,
	reject func(row *pendingRow, code string, reason why)) error {
	niks := make([]string, len(batch))
	var headKKs []string
	for i := range batch {
		niks[i] = batch[i].p.NIK
		if batch[i].p.HeadKK != nil {
			headKKs = append(headKKs, batch[i].p.KK)
		}
	}
	registered := map[string]bool{}
	err := revealedIn(r, "nik", niks, func(p *Resident) { registered[p.NIK] = true })
	if err != nil {
		return err
	}
	heads, err := registeredHeads(r, headKKs)
	if err != nil {
		return err
	}
	for i := range batch {
		row := &batch[i]
		switch {
		case registered[row.p.NIK]:
			*duplicates++
			reject(row, reasonDuplicateNIK, why{"the NIK is already registered; the row would be skipped", "NIK sudah terdaftar; baris akan dilewati."})
		case row.p.HeadKK != nil && heads[row.p.KK] != "":
			*headClashes++
			reject(row, reasonDuplicateHead, why{"family " + Mask(row.p.KK) + " already has a living head in the register",
				"Keluarga " + Mask(row.p.KK) + " sudah punya kepala keluarga yang hidup di register."})
		default:
			*wouldInsert++
		}
	}
	return nil
}

// registeredHeads answers, for the given KKs, the NIK of the family's
// living head in the village's register.
func registeredHeads(r *http.Request, kks []string) (map[string]string, error) {
	heads := map[string]string{}
	err := revealedIn(r, "head_kk", kks, func(p *Resident) { heads[p.KK] = p.NIK })
	return heads, err
}

// revealedIn reads the village's residents whose field is one of values,
// inMax at a time. The numbers are compared, never answered: the read is
// revealed (and audited by the host with its purpose) so that the check
// holds for a caller who sees them masked.
func revealedIn(r *http.Request, field string, values []string, fn func(*Resident)) error {
	req := sdk.From(r)
	recs := req.Records("residents").Reveal("check an import's rows against the register")
	for len(values) > 0 {
		chunk := values[:min(len(values), inMax)]
		values = values[len(chunk):]
		found, _, err := recs.Query().Where(field, sdk.In, chunk).Page(0, len(chunk)).Run(r.Context())
		if err != nil {
			return fmt.Errorf("checking an import against the register: %w", err)
		}
		for i := range found {
			var p Resident
			if err := found[i].Decode(&p); err != nil {
				return fmt.Errorf("decoding resident %s: %w", found[i].ID, err)
			}
			fn(&p)
		}
	}
	return nil
}

// contentTypes of the files the module reads and writes.
var contentTypes = map[string]string{
	formatCSV:  "text/csv; charset=utf-8",
	formatXLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

func rejectsName(format string) string { return "ditolak." + format }

// rejectsWriter writes the rejected rows as the clerk uploaded them, with
// the reason in a last column "alasan", in the upload's format (CSV with
// its separator and byte order mark, or a workbook), so that she fixes
// them where she works and imports the file again. Cells are neutralised
// as the exports' are (a leading apostrophe before = + - @), which the
// import reads back as written.
type rejectsWriter struct {
	format string
	f      *os.File
	csv    *csv.Writer
	wb     *excelize.File
	sw     *excelize.StreamWriter
	rows   int
	width  int
	// reasonAt is the upload's own "alasan" column, -1 for none.
	reasonAt int
}

func newRejectsWriter(format string, header []string, comma rune, bom bool) (*rejectsWriter, error) {
	f, err := os.CreateTemp("", "balai-population-rejects-*")
	if err != nil {
		return nil, fmt.Errorf("creating the rejects file: %w", err)
	}
	w := &rejectsWriter{format: format, f: f, width: len(header), reasonAt: -1}
	head := append(slices.Clone(header), rejectsColumn)
	for i, name := range header {
		if isRejectsColumn(name) {
			// A rejects file imported again: its reason column takes
			// the new reason rather than a second "alasan" column.
			w.reasonAt, head = i, slices.Clone(header)
			break
		}
	}
	if format == formatXLSX {
		w.wb = excelize.NewFile()
		if w.sw, err = w.wb.NewStreamWriter("Sheet1"); err != nil {
			w.discard()
			return nil, fmt.Errorf("creating the rejects workbook: %w", err)
		}
		return w, w.xlsxRow(head)
	}
	if bom {
		f.Write(utf8BOM)
	}
	w.csv = csv.NewWriter(f)
	w.csv.Comma = comma
	w.csv.UseCRLF = true // as Excel writes it
	return w, w.csv.Write(head)
}

func (w *rejectsWriter) xlsxRow(cells []string) error {
	cell, _ := excelize.CoordinatesToCellName(1, w.rows+1)
	vs := make([]any, len(cells))
	for i, c := range cells {
		vs[i] = neutralise(c)
	}
	if err := w.sw.SetRow(cell, vs); err != nil {
		return fmt.Errorf("writing the rejects workbook: %w", err)
	}
	w.rows++
	return nil
}

func (w *rejectsWriter) row(cells []string, reason string) error {
	// The reason goes after the upload's last column, whatever the row's
	// own width.
	var out []string
	if w.reasonAt >= 0 {
		out = make([]string, max(w.width, len(cells)))
		copy(out, cells)
		out[w.reasonAt] = reason
	} else {
		out = make([]string, max(w.width, len(cells))+1)
		copy(out, cells)
		out[len(out)-1] = reason
	}
	if w.format == formatXLSX {
		return w.xlsxRow(out)
	}
	for i := range out {
		out[i] = neutralise(out[i])
	}
	w.rows++
	if err := w.csv.Write(out); err != nil {
		return fmt.Errorf("writing the rejects file: %w", err)
	}
	return nil
}

// finish closes the file; the caller removes it.
func (w *rejectsWriter) finish() (*rejectsOut, error) {
	rows := w.rows
	if w.format == formatXLSX {
		rows-- // the header
		if err := w.sw.Flush(); err != nil {
			return nil, fmt.Errorf("writing the rejects workbook: %w", err)
		}
		if err := w.wb.Write(w.f); err != nil {
			return nil, fmt.Errorf("writing the rejects workbook: %w", err)
		}
		w.wb.Close()
		w.wb = nil
	} else {
		w.csv.Flush()
		if err := w.csv.Error(); err != nil {
			return nil, fmt.Errorf("writing the rejects file: %w", err)
		}
	}
	path := w.f.Name()
	if err := w.f.Close(); err != nil {
		return nil, fmt.Errorf("writing the rejects file: %w", err)
	}
	w.f = nil
	return &rejectsOut{path: path, rows: rows}, nil
}

// discard removes an unfinished file.
func (w *rejectsWriter) discard() {
	if w.wb != nil {
		w.wb.Close()
	}
	if w.f != nil {
		w.f.Close()
		os.Remove(w.f.Name())
	}
}

// storeRejects keeps a rejects file in the village's file store, with a
// record in import_rejects that the batch b (the import's audit) commits,
// and first deletes the files kept longer than rejectsKeptDays.
func storeRejects(r *http.Request, b *sdk.Batch, out *rejectsOut) (*rejectsStore, error) {
	req := sdk.From(r)
	ctx := r.Context()
	if err := expireRejects(r); err != nil {
		return nil, err
	}
	f, err := os.Open(out.path)
	if err != nil {
		return nil, fmt.Errorf("reopening the rejects file: %w", err)
	}
	defer f.Close()
	stored, err := req.PutFile(ctx, out.name, f, sdk.FileRules{Accept: []string{"text/plain", "application/zip"}})
	if err != nil {
		return nil, fmt.Errorf("storing the rejects file: %w", err)
	}
	format := strings.TrimPrefix(filepath.Ext(out.name), ".")
	expires := req.Now().AddDate(0, 0, rejectsKeptDays).Format(time.DateOnly)
	b.Insert("import_rejects", rejectsRecord{FileID: stored.ID, Name: out.name, Format: format, Rows: out.rows, Expires: expires})
	return &rejectsStore{ID: stored.ID, Name: out.name, Rows: out.rows, URL: "/import/rejects/" + stored.ID, Expires: expires}, nil
}

// expireRejects deletes the village's rejects files past their date (a
// few at each import: there is one per import with rejected rows).
func expireRejects(r *http.Request) error {
	req := sdk.From(r)
	ctx := r.Context()
	old, _, err := req.Records("import_rejects").Query().Where("expires", sdk.Lt, req.Today()).Page(0, 20).Run(ctx)
	if err != nil {
		return fmt.Errorf("finding expired rejects files: %w", err)
	}
	for _, rec := range old {
		var rr rejectsRecord
		if err := rec.Decode(&rr); err != nil {
			return fmt.Errorf("decoding rejects record %s: %w", rec.ID, err)
		}
		if err := req.DeleteFile(ctx, rr.FileID); err != nil && !errors.Is(err, sdk.ErrNotFound) {
			return fmt.Errorf("deleting rejects file %s: %w", rr.FileID, err)
		}
		if err := req.Records("import_rejects").Delete(ctx, rec.ID, 0); err != nil && !errors.Is(err, sdk.ErrNotFound) {
			return fmt.Errorf("deleting rejects record %s: %w", rec.ID, err)
		}
	}
	return nil
}

// villageOnlyHTTP is villageOnly for a handler that writes its own
// answer (a file).
func villageOnlyHTTP(fn http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if req := sdk.From(r); req.Level != sdk.Village {
			sdk.FailErr(w, r, errNotAVillage(req))
			return
		}
		fn(w, r)
	}
}

// getRejects is GET /import/rejects/{id}: the rejected rows of an import,
// as a download, until the file expires. It holds NIKs and KKs in full as
// the clerk uploaded them, so it needs read_personal besides the route's
// write permission; each download is audited.
func getRejects(w http.ResponseWriter, r *http.Request) {
	rr, body, err := openRejects(r)
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	defer body.Close()
	serveRejects(w, rr, body)
}

// serveRejects writes an opened rejects file as a download.
func serveRejects(w http.ResponseWriter, rr rejectsRecord, body io.Reader) {
	w.Header().Set("Content-Type", contentTypes[rr.Format])
	w.Header().Set("Content-Disposition", `attachment; filename="`+rr.Name+`"`)
	w.WriteHeader(http.StatusOK)
	io.Copy(w, body)
}

// openRejects finds the rejects file the path's id names (unexpired),
// audits its download and opens it: the rule of GET /import/rejects/{id}
// for the API and the screen (which answers its errors as a page).
func openRejects(r *http.Request) (rejectsRecord, io.ReadCloser, error) {
	req := sdk.From(r)
	ctx := r.Context()
	var rr rejectsRecord
	if !req.Can(permPersonal) {
		return rr, nil, withID(sdk.Errorf(http.StatusForbidden, sdk.CodeForbidden, "the rejected rows hold full NIKs and KKs: downloading them needs %s", permPersonal),
			"Baris yang ditolak memuat NIK dan KK utuh: mengunduhnya memerlukan hak melihat data pribadi.")
	}
	id := r.PathValue("id")
	recs, _, err := req.Records("import_rejects").Query().Where("file_id", sdk.Eq, id).Where("expires", sdk.Ge, req.Today()).Page(0, 1).Run(ctx)
	if err != nil {
		return rr, nil, err
	}
	if len(recs) == 0 {
		return rr, nil, withID(sdk.Errorf(http.StatusNotFound, sdk.CodeNotFound, "no rejects file %s in %s (they are kept %d days)", id, req.Tenant, rejectsKeptDays),
			fmt.Sprintf("Berkas baris yang ditolak ini tidak ada atau sudah lewat masa simpannya (%d hari). Impor berkasnya lagi untuk mendapatkan baris yang ditolak.", rejectsKeptDays))
	}
	if err := recs[0].Decode(&rr); err != nil {
		return rr, nil, fmt.Errorf("decoding rejects record %s: %w", recs[0].ID, err)
	}
	_, body, err := req.OpenFile(ctx, rr.FileID)
	if err != nil {
		return rr, nil, err
	}
	if err := req.Batch().Audit("residents.rejects_downloaded", req.Tenant, map[string]any{"rows": rr.Rows, "format": rr.Format}).Commit(ctx); err != nil {
		body.Close()
		return rr, nil, err
	}
	return rr, body, nil
}
