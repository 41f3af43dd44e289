package records_test

import (
	"context"
	"errors"
	"testing"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/records"
	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// Scope.OnWrite runs inside every transaction that writes, and its error
// rolls the write back: the host marks idempotency keys with it.
func TestEngineOnWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := engine(t, db)
		const v = "14.01.01.2001"
		audit := &pb.StorageOp{Op: &pb.StorageOp_Audit{Audit: &pb.AuditOp{Action: "people.read", Target: "x"}}}
		tests := []struct {
			name   string
			atomic bool
			ops    []*pb.StorageOp
			fail   bool
			calls  int
			stored int64 // people stored afterwards, in total
		}{
			{"a read does not call it", false, []*pb.StorageOp{query(&pb.Query{})}, false, 0, 0},
			{"an audit entry alone does not", true, []*pb.StorageOp{audit}, false, 0, 0},
			{"an insert does", false, []*pb.StorageOp{ins(person("1", "A", 1))}, false, 1, 1},
			{"each write of a non-atomic call", false, []*pb.StorageOp{ins(person("2", "B", 1)), query(&pb.Query{}), ins(person("3", "C", 1))}, false, 2, 3},
			{"once per atomic call", true, []*pb.StorageOp{ins(person("4", "D", 1)), ins(person("5", "E", 1))}, false, 1, 5},
			{"a failed write does not", true, []*pb.StorageOp{ins(map[string]any{"name": "no nik"})}, false, 0, 5},
			{"its error rolls an atomic call back", true, []*pb.StorageOp{ins(person("6", "F", 1)), ins(person("7", "G", 1))}, true, 1, 5},
			{"and a single write", false, []*pb.StorageOp{ins(person("8", "H", 1))}, true, 1, 5},
		}
		for _, tt := range tests {
			calls := 0
			scope := records.Scope{Tenant: v,
				Audit: func(tx *gorm.DB, action, target string, detail []byte) error { return nil },
				OnWrite: func(tx *gorm.DB) error {
					calls++
					if tt.fail {
						return errors.New("claim lost")
					}
					return nil
				}}
			_, err := e.Run(context.Background(), "census", scope, &pb.StorageRequest{Ops: tt.ops, Atomic: tt.atomic})
			if tt.fail != (err != nil) {
				t.Errorf("%s: error %v", tt.name, err)
			}
			if calls != tt.calls {
				t.Errorf("%s: OnWrite called %d times, want %d", tt.name, calls, tt.calls)
			}
			if r := run(t, e, v, false, query(&pb.Query{Count: true}))[0]; r.Total != tt.stored {
				t.Errorf("%s: %d people stored, want %d", tt.name, r.Total, tt.stored)
			}
		}
	})
}
