package main

import (
	"net/http"
	"testing"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// clerk returns a user of villageA whose role may register residents and
// look them up but not see their numbers (no read_personal): what a
// district could give a temporary helper. Every write path must then work
// from revealed reads and never write back what the clerk sees masked.
func clerk(t *testing.T, h *sdktest.Host) *sdktest.Client {
	t.Helper()
	role := map[string]any{"name": "clerk", "permissions": []string{permRead, permWrite, permLookup}}
	if res := h.Admin().API("POST", "/api/v1/roles", role); res.Status != http.StatusCreated {
		t.Fatalf("creating the clerk role: %d %s", res.Status, res.Body)
	}
	return h.User("clerk-a", "clerk", villageA)
}

// TestMaskedWriter: a caller who reads NIK and KK masked can still create,
// patch, record life events and read history; the plugin reads the real
// values revealed (audited with a purpose), answers only masked ones, and
// never writes a masked value back.
func TestMaskedWriter(t *testing.T) { sdktest.Each(t, &plugin, testMaskedWriter) }

func testMaskedWriter(t *testing.T, h *sdktest.Host) {
	h.Tenant(villageA)
	h.Tenant(villageB)
	h.Enable("14.01")
	c := clerk(t, h)
	admin := h.Admin()
	const kk = "1401012001150001"

	res := c.Post(villageA, "/residents", resident("1401011503800001", kk, "Budi Santoso", "L", "1980-03-15", "1"))
	var budi residentView
	if res.JSON(&budi); res.Status != http.StatusCreated || budi.NIK != "1401**********01" || budi.KK != "1401**********01" || !budi.Masked {
		t.Fatalf("create by the clerk: %d %s", res.Status, res.Body)
	}
	// A patch writes only what it names: the stored NIK and KK stay whole.
	res = c.Do("PATCH", villageA, "/residents/"+budi.ID, map[string]string{"address": "Jl. Lintas Timur", "rt": "002"})
	var patched residentView
	if res.JSON(&patched); res.Status != http.StatusOK || patched.NIK != "1401**********01" || patched.Address != "Jl. Lintas Timur" {
		t.Fatalf("patch by the clerk: %d %s", res.Status, res.Body)
	}
	// A patch is still checked against the real NIK (a masked one would be
	// refused): a birth date it disagrees with is kept, with a warning.
	var warned residentView
	res = c.Do("PATCH", villageA, "/residents/"+budi.ID, map[string]string{"birth_date": "1981-03-15"})
	if res.JSON(&warned); res.Status != http.StatusOK || len(warned.NIKWarnings) != 1 || warned.NIKWarnings[0].Code != warnNIKBirthDate {
		t.Errorf("patching a birth date the NIK disagrees with: %d %s", res.Status, res.Body)
	}
	c.Do("PATCH", villageA, "/residents/"+budi.ID, map[string]string{"birth_date": "1980-03-15"})
	var full residentView
	admin.Get(villageA, "/residents/"+budi.ID).JSON(&full)
	if full.NIK != "1401011503800001" || full.KK != kk || full.RT != "002" || full.Relationship != "1" || full.Religion != "1" {
		t.Errorf("after the clerk's patch the register holds %+v", full.Resident)
	}
	// A death is written to the history under the real NIK (a masked one
	// would be refused by the host).
	res = c.Post(villageA, "/events", map[string]any{"type": "death", "date": "2026-01-02", "resident_id": budi.ID, "place": "RSUD Bangkinang"})
	var dead residentView
	if res.JSON(&dead); res.Status != http.StatusOK || dead.Status != StatusDeceased || dead.NIK != "1401**********01" {
		t.Fatalf("death by the clerk: %d %s", res.Status, res.Body)
	}
	var hist sdk.ListOf[struct{ Type, Date string }]
	c.Get(villageA, "/residents/"+budi.ID+"/history").JSON(&hist)
	if hist.Total != 2 || hist.Items[0].Type != "death" || hist.Items[1].Type != "registered" {
		t.Errorf("history the clerk reads: %+v", hist)
	}
	// The reveals are audited with their purpose; the clerk's masked reads
	// are not audited as reads.
	var audit struct{ Items []map[string]any }
	admin.API("GET", "/api/v1/audit?action=population.personal.read", nil).JSON(&audit)
	purposes := map[string]bool{}
	for _, e := range audit.Items {
		if e["actor"] != "clerk-a" {
			continue
		}
		p, _ := e["detail"].(map[string]any)["purpose"].(string)
		if p == "" {
			t.Errorf("an unrevealed read of the clerk is audited as showing personal data: %v", e)
		}
		purposes[p] = true
	}
	for _, p := range []string{"check a resident's update against the register", "record a death in the resident's history", "find the resident's life events by NIK"} {
		if !purposes[p] {
			t.Errorf("no audit entry of the reveal %q: %v", p, audit.Items)
		}
	}
}
