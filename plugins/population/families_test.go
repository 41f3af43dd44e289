package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// familyFixture is a village with one family: Budi (head), Siti (wife),
// Andi (son).
type familyFixture struct {
	h                *sdktest.Host
	op               *sdktest.Client
	head, wife, son  residentView
	kk               string
	otherKK, thirdKK string
}

func newFamily(t *testing.T, h *sdktest.Host) *familyFixture {
	t.Helper()
	h.Tenant(villageA)
	h.Tenant(villageB)
	h.Enable("14.01")
	f := &familyFixture{h: h, op: h.User("op-a", "operator", villageA), kk: "1401012001150001",
		otherKK: "1401012001260002", thirdKK: "1401010502260003"}
	for _, c := range []struct {
		v    *residentView
		body map[string]string
	}{
		{&f.head, resident("1401011503800001", f.kk, "Budi Santoso", "L", "1980-03-15", "1")},
		{&f.wife, resident("1401014508850002", f.kk, "Siti Aminah", "P", "1985-08-05", "3")},
		{&f.son, resident("1401010101050003", f.kk, "Andi", "L", "2005-01-01", "4")},
	} {
		res := f.op.Post(villageA, "/residents", c.body)
		if res.Status != http.StatusCreated {
			t.Fatalf("registering %s: %d %s", c.body["name"], res.Status, res.Body)
		}
		res.JSON(c.v)
	}
	return f
}

// family answers GET /families/{kk} as the village operator sees it.
func (f *familyFixture) family(t *testing.T, kk string) (heads []string, members map[string]residentView) {
	t.Helper()
	var fam struct{ Members []residentView }
	if res := f.op.Get(villageA, "/families/"+kk); res.Status != 200 {
		return nil, nil
	} else {
		res.JSON(&fam)
	}
	members = map[string]residentView{}
	for _, m := range fam.Members {
		members[m.Name] = m
		if m.Relationship == headOfFamily {
			heads = append(heads, m.Name)
		}
	}
	return heads, members
}

// TestOneHeadEveryPath: a second living head of a family, and a husband or
// wife of the wrong sex, are refused on every write path: create, PATCH,
// import, birth, move-in, a move from another village (issue 11 item 2).
func TestOneHeadEveryPath(t *testing.T) { sdktest.Each(t, &plugin, testOneHeadEveryPath) }

