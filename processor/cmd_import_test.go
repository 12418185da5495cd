package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"utlamnande/processor/internal/casegen"
	"utlamnande/processor/internal/export"
	"utlamnande/processor/internal/testrepo"
	"utlamnande/processor/internal/xlsxtest"
)

// TestImportInterruptedBySignal runs the test binary as the processor, imports a large raw
// export and sends SIGINT (Ctrl-C) while excelize has it unpacked in the working area: the
// processor stops with exit code 2 and a message saying nothing was imported, request.md is
// as it was, there is no workbook, and no temporary file is left, in the working area's .tmp
// or the system's temporary folder.
func TestImportInterruptedBySignal(t *testing.T) {
	bin, root, dir, work, sysTmp := signalCase(t)
	var err error

	cmd := exec.Command(bin, "import", "--stilla", "0", "--av", "reg1", "--today", "2026-11-22", "cases/2026-0001")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "TMPDIR="+sysTmp)
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
			t.Fatalf("the import ended before excelize unpacked anything into %s (%v): the test proves nothing\n%s%s", tmp, err, stdout.String(), stderr.String())
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
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the processor did not stop within 10 s of SIGINT")
	}
	t.Logf("stopped %v after SIGINT; excelize had unpacked %d files", time.Since(start).Round(time.Millisecond), len(unpacked))
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitFailed {
		t.Errorf("exit: %v, want exit code %d (killed by the signal instead?)\nstderr: %s", err, exitFailed, stderr.String())
	}
	if !strings.Contains(stderr.String(), "importen avbröts innan något skrevs: ingenting har importerats") {
		t.Errorf("stderr: %q", stderr.String())
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "request.md")); string(data) != casegen.ImportReady("2026-0001") {
		t.Error("request.md changed")
	}
	if _, err := os.Stat(filepath.Join(work, "e-postlogg.xlsx")); err == nil {
		t.Error("a workbook was written")
	}
	if _, err := os.Stat(tmp); err == nil {
		t.Errorf("%s is left", tmp)
	}
	entries, _ := os.ReadDir(sysTmp)
	for _, e := range entries {
		t.Errorf("left in the system's temporary folder: %s", e.Name())
	}
}

// The CLI prints an error without the control characters of a file name, and with the hint
// of a workbook that cannot be read.
func TestExitCodeEscapesAndHints(t *testing.T) {
	var b bytes.Buffer
	exitCode(fmt.Errorf("kan inte läsa råexporten ex\x1b[2Jport\x00.csv: finns inte"), &b)
	if got := b.String(); got != `processor: kan inte läsa råexporten ex\x1b[2Jport\x00.csv: finns inte`+"\n" {
		t.Errorf("got %q", got)
	}
	b.Reset()
	data := append([]byte("PK\x03\x04"), make([]byte, 100)...)
	path := filepath.Join(t.TempDir(), "export.xlsx")
	os.WriteFile(path, data, 0o644)
	_, _, err := export.Read(path, "cases/x/arbetsyta/export/export.xlsx", nil, "")
	if code := exitCode(err, &b); code != exitFailed || !strings.Contains(b.String(), "ingen läsbar xlsx-arbetsbok") || !strings.Contains(b.String(), "(tips: öppna filen i Excel") {
		t.Errorf("exit %d, %q", code, b.String())
	}
}

// signalCase prepares what the signal tests run the test binary on: a repository as in
// real use (the case lock lives in .git; outside one, caselock puts it in the system's
// temporary folder, which is to stay empty), case 2026-0001 ready for the import of a
// 40,000-row xlsx raw export in its working area, and an empty folder for TMPDIR. It skips
// where no SIGINT can be sent or the processor is not in PATH.
func signalCase(t *testing.T) (bin, root, dir, work, sysTmp string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT to send to a process on Windows")
	}
	bin, err := exec.LookPath("processor") // the test binary, put in PATH by testscript.Main
	if err != nil {
		t.Skip("the processor command is not in PATH:", err)
	}
	root = t.TempDir()
	if err := testrepo.Make(root, ""); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	dir = filepath.Join(root, "cases", "2026-0001")
	work = filepath.Join(dir, "arbetsyta")
	rows := [][]any{{"Datum", "Från", "Till", "Ämne"}}
	for i := range 40000 {
		rows = append(rows, []any{xlsxtest.NewDate(2026, 10, 1+i%28, i%24, i%60, 0), fmt.Sprintf("avsandare%d@kommun.example", i%500),
			"erik.exempel@region.example", fmt.Sprintf("Ärende %d: %s", i, strings.Repeat("lång ämnesrad ", 8))})
	}
	for path, data := range map[string][]byte{
		filepath.Join(dir, "request.md"):             []byte(casegen.ImportReady("2026-0001")),
		filepath.Join(work, "export", "export.xlsx"): xlsxtest.Build(t, xlsxtest.Style{SharedStrings: true, Sheet: "Blad1"}, rows),
	} {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sysTmp = filepath.Join(t.TempDir(), "tmp")
	if err := os.Mkdir(sysTmp, 0o700); err != nil {
		t.Fatal(err)
	}
	return bin, root, dir, work, sysTmp
}
