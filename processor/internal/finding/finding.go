// Package finding holds the results of checks: a problem found in a file, at a position,
// by a named rule, with a Swedish message and a hint.
//
// A Go error means "the job could not be done"; a Finding means "the job found a problem".
// Findings are data: packages return them, only the CLI prints them.
package finding

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Severity tells whether a finding blocks (Fel) or only informs (Varning).
type Severity string

const (
	// Error blocks: the case is not valid until it is fixed.
	Error Severity = "fel"
	// Warning informs: it is shown but does not make the check fail.
	Warning Severity = "varning"
)

// Finding is one problem at one position. Line and Col are 1-based; 0 means unknown.
// File is slash-separated and relative to the repository root where possible.
type Finding struct {
	File     string   `json:"fil"`
	Line     int      `json:"rad,omitempty"`
	Col      int      `json:"kolumn,omitempty"`
	Cell     string   `json:"cell,omitempty"` // spreadsheet position such as "Logg!F17", used instead of Line/Col
	Rule     string   `json:"regel"`
	Severity Severity `json:"allvarlighet"`
	Message  string   `json:"meddelande"`
	Hint     string   `json:"tips,omitempty"`
}

// Pos returns the position part of the line format: "file:line:col", "file:line", "file:Sheet!A1" or "file".
// Control characters in the file name and cell are escaped (Printable).
func (f Finding) Pos() string {
	file := Printable(f.File)
	switch {
	case f.Cell != "":
		return file + ":" + Printable(f.Cell)
	case f.Line > 0 && f.Col > 0:
		return fmt.Sprintf("%s:%d:%d", file, f.Line, f.Col)
	case f.Line > 0:
		return fmt.Sprintf("%s:%d", file, f.Line)
	default:
		return file
	}
}

// String formats a finding as one line: "path:line:col: regel: meddelande (tips: …)".
// Warnings carry "varning: " before the message. White space in the message and hint is
// folded to single spaces and control characters are escaped (Printable): the text may
// quote the input (a heading, a cell, a file name).
func (f Finding) String() string {
	var b strings.Builder
	b.WriteString(f.Pos())
	b.WriteString(": ")
	b.WriteString(Printable(f.Rule))
	b.WriteString(": ")
	if f.Severity == Warning {
		b.WriteString("varning: ")
	}
	b.WriteString(Printable(oneLine(f.Message)))
	if f.Hint != "" {
		b.WriteString(" (tips: ")
		b.WriteString(Printable(oneLine(f.Hint)))
		b.WriteString(")")
	}
	return b.String()
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Printable returns s safe to print on a terminal, on one line: every control character is
// escaped, so that text from the input (a file name, a heading, a cell of a raw export) can
// neither move the cursor, recolour the terminal, end the line nor hide what follows. Escaped
// are C0 controls but tab (\x00 … \x1f, so also line feed and carriage return), DEL (\x7f),
// C1 controls (\u0080 … \u009f), the line and paragraph separators (\u2028, \u2029), the
// bidirectional controls that reorder what is shown (\u202a … \u202e, \u2066 … \u2069),
// and bytes that are not UTF-8 (\xff). The rest, å ä ö included, is kept. An escape is
// written as Go writes one, so a NUL shows as \x00.
func Printable(s string) string { return printable(s, false) }

// PrintableLines is Printable but keeps line feeds: for a message that is meant to have
// several lines (an error carrying git's output).
func PrintableLines(s string) string { return printable(s, true) }

func printable(s string, lines bool) string {
	clean := true
	for i, r := range s {
		if r == utf8.RuneError || escaped(r, lines) {
			clean = r == utf8.RuneError && isReplacement(s[i:]) // U+FFFD itself is fine
			if !clean {
				break
			}
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case escaped(r, lines) && r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case escaped(r, lines):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isReplacement reports whether s starts with an encoded U+FFFD (rather than a byte that is
// not UTF-8, which DecodeRune also returns as U+FFFD).
func isReplacement(s string) bool {
	_, size := utf8.DecodeRuneInString(s)
	return size == 3
}

func escaped(r rune, lines bool) bool {
	switch {
	case r == '\t', lines && r == '\n':
		return false
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x2028, r == 0x2029, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// List is a set of findings.
type List []Finding

// Add appends a finding of severity Error.
func (l *List) Add(file string, line, col int, rule, msg, hint string) {
	*l = append(*l, Finding{File: file, Line: line, Col: col, Rule: rule, Severity: Error, Message: msg, Hint: hint})
}

// Warn appends a finding of severity Warning.
func (l *List) Warn(file string, line, col int, rule, msg, hint string) {
	*l = append(*l, Finding{File: file, Line: line, Col: col, Rule: rule, Severity: Warning, Message: msg, Hint: hint})
}

// HasErrors reports whether any finding is an error.
func (l List) HasErrors() bool {
	return slices.ContainsFunc(l, func(f Finding) bool { return f.Severity != Warning })
}

// Errors returns the findings that are errors (not warnings), in order.
func (l List) Errors() List {
	var out List
	for _, f := range l {
		if f.Severity != Warning {
			out = append(out, f)
		}
	}
	return out
}

// Sorted returns the findings sorted by file, line, column, cell, rule and message, without duplicates.
func (l List) Sorted() List {
	out := slices.Clone(l)
	slices.SortFunc(out, compare)
	return slices.Compact(out)
}

func compare(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Col, b.Col),
		compareCells(a.Cell, b.Cell),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Message, b.Message),
		cmp.Compare(a.Hint, b.Hint),
		cmp.Compare(a.Severity, b.Severity),
	)
}

// compareCells orders "Logg!F9" before "Logg!F10": by sheet, row number, then column letters.
func compareCells(a, b string) int {
	if a == b {
		return 0
	}
	sa, ra, ca := splitCell(a)
	sb, rb, cb := splitCell(b)
	return cmp.Or(cmp.Compare(sa, sb), cmp.Compare(ra, rb), cmp.Compare(len(ca), len(cb)), cmp.Compare(ca, cb))
}

func splitCell(c string) (sheet string, row int, col string) {
	ref := c
	if i := strings.LastIndexByte(c, '!'); i >= 0 {
		sheet, ref = c[:i], c[i+1:]
	}
	i := 0
	for i < len(ref) && (ref[i] < '0' || ref[i] > '9') {
		i++
	}
	col = ref[:i]
	for _, r := range ref[i:] {
		if r < '0' || r > '9' {
			return sheet, row, col
		}
		row = row*10 + int(r-'0')
	}
	return sheet, row, col
}
