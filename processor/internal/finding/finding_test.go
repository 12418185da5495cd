package finding

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestString(t *testing.T) {
	for _, tc := range []struct {
		f    Finding
		want string
	}{
		{Finding{File: "a/request.md", Line: 3, Col: 7, Rule: "r", Message: "fel  här\n", Hint: "gör så"},
			"a/request.md:3:7: r: fel här (tips: gör så)"},
		{Finding{File: "a.tsv", Line: 3, Rule: "r", Severity: Warning, Message: "m"}, "a.tsv:3: r: varning: m"},
		{Finding{File: "e-postlogg.xlsx", Cell: "Logg!F17", Rule: "r", Message: "m"}, "e-postlogg.xlsx:Logg!F17: r: m"},
		{Finding{File: "cases/x", Rule: "r", Message: "m"}, "cases/x: r: m"},
	} {
		if got := tc.f.String(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

func TestSortedOrdersCellsNaturallyAndDeduplicates(t *testing.T) {
	l := List{
		{File: "b", Line: 1, Rule: "r", Message: "m"},
		{File: "a", Cell: "Logg!F10", Rule: "r", Message: "m"},
		{File: "a", Cell: "Logg!F9", Rule: "r", Message: "m"},
		{File: "a", Cell: "Logg!AA9", Rule: "r", Message: "m"},
		{File: "a", Line: 2, Col: 1, Rule: "r", Message: "m"},
		{File: "b", Line: 1, Rule: "r", Message: "m"},
	}
	var got []string
	for _, f := range l.Sorted() {
		got = append(got, f.Pos())
	}
	want := "a:Logg!F9 a:Logg!AA9 a:Logg!F10 a:2:1 b:1"
	if strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s", got, want)
	}
	if l.HasErrors() != true || (List{{Severity: Warning}}).HasErrors() {
		t.Error("HasErrors")
	}
}

// Text from the input (a file name, a heading read from a UTF-16 file as bytes, a cell) must
// not reach the terminal as control characters: String and Pos escape them, once, here.
func TestStringEscapesControlCharacters(t *testing.T) {
	f := Finding{
		File:    "cases/2026-0001/arbetsyta/export/ex\x1b[2Jport\n.csv",
		Line:    1,
		Rule:    "råexport-innehåll",
		Message: "Rubrikerna i filen är: D\x00a\x00t\x00u\x00m\x00, \x1b]0;titel\x07Från\u009b31m, \u202eenmaN\u202c\xff\tslut",
		Hint:    "tips med\r\nny rad och \x7f",
	}
	got := f.String()
	want := `cases/2026-0001/arbetsyta/export/ex\x1b[2Jport\x0a.csv:1: råexport-innehåll: ` +
		`Rubrikerna i filen är: D\x00a\x00t\x00u\x00m\x00, \x1b]0;titel\x07Från\u009b31m, \u202eenmaN\u202c\xff slut (tips: tips med ny rad och \x7f)`
	if got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
	for i, r := range got {
		if r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || r == utf8.RuneError {
			t.Errorf("String() has %U at %d", r, i)
		}
	}
	if got := (Finding{File: "a\tb.csv", Cell: "Blad\x001!A1"}).Pos(); got != "a\tb.csv:Blad\\x001!A1" {
		t.Errorf("Pos() = %q: a tab is kept, a NUL escaped", got)
	}
	if got := Printable("Åsa Öberg – 10 € \ufffd"); got != "Åsa Öberg – 10 € \ufffd" {
		t.Errorf("Printable changed clean text: %q", got)
	}
	if got := PrintableLines("git: fel\nhint: rad två\r\x1b[0m"); got != `git: fel`+"\n"+`hint: rad två\x0d\x1b[0m` {
		t.Errorf("PrintableLines = %q", got)
	}
}

// FuzzPrintable: whatever the input, the output is valid UTF-8 without a control character
// (Printable) or with line feeds only (PrintableLines), and escaping twice changes nothing.
func FuzzPrintable(f *testing.F) {
	for _, s := range []string{"", "abc", "\x00\x1b[31m", "\u009b\u202e\u2028", "\xff\xfe", "å\tä\nö\r", "\ufffd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, lines := range []bool{false, true} {
			p := printable(s, lines)
			if !utf8.ValidString(p) {
				t.Fatalf("printable(%q) = %q is not UTF-8", s, p)
			}
			for _, r := range p {
				if escaped(r, lines) {
					t.Fatalf("printable(%q) = %q keeps %U", s, p, r)
				}
			}
			if again := printable(p, lines); again != p {
				t.Fatalf("printable twice: %q, then %q", p, again)
			}
		}
	})
}
