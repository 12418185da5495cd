package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/watch"
)

// runWatch keeps the repository's cases validated and their PDFs current until ctx ends
// (Ctrl-C, SIGTERM): the case being looked at then stops where that leaves nothing behind
// (watch.Watcher.Reconcile) and the watcher ends.
func runWatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o commonOptions
	fs := newFlagSet("watch")
	o.register(fs)
	debounce := fs.Duration("debounce", 200*time.Millisecond, "väntetid efter den sista ändringen innan ärendet kontrolleras")
	poll := fs.Duration("poll", 0, "titta efter ändringar med detta intervall i stället för att få händelser (nätverksenheter), t.ex. 2s")
	signer := fs.String("av", "", "signatur vid import av råexporter (standard: den vars e-post git använder)")
	noStatus := fs.Bool("utan-statussida", false, "skriv ingen statussida ("+watch.StatusFile+")")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		o.root = fs.Arg(0)
	}
	r, today, err := o.open()
	if err != nil {
		return err
	}
	if *signer == "" {
		*signer = signerFromGit(r)
	}
	todayFunc := date.Today // each day as it comes: a watcher runs for days
	if o.today != "" {      // a fixed "today" (tests, demonstrations)
		todayFunc = func() date.Date { return today }
	}
	var mu sync.Mutex
	last := map[string]string{}
	opts := watch.Options{Debounce: *debounce, Signer: *signer, Version: version, Today: todayFunc,
		Report: func(out watch.Outcome) {
			line := outcomeLine(r, out)
			mu.Lock()
			defer mu.Unlock()
			if line == "" || (last[out.Case] == line && out.Built == nil && out.Imported == nil) {
				return
			}
			last[out.Case] = line
			fmt.Fprintf(stdout, "%s %s\n", time.Now().Format("15:04:05"), line)
		}}
	if !*noStatus {
		opts.Status = func(cases []watch.CaseState) {
			if err := watch.WriteStatus(r.Root, cases, time.Now()); err != nil {
				fmt.Fprintf(stderr, "statussidan kan inte skrivas: %v\n", err)
			}
		}
	}
	w, err := watch.New(r.Root, opts)
	if err != nil {
		return err
	}
	var src watch.Source
	roots := []string{filepath.Join(r.Root, repo.CasesDir), filepath.Join(r.Root, repo.TemplatesDir)}
	if *poll > 0 {
		src = watch.Poll(r.Root, *poll, roots...)
	} else if src, err = watch.Notify(r.Root, roots...); err != nil {
		return fmt.Errorf("kan inte bevaka %s: %w (prova --poll 2s)", r.Root, err)
	}
	defer src.Close()
	how := "händelser från filsystemet"
	if *poll > 0 {
		how = fmt.Sprintf("tittar var %v", *poll)
	}
	fmt.Fprintf(stderr, "Bevakar %s (%s). Statussida: %s. Avsluta med Ctrl-C.\n", r.Root, how, filepath.Join(r.Root, watch.StatusFile))
	if *signer == "" {
		fmt.Fprintln(stderr, "Råexporter importeras inte automatiskt: ange --av SIGNATUR (eller git config user.email med en adress i installningar.yaml).")
	}
	err = w.Run(ctx, src)
	fmt.Fprintln(stderr, "Bevakningen avslutad.")
	return err
}

// outcomeLine is the one line a registrator sees for a case change.
func outcomeLine(r *repo.Repo, out watch.Outcome) string {
	if out.Quiet {
		return ""
	}
	if out.Waiting {
		return out.Case + ": väntar på att granskningsboken ska bli färdigsparad"
	}
	if out.Case == "" {
		return "inställningarna eller mallarna kan inte läsas: " + out.Problem
	}
	var parts []string
	if out.Gone {
		return out.Case + ": ärendemappen är borta"
	}
	if out.Imported != nil {
		parts = append(parts, fmt.Sprintf("råexporten importerad (%d e-mail) till %s", out.Imported.Rows, out.Imported.Workbook))
	}
	if out.Interrupted {
		return out.Case + ": " + strings.Join(append(parts, "kontrollen avbröts (den görs när bevakningen startas igen)"), "; ")
	}
	errs, warns := count(out.Findings)
	switch {
	case errs > 0:
		parts = append(parts, fmt.Sprintf("%d fel: %s", errs, positions(out.Findings, finding.Error)))
	case warns > 0:
		parts = append(parts, fmt.Sprintf("inga fel, %d %s: %s", warns, plural(warns, "varning", "varningar"), positions(out.Findings, finding.Warning)))
	default:
		parts = append(parts, "inga fel")
	}
	if out.Built != nil {
		parts = append(parts, fmt.Sprintf("pdf:en byggd på %d ms (%d sidor)", out.Built.Took.Milliseconds(), out.Built.Pages))
	}
	if out.Problem != "" {
		parts = append(parts, out.Problem)
	}
	return out.Case + ": " + strings.Join(parts, "; ")
}

// positions lists where the findings of a severity are, with their rules, briefly.
func positions(fs finding.List, sev finding.Severity) string {
	var ps []string
	for _, f := range fs {
		if f.Severity == sev {
			ps = append(ps, f.Pos()+" "+f.Rule)
		}
	}
	if len(ps) > 3 {
		ps = append(ps[:3], fmt.Sprintf("och %d till (processor validate)", len(ps)-3))
	}
	return strings.Join(ps, ", ")
}
