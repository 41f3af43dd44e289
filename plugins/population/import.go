package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"

	"github.com/balaidesa/balai/sdk"
)

// importColumns are the columns of an import CSV, in any order; the first
// row names them. nik, kk, name, sex and birth_date are required.
var importColumns = []string{"nik", "kk", "name", "sex", "birth_place", "birth_date", "religion", "education",
	"occupation", "marital_status", "relationship", "blood_type", "address", "rt", "rw", "mother_name"}

// importBatch rows travel to the host in one call and one transaction.
const importBatch = 2000

// maxRejections bounds the rejected rows listed in the answer.
const maxRejections = 1000

type rejection struct {
	Line   int    `json:"line"`
	NIK    string `json:"nik,omitempty"` // masked
	Reason string `json:"reason"`
}

// importResult is the answer of POST /import. Every data row of the file
// is counted in Read and in exactly one of Inserted, Duplicates and
// Rejected; Rejections lists the first maxRejections rows not inserted
// (rejected or duplicate) with their line in the file.
type importResult struct {
	Read       int         `json:"read"`
	Inserted   int         `json:"inserted"`
	Duplicates int         `json:"duplicates"`
	Rejected   int         `json:"rejected"`
	Rejections []rejection `json:"rejections"`
}

func (res *importResult) reject(line int, nik, reason string) {
	res.Rejected++
	if len(res.Rejections) < maxRejections {
		if nik != "" {
			nik = Mask(nik)
		}
		res.Rejections = append(res.Rejections, rejection{Line: line, NIK: nik, Reason: reason})
	}
}

// errCSV refuses a whole file: the CSV itself is broken, so where one row
// ends and the next begins is unknown (an unterminated quote swallows
// every line after it), and no row of the file is imported.
func errCSV(format string, args ...any) error {
	return invalid(codeInvalidCSV, format, args...)
}

// scanImport reads an import CSV and checks every row. Valid rows, each
// with its NIK first in the file, go to accept with the line they start
// on; the others are counted and listed in the result as rejected. A file
// that is not readable CSV (no header, a missing required column, an
// unterminated or stray quote) is refused whole with 422 invalid_csv
// naming the line: nothing of it may be imported. accept may be nil (a
// checking pass). today is the village's date, after which no one is born.
func scanImport(in io.Reader, today string, accept func(line int, p *Resident) error) (*importResult, error) {
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = -1 // checked below, per row, with a clearer reason
	cr.ReuseRecord = true
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errCSV("the file is empty: the first row names the columns (%s)", strings.Join(importColumns, ","))
	}
	if err != nil {
		return nil, csvError(err)
	}
	col := map[string]int{}
	for i, name := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))] = i
	}
	for _, need := range []string{"nik", "kk", "name", "sex", "birth_date"} {
		if _, ok := col[need]; !ok {
			return nil, errCSV("the header lacks the column %s (columns: %s)", need, strings.Join(importColumns, ","))
		}
	}
	width := len(head)
	res := &importResult{Rejections: []rejection{}}
	seen := map[string]int{}  // NIK: first line
	heads := map[string]int{} // KK: line of its head
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		res.Read++
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if len(rec) != width {
			// A comma too many or too few shifts the columns: the
			// values would land in the wrong fields.
			res.reject(line, "", fmt.Sprintf("the row has %d fields, the header %d", len(rec), width))
			continue
		}
		p := Resident{NIK: get("nik"), KK: get("kk"), Name: get("name"), Sex: strings.ToUpper(get("sex")), BirthPlace: get("birth_place"),
			BirthDate: get("birth_date"), Religion: get("religion"), Education: get("education"), Occupation: get("occupation"),
			MaritalStatus: get("marital_status"), Relationship: get("relationship"), BloodType: get("blood_type"),
			Address: get("address"), RT: get("rt"), RW: get("rw"), MotherName: get("mother_name")}
		if err := p.validate(today); err != nil {
			res.reject(line, p.NIK, err.Error())
			continue
		}
		if first, dup := seen[p.NIK]; dup {
			res.reject(line, p.NIK, "the same NIK is on line "+itoa(first)+" of this file")
			continue
		}
		if p.HeadKK != nil {
			if first, dup := heads[p.KK]; dup {
				res.reject(line, p.NIK, "the family's head is on line "+itoa(first)+" of this file")
				continue
			}
			heads[p.KK] = line
		}
		seen[p.NIK] = line
		if accept != nil {
			if err := accept(line, &p); err != nil {
				return nil, err
			}
		}
	}
	return res, nil
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
	return sdk.Errorf(http.StatusBadRequest, codeInvalidCSV, "reading the file: %v", err)
}

