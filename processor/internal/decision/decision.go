// Package decision renders and checks a case's written decisions (beslutshandlingar): the
// PDFs a case type declares for steps that decide something the requester can appeal, such
// as the written decision with appeal information (FL 32–33 §§) or the dismissal of a late
// appeal (FL 45 §). Each is rendered from the case file, the settings and the catalogue
// only, so the same inputs give the same bytes, and it passes the disclosure's self-checks
// before it is written. A decision is committed with its step in the case's utlamnande/
// folder and never changes once its låst_från step (it was sent) is recorded.
package decision

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"utlamnande/processor/internal/atomicfile"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/disclose"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/pdfdoc"
	"utlamnande/processor/internal/provision"
	"utlamnande/processor/internal/render"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/settings"
	"utlamnande/processor/internal/validate"
	"utlamnande/processor/internal/workflow"
)

// Rule is the rule of a decision document that is missing, early, or not what its case gives.
const Rule = "beslutshandling"

// ErrNotReady means the case has errors (in the returned findings) or nothing to decide.
var ErrNotReady = errors.New("ärendet är inte klart för ett beslut")

// Options of a build or a check.
type Options struct {
	Today   date.Date
	Version string // the processor's version, in the PDF
	// Checked, when given, is the case in dir just validated.
	Checked *validate.Checked
}

// Result is one decision document a build looked at.
type Result struct {
	Doc    *workflow.DecisionDoc
	Path   string // relative to the root
	Pages  int
	Built  bool // written now (false: it was current, or frozen)
	Frozen bool // its låst_från step is recorded: it is as it was sent
}

// rendered is a decision document rendered and self-checked.
type rendered struct {
	doc   *workflow.DecisionDoc
	path  string
	pdf   []byte
	pages int
}

// Build renders every decision document of the case in dir whose step is recorded and
// writes those that changed (temp file, then rename). A frozen one is never written again.
func Build(r *repo.Repo, dir string, opts Options) ([]Result, finding.List, error) {
	checked, fs, err := check(r, dir, opts)
	if err != nil {
		return nil, fs, err
	}
	rec := checked.Record
	var out []Result
	for _, doc := range rec.Type.Decisions {
		if _, ok := rec.Recorded(doc.Step); !ok {
			continue
		}
		path := filepath.Join(dir, disclose.Folder, doc.FileName(checked.Case.ID))
		res := Result{Doc: doc, Path: r.Rel(path)}
		if _, ok := rec.Recorded(doc.Frozen); ok {
			res.Frozen = true
			out = append(out, res)
			continue
		}
		rd, err := renderDoc(r, checked, doc, opts.Version)
		if err != nil {
			return out, nil, err
		}
		res.Pages = rd.pages
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, rd.pdf) {
			out = append(out, res)
			continue
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return out, nil, fmt.Errorf("beslutet kan inte sparas: %w", err)
		}
		if err := atomicfile.Write(path, rd.pdf, 0o644); err != nil {
			return out, nil, err
		}
		res.Built = true
		out = append(out, res)
	}
	if len(out) == 0 {
		return nil, nil, fmt.Errorf("%w: inget beslutssteg är registrerat (%s)", ErrNotReady, stepList(rec.Type))
	}
	return out, nil, nil
}

func stepList(t *workflow.Type) string {
	if len(t.Decisions) == 0 {
		return "ärendetypen har inga beslutshandlingar"
	}
	s := ""
	for i, d := range t.Decisions {
		if i > 0 {
			s += ", "
		}
		s += d.Step
	}
	return s
}

// check validates the case; a case with errors gets no decision.
func check(r *repo.Repo, dir string, opts Options) (validate.Checked, finding.List, error) {
	checked := validate.Again(r, dir, opts.Checked, validate.Options{Today: opts.Today})
	if checked.Case == nil || checked.Record == nil {
		return checked, checked.Findings, ErrNotReady
	}
	if blocking := checked.Findings.Errors(); len(blocking) > 0 {
		return checked, blocking, ErrNotReady
	}
	return checked, nil, nil
}

// renderDoc renders doc for the checked case and runs the self-checks.
func renderDoc(r *repo.Repo, checked validate.Checked, doc *workflow.DecisionDoc, version string) (*rendered, error) {
	rec := checked.Record
	tmpl, err := os.ReadFile(filepath.Join(r.Root, repo.TemplatesDir, rec.Type.Name, doc.Template))
	if err != nil {
		return nil, fmt.Errorf("beslutsmallen %s kan inte läsas: %w", doc.Template, err)
	}
	d, when, err := Model(r, rec, checked.Case.ID, doc, string(tmpl), version)
	if err != nil {
		return nil, err
	}
	pdf, written, pages, err := render.DecisionPDF(d, pdfdoc.DefaultFont(), when)
	if err != nil {
		var le *render.LetterError
		if errors.As(err, &le) {
			return nil, fmt.Errorf("beslutsmallen %s: %w", doc.Template, err)
		}
		return nil, fmt.Errorf("beslutet kan inte skrivas: %w", err)
	}
	if err := disclose.SelfCheck(pdf, written, secretSpans(checked)); err != nil {
		return nil, fmt.Errorf("beslutet godtogs inte: %w", err)
	}
	return &rendered{doc: doc, path: filepath.Join(checked.Dir, disclose.Folder, doc.FileName(checked.Case.ID)), pdf: pdf, pages: pages}, nil
}

