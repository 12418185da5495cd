package render

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite golden files")

// fixed measures every rune as half the font size: layout tests do not depend on a font.
type fixed struct{}

func (fixed) Width(s string, size float64) float64 {
	return float64(utf8.RuneCountInString(s)) * size * 0.5
}

const testLetter = `# {{.Myndighet.Namn}}

**Ärende:** {{.Ärende}}{{with .Fält.frågeställare}}  
**Till:** {{.}}{{end}}

Loggen för {{.Fält.medarbetare}}: {{.Rader}} e-mail på {{.LoggSidor}} sidor.
{{if .Maskat}}
## Sekretess

{{range .Bestämmelser}}- **{{.Hänvisning}}**, {{.Rubrik}}: {{.Antal}}
{{end}}{{end}}`

func testDisclosure(rows int) *Disclosure {
	d := &Disclosure{
		CaseID: "2026-0042", Title: "Utlämnande av e-postlogg", Date: "2026-11-20",
		Authority: Authority{Name: "Region Exempel", Address: "Box 1"}, Court: "Kammarrätten i Stockholm",
		Fields:  map[string]string{"medarbetare": "Erik Exempel"},
		Columns: []Column{{"Nr", 7}, {"Datum", 17}, {"Mapp", 10}, {"Från", 32}, {"Till", 40}, {"Ämne", 60}, {"Markering", 11}},
		Letter:  testLetter, Producer: "processor test",
	}
	for i := 1; i <= rows; i++ {
		subject := Cell{{Text: fmt.Sprintf("Ämne nummer %d om budget och planering", i)}}
		if i%3 == 0 {
			subject = Cell{{Text: "Ang. patient "}, {Ref: "25 kap. 1 § OSL"}, {Text: ", remiss"}}
		}
		d.Rows = append(d.Rows, Row{Cells: []Cell{{{Text: fmt.Sprint(i)}}, {{Text: "2026-10-05 08:12"}}, {{Text: "Inkorg"}},
			{{Text: "anna.andersson@region.example"}}, {{Text: "erik.exempel@region.example"}}, subject, {{Text: ""}}}})
	}
	d.Provisions = []ProvisionLine{{"25 kap. 1 § OSL", "Hälso- och sjukvård", rows / 3}}
	return d
}

func TestWrap(t *testing.T) {
	m := fixed{}
	// 3.75 pt a rune at 7.5 pt: 20 runes fit in 75 pt.
	lines := wrap(Cell{{Text: "ett två tre fyra fem sex sju"}}, 75, m)
	var got []string
	for _, l := range lines {
		var b strings.Builder
		for _, p := range l {
			b.WriteString(p.text + p.ref)
		}
		got = append(got, b.String())
	}
	if strings.Join(got, "|") != "ett två tre fyra fem|sex sju" {
		t.Errorf("words: %q", got)
	}
	long := wrap(Cell{{Text: "en.mycket.lång.adress.utan.mellanslag@region.example"}}, 75, m)
	if len(long) != 3 {
		t.Errorf("a long address must break between characters: %d lines", len(long))
	}
	for _, l := range long {
		for _, p := range l {
			if p.w > 75.01 {
				t.Errorf("piece wider than the column: %v", p)
			}
		}
	}
	nl := wrap(Cell{{Text: "rad ett\nrad två"}}, 500, m)
	if len(nl) != 2 {
		t.Errorf("a line break in a cell starts a new line: %d", len(nl))
	}
}

// A mask's box depends only on the provision it shows, never on what it hides.
func TestMaskWidthIndependentOfHiddenText(t *testing.T) {
	a := wrap(Cell{{Text: "Ang. "}, {Ref: "25 kap. 1 § OSL"}}, 500, fixed{})
	b := wrap(Cell{{Text: "Ang. "}, {Ref: "25 kap. 1 § OSL"}, {Text: ""}}, 500, fixed{})
	if a[0][1].w != b[0][1].w || a[0][1].ref == "" {
		t.Errorf("mask widths differ: %v %v", a, b)
	}
}

func TestLayoutPaginationAndNumbering(t *testing.T) {
	d := testDisclosure(250)
	doc, err := Layout(d, fixed{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.LetterPages != 1 || doc.LogPages < 5 {
		t.Fatalf("pages: letter %d log %d", doc.LetterPages, doc.LogPages)
	}
	total := len(doc.Pages)
	seen := map[string]bool{}
	for i, p := range doc.Pages {
		var texts []string
		for _, it := range p.Items {
			if it.Kind == ItemText {
				texts = append(texts, it.Text)
				seen[it.Text] = true
			}
			if it.Y < 10 || it.Y > p.Height-10 || it.X < 10 || it.X > p.Width {
				t.Errorf("page %d: item outside the page: %+v", i+1, it)
			}
		}
		all := strings.Join(texts, "\n")
		if !strings.Contains(all, fmt.Sprintf("Ärende 2026-0042 · Sida %d av %d", i+1, total)) {
			t.Errorf("page %d lacks its page number", i+1)
		}
		if i >= doc.LetterPages && !strings.Contains(all, "\nÄmne\n") {
			t.Errorf("log page %d lacks the header row", i+1)
		}
	}
	for i := 1; i <= 250; i++ {
		if !seen[fmt.Sprint(i)] {
			t.Fatalf("row %d missing from the layout", i)
		}
	}
	if !seen["Sammanställning av maskningar"] || !seen[fmt.Sprintf("%d e-mail på %d sidor.", 250, doc.LogPages)] && !strings.Contains(doc.TextDump(), fmt.Sprintf("%d sidor", doc.LogPages)) {
		t.Error("summary or the letter's page count missing")
	}
}

func TestLetterAnonymousRequester(t *testing.T) {
	d := testDisclosure(3)
	doc, err := Layout(d, fixed{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(doc.TextDump(), "Till:") {
		t.Error("an anonymous requester must not get a Till: line")
	}
	d.Fields["frågeställare"] = "Åsa Öberg"
	doc, _ = Layout(d, fixed{})
	if !strings.Contains(doc.TextDump(), "Åsa Öberg") {
		t.Error("a named requester is shown")
	}
}

func TestLetterTemplateErrors(t *testing.T) {
	for _, src := range []string{"{{.Ärende", "{{.Okänt.Fält}}", "<div>html</div>\n"} {
		d := testDisclosure(1)
		d.Letter = src
		if _, err := Layout(d, fixed{}); err == nil {
			t.Errorf("template %q accepted", src)
		}
	}
}

func TestLayoutGolden(t *testing.T) {
	doc, err := Layout(testDisclosure(40), fixed{})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "testdata/layout.golden", doc.TextDump())
}

// checkGolden compares got with the golden file (or rewrites it with -update).
func checkGolden(t *testing.T, file, got string) {
	t.Helper()
	if *update {
		os.WriteFile(file, []byte(got), 0o644)
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("layout differs from %s (run with -update and read the diff)", file)
	}
}
