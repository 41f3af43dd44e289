package e2e

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
)

// reportNIK is a NIK of sub-district region for a birth date and sex, as
// Dukcapil composes it (DDMMYY, day + 40 for a woman, then a serial).
func reportNIK(region, birth, sex string, serial int) string {
	d, err := time.Parse(time.DateOnly, birth)
	if err != nil {
		panic(err)
	}
	day := d.Day()
	if sex == "P" {
		day += 40
	}
	return fmt.Sprintf("%s%02d%s%04d", region, day, d.Format("0106"), serial)
}

func reportPerson(region, name, sex, birth, kk, rel, mother string, serial int) map[string]string {
	return map[string]string{"nik": reportNIK(region, birth, sex, serial), "kk": kk, "name": name, "sex": sex,
		"birth_date": birth, "relationship": rel, "mother_name": mother}
}

// reportCounts is a line of the monthly report.
type reportCounts struct {
	L, P, Total int64
	KK          *int64
}

type monthlyLine struct {
	Tenant, Name                                     string
	Start, Births, Deaths, Arrivals, Departures, End reportCounts
}

func (m monthlyLine) String() string {
	return fmt.Sprintf("%s start %d/%d births %d/%d deaths %d/%d arrivals %d/%d departures %d/%d end %d/%d", m.Tenant,
		m.Start.L, m.Start.P, m.Births.L, m.Births.P, m.Deaths.L, m.Deaths.P, m.Arrivals.L, m.Arrivals.P, m.Departures.L, m.Departures.P, m.End.L, m.End.P)
}

// balanced: start + births − deaths + arrivals − departures = end, for
// men, women and both.
func (m monthlyLine) balanced() bool {
	return m.Start.L+m.Births.L-m.Deaths.L+m.Arrivals.L-m.Departures.L == m.End.L &&
		m.Start.P+m.Births.P-m.Deaths.P+m.Arrivals.P-m.Departures.P == m.End.P &&
		m.Start.Total+m.Births.Total-m.Deaths.Total+m.Arrivals.Total-m.Departures.Total == m.End.Total
}

type monthlyAnswer struct {
	Month    string        `json:"month"`
	Complete bool          `json:"complete"`
	Total    monthlyLine   `json:"total"`
	Rows     []monthlyLine `json:"rows"`
}

func decodeInto(t *testing.T, r *Resp, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decoding %s: %v", r.Body, err)
	}
}

