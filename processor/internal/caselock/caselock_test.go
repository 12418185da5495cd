package caselock

import (
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
