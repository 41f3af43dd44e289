package main

// The arithmetic of the module: an indicator's achievement percent, the
// worksheet's weighted score and its grade. Pure functions, tested
// boundary by boundary in grade_test.go.

import (
	"math"
)

// Criterion is one scored sub-component of the worksheet: Score is 0 to
// 100 (the share of the sub-component's criteria the unit meets, at most
// 2 decimals; nil while the evaluator has not scored it), Evidence names
// the documents examined (Renstra, RKT, Perjanjian Kinerja, LKjIP, ...),
// Note the evaluator's finding.
type Criterion struct {
	Score    *float64 `json:"score,omitempty" range:"invalid_score"`
	Evidence string   `json:"evidence,omitempty"`
	Note     string   `json:"note,omitempty"`
}

// Component is one component of the worksheet, in the three
// sub-components PermenPAN-RB 88/2021 (Lampiran, "Komponen dan Bobot
// Penilaian") gives each: keberadaan (the documents exist, 20 % of the
// component), kualitas (their quality, 30 %) and pemanfaatan (they are
// used, 50 %).
type Component struct {
	Keberadaan  Criterion `json:"keberadaan"`
	Kualitas    Criterion `json:"kualitas"`
	Pemanfaatan Criterion `json:"pemanfaatan"`
}

// Worksheet is the evaluation worksheet (Lembar Kerja Evaluasi) of a unit
// and year, the body of PUT /evaluations/{year}/{unit}: the four
// components of PermenPAN-RB 88/2021, the recommendations sent back to
// the unit (at most 20) and a summary.
type Worksheet struct {
	Perencanaan      Component `json:"perencanaan"`
	Pengukuran       Component `json:"pengukuran"`
	Pelaporan        Component `json:"pelaporan"`
	EvaluasiInternal Component `json:"evaluasi_internal"`
	Recommendations  []string  `json:"recommendations,omitempty"`
	Summary          string    `json:"summary,omitempty"`
}

// componentDef describes a component: its key, names and weight in
// tenths of a percent of the whole (300 = 30 %).
type componentDef struct {
	Key, Name, NameEN string
	Weight            int
	get               func(*Worksheet) *Component
}

// components are PermenPAN-RB 88/2021's: perencanaan kinerja 30 %,
// pengukuran kinerja 30 %, pelaporan kinerja 15 %, evaluasi akuntabilitas
// kinerja internal 25 %.
var components = []componentDef{
	{"perencanaan", "Perencanaan Kinerja", "Performance planning", 300, func(w *Worksheet) *Component { return &w.Perencanaan }},
	{"pengukuran", "Pengukuran Kinerja", "Performance measurement", 300, func(w *Worksheet) *Component { return &w.Pengukuran }},
	{"pelaporan", "Pelaporan Kinerja", "Performance reporting", 150, func(w *Worksheet) *Component { return &w.Pelaporan }},
	{"evaluasi_internal", "Evaluasi Akuntabilitas Kinerja Internal", "Internal performance accountability evaluation", 250, func(w *Worksheet) *Component { return &w.EvaluasiInternal }},
}

// subDef is a sub-component and its share of its component, in percent.
type subDef struct {
	Key, Name, NameEN string
	Share             int
	get               func(*Component) *Criterion
}

var subs = []subDef{
	{"keberadaan", "Keberadaan", "Existence", 20, func(c *Component) *Criterion { return &c.Keberadaan }},
	{"kualitas", "Kualitas", "Quality", 30, func(c *Component) *Criterion { return &c.Kualitas }},
	{"pemanfaatan", "Pemanfaatan", "Use", 50, func(c *Component) *Criterion { return &c.Pemanfaatan }},
}

// subWeight is a sub-component's weight in thousandths of the whole
// score: perencanaan's kualitas is 30 % of 30 % = 9 % = 90.
func subWeight(c componentDef, s subDef) int64 { return int64(c.Weight) * int64(s.Share) / 100 }

// hundredths is a 0..100 score in whole hundredths, exactly (the input has
// at most 2 decimals, checked before).
func hundredths(v float64) int64 { return int64(math.Round(v * 100)) }

