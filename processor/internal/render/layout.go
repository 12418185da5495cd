package render

import (
	"fmt"
	"strings"
)

// Metrics measures text in the font the PDF embeds.
type Metrics interface {
	Width(s string, size float64) float64
}

// RGB is a colour, components 0–1.
type RGB struct{ R, G, B float64 }

// Colours of the layout. A mask is white text on near-black: readable, and nothing under it.
var (
	Black    = RGB{0, 0, 0}
	White    = RGB{1, 1, 1}
	Grey     = RGB{0.35, 0.35, 0.35}
	Rule     = RGB{0.75, 0.75, 0.75}
	HeadFill = RGB{0.85, 0.88, 0.93}
	MaskFill = RGB{0.1, 0.1, 0.1}
)

// ItemKind is what an item draws.
type ItemKind uint8

// Item kinds.
const (
	ItemText ItemKind = iota
	ItemRect          // filled rectangle X, Y (bottom left), W, H
	ItemLine          // from X, Y to X+W, Y+H
)

// Item is one drawing instruction. Coordinates are PDF points from the bottom left.
type Item struct {
	Kind   ItemKind
	X, Y   float64
	W, H   float64
	Text   string
	Size   float64
	Bold   bool
	Italic bool
	Color  RGB
}

// Page is a page of items.
type Page struct {
	Width, Height float64
	Items         []Item
}

// Document is a laid out disclosure.
type Document struct {
	Pages       []Page
	LetterPages int
	LogPages    int
	MailPages   int // e-mails and the list of those withheld (LayoutMail)
}

// Page sizes (A4) and the log's type sizes.
const (
	a4Short = 595.28
	a4Long  = 841.89

	logMargin  = 28.0
	logSize    = 7.5
	logLeading = 9.3
	cellPad    = 2.5
	maskSize   = 6.8
	maskPad    = 2.0
	headHeight = 14.0
	footSize   = 7.5
)

// Sink receives the layout: pages in order, items on the current page, and items added
// to an earlier page when the page count is known (the "Sida X av Y" footers).
type Sink interface {
	NewPage(width, height float64)
	Add(it Item)
	AddTo(page int, it Item)
}

// NewPage starts a page of the document.
func (doc *Document) NewPage(width, height float64) {
	doc.Pages = append(doc.Pages, Page{Width: width, Height: height, Items: make([]Item, 0, 384)})
}

// Add draws on the current page.
func (doc *Document) Add(it Item) {
	p := &doc.Pages[len(doc.Pages)-1]
	p.Items = append(p.Items, it)
}

// AddTo draws on page i (0-based).
func (doc *Document) AddTo(i int, it Item) { doc.Pages[i].Items = append(doc.Pages[i].Items, it) }

// counter counts pages and draws nothing.
type counter struct{ pages int }

func (c *counter) NewPage(float64, float64) { c.pages++ }
func (c *counter) Add(Item)                 {}
func (c *counter) AddTo(int, Item)          {}

// Layout lays out the letter and the log as a Document (for tests and small documents;
// PDFs are written from LayoutTo without keeping the items).
func Layout(d *Disclosure, m Metrics) (*Document, error) {
	doc := &Document{}
	letter, log, err := LayoutTo(d, m, doc)
	doc.LetterPages, doc.LogPages = letter, log
	return doc, err
}

// LayoutTo lays out the letter, then the log, into s. When the letter template states how
// many pages the log has ({{.LoggSidor}}), the log is first paginated without drawing.
func LayoutTo(d *Disclosure, m Metrics, s Sink) (letterPages, logPages int, err error) {
	var c counter
	if strings.Contains(d.Letter, "LoggSidor") {
		layoutLog(d, m, &c)
	}
	blocks, err := d.letterBlocks(c.pages)
	if err != nil {
		return 0, 0, err
	}
	letterPages = layoutLetter(blocks, m, s)
	logPages = layoutLog(d, m, s)
	footers(s, m, d.CaseID, letterPages, letterPages+logPages, a4Long)
	return letterPages, logPages, nil
}

