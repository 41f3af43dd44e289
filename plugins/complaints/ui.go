package main

// Helpers shared by the console's screens (ui_console.go) and the
// citizens' pages (ui_public.go).

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

// codeText says an API error in Bahasa Indonesia; on the console the API's
// own (English) message follows for the detail.
var codeText = map[sdk.Code]string{
	codeNotAVillage:        "Pengaduan disampaikan dan ditangani di desa/kelurahan",
	codeInvalidCategory:    "Pilih kategori pengaduan",
	codeInvalidDescription: "Uraian pengaduan wajib diisi, paling sedikit 10 huruf",
	codeInvalidPlace:       "Lokasi tidak sah",
	codeInvalidName:        "Nama tidak sah",
	codeInvalidPhone:       "Nomor HP tidak sah: tulis seperti 0812 3456 7890",
	codeNotAnImage:         "Foto harus berupa gambar JPEG, PNG atau WebP",
	codePhotoTooLarge:      "Foto paling besar 5 MB",
	codeMalformedForm:      "Formulir tidak terbaca",
	codeComplaintNotFound:  "Pengaduan tidak ditemukan",
	codeInvalidState:       "Keadaan pengaduan tidak membolehkan tindakan ini",
	codeInvalidAssignee:    "Isi salah satu: nama pengguna petugas atau nama pejabat",
	codeInvalidAnswer:      "Jawaban wajib diisi, paling sedikit 5 huruf",
	codeInvalidReason:      "Alasan wajib diisi, paling sedikit 5 huruf",
	codeInvalidTarget:      "Tujuan penerusan tidak sah",
	codeEscalated:          "Pengaduan ini sudah diteruskan ke tingkat atas dan ditangani di sana",
	codeInvalidRating:      "Pilih nilai 1 sampai 5",
	codeAlreadyRated:       "Jawaban ini sudah dinilai",
	codeInvalidSettings:    "Pengaturan tidak sah",
	codeNotARegency:        "Target layanan dan hari libur ditetapkan oleh kabupaten",
	sdk.CodeRateLimited:    "Terlalu banyak pengaduan dari perangkat ini. Coba lagi nanti",
}

// pageErrors say the API's errors on the screens: the sentence in Bahasa
// Indonesia, followed on the console by the API's own message.
var pageErrors = ui.Errors{Module: "complaints", Text: codeText, Detail: true}

// fail answers an error the page cannot show in a form.
func fail(w http.ResponseWriter, r *http.Request, err error) {
	pageErrors.Fail(w, r, ui.Tr(r, "Kesalahan", "Error"), err)
}

// stateLabel says a state in the page's language.
func stateLabel(r *http.Request, s string) string {
	switch s {
	case StateReceived:
		return ui.Tr(r, "Diterima", "Received")
	case StateInProgress:
		return ui.Tr(r, "Diproses", "In progress")
	case StateAnswered:
		return ui.Tr(r, "Dijawab", "Answered")
	case StateClosed:
		return ui.Tr(r, "Selesai", "Closed")
	case StateRejected:
		return ui.Tr(r, "Ditolak", "Rejected")
	}
	return s
}

func stateBadge(r *http.Request, s string) ui.Node {
	kind := map[string]string{StateReceived: "info", StateInProgress: "warning", StateAnswered: "success", StateClosed: "neutral", StateRejected: "danger"}[s]
	return ui.Badge(kind, stateLabel(r, s))
}

// overdueBadge flags an overdue complaint.
func overdueBadge(r *http.Request) ui.Node {
	return ui.Badge("danger", ui.Tr(r, "Lewat tenggat", "Overdue"))
}

func catLabel(r *http.Request, code string) string {
	for _, c := range categories {
		if c.Code == code {
			return ui.Tr(r, c.Name, c.NameEN)
		}
	}
	return code
}

func categoryOptions(r *http.Request, blank string) []ui.Option {
	opts := []ui.Option{{Value: "", Label: blank}}
	for _, c := range categories {
		opts = append(opts, ui.Option{Value: c.Code, Label: ui.Tr(r, c.Name, c.NameEN)})
	}
	return opts
}

func levelLabel(r *http.Request, level string) string {
	switch level {
	case string(sdk.District):
		return ui.Tr(r, "kecamatan", "district")
	case string(sdk.Regency):
		return ui.Tr(r, "kabupaten", "regency")
	case string(sdk.Village):
		return ui.Tr(r, "desa", "village")
	}
	return level
}

// nodes joins nodes into one, inline.
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

func fmtFloat(v *float64, suffix string) string {
	if v == nil {
		return "–"
	}
	s := strings.TrimSuffix(strings.TrimSuffix(strings.Replace(ftoa(*v), ".", ",", 1), ",0"), ",")
	return s + suffix
}

func ftoa(f float64) string {
	return strings.TrimRight(strings.TrimRight(template.HTMLEscapeString(strconvF(f)), "0"), ".")
}

func strconvF(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

func templateAttr(s string) string { return template.HTMLEscapeString(s) }
func templateText(s string) string { return template.HTMLEscapeString(s) }
