package watch

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Event says that something happened at Path (absolute). Events are hints: the watcher
// looks at the files themselves when it reconciles.
type Event struct {
	Path   string
	Remove bool // removed or renamed away (a deletion may leave nothing to look at)
}

// Source delivers events. Overflow is signalled on Errors with ErrOverflow: then every case
// is looked at again.
type Source interface {
	Events() <-chan Event
	Errors() <-chan error
	Close() error
}

// ErrOverflow means events were lost.
var ErrOverflow = errors.New("händelsekön flödade över")

// notifySource is fsnotify, made recursive: every folder under the watched roots is added,
// and a folder that appears is walked, its folders added and its files reported (a folder
// created with files in it gives only the folder's own event).
type notifySource struct {
	w      *fsnotify.Watcher
	events chan Event
	errs   chan error
	done   chan struct{}
}

// Notify watches the folders roots recursively (and the files in root itself, top, without
// its other folders).
func Notify(top string, roots ...string) (Source, error) {
	w, err := fsnotify.NewBufferedWatcher(4096)
	if err != nil {
		return nil, err
	}
	s := &notifySource{w: w, events: make(chan Event, 4096), errs: make(chan error, 16), done: make(chan struct{})}
	if err := w.Add(top); err != nil {
		w.Close()
		return nil, err
	}
	for _, r := range roots {
		if err := s.addTree(r, false); err != nil && !os.IsNotExist(err) {
			w.Close()
			return nil, err
		}
	}
	go s.loop()
	return s, nil
}

func (s *notifySource) Events() <-chan Event { return s.events }
func (s *notifySource) Errors() <-chan error { return s.errs }

func (s *notifySource) Close() error {
	err := s.w.Close()
	<-s.done
	return err
}

// addTree watches dir and every folder below it; report sends an event for every file
// found (for a folder that appeared with files already in it).
func (s *notifySource) addTree(dir string, report bool) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			return nil // a folder that went away while walking
		}
		if d.IsDir() {
			if p != dir && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			if err := s.w.Add(p); err != nil && !os.IsNotExist(err) {
				return err
			}
			return nil
		}
		if report {
			s.send(Event{Path: p})
		}
		return nil
	})
}

func (s *notifySource) send(e Event) {
	select {
	case s.events <- e:
	default:
		s.sendErr(ErrOverflow) // the reconciler is behind: it will look at everything
	}
}

func (s *notifySource) sendErr(err error) {
	select {
	case s.errs <- err:
	default:
	}
}

func (s *notifySource) loop() {
	defer close(s.done)
	for {
		select {
		case ev, ok := <-s.w.Events:
			if !ok {
				return
			}
			if ev.Op == fsnotify.Chmod {
				continue // permissions only: nothing to look at
			}
			if ev.Op.Has(fsnotify.Rename) {
				s.unwatch(ev.Name)
			}
			if ev.Op.Has(fsnotify.Create) {
				if info, err := os.Lstat(ev.Name); err == nil && info.IsDir() && !skipDir(info.Name()) {
					if err := s.addTree(ev.Name, true); err != nil {
						s.sendErr(err)
					}
				}
			}
			s.send(Event{Path: ev.Name, Remove: ev.Op.Has(fsnotify.Remove) || ev.Op.Has(fsnotify.Rename)})
		case err, ok := <-s.w.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				err = ErrOverflow
			}
			s.sendErr(err)
		}
	}
}

// unwatch drops the watches of a folder renamed away and of the folders in it. fsnotify
// keeps a moved folder's watches under their old paths, so without this the events in a
// renamed case folder's subfolders are reported under the old name, and adding the new name
// (the same inode) does not take. The new name's Create adds them again under it.
func (s *notifySource) unwatch(dir string) {
	prefix := dir + string(filepath.Separator)
	for _, p := range s.w.WatchList() {
		if p == dir || strings.HasPrefix(p, prefix) {
			s.w.Remove(p) // an error: already gone
		}
	}
}

// skipDir: folders never watched (git's own).
func skipDir(name string) bool { return name == ".git" }

// pollSource looks at the files every interval and reports what changed: for network
// shares and FUSE file systems, which send no events.
type pollSource struct {
	roots  []string
	top    string
	every  time.Duration
	events chan Event
	errs   chan error
	stop   chan struct{}
	done   chan struct{}
}

type stamp struct {
	size int64
	mod  time.Time
}

// Poll reports changes under roots (and the files in top) by looking every interval.
func Poll(top string, every time.Duration, roots ...string) Source {
	s := &pollSource{roots: roots, top: top, every: every, events: make(chan Event, 4096), errs: make(chan error, 16),
		stop: make(chan struct{}), done: make(chan struct{})}
	go s.loop()
	return s
}

func (s *pollSource) Events() <-chan Event { return s.events }
func (s *pollSource) Errors() <-chan error { return s.errs }
func (s *pollSource) Close() error {
	close(s.stop)
	<-s.done
	return nil
}

func (s *pollSource) scan() map[string]stamp {
	seen := map[string]stamp{}
	if entries, err := os.ReadDir(s.top); err == nil {
		for _, e := range entries {
			if info, err := e.Info(); err == nil && info.Mode().IsRegular() {
				seen[filepath.Join(s.top, e.Name())] = stamp{info.Size(), info.ModTime()}
			}
		}
	}
	for _, r := range s.roots {
		filepath.WalkDir(r, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				if skipDir(d.Name()) {
					return filepath.SkipDir
				}
				return nil
			}
			if info, err := d.Info(); err == nil {
				seen[p] = stamp{info.Size(), info.ModTime()}
			}
			return nil
		})
	}
	return seen
}

func (s *pollSource) loop() {
	defer close(s.done)
	last := s.scan()
	t := time.NewTicker(s.every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			now := s.scan()
			for p, st := range now {
				if old, ok := last[p]; !ok || old != st {
					s.send(Event{Path: p})
				}
			}
			for p := range last {
				if _, ok := now[p]; !ok {
					s.send(Event{Path: p, Remove: true})
				}
			}
			last = now
		}
	}
}

func (s *pollSource) send(e Event) {
	select {
	case s.events <- e:
	default:
		select {
		case s.errs <- ErrOverflow:
		default:
		}
	}
}