// importCSV imports a CSV of residents in two passes over a spooled copy
// of the body: the first checks the whole file, so that a broken file is
// refused before anything is written; the second inserts the valid rows
// in batches. Rows whose NIK is already registered are skipped (importing
// the same file twice adds nothing), and every row not inserted is
// reported with its line and reason. One audit entry records the import
// with its counts.
//
// A storage failure during the second pass leaves the batches already
// committed; the answer is an error, and importing the same file again
// adds the rest.
func importCSV(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	spool, err := os.CreateTemp("", "balai-population-import-*.csv")
	if err != nil {
		return 0, nil, fmt.Errorf("spooling the import: %w", err)
	}
	defer os.Remove(spool.Name())
	defer spool.Close()
	today := req.Today()
	if _, err := scanImport(io.TeeReader(r.Body, spool), today, nil); err != nil {
		return 0, nil, err
	}
	// The first pass may stop reading at the end of the CSV; the body is
	// the file.
	if _, err := io.Copy(spool, r.Body); err != nil {
		return 0, nil, fmt.Errorf("spooling the import: %w", err)
	}
	if _, err := spool.Seek(0, io.SeekStart); err != nil {
		return 0, nil, fmt.Errorf("rereading the import: %w", err)
	}
	var batch []any
	var lines []int
	var niks []string
	var isHead []bool
	inserted, duplicates := 0, 0
	var dupRejections []rejection
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		out, err := req.Records("residents").InsertMany(ctx, batch, true)
		if err != nil {
			return fmt.Errorf("inserting residents of lines %d to %d: %w", lines[0], lines[len(lines)-1], err)
		}
		inserted += len(out.Records)
		for _, i := range out.Skipped {
			duplicates++
			if len(dupRejections) == maxRejections {
				continue
			}
			reason := "duplicate_nik: the NIK is already registered; the row was skipped"
			if isHead[i] {
				// The insert does not say which unique field clashed.
				reason = "duplicate_nik or duplicate_head: the NIK is already registered, or the family already has a living head; the row was skipped"
			}
			dupRejections = append(dupRejections, rejection{Line: lines[i], NIK: Mask(niks[i]), Reason: reason})
		}
		batch, lines, niks, isHead = batch[:0], lines[:0], niks[:0], isHead[:0]
		return nil
	}
	res, err := scanImport(spool, today, func(line int, p *Resident) error {
		batch, lines, niks, isHead = append(batch, *p), append(lines, line), append(niks, p.NIK), append(isHead, p.HeadKK != nil)
		if len(batch) == importBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return 0, nil, err
	}
	res.Inserted, res.Duplicates = inserted, duplicates
	// The first rows not inserted, whatever the reason, in file order.
	res.Rejections = append(res.Rejections, dupRejections...)
	slices.SortStableFunc(res.Rejections, func(a, b rejection) int { return a.Line - b.Line })
	res.Rejections = res.Rejections[:min(len(res.Rejections), maxRejections)]
	// One record of the processing (UU PDP 27/2022): counts, no data.
	b := req.Batch().Audit("residents.imported", req.Tenant,
		map[string]int{"read": res.Read, "inserted": res.Inserted, "duplicates": res.Duplicates, "rejected": res.Rejected})
	if res.Inserted > 0 {
		b.Publish("population.residents_imported", map[string]int{"inserted": res.Inserted})
	}
	if err := b.Commit(ctx); err != nil {
		return 0, nil, fmt.Errorf("recording the import: %w", err)
	}
	return 200, res, nil
}
