package e2e

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
)

func evp(tenant, path string) string { return p(tenant, "evaluation", path) }

// evaluationWorld is the plugin world with evaluation and complaints on
// in Kampar and Pelalawan, a regency evaluator (a role of Kampar's own
// holding evaluation.evaluations.write) and the village's own admin.
type evaluationWorld struct {
	*pluginWorld
	eval, kades *Client
}

func startEvaluation(t *testing.T, b storetest.Backend) *evaluationWorld {
	t.Helper()
	w := startPlugins(t, b, []string{"evaluation", "complaints"})
	for _, reg := range []string{"14.01", "14.05"} {
		w.enable(t, reg, "evaluation", true)
		w.enable(t, reg, "complaints", true)
	}
	w.admin.Do(t, "POST", "/api/v1/roles", map[string]any{"name": "evaluator", "permissions": []string{"evaluation.evaluations.write", "evaluation.performance.read"}}).Expect(http.StatusCreated)
	eval, _ := w.admin.CreateUser(t, "inspektur")
	w.admin.Grant(t, "14.01", "inspektur", "evaluator")
	kades, _ := w.admin.CreateUser(t, "kades-a")
	w.admin.Grant(t, villageA, "kades-a", "admin")
	return &evaluationWorld{pluginWorld: w, eval: eval, kades: kades}
}

// evalMultipart posts an achievement form with an evidence file.
func evalMultipart(t *testing.T, c *Client, path string, fields map[string]string, filename string, file []byte) *Resp {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if file != nil {
		fw, _ := mw.CreateFormFile("evidence", filename)
		fw.Write(file)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.h.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+c.Token)
	res, err := c.http().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return &Resp{Status: res.StatusCode, Header: res.Header, Body: data, t: t}
}

// worksheet scores every sub-component s.
func worksheet(s float64, recs ...string) map[string]any {
	c := map[string]any{"keberadaan": map[string]any{"score": s, "evidence": "Renstra, RKT, PK"}, "kualitas": map[string]any{"score": s}, "pemanfaatan": map[string]any{"score": s}}
	return map[string]any{"perencanaan": c, "pengukuran": c, "pelaporan": c, "evaluasi_internal": c, "recommendations": recs}
}

var evidencePDF = []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")

// thisQuarter is the year and quarter now in Kampar (WIB), and the year
// as text.
func thisQuarter() (int, int, string) {
	now := time.Now().In(time.FixedZone("WIB", 7*3600))
	return now.Year(), (int(now.Month())-1)/3 + 1, fmt.Sprint(now.Year())
}