// footers draws "Ärende … · Sida X av Y" on each of the total pages, centred: the first
// portrait pages are A4 portrait, the rest are width wide.
func footers(s Sink, m Metrics, caseID string, portrait, total int, width float64) {
	for i := range total {
		w := width
		if i < portrait {
			w = a4Short
		}
		text := fmt.Sprintf("Ärende %s · Sida %d av %d", caseID, i+1, total)
		s.AddTo(i, Item{Kind: ItemText, X: (w - m.Width(text, footSize)) / 2, Y: 16, Text: text, Size: footSize, Color: Grey})
	}
}

// pageTitle is the grey line at the top of the log's and the e-mails' pages.
func pageTitle(authority, title, caseID string) string {
	return fmt.Sprintf("%s · %s · ärende %s", authority, title, caseID)
}

// piece is a run of text, or a mask, placed on a line.
type piece struct {
	x    float64
	w    float64
	text string
	ref  string
}

type line []piece

// textStyle is the type of wrapped text with masks: text size, the size of the provision
// in a mask, the leading, and how far a mask's box reaches below the baseline.
type textStyle struct{ size, mask, leading, below float64 }

// logStyle is the log's text.
var logStyle = textStyle{logSize, maskSize, logLeading, 2}

// wrap breaks a cell of the log into lines no wider than width (see wrapStyle).
func wrap(cell Cell, width float64, m Metrics) []line { return wrapStyle(cell, width, logStyle, m) }

