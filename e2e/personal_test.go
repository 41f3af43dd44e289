package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
)

// A vendor's plugin (posyandu) declares personal fields and does nothing
// else about them: the host masks them for a caller without the
// collection's personal permission, audits every read that shows them in
// full (UU PDP 27/2022) without writing the values into the trail, and a
// district's roll-up leaves out a village where the module is switched off.
// An event delivery has no caller: it reads personal fields in full,
// unaudited.
func TestHostMasksAndAuditsPersonalFields(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"posyandu"})
		w.enable(t, "14.01", "posyandu", true)
		const nikA = "1401012009240001"
		child := func(nik, name string) map[string]any {
			return map[string]any{"nik": nik, "name": name, "birth_date": "2024-03-05", "weight_kg": 9.5}
		}
		a := w.op.Do(t, "POST", p(villageA, "posyandu", "/children"), child(nikA, "Aisyah Putri Ramadhani")).Expect(http.StatusCreated).Str("id")
		w.opB.Do(t, "POST", p(villageB, "posyandu", "/children"), child("1401022001240002", "Muhammad Rizki Pratama")).Expect(http.StatusCreated)
		w.district.Do(t, "POST", p(villageA2, "posyandu", "/children"), child("1401012010240003", "Nur Aini")).Expect(http.StatusCreated)

		personalReads := func(actor string) []map[string]any {
			return w.admin.Do(t, "GET", "/api/v1/audit?action=posyandu.personal.read&actor="+actor, nil).Expect(http.StatusOK).Items()
		}
		data := func(c *Client, tenant string) []map[string]any {
			var out []map[string]any
			for _, it := range c.Do(t, "GET", p(tenant, "posyandu", "/children"), nil).Expect(http.StatusOK).Items() {
				out = append(out, it["data"].(map[string]any))
			}
			return out
		}

		// A viewer sees the child masked, the rest as stored; nothing is
		// audited, for nothing personal was shown.
		seen := data(w.viewer, villageA)
		want := map[string]any{"nik": "1401**********01", "name": "Aisy****************ni", "birth_date": "2024-**-**", "weight_kg": 9.5}
		if len(seen) != 1 || fmt.Sprint(seen[0]) != fmt.Sprint(want) {
			t.Errorf("the viewer sees %v, want %v", seen, want)
		}
		if n := len(personalReads("viewer-a")); n != 0 {
			t.Errorf("a masked read wrote %d personal.read entries", n)
		}

		// The event handler, which serves no caller, read the NIK in full,
		// unaudited.
		checks := func() []map[string]any {
			return w.op.Do(t, "GET", p(villageA, "posyandu", "/checks"), nil).Expect(http.StatusOK).Items()
		}
		waitFor(t, 10*time.Second, func() bool { return len(checks()) == 1 })
		if c := checks()[0]["data"].(map[string]any); c["child"] != a || c["nik_in_full"] != true {
			t.Errorf("the event handler read %v, want child %s with its NIK in full", c, a)
		}
		if n := len(personalReads("anonymous")); n != 0 {
			t.Errorf("an event delivery's read wrote %d personal.read entries", n)
		}

		// The operator holds posyandu.children.read_personal: the child in
		// full, and one entry naming the record and fields, not the values.
		if seen := data(w.op, villageA); len(seen) != 1 || seen[0]["nik"] != nikA || seen[0]["name"] != "Aisyah Putri Ramadhani" || seen[0]["birth_date"] != "2024-03-05" {
			t.Errorf("the operator sees %v, want the child in full", seen)
		}
		entries := personalReads("op-a")
		if len(entries) != 1 {
			t.Fatalf("%d personal.read entries for op-a, want 1 (the insert is not a read): %v", len(entries), entries)
		}
		e := entries[0]
		detail, _ := e["detail"].(map[string]any)
		if e["tenant"] != villageA || e["target"] != "children" || e["source"] != "plugin:posyandu" ||
			fmt.Sprint(detail["records"]) != fmt.Sprint([]any{a}) || fmt.Sprint(detail["fields"]) != "[birth_date name nik]" {
			t.Errorf("personal.read entry %v, want tenant %s, target children, records [%s], fields [birth_date name nik]", e, villageA, a)
		}
		if trail := w.admin.Do(t, "GET", "/api/v1/audit?action=posyandu.personal.read", nil).Expect(http.StatusOK); strings.Contains(string(trail.Body), nikA) || strings.Contains(string(trail.Body), "Aisyah") {
			t.Errorf("the audit trail holds personal values: %s", trail.Body)
		}

		// A public route compares a parent's claim with the real name: the
		// plugin reveals it for that purpose, the host audits the read with
		// the purpose, and the answer shows nothing of it.
		claim := func(name string) any {
			return w.h.AnonFrom("127.0.0.9").Do(t, "POST", p(villageA, "posyandu", "/claims"), map[string]string{"nik": nikA, "name": name}).Expect(http.StatusOK).JSON()["match"]
		}
		if claim("aisyah putri ramadhani") != true || claim("Aisyah") != false {
			t.Errorf("claims against the revealed name did not match as typed")
		}
		revealed := personalReads("anonymous")
		if len(revealed) != 2 || revealed[0]["detail"].(map[string]any)["purpose"] != "check a parent's claim" {
			t.Errorf("revealed reads audited as %v, want 2 entries with the purpose", revealed)
		}

		// The district's roll-up counts every village where the module is
		// on, and leaves out one that switched it off.
		rollup := func() []string {
			var got []string
			for _, g := range w.district.Do(t, "GET", p("14.01", "posyandu", "/rollup"), nil).Expect(http.StatusOK).JSON()["villages"].([]any) {
				got = append(got, fmt.Sprint(g.(map[string]any)["key"].([]any)[0]))
			}
			slices.Sort(got)
			return got
		}
		if got := rollup(); !slices.Equal(got, []string{villageA, villageA2, villageB}) {
			t.Errorf("roll-up with the module on everywhere: %v", got)
		}
		w.district.Do(t, "PUT", "/api/v1/tenants/"+villageA2+"/modules/posyandu", map[string]bool{"enabled": false}).Expect(http.StatusOK)
		if got := rollup(); !slices.Equal(got, []string{villageA, villageB}) {
			t.Errorf("roll-up after %s switched the module off: %v, want %s and %s", villageA2, got, villageA, villageB)
		}
		if seen := data(w.district, "14.01"); len(seen) != 2 || seen[0]["nik"] != nikA {
			t.Errorf("the district's list after %s switched off: %v, want the 2 children of the other villages in full", villageA2, seen)
		}
		if entries := personalReads("kampar-admin"); len(entries) != 1 || len(entries[0]["detail"].(map[string]any)["records"].([]any)) != 2 {
			t.Errorf("the district's list is audited as %v, want one entry with 2 records", entries)
		}
	})
}
