package main

// The module's screens, written with sdk/ui. Console pages, below
// /console/{tenant}/m/bumdes:
//
//	GET  /manage                        the enterprises here (or below), the registration form; menu "BUMDes"
//	POST /manage                        registers an enterprise (POST /enterprises)
//	GET  /manage/{id}                   one enterprise: data, management, units, reports, capital with the APBDes comparison
//	GET  /manage/{id}/edit              its data's form; POST edits it (PATCH /enterprises/{id})
//	GET  /manage/{id}/management        the appointment form; POST appoints a manager
//	GET  /manage/{id}/units             the unit form; POST adds a unit
//	POST /manage/{id}/units/{unit}/seller opens the unit's seller in the village mall
//	GET  /manage/{id}/reports           the semester report form; POST submits it
//	GET  /manage/{id}/capital           the capital form; POST records it
//	GET  /recap                         the roll-up of the villages below (GET /summary); menu "Rekap BUMDes"
//	GET  /widget                        dashboard widget
//
// Public pages, below /{tenant}/bumdes: GET / (the enterprises here or
// below), GET /enterprises/{id} (one enterprise, its units with their mall
// pages, management, yearly figures), GET /rekap (the roll-up, as the
// console's recap), GET /summary (widget on the village's page and the
// regency home).
//
// Every screen goes through the API's own functions with the page's
// request: the rules, checks, masking and audit stay the API's.

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

func pages() []sdk.PageRoute {
	return []sdk.PageRoute{
		{Method: "GET", Path: "/manage", Permission: permRead, Handler: http.HandlerFunc(pageManage),
			Menu: &sdk.MenuEntry{Label: "BUMDes", LabelEN: "Village enterprises", Icon: "shop", Order: 120}},
		{Method: "POST", Path: "/manage", Permission: permWrite, Handler: http.HandlerFunc(pageRegister)},
		{Method: "GET", Path: "/manage/{id}", Permission: permRead, Handler: http.HandlerFunc(pageEnterprise)},
		{Method: "GET", Path: "/manage/{id}/edit", Permission: permWrite, Handler: formPage(formEdit)},
		{Method: "POST", Path: "/manage/{id}/edit", Permission: permWrite, Handler: http.HandlerFunc(pageEdit)},
		{Method: "GET", Path: "/manage/{id}/management", Permission: permWrite, Handler: formPage(formAppoint)},
		{Method: "POST", Path: "/manage/{id}/management", Permission: permWrite, Handler: http.HandlerFunc(pageAppoint)},
		{Method: "GET", Path: "/manage/{id}/units", Permission: permWrite, Handler: formPage(formUnit)},
		{Method: "POST", Path: "/manage/{id}/units", Permission: permWrite, Handler: http.HandlerFunc(pageAddUnit)},
		{Method: "POST", Path: "/manage/{id}/units/{unit}/seller", Permission: permWrite, Handler: http.HandlerFunc(pageOpenSeller)},
		{Method: "GET", Path: "/manage/{id}/reports", Permission: permWrite, Handler: formPage(formReport)},
		{Method: "POST", Path: "/manage/{id}/reports", Permission: permWrite, Handler: http.HandlerFunc(pageReport)},
		{Method: "GET", Path: "/manage/{id}/capital", Permission: permWrite, Handler: formPage(formCapital)},
		{Method: "POST", Path: "/manage/{id}/capital", Permission: permWrite, Handler: http.HandlerFunc(pageCapital)},
		{Method: "GET", Path: "/recap", Permission: permRead, Handler: http.HandlerFunc(pageRecap),
			Menu: &sdk.MenuEntry{Label: "Rekap BUMDes", LabelEN: "Enterprises recap", Icon: "chart", Order: 121}},
		{Method: "GET", Path: "/widget", Permission: permRead, Widget: true, Handler: http.HandlerFunc(widget)},
		{Method: "GET", Path: "/{$}", Public: true, Handler: http.HandlerFunc(publicList)},
		{Method: "GET", Path: "/enterprises/{id}", Public: true, Handler: http.HandlerFunc(publicEnterprise)},
		{Method: "GET", Path: "/summary", Public: true, Widget: true, Handler: http.HandlerFunc(publicSummary)},
		{Method: "GET", Path: "/rekap", Public: true, Handler: http.HandlerFunc(pageRecap)},
	}
}

