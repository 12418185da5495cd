package watch

// Tests of the watcher's import of a raw export (a signer is given, as startWatching does):
// a raw export is imported only once it has stopped changing, and a raw export that changes
// before anything is masked is imported again, not reported as tampered. Real file system,
// real fsnotify events, real clock; they wait on outcomes as the other notify tests do.

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/casegen"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/testrepo"
	"utlamnande/processor/internal/workbook"
	"utlamnande/processor/internal/workflow"
)

// importSettle is the watcher's Settle in these tests: small, so they stay fast.
const importSettle = 300 * time.Millisecond

// tamperText is what the watcher (validate or intake) says of a raw export that changed
// after its import when it may not simply be imported again.
const tamperText = "råexporten har ändrats efter importen"

// writeImportCase makes case id in root's cases/, ready for the import, with an empty
// export/ folder in its working area (the registrator's, outside git); it returns the case folder.
func writeImportCase(t *testing.T, root, id string) string {
	t.Helper()
	dir := filepath.Join(root, repo.CasesDir, id)
	mustWrite(t, filepath.Join(dir, casefile.FileName), []byte(casegen.ImportReady(id)))
	if err := os.MkdirAll(filepath.Dir(rawExport(dir)), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// rawCSV is a raw export (CSV) of n rows for case id, as Microsoft 365 gives it.
func rawCSV(id string, n int) []byte {
	_, raw, _, _ := casegen.Case{ID: id, Rows: n}.Generate()
	return []byte(raw)
}

func readRequest(t *testing.T, dir string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, casefile.FileName))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// checkImportStep fails unless request.md records the import step exactly once, with the
// given SHA-256 and row count, and no other SHA-256 or row count.
func checkImportStep(t *testing.T, dir, sha string, rows int, why string) {
	t.Helper()
	req := readRequest(t, dir)
	if n := strings.Count(req, "export_mottagen:"); n != 1 {
		t.Errorf("%s: request.md has export_mottagen %d times, want once:\n%s", why, n, req)
	}
	for _, want := range []string{"sha256: " + sha + "\n", "rader: " + strconv.Itoa(rows) + "\n", "fil: export.csv\n"} {
		if !strings.Contains(req, want) {
			t.Errorf("%s: request.md lacks %q:\n%s", why, strings.TrimSpace(want), req)
		}
	}
	if n := strings.Count(req, "sha256:"); n != 1 {
		t.Errorf("%s: request.md has %d sha256 fields, want 1:\n%s", why, n, req)
	}
	if n := strings.Count(req, "rader:"); n != 1 {
		t.Errorf("%s: request.md has %d rader fields, want 1:\n%s", why, n, req)
	}
}

// reviewRows is the number of data rows in the case's review workbook (working area).
func reviewRows(t *testing.T, dir string) int {
	t.Helper()
	types, _, err := workflow.LoadTypes(filepath.Join(testrepo.Root(), repo.TemplatesDir), repo.TemplatesDir)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(workArea(dir), "e-postlogg.xlsx")
	rev, _, err := workbook.ReadReview(path, path, types["e-postlogg"].Workbook)
	if err != nil {
		t.Fatalf("the review workbook: %v", err)
	}
	return len(rev.Rows)
}

// imports returns the outcomes in outs that imported.
func imports(outs []Outcome) []Outcome {
	var got []Outcome
	for _, o := range outs {
		if o.Imported != nil {
			got = append(got, o)
		}
	}
	return got
}

// tampered returns the outcomes in outs that report the raw export as changed after its
// import: a finding of rule råexport, or a problem or finding saying so.
func tampered(outs []Outcome) []Outcome {
	var got []Outcome
	for _, o := range outs {
		bad := hasRule(o.Findings, workflow.RuleRaw) || strings.Contains(o.Problem, tamperText)
		for _, f := range o.Findings {
			bad = bad || strings.Contains(f.Message, tamperText)
		}
		if bad {
			got = append(got, o)
		}
	}
	return got
}

// idle waits until the watcher has reported nothing for several debounce periods (its own
// writes after an import give it one more look) and returns the mark after the last outcome.
func (h *watching) idle() int {
	h.t.Helper()
	quiet := time.NewTimer(notifyQuiet)
	defer quiet.Stop()
	deadline := time.After(notifyWait)
	for {
		select {
		case <-h.more:
			quiet.Reset(notifyQuiet)
		case <-quiet.C:
			return h.count()
		case <-deadline:
			h.t.Fatalf("the watcher did not come to rest: %s", describeOutcomes(h.since(0, "")))
		}
	}
}

func appendFile(t *testing.T, path string, data []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// lineEnd is the offset just after the last line end at or before offset at in data.
func lineEnd(data []byte, at int) int { return strings.LastIndexByte(string(data[:at]), '\n') + 1 }

// The reported bug: a 3,000-row raw export copied into export/ in two halves, with a pause
// shorter than Settle between them. The watcher sees the first half (it says it waits), looks
// again while it is unchanged for less than Settle and still waits, and after the second half
// imports the whole file, once: rader 3000 and the whole file's SHA-256 in request.md, never
// a part's, and never "råexporten har ändrats efter importen". The first half is cut at a
// line end (the worst case: it reads cleanly as 1,500 rows) and mid-line; and a copy in six
// pieces, each pause shorter than Settle but the whole copy longer, shows that the wait
// starts again at every change (not from the first look).
func TestNotifyImportWaitsForWholeExport(t *testing.T) {
	const rows = 3000
	for _, tc := range []struct {
		name string
		cuts func(full []byte) []int // where the pieces end, the last one excepted
	}{
		{"halves cut at a line end", func(full []byte) []int { return []int{lineEnd(full, len(full)/2)} }},
		{"halves cut mid-line", func(full []byte) []int {
			i := lineEnd(full, len(full)/2)
			return []int{i + strings.IndexByte(string(full[i:]), ',') + 3} // inside the next row's second field
		}},
		{"six pieces over more than Settle", func(full []byte) []int {
			var cuts []int
			for i := 1; i < 6; i++ {
				cuts = append(cuts, lineEnd(full, i*len(full)/6))
			}
			return cuts
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root := notifyRepo(t)
			id := "2026-0001"
			dir := writeImportCase(t, root, id)
			full := rawCSV(id, rows)
			cuts := append(tc.cuts(full), len(full))
			fullSHA := sha256Of(full)
			var partSHAs []string
			for i, c := range cuts[:len(cuts)-1] {
				if c <= 0 || c >= len(full) || i > 0 && c <= cuts[i-1] {
					t.Fatalf("bad cuts %v of %d bytes", cuts, len(full))
				}
				partSHAs = append(partSHAs, sha256Of(full[:c]))
			}

			// A short debounce, so the watcher looks at each part more than once well within
			// Settle; each pause between pieces is two looks (a few debounce periods).
			h := startWatching(t, root, Options{Debounce: 50 * time.Millisecond, Settle: importSettle})
			o, mark := h.await(0, id, "the start-up round", nil)
			if o.Imported != nil || o.RawPending {
				t.Fatalf("an empty export/ folder: got %s, want no import", describeOutcomes([]Outcome{o}))
			}

			raw := rawExport(dir)
			start := time.Now()
			pending := func(o Outcome) bool { return o.RawPending || o.Imported != nil }
			for i, c := range cuts {
				switch i {
				case 0:
					mustWrite(t, raw, full[:c])
				default:
					appendFile(t, raw, full[cuts[i-1]:c])
				}
				if i == len(cuts)-1 {
					break
				}
				o, mark = h.await(mark, id, "a part seen", pending)
				if !o.RawPending || o.Imported != nil || !strings.Contains(o.Problem, "väntar på att råexporten ska bli komplett") {
					t.Fatalf("part %d of %d: got %s, want the watcher to wait for the rest", i+1, len(cuts), describeOutcomes([]Outcome{o}))
				}
				o, mark = h.await(mark, id, "a part seen again", pending)
				if !o.RawPending || o.Imported != nil {
					t.Fatalf("part %d of %d, unchanged for less than Settle: got %s, want the watcher still waiting", i+1, len(cuts), describeOutcomes([]Outcome{o}))
				}
			}
			t.Logf("%d pieces written over %v (Settle %v)", len(cuts), time.Since(start).Round(time.Millisecond), importSettle)

			o, _ = h.await(0, id, "the import", func(o Outcome) bool { return o.Imported != nil })
			if res := o.Imported; res.SHA256 != fullSHA || res.Rows != rows || res.Step != "export_mottagen" || res.Reimported {
				t.Errorf("the import: %+v, want export_mottagen recorded with %d rows and SHA-256 %s", *res, rows, fullSHA)
			}
			h.idle()

			all := h.since(0, id)
			if got := imports(all); len(got) != 1 {
				t.Errorf("%d imports, want exactly 1: %s", len(got), describeOutcomes(all))
			}
			if got := tampered(all); len(got) > 0 {
				t.Errorf("the export reported as changed after its import: %s", describeOutcomes(got))
			}
			if last := all[len(all)-1]; last.RawPending || last.Problem != "" || last.Findings.HasErrors() {
				t.Errorf("after the import: got %s, want a case without errors", describeOutcomes([]Outcome{last}))
			}
			checkImportStep(t, dir, fullSHA, rows, "after the import")
			req := readRequest(t, dir)
			for i, sha := range partSHAs {
				if strings.Contains(req, sha) {
					t.Errorf("request.md records the SHA-256 of the first %d pieces:\n%s", i+1, req)
				}
			}
			if n := reviewRows(t, dir); n != rows {
				t.Errorf("the review workbook has %d rows, want %d", n, rows)
			}
			h.noTemporaries()
		})
	}
}

// importedCase makes a case ready for the import with a complete raw export of rows rows,
// starts a watcher, and waits until it has imported the export and come to rest. It returns
// the case folder, the watcher and the mark after its last outcome.
func importedCase(t *testing.T, id string, rows int) (string, *watching, int) {
	t.Helper()
	root := notifyRepo(t)
	dir := writeImportCase(t, root, id)
	raw := rawCSV(id, rows)
	mustWrite(t, rawExport(dir), raw)
	h := startWatching(t, root, Options{Settle: importSettle})
	o, _ := h.await(0, id, "the first import", func(o Outcome) bool { return o.Imported != nil })
	if o.Imported.Step != "export_mottagen" || o.Imported.Rows != rows {
		t.Fatalf("the first import: %+v", *o.Imported)
	}
	mark := h.idle()
	checkImportStep(t, dir, sha256Of(raw), rows, "after the first import")
	if got := tampered(h.since(0, id)); len(got) > 0 {
		t.Fatalf("the first import reported as tampered: %s", describeOutcomes(got))
	}
	return dir, h, mark
}

// A raw export replaced by another complete export (another row count) after the import,
// before anything is masked or marked P and with no step after the import, is a new export:
// the watcher imports it again (the workbook written anew, the step's sha256 and rader
// updated, the rest of request.md kept) and does not report it as tampered.
func TestNotifyImportAgainWhenExportChangedBeforeMasking(t *testing.T) {
	id := "2026-0001"
	dir, h, mark := importedCase(t, id, 40)
	before := readRequest(t, dir)
	oldSHA := sha256Of(rawCSV(id, 40))
	wb := filepath.Join(workArea(dir), "e-postlogg.xlsx")
	oldWB := fileSHA256(t, wb)

	replaced := rawCSV(id, 55)
	newSHA := sha256Of(replaced)
	mustWrite(t, rawExport(dir), replaced)
	o, _ := h.await(mark, id, "the re-import", func(o Outcome) bool { return o.Imported != nil })
	if res := o.Imported; !res.Reimported || res.SHA256 != newSHA || res.OldSHA256 != oldSHA || res.Rows != 55 {
		t.Errorf("the re-import: %+v, want re-imported from %s to %s with 55 rows", *res, oldSHA, newSHA)
	}
	h.idle()

	after := h.since(mark, id)
	if got := imports(after); len(got) != 1 {
		t.Errorf("%d imports after the export was replaced, want 1: %s", len(got), describeOutcomes(after))
	}
	if got := tampered(after); len(got) > 0 {
		t.Errorf("a new export before anything was masked reported as tampered: %s", describeOutcomes(got))
	}
	if last := after[len(after)-1]; last.RawPending || last.Problem != "" || last.Findings.HasErrors() {
		t.Errorf("after the re-import: got %s, want a case without errors", describeOutcomes([]Outcome{last}))
	}
	checkImportStep(t, dir, newSHA, 55, "after the re-import")
	want := strings.NewReplacer("sha256: "+oldSHA, "sha256: "+newSHA, "rader: 40", "rader: 55").Replace(before)
	if got := readRequest(t, dir); got != want {
		t.Errorf("request.md after the re-import:\n%s\nwant (only sha256 and rader changed):\n%s", got, want)
	}
	if fileSHA256(t, wb) == oldWB {
		t.Error("the review workbook was not written again")
	}
	if n := reviewRows(t, dir); n != 55 {
		t.Errorf("the review workbook has %d rows, want 55 (the new export's)", n)
	}
	h.noTemporaries()
}

// Once the registrator has masked or marked anything, or recorded a step after the import,
// a changed raw export is not imported again (that would lose their work): it is reported
// (a finding of rule råexport), and request.md and the workbook stay as they are.
func TestNotifyChangedExportAfterMaskingReported(t *testing.T) {
	for _, tc := range []struct {
		name  string
		touch func(t *testing.T, dir string)
	}{
		{"a subject masked", func(t *testing.T, dir string) { setReviewCell(t, dir, "F41", casegen.Mask) }},
		{"a row marked P", func(t *testing.T, dir string) { setReviewCell(t, dir, "G3", "P") }},
		{"a step after the import", func(t *testing.T, dir string) {
			req := readRequest(t, dir)
			i := strings.LastIndex(req, "---\n")
			mustWrite(t, filepath.Join(dir, casefile.FileName),
				[]byte(req[:i]+"  privat_granskad: {datum: 2026-11-22, av: reg1, antal_privata: 0}\n"+req[i:]))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			id := "2026-0001"
			dir, h, mark := importedCase(t, id, 40)
			tc.touch(t, dir)
			// Nothing is pending after idle: the next outcome is the registrator's change.
			o, _ := h.await(mark, id, "the registrator's change", func(o Outcome) bool { return !o.Waiting })
			if o.Imported != nil || o.RawPending || hasRule(o.Findings, workflow.RuleRaw) {
				t.Fatalf("after the registrator's change: got %s", describeOutcomes([]Outcome{o}))
			}
			t.Logf("after the registrator's change: %s", describeOutcomes([]Outcome{o}))
			before := readRequest(t, dir)
			wb := filepath.Join(workArea(dir), "e-postlogg.xlsx")
			touched := fileSHA256(t, wb)

			mustWrite(t, rawExport(dir), rawCSV(id, 55))
			o, _ = h.await(mark, id, "the changed export reported", func(o Outcome) bool { return hasRule(o.Findings, workflow.RuleRaw) })
			if !strings.Contains(describeOutcomes([]Outcome{o}), tamperText) {
				t.Errorf("the changed export: got %s, want %q", describeOutcomes([]Outcome{o}), tamperText)
			}
			h.idle()
			after := h.since(mark, id)
			if got := imports(after); len(got) > 0 {
				t.Errorf("a changed export imported again after the registrator's work: %s", describeOutcomes(got))
			}
			for _, o := range after {
				if o.RawPending {
					t.Errorf("the watcher waited to import a changed export it may not import: %s", describeOutcomes([]Outcome{o}))
					break
				}
			}
			if last := after[len(after)-1]; !hasRule(last.Findings, workflow.RuleRaw) {
				t.Errorf("at rest: got %s, want the råexport finding to stand", describeOutcomes([]Outcome{last}))
			}
			if got := readRequest(t, dir); got != before {
				t.Errorf("request.md changed:\n%s\nwas:\n%s", got, before)
			}
			if fileSHA256(t, wb) != touched {
				t.Error("the review workbook was written again")
			}
			h.noTemporaries()
		})
	}
}

// setReviewCell writes value into cell of the review workbook's data sheet with excelize,
// saved to a file outside the case and renamed into place (as a save in Excel ends).
func setReviewCell(t *testing.T, dir, cell, value string) {
	t.Helper()
	wb := filepath.Join(workArea(dir), "e-postlogg.xlsx")
	f, err := excelize.OpenFile(wb)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.SetCellValue("Logg", cell, value); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(t.TempDir(), "e-postlogg.xlsx")
	if err := f.SaveAs(tmp); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(tmp)
	if err != nil {
		t.Fatal(err)
	}
	// Renamed from the same folder (a rename across file systems would fail).
	next := filepath.Join(workArea(dir), excelTemp)
	mustWrite(t, next, data)
	if err := os.Rename(next, wb); err != nil {
		t.Fatal(err)
	}
}

// waitTimer waits until the watcher holds a timer of duration d (it has asked to look
// again after d) and fails the test if it never does.
func (c *fakeClock) waitTimer(t *testing.T, d time.Duration, why string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		c.mu.Lock()
		n := len(c.timers[d])
		c.mu.Unlock()
		if n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the watcher set no %v timer: %s", d, why)
		}
	}
}