func TestEvaluation(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startEvaluation(t, b)
		year, quarter, y := thisQuarter()

		t.Run("indicators and achievements with evidence", func(t *testing.T) {
			ind := w.op.Do(t, "POST", evp(villageA, "/indicators"), map[string]any{"year": year, "name": "Dokumen perencanaan desa disahkan", "measure": "dokumen", "target": 4}).Expect(http.StatusCreated).JSON()
			id := ind["id"].(string)
			res := evalMultipart(t, w.op, evp(villageA, "/indicators/"+id+"/achievements"), map[string]string{"quarter": fmt.Sprint(quarter), "realisation": "3", "note": "RKPDes dan APBDes"}, "berita-acara.pdf", evidencePDF).Expect(http.StatusCreated).JSON()
			if res["percent"] != 75.0 || res["evidence_url"] == nil {
				t.Fatalf("achievement: %v", res)
			}
			ev := w.op.Do(t, "GET", res["evidence_url"].(string), nil).Expect(http.StatusOK)
			if !bytes.HasPrefix(ev.Body, []byte("%PDF")) {
				t.Fatalf("evidence: %q", ev.Body)
			}
			// Lower is better: 6 days against a target of 5 is 80 %.
			low := w.op.Do(t, "POST", evp(villageA, "/indicators"), map[string]any{"year": year, "name": "Hari penyaluran bantuan", "measure": "hari", "target": 5, "higher_is_better": false}).Expect(http.StatusCreated).JSON()
			got := w.op.Do(t, "POST", evp(villageA, "/indicators/"+low["id"].(string)+"/achievements"), map[string]any{"quarter": quarter, "realisation": 6}).Expect(http.StatusCreated).JSON()
			if got["percent"] != 80.0 {
				t.Fatalf("lower is better: %v", got)
			}
			// A neighbour village cannot read or write them, nor the evidence.
			w.opB.Do(t, "GET", res["evidence_url"].(string), nil).Expect(http.StatusForbidden)
			w.opB.Do(t, "GET", evp(villageB, "/achievements/"+res["id"].(string)+"/evidence"), nil).ExpectErr(http.StatusNotFound, "achievement_not_found")
			w.opB.Do(t, "GET", evp(villageA, "/indicators/"+id), nil).Expect(http.StatusForbidden)
			w.opB.Do(t, "GET", evp(villageB, "/indicators/"+id), nil).ExpectErr(http.StatusNotFound, "indicator_not_found")
			w.opB.Do(t, "POST", evp(villageA, "/indicators/"+id+"/achievements"), map[string]any{"quarter": quarter, "realisation": 1}).Expect(http.StatusForbidden)
			// Bad input, with the documented codes.
			w.op.Do(t, "POST", evp(villageA, "/indicators"), map[string]any{"year": year, "name": "Target nol", "measure": "%", "target": 0}).ExpectErr(422, "invalid_target")
			w.op.Do(t, "POST", evp(villageA, "/indicators"), map[string]any{"year": year, "name": "Dokumen perencanaan desa disahkan", "measure": "dokumen", "target": 4}).ExpectErr(409, "duplicate_indicator")
			w.op.Do(t, "POST", evp(villageA, "/indicators"), map[string]any{"year": year, "name": "Sumber", "target": 4, "source": "weather"}).ExpectErr(422, "invalid_source")
			w.op.Do(t, "POST", evp(villageA, "/indicators/"+id+"/achievements"), map[string]any{"quarter": 0, "realisation": 1}).ExpectErr(422, "invalid_quarter")
			w.op.Do(t, "POST", evp(villageA, "/indicators/"+id+"/achievements"), map[string]any{"quarter": quarter}).ExpectErr(422, "invalid_realisation")
			evalMultipart(t, w.op, evp(villageA, "/indicators/"+id+"/achievements"), map[string]string{"quarter": fmt.Sprint(quarter), "realisation": "1"}, "x.html", []byte("<html><script>x</script></html>")).ExpectErr(415, "evidence_type_not_accepted")
			w.district.Do(t, "POST", evp("14.01", "/indicators"), map[string]any{"year": year, "name": "Di kabupaten", "measure": "%", "target": 1}).ExpectErr(422, "not_a_unit")
		})

		t.Run("sourced indicator reads complaints", func(t *testing.T) {
			// A complaint answered the day it came: 1 of 1 on time.
			sub := w.h.AnonFrom("127.0.0.41").Do(t, "POST", p(villageA, "complaints", "/complaints"), map[string]any{"category": "infrastructure", "description": "Lampu jalan di RT 02 padam sejak seminggu"}).Expect(http.StatusCreated).JSON()
			w.op.Do(t, "POST", p(villageA, "complaints", "/complaints/"+sub["id"].(string)+"/respond"), map[string]string{"answer": "Lampu sudah diganti petugas desa."}).Expect(http.StatusOK)
			ind := w.op.Do(t, "POST", evp(villageA, "/indicators"), map[string]any{"year": year, "name": "Pengaduan dijawab tepat waktu", "target": 90, "source": "complaints_on_time"}).Expect(http.StatusCreated).JSON()
			if ind["measure"] != "%" {
				t.Fatalf("sourced indicator: %v", ind)
			}
			id := ind["id"].(string)
			w.op.Do(t, "POST", evp(villageA, "/indicators/"+id+"/achievements"), map[string]any{"quarter": quarter, "realisation": 100}).ExpectErr(422, "sourced_indicator")
			a := w.op.Do(t, "POST", evp(villageA, "/indicators/"+id+"/achievements"), map[string]any{"quarter": quarter, "note": "dari modul pengaduan"}).Expect(http.StatusCreated).JSON()
			if a["realisation"] != 100.0 || a["numerator"] != 1.0 || a["denominator"] != 1.0 || a["source"] != "complaints_on_time" || a["percent"] != 111.11 || a["period_from"] == nil {
				t.Fatalf("sourced achievement: %v", a)
			}
			// finance is not loaded here: a readable refusal, not a 500.
			fin := w.op.Do(t, "POST", evp(villageA, "/indicators"), map[string]any{"year": year, "name": "Realisasi belanja", "target": 80, "source": "budget_realisation"}).Expect(http.StatusCreated).JSON()
			res := w.op.Do(t, "POST", evp(villageA, "/indicators/"+fin["id"].(string)+"/achievements"), map[string]any{"quarter": quarter}).ExpectErr(422, "source_not_available")
			if !strings.Contains(string(res.Body), "finance") {
				t.Errorf("refusal: %s", res.Body)
			}
			// A village where complaints are off: not available either.
			w.enable(t, villageA2, "complaints", false)
			op2, _ := w.admin.CreateUser(t, "op-a2")
			w.admin.Grant(t, villageA2, "op-a2", "operator")
			ind2 := op2.Do(t, "POST", evp(villageA2, "/indicators"), map[string]any{"year": year, "name": "Pengaduan dijawab tepat waktu", "target": 90, "source": "complaints_on_time"}).Expect(http.StatusCreated).JSON()
			res = op2.Do(t, "POST", evp(villageA2, "/indicators/"+ind2["id"].(string)+"/achievements"), map[string]any{"quarter": quarter}).ExpectErr(422, "source_not_available")
			if !strings.Contains(string(res.Body), "not enabled") {
				t.Errorf("module off: %s", res.Body)
			}
			// A viewer of complaints-less role: an evaluator of the regency
			// holds no complaints permission, so its column is not available.
			tb := w.eval.Do(t, "GET", evp("14.01", "/evaluations/"+y+"?limit=5"), nil).Expect(http.StatusOK).JSON()
			for _, s := range tb["sources"].([]any) {
				src := s.(map[string]any)
				if src["key"] == "complaints_on_time" && (src["available"] != false || !strings.Contains(src["reason"].(string), "complaints.complaints.read")) {
					t.Errorf("evaluator without complaints.read: %v", src)
				}
			}
		})

		t.Run("worksheet, grade, publish, recommendations", func(t *testing.T) {
			path := "/evaluations/" + y + "/" + villageA
			// The village's own admin may not evaluate its village.
			w.kades.Do(t, "PUT", evp(villageA, path), worksheet(95)).ExpectErr(http.StatusForbidden, "not_an_evaluator")
			w.kades.Do(t, "PUT", evp("14.01", path), worksheet(95)).Expect(http.StatusForbidden)
			w.op.Do(t, "PUT", evp("14.01", path), worksheet(95)).Expect(http.StatusForbidden)
			w.eval.Do(t, "PUT", evp(villageA, path), worksheet(95)).ExpectErr(422, "evaluate_at_regency")
			w.eval.Do(t, "PUT", evp("14.01", "/evaluations/"+y+"/"+villageP), worksheet(95)).ExpectErr(404, "unit_not_found")
			w.eval.Do(t, "PUT", evp("14.01", "/evaluations/20x6/"+villageA), worksheet(95)).ExpectErr(400, "invalid_year")
			w.eval.Do(t, "PUT", evp("14.01", path), worksheet(100.5)).ExpectErr(422, "invalid_score")
			w.eval.Do(t, "PUT", evp("14.01", path), map[string]any{"perencanaan": map[string]any{"kualitas": map[string]any{"score": 70}}}).Expect(http.StatusCreated)
			w.eval.Do(t, "POST", evp("14.01", path+"/publish"), nil).ExpectErr(422, "worksheet_incomplete")
			got := w.eval.Do(t, "PUT", evp("14.01", path), worksheet(72.5, "Tetapkan Perjanjian Kinerja kepala desa", "Laporkan capaian setiap triwulan")).Expect(http.StatusOK).JSON()
			if got["score"] != 72.5 || got["grade"] != "BB" || got["state"] != "draft" {
				t.Fatalf("draft: %v", got)
			}
			w.op.Do(t, "GET", evp(villageA, path), nil).ExpectErr(404, "evaluation_not_found")
			pub := w.eval.Do(t, "POST", evp("14.01", path+"/publish"), nil).Expect(http.StatusOK).JSON()
			if pub["state"] != "final" || pub["grade"] != "BB" || len(pub["recommendations"].([]any)) != 2 {
				t.Fatalf("published: %v", pub)
			}
			w.eval.Do(t, "PUT", evp("14.01", path), worksheet(99)).ExpectErr(409, "evaluation_final")

			// The unit reads its result and answers, at its own address.
			res := w.op.Do(t, "GET", evp(villageA, path), nil).Expect(http.StatusOK).JSON()
			recs := res["recommendations"].([]any)
			rid := recs[0].(map[string]any)["id"].(string)
			w.district.Do(t, "POST", evp(villageA, "/recommendations/"+rid+"/response"), map[string]any{"response": "Dijawab kabupaten", "status": "done"}).ExpectErr(403, "unit_staff_only")
			w.opB.Do(t, "POST", evp(villageB, "/recommendations/"+rid+"/response"), map[string]any{"response": "Bukan milik kami", "status": "done"}).ExpectErr(404, "recommendation_not_found")
			w.op.Do(t, "POST", evp(villageA, "/recommendations/"+rid+"/response"), map[string]any{"response": "PK kepala desa ditandatangani", "status": "maybe"}).ExpectErr(422, "invalid_status")
			w.op.Do(t, "POST", evp(villageA, "/recommendations/"+rid+"/response"), map[string]any{"response": "PK kepala desa ditandatangani", "status": "done"}).Expect(http.StatusOK)
			list := w.district.Do(t, "GET", evp("14.01", "/recommendations?year="+y+"&status=done"), nil).Expect(http.StatusOK)
			if list.Total() != 1 || list.Items()[0]["unit"] != villageA {
				t.Fatalf("regency's recommendations: %s", list.Body)
			}
		})

		t.Run("regency table counts only the units below", func(t *testing.T) {
			tb := w.district.Do(t, "GET", evp("14.01", "/evaluations/"+y+"?limit=500"), nil).Expect(http.StatusOK)
			items := tb.Items()
			if tb.Total() != len(items) || len(items) < 50 {
				t.Fatalf("Kampar has %d units, %d rows", tb.Total(), len(items))
			}
			var a map[string]any
			for _, it := range items {
				if !strings.HasPrefix(it["unit"].(string), "14.01.") {
					t.Fatalf("a unit outside Kampar: %v", it["unit"])
				}
				if it["unit"] == villageA {
					a = it
				}
			}
			ev := a["evaluation"].(map[string]any)
			m := a["measures"].(map[string]any)["complaints_on_time"].(map[string]any)
			if ev["grade"] != "BB" || ev["state"] != "final" || a["indicators"] != 4.0 || a["achievement_average"] != 88.7 || m["value"] != 100.0 || m["denominator"] != 1.0 {
				t.Fatalf("village A's row: %v", a)
			}
			for _, s := range tb.JSON()["sources"].([]any) {
				src := s.(map[string]any)
				if (src["key"] == "complaints_on_time") != (src["available"] == true) {
					t.Errorf("source %v", src)
				}
			}
			// The district's row sums its villages; its filter keeps its own.
			d := w.district.Do(t, "GET", evp("14.01", "/evaluations/"+y+"?district=14.01.01&limit=500"), nil).Expect(http.StatusOK)
			for _, it := range d.Items() {
				if !strings.HasPrefix(it["unit"].(string), "14.01.01") {
					t.Fatalf("filter: %v", it["unit"])
				}
				if it["unit"] == "14.01.01" {
					dm := it["measures"].(map[string]any)["complaints_on_time"].(map[string]any)
					if dm["denominator"] != 1.0 {
						t.Errorf("district's sum: %v", dm)
					}
				}
			}
			w.district.Do(t, "GET", evp("14.01", "/evaluations/"+y+"?quarter=7"), nil).ExpectErr(400, "invalid_quarter")
			w.district.Do(t, "GET", evp("14.01", "/evaluations/"+y+"?district=14.05.01"), nil).ExpectErr(400, "invalid_filter")
			w.op.Do(t, "GET", evp(villageA, "/evaluations/"+y), nil).ExpectErr(422, "not_a_region")
			w.pelalawanUser.Do(t, "GET", evp("14.01", "/evaluations/"+y), nil).Expect(http.StatusForbidden)
		})

		t.Run("grades at their boundaries", func(t *testing.T) {
			rows := w.district.Do(t, "GET", evp("14.01", "/evaluations/"+y+"?district=14.01.02&limit=500"), nil).Expect(http.StatusOK).Items()
			var villages []string
			for _, it := range rows {
				if it["level"] == "village" {
					villages = append(villages, it["unit"].(string))
				}
			}
			cases := []struct {
				score float64
				grade string
			}{{90.01, "AA"}, {90, "A"}, {80.01, "A"}, {80, "BB"}, {70.01, "BB"}, {70, "B"}, {60.01, "B"}, {60, "CC"}, {50.01, "CC"}, {50, "C"}, {30.01, "C"}, {30, "D"}}
			if len(villages) < len(cases) {
				t.Fatalf("district 14.01.02 has %d villages", len(villages))
			}
			want := map[string]string{}
			for i, c := range cases {
				path := "/evaluations/" + y + "/" + villages[i]
				w.eval.Do(t, "PUT", evp("14.01", path), worksheet(c.score)).Expect(http.StatusCreated)
				got := w.eval.Do(t, "POST", evp("14.01", path+"/publish"), nil).Expect(http.StatusOK).JSON()
				if got["score"] != c.score || got["grade"] != c.grade {
					t.Errorf("%.2f: %v %v, want %s", c.score, got["score"], got["grade"], c.grade)
				}
				want[villages[i]] = c.grade
			}
			sc := w.district.Do(t, "GET", evp("14.01", "/scores?year="+y+"&limit=500"), nil).Expect(http.StatusOK)
			counts := sc.JSON()["counts"].(map[string]any)
			// Village A's BB and the twelve boundaries.
			wantCounts := map[string]float64{"AA": 1, "A": 2, "BB": 3, "B": 2, "CC": 2, "C": 2, "D": 1}
			for g, n := range wantCounts {
				if counts[g] != n {
					t.Errorf("count of %s: %v, want %v (%s)", g, counts[g], n, sc.Body)
				}
			}
			for _, it := range sc.Items() {
				if g, ok := want[it["unit"].(string)]; ok && it["grade"] != g {
					t.Errorf("%s: %v, want %s", it["unit"], it["grade"], g)
				}
			}
			// A village sees only its own.
			own := w.opB.Do(t, "GET", evp(villageB, "/scores?year="+y), nil).Expect(http.StatusOK)
			for _, it := range own.Items() {
				if it["unit"] != villageB {
					t.Errorf("village B sees %v", it["unit"])
				}
			}
			w.district.Do(t, "GET", evp("14.01", "/scores"), nil).ExpectErr(400, "invalid_year")
		})
	})
}

