package main

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

func TestDupKey(t *testing.T) {
	base := dupKey("Siti Aminah", "1985-08-05", "Nurhayati")
	if len(base) != dupKeyLen {
		t.Fatalf("key %q is not %d hex digits", base, dupKeyLen)
	}
	for _, c := range []struct {
		name, person, birth, mother string
		same                        bool
	}{
		{"case and spaces", "SITI  AMINAH ", "1985-08-05", "nurhayati", true},
		{"full-width letters", "ＳＩＴＩ Aminah", "1985-08-05", "Nurhayati", true},
		{"another mother", "Siti Aminah", "1985-08-05", "Nurhayani", false},
		{"another birth date", "Siti Aminah", "1985-08-06", "Nurhayati", false},
		{"a letter more", "Sitti Aminah", "1985-08-05", "Nurhayati", false},
		// The separator keeps the parts apart.
		{"parts shifted", "Siti", "1985-08-05", "Aminah Nurhayati", false},
	} {
		if got := dupKey(c.person, c.birth, c.mother); (got == base) != c.same {
			t.Errorf("%s: key %s, base %s, want same %v", c.name, got, base, c.same)
		}
	}
	if dupKey("Nur’aini", "1990-01-01", "Fatimah") != dupKey("nur'aini", "1990-01-01", "FATIMAH") {
		t.Error("a typographic apostrophe makes another person")
	}
	for _, c := range [][3]string{{"", "1985-08-05", "Nurhayati"}, {"Siti", "1985-08-05", ""}, {"Siti", "1985-08-05", "  "}} {
		if k := dupKey(c[0], c[1], c[2]); k != "" {
			t.Errorf("dupKey%q = %q, want none", c, k)
		}
	}
}

// dupPlugin is the plugin with one more route for the test: it clears a
// resident's key, as a resident stored before the key existed has none.
func dupPlugin() *sdk.Plugin {
	p := plugin
	p.Routes = append(slices.Clone(plugin.Routes), sdk.Route{Method: "POST", Path: "/test/unkey/{id}", Permission: permWrite,
		Handler: sdk.Func(func(r *http.Request) (int, any, error) {
			_, err := sdk.From(r).Records("residents").Update(r.Context(), r.PathValue("id"), 0, map[string]any{"dup_key": nil})
			return 200, map[string]bool{"ok": true}, err
		})})
	return &p
}

func TestDuplicates(t *testing.T) { sdktest.Each(t, dupPlugin(), testDuplicates) }

type dupAnswer struct {
	Items []struct {
		Count    int            `json:"count"`
		Villages []string       `json:"villages"`
		Members  []residentView `json:"members"`
	} `json:"items"`
	Total   int            `json:"total"`
	Checked int64          `json:"checked"`
	Unkeyed []villageCount `json:"unkeyed"`
}

