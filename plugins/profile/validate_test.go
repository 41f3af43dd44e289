package main

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk"
)

// check decodes and validates a PUT body as the handler does.
func check(body string) (*putBody, *sdk.Error) {
	r := httptest.NewRequest("PUT", "/", strings.NewReader(body))
	var b putBody
	if err := decode(r, &b); err != nil {
		var he *sdk.Error
		if !errors.As(err, &he) {
			panic(err)
		}
		return nil, he
	}
	if he := b.validate(); he != nil {
		return nil, he
	}
	return &b, nil
}

func TestPutBodyValidation(t *testing.T) {
	long := strings.Repeat("a", 101)
	tests := []struct {
		name   string
		body   string
		status int
		code   sdk.Code
	}{
		{"empty profile at version 0", `{"version":0}`, 200, ""},
		{"full profile", `{"version":3,"head":"H. Ahmad","address":"Jl. Prof. M. Yamin No. 1\nKumantan",
			"contact":{"phone":"+62 762 21234","email":"kantor@kumantan.desa.id","website":"https://kumantan.desa.id"},
			"area_km2":12.5,"boundaries":{"north":"Desa Ridan Permai","east":"Sungai Kampar","south":"Langgini","west":"Bangkinang"},
			"coordinates":{"latitude":0.3376,"longitude":101.0257},"vision":"Desa maju","mission":["Pelayanan prima","Ekonomi kuat"],
			"officials":[{"name":"Siti","position":"Sekretaris Desa"}],"potential":["Perkebunan sawit","Ikan patin"]}`, 200, ""},
		{"local phone with dashes", `{"version":0,"contact":{"phone":"0762-21234"}}`, 200, ""},
		{"empty coordinates object", `{"version":0,"coordinates":{}}`, 200, ""},
		{"null coordinates", `{"version":0,"coordinates":null}`, 200, ""},
		{"edge coordinates", `{"version":0,"coordinates":{"latitude":-90,"longitude":180}}`, 200, ""},

		{"version missing", `{"head":"X"}`, 422, "version_required"},
		{"version negative", `{"version":-1}`, 422, "invalid_version"},
		{"version not a number", `{"version":"3"}`, 422, "invalid_version"},
		{"unknown field", `{"version":0,"kepala":"X"}`, 400, "unknown_field"},
		{"unknown nested field", `{"version":0,"contact":{"fax":"1"}}`, 400, "unknown_field"},
		{"unknown field of an official", `{"version":0,"officials":[{"name":"A","position":"B","nip":"1"}]}`, 400, "unknown_field"},
		{"key in another case", `{"version":0,"HEAD":"X"}`, 400, "unknown_field"},
		{"key folding to a field", `{"version":0,"contact":{"ſtreet":"X","phone":"0762-21234"}}`, 400, "unknown_field"},
		{"duplicate key", `{"version":0,"head":"A","head":"B"}`, 400, "malformed_json"},
		{"invalid UTF-8", "{\"version\":0,\"head\":\"\xff\"}", 400, "invalid_text"},
		{"official name of the wrong type", `{"version":0,"officials":[{"name":"A","position":"B"},{"name":1,"position":"B"}]}`, 422, "invalid_officials"},
		{"head with a bidirectional override", `{"version":0,"head":"H. \u202eDAMHA"}`, 422, "invalid_head"},
		{"accented head at the limit", `{"version":0,"head":"` + strings.Repeat("é", 100) + `"}`, 200, ""},
		{"broken JSON", `{"version":0,`, 400, "malformed_json"},
		{"empty body", ``, 400, "malformed_json"},
		{"two values", `{"version":0}{"version":1}`, 400, "malformed_json"},
		{"not an object", `[1,2]`, 400, "malformed_json"},
		{"head too long", `{"version":0,"head":"` + long + `"}`, 422, "invalid_head"},
		{"head with a line break", `{"version":0,"head":"A\nB"}`, 422, "invalid_head"},
		{"address with control character", `{"version":0,"address":"A\u0000B"}`, 422, "invalid_address"},
		{"phone with letters", `{"version":0,"contact":{"phone":"0762 ABCDEF"}}`, 422, "invalid_contact_phone"},
		{"phone too short", `{"version":0,"contact":{"phone":"12345"}}`, 422, "invalid_contact_phone"},
		{"phone a number", `{"version":0,"contact":{"phone":76221234}}`, 422, "invalid_contact_phone"},
		{"email without at", `{"version":0,"contact":{"email":"kantor.desa.id"}}`, 422, "invalid_contact_email"},
		{"email with a name", `{"version":0,"contact":{"email":"Kantor <kantor@desa.id>"}}`, 422, "invalid_contact_email"},
		{"email without domain dot", `{"version":0,"contact":{"email":"kantor@localhost"}}`, 422, "invalid_contact_email"},
		{"website without scheme", `{"version":0,"contact":{"website":"kumantan.desa.id"}}`, 422, "invalid_contact_website"},
		{"website ftp", `{"version":0,"contact":{"website":"ftp://kumantan.desa.id"}}`, 422, "invalid_contact_website"},
		{"website javascript", `{"version":0,"contact":{"website":"javascript:alert(1)"}}`, 422, "invalid_contact_website"},
		{"area zero", `{"version":0,"area_km2":0}`, 422, "invalid_area_km2"},
		{"area negative", `{"version":0,"area_km2":-3}`, 422, "invalid_area_km2"},
		{"area huge", `{"version":0,"area_km2":1e9}`, 422, "invalid_area_km2"},
		{"area as text", `{"version":0,"area_km2":"12"}`, 422, "invalid_area_km2"},
		{"boundary too long", `{"version":0,"boundaries":{"west":"` + strings.Repeat("b", 201) + `"}}`, 422, "invalid_boundaries_west"},
		{"boundary a number", `{"version":0,"boundaries":{"north":1}}`, 422, "invalid_boundaries_north"},
		{"latitude out of range", `{"version":0,"coordinates":{"latitude":101.02,"longitude":0.33}}`, 422, "invalid_coordinates_latitude"},
		{"longitude out of range", `{"version":0,"coordinates":{"latitude":0.33,"longitude":-181}}`, 422, "invalid_coordinates_longitude"},
		{"latitude only", `{"version":0,"coordinates":{"latitude":0.33}}`, 422, "invalid_coordinates"},
		{"latitude as text", `{"version":0,"coordinates":{"latitude":"0.33","longitude":101}}`, 422, "invalid_coordinates_latitude"},
		{"vision too long", `{"version":0,"vision":"` + strings.Repeat("v", 2001) + `"}`, 422, "invalid_vision"},
		{"empty mission entry", `{"version":0,"mission":["a","  "]}`, 422, "invalid_mission"},
		{"mission as text", `{"version":0,"mission":"satu, dua"}`, 422, "invalid_mission"},
		{"too many missions", `{"version":0,"mission":[` + strings.TrimSuffix(strings.Repeat(`"m",`, 31), ",") + `]}`, 422, "invalid_mission"},
		{"official without position", `{"version":0,"officials":[{"name":"Siti"}]}`, 422, "invalid_officials"},
		{"official without name", `{"version":0,"officials":[{"name":" ","position":"Kaur"}]}`, 422, "invalid_officials"},
		{"officials not a list", `{"version":0,"officials":{"name":"A","position":"B"}}`, 422, "invalid_officials"},
		{"potential too long", `{"version":0,"potential":["` + strings.Repeat("p", 201) + `"]}`, 422, "invalid_potential"},
		{"first problem names the code", `{"head":"` + long + `","area_km2":-1}`, 422, "version_required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, he := check(tc.body)
			switch {
			case tc.status == 200 && he != nil:
				t.Fatalf("refused: %d %s %s", he.Status, he.Code, he.Message)
			case tc.status != 200 && he == nil:
				t.Fatalf("accepted, want %d %s", tc.status, tc.code)
			case he != nil && (he.Status != tc.status || he.Code != tc.code):
				t.Fatalf("got %d %s (%s), want %d %s", he.Status, he.Code, he.Message, tc.status, tc.code)
			}
		})
	}
}

