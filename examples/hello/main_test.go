package main

import (
	"net/http"
	"testing"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

func TestHello(t *testing.T) {
	h := sdktest.New(t, &plugin)
	const village, neighbour = "14.01.01.2009", "14.01.01.2010"
	h.Tenant(village)
	h.Tenant(neighbour)
	h.Enable("14.01")
	op := h.User("siti", "operator", village)

	var greeting map[string]string
	op.Get(village, "/greeting").JSON(&greeting)
	if greeting["tenant"] != village || greeting["user"] != "siti" {
		t.Errorf("greeting = %v", greeting)
	}
	res := op.Post(village, "/notes", map[string]string{"text": "rapat desa"})
	var note sdk.Record
	if res.JSON(&note); res.Status != http.StatusCreated || note.ID == "" {
		t.Fatalf("POST /notes: %d %s", res.Status, res.Body)
	}
	var list sdk.ListOf[sdk.Record]
	op.Get(village, "/notes").JSON(&list)
	if list.Total != 1 || list.Items[0].ID != note.ID {
		t.Errorf("notes = %+v", list)
	}
	// The neighbouring village sees none of it, and siti may not work there.
	if res := op.Get(neighbour, "/notes"); res.Status != http.StatusForbidden {
		t.Errorf("operator in the neighbour village: %d, want 403", res.Status)
	}
	h.User("budi", "operator", neighbour).Get(neighbour, "/notes").JSON(&list)
	if list.Total != 0 {
		t.Errorf("neighbour sees %d notes, want 0", list.Total)
	}
	// A viewer reads but does not write; an empty note is refused.
	viewer := h.User("ani", "viewer", village)
	if res := viewer.Post(village, "/notes", map[string]string{"text": "x"}); res.Status != http.StatusForbidden {
		t.Errorf("viewer POST: %d, want 403", res.Status)
	}
	if res := op.Post(village, "/notes", map[string]string{}); res.Status != http.StatusUnprocessableEntity || !res.Is(sdk.ErrInvalid) {
		t.Errorf("empty note: %d %s, want 422 invalid", res.Status, res.Body)
	}
	h.Disable(village)
	if res := op.Get(village, "/notes"); res.Status != http.StatusNotFound || res.ErrorCode() != "module_not_enabled" {
		t.Errorf("disabled module: %d %s", res.Status, res.Body)
	}
}
