// Package watch keeps a case repository's cases validated and their disclosure PDFs current
// while registrators work: file events mark cases dirty, and after a short quiet period
// (the debounce) each dirty case is reconciled: a raw export dropped into the working area's
// export/ is imported once it has stopped changing, the case is validated, and its PDF rebuilt when the hash of its inputs differs from its
// manifest. Events are hints only (level-triggered): what counts is what the files say when
// the case is reconciled, so lost events are repaired by the full rescans at start-up, on
// overflow and periodically.
package watch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/caselock"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/disclose"
	"utlamnande/processor/internal/export"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/intake"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/settings"
	"utlamnande/processor/internal/validate"
)

// Clock is time as the watcher sees it; tests drive it by hand.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Options of a watcher.
type Options struct {
	Debounce time.Duration // quiet time after the last event before reconciling; default 200 ms
	Rescan   time.Duration // full rescan this often; default 5 minutes
	// Settle is how long a workbook that cannot be read is waited for (Excel may be half
	// way through saving it) before it is reported, and how long a raw export must stay
	// unchanged (names, sizes, modification times) before it is imported (it may still be
	// being copied); default 5 s.
	Settle  time.Duration
	Signer  string // signature recorded when a raw export is imported; "" = no import
	Version string // the processor's version, for the PDFs
	Today   func() date.Date
	Clock   Clock
	// Report receives each case's outcome after it is reconciled.
	Report func(Outcome)
	// Status receives the state of every case after each reconcile round (for the page).
	Status func([]CaseState)
}

// Outcome is what reconciling one case found and did.
type Outcome struct {
	Case     string // id (folder name)
	Gone     bool   // the folder is no longer there
	Quiet    bool   // nothing to say: a folder never seen with a case in it
	Findings finding.List
	Imported *intake.Result // a raw export was imported
	Built    *disclose.Result
	// Problem is an error that kept the watcher from importing or building (not a finding).
	Problem string
	// Waiting: the workbook cannot be read yet (being saved); it will be looked at again.
	Waiting bool
	// RawPending: a raw export waits for its import until it has stopped changing (it may
	// still be being copied); Problem says so, and it will be looked at again.
	RawPending bool
	// Interrupted: the watcher's context ended (Ctrl-C) while the case was looked at. What
	// was not finished was not done (an import stopped writes nothing) and nothing was
	// concluded: Findings is empty and the case is looked at again at the next start.
	// Imported is set if the import was finished before.
	Interrupted bool
	Took        time.Duration
}

// CaseState is one line of the status page.
type CaseState struct {
	Case     string
	Type     string
	Last     string // last recorded step, "" when none
	Next     string // what comes next
	Findings finding.List
	PDF      string // the PDF, relative to the root, when there is one
	Checked  time.Time
	// Overdue: the working days waited by the longest open handling time past its target
	// (handläggningstid), 0 when none; the status page lists these cases first.
	Overdue int
}

// Watcher reconciles the cases of one repository.
type Watcher struct {
	root    string
	opts    Options
	r       *repo.Repo
	dirty   map[string]bool
	all     bool // look at every case: at start-up, and when settings or templates change
	rescan  bool // look at every case whose files changed since it was last reconciled
	stamps  map[string]string
	waiting map[string]time.Time // case → when its workbook was first found unreadable
	raws    map[string]rawSeen   // case → its raw export folder as last seen, while an import waits
	states  map[string]CaseState
}

// New makes a watcher of the repository at root.
func New(root string, opts Options) (*Watcher, error) {
	if opts.Debounce <= 0 {
		opts.Debounce = 200 * time.Millisecond
	}
	if opts.Rescan <= 0 {
		opts.Rescan = 5 * time.Minute
	}
	if opts.Settle <= 0 {
		opts.Settle = 5 * time.Second
	}
	if opts.Clock == nil {
		opts.Clock = realClock{}
	}
	if opts.Today == nil {
		opts.Today = date.Today
	}
	w := &Watcher{root: root, opts: opts, dirty: map[string]bool{}, stamps: map[string]string{}, waiting: map[string]time.Time{}, raws: map[string]rawSeen{}, states: map[string]CaseState{}}
	if err := w.open(); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *Watcher) open() error {
	r, err := repo.Open(w.root)
	if err != nil {
		return err
	}
	w.r = r
	return nil
}

