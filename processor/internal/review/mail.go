package review

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/mailcase"
	"utlamnande/processor/internal/mailfile"
	"utlamnande/processor/internal/mailtext"
	"utlamnande/processor/internal/mask"
	"utlamnande/processor/internal/provision"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/validate"
	"utlamnande/processor/internal/workflow"
)

// Reasons BuildMail refuses, besides ErrNoCase; the returned errors wrap them and say, in
// Swedish, what to do.
var (
	ErrNoTexts  = errors.New("granskningstexterna saknas")
	ErrNoExport = errors.New("e-postmeddelandena saknas i arbetsytan")
)

// Labels of the decisions on an e-mail or an attachment, as the report writes them.
const (
	LabelRelease    = "lämnas ut"
	LabelMasked     = "lämnas ut maskad"
	LabelWithhold   = "lämnas inte ut"
	LabelNoDecision = "beslut saknas"
)

// MailReport is the review report of an e-post case: per requested e-mail its decision, its
// headers, each mask with the text of the e-mail it hides, the proof's problems, the
// attachments with their decisions and what the reader of the e-mail noted; and the hashes
// the approval will bind. Like Report it holds unmasked text and is written only into the
// case's working area. Its JSON keys are Swedish.
type MailReport struct {
	Case                string   `json:"ärende"`
	Type                string   `json:"typ"`
	TypeTitle           string   `json:"typnamn,omitempty"`
	Employee            Employee `json:"medarbetare"`
	Date                string   `json:"datum"`
	Version             string   `json:"processor,omitempty"`
	LogCase             string   `json:"e-postlogg_ärende,omitempty"`
	LogFile             string   `json:"e-postlogg,omitempty"`   // the released log, relative to the root
	Texts               string   `json:"granskningstexter"`      // the review texts' folder
	Export              string   `json:"export"`                 // the export folder, relative to the root
	Skipped             []Skip   `json:"filer_som_inte_lästes"`  // files of the export that are no e-mails
	Mails               int      `json:"e-postmeddelanden"`      // e-mails in the report
	Masks               int      `json:"maskningar"`             // masks in all the review texts
	Withheld            int      `json:"lämnas_inte_ut"`         // e-mails withheld
	WithheldAttachments int      `json:"bilagor_lämnas_inte_ut"` // attachments withheld of e-mails released
	Notes               int      `json:"anteckningar"`           // the reader's notes, in all e-mails
	// Approvable, Blocking and Status as in Report.
	Approvable bool              `json:"kan_godkännas"`
	Blocking   int               `json:"fel_som_hindrar"`
	Status     Status            `json:"status"`
	Decision   Decision          `json:"beslut"`
	Provisions []ProvisionRow    `json:"bestämmelser"`
	Approval   MailBinding       `json:"godkännande"`
	Messages   []Mail            `json:"e-post"`
	Errors     []finding.Finding `json:"fel"`
	Warnings   []finding.Finding `json:"varningar"`
}

// Skip is a file of the export that was not read as an e-mail, with the reason.
type Skip struct {
	File   string `json:"fil"`
	Reason string `json:"skäl"`
}

// MailBinding is what the approval of an e-post case will bind, and how the reviewer approves.
type MailBinding struct {
	Step       string        `json:"steg"`
	MailSHA256 string        `json:"e-post_sha256"`   // the review texts released and the decisions
	RawSHA256  string        `json:"råexport_sha256"` // the exported e-mails
	Command    string        `json:"kommando"`
	Line       string        `json:"rad"`
	Existing   *MailExisting `json:"befintligt,omitempty"`
}

// MailExisting is an approval already recorded in an e-post case.
type MailExisting struct {
	Date       string `json:"datum"`
	Signer     string `json:"av"`
	MailSHA256 string `json:"e-post_sha256,omitempty"`
	RawSHA256  string `json:"råexport_sha256,omitempty"`
	Current    bool   `json:"gäller_dessa_filer"`
}

