package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/storetest"
)

// Issue 11 items 5 and 6 with the real binaries: letters about life events
// print what the register records, whatever the requester typed, and are
// made only for whom the register says; a citizen's mother's name matches
// as a clerk reads it, and a wrong one still fails and counts.

// siti is Budi's wife, in his family; her mother's name has an apostrophe.
var (
	siti = map[string]string{"nik": "1401014508850005", "kk": "1401012001150001", "name": "Siti Aminah", "sex": "P",
		"birth_date": "1985-08-05", "relationship": "3", "mother_name": "Nur'aini"}
	joko = map[string]string{"nik": "1401011001900006", "kk": "1401012001150003", "name": "Joko Susilo", "sex": "L",
		"birth_date": "1990-01-10", "relationship": "1", "mother_name": "Rohani"}
)

// lettersWorld is servicesWorld with Siti and Joko registered in village A.
func lettersWorld(t *testing.T, b storetest.Backend) *pluginWorld {
	t.Helper()
	w := servicesWorld(t, b)
	w.op.Do(t, "POST", p(villageA, "population", "/residents"), siti).Expect(201)
	w.op.Do(t, "POST", p(villageA, "population", "/residents"), joko).Expect(201)
	return w
}

// residentID finds a resident of village A by NIK, as the operator.
func residentID(t *testing.T, w *pluginWorld, nik string) string {
	t.Helper()
	items := w.op.Do(t, "GET", p(villageA, "population", "/residents?nik="+nik), nil).Expect(200).Items()
	if len(items) != 1 {
		t.Fatalf("resident %s: %v", nik, items)
	}
	return items[0]["id"].(string)
}

// approvedLetter approves and issues request id (a letter is printed once
// issued) and returns the text of its PDF.
func approvedLetter(t *testing.T, w *pluginWorld, id string) string {
	t.Helper()
	w.op.Do(t, "POST", p(villageA, "services", "/requests/"+id+"/approve"), nil).Expect(200)
	w.op.Do(t, "POST", p(villageA, "services", "/requests/"+id+"/issue"), nil).Expect(200)
	return letterText(t, w.op.Do(t, "GET", p(villageA, "services", "/requests/"+id+"/pdf"), nil).Expect(200).Body)
}

