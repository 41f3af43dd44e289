package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/sdk/sdktest"
	"github.com/xuri/excelize/v2"
)

// The benchmark's regency: Kampar-sized, 250 villages in 21 districts,
// each with an approved APBDes of benchLines lines (10 income, the rest
// spending across the sub-bidang, 2 financing) and benchEntries
// realisation entries.
const (
	benchDistricts = 21
	benchVillages  = 250
	benchEntries   = 12
)

// benchBudget is a balanced budget of 80 lines for village i.
func benchBudget(i int) []Line {
	var lines []Line
	for _, c := range []string{"4.1.1", "4.1.2", "4.1.3", "4.1.4", "4.2.2", "4.2.3", "4.2.4", "4.2.5", "4.3.5"} {
		lines = append(lines, Line{Section: sectionIncome, Code: c, Name: incomeKinds[c], Amount: 20_000_000 + int64(i)*1000})
	}
	lines = append(lines, Line{Section: sectionIncome, Code: "4.2.1", Name: "Dana Desa", Amount: 900_000_000})
	subs := make([]string, 0, len(subBidangs))
	for s := range subBidangs {
		subs = append(subs, s)
	}
	sort.Strings(subs)
	var spending int64
	for k := 0; len(lines) < 78; k++ {
		sub := subs[k%len(subs)]
		src := "DDS"
		if k%3 == 0 {
			src = "ADD"
		}
		amt := int64(15_000_000 + k*100_000)
		spending += amt
		lines = append(lines, Line{Section: sectionSpending, Code: fmt.Sprintf("%s.%02d", sub, k/len(subs)+1), Account: "5.2", Name: "Kegiatan " + sub, Amount: amt, Source: src})
	}
	var income int64
	for _, l := range lines {
		if l.Section == sectionIncome {
			income += l.Amount
		}
	}
	capital := int64(50_000_000)
	lines = append(lines, Line{Section: sectionFinancing, Code: "6.2.2", Name: "Penyertaan modal BUMDes", Amount: capital},
		Line{Section: sectionFinancing, Code: "6.1.1", Name: "SiLPA", Amount: spending + capital - income})
	return lines
}

func benchHost(b *testing.B, db string) (*sdktest.Host, []string) {
	var opts []sdktest.Option
	if db == "postgres" {
		base := os.Getenv(storetest.EnvURL)
		if base == "" {
			b.Skipf("set %s for the PostgreSQL run", storetest.EnvURL)
		}
		opts = append(opts, sdktest.WithDatabase(storetest.NewSchema(b, base)))
	}
	h := sdktest.New(b, &plugin, opts...)
	var villages []string
	for d := 1; len(villages) < benchVillages; d = d%benchDistricts + 1 {
		v := fmt.Sprintf("14.01.%02d.%04d", d, 2001+len(villages)/benchDistricts)
		h.Tenant(v)
		villages = append(villages, v)
	}
	h.Enable("14.01")
	admin := h.Admin()
	start := time.Now()
	for i, v := range villages {
		if res := admin.Put(v, "/budgets/2026", map[string]any{"lines": benchBudget(i)}); res.Status != 200 {
			b.Fatalf("seed %s: %d %s", v, res.Status, res.Body)
		}
		if res := admin.Post(v, "/budgets/2026/approve", map[string]string{"perdes_number": "Perdes No. 1 Tahun 2026", "perdes_date": "2026-01-05"}); res.Status != 200 {
			b.Fatalf("approve %s: %d %s", v, res.Status, res.Body)
		}
		for e := range benchEntries {
			l := benchBudget(i)[10+e]
			if res := admin.Post(v, "/budgets/2026/realisations", map[string]any{"section": l.Section, "code": l.Code, "account": l.Account,
				"date": fmt.Sprintf("2026-%02d-10", e%11+1), "amount": l.Amount / 2, "description": "Pembayaran " + l.Name}); res.Status != 201 {
				b.Fatalf("entry %s: %d %s", v, res.Status, res.Body)
			}
		}
	}
	b.Logf("%s: seeded %d villages (%d lines, %d entries each) in %s", db, len(villages), len(benchBudget(0)), benchEntries, time.Since(start).Round(time.Millisecond))
	return h, villages
}

