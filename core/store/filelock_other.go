//go:build !unix

package store

import (
	"context"
	"time"
)

// fileLock is a no-op where flock(2) is missing: processes sharing the
// file then rely on SQLite's busy wait and retryBusy alone.
type fileLock struct{}

func openFileLock(string) (*fileLock, error)                     { return nil, nil }
func (l *fileLock) lock(context.Context, <-chan time.Time) error { return nil }
func (l *fileLock) unlock()                                      {}
func (l *fileLock) close() error                                 { return nil }
