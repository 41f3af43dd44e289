package e2e

// The finance module (the village budget, APBDes) through the real balai
// binary and plugin on SQLite and PostgreSQL: a village drafts its budget,
// an unbalanced one is refused approval with the gap named, the village
// head approves it with the Perdes and it is locked, the clerk records
// realisation with evidence, the APBDes Perubahan, the reports, the
// Siskeudes import, a neighbour village refused, and the regency's
// roll-up counting only its own villages.

import (
	"bytes"
	"encoding/csv"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/storetest"
)

func fin(tenant, path string) string { return p(tenant, "finance", path) }

// financeLines is a balanced budget: income 1.25 billion and SiLPA 20
// million against spending 1.1 billion and 170 million of BUMDes capital.
func financeLines() []map[string]any {
	return []map[string]any{
		{"section": "income", "code": "4.2.1", "name": "Dana Desa", "amount": 800_000_000},
		{"section": "income", "code": "4.2.3", "name": "Alokasi Dana Desa", "amount": 400_000_000},
		{"section": "income", "code": "4.1.1", "name": "Hasil Usaha Desa", "amount": 50_000_000},
		{"section": "spending", "code": "1.1.01", "account": "5.1.1", "name": "Penghasilan tetap", "amount": 300_000_000, "source": "ADD"},
		{"section": "spending", "code": "2.3.01", "account": "5.3", "name": "Jalan desa", "amount": 600_000_000, "source": "DDS"},
		{"section": "spending", "code": "4.2.01", "name": "Pelatihan petani", "amount": 150_000_000, "source": "DDS"},
		{"section": "spending", "code": "5.1.01", "name": "Penanggulangan bencana", "amount": 50_000_000, "source": "DDS"},
		{"section": "financing", "code": "6.1.1", "name": "SiLPA", "amount": 20_000_000},
		{"section": "financing", "code": "6.2.2", "name": "Penyertaan modal BUMDes", "amount": 170_000_000},
	}
}

var perdes = map[string]string{"perdes_number": "Perdes No. 1 Tahun 2026", "perdes_date": "2026-01-05"}

