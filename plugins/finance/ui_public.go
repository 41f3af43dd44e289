package main

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

// latestApprovedYear is the last year with an approved budget in the
// village, or 0.
func latestApprovedYear(ctx context.Context, req *sdk.Request) (int, error) {
	recs, _, err := req.Records("budgets").Query().Where("status", sdk.Eq, statusOK).OrderBy("year", true).Page(0, 1).Run(ctx)
	if err != nil || len(recs) == 0 {
		return 0, err
	}
	var b budget
	err = recs[0].Decode(&b)
	return b.Year, err
}

// publicYear is ?year=, or at a village the last approved year, or this
// year.
func publicYear(r *http.Request) (int, error) {
	if r.URL.Query().Get("year") != "" {
		return summaryYear(r)
	}
	req := sdk.From(r)
	if req.Level == sdk.Village {
		if y, err := latestApprovedYear(r.Context(), req); err != nil || y > 0 {
			return y, err
		}
	}
	return req.Now().Year(), nil
}

// shortNames label the charts' bars so that they fit a phone (the full
// names are in the table and the README): bidang by their number, income
// groups by their code and "i".
var shortNames = map[string]string{
	"1": "Pemerintahan", "2": "Pembangunan", "3": "Kemasyarakatan", "4": "Pemberdayaan", "5": "Bencana, darurat",
	"4.1i": "PADes", "4.2.1i": "Dana Desa", "4.2.2i": "Bagi hasil pajak", "4.2.3i": "ADD", "4.2.4i": "Bantuan provinsi",
	"4.2.5i": "Bantuan kabupaten", "4.3i": "Lain-lain",
}

func rupiahFormat(v float64) string { return rp(int64(v)) }
func percentFormat(v float64) string {
	return pct(v)
}

// publicPage is the citizens' budget infographic of a village, or the
// Dana Desa absorption per village of a district or regency.
func publicPage(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	year, err := publicYear(r)
	if err != nil {
		fail(w, r, "Anggaran Desa", err)
		return
	}
	if req.Level != sdk.Village {
		publicRollup(w, r, year)
		return
	}
	title := fmt.Sprintf("APBDes %d", year)
	v, err := buildView(r.Context(), req, year, true)
	if err != nil {
		ui.Render(w, r, ui.Page{Title: title, Status: http.StatusOK, Actions: yearLinks("/?year=%d", year),
			Body: []ui.Node{ui.Text(fmt.Sprintf("Anggaran desa tahun %d belum ditetapkan.", year))}})
		return
	}
	var inc, spend, real []ui.Bar
	for _, g := range v.Income {
		if g.Budget > 0 {
			inc = append(inc, ui.Bar{Label: shortNames[g.Group+"i"], Value: float64(g.Budget)})
		}
	}
	for _, g := range v.Spending {
		spend = append(spend, ui.Bar{Label: g.Group + " " + shortNames[g.Group], Value: float64(g.Budget)})
		real = append(real, ui.Bar{Label: g.Group + " " + shortNames[g.Group], Value: g.Percent})
	}
	facts := ui.DefinitionList(
		[2]string{"Dasar", kindLabel(v.Kind) + ", " + v.PerdesNumber + " (" + ui.DateOnly(v.PerdesDate) + ")"},
		[2]string{"Pendapatan", rp(v.Totals.Income)}, [2]string{"Belanja", rp(v.Totals.Spending)},
		[2]string{"Pembiayaan neto", rp(v.Totals.NetFinancing)},
		[2]string{"Realisasi pendapatan", rp(v.Realised.Income) + " (" + pct(v.Realised.IncomePercent) + ")"},
		[2]string{"Realisasi belanja", rp(v.Realised.Spending) + " (" + pct(v.Realised.SpendingPercent) + ")"},
		[2]string{"Dana Desa diterima", rp(v.DanaDesa.Received) + " dari " + rp(v.DanaDesa.Budget)},
		[2]string{"Dana Desa terserap", rp(v.DanaDesa.Spent) + " (" + pct(v.DanaDesa.AbsorptionPercent) + ")"})
	rows := []ui.Row{}
	for _, l := range v.Lines {
		if l.Section == sectionFinancing {
			continue
		}
		rows = append(rows, ui.Row{Cells: []ui.Node{ui.Cell(l.Code), ui.Cell(l.Name), ui.Cell(rp(l.Amount)), ui.Cell(pct(l.Percent))}})
	}
	ui.Render(w, r, ui.Page{Title: title, Actions: yearLinks("/?year=%d", year),
		Description: fmt.Sprintf("APBDes %d: pendapatan %s, belanja %s, realisasi belanja %s.", year, rp(v.Totals.Income), rp(v.Totals.Spending), pct(v.Realised.SpendingPercent)),
		Body: []ui.Node{
			ui.Section("Ringkasan", facts),
			ui.Section("Pendapatan menurut sumber", ui.Chart{Title: "Pendapatan menurut sumber", Bars: inc, Format: rupiahFormat}),
			ui.Section("Belanja menurut bidang", ui.Chart{Title: "Belanja menurut bidang", Bars: spend, Format: rupiahFormat}),
			ui.Section("Persentase realisasi belanja", ui.Chart{Title: "Realisasi belanja per bidang (%)", Bars: real, Format: percentFormat}),
			ui.Section("Rincian pendapatan dan belanja", ui.Table{Columns: []ui.Column{{Label: "Kode"}, {Label: "Uraian"}, {Label: "Anggaran"}, {Label: "Realisasi"}}, Rows: rows}),
		}})
}

