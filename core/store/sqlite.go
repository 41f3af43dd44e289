package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// SQLite takes one writer at a time per database file. Left to itself it
// makes every other writer poll (busy_timeout) and then fail with
// SQLITE_BUSY: the regency seed failed so twice (issue 11), its parallel
// village imports, the host's audit and policy writes and a running
// server's writes all polling for the same lock. Balai therefore queues
// its writers instead of letting them poll:
//
//   - in a process, a write (a transaction, or a statement that is not a
//     read outside one) first takes the handle's write gate, a queue in
//     arrival order;
//   - between processes sharing the file (a server and the CLI's seed), the
//     gate holder then takes an exclusive lock on <file>-writer (flock),
//     which the kernel hands to a waiting process; a holder that held the
//     lock for a while lets a short pause pass before taking it again, so
//     that a waiting process gets its turn;
//   - what still meets SQLITE_BUSY (a writer that is not Balai, such as the
//     sqlite3 shell, or a read during WAL recovery) is retried: BEGIN
//     IMMEDIATE, COMMIT and a single statement that failed busy changed
//     nothing, so trying again is safe.
//
// A caller sees a busy database only when writePatience passes, or its
// context ends, while it waits.

// writePatience bounds how long one write waits for its turn.
const writePatience = 5 * time.Minute

// sqliteBusyTimeout is SQLite's own wait per attempt, in milliseconds:
// short, as the queue above does the waiting.
const sqliteBusyTimeout = 1000

// writerPause is what a process that held the lock for at least
// writerLongHold waits before taking it again.
const (
	writerPause    = 2 * time.Millisecond
	writerLongHold = 10 * time.Millisecond
)

// writeGate admits one writer at a time: within the process through a
// channel (waiters are served in arrival order), between processes
// through the file lock.
type writeGate struct {
	ch   chan struct{}
	file *fileLock // nil: no cross-process lock (not available here)

	mu       sync.Mutex
	released time.Time     // when the last holder let go
	held     time.Duration // how long it held
	since    time.Time     // when the current holder took it
}

func newWriteGate(dbPath string) (*writeGate, error) {
	g := &writeGate{ch: make(chan struct{}, 1)}
	file := strings.TrimPrefix(dbPath, "file:")
	if i := strings.IndexByte(file, '?'); i >= 0 {
		file = file[:i]
	}
	if file == "" || strings.Contains(file, ":memory:") || strings.Contains(dbPath, "mode=memory") {
		return g, nil // a database in memory belongs to this process alone
	}
	f, err := openFileLock(file + "-writer")
	if err != nil {
		return nil, fmt.Errorf("opening the writer lock of %s: %w", dbPath, err)
	}
	g.file = f
	return g, nil
}

// acquire takes the gate, waiting at most until ctx ends or writePatience.
func (g *writeGate) acquire(ctx context.Context) error {
	timer := time.NewTimer(writePatience)
	defer timer.Stop()
	select {
	case g.ch <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return errBusyTooLong
	}
	g.mu.Lock()
	wait := time.Duration(0)
	if g.held >= writerLongHold {
		wait = writerPause - time.Since(g.released)
	}
	g.mu.Unlock()
	if wait > 0 {
		time.Sleep(wait)
	}
	if g.file != nil {
		if err := g.file.lock(ctx, timer.C); err != nil {
			<-g.ch
			return err
		}
	}
	g.mu.Lock()
	g.since = time.Now()
	g.mu.Unlock()
	return nil
}

func (g *writeGate) release() {
	g.mu.Lock()
	g.released = time.Now()
	g.held = g.released.Sub(g.since)
	g.mu.Unlock()
	if g.file != nil {
		g.file.unlock()
	}
	<-g.ch
}

func (g *writeGate) close() error {
	if g.file != nil {
		return g.file.close()
	}
	return nil
}

var errBusyTooLong = errors.New("the database stayed busy with other writers for " + writePatience.String())

// isBusy reports whether err is SQLITE_BUSY (with any extended code).
func isBusy(err error) bool {
	var coded interface{ Code() int }
	return errors.As(err, &coded) && coded.Code()&0xff == 5
}

