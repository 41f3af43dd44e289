package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

const (
	regency   = "14.01"
	districtA = "14.01.01"
	villageA  = "14.01.01.2009"
	villageA2 = "14.01.01.2010"
	villageA3 = "14.01.01.2011"
	villageB  = "14.01.02.2001" // another district of the regency
	villageC  = "14.05.01.2001" // another regency
)

var now = time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)

func TestManifest(t *testing.T) {
	if err := plugin.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestRegistrationNumber(t *testing.T) {
	for in, want := range map[string]string{
		"AHU-00712.AH.01.33.Tahun 2021":   "AHU-00712.AH.01.33.Tahun 2021",
		"ahu-00712.AH.01.33.TAHUN 2021":   "AHU-00712.AH.01.33.Tahun 2021",
		" AHU-03508.AH.01.33.TAHUN.2022 ": "AHU-03508.AH.01.33.Tahun 2022",
		"":                                "",
	} {
		if got, err := cleanRegistration(in); err != nil || got != want {
			t.Errorf("%q: %q %v, want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"12345", "AHU-00712.AH.01.01.Tahun 2021", "AHU-0071X.AH.01.33.Tahun 2021", "AHU-00712.AH.01.33.Tahun 21"} {
		if _, err := cleanRegistration(bad); errCode(err) != codeInvalidRegistration {
			t.Errorf("%q accepted: %v", bad, err)
		}
	}
}

type listOf[T any] struct {
	Items []T   `json:"items"`
	Total int64 `json:"total"`
}

func setup(t *testing.T, h *sdktest.Host) {
	for _, v := range []string{villageA, villageA2, villageA3, villageB, villageC} {
		h.Tenant(v)
	}
	h.Enable(regency)
	h.Enable("14.05")
}

func must(t *testing.T, res *sdktest.Response, status int) *sdktest.Response {
	t.Helper()
	if res.Status != status {
		t.Fatalf("want %d, got %d %s", status, res.Status, res.Body)
	}
	return res
}

func wantCode(t *testing.T, what string, res *sdktest.Response, status int, code sdk.Code) {
	t.Helper()
	if res.Status != status || res.ErrorCode() != code {
		t.Errorf("%s: want %d %s, got %d %s", what, status, code, res.Status, res.Body)
	}
}

// TestJourney registers a village's enterprise with its management,
// units, reports and capital, refuses what the rules refuse, and reads
// it back as the public and the regency do.
func TestJourney(t *testing.T) {
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		setup(t, h)
		op := h.User("op-a", "operator", villageA)
		viewer := h.User("viewer-a", "viewer", villageA)
		opB := h.User("op-b", "operator", villageB)
		kab := h.User("kab", "operator", regency)
		anon := h.Anonymous()

		wantCode(t, "at the regency", kab.Post(regency, "/enterprises", map[string]any{"name": "BUM Desa Kabupaten"}), 422, codeWrongLevel)
		wantCode(t, "bad number", op.Post(villageA, "/enterprises", map[string]any{"name": "BUM Desa Kumantan", "registration_number": "12345"}), 422, codeInvalidRegistration)
		wantCode(t, "bersama at a village", op.Post(villageA, "/enterprises", map[string]any{"name": "BUM Desa Bersama", "kind": "bersama"}), 422, codeKindLevel)
		wantCode(t, "future perdes", op.Post(villageA, "/enterprises", map[string]any{"name": "BUM Desa Kumantan", "perdes_date": "2027-01-01"}), 422, codeDateInFuture)
		wantCode(t, "classification without year", op.Post(villageA, "/enterprises", map[string]any{"name": "BUM Desa Kumantan", "classification": "maju"}), 422, codeInvalidClassification)
		wantCode(t, "unknown field", op.Post(villageA, "/enterprises", map[string]any{"name": "BUM Desa Kumantan", "nama": "x"}), 400, sdk.CodeUnknownField)
		wantCode(t, "viewer writes", viewer.Post(villageA, "/enterprises", map[string]any{"name": "BUM Desa Kumantan"}), 403, sdk.CodeForbidden)

		var ent EnterpriseView
		must(t, op.Post(villageA, "/enterprises", map[string]any{"name": "BUM Desa Kumantan Jaya", "registration_number": "ahu-00712.AH.01.33.TAHUN 2021",
			"perdes_number": "Perdes No. 2 Tahun 2021", "perdes_date": "2021-03-01", "classification": "berkembang", "classification_year": 2025}), 201).JSON(&ent)
		if ent.RegistrationNumber != "AHU-00712.AH.01.33.Tahun 2021" || ent.Kind != KindDesa || ent.Tenant != villageA {
			t.Errorf("registered: %+v", ent)
		}
		wantCode(t, "second", op.Post(villageA, "/enterprises", map[string]any{"name": "BUM Desa Lain"}), 409, codeEnterpriseExists)
		wantCode(t, "neighbour", opB.Post(villageA, "/enterprises/"+ent.ID+"/units", map[string]any{"type": "toko", "name": "Waserda", "manager_name": "Ani"}), 403, sdk.CodeForbidden)
		wantCode(t, "other tenant's id", opB.Get(villageB, "/enterprises/"+ent.ID), 404, codeEnterpriseNotFound)

		// Management: the director changes; the first term ends.
		must(t, op.Post(villageA, "/enterprises/"+ent.ID+"/management", map[string]any{"role": "pelaksana_operasional", "name": "Budi Santoso",
			"nik": "1401010101800001", "phone": "0812-1111-2222", "start_date": "2021-04-01"}), 201)
		wantCode(t, "bad nik", op.Post(villageA, "/enterprises/"+ent.ID+"/management", map[string]any{"role": "bendahara", "name": "Sari", "nik": "123", "start_date": "2021-04-01"}), 422, codeInvalidNIK)
		wantCode(t, "bad role", op.Post(villageA, "/enterprises/"+ent.ID+"/management", map[string]any{"role": "ketua", "name": "Sari", "start_date": "2021-04-01"}), 422, codeInvalidRole)
		wantCode(t, "before the term", op.Post(villageA, "/enterprises/"+ent.ID+"/management", map[string]any{"role": "pelaksana_operasional", "name": "Citra", "start_date": "2020-01-01"}), 422, codeInvalidDate)
		must(t, op.Post(villageA, "/enterprises/"+ent.ID+"/management", map[string]any{"role": "pelaksana_operasional", "name": "Citra Lestari", "start_date": "2024-01-02"}), 201)
		var ms listOf[Manager]
		must(t, op.Get(villageA, "/enterprises/"+ent.ID+"/management?all=true"), 200).JSON(&ms)
		if len(ms.Items) != 2 || ms.Items[0].Name != "Citra Lestari" || !ms.Items[0].Current || ms.Items[1].EndDate != "2024-01-02" || ms.Items[1].NIK != "1401010101800001" {
			t.Errorf("management: %+v", ms.Items)
		}
		must(t, viewer.Get(villageA, "/enterprises/"+ent.ID+"/management?all=true"), 200).JSON(&ms)
		if ms.Items[1].NIK == "1401010101800001" || ms.Items[1].NIK == "" {
			t.Errorf("viewer sees the NIK unmasked or not at all: %q", ms.Items[1].NIK)
		}

		// Units.
		var water, shop UnitView
		must(t, op.Post(villageA, "/enterprises/"+ent.ID+"/units", map[string]any{"type": "air_bersih", "name": "Unit Air Bersih", "manager_name": "Dedi", "manager_phone": "+62 813 2222 3333"}), 201).JSON(&water)
		must(t, op.Post(villageA, "/enterprises/"+ent.ID+"/units", map[string]any{"type": "toko", "name": "Waserda Kumantan", "manager_name": "Eka"}), 201).JSON(&shop)
		if water.ManagerPhone != "081322223333" {
			t.Errorf("phone kept as %q", water.ManagerPhone)
		}
		wantCode(t, "unit type", op.Post(villageA, "/enterprises/"+ent.ID+"/units", map[string]any{"type": "bank", "name": "Bank", "manager_name": "F"}), 422, codeInvalidUnitType)
		wantCode(t, "unit twice", op.Post(villageA, "/enterprises/"+ent.ID+"/units", map[string]any{"type": "toko", "name": "Waserda Kumantan", "manager_name": "Eka"}), 409, codeUnitExists)

		// Reports: one per unit and semester, corrections keep history.
		rep := map[string]any{"unit_id": water.ID, "year": 2026, "semester": 1, "revenue": 60_000_000, "costs": 45_000_000, "pades": 5_000_000, "assets": 200_000_000, "employees": 3}
		var r1 ReportView
		must(t, op.Post(villageA, "/enterprises/"+ent.ID+"/reports", rep), 201).JSON(&r1)
		if r1.Profit != 15_000_000 || r1.Period != "2026-S1" || r1.Revision != 1 {
			t.Errorf("report: %+v", r1)
		}
		wantCode(t, "second report", op.Post(villageA, "/enterprises/"+ent.ID+"/reports", rep), 409, codeReportExists)
		for field, code := range map[string]sdk.Code{"revenue": codeNegative, "costs": codeNegative, "pades": codeNegative, "employees": codeNegative} {
			bad := map[string]any{}
			for k, v := range rep {
				bad[k] = v
			}
			bad["semester"] = 2
			bad[field] = -1
			res := op.Post(villageA, "/enterprises/"+ent.ID+"/reports", bad)
			wantCode(t, "negative "+field, res, 422, code)
			if !strings.Contains(string(res.Body), `"field":"`+field+`"`) {
				t.Errorf("negative %s: field not named: %s", field, res.Body)
			}
		}
		bad := map[string]any{"unit_id": water.ID, "year": 2027, "semester": 1, "revenue": 1, "costs": 1}
		wantCode(t, "future year", op.Post(villageA, "/enterprises/"+ent.ID+"/reports", bad), 422, codePeriodInFuture)
		bad["year"], bad["semester"] = 2026, 3
		wantCode(t, "semester 3", op.Post(villageA, "/enterprises/"+ent.ID+"/reports", bad), 422, codeInvalidPeriod)
		bad["semester"], bad["unit_id"] = 2, "nope"
		wantCode(t, "unknown unit", op.Post(villageA, "/enterprises/"+ent.ID+"/reports", bad), 422, codeUnitNotFound)
		must(t, op.Post(villageA, "/enterprises/"+ent.ID+"/reports", map[string]any{"unit_id": shop.ID, "year": 2026, "semester": 1, "revenue": 40_000_000, "costs": 42_000_000}), 201)
		var r2 ReportView
		must(t, op.Post(villageA, "/enterprises/"+ent.ID+"/reports/"+r1.ID+"/correct", map[string]any{"revenue": 62_000_000, "costs": 45_000_000, "pades": 6_000_000, "assets": 200_000_000, "employees": 3}), 200).JSON(&r2)
		if r2.Revision != 2 || r2.Profit != 17_000_000 || len(r2.History) != 1 || r2.History[0].Revenue != 60_000_000 {
			t.Errorf("correction: %+v", r2)
		}
		var reps listOf[ReportView]
		must(t, anon.Get(villageA, "/enterprises/"+ent.ID+"/reports"), 200).JSON(&reps)
		if reps.Total != 2 || reps.Items[0].SubmittedBy != "" || reps.Items[0].History != nil {
			t.Errorf("public reports: %+v", reps)
		}

		// Capital without the finance module is recorded as typed.
		wantCode(t, "zero capital", op.Post(villageA, "/enterprises/"+ent.ID+"/capital", map[string]any{"year": 2026, "amount": 0, "source": "desa", "date": "2026-03-01"}), 422, codeInvalidAmount)
		wantCode(t, "date outside year", op.Post(villageA, "/enterprises/"+ent.ID+"/capital", map[string]any{"year": 2026, "amount": 5, "source": "desa", "date": "2025-03-01"}), 422, codeInvalidDate)
		wantCode(t, "member source", op.Post(villageA, "/enterprises/"+ent.ID+"/capital", map[string]any{"year": 2026, "amount": 5, "source": "desa_anggota", "village": villageA2, "date": "2026-03-01"}), 422, codeInvalidSource)
		must(t, op.Post(villageA, "/enterprises/"+ent.ID+"/capital", map[string]any{"year": 2026, "amount": 100_000_000, "source": "desa", "date": "2026-03-01"}), 201)
		var cl CapitalList
		must(t, viewer.Get(villageA, "/enterprises/"+ent.ID+"/capital"), 200).JSON(&cl)
		if cl.Sum != 100_000_000 || len(cl.Years) != 1 || cl.Years[0].Status == budgetLinked || cl.Years[0].FromVillage != 100_000_000 {
			t.Errorf("capital: %+v", cl)
		}
		wantCode(t, "anonymous capital", anon.Get(villageA, "/enterprises/"+ent.ID+"/capital"), 401, "unauthenticated")

		// The public reads the enterprise without personal data.
		res := must(t, anon.Get(villageA, "/enterprises/"+ent.ID), 200)
		var pub EnterpriseView
		res.JSON(&pub)
		if len(pub.Units) != 2 || len(pub.Management) != 1 || len(pub.Totals) != 1 || pub.Totals[0].Revenue != 102_000_000 || pub.Totals[0].PADes != 6_000_000 {
			t.Errorf("public enterprise: %+v", pub)
		}
		if strings.Contains(string(res.Body), "0813") || strings.Contains(string(res.Body), "nik") {
			t.Errorf("personal data public: %s", res.Body)
		}

		// The mall without the marketplace module: a readable refusal.
		res = op.Post(villageA, "/enterprises/"+ent.ID+"/units/"+shop.ID+"/seller", nil)
		if res.Status < 400 || res.Status == 500 {
			t.Errorf("seller without marketplace: %d %s", res.Status, res.Body)
		}

		// PATCH.
		var patched EnterpriseView
		must(t, op.Patch(villageA, "/enterprises/"+ent.ID, map[string]any{"classification": "maju", "classification_year": 2026}), 200).JSON(&patched)
		if patched.Classification != "maju" || patched.ClassificationYear != 2026 {
			t.Errorf("patch: %+v", patched)
		}
		wantCode(t, "empty patch", op.Patch(villageA, "/enterprises/"+ent.ID, map[string]any{}), 422, codeEmptyPatch)

		// A village of the other district and one of another regency.
		opB2 := opB
		must(t, opB2.Post(villageB, "/enterprises", map[string]any{"name": "BUM Desa Batu Belah"}), 201)
		opC := h.User("op-c", "operator", villageC)
		var entC EnterpriseView
		must(t, opC.Post(villageC, "/enterprises", map[string]any{"name": "BUM Desa Pelalawan"}), 201).JSON(&entC)

		var sum Summary
		must(t, anon.Get(regency, "/summary?year=2026"), 200).JSON(&sum)
		if sum.WithEnterprise != 2 || sum.Revenue != 102_000_000 || sum.PADes != 6_000_000 || sum.ByClassification["maju"] != 1 || sum.ByClassification["none"] != 1 {
			t.Errorf("regency summary: %+v", sum)
		}
		// A village with the module off drops out of the roll-up.
		h.Disable(villageA)
		must(t, anon.Get(regency, "/summary?year=2026"), 200).JSON(&sum)
		if sum.WithEnterprise != 1 || sum.Revenue != 0 {
			t.Errorf("summary with the module off at the village: %+v", sum)
		}
		wantCode(t, "bad year", anon.Get(regency, "/summary?year=20x6"), 400, codeInvalidYear)
	}, sdktest.WithClock(func() time.Time { return now }))
}

// TestBersama registers a BUMDes Bersama at a district: its member villages
// show it, only the district's staff edit it.
func TestBersama(t *testing.T) {
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		setup(t, h)
		camat := h.User("camat", "operator", districtA)
		op := h.User("op-a", "operator", villageA)
		anon := h.Anonymous()
		body := map[string]any{"name": "BUM Desa Bersama Bangkinang", "members": []string{villageA, villageA2}, "perdes_number": "Peraturan Bersama Kepala Desa No. 1 Tahun 2022"}

		wantCode(t, "one member", camat.Post(districtA, "/enterprises", map[string]any{"name": "X", "members": []string{villageA}}), 422, codeInvalidMembers)
		wantCode(t, "member of another district", camat.Post(districtA, "/enterprises", map[string]any{"name": "X", "members": []string{villageA, villageB}}), 422, codeMemberNotInDistrict)
		wantCode(t, "desa at a district", camat.Post(districtA, "/enterprises", map[string]any{"name": "X", "kind": "desa"}), 422, codeKindLevel)
		wantCode(t, "village staff at the district", op.Post(districtA, "/enterprises", body), 403, sdk.CodeForbidden)
		h.Disable(villageA3)
		wantCode(t, "member with the module off", camat.Post(districtA, "/enterprises", map[string]any{"name": "X", "members": []string{villageA, villageA3}}), 422, codeMemberModuleOff)

		var joint EnterpriseView
		must(t, camat.Post(districtA, "/enterprises", body), 201).JSON(&joint)
		if joint.Kind != KindBersama || joint.Tenant != districtA {
			t.Errorf("joint: %+v", joint)
		}
		// Each member shows it; the neighbour outside does not.
		var list listOf[EnterpriseView]
		must(t, anon.Get(villageA2, "/enterprises"), 200).JSON(&list)
		if list.Total != 1 || list.Items[0].ID != joint.ID || !list.Items[0].Joint || list.Items[0].Tenant != districtA {
			t.Errorf("member's list: %+v", list)
		}
		must(t, anon.Get(villageB, "/enterprises"), 200).JSON(&list)
		if list.Total != 0 {
			t.Errorf("non-member's list: %+v", list)
		}
		// A village's own enterprise beside its membership.
		must(t, op.Post(villageA, "/enterprises", map[string]any{"name": "BUM Desa Kumantan"}), 201)
		must(t, anon.Get(villageA, "/enterprises"), 200).JSON(&list)
		if list.Total != 2 {
			t.Errorf("member with its own: %+v", list)
		}
		// Village staff cannot edit it; the district's can, and the copies follow.
		wantCode(t, "village edits", op.Patch(villageA, "/enterprises/"+joint.ID, map[string]any{"classification": "maju", "classification_year": 2025}), 404, codeEnterpriseNotFound)
		wantCode(t, "village edits at the district", op.Patch(districtA, "/enterprises/"+joint.ID, map[string]any{"classification": "maju", "classification_year": 2025}), 403, sdk.CodeForbidden)
		must(t, camat.Patch(districtA, "/enterprises/"+joint.ID, map[string]any{"classification": "pemula", "classification_year": 2025, "name": "BUM Desa Bersama Bangkinang Kota"}), 200)
		var copy EnterpriseView
		must(t, anon.Get(villageA2, "/enterprises/"+joint.ID), 200).JSON(&copy)
		if copy.Name != "BUM Desa Bersama Bangkinang Kota" || copy.Classification != "pemula" || !copy.Joint {
			t.Errorf("member's copy after the edit: %+v", copy)
		}
		// Units, reports and capital from members at the district.
		var u UnitView
		must(t, camat.Post(districtA, "/enterprises/"+joint.ID+"/units", map[string]any{"type": "wisata", "name": "Wisata Sungai", "manager_name": "Gani"}), 201).JSON(&u)
		must(t, camat.Post(districtA, "/enterprises/"+joint.ID+"/reports", map[string]any{"unit_id": u.ID, "year": 2026, "semester": 1, "revenue": 30_000_000, "costs": 10_000_000, "pades": 2_000_000}), 201)
		wantCode(t, "desa source for a bersama", camat.Post(districtA, "/enterprises/"+joint.ID+"/capital", map[string]any{"year": 2026, "amount": 5, "source": "desa", "date": "2026-02-01"}), 422, codeInvalidSource)
		wantCode(t, "non-member source", camat.Post(districtA, "/enterprises/"+joint.ID+"/capital", map[string]any{"year": 2026, "amount": 5, "source": "desa_anggota", "village": villageB, "date": "2026-02-01"}), 422, codeInvalidSource)
		must(t, camat.Post(districtA, "/enterprises/"+joint.ID+"/capital", map[string]any{"year": 2026, "amount": 50_000_000, "source": "desa_anggota", "village": villageA, "date": "2026-02-01"}), 201)
		var cl CapitalList
		must(t, camat.Get(districtA, "/enterprises/"+joint.ID+"/capital"), 200).JSON(&cl)
		if len(cl.Years) != 1 || cl.Years[0].Status != budgetNotApplicable {
			t.Errorf("joint capital: %+v", cl)
		}
		wantCode(t, "joint seller", camat.Post(districtA, "/enterprises/"+joint.ID+"/units/"+u.ID+"/seller", nil), 422, codeMallAtVillage)

		var sum Summary
		must(t, anon.Get(regency, "/summary?year=2026"), 200).JSON(&sum)
		if sum.Joint != 1 || sum.WithEnterprise != 1 || sum.Revenue != 30_000_000 || sum.PADes != 2_000_000 || len(sum.JointItems) != 1 || sum.JointItems[0].Units != 1 || sum.ByClassification["pemula"] != 1 {
			t.Errorf("regency summary with a joint enterprise: %+v", sum)
		}
	}, sdktest.WithClock(func() time.Time { return now }))
}

