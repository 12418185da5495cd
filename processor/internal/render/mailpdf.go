package render

import (
	"time"

	"utlamnande/processor/internal/pdfdoc"
)

// MailPDF lays out a disclosure of e-mails and writes it as a PDF with font, like PDF:
// date is the creation date (from the case, never the clock); it returns the PDF, every
// string written into it (for the self-checks), and the page count.
func MailPDF(d *MailDisclosure, font *pdfdoc.Font, date time.Time) ([]byte, []string, int, error) {
	return writePDF(d.Title, d.CaseID, d.Authority.Name, d.Producer, font, date, func(s Sink) error {
		_, _, err := LayoutMailTo(d, font, s)
		return err
	})
}