func testOneHeadEveryPath(t *testing.T, h *sdktest.Host) {
	f := newFamily(t, h)
	camat := h.User("camat", "operator", "14.01")
	// Village B holds a head of family who will move into A's family.
	var rina residentView
	camat.Post(villageB, "/residents", resident("1401025006900004", "1401022001150009", "Rina", "P", "1990-06-10", "1")).JSON(&rina)
	importCSV := func(rows ...string) string {
		return "nik,kk,name,sex,birth_date,relationship\n" + strings.Join(rows, "\n") + "\n"
	}
	for _, c := range []struct {
		name, method, tenant, path string
		who                        *sdktest.Client
		body                       any
		status                     int
		code                       sdk.Code
	}{
		{"create a second head", "POST", villageA, "/residents", f.op, resident("1401011203700005", f.kk, "Joko", "L", "1970-03-12", "1"), 409, "duplicate_head"},
		{"create a wife who is a man", "POST", villageA, "/residents", f.op, resident("1401011203700005", f.kk, "Joko", "L", "1970-03-12", "3"), 422, "relationship_sex_mismatch"},
		{"create a husband who is a woman", "POST", villageA, "/residents", f.op, resident("1401015203700005", f.kk, "Joko", "P", "1970-03-12", "2"), 422, "relationship_sex_mismatch"},
		{"patch a son into a second head", "PATCH", villageA, "/residents/" + f.son.ID, f.op, map[string]string{"relationship": "1"}, 409, "duplicate_head"},
		{"patch the wife into a husband", "PATCH", villageA, "/residents/" + f.wife.ID, f.op, map[string]string{"relationship": "2"}, 422, "relationship_sex_mismatch"},
		{"patch the wife's sex", "PATCH", villageA, "/residents/" + f.wife.ID, f.op, map[string]string{"sex": "L"}, 422, "relationship_sex_mismatch"},
		{"patch the head out of his family", "PATCH", villageA, "/residents/" + f.head.ID, f.op, map[string]string{"relationship": "4"}, 409, "family_without_head"},
		{"patch the head to another KK", "PATCH", villageA, "/residents/" + f.head.ID, f.op, map[string]string{"kk": f.otherKK}, 409, "family_without_head"},
		{"birth of a second head", "POST", villageA, "/events", f.op, map[string]any{"type": "birth", "date": "2026-01-05",
			"resident": map[string]string{"nik": "1401010501260006", "kk": f.kk, "name": "Bayi", "sex": "L", "relationship": "1"}}, 409, "duplicate_head"},
		{"move-in of a second head", "POST", villageA, "/events", f.op, map[string]any{"type": "move_in", "date": "2026-01-05", "origin": "Pekanbaru",
			"resident": resident("1471011203700007", f.kk, "Datang", "L", "1970-03-12", "1")}, 409, "duplicate_head"},
		{"move-in of a wife who is a man", "POST", villageA, "/events", f.op, map[string]any{"type": "move_in", "date": "2026-01-05",
			"resident": resident("1471011203700007", f.kk, "Datang", "L", "1970-03-12", "3")}, 422, "relationship_sex_mismatch"},
		{"move of a head from B into A's family", "POST", villageB, "/events", camat, map[string]any{"type": "move", "date": "2026-01-05",
			"resident_id": rina.ID, "to_tenant": villageA, "kk": f.kk}, 409, "duplicate_head"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := c.who.Do(c.method, c.tenant, c.path, c.body)
			if res.Status != c.status || res.ErrorCode() != c.code {
				t.Errorf("%d %s, want %d %s", res.Status, res.Body, c.status, c.code)
			}
		})
	}
	// Import: the second head and the wife of the wrong sex are rejected
	// rows, the rest lands.
	var imp importResult
	f.op.Post(villageA, "/import", importCSV(
		"1401011203700005,"+f.kk+",Joko,L,1970-03-12,1",
		"1401011303700006,"+f.kk+",Tono,L,1970-03-13,3",
		"1401011403700008,"+f.kk+",Dodi,L,1970-03-14,9")).JSON(&imp)
	if imp.Inserted != 1 || imp.Duplicates+imp.Rejected != 2 {
		t.Errorf("import: %+v", imp)
	}
	heads, members := f.family(t, f.kk)
	if len(heads) != 1 || heads[0] != "Budi Santoso" || members["Siti Aminah"].Sex != "P" || members["Siti Aminah"].Relationship != "3" || members["Andi"].Relationship != "4" {
		t.Errorf("after the refused writes the family's heads are %v, members %v", heads, members)
	}
	if _, ok := members["Joko"]; ok {
		t.Errorf("a second head was imported")
	}
	if _, ok := members["Tono"]; ok {
		t.Errorf("a wife recorded as a man was imported")
	}
	// Rina is still in B, head of her own family.
	var got residentView
	camat.Get(villageB, "/residents/"+rina.ID).JSON(&got)
	if got.Tenant != villageB || got.Status != StatusAlive {
		t.Errorf("the refused move left Rina as %+v", got)
	}
}

// TestHeadLeaves: a head's death is recorded with a warning that the
// family has no head; POST /families/{kk}/head names the widow, and the
// family has one head again, with history, audit and event (issue 11
// item 2).
func TestHeadLeaves(t *testing.T) { sdktest.Each(t, &plugin, testHeadLeaves) }

