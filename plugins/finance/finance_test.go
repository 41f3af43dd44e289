package main

import (
	"bytes"
	"errors"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

const (
	villageA = "14.01.01.2009"
	villageB = "14.01.02.2001"
	villageC = "14.05.01.2001" // another regency
)

// jsonOK decodes res into v and answers true, for use in a condition.
func jsonOK(res *sdktest.Response, v any) bool { res.JSON(v); return true }

func TestManifest(t *testing.T) {
	if err := plugin.Validate(); err != nil {
		t.Fatal(err)
	}
}

// balanced is a budget that adds up: income 1.25 billion plus SiLPA 20
// million equals spending 1.1 billion plus 170 million of capital for
// the BUMDes.
func balanced() []Line {
	return []Line{
		{Section: sectionIncome, Code: "4.2.1", Name: "Dana Desa", Amount: 800_000_000},
		{Section: sectionIncome, Code: "4.2.3", Name: "Alokasi Dana Desa", Amount: 400_000_000},
		{Section: sectionIncome, Code: "4.1.1", Name: "Hasil Usaha Desa", Amount: 50_000_000},
		{Section: sectionSpending, Code: "1.1.01", Account: "5.1.1", Name: "Penghasilan tetap kepala desa dan perangkat", Amount: 300_000_000, Source: "ADD"},
		{Section: sectionSpending, Code: "2.3.01", Account: "5.3", Name: "Pembangunan jalan desa", Amount: 600_000_000, Source: "DDS"},
		{Section: sectionSpending, Code: "4.2.01", Name: "Pelatihan petani", Amount: 150_000_000, Source: "DDS"},
		{Section: sectionSpending, Code: "5.1.01", Name: "Penanggulangan bencana", Amount: 50_000_000, Source: "dds"},
		{Section: sectionFinancing, Code: "6.1.1", Name: "SiLPA tahun sebelumnya", Amount: 20_000_000},
		{Section: sectionFinancing, Code: "6.2.2", Name: "Penyertaan modal BUMDes", Amount: 170_000_000},
	}
}

func TestCheckLines(t *testing.T) {
	tests := []struct {
		name  string
		edit  func([]Line) []Line
		code  sdk.Code
		field string
	}{
		{"balanced", func(l []Line) []Line { return l }, "", ""},
		{"none", func([]Line) []Line { return nil }, codeNoLines, ""},
		{"bad section", func(l []Line) []Line { l[0].Section = "pendapatan"; return l }, codeInvalidSection, "lines[0].section"},
		{"income code outside the regulation", func(l []Line) []Line { l[0].Code = "4.2.6"; return l }, codeInvalidCode, "lines[0].code"},
		{"income 4.3.9 is other income", func(l []Line) []Line { l[2].Code = "4.3.9"; return l }, "", ""},
		{"bidang 6", func(l []Line) []Line { l[3].Code = "6.1.01"; return l }, codeInvalidCode, "lines[3].code"},
		{"sub-bidang 1.6 does not exist", func(l []Line) []Line { l[3].Code = "1.6.01"; return l }, codeInvalidCode, "lines[3].code"},
		{"sub-bidang 2.8 pariwisata", func(l []Line) []Line { l[4].Code = "2.8.01"; return l }, "", ""},
		{"spending account 5.5", func(l []Line) []Line { l[4].Account = "5.5"; return l }, codeInvalidAccount, "lines[4].account"},
		{"account on income", func(l []Line) []Line { l[0].Account = "5.1"; return l }, codeInvalidAccount, "lines[0].account"},
		{"spending without a source", func(l []Line) []Line { l[4].Source = ""; return l }, codeInvalidSource, "lines[4].source"},
		{"source on income", func(l []Line) []Line { l[0].Source = "DDS"; return l }, codeInvalidSource, "lines[0].source"},
		{"financing 6.3", func(l []Line) []Line { l[7].Code = "6.3.1"; return l }, codeInvalidCode, "lines[7].code"},
		{"negative amount", func(l []Line) []Line { l[1].Amount = -1; return l }, codeInvalidAmount, "lines[1].amount"},
		{"no name", func(l []Line) []Line { l[1].Name = " "; return l }, codeInvalidLineName, "lines[1].name"},
		{"duplicate", func(l []Line) []Line { return append(l, l[4]) }, codeDuplicateLine, "lines[9].code"},
		{"same activity, other account", func(l []Line) []Line { x := l[4]; x.Account = "5.2"; return append(l, x) }, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := checkLines(tc.edit(balanced()))
			var e *sdk.Error
			switch {
			case tc.code == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.code != "" && (!errors.As(err, &e) || e.Code != tc.code || e.Field != tc.field):
				t.Fatalf("got %v, want %s on %s", err, tc.code, tc.field)
			}
		})
	}
	l := balanced()
	sums, _ := checkLines(l)
	if sums != (Totals{1_250_000_000, 1_100_000_000, 20_000_000, 170_000_000}) || l[6].Source != "DDS" {
		t.Errorf("sums %+v, source %q", sums, l[6].Source)
	}
}

