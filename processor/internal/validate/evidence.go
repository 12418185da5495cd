package validate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	// WorkbookBytes are the workbook's bytes as read and hashed (what an approval binds and
	// a build releases).
	WorkbookBytes []byte
	// Interrupted: the context ended (Ctrl-C) before the case's files were read and
	// compared. The evidence is incomplete: Findings has an error saying so, and nothing
	// may be concluded from the rest.
	Interrupted bool
}

// Gather reads the review workbook of case c (type t) and, where present, its raw export,
// and runs the masking proof. rec is the checked front matter (for the employee's address,
// the raw file's name and the acknowledged hints).
//
// Where the workbook is depends on the case's step: while it is marked and masked it is in
// the case's working area (never in git); from the step that records the PDF it is the
// approved copy released with the PDF in utlamnande/ (in git).
func Gather(r *repo.Repo, c *casefile.Case, t *workflow.Type, rec *workflow.Record) *Evidence {
	return GatherContext(context.Background(), r, c, t, rec)
}

// GatherContext is Gather that stops when ctx ends (Ctrl-C): the raw export's read stops
// and removes its temporary files, and the evidence is Interrupted. An xlsx raw export is
// unpacked (excelize's temporary files: the raw export's text) in the working area's
// export.TmpFolder, never in the system's temporary folder. nil ctx: never.
func GatherContext(ctx context.Context, r *repo.Repo, c *casefile.Case, t *workflow.Type, rec *workflow.Record) *Evidence {
	if ctx == nil {
		ctx = context.Background()
	}
	spec := t.Workbook
	ev := &Evidence{}
	path, released := WorkbookPath(r, c.Dir, c.ID, t, rec)
	name := r.Rel(path)
	ev.Facts.Released, ev.Facts.WorkbookPath = released, name
	work := r.WorkArea(c.Dir, c.ID)
	if _, err := os.Stat(work); work == "" || err != nil {
		ev.Facts.WorkAreaAbsent = true
	}
	ev.Findings = append(ev.Findings, legacyRaw(r, c)...)
	if path == "" {
		return ev
	}
	if ctx.Err() != nil {
		ev.interrupted(name)
		return ev
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return ev
	}
	ev.Facts.Workbook = true
	ev.Facts.WorkbookSHA256 = sha256Hex(data)
	ev.WorkbookBytes = data

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
	// Without a working area there is no raw export (and nowhere to unpack one): a name
	// from the front matter would otherwise be looked for in the current folder.
	rawName := ""
	if rawPath, err := export.Find(r.RawDir(c.Dir, c.ID), want); work != "" && err == nil {
		rawName = r.Rel(rawPath)
		go func() {
			log, fs, err := export.ReadWith(rawPath, rawName, spec, employee, export.ReadOptions{
				Context: ctx, TmpDir: filepath.Join(work, export.TmpFolder)})
			rawDone <- rawResult{log, fs, err, rawName}
		}()
	} else {
		rawDone <- rawResult{}
	}
	rev, fs, err := workbook.ReadReview(path, name, spec)
	raw := <-rawDone
	if ctx.Err() != nil {
		// The raw export's read stopped half-way (its error is the context's): no finding
		// about it, or about a comparison with it, could be trusted.
		if rawName == "" {
			rawName = name
		}
		ev.interrupted(rawName)
		return ev
	}
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
	leaks := mask.Leaks(rev, spec, &proof)
	if len(leaks) == 0 {
		leaks = packageLeaks(name, data, &proof)
	}
	ev.Findings = append(ev.Findings, leaks...)
	ev.Facts.Rows, ev.Facts.Private, ev.Facts.Provisions = proof.Rows, proof.Private, proof.Provisions
	ev.Findings = append(ev.Findings, hints(rev, spec, rec, proof.Segments)...)
	for _, f := range ev.Findings {
		if f.Severity == finding.Error {
			ev.Facts.ProofErrors++
		}
	}
	return ev
}

// packageLeaks reports the parts of the workbook's file that hold a masked raw span although
// no visible cell does: text that an editor kept (unused shared strings, a comment, the
// properties). The approved file is the one released into git, so it must not be anywhere.
func packageLeaks(name string, data []byte, proof *mask.Result) finding.List {
	idx := mask.NewSpanIndex(proof.SpanCells)
	if idx == nil {
		return nil
	}
	var fs finding.List
	_ = workbook.PartTexts(data, func(part, text string) bool {
		if hits := idx.Find(text); len(hits) > 0 {
			fs = append(fs, finding.Finding{File: name, Rule: mask.RuleLeak, Severity: finding.Error,
				Message: fmt.Sprintf("filen innehåller text som är maskad i %s, utanför de synliga cellerna (i %s)", hits[0].Cell, part),
				Hint:    "öppna filen i Excel och spara den (Excel tar bort text som ingen cell använder) och kontrollera igen; filen godkänns och lämnas ut precis som den är"})
		}
		return true
	})
	return fs
}

// WorkbookPath returns where the review workbook of the case in dir is: the working area's
// while it is marked and masked; once the type's PDF step is recorded (released is then
// true) the released copy in utlamnande/, or, until the build has put it there, the
// approved one still in the working area.
func WorkbookPath(r *repo.Repo, dir, id string, t *workflow.Type, rec *workflow.Record) (path string, released bool) {
	work := r.WorkArea(dir, id)
	if work != "" {
		work = filepath.Join(work, t.Workbook.File)
	}
	if t.Disclosure != nil && rec != nil {
		if _, ok := rec.Recorded(t.Disclosure.Created); ok {
			out := filepath.Join(dir, ReleaseFolder, t.Workbook.File)
			if _, err := os.Stat(out); err != nil && work != "" {
				if _, err := os.Stat(work); err == nil {
					return work, true
				}
			}
			return out, true
		}
	}
	return work, false
}

// ReleaseFolder is the case's folder of released files, in git: the disclosure PDF, its
// manifest and the approved workbook.
const ReleaseFolder = "utlamnande"

// RuleLegacyRaw is the rule of a raw-export folder left where earlier versions kept it.
const RuleLegacyRaw = "arbetsyta-flytta"

// legacyRaw reports a case folder's raw/ of earlier versions, which the processor no longer
// reads: its content belongs in the working area.
func legacyRaw(r *repo.Repo, c *casefile.Case) finding.List {
	old := r.LegacyRawDir(c.Dir)
	if old == "" {
		return nil
	}
	entries, err := os.ReadDir(old)
	if err != nil || len(entries) == 0 {
		return nil
	}
	var fs finding.List
	fs.Warn(r.Rel(old), 0, 0, RuleLegacyRaw, "mappen raw/ används inte längre: råexporten ligger i ärendets arbetsyta",
		"flytta filerna till "+r.Rel(r.RawDir(c.Dir, c.ID))+" (och en granskningsbok i ärendemappen till "+r.Rel(r.WorkArea(c.Dir, c.ID))+")")
	return fs
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// interrupted records that ctx ended before the case's files (name: the one being read)
// were checked: an error, so that nothing is approved or built on what was not checked.
func (ev *Evidence) interrupted(name string) {
	ev.Interrupted = true
	ev.Findings = append(ev.Findings, finding.Finding{File: name, Line: 1, Rule: workbook.RuleStructure, Severity: finding.Error,
		Message: "kontrollen avbröts innan filen var läst och jämförd; inget är kontrollerat",
		Hint:    "kör kontrollen igen"})
	ev.Facts.ProofErrors++
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