// BenchmarkFinance measures the regency's roll-up, a district's, a
// village's public budget, the list of entries and recording an entry, on
// SQLite and (with BALAI_TEST_DATABASE_URL) PostgreSQL.
func BenchmarkFinance(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		b.Run(db, func(b *testing.B) {
			h, villages := benchHost(b, db)
			anon, admin := h.Anonymous(), h.Admin()
			get := func(c *sdktest.Client, tenant, path string) func(b *testing.B) {
				return func(b *testing.B) {
					for b.Loop() {
						if res := c.Get(tenant, path); res.Status != 200 {
							b.Fatalf("%s: %d %.300s", path, res.Status, res.Body)
						}
					}
				}
			}
			b.Run("summary-regency", get(anon, "14.01", "/summary?year=2026&limit=500"))
			b.Run("summary-district", get(anon, "14.01.07", "/summary?year=2026"))
			b.Run("performance-regency", get(admin, "14.01", "/performance?year=2026&limit=500"))
			b.Run("performance-regency-quarter", get(admin, "14.01", "/performance?year=2026&quarter=2&limit=500"))
			b.Run("budget-public", get(anon, villages[100], "/budgets/2026"))
			b.Run("realisations-list", get(admin, villages[100], "/budgets/2026/realisations?limit=50"))
			b.Run("realisation-record", func(b *testing.B) {
				for b.Loop() {
					if res := admin.Post(villages[101], "/budgets/2026/realisations", map[string]any{"section": "income", "code": "4.1.1",
						"date": "2026-06-01", "amount": 1000, "description": "Retribusi pasar desa"}); res.Status != 201 {
						b.Fatalf("%d %s", res.Status, res.Body)
					}
				}
			})
		})
	}
}

// benchTaRABRinci is a large village's Ta_RABRinci: the testdata's
// header and 1,500 spending items (300 accounts of 5 items each, in 60
// kegiatan across the sub-bidang), as CSV and as a workbook.
func benchTaRABRinci(b *testing.B) (csvData, xlsxData []byte) {
	data, err := os.ReadFile("testdata/Ta_RABRinci.csv")
	if err != nil {
		b.Fatal(err)
	}
	tbl, _ := readTable(data)
	rows := [][]string{tbl.rows[0]}
	subs := make([]string, 0, len(subBidangs))
	for s := range subBidangs {
		subs = append(subs, s)
	}
	slices.Sort(subs)
	kinds := []string{"5.2.1.01.", "5.2.2.01.", "5.2.3.01.", "5.3.4.02.", "5.3.4.03."}
	for i := 0; i < 60; i++ {
		bid, sub, _ := strings.Cut(subs[i%len(subs)], ".")
		nb, _ := strconv.Atoi(bid)
		ns, _ := strconv.Atoi(sub)
		keg := fmt.Sprintf("01.2009.%02d.%02d.%02d.", nb, ns, i/len(subs)+1)
		for _, k := range kinds {
			for item := 1; item <= 5; item++ {
				rows = append(rows, []string{"2026", "01.2009.", keg, k, "01", fmt.Sprintf("%03d", item), "DDS", "Item " + strconv.Itoa(item),
					"Paket", "3", "333333.33", "999999.99", "3", "333333.33", "999999.99", "0", ""})
			}
		}
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.WriteAll(rows)
	wb := excelize.NewFile()
	defer wb.Close()
	for i, row := range rows {
		ref, _ := excelize.CoordinatesToCellName(1, i+1)
		cells := make([]any, len(row))
		for j, v := range row {
			cells[j] = v
			if f, err := strconv.ParseFloat(v, 64); err == nil && i > 0 && j >= 9 && j <= 15 {
				cells[j] = f
			}
		}
		wb.SetSheetRow("Sheet1", ref, &cells)
	}
	var xb bytes.Buffer
	wb.Write(&xb)
	return buf.Bytes(), xb.Bytes()
}

// BenchmarkImportTaRABRinci reads a 1,500-item Ta_RABRinci export into
// budget lines (readTable and parseImport: what POST /import does before
// it saves the draft), from CSV and from a workbook.
func BenchmarkImportTaRABRinci(b *testing.B) {
	csvData, xlsxData := benchTaRABRinci(b)
	for name, data := range map[string][]byte{"csv": csvData, "xlsx": xlsxData} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				tbl, err := readTable(data)
				if err != nil {
					b.Fatal(err)
				}
				lines, _, rejected, err := parseImport(tbl, importOptions{Year: 2026})
				if err != nil || len(rejected) != 0 || len(lines) != 300 {
					b.Fatalf("%d lines, %v, %v", len(lines), rejected, err)
				}
			}
		})
	}
}
