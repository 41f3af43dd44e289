package records

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/tenancy"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// MaxLimit is the largest page a query returns.
const MaxLimit = 10000

// Scope is where one storage call may act: the tenant the host handed the
// plugin with the request, and what it may do beyond it.
type Scope struct {
	Tenant string
	// CanMoveTo approves moving a record to another tenant; nil refuses.
	CanMoveTo func(tenant string) error
	// Publish records an event of tenant (the scope's, or one CanMoveTo
	// approved) in the transaction of the writes; nil refuses.
	Publish func(tx *gorm.DB, tenant, name string, payload []byte) error
	// Audit records an audit entry in the transaction; nil refuses.
	Audit func(tx *gorm.DB, action, target string, detail []byte) error
	// OnWrite, when set, runs in every transaction that writes (insert,
	// update, delete, publish; audit entries alone do not count) just
	// before it commits; an error rolls the transaction back. The host
	// marks a request's idempotency key with it, in the same transaction.
	OnWrite func(tx *gorm.DB) error
	// Subtree, when set, returns the parts of Tenant's subtree that
	// operations with Subtree read (tenancy.RegionClause): the host leaves
	// out the tenants where the plugin's module is switched off. nil reads
	// the whole subtree.
	Subtree func() []tenancy.Region
	// Holds reports whether the caller holds a permission. Reads return a
	// collection's personal fields masked (see Mask) unless the caller
	// holds the collection's personal permission. nil shows them in full
	// and unaudited: an event delivery, or the host's own call, has no
	// caller to hide them from.
	Holds func(perm string) bool
	// PersonalRead records, in the operation's transaction, that an
	// operation showed personal fields unmasked to the caller; it is
	// called at most once per operation, and its error fails the call, so
	// that no such read goes unrecorded. nil records nothing.
	PersonalRead func(tx *gorm.DB, r PersonalRead) error
	// Reveal, when not empty, is why the plugin reads personal fields
	// unmasked for its own processing whatever the caller may see (sdk
	// Records.Reveal): every such read is recorded through PersonalRead
	// with this purpose, even for a caller without a login.
	Reveal string
}

// PersonalRead describes one storage operation that showed personal fields
// unmasked (UU PDP 27/2022): which records and which fields, never values.
// It is the detail of the host's <plugin>.personal.read audit entry.
type PersonalRead struct {
	// Collection is the collection read.
	Collection string `json:"-"`
	// Records are the ids of the records with a personal value shown.
	Records []string `json:"records,omitempty"`
	// Fields are the personal fields shown, sorted.
	Fields []string `json:"fields"`
	// Groups counts the aggregate groups whose key or sums came from
	// personal fields.
	Groups int `json:"groups,omitempty"`
	// Purpose is why the plugin revealed them (Scope.Reveal); empty for a
	// caller who may see them.
	Purpose string `json:"purpose,omitempty"`
	// Searched names the personal fields the query was filtered on (a
	// lookup by NIK): the search is recorded with the read, so a plugin
	// need not write an entry of its own for it.
	Searched []string `json:"searched,omitempty"`
}

// Engine runs plugins' storage operations.
type Engine struct {
	db    *store.DB
	cache *aggCache // per-tenant aggregate results (aggcache.go)
	mu    sync.RWMutex
	colls map[string]map[string]*Collection // plugin → name → collection
}

// NewEngine returns an engine over db.
func NewEngine(db *store.DB) *Engine {
	return &Engine{db: db, colls: map[string]map[string]*Collection{}, cache: newAggCache(db.DB)}
}

// Register ensures a plugin's tables and makes its collections usable.
func (e *Engine) Register(plugin string, colls []*pb.Collection) error {
	m, err := Ensure(e.db, plugin, colls)
	if err != nil {
		return err
	}
	e.mu.Lock()
	e.colls[plugin] = m
	e.mu.Unlock()
	return nil
}

// Collection returns a registered collection.
func (e *Engine) Collection(plugin, name string) (*Collection, bool) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	c, ok := e.colls[plugin][name]
	return c, ok
}

