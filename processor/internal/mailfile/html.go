package mailfile

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlResult is an HTML body as text.
type htmlResult struct {
	text      string   // visible text, links with their targets, images with alt texts
	compare   string   // visible text only (no link targets, no alt texts): for word comparison
	hidden    string   // text of hidden elements, one block per element
	hiddenWhy []string // the rules that hid them, unique, in order
	degraded  bool     // the parser gave up; text from the tokenizer, no hidden rule
}

// htmlFallback extracts text with the tokenizer when the parser refuses
// the document: tags of block elements break lines, head/script/style/
// template/title are skipped; the hidden-content rule cannot be applied.
func htmlFallback(s string) htmlResult {
	z := html.NewTokenizer(strings.NewReader(s))
	var o textOut
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			t := o.finish()
			return htmlResult{text: t, compare: t, degraded: true}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Head, atom.Script, atom.Style, atom.Template, atom.Title:
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case atom.Br:
				o.br()
			default:
				if blockAtoms[a] {
					o.block()
				}
			}
		case html.TextToken:
			if skip == 0 {
				o.text(string(z.Text()), false)
			}
		}
	}
}

// htmlToText converts HTML (already decoded to UTF-8) to text by the rule
// in the package doc.
func htmlToText(s string) htmlResult {
	doc, err := html.ParseWithOptions(strings.NewReader(s), html.ParseOptionEnableScripting(false))
	if err != nil {
		// the parser refuses more than 512 open elements
		return htmlFallback(s)
	}
	hid := collectHiddenRules(doc)
	var res htmlResult
	var hidden []string
	seenWhy := map[string]bool{}
	onHidden := func(n *html.Node, why string) {
		w := &htmlWalker{mode: modeDisplay, rules: hid, ignoreHidden: true}
		w.walk(n)
		t := w.out.finish()
		if strings.TrimSpace(t) == "" {
			return
		}
		hidden = append(hidden, t)
		if !seenWhy[why] {
			seenWhy[why] = true
			res.hiddenWhy = append(res.hiddenWhy, why)
		}
	}
	w := &htmlWalker{mode: modeDisplay, rules: hid, onHidden: onHidden}
	w.walk(doc)
	res.text = w.out.finish()
	c := &htmlWalker{mode: modeCompare, rules: hid}
	c.walk(doc)
	res.compare = c.out.finish()
	res.hidden = strings.Join(hidden, "\n")
	return res
}

const (
	modeDisplay = iota
	modeCompare
)

// textOut collapses whitespace the way a browser lays out normal text.
type textOut struct {
	b            strings.Builder
	space        bool // a collapsible space is pending
	breaks       int  // line breaks pending
	prefix       string
	sep          string // written before the next text (table cell separator)
	lastNL       bool
	wroteSinceNL bool
}

func (o *textOut) flush() {
	if o.breaks > 0 {
		if o.b.Len() > 0 {
			for range o.breaks {
				o.b.WriteByte('\n')
			}
		}
		o.breaks = 0
		o.space = false
		o.wroteSinceNL = false
		o.sep = ""
	}
	if o.prefix != "" && !o.wroteSinceNL {
		o.b.WriteString(o.prefix)
		o.prefix = ""
		o.space = false
		o.wroteSinceNL = true
	}
	if o.sep != "" {
		if o.wroteSinceNL {
			o.b.WriteString(o.sep)
		}
		o.sep = ""
		o.space = false
	}
}

func (o *textOut) text(s string, pre bool) {
	for _, r := range s {
		switch r {
		case '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD':
			continue
		}
		if pre {
			if r == '\r' {
				continue
			}
			if r == '\n' {
				o.flush()
				o.b.WriteByte('\n')
				o.wroteSinceNL = false
				continue
			}
			o.flush()
			o.b.WriteRune(r)
			o.wroteSinceNL = true
			continue
		}
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' {
			o.space = true
			continue
		}
		o.flush()
		if o.space && o.wroteSinceNL {
			o.b.WriteByte(' ')
		}
		o.space = false
		if r == '\u00A0' {
			r = ' '
		}
		o.b.WriteRune(r)
		o.wroteSinceNL = true
	}
}

// block asks for a line break before the next text, if the line has text.
func (o *textOut) block() {
	if o.wroteSinceNL || o.b.Len() == 0 {
		if o.breaks < 1 {
			o.breaks = 1
		}
	}
	o.space = false
}

// br is a forced line break.
func (o *textOut) br() {
	o.prefix = ""
	o.sep = ""
	o.flush()
	o.b.WriteByte('\n')
	o.wroteSinceNL = false
	o.space = false
}

