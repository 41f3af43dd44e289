package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The account structure of the village budget, from Permendagri 20/2018
// on village financial management: Pasal 9 (income by kelompok, jenis and
// objek; spending by bidang, sub-bidang, kegiatan, jenis, objek and
// rincian objek; financing by kelompok, jenis and objek; each with its
// kode rekening) and the Lampiran's list of kode rekening and its
// "Klasifikasi Belanja Desa berdasarkan Bidang, Sub Bidang dan Kegiatan".
//
// The lists below were checked, code by code, against what public
// sources give of the Lampiran, the regulation's own PDF not being at
// hand; they agree with one another on every code:
//
//   - Siskeudes' own reference tables as OpenSID carries them
//     (github.com/OpenSID/OpenSID, release v2410.0.0): Ref_Rek1 to
//     Ref_Rek3 in donjo-app/models/seeders/Data_awal_seeder.php (income,
//     spending and financing kinds), the kegiatan list in
//     donjo-app/models/seeders/dataAwal/KeuanganManualRefKegiatan.php
//     (whose "Lain-lain Sub Bidang ..." rows name the sub-bidang);
//   - two transcriptions of the Lampiran's tables in public code found
//     through the search index (their repositories not named by it): one
//     with the Lampiran's "1 1 01" codes, its "90-99" objects and kegiatan
//     and every kind of spending; one headed as a later OpenSID's
//     KeuanganTemplateSeeder;
//   - reports printed by Siskeudes and published by villages
//     (baturutara.desa.id and lebih.desa.id, Laporan Realisasi
//     Pelaksanaan APBDes 2023: 4.3.1 Penerimaan dari Hasil Kerjasama
//     Antar Desa, 4.3.6 Bunga Bank).
//
// Where the Lampiran and Siskeudes word a name differently (4.1.1 Hasil
// Usaha / Hasil Usaha Desa; 2.4 Kawasan Permukiman / Perumahan Rakyat dan
// Kawasan Pemukiman), the Lampiran's words are used.
//
// A budget line is in one of three sections:
//
//   - income (pendapatan, code 4): 4.1 Pendapatan Asli Desa (4.1.1 to
//     4.1.4), 4.2 transfers (4.2.1 Dana Desa, 4.2.2 bagian dari hasil pajak
//     dan retribusi daerah, 4.2.3 Alokasi Dana Desa, 4.2.4 bantuan keuangan
//     provinsi, 4.2.5 bantuan keuangan kabupaten/kota), 4.3 other income
//     (4.3.1 to 4.3.6, 4.3.9). A line's code is one of these with optional
//     detail segments (the objek, "4.1.1.01"; 90-99 for the regency's own);
//   - spending (belanja): the activity code bidang.sub-bidang.kegiatan
//     ("1.1.01"), bidang 1 to 5, the sub-bidang of the regulation, the
//     kegiatan two digits, with optional detail segments; the optional
//     account is the type of spending (jenis belanja: 5.1 pegawai, 5.2
//     barang dan jasa, 5.3 modal, 5.4 tak terduga) and, when
//     it has a third segment, one of the Lampiran's kinds of that type
//     (spendingKinds: "5.2.1", "5.3.5.01"); the source of funds is
//     required (sources). The kegiatan are not listed: the Lampiran leaves
//     90-99 of every sub-bidang to the regency's own kegiatan, and
//     Siskeudes adds more;
//   - financing (pembiayaan, code 6): 6.1 receipts (6.1.1 SiLPA of the
//     previous year, 6.1.2 drawing reserve funds, 6.1.3 sale of separated
//     village assets, 6.1.9 other), 6.2 expenditures (6.2.1 forming reserve
//     funds, 6.2.2 village capital participation, 6.2.9 other).
const (
	sectionIncome    = "income"
	sectionSpending  = "spending"
	sectionFinancing = "financing"
)

// incomeGroups names the sources of income the infographic and the roll-up
// show, keyed by their group code.
var incomeGroups = []struct{ Code, Name string }{
	{"4.1", "Pendapatan Asli Desa"},
	{"4.2.1", "Dana Desa"},
	{"4.2.2", "Bagi Hasil Pajak dan Retribusi"},
	{"4.2.3", "Alokasi Dana Desa"},
	{"4.2.4", "Bantuan Keuangan Provinsi"},
	{"4.2.5", "Bantuan Keuangan Kabupaten/Kota"},
	{"4.3", "Pendapatan Lain-lain"},
}

