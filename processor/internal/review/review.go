// Package review builds a case's review report (granskningsrapport) for the reviewer who
// approves the secrecy decision: every masked cell with the raw text it hides, every row
// marked private, every unmasked sensitive-data hint and acknowledgement, the case's errors,
// and the SHA-256 sums the approval will bind. The report is also the authority's redaction
// log (undantagslogg) for the case. It holds unmasked text, so it is written only into the
// case's working area, never into git.
//
// Build makes the report of an e-mail log case (Report); BuildMail that of an e-post case
// (MailReport): per requested e-mail its decision, headers, each mask with the text of the
// e-mail it hides, the attachments' decisions and the notes of the e-mail's reader, beside
// the e-post_sha256 and råexport_sha256 the approval binds. Both pages share their style and
// helpers (html.go) and are written the same way (WriteFiles).
package review

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"utlamnande/processor/internal/atomicfile"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/export"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/mask"
	"utlamnande/processor/internal/provision"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/validate"
	"utlamnande/processor/internal/workbook"
	"utlamnande/processor/internal/workflow"
)

// Files of the report in the case's working area.
const (
	HTMLFile = "granskning.html"
	JSONFile = "granskning.json"
)

// Reasons Build refuses; the returned errors wrap them and say, in Swedish, what to do.
var (
	ErrNoCase     = errors.New("ärendet kan inte granskas")
	ErrNoWorkbook = errors.New("granskningsboken saknas")
	ErrNoRaw      = errors.New("råexporten saknas i arbetsytan")
)

// Status sums up whether the reviewer can approve.
type Status string

// The statuses of a report.
const (
	StatusApprovable Status = "kan godkännas"
	StatusErrors     Status = "fel"           // the case has errors: do not approve
	StatusNoDecision Status = "beslut saknas" // the decision step is not recorded yet
	StatusApproved   Status = "redan godkänd" // an approval binding these very files is recorded
)

// Options are what a report needs besides the case.
type Options struct {
	Today   date.Date // the report's date (deterministic: no clock)
	Version string    // the processor's version, shown in the report
}

// Report is the review report of one case. Its JSON keys are Swedish, like the rest of the
// program's JSON.
type Report struct {
	Case      string   `json:"ärende"`
	Type      string   `json:"typ"`
	TypeTitle string   `json:"typnamn,omitempty"`
	Employee  Employee `json:"medarbetare"`
	Date      string   `json:"datum"` // the report's date, ÅÅÅÅ-MM-DD
	Version   string   `json:"processor,omitempty"`
	Workbook  string   `json:"granskningsbok"` // path, relative to the root where possible
	Raw       string   `json:"råexport"`
	Rows      int      `json:"rader"`
	Masks     int      `json:"maskningar"` // masked spans in all masked cells
	// Approvable: no errors but those an approval cures, the decision is recorded and not
	// already approved for these files.
	Approvable bool `json:"kan_godkännas"`
	// Blocking counts the errors an approval does not cure.
	Blocking   int               `json:"fel_som_hindrar"`
	Status     Status            `json:"status"`
	Decision   Decision          `json:"beslut"`
	Provisions []ProvisionRow    `json:"bestämmelser"`
	Approval   Binding           `json:"godkännande"`
	Masked     []MaskedCell      `json:"maskade_celler"`
	Private    []PrivateRow      `json:"privata_rader"`
	Hints      []Hint            `json:"tips_känsliga_uppgifter"`
	Acks       []Ack             `json:"kvitteringar"`
	Errors     []finding.Finding `json:"fel"`
	Warnings   []finding.Finding `json:"varningar"` // other than the sensitive-data hints
}

// Employee is whose mailbox the log is of.
type Employee struct {
	Name    string `json:"namn,omitempty"`
	Address string `json:"brevlåda,omitempty"`
}

// Decision is the step the reviewer approves, as recorded in request.md.
type Decision struct {
	Step     string `json:"steg"`
	Title    string `json:"rubrik,omitempty"`
	Recorded bool   `json:"registrerat"`
	Date     string `json:"datum,omitempty"`
	Signer   string `json:"av,omitempty"`
}