func testHeadLeaves(t *testing.T, h *sdktest.Host) {
	f := newFamily(t, h)
	var dead residentView
	res := f.op.Post(villageA, "/events", map[string]any{"type": "death", "date": "2026-02-01", "resident_id": f.head.ID})
	if res.JSON(&dead); res.Status != 200 || len(dead.Warnings) != 1 || dead.Warnings[0].Code != warnFamilyWithoutHead ||
		!strings.Contains(dead.Warnings[0].Message, "/families/{kk}/head") {
		t.Fatalf("the head's death: %d %s", res.Status, res.Body)
	}
	// The son's death warns of nothing: the family has no head to lose.
	var sonGone residentView
	if f.op.Post(villageA, "/events", map[string]any{"type": "move_out", "date": "2026-02-02", "resident_id": f.son.ID, "place": "Pekanbaru"}).JSON(&sonGone); len(sonGone.Warnings) != 0 {
		t.Errorf("a member's departure warns %v", sonGone.Warnings)
	}
	if heads, _ := f.family(t, f.kk); len(heads) != 0 {
		t.Fatalf("heads after the death: %v", heads)
	}
	for _, c := range []struct {
		name   string
		body   map[string]any
		status int
		code   sdk.Code
	}{
		{"no head_id", map[string]any{"date": "2026-02-03"}, 422, "invalid_head_id"},
		{"the dead head", map[string]any{"head_id": f.head.ID, "date": "2026-02-03"}, 422, "invalid_head_id"},
		{"an id too long", map[string]any{"head_id": strings.Repeat("a", 65), "date": "2026-02-03"}, 422, "invalid_head_id"},
		{"a future date", map[string]any{"head_id": f.wife.ID, "date": "2999-01-01"}, 422, "invalid_date"},
		{"a note too long", map[string]any{"head_id": f.wife.ID, "date": "2026-02-03", "note": strings.Repeat("n", 1001)}, 422, "invalid_note"},
		{"a bad new KK", map[string]any{"head_id": f.wife.ID, "date": "2026-02-03", "new_kk": "1401013201260001"}, 422, "invalid_kk"},
	} {
		if res := f.op.Post(villageA, "/families/"+f.kk+"/head", c.body); res.Status != c.status || res.ErrorCode() != c.code {
			t.Errorf("%s: %d %s, want %s", c.name, res.Status, res.Body, c.code)
		}
	}
	if res := f.op.Post(villageA, "/families/1401012001159999/head", map[string]any{"head_id": f.wife.ID, "date": "2026-02-03"}); res.ErrorCode() != "family_not_found" {
		t.Errorf("an unknown family: %d %s", res.Status, res.Body)
	}
	// The widow heads the family under the new card Dukcapil issued.
	res = f.op.Post(villageA, "/families/"+f.kk+"/head", map[string]any{"head_id": f.wife.ID, "date": "2026-02-03", "new_kk": f.otherKK, "note": "KK baru"})
	var fam struct {
		KK      string
		Members []residentView
		Total   int
	}
	if res.JSON(&fam); res.Status != 200 || fam.KK != f.otherKK || fam.Total != 1 || fam.Members[0].Relationship != "1" || fam.Members[0].Name != "Siti Aminah" {
		t.Fatalf("new head: %d %s", res.Status, res.Body)
	}
	var hist sdk.ListOf[struct {
		Type   string
		Detail map[string]any
	}]
	f.op.Get(villageA, "/residents/"+f.wife.ID+"/history").JSON(&hist)
	if hist.Total != 2 || hist.Items[0].Type != "head_changed" || hist.Items[0].Detail["role"] != "head" || hist.Items[0].Detail["note"] != "KK baru" {
		t.Errorf("the new head's history: %+v", hist.Items)
	}
	var audit struct{ Items []map[string]any }
	h.Admin().API("GET", "/api/v1/audit?action=population.families.head_changed", nil).JSON(&audit)
	if len(audit.Items) != 1 || strings.Contains(audit.Items[0]["target"].(string), f.kk) {
		t.Errorf("audit of the change: %v", audit.Items)
	}
}

// TestChangeHeadWhileAlive: a living head steps down only with the code
// he takes, in one batch with the new head.
func TestChangeHeadWhileAlive(t *testing.T) { sdktest.Each(t, &plugin, testChangeHeadWhileAlive) }

func testChangeHeadWhileAlive(t *testing.T, h *sdktest.Host) {
	f := newFamily(t, h)
	if res := f.op.Post(villageA, "/families/"+f.kk+"/head", map[string]any{"head_id": f.wife.ID, "date": "2026-02-03"}); res.Status != 409 || res.ErrorCode() != "duplicate_head" {
		t.Errorf("a new head beside a living one: %d %s", res.Status, res.Body)
	}
	if res := f.op.Post(villageA, "/families/"+f.kk+"/head", map[string]any{"head_id": f.wife.ID, "date": "2026-02-03", "former_head_relationship": "3"}); res.ErrorCode() != "relationship_sex_mismatch" {
		t.Errorf("the former head becomes a wife: %d %s", res.Status, res.Body)
	}
	if heads, _ := f.family(t, f.kk); len(heads) != 1 || heads[0] != "Budi Santoso" {
		t.Fatalf("a refused change changed the heads: %v", heads)
	}
	res := f.op.Post(villageA, "/families/"+f.kk+"/head", map[string]any{"head_id": f.wife.ID, "date": "2026-02-03", "former_head_relationship": "2"})
	if res.Status != 200 {
		t.Fatalf("change of head: %d %s", res.Status, res.Body)
	}
	heads, members := f.family(t, f.kk)
	if len(heads) != 1 || heads[0] != "Siti Aminah" || members["Budi Santoso"].Relationship != "2" || members["Andi"].Relationship != "4" {
		t.Errorf("after the change: heads %v, members %v", heads, members)
	}
}

// TestSplitFamily: pecah KK moves the named members to a new KK with its
// head in one batch; the old family keeps its head; refused splits change
// nothing (issue 11 item 2).
func TestSplitFamily(t *testing.T) { sdktest.Each(t, &plugin, testSplitFamily) }

