package demo

import (
	"bytes"
	"encoding/csv"
	"testing"
	"time"
)

// The generated rows must pass the population module's checks; these are
// the ones a generator can get wrong.
func TestWriteVillage(t *testing.T) {
	g := New(1, time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC))
	var buf bytes.Buffer
	villages := []Village{{Code: "14.01.01.2009", Name: "Pulau Jambu", District: "KAMPAR"}, {Code: "14.01.01.2010", Name: "Tanjung", District: "KAMPAR"}}
	for i, v := range villages {
		if err := g.WriteVillage(&buf, v, 5000, i == 0); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 10001 {
		t.Fatalf("%d rows, want a header and 10,000 residents", len(rows))
	}
	niks := map[string]bool{}
	heads := map[string]int{}
	for _, r := range rows[1:] {
		nik, kk, sex, born := r[0], r[1], r[3], r[5]
		if len(nik) != 16 || nik[:6] != "140101" || kk[:6] != "140101" {
			t.Fatalf("NIK %s / KK %s not of sub-district 140101", nik, kk)
		}
		if niks[nik] {
			t.Fatalf("NIK %s given twice", nik)
		}
		niks[nik] = true
		bd, err := time.Parse(time.DateOnly, born)
		if err != nil || bd.After(g.now) {
			t.Fatalf("birth date %q", born)
		}
		day := bd.Day()
		if sex == "P" {
			day += 40
		}
		if want := bd.Format("0106"); nik[6:8] != pad(day) || nik[8:12] != want || nik[12:] == "0000" {
			t.Fatalf("NIK %s does not encode %s (%s)", nik, born, sex)
		}
		if r[10] == "1" {
			heads[kk]++
		}
	}
	for kk, n := range heads {
		if n != 1 {
			t.Fatalf("family %s has %d heads", kk, n)
		}
	}
	if len(heads) < 2000 || len(heads) > 4000 {
		t.Errorf("%d families for 10,000 people: not Indonesian family sizes", len(heads))
	}
}

func pad(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

func TestSplit(t *testing.T) {
	for _, c := range []struct{ total, n, min int }{{898973, 250, 500}, {1000, 250, 500}, {10, 3, 1}, {0, 4, 10}} {
		parts := Split(NewRand(7), c.total, c.n, c.min)
		sum, smallest, largest := 0, c.total, 0
		for _, p := range parts {
			sum += p
			smallest, largest = min(smallest, p), max(largest, p)
		}
		if sum != c.total || len(parts) != c.n {
			t.Errorf("Split(%d, %d) = %d parts summing to %d", c.total, c.n, len(parts), sum)
		}
		if c.total >= c.n*c.min && smallest < c.min {
			t.Errorf("Split(%d, %d): a village of %d, under the minimum %d", c.total, c.n, smallest, c.min)
		}
		if c.total == 898973 && largest < 3*smallest {
			t.Errorf("villages from %d to %d: too even to be real", smallest, largest)
		}
	}
}
