package watch

// Tests of a watcher stopped (Ctrl-C: its context is cancelled) in the middle of a case.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"utlamnande/processor/internal/caselock"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/export"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/xlsxtest"
)

// dedicatedTMPDIR points TMPDIR (os.TempDir) at an empty folder of its own beside root, to
// see what lands there.
func dedicatedTMPDIR(t *testing.T, root string) string {
	t.Helper()
	tmp := filepath.Join(filepath.Dir(root), "systemets-tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", tmp)
	if os.TempDir() != tmp {
		t.Skipf("os.TempDir() does not follow TMPDIR here (%s)", os.TempDir())
	}
	return tmp
}

func assertEmptyDir(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left in %s: %s", dir, e.Name())
	}
}

// xlsxRaw is an xlsx raw export of n e-mails as Excel writes it; n ≥ 20,000 is large enough
// for excelize to unpack its sheet and string table to temporary files.
func xlsxRaw(t *testing.T, n int) []byte {
	t.Helper()
	rows := [][]any{{"Datum", "Från", "Till", "Ämne"}}
	for i := range n {
		rows = append(rows, []any{xlsxtest.NewDate(2026, 10, 1+i%28, i%24, i%60, 0), fmt.Sprintf("avsandare%d@kommun.example", i%500),
			"erik.exempel@region.example", fmt.Sprintf("Ärende %d: %s", i, strings.Repeat("lång ämnesrad ", 8))})
	}
	return xlsxtest.Build(t, xlsxtest.Style{SharedStrings: true, Sheet: "Blad1"}, rows)
}

// The watcher's context reaches the import it starts: cancelled while excelize has the raw
// export unpacked in the working area's .tmp, the import writes nothing (no workbook,
// request.md as it was), nothing is left in the working area's .tmp or the system's
// temporary folder, nothing is reported and the case stays dirty for the next look; with a
// live context the same case is then imported.
func TestRoundInterruptedDuringImport(t *testing.T) {
	const (
		id     = "2026-0001"
		settle = 300 * time.Millisecond
		rows   = 30000
	)
	root := notifyRepo(t)
	sysTmp := dedicatedTMPDIR(t, root)
	dir := writeImportCase(t, root, id)
	mustWrite(t, filepath.Join(workArea(dir), repo.ExportDir, "export.xlsx"), xlsxRaw(t, rows))
	before := readRequest(t, dir)
	tmp := filepath.Join(workArea(dir), export.TmpFolder)
	clock := &fakeClock{now: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC), timers: map[time.Duration][]chan time.Time{}}
	var reported []Outcome
	w, err := New(root, Options{Settle: settle, Clock: clock, Signer: "reg1", Version: "test",
		Today: func() date.Date { return notifyToday }, Report: func(o Outcome) { reported = append(reported, o) }})
	if err != nil {
		t.Fatal(err)
	}
	if o := w.Reconcile(context.Background(), id); !o.RawPending {
		t.Fatalf("the first look: %s, want the watcher to wait for the export to settle", describeOutcomes([]Outcome{o}))
	}
	clock.fire(settle) // unchanged for Settle: the next look imports it

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Ctrl-C as soon as excelize has the raw export unpacked in the working area.
	seen := xlsxtest.CancelWhenUnpacked(ctx, cancel, tmp, 60*time.Second)
	reported = nil
	w.dirty[id] = true
	w.round(ctx)
	cancel()
	if files := <-seen; len(files) == 0 {
		t.Fatalf("excelize never had temporary files in %s (outcomes %s): the test proves nothing", tmp, describeOutcomes(reported))
	}
	if len(reported) != 0 {
		t.Errorf("the interrupted round reported %s, want nothing", describeOutcomes(reported))
	}
	if !w.dirty[id] {
		t.Error("the interrupted case is no longer dirty: it would not be looked at again")
	}
	if readRequest(t, dir) != before {
		t.Error("request.md changed")
	}
	if _, err := os.Stat(filepath.Join(workArea(dir), "e-postlogg.xlsx")); err == nil {
		t.Error("a workbook was written")
	}
	if _, err := os.Stat(tmp); err == nil {
		t.Errorf("%s is left", tmp)
	}
	assertEmptyDir(t, sysTmp)

	o := w.Reconcile(context.Background(), id)
	if o.Interrupted || o.Imported == nil || o.Imported.Rows != rows {
		t.Fatalf("the look with a live context: %s, want the import", describeOutcomes([]Outcome{o}))
	}
	if _, err := os.Stat(tmp); err == nil {
		t.Errorf("%s is left after the import", tmp)
	}
	assertEmptyDir(t, sysTmp)
}

// A reconcile waiting for the case's lock (a manual build holds it) stops when the context
// is cancelled: Interrupted, nothing imported, nothing said.
func TestReconcileInterruptedWaitingForLock(t *testing.T) {
	const id = "2026-0001"
	root := notifyRepo(t)
	dir := writeImportCase(t, root, id)
	mustWrite(t, rawExport(dir), rawCSV(id, 3))
	before := readRequest(t, dir)
	clock := &fakeClock{now: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC), timers: map[time.Duration][]chan time.Time{}}
	w, err := New(root, Options{Settle: time.Millisecond, Clock: clock, Signer: "reg1", Version: "test",
		Today: func() date.Date { return notifyToday }})
	if err != nil {
		t.Fatal(err)
	}
	w.Reconcile(context.Background(), id) // the first look at the raw export
	clock.fire(time.Second)
	release, err := caselock.Lock(root, id, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan Outcome, 1)
	go func() { got <- w.Reconcile(ctx, id) }()
	time.Sleep(300 * time.Millisecond) // waiting for the lock now (a 3-row case is checked in far less)
	cancel()
	var o Outcome
	select {
	case o = <-got:
	case <-time.After(30 * time.Second): // generous: the lock's wait is 10 s, its poll 20 ms
		t.Fatal("the reconcile still waits for the lock 30 s after its context was cancelled")
	}
	if !o.Interrupted || o.Imported != nil || o.Problem != "" || len(o.Findings) != 0 {
		t.Errorf("outcome %s, want Interrupted and nothing else", describeOutcomes([]Outcome{o}))
	}
	if readRequest(t, dir) != before {
		t.Error("request.md changed")
	}
}
