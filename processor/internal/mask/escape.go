package mask

import (
	"strings"

	"utlamnande/processor/internal/provision"
)

// Bracket text that is already in the raw export ("Re: [OSL 25:1] remiss") is raw text,
// never a mask. The import writes such a group with full-width brackets (U+FF3B, U+FF3D:
// "［OSL 25:1］"), which Split reads as text, and the proof compares the workbook with the
// raw export escaped the same way; the PDF draws the group with the brackets it had in the
// raw export (Unescape). Only groups that would read as a mask or as a mistyped reference
// are escaped: "[EXTERN]" stays as it is.
const (
	escOpen  = "［"
	escClose = "］"
	// maxNesting is how deep bracket groups inside groups are escaped.
	maxNesting = 8
)

// nextGroup finds the next bracket group in s at or after from: the innermost "[...]", an
// opening bracket with no bracket between it and the first closing one after it. ok is
// false when s has no more groups.
func nextGroup(s string, from int) (open, end int, ok bool) {
	for from < len(s) {
		c := strings.IndexByte(s[from:], ']')
		if c < 0 {
			return 0, 0, false
		}
		c += from
		if o := strings.LastIndexByte(s[from:c], '['); o >= 0 {
			return from + o, c + 1, true
		}
		from = c + 1 // a closing bracket with no opening one: text
	}
	return 0, 0, false
}

// readsAsRef reports whether the bracket group g would be read as a mask or as a reference
// that cannot be read (a Problem).
func readsAsRef(g string) bool {
	if _, err := provision.Parse(g); err == nil {
		return true
	}
	return looksLikeRef.MatchString(g)
}

// Escape returns raw text as the review workbook shows it: every bracket group that would
// read as a mask, or as a mistyped reference, with full-width brackets. It repeats until no
// group reads so ("[a [OSL 25:1] b]": first the inner group, then the outer one, which
// reads as a reference once its inner brackets are full-width), at most maxNesting times: a
// reference never parses with brackets inside, so only the first pass can find a mask, and
// what deeper nesting leaves is a group the proof reports as unreadable (a finding, never a
// mask), at linear cost for a hostile cell.
func Escape(raw string) string {
	for range maxNesting {
		if strings.IndexByte(raw, '[') < 0 {
			break
		}
		next := escapeOnce(raw)
		if next == raw {
			break
		}
		raw = next
	}
	return raw
}

func escapeOnce(s string) string {
	var b strings.Builder
	last := 0
	for pos := 0; ; {
		open, end, ok := nextGroup(s, pos)
		if !ok {
			break
		}
		pos = end
		if g := s[open:end]; readsAsRef(g) {
			b.WriteString(s[last:open])
			b.WriteString(escOpen)
			b.WriteString(g[1 : len(g)-1])
			b.WriteString(escClose)
			last = end
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// Unescape turns the groups Escape wrote back into the brackets of the raw export, the
// innermost first: the text the PDF draws for a literal segment. (A raw text with
// full-width brackets of its own around a reference is drawn with ordinary ones.)
func Unescape(text string) string {
	for range maxNesting {
		if !strings.Contains(text, escOpen) {
			break
		}
		next := unescapeOnce(text)
		if next == text {
			break
		}
		text = next
	}
	return text
}

func unescapeOnce(text string) string {
	var b strings.Builder
	changed := false
	for {
		o := strings.Index(text, escOpen)
		if o < 0 {
			break
		}
		rest := text[o+len(escOpen):]
		c := strings.Index(rest, escClose)
		if c < 0 {
			break
		}
		inner := rest[:c]
		if i := strings.LastIndex(inner, escOpen); i >= 0 { // not the innermost: go on from the inner one
			b.WriteString(text[:o+len(escOpen)+i])
			text = rest[i:]
			continue
		}
		if !readsAsRef("[" + inner + "]") {
			b.WriteString(text[:o+len(escOpen)+c+len(escClose)])
			text = rest[c+len(escClose):]
			continue
		}
		b.WriteString(text[:o])
		b.WriteString("[" + inner + "]")
		text = rest[c+len(escClose):]
		changed = true
	}
	if !changed {
		return b.String() + text
	}
	b.WriteString(text)
	return b.String()
}

// isEscapedGroup reports whether span is exactly one group Escape wrote (its first
// full-width bracket closes at its end): a mask that replaces only raw bracket text hides
// nothing of the e-mail and would relabel it.
func isEscapedGroup(span string) bool {
	if !strings.HasPrefix(span, escOpen) || !strings.HasSuffix(span, escClose) || Unescape(span) == span {
		return false
	}
	depth := 0
	for i := 0; i < len(span); {
		switch {
		case strings.HasPrefix(span[i:], escOpen):
			depth++
			i += len(escOpen)
		case strings.HasPrefix(span[i:], escClose):
			depth--
			i += len(escClose)
			if depth == 0 {
				return i == len(span)
			}
		default:
			i++
		}
	}
	return false
}