// publicRollup shows a district's or regency's villages with their Dana
// Desa absorption, 50 a page.
func publicRollup(w http.ResponseWriter, r *http.Request, year int) {
	s, err := buildSummary(r, year)
	if err != nil {
		fail(w, r, "Anggaran Desa", err)
		return
	}
	tb := pagedRollup(r, s, true).(ui.Table)
	// The chart: the villages with an approved budget, highest absorption
	// first, at most 30 (the table has them all).
	var dd []ui.Bar
	for _, v := range s.Items {
		if v.Status != "none" {
			dd = append(dd, ui.Bar{Label: v.Name, Value: v.DanaDesa.AbsorptionPercent})
		}
	}
	slices.SortStableFunc(dd, func(a, b ui.Bar) int { return cmp.Compare(b.Value, a.Value) })
	chartTitle := "Penyerapan Dana Desa per desa (%)"
	if len(dd) > 30 {
		dd, chartTitle = dd[:30], "30 desa dengan penyerapan Dana Desa tertinggi (%)"
	}
	ui.Render(w, r, ui.Page{Title: fmt.Sprintf("Anggaran desa %d", year), Actions: yearLinks("/?year=%d", year),
		Description: fmt.Sprintf("Penyerapan Dana Desa %d: %s dari %d desa.", year, pct(s.DanaDesa.AbsorptionPercent), s.Villages),
		Body: []ui.Node{
			rollupFacts(s),
			ui.Section(chartTitle, ui.Chart{Title: chartTitle, Bars: dd, Format: percentFormat}),
			tb,
		}})
}

// publicWidget is the card on the portal's home: the village's budget in
// three figures, or the region's Dana Desa absorption.
func publicWidget(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	year, err := publicYear(r)
	if err != nil {
		fail(w, r, "Anggaran Desa", err)
		return
	}
	y := strconv.Itoa(year)
	if req.Level != sdk.Village {
		s, err := buildSummary(r, year)
		if err != nil {
			fail(w, r, "Anggaran Desa", err)
			return
		}
		ui.Render(w, r, ui.Page{Title: "Anggaran Desa " + y, Body: []ui.Node{
			ui.DefinitionList([2]string{"Desa dengan APBDes", fmt.Sprintf("%d dari %d", s.Approved, s.Villages)},
				[2]string{"Penyerapan Dana Desa", pct(s.DanaDesa.AbsorptionPercent)}),
			ui.A("Penyerapan Dana Desa per desa", "/?year="+y)}})
		return
	}
	v, err := buildView(r.Context(), req, year, true)
	if err != nil {
		ui.Render(w, r, ui.Page{Title: "APBDes", Body: []ui.Node{ui.Muted("Anggaran desa belum ditetapkan.")}})
		return
	}
	ui.Render(w, r, ui.Page{Title: "APBDes " + y, Body: []ui.Node{
		ui.DefinitionList([2]string{"Pendapatan", rp(v.Totals.Income)}, [2]string{"Belanja", rp(v.Totals.Spending)},
			[2]string{"Realisasi belanja", pct(v.Realised.SpendingPercent)}),
		ui.A("Lihat infografis anggaran", "/?year="+y)}})
}