// TestBersamaManyEdits edits one BUMDes Bersama more than 500 times: the
// member village still shows the other joint enterprise it belongs to, in
// its list and by id, and each exactly once at its newest edit (the copies
// of one busy enterprise once crowded the others out of a 500-row read).
func TestBersamaManyEdits(t *testing.T) {
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		setup(t, h)
		camat := h.User("camat", "operator", districtA)
		anon := h.Anonymous()
		var quiet, busy EnterpriseView
		must(t, camat.Post(districtA, "/enterprises", map[string]any{"name": "BUM Desa Bersama Air Tiris", "members": []string{villageA, villageA2}}), 201).JSON(&quiet)
		must(t, camat.Post(districtA, "/enterprises", map[string]any{"name": "BUM Desa Bersama Kampar", "members": []string{villageA, villageA3}}), 201).JSON(&busy)
		const edits = 505
		for i := range edits {
			must(t, camat.Patch(districtA, "/enterprises/"+busy.ID, map[string]any{"address": fmt.Sprintf("Jl. Sudirman No. %d", i+1)}), 200)
		}
		var list listOf[EnterpriseView]
		must(t, anon.Get(villageA, "/enterprises"), 200).JSON(&list)
		if list.Total != 2 || len(list.Items) != 2 || list.Items[0].ID != quiet.ID || list.Items[1].ID != busy.ID {
			t.Fatalf("member of both after %d edits of one: %+v", edits, list)
		}
		if v := list.Items[1]; v.Version != edits+1 || !v.Joint {
			t.Errorf("busy enterprise's copy is not its newest: %+v", v)
		}
		var got EnterpriseView
		must(t, anon.Get(villageA, "/enterprises/"+quiet.ID), 200).JSON(&got)
		if got.ID != quiet.ID || got.Name != quiet.Name || !got.Joint || got.Version != 1 {
			t.Errorf("quiet enterprise by id: %+v", got)
		}
		must(t, anon.Get(villageA3, "/enterprises/"+busy.ID), 200).JSON(&got)
		if got.Version != edits+1 {
			t.Errorf("busy enterprise by id: %+v", got)
		}
		must(t, anon.Get(villageA2, "/enterprises?kind=bersama"), 200).JSON(&list)
		if list.Total != 1 || len(list.Items) != 1 || list.Items[0].ID != quiet.ID {
			t.Errorf("member of the quiet one only: %+v", list)
		}
		wantCode(t, "not a member", anon.Get(villageA2, "/enterprises/"+busy.ID), 404, codeEnterpriseNotFound)
	}, sdktest.WithClock(func() time.Time { return now }))
}
