package main

import (
	"errors"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
)

// Verification and tracking codes come from crypto/rand.Text: 26 letters
// and digits of base32, 130 random bits. They cannot be guessed, so
// nothing else needs to be signed, and a code not in the table (made up,
// or one character changed) is simply not found.
const codeLen = 26

func validCode(s string) bool {
	if len(s) != codeLen {
		return false
	}
	for _, c := range s {
		if (c < 'A' || c > 'Z') && (c < '2' || c > '7') {
			return false
		}
	}
	return true
}

// verification is what the public learns from a letter's QR code: enough
// to tell a real letter from a forged or revoked one, and no more.
type verification struct {
	Valid     bool   `json:"valid"`
	State     string `json:"state"`
	Number    string `json:"number"`
	Type      string `json:"type"`
	TypeName  string `json:"type_name"`
	Village   string `json:"village"`
	Tenant    string `json:"tenant"`
	Date      string `json:"date"`
	Name      string `json:"name"`
	IssuedAt  string `json:"issued_at,omitempty"`
	RevokedAt string `json:"revoked_at,omitempty"`
	Message   string `json:"message"`
}

// DateText is the letter's date as the page shows it.
func (v *verification) DateText() string { return longDateString(v.Date) }

// lookupByCode finds the request holding a code; notFound is the answer
// for codes that are malformed or unknown alike. The caller has no login
// and the letter (a personal field) says who issued it and where to
// verify it: the request is read revealed with purpose, and the public
// answers show only what the page needs (the name masked by maskName).
func lookupByCode(r *http.Request, field, purpose string, notFound error) (*request, error) {
	code := strings.ToUpper(r.PathValue("code"))
	if !validCode(code) {
		return nil, notFound
	}
	rec, err := sdk.From(r).Records("requests").Reveal(purpose).GetBy(r.Context(), field, code)
	if errors.Is(err, sdk.ErrNotFound) {
		return nil, notFound
	}
	if err != nil {
		return nil, err
	}
	return decodeRequest(rec)
}

func verifyLetter(w http.ResponseWriter, r *http.Request) {
	v, err := verificationOf(r)
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	// A phone that scans the QR code opens a page; programs get JSON.
	if strings.Contains(r.Header.Get("Accept"), "text/html") {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		verifyPage.Execute(w, v)
		return
	}
	sdk.JSON(w, http.StatusOK, v)
}

func verificationOf(r *http.Request) (*verification, error) {
	q, err := lookupByCode(r, "verify_code", "show a letter's issuer on its public verification page", sdk.Errorf(http.StatusNotFound, codeLetterNotFound, "no letter has this code in %s", sdk.From(r).Tenant))
	if err != nil {
		return nil, err
	}
	if q.Letter == nil {
		return nil, sdk.Errorf(http.StatusNotFound, codeLetterNotFound, "no letter has this code")
	}
	v := &verification{
		Valid: q.State == StateIssued, State: q.State, Number: q.Number, Type: q.Type, Village: q.Letter.Village,
		Tenant: sdk.From(r).Tenant, Date: q.LetterDate, Name: maskName(q.Name),
	}
	if lt, ok := letterType(q.Type); ok {
		v.TypeName = lt.Name
	}
	switch q.State {
	case StateIssued:
		v.IssuedAt = q.IssuedAt.Format(time.RFC3339)
		v.Message = "Surat ini sah dan tercatat diterbitkan oleh " + q.Letter.Village + "."
	case StateRevoked:
		v.RevokedAt = q.RevokedAt.Format(time.RFC3339)
		v.Message = "Surat ini telah DICABUT dan tidak berlaku lagi."
	default:
		v.Message = "Surat ini sudah disetujui tetapi belum diterbitkan."
	}
	return v, nil
}

var verifyPage = template.Must(template.New("verify").Parse(`<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Verifikasi surat {{.Number}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem}
.ok{color:#0a6b2d}.bad{color:#b00020}td{padding:.2rem .6rem .2rem 0;vertical-align:top}</style></head>
<body><h1 class="{{if .Valid}}ok{{else}}bad{{end}}">{{if .Valid}}Surat sah{{else}}Surat tidak berlaku{{end}}</h1>
<p>{{.Message}}</p>
<table><tr><td>Nomor</td><td>{{.Number}}</td></tr><tr><td>Jenis surat</td><td>{{.TypeName}}</td></tr>
<tr><td>Diterbitkan oleh</td><td>{{.Village}}</td></tr><tr><td>Tanggal surat</td><td>{{.DateText}}</td></tr>
<tr><td>Atas nama</td><td>{{.Name}}</td></tr></table></body></html>
`))

// tracking is what a citizen sees of their own request.
type tracking struct {
	Ref         string `json:"ref"`
	Type        string `json:"type"`
	TypeName    string `json:"type_name"`
	State       string `json:"state"`
	SubmittedAt string `json:"submitted_at"`
	Number      string `json:"number,omitempty"`
	LetterDate  string `json:"letter_date,omitempty"`
	Reason      string `json:"reason,omitempty"`
	VerifyURL   string `json:"verify_url,omitempty"`
}

func trackRequest(r *http.Request) (int, any, error) {
	q, err := lookupByCode(r, "track_code", "show a citizen the verification link of their letter", sdk.Errorf(http.StatusNotFound, codeRequestNotFound, "no request has this tracking code in %s", sdk.From(r).Tenant))
	if err != nil {
		return 0, nil, err
	}
	t := tracking{Ref: q.Ref, Type: q.Type, State: q.State, SubmittedAt: q.SubmittedAt.Format(time.RFC3339), Number: q.Number, LetterDate: q.LetterDate}
	if lt, ok := letterType(q.Type); ok {
		t.TypeName = lt.Name
	}
	switch q.State {
	case StateRejected:
		t.Reason = q.RejectReason
	case StateIssued, StateRevoked:
		t.VerifyURL = q.Letter.VerifyURL
	}
	return http.StatusOK, t, nil
}