// startAllSources is the plugin world with evaluation and its four source
// modules on in Kampar.
func startAllSources(t *testing.T, b storetest.Backend) *pluginWorld {
	t.Helper()
	mods := []string{"evaluation", "services", "complaints", "finance", "population"}
	w := startPlugins(t, b, mods)
	for _, m := range mods {
		w.enable(t, "14.01", m, true)
	}
	return w
}

// TestEvaluationTableAllSources reads the regency's table with the four
// source modules running (their real GET /performance): every source is
// available to the regency's admin, and the whole of Kampar in one page
// stays fast (one call per source module, not one per village). The
// timings are logged for BENCHMARKS.md.
func TestEvaluationTableAllSources(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startAllSources(t, b)
		y := fmt.Sprint(time.Now().Year())
		sub := w.h.AnonFrom("127.0.0.42").Do(t, "POST", p(villageA, "complaints", "/complaints"), map[string]any{"category": "social", "description": "Bantuan sosial belum sampai ke RT 04"}).Expect(http.StatusCreated).JSON()
		w.op.Do(t, "POST", p(villageA, "complaints", "/complaints/"+sub["id"].(string)+"/respond"), map[string]string{"answer": "Sudah disalurkan kemarin sore."}).Expect(http.StatusOK)
		var times []time.Duration
		var tb *Resp
		for range 7 {
			start := time.Now()
			tb = w.district.Do(t, "GET", evp("14.01", "/evaluations/"+y+"?limit=500"), nil).Expect(http.StatusOK)
			times = append(times, time.Since(start))
		}
		for _, s := range tb.JSON()["sources"].([]any) {
			if src := s.(map[string]any); src["available"] != true || src["calls"] != 1.0 {
				t.Errorf("source %v not available (%v) or not in one call (%v)", src["key"], src["reason"], src["calls"])
			}
		}
		items := tb.Items()
		if len(items) != tb.Total() || len(items) < 250 {
			t.Fatalf("%d rows of %d", len(items), tb.Total())
		}
		for _, it := range items {
			if it["unit"] == villageA {
				m := it["measures"].(map[string]any)["complaints_on_time"].(map[string]any)
				if m["value"] != 100.0 {
					t.Errorf("village A's complaints on time: %v", m)
				}
			}
		}
		slices.Sort(times)
		t.Logf("%s: GET /evaluations/%s?limit=500 over %d units with the four sources: median %s, max %s", b.Name, y, len(items), times[len(times)/2], times[len(times)-1])
		if times[len(times)/2] > 3*time.Second {
			t.Errorf("the regency's table takes %s", times[len(times)/2])
		}
	})
}

