package render

import (
	"bytes"
	"time"

	"utlamnande/processor/internal/pdfdoc"
)

// PDF writes doc with font as a PDF. date is the document's creation and modification date
// (derived from the case, never the clock), so the same inputs give the same bytes.
func PDF(doc *Document, d *Disclosure, font *pdfdoc.Font, date time.Time) ([]byte, []string, error) {
	p := pdfdoc.New(pdfdoc.Info{
		Title:    d.Title + ", ärende " + d.CaseID,
		Subject:  d.Title + " från " + d.Authority.Name,
		Author:   d.Authority.Name,
		Keywords: "utlämnande av allmän handling; ärende " + d.CaseID,
		Producer: d.Producer,
		Creator:  d.Producer,
		Date:     date,
		Lang:     "sv-SE",
	})
	for _, page := range doc.Pages {
		pg := p.AddPage(page.Width, page.Height)
		for _, it := range page.Items {
			c := pdfdoc.RGB{R: it.Color.R, G: it.Color.G, B: it.Color.B}
			switch it.Kind {
			case ItemText:
				pg.Text(it.X, it.Y, it.Text, pdfdoc.TextStyle{Font: font, Size: it.Size, Color: c, Bold: it.Bold, Italic: it.Italic})
			case ItemRect:
				pg.Rect(it.X, it.Y, it.W, it.H, c)
			case ItemLine:
				pg.Line(it.X, it.Y, it.X+it.W, it.Y+it.H, 0.4, c)
			}
		}
	}
	var b bytes.Buffer
	if _, err := p.WriteTo(&b); err != nil {
		return nil, nil, err
	}
	return b.Bytes(), p.Strings(), nil
}