// opError is a failure the plugin should see as a result, not as a broken call.
func opError(code, format string, args ...any) *pb.Error {
	return &pb.Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Run executes a storage request for plugin within scope. With Atomic, all
// operations share one transaction and the first failing one rolls all back.
func (e *Engine) Run(ctx context.Context, plugin string, scope Scope, req *pb.StorageRequest) (*pb.StorageResponse, error) {
	res := &pb.StorageResponse{Results: make([]*pb.OpResult, len(req.Ops))}
	db := e.db.WithContext(ctx)
	if !req.Atomic && len(req.Ops) == 1 && !isWrite(req.Ops[0]) {
		r, err := e.runOp(db, plugin, scope, req.Ops[0], true)
		res.Results[0] = r
		return res, err
	}
	if !req.Atomic {
		for i, op := range req.Ops {
			var r *pb.OpResult
			err := db.Transaction(func(tx *gorm.DB) error {
				var err error
				r, err = e.runOp(tx, plugin, scope, op, true)
				if err == nil && r.Error != nil {
					return errRollback
				}
				if err == nil && scope.OnWrite != nil && writes(op) {
					err = scope.OnWrite(tx)
				}
				return err
			})
			if err != nil && !errors.Is(err, errRollback) {
				return nil, err
			}
			res.Results[i] = r
		}
		return res, nil
	}
	err := db.Transaction(func(tx *gorm.DB) error {
		for i, op := range req.Ops {
			// An aggregate after a write of the same transaction must not
			// be kept: the transaction may still roll back.
			r, err := e.runOp(tx, plugin, scope, op, false)
			if err != nil {
				return err
			}
			res.Results[i] = r
			if r.Error != nil {
				return errRollback
			}
		}
		if scope.OnWrite != nil && slices.ContainsFunc(req.Ops, writes) {
			return scope.OnWrite(tx)
		}
		return nil
	})
	if err != nil && !errors.Is(err, errRollback) {
		return nil, err
	}
	for i := range res.Results {
		if res.Results[i] == nil {
			res.Results[i] = &pb.OpResult{}
		}
	}
	return res, nil
}

var errRollback = errors.New("rollback")

// Refused is returned by a Scope callback to refuse an operation with a
// result error, as opposed to failing the whole call.
type Refused struct{ Code, Msg string }

func (r *Refused) Error() string { return r.Msg }

func isWrite(op *pb.StorageOp) bool {
	switch op.Op.(type) {
	case *pb.StorageOp_Get, *pb.StorageOp_Query, *pb.StorageOp_Aggregate:
		return false
	}
	return true
}

// writes reports whether op changes what a retry of the request would
// find: an audit entry alone does not (repeating a read audits it again).
func writes(op *pb.StorageOp) bool {
	_, audit := op.Op.(*pb.StorageOp_Audit)
	return isWrite(op) && !audit
}

// runOp runs one operation; cacheable says that no write precedes it in
// its transaction, so that an aggregate may use and fill the cache.
func (e *Engine) runOp(tx *gorm.DB, plugin string, scope Scope, op *pb.StorageOp, cacheable bool) (*pb.OpResult, error) {
	if p, ok := op.Op.(*pb.StorageOp_Publish); ok {
		if scope.Publish == nil {
			return &pb.OpResult{Error: opError("forbidden", "events cannot be published here")}, nil
		}
		tenant := scope.Tenant
		if to := p.Publish.Tenant; to != "" && to != scope.Tenant {
			if scope.CanMoveTo == nil {
				return &pb.OpResult{Error: opError("forbidden", "events cannot be published in another tenant here")}, nil
			}
			if err := scope.CanMoveTo(to); err != nil {
				return &pb.OpResult{Error: opError("forbidden", "%v", err)}, nil
			}
			tenant = to
		}
		err := scope.Publish(tx, tenant, p.Publish.Name, p.Publish.Payload)
		var ref *Refused
		if errors.As(err, &ref) {
			return &pb.OpResult{Error: opError(ref.Code, "%s", ref.Msg)}, nil
		}
		return &pb.OpResult{}, err
	}
	if a, ok := op.Op.(*pb.StorageOp_Audit); ok {
		if scope.Audit == nil {
			return &pb.OpResult{Error: opError("forbidden", "audit entries cannot be written here")}, nil
		}
		err := scope.Audit(tx, a.Audit.Action, a.Audit.Target, a.Audit.Detail)
		var ref *Refused
		if errors.As(err, &ref) {
			return &pb.OpResult{Error: opError(ref.Code, "%s", ref.Msg)}, nil
		}
		return &pb.OpResult{}, err
	}
	name := ""
	switch o := op.Op.(type) {
	case *pb.StorageOp_Get:
		name = o.Get.Collection
	case *pb.StorageOp_Insert:
		name = o.Insert.Collection
	case *pb.StorageOp_Update:
		name = o.Update.Collection
	case *pb.StorageOp_Delete:
		name = o.Delete.Collection
	case *pb.StorageOp_Query:
		name = o.Query.Collection
	case *pb.StorageOp_Aggregate:
		name = o.Aggregate.Collection
	default:
		return &pb.OpResult{Error: opError("plugin_error", "unknown storage operation")}, nil
	}
	c, ok := e.Collection(plugin, name)
	if !ok {
		// A plugin can name only its own collections: anything else, including
		// another plugin's table, does not exist for it.
		return &pb.OpResult{Error: opError("plugin_error", "collection %q is not declared by plugin %s", name, plugin)}, nil
	}
	x := &exec{tx: tx, c: c, scope: scope, dialect: e.db.Dialect}
	if cacheable {
		x.cache = e.cache
	}
	if scope.Holds != nil && c.HasPersonal() {
		x.mask = !scope.Holds(c.PersonalPermission) && scope.Reveal == ""
		x.audit = !x.mask && scope.PersonalRead != nil
		x.shown.Purpose = scope.Reveal
	}
	var r *pb.OpResult
	var err error
	switch o := op.Op.(type) {
	case *pb.StorageOp_Get:
		r, err = x.get(o.Get)
	case *pb.StorageOp_Insert:
		r, err = x.insert(o.Insert)
	case *pb.StorageOp_Update:
		r, err = x.update(o.Update)
	case *pb.StorageOp_Delete:
		r, err = x.delete(o.Delete)
	case *pb.StorageOp_Query:
		r, err = x.query(o.Query)
	case *pb.StorageOp_Aggregate:
		r, err = x.aggregate(o.Aggregate)
	}
	var inv *invalid
	if errors.As(err, &inv) {
		code := "invalid"
		if inv.misuse {
			code = "plugin_error"
		}
		return &pb.OpResult{Error: opError(code, "%s", inv.msg)}, nil
	}
	if err != nil {
		if field, dup := x.duplicate(err); dup {
			e := opError("duplicate", "a record with this %s already exists", field)
			e.Field = field
			return &pb.OpResult{Error: e}, nil
		}
		return nil, fmt.Errorf("%s.%s: %w", plugin, name, err)
	}
	if r.Error == nil && len(x.shown.Fields) > 0 {
		x.shown.Collection = name
		slices.Sort(x.shown.Fields)
		slices.Sort(x.shown.Searched)
		if err := scope.PersonalRead(tx, x.shown); err != nil {
			return nil, fmt.Errorf("%s.%s: recording a read of personal fields: %w", plugin, name, err)
		}
	}
	return r, nil
}

// exec runs one operation on one collection.
type exec struct {
	tx      *gorm.DB
	c       *Collection
	scope   Scope
	dialect store.Dialect
	// cache, when set, answers subtree aggregates (aggcache.go).
	cache *aggCache
	// mask hides personal fields in what the operation returns; audit
	// collects in shown those it returns unmasked, for Scope.PersonalRead.
	mask, audit bool
	shown       PersonalRead
}

// showPersonal notes that the operation returns field of record id (""
// for an aggregate group) unmasked.
func (x *exec) showPersonal(field, id string) {
	if !slices.Contains(x.shown.Fields, field) {
		x.shown.Fields = append(x.shown.Fields, field)
	}
	if id != "" && (len(x.shown.Records) == 0 || x.shown.Records[len(x.shown.Records)-1] != id) {
		x.shown.Records = append(x.shown.Records, id)
	}
}

func (x *exec) selectCols() string {
	cols := []string{"id", "tenant", "version", "created_at", "updated_at"}
	for _, f := range x.c.Fields {
		cols = append(cols, column(f.Name))
	}
	return strings.Join(cols, ", ")
}

// tenantWhere limits a statement to the scope's tenant, or its subtree
// (where the scope lets subtree reads go).
func (x *exec) tenantWhere(subtree bool) (string, []any) {
	if subtree {
		if x.scope.Subtree != nil {
			return tenancy.RegionClause("tenant", x.scope.Subtree())
		}
		return tenancy.SubtreeClause("tenant", []string{x.scope.Tenant})
	}
	return "tenant = ?", []any{x.scope.Tenant}
}

func (x *exec) scanRows(rows *sql.Rows) ([]*pb.Record, error) {
	defer rows.Close()
	var out []*pb.Record
	for rows.Next() {
		rec := &pb.Record{}
		dst := []any{&rec.Id, &rec.Tenant, &rec.Version, &rec.CreatedUnixMs, &rec.UpdatedUnixMs}
		for _, f := range x.c.Fields {
			dst = append(dst, scanTarget(f.Type))
		}
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		obj := make(map[string]any, len(x.c.Fields))
		for i, f := range x.c.Fields {
			v, ok := fromScan(f.Type, dst[5+i])
			switch {
			case !ok:
				continue
			case f.Personal && x.mask:
				v = Mask(f.Type, v)
			case f.Personal && x.audit:
				x.showPersonal(f.Name, rec.Id)
			}
			obj[f.Name] = v
		}
		b, err := json.Marshal(obj)
		if err != nil {
			return nil, err
		}
		rec.Data = b
		out = append(out, rec)
	}
	return out, rows.Err()
}

func (x *exec) get(op *pb.GetOp) (*pb.OpResult, error) {
	where, args := x.tenantWhere(op.Subtree)
	if op.ByField != "" {
		f, ok := x.c.Field(op.ByField)
		if !ok || !x.c.unique[op.ByField] {
			return nil, misusef("%s is not a unique field of %s", op.ByField, x.c.Name)
		}
		var v any
		dec := json.NewDecoder(strings.NewReader(string(op.ByValue)))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return nil, misusef("the value of %s is not JSON", op.ByField)
		}
		cv, err := toColumn(f, v)
		if err != nil {
			return nil, err
		}
		where += " AND " + column(op.ByField) + " = ?"
		args = append(args, cv)
	} else {
		where += " AND id = ?"
		args = append(args, op.Id)
	}
	rows, err := x.tx.Raw("SELECT "+x.selectCols()+" FROM "+x.c.Table+" WHERE "+where+" LIMIT 1", args...).Rows()
	if err != nil {
		return nil, err
	}
	recs, err := x.scanRows(rows)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return &pb.OpResult{Error: opError("not_found", "no such record in %s", x.c.Name)}, nil
	}
	return &pb.OpResult{Records: recs}, nil
}