func testSplitFamily(t *testing.T, h *sdktest.Host) {
	f := newFamily(t, h)
	var menantu residentView
	f.op.Post(villageA, "/residents", resident("1401014102060004", f.kk, "Rani", "P", "2006-02-01", "5")).JSON(&menantu)
	split := func(body map[string]any) *sdktest.Response {
		return f.op.Post(villageA, "/families/"+f.kk+"/split", body)
	}
	for _, c := range []struct {
		name   string
		body   map[string]any
		status int
		code   sdk.Code
	}{
		{"no new KK", map[string]any{"head_id": f.son.ID, "date": "2026-03-01"}, 422, "invalid_kk"},
		{"the same KK", map[string]any{"new_kk": f.kk, "head_id": f.son.ID, "date": "2026-03-01"}, 422, "invalid_kk"},
		{"no head", map[string]any{"new_kk": f.otherKK, "date": "2026-03-01"}, 422, "invalid_head_id"},
		{"a member twice", map[string]any{"new_kk": f.otherKK, "head_id": f.son.ID, "member_ids": []string{menantu.ID, menantu.ID}, "date": "2026-03-01"}, 422, "invalid_members"},
		{"a stranger", map[string]any{"new_kk": f.otherKK, "head_id": f.son.ID, "member_ids": []string{"no-such-id"}, "date": "2026-03-01"}, 422, "invalid_members"},
		{"a member named head", map[string]any{"new_kk": f.otherKK, "head_id": f.son.ID, "member_ids": []string{menantu.ID}, "relationships": map[string]string{menantu.ID: "1"}, "date": "2026-03-01"}, 422, "invalid_relationship"},
		{"the new wife a man", map[string]any{"new_kk": f.otherKK, "head_id": menantu.ID, "member_ids": []string{f.son.ID}, "relationships": map[string]string{f.son.ID: "3"}, "date": "2026-03-01"}, 422, "relationship_sex_mismatch"},
		{"the head leaves his family headless", map[string]any{"new_kk": f.otherKK, "head_id": f.head.ID, "date": "2026-03-01"}, 409, "family_without_head"},
		{"a future date", map[string]any{"new_kk": f.otherKK, "head_id": f.son.ID, "date": "2999-03-01"}, 422, "invalid_date"},
	} {
		if res := split(c.body); res.Status != c.status || res.ErrorCode() != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.name, res.Status, res.Body, c.status, c.code)
		}
	}
	if heads, members := f.family(t, f.kk); len(heads) != 1 || len(members) != 4 {
		t.Fatalf("refused splits changed the family: %v %v", heads, members)
	}
	// Andi marries Rani and starts his own family.
	res := split(map[string]any{"new_kk": f.otherKK, "head_id": f.son.ID, "member_ids": []string{menantu.ID},
		"relationships": map[string]string{menantu.ID: "3"}, "date": "2026-03-01", "note": "menikah"})
	var fam struct {
		KK      string
		Members []residentView
	}
	if res.JSON(&fam); res.Status != http.StatusCreated || fam.KK != f.otherKK || len(fam.Members) != 2 ||
		fam.Members[0].Name != "Andi" || fam.Members[0].Relationship != "1" || fam.Members[1].Relationship != "3" {
		t.Fatalf("split: %d %s", res.Status, res.Body)
	}
	heads, members := f.family(t, f.kk)
	if len(heads) != 1 || heads[0] != "Budi Santoso" || len(members) != 2 {
		t.Errorf("the old family after the split: %v %v", heads, members)
	}
	// A split into a family that exists now is refused.
	if res := f.op.Post(villageA, "/families/"+f.kk+"/split", map[string]any{"new_kk": f.otherKK, "head_id": f.wife.ID, "date": "2026-03-02"}); res.Status != 409 || res.ErrorCode() != "family_exists" {
		t.Errorf("a split into an existing family: %d %s", res.Status, res.Body)
	}
	var hist sdk.ListOf[struct{ Type string }]
	f.op.Get(villageA, "/residents/"+menantu.ID+"/history").JSON(&hist)
	if hist.Total != 2 || hist.Items[0].Type != "family_split" {
		t.Errorf("the member's history: %+v", hist.Items)
	}
	// The whole family leaves: the head may go when no one stays.
	res = f.op.Post(villageA, "/families/"+f.kk+"/split", map[string]any{"new_kk": f.thirdKK, "head_id": f.wife.ID,
		"member_ids": []string{f.head.ID}, "relationships": map[string]string{f.head.ID: "2"}, "date": "2026-03-02"})
	if res.Status != http.StatusCreated {
		t.Errorf("the whole family under a new KK: %d %s", res.Status, res.Body)
	}
	if heads, members := f.family(t, f.thirdKK); len(heads) != 1 || heads[0] != "Siti Aminah" || members["Budi Santoso"].Relationship != "2" {
		t.Errorf("the third family: %v %v", heads, members)
	}
	// Masked callers and other villages may not split.
	viewer := h.User("viewer-a", "viewer", villageA)
	if res := viewer.Post(villageA, "/families/"+f.thirdKK+"/split", map[string]any{"new_kk": f.kk, "head_id": f.head.ID, "date": "2026-03-02"}); res.Status != 403 {
		t.Errorf("a viewer splits a family: %d", res.Status)
	}
	opB := h.User("op-b", "operator", villageB)
	if res := opB.Post(villageA, "/families/"+f.thirdKK+"/head", map[string]any{"head_id": f.head.ID, "date": "2026-03-02"}); res.Status != 403 {
		t.Errorf("village B changes A's head: %d", res.Status)
	}
	if res := h.Admin().Post("14.01", "/families/"+f.thirdKK+"/split", map[string]any{"new_kk": f.kk, "head_id": f.head.ID, "date": "2026-03-02"}); res.ErrorCode() != "not_a_village" {
		t.Errorf("a split at the regency: %d %s", res.Status, res.Body)
	}
}

