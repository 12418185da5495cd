package mask

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"utlamnande/processor/internal/provision"
)

// TextProblem is a finding of the proof of a masked text, at a line and column (1-based,
// columns in characters) of the masked text.
type TextProblem struct {
	Line, Col int
	Rule      string
	Msg       string
	Hint      string
}

// TextResult is what the proof of one masked text found.
type TextResult struct {
	Problems   []TextProblem
	Spans      []string              // the raw text each mask hides, in order
	Provisions map[provision.Ref]int // masks per provision (section level)
	Masks      int
	Segments   []Segment // the masked text split into text and masks
}

// ProveText proves a masked text (a review text of an e-mail) against the original the
// import wrote (escaped as the import writes it: Escape): it must equal the original with
// one or more non-empty spans replaced by provision references from cat, nothing else
// changed. Line breaks are text like any other; a mask may hide several lines.
func ProveText(original, masked string, cat *provision.Catalog) TextResult {
	masked = strings.ReplaceAll(masked, "\r\n", "\n")
	original = strings.ReplaceAll(original, "\r\n", "\n")
	res := TextResult{Provisions: map[provision.Ref]int{}}
	add := func(offset int, rule, msg, hint string) {
		line, col := position(masked, offset)
		res.Problems = append(res.Problems, TextProblem{Line: line, Col: col, Rule: rule, Msg: msg, Hint: hint})
	}
	segs, problems := Split(masked)
	res.Segments = segs
	offsets := segmentOffsets(segs)
	for _, pr := range problems {
		add(strings.Index(masked, pr.Text), provision.RuleRef, fmt.Sprintf("%s: %s", pr.Text, pr.Err.Msg), pr.Err.Hint)
	}
	for i, s := range segs {
		if !s.Mask {
			continue
		}
		res.Masks++
		if _, _, err := cat.Resolve(s.Text); err != nil {
			pe := err.(*provision.ParseError)
			add(offsets[i], provision.RuleRef, pe.Msg, pe.Hint)
			continue
		}
		res.Provisions[s.Ref.Base()]++
	}
	if res.Masks == 0 {
		if masked != original {
			at := firstDiff(original, masked)
			add(at, RuleChanged, "texten är ändrad: "+diffAt(original, masked, at), "ändra bara det som maskas; ersätt den sekretessreglerade texten med bestämmelsen inom hakparenteser")
		}
		return res
	}
	spans, ok := Derive(original, segs)
	switch {
	case ok:
		res.Spans = spans
		k := 0
		for i, s := range segs {
			if !s.Mask {
				continue
			}
			if isEscapedGroup(spans[k]) {
				add(offsets[i], RuleRawRef, fmt.Sprintf("hänvisningen %s står redan i e-postmeddelandet och är ingen maskning", Unescape(spans[k])),
					"skriv tillbaka "+spans[k]+" med de breda hakparenteserna som importen skrev; meddelandets egen text räknas aldrig som en maskning")
			}
			k++
		}
	case HidesNothing(original, segs):
		at := 0
		for i, s := range segs { // the first mask that can hide nothing: report there
			if s.Mask {
				at = offsets[i]
				break
			}
		}
		add(at, RuleEmptyMask, "en maskning ersätter ingen text", "en maskning ska ersätta den sekretessreglerade texten, inte läggas till bredvid den")
	default:
		at := divergence(original, segs, offsets)
		add(at, RuleChanged, "texten är ändrad: "+diffAt(original, masked, at), "ändra bara det som maskas; ersätt den sekretessreglerade texten med bestämmelsen inom hakparenteser, och lägg inte till eller ta bort något annat (inte heller radbrytningar)")
	}
	return res
}

// segmentOffsets returns each segment's byte offset in the text it was split from.
func segmentOffsets(segs []Segment) []int {
	out := make([]int, len(segs))
	n := 0
	for i, s := range segs {
		out[i] = n
		n += len(s.Text)
	}
	return out
}

// divergence finds where a masked text stops following its original: the first literal
// segment that cannot be matched in order (after a mask, anywhere later in the original),
// at the first character where it differs from the best place.
func divergence(original string, segs []Segment, offsets []int) int {
	pos := 0
	afterMask := false
	for i, s := range segs {
		if s.Mask {
			afterMask = true
			pos++ // a mask hides at least one byte
			continue
		}
		if !afterMask {
			if strings.HasPrefix(original[min(pos, len(original)):], s.Text) {
				pos += len(s.Text)
				continue
			}
			return offsets[i] + commonPrefix(original[min(pos, len(original)):], s.Text)
		}
		if pos > len(original) {
			return offsets[i]
		}
		j := strings.Index(original[pos:], s.Text)
		if j < 0 {
			// The longest start of the segment that is found: the change is after it.
			best := 0
			for n := len(s.Text) - 1; n > 0; n-- {
				if !utf8.RuneStart(s.Text[n]) {
					continue
				}
				if strings.Contains(original[pos:], s.Text[:n]) {
					best = n
					break
				}
			}
			return offsets[i] + best
		}
		pos += j + len(s.Text)
		afterMask = false
	}
	return offsets[len(offsets)-1]
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	for n > 0 && n < len(b) && !utf8.RuneStart(b[n]) {
		n--
	}
	return n
}

func firstDiff(a, b string) int { return commonPrefix(a, b) }

// diffAt describes the masked text at offset, beside the original there.
func diffAt(original, masked string, at int) string {
	got := excerpt(masked, at)
	if at <= len(original) {
		return fmt.Sprintf("här står %q, i e-postmeddelandet %q", got, excerpt(original, at))
	}
	return fmt.Sprintf("här står %q", got)
}

// excerpt is up to 30 characters of s from offset at, on one line.
func excerpt(s string, at int) string {
	if at > len(s) {
		return ""
	}
	rest := s[at:]
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i] + "⏎"
	}
	if utf8.RuneCountInString(rest) > 30 {
		r := []rune(rest)
		rest = string(r[:30]) + "…"
	}
	return rest
}

// position is the 1-based line and column (in characters) of byte offset at in s.
func position(s string, at int) (line, col int) {
	at = min(max(at, 0), len(s))
	before := s[:at]
	line = strings.Count(before, "\n") + 1
	start := strings.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCountInString(before[start:]) + 1
}
