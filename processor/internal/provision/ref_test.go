package provision

import (
	"errors"
	"strings"
	"testing"
)

func TestParseCanonical(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"[25 kap. 1 § OSL]", "25 kap. 1 § OSL"},
		{"25 kap. 1 § OSL", "25 kap. 1 § OSL"},
		{"[OSL 25:1]", "25 kap. 1 § OSL"},
		{"[osl 25 : 1]", "25 kap. 1 § OSL"},
		{"[17 kap. 3 b § OSL]", "17 kap. 3 b § OSL"},
		{"[OSL 17:3 b]", "17 kap. 3 b § OSL"},
		{"[OSL 17:3b]", "17 kap. 3 b § OSL"},
		{"[39 kap. 3 § tredje stycket OSL]", "39 kap. 3 § tredje stycket OSL"},
		{"[39 kap. 3 § 3 st. OSL]", "39 kap. 3 § tredje stycket OSL"},
		{"[OSL 39:3 tredje stycket]", "39 kap. 3 § tredje stycket OSL"},
		{"[18 kap. 8 § p. 3 OSL]", "18 kap. 8 § p. 3 OSL"},
		{"[18 kap. 8 § punkt 4 OSL]", "18 kap. 8 § p. 4 OSL"},
		{"[18 kap. 8 § 3 p. OSL]", "18 kap. 8 § p. 3 OSL"},
		{"[  25   kap.   1   §   OSL  ]", "25 kap. 1 § OSL"},
		{"[25 kap 1 § OSL]", "25 kap. 1 § OSL"},
		{"[25 kap. 1 OSL]", "25 kap. 1 § OSL"},
		{"[25kap.1§OSL]", "25 kap. 1 § OSL"},
		{"[25\u00a0kap.\u00a01\u00a0§\u00a0OSL]", "25 kap. 1 § OSL"},
		{"[26 kap. 14 c § OSL]", "26 kap. 14 c § OSL"},
		{"[OSL 25 kap. 1 §]", "25 kap. 1 § OSL"},
		{"[25 kap. 1 § offentlighets- och sekretesslagen (2009:400)]", "25 kap. 1 § OSL"},
		{"[25 kapitlet 1 § OSL]", "25 kap. 1 § OSL"},
		{"[39 kap. 3 § första stycket p. 2 OSL]", "39 kap. 3 § första stycket p. 2 OSL"},
	} {
		r, err := Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if got := r.String(); got != tc.want {
			t.Errorf("Parse(%q) = %q, want %q", tc.in, got, tc.want)
		}
		// The canonical form reads back to the same reference.
		again, err := Parse("[" + r.String() + "]")
		if err != nil || again != r {
			t.Errorf("canonical %q does not read back: %v %v", r.String(), again, err)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, tc := range []struct{ in, msgPart string }{
		{"[]", "tom hänvisning"},
		{"[25 kap. 1 §]", "saknar lagens namn"},
		{"[2 kap. 18 § TF]", "hänvisar inte till offentlighets- och sekretesslagen"},
		{"[SekrL 7:1]", "hänvisar inte till"},
		{"[OSL]", "kan läsas"},
		{"[OSL 25]", "kan läsas"},
		{"[kap. 1 § OSL]", "kan läsas"},
		{"[25 kap. § OSL]", "kan läsas"},
		{"[0 kap. 1 § OSL]", "nummer 0"},
		{"[25 kap. 1 § hemligt OSL]", "kan läsas"},
		{"[25 kap. 1 § p OSL]", "kan läsas"},
		{"[25 kap. 1 § 0 st. OSL]", "nummer 0"},
	} {
		_, err := Parse(tc.in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) = %v, want a ParseError", tc.in, err)
			continue
		}
		if !strings.Contains(pe.Msg, tc.msgPart) || pe.Hint == "" {
			t.Errorf("Parse(%q) message %q (hint %q), want it to contain %q and a hint", tc.in, pe.Msg, pe.Hint, tc.msgPart)
		}
	}
}

