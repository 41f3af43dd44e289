package main

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

const (
	villageA = "14.01.01.2009"
	villageB = "14.01.02.2001"
)

func resident(nik, kk, name, sex, birth, rel string) map[string]string {
	return map[string]string{"nik": nik, "kk": kk, "name": name, "sex": sex, "birth_date": birth, "relationship": rel, "religion": "1"}
}

func TestResidents(t *testing.T) { sdktest.Each(t, &plugin, testResidents) }

func testResidents(t *testing.T, h *sdktest.Host) {
	h.Tenant(villageA)
	h.Tenant(villageB)
	h.Enable("14.01")
	op := h.User("op-a", "operator", villageA)
	opB := h.User("op-b", "operator", villageB)
	viewer := h.User("viewer-a", "viewer", villageA)
	admin := h.Admin()
	const kk = "1401012001150001"

	head := op.Post(villageA, "/residents", resident("1401011503800001", kk, "Budi Santoso", "L", "1980-03-15", "1"))
	if head.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", head.Status, head.Body)
	}
	var created residentView
	head.JSON(&created)
	// The village operator sees the numbers she typed (issue 11 item 7).
	if created.NIK != "1401011503800001" || created.KK != kk || created.Masked || created.Status != "alive" {
		t.Errorf("the village operator sees %+v, masked %v", created.Resident, created.Masked)
	}
	siti := resident("1401014508850002", kk, "Siti Aminah", "P", "1985-08-05", "3")
	siti["mother_name"] = "Nurhayati"
	op.Post(villageA, "/residents", siti)
	op.Post(villageA, "/residents", resident("1401010101100003", kk, "Andi", "L", "2010-01-01", "4"))

	bad := []struct {
		name string
		body map[string]string
		code sdk.Code
	}{
		{"NIK too short", resident("140101150380001", kk, "X", "L", "1980-03-15", "4"), "invalid_nik"},
		{"unknown sub-district", resident("9999011503800009", kk, "X", "L", "1980-03-15", "4"), "invalid_nik"},
		{"day 32 in the NIK", resident("1401013203800009", kk, "X", "L", "1980-03-15", "4"), "invalid_nik"},
		{"a temporary number typed", resident("0140101200900009", kk, "X", "L", "1980-03-15", "4"), "invalid_nik"},
		{"bad sex", resident("1401011503800009", kk, "X", "X", "1980-03-15", "4"), "invalid_sex"},
		{"bad birth date", resident("1401011503800009", kk, "X", "L", "15-03-1980", "4"), "invalid_birth_date"},
		{"husband recorded as a woman", resident("1401015503800009", kk, "X", "P", "1980-03-15", "2"), "relationship_sex_mismatch"},
		{"wife recorded as a man", resident("1401011503800009", kk, "X", "L", "1980-03-15", "3"), "relationship_sex_mismatch"},
		{"RT of four digits", map[string]string{"nik": "1401011503800009", "kk": kk, "name": "X", "sex": "L", "birth_date": "1980-03-15", "rt": "0001"}, "invalid_rt"},
		{"RW zero", map[string]string{"nik": "1401011503800009", "kk": kk, "name": "X", "sex": "L", "birth_date": "1980-03-15", "rw": "000"}, "invalid_rw"},
		{"dusun over 100 characters", map[string]string{"nik": "1401011503800009", "kk": kk, "name": "X", "sex": "L", "birth_date": "1980-03-15", "dusun": strings.Repeat("d", 101)}, "invalid_dusun"},
		{"dusun with a line break", map[string]string{"nik": "1401011503800009", "kk": kk, "name": "X", "sex": "L", "birth_date": "1980-03-15", "dusun": "Dusun\nI"}, "invalid_dusun"},
		{"birth place over 100 characters", map[string]string{"nik": "1401011503800009", "kk": kk, "name": "X", "sex": "L", "birth_date": "1980-03-15", "birth_place": strings.Repeat("b", 101)}, "invalid_birth_place"},
		{"address over 500 characters", map[string]string{"nik": "1401011503800009", "kk": kk, "name": "X", "sex": "L", "birth_date": "1980-03-15", "address": strings.Repeat("a", 501)}, "invalid_address"},
		{"serial 0000", resident("1401011503800000", kk, "X", "L", "1980-03-15", "4"), "invalid_nik"},
		{"bad KK", resident("1401011503800009", "1401019901150001", "X", "L", "1980-03-15", "4"), "invalid_kk"},
		{"unknown religion code", map[string]string{"nik": "1401011503800009", "kk": kk, "name": "X", "sex": "L", "birth_date": "1980-03-15", "religion": "9"}, "invalid_religion"},
		{"second head", resident("1401011503800009", kk, "X", "L", "1980-03-15", "1"), "duplicate_head"},
		{"name over 200 characters", resident("1401011503800009", kk, strings.Repeat("é", 201), "L", "1980-03-15", "4"), "invalid_name"},
		{"name with a line break", resident("1401011503800009", kk, "Budi\nSantoso", "L", "1980-03-15", "4"), "invalid_name"},
		{"name with a bidirectional override", resident("1401011503800009", kk, "Budi \u202eOTNAS", "L", "1980-03-15", "4"), "invalid_name"},
		{"mother's name with a zero-width space", map[string]string{"nik": "1401011503800009", "kk": kk, "name": "X", "sex": "L", "birth_date": "1980-03-15", "mother_name": "Si\u200bti"}, "invalid_mother_name"},
		{"address with an escape sequence", map[string]string{"nik": "1401011503800009", "kk": kk, "name": "X", "sex": "L", "birth_date": "1980-03-15", "address": "Jl. \x1b[2J"}, "invalid_address"},
	}
	for _, b := range bad {
		res := op.Post(villageA, "/residents", b.body)
		if res.ErrorCode() != b.code {
			t.Errorf("%s: %d %s, want %s", b.name, res.Status, res.Body, b.code)
		}
	}
	// A NIK is unique in the whole deployment.
	if res := opB.Post(villageB, "/residents", resident("1401011503800001", "1401022001150001", "Budi Lain", "L", "1980-03-15", "1")); res.Status != 409 || res.ErrorCode() != "duplicate_nik" {
		t.Errorf("duplicate NIK in another village: %d %s", res.Status, res.Body)
	}
	if res := opB.Post(villageB, "/residents", resident("1401026006900004", "1401022001150001", "Rina", "P", "1990-06-20", "1")); res.Status != 201 {
		t.Fatalf("village B resident: %d %s", res.Status, res.Body)
	}

	// Family: head first.
	var fam struct {
		KK      string
		Members []residentView
		Total   int
	}
	op.Get(villageA, "/families/"+kk).JSON(&fam)
	if fam.Total != 3 || fam.Members[0].Name != "Budi Santoso" || fam.KK != kk || fam.Members[0].NIK != "1401011503800001" || fam.Members[1].MotherName != "Nurhayati" {
		t.Errorf("family = %+v", fam)
	}
	// A viewer sees numbers masked, so may not search by them: a search
	// would confirm a number rebuilt from the masked one.
	for _, path := range []string{"/families/" + kk, "/residents?nik=1401011503800001", "/residents?kk=" + kk, "/residents?mother_name=x"} {
		if res := viewer.Get(villageA, path); res.Status != 403 || res.ErrorCode() != "forbidden_filter" {
			t.Errorf("viewer GET %s: %d %s", path, res.Status, res.Body)
		}
	}
	// Search and filters.
	var list sdk.ListOf[residentView]
	// A viewer reads the numbers as the host masks them, never the
	// mother's name (not even masked: it is the identity check's secret),
	// and the birth year instead of the date.
	viewer.Get(villageA, "/residents?q=siti").JSON(&list)
	if list.Total != 1 || list.Items[0].NIK != "1401**********02" || list.Items[0].KK != "1401**********01" || !list.Items[0].Masked ||
		list.Items[0].MotherName != "" || list.Items[0].BirthDate != "" || list.Items[0].BirthYear != 1985 {
		t.Errorf("search siti: %+v", list)
	}
	viewer.Get(villageA, "/residents?sex=L&limit=1").JSON(&list)
	if list.Total != 2 || len(list.Items) != 1 {
		t.Errorf("sex=L: total %d items %d", list.Total, len(list.Items))
	}
	// The district sees every village; a village only itself.
	admin.Get("14.01", "/residents").JSON(&list)
	if list.Total != 4 || list.Items[0].Masked {
		t.Errorf("district list: total %d, masked %v", list.Total, len(list.Items) > 0 && list.Items[0].Masked)
	}
	// Every read that shows numbers in full is audited by the host, with
	// the records and fields shown, never the values; the viewer's masked
	// reads are not. The family lookup by a full KK keeps its own entry.
	admin.Get(villageA, "/residents/"+created.ID).JSON(&created)
	if created.NIK != "1401011503800001" {
		t.Errorf("admin sees %s", created.NIK)
	}
	var audit struct{ Items []map[string]any }
	admin.API("GET", "/api/v1/audit?action=population.*", nil).JSON(&audit)
	actions := map[string]int{}
	reads := map[string][]string{} // actor → fields shown
	for _, e := range audit.Items {
		actions[e["action"].(string)]++
		if e["action"] == "population.personal.read" {
			d := e["detail"].(map[string]any)
			for _, f := range d["fields"].([]any) {
				reads[e["actor"].(string)] = append(reads[e["actor"].(string)], f.(string))
			}
			if strings.Contains(fmt.Sprint(d), "1401") {
				t.Errorf("an audit entry holds a number: %v", e)
			}
		}
	}
	if actions["population.residents.read_personal"] != 0 || actions["population.residents.list_personal"] != 0 ||
		actions["population.families.read_personal"] != 1 || actions["population.residents.created"] != 4 {
		t.Errorf("audit: %v", actions)
	}
	if !slices.Contains(reads["op-a"], "nik") || !slices.Contains(reads["op-a"], "mother_name") || !slices.Contains(reads["admin"], "kk") || len(reads["viewer-a"]) != 0 {
		t.Errorf("personal reads audited: %v", reads)
	}
	// Cross-tenant: the other village cannot read or change it.
	if res := opB.Get(villageB, "/residents/"+created.ID); res.Status != 404 {
		t.Errorf("village B reading A's resident: %d", res.Status)
	}
	if res := opB.Get(villageA, "/residents/"+created.ID); res.Status != 403 {
		t.Errorf("village B operator in village A: %d", res.Status)
	}
	// A patch's keys match exactly: a key that only folds to status (in
	// case, or with U+017F for the s) is unknown, and the state is kept.
	for _, key := range []string{"STATUS", "Status", "ſtatus"} {
		if res := op.Do("PATCH", villageA, "/residents/"+created.ID, map[string]string{key: "deceased"}); res.Status != 400 || res.ErrorCode() != "unknown_field" {
			t.Errorf("patching %q: %d %s", key, res.Status, res.Body)
		}
	}
	var after residentView
	op.Get(villageA, "/residents/"+created.ID).JSON(&after)
	if after.Status != "alive" {
		t.Errorf("after folded patches the resident is %s", after.Status)
	}
	if res := op.Do("PATCH", villageA, "/residents/"+created.ID, map[string]string{"name": strings.Repeat("é", 150)}); res.Status != 200 {
		t.Errorf("150 accented characters are within 200: %d %s", res.Status, res.Body)
	}
	// Patch re-validates: a corrected birth date the NIK disagrees with
	// is kept, with a warning (the NIK is not reissued), and the warning
	// goes when the date agrees again.
	var warned residentView
	if res := op.Do("PATCH", villageA, "/residents/"+created.ID, map[string]string{"birth_date": "1981-03-15"}); res.Status != 200 {
		t.Errorf("patching a birth date the NIK disagrees with: %d %s", res.Status, res.Body)
	} else if res.JSON(&warned); len(warned.NIKWarnings) != 1 || warned.NIKWarnings[0].Code != warnNIKBirthDate || warned.BirthDate != "1981-03-15" {
		t.Errorf("after the patch: %s", res.Body)
	}
	op.Get(villageA, "/residents/"+created.ID).JSON(&warned)
	if len(warned.NIKWarnings) != 1 {
		t.Errorf("the warning is not kept on the record: %+v", warned.NIKWarnings)
	}
	warned = residentView{}
	op.Do("PATCH", villageA, "/residents/"+created.ID, map[string]string{"birth_date": "1980-03-15"}).JSON(&warned)
	if len(warned.NIKWarnings) != 0 {
		t.Errorf("the warning stays after the date agrees: %+v", warned.NIKWarnings)
	}
	if res := op.Do("PATCH", villageA, "/residents/"+created.ID, map[string]string{"nik": "1401011503800099"}); res.ErrorCode() != "invalid_patch" {
		t.Errorf("patching the NIK: %d %s", res.Status, res.Body)
	}
	if res := op.Do("PATCH", villageA, "/residents/"+created.ID, map[string]string{"address": "Jl. Lintas Timur", "rt": "002", "rw": "001"}); res.Status != 200 {
		t.Errorf("patch: %d %s", res.Status, res.Body)
	}
	var codes map[string][]code
	h.Anonymous().Get(villageA, "/codes").JSON(&codes)
	if len(codes["occupation"]) != 89 || codes["religion"][0].Name != "Islam" {
		t.Errorf("codes: %d occupations", len(codes["occupation"]))
	}
}

