// Package mask reads masked text and proves it: a masked span is replaced by a bracketed
// provision reference ("Ang. patient [25 kap. 1 § OSL]"), and a masked cell must equal its
// raw cell with one or more non-empty spans replaced by references, nothing else changed.
package mask

import (
	"errors"
	"regexp"
	"strings"

	"utlamnande/processor/internal/provision"
)

// Segment is a piece of a masked cell: literal text, or a mask.
type Segment struct {
	Text string        // the literal text, or the bracket group as written for a mask
	Mask bool          // a provision reference standing for masked text
	Ref  provision.Ref // the reference, for masks
}

// Problem is a bracket group that looks like a reference but cannot be read.
type Problem struct {
	Text string
	Err  *provision.ParseError
}

// looksLikeRef tells a reference with a typo ("[25 kap 1§]", "[OSL]", "[]") from ordinary
// bracketed text in subjects ("[EXTERN]", "[Ärende 2]"): empty brackets, OSL or §, or a
// number with kap or a colon.
var looksLikeRef = regexp.MustCompile(`(?i)^\[\s*\]$|osl|§|\d.*(kap|:)|kap.*\d`)

// Split splits a cell into literal text and masks. A bracket group (the innermost: "[b
// [OSL 25:1]" is the text "[b " and a mask) that reads as a provision reference is a mask;
// one that looks like a reference but cannot be read is a Problem (and kept as text); any
// other bracket group is text, and so is a group with full-width brackets (Escape).
func Split(cell string) ([]Segment, []Problem) {
	if strings.IndexByte(cell, '[') < 0 { // most cells: no masks, no copy
		if cell == "" {
			return nil, nil
		}
		return []Segment{{Text: cell}}, nil
	}
	var segs []Segment
	var problems []Problem
	lit := strings.Builder{}
	flush := func() {
		if lit.Len() > 0 {
			segs = append(segs, Segment{Text: lit.String()})
			lit.Reset()
		}
	}
	last := 0
	for pos := 0; ; {
		open, end, ok := nextGroup(cell, pos)
		if !ok {
			break
		}
		pos = end
		group := cell[open:end]
		ref, err := provision.Parse(group)
		switch {
		case err == nil:
			lit.WriteString(cell[last:open])
			flush()
			segs = append(segs, Segment{Text: group, Mask: true, Ref: ref})
			last = end
		case looksLikeRef.MatchString(group):
			var pe *provision.ParseError
			if errors.As(err, &pe) {
				problems = append(problems, Problem{Text: group, Err: pe})
			}
		}
	}
	lit.WriteString(cell[last:])
	flush()
	return segs, problems
}

// HasMask reports whether segs contain a mask.
func HasMask(segs []Segment) bool {
	for _, s := range segs {
		if s.Mask {
			return true
		}
	}
	return false
}

// Literal returns the literal text of segs with each mask left out: the text that stays.
func Literal(segs []Segment) []string {
	var out []string
	for _, s := range segs {
		if !s.Mask {
			out = append(out, s.Text)
		}
	}
	return out
}

// Derive checks that the masked cell segs can be made from raw by replacing one non-empty
// span of raw per mask, and returns those spans (the masked text). With minLen 0 it allows
// empty spans, which tells a mask that hides nothing from a changed text.
func Derive(raw string, segs []Segment) ([]string, bool) {
	return derive(raw, segs, 1)
}

func derive(raw string, segs []Segment, minLen int) ([]string, bool) {
	type key struct{ seg, pos int }
	failed := map[key]bool{}
	spans := make([]string, 0, 4)
	var match func(seg, pos int) bool
	match = func(seg, pos int) bool {
		if seg == len(segs) {
			return pos == len(raw)
		}
		if failed[key{seg, pos}] {
			return false
		}
		s := segs[seg]
		if !s.Mask {
			if strings.HasPrefix(raw[pos:], s.Text) && match(seg+1, pos+len(s.Text)) {
				return true
			}
			failed[key{seg, pos}] = true
			return false
		}
		// A mask: the shortest span after which the rest matches.
		for end := pos + minLen; end <= len(raw); end++ {
			if end > pos && !isBoundary(raw, end) {
				continue
			}
			spans = append(spans, raw[pos:end])
			if match(seg+1, end) {
				return true
			}
			spans = spans[:len(spans)-1]
		}
		failed[key{seg, pos}] = true
		return false
	}
	if !match(0, 0) {
		return nil, false
	}
	return spans, true
}

// isBoundary reports whether i is the start of a UTF-8 character in s (spans never split a
// character).
func isBoundary(s string, i int) bool {
	return i == len(s) || s[i]&0xC0 != 0x80
}

// HidesNothing reports whether segs derive from raw only if some mask replaces no text.
func HidesNothing(raw string, segs []Segment) bool {
	if _, ok := derive(raw, segs, 1); ok {
		return false
	}
	_, ok := derive(raw, segs, 0)
	return ok
}
