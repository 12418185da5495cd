package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"utlamnande/processor/internal/approval"
	"utlamnande/processor/internal/caselock"
)

type approveOptions struct {
	commonOptions
	signer string
}

// runApprove writes a reviewer's approval bound to the workbook and raw export as they are.
func runApprove(args []string, stdout, stderr io.Writer) error {
	var o approveOptions
	fs := newFlagSet("godkänn")
	o.register(fs)
	fs.StringVar(&o.signer, "av", "", "granskarens signatur")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"godkänn behöver ett ärende, t.ex. processor godkänn --av jur1 2026-0042"}
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
	res, findings, err := approval.Approve(r, dirs[0], approval.Options{Signer: o.signer, Today: today})
	release()
	if len(findings) > 0 {
		if werr := writeFindings(stdout, findings.Sorted()); werr != nil {
			return werr
		}
	}
	if errors.Is(err, approval.ErrFindings) {
		fmt.Fprintln(stderr, "Inget har godkänts: rätta felen ovan först (granskaren godkänner bara en version utan fel).")
		return errFindings
	}
	if err != nil {
		return err
	}
	id := filepath.Base(dirs[0])
	switch {
	case res.Unchanged:
		fmt.Fprintf(stderr, "%s: steget %s är redan godkänt av %s i den här versionen; inget ändrat.\n", id, res.Step, o.signer)
		return nil
	case res.Replaced:
		fmt.Fprintf(stderr, "%s: det tidigare godkännandet av steget %s är ersatt, med en rättelse.\n", id, res.Step)
	}
	fmt.Fprintf(stderr, "%s: steget %s godkänt av %s", id, res.Step, o.signer)
	if res.WorkbookSHA != "" {
		fmt.Fprintf(stderr, " för granskningsboken %s… och råexporten %s…", res.WorkbookSHA[:12], res.RawSHA[:12])
	}
	fmt.Fprintf(stderr, ".\nChecka in request.md i en egen commit, med din egen git-identitet (fyra ögon). Ändras granskningsboken eller råexporten därefter måste den nya versionen godkännas.\n")
	return nil
}