func TestCheckBalance(t *testing.T) {
	tests := []struct {
		t    Totals
		code sdk.Code
		gap  string
	}{
		{Totals{100, 100, 0, 0}, "", ""},
		{Totals{100, 120, 20, 0}, "", ""},                         // a deficit covered by SiLPA
		{Totals{100, 120, 10, 0}, codeDeficitNotCovered, "by 10"}, // not covered
		{Totals{100, 80, 0, 20}, "", ""},                          // a surplus into capital
		{Totals{100, 80, 0, 0}, codeSurplusNotAllocated, "by 20"},
		{Totals{100, 100, 5, 6}, codeDeficitNotCovered, "by 1"},
	}
	for _, tc := range tests {
		err := checkBalance(tc.t)
		var e *sdk.Error
		if tc.code == "" {
			if err != nil {
				t.Errorf("%+v refused: %v", tc.t, err)
			}
			continue
		}
		if !errors.As(err, &e) || e.Code != tc.code || !strings.Contains(e.Message, tc.gap) {
			t.Errorf("%+v: %v, want %s naming %q", tc.t, err, tc.code, tc.gap)
		}
	}
}

func TestParseImport(t *testing.T) {
	csvText := "Laporan APBDes Desa Contoh\n" +
		"Kd_Keg;Kd_Rincian;Uraian;Anggaran;SumberDana\n" +
		";4.;PENDAPATAN;1.250.000.000;\n" +
		";4.2.1.01.;Dana Desa;800.000.000;\n" +
		";4.2.3.01.;Alokasi Dana Desa;400000000,00;\n" +
		"01.01.01.;5.1.1.01.;Siltap kepala desa;100.000.000;ADD\n" +
		"01.01.01.;5.1.1.01.;Siltap perangkat;200.000.000;ADD\n" +
		"1401.2009.02.03.01.;5.3.1.01.;Jalan desa;600.000.000;DDS\n" +
		"02.03.01.;5.3.1.02.;Jembatan;abc;DDS\n" +
		"09.01.01.;5.2.1.01.;Bidang salah;1000;DDS\n" +
		"02.03.01.;5.2.1.01.;Tanpa sumber;1000;\n" +
		";6.1.1.01.;SiLPA;20.000.000;\n"
	tbl, err := readTable([]byte(csvText))
	if err != nil {
		t.Fatal(err)
	}
	lines, skipped, rejected, err := parseImport(tbl, importOptions{Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 5 || skipped != 1 || len(rejected) != 3 {
		t.Fatalf("lines %+v skipped %d rejected %+v", lines, skipped, rejected)
	}
	if lines[2].Code != "1.1.01" || lines[2].Account != "5.1.1.01" || lines[2].Amount != 300_000_000 {
		t.Errorf("rows of one account are added up: %+v", lines[2])
	}
	if lines[3].Code != "2.3.01" || lines[1].Amount != 400_000_000 {
		t.Errorf("village prefix and decimals: %+v %+v", lines[3], lines[1])
	}
	want := []RowError{{9, "invalid_amount", ""}, {10, "invalid_code", ""}, {11, "invalid_source", ""}}
	for i, w := range want {
		if rejected[i].Row != w.Row || rejected[i].Code != w.Code {
			t.Errorf("rejected[%d] = %+v, want row %d %s", i, rejected[i], w.Row, w.Code)
		}
	}
	if _, err := readTable([]byte("a,b\n1,2\n")); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := parseImport(table{rows: [][]string{{"a", "b"}}}, importOptions{Year: 2026}); err == nil {
		t.Error("a file without the columns was read")
	}
	// The Perubahan's amounts, and a name written after the code.
	rows := table{rows: [][]string{{"Kd_Keg", "Kd_Rincian", "Nama", "Anggaran", "AnggaranStlhPAK", "SumberDana"},
		{"", "4.2.1.01. Dana Desa", "", "800000000", "850000000", ""}}}
	if lines, _, _, _ := parseImport(rows, importOptions{Year: 2026, Perubahan: true}); len(lines) != 1 || lines[0].Amount != 850_000_000 || lines[0].Name != "Dana Desa" || lines[0].Code != "4.2.1.01" {
		t.Errorf("perubahan import: %+v", lines)
	}
	if lines, _, _, _ := parseImport(rows, importOptions{Year: 2026}); len(lines) != 1 || lines[0].Amount != 800_000_000 {
		t.Errorf("apbdes import: %+v", lines)
	}
}

func TestFinanceInProcess(t *testing.T) {
	clock := sdktest.NewClock(time.Date(2026, 7, 15, 3, 0, 0, 0, time.UTC))
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) { testFinance(t, h) }, sdktest.WithClock(clock.Now))
}

