package main

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk/sdktest"
)

// wib is the time zone of Riau (14), where the villages of these tests are.
var wib = time.FixedZone("WIB", 7*3600)

// nikOf builds a NIK of sub-district region (6 digits) for a birth date
// (YYYY-MM-DD) and sex, as Dukcapil composes it: DDMMYY, day + 40 for a
// woman, then a serial.
func nikOf(region, birth, sex string, serial int) string {
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

// testRegister is the hand-made register of the report tests: two villages of
// two districts of Kampar (A in 14.01.01, B in 14.01.02), whose life
// events span September to December 2026. Ids are the residents' ids by
// first name.
type testRegister struct {
	ids map[string]string
}

const (
	kkA = "1401012001150001"
	kkB = "1401022001150002"
)

// person is a resident's body for POST /residents or an arriving event.
func person(region, name, sex, birth, kk, rel, mother string, serial int) map[string]string {
	return map[string]string{"nik": nikOf(region, birth, sex, serial), "kk": kk, "name": name, "sex": sex,
		"birth_date": birth, "relationship": rel, "mother_name": mother, "religion": "1"}
}

// buildRegister writes the register, moving clock through the months:
//
//	September (10th): A registers Budi (L, head) and Siti (P, wife); B
//	  registers Rina (P, head) and Joko (L). A records the birth of Ani (P).
//	October (15th): Budi dies in A (a head: one KK); Siti moves from A to
//	  B; Dedi (L) moves into B from outside; B records the birth of Bayu
//	  (L), born on September 28th (recorded in October: October's).
//	November (3rd): Joko moves out of B; A registers Wati (P): entered
//	  by a clerk, not an arrival.
//	December 1st, 01:00 WIB (still November 30th in UTC): Rina dies in B.
func buildRegister(t *testing.T, h *sdktest.Host, clock *sdktest.Clock) *testRegister {
	t.Helper()
	h.Tenant(villageA)
	h.Tenant(villageB)
	h.Enable("14.01")
	kab := h.User("kab-admin", "admin", "14.01")
	reg := &testRegister{ids: map[string]string{}}
	post := func(tenant, path string, body any) map[string]any {
		t.Helper()
		res := kab.Post(tenant, path, body)
		if res.Status != http.StatusCreated && res.Status != http.StatusOK {
			t.Fatalf("POST %s%s %v: %d %s", tenant, path, body, res.Status, res.Body)
		}
		var v map[string]any
		res.JSON(&v)
		return v
	}
	add := func(tenant string, body map[string]string) {
		reg.ids[body["name"]] = post(tenant, "/residents", body)["id"].(string)
	}
	event := func(tenant string, body map[string]any) {
		v := post(tenant, "/events", body)
		if r, ok := body["resident"].(map[string]string); ok {
			reg.ids[r["name"]] = v["id"].(string)
		}
	}
	clock.Set(time.Date(2026, 9, 10, 10, 0, 0, 0, wib))
	add(villageA, person("140101", "Budi", "L", "1980-03-15", kkA, "1", "Aminah", 1))
	add(villageA, person("140101", "Siti", "P", "1985-08-05", kkA, "3", "Nurhayati", 2))
	add(villageB, person("140102", "Rina", "P", "1990-06-20", kkB, "1", "Halimah", 1))
	add(villageB, person("140102", "Joko", "L", "1992-01-02", kkB, "9", "Halimah", 2))
	event(villageA, map[string]any{"type": "birth", "date": "2026-09-05", "resident": person("140101", "Ani", "P", "2026-09-05", kkA, "4", "Siti", 3)})

	clock.Set(time.Date(2026, 10, 15, 10, 0, 0, 0, wib))
	event(villageA, map[string]any{"type": "death", "date": "2026-10-14", "resident_id": reg.ids["Budi"]})
	event(villageA, map[string]any{"type": "move", "date": "2026-10-14", "resident_id": reg.ids["Siti"], "to_tenant": villageB})
	event(villageB, map[string]any{"type": "move_in", "date": "2026-10-12", "origin": "Kota Pekanbaru", "resident": person("140102", "Dedi", "L", "1988-04-04", kkB, "9", "Sarah", 3)})
	event(villageB, map[string]any{"type": "birth", "date": "2026-09-28", "resident": person("140102", "Bayu", "L", "2026-09-28", kkB, "4", "Rina", 4)})

	clock.Set(time.Date(2026, 11, 3, 10, 0, 0, 0, wib))
	event(villageB, map[string]any{"type": "move_out", "date": "2026-11-02", "place": "Kota Dumai", "resident_id": reg.ids["Joko"]})
	add(villageA, person("140101", "Wati", "P", "1999-12-12", kkA, "9", "Maryam", 4))

	// The village's date, not the server's: already December in Riau.
	clock.Set(time.Date(2026, 11, 30, 18, 0, 0, 0, time.UTC))
	event(villageB, map[string]any{"type": "death", "date": "2026-12-01", "resident_id": reg.ids["Rina"]})
	return reg
}

func TestMonthlyReport(t *testing.T) {
	clock := sdktest.NewClock(time.Now())
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) { testMonthlyReport(t, h, clock) }, sdktest.WithClock(clock.Now))
}

