// Package pdfdoc is a small, fast and deterministic PDF 1.7 writer for text-heavy
// documents: text in an embedded, subset TrueType font (Type0/CIDFontType2, Identity-H,
// with a ToUnicode CMap so the text can be extracted), filled and stroked rectangles and
// lines. Identical input gives byte-identical output: no clock, no randomness, no map
// iteration in output order; the trailer /ID is a SHA-256 of the document body.
//
// Coordinates are in points with the origin at the bottom-left corner of the page.
// A Doc is not safe for concurrent use; a Font is.
package pdfdoc

import (
	"bytes"
	"compress/zlib"
	"math"
	"runtime"
	"sync"
	"time"
	"unicode/utf8"
)

// RGB is a colour with components from 0 to 1.
type RGB struct{ R, G, B float64 }

// Info is the document information dictionary and catalog language.
type Info struct {
	Title, Subject, Author, Keywords, Producer, Creator string
	// Date is written as both CreationDate and ModDate, with its zone offset; the zero
	// time leaves both out. The package never reads the clock.
	Date time.Time
	// Lang is the natural language of the document, e.g. "sv-SE" (Catalog /Lang).
	Lang string
}

// TextStyle is how Page.Text draws a string.
type TextStyle struct {
	Font  *Font   // nil: DefaultFont()
	Size  float64 // points; 0 or less: 10
	Color RGB
	// Bold is synthetic bold: text render mode 2 (fill and stroke) with a thin stroke
	// (BoldStroke times the size) in the same colour.
	Bold bool
	// Italic is a synthetic oblique: a text matrix with a 12° shear.
	Italic bool
}

// BoldStroke is the stroke width of synthetic bold as a fraction of the font size.
const BoldStroke = 0.03

// italicShear is tan(12°), written to the text matrix for synthetic italics.
const italicShear = "0.2126"

// contentLevel is the fixed zlib level for page content streams; fontLevel for font files.
const (
	contentLevel = zlib.BestSpeed
	fontLevel    = zlib.BestCompression
)

// Doc is a PDF document under construction.
type Doc struct {
	info  Info
	pages []*Page
	cur   *Page
	fonts []*fontUse
	last  *fontUse
	strs  stringLog

	sem chan struct{} // limits concurrent compressions (and the raw buffers they hold)
	wg  sync.WaitGroup
}

// fontUse is a font as used by one document: its resource name, the glyphs drawn, and
// the rune each CID stands for (for ToUnicode).
type fontUse struct {
	font *Font
	name string // resource name without slash, "F1"

	low  []uint16 // CID per rune < lowRunes; 0 = not yet resolved
	high map[rune]uint16

	used  []bool  // per glyph id < font.numGlyphs: drawn
	uni   []int32 // per glyph id < font.numGlyphs: rune+1 it stands for, 0 = none
	extra []aliasGlyph
}

// aliasGlyph is a glyph appended to the subset font so a rune gets its own CID and
// ToUnicode entry: a rune the font lacks (a copy of .notdef), or a rune that shares its
// glyph with another rune already drawn (for example a no-break space drawn with the
// glyph of the space).
type aliasGlyph struct {
	src uint16 // glyph copied
	r   rune
}

// Page is one page of a Doc.
type Page struct {
	doc    *Doc
	w, h   float64
	buf    []byte   // content not yet handed to compression
	chunks []*chunk // finished content streams, in order

	// Graphics state as left by the content written so far (it carries over from one
	// content stream of the page to the next).
	inText  bool
	font    *fontUse
	size    int64 // font size in 1/1000 pt, -1 = none
	fill    int32 // packed colour, see packColor
	stroke  int32
	lineW   int64 // 1/1000 pt
	mode    int8  // text render mode
	lmX     int64 // text line matrix origin in 1/100 pt
	lmY     int64
	lmShear bool
}

type chunk struct {
	data       []byte
	compressed bool
}

// New starts an empty document.
func New(info Info) *Doc {
	n := runtime.GOMAXPROCS(0)
	if n < 1 {
		n = 1
	}
	return &Doc{info: info, sem: make(chan struct{}, n)}
}

