package main

import (
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

const sampleCSV = `nik,kk,name,sex,birth_place,birth_date,religion,education,occupation,marital_status,relationship,blood_type,address,rt,rw
1401011503800001,1401012001150001,Budi Santoso,L,Kampar,1980-03-15,1,5,9,2,1,4,Jl. Lintas Timur,001,002
1401014508850002,1401012001150001,Siti Aminah,P,Kampar,1985-08-05,1,5,2,2,3,1,Jl. Lintas Timur,001,002
1401010101100003,1401012001150001,Andi,L,Bangkinang,2010-01-01,1,2,3,1,4,,Jl. Lintas Timur,001,002
140101150380000X,1401012001150001,Broken NIK,L,Kampar,1980-03-15,1,5,9,2,4,,,001,002
1401015503800004,1401012001150001,Husband As P,P,Kampar,1980-03-15,1,5,9,2,2,,,001,002
1401011503800001,1401012001150001,Twice In File,L,Kampar,1980-03-15,1,5,9,2,4,,,001,002
1401011603800005,1401012001150001,Bad Religion,L,Kampar,1980-03-16,99,5,9,2,4,,,001,002
1401011703800006,1401012001150001,Shifted Columns,L,Kampar,1980-03-17,1,5,9,2,4,,Jl. Lintas, Timur,001,002
`

func TestImport(t *testing.T) {
	h := sdktest.New(t, &plugin)
	h.Tenant(villageA)
	h.Enable("14.01")
	op := h.User("op-a", "operator", villageA)
	var res importResult
	r := op.Do("POST", villageA, "/import", sampleCSV)
	if r.JSON(&res); r.Status != 200 || res.Inserted != 3 || res.Rejected != 5 || res.Read != 8 {
		t.Fatalf("import: %d %s", r.Status, r.Body)
	}
	reasons := map[int]string{}
	for _, rj := range res.Rejections {
		reasons[rj.Line] = rj.Reason
	}
	for line, want := range map[int]string{5: "16 digits", 6: "Suami", 7: "line 2", 8: "religion", 9: "16 fields, the header 15"} {
		if !strings.Contains(reasons[line], want) {
			t.Errorf("line %d rejected as %q, want %q", line, reasons[line], want)
		}
	}
	// Again: nothing new.
	r = op.Do("POST", villageA, "/import", sampleCSV)
	if r.JSON(&res); res.Inserted != 0 || res.Duplicates != 3 {
		t.Errorf("second import: %s", r.Body)
	}
	var list sdk.ListOf[residentView]
	op.Get(villageA, "/residents").JSON(&list)
	if list.Total != 3 {
		t.Errorf("%d residents after two imports, want 3", list.Total)
	}
	if r := op.Do("POST", villageA, "/import", "name,sex\nX,L\n"); r.ErrorCode() != "invalid_csv" {
		t.Errorf("missing columns: %s", r.Body)
	}
	// A file that is not valid CSV is refused whole, naming the line:
	// nothing of it is imported, not even the valid rows before the fault.
	good := "nik,kk,name,sex,birth_date\n1401011803800007,1401012001150003,Anwar,L,1980-03-18\n"
	for _, c := range []struct{ name, tail, where string }{
		{"unterminated quote", "1401011903800008,1401012001150003,\"Tanpa Tutup,L,1980-03-19\n1401012003800009,1401012001150003,Hilang,L,1980-03-20\n", "starting on line 3"},
		{"bare quote", "1401011903800008,1401012001150003,Ta\"mpan,L,1980-03-19\n", "line 3"},
		{"text after a quote", "1401011903800008,1401012001150003,\"Tampan\"x,L,1980-03-19\n", "line 3"},
	} {
		r := op.Do("POST", villageA, "/import", good+c.tail)
		if r.Status != 422 || r.ErrorCode() != "invalid_csv" || !strings.Contains(string(r.Body), c.where) {
			t.Errorf("%s: %d %s", c.name, r.Status, r.Body)
		}
	}
	if r := op.Get(villageA, "/residents?q=Anwar"); !strings.Contains(string(r.Body), `"total":0`) {
		t.Errorf("a refused file left residents behind: %s", r.Body)
	}
	// Statistics: public at a district, counted by sex.
	var st struct {
		Items       []statsRow
		Total, L, P int64
	}
	h.Anonymous().Get("14.01", "/stats?by=religion").JSON(&st)
	if st.Total != 3 || st.L != 2 || st.P != 1 || len(st.Items) != 1 || st.Items[0].Name != "Islam" {
		t.Errorf("religion stats: %+v", st)
	}
	h.Anonymous().Get("14.01", "/stats?by=age_group").JSON(&st)
	if len(st.Items) != 3 || st.Items[0].Key != "15-19" {
		t.Errorf("age groups: %+v", st.Items)
	}
	if r := h.Anonymous().Get(villageA, "/stats"); r.Status != 403 {
		t.Errorf("anonymous village stats: %d", r.Status)
	}
	// The bare count is public at a village (the village profile shows it).
	var n struct {
		Tenant string
		Total  int64
	}
	r = h.Anonymous().Get(villageA, "/count")
	if r.JSON(&n); r.Status != 200 || n.Total != 3 || n.Tenant != villageA {
		t.Errorf("anonymous village count: %d %s", r.Status, r.Body)
	}
	if r := op.Get(villageA, "/stats?by=height"); r.ErrorCode() != "invalid_by" {
		t.Errorf("bad by: %s", r.Body)
	}
}
