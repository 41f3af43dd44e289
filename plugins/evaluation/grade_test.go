package main

import (
	"testing"
)

func f(v float64) *float64 { return &v }

// uniform is a worksheet with every sub-component scored s: its weighted
// score is s.
func uniform(s float64) Worksheet {
	c := Component{Keberadaan: Criterion{Score: f(s)}, Kualitas: Criterion{Score: f(s)}, Pemanfaatan: Criterion{Score: f(s)}}
	return Worksheet{Perencanaan: c, Pengukuran: c, Pelaporan: c, EvaluasiInternal: c}
}

func TestGradeBoundaries(t *testing.T) {
	for _, tc := range []struct {
		score float64
		want  string
	}{
		{100, "AA"}, {90.01, "AA"}, {90.00, "A"}, {80.01, "A"}, {80.00, "BB"}, {70.01, "BB"}, {70.00, "B"},
		{60.01, "B"}, {60.00, "CC"}, {50.01, "CC"}, {50.00, "C"}, {30.01, "C"}, {30.00, "D"}, {0, "D"},
	} {
		if got := Grade(tc.score); got != tc.want {
			t.Errorf("Grade(%.2f) = %s, want %s", tc.score, got, tc.want)
		}
		// The same through the worksheet's arithmetic.
		w := uniform(tc.score)
		score, complete := w.Score()
		if !complete || score != tc.score || Grade(score) != tc.want {
			t.Errorf("uniform worksheet %.2f: score %v complete %v grade %s", tc.score, score, complete, Grade(score))
		}
	}
}

func TestWeights(t *testing.T) {
	var sum int64
	for _, c := range components {
		var cs int64
		for _, s := range subs {
			cs += subWeight(c, s)
		}
		if cs != int64(c.Weight) {
			t.Errorf("%s: sub-components weigh %d, component %d", c.Key, cs, c.Weight)
		}
		sum += cs
	}
	if sum != 1000 {
		t.Fatalf("weights sum to %d thousandths", sum)
	}
	// Only perencanaan fully met: 30. Only evaluasi internal's
	// pemanfaatan: 12.5. Only pelaporan's kualitas at 50: 2.25.
	for _, tc := range []struct {
		name string
		set  func(w *Worksheet)
		want float64
	}{
		{"perencanaan 100", func(w *Worksheet) {
			w.Perencanaan = Component{Criterion{Score: f(100)}, Criterion{Score: f(100)}, Criterion{Score: f(100)}}
		}, 30},
		{"pengukuran 100", func(w *Worksheet) {
			w.Pengukuran = Component{Criterion{Score: f(100)}, Criterion{Score: f(100)}, Criterion{Score: f(100)}}
		}, 30},
		{"pelaporan 100", func(w *Worksheet) {
			w.Pelaporan = Component{Criterion{Score: f(100)}, Criterion{Score: f(100)}, Criterion{Score: f(100)}}
		}, 15},
		{"evaluasi 100", func(w *Worksheet) {
			w.EvaluasiInternal = Component{Criterion{Score: f(100)}, Criterion{Score: f(100)}, Criterion{Score: f(100)}}
		}, 25},
		{"evaluasi pemanfaatan", func(w *Worksheet) { w.EvaluasiInternal.Pemanfaatan.Score = f(100) }, 12.5},
		{"pelaporan kualitas 50", func(w *Worksheet) { w.Pelaporan.Kualitas.Score = f(50) }, 2.25},
		// 6 % x 33.33 = 1.9998 -> 2.00 (half up on the third decimal).
		{"perencanaan keberadaan 33.33", func(w *Worksheet) { w.Perencanaan.Keberadaan.Score = f(33.33) }, 2.00},
		// 4.5 % x 0.01 = 0.00045 -> 0.00.
		{"rounding down", func(w *Worksheet) { w.Pelaporan.Kualitas.Score = f(0.01) }, 0},
		// 12.5 % x 0.05 = 0.00625 -> 0.01.
		{"rounding up", func(w *Worksheet) { w.EvaluasiInternal.Pemanfaatan.Score = f(0.05) }, 0.01},
	} {
		var w Worksheet
		tc.set(&w)
		got, complete := w.Score()
		if got != tc.want || complete {
			t.Errorf("%s: score %v (complete %v), want %v", tc.name, got, complete, tc.want)
		}
	}
	// A realistic sheet: 80, 70, 60 in every component = 0.2*80 + 0.3*70 + 0.5*60 = 67 -> B.
	c := Component{Criterion{Score: f(80)}, Criterion{Score: f(70)}, Criterion{Score: f(60)}}
	w := Worksheet{Perencanaan: c, Pengukuran: c, Pelaporan: c, EvaluasiInternal: c}
	if s, ok := w.Score(); s != 67 || !ok || Grade(s) != "B" {
		t.Errorf("realistic sheet: %v %v %s", s, ok, Grade(s))
	}
	if s := w.ComponentScore(components[2]); s != 10.05 {
		t.Errorf("pelaporan share: %v, want 10.05", s)
	}
}

func TestAchievementFormulas(t *testing.T) {
	for _, tc := range []struct {
		target, real float64
		higher       bool
		want         float64
	}{
		{100, 87.5, true, 87.5},
		{40, 35, true, 87.5},
		{3, 2, true, 66.67},
		{10, 12, true, 120},
		{10, 0, true, 0},
		// Lower is better: (T - (R - T)) / T.
		{10, 10, false, 100},
		{10, 8, false, 120},
		{10, 12, false, 80},
		{5, 6.5, false, 70},
		{10, 20, false, 0},
		{10, 35, false, 0}, // floored at 0
		{20, 0, false, 200},
		// Capped at 200 %: a target set far too low cannot carry an average.
		{10, 20, true, 200},
		{10, 25, true, 200},
		{0.01, 1e12, true, 200},
	} {
		if got := Achievement(tc.target, tc.real, tc.higher); got != tc.want {
			t.Errorf("Achievement(%v, %v, %v) = %v, want %v", tc.target, tc.real, tc.higher, got, tc.want)
		}
	}
}

func TestSumReadings(t *testing.T) {
	r := sumReadings([]Reading{{Value: f(100), Numerator: 2, Denominator: 2}, {Value: f(50), Numerator: 1, Denominator: 2}, {Numerator: 0, Denominator: 0}})
	if r == nil || r.Value == nil || *r.Value != 75 || r.Numerator != 3 || r.Denominator != 4 {
		t.Fatalf("%+v", r)
	}
	if r := sumReadings([]Reading{{}}); r == nil || r.Value != nil {
		t.Fatalf("nothing measured: %+v", r)
	}
	if sumReadings(nil) != nil {
		t.Fatal("no villages: want nil")
	}
}

func TestPlaces(t *testing.T) {
	if regencyOf("14.01.01.2009") != "14.01" || regencyOf("14.01.01") != "14.01" || parentOf("14.01.01.2009") != "14.01.01" {
		t.Fatal("codes")
	}
	if quarterStart(2026, 1) != "2026-01-01" || quarterStart(2026, 4) != "2026-10-01" {
		t.Fatal("quarters")
	}
}

func TestValidate(t *testing.T) {
	if err := plugin.Validate(); err != nil {
		t.Fatal(err)
	}
}
