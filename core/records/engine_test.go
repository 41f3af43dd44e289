package records_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/balaidesa/balai/core/host"
	"github.com/balaidesa/balai/core/records"
	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

var people = &pb.Collection{
	Name: "people",
	Fields: []*pb.Field{
		{Name: "nik", Type: pb.FieldType_FIELD_TYPE_STRING, Required: true, Personal: true},
		{Name: "name", Type: pb.FieldType_FIELD_TYPE_STRING, Required: true},
		{Name: "sex", Type: pb.FieldType_FIELD_TYPE_STRING},
		{Name: "age", Type: pb.FieldType_FIELD_TYPE_INT},
		{Name: "born", Type: pb.FieldType_FIELD_TYPE_DATE},
		{Name: "alive", Type: pb.FieldType_FIELD_TYPE_BOOL},
		{Name: "extra", Type: pb.FieldType_FIELD_TYPE_JSON},
	},
	Indexes: []*pb.Index{{Fields: []string{"nik"}, Unique: true, DeploymentWide: true}, {Fields: []string{"name"}}},
}

func engine(t *testing.T, db *store.DB) *records.Engine {
	t.Helper()
	if err := db.Migrate(host.Migrations()); err != nil {
		t.Fatal(err)
	}
	e := records.NewEngine(db)
	if err := e.Register("census", []*pb.Collection{people}); err != nil {
		t.Fatal(err)
	}
	return e
}

func run(t *testing.T, e *records.Engine, tenant string, atomic bool, ops ...*pb.StorageOp) []*pb.OpResult {
	t.Helper()
	res, err := e.Run(context.Background(), "census", records.Scope{Tenant: tenant}, &pb.StorageRequest{Ops: ops, Atomic: atomic})
	if err != nil {
		t.Fatal(err)
	}
	return res.Results
}

func ins(v ...any) *pb.StorageOp {
	op := &pb.InsertOp{Collection: "people"}
	for _, x := range v {
		b, _ := json.Marshal(x)
		op.Records = append(op.Records, &pb.Record{Data: b})
	}
	return &pb.StorageOp{Op: &pb.StorageOp_Insert{Insert: op}}
}

func query(q *pb.Query) *pb.StorageOp {
	q.Collection = "people"
	return &pb.StorageOp{Op: &pb.StorageOp_Query{Query: q}}
}

func person(nik, name string, age int) map[string]any {
	return map[string]any{"nik": nik, "name": name, "age": age, "sex": "L", "born": "1990-01-02", "alive": true}
}

func TestEngineTenantIsolation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := engine(t, db)
		a := run(t, e, "14.01.01.2001", false, ins(person("1", "Ani", 30)))[0]
		if a.Error != nil {
			t.Fatal(a.Error)
		}
		id := a.Records[0].Id
		run(t, e, "14.05.01.2001", false, ins(person("2", "Budi", 40)))
		// The other village cannot see, change or delete the record.
		for name, op := range map[string]*pb.StorageOp{
			"get":    {Op: &pb.StorageOp_Get{Get: &pb.GetOp{Collection: "people", Id: id}}},
			"update": {Op: &pb.StorageOp_Update{Update: &pb.UpdateOp{Collection: "people", Id: id, Patch: []byte(`{"name":"X"}`)}}},
			"delete": {Op: &pb.StorageOp_Delete{Delete: &pb.DeleteOp{Collection: "people", Id: id}}},
		} {
			r := run(t, e, "14.05.01.2001", false, op)[0]
			if r.Error == nil || r.Error.Code != "not_found" {
				t.Errorf("%s from another tenant: %v, want not_found", name, r.Error)
			}
		}
		r := run(t, e, "14.05.01.2001", false, query(&pb.Query{Count: true}))[0]
		if r.Total != 1 || len(r.Records) != 1 || r.Records[0].Tenant != "14.05.01.2001" {
			t.Errorf("query sees %d records (total %d), want only its own", len(r.Records), r.Total)
		}
		// A district reads across its villages only with subtree.
		r = run(t, e, "14.01", false, query(&pb.Query{Count: true, Subtree: true}))[0]
		if r.Total != 1 {
			t.Errorf("district 14.01 subtree total %d, want 1", r.Total)
		}
		// Another plugin's collection does not exist for this one.
		res, err := e.Run(context.Background(), "other", records.Scope{Tenant: "14.01.01.2001"}, &pb.StorageRequest{Ops: []*pb.StorageOp{query(&pb.Query{})}})
		if err != nil || res.Results[0].Error == nil || res.Results[0].Error.Code != "plugin_error" {
			t.Errorf("other plugin reading census.people: %v %v, want plugin_error", err, res.Results[0].Error)
		}
	})
}

func TestEngineWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := engine(t, db)
		const v = "14.01.01.2001"
		tests := []struct {
			name string
			op   *pb.StorageOp
			code string
		}{
			{"missing required", ins(map[string]any{"name": "A"}), "invalid"},
			{"unknown field", ins(map[string]any{"nik": "9", "name": "A", "zzz": 1}), "plugin_error"},
			{"wrong type", ins(map[string]any{"nik": "9", "name": "A", "age": "old"}), "plugin_error"},
			{"bad date", ins(map[string]any{"nik": "9", "name": "A", "born": "02-01-1990"}), "plugin_error"},
			{"not an object", &pb.StorageOp{Op: &pb.StorageOp_Insert{Insert: &pb.InsertOp{Collection: "people", Records: []*pb.Record{{Data: []byte(`[1]`)}}}}}, "plugin_error"},
		}
		for _, tt := range tests {
			r := run(t, e, v, false, tt.op)[0]
			if r.Error == nil || r.Error.Code != tt.code {
				t.Errorf("%s: %v, want %s", tt.name, r.Error, tt.code)
			}
		}
		first := run(t, e, v, false, ins(person("100", "Citra", 20)))[0].Records[0]
		// Unique across the deployment, even from another tenant.
		r := run(t, e, "14.05.01.2001", false, ins(person("100", "Other", 1)))[0]
		if r.Error == nil || r.Error.Code != "duplicate" || r.Error.Field != "nik" {
			t.Errorf("duplicate nik: %v, want duplicate on nik", r.Error)
		}
		// Optimistic update.
		upd := func(ver int64, patch string) *pb.OpResult {
			return run(t, e, v, false, &pb.StorageOp{Op: &pb.StorageOp_Update{Update: &pb.UpdateOp{Collection: "people", Id: first.Id, ExpectVersion: ver, Patch: []byte(patch)}}})[0]
		}
		if r := upd(1, `{"age":21}`); r.Error != nil || r.Records[0].Version != 2 {
			t.Fatalf("update: %v", r)
		}
		if r := upd(1, `{"age":22}`); r.Error == nil || r.Error.Code != "conflict" {
			t.Errorf("stale update: %v, want conflict", r.Error)
		}
		if r := upd(0, `{"name":null}`); r.Error == nil || r.Error.Code != "invalid" {
			t.Errorf("clearing a required field: %v, want invalid", r.Error)
		}
		// An atomic batch with a failing op writes nothing.
		res := run(t, e, v, true, ins(person("200", "Dewi", 5)), ins(person("100", "Dup", 5)))
		if res[1].Error == nil || res[1].Error.Code != "duplicate" {
			t.Fatalf("batch: %v", res[1].Error)
		}
		if r := run(t, e, v, false, query(&pb.Query{Count: true}))[0]; r.Total != 1 {
			t.Errorf("after failed batch total = %d, want 1", r.Total)
		}
		// Bulk insert skipping duplicates reports them.
		var many []any
		for i := 0; i < 50; i++ {
			many = append(many, person(fmt.Sprint(1000+i), fmt.Sprint("P", i), i))
		}
		many = append(many, person("100", "Dup again", 1))
		op := ins(many...)
		op.GetInsert().SkipDuplicates = true
		r = run(t, e, v, false, op)[0]
		if r.Error != nil || len(r.Records) != 50 || len(r.Skipped) != 1 || r.Skipped[0] != 50 {
			t.Fatalf("bulk insert: err=%v inserted=%d skipped=%v", r.Error, len(r.Records), r.Skipped)
		}
		// Filters, sort, paging, aggregate.
		filt := func(field, op string, val any) *pb.Filter {
			b, _ := json.Marshal(val)
			return &pb.Filter{Field: field, Op: op, Value: b}
		}
		r = run(t, e, v, false, query(&pb.Query{Filters: []*pb.Filter{filt("age", ">=", 40)}, Sort: []*pb.Sort{{Field: "age", Desc: true}}, Limit: 3, Count: true}))[0]
		if r.Total != 10 || len(r.Records) != 3 {
			t.Fatalf("age>=40: total %d, page %d", r.Total, len(r.Records))
		}
		var top struct{ Age int }
		json.Unmarshal(r.Records[0].Data, &top)
		if top.Age != 49 {
			t.Errorf("sorted desc first age %d, want 49", top.Age)
		}
		r = run(t, e, v, false, query(&pb.Query{Filters: []*pb.Filter{filt("name", "like", "p1")}, Count: true}))[0]
		if r.Total != 11 { // P1, P10..P19
			t.Errorf("like p1: %d, want 11", r.Total)
		}
		r = run(t, e, v, false, query(&pb.Query{Filters: []*pb.Filter{filt("name", "like", "%")}, Count: true}))[0]
		if r.Total != 0 {
			t.Errorf("like %%: %d, want 0 (wildcards are literal)", r.Total)
		}
		agg := &pb.StorageOp{Op: &pb.StorageOp_Aggregate{Aggregate: &pb.Aggregate{Collection: "people", GroupBy: []string{"sex"}, Sum: []string{"age"}}}}
		r = run(t, e, v, false, agg)[0]
		if r.Error != nil || len(r.Groups) != 1 || r.Groups[0].Count != 51 || r.Groups[0].Sums[0] != 21+49*50/2 {
			t.Errorf("aggregate: %v %v", r.Error, r.Groups)
		}
	})
}

func TestEnsureRefusesTypeChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		engine(t, db)
		changed := &pb.Collection{Name: "people", Fields: []*pb.Field{{Name: "age", Type: pb.FieldType_FIELD_TYPE_STRING}}}
		if _, err := records.Ensure(db, "census", []*pb.Collection{changed}); err == nil {
			t.Fatal("changing a field's type was accepted")
		}
		added := &pb.Collection{Name: "people", Fields: append(append([]*pb.Field{}, people.Fields...), &pb.Field{Name: "rt", Type: pb.FieldType_FIELD_TYPE_STRING})}
		if _, err := records.Ensure(db, "census", []*pb.Collection{added}); err != nil {
			t.Fatalf("adding a field: %v", err)
		}
	})
}

func incr(id string, by int, where ...*pb.Filter) *pb.StorageOp {
	return &pb.StorageOp{Op: &pb.StorageOp_Update{Update: &pb.UpdateOp{Collection: "people", Id: id,
		Increments: []*pb.Increment{{Field: "age", By: float64(by)}}, Where: where}}}
}

// Increments under a condition are what keeps stock and counters right
// when many writers race: none may take the value below the guard.
func TestEngineGuardedIncrement(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := engine(t, db)
		const village = "14.01.01.2001"
		id := run(t, e, village, false, ins(person("1", "Stock", 10)))[0].Records[0].Id
		atLeast3 := &pb.Filter{Field: "age", Op: ">=", Value: []byte("3")}
		var got []string
		for i := 0; i < 5; i++ {
			r := run(t, e, village, true, incr(id, -3, atLeast3))[0]
			if r.Error != nil {
				got = append(got, r.Error.Code)
				continue
			}
			var d map[string]any
			json.Unmarshal(r.Records[0].Data, &d)
			got = append(got, fmt.Sprint(d["age"]))
		}
		if want := "[7 4 1 condition_failed condition_failed]"; fmt.Sprint(got) != want {
			t.Errorf("guarded decrements gave %v, want %s", got, want)
		}
		// Another tenant cannot touch it, and a wrong version is a conflict.
		if r := run(t, e, "14.05.01.2001", false, incr(id, 1))[0]; r.Error == nil || r.Error.Code != "not_found" {
			t.Errorf("increment from another tenant: %v", r.Error)
		}
		stale := incr(id, 1)
		stale.GetUpdate().ExpectVersion = 1
		if r := run(t, e, village, false, stale)[0]; r.Error == nil || r.Error.Code != "conflict" {
			t.Errorf("stale increment: %v", r.Error)
		}
		bad := incr(id, 1)
		bad.GetUpdate().Increments[0].Field = "name"
		if r := run(t, e, village, false, bad)[0]; r.Error == nil || r.Error.Code != "plugin_error" {
			t.Errorf("increment of a text field: %v", r.Error)
		}
	})
}