// Run watches until ctx ends: a full reconcile first, then on events. ctx also stops the
// case being reconciled (its check, its import, the wait for its lock: see Reconcile), and
// Run returns when that is done, so nothing is left half-written.
func (w *Watcher) Run(ctx context.Context, src Source) error {
	w.all = true
	w.round(ctx)
	var quiet <-chan time.Time
	// A case that waits after the start-up round (a raw export already in export/, a
	// workbook half-saved) is looked at again, as after any round: no event may ever come.
	if w.pending() {
		quiet = w.opts.Clock.After(w.opts.Debounce)
	}
	rescan := w.opts.Clock.After(w.opts.Rescan)
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-src.Events():
			if !ok {
				return nil
			}
			if w.Mark(ev) {
				quiet = w.opts.Clock.After(w.opts.Debounce)
			}
		case err, ok := <-src.Errors():
			if !ok {
				return nil
			}
			if errors.Is(err, ErrOverflow) {
				w.rescan = true
				quiet = w.opts.Clock.After(w.opts.Debounce)
			}
		case <-quiet:
			quiet = nil
			w.round(ctx)
			if w.pending() {
				quiet = w.opts.Clock.After(w.opts.Debounce)
			}
		case <-rescan:
			w.rescan = true
			quiet = w.opts.Clock.After(w.opts.Debounce)
			rescan = w.opts.Clock.After(w.opts.Rescan)
		}
	}
}

// Mark notes what an event touches; it reports whether anything is now dirty.
func (w *Watcher) Mark(ev Event) bool {
	rel, err := filepath.Rel(w.root, ev.Path)
	if err != nil || strings.HasPrefix(rel, "..") {
		return false
	}
	rel = filepath.ToSlash(rel)
	if Ignored(rel) {
		return false
	}
	switch {
	case rel == settings.FileName || strings.HasPrefix(rel, repo.TemplatesDir+"/") || rel == repo.TemplatesDir:
		w.all = true
		return true
	case strings.HasPrefix(rel, repo.CasesDir+"/"):
		id, rest, _ := strings.Cut(strings.TrimPrefix(rel, repo.CasesDir+"/"), "/")
		if id == "" || strings.HasPrefix(id, ".") {
			return false
		}
		// The watcher's own output: written by a build, it needs no new look. A PDF that
		// is removed or renamed away does.
		if strings.HasPrefix(rest, disclose.Folder+"/") && !ev.Remove {
			return false
		}
		w.dirty[id] = true
		return true
	}
	return false
}

// Ignored reports whether a path (slash, relative to the root) is never worth a look:
// lock and temporary files of Excel, LibreOffice and editors, hidden files (the
// processor's own temporary files among them), and the status page.
func Ignored(rel string) bool {
	base := rel[strings.LastIndexByte(rel, '/')+1:]
	lower := strings.ToLower(base)
	switch {
	case base == "" || rel == StatusFile:
		return true
	case strings.HasPrefix(base, "~$"), strings.HasPrefix(base, ".~lock."), strings.HasPrefix(base, "."),
		strings.HasPrefix(base, "#") && strings.HasSuffix(base, "#"):
		return true
	case strings.HasSuffix(lower, ".tmp"), strings.HasSuffix(lower, ".swp"), strings.HasSuffix(lower, ".swx"),
		strings.HasSuffix(base, "~"), strings.HasSuffix(lower, ".bak"), base == "4913":
		return true
	}
	// Excel saves through a temporary file named with hex digits and no extension, in the
	// workbook's folder. Case files all have extensions; a case folder has none. The raw
	// export folder (export/ in the working area) is the registrator's: anything there counts.
	if parts := strings.Split(rel, "/"); len(parts) >= 3 && parts[0] == repo.CasesDir && !strings.Contains(base, ".") &&
		!(len(parts) >= 5 && strings.EqualFold(parts[3], repo.ExportDir)) {
		return true
	}
	return false
}