// Mail is one e-mail of the report.
type Mail struct {
	Nr        int    `json:"nr"`
	Requested bool   `json:"begärd"`
	TextFile  string `json:"granskningstext"` // NNNN.txt, relative to the root
	// TextFrom says where the text shown comes from: "granskningstexten", or
	// "e-postmeddelandet" when there is no review text (the original, unmasked), or "" when
	// there is neither.
	TextFrom    string       `json:"text_från,omitempty"`
	LogRow      string       `json:"loggrad,omitempty"`   // the row's Nr cell in the released log (Logg!A5)
	File        string       `json:"exportfil,omitempty"` // the e-mail's file in the export
	FileSHA256  string       `json:"exportfil_sha256,omitempty"`
	Decision    Verdict      `json:"beslut"`
	Withheld    bool         `json:"lämnas_inte_ut"`
	Headers     []Header     `json:"rubriker"` // the e-mail's own headers (unmasked)
	Parts       []Part       `json:"text"`     // the text shown, split into kept text and masks
	Derived     bool         `json:"härledd"`  // every mask's hidden text was found in the e-mail
	Masks       []Mask       `json:"maskningar"`
	Problems    []Problem    `json:"problem"`
	Attachments []Attachment `json:"bilagor"`
	// Notes are what the reader of the e-mail decided (a guessed charset, HTML text hidden
	// from its reader found, ...): the reviewer must see them.
	Notes []string `json:"anteckningar"`
	// Hidden are the content types of text the e-mail carries that its reader does not see
	// ("text/html; dold"); the review text has it under its own heading.
	Hidden []string `json:"dold_text"`
}

// Verdict is a decision on an e-mail or an attachment.
type Verdict struct {
	Decision       string `json:"beslut,omitempty"` // lämnas_ut, lämnas_ut_maskad, lämnas_inte_ut; "" for none
	Label          string `json:"text"`             // as the report writes it (LabelRelease, ...)
	Reason         string `json:"skäl,omitempty"`
	ReasonTitle    string `json:"skälets_rubrik,omitempty"` // from the type's e-post.skäl
	Provision      string `json:"bestämmelse,omitempty"`
	ProvisionTitle string `json:"bestämmelsens_rubrik,omitempty"`
}

// Header is one header of an e-mail.
type Header struct {
	Label string `json:"rubrik"`
	Value string `json:"värde"`
}

// Mask is one mask of a review text: where it is, as written, its provision, and the text of
// the e-mail it hides.
type Mask struct {
	Line      int    `json:"rad"`
	Col       int    `json:"kolumn"`
	Written   string `json:"skrivet"`
	Provision string `json:"bestämmelse"`
	Title     string `json:"rubrik,omitempty"`
	Text      string `json:"döljer"` // "" when it cannot be derived (see the problems)
}

// Problem is a finding of the masking proof at a line and column of the review text.
type Problem struct {
	Line    int    `json:"rad"`
	Col     int    `json:"kolumn"`
	Rule    string `json:"regel"`
	Message string `json:"meddelande"`
	Hint    string `json:"tips,omitempty"`
}

// Attachment is an attachment of an e-mail with its decision.
type Attachment struct {
	Nr          int     `json:"nr"`
	Name        string  `json:"namn"`
	ContentType string  `json:"typ,omitempty"`
	Size        int64   `json:"byte"`
	SHA256      string  `json:"sha256,omitempty"`
	Inline      bool    `json:"i_brödtexten,omitempty"`
	Missing     bool    `json:"finns_inte,omitempty"` // decided, but the e-mail has no such attachment
	Decision    Verdict `json:"beslut"`
}

