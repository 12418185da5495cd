package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"utlamnande/processor/internal/gallring"
	"utlamnande/processor/internal/validate"
)

// runStatus prints one line per case: its type, the last recorded step and the next one
// (for a closed case, from which day it is purged), then the cases due for gallring. ctx
// stops it (Ctrl-C) before the next case, and the reading of a case's raw export.
func runStatus(ctx context.Context, args []string, stdout io.Writer) error {
	var o commonOptions
	fs := newFlagSet("status")
	o.register(fs)
	r, today, dirs, err := o.openCases(fs, args)
	if err != nil {
		return err
	}
	var due []string
	for _, dir := range dirs {
		c := validate.Case(r, dir, validate.Options{Today: today, Context: ctx})
		if err := interrupted(ctx, "status visades inte för "+filepath.Base(dir)+" och ärendena efter det"); err != nil {
			return err
		}
		line := filepath.Base(dir)
		if c.Case != nil && c.Case.Type != "" {
			line += "  " + c.Case.Type
		}
		if rec := c.Record; rec != nil {
			if last := rec.Last(); last != nil {
				line += fmt.Sprintf("  senast: %s (%s, %s)", last.Step.Name, last.Date, last.Signer)
			} else {
				line += "  inga steg registrerade"
			}
			if last := rec.Last(); last != nil && !rec.Approved(last.Step.Name) {
				line += fmt.Sprintf("  nästa: godkännande av %s – en granskare, i en egen commit (fyra ögon)", last.Step.Name)
			} else if next := rec.Next(); next != nil {
				line += fmt.Sprintf("  nästa: %s – %s", next.Name, next.Title)
				if earliest, isDue := gallring.Due(rec, today); isDue {
					line += fmt.Sprintf(" (ska gallras: från %s)", earliest)
					due = append(due, filepath.Base(dir))
				} else if !earliest.IsZero() {
					line += fmt.Sprintf(" (tidigast %s)", earliest)
				}
			} else {
				line += "  alla steg klara"
			}
		}
		errs, warns := count(c.Findings)
		switch {
		case errs > 0:
			line += fmt.Sprintf("  [%d fel: kör processor validate %s]", errs, r.Rel(dir))
		case warns > 0:
			line += fmt.Sprintf("  [%d %s]", warns, plural(warns, "varning", "varningar"))
		}
		fmt.Fprintln(stdout, line)
	}
	if len(due) > 0 {
		fmt.Fprintf(stdout, "Ska gallras (arbetsytan raderas): %s. Kör processor gallra --av SIGNATUR --beslut \"gallringsbeslutet\" ÄRENDE.\n", strings.Join(due, ", "))
	}
	return nil
}
