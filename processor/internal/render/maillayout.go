package render

import (
	"fmt"
	"strconv"
	"strings"
)

// The e-mails' pages: A4 portrait, as the letter.
const (
	mailMargin = 56.0
	mailWidth  = a4Short - 2*mailMargin
	mailTitleY = a4Long - 36 // baseline of the grey title line
	mailBottom = 40.0        // lowest a line may reach (the footer is at 16)
	mailGap    = 8.0         // between columns
	mailNrW    = 30.0        // the Nr column of the tables
)

// Text styles of the e-mails' pages. A mask is drawn as in the log, scaled to the text.
var (
	mailStyle    = textStyle{size: 9, mask: 8.2, leading: 11.6, below: 2.4}
	mailHead     = textStyle{size: 13, mask: 11.8, leading: 17, below: 3.2}
	mailSection  = textStyle{size: 10.5, mask: 9.5, leading: 14, below: 2.8}
	mailGreyNote = textStyle{size: 8, mask: 7.3, leading: 10, below: 2}
)

// LayoutMail lays out the letter and the e-mails as a Document (for tests and small
// documents; PDFs are written from LayoutMailTo without keeping the items).
func LayoutMail(d *MailDisclosure, m Metrics) (*Document, error) {
	doc := &Document{}
	letter, mails, err := LayoutMailTo(d, m, doc)
	doc.LetterPages, doc.MailPages = letter, mails
	return doc, err
}

// LayoutMailTo lays out the letter, each released e-mail from a new page, and the list of
// the e-mails withheld, into s, with "Ärende … · Sida X av Y" on every page.
func LayoutMailTo(d *MailDisclosure, m Metrics, s Sink) (letterPages, mailPages int, err error) {
	if err := d.check(); err != nil {
		return 0, 0, err
	}
	blocks, err := d.letterBlocks()
	if err != nil {
		return 0, 0, err
	}
	letterPages = layoutLetter(blocks, m, s)
	mailPages = layoutMails(d, m, s)
	total := letterPages + mailPages
	footers(s, m, d.CaseID, total, total, a4Short)
	return letterPages, mailPages, nil
}

// mailPager places lines on the e-mails' pages from the top down, starting pages as
// needed.
type mailPager struct {
	s     Sink
	m     Metrics
	title []line // the grey title line(s) at the top of every page
	pages int
	y     float64 // the top of the next line
	fresh bool    // nothing drawn on the page yet but its title
	cont  string  // what a page continues, "E-postmeddelande nr 7, forts.", or ""
}

func layoutMails(d *MailDisclosure, m Metrics, s Sink) int {
	p := &mailPager{s: s, m: m,
		title: wrapStyle(Cell{{Text: pageTitle(d.Authority.Name, d.Title, d.CaseID)}}, mailWidth, mailGreyNote, m)}
	for _, ml := range d.Mails {
		p.mail(ml, d.LogCase)
	}
	if len(d.Withheld) > 0 {
		p.withheld(d)
	}
	return p.pages
}

func (p *mailPager) newPage() {
	p.pages++
	p.s.NewPage(a4Short, a4Long)
	y := mailTitleY
	for _, l := range p.title {
		for _, pc := range l {
			p.s.Add(Item{Kind: ItemText, X: mailMargin + pc.x, Y: y, Text: pc.text, Size: mailGreyNote.size, Color: Grey})
		}
		y -= mailGreyNote.leading
	}
	p.y = p.top()
	if p.cont != "" {
		p.s.Add(Item{Kind: ItemText, X: mailMargin, Y: p.y - mailGreyNote.size, Text: p.cont, Size: mailGreyNote.size, Italic: true, Color: Grey})
		p.y -= mailGreyNote.leading + 6
	}
	p.fresh = true
}

// top is where the lines of a page begin, below the title.
func (p *mailPager) top() float64 {
	return mailTitleY - float64(len(p.title)-1)*mailGreyNote.leading - 10
}

