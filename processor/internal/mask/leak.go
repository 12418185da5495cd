package mask

import (
	"fmt"
	"slices"
	"strings"
	"sync"
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
//
// Spans and text are compared folded (see Fold): case, invisible characters, look-alike
// letters, compatibility forms, accents other than å ä ö, and the kind and number of
// spaces, line breaks and dashes between words make no difference. A span is found
// wherever its folded text is in the folded text, also inside a longer word ("Anka" in
// "Ankas bil": a genitive or a compound still gives the name away).
type SpanIndex struct {
	spans  []SpanAt // the distinct folded texts, each with its first cell, in the order given
	lens   []int32  // each span's folded length in bytes
	maxLen int

	// An Aho–Corasick automaton over the folded spans' bytes. Its states are numbered
	// breadth first (0 is the root). The states near the root (numbers below dense), where
	// a scan spends most of its time, have a full row of transitions in delta, by byte
	// class: each byte of the spans is a class, every other byte is class 0 and leads back
	// to the root. The deeper states list their few children.
	class  [256]uint8
	starts [256]bool // the first bytes of the spans
	stride int32     // classes: the length of a row
	dense  int32
	delta  []state
	first  []int32 // state n's children are labels/next[first[n]:first[n+1]], by label
	labels []byte
	next   []state
	fail   []state // the state of the longest proper suffix that is a prefix of a span
	depth  []int32 // the length of the state's prefix
	best   []int32 // the longest span that ends at the state (itself or on its fail chain), -1: none
}

// state is a state of the automaton as a transition gives it: the offset of its row in
// delta for a state that has one, else dense*stride + (number - dense); with the high bit
// set when a span ends there. Scanning then costs one load a byte near the root.
type state = int32

const hitBit = -1 << 31

// num is the state's number.
func (idx *SpanIndex) num(s state) int32 {
	u := s &^ hitBit
	if lim := idx.dense * idx.stride; u >= lim {
		return u - lim + idx.dense
	}
	return u / idx.stride
}

// enc is the state numbered n, as a transition gives it.
func (idx *SpanIndex) enc(n int32) state {
	s := n * idx.stride
	if n >= idx.dense {
		s = idx.dense*idx.stride + n - idx.dense
	}
	if idx.best[n] >= 0 {
		s |= hitBit
	}
	return s
}

// denseDepth is the depth down to which states have a row of transitions (at most
// 1 + c + c² rows for c classes), unless the rows would have more than maxDelta entries.
const denseDepth = 2

var maxDelta = 1 << 20 // a variable for the tests

// NewSpanIndex indexes the spans of MinSpan characters or more, counted after folding (the
// first cell of each distinct folded text is kept). It returns nil when there is nothing
// to look for.
func NewSpanIndex(spans []SpanAt) *SpanIndex {
	idx := &SpanIndex{}
	seen := make(map[string]bool, len(spans))
	var folded []string
	var buf []byte
	for _, s := range spans {
		buf = foldAppend(buf[:0], s.Text)
		if utf8.RuneCount(buf) < MinSpan || seen[string(buf)] {
			continue
		}
		f := string(buf)
		seen[f] = true
		s.Text = strings.TrimSpace(s.Text)
		idx.spans = append(idx.spans, s)
		folded = append(folded, f)
	}
	if len(idx.spans) == 0 {
		return nil
	}
	idx.build(folded)
	return idx
}

// build makes the automaton of the folded spans.
func (idx *SpanIndex) build(folded []string) {
	// The trie, from the texts in order: each one's new states hang off the previous one's
	// path where they part, and every state's children come in the order of their labels.
	// Its states are numbered as they are made.
	sorted := make([]int32, len(folded))
	for i := range sorted {
		sorted[i] = int32(i)
	}
	slices.SortFunc(sorted, func(a, b int32) int { return strings.Compare(folded[a], folded[b]) })
	var used [256]bool
	kid, sibling, last := []int32{-1}, []int32{-1}, []int32{-1} // first child, next sibling, last child
	label, out := []byte{0}, []int32{-1}
	path := []int32{0}
	prev := ""
	for _, i := range sorted {
		f := folded[i]
		common := 0
		for common < len(prev) && common < len(f) && prev[common] == f[common] {
			common++
		}
		path = path[:common+1]
		for d := common; d < len(f); d++ {
			t, parent := int32(len(label)), path[d]
			kid, sibling, last = append(kid, -1), append(sibling, -1), append(last, -1)
			label, out = append(label, f[d]), append(out, -1)
			if last[parent] < 0 {
				kid[parent] = t
			} else {
				sibling[last[parent]] = t
			}
			last[parent] = t
			path = append(path, t)
			used[f[d]] = true
		}
		idx.starts[f[0]] = true
		out[path[len(f)]] = i // the texts are distinct: one span per state
		prev = f
	}
	idx.lens = make([]int32, len(folded))
	for i, f := range folded {
		idx.lens[i] = int32(len(f))
		idx.maxLen = max(idx.maxLen, len(f))
	}
	bytesOf := []byte{0} // class → byte
	for c := range 256 {
		if used[c] {
			idx.class[c] = uint8(len(bytesOf))
			bytesOf = append(bytesOf, byte(c))
		}
	}
	idx.stride = int32(len(bytesOf))

	// Numbered breadth first, with each state's depth and its children.
	n := len(label)
	order := make([]int32, 1, n) // number → trie state
	idx.depth = make([]int32, n)
	idx.first = make([]int32, n+1)
	idx.labels = make([]byte, 0, n-1)
	for i := 0; i < len(order); i++ {
		idx.first[i] = int32(len(idx.labels))
		for t := kid[order[i]]; t >= 0; t = sibling[t] {
			idx.depth[len(order)] = idx.depth[i] + 1
			idx.labels = append(idx.labels, label[t])
			order = append(order, t)
		}
	}
	idx.first[n] = int32(len(idx.labels))
	// The states with a row: those down to denseDepth, or less deep when their rows would
	// take too much room (spans of many different bytes).
	for d := int32(denseDepth); d >= 0; d-- {
		rows, _ := slices.BinarySearch(idx.depth, d+1) // numbered breadth first: by depth
		if idx.dense = int32(rows); rows*int(idx.stride) <= maxDelta {
			break
		}
	}
	idx.best = make([]int32, n)
	for i, t := range order {
		idx.best[i] = out[t]
	}
	// Fail states and the best span of each state, breadth first: a fail state is
	// shallower. The numbers are turned into states once the best spans are known.
	fail := make([]int32, n)
	step := func(f int32, c byte) int32 { // from state number f on c, by number
		for {
			for e := idx.first[f]; e < idx.first[f+1]; e++ {
				if idx.labels[e] == c {
					return e + 1 // children are numbered in the order of labels, after the root
				}
			}
			if f == 0 {
				return 0
			}
			f = fail[f]
		}
	}
	for i := range int32(n) {
		if idx.best[i] < 0 && i != 0 {
			idx.best[i] = idx.best[fail[i]]
		}
		for e := idx.first[i]; e < idx.first[i+1]; e++ {
			if i != 0 {
				fail[e+1] = step(fail[i], idx.labels[e])
			}
		}
	}
	idx.next = make([]state, len(idx.labels))
	for e := range idx.labels {
		idx.next[e] = idx.enc(int32(e + 1))
	}
	idx.fail = make([]state, n)
	for i, f := range fail {
		idx.fail[i] = idx.enc(f)
	}
	idx.delta = make([]state, idx.dense*idx.stride)
	for i := range idx.dense {
		row := idx.delta[i*idx.stride:][:idx.stride]
		for k := int32(1); k < idx.stride; k++ {
			f := i
			if i != 0 && !slices.Contains(idx.labels[idx.first[i]:idx.first[i+1]], bytesOf[k]) {
				f = fail[i]
			}
			row[k] = idx.enc(step(f, bytesOf[k]))
		}
		row[0] = idx.enc(0)
	}
}

// step is the automaton's move from state s on byte c.
func (idx *SpanIndex) step(s state, c byte) state {
	lim := idx.dense * idx.stride
	for {
		u := s &^ hitBit
		if u < lim {
			return idx.delta[u+int32(idx.class[c])]
		}
		n := u - lim + idx.dense
		for e := idx.first[n]; e < idx.first[n+1]; e++ {
			if l := idx.labels[e]; l >= c {
				if l == c {
					return idx.next[e]
				}
				break
			}
		}
		s = idx.fail[n]
	}
}

// hits keeps the hits of a scan until they are known to be final: at each end, the longest
// span that ends there is a candidate, and a candidate inside a longer one (beginning no
// later, ending no earlier) is dropped, so that a span containing another is the one
// reported ("Kalle Anka", not the "Anka" in it). Overlapping hits are both kept. Of the
// final hits, the first of each span is kept (a text that repeats a span a million times
// costs no memory).
type hits struct {
	pending []hit // starts (and ends) increasing
	head    int
	out     []hit    // the final hits, the first of each span, by start
	seen    []uint64 // the spans in out, a bit each (made with the first)
	spans   int      // how many spans the index has
	piece   int      // given to the hits added
	limit   int      // stop once out has this many, 0: never
}

type hit struct {
	span       int32
	piece      int
	start, end int // in bytes of the folded text
}

func (idx *SpanIndex) hits() hits { return hits{spans: len(idx.spans)} }

func (h *hits) stopped() bool { return h.limit > 0 && len(h.out) >= h.limit }

func (h *hits) add(span int32, start, end, maxLen int) {
	for len(h.pending) > h.head && h.pending[len(h.pending)-1].start >= start {
		h.pending = h.pending[:len(h.pending)-1]
	}
	h.pending = append(h.pending, hit{span, h.piece, start, end})
	// Later candidates end after end and begin at end+1-maxLen or later: those beginning
	// before that are final.
	for h.head < len(h.pending) && h.pending[h.head].start < end+1-maxLen {
		h.final(h.pending[h.head])
		h.head++
	}
	if h.head == len(h.pending) {
		h.pending, h.head = h.pending[:0], 0
	}
}

func (h *hits) final(x hit) {
	if h.seen == nil {
		h.seen = make([]uint64, (h.spans+63)/64)
	}
	w, b := x.span>>6, uint64(1)<<(x.span&63)
	if h.seen[w]&b == 0 {
		h.seen[w] |= b
		h.out = append(h.out, x)
	}
}

// flush makes the pending hits final, at the end of a text.
func (h *hits) flush() {
	for _, x := range h.pending[h.head:] {
		h.final(x)
	}
	h.pending, h.head = h.pending[:0], 0
}

// drop removes the final hits that drop reports.
func (h *hits) drop(drop func(hit) bool) {
	h.out = slices.DeleteFunc(h.out, func(x hit) bool {
		if drop(x) {
			h.seen[x.span>>6] &^= 1 << (x.span & 63)
			return true
		}
		return false
	})
}

// reset forgets the final hits.
func (h *hits) reset() {
	for _, x := range h.out { // seen is there when out is not empty
		h.seen[x.span>>6] = 0
	}
	h.out = h.out[:0]
}

// scan runs the automaton over folded text from state s and gives its hits to h (not
// flushed). It returns the state at the end of the text.
func scan[T string | []byte](idx *SpanIndex, text T, s state, h *hits) state {
	lim := idx.dense * idx.stride
	for i := 0; i < len(text); i++ {
		if s == 0 { // at the root: skip what begins no span
			for i < len(text) && !idx.starts[text[i]] {
				i++
			}
			if i == len(text) {
				break
			}
		}
		// idx.step, its common case by hand: this is the loop the time goes in.
		if u := s &^ hitBit; u < lim {
			s = idx.delta[u+int32(idx.class[text[i]])]
		} else {
			s = idx.step(s, text[i])
		}
		if s < 0 {
			b := idx.best[idx.num(s)]
			if h.add(b, i+1-int(idx.lens[b]), i+1, idx.maxLen); h.stopped() {
				break
			}
		}
	}
	return s
}

// across goes on from state s, the end of a folded text, over the folded texts that
// follow it, each after a space (the next cells of a row), and gives h the hits that
// begin in the first text: start is negative, counted back from its end. It stops as
// soon as no span begun in the first text can still match.
func (idx *SpanIndex) across(s state, next [][]byte, h *hits) {
	k := 0 // bytes since the end of the first text
	for _, t := range next {
		for i := -1; i < len(t); i++ {
			c := byte(' ')
			if i >= 0 {
				c = t[i]
			}
			s = idx.step(s, c)
			k++
			n := idx.num(s)
			if int(idx.depth[n]) <= k {
				return
			}
			if b := idx.best[n]; b >= 0 && int(idx.lens[b]) > k {
				h.add(b, k-int(idx.lens[b]), k, idx.maxLen)
			}
		}
	}
}

// Find returns the spans found in text (each once, in order of first appearance). text is
// folded first, and line breaks are spaces: a span wrapped over two lines is found. To
// have a span found that runs from one text into the next (the cells of a row, the lines
// a PDF draws), pass them joined with a space or a line break. Texts that must not be read
// as one (with a mask between them, or unrelated) are joined with NUL, or searched one by
// one. Never join texts with nothing, which runs words together, nor with another control
// or a format character, which Fold removes.
func (idx *SpanIndex) Find(text string) []SpanAt {
	if idx == nil || text == "" {
		return nil
	}
	h := idx.hits()
	buf := foldBuffers.Get().(*[]byte)
	*buf = foldAppend((*buf)[:0], text)
	scan(idx, *buf, 0, &h)
	foldBuffers.Put(buf)
	h.flush()
	var out []SpanAt
	for _, x := range h.out {
		out = append(out, idx.spans[x.span])
	}
	return out
}

// foldBuffers hold folded text while it is searched: most texts are cells, searched one
// after another.
var foldBuffers = sync.Pool{New: func() any { return new([]byte) }}

// Any reports whether any span is in any of texts (each searched as Find does).
func (idx *SpanIndex) Any(texts []string) bool {
	if idx == nil {
		return false
	}
	h := idx.hits()
	h.limit = 1
	buf := foldBuffers.Get().(*[]byte)
	defer foldBuffers.Put(buf)
	for _, t := range texts {
		*buf = foldAppend((*buf)[:0], t)
		scan(idx, *buf, 0, &h)
		if h.flush(); len(h.out) > 0 {
			return true
		}
	}
	return false
}

// Leaks reports every cell of the workbook whose readable (unmasked) text holds a span that
// a mask hides elsewhere (or in the same cell): the same information masked in one place
// and left in another. res is the proof with the raw export (res.SpanCells); without it
// there is nothing to compare and Leaks returns nothing. The secret is never in a message.
//
// Each cell's text is searched folded (see SpanIndex), the text on either side of a mask
// apart. A span may also run from the end of one cell into the start of the next cell of
// the row ("Kalle" last in Från, "Anka" first in Till): adjacent cells are read as if
// joined by a space, unless a mask, an empty cell or a date column is between them. Such
// a leak is reported at the cell where it begins.
func Leaks(rev *workbook.Review, spec *workflow.WorkbookSpec, res *Result) finding.List {
	idx := NewSpanIndex(res.SpanCells)
	if idx == nil {
		return nil
	}
	var fs finding.List
	cells := make([]leakCell, len(spec.Columns))
	var buf []byte                     // the row's folded text
	h, cross := idx.hits(), idx.hits() // a cell's hits, and those that run on from it
	cross.piece = -1
	var next [][]byte
	for ri, row := range rev.Rows {
		buf = buf[:0]
		for i, c := range spec.Columns {
			lc := &cells[i]
			*lc = leakCell{pieces: lc.pieces[:0]}
			if c.Kind == workflow.ColDate {
				continue
			}
			var segs []Segment
			if ri < len(res.Segments) && res.Segments[ri] != nil {
				segs = res.Segments[ri][i+1]
			} else {
				segs, _ = Split(row.Cells[i+1])
			}
			lc.text = true
			if len(segs) == 0 { // empty: nothing runs into or across it
				lc.pieces = append(lc.pieces, [2]int{len(buf), len(buf)})
				continue
			}
			lc.opens, lc.closes = !segs[0].Mask, !segs[len(segs)-1].Mask
			for _, s := range segs {
				if !s.Mask {
					start := len(buf)
					buf = foldAppend(buf, s.Text)
					lc.pieces = append(lc.pieces, [2]int{start, len(buf)})
				}
			}
		}
		for i, c := range spec.Columns {
			lc := &cells[i]
			if !lc.text {
				continue
			}
			h.reset()
			var end state
			for pi, p := range lc.pieces {
				h.piece = pi
				end = scan(idx, buf[p[0]:p[1]], 0, &h)
				h.flush()
			}
			if lc.closes && end != 0 && i+1 < len(cells) && cells[i+1].text && cells[i+1].opens {
				// What runs on into the next cells, up to the first mask.
				next = next[:0]
				for j := i + 1; j < len(cells) && cells[j].text && cells[j].opens; j++ {
					p := cells[j].pieces[0]
					next = append(next, buf[p[0]:p[1]])
					if len(cells[j].pieces) > 1 || !cells[j].closes {
						break
					}
				}
				cross.reset()
				idx.across(end, next, &cross)
				cross.flush()
				if len(cross.out) > 0 {
					// A hit of the last piece inside one that runs on is not reported apart.
					last := len(lc.pieces) - 1
					from := lc.pieces[last][1] - lc.pieces[last][0] + cross.out[0].start // the first begins first
					h.drop(func(y hit) bool { return y.piece == last && y.start >= from })
					for _, x := range cross.out {
						h.final(x)
					}
				}
			}
			if len(h.out) == 0 {
				continue
			}
			ref := rev.CellRef(i+1, row.Line)
			for _, x := range h.out { // each span once
				sp := idx.spans[x.span]
				where := "i " + sp.Cell
				if sp.Cell == ref {
					where = "på ett annat ställe i samma cell"
				}
				fs = append(fs, finding.Finding{File: rev.File, Cell: ref, Rule: RuleLeak, Severity: finding.Error,
					Message: fmt.Sprintf("%s innehåller omaskad text (%d tecken) som är maskad %s", c.Name, utf8.RuneCountInString(sp.Text), where),
					Hint:    fmt.Sprintf("samma uppgift ska maskas överallt: maska den även här med bestämmelsen, eller ändra maskningen i %s", sp.Cell)})
			}
		}
	}
	return fs
}

// leakCell is a data cell of a row as Leaks reads it.
type leakCell struct {
	text   bool     // searched (not a date)
	opens  bool     // begins with text (not a mask): a span may run into it
	closes bool     // ends with text: a span may run on into the next cell
	pieces [][2]int // the folded text between the masks, in the row's buffer
}
