package casefile

import (
	"bytes"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Field is one key and value of a step written by the program.
type Field struct {
	Key   string
	Value string // written as is: callers pass dates, signatures, numbers, hex, file names
}

// AddStep returns request.md's bytes with step name appended under steg:, keeping every
// other byte as the registrator wrote it (BOM, CRLF, comments, order). c must be the parse
// of data. A steg: written as a non-empty flow mapping ({...}) cannot be extended.
func AddStep(data []byte, c *Case, name string, fields []Field) ([]byte, error) {
	if c.Root == nil {
		return nil, fmt.Errorf("front matter i %s kan inte läsas; rätta den först", c.File)
	}
	bom, eol, lines := editLines(data)
	indent := "  "
	var after int // insert after this (1-based) line
	switch {
	case c.StepsN == nil:
		// No steg: at all: add it at the end of the front matter (before the closing ---).
		closing := c.BodyLine - 1
		block := "steg:" + eol + stepText(indent, name, fields, eol)
		return join(bom, lines[:closing-1], block, lines[closing-1:]), nil
	case c.StepsN.Kind == yaml.MappingNode && c.StepsN.Style&yaml.FlowStyle == 0 && len(c.StepsN.Content) > 0:
		indent = strings.Repeat(" ", c.StepsN.Content[0].Column-1)
		after = lastLine(c.StepsN)
	case isNullOrEmpty(c.StepsN):
		// "steg:" or "steg: {}": rewrite that line as "steg:" and add below it.
		line := c.StepsN.Line
		if c.StepsN.Kind == yaml.ScalarNode && c.StepsN.Tag == "!!null" && c.StepsN.Value == "" {
			line = keyLine(c, "steg")
		}
		lines[line-1] = keyPrefix(lines[line-1]) + "steg:" + eol
		after = line
	default:
		return nil, fmt.Errorf("steg: i %s är skrivet på en rad ({...}); skriv stegen i blockform, ett steg per rad, så kan programmet lägga till steg", c.File)
	}
	return join(bom, lines[:after], stepText(indent, name, fields, eol), lines[after:]), nil
}

func isNullOrEmpty(n *yaml.Node) bool {
	return (n.Kind == yaml.ScalarNode && n.Tag == "!!null") || (n.Kind == yaml.MappingNode && len(n.Content) == 0)
}

func keyLine(c *Case, key string) int {
	for i := 0; i+1 < len(c.Root.Content); i += 2 {
		if c.Root.Content[i].Value == key {
			return c.Root.Content[i].Line
		}
	}
	return c.StepsN.Line
}

// keyPrefix keeps the indentation before a top-level key (none, normally).
func keyPrefix(line string) string {
	return line[:len(line)-len(strings.TrimLeft(line, " "))]
}

// lastLine is the last line any node under n starts on. A multi-line scalar (| or >) is
// not used in step records the program extends; its continuation lines would be missed.
func lastLine(n *yaml.Node) int {
	last := n.Line
	for _, c := range n.Content {
		last = max(last, lastLine(c))
	}
	return last
}

func stepText(indent, name string, fields []Field, eol string) string {
	var b strings.Builder
	b.WriteString(indent + name + ":" + eol)
	for _, f := range fields {
		b.WriteString(indent + "  " + f.Key + ": " + quote(f.Value) + eol)
	}
	return b.String()
}

// quote writes a value plainly when YAML reads it back as the same text, otherwise in
// double quotes.
func quote(v string) string {
	var n yaml.Node
	if v != "" && yaml.Unmarshal([]byte("k: "+v), &n) == nil && len(n.Content) == 1 &&
		len(n.Content[0].Content) == 2 && n.Content[0].Content[1].Value == v && !strings.ContainsAny(v, "#\"'") {
		return v
	}
	out, _ := yaml.Marshal(v)
	return strings.TrimRight(string(out), "\n")
}

func join(bom bool, before []string, insert string, after []string) []byte {
	var b bytes.Buffer
	if bom {
		b.WriteString("\xef\xbb\xbf")
	}
	for _, l := range before {
		b.WriteString(l)
	}
	if len(before) > 0 && !strings.HasSuffix(before[len(before)-1], "\n") {
		b.WriteString("\n")
	}
	b.WriteString(insert)
	for _, l := range after {
		b.WriteString(l)
	}
	return b.Bytes()
}
