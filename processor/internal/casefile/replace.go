package casefile

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// ReplaceStepValues returns request.md's bytes with the values of fields (each already
// there, a one-line scalar) of the recorded step replaced, and every other byte kept as
// the registrator wrote it: BOM, line ends, comments, quoting of other values, order. The
// step may be written in block form or on one line ({...}). c must be the parse of data.
func ReplaceStepValues(data []byte, c *Case, step string, fields []Field) ([]byte, error) {
	n, err := c.stepMapping(step)
	if err != nil {
		return nil, err
	}
	flow := n.Style&yaml.FlowStyle != 0
	bom := 0
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		bom = 3
	}
	// Byte offset of each line's start (node lines are counted without the BOM).
	starts := []int{bom}
	for i := bom; i < len(data); i++ {
		if data[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	type span struct {
		from, to int
		text     string
	}
	var spans []span
	for _, f := range fields {
		var v *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == f.Key {
				v = n.Content[i+1]
			}
		}
		if v == nil || v.Kind != yaml.ScalarNode || v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 || v.Line < 1 || v.Line > len(starts) {
			return nil, fmt.Errorf("%s i steget %s i %s kan inte bytas: skriv det som ett enkelt värde på en rad", f.Key, step, c.File)
		}
		lineEnd := len(data)
		if v.Line < len(starts) {
			lineEnd = starts[v.Line] - 1
		}
		line := data[starts[v.Line-1]:lineEnd]
		from, ok := runeOffset(line, v.Column-1)
		if !ok {
			return nil, fmt.Errorf("%s i steget %s i %s kan inte hittas i filen", f.Key, step, c.File)
		}
		to, ok := scalarEnd(line, from, v.Style, flow)
		if !ok || !sameScalar(string(line[from:to]), v) {
			return nil, fmt.Errorf("%s i steget %s i %s kan inte bytas: skriv det som ett enkelt värde på en rad", f.Key, step, c.File)
		}
		spans = append(spans, span{starts[v.Line-1] + from, starts[v.Line-1] + to, scalarText(f.Value, v.Style)})
	}
	out := append([]byte(nil), data...)
	// Back to front, so the offsets before each replacement stay valid.
	slices.SortFunc(spans, func(a, b span) int { return a.from - b.from })
	for i := len(spans) - 1; i >= 0; i-- {
		s := spans[i]
		out = append(out[:s.from:s.from], append([]byte(s.text), out[s.to:]...)...)
	}
	// The result must read back with exactly the new values.
	again, _ := Parse(c.Dir, c.File, out)
	if again.Root == nil {
		return nil, fmt.Errorf("internt fel: %s skulle inte gå att läsa efter ändringen; inget har skrivits", c.File)
	}
	for _, f := range fields {
		if got, ok := stepValue(again, step, f.Key); !ok || got != f.Value {
			return nil, fmt.Errorf("internt fel: %s i steget %s skulle bli %q, inte %q; inget har skrivits", f.Key, step, got, f.Value)
		}
	}
	return out, nil
}

func stepValue(c *Case, step, key string) (string, bool) {
	for _, p := range c.Steps {
		if p.Key != step || p.Value.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(p.Value.Content); i += 2 {
			if p.Value.Content[i].Value == key {
				return p.Value.Content[i+1].Value, true
			}
		}
	}
	return "", false
}

// runeOffset is the byte offset of rune col (0-based) in line; yaml.v3 counts columns in
// characters.
func runeOffset(line []byte, col int) (int, bool) {
	off := 0
	for range col {
		if off >= len(line) {
			return 0, false
		}
		_, size := utf8.DecodeRune(line[off:])
		off += size
	}
	return off, off <= len(line)
}

// scalarEnd is where the scalar starting at from in line ends.
func scalarEnd(line []byte, from int, style yaml.Style, flow bool) (int, bool) {
	switch {
	case style&yaml.DoubleQuotedStyle != 0:
		for i := from + 1; i < len(line); i++ {
			switch line[i] {
			case '\\':
				i++
			case '"':
				return i + 1, true
			}
		}
		return 0, false
	case style&yaml.SingleQuotedStyle != 0:
		for i := from + 1; i < len(line); i++ {
			if line[i] == '\'' {
				if i+1 < len(line) && line[i+1] == '\'' {
					i++
					continue
				}
				return i + 1, true
			}
		}
		return 0, false
	}
	end := len(line)
	for i := from; i < len(line); i++ {
		if line[i] == '\r' || line[i] == '#' && i > from && (line[i-1] == ' ' || line[i-1] == '\t') ||
			flow && (line[i] == ',' || line[i] == '}' || line[i] == ']') {
			end = i
			break
		}
	}
	for end > from && (line[end-1] == ' ' || line[end-1] == '\t') {
		end--
	}
	return end, end > from
}

// sameScalar reports whether the source text src is the scalar v (so the right bytes are
// replaced).
func sameScalar(src string, v *yaml.Node) bool {
	if v.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 {
		return src == v.Value
	}
	var s string
	return yaml.Unmarshal([]byte(src), &s) == nil && s == v.Value
}

var plainSafe = regexp.MustCompile(`^[\p{L}\p{N}_][\p{L}\p{N}_.\-]*$`)

// scalarText writes value in the style the old value had: quoted stays quoted; a plain
// value stays plain when it reads back as the same text.
func scalarText(value string, style yaml.Style) string {
	switch {
	case style&yaml.SingleQuotedStyle != 0:
		return "'" + strings.ReplaceAll(value, "'", "''") + "'"
	case style&yaml.DoubleQuotedStyle == 0 && plainSafe.MatchString(value):
		var n yaml.Node
		if yaml.Unmarshal([]byte("k: "+value), &n) == nil && len(n.Content) == 1 && len(n.Content[0].Content) == 2 &&
			n.Content[0].Content[1].Value == value {
			return value
		}
	}
	return strconv.Quote(value)
}

// stepMapping returns the mapping of the recorded step, or an error that says why a step
// cannot be edited (the front matter does not parse, or the step is not recorded so).
func (c *Case) stepMapping(step string) (*yaml.Node, error) {
	if c.Root == nil {
		return nil, fmt.Errorf("front matter i %s kan inte läsas; rätta den först", c.File)
	}
	var n *yaml.Node
	for _, p := range c.Steps {
		if p.Key == step {
			n = p.Value
		}
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("steget %s är inte registrerat i %s", step, c.File)
	}
	return n, nil
}

// editLines splits request.md's bytes for an edit: whether it starts with a BOM, its line
// end (CRLF when any line has one), and its lines after the BOM, each with its end.
func editLines(data []byte) (bom bool, eol string, lines []string) {
	bom = bytes.HasPrefix(data, []byte("\xef\xbb\xbf"))
	body := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	eol = "\n"
	if bytes.Contains(body, []byte("\r\n")) {
		eol = "\r\n"
	}
	return bom, eol, strings.SplitAfter(string(body), "\n")
}