// ProvisionRow is one provision: its masks as the decision records them and as the workbook has them.
type ProvisionRow struct {
	Ref       string `json:"bestämmelse"`
	Title     string `json:"rubrik,omitempty"`
	HarmTest  string `json:"skaderekvisit,omitempty"`
	AppliesAt string `json:"gäller_hos,omitempty"` // gäller_hos ur bestämmelsekatalogen
	Hint      string `json:"-"`                    // granskarens tips om var bestämmelsen gäller (provision.Provision.Hint)
	Decided   int    `json:"i_beslutet"`
	Masked    int    `json:"i_granskningsboken"`
}

// Binding is what the approval will bind, and how the reviewer approves.
type Binding struct {
	Step           string    `json:"steg"`
	WorkbookSHA256 string    `json:"granskningsbok_sha256"`
	RawSHA256      string    `json:"råexport_sha256"`
	Command        string    `json:"kommando"` // processor godkänn --av SIGNATUR <id>
	Line           string    `json:"rad"`      // the approval it writes under the step
	Existing       *Existing `json:"befintligt,omitempty"`
}

// Existing is an approval already recorded in the case.
type Existing struct {
	Date           string `json:"datum"`
	Signer         string `json:"av"`
	WorkbookSHA256 string `json:"granskningsbok_sha256,omitempty"`
	RawSHA256      string `json:"råexport_sha256,omitempty"`
	// Current: it binds exactly the workbook and raw export of this report.
	Current bool `json:"gäller_dessa_filer"`
}

// MaskedCell is one cell of the workbook with at least one mask.
type MaskedCell struct {
	Cell     string `json:"cell"` // Logg!F17
	Nr       string `json:"nr"`
	Column   string `json:"kolumn"`
	Workbook string `json:"granskningsbok"` // the cell as masked in the workbook
	Raw      string `json:"råexport"`       // the raw export's cell ("" when its row is not found)
	// Derived: each mask's raw span was found (the masking proof holds for the cell).
	Derived bool   `json:"härledd"`
	Parts   []Part `json:"delar"` // the raw text, split into kept text and masked spans
}

// Part is a piece of a masked cell's raw text: kept text, or a masked span with its provision.
type Part struct {
	Text      string `json:"text"` // for a mask: the raw text it hides ("" when not derived)
	Masked    bool   `json:"maskad,omitempty"`
	Written   string `json:"skrivet,omitempty"` // the mask as written: [OSL 25:1]
	Provision string `json:"bestämmelse,omitempty"`
	Title     string `json:"rubrik,omitempty"` // the provision's title in the catalog
}

// PrivateRow is a row marked P.
type PrivateRow struct {
	Nr      string `json:"nr"`
	Cell    string `json:"cell"` // the Markering cell
	Subject string `json:"ämne"`
}

// Hint is an unmasked text that looks like a personal or phone number (rule känslig-uppgift).
type Hint struct {
	Cell     string           `json:"cell"`
	Severity finding.Severity `json:"allvarlighet"`
	Message  string           `json:"meddelande"`
	Text     string           `json:"text"` // the cell's text in the workbook
}

// Ack is an acknowledged hint (kvitteringar): a cell left unmasked, with the reason.
type Ack struct {
	Cell   string `json:"cell"`
	Reason string `json:"skäl"`
	Text   string `json:"text"` // the cell's text in the workbook now ("" when there is no such cell)
}

