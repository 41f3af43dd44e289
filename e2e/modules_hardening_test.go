package e2e

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/storetest"
)

// parallelStatuses sends n requests at once and returns their statuses and
// bodies, index by index; send makes request i.
func parallelStatuses(n int, send func(i int) (int, []byte, error)) ([]int, []string) {
	statuses, bodies := make([]int, n), make([]string, n)
	for i, a := range parallel(n, func(i int) answer {
		st, body, err := send(i)
		if err != nil {
			body = []byte(err.Error())
		}
		return answer{status: st, body: body}
	}) {
		statuses[i], bodies[i] = a.status, string(a.body)
	}
	return statuses, bodies
}

// expectRetryAfter fails unless r carries a Retry-After of whole seconds
// from min to max (PRODUCT: every 429 comes with Retry-After).
func expectRetryAfter(t *testing.T, r *Resp, min, max int) {
	t.Helper()
	v := r.Header.Get("Retry-After")
	if secs, err := strconv.Atoi(v); err != nil || secs < min || secs > max {
		t.Errorf("%d %s: Retry-After %q, want %d to %d seconds", r.Status, r.ErrCode(), v, min, max)
	}
}

// countStatuses counts the answers by status.
func countStatuses(statuses []int) map[int]int {
	m := map[int]int{}
	for _, s := range statuses {
		m[s]++
	}
	return m
}

// Wrong guesses at once about one citizen's mother's name from one
// address: the village compares exactly five of them, refuses the rest
// before comparing anything, and the right answer from the same caller waits
// too. Nineteen guesses and the right answer stay inside the host's rate
// limit for /verify (20 per address), so every one reaches the plugin and
// the counts are the plugin's own.
func TestPopulationVerifyLockoutUnderConcurrency(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"population"})
		w.enable(t, "14.01", "population", true)
		w.op.Do(t, "POST", p(villageA, "population", "/residents"), budi).Expect(201)
		w.op.Do(t, "POST", p(villageA, "population", "/residents"), sari).Expect(201)
		stranger := w.h.AnonFrom("127.0.0.2")
		const n = 19
		statuses, bodies := parallelStatuses(n, func(i int) (int, []byte, error) {
			return raw(stranger, "POST", p(villageA, "population", "/verify"),
				map[string]string{"nik": budi["nik"], "kk": budi["kk"], "mother_name": fmt.Sprintf("Tebakan %d", i)}, nil)
		})
		got := countStatuses(statuses)
		if got[404] != 5 || got[429] != n-5 {
			t.Errorf("%d parallel wrong guesses answered %v, want 5×404 and %d×429", n, got, n-5)
		}
		for i, s := range statuses {
			if s != 404 && !(s == 429 && strings.Contains(bodies[i], `"too_many_attempts"`)) {
				t.Errorf("guess %d: %d %s", i, s, bodies[i])
			}
		}
		locked := stranger.Do(t, "POST", p(villageA, "population", "/verify"),
			map[string]string{"nik": budi["nik"], "kk": budi["kk"], "mother_name": budi["mother_name"]}).ExpectErr(429, "too_many_attempts")
		expectRetryAfter(t, locked, 1, 3600) // the rest of the hour's window
		// Budi himself, from his own phone, is not locked out by the
		// stranger, and another citizen is not either.
		citizen := w.h.AnonFrom("127.0.0.3")
		citizen.Do(t, "POST", p(villageA, "population", "/verify"),
			map[string]string{"nik": budi["nik"], "kk": budi["kk"], "mother_name": budi["mother_name"]}).Expect(200)
		citizen.Do(t, "POST", p(villageA, "population", "/verify"),
			map[string]string{"nik": sari["nik"], "kk": sari["kk"], "mother_name": sari["mother_name"]}).Expect(200)
		// Right answers give their try back: many in a row never lock.
		for range 8 {
			citizen.Do(t, "POST", p(villageA, "population", "/verify"),
				map[string]string{"nik": sari["nik"], "kk": sari["kk"], "mother_name": sari["mother_name"]}).Expect(200)
		}
	})
}

