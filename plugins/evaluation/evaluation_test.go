package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk/sdktest"
)

const (
	villageA  = "14.01.01.2009"
	villageA2 = "14.01.01.2010"
	villageB  = "14.01.02.2001"
	districtA = "14.01.01"
	regency   = "14.01"
)

// world is a host with Kampar's three villages, the module on in the
// regency, a village operator, a neighbour's operator, a village admin,
// a regency evaluator (a custom role) and a regency admin.
type world struct {
	h                                   *sdktest.Host
	clock                               *sdktest.Clock
	op, opB, villageAdmin, eval, kampar *sdktest.Client
}

func newWorld(t *testing.T, h *sdktest.Host, clock *sdktest.Clock) *world {
	t.Helper()
	for _, c := range []string{villageA, villageA2, villageB} {
		h.Tenant(c)
	}
	h.Enable(regency)
	admin := h.Admin()
	res := admin.API("POST", "/api/v1/roles", map[string]any{"name": "evaluator", "permissions": []string{permEvaluate, permRead}})
	if res.Status != http.StatusCreated {
		t.Fatalf("role: %d %s", res.Status, res.Body)
	}
	return &world{h: h, clock: clock,
		op:           h.User("op-a", "operator", villageA),
		opB:          h.User("op-b", "operator", villageB),
		villageAdmin: h.User("kades-a", "admin", villageA),
		eval:         h.User("inspektur", "evaluator", regency),
		kampar:       h.User("kampar-admin", "admin", regency),
	}
}

func each(t *testing.T, fn func(t *testing.T, w *world)) {
	clock := sdktest.NewClock(time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC))
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		fn(t, newWorld(t, h, clock))
	}, sdktest.WithClock(clock.Now))
}

func want(t *testing.T, res *sdktest.Response, status int, code string) {
	t.Helper()
	if res.Status != status || (code != "" && string(res.ErrorCode()) != code) {
		t.Fatalf("want %d %s, got %d %s", status, code, res.Status, res.Body)
	}
}

// multipartPost posts fields and an evidence file as a form.
func multipartPost(t *testing.T, h *sdktest.Host, c *sdktest.Client, tenant, path string, fields map[string]string, name string, file []byte) *sdktest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if file != nil {
		fw, _ := mw.CreateFormFile("evidence", name)
		fw.Write(file)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", h.URL()+"/api/v1/t/"+tenant+"/evaluation"+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+c.Token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return &sdktest.Response{Status: res.StatusCode, Header: res.Header, Body: data}
}

var pdf = []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")

func full(s float64) map[string]any {
	c := map[string]any{"keberadaan": map[string]any{"score": s, "evidence": "Renstra Desa 2025-2030"}, "kualitas": map[string]any{"score": s}, "pemanfaatan": map[string]any{"score": s, "note": "dipakai dalam Musdes"}}
	return map[string]any{"perencanaan": c, "pengukuran": c, "pelaporan": c, "evaluasi_internal": c,
		"recommendations": []string{"Susun Perjanjian Kinerja kepala desa", "Laporkan capaian setiap triwulan"}, "summary": "Cukup baik"}
}

