package mask

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/workbook"
	"utlamnande/processor/internal/workflow"
)

// RuleLeak is the rule of text that is masked in one place and left readable in another.
const RuleLeak = "maskning-ofullständig"

// MinSpan is the shortest masked span (in characters) looked for elsewhere: shorter ones
// ("Nr", "IT") cannot be told from ordinary text.
const MinSpan = 4

// SpanAt is a masked raw span and the cell whose mask hides it.
type SpanAt struct {
	Text string
	Cell string // e.g. Logg!F17
}

// SpanIndex finds masked raw spans in other text, all spans in one pass over the text.
// It is the one leak check: the workbook's cells (validate), the text written into a PDF
// (build) and staged files (the git hook) are all searched with it.
type SpanIndex struct {
	spans []SpanAt
	r     *strings.Replacer
}

// NewSpanIndex indexes the spans of MinSpan characters or more (the first cell of each
// distinct text is kept). It returns nil when there is nothing to look for.
func NewSpanIndex(spans []SpanAt) *SpanIndex {
	idx := &SpanIndex{}
	seen := map[string]bool{}
	for _, s := range spans {
		s.Text = strings.TrimSpace(s.Text)
		if utf8.RuneCountInString(s.Text) < MinSpan || seen[s.Text] {
			continue
		}
		seen[s.Text] = true
		idx.spans = append(idx.spans, s)
	}
	if len(idx.spans) == 0 {
		return nil
	}
	// Longer spans first, so that a span containing another is the one reported.
	slices.SortStableFunc(idx.spans, func(a, b SpanAt) int { return cmp.Compare(len(b.Text), len(a.Text)) })
	pairs := make([]string, 0, 2*len(idx.spans))
	for i, s := range idx.spans {
		pairs = append(pairs, s.Text, "\x00"+strconv.Itoa(i)+"\x01")
	}
	// The text's own NUL bytes become U+FFFD, so that a NUL in the output always begins a
	// marker (a text cannot fake a hit).
	pairs = append(pairs, "\x00", "\uFFFD")
	idx.r = strings.NewReplacer(pairs...)
	return idx
}

// Find returns the spans found in text (each once, in order of first appearance).
func (idx *SpanIndex) Find(text string) []SpanAt {
	if idx == nil || text == "" {
		return nil
	}
	out := idx.r.Replace(text)
	if out == text {
		return nil
	}
	var hits []SpanAt
	seen := map[int]bool{}
	// A marker is \x00 digits \x01; the text may hold \x01 itself, so each \x01 is paired
	// with the nearest \x00 before it.
	for {
		end := strings.IndexByte(out, 1)
		if end < 0 {
			break
		}
		if start := strings.LastIndexByte(out[:end], 0); start >= 0 {
			if i, err := strconv.Atoi(out[start+1 : end]); err == nil && i < len(idx.spans) && !seen[i] {
				seen[i] = true
				hits = append(hits, idx.spans[i])
			}
		}
		out = out[end+1:]
	}
	return hits
}

// Any reports whether any span is in any of texts.
func (idx *SpanIndex) Any(texts []string) bool {
	for _, t := range texts {
		if len(idx.Find(t)) > 0 {
			return true
		}
	}
	return false
}

// Leaks reports every cell of the workbook whose readable (unmasked) text holds a span that
// a mask hides elsewhere (or in the same cell): the same information masked in one place
// and left in another. res is the proof with the raw export (res.SpanCells); without it
// there is nothing to compare and Leaks returns nothing. The secret is never in a message.
func Leaks(rev *workbook.Review, spec *workflow.WorkbookSpec, res *Result) finding.List {
	idx := NewSpanIndex(res.SpanCells)
	if idx == nil {
		return nil
	}
	var fs finding.List
	for ri, row := range rev.Rows {
		for i, c := range spec.Columns {
			if c.Kind == workflow.ColDate {
				continue
			}
			var segs []Segment
			if ri < len(res.Segments) && res.Segments[ri] != nil {
				segs = res.Segments[ri][i+1]
			} else {
				segs, _ = Split(row.Cells[i+1])
			}
			ref := rev.CellRef(i+1, row.Line)
			for _, text := range Literal(segs) {
				for _, h := range idx.Find(text) {
					where := "i " + h.Cell
					if h.Cell == ref {
						where = "på ett annat ställe i samma cell"
					}
					fs = append(fs, finding.Finding{File: rev.File, Cell: ref, Rule: RuleLeak, Severity: finding.Error,
						Message: fmt.Sprintf("%s innehåller omaskad text (%d tecken) som är maskad %s", c.Name, utf8.RuneCountInString(h.Text), where),
						Hint:    fmt.Sprintf("samma uppgift ska maskas överallt: maska den även här med bestämmelsen, eller ändra maskningen i %s", h.Cell)})
				}
			}
		}
	}
	return fs
}
