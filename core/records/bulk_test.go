package records_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// TestInsertManyBulk checks the bulk insert paths (json_each on SQLite,
// unnest on PostgreSQL): every type and NULL round-trips exactly, rows
// skipped as duplicates are the right ones (within the batch and against
// stored rows), and without SkipDuplicates a clash fails the whole batch.
func TestInsertManyBulk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := engine(t, db)
		const v = "14.01.01.2001"
		if r := run(t, e, v, false, ins(person("stored", "Stored", 1)))[0]; r.Error != nil {
			t.Fatal(r.Error)
		}
		var batch []any
		for i := 0; i < 2500; i++ {
			batch = append(batch, map[string]any{"nik": fmt.Sprint("n", i), "name": fmt.Sprintf("Nama %d 'kutip' \"ganda\" ñ", i),
				"age": math.MaxInt64 - int64(i), "alive": i%2 == 0, "born": "2001-02-03", "extra": map[string]any{"i": i}})
		}
		// A NULL-heavy row, a duplicate of a stored row, and one of an
		// earlier row of the same batch.
		batch = append(batch, map[string]any{"nik": "sparse", "name": "Sparse", "age": nil},
			person("stored", "Again", 2), person("n7", "Twin", 3))
		op := ins(batch...)
		op.GetInsert().SkipDuplicates = true
		r := run(t, e, v, false, op)[0]
		if r.Error != nil {
			t.Fatal(r.Error)
		}
		if len(r.Records) != 2501 || len(r.Skipped) != 2 || r.Skipped[0] != 2501 || r.Skipped[1] != 2502 {
			t.Fatalf("inserted %d, skipped %v; want 2501 and [2501 2502]", len(r.Records), r.Skipped)
		}
		get := func(nik string) map[string]any {
			t.Helper()
			val, _ := json.Marshal(nik)
			g := run(t, e, v, false, &pb.StorageOp{Op: &pb.StorageOp_Get{Get: &pb.GetOp{Collection: "people", ByField: "nik", ByValue: val}}})[0]
			if g.Error != nil {
				t.Fatalf("get %s: %v", nik, g.Error)
			}
			var m map[string]any
			dec := json.NewDecoder(bytes.NewReader(g.Records[0].Data))
			dec.UseNumber()
			if err := dec.Decode(&m); err != nil {
				t.Fatal(err)
			}
			return m
		}
		got := get("n11")
		want := map[string]any{"nik": "n11", "name": `Nama 11 'kutip' "ganda" ñ`, "age": json.Number(fmt.Sprint(int64(math.MaxInt64 - 11))),
			"alive": false, "born": "2001-02-03"}
		for k, w := range want {
			if fmt.Sprint(got[k]) != fmt.Sprint(w) {
				t.Errorf("n11 %s = %v, want %v", k, got[k], w)
			}
		}
		if fmt.Sprint(got["extra"]) != "map[i:11]" {
			t.Errorf("n11 extra = %v", got["extra"])
		}
		if got := get("n12"); got["alive"] != true {
			t.Errorf("n12 alive = %v, want true", got["alive"])
		}
		if got := get("sparse"); got["age"] != nil || got["alive"] != nil || got["born"] != nil {
			t.Errorf("sparse = %v, want no age, alive or born", got)
		}
		if got := get("stored"); got["name"] != "Stored" {
			t.Errorf("the skipped duplicate overwrote the stored row: %v", got)
		}
		// Without SkipDuplicates one clash refuses the batch, naming the field.
		r = run(t, e, v, false, ins(person("fresh", "Fresh", 1), person("n0", "Clash", 1)))[0]
		if r.Error == nil || r.Error.Code != "duplicate" || r.Error.Field != "nik" {
			t.Fatalf("clash without skip: %v, want duplicate on nik", r.Error)
		}
		if c := run(t, e, v, false, query(&pb.Query{Count: true}))[0]; c.Total != 2502 {
			t.Errorf("total %d after the refused batch, want 2502", c.Total)
		}
	})
}