// TestTemporaryNumbers: a resident without a NIK gets a marked temporary
// number, unique in the deployment; the real NIK replaces it and the
// history follows (issue 11 item 1).
func TestTemporaryNumbers(t *testing.T) { sdktest.Each(t, &plugin, testTemporaryNumbers) }

func testTemporaryNumbers(t *testing.T, h *sdktest.Host) {
	f := newFamily(t, h)
	viewer := h.User("viewer-a", "viewer", villageA)
	// A newborn without a NIK yet.
	var baby residentView
	res := f.op.Post(villageA, "/events", map[string]any{"type": "birth", "date": "2026-04-01",
		"resident": map[string]any{"nik": "", "kk": f.kk, "name": "Bayi Siti", "sex": "P"}})
	if res.JSON(&baby); res.Status != http.StatusCreated || baby.NIK != "0140101200900001" || !baby.NIKTemporary {
		t.Fatalf("birth without a NIK: %d %s", res.Status, res.Body)
	}
	// Someone not yet recorded, by POST /residents.
	var lansia residentView
	res = f.op.Post(villageA, "/residents", map[string]any{"nik_temporary": true, "kk": f.kk, "name": "Nenek", "sex": "P", "birth_date": "1940-01-01", "relationship": "7"})
	if res.JSON(&lansia); res.Status != http.StatusCreated || lansia.NIK != "0140101200900002" || !lansia.NIKTemporary {
		t.Fatalf("a resident without a NIK: %d %s", res.Status, res.Body)
	}
	for _, c := range []struct {
		name string
		body map[string]any
		code sdk.Code
	}{
		{"a NIK with nik_temporary", map[string]any{"nik": "1401011503800099", "nik_temporary": true, "kk": f.kk, "name": "X", "sex": "L", "birth_date": "1980-03-15"}, "invalid_nik"},
		{"a temporary number typed", map[string]any{"nik": "0140101200900003", "kk": f.kk, "name": "X", "sex": "L", "birth_date": "1980-03-15"}, "invalid_nik"},
	} {
		if res := f.op.Post(villageA, "/residents", c.body); res.ErrorCode() != c.code {
			t.Errorf("%s: %d %s", c.name, res.Status, res.Body)
		}
	}
	// The viewer sees the temporary number masked, marked temporary.
	var seen residentView
	viewer.Get(villageA, "/residents/"+baby.ID).JSON(&seen)
	if seen.NIK != "0140**********01" || !seen.NIKTemporary {
		t.Errorf("the viewer sees %s temporary %v", seen.NIK, seen.NIKTemporary)
	}
	if res := f.op.Do("PATCH", villageA, "/residents/"+baby.ID, map[string]any{"nik": "1401014104260005"}); res.ErrorCode() != "invalid_patch" {
		t.Errorf("a NIK by PATCH: %d %s", res.Status, res.Body)
	}
	// The real NIK arrives.
	for _, c := range []struct {
		name, nik string
		status    int
		code      sdk.Code
	}{
		{"not a NIK", "1401014104260000", 422, "invalid_nik"},
		{"another's NIK", "1401011503800001", 409, "duplicate_nik"},
	} {
		if res := f.op.Post(villageA, "/residents/"+baby.ID+"/nik", map[string]string{"nik": c.nik}); res.Status != c.status || res.ErrorCode() != c.code {
			t.Errorf("%s: %d %s", c.name, res.Status, res.Body)
		}
	}
	var real residentView
	res = f.op.Post(villageA, "/residents/"+baby.ID+"/nik", map[string]string{"nik": "1401014104260005", "note": "akta lahir"})
	if res.JSON(&real); res.Status != 200 || real.NIK != "1401014104260005" || real.NIKTemporary || len(real.NIKWarnings) != 0 {
		t.Fatalf("the real NIK: %d %s", res.Status, res.Body)
	}
	type entry struct {
		Type   string
		Detail map[string]any
	}
	var hist sdk.ListOf[entry]
	f.op.Get(villageA, "/residents/"+baby.ID+"/history").JSON(&hist)
	types := map[string]entry{}
	for _, e := range hist.Items {
		types[e.Type] = e
	}
	if hist.Total != 2 || types["birth"].Type == "" || types["nik_assigned"].Detail["temporary_nik"] != "0140101200900001" {
		t.Errorf("history after the NIK: %+v", hist.Items)
	}
	viewer.Get(villageA, "/residents/"+baby.ID+"/history").JSON(&hist)
	for _, e := range hist.Items {
		if e.Type == "nik_assigned" && e.Detail["temporary_nik"] != "0140**********01" {
			t.Errorf("the viewer reads the temporary number as %v", e.Detail["temporary_nik"])
		}
	}
	// Numbers are not reused while held: the next newborn gets 00003.
	var second residentView
	f.op.Post(villageA, "/events", map[string]any{"type": "birth", "date": "2026-04-02",
		"resident": map[string]any{"kk": f.kk, "name": "Bayi Dua", "sex": "L"}}).JSON(&second)
	if second.NIK != "0140101200900003" {
		t.Errorf("the next temporary number is %s", second.NIK)
	}
	// Another village's numbers carry its own code.
	opB := h.User("op-b", "operator", villageB)
	var inB residentView
	opB.Post(villageB, "/residents", map[string]any{"kk": "1401022001150001", "name": "Warga B", "sex": "L", "birth_date": "1990-01-01", "relationship": "1"}).JSON(&inB)
	if inB.NIK != "0140102200100001" {
		t.Errorf("village B's temporary number is %s", inB.NIK)
	}
}