// row converts a record's JSON into column values, checking required fields.
func (x *exec) row(data []byte, insert bool) (map[string]any, error) {
	obj, err := decodeObject(data)
	if err != nil {
		return nil, err
	}
	vals := make(map[string]any, len(obj))
	for k, v := range obj {
		f, ok := x.c.Field(k)
		if !ok {
			return nil, misusef("%s has no field %q", x.c.Name, k)
		}
		cv, err := toColumn(f, v)
		if err != nil {
			return nil, err
		}
		if text, ok := cv.(string); ok && f.Personal && x.mask && strings.Contains(text, "**") {
			// A caller who reads this field masked cannot have typed a
			// value with a run of asterisks: the plugin is writing back
			// what it read, which would destroy the real value.
			return nil, misusef("field %s holds a masked value: write back only the fields the caller changed", k)
		}
		if f.Required && (cv == nil || f.Type == pb.FieldType_FIELD_TYPE_STRING && strings.TrimSpace(cv.(string)) == "") {
			return nil, invalidf("field %s is required", k)
		}
		vals[column(k)] = cv
	}
	if insert {
		for _, f := range x.c.Fields {
			if _, ok := vals[column(f.Name)]; !ok && f.Required {
				return nil, invalidf("field %s is required", f.Name)
			}
		}
	}
	return vals, nil
}