// A raw export already in export/ when the watcher starts (copied there while it was not
// running) is waited for and imported once it has not changed for Settle, with no further
// event: the start-up round's wait must be followed by another look, as every other round's
// is. Fake clock and no events at all, so nothing else can wake the watcher.
func TestLoopImportsExportPresentAtStartUp(t *testing.T) {
	const (
		debounce = 200 * time.Millisecond
		settle   = 300 * time.Millisecond
		id       = "2026-0001"
	)
	root := notifyRepo(t)
	dir := writeImportCase(t, root, id)
	raw := rawCSV(id, 30)
	mustWrite(t, rawExport(dir), raw)
	clock := &fakeClock{now: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC), timers: map[time.Duration][]chan time.Time{}}
	src := &fakeSource{events: make(chan Event), errs: make(chan error)}
	outs := make(chan Outcome, 100)
	w, err := New(root, Options{Debounce: debounce, Settle: settle, Clock: clock, Signer: "reg1", Version: "test",
		Today: func() date.Date { return notifyToday }, Report: func(o Outcome) { outs <- o }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, src) }()
	t.Cleanup(func() { cancel(); <-done })
	next := func(what string) Outcome {
		t.Helper()
		select {
		case o := <-outs:
			return o
		case <-time.After(10 * time.Second):
			t.Fatalf("no outcome: %s", what)
			return Outcome{}
		}
	}

	o := next("the start-up round")
	if !o.RawPending || o.Imported != nil {
		t.Fatalf("the start-up round: got %s, want the watcher to wait for the export to settle", describeOutcomes([]Outcome{o}))
	}
	// 200 ms after the first look: unchanged for less than Settle, still waiting; 400 ms:
	// imported.
	for i := 1; o.Imported == nil; i++ {
		clock.waitTimer(t, debounce, "a raw export waits for its import and nothing will look at it again")
		clock.fire(debounce)
		o = next("the look again")
		switch {
		case o.Imported == nil && !o.RawPending:
			t.Fatalf("look %d: got %s, want waiting or imported", i, describeOutcomes([]Outcome{o}))
		case o.Imported != nil && time.Duration(i)*debounce < settle:
			t.Fatalf("imported %v after the first look, before Settle (%v)", time.Duration(i)*debounce, settle)
		case o.Imported == nil && time.Duration(i)*debounce >= settle:
			t.Fatalf("still waiting %v after the first look, Settle is %v: %s", time.Duration(i)*debounce, settle, describeOutcomes([]Outcome{o}))
		}
	}
	if res := o.Imported; res.Step != "export_mottagen" || res.Rows != 30 || res.SHA256 != sha256Of(raw) {
		t.Errorf("the import: %+v", *res)
	}
	checkImportStep(t, dir, sha256Of(raw), 30, "after the import")
}