// retryBusy runs f until it does not fail busy, with a growing pause, for
// at most writePatience or until ctx ends.
func retryBusy(ctx context.Context, f func() error) error {
	deadline := time.Now().Add(writePatience)
	pause := time.Millisecond
	for {
		err := f()
		if !isBusy(err) {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%w: %w", errBusyTooLong, err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (waiting for the database: %w)", ctx.Err(), err)
		case <-time.After(pause):
		}
		pause = min(pause*2, 50*time.Millisecond)
	}
}

// isRead reports whether a statement outside a transaction only reads, so
// needs no turn as a writer.
func isRead(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n(")
	if len(q) > 7 {
		q = q[:7]
	}
	q = strings.ToUpper(q)
	for _, p := range []string{"SELECT", "PRAGMA", "EXPLAIN", "VALUES"} {
		if strings.HasPrefix(q, p) {
			return true
		}
	}
	return false
}

// gatedConnector opens the SQLite driver's connections wrapped in
// gatedConn.
type gatedConnector struct {
	drv  driver.Driver
	dsn  string
	gate *writeGate
}

func (c *gatedConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &gatedConn{Conn: conn, gate: c.gate}, nil
}

func (c *gatedConnector) Driver() driver.Driver { return c.drv }

// gatedConn makes every write on it take the gate (see writeGate).
type gatedConn struct {
	driver.Conn
	gate *writeGate
	inTx bool
}

type sqliteConn interface {
	driver.ConnBeginTx
	driver.ExecerContext
	driver.QueryerContext
	driver.ConnPrepareContext
}

func (c *gatedConn) inner() sqliteConn { return c.Conn.(sqliteConn) }

func (c *gatedConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.inner().PrepareContext(ctx, query)
}

func (c *gatedConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *gatedConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if err := c.gate.acquire(ctx); err != nil {
		return nil, err
	}
	var tx driver.Tx
	err := retryBusy(ctx, func() (err error) {
		tx, err = c.inner().BeginTx(ctx, opts)
		return err
	})
	if err != nil {
		c.gate.release()
		return nil, err
	}
	c.inTx = true
	return &gatedTx{Tx: tx, c: c, ctx: ctx}, nil
}

func (c *gatedConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if c.inTx || isRead(query) {
		return c.inner().ExecContext(ctx, query, args)
	}
	if err := c.gate.acquire(ctx); err != nil {
		return nil, err
	}
	defer c.gate.release()
	var res driver.Result
	err := retryBusy(ctx, func() (err error) {
		res, err = c.inner().ExecContext(ctx, query, args)
		return err
	})
	return res, err
}

func (c *gatedConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if c.inTx || isRead(query) {
		var rows driver.Rows
		err := retryBusy(ctx, func() (err error) {
			rows, err = c.inner().QueryContext(ctx, query, args)
			return err
		})
		return rows, err
	}
	// A write with RETURNING: the gate is held until its rows are closed.
	if err := c.gate.acquire(ctx); err != nil {
		return nil, err
	}
	var rows driver.Rows
	err := retryBusy(ctx, func() (err error) {
		rows, err = c.inner().QueryContext(ctx, query, args)
		return err
	})
	if err != nil {
		c.gate.release()
		return nil, err
	}
	return &gatedRows{Rows: rows, gate: c.gate}, nil
}

// gatedTx gives the gate back when the transaction ends.
type gatedTx struct {
	driver.Tx
	c    *gatedConn
	ctx  context.Context
	done bool
}

func (t *gatedTx) end() {
	if !t.done {
		t.done = true
		t.c.inTx = false
		t.c.gate.release()
	}
}

func (t *gatedTx) Commit() error {
	defer t.end()
	// COMMIT may answer busy and may then be tried again (sqlite.org/lang_transaction.html).
	return retryBusy(context.WithoutCancel(t.ctx), t.Tx.Commit)
}

func (t *gatedTx) Rollback() error {
	defer t.end()
	return t.Tx.Rollback()
}

// gatedRows gives the gate back when a writing query's rows are closed.
type gatedRows struct {
	driver.Rows
	gate   *writeGate
	closed bool
}

func (r *gatedRows) Close() error {
	err := r.Rows.Close()
	if !r.closed {
		r.closed = true
		r.gate.release()
	}
	return err
}

// openSQLite opens the pool of a SQLite file whose writers queue at gate.
func openSQLite(dsn string, gate *writeGate) (*sql.DB, error) {
	probe, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	drv := probe.Driver()
	probe.Close()
	return sql.OpenDB(&gatedConnector{drv: drv, dsn: dsn, gate: gate}), nil
}
