package ui

import "net/http"

// msgs are the package's own words, per language; plugins choose their
// own for everything else (sdk.PageInfo.Lang).
var msgs = map[string]map[string]string{
	"id": {
		"save": "Simpan", "filter": "Saring", "reset": "Hapus saringan", "prev": "Sebelumnya", "next": "Berikutnya",
		"page_of": "Halaman %d dari %d", "total": "%s data", "empty": "Belum ada data.",
		"form_error": "Periksa isian yang ditandai.", "confirm": "Konfirmasi", "confirm_yes": "Ya, lanjutkan",
		"cancel": "Batal", "required": "wajib", "choose": "Pilih…", "pager": "Halaman",
		"sort_by": "Urutkan menurut %s", "server_error": "Terjadi kesalahan. Coba lagi sebentar lagi.",
		"upload": "Unggah", "uploading": "Mengunggah…", "chart": "Grafik",
		"want_int": "Harus bilangan bulat.", "want_number": "Harus angka.",
		"track": "Lacak", "track_code": "Kode pelacakan",
	},
	"en": {
		"save": "Save", "filter": "Filter", "reset": "Clear filters", "prev": "Previous", "next": "Next",
		"page_of": "Page %d of %d", "total": "%s records", "empty": "No data yet.",
		"form_error": "Check the marked fields.", "confirm": "Confirm", "confirm_yes": "Yes, continue",
		"cancel": "Cancel", "required": "required", "choose": "Choose…", "pager": "Pages",
		"sort_by": "Sort by %s", "server_error": "Something went wrong. Try again shortly.",
		"upload": "Upload", "uploading": "Uploading…", "chart": "Chart",
		"want_int": "Must be a whole number.", "want_number": "Must be a number.",
		"track": "Track", "track_code": "Tracking code",
	},
}

// t is the package's word for key in the request's language.
func t(r *http.Request, key string) string {
	if s, ok := msgs[Info(r).Lang][key]; ok {
		return s
	}
	return msgs["id"][key]
}
