package records_test

import (
	"testing"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// Text PostgreSQL cannot hold is refused as invalid on both databases, for
// every plugin: nothing is stored, and no database error reaches a caller.
func TestEngineRefusesUnstorableText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := engine(t, db)
		const village = "14.01.01.2001"
		withName := func(name string) map[string]any { return person("9", name, 30) }
		rawRecord := func(data string) *pb.StorageOp {
			return &pb.StorageOp{Op: &pb.StorageOp_Insert{Insert: &pb.InsertOp{Collection: "people", Records: []*pb.Record{{Data: []byte(data)}}}}}
		}
		bad := map[string]*pb.StorageOp{
			"NUL in a string field":     ins(withName("Ani\x00")),
			"NUL in a JSON field":       ins(map[string]any{"nik": "9", "name": "Ani", "extra": map[string]any{"note": []any{"a\x00"}}}),
			"NUL in a JSON field's key": ins(map[string]any{"nik": "9", "name": "Ani", "extra": map[string]any{"k\x00": 1}}),
			"invalid UTF-8 in a record": rawRecord("{\"nik\":\"9\",\"name\":\"Ani\xff\"}"),
			"NUL in an equality filter": query(&pb.Query{Filters: []*pb.Filter{{Field: "name", Op: "=", Value: []byte(`"a\u0000"`)}}}),
			"NUL in a filter on id":     query(&pb.Query{Filters: []*pb.Filter{{Field: "id", Op: "=", Value: []byte(`"a\u0000"`)}}}),
			"NUL in an in filter":       query(&pb.Query{Filters: []*pb.Filter{{Field: "nik", Op: "in", Value: []byte(`["1","\u0000"]`)}}}),
			"NUL in a like filter":      query(&pb.Query{Filters: []*pb.Filter{{Field: "name", Op: "like", Value: []byte(`"\u0000"`)}}}),
			"NUL in a prefix filter":    query(&pb.Query{Filters: []*pb.Filter{{Field: "name", Op: "prefix", Value: []byte(`"a\u0000"`)}}}),
		}
		for name, op := range bad {
			t.Run(name, func(t *testing.T) {
				res := run(t, e, village, false, op)[0]
				if res.Error == nil || res.Error.Code != "invalid" {
					t.Fatalf("got %v, want an invalid error", res.Error)
				}
			})
		}
		all := run(t, e, village, false, query(&pb.Query{Count: true}))[0]
		if all.Error != nil || all.Total != 0 {
			t.Fatalf("after the refusals: %v, %d records", all.Error, all.Total)
		}
		if res := run(t, e, village, false, ins(withName("Ani é \u202e ✓")))[0]; res.Error != nil {
			t.Fatalf("valid text refused: %v", res.Error)
		}
	})
}
