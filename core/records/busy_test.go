package records_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/audit"
	"github.com/balaidesa/balai/core/host"
	"github.com/balaidesa/balai/core/records"
	"github.com/balaidesa/balai/core/store"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// TestSQLiteWritersNeverBusy runs, on one SQLite file, what the regency
// seed meets (issue 11): two handles on the file stand for the seeding
// CLI and a running server, each with its own pool. On the first, two
// villages import in batches of 2,000 at once; on the second, audit
// entries are written in transactions, another plugin inserts and updates
// records one by one, and plain statements write outside a transaction.
// No caller may see SQLITE_BUSY, and every write must land.
func TestSQLiteWritersNeverBusy(t *testing.T) {
	dir := t.TempDir()
	open := func() *store.DB {
		db, err := store.Open(store.Options{URL: "sqlite:" + filepath.Join(dir, "balai.db")})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	seeder, server := open(), open()
	if err := seeder.Migrate(host.Migrations()); err != nil {
		t.Fatal(err)
	}
	other := &pb.Collection{Name: "notes", Fields: []*pb.Field{{Name: "text", Type: pb.FieldType_FIELD_TYPE_STRING}, {Name: "n", Type: pb.FieldType_FIELD_TYPE_INT}}}
	seedEngine, serverEngine := records.NewEngine(seeder), records.NewEngine(server)
	if err := seedEngine.Register("population", []*pb.Collection{residentsShape}); err != nil {
		t.Fatal(err)
	}
	if err := serverEngine.Register("notes", []*pb.Collection{other}); err != nil {
		t.Fatal(err)
	}
	if err := server.Exec("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)").Error; err != nil {
		t.Fatal(err)
	}
	if err := server.Exec("INSERT INTO counter (id, n) VALUES (1, 0)").Error; err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const villages, batches, batch = 2, 8, 2000
	errs := make(chan error, 100)
	var seeding sync.WaitGroup
	for v := 0; v < villages; v++ {
		seeding.Add(1)
		go func() {
			defer seeding.Done()
			for b := 0; b < batches; b++ {
				op := &pb.InsertOp{Collection: "residents", SkipDuplicates: true}
				for j := 0; j < batch; j++ {
					op.Records = append(op.Records, &pb.Record{Data: residentJSON((v*batches+b)*batch + j)})
				}
				res, err := seedEngine.Run(ctx, "population", records.Scope{Tenant: fmt.Sprintf("14.01.01.%04d", 2001+v)},
					&pb.StorageRequest{Ops: []*pb.StorageOp{{Op: &pb.StorageOp_Insert{Insert: op}}}})
				if err == nil && res.Results[0].Error != nil {
					err = fmt.Errorf("%v", res.Results[0].Error)
				}
				if err == nil && len(res.Results[0].Records) != batch {
					err = fmt.Errorf("batch %d of village %d: %d inserted, want %d", b, v, len(res.Results[0].Records), batch)
				}
				if err != nil {
					errs <- fmt.Errorf("seeding: %w", err)
					return
				}
			}
		}()
	}
	stop := make(chan struct{})
	var writers sync.WaitGroup
	var audits, notes, bumps [3]int
	for w := 0; w < 3; w++ {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				var err error
				switch w {
				case 0: // the host's audit writes, in transactions
					err = server.Transaction(func(tx *gorm.DB) error {
						return audit.Record(tx, audit.Who{Actor: "admin"}, "14.01", "tenant.updated", "14.01", map[string]int{"i": i})
					})
					audits[w]++
				case 1: // another plugin's writes
					r, e := serverEngine.Run(ctx, "notes", records.Scope{Tenant: "14.01.02.2001"}, &pb.StorageRequest{Ops: []*pb.StorageOp{ins2("notes", map[string]any{"text": "x", "n": i})}})
					if e == nil && r.Results[0].Error != nil {
						e = fmt.Errorf("%v", r.Results[0].Error)
					}
					err = e
					notes[w]++
				case 2: // a plain statement outside a transaction, on the seeder's own pool too
					db := server
					if i%2 == 0 {
						db = seeder
					}
					err = db.Exec("UPDATE counter SET n = n + 1 WHERE id = 1").Error
					bumps[w]++
				}
				if err != nil {
					errs <- fmt.Errorf("writer %d: %w", w, err)
					return
				}
				time.Sleep(time.Millisecond)
			}
		}()
	}
	seeding.Wait()
	close(stop)
	writers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var n int64
	if err := seeder.Raw("SELECT COUNT(*) FROM p_population_residents").Scan(&n).Error; err != nil || n != villages*batches*batch {
		t.Errorf("residents stored: %d (%v), want %d", n, err, villages*batches*batch)
	}
	var counter int
	if err := server.Raw("SELECT n FROM counter WHERE id = 1").Scan(&counter).Error; err != nil || counter != bumps[2] {
		t.Errorf("counter %d (%v), want %d updates", counter, err, bumps[2])
	}
	var entries int64
	server.Raw("SELECT COUNT(*) FROM audit_log WHERE action = 'tenant.updated'").Scan(&entries)
	if entries != int64(audits[0]) || audits[0] == 0 || notes[1] == 0 {
		t.Errorf("audit entries %d of %d written; notes %d", entries, audits[0], notes[1])
	}
	t.Logf("alongside %d residents: %d audit transactions, %d plugin writes, %d plain updates", n, audits[0], notes[1], bumps[2])
}

func ins2(coll string, v map[string]any) *pb.StorageOp {
	op := ins(v)
	op.GetInsert().Collection = coll
	return op
}