func TestPopulationLettersFollowTheRegister(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := lettersWorld(t, b)
		svc := func(path string) string { return p(villageA, "services", path) }
		pop := func(path string) string { return p(villageA, "population", path) }
		typedDeath := map[string]string{"death_date": "2025-03-12", "death_place": "Rumah duka", "death_cause": "kecelakaan"}

		// Budi is alive in the register: no death letter, from the office
		// or online, whatever is typed.
		w.op.Do(t, "POST", svc("/requests"), letterRequest("kematian", budi["nik"], "akta kematian", typedDeath)).ExpectErr(422, "not_deceased")
		w.h.Anon().Do(t, "POST", svc("/public/requests"), map[string]any{"type": "kematian", "nik": budi["nik"], "kk": budi["kk"],
			"mother_name": budi["mother_name"], "purpose": "akta kematian", "fields": typedDeath}).ExpectErr(422, "not_deceased")

		// The village records his death.
		w.op.Do(t, "POST", pop("/events"), map[string]any{"type": "death", "date": "2025-03-10", "resident_id": residentID(t, w, budi["nik"]),
			"place": "RSUD Bangkinang", "cause": "sakit jantung"}).Expect(200)

		// A death letter now: the recorded date, place and cause, whatever
		// was typed, with a note of what was set aside.
		req := w.op.Do(t, "POST", svc("/requests"), letterRequest("kematian", budi["nik"], "akta kematian",
			map[string]string{"death_date": "2025-03-12", "death_place": "Rumah duka", "reporter_name": "Siti Aminah"})).Expect(201).JSON()
		fields := req["fields"].(map[string]any)
		if fields["death_date"] != "2025-03-10" || fields["death_place"] != "RSUD Bangkinang" || fields["death_cause"] != "sakit jantung" || fields["reporter_name"] != "Siti Aminah" {
			t.Errorf("the death letter's fields: %v", fields)
		}
		if reg, _ := req["register"].(map[string]any); reg == nil || len(reg["notes"].([]any)) != 2 || len(reg["fields"].([]any)) != 3 {
			t.Errorf("the request does not say what the register gave: %v", req["register"])
		}
		// Nothing typed at all is fine too: the register holds it.
		w.op.Do(t, "POST", svc("/requests"), letterRequest("kematian", budi["nik"], "asuransi", nil)).Expect(201)
		// An edit cannot retype the register's facts.
		id := req["id"].(string)
		edited := w.op.Do(t, "PATCH", svc("/requests/"+id), map[string]any{"fields": map[string]string{"death_date": "2025-01-01", "reporter_name": "Siti"}}).Expect(200).JSON()
		if f := edited["fields"].(map[string]any); f["death_date"] != "2025-03-10" || f["death_place"] != "RSUD Bangkinang" || f["reporter_name"] != "Siti" {
			t.Errorf("fields after an edit: %v", f)
		}
		text := approvedLetter(t, w, id)
		for _, want := range []string{"SURAT KETERANGAN KEMATIAN", "Budi Santoso", "telah meninggal dunia pada tanggal 10 Maret 2025 di RSUD Bangkinang karena sakit jantung"} {
			if !strings.Contains(text, want) {
				t.Errorf("the death letter does not say %q:\n%s", want, text)
			}
		}
		for _, typed := range []string{"12 Maret 2025", "Rumah duka", "1 Januari 2025", "kecelakaan"} {
			if strings.Contains(text, typed) {
				t.Errorf("the death letter prints the typed %q:\n%s", typed, text)
			}
		}
		// Issued (by approvedLetter), it verifies as a death letter.
		qr := letterQR(t, w.op.Do(t, "GET", svc("/requests/"+id+"/pdf"), nil).Expect(200).Body)
		if v := w.h.Anon().Do(t, "GET", verifyAPI(t, qr), nil).Expect(200).JSON(); v["valid"] != true || v["type"] != "kematian" || v["name"] != "B*** S******" {
			t.Errorf("verification of the death letter: %v", v)
		}
		// A deceased resident still gets no other letter.
		w.op.Do(t, "POST", svc("/requests"), letterRequest("domisili", budi["nik"], "x", nil)).ExpectErr(422, "resident_deceased")

		// Online, the family proves the deceased's identity (the mother's
		// name typed on a phone) and is told that the register's date is
		// printed, not theirs.
		online := w.h.Anon().Do(t, "POST", svc("/public/requests"), map[string]any{"type": "kematian", "nik": budi["nik"], "kk": budi["kk"],
			"mother_name": "SITI\u00a0 RAHMAH", "purpose": "akta kematian", "fields": typedDeath}).Expect(201).JSON()
		if notes, _ := online["register_notes"].([]any); len(notes) != 3 || !strings.Contains(fmt.Sprint(notes), "2025-03-10") {
			t.Errorf("the citizen is not told the register's facts win: %v", online)
		}
		got := w.op.Do(t, "GET", svc("/requests?ref="+online["ref"].(string)), nil).Expect(200).Items()[0]["fields"].(map[string]any)
		if got["death_date"] != "2025-03-10" || got["death_place"] != "RSUD Bangkinang" || got["death_cause"] != "sakit jantung" {
			t.Errorf("the online death letter's fields: %v", got)
		}

		// A birth: the child is registered through a birth event, and the
		// letter names it by child_nik. Name, sex, place and date are the
		// register's.
		const putri = "1401015006250007"
		w.op.Do(t, "POST", pop("/events"), map[string]any{"type": "birth", "date": "2025-06-10", "place": "Puskesmas Kumantan",
			"resident": map[string]string{"nik": putri, "kk": siti["kk"], "name": "Putri Ayu Lestari", "sex": "P"}}).Expect(201)
		birth := w.op.Do(t, "POST", svc("/requests"), map[string]any{"type": "kelahiran", "nik": siti["nik"], "child_nik": putri, "purpose": "akta kelahiran",
			"fields": map[string]string{"child_name": "Putri", "child_order": "1"}}).Expect(201).JSON()
		if f := birth["fields"].(map[string]any); f["child_name"] != "Putri Ayu Lestari" || f["child_sex"] != "P" || f["child_birth_place"] != "Puskesmas Kumantan" ||
			f["child_birth_date"] != "2025-06-10" || f["child_order"] != "1" || birth["child_nik"] != putri {
			t.Errorf("the birth letter's fields: %v", birth)
		}
		text = approvedLetter(t, w, birth["id"].(string))
		if want := "seorang anak perempuan bernama Putri Ayu Lestari yang telah lahir di Puskesmas Kumantan pada tanggal 10 Juni 2025"; !strings.Contains(text, want) {
			t.Errorf("the birth letter does not say %q:\n%s", want, text)
		}
		// The child's NIK is personal: a viewer reads it masked.
		for _, it := range w.viewer.Do(t, "GET", svc("/requests?type=kelahiran"), nil).Expect(200).Items() {
			if it["child_nik"] == putri {
				t.Errorf("a viewer reads the child's NIK: %v", it)
			}
		}
		// A child of another family, or none, is refused; a child not
		// registered yet is typed as before.
		w.op.Do(t, "POST", svc("/requests"), map[string]any{"type": "kelahiran", "nik": siti["nik"], "child_nik": joko["nik"], "purpose": "x"}).ExpectErr(422, "unknown_child")
		w.op.Do(t, "POST", svc("/requests"), map[string]any{"type": "domisili", "nik": siti["nik"], "child_nik": putri, "purpose": "x"}).ExpectErr(422, "invalid_field")
		w.op.Do(t, "POST", svc("/requests"), letterRequest("kelahiran", siti["nik"], "x", map[string]string{"child_name": "Bayi"})).ExpectErr(422, "missing_field")
		w.op.Do(t, "POST", svc("/requests"), letterRequest("kelahiran", siti["nik"], "x", map[string]string{"child_name": "Bayi",
			"child_sex": "L", "child_birth_place": "Bangkinang", "child_birth_date": "2025-11-01"})).Expect(201)
		// Online, the parent names the child too.
		ob := w.h.Anon().Do(t, "POST", svc("/public/requests"), map[string]any{"type": "kelahiran", "nik": siti["nik"], "kk": siti["kk"],
			"mother_name": siti["mother_name"], "child_nik": putri, "purpose": "akta kelahiran"}).Expect(201).JSON()
		if f := w.op.Do(t, "GET", svc("/requests?ref="+ob["ref"].(string)), nil).Expect(200).Items()[0]["fields"].(map[string]any); f["child_name"] != "Putri Ayu Lestari" {
			t.Errorf("the online birth letter's fields: %v", f)
		}

		// A move: Joko's move out is recorded; his letter carries the
		// recorded destination and date.
		w.op.Do(t, "POST", pop("/events"), map[string]any{"type": "move_out", "date": "2025-07-01", "resident_id": residentID(t, w, joko["nik"]),
			"place": "Pekanbaru"}).Expect(200)
		move := w.op.Do(t, "POST", svc("/requests"), letterRequest("pindah", joko["nik"], "pindah domisili",
			map[string]string{"destination_address": "Jakarta", "move_reason": "pekerjaan"})).Expect(201).JSON()
		if f := move["fields"].(map[string]any); f["destination_address"] != "Pekanbaru" || f["move_date"] != "2025-07-01" || f["move_reason"] != "pekerjaan" {
			t.Errorf("the move letter's fields: %v", f)
		}
		if text := approvedLetter(t, w, move["id"].(string)); !strings.Contains(text, "pindah ke Pekanbaru karena pekerjaan") || strings.Contains(text, "Jakarta") {
			t.Errorf("the move letter: %s", text)
		}
		w.op.Do(t, "POST", svc("/requests"), letterRequest("domisili", joko["nik"], "x", nil)).ExpectErr(422, "unknown_resident")
	})
}

