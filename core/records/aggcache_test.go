package records_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/records"
	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/core/tenancy"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// TestAggregateCacheExact checks that a subtree aggregate answered from
// the per-tenant cache equals the database's own answer after every kind
// of write: insert, update, delete, a move between villages, a purge, and
// writes through a second engine on the same database (another process).
func TestAggregateCacheExact(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := engine(t, db)
		other := records.NewEngine(db) // a second process on the same database
		if err := other.Register("census", []*pb.Collection{people}); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		villages := []string{"14.01.01.2001", "14.01.01.2002", "14.01.02.2001", "14.02.01.2001"}
		n := 0
		add := func(e *records.Engine, v string, k int) []string {
			var ids []string
			for i := 0; i < k; i++ {
				n++
				p := person(fmt.Sprint("c", n), fmt.Sprint("N", n), n%3)
				if n%2 == 0 {
					p["sex"] = "P"
				}
				if n%5 == 0 {
					delete(p, "age") // a NULL group key
				}
				r := run(t, e, v, false, ins(p))[0]
				if r.Error != nil {
					t.Fatal(r.Error)
				}
				ids = append(ids, r.Records[0].Id)
			}
			return ids
		}
		ids := map[string][]string{}
		for i, v := range villages {
			ids[v] = add(e, v, 10+i)
		}
		agg := func(atomic bool, scope records.Scope, group ...string) string {
			t.Helper()
			op := &pb.StorageOp{Op: &pb.StorageOp_Aggregate{Aggregate: &pb.Aggregate{Collection: "people", GroupBy: group, Sum: []string{"age"}, Subtree: true,
				Filters: []*pb.Filter{{Field: "alive", Op: "=", Value: []byte("true")}}}}}
			res, err := e.Run(ctx, "census", scope, &pb.StorageRequest{Ops: []*pb.StorageOp{op}, Atomic: atomic})
			if err != nil || res.Results[0].Error != nil {
				t.Fatalf("aggregate: %v %v", err, res.Results[0].Error)
			}
			b, _ := json.Marshal(res.Results[0].Groups)
			return string(b)
		}
		check := func(step string) {
			t.Helper()
			for _, scope := range []records.Scope{{Tenant: "14.01"}, {Tenant: "14.01.01"}, {Tenant: "14"},
				// the module switched off in one village: a hole in the region
				{Tenant: "14.01", Subtree: func() []tenancy.Region {
					return []tenancy.Region{{Root: "14.01", Holes: []tenancy.Region{{Root: "14.01.01.2002"}}}}
				}}} {
				for _, group := range [][]string{{"sex"}, {"age", "sex"}, {"tenant"}, nil} {
					cached, direct := agg(false, scope, group...), agg(true, scope, group...)
					if again := agg(false, scope, group...); cached != direct || again != direct {
						t.Errorf("%s, %s by %v: cached %s, again %s, database %s", step, scope.Tenant, group, cached, again, direct)
					}
				}
			}
		}
		check("first")
		add(e, "14.01.01.2001", 3)
		check("after an insert")
		upd := func(e *records.Engine, v, id, patch string, move string) {
			op := &pb.UpdateOp{Collection: "people", Id: id, Patch: []byte(patch), MoveToTenant: move}
			scope := records.Scope{Tenant: v, CanMoveTo: func(string) error { return nil }}
			res, err := e.Run(ctx, "census", scope, &pb.StorageRequest{Ops: []*pb.StorageOp{{Op: &pb.StorageOp_Update{Update: op}}}})
			if err != nil || res.Results[0].Error != nil {
				t.Fatalf("update: %v %v", err, res.Results[0].Error)
			}
		}
		upd(e, "14.01.01.2002", ids["14.01.01.2002"][0], `{"sex":"X","age":70}`, "")
		check("after an update")
		upd(other, "14.01.02.2001", ids["14.01.02.2001"][1], `{"alive":false}`, "")
		check("after another process's update")
		upd(e, "14.01.02.2001", ids["14.01.02.2001"][2], `{}`, "14.01.01.2001")
		check("after a move")
		add(other, "14.01.01.2003", 4) // a village first written by the other process
		check("after another process's insert in a new village")
		if r := run(t, other, "14.01.01.2001", false, &pb.StorageOp{Op: &pb.StorageOp_Delete{Delete: &pb.DeleteOp{Collection: "people", Id: ids["14.01.01.2001"][0]}}})[0]; r.Error != nil {
			t.Fatal(r.Error)
		}
		check("after a delete")
		if err := db.Transaction(func(tx *gorm.DB) error { _, err := records.PurgeTenant(tx, "14.01.01.2002"); return err }); err != nil {
			t.Fatal(err)
		}
		check("after a purge")

		// A start: a new engine has nothing in memory and reads the kept
		// results (they are what it answers, as a doctored row shows),
		// exactly while their village's version holds.
		e.WaitSaved()
		other.WaitSaved()
		restarted := records.NewEngine(db)
		if err := restarted.Register("census", []*pb.Collection{people}); err != nil {
			t.Fatal(err)
		}
		e = restarted
		check("after a start")
		e.WaitSaved()
		var kept int64
		db.Table("aggregate_results").Where("tenant = ?", "14.01.02.2001").Count(&kept)
		if kept == 0 {
			t.Fatal("no aggregate result kept for 14.01.02.2001")
		}
		doctor := func() *records.Engine {
			t.Helper()
			if err := db.Exec("UPDATE aggregate_results SET groups = ? WHERE tenant = ?", `[{"k":[],"n":1000,"s":[0]}]`, "14.01.02.2001").Error; err != nil {
				t.Fatal(err)
			}
			fresh := records.NewEngine(db)
			if err := fresh.Register("census", []*pb.Collection{people}); err != nil {
				t.Fatal(err)
			}
			return fresh
		}
		e = doctor()
		if got := agg(false, records.Scope{Tenant: "14.01.02"}); !strings.Contains(got, "1000") {
			t.Errorf("a start does not answer from the kept results: %s", got)
		}
		e.WaitSaved()
		e = doctor()
		add(other, "14.01.02.2001", 1) // the village's version moves on
		check("after a write that outdates a kept result")
	})
}