// weighted is the sum of the scored sub-components' weight x score, in
// thousandths x hundredths, and whether every sub-component is scored.
func weighted(w *Worksheet, only *componentDef) (sum int64, complete bool) {
	complete = true
	for _, c := range components {
		if only != nil && c.Key != only.Key {
			continue
		}
		comp := c.get(w)
		for _, s := range subs {
			cr := s.get(comp)
			if cr.Score == nil {
				complete = false
				continue
			}
			sum += subWeight(c, s) * hundredths(*cr.Score)
		}
	}
	return sum, complete
}

// round2 divides a sum of weight (thousandths) x score (hundredths) back
// to a score with 2 decimals, rounding half up, in integers so that 90.00
// is never 89.99999.
func round2(sum int64) float64 { return float64((sum+500)/1000) / 100 }

// Score is the worksheet's weighted score, 0 to 100 with 2 decimals, and
// whether all twelve sub-components are scored (a draft's partial score
// counts the unscored ones as 0).
func (w *Worksheet) Score() (float64, bool) {
	sum, complete := weighted(w, nil)
	return round2(sum), complete
}

// ComponentScore is a component's share of the score (at most its
// weight: 30, 30, 15, 25).
func (w *Worksheet) ComponentScore(c componentDef) float64 {
	sum, _ := weighted(w, &c)
	return round2(sum)
}

// grades are PermenPAN-RB 88/2021's, from the top: a score above the
// bound gets the grade, so exactly 90.00 is A and 90.01 AA.
var grades = []struct {
	Grade string
	Above int64 // hundredths
	Name  string
}{
	{"AA", 9000, "Sangat Memuaskan"},
	{"A", 8000, "Memuaskan"},
	{"BB", 7000, "Sangat Baik"},
	{"B", 6000, "Baik"},
	{"CC", 5000, "Cukup"},
	{"C", 3000, "Kurang"},
	{"D", -1, "Sangat Kurang"},
}

// gradeCodes lists the grades best first.
func gradeCodes() []string {
	out := make([]string, len(grades))
	for i, g := range grades {
		out[i] = g.Grade
	}
	return out
}

// Grade is the grade of a score (0..100, 2 decimals).
func Grade(score float64) string {
	h := hundredths(score)
	for _, g := range grades {
		if h > g.Above {
			return g.Grade
		}
	}
	return "D"
}

// gradeName is the grade's predicate (predikat) in Bahasa Indonesia.
func gradeName(grade string) string {
	for _, g := range grades {
		if g.Grade == grade {
			return g.Name
		}
	}
	return ""
}

// Achievement is an indicator's achievement percent (capaian kinerja),
// with 2 decimals, as the LKjIP of regional governments compute it
// (Pedoman Penyusunan Pelaporan Akuntabilitas Kinerja Instansi
// Pemerintah, Keputusan Kepala LAN 239/IX/6/8/2003, used in every LKjIP
// since):
//
//   - higher is better: realisation / target x 100;
//   - lower is better (a higher realisation means worse performance:
//     stunting cases, days to issue a letter):
//     (target - (realisation - target)) / target x 100, so meeting the
//     target exactly is 100 % and every unit above it costs as much as a
//     unit below it gains. PermenPAN-RB 6/2022 writes the same formula as
//     (1 + (1 - realisation/target)) x 100 %. A realisation of twice the
//     target or more would be 0 % or negative: it is floored at 0.
//
// Either way the percent is at most MaxAchievement (200 %, what a
// lower-is-better indicator reaches at a realisation of 0): one target
// set far too low (0.01 against a realisation of 1e12) would otherwise
// carry a unit's average achievement in the regency's table.
//
// target must be above 0 (checked when the indicator is made).
func Achievement(target, realisation float64, higherIsBetter bool) float64 {
	var p float64
	if higherIsBetter {
		p = realisation / target * 100
	} else {
		p = (target - (realisation - target)) / target * 100
	}
	p = min(max(p, 0), MaxAchievement)
	return math.Round(p*100) / 100
}

// MaxAchievement is the highest achievement percent Achievement gives.
const MaxAchievement = 200.0

// twoDecimals says whether v has at most 2 decimals.
func twoDecimals(v float64) bool {
	return math.Abs(v*100-math.Round(v*100)) < 1e-6
}