func TestValidationReportsEveryProblem(t *testing.T) {
	_, he := check(`{"version":0,"area_km2":-1,"contact":{"email":"x"},"officials":[{"name":"A"}]}`)
	if he == nil || he.Code != "invalid_contact_email" {
		t.Fatalf("%+v", he)
	}
	for _, want := range []string{"contact.email", "area_km2", "officials[0].position"} {
		if !strings.Contains(he.Message, want) {
			t.Errorf("message does not name %s: %s", want, he.Message)
		}
	}
}

func TestNormalizeTrimsAndClears(t *testing.T) {
	b, he := check(`{"version":0,"head":"  H. Ahmad ","coordinates":{},"mission":[" Satu "],
		"officials":[{"name":" Siti ","position":" Sekdes "}],"contact":{"email":" kantor@desa.id "}}`)
	if he != nil {
		t.Fatal(he.Message)
	}
	if b.Head != "H. Ahmad" || b.Coordinates != nil || b.Mission[0] != "Satu" || b.Officials[0] != (Official{"Siti", "Sekdes"}) || b.Contact.Email != "kantor@desa.id" {
		t.Errorf("not normalized: %+v", b.Profile)
	}
	f := b.fields()
	for _, k := range []string{"address", "boundaries", "latitude", "longitude", "potential", "website", "area_km2"} {
		if v, ok := f[k]; !ok {
			t.Errorf("%s missing from the write: a PUT must clear it", k)
		} else if v != nil && !isNilPtr(v) {
			t.Errorf("%s = %v, want null", k, v)
		}
	}
}

func isNilPtr(v any) bool {
	p, ok := v.(*float64)
	return ok && p == nil
}

func TestStoredRoundTrip(t *testing.T) {
	b, he := check(`{"version":0,"contact":{"phone":"0762-21234"},"boundaries":{"north":"Ridan"},"coordinates":{"latitude":0.3,"longitude":101},"area_km2":4}`)
	if he != nil {
		t.Fatal(he.Message)
	}
	f := b.fields()
	s := stored{Phone: f["phone"].(string), Boundaries: &b.Boundaries, Latitude: b.Coordinates.Latitude, Longitude: b.Coordinates.Longitude, AreaKm2: b.AreaKm2}
	p := s.profile()
	if p.Contact.Phone != "0762-21234" || p.Boundaries.North != "Ridan" || *p.Coordinates.Longitude != 101 || *p.AreaKm2 != 4 {
		t.Errorf("%+v", p)
	}
	if p.Mission == nil || p.Officials == nil || p.Potential == nil {
		t.Error("lists must be [] rather than null")
	}
}
