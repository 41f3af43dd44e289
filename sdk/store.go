package sdk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// Record is one stored record of a collection.
type Record struct {
	ID        string          `json:"id"`
	Tenant    string          `json:"tenant"`
	Version   int64           `json:"version"`
	Data      json.RawMessage `json:"data"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// Decode unmarshals the record's fields into v.
func (r *Record) Decode(v any) error { return json.Unmarshal(r.Data, v) }

func recordFromPB(p *pb.Record) Record {
	return Record{
		ID: p.Id, Tenant: p.Tenant, Version: p.Version, Data: p.Data,
		CreatedAt: time.UnixMilli(p.CreatedUnixMs).UTC(), UpdatedAt: time.UnixMilli(p.UpdatedUnixMs).UTC(),
	}
}

// Error is a storage failure the plugin can act on.
type Error struct {
	// Code is not_found, conflict (version changed), duplicate (unique
	// index), condition_failed (an Increment's conditions do not hold),
	// invalid (a field does not fit the collection) or forbidden. Left
	// unhandled, FailErr and Func answer them 404, 409, 409, 409, 422 and
	// 403 (see ErrorStatus).
	Code    string
	Message string
	// Field names the unique field that clashed, for duplicate.
	Field string
}

func (e *Error) Error() string { return e.Message }

func errorFromPB(e *pb.Error) error {
	if e == nil {
		return nil
	}
	return &Error{Code: e.Code, Message: e.Message, Field: e.Field}
}

// ErrorCode returns the code of a storage *Error, or "".
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// IsNotFound reports whether err says the record does not exist.
func IsNotFound(err error) bool { return ErrorCode(err) == "not_found" }

// IsConflict reports whether err says the record changed since it was read.
func IsConflict(err error) bool { return ErrorCode(err) == "conflict" }

// IsConditionFailed reports whether err says the record did not meet the
// conditions of an Increment (not enough stock, say).
func IsConditionFailed(err error) bool { return ErrorCode(err) == "condition_failed" }

// IsDuplicate reports whether err says a unique field is already taken.
func IsDuplicate(err error) bool { return ErrorCode(err) == "duplicate" }

// Records are the records of one of the plugin's declared collections, in
// the tenant of the request.
type Records struct {
	req  *Request
	name string
}

// Records returns a declared collection of the plugin in the request's tenant.
func (r *Request) Records(collection string) *Records { return &Records{req: r, name: collection} }

func (r *Request) run(ctx context.Context, atomic bool, ops ...*pb.StorageOp) ([]*pb.OpResult, error) {
	res, err := r.host.Storage(ctx, &pb.StorageRequest{Scope: r.scope, Ops: ops, Atomic: atomic})
	if err != nil {
		return nil, fmt.Errorf("storage: %w", err)
	}
	if len(res.Results) != len(ops) {
		return nil, fmt.Errorf("storage: host answered %d results for %d operations", len(res.Results), len(ops))
	}
	return res.Results, nil
}

func (c *Records) one(ctx context.Context, op *pb.StorageOp) (*pb.OpResult, error) {
	res, err := c.req.run(ctx, false, op)
	if err != nil {
		return nil, err
	}
	if err := errorFromPB(res[0].Error); err != nil {
		return nil, err
	}
	return res[0], nil
}

func firstRecord(res *pb.OpResult) (*Record, error) {
	if len(res.Records) == 0 {
		return nil, &Error{Code: "not_found", Message: "record not found"}
	}
	rec := recordFromPB(res.Records[0])
	return &rec, nil
}

// Get returns the record with id.
func (c *Records) Get(ctx context.Context, id string) (*Record, error) {
	res, err := c.one(ctx, &pb.StorageOp{Op: &pb.StorageOp_Get{Get: &pb.GetOp{Collection: c.name, Id: id}}})
	if err != nil {
		return nil, err
	}
	return firstRecord(res)
}

// GetBy returns the record whose unique field has value.
func (c *Records) GetBy(ctx context.Context, field string, value any) (*Record, error) {
	v, err := json.Marshal(value)
	if err != nil {
		return nil, err
	}
	res, err := c.one(ctx, &pb.StorageOp{Op: &pb.StorageOp_Get{Get: &pb.GetOp{Collection: c.name, ByField: field, ByValue: v}}})
	if err != nil {
		return nil, err
	}
	return firstRecord(res)
}

func insertOp(coll string, skip bool, vs ...any) (*pb.StorageOp, error) {
	op := &pb.InsertOp{Collection: coll, SkipDuplicates: skip}
	for _, v := range vs {
		data, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("encoding record: %w", err)
		}
		op.Records = append(op.Records, &pb.Record{Data: data})
	}
	return &pb.StorageOp{Op: &pb.StorageOp_Insert{Insert: op}}, nil
}

// Insert stores v (any value that marshals to a JSON object) as a new record.
func (c *Records) Insert(ctx context.Context, v any) (*Record, error) {
	op, err := insertOp(c.name, false, v)
	if err != nil {
		return nil, err
	}
	res, err := c.one(ctx, op)
	if err != nil {
		return nil, err
	}
	return firstRecord(res)
}

// InsertResult tells what a bulk insert did.
type InsertResult struct {
	Records []Record
	// Skipped holds the positions of records skipped as duplicates.
	Skipped []int
}

// InsertMany stores many records in one call and one transaction. With
// skipDuplicates, records that clash on a unique index are skipped and
// reported; otherwise the first clash fails them all.
func (c *Records) InsertMany(ctx context.Context, vs []any, skipDuplicates bool) (*InsertResult, error) {
	op, err := insertOp(c.name, skipDuplicates, vs...)
	if err != nil {
		return nil, err
	}
	res, err := c.one(ctx, op)
	if err != nil {
		return nil, err
	}
	out := &InsertResult{}
	for _, r := range res.Records {
		out.Records = append(out.Records, recordFromPB(r))
	}
	for _, s := range res.Skipped {
		out.Skipped = append(out.Skipped, int(s))
	}
	return out, nil
}

func updateOp(coll, id string, expectVersion int64, patch any, moveTo string) (*pb.StorageOp, error) {
	data, err := json.Marshal(patch)
	if err != nil {
		return nil, fmt.Errorf("encoding patch: %w", err)
	}
	return &pb.StorageOp{Op: &pb.StorageOp_Update{Update: &pb.UpdateOp{Collection: coll, Id: id, ExpectVersion: expectVersion, Patch: data, MoveToTenant: moveTo}}}, nil
}

// Update merges patch into the record. With expectVersion > 0 it fails with
// a conflict error if the record changed since that version was read.
func (c *Records) Update(ctx context.Context, id string, expectVersion int64, patch any) (*Record, error) {
	op, err := updateOp(c.name, id, expectVersion, patch, "")
	if err != nil {
		return nil, err
	}
	res, err := c.one(ctx, op)
	if err != nil {
		return nil, err
	}
	return firstRecord(res)
}

// Increment adds to numeric fields in one statement, provided the record
// meets every condition in where (for example stock >= 3): the way to keep
// counters and stock right under concurrent writers without retries. A
// record that exists but fails the conditions gives a condition_failed error.
func (c *Records) Increment(ctx context.Context, id string, by map[string]float64, where ...Filter) (*Record, error) {
	op, err := incrementOp(c.name, id, by, where)
	if err != nil {
		return nil, err
	}
	res, err := c.one(ctx, op)
	if err != nil {
		return nil, err
	}
	return firstRecord(res)
}

func incrementOp(coll, id string, by map[string]float64, where []Filter) (*pb.StorageOp, error) {
	u := &pb.UpdateOp{Collection: coll, Id: id}
	names := make([]string, 0, len(by))
	for f := range by {
		names = append(names, f)
	}
	sort.Strings(names) // a stable statement for the database's cache
	for _, f := range names {
		u.Increments = append(u.Increments, &pb.Increment{Field: f, By: by[f]})
	}
	fs, err := filtersPB(where)
	if err != nil {
		return nil, err
	}
	u.Where = fs
	return &pb.StorageOp{Op: &pb.StorageOp_Update{Update: u}}, nil
}

func filtersPB(fs []Filter) ([]*pb.Filter, error) {
	out := make([]*pb.Filter, 0, len(fs))
	for _, f := range fs {
		v, err := json.Marshal(f.Value)
		if err != nil {
			return nil, fmt.Errorf("encoding filter on %s: %w", f.Field, err)
		}
		out = append(out, &pb.Filter{Field: f.Field, Op: f.Op, Value: v})
	}
	return out, nil
}

// Delete removes the record; expectVersion as for Update.
func (c *Records) Delete(ctx context.Context, id string, expectVersion int64) error {
	_, err := c.one(ctx, &pb.StorageOp{Op: &pb.StorageOp_Delete{Delete: &pb.DeleteOp{Collection: c.name, Id: id, ExpectVersion: expectVersion}}})
	return err
}

// Query starts a query on the collection.
func (c *Records) Query() *Query { return &Query{c: c, q: &pb.Query{Collection: c.name}} }

// Query is a query being built; Run sends it.
type Query struct {
	c   *Records
	q   *pb.Query
	err error
}

// Where adds a condition: op is one of = != < <= > >= in like prefix null notnull.
func (q *Query) Where(field, op string, value any) *Query {
	v, err := json.Marshal(value)
	if err != nil && q.err == nil {
		q.err = err
	}
	q.q.Filters = append(q.q.Filters, &pb.Filter{Field: field, Op: op, Value: v})
	return q
}

// OrderBy sorts by field; desc for descending.
func (q *Query) OrderBy(field string, desc bool) *Query {
	q.q.Sort = append(q.q.Sort, &pb.Sort{Field: field, Desc: desc})
	return q
}

// MaxOffset is the largest offset a query takes: the wire carries it in 32
// bits.
const MaxOffset = math.MaxInt32

// Page returns records offset..offset+limit. An offset or limit outside 0
// to MaxOffset makes Run fail with an invalid *Error (answered 422) rather
// than wrap around to another page.
func (q *Query) Page(offset, limit int) *Query {
	if (offset < 0 || offset > MaxOffset || limit < 0 || limit > MaxOffset) && q.err == nil {
		q.err = &Error{Code: "invalid", Message: fmt.Sprintf("offset %d and limit %d must be from 0 to %d", offset, limit, MaxOffset)}
	}
	q.q.Offset, q.q.Limit = int32(offset), int32(limit)
	return q
}

// WithTotal asks for the total number of matching records too.
func (q *Query) WithTotal() *Query { q.q.Count = true; return q }

// Subtree reads across every tenant below the request's tenant (a
// district's view of its villages).
func (q *Query) Subtree() *Query { q.q.Subtree = true; return q }

// Run sends the query; total is -1 unless WithTotal was asked.
func (q *Query) Run(ctx context.Context) (records []Record, total int64, err error) {
	if q.err != nil {
		return nil, 0, q.err
	}
	res, err := q.c.one(ctx, &pb.StorageOp{Op: &pb.StorageOp_Query{Query: q.q}})
	if err != nil {
		return nil, 0, err
	}
	records = make([]Record, 0, len(res.Records))
	for _, r := range res.Records {
		records = append(records, recordFromPB(r))
	}
	total = -1
	if q.q.Count {
		total = res.Total
	}
	return records, total, nil
}

// Group is one row of an aggregate.
type Group struct {
	Key   []any     `json:"key"`
	Count int64     `json:"count"`
	Sums  []float64 `json:"sums,omitempty"`
}

// Aggregate counts records grouped by fields, and sums the sum fields.
func (c *Records) Aggregate(ctx context.Context, groupBy, sum []string, subtree bool, filters ...Filter) ([]Group, error) {
	fs, err := filtersPB(filters)
	if err != nil {
		return nil, err
	}
	agg := &pb.Aggregate{Collection: c.name, GroupBy: groupBy, Sum: sum, Subtree: subtree, Filters: fs}
	res, err := c.one(ctx, &pb.StorageOp{Op: &pb.StorageOp_Aggregate{Aggregate: agg}})
	if err != nil {
		return nil, err
	}
	out := make([]Group, 0, len(res.Groups))
	for _, g := range res.Groups {
		var key []any
		if err := json.Unmarshal(g.Key, &key); err != nil {
			return nil, fmt.Errorf("decoding group key: %w", err)
		}
		out = append(out, Group{Key: key, Count: g.Count, Sums: g.Sums})
	}
	return out, nil
}

// Filter is a condition for Aggregate and Increment; Op as for Query.Where.
type Filter struct {
	Field string
	Op    string
	Value any
}

// Batch collects writes and events that must commit together.
type Batch struct {
	req *Request
	ops []*pb.StorageOp
	err error
}

// Batch starts an atomic batch: everything in it commits, or nothing does.
func (r *Request) Batch() *Batch { return &Batch{req: r} }

// Insert adds an insert of v into coll.
func (b *Batch) Insert(coll string, v any) *Batch {
	op, err := insertOp(coll, false, v)
	b.add(op, err)
	return b
}

// InsertInto adds an insert into another tenant (the destination of a
// move); the host allows it only where the caller may write.
func (b *Batch) InsertInto(tenant, coll string, v any) *Batch {
	op, err := insertOp(coll, false, v)
	if err == nil {
		op.GetInsert().ToTenant = tenant
	}
	b.add(op, err)
	return b
}

// Update adds an update; moveTo, if not empty, moves the record to another
// tenant in the same transaction.
func (b *Batch) Update(coll, id string, expectVersion int64, patch any, moveTo string) *Batch {
	op, err := updateOp(coll, id, expectVersion, patch, moveTo)
	b.add(op, err)
	return b
}

// Increment adds an increment of numeric fields under conditions, as
// Records.Increment does.
func (b *Batch) Increment(coll, id string, by map[string]float64, where ...Filter) *Batch {
	op, err := incrementOp(coll, id, by, where)
	b.add(op, err)
	return b
}

// Delete adds a delete.
func (b *Batch) Delete(coll, id string, expectVersion int64) *Batch {
	b.add(&pb.StorageOp{Op: &pb.StorageOp_Delete{Delete: &pb.DeleteOp{Collection: coll, Id: id, ExpectVersion: expectVersion}}}, nil)
	return b
}

// Publish adds an event, recorded in the same transaction as the writes and
// delivered to subscribed plugins after commit, at least once.
func (b *Batch) Publish(name string, payload any) *Batch {
	return b.PublishIn("", name, payload)
}

// Audit adds an entry to the host's audit trail, committed with the batch:
// use it for every read of personal data a caller is shown in full. The
// action is prefixed with the plugin id; detail must not hold the data.
func (b *Batch) Audit(action, target string, detail any) *Batch {
	var data []byte
	var err error
	if detail != nil {
		data, err = json.Marshal(detail)
	}
	b.add(&pb.StorageOp{Op: &pb.StorageOp_Audit{Audit: &pb.AuditOp{Action: action, Target: target, Detail: data}}}, err)
	return b
}

// PublishIn adds an event published in another tenant (the destination of
// a move), where that tenant's subscribers hear of it; the host allows it
// only where the caller may write. An empty tenant is the request's own.
func (b *Batch) PublishIn(tenant, name string, payload any) *Batch {
	data, err := json.Marshal(payload)
	b.add(&pb.StorageOp{Op: &pb.StorageOp_Publish{Publish: &pb.PublishOp{Name: name, Payload: data, Tenant: tenant}}}, err)
	return b
}

func (b *Batch) add(op *pb.StorageOp, err error) {
	if err != nil && b.err == nil {
		b.err = err
	}
	b.ops = append(b.ops, op)
}

// Commit runs the batch in one transaction. It returns the records written,
// one slice per operation, or the first operation's error.
func (b *Batch) Commit(ctx context.Context) ([][]Record, error) {
	if b.err != nil {
		return nil, b.err
	}
	res, err := b.req.run(ctx, true, b.ops...)
	if err != nil {
		return nil, err
	}
	out := make([][]Record, len(res))
	for i, r := range res {
		if err := errorFromPB(r.Error); err != nil {
			return nil, err
		}
		for _, rec := range r.Records {
			out[i] = append(out[i], recordFromPB(rec))
		}
	}
	return out, nil
}

// Publish records an event on its own.
func (r *Request) Publish(ctx context.Context, name string, payload any) error {
	_, err := r.Batch().Publish(name, payload).Commit(ctx)
	return err
}
