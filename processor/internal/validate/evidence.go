package validate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/export"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/mask"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/sensitive"
	"utlamnande/processor/internal/workbook"
	"utlamnande/processor/internal/workflow"
)

// RuleSensitive is the rule of hints about personal numbers and phone numbers left unmasked.
const RuleSensitive = "känslig-uppgift"

// Evidence is what a case's files say: the review workbook, the raw export if it is here,
// and the masking proof that compares them.
type Evidence struct {
	Facts    workflow.Facts
	Findings finding.List
	Review   *workbook.Review // nil when there is no readable workbook
	Raw      *export.Log      // nil when the raw export is not here (or cannot be read)
	Proof    *mask.Result
	// RawSkipped: there is a workbook but no raw export to compare it with (as in CI).
	RawSkipped bool
}

// Gather reads the review workbook of case c (type t) and, where present, its raw export,
// and runs the masking proof. rec is the checked front matter (for the employee's address,
// the raw file's name and the acknowledged hints).
func Gather(r *repo.Repo, c *casefile.Case, t *workflow.Type, rec *workflow.Record) *Evidence {
	spec := t.Workbook
	ev := &Evidence{}
	path := filepath.Join(c.Dir, spec.File)
	name := r.Rel(path)
	if _, err := os.Stat(path); err != nil {
		return ev
	}
	ev.Facts.Workbook = true

	// The raw export is read beside the workbook (they are independent; a second core helps).
	type rawResult struct {
		log  *export.Log
		fs   finding.List
		err  error
		name string
	}
	rawDone := make(chan rawResult, 1)
	want, employee := "", ""
	if v := rec.Value(spec.RawFile); v != nil {
		want = v.Text
	}
	if v := rec.Value(spec.Employee); v != nil {
		employee = v.Text
	}
	if rawPath, err := export.Find(r.RawDir(c.Dir, c.ID), want); err == nil {
		go func() {
			log, fs, err := export.Read(rawPath, r.Rel(rawPath), spec, employee)
			rawDone <- rawResult{log, fs, err, r.Rel(rawPath)}
		}()
	} else {
		rawDone <- rawResult{}
	}
	rev, fs, err := workbook.ReadReview(path, name, spec)
	raw := <-rawDone
	if err != nil {
		ev.error(err, name)
		return ev
	}
	ev.Review = rev
	ev.Facts.Read = true
	ev.Findings = append(ev.Findings, fs...)
	switch {
	case raw.err != nil:
		ev.error(raw.err, raw.name)
	case raw.fs.HasErrors():
		ev.Findings = append(ev.Findings, raw.fs...)
	case raw.log != nil:
		ev.Raw = raw.log
		ev.Facts.RawSHA256 = raw.log.SHA256
	}
	ev.RawSkipped = ev.Raw == nil
	proof := mask.Prove(rev, spec, ev.Raw, r.Catalog)
	ev.Proof = &proof
	ev.Findings = append(ev.Findings, proof.Findings...)
	ev.Facts.Rows, ev.Facts.Private, ev.Facts.Provisions = proof.Rows, proof.Private, proof.Provisions
	ev.Findings = append(ev.Findings, hints(rev, spec, rec, proof.Segments)...)
	for _, f := range ev.Findings {
		if f.Severity == finding.Error {
			ev.Facts.ProofErrors++
		}
	}
	return ev
}

func (ev *Evidence) error(err error, name string) {
	var we *workbook.Error
	if errors.As(err, &we) {
		ev.Findings = append(ev.Findings, finding.Finding{File: we.File, Line: 1, Rule: workbook.RuleStructure, Severity: finding.Error, Message: we.Msg, Hint: we.Hint})
	} else {
		ev.Findings = append(ev.Findings, finding.Finding{File: name, Line: 1, Rule: workbook.RuleStructure, Severity: finding.Error, Message: err.Error()})
	}
	ev.Facts.ProofErrors++
}

// hints looks for personal and phone numbers in the text left unmasked, except in cells the
// case acknowledges (kvitteringar).
func hints(rev *workbook.Review, spec *workflow.WorkbookSpec, rec *workflow.Record, split [][][]mask.Segment) finding.List {
	acked := map[string]bool{}
	for _, p := range rec.Order {
		for _, a := range rec.Values[p].Acks {
			acked[strings.ReplaceAll(a.Cell, "$", "")] = true
		}
	}
	severity := finding.Warning
	if spec.Block {
		severity = finding.Error
	}
	var fs finding.List
	for ri, row := range rev.Rows {
		for i, c := range spec.Columns {
			if c.Kind == workflow.ColDate {
				continue
			}
			ref := rev.CellRef(i+1, row.Line)
			if acked[ref] {
				continue
			}
			var segs []mask.Segment
			if ri < len(split) && split[ri] != nil {
				segs = split[ri][i+1]
			} else {
				segs, _ = mask.Split(row.Cells[i+1])
			}
			for _, text := range mask.Literal(segs) {
				for _, m := range sensitive.Find(text) {
					fs = append(fs, finding.Finding{File: rev.File, Cell: ref, Rule: RuleSensitive, Severity: severity,
						Message: fmt.Sprintf("%s ser ut att innehålla ett %s (%s) som inte är maskat", c.Name, m.Kind, m.Text),
						Hint:    fmt.Sprintf("maska det med bestämmelse om det är sekretessreglerat, eller kvittera: kvitteringar: [{cell: %s, skäl: ...}]", ref)})
				}
			}
		}
	}
	return fs
}
