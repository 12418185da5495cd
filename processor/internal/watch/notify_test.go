package watch

// Tests of the watcher on a real file system with real fsnotify events: what Excel, editors
// and registrators do to case folders, and what the watcher reports. They wait on outcomes
// (with generous time limits) and never assert on durations; "nothing more happens" is
// checked by waiting several debounce periods.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/casegen"
	"utlamnande/processor/internal/caselock"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/disclose"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/testrepo"
	"utlamnande/processor/internal/workbook"
	"utlamnande/processor/internal/workflow"
)

const (
	notifyDebounce = 200 * time.Millisecond
	notifyWait     = 60 * time.Second         // for an outcome (generous: -race, a loaded machine)
	notifyQuiet    = 5 * notifyDebounce       // "nothing more happens"
	excelTemp      = "A1B2C3D4"               // Excel's temporary file: hex, no extension
	excelLock      = "~$" + "e-postlogg.xlsx" // Excel's lock file while the workbook is open
)

var notifyToday = date.New(2026, time.November, 22)

// mailCase is an e-postlogg case ready to build (package casegen).
type mailCase = casegen.Case

// workbookBytes returns the bytes of the case's review workbook.
func workbookBytes(t *testing.T, c mailCase) []byte {
	t.Helper()
	types, _, err := workflow.LoadTypes(filepath.Join(testrepo.Root(), repo.TemplatesDir), repo.TemplatesDir)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "e-postlogg.xlsx") // outside the watched tree
	if err := c.WriteWorkbook(path, types["e-postlogg"].Workbook); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// writeMailCase makes the case's folder in parent (cases/ or elsewhere).
func writeMailCase(t *testing.T, c mailCase, parent string) string {
	t.Helper()
	types, _, err := workflow.LoadTypes(filepath.Join(testrepo.Root(), repo.TemplatesDir), repo.TemplatesDir)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := c.Write(parent, types["e-postlogg"].Workbook)
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// workArea is the working area of the case in dir (the default settings): the workbook
// while it is worked on, and the raw export in export/.
func workArea(dir string) string { return filepath.Join(dir, casegen.WorkArea) }

// rawExport is the raw export's path in the case in dir.
func rawExport(dir string) string { return filepath.Join(workArea(dir), repo.ExportDir, "export.csv") }

// sha256Of is the hex SHA-256 of data (what an approval binds).
func sha256Of(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// fileSHA256 is the hex SHA-256 of the file at path.
func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256Of(data)
}

func mustWrite(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// notifyRepo makes a case repository with the real settings and templates. It has a .git
// folder so the case locks are kept in it (and go with the test's folder).
func notifyRepo(t *testing.T) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "repo")
	if err := testrepo.Make(root, ""); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{".git", repo.CasesDir} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// recorder is a Source that passes fsnotify's events on and keeps them.
type recorder struct {
	in     Source
	events chan Event
	mu     sync.Mutex
	seen   []Event
	stop   chan struct{}
	done   chan struct{}
}

func recordEvents(in Source) *recorder {
	r := &recorder{in: in, events: make(chan Event, 4096), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(r.done)
		for {
			select {
			case <-r.stop:
				return
			case ev, ok := <-in.Events():
				if !ok {
					return
				}
				r.mu.Lock()
				r.seen = append(r.seen, ev)
				r.mu.Unlock()
				select {
				case r.events <- ev:
				case <-r.stop:
					return
				}
			}
		}
	}()
	return r
}

func (r *recorder) Events() <-chan Event { return r.events }
func (r *recorder) Errors() <-chan error { return r.in.Errors() }
func (r *recorder) Close() error {
	err := r.in.Close()
	close(r.stop)
	<-r.done
	return err
}

func (r *recorder) recorded() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.seen...)
}

// watching is a watcher running on fsnotify in the background, and what it reported.
type watching struct {
	t      *testing.T
	root   string
	src    *recorder
	cancel context.CancelFunc
	done   chan error
	mu     sync.Mutex
	outs   []Outcome
	more   chan struct{}
	ended  bool
	runErr error
}

