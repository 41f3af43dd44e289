// Package regions carries the official region list and the population per
// regency in the binary, so that a fresh deployment can import its district
// (and generate a demo one) without hunting for the files.
//
// Both lists are per Kepmendagri No 300.2.2-2138 Tahun 2025, converted from
// the public repository cahyadsn/wilayah (MIT License, Copyright (c)
// 2017-2025 Cahya DSN); see LICENSE in this directory.
package regions

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

//go:embed wilayah.csv.gz
var wilayahGz []byte

//go:embed wilayah_penduduk.csv.gz
var pendudukGz []byte

// Name is how imports and the audit trail name the embedded list.
const Name = "embedded wilayah.csv (Kepmendagri 300.2.2-2138/2025)"

// Open returns the embedded kode,nama CSV of every region (91,599 rows).
func Open() (io.ReadCloser, error) {
	return gzip.NewReader(bytes.NewReader(wilayahGz))
}

// Population is the census of one region: men, women and the total.
type Population struct {
	Code, Name        string
	Men, Women, Total int
}

// PopulationOf returns the population of a province or regency (14.01).
func PopulationOf(code string) (Population, error) {
	zr, err := gzip.NewReader(bytes.NewReader(pendudukGz))
	if err != nil {
		return Population{}, err
	}
	r := csv.NewReader(zr)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return Population{}, fmt.Errorf("no population figure for region %s (the list has provinces and regencies)", code)
		}
		if err != nil {
			return Population{}, fmt.Errorf("reading the population list: %w", err)
		}
		if len(rec) < 5 || rec[0] != code {
			continue
		}
		p := Population{Code: rec[0], Name: rec[1]}
		for i, dst := range []*int{&p.Men, &p.Women, &p.Total} {
			if *dst, err = strconv.Atoi(rec[2+i]); err != nil {
				return Population{}, fmt.Errorf("population of %s: %w", code, err)
			}
		}
		return p, nil
	}
}
