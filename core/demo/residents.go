// Package demo generates a realistic district for demonstrations and load
// tests: residents in families, with NIKs and KK numbers that pass the
// population module's checks (sub-district code, birth date, sex, serial),
// Dukcapil codes that fit each person's age, and names of the region.
package demo

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Columns is the header of the CSV the generator writes: the population
// module's import columns.
var Columns = []string{"nik", "kk", "name", "sex", "birth_place", "birth_date", "religion", "education", "occupation",
	"marital_status", "relationship", "blood_type", "address", "rt", "rw", "mother_name"}

var (
	menFirst = []string{"Ahmad", "Muhammad", "Rizki", "Fajar", "Hendra", "Syafrizal", "Zulkifli", "Yusuf", "Andi", "Budi",
		"Dedi", "Eko", "Irfan", "Joko", "Rahmat", "Syahrul", "Taufik", "Wahyu", "Arif", "Hasan", "Ilham", "Iwan", "Nanda",
		"Rudi", "Agus", "Bambang", "Darmawan", "Fauzi", "Hamdan", "Khairul", "Amri", "Azwar", "Datuk", "Erwin", "Firdaus",
		"Gusnaldi", "Herman", "Indra", "Jamaluddin", "Kamal", "Mardianto", "Nasrul", "Oktavianus", "Ridwan", "Safril"}
	menLast = []string{"Putra", "Saputra", "Hidayat", "Syahputra", "Pratama", "Rahman", "Hasibuan", "Lubis", "Siregar",
		"Nasution", "Harahap", "Harun", "Ismail", "Ibrahim", "Abdullah", "Sulaiman", "Effendi", "Kurniawan", "Setiawan",
		"Gunawan", "Hakim", "Malik", "Yunus", "Zainuddin", "Arifin"}
	womenFirst = []string{"Siti", "Nur", "Rina", "Dewi", "Sri", "Putri", "Aisyah", "Fitri", "Yuni", "Rahmah", "Wulan",
		"Lestari", "Indah", "Mega", "Nurhayati", "Rosmawati", "Zainab", "Fatimah", "Halimah", "Salmah", "Maya", "Ayu",
		"Dina", "Eka", "Intan", "Lina", "Nia", "Ratna", "Sari", "Yanti", "Asmah", "Desi", "Elfi", "Gusti", "Husna"}
	womenLast = []string{"Wati", "Sari", "Ningsih", "Rahayu", "Lestari", "Putri", "Handayani", "Yanti", "Aminah",
		"Marlina", "Susanti", "Wahyuni", "Fitriani", "Hasanah", "Khairani", "Rosita", "Safitri", "Zahara"}
	streets = []string{"Jl. Lintas Timur", "Jl. Jenderal Sudirman", "Jl. Tuanku Tambusai", "Jl. Datuk Tabano",
		"Jl. Pemuda", "Jl. Merdeka", "Jl. Masjid", "Jl. Pasar", "Jl. Kebun Sawit", "Jl. Sungai Kampar", "Jl. Desa",
		"Jl. Pendidikan", "Jl. Kesehatan", "Jl. Lingkar", "Jl. Padat Karya"}
)

// Generator writes residents. It keeps the serial numbers already given
// per sub-district and date, so that NIKs and KK numbers never repeat.
type Generator struct {
	rng     *rand.Rand
	now     time.Time
	serials map[uint64]uint16
}

// New returns a generator; the same seed gives the same district.
func New(seed uint64, now time.Time) *Generator {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	return &Generator{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), now: today, serials: map[uint64]uint16{}}
}

// Village is where residents are generated.
type Village struct {
	Code, Name string
	// District is the sub-district's name: people are mostly born nearby.
	District string
}

// subDistrict returns the six digits a NIK starts with: 14.01.01.2009 → 140101.
func subDistrict(code string) (string, error) {
	parts := strings.Split(code, ".")
	if len(parts) != 4 {
		return "", fmt.Errorf("%s is not a village code", code)
	}
	return parts[0] + parts[1] + parts[2], nil
}

