package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"utlamnande/processor/internal/caselock"
	"utlamnande/processor/internal/gallring"
)

type purgeOptions struct {
	commonOptions
	signer, decision string
}

// runPurge deletes a case's working area and records the disposal.
func runPurge(args []string, stdout, stderr io.Writer) error {
	var o purgeOptions
	fs := newFlagSet("gallra")
	o.register(fs)
	fs.StringVar(&o.signer, "av", "", "signatur för gallringssteget")
	fs.StringVar(&o.decision, "beslut", "", "gallringsbeslutet (dokumenthanteringsplanens punkt)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"gallra behöver ett ärende, t.ex. processor gallra --av reg1 --beslut \"DHP 4.2\" 2026-0042"}
	}
	r, today, err := o.open()
	if err != nil {
		return err
	}
	dirs, err := caseDirs(r, fs.Args())
	if err != nil || len(dirs) != 1 {
		return usageError{fmt.Sprintf("%s är inte ett ärende", fs.Arg(0))}
	}
	if o.signer == "" {
		o.signer = signerFromGit(r)
	}
	release, err := caselock.Lock(r.Root, filepath.Base(dirs[0]), 30*time.Second)
	if err != nil {
		return err
	}
	res, findings, err := gallring.Purge(r, dirs[0], gallring.Options{Signer: o.signer, Decision: o.decision, Today: today})
	release()
	if len(findings) > 0 {
		if werr := writeFindings(stdout, findings.Sorted()); werr != nil {
			return werr
		}
	}
	if errors.Is(err, gallring.ErrFindings) {
		fmt.Fprintln(stderr, "Inget har gallrats: rätta felen ovan först.")
		return errFindings
	}
	if err != nil {
		return err
	}
	for _, d := range res.Deleted {
		fmt.Fprintf(stdout, "raderad: %s  %s (%d byte)\n", d.SHA256, d.Path, d.Size)
	}
	fmt.Fprintf(stderr, "%s: arbetsytan %s är raderad (%d filer) och steget %s är registrerat med gallringsbeslutet. Checka in request.md.\n",
		filepath.Base(dirs[0]), res.WorkArea, len(res.Deleted), res.Step)
	return nil
}