func TestIndicatorsAndAchievements(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		res := w.op.Post(villageA, "/indicators", map[string]any{"year": 2026, "name": "Persentase surat selesai 1 hari", "measure": "%", "target": 40})
		want(t, res, 201, "")
		var ind IndicatorView
		res.JSON(&ind)
		if ind.Unit != villageA || !ind.HigherIsBetter || ind.Target != 40 {
			t.Fatalf("%s", res.Body)
		}
		want(t, w.op.Post(villageA, "/indicators", map[string]any{"year": 2026, "name": "Persentase surat selesai 1 hari", "measure": "%", "target": 40}), 409, "duplicate_indicator")
		want(t, w.op.Post(villageA, "/indicators", map[string]any{"year": 2026, "name": "ab", "measure": "%", "target": 5}), 422, "invalid_name")
		want(t, w.op.Post(villageA, "/indicators", map[string]any{"year": 2026, "name": "Target nol", "measure": "%", "target": 0}), 422, "invalid_target")
		want(t, w.op.Post(villageA, "/indicators", map[string]any{"year": 1999, "name": "Tahun lama", "measure": "%", "target": 5}), 422, "invalid_year")
		want(t, w.op.Post(villageA, "/indicators", map[string]any{"year": 2026, "name": "Tanpa satuan", "target": 5}), 422, "invalid_measure")
		want(t, w.op.Post(villageA, "/indicators", map[string]any{"year": 2026, "name": "Sumber salah", "target": 5, "source": "weather"}), 422, "invalid_source")
		want(t, w.op.Post(villageA, "/indicators", map[string]any{"year": 2026, "name": "Kolom asing", "target": 5, "measure": "%", "colour": 1}), 400, "unknown_field")
		want(t, w.kampar.Post(regency, "/indicators", map[string]any{"year": 2026, "name": "Di kabupaten", "measure": "%", "target": 5}), 422, "not_a_unit")

		// A quarter's achievement with evidence: 35 of 40 = 87.5 %.
		res = multipartPost(t, w.h, w.op, villageA, "/indicators/"+ind.ID+"/achievements", map[string]string{"quarter": "1", "realisation": "35", "note": "Buku register"}, "register.pdf", pdf)
		want(t, res, 201, "")
		var a AchievementView
		if err := json.Unmarshal(res.Body, &a); err != nil {
			t.Fatal(err)
		}
		if a.Percent != 87.5 || a.Evidence == nil || a.EvidenceURL == "" || a.Quarter != 1 {
			t.Fatalf("achievement: %s", res.Body)
		}
		ev := w.op.Get(villageA, "/achievements/"+a.ID+"/evidence")
		if ev.Status != 200 || !bytes.HasPrefix(ev.Body, []byte("%PDF")) {
			t.Fatalf("evidence: %d", ev.Status)
		}
		// A correction replaces the quarter (200), keeping the evidence.
		res = w.op.Post(villageA, "/indicators/"+ind.ID+"/achievements", map[string]any{"quarter": 1, "realisation": 38})
		want(t, res, 200, "")
		res.JSON(&a)
		if a.Percent != 95 || a.Evidence == nil {
			t.Fatalf("corrected: %s", res.Body)
		}
		want(t, w.op.Post(villageA, "/indicators/"+ind.ID+"/achievements", map[string]any{"quarter": 2, "realisation": 44}), 201, "")
		want(t, w.op.Post(villageA, "/indicators/"+ind.ID+"/achievements", map[string]any{"quarter": 5, "realisation": 1}), 422, "invalid_quarter")
		want(t, w.op.Post(villageA, "/indicators/"+ind.ID+"/achievements", map[string]any{"quarter": 3, "realisation": -1}), 422, "invalid_realisation")
		want(t, w.op.Post(villageA, "/indicators/"+ind.ID+"/achievements", map[string]any{"quarter": 3}), 422, "invalid_realisation")
		want(t, multipartPost(t, w.h, w.op, villageA, "/indicators/"+ind.ID+"/achievements", map[string]string{"quarter": "3", "realisation": "1"}, "x.exe", []byte("MZ\x90\x00binary")), 415, "evidence_type_not_accepted")

		// Lower is better: 12 days against a target of 10 is 80 %.
		res = w.op.Post(villageA, "/indicators", map[string]any{"year": 2026, "name": "Rata-rata hari penyaluran BLT", "measure": "hari", "target": 10, "higher_is_better": false})
		want(t, res, 201, "")
		var low IndicatorView
		res.JSON(&low)
		res = w.op.Post(villageA, "/indicators/"+low.ID+"/achievements", map[string]any{"quarter": 1, "realisation": 12})
		res.JSON(&a)
		if a.Percent != 80 {
			t.Fatalf("lower is better: %s", res.Body)
		}

		// A quarter that has not begun.
		res = w.op.Post(villageA, "/indicators", map[string]any{"year": 2027, "name": "Indikator tahun depan", "measure": "dokumen", "target": 1})
		var next IndicatorView
		res.JSON(&next)
		want(t, w.op.Post(villageA, "/indicators/"+next.ID+"/achievements", map[string]any{"quarter": 1, "realisation": 1}), 422, "quarter_not_started")

		// A sourced indicator: no typed value; the source module is not
		// loaded in this host, which is a readable refusal, not a 500.
		res = w.op.Post(villageA, "/indicators", map[string]any{"year": 2026, "name": "Surat tepat waktu", "target": 90, "source": "letters_on_time"})
		want(t, res, 201, "")
		var src IndicatorView
		res.JSON(&src)
		if src.Measure != "%" || src.SourceLabel == "" {
			t.Fatalf("sourced: %s", res.Body)
		}
		want(t, w.op.Post(villageA, "/indicators/"+src.ID+"/achievements", map[string]any{"quarter": 1, "realisation": 80}), 422, "sourced_indicator")
		res = w.op.Post(villageA, "/indicators/"+src.ID+"/achievements", map[string]any{"quarter": 1})
		want(t, res, 422, "source_not_available")
		if !strings.Contains(string(res.Body), "services") {
			t.Errorf("the refusal names the module: %s", res.Body)
		}

		// The target revised: the reported quarters follow (38 and 44 of 50).
		res = w.op.Patch(villageA, "/indicators/"+ind.ID, map[string]any{"target": 50})
		want(t, res, 200, "")
		var changed IndicatorView
		res.JSON(&changed)
		if changed.Target != 50 || len(changed.Achievements) != 2 || changed.Achievements[0].Percent != 76 || changed.Achievements[1].Percent != 88 {
			t.Fatalf("revised target: %s", res.Body)
		}
		want(t, w.op.Patch(villageA, "/indicators/"+ind.ID, map[string]any{"target": -1}), 422, "invalid_target")
		want(t, w.op.Patch(villageA, "/indicators/"+ind.ID, map[string]any{"year": 2027}), 400, "unknown_field")
		want(t, w.op.Patch(villageA, "/indicators/"+src.ID, map[string]any{"higher_is_better": false}), 422, "invalid_source")
		want(t, w.opB.Patch(villageB, "/indicators/"+ind.ID, map[string]any{"target": 1}), 404, "indicator_not_found")
		want(t, w.op.Patch(villageA, "/indicators/"+ind.ID, map[string]any{"target": 40}), 200, "")

		// The unit's list, with quarters and the average.
		res = w.op.Get(villageA, "/indicators?year=2026")
		var list struct {
			Items []IndicatorView
			Total int
		}
		res.JSON(&list)
		if list.Total != 3 || len(list.Items[0].Achievements) != 2 || list.Items[0].Average == nil || *list.Items[0].Average != 102.5 {
			t.Fatalf("list: %s", res.Body)
		}
		want(t, w.op.Get(villageA, "/indicators?year=20x6"), 400, "invalid_year")

		// The neighbour sees nothing of it, and cannot write here.
		want(t, w.opB.Get(villageB, "/indicators/"+ind.ID), 404, "indicator_not_found")
		want(t, w.opB.Get(villageA, "/indicators/"+ind.ID), 403, "")
		want(t, w.opB.Post(villageA, "/indicators/"+ind.ID+"/achievements", map[string]any{"quarter": 1, "realisation": 1}), 403, "")
		want(t, w.opB.Post(villageB, "/indicators/"+ind.ID+"/achievements", map[string]any{"quarter": 1, "realisation": 1}), 404, "indicator_not_found")
		// A district reads its village's indicator, and is told where to report.
		camat := w.h.User("camat-op", "operator", districtA)
		want(t, camat.Get(districtA, "/indicators/"+ind.ID), 200, "")
		want(t, camat.Post(districtA, "/indicators/"+ind.ID+"/achievements", map[string]any{"quarter": 3, "realisation": 1}), 422, "not_a_unit")
		// The regency reads every unit's.
		res = w.kampar.Get(regency, "/indicators?year=2026&unit="+villageA)
		res.JSON(&list)
		if list.Total != 3 {
			t.Fatalf("regency: %s", res.Body)
		}
	})
}

