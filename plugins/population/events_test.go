package main

import (
	"testing"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

func TestLifeEvents(t *testing.T) {
	h := sdktest.New(t, &plugin)
	h.Tenant(villageA)
	h.Tenant(villageB)
	h.Enable("14.01")
	op := h.User("op-a", "operator", villageA)
	kecamatan := h.User("camat", "operator", "14.01") // may write in both villages
	const kk = "1401012001150001"
	var head, wife residentView
	op.Post(villageA, "/residents", resident("1401011503800001", kk, "Budi", "L", "1980-03-15", "1")).JSON(&head)
	op.Post(villageA, "/residents", resident("1401014508850002", kk, "Siti", "P", "1985-08-05", "3")).JSON(&wife)

	// Birth: joins an existing family.
	baby := map[string]any{"type": "birth", "date": "2025-06-10", "place": "Puskesmas Kumantan",
		"resident": map[string]string{"nik": "1401015006250003", "kk": kk, "name": "Putri", "sex": "P"}}
	res := op.Post(villageA, "/events", baby)
	var born residentView
	if res.JSON(&born); res.Status != 201 || born.BirthDate != "2025-06-10" || born.Relationship != "4" {
		t.Fatalf("birth: %d %s", res.Status, res.Body)
	}
	orphan := map[string]any{"type": "birth", "date": "2025-06-10",
		"resident": map[string]string{"nik": "1401015006250004", "kk": "1401012001159999", "name": "X", "sex": "P"}}
	if res := op.Post(villageA, "/events", orphan); res.ErrorCode() != "unknown_family" {
		t.Errorf("birth into no family: %d %s", res.Status, res.Body)
	}
	if res := op.Post(villageA, "/events", map[string]any{"type": "birth", "date": "2999-01-01"}); res.ErrorCode() != "invalid_date" {
		t.Errorf("future birth: %s", res.Body)
	}
	// Death: once.
	death := map[string]any{"type": "death", "date": "2026-01-02", "resident_id": head.ID, "place": "RSUD Bangkinang", "cause": "sakit"}
	var dead residentView
	res = op.Post(villageA, "/events", death)
	if res.JSON(&dead); res.Status != 200 || dead.Status != "deceased" {
		t.Fatalf("death: %d %s", res.Status, res.Body)
	}
	if res := op.Post(villageA, "/events", death); res.Status != 409 || res.ErrorCode() != "not_alive" {
		t.Errorf("second death: %d %s", res.Status, res.Body)
	}
	// A move to a village where the operator may not write is refused and
	// changes nothing.
	mv := map[string]any{"type": "move", "date": "2026-02-01", "resident_id": wife.ID, "to_tenant": villageB, "kk": "1401022001260001"}
	if res := op.Post(villageA, "/events", mv); res.Status != 403 {
		t.Errorf("move without rights in the destination: %d %s", res.Status, res.Body)
	}
	var list sdk.ListOf[residentView]
	h.Admin().Get(villageB, "/residents").JSON(&list)
	if list.Total != 0 {
		t.Fatalf("a refused move left %d residents in B", list.Total)
	}
	// The sub-district operator moves her: record, history and new entry.
	var moved residentView
	res = kecamatan.Post(villageA, "/events", mv)
	if res.JSON(&moved); res.Status != 200 || moved.Tenant != villageB {
		t.Fatalf("move: %d %s", res.Status, res.Body)
	}
	h.Admin().Get(villageA, "/residents?status=alive").JSON(&list)
	if list.Total != 1 { // only the baby stays
		t.Errorf("%d alive residents left in A, want 1", list.Total)
	}
	h.Admin().Get(villageB, "/residents").JSON(&list)
	if list.Total != 1 || list.Items[0].KK != "1401022001260001" {
		t.Errorf("B after the move: %+v", list)
	}
	var hist sdk.ListOf[struct {
		Type, Tenant string
		Detail       map[string]any
	}]
	h.Admin().Get(villageB, "/residents/"+wife.ID+"/history").JSON(&hist)
	// Ordered by event date: the February move, then today's registration.
	if hist.Total != 2 || hist.Items[0].Type != "move" || hist.Items[1].Type != "registered" ||
		hist.Items[0].Tenant != villageB || hist.Items[1].Tenant != villageB || hist.Items[0].Detail["from"] != villageA {
		t.Errorf("history after the move: %+v", hist.Items)
	}
	// Move in from outside the deployment.
	in := map[string]any{"type": "move_in", "date": "2026-03-01", "origin": "Kota Pekanbaru",
		"resident": map[string]string{"nik": "1471011203900005", "kk": "1401012001260002", "name": "Joko", "sex": "L", "birth_date": "1990-03-12", "relationship": "1"}}
	if res := op.Post(villageA, "/events", in); res.Status != 201 {
		t.Errorf("move in: %d %s", res.Status, res.Body)
	}
	if res := op.Post(villageA, "/events", map[string]any{"type": "wedding", "date": "2026-01-01"}); res.ErrorCode() != "invalid_type" {
		t.Errorf("unknown event type: %s", res.Body)
	}
}
