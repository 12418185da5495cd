package render

import (
	"bytes"
	"fmt"
	"strings"
	"text/template"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// LetterData is what a cover letter template can use, with Swedish names for the authors
// of templates: {{.Ärende}}, {{.Myndighet.Namn}}, {{range .Bestämmelser}} … .
type LetterData struct {
	letterHead
	Rader        int
	LoggSidor    int
	Privata      int
	Maskat       bool
	Maskningar   int
	Bestämmelser []LetterProvision
}

// letterHead is what every letter template can use: the case, the date, the authority.
type letterHead struct {
	Ärende     string
	Datum      string
	Titel      string
	Myndighet  LetterAuthority
	Kammarrätt string
	// Fält holds the case values the type names in utlämnande.fält: {{.Fält.medarbetare}}.
	// A value not given is missing, so {{with .Fält.frågeställare}} … {{end}} shows nothing
	// for an anonymous requester.
	Fält map[string]string
	// Handläggare is the official who handled the request: {{.Handläggare.Namn}},
	// {{.Handläggare.Titel}}, {{.Handläggare.EPost}}, {{.Handläggare.Telefon}}.
	Handläggare LetterOfficial
}

func newLetterHead(caseID, date, title string, a Authority, court string, fields map[string]string) letterHead {
	h := letterHead{Ärende: caseID, Datum: date, Titel: title, Kammarrätt: court, Fält: make(map[string]string, len(fields)),
		Myndighet: LetterAuthority{a.Name, a.Address, a.Email, a.Phone}}
	for k, v := range fields {
		h.Fält[k] = v
	}
	return h
}

// with names the official who handled the case, when there is one.
func (h letterHead) with(o *Official) letterHead {
	if o != nil {
		h.Handläggare = LetterOfficial{o.Name, o.Title, o.Delegation, o.Email, o.Phone}
	}
	return h
}

// LetterAuthority is the authority in a letter template.
type LetterAuthority struct{ Namn, Postadress, EPost, Telefon string }

// LetterProvision is one applied provision in a letter template.
type LetterProvision struct {
	Hänvisning string
	Rubrik     string
	Antal      int
}

func (d *Disclosure) letterData(logPages int) LetterData {
	ld := LetterData{
		letterHead: newLetterHead(d.CaseID, d.Date, d.Title, d.Authority, d.Court, d.Fields).with(d.Official),
		Rader:      len(d.Rows), LoggSidor: logPages, Privata: d.Private, Maskat: d.Masks() > 0, Maskningar: d.Masks(),
	}
	for _, p := range d.Provisions {
		ld.Bestämmelser = append(ld.Bestämmelser, LetterProvision{p.Ref, p.Title, p.Count})
	}
	return ld
}

// LetterError is a cover letter template that cannot be used, in Swedish.
type LetterError struct{ Msg string }

func (e *LetterError) Error() string { return e.Msg }

// CheckLetter parses a letter template and runs it on sample data, so a broken template is
// found when the type is checked, not when a PDF is due.
func CheckLetter(src string) error {
	d := &Disclosure{CaseID: "2026-0001", Date: "2026-01-01", Provisions: []ProvisionLine{{"25 kap. 1 § OSL", "Hälso- och sjukvård", 1}},
		Official: &Official{Name: "Rita Registrator", Title: "Registrator", Email: "rita@region.example"}}
	_, err := d.letterMarkdown(src, 1)
	return err
}

func (d *Disclosure) letterMarkdown(src string, logPages int) (string, error) {
	return fillLetter(src, d.letterData(logPages))
}

// fillLetter fills a letter template with data (LetterData or MailLetterData).
func fillLetter(src string, data any) (string, error) {
	t, err := template.New("brev").Option("missingkey=zero").Parse(src)
	if err != nil {
		return "", &LetterError{"brevmallen kan inte läsas: " + strings.TrimPrefix(err.Error(), "template: ")}
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", &LetterError{"brevmallen kan inte fyllas i: " + strings.TrimPrefix(err.Error(), "template: ")}
	}
	return b.String(), nil
}

// Run is a piece of text in a block, bold and/or italic.
type Run struct {
	Text   string
	Bold   bool
	Italic bool
	Break  bool // a hard line break before this run
}

// Block is a heading (Level 1–6), a paragraph (Level 0), a list item (Bullet) or a rule.
type Block struct {
	Level  int
	Bullet string // "•" or "1." for list items
	Rule   bool
	Runs   []Run
}

// letterBlocks fills the template and turns the Markdown into blocks.
func (d *Disclosure) letterBlocks(logPages int) ([]Block, error) {
	md, err := d.letterMarkdown(d.Letter, logPages)
	if err != nil {
		return nil, err
	}
	return markdownBlocks(md)
}

// markdownBlocks turns a filled letter (Markdown) into blocks.
func markdownBlocks(md string) ([]Block, error) {
	src := []byte(md)
	doc := goldmark.New().Parser().Parse(text.NewReader(src))
	var blocks []Block
	var walk func(n ast.Node, depth int) error
	walk = func(n ast.Node, depth int) error {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Heading:
				blocks = append(blocks, Block{Level: c.Level, Runs: inline(c, src)})
			case *ast.Paragraph, *ast.TextBlock:
				blocks = append(blocks, Block{Runs: inline(c, src)})
			case *ast.List:
				i := c.Start
				for item := c.FirstChild(); item != nil; item = item.NextSibling() {
					bullet := "•"
					if c.IsOrdered() {
						bullet = fmt.Sprintf("%d.", i)
						i++
					}
					var runs []Run
					for p := item.FirstChild(); p != nil; p = p.NextSibling() {
						if len(runs) > 0 {
							runs = append(runs, Run{Break: true})
						}
						runs = append(runs, inline(p, src)...)
					}
					blocks = append(blocks, Block{Bullet: bullet, Runs: runs})
				}
			case *ast.ThematicBreak:
				blocks = append(blocks, Block{Rule: true})
			case *ast.HTMLBlock, *ast.CodeBlock, *ast.FencedCodeBlock:
				return &LetterError{"brevmallen innehåller HTML eller kod, som inte kan visas i brevet"}
			default:
				if err := walk(c, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk(doc, 0); err != nil {
		return nil, err
	}
	return blocks, nil
}

// inline collects the text runs of a block.
func inline(n ast.Node, src []byte) []Run {
	var runs []Run
	var visit func(n ast.Node, bold, italic bool)
	visit = func(n ast.Node, bold, italic bool) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				runs = append(runs, Run{Text: string(c.Segment.Value(src)), Bold: bold, Italic: italic})
				switch {
				case c.HardLineBreak():
					runs = append(runs, Run{Break: true})
				case c.SoftLineBreak():
					runs = append(runs, Run{Text: " ", Bold: bold, Italic: italic})
				}
			case *ast.String:
				runs = append(runs, Run{Text: string(c.Value), Bold: bold, Italic: italic})
			case *ast.Emphasis:
				visit(c, bold || c.Level >= 2, italic || c.Level == 1)
			case *ast.CodeSpan, *ast.Link, *ast.AutoLink:
				visit(c, bold, italic)
				if al, ok := c.(*ast.AutoLink); ok {
					runs = append(runs, Run{Text: string(al.URL(src)), Bold: bold, Italic: italic})
				}
			default:
				visit(c, bold, italic)
			}
		}
	}
	visit(n, false, false)
	return runs
}
