package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/validate"
)

// commonOptions are the flags shared by commands that work on a repository.
type commonOptions struct {
	root  string
	today string
}

func (o *commonOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.root, "root", "", "ärendekatalogens rot")
	fs.StringVar(&o.today, "today", "", "dagens datum ÅÅÅÅ-MM-DD")
}

// open finds and opens the repository, and works out today's date.
func (o *commonOptions) open() (*repo.Repo, date.Date, error) {
	today := date.Today()
	if o.today != "" {
		d, err := date.Parse(o.today)
		if err != nil {
			return nil, today, usageError{fmt.Sprintf("--today %q: %v", o.today, err)}
		}
		today = d
	}
	start := o.root
	if start == "" {
		start = "."
	}
	root, err := repo.Find(start)
	if err != nil {
		return nil, today, err
	}
	r, err := repo.Open(root)
	return r, today, err
}

// openCases parses the flags, opens the repository and lists the cases the arguments name.
func (o *commonOptions) openCases(fs *flag.FlagSet, args []string) (*repo.Repo, date.Date, []string, error) {
	if err := parseFlags(fs, args); err != nil {
		return nil, date.Date{}, nil, err
	}
	r, today, err := o.open()
	if err != nil {
		return nil, today, nil, err
	}
	dirs, err := caseDirs(r, fs.Args())
	return r, today, dirs, err
}

func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	return nil
}

type validateOptions struct {
	commonOptions
	json bool
}

// runValidate checks the cases. ctx stops it (Ctrl-C): the reading of the raw exports stops
// and removes its temporary files, and no findings are printed (they would be incomplete).
func runValidate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o validateOptions
	fs := newFlagSet("validate")
	o.register(fs)
	fs.BoolVar(&o.json, "json", false, "skriv fynden som JSON")
	r, today, dirs, err := o.openCases(fs, args)
	if err != nil {
		return err
	}
	res := validate.Cases(r, dirs, validate.Options{Today: today, Context: ctx})
	if err := interrupted(ctx, "kontrollen gjordes inte färdigt, inga fynd skrivs; kör processor validate igen"); err != nil {
		return err
	}
	if o.json {
		if err := writeJSON(stdout, res.Findings, res.Cases, res.RawSkipped); err != nil {
			return err
		}
	} else if err := writeFindings(stdout, res.Findings); err != nil {
		return err
	}
	if !o.json {
		fmt.Fprintln(stderr, summary(res.Findings, res.Cases))
		if n := len(res.RawSkipped); n > 0 {
			fmt.Fprintf(stderr, "Jämförelsen med råexporten hoppades över för %d %s (råexporten finns inte här): %s.\n",
				n, plural(n, "ärende", "ärenden"), strings.Join(res.RawSkipped, ", "))
		}
	}
	if res.Findings.HasErrors() {
		return errFindings
	}
	return nil
}

// caseDirs turns command-line paths into case folders: a case folder, its request.md, a bare
// case number (2026-0042, in the cases folder), or the cases folder or root for all cases.
// No paths means all cases.
func caseDirs(r *repo.Repo, paths []string) ([]string, error) {
	all := func() ([]string, error) { return r.CaseDirs() }
	if len(paths) == 0 {
		return all()
	}
	var dirs []string
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		info, err := os.Stat(abs)
		if err != nil && casefile.IDPattern.MatchString(p) {
			// A bare case number (2026-0042) names the case in the repository's cases folder.
			abs = filepath.Join(r.Root, repo.CasesDir, p)
			info, err = os.Stat(abs)
			if err != nil {
				return nil, fmt.Errorf("ärendet %s finns inte (%s)", p, r.Rel(abs))
			}
		}
		if err != nil {
			return nil, fmt.Errorf("%s finns inte", p)
		}
		if !info.IsDir() {
			if filepath.Base(abs) != casefile.FileName {
				return nil, fmt.Errorf("%s är varken en ärendemapp eller en %s", p, casefile.FileName)
			}
			abs = filepath.Dir(abs)
		}
		if abs == r.Root || abs == filepath.Join(r.Root, repo.CasesDir) {
			return all()
		}
		if filepath.Dir(abs) != filepath.Join(r.Root, repo.CasesDir) {
			return nil, fmt.Errorf("%s ligger inte direkt i %s", p, filepath.Join(r.Root, repo.CasesDir))
		}
		if !slices.Contains(dirs, abs) {
			dirs = append(dirs, abs)
		}
	}
	return dirs, nil
}

type jsonReport struct {
	Cases    int               `json:"ärenden"`
	Errors   int               `json:"fel"`
	Warnings int               `json:"varningar"`
	Findings []finding.Finding `json:"fynd"`
	// RawSkipped: cases whose workbook was not compared with a raw export (it is not here).
	RawSkipped []string `json:"utan_råexport,omitempty"`
}

func writeJSON(w io.Writer, fs finding.List, cases int, rawSkipped []string) error {
	errs, warns := count(fs)
	rep := jsonReport{Cases: cases, Errors: errs, Warnings: warns, Findings: fs, RawSkipped: rawSkipped}
	if rep.Findings == nil {
		rep.Findings = []finding.Finding{}
	}
	return encodeJSON(w, rep)
}

// encodeJSON writes v as indented JSON, with å, ä, ö and <, > as they are: what every
// command's --json writes.
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func writeFindings(w io.Writer, fs finding.List) error {
	for _, f := range fs {
		if _, err := fmt.Fprintln(w, f.String()); err != nil {
			return err
		}
	}
	return nil
}

func count(fs finding.List) (errs, warns int) {
	for _, f := range fs {
		if f.Severity == finding.Warning {
			warns++
		} else {
			errs++
		}
	}
	return errs, warns
}

func summary(fs finding.List, cases int) string {
	errs, warns := count(fs)
	s := fmt.Sprintf("%d %s: ", cases, plural(cases, "ärende kontrollerat", "ärenden kontrollerade"))
	switch {
	case errs == 0 && warns == 0:
		return s + "inga fel."
	case errs == 0:
		return s + fmt.Sprintf("inga fel, %d %s.", warns, plural(warns, "varning", "varningar"))
	case warns == 0:
		return s + fmt.Sprintf("%d fel.", errs)
	default:
		return s + fmt.Sprintf("%d fel, %d %s.", errs, warns, plural(warns, "varning", "varningar"))
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
