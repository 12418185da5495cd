package validate_test

// Where validate unpacks a raw export, and what a Ctrl-C leaves: an external test package,
// because the case is made by a real import (intake imports validate).

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/casegen"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/export"
	"utlamnande/processor/internal/intake"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/testrepo"
	"utlamnande/processor/internal/validate"
	"utlamnande/processor/internal/workbook"
	"utlamnande/processor/internal/xlsxtest"
)

var importDay = date.New(2026, time.November, 22)

// dedicatedTMPDIR points TMPDIR (os.TempDir) at an empty folder of its own, to see what
// lands there, and returns a root for the test's own folders outside it.
func dedicatedTMPDIR(t *testing.T) (root, tmp string) {
	t.Helper()
	root = t.TempDir()
	tmp = filepath.Join(root, "systemets-tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", tmp)
	if os.TempDir() != tmp {
		t.Skipf("os.TempDir() does not follow TMPDIR here (%s)", os.TempDir())
	}
	return root, tmp
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

func assertGone(t *testing.T, dir string) {
	t.Helper()
	if _, err := os.Stat(dir); err == nil {
		var left []string
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			left = append(left, p)
			return nil
		})
		t.Errorf("%s is still there: %v", dir, left)
	}
}

// importedXLSXCase makes a repository under root with case 2026-0001 imported from an xlsx
// raw export of n e-mails (n ≥ 20,000: large enough for excelize to unpack its sheet and
// string table to temporary files when it is read again). It returns the repository, the
// case folder and its working area.
func importedXLSXCase(t *testing.T, root string, n int) (*repo.Repo, string, string) {
	t.Helper()
	base := filepath.Join(root, "repo")
	if err := testrepo.Make(base, ""); err != nil {
		t.Fatal(err)
	}
	id := "2026-0001"
	dir := filepath.Join(base, repo.CasesDir, id)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, casefile.FileName), []byte(casegen.ImportReady(id)), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := repo.Open(base)
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{{"Datum", "Från", "Till", "Ämne"}}
	for i := range n {
		rows = append(rows, []any{xlsxtest.NewDate(2026, 10, 1+i%28, i%24, i%60, 0), fmt.Sprintf("avsandare%d@kommun.example", i%500),
			"erik.exempel@region.example", fmt.Sprintf("Ärende %d: %s", i, strings.Repeat("lång ämnesrad ", 8))})
	}
	raw := filepath.Join(r.RawDir(dir, id), "export.xlsx")
	if err := os.MkdirAll(filepath.Dir(raw), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(raw, xlsxtest.Build(t, xlsxtest.Style{SharedStrings: true, Sheet: "Blad1"}, rows), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, fs, err := intake.Run(r, dir, intake.Options{Signer: "reg1", Today: importDay}); err != nil {
		t.Fatalf("import: %v %v", err, fs)
	}
	return r, dir, r.WorkArea(dir, id)
}

// TestValidateUnpacksRawExportInWorkingArea: validate reads an xlsx raw export with
// excelize's temporary files in the working area's .tmp, never in the system's temporary
// folder, also when the front matter names it in a folder of its own under export/; a read
// stopped by its context (Ctrl-C) while those files are there leaves nothing behind and says
// the case was not checked; the same check not stopped compares the workbook with the raw
// export and leaves nothing either.
func TestValidateUnpacksRawExportInWorkingArea(t *testing.T) {
	for _, sub := range []string{"", "undermapp"} {
		t.Run("export/"+sub, func(t *testing.T) {
			root, sysTmp := dedicatedTMPDIR(t)
			r, dir, work := importedXLSXCase(t, root, 30000)
			rawName := "export.xlsx"
			if sub != "" {
				moveRaw(t, r, dir, work, sub)
				rawName = sub + "/export.xlsx"
			}
			tmp := filepath.Join(work, export.TmpFolder)
			assertGone(t, tmp)
			assertEmpty(t, sysTmp)
			checkInterrupted(t, r, dir, tmp, "cases/2026-0001/arbetsyta/export/"+rawName)
			assertGone(t, tmp)
			assertGone(t, filepath.Join(work, "export", export.TmpFolder))
			assertEmpty(t, sysTmp)

			checked := validate.Case(r, dir, validate.Options{Today: importDay, Context: context.Background()})
			if ev := checked.Evidence; ev == nil || ev.Interrupted || ev.Raw == nil || ev.RawSkipped || len(ev.Raw.Rows) != 30000 {
				t.Fatalf("the check, not interrupted: evidence %+v, want the raw export's 30000 rows compared", ev)
			}
			for _, f := range checked.Findings {
				if f.Rule == workbook.RuleStructure {
					t.Errorf("finding %v", f)
				}
			}
			assertGone(t, tmp)
			assertEmpty(t, sysTmp)
		})
	}
}

// moveRaw moves the case's raw export into the folder sub of export/ and names it so in the
// import step (fil: sub/export.xlsx).
func moveRaw(t *testing.T, r *repo.Repo, dir, work, sub string) {
	t.Helper()
	from := filepath.Join(r.RawDir(dir, "2026-0001"), "export.xlsx")
	to := filepath.Join(filepath.Dir(from), sub, "export.xlsx")
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(from, to); err != nil {
		t.Fatal(err)
	}
	req := filepath.Join(dir, casefile.FileName)
	data, err := os.ReadFile(req)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), "fil: export.xlsx", "fil: "+sub+"/export.xlsx", 1)
	if text == string(data) {
		t.Fatalf("request.md names no export.xlsx:\n%s", data)
	}
	if err := os.WriteFile(req, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkInterrupted validates the case with a context cancelled as soon as excelize has
// unpacked the raw export (rawName) into tmp, and checks that the result says the case was
// not checked.
func checkInterrupted(t *testing.T, r *repo.Repo, dir, tmp, rawName string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Ctrl-C as soon as excelize has the raw export unpacked in the working area.
	seen := xlsxtest.CancelWhenUnpacked(ctx, cancel, tmp, 60*time.Second)
	checked := validate.Case(r, dir, validate.Options{Today: importDay, Context: ctx})
	cancel()
	if files := <-seen; len(files) == 0 {
		t.Fatalf("excelize never had temporary files in %s (findings %v): the test proves nothing", tmp, checked.Findings)
	}
	ev := checked.Evidence
	if ev == nil || !ev.Interrupted || ev.Raw != nil || ev.Proof != nil {
		t.Fatalf("interrupted check: evidence %+v, want Interrupted without raw export or proof", ev)
	}
	interrupted := 0
	for _, f := range ev.Findings {
		if f.Rule == workbook.RuleStructure && strings.Contains(f.Message, "kontrollen avbröts") {
			interrupted++
			if f.File != rawName {
				t.Errorf("the interruption's finding names %s, want the raw export %s", f.File, rawName)
			}
		}
		if strings.Contains(f.Message, "context canceled") {
			t.Errorf("finding in English: %v", f)
		}
	}
	if interrupted != 1 || !checked.Findings.HasErrors() {
		t.Errorf("findings %v, want the one error saying the check was interrupted", checked.Findings)
	}
}

// A context already ended reads nothing: the evidence is Interrupted, with an error.
func TestValidateCancelledBeforeReading(t *testing.T) {
	r, dir, _ := importedXLSXCase(t, t.TempDir(), 10)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	checked := validate.Case(r, dir, validate.Options{Today: importDay, Context: ctx})
	if ev := checked.Evidence; ev == nil || !ev.Interrupted || ev.Review != nil || ev.Raw != nil || !checked.Findings.HasErrors() {
		t.Fatalf("cancelled check: %+v, findings %v", ev, checked.Findings)
	}
}
