// Package yamldoc parses YAML written by people (front matter, settings, case types) into
// yaml.v3 nodes and reads typed values from them, turning every problem into a finding
// with its line and column instead of an error or a crash.
//
// Structural checks made here, for every YAML file the processor reads: tabs in indentation,
// syntax errors, duplicate keys, anchors and aliases (never needed in these files, and the
// way to an alias bomb), and a size limit.
package yamldoc

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/textdist"
)

// Rule names of the structural checks.
const (
	RuleSyntax    = "yaml-syntax"
	RuleTab       = "yaml-tabb"
	RuleAlias     = "yaml-alias"
	RuleSize      = "yaml-storlek"
	RuleDuplicate = "dubblett-nyckel"
	RuleUnknown   = "okänd-nyckel"
	RuleKind      = "fel-värdetyp"
	RuleNFD       = "teckenform"
)

// Limits against runaway input. A front matter is a few dozen lines.
const (
	MaxBytes = 1 << 20
	MaxNodes = 20000
)

// Decoder reads one YAML file and collects findings about it.
type Decoder struct {
	File     string
	Findings finding.List
}

// Parse parses data as one YAML document whose first line is line firstLine of File.
// It returns the document's top-level node, or nil when nothing usable could be parsed
// (the reason is then among d.Findings). A UTF-8 BOM and CRLF line ends are accepted.
func (d *Decoder) Parse(data []byte, firstLine int) *yaml.Node {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(data) > MaxBytes {
		d.add(firstLine, 1, RuleSize, fmt.Sprintf("YAML-texten är %d byte, gränsen är %d", len(data), MaxBytes),
			"ett ärendes front matter är några dussin rader; lägg långa texter i brödtexten under ---")
		return nil
	}
	if d.tabs(data, firstLine) {
		return nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg, hint := syntaxError(err)
		d.add(firstLine+max(line, 1)-1, 0, RuleSyntax, msg, hint)
		return nil
	}
	if len(doc.Content) == 0 {
		return nil
	}
	w := walker{d: d, shift: firstLine - 1}
	if !w.walk(doc.Content[0]) || w.aliases {
		return nil // too big, or aliases: nothing is read from it
	}
	return doc.Content[0]
}

// ParseMapping parses a document that must be a mapping (a settings file, a type file, a
// front matter) and returns its top node and pairs. An empty document is reported with rule,
// emptyMsg and emptyHint. ok is false when nothing can be read from it.
func (d *Decoder) ParseMapping(data []byte, firstLine int, what, rule, emptyMsg, emptyHint string) (*yaml.Node, []Pair, bool) {
	root := d.Parse(data, firstLine)
	if root == nil {
		if len(d.Findings) == 0 {
			d.Findings.Add(d.File, firstLine, 1, rule, emptyMsg, emptyHint)
		}
		return nil, nil, false
	}
	pairs, ok := d.Mapping(root, what)
	return root, pairs, ok
}

// tabs reports tabs in indentation, which YAML forbids and which editors hide.
func (d *Decoder) tabs(data []byte, firstLine int) bool {
	found := false
	line, col, indent := 0, 0, true // indent: still in the line's leading spaces and dashes
	for _, c := range data {
		col++
		switch {
		case c == '\n':
			line, col, indent = line+1, 0, true
		case !indent:
		case c == '\t':
			d.add(firstLine+line, col, RuleTab, "tabbtecken i indraget: YAML tillåter bara mellanslag",
				"ersätt tabben med mellanslag (två per nivå)")
			found, indent = true, false
		case c != ' ' && c != '-':
			indent = false
		}
	}
	return found
}

var lineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError extracts the line and translates yaml.v3's message. yaml.v3 exposes no
// structured position for syntax errors, only this text; this is the one place that reads it.
func syntaxError(err error) (line int, msg, hint string) {
	s := err.Error()
	hint = "kontrollera indrag, kolon och citattecken på raden och raden före"
	if m := lineRe.FindStringSubmatch(s); m != nil {
		line, _ = strconv.Atoi(m[1])
		s = m[2]
	} else {
		s = strings.TrimPrefix(s, "yaml: ")
	}
	if strings.Contains(s, "did not find expected key") || strings.Contains(s, "did not find expected '-' indicator") {
		// yaml.v3 names the line where the enclosing block starts, not the bad line.
		hint = "felet finns i blocket som börjar på raden: kontrollera att raderna under har samma indrag som sina grannar"
	}
	for en, sv := range syntaxMessages {
		if strings.Contains(s, en) {
			return line, "YAML kan inte läsas: " + sv, hint
		}
	}
	return line, "YAML kan inte läsas: " + s, hint
}

// composeSwedish turns letters written with a combining mark (NFD, as some macOS programs
// save) into the composed letters (NFC) for å, ä, ö, é and ü, so "brevlåda" matches
// whichever way it was typed. It reports whether anything changed.
func composeSwedish(s string) (string, bool) {
	if !strings.ContainsAny(s, "\u0301\u0308\u030a") {
		return s, false
	}
	r := strings.NewReplacer(
		"a\u030a", "å", "A\u030a", "Å", "a\u0308", "ä", "A\u0308", "Ä", "o\u0308", "ö", "O\u0308", "Ö",
		"e\u0301", "é", "E\u0301", "É", "u\u0308", "ü", "U\u0308", "Ü")
	out := r.Replace(s)
	return out, out != s
}

var syntaxMessages = map[string]string{
	"found character that cannot start any token":    "ett tecken som inte får inleda ett värde (t.ex. @, ` eller tabb)",
	"mapping values are not allowed in this context": "ett kolon på fel ställe; sätt värden som innehåller kolon inom citattecken",
	"did not find expected key":                      "indraget stämmer inte, eller ett värde saknar nyckel",
	"found unexpected end of stream":                 "texten tar slut mitt i ett värde; saknas ett avslutande citattecken?",
	"did not find expected ',' or ']'":               "en lista inom [ ] saknar komma eller avslutande ]",
	"did not find expected ',' or '}'":               "en mappning inom { } saknar komma eller avslutande }",
	"did not find expected '-' indicator":            "en lista och en mappning blandas på samma nivå",
	"could not find expected ':'":                    "en nyckel saknar kolon",
	"found undefined alias":                          "en alias (*namn) som inte är definierad",
	"invalid leading UTF-8 octet":                    "texten är inte UTF-8; spara filen som UTF-8",
	"invalid trailing UTF-8 octet":                   "texten är inte UTF-8; spara filen som UTF-8",
	"control characters are not allowed":             "otillåtna kontrolltecken i texten",
}

// walker checks anchors, aliases, duplicate keys and size, and shifts lines to file lines.
type walker struct {
	d         *Decoder
	shift     int
	count     int
	aliases   bool
	aliasLine int // last line with an alias finding: one finding per line is enough
	nfdLine   int
}

