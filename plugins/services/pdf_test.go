package main

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/plugins/services/letterread"
	"github.com/balaidesa/balai/sdk"
)

// pdfLines is letterread.Lines, failing the test on an unreadable PDF.
func pdfLines(t *testing.T, data []byte) []string {
	t.Helper()
	lines, err := letterread.Lines(data)
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// pdfQR is letterread.QR, failing the test unless there is one QR code.
func pdfQR(t *testing.T, data []byte) string {
	t.Helper()
	qr, err := letterread.QR(data)
	if err != nil {
		t.Fatal(err)
	}
	return qr
}

func sampleRequest() *request {
	return &request{
		Ref: "ABCDEFGHJK", Type: "usaha", State: StateApproved, NIK: "1401011503800001", Name: "Budi Santoso",
		Resident: snapshot{Name: "Budi Santoso", Sex: "L", BirthPlace: "Bangkinang", BirthDate: "1980-03-15", Religion: "Islam",
			Occupation: "Petani/Pekebun", MaritalStatus: "Kawin", Address: "Jl. Lintas Timur No. 5", RT: "002", RW: "001", Status: "alive"},
		Purpose: "pengajuan kredit usaha rakyat",
		Fields:  map[string]string{"business_name": "Kedai Kopi Kampar", "business_kind": "warung kopi", "business_address": "Pasar Bangkinang"},
	}
}

func sdkTenant(code, name string, level sdk.Level) sdk.Tenant {
	return sdk.Tenant{Code: code, Name: name, Level: level}
}

// Indonesia's zones as the host gives them to a request (sdk.Request.Location).
var (
	wib = time.FixedZone("WIB", 7*3600)
	wit = time.FixedZone("WIT", 9*3600)
)

func sampleResolved(s *Settings) resolved {
	return resolve(s, regionOf(
		sdkTenant("14.01.01.2009", "Kumantan", sdk.Village),
		[]sdk.Tenant{sdkTenant("14", "Riau", sdk.Province), sdkTenant("14.01", "Kabupaten Kampar", sdk.Regency), sdkTenant("14.01.01", "Bangkinang Kota", sdk.District)},
	), wib)
}

func TestLetterPDF(t *testing.T) {
	lt, _ := letterType("usaha")
	res := sampleResolved(&Settings{Signatory: Signatory{Name: "H. Syamsuar", NIP: "196501011990031001"}, Address: "Jl. Prof. M. Yamin No. 1, Bangkinang"})
	date := time.Date(2026, 6, 5, 10, 0, 0, 0, res.loc)
	q := sampleRequest()
	const url = "https://portal.kamparkab.go.id/14.01.01.2009/services/verify/ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	l := buildLetter(lt, lt.Default, &res, q, "007/500/14.01.01.2009/VI/2026", date, url)

	data, err := renderPDF(l, date, "", "A4")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(pdfLines(t, data), "\n")
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{
		"PEMERINTAH KABUPATEN KAMPAR", "KECAMATAN BANGKINANG KOTA", "DESA KUMANTAN", "Jl. Prof. M. Yamin No. 1, Bangkinang",
		"SURAT KETERANGAN USAHA", "Nomor: 007/500/14.01.01.2009/VI/2026",
		"Yang bertanda tangan di bawah ini, Kepala Desa Kumantan, Kecamatan Bangkinang Kota, Kabupaten Kampar",
		"Budi Santoso", "1401011503800001", "Bangkinang, 15 Maret 1980", "Laki-laki", "Petani/Pekebun",
		"Jl. Lintas Timur No. 5, RT 002/RW 001, Desa Kumantan, Kecamatan Bangkinang Kota, Kabupaten Kampar",
		"mempunyai usaha warung kopi dengan nama Kedai Kopi Kampar yang berlokasi di Pasar Bangkinang",
		"keperluan pengajuan kredit usaha rakyat",
		"Kumantan, 5 Juni 2026", "H. Syamsuar", "NIP. 196501011990031001",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the letter does not say %q:\n%s", want, text)
		}
	}
	if strings.Contains(flat, "DICABUT") {
		t.Error("a valid letter is marked revoked")
	}
	if got := pdfQR(t, data); got != url {
		t.Errorf("QR code says %q, want %q", got, url)
	}
	// The same letter renders the same bytes: nothing depends on the clock.
	again, _ := renderPDF(l, date, "", "A4")
	if !bytes.Equal(data, again) {
		t.Error("rendering the same letter twice gives different PDFs")
	}

	revoked, err := renderPDF(l, date, "7 Juni 2026", "A4")
	if err != nil {
		t.Fatal(err)
	}
	if text := strings.Join(pdfLines(t, revoked), " "); !strings.Contains(text, "SURAT INI TELAH DICABUT PADA 7 JUNI 2026") {
		t.Errorf("a revoked letter does not say so:\n%s", text)
	}
}

// The page is the paper the tenant chose: its MediaBox is A4 or F4
// (folio) to the tenth of a millimetre, whatever the letter says.
func TestLetterPaper(t *testing.T) {
	lt, _ := letterType("usaha")
	res := sampleResolved(&Settings{})
	if res.Paper != "F4" {
		t.Errorf("default paper %q, want F4", res.Paper)
	}
	date := time.Date(2026, 6, 5, 10, 0, 0, 0, res.loc)
	l := buildLetter(lt, lt.Default, &res, sampleRequest(), "007/500/14.01.01.2009/VI/2026", date, "https://portal.example/v")
	for _, c := range []struct {
		paper string
		w, h  float64
	}{{"A4", 210, 297}, {"F4", 215, 330}, {"", 215, 330}} {
		data, err := renderPDF(l, date, "", c.paper)
		if err != nil {
			t.Fatal(err)
		}
		sizes, err := letterread.PageSizes(data)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range sizes {
			if math.Abs(s[0]-c.w) > 0.1 || math.Abs(s[1]-c.h) > 0.1 {
				t.Errorf("paper %q page %d: %.1f x %.1f mm, want %.0f x %.0f", c.paper, i+1, s[0], s[1], c.w, c.h)
			}
		}
		// The text still fits: the signature and the QR code are there.
		if text := strings.Join(pdfLines(t, data), " "); !strings.Contains(text, "Kumantan, 5 Juni 2026") {
			t.Errorf("paper %q: the letter lost its signature line", c.paper)
		}
		if pdfQR(t, data) != "https://portal.example/v" {
			t.Errorf("paper %q: the QR code", c.paper)
		}
	}
	for _, bad := range []string{"Letter", "a4", "F5"} {
		s := Settings{Paper: bad}
		if err := s.validate(); err == nil {
			t.Errorf("paper %q accepted", bad)
		}
	}
}