// incomeKelompok names the groups of income (kelompok, 4.x).
var incomeKelompok = map[string]string{"4.1": "Pendapatan Asli Desa", "4.2": "Transfer", "4.3": "Pendapatan Lain-lain"}

// incomeKinds are the income accounts (jenis, 4.x.y) of the Lampiran.
// Pendapatan lain-lain splits the regulation's "hasil kerja
// sama Desa" into cooperation with other villages (4.3.1) and with third
// parties (4.3.2), which moves every later kind one place on: bank
// interest is 4.3.6, not 4.3.5.
var incomeKinds = map[string]string{
	"4.1.1": "Hasil Usaha", "4.1.2": "Hasil Aset", "4.1.3": "Swadaya, Partisipasi dan Gotong Royong", "4.1.4": "Lain-lain Pendapatan Asli Desa",
	"4.2.1": "Dana Desa", "4.2.2": "Bagian dari Hasil Pajak dan Retribusi Daerah Kabupaten/Kota", "4.2.3": "Alokasi Dana Desa",
	"4.2.4": "Bantuan Keuangan Provinsi", "4.2.5": "Bantuan Keuangan APBD Kabupaten/Kota",
	"4.3.1": "Penerimaan dari Hasil Kerjasama antar Desa", "4.3.2": "Penerimaan dari Hasil Kerjasama Desa dengan Pihak Ketiga",
	"4.3.3": "Penerimaan dari Bantuan Perusahaan yang Berlokasi di Desa", "4.3.4": "Hibah dan Sumbangan dari Pihak Ketiga",
	"4.3.5": "Koreksi Kesalahan Belanja Tahun-tahun Anggaran Sebelumnya", "4.3.6": "Bunga Bank",
	"4.3.9": "Lain-lain Pendapatan Desa yang Sah",
}

// financingKinds are the financing accounts (6.x.y).
var financingKinds = map[string]string{
	"6.1.1": "SiLPA Tahun Sebelumnya", "6.1.2": "Pencairan Dana Cadangan", "6.1.3": "Hasil Penjualan Kekayaan Desa yang Dipisahkan", "6.1.9": "Penerimaan Pembiayaan Lainnya",
	"6.2.1": "Pembentukan Dana Cadangan", "6.2.2": "Penyertaan Modal Desa", "6.2.9": "Pengeluaran Pembiayaan Lainnya",
}

// bidangs are the five fields of village spending.
var bidangs = []struct{ Code, Name string }{
	{"1", "Penyelenggaraan Pemerintahan Desa"},
	{"2", "Pelaksanaan Pembangunan Desa"},
	{"3", "Pembinaan Kemasyarakatan Desa"},
	{"4", "Pemberdayaan Masyarakat Desa"},
	{"5", "Penanggulangan Bencana, Keadaan Darurat dan Mendesak"},
}

// subBidangs are the sub-fields of each bidang, in the Lampiran's words.
var subBidangs = map[string]string{
	"1.1": "Penyelenggaraan Belanja Penghasilan Tetap, Tunjangan dan Operasional Pemerintahan Desa", "1.2": "Sarana dan Prasarana Pemerintahan Desa",
	"1.3": "Administrasi Kependudukan, Pencatatan Sipil, Statistik dan Kearsipan", "1.4": "Tata Praja Pemerintahan, Perencanaan, Keuangan dan Pelaporan", "1.5": "Pertanahan",
	"2.1": "Pendidikan", "2.2": "Kesehatan", "2.3": "Pekerjaan Umum dan Penataan Ruang", "2.4": "Kawasan Permukiman",
	"2.5": "Kehutanan dan Lingkungan Hidup", "2.6": "Perhubungan, Komunikasi dan Informatika", "2.7": "Energi dan Sumber Daya Mineral", "2.8": "Pariwisata",
	"3.1": "Ketenteraman, Ketertiban Umum dan Pelindungan Masyarakat", "3.2": "Kebudayaan dan Keagamaan", "3.3": "Kepemudaan dan Olahraga", "3.4": "Kelembagaan Masyarakat",
	"4.1": "Kelautan dan Perikanan", "4.2": "Pertanian dan Peternakan", "4.3": "Peningkatan Kapasitas Aparatur Desa",
	"4.4": "Pemberdayaan Perempuan, Perlindungan Anak dan Keluarga", "4.5": "Koperasi, Usaha Mikro Kecil dan Menengah (UMKM)", "4.6": "Dukungan Penanaman Modal", "4.7": "Perdagangan dan Perindustrian",
	"5.1": "Penanggulangan Bencana", "5.2": "Keadaan Darurat", "5.3": "Keadaan Mendesak",
}