// AddPage adds a page of the given size in points (A4 landscape: 841.89 x 595.28). The
// previous page's content is compressed in the background; drawing on it later still
// works (it goes into an extra content stream).
func (d *Doc) AddPage(width, height float64) *Page {
	if d.cur != nil {
		d.cur.finish()
	}
	p := &Page{doc: d, w: width, h: height, size: -1, lineW: 1000}
	d.pages = append(d.pages, p)
	d.cur = p
	return p
}

// PageCount is the number of pages added.
func (d *Doc) PageCount() int { return len(d.pages) }

// Strings returns every string passed to Page.Text, in call order (a copy).
func (d *Doc) Strings() []string {
	out := make([]string, 0, d.strs.n)
	for _, blk := range d.strs.blocks {
		out = append(out, blk...)
	}
	return out
}

// stringLog is an append-only list of strings in fixed-size blocks: appending never
// copies what is already stored (one growing slice of 700,000 strings would be copied
// dozens of times, with write barriers).
type stringLog struct {
	blocks [][]string
	n      int
}

const stringLogBlock = 8192

func (l *stringLog) add(s string) {
	k := len(l.blocks) - 1
	if k < 0 || len(l.blocks[k]) == stringLogBlock {
		l.blocks = append(l.blocks, make([]string, 0, stringLogBlock))
		k++
	}
	l.blocks[k] = append(l.blocks[k], s)
	l.n++
}

// Size is the page size in points.
func (p *Page) Size() (width, height float64) { return p.w, p.h }

func (d *Doc) use(f *Font) *fontUse {
	if d.last != nil && d.last.font == f {
		return d.last
	}
	for _, u := range d.fonts {
		if u.font == f {
			d.last = u
			return u
		}
	}
	u := &fontUse{
		font: f,
		name: "F" + itoa(len(d.fonts)+1),
		low:  make([]uint16, lowRunes),
		high: map[rune]uint16{},
		used: make([]bool, f.numGlyphs),
		uni:  make([]int32, f.numGlyphs),
	}
	d.fonts = append(d.fonts, u)
	d.last = u
	return u
}

// resolve returns the CID (= glyph id in the subset font) for r, registering it.
func (u *fontUse) resolve(r rune) uint16 {
	f := u.font
	g := f.glyph(r)
	cid := g
	if g != 0 && (u.uni[g] == 0 || u.uni[g] == r+1) {
		u.uni[g] = r + 1
		u.used[g] = true
	} else if n := f.numGlyphs + len(u.extra); n <= 0xFFFF {
		cid = uint16(n)
		u.extra = append(u.extra, aliasGlyph{src: g, r: r})
	} else {
		u.used[g] = true // out of glyph ids: draw the shared glyph without own ToUnicode
		return g         // not cached, so a later call may retry
	}
	if r < lowRunes {
		u.low[r] = cid
	} else {
		u.high[r] = cid
	}
	return cid
}

const hexDigits = "0123456789ABCDEF"

