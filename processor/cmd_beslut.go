package main

import (
	"errors"
	"fmt"
	"io"

	"utlamnande/processor/internal/decision"
	"utlamnande/processor/internal/finding"
)

// runDecision renders a case's written decisions (beslutshandlingar) whose steps are
// recorded: the decision with appeal information, the dismissal of a late appeal. A
// decision already sent (its låst_från step recorded) is left as it is.
func runDecision(args []string, stdout, stderr io.Writer) error {
	var o commonOptions
	fs := newFlagSet("beslut")
	o.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"beslut behöver ett ärende, t.ex. processor beslut 2026-0042"}
	}
	c, err := openCase(&o, fs, "")
	if err != nil {
		return err
	}
	var results []decision.Result
	err = c.run(stdout, stderr, decision.ErrNotReady, "Inget beslut skrevs: rätta felen ovan först.", func() (finding.List, error) {
		var found finding.List
		var err error
		results, found, err = decision.Build(c.r, c.dir, decision.Options{Today: c.today, Version: version})
		if errors.Is(err, decision.ErrNotReady) && len(found) == 0 {
			return nil, errors.New(err.Error()) // nothing to decide: said as it is, not as findings
		}
		return found, err
	})
	if err != nil {
		return err
	}
	for _, res := range results {
		switch {
		case res.Frozen:
			fmt.Fprintf(stderr, "%s: %s är skickat (steget %s) och skrivs aldrig om.\n", c.id, res.Path, res.Doc.Frozen)
		case res.Built:
			fmt.Fprintf(stderr, "%s: %s skrivet (%d %s), kontrollerat (inbäddat typsnitt, pdfcpu, ingen maskerad text). Checka in det med steget %s.\n",
				c.id, res.Path, res.Pages, pages(res.Pages), res.Doc.Step)
		default:
			fmt.Fprintf(stderr, "%s: %s är aktuellt (inget har ändrats).\n", c.id, res.Path)
		}
	}
	return nil
}

func pages(n int) string {
	if n == 1 {
		return "sida"
	}
	return "sidor"
}