// TestDatesInTheVillage: at 01:30 UTC on 1 June it is already 10:30 on
// 1 June in a Papua village (WIT) and 08:30 in a Kampar village (WIB): a
// birth, a death and a registration dated 1 June are today in both, 2 June
// is the future in both; at 16:30 UTC on 31 May Papua is at 01:30 on 1
// June while Kampar is still on 31 May (issue 11 item 3).
func TestDatesInTheVillage(t *testing.T) {
	clock := sdktest.NewClock(time.Date(2026, 6, 1, 1, 30, 0, 0, time.UTC))
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		clock.Set(time.Date(2026, 6, 1, 1, 30, 0, 0, time.UTC))
		// Samkai in Merauke (Papua Selatan, WIT); Kampar (Riau, WIB).
		const papua, papuaKK = "93.01.01.1002", "9301010101260001"
		h.Tenant(papua)
		h.Tenant(villageA)
		h.Enable("93.01")
		h.Enable("14.01")
		admin := h.Admin()
		for _, v := range []struct{ tenant, kk, headNIK, babyNIK, region string }{
			{papua, papuaKK, "9301011503800001", "9301014106260002", "WIT"},
			{villageA, "1401012001150001", "1401011503800001", "1401014106260002", "WIB"},
		} {
			head := admin.Post(v.tenant, "/residents", resident(v.headNIK, v.kk, "Kepala", "L", "1980-03-15", "1"))
			var hv residentView
			if head.JSON(&hv); head.Status != http.StatusCreated {
				t.Fatalf("%s: head: %d %s", v.region, head.Status, head.Body)
			}
			var hist sdk.ListOf[struct{ Type, Date string }]
			admin.Get(v.tenant, "/residents/"+hv.ID+"/history").JSON(&hist)
			if hist.Total != 1 || hist.Items[0].Date != "2026-06-01" {
				t.Errorf("%s: registered on %+v, want 2026-06-01", v.region, hist.Items)
			}
			birth := map[string]any{"type": "birth", "date": "2026-06-01", "resident": map[string]string{"nik": v.babyNIK, "kk": v.kk, "name": "Bayi", "sex": "P"}}
			if res := admin.Post(v.tenant, "/events", birth); res.Status != http.StatusCreated {
				t.Errorf("%s: a birth today at 01:30 UTC: %d %s", v.region, res.Status, res.Body)
			}
			if res := admin.Post(v.tenant, "/events", map[string]any{"type": "death", "date": "2026-06-02", "resident_id": hv.ID}); res.ErrorCode() != "invalid_date" {
				t.Errorf("%s: a death tomorrow: %d %s", v.region, res.Status, res.Body)
			}
			if res := admin.Post(v.tenant, "/events", map[string]any{"type": "death", "date": "2026-06-01", "resident_id": hv.ID}); res.Status != 200 {
				t.Errorf("%s: a death today: %d %s", v.region, res.Status, res.Body)
			}
		}
		// At 16:30 UTC on 31 May Merauke is at 01:30 on 1 June and Kampar
		// at 23:30 on 31 May: 1 June is today in one, the future in the
		// other.
		clock.Set(time.Date(2026, 5, 31, 16, 30, 0, 0, time.UTC))
		born := func(tenant, nik, kk string) *sdktest.Response {
			return admin.Post(tenant, "/events", map[string]any{"type": "move_in", "date": "2026-06-01",
				"resident": resident(nik, kk, "Datang", "L", "1990-01-01", "4")})
		}
		if res := born(papua, "9301010101900003", papuaKK); res.Status != http.StatusCreated {
			t.Errorf("WIT at 01:30 on 1 June: %d %s", res.Status, res.Body)
		}
		if res := born(villageA, "1401010101900003", "1401012001150001"); res.ErrorCode() != "invalid_date" {
			t.Errorf("WIB at 23:30 on 31 May accepts 1 June: %d %s", res.Status, res.Body)
		}
	}, sdktest.WithClock(clock.Now))
}

