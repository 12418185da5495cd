package main

import (
	"fmt"
	"io"
	"time"

	"utlamnande/processor/internal/audit"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/gate"
	"utlamnande/processor/internal/gitcli"
	"utlamnande/processor/internal/history"
	"utlamnande/processor/internal/repo"
)

// runVerify applies the git rules to every commit since a revision, as CI does on a pull
// request: a hook skipped with --no-verify (or a commit made in a forge's web editor) is
// caught here. Each commit is checked against its first parent, with its own author and
// its committer's date as "today"; its PDFs are rebuilt and compared byte for byte.
func runVerify(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("verify")
	since := fs.String("since", "", "kontrollera commits efter denna (t.ex. origin/main); standard: hela historiken")
	head := fs.String("head", "HEAD", "den sista commit som kontrolleras")
	rebuild := fs.Bool("rebuild", true, "bygg om varje incheckad pdf och jämför byte för byte")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageError{"verify tar inga argument utom flaggor"}
	}
	start := time.Now()
	g := gitcli.Git{Dir: "."}
	top, err := g.TopLevel()
	if err != nil {
		return fmt.Errorf("inte i en git-katalog: %w", err)
	}
	g.Dir = top
	if *since != "" {
		if _, ok, err := g.Resolve(*since); err != nil || !ok {
			return fmt.Errorf("--since %q: ingen sådan commit (hämtas hela historiken? actions/checkout behöver fetch-depth: 0)", *since)
		}
	}
	commits, err := g.Commits(*since, *head)
	if err != nil {
		return err
	}
	var total finding.List
	bad, rebuilt := 0, 0
	hs := &histories{root: top}
	defer hs.close()
	for _, c := range commits {
		ch := gate.Change{Git: g, After: c.Hash, Author: c.Author, Version: version, History: true, Rebuild: *rebuild,
			Today: date.Of(c.Committer.When.In(date.Stockholm))}
		if len(c.Parents) > 0 {
			ch.Before, ch.Merged = c.Parents[0], c.Parents[1:]
			ch.StepAuthor = hs.stepAuthor(c.Parents[0])
		}
		rep, err := gate.Check(ch)
		if err != nil {
			return fmt.Errorf("commit %s: %w", short(c.Hash), err)
		}
		rebuilt += rep.Rebuilt
		if len(rep.Findings) == 0 {
			continue
		}
		if rep.Findings.HasErrors() {
			bad++
		}
		fmt.Fprintf(stdout, "commit %s (%s <%s>, %s) %s\n", short(c.Hash), c.Author.Name, c.Author.Email,
			c.Author.When.In(date.Stockholm).Format("2006-01-02 15:04"), c.Subject)
		for _, f := range rep.Findings {
			fmt.Fprintf(stdout, "  %s\n", f.String())
		}
		total = append(total, rep.Findings...)
	}
	errs, warns := count(total)
	fmt.Fprintf(stderr, "verify: %d %s kontrollerade, %d med fel; %d fel, %d %s; %d %s ombyggda och identiska (%v).\n",
		len(commits), plural(len(commits), "commit", "commits"), bad, errs, warns, plural(warns, "varning", "varningar"),
		rebuilt, plural(rebuilt, "pdf", "pdf:er"), time.Since(start).Round(time.Millisecond))
	if errs > 0 {
		return errFindings
	}
	return nil
}

// histories opens the repository's history once, when a step's author is first needed
// (an approval), and keeps it for the following commits.
type histories struct {
	root string
	h    *history.Repo
}

// stepAuthor finds, in the history reachable from rev, the commit that recorded a step.
func (hs *histories) stepAuthor(rev string) func(r *repo.Repo, folder, step string) (gitcli.Ident, string, bool, error) {
	return func(r *repo.Repo, folder, step string) (gitcli.Ident, string, bool, error) {
		if hs.h == nil {
			var err error
			if hs.h, err = history.Open(hs.root); err != nil {
				return gitcli.Ident{}, "", false, err
			}
		}
		c, ok, err := audit.StepCommit(hs.h, rev, folder, step, audit.Env{Settings: r.Settings, Types: r.Types, Catalog: r.Catalog})
		if err != nil || !ok {
			return gitcli.Ident{}, "", false, err
		}
		return gitcli.Ident{Name: c.AuthorName, Email: c.AuthorEmail, When: c.When}, c.Hash, true, nil
	}
}

// close releases the pack files (Windows keeps open files from being removed by git gc).
func (hs *histories) close() {
	if hs.h != nil {
		hs.h.Close()
	}
}

func short(h string) string {
	if len(h) > 10 {
		return h[:10]
	}
	return h
}
