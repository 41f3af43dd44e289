package main

import (
	"bytes"
	"image"
	_ "image/png"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"github.com/balaidesa/balai/sdk"
)

func init() { api.DisableConfigDir() }

// pdfLines reads the text a PDF shows, one string per text-showing
// operator: fpdf writes each line of a paragraph as one "(...) Tj".
func pdfLines(t *testing.T, data []byte) []string {
	t.Helper()
	var lines []string
	err := api.ExtractContent(bytes.NewReader(data), nil, func(r io.Reader, page int) error {
		content, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		lines = append(lines, showStrings(content)...)
		return nil
	}, model.NewDefaultConfiguration())
	if err != nil {
		t.Fatalf("reading the PDF: %v", err)
	}
	return lines
}

// showStrings collects the literal strings passed to Tj in a content stream.
func showStrings(content []byte) []string {
	var out []string
	for i := 0; i < len(content); i++ {
		if content[i] != '(' {
			continue
		}
		var s []byte
		depth := 1
		j := i + 1
		for ; j < len(content) && depth > 0; j++ {
			switch c := content[j]; c {
			case '\\':
				j++
				if j < len(content) {
					s = append(s, content[j])
				}
			case '(':
				depth++
				s = append(s, c)
			case ')':
				depth--
				if depth > 0 {
					s = append(s, c)
				}
			default:
				s = append(s, c)
			}
		}
		if rest := bytes.TrimLeft(content[j:], " \n\r\t"); bytes.HasPrefix(rest, []byte("Tj")) {
			out = append(out, string(s))
		}
		i = j - 1
	}
	return out
}

// pdfQR decodes the QR code of the PDF's only image.
func pdfQR(t *testing.T, data []byte) string {
	t.Helper()
	pages, err := api.ExtractImagesRaw(bytes.NewReader(data), nil, model.NewDefaultConfiguration())
	if err != nil {
		t.Fatalf("extracting images: %v", err)
	}
	var found []string
	for _, imgs := range pages {
		for _, im := range imgs {
			img, _, err := image.Decode(im)
			if err != nil {
				t.Fatalf("decoding image %s: %v", im.Name, err)
			}
			bmp, err := gozxing.NewBinaryBitmapFromImage(img)
			if err != nil {
				t.Fatal(err)
			}
			res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
			if err != nil {
				t.Fatalf("image %s is not a readable QR code: %v", im.Name, err)
			}
			found = append(found, res.GetText())
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d QR codes in the PDF, want 1", len(found))
	}
	return found[0]
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

func sdkTenant(code, name, level string) sdk.Tenant {
	return sdk.Tenant{Code: code, Name: name, Level: level}
}

func sampleResolved(s *Settings) resolved {
	return resolve(s, regionOf(
		sdkTenant("14.01.01.2009", "Kumantan", "village"),
		[]sdk.Tenant{sdkTenant("14", "Riau", "province"), sdkTenant("14.01", "Kabupaten Kampar", "regency"), sdkTenant("14.01.01", "Bangkinang Kota", "district")},
	))
}

func TestLetterPDF(t *testing.T) {
	lt, _ := letterType("usaha")
	res := sampleResolved(&Settings{Signatory: Signatory{Name: "H. Syamsuar", NIP: "196501011990031001"}, Address: "Jl. Prof. M. Yamin No. 1, Bangkinang"})
	date := time.Date(2026, 6, 5, 10, 0, 0, 0, res.loc)
	q := sampleRequest()
	const url = "https://portal.kamparkab.go.id/api/v1/t/14.01.01.2009/services/verify/ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	l := buildLetter(lt, lt.Default, &res, q, "007/500/14.01.01.2009/VI/2026", date, url)

	data, err := renderPDF(l, date, "")
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
	again, _ := renderPDF(l, date, "")
	if !bytes.Equal(data, again) {
		t.Error("rendering the same letter twice gives different PDFs")
	}

	revoked, err := renderPDF(l, date, "7 Juni 2026")
	if err != nil {
		t.Fatal(err)
	}
	if text := strings.Join(pdfLines(t, revoked), " "); !strings.Contains(text, "SURAT INI TELAH DICABUT PADA 7 JUNI 2026") {
		t.Errorf("a revoked letter does not say so:\n%s", text)
	}
}
