package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/gate"
	"utlamnande/processor/internal/gitcli"
	"utlamnande/processor/internal/settings"
)

// hooksDir is the repository's folder of git hooks, which `hook install` makes git use.
const hooksDir = "hooks"

// runHook runs a hook subcommand. ctx (Ctrl-C) stops the pre-commit check: the check
// takes no context yet, so it is finished (and its temporary folders removed), then the
// commit is stopped.
func runHook(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"hook behöver ett underkommando: install eller pre-commit"}
	}
	switch args[0] {
	case "install":
		return hookInstall(args[1:], stdout, stderr)
	case "pre-commit":
		return hookPreCommit(ctx, args[1:], stdout, stderr)
	}
	return usageError{fmt.Sprintf("okänt underkommando hook %q (finns: install, pre-commit)", args[0])}
}

// hookInstall points git at the repository's hooks folder (core.hooksPath), so the hooks
// are versioned with the repository and updated with it.
func hookInstall(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("hook install")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageError{"hook install tar inga argument"}
	}
	g := gitcli.Git{Dir: "."}
	top, err := g.TopLevel()
	if err != nil {
		return fmt.Errorf("inte i en git-katalog: %w", err)
	}
	if _, err := os.Stat(filepath.Join(top, hooksDir, "pre-commit")); err != nil {
		return fmt.Errorf("%s/pre-commit saknas i %s: %w", hooksDir, top, err)
	}
	// Git runs only executable hooks (a copy or a checkout on some systems loses the bit).
	entries, err := os.ReadDir(filepath.Join(top, hooksDir))
	if err != nil {
		return err
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() || strings.Contains(e.Name(), ".") || info.Mode()&0o111 != 0 {
			continue
		}
		if err := os.Chmod(filepath.Join(top, hooksDir, e.Name()), info.Mode()|0o755); err != nil {
			return fmt.Errorf("kan inte göra %s/%s körbar: %w", hooksDir, e.Name(), err)
		}
	}
	if _, err := g.Output("config", "core.hooksPath", hooksDir); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "Klart: git kör nu %s/pre-commit före varje incheckning i %s (git config core.hooksPath %s).\n", hooksDir, top, hooksDir)
	if _, err := os.Stat(filepath.Join(top, "bin", "processor")); err != nil {
		fmt.Fprintln(stderr, "Kroken använder bin/processor; bygg den med make build (kroken bygger den själv om Go finns).")
	}
	return nil
}