// A citizen's online requests wait for the village five at a time, however
// many arrive at once: thirty parallel submissions never leave more than
// five waiting, and a decision frees a place.
func TestServicesOnlineWaitingLimitUnderConcurrency(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := servicesWorld(t, b)
		citizen := map[string]any{"type": "domisili", "nik": budi["nik"], "kk": budi["kk"], "mother_name": budi["mother_name"], "purpose": "melamar pekerjaan"}
		// Each submission comes from an address of its own: the limit under
		// test is the village's, per resident, not the host's per address.
		next := 0
		phone := func() *Client {
			next++
			return w.h.AnonFrom(fmt.Sprintf("127.0.3.%d", next))
		}
		const n = 30
		phones := make([]*Client, n)
		for i := range phones {
			phones[i] = phone()
		}
		statuses, bodies := parallelStatuses(n, func(i int) (int, []byte, error) {
			return raw(phones[i], "POST", p(villageA, "services", "/public/requests"), citizen, nil)
		})
		for i, s := range statuses {
			// Checks beyond five at once from one address wait too
			// (too_many_attempts): they are never compared.
			if s != 201 && !(s == 429 && (strings.Contains(bodies[i], `"too_many_requests"`) || strings.Contains(bodies[i], `"too_many_attempts"`))) {
				t.Errorf("submission %d: %d %s", i, s, bodies[i])
			}
		}
		waitingOnline := func() int {
			return w.op.Do(t, "GET", p(villageA, "services", "/requests?state=submitted&limit=100"), nil).Expect(200).Total()
		}
		if got := countStatuses(statuses)[201]; got > 5 || waitingOnline() != got {
			t.Fatalf("%d parallel submissions: %d created, %d waiting, want at most 5", n, got, waitingOnline())
		}
		// Sequentially, the places left fill up, and no more.
		for waitingOnline() < 5 {
			phone().Do(t, "POST", p(villageA, "services", "/public/requests"), citizen).Expect(201)
		}
		full := phone().Do(t, "POST", p(villageA, "services", "/public/requests"), citizen).ExpectErr(429, "too_many_requests")
		expectRetryAfter(t, full, 3600, 3600) // documented in the services README
		// A rejection frees one place: one of five parallel submissions gets it.
		first := w.op.Do(t, "GET", p(villageA, "services", "/requests?state=submitted&limit=1"), nil).Expect(200).Items()[0]["id"].(string)
		w.op.Do(t, "POST", p(villageA, "services", "/requests/"+first+"/reject"), map[string]string{"reason": "ganda"}).Expect(200)
		for i := range 5 {
			phones[i] = phone()
		}
		statuses, bodies = parallelStatuses(5, func(i int) (int, []byte, error) {
			return raw(phones[i], "POST", p(villageA, "services", "/public/requests"), citizen, nil)
		})
		if got := countStatuses(statuses); got[201] != 1 || got[429] != 4 {
			t.Errorf("five submissions for one free place: %v %v", got, bodies)
		}
		if n := waitingOnline(); n != 5 {
			t.Errorf("%d online requests waiting, want 5", n)
		}
	})
}

// auditEntries lists the audit entries of actions matching pattern
// (population.* and the like; "" for all), newest first.
func auditEntries(t *testing.T, admin *Client, pattern string) []map[string]any {
	t.Helper()
	path := "/api/v1/audit?limit=500"
	if pattern != "" {
		path += "&action=" + pattern
	}
	return admin.Do(t, "GET", path, nil).Expect(200).Items()
}

// countActions counts audit entries by action, for one actor if not "".
func countActions(entries []map[string]any, actor string) map[string]int {
	m := map[string]int{}
	for _, e := range entries {
		if actor == "" || e["actor"] == actor {
			m[e["action"].(string)]++
		}
	}
	return m
}

