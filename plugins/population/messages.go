package main

// Errors in Bahasa Indonesia for the screens (issue 12 item 4). The API
// answers its documented English message and code; a screen in id mode
// shows an Indonesian sentence instead. Where the English message carries
// values (the digits of a NIK, a date, a village), the error is built with
// its Indonesian sentence from the same values (localized), never by
// translating or parsing the English; every other code has a sentence
// that explains its rule (codeText).

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

// localized is an API error with its Indonesian sentence. It unwraps to
// the *sdk.Error, so the API (sdk's errors.As) answers the English one
// unchanged.
type localized struct {
	err *sdk.Error
	id  string
}

func (e *localized) Error() string { return e.err.Message }
func (e *localized) Unwrap() error { return e.err }

// withID gives err (an *sdk.Error) its Indonesian sentence; any other
// error is returned as it is.
func withID(err error, id string) error {
	var se *sdk.Error
	if !errors.As(err, &se) {
		return err
	}
	return &localized{err: se, id: id}
}

// invalidID is invalid with the Indonesian sentence id.
func invalidID(code sdk.Code, id string, format string, args ...any) error {
	return withID(invalid(code, format, args...), id)
}

// codeText explains each error code a screen can meet, in Bahasa
// Indonesia: the rule, so that a clerk knows what to fix.
var codeText = map[sdk.Code]string{
	codeNotAVillage: "Penduduk dan keluarga dicatat di desa/kelurahan. Buka desa/kelurahannya untuk menulis data; di tingkat kecamatan ke atas data hanya dapat dilihat.",
	codeInvalidNIK: "NIK tidak sah. NIK terdiri dari 16 angka: 6 angka kode kecamatan, 6 angka tanggal lahir (DDMMYY; perempuan: tanggal ditambah 40) " +
		"dan 4 angka nomor urut. Kosongkan bila warga belum punya NIK.",
	codeInvalidKK:         "Nomor KK tidak sah. Nomor KK terdiri dari 16 angka: 6 angka kode kecamatan, 6 angka tanggal terbit (DDMMYY) dan 4 angka nomor urut.",
	codeInvalidSex:        "Pilih jenis kelamin: laki-laki atau perempuan.",
	codeInvalidBirthDate:  "Tanggal lahir tidak sah: isi tanggal yang sudah lewat, seperti di akta kelahiran.",
	codeInvalidStatus:     "Status tidak sah: hidup, meninggal, pindah atau hilang.",
	codeInvalidName:       "Nama wajib diisi, paling banyak 200 huruf, tanpa tanda kendali.",
	codeInvalidMotherName: "Nama ibu kandung paling banyak 200 huruf, tanpa tanda kendali.",
	codeInvalidBirthPlace: "Tempat lahir paling banyak 100 huruf, tanpa tanda kendali.",
	codeInvalidAddress:    "Alamat paling banyak 500 huruf, tanpa tanda kendali.",
	codeInvalidPlace:      "Tempat paling banyak 200 huruf, tanpa tanda kendali.",
	codeInvalidCause:      "Sebab paling banyak 200 huruf, tanpa tanda kendali.",
	codeInvalidOrigin:     "Asal paling banyak 200 huruf, tanpa tanda kendali.",
	codeInvalidNote:       "Catatan paling banyak 1000 huruf, tanpa tanda kendali.",
	codeInvalidDusun:      "Dusun paling banyak 100 huruf, tanpa tanda kendali.",
	codeInvalidReligion:   "Pilih agama dari daftar.", codeInvalidEducation: "Pilih pendidikan dari daftar.",
	codeInvalidOccupation: "Pilih pekerjaan dari daftar.", codeInvalidMarital: "Pilih status perkawinan dari daftar.",
	codeInvalidRelationship: "Pilih hubungan keluarga dari daftar.", codeInvalidBloodType: "Pilih golongan darah dari daftar.",
	codeInvalidRT:          "RT diisi angka 1 sampai 3 digit, bukan 0 (misalnya 1 atau 001).",
	codeInvalidRW:          "RW diisi angka 1 sampai 3 digit, bukan 0 (misalnya 2 atau 002).",
	codeRelationshipSex:    "Hubungan keluarga tidak cocok dengan jenis kelamin: suami laki-laki, istri perempuan.",
	codeDuplicateNIK:       "NIK ini sudah terdaftar di wilayah ini: satu orang hanya dicatat sekali.",
	codeDuplicateHead:      "Keluarga ini sudah punya kepala keluarga yang hidup. Untuk mengganti kepala keluarga gunakan menu Ganti kepala keluarga.",
	codeInvalidPatch:       "Status penduduk diubah lewat peristiwa (kematian, pindah), bukan lewat ubah data.",
	codeForbiddenFilter:    "Anda tidak berhak mencari dengan NIK atau KK.",
	codeFamilyNotFound:     "Keluarga dengan nomor KK ini tidak ditemukan di desa ini.",
	codeResidentNotFound:   "Penduduk tidak ditemukan.",
	codeInvalidCSV:         "Berkas tidak dapat dibaca sebagai CSV, atau tidak punya kolom wajib (NIK, KK, nama, jenis kelamin, tanggal lahir).",
	codeInvalidFile:        "Berkas tidak dapat dibaca: unggah CSV atau .xlsx (Excel 97-2003 .xls simpan dulu sebagai .xlsx).",
	codeInvalidFormat:      "Format berkas tidak dikenal: CSV atau .xlsx.",
	codeInvalidDate:        "Tanggal tidak sah: isi tanggal yang sudah lewat atau hari ini.",
	codeInvalidType:        "Jenis peristiwa tidak dikenal.",
	codeInvalidResident:    "Data penduduk yang lahir atau datang belum diisi.",
	codeUnknownFamily:      "Keluarga dengan nomor KK ini belum terdaftar di desa ini: daftarkan keluarganya dulu.",
	codeNotAlive:           "Penduduk ini tidak lagi berstatus hidup (meninggal atau pindah).",
	codeInvalidDestination: "Pilih desa tujuan dari daftar.",
	codeUnknownDestination: "Desa tujuan tidak ada di wilayah ini atau belum memakai modul kependudukan.",
	codeInvalidBy:          "Pilih pengelompokan statistik dari daftar.",
	codeFamilyWithoutHead:  "Perubahan ini membuat anggota keluarga tanpa kepala keluarga: tunjuk kepala keluarga baru dulu.",
	codeFamilyExists:       "Nomor KK ini sudah dipakai keluarga lain di desa ini. Untuk menambah anggota keluarga itu gunakan Tambah anggota keluarga.",
	codeInvalidHeadID:      "Pilih kepala keluarga baru dari anggota keluarga yang hidup.",
	codeInvalidMembers:     "Pilih anggota yang pindah ke KK baru dari anggota keluarga yang hidup (masing-masing sekali).",
	codeInvalidResidentID:  "Penduduk tidak dikenal.",
	codeInvalidParameter:   "Isian formulir tidak sah.",
	codeInvalidIdentity:    "NIK dan nomor KK masing-masing 16 angka; nama ibu kandung paling banyak 200 huruf.",
	codeTooManyAttempts:    "Terlalu banyak percobaan untuk NIK ini: coba lagi nanti.",
	codeBusy:               "Sedang banyak pemeriksaan untuk NIK ini: coba lagi sebentar lagi.",
	codeInvalidPer:         "Pilih tingkat wilayah di bawah wilayah ini untuk rincian.",
	codeInvalidMonth:       "Bulan diisi TTTT-BB (misalnya 2026-11) dan sudah dimulai.",
	codeVillageLevel:       "Pemeriksaan data ganda membandingkan desa-desa: buka kecamatan atau tingkat di atasnya.",
	sdk.CodeForbidden:      "Anda tidak berhak melakukan ini.",
	sdk.CodeNotFound:       "Data tidak ditemukan.",
	sdk.CodeInvalid:        "Isian tidak sah: periksa lagi formulir.",
	sdk.CodeInvalidField:   "Isian tidak sah: periksa lagi formulir.",
	sdk.CodeInvalidText:    "Teks berisi tanda kendali atau karakter tak terlihat: ketik ulang tanpa menyalin dari dokumen lain.",
	sdk.CodeUnknownField:   "Formulir mengirim isian yang tidak dikenal: muat ulang halaman dan coba lagi.",
	sdk.CodeMalformedJSON:  "Formulir tidak terbaca: muat ulang halaman dan coba lagi.",
	sdk.CodeBodyTooLarge:   "Kiriman terlalu besar.",
	sdk.CodeTooLarge:       "Berkas terlalu besar.",
	sdk.CodeDuplicate:      "Data ini sudah ada.",
	sdk.CodeInvalidPaging:  "Nomor halaman tidak sah.",
	sdk.CodeConflict:       "Data berubah sementara Anda mengisi formulir: muat ulang halaman dan coba lagi.",
}

