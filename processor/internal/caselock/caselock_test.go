package caselock

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"testing"
	"time"
)

// A second holder waits, and gets the lock when the first lets go.
func TestLockExcludes(t *testing.T) {
	root := t.TempDir()
	release, err := Lock(root, "2026-0001", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Lock(root, "2026-0001", 50*time.Millisecond); !errors.Is(err, ErrBusy) {
		t.Fatalf("second lock while held: %v, want ErrBusy", err)
	}
	other, err := Lock(root, "2026-0002", 50*time.Millisecond)
	if err != nil {
		t.Fatalf("another case is not locked: %v", err)
	}
	other()
	got := make(chan error, 1)
	go func() {
		r, err := Lock(root, "2026-0001", 2*time.Second)
		if err == nil {
			r()
		}
		got <- err
	}()
	time.Sleep(100 * time.Millisecond)
	release()
	if err := <-got; err != nil {
		t.Fatalf("waiting lock: %v", err)
	}
}

// The lock holds between processes: a child process cannot take a lock this one holds.
func TestLockAcrossProcesses(t *testing.T) {
	if os.Getenv("CASELOCK_CHILD") != "" {
		_, err := Lock(os.Getenv("CASELOCK_ROOT"), "2026-0001", 50*time.Millisecond)
		if errors.Is(err, ErrBusy) {
			os.Exit(3)
		}
		os.Exit(0)
	}
	root := t.TempDir()
	release, err := Lock(root, "2026-0001", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockAcrossProcesses$")
	cmd.Env = append(os.Environ(), "CASELOCK_CHILD=1", "CASELOCK_ROOT="+root)
	err = cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Fatalf("child process: %v, want exit 3 (busy)", err)
	}
}

// A wait for a held lock ends soon after its context is cancelled (Ctrl-C), with an error
// that says so in Swedish and is ErrInterrupted and context.Canceled, not ErrBusy; the lock
// stays the holder's, and the case can be locked once the holder lets go.
func TestLockContextCancelledWhileWaiting(t *testing.T) {
	root := t.TempDir()
	release, err := Lock(root, "2026-0001", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan error, 1)
	go func() {
		r, err := LockContext(ctx, root, "2026-0001", time.Hour)
		if err == nil {
			r()
		}
		got <- err
	}()
	time.Sleep(100 * time.Millisecond) // it is waiting now (or about to)
	cancel()
	select {
	case err = <-got:
	case <-time.After(30 * time.Second): // generous: it returns within a poll interval
		t.Fatal("LockContext still waits 30 s after its context was cancelled")
	}
	if !errors.Is(err, ErrInterrupted) || !errors.Is(err, context.Canceled) || errors.Is(err, ErrBusy) {
		t.Fatalf("error %v, want ErrInterrupted and context.Canceled", err)
	}
	if want := "avbrutet medan processorn väntade på låset för ärende 2026-0001"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	if _, err := Lock(root, "2026-0001", 50*time.Millisecond); !errors.Is(err, ErrBusy) {
		t.Errorf("the holder's lock after the cancelled wait: %v, want ErrBusy", err)
	}
	release()
	r, err := LockContext(context.Background(), root, "2026-0001", time.Second)
	if err != nil {
		t.Fatalf("lock after the holder let go: %v", err)
	}
	r()
}

// A context already ended takes no lock, even a free one.
func TestLockContextAlreadyCancelled(t *testing.T) {
	root := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if r, err := LockContext(ctx, root, "2026-0001", time.Second); !errors.Is(err, ErrInterrupted) || !errors.Is(err, context.Canceled) {
		if err == nil {
			r()
		}
		t.Fatalf("cancelled context: %v, want ErrInterrupted", err)
	}
	r, err := Lock(root, "2026-0001", 50*time.Millisecond)
	if err != nil {
		t.Fatalf("the lock after the refused one: %v", err)
	}
	r()
}