// TestWritesOnlyInAVillage: residents and families are written only at a
// village; at a sub-district or regency every write route answers 422
// not_a_village and stores nothing, while the roll-up reads stay open.
func TestWritesOnlyInAVillage(t *testing.T) {
	h := sdktest.New(t, &plugin)
	h.Tenant(villageA)
	h.Enable("14.01")
	admin := h.Admin()
	const kk = "1401012001150001"
	if r := admin.Post(villageA, "/residents", resident("1401011503800001", kk, "Budi Santoso", "L", "1980-03-15", "1")); r.Status != http.StatusCreated {
		t.Fatalf("create at the village: %d %s", r.Status, r.Body)
	}
	var list struct {
		Items []residentView `json:"items"`
	}
	admin.Get(villageA, "/residents").JSON(&list)
	if len(list.Items) != 1 {
		t.Fatalf("%d residents at the village, want 1", len(list.Items))
	}
	id := list.Items[0].ID
	newborn := resident("1401014101240002", kk, "Bayi", "P", "2024-01-01", "4")
	for _, tenant := range []string{"14.01.01", "14.01"} {
		for _, c := range []struct {
			name, method, path string
			body               any
		}{
			{"create", "POST", "/residents", resident("1401014508850002", kk, "Siti Aminah", "P", "1985-08-05", "3")},
			{"patch", "PATCH", "/residents/" + id, map[string]string{"name": "Budi S"}},
			{"import", "POST", "/import", sampleCSV},
			{"birth", "POST", "/events", map[string]any{"type": "birth", "date": "2024-01-01", "resident": newborn}},
			{"move in", "POST", "/events", map[string]any{"type": "move_in", "date": "2024-01-01", "resident": newborn}},
			{"death", "POST", "/events", map[string]any{"type": "death", "date": "2024-01-01", "resident_id": id}},
			{"move out", "POST", "/events", map[string]any{"type": "move_out", "date": "2024-01-01", "resident_id": id}},
		} {
			t.Run(tenant+" "+c.name, func(t *testing.T) {
				r := admin.Do(c.method, tenant, c.path, c.body)
				if r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "not_a_village" {
					t.Errorf("%s %s at %s: %d %s, want 422 not_a_village", c.method, c.path, tenant, r.Status, r.Body)
				}
			})
		}
		if r := admin.Get(tenant, "/residents"); r.Status != http.StatusOK {
			t.Errorf("roll-up read at %s: %d %s", tenant, r.Status, r.Body)
		}
	}
	admin.Get("14.01", "/residents").JSON(&list)
	if len(list.Items) != 1 || list.Items[0].Name != "Budi Santoso" || list.Items[0].Status != "alive" {
		t.Errorf("after the refused writes the roll-up holds %+v, want Budi Santoso alone, alive", list.Items)
	}
}
