package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/storetest"
)

// Object keys match exactly, on the host's API and on a plugin's: a key
// that only folds to a field's name (in case, or through U+017F LATIN
// SMALL LETTER LONG S, which folds to "s") is an unknown field, and
// nothing changes. Before, encoding/json's folding let "ſtatus" past the
// population plugin's check and changed a resident's state without its
// life event, history or event.
func TestInputKeysMatchExactly(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"population"})
		w.enable(t, "14.01", "population", true)
		const kk = "1401012001150001"
		id := w.op.Do(t, "POST", p(villageA, "population", "/residents"), popResident("1401011503800001", kk, "Budi", "L", "1980-03-15", "1")).Expect(201).Str("id")
		resident := p(villageA, "population", "/residents/"+id)
		history := p(villageA, "population", "/residents/"+id+"/history")
		eventsBefore := dbCount(t, w.h, "events", "plugin = ?", "population")
		historyBefore := w.op.Do(t, "GET", history, nil).Expect(200).Total()
		for _, body := range []string{
			`{"ſtatus":"deceased"}`,
			`{"STATUS":"deceased"}`,
			`{"Status":"moved"}`,
			`{"name":"Budi","name":"Budi Santoso"}`,
		} {
			t.Run("plugin "+body, func(t *testing.T) {
				code := "unknown_field"
				if strings.Count(body, `"name"`) == 2 {
					code = "malformed_json"
				}
				w.op.Do(t, "PATCH", resident, body).ExpectErr(400, code)
			})
		}
		got := w.op.Do(t, "GET", resident, nil).Expect(200).JSON()
		if got["status"] != "alive" || got["name"] != "Budi" {
			t.Errorf("after refused patches the resident is %v, %v", got["status"], got["name"])
		}
		if n := w.op.Do(t, "GET", history, nil).Expect(200).Total(); n != historyBefore {
			t.Errorf("history grew from %d to %d", historyBefore, n)
		}
		if n := dbCount(t, w.h, "events", "plugin = ?", "population"); n != eventsBefore {
			t.Errorf("events grew from %d to %d", eventsBefore, n)
		}

		// The host's own API, with the same rules.
		before := counts(t, w.h)
		for _, c := range []struct{ name, method, path, body, code string }{
			{"folded key of a user patch", "PATCH", "/api/v1/users/op-b", `{"diſabled":true}`, "unknown_field"},
			{"upper-case key of a user patch", "PATCH", "/api/v1/users/op-b", `{"DISABLED":true}`, "unknown_field"},
			{"folded key of a new tenant", "POST", "/api/v1/tenants", `{"code":"14.01.01.2999","NAME":"Baru"}`, "unknown_field"},
			{"duplicate key of a new user", "POST", "/api/v1/users", `{"username":"dup","username":"admin2","password":"long-enough-1","full_name":"D"}`, "malformed_json"},
			{"folded key of a grant", "PUT", "/api/v1/tenants/14.01/members/op-b", `{"Roles":["admin"]}`, "unknown_field"},
			{"folded key of a module switch", "PUT", "/api/v1/tenants/14.05/modules/population", `{"ENABLED":true}`, "unknown_field"},
			{"folded key at login", "POST", "/api/v1/auth/login", `{"uſername":"admin","password":"` + AdminPassword + `"}`, "unknown_field"},
		} {
			t.Run(c.name, func(t *testing.T) {
				w.admin.Do(t, c.method, c.path, c.body).ExpectErr(400, c.code)
			})
		}
		// Counted before the reads below, which the audit trail records.
		after := counts(t, w.h)
		for table, n := range before {
			if after[table] != n {
				t.Errorf("%s: %d rows before the refused bodies, %d after", table, n, after[table])
			}
		}
		if u := w.admin.Do(t, "GET", "/api/v1/users/op-b", nil).Expect(200).JSON(); u["disabled"] != false {
			t.Errorf("op-b was disabled through a folded key: %v", u)
		}
		w.opB.Do(t, "GET", p(villageB, "population", "/residents"), nil).Expect(200)
		w.pelalawanUser.Do(t, "GET", p(villageP, "population", "/residents"), nil).ExpectErr(404, "module_not_enabled")
	})
}

