package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// TestBirthTakesTheFamilyAddress: a newborn whose birth leaves the
// address, RT, RW or dusun empty gets the family's, through the API (the
// screen calls the same postEvent), also after the head died.
func TestBirthTakesTheFamilyAddress(t *testing.T) { sdktest.Each(t, &plugin, testBirthAddress) }

func testBirthAddress(t *testing.T, h *sdktest.Host) {
	h.Tenant(villageA)
	h.Enable("14.01")
	op := h.User("op-a", "operator", villageA)
	const kk = "1401012001150001"
	head := resident("1401011503800001", kk, "Budi", "L", "1980-03-15", "1")
	head["address"], head["rt"], head["rw"], head["dusun"] = "Jalan Melati 4", "3", "2", "Dusun II"
	var hv residentView
	if res := op.Post(villageA, "/residents", head); res.Status != 201 {
		t.Fatalf("head: %d %s", res.Status, res.Body)
	} else {
		res.JSON(&hv)
	}
	wife := resident("1401014508850002", kk, "Siti", "P", "1985-08-05", "3")
	if res := op.Post(villageA, "/residents", wife); res.Status != 201 {
		t.Fatalf("wife: %d %s", res.Status, res.Body)
	}
	birth := func(nik, rt string) residentView {
		t.Helper()
		baby := map[string]string{"nik": nik, "kk": kk, "name": "Bayi " + nik[12:], "sex": "P"}
		if rt != "" {
			baby["rt"] = rt
		}
		var v residentView
		res := op.Post(villageA, "/events", map[string]any{"type": "birth", "date": "2025-06-10", "resident": baby})
		if res.JSON(&v); res.Status != 201 {
			t.Fatalf("birth: %d %s", res.Status, res.Body)
		}
		return v
	}
	for _, tc := range []struct {
		name, nik, rt, wantRT string
		headDied              bool
	}{
		{"empty address takes the family's", "1401015006250003", "", "003", false},
		{"a given RT stays", "1401015006250004", "7", "007", false},
		{"after the head's death", "1401015006250005", "", "003", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.headDied {
				res := op.Post(villageA, "/events", map[string]any{"type": "death", "date": "2026-01-02", "resident_id": hv.ID})
				if res.Status != 200 && res.ErrorCode() != "family_without_head" {
					t.Fatalf("death: %d %s", res.Status, res.Body)
				}
			}
			v := birth(tc.nik, tc.rt)
			if v.Address != "Jalan Melati 4" || v.RT != tc.wantRT || v.RW != "002" || v.Dusun != "Dusun II" {
				t.Errorf("newborn's address %q RT %q RW %q dusun %q", v.Address, v.RT, v.RW, v.Dusun)
			}
		})
	}
}

// TestErrorsInIndonesian: the errors a screen meets carry an Indonesian
// sentence built from the same values as the English message, which the
// API keeps.
func TestErrorsInIndonesian(t *testing.T) {
	base := Resident{NIK: "1401011503800001", KK: "1401012001150001", Name: "Budi", Sex: "L", BirthDate: "1980-03-15"}
	for _, tc := range []struct {
		name   string
		edit   func(*Resident)
		code   sdk.Code
		en, id string
	}{
		{"NIK date part", func(p *Resident) { p.NIK = "1401011234560001" }, codeInvalidNIK, "digits 7-12 (123456) are not a birth date", "Angka ke-7 sampai ke-12 NIK (123456) bukan tanggal lahir"},
		{"NIK length", func(p *Resident) { p.NIK = "123" }, codeInvalidNIK, "must be 16 digits", "NIK harus 16 angka (0-9); yang diisi 3 karakter"},
		{"KK serial", func(p *Resident) { p.KK = "1401012001150000" }, codeInvalidKK, "ends in 0000", "Nomor KK berakhir 0000"},
		{"future birth", func(p *Resident) { p.BirthDate = "2027-11-20" }, codeInvalidBirthDate, "2027-11-20 is in the future", "Tanggal lahir 2027-11-20 belum lewat"},
		{"RT", func(p *Resident) { p.RT = "12a" }, codeInvalidRT, "rt must be a number", "RT diisi angka 1 sampai 3 digit"},
		{"religion", func(p *Resident) { p.Religion = "99" }, codeInvalidReligion, `religion "99" is not a code`, `"99" bukan pilihan agama`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := base
			tc.edit(&p)
			err := p.validate("2026-12-01")
			var se *sdk.Error
			if !errors.As(err, &se) || se.Code != tc.code || !strings.Contains(se.Message, tc.en) {
				t.Fatalf("error %v, want %s with %q", err, tc.code, tc.en)
			}
			if got := reasonFor(err); !strings.Contains(got, tc.id) {
				t.Errorf("Indonesian %q, want it to hold %q", got, tc.id)
			}
		})
	}
	// Every code a screen can meet has its sentence: those with a field,
	// and the others the module answers (errors.go).
	others := []sdk.Code{codeNotAVillage, codeInvalidStatus, codeInvalidPatch, codeForbiddenFilter, codeFamilyNotFound,
		codeResidentNotFound, codeInvalidType, codeInvalidResident, codeNotAlive, codeInvalidBy, codeFamilyWithoutHead,
		codeInvalidResidentID, codeInvalidParameter, codeInvalidIdentity, codeTooManyAttempts, codeBusy, codeInvalidPer,
		codeInvalidMonth, codeVillageLevel, sdk.CodeForbidden, sdk.CodeConflict, sdk.CodeNotFound}
	for _, code := range others {
		if codeText[code] == "" {
			t.Errorf("code %s has no Indonesian sentence", code)
		}
	}
	for code := range codeField {
		if codeText[code] == "" {
			t.Errorf("code %s has no Indonesian sentence", code)
		}
	}
}
