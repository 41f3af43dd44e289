package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

func TestNormalizeName(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"Siti Aminah", "  siti   AMINAH "},
		{"Siti Aminah", "SITI\tAMINAH"},
		{"Ña Ñoño", "ña ñoño"},
	} {
		if foldName(c.a) != foldName(c.b) {
			t.Errorf("%q and %q should be the same name", c.a, c.b)
		}
	}
	if foldName("Siti Aminah") == foldName("Siti Aminahh") {
		t.Error("different names compare equal")
	}
	if identityMatches(&Resident{KK: "1", MotherName: ""}, "1", "") {
		t.Error("a resident without a mother's name on record must never match")
	}
}

func TestVerifyResident(t *testing.T) {
	h := sdktest.New(t, &plugin)
	h.Tenant(villageA)
	h.Tenant(villageB)
	h.Enable("14.01")
	op := h.User("op-a", "operator", villageA)
	opB := h.User("op-b", "operator", villageB)
	anon := h.Anonymous()
	const kk = "1401012001150001"
	withMother := func(nik, name, sex, birth, rel, mother string) map[string]string {
		m := resident(nik, kk, name, sex, birth, rel)
		m["mother_name"] = mother
		m["address"] = "Jl. Lintas Timur"
		return m
	}
	for _, m := range []map[string]string{
		withMother("1401011503800001", "Budi Santoso", "L", "1980-03-15", "1", "Siti Rahmah"),
		withMother("1401014508850002", "Ani", "P", "1985-08-05", "3", "Nurhayati"),
		withMother("1401011001900003", "Joko", "L", "1990-01-10", "4", "Rohani"),
		resident("1401010202950004", kk, "Tanpa Ibu", "L", "1995-02-02", "4"),
	} {
		if res := op.Post(villageA, "/residents", m); res.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
	}
	if res := opB.Post(villageB, "/residents", map[string]string{"nik": "1401026006900004", "kk": "1401022001150001", "name": "Rina",
		"sex": "P", "birth_date": "1990-06-20", "relationship": "1", "mother_name": "Siti Rahmah"}); res.Status != http.StatusCreated {
		t.Fatalf("village B resident: %d %s", res.Status, res.Body)
	}
	check := func(nik, kk, mother string) *sdktest.Response {
		return anon.Post(villageA, "/verify", map[string]string{"nik": nik, "kk": kk, "mother_name": mother})
	}

	// The mother's name matches whatever the case and spacing.
	ok := check("1401011503800001", kk, "  siti   RAHMAH ")
	if ok.Status != 200 {
		t.Fatalf("matching identity: %d %s", ok.Status, ok.Body)
	}
	var got letterData
	ok.JSON(&got)
	if got.Name != "Budi Santoso" || got.NIK != "1401011503800001" || got.BirthDate != "1980-03-15" || got.Address != "Jl. Lintas Timur" || got.Status != "alive" {
		t.Errorf("letter data = %+v", got)
	}
	if strings.Contains(string(ok.Body), kk) || strings.Contains(strings.ToLower(string(ok.Body)), "rahmah") {
		t.Errorf("the answer repeats the KK or the mother's name: %s", ok.Body)
	}

	// Every kind of mismatch gets the same answer, word for word.
	var first string
	for _, c := range []struct{ name, nik, kk, mother string }{
		{"wrong mother's name", "1401014508850002", kk, "Siti Rahmah"},
		{"wrong KK", "1401011001900003", "1401012001150009", "Rohani"},
		{"unknown NIK", "1401010101010009", kk, "Rohani"},
		{"no mother's name on record", "1401010202950004", kk, "Siapa Saja"},
		{"resident of another village", "1401026006900004", "1401022001150001", "Siti Rahmah"},
	} {
		res := check(c.nik, c.kk, c.mother)
		if res.Status != http.StatusNotFound || res.ErrorCode() != "resident_not_found" {
			t.Errorf("%s: %d %s", c.name, res.Status, res.Body)
		}
		if first == "" {
			first = string(res.Body)
		} else if string(res.Body) != first {
			t.Errorf("%s answers differently from the others:\n%s\n%s", c.name, res.Body, first)
		}
	}
	for _, body := range []map[string]string{
		{"nik": "123", "kk": kk, "mother_name": "X"},
		{"nik": "1401011503800001", "kk": kk, "mother_name": "   "},
	} {
		if res := anon.Post(villageA, "/verify", body); res.Status != 422 || res.ErrorCode() != "invalid_identity" {
			t.Errorf("malformed %v: %d %s", body, res.Status, res.Body)
		}
	}
	if res := anon.Post(villageA, "/verify", map[string]string{"nik": "1401011503800001", "kk": kk, "mother_name": "X", "name": "Budi"}); res.Status != 400 {
		t.Errorf("unknown field: %d %s", res.Status, res.Body)
	}

	// Guessing is slow: after five failures the NIK is locked, even for
	// the right answer, and other NIKs are not.
	for i := range maxFailures - 1 { // the mismatch above was the first
		if res := check("1401014508850002", kk, fmt.Sprintf("Tebakan %d", i)); res.Status != http.StatusNotFound {
			t.Fatalf("guess %d: %d %s", i, res.Status, res.Body)
		}
	}
	if res := check("1401014508850002", kk, "Nurhayati"); res.Status != http.StatusTooManyRequests || res.ErrorCode() != "too_many_attempts" {
		t.Errorf("right answer after %d failures: %d %s", maxFailures, res.Status, res.Body)
	} else if secs, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || secs < 1 || secs > int(lockWindow/time.Second) {
		// The lockout's remaining window: at most the whole window.
		t.Errorf("the lockout's 429 has Retry-After %q, want 1 to %d seconds", res.Header.Get("Retry-After"), int(lockWindow/time.Second))
	} else if !strings.Contains(string(res.Body), " WIB, ") {
		// The citizen reads the time on the village's clock (Kampar keeps
		// WIB), not the server's UTC.
		t.Errorf("the lockout's message names no village time: %s", res.Body)
	}
	if res := check("1401011503800001", kk, "Siti Rahmah"); res.Status != 200 {
		t.Errorf("another NIK is locked too: %d %s", res.Status, res.Body)
	}

	// Successful checks are in the audit trail, by an anonymous caller.
	var audit struct{ Items []map[string]any }
	h.Admin().API("GET", "/api/v1/audit?action=population.residents.verified", nil).JSON(&audit)
	if len(audit.Items) != 2 || audit.Items[0]["actor"] != "anonymous" {
		t.Errorf("audit of identity checks: %v", audit.Items)
	}
	// The register is read revealed for every check, matching or not, and
	// each such read is audited with its purpose.
	h.Admin().API("GET", "/api/v1/audit?action=population.personal.read", nil).JSON(&audit)
	if len(audit.Items) < 2 || audit.Items[0]["actor"] != "anonymous" ||
		audit.Items[0]["detail"].(map[string]any)["purpose"] != "check a citizen's identity (NIK, KK, mother's name)" {
		t.Errorf("audit of the revealed reads: %v", audit.Items)
	}
}