// NUL bytes, invalid UTF-8 and control characters are refused with the
// documented 400 (or 422 for a name's own rule) on both databases, in
// bodies, query strings and paths, for the host and for plugins, and
// nothing is stored. Before, PostgreSQL answered 500 and SQLite stored
// them. Names also refuse bidirectional overrides, and lengths count
// characters, not bytes.
func TestInputRefusesUnsafeText(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"population", "marketplace", "services"})
		w.enable(t, "14.01", "population", true)
		w.enable(t, "14.01", "marketplace", true)
		w.enable(t, "14.01", "services", true)
		residents := p(villageA, "population", "/residents")
		settings := p(villageA, "services", "/settings")
		catalogue := p("14.01", "marketplace", "/products")
		const kk = "1401012001150001"
		w.op.Do(t, "POST", residents, popResident("1401011503800001", kk, "Budi", "L", "1980-03-15", "1")).Expect(201)
		// The operator's read is itself audited (population.personal.read):
		// count the rows after it.
		residentsBefore := w.op.Do(t, "GET", residents, nil).Expect(200).Total()
		before := counts(t, w.h)
		anon := w.h.Anon()
		long := strings.Repeat("é", 150) // 300 bytes, 150 characters
		for _, c := range []struct {
			name   string
			who    *Client
			method string
			path   string
			body   string
			status int
			code   string
		}{
			{"login with a NUL in the username", anon, "POST", "/api/v1/auth/login", `{"username":"ad\u0000min","password":"x"}`, 400, "invalid_text"},
			{"login with a raw NUL in the username", anon, "POST", "/api/v1/auth/login", "{\"username\":\"ad\x00min\",\"password\":\"x\"}", 400, "malformed_json"},
			{"login with invalid UTF-8", anon, "POST", "/api/v1/auth/login", "{\"username\":\"ad\xffmin\",\"password\":\"x\"}", 400, "invalid_text"},
			{"login with a NUL in the password", anon, "POST", "/api/v1/auth/login", `{"username":"admin","password":"\u0000"}`, 400, "invalid_text"},
			{"catalogue search with a NUL", anon, "GET", catalogue + "?q=a%00b", "", 400, "invalid_text"},
			{"catalogue search with invalid UTF-8", anon, "GET", catalogue + "?q=%FF%FE", "", 400, "invalid_text"},
			{"catalogue search with a cut character", anon, "GET", catalogue + "?q=%C3", "", 400, "invalid_text"},
			{"catalogue search with an escape sequence", anon, "GET", catalogue + "?q=%1B%5B2J", "", 400, "invalid_text"},
			{"user with a NUL in the username", w.admin, "POST", "/api/v1/users", `{"username":"nul\u0000user","password":"long-enough-1","full_name":"N"}`, 400, "invalid_text"},
			{"user with a NUL in the full name", w.admin, "POST", "/api/v1/users", `{"username":"nuluser","password":"long-enough-1","full_name":"N\u0000"}`, 400, "invalid_text"},
			{"user with invalid UTF-8 in the full name", w.admin, "POST", "/api/v1/users", "{\"username\":\"badutf\",\"password\":\"long-enough-1\",\"full_name\":\"N\xc3\"}", 400, "invalid_text"},
			{"user with a bidirectional override", w.admin, "POST", "/api/v1/users", `{"username":"bidiuser","password":"long-enough-1","full_name":"Siti \u202enimdA"}`, 422, "invalid_full_name"},
			{"user with a line break in the name", w.admin, "POST", "/api/v1/users", `{"username":"lineuser","password":"long-enough-1","full_name":"Siti\nAdmin"}`, 422, "invalid_full_name"},
			{"full name of 201 characters", w.admin, "POST", "/api/v1/users", `{"username":"longuser","password":"long-enough-1","full_name":"` + long + strings.Repeat("a", 51) + `"}`, 422, "invalid_full_name"},
			{"full name patched with a bidirectional isolate", w.admin, "PATCH", "/api/v1/users/op-b", `{"full_name":"a\u2066b"}`, 422, "invalid_full_name"},
			{"user path with a NUL", w.admin, "GET", "/api/v1/users/op%00-b", "", 400, "invalid_text"},
			{"tenant with a NUL in the name", w.admin, "POST", "/api/v1/tenants", `{"code":"14.01.01.2999","name":"Desa\u0000"}`, 400, "invalid_text"},
			{"tenant with invalid UTF-8 in the name", w.admin, "POST", "/api/v1/tenants", "{\"code\":\"14.01.01.2999\",\"name\":\"Desa \xe2\x82\"}", 400, "invalid_text"},
			{"tenant with a NUL in the code", w.admin, "POST", "/api/v1/tenants", `{"code":"14.01.01.2999\u0000","name":"Desa"}`, 400, "invalid_text"},
			{"tenant with a bidirectional override", w.admin, "POST", "/api/v1/tenants", `{"code":"14.01.01.2999","name":"Desa \u202eukaB"}`, 422, "invalid_name"},
			{"tenant renamed with a zero-width space", w.admin, "PATCH", "/api/v1/tenants/14.01.01.2009", `{"name":"Kum\u200bantan"}`, 422, "invalid_name"},
			{"tenant path with invalid UTF-8", w.admin, "GET", "/api/v1/tenants/14.01%FF", "", 400, "invalid_text"},
			{"tenant list with a NUL parent", w.admin, "GET", "/api/v1/tenants?parent=14%00", "", 400, "invalid_text"},
			{"role with a bidirectional override in its description", w.admin, "POST", "/api/v1/roles", `{"name":"kader","permissions":["tenants.read"],"description":"a\u202eb"}`, 422, "invalid_description"},
			{"resident search with a NUL", w.op, "GET", residents + "?q=Bu%00di", "", 400, "invalid_text"},
			{"resident NIK filter with a NUL", w.op, "GET", residents + "?nik=1401011503800001%00", "", 400, "invalid_text"},
			{"resident filter with invalid UTF-8", w.op, "GET", residents + "?q=%C0%AF", "", 400, "invalid_text"},
			{"resident with a NUL in the name", w.op, "POST", residents, `{"nik":"1401011503800002","kk":"` + kk + `","name":"Bu\u0000di","sex":"L","birth_date":"1980-03-15"}`, 400, "invalid_text"},
			{"resident with a bidirectional override", w.op, "POST", residents, `{"nik":"1401011503800002","kk":"` + kk + `","name":"Budi \u202eIDUB","sex":"L","birth_date":"1980-03-15"}`, 422, "invalid_name"},
			{"resident path with a NUL", w.op, "GET", residents + "/x%00", "", 400, "invalid_text"},
			// Names are one line: U+2028 and U+2029 break lines as \n does.
			{"user with a line separator in the full name", w.admin, "POST", "/api/v1/users", `{"username":"lsepuser","password":"long-enough-1","full_name":"Siti\u2028Admin"}`, 422, "invalid_full_name"},
			{"user with a raw paragraph separator in the full name", w.admin, "POST", "/api/v1/users", "{\"username\":\"psepuser\",\"password\":\"long-enough-1\",\"full_name\":\"Siti\u2029Admin\"}", 422, "invalid_full_name"},
			{"full name patched with a paragraph separator", w.admin, "PATCH", "/api/v1/users/op-b", `{"full_name":"a\u2029b"}`, 422, "invalid_full_name"},
			{"tenant with a line separator in the name", w.admin, "POST", "/api/v1/tenants", `{"code":"14.01.01.2999","name":"Desa\u2028Baru"}`, 422, "invalid_name"},
			{"tenant renamed with a paragraph separator", w.admin, "PATCH", "/api/v1/tenants/14.01.01.2009", `{"name":"Kuman\u2029tan"}`, 422, "invalid_name"},
			{"API token with a line separator in the name", w.admin, "POST", "/api/v1/auth/tokens", `{"name":"report\u2028job","expires_in_days":30}`, 422, "invalid_token_name"},
			{"API token with a paragraph separator in the name", w.admin, "POST", "/api/v1/auth/tokens", `{"name":"report\u2029job","expires_in_days":30}`, 422, "invalid_token_name"},
			// A lone surrogate escape is no character: refused, not stored as U+FFFD.
			{"user with a lone surrogate in the full name", w.admin, "POST", "/api/v1/users", `{"username":"surruser","password":"long-enough-1","full_name":"Siti \ud800"}`, 400, "invalid_text"},
			{"full name patched with a lone low surrogate", w.admin, "PATCH", "/api/v1/users/op-b", `{"full_name":"Siti \udc00"}`, 400, "invalid_text"},
			{"user with a lone surrogate in a key", w.admin, "POST", "/api/v1/users", `{"username":"surrkey","password":"long-enough-1","\ud800":"x"}`, 400, "invalid_text"},
			{"tenant with a lone surrogate in the name", w.admin, "POST", "/api/v1/tenants", `{"code":"14.01.01.2999","name":"Desa \ud83d"}`, 400, "invalid_text"},
			{"resident with a lone surrogate in the name", w.op, "POST", residents, `{"nik":"1401011503800002","kk":"` + kk + `","name":"Budi \ud800","sex":"L","birth_date":"1980-03-15"}`, 400, "invalid_text"},
			{"resident with a mis-ordered surrogate pair", w.op, "POST", residents, `{"nik":"1401011503800002","kk":"` + kk + `","name":"Budi \ude00\ud83d","sex":"L","birth_date":"1980-03-15"}`, 400, "invalid_text"},
			{"signatory title with a lone surrogate", w.district, "PUT", settings, `{"signatory":{"title":"Kepala Desa \ud800"}}`, 400, "invalid_text"},
			{"signatory title with a high surrogate before a plain escape", w.district, "PUT", settings, `{"signatory":{"title":"Kepala \ud83d\u0041"}}`, 400, "invalid_text"},
		} {
			t.Run(c.name, func(t *testing.T) {
				c.who.Do(t, c.method, c.path, c.body).ExpectErr(c.status, c.code)
			})
		}
		after := counts(t, w.h)
		for table, n := range before {
			if after[table] != n {
				t.Errorf("%s: %d rows before the bad input, %d after", table, n, after[table])
			}
		}
		if n := w.op.Do(t, "GET", residents, nil).Expect(200).Total(); n != residentsBefore {
			t.Errorf("%d residents before the bad input, %d after", residentsBefore, n)
		}
		if body := string(w.op.Do(t, "GET", settings, nil).Expect(200).Body); !strings.Contains(body, `"settings":{}`) || strings.Contains(body, "\uFFFD") {
			t.Errorf("a refused signatory title was stored: %s", body)
		}
		if got := w.admin.Do(t, "GET", "/api/v1/users/op-b", nil).Expect(200).Str("full_name"); strings.ContainsAny(got, "\uFFFD\u2028\u2029") {
			t.Errorf("op-b's full name stored as %q", got)
		}
		// A surrogate pair is one character, and U+FFFD written as such is text.
		w.admin.Do(t, "PATCH", "/api/v1/users/op-b", `{"full_name":"Siti \ud83d\ude00 \ufffd"}`).Expect(200)
		if got := w.admin.Do(t, "GET", "/api/v1/users/op-b", nil).Expect(200).Str("full_name"); got != "Siti 😀 \uFFFD" {
			t.Errorf("op-b's full name stored as %q", got)
		}

		// Limits count characters: 150 × "é" is 300 bytes but within 200.
		w.admin.Do(t, "POST", "/api/v1/users", map[string]string{"username": "panjang", "password": "long-enough-1", "full_name": long}).Expect(http.StatusCreated)
		if got := w.admin.Do(t, "GET", "/api/v1/users/panjang", nil).Expect(200).Str("full_name"); got != long {
			t.Errorf("full name stored as %q", got)
		}
		w.admin.Do(t, "POST", "/api/v1/tenants", map[string]string{"code": "14.01.01.2999", "name": long}).Expect(http.StatusCreated)
		if got := w.admin.Do(t, "GET", "/api/v1/tenants/14.01.01.2999", nil).Expect(200).Str("name"); got != long {
			t.Errorf("tenant name stored as %q", got)
		}
		w.op.Do(t, "POST", residents, popResident("1401011503800002", kk, long, "L", "1980-03-15", "4")).Expect(http.StatusCreated)
		if n := w.op.Do(t, "GET", residents+"?q="+strings.Repeat("%C3%A9", 3), nil).Expect(200).Total(); n != 1 {
			t.Errorf("searching é finds %d residents, want 1", n)
		}
	})
}