func testDuplicates(t *testing.T, h *sdktest.Host) {
	h.Tenant(villageA)
	h.Tenant(villageB)
	h.Enable("14.01")
	kab := h.User("kab-admin", "admin", "14.01")
	if res := h.Admin().API("POST", "/api/v1/roles", map[string]any{"name": "dup-checker", "permissions": []string{permDuplicates}}); res.Status != http.StatusCreated {
		t.Fatalf("creating a role: %d %s", res.Status, res.Body)
	}
	checker := h.User("checker", "dup-checker", "14.01")
	ids := map[string]string{}
	add := func(tenant, key string, body map[string]string) {
		t.Helper()
		res := kab.Post(tenant, "/residents", body)
		if res.Status != http.StatusCreated {
			t.Fatalf("%s: %d %s", key, res.Status, res.Body)
		}
		var v residentView
		res.JSON(&v)
		ids[key] = v.ID
	}
	// Siti is in A and, under another NIK, typed otherwise, in B; a Siti
	// of B with another mother is another woman. Nur'aini is in both,
	// once with a typographic apostrophe. Budi is twice in A. Rudi has no
	// mother's name recorded: never matched.
	add(villageA, "siti-a", person("140101", "Siti Aminah", "P", "1985-08-05", kkA, "1", "Nurhayati", 1))
	add(villageB, "siti-b", person("140102", "SITI  AMINAH", "P", "1985-08-05", kkB, "1", "NURHAYATI", 1))
	add(villageB, "siti-other", person("140102", "Siti Aminah", "P", "1985-08-05", kkB, "9", "Nurhayani", 2))
	add(villageA, "nur-a", person("140101", "Nur’aini", "P", "1990-01-01", kkA, "9", "Fatimah", 2))
	add(villageB, "nur-b", person("140102", "nur'aini", "P", "1990-01-01", kkB, "9", "Fatimah", 3))
	add(villageA, "budi-1", person("140101", "Budi", "L", "1980-03-15", kkA, "9", "Aminah", 3))
	add(villageA, "budi-2", person("140101", "Budi", "L", "1980-03-15", "1401012001150003", "1", "Aminah", 4))
	rudi := person("140102", "Rudi", "L", "1970-07-07", kkB, "9", "", 4)
	delete(rudi, "mother_name")
	add(villageB, "rudi-1", rudi)
	rudi["nik"] = nikOf("140101", "1970-07-07", "L", 5)
	rudi["kk"] = kkA
	add(villageA, "rudi-2", rudi)

	check := func(c *sdktest.Client, tenant string) dupAnswer {
		t.Helper()
		res := c.Get(tenant, "/duplicates")
		if res.Status != http.StatusOK {
			t.Fatalf("GET %s/duplicates: %d %s", tenant, res.Status, res.Body)
		}
		if strings.Contains(string(res.Body), "dup_key") || strings.Contains(string(res.Body), dupKey("Budi", "1980-03-15", "Aminah")) {
			t.Errorf("the answer shows a key: %s", res.Body)
		}
		var a dupAnswer
		res.JSON(&a)
		return a
	}
	groupsOf := func(a dupAnswer) []string {
		var out []string
		for _, g := range a.Items {
			var keys []string
			for _, m := range g.Members {
				for k, id := range ids {
					if id == m.ID {
						keys = append(keys, k)
					}
				}
			}
			slices.Sort(keys)
			out = append(out, strings.Join(keys, "+"))
		}
		return out
	}
	// In one call, then in many small ranges of keys (as at a regency of
	// a million residents): the same groups.
	for _, per := range []int64{50_000, 2} {
		maxGroupsPerCall = per
		got := check(kab, "14.01")
		groups := groupsOf(got)
		// Across villages first.
		if got.Total != 3 || len(groups) != 3 || !slices.Contains(groups[:2], "siti-a+siti-b") || !slices.Contains(groups[:2], "nur-a+nur-b") || groups[2] != "budi-1+budi-2" {
			t.Errorf("%d per call: groups %v, total %d", per, groups, got.Total)
		}
		if got.Checked != 7 {
			t.Errorf("%d per call: checked %d, want the 7 residents with a mother's name", per, got.Checked)
		}
		for _, g := range got.Items[:2] {
			if g.Count != 2 || len(g.Villages) != 2 || g.Villages[0] != villageA || g.Villages[1] != villageB {
				t.Errorf("group %+v", g)
			}
			for _, m := range g.Members {
				if m.Masked || len(m.NIK) != 16 || strings.Contains(m.NIK, "*") {
					t.Errorf("the regency admin sees %s masked %v", m.NIK, m.Masked)
				}
			}
		}
	}
	maxGroupsPerCall = 50_000
	// With the check's permission only, the NIKs stay masked.
	for _, g := range check(checker, "14.01").Items {
		for _, m := range g.Members {
			if !m.Masked || !strings.Contains(m.NIK, "*") || m.MotherName != "" {
				t.Errorf("a checker without read_personal sees nik %s mother %q", m.NIK, m.MotherName)
			}
		}
	}
	// A district sees what lies below it: Budi twice in A.
	if g := groupsOf(check(kab, "14.01.01")); len(g) != 1 || g[0] != "budi-1+budi-2" {
		t.Errorf("district 14.01.01: %v", g)
	}
	// The key follows a correction of the mother's name.
	if res := kab.Patch(villageB, "/residents/"+ids["siti-b"], map[string]string{"mother_name": "Nurhayani"}); res.Status != http.StatusOK {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	if g := groupsOf(check(kab, "14.01")); len(g) != 3 || slices.Contains(g, "siti-a+siti-b") || !slices.Contains(g, "siti-b+siti-other") {
		t.Errorf("after correcting Siti's mother in B: %v", g)
	}
	// A resident stored before the key existed: listed as unkeyed, found
	// again once the village derives its keys.
	if res := kab.Post(villageA, "/test/unkey/"+ids["nur-a"], nil); res.Status != 200 {
		t.Fatalf("unkey: %d %s", res.Status, res.Body)
	}
	got := check(kab, "14.01")
	if slices.Contains(groupsOf(got), "nur-a+nur-b") || len(got.Unkeyed) != 1 || got.Unkeyed[0] != (villageCount{villageA, 1}) {
		t.Errorf("with Nur'aini of A unkeyed: groups %v, unkeyed %v", groupsOf(got), got.Unkeyed)
	}
	res := kab.Post(villageA, "/duplicates/keys", nil)
	var derived struct{ Keyed, Checked int }
	res.JSON(&derived)
	if res.Status != 200 || derived.Keyed != 1 || derived.Checked != 1 {
		t.Errorf("deriving keys: %d %s", res.Status, res.Body)
	}
	if res := kab.Post(villageA, "/duplicates/keys?all=true", nil); !strings.Contains(string(res.Body), `"keyed":0`) || !strings.Contains(string(res.Body), `"checked":4`) {
		t.Errorf("deriving all keys again changes none: %d %s", res.Status, res.Body)
	}
	if got := check(kab, "14.01"); !slices.Contains(groupsOf(got), "nur-a+nur-b") || len(got.Unkeyed) != 0 {
		t.Errorf("after deriving: groups %v, unkeyed %v", groupsOf(got), got.Unkeyed)
	}
	// The keys were read revealed, with the check's purpose on record.
	audit := h.Admin().API("GET", "/api/v1/audit?action=population.personal.read&limit=500", nil)
	if !strings.Contains(string(audit.Body), revealKeys) {
		t.Errorf("no audit entry with the check's purpose: %s", audit.Body)
	}
	// Refusals.
	for _, c := range []struct {
		name   string
		client *sdktest.Client
		tenant string
		status int
		code   sdk.Code
	}{
		{"at a village", kab, villageA, 422, codeVillageLevel},
		{"a viewer", h.User("kab-viewer", "viewer", "14.01"), "14.01", 403, sdk.CodeForbidden},
		{"a village operator at the regency", h.User("op-a", "operator", villageA), "14.01", 403, sdk.CodeForbidden},
		{"the public", h.Anonymous(), "14.01", 401, "unauthenticated"},
	} {
		if res := c.client.Get(c.tenant, "/duplicates"); res.Status != c.status || res.ErrorCode() != c.code {
			t.Errorf("%s: %d %s", c.name, res.Status, res.Body)
		}
	}
	if res := kab.Post("14.01", "/duplicates/keys", nil); res.ErrorCode() != codeNotAVillage {
		t.Errorf("deriving keys at the regency: %d %s", res.Status, res.Body)
	}
}
