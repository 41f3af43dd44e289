package main

import (
	"encoding/csv"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

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

type importResult struct {
	Read       int         `json:"read"`
	Inserted   int         `json:"inserted"`
	Duplicates int         `json:"duplicates"`
	Rejected   int         `json:"rejected"`
	Rejections []rejection `json:"rejections"`
}

// importCSV streams a CSV of residents: each row is checked, the valid ones
// are inserted in batches, rows whose NIK is already registered are
// skipped (so importing the same file twice adds nothing), and every
// rejected row is reported with its reason.
func importCSV(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	cr := csv.NewReader(r.Body)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return 0, nil, sdk.Errorf(400, "invalid_csv", "the file has no header row: %v", err)
	}
	col := map[string]int{}
	for i, name := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))] = i
	}
	for _, need := range []string{"nik", "kk", "name", "sex", "birth_date"} {
		if _, ok := col[need]; !ok {
			return 0, nil, sdk.Errorf(400, "invalid_csv", "the header lacks the column %s (columns: %s)", need, strings.Join(importColumns, ","))
		}
	}
	res := &importResult{Rejections: []rejection{}}
	// reject lists a row that was not imported; rejections also list rows
	// skipped as already registered, which count as duplicates instead.
	reject := func(line int, nik, reason string) {
		res.Rejected++
		if len(res.Rejections) < maxRejections {
			if nik != "" {
				nik = Mask(nik)
			}
			res.Rejections = append(res.Rejections, rejection{Line: line, NIK: nik, Reason: reason})
		}
	}
	var batch []any
	var lines []int
	var niks []string
	seen := map[string]int{}
	now := time.Now()
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		out, err := req.Records("residents").InsertMany(r.Context(), batch, true)
		if err != nil {
			return err
		}
		res.Inserted += len(out.Records)
		for _, i := range out.Skipped {
			res.Duplicates++
			if len(res.Rejections) < maxRejections {
				res.Rejections = append(res.Rejections, rejection{Line: lines[i], NIK: Mask(niks[i]), Reason: "duplicate_nik: the NIK is already registered; the row was skipped"})
			}
		}
		batch, lines, niks = batch[:0], lines[:0], niks[:0]
		return nil
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				reject(line, "", "unreadable CSV row: "+pe.Err.Error())
				continue
			}
			return 0, nil, sdk.Errorf(400, "invalid_csv", "reading the file: %v", err)
		}
		res.Read++
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		p := Resident{NIK: get("nik"), KK: get("kk"), Name: get("name"), Sex: strings.ToUpper(get("sex")), BirthPlace: get("birth_place"),
			BirthDate: get("birth_date"), Religion: get("religion"), Education: get("education"), Occupation: get("occupation"),
			MaritalStatus: get("marital_status"), Relationship: get("relationship"), BloodType: get("blood_type"),
			Address: get("address"), RT: get("rt"), RW: get("rw"), MotherName: get("mother_name")}
		if err := p.validate(now); err != nil {
			reject(line, p.NIK, err.Error())
			continue
		}
		if first, dup := seen[p.NIK]; dup {
			reject(line, p.NIK, "the same NIK is on line "+itoa(first)+" of this file")
			continue
		}
		seen[p.NIK] = line
		batch, lines, niks = append(batch, p), append(lines, line), append(niks, p.NIK)
		if len(batch) == importBatch {
			if err := flush(); err != nil {
				return 0, nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return 0, nil, err
	}
	if res.Inserted > 0 {
		if err := req.Publish(r.Context(), "population.residents_imported", map[string]int{"inserted": res.Inserted}); err != nil {
			return 0, nil, err
		}
	}
	return 200, res, nil
}
