package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
)

// waitPopulation waits until the public profile of tenant shows want
// living residents, as the profile's event handlers recount them.
func waitPopulation(t *testing.T, c *Client, tenant string, want int) {
	t.Helper()
	var last any
	deadline := time.Now().Add(20 * time.Second)
	for {
		last = c.Do(t, "GET", p(tenant, "profile", ""), nil).Expect(200).JSON()["population"]
		if last == float64(want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("population of %s is %v after 20 s, want %d", tenant, last, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func strs(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func TestProfileModule(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"population", "profile"})
		w.enable(t, "14.01", "profile", true)
		// Population in two villages only: the village list must show the
		// modules of each village, not of the district.
		w.enable(t, villageA, "population", true)
		w.enable(t, villageB, "population", true)
		anon := w.h.Anon()

		// The public page, at the plugin's root with no trailing path.
		v := anon.Do(t, "GET", p(villageA, "profile", ""), nil).Expect(200).JSON()
		region := func(key string) string { m, _ := v[key].(map[string]any); s, _ := m["name"].(string); return s }
		if v["code"] != villageA || v["name"] != "Kumantan" || region("sub_district") != "Bangkinang Kota" ||
			region("regency") != "Kabupaten Kampar" || region("province") != "Riau" {
			t.Errorf("identity: %v", v)
		}
		if v["version"] != float64(0) || v["population"] != float64(0) {
			t.Errorf("fresh profile: %v", v)
		}
		anon.Do(t, "GET", p(villageA, "profile", "/"), nil).Expect(200)

		// Editing: the operator of the village, nobody else.
		profile := map[string]any{
			"version": 0, "head": "H. Ahmad Yani", "address": "Jl. Prof. M. Yamin No. 1, Kumantan",
			"contact":     map[string]string{"phone": "+62 762 21234", "email": "kantor@kumantan.desa.id", "website": "https://kumantan.desa.id"},
			"area_km2":    12.5,
			"boundaries":  map[string]string{"north": "Ridan Permai", "east": "Sungai Kampar", "south": "Langgini", "west": "Bangkinang"},
			"coordinates": map[string]float64{"latitude": 0.3376, "longitude": 101.0257},
			"vision":      "Kumantan yang maju, religius dan sejahtera",
			"mission":     []string{"Pelayanan publik yang prima", "Ekonomi desa yang kuat"},
			"officials":   []map[string]string{{"name": "Siti Rahma", "position": "Sekretaris Desa"}, {"name": "Joni", "position": "Kaur Keuangan"}},
			"potential":   []string{"Perkebunan sawit", "Budidaya ikan patin"},
		}
		anon.Do(t, "PUT", p(villageA, "profile", ""), profile).ExpectErr(401, "unauthenticated")
		w.viewer.Do(t, "PUT", p(villageA, "profile", ""), profile).ExpectErr(403, "forbidden")
		w.opB.Do(t, "PUT", p(villageA, "profile", ""), profile).ExpectErr(403, "forbidden")
		saved := w.op.Do(t, "PUT", p(villageA, "profile", ""), profile).Expect(200).JSON()
		if saved["version"] != float64(1) || saved["head"] != "H. Ahmad Yani" || len(saved["officials"].([]any)) != 2 {
			t.Fatalf("saved: %v", saved)
		}
		before := string(anon.Do(t, "GET", p(villageA, "profile", ""), nil).Expect(200).Body)

		// Bad input is refused, and nothing changes.
		with := func(k string, val any) map[string]any {
			m := map[string]any{}
			for kk, vv := range profile {
				m[kk] = vv
			}
			m["version"] = 1
			if val == nil {
				delete(m, k)
			} else {
				m[k] = val
			}
			return m
		}
		for _, c := range []struct {
			name   string
			body   any
			status int
			code   string
		}{
			{"latitude out of range", with("coordinates", map[string]float64{"latitude": 101.02, "longitude": 0.33}), 422, "invalid_coordinates_latitude"},
			{"longitude out of range", with("coordinates", map[string]float64{"latitude": 0.33, "longitude": 200}), 422, "invalid_coordinates_longitude"},
			{"negative area", with("area_km2", -4), 422, "invalid_area_km2"},
			{"bad e-mail", with("contact", map[string]string{"email": "kantor desa"}), 422, "invalid_contact_email"},
			{"bad website", with("contact", map[string]string{"website": "javascript:alert(1)"}), 422, "invalid_contact_website"},
			{"official without position", with("officials", []map[string]string{{"name": "Joni"}}), 422, "invalid_officials"},
			{"no version", with("version", nil), 422, "version_required"},
			{"unknown field", with("kepala_desa", "X"), 400, "unknown_field"},
			{"unknown nested field", with("boundaries", map[string]string{"northeast": "X"}), 400, "unknown_field"},
			{"not JSON", `{"version":1,`, 400, "malformed_json"},
			{"stale version", with("version", 0), 409, "version_conflict"},
		} {
			t.Run(c.name, func(t *testing.T) {
				w.op.Do(t, "PUT", p(villageA, "profile", ""), c.body).ExpectErr(c.status, c.code)
			})
		}
		if after := string(anon.Do(t, "GET", p(villageA, "profile", ""), nil).Expect(200).Body); after != before {
			t.Errorf("refused writes changed the profile:\nbefore %s\nafter  %s", before, after)
		}

		// The population count follows population's events.
		const kk = "1401012001150009"
		rahmat := w.op.Do(t, "POST", p(villageA, "population", "/residents"), popResident("1401011503800101", kk, "Rahmat", "L", "1980-03-15", "1")).Expect(201).Str("id")
		nur := w.op.Do(t, "POST", p(villageA, "population", "/residents"), popResident("1401014508850102", kk, "Nurhayati", "P", "1985-08-05", "3")).Expect(201).Str("id")
		waitPopulation(t, anon, villageA, 2)
		w.op.Do(t, "POST", p(villageA, "population", "/events"), map[string]any{"type": "death", "date": "2026-01-02", "resident_id": rahmat}).Expect(200)
		waitPopulation(t, anon, villageA, 1)
		csv, err := os.ReadFile(filepath.Join(repoRoot, "examples", "population", "residents-sample.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if res := w.op.Do(t, "POST", p(villageA, "population", "/import"), string(csv)).Expect(200).JSON(); res["inserted"] != float64(4) {
			t.Fatalf("import: %v", res)
		}
		waitPopulation(t, anon, villageA, 5)
		// A move between villages, by the district admin who may write in
		// both: down in A, up in B (published in B's own tenant).
		w.district.Do(t, "POST", p(villageA, "population", "/events"), map[string]any{"type": "move", "date": "2026-02-01", "resident_id": nur, "to_tenant": villageB}).Expect(200)
		waitPopulation(t, anon, villageA, 4)
		waitPopulation(t, anon, villageB, 1)
		// Editing the profile does not reset the count, and a recount does
		// not move the version clerks see.
		if v := anon.Do(t, "GET", p(villageA, "profile", ""), nil).Expect(200).JSON(); v["version"] != float64(1) || v["population_counted_at"] == nil {
			t.Errorf("after recounts: %v", v)
		}
		next := with("head", "H. Ahmad Yani, S.Sos")
		if v := w.op.Do(t, "PUT", p(villageA, "profile", ""), next).Expect(200).JSON(); v["version"] != float64(2) || v["population"] != float64(4) {
			t.Errorf("second edit: %v", v)
		}

		// The one portal for all villages: every village of Kampar, whether
		// it has a profile or not, with its modules and population.
		list := anon.Do(t, "GET", p("14.01", "profile", "/villages?limit=500"), nil).Expect(200)
		items := list.Items()
		if list.Total() != 250 || len(items) != 250 {
			t.Fatalf("Kampar lists %d villages (total %d), want 250", len(items), list.Total())
		}
		codeRE := regexp.MustCompile(`^14\.01\.\d{2}\.\d{4}$`)
		byCode := map[string]map[string]any{}
		for _, it := range items {
			code, _ := it["code"].(string)
			if !codeRE.MatchString(code) || it["name"] == "" || it["sub_district"] == nil {
				t.Errorf("list item: %v", it)
			}
			byCode[code] = it
		}
		a, a2, vb := byCode[villageA], byCode[villageA2], byCode[villageB]
		if a["name"] != "Kumantan" || a["head"] != "H. Ahmad Yani, S.Sos" || a["population"] != float64(4) || a["has_profile"] != true ||
			!slices.Equal(strs(a["modules"]), []string{"population", "profile"}) {
			t.Errorf("Kumantan in the list: %v", a)
		}
		if vb["name"] != "Batu Belah" || vb["population"] != float64(1) || vb["has_profile"] != false || vb["head"] != "" ||
			!slices.Equal(strs(vb["modules"]), []string{"population", "profile"}) {
			t.Errorf("Batu Belah in the list: %v", vb)
		}
		if a2["name"] != "Ridan Permai" || a2["population"] != float64(0) || !slices.Equal(strs(a2["modules"]), []string{"profile"}) {
			t.Errorf("Ridan Permai in the list: %v", a2)
		}
		if sd := vb["sub_district"].(map[string]any); sd["code"] != "14.01.02" || sd["name"] != "Kampar" {
			t.Errorf("sub-district of Batu Belah: %v", sd)
		}
		// Search and pages.
		found := anon.Do(t, "GET", p("14.01", "profile", "/villages?q=kumantan"), nil).Expect(200)
		if found.Total() < 1 || !slices.ContainsFunc(found.Items(), func(m map[string]any) bool { return m["code"] == villageA }) {
			t.Errorf("search kumantan: %s", found.Body)
		}
		for _, it := range found.Items() {
			if !strings.Contains(strings.ToLower(it["name"].(string)), "kumantan") {
				t.Errorf("search kumantan found %v", it["name"])
			}
		}
		page2 := anon.Do(t, "GET", p("14.01", "profile", "/villages?page=2&limit=100"), nil).Expect(200)
		if got := page2.Items(); page2.Total() != 250 || len(got) != 100 || got[0]["code"] != items[100]["code"] {
			t.Errorf("page 2: total %d, %d items", page2.Total(), len(got))
		}
		anon.Do(t, "GET", p("14.01", "profile", "/villages?limit=501"), nil).ExpectErr(400, "invalid_pagination")
		sub := anon.Do(t, "GET", p("14.01.01", "profile", "/villages?limit=500"), nil).Expect(200)
		for _, it := range sub.Items() {
			if !strings.HasPrefix(it["code"].(string), "14.01.01.") {
				t.Errorf("sub-district list holds %v", it["code"])
			}
		}
		if sub.Total() == 0 || sub.Total() >= 250 {
			t.Errorf("Bangkinang Kota lists %d villages", sub.Total())
		}
		anon.Do(t, "GET", p(villageA, "profile", "/villages"), nil).ExpectErr(422, "no_villages_below")
		anon.Do(t, "GET", p("14.01", "profile", ""), nil).ExpectErr(422, "not_a_village")

		// Not enabled in Pelalawan.
		anon.Do(t, "GET", p(villageP, "profile", ""), nil).ExpectErr(404, "module_not_enabled")
		anon.Do(t, "GET", p("14.05", "profile", "/villages"), nil).ExpectErr(404, "module_not_enabled")

		// Enabled after residents exist: the event came while the profile was
		// off (skipped), and the first read counts.
		w.enable(t, villageP, "population", true)
		w.pelalawanUser.Do(t, "POST", p(villageP, "population", "/residents"), popResident("1405011503800001", "1405012001150001", "Amir", "L", "1980-03-15", "1")).Expect(201)
		waitFor(t, 20*time.Second, func() bool {
			m := string(anon.Do(t, "GET", "/metrics", nil).Expect(200).Body)
			return strings.Contains(m, `balai_plugin_events_total{outcome="skipped",plugin="profile"} 1`)
		})
		w.enable(t, villageP, "profile", true)
		if v := anon.Do(t, "GET", p(villageP, "profile", ""), nil).Expect(200).JSON(); v["population"] != float64(1) || v["name"] != "Air Hitam" {
			t.Errorf("first read after residents exist: %v", v)
		}

		// Population switched off in B: the count stays as last known, the
		// profile still answers.
		w.enable(t, villageB, "population", false)
		if v := anon.Do(t, "GET", p(villageB, "profile", ""), nil).Expect(200).JSON(); v["population"] != float64(1) {
			t.Errorf("B without population: %v", v)
		}
	})
}
