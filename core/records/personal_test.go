package records_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/modules"
	"github.com/balaidesa/balai/core/records"
	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/core/tenancy"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

func TestMask(t *testing.T) {
	tests := []struct {
		name string
		t    pb.FieldType
		v    any
		want any
	}{
		{"a NIK keeps 4 and 2", pb.FieldType_FIELD_TYPE_STRING, "1401012009900001", "1401**********01"},
		{"a long name keeps 4 and 2", pb.FieldType_FIELD_TYPE_STRING, "Siti Nurhaliza Aminah", "Siti***************ah"},
		{"a shorter string shows less", pb.FieldType_FIELD_TYPE_STRING, "Siti Aminah", "Si********h"},
		{"8 characters show 2 and 1", pb.FieldType_FIELD_TYPE_STRING, "Rahmawat", "Ra*****t"},
		{"under 8 characters all hidden", pb.FieldType_FIELD_TYPE_STRING, "Rahmawa", "*******"},
		{"a short name all hidden", pb.FieldType_FIELD_TYPE_STRING, "Budi", "****"},
		{"characters, not bytes", pb.FieldType_FIELD_TYPE_STRING, "Ñoño Pérez Núñez", "Ñoño**********ez"},
		{"empty stays empty", pb.FieldType_FIELD_TYPE_STRING, "", ""},
		{"a date keeps its year", pb.FieldType_FIELD_TYPE_DATE, "1990-01-02", "1990-**-**"},
		{"a malformed date all hidden", pb.FieldType_FIELD_TYPE_DATE, "1990", "****"},
		{"an int becomes null", pb.FieldType_FIELD_TYPE_INT, int64(42), nil},
		{"a float becomes null", pb.FieldType_FIELD_TYPE_FLOAT, 3.5, nil},
		{"a bool becomes null", pb.FieldType_FIELD_TYPE_BOOL, true, nil},
		{"a time becomes null", pb.FieldType_FIELD_TYPE_TIME, "2026-11-30T08:00:00Z", nil},
		{"an object becomes null", pb.FieldType_FIELD_TYPE_JSON, json.RawMessage(`{"a":1}`), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := records.Mask(tt.t, tt.v)
			if got != tt.want {
				t.Errorf("Mask(%v) = %#v, want %#v", tt.v, got, tt.want)
			}
			if s, ok := got.(string); ok && tt.t == pb.FieldType_FIELD_TYPE_STRING {
				n := len([]rune(s))
				if hidden := strings.Count(s, "*"); n > 0 && hidden*8 < n*5 {
					t.Errorf("Mask(%v) hides %d of %d characters, want at least 5/8", tt.v, hidden, n)
				}
			}
		})
	}
}

// patients has a personal field of every type, and one that is not.
var patients = &pb.Collection{
	Name: "patients",
	Fields: []*pb.Field{
		{Name: "nik", Type: pb.FieldType_FIELD_TYPE_STRING, Required: true, Personal: true},
		{Name: "name", Type: pb.FieldType_FIELD_TYPE_STRING, Required: true},
		{Name: "born", Type: pb.FieldType_FIELD_TYPE_DATE, Personal: true},
		{Name: "weight", Type: pb.FieldType_FIELD_TYPE_FLOAT, Personal: true},
		{Name: "visits", Type: pb.FieldType_FIELD_TYPE_INT, Personal: true},
		{Name: "pregnant", Type: pb.FieldType_FIELD_TYPE_BOOL, Personal: true},
		{Name: "seen", Type: pb.FieldType_FIELD_TYPE_TIME, Personal: true},
		{Name: "notes", Type: pb.FieldType_FIELD_TYPE_JSON, Personal: true},
		{Name: "village", Type: pb.FieldType_FIELD_TYPE_STRING},
	},
	Indexes:            []*pb.Index{{Fields: []string{"nik"}, Unique: true}},
	PersonalPermission: "clinic.patients.read_personal",
}

