package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"testing"

	"github.com/balaidesa/balai/sdk"
)

// FuzzImport feeds arbitrary files to the import's checking path (the
// same scanImport both passes of POST /import run) and holds it to its
// promise: it never panics; a file is either refused whole with 422
// invalid_csv, or every data row is counted once, as accepted or as
// rejected with a line of the file; accepted rows are valid and their
// NIKs distinct. Seeds: testdata/fuzz/FuzzImport and the cases below.
func FuzzImport(f *testing.F) {
	f.Add([]byte(sampleCSV))
	f.Add([]byte("nik,kk,name,sex,birth_date\n1401011803800007,1401012001150003,Anwar,L,1980-03-18\n"))
	f.Add([]byte("nik,kk,name,sex,birth_date\n1401011803800007,1401012001150003,\"Anwar\nbin Ali\",L,1980-03-18\n"))
	f.Add([]byte("nik,kk,name,sex,birth_date\n1401011803800007,\"1401012001150003,Anwar,L,1980-03-18\nx,y\n"))
	f.Add([]byte("\ufeffNIK;No. KK;Nama Penduduk;Kelamin;Tanggal Lahir;Status\r\n1401015803800007;1401012001150003;Ani;PEREMPUAN;18-03-1980;HIDUP\r\n;;;;;\r\n"))
	f.Add([]byte("\ufeffNIK,KK,Name,Sex,Birth_Date,mother_name\r\n1401015803800007,1401012001150003,Ani,p,1980-03-18,\"Siti \"\"Ibu\"\"\"\r\n"))
	const today = "2026-11-30"
	f.Fuzz(func(t *testing.T, data []byte) {
		accepted := 0
		niks := map[string]bool{}
		res, err := scanImport(bytes.NewReader(data), today, func(line int, p *Resident) error {
			accepted++
			if line < 2 {
				t.Errorf("row accepted on line %d, the header's", line)
			}
			if niks[p.NIK] {
				t.Errorf("NIK %s accepted twice", p.NIK)
			}
			niks[p.NIK] = true
			q := *p
			if err := q.validate(today); err != nil {
				t.Errorf("accepted row on line %d is invalid: %v", line, err)
			}
			return nil
		})
		if err != nil {
			var he *sdk.Error
			if !errors.As(err, &he) || he.Code != codeInvalidCSV || (he.Status != 422 && he.Status != 400) {
				t.Fatalf("refusal is not invalid_csv: %#v", err)
			}
			return
		}
		if res.Read != accepted+res.Rejected {
			t.Fatalf("read %d rows: %d accepted + %d rejected", res.Read, accepted, res.Rejected)
		}
		if len(res.Rejections) != min(res.Rejected, maxRejections) {
			t.Fatalf("%d rejected, %d listed", res.Rejected, len(res.Rejections))
		}
		for _, rj := range res.Rejections {
			if rj.Line < 2 || rj.Reason == "" {
				t.Fatalf("rejection without a line or a reason: %+v", rj)
			}
		}
		// Every record of the file after the header was read: none is
		// lost between the parser and the count.
		cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, utf8BOM)))
		cr.Comma = sniffComma(firstLine(bytes.TrimPrefix(data, utf8BOM)))
		cr.FieldsPerRecord = -1
		records := -1 // the header
		for {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("accepted a file the CSV reader refuses: %v", err)
			}
			if blank(rec) {
				continue // a row of separators only is not a row of data
			}
			records++
		}
		if records != res.Read {
			t.Fatalf("the file has %d rows, the import read %d", records, res.Read)
		}
	})
}

// firstLine is the header line the import sniffs the separator from.
func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	return b
}