// secretSpans are the masked raw texts the case's evidence has (while its raw export or
// e-mails are in the working area): a decision's reasons, written by hand, must not repeat
// what was masked.
func secretSpans(c validate.Checked) [][]string {
	var spans []string
	if ev := c.Evidence; ev != nil && ev.Proof != nil && ev.Proof.Compared {
		for _, row := range ev.Proof.Spans {
			spans = append(spans, row...)
		}
	}
	if mev := c.Mail; mev != nil && mev.Source != nil && mev.Matched != nil {
		for _, s := range mev.Spans {
			spans = append(spans, s.Text)
		}
	}
	if spans == nil {
		return nil
	}
	return [][]string{spans}
}

// Model builds the decision doc of the case from its record: the decision maker is the
// signer of doc's step, the date that step's date.
func Model(r *repo.Repo, rec *workflow.Record, id string, doc *workflow.DecisionDoc, tmpl, version string) (*render.Decision, time.Time, error) {
	step, ok := rec.Recorded(doc.Step)
	if !ok || step.Date.IsZero() {
		return nil, time.Time{}, fmt.Errorf("%w: steget %s är inte registrerat med datum", ErrNotReady, doc.Step)
	}
	p, ok := r.Settings.Person(step.Signer)
	if !ok {
		return nil, time.Time{}, fmt.Errorf("%w: %s, som har signerat steget %s, finns inte (godkänd) i %s", ErrNotReady, step.Signer, doc.Step, settings.FileName)
	}
	a := r.Settings.Authority
	d := &render.Decision{
		CaseID: id, Title: doc.Title, Date: step.Date.String(), Court: r.Settings.Court,
		Authority:     render.Authority{Name: a.Name, Address: a.Address, Email: a.Email, Phone: a.Phone},
		DecisionMaker: render.Official{Name: p.Name, Title: p.Title, Delegation: p.Delegation, Email: p.Email, Phone: p.Phone},
		Fields:        map[string]string{}, Template: tmpl, Producer: "processor " + version,
	}
	for _, f := range doc.Fields {
		if v := rec.Value(f.Path); v != nil && !v.Empty() {
			d.Fields[f.Name] = disclose.ValueText(v)
		} else if day, ok := rec.DateAt(f.Path); ok {
			d.Fields[f.Name] = day.String() // a computed date (sista dag)
		}
	}
	if v := rec.Value(doc.Provisions); v != nil {
		for _, u := range v.Provisions {
			d.Provisions = append(d.Provisions, render.ProvisionLine{Ref: u.Ref.String(), Title: u.Provision.Title, Count: u.Count})
		}
	}
	if m := rec.Type.Mail; m != nil {
		if v := rec.Value(m.Decisions); v != nil {
			for _, md := range v.Mails {
				if md.Released() {
					continue
				}
				w := render.WithheldMail{Nr: md.Nr}
				if reason, ok := m.Reason(md.Reason); ok {
					w.Reason = reason.Title
				}
				if md.Provision != (provision.Ref{}) {
					w.Ref = md.Provision.String()
				}
				d.Withheld = append(d.Withheld, w)
			}
			sort.Slice(d.Withheld, func(i, j int) bool { return d.Withheld[i].Nr < d.Withheld[j].Nr })
		}
	}
	return d, step.Date.Noon(), nil
}

// CheckOptions control Current.
type CheckOptions struct {
	Options
	// History: the case is checked as it was in an earlier commit; a PDF made by another
	// version of the processor is then not rendered again (its bytes would differ).
	History bool
	// Settled reports whether a document was already frozen before the change checked (its
	// låst_från step was recorded then): it is as it was sent, and later edits of the
	// templates do not make it stale. nil: none is.
	Settled func(doc *workflow.DecisionDoc) bool
}

// Current checks the decision documents of the case in dir: each is there once its step
// is recorded and not before, and each not yet settled is what the case gives now,
// rendered again byte for byte. A case with errors is not rendered (its errors say why).
func Current(r *repo.Repo, dir string, opts CheckOptions) finding.List {
	checked, _, err := check(r, dir, opts.Options)
	if err != nil || len(checked.Record.Type.Decisions) == 0 {
		return nil
	}
	rec, id := checked.Record, checked.Case.ID
	var fs finding.List
	caseFile := r.Rel(filepath.Join(dir, "request.md"))
	for _, doc := range rec.Type.Decisions {
		path := filepath.Join(dir, disclose.Folder, doc.FileName(id))
		rel := r.Rel(path)
		data, rerr := os.ReadFile(path)
		_, recorded := rec.Recorded(doc.Step)
		build := "kör processor beslut " + id + " och lägg till " + rel + " i committen"
		switch {
		case rerr != nil && !recorded:
			continue
		case rerr != nil:
			fs.Add(caseFile, 0, 0, Rule, fmt.Sprintf("steget %s är registrerat men beslutet %s saknas", doc.Step, rel), build)
			continue
		case !recorded:
			fs.Add(rel, 0, 0, Rule, fmt.Sprintf("beslutet finns men steget %s är inte registrerat", doc.Step),
				"beslutet skrivs och checkas in med steget "+doc.Step+", signerat av den som beslutar")
			continue
		case opts.Settled != nil && opts.Settled(doc):
			continue
		case opts.History && !bytes.Contains(data, []byte("/Producer (processor "+opts.Version+")")):
			continue // made by another version: its bytes cannot be compared
		}
		rd, err := renderDoc(r, checked, doc, opts.Version)
		if err != nil {
			fs.Add(rel, 0, 0, Rule, "beslutet kan inte skrivas om för kontroll: "+err.Error(), build)
			continue
		}
		if !bytes.Equal(rd.pdf, data) {
			fs.Add(rel, 0, 0, Rule, "beslutet är inte det som ärendet ger (ärendets uppgifter, mallen eller inställningarna har ändrats sedan det skrevs)", build)
		}
	}
	return fs
}