// withAddress serves the route as if the host had seen each request come
// from the address in the X-Test-Address header: the host fills
// ClientAddress from the connection, which is 127.0.0.1 for every test
// client.
func withAddress(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sdk.From(r).ClientAddress = r.Header.Get("X-Test-Address")
		h.ServeHTTP(w, r)
	})
}

// unlimitedVerify is the plugin with the host's per-address rate limit on
// /verify lifted, and the client address taken from X-Test-Address: every
// test request reaches the host from 127.0.0.1, and these tests are about
// the plugin's own counters behind that limit.
func unlimitedVerify() *sdk.Plugin {
	p := plugin
	p.Routes = append([]sdk.Route(nil), plugin.Routes...)
	for i, r := range p.Routes {
		if r.Path == "/verify" {
			p.Routes[i].RateLimit = &sdk.RateLimit{Requests: 1000, Window: time.Minute}
			p.Routes[i].Handler = withAddress(r.Handler)
		}
	}
	return &p
}

// Guesses are counted per NIK and client address, with a ceiling per NIK
// from all addresses: a stranger guessing from one address locks only
// themselves out, and a hundred addresses at once get thirty comparisons
// between them, no more.
func TestVerifyLimitsPerAddress(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			var opts []sdktest.Option
			if url, _ := b.New(t); url != "" {
				opts = append(opts, sdktest.WithDatabase(url))
			}
			testVerifyLimitsPerAddress(t, sdktest.New(t, unlimitedVerify(), opts...))
		})
	}
}

