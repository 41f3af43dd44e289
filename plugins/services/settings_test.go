package main

import (
	"errors"
	"net/http"
	"reflect"
	"testing"

	"github.com/balaidesa/balai/sdk"
)

func TestSettingsPatch(t *testing.T) {
	base := Settings{Signatory: Signatory{Name: "H. Syamsuar"}, Types: map[string]Template{"sktm": {Body: "Tidak mampu."}}}
	got, err := base.patched([]byte(`{"signatory":{"nip":"1965"},"number_template":"{seq:4}/{type_code}/{year}","public_base_url":"https://desa.example.id/"}`))
	if err != nil {
		t.Fatal(err)
	}
	if got.Signatory.Name != "H. Syamsuar" || got.Signatory.NIP != "1965" || got.Types["sktm"].Body != "Tidak mampu." ||
		got.NumberTemplate != "{seq:4}/{type_code}/{year}" || got.PublicBaseURL != "https://desa.example.id" {
		t.Errorf("patched settings: %+v", got)
	}
	for _, c := range []struct {
		patch  string
		status int
		code   sdk.Code
	}{
		{`[]`, 400, "malformed_json"},
		{`{"letterhead":"one line"}`, 422, "invalid_settings"},
		{`{"unknown":1}`, 422, "invalid_settings"},
		{`{"number_template":"{seq}/{type_code}"}`, 422, "invalid_settings"},
		{`{"timezone":"Mars/Olympus"}`, 422, "invalid_settings"},
		{`{"timezone":"Local"}`, 422, "invalid_settings"},
		{`{"public_base_url":"javascript:alert(1)"}`, 422, "invalid_settings"},
		{`{"public_base_url":"https://user:pw@desa.example.id"}`, 422, "invalid_settings"},
		{`{"types":{"surat_nikah":{"body":"x"}}}`, 422, "invalid_settings"},
		{`{"types":{"sktm":{"body":"{business_name}"}}}`, 422, "invalid_settings"},
		{`{"letterhead":["1","2","3","4","5","6"]}`, 422, "invalid_settings"},
	} {
		_, err := base.patched([]byte(c.patch))
		var he *sdk.Error
		if !errors.As(err, &he) || he.Status != c.status || he.Code != c.code {
			t.Errorf("patch %s: %v, want %d %s", c.patch, err, c.status, c.code)
		}
	}
}

func TestResolve(t *testing.T) {
	kampar := []sdk.Tenant{sdkTenant("14", "Riau", sdk.Province), sdkTenant("14.01", "Kabupaten Kampar", sdk.Regency), sdkTenant("14.01.01", "Bangkinang Kota", sdk.District)}
	desa := resolve(&Settings{}, regionOf(sdkTenant("14.01.01.2009", "Kumantan", sdk.Village), kampar), wib)
	if !reflect.DeepEqual(desa.Letterhead, []string{"PEMERINTAH KABUPATEN KAMPAR", "KECAMATAN BANGKINANG KOTA", "DESA KUMANTAN"}) ||
		desa.Signatory.Title != "Kepala Desa Kumantan" || desa.Place != "Kumantan" || desa.NumberTemplate != DefaultNumberTemplate ||
		desa.Timezone != "Asia/Jakarta" {
		t.Errorf("desa: %+v", desa)
	}
	kel := resolve(&Settings{}, regionOf(sdkTenant("14.01.01.1001", "Bangkinang", sdk.Village), kampar), wib)
	if kel.Region.Kind != "Kelurahan" || kel.Signatory.Title != "Lurah Bangkinang" || kel.Letterhead[2] != "KELURAHAN BANGKINANG" {
		t.Errorf("kelurahan: %+v", kel)
	}
	camat := resolve(&Settings{}, regionOf(sdkTenant("14.01.01", "Bangkinang Kota", sdk.District), kampar[:2]), wib)
	if camat.Signatory.Title != "Camat Bangkinang Kota" || len(camat.Letterhead) != 2 {
		t.Errorf("kecamatan: %+v", camat)
	}
	own := resolve(&Settings{Letterhead: []string{"KOP SENDIRI"}, Signatory: Signatory{Title: "Pj. Kepala Desa"}, Place: "Kampar", Timezone: "Asia/Makassar"},
		regionOf(sdkTenant("14.01.01.2009", "Kumantan", sdk.Village), kampar), wib)
	if own.Letterhead[0] != "KOP SENDIRI" || own.Signatory.Title != "Pj. Kepala Desa" || own.Place != "Kampar" ||
		own.loc.String() != "Asia/Makassar" || own.Timezone != "Asia/Makassar" {
		t.Errorf("settings override the defaults: %+v", own)
	}
	// Without a setting, letters follow the zone the host gives the
	// tenant, shown by the IANA name the setting takes.
	papua := []sdk.Tenant{sdkTenant("91", "Papua", sdk.Province), sdkTenant("91.01", "Kabupaten Merauke", sdk.Regency), sdkTenant("91.01.01", "Merauke", sdk.District)}
	kampung := resolve(&Settings{}, regionOf(sdkTenant("91.01.01.2001", "Kamundu", sdk.Village), papua), wit)
	if kampung.loc != wit || kampung.Timezone != "Asia/Jayapura" {
		t.Errorf("a village in WIT resolves to %s (%v)", kampung.Timezone, kampung.loc)
	}
	for _, name := range []string{"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"} {
		var s Settings
		if _, err := s.patched([]byte(`{"timezone":"` + name + `"}`)); err != nil {
			t.Errorf("a resolved zone %s cannot be saved back: %v", name, err)
		}
	}
}

func TestBaseURL(t *testing.T) {
	for _, c := range []struct {
		setting, host, proto, want string
	}{
		{"https://portal.kamparkab.go.id", "evil.example", "http", "https://portal.kamparkab.go.id"},
		{"", "127.0.0.1:8080", "http", "http://127.0.0.1:8080"},
		{"", "desa.example.id, proxy.internal", "https, http", "https://desa.example.id"},
		{"", "[::1]:8080", "http", "http://[::1]:8080"},
		{"", "bad host/path", "http", ""},
		{"", "desa.example.id", "ftp", ""},
		{"", "", "", ""},
	} {
		r, _ := http.NewRequest("GET", "/", nil)
		r.Header.Set("X-Forwarded-Host", c.host)
		r.Header.Set("X-Forwarded-Proto", c.proto)
		if got := baseURL(r, &resolved{PublicBaseURL: c.setting}); got != c.want {
			t.Errorf("baseURL(%q, %q, %q) = %q, want %q", c.setting, c.host, c.proto, got, c.want)
		}
	}
}

func TestTransitions(t *testing.T) {
	ok := map[string][]string{
		"edit":    {StateSubmitted},
		"approve": {StateSubmitted},
		"reject":  {StateSubmitted},
		"issue":   {StateApproved},
		"revoke":  {StateApproved, StateIssued},
		"print":   {StateIssued, StateRevoked},
	}
	for action, from := range ok {
		for _, state := range states {
			err := allowed(action, state)
			want := false
			for _, f := range from {
				want = want || f == state
			}
			if (err == nil) != want {
				t.Errorf("%s when %s: %v, want allowed=%v", action, state, err, want)
			}
			var he *sdk.Error
			wantCode := codeInvalidState
			if action == "print" && (state == StateSubmitted || state == StateApproved) {
				wantCode = codeLetterNotIssued // says what to do: issue it first
			}
			if err != nil && (!errors.As(err, &he) || he.Status != 409 || he.Code != wantCode) {
				t.Errorf("%s when %s: %v, want 409 %s", action, state, err, wantCode)
			}
		}
	}
}
