package main

import (
	"net/http"
	"testing"

	"github.com/balaidesa/balai/sdk/sdktest"
)

// What letters about life events print comes from the register: the
// recorded death (date, place, cause), move out (date, destination) and a
// child of the family, through GET /residents/{id}/life-events for an
// operator and through /verify for a citizen who proved who they are.
func TestLifeEventsForLetters(t *testing.T) { sdktest.Each(t, &plugin, testLifeEventsForLetters) }

func testLifeEventsForLetters(t *testing.T, h *sdktest.Host) {
	h.Tenant(villageA)
	h.Tenant(villageB)
	h.Enable("14.01")
	op := h.User("op-a", "operator", villageA)
	opB := h.User("op-b", "operator", villageB)
	viewer := h.User("viewer-a", "viewer", villageA)
	anon := h.Anonymous()
	const kk, otherKK = "1401012001150001", "1401012001150002"
	var budi, siti, joko residentView
	b := resident("1401011503800001", kk, "Budi Santoso", "L", "1980-03-15", "1")
	b["mother_name"] = "Siti Rahmah"
	op.Post(villageA, "/residents", b).JSON(&budi)
	s := resident("1401014508850002", kk, "Siti Aminah", "P", "1985-08-05", "3")
	s["mother_name"] = "Nur'aini"
	op.Post(villageA, "/residents", s).JSON(&siti)
	j := resident("1401011001900003", otherKK, "Joko", "L", "1990-01-10", "1")
	j["mother_name"] = "Rohani"
	op.Post(villageA, "/residents", j).JSON(&joko)
	if budi.ID == "" || siti.ID == "" || joko.ID == "" {
		t.Fatal("residents not created")
	}
	// A child born into Budi's family, with the place of birth recorded
	// with the event only.
	var putri residentView
	if res := op.Post(villageA, "/events", map[string]any{"type": "birth", "date": "2025-06-10", "place": "Puskesmas Kumantan",
		"resident": map[string]string{"nik": "1401015006250004", "kk": kk, "name": "Putri Ayu", "sex": "P"}}); res.Status != http.StatusCreated {
		t.Fatalf("birth: %d %s", res.Status, res.Body)
	} else {
		res.JSON(&putri)
	}

	lifeEventsOf := func(c *sdktest.Client, id, query string) (*sdktest.Response, lifeEvents) {
		var ev lifeEvents
		res := c.Get(villageA, "/residents/"+id+"/life-events"+query)
		res.JSON(&ev)
		return res, ev
	}
	// Alive, nothing recorded but (for Putri) the birth.
	if res, ev := lifeEventsOf(op, budi.ID, ""); res.Status != 200 || ev.Death != nil || ev.MoveOut != nil || ev.Birth != nil {
		t.Errorf("an alive resident's life events: %d %s", res.Status, res.Body)
	}
	if _, ev := lifeEventsOf(op, putri.ID, ""); ev.Birth == nil || ev.Birth.Date != "2025-06-10" || ev.Birth.Place != "Puskesmas Kumantan" {
		t.Errorf("a newborn's birth: %+v", ev.Birth)
	}
	// A viewer sees the birth year only, as in the history.
	if _, ev := lifeEventsOf(viewer, putri.ID, ""); ev.Birth == nil || ev.Birth.Date != "2025" {
		t.Errorf("a viewer sees the birth as %+v", ev.Birth)
	}

	// Budi dies and Joko moves away: the register records both.
	if res := op.Post(villageA, "/events", map[string]any{"type": "death", "date": "2026-01-02", "resident_id": budi.ID,
		"place": "RSUD Bangkinang", "cause": "sakit jantung"}); res.Status != 200 {
		t.Fatalf("death: %d %s", res.Status, res.Body)
	}
	if res := op.Post(villageA, "/events", map[string]any{"type": "move_out", "date": "2026-02-01", "resident_id": joko.ID,
		"place": "Pekanbaru"}); res.Status != 200 {
		t.Fatalf("move out: %d %s", res.Status, res.Body)
	}
	if res, ev := lifeEventsOf(op, budi.ID, ""); res.Status != 200 || ev.Death == nil ||
		*ev.Death != (lifeEvent{Date: "2026-01-02", Place: "RSUD Bangkinang", Cause: "sakit jantung"}) {
		t.Errorf("the recorded death: %d %s", res.Status, res.Body)
	}
	if _, ev := lifeEventsOf(op, joko.ID, ""); ev.MoveOut == nil || *ev.MoveOut != (lifeEvent{Date: "2026-02-01", Destination: "Pekanbaru"}) {
		t.Errorf("the recorded move out: %+v", ev.MoveOut)
	}

	// A child of the family by NIK: the register's name, sex, birth date,
	// and the birth event's place where the resident has none.
	res, ev := lifeEventsOf(op, siti.ID, "?child_nik=1401015006250004")
	if res.Status != 200 || ev.Child == nil || *ev.Child != (childFacts{ID: putri.ID, Name: "Putri Ayu", Sex: "P",
		BirthPlace: "Puskesmas Kumantan", BirthDate: "2025-06-10", BirthEvent: true}) {
		t.Errorf("the child of the family: %d %s", res.Status, res.Body)
	}
	for _, c := range []struct{ name, id, nik string }{
		{"not of the family", joko.ID, "1401015006250004"},
		{"not registered", siti.ID, "1401015006250009"},
	} {
		if res, ev := lifeEventsOf(op, c.id, "?child_nik="+c.nik); res.Status != 200 || ev.Child != nil {
			t.Errorf("child %s: %d %s", c.name, res.Status, res.Body)
		}
	}
	// Finding a child by a full NIK is a lookup: not for viewers.
	if res, _ := lifeEventsOf(viewer, siti.ID, "?child_nik=1401015006250004"); res.Status != http.StatusForbidden || res.ErrorCode() != "forbidden_filter" {
		t.Errorf("a viewer's child lookup: %d %s", res.Status, res.Body)
	}
	// Other villages and unknown ids see nothing.
	if res := opB.Get(villageA, "/residents/"+budi.ID+"/life-events"); res.Status != http.StatusForbidden {
		t.Errorf("another village's operator: %d %s", res.Status, res.Body)
	}
	if res := op.Get(villageA, "/residents/0190a1b2-0000-7000-8000-000000000000/life-events"); res.Status != http.StatusNotFound || res.ErrorCode() != "resident_not_found" {
		t.Errorf("unknown resident: %d %s", res.Status, res.Body)
	}

	// A citizen proving the deceased's identity gets the recorded death
	// with the letter data, and a parent the child asked for.
	var got letterData
	res = anon.Post(villageA, "/verify", map[string]string{"nik": "1401011503800001", "kk": kk, "mother_name": "SITI  RAHMAH"})
	if res.JSON(&got); res.Status != 200 || got.Status != "deceased" || got.Death == nil || got.Death.Date != "2026-01-02" || got.Death.Place != "RSUD Bangkinang" {
		t.Errorf("verify of a deceased resident: %d %s", res.Status, res.Body)
	}
	got = letterData{}
	res = anon.Post(villageA, "/verify", map[string]string{"nik": "1401014508850002", "kk": kk, "mother_name": "NUR\u2019AINI", "child_nik": "1401015006250004"})
	if res.JSON(&got); res.Status != 200 || got.Death != nil || got.Child == nil || got.Child.Name != "Putri Ayu" || got.Child.BirthDate != "2025-06-10" {
		t.Errorf("verify with a child of the family: %d %s", res.Status, res.Body)
	}
	got = letterData{}
	res = anon.Post(villageA, "/verify", map[string]string{"nik": "1401014508850002", "kk": kk, "mother_name": "Nur'aini", "child_nik": "1401011001900003"})
	if res.JSON(&got); res.Status != 200 || got.Child != nil {
		t.Errorf("verify with someone else's child: %d %s", res.Status, res.Body)
	}
}