func TestEvaluationJourney(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		path := "/evaluations/2026/" + villageA
		// Only the regency's evaluators write worksheets, at the regency.
		want(t, w.villageAdmin.Put(villageA, path, full(80)), 403, "not_an_evaluator")
		want(t, w.villageAdmin.Put(regency, path, full(80)), 403, "")
		want(t, w.op.Put(villageA, path, full(80)), 403, "")
		want(t, w.eval.Put(villageA, path, full(80)), 422, "evaluate_at_regency")
		want(t, w.eval.Put(regency, "/evaluations/2026/14.01.99.9999", full(80)), 404, "unit_not_found")
		want(t, w.eval.Put(regency, "/evaluations/2026/14.05.01.2001", full(80)), 404, "unit_not_found")
		want(t, w.eval.Put(regency, "/evaluations/1999/"+villageA, full(80)), 400, "invalid_year")
		bad := full(80)
		bad["pelaporan"] = map[string]any{"kualitas": map[string]any{"score": 100.5}}
		want(t, w.eval.Put(regency, path, bad), 422, "invalid_score")
		bad["pelaporan"] = map[string]any{"kualitas": map[string]any{"score": 50.001}}
		want(t, w.eval.Put(regency, path, bad), 422, "invalid_score")
		bad = full(80)
		bad["recommendations"] = []string{"ok"}
		want(t, w.eval.Put(regency, path, bad), 422, "invalid_recommendation")

		// A partial draft: no grade yet, and not publishable.
		draft := full(80)
		delete(draft, "evaluasi_internal")
		res := w.eval.Put(regency, path, draft)
		want(t, res, 201, "")
		var v EvaluationView
		res.JSON(&v)
		if v.State != "draft" || v.Score != nil || v.Complete || v.PartialScore != 60 {
			t.Fatalf("draft: %s", res.Body)
		}
		want(t, w.eval.Post(regency, path+"/publish", nil), 422, "worksheet_incomplete")
		// The unit does not see a draft.
		want(t, w.op.Get(villageA, path), 404, "evaluation_not_found")

		res = w.eval.Put(regency, path, full(80.01))
		want(t, res, 200, "")
		res.JSON(&v)
		if v.Score == nil || *v.Score != 80.01 || v.Grade != "A" {
			t.Fatalf("complete: %s", res.Body)
		}
		res = w.eval.Post(regency, path+"/publish", nil)
		want(t, res, 200, "")
		res.JSON(&v)
		if v.State != "final" || v.Grade != "A" || len(v.Recommendations) != 2 || v.PublishedAt == nil {
			t.Fatalf("published: %s", res.Body)
		}
		// Not silently overwritten.
		want(t, w.eval.Put(regency, path, full(95)), 409, "evaluation_final")
		want(t, w.eval.Post(regency, path+"/publish", nil), 409, "evaluation_final")

		// The unit reads its result and answers the recommendations.
		res = w.op.Get(villageA, path)
		want(t, res, 200, "")
		res.JSON(&v)
		if v.Grade != "A" || *v.Score != 80.01 || len(v.Recommendations) != 2 || v.Recommendations[0].Status != "open" {
			t.Fatalf("unit's result: %s", res.Body)
		}
		rec := v.Recommendations[0]
		want(t, w.op.Post(villageA, "/recommendations/"+rec.ID+"/response", map[string]any{"response": "x", "status": "done"}), 422, "invalid_response")
		want(t, w.op.Post(villageA, "/recommendations/"+rec.ID+"/response", map[string]any{"response": "Sudah disusun", "status": "maybe"}), 422, "invalid_status")
		want(t, w.kampar.Post(villageA, "/recommendations/"+rec.ID+"/response", map[string]any{"response": "Atas nama desa", "status": "done"}), 403, "unit_staff_only")
		want(t, w.opB.Post(villageB, "/recommendations/"+rec.ID+"/response", map[string]any{"response": "Bukan desa kami", "status": "done"}), 404, "recommendation_not_found")
		res = w.op.Post(villageA, "/recommendations/"+rec.ID+"/response", map[string]any{"response": "PK kepala desa ditandatangani 5 Januari", "status": "done"})
		want(t, res, 200, "")
		// The regency sees the response beside its worksheet.
		res = w.eval.Get(regency, path)
		res.JSON(&v)
		if v.Recommendations[0].Status != "done" || v.Recommendations[0].Response == "" {
			t.Fatalf("regency's view: %s", res.Body)
		}
		// The district reads the published result of its village.
		res = w.h.User("camat", "viewer", districtA).Get(districtA, path)
		want(t, res, 200, "")

		// Scores: counts per grade, at the regency and at the village.
		res = w.kampar.Get(regency, "/scores?year=2026")
		var sc Scores
		res.JSON(&sc)
		if sc.Total != 1 || sc.Counts["A"] != 1 || sc.Counts["AA"] != 0 || sc.Items[0].Unit != villageA || *sc.Average != 80.01 {
			t.Fatalf("scores: %s", res.Body)
		}
		res = w.opB.Get(villageB, "/scores?year=2026")
		res.JSON(&sc)
		if sc.Total != 0 {
			t.Fatalf("neighbour's scores: %s", res.Body)
		}
		want(t, w.kampar.Get(regency, "/scores"), 400, "invalid_year")
		want(t, w.kampar.Get(regency, "/scores?year=2026&grade=Z"), 400, "invalid_filter")
	})
}