func testFinance(t *testing.T, h *sdktest.Host) {
	h.Tenant(villageA)
	h.Tenant(villageB)
	h.Tenant(villageC)
	h.Enable("14.01")
	h.Enable("14.05")
	op := h.User("op-a", "operator", villageA)
	opB := h.User("op-b", "operator", villageB)
	head := h.User("kades-a", "admin", villageA)
	anon := h.Anonymous()

	if res := anon.Get(villageA, "/budgets/2026"); !res.Is(&sdk.Error{Status: 404, Code: codeBudgetNotFound}) {
		t.Fatalf("no budget: %d %s", res.Status, res.Body)
	}
	unbalanced := balanced()
	unbalanced[7].Amount = 0 // the SiLPA that covers the deficit
	if res := op.Put(villageA, "/budgets/2026", map[string]any{"lines": unbalanced}); res.Status != 200 {
		t.Fatalf("draft: %d %s", res.Status, res.Body)
	}
	// The public does not see a draft; the clerk does.
	if res := anon.Get(villageA, "/budgets/2026"); res.Status != 404 {
		t.Errorf("a draft is public: %d", res.Status)
	}
	var v BudgetView
	if res := op.Get(villageA, "/budgets/2026"); jsonOK(res, &v) && (v.Status != statusDraft || v.Totals.SiLPA != -20_000_000) {
		t.Errorf("draft view: %+v", v.Totals)
	}
	// Operators cannot approve; an unbalanced budget cannot be approved.
	approve := map[string]string{"perdes_number": "Perdes No. 1 Tahun 2026", "perdes_date": "2026-01-05"}
	if res := op.Post(villageA, "/budgets/2026/approve", approve); res.Status != 403 {
		t.Errorf("operator approves: %d", res.Status)
	}
	if res := head.Post(villageA, "/budgets/2026/approve", approve); res.ErrorCode() != codeDeficitNotCovered || !strings.Contains(string(res.Body), "20000000") {
		t.Errorf("unbalanced approve: %d %s", res.Status, res.Body)
	}
	// The neighbour's operator cannot touch it.
	if res := opB.Put(villageA, "/budgets/2026", map[string]any{"lines": balanced()}); res.Status != 403 {
		t.Errorf("neighbour: %d", res.Status)
	}
	// Declared totals must match.
	if res := op.Put(villageA, "/budgets/2026", map[string]any{"lines": balanced(), "totals": Totals{1_250_000_000, 1_100_000_000, 20_000_000, 171_000_000}}); res.ErrorCode() != codeTotalsMismatch {
		t.Errorf("totals mismatch: %d %s", res.Status, res.Body)
	}
	if res := op.Put(villageA, "/budgets/2026", map[string]any{"lines": balanced(), "totals": Totals{1_250_000_000, 1_100_000_000, 20_000_000, 170_000_000}}); res.Status != 200 {
		t.Fatalf("balanced draft: %d %s", res.Status, res.Body)
	}
	if res := op.Post(villageA, "/budgets/2026/realisations", map[string]any{"section": "spending", "code": "2.3.01", "account": "5.3", "date": "2026-03-01", "amount": 1, "description": "x"}); res.ErrorCode() != codeBudgetNotApproved {
		t.Errorf("realisation on a draft: %d %s", res.Status, res.Body)
	}
	if res := head.Post(villageA, "/budgets/2026/approve", approve); res.Status != 200 {
		t.Fatalf("approve: %d %s", res.Status, res.Body)
	}
	if res := op.Put(villageA, "/budgets/2026", map[string]any{"lines": balanced()}); res.ErrorCode() != codeBudgetLocked || res.Status != 409 {
		t.Errorf("edit after approval: %d %s", res.Status, res.Body)
	}
	if res := head.Post(villageA, "/budgets/2026/approve", approve); res.ErrorCode() != codeBudgetLocked {
		t.Errorf("approve twice: %d %s", res.Status, res.Body)
	}
	// Realisation: JSON, and multipart with evidence.
	res := op.Post(villageA, "/budgets/2026/realisations", map[string]any{"section": "spending", "code": "2.3.01", "account": "5.3", "date": "2026-03-01", "amount": 250_000_000, "description": "Termin I jalan desa"})
	var e EntryView
	if res.JSON(&e); res.Status != 201 || e.Line == nil || e.Line.Realised != 250_000_000 {
		t.Fatalf("realisation: %d %s", res.Status, res.Body)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range map[string]string{"section": "spending", "code": "2.3.01", "account": "5.3", "date": "2026-07-10", "amount": "100000000", "description": "Termin II"} {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("evidence", "kuitansi.pdf")
	fw.Write([]byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"))
	mw.Close()
	req, _ := http.NewRequest("POST", h.URL()+"/api/v1/t/"+villageA+"/finance/budgets/2026/realisations", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+op.Token)
	hres, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	hres.Body.Close()
	if hres.StatusCode != 201 {
		t.Fatalf("multipart realisation: %d", hres.StatusCode)
	}
	for _, tc := range []struct {
		body map[string]any
		code sdk.Code
	}{
		{map[string]any{"section": "spending", "code": "2.3.01", "account": "5.3", "date": "2026-07-11", "amount": 250_000_001, "description": "Termin III"}, codeExceedsBudget},
		{map[string]any{"section": "spending", "code": "2.3.02", "date": "2026-07-11", "amount": 1, "description": "x"}, codeUnknownLine},
		{map[string]any{"section": "spending", "code": "2.3.01", "account": "5.3", "date": "2025-12-31", "amount": 1, "description": "x"}, codeDateOutsideYear},
		{map[string]any{"section": "spending", "code": "2.3.01", "account": "5.3", "date": "2026-07-16", "amount": 1, "description": "x"}, codeDateInFuture},
		{map[string]any{"section": "spending", "code": "2.3.01", "account": "5.3", "date": "2026-07-01", "amount": 0, "description": "x"}, codeInvalidAmount},
		{map[string]any{"section": "spending", "code": "2.3.01", "account": "5.3", "date": "2026-07-01", "amount": 1, "description": ""}, codeInvalidDescription},
	} {
		if res := op.Post(villageA, "/budgets/2026/realisations", tc.body); res.ErrorCode() != tc.code || res.Status != 422 {
			t.Errorf("%v: %d %s, want %s", tc.body, res.Status, res.Body, tc.code)
		}
	}
	// Income may exceed its estimate.
	if res := op.Post(villageA, "/budgets/2026/realisations", map[string]any{"section": "income", "code": "4.2.1", "date": "2026-04-01", "amount": 400_000_000, "description": "Dana Desa tahap I"}); res.Status != 201 {
		t.Errorf("income: %d %s", res.Status, res.Body)
	}
	anon.Get(villageA, "/budgets/2026").JSON(&v)
	if v.Status != statusOK || v.Realised.Spending != 350_000_000 || v.DanaDesa.Spent != 350_000_000 || v.DanaDesa.AbsorptionPercent != 43.8 || v.DanaDesa.Received != 400_000_000 {
		t.Errorf("public view: realised %+v dana desa %+v", v.Realised, v.DanaDesa)
	}
	// The semester report counts the entries up to 30 June.
	var rep Report
	if res := op.Get(villageA, "/budgets/2026/report?period=s1"); jsonOK(res, &rep) && (rep.Realised.Spending != 250_000_000) {
		t.Errorf("semester report: %d %s", res.Status, res.Body)
	}
	if res := op.Get(villageA, "/budgets/2026/report?period=year&format=csv"); !strings.Contains(string(res.Body), "belanja,2.3.01,5.3,Pembangunan jalan desa,DDS,600000000,350000000,250000000,58.3") {
		t.Errorf("year CSV: %s", res.Body)
	}
	// The APBDes Perubahan: once, and not below what was realised.
	lower := balanced()
	lower[4].Amount = 300_000_000
	lower[3].Amount = 600_000_000
	if res := op.Put(villageA, "/budgets/2026", map[string]any{"kind": "perubahan", "lines": lower}); res.Status != 200 {
		t.Fatalf("perubahan draft: %d %s", res.Status, res.Body)
	}
	if res := head.Post(villageA, "/budgets/2026/approve", map[string]string{"perdes_number": "Perdes No. 5 Tahun 2026", "perdes_date": "2026-07-14"}); res.ErrorCode() != codeRealisedLineRemoved {
		t.Errorf("perubahan below realisation: %d %s", res.Status, res.Body)
	}
	lower[4].Amount, lower[3].Amount = 500_000_000, 400_000_000
	if res := op.Put(villageA, "/budgets/2026", map[string]any{"lines": lower}); res.Status != 200 {
		t.Fatalf("perubahan draft: %d %s", res.Status, res.Body)
	}
	if res := head.Post(villageA, "/budgets/2026/approve", map[string]string{"perdes_number": "Perdes No. 5 Tahun 2026", "perdes_date": "2026-07-14"}); res.Status != 200 {
		t.Fatalf("perubahan approve: %d %s", res.Status, res.Body)
	}
	if res := op.Put(villageA, "/budgets/2026", map[string]any{"kind": "perubahan", "lines": lower}); res.ErrorCode() != codeRevisionLimit {
		t.Errorf("second perubahan: %d %s", res.Status, res.Body)
	}
	// Village C (another regency) has a budget too; Kampar's roll-up does not count it.
	opC := h.User("op-c", "operator", villageC)
	opC.Put(villageC, "/budgets/2026", map[string]any{"lines": balanced()})
	h.User("kades-c", "admin", villageC).Post(villageC, "/budgets/2026/approve", approve)
	var s Summary
	if res := anon.Get("14.01", "/summary?year=2026"); jsonOK(res, &s) && (s.Villages != 2 || s.Approved != 1 || s.Income != 1_250_000_000 || s.DanaDesa.Spent != 350_000_000) {
		t.Errorf("Kampar summary: %d %s", res.Status, res.Body)
	}
	if s.Items[0].Village != villageA || s.Items[0].Status != kindPerubahan || s.Items[1].Status != "none" {
		t.Errorf("rows: %+v", s.Items)
	}
	h.Enable("14")
	if res := anon.Get("14", "/summary?year=2026"); jsonOK(res, &s) && (s.Villages != 3 || s.Approved != 2) {
		t.Errorf("province summary: %s", res.Body)
	}
	if res := anon.Get("14.01", "/summary?year=20x6"); res.ErrorCode() != codeInvalidYear {
		t.Errorf("bad year: %s", res.Body)
	}
	// Writes at a regency are refused.
	if res := h.Admin().Put("14.01", "/budgets/2026", map[string]any{"lines": balanced()}); res.ErrorCode() != codeNotAVillage {
		t.Errorf("regency write: %d %s", res.Status, res.Body)
	}

	// A wrong entry is reversed, not deleted.
	var wrong EntryView
	op.Post(villageA, "/budgets/2026/realisations", map[string]any{"section": "spending", "code": "1.1.01", "account": "5.1.1", "date": "2026-07-01", "amount": 5_000_000, "description": "Salah baris"}).JSON(&wrong)
	res = op.Post(villageA, "/budgets/2026/realisations/"+wrong.ID+"/reverse", map[string]string{"reason": "dicatat pada baris yang salah"})
	var rev EntryView
	if res.JSON(&rev); res.Status != 201 || rev.Amount != -5_000_000 || rev.Reverses != wrong.ID || rev.Line.Realised != 0 {
		t.Errorf("reverse: %d %s", res.Status, res.Body)
	}
	if res := op.Post(villageA, "/budgets/2026/realisations/"+wrong.ID+"/reverse", map[string]string{"reason": "lagi"}); res.ErrorCode() != codeAlreadyReversed {
		t.Errorf("reverse twice: %d %s", res.Status, res.Body)
	}
	if res := op.Post(villageA, "/budgets/2026/realisations/"+rev.ID+"/reverse", map[string]string{"reason": "lagi"}); res.ErrorCode() != codeAlreadyReversed {
		t.Errorf("reverse a reversal: %d %s", res.Status, res.Body)
	}
	if res := op.Post(villageA, "/budgets/2026/realisations/"+wrong.ID+"/reverse", map[string]string{"reason": ""}); res.ErrorCode() != codeInvalidDescription {
		t.Errorf("reverse without a reason: %d %s", res.Status, res.Body)
	}
	if res := op.Post(villageA, "/budgets/2027/realisations/"+wrong.ID+"/reverse", map[string]string{"reason": "x"}); res.ErrorCode() != codeRealisationNotFound {
		t.Errorf("reverse in another year: %d %s", res.Status, res.Body)
	}

	var again EntryView
	op.Post(villageA, "/budgets/2026/realisations", map[string]any{"section": "spending", "code": "1.1.01", "account": "5.1.1", "date": "2026-07-01", "amount": 1_000, "description": "Salah lagi"}).JSON(&again)
	if p := op.PostForm(villageA, "/anggaran/2026/realisasi/"+again.ID+"/batal", url.Values{"reason": {""}}); p.Status != 422 {
		t.Errorf("reverse page without a reason: %d", p.Status)
	}
	if p := op.PostForm(villageA, "/anggaran/2026/realisasi/"+again.ID+"/batal", url.Values{"reason": {"salah"}}); p.Status != 303 {
		t.Errorf("reverse page: %d %s", p.Status, p.HTML)
	}
	if p := op.GetPage(villageA, "/anggaran/2026/realisasi"); !strings.Contains(p.HTML, "Dibatalkan") || !strings.Contains(p.HTML, "Koreksi: salah") {
		t.Errorf("entries after a reversal: %s", p.HTML)
	}

	// Screens: the draft editor fills a line in to change it.
	if p := op.GetPage(villageA, "/anggaran/2027/baris"); p.Status != 200 || !strings.Contains(p.HTML, `name="code"`) {
		t.Errorf("line form: %d", p.Status)
	}
	op.Put(villageA, "/budgets/2027", map[string]any{"lines": balanced()})
	if p := op.GetPage(villageA, "/anggaran/2027/baris?key="+url.QueryEscape("spending|2.3.01|5.3")); p.Status != 200 || !strings.Contains(p.HTML, `value="600000000"`) {
		t.Errorf("line form filled in: %d %s", p.Status, p.HTML)
	}
	if p := op.PostForm(villageA, "/anggaran/2027/baris", url.Values{"section": {"spending"}, "code": {"2.3.01"}, "account": {"5.3"}, "name": {"Jalan desa"}, "amount": {"500.000.000"}, "source": {"DDS"}}); p.Status != 303 {
		t.Errorf("changing a line: %d %s", p.Status, p.HTML)
	}
	var d BudgetView
	op.Get(villageA, "/budgets/2027").JSON(&d)
	if d.Totals.Spending != 1_000_000_000 || len(d.Lines) != 9 {
		t.Errorf("after the change: %+v, %d lines", d.Totals, len(d.Lines))
	}

	// Screens.
	if p := op.GetPage(villageA, "/anggaran?year=2026"); p.Status != 200 || !strings.Contains(p.HTML, "Perdes No. 5 Tahun 2026") || !strings.Contains(p.HTML, "Catat realisasi") {
		t.Errorf("budget page: %d %s", p.Status, p.HTML)
	}
	if p := op.GetPage("14.01", "/anggaran?year=2026"); p.Status != 403 {
		t.Errorf("an operator of a village at the regency: %d", p.Status)
	}
	kab := h.User("kab", "viewer", "14.01")
	if p := kab.GetPage("14.01", "/anggaran?year=2026"); p.Status != 200 || !strings.Contains(p.HTML, "Tenant "+villageA) || !strings.Contains(p.HTML, "Belum ada") {
		t.Errorf("regency roll-up: %d %s", p.Status, p.HTML)
	}
	if p := kab.GetPage("14.01", "/anggaran?year=2026&status=none"); p.Status != 200 || strings.Contains(p.HTML, "Tenant "+villageA+"<") || !strings.Contains(p.HTML, "Tenant "+villageB) || !strings.Contains(p.HTML, `name="kecamatan"`) {
		t.Errorf("regency roll-up without budgets: %d %s", p.Status, p.HTML)
	}
	if p := kab.GetPage("14.01", "/anggaran?year=2026&kecamatan=Tenant+14.01.01"); p.Status != 200 || !strings.Contains(p.HTML, "Tenant "+villageA) || strings.Contains(p.HTML, "Tenant "+villageB+"<") {
		t.Errorf("regency roll-up of one district: %d %s", p.Status, p.HTML)
	}
	if p := anon.PublicPage("GET", villageA, "/", nil); p.Status != 200 || !strings.Contains(p.HTML, "b-chart") || !strings.Contains(p.HTML, "Dana Desa") {
		t.Errorf("public page: %d %s", p.Status, p.HTML)
	}
	if p := anon.PublicPage("GET", "14.01", "/?year=2026", nil); p.Status != 200 || !strings.Contains(p.HTML, "Penyerapan Dana Desa") {
		t.Errorf("public roll-up: %d %s", p.Status, p.HTML)
	}
	if ws := h.Widgets(villageA, "op-a"); len(ws) != 1 || !strings.Contains(string(ws[0].HTML), "Realisasi belanja") {
		t.Errorf("dashboard widget: %+v", ws)
	}
	for _, tenant := range []string{villageA, "14.01"} {
		ws := h.PublicWidgets(tenant)
		if len(ws) != 1 || len(ws[0].HTML) > 4096 {
			t.Errorf("widget at %s: %+v", tenant, ws)
		}
	}
	p := op.PostForm(villageA, "/anggaran/2026/realisasi", url.Values{"line": {"spending|4.2.01|"}, "date": {"2026-07-15"}, "amount": {"10000000"}, "description": {"Pelatihan"}})
	if p.Status != 303 {
		t.Errorf("realisation form: %d %s", p.Status, p.HTML)
	}
	p = op.PostForm(villageA, "/anggaran/2026/realisasi", url.Values{"line": {"spending|4.2.01|"}, "date": {"2026-07-15"}, "amount": {"999999999"}, "description": {"Pelatihan"}})
	if p.Status != 422 || !strings.Contains(p.HTML, "exceed") {
		t.Errorf("realisation form over budget: %d %s", p.Status, p.HTML)
	}
	if p := op.GetPage(villageA, "/anggaran/2026/laporan?period=s1"); p.Status != 200 || !strings.Contains(p.HTML, "Semester I") {
		t.Errorf("report page: %d", p.Status)
	}
}
