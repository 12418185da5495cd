package mask

import (
	"fmt"
	"math"
	"strings"
	"time"

	"utlamnande/processor/internal/export"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/provision"
	"utlamnande/processor/internal/workbook"
	"utlamnande/processor/internal/workflow"
)

// Rule names of the masking proof.
const (
	RuleChanged   = "cell-ändrad"
	RuleEmptyMask = "tom-maskning"
	RuleRawRef    = "hänvisning-i-råexporten"
	RuleRows      = "rader"
	RuleMark      = "markering"
)

// Result is what the proof found besides its findings.
type Result struct {
	Findings   finding.List
	Rows       int
	Private    int
	Provisions map[provision.Ref]int // masks per provision section
	// Spans are the masked raw texts, per data row (only with the raw export): what must
	// never reach a disclosure.
	Spans [][]string
	// SpanCells are the same spans with the cell whose mask hides each.
	SpanCells []SpanAt
	// Compared tells whether the raw export was there to compare with.
	Compared bool
	// Segments holds each data cell split into text and masks, by review row and column
	// (index 0 is Nr, unused), so later readers need not split again. A date cell read as a
	// date has none.
	Segments [][][]Segment
}

// Prove checks the review workbook. With raw (not nil) every row is compared with its raw
// row; without it, only what the workbook alone can show is checked (references, Nr
// sequence, markings).
func Prove(rev *workbook.Review, spec *workflow.WorkbookSpec, raw *export.Log, cat *provision.Catalog) Result {
	p := prover{rev: rev, spec: spec, raw: raw, cat: cat, res: Result{Provisions: map[provision.Ref]int{}, Compared: raw != nil}}
	p.rows()
	return p.res
}

type prover struct {
	rev  *workbook.Review
	spec *workflow.WorkbookSpec
	raw  *export.Log
	cat  *provision.Catalog
	res  Result
}

func (p *prover) add(col, line int, rule, msg, hint string) {
	p.res.Findings = append(p.res.Findings, finding.Finding{File: p.rev.File, Cell: p.rev.CellRef(col, line), Rule: rule,
		Severity: finding.Error, Message: msg, Hint: hint})
}

func (p *prover) rows() {
	last := len(p.spec.Columns) + 1 // Markering
	seen := map[int]int{}           // Nr → line
	highest := 0
	p.res.Rows = len(p.rev.Rows)
	for _, row := range p.rev.Rows {
		nr, ok := parseNr(row.Cells[0])
		switch {
		case !ok:
			p.add(0, row.Line, RuleRows, fmt.Sprintf("Nr %q är inget radnummer", row.Cells[0]),
				"Nr knyter raden till råexporten; ändra det inte, och lägg inte till rader")
			p.res.Segments = append(p.res.Segments, nil) // stays aligned with the rows
			continue
		case seen[nr] != 0:
			p.add(0, row.Line, RuleRows, fmt.Sprintf("Nr %d finns redan på rad %d", nr, seen[nr]), "en rad har kopierats; ta bort kopian")
			p.res.Segments = append(p.res.Segments, nil) // stays aligned with the rows
			continue
		case p.raw != nil && nr > len(p.raw.Rows):
			p.add(0, row.Line, RuleRows, fmt.Sprintf("Nr %d finns inte i råexporten (den har %d rader): en tillagd rad?", nr, len(p.raw.Rows)), "ta bort raden")
			p.res.Segments = append(p.res.Segments, nil) // stays aligned with the rows
			continue
		case nr < highest:
			p.add(0, row.Line, RuleRows, fmt.Sprintf("raderna har bytt plats: Nr %d står efter Nr %d", nr, highest),
				"sortera inte om raderna; sortera på Nr (stigande) för att återställa ordningen")
		}
		seen[nr] = row.Line
		highest = max(highest, nr)
		p.marking(row, last) // P: the e-mail is not released; its row is masked like any other
		var rawRow *export.Row
		if p.raw != nil {
			rawRow = &p.raw.Rows[nr-1]
		}
		var spans []string
		segs := make([][]Segment, len(p.spec.Columns)+1)
		for i, c := range p.spec.Columns {
			var s []string
			s, segs[i+1] = p.cell(row, i+1, c, rawRow)
			spans = append(spans, s...)
			for _, sp := range s {
				p.res.SpanCells = append(p.res.SpanCells, SpanAt{Text: sp, Cell: p.rev.CellRef(i+1, row.Line)})
			}
		}
		p.res.Spans = append(p.res.Spans, spans)
		p.res.Segments = append(p.res.Segments, segs)
	}
	// Missing rows: every Nr up to the raw export's count (or, without it, the highest Nr)
	// must be there. Each gap is reported at the row where it would be.
	want := highest
	if p.raw != nil {
		want = len(p.raw.Rows)
	}
	for nr := 1; nr <= want; nr++ {
		if seen[nr] != 0 {
			continue
		}
		end := nr
		for end < want && seen[end+1] == 0 {
			end++
		}
		p.add(0, p.lineAfter(nr), RuleRows, missingText(nr, end), "rader får inte tas bort ur e-postloggen: hela loggen är allmän handling")
		nr = end
	}
}

// lineAfter is the sheet row of the first data row whose Nr is above nr, or the last row.
func (p *prover) lineAfter(nr int) int {
	line := 2
	for _, row := range p.rev.Rows {
		if n, ok := parseNr(row.Cells[0]); ok && n > nr {
			return row.Line
		}
		line = row.Line
	}
	return line
}

func missingText(from, to int) string {
	if from == to {
		return fmt.Sprintf("raden med Nr %d saknas", from)
	}
	return fmt.Sprintf("raderna med Nr %d–%d saknas", from, to)
}