func TestRegencyTable(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		res := w.op.Post(villageA, "/indicators", map[string]any{"year": 2026, "name": "Dokumen RKPDes", "measure": "dokumen", "target": 2})
		var ind IndicatorView
		res.JSON(&ind)
		w.op.Post(villageA, "/indicators/"+ind.ID+"/achievements", map[string]any{"quarter": 1, "realisation": 1})
		w.op.Post(villageA, "/indicators/"+ind.ID+"/achievements", map[string]any{"quarter": 2, "realisation": 2})
		want(t, w.eval.Put(regency, "/evaluations/2026/"+villageB, full(90)), 201, "")

		res = w.kampar.Get(regency, "/evaluations/2026")
		want(t, res, 200, "")
		var tb Table
		res.JSON(&tb)
		// Two districts and three villages.
		if tb.Total != 5 || len(tb.Items) != 5 || len(tb.Sources) != 4 {
			t.Fatalf("table: %s", res.Body)
		}
		rows := map[string]TableRow{}
		for _, r := range tb.Items {
			rows[r.Unit] = r
		}
		a := rows[villageA]
		if a.Indicators != 1 || a.Achievements != 2 || a.AchievementAverage == nil || *a.AchievementAverage != 75 || a.Evaluation != nil || a.District != districtA {
			t.Fatalf("village A: %+v", a)
		}
		b := rows[villageB]
		if b.Evaluation == nil || b.Evaluation.State != "draft" || b.Evaluation.Grade != "A" {
			t.Fatalf("village B: %+v", b)
		}
		for _, s := range tb.Sources {
			if s.Available || s.Reason == "" {
				t.Errorf("source %s without its module: %+v", s.Key, s)
			}
		}
		// Filters and pages.
		res = w.kampar.Get(regency, "/evaluations/2026?district="+districtA+"&limit=2&page=2")
		res.JSON(&tb)
		if tb.Total != 3 || len(tb.Items) != 1 || tb.Items[0].Unit != villageA2 {
			t.Fatalf("district page 2: %s", res.Body)
		}
		want(t, w.kampar.Get(regency, "/evaluations/2026?district=14.05.01"), 400, "invalid_filter")
		want(t, w.kampar.Get(regency, "/evaluations/2026?quarter=5"), 400, "invalid_quarter")
		want(t, w.op.Get(villageA, "/evaluations/2026"), 422, "not_a_region")
		// A district counts only its own.
		res = w.h.User("camat", "viewer", districtA).Get(districtA, "/evaluations/2026")
		res.JSON(&tb)
		if tb.Total != 2 {
			t.Fatalf("district: %s", res.Body)
		}
		// Disabled in a village: left out.
		w.h.Disable(villageA2)
		res = w.kampar.Get(regency, "/evaluations/2026")
		res.JSON(&tb)
		if tb.Total != 4 {
			t.Fatalf("after disabling: %s", res.Body)
		}
	})
}