// spendingAccounts are the types of spending (jenis belanja).
var spendingAccounts = map[string]string{"5.1": "Belanja Pegawai", "5.2": "Belanja Barang dan Jasa", "5.3": "Belanja Modal", "5.4": "Belanja Tak Terduga"}

// spendingKinds are the Lampiran's kinds of each type of spending (5.x.y),
// the third segment of a spending line's account.
var spendingKinds = map[string]string{
	"5.1.1": "Penghasilan Tetap dan Tunjangan Kepala Desa", "5.1.2": "Penghasilan Tetap dan Tunjangan Perangkat Desa",
	"5.1.3": "Jaminan Sosial Kepala Desa dan Perangkat Desa", "5.1.4": "Tunjangan BPD",
	"5.2.1": "Belanja Barang Perlengkapan", "5.2.2": "Belanja Jasa Honorarium", "5.2.3": "Belanja Perjalanan Dinas", "5.2.4": "Belanja Jasa Sewa",
	"5.2.5": "Belanja Operasional Perkantoran", "5.2.6": "Belanja Pemeliharaan", "5.2.7": "Belanja Barang dan Jasa yang Diserahkan kepada Masyarakat",
	"5.3.1": "Belanja Modal Pengadaan Tanah", "5.3.2": "Belanja Modal Peralatan, Mesin, dan Alat Berat", "5.3.3": "Belanja Modal Kendaraan",
	"5.3.4": "Belanja Modal Gedung, Bangunan dan Taman", "5.3.5": "Belanja Modal Jalan/Prasarana Jalan", "5.3.6": "Belanja Modal Jembatan",
	"5.3.7": "Belanja Modal Irigasi/Embung/Air Sungai/Drainase/Air Limbah/Persampahan", "5.3.8": "Belanja Modal Jaringan/Instalasi", "5.3.9": "Belanja Modal Lainnya",
	"5.4.1": "Belanja Tak Terduga",
}

// sources are the sources of funds of a spending line, with the codes
// Siskeudes uses.
var sources = []struct{ Code, Name string }{
	{"DDS", "Dana Desa"}, {"ADD", "Alokasi Dana Desa"}, {"PBH", "Bagi Hasil Pajak dan Retribusi"},
	{"PAD", "Pendapatan Asli Desa"}, {"BKP", "Bantuan Keuangan Provinsi"}, {"BKK", "Bantuan Keuangan Kabupaten/Kota"},
	{"SWD", "Swadaya Masyarakat"}, {"SILPA", "SiLPA"}, {"DLL", "Pendapatan Lain-lain"},
}

// sourceAliases are codes for the same sources that some Siskeudes
// databases write (a public Siskeudes-derived table lists PBP Penerimaan
// Bantuan Keuangan Provinsi, PBK ... Kabupaten/Kota and PDL Pendapatan
// Lain-lain); a line stores the code of sources.
var sourceAliases = map[string]string{"PBP": "BKP", "PBK": "BKK", "PDL": "DLL"}

// sourceCode is the source code a line stores for s: upper case, an alias
// read as its code.
func sourceCode(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if c, ok := sourceAliases[s]; ok {
		return c
	}
	return s
}

// sourceDanaDesa is the source whose realised spending is the Dana Desa
// absorption the regency follows.
const sourceDanaDesa = "DDS"

var (
	incomeCode    = regexp.MustCompile(`^4\.[1-3]\.[0-9]{1,2}(\.[0-9]{1,3}){0,3}$`)
	financingCode = regexp.MustCompile(`^6\.[12]\.[0-9](\.[0-9]{1,3}){0,3}$`)
	spendingCode  = regexp.MustCompile(`^[1-5]\.[0-9]{1,2}\.[0-9]{2}(\.[0-9]{1,3}){0,3}$`)
	accountCode   = regexp.MustCompile(`^5\.[1-4](\.[0-9]{1,3}){0,4}$`)
)

