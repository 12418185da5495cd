package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"utlamnande/processor/internal/caselock"
	"utlamnande/processor/internal/disclose"
	"utlamnande/processor/internal/validate"
)

type buildOptions struct {
	commonOptions
	force bool
}

// runBuild builds the disclosure of each named case, or of every case whose decision is
// recorded. Cases not ready are reported and skipped; the exit code is 1 if any named case
// could not be built. ctx stops it (Ctrl-C) while it waits for a case's lock or checks a
// case (the reading of its raw export); a PDF being rendered is finished first. The cases
// not yet built are not.
func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o buildOptions
	fs := newFlagSet("build")
	o.register(fs)
	fs.BoolVar(&o.force, "force", false, "bygg även när inget har ändrats")
	r, today, dirs, err := o.openCases(fs, args)
	if err != nil {
		return err
	}
	named := fs.NArg() > 0
	failed := false
	for _, dir := range dirs {
		id := filepath.Base(dir)
		if err := interrupted(ctx, "ärende "+id+" och ärendena efter det byggdes inte"); err != nil {
			return err
		}
		release, err := caselock.LockContext(ctx, r.Root, id, 30*time.Second)
		if err != nil {
			return err
		}
		// Checked here, with ctx (the build would check the case itself, without one).
		checked := validate.Case(r, dir, validate.Options{Today: today, Context: ctx})
		if err := interrupted(ctx, "ärende "+id+" och ärendena efter det byggdes inte"); err != nil {
			release()
			return err
		}
		if rec := checked.Record; !named && rec != nil {
			// With no case named, only the cases whose decision is recorded are built (or
			// said why not); the others are under way, whatever their findings.
			if ds := rec.Type.Disclosure; ds == nil {
				release()
				continue
			} else if _, ok := rec.Recorded(ds.Decision); !ok {
				release()
				continue
			}
		}
		res, findings, err := disclose.Build(r, dir, disclose.Options{Today: today, Version: version, Force: o.force, Checked: &checked})
		release()
		switch {
		case errors.Is(err, disclose.ErrNotReady):
			if !named && len(findings) == 0 {
				continue // not yet decided: nothing to build
			}
			if werr := writeFindings(stdout, findings.Sorted()); werr != nil {
				return werr
			}
			fmt.Fprintf(stderr, "%s: ingen pdf byggd: %v\n", id, err)
			failed = failed || named || len(findings) > 0
		case err != nil:
			fmt.Fprintf(stderr, "%s: ingen pdf byggd: %v\n", id, err)
			failed = true
		case res.Frozen:
			fmt.Fprintf(stderr, "%s: %s är utlämnad och byggs inte om (det utlämnade ändras aldrig).\n", id, res.PDF)
		case !res.Built:
			fmt.Fprintf(stderr, "%s: %s är aktuell (inget har ändrats).\n", id, res.PDF)
		default:
			check, rows := "maskerad text kontrollerad mot råexporten", "rader"
			if res.Mail {
				check, rows = "maskerad och undanhållen text kontrollerad mot e-postmeddelandena", "e-postmeddelanden"
			}
			if !res.RawChecked {
				check = "utan råexport: maskerad text kunde inte sökas"
			}
			fmt.Fprintf(stderr, "%s: %s byggd: %d sidor, %d %s, %d maskningar, %s (%s).\n",
				id, res.PDF, res.Pages, res.Rows, rows, res.Masks, check, res.Took.Round(1e6))
		}
	}
	if failed {
		return errFindings
	}
	return nil
}
