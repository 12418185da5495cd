// Package caselock keeps two processors (a watcher and a manual build, or two watchers)
// from writing the same case at once. A lock is an operating-system file lock on a file in
// the git folder (or, outside git, in the temporary folder): it is never committed, and the
// system releases it when the process ends, however it ends.
package caselock

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// ErrBusy means another processor holds the lock and did not let go in time.
var ErrBusy = errors.New("ett annat program (processor watch eller build) arbetar med ärendet just nu")

// Dir is the folder of the locks of the repository at root.
func Dir(root string) string {
	if info, err := os.Stat(filepath.Join(root, ".git")); err == nil && info.IsDir() {
		return filepath.Join(root, ".git", "utlamnande-las")
	}
	sum := sha256.Sum256([]byte(root))
	return filepath.Join(os.TempDir(), "utlamnande-las-"+hex.EncodeToString(sum[:6]))
}

// ErrInterrupted means the wait for a lock was given up because its context ended (Ctrl-C,
// SIGTERM). The error of LockContext is then also the context's error.
var ErrInterrupted = errors.New("avbrutet")

// interruptedError is a wait for case id's lock ended by its context.
type interruptedError struct {
	id    string
	cause error
}

func (e *interruptedError) Error() string {
	return "avbrutet medan processorn väntade på låset för ärende " + e.id
}

func (e *interruptedError) Unwrap() []error { return []error{ErrInterrupted, e.cause} }

// poll is how often a held lock is tried again.
const poll = 20 * time.Millisecond

// Lock takes the lock of case id, waiting at most wait. release gives it back.
func Lock(root, id string, wait time.Duration) (release func(), err error) {
	return LockContext(context.Background(), root, id, wait)
}

// LockContext is Lock that also stops waiting when ctx ends (Ctrl-C): it then returns at
// once an error that is ErrInterrupted and ctx's error, without the lock. A ctx already
// ended takes no lock, even a free one. nil ctx: never.
func LockContext(ctx context.Context, root, id string, wait time.Duration) (release func(), err error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ctx.Err(); err != nil {
		return nil, &interruptedError{id, err}
	}
	dir := Dir(root)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("kan inte skapa låsmappen %s: %w", dir, err)
	}
	f, err := os.OpenFile(filepath.Join(dir, id+".lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("kan inte öppna låset för %s: %w", id, err)
	}
	deadline := time.Now().Add(wait)
	var tick *time.Ticker
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("kan inte låsa %s: %w", id, err)
		}
		if ok {
			return func() { unlock(f); f.Close() }, nil
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("%s: %w", id, ErrBusy)
		}
		if tick == nil {
			tick = time.NewTicker(poll)
			defer tick.Stop()
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, &interruptedError{id, ctx.Err()}
		case <-tick.C:
		}
	}
}
