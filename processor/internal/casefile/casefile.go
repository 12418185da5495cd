// Package casefile reads a case's request.md: the YAML front matter between "---" lines at
// the top, and the Markdown body below it. It knows the fields every case has (ärende, typ,
// steg, exempel); the fields a case type declares are checked by package workflow.
package casefile

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"

	"gopkg.in/yaml.v3"

	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/yamldoc"
)

// FileName is the case file in every case folder.
const FileName = "request.md"

// Rule names of the checks made here.
const (
	RuleFrontMatter = "front-matter"
	RuleCaseID      = "ärende-id"
	RuleCaseType    = "ärendetyp"
)

// IDPattern is the form of a case id: year, dash, four-digit serial (ÅÅÅÅ-NNNN).
var IDPattern = regexp.MustCompile(`^(\d{4})-(\d{4})$`)

// Case is a parsed request.md.
type Case struct {
	Dir    string // the case folder, as given
	File   string // request.md's path as shown in findings (slash-separated, relative to the root)
	ID     string // ärende
	Type   string // typ
	IDN    *yaml.Node
	TypeN  *yaml.Node
	Root   *yaml.Node     // the front matter mapping; nil when it could not be parsed
	Fields []yamldoc.Pair // the other top-level keys, in file order: the type's fields
	Steps  []yamldoc.Pair // the keys under steg:, in file order
	StepsN *yaml.Node     // the steg: value
	// Example marks a demonstration case (exempel: ja): fictitious people, never released.
	Example  bool
	Body     []byte // the Markdown after the front matter
	BodyLine int    // line of request.md where Body starts
}

// Load reads dir/request.md; file is the path shown in findings. The error is for an
// unreadable file; problems in its content are findings.
func Load(dir, file string) (*Case, finding.List, error) {
	data, err := readFile(filepath.Join(dir, FileName))
	if err != nil {
		return nil, nil, fmt.Errorf("kan inte läsa %s: %w", file, err)
	}
	c, fs := Parse(dir, file, data)
	return c, fs, nil
}

// Parse reads request.md from data.
func Parse(dir, file string, data []byte) (*Case, finding.List) {
	c := &Case{Dir: dir, File: file}
	d := &yamldoc.Decoder{File: file}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // Windows editors write a BOM
	fm, bodyStart, bodyLine, ok := split(data)
	if !ok {
		hint := "request.md ska börja med en rad med tre bindestreck (---), sedan uppgifterna, sedan en rad med --- igen"
		if bodyStart < 0 {
			d.Findings.Add(file, 1, 1, RuleFrontMatter, "front matter saknas", hint)
		} else {
			d.Findings.Add(file, 1, 1, RuleFrontMatter, "front matter avslutas aldrig med en rad ---", hint)
		}
		return c, d.Findings
	}
	c.Body, c.BodyLine = data[bodyStart:], bodyLine
	root, pairs, ok := d.ParseMapping(fm, 2, "front matter", RuleFrontMatter, "front matter är tom",
		"fyll i ärende:, typ: och steg: (se mallen i templates/)")
	if !ok {
		return c, d.Findings
	}
	c.Root = root
	for _, p := range pairs {
		switch p.Key {
		case "ärende":
			c.IDN = p.Value
			c.ID, _ = d.String(p.Value, "ärende")
		case "typ":
			c.TypeN = p.Value
			c.Type, _ = d.String(p.Value, "typ")
		case "exempel":
			s, _ := d.String(p.Value, "exempel")
			switch s {
			case "ja":
				c.Example = true
			case "nej", "":
			default:
				d.Errorf(p.Value, yamldoc.RuleKind, "skriv ja eller nej", "exempel ska vara ja eller nej, inte %q", s)
			}
		case "steg":
			c.StepsN = p.Value
			c.Steps, _ = d.Mapping(p.Value, "steg")
		default:
			c.Fields = append(c.Fields, p)
		}
	}
	switch {
	case c.IDN == nil:
		d.Errorf(root, RuleCaseID, "skriv ärende: ÅÅÅÅ-NNNN, samma som mappens namn", "ärende saknas")
	case !IDPattern.MatchString(c.ID):
		d.Errorf(c.IDN, RuleCaseID, "ärendenummer skrivs ÅÅÅÅ-NNNN, t.ex. 2026-0042", "ärendenumret %q har fel form", c.ID)
	}
	if c.TypeN == nil || c.Type == "" {
		d.Errorf(root, RuleCaseType, "skriv typ: och namnet på en mapp i templates/, t.ex. typ: e-postlogg", "typ saknas")
	}
	return c, d.Findings
}

// split finds the front matter in data (without BOM). It returns the YAML bytes, where the body starts (-1 when
// there is no opening line) and the body's line number.
func split(data []byte) (fm []byte, bodyStart, bodyLine int, ok bool) {
	line, start := 1, 0
	next := func() ([]byte, bool) {
		if start >= len(data) {
			return nil, false
		}
		end := bytes.IndexByte(data[start:], '\n')
		var l []byte
		if end < 0 {
			l, start = data[start:], len(data)
		} else {
			l, start = data[start:start+end], start+end+1
		}
		return bytes.TrimRight(l, "\r \t"), true
	}
	first, more := next()
	if !more || string(first) != "---" {
		return nil, -1, 0, false
	}
	fmStart := start
	for {
		lineStart := start
		l, more := next()
		if !more {
			return nil, 0, 0, false
		}
		line++
		if string(l) == "---" || string(l) == "..." {
			return data[fmStart:lineStart], start, line + 1, true
		}
	}
}

// MaxFileSize is the most of a request.md that is read (front matter and body).
const MaxFileSize = 4 << 20
