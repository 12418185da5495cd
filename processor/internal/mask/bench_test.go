package mask

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"utlamnande/processor/internal/workbook"
	"utlamnande/processor/internal/workflow"
)

// benchLog is a generated e-mail log of n rows as validate reads it: Datum, Från, Till,
// Ämne, Mapp; about one subject in six masks a name, and with leaks a few rows leave a
// masked name readable in another row.
func benchLog(n int, leaks bool) (*workbook.Review, *workflow.WorkbookSpec, *Result) {
	spec := &workflow.WorkbookSpec{Sheet: "Logg", Columns: []workflow.WorkbookColumn{
		{Name: "Datum", Kind: workflow.ColDate}, {Name: "Från", Kind: workflow.ColAddress},
		{Name: "Till", Kind: workflow.ColAddress}, {Name: "Ämne", Kind: workflow.ColText},
		{Name: "Mapp", Kind: workflow.ColFolder},
	}}
	rnd := rand.New(rand.NewPCG(1, 2))
	first := []string{"Anna", "Åsa", "Erik", "Lars", "Karin", "Björn", "Örjan", "Maria", "Per", "Ingrid", "Johan", "Märta"}
	last := []string{"Andersson", "Öberg", "Lindqvist", "Berg", "Nyström", "Håkansson", "Ek", "Sjöberg", "Karlsson", "Wallin"}
	words := []string{"Ang.", "möte", "remiss", "om", "kallelse", "Re:", "SV:", "beslut", "ärende", "protokoll", "inbjudan",
		"fakturan", "för", "maj", "uppföljning", "vårdplan", "Fwd:", "svar", "på", "frågan", "2026-05-14", "nr", "4711"}
	rev := &workbook.Review{File: "arbetsyta/e-postlogg.xlsx", Sheet: "Logg"}
	res := &Result{}
	for i := range n {
		subject := make([]string, 0, 8)
		for range 3 + rnd.IntN(5) {
			subject = append(subject, words[rnd.IntN(len(words))])
		}
		line := i + 2
		ämne := strings.Join(subject, " ")
		if rnd.IntN(6) == 0 {
			name := first[rnd.IntN(len(first))] + " " + last[rnd.IntN(len(last))] + " " + strconv.Itoa(1000+i)
			ämne = "Ang. patient [25 kap. 1 § OSL], " + ämne
			res.SpanCells = append(res.SpanCells, SpanAt{Text: name, Cell: fmt.Sprintf("Logg!E%d", line)})
		}
		if leaks && i%997 == 500 && len(res.SpanCells) > 0 { // a leak
			ämne += " " + res.SpanCells[rnd.IntN(len(res.SpanCells))].Text
		}
		from := fmt.Sprintf("%s.%s@region.example", strings.ToLower(first[rnd.IntN(len(first))]), strings.ToLower(last[rnd.IntN(len(last))]))
		rev.Rows = append(rev.Rows, workbook.Row{Line: line, Cells: []string{strconv.Itoa(i + 1), "2026-05-14 10:00",
			from, "medarbetare@region.example", ämne, "Inkorg", ""}})
	}
	for _, row := range rev.Rows {
		segs := make([][]Segment, len(spec.Columns)+1)
		for c := range spec.Columns {
			if spec.Columns[c].Kind != workflow.ColDate {
				segs[c+1], _ = Split(row.Cells[c+1])
			}
		}
		res.Segments = append(res.Segments, segs)
	}
	return rev, spec, res
}

// BenchmarkLeaks is validate's leak check of a 10,000-row workbook.
func BenchmarkLeaks(b *testing.B) {
	rev, spec, res := benchLog(10000, true)
	want := len(Leaks(rev, spec, res))
	if want == 0 {
		b.Fatal("the generated log should have leaks")
	}
	b.ResetTimer()
	for b.Loop() {
		if got := len(Leaks(rev, spec, res)); got != want {
			b.Fatal(got, want)
		}
	}
}

// BenchmarkFind searches 10,000 cells (the subjects) with one index.
func BenchmarkFind(b *testing.B) {
	rev, _, res := benchLog(10000, true)
	idx := NewSpanIndex(res.SpanCells)
	cells := make([]string, len(rev.Rows))
	size := 0
	for i, row := range rev.Rows {
		cells[i] = row.Cells[4]
		size += len(cells[i])
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for b.Loop() {
		for _, c := range cells {
			idx.Find(c)
		}
	}
}

// BenchmarkFindJoined searches the text of 10,000 rows as one string, as the PDF's
// self-check does (no leak in it: the whole text is searched).
func BenchmarkFindJoined(b *testing.B) {
	rev, _, res := benchLog(10000, false)
	idx := NewSpanIndex(res.SpanCells)
	var all []string
	for _, row := range rev.Rows {
		all = append(all, row.Cells...)
	}
	text := strings.Join(all, "\n")
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		idx.Any([]string{text})
	}
}

// BenchmarkNewSpanIndex indexes the spans of a 10,000-row workbook.
func BenchmarkNewSpanIndex(b *testing.B) {
	_, _, res := benchLog(10000, true)
	for b.Loop() {
		NewSpanIndex(res.SpanCells)
	}
}