// round reconciles every dirty case (all of them after a rescan), in order.
func (w *Watcher) round(ctx context.Context) {
	if w.all {
		if err := w.open(); err != nil { // settings or templates may have changed
			w.report(Outcome{Case: "", Problem: err.Error()})
			w.all = false
			return
		}
		dirs, _ := w.r.CaseDirs()
		for _, d := range dirs {
			w.dirty[filepath.Base(d)] = true
		}
		for id := range w.states { // cases whose folder went away
			w.dirty[id] = true
		}
		w.all, w.rescan = false, false
	}
	if w.rescan {
		// Events may have been lost: look at every case, and reconcile those whose files are
		// not as they were when last reconciled (cheap: one stat per file).
		dirs, _ := w.r.CaseDirs()
		seen := map[string]bool{}
		for _, d := range dirs {
			id := filepath.Base(d)
			seen[id] = true
			if w.stamps[id] != w.stamp(id) {
				w.dirty[id] = true
			}
		}
		for id := range w.states {
			if !seen[id] {
				w.dirty[id] = true
			}
		}
		w.rescan = false
	}
	ids := make([]string, 0, len(w.dirty))
	for id := range w.dirty {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if ctx.Err() != nil {
			return // the rest stays dirty; nothing is half-done
		}
		delete(w.dirty, id)
		out := w.Reconcile(ctx, id)
		if out.Interrupted {
			// Not reconciled: it stays dirty, and the status page stays as it was.
			w.dirty[id] = true
			if out.Imported != nil {
				w.report(out) // that was done
			}
			return
		}
		if out.Waiting || out.RawPending {
			w.dirty[id] = true
		}
		w.report(out)
	}
	if w.opts.Status != nil {
		list := make([]CaseState, 0, len(w.states))
		for _, s := range w.states {
			list = append(list, s)
		}
		slices.SortFunc(list, func(a, b CaseState) int { return strings.Compare(a.Case, b.Case) })
		w.opts.Status(list)
	}
}

func (w *Watcher) report(o Outcome) {
	if w.opts.Report != nil {
		w.opts.Report(o)
	}
}

// Reconcile looks at one case now: import a waiting raw export, validate, rebuild the PDF
// if its inputs changed. It holds the case's lock while it writes. When ctx ends (Ctrl-C)
// it stops what it is doing where that leaves nothing behind (the reading of the raw export
// in the check or the import, whose temporary files are removed; an import that has not yet
// written; the wait for the lock) and returns an Outcome that is Interrupted. A build once
// started is finished.
func (w *Watcher) Reconcile(ctx context.Context, id string) Outcome {
	start := w.opts.Clock.Now()
	out := Outcome{Case: id}
	dir := filepath.Join(w.root, repo.CasesDir, id)
	if !exists(filepath.Join(dir, casefile.FileName)) {
		_, known := w.states[id]
		delete(w.states, id)
		delete(w.stamps, id)
		delete(w.waiting, id)
		delete(w.raws, id)
		switch {
		case exists(dir):
			out.Findings.Add(w.r.Rel(dir), 0, 0, validate.RuleCaseDir, "mappen saknar request.md", "varje mapp i cases/ är ett ärende med en request.md")
		case known:
			out.Gone = true
		default:
			out.Quiet = true // a folder that came and went between two looks
		}
		return out
	}
	today := w.opts.Today()
	checked := validate.Case(w.r, dir, validate.Options{Today: today, Context: ctx})
	if ctx.Err() != nil {
		return w.interrupted(out, start)
	}

	// A raw export waiting in the working area's export/ for its import, or changed before
	// anything was masked (imported again). Only once it has stopped changing: a file still
	// being copied must not be imported, and recorded, half.
	if w.importable(checked) {
		if wait := w.unsettled(id); wait != "" {
			out.RawPending, out.Problem = true, wait
			s := w.state(id, checked, out)
			s.Next, s.Findings = wait, nil
			w.states[id] = s
			out.Took = w.opts.Clock.Now().Sub(start)
			return out
		}
		release, err := caselock.LockContext(ctx, w.root, id, 10*time.Second)
		if errors.Is(err, caselock.ErrInterrupted) {
			return w.interrupted(out, start)
		}
		if err != nil {
			out.Problem = err.Error()
		} else {
			res, fs, err := intake.Run(w.r, dir, intake.Options{Signer: w.opts.Signer, Today: today, Context: ctx})
			release()
			switch {
			case errors.Is(err, intake.ErrInterrupted):
				return w.interrupted(out, start) // nothing was written
			case err != nil && len(fs) > 0:
				out.Findings = append(out.Findings, fs...)
				out.Problem = "råexporten importerades inte: " + err.Error()
			case err != nil:
				out.Problem = "råexporten importerades inte: " + err.Error()
			default:
				out.Imported = res
				checked = validate.Case(w.r, dir, validate.Options{Today: today, Context: ctx})
				if ctx.Err() != nil {
					return w.interrupted(out, start)
				}
			}
		}
	} else {
		delete(w.raws, id)
	}

	// A workbook that cannot be read may be half-way through a save: wait a little.
	if ev := checked.Evidence; ev != nil && ev.Facts.Workbook && !ev.Facts.Read {
		first, ok := w.waiting[id]
		if !ok {
			first = w.opts.Clock.Now()
			w.waiting[id] = first
		}
		if w.opts.Clock.Now().Sub(first) < w.opts.Settle {
			out.Waiting = true
			out.Took = w.opts.Clock.Now().Sub(start)
			return out
		}
	}
	delete(w.waiting, id)
	out.Findings = append(out.Findings, checked.Findings...)

	if w.buildable(checked) {
		release, err := caselock.LockContext(ctx, w.root, id, 10*time.Second)
		if errors.Is(err, caselock.ErrInterrupted) {
			return w.interrupted(out, start)
		}
		if err != nil {
			out.Problem = err.Error()
		} else {
			res, fs, err := disclose.Build(w.r, dir, disclose.Options{Today: today, Version: w.opts.Version, Checked: &checked})
			release()
			switch {
			case err != nil:
				out.Findings = append(out.Findings, fs...)
				out.Problem = "pdf:en byggdes inte: " + err.Error()
			case res.Built:
				out.Built = res
			}
		}
	}
	out.Findings = out.Findings.Sorted()
	w.states[id] = w.state(id, checked, out)
	w.stamps[id] = w.stamp(id)
	out.Took = w.opts.Clock.Now().Sub(start)
	return out
}