// TestRTNormalised: RT and RW are stored in three digits on every write
// path, and ?rt=1 finds records stored before as "1" (issue 11 item 4).
func TestRTNormalised(t *testing.T) { sdktest.Each(t, &plugin, testRTNormalised) }

func testRTNormalised(t *testing.T, h *sdktest.Host) {
	f := newFamily(t, h)
	body := resident("1401011203700005", f.kk, "Joko", "L", "1970-03-12", "9")
	body["rt"], body["rw"], body["dusun"] = "1", "02", "  Dusun I  "
	var joko residentView
	res := f.op.Post(villageA, "/residents", body)
	if res.JSON(&joko); res.Status != 201 || joko.RT != "001" || joko.RW != "002" || joko.Dusun != "Dusun I" {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	var patched residentView
	f.op.Do("PATCH", villageA, "/residents/"+f.son.ID, map[string]string{"rt": "01", "rw": "2"}).JSON(&patched)
	if patched.RT != "001" || patched.RW != "002" {
		t.Errorf("patch: rt %q rw %q", patched.RT, patched.RW)
	}
	var moved residentView
	f.op.Post(villageA, "/events", map[string]any{"type": "move_in", "date": "2026-01-01",
		"resident": map[string]string{"nik": "1471011203900005", "kk": "1401012001260002", "name": "Datang", "sex": "L", "birth_date": "1990-03-12", "relationship": "1", "rt": "3", "rw": "10"}}).JSON(&moved)
	if moved.RT != "003" || moved.RW != "010" {
		t.Errorf("move-in: rt %q rw %q", moved.RT, moved.RW)
	}
	var imp importResult
	f.op.Post(villageA, "/import", "nik,kk,name,sex,birth_date,relationship,rt,rw\n1401011403700008,"+f.kk+",Dodi,L,1970-03-14,9,1,2\n").JSON(&imp)
	var dodi sdk.ListOf[residentView]
	f.op.Get(villageA, "/residents?q=dodi").JSON(&dodi)
	if imp.Inserted != 1 || dodi.Total != 1 || dodi.Items[0].RT != "001" || dodi.Items[0].RW != "002" {
		t.Errorf("import: %+v, %+v", imp, dodi.Items)
	}
	for _, q := range []string{"rt=1", "rt=001", "rt=01&rw=2"} {
		var list sdk.ListOf[residentView]
		f.op.Get(villageA, "/residents?"+q).JSON(&list)
		if list.Total != 3 { // Joko, Andi, Dodi
			t.Errorf("?%s finds %d residents, want 3", q, list.Total)
		}
	}
	var inDusun sdk.ListOf[residentView]
	f.op.Get(villageA, "/residents?dusun=Dusun%20I").JSON(&inDusun)
	if inDusun.Total != 1 {
		t.Errorf("?dusun finds %d", inDusun.Total)
	}
	if res := f.op.Get(villageA, "/residents?rt=abc"); res.Status != 422 || res.ErrorCode() != "invalid_rt" {
		t.Errorf("?rt=abc: %d", res.Status)
	}
}

// TestEventTextLimits: every text field of an event body has a length
// limit and its own code (issue 11 item 4).
func TestEventTextLimits(t *testing.T) { sdktest.Each(t, &plugin, testEventTextLimits) }

func testEventTextLimits(t *testing.T, h *sdktest.Host) {
	f := newFamily(t, h)
	long := func(n int) string { return strings.Repeat("x", n) }
	for _, c := range []struct {
		field string
		value string
		code  sdk.Code
	}{
		{"place", long(201), "invalid_place"},
		{"cause", long(201), "invalid_cause"},
		{"origin", long(201), "invalid_origin"},
		{"note", long(1001), "invalid_note"},
		{"resident_id", long(65), "invalid_resident_id"},
		{"to_tenant", long(14), "invalid_destination"},
		{"kk", long(17), "invalid_kk"},
		{"place", "RSUD\u202e", "invalid_place"},
	} {
		body := map[string]any{"type": "death", "date": "2026-01-01", "resident_id": f.son.ID, c.field: c.value}
		if res := f.op.Post(villageA, "/events", body); res.Status != 422 || res.ErrorCode() != c.code {
			t.Errorf("%s of %d characters: %d %s, want %s", c.field, len([]rune(c.value)), res.Status, res.Body, c.code)
		}
	}
	if res := f.op.Post(villageA, "/events", map[string]any{"type": "death", "date": "2026-01-01"}); res.ErrorCode() != "invalid_resident_id" {
		t.Errorf("a death without resident_id: %d %s", res.Status, res.Body)
	}
	var son residentView
	f.op.Get(villageA, "/residents/"+f.son.ID).JSON(&son)
	if son.Status != StatusAlive {
		t.Errorf("a refused event changed the son: %s", son.Status)
	}
}

// TestOperatorSeesFullNumbers: the village operator reads NIK and KK in
// full in her own village (each read audited by the host), gets 403 in
// the neighbour; a viewer and the public see the masked view (issue 11
// item 7).
func TestOperatorSeesFullNumbers(t *testing.T) { sdktest.Each(t, &plugin, testOperatorSeesFullNumbers) }

func testOperatorSeesFullNumbers(t *testing.T, h *sdktest.Host) {
	f := newFamily(t, h)
	opB := h.User("op-b", "operator", villageB)
	viewer := h.User("viewer-a", "viewer", villageA)
	var mine residentView
	f.op.Get(villageA, "/residents/"+f.wife.ID).JSON(&mine)
	if mine.NIK != "1401014508850002" || mine.KK != f.kk || mine.Masked || mine.BirthDate != "1985-08-05" {
		t.Errorf("the operator sees %s %s masked %v", mine.NIK, mine.KK, mine.Masked)
	}
	var list sdk.ListOf[residentView]
	f.op.Get(villageA, "/residents").JSON(&list)
	for _, r := range list.Items {
		if r.Masked || len(r.NIK) != 16 || strings.Contains(r.NIK, "*") {
			t.Errorf("the operator's list shows %s", r.NIK)
		}
	}
	for _, path := range []string{"/residents", "/residents/" + f.wife.ID, "/families/" + f.kk} {
		if res := opB.Get(villageA, path); res.Status != 403 {
			t.Errorf("the neighbour's operator GET %s: %d", path, res.Status)
		}
	}
	var masked residentView
	viewer.Get(villageA, "/residents/"+f.wife.ID).JSON(&masked)
	if masked.NIK != "1401**********02" || masked.KK != "1401**********01" || !masked.Masked || masked.BirthDate != "" {
		t.Errorf("the viewer sees %+v", masked)
	}
	if res := h.Anonymous().Get(villageA, "/residents/"+f.wife.ID); res.Status != 401 {
		t.Errorf("the public reads a resident: %d", res.Status)
	}
	var audit struct{ Items []map[string]any }
	h.Admin().API("GET", "/api/v1/audit?action=population.personal.read", nil).JSON(&audit)
	byOp := 0
	for _, e := range audit.Items {
		if e["actor"] == "op-a" {
			byOp++
		}
		if e["actor"] == "viewer-a" {
			t.Errorf("the viewer's masked read is audited as a personal read: %v", e)
		}
	}
	if byOp < 2 {
		t.Errorf("the operator's full reads audited %d times, want at least 2", byOp)
	}
}