// TestPopulationReports runs issue 11's standard reports and duplicate
// check through the real host and plugin binaries: the monthly report of
// the current month per village, district and regency, the statistics per
// region, and one person registered in two villages under two NIKs.
func TestPopulationReports(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"population"})
		w.enable(t, "14.01", "population", true)
		const (
			kkA = "1401012001150001"
			kkB = "1401022001150002"
		)
		// The register's dates are Riau's (WIB): today there.
		today := time.Now().In(time.FixedZone("WIB", 7*3600))
		date := today.Format(time.DateOnly)
		id := func(r *Resp) string { return r.Expect(201).Str("id") }
		res := func(c *Client, tenant, path string, body any) *Resp {
			return c.Do(t, "POST", p(tenant, "population", path), body)
		}

		budi := id(res(w.op, villageA, "/residents", reportPerson("140101", "Budi", "L", "1980-03-15", kkA, "1", "Aminah", 1)))
		id(res(w.op, villageA, "/residents", reportPerson("140101", "Siti Aminah", "P", "1985-08-05", kkA, "3", "Nurhayati", 2)))
		ahmad := id(res(w.op, villageA, "/residents", reportPerson("140101", "Ahmad", "L", "2000-02-02", kkA, "4", "Siti Aminah", 3)))
		id(res(w.opB, villageB, "/residents", reportPerson("140102", "Rina", "P", "1990-06-20", kkB, "1", "Halimah", 1)))
		// The same Siti, registered in B too under another NIK and typed
		// otherwise; and another Siti, born the same day to another mother.
		id(res(w.opB, villageB, "/residents", reportPerson("140102", "SITI  AMINAH", "P", "1985-08-05", kkB, "9", "NURHAYATI", 2)))
		id(res(w.opB, villageB, "/residents", reportPerson("140102", "Siti Aminah", "P", "1985-08-05", kkB, "9", "Nurhayani", 3)))

		// This month: a girl born in A, Budi (a head) dies, Ahmad moves
		// from A to B, Dedi moves into B from outside.
		id(res(w.op, villageA, "/events", map[string]any{"type": "birth", "date": date,
			"resident": reportPerson("140101", "Ani", "P", date, kkA, "4", "Siti Aminah", 4)}))
		res(w.op, villageA, "/events", map[string]any{"type": "death", "date": date, "resident_id": budi}).Expect(200)
		res(w.district, villageA, "/events", map[string]any{"type": "move", "date": date, "resident_id": ahmad, "to_tenant": villageB}).Expect(200)
		id(res(w.opB, villageB, "/events", map[string]any{"type": "move_in", "date": date, "origin": "Kota Pekanbaru",
			"resident": reportPerson("140102", "Dedi", "L", "1988-04-04", kkB, "9", "Sarah", 4)}))

		monthly := func(c *Client, tenant, query string) monthlyAnswer {
			var a monthlyAnswer
			decodeInto(t, c.Do(t, "GET", p(tenant, "population", "/reports/monthly"+query), nil).Expect(200), &a)
			return a
		}
		line := func(start, births, deaths, arrivals, departures, end [2]int64) string {
			c := func(v [2]int64) reportCounts { return reportCounts{L: v[0], P: v[1], Total: v[0] + v[1]} }
			return monthlyLine{Start: c(start), Births: c(births), Deaths: c(deaths), Arrivals: c(arrivals), Departures: c(departures), End: c(end)}.String()
		}
		// Village A: Budi, Siti and Ahmad at the start; Siti and Ani at the end.
		a := monthly(w.op, villageA, "")
		if a.Month != today.Format("2006-01") || a.Complete {
			t.Errorf("village A: month %s, complete %v", a.Month, a.Complete)
		}
		if got, want := strings.TrimPrefix(a.Total.String(), villageA), line([2]int64{2, 1}, [2]int64{0, 1}, [2]int64{1, 0}, [2]int64{}, [2]int64{1, 0}, [2]int64{0, 2}); got != want {
			t.Errorf("village A:\n got%s\nwant%s", got, want)
		}
		if a.Total.Deaths.KK == nil || *a.Total.Deaths.KK != 1 {
			t.Errorf("village A: a head of family died, deaths.kk %v", a.Total.Deaths.KK)
		}
		// Village B: Rina and the two Sitis at the start; Ahmad and Dedi arrive.
		bAns := monthly(w.opB, villageB, "")
		if got, want := strings.TrimPrefix(bAns.Total.String(), villageB), line([2]int64{0, 3}, [2]int64{}, [2]int64{}, [2]int64{2, 0}, [2]int64{}, [2]int64{2, 3}); got != want {
			t.Errorf("village B:\n got%s\nwant%s", got, want)
		}
		// Kampar, public, one row per district (each of its 21, those
		// without residents at zero), the total their sum.
		districts := w.admin.Do(t, "GET", "/api/v1/tenants?parent=14.01&limit=500", nil).Expect(200).Total()
		k := monthly(w.h.Anon(), "14.01", "?per=district")
		rowOf := map[string]monthlyLine{}
		for _, r := range k.Rows {
			if !r.balanced() || r.Name == "" {
				t.Errorf("Kampar per district: row %s (%q)", r, r.Name)
			}
			rowOf[r.Tenant] = r
		}
		if len(k.Rows) != districts || districts < 20 ||
			rowOf["14.01.01"].String() != "14.01.01"+strings.TrimPrefix(a.Total.String(), villageA) ||
			rowOf["14.01.02"].String() != "14.01.02"+strings.TrimPrefix(bAns.Total.String(), villageB) ||
			rowOf["14.01.03"].String() != "14.01.03"+line([2]int64{}, [2]int64{}, [2]int64{}, [2]int64{}, [2]int64{}, [2]int64{}) {
			t.Errorf("Kampar per district (%d districts): %v", districts, k.Rows)
		}
		if got, want := strings.TrimPrefix(k.Total.String(), "14.01"), line([2]int64{2, 4}, [2]int64{0, 1}, [2]int64{1, 0}, [2]int64{2, 0}, [2]int64{1, 0}, [2]int64{2, 5}); got != want || !k.Total.balanced() {
			t.Errorf("Kampar:\n got%s\nwant%s", got, want)
		}
		// Last month ended where this one starts.
		prev := today.AddDate(0, 0, -today.Day()).Format("2006-01")
		if last := monthly(w.h.Anon(), "14.01", "?month="+prev); !last.Complete || last.Total.End != k.Total.Start || last.Total.Start != k.Total.Start {
			t.Errorf("last month %s: %s", prev, last.Total)
		}
		// A single village's figures need a login; a month to come is refused.
		w.h.Anon().Do(t, "GET", p(villageA, "population", "/reports/monthly"), nil).ExpectErr(403, "forbidden")
		w.op.Do(t, "GET", p(villageA, "population", "/reports/monthly?month="+today.AddDate(0, 2, -today.Day()+1).Format("2006-01")), nil).ExpectErr(422, "invalid_month")
		w.op.Do(t, "GET", p(villageA, "population", "/reports/monthly?month=2026-1"), nil).ExpectErr(422, "invalid_month")

		// The statistics, per region: sex per village, blood type per
		// district, each breakdown's rows summing to the regency's 7 living,
		// 2 in village A (district 14.01.01) and 5 in B (14.01.02).
		for _, q := range []string{"?by=sex&per=village", "?by=blood_type&per=district", "?by=age_group&per=child", "?by=marital_status"} {
			var s struct {
				Total int64 `json:"total"`
				Per   string
				Rows  []struct {
					Tenant, Name string
					Total        int64
				}
			}
			decodeInto(t, w.h.Anon().Do(t, "GET", p("14.01", "population", "/stats"+q), nil).Expect(200), &s)
			var sum int64
			got := map[string]int64{}
			for _, r := range s.Rows {
				sum += r.Total
				if r.Total > 0 {
					got[r.Tenant] = r.Total
				}
				if r.Name == "" {
					t.Errorf("stats%s: row %s has no name", q, r.Tenant)
				}
			}
			want := map[string]int64{"14.01.01": 2, "14.01.02": 5}
			if s.Per == "village" {
				want = map[string]int64{villageA: 2, villageB: 5}
			}
			if s.Total != 7 || (s.Per != "" && (sum != 7 || fmt.Sprint(got) != fmt.Sprint(want))) || (s.Per == "" && s.Rows != nil) {
				t.Errorf("stats%s: total %d, per %q, rows with residents %v", q, s.Total, s.Per, got)
			}
		}
		w.h.Anon().Do(t, "GET", p("14.01", "population", "/stats?per=province"), nil).ExpectErr(400, "invalid_per")
		w.h.Anon().Do(t, "GET", p(villageA, "population", "/stats?by=blood_type"), nil).ExpectErr(403, "forbidden")
		w.viewer.Do(t, "GET", p(villageA, "population", "/stats?by=blood_type"), nil).Expect(200)

		// The duplicate check at the regency: Siti of A and Siti of B are
		// one group, across the two villages; the other Siti is not in it.
		var d struct {
			Total int
			Items []struct {
				Villages []string
				Members  []struct{ ID, Tenant, NIK, Name string }
			}
		}
		r := w.district.Do(t, "GET", p("14.01", "population", "/duplicates"), nil).Expect(200)
		decodeInto(t, r, &d)
		if d.Total != 1 || len(d.Items) != 1 || !slices.Equal(d.Items[0].Villages, []string{villageA, villageB}) || len(d.Items[0].Members) != 2 {
			t.Fatalf("duplicates: %s", r.Body)
		}
		niks := []string{d.Items[0].Members[0].NIK, d.Items[0].Members[1].NIK}
		if !slices.Equal(niks, []string{reportNIK("140101", "1985-08-05", "P", 2), reportNIK("140102", "1985-08-05", "P", 2)}) {
			t.Errorf("the regency admin sees NIKs %v", niks)
		}
		if strings.Contains(string(r.Body), "Nurhayani") || strings.Contains(string(r.Body), "dup_key") {
			t.Errorf("the answer holds another Siti or a key: %s", r.Body)
		}
		// Audited: the keys were read revealed, for the check's purpose.
		audit := w.admin.Do(t, "GET", "/api/v1/audit?action=population.personal.read&limit=500", nil).Expect(200)
		if !strings.Contains(string(audit.Body), "find residents registered twice") || strings.Contains(string(audit.Body), niks[1]) {
			t.Errorf("audit of the check: %s", audit.Body)
		}
		// Only at a district or above, for who holds the permission.
		w.district.Do(t, "GET", p(villageA, "population", "/duplicates"), nil).ExpectErr(422, "village_level")
		w.viewer.Do(t, "GET", p(villageA, "population", "/duplicates"), nil).ExpectErr(403, "forbidden")
		w.op.Do(t, "GET", p("14.01", "population", "/duplicates"), nil).ExpectErr(403, "forbidden")
		w.h.Anon().Do(t, "GET", p("14.01", "population", "/duplicates"), nil).ExpectErr(401, "unauthenticated")
		// Keys for residents stored before them: nothing to do here.
		if r := res(w.op, villageA, "/duplicates/keys", nil).Expect(200).JSON(); r["keyed"] != float64(0) {
			t.Errorf("deriving keys: %v", r)
		}
	})
}