func parseNr(s string) (int, bool) {
	v, ok := workbook.ParseNumber(s)
	if !ok || v < 1 || v != math.Trunc(v) || v > 1e7 {
		return 0, false
	}
	return int(v), true
}

// marking counts a P and reports any other mark.
func (p *prover) marking(row workbook.Row, col int) {
	m := strings.TrimSpace(row.Cells[col])
	switch m {
	case "":
		return
	case workflow.MarkPrivate:
		p.res.Private++
		return
	}
	hint := "skriv P för e-postmeddelanden av uteslutande privat karaktär, annars lämna tomt"
	if strings.EqualFold(m, workflow.MarkPrivate) {
		hint = "skriv stort P"
	}
	p.add(col, row.Line, RuleMark, fmt.Sprintf("markeringen %q är inte tillåten", m), hint)
}

// cell checks one data cell and returns the raw spans its masks hide, and its segments.
func (p *prover) cell(row workbook.Row, col int, c workflow.WorkbookColumn, raw *export.Row) ([]string, []Segment) {
	text := strings.ReplaceAll(row.Cells[col], "\r\n", "\n")
	if c.Kind == workflow.ColDate {
		if t, ok := p.rev.TimeOf(text, export.Stockholm); ok {
			if raw != nil && !sameTime(t, raw.Values[col-1].Time) {
				p.add(col, row.Line, RuleChanged, fmt.Sprintf("%s är %s men %s i råexporten", c.Name, t.Format("2006-01-02 15:04:05"),
					raw.Values[col-1].Time.Format("2006-01-02 15:04:05")), "ändra inte datum; maska hela cellen om tidpunkten är sekretessreglerad")
			}
			return nil, nil
		}
	}
	segs, problems := Split(text)
	for _, pr := range problems {
		p.add(col, row.Line, provision.RuleRef, fmt.Sprintf("%s: %s", pr.Text, pr.Err.Msg), pr.Err.Hint)
	}
	masked := false
	for _, s := range segs {
		if !s.Mask {
			continue
		}
		masked = true
		if _, _, err := p.cat.Resolve(s.Text); err != nil {
			pe := err.(*provision.ParseError)
			p.add(col, row.Line, provision.RuleRef, pe.Msg, pe.Hint)
			continue
		}
		p.res.Provisions[s.Ref.Base()]++
	}
	if c.Kind == workflow.ColDate && !(len(segs) == 1 && segs[0].Mask) && len(problems) == 0 {
		p.add(col, row.Line, RuleChanged, fmt.Sprintf("%s är ändrad till texten %q", c.Name, text),
			"ändra inte datum; maska hela cellen med en bestämmelse om tidpunkten är sekretessreglerad")
		return nil, segs
	}
	if raw == nil {
		return nil, segs
	}
	want := raw.Values[col-1]
	rawText := Escape(want.Text) // as the import wrote it: bracket text of the raw export is no mask
	if want.IsTime() {
		rawText = want.Time.Format("2006-01-02 15:04")
	}
	if !masked {
		if text != rawText {
			p.changed(col, row.Line, c.Name, rawText, text)
		}
		return nil, segs
	}
	spans, ok := Derive(rawText, segs)
	switch {
	case ok:
		for _, sp := range spans {
			if isEscapedGroup(sp) {
				p.add(col, row.Line, RuleRawRef, fmt.Sprintf("%s: hänvisningen %s står redan i råexporten och är ingen maskning", c.Name, Unescape(sp)),
					"skriv tillbaka "+sp+" med de breda hakparenteserna som importen skrev; loggens egen text räknas aldrig som en maskning och byter inte bestämmelse")
			}
		}
		return spans, segs
	case HidesNothing(rawText, segs):
		p.add(col, row.Line, RuleEmptyMask, "en maskning ersätter ingen text", "en maskning ska ersätta den sekretessreglerade texten, inte läggas till bredvid den")
	default:
		p.changed(col, row.Line, c.Name, rawText, text)
	}
	return nil, segs
}

func (p *prover) changed(col, line int, name, raw, got string) {
	hint := "ändra bara det som maskas; ersätt texten med bestämmelsen inom hakparenteser"
	trimmed := strings.TrimSpace(got)
	if strings.TrimSpace(strings.TrimSuffix(trimmed, "P")) == strings.TrimSpace(raw) || strings.TrimSpace(strings.TrimPrefix(trimmed, "P")) == strings.TrimSpace(raw) {
		hint = "P skrivs i kolumnen Markering, inte i " + name
	}
	p.add(col, line, RuleChanged, fmt.Sprintf("%s skiljer sig från råexporten utanför maskningarna: %s", name, diff(raw, got)), hint)
}

// diff describes where two texts part: the common start, then both versions of the rest,
// shortened.
func diff(raw, got string) string {
	rr, gr := []rune(raw), []rune(got)
	i := 0
	for i < len(rr) && i < len(gr) && rr[i] == gr[i] {
		i++
	}
	short := func(r []rune) string {
		if len(r) > 30 {
			return string(r[:30]) + "…"
		}
		return string(r)
	}
	return fmt.Sprintf("efter %d tecken står %q, i råexporten %q", i, short(gr[i:]), short(rr[i:]))
}

// sameTime compares wall clocks, to the second: Excel stores no time zone, so in the hour
// that occurs twice when the clocks go back (02:00–03:00 on the last Sunday of October) a
// workbook's 02:02 is either instant. Comparing instants would report a change that is not.
func sameTime(a, b time.Time) bool {
	d := wall(a).Sub(wall(b))
	return d > -time.Second && d < time.Second
}

func wall(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}
