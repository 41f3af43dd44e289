package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

const (
	villageA = "14.01.01.2009"
	villageB = "14.01.02.2001"
)

// The routes that need no population module, through a real in-process
// host: settings inheritance, wording overrides, refusals before any
// lookup. Requests end to end are in e2e/services_test.go.
func TestSettingsAndLetterTypes(t *testing.T) { sdktest.Each(t, &plugin, testSettingsAndLetterTypes) }

func testSettingsAndLetterTypes(t *testing.T, h *sdktest.Host) {
	h.Tenant(villageA)
	h.Tenant(villageB)
	h.Enable("14.01")
	district := h.User("kampar-admin", "admin", "14.01")
	villageAdmin := h.User("kumantan-admin", "admin", villageA)
	op := h.User("op-a", "operator", villageA)
	anon := h.Anonymous()

	var types sdk.ListOf[letterTypeView]
	anon.Get(villageA, "/letter-types").JSON(&types)
	if types.Total != 8 || types.Items[0].Code != "domisili" || types.Items[0].Fields == nil {
		t.Fatalf("letter types: %+v", types)
	}

	// The district sets defaults; its villages print them.
	res := district.Do("PUT", "14.01", "/settings", map[string]any{
		"signatory": map[string]string{"name": "Default Kades"}, "number_template": "{seq:4}/{type_code}/{year}",
		"types": map[string]any{"sktm": map[string]string{"body": "Keluarga {name} tidak mampu."}},
	})
	if res.Status != 200 {
		t.Fatalf("district settings: %d %s", res.Status, res.Body)
	}
	var sv settingsView
	op.Get(villageA, "/settings").JSON(&sv)
	if sv.Settings.Signatory.Name != "Default Kades" || sv.Resolved.NumberTemplate != "{seq:4}/{type_code}/{year}" ||
		sv.Resolved.Signatory.Title != "Kepala Desa Tenant 14.01.01.2009" {
		t.Errorf("village A inherits: %+v", sv)
	}
	var sktm letterTypeView
	anon.Get(villageB, "/letter-types/sktm").JSON(&sktm)
	if sktm.Template.Body != "Keluarga {name} tidak mampu." || !sktm.Customized || sktm.Template.Title != "SURAT KETERANGAN TIDAK MAMPU" {
		t.Errorf("village B's SKTM wording: %+v", sktm)
	}

	// A village overrides its signatory and keeps the regency's wording.
	if res := villageAdmin.Do("PUT", villageA, "/settings", map[string]any{"signatory": map[string]string{"name": "H. Syamsuar"}}); res.Status != 200 {
		t.Fatalf("village settings: %d %s", res.Status, res.Body)
	}
	op.Get(villageA, "/settings").JSON(&sv)
	if sv.Settings.Signatory.Name != "H. Syamsuar" || sv.Settings.Types["sktm"].Body != "Keluarga {name} tidak mampu." {
		t.Errorf("village A after its own change: %+v", sv.Settings)
	}
	h.Admin().Get(villageB, "/settings").JSON(&sv)
	if sv.Settings.Signatory.Name != "Default Kades" {
		t.Errorf("village B sees %q", sv.Settings.Signatory.Name)
	}

	// One type's wording, replaced and reset.
	res = villageAdmin.Do("PUT", villageA, "/letter-types/domisili/template", Template{Body: "Benar tinggal di {address}.", NumberCode: "470.1"})
	var dom letterTypeView
	res.JSON(&dom)
	if res.Status != 200 || dom.Template.Body != "Benar tinggal di {address}." || dom.Template.NumberCode != "470.1" || !dom.Customized {
		t.Errorf("domisili override: %d %s", res.Status, res.Body)
	}
	villageAdmin.Do("PUT", villageA, "/letter-types/domisili/template", Template{}).JSON(&dom)
	if dom.Customized || dom.Template.NumberCode != "470" {
		t.Errorf("domisili reset: %+v", dom)
	}

	for _, c := range []struct {
		name   string
		c      *sdktest.Client
		method string
		tenant string
		path   string
		body   any
		status int
		code   sdk.Code
	}{
		{"operator cannot change settings", op, "PUT", villageA, "/settings", map[string]any{"place": "X"}, 403, "forbidden"},
		{"village admin cannot change the district", villageAdmin, "PUT", "14.01", "/settings", map[string]any{"place": "X"}, 403, "forbidden"},
		{"unknown placeholder", villageAdmin, "PUT", villageA, "/letter-types/sktm/template", Template{Body: "{nama}"}, 422, "invalid_settings"},
		{"unknown type", villageAdmin, "PUT", villageA, "/letter-types/nikah/template", Template{Body: "x"}, 404, "unknown_type"},
		{"unknown part", villageAdmin, "PUT", villageA, "/letter-types/sktm/template", map[string]string{"footer": "x"}, 400, "unknown_field"},
		{"number without year", villageAdmin, "PUT", villageA, "/settings", map[string]any{"number_template": "{seq}"}, 422, "invalid_settings"},
		{"anonymous settings", anon, "GET", villageA, "/settings", nil, 401, "unauthenticated"},
		{"request at a district", district, "POST", "14.01", "/requests", map[string]any{"type": "domisili", "nik": "1401011503800001", "purpose": "x"}, 422, "not_a_village"},
		{"public request at a sub-district", anon, "POST", "14.01.01", "/public/requests", map[string]any{"type": "domisili", "nik": "1401011503800001", "kk": "1401012001150001", "mother_name": "x", "purpose": "x"}, 422, "not_a_village"},
		{"edit at a district", district, "PATCH", "14.01", "/requests/0190a1b2-0000-7000-8000-000000000000", map[string]any{"purpose": "x"}, 422, "not_a_village"},
		{"approval at a district", district, "POST", "14.01", "/requests/0190a1b2-0000-7000-8000-000000000000/approve", nil, 422, "not_a_village"},
		{"unknown letter type", op, "POST", villageA, "/requests", map[string]any{"type": "nikah", "nik": "1401011503800001", "purpose": "x"}, 422, "unknown_type"},
		{"short NIK", op, "POST", villageA, "/requests", map[string]any{"type": "domisili", "nik": "140101", "purpose": "x"}, 422, "invalid_nik"},
		{"no purpose", op, "POST", villageA, "/requests", map[string]any{"type": "domisili", "nik": "1401011503800001"}, 422, "invalid_purpose"},
		{"missing field", op, "POST", villageA, "/requests", map[string]any{"type": "usaha", "nik": "1401011503800001", "purpose": "x"}, 422, "missing_field"},
		{"unknown body field", op, "POST", villageA, "/requests", map[string]any{"type": "domisili", "nik": "1401011503800001", "purpose": "x", "x": 1}, 400, "unknown_field"},
		{"request in another village", op, "POST", villageB, "/requests", map[string]any{"type": "domisili", "nik": "1401011503800001", "purpose": "x"}, 403, "forbidden"},
		{"unknown request", op, "GET", villageA, "/requests/0190a1b2-0000-7000-8000-000000000000", nil, 404, "request_not_found"},
		{"made-up verification code", anon, "GET", villageA, "/verify/AAAAAAAAAAAAAAAAAAAAAAAAAA", nil, 404, "letter_not_found"},
		{"malformed verification code", anon, "GET", villageA, "/verify/abc", nil, 404, "letter_not_found"},
		{"made-up tracking code", anon, "GET", villageA, "/track/AAAAAAAAAAAAAAAAAAAAAAAAAA", nil, 404, "request_not_found"},
		{"bad state filter", op, "GET", villageA, "/requests?state=done", nil, 400, "invalid_filter"},
		{"bad date filter", op, "GET", villageA, "/requests/stats?from=yesterday", nil, 400, "invalid_filter"},
		// What is printed on a letter holds no control or bidirectional
		// characters (sdk/input rules).
		{"purpose with a bidi override", op, "POST", villageA, "/requests", map[string]any{"type": "domisili", "nik": "1401011503800001", "purpose": "a\u202eb"}, 422, "invalid_purpose"},
		{"purpose with a line break", op, "POST", villageA, "/requests", map[string]any{"type": "domisili", "nik": "1401011503800001", "purpose": "a\nb"}, 422, "invalid_purpose"},
		{"field with ESC", op, "POST", villageA, "/requests", map[string]any{"type": "sktm", "nik": "1401011503800001", "purpose": "x", "fields": map[string]string{"income": "a\u001bb"}}, 422, "invalid_field"},
		{"field with a bidi isolate", op, "POST", villageA, "/requests", map[string]any{"type": "sktm", "nik": "1401011503800001", "purpose": "x", "fields": map[string]string{"income": "a\u2067b"}}, 422, "invalid_field"},
		{"template title with a bidi override", villageAdmin, "PUT", villageA, "/letter-types/domisili/template", Template{Title: "T\u202eX"}, 422, "invalid_settings"},
		{"template body with BEL", villageAdmin, "PUT", villageA, "/letter-types/domisili/template", Template{Body: "a\u0007b"}, 422, "invalid_settings"},
		{"template number code with a zero-width space", villageAdmin, "PUT", villageA, "/letter-types/domisili/template", Template{NumberCode: "47\u200b0"}, 422, "invalid_settings"},
		{"signatory title with a bidi override", villageAdmin, "PUT", villageA, "/settings", map[string]any{"signatory": map[string]string{"title": "Kepala \u202eDesa"}}, 422, "invalid_settings"},
		{"signatory name with BEL", villageAdmin, "PUT", villageA, "/settings", map[string]any{"signatory": map[string]string{"name": "Budi\u0007"}}, 422, "invalid_settings"},
		{"letterhead with a bidi override", villageAdmin, "PUT", villageA, "/settings", map[string]any{"letterhead": []string{"DESA \u202eKUMANTAN"}}, 422, "invalid_settings"},
		{"place with ESC", villageAdmin, "PUT", villageA, "/settings", map[string]any{"place": "Kumantan\u001b"}, 422, "invalid_settings"},
		{"address with a line break", villageAdmin, "PUT", villageA, "/settings", map[string]any{"address": "Jl. A\nJl. B"}, 422, "invalid_settings"},
	} {
		res := c.c.Do(c.method, c.tenant, c.path, c.body)
		if res.Status != c.status || res.ErrorCode() != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.name, res.Status, res.Body, c.status, c.code)
		}
	}
	// Without the population module there is no resident to find.
	if res := op.Post(villageA, "/requests", map[string]any{"type": "domisili", "nik": "1401011503800001", "purpose": "x"}); res.Status != http.StatusServiceUnavailable || res.ErrorCode() != codePopulationUnavailable {
		t.Errorf("request without population: %d %s", res.Status, res.Body)
	}
	// A birth is not in the future by the village's own calendar (WIB for
	// Riau), whatever the server's: today passes the check (and stops at
	// the missing population module), tomorrow does not.
	villageToday := time.Now().In(wib)
	for _, c := range []struct {
		date string
		code sdk.Code
	}{
		{villageToday.Format(time.DateOnly), codePopulationUnavailable},
		{villageToday.AddDate(0, 0, 1).Format(time.DateOnly), sdk.CodeInvalidField},
	} {
		res := op.Post(villageA, "/requests", map[string]any{"type": "kelahiran", "nik": "1401011503800001", "purpose": "akta kelahiran",
			"fields": map[string]string{"child_name": "Putri", "child_sex": "P", "child_birth_place": "Bangkinang", "child_birth_date": c.date}})
		if res.ErrorCode() != c.code {
			t.Errorf("birth dated %s: %d %s, want %s", c.date, res.Status, res.Body, c.code)
		}
	}
	// The resolved time zone is the tenant's own (Riau: WIB), by the name
	// the timezone setting takes.
	var sv2 settingsView
	op.Get(villageA, "/settings").JSON(&sv2)
	if sv2.Resolved.Timezone != "Asia/Jakarta" {
		t.Errorf("village A resolves to time zone %q", sv2.Resolved.Timezone)
	}
	// Statistics are zero everywhere, with every state and type listed.
	var st statsView
	op.Get(villageA, "/requests/stats").JSON(&st)
	if st.Total != 0 || len(st.ByState) != 5 || len(st.ByType) != 8 || len(st.Villages) != 1 || st.Villages[0].Code != villageA {
		t.Errorf("empty stats: %+v", st)
	}
}
