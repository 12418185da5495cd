package casefile

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"utlamnande/processor/internal/yamldoc"
)

// SetStepKey returns request.md's bytes with key: value set in the recorded step, keeping
// every other byte as the registrator wrote it. value is one line of YAML, written as
// given (e.g. a flow mapping {datum: …, av: …}). The key is added after the step's last
// line when the step is written in block form, or before the closing brace when the step
// is written on one line ({...}); an existing key in block form is replaced, lines and all.
// c must be the parse of data. The result must read back with the key set to the value and
// everything else saying what it said (a value over several lines, or a } in a comment,
// escapes the line edit), or it is an error.
func SetStepKey(data []byte, c *Case, step, key, value string) ([]byte, error) {
	out, err := setStepKey(data, c, step, key, value)
	if err != nil {
		return nil, err
	}
	again, _ := Parse(c.Dir, c.File, out)
	if again.Root == nil || !hasValue(again, step, key, value) || string(again.Body) != string(c.Body) ||
		yamldoc.Canon(withoutKey(again.Root, step, key)) != yamldoc.Canon(withoutKey(c.Root, step, key)) {
		return nil, fmt.Errorf("%s kan inte skrivas i steget %s i %s: skriv steget i blockform, en nyckel per rad och varje värde på en rad", key, step, c.File)
	}
	return out, nil
}

// hasValue reports whether key in the recorded step of c is (every time it is there) the
// one-line YAML value.
func hasValue(c *Case, step, key, value string) bool {
	var want yaml.Node
	n, err := c.stepMapping(step)
	if err != nil || yaml.Unmarshal([]byte("k: "+value), &want) != nil || len(want.Content) != 1 || len(want.Content[0].Content) != 2 {
		return false
	}
	found := false
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			if yamldoc.Canon(n.Content[i+1]) != yamldoc.Canon(want.Content[0].Content[1]) {
				return false
			}
			found = true
		}
	}
	return found
}

// withoutKey returns the front matter root with key left out of step under steg: (shallow
// copies; root is not changed): what setting that key must leave as it was.
func withoutKey(root *yaml.Node, step, key string) *yaml.Node {
	drop := func(n *yaml.Node, keep func(k, v *yaml.Node) *yaml.Node) *yaml.Node {
		out := *n
		out.Content = nil
		for i := 0; i+1 < len(n.Content); i += 2 {
			if v := keep(n.Content[i], n.Content[i+1]); v != nil {
				out.Content = append(out.Content, n.Content[i], v)
			}
		}
		return &out
	}
	return drop(root, func(k, v *yaml.Node) *yaml.Node {
		if k.Value != "steg" || v.Kind != yaml.MappingNode {
			return v
		}
		return drop(v, func(k, v *yaml.Node) *yaml.Node {
			if k.Value != step || v.Kind != yaml.MappingNode {
				return v
			}
			return drop(v, func(k, v *yaml.Node) *yaml.Node {
				if k.Value == key {
					return nil
				}
				return v
			})
		})
	})
}

func setStepKey(data []byte, c *Case, step, key, value string) ([]byte, error) {
	n, err := c.stepMapping(step)
	if err != nil {
		return nil, err
	}
	bom, eol, lines := editLines(data)
	if n.Style&yaml.FlowStyle != 0 {
		if lastLine(n) != n.Line {
			return nil, fmt.Errorf("steget %s i %s är skrivet över flera rader inom {...}; skriv det i blockform, en nyckel per rad", step, c.File)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return nil, fmt.Errorf("steget %s i %s har redan %s på samma rad; skriv steget i blockform, en nyckel per rad, så kan programmet byta det", step, c.File, key)
			}
		}
		line := lines[n.Line-1]
		end := strings.LastIndexByte(line, '}')
		if end < 0 || end < n.Column-1 {
			return nil, fmt.Errorf("steget %s i %s kan inte utökas; skriv det i blockform", step, c.File)
		}
		sep := ", "
		if len(n.Content) == 0 {
			sep = ""
		}
		changed := strings.TrimRight(line[:end], " ") + sep + key + ": " + value + line[end:]
		return join(bom, lines[:n.Line-1], changed, lines[n.Line:]), nil
	}
	if len(n.Content) == 0 {
		return nil, fmt.Errorf("steget %s i %s är tomt", step, c.File)
	}
	indent := strings.Repeat(" ", n.Content[0].Column-1)
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value != key {
			continue
		}
		from, to := n.Content[i].Line, lastLine(n.Content[i+1])
		if next := i + 2; next < len(n.Content) && n.Content[next].Line <= to {
			return nil, fmt.Errorf("%s i steget %s i %s delar rad med andra nycklar; skriv en nyckel per rad", key, step, c.File)
		}
		return join(bom, lines[:from-1], indent+key+": "+value+eol, lines[to:]), nil
	}
	after := lastLine(n)
	return join(bom, lines[:after], indent+key+": "+value+eol, lines[after:]), nil
}

// AddListItem returns request.md's bytes with item (one line of YAML, e.g. a flow mapping)
// appended to the top-level list key (such as rättelser), which is created at the end of
// the front matter when it is not there. c must be the parse of data.
func AddListItem(data []byte, c *Case, key, item string) ([]byte, error) {
	if c.Root == nil {
		return nil, fmt.Errorf("front matter i %s kan inte läsas; rätta den först", c.File)
	}
	bom, eol, lines := editLines(data)
	for i := 0; i+1 < len(c.Root.Content); i += 2 {
		if c.Root.Content[i].Value != key {
			continue
		}
		v := c.Root.Content[i+1]
		switch {
		case v.Kind == yaml.SequenceNode && v.Style&yaml.FlowStyle == 0 && len(v.Content) > 0:
			indent := strings.Repeat(" ", v.Content[0].Column-3)
			after := lastLine(v)
			return join(bom, lines[:after], indent+"- "+item+eol, lines[after:]), nil
		case isNullOrEmpty(v) || v.Kind == yaml.SequenceNode && len(v.Content) == 0:
			line := c.Root.Content[i].Line
			lines[line-1] = keyPrefix(lines[line-1]) + key + ":" + eol
			return join(bom, lines[:line], "  - "+item+eol, lines[line:]), nil
		default:
			return nil, fmt.Errorf("%s i %s är inte en lista i blockform; skriv en rad per post (- {...})", key, c.File)
		}
	}
	closing := c.BodyLine - 1
	return join(bom, lines[:closing-1], key+":"+eol+"  - "+item+eol, lines[closing-1:]), nil
}
