package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"utlamnande/processor/internal/caselock"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/repo"
)

// caseCommand is what the commands that change one case (import, godkänn, gallra) share:
// the case named by the first argument, the signer from git when --av is not given, the
// case's lock while the change is made, and the findings that stopped it.
type caseCommand struct {
	r      *repo.Repo
	today  date.Date
	dir    string
	id     string
	signer string
	// ctx ends the wait for the case's lock (Ctrl-C), for a command that takes one; nil: the
	// wait is not interrupted (a Ctrl-C ends the program, as its default action).
	ctx context.Context
}

// openCase opens the repository and the case of fs's first argument.
func openCase(o *commonOptions, fs *flag.FlagSet, signer string) (*caseCommand, error) {
	r, today, err := o.open()
	if err != nil {
		return nil, err
	}
	dirs, err := caseDirs(r, fs.Args()[:1])
	switch {
	case err != nil:
		return nil, usageError{err.Error()}
	case len(dirs) != 1:
		return nil, usageError{fmt.Sprintf("%s är inte ett ärende", fs.Arg(0))}
	}
	if signer == "" {
		signer = signerFromGit(r)
	}
	return &caseCommand{r: r, today: today, dir: dirs[0], id: filepath.Base(dirs[0]), signer: signer}, nil
}

// run runs change under the case's lock and prints the findings it returns. When its error
// is stopped (the package's ErrFindings), it says nothing (that nothing was done) and
// returns errFindings.
func (c *caseCommand) run(stdout, stderr io.Writer, stopped error, nothing string, change func() (finding.List, error)) error {
	release, err := caselock.LockContext(c.ctx, c.r.Root, c.id, 30*time.Second)
	if err != nil {
		return err
	}
	findings, err := change()
	release()
	if len(findings) > 0 {
		if werr := writeFindings(stdout, findings.Sorted()); werr != nil {
			return werr
		}
	}
	if errors.Is(err, stopped) {
		fmt.Fprintln(stderr, nothing)
		return errFindings
	}
	return err
}
