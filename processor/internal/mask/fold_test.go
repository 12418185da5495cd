package mask

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestFold(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"kalle anka", "kalle anka"},
		{"Kalle Anka", "kalle anka"},
		{"  KALLE   ANKA  ", "kalle anka"},
		{"Kalle\nAnka", "kalle anka"},
		{"Kalle\r\n\tAnka", "kalle anka"},
		{"Kalle\u00a0Anka", "kalle anka"},              // no-break space
		{"Kalle\u202fAnka\u3000", "kalle anka"},        // narrow no-break, ideographic space
		{"Kalle\u2028Anka", "kalle anka"},              // line separator
		{"Kal\u200ble\u200d Ank\u00ada", "kalle anka"}, // zero-width space and joiner, soft hyphen
		{"\ufeffKal\u2060le\u200e \u202eAnka\u2069", "kalle anka"},
		{"Kal\x01le\x7f", "kalle"},                        // controls draw nothing
		{"Kalle\x00Anka", "kalle\x00anka"},                // NUL is a break
		{" Kalle \x00 \x00\n Anka\x00 ", "kalle\x00anka"}, // one break, the spaces around it dropped
		{"Ｋａｌｌｅ　Ａｎｋａ", "kalle anka"},                      // full width
		{"𝐊𝐚𝐥𝐥𝐞 𝓐𝓷𝓴𝓪", "kalle anka"},                      // mathematical letters
		{"ﬁskare", "fiskare"},                             // ligature
		{"Кalle Аnkа", "kalle anka"},                      // Cyrillic К А а
		{"Κalle Αnkα", "kalle anka"},                      // Greek Κ Α α
		{"РОСС", "pocc"},                                  // all Cyrillic capitals
		{"Åsa Öberg Ärlig", "åsa öberg ärlig"},            // å ä ö stay
		{"A\u030asa O\u0308berg a\u0308", "åsa öberg ä"},  // decomposed: composed again
		{"José Müller Hélène", "jose muller helene"},      // other accents go
		{"e\u0301\u0323", "e"},
		{"İstanbul", "istanbul"},
		{"Kalle-Anka", "kalle anka"},
		{"Kalle – Anka", "kalle anka"},
		{"19121212\u22121212", "19121212 1212"}, // minus sign
		{"Kalle\u2011Anka", "kalle anka"},       // no-break hyphen
		{"kalle.anka@example.se", "kalle.anka@example.se"},
		{"O’Brien “x”", "o'brien \"x\""},
		{"\xffab\xfe", "\ufffdab\ufffd"}, // invalid UTF-8
		{"\u0308a", "a"},                 // a mark with nothing before it
		{"a \u0308", "a"},                // nor after a space
	} {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Every character folds to something that folds to itself, alone and among others; and
// the table of look-alikes gives plain small Latin letters or quotes.
func TestFoldEveryRune(t *testing.T) {
	for r := rune(0); r < 0xF0000; r++ { // beyond: private use
		if r == 0x30000 { // to the tags and variation selectors: ideographs and unassigned
			r = 0xE0000
		}
		if r == 0x10000 && testing.Short() {
			break
		}
		for _, s := range []string{string(r), "A" + string(r) + "o\u0308", string(r) + "\u0301a"} {
			f := Fold(s)
			if !utf8.ValidString(f) || Fold(f) != f {
				t.Fatalf("%U: Fold(%q) = %q, Fold of that %q", r, s, f, Fold(f))
			}
		}
	}
	for from, to := range confusables {
		f := Fold(string(from))
		if len(f) != 1 || f != Fold(string(to)) || (f[0] != '\'' && f[0] != '"' && (f[0] < 'a' || f[0] > 'z')) {
			t.Errorf("look-alike %q (%U) folds to %q", from, from, f)
		}
	}
}

// FuzzFold: never panics, gives valid UTF-8 with single spaces and no space or break at
// either end, is idempotent, is the same for canonically equivalent texts, and folds the
// parts of a text (without breaks) alone as well as together.
func FuzzFold(f *testing.F) {
	for _, s := range []string{"Kalle Anka", "Ｋａｌｌｅ\u00a0Аnka", "A\u030asa\u200b", " \x00 x\x00", "\xff\u0308", "e\u0301\u0323\u0308",
		"ǅ", "ﬃ", "가", "Å\u0323\u030a", "o\u0308\u0308"} {
		f.Add(s, "Anka")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		fa := Fold(a)
		if !utf8.ValidString(fa) {
			t.Fatalf("Fold(%q) = %q: not UTF-8", a, fa)
		}
		if Fold(fa) != fa {
			t.Fatalf("Fold(%q) = %q, Fold of that %q", a, fa, Fold(fa))
		}
		if strings.Contains(fa, "  ") || strings.HasPrefix(fa, " ") || strings.HasSuffix(fa, " ") ||
			strings.HasPrefix(fa, "\x00") || strings.HasSuffix(fa, "\x00") || strings.Contains(fa, " \x00") || strings.Contains(fa, "\x00 ") {
			t.Fatalf("Fold(%q) = %q: spaces or breaks left", a, fa)
		}
		if got := string(foldFrom(nil, a, 0)); got != fa {
			t.Fatalf("Fold(%q) = %q without its ASCII shortcut, %q with", a, got, fa)
		}
		if utf8.ValidString(a) {
			// Stream-safe text (no run of more than 30 combining marks): beyond that,
			// normalisation itself breaks the run.
			if nfc, nfd := Fold(norm.NFC.String(a)), Fold(norm.NFD.String(a)); longestMarks(a) <= 30 && (nfc != fa || nfd != fa) {
				t.Fatalf("Fold(%q) = %q, of its NFC %q, of its NFD %q", a, fa, nfc, nfd)
			}
		}
		if got, want := Fold(a+" "+b), Fold(fa+" "+Fold(b)); got != want && !strings.Contains(a+b, "\x00") {
			t.Fatalf("Fold(%q + %q) = %q, folded one by one %q", a, b, got, want)
		}
	})
}

// longestMarks is the longest run of characters that are not normalisation starters.
func longestMarks(s string) int {
	run, longest := 0, 0
	for _, r := range s {
		if norm.NFD.PropertiesString(string(r)).CCC() != 0 {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}