// interrupted is out (with what was done: an import) of a reconcile stopped by its context.
func (w *Watcher) interrupted(out Outcome, start time.Time) Outcome {
	out.Interrupted = true
	out.Findings, out.Problem, out.Waiting, out.RawPending = nil, "", false, false
	out.Took = w.opts.Clock.Now().Sub(start)
	return out
}

// importable: the raw export is there, and either the workbook is not and the step before
// the import is recorded, or the import is the last step recorded and the raw export is no
// longer the one imported while the workbook has no mask or marking (intake then imports it
// again, or says why not).
func (w *Watcher) importable(c validate.Checked) bool {
	if c.Record == nil || c.Record.Type.Workbook == nil || w.opts.Signer == "" {
		return false
	}
	t := c.Record.Type
	raw := w.r.RawDir(c.Dir, c.Case.ID)
	if raw == "" || len(rawFiles(raw)) == 0 {
		return false
	}
	wb, released := validate.WorkbookPath(w.r, c.Dir, c.Case.ID, t, c.Record)
	if wb == "" || released {
		return false
	}
	if v := c.Record.Value(t.Workbook.RawFile); v != nil && v.Text != "" {
		return w.reimportable(c, raw, v.Text, wb)
	}
	if exists(wb) {
		return false
	}
	next := c.Record.Next()
	return next != nil && next.Name == t.Workbook.From
}

// reimportable: the import is the last step recorded, the raw export's SHA-256 is not the
// recorded one, and the workbook (if readable) shows no mask and no P. Intake checks again,
// cell by cell, before it writes anything.
func (w *Watcher) reimportable(c validate.Checked, raw, file, wb string) bool {
	rec := c.Record
	step, _, shaKey, _ := intake.ImportStep(rec.Type)
	if step == nil {
		return false
	}
	if last := rec.Last(); last == nil || last.Step.Name != step.Name {
		return false
	}
	sha := rec.Value("steg." + step.Name + "." + shaKey)
	if sha == nil || sha.Text == "" {
		return false
	}
	if ev := c.Evidence; ev != nil && ev.Facts.Workbook {
		if !ev.Facts.Read || ev.Facts.Private > 0 || len(ev.Facts.Provisions) > 0 {
			return false
		}
	} else if exists(wb) {
		return false // not looked at by validate: leave it
	}
	if ev := c.Evidence; ev != nil && ev.Facts.RawSHA256 != "" {
		return ev.Facts.RawSHA256 != sha.Text
	}
	// The raw export was not read by validate (no workbook, or it does not read cleanly,
	// e.g. half-copied): compare its bytes.
	path, err := export.Find(raw, file)
	if err != nil {
		if path, err = export.Find(raw, ""); err != nil {
			return false
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]) != sha.Text
}

// rawSeen is a case's raw export folder as seen at a reconcile, and since when it has
// looked so (by the watcher's clock).
type rawSeen struct {
	stamp   string
	since   time.Time
	settled bool // unchanged for Settle: imported (or tried) as it is
}