// Build makes the report of a validated case. It refuses a case whose workbook is missing
// or unreadable, or whose raw export is not in the working area: the report shows what
// each mask hides, which only the raw export can tell.
func Build(r *repo.Repo, c validate.Checked, opts Options) (*Report, error) {
	if c.Case == nil || c.Record == nil {
		return nil, fmt.Errorf("%w: request.md kan inte läsas mot en ärendetyp (kör processor validate %s)", ErrNoCase, r.Rel(c.Dir))
	}
	id, rec := c.Case.ID, c.Record
	t := rec.Type
	ev := c.Evidence
	if ev == nil || t.Workbook == nil {
		return nil, fmt.Errorf("%w: ärendetypen %s har ingen granskningsbok att granska", ErrNoCase, t.Name)
	}
	spec := t.Workbook
	switch {
	case !ev.Facts.Workbook:
		where := ev.Facts.WorkbookPath
		if where == "" {
			where = "arbetsytan"
		}
		return nil, fmt.Errorf("%w: %s finns inte (%s); importera råexporten med processor import %s", ErrNoWorkbook, spec.File, where, id)
	case ev.Review == nil:
		msg := ""
		for _, f := range c.Findings {
			if f.Rule == workbook.RuleStructure && f.Severity == finding.Error {
				msg = ": " + f.Message
				break
			}
		}
		return nil, fmt.Errorf("%w: %s kan inte läsas%s (kör processor validate %s)", ErrNoWorkbook, ev.Facts.WorkbookPath, msg, id)
	case ev.Raw == nil:
		dir := r.RawDir(c.Dir, id)
		if dir == "" {
			return nil, fmt.Errorf("%w: ärendet har ingen arbetsyta här; granskningsrapporten jämför varje maskning med råexporten", ErrNoRaw)
		}
		want := ""
		if v := rec.Value(spec.RawFile); v != nil {
			want = v.Text
		}
		if _, err := export.Find(dir, want); err == nil {
			return nil, fmt.Errorf("%w: råexporten i %s kan inte läsas (kör processor validate %s)", ErrNoRaw, r.Rel(dir), id)
		}
		return nil, fmt.Errorf("%w: lägg råexporten i %s; granskningsrapporten jämför varje maskning med den", ErrNoRaw, r.Rel(dir))
	}
	rev, proof := ev.Review, ev.Proof

	rep := &Report{
		Case: id, Type: t.Name, TypeTitle: t.Title, Date: opts.Today.String(), Version: opts.Version,
		Workbook: ev.Facts.WorkbookPath, Raw: ev.Raw.File, Rows: len(rev.Rows),
		Masked: []MaskedCell{}, Private: []PrivateRow{}, Hints: []Hint{}, Acks: []Ack{},
		Errors: []finding.Finding{}, Warnings: []finding.Finding{}, Provisions: []ProvisionRow{},
	}
	rep.Employee = employeeOf(rec, spec.Employee)

	// The cells, by reference, for hints and acknowledgements.
	texts := map[string]string{}
	for _, row := range rev.Rows {
		for col := range row.Cells {
			texts[rev.CellRef(col, row.Line)] = row.Cells[col]
		}
	}

	last := len(spec.Columns) + 1 // Markering
	subject := spec.Column(workflow.ColText)
	for ri, row := range rev.Rows {
		nr := row.Cells[0]
		if strings.TrimSpace(row.Cells[last]) == workflow.MarkPrivate {
			p := PrivateRow{Nr: nr, Cell: rev.CellRef(last, row.Line)}
			if subject > 0 {
				p.Subject = row.Cells[subject]
			}
			rep.Private = append(rep.Private, p)
		}
		var rawRow *export.Row
		if n, ok := parseNr(nr); ok && n <= len(ev.Raw.Rows) {
			rawRow = &ev.Raw.Rows[n-1]
		}
		for i, col := range spec.Columns {
			var segs []mask.Segment
			if ri < len(proof.Segments) && proof.Segments[ri] != nil {
				segs = proof.Segments[ri][i+1]
			} else {
				segs, _ = mask.Split(strings.ReplaceAll(row.Cells[i+1], "\r\n", "\n"))
			}
			if !mask.HasMask(segs) {
				continue
			}
			mc := maskedCell(r.Catalog, segs, rawRow, i)
			mc.Cell, mc.Nr, mc.Column, mc.Workbook = rev.CellRef(i+1, row.Line), nr, col.Name, row.Cells[i+1]
			for _, p := range mc.Parts {
				if p.Masked {
					rep.Masks++
				}
			}
			rep.Masked = append(rep.Masked, mc)
		}
	}

	all := append(slices.Clone(r.Findings), c.Findings...).Sorted()
	for _, f := range all {
		switch {
		case f.Rule == validate.RuleSensitive:
			rep.Hints = append(rep.Hints, Hint{Cell: f.Cell, Severity: f.Severity, Message: f.Message, Text: texts[f.Cell]})
			if f.Severity != finding.Warning {
				rep.Errors = append(rep.Errors, f)
			}
		case f.Severity == finding.Warning:
			rep.Warnings = append(rep.Warnings, f)
		default:
			rep.Errors = append(rep.Errors, f)
		}
	}
	for _, p := range rec.Order {
		for _, a := range rec.Values[p].Acks {
			cell := strings.ReplaceAll(a.Cell, "$", "")
			rep.Acks = append(rep.Acks, Ack{Cell: cell, Reason: a.Reason, Text: texts[cell]})
		}
	}

	rep.Decision, rep.Provisions, rep.Approval = decisionOf(r, rec, id, &ev.Facts, workflow.ApprovalWorkbookKey, opts.Today)
	rep.Blocking = blocking(rep.Errors)
	rep.Status, rep.Approvable = statusOf(rep.Blocking, rep.Decision, rep.Approval.Existing)
	return rep, nil
}