func patientOp(op any) *pb.StorageOp {
	switch o := op.(type) {
	case *pb.GetOp:
		o.Collection = "patients"
		return &pb.StorageOp{Op: &pb.StorageOp_Get{Get: o}}
	case *pb.Query:
		o.Collection = "patients"
		return &pb.StorageOp{Op: &pb.StorageOp_Query{Query: o}}
	case *pb.UpdateOp:
		o.Collection = "patients"
		return &pb.StorageOp{Op: &pb.StorageOp_Update{Update: o}}
	case *pb.Aggregate:
		o.Collection = "patients"
		return &pb.StorageOp{Op: &pb.StorageOp_Aggregate{Aggregate: o}}
	case *pb.InsertOp:
		o.Collection = "patients"
		return &pb.StorageOp{Op: &pb.StorageOp_Insert{Insert: o}}
	}
	panic("unknown op")
}

func jsonOf(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// A caller without the collection's personal permission reads every
// personal field masked, though filters, sorts, unique lookups and
// aggregates still work on the real values; one with it reads them in full
// and each operation that shows them is recorded once; an event delivery
// (no Holds) reads them in full, unrecorded.
func TestEnginePersonalFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := engine(t, db)
		if err := e.Register("clinic", []*pb.Collection{patients}); err != nil {
			t.Fatal(err)
		}
		const village = "14.01.01.2001"
		var reads []records.PersonalRead
		scope := func(holds bool) records.Scope {
			return records.Scope{Tenant: village,
				Holds: func(perm string) bool { return holds && perm == patients.PersonalPermission },
				PersonalRead: func(tx *gorm.DB, r records.PersonalRead) error {
					reads = append(reads, r)
					return nil
				}}
		}
		do := func(s records.Scope, ops ...*pb.StorageOp) []*pb.OpResult {
			t.Helper()
			res, err := e.Run(context.Background(), "clinic", s, &pb.StorageRequest{Ops: ops, Atomic: len(ops) > 1})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res.Results {
				if r.Error != nil {
					t.Fatalf("%s: %s", r.Error.Code, r.Error.Message)
				}
			}
			return res.Results
		}
		full := map[string]any{"nik": "1401012009900001", "name": "Siti Aminah", "born": "1990-01-02", "weight": 54.5,
			"visits": 3, "pregnant": true, "seen": "2026-11-30T08:00:00Z", "notes": map[string]any{"gravida": 2}, "village": "Kumantan"}
		ins := do(scope(false), patientOp(&pb.InsertOp{Records: []*pb.Record{{Data: jsonOf(full)}, {Data: jsonOf(map[string]any{"nik": "1401012009900002", "name": "Budi"})}}}))[0]
		if len(reads) != 0 {
			t.Errorf("an insert was recorded as a read: %v", reads)
		}
		siti, budi := ins.Records[0].Id, ins.Records[1].Id
		masked := map[string]any{"nik": "1401**********01", "name": "Siti Aminah", "born": "1990-**-**", "weight": nil,
			"visits": nil, "pregnant": nil, "seen": nil, "notes": nil, "village": "Kumantan"}
		shown := map[string]any{"nik": "1401012009900001", "name": "Siti Aminah", "born": "1990-01-02", "weight": 54.5,
			"visits": float64(3), "pregnant": true, "seen": "2026-11-30T08:00:00Z", "notes": map[string]any{"gravida": float64(2)}, "village": "Kumantan"}
		allPersonal := []string{"born", "nik", "notes", "pregnant", "seen", "visits", "weight"}
		nikIs := &pb.Filter{Field: "nik", Op: "=", Value: jsonOf("1401012009900001")}
		byNIK := &pb.GetOp{ByField: "nik", ByValue: jsonOf("1401012009900001")}
		tests := []struct {
			name  string
			scope records.Scope
			op    *pb.StorageOp
			want  map[string]any // Siti as the caller sees her
			reads []records.PersonalRead
		}{
			{"masked get", scope(false), patientOp(&pb.GetOp{Id: siti}), masked, nil},
			{"masked get by the real NIK", scope(false), patientOp(byNIK), masked, nil},
			{"masked query filtered by the real NIK", scope(false), patientOp(&pb.Query{Filters: []*pb.Filter{nikIs}}), masked, nil},
			{"masked update result", scope(false), patientOp(&pb.UpdateOp{Id: siti, Patch: jsonOf(map[string]any{"village": "Kumantan"})}), masked, nil},
			{"full get, recorded", scope(true), patientOp(&pb.GetOp{Id: siti}), shown,
				[]records.PersonalRead{{Collection: "patients", Records: []string{siti}, Fields: allPersonal}}},
			{"full query, recorded once with both records", scope(true), patientOp(&pb.Query{Sort: []*pb.Sort{{Field: "nik", Desc: true}}}), shown,
				[]records.PersonalRead{{Collection: "patients", Records: []string{budi, siti}, Fields: allPersonal}}}, // sorted by the real NIK
			{"full query by the real NIK, recorded with the field searched", scope(true), patientOp(&pb.Query{Filters: []*pb.Filter{nikIs}}), shown,
				[]records.PersonalRead{{Collection: "patients", Records: []string{siti}, Fields: allPersonal, Searched: []string{"nik"}}}},
			{"event delivery: full, unrecorded", records.Scope{Tenant: village}, patientOp(&pb.GetOp{Id: siti}), shown, nil},
			{"revealed to a caller without the permission: full, recorded with the purpose", func() records.Scope {
				s := scope(false)
				s.Reveal = "verify a letter request's identity"
				return s
			}(), patientOp(&pb.GetOp{Id: siti}), shown,
				[]records.PersonalRead{{Collection: "patients", Records: []string{siti}, Fields: allPersonal, Purpose: "verify a letter request's identity"}}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				reads = nil
				r := do(tt.scope, tt.op)[0]
				var got map[string]any
				for _, rec := range r.Records {
					if rec.Id == siti {
						if err := json.Unmarshal(rec.Data, &got); err != nil {
							t.Fatal(err)
						}
					}
				}
				if string(jsonOf(got)) != string(jsonOf(tt.want)) {
					t.Errorf("got  %s\nwant %s", jsonOf(got), jsonOf(tt.want))
				}
				if string(jsonOf(reads)) != string(jsonOf(tt.reads)) || len(reads) > 0 && reads[0].Collection != "patients" {
					t.Errorf("recorded %+v, want %+v", reads, tt.reads)
				}
			})
		}

		// A plugin that writes back what it read masked would destroy the
		// real value: such a write is the plugin's mistake, and refused.
		back := patientOp(&pb.UpdateOp{Id: siti, Patch: jsonOf(map[string]any{"nik": masked["nik"]})})
		if res, err := e.Run(context.Background(), "clinic", scope(false), &pb.StorageRequest{Ops: []*pb.StorageOp{back}}); err != nil || res.Results[0].Error == nil || res.Results[0].Error.Code != "plugin_error" {
			t.Errorf("writing back a masked NIK: %v %v, want plugin_error", err, res.Results[0].Error)
		}
		if got := do(scope(true), patientOp(&pb.GetOp{Id: siti}))[0].Records[0].Data; !strings.Contains(string(got), "1401012009900001") {
			t.Errorf("the NIK changed after a refused write-back: %s", got)
		}

		// An atomic batch records each reading operation once; a read that
		// finds nothing personal records nothing.
		reads = nil
		nobody := &pb.Query{Filters: []*pb.Filter{{Field: "nik", Op: "=", Value: jsonOf("nobody")}}}
		do(scope(true), patientOp(&pb.GetOp{Id: siti}), patientOp(nobody), patientOp(&pb.GetOp{Id: budi}))
		if len(reads) != 2 || reads[1].Records[0] != budi || !slices.Equal(reads[1].Fields, []string{"nik"}) {
			t.Errorf("batch recorded %+v, want Siti's read, then Budi's NIK", reads)
		}

		// Aggregates group and filter on real values; keys from personal
		// fields are masked or recorded like record fields.
		reads = nil
		agg := patientOp(&pb.Aggregate{GroupBy: []string{"nik", "village"}, Filters: []*pb.Filter{nikIs}})
		g := do(scope(false), agg)[0].Groups
		if len(g) != 1 || string(g[0].Key) != `["1401**********01","Kumantan"]` || g[0].Count != 1 || len(reads) != 0 {
			t.Errorf("masked aggregate: %v, recorded %v", g, reads)
		}
		g = do(scope(true), agg)[0].Groups
		if len(g) != 1 || string(g[0].Key) != `["1401012009900001","Kumantan"]` ||
			len(reads) != 1 || reads[0].Groups != 1 || !slices.Equal(reads[0].Fields, []string{"nik"}) || reads[0].Records != nil {
			t.Errorf("full aggregate: %v, recorded %+v", g, reads)
		}
		// A sum over a personal field is its value for one record: refused
		// without the permission.
		sum := patientOp(&pb.Aggregate{Sum: []string{"weight"}, Filters: []*pb.Filter{nikIs}})
		res, err := e.Run(context.Background(), "clinic", scope(false), &pb.StorageRequest{Ops: []*pb.StorageOp{sum}})
		if err != nil || res.Results[0].Error == nil || res.Results[0].Error.Code != "forbidden" {
			t.Errorf("masked sum of a personal field: %v %v, want forbidden", err, res.Results[0])
		}
		if g := do(scope(true), sum)[0].Groups; len(g) != 1 || g[0].Sums[0] != 54.5 {
			t.Errorf("full sum: %v", g)
		}

		// A read that cannot be recorded is not returned.
		failing := scope(true)
		failing.PersonalRead = func(*gorm.DB, records.PersonalRead) error { return errors.New("audit down") }
		if res, err := e.Run(context.Background(), "clinic", failing, &pb.StorageRequest{Ops: []*pb.StorageOp{patientOp(&pb.GetOp{Id: siti})}}); err == nil {
			t.Errorf("an unrecorded read returned %v", res.Results[0])
		}
	})
}

