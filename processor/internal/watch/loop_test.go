package watch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/testrepo"
)

// fakeClock hands out timers the test fires by hand.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers map[time.Duration][]chan time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	c.timers[d] = append(c.timers[d], ch)
	return ch
}

// armed waits (up to 5 s, on a loaded machine) until the loop has set a timer of duration d:
// what it does in reply to an event, a rescan or an overflow takes its own time.
func (c *fakeClock) armed(d time.Duration) {
	for i := 0; i < 5000; i++ {
		c.mu.Lock()
		n := len(c.timers[d])
		c.mu.Unlock()
		if n > 0 {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// fire moves time on by d and fires every timer of that duration.
func (c *fakeClock) fire(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	ts := c.timers[d]
	c.timers[d] = nil
	now := c.now
	c.mu.Unlock()
	for _, ch := range ts {
		ch <- now
	}
}

type fakeSource struct {
	events chan Event
	errs   chan error
}

func (s *fakeSource) Events() <-chan Event { return s.events }
func (s *fakeSource) Errors() <-chan error { return s.errs }
func (s *fakeSource) Close() error         { return nil }

const caseFile = `---
ärende: %s
typ: e-postlogg
inkom_via: medarbetare
medarbetare: {namn: Erik Exempel, brevlåda: erik.exempel@region.example}
omfattning: {mappar: [Inkorg]}
steg:
  mottagen: {datum: 2026-11-02, av: reg1}
---
`

func writeCase(t *testing.T, root, id string) {
	t.Helper()
	dir := filepath.Join(root, "cases", id)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "request.md"), fmt.Appendf(nil, caseFile, id), 0o644); err != nil {
		t.Fatal(err)
	}
}

// loop runs a watcher on a fake source and clock; rounds delivers the ids reconciled in
// each round.
type loop struct {
	root   string
	clock  *fakeClock
	src    *fakeSource
	rounds chan []string
	stop   func()
	done   chan error
}

func startLoop(t *testing.T) *loop {
	t.Helper()
	root := t.TempDir()
	if err := testrepo.Make(root, ""); err != nil {
		t.Fatal(err)
	}
	writeCase(t, root, "2026-0001")
	writeCase(t, root, "2026-0002")
	l := &loop{root: root, clock: &fakeClock{now: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC), timers: map[time.Duration][]chan time.Time{}},
		src: &fakeSource{events: make(chan Event, 100), errs: make(chan error, 1)}, rounds: make(chan []string, 10), done: make(chan error, 1)}
	var mu sync.Mutex
	var current []string
	w, err := New(root, Options{Clock: l.clock, Version: "test", Today: func() date.Date { return date.New(2026, 11, 22) },
		Report: func(o Outcome) { mu.Lock(); current = append(current, o.Case); mu.Unlock() },
		Status: func([]CaseState) {
			mu.Lock()
			r := current
			current = nil
			mu.Unlock()
			slices.Sort(r)
			l.rounds <- r
		}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	l.stop = cancel
	go func() { l.done <- w.Run(ctx, l.src) }()
	t.Cleanup(func() {
		cancel()
		<-l.done
	})
	if got := l.round(t); !slices.Equal(got, []string{"2026-0001", "2026-0002"}) {
		t.Fatalf("start-up round reconciled %v, want every case", got)
	}
	return l
}

func (l *loop) round(t *testing.T) []string {
	t.Helper()
	select {
	case r := <-l.rounds:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("no reconcile round")
		return nil
	}
}

// noRound checks that nothing was reconciled: the watcher is idle once its events are read.
func (l *loop) noRound(t *testing.T) {
	t.Helper()
	select {
	case r := <-l.rounds:
		t.Fatalf("unexpected round: %v", r)
	default:
	}
}

func (l *loop) send(rel string, remove bool) {
	l.src.events <- Event{Path: filepath.Join(l.root, filepath.FromSlash(rel)), Remove: remove}
}

// settle waits until the loop has read every event sent.
func (l *loop) settle(t *testing.T) {
	t.Helper()
	for i := 0; len(l.src.events) > 0; i++ {
		if i > 1000 {
			t.Fatal("events not read")
		}
		time.Sleep(time.Millisecond)
	}
	time.Sleep(5 * time.Millisecond) // the last one read is being marked
}

func TestLoopEventsCollapseToOneReconcilePerCase(t *testing.T) {
	l := startLoop(t)
	for range 50 {
		l.send("cases/2026-0001/request.md", false)
	}
	l.send("cases/2026-0002/arbetsyta/export/export.csv", false)
	l.settle(t)
	l.noRound(t) // nothing happens before the quiet period ends
	l.clock.fire(200 * time.Millisecond)
	if got := l.round(t); !slices.Equal(got, []string{"2026-0001", "2026-0002"}) {
		t.Errorf("round reconciled %v, want each case once", got)
	}
}

func TestLoopIgnoresOwnOutputAndTemporaryFiles(t *testing.T) {
	l := startLoop(t)
	for _, rel := range []string{
		"cases/2026-0001/utlamnande/2026-0001-utlamnande.pdf", // written by a build
		"cases/2026-0001/~$e-postlogg.xlsx",                   // Excel's lock file
		"cases/2026-0001/A1B2C3D4",                            // Excel's temporary file
		"cases/2026-0001/arbetsyta/~$e-postlogg.xlsx",         // the same in the working area,
		"cases/2026-0001/arbetsyta/A1B2C3D4",                  // where the workbook is
		"cases/2026-0001/arbetsyta/.~lock.e-postlogg.xlsx#",
		"cases/2026-0001/arbetsyta/export/~$export.xlsx", // a raw export open in Excel
		"cases/2026-0001/utlamnande/e-postlogg.xlsx",     // the approved copy, written by a build
		"cases/2026-0001/.e-postlogg.xlsx.tmp-123",       // the processor's own
		"cases/2026-0001/.~lock.e-postlogg.xlsx#",        // LibreOffice's lock file
		"cases/2026-0001/4913",                           // vim's probe
		"cases/2026-0001/request.md.swp", "cases/2026-0001/request.md~",
		"status.html", "README.md", "processor/main.go",
	} {
		l.send(rel, false)
	}
	// The control: one real change in the other case. The round must hold it alone.
	l.send("cases/2026-0002/request.md", false)
	l.settle(t)
	l.clock.fire(200 * time.Millisecond)
	if got := l.round(t); !slices.Equal(got, []string{"2026-0002"}) {
		t.Errorf("round reconciled %v, want only 2026-0002: an ignored file marked a case", got)
	}
	// A PDF removed is worth a look; so is a file in the raw export folder with no extension.
	l.send("cases/2026-0001/utlamnande/2026-0001-utlamnande.pdf", true)
	l.send("cases/2026-0002/arbetsyta/export/export", false)
	l.settle(t)
	l.clock.fire(200 * time.Millisecond)
	if got := l.round(t); !slices.Equal(got, []string{"2026-0001", "2026-0002"}) {
		t.Errorf("round reconciled %v", got)
	}
}

func TestLoopTemplatesAndSettingsMarkEveryCase(t *testing.T) {
	l := startLoop(t)
	for _, rel := range []string{"templates/e-postlogg/brev.md", "installningar.yaml"} {
		l.send(rel, false)
		l.settle(t)
		l.clock.fire(200 * time.Millisecond)
		if got := l.round(t); !slices.Equal(got, []string{"2026-0001", "2026-0002"}) {
			t.Errorf("after %s: round reconciled %v, want every case", rel, got)
		}
	}
}

// An overflow and the periodic rescan look at every case, and reconcile those whose files
// changed without an event (the events were lost): level-triggered, not edge-triggered.
func TestLoopRescanFindsChangesWithoutEvents(t *testing.T) {
	l := startLoop(t)
	// Nothing changed: the rescan reconciles nothing.
	l.clock.fire(5 * time.Minute)
	l.clock.armed(200 * time.Millisecond)
	l.clock.fire(200 * time.Millisecond)
	if got := l.round(t); len(got) != 0 {
		t.Errorf("a rescan with nothing changed reconciled %v", got)
	}
	// A change whose event was lost, and a new case: the overflow's rescan finds both.
	later := time.Now().Add(2 * time.Second)
	p := filepath.Join(l.root, "cases", "2026-0002", "request.md")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, append(data, "\nEn anteckning.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(p, later, later)
	writeCase(t, l.root, "2026-0003")
	l.src.errs <- ErrOverflow
	l.clock.armed(200 * time.Millisecond)
	l.clock.fire(200 * time.Millisecond)
	if got := l.round(t); !slices.Equal(got, []string{"2026-0002", "2026-0003"}) {
		t.Errorf("after an overflow: round reconciled %v, want the changed and the new case", got)
	}
	// A case removed without an event is reported gone by the periodic rescan.
	if err := os.RemoveAll(filepath.Join(l.root, "cases", "2026-0001")); err != nil {
		t.Fatal(err)
	}
	l.clock.fire(5 * time.Minute)
	l.clock.armed(200 * time.Millisecond)
	l.clock.fire(200 * time.Millisecond)
	if got := l.round(t); !slices.Equal(got, []string{"2026-0001"}) {
		t.Errorf("after the periodic rescan: round reconciled %v, want the removed case", got)
	}
}

func TestLoopStopsOnCancel(t *testing.T) {
	l := startLoop(t)
	l.stop()
	select {
	case err := <-l.done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
		l.done <- nil // for the cleanup
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop")
	}
}
