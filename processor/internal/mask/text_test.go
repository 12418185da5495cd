package mask

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"utlamnande/processor/internal/provision"
)

func testCatalog(t *testing.T) *provision.Catalog {
	t.Helper()
	f, err := os.Open("../../../templates/osl-bestammelser.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cat, fs := provision.ParseCatalog("osl-bestammelser.tsv", f)
	if fs.HasErrors() {
		t.Fatal(fs)
	}
	return cat
}

const original = "Från: Anna Andersson <anna@region.example>\nDatum: 2026-10-05 08:12\nÄmne: Remiss\n\nHej,\npatienten Anna Patientsson har diabetes.\nMvh Bo\n"

func TestProveText(t *testing.T) {
	cat := testCatalog(t)
	for _, tc := range []struct {
		name, masked string
		spans        []string
		problem      string // "rule@line:col", "" for none
	}{
		{"untouched", original, nil, ""},
		{"one mask", strings.Replace(original, "Anna Patientsson har diabetes", "[25 kap. 1 § OSL]", 1), []string{"Anna Patientsson har diabetes"}, ""},
		{"a mask over two lines", strings.Replace(original, "Hej,\npatienten", "[OSL 25:1]", 1), []string{"Hej,\npatienten"}, ""},
		{"a changed word after a mask", strings.Replace(strings.Replace(original, "Anna Patientsson", "[25 kap. 1 § OSL]", 1), "Mvh Bo", "Mvh Bosse", 1), nil, "cell-ändrad@7:7"},
		{"a changed word, no mask", strings.Replace(original, "diabetes", "astma", 1), nil, "cell-ändrad@6:32"},
		{"a removed line break", strings.Replace(original, "Hej,\n", "Hej, ", 1), nil, "cell-ändrad@5:5"},
		{"a mask added beside the text", strings.Replace(original, "Mvh Bo", "Mvh Bo[25 kap. 1 § OSL]", 1), nil, "tom-maskning@7:7"},
		{"an unknown provision", strings.Replace(original, "diabetes", "[99 kap. 1 § OSL]", 1), []string{"diabetes"}, "bestämmelse@6:32"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := ProveText(original, tc.masked, cat)
			got := ""
			if len(res.Problems) > 0 {
				p := res.Problems[0]
				got = p.Rule + "@" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col)
			}
			if got != tc.problem {
				t.Errorf("problem %q, want %q (%+v)", got, tc.problem, res.Problems)
			}
			if tc.problem == "" && strings.Join(res.Spans, "|") != strings.Join(tc.spans, "|") {
				t.Errorf("spans %q, want %q", res.Spans, tc.spans)
			}
		})
	}
}

// TestProveTextRawBrackets: a reference already in the e-mail, imported escaped, is no mask;
// written back as one it is refused.
func TestProveTextRawBrackets(t *testing.T) {
	cat := testCatalog(t)
	orig := Escape("Ämne: Re: [OSL 25:1] remiss\n")
	if res := ProveText(orig, orig, cat); len(res.Problems) != 0 || res.Masks != 0 {
		t.Fatalf("untouched: %+v", res)
	}
	res := ProveText(orig, "Ämne: Re: [OSL 21:1] remiss\n", cat)
	if len(res.Problems) != 1 || res.Problems[0].Rule != RuleRawRef || res.Problems[0].Line != 1 || res.Problems[0].Col != 11 {
		t.Fatalf("relabelled: %+v", res.Problems)
	}
}

// FuzzProveText: any masked text is proved without a panic, every problem is at a position
// inside the text, and the original itself has no problem.
func FuzzProveText(f *testing.F) {
	f.Add(original, strings.Replace(original, "diabetes", "[25 kap. 1 § OSL]", 1))
	f.Add(original, "[OSL 25:1]")
	f.Add("a [b] c", "a [b [OSL 25:1] c")
	cat, err := os.Open("../../../templates/osl-bestammelser.tsv")
	if err != nil {
		f.Fatal(err)
	}
	c, _ := provision.ParseCatalog("osl-bestammelser.tsv", cat)
	cat.Close()
	f.Fuzz(func(t *testing.T, orig, masked string) {
		if len(orig) > 4096 || len(masked) > 4096 {
			return
		}
		res := ProveText(orig, masked, c)
		lines := strings.Count(strings.ReplaceAll(masked, "\r\n", "\n"), "\n") + 1
		for _, p := range res.Problems {
			if p.Line < 1 || p.Line > lines || p.Col < 1 {
				t.Fatalf("problem at %d:%d of a %d-line text: %+v", p.Line, p.Col, lines, p)
			}
		}
		if segs, _ := Split(orig); !HasMask(segs) {
			if res := ProveText(orig, orig, c); len(res.Problems) > 0 && !strings.Contains(orig, "[") {
				t.Fatalf("the original has problems: %+v", res.Problems)
			}
		}
	})
}
