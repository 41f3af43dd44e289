package e2e

// The bumdes module (village-owned enterprises) through the real balai
// binary and plugins on SQLite and PostgreSQL: a village registers its
// BUM Desa (a second refused), its management, units and semester reports;
// the capital it records is compared with a real APBDes approved in the
// finance module (its 6.2.2 line budgeted and realised); a unit opens a
// seller in the village mall that marketplace then lists with kind bumdes;
// the district registers a BUMDes Bersama of two of its villages, which
// both show; a neighbour village is refused; the regency's roll-up counts
// only the villages below it with the module on; bad input gets the
// documented codes.

import (
	"net/http"
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/storetest"
)

func bumdesPath(tenant, path string) string { return p(tenant, "bumdes", path) }

func TestBumdes(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"bumdes", "finance", "marketplace"})
		for _, tenant := range []string{"14.01", "14.05"} {
			w.enable(t, tenant, "bumdes", true)
		}
		w.enable(t, "14.01", "finance", true)
		head, _ := w.admin.CreateUser(t, "kades-a")
		w.admin.Grant(t, villageA, "kades-a", "admin")
		camat, _ := w.admin.CreateUser(t, "camat-a")
		w.admin.Grant(t, "14.01.01", "camat-a", "operator")
		anon := w.h.Anon()
		ent := bumdesPath(villageA, "/enterprises")

		// Bad input, each with its documented code; nothing stored.
		w.op.Do(t, "POST", ent, `{"name":`).ExpectErr(400, "malformed_json")
		w.op.Do(t, "POST", ent, map[string]any{"name": "BUM Desa Kumantan", "nama": "x"}).ExpectErr(400, "unknown_field")
		w.op.Do(t, "POST", ent, map[string]any{"name": ""}).ExpectErr(422, "invalid_name")
		w.op.Do(t, "POST", ent, map[string]any{"name": "BUM Desa Kumantan", "registration_number": "AHU-123"}).ExpectErr(422, "invalid_registration_number")
		w.op.Do(t, "POST", ent, map[string]any{"name": "BUM Desa Kumantan", "classification": "unggul", "classification_year": 2025}).ExpectErr(422, "invalid_classification")
		w.district.Do(t, "POST", bumdesPath("14.01", "/enterprises"), map[string]any{"name": "BUM Desa Kampar"}).ExpectErr(422, "not_a_village_or_district")
		w.viewer.Do(t, "POST", ent, map[string]any{"name": "BUM Desa Kumantan"}).ExpectErr(403, "forbidden")
		if n := anon.Do(t, "GET", ent, nil).Expect(200).Total(); n != 0 {
			t.Fatalf("refused registrations stored %d enterprises", n)
		}

		// The village's BUM Desa; a second is refused, and so is a neighbour.
		e := w.op.Do(t, "POST", ent, map[string]any{"name": "BUM Desa Kumantan Jaya", "registration_number": "AHU-00712.AH.01.33.TAHUN 2021",
			"perdes_number": "Perdes No. 2 Tahun 2021", "perdes_date": "2021-03-01", "address": "Jl. Prof. M. Yamin, Kumantan",
			"classification": "berkembang", "classification_year": 2025}).Expect(201).JSON()
		id := e["id"].(string)
		if e["registration_number"] != "AHU-00712.AH.01.33.Tahun 2021" || e["kind"] != "desa" {
			t.Errorf("registered: %v", e)
		}
		w.op.Do(t, "POST", ent, map[string]any{"name": "BUM Desa Kedua"}).ExpectErr(409, "enterprise_exists")
		w.opB.Do(t, "POST", ent+"/"+id+"/units", map[string]any{"type": "toko", "name": "Waserda", "manager_name": "Eka"}).ExpectErr(403, "forbidden")
		w.pelalawanUser.Do(t, "PATCH", ent+"/"+id, map[string]any{"name": "Diambil alih"}).ExpectErr(403, "forbidden")
		w.opB.Do(t, "GET", bumdesPath(villageB, "/enterprises/"+id), nil).ExpectErr(404, "enterprise_not_found")

		w.op.Do(t, "POST", ent+"/"+id+"/management", map[string]any{"role": "pelaksana_operasional", "name": "Budi Santoso",
			"nik": "1401010101800001", "phone": "0812-1111-2222", "start_date": "2021-04-01"}).Expect(201)
		w.op.Do(t, "POST", ent+"/"+id+"/management", map[string]any{"role": "bendahara", "name": "Sari", "nik": "12", "start_date": "2021-04-01"}).ExpectErr(422, "invalid_nik")
		if m := w.viewer.Do(t, "GET", ent+"/"+id+"/management", nil).Expect(200).Items(); len(m) != 1 || m[0]["nik"] == "1401010101800001" {
			t.Errorf("the viewer's management list: %v", m)
		}

		water := w.op.Do(t, "POST", ent+"/"+id+"/units", map[string]any{"type": "air_bersih", "name": "Unit Air Bersih", "manager_name": "Dedi"}).Expect(201).Str("id")
		shop := w.op.Do(t, "POST", ent+"/"+id+"/units", map[string]any{"type": "toko", "name": "Waserda Kumantan", "manager_name": "Eka", "description": "Sembako dan pupuk"}).Expect(201).Str("id")
		w.op.Do(t, "POST", ent+"/"+id+"/units", map[string]any{"type": "bank", "name": "Bank", "manager_name": "F"}).ExpectErr(422, "invalid_unit_type")

		// Semester reports: computed profit, one per unit and period,
		// negatives refused with the field named, a correction with history.
		rep := func(unit string, sem int, revenue, costs, pades int) map[string]any {
			return map[string]any{"unit_id": unit, "year": 2026, "semester": sem, "revenue": revenue, "costs": costs, "pades": pades, "assets": 150_000_000, "employees": 3}
		}
		r1 := w.op.Do(t, "POST", ent+"/"+id+"/reports", rep(water, 1, 60_000_000, 45_000_000, 5_000_000)).Expect(201).JSON()
		if num(r1, "profit") != 15_000_000 || r1["period"] != "2026-S1" {
			t.Errorf("report: %v", r1)
		}
		w.op.Do(t, "POST", ent+"/"+id+"/reports", rep(water, 1, 1, 1, 0)).ExpectErr(409, "report_exists")
		if r := w.op.Do(t, "POST", ent+"/"+id+"/reports", rep(water, 2, -1, 1, 0)).ExpectErr(422, "negative_amount"); !strings.Contains(string(r.Body), `"field":"revenue"`) {
			t.Errorf("negative revenue: %s", r.Body)
		}
		w.op.Do(t, "POST", ent+"/"+id+"/reports", rep(water, 3, 1, 1, 0)).ExpectErr(422, "invalid_period")
		w.op.Do(t, "POST", ent+"/"+id+"/reports", rep(shop, 1, 40_000_000, 30_000_000, 2_000_000)).Expect(201)
		c := w.op.Do(t, "POST", ent+"/"+id+"/reports/"+r1["id"].(string)+"/correct", map[string]any{"revenue": 62_000_000, "costs": 45_000_000, "pades": 6_000_000, "assets": 150_000_000, "employees": 3}).Expect(200).JSON()
		if num(c, "revision") != 2 || num(c, "profit") != 17_000_000 {
			t.Errorf("correction: %v", c)
		}

		// Capital against a real approved APBDes: 170 million budgeted on
		// 6.2.2, 100 million paid out.
		w.op.Do(t, "PUT", fin(villageA, "/budgets/2026"), map[string]any{"lines": financeLines()}).Expect(200)
		head.Do(t, "POST", fin(villageA, "/budgets/2026/approve"), perdes).Expect(200)
		w.op.Do(t, "POST", fin(villageA, "/budgets/2026/realisations"), map[string]any{"section": "financing", "code": "6.2.2",
			"date": "2026-02-10", "amount": 100_000_000, "description": "Penyertaan modal BUMDes tahap I"}).Expect(201)
		w.op.Do(t, "POST", ent+"/"+id+"/capital", map[string]any{"year": 2026, "amount": 100_000_000, "source": "desa", "date": "2026-02-12"}).Expect(201)
		w.op.Do(t, "POST", ent+"/"+id+"/capital", map[string]any{"year": 2026, "amount": -5, "source": "desa", "date": "2026-02-12"}).ExpectErr(422, "invalid_amount")
		capital := func() map[string]any {
			years, _ := w.viewer.Do(t, "GET", ent+"/"+id+"/capital", nil).Expect(200).JSON()["years"].([]any)
			if len(years) != 1 {
				t.Fatalf("capital years: %v", years)
			}
			return years[0].(map[string]any)
		}
		if y := capital(); y["budget_status"] != "linked" || num(y, "budgeted") != 170_000_000 || num(y, "realised") != 100_000_000 || y["mismatch"] != false {
			t.Errorf("capital matching the APBDes: %v", y)
		}
		w.op.Do(t, "POST", ent+"/"+id+"/capital", map[string]any{"year": 2026, "amount": 20_000_000, "source": "desa", "date": "2026-03-01"}).Expect(201)
		if y := capital(); y["mismatch"] != true || num(y, "difference") != 20_000_000 {
			t.Errorf("20 million recorded beyond what the APBDes paid: %v", y)
		}
		// Without the finance module, recorded as typed.
		w.enable(t, villageA, "finance", false)
		if y := capital(); y["budget_status"] != "finance_off" || y["mismatch"] != false {
			t.Errorf("capital with finance off: %v", y)
		}

		// The mall: refused while the marketplace is off, then a seller of
		// kind bumdes that marketplace lists; the public page links it.
		w.op.Do(t, "POST", ent+"/"+id+"/units/"+shop+"/seller", nil).ExpectErr(409, "marketplace_not_enabled")
		w.enable(t, "14.01", "marketplace", true)
		u := w.op.Do(t, "POST", ent+"/"+id+"/units/"+shop+"/seller", nil).Expect(200).JSON()
		seller, _ := u["seller_id"].(string)
		if seller == "" || !strings.Contains(u["mall_page"].(string), "/"+villageA+"/marketplace/?seller="+seller) {
			t.Fatalf("unit after opening its seller: %v", u)
		}
		w.op.Do(t, "POST", ent+"/"+id+"/units/"+shop+"/seller", nil).ExpectErr(409, "seller_exists")
		found := false
		for _, s := range anon.Do(t, "GET", p(villageA, "marketplace", "/sellers?kind=bumdes"), nil).Expect(200).Items() {
			found = found || (s["id"] == seller && s["kind"] == "bumdes" && strings.Contains(s["name"].(string), "Waserda Kumantan"))
		}
		if !found {
			t.Errorf("marketplace does not list the unit's seller %s", seller)
		}
		pub := anon.Do(t, "GET", ent+"/"+id, nil).Expect(200)
		if strings.Contains(string(pub.Body), "1401010101800001") || strings.Contains(string(pub.Body), "0812") || !strings.Contains(string(pub.Body), "?seller="+seller) {
			t.Errorf("the public enterprise: %s", pub.Body)
		}

		// A BUMDes Bersama of two villages of the district.
		joint := bumdesPath("14.01.01", "/enterprises")
		camat.Do(t, "POST", joint, map[string]any{"name": "BUM Desa Bersama X", "members": []string{villageA, villageB}}).ExpectErr(422, "member_not_in_district")
		w.op.Do(t, "POST", joint, map[string]any{"name": "BUM Desa Bersama X", "members": []string{villageA, villageA2}}).ExpectErr(403, "forbidden")
		j := camat.Do(t, "POST", joint, map[string]any{"name": "BUM Desa Bersama Bangkinang", "members": []string{villageA2, villageA},
			"perdes_number": "Peraturan Bersama Kepala Desa No. 1 Tahun 2022"}).Expect(201).JSON()
		jid := j["id"].(string)
		for _, v := range []string{villageA, villageA2} {
			ok := false
			for _, it := range anon.Do(t, "GET", bumdesPath(v, "/enterprises"), nil).Expect(200).Items() {
				ok = ok || (it["id"] == jid && it["joint"] == true && it["tenant"] == "14.01.01")
			}
			if !ok {
				t.Errorf("member %s does not show the BUMDes Bersama", v)
			}
		}
		if n := anon.Do(t, "GET", bumdesPath(villageB, "/enterprises"), nil).Expect(200).Total(); n != 0 {
			t.Errorf("a village outside shows %d enterprises", n)
		}
		camat.Do(t, "PATCH", joint+"/"+jid, map[string]any{"classification": "pemula", "classification_year": 2025}).Expect(200)
		if v := anon.Do(t, "GET", bumdesPath(villageA2, "/enterprises/"+jid), nil).Expect(200).JSON(); v["classification"] != "pemula" {
			t.Errorf("the member's copy after the district's edit: %v", v)
		}
		ju := camat.Do(t, "POST", joint+"/"+jid+"/units", map[string]any{"type": "wisata", "name": "Wisata Sungai Kampar", "manager_name": "Gani"}).Expect(201).Str("id")
		camat.Do(t, "POST", joint+"/"+jid+"/reports", map[string]any{"unit_id": ju, "year": 2026, "semester": 1, "revenue": 30_000_000, "costs": 10_000_000, "pades": 1_000_000}).Expect(201)

		// Elsewhere: Batu Belah (another district) and Pelalawan (another regency).
		w.opB.Do(t, "POST", bumdesPath(villageB, "/enterprises"), map[string]any{"name": "BUM Desa Batu Belah"}).Expect(201)
		pe := w.pelalawanUser.Do(t, "POST", bumdesPath(villageP, "/enterprises"), map[string]any{"name": "BUM Desa Pelalawan"}).Expect(201).Str("id")
		pu := w.pelalawanUser.Do(t, "POST", bumdesPath(villageP, "/enterprises/"+pe+"/units"), map[string]any{"type": "toko", "name": "Toko", "manager_name": "H"}).Expect(201).Str("id")
		w.pelalawanUser.Do(t, "POST", bumdesPath(villageP, "/enterprises/"+pe+"/reports"), map[string]any{"unit_id": pu, "year": 2026, "semester": 1, "revenue": 999_000_000, "costs": 1}).Expect(201)

		// The regency's roll-up: only its own villages.
		s := anon.Do(t, "GET", bumdesPath("14.01", "/summary?year=2026"), nil).Expect(200).JSON()
		if num(s, "with_enterprise") != 2 || num(s, "joint_enterprises") != 1 || num(s, "revenue") != 62_000_000+40_000_000+30_000_000 ||
			num(s, "pades") != 6_000_000+2_000_000+1_000_000 || num(s, "by_classification", "berkembang") != 1 || num(s, "by_classification", "pemula") != 1 || num(s, "by_classification", "none") != 1 {
			t.Errorf("Kampar's roll-up: %v", s)
		}
		if num(s, "villages") < 200 {
			t.Errorf("Kampar's roll-up counts %v villages", s["villages"])
		}
		w.enable(t, villageB, "bumdes", false)
		s = anon.Do(t, "GET", bumdesPath("14.01", "/summary?year=2026"), nil).Expect(200).JSON()
		if num(s, "with_enterprise") != 1 {
			t.Errorf("a village with the module off still counted: %v", s["with_enterprise"])
		}
		anon.Do(t, "GET", bumdesPath("14.01", "/summary?year=abcd"), nil).ExpectErr(400, "invalid_year")
		if r := anon.Do(t, "GET", "/"+villageA+"/bumdes/enterprises/"+id, nil); r.Status != http.StatusOK || !strings.Contains(string(r.Body), "Waserda Kumantan") {
			t.Errorf("the public page: %d", r.Status)
		}
	})
}

