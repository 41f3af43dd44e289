package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

const (
	villageA  = "14.01.01.2009"
	villageA2 = "14.01.01.2010"
	villageB  = "14.01.02.2001"
)

func TestManifest(t *testing.T) {
	if err := plugin.Validate(); err != nil {
		t.Fatal(err)
	}
}

// The profile in-process, without the population module: the count stays
// 0 and the profile still answers.
func TestProfileEditing(t *testing.T) { sdktest.Each(t, &plugin, testProfileEditing) }

func testProfileEditing(t *testing.T, h *sdktest.Host) {
	for _, v := range []string{villageA, villageA2, villageB} {
		h.Tenant(v)
	}
	h.Enable("14.01")
	op := h.User("op-a", "operator", villageA)
	viewer := h.User("viewer-a", "viewer", villageA)
	opB := h.User("op-b", "operator", villageB)
	anon := h.Anonymous()

	var v View
	r := anon.Get(villageA, "") // /api/v1/t/{village}/profile, no trailing slash
	if r.JSON(&v); r.Status != 200 || v.Code != villageA || v.Version != 0 || v.Population != 0 || v.PopulationCountedAt != nil {
		t.Fatalf("first GET: %d %s", r.Status, r.Body)
	}
	if v.SubDistrict == nil || v.SubDistrict.Code != "14.01.01" || v.Regency.Code != "14.01" || v.Province.Code != "14" {
		t.Errorf("regions: %s", r.Body)
	}
	if v.Mission == nil || v.Officials == nil || v.Potential == nil || v.Coordinates != nil {
		t.Errorf("empty profile shape: %s", r.Body)
	}

	body := map[string]any{"version": 0, "head": "H. Ahmad", "area_km2": 12.5,
		"coordinates": map[string]float64{"latitude": 0.3376, "longitude": 101.0257},
		"officials":   []map[string]string{{"name": "Siti", "position": "Sekretaris Desa"}}}
	for _, c := range []struct {
		name   string
		c      *sdktest.Client
		tenant string
		status int
		code   sdk.Code
	}{
		{"anonymous", anon, villageA, 401, "unauthenticated"},
		{"viewer", viewer, villageA, 403, "forbidden"},
		{"operator of another village", opB, villageA, 403, "forbidden"},
		{"at a sub-district", h.Admin(), "14.01.01", 422, "not_a_village"},
	} {
		if r := c.c.Do("PUT", c.tenant, "/", body); r.Status != c.status || r.ErrorCode() != c.code {
			t.Errorf("%s: %d %s", c.name, r.Status, r.Body)
		}
	}
	r = op.Do("PUT", villageA, "", body)
	if r.JSON(&v); r.Status != 200 || v.Version != 1 || v.Head != "H. Ahmad" || v.UpdatedAt == nil || *v.Coordinates.Latitude != 0.3376 {
		t.Fatalf("PUT: %d %s", r.Status, r.Body)
	}
	// A second clerk still holding version 0 is refused, and nothing changes.
	stale := map[string]any{"version": 0, "head": "Someone Else"}
	if r := op.Do("PUT", villageA, "/", stale); r.Status != 409 || r.ErrorCode() != "version_conflict" {
		t.Errorf("stale version: %d %s", r.Status, r.Body)
	}
	for _, bad := range []map[string]any{
		{"version": 1, "head": "X", "coordinates": map[string]float64{"latitude": 95, "longitude": 0.3}},
		{"version": 1, "head": "X", "nickname": "Y"},
		{"head": "X"},
	} {
		if r := op.Do("PUT", villageA, "/", bad); r.Status != 422 && r.Status != 400 {
			t.Errorf("bad body %v: %d %s", bad, r.Status, r.Body)
		}
	}
	anon.Get(villageA, "/").JSON(&v)
	if v.Head != "H. Ahmad" || v.Version != 1 {
		t.Errorf("refused writes changed the profile: %+v", v)
	}
	// PUT replaces: what is not sent is cleared.
	r = op.Do("PUT", villageA, "/", map[string]any{"version": 1, "head": "H. Ahmad", "potential": []string{"Sawit"}})
	if r.JSON(&v); r.Status != 200 || v.Version != 2 || v.Coordinates != nil || len(v.Officials) != 0 || v.AreaKm2 != nil || v.Potential[0] != "Sawit" {
		t.Errorf("replace: %d %s", r.Status, r.Body)
	}
	// Clerks saving at the same moment from the same version: one wins,
	// the others are told, none is lost silently.
	results := make(chan int, 6)
	for i := range 6 {
		go func() {
			r := op.Do("PUT", villageA, "/", map[string]any{"version": 2, "head": fmt.Sprintf("Clerk %d", i)})
			if r.Status == 409 && r.ErrorCode() != "version_conflict" {
				results <- 0
				return
			}
			results <- r.Status
		}()
	}
	won := 0
	for range 6 {
		switch <-results {
		case 200:
			won++
		case 409:
		default:
			t.Error("a concurrent save neither won nor got version_conflict")
		}
	}
	anon.Get(villageA, "").JSON(&v)
	if won != 1 || v.Version != 3 || !strings.HasPrefix(v.Head, "Clerk ") {
		t.Errorf("%d concurrent saves won; profile at version %d", won, v.Version)
	}
	// The edits are in the audit trail.
	var audit sdk.ListOf[map[string]any]
	h.Admin().API("GET", "/api/v1/audit?action=profile.update", nil).JSON(&audit)
	if audit.Total != 3 || audit.Items[0]["actor"] != "op-a" || audit.Items[0]["tenant"] != villageA {
		t.Errorf("audit: %+v", audit)
	}
	if r := anon.Get("14.01", "/"); r.Status != 422 || r.ErrorCode() != "not_a_village" {
		t.Errorf("GET at a district: %d %s", r.Status, r.Body)
	}
}