// A viewer sees 1401**********01 with the birth date and the sex: enough
// to rebuild the NIK, but not to confirm it by searching. The operator who
// looks a citizen up by the NIK on their KTP may, and is audited.
func TestPersonalFieldSearchNeedsThePermission(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"population", "services", "marketplace"})
		for _, m := range []string{"population", "services", "marketplace"} {
			w.enable(t, "14.01", m, true)
		}
		w.op.Do(t, "POST", p(villageA, "population", "/residents"), budi).Expect(201)

		// The viewer's attack: masked NIK + birth date + sex + the
		// village's region code made the NIK, bar two serial digits. The
		// viewer is no longer shown the birth date (the year only), in the
		// register, in the history and in letter requests.
		seen := w.viewer.Do(t, "GET", p(villageA, "population", "/residents"), nil).Expect(200).Items()[0]
		if seen["birth_date"] != "" || seen["birth_year"] != float64(1980) || seen["nik"] != "1401**********01" {
			t.Errorf("a viewer sees birth date %v, year %v beside NIK %v", seen["birth_date"], seen["birth_year"], seen["nik"])
		}
		for _, h := range w.viewer.Do(t, "GET", p(villageA, "population", "/residents/"+seen["id"].(string)+"/history"), nil).Expect(200).Items() {
			if h["type"] == "birth" && len(h["date"].(string)) != 4 {
				t.Errorf("a viewer sees the birth in the history as %v", h["date"])
			}
		}
		if op := w.op.Do(t, "GET", p(villageA, "population", "/residents"), nil).Expect(200).Items()[0]; op["birth_date"] != budi["birth_date"] {
			t.Errorf("the operator sees birth date %v, want %s", op["birth_date"], budi["birth_date"])
		}
		w.op.Do(t, "POST", p(villageA, "services", "/requests"), letterRequest("domisili", budi["nik"], "melamar pekerjaan", nil)).Expect(201)
		// A letter request's resident snapshot is personal: the host
		// shows a viewer none of it.
		if q := w.viewer.Do(t, "GET", p(villageA, "services", "/requests"), nil).Expect(200).Items()[0]; q["resident"] != nil {
			t.Errorf("a viewer sees the requester's snapshot %v", q["resident"])
		}
		// A NIK the viewer knows or guesses from elsewhere.
		rebuilt := budi["nik"]
		for _, path := range []string{
			p(villageA, "population", "/residents?nik="+rebuilt),
			p(villageA, "population", "/residents?kk="+budi["kk"]),
			p(villageA, "population", "/residents?mother_name=Siti"),
			p(villageA, "population", "/families/"+budi["kk"]),
			p(villageA, "services", "/requests?nik="+rebuilt),
			p(villageA, "marketplace", "/orders?phone=081311112222"),
		} {
			w.viewer.Do(t, "GET", path, nil).ExpectErr(403, "forbidden_filter")
		}
		// The refused searches left no entry. The history read did: it
		// finds the resident's events by the real NIK, revealed and
		// audited with that purpose (and shows no NIK).
		viewerEntries := auditEntries(t, w.admin, "")
		if got := countActions(viewerEntries, "viewer-a"); len(got) != 2 || got["auth.login"] != 1 || got["population.personal.read"] != 1 {
			t.Errorf("refused searches left audit entries: %v", got)
		}
		for _, e := range viewerEntries {
			if e["actor"] == "viewer-a" && e["action"] == "population.personal.read" && e["detail"].(map[string]any)["purpose"] != "find the resident's life events by NIK" {
				t.Errorf("the viewer's history read is audited as %v", e)
			}
		}

		// The operator looks the citizen up and sees the NIK in full (she
		// holds read_personal, issue 11 item 7), and the search is in the
		// audit trail with the field searched, not its value.
		items := w.op.Do(t, "GET", p(villageA, "population", "/residents?nik="+rebuilt), nil).Expect(200).Items()
		if len(items) != 1 || items[0]["nik"] != budi["nik"] {
			t.Errorf("operator's lookup: %v", items)
		}
		w.op.Do(t, "GET", p(villageA, "population", "/residents?nik=1401011503809999"), nil).Expect(200)
		// By the mother's name only with read_personal, which shows the
		// mother's names anyway: a caller who reads them masked would
		// have the identity check of /verify without its limit.
		w.op.Do(t, "GET", p(villageA, "population", "/residents?nik="+rebuilt+"&mother_name=Siti+Rahmah"), nil).Expect(200)
		w.op.Do(t, "GET", p(villageA, "population", "/families/"+budi["kk"]), nil).Expect(200)
		w.op.Do(t, "GET", p(villageA, "services", "/requests?nik="+rebuilt), nil).Expect(200)
		w.op.Do(t, "GET", p(villageA, "marketplace", "/orders?phone=081311112222"), nil).Expect(200)
		entries := auditEntries(t, w.admin, "")
		got := countActions(entries, "op-a")
		// Four resident searches: the three above and the one services
		// made on the operator's behalf for the letter request. Two are
		// the plugin's own entries: the one that found nobody, and
		// services' (which passes on no read_personal, so population shows
		// it masked). The two that showed a resident in full, and the
		// family read by KK, are in the host's personal.read entries with
		// the fields searched.
		if got["population.residents.search_personal"] != 2 || got["population.families.read_personal"] != 1 ||
			got["services.requests.search_personal"] != 1 || got["marketplace.orders.search_personal"] != 1 {
			t.Errorf("operator's searches in the audit trail: %v", got)
		}
		searched := 0
		for _, e := range entries {
			if d, ok := e["detail"].(map[string]any); ok && e["actor"] == "op-a" && e["action"] == "population.personal.read" && d["searched"] != nil {
				if s := fmt.Sprint(d["searched"]); s != "[nik]" && s != "[mother_name nik]" && s != "[kk]" {
					t.Errorf("a search recorded as searching %s", s)
				}
				searched++
			}
		}
		if searched != 3 {
			t.Errorf("%d of the operator's personal.read entries record a search, want 3", searched)
		}
		for _, e := range entries {
			raw := fmt.Sprint(e)
			for _, secret := range []string{budi["nik"], budi["kk"], "1401011503809999", "081311112222", "813111"} {
				if strings.Contains(raw, secret) {
					t.Errorf("audit entry %s holds the searched value: %s", e["action"], raw)
				}
			}
		}
	})
}

// brokenCSV has an unterminated quote on its third line: everything after
// it would be read as one field.
const brokenCSV = "nik,kk,name,sex,birth_date\n" +
	"1401011803800007,1401012001150003,Anwar,L,1980-03-18\n" +
	"1401011903800008,1401012001150003,\"Tanpa Tutup,L,1980-03-19\n" +
	"1401012003800009,1401012001150003,Hilang,L,1980-03-20\n" +
	"1401012103800010,1401012001150003,Hilang Juga,L,1980-03-21\n"

