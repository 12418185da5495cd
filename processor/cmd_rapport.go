package main

import (
	"context"
	"io"

	"utlamnande/processor/internal/date"
	stats "utlamnande/processor/internal/report"
)

// runRapport prints the statistics of the requests, computed from the case files: per month
// of receipt and case type. --från and --till (ÅÅÅÅ-MM-DD) bound the date received; --json
// writes it for other tools.
func runRapport(ctx context.Context, args []string, stdout io.Writer) error {
	var o commonOptions
	var asJSON bool
	var from, to string
	fs := newFlagSet("rapport")
	o.register(fs)
	fs.BoolVar(&asJSON, "json", false, "skriv statistiken som JSON")
	fs.StringVar(&from, "från", "", "med begäranden mottagna från och med `ÅÅÅÅ-MM-DD`")
	fs.StringVar(&to, "till", "", "med begäranden mottagna till och med `ÅÅÅÅ-MM-DD`")
	r, today, dirs, err := o.openCases(fs, args)
	if err != nil {
		return err
	}
	opts := stats.Options{Today: today}
	for _, b := range []struct {
		s, flag string
		d       *date.Date
	}{{from, "--från", &opts.From}, {to, "--till", &opts.To}} {
		if b.s == "" {
			continue
		}
		d, err := date.Parse(b.s)
		if err != nil {
			return usageError{b.flag + " ska vara ett datum ÅÅÅÅ-MM-DD: " + err.Error()}
		}
		*b.d = d
	}
	rep, err := stats.Build(ctx, r, dirs, opts)
	if err := interrupted(ctx, "statistiken räknades inte färdigt"); err != nil {
		return err
	}
	if err != nil {
		return err
	}
	if asJSON {
		return encodeJSON(stdout, rep)
	}
	return rep.Markdown(stdout)
}
