package main

import (
	"net/http"
	"testing"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/performance"
	"github.com/balaidesa/balai/sdk/sdktest"
	"github.com/balaidesa/balai/sdk/sdktest/performancetest"
)

// TestPerformance checks budget_realisation on SQLite and PostgreSQL: the
// spending realised up to a quarter's end against the approved budget, a
// village with a draft only (null), the regency's villages, a neighbour
// refused, bad periods.
func TestPerformance(t *testing.T) { sdktest.Each(t, &plugin, testPerformance) }

func testPerformance(t *testing.T, h *sdktest.Host) {
	const villageA2 = "14.01.01.2010"
	for _, v := range []string{villageA, villageA2, villageB, villageC} {
		h.Tenant(v)
	}
	h.Enable("14.01")
	h.Enable("14.05")
	op := h.User("op-a", "operator", villageA)
	head := h.User("kades-a", "admin", villageA)
	opB := h.User("op-b", "operator", villageB)
	viewer := h.User("bupati", "viewer", "14.01")

	// Village A approves its budget: spending 1.1 billion.
	if res := op.Put(villageA, "/budgets/2026", map[string]any{"lines": balanced()}); res.Status != http.StatusOK {
		t.Fatalf("draft: %d %s", res.Status, res.Body)
	}
	if res := head.Post(villageA, "/budgets/2026/approve", map[string]string{"perdes_number": "Perdes No. 1 Tahun 2026", "perdes_date": "2026-01-05"}); res.Status != http.StatusOK {
		t.Fatalf("approve: %d %s", res.Status, res.Body)
	}
	for _, e := range []map[string]any{
		{"section": "spending", "code": "2.3.01", "account": "5.3", "date": "2026-03-01", "amount": 250_000_000, "description": "Termin I jalan desa"},
		{"section": "spending", "code": "1.1.01", "account": "5.1.1", "date": "2026-05-10", "amount": 25_000_000, "description": "Siltap Mei"},
		// Income is not spending: not counted.
		{"section": "income", "code": "4.2.1", "date": "2026-02-01", "amount": 400_000_000, "description": "Dana Desa tahap I"},
	} {
		if res := op.Post(villageA, "/budgets/2026/realisations", e); res.Status != http.StatusCreated {
			t.Fatalf("realisation: %d %s", res.Status, res.Body)
		}
	}
	// Village A2 has a draft only: nothing to measure against.
	if res := h.User("op-a2", "operator", villageA2).Put(villageA2, "/budgets/2026", map[string]any{"lines": balanced()}); res.Status != http.StatusOK {
		t.Fatalf("draft A2: %d %s", res.Status, res.Body)
	}

	pct := performancetest.Pct
	performancetest.Run(t, "budget_realisation", []performancetest.Case{
		performancetest.Ask("quarter 1", op, villageA, "year=2026&quarter=1", 1, map[string]performance.Value{villageA: pct(250_000_000, 1_100_000_000, 22.73)}),
		performancetest.Ask("quarter 2: up to 30 June", op, villageA, "year=2026&quarter=2", 1, map[string]performance.Value{villageA: pct(275_000_000, 1_100_000_000, 25)}),
		performancetest.Ask("regency, whole year", viewer, "14.01", "year=2026", 3, map[string]performance.Value{
			villageA: pct(275_000_000, 1_100_000_000, 25), villageA2: {}, villageB: {}}),
		performancetest.Ask("regency, a year without budgets", viewer, "14.01", "year=2027&limit=2", 3, map[string]performance.Value{villageA: {}, villageA2: {}}),
	})
	performancetest.Refused(t, op, opB, villageA, map[string]sdk.Code{"": performance.CodeInvalidYear, "year=2101": performance.CodeInvalidYear,
		"year=2026&quarter=0x": performance.CodeInvalidQuarter, "year=2026&quarter=-1": performance.CodeInvalidQuarter})
}