// BuildMail makes the report of a validated e-post case. It refuses a case whose review
// texts are not there, or whose exported e-mails are not in the working area: the report
// shows what each mask hides, which only the e-mails can tell.
func BuildMail(r *repo.Repo, c validate.Checked, opts Options) (*MailReport, error) {
	if c.Case == nil || c.Record == nil {
		return nil, fmt.Errorf("%w: request.md kan inte läsas mot en ärendetyp (kör processor validate %s)", ErrNoCase, r.Rel(c.Dir))
	}
	id, rec := c.Case.ID, c.Record
	t := rec.Type
	ev := c.Mail
	if ev == nil || t.Mail == nil {
		return nil, fmt.Errorf("%w: ärendetypen %s har inga e-postmeddelanden att granska", ErrNoCase, t.Name)
	}
	work := r.WorkArea(c.Dir, id)
	switch {
	case ev.Interrupted:
		return nil, fmt.Errorf("%w: kontrollen avbröts innan e-postmeddelandena var lästa", ErrNoCase)
	case ev.Texts == nil:
		where := ev.Facts.WorkbookPath
		if where == "" {
			where = "arbetsytan"
		}
		return nil, fmt.Errorf("%w: %s finns inte; importera e-postmeddelandena med processor import %s", ErrNoTexts, where, id)
	case ev.Source == nil:
		if work == "" || ev.Facts.WorkAreaAbsent {
			return nil, fmt.Errorf("%w: ärendet har ingen arbetsyta här; granskningsrapporten jämför varje maskning med e-postmeddelandena", ErrNoExport)
		}
		dir := filepath.Join(work, mailcase.ExportFolder)
		if _, err := os.Stat(dir); err == nil {
			return nil, fmt.Errorf("%w: e-postmeddelandena i %s kan inte läsas (kör processor validate %s)", ErrNoExport, r.Rel(dir), id)
		}
		return nil, fmt.Errorf("%w: lägg Purviews export i %s; granskningsrapporten jämför varje maskning med e-postmeddelandena", ErrNoExport, r.Rel(dir))
	}

	rep := &MailReport{
		Case: id, Type: t.Name, TypeTitle: t.Title, Date: opts.Today.String(), Version: opts.Version,
		Employee: employeeOf(rec, t.Mail.Employee), Texts: ev.Facts.WorkbookPath, Export: r.Rel(ev.Source.Path),
		Skipped: []Skip{}, Messages: []Mail{}, Errors: []finding.Finding{}, Warnings: []finding.Finding{},
	}
	if ev.Log != nil {
		rep.LogCase, rep.LogFile = ev.Log.CaseID, ev.Log.File
	} else if v := rec.Value(t.Mail.LogCase); v != nil {
		rep.LogCase = v.Text
	}
	for _, s := range ev.Source.Skipped {
		rep.Skipped = append(rep.Skipped, Skip{File: s.File, Reason: s.Reason})
	}

	requested, _ := mailcase.Requested(rec, t.Mail)
	nrs := slices.Clone(requested)
	for nr := range ev.Texts {
		nrs = append(nrs, nr)
	}
	for nr := range ev.Decisions {
		nrs = append(nrs, nr)
	}
	slices.Sort(nrs)
	nrs = slices.Compact(nrs)
	folder := ev.Facts.WorkbookPath
	for _, nr := range nrs {
		m := mailOf(r, t.Mail, ev, nr, slices.Contains(requested, nr))
		if m.TextFile == "" {
			m.TextFile = filepath.ToSlash(filepath.Join(folder, mailtext.FileName(nr)))
		}
		rep.Masks += len(m.Masks)
		rep.Notes += len(m.Notes)
		if m.Withheld {
			rep.Withheld++
		} else {
			for _, a := range m.Attachments {
				if a.Decision.Decision == workflow.DecWithhold {
					rep.WithheldAttachments++
				}
			}
		}
		rep.Messages = append(rep.Messages, m)
	}
	rep.Mails = len(rep.Messages)

	for _, f := range append(slices.Clone(r.Findings), c.Findings...).Sorted() {
		if f.Severity == finding.Warning {
			rep.Warnings = append(rep.Warnings, f)
		} else {
			rep.Errors = append(rep.Errors, f)
		}
	}
	var b Binding
	rep.Decision, rep.Provisions, b = decisionOf(r, rec, id, &ev.Facts, workflow.ApprovalMaterialKey(t), opts.Today)
	rep.Approval = MailBinding{Step: b.Step, MailSHA256: b.WorkbookSHA256, RawSHA256: b.RawSHA256, Command: b.Command, Line: b.Line}
	if e := b.Existing; e != nil {
		rep.Approval.Existing = &MailExisting{Date: e.Date, Signer: e.Signer, MailSHA256: e.WorkbookSHA256, RawSHA256: e.RawSHA256, Current: e.Current}
	}
	rep.Blocking = blocking(rep.Errors)
	rep.Status, rep.Approvable = statusOf(rep.Blocking, rep.Decision, b.Existing)
	return rep, nil
}

