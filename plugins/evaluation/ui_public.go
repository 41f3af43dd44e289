package main

// The public widget on a village's (or district's) home in the portal:
// its latest published SAKIP grade, which regencies publish anyway
// (Ogan Ilir's EVALAKIP announces every unit's). Nothing else of the
// module is public.
//
//	GET /grade   public widget: the latest published grade and score

import (
	"fmt"
	"net/http"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

var publicPages = []sdk.PageRoute{
	{Method: "GET", Path: "/grade", Public: true, Widget: true, Handler: http.HandlerFunc(publicGrade)},
}

// publicGrade shows the tenant's own latest published result, or nothing
// (an empty widget is left out of the page).
func publicGrade(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	recs, _, err := req.Records("results").Query().OrderBy("year", true).Page(0, 1).Run(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	if len(recs) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	var res result
	if err := recs[0].Decode(&res); err != nil {
		fail(w, r, err)
		return
	}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Akuntabilitas Kinerja", "Performance accountability"), Body: []ui.Node{
		ui.Text(fmt.Sprintf(ui.Tr(r, "Hasil evaluasi SAKIP %d oleh kabupaten:", "SAKIP evaluation %d by the regency:"), res.Year)),
		nodes(gradeBadge(res.Grade), ui.Cell(fmt.Sprintf("%s — %s", score2(res.Score), gradeName(res.Grade)))),
	}})
}