// A CSV that is not valid is refused whole, with the line, through the
// API and the CLI alike: no row is imported, none silently dropped. A good
// import is one audit entry with its counts.
func TestPopulationImportNeverLosesRows(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		h := NewHost(t, b)
		plugins := PluginDir(t, "population")
		h.MustCLI(t, "tenant", "import", "--under", "14.01")
		h.MustCLI(t, "plugin", "enable", "population", "--tenant", "14.01", "--plugins", plugins)
		file := filepath.Join(t.TempDir(), "broken.csv")
		if err := os.WriteFile(file, []byte(brokenCSV), 0o644); err != nil {
			t.Fatal(err)
		}
		r := h.CLI(t, "", "population", "import", "--tenant", villageA, "--plugins", plugins, file)
		if r.Code == 0 || !strings.Contains(r.Stderr, "invalid_csv") || !strings.Contains(r.Stderr, "line 3") {
			t.Errorf("CLI import of a broken file: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
		}

		h.Serve(t, "--plugins", plugins)
		admin := h.Admin(t)
		op, _ := admin.CreateUser(t, "op-a")
		admin.Grant(t, villageA, "op-a", "operator")
		r2 := op.Do(t, "POST", p(villageA, "population", "/import"), brokenCSV).ExpectErr(422, "invalid_csv")
		if !strings.Contains(string(r2.Body), "line 3") {
			t.Errorf("the refusal does not name line 3: %s", r2.Body)
		}
		if n := op.Do(t, "GET", p(villageA, "population", "/residents"), nil).Expect(200).Total(); n != 0 {
			t.Errorf("%d residents after refused imports, want 0", n)
		}
		if n := dbCount(t, h, "p_population_residents", ""); n != 0 {
			t.Errorf("%d rows in the residents table after refused imports", n)
		}

		// Fixed, every line is accounted for; a row with a comma too many
		// is rejected with its line, not imported with shifted columns.
		fixed := strings.Replace(brokenCSV, `"Tanpa Tutup`, `"Tanpa Tutup"`, 1) +
			"1401012203800011,1401012001150003,Anak, Kedua,L,1980-03-22\n"
		res := op.Do(t, "POST", p(villageA, "population", "/import"), fixed).Expect(200).JSON()
		if res["read"] != float64(5) || res["inserted"] != float64(4) || res["rejected"] != float64(1) || res["duplicates"] != float64(0) {
			t.Errorf("import of the fixed file: %v", res)
		}
		if rj := res["rejections"].([]any); len(rj) != 1 || rj[0].(map[string]any)["line"] != float64(6) {
			t.Errorf("rejections: %v", rj)
		}
		entries := auditEntries(t, admin, "population.residents.imported")
		if len(entries) != 1 || entries[0]["actor"] != "op-a" || entries[0]["tenant"] != villageA {
			t.Fatalf("audit of the import: %v", entries)
		}
		if d := entries[0]["detail"].(map[string]any); d["read"] != float64(5) || d["inserted"] != float64(4) || d["rejected"] != float64(1) {
			t.Errorf("audit detail of the import: %v", d)
		}
	})
}

// Residents live in villages: a move to a sub-district, a regency or a
// village that does not exist is refused, and the resident stays.
func TestPopulationMoveOnlyToAVillage(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"population"})
		w.enable(t, "14.01", "population", true)
		id := w.op.Do(t, "POST", p(villageA, "population", "/residents"), budi).Expect(201).Str("id")
		move := func(c *Client, to string) *Resp {
			return c.Do(t, "POST", p(villageA, "population", "/events"), map[string]any{"type": "move", "date": "2026-02-01", "resident_id": id, "to_tenant": to})
		}
		for _, c := range []struct{ to, code string }{
			{"14.01.01", "invalid_destination"},
			{"14.01", "invalid_destination"},
			{"14", "invalid_destination"},
			{"14.01.01.2009.1", "invalid_destination"},
			{villageA, "invalid_destination"},
			{"14.01.01.2999", "unknown_destination"}, // no such village
			{villageP, "unknown_destination"},        // population not enabled in Pelalawan
		} {
			// The district admin may write everywhere in Kampar: the
			// refusal is about the destination, not the caller.
			r := move(w.district, c.to)
			if c.to == villageP {
				w.admin.Grant(t, "14.05", "kampar-admin", "admin")
				r = move(w.district, c.to)
			}
			r.ExpectErr(422, c.code)
		}
		move(w.op, villageB).ExpectErr(403, "forbidden") // op-a may not write in B
		if n := w.op.Do(t, "GET", p(villageA, "population", "/residents"), nil).Expect(200).Total(); n != 1 {
			t.Fatalf("after refused moves the resident is gone from A: %d", n)
		}
		move(w.district, villageB).Expect(200)
		if n := w.opB.Do(t, "GET", p(villageB, "population", "/residents"), nil).Expect(200).Total(); n != 1 {
			t.Errorf("the moved resident is not in B: %d", n)
		}
	})
}

