package mask

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"utlamnande/processor/internal/workbook"
	"utlamnande/processor/internal/workflow"
)

func TestSpanIndexFind(t *testing.T) {
	idx := NewSpanIndex([]SpanAt{
		{Text: "Kalle Anka", Cell: "Logg!F2"},
		{Text: "Anka", Cell: "Logg!F3"},
		{Text: " 19121212-1212 ", Cell: "Logg!F4"}, // trimmed
		{Text: "IT", Cell: "Logg!F5"},              // too short to look for
		{Text: "Kalle Anka", Cell: "Logg!F9"},      // the first cell is kept
		{Text: "KALLE  ANKA", Cell: "Logg!F10"},    // the same folded: the first cell is kept
		{Text: "Anka Bilsson", Cell: "Logg!F11"},
		{Text: "I\u200b\u200bT\u00a0", Cell: "Logg!F12"}, // two characters once folded
	})
	cases := []struct {
		text string
		want []string
	}{
		{"inget här", nil},
		{"Möte med Kalle Anka i dag", []string{"Logg!F2"}}, // the longer span, not the shorter inside it
		{"Anka och 19121212-1212", []string{"Logg!F3", "Logg!F4"}},
		{"IT-support", nil},
		{"a\x00b\x00Kalle Anka\x01c", []string{"Logg!F2"}},      // the text's own NUL and SOH bytes
		{"\x001\x01 Anka", []string{"Logg!F3"}},                 // a fake marker of the old index is nothing
		{"Anka Anka Anka", []string{"Logg!F3"}},                 // each span once
		{"Kalle Anka Bilsson", []string{"Logg!F2", "Logg!F11"}}, // overlapping: both
		{"Kalle Anka och Anka", []string{"Logg!F2", "Logg!F3"}}, // Anka also alone
		{"MÖTE MED KALLE\nANKA", []string{"Logg!F2"}},
		{"Kalle\x00Anka", []string{"Logg!F3"}}, // not across a break
		{"i t", nil},
	}
	for _, tc := range cases {
		var got []string
		for _, h := range idx.Find(tc.text) {
			got = append(got, h.Cell)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Find(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
	if h := idx.Find("kalle anka"); len(h) != 1 || h[0].Text != "Kalle Anka" {
		t.Errorf("a hit is the span as masked: %q", h)
	}
	if !idx.Any([]string{"x", "y Anka"}) || idx.Any([]string{"x", "y"}) || !idx.Any([]string{"ANKA"}) {
		t.Error("Any disagrees with Find")
	}
	if NewSpanIndex([]SpanAt{{Text: "ab"}}) != nil || NewSpanIndex([]SpanAt{{Text: "a\u200bb\u00adc \u200d"}}) != nil {
		t.Error("an index of only short spans should be nil")
	}
	var none *SpanIndex
	if none.Find("Kalle Anka") != nil || none.Any([]string{"Kalle Anka"}) {
		t.Error("a nil index finds nothing")
	}
}

// leakCase is a workbook with Datum, Från, Till and Ämne: row 2 masks the secret in its
// Ämne (Logg!E2, the secret is the raw text of the mask), row 3 has the cells given.
func leakCase(secret string, från, till, ämne string) (*workbook.Review, *workflow.WorkbookSpec, *Result) {
	spec := &workflow.WorkbookSpec{Sheet: "Logg", Columns: []workflow.WorkbookColumn{
		{Name: "Datum", Kind: workflow.ColDate}, {Name: "Från", Kind: workflow.ColAddress},
		{Name: "Till", Kind: workflow.ColAddress}, {Name: "Ämne", Kind: workflow.ColText},
	}}
	rev := &workbook.Review{File: "e-postlogg.xlsx", Sheet: "Logg", Rows: []workbook.Row{
		{Line: 2, Cells: []string{"1", "2026-05-14 10:00", "a@example.se", "b@example.se", "Ang. [25 kap. 1 § OSL], remiss", ""}},
		{Line: 3, Cells: []string{"2", "2026-05-14 11:00", från, till, ämne, ""}},
	}}
	return rev, spec, &Result{SpanCells: []SpanAt{{Text: secret, Cell: "Logg!E2"}}}
}

// The leak corpus: a secret masked in one cell and left readable in another, under every
// normalisation that Fold claims. Each must be found, at the cell where it begins.
func TestLeakCorpus(t *testing.T) {
	const name = "Kalle Anka"
	for _, tc := range []struct {
		what, secret, från, till, ämne string
		cell                           string // where it is reported
	}{
		{"as masked", name, "", "", "Möte med Kalle Anka", "Logg!E3"},
		{"upper case", name, "", "", "MÖTE MED KALLE ANKA", "Logg!E3"},
		{"mixed case", name, "", "", "kALLE aNKA", "Logg!E3"},
		{"genitive", name, "", "", "Kalle Ankas bil", "Logg!E3"},
		{"line break in the cell", name, "", "", "Möte med Kalle\nAnka", "Logg!E3"},
		{"CR LF", name, "", "", "Kalle\r\nAnka", "Logg!E3"},
		{"tab", name, "", "", "Kalle\tAnka", "Logg!E3"},
		{"extra spaces", name, "", "", "  Kalle    Anka  ", "Logg!E3"},
		{"no-break space", name, "", "", "Kalle\u00a0Anka", "Logg!E3"},
		{"narrow no-break space", name, "", "", "Kalle\u202fAnka", "Logg!E3"},
		{"em space", name, "", "", "Kalle\u2003Anka", "Logg!E3"},
		{"ideographic space", name, "", "", "Kalle\u3000Anka", "Logg!E3"},
		{"line separator", name, "", "", "Kalle\u2028Anka", "Logg!E3"},
		{"zero-width space", name, "", "", "Ka\u200blle An\u200bka", "Logg!E3"},
		{"zero-width joiner", name, "", "", "Kal\u200dle Anka", "Logg!E3"},
		{"zero-width non-joiner", name, "", "", "Kalle A\u200cnka", "Logg!E3"},
		{"soft hyphen", name, "", "", "Kal\u00adle An\u00adka", "Logg!E3"},
		{"word joiner", name, "", "", "Kalle\u2060 Anka", "Logg!E3"},
		{"byte order mark", name, "", "", "\ufeffKalle \ufeffAnka", "Logg!E3"},
		{"bidi marks", name, "", "", "\u200eKalle\u200f \u202aAnka\u202c", "Logg!E3"},
		{"bidi isolates", name, "", "", "\u2066Kalle\u2069 \u2067Anka\u2069", "Logg!E3"},
		{"variation selector", name, "", "", "Kalle\ufe0f Anka", "Logg!E3"},
		{"combining grapheme joiner", name, "", "", "Kal\u034fle Anka", "Logg!E3"},
		{"tag characters", name, "", "", "Kalle\U000E0041 Anka", "Logg!E3"},
		{"control characters", name, "", "", "Kal\x01le Anka\x7f", "Logg!E3"},
		{"Cyrillic look-alikes", name, "", "", "Каllе Аnkа", "Logg!E3"},
		{"Cyrillic capitals", name, "", "", "КАLLЕ АNКА", "Logg!E3"},
		{"Greek look-alikes", name, "", "", "Κalle Αnkα", "Logg!E3"},
		{"Greek capitals", name, "", "", "ΚΑLLΕ ΑΝΚΑ", "Logg!E3"},
		{"full width", name, "", "", "Ｋａｌｌｅ　Ａｎｋａ", "Logg!E3"},
		{"mathematical letters", name, "", "", "𝐊𝐚𝐥𝐥𝐞 𝐀𝐧𝐤𝐚", "Logg!E3"},
		{"accent added", name, "", "", "Kallé Anká", "Logg!E3"},
		{"combining accent added", name, "", "", "Kalle\u0301 Anka\u0300", "Logg!E3"},
		{"hyphen", name, "", "", "Kalle-Anka", "Logg!E3"},
		{"en dash", name, "", "", "Kalle – Anka", "Logg!E3"},
		{"no-break hyphen", name, "", "", "Kalle\u2011Anka", "Logg!E3"},
		{"all at once", name, "", "", "ＫА\u00adＬＬе\u00a0\n\u200bаnkα", "Logg!E3"},
		{"decomposed in the text", "Åsa Öberg", "", "", "Hej A\u030asa O\u0308berg", "Logg!E3"},
		{"decomposed in the mask", "A\u030asa O\u0308berg", "", "", "Hej Åsa Öberg", "Logg!E3"},
		{"ligature", "Fia Lind", "", "", "ﬁa lind", "Logg!E3"},
		{"personnummer, space", "19121212-1212", "", "", "pnr 19121212 1212", "Logg!E3"},
		{"personnummer, minus sign", "19121212-1212", "", "", "19121212\u22121212", "Logg!E3"},
		{"personnummer, full width", "19121212-1212", "", "", "１９１２１２１２－１２１２", "Logg!E3"},
		{"address, upper case", "kalle.anka@example.se", "KALLE.ANKA@EXAMPLE.SE", "", "", "Logg!C3"},
		{"in the same cell", name, "", "", "Kalle Anka", "Logg!E3"},
		{"across two cells", name, "x Kalle", "Anka", "", "Logg!C3"},
		{"across two cells, spaces", name, "Kalle ", " Anka y", "", "Logg!C3"},
		{"across three cells", "Kalle Anka Bo", "Kalle", "Anka", "Bo", "Logg!C3"},
		{"across cells, look-alikes", name, "Каllе", "\u200bАnkа", "", "Logg!C3"},
	} {
		rev, spec, res := leakCase(tc.secret, tc.från, tc.till, tc.ämne)
		fs := Leaks(rev, spec, res)
		if len(fs) != 1 || fs[0].Cell != tc.cell || fs[0].Rule != RuleLeak {
			t.Errorf("%s: %v, want one leak at %s", tc.what, fs, tc.cell)
			continue
		}
		for _, word := range strings.Fields(Fold(tc.secret)) {
			if strings.Contains(Fold(fs[0].Message+" "+fs[0].Hint), word) {
				t.Errorf("%s: the finding names the secret: %s / %s", tc.what, fs[0].Message, fs[0].Hint)
			}
		}
		// The same through Find, on the row's cells joined as Find asks.
		if tc.cell == "Logg!E3" && len(NewSpanIndex(res.SpanCells).Find(tc.ämne)) != 1 {
			t.Errorf("%s: Find does not find it", tc.what)
		}
		if tc.cell == "Logg!C3" && len(NewSpanIndex(res.SpanCells).Find(tc.från+"\n"+tc.till+"\n"+tc.ämne)) != 1 {
			t.Errorf("%s: Find does not find it in the cells joined", tc.what)
		}
	}
}

// What must not be found: other names, too short spans, text that only matches with
// letters or separators taken away, text on either side of a mask, cells that are not
// next to each other.
func TestLeakCorpusNegative(t *testing.T) {
	for _, tc := range []struct {
		what, secret, från, till, ämne string
	}{
		{"another name, same first name", "Kalle Anka", "", "", "Kalle Ankeborg"},
		{"another name, same start", "Anna Berg", "", "", "Annika Berg och Anna Borg"},
		{"another name, shared prefix", "Karlsson", "", "", "Karlstad och Karl Sson"},
		{"the first name only", "Kalle Anka", "", "", "Hej Kalle"},
		{"too short", "Bo", "", "", "Bo"},
		{"too short once folded", "B\u200bo\u00ad\u200d ", "", "", "Bo"},
		{"too short: full width", "ＩＴ", "", "", "IT-support"},
		{"a letter between", "Kalle Anka", "", "", "Kalle X Anka"},
		{"a letter inside", "Kalle Anka", "", "", "Kallxe Anka"},
		{"a letter missing", "Kalle Anka", "", "", "Kale Anka"},
		{"the space removed", "Kalle Anka", "", "", "KalleAnka"},
		{"a space added", "Kalle Anka", "", "", "Kal le Anka"},
		{"punctuation is not a space", "Kalle Anka", "", "", "kalle.anka@example.se"},
		{"å is not a", "Åsa Öberg", "", "", "Asa Oberg"},
		{"ö is not o", "Åsa Öberg", "", "", "Åsa Oberg"},
		{"ä is not a", "Märta", "", "", "Marta"},
		{"Latin letters stay apart", "Ida Lind", "", "", "lda Lind"},
		{"digits are no letters", "Olle Bo", "", "", "0lle Bo"},
		{"a mask between", "Kalle Anka", "", "", "Kalle [25 kap. 1 § OSL] Anka"},
		{"a mask at the end of the cell", "Kalle Anka", "Kalle [25 kap. 1 § OSL]", "Anka", ""},
		{"a mask at the start of the next cell", "Kalle Anka", "Kalle", "[25 kap. 1 § OSL]Anka", ""},
		{"an empty cell between", "Kalle Anka", "Kalle", "", "Anka"},
		{"a break", "Kalle Anka", "", "", "Kalle\x00Anka"},
	} {
		rev, spec, res := leakCase(tc.secret, tc.från, tc.till, tc.ämne)
		if fs := Leaks(rev, spec, res); len(fs) != 0 {
			t.Errorf("%s: %v", tc.what, fs)
		}
	}
	// A date column between two cells: they are not read as one.
	rev, spec, res := leakCase("Kalle Anka", "Kalle", "Anka", "")
	spec.Columns[0], spec.Columns[1] = spec.Columns[1], spec.Columns[0] // Från, Datum, Till, Ämne
	rev.Rows[1].Cells[1], rev.Rows[1].Cells[2] = "Kalle", "2026-05-14 11:00"
	if fs := Leaks(rev, spec, res); len(fs) != 0 {
		t.Errorf("across a date column: %v", fs)
	}
}

// A span that runs on into the next cell is reported once, at its first cell, and a
// shorter span inside it is not reported apart; the next cell's own spans still are.
func TestLeaksAcrossCells(t *testing.T) {
	rev, spec, res := leakCase("Kalle Anka", "Till Kalle", "Anka Bilsson", "")
	res.SpanCells = append(res.SpanCells, SpanAt{Text: "Kalle", Cell: "Logg!E2"}, SpanAt{Text: "Bilsson", Cell: "Logg!E9"})
	fs := Leaks(rev, spec, res)
	var got []string
	for _, f := range fs {
		got = append(got, f.Cell+" "+f.Message)
	}
	want := []string{
		"Logg!C3 Från innehåller omaskad text (10 tecken) som är maskad i Logg!E2",
		"Logg!D3 Till innehåller omaskad text (7 tecken) som är maskad i Logg!E9",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The span also within the first cell: still once.
	rev.Rows[1].Cells[2] = "Kalle Anka och Kalle"
	fs = Leaks(rev, spec, res)
	if len(fs) != 2 || fs[0].Cell != "Logg!C3" || !strings.Contains(fs[0].Message, "(10 tecken)") {
		t.Errorf("within and across: %v", fs)
	}
	// The masked cell itself: its text around the mask is searched too.
	rev.Rows[0].Cells[4] = "Ang. [25 kap. 1 § OSL], KALLE ANKA"
	fs = Leaks(rev, spec, res)
	if len(fs) == 0 || fs[0].Cell != "Logg!E2" || !strings.Contains(fs[0].Message, "på ett annat ställe i samma cell") {
		t.Errorf("same cell: %v", fs)
	}
}

// findNaive is what Find returns, the slow way: every occurrence of every span in the
// folded text, without those inside a longer one, the spans of the rest in order.
func findNaive(spans []SpanAt, text string) []SpanAt {
	type occ struct {
		span       int
		start, end int
	}
	ft := Fold(text)
	var occs []occ
	var kept []SpanAt
	seen := map[string]bool{}
	for _, s := range spans {
		f := Fold(s.Text)
		if len([]rune(f)) < MinSpan || seen[f] {
			continue
		}
		seen[f] = true
		kept = append(kept, SpanAt{Text: strings.TrimSpace(s.Text), Cell: s.Cell})
		for i := 0; i+len(f) <= len(ft); i++ {
			if ft[i:i+len(f)] == f {
				occs = append(occs, occ{len(kept) - 1, i, i + len(f)})
			}
		}
	}
	slices.SortStableFunc(occs, func(a, b occ) int { return a.start - b.start })
	var out []SpanAt
	done := map[int]bool{}
	for _, o := range occs {
		inside := slices.ContainsFunc(occs, func(p occ) bool {
			return p != o && p.start <= o.start && p.end >= o.end && p.end-p.start > o.end-o.start
		})
		if !inside && !done[o.span] {
			done[o.span] = true
			out = append(out, kept[o.span])
		}
	}
	return out
}

// Many spans, of many scripts, with rows for the states near the root and (maxDelta
// small) for the root only: Find agrees with findNaive.
func TestSpanIndexMany(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	alphabet := []rune("abcdefghijklmnopqrstuvwxyzåäö0123456789 .-@ABCÅÄÖαβγδεζηθикдлмнпрст日本語한국")
	word := func(n int) string {
		r := make([]rune, n)
		for i := range r {
			r[i] = alphabet[rnd.IntN(len(alphabet))]
		}
		return string(r)
	}
	var spans []SpanAt
	for i := range 1500 {
		spans = append(spans, SpanAt{Text: word(4 + rnd.IntN(6)), Cell: "Logg!E" + strconv.Itoa(i)})
	}
	texts := make([]string, 100)
	for i := range texts {
		texts[i] = word(200)
		for range 3 { // and a few spans in it, some changed
			s := spans[rnd.IntN(len(spans))].Text
			if rnd.IntN(2) == 0 {
				s = strings.ToUpper(s)
			}
			at := rnd.IntN(len(texts[i]))
			for !utf8.RuneStart(texts[i][at]) {
				at--
			}
			texts[i] = texts[i][:at] + s + texts[i][at:]
		}
	}
	defer func(m int) { maxDelta = m }(maxDelta)
	for _, m := range []int{maxDelta, 1} {
		maxDelta = m
		idx := NewSpanIndex(spans)
		if m == 1 && idx.dense != 1 {
			t.Fatalf("maxDelta 1: %d states with a row", idx.dense)
		}
		found := 0
		for _, text := range texts {
			got, want := idx.Find(text), findNaive(spans, text)
			if !slices.Equal(got, want) {
				t.Fatalf("maxDelta %d: Find(%q) = %v, want %v", m, text, got, want)
			}
			found += len(got)
		}
		if found < len(texts) {
			t.Fatalf("only %d found", found)
		}
	}
}

// Whatever the text, Find reports only spans whose folded text is in the folded text, and
// each span that is there is reported or inside one that is.
func FuzzSpanIndex(f *testing.F) {
	f.Add("Kalle Anka", "Möte med Kalle Anka")
	f.Add("\x00\x01", "a\x00b\x01")
	f.Add("19121212-1212", "\x000\x01 19121212-1212")
	f.Add("Anka Bil", "KALLE\nANKA BIL")
	f.Add("Åsa", "A\u030asa\u200b")
	f.Fuzz(func(t *testing.T, span, text string) {
		spans := []SpanAt{{Text: span, Cell: "Logg!F2"}, {Text: "Kalle Anka", Cell: "Logg!F3"}, {Text: "Anka", Cell: "Logg!F4"}}
		idx := NewSpanIndex(spans)
		ft := Fold(text)
		hits := idx.Find(text)
		for _, h := range hits {
			if !strings.Contains(ft, Fold(h.Text)) {
				t.Errorf("Find(%q) reported %q, which is not in it", text, h.Text)
			}
		}
		for _, s := range spans {
			fs := Fold(s.Text)
			if len([]rune(fs)) < MinSpan || !strings.Contains(ft, fs) {
				continue
			}
			if !slices.ContainsFunc(hits, func(h SpanAt) bool { return strings.Contains(Fold(h.Text), fs) }) {
				t.Errorf("Find(%q) = %v, missing %q", text, hits, s.Text)
			}
		}
		if !slices.EqualFunc(hits, idx.Find(ft), func(a, b SpanAt) bool { return a == b }) {
			t.Errorf("Find(%q) differs from Find of it folded", text)
		}
		if idx.Any([]string{text}) != (len(hits) > 0) {
			t.Errorf("Any(%q) disagrees with Find", text)
		}
		if want := findNaive(spans, text); !slices.Equal(hits, want) {
			t.Errorf("Find(%q) = %v, want %v", text, hits, want)
		}
	})
}

// FuzzLeaks: Leaks reports a cell exactly when a span is in its folded text, or begins in
// it and runs on into the next cell (joined with a space), each span once.
func FuzzLeaks(f *testing.F) {
	f.Add("Kalle Anka", "Till Kalle", "Anka Bilsson")
	f.Add("Anka Bil", "x KALLE\u200b", "\u00a0ANKA BIL")
	f.Add("Bilsson", "", "Kalle Anka")
	f.Fuzz(func(t *testing.T, span, från, till string) {
		if strings.Contains(från+till, "[") {
			return // no masks in the cells searched
		}
		rev, spec, res := leakCase(span, från, till, "")
		res.SpanCells = append(res.SpanCells, SpanAt{Text: "Kalle Anka", Cell: "Logg!E9"}, SpanAt{Text: "Anka", Cell: "Logg!E8"})
		idx := NewSpanIndex(res.SpanCells)
		if idx == nil {
			return
		}
		ff, ft := Fold(från), Fold(till)
		joined := ff
		if från != "" && till != "" {
			joined = ff + " " + ft // both open: read as one
		}
		var want []string
		for _, s := range idx.spans {
			fs := Fold(s.Text)
			if i := strings.Index(joined, fs); i >= 0 && i < len(ff) {
				want = append(want, "Logg!C3 "+s.Cell)
			}
			if strings.Contains(ft, fs) {
				want = append(want, "Logg!D3 "+s.Cell)
			}
		}
		var got []string
		for _, x := range Leaks(rev, spec, res) {
			if x.Cell != "Logg!C3" && x.Cell != "Logg!D3" {
				continue // row 2, with the mask
			}
			got = append(got, x.Cell+" "+x.Hint[strings.LastIndex(x.Hint, " ")+1:])
		}
		// Every reported span is there; a span there is reported, or inside one that is
		// reported at the same cell.
		for _, g := range got {
			if !slices.Contains(want, g) {
				t.Fatalf("%q | %q: reported %s, not there (%v)", från, till, g, want)
			}
		}
		for _, w := range want {
			if !slices.Contains(got, w) && !slices.ContainsFunc(got, func(g string) bool {
				return g[:7] == w[:7] && strings.Contains(Fold(spanOf(idx, g[8:])), Fold(spanOf(idx, w[8:])))
			}) {
				t.Fatalf("%q | %q: %s not reported (%v)", från, till, w, got)
			}
		}
		for i, g := range got {
			if slices.Contains(got[:i], g) {
				t.Fatalf("%q | %q: %s twice", från, till, g)
			}
		}
	})
}

func spanOf(idx *SpanIndex, cell string) string {
	for _, s := range idx.spans {
		if s.Cell == cell {
			return s.Text
		}
	}
	return ""
}