// multipartPost posts fields and one file as c.
func (c *Client) multipartPost(t *testing.T, path string, fields map[string]string, fileField, fileName string, file []byte) *Resp {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if fileField != "" {
		fw, _ := mw.CreateFormFile(fileField, fileName)
		fw.Write(file)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.h.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	res, err := c.http().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return &Resp{Status: res.StatusCode, Header: res.Header, Body: data, t: t}
}

func num(m map[string]any, path ...string) float64 {
	var cur any = m
	for _, k := range path {
		mm, _ := cur.(map[string]any)
		cur = mm[k]
	}
	f, _ := cur.(float64)
	return f
}

var pdfEvidence = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

func TestFinance(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"finance"})
		w.enable(t, "14.01", "finance", true)
		w.enable(t, "14.05", "finance", true)
		head, _ := w.admin.CreateUser(t, "kades-a")
		w.admin.Grant(t, villageA, "kades-a", "admin")
		anon := w.h.Anon()

		t.Run("journey", func(t *testing.T) {
			anon.Do(t, "GET", fin(villageA, "/budgets/2026"), nil).ExpectErr(404, "budget_not_found")
			unbalanced := financeLines()
			unbalanced[7]["amount"] = 0 // no SiLPA: a deficit of 20 million
			w.op.Do(t, "PUT", fin(villageA, "/budgets/2026"), map[string]any{"lines": unbalanced}).Expect(200)
			anon.Do(t, "GET", fin(villageA, "/budgets/2026"), nil).ExpectErr(404, "budget_not_found") // a draft is not public
			if v := w.viewer.Do(t, "GET", fin(villageA, "/budgets/2026"), nil).Expect(200).JSON(); v["status"] != "draft" || num(v, "totals", "silpa") != -20_000_000 {
				t.Errorf("the draft as the viewer sees it: %v", v["totals"])
			}
			w.op.Do(t, "POST", fin(villageA, "/budgets/2026/approve"), perdes).ExpectErr(403, "forbidden")
			r := head.Do(t, "POST", fin(villageA, "/budgets/2026/approve"), perdes).ExpectErr(422, "deficit_not_covered")
			if !strings.Contains(string(r.Body), "by 20000000") {
				t.Errorf("the gap is not named: %s", r.Body)
			}
			surplus := financeLines()
			surplus[8]["amount"] = 150_000_000
			w.op.Do(t, "PUT", fin(villageA, "/budgets/2026"), map[string]any{"lines": surplus}).Expect(200)
			head.Do(t, "POST", fin(villageA, "/budgets/2026/approve"), perdes).ExpectErr(422, "surplus_not_allocated")

			w.op.Do(t, "PUT", fin(villageA, "/budgets/2026"), map[string]any{"lines": financeLines(),
				"totals": map[string]int{"income": 1_250_000_000, "spending": 1_100_000_000, "financing_receipts": 20_000_000, "financing_expenditures": 170_000_000}}).Expect(200)
			v := head.Do(t, "POST", fin(villageA, "/budgets/2026/approve"), perdes).Expect(200).JSON()
			if v["status"] != "approved" || v["perdes_number"] != "Perdes No. 1 Tahun 2026" || num(v, "totals", "silpa") != 0 {
				t.Fatalf("approved: %v", v)
			}
			w.op.Do(t, "PUT", fin(villageA, "/budgets/2026"), map[string]any{"lines": financeLines()}).ExpectErr(409, "budget_locked")
			head.Do(t, "POST", fin(villageA, "/budgets/2026/approve"), perdes).ExpectErr(409, "budget_locked")

			e := w.op.Do(t, "POST", fin(villageA, "/budgets/2026/realisations"), map[string]any{"section": "spending", "code": "2.3.01", "account": "5.3",
				"date": "2026-03-02", "amount": 250_000_000, "description": "Termin I jalan desa"}).Expect(201).JSON()
			if num(e, "line", "realised") != 250_000_000 || num(e, "line", "budget") != 600_000_000 {
				t.Errorf("entry: %v", e)
			}
			ev := w.op.multipartPost(t, fin(villageA, "/budgets/2026/realisations"), map[string]string{"section": "spending", "code": "2.3.01", "account": "5.3",
				"date": "2026-08-03", "amount": "100000000", "description": "Termin II jalan desa"}, "evidence", "kuitansi.pdf", pdfEvidence).Expect(201).JSON()
			id, _ := ev["id"].(string)
			w.op.Do(t, "POST", fin(villageA, "/budgets/2026/realisations"), map[string]any{"section": "income", "code": "4.2.1",
				"date": "2026-04-01", "amount": 400_000_000, "description": "Dana Desa tahap I"}).Expect(201)
			if r := w.viewer.Do(t, "GET", fin(villageA, "/budgets/2026/realisations/"+id+"/evidence"), nil).Expect(200); !bytes.Equal(r.Body, pdfEvidence) {
				t.Errorf("evidence: %q", r.Body)
			}
			anon.Do(t, "GET", fin(villageA, "/budgets/2026/realisations/"+id+"/evidence"), nil).Expect(401)
			if l := w.viewer.Do(t, "GET", fin(villageA, "/budgets/2026/realisations?limit=2"), nil).Expect(200); l.Total() != 3 || len(l.Items()) != 2 || l.Items()[0]["date"] != "2026-08-03" {
				t.Errorf("entries: %s", l.Body)
			}

			pub := anon.Do(t, "GET", fin(villageA, "/budgets/2026"), nil).Expect(200).JSON()
			if num(pub, "realised", "spending") != 350_000_000 || num(pub, "dana_desa", "absorption_percent") != 43.8 || num(pub, "dana_desa", "received") != 400_000_000 {
				t.Errorf("public budget: realised %v dana desa %v", pub["realised"], pub["dana_desa"])
			}
			s1 := w.viewer.Do(t, "GET", fin(villageA, "/budgets/2026/report?period=s1"), nil).Expect(200).JSON()
			if num(s1, "realised", "spending") != 250_000_000 || s1["to"] != "2026-06-30" {
				t.Errorf("semester report: %v", s1["realised"])
			}
			r = w.viewer.Do(t, "GET", fin(villageA, "/budgets/2026/report?period=year&format=csv"), nil).Expect(200)
			rows, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
			if err != nil || len(rows) != 1+9+4 || rows[0][0] != "bagian" || !strings.Contains(string(r.Body), "belanja,2.3.01,5.3,Jalan desa,DDS,600000000,350000000,250000000,58.3") {
				t.Errorf("year-end CSV (%v):\n%s", err, r.Body)
			}

			// The APBDes Perubahan: not below what was realised, then once only.
			changed := financeLines()
			changed[4]["amount"], changed[3]["amount"] = 300_000_000, 600_000_000
			w.op.Do(t, "PUT", fin(villageA, "/budgets/2026"), map[string]any{"kind": "perubahan", "lines": changed}).Expect(200)
			head.Do(t, "POST", fin(villageA, "/budgets/2026/approve"), map[string]string{"perdes_number": "Perdes No. 4 Tahun 2026", "perdes_date": "2026-08-20"}).
				ExpectErr(422, "realised_line_below_realisation")
			anon.Do(t, "GET", fin(villageA, "/budgets/2026"), nil).Expect(200) // the approved APBDes stays public meanwhile
			changed[4]["amount"], changed[3]["amount"] = 500_000_000, 400_000_000
			w.op.Do(t, "PUT", fin(villageA, "/budgets/2026"), map[string]any{"lines": changed}).Expect(200)
			v = head.Do(t, "POST", fin(villageA, "/budgets/2026/approve"), map[string]string{"perdes_number": "Perdes No. 4 Tahun 2026", "perdes_date": "2026-08-20"}).Expect(200).JSON()
			if v["kind"] != "perubahan" || len(v["versions"].([]any)) != 2 {
				t.Errorf("perubahan: %v %v", v["kind"], v["versions"])
			}
			w.op.Do(t, "PUT", fin(villageA, "/budgets/2026"), map[string]any{"kind": "perubahan", "lines": changed}).ExpectErr(409, "revision_limit")
			w.op.Do(t, "POST", fin(villageA, "/budgets/2026/realisations"), map[string]any{"section": "spending", "code": "2.3.01", "account": "5.3",
				"date": "2026-09-01", "amount": 150_000_001, "description": "Termin III"}).ExpectErr(422, "exceeds_budget")
		})

		t.Run("JSON sent as curl -d sends it", func(t *testing.T) {
			// curl's -d labels a JSON body as a form; the route reads it as
			// JSON like every other route (here refused for its amount,
			// not for a field named after the whole body).
			body := `{"section":"spending","code":"5.1.01","date":"2026-05-05","amount":999000000000,"description":"x"}`
			req, _ := http.NewRequest("POST", w.h.URL+fin(villageA, "/budgets/2026/realisations"), strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Authorization", "Bearer "+w.op.Token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			got, _ := io.ReadAll(res.Body)
			if res.StatusCode != 422 || !strings.Contains(string(got), "exceeds_budget") {
				t.Errorf("JSON labelled as a form: %d %s", res.StatusCode, got)
			}
		})

		t.Run("no overspending under concurrency", func(t *testing.T) {
			// Ten clerks pay 20 million each at once from the 50 million
			// disaster line: exactly two payments fit.
			codes := parallel(10, func(i int) int {
				body := `{"section":"spending","code":"5.1.01","date":"2026-05-05","amount":20000000,"description":"Tanggap darurat banjir"}`
				req, _ := http.NewRequest("POST", w.h.URL+fin(villageA, "/budgets/2026/realisations"), strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+w.op.Token)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					return 0
				}
				defer res.Body.Close()
				io.Copy(io.Discard, res.Body)
				return res.StatusCode
			})
			created, refused := 0, 0
			for _, c := range codes {
				switch c {
				case 201:
					created++
				case 422, 409:
					refused++
				}
			}
			if created != 2 || refused != 8 {
				t.Errorf("concurrent payments: %v, want two 201 and eight refusals", codes)
			}
			v := anon.Do(t, "GET", fin(villageA, "/budgets/2026"), nil).Expect(200).JSON()
			for _, l := range v["lines"].([]any) {
				if m := l.(map[string]any); m["code"] == "5.1.01" && num(m, "realised") != 40_000_000 {
					t.Errorf("the disaster line: %v", m)
				}
			}
		})

		t.Run("bad input", func(t *testing.T) {
			put := func(lines []map[string]any, status int, code string) {
				t.Helper()
				w.op.Do(t, "PUT", fin(villageA, "/budgets/2027"), map[string]any{"lines": lines}).ExpectErr(status, code)
			}
			edit := func(i int, k string, v any) []map[string]any {
				l := financeLines()
				if v == nil {
					delete(l[i], k)
				} else {
					l[i][k] = v
				}
				return l
			}
			put(nil, 422, "no_lines")
			put(edit(0, "section", "pendapatan"), 422, "invalid_section")
			put(edit(0, "code", "4.2.6"), 422, "invalid_code")
			put(edit(3, "code", "1.6.01"), 422, "invalid_code")
			put(edit(3, "code", "7.1.01"), 422, "invalid_code")
			put(edit(4, "account", "5.9"), 422, "invalid_account")
			put(edit(4, "source", nil), 422, "invalid_source")
			put(edit(0, "source", "DDS"), 422, "invalid_source")
			put(edit(1, "amount", -5), 422, "invalid_amount")
			put(edit(1, "amount", 1.5), 400, "invalid_field")
			put(edit(1, "name", ""), 422, "invalid_line_name")
			put(append(financeLines(), financeLines()[4]), 422, "duplicate_line")
			put(edit(1, "colour", "red"), 400, "unknown_field")
			w.op.Do(t, "PUT", fin(villageA, "/budgets/2027"), map[string]any{"lines": financeLines(), "totals": map[string]int{"income": 1}}).ExpectErr(422, "totals_mismatch")
			w.op.Do(t, "PUT", fin(villageA, "/budgets/2027"), map[string]any{"kind": "murni", "lines": financeLines()}).ExpectErr(422, "invalid_kind")
			w.op.Do(t, "PUT", fin(villageA, "/budgets/2027"), map[string]any{"kind": "perubahan", "lines": financeLines()}).ExpectErr(422, "invalid_kind")
			w.op.Do(t, "PUT", fin(villageA, "/budgets/1999"), map[string]any{"lines": financeLines()}).ExpectErr(400, "invalid_year")
			w.op.Do(t, "PUT", fin(villageA, "/budgets/20x7"), map[string]any{"lines": financeLines()}).ExpectErr(400, "invalid_year")
			head.Do(t, "POST", fin(villageA, "/budgets/2027/approve"), perdes).ExpectErr(404, "budget_not_found")
			w.op.Do(t, "PUT", fin(villageA, "/budgets/2027"), map[string]any{"lines": financeLines()}).Expect(200)
			head.Do(t, "POST", fin(villageA, "/budgets/2027/approve"), map[string]string{"perdes_number": "", "perdes_date": "2027-01-01"}).ExpectErr(422, "invalid_perdes_number")
			head.Do(t, "POST", fin(villageA, "/budgets/2027/approve"), map[string]string{"perdes_number": "1", "perdes_date": "2099-01-01"}).ExpectErr(422, "invalid_perdes_date")
			w.op.Do(t, "POST", fin(villageA, "/budgets/2027/realisations"), map[string]any{"section": "spending", "code": "2.3.01", "account": "5.3",
				"date": "2026-03-02", "amount": 1, "description": "x"}).ExpectErr(422, "date_outside_year")
			w.op.Do(t, "POST", fin(villageA, "/budgets/2027/realisations"), map[string]any{"section": "spending", "code": "2.3.01", "account": "5.3",
				"date": "2027-01-02", "amount": 1, "description": "x"}).ExpectErr(422, "date_in_future")
			entry := func(k string, v any) map[string]any {
				e := map[string]any{"section": "spending", "code": "4.2.01", "date": "2026-05-01", "amount": 1000, "description": "Konsumsi"}
				e[k] = v
				return e
			}
			w.op.Do(t, "POST", fin(villageA, "/budgets/2026/realisations"), entry("code", "4.2.02")).ExpectErr(422, "unknown_line")
			w.op.Do(t, "POST", fin(villageA, "/budgets/2026/realisations"), entry("date", "1 Mei 2026")).ExpectErr(422, "invalid_date")
			w.op.Do(t, "POST", fin(villageA, "/budgets/2026/realisations"), entry("amount", 0)).ExpectErr(422, "invalid_amount")
			w.op.Do(t, "POST", fin(villageA, "/budgets/2026/realisations"), entry("description", "")).ExpectErr(422, "invalid_description")
			w.op.Do(t, "POST", fin(villageA, "/budgets/2026/realisations"), entry("payee", "Budi")).ExpectErr(400, "unknown_field")
			w.op.multipartPost(t, fin(villageA, "/budgets/2026/realisations"), map[string]string{"section": "spending", "code": "4.2.01", "date": "2026-05-01",
				"amount": "1000", "description": "Konsumsi"}, "evidence", "virus.exe", []byte("MZ\x90\x00binary")).ExpectErr(415, "evidence_type_not_accepted")
			// A wrong entry is reversed (not deleted), once.
			wrong := w.op.Do(t, "POST", fin(villageA, "/budgets/2026/realisations"), entry("amount", 7000)).Expect(201).Str("id")
			rev := w.op.Do(t, "POST", fin(villageA, "/budgets/2026/realisations/"+wrong+"/reverse"), map[string]string{"reason": "salah baris"}).Expect(201).JSON()
			if num(rev, "amount") != -7000 || rev["reverses"] != wrong {
				t.Errorf("reversal: %v", rev)
			}
			w.op.Do(t, "POST", fin(villageA, "/budgets/2026/realisations/"+wrong+"/reverse"), map[string]string{"reason": "lagi"}).ExpectErr(409, "already_reversed")
			w.viewer.Do(t, "POST", fin(villageA, "/budgets/2026/realisations/"+wrong+"/reverse"), map[string]string{"reason": "lagi"}).ExpectErr(403, "forbidden")
			w.viewer.Do(t, "GET", fin(villageA, "/budgets/2026/report?period=s2"), nil).ExpectErr(400, "invalid_period")
			w.viewer.Do(t, "GET", fin(villageA, "/budgets/2026/report?format=pdf"), nil).ExpectErr(400, "invalid_format")
			w.viewer.Do(t, "GET", fin(villageA, "/budgets/2026/realisations/00000000-0000-0000-0000-000000000000/evidence"), nil).ExpectErr(404, "realisation_not_found")
		})

		t.Run("tenancy", func(t *testing.T) {
			w.opB.Do(t, "PUT", fin(villageA, "/budgets/2028"), map[string]any{"lines": financeLines()}).ExpectErr(403, "forbidden")
			w.opB.Do(t, "POST", fin(villageA, "/budgets/2026/realisations"), map[string]any{"section": "income", "code": "4.2.1", "date": "2026-04-01", "amount": 1, "description": "x"}).ExpectErr(403, "forbidden")
			w.opB.Do(t, "GET", fin(villageA, "/budgets/2026/realisations"), nil).ExpectErr(403, "forbidden")
			w.viewer.Do(t, "PUT", fin(villageA, "/budgets/2028"), map[string]any{"lines": financeLines()}).ExpectErr(403, "forbidden")
			w.district.Do(t, "PUT", fin("14.01", "/budgets/2028"), map[string]any{"lines": financeLines()}).ExpectErr(422, "not_a_village")
			// The regency's admin may act in a village below it.
			w.district.Do(t, "GET", fin(villageA, "/budgets/2026/realisations"), nil).Expect(200)
			w.enable(t, villageB, "finance", false)
			anon.Do(t, "GET", fin(villageB, "/budgets/2026"), nil).ExpectErr(404, "module_not_enabled")
			w.enable(t, villageB, "finance", true)
		})

		t.Run("roll-up", func(t *testing.T) {
			// Pelalawan's village has a bigger budget; Kampar's roll-up leaves it out.
			big := financeLines()
			big[0]["amount"] = 900_000_000
			big[8]["amount"] = 270_000_000
			w.pelalawanUser.Do(t, "PUT", fin(villageP, "/budgets/2026"), map[string]any{"lines": big}).Expect(200)
			w.admin.Do(t, "POST", fin(villageP, "/budgets/2026/approve"), perdes).Expect(200)
			s := anon.Do(t, "GET", fin("14.01", "/summary?year=2026&limit=500"), nil).Expect(200)
			m := s.JSON()
			if num(m, "approved") != 1 || num(m, "villages") < 200 || num(m, "income") != 1_250_000_000 || num(m, "dana_desa", "budget") != 800_000_000 ||
				num(m, "dana_desa", "spent") != 390_000_000 || num(m, "dana_desa", "absorption_percent") != 48.8 {
				t.Errorf("Kampar: %v", strings.Join([]string{string(s.Body[:min(600, len(s.Body))])}, ""))
			}
			found := false
			for _, it := range s.Items() {
				if it["village"] == villageP {
					t.Errorf("Kampar's roll-up lists Pelalawan's village")
				}
				if it["village"] == villageA {
					found = it["status"] == "perubahan" && num(it, "spending_realised") == 390_000_000 && it["district"] != ""
				}
			}
			if !found {
				t.Errorf("Kampar's roll-up lacks %s as it is", villageA)
			}
			d := anon.Do(t, "GET", fin("14.01.01", "/summary?year=2026"), nil).Expect(200).JSON()
			if num(d, "approved") != 1 || num(d, "income") != 1_250_000_000 {
				t.Errorf("the district: %v %v", d["approved"], d["income"])
			}
			if d := anon.Do(t, "GET", fin("14.01.02", "/summary?year=2026"), nil).Expect(200).JSON(); num(d, "approved") != 0 || num(d, "income") != 0 {
				t.Errorf("a district without budgets: %v", d["income"])
			}
			pl := anon.Do(t, "GET", fin("14.05", "/summary?year=2026"), nil).Expect(200).JSON()
			if num(pl, "income") != 1_350_000_000 || num(pl, "approved") != 1 {
				t.Errorf("Pelalawan: %v", pl["income"])
			}
			if page := anon.Do(t, "GET", fin("14.01", "/summary?year=2026&limit=10&page=2"), nil).Expect(200); len(page.Items()) != 10 || page.Total() < 200 {
				t.Errorf("paging: %d of %d", len(page.Items()), page.Total())
			}
			anon.Do(t, "GET", fin("14.01", "/summary?year=abc"), nil).ExpectErr(400, "invalid_year")
			// Disabled in a village: left out.
			w.enable(t, villageA, "finance", false)
			if m := anon.Do(t, "GET", fin("14.01", "/summary?year=2026"), nil).Expect(200).JSON(); num(m, "approved") != 0 || num(m, "income") != 0 {
				t.Errorf("a disabled village is counted: %v", m["income"])
			}
			w.enable(t, villageA, "finance", true)
		})

		t.Run("import", func(t *testing.T) {
			export := "Kd_Keg;Kd_Rincian;Uraian;Anggaran;SumberDana\n" +
				";4.;PENDAPATAN;1.250.000.000;\n" +
				";4.2.1.01.;Dana Desa;800.000.000;\n" +
				";4.2.3.01.;Alokasi Dana Desa;400.000.000;\n" +
				";4.1.1.01.;Hasil BUMDes;50.000.000;\n" +
				"1401.2009.01.01.01.;5.1.1.01.;Siltap kepala desa;100.000.000;ADD\n" +
				"1401.2009.01.01.01.;5.1.1.01.;Siltap perangkat;200.000.000;ADD\n" +
				"1401.2009.02.03.01.;5.3.1.01.;Jalan desa;750.000.000;DDS\n" +
				"1401.2009.09.01.01.;5.2.1.01.;Bidang salah;1000;DDS\n" +
				"1401.2009.05.01.01.;5.4.1.01.;Tanggap darurat;50.000.000;DDS\n" +
				";6.1.1.01.;SiLPA;20.000.000;\n" +
				";6.2.2.01.;Penyertaan modal;170.000.000;\n"
			r := w.opB.multipartPost(t, fin(villageB, "/budgets/2026/import"), nil, "file", "apbdes.csv", []byte(export)).Expect(200).JSON()
			rej, _ := r["rejected"].([]any)
			if num(r, "lines") != 8 || len(rej) != 1 || num(rej[0].(map[string]any), "row") != 9 || num(r, "budget", "totals", "silpa") != 0 {
				t.Fatalf("import: %v %v %v", r["lines"], r["rejected"], r["budget"].(map[string]any)["totals"])
			}
			w.opB.multipartPost(t, fin(villageB, "/budgets/2026/import"), nil, "file", "x.csv", []byte("nama,umur\nBudi,3\n")).ExpectErr(422, "invalid_import_file")
			w.opB.Do(t, "POST", fin(villageB, "/budgets/2026/import"), "Kd_Rincian,Anggaran\n4.9.9,abc\n").ExpectErr(422, "import_rows_invalid")
		})
	})
}

