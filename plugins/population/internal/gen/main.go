// Command gen writes kecamatan.txt: the six-digit code of every
// sub-district (kecamatan) that has existed, which the first six digits of
// a NIK or KK must name. Digits 1-6 of a NIK are the sub-district where it
// was first issued, and a NIK holds for life (UU 23/2006 art. 13, as
// amended by UU 24/2013): a NIK issued in Merauke before Papua Selatan was
// formed (UU 14/2022) still starts 91.01 though Merauke is 93.01 today.
//
// Two modes, both reproducible from files in this repository:
//
//	go run ./internal/gen WILAYAH.csv internal/gen/historical.txt kecamatan.txt
//
// (what go generate runs, from plugins/population) writes today's codes from
// ../shared/data/wilayah.csv (Kepmendagri No 300.2.2-2138 Tahun 2025) and
// the codes of historical.txt, each with the code it has today when known.
//
//	go run ./internal/gen extract internal/gen/historical.txt WILAYAH.csv LABEL=FILE.sql...
//
// rebuilds historical.txt from older official lists: the codes of each
// list that today's list lacks, with the lists they appear in and, when a
// sub-district of the same name lies in a regency of the same name today,
// its code today. The lists used, from github.com/cahyadsn/wilayah (MIT
// License, Copyright (c) 2017-2025 Cahya DSN), commit b7ad440a (2026-08-08):
//
//	2015=db/archive/wilayah_2016.sql   Permendagri No 56 Tahun 2015
//	2017=db/archive/wilayah_2018.sql   Permendagri No 137 Tahun 2017
//	2019=db/archive/wilayah_2020.sql   Permendagri No 72 Tahun 2019 (rev. Kepmendagri 146.1-4717 Tahun 2020)
//	2021=db/archive/wilayah_2022.sql   Permendagri No 58 Tahun 2021 (rev. Kepmendagri 050-145 Tahun 2022)
//	2022=db/archive/wilayah_2023.sql   Kepmendagri No 100.1.1-6117 Tahun 2022
//	2025=db/wilayah.sql                Kepmendagri No 300.2.2-2138/2430 Tahun 2025
//
// Lists before Permendagri 56/2015 are not included: a NIK issued under a
// code retired before 2015 (Kalimantan Timur's 64.04, 64.05, 64.06, 64.10
// and 64.73, which became Kalimantan Utara's in 2013) is still refused.
package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
)

func main() {
	var err error
	switch {
	case len(os.Args) >= 4 && os.Args[1] == "extract":
		err = extract(os.Args[2], os.Args[3], os.Args[4:])
	case len(os.Args) == 4:
		err = generate(os.Args[1], os.Args[2], os.Args[3])
	default:
		fmt.Fprintln(os.Stderr, "usage: gen WILAYAH.csv historical.txt kecamatan.txt\n       gen extract historical.txt WILAYAH.csv LABEL=FILE.sql...")
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// region is a code's name and its regency's name, as one list gives them.
type region struct{ name, regency string }

// readCSV reads wilayah.csv (kode,nama): sub-districts by code, and the
// regency names they need.
func readCSV(path string) (map[string]region, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	names := map[string]string{}
	r := csv.NewReader(f)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
		if n := strings.Count(rec[0], "."); n == 1 || n == 2 {
			names[rec[0]] = rec[1]
		}
	}
	return subdistricts(names), nil
}

// sqlRow is one ('kode','nama') pair of a Kemendagri list dumped as SQL,
// quoted with ' or ", a quote inside a name escaped or doubled.
var sqlRow = regexp.MustCompile(`\(\s*['"]([0-9]{2}\.[0-9]{2}(?:\.[0-9]{2})?)['"]\s*,\s*(?:'((?:[^'\\]|\\.|'')*)'|"((?:[^"\\]|\\.)*)")`)

func readSQL(path string) (map[string]region, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, m := range sqlRow.FindAllStringSubmatch(string(b), -1) {
		n := m[2] + m[3]
		n = strings.NewReplacer(`\'`, "'", "''", "'", `\"`, `"`).Replace(n)
		names[m[1]] = n
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s holds no region codes", path)
	}
	return subdistricts(names), nil
}

func subdistricts(names map[string]string) map[string]region {
	out := map[string]region{}
	for code, n := range names {
		if strings.Count(code, ".") == 2 {
			out[code] = region{name: n, regency: names[code[:5]]}
		}
	}
	return out
}

// fold makes two lists' spellings of a name comparable: "KAB. MERAUKE"
// and "Kabupaten Merauke" are one regency.
func fold(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.Replace(s, "kabupaten ", "kab. ", 1)
	s = strings.Replace(s, "kab ", "kab. ", 1)
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "-", " ")), " ")
}