// room starts a new page unless h points are left on this one (or nothing is on it yet).
func (p *mailPager) room(h float64) {
	if p.y-h < mailBottom && !p.fresh {
		p.newPage()
	}
}

// span is the height a page that continues something has for lines.
func (p *mailPager) span() float64 {
	return p.top() - (mailGreyNote.leading + 6) - mailBottom
}

// column is wrapped lines at x (from the left margin), bold or not.
type column struct {
	x     float64
	lines []line
	bold  bool
}

// row draws columns side by side, line by line, breaking pages between lines. With keep,
// a row that fits on a page is not split.
func (p *mailPager) row(st textStyle, keep bool, cols ...column) {
	n := 0
	for _, c := range cols {
		n = max(n, len(c.lines))
	}
	if h := float64(n) * st.leading; keep && h <= p.span() {
		p.room(h)
	}
	for li := range n {
		p.room(st.leading)
		p.y -= st.leading
		base := p.y + st.below + 0.3
		for _, c := range cols {
			if li < len(c.lines) {
				drawLine(p.s, mailMargin+c.x, base, c.lines[li], st, c.bold)
			}
		}
		p.fresh = false
	}
}

// text draws a plain string wrapped to the page width.
func (p *mailPager) text(s string, st textStyle, bold bool) {
	p.row(st, true, column{lines: wrapStyle(Cell{{Text: s}}, mailWidth, st, p.m), bold: bold})
}

// mail lays out one released e-mail from a new page.
func (p *mailPager) mail(ml Mail, logCase string) {
	m := p.m
	p.cont = ""
	p.newPage()
	p.text(fmt.Sprintf("E-postmeddelande nr %d (rad %d i e-postloggen, ärende %s)", ml.Nr, ml.Nr, logCase), mailHead, true)
	p.y -= 6
	p.cont = fmt.Sprintf("E-postmeddelande nr %d, forts.", ml.Nr)

	header, body := splitHeader(ml.Lines)
	labels := make([]string, len(header))
	values := make([]Cell, len(header))
	tab := 0.0
	for i, c := range header {
		labels[i], values[i] = splitLabel(c)
		if labels[i] != "" {
			tab = max(tab, m.Width(labels[i], mailStyle.size)+mailGap)
		}
	}
	tab = min(tab, mailWidth/4)
	for i := range header {
		p.row(mailStyle, true,
			column{lines: wrapStyle(Cell{{Text: labels[i]}}, tab-mailGap, mailStyle, m), bold: true},
			column{x: tab, lines: wrapStyle(values[i], mailWidth-tab, mailStyle, m)})
	}
	if len(header) > 0 {
		p.y -= 4
		p.s.Add(Item{Kind: ItemLine, X: mailMargin, Y: p.y, W: mailWidth, Color: Rule})
		p.y -= 4
	}
	for _, c := range body {
		if blank(c) {
			p.room(mailStyle.leading)
			p.y -= mailStyle.leading
			p.fresh = false
			continue
		}
		indent, rest := indentation(c, m)
		p.row(mailStyle, false, column{x: indent, lines: wrapStyle(rest, mailWidth-indent, mailStyle, m)})
	}
	if len(ml.Attachments) == 0 {
		return
	}
	p.y -= 12
	p.room(mailSection.leading + 3*mailStyle.leading)
	p.text("Beslut om bilagor", mailSection, true)
	nameW := (mailWidth - mailNrW) * 0.5
	cols := func(nr, name, decision Cell, bold bool) []column {
		return []column{
			{lines: wrapStyle(nr, mailNrW-mailGap, mailStyle, m), bold: bold},
			{x: mailNrW, lines: wrapStyle(name, nameW-mailGap, mailStyle, m), bold: bold},
			{x: mailNrW + nameW, lines: wrapStyle(decision, mailWidth-mailNrW-nameW, mailStyle, m), bold: bold},
		}
	}
	p.row(mailStyle, true, cols(Cell{{Text: "Nr"}}, Cell{{Text: "Bilaga"}}, Cell{{Text: "Beslut"}}, true)...)
	for _, a := range ml.Attachments {
		p.row(mailStyle, true, cols(Cell{{Text: strconv.Itoa(a.Nr)}}, a.Name, Cell{{Text: a.Decision}}, false)...)
	}
}