func (x *exec) insert(op *pb.InsertOp) (*pb.OpResult, error) {
	if len(op.Records) == 0 {
		return &pb.OpResult{}, nil
	}
	cols := []string{"id", "tenant", "version", "created_at", "updated_at"}
	for _, f := range x.c.Fields {
		cols = append(cols, column(f.Name))
	}
	tenant := x.scope.Tenant
	if op.ToTenant != "" && op.ToTenant != tenant {
		if x.scope.CanMoveTo == nil {
			return &pb.OpResult{Error: opError("forbidden", "records cannot be written to another tenant here")}, nil
		}
		if err := x.scope.CanMoveTo(op.ToTenant); err != nil {
			return &pb.OpResult{Error: opError("forbidden", "%v", err)}, nil
		}
		tenant = op.ToTenant
	}
	now := time.Now().UnixMilli()
	rows := make([][]any, 0, len(op.Records))
	recs := make([]*pb.Record, 0, len(op.Records))
	for i, r := range op.Records {
		vals, err := x.row(r.Data, true)
		if err != nil {
			if len(op.Records) > 1 {
				return nil, misusef("record %d: %v", i, err)
			}
			return nil, err
		}
		id, err := uuid.NewV7()
		if err != nil {
			return nil, err
		}
		row := []any{id.String(), tenant, int64(1), now, now}
		for _, f := range x.c.Fields {
			row = append(row, vals[column(f.Name)])
		}
		rows = append(rows, row)
		recs = append(recs, &pb.Record{Id: id.String(), Tenant: tenant, Version: 1, CreatedUnixMs: now, UpdatedUnixMs: now})
	}
	written, err := x.insertRows(cols, rows, op.SkipDuplicates)
	if err != nil {
		return nil, err
	}
	if slices.Contains(written, true) {
		if err := bumpVersion(x.tx, x.c.Table, tenant); err != nil {
			return nil, err
		}
	}
	res := &pb.OpResult{}
	for i, r := range recs {
		if !written[i] {
			res.Skipped = append(res.Skipped, int32(i))
			continue
		}
		r.Data = op.Records[i].Data
		res.Records = append(res.Records, r)
	}
	return res, nil
}

