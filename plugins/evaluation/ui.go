package main

// Helpers shared by the console's screens (ui_console.go) and the public
// widget (ui_public.go).

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

var pages = append(append([]sdk.PageRoute{}, consolePages...), publicPages...)

// codeText says an API error in Bahasa Indonesia; on the console the API's
// own (English) message follows for the detail.
var codeText = map[sdk.Code]string{
	codeInvalidYear:           "Tahun tidak sah: paling awal 2015, paling lambat tahun depan",
	codeInvalidQuarter:        "Pilih triwulan 1 sampai 4",
	codeNotAUnit:              "Indikator dan capaian diisi oleh desa/kelurahan atau kecamatan",
	codeInvalidName:           "Nama indikator wajib diisi, 3 sampai 300 huruf",
	codeInvalidMeasure:        "Satuan wajib diisi (%, dokumen, orang, hari, ...)",
	codeInvalidTarget:         "Target harus angka lebih dari 0",
	codeInvalidSource:         "Sumber data tidak sah",
	codeInvalidDescription:    "Uraian terlalu panjang",
	codeDuplicateIndicator:    "Indikator dengan nama ini sudah ada pada tahun tersebut",
	codeIndicatorNotFound:     "Indikator tidak ditemukan",
	codeInvalidRealisation:    "Realisasi harus angka 0 sampai 1.000.000.000.000",
	codeYearEvaluated:         "Evaluasi tahun ini sudah diterbitkan: indikator dan capaiannya tidak dapat diubah lagi",
	codeEmptyPatch:            "Tidak ada yang diubah",
	codeSourcedIndicator:      "Indikator ini mengambil nilainya dari modul lain: kosongkan realisasi",
	codeQuarterNotStarted:     "Triwulan ini belum dimulai",
	codeInvalidNote:           "Catatan terlalu panjang",
	codeSourceNotAvailable:    "Data modul sumber tidak tersedia",
	codeNothingToMeasure:      "Modul sumber belum memiliki data untuk triwulan ini",
	codeEvidenceRejected:      "Bukti harus berupa PDF, JPEG, PNG atau WebP",
	codeEvidenceTooLarge:      "Bukti paling besar 5 MB",
	codeMalformedForm:         "Formulir tidak terbaca",
	codeEvaluateAtRegency:     "Lembar kerja evaluasi diisi di kabupaten",
	codeNotAnEvaluator:        "Hanya evaluator kabupaten yang mengisi lembar kerja evaluasi",
	codeUnitNotFound:          "Unit tidak ditemukan atau modul tidak aktif di sana",
	codeInvalidScore:          "Nilai harus 0 sampai 100, paling banyak 2 desimal",
	codeInvalidWorksheetText:  "Teks terlalu panjang",
	codeInvalidRecommendation: "Setiap rekomendasi 5 sampai 2000 huruf, paling banyak 20",
	codeEvaluationNotFound:    "Evaluasi belum ada",
	codeEvaluationFinal:       "Evaluasi sudah diterbitkan dan tidak dapat diubah",
	codeWorksheetIncomplete:   "Semua dua belas sub-komponen harus dinilai sebelum diterbitkan",
	codeInvalidResponse:       "Tanggapan wajib diisi, paling sedikit 5 huruf",
	codeInvalidStatus:         "Pilih status tindak lanjut",
	codeUnitStaffOnly:         "Rekomendasi ditanggapi oleh perangkat unit itu sendiri",
	codeNotARegion:            "Tabel unit dibaca di kecamatan atau kabupaten",
}

// pageErrors says the API's errors on the screens: codeText's sentence,
// followed on the console by the API's own message for the detail.
var pageErrors = ui.Errors{Module: "evaluation", Text: codeText, Detail: true}

// fail answers an error the page cannot show in a form.
func fail(w http.ResponseWriter, r *http.Request, err error) {
	pageErrors.Fail(w, r, ui.Tr(r, "Kesalahan", "Error"), err)
}

// afterForm ends a form's POST: the form again with the API's error under
// its field (again), or a redirect to the page with the flash.
func afterForm(w http.ResponseWriter, r *http.Request, err error, again func(status int, fields map[string]string, msg string), to, flash string) {
	if err == nil {
		ui.Redirect(w, r, to, "success", flash)
		return
	}
	fields, msg, status, ok := pageErrors.Client(r, err)
	if !ok {
		fail(w, r, err)
		return
	}
	again(status, fields, msg)
}

// pct writes a percent the Indonesian way: 87,5 %.
func pct(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	return strings.Replace(s, ".", ",", 1) + " %"
}

// num writes a number the Indonesian way (decimal comma).
func num(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
}

// score2 writes a score with its 2 decimals: 80,01.
func score2(v float64) string {
	return strings.Replace(fmt.Sprintf("%.2f", v), ".", ",", 1)
}

// gradeBadge shows a grade in a colour of its band.
func gradeBadge(grade string) ui.Node {
	kind := "neutral"
	switch grade {
	case "AA", "A":
		kind = "success"
	case "BB", "B":
		kind = "info"
	case "CC", "C":
		kind = "warning"
	case "D":
		kind = "danger"
	}
	return ui.Badge(kind, grade)
}

// nodes joins nodes into one cell.
func nodes(ns ...ui.Node) ui.Node {
	return ui.NodeFunc(func(r *http.Request) template.HTML {
		var b strings.Builder
		for i, n := range ns {
			if i > 0 {
				b.WriteString(" ")
			}
			b.WriteString(string(n.HTML(r)))
		}
		return template.HTML(b.String())
	})
}

// thisYear is the tenant's current year.
func thisYear(r *http.Request) int {
	return sdk.From(r).Now().Year()
}

// yearParam reads ?year= for a screen, the current year when absent or wrong.
func yearParam(r *http.Request) int {
	if y, err := parseYear(r.URL.Query().Get("year"), 400); err == nil {
		return y
	}
	return thisYear(r)
}

// parseNumber reads a typed number, with a decimal comma or point.
func parseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, ",") {
		s = strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", ".")
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}