// Every create, change, import and move of personal data by an operator
// leaves one audit entry (UU PDP 27/2022: a record of processing), with
// ids and field names, never the data itself.
func TestPersonalDataWritesAreAudited(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"population", "services", "marketplace"})
		for _, m := range []string{"population", "services", "marketplace"} {
			w.enable(t, "14.01", m, true)
		}
		pop := func(path string) string { return p(villageA, "population", path) }
		id := w.op.Do(t, "POST", pop("/residents"), budi).Expect(201).Str("id")
		w.op.Do(t, "PATCH", pop("/residents/"+id), map[string]string{"address": "Jl. Rahasia No. 9", "mother_name": "Siti Rahmah Baru"}).Expect(200)
		baby := map[string]string{"nik": "1401016501260003", "kk": budi["kk"], "name": "Putri Kecil", "sex": "P", "birth_date": "2026-01-25"}
		babyID := w.op.Do(t, "POST", pop("/events"), map[string]any{"type": "birth", "date": "2026-01-25", "resident": baby}).Expect(201).Str("id")
		w.op.Do(t, "POST", pop("/events"), map[string]any{"type": "death", "date": "2026-02-01", "resident_id": babyID, "cause": "sakit"}).Expect(200)
		w.op.Do(t, "POST", pop("/import"), "nik,kk,name,sex,birth_date\n1401011803800007,1401012001150003,Anwar Rahasia,L,1980-03-18\n").Expect(200)
		w.district.Do(t, "POST", pop("/events"), map[string]any{"type": "move", "date": "2026-02-02", "resident_id": id, "to_tenant": villageA2}).Expect(200)

		w.op.Do(t, "POST", p(villageA, "population", "/residents"), sari).Expect(201)
		w.op.Do(t, "POST", p(villageA, "services", "/requests"), letterRequest("domisili", sari["nik"], "melamar kerja", nil)).Expect(201)
		seller := w.op.Do(t, "POST", p(villageA, "marketplace", "/sellers"), map[string]any{"name": "Kedai Sari", "kind": "umkm", "owner_name": "Sari Pemilik"}).Expect(201).Str("id")
		w.op.Do(t, "PATCH", p(villageA, "marketplace", "/sellers/"+seller), map[string]any{"owner_name": "Sari Pemilik Baru"}).Expect(200)
		prod := w.op.Do(t, "POST", p(villageA, "marketplace", "/products"), map[string]any{"seller_id": seller, "name": "Kopi", "category": "drinks", "price": 20000, "stock": 5}).Expect(201).Str("id")
		w.h.Anon().Do(t, "POST", p(villageA, "marketplace", "/orders"), order("Pembeli Rahasia", "081377778888", line(prod, 1))).Expect(201)

		entries := auditEntries(t, w.admin, "")
		got := countActions(entries, "")
		for action, want := range map[string]int{
			"population.residents.created": 2, "population.residents.updated": 1, "population.residents.birth": 1,
			"population.residents.death": 1, "population.residents.imported": 1, "population.residents.moved": 1,
			"services.requests.submitted": 1, "marketplace.sellers.created": 1, "marketplace.sellers.updated": 1,
			"marketplace.orders.placed": 1,
		} {
			if got[action] != want {
				t.Errorf("%d audit entries %s, want %d (all: %v)", got[action], action, want, got)
			}
		}
		for _, e := range entries {
			raw := fmt.Sprint(e)
			for _, secret := range []string{budi["nik"], "1401016501260003", "1401011803800007", sari["nik"], "Rahasia", "Siti Rahmah", "Sari Pemilik", "0813777", "813777"} {
				if strings.Contains(raw, secret) {
					t.Errorf("audit entry %s holds personal data (%s): %s", e["action"], secret, raw)
				}
			}
			if e["action"] == "population.residents.updated" {
				if f := fmt.Sprint(e["detail"].(map[string]any)["fields"]); f != "[address mother_name]" || e["target"] != id || e["actor"] != "op-a" {
					t.Errorf("audit of the change: %v", e)
				}
			}
		}
	})
}

// Twenty clerks save the village profile at once from the same edition:
// exactly one wins each round, the others are told to reload, and the
// edition counts the saves that happened, no more.
func TestProfileEditionsUnderConcurrency(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"profile"})
		w.enable(t, "14.01", "profile", true)
		const n = 20
		for edition := range 3 {
			statuses, bodies := parallelStatuses(n, func(i int) (int, []byte, error) {
				return raw(w.op, "PUT", p(villageA, "profile", ""), map[string]any{"version": edition, "head": fmt.Sprintf("Kepala %d-%d", edition, i)}, nil)
			})
			got := countStatuses(statuses)
			if got[200] != 1 || got[409] != n-1 {
				t.Errorf("round %d: %v", edition, got)
			}
			for i, s := range statuses {
				if s == 409 && !strings.Contains(bodies[i], `"version_conflict"`) {
					t.Errorf("round %d, save %d: %s", edition, i, bodies[i])
				}
			}
		}
		if v := w.h.Anon().Do(t, "GET", p(villageA, "profile", ""), nil).Expect(200).JSON()["version"]; v != float64(3) {
			t.Errorf("edition after three rounds: %v, want 3", v)
		}
	})
}