// TestFinanceSiskeudesImport imports the testdata export in the layout of
// Siskeudes' Ta_RABRinci table, as CSV and as a workbook, through the
// real binary and plugin: the items add up to a balanced budget that is
// approved as it is, the workbook's amounts after the change open the
// Perubahan, a line with one unreadable item row is left out whole, a
// district's database is read for the village it names, and another
// year's export is refused.
func TestFinanceSiskeudesImport(t *testing.T) {
	csvExport, err := os.ReadFile("../plugins/finance/testdata/Ta_RABRinci.csv")
	if err != nil {
		t.Fatal(err)
	}
	xlsxExport, err := os.ReadFile("../plugins/finance/testdata/Ta_RABRinci.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"finance"})
		w.enable(t, "14.01", "finance", true)
		head, _ := w.admin.CreateUser(t, "kades-a")
		w.admin.Grant(t, villageA, "kades-a", "admin")

		r := w.op.multipartPost(t, fin(villageA, "/budgets/2026/import"), nil, "file", "Ta_RABRinci.csv", csvExport).Expect(200).JSON()
		if rej, _ := r["rejected"].([]any); num(r, "lines") != 15 || len(rej) != 0 || num(r, "budget", "totals", "income") != 1_251_500_000 ||
			num(r, "budget", "totals", "spending") != 1_083_800_005 || num(r, "budget", "totals", "silpa") != 0 {
			t.Fatalf("import: lines %v rejected %v totals %v", r["lines"], r["rejected"], r["budget"].(map[string]any)["totals"])
		}
		v := head.Do(t, "POST", fin(villageA, "/budgets/2026/approve"), perdes).Expect(200).JSON()
		if num(v, "dana_desa", "budget") != 800_000_000 {
			t.Errorf("approved: %v", v["dana_desa"])
		}
		for _, l := range v["lines"].([]any) {
			if m := l.(map[string]any); m["code"] == "1.1.04" && (num(m, "amount") != 1_800_005 || m["name"] != "Belanja Barang Perlengkapan") ||
				m["code"] == "1.1.02.3" && (num(m, "amount") != 43_200_000 || m["source"] != "PBH") {
				t.Errorf("the items of one account: %v", m)
			}
		}

		// The workbook's amounts after the change open the Perubahan.
		p := w.op.multipartPost(t, fin(villageA, "/budgets/2026/import?kind=perubahan"), nil, "file", "Ta_RABRinci.xlsx", xlsxExport).Expect(200).JSON()
		if num(p, "budget", "revision") != 1 || p["budget"].(map[string]any)["kind"] != "perubahan" || num(p, "budget", "totals", "income") != 1_301_500_000 ||
			num(p, "budget", "totals", "silpa") != 0 {
			t.Errorf("perubahan: %v %v", p["budget"].(map[string]any)["kind"], p["budget"].(map[string]any)["totals"])
		}

		// One item row that is not rupiah: its line is left out whole.
		broken := strings.Replace(string(csvExport), "312499.8125,1249999.25,", "312499.8125,12.5.0,", 1)
		r = w.opB.multipartPost(t, fin(villageB, "/budgets/2026/import"), nil, "file", "Ta_RABRinci.csv", []byte(broken)).Expect(200).JSON()
		rej, _ := r["rejected"].([]any)
		if num(r, "lines") != 14 || len(rej) != 2 || rej[0].(map[string]any)["code"] != "line_incomplete" || num(rej[0].(map[string]any), "row") != 11 ||
			rej[1].(map[string]any)["code"] != "invalid_amount" || num(rej[1].(map[string]any), "row") != 12 {
			t.Errorf("broken item: lines %v rejected %v", r["lines"], r["rejected"])
		}
		for _, l := range r["budget"].(map[string]any)["lines"].([]any) {
			if l.(map[string]any)["code"] == "1.1.04" {
				t.Errorf("a line imported in part: %v", l)
			}
		}

		// A district's database: refused until the village is named.
		lines := strings.Split(strings.TrimSpace(string(csvExport)), "\n")
		district := string(csvExport) + strings.ReplaceAll(lines[1], "01.2009.", "01.2010.") + "\n"
		w.opB.multipartPost(t, fin(villageB, "/budgets/2026/import"), nil, "file", "Ta_RABRinci.csv", []byte(district)).ExpectErr(422, "invalid_import_file")
		if r := w.opB.multipartPost(t, fin(villageB, "/budgets/2026/import?kd_desa=01.2009."), nil, "file", "Ta_RABRinci.csv", []byte(district)).Expect(200).JSON(); num(r, "lines") != 15 || num(r, "skipped") != 1 {
			t.Errorf("kd_desa: lines %v skipped %v", r["lines"], r["skipped"])
		}
		// Another year's export.
		w.opB.multipartPost(t, fin(villageB, "/budgets/2027/import"), nil, "file", "Ta_RABRinci.csv", csvExport).ExpectErr(422, "invalid_import_file")
	})
}