// employeeOf reads whose mailbox the case is about: the address at path (medarbetare.brevlåda)
// and the name beside it (medarbetare.namn).
func employeeOf(rec *workflow.Record, path string) Employee {
	var e Employee
	if path == "" {
		return e
	}
	if v := rec.Value(path); v != nil {
		e.Address = v.Text
	}
	if i := strings.LastIndexByte(path, '.'); i > 0 {
		if v := rec.Value(path[:i] + ".namn"); v != nil {
			e.Name = v.Text
		}
	}
	return e
}

// blocking counts the errors an approval does not cure.
func blocking(errs []finding.Finding) int {
	n := 0
	for _, f := range errs {
		if !workflow.CuredByApproval(f.Rule) {
			n++
		}
	}
	return n
}

// statusOf sums up a report: whether the reviewer can approve, and why not.
func statusOf(blocking int, d Decision, existing *Existing) (Status, bool) {
	switch {
	case blocking > 0:
		return StatusErrors, false
	case !d.Recorded:
		return StatusNoDecision, false
	case existing != nil && existing.Current:
		return StatusApproved, false
	}
	return StatusApprovable, true
}

// maskedCell splits the raw text of a masked cell (column index i of the type's columns)
// into what stays and what each mask hides.
func maskedCell(cat *provision.Catalog, segs []mask.Segment, raw *export.Row, i int) MaskedCell {
	var mc MaskedCell
	var spans []string
	if raw != nil {
		v := raw.Values[i]
		mc.Raw = v.Text
		if v.IsTime() {
			mc.Raw = v.Time.Format("2006-01-02 15:04")
		}
		spans, mc.Derived = mask.Derive(mask.Escape(mc.Raw), segs) // the workbook's view of the raw text
	}
	mc.Parts = partsOf(cat, segs, spans, mc.Derived)
	return mc
}

// partsOf splits a masked text (its segments) into kept text and masked spans, each mask
// with its provision and, when derived, the raw text it hides (spans, in order).
func partsOf(cat *provision.Catalog, segs []mask.Segment, spans []string, derived bool) []Part {
	var parts []Part
	k := 0
	for _, s := range segs {
		if !s.Mask {
			parts = append(parts, Part{Text: s.Text})
			continue
		}
		p := Part{Masked: true, Written: s.Text, Provision: s.Ref.String()}
		if prov, ok := cat.Lookup(s.Ref); ok {
			p.Title = prov.Title
		}
		if derived && k < len(spans) {
			p.Text = spans[k]
		}
		k++
		parts = append(parts, p)
	}
	return parts
}

// decisionOf reads the decision step, its provisions beside those of what is masked (facts),
// and the approval: what it will bind (materialKey names the first hash, as the approval
// line writes it) and the one already recorded.
func decisionOf(r *repo.Repo, rec *workflow.Record, id string, facts *workflow.Facts, materialKey string, today date.Date) (Decision, []ProvisionRow, Binding) {
	var (
		dec   Decision
		provs = []ProvisionRow{}
		b     Binding
	)
	t := rec.Type
	var step *workflow.Step
	for _, s := range t.Steps {
		if s.Proof && s.Approval {
			step = s
			break
		}
	}
	if step == nil && t.Disclosure != nil {
		step, _ = t.Step(t.Disclosure.Decision)
	}
	rows := map[provision.Ref]*ProvisionRow{}
	row := func(ref provision.Ref) *ProvisionRow {
		ref = ref.Base()
		if p, ok := rows[ref]; ok {
			return p
		}
		p := &ProvisionRow{Ref: ref.String()}
		if prov, ok := r.Catalog.Lookup(ref); ok {
			p.Title, p.HarmTest, p.AppliesAt, p.Hint = prov.Title, prov.HarmTest, prov.AppliesAt, prov.Hint()
		}
		rows[ref] = p
		return p
	}
	for ref, n := range facts.Provisions {
		row(ref).Masked += n
	}
	b.WorkbookSHA256, b.RawSHA256 = facts.WorkbookSHA256, facts.RawSHA256
	b.Command = "processor godkänn --av SIGNATUR " + id
	if step != nil {
		dec.Step, dec.Title, b.Step = step.Name, step.Title, step.Name
		if rs, ok := rec.Recorded(step.Name); ok {
			dec.Recorded, dec.Date, dec.Signer = true, rs.Date.String(), rs.Signer
		}
		for _, f := range step.Fields {
			if f.Kind != workflow.KindProvisions {
				continue
			}
			if v := rec.Value(f.Path); v != nil {
				for _, u := range v.Provisions {
					row(u.Ref).Decided += u.Count
				}
			}
		}
		if v := rec.Value("steg." + step.Name + "." + workflow.ApprovalKey); v != nil && v.Approval != nil {
			a := v.Approval
			b.Existing = &Existing{Date: a.Date.String(), Signer: a.Signer, WorkbookSHA256: a.Workbook, RawSHA256: a.Raw,
				Current: a.Workbook != "" && a.Raw != "" && strings.EqualFold(a.Workbook, b.WorkbookSHA256) && strings.EqualFold(a.Raw, b.RawSHA256)}
		}
	}
	b.Line = approvalLine(today, "SIGNATUR", materialKey, b.WorkbookSHA256, b.RawSHA256)
	for _, p := range rows {
		provs = append(provs, *p)
	}
	keys := map[string]provision.Ref{}
	for ref := range rows {
		keys[ref.String()] = ref
	}
	slices.SortFunc(provs, func(a, b ProvisionRow) int {
		x, y := keys[a.Ref], keys[b.Ref]
		return cmp.Or(cmp.Compare(x.Chapter, y.Chapter), cmp.Compare(x.Section, y.Section), cmp.Compare(x.Letter, y.Letter))
	})
	return dec, provs, b
}

