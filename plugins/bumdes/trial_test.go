package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk/sdktest"
)

// The findings of the 2026-12-01 user trial (items 6 to 8), each refused
// or shown the way the README documents.

// TestPlausibleFigures: more than maxEmployees employees is a typo (422
// invalid_amount naming employees); a figure at maxFigure is accepted,
// one rupiah more is not.
func TestPlausibleFigures(t *testing.T) {
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		setup(t, h)
		op := h.User("op-a", "operator", villageA)
		var ent EnterpriseView
		must(t, op.Post(villageA, "/enterprises", map[string]any{"name": "BUM Desa Kumantan Jaya"}), 201).JSON(&ent)
		var u UnitView
		must(t, op.Post(villageA, "/enterprises/"+ent.ID+"/units", map[string]any{"type": "toko", "name": "Waserda", "manager_name": "Eka"}), 201).JSON(&u)
		rep := func(sem int, revenue, employees int64) map[string]any {
			return map[string]any{"unit_id": u.ID, "year": 2026, "semester": sem, "revenue": revenue, "costs": 1, "employees": employees}
		}
		res := op.Post(villageA, "/enterprises/"+ent.ID+"/reports", rep(1, 1, 99_999_999_999))
		wantCode(t, "99,999,999,999 employees", res, 422, codeInvalidAmount)
		if !strings.Contains(string(res.Body), `"field":"employees"`) || !strings.Contains(string(res.Body), "100000") {
			t.Errorf("the refusal names neither the field nor the bound: %s", res.Body)
		}
		wantCode(t, "one employee above the bound", op.Post(villageA, "/enterprises/"+ent.ID+"/reports", rep(1, 1, maxEmployees+1)), 422, codeInvalidAmount)
		var r ReportView
		must(t, op.Post(villageA, "/enterprises/"+ent.ID+"/reports", rep(1, maxFigure, maxEmployees)), 201).JSON(&r)
		if r.Revenue != maxFigure || r.Employees != maxEmployees {
			t.Errorf("figures at the bounds: %+v", r)
		}
		wantCode(t, "correction above the employees bound", op.Post(villageA, "/enterprises/"+ent.ID+"/reports/"+r.ID+"/correct",
			map[string]any{"revenue": 1, "costs": 1, "employees": maxEmployees + 1}), 422, codeInvalidAmount)
	}, sdktest.WithClock(func() time.Time { return now }))
}

// TestUnitNamesAsAClerkReadsThem: "waserda  KUMANTAN" is the unit
// "Waserda Kumantan" again, on creation and on renaming; a unit may
// change the case of its own name.
func TestUnitNamesAsAClerkReadsThem(t *testing.T) {
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		setup(t, h)
		op := h.User("op-a", "operator", villageA)
		opB := h.User("op-b", "operator", villageB)
		var ent, entB EnterpriseView
		must(t, op.Post(villageA, "/enterprises", map[string]any{"name": "BUM Desa Kumantan Jaya"}), 201).JSON(&ent)
		must(t, opB.Post(villageB, "/enterprises", map[string]any{"name": "BUM Desa Batu Belah"}), 201).JSON(&entB)
		units := "/enterprises/" + ent.ID + "/units"
		var shop, water UnitView
		must(t, op.Post(villageA, units, map[string]any{"type": "toko", "name": "Waserda Kumantan", "manager_name": "Eka"}), 201).JSON(&shop)
		for _, name := range []string{"Waserda Kumantan", "waserda kumantan", "  WASERDA   kumantan "} {
			wantCode(t, "unit "+name, op.Post(villageA, units, map[string]any{"type": "toko", "name": name, "manager_name": "Eka"}), 409, codeUnitExists)
		}
		must(t, op.Post(villageA, units, map[string]any{"type": "air_bersih", "name": "Air Bersih", "manager_name": "Dedi"}), 201).JSON(&water)
		wantCode(t, "renamed onto another", op.Patch(villageA, units+"/"+water.ID, map[string]any{"name": "waserda KUMANTAN"}), 409, codeUnitExists)
		var renamed UnitView
		must(t, op.Patch(villageA, units+"/"+shop.ID, map[string]any{"name": "WASERDA Kumantan"}), 200).JSON(&renamed)
		if renamed.Name != "WASERDA Kumantan" {
			t.Errorf("own name re-cased: %+v", renamed)
		}
		// Another enterprise may use the name.
		must(t, opB.Post(villageB, "/enterprises/"+entB.ID+"/units", map[string]any{"type": "toko", "name": "waserda kumantan", "manager_name": "F"}), 201)
		var list listOf[UnitView]
		must(t, op.Get(villageA, units), 200).JSON(&list)
		if len(list.Items) != 2 || strings.Contains(string(op.Get(villageA, units).Body), "name_key") {
			t.Errorf("units: %+v", list)
		}
	})
}

