package main

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk"
)

// pageRequest is a request as the host sends a page: its Balai-* headers
// (ui.Info reads them outside a plugin's handler).
func pageRequest(lang string) *http.Request {
	r := httptest.NewRequest("GET", "/families/new", nil)
	r.Header.Set(sdk.PageBaseHeader, "/console/14.01.01.2009/m/population")
	r.Header.Set(sdk.CSRFHeader, "tok-123")
	r.Header.Set(sdk.LangHeader, lang)
	return r
}

func TestRemoveMember(t *testing.T) {
	form := url.Values{"kk": {"1401012001150001"}, "members": {"3"},
		"p0.name": {"Head"}, "p1.name": {"One"}, "p2.name": {"Two"}, "p3.name": {"Three"}, "p2.sex": {"P"}}
	for _, c := range []struct {
		name   string
		remove int
		want   []string // names of blocks 0.. after
	}{
		{"first member", 1, []string{"Head", "Two", "Three"}},
		{"middle member", 2, []string{"Head", "One", "Three"}},
		{"last member", 3, []string{"Head", "One", "Two"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := removeMember(form, c.remove, 3)
			for i, n := range c.want {
				if got := out.Get("p" + string(rune('0'+i)) + ".name"); got != n {
					t.Errorf("block %d is %q, want %q", i, got, n)
				}
			}
			if out.Get("p3.name") != "" {
				t.Errorf("a fourth block is left: %v", out)
			}
			if out.Get("kk") != form.Get("kk") {
				t.Errorf("the family's fields are lost: %v", out)
			}
			// The sex of "Two" moves with it.
			for i, n := range c.want {
				if n == "Two" && out.Get("p"+string(rune('0'+i))+".sex") != "P" {
					t.Errorf("Two's sex did not move with it: %v", out)
				}
			}
		})
	}
}

func TestFamilyPerson(t *testing.T) {
	form := url.Values{"kk": {" 1401012001150001 "}, "address": {"Jl. Lintas"}, "rt": {"1"}, "rw": {"2"},
		"p0.name": {"Budi"}, "p0.relationship": {"4"}, "p1.name": {"Siti"}, "p1.relationship": {"3"}}
	head, member := familyPerson(form, 0), familyPerson(form, 1)
	if head.Relationship != headOfFamily {
		t.Errorf("block 0 is the head whatever the form says: %q", head.Relationship)
	}
	if member.Relationship != "3" || member.KK != "1401012001150001" || member.Address != "Jl. Lintas" || member.RT != "1" {
		t.Errorf("a member takes the family's KK and address: %+v", member)
	}
}

func TestFormErrors(t *testing.T) {
	for _, c := range []struct {
		name, lang string
		err        error
		field      string
		msg        string
		status     int
		ok         bool
	}{
		// id mode: the code's sentence explaining the rule, never the English.
		{"bad NIK beside nik", "id", invalid(codeInvalidNIK, "nik must have 16 digits"), "nik", codeText[codeInvalidNIK], 422, true},
		{"English keeps the API's words", "en", invalid(codeInvalidNIK, "nik must have 16 digits"), "nik", "nik must have 16 digits", 422, true},
		{"the error's own sentence with its values", "id", invalidID(codeInvalidNIK, "NIK 123 salah", "nik 123 wrong"), "nik", "NIK 123 salah", 422, true},
		{"wife as a man beside relationship", "id", invalid(codeRelationshipSex, "x"), "relationship", codeText[codeRelationshipSex], 422, true},
		{"duplicate NIK", "id", sdk.Errorf(409, codeDuplicateNIK, "dup"), "nik", codeText[codeDuplicateNIK], 409, true},
		{"a conflict: the form's message only", "id", sdk.Errorf(409, sdk.CodeConflict, "changed"), "", codeText[sdk.CodeConflict], 409, true},
		{"an unknown code names the code", "id", sdk.Errorf(422, "odd_code", "odd"), "", "Data tidak diterima (kode odd_code).", 422, true},
		{"a storage failure is not the user's", "id", errors.New("disk full"), "", "", 0, false},
		{"a 5xx is not the user's", "id", sdk.Errorf(503, "busy", "busy"), "", "", 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			fields, msg, st, ok := formErrors(pageRequest(c.lang), c.err)
			if ok != c.ok || st != c.status || msg != c.msg {
				t.Fatalf("got (%v, %q, %d, %v), want (%q, %d, %v)", fields, msg, st, ok, c.msg, c.status, c.ok)
			}
			if c.field != "" && fields[c.field] != msg {
				t.Errorf("field %s: %q, fields %v", c.field, fields[c.field], fields)
			}
			if c.field == "" && len(fields) != 0 {
				t.Errorf("fields %v, want none", fields)
			}
		})
	}
}

// TestFamilyForm renders the family form as a refused save shows it: every
// visible input has its label, an error is linked to its input, the CSRF
// token is in, and what the user typed comes back escaped.
func TestFamilyForm(t *testing.T) {
	r := pageRequest("id")
	vals := url.Values{"kk": {"1401012001150001"}, "p1.name": {`<script>alert(1)</script>`}, "p1.sex": {"L"}}
	errs := map[string]string{"p1.relationship": "Hubungan keluarga tidak cocok"}
	data := familyFormData{Action: "/x", CSRF: "tok-123", Count: 1, Family: []familyField{{Name: "kk", Label: "Nomor KK", Type: "text", Value: vals.Get("kk")}}}
	for i := 0; i <= 1; i++ {
		data.Blocks = append(data.Blocks, familyBlock{Index: i, Legend: "b", Fields: personFields(r, i, vals, errs)})
	}
	var b strings.Builder
	if err := familyTmpl.Execute(&b, data); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	if strings.Contains(html, "<script>alert") || !strings.Contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("a typed value is not escaped")
	}
	if !strings.Contains(html, `name="csrf_token" value="tok-123"`) {
		t.Errorf("no CSRF token")
	}
	ids := regexp.MustCompile(`<(?:input|select) id="([^"]+)"`).FindAllStringSubmatch(html, -1)
	if len(ids) < 20 {
		t.Fatalf("only %d inputs", len(ids))
	}
	for _, m := range ids {
		if !strings.Contains(html, `<label for="`+m[1]+`">`) {
			t.Errorf("input %s has no label", m[1])
		}
	}
	if !regexp.MustCompile(`id="f-p1-relationship"[^>]*aria-describedby="f-p1-relationship-err"`).MatchString(html) ||
		!strings.Contains(html, `<p class="b-field-error" id="f-p1-relationship-err">Hubungan keluarga tidak cocok</p>`) {
		t.Errorf("the relationship's error is not linked to it:\n%s", html)
	}
	if !regexp.MustCompile(`<option value="L" selected>`).MatchString(html) {
		t.Errorf("the member's sex is not kept")
	}
}