// unsettled returns why case id's raw export is not imported yet (Swedish), or "" when it
// has not changed for Settle.
func (w *Watcher) unsettled(id string) string {
	dir := filepath.Join(w.root, repo.CasesDir, id)
	raw := w.r.RawDir(dir, id)
	stamp := folderStamp(raw)
	now := w.opts.Clock.Now()
	seen, ok := w.raws[id]
	if !ok || seen.stamp != stamp {
		seen = rawSeen{stamp: stamp, since: now}
	}
	if !seen.settled && now.Sub(seen.since) >= w.opts.Settle {
		seen.settled = true
	}
	w.raws[id] = seen
	if seen.settled {
		return ""
	}
	return fmt.Sprintf("väntar på att råexporten ska bli komplett: %s ändras fortfarande (kopieras den?); den importeras när den inte har ändrats på %s",
		w.r.Rel(raw), seconds(w.opts.Settle))
}

// pending reports whether a case waits for its workbook or raw export to settle.
func (w *Watcher) pending() bool {
	if len(w.waiting) > 0 {
		return true
	}
	for _, s := range w.raws {
		if !s.settled {
			return true
		}
	}
	return false
}

// folderStamp sums up the files in a folder (names, sizes, modification times).
func folderStamp(dir string) string {
	var b strings.Builder
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && !info.IsDir() {
			fmt.Fprintf(&b, "%s %d %d\n", e.Name(), info.Size(), info.ModTime().UnixNano())
		}
	}
	return b.String()
}

// seconds writes a duration the Swedish way: "5 s", "1,5 s", "300 ms".
func seconds(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	case d%time.Second == 0:
		return fmt.Sprintf("%d s", d/time.Second)
	}
	return strings.Replace(fmt.Sprintf("%.1f s", d.Seconds()), ".", ",", 1)
}

// buildable: the type has a disclosure, the decision is approved, the case is not released
// (a released PDF never changes) and nothing blocks.
func (w *Watcher) buildable(c validate.Checked) bool {
	if c.Record == nil || c.Findings.HasErrors() {
		return false
	}
	t := c.Record.Type
	if t.Disclosure == nil || !c.Record.Approved(t.Disclosure.Decision) {
		return false
	}
	if t.Locks != nil {
		if _, released := c.Record.Recorded(t.Locks.Released); released {
			return false
		}
	}
	return true
}

func (w *Watcher) state(id string, c validate.Checked, out Outcome) CaseState {
	s := CaseState{Case: id, Findings: out.Findings, Checked: w.opts.Clock.Now()}
	if c.Case != nil {
		s.Type = c.Case.Type
	}
	if rec := c.Record; rec != nil {
		for _, wt := range rec.Waits(date.Of(s.Checked)) {
			if wt.Open && wt.Overdue() && wt.Days > s.Overdue {
				s.Overdue = wt.Days
			}
		}
		if last := rec.Last(); last != nil {
			s.Last = last.Step.Name
			if !rec.Approved(last.Step.Name) {
				s.Next = "godkännande av " + last.Step.Name + " (en granskare, i en egen commit)"
			}
		}
		if s.Next == "" {
			if next := rec.Next(); next != nil {
				s.Next = next.Name + " – " + next.Title
			} else {
				s.Next = "alla steg klara"
			}
		}
	}
	if pdf := filepath.Join(c.Dir, disclose.Folder, disclose.PDFName(id)); exists(pdf) {
		s.PDF = w.r.Rel(pdf)
	}
	return s
}

// stamp sums up a case's files (names, sizes, modification times, its raw export folder
// included): when it is what it was at the last reconcile, nothing needs a new look.
func (w *Watcher) stamp(id string) string {
	var b strings.Builder
	dir := filepath.Join(w.root, repo.CasesDir, id)
	add := func(root string) {
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if info, err := d.Info(); err == nil {
				fmt.Fprintf(&b, "%s %d %d\n", p, info.Size(), info.ModTime().UnixNano())
			}
			return nil
		})
	}
	add(dir)
	if work := w.r.WorkArea(dir, id); work != "" && !strings.HasPrefix(work, dir+string(filepath.Separator)) {
		add(work)
	}
	return b.String()
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// rawFiles lists the files in a raw export folder (not hidden, not lock files).
func rawFiles(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() && !Ignored(repo.CasesDir+"/x/"+settings.DefaultWorkArea+"/"+repo.ExportDir+"/"+e.Name()) {
			out = append(out, e.Name())
		}
	}
	return out
}