// lp is a tally of l men and p women (kk heads of family among them, for
// the lines of events).
func lp(l, p int64, kk ...int64) tally {
	t := tally{L: l, P: p, Total: l + p}
	if len(kk) > 0 {
		t.KK = &kk[0]
	}
	return t
}

func testMonthlyReport(t *testing.T, h *sdktest.Host, clock *sdktest.Clock) {
	buildRegister(t, h, clock)
	anon := h.Anonymous()
	op := h.User("op-a", "operator", villageA)
	kabViewer := h.User("kab-viewer", "viewer", "14.01") // reads every village of Kampar
	const (
		districtA = "14.01.01"
		districtB = "14.01.02"
	)
	type report struct {
		Tenant   string       `json:"tenant"`
		Month    string       `json:"month"`
		From     string       `json:"from"`
		To       string       `json:"to"`
		Complete bool         `json:"complete"`
		Per      string       `json:"per"`
		Total    monthlyRow   `json:"total"`
		Rows     []monthlyRow `json:"rows"`
	}
	get := func(c *sdktest.Client, tenant, query string) report {
		t.Helper()
		res := c.Get(tenant, "/reports/monthly"+query)
		if res.Status != http.StatusOK {
			t.Fatalf("GET %s/reports/monthly%s: %d %s", tenant, query, res.Status, res.Body)
		}
		var r report
		res.JSON(&r)
		return r
	}
	// Each village's months, as worked out by hand from buildRegister.
	// Wati, entered by a clerk in November, counts in every start: she
	// lived there; the register learnt of her late.
	want := []struct {
		tenant, month string
		row           monthlyRow
	}{
		{villageA, "2026-09", monthlyRow{Start: lp(1, 2), Births: lp(0, 1, 0), Deaths: lp(0, 0, 0), Arrivals: lp(0, 0, 0), Departures: lp(0, 0, 0), End: lp(1, 3)}},
		{villageA, "2026-10", monthlyRow{Start: lp(1, 3), Births: lp(0, 0, 0), Deaths: lp(1, 0, 1), Arrivals: lp(0, 0, 0), Departures: lp(0, 1, 0), End: lp(0, 2)}},
		{villageA, "2026-11", monthlyRow{Start: lp(0, 2), Births: lp(0, 0, 0), Deaths: lp(0, 0, 0), Arrivals: lp(0, 0, 0), Departures: lp(0, 0, 0), End: lp(0, 2)}},
		{villageB, "2026-09", monthlyRow{Start: lp(1, 1), Births: lp(0, 0, 0), Deaths: lp(0, 0, 0), Arrivals: lp(0, 0, 0), Departures: lp(0, 0, 0), End: lp(1, 1)}},
		// Bayu was born in September and recorded in October: October's.
		{villageB, "2026-10", monthlyRow{Start: lp(1, 1), Births: lp(1, 0, 0), Deaths: lp(0, 0, 0), Arrivals: lp(1, 1, 0), Departures: lp(0, 0, 0), End: lp(3, 2)}},
		{villageB, "2026-11", monthlyRow{Start: lp(3, 2), Births: lp(0, 0, 0), Deaths: lp(0, 0, 0), Arrivals: lp(0, 0, 0), Departures: lp(1, 0, 0), End: lp(2, 2)}},
		// Rina died on December 1st at 01:00 WIB: December's, though the
		// server's clock still said November 30th.
		{villageB, "2026-12", monthlyRow{Start: lp(2, 2), Births: lp(0, 0, 0), Deaths: lp(0, 1, 1), Arrivals: lp(0, 0, 0), Departures: lp(0, 0, 0), End: lp(2, 1)}},
	}
	for _, w := range want {
		got := get(kabViewer, w.tenant, "?month="+w.month)
		w.row.Tenant = w.tenant
		w.row.Level = "village"
		if !sameRow(got.Total, w.row) {
			t.Errorf("%s %s:\n got %+v\nwant %+v", w.tenant, w.month, dump(got.Total), dump(w.row))
		}
		checkBalance(t, w.tenant+" "+w.month, got.Total)
		if got.Complete != (w.month < "2026-12") || got.Month != w.month || got.From != w.month+"-01" {
			t.Errorf("%s %s: month %s from %s to %s complete %v", w.tenant, w.month, got.Month, got.From, got.To, got.Complete)
		}
	}
	// October at the regency, per district and per village: each row is
	// its village's, the total their sum.
	for _, per := range []string{"district", "child", "village"} {
		got := get(anon, "14.01", "?month=2026-10&per="+per)
		if len(got.Rows) != 2 {
			t.Fatalf("per=%s: %d rows: %+v", per, len(got.Rows), got.Rows)
		}
		wantCodes := []string{districtA, districtB}
		if per == "village" {
			wantCodes = []string{villageA, villageB}
		}
		for i, row := range got.Rows {
			if row.Tenant != wantCodes[i] || row.Name == "" {
				t.Errorf("per=%s row %d is %s %q", per, i, row.Tenant, row.Name)
			}
			checkBalance(t, "per="+per+" "+row.Tenant, row)
		}
		a, b := want[1].row, want[4].row
		if !sameRow(got.Rows[0], withTenant(a, got.Rows[0])) || !sameRow(got.Rows[1], withTenant(b, got.Rows[1])) {
			t.Errorf("per=%s rows:\n%+v\n%+v", per, dump(got.Rows[0]), dump(got.Rows[1]))
		}
		total := monthlyRow{Tenant: "14.01", Level: "regency", Start: lp(2, 4), Births: lp(1, 0, 0), Deaths: lp(1, 0, 1), Arrivals: lp(1, 1, 0), Departures: lp(0, 1, 0), End: lp(3, 4)}
		if !sameRow(got.Total, total) {
			t.Errorf("per=%s total:\n got %+v\nwant %+v", per, dump(got.Total), dump(total))
		}
	}
	// A district is its villages' sum; with no breakdown, no rows.
	if got := get(anon, districtB, "?month=2026-11"); !sameRow(got.Total, withTenant(want[5].row, monthlyRow{Tenant: districtB, Level: "district"})) || got.Rows != nil {
		t.Errorf("district B in November: %+v rows %v", dump(got.Total), got.Rows)
	}
	// Without ?month=, the current month so far (the village's December).
	if got := get(kabViewer, villageB, ""); got.Month != "2026-12" || got.Complete || got.To != "2026-12-31" {
		t.Errorf("current month: %s complete %v to %s", got.Month, got.Complete, got.To)
	}
	// Refusals.
	for _, c := range []struct {
		name   string
		client *sdktest.Client
		tenant string
		query  string
		status int
		code   string
	}{
		{"not a month", op, villageA, "?month=2026-13", 422, "invalid_month"},
		{"a date, not a month", op, villageA, "?month=2026-10-01", 422, "invalid_month"},
		{"a month to come", op, villageA, "?month=2027-01", 422, "invalid_month"},
		{"per at a village", op, villageA, "?per=village", 400, "invalid_per"},
		{"per above the tenant", anon, districtA, "?per=regency", 400, "invalid_per"},
		{"per not a level", anon, "14.01", "?per=dusun", 400, "invalid_per"},
		{"a village to the public", anon, villageA, "?month=2026-10", 403, "forbidden"},
		{"the neighbour village", op, villageB, "?month=2026-10", 403, "forbidden"},
	} {
		res := c.client.Get(c.tenant, "/reports/monthly"+c.query)
		if res.Status != c.status || string(res.ErrorCode()) != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.name, res.Status, res.Body, c.status, c.code)
		}
	}
}

