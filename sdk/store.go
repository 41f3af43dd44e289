package sdk

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"sort"
	"time"

	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// Record is one stored record of a collection: the pseudo-fields (see
// FieldID) and Data, the declared fields as a JSON object. Personal fields
// in Data are masked ("3201********0001", a date as "1990-**-**", other
// types null) unless the caller holds the collection's PersonalPermission.
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

// Records are the records of one of the plugin's declared collections, in
// the tenant of the request.
type Records struct {
	req    *Request
	name   string
	reveal string
}

// Records returns a declared collection of the plugin in the request's tenant.
func (r *Request) Records(collection string) *Records { return &Records{req: r, name: collection} }

// Reveal returns the collection read with its Personal fields unmasked
// whatever the caller may see, for the plugin's own processing: comparing
// the mother's name a citizen typed with the register's, building a letter
// an operator approves. The host records every such read in the audit
// trail with purpose ("verify a letter request's identity"), and the
// plugin must never answer the revealed values to a caller who could not
// read them otherwise: it is a use of personal data under UU PDP 27/2022
// art. 16, which the purpose must justify.
func (c *Records) Reveal(purpose string) *Records {
	return &Records{req: c.req, name: c.name, reveal: purpose}
}

func (r *Request) run(ctx context.Context, atomic bool, ops ...*pb.StorageOp) ([]*pb.OpResult, error) {
	return r.runRevealing(ctx, atomic, "", ops...)
}

func (r *Request) runRevealing(ctx context.Context, atomic bool, reveal string, ops ...*pb.StorageOp) ([]*pb.OpResult, error) {
	res, err := r.host.Storage(ctx, &pb.StorageRequest{Scope: r.scope, Ops: ops, Atomic: atomic, RevealPurpose: reveal})
	if err != nil {
		return nil, fmt.Errorf("storage: %w", hostError(err))
	}
	if len(res.Results) != len(ops) {
		return nil, fmt.Errorf("storage: host answered %d results for %d operations", len(res.Results), len(ops))
	}
	return res.Results, nil
}

func (c *Records) one(ctx context.Context, op *pb.StorageOp) (*pb.OpResult, error) {
	res, err := c.req.runRevealing(ctx, false, c.reveal, op)
	if err != nil {
		return nil, err
	}
	if err := storageError(res[0].Error); err != nil {
		return nil, err
	}
	return res[0], nil
}

func firstRecord(res *pb.OpResult) (*Record, error) {
	if len(res.Records) == 0 {
		return nil, &Error{Status: http.StatusNotFound, Code: CodeNotFound, Message: "record not found"}
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
		out = append(out, &pb.Filter{Field: f.Field, Op: string(f.Op), Value: v})
	}
	return out, nil
}

// Delete removes the record; expectVersion as for Update.
func (c *Records) Delete(ctx context.Context, id string, expectVersion int64) error {
	_, err := c.one(ctx, &pb.StorageOp{Op: &pb.StorageOp_Delete{Delete: &pb.DeleteOp{Collection: c.name, Id: id, ExpectVersion: expectVersion}}})
	return err
}

// Op is a comparison of a filter.
type Op string

// Comparisons. Values compare by the field's type; a Date compares as its
// "YYYY-MM-DD" text, which orders by date.
const (
	Eq Op = "="
	Ne Op = "!="
	Lt Op = "<"
	Le Op = "<="
	Gt Op = ">"
	Ge Op = ">="
	// In matches any value of a list: Where("status", sdk.In, []string{"a", "b"}).
	In Op = "in"
	// Like matches a text that contains the value, ignoring case (for a
	// search box); % and _ in the value are taken literally.
	Like Op = "like"
	// Prefix matches a text that starts with the value (wildcards are
	// taken literally): the way to find a region's records by code.
	Prefix Op = "prefix"
	// IsNull and NotNull test presence; their value is ignored (nil).
	IsNull  Op = "null"
	NotNull Op = "notnull"
)

// Filter is one condition of a query, an aggregate or an increment.
type Filter struct {
	// Field is a declared field or a pseudo-field (FieldID, ...).
	Field string
	Op    Op
	// Value is compared with the field: a string, number or bool, a list
	// for In, nil for IsNull and NotNull.
	Value any
}

