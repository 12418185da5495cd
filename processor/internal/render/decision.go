package render

import (
	"time"

	"utlamnande/processor/internal/pdfdoc"
)

// Decision is a written decision of the authority (a beslutshandling): a letter from a
// Markdown template per case type, named by the person who decided under the authority's
// delegation. It is laid out and written as the cover letter is, so it gets the same
// self-checks: deterministic bytes, the font embedded, pdfcpu validation.
type Decision struct {
	CaseID    string
	Title     string // e.g. "Beslut om utlämnande av allmän handling"
	Date      string // the decision's date, ÅÅÅÅ-MM-DD
	Authority Authority
	Court     string // kammarrätt, to which an appeal is addressed
	// DecisionMaker is the person who signed the decision's step.
	DecisionMaker Official
	// Fields are the case's values the type names for the decision (fält).
	Fields map[string]string
	// Provisions are the provisions the decision applies, each with its heading and its
	// masks, in the catalogue's order.
	Provisions []ProvisionLine
	// Withheld are the e-mails not released (an e-post case), with their reasons.
	Withheld []WithheldMail
	Template string // the decision's template (Markdown with {{fields}})
	Producer string
}

// Official is a person of the authority as a letter names them.
type Official struct {
	Name       string
	Title      string
	Delegation string // the point in the delegation order under which they decide
	Email      string
	Phone      string
}

// DecisionData is what a decision template can use, besides {{.Ärende}}, {{.Datum}},
// {{.Titel}}, {{.Myndighet.Namn}} …, {{.Kammarrätt}} and {{.Fält.x}} as in LetterData.
type DecisionData struct {
	letterHead
	Beslutsfattare LetterOfficial
	Bestämmelser   []LetterProvision
	Maskningar     int // masks in all
	EjUtlämnade    []MailLetterWithheld
}

// LetterOfficial is a person of the authority in a template.
type LetterOfficial struct{ Namn, Titel, Delegation, EPost, Telefon string }

func (d *Decision) data() DecisionData {
	o := d.DecisionMaker
	dd := DecisionData{
		letterHead:     newLetterHead(d.CaseID, d.Date, d.Title, d.Authority, d.Court, d.Fields),
		Beslutsfattare: LetterOfficial{o.Name, o.Title, o.Delegation, o.Email, o.Phone},
	}
	for _, p := range d.Provisions {
		dd.Bestämmelser = append(dd.Bestämmelser, LetterProvision{p.Ref, p.Title, p.Count})
		dd.Maskningar += p.Count
	}
	for _, w := range sortedWithheld(d.Withheld) {
		dd.EjUtlämnade = append(dd.EjUtlämnade, MailLetterWithheld{Nr: w.Nr, Skäl: w.Reason, Hänvisning: w.Ref})
	}
	return dd
}

// DecisionMarkdown fills the decision's template.
func (d *Decision) DecisionMarkdown() (string, error) { return fillLetter(d.Template, d.data()) }

// CheckDecision parses a decision template and runs it on sample data, so a broken
// template is found when the type is checked, not when a decision is due.
func CheckDecision(src string) error {
	d := &Decision{CaseID: "2026-0001", Date: "2026-01-01", Template: src,
		DecisionMaker: Official{Name: "Bo Beslutsfattare", Title: "Enhetschef", Delegation: "punkt 1.4"},
		Provisions:    []ProvisionLine{{"25 kap. 1 § OSL", "Hälso- och sjukvård", 1}},
		Withheld:      []WithheldMail{{Nr: 2, Reason: "Uteslutande privat; inte allmän handling (2 kap. 8 § TF)"}}}
	md, err := d.DecisionMarkdown()
	if err != nil {
		return err
	}
	_, err = markdownBlocks(md)
	return err
}

// LayoutDecision lays out the decision as a Document (for tests).
func LayoutDecision(d *Decision, m Metrics) (*Document, error) {
	doc := &Document{}
	pages, err := layoutDecision(d, m, doc)
	doc.LetterPages = pages
	return doc, err
}

func layoutDecision(d *Decision, m Metrics, s Sink) (int, error) {
	md, err := d.DecisionMarkdown()
	if err != nil {
		return 0, err
	}
	blocks, err := markdownBlocks(md)
	if err != nil {
		return 0, err
	}
	pages := layoutLetter(blocks, m, s)
	footers(s, m, d.CaseID, pages, pages, a4Short)
	return pages, nil
}

// DecisionPDF writes the decision as a PDF dated date. The same decision gives the same
// bytes. It returns the PDF, every string written into it, and the page count.
func DecisionPDF(d *Decision, font *pdfdoc.Font, date time.Time) ([]byte, []string, int, error) {
	return writePDF(d.Title, d.CaseID, d.Authority.Name, d.Producer, font, date, func(s Sink) error {
		_, err := layoutDecision(d, font, s)
		return err
	})
}