// startWatching starts a watcher of root with opts (Debounce, Settle); the test's cleanup stops it.
func startWatching(t *testing.T, root string, opts Options) *watching {
	t.Helper()
	h := &watching{t: t, root: root, done: make(chan error, 1), more: make(chan struct{}, 1)}
	if opts.Debounce == 0 {
		opts.Debounce = notifyDebounce
	}
	opts.Version, opts.Signer = "test", "reg1"
	opts.Today = func() date.Date { return notifyToday }
	opts.Report = func(o Outcome) {
		h.mu.Lock()
		h.outs = append(h.outs, o)
		h.mu.Unlock()
		select {
		case h.more <- struct{}{}:
		default:
		}
	}
	opts.Status = func(cases []CaseState) { // the real page: its writes must not wake the watcher
		if err := WriteStatus(root, cases, time.Now()); err != nil {
			t.Errorf("status page: %v", err)
		}
	}
	w, err := New(root, opts)
	if err != nil {
		t.Fatal(err)
	}
	src, err := Notify(root, filepath.Join(root, repo.CasesDir), filepath.Join(root, repo.TemplatesDir))
	if err != nil {
		t.Fatal(err)
	}
	h.src = recordEvents(src)
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	go func() { h.done <- w.Run(ctx, h.src) }()
	t.Cleanup(func() { h.stop() })
	return h
}

// stop cancels the watcher and waits for Run to return; it fails the test if Run hangs.
func (h *watching) stop() error {
	h.t.Helper()
	if h.ended {
		return h.runErr
	}
	h.ended = true
	h.cancel()
	select {
	case h.runErr = <-h.done:
	case <-time.After(notifyWait):
		h.t.Fatal("Run did not return after its context was cancelled")
	}
	h.src.Close()
	return h.runErr
}

// count is how many outcomes have been reported so far (a mark for await and since).
func (h *watching) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.outs)
}

// since returns the outcomes for case id (every case when id is "") reported after mark.
func (h *watching) since(mark int, id string) []Outcome {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []Outcome
	for _, o := range h.outs[mark:] {
		if id == "" || o.Case == id {
			out = append(out, o)
		}
	}
	return out
}

// await waits for the first outcome after mark for case id that accept accepts (nil: any), and
// returns it with the mark after it.
func (h *watching) await(mark int, id, what string, accept func(Outcome) bool) (Outcome, int) {
	h.t.Helper()
	deadline := time.After(notifyWait)
	for {
		h.mu.Lock()
		for i := mark; i < len(h.outs); i++ {
			if o := h.outs[i]; o.Case == id && (accept == nil || accept(o)) {
				h.mu.Unlock()
				return o, i + 1
			}
		}
		h.mu.Unlock()
		select {
		case <-h.more:
		case err := <-h.done:
			h.done <- err
			h.t.Fatalf("the watcher stopped (%v) before %s: %s", err, id, what)
		case <-deadline:
			h.t.Fatalf("no outcome for %s (%s) after %v; reported: %s", id, what, notifyWait, describeOutcomes(h.since(mark, "")))
		}
	}
}

// quiet waits several debounce periods and fails if case id (any case: "") was reported
// after mark.
func (h *watching) quiet(mark int, id, why string) {
	h.t.Helper()
	time.Sleep(notifyQuiet)
	if got := h.since(mark, id); len(got) > 0 {
		h.t.Errorf("%s: want no outcome, got %s", why, describeOutcomes(got))
	}
}

func describeOutcomes(outs []Outcome) string {
	var parts []string
	for _, o := range outs {
		s := o.Case + ":"
		switch {
		case o.Gone:
			s += " borta"
		case o.Waiting:
			s += " väntar"
		}
		if o.Imported != nil {
			s += " importerad"
		}
		if o.Built != nil {
			s += " byggd"
		}
		if o.Problem != "" {
			s += " problem: " + o.Problem
		}
		for _, f := range o.Findings {
			s += " [" + f.String() + "]"
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return "inget"
	}
	return strings.Join(parts, "; ")
}

func cleanOutcome(o Outcome) bool { return !o.Waiting && !o.Findings.HasErrors() && o.Problem == "" }
func builtOutcome(o Outcome) bool { return o.Built != nil }
func hasRule(fs finding.List, rule string) bool {
	for _, f := range fs {
		if f.Rule == rule {
			return true
		}
	}
	return false
}

// pdf returns the SHA-256 of case id's PDF, failing unless the manifest records exactly it
// (the PDF is whole and the one the manifest describes).
func pdfSum(t *testing.T, root, id string) string {
	t.Helper()
	dir := filepath.Join(root, repo.CasesDir, id, disclose.Folder)
	data, err := os.ReadFile(filepath.Join(dir, disclose.PDFName(id)))
	if err != nil {
		t.Fatalf("the PDF of %s: %v", id, err)
	}
	m, err := disclose.ReadManifest(filepath.Join(dir, disclose.ManifestFile))
	if err != nil {
		t.Fatalf("the manifest of %s: %v", id, err)
	}
	h := sha256.Sum256(data)
	got := hex.EncodeToString(h[:])
	if want := m.Outputs[disclose.PDFName(id)]; got != want {
		t.Fatalf("the PDF of %s has SHA-256 %s, its manifest says %s", id, got, want)
	}
	if !bytes.HasPrefix(data, []byte("%PDF-")) || !bytes.Contains(data[max(0, len(data)-32):], []byte("%%EOF")) {
		t.Fatalf("the PDF of %s is not a whole PDF", id)
	}
	return got
}

// temporaries lists the processor's temporary files (".name.tmp-N") left anywhere under root.
func temporaries(root string) []string {
	var found []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".") && strings.Contains(d.Name(), ".tmp-") {
			found = append(found, p)
		}
		return nil
	})
	return found
}