// walk returns false when the size limit is reached.
func (w *walker) walk(n *yaml.Node) bool {
	d := w.d
	w.count++
	if w.count > MaxNodes {
		if w.count == MaxNodes+1 { // report once, then stop walking
			d.add(n.Line+w.shift, n.Column, RuleSize, fmt.Sprintf("för många YAML-värden (över %d)", MaxNodes),
				"ett ärendes front matter är några dussin rader")
		}
		return false
	}
	n.Line += w.shift
	if n.Kind == yaml.ScalarNode {
		if composed, changed := composeSwedish(n.Value); changed {
			n.Value = composed
			if w.nfdLine != n.Line {
				w.nfdLine = n.Line
				d.Findings.Warn(d.File, n.Line, n.Column, RuleNFD,
					"å, ä eller ö är skrivet som bokstav + kombinerande tecken (uppdelad Unicode); det läses som vanligt å, ä, ö",
					"spara filen med sammansatta tecken (NFC); en del Mac-program sparar uppdelat, och sådana namn syns olika i git")
			}
		}
	}
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		w.aliases = true
		if w.aliasLine != n.Line {
			w.aliasLine = n.Line
			d.add(n.Line, n.Column, RuleAlias, "ankare (&) och alias (*) används inte i dessa filer",
				"skriv ut värdet där det behövs i stället för att hänvisa till det")
		}
		if n.Kind == yaml.AliasNode {
			return true // never follow an alias
		}
	}
	for _, c := range n.Content {
		if !w.walk(c) {
			return false
		}
	}
	if n.Kind == yaml.MappingNode { // children are shifted now: lines are file lines
		// Pairwise: mappings here have a handful of keys, and a map per mapping cost more.
		// Large ones (only in hostile input) get a map, so the check stays linear.
		var seen map[string]int
		if len(n.Content) > 64 {
			seen = make(map[string]int, len(n.Content)/2)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				continue
			}
			if seen != nil {
				if j, dup := seen[k.Value]; dup {
					d.add(k.Line, k.Column, RuleDuplicate, fmt.Sprintf("nyckeln %q finns redan på rad %d", k.Value, n.Content[j].Line),
						"ta bort den ena; bara en av dem skulle räknas")
				} else {
					seen[k.Value] = i
				}
				continue
			}
			for j := 0; j < i; j += 2 {
				if prev := n.Content[j]; prev.Kind == yaml.ScalarNode && prev.Value == k.Value {
					d.add(k.Line, k.Column, RuleDuplicate,
						fmt.Sprintf("nyckeln %q finns redan på rad %d", k.Value, prev.Line),
						"ta bort den ena; bara en av dem skulle räknas")
					break
				}
			}
		}
	}
	return true
}

func (d *Decoder) add(line, col int, rule, msg, hint string) {
	d.Findings.Add(d.File, line, col, rule, msg, hint)
}

// Errorf records a finding at node n.
func (d *Decoder) Errorf(n *yaml.Node, rule, hint, format string, args ...any) {
	d.Findings.Add(d.File, n.Line, n.Column, rule, fmt.Sprintf(format, args...), hint)
}

// Warnf records a warning at node n.
func (d *Decoder) Warnf(n *yaml.Node, rule, hint, format string, args ...any) {
	d.Findings.Warn(d.File, n.Line, n.Column, rule, fmt.Sprintf(format, args...), hint)
}

// Pair is one key and its value in a mapping, in file order.
type Pair struct {
	Key   string
	KeyN  *yaml.Node
	Value *yaml.Node
}

// Mapping returns the pairs of mapping n, or reports that n is not a mapping. A null value
// (an empty "key:") is an empty mapping.
func (d *Decoder) Mapping(n *yaml.Node, what string) ([]Pair, bool) {
	if IsNull(n) {
		return nil, true
	}
	if n.Kind != yaml.MappingNode {
		d.Errorf(n, RuleKind, "skriv nyckel: värde på egna rader, indragna under "+what,
			"%s ska vara en mappning (nyckel: värde), inte %s", what, kindName(n))
		return nil, false
	}
	pairs := make([]Pair, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		pairs = append(pairs, Pair{Key: n.Content[i].Value, KeyN: n.Content[i], Value: n.Content[i+1]})
	}
	return pairs, true
}

