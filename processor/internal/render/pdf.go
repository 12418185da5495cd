package render

import (
	"bytes"
	"time"

	"utlamnande/processor/internal/pdfdoc"
)

// pdfSink draws the layout straight into a PDF document, page by page, so no display list
// of the whole log is kept (100,000 rows are some 4,000 pages).
type pdfSink struct {
	doc   *pdfdoc.Doc
	font  *pdfdoc.Font
	pages []*pdfdoc.Page
}

func (s *pdfSink) NewPage(width, height float64) {
	s.pages = append(s.pages, s.doc.AddPage(width, height))
}

func (s *pdfSink) Add(it Item) { s.draw(s.pages[len(s.pages)-1], it) }

func (s *pdfSink) AddTo(i int, it Item) { s.draw(s.pages[i], it) }

func (s *pdfSink) draw(pg *pdfdoc.Page, it Item) {
	c := pdfdoc.RGB{R: it.Color.R, G: it.Color.G, B: it.Color.B}
	switch it.Kind {
	case ItemText:
		pg.Text(it.X, it.Y, it.Text, pdfdoc.TextStyle{Font: s.font, Size: it.Size, Color: c, Bold: it.Bold, Italic: it.Italic})
	case ItemRect:
		pg.Rect(it.X, it.Y, it.W, it.H, c)
	case ItemLine:
		pg.Line(it.X, it.Y, it.X+it.W, it.Y+it.H, 0.4, c)
	}
}

// PDF lays out d and writes it as a PDF with font. date is the document's creation and
// modification date (derived from the case, never the clock), so the same inputs give the
// same bytes. It returns the PDF, every string written into it (for the self-checks), and
// the page count.
func PDF(d *Disclosure, font *pdfdoc.Font, date time.Time) ([]byte, []string, int, error) {
	return writePDF(d.Title, d.CaseID, d.Authority.Name, d.Producer, font, date, func(s Sink) error {
		_, _, err := LayoutTo(d, font, s)
		return err
	})
}

// writePDF writes what layout draws as a PDF with the disclosure's metadata.
func writePDF(title, caseID, authority, producer string, font *pdfdoc.Font, date time.Time, layout func(Sink) error) ([]byte, []string, int, error) {
	doc := pdfdoc.New(pdfdoc.Info{
		Title:    title + ", ärende " + caseID,
		Subject:  title + " från " + authority,
		Author:   authority,
		Keywords: "utlämnande av allmän handling; ärende " + caseID,
		Producer: producer,
		Creator:  producer,
		Date:     date,
		Lang:     "sv-SE",
	})
	sink := &pdfSink{doc: doc, font: font}
	if err := layout(sink); err != nil {
		return nil, nil, 0, err
	}
	var b bytes.Buffer
	if _, err := doc.WriteTo(&b); err != nil {
		return nil, nil, 0, err
	}
	return b.Bytes(), doc.Strings(), len(sink.pages), nil
}