const testCatalog = "hänvisning\trubrik\tskaderekvisit\n" +
	"17 kap. 3 b §\tVisselblåsarärende\trakt\n" +
	"25 kap. 1 §\tHälso- och sjukvård\tomvänt\n" +
	"25 kap. 7 §\tAnmälare i hälso- och sjukvård\tkvalificerat rakt\n" +
	"39 kap. 3 §\tPersonal\tkvalificerat rakt/omvänt\n"

func TestResolve(t *testing.T) {
	c, fs := ParseCatalog("k.tsv", strings.NewReader(testCatalog))
	if len(fs) != 0 {
		t.Fatalf("findings: %v", fs)
	}
	ref, p, err := c.Resolve("[39 kap. 3 § tredje stycket OSL]")
	if err != nil || p.Title != "Personal" || ref.Stycke != 3 {
		t.Fatalf("Resolve stycke: %v %v %v", ref, p, err)
	}
	for _, tc := range []struct{ in, near string }{
		{"[25 kap. 2 § OSL]", "25 kap. 1 § OSL"},
		{"[25 kap. 6 § OSL]", "25 kap. 7 § OSL"},
		{"[17 kap. 3 § OSL]", "17 kap. 3 b § OSL"},
		{"[26 kap. 1 § OSL]", "25 kap. 1 § OSL"},
	} {
		_, _, err := c.Resolve(tc.in)
		var pe *ParseError
		if !errors.As(err, &pe) || !strings.Contains(pe.Msg, "finns inte i bestämmelsekatalogen") {
			t.Errorf("Resolve(%q) = %v, want unknown-provision error", tc.in, err)
			continue
		}
		if !strings.Contains(pe.Hint, "menade du "+tc.near) {
			t.Errorf("Resolve(%q) hint %q, want nearest %q", tc.in, pe.Hint, tc.near)
		}
	}
}

func TestParseCatalogFindings(t *testing.T) {
	in := "\ufeffhänvisning\trubrik\tskaderekvisit\r\n" +
		"25 kap. 1 §\tHälso- och sjukvård\tomvänt\r\n" +
		"# kommentar\n" +
		"25 kap. 1 §\tDubblett\tomvänt\n" +
		"trasig rad\n" +
		"xx kap\tA\tB\n" +
		"39 kap. 3 § tredje stycket\tPersonal\trakt\n" +
		"26 kap. 1 §\t\tomvänt\n"
	c, fs := ParseCatalog("k.tsv", strings.NewReader(in))
	var lines []int
	for _, f := range fs {
		lines = append(lines, f.Line)
	}
	want := []int{4, 5, 6, 7, 8}
	if len(lines) != len(want) {
		t.Fatalf("findings at lines %v, want %v: %v", lines, want, fs)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Fatalf("findings at lines %v, want %v", lines, want)
		}
	}
	if len(c.List) != 2 {
		t.Errorf("kept %d provisions, want 2 (25:1 and 26:1)", len(c.List))
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"[25 kap. 1 § OSL]", "[OSL 25:1]", "[17 kap. 3 b § OSL]", "[39 kap. 3 § tredje stycket OSL]",
		"[18 kap. 8 § p. 3 OSL]", "[OSL 17:3b]", "[]", "[OSL]", "[25 kap. 1 §]", "[\u00a0]",
		"25 kap. 1 §", "alla myndigheter", "hälso- och sjukvård (myndighetens egen)", "socialtjänst\textra", "gäller_hos", " \r"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkCatalogText(t, s) // the same text in a catalog, gäller_hos among its columns
		r, err := Parse(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Msg == "" || pe.Hint == "" {
				t.Fatalf("Parse(%q): error without message and hint: %v", s, err)
			}
			return
		}
		if r.Chapter <= 0 || r.Section <= 0 {
			t.Fatalf("Parse(%q) = %+v: zero chapter or section", s, r)
		}
		again, err := Parse(r.String())
		if err != nil || again != r {
			t.Fatalf("canonical form %q of %q does not read back: %+v %v", r.String(), s, again, err)
		}
	})
}
