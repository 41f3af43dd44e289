// Command gen writes kecamatan.txt, the six-digit codes of every
// sub-district (kecamatan), which the first six digits of a NIK or KK must
// name. Run with go generate from plugins/population.
package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: gen wilayah.csv kecamatan.txt")
		os.Exit(2)
	}
	in, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer in.Close()
	r := csv.NewReader(in)
	var codes []string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if strings.Count(rec[0], ".") == 2 {
			codes = append(codes, strings.ReplaceAll(rec[0], ".", ""))
		}
	}
	sort.Strings(codes)
	header := "# Sub-district (kecamatan) codes, from wilayah.csv per Kepmendagri No 300.2.2-2138 Tahun 2025.\n" +
		"# Converted from cahyadsn/wilayah, MIT License, Copyright (c) 2017-2025 Cahya DSN.\n"
	if err := os.WriteFile(os.Args[2], []byte(header+strings.Join(codes, "\n")+"\n"), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%d sub-district codes\n", len(codes))
}