func (x *exec) update(op *pb.UpdateOp) (*pb.OpResult, error) {
	vals := map[string]any{}
	if len(op.Patch) > 0 {
		var err error
		if vals, err = x.row(op.Patch, false); err != nil {
			return nil, err
		}
	}
	if op.MoveToTenant != "" && op.MoveToTenant != x.scope.Tenant {
		if x.scope.CanMoveTo == nil {
			return &pb.OpResult{Error: opError("forbidden", "records cannot be moved here")}, nil
		}
		if err := x.scope.CanMoveTo(op.MoveToTenant); err != nil {
			return &pb.OpResult{Error: opError("forbidden", "%v", err)}, nil
		}
		vals["tenant"] = op.MoveToTenant
	}
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	set := []string{"version = version + 1", "updated_at = ?"}
	args := []any{time.Now().UnixMilli()}
	for _, k := range keys {
		set = append(set, k+" = ?")
		args = append(args, vals[k])
	}
	for _, inc := range op.Increments {
		col, f, err := x.columnOf(inc.Field)
		if err != nil {
			return nil, err
		}
		if f == nil || (f.Type != pb.FieldType_FIELD_TYPE_INT && f.Type != pb.FieldType_FIELD_TYPE_FLOAT) {
			return nil, misusef("only number fields can be incremented, not %s", inc.Field)
		}
		if _, both := vals[col]; both {
			return nil, misusef("%s is both set and incremented", inc.Field)
		}
		var by any = inc.By
		if f.Type == pb.FieldType_FIELD_TYPE_INT {
			if inc.By != float64(int64(inc.By)) {
				return nil, misusef("%s is a whole number and cannot grow by %v", inc.Field, inc.By)
			}
			by = int64(inc.By)
		}
		set = append(set, col+" = COALESCE("+col+", 0) + ?")
		args = append(args, by)
	}
	// The guards go through the same filter code as queries; the tenant
	// clause it starts with is the one this update needs anyway.
	where, wargs, err := x.where(op.Where, false)
	if err != nil {
		return nil, err
	}
	where += " AND id = ?"
	wargs = append(wargs, op.Id)
	if op.ExpectVersion > 0 {
		where += " AND version = ?"
		wargs = append(wargs, op.ExpectVersion)
	}
	rows, err := x.tx.Raw("UPDATE "+x.c.Table+" SET "+strings.Join(set, ", ")+" WHERE "+where+" RETURNING "+x.selectCols(), append(args, wargs...)...).Rows()
	if err != nil {
		return nil, err
	}
	recs, err := x.scanRows(rows)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return &pb.OpResult{Error: x.missing(op.Id, op.ExpectVersion)}, nil
	}
	if err := bumpVersion(x.tx, x.c.Table, x.scope.Tenant); err != nil {
		return nil, err
	}
	if to := recs[0].Tenant; to != x.scope.Tenant {
		if err := bumpVersion(x.tx, x.c.Table, to); err != nil {
			return nil, err
		}
	}
	return &pb.OpResult{Records: recs}, nil
}

