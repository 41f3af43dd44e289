package records_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/balaidesa/balai/core/host"
	"github.com/balaidesa/balai/core/records"
	"github.com/balaidesa/balai/core/store"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// residentsShape is the population plugin's residents collection: the
// shape the regency seed writes.
var residentsShape = func() *pb.Collection {
	c := &pb.Collection{Name: "residents", PersonalPermission: "population.residents.read_personal"}
	for _, f := range []string{"nik", "kk", "name", "sex", "birth_place", "birth_date", "religion", "education", "occupation",
		"marital_status", "relationship", "blood_type", "address", "rt", "rw", "dusun", "status"} {
		c.Fields = append(c.Fields, &pb.Field{Name: f, Type: pb.FieldType_FIELD_TYPE_STRING, Personal: f == "nik" || f == "kk"})
	}
	c.Fields = append(c.Fields, &pb.Field{Name: "birth_year", Type: pb.FieldType_FIELD_TYPE_INT},
		&pb.Field{Name: "mother_name", Type: pb.FieldType_FIELD_TYPE_STRING, Personal: true},
		&pb.Field{Name: "head_kk", Type: pb.FieldType_FIELD_TYPE_STRING, Personal: true})
	c.Indexes = []*pb.Index{{Fields: []string{"nik"}, Unique: true, DeploymentWide: true}, {Fields: []string{"head_kk"}, Unique: true},
		{Fields: []string{"kk"}}, {Fields: []string{"name"}}, {Fields: []string{"status"}}}
	return c
}()

// residentJSON is the i-th generated resident as the plugin sends it.
func residentJSON(i int) []byte {
	head := ""
	if i%4 == 0 {
		head = fmt.Sprintf(`,"head_kk":"14010101%08d"`, i/4)
	}
	return fmt.Appendf(nil, `{"nik":"1401%012d","kk":"14010101%08d","name":"Warga Nomor %d","sex":"L","birth_place":"Bangkinang","birth_date":"1980-01-02","religion":"1","education":"3","occupation":"2","marital_status":"2","relationship":"1","blood_type":"13","address":"Jl. Sudirman","rt":"001","rw":"002","status":"alive","birth_year":1980,"mother_name":"Ibu %d"%s}`,
		i*7919%1000000000000, i/4, i, i, head)
}

// BenchmarkInsertMany writes residents in the import's batches of 2,000
// through the storage engine (SkipDuplicates, as the import asks).
func BenchmarkInsertMany(b *testing.B) {
	db, err := store.Open(store.Options{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(host.Migrations()); err != nil {
		b.Fatal(err)
	}
	e := records.NewEngine(db)
	if err := e.Register("population", []*pb.Collection{residentsShape}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		op := &pb.InsertOp{Collection: "residents", SkipDuplicates: true}
		for j := 0; j < 2000; j++ {
			op.Records = append(op.Records, &pb.Record{Data: residentJSON(n)})
			n++
		}
		res, err := e.Run(context.Background(), "population", records.Scope{Tenant: fmt.Sprintf("14.01.01.%04d", 2001+i%20)}, &pb.StorageRequest{Ops: []*pb.StorageOp{{Op: &pb.StorageOp_Insert{Insert: op}}}})
		if err != nil || res.Results[0].Error != nil {
			b.Fatal(err, res)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "rows/s")
}