// A page far beyond any listing is a bad number (400 invalid_pagination),
// on the host and in plugins, never a storage error about a negative
// offset that the page number overflowed into.
func TestInputHugePage(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"population", "marketplace"})
		w.enable(t, "14.01", "population", true)
		w.enable(t, "14.01", "marketplace", true)
		for _, c := range []struct {
			who  *Client
			path string
		}{
			{w.admin, "/api/v1/users?page=99999999999999999999"},
			{w.admin, "/api/v1/tenants?page=9223372036854775807"},
			{w.admin, "/api/v1/audit?page=1073741825"},
			{w.op, p(villageA, "population", "/residents?page=9223372036854775807")},
			{w.op, p(villageA, "population", "/residents?page=36893488147419103&limit=500")},
			{w.op, p(villageA, "population", "/residents?page=4294969&limit=500")},
			{w.h.Anon(), p("14.01", "marketplace", "/products?page=18446744073709551&limit=500")},
			{w.h.Anon(), p("14.01", "marketplace", "/products?page=2147483649&limit=1")},
		} {
			t.Run(c.path, func(t *testing.T) {
				c.who.Do(t, "GET", c.path, nil).ExpectErr(400, "invalid_pagination")
			})
		}
		// The last page the wire can carry is still an (empty) page.
		if items := w.op.Do(t, "GET", p(villageA, "population", "/residents?page=4294968&limit=500"), nil).Expect(200).Items(); len(items) != 0 {
			t.Errorf("the last page holds %d residents", len(items))
		}
	})
}
