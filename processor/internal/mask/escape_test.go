package mask

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ raw, want string }{
		{"Ang. patient Anna", "Ang. patient Anna"},
		{"[25 kap. 1 § OSL] remiss", "［25 kap. 1 § OSL］ remiss"},
		{"Re: [OSL 25:1]", "Re: ［OSL 25:1］"},
		{"[EXTERN] Faktura", "[EXTERN] Faktura"},             // ordinary bracket text stays
		{"Möte [25 kap 1§] i dag", "Möte ［25 kap 1§］ i dag"}, // a mistyped reference would be a Problem
		{"[]", "［］"},
		{"[a [OSL 25:1] b]", "［a ［OSL 25:1］ b］"}, // the inner group, then the outer one that mentions OSL
		{"[EXTERN [x] 2]", "[EXTERN [x] 2]"},
		{"] [OSL 25:1", "] [OSL 25:1"}, // no group
		{"[OSL 25:1][EXTERN][OSL 21:1]", "［OSL 25:1］[EXTERN]［OSL 21:1］"},
	} {
		got := Escape(tc.raw)
		if got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.raw, got, tc.want)
		}
		if segs, problems := Split(got); HasMask(segs) || len(problems) > 0 {
			t.Errorf("Split(Escape(%q)) has a mask or a problem: %v %v", tc.raw, segs, problems)
		}
		if back := Unescape(got); back != tc.raw {
			t.Errorf("Unescape(Escape(%q)) = %q", tc.raw, back)
		}
		if utf8.RuneCountInString(got) != utf8.RuneCountInString(tc.raw) {
			t.Errorf("Escape(%q) changes the number of characters (a cell's limit is counted in them)", tc.raw)
		}
	}
}

func TestSplitInnermostGroup(t *testing.T) {
	segs, problems := Split("[Ärende [25 kap. 1 § OSL]")
	if len(problems) != 0 || len(segs) != 2 || segs[0].Text != "[Ärende " || !segs[1].Mask {
		t.Fatalf("Split = %+v, %v; want the text \"[Ärende \" and a mask", segs, problems)
	}
	// Full-width brackets are text, however they read.
	if segs, _ := Split("［25 kap. 1 § OSL］"); HasMask(segs) {
		t.Error("a group in full-width brackets read as a mask")
	}
}

// TestProofRawBrackets: a raw text with a reference in brackets, imported (escaped) and
// left alone, derives with no mask; written back with ordinary brackets it derives as a
// mask of nothing but that group, which the proof reports (isEscapedGroup).
func TestProofRawBrackets(t *testing.T) {
	raw := "Re: [OSL 25:1] remiss"
	shown := Escape(raw)
	segs, _ := Split(shown)
	if HasMask(segs) {
		t.Fatalf("the imported text %q reads as a mask", shown)
	}
	for _, edited := range []string{"Re: [OSL 25:1] remiss", "Re: [OSL 21:1] remiss"} {
		segs, _ := Split(edited)
		spans, ok := Derive(shown, segs)
		if !ok || len(spans) != 1 || !isEscapedGroup(spans[0]) {
			t.Errorf("%q: spans %q, %v; want the one escaped group", edited, spans, ok)
		}
	}
	// A real mask of more than the group is no relabelling.
	segs, _ = Split("Re: [OSL 25:1]")
	if spans, ok := Derive(shown, segs); !ok || isEscapedGroup(spans[0]) {
		t.Errorf("masking \"［OSL 25:1］ remiss\": spans %q, %v", spans, ok)
	}
}

// FuzzEscape: the escaped text never reads as a mask or a problem, Unescape gives the raw
// text back (when it had no full-width brackets of its own), and the number of characters
// stays.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"[25 kap. 1 § OSL] remiss", "Re: [OSL 25:1]", "[EXTERN]", "[a [OSL 25:1] b]", "[]", "]["} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if !utf8.ValidString(raw) {
			return
		}
		got := Escape(raw)
		segs, problems := Split(got)
		if HasMask(segs) || (len(problems) > 0 && nesting(raw) <= maxNesting) {
			t.Fatalf("Split(Escape(%q)) = %v, %v", raw, segs, problems)
		}
		if utf8.RuneCountInString(got) != utf8.RuneCountInString(raw) {
			t.Fatalf("Escape(%q) = %q changes the length", raw, got)
		}
		if !strings.ContainsAny(raw, escOpen+escClose) && Unescape(got) != raw {
			t.Fatalf("Unescape(Escape(%q)) = %q", raw, Unescape(got))
		}
	})
}

// nesting is the deepest nesting of '[' in s.
func nesting(s string) int {
	depth, most := 0, 0
	for _, c := range []byte(s) {
		switch c {
		case '[':
			depth++
			most = max(most, depth)
		case ']':
			depth = max(depth-1, 0)
		}
	}
	return most
}