func testVerifyLimitsPerAddress(t *testing.T, h *sdktest.Host) {
	h.Tenant(villageA)
	h.Enable("14.01")
	op := h.User("op-a", "operator", villageA)
	const nik, kk = "1401011503800001", "1401012001150001"
	budi := resident(nik, kk, "Budi Santoso", "L", "1980-03-15", "1")
	budi["mother_name"] = "Siti Rahmah"
	if res := op.Post(villageA, "/residents", budi); res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	check := func(addr, mother string) int {
		body, _ := json.Marshal(map[string]string{"nik": nik, "kk": kk, "mother_name": mother})
		req, _ := http.NewRequest("POST", h.URL()+"/api/v1/t/"+villageA+"/population/verify", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Test-Address", addr)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return 0
		}
		res.Body.Close()
		return res.StatusCode
	}
	// The stranger at 10.0.0.1 guesses five times, then waits, even
	// with the right answer.
	for i := range maxFailures {
		if s := check("10.0.0.1", fmt.Sprintf("Tebakan %d", i)); s != 404 {
			t.Fatalf("guess %d: %d", i, s)
		}
	}
	if s := check("10.0.0.1", "Siti Rahmah"); s != 429 {
		t.Errorf("the stranger's sixth try: %d, want 429", s)
	}
	// Budi, at home, is not locked out by the stranger.
	if s := check("10.0.0.2", "siti rahmah"); s != 200 {
		t.Errorf("the citizen after a stranger's guesses: %d, want 200", s)
	}
	// A hundred addresses guessing at once: the ceiling leaves 25 more
	// comparisons (30 minus the stranger's 5), and refuses the rest.
	var wg sync.WaitGroup
	statuses := make([]int, 100)
	start := make(chan struct{})
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i] = check(fmt.Sprintf("10.1.%d.%d", i/250, i%250+1), fmt.Sprintf("Tebakan %d", i))
		}()
	}
	close(start)
	wg.Wait()
	got := map[int]int{}
	for _, s := range statuses {
		got[s]++
	}
	if got[404] != maxFailuresPerNIK-maxFailures || got[429] != 100-(maxFailuresPerNIK-maxFailures) {
		t.Errorf("a hundred addresses at once: %v, want %d×404", got, maxFailuresPerNIK-maxFailures)
	}
	// Now the NIK is at its ceiling: checked from nowhere for the hour.
	if s := check("10.0.0.3", "Siti Rahmah"); s != 429 {
		t.Errorf("a new address after the ceiling: %d, want 429", s)
	}
}

// The mother's name matches as a clerk reads it, whatever the phone or
// keyboard made of its characters; a wrong name still fails, and every
// failure counts toward the lockout as before (issue 11 item 5).
func TestVerifyComparesNamesAsAClerk(t *testing.T) {
	sdktest.Each(t, unlimitedVerify(), testVerifyComparesNamesAsAClerk)
}

func testVerifyComparesNamesAsAClerk(t *testing.T, h *sdktest.Host) {
	h.Tenant(villageA)
	h.Enable("14.01")
	op := h.User("op-a", "operator", villageA)
	const kk = "1401012001150001"
	people := []struct{ nik, name, sex, birth, rel, mother string }{
		{"1401011503800001", "Budi Santoso", "L", "1980-03-15", "1", "Nur'aini"},
		{"1401014508850002", "Ani", "P", "1985-08-05", "3", "Siti Aminah"},
		{"1401011001900003", "Joko", "L", "1990-01-10", "4", "Désirée Abdul-Rahman"},
	}
	for _, p := range people {
		m := resident(p.nik, kk, p.name, p.sex, p.birth, p.rel)
		m["mother_name"] = p.mother
		if res := op.Post(villageA, "/residents", m); res.Status != http.StatusCreated {
			t.Fatalf("create %s: %d %s", p.name, res.Status, res.Body)
		}
	}
	check := func(addr, nik, mother string) int {
		body, _ := json.Marshal(map[string]string{"nik": nik, "kk": kk, "mother_name": mother})
		req, _ := http.NewRequest("POST", h.URL()+"/api/v1/t/"+villageA+"/population/verify", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Test-Address", addr)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	// Each variant from its own address, so that no lockout interferes.
	for i, c := range []struct{ name, nik, typed string }{
		{"curly apostrophe, capitals", people[0].nik, "NUR\u2019AINI"},
		{"modifier apostrophe", people[0].nik, "nur\u02bcaini"},
		{"double space", people[1].nik, "Siti  Aminah"},
		{"non-breaking space", people[1].nik, "Siti\u00a0Aminah"},
		{"full-width letters", people[1].nik, "ＳＩＴＩ ＡＭＩＮＡＨ"},
		{"decomposed é, non-breaking hyphen", people[2].nik, "De\u0301sire\u0301e Abdul\u2011Rahman"},
		{"upper case, en dash", people[2].nik, "DÉSIRÉE ABDUL\u2013RAHMAN"},
	} {
		if s := check(fmt.Sprintf("10.2.0.%d", i+1), c.nik, c.typed); s != http.StatusOK {
			t.Errorf("%s (%q): %d, want 200", c.name, c.typed, s)
		}
	}
	// Wrong names fail however they are typed, and each failure counts:
	// after maxFailures from one address even the right name waits.
	wrong := []string{"Nuraini", "NUR\u2019AINII", "Nur aini", "Nur-aini", "Siti"}
	for i, w := range wrong {
		if s := check("10.3.0.1", people[0].nik, w); s != http.StatusNotFound {
			t.Errorf("wrong name %d %q: %d, want 404", i, w, s)
		}
	}
	if s := check("10.3.0.1", people[0].nik, "Nur\u2019aini"); s != http.StatusTooManyRequests {
		t.Errorf("the right name after %d wrong ones: %d, want 429", len(wrong), s)
	}
	// A name of spaces and invisible characters is no name: refused as
	// malformed, before a try is taken.
	if s := check("10.4.0.1", people[0].nik, "\u00a0\u200b "); s != http.StatusUnprocessableEntity {
		t.Errorf("an invisible name: %d, want 422", s)
	}
}