// TestClassificationNeedsItsYear: a new classification without
// classification_year is refused (the Kemendesa ranking of February ranks
// the year before, so neither the old year nor the current one is
// right); the same classification again, or one with its year, is taken;
// clearing it clears the year.
func TestClassificationNeedsItsYear(t *testing.T) {
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		setup(t, h)
		op := h.User("op-a", "operator", villageA)
		var ent EnterpriseView
		must(t, op.Post(villageA, "/enterprises", map[string]any{"name": "BUM Desa Kumantan Jaya", "classification": "berkembang", "classification_year": 2024}), 201).JSON(&ent)
		path := "/enterprises/" + ent.ID
		res := op.Patch(villageA, path, map[string]any{"classification": "maju"})
		wantCode(t, "maju without its year", res, 422, codeInvalidClassification)
		if !strings.Contains(string(res.Body), `"field":"classification_year"`) {
			t.Errorf("the refusal does not name classification_year: %s", res.Body)
		}
		var v EnterpriseView
		must(t, op.Get(villageA, path), 200).JSON(&v)
		if v.Classification != "berkembang" || v.ClassificationYear != 2024 {
			t.Errorf("a refused patch changed the enterprise: %+v", v)
		}
		must(t, op.Patch(villageA, path, map[string]any{"classification": "Berkembang", "name": "BUM Desa Kumantan"}), 200).JSON(&v)
		if v.Classification != "berkembang" || v.ClassificationYear != 2024 {
			t.Errorf("the same classification again: %+v", v)
		}
		must(t, op.Patch(villageA, path, map[string]any{"classification": "maju", "classification_year": 2025}), 200).JSON(&v)
		if v.Classification != "maju" || v.ClassificationYear != 2025 {
			t.Errorf("maju 2025: %+v", v)
		}
		var cleared EnterpriseView
		must(t, op.Patch(villageA, path, map[string]any{"classification": ""}), 200).JSON(&cleared)
		if cleared.Classification != "" || cleared.ClassificationYear != 0 {
			t.Errorf("cleared: %+v", cleared)
		}
		// The console's form says which field is missing.
		page := op.PostForm(villageA, "/manage/"+ent.ID+"/edit", form("name", "BUM Desa Kumantan", "classification", "pemula", "classification_year", ""))
		if page.Status != http.StatusUnprocessableEntity {
			t.Errorf("the edit form without the year: %d %s", page.Status, page.HTML)
		}
	}, sdktest.WithClock(func() time.Time { return now }))
}