// wrapStyle breaks a cell into lines no wider than width. Words are kept whole where they
// fit; longer ones (addresses) are broken between characters. A mask is one box whose width
// depends only on the provision it shows.
func wrapStyle(cell Cell, width float64, st textStyle, m Metrics) []line {
	// Most cells are one short text that fits: measure once, no tokens.
	if len(cell) == 1 && cell[0].Ref == "" {
		t := cell[0].Text
		if t == "" {
			return []line{nil}
		}
		if !strings.ContainsAny(t, "\n\t") && !strings.HasPrefix(t, " ") && !strings.HasSuffix(t, " ") && !strings.Contains(t, "  ") {
			if w := m.Width(t, st.size); w <= width {
				return []line{{{w: w, text: t}}}
			}
		}
	}
	var lines []line
	var cur line
	x := 0.0
	spaceW := m.Width(" ", st.size)
	pendingSpace := false
	flush := func() {
		lines = append(lines, cur)
		cur, x, pendingSpace = nil, 0, false
	}
	addText := func(s string, w float64) {
		if pendingSpace && len(cur) > 0 {
			if last := &cur[len(cur)-1]; last.ref == "" {
				last.text += " "
				last.w += spaceW
			}
			x += spaceW
		}
		pendingSpace = false
		if n := len(cur); n > 0 && cur[n-1].ref == "" {
			cur[n-1].text += s
			cur[n-1].w += w
		} else {
			cur = append(cur, piece{x: x, w: w, text: s})
		}
		x += w
	}
	place := func(w float64) {
		extra := 0.0
		if pendingSpace && len(cur) > 0 {
			extra = spaceW
		}
		if len(cur) > 0 && x+extra+w > width {
			flush()
		}
	}
	for _, seg := range cell {
		if seg.Ref != "" {
			w := m.Width(seg.Ref, st.mask) + 2*maskPad
			place(w)
			if pendingSpace && len(cur) > 0 {
				x += spaceW
			}
			pendingSpace = false
			cur = append(cur, piece{x: x, w: w, ref: seg.Ref})
			x += w
			continue
		}
		for i, para := range strings.Split(seg.Text, "\n") {
			if i > 0 {
				flush()
			}
			words := strings.FieldsFunc(para, isSpace)
			// Spaces around a mask are as the text has them: none inside a word.
			if len(cur) > 0 && para != "" && isSpace(rune(para[0])) {
				pendingSpace = true
			}
			for wi, word := range words {
				if wi > 0 {
					pendingSpace = true
				}
				w := m.Width(word, st.size)
				if w > width {
					for _, part := range breakWord(word, width, st.size, m) {
						place(m.Width(part, st.size))
						addText(part, m.Width(part, st.size))
					}
				} else {
					place(w)
					addText(word, w)
				}
			}
			if len(words) > 0 {
				pendingSpace = isSpace(rune(para[len(para)-1]))
			}
		}
	}
	if len(cur) > 0 || len(lines) == 0 {
		lines = append(lines, cur)
	}
	return lines
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' }

// breakWord cuts a word longer than width into parts that fit.
func breakWord(word string, width, size float64, m Metrics) []string {
	var parts []string
	start, w := 0, 0.0
	for i, r := range word {
		rw := m.Width(string(r), size)
		if w+rw > width && i > start {
			parts = append(parts, word[start:i])
			start, w = i, 0
		}
		w += rw
	}
	return append(parts, word[start:])
}

// drawLine draws a wrapped line at x on the baseline base: its text (bold if asked), and
// each mask as a dark box with the provision in white.
func drawLine(s Sink, x, base float64, l line, st textStyle, bold bool) {
	for _, p := range l {
		if p.ref != "" {
			s.Add(Item{Kind: ItemRect, X: x + p.x, Y: base - st.below, W: p.w, H: st.leading - 0.6, Color: MaskFill})
			s.Add(Item{Kind: ItemText, X: x + p.x + maskPad, Y: base, Text: p.ref, Size: st.mask, Color: White})
		} else {
			s.Add(Item{Kind: ItemText, X: x + p.x, Y: base, Text: p.text, Size: st.size, Bold: bold, Color: Black})
		}
	}
}

// logGeometry is the table on a landscape page.
type logGeometry struct {
	left   float64
	widths []float64
	top    float64 // top of the header row
	bottom float64 // lowest y a row may reach
}

func newGeometry(cols []Column) logGeometry {
	g := logGeometry{left: logMargin, top: a4Short - logMargin - 14, bottom: logMargin + 12}
	total := 0.0
	for _, c := range cols {
		total += c.Weight
	}
	avail := a4Long - 2*logMargin
	for _, c := range cols {
		g.widths = append(g.widths, avail*c.Weight/total)
	}
	return g
}

// layoutLog lays out the log table and the exemption summary into s and returns its pages.
func layoutLog(d *Disclosure, m Metrics, s Sink) int {
	g := newGeometry(d.Columns)
	pages := 0
	y := 0.0
	table, low := false, 0.0 // whether the page has the table, and its lowest row line
	// finish draws the vertical rules of the table on the page being left.
	finish := func() {
		if !table {
			return
		}
		x := g.left
		for i := range d.Columns[:len(d.Columns)-1] {
			x += g.widths[i]
			s.Add(Item{Kind: ItemLine, X: x, Y: low, H: g.top - low, Color: Rule})
		}
	}
	// newPage starts a page with the title line and, for log pages, the header row.
	newPage := func(header bool) {
		if pages > 0 {
			finish()
		}
		pages++
		s.NewPage(a4Long, a4Short)
		title := pageTitle(d.Authority.Name, d.Title, d.CaseID)
		s.Add(Item{Kind: ItemText, X: g.left, Y: a4Short - logMargin, Text: title, Size: 8, Color: Grey})
		table, low, y = header, g.top, g.top
		if !header {
			return
		}
		// Header row, repeated on every log page.
		s.Add(Item{Kind: ItemRect, X: g.left, Y: g.top - headHeight, W: a4Long - 2*logMargin, H: headHeight, Color: HeadFill})
		x := g.left
		for i, c := range d.Columns {
			s.Add(Item{Kind: ItemText, X: x + cellPad, Y: g.top - headHeight + 4, Text: c.Name, Size: logSize, Bold: true, Color: Black})
			x += g.widths[i]
		}
		y = g.top - headHeight
		low = y
	}
	newPage(true)
	cells := make([][]line, len(d.Columns))
	for _, row := range d.Rows {
		n := 1
		for i, c := range row.Cells {
			cells[i] = wrap(c, g.widths[i]-2*cellPad, m)
			n = max(n, len(cells[i]))
		}
		// Lines of the row, page by page: a row taller than a page continues on the next.
		for done := 0; done < n; {
			fit := int((y - g.bottom - 2*cellPad) / logLeading)
			whole := float64(n)*logLeading+2*cellPad <= g.top-headHeight-g.bottom
			if fit < 1 || (done == 0 && fit < n && whole) { // keep a row on one page when it can be
				newPage(true)
				continue
			}
			take := min(fit, n-done)
			h := float64(take)*logLeading + 2*cellPad
			x := g.left
			for i := range row.Cells {
				for li := done; li < done+take && li < len(cells[i]); li++ {
					base := y - cellPad - logSize - float64(li-done)*logLeading + 0.6
					drawLine(s, x+cellPad, base, cells[i][li], logStyle, false)
				}
				x += g.widths[i]
			}
			y -= h
			low = y
			s.Add(Item{Kind: ItemLine, X: g.left, Y: y, W: a4Long - 2*logMargin, Color: Rule})
			done += take
		}
	}
	finish()
	table = false
	summary(d, s, &y, func() { newPage(false) }, g)
	return pages
}

// summary ends the log with the exemption log: provision, title, number of masks.
func summary(d *Disclosure, s Sink, y *float64, newPage func(), g logGeometry) {
	need := float64(min(len(d.Provisions), 10)+3) * 12 // heading and the first lines stay together
	if *y-need < g.bottom {
		newPage()
	}
	*y -= 22
	s.Add(Item{Kind: ItemText, X: g.left, Y: *y, Text: "Sammanställning av maskningar", Size: 9, Bold: true, Color: Black})
	*y -= 14
	if len(d.Provisions) == 0 {
		s.Add(Item{Kind: ItemText, X: g.left, Y: *y, Text: "Inga uppgifter har maskerats.", Size: logSize, Color: Black})
		return
	}
	cols := []float64{g.left, g.left + 140, g.left + 560}
	for i, h := range []string{"Bestämmelse", "Rubrik", "Antal maskningar"} {
		s.Add(Item{Kind: ItemText, X: cols[i], Y: *y, Text: h, Size: logSize, Bold: true, Color: Black})
	}
	total := 0
	for _, p := range d.Provisions {
		*y -= 11
		if *y < g.bottom {
			newPage()
			*y -= 14
		}
		s.Add(Item{Kind: ItemText, X: cols[0], Y: *y, Text: p.Ref, Size: logSize, Color: Black})
		s.Add(Item{Kind: ItemText, X: cols[1], Y: *y, Text: p.Title, Size: logSize, Color: Black})
		s.Add(Item{Kind: ItemText, X: cols[2], Y: *y, Text: fmt.Sprint(p.Count), Size: logSize, Color: Black})
		total += p.Count
	}
	*y -= 11
	s.Add(Item{Kind: ItemText, X: cols[1], Y: *y, Text: "Totalt", Size: logSize, Bold: true, Color: Black})
	s.Add(Item{Kind: ItemText, X: cols[2], Y: *y, Text: fmt.Sprint(total), Size: logSize, Bold: true, Color: Black})
}

// The letter's page and type.
const (
	letterMargin  = 64.0
	letterSize    = 10.5
	letterLeading = 14.5
)

func layoutLetter(blocks []Block, m Metrics, s Sink) int {
	pages := 0
	y := 0.0
	newPage := func() {
		pages++
		s.NewPage(a4Short, a4Long)
		y = a4Long - letterMargin
	}
	newPage()
	width := a4Short - 2*letterMargin
	for bi, b := range blocks {
		size, leading, before := letterSize, letterLeading, 6.0
		bold := false
		switch {
		case b.Rule:
			y -= 8
			s.Add(Item{Kind: ItemLine, X: letterMargin, Y: y, W: width, Color: Rule})
			y -= 8
			continue
		case b.Level == 1:
			size, leading, before, bold = 17, 21, 0, true
		case b.Level >= 2:
			size, leading, before, bold = 12.5, 17, 12, true
		}
		if bi == 0 {
			before = 0
		}
		y -= before
		indent := 0.0
		if b.Bullet != "" {
			indent = 14
		}
		lines := wrapRuns(b.Runs, width-indent, size, bold, m)
		for li, l := range lines {
			if y-leading < letterMargin {
				newPage()
			}
			y -= leading
			if li == 0 && b.Bullet != "" {
				s.Add(Item{Kind: ItemText, X: letterMargin, Y: y, Text: b.Bullet, Size: size, Color: Black})
			}
			for _, r := range l {
				s.Add(Item{Kind: ItemText, X: letterMargin + indent + r.x, Y: y, Text: r.text, Size: size,
					Bold: r.bold, Italic: r.italic, Color: Black})
			}
		}
	}
	return pages
}

// styledPiece is a run placed on a letter line.
type styledPiece struct {
	x            float64
	text         string
	bold, italic bool
}

// wrapRuns breaks styled runs into lines no wider than width.
func wrapRuns(runs []Run, width, size float64, bold bool, m Metrics) [][]styledPiece {
	var lines [][]styledPiece
	var cur []styledPiece
	x := 0.0
	space := m.Width(" ", size)
	for _, r := range runs {
		if r.Break {
			lines = append(lines, cur)
			cur, x = nil, 0
			continue
		}
		b := bold || r.Bold
		words := strings.Split(r.Text, " ")
		for wi, w := range words {
			if wi > 0 && len(cur) > 0 {
				x += space
			}
			if w == "" {
				continue
			}
			ww := m.Width(w, size)
			if x+ww > width && len(cur) > 0 {
				lines = append(lines, cur)
				cur, x = nil, 0
			}
			if n := len(cur); n > 0 && cur[n-1].bold == b && cur[n-1].italic == r.Italic && wi > 0 {
				cur[n-1].text += " " + w
			} else if n > 0 && cur[n-1].bold == b && cur[n-1].italic == r.Italic && x == cur[n-1].x+m.Width(cur[n-1].text, size) {
				cur[n-1].text += w
			} else {
				cur = append(cur, styledPiece{x: x, text: w, bold: b, italic: r.Italic})
			}
			x += ww
		}
	}
	if len(cur) > 0 || len(lines) == 0 {
		lines = append(lines, cur)
	}
	return lines
}

// TextDump writes the layout as text, one item per line, for golden tests: what is where
// on which page, without PDF bytes.
func (doc *Document) TextDump() string {
	var b strings.Builder
	for i, p := range doc.Pages {
		fmt.Fprintf(&b, "== sida %d (%.0f×%.0f)\n", i+1, p.Width, p.Height)
		for _, it := range p.Items {
			switch it.Kind {
			case ItemText:
				style := ""
				if it.Bold {
					style += "b"
				}
				if it.Italic {
					style += "i"
				}
				if it.Color == White {
					style += "w"
				}
				fmt.Fprintf(&b, "text %6.1f %6.1f %4.1f%-3s %s\n", it.X, it.Y, it.Size, style, it.Text)
			case ItemRect:
				fmt.Fprintf(&b, "rect %6.1f %6.1f %6.1f×%.1f\n", it.X, it.Y, it.W, it.H)
			}
		}
	}
	return b.String()
}