func (o *textOut) finish() string {
	lines := strings.Split(o.b.String(), "\n")
	out := make([]string, 0, len(lines))
	empty := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			empty++
			if empty > 2 {
				continue
			}
		} else {
			empty = 0
		}
		out = append(out, l)
	}
	return strings.Trim(strings.Join(out, "\n"), "\n")
}

type htmlWalker struct {
	mode         int
	rules        hiddenRules
	out          textOut
	onHidden     func(n *html.Node, why string)
	ignoreHidden bool
}

type frame struct {
	n       *html.Node
	exit    bool
	start   int // output length at enter (links)
	hadText bool
}

var blockAtoms = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Ul: true, atom.Ol: true, atom.Li: true, atom.Table: true, atom.Tr: true, atom.Blockquote: true, atom.Pre: true,
	atom.Hr: true, atom.Address: true, atom.Article: true, atom.Section: true, atom.Header: true, atom.Footer: true,
	atom.Nav: true, atom.Aside: true, atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Figure: true, atom.Figcaption: true,
	atom.Form: true, atom.Fieldset: true, atom.Main: true, atom.Center: true, atom.Details: true, atom.Summary: true,
	atom.Caption: true, atom.Thead: true, atom.Tbody: true, atom.Tfoot: true, atom.Legend: true, atom.Body: true, atom.Html: true,
	atom.Option: true, atom.Textarea: true, atom.Menu: true, atom.Dialog: true,
}

var skipAtoms = map[atom.Atom]bool{
	atom.Head: true, atom.Script: true, atom.Style: true, atom.Template: true, atom.Title: true,
	atom.Meta: true, atom.Link: true, atom.Base: true, atom.Input: true, atom.Button: false,
	atom.Iframe: true, atom.Object: false, atom.Param: true, atom.Source: true, atom.Track: true,
}

// walk is iterative: nesting depth is bounded only by the input size.
func (w *htmlWalker) walk(root *html.Node) {
	stack := []frame{{n: root}}
	pre := 0
	var lists []int  // item counters; -1 for ul
	var rows []*bool // per open table row: has a cell with text
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := f.n
		if f.exit {
			switch n.DataAtom {
			case atom.Pre, atom.Textarea, atom.Listing, atom.Xmp, atom.Plaintext:
				pre--
			case atom.Ul, atom.Ol, atom.Menu:
				if len(lists) > 0 {
					lists = lists[:len(lists)-1]
				}
			case atom.Tr:
				if len(rows) > 0 {
					rows = rows[:len(rows)-1]
				}
			case atom.Td, atom.Th:
				if len(rows) > 0 && w.out.b.Len() > f.start {
					*rows[len(rows)-1] = true
				}
			case atom.A:
				if w.mode == modeDisplay {
					w.linkTarget(n, f.start)
				}
			}
			if blockAtoms[n.DataAtom] {
				w.out.block()
			}
			continue
		}
		switch n.Type {
		case html.TextNode:
			w.out.text(n.Data, pre > 0)
			continue
		case html.CommentNode, html.DoctypeNode:
			continue
		case html.ElementNode:
		case html.DocumentNode:
			for c := n.LastChild; c != nil; c = c.PrevSibling {
				stack = append(stack, frame{n: c})
			}
			continue
		default:
			continue
		}
		if skipAtoms[n.DataAtom] && n.Namespace == "" {
			continue
		}
		if !w.ignoreHidden {
			if why := w.rules.hidden(n); why != "" {
				if w.onHidden != nil {
					w.onHidden(n, why)
				}
				continue
			}
		}
		switch n.DataAtom {
		case atom.Br:
			w.out.br()
			continue
		case atom.Img:
			if w.mode == modeDisplay {
				if alt := strings.TrimSpace(attr(n, "alt")); alt != "" {
					w.out.text("[bild: "+alt+"]", false)
				}
			}
			continue
		case atom.Pre, atom.Textarea, atom.Listing, atom.Xmp, atom.Plaintext:
			pre++
		case atom.Ul, atom.Menu:
			lists = append(lists, -1)
		case atom.Ol:
			startN := 1
			if s, err := strconv.Atoi(strings.TrimSpace(attr(n, "start"))); err == nil && s >= 0 && s < 1000000 {
				startN = s
			}
			lists = append(lists, startN)
		case atom.Li:
			w.out.block()
			w.out.flushBreaksOnly()
			indent := strings.Repeat("  ", max(0, min(len(lists)-1, 10)))
			marker := "- "
			if len(lists) > 0 && lists[len(lists)-1] != -1 {
				marker = strconv.Itoa(lists[len(lists)-1]) + ". "
				lists[len(lists)-1]++
			}
			w.out.prefix = indent + marker
		case atom.Tr:
			w.out.block()
			has := false
			rows = append(rows, &has)
		case atom.Td, atom.Th:
			if len(rows) > 0 && *rows[len(rows)-1] {
				w.out.sep = " | "
			}
		}
		if blockAtoms[n.DataAtom] && n.DataAtom != atom.Li {
			w.out.block()
		}
		stack = append(stack, frame{n: n, exit: true, start: w.out.b.Len()})
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, frame{n: c})
		}
	}
}

