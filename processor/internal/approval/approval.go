// Package approval writes a reviewer's approval of a case's decision, bound to the exact
// content approved: the SHA-256 of the masked review workbook and of the raw export the
// masking was proven against, both computed here from the case's working area, never typed.
// A later change to either makes the approval stale (workflow's godkännande-inaktuellt).
package approval

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"utlamnande/processor/internal/atomicfile"
	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/settings"
	"utlamnande/processor/internal/validate"
	"utlamnande/processor/internal/workflow"
)

// Options of an approval.
type Options struct {
	Signer string    // the reviewer's signature
	Today  date.Date // the approval's date
}

// Result says what was approved.
type Result struct {
	Step        string
	WorkbookSHA string
	RawSHA      string
	Mail        bool // an e-post case: WorkbookSHA is the review texts' and decisions' (e-post_sha256)
	Replaced    bool // an earlier approval (of another version) was replaced, with a correction
	Unchanged   bool // the same version was already approved by the same reviewer
}

// ErrFindings means the case has errors that an approval cannot cure; they are returned.
var ErrFindings = errors.New("ärendet har fel som måste rättas före godkännandet")

// Approve writes the approval of the case in dir's decision step.
func Approve(r *repo.Repo, dir string, opts Options) (*Result, finding.List, error) {
	checked := validate.Case(r, dir, validate.Options{Today: opts.Today})
	c, rec, ev := checked.Case, checked.Record, checked.Evidence
	if c == nil || rec == nil {
		return nil, checked.Findings, fmt.Errorf("%s kan inte läsas som ett ärende", r.Rel(dir))
	}
	t := rec.Type
	var step *workflow.RecordedStep
	for _, rs := range rec.Steps {
		if rs.Step.Approval {
			step = rs
		}
	}
	if step == nil {
		return nil, nil, fmt.Errorf("inget steg i ärendet väntar på godkännande (i ärendetypen %s kräver bara steg med kräver_godkännande det)", t.Name)
	}
	if t.Disclosure != nil {
		if _, ok := rec.Recorded(t.Disclosure.Created); ok {
			return nil, nil, fmt.Errorf("steget %s är registrerat: det godkända är redan utlämnat och godkännandet ändras inte", t.Disclosure.Created)
		}
	}
	p, ok := r.Settings.Person(opts.Signer)
	switch {
	case opts.Signer == "":
		return nil, nil, fmt.Errorf("ange vem som godkänner: --av SIGNATUR")
	case !ok:
		return nil, nil, fmt.Errorf("signaturen %q finns inte i %s", opts.Signer, settings.FileName)
	case !p.Has(settings.RoleReviewer):
		return nil, nil, fmt.Errorf("%s (%s) har inte rollen granskare i %s och kan inte godkänna", p.Name, p.Signature, settings.FileName)
	case p.Signature == step.Signer:
		return nil, nil, fmt.Errorf("fyra ögon: %s har själv gjort steget %s; en annan granskare godkänner", p.Signature, step.Step.Name)
	}
	var blocking finding.List
	for _, f := range checked.Findings {
		if f.Severity == finding.Error && !workflow.CuredByApproval(f.Rule) {
			blocking = append(blocking, f)
		}
	}
	if len(blocking) > 0 {
		return nil, blocking, ErrFindings
	}
	res := &Result{Step: step.Step.Name}
	if t.Workbook != nil && step.Step.Proof {
		switch {
		case ev == nil || ev.Review == nil:
			return nil, nil, fmt.Errorf("granskningsboken finns inte i arbetsytan (%s); godkännandet binder den version du har granskat", r.Rel(r.WorkArea(dir, c.ID)))
		case ev.Raw == nil || ev.Proof == nil || !ev.Proof.Compared:
			return nil, nil, fmt.Errorf("råexporten finns inte i arbetsytan (%s): maskningen måste vara prövad mot den innan den godkänns", r.Rel(r.RawDir(dir, c.ID)))
		}
		res.WorkbookSHA, res.RawSHA = ev.Facts.WorkbookSHA256, ev.Facts.RawSHA256
	}
	if mev := checked.Mail; t.Mail != nil && step.Step.Proof {
		switch {
		case mev == nil || mev.Texts == nil:
			return nil, nil, fmt.Errorf("granskningstexterna finns inte i arbetsytan (%s); godkännandet binder den version du har granskat", r.Rel(r.WorkArea(dir, c.ID)))
		case mev.Source == nil || mev.Matched == nil:
			return nil, nil, fmt.Errorf("e-postmeddelandena finns inte i arbetsytans export/ (%s): maskningen måste vara prövad mot dem innan den godkänns", r.Rel(r.WorkArea(dir, c.ID)))
		}
		res.WorkbookSHA, res.RawSHA, res.Mail = mev.Facts.WorkbookSHA256, mev.Facts.RawSHA256, true
	}
	path := "steg." + step.Step.Name + "." + workflow.ApprovalKey
	old := rec.Value(path)
	if old != nil && old.Approval != nil && old.Approval.Signer == p.Signature &&
		strings.EqualFold(old.Approval.Workbook, res.WorkbookSHA) && strings.EqualFold(old.Approval.Raw, res.RawSHA) {
		res.Unchanged = true
		return res, nil, nil
	}
	value := "{datum: " + opts.Today.String() + ", av: " + p.Signature
	if res.WorkbookSHA != "" {
		value += ", " + workflow.ApprovalMaterialKey(t) + ": " + res.WorkbookSHA + ", " + workflow.ApprovalRawKey + ": " + res.RawSHA
	}
	value += "}"
	file := filepath.Join(dir, casefile.FileName)
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, err
	}
	updated, err := casefile.SetStepKey(data, c, step.Step.Name, workflow.ApprovalKey, value)
	if err != nil {
		return nil, nil, err
	}
	if old != nil && old.Approval != nil {
		// A committed approval changes only with a correction that says why.
		res.Replaced = true
		again, _ := casefile.Parse(dir, c.File, updated)
		what := "ny version godkänd"
		if res.WorkbookSHA != "" {
			what = fmt.Sprintf("ny version av %s godkänd (SHA-256 %s…)", workflow.MaterialName(t), res.WorkbookSHA[:12])
		}
		item := fmt.Sprintf("{steg: %s, datum: %s, av: %s, skäl: %q}", step.Step.Name, opts.Today, p.Signature, what)
		if updated, err = casefile.AddListItem(updated, again, workflow.CorrectionsKey, item); err != nil {
			return nil, nil, err
		}
	}
	// Read back what will be written: the approval must say exactly what was computed.
	again, fs := casefile.Parse(dir, c.File, updated)
	if again.Root == nil {
		return nil, fs, fmt.Errorf("internt fel: %s skulle inte gå att läsa efter godkännandet; inget har skrivits", c.File)
	}
	rec2, _ := workflow.Check(again, t, workflow.Env{Settings: r.Settings, Catalog: r.Catalog, Today: opts.Today})
	a := rec2.Value(path)
	if a == nil || a.Approval == nil || a.Approval.Signer != p.Signature || a.Approval.Workbook != res.WorkbookSHA || a.Approval.Raw != res.RawSHA {
		return nil, nil, fmt.Errorf("internt fel: godkännandet skulle inte läsas tillbaka som det skrevs; inget har skrivits")
	}
	if err := atomicfile.Write(file, updated, 0o644); err != nil {
		return nil, nil, err
	}
	return res, nil, nil
}