// TestBumdesTrial replays the findings of the 2026-12-01 user trial
// through the real binaries: implausible employees refused while a figure
// at the Rp 10 trillion bound is accepted; a unit name repeated in
// another case or spacing refused; a new classification without its year
// refused (the public page keeps the year actually assessed); the public
// BUMDes Bersama page names its member villages; a member village's
// summary lists the BUMDes Bersama it belongs to, which the regency still
// counts once.
func TestBumdesTrial(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"bumdes"})
		w.enable(t, "14.01", "bumdes", true)
		camat, _ := w.admin.CreateUser(t, "camat-a")
		w.admin.Grant(t, "14.01.01", "camat-a", "operator")
		anon := w.h.Anon()
		ent := bumdesPath(villageA, "/enterprises")

		id := w.op.Do(t, "POST", ent, map[string]any{"name": "BUM Desa Kumantan Jaya", "classification": "berkembang", "classification_year": 2025}).Expect(201).Str("id")
		shop := w.op.Do(t, "POST", ent+"/"+id+"/units", map[string]any{"type": "toko", "name": "Waserda Kumantan", "manager_name": "Eka"}).Expect(201).Str("id")
		w.op.Do(t, "POST", ent+"/"+id+"/units", map[string]any{"type": "toko", "name": "waserda  KUMANTAN", "manager_name": "Eka"}).ExpectErr(409, "unit_exists")
		if n := anon.Do(t, "GET", ent+"/"+id+"/units", nil).Expect(200).Total(); n != 1 {
			t.Errorf("units after the refused twin: %d", n)
		}

		rep := map[string]any{"unit_id": shop, "year": 2026, "semester": 1, "revenue": 10_000_000_000_000, "costs": 1, "employees": 99_999_999_999}
		if r := w.op.Do(t, "POST", ent+"/"+id+"/reports", rep).ExpectErr(422, "invalid_amount"); !strings.Contains(string(r.Body), `"field":"employees"`) {
			t.Errorf("employees refusal: %s", r.Body)
		}
		rep["employees"] = 100_000
		w.op.Do(t, "POST", ent+"/"+id+"/reports", rep).Expect(201)

		if r := w.op.Do(t, "PATCH", ent+"/"+id, map[string]any{"classification": "maju"}).ExpectErr(422, "invalid_classification"); !strings.Contains(string(r.Body), `"field":"classification_year"`) {
			t.Errorf("classification without its year: %s", r.Body)
		}
		if page := string(anon.Do(t, "GET", "/"+villageA+"/bumdes/enterprises/"+id, nil).Expect(200).Body); strings.Contains(page, "Maju") || !strings.Contains(page, "Berkembang 2025") {
			t.Errorf("the public page after the refused classification: %s", page)
		}
		w.op.Do(t, "PATCH", ent+"/"+id, map[string]any{"classification": "maju", "classification_year": 2026}).Expect(200)

		// A BUMDes Bersama of Kumantan and Ridan Permai.
		jid := camat.Do(t, "POST", bumdesPath("14.01.01", "/enterprises"), map[string]any{"name": "BUM Desa Bersama Bangkinang", "members": []string{villageA2, villageA},
			"classification": "pemula", "classification_year": 2025}).Expect(201).Str("id")
		for _, at := range []string{"14.01.01", villageA, villageA2} {
			page := string(anon.Do(t, "GET", "/"+at+"/bumdes/enterprises/"+jid, nil).Expect(200).Body)
			if !strings.Contains(page, "Desa anggota: Kumantan, Ridan Permai") || strings.Contains(page, villageA2+",") {
				t.Errorf("the BUMDes Bersama's page at %s does not name its members: %s", at, page)
			}
		}
		s := anon.Do(t, "GET", bumdesPath(villageA2, "/summary?year=2026"), nil).Expect(200).JSON()
		joint, _ := s["joint"].([]any)
		if num(s, "joint_enterprises") != 1 || len(joint) != 1 || joint[0].(map[string]any)["id"] != nil || joint[0].(map[string]any)["enterprise"] != jid ||
			joint[0].(map[string]any)["member"] != true || num(s, "by_classification", "pemula") != 1 {
			t.Errorf("the member village's summary: %v", s)
		}
		s = anon.Do(t, "GET", bumdesPath("14.01", "/summary?year=2026"), nil).Expect(200).JSON()
		if num(s, "joint_enterprises") != 1 || num(s, "with_enterprise") != 1 || num(s, "by_classification", "pemula") != 1 || num(s, "by_classification", "maju") != 1 ||
			num(s, "revenue") != 10_000_000_000_000 {
			t.Errorf("the regency counts the BUMDes Bersama once: %v", s)
		}
	})
}