// A family has one living head: ten heads registered for one KK at the
// same moment leave exactly one, and the head's death frees the place.
func TestPopulationOneHeadPerFamilyUnderConcurrency(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"population"})
		w.enable(t, "14.01", "population", true)
		const kk = "1401012001150007"
		head := func(i int) map[string]string {
			return popResident(fmt.Sprintf("14010115038%05d", 200+i), kk, fmt.Sprintf("Kepala %d", i), "L", "1980-03-15", "1")
		}
		const n = 10
		statuses, bodies := parallelStatuses(n, func(i int) (int, []byte, error) {
			return raw(w.op, "POST", p(villageA, "population", "/residents"), head(i), nil)
		})
		if got := countStatuses(statuses); got[201] != 1 || got[409] != n-1 {
			t.Errorf("%d heads registered at once: %v", n, got)
		}
		winner := ""
		for i, s := range statuses {
			if s == 409 && !strings.Contains(bodies[i], `"duplicate_head"`) {
				t.Errorf("head %d: %s", i, bodies[i])
			}
			if s == 201 {
				winner = bodies[i]
			}
		}
		heads := w.op.Do(t, "GET", p(villageA, "population", "/residents?kk="+kk+"&status=alive"), nil).Expect(200).Items()
		if len(heads) != 1 || strings.Contains(winner, `"head_kk"`) {
			t.Fatalf("living heads of the family: %d; the answer shows head_kk: %v", len(heads), strings.Contains(winner, `"head_kk"`))
		}
		// An import cannot add a second head either, and says why.
		res := w.op.Do(t, "POST", p(villageA, "population", "/import"), "nik,kk,name,sex,birth_date,relationship\n1401011503800300,"+kk+",Kepala Impor,L,1980-03-15,1\n").Expect(200).JSON()
		// A second head is a rejection the clerk must fix (it goes to the
		// rejects file with its code), not a duplicate to skip.
		if res["inserted"] != float64(0) || res["rejected"] != float64(1) || !strings.Contains(fmt.Sprint(res["rejections"]), "duplicate_head") || !strings.Contains(fmt.Sprint(res["rejections"]), "living head") {
			t.Errorf("import of a second head: %v", res)
		}
		// The head dies: the family may register its new head, once.
		w.op.Do(t, "POST", p(villageA, "population", "/events"), map[string]any{"type": "death", "date": "2026-02-01", "resident_id": heads[0]["id"]}).Expect(200)
		statuses, _ = parallelStatuses(n, func(i int) (int, []byte, error) {
			return raw(w.op, "POST", p(villageA, "population", "/residents"), head(n+i), nil)
		})
		if got := countStatuses(statuses); got[201] != 1 || got[409] != n-1 {
			t.Errorf("new heads after the death: %v", got)
		}
	})
}

// A product has at most eight photos, however many uploads arrive at once;
// the refused uploads leave no file behind.
func TestMarketplacePhotoLimitUnderConcurrency(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		m := startMarket(t, b)
		s := m.seller(m.op, villageA, "UMKM Foto")
		prod := m.product(m.op, villageA, s, "Tas Rotan", "crafts", 120000, 2)
		const n = 20
		statuses, bodies := parallelStatuses(n, func(i int) (int, []byte, error) {
			png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), bytes.Repeat([]byte{byte(i)}, 2000)...)
			req, err := http.NewRequest("POST", m.h.URL+mkt(villageA, "/products/"+prod+"/photos"), bytes.NewReader(png))
			if err != nil {
				return 0, nil, err
			}
			req.Header.Set("Authorization", "Bearer "+m.op.Token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				return 0, nil, err
			}
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			return res.StatusCode, body, err
		})
		got := countStatuses(statuses)
		for i, st := range statuses {
			// A contender that kept losing the product's version may be
			// told to try again (conflict); never more than eight stick.
			if st != 201 && !(st == 409 && (strings.Contains(bodies[i], `"too_many_photos"`) || strings.Contains(bodies[i], `"conflict"`))) {
				t.Errorf("upload %d: %d %s", i, st, bodies[i])
			}
		}
		photos := func() int {
			return len(m.op.Do(t, "GET", mkt(villageA, "/products/"+prod), nil).Expect(200).JSON()["photos"].([]any))
		}
		if got[201] > 8 || photos() != got[201] {
			t.Fatalf("%d parallel uploads: %v, %d photos on the product", n, got, photos())
		}
		png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), bytes.Repeat([]byte{99}, 2000)...)
		for photos() < 8 {
			m.op.Do(t, "POST", mkt(villageA, "/products/"+prod+"/photos"), png).Expect(201)
		}
		m.op.Do(t, "POST", mkt(villageA, "/products/"+prod+"/photos"), png).ExpectErr(409, "too_many_photos")
		if n := dbCount(t, m.h, "files", "plugin = ?", "marketplace"); n != 8 {
			t.Errorf("%d files stored, want 8: refused uploads must leave none", n)
		}
	})
}