// awaitLock waits until case id's lock file exists: its first build has started.
func awaitLock(t *testing.T, root, id string) {
	t.Helper()
	lock := filepath.Join(caselock.Dir(root), id+".lock")
	for deadline := time.Now().Add(notifyWait); !exists(lock); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the build of %s did not start", id)
		}
	}
}

// noTemporaries stops the watcher and checks that it left no temporary files.
func (h *watching) noTemporaries() {
	h.t.Helper()
	if err := h.stop(); err != nil {
		h.t.Errorf("Run: %v", err)
	}
	if tmp := temporaries(h.root); len(tmp) > 0 {
		h.t.Errorf("temporary files left: %v", tmp)
	}
}

// Excel saves a workbook by writing a temporary file with a hex name and no extension,
// deleting the original and renaming the temporary file into place, and keeps a ~$ lock
// file while the workbook is open. The save is one reconcile, not one per event; neither
// the temporary file nor the lock file wakes the watcher on its own; the PDF follows the
// content: a new mask the decision does not count yet is a finding (the PDF stays), and when
// the decision agrees the PDF is rebuilt.
func TestNotifyExcelSave(t *testing.T) {
	root := notifyRepo(t)
	c := mailCase{ID: "2026-0001", Rows: 200}
	dir := writeMailCase(t, c, filepath.Join(root, repo.CasesDir))
	h := startWatching(t, root, Options{})
	_, mark := h.await(0, c.ID, "the first build", builtOutcome)
	before := pdfSum(t, root, c.ID)

	// Excel opens the workbook, the registrator masks one more subject and saves.
	// Excel saves in the workbook's folder: the working area.
	work := workArea(dir)
	changed := c
	changed.Extra = true
	changedBytes := workbookBytes(t, changed)
	mustWrite(t, filepath.Join(work, excelLock), []byte("\x0bRita       "))
	mustWrite(t, filepath.Join(work, excelTemp), changedBytes)
	h.quiet(mark, "", "Excel's lock file and temporary file alone")
	if err := os.Remove(filepath.Join(work, "e-postlogg.xlsx")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(work, excelTemp), filepath.Join(work, "e-postlogg.xlsx")); err != nil {
		t.Fatal(err)
	}
	o, saved := h.await(mark, c.ID, "the save", nil)
	if o.Waiting || o.Built != nil || !o.Findings.HasErrors() {
		t.Errorf("after a mask the decision does not count: got %s, want findings and no build", describeOutcomes([]Outcome{o}))
	}
	if got := pdfSum(t, root, c.ID); got != before {
		t.Error("the PDF changed although the case has findings")
	}
	// Excel closes the workbook.
	if err := os.Remove(filepath.Join(work, excelLock)); err != nil {
		t.Fatal(err)
	}
	h.quiet(saved, c.ID, "Excel's lock file removed")
	if got := h.since(mark, c.ID); len(got) != 1 {
		t.Errorf("one save: %d reconciles (%s), want 1", len(got), describeOutcomes(got))
	}

	// The decision catches up, and the reviewer approves the saved workbook: the PDF is
	// rebuilt, once.
	mark = h.count()
	mustWrite(t, filepath.Join(dir, casefile.FileName), []byte(changed.Request(sha256Of(changedBytes))))
	o, rebuilt := h.await(mark, c.ID, "the decision changed", nil)
	if !cleanOutcome(o) || o.Built == nil {
		t.Errorf("after the decision agrees: got %s, want a rebuild without findings", describeOutcomes([]Outcome{o}))
	}
	if got := pdfSum(t, root, c.ID); got == before {
		t.Error("the PDF is the old one")
	}
	h.quiet(rebuilt, c.ID, "after the rebuild")

	// fsnotify did report the temporary and lock files, and none of their events marks a case.
	h.stop()
	idle, err := New(root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, ev := range h.src.recorded() {
		if name := filepath.Base(ev.Path); name == excelTemp || name == excelLock {
			seen[name]++
			if idle.Mark(ev) {
				t.Errorf("event %+v marks a case", ev)
			}
		}
	}
	if seen[excelTemp] == 0 || seen[excelLock] == 0 {
		t.Errorf("events seen for Excel's files: %v, want some for both", seen)
	}
	h.noTemporaries()
}

// A workbook caught half-way through a save is waited for (not a finding, no PDF written);
// once whole, it is read as usual.
func TestNotifyHalfSavedWorkbook(t *testing.T) {
	root := notifyRepo(t)
	c := mailCase{ID: "2026-0001", Rows: 200}
	dir := writeMailCase(t, c, filepath.Join(root, repo.CasesDir))
	h := startWatching(t, root, Options{Settle: time.Minute})
	_, mark := h.await(0, c.ID, "the first build", builtOutcome)
	before := pdfSum(t, root, c.ID)
	wb := filepath.Join(workArea(dir), "e-postlogg.xlsx")
	whole, err := os.ReadFile(wb)
	if err != nil {
		t.Fatal(err)
	}

	mustWrite(t, wb, whole[:len(whole)/2])
	o, mark := h.await(mark, c.ID, "the half workbook", nil)
	if !o.Waiting || len(o.Findings) > 0 || o.Built != nil {
		t.Errorf("half a workbook: got %s, want waiting", describeOutcomes([]Outcome{o}))
	}
	if got := pdfSum(t, root, c.ID); got != before {
		t.Error("the PDF changed while the workbook was half-saved")
	}

	mustWrite(t, wb, whole)
	o, _ = h.await(mark, c.ID, "the whole workbook", func(o Outcome) bool { return !o.Waiting })
	if !cleanOutcome(o) || hasRule(o.Findings, workbook.RuleStructure) {
		t.Errorf("the whole workbook: got %s, want no findings", describeOutcomes([]Outcome{o}))
	}
	if got := pdfSum(t, root, c.ID); got != before {
		t.Error("the PDF changed although the workbook is the same")
	}
	h.noTemporaries()
}

// A workbook that stays unreadable past Settle is reported; the PDF from before stays.
func TestNotifyBrokenWorkbookReported(t *testing.T) {
	root := notifyRepo(t)
	c := mailCase{ID: "2026-0001", Rows: 200}
	dir := writeMailCase(t, c, filepath.Join(root, repo.CasesDir))
	h := startWatching(t, root, Options{Settle: 300 * time.Millisecond})
	_, mark := h.await(0, c.ID, "the first build", builtOutcome)
	before := pdfSum(t, root, c.ID)
	wb := filepath.Join(workArea(dir), "e-postlogg.xlsx")
	whole, err := os.ReadFile(wb)
	if err != nil {
		t.Fatal(err)
	}

	mustWrite(t, wb, whole[:len(whole)/2])
	h.await(mark, c.ID, "waiting for the workbook", func(o Outcome) bool { return o.Waiting })
	o, _ := h.await(mark, c.ID, "the broken workbook reported", func(o Outcome) bool { return !o.Waiting })
	if !hasRule(o.Findings, workbook.RuleStructure) || o.Built != nil {
		t.Errorf("a workbook broken past Settle: got %s, want a %s finding", describeOutcomes([]Outcome{o}), workbook.RuleStructure)
	}
	if got := pdfSum(t, root, c.ID); got != before {
		t.Error("the PDF changed although the workbook cannot be read")
	}
	// Once reported, it is not looked at again until something changes.
	h.quiet(h.count(), c.ID, "a reported broken workbook")
	h.noTemporaries()
}

// A case folder made elsewhere and moved into cases/ gives fsnotify a single event; the
// watcher finds its files, and watches its folders from then on.
func TestNotifyCaseMovedIn(t *testing.T) {
	root := notifyRepo(t)
	first := mailCase{ID: "2026-0001", Rows: 20}
	writeMailCase(t, first, filepath.Join(root, repo.CasesDir))
	h := startWatching(t, root, Options{})
	_, mark := h.await(0, first.ID, "the first build", builtOutcome)

	c := mailCase{ID: "2026-0002", Rows: 20}
	staged := writeMailCase(t, c, filepath.Join(filepath.Dir(root), "staging"))
	dir := filepath.Join(root, repo.CasesDir, c.ID)
	if err := os.Rename(staged, dir); err != nil {
		t.Fatal(err)
	}
	o, mark := h.await(mark, c.ID, "the case moved in", nil)
	if !cleanOutcome(o) || o.Built == nil {
		t.Errorf("the case moved in: got %s, want built without findings", describeOutcomes([]Outcome{o}))
	}
	pdfSum(t, root, c.ID)

	// Its folders are watched: a change in the working area's export/ is seen.
	mustWrite(t, rawExport(dir), []byte("trasig\n"))
	o, _ = h.await(mark, c.ID, "export/ changed", nil)
	if !o.Findings.HasErrors() {
		t.Errorf("a damaged raw export in the moved case: got %s, want findings", describeOutcomes([]Outcome{o}))
	}
	h.noTemporaries()
}

// A case folder renamed: the old id is gone, the new one is a case (whose request.md states
// the old id), and the renamed folder and its subfolders are watched under the new name.
func TestNotifyCaseRenamed(t *testing.T) {
	root := notifyRepo(t)
	c := mailCase{ID: "2026-0002", Rows: 20}
	writeMailCase(t, c, filepath.Join(root, repo.CasesDir))
	h := startWatching(t, root, Options{})
	_, mark := h.await(0, c.ID, "the first build", builtOutcome)

	renamed := filepath.Join(root, repo.CasesDir, "2026-0003")
	if err := os.Rename(filepath.Join(root, repo.CasesDir, c.ID), renamed); err != nil {
		t.Fatal(err)
	}
	h.await(mark, c.ID, "the old id gone", func(o Outcome) bool { return o.Gone })
	o, mark := h.await(mark, "2026-0003", "the new id", nil)
	if !hasRule(o.Findings, casefile.RuleCaseID) {
		t.Errorf("the renamed case: got %s, want an %s finding", describeOutcomes([]Outcome{o}), casefile.RuleCaseID)
	}

	// The registrator corrects ärende: in the renamed folder.
	moved := c
	moved.ID = "2026-0003"
	mustWrite(t, filepath.Join(renamed, casefile.FileName), []byte(moved.Request(fileSHA256(t, filepath.Join(workArea(renamed), "e-postlogg.xlsx")))))
	o, mark = h.await(mark, "2026-0003", "request.md corrected", nil)
	if !cleanOutcome(o) || o.Built == nil {
		t.Errorf("the corrected case: got %s, want built without findings", describeOutcomes([]Outcome{o}))
	}
	// A change in a subfolder of the renamed folder is the new id's.
	mustWrite(t, rawExport(renamed), []byte("trasig\n"))
	o, _ = h.await(mark, "2026-0003", "export/ of the renamed case changed", nil)
	if !o.Findings.HasErrors() {
		t.Errorf("a damaged raw export in the renamed case: got %s, want findings", describeOutcomes([]Outcome{o}))
	}
	if got := h.since(mark, c.ID); len(got) > 0 {
		t.Errorf("events in the renamed folder reported under the old ID: %s", describeOutcomes(got))
	}
	h.noTemporaries()
}

// A case folder deleted while its PDF is being built: the watcher neither crashes nor
// hangs, says the case is gone, leaves no temporary files, and goes on watching.
func TestNotifyDeletedDuringBuild(t *testing.T) {
	root := notifyRepo(t)
	big := mailCase{ID: "2026-0001", Rows: 20000}
	small := mailCase{ID: "2026-0002", Rows: 20}
	dir := writeMailCase(t, big, filepath.Join(root, repo.CasesDir))
	writeMailCase(t, small, filepath.Join(root, repo.CasesDir))
	h := startWatching(t, root, Options{})

	awaitLock(t, root, big.ID) // the first round builds every case
	for i := 0; exists(dir); i++ {
		if i == 100 {
			t.Fatalf("%s cannot be deleted", dir)
		}
		os.RemoveAll(dir) // a build writing at the same moment may make it fail: again
	}
	_, mark := h.await(0, big.ID, "the deleted case", func(o Outcome) bool { return o.Gone })
	t.Logf("reported: %s", describeOutcomes(h.since(0, big.ID)))
	if exists(dir) {
		t.Errorf("%s is back after it was deleted", dir)
	}
	h.quiet(mark, big.ID, "a case reported gone")

	// Still watching.
	mark = h.count()
	smallDir := filepath.Join(root, repo.CasesDir, small.ID)
	mustWrite(t, rawExport(smallDir), []byte("trasig\n"))
	h.await(mark, small.ID, "another case changed", func(o Outcome) bool { return o.Findings.HasErrors() })
	h.noTemporaries()
}

// A burst of a thousand events in two cases (editors re-saving request.md unchanged, a
// raw export rewritten unchanged, then one real change each) is a few reconciles per case
// and one rebuild each, not a thousand.
func TestNotifyBurst(t *testing.T) {
	root := notifyRepo(t)
	cases := []mailCase{{ID: "2026-0001", Rows: 50}, {ID: "2026-0002", Rows: 50}}
	for _, c := range cases {
		writeMailCase(t, c, filepath.Join(root, repo.CasesDir))
	}
	h := startWatching(t, root, Options{})
	for _, c := range cases {
		h.await(0, c.ID, "the first build", builtOutcome)
	}
	mark := h.count()

	changed := make([][]byte, len(cases))
	approved := make([]string, len(cases))
	for i, c := range cases {
		approved[i] = fileSHA256(t, filepath.Join(workArea(filepath.Join(root, repo.CasesDir, c.ID)), "e-postlogg.xlsx"))
		c.Wide = true
		changed[i] = workbookBytes(t, c)
	}
	for i := range 500 {
		for j, c := range cases {
			dir := filepath.Join(root, repo.CasesDir, c.ID)
			if i%2 == 0 {
				mustWrite(t, filepath.Join(dir, casefile.FileName), []byte(c.Request(approved[j])))
			} else {
				_, raw, _, _ := c.Generate()
				mustWrite(t, rawExport(dir), []byte(raw))
			}
		}
	}
	for i, c := range cases { // saved by a program that writes in place, and approved again
		dir := filepath.Join(root, repo.CasesDir, c.ID)
		mustWrite(t, filepath.Join(workArea(dir), "e-postlogg.xlsx"), changed[i])
		mustWrite(t, filepath.Join(dir, casefile.FileName), []byte(c.Request(sha256Of(changed[i]))))
	}
	for _, c := range cases {
		h.await(mark, c.ID, "the burst", builtOutcome)
	}
	h.quiet(h.count(), "", "after the burst")
	events := 0
	for _, ev := range h.src.recorded() {
		if !strings.HasSuffix(ev.Path, ".pdf") && !strings.HasSuffix(ev.Path, ".json") && !strings.Contains(ev.Path, StatusFile) {
			events++
		}
	}
	if events < 1000 {
		t.Errorf("the burst gave %d events, want at least 1,000", events)
	}
	for _, c := range cases {
		got := h.since(mark, c.ID)
		builds := 0
		for _, o := range got {
			if o.Built != nil {
				builds++
			}
		}
		if builds != 1 || len(got) > 3 {
			t.Errorf("%s: %d reconciles, %d builds after 1,000 events (%s); want at most 3 and 1", c.ID, len(got), builds, describeOutcomes(got))
		}
		pdfSum(t, root, c.ID)
	}
	h.noTemporaries()
}

// Cancelling stops Run promptly when idle, and after the case in progress when building,
// leaving a whole PDF or none and no temporary files.
func TestNotifyCancel(t *testing.T) {
	t.Run("idle", func(t *testing.T) {
		root := notifyRepo(t)
		c := mailCase{ID: "2026-0001", Rows: 20}
		writeMailCase(t, c, filepath.Join(root, repo.CasesDir))
		h := startWatching(t, root, Options{})
		h.await(0, c.ID, "the first build", builtOutcome)
		h.noTemporaries() // stops it
		pdfSum(t, root, c.ID)
	})
	t.Run("building", func(t *testing.T) {
		root := notifyRepo(t)
		c := mailCase{ID: "2026-0001", Rows: 20000}
		other := mailCase{ID: "2026-0002", Rows: 20}
		writeMailCase(t, c, filepath.Join(root, repo.CasesDir))
		writeMailCase(t, other, filepath.Join(root, repo.CasesDir))
		h := startWatching(t, root, Options{})
		awaitLock(t, root, c.ID)
		h.noTemporaries() // stops it
		if _, err := os.Stat(filepath.Join(root, repo.CasesDir, c.ID, disclose.Folder, disclose.PDFName(c.ID))); err == nil {
			pdfSum(t, root, c.ID) // whole, and the one its manifest describes
		}
		if got := h.since(0, other.ID); len(got) > 0 {
			t.Errorf("a case after the cancel was reconciled: %s", describeOutcomes(got))
		}
	})
}
