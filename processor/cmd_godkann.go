package main

import (
	"fmt"
	"io"

	"utlamnande/processor/internal/approval"
	"utlamnande/processor/internal/finding"
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
	c, err := openCase(&o.commonOptions, fs, o.signer)
	if err != nil {
		return err
	}
	var res *approval.Result
	if err := c.run(stdout, stderr, approval.ErrFindings, "Inget har godkänts: rätta felen ovan först (granskaren godkänner bara en version utan fel).", func() (found finding.List, err error) {
		res, found, err = approval.Approve(c.r, c.dir, approval.Options{Signer: c.signer, Today: c.today})
		return found, err
	}); err != nil {
		return err
	}
	id, signer := c.id, c.signer
	switch {
	case res.Unchanged:
		fmt.Fprintf(stderr, "%s: steget %s är redan godkänt av %s i den här versionen; inget ändrat.\n", id, res.Step, signer)
		return nil
	case res.Replaced:
		fmt.Fprintf(stderr, "%s: det tidigare godkännandet av steget %s är ersatt, med en rättelse.\n", id, res.Step)
	}
	material, raw := "granskningsboken", "råexporten"
	if res.Mail {
		material, raw = "granskningstexterna och besluten", "e-postexporten"
	}
	fmt.Fprintf(stderr, "%s: steget %s godkänt av %s", id, res.Step, signer)
	if res.WorkbookSHA != "" {
		fmt.Fprintf(stderr, " för %s %s… och %s %s…", material, res.WorkbookSHA[:12], raw, res.RawSHA[:12])
	}
	fmt.Fprintf(stderr, ".\nChecka in request.md i en egen commit, med din egen git-identitet (fyra ögon). Ändras %s eller %s därefter måste den nya versionen godkännas.\n", material, raw)
	return nil
}