// codeText says an API error in Bahasa Indonesia; on the console the API's
// own (English) message follows for the detail.
var codeText = map[sdk.Code]string{
	codeWrongLevel:            "BUMDes didaftarkan di desa, BUMDes Bersama di kecamatan",
	codeKindLevel:             "BUM Desa didaftarkan di desanya, BUMDes Bersama di kecamatan desa-desa anggotanya",
	codeEnterpriseExists:      "Desa ini sudah memiliki BUM Desa (satu desa satu BUM Desa)",
	codeEnterpriseNotFound:    "BUMDes tidak ditemukan",
	codeInvalidName:           "Nama wajib diisi dan tidak boleh memuat tanda aneh",
	codeInvalidRegistration:   "Nomor badan hukum harus seperti AHU-00712.AH.01.33.Tahun 2021",
	codeInvalidPerdes:         "Nomor Perdes tidak sah",
	codeInvalidDate:           "Tanggal tidak sah",
	codeDateInFuture:          "Tanggal tidak boleh setelah hari ini",
	codeInvalidText:           "Teks terlalu panjang atau memuat tanda aneh",
	codeInvalidMembers:        "BUMDes Bersama didirikan oleh dua desa atau lebih",
	codeMemberNotInDistrict:   "Desa anggota harus desa di kecamatan ini",
	codeMemberModuleOff:       "Modul BUMDes belum aktif di desa anggota",
	codeInvalidClassification: "Pilih klasifikasi dan tahun penilaiannya",
	codeInvalidYear:           "Tahun tidak sah",
	codeEmptyPatch:            "Tidak ada yang diubah",
	codeInvalidRole:           "Pilih jabatan",
	codeInvalidNIK:            "NIK harus 16 angka",
	codeInvalidPhone:          "Nomor HP tidak sah: tulis seperti 0812 3456 7890",
	codeInvalidUnitType:       "Pilih jenis unit usaha",
	codeUnitExists:            "Sudah ada unit usaha dengan nama ini",
	codeUnitNotFound:          "Pilih unit usaha",
	codeInvalidPeriod:         "Pilih semester 1 atau 2",
	codePeriodInFuture:        "Semester ini belum dimulai",
	codeNegative:              "Angka tidak boleh negatif",
	codeReportExists:          "Unit ini sudah melapor untuk semester tersebut",
	codeInvalidAmount:         "Jumlah harus lebih dari nol rupiah",
	codeInvalidSource:         "Sumber modal tidak sah",
	codeMallOff:               "Mall Desa (modul marketplace) belum diaktifkan untuk desa ini",
	codeSellerExists:          "Unit ini sudah berjualan di Mall Desa",
	codeMallAtVillage:         "Penjual Mall Desa didaftarkan di desa",
	codeUnitInactive:          "Unit usaha ini sudah ditutup",
}

// formErrors splits an API error into field errors and a message for the
// top of the form; ok is false for an error that is not the caller's.
func formErrors(r *http.Request, err error) (fields map[string]string, msg string, status int, ok bool) {
	var se *sdk.Error
	if !errors.As(err, &se) || se.Status >= 500 {
		return nil, "", 0, false
	}
	fields, msg = ui.FormErrorsFor(r, err)
	if t, found := codeText[se.Code]; found && ui.Info(r).Lang != "en" {
		msg = t + ": " + se.Message
		if se.Field != "" {
			fields[se.Field] = t
		}
	}
	return fields, msg, se.Status, true
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
		sdk.Logf(r.Context(), "error", "bumdes page: %v", err)
	}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Kesalahan", "Error"), Status: status, Body: []ui.Node{
		ui.HTML(`<p class="b-error" role="alert">` + template.HTML(template.HTMLEscapeString(msg)) + `</p>`),
	}})
}

func word(r *http.Request, ls []label, code string) string {
	if l, ok := findLabel(ls, code); ok {
		return ui.Tr(r, l.ID, l.EN)
	}
	return code
}

func options(r *http.Request, ls []label) []ui.Option {
	out := make([]ui.Option, len(ls))
	for i, l := range ls {
		out[i] = ui.Option{Value: l.Code, Label: ui.Tr(r, l.ID, l.EN)}
	}
	return out
}

func kindLabel(r *http.Request, kind string) string {
	if kind == KindBersama {
		return ui.Tr(r, "BUMDes Bersama", "Joint enterprise")
	}
	return ui.Tr(r, "BUM Desa", "Village enterprise")
}

func classBadge(r *http.Request, c string, year int) ui.Node {
	if c == "" {
		return ui.Badge("neutral", ui.Tr(r, "Belum dinilai", "Not assessed"))
	}
	kind := map[string]string{"perintis": "neutral", "pemula": "info", "berkembang": "warning", "maju": "success"}[c]
	return ui.Badge(kind, word(r, classifications, c)+" "+strconv.Itoa(year))
}

func rupiah(v int64) string {
	if v < 0 {
		return "-" + ui.Rupiah(-v)
	}
	return ui.Rupiah(v)
}

func number(v int64) string {
	if v < 0 {
		return "-" + ui.Number(uint64(-v))
	}
	return ui.Number(uint64(v))
}

// nodes joins nodes into one, inline.
func nodes(ns ...ui.Node) ui.Node {
	return ui.NodeFunc(func(r *http.Request) template.HTML {
		var out template.HTML
		for i, n := range ns {
			if i > 0 {
				out += " "
			}
			out += n.HTML(r)
		}
		return out
	})
}

// absLink is a link to an address outside the module's page root (another
// tenant's page, the mall).
func absLink(label, href string) ui.Node {
	return ui.HTML(template.HTML(fmt.Sprintf(`<a href="%s">%s</a>`, template.HTMLEscapeString(href), template.HTMLEscapeString(label))))
}

// publicBase is the public page root of the module at a tenant.
func publicBase(tenant string) string { return "/" + tenant + "/" + pluginID }

func query(kv ...string) url.Values {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return q
}