// TestEvaluationTrialFixes goes through the findings of the user trial
// (2026-12-01) with the real binaries: the README's evaluator role, made
// by the regency's admin, reads all four source modules and stays the
// regency's; a published year locks the unit's figures; years written are
// bounded by the calendar; PATCH {} and 2026.0 answer as documented; the
// refusal of a grant from above names where it is; and the console's
// refused answer keeps the year.
func TestEvaluationTrialFixes(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startAllSources(t, b)
		year, quarter, y := thisQuarter()

		// The README's role, created by the regency's admin: owned by
		// 14.01, and the four sources are available to the evaluator.
		perms := []string{"evaluation.evaluations.write", "evaluation.performance.read",
			"services.requests.read", "complaints.complaints.read", "finance.budgets.read", "population.residents.read"}
		role := w.district.Do(t, "POST", "/api/v1/roles", map[string]any{"name": "evaluator-1401", "permissions": perms}).Expect(http.StatusCreated).JSON()
		if role["tenant"] != "14.01" {
			t.Fatalf("the regency admin's role: %v", role)
		}
		// A superadmin's, without "tenant", is deployment-wide (README).
		if g := w.admin.Do(t, "POST", "/api/v1/roles", map[string]any{"name": "evaluator-global", "permissions": perms}).Expect(http.StatusCreated).JSON(); g["tenant"] != "*" {
			t.Fatalf("the superadmin's role: %v", g)
		}
		eval, _ := w.admin.CreateUser(t, "inspektur")
		w.admin.Grant(t, "14.01", "inspektur", "evaluator-1401")
		tb := eval.Do(t, "GET", evp("14.01", "/evaluations/"+y+"?limit=5"), nil).Expect(http.StatusOK).JSON()
		for _, s := range tb["sources"].([]any) {
			if src := s.(map[string]any); src["available"] != true {
				t.Errorf("the README's evaluator cannot read %v: %v", src["key"], src["reason"])
			}
		}

		// Years written: from 2015 to next year; 2026.0 is a whole number.
		w.op.Do(t, "POST", evp(villageA, "/indicators"), map[string]any{"year": 2090, "name": "Tahun jauh", "measure": "%", "target": 5}).ExpectErr(422, "invalid_year")
		w.op.Do(t, "POST", evp(villageA, "/indicators"), map[string]any{"year": 2014, "name": "Tahun lama", "measure": "%", "target": 5}).ExpectErr(422, "invalid_year")
		eval.Do(t, "PUT", evp("14.01", "/evaluations/2100/"+villageA), worksheet(80)).ExpectErr(422, "invalid_year")
		eval.Do(t, "PUT", evp("14.01", fmt.Sprintf("/evaluations/%d/%s", year+2, villageA)), worksheet(80)).ExpectErr(422, "invalid_year")
		ind := w.op.Do(t, "POST", evp(villageA, "/indicators"), fmt.Sprintf(`{"year":%d.0,"name":"Dokumen RKPDes","measure":"dokumen","target":4}`, year)).Expect(http.StatusCreated).JSON()
		if ind["year"] != float64(year) {
			t.Fatalf("year %d.0: %v", year, ind)
		}
		id := ind["id"].(string)
		w.op.Do(t, "PATCH", evp(villageA, "/indicators/"+id), map[string]any{}).ExpectErr(422, "empty_patch")
		res := w.op.Do(t, "POST", evp(villageA, "/indicators/"+id+"/achievements"), map[string]any{"quarter": quarter, "realisation": 1000000000001}).ExpectErr(422, "invalid_realisation")
		if !strings.Contains(string(res.Body), "from 0 to 1000000000000") {
			t.Errorf("realisation's bounds: %s", res.Body)
		}
		w.op.Do(t, "POST", evp(villageA, "/indicators/"+id+"/achievements"), map[string]any{"quarter": quarter, "realisation": 3}).Expect(http.StatusCreated)

		// Published: the unit's figures of the year are locked.
		path := "/evaluations/" + y + "/" + villageA
		eval.Do(t, "PUT", evp("14.01", path), worksheet(75, "Tetapkan Perjanjian Kinerja kepala desa", "Laporkan capaian setiap triwulan")).Expect(http.StatusCreated)
		pub := eval.Do(t, "POST", evp("14.01", path+"/publish"), nil).Expect(http.StatusOK).JSON()
		w.op.Do(t, "PATCH", evp(villageA, "/indicators/"+id), map[string]any{"target": 0.01}).ExpectErr(409, "year_evaluated")
		w.op.Do(t, "POST", evp(villageA, "/indicators/"+id+"/achievements"), map[string]any{"quarter": quarter, "realisation": 4}).ExpectErr(409, "year_evaluated")
		evalMultipart(t, w.op, evp(villageA, "/indicators/"+id+"/achievements"), map[string]string{"quarter": fmt.Sprint(quarter), "realisation": "4"}, "bukti.pdf", evidencePDF).ExpectErr(409, "year_evaluated")
		w.op.Do(t, "POST", evp(villageA, "/indicators"), map[string]any{"year": year, "name": "Indikator susulan", "measure": "%", "target": 1}).ExpectErr(409, "year_evaluated")
		for _, it := range w.district.Do(t, "GET", evp("14.01", "/evaluations/"+y+"?district=14.01.01&limit=500"), nil).Expect(http.StatusOK).Items() {
			if it["unit"] == villageA && (it["achievement_average"] != 75.0 || it["evaluation"].(map[string]any)["grade"] != "BB") {
				t.Errorf("village A's row after the refusals: %v", it)
			}
		}

		// A grant from above is told where it is.
		rid := pub["recommendations"].([]any)[0].(map[string]any)["id"].(string)
		res = w.district.Do(t, "POST", evp(villageA, "/recommendations/"+rid+"/response"), map[string]any{"response": "Dijawab kabupaten", "status": "done"}).ExpectErr(403, "unit_staff_only")
		if !strings.Contains(string(res.Body), "your grant is at 14.01,") || !strings.Contains(string(res.Body), "at "+villageA+" itself") {
			t.Errorf("unit_staff_only: %s", res.Body)
		}

		// The console: one id per form field on the page, and a refused
		// answer comes back to the year.
		_, pw := w.admin.CreateUser(t, "sekdes-a")
		w.admin.Grant(t, villageA, "sekdes-a", "operator")
		c := newConsoleClient(t, w.h)
		c.do("GET", "/login", nil)
		if st, body, _ := c.do("POST", "/login", url.Values{"username": {"sekdes-a"}, "password": {pw}}); st != http.StatusSeeOther {
			t.Fatalf("login: %d %s", st, body)
		}
		st, page, _ := c.do("GET", "/console/"+villageA+"/m/evaluation/result?year="+y, nil)
		if st != http.StatusOK {
			t.Fatalf("result page: %d", st)
		}
		ids := regexp.MustCompile(` id="([^"]+)"`).FindAllStringSubmatch(page, -1)
		seen := map[string]bool{}
		for _, m := range ids {
			if seen[m[1]] {
				t.Errorf("id %q twice on the result page", m[1])
			}
			seen[m[1]] = true
		}
		if !seen["rec1-f-response"] || !seen["rec2-f-response"] {
			t.Errorf("the two recommendation forms: %v", seen)
		}
		st, _, hdr := c.do("POST", "/console/"+villageA+"/m/evaluation/recommendations/"+rid, url.Values{"response": {""}, "status": {"done"}, "year": {y}})
		if st != http.StatusSeeOther || !strings.HasSuffix(hdr.Get("Location"), "/evaluation/result?year="+y) {
			t.Errorf("refused answer: %d %s", st, hdr.Get("Location"))
		}
	})
}