// Text draws s with its baseline starting at (x, y).
func (p *Page) Text(x, y float64, s string, st TextStyle) {
	d := p.doc
	d.strs.add(s)
	if s == "" {
		return
	}
	f := st.Font
	if f == nil {
		f = DefaultFont()
	}
	u := d.use(f)
	size := st.Size
	if size <= 0 {
		size = 10
	}
	b := p.begin()
	if !p.inText {
		b = append(b, "BT\n"...)
		p.inText = true
		p.lmX, p.lmY, p.lmShear = 0, 0, false
	}
	if qs := quant(size, 1000); p.font != u || p.size != qs {
		b = append(b, '/')
		b = append(b, u.name...)
		b = append(b, ' ')
		b = appendQ(b, qs, 3)
		b = append(b, " Tf\n"...)
		p.font, p.size = u, qs
	}
	color := packColor(st.Color)
	if color != p.fill {
		b = appendColor(b, color, false)
		p.fill = color
	}
	var mode int8
	if st.Bold {
		mode = 2
		if color != p.stroke {
			b = appendColor(b, color, true)
			p.stroke = color
		}
		if lw := quant(size*BoldStroke, 1000); lw != p.lineW {
			b = appendQ(b, lw, 3)
			b = append(b, " w\n"...)
			p.lineW = lw
		}
	}
	if mode != p.mode {
		b = append(b, '0'+byte(mode))
		b = append(b, " Tr\n"...)
		p.mode = mode
	}
	qx, qy := quant(x, 100), quant(y, 100)
	switch {
	case st.Italic:
		b = append(b, "1 0 "+italicShear+" 1 "...)
		b = appendQ(b, qx, 2)
		b = append(b, ' ')
		b = appendQ(b, qy, 2)
		b = append(b, " Tm\n"...)
		p.lmShear = true
	case p.lmShear:
		b = append(b, "1 0 0 1 "...)
		b = appendQ(b, qx, 2)
		b = append(b, ' ')
		b = appendQ(b, qy, 2)
		b = append(b, " Tm\n"...)
		p.lmShear = false
	default:
		b = appendQ(b, qx-p.lmX, 2)
		b = append(b, ' ')
		b = appendQ(b, qy-p.lmY, 2)
		b = append(b, " Td\n"...)
	}
	p.lmX, p.lmY = qx, qy

	// Glyph ids as hex: at most 4 digits per byte of s.
	b = append(b, '<')
	n := len(b)
	b = grow(b, 4*len(s)+4)
	b = b[:n+4*len(s)]
	low := u.low[:lowRunes]
	for i := 0; i < len(s); {
		var r rune
		if c := s[i]; c < utf8.RuneSelf {
			r = rune(c)
			i++
		} else {
			var w int
			r, w = utf8.DecodeRuneInString(s[i:])
			i += w
		}
		var cid uint16
		if r < lowRunes {
			if cid = low[r]; cid == 0 {
				cid = u.resolve(r)
			}
		} else if cid = u.high[r]; cid == 0 {
			cid = u.resolve(r)
		}
		b[n] = hexDigits[cid>>12]
		b[n+1] = hexDigits[cid>>8&15]
		b[n+2] = hexDigits[cid>>4&15]
		b[n+3] = hexDigits[cid&15]
		n += 4
	}
	b = append(b[:n], ">Tj\n"...)
	p.buf = b
}

// Rect fills a rectangle with its lower-left corner at (x, y).
func (p *Page) Rect(x, y, w, h float64, fill RGB) {
	b := p.beginGraphics()
	if c := packColor(fill); c != p.fill {
		b = appendColor(b, c, false)
		p.fill = c
	}
	b = appendRect(b, x, y, w, h)
	p.buf = append(b, " re f\n"...)
}

// StrokeRect strokes the outline of a rectangle with its lower-left corner at (x, y).
func (p *Page) StrokeRect(x, y, w, h, lineWidth float64, color RGB) {
	b := p.strokeState(p.beginGraphics(), lineWidth, color)
	b = appendRect(b, x, y, w, h)
	p.buf = append(b, " re S\n"...)
}

// Line strokes a straight line from (x1, y1) to (x2, y2).
func (p *Page) Line(x1, y1, x2, y2, lineWidth float64, color RGB) {
	b := p.strokeState(p.beginGraphics(), lineWidth, color)
	b = appendNum(b, x1, 2)
	b = append(b, ' ')
	b = appendNum(b, y1, 2)
	b = append(b, " m "...)
	b = appendNum(b, x2, 2)
	b = append(b, ' ')
	b = appendNum(b, y2, 2)
	p.buf = append(b, " l S\n"...)
}

func (p *Page) strokeState(b []byte, lineWidth float64, color RGB) []byte {
	if c := packColor(color); c != p.stroke {
		b = appendColor(b, c, true)
		p.stroke = c
	}
	if lw := quant(lineWidth, 1000); lw != p.lineW {
		b = appendQ(b, lw, 3)
		b = append(b, " w\n"...)
		p.lineW = lw
	}
	return b
}

func appendRect(b []byte, x, y, w, h float64) []byte {
	b = appendNum(b, x, 2)
	b = append(b, ' ')
	b = appendNum(b, y, 2)
	b = append(b, ' ')
	b = appendNum(b, w, 2)
	b = append(b, ' ')
	return appendNum(b, h, 2)
}