// Query starts a query on the collection.
func (c *Records) Query() *Query { return &Query{c: c, q: &pb.Query{Collection: c.name}} }

// Query is a query being built; Run sends it. With no Page, a query
// answers at most 50 records.
type Query struct {
	c   *Records
	q   *pb.Query
	err error
}

// Where adds a condition; all conditions must hold.
func (q *Query) Where(field string, op Op, value any) *Query {
	v, err := json.Marshal(value)
	if err != nil && q.err == nil {
		q.err = fmt.Errorf("encoding filter on %s: %w", field, err)
	}
	q.q.Filters = append(q.q.Filters, &pb.Filter{Field: field, Op: string(op), Value: v})
	return q
}

// OrderBy sorts by field, then by the next OrderBy; desc for descending.
func (q *Query) OrderBy(field string, desc bool) *Query {
	q.q.Sort = append(q.q.Sort, &pb.Sort{Field: field, Desc: desc})
	return q
}

// MaxOffset is the largest offset a query takes: the wire carries it in 32
// bits.
const MaxOffset = math.MaxInt32

// Page returns records offset..offset+limit. An offset or limit outside 0
// to MaxOffset makes Run fail with a programming error rather than wrap
// around to another page (Page(r) bounds what clients send).
func (q *Query) Page(offset, limit int) *Query {
	if (offset < 0 || offset > MaxOffset || limit < 0 || limit > MaxOffset) && q.err == nil {
		q.err = fmt.Errorf("sdk: offset %d and limit %d must be from 0 to %d", offset, limit, MaxOffset)
	}
	q.q.Offset, q.q.Limit = int32(offset), int32(limit)
	return q
}

// WithTotal asks for the total number of matching records too.
func (q *Query) WithTotal() *Query { q.q.Count = true; return q }

// Subtree reads across the request's tenant and every tenant below it
// where this plugin's module is enabled (a district's view of its
// villages); records carry their own Tenant.
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

// List pages through the collection as the request's ?page=&limit= ask,
// oldest first, and answers the documented list shape: a handler in one
// line, Handler: sdk.Func(func(r *http.Request) (int, any, error) {
// return sdk.From(r).Records("notes").List(r) }).
func (c *Records) List(r *http.Request) (int, any, error) {
	offset, limit, err := Page(r)
	if err != nil {
		return 0, nil, err
	}
	recs, total, err := c.Query().Page(offset, limit).WithTotal().Run(r.Context())
	return http.StatusOK, ListOf[Record]{Items: recs, Total: total}, err
}

// Aggregation is what Aggregate computes.
type Aggregation struct {
	// GroupBy lists the fields whose values form a group; none gives one
	// group of everything.
	GroupBy []string
	// Sum lists numeric fields to add up per group.
	Sum []string
	// Subtree counts the request's tenant and every tenant below it where
	// the module is enabled; group by FieldTenant to see each.
	Subtree bool
	// Where filters the records counted.
	Where []Filter
}

// Group is one row of an aggregate.
type Group struct {
	// Key holds the group's values in GroupBy order, as JSON decodes them:
	// a string (String, Date, Time fields and pseudo-fields), a float64
	// (Int and Float fields), a bool, or nil for a missing value.
	Key []any `json:"key"`
	// Count is the number of records in the group.
	Count int64 `json:"count"`
	// Sums holds the sums in Sum order.
	Sums []float64 `json:"sums,omitempty"`
}

