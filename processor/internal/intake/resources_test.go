package intake

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"utlamnande/processor/internal/export"
	"utlamnande/processor/internal/xlsxtest"
)

// dedicatedTMPDIR points TMPDIR (os.TempDir) at an empty folder of its own, to see what
// lands there.
func dedicatedTMPDIR(t *testing.T) string {
	t.Helper()
	tmp := filepath.Join(t.TempDir(), "systemets-tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", tmp)
	if os.TempDir() != tmp {
		t.Skipf("os.TempDir() does not follow TMPDIR here (%s)", os.TempDir())
	}
	return tmp
}

func assertEmpty(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left in %s: %s", dir, e.Name())
	}
}

// xlsxExport replaces the fixture's raw export with an xlsx export of n e-mails, as Excel
// writes it, large enough (n ≥ 20,000) for excelize to unpack its sheet and string table to
// temporary files.
func (f *fixture) xlsxExport(t *testing.T, n int) {
	t.Helper()
	rows := [][]any{{"Datum", "Från", "Till", "Ämne"}}
	for i := range n {
		rows = append(rows, []any{xlsxtest.NewDate(2026, 10, 1+i%28, i%24, i%60, 0), fmt.Sprintf("avsandare%d@kommun.example", i%500),
			"erik.exempel@region.example", fmt.Sprintf("Ärende %d: %s", i, strings.Repeat("lång ämnesrad ", 8))})
	}
	if err := os.Remove(f.raw); err != nil {
		t.Fatal(err)
	}
	f.raw = strings.TrimSuffix(f.raw, ".csv") + ".xlsx"
	writeFile(t, f.raw, xlsxtest.Build(t, xlsxtest.Style{SharedStrings: true, Sheet: "Blad1"}, rows))
}

// An import stopped while excelize reads (Ctrl-C: the context is cancelled) writes nothing
// and leaves nothing, in the working area's .tmp or the system's temporary folder; the same
// import, not stopped, also leaves nothing there.
func TestImportInterruptedLeavesNothing(t *testing.T) {
	f := setup(t, 1)
	f.xlsxExport(t, 30000)
	tmp := dedicatedTMPDIR(t)
	work := filepath.Join(filepath.Dir(f.wb), export.TmpFolder)
	before := f.request(t)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Ctrl-C as soon as excelize has the raw export unpacked in the working area.
	seen := xlsxtest.CancelWhenUnpacked(ctx, cancel, work, 20*time.Second)
	res, fs, err := Run(f.r, f.dir, Options{Signer: "reg1", Today: today, Context: ctx})
	cancel()
	if files := <-seen; len(files) == 0 {
		t.Fatalf("excelize never had temporary files in %s (import: %+v, %v, %v): the test proves nothing", work, res, fs, err)
	}
	if !errors.Is(err, ErrInterrupted) || !errors.Is(err, context.Canceled) || res != nil || fs != nil {
		t.Fatalf("interrupted import: %+v, %v, %v; want ErrInterrupted", res, fs, err)
	}
	if !strings.Contains(err.Error(), "ingenting har importerats") {
		t.Errorf("message %q", err)
	}
	if f.request(t) != before {
		t.Error("request.md changed")
	}
	if _, err := os.Stat(f.wb); err == nil {
		t.Error("a workbook was written")
	}
	if _, err := os.Stat(work); err == nil {
		t.Errorf("%s is left", work)
	}
	assertEmpty(t, tmp)

	res, err = f.run(t, Options{})
	if err != nil || res.Rows != 30000 {
		t.Fatalf("the import, not interrupted: %+v, %v", res, err)
	}
	if _, err := os.Stat(work); err == nil {
		t.Errorf("%s is left after the import", work)
	}
	assertEmpty(t, tmp)
}

// A raw export with a cell longer than Excel holds is refused before anything is written:
// the finding names the export's line and column.
func TestImportRefusesCellTooLongForExcel(t *testing.T) {
	f := setup(t, 1)
	subject := strings.Repeat("Långt ämne ", 3000) // 33,000 characters
	writeFile(t, f.raw, []byte("Datum;Från;Till;Ämne\r\n2026-10-05 08:12;a@x.se;erik.exempel@region.example;Hej\r\n"+
		"2026-10-06 08:12;a@x.se;erik.exempel@region.example;"+subject+"\r\n"))
	before := f.request(t)
	res, fs, err := Run(f.r, f.dir, Options{Signer: "reg1", Today: today})
	if !errors.Is(err, ErrFindings) || res != nil || len(fs) != 1 {
		t.Fatalf("got %+v, %v, %v; want one finding and ErrFindings", res, fs, err)
	}
	got := fs[0].String()
	for _, w := range []string{"export.csv:3:", "rad 3, kolumn D (Ämne)", "32 767", "avkortad", "ändra inte i råexporten"} {
		if !strings.Contains(got, w) {
			t.Errorf("finding %q lacks %q", got, w)
		}
	}
	if f.request(t) != before {
		t.Error("request.md changed")
	}
	if _, err := os.Stat(f.wb); err == nil {
		t.Error("a workbook was written")
	}
}
