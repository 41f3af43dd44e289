package main

import (
	"net/url"
	"strings"
	"testing"
)

func TestScreens(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		// The village's menu page is its indicators; it adds one by the form.
		res := w.op.GetPage(villageA, "/home")
		if res.Status != 200 || !strings.Contains(res.HTML, "Tambah indikator") {
			t.Fatalf("home: %d %s", res.Status, res.HTML)
		}
		res = w.op.PostForm(villageA, "/indicators", url.Values{"year": {"2026"}, "name": {"Dokumen RKPDes"}, "measure": {"dokumen"}, "target": {"0"}, "direction": {"higher"}})
		if res.Status != 422 || !strings.Contains(res.HTML, "Target harus angka") {
			t.Fatalf("bad target: %d %s", res.Status, res.HTML)
		}
		res = w.op.PostForm(villageA, "/indicators", url.Values{"year": {"2026"}, "name": {"Dokumen RKPDes"}, "measure": {"dokumen"}, "target": {"2"}, "direction": {"higher"}})
		if res.Status != 303 {
			t.Fatalf("add: %d %s", res.Status, res.HTML)
		}
		var list struct{ Items []IndicatorView }
		w.op.Get(villageA, "/indicators?year=2026").JSON(&list)
		id := list.Items[0].ID
		res = w.op.PostForm(villageA, "/indicators/"+id+"/achievements", url.Values{"quarter": {"1"}, "realisation": {"-2"}, "note": {"RKPDes disahkan"}})
		if res.Status != 422 || !strings.Contains(res.HTML, "Realisasi harus") || !strings.Contains(res.HTML, "RKPDes disahkan") {
			t.Fatalf("a negative realisation: %d %s", res.Status, res.HTML)
		}
		res = w.op.PostForm(villageA, "/indicators/"+id+"/achievements", url.Values{"quarter": {"1"}, "realisation": {"1,5"}, "note": {"RKPDes disahkan"}})
		if res.Status != 303 {
			t.Fatalf("report: %d %s", res.Status, res.HTML)
		}
		res = w.op.GetPage(villageA, "/indicators/"+id)
		if !strings.Contains(res.HTML, "75 %") {
			t.Fatalf("indicator page: %s", res.HTML)
		}
		if res := w.op.PostForm(villageA, "/indicators/"+id, url.Values{"name": {"Dokumen RKPDes"}, "target": {"x"}}); res.Status != 422 || !strings.Contains(res.HTML, "Target harus angka") {
			t.Fatalf("change refused: %d %s", res.Status, res.HTML)
		}
		if res := w.op.PostForm(villageA, "/indicators/"+id, url.Values{"name": {"Dokumen RKPDes"}, "target": {"3"}}); res.Status != 303 {
			t.Fatalf("change: %d %s", res.Status, res.HTML)
		}
		if res := w.op.GetPage(villageA, "/indicators/"+id); !strings.Contains(res.HTML, "50 %") {
			t.Fatalf("recomputed against 3: %s", res.HTML)
		}
		// A viewer reads, without the forms.
		viewer := w.h.User("viewer-a", "viewer", villageA)
		if res := viewer.GetPage(villageA, "/indicators/"+id); res.Status != 200 || strings.Contains(res.HTML, "Laporkan capaian") {
			t.Fatalf("viewer: %d", res.Status)
		}

		// The evaluator's worksheet, by the form, then published.
		form := url.Values{"recommendations": {"Susun Perjanjian Kinerja\nLaporkan capaian triwulanan"}}
		for _, c := range components {
			for _, s := range subs {
				form.Set(c.Key+"."+s.Key+".score", "90")
			}
		}
		form.Set("pelaporan.kualitas.score", "abc")
		res = w.eval.PostForm(regency, "/worksheet/2026/"+villageA, form)
		if res.Status != 422 || !strings.Contains(res.HTML, "Nilai harus") {
			t.Fatalf("bad score: %d %s", res.Status, res.HTML)
		}
		form.Set("pelaporan.kualitas.score", "90")
		if res := w.eval.PostForm(regency, "/worksheet/2026/"+villageA, form); res.Status != 303 {
			t.Fatalf("save: %d %s", res.Status, res.HTML)
		}
		res = w.eval.GetPage(regency, "/worksheet/2026/"+villageA)
		if !strings.Contains(res.HTML, "90,00") || !strings.Contains(res.HTML, "Terbitkan") {
			t.Fatalf("worksheet: %s", res.HTML)
		}
		if res := w.eval.PostForm(regency, "/worksheet/2026/"+villageA+"/publish", url.Values{"confirmed": {"1"}}); res.Status != 303 || !strings.Contains(res.Flash, "A (90,00)") {
			t.Fatalf("publish: %d %s %s", res.Status, res.Flash, res.HTML)
		}
		// The village admin is not an evaluator.
		if res := w.villageAdmin.PostForm(villageA, "/worksheet/2026/"+villageA, form); res.Status != 403 {
			t.Fatalf("village admin: %d", res.Status)
		}
		// The regency's table shows the grade.
		res = w.kampar.GetPage(regency, "/home")
		if res.Status != 200 || !strings.Contains(res.HTML, "90,00") || !strings.Contains(res.HTML, ">A<") {
			t.Fatalf("table: %s", res.HTML)
		}
		// The unit answers a recommendation.
		res = w.op.GetPage(villageA, "/result?year=2026")
		if !strings.Contains(res.HTML, "Susun Perjanjian Kinerja") {
			t.Fatalf("result: %s", res.HTML)
		}
		// One form per recommendation, each with its own ids: a label
		// points at its own form's field.
		for _, id := range []string{"rec1-f-response", "rec2-f-response", "rec1-f-status", "rec2-f-status"} {
			if n := strings.Count(res.HTML, `id="`+id+`"`); n != 1 || !strings.Contains(res.HTML, `for="`+id+`"`) {
				t.Errorf("id %s: %d times, label: %v", id, n, strings.Contains(res.HTML, `for="`+id+`"`))
			}
		}
		if strings.Contains(res.HTML, `id="f-response"`) {
			t.Error("an unprefixed id is repeated in every form")
		}
		var ev EvaluationView
		w.op.Get(villageA, "/evaluations/2026/"+villageA).JSON(&ev)
		// A refused answer comes back to the year the user was on.
		if res := w.op.PostForm(villageA, "/recommendations/"+ev.Recommendations[0].ID, url.Values{"response": {""}, "status": {"done"}, "year": {"2026"}}); res.Status != 303 || res.FlashKind != "error" || !strings.HasSuffix(res.Location, "/result?year=2026") {
			t.Fatalf("refused answer: %d %s %s", res.Status, res.Location, res.Flash)
		}
		if res := w.op.PostForm(villageA, "/recommendations/"+ev.Recommendations[0].ID, url.Values{"response": {"PK ditandatangani"}, "status": {"done"}}); res.Status != 303 || res.FlashKind != "success" {
			t.Fatalf("respond: %d %s", res.Status, res.Flash)
		}
		res = w.eval.GetPage(regency, "/worksheet/2026/"+villageA)
		if !strings.Contains(res.HTML, "PK ditandatangani") || !strings.Contains(res.HTML, "Selesai") {
			t.Fatalf("the regency's view of the responses: %s", res.HTML)
		}
		// The widgets: nothing published yet at the neighbour, counts at the regency.
		if ws := w.h.PublicWidgets(villageB); len(ws) != 1 || !strings.Contains(string(ws[0].HTML), "Belum ada hasil") {
			t.Fatalf("neighbour's public widget: %+v", ws)
		}
		if ws := w.h.PublicWidgets(regency); len(ws) != 1 || !strings.Contains(string(ws[0].HTML), "A: 1") {
			t.Fatalf("regency's public widget: %+v", ws)
		}
		if ws := w.h.PublicWidgets(villageA); len(ws) != 1 || !strings.Contains(string(ws[0].HTML), "90,00") {
			t.Fatalf("public widget: %+v", ws)
		}
		// A district's home is its villages' table, in English on request.
		camat := w.h.User("camat", "operator", districtA)
		camat.Lang = "en"
		if res := camat.GetPage(districtA, "/home?year=2026"); res.Status != 200 || !strings.Contains(res.HTML, "Performance evaluation 2026") ||
			!strings.Contains(res.HTML, villageA) || strings.Contains(res.HTML, villageB) || !strings.Contains(res.HTML, "District&#39;s indicators") {
			t.Fatalf("district's table: %d %s", res.Status, res.HTML)
		}
		if m := w.h.Menu(villageA, "op-a"); len(m) == 0 {
			t.Fatal("no menu")
		}
	})
}
