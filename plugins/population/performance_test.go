package main

import (
	"net/http"
	"testing"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/performance"
	"github.com/balaidesa/balai/sdk/sdktest"
	"github.com/balaidesa/balai/sdk/sdktest/performancetest"
)

// TestPerformance checks records_complete on SQLite and PostgreSQL: each
// missing field and a temporary NIK make a record incomplete, the dead are
// not counted, a regency lists its villages, a neighbour is refused.
func TestPerformance(t *testing.T) { sdktest.Each(t, &plugin, testPerformance) }

func testPerformance(t *testing.T, h *sdktest.Host) {
	const villageA2 = "14.01.01.2010"
	for _, v := range []string{villageA, villageA2, villageB} {
		h.Tenant(v)
	}
	h.Enable("14.01")
	op := h.User("op-a", "operator", villageA)
	opB := h.User("op-b", "operator", villageB)
	bupati := h.User("bupati", "viewer", "14.01")
	const kk = "1401012001150001"

	complete := func(nik, name, birth, rel string) map[string]any {
		return map[string]any{"nik": nik, "kk": kk, "name": name, "sex": "L", "birth_date": birth, "relationship": rel,
			"birth_place": "Kampar", "religion": "1", "education": "5", "occupation": "9", "marital_status": "2"}
	}
	without := func(field string) map[string]any {
		r := complete("", "Warga tanpa "+field, "1990-01-01", "4")
		delete(r, field)
		r["nik_temporary"] = false
		return r
	}
	// Two complete records; then one missing each field, and one with a
	// temporary number: incomplete.
	bodies := []map[string]any{complete("1401011503800001", "Budi Santoso", "1980-03-15", "1"), complete("1401011503800002", "Joko", "1980-03-15", "4")}
	for i, f := range []string{"birth_place", "religion", "education", "occupation", "marital_status"} {
		b := without(f)
		b["nik"] = []string{"1401010101900003", "1401010101900004", "1401010101900005", "1401010101900006", "1401010101900007"}[i]
		bodies = append(bodies, b)
	}
	temp := complete("", "Bayi", "2025-06-10", "4")
	temp["nik_temporary"] = true
	bodies = append(bodies, temp)
	var ids []string
	for _, b := range bodies {
		var v residentView
		res := op.Post(villageA, "/residents", b)
		if res.JSON(&v); res.Status != http.StatusCreated {
			t.Fatalf("create %v: %d %s", b["name"], res.Status, res.Body)
		}
		ids = append(ids, v.ID)
	}
	// Joko dies: no longer counted, complete or not.
	if res := op.Post(villageA, "/events", map[string]any{"type": "death", "date": "2026-01-02", "resident_id": ids[1], "place": "RSUD Bangkinang"}); res.Status != http.StatusOK {
		t.Fatalf("death: %d %s", res.Status, res.Body)
	}

	pct := performancetest.Pct
	performancetest.Run(t, "records_complete", []performancetest.Case{
		performancetest.Ask("village: 1 of 7 living complete", op, villageA, "year=2026&quarter=1", 1, map[string]performance.Value{villageA: pct(1, 7, 14.29)}),
		performancetest.Ask("the period does not apply", op, villageA, "year=2020", 1, map[string]performance.Value{villageA: pct(1, 7, 14.29)}),
		performancetest.Ask("regency", bupati, "14.01", "year=2026", 3, map[string]performance.Value{villageA: pct(1, 7, 14.29), villageA2: {}, villageB: {}}),
	})
	// Completing a record counts at once (the kept results follow writes).
	if res := op.Patch(villageA, "/residents/"+ids[2], map[string]any{"birth_place": "Bangkinang"}); res.Status != http.StatusOK {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	var ans performance.Answer
	if bupati.Get("14.01", "/performance?year=2026&limit=1").JSON(&ans); ans.Items[0].Values["records_complete"].Numerator != 2 {
		t.Errorf("after completing a record: %+v", ans.Items)
	}
	performancetest.Refused(t, op, opB, villageA, map[string]sdk.Code{"quarter=1": performance.CodeInvalidYear, "year=2026&quarter=1.5": performance.CodeInvalidQuarter})
}