// flushBreaksOnly writes pending line breaks (not prefix or separator).
func (o *textOut) flushBreaksOnly() {
	if o.breaks > 0 && o.b.Len() > 0 {
		for range o.breaks {
			o.b.WriteByte('\n')
		}
		o.wroteSinceNL = false
	}
	o.breaks = 0
	o.space = false
}

// linkTarget writes " (url)" after a link whose text is not its target.
func (w *htmlWalker) linkTarget(n *html.Node, start int) {
	href := strings.TrimSpace(attr(n, "href"))
	if href == "" || strings.HasPrefix(href, "#") {
		return
	}
	low := strings.ToLower(href)
	if strings.HasPrefix(low, "javascript:") || strings.HasPrefix(low, "data:") || strings.HasPrefix(low, "cid:") {
		return
	}
	full := w.out.b.String()
	if start > len(full) {
		return
	}
	text := strings.TrimSpace(full[start:])
	if text == "" {
		return
	}
	if sameLink(text, href) {
		return
	}
	w.out.text(" ("+href+")", false)
}

func sameLink(text, href string) bool {
	norm := func(s string) string {
		s = strings.ToLower(strings.TrimSpace(s))
		for _, p := range []string{"mailto:", "https://", "http://", "tel:"} {
			s = strings.TrimPrefix(s, p)
		}
		s = strings.TrimPrefix(s, "www.")
		return strings.TrimRight(s, "/")
	}
	return norm(text) == norm(href)
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return true
		}
	}
	return false
}

// ---- hidden content ----

// hiddenRules are the simple rules of the document's <style> elements
// that hide: by class and by id.
type hiddenRules struct {
	classes map[string]string
	ids     map[string]string
}

var simpleSelector = regexp.MustCompile(`^[a-zA-Z0-9]*([.#])([A-Za-z0-9_-]+)$`)

func collectHiddenRules(doc *html.Node) hiddenRules {
	hr := hiddenRules{classes: map[string]string{}, ids: map[string]string{}}
	var css strings.Builder
	stack := []*html.Node{doc}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Type == html.ElementNode && n.DataAtom == atom.Style {
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.TextNode {
					css.WriteString(c.Data)
					css.WriteByte('\n')
				}
			}
			continue
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			stack = append(stack, c)
		}
	}
	s := css.String()
	if s == "" {
		return hr
	}
	// drop comments, in one pass
	if strings.Contains(s, "/*") {
		var b strings.Builder
		for {
			i := strings.Index(s, "/*")
			if i < 0 {
				b.WriteString(s)
				break
			}
			b.WriteString(s[:i])
			b.WriteByte(' ')
			j := strings.Index(s[i+2:], "*/")
			if j < 0 {
				break
			}
			s = s[i+2+j+2:]
		}
		s = b.String()
	}
	// walk rules at the top level; @-blocks (e.g. @media) are skipped: they
	// apply only sometimes
	for len(s) > 0 {
		open := strings.IndexByte(s, '{')
		if open < 0 {
			break
		}
		sel := strings.TrimSpace(s[:open])
		// find the matching close
		depth := 0
		end := -1
		for i := open; i < len(s); i++ {
			if s[i] == '{' {
				depth++
			} else if s[i] == '}' {
				depth--
				if depth == 0 {
					end = i
					break
				}
			}
		}
		if end < 0 {
			break
		}
		body := s[open+1 : end]
		s = s[end+1:]
		if k := strings.LastIndexAny(sel, ";}"); k >= 0 {
			sel = strings.TrimSpace(sel[k+1:])
		}
		if strings.HasPrefix(sel, "@") || strings.Contains(body, "{") {
			continue
		}
		why := hidingStyle(body)
		if why == "" {
			continue
		}
		for _, one := range strings.Split(sel, ",") {
			m := simpleSelector.FindStringSubmatch(strings.TrimSpace(one))
			if m == nil {
				continue
			}
			if m[1] == "." {
				hr.classes[m[2]] = "." + m[2] + " {" + why + "}"
			} else {
				hr.ids[m[2]] = "#" + m[2] + " {" + why + "}"
			}
		}
	}
	return hr
}