// addIndicator creates an indicator (201) and answers it.
func addIndicator(t *testing.T, c *sdktest.Client, unit string, body map[string]any) IndicatorView {
	t.Helper()
	res := c.Post(unit, "/indicators", body)
	want(t, res, 201, "")
	var ind IndicatorView
	res.JSON(&ind)
	return ind
}

// Once a unit's evaluation of a year is published, its indicators and
// achievements of that year are locked (409 year_evaluated), and the
// regency's table keeps the figures that were evaluated; another year and
// another unit are not touched.
func TestYearLockedOnceEvaluated(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		ind := addIndicator(t, w.op, villageA, map[string]any{"year": 2026, "name": "Dokumen RKPDes", "measure": "dokumen", "target": 40})
		want(t, w.op.Post(villageA, "/indicators/"+ind.ID+"/achievements", map[string]any{"quarter": 1, "realisation": 35}), 201, "")
		path := "/evaluations/2026/" + villageA
		want(t, w.eval.Put(regency, path, full(80)), 201, "")
		// A draft locks nothing: the unit may still correct its figures.
		want(t, w.op.Post(villageA, "/indicators/"+ind.ID+"/achievements", map[string]any{"quarter": 2, "realisation": 30}), 201, "")
		want(t, w.eval.Post(regency, path+"/publish", nil), 200, "")

		res := w.op.Patch(villageA, "/indicators/"+ind.ID, map[string]any{"target": 0.01})
		want(t, res, 409, "year_evaluated")
		if !strings.Contains(string(res.Body), "2026") || !strings.Contains(string(res.Body), villageA) {
			t.Errorf("the refusal names the year and the unit: %s", res.Body)
		}
		want(t, w.op.Post(villageA, "/indicators/"+ind.ID+"/achievements", map[string]any{"quarter": 1, "realisation": 40}), 409, "year_evaluated")
		want(t, w.op.Post(villageA, "/indicators/"+ind.ID+"/achievements", map[string]any{"quarter": 3, "realisation": 40}), 409, "year_evaluated")
		want(t, multipartPost(t, w.h, w.op, villageA, "/indicators/"+ind.ID+"/achievements", map[string]string{"quarter": "1", "realisation": "40"}, "bukti.pdf", pdf), 409, "year_evaluated")
		want(t, w.op.Post(villageA, "/indicators", map[string]any{"year": 2026, "name": "Indikator susulan", "measure": "%", "target": 5}), 409, "year_evaluated")

		// Nothing changed: the indicator, its quarters, the table's figures.
		res = w.op.Get(villageA, "/indicators/"+ind.ID)
		var got IndicatorView
		res.JSON(&got)
		if got.Target != 40 || len(got.Achievements) != 2 || got.Achievements[0].Realisation != 35 || *got.Average != 81.25 {
			t.Fatalf("after the refusals: %s", res.Body)
		}
		var tb Table
		w.kampar.Get(regency, "/evaluations/2026").JSON(&tb)
		for _, row := range tb.Items {
			if row.Unit == villageA && (row.AchievementAverage == nil || *row.AchievementAverage != 81.25 || row.Indicators != 1) {
				t.Fatalf("table row: %+v", row)
			}
		}

		// Next year stays open, and so does the neighbour's 2026.
		want(t, w.op.Post(villageA, "/indicators", map[string]any{"year": 2027, "name": "Dokumen RKPDes", "measure": "dokumen", "target": 1}), 201, "")
		opA2 := w.h.User("op-a2", "operator", villageA2)
		want(t, opA2.Post(villageA2, "/indicators", map[string]any{"year": 2026, "name": "Dokumen RKPDes", "measure": "dokumen", "target": 1}), 201, "")
	})
}