// withheld lists the requested e-mails that are not released, from a new page.
func (p *mailPager) withheld(d *MailDisclosure) {
	m := p.m
	p.cont = ""
	p.newPage()
	p.text("E-postmeddelanden som inte lämnas ut", mailHead, true)
	p.y -= 4
	p.text(fmt.Sprintf("Nr är raden i den e-postlogg som lämnades ut i ärende %s.", d.LogCase), mailStyle, false)
	p.y -= 6
	p.cont = "E-postmeddelanden som inte lämnas ut, forts."
	refW := 120.0
	reasonW := mailWidth - mailNrW - refW
	cols := func(nr, reason, ref string, bold bool) []column {
		return []column{
			{lines: wrapStyle(Cell{{Text: nr}}, mailNrW-mailGap, mailStyle, m), bold: bold},
			{x: mailNrW, lines: wrapStyle(Cell{{Text: reason}}, reasonW-mailGap, mailStyle, m), bold: bold},
			{x: mailNrW + reasonW, lines: wrapStyle(Cell{{Text: ref}}, refW, mailStyle, m), bold: bold},
		}
	}
	p.row(mailStyle, true, cols("Nr", "Skäl", "Bestämmelse", true)...)
	for _, w := range sortedWithheld(d.Withheld) {
		p.row(mailStyle, true, cols(strconv.Itoa(w.Nr), w.Reason, w.Ref, false)...)
	}
}

// splitHeader splits a review text at its first blank line: the header lines before it,
// the body after it. Without a blank line every line is a header line.
func splitHeader(lines []Cell) (header, body []Cell) {
	for i, c := range lines {
		if blank(c) {
			return lines[:i], lines[i+1:]
		}
	}
	return lines, nil
}

// blank is an empty line: no masks, no text but spaces (or a carriage return).
func blank(c Cell) bool {
	for _, s := range c {
		if s.Ref != "" || strings.TrimLeft(s.Text, " \t\r") != "" {
			return false
		}
	}
	return true
}

// splitLabel splits a header line "Från: Anna <anna@…>" into its label, "Från:", and the
// rest. A line whose first segment has no ": " (or is a mask) has no label. A label ends at
// the line's first ": ", or is the whole line when it ends with ":".
func splitLabel(c Cell) (label string, value Cell) {
	if len(c) == 0 || c[0].Ref != "" {
		return "", c
	}
	t := c[0].Text
	i := strings.Index(t, ": ")
	if i < 0 {
		if len(c) == 1 && strings.HasSuffix(t, ":") && len(t) > 1 && !strings.Contains(t, " ") {
			return t, nil
		}
		return "", c
	}
	if strings.TrimSpace(t[:i]) == "" {
		return "", c
	}
	value = make(Cell, 0, len(c))
	if rest := strings.TrimLeft(t[i+2:], " "); rest != "" {
		value = append(value, Segment{Text: rest})
	}
	return t[:i+1], append(value, c[1:]...)
}

// indentation is the indent of a body line that begins with spaces or tabs (a tab counts
// as four spaces, the indent at most a third of the page), and the line without them.
func indentation(c Cell, m Metrics) (float64, Cell) {
	if len(c) == 0 || c[0].Ref != "" {
		return 0, c
	}
	t := c[0].Text
	lead := t[:len(t)-len(strings.TrimLeft(t, " \t"))]
	n := strings.Count(lead, " ") + 4*strings.Count(lead, "\t")
	if n == 0 {
		return 0, c
	}
	rest := append(Cell{{Text: t[len(lead):]}}, c[1:]...)
	return min(float64(n)*m.Width(" ", mailStyle.size), mailWidth/3), rest
}
