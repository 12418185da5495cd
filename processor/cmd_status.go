package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"utlamnande/processor/internal/gallring"
	"utlamnande/processor/internal/validate"
)

// statusLine is one case in processor status, and its JSON form (status --json).
type statusLine struct {
	Case     string       `json:"ärende"`
	Type     string       `json:"typ,omitempty"`
	Last     *statusStep  `json:"senast,omitempty"`
	Next     string       `json:"nästa,omitempty"`
	NextText string       `json:"nästa_text,omitempty"`
	Purge    string       `json:"gallras_tidigast,omitempty"`
	Due      bool         `json:"ska_gallras,omitempty"`
	Waits    []statusWait `json:"handläggningstid,omitempty"`
	Errors   int          `json:"fel"`
	Warnings int          `json:"varningar"`
	text     string
}

type statusStep struct {
	Step   string `json:"steg"`
	Date   string `json:"datum"`
	Signer string `json:"av"`
}

// statusWait is one handling time (handläggningstid) of the case, in Swedish working days.
type statusWait struct {
	Name    string `json:"namn"`
	From    string `json:"från"`
	To      string `json:"till"`
	Open    bool   `json:"pågår"`
	Days    int    `json:"arbetsdagar"`
	Target  int    `json:"mål"`
	Overdue bool   `json:"försenad"`
}

// overdue returns the longest open wait past its target, in working days (0: none).
func (l statusLine) overdue() int {
	n := 0
	for _, w := range l.Waits {
		if w.Open && w.Overdue && w.Days > n {
			n = w.Days
		}
	}
	return n
}

// runStatus prints one line per case: its type, the last recorded step and the next one
// (for a closed case, from which day it is purged), then the cases due for gallring. Cases
// whose handling time is past its target come first, longest wait first, with the working
// days waited. --json writes the same as JSON for other tools. ctx stops it (Ctrl-C) before
// the next case, and the reading of a case's raw export.
func runStatus(ctx context.Context, args []string, stdout io.Writer) error {
	var o commonOptions
	var asJSON bool
	fs := newFlagSet("status")
	o.register(fs)
	fs.BoolVar(&asJSON, "json", false, "skriv ärendenas status som JSON")
	r, today, dirs, err := o.openCases(fs, args)
	if err != nil {
		return err
	}
	var lines []statusLine
	for _, dir := range dirs {
		c := validate.Case(r, dir, validate.Options{Today: today, Context: ctx})
		if err := interrupted(ctx, "status visades inte för "+filepath.Base(dir)+" och ärendena efter det"); err != nil {
			return err
		}
		l := statusLine{Case: filepath.Base(dir)}
		line := l.Case
		if c.Case != nil && c.Case.Type != "" {
			l.Type = c.Case.Type
			line += "  " + c.Case.Type
		}
		if rec := c.Record; rec != nil {
			for _, w := range rec.Waits(today) {
				l.Waits = append(l.Waits, statusWait{Name: w.Measure.Name, From: w.From.String(), To: w.To.String(), Open: w.Open,
					Days: w.Days, Target: w.Measure.Target, Overdue: w.Overdue()})
			}
			if n := l.overdue(); n > 0 {
				line += fmt.Sprintf("  FÖRSENAT: %d %s väntat", n, plural(n, "arbetsdag", "arbetsdagar"))
			}
			if last := rec.Last(); last != nil {
				l.Last = &statusStep{last.Step.Name, last.Date.String(), last.Signer}
				line += fmt.Sprintf("  senast: %s (%s, %s)", last.Step.Name, last.Date, last.Signer)
			} else {
				line += "  inga steg registrerade"
			}
			if last := rec.Last(); last != nil && !rec.Approved(last.Step.Name) {
				l.Next, l.NextText = "godkännande", "godkännande av "+last.Step.Name
				line += fmt.Sprintf("  nästa: godkännande av %s – en granskare, i en egen commit (fyra ögon)", last.Step.Name)
			} else if next := rec.Next(); next != nil {
				l.Next, l.NextText = next.Name, next.Title
				line += fmt.Sprintf("  nästa: %s – %s", next.Name, next.Title)
				if earliest, isDue := gallring.Due(rec, today); isDue {
					line += fmt.Sprintf(" (ska gallras: från %s)", earliest)
					l.Purge, l.Due = earliest.String(), true
				} else if !earliest.IsZero() {
					line += fmt.Sprintf(" (tidigast %s)", earliest)
					l.Purge = earliest.String()
				}
			} else {
				line += "  alla steg klara"
			}
		}
		l.Errors, l.Warnings = count(c.Findings)
		switch {
		case l.Errors > 0:
			line += fmt.Sprintf("  [%d fel: kör processor validate %s]", l.Errors, r.Rel(dir))
		case l.Warnings > 0:
			line += fmt.Sprintf("  [%d %s]", l.Warnings, plural(l.Warnings, "varning", "varningar"))
		}
		l.text = line
		lines = append(lines, l)
	}
	// Overdue first, the longest wait first; the rest in case order.
	slices.SortStableFunc(lines, func(a, b statusLine) int { return b.overdue() - a.overdue() })
	if asJSON {
		if lines == nil {
			lines = []statusLine{}
		}
		return encodeJSON(stdout, lines)
	}
	var due []string
	for _, l := range lines {
		fmt.Fprintln(stdout, l.text)
		if l.Due {
			due = append(due, l.Case)
		}
	}
	if len(due) > 0 {
		slices.Sort(due)
		fmt.Fprintf(stdout, "Ska gallras (arbetsytan raderas): %s. Kör processor gallra --av SIGNATUR --beslut \"gallringsbeslutet\" ÄRENDE.\n", strings.Join(due, ", "))
	}
	return nil
}