func TestVillagesList(t *testing.T) { sdktest.Each(t, &plugin, testVillagesList) }

func testVillagesList(t *testing.T, h *sdktest.Host) {
	for _, v := range []string{villageA, villageA2, villageB} {
		h.Tenant(v)
	}
	h.Enable("14.01")
	h.Disable(villageA2)
	op := h.User("op-a", "operator", villageA)
	if r := op.Do("PUT", villageA, "/", map[string]any{"version": 0, "head": "H. Ahmad"}); r.Status != 200 {
		t.Fatalf("PUT: %d %s", r.Status, r.Body)
	}
	anon := h.Anonymous()
	var list sdk.ListOf[VillageItem]
	r := anon.Get("14.01", "/villages")
	if r.JSON(&list); r.Status != 200 || list.Total != 3 || len(list.Items) != 3 {
		t.Fatalf("list: %d %s", r.Status, r.Body)
	}
	a, a2, b := list.Items[0], list.Items[1], list.Items[2]
	if a.Code != villageA || a.Head != "H. Ahmad" || !a.HasProfile || a.Version != 1 || len(a.Modules) != 1 || a.Modules[0] != "profile" {
		t.Errorf("village A: %+v", a)
	}
	if a.SubDistrict == nil || a.SubDistrict.Code != "14.01.01" || a.SubDistrict.Name != "Tenant 14.01.01" {
		t.Errorf("sub-district of A: %+v", a.SubDistrict)
	}
	if a2.Code != villageA2 || a2.HasProfile || len(a2.Modules) != 0 || a2.Head != "" || a2.Modules == nil {
		t.Errorf("village A2 (no profile, module off): %+v", a2)
	}
	if b.Code != villageB || b.SubDistrict.Code != "14.01.02" {
		t.Errorf("village B: %+v", b)
	}
	// Paging and search.
	anon.Get("14.01", "/villages?page=2&limit=2").JSON(&list)
	if list.Total != 3 || len(list.Items) != 1 || list.Items[0].Code != villageB {
		t.Errorf("page 2: %+v", list)
	}
	anon.Get("14.01", "/villages?page=9").JSON(&list)
	if list.Total != 3 || len(list.Items) != 0 || list.Items == nil {
		t.Errorf("past the end: %+v", list)
	}
	anon.Get("14.01", "/villages?q=tenant+14.01.02").JSON(&list)
	if list.Total != 1 || list.Items[0].Code != villageB {
		t.Errorf("search: %+v", list)
	}
	anon.Get("14.01.01", "/villages").JSON(&list)
	if list.Total != 2 || list.Items[0].SubDistrict.Name != "Tenant 14.01.01" {
		t.Errorf("at a sub-district: %+v", list)
	}
	if r := anon.Get("14.01", "/villages?limit=501"); r.Status != 400 || r.ErrorCode() != "invalid_pagination" {
		t.Errorf("limit 501: %d %s", r.Status, r.Body)
	}
	if r := anon.Get(villageA, "/villages"); r.Status != 422 || r.ErrorCode() != "no_villages_below" {
		t.Errorf("at a village: %d %s", r.Status, r.Body)
	}
	if r := anon.Get(villageA, "/nope"); r.Status != 404 {
		t.Errorf("unknown path below the root route: %d %s", r.Status, r.Body)
	}
}
