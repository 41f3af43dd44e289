package main

import (
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk/sdktest"
)

// The realisation report in the shape of the regulation's Laporan
// Realisasi Pelaksanaan APB Desa: subtotals by kelompok and jenis of
// income, bidang and sub-bidang of spending, kelompok and jenis of
// financing, then the surplus or deficit, net financing and the SiLPA of
// the year.
func TestReportShape(t *testing.T) {
	lines := []ReportLine{
		{Section: sectionIncome, Code: "4.2.1.01", Budget: 800, Realised: 400},
		{Section: sectionIncome, Code: "4.1.1", Budget: 50, Realised: 60},
		{Section: sectionIncome, Code: "4.2.3", Budget: 400, Realised: 200},
		{Section: sectionSpending, Code: "2.3.01", Account: "5.3", Budget: 600, Realised: 350},
		{Section: sectionSpending, Code: "2.3.10", Account: "5.3.5.02", Budget: 100, Realised: 0},
		{Section: sectionSpending, Code: "1.1.01", Account: "5.1.1", Budget: 300, Realised: 150},
		{Section: sectionFinancing, Code: "6.1.1", Budget: 20, Realised: 20},
		{Section: sectionFinancing, Code: "6.2.2.01", Budget: 270, Realised: 0},
	}
	groups := reportGroups(lines)
	want := []struct {
		code     string
		level    int
		name     string
		budget   int64
		realised int64
	}{
		{"4.1", 1, "Pendapatan Asli Desa", 50, 60}, {"4.1.1", 2, "Hasil Usaha", 50, 60},
		{"4.2", 1, "Transfer", 1200, 600}, {"4.2.1", 2, "Dana Desa", 800, 400}, {"4.2.3", 2, "Alokasi Dana Desa", 400, 200},
		{"1", 1, "Penyelenggaraan Pemerintahan Desa", 300, 150},
		{"1.1", 2, "Penyelenggaraan Belanja Penghasilan Tetap, Tunjangan dan Operasional Pemerintahan Desa", 300, 150},
		{"2", 1, "Pelaksanaan Pembangunan Desa", 700, 350}, {"2.3", 2, "Pekerjaan Umum dan Penataan Ruang", 700, 350},
		{"6.1", 1, "Penerimaan Pembiayaan", 20, 20}, {"6.1.1", 2, "SiLPA Tahun Sebelumnya", 20, 20},
		{"6.2", 1, "Pengeluaran Pembiayaan", 270, 0}, {"6.2.2", 2, "Penyertaan Modal Desa", 270, 0},
	}
	if len(groups) != len(want) {
		t.Fatalf("%d groups: %+v", len(groups), groups)
	}
	for i, w := range want {
		g := groups[i]
		if g.Code != w.code || g.Level != w.level || g.Name != w.name || g.Budget != w.budget || g.Realised != w.realised || g.Remaining != w.budget-w.realised {
			t.Errorf("group %d: %+v, want %+v", i, g, w)
		}
	}
	if groups[0].Percent != 120 {
		t.Errorf("percent: %v", groups[0].Percent)
	}
	s := reportSums(Totals{Income: 1250, Spending: 1000, FinancingReceipts: 20, FinancingExpenditures: 270})
	if s.Surplus != 250 || s.NetFinancing != -250 || s.SiLPA != 0 {
		t.Errorf("sums: %+v", s)
	}
}

// The semester report is of the version in force on 30 June: a
// Perubahan whose Perdes is dated later changes the year-end report, not
// the first semester's (the report the village head sent in July).
func TestSemesterReportVersion(t *testing.T) {
	clock := sdktest.NewClock(time.Date(2026, 9, 1, 3, 0, 0, 0, time.UTC))
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		h.Tenant(villageA)
		h.Enable("14.01")
		op := h.User("op-a", "operator", villageA)
		head := h.User("kades-a", "admin", villageA)
		if res := op.Put(villageA, "/budgets/2026", map[string]any{"lines": balanced()}); res.Status != 200 {
			t.Fatalf("draft: %d %s", res.Status, res.Body)
		}
		if res := head.Post(villageA, "/budgets/2026/approve", map[string]string{"perdes_number": "Perdes 1/2026", "perdes_date": "2026-01-05"}); res.Status != 200 {
			t.Fatalf("approve: %d %s", res.Status, res.Body)
		}
		if res := op.Post(villageA, "/budgets/2026/realisations", map[string]any{"section": "spending", "code": "2.3.01", "account": "5.3", "date": "2026-03-01", "amount": 100_000_000, "description": "Termin I"}); res.Status != 201 {
			t.Fatalf("entry: %d %s", res.Status, res.Body)
		}
		changed := balanced()
		changed[0].Amount += 50_000_000 // more Dana Desa
		changed[4].Amount += 50_000_000 // a longer road
		if res := op.Put(villageA, "/budgets/2026", map[string]any{"kind": "perubahan", "lines": changed}); res.Status != 200 {
			t.Fatalf("perubahan: %d %s", res.Status, res.Body)
		}
		if res := head.Post(villageA, "/budgets/2026/approve", map[string]string{"perdes_number": "Perdes 5/2026", "perdes_date": "2026-08-10"}); res.Status != 200 {
			t.Fatalf("approve perubahan: %d %s", res.Status, res.Body)
		}
		var s1, year Report
		op.Get(villageA, "/budgets/2026/report?period=s1").JSON(&s1)
		op.Get(villageA, "/budgets/2026/report?period=year").JSON(&year)
		if s1.Kind != kindAPBDes || s1.PerdesNumber != "Perdes 1/2026" || s1.Budget.Spending != 1_100_000_000 || s1.Realised.Spending != 100_000_000 {
			t.Errorf("semester I: %s %s %+v %+v", s1.Kind, s1.PerdesNumber, s1.Budget, s1.Realised)
		}
		if year.Kind != kindPerubahan || year.Budget.Spending != 1_150_000_000 || year.Budget.SiLPA != 0 || len(year.Groups) == 0 {
			t.Errorf("year: %s %+v", year.Kind, year.Budget)
		}
	}, sdktest.WithClock(clock.Now))
}
