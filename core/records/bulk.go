package records

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/store"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// insertRows writes rows (values in the order of cols) into the
// collection's table within the operation's transaction. With skipDup a
// row that clashes with a unique index is left out instead of failing the
// statement; the answer then holds the positions of the rows written.
// Without, the first clash fails the call, as one multi-row INSERT did.
//
// Each database gets the form it takes fastest (BENCHMARKS.md, issue 11):
//
//   - SQLite: one prepared single-row INSERT executed per row. The pure-Go
//     driver (glebarez/go-sqlite) matches every bound parameter against the
//     argument list linearly, so a multi-row INSERT of n parameters cost
//     O(n²): with the 30,000 parameters of a 1,200-row statement that was
//     63 % of the whole import's CPU. SQLite compiles a statement once and
//     steps it per row anyway, so one row per execution loses nothing.
//   - PostgreSQL: one INSERT … SELECT FROM unnest($1::text[], …) per batch,
//     one array parameter per column: the server parses and plans one small
//     statement instead of a VALUES list of 30,000 parameters, and pgx
//     sends the arrays in binary.
func (x *exec) insertRows(cols []string, rows [][]any, skipDup bool) (written []bool, err error) {
	written = make([]bool, len(rows))
	ctx := x.tx.Statement.Context
	if ctx == nil {
		ctx = context.Background()
	}
	pool := x.tx.Statement.ConnPool
	conflict := ""
	if skipDup {
		conflict = " ON CONFLICT DO NOTHING"
	}
	if x.dialect != store.Postgres {
		return written, x.insertSQLite(ctx, pool, cols, rows, conflict, written)
	}
	arrays, casts := x.columnArrays(cols, rows)
	var sb strings.Builder
	sb.WriteString("INSERT INTO " + x.c.Table + " (" + strings.Join(cols, ", ") + ") SELECT * FROM unnest(")
	for i, c := range casts {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "$%d::%s[]", i+1, c)
	}
	sb.WriteString(")" + conflict)
	if !skipDup {
		if _, err := pool.ExecContext(ctx, sb.String(), arrays...); err != nil {
			return nil, err
		}
		for i := range written {
			written[i] = true
		}
		return written, nil
	}
	sb.WriteString(" RETURNING id")
	q, err := pool.QueryContext(ctx, sb.String(), arrays...)
	if err != nil {
		return nil, err
	}
	defer q.Close()
	at := make(map[string]int, len(rows))
	for i, row := range rows {
		at[row[0].(string)] = i
	}
	for q.Next() {
		var id string
		if err := q.Scan(&id); err != nil {
			return nil, err
		}
		if i, ok := at[id]; ok {
			written[i] = true
		}
	}
	return written, q.Err()
}

// columnArrays turns rows into one typed array per column for
// PostgreSQL's unnest, with the SQL type each array is cast to. NULLs are
// nil pointers.
func (x *exec) columnArrays(cols []string, rows [][]any) ([]any, []string) {
	arrays := make([]any, len(cols))
	casts := make([]string, len(cols))
	for j := range cols {
		t := pb.FieldType_FIELD_TYPE_STRING
		switch {
		case j == 2 || j == 3 || j == 4: // version, created_at, updated_at
			t = pb.FieldType_FIELD_TYPE_INT
		case j >= 5:
			t = x.c.Fields[j-5].Type
		}
		switch t {
		case pb.FieldType_FIELD_TYPE_INT:
			arrays[j], casts[j] = columnOf[int64](rows, j), "bigint"
		case pb.FieldType_FIELD_TYPE_FLOAT:
			arrays[j], casts[j] = columnOf[float64](rows, j), "double precision"
		case pb.FieldType_FIELD_TYPE_BOOL:
			arrays[j], casts[j] = columnOf[bool](rows, j), "boolean"
		default:
			arrays[j], casts[j] = columnOf[string](rows, j), "text"
		}
	}
	return arrays, casts
}

// columnOf is column j of rows as an array of T, nil where a row holds no
// T (NULL).
func columnOf[T any](rows [][]any, j int) []*T {
	a := make([]*T, len(rows))
	for i, r := range rows {
		if v, ok := r[j].(T); ok {
			a[i] = &v
		}
	}
	return a
}

// insertSQLite writes rows with one INSERT … SELECT over json_each of a
// single parameter, a JSON array of the rows, marking in written the rows
// the database took (RETURNING id, as ON CONFLICT DO NOTHING skips
// silently). The pure-Go driver parses a statement at every execution (it
// keeps no compiled statements) and binds parameters in O(n²) of their
// number; a multi-row VALUES statement also compiles every row into its
// program. One short statement with one parameter avoids all three, and
// SQLite reads the JSON in its own code.
func (x *exec) insertSQLite(ctx context.Context, pool gorm.ConnPool, cols []string, rows [][]any, conflict string, written []bool) error {
	sel := make([]string, len(cols))
	for j := range cols {
		sel[j] = fmt.Sprintf("value->>%d", j)
	}
	// "WHERE true" tells SQLite's parser that ON CONFLICT belongs to the
	// INSERT, not to a join of the SELECT (sqlite.org/lang_upsert.html).
	stmt := "INSERT INTO " + x.c.Table + " (" + strings.Join(cols, ", ") + ") SELECT " + strings.Join(sel, ", ") + " FROM json_each(?) WHERE true" + conflict
	data, err := json.Marshal(rows)
	if err != nil {
		return fmt.Errorf("encoding rows: %w", err)
	}
	if conflict == "" {
		if _, err := pool.ExecContext(ctx, stmt, string(data)); err != nil {
			return err
		}
		for i := range written {
			written[i] = true
		}
		return nil
	}
	q, err := pool.QueryContext(ctx, stmt+" RETURNING id", string(data))
	if err != nil {
		return err
	}
	defer q.Close()
	at := make(map[string]int, len(rows))
	for i, row := range rows {
		at[row[0].(string)] = i
	}
	for q.Next() {
		var id string
		if err := q.Scan(&id); err != nil {
			return err
		}
		if i, ok := at[id]; ok {
			written[i] = true
		}
	}
	return q.Err()
}
