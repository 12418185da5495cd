package workbook

// A small, bounded element tree built from the fast scanner's tokens: for the parts of a
// worksheet after its cells (data validations, conditional formats, hyperlinks, header and
// footer) and for small parts such as drawings, where the checks need structure rather than
// speed.

import (
	"archive/zip"
	"fmt"
	"io"
	"strings"
)

type xnode struct {
	name  string // local name, without a namespace prefix
	attrs []xattr
	text  []byte // the character data directly in the element, decoded
	kids  []*xnode
}

type xattr struct{ name, value string } // name without a prefix

// attr returns the value of the attribute with local name name.
func (n *xnode) attr(name string) (string, bool) {
	for _, a := range n.attrs {
		if a.name == name {
			return a.value, true
		}
	}
	return "", false
}

// child returns the first child named name, or nil.
func (n *xnode) child(name string) *xnode {
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// walk calls fn for n and every element under it, depth first; fn returning false skips the
// element's children.
func (n *xnode) walk(fn func(*xnode) bool) {
	if !fn(n) {
		return
	}
	for _, k := range n.kids {
		k.walk(fn)
	}
}

// all returns n and the elements under it named name.
func (n *xnode) all(name string) []*xnode {
	var out []*xnode
	n.walk(func(k *xnode) bool {
		if k.name == name {
			out = append(out, k)
		}
		return true
	})
	return out
}

// textAll returns the character data of n and everything under it, joined.
func (n *xnode) textAll() string {
	var b strings.Builder
	n.walk(func(k *xnode) bool {
		b.Write(k.text)
		return true
	})
	return b.String()
}

// treeBuilder builds trees from tokens, within limits of nodes and text.
type treeBuilder struct {
	stack             []*xnode
	nodes, maxNodes   int
	text, maxText     int
	maxNodeText       int    // the most text one element may hold
	errNodes, errText string // the messages when a limit is passed
	roots             []*xnode
	lastLen           int // length of the open node's text before the last scan
}

func newTreeBuilder(maxNodes, maxText, maxNodeText int, errNodes, errText string) *treeBuilder {
	return &treeBuilder{maxNodes: maxNodes, maxText: maxText, maxNodeText: maxNodeText, errNodes: errNodes, errText: errText}
}

// open tells whether an element is being built (text then belongs to it).
func (b *treeBuilder) open() bool { return len(b.stack) > 0 }

// dst returns where the scanner appends text, and the length it may not pass.
func (b *treeBuilder) dst() (*[]byte, int) {
	top := b.stack[len(b.stack)-1]
	b.lastLen = len(top.text)
	return &top.text, min(b.maxNodeText, len(top.text)+b.maxText-b.text+1)
}

// counted adds the text the last scan appended to the total.
func (b *treeBuilder) counted() error {
	if len(b.stack) == 0 {
		return nil
	}
	top := b.stack[len(b.stack)-1]
	if b.text += len(top.text) - b.lastLen; b.text > b.maxText {
		return xmlError(b.errText)
	}
	b.lastLen = len(top.text)
	return nil
}

// token adds a start, empty or end tag.
func (b *treeBuilder) token(t *token) error {
	if t.kind == tokEnd {
		if len(b.stack) > 0 {
			b.stack = b.stack[:len(b.stack)-1]
		}
		return nil
	}
	if b.nodes++; b.nodes > b.maxNodes {
		return xmlError(b.errNodes)
	}
	n := &xnode{name: string(t.name)}
	for attrs := t.attrs; ; {
		name, val, rest, err := nextAttr(attrs)
		if err != nil {
			return err
		}
		if name == nil {
			break
		}
		attrs = rest
		if i := strings.IndexByte(string(name), ':'); i >= 0 {
			if string(name[:i]) == "xmlns" {
				continue
			}
			name = name[i+1:]
		} else if string(name) == "xmlns" {
			continue
		}
		if b.text += len(val); b.text > b.maxText {
			return xmlError(b.errText)
		}
		n.attrs = append(n.attrs, xattr{string(name), string(val)})
	}
	if len(b.stack) > 0 {
		parent := b.stack[len(b.stack)-1]
		parent.kids = append(parent.kids, n)
	} else {
		b.roots = append(b.roots, n)
	}
	if t.kind == tokStart {
		b.stack = append(b.stack, n)
	}
	return nil
}

// readTree reads a whole small XML part as a tree (its root element; nil for a part without
// elements), within limit bytes unpacked and the tree limits.
func readTree(f *zip.File, limit int64) (*xnode, error) {
	if f.UncompressedSize64 > uint64(limit) {
		return nil, errTooBig
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	s := newScan(rc, 32<<10, limit)
	if err := s.prolog(); err != nil {
		return nil, err
	}
	b := newTreeBuilder(maxTreeNodes, maxTreeText, maxTreeText,
		fmt.Sprintf("delen har fler än %d element", maxTreeNodes), fmt.Sprintf("delen har mer än %d MiB text", maxTreeText>>20))
	for {
		var dst *[]byte
		lim := 0
		if b.open() {
			dst, lim = b.dst()
		}
		t, err := s.next(dst, lim)
		if cerr := b.counted(); cerr != nil {
			return nil, cerr
		}
		if err == io.EOF {
			break
		}
		if err == errLong {
			return nil, xmlError(b.errText)
		}
		if err != nil {
			return nil, err
		}
		if err := b.token(t); err != nil {
			return nil, err
		}
	}
	if err := drain(rc, s.n, limit); err != nil {
		return nil, err
	}
	if len(b.roots) == 0 {
		return nil, nil
	}
	return b.roots[0], nil
}