// Years written are from 2015 to next year in the tenant's calendar; an
// empty patch is refused; the bounds are named.
func TestWriteBounds(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		for _, y := range []int{2014, 2028, 2090} {
			res := w.op.Post(villageA, "/indicators", map[string]any{"year": y, "name": "Tahun salah", "measure": "%", "target": 5})
			want(t, res, 422, "invalid_year")
			if !strings.Contains(string(res.Body), "2015 to 2027") {
				t.Errorf("the message names both bounds: %s", res.Body)
			}
			want(t, w.eval.Put(regency, fmt.Sprintf("/evaluations/%d/%s", y, villageA), full(80)), 422, "invalid_year")
		}
		want(t, w.eval.Put(regency, "/evaluations/2100/"+villageA, full(80)), 422, "invalid_year")
		want(t, w.op.Post(villageA, "/indicators", map[string]any{"year": 2015, "name": "Tahun pertama", "measure": "%", "target": 5}), 201, "")
		want(t, w.op.Post(villageA, "/indicators", map[string]any{"year": 2027, "name": "Tahun depan", "measure": "%", "target": 5}), 201, "")
		want(t, w.eval.Put(regency, "/evaluations/2027/"+villageA, full(80)), 201, "")

		ind := addIndicator(t, w.op, villageA, map[string]any{"year": 2026, "name": "Dokumen RKPDes", "measure": "dokumen", "target": 2})
		want(t, w.op.Patch(villageA, "/indicators/"+ind.ID, map[string]any{}), 422, "empty_patch")
		// JSON 2026.0 is the number 2026 (sdk/input reads it as such).
		res := w.op.Do("POST", villageA, "/indicators", `{"year":2026.0,"name":"Tahun bertitik","measure":"%","target":5}`)
		want(t, res, 201, "")
		var dotted IndicatorView
		res.JSON(&dotted)
		if dotted.Year != 2026 {
			t.Fatalf("2026.0: %s", res.Body)
		}
		want(t, w.op.Do("POST", villageA, "/indicators/"+dotted.ID+"/achievements", `{"quarter":1.0,"realisation":2}`), 201, "")
		res = w.op.Post(villageA, "/indicators/"+ind.ID+"/achievements", map[string]any{"quarter": 1, "realisation": 1000000000001})
		want(t, res, 422, "invalid_realisation")
		if !strings.Contains(string(res.Body), "from 0 to 1000000000000") {
			t.Errorf("the message names both bounds: %s", res.Body)
		}
	})
}

// A grant from above the unit is told where it is, and that it is not at
// the unit.
func TestUnitStaffOnlyNamesTheGrant(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		path := "/evaluations/2026/" + villageA
		want(t, w.eval.Put(regency, path, full(80)), 201, "")
		res := w.eval.Post(regency, path+"/publish", nil)
		want(t, res, 200, "")
		var v EvaluationView
		res.JSON(&v)
		regop := w.h.User("regop", "operator", regency)
		res = regop.Post(villageA, "/recommendations/"+v.Recommendations[0].ID+"/response", map[string]any{"response": "Atas nama desa", "status": "done"})
		want(t, res, 403, "unit_staff_only")
		var e struct{ Error struct{ Message string } }
		res.JSON(&e)
		if !strings.Contains(e.Error.Message, "your grant is at "+regency+",") || !strings.Contains(e.Error.Message, "at "+villageA+" itself") || strings.Contains(e.Error.Message, districtA+",") {
			t.Errorf("message: %s", e.Error.Message)
		}
	})
}