// serial hands out the next serial for a sub-district and a DDMMYY date
// (with 40 added to the day for women), as Dukcapil does.
func (g *Generator) serial(kec string, ddmmyy string, kind uint64) (string, error) {
	k, _ := strconv.ParseUint(kec+ddmmyy, 10, 64)
	key := k*4 + kind
	n := g.serials[key] + 1
	if n > 9999 {
		return "", fmt.Errorf("more than 9,999 numbers for %s %s", kec, ddmmyy)
	}
	g.serials[key] = n
	return fmt.Sprintf("%04d", n), nil
}

type person struct {
	sex                 string
	birth               time.Time
	first, last, mother string
	relationship        string
	marital             string
}

// WriteVillage writes n residents of v as CSV rows (with a header row when
// header is set), family by family.
func (g *Generator) WriteVillage(w io.Writer, v Village, n int, header bool) error {
	kec, err := subDistrict(v.Code)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if header {
		if err := cw.Write(Columns); err != nil {
			return err
		}
	}
	row := make([]string, len(Columns))
	written := 0
	for written < n {
		family := g.family()
		issued := g.now.AddDate(0, 0, -g.rng.IntN(20*365)-1)
		kkDate := issued.Format("020106")
		serial, err := g.serial(kec, kkDate, 0)
		if err != nil {
			return err
		}
		kk := kec + kkDate + serial
		street := streets[g.rng.IntN(len(streets))]
		rt, rw := fmt.Sprintf("%03d", 1+g.rng.IntN(12)), fmt.Sprintf("%03d", 1+g.rng.IntN(5))
		place := v.District
		for _, p := range family {
			if written == n {
				break
			}
			dd := p.birth.Day()
			if p.sex == "P" {
				dd += 40
			}
			born := fmt.Sprintf("%02d%s", dd, p.birth.Format("0106"))
			serial, err := g.serial(kec, born, 1)
			if err != nil {
				return err
			}
			age := g.age(p.birth)
			if g.rng.IntN(5) == 0 {
				place = "Pekanbaru"
			}
			row[0], row[1], row[2], row[3] = kec+born+serial, kk, strings.TrimSpace(p.first+" "+p.last), p.sex
			row[4], row[5] = titleCase(place), p.birth.Format(time.DateOnly)
			row[6], row[7], row[8] = g.religion(), g.education(age), g.occupation(age, p.sex)
			row[9], row[10], row[11] = p.marital, p.relationship, g.bloodType()
			row[12], row[13], row[14], row[15] = street, rt, rw, p.mother
			if err := cw.Write(row); err != nil {
				return err
			}
			written++
		}
	}
	cw.Flush()
	return cw.Error()
}

func titleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

func (g *Generator) age(birth time.Time) int {
	a := g.now.Year() - birth.Year()
	if g.now.YearDay() < birth.YearDay() {
		a--
	}
	return a
}

