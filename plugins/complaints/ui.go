package main

// Helpers shared by the console's screens (ui_console.go) and the
// citizens' pages (ui_public.go).

import (
	"errors"
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

// formErrors splits an API error into field errors and a message for the
// top of the form; ok is false for an error that is not the caller's.
func formErrors(r *http.Request, err error) (fields map[string]string, msg string, status int, ok bool) {
	var se *sdk.Error
	if !errors.As(err, &se) || se.Status >= 500 {
		return nil, "", 0, false
	}
	text := se.Message
	if t, found := codeText[se.Code]; found && ui.Info(r).Lang != "en" {
		text = t
		if strings.HasPrefix(ui.Info(r).Base, "/console/") {
			text = t + ": " + se.Message
		}
	}
	fields = map[string]string{}
	if se.Field != "" {
		fields[se.Field] = text
	}
	return fields, text, se.Status, true
}

// fail answers an error the page cannot show in a form.
func fail(w http.ResponseWriter, r *http.Request, err error) {
	var se *sdk.Error
	status, msg := http.StatusInternalServerError, ui.Tr(r, "Terjadi kesalahan. Coba lagi nanti.", "Something went wrong. Try again later.")
	if errors.As(err, &se) && se.Status < 500 {
		status, msg = se.Status, se.Message
		if t, ok := codeText[se.Code]; ok && ui.Info(r).Lang != "en" {
			msg = t
		}
	} else if err != nil {
		sdk.Logf(r.Context(), "error", "complaints page: %v", err)
	}
	ui.ErrorPage(w, r, ui.Tr(r, "Kesalahan", "Error"), status, msg)
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
