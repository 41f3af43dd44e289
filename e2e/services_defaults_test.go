package e2e

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/plugins/services/letterread"
)

// Day-one defaults (issue 13 item 5): what a newcomer who follows the
// README meets on a fresh deployment.

// Seeding one district leaves the regency portal working: the seed enables
// the modules for the regency, and before it a module_not_enabled answer
// says where the module is enabled and how to enable it, from the API and
// the CLI alike. Without --public-url the server says at start how to set
// it.
func TestDefaultsSeedOneDistrictServesTheRegencyPortal(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		h := NewHost(t, b)
		plugins := PluginDir(t, "population", "profile")
		h.MustCLI(t, "tenant", "import", "--under", "14.01")
		h.Serve(t, "--plugins", plugins)
		if log := h.Log(); !strings.Contains(log, "no --public-url (BALAI_PUBLIC_URL) set") || !strings.Contains(log, "set it to the portal's public address") {
			t.Errorf("no clear warning of the missing public URL:\n%s", tail(log, 20))
		}
		anon, admin := h.Anon(), h.Admin(t)
		portal := p("14.01", "profile", "/villages")

		// Enabled nowhere: the answer says so, and how to enable it.
		msg := anon.Do(t, "GET", portal, nil).ExpectErr(404, "module_not_enabled").JSON()["error"].(map[string]any)["message"].(string)
		for _, want := range []string{"module profile is not enabled for tenant 14.01", "enabled for no tenant yet",
			"balai plugin enable profile --tenant 14.01", `PUT /api/v1/tenants/14.01/modules/profile {"enabled":true}`} {
			if !strings.Contains(msg, want) {
				t.Errorf("module_not_enabled says %q, not %q", msg, want)
			}
		}
		// Enabled for one village: the regency's answer names it.
		admin.Do(t, "PUT", "/api/v1/tenants/"+villageA+"/modules/profile", map[string]bool{"enabled": true}).Expect(200)
		msg = anon.Do(t, "GET", portal, nil).ExpectErr(404, "module_not_enabled").JSON()["error"].(map[string]any)["message"].(string)
		if !strings.Contains(msg, "enabled only at "+villageA) {
			t.Errorf("module_not_enabled after enabling a village: %q", msg)
		}
		// The CLI goes through the same check and shows the same hint.
		r := h.CLI(t, "", "population", "import", "--tenant", villageA, "--plugins", plugins, filepath.Join(repoRoot, "examples", "population", "residents-sample.csv"))
		if r.Code == 0 || !strings.Contains(r.Stderr, "module_not_enabled") || !strings.Contains(r.Stderr, "enabled for no tenant yet") ||
			!strings.Contains(r.Stderr, "balai plugin enable population --tenant "+villageA) {
			t.Errorf("CLI before enabling: exit %d\n%s", r.Code, r.Stderr)
		}

		// The wrong level for each flag is refused with the right words.
		for args, want := range map[string]string{
			"--regency 14.01.01": "--regency takes a regency (kabupaten/kota) code",
			"--district 14":      "--district takes a district (kecamatan) code",
		} {
			r := h.CLI(t, "", append([]string{"demo", "seed", "--plugins", plugins, "--residents", "10"}, strings.Fields(args)...)...)
			if r.Code == 0 || !strings.Contains(r.Stderr, want) {
				t.Errorf("demo seed %s: exit %d, %s", args, r.Code, r.Stderr)
			}
		}

		// Seeding one district enables the modules for its regency: the
		// portal lists the regency's villages and the regency's numbers
		// count the seeded residents.
		r = h.MustCLI(t, "demo", "seed", "--district", "14.01.01", "--residents", "300", "--plugins", plugins)
		if !strings.Contains(r.Stderr, "modules enabled for the regency 14.01") {
			t.Errorf("seed said:\n%s", r.Stderr)
		}
		waitFor(t, 10*time.Second, func() bool { return anon.Do(t, "GET", portal, nil).Status == 200 })
		if v := anon.Do(t, "GET", portal, nil).Expect(200); v.Total() == 0 {
			t.Errorf("the regency portal lists no villages: %s", v.Body)
		}
		if st := anon.Do(t, "GET", p("14.01", "population", "/stats?by=sex"), nil).Expect(200).JSON(); st["total"] != float64(300) {
			t.Errorf("regency statistics after seeding one district: %v", st)
		}
		for _, m := range admin.Do(t, "GET", "/api/v1/tenants/14.01/modules", nil).Expect(200).Items() {
			if m["enabled"] != true {
				t.Errorf("module not enabled for the regency after the seed: %v", m)
			}
		}
	})
}