// ApprovalLine is an approval as it is written under the decision step in request.md: the
// reviewer's date and signature and the SHA-256 of the workbook and raw export approved.
// A zero day is written ÅÅÅÅ-MM-DD.
func ApprovalLine(day date.Date, signer, workbookSHA, rawSHA string) string {
	return approvalLine(day, signer, workflow.ApprovalWorkbookKey, workbookSHA, rawSHA)
}

// approvalLine is ApprovalLine with the key of the first hash: granskningsbok_sha256, or
// e-post_sha256 for a type with e-post (workflow.ApprovalMaterialKey).
func approvalLine(day date.Date, signer, materialKey, materialSHA, rawSHA string) string {
	d := "ÅÅÅÅ-MM-DD"
	if !day.IsZero() {
		d = day.String()
	}
	return fmt.Sprintf("%s: {datum: %s, av: %s, %s: %s, %s: %s}", workflow.ApprovalKey, d, signer,
		materialKey, materialSHA, workflow.ApprovalRawKey, rawSHA)
}

// parseNr reads a row's Nr as the masking proof does: a whole number from 1.
func parseNr(s string) (int, bool) {
	v, ok := workbook.ParseNumber(s)
	if !ok || v < 1 || v != math.Trunc(v) || v > 1e7 {
		return 0, false
	}
	return int(v), true
}

// JSON writes the report as indented JSON.
func (rep *Report) JSON(w io.Writer) error { return writeJSON(w, rep) }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// WriteFiles writes the report into dir (the case's working area) as HTMLFile and JSONFile,
// each whole or not at all, readable by the owner only (they hold unmasked text). It
// returns the paths written.
func (rep *Report) WriteFiles(dir string) (htmlPath, jsonPath string, err error) {
	return writeFiles(dir, rep.HTML, rep.JSON)
}

// writeFiles writes a report's HTML and JSON into dir, as WriteFiles says.
func writeFiles(dir string, writeHTML, writeJSON func(io.Writer) error) (htmlPath, jsonPath string, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", fmt.Errorf("arbetsytan %s kan inte skapas: %w", dir, err)
	}
	var h, j strings.Builder
	if err := writeHTML(&h); err != nil {
		return "", "", err
	}
	if err := writeJSON(&j); err != nil {
		return "", "", err
	}
	htmlPath, jsonPath = filepath.Join(dir, HTMLFile), filepath.Join(dir, JSONFile)
	if err := atomicfile.Write(jsonPath, []byte(j.String()), 0o600); err != nil {
		return "", "", fmt.Errorf("kan inte skriva %s: %w", jsonPath, err)
	}
	if err := atomicfile.Write(htmlPath, []byte(h.String()), 0o600); err != nil {
		return "", "", fmt.Errorf("kan inte skriva %s: %w", htmlPath, err)
	}
	return htmlPath, jsonPath, nil
}