// A citizen's online request matches with a typographic variant of the
// mother's name; a wrong name still fails and counts toward the lockout.
func TestPopulationLettersIdentityAsAClerkReadsIt(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := lettersWorld(t, b)
		ask := func(c *Client, mother string) *Resp {
			return c.Do(t, "POST", p(villageA, "services", "/public/requests"), map[string]any{"type": "domisili", "nik": siti["nik"], "kk": siti["kk"],
				"mother_name": mother, "purpose": "melamar pekerjaan"})
		}
		// Curly apostrophe and capitals, full-width letters, NBSP: Siti's
		// phone, her son's and the kiosk's.
		ask(w.h.AnonFrom("127.0.0.21"), "NUR\u2019AINI").Expect(201)
		ask(w.h.AnonFrom("127.0.0.22"), "Ｎｕｒ'ａｉｎｉ").Expect(201)
		ask(w.h.AnonFrom("127.0.0.23"), "\u00a0nur\u02bcaini ").Expect(201)
		// Population's own check agrees.
		w.h.AnonFrom("127.0.0.24").Do(t, "POST", p(villageA, "population", "/verify"),
			map[string]string{"nik": siti["nik"], "kk": siti["kk"], "mother_name": "Nur\u2018aini"}).Expect(200)

		// A stranger's near misses fail, each the same refusal, and count:
		// after five the right name waits too.
		stranger := w.h.AnonFrom("127.0.0.31")
		var first string
		for _, wrong := range []string{"Nuraini", "Nur aini", "Nur-aini", "NUR\u2019AINII", "Siti"} {
			r := ask(stranger, wrong).ExpectErr(422, "unknown_resident")
			if first == "" {
				first = string(r.Body)
			} else if string(r.Body) != first {
				t.Errorf("refusals differ: %s and %s", first, r.Body)
			}
		}
		ask(stranger, "Nur'aini").ExpectErr(429, "too_many_attempts")
		w.h.AnonFrom("127.0.0.31").Do(t, "POST", p(villageA, "population", "/verify"),
			map[string]string{"nik": siti["nik"], "kk": siti["kk"], "mother_name": "Nur'aini"}).ExpectErr(429, "too_many_attempts")
		// Siti herself, from her own phone, is not locked out.
		ask(w.h.AnonFrom("127.0.0.32"), "nur’aini").Expect(201)
	})
}