func (g *Generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// born returns a birth date for someone aged between min and max years.
func (g *Generator) born(minAge, maxAge int) time.Time {
	days := minAge*365 + g.rng.IntN((maxAge-minAge+1)*365)
	return g.now.AddDate(0, 0, -days-1)
}

// family makes one household: its head first. Sizes follow Indonesia's
// average of about 3.6 people per family card.
func (g *Generator) family() []person {
	headAge := 22 + g.rng.IntN(50)
	var out []person
	grandmother := g.pick(womenFirst) + " " + g.pick(womenLast)
	switch r := g.rng.IntN(100); {
	case r < 8: // a widow or widower living alone
		sex := []string{"L", "P"}[g.rng.IntN(2)]
		out = append(out, g.person(sex, g.born(55, 85), "1", "4", grandmother))
		return out
	case r < 12: // a young single head
		out = append(out, g.person("L", g.born(19, 30), "1", "1", grandmother))
		return out
	}
	head := g.person("L", g.born(headAge, headAge), "1", "2", grandmother)
	out = append(out, head)
	wifeAge := max(18, headAge-g.rng.IntN(8))
	wife := g.person("P", g.born(wifeAge, wifeAge), "3", "2", g.pick(womenFirst)+" "+g.pick(womenLast))
	out = append(out, wife)
	children := g.rng.IntN(4)
	if wifeAge > 45 {
		children = g.rng.IntN(3)
	}
	for i := 0; i < children; i++ {
		maxAge := min(wifeAge-18, 24)
		if maxAge < 0 {
			break
		}
		sex := []string{"L", "P"}[g.rng.IntN(2)]
		child := g.person(sex, g.born(0, maxAge), "4", "1", wife.first+" "+wife.last)
		child.last = head.first
		if sex == "P" {
			child.last = g.pick(womenLast)
		}
		out = append(out, child)
	}
	if g.rng.IntN(10) == 0 && headAge < 50 { // a parent living with them
		out = append(out, g.person("P", g.born(headAge+20, min(headAge+35, 95)), "7", "4", g.pick(womenFirst)+" "+g.pick(womenLast)))
	}
	return out
}

func (g *Generator) person(sex string, birth time.Time, relationship, marital, mother string) person {
	p := person{sex: sex, birth: birth, relationship: relationship, marital: marital, mother: mother}
	if sex == "L" {
		p.first, p.last = g.pick(menFirst), g.pick(menLast)
	} else {
		p.first, p.last = g.pick(womenFirst), g.pick(womenLast)
	}
	return p
}

// Codes are those of the population module's Dukcapil lists.
func (g *Generator) religion() string {
	switch r := g.rng.IntN(100); {
	case r < 94:
		return "1" // Islam
	case r < 98:
		return "2" // Kristen
	default:
		return "3" // Katholik
	}
}

func (g *Generator) education(age int) string {
	switch {
	case age < 7:
		return "1" // not yet in school
	case age < 13:
		return "2" // in primary school
	case age < 16:
		return "3"
	case age < 19:
		return "4"
	}
	return []string{"3", "4", "5", "5", "5", "6", "7", "8", "8", "9"}[g.rng.IntN(10)]
}

func (g *Generator) occupation(age int, sex string) string {
	switch {
	case age < 5:
		return "1" // not working
	case age < 19:
		return "3" // pupil
	case age >= 60 && g.rng.IntN(3) == 0:
		return "4" // retired
	}
	if sex == "P" && g.rng.IntN(2) == 0 {
		return "2" // keeps the household
	}
	return []string{"9", "9", "9", "20", "20", "19", "84", "88", "88", "15", "5", "65", "81", "11", "85", "73"}[g.rng.IntN(16)]
}

func (g *Generator) bloodType() string {
	return []string{"1", "2", "3", "4", "4", "13", "13"}[g.rng.IntN(7)]
}

// Split divides total residents among n villages with realistic unevenness
// (a market town has several times a hamlet's people), every village at
// least minimum.
func Split(rng *rand.Rand, total, n, minimum int) []int {
	if n == 0 {
		return nil
	}
	minimum = min(minimum, total/n)
	weights := make([]float64, n)
	sum := 0.0
	for i := range weights {
		weights[i] = 0.4 + rng.ExpFloat64()
		sum += weights[i]
	}
	out := make([]int, n)
	given := 0
	for i, w := range weights {
		out[i] = max(minimum, int(float64(total)*w/sum))
		given += out[i]
	}
	// Settle the rounding one resident at a time so the total is exact.
	for i := 0; given != total; i = (i + 1) % n {
		switch {
		case given < total:
			out[i]++
			given++
		case out[i] > minimum:
			out[i]--
			given--
		}
	}
	return out
}

// NewRand returns the random source Split uses, from a seed.
func NewRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, ^seed)) }