// missing tells not_found from conflict and condition_failed after a write
// matched no row.
func (x *exec) missing(id string, expectVersion int64) *pb.Error {
	where, args := x.tenantWhere(false)
	var version int64
	err := x.tx.Raw("SELECT version FROM "+x.c.Table+" WHERE "+where+" AND id = ?", append(args, id)...).Row().Scan(&version)
	switch {
	case err != nil:
		return opError("not_found", "no such record in %s", x.c.Name)
	case expectVersion > 0 && version != expectVersion:
		return opError("conflict", "the record changed since it was read: read it again")
	}
	return opError("condition_failed", "the record does not meet the update's conditions")
}

func (x *exec) delete(op *pb.DeleteOp) (*pb.OpResult, error) {
	where, args := x.tenantWhere(false)
	where += " AND id = ?"
	args = append(args, op.Id)
	if op.ExpectVersion > 0 {
		where += " AND version = ?"
		args = append(args, op.ExpectVersion)
	}
	res := x.tx.Exec("DELETE FROM "+x.c.Table+" WHERE "+where, args...)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return &pb.OpResult{Error: x.missing(op.Id, op.ExpectVersion)}, nil
	}
	if err := bumpVersion(x.tx, x.c.Table, x.scope.Tenant); err != nil {
		return nil, err
	}
	return &pb.OpResult{}, nil
}

// columnOf maps a field name in a filter or sort to its column.
func (x *exec) columnOf(name string) (string, *pb.Field, error) {
	switch name {
	case "id", "tenant", "version", "created_at", "updated_at":
		return name, nil, nil
	}
	f, ok := x.c.Field(name)
	if !ok {
		return "", nil, misusef("%s has no field %q", x.c.Name, name)
	}
	return column(name), f, nil
}

func (x *exec) filterValue(f *pb.Field, raw []byte) (any, error) {
	var v any
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, misusef("a filter value is not JSON")
	}
	if err := cleanValue("of a filter", v); err != nil {
		return nil, err
	}
	if f == nil {
		if n, ok := v.(json.Number); ok {
			i, err := n.Int64()
			if err != nil {
				return nil, invalidf("a filter value must be a whole number")
			}
			return i, nil
		}
		return v, nil
	}
	return toColumn(f, v)
}

func (x *exec) where(filters []*pb.Filter, subtree bool) (string, []any, error) {
	where, args := x.tenantWhere(subtree)
	fw, fargs, err := x.filterWhere(filters)
	if err != nil {
		return "", nil, err
	}
	return where + fw, append(args, fargs...), nil
}

