package main

// The public widget on a unit's (or the regency's) portal home: the
// latest published SAKIP grades, which regencies announce anyway (Ogan
// Ilir's EVALAKIP publishes every unit's). Nothing else of the module is
// public.
//
//	GET /grade   public widget: a unit's latest grade and score; above it, the count per grade of the latest year

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

var publicPages = []sdk.PageRoute{
	{Method: "GET", Path: "/grade", Public: true, Widget: true, Handler: http.HandlerFunc(publicGrade)},
}

func publicGrade(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	title := ui.Tr(r, "Akuntabilitas Kinerja", "Performance accountability")
	if req.Level == sdk.Village || req.Level == sdk.District {
		recs, _, err := req.Records("results").Query().OrderBy("year", true).Page(0, 1).Run(r.Context())
		if err != nil {
			fail(w, r, err)
			return
		}
		var res result
		if len(recs) == 1 {
			err = recs[0].Decode(&res)
		}
		switch {
		case err != nil:
			fail(w, r, err)
		case len(recs) == 0:
			ui.Render(w, r, ui.Page{Title: title, Body: []ui.Node{ui.Muted(ui.Tr(r, "Belum ada hasil evaluasi SAKIP yang diterbitkan.", "No SAKIP evaluation published yet."))}})
		default:
			ui.Render(w, r, ui.Page{Title: title, Body: []ui.Node{
				ui.Text(fmt.Sprintf(ui.Tr(r, "Hasil evaluasi SAKIP %d oleh kabupaten:", "SAKIP evaluation %d by the regency:"), res.Year)),
				nodes(gradeBadge(res.Grade), ui.Cell(fmt.Sprintf("%s — %s", score2(res.Score), gradeName(res.Grade)))),
			}})
		}
		return
	}
	// A regency or province: the count per grade of the latest year.
	groups, err := req.Records("results").Aggregate(r.Context(), sdk.Aggregation{GroupBy: []string{"year", "grade"}, Subtree: true})
	if err != nil {
		fail(w, r, err)
		return
	}
	latest := 0
	counts := map[string]int64{}
	for _, g := range groups {
		y, _ := g.Key[0].(float64)
		if int(y) > latest {
			latest, counts = int(y), map[string]int64{}
		}
		if int(y) == latest {
			grade, _ := g.Key[1].(string)
			counts[grade] += g.Count
		}
	}
	if latest == 0 {
		ui.Render(w, r, ui.Page{Title: title, Body: []ui.Node{ui.Muted(ui.Tr(r, "Belum ada hasil evaluasi SAKIP yang diterbitkan.", "No SAKIP evaluation published yet."))}})
		return
	}
	var parts []string
	for _, g := range gradeCodes() {
		if counts[g] > 0 {
			parts = append(parts, fmt.Sprintf("%s: %d", g, counts[g]))
		}
	}
	ui.Render(w, r, ui.Page{Title: title, Body: []ui.Node{
		ui.Text(fmt.Sprintf(ui.Tr(r, "Hasil evaluasi SAKIP %d desa dan kecamatan — %s.", "SAKIP evaluation %d of villages and districts — %s."), latest, strings.Join(parts, ", "))),
	}})
}