// Aggregate counts records by group and sums fields, in the database.
func (c *Records) Aggregate(ctx context.Context, a Aggregation) ([]Group, error) {
	fs, err := filtersPB(a.Where)
	if err != nil {
		return nil, err
	}
	agg := &pb.Aggregate{Collection: c.name, GroupBy: a.GroupBy, Sum: a.Sum, Subtree: a.Subtree, Filters: fs}
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

// Batch collects writes, events and audit entries that must commit
// together: everything in it commits, or nothing does.
type Batch struct {
	req     *Request
	ops     []*pb.StorageOp
	written []*Written
	err     error
}

// Written is the outcome of one write in a batch, filled in by a
// successful Commit: name it where you add the write
// (order := b.Insert("orders", o)) and read it after (order.Record.ID).
type Written struct {
	// Record is the record as stored (for a delete, empty).
	Record Record
}

// Batch starts an atomic batch.
func (r *Request) Batch() *Batch { return &Batch{req: r} }

// Insert adds an insert of v into the collection coll.
func (b *Batch) Insert(coll string, v any) *Written {
	op, err := insertOp(coll, false, v)
	return b.add(op, err)
}

// InsertInto adds an insert into another tenant (the destination village
// of a move). The host allows it only where the module is enabled and the
// caller holds the permission of the route being served: a plugin can name
// another tenant, but never act there beyond what its caller may.
func (b *Batch) InsertInto(tenant, coll string, v any) *Written {
	op, err := insertOp(coll, false, v)
	if err == nil {
		op.GetInsert().ToTenant = tenant
	}
	return b.add(op, err)
}

// Update adds an update that merges patch into the record; expectVersion
// as for Records.Update.
func (b *Batch) Update(coll, id string, expectVersion int64, patch any) *Written {
	op, err := updateOp(coll, id, expectVersion, patch, "")
	return b.add(op, err)
}

// Move adds an update that also moves the record to another tenant in the
// same transaction (a resident moving to another village); the host
// allows it only where the caller may write, as InsertInto.
func (b *Batch) Move(coll, id string, expectVersion int64, patch any, toTenant string) *Written {
	op, err := updateOp(coll, id, expectVersion, patch, toTenant)
	return b.add(op, err)
}

// Increment adds an increment of numeric fields under conditions, as
// Records.Increment does.
func (b *Batch) Increment(coll, id string, by map[string]float64, where ...Filter) *Written {
	op, err := incrementOp(coll, id, by, where)
	return b.add(op, err)
}

// Delete adds a delete.
func (b *Batch) Delete(coll, id string, expectVersion int64) *Batch {
	b.add(&pb.StorageOp{Op: &pb.StorageOp_Delete{Delete: &pb.DeleteOp{Collection: coll, Id: id, ExpectVersion: expectVersion}}}, nil)
	return b
}

// Publish adds an event, recorded in the same transaction as the writes and
// delivered to the plugins that consume it after commit, at least once.
// name must be listed in the plugin's Publishes.
func (b *Batch) Publish(name string, payload any) *Batch {
	return b.PublishIn("", name, payload)
}

// PublishIn adds an event published in another tenant (the destination of
// a move), where that tenant's consumers hear of it; the host allows it
// only where the caller may write, as InsertInto. An empty tenant is the
// request's own.
func (b *Batch) PublishIn(tenant, name string, payload any) *Batch {
	data, err := json.Marshal(payload)
	b.add(&pb.StorageOp{Op: &pb.StorageOp_Publish{Publish: &pb.PublishOp{Name: name, Payload: data, Tenant: tenant}}}, err)
	return b
}

// Audit adds an entry to the host's audit trail, committed with the batch:
// for the plugin's own actions worth recording (an approval, an export).
// The host already audits unmasked reads of Personal fields. The action is
// prefixed with the plugin id; target names what was acted on; detail must
// not hold personal data.
func (b *Batch) Audit(action, target string, detail any) *Batch {
	var data []byte
	var err error
	if detail != nil {
		data, err = json.Marshal(detail)
	}
	b.add(&pb.StorageOp{Op: &pb.StorageOp_Audit{Audit: &pb.AuditOp{Action: action, Target: target, Detail: data}}}, err)
	return b
}

func (b *Batch) add(op *pb.StorageOp, err error) *Written {
	if err != nil && b.err == nil {
		b.err = err
	}
	w := &Written{}
	b.ops = append(b.ops, op)
	b.written = append(b.written, w)
	return w
}

// Commit runs the batch in one transaction and fills in each Written. It
// returns the first failing operation's error, and then nothing is stored.
func (b *Batch) Commit(ctx context.Context) error {
	if b.err != nil {
		return b.err
	}
	res, err := b.req.run(ctx, true, b.ops...)
	if err != nil {
		return err
	}
	for _, r := range res {
		if err := storageError(r.Error); err != nil {
			return err
		}
	}
	for i, r := range res {
		if len(r.Records) > 0 {
			b.written[i].Record = recordFromPB(r.Records[0])
		}
	}
	return nil
}

// Publish records an event on its own.
func (r *Request) Publish(ctx context.Context, name string, payload any) error {
	b := r.Batch()
	b.Publish(name, payload)
	return b.Commit(ctx)
}
