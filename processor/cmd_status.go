package main

import (
	"fmt"
	"io"
	"path/filepath"

	"utlamnande/processor/internal/validate"
)

// runStatus prints one line per case: its type, the last recorded step and the next one.
func runStatus(args []string, stdout io.Writer) error {
	var o commonOptions
	fs := newFlagSet("status")
	o.register(fs)
	r, today, dirs, err := o.openCases(fs, args)
	if err != nil {
		return err
	}
	for _, dir := range dirs {
		c := validate.Case(r, dir, validate.Options{Today: today})
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
	return nil
}
