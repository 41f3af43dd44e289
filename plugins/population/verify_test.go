package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

func TestNormalizeName(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"Siti Aminah", "  siti   AMINAH "},
		{"Siti Aminah", "SITI\tAMINAH"},
		{"Ña Ñoño", "ña ñoño"},
	} {
		if normalizeName(c.a) != normalizeName(c.b) {
			t.Errorf("%q and %q should be the same name", c.a, c.b)
		}
	}
	if normalizeName("Siti Aminah") == normalizeName("Siti Aminahh") {
		t.Error("different names compare equal")
	}
	if identityMatches(&Resident{KK: "1", MotherName: ""}, "1", "") {
		t.Error("a resident without a mother's name on record must never match")
	}
}

func TestVerifyResident(t *testing.T) {
	h := sdktest.New(t, manifest, handler(), sdk.Options{})
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
}