// begin returns the page's open content buffer.
func (p *Page) begin() []byte {
	if p.buf == nil {
		if len(p.chunks) > 0 {
			// Drawing on a finished page (a footer added at the end): a few bytes, and many
			// pages may hold one at once, so not a pooled 64 KiB buffer.
			p.buf = make([]byte, 0, 256)
		} else {
			p.buf = getBuf()
		}
	}
	return p.buf
}

// beginGraphics is begin outside a text object.
func (p *Page) beginGraphics() []byte {
	b := p.begin()
	if p.inText {
		b = append(b, "ET\n"...)
		p.inText = false
	}
	return b
}

// finish closes the page's open content and hands it to compression.
func (p *Page) finish() {
	if p.buf == nil {
		return
	}
	b := p.buf
	if p.inText {
		b = append(b, "ET\n"...)
		p.inText = false
	}
	p.buf = nil
	c := &chunk{}
	p.chunks = append(p.chunks, c)
	p.doc.compress(c, b)
}

func (d *Doc) compress(c *chunk, raw []byte) {
	c.compressed = true
	d.sem <- struct{}{}
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		c.data = deflate(raw, contentLevel)
		putBuf(raw)
		<-d.sem
	}()
}

// Content buffers are recycled between pages.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

func getBuf() []byte { return (*bufPool.Get().(*[]byte))[:0] }

func putBuf(b []byte) {
	if cap(b) > 4<<20 || cap(b) < 32<<10 {
		return
	}
	b = b[:0]
	bufPool.Put(&b)
}

type deflater struct {
	zw  *zlib.Writer
	out bytes.Buffer
}

var deflaterPool = sync.Pool{New: func() any {
	z := &deflater{}
	z.zw, _ = zlib.NewWriterLevel(&z.out, contentLevel)
	return z
}}

// deflate zlib-compresses raw (FlateDecode) at a fixed level.
func deflate(raw []byte, level int) []byte {
	var z *deflater
	if level == contentLevel {
		z = deflaterPool.Get().(*deflater)
		z.out.Reset()
		z.zw.Reset(&z.out)
	} else {
		z = &deflater{}
		z.zw, _ = zlib.NewWriterLevel(&z.out, level)
	}
	z.zw.Write(raw) // writes to a bytes.Buffer cannot fail
	z.zw.Close()
	out := bytes.Clone(z.out.Bytes())
	if level == contentLevel {
		deflaterPool.Put(z)
	}
	return out
}

func grow(b []byte, n int) []byte {
	if cap(b)-len(b) >= n {
		return b
	}
	nb := make([]byte, len(b), 2*cap(b)+n)
	copy(nb, b)
	return nb
}

// quant rounds v to an integer number of 1/scale units (NaN and infinities become 0).
func quant(v float64, scale float64) int64 {
	q := math.Round(v * scale)
	if q != q || q > 1e15 || q < -1e15 {
		return 0
	}
	return int64(q)
}

// packColor packs a colour as three 10-bit thousandths.
func packColor(c RGB) int32 {
	return comp(c.R)<<20 | comp(c.G)<<10 | comp(c.B)
}

func comp(v float64) int32 {
	if !(v > 0) {
		return 0
	}
	if v >= 1 {
		return 1000
	}
	return int32(math.Round(v * 1000))
}

// appendColor writes a fill (rg/g) or stroke (RG/G) colour operator.
func appendColor(b []byte, c int32, stroke bool) []byte {
	r, g, bl := int64(c>>20), int64(c>>10&1023), int64(c&1023)
	if r == g && g == bl {
		b = appendQ(b, r, 3)
		if stroke {
			return append(b, " G\n"...)
		}
		return append(b, " g\n"...)
	}
	b = appendQ(b, r, 3)
	b = append(b, ' ')
	b = appendQ(b, g, 3)
	b = append(b, ' ')
	b = appendQ(b, bl, 3)
	if stroke {
		return append(b, " RG\n"...)
	}
	return append(b, " rg\n"...)
}
