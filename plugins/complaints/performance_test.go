package main

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/performance"
	"github.com/balaidesa/balai/sdk/sdktest"
	"github.com/balaidesa/balai/sdk/sdktest/performancetest"
)

// TestPerformance checks complaints_on_time on SQLite and PostgreSQL: the
// answers of a quarter counted at their village, on time or late, a
// regency's villages (one switched off, left out), paging, a neighbour
// refused, bad periods.
func TestPerformance(t *testing.T) {
	clock := sdktest.NewClock(time.Time{})
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		// Monday 5 January 2026, 09:00 WIB.
		clock.Set(time.Date(2026, 1, 5, 2, 0, 0, 0, time.UTC))
		for _, v := range []string{villageA, villageA2, villageB, "14.01.02.2002"} {
			h.Tenant(v)
		}
		h.Enable(regency)
		h.Disable("14.01.02.2002")
		op := h.User("op-a", "operator", villageA)
		opA2 := h.User("op-a2", "operator", villageA2)
		opB := h.User("op-b", "operator", villageB)
		viewer := h.User("viewer-a", "viewer", villageA)
		bupati := h.User("bupati", "viewer", regency)

		submit := func(c *sdktest.Client, village string, n int) []string {
			var ids []string
			for i := range n {
				var got submitted
				res := c.Post(village, "/complaints/counter", map[string]any{"category": "infrastructure",
					"description": fmt.Sprintf("Lampu jalan nomor %d di dusun mati sejak pekan lalu", i)})
				if res.JSON(&got); res.Status != http.StatusCreated {
					t.Fatalf("submit: %d %s", res.Status, res.Body)
				}
				ids = append(ids, got.ID)
			}
			return ids
		}
		respond := func(c *sdktest.Client, village, id string) {
			if res := c.Post(village, "/complaints/"+id+"/respond", map[string]string{"answer": "Sudah diganti oleh petugas desa."}); res.Status != http.StatusOK {
				t.Fatalf("respond: %d %s", res.Status, res.Body)
			}
		}
		a := submit(op, villageA, 4)
		a2 := submit(opA2, villageA2, 1)
		// Two answered the same week, within the 10 working days.
		clock.Set(time.Date(2026, 1, 7, 2, 0, 0, 0, time.UTC))
		respond(op, villageA, a[0])
		if res := op.Post(villageA, "/complaints/"+a[1]+"/reject", map[string]string{"reason": "Bukan wewenang desa, sudah diteruskan ke PLN."}); res.Status != http.StatusOK {
			t.Fatalf("reject: %d %s", res.Status, res.Body)
		}
		// One answered late, on 20 February (due 19 January).
		clock.Set(time.Date(2026, 2, 20, 2, 0, 0, 0, time.UTC))
		respond(op, villageA, a[2])
		// a[3] stays unanswered; village A2 answers in April, late.
		clock.Set(time.Date(2026, 4, 2, 2, 0, 0, 0, time.UTC))
		respond(opA2, villageA2, a2[0])

		pct := performancetest.Pct
		performancetest.Run(t, "complaints_on_time", []performancetest.Case{
			performancetest.Ask("village quarter 1", viewer, villageA, "year=2026&quarter=1", 1, map[string]performance.Value{villageA: pct(2, 3, 66.67)}),
			performancetest.Ask("village quarter 2: nothing answered", op, villageA, "year=2026&quarter=2", 1, map[string]performance.Value{villageA: {}}),
			performancetest.Ask("regency whole year", bupati, regency, "year=2026", 3, map[string]performance.Value{
				villageA: pct(2, 3, 66.67), villageA2: pct(0, 1, 0), villageB: {}}),
			performancetest.Ask("regency quarter 2, second page", bupati, regency, "year=2026&quarter=2&limit=1&page=2", 3, map[string]performance.Value{villageA2: pct(0, 1, 0)}),
			performancetest.Ask("another year", bupati, regency, "year=2025&limit=1", 3, map[string]performance.Value{villageA: {}}),
		})
		var ans performance.Answer
		bupati.Get(regency, "/performance?year=2026&quarter=1").JSON(&ans)
		if ans.From != "2026-01-01" || ans.To != "2026-03-31" || ans.Quarter != 1 || ans.Year != 2026 {
			t.Errorf("regency quarter 1: %+v", ans)
		}
		performancetest.Refused(t, op, opB, villageA, map[string]sdk.Code{"": performance.CodeInvalidYear, "year=1999": performance.CodeInvalidYear,
			"year=26": performance.CodeInvalidYear, "year=2026&quarter=5": performance.CodeInvalidQuarter,
			"year=2026&quarter=q1": performance.CodeInvalidQuarter, "year=2026&limit=501": sdk.CodeInvalidPaging})
	}, sdktest.WithClock(clock.Now))
}