// Stock adjustments at the counter hold both bounds under concurrency:
// never below zero, never above the ceiling.
func TestMarketplaceStockBoundsUnderConcurrency(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		m := startMarket(t, b)
		s := m.seller(m.op, villageA, "UMKM Stok")
		prod := m.product(m.op, villageA, s, "Keripik", "food", 15000, 10)
		adjust := func(delta int) func(int) (int, []byte, error) {
			return func(int) (int, []byte, error) {
				return raw(m.op, "POST", mkt(villageA, "/products/"+prod+"/stock"), map[string]int{"delta": delta}, nil)
			}
		}
		statuses, bodies := parallelStatuses(20, adjust(-1))
		if got := countStatuses(statuses); got[200] != 10 || got[409] != 10 || !strings.Contains(strings.Join(bodies, ""), `"insufficient_stock"`) {
			t.Errorf("twenty removals from ten: %v", got)
		}
		if n := m.stock(m.op, villageA, prod); n != 0 {
			t.Fatalf("stock %d, want 0", n)
		}
		m.op.Do(t, "POST", mkt(villageA, "/products/"+prod+"/stock"), map[string]int{"delta": 1_000_000 - 5}).Expect(200)
		statuses, bodies = parallelStatuses(10, adjust(1))
		if got := countStatuses(statuses); got[200] != 5 || got[409] != 5 || !strings.Contains(strings.Join(bodies, ""), `"stock_limit"`) {
			t.Errorf("ten additions with room for five: %v", got)
		}
		if n := m.stock(m.op, villageA, prod); n != 1_000_000 {
			t.Errorf("stock %d, want the ceiling 1000000", n)
		}
	})
}

// Residents, families and letter requests belong to a village: at a
// sub-district or a regency every write (create, PATCH, import by API and
// by CLI, birth, move-in, death, move-out; a letter request by either
// channel) answers 422 not_a_village and stores nothing, while the
// roll-up reads stay open.
func TestPopulationWritesOnlyInAVillage(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		h := NewHost(t, b)
		plugins := PluginDir(t, "population", "services")
		h.MustCLI(t, "tenant", "import", "--under", "14.01")
		h.MustCLI(t, "plugin", "enable", "population", "--tenant", "14.01", "--plugins", plugins)
		h.MustCLI(t, "plugin", "enable", "services", "--tenant", "14.01", "--plugins", plugins)
		const csv = "nik,kk,name,sex,birth_date\n" +
			"1401011503800001,1401012001150001,Budi Santoso,L,1980-03-15\n" +
			"1401014107900002,1401012001150002,Sari Dewi,P,1990-07-01\n"
		file := filepath.Join(t.TempDir(), "residents.csv")
		if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, tenant := range []string{"14.01.01", "14.01"} {
			r := h.CLI(t, "", "population", "import", "--tenant", tenant, "--plugins", plugins, file)
			if r.Code == 0 || !strings.Contains(r.Stderr, "not_a_village") {
				t.Errorf("CLI import into %s: exit %d\n%s%s", tenant, r.Code, r.Stdout, r.Stderr)
			}
		}

		h.Serve(t, "--plugins", plugins)
		admin := h.Admin(t)
		id := admin.Do(t, "POST", p(villageA, "population", "/residents"), budi).Expect(201).Str("id")
		newborn := map[string]string{"nik": "1401014101240003", "kk": budi["kk"], "name": "Bayi", "sex": "P", "birth_date": "2024-01-01"}
		for _, tenant := range []string{"14.01.01", "14.01"} {
			for _, c := range []struct {
				name, method, module, path string
				body                       any
			}{
				{"create", "POST", "population", "/residents", sari},
				{"patch", "PATCH", "population", "/residents/" + id, map[string]string{"name": "Budi S"}},
				{"import", "POST", "population", "/import", csv},
				{"birth", "POST", "population", "/events", map[string]any{"type": "birth", "date": "2024-01-01", "resident": newborn}},
				{"move in", "POST", "population", "/events", map[string]any{"type": "move_in", "date": "2024-01-01", "resident": newborn}},
				{"death", "POST", "population", "/events", map[string]any{"type": "death", "date": "2024-01-01", "resident_id": id}},
				{"move out", "POST", "population", "/events", map[string]any{"type": "move_out", "date": "2024-01-01", "resident_id": id}},
				{"letter request", "POST", "services", "/requests", letterRequest("domisili", budi["nik"], "melamar pekerjaan", nil)},
			} {
				t.Run(tenant+" "+c.name, func(t *testing.T) {
					admin.Do(t, c.method, p(tenant, c.module, c.path), c.body).ExpectErr(422, "not_a_village")
				})
			}
			h.Anon().Do(t, "POST", p(tenant, "services", "/public/requests"),
				map[string]any{"type": "domisili", "nik": budi["nik"], "kk": budi["kk"], "mother_name": budi["mother_name"], "purpose": "x"}).ExpectErr(422, "not_a_village")
			admin.Do(t, "GET", p(tenant, "population", "/residents"), nil).Expect(200)
			admin.Do(t, "GET", p(tenant, "services", "/requests"), nil).Expect(200)
		}
		if n := dbCount(t, h, "p_population_residents", ""); n != 1 {
			t.Errorf("%d rows in the residents table after the refused writes, want 1 (Budi, at %s)", n, villageA)
		}
		if n := admin.Do(t, "GET", p("14.01", "population", "/residents"), nil).Expect(200).Total(); n != 1 {
			t.Errorf("the regency's roll-up shows %d residents, want 1", n)
		}
	})
}

