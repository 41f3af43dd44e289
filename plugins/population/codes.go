package main

// Dukcapil (SIAK) code lists. Residents store the code; /codes serves the
// lists so clients can show names.
type code struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

func list(names ...string) []code {
	out := make([]code, len(names))
	for i, n := range names {
		out[i] = code{Code: itoa(i + 1), Name: n}
	}
	return out
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

var codeLists = map[string][]code{
	"religion": list("Islam", "Kristen", "Katholik", "Hindu", "Budha", "Khonghucu", "Kepercayaan Terhadap Tuhan YME"),
	"education": list("Tidak/Belum Sekolah", "Belum Tamat SD/Sederajat", "Tamat SD/Sederajat", "SLTP/Sederajat",
		"SLTA/Sederajat", "Diploma I/II", "Akademi/Diploma III/Sarjana Muda", "Diploma IV/Strata I", "Strata II", "Strata III"),
	"marital_status": list("Belum Kawin", "Kawin", "Cerai Hidup", "Cerai Mati"),
	"relationship": list("Kepala Keluarga", "Suami", "Istri", "Anak", "Menantu", "Cucu", "Orang Tua", "Mertua",
		"Famili Lain", "Pembantu", "Lainnya"),
	"blood_type": list("A", "B", "AB", "O", "A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-", "Tidak Tahu"),
	"occupation": list("Belum/Tidak Bekerja", "Mengurus Rumah Tangga", "Pelajar/Mahasiswa", "Pensiunan",
		"Pegawai Negeri Sipil", "Tentara Nasional Indonesia", "Kepolisian RI", "Perdagangan", "Petani/Pekebun",
		"Peternak", "Nelayan/Perikanan", "Industri", "Konstruksi", "Transportasi", "Karyawan Swasta",
		"Karyawan BUMN", "Karyawan BUMD", "Karyawan Honorer", "Buruh Harian Lepas", "Buruh Tani/Perkebunan",
		"Buruh Nelayan/Perikanan", "Buruh Peternakan", "Pembantu Rumah Tangga", "Tukang Cukur", "Tukang Listrik",
		"Tukang Batu", "Tukang Kayu", "Tukang Sol Sepatu", "Tukang Las/Pandai Besi", "Tukang Jahit", "Tukang Gigi",
		"Penata Rias", "Penata Busana", "Penata Rambut", "Mekanik", "Seniman", "Tabib", "Paraji", "Perancang Busana",
		"Penterjemah", "Imam Masjid", "Pendeta", "Pastor", "Wartawan", "Ustadz/Mubaligh", "Juru Masak",
		"Promotor Acara", "Anggota DPR-RI", "Anggota DPD", "Anggota BPK", "Presiden", "Wakil Presiden",
		"Anggota Mahkamah Konstitusi", "Anggota Kabinet/Kementerian", "Duta Besar", "Gubernur", "Wakil Gubernur",
		"Bupati", "Wakil Bupati", "Walikota", "Wakil Walikota", "Anggota DPRD Provinsi",
		"Anggota DPRD Kabupaten/Kota", "Dosen", "Guru", "Pilot", "Pengacara", "Notaris", "Arsitek", "Akuntan",
		"Konsultan", "Dokter", "Bidan", "Perawat", "Apoteker", "Psikiater/Psikolog", "Penyiar Televisi",
		"Penyiar Radio", "Pelaut", "Peneliti", "Sopir", "Pialang", "Paranormal", "Pedagang", "Perangkat Desa",
		"Kepala Desa", "Biarawati", "Wiraswasta", "Lainnya"),
}

// validCode reports whether v is a code of the named list.
func validCode(listName, v string) bool {
	for _, c := range codeLists[listName] {
		if c.Code == v {
			return true
		}
	}
	return false
}
