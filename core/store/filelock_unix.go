//go:build unix

package store

import (
	"context"
	"os"
	"syscall"
	"time"
)

// fileLock is an exclusive flock(2) on a file next to the database, held
// by the one Balai writer of the machine at a time. The kernel queues the
// processes waiting for it, where SQLite's own lock would make them poll.
type fileLock struct{ f *os.File }

func openFileLock(path string) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	return &fileLock{f: f}, nil
}

// lock waits for the lock until ctx ends or giveUp fires. A wait given up
// leaves a goroutine that lets the lock go as soon as it gets it.
func (l *fileLock) lock(ctx context.Context, giveUp <-chan time.Time) error {
	fd := int(l.f.Fd())
	if err := syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB); err == nil {
		return nil
	}
	got := make(chan error) // unbuffered: a wait given up takes nothing from it
	abandoned := make(chan struct{})
	go func() {
		err := syscall.Flock(fd, syscall.LOCK_EX)
		select {
		case got <- err:
		case <-abandoned:
			if err == nil {
				syscall.Flock(fd, syscall.LOCK_UN)
			}
		}
	}()
	select {
	case err := <-got:
		return err
	case <-ctx.Done():
		close(abandoned)
		return ctx.Err()
	case <-giveUp:
		close(abandoned)
		return errBusyTooLong
	}
}

func (l *fileLock) unlock() { syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN) }

func (l *fileLock) close() error { return l.f.Close() }