// filterWhere turns filters into " AND …" clauses with their arguments.
func (x *exec) filterWhere(filters []*pb.Filter) (string, []any, error) {
	where, args := "", []any{}
	for _, flt := range filters {
		col, f, err := x.columnOf(flt.Field)
		if err != nil {
			return "", nil, err
		}
		switch flt.Op {
		case "=", "!=", "<", "<=", ">", ">=":
			v, err := x.filterValue(f, flt.Value)
			if err != nil {
				return "", nil, err
			}
			op := flt.Op
			if op == "!=" {
				op = "<>"
			}
			where += " AND " + col + " " + op + " ?"
			args = append(args, v)
		case "in":
			var list []json.RawMessage
			if err := json.Unmarshal(flt.Value, &list); err != nil || len(list) == 0 || len(list) > 1000 {
				return "", nil, invalidf("the value of an in filter must be a JSON array of 1 to 1000 values")
			}
			var vals []any
			for _, raw := range list {
				v, err := x.filterValue(f, raw)
				if err != nil {
					return "", nil, err
				}
				vals = append(vals, v)
			}
			where += " AND " + col + " IN ?"
			args = append(args, vals)
		case "like", "prefix":
			var s string
			if err := json.Unmarshal(flt.Value, &s); err != nil || cleanValue("of a filter", s) != nil {
				return "", nil, invalidf("the value of a %s filter must be a string without NUL", flt.Op)
			}
			pattern := likeEscape(strings.ToLower(s)) + "%"
			if flt.Op == "like" {
				pattern = "%" + pattern
				where += " AND LOWER(" + col + `) LIKE ? ESCAPE '\'`
			} else {
				pattern = likeEscape(s) + "%"
				where += " AND " + col + ` LIKE ? ESCAPE '\'`
			}
			args = append(args, pattern)
		case "null":
			where += " AND " + col + " IS NULL"
		case "notnull":
			where += " AND " + col + " IS NOT NULL"
		default:
			return "", nil, misusef("unknown filter operator %q", flt.Op)
		}
	}
	return where, args, nil
}

func (x *exec) query(q *pb.Query) (*pb.OpResult, error) {
	if x.audit {
		for _, flt := range q.Filters {
			if f, ok := x.c.Field(flt.Field); ok && f.Personal && !slices.Contains(x.shown.Searched, f.Name) {
				x.shown.Searched = append(x.shown.Searched, f.Name)
			}
		}
	}
	where, args, err := x.where(q.Filters, q.Subtree)
	if err != nil {
		return nil, err
	}
	res := &pb.OpResult{}
	if q.Count {
		if err := x.tx.Raw("SELECT COUNT(*) FROM "+x.c.Table+" WHERE "+where, args...).Scan(&res.Total).Error; err != nil {
			return nil, err
		}
	}
	limit := int(q.Limit)
	if limit <= 0 {
		limit = 50
	}
	if limit > MaxLimit {
		return nil, misusef("a query returns at most %d records", MaxLimit)
	}
	if q.Offset < 0 {
		return nil, misusef("offset cannot be negative")
	}
	order := []string{}
	for _, s := range q.Sort {
		col, _, err := x.columnOf(s.Field)
		if err != nil {
			return nil, err
		}
		dir := "ASC"
		if s.Desc {
			dir = "DESC"
		}
		order = append(order, col+" "+dir)
	}
	order = append(order, "id ASC")
	stmt := "SELECT " + x.selectCols() + " FROM " + x.c.Table + " WHERE " + where + " ORDER BY " + strings.Join(order, ", ") + fmt.Sprintf(" LIMIT %d OFFSET %d", limit, q.Offset)
	rows, err := x.tx.Raw(stmt, args...).Rows()
	if err != nil {
		return nil, err
	}
	if res.Records, err = x.scanRows(rows); err != nil {
		return nil, err
	}
	return res, nil
}