// mailOf is e-mail nr of the report.
func mailOf(r *repo.Repo, spec *workflow.MailSpec, ev *mailcase.Evidence, nr int, requested bool) Mail {
	m := Mail{Nr: nr, Requested: requested, Headers: []Header{}, Masks: []Mask{}, Problems: []Problem{},
		Attachments: []Attachment{}, Notes: []string{}, Hidden: []string{}}
	d, decided := ev.Decisions[nr]
	m.Decision = verdict(r.Catalog, spec, decided, d.Decision, d.Reason, d.Provision)
	m.Withheld = decided && d.Decision == workflow.DecWithhold
	if ev.Log != nil {
		if row, ok := ev.Log.Rows[nr]; ok {
			m.LogRow = row.Cell
		}
	}
	msg := ev.Matched[nr]
	tx := ev.Texts[nr]
	if msg != nil {
		m.File, m.FileSHA256 = msg.File, msg.SHA256
		m.Headers = headersOf(msg)
		m.Notes = append(m.Notes, msg.Notes...)
		for _, o := range msg.Other {
			if strings.HasSuffix(o.ContentType, "; dold") && strings.TrimSpace(o.Text) != "" {
				m.Hidden = append(m.Hidden, o.ContentType)
			}
		}
	}

	switch {
	case tx != nil && !tx.Valid:
		m.TextFile, m.TextFrom = tx.Name, "granskningstexten"
		m.Problems = append(m.Problems, Problem{Rule: mailcase.RuleText, Message: "texten är inte sparad som UTF-8; den kan inte jämföras med e-postmeddelandet",
			Hint: "spara filen som UTF-8 (i Anteckningar: Spara som, Kodning: UTF-8)"})
	case tx != nil:
		m.TextFile, m.TextFrom = tx.Name, "granskningstexten"
		res, proved := ev.Proofs[nr]
		segs := res.Segments
		if !proved || segs == nil {
			segs, _ = mask.Split(tx.Text)
		}
		if msg == nil && len(m.Headers) == 0 {
			m.Headers = textHeaders(tx.Text)
		}
		// Without its e-mail the proof had nothing to compare with: nothing is derived.
		m.Derived = msg != nil && (!mask.HasMask(segs) || len(res.Spans) == countMasks(segs))
		m.Parts = partsOf(r.Catalog, segs, res.Spans, m.Derived)
		line, col := 1, 1
		for i, s := range segs {
			if s.Mask {
				p := m.Parts[i]
				m.Masks = append(m.Masks, Mask{Line: line, Col: col, Written: p.Written, Provision: p.Provision, Title: p.Title, Text: p.Text})
			}
			line, col = advance(line, col, s.Text)
		}
		for _, p := range res.Problems {
			m.Problems = append(m.Problems, Problem{Line: p.Line, Col: p.Col, Rule: p.Rule, Message: p.Msg, Hint: p.Hint})
		}
	case msg != nil:
		// No review text (a withheld e-mail's is not in the release): the e-mail as imported.
		m.TextFrom, m.Derived = "e-postmeddelandet", true
		m.Parts = []Part{{Text: mailtext.Render(msg)}}
	}

	n := 0
	if msg != nil {
		n = len(msg.Attachments)
		for i, a := range msg.Attachments {
			att := Attachment{Nr: i + 1, Name: a.Name, ContentType: a.ContentType, Size: a.Size, SHA256: a.SHA256, Inline: a.Inline}
			att.Decision = attachmentVerdict(r.Catalog, spec, d, decided, i+1)
			m.Attachments = append(m.Attachments, att)
		}
	}
	for _, a := range d.Attachments {
		if a.Nr > n || msg == nil {
			m.Attachments = append(m.Attachments, Attachment{Nr: a.Nr, Missing: msg != nil,
				Decision: verdict(r.Catalog, spec, true, a.Decision, a.Reason, a.Provision)})
		}
	}
	slices.SortStableFunc(m.Attachments, func(a, b Attachment) int { return a.Nr - b.Nr })
	return m
}