// checkBalance asserts the report's identity for L, P and the total.
func checkBalance(t *testing.T, name string, r monthlyRow) {
	t.Helper()
	for _, f := range []func(tally) int64{func(t tally) int64 { return t.L }, func(t tally) int64 { return t.P }, func(t tally) int64 { return t.Total }} {
		if f(r.Start)+f(r.Births)-f(r.Deaths)+f(r.Arrivals)-f(r.Departures) != f(r.End) {
			t.Errorf("%s does not balance: %+v", name, dump(r))
		}
	}
	if r.End.L+r.End.P != r.End.Total || r.Start.L+r.Start.P != r.Start.Total {
		t.Errorf("%s: L + P is not the total: %+v", name, dump(r))
	}
}

func withTenant(r, like monthlyRow) monthlyRow {
	r.Tenant, r.Level = like.Tenant, like.Level
	return r
}

func sameRow(a, b monthlyRow) bool { return dump(a) == dump(b) }

// dump prints a row with the values behind its pointers.
func dump(r monthlyRow) string {
	s := func(t tally) string {
		kk := "-"
		if t.KK != nil {
			kk = fmt.Sprint(*t.KK)
		}
		return fmt.Sprintf("%d/%d/%d kk %s", t.L, t.P, t.Total, kk)
	}
	return fmt.Sprintf("%s %s start %s births %s deaths %s arrivals %s departures %s end %s",
		r.Tenant, r.Level, s(r.Start), s(r.Births), s(r.Deaths), s(r.Arrivals), s(r.Departures), s(r.End))
}
