package e2e

// GET /performance of services, complaints, finance and population
// through the real balai binary and plugins on SQLite and PostgreSQL: the
// measures the evaluation module reads (letters issued on time, complaints
// answered on time, budget realisation, complete population records), at a
// village and at the regency, with the counts a user relies on, a
// neighbour village refused and bad periods.

import (
	"fmt"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
)

// backdate rewrites a time field of a plugin's record in the database and
// bumps the tenant's write version as every write does (so that the
// host's kept aggregates see it): a request submitted days ago, since the
// host's clock cannot be set from outside the process.
func backdate(t *testing.T, h *Host, plugin, coll, tenant, id, field string, at time.Time) {
	t.Helper()
	db, err := store.Open(store.Options{URL: h.DBURL, DataDir: h.DataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var table string
	if err := db.Table("plugin_collections").Select("table_name").Where("plugin = ? AND collection = ?", plugin, coll).Scan(&table).Error; err != nil || table == "" {
		t.Fatalf("finding the %s table: %v", coll, err)
	}
	if err := db.Exec("UPDATE "+table+" SET f_"+field+" = ? WHERE id = ?", at.UTC().Format("2006-01-02T15:04:05.000000Z"), id).Error; err != nil {
		t.Fatalf("backdating %s: %v", field, err)
	}
	if err := db.Exec("UPDATE record_versions SET version = version + 1 WHERE tbl = ? AND tenant = ?", table, tenant).Error; err != nil {
		t.Fatalf("bumping the version: %v", err)
	}
}

// measure reads one village's value of key from a /performance answer.
func measure(t *testing.T, ans map[string]any, tenant, key string) (value any, num, den float64) {
	t.Helper()
	for _, it := range ans["items"].([]any) {
		item := it.(map[string]any)
		if item["tenant"] != tenant {
			continue
		}
		v := item["values"].(map[string]any)[key].(map[string]any)
		return v["value"], v["numerator"].(float64), v["denominator"].(float64)
	}
	t.Fatalf("no item for %s in %v", tenant, ans)
	return nil, 0, 0
}

func TestPerformance(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"population", "services", "complaints", "finance"})
		for _, m := range []string{"population", "services", "complaints", "finance"} {
			w.enable(t, "14.01", m, true)
		}
		head, _ := w.admin.CreateUser(t, "kades-a")
		w.admin.Grant(t, villageA, "kades-a", "admin")
		svc := func(tenant, path string) string { return p(tenant, "services", path) }
		wib := time.FixedZone("WIB", 7*3600)
		now := time.Now().In(wib)
		year, quarter := now.Year(), (int(now.Month())+2)/3
		period := fmt.Sprintf("?year=%d&quarter=%d", year, quarter)

		// Population: two complete records and one without an occupation.
		w.op.Do(t, "POST", p(villageA, "population", "/residents"), budi).Expect(201) // complete (e2e/services_test.go)
		full := map[string]string{"nik": "1401014508850002", "kk": "1401012001150001", "name": "Siti Aminah", "sex": "P", "birth_date": "1985-08-05",
			"birth_place": "Kampar", "relationship": "3", "religion": "1", "education": "5", "occupation": "2", "marital_status": "2"}
		w.op.Do(t, "POST", p(villageA, "population", "/residents"), full).Expect(201)
		partial := map[string]string{"nik": "1401010101100003", "kk": "1401012001150001", "name": "Andi", "sex": "L", "birth_date": "2010-01-01",
			"birth_place": "Kampar", "relationship": "4", "religion": "1", "education": "3", "marital_status": "1"}
		w.op.Do(t, "POST", p(villageA, "population", "/residents"), partial).Expect(201)
		budiID := w.op.Do(t, "GET", p(villageA, "population", "/residents?nik="+budi["nik"]), nil).Expect(200).Items()[0]["id"].(string)
		w.op.Do(t, "PATCH", p(villageA, "population", "/residents/"+budiID), map[string]string{"education": "5", "marital_status": "2"}).Expect(200)

		// Services: three letters issued today, one of them asked for ten
		// days ago: 2 of 3 within the default 1 working day (issuing keeps
		// the working days each took).
		for i := range 3 {
			id := w.op.Do(t, "POST", svc(villageA, "/requests"), letterRequest("domisili", budi["nik"], "Melamar pekerjaan", nil)).Expect(201).Str("id")
			if i == 0 {
				backdate(t, w.h, "services", "requests", villageA, id, "submitted_at", now.AddDate(0, 0, -10))
			}
			w.op.Do(t, "POST", svc(villageA, "/requests/"+id+"/approve"), nil).Expect(200)
			issued := w.op.Do(t, "POST", svc(villageA, "/requests/"+id+"/issue"), nil).Expect(200).JSON()
			if days, ok := issued["service_days"].(float64); !ok || (i == 0) != (days >= 6) {
				t.Errorf("letter %d took %v working days", i, issued["service_days"])
			}
		}
		// One more asked for and not issued: not counted.
		w.op.Do(t, "POST", svc(villageA, "/requests"), letterRequest("domisili", budi["nik"], "Menunggu", nil)).Expect(201)

		// Complaints: two answered and one rejected today (on time), one
		// open (not counted).
		for i, act := range []string{"respond", "respond", "reject", ""} {
			id := w.op.Do(t, "POST", cpl(villageA, "/complaints/counter"), complaint("infrastructure", fmt.Sprintf("Lampu jalan nomor %d di dusun mati", i), nil)).Expect(201).Str("id")
			switch act {
			case "respond":
				w.op.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/respond"), map[string]string{"answer": "Sudah diganti petugas desa."}).Expect(200)
			case "reject":
				w.op.Do(t, "POST", cpl(villageA, "/complaints/"+id+"/reject"), map[string]string{"reason": "Bukan wewenang desa, diteruskan ke PLN."}).Expect(200)
			}
		}

		// Finance: spending 1.1 billion approved, 275 million realised.
		budget := fmt.Sprintf("/budgets/%d", year)
		w.op.Do(t, "PUT", fin(villageA, budget), map[string]any{"lines": financeLines()}).Expect(200)
		head.Do(t, "POST", fin(villageA, budget+"/approve"), map[string]string{"perdes_number": "Perdes No. 1", "perdes_date": fmt.Sprintf("%d-01-05", year)}).Expect(200)
		for _, e := range []map[string]any{
			{"section": "spending", "code": "2.3.01", "account": "5.3", "amount": 250_000_000, "description": "Termin I jalan desa"},
			{"section": "spending", "code": "1.1.01", "account": "5.1.1", "amount": 25_000_000, "description": "Siltap"},
		} {
			e["date"] = now.Format(time.DateOnly)
			w.op.Do(t, "POST", fin(villageA, budget+"/realisations"), e).Expect(201)
		}

		tests := []struct {
			module, key string
			value       float64
			num, den    float64
		}{
			{"services", "letters_on_time", 66.67, 2, 3},
			{"complaints", "complaints_on_time", 100, 3, 3},
			{"finance", "budget_realisation", 25, 275_000_000, 1_100_000_000},
			{"population", "records_complete", 66.67, 2, 3},
		}
		for _, tt := range tests {
			// The village: its one item, read by its viewer.
			ans := w.viewer.Do(t, "GET", p(villageA, tt.module, "/performance"+period), nil).Expect(200).JSON()
			if v, n, d := measure(t, ans, villageA, tt.key); v != tt.value || n != tt.num || d != tt.den || ans["total"] != float64(1) {
				t.Errorf("%s at the village: %v %v/%v, total %v; want %v %v/%v", tt.module, v, n, d, ans["total"], tt.value, tt.num, tt.den)
			}
			if ans["year"] != float64(year) || ans["quarter"] != float64(quarter) || len(ans["measures"].([]any)) != 1 {
				t.Errorf("%s: %v", tt.module, ans)
			}
			// The regency: every village of Kampar, by code, the same value
			// for village A, nothing measured in village B.
			ans = w.district.Do(t, "GET", p("14.01", tt.module, "/performance"+period+"&limit=500"), nil).Expect(200).JSON()
			items := ans["items"].([]any)
			if int(ans["total"].(float64)) != len(items) || len(items) < 3 {
				t.Errorf("%s at the regency: total %v, %d items", tt.module, ans["total"], len(items))
			}
			for i := 1; i < len(items); i++ {
				if items[i-1].(map[string]any)["tenant"].(string) >= items[i].(map[string]any)["tenant"].(string) {
					t.Errorf("%s: items not in code order at %d", tt.module, i)
				}
			}
			if v, n, d := measure(t, ans, villageA, tt.key); v != tt.value || n != tt.num || d != tt.den {
				t.Errorf("%s at the regency, village A: %v %v/%v", tt.module, v, n, d)
			}
			if v, n, d := measure(t, ans, villageB, tt.key); v != nil || n != 0 || d != 0 {
				t.Errorf("%s at the regency, village B: %v %v/%v, want null 0/0", tt.module, v, n, d)
			}
			page := w.district.Do(t, "GET", p("14.01", tt.module, "/performance"+period+"&limit=1&page=2"), nil).Expect(200)
			if got := page.Items(); len(got) != 1 || got[0]["tenant"] != items[1].(map[string]any)["tenant"] || page.Total() != len(items) {
				t.Errorf("%s, second page of one: %s", tt.module, page.Body)
			}
			// The neighbour village's operator is refused; bad periods.
			w.opB.Do(t, "GET", p(villageA, tt.module, "/performance"+period), nil).ExpectErr(403, "forbidden")
			w.op.Do(t, "GET", p(villageA, tt.module, "/performance"), nil).ExpectErr(400, "invalid_year")
			w.op.Do(t, "GET", p(villageA, tt.module, "/performance?year=1999"), nil).ExpectErr(400, "invalid_year")
			w.op.Do(t, "GET", p(villageA, tt.module, "/performance?year=2026&quarter=5"), nil).ExpectErr(400, "invalid_quarter")
			w.op.Do(t, "GET", p(villageA, tt.module, "/performance?year=2026&limit=501"), nil).ExpectErr(400, "invalid_pagination")
		}

		// The regency sets a target of 15 working days: the late letter is
		// within it; the villages follow.
		w.district.Do(t, "PUT", svc("14.01", "/settings"), map[string]any{"target_days": 31}).ExpectErr(422, "invalid_target_days")
		w.district.Do(t, "PUT", svc("14.01", "/settings"), map[string]any{"target_days": 15}).Expect(200)
		ans := w.viewer.Do(t, "GET", svc(villageA, "/performance"+period), nil).Expect(200).JSON()
		if v, n, d := measure(t, ans, villageA, "letters_on_time"); v != float64(100) || n != 3 || d != 3 {
			t.Errorf("letters at 15 days: %v %v/%v", v, n, d)
		}
	})
}