func (x *exec) aggregate(a *pb.Aggregate) (*pb.OpResult, error) {
	where, args, err := x.where(a.Filters, a.Subtree)
	if err != nil {
		return nil, err
	}
	if len(a.GroupBy) > 4 {
		return nil, misusef("group by at most 4 fields")
	}
	var groupCols, sel []string
	var types []pb.FieldType
	var personal []bool // per group key: from a personal field
	for _, g := range a.GroupBy {
		col, f, err := x.columnOf(g)
		if err != nil {
			return nil, err
		}
		t := pb.FieldType_FIELD_TYPE_STRING
		if f != nil {
			t = f.Type
		} else if g == "version" || g == "created_at" || g == "updated_at" {
			t = pb.FieldType_FIELD_TYPE_INT
		}
		groupCols = append(groupCols, col)
		types = append(types, t)
		personal = append(personal, f != nil && f.Personal)
	}
	var personalSums []string
	sel = append(sel, groupCols...)
	sel = append(sel, "COUNT(*)")
	for _, s := range a.Sum {
		_, f, err := x.columnOf(s)
		if err != nil {
			return nil, err
		}
		if f == nil || (f.Type != pb.FieldType_FIELD_TYPE_INT && f.Type != pb.FieldType_FIELD_TYPE_FLOAT) {
			return nil, misusef("only number fields can be summed, not %s", s)
		}
		if f.Personal {
			// A sum over one record is its value: it is shown, or not, as
			// the value would be.
			if x.mask {
				return &pb.OpResult{Error: opError("forbidden", "%s is personal: summing it needs %s", s, x.c.PersonalPermission)}, nil
			}
			personalSums = append(personalSums, s)
		}
		sel = append(sel, "COALESCE(SUM("+column(s)+"), 0)")
	}
	var groups []rawGroup
	if x.cache != nil && a.Subtree {
		fw, fargs, err := x.filterWhere(a.Filters)
		if err != nil {
			return nil, err
		}
		if groups, err = x.aggregateCached(groupCols, types, a.Sum, fw, fargs); err != nil {
			return nil, err
		}
	} else if groups, err = x.aggregateRows(sel, where, args, groupCols, types, len(a.Sum)); err != nil {
		return nil, err
	}
	res := &pb.OpResult{}
	for _, g := range groups {
		key := make([]any, len(types))
		shown := false
		for i, t := range types {
			v := g.key[i]
			switch {
			case v != nil && personal[i] && x.mask:
				v = Mask(t, v)
			case v != nil && personal[i] && x.audit:
				x.showPersonal(a.GroupBy[i], "")
				shown = true
			}
			key[i] = v
		}
		if x.audit && len(personalSums) > 0 {
			for _, s := range personalSums {
				x.showPersonal(s, "")
			}
			shown = true
		}
		if shown {
			x.shown.Groups++
		}
		kb, err := json.Marshal(key)
		if err != nil {
			return nil, err
		}
		res.Groups = append(res.Groups, &pb.Group{Key: kb, Count: g.count, Sums: g.sums})
	}
	return res, nil
}

// aggregateRows runs an aggregate in the database as one statement.
func (x *exec) aggregateRows(sel []string, where string, args []any, groupCols []string, types []pb.FieldType, nsums int) ([]rawGroup, error) {
	stmt := "SELECT " + strings.Join(sel, ", ") + " FROM " + x.c.Table + " WHERE " + where
	if len(groupCols) > 0 {
		stmt += " GROUP BY " + strings.Join(groupCols, ", ") + " ORDER BY " + strings.Join(groupCols, ", ")
	}
	rows, err := x.tx.Raw(stmt, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rawGroup
	for rows.Next() {
		dst := make([]any, 0, len(sel))
		for _, t := range types {
			dst = append(dst, scanTarget(t))
		}
		g := rawGroup{key: make([]any, len(types)), sums: make([]float64, nsums)}
		dst = append(dst, &g.count)
		for i := range g.sums {
			dst = append(dst, &g.sums[i])
		}
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		for i, t := range types {
			// A missing value is nil, as the SDK documents (a NULL
			// number used to come back as 0).
			if v, ok := fromScan(t, dst[i]); ok {
				g.key[i] = v
			}
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// duplicate recognises a unique-index violation and names its field.
func (x *exec) duplicate(err error) (string, bool) {
	if !store.IsUniqueViolation(err) {
		return "", false
	}
	msg := err.Error()
	for _, ix := range x.c.Indexes {
		if !ix.Unique {
			continue
		}
		cols := []string{}
		if !ix.DeploymentWide {
			cols = append(cols, "tenant")
		}
		for _, f := range ix.Fields {
			cols = append(cols, column(f))
		}
		name := indexName(x.c.Table, cols, true)
		if strings.Contains(msg, name) || strings.Contains(msg, x.c.Table+"."+column(ix.Fields[len(ix.Fields)-1])) {
			return strings.Join(ix.Fields, ","), true
		}
	}
	return "record", true
}