// TestBersamaAtItsMembers: the BUMDes Bersama names its member villages
// (API and public page, at the district and at a member), and a member
// village's summary lists it without adding its figures to the village's
// (the regency counts it once, from the district).
func TestBersamaAtItsMembers(t *testing.T) {
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		setup(t, h)
		camat := h.User("camat", "operator", districtA)
		op := h.User("op-a", "operator", villageA)
		anon := h.Anonymous()
		var joint EnterpriseView
		must(t, camat.Post(districtA, "/enterprises", map[string]any{"name": "BUM Desa Bersama Bangkinang", "members": []string{villageA2, villageA},
			"classification": "pemula", "classification_year": 2025}), 201).JSON(&joint)
		wantNames := []Member{{villageA, "Tenant " + villageA}, {villageA2, "Tenant " + villageA2}}
		check := func(what string, v EnterpriseView) {
			t.Helper()
			if len(v.MemberVillages) != 2 || v.MemberVillages[0] != wantNames[0] || v.MemberVillages[1] != wantNames[1] {
				t.Errorf("%s: member villages %+v", what, v.MemberVillages)
			}
		}
		var v EnterpriseView
		must(t, anon.Get(districtA, "/enterprises/"+joint.ID), 200).JSON(&v)
		check("at the district", v)
		must(t, anon.Get(villageA2, "/enterprises/"+joint.ID), 200).JSON(&v)
		check("the member's copy", v)
		must(t, camat.Patch(districtA, "/enterprises/"+joint.ID, map[string]any{"name": "BUM Desa Bersama Bangkinang Kota"}), 200)
		must(t, anon.Get(villageA, "/enterprises/"+joint.ID), 200).JSON(&v)
		check("the member's copy after an edit", v)
		var list listOf[EnterpriseView]
		must(t, anon.Get(districtA, "/enterprises"), 200).JSON(&list)
		if len(list.Items) != 1 {
			t.Fatalf("district list: %+v", list)
		}
		check("the district's list", list.Items[0])
		for _, at := range []string{districtA, villageA} {
			res := anon.PublicPage("GET", at, "/enterprises/"+joint.ID, nil)
			if res.Status != http.StatusOK || !strings.Contains(res.HTML, "Desa anggota: Tenant "+villageA+", Tenant "+villageA2) {
				t.Errorf("the public page at %s: %d %s", at, res.Status, res.HTML)
			}
		}

		// Figures: the joint enterprise's at the district; the village's own.
		var u UnitView
		must(t, camat.Post(districtA, "/enterprises/"+joint.ID+"/units", map[string]any{"type": "wisata", "name": "Wisata Sungai", "manager_name": "Gani"}), 201).JSON(&u)
		must(t, camat.Post(districtA, "/enterprises/"+joint.ID+"/reports", map[string]any{"unit_id": u.ID, "year": 2026, "semester": 1, "revenue": 30_000_000, "costs": 10_000_000}), 201)
		var own EnterpriseView
		must(t, op.Post(villageA, "/enterprises", map[string]any{"name": "BUM Desa Kumantan"}), 201).JSON(&own)
		must(t, op.Post(villageA, "/enterprises/"+own.ID+"/units", map[string]any{"type": "toko", "name": "Waserda", "manager_name": "Eka"}), 201).JSON(&u)
		must(t, op.Post(villageA, "/enterprises/"+own.ID+"/reports", map[string]any{"unit_id": u.ID, "year": 2026, "semester": 1, "revenue": 5_000_000, "costs": 1}), 201)

		var s Summary
		must(t, anon.Get(villageA, "/summary?year=2026"), 200).JSON(&s)
		if s.Joint != 1 || len(s.JointItems) != 1 || s.JointItems[0].Enterprise != joint.ID || !s.JointItems[0].Member || s.JointItems[0].District != districtA ||
			s.JointItems[0].Name != "BUM Desa Bersama Bangkinang Kota" || s.JointItems[0].Revenue != 0 || s.Revenue != 5_000_000 || s.Units != 1 ||
			s.WithEnterprise != 1 || s.ByClassification["pemula"] != 1 || s.ByClassification["none"] != 1 {
			t.Errorf("the member village's summary: %+v", s)
		}
		must(t, anon.Get(villageB, "/summary?year=2026"), 200).JSON(&s)
		if s.Joint != 0 || len(s.JointItems) != 0 {
			t.Errorf("a village outside: %+v", s)
		}
		for _, at := range []string{districtA, regency} {
			must(t, anon.Get(at, "/summary?year=2026"), 200).JSON(&s)
			if s.Joint != 1 || len(s.JointItems) != 1 || s.JointItems[0].Member || s.Revenue != 35_000_000 || s.Units != 2 || s.ByClassification["pemula"] != 1 {
				t.Errorf("%s counts the joint enterprise once: %+v", at, s)
			}
		}
	}, sdktest.WithClock(func() time.Time { return now }))
}