// hookPreCommit checks what is staged against HEAD. Git runs it from the top of the work
// tree, with GIT_INDEX_FILE set when it commits from a temporary index.
func hookPreCommit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("hook pre-commit")
	today := fs.String("today", "", "dagens datum ÅÅÅÅ-MM-DD")
	merge := fs.Bool("merge", false, "körs av pre-merge-commit (en sammanslagning utan konflikter)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	start := time.Now()
	day, err := parseToday(*today)
	if err != nil {
		return err
	}
	// Where git is, and what is staged, side by side: every git process costs its start-up.
	// The staged changes are read against HEAD before it is known whether there is one.
	g := gitcli.Git{Dir: "."}
	var (
		place     gitcli.Place
		changes   []gitcli.Change
		errPlace  error
		errStaged error
		wg        sync.WaitGroup
	)
	wg.Go(func() { place, errPlace = g.Locate() })
	wg.Go(func() { changes, errStaged = g.StagedChanges("HEAD") })
	wg.Wait()
	if errPlace != nil {
		return fmt.Errorf("inte i en git-katalog: %w", errPlace)
	}
	top := place.Top
	g.Dir = top
	if place.Head == "" { // the first commit: everything staged is new
		changes, errStaged = g.StagedChanges(gitcli.EmptyTree)
	}
	if errStaged != nil {
		return errStaged
	}
	if _, err := os.Stat(filepath.Join(top, settings.FileName)); err != nil {
		// Not a case repository (or the settings are being added in this very commit, which
		// the check reads from the index).
		if staged, _ := g.IndexFiles(settings.FileName); len(staged) == 0 {
			fmt.Fprintf(stderr, "pre-commit: %s saknas i %s; inget att kontrollera.\n", settings.FileName, top)
			return nil
		}
	}
	// Staged files are written out for the checks in the git folder (like the case locks):
	// what is staged may be unmasked, and the system's temporary folder is shared.
	ch := gate.Change{Git: g, Changes: changes, AuthorLookup: g.AuthorIdent, Today: day, WorkBase: top, Version: version,
		TmpDir: filepath.Join(place.GitDir, "utlamnande-tmp")}
	if ch.Changes == nil {
		ch.Changes = []gitcli.Change{}
	}
	if place.Head != "" {
		ch.Before = place.Head
		hs := &histories{root: top}
		defer hs.close()
		ch.StepAuthor = hs.stepAuthor(place.Head)
	}
	if place.MergeHead != "" {
		ch.Merged = []string{place.MergeHead}
	} else if *merge {
		// Git does not write MERGE_HEAD before pre-merge-commit: the branch merged is one
		// of the branches here.
		var err error
		if ch.Merged, err = branchTips(g, place.Head); err != nil {
			return err
		}
	}
	rep, err := gate.Check(ch)
	if ierr := interrupted(ctx, "kontrollen av det som checkas in gjordes inte färdigt; incheckningen stoppades"); ierr != nil {
		return ierr
	}
	if err != nil {
		return err
	}
	if err := writeFindings(stdout, rep.Findings); err != nil {
		return err
	}
	errs, warns := count(rep.Findings)
	took := time.Since(start).Round(time.Millisecond)
	switch {
	case errs > 0:
		fmt.Fprintf(stderr, "Incheckningen stoppades: %d fel i det som checkas in (%s). Rätta felen, lägg till ändringarna och checka in igen. Reglerna: processor rules.\n",
			errs, casesText(rep.Cases))
		return errFindings
	case warns > 0:
		fmt.Fprintf(stderr, "pre-commit: %s kontrollerade, inga fel, %d %s (%v).\n", casesText(rep.Cases), warns, plural(warns, "varning", "varningar"), took)
	case len(rep.Cases) > 0:
		fmt.Fprintf(stderr, "pre-commit: %s kontrollerade, inga fel (%v).\n", casesText(rep.Cases), took)
	}
	if n := len(rep.RawSkipped); n > 0 {
		fmt.Fprintf(stderr, "pre-commit: jämförelsen med råexporten hoppades över för %s (råexporten finns inte här).\n", strings.Join(rep.RawSkipped, ", "))
	}
	return nil
}

func casesText(cases []string) string {
	if len(cases) == 0 {
		return "inga ärenden"
	}
	names := make([]string, len(cases))
	for i, c := range cases {
		names[i] = filepath.Base(c)
	}
	if len(names) > 5 {
		return fmt.Sprintf("%d ärenden", len(names))
	}
	return plural(len(names), "ärendet ", "ärendena ") + strings.Join(names, ", ")
}

// parseToday reads a --today flag; empty means today in Sweden.
func parseToday(s string) (date.Date, error) {
	if s == "" {
		return date.Today(), nil
	}
	d, err := date.Parse(s)
	if err != nil {
		return d, usageError{fmt.Sprintf("--today %q: %v", s, err)}
	}
	return d, nil
}

// branchTips lists the commits at the tips of the local and remote branches, except head.
func branchTips(g gitcli.Git, head string) ([]string, error) {
	out, err := g.Output("for-each-ref", "--format=%(objectname)", "refs/heads", "refs/remotes")
	if err != nil {
		return nil, err
	}
	var tips []string
	for _, h := range strings.Fields(string(out)) {
		if h != head && !slices.Contains(tips, h) {
			tips = append(tips, h)
		}
	}
	return tips, nil
}