// checkCode answers whether code is an account of section, with the
// reason when it is not. For spending it also checks the sub-bidang.
func checkCode(section, code string) error {
	switch section {
	case sectionIncome:
		if !incomeCode.MatchString(code) {
			return fmt.Errorf("income code %q is not 4.x.y (4.1 Pendapatan Asli Desa, 4.2 transfers, 4.3 other income)", code)
		}
		if _, ok := incomeKinds[prefix(code, 3)]; !ok {
			return fmt.Errorf("income code %q: %s is not an income account of Permendagri 20/2018", code, prefix(code, 3))
		}
	case sectionFinancing:
		if !financingCode.MatchString(code) {
			return fmt.Errorf("financing code %q is not 6.1.x (receipts) or 6.2.x (expenditures)", code)
		}
		if _, ok := financingKinds[prefix(code, 3)]; !ok {
			return fmt.Errorf("financing code %q: %s is not a financing account of Permendagri 20/2018", code, prefix(code, 3))
		}
	case sectionSpending:
		if !spendingCode.MatchString(code) {
			return fmt.Errorf("spending code %q is not bidang.sub-bidang.kegiatan such as 1.1.01", code)
		}
		sub := canonSub(code)
		if _, ok := subBidangs[sub]; !ok {
			return fmt.Errorf("spending code %q: %s is not a sub-bidang of bidang %s", code, sub, code[:1])
		}
	}
	return nil
}

// checkAccount answers whether account is a type of spending (5.1 to
// 5.4) and, when it has a third segment, one of that type's kinds in the
// Lampiran (5.1.1 to 5.1.4, 5.2.1 to 5.2.7, 5.3.1 to 5.3.9, 5.4.1).
func checkAccount(account string) error {
	if !accountCode.MatchString(account) {
		return fmt.Errorf("account %q is not a type of spending 5.1 to 5.4", account)
	}
	if strings.Count(account, ".") >= 2 {
		if k := prefix(account, 3); spendingKinds[k] == "" {
			return fmt.Errorf("account %q: %s is not a kind of %s %s in Permendagri 20/2018", account, k, prefix(account, 2), spendingAccounts[prefix(account, 2)])
		}
	}
	return nil
}

// canonSub is the sub-bidang of a spending code, without a leading zero
// ("2.03.01" -> "2.3").
func canonSub(code string) string {
	parts := strings.Split(code, ".")
	n, _ := strconv.Atoi(parts[1])
	return parts[0] + "." + strconv.Itoa(n)
}

// prefix is the first n dot-separated segments of code.
func prefix(code string, n int) string {
	parts := strings.Split(code, ".")
	if len(parts) > n {
		parts = parts[:n]
	}
	return strings.Join(parts, ".")
}

// groupOf is the group a line counts in for the infographic and the
// roll-up: an income source (incomeGroups), a bidang ("1" to "5"), or the
// financing side ("6.1", "6.2").
func groupOf(section, code string) string {
	switch section {
	case sectionIncome:
		if strings.HasPrefix(code, "4.2.") {
			return prefix(code, 3)
		}
		return prefix(code, 2)
	case sectionSpending:
		return code[:1]
	default:
		return prefix(code, 2)
	}
}

// groupName names a group for screens.
func groupName(section, group string) string {
	switch section {
	case sectionIncome:
		for _, g := range incomeGroups {
			if g.Code == group {
				return g.Name
			}
		}
	case sectionSpending:
		for _, b := range bidangs {
			if b.Code == group {
				return b.Name
			}
		}
	case sectionFinancing:
		if group == "6.1" {
			return "Penerimaan Pembiayaan"
		}
		return "Pengeluaran Pembiayaan"
	}
	return group
}

// sourceNumber is a source's place in sources from 1 (DDS 1, ADD 2, ...
// DLL 9): the detail segment that tells apart the lines of an imported
// account funded by several sources.
func sourceNumber(code string) int {
	for i, s := range sources {
		if s.Code == code {
			return i + 1
		}
	}
	return 0
}

// sourceName names a source of funds, or "" when the code is not one.
func sourceName(code string) string {
	for _, s := range sources {
		if s.Code == code {
			return s.Name
		}
	}
	return ""
}

// lineKey identifies a line within a year's budget.
func lineKey(section, code, account string) string {
	return section + "|" + code + "|" + account
}

// capped says whether realisation of a line may not pass its budget:
// spending and financing expenditures may not; income and financing
// receipts may exceed their estimate.
func capped(section, code string) bool {
	return section == sectionSpending || (section == sectionFinancing && strings.HasPrefix(code, "6.2"))
}