// hidden returns why the element is hidden, or "".
func (hr hiddenRules) hidden(n *html.Node) string {
	if hasAttr(n, "hidden") {
		return "hidden-attribut"
	}
	if s := attr(n, "style"); s != "" {
		if why := hidingStyle(s); why != "" {
			return why
		}
	}
	if len(hr.classes) > 0 {
		for _, c := range strings.Fields(attr(n, "class")) {
			if why, ok := hr.classes[c]; ok {
				return why
			}
		}
	}
	if len(hr.ids) > 0 {
		if why, ok := hr.ids[attr(n, "id")]; ok && attr(n, "id") != "" {
			return why
		}
	}
	return ""
}

// hidingStyle returns the declaration that hides, if the CSS declarations
// hide an element: display:none, visibility:hidden/collapse, font-size 0,
// mso-hide:all, opacity 0, or a zero (max-)height/width with
// overflow:hidden.
func hidingStyle(decls string) string {
	var zeroBox, overflowHidden bool
	for _, d := range strings.Split(decls, ";") {
		k, v, ok := strings.Cut(d, ":")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.ToLower(strings.TrimSpace(v))
		v = strings.TrimSpace(strings.TrimSuffix(v, "!important"))
		switch k {
		case "display":
			if v == "none" {
				return "display:none"
			}
		case "visibility":
			if v == "hidden" || v == "collapse" {
				return "visibility:" + v
			}
		case "font-size":
			if isZeroLength(v) {
				return "font-size:0"
			}
		case "mso-hide":
			if v == "all" {
				return "mso-hide:all"
			}
		case "opacity":
			if f, err := strconv.ParseFloat(v, 64); err == nil && f <= 0 {
				return "opacity:0"
			}
		case "max-height", "height", "max-width", "width":
			if isZeroLength(v) {
				zeroBox = true
			}
		case "overflow", "overflow-x", "overflow-y":
			if v == "hidden" || v == "clip" {
				overflowHidden = true
			}
		}
	}
	if zeroBox && overflowHidden {
		return "storlek 0 med overflow:hidden"
	}
	return ""
}

func isZeroLength(v string) bool {
	v = strings.TrimSpace(v)
	i := 0
	for i < len(v) && (v[i] >= '0' && v[i] <= '9' || v[i] == '.' || v[i] == '+' || v[i] == '-') {
		i++
	}
	if i == 0 {
		return false
	}
	f, err := strconv.ParseFloat(v[:i], 64)
	if err != nil || f > 0 {
		return false
	}
	unit := strings.TrimSpace(v[i:])
	switch unit {
	case "", "px", "pt", "em", "rem", "%", "ex", "ch", "vw", "vh", "cm", "mm", "in", "pc":
		return true
	}
	return false
}

// htmlMetaCharset finds a charset in a <meta> of the first 8 KiB.
func htmlMetaCharset(raw []byte) string {
	b := raw[:min(len(raw), 8<<10)]
	low := bytes.ToLower(b)
	for {
		i := bytes.Index(low, []byte("<meta"))
		if i < 0 {
			return ""
		}
		low = low[i+5:]
		end := bytes.IndexByte(low, '>')
		if end < 0 {
			return ""
		}
		tag := low[:end]
		if k := bytes.Index(tag, []byte("charset")); k >= 0 {
			rest := bytes.TrimLeft(tag[k+7:], " \t\r\n")
			if len(rest) > 0 && rest[0] == '=' {
				rest = bytes.TrimLeft(rest[1:], " \t\r\n\"'")
				j := 0
				for j < len(rest) && (rest[j] == '-' || rest[j] == '_' || rest[j] == '.' || rest[j] == ':' || rest[j] >= '0' && rest[j] <= '9' || rest[j] >= 'a' && rest[j] <= 'z') {
					j++
				}
				if j > 0 {
					return string(rest[:j])
				}
			}
		}
		low = low[end:]
	}
}

// ---- words ----

// words splits text into lower-case words of letters and digits.
func words(s string) []string {
	var out []string
	var cur strings.Builder
	for _, r := range s {
		switch r {
		case '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD':
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			cur.WriteRune(unicode.ToLower(r))
			continue
		}
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// missingWords returns the words of a (unique, in order) that b lacks.
func missingWords(a, b string) []string {
	have := map[string]bool{}
	for _, w := range words(b) {
		have[w] = true
	}
	var out []string
	seen := map[string]bool{}
	for _, w := range words(a) {
		if !have[w] && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

func wordSample(ws []string) string {
	const n = 6
	if len(ws) <= n {
		return strings.Join(ws, ", ")
	}
	return strings.Join(ws[:n], ", ") + " m.fl."
}