// Known reports every key of pairs that is not in known, with the nearest known key as hint.
// where names the mapping in the message (e.g. "steget mottagen").
func (d *Decoder) Known(pairs []Pair, where string, known []string) {
	for _, p := range pairs {
		if contains(known, p.Key) {
			continue
		}
		hint := "tillåtna nycklar här: " + strings.Join(known, ", ")
		if near, ok := textdist.Nearest(p.Key, known); ok {
			hint = fmt.Sprintf("menade du %q?", near)
		}
		if len(known) == 0 {
			hint = "här får inga nycklar stå"
		}
		d.Errorf(p.KeyN, RuleUnknown, hint, "okänd nyckel %q i %s", p.Key, where)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Lookup returns the value of key in pairs (the first, duplicates are reported by Parse).
func Lookup(pairs []Pair, key string) *yaml.Node {
	for _, p := range pairs {
		if p.Key == key {
			return p.Value
		}
	}
	return nil
}

// IsNull reports whether n is absent or an explicit null/empty value.
func IsNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// IsEmpty reports whether n is absent, null, an empty string, or an empty list or mapping.
func IsEmpty(n *yaml.Node) bool {
	if IsNull(n) {
		return true
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return strings.TrimSpace(n.Value) == ""
	case yaml.SequenceNode, yaml.MappingNode:
		return len(n.Content) == 0
	}
	return false
}

// String returns the text of scalar n. A null is "". Lists and mappings are reported.
func (d *Decoder) String(n *yaml.Node, what string) (string, bool) {
	if IsNull(n) {
		return "", true
	}
	if n.Kind != yaml.ScalarNode {
		d.Errorf(n, RuleKind, "skriv värdet på samma rad som nyckeln", "%s ska vara en text, inte %s", what, kindName(n))
		return "", false
	}
	return strings.TrimSpace(n.Value), true
}

// Date reads a date "ÅÅÅÅ-MM-DD".
func (d *Decoder) Date(n *yaml.Node, what string, rule string) (date.Date, bool) {
	s, ok := d.String(n, what)
	if !ok || s == "" {
		return date.Date{}, false
	}
	v, err := date.Parse(s)
	if err != nil {
		d.Errorf(n, rule, "skriv datum som ÅÅÅÅ-MM-DD, t.ex. 2026-11-20", "%s %q är %v", what, s, err)
		return date.Date{}, false
	}
	return v, true
}

// Int reads a non-negative whole number.
func (d *Decoder) Int(n *yaml.Node, what string) (int, bool) {
	s, ok := d.String(n, what)
	if !ok || s == "" {
		return 0, false
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 {
		d.Errorf(n, RuleKind, "skriv ett heltal, t.ex. 3", "%s ska vara ett heltal 0 eller större, inte %q", what, s)
		return 0, false
	}
	return v, true
}

// Strings reads a list of texts; a single text is taken as a list of one.
func (d *Decoder) Strings(n *yaml.Node, what string) ([]string, bool) {
	if IsNull(n) {
		return nil, true
	}
	if n.Kind == yaml.ScalarNode {
		s := strings.TrimSpace(n.Value)
		if s == "" {
			return nil, true
		}
		return []string{s}, true
	}
	if n.Kind != yaml.SequenceNode {
		d.Errorf(n, RuleKind, "skriv en lista som [a, b] eller med - på egna rader", "%s ska vara en lista, inte %s", what, kindName(n))
		return nil, false
	}
	out := make([]string, 0, len(n.Content))
	ok := true
	for _, c := range n.Content {
		s, good := d.String(c, what)
		ok = ok && good
		if good && s != "" {
			out = append(out, s)
		}
	}
	return out, ok
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "en mappning"
	case yaml.SequenceNode:
		return "en lista"
	case yaml.AliasNode:
		return "ett alias"
	default:
		return fmt.Sprintf("texten %q", n.Value)
	}
}

// Canon writes a node's content canonically: what it says, not how it is written (quotes,
// flow or block style, key order, comments). Two nodes that say the same have the same Canon.
func Canon(n *yaml.Node) string {
	if n == nil {
		return "~"
	}
	var b strings.Builder
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			b.WriteString(Canon(c))
		}
	case yaml.MappingNode:
		type kv struct{ k, v string }
		var kvs []kv
		for i := 0; i+1 < len(n.Content); i += 2 {
			kvs = append(kvs, kv{n.Content[i].Value, Canon(n.Content[i+1])})
		}
		slices.SortFunc(kvs, func(x, y kv) int { return strings.Compare(x.k, y.k) })
		b.WriteString("{")
		for _, e := range kvs {
			fmt.Fprintf(&b, "%q:%s,", e.k, e.v)
		}
		b.WriteString("}")
	case yaml.SequenceNode:
		b.WriteString("[")
		for _, c := range n.Content {
			b.WriteString(Canon(c))
			b.WriteString(",")
		}
		b.WriteString("]")
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "~"
		}
		fmt.Fprintf(&b, "%q", n.Value)
	case yaml.AliasNode:
		b.WriteString("*" + n.Value)
	}
	return b.String()
}
