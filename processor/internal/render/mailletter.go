package render

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// MailLetterData is what the cover letter of a disclosure of e-mails can use, besides
// {{.Ärende}}, {{.Datum}}, {{.Titel}}, {{.Myndighet.Namn}} …, {{.Kammarrätt}} and {{.Fält.x}}
// as in LetterData.
type MailLetterData struct {
	letterHead
	LoggÄrende  string // the case whose e-mail log was released
	Begärda     int    // e-mails requested
	BegärdaNr   string // their Nr in the log, "3, 7 och 12"
	Utlämnade   int    // e-mails released
	UtlämnadeNr string // "3 och 12"; "" when none
	EjUtlämnade []MailLetterWithheld
	// EjAllmänHandling counts the withheld e-mails without a provision: not public
	// documents (or not the authority's), a refusal all the same (2 kap. 19 § TF).
	EjAllmänHandling   int
	Bilagor            int // attachments of the released e-mails
	EjUtlämnadeBilagor int // of those, not released whole (see AttachmentLine.Released)
	Maskat             bool
	Maskningar         int // masks in the released texts and attachment names
	Bestämmelser       []MailLetterProvision
	// Nekat is true when anything is masked or withheld: an e-mail, an attachment, a word.
	Nekat bool
}

// MailLetterWithheld is a withheld e-mail in a letter template.
type MailLetterWithheld struct {
	Nr         int
	Skäl       string
	Hänvisning string
}

// MailLetterProvision is one applied provision: Antal in all (from the decision), of
// which Maskningar masks in the texts, Meddelanden whole e-mails withheld, and Bilagor
// attachments withheld (the rest of Antal).
type MailLetterProvision struct {
	Hänvisning  string
	Rubrik      string
	Antal       int
	Maskningar  int
	Meddelanden int
	Bilagor     int
}

func (d *MailDisclosure) letterData() MailLetterData {
	ld := MailLetterData{
		letterHead: newLetterHead(d.CaseID, d.Date, d.Title, d.Authority, d.Court, d.Fields).with(d.Official),
		LoggÄrende: d.LogCase, Begärda: len(d.Requested), BegärdaNr: swedishList(d.Requested),
		Utlämnade: len(d.Mails), Maskningar: d.Masks(),
	}
	nrs := make([]int, 0, len(d.Mails))
	for _, ml := range d.Mails {
		nrs = append(nrs, ml.Nr)
		for _, a := range ml.Attachments {
			ld.Bilagor++
			if !a.Released() {
				ld.EjUtlämnadeBilagor++
			}
		}
	}
	ld.UtlämnadeNr = swedishList(nrs)
	for _, w := range sortedWithheld(d.Withheld) {
		ld.EjUtlämnade = append(ld.EjUtlämnade, MailLetterWithheld{w.Nr, w.Reason, w.Ref})
		if w.Ref == "" {
			ld.EjAllmänHandling++
		}
	}
	counts := d.provisionCounts()
	total := 0
	for _, p := range d.Provisions {
		c := counts[p.Ref]
		ld.Bestämmelser = append(ld.Bestämmelser, MailLetterProvision{
			Hänvisning: p.Ref, Rubrik: p.Title, Antal: p.Count,
			Maskningar: c.masks, Meddelanden: c.mails, Bilagor: max(0, p.Count-c.masks-c.mails)})
		total += p.Count
	}
	ld.Maskat = ld.Maskningar > 0
	ld.Nekat = ld.Maskat || total > 0 || len(d.Withheld) > 0 || ld.EjUtlämnadeBilagor > 0
	return ld
}

// sortedWithheld is the withheld e-mails in Nr order (a copy).
func sortedWithheld(w []WithheldMail) []WithheldMail {
	return slices.SortedStableFunc(slices.Values(w), func(a, b WithheldMail) int { return cmp.Compare(a.Nr, b.Nr) })
}

// swedishList writes numbers as Swedish prose: "3", "3 och 7", "3, 7 och 12".
func swedishList(nrs []int) string {
	var b strings.Builder
	for i, n := range nrs {
		switch {
		case i == 0:
		case i == len(nrs)-1:
			b.WriteString(" och ")
		default:
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}

// CheckMailLetter parses the cover letter template of a disclosure of e-mails and runs it
// on sample data (an e-mail released with a mask and an attachment withheld, one withheld
// as private, one for secrecy), so a broken template is found when the type is checked.
func CheckMailLetter(src string) error {
	d := sampleMailDisclosure()
	d.Letter = src
	_, err := d.letterBlocks()
	return err
}

func sampleMailDisclosure() *MailDisclosure {
	const ref = "25 kap. 1 § OSL"
	return &MailDisclosure{
		CaseID: "2026-0002", Title: "Utlämnande av e-postmeddelanden", Date: "2026-01-01", LogCase: "2026-0001",
		Official: &Official{Name: "Rita Registrator", Title: "Registrator", Email: "rita@region.example"},
		Requested: []int{1, 2, 3},
		Mails: []Mail{{Nr: 1, Lines: []Cell{{{Text: "Ämne: "}, {Ref: ref}}},
			Attachments: []AttachmentLine{{Nr: 1, Name: Cell{{Text: "remiss.pdf"}}, Decision: "lämnas inte ut: sekretess, " + ref}}}},
		Withheld: []WithheldMail{
			{Nr: 2, Reason: "Uteslutande privat; inte allmän handling (2 kap. 8 § TF)"},
			{Nr: 3, Reason: "Omfattas i sin helhet av sekretess", Ref: ref}},
		Provisions: []ProvisionLine{{ref, "Hälso- och sjukvård", 3}},
	}
}

// letterBlocks fills the template and turns the Markdown into blocks.
func (d *MailDisclosure) letterBlocks() ([]Block, error) {
	md, err := fillLetter(d.Letter, d.letterData())
	if err != nil {
		return nil, err
	}
	return markdownBlocks(md)
}
