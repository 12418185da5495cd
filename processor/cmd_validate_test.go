package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"utlamnande/processor/internal/export"
	"utlamnande/processor/internal/xlsxtest"
)

// TestValidateInterruptedBySignal runs the test binary as the processor: a case is imported
// from a large xlsx raw export, then validated, and SIGINT (Ctrl-C) is sent while validate
// has the raw export unpacked in the working area's .tmp. validate stops with exit code 2 and
// a message saying the check was not finished, prints no findings, and leaves no temporary
// file, in the working area's .tmp or the system's temporary folder.
func TestValidateInterruptedBySignal(t *testing.T) {
	bin, root, _, work, sysTmp := signalCase(t)
	var err error
	env := append(os.Environ(), "TMPDIR="+sysTmp)
	imp := exec.Command(bin, "import", "--stilla", "0", "--av", "reg1", "--today", "2026-11-22", "cases/2026-0001")
	imp.Dir, imp.Env = root, env
	if out, err := imp.CombinedOutput(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != exitFindings { // the case has the findings of the steps to come
			t.Fatalf("import: %v\n%s", err, out)
		}
	}
	if _, err := os.Stat(filepath.Join(work, "e-postlogg.xlsx")); err != nil {
		t.Fatalf("the import wrote no workbook: %v", err)
	}

	cmd := exec.Command(bin, "validate", "--today", "2026-11-22", "cases/2026-0001")
	cmd.Dir, cmd.Env = root, env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	tmp := filepath.Join(work, export.TmpFolder)
	var unpacked []string
	deadline := time.Now().Add(30 * time.Second)
	for len(unpacked) == 0 && time.Now().Before(deadline) {
		select {
		case err := <-exited:
			t.Fatalf("validate ended before excelize unpacked anything into %s (%v): the test proves nothing\n%s%s", tmp, err, stdout.String(), stderr.String())
		default:
		}
		unpacked = xlsxtest.Unpacked(tmp)
		time.Sleep(time.Millisecond)
	}
	if len(unpacked) == 0 {
		cmd.Process.Kill()
		t.Fatalf("excelize unpacked nothing into %s in 30 s", tmp)
	}
	start := time.Now()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err = <-exited:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("validate did not stop within 30 s of SIGINT")
	}
	t.Logf("stopped %v after SIGINT; excelize had unpacked %d files", time.Since(start).Round(time.Millisecond), len(unpacked))
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitFailed {
		t.Errorf("exit: %v, want exit code %d (killed by the signal instead?)\nstderr: %s", err, exitFailed, stderr.String())
	}
	if want := "processor: avbrutet: kontrollen gjordes inte färdigt, inga fynd skrivs"; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr %q lacks %q", stderr.String(), want)
	}
	if stdout.Len() > 0 {
		t.Errorf("findings of an interrupted check were printed:\n%s", stdout.String())
	}
	if _, err := os.Stat(tmp); err == nil {
		t.Errorf("%s is left", tmp)
	}
	entries, _ := os.ReadDir(sysTmp)
	for _, e := range entries {
		t.Errorf("left in the system's temporary folder: %s", e.Name())
	}
}
