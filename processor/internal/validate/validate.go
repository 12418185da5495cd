// Package validate applies every rule to the cases of a repository and returns the findings,
// sorted. It ties the parts together: the case file (casefile), its type (workflow) and the
// repository-level rules (case id equals folder name and is unique, the type exists).
package validate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/mailcase"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/textdist"
	"utlamnande/processor/internal/workflow"
)

// Rule names of the repository-level checks.
const (
	RuleUnique  = "ärende-unik"
	RuleCaseDir = "ärendemapp"
)

// Result is the outcome of validating cases.
type Result struct {
	Findings finding.List // sorted
	Cases    int          // number of case folders checked
	// RawSkipped lists the cases whose workbook could not be compared with the raw export
	// because it is not here (as in CI, or after purging).
	RawSkipped []string
}

// Checked is one validated case.
type Checked struct {
	Dir      string
	Case     *casefile.Case
	Record   *workflow.Record // nil when the case could not be checked against a type
	Evidence *Evidence        // nil when the type has no workbook
	// Mail is the e-mails' evidence, for a type with e-post (nil otherwise).
	Mail     *mailcase.Evidence
	Findings finding.List
}

// Again returns the check of the case in dir: pre when it is that case's (just made, e.g.
// by the watcher or the build command), otherwise a new one.
func Again(r *repo.Repo, dir string, pre *Checked, opts Options) Checked {
	if pre != nil && pre.Dir == dir {
		return *pre
	}
	return Case(r, dir, opts)
}

// Options control a validation.
type Options struct {
	Today date.Date // "today" for the rules about dates
	// FrontMatterOnly skips the case's files (review workbook, raw export): the front matter
	// rules alone, as the corpus tests of those rules use.
	FrontMatterOnly bool
	// Context stops the reading of the cases' files (Ctrl-C): see GatherContext. nil: never.
	Context context.Context
}

// Case validates the case in dir (an absolute path in r's cases folder).
func Case(r *repo.Repo, dir string, opts Options) Checked {
	file := r.Rel(filepath.Join(dir, casefile.FileName))
	out := Checked{Dir: dir}
	c, fs, err := casefile.Load(dir, file)
	if err != nil {
		out.Findings.Add(r.Rel(dir), 0, 0, RuleCaseDir, fmt.Sprintf("mappen %s saknar %s eller den kan inte läsas", r.Rel(dir), casefile.FileName),
			"varje mapp i cases/ är ett ärende med en request.md; skapa ett med processor new TYP")
		return out
	}
	out.Case = c
	out.Findings = fs
	folder := filepath.Base(dir)
	if c.IDN != nil && c.ID != "" && c.ID != folder && casefile.IDPattern.MatchString(c.ID) {
		out.Findings.Add(file, c.IDN.Line, c.IDN.Column, casefile.RuleCaseID,
			fmt.Sprintf("ärendenumret %s stämmer inte med mappens namn %s", c.ID, folder),
			"mappen ska heta som ärendet; byt namn på mappen eller rätta ärende:")
	}
	if c.Root == nil || c.Type == "" {
		return out
	}
	t, ok := r.Types[c.Type]
	if !ok {
		hint := "ärendetyper: " + strings.Join(r.TypeNames(), ", ")
		if near, ok := textdist.Nearest(c.Type, r.TypeNames()); ok {
			hint = fmt.Sprintf("menade du %q? %s", near, hint)
		}
		out.Findings.Add(file, c.TypeN.Line, c.TypeN.Column, casefile.RuleCaseType, fmt.Sprintf("ärendetypen %q finns inte i %s/", c.Type, repo.TemplatesDir), hint)
		return out
	}
	rec, fs := workflow.Check(c, t, workflow.Env{Settings: r.Settings, Catalog: r.Catalog, Today: opts.Today})
	out.Record = rec
	out.Findings = append(out.Findings, fs...)
	if t.Workbook != nil && !opts.FrontMatterOnly {
		out.Evidence = GatherContext(opts.Context, r, c, t, rec)
		out.Findings = append(out.Findings, out.Evidence.Findings...)
		out.Findings = append(out.Findings, workflow.CheckFacts(c, rec, &out.Evidence.Facts)...)
	}
	if t.Mail != nil && !opts.FrontMatterOnly {
		out.Mail = mailcase.Gather(opts.Context, r, c, t, rec)
		out.Findings = append(out.Findings, out.Mail.Findings...)
		out.Findings = append(out.Findings, workflow.CheckFacts(c, rec, &out.Mail.Facts)...)
	}
	return out
}

// Cases validates the case folders dirs (absolute paths) in parallel, adds the repository's
// own findings (settings, catalog, types) and the cross-case rules, and sorts the result.
func Cases(r *repo.Repo, dirs []string, opts Options) Result {
	// Only what the cross-case rules need is kept of each case, so memory stays flat.
	type kept struct {
		dir        string
		file       string
		id         string
		idLine     int
		idCol      int
		findings   finding.List
		rawSkipped bool
	}
	checked := make([]kept, len(dirs))
	var wg sync.WaitGroup
	next := make(chan int, 64)
	// Twice the cores: reading files overlaps with parsing.
	for range 2 * runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				c := Case(r, dirs[i], opts)
				k := kept{dir: c.Dir, findings: c.Findings, rawSkipped: c.Evidence != nil && c.Evidence.RawSkipped}
				if c.Case != nil && c.Case.IDN != nil {
					k.file, k.id, k.idLine, k.idCol = c.Case.File, c.Case.ID, c.Case.IDN.Line, c.Case.IDN.Column
				}
				checked[i] = k
			}
		})
	}
	for i := range dirs {
		next <- i
	}
	close(next)
	wg.Wait()

	res := Result{Cases: len(dirs)}
	res.Findings = append(res.Findings, r.Findings...)
	var ids []caseID
	for _, c := range checked {
		res.Findings = append(res.Findings, c.findings...)
		if c.rawSkipped {
			res.RawSkipped = append(res.RawSkipped, filepath.Base(c.dir))
		}
		if c.id != "" {
			ids = append(ids, caseID{c.dir, c.file, c.id, c.idLine, c.idCol})
		}
	}
	res.Findings = append(res.Findings, unique(r, ids)...)
	res.Findings = res.Findings.Sorted()
	return res
}

// caseID is where a case states its id.
type caseID struct {
	dir, file, id string
	line, col     int
}

// unique reports case ids claimed by more than one case folder, and ids that name another
// existing folder.
func unique(r *repo.Repo, ids []caseID) finding.List {
	var fs finding.List
	byID := map[string][]caseID{}
	for _, c := range ids {
		byID[c.id] = append(byID[c.id], c)
	}
	for id, cs := range byID {
		for _, c := range cs {
			clash := ""
			for _, o := range cs {
				if o.dir != c.dir {
					clash = r.Rel(o.dir)
				}
			}
			if clash == "" && id != filepath.Base(c.dir) {
				// Not among the checked cases, but maybe another folder already has this id.
				if other := filepath.Join(r.Root, repo.CasesDir, id); exists(other) {
					clash = r.Rel(other)
				}
			}
			if clash != "" {
				fs.Add(c.file, c.line, c.col, RuleUnique, fmt.Sprintf("ärendenumret %s används också av %s", id, clash),
					"varje ärende har ett eget nummer; skapa nya ärenden med processor new TYP")
			}
		}
	}
	return fs
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