// idMessage is err's sentence for the page's language: the English
// message in en mode; in id mode the error's own Indonesian sentence, or
// its code's, or a general one naming the code.
func idMessage(r *http.Request, err error) string {
	var se *sdk.Error
	if !errors.As(err, &se) {
		return ui.Tr(r, "Terjadi kesalahan. Coba lagi nanti.", "Something went wrong. Try again later.")
	}
	if ui.Info(r).Lang == "en" {
		return se.Message
	}
	var le *localized
	if errors.As(err, &le) && le.id != "" {
		return le.id
	}
	if t, ok := codeText[se.Code]; ok {
		return t
	}
	return fmt.Sprintf("Data tidak diterima (kode %s).", se.Code)
}

// reasonFor is the Indonesian sentence of a rejected import row's error.
func reasonFor(err error) string {
	var le *localized
	if errors.As(err, &le) && le.id != "" {
		return le.id
	}
	var se *sdk.Error
	if errors.As(err, &se) {
		if t, ok := codeText[se.Code]; ok {
			return t
		}
	}
	return "Baris tidak sah."
}

// fieldNameID names a resident's field in Bahasa Indonesia.
var fieldNameID = map[string]string{
	"name": "Nama", "mother_name": "Nama ibu kandung", "birth_place": "Tempat lahir", "address": "Alamat", "dusun": "Dusun",
	"place": "Tempat", "cause": "Sebab", "origin": "Asal", "note": "Catatan", "destination": "Tujuan",
	"religion": "agama", "education": "pendidikan", "occupation": "pekerjaan", "marital_status": "status perkawinan",
	"relationship": "hubungan keluarga", "blood_type": "golongan darah", "kk": "Nomor KK", "nik": "NIK", "new_kk": "Nomor KK baru",
	"head_id": "Kepala keluarga baru", "member_ids": "Anggota", "resident_id": "Penduduk", "to_tenant": "Desa tujuan",
	"former_head_relationship": "Hubungan keluarga kepala lama",
}