// extract writes historical.txt: one line per code absent from today's
// list, "PPRRKK<TAB>TODAY<TAB>LISTS<TAB>NAME (REGENCY)", TODAY being "-"
// when no sub-district of that name lies in a regency of that name today.
func extract(out, current string, lists []string) error {
	today, err := readCSV(current)
	if err != nil {
		return err
	}
	byName := map[region][]string{}
	for code, r := range today {
		k := region{fold(r.name), fold(r.regency)}
		byName[k] = append(byName[k], code)
	}
	type old struct {
		region
		lists []string
	}
	past := map[string]*old{}
	var sources []string
	for _, arg := range lists {
		label, path, ok := strings.Cut(arg, "=")
		if !ok {
			return fmt.Errorf("%q is not LABEL=FILE.sql", arg)
		}
		regions, err := readSQL(path)
		if err != nil {
			return err
		}
		sources = append(sources, fmt.Sprintf("%s=%s (%d sub-districts)", label, path[strings.LastIndex(path, "/")+1:], len(regions)))
		for code, r := range regions {
			if _, now := today[code]; now {
				continue
			}
			if past[code] == nil {
				past[code] = &old{region: r}
			}
			past[code].region = r // the latest list's spelling
			past[code].lists = append(past[code].lists, label)
		}
	}
	codes := make([]string, 0, len(past))
	for c := range past {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var b strings.Builder
	b.WriteString("# Sub-district codes of older official lists that today's list lacks: code, its code today\n")
	b.WriteString("# (\"-\" when none is known), the lists holding it, its name (regency). Written by\n")
	b.WriteString("# `go run ./internal/gen extract` (see main.go) from github.com/cahyadsn/wilayah, MIT License,\n")
	b.WriteString("# Copyright (c) 2017-2025 Cahya DSN; lists: " + strings.Join(sources, ", ") + ".\n")
	for _, c := range codes {
		o := past[c]
		succ := "-"
		if cands := byName[region{fold(o.name), fold(o.regency)}]; len(cands) == 1 {
			succ = strings.ReplaceAll(cands[0], ".", "")
		}
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s (%s)\n", strings.ReplaceAll(c, ".", ""), succ, strings.Join(o.lists, ","), o.name, o.regency)
	}
	if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
		return err
	}
	fmt.Printf("%d historical sub-district codes\n", len(codes))
	return nil
}

// generate writes kecamatan.txt: today's codes, one a line ("110101"),
// then the historical ones with their code today ("910101 930101", or
// "910101 -").
func generate(current, historical, out string) error {
	today, err := readCSV(current)
	if err != nil {
		return err
	}
	codes := make([]string, 0, len(today))
	for c := range today {
		codes = append(codes, strings.ReplaceAll(c, ".", ""))
	}
	sort.Strings(codes)
	f, err := os.Open(historical)
	if err != nil {
		return err
	}
	defer f.Close()
	var past []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) < 2 || len(fields[0]) != 6 {
			return fmt.Errorf("%s: malformed line %q", historical, line)
		}
		past = append(past, fields[0]+" "+fields[1])
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading %s: %w", historical, err)
	}
	header := "# Sub-district (kecamatan) codes a NIK or KK may start with. Written by internal/gen (go generate).\n" +
		"# Today's: wilayah.csv per Kepmendagri No 300.2.2-2138 Tahun 2025, converted from cahyadsn/wilayah.\n" +
		"# Then codes of older lists (Permendagri 56/2015, 137/2017, 72/2019, 58/2021; Kepmendagri\n" +
		"# 100.1.1-6117/2022), each with its code today or \"-\": internal/gen/historical.txt.\n" +
		"# Data: cahyadsn/wilayah, MIT License, Copyright (c) 2017-2025 Cahya DSN.\n"
	body := strings.Join(codes, "\n") + "\n" + strings.Join(past, "\n") + "\n"
	if err := os.WriteFile(out, []byte(header+body), 0o644); err != nil {
		return err
	}
	fmt.Printf("%d sub-district codes today, %d historical\n", len(codes), len(past))
	return nil
}