// A regency may require a second person to approve (four_eyes, prinsip
// empat mata): its villages inherit it; the submitter and the last editor
// of a request are refused (403 four_eyes_required, audited); anyone else
// with the right approves, and anyone issues. Off by default: the
// lifecycle test has one clerk do everything.
func TestDefaultsFourEyes(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := servicesWorld(t, b)
		svc := func(path string) string { return p(villageA, "services", path) }
		if s := w.op.Do(t, "GET", svc("/settings"), nil).Expect(200).JSON(); s["resolved"].(map[string]any)["four_eyes"] != false {
			t.Errorf("four_eyes by default: %v", s["resolved"])
		}
		w.district.Do(t, "PUT", p("14.01", "services", "/settings"), map[string]any{"four_eyes": true}).Expect(200)
		if s := w.op.Do(t, "GET", svc("/settings"), nil).Expect(200).JSON(); s["resolved"].(map[string]any)["four_eyes"] != true {
			t.Errorf("the village does not inherit four_eyes: %v", s["resolved"])
		}
		op2, _ := w.admin.CreateUser(t, "op-a2")
		w.admin.Grant(t, villageA, "op-a2", "operator")

		// The submitter may not approve.
		id := w.op.Do(t, "POST", svc("/requests"), letterRequest("domisili", budi["nik"], "melamar pekerjaan", nil)).Expect(201).Str("id")
		ref := w.op.Do(t, "GET", svc("/requests/"+id), nil).Expect(200).Str("ref")
		w.op.Do(t, "POST", svc("/requests/"+id+"/approve"), nil).ExpectErr(403, "four_eyes_required")
		// Nor who edited it last.
		op2.Do(t, "PATCH", svc("/requests/"+id), map[string]any{"purpose": "melamar pekerjaan di Pekanbaru"}).Expect(200)
		op2.Do(t, "POST", svc("/requests/"+id+"/approve"), nil).ExpectErr(403, "four_eyes_required")
		// A third person approves; the submitter issues and prints.
		w.district.Do(t, "POST", svc("/requests/"+id+"/approve"), nil).Expect(200)
		w.op.Do(t, "POST", svc("/requests/"+id+"/issue"), nil).Expect(200)
		qr := letterQR(t, w.op.Do(t, "GET", svc("/requests/"+id+"/pdf"), nil).Expect(200).Body)
		if v := w.h.Anon().Do(t, "GET", verifyAPI(t, qr), nil).Expect(200).JSON(); v["valid"] != true {
			t.Errorf("the issued letter does not verify: %v", v)
		}
		refused := 0
		for _, e := range w.admin.Do(t, "GET", "/api/v1/audit?action=services.requests.approval_refused", nil).Expect(200).Items() {
			if e["target"] == ref {
				refused++
			}
		}
		if refused != 2 {
			t.Errorf("refused approvals in the audit trail: %d, want 2", refused)
		}

		// A village's own setting may turn it off again (the settings'
		// inheritance: a tenant's own settings win).
		w.district.Do(t, "PUT", svc("/settings"), map[string]any{"four_eyes": false}).Expect(200)
		id2 := w.op.Do(t, "POST", svc("/requests"), letterRequest("domisili", budi["nik"], "beasiswa", nil)).Expect(201).Str("id")
		w.op.Do(t, "POST", svc("/requests/"+id2+"/approve"), nil).Expect(200)
	})
}

// A letter prints once issued, on the tenant's paper (F4 by default, A4
// when set; the PDF's MediaBox is the sheet), with amounts in Rupiah and
// the date in Indonesian, and the printed letter verifies as valid.
func TestDefaultsLetterPrinting(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := servicesWorld(t, b)
		svc := func(path string) string { return p(villageA, "services", path) }
		q := w.op.Do(t, "POST", svc("/requests"), letterRequest("sktm", budi["nik"], "beasiswa", map[string]string{"income": "Rp 1.500.000", "dependents": "3"})).Expect(201).JSON()
		id := q["id"].(string)
		if q["fields"].(map[string]any)["income"] != "1500000" || q["fields_text"].(map[string]any)["income"] != "Rp1.500.000" {
			t.Errorf("income in the request: %v / %v", q["fields"], q["fields_text"])
		}
		w.op.Do(t, "POST", svc("/requests"), letterRequest("sktm", budi["nik"], "beasiswa", map[string]string{"income": "sejuta"})).ExpectErr(422, "invalid_field")

		approved := w.op.Do(t, "POST", svc("/requests/"+id+"/approve"), nil).Expect(200).JSON()
		w.op.Do(t, "GET", svc("/requests/"+id+"/pdf"), nil).ExpectErr(409, "letter_not_issued")
		w.op.Do(t, "POST", svc("/requests/"+id+"/issue"), nil).Expect(200)

		sheet := func(want [2]float64) []byte {
			t.Helper()
			pdf := w.op.Do(t, "GET", svc("/requests/"+id+"/pdf"), nil).Expect(200).Body
			sizes, err := letterread.PageSizes(pdf)
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range sizes {
				if math.Abs(s[0]-want[0]) > 0.1 || math.Abs(s[1]-want[1]) > 0.1 {
					t.Errorf("page %d is %.1f x %.1f mm, want %.0f x %.0f", i+1, s[0], s[1], want[0], want[1])
				}
			}
			return pdf
		}
		pdf := sheet([2]float64{215, 330}) // F4, the default
		text := letterText(t, pdf)
		date, _ := time.Parse(time.DateOnly, approved["letter_date"].(string))
		months := []string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}
		for _, want := range []string{"Rp1.500.000", fmt.Sprintf("Kumantan, %d %s %d", date.Day(), months[date.Month()-1], date.Year())} {
			if !strings.Contains(text, want) {
				t.Errorf("the letter does not say %q:\n%s", want, text)
			}
		}
		if v := w.h.Anon().Do(t, "GET", verifyAPI(t, letterQR(t, pdf)), nil).Expect(200).JSON(); v["valid"] != true {
			t.Errorf("the printed letter does not verify: %v", v)
		}
		// The regency chooses A4; its villages print on it.
		w.district.Do(t, "PUT", p("14.01", "services", "/settings"), map[string]any{"paper": "Letter"}).ExpectErr(422, "invalid_settings")
		w.district.Do(t, "PUT", p("14.01", "services", "/settings"), map[string]any{"paper": "A4"}).Expect(200)
		sheet([2]float64{210, 297})
	})
}