// A citizen's request through services is refused with population's own
// lockout when the identity check of the NIK is locked, and keeps its
// Retry-After on the way through services.
func TestServicesPassesOnPopulationLockout(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := servicesWorld(t, b)
		guess := func(mother string) *Resp {
			return w.h.AnonFrom("127.0.4.1").Do(t, "POST", p(villageA, "services", "/public/requests"),
				map[string]any{"type": "domisili", "nik": budi["nik"], "kk": budi["kk"], "mother_name": mother, "purpose": "melamar pekerjaan"})
		}
		for i := range 5 {
			guess(fmt.Sprintf("Tebakan %d", i)).ExpectErr(422, "unknown_resident")
		}
		expectRetryAfter(t, guess(budi["mother_name"]).ExpectErr(429, "too_many_attempts"), 1, 3600)
	})
}

// Everything services prints on an official letter follows the shared
// text rules: bidirectional overrides and control characters in a
// request, a template or the settings answer 422 and are not stored.
func TestServicesRefusesControlCharactersOnLetters(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := servicesWorld(t, b)
		for _, c := range []struct {
			name, method, path string
			body               any
			code               string
		}{
			{"purpose with U+202E", "POST", "/requests", letterRequest("domisili", budi["nik"], "a\u202eb", nil), "invalid_purpose"},
			{"field with ESC", "POST", "/requests", letterRequest("sktm", budi["nik"], "beasiswa", map[string]string{"income": "a\u001bb"}), "invalid_field"},
			{"template title with U+202E", "PUT", "/letter-types/domisili/template", map[string]string{"title": "T\u202eX"}, "invalid_settings"},
			{"signatory title with U+202E", "PUT", "/settings", map[string]any{"signatory": map[string]string{"title": "Kepala \u202eDesa"}}, "invalid_settings"},
			{"signatory name with BEL", "PUT", "/settings", map[string]any{"signatory": map[string]string{"name": "Budi\u0007"}}, "invalid_settings"},
			{"letterhead with U+202E", "PUT", "/settings", map[string]any{"letterhead": []string{"DESA \u202eKUMANTAN"}}, "invalid_settings"},
			{"place with ESC", "PUT", "/settings", map[string]any{"place": "Kumantan\u001b"}, "invalid_settings"},
		} {
			t.Run(c.name, func(t *testing.T) {
				w.admin.Do(t, c.method, p(villageA, "services", c.path), c.body).ExpectErr(422, c.code)
			})
		}
		if n := w.op.Do(t, "GET", p(villageA, "services", "/requests"), nil).Expect(200).Total(); n != 0 {
			t.Errorf("%d requests stored after the refusals, want 0", n)
		}
		// A life event's words go into the history letters quote.
		id := w.op.Do(t, "GET", p(villageA, "population", "/residents?limit=1"), nil).Expect(200).Items()[0]["id"].(string)
		for field, v := range map[string]string{"place": `RSUD \u202eBangkinang`, "cause": `sakit\u0007`, "note": `catatan \u2066`} {
			body := fmt.Sprintf(`{"type":"death","date":"2026-01-02","resident_id":%q,%q:"%s"}`, id, field, v)
			w.op.Do(t, "POST", p(villageA, "population", "/events"), body).ExpectErr(422, "invalid_"+field)
		}
		if st := w.op.Do(t, "GET", p(villageA, "population", "/residents/"+id), nil).Expect(200).JSON()["status"]; st != "alive" {
			t.Errorf("a refused death event changed the status to %v", st)
		}
		settings := string(w.admin.Do(t, "GET", p(villageA, "services", "/settings"), nil).Expect(200).Body)
		for _, bad := range []string{"\u202e", `\u202e`, `\u0007`, `\u001b`} {
			if strings.Contains(settings, bad) {
				t.Errorf("the settings hold %q after the refusals: %s", bad, settings)
			}
		}
	})
}