// A roll-up over the tenants below (Query.Subtree, Aggregate.Subtree)
// leaves out those where the plugin's module is switched off, however the
// settings nest: exactly the villages where a request would be served.
func TestEngineSubtreeSkipsDisabledTenants(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := engine(t, db)
		villages := []string{"14.01.01.2001", "14.01.01.2002", "14.01.02.2001", "14.01.02.2002", "14.01.03.2001", "14.05.01.2001"}
		for i, v := range villages {
			if r := run(t, e, v, false, ins(person(v, "P", i)))[0]; r.Error != nil {
				t.Fatal(r.Error)
			}
		}
		for _, s := range []struct {
			tenant string
			on     bool
		}{
			{"14.01", true},
			{"14.01.01.2002", false}, // one village off
			{"14.01.02", false},      // a district off ...
			{"14.01.02.2002", true},  // ... but for one of its villages
			{"14.01.03", true},       // a setting that changes nothing
		} {
			if err := modules.Set(db.DB, s.tenant, "census", s.on); err != nil {
				t.Fatal(err)
			}
		}
		tbl, err := modules.NewTable(db)
		if err != nil {
			t.Fatal(err)
		}
		for _, at := range []string{"14", "14.01", "14.01.01", "14.01.02", "14.01.02.2001", "14.05"} {
			t.Run(at, func(t *testing.T) {
				var want []string
				for _, v := range villages {
					if tenancy.Within(v, at) && tbl.Enabled(v, "census") {
						want = append(want, v)
					}
				}
				scope := records.Scope{Tenant: at, Subtree: func() []tenancy.Region { return tbl.Regions(at, "census") }}
				agg := &pb.StorageOp{Op: &pb.StorageOp_Aggregate{Aggregate: &pb.Aggregate{Collection: "people", GroupBy: []string{"tenant"}, Subtree: true}}}
				res, err := e.Run(context.Background(), "census", scope, &pb.StorageRequest{Ops: []*pb.StorageOp{agg, query(&pb.Query{Subtree: true, Count: true})}})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, g := range res.Results[0].Groups {
					var key []string
					if err := json.Unmarshal(g.Key, &key); err != nil {
						t.Fatal(err)
					}
					got = append(got, key[0])
				}
				if !slices.Equal(got, want) {
					t.Errorf("aggregate over %s counts %v, want %v", at, got, want)
				}
				if q := res.Results[1]; int(q.Total) != len(want) || len(q.Records) != len(want) {
					t.Errorf("query over %s: total %d, %d records, want %d", at, q.Total, len(q.Records), len(want))
				}
			})
		}
	})
}
