package main

import (
	"fmt"
	"io"

	"utlamnande/processor/internal/finding"
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
	c, err := openCase(&o.commonOptions, fs, o.signer)
	if err != nil {
		return err
	}
	var res *gallring.Result
	if err := c.run(stdout, stderr, gallring.ErrFindings, "Inget har gallrats: rätta felen ovan först.", func() (found finding.List, err error) {
		res, found, err = gallring.Purge(c.r, c.dir, gallring.Options{Signer: c.signer, Decision: o.decision, Today: c.today})
		return found, err
	}); err != nil {
		return err
	}
	for _, d := range res.Deleted {
		fmt.Fprintf(stdout, "raderad: %s  %s (%d byte)\n", d.SHA256, d.Path, d.Size)
	}
	fmt.Fprintf(stderr, "%s: arbetsytan %s är raderad (%d filer) och steget %s är registrerat med gallringsbeslutet. Checka in request.md.\n",
		c.id, res.WorkArea, len(res.Deleted), res.Step)
	return nil
}