// attachmentVerdict is the decision on attachment nr of an e-mail decided d: its own, or the
// e-mail's when the e-mail is withheld (its attachments go with it).
func attachmentVerdict(cat *provision.Catalog, spec *workflow.MailSpec, d workflow.MailDecision, decided bool, nr int) Verdict {
	if a, ok := d.Attachment(nr); ok {
		return verdict(cat, spec, true, a.Decision, a.Reason, a.Provision)
	}
	if decided && d.Decision == workflow.DecWithhold {
		v := verdict(cat, spec, true, d.Decision, d.Reason, d.Provision)
		v.Label = LabelWithhold + " (med meddelandet)"
		return v
	}
	return verdict(cat, spec, false, "", "", provision.Ref{})
}

// verdict describes a decision: its label, the title of its reason in the type and its
// provision's title in the catalog.
func verdict(cat *provision.Catalog, spec *workflow.MailSpec, decided bool, decision, reason string, ref provision.Ref) Verdict {
	v := Verdict{Decision: decision, Reason: reason}
	switch {
	case !decided || decision == "":
		v.Label = LabelNoDecision
	case decision == workflow.DecRelease:
		v.Label = LabelRelease
	case decision == workflow.DecMasked:
		v.Label = LabelMasked
	case decision == workflow.DecWithhold:
		v.Label = LabelWithhold
	default:
		v.Label = decision
	}
	if reason != "" && spec != nil {
		if rs, ok := spec.Reason(reason); ok {
			v.ReasonTitle = rs.Title
		}
	}
	if ref != (provision.Ref{}) {
		v.Provision = ref.String()
		if p, ok := cat.Lookup(ref); ok {
			v.ProvisionTitle = p.Title
		}
	}
	return v
}

// headersOf is an e-mail's headers as its review text writes them.
func headersOf(msg *mailfile.Message) []Header {
	hs := []Header{{mailtext.LabelFrom, mailtext.Addresses(msg.From)}, {mailtext.LabelTo, mailtext.Addresses(msg.To)}}
	if len(msg.Cc) > 0 {
		hs = append(hs, Header{mailtext.LabelCc, mailtext.Addresses(msg.Cc)})
	}
	if len(msg.Bcc) > 0 {
		hs = append(hs, Header{mailtext.LabelBcc, mailtext.Addresses(msg.Bcc)})
	}
	hs = append(hs, Header{mailtext.LabelDate, mailtext.When(msg.Date)}, Header{mailtext.LabelSubject, msg.Subject})
	if msg.MessageID != "" {
		hs = append(hs, Header{"Message-ID", msg.MessageID})
	}
	return hs
}

// textHeaders reads the headers from a review text (up to its first blank line), for an
// e-mail that is not in the export.
func textHeaders(text string) []Header {
	hs := []Header{}
	head, _, _ := strings.Cut(text, "\n\n")
	for _, l := range strings.Split(head, "\n") {
		if label, value, ok := strings.Cut(l, ": "); ok {
			hs = append(hs, Header{label, value})
		}
	}
	return hs
}

func countMasks(segs []mask.Segment) int {
	n := 0
	for _, s := range segs {
		if s.Mask {
			n++
		}
	}
	return n
}

// advance moves a 1-based line and column (in characters) past s.
func advance(line, col int, s string) (int, int) {
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return line + strings.Count(s, "\n"), utf8.RuneCountInString(s[i+1:]) + 1
	}
	return line, col + utf8.RuneCountInString(s)
}

// JSON writes the report as indented JSON.
func (rep *MailReport) JSON(w io.Writer) error { return writeJSON(w, rep) }

// WriteFiles writes the report into dir (the case's working area) as HTMLFile and JSONFile,
// as Report.WriteFiles does.
func (rep *MailReport) WriteFiles(dir string) (htmlPath, jsonPath string, err error) {
	return writeFiles(dir, rep.HTML, rep.JSON)
}
