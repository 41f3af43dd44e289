package main

import (
	"testing"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// The vendor's own test, with the kit: a real host in-process.
func TestPosyandu(t *testing.T) {
	h := sdktest.New(t, &Plugin)
	const village, neighbour = "14.01.01.2009", "14.01.01.2010"
	h.Tenant(village)
	h.Tenant(neighbour)
	h.Enable("14.01")
	op := h.User("siti", "operator", village)
	district := h.User("camat", "admin", "14.01")

	res := op.Post(village, "/visits", map[string]any{"child_nik": "1401010101200001", "child_name": "Ayu", "weight_kg": 9.5})
	if res.Status != 201 {
		t.Fatalf("POST /visits: %d %s", res.Status, res.Body)
	}
	var rec struct {
		ID   string
		Data Visit
	}
	res.JSON(&rec)
	if rec.Data.ChildNIK != "1401010101200001" || rec.Data.VisitDate == "" {
		t.Errorf("stored %+v", rec.Data)
	}
	if res := op.Get(village, "/visits/"+rec.ID); res.Status != 200 {
		t.Errorf("GET the visit: %d %s", res.Status, res.Body)
	}
	if res := op.Get(village, "/visits/00000000-0000-0000-0000-000000000000"); !res.Is(sdk.ErrNotFound) {
		t.Errorf("GET an unknown visit: %d %s", res.Status, res.Body)
	}
	if res := op.Post(village, "/visits", map[string]any{"child_nik": "1401010101200001", "child_name": "Ayu", "weight_kg": 9.5, "visit_date": "2999-01-01"}); res.ErrorCode() != codeFutureDate {
		t.Errorf("a visit in the future: %d %s", res.Status, res.Body)
	}
	if res := op.Post(village, "/visits", map[string]any{"child_nik": "1401", "child_name": "Ayu", "weight_kg": 9.5}); !res.Is(sdk.ErrInvalid) {
		t.Errorf("a short NIK: %d %s", res.Status, res.Body)
	}
	if res := op.Post(neighbour, "/visits", map[string]any{"child_nik": "1401010101200002", "child_name": "Budi", "weight_kg": 8}); !res.Is(sdk.ErrForbidden) {
		t.Errorf("an operator of another village: %d %s", res.Status, res.Body)
	}

	var roll struct {
		Villages []struct {
			Village string
			Visits  int64
		}
	}
	res = district.Get("14.01", "/rollup")
	res.JSON(&roll)
	if res.Status != 200 || len(roll.Villages) != 1 || roll.Villages[0].Village != village || roll.Villages[0].Visits != 1 {
		t.Errorf("roll-up: %d %s", res.Status, res.Body)
	}
}
