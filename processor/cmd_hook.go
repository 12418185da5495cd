package main

import (
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

func runHook(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"hook behöver ett underkommando: install eller pre-commit"}
	}
	switch args[0] {
	case "install":
		return hookInstall(args[1:], stdout, stderr)
	case "pre-commit":
		return hookPreCommit(args[1:], stdout, stderr)
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
func hookPreCommit(args []string, stdout, stderr io.Writer) error {
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
	// Four questions to git, side by side: every git process costs its start-up.
	g := gitcli.Git{Dir: "."}
	var (
		top, head, mergeHead string
		hasHead, hasMerge    bool
		author               gitcli.Ident
		errTop, errHead      error
		errAuthor            error
		wg                   sync.WaitGroup
	)
	wg.Go(func() { top, errTop = g.TopLevel() })
	wg.Go(func() { head, hasHead, errHead = g.Resolve("HEAD") })
	wg.Go(func() { author, errAuthor = g.AuthorIdent() })
	wg.Go(func() { mergeHead, hasMerge, _ = g.Resolve("MERGE_HEAD") })
	wg.Wait()
	switch {
	case errTop != nil:
		return fmt.Errorf("inte i en git-katalog: %w", errTop)
	case errHead != nil:
		return errHead
	case errAuthor != nil:
		return fmt.Errorf("git vet inte vem som checkar in: %w (ställ in git config user.name och user.email)", errAuthor)
	}
	g.Dir = top
	if _, err := os.Stat(filepath.Join(top, settings.FileName)); err != nil {
		// Not a case repository (or the settings are being added in this very commit, which
		// the check reads from the index).
		if staged, _ := g.IndexFiles(settings.FileName); len(staged) == 0 {
			fmt.Fprintf(stderr, "pre-commit: %s saknas i %s; inget att kontrollera.\n", settings.FileName, top)
			return nil
		}
	}
	ch := gate.Change{Git: g, Author: author, Today: day, RawBase: top, Version: version}
	if hasHead {
		ch.Before = head
		ch.StepAuthor = stepAuthor(top, head)
	}
	if hasMerge {
		ch.Merged = []string{mergeHead}
	} else if *merge {
		// Git does not write MERGE_HEAD before pre-merge-commit: the branch merged is one
		// of the branches here.
		if ch.Merged, err = branchTips(g, head); err != nil {
			return err
		}
	}
	rep, err := gate.Check(ch)
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
