package pdfdoc

import (
	"crypto/sha256"
	_ "embed"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// lowRunes is the size of the per-font and per-document lookup tables indexed directly by
// rune; runes at or above it (CJK and beyond, rare in Swedish documents) take the slower path.
const lowRunes = 0x3000

//go:embed fonts/DejaVuSansCondensed.ttf
var dejaVuSansCondensed []byte

var (
	defaultFontOnce sync.Once
	defaultFont     *Font
)

// DefaultFont returns the embedded DejaVu Sans Condensed, parsed once. The font is licensed
// under the Bitstream Vera license (fonts/LICENSE-DejaVu.txt), which allows embedding.
func DefaultFont() *Font {
	defaultFontOnce.Do(func() {
		f, err := parseFont(dejaVuSansCondensed, false)
		if err != nil {
			panic("pdfdoc: embedded font: " + err.Error())
		}
		defaultFont = f
	})
	return defaultFont
}

// Font is a parsed TrueType font (glyf outlines). It is immutable after parsing and safe for
// concurrent use by several documents.
type Font struct {
	data []byte
	tabs []tableRec // in file order

	unitsPerEm int
	numGlyphs  int
	locaLong   bool
	bbox       [4]int16 // xMin, yMin, xMax, yMax in font units
	ascender   int16    // hhea
	descender  int16    // hhea (negative)
	lineGap    int16
	capHeight  int16
	weight     uint16
	italic     float64 // post italicAngle in degrees
	fixedPitch bool
	psName     string

	advance []uint16 // per glyph, font units
	lsb     []int16  // per glyph

	loca []uint32 // numGlyphs+1 offsets into glyf

	cmapFormat int
	cmap       []byte // the chosen cmap subtable (format 4 or 12), or nil

	lowGID []uint16 // glyph per rune < lowRunes
	lowAdv []uint16 // advance (font units) per rune < lowRunes
}

type tableRec struct {
	tag    string
	off    uint32
	length uint32
}

// ParseFont parses a TrueType font (with glyf outlines; CFF-flavoured OpenType is not
// supported). The bytes are copied.
func ParseFont(ttf []byte) (*Font, error) {
	return parseFont(ttf, true)
}

func parseFont(ttf []byte, copyData bool) (*Font, error) {
	if copyData {
		ttf = append([]byte(nil), ttf...)
	}
	f := &Font{data: ttf}
	if err := f.parse(); err != nil {
		return nil, fmt.Errorf("pdfdoc: parse font: %w", err)
	}
	return f, nil
}

var errShort = errors.New("truncated table")

func u16(b []byte, off int) uint16 { return binary.BigEndian.Uint16(b[off:]) }
func u32(b []byte, off int) uint32 { return binary.BigEndian.Uint32(b[off:]) }

func (f *Font) table(tag string) []byte {
	for _, t := range f.tabs {
		if t.tag == tag {
			return f.data[t.off : t.off+t.length]
		}
	}
	return nil
}

func (f *Font) parse() error {
	d := f.data
	if len(d) < 12 {
		return errShort
	}
	switch v := u32(d, 0); v {
	case 0x00010000, 0x74727565: // 1.0, 'true'
	case 0x4F54544F: // 'OTTO'
		return errors.New("CFF-based OpenType fonts are not supported")
	default:
		return fmt.Errorf("not a TrueType font (version %#x)", v)
	}
	n := int(u16(d, 4))
	if len(d) < 12+16*n {
		return errShort
	}
	for i := 0; i < n; i++ {
		r := d[12+16*i:]
		t := tableRec{tag: string(r[:4]), off: u32(r, 8), length: u32(r, 12)}
		if uint64(t.off)+uint64(t.length) > uint64(len(d)) {
			return fmt.Errorf("table %q out of range", t.tag)
		}
		f.tabs = append(f.tabs, t)
	}
	need := func(tag string, min int) ([]byte, error) {
		b := f.table(tag)
		if b == nil {
			return nil, fmt.Errorf("missing %q table", tag)
		}
		if len(b) < min {
			return nil, fmt.Errorf("%q: %w", tag, errShort)
		}
		return b, nil
	}
	head, err := need("head", 54)
	if err != nil {
		return err
	}
	f.unitsPerEm = int(u16(head, 18))
	if f.unitsPerEm < 16 || f.unitsPerEm > 16384 {
		return fmt.Errorf("bad unitsPerEm %d", f.unitsPerEm)
	}
	for i := range f.bbox {
		f.bbox[i] = int16(u16(head, 36+2*i))
	}
	f.locaLong = u16(head, 50) != 0

	maxp, err := need("maxp", 6)
	if err != nil {
		return err
	}
	f.numGlyphs = int(u16(maxp, 4))
	if f.numGlyphs == 0 {
		return errors.New("font has no glyphs")
	}

	hhea, err := need("hhea", 36)
	if err != nil {
		return err
	}
	f.ascender = int16(u16(hhea, 4))
	f.descender = int16(u16(hhea, 6))
	f.lineGap = int16(u16(hhea, 8))
	nhm := int(u16(hhea, 34))
	if nhm == 0 || nhm > f.numGlyphs {
		return fmt.Errorf("bad numberOfHMetrics %d", nhm)
	}
	hmtx, err := need("hmtx", 4*nhm+2*(f.numGlyphs-nhm))
	if err != nil {
		return err
	}
	f.advance = make([]uint16, f.numGlyphs)
	f.lsb = make([]int16, f.numGlyphs)
	for g := 0; g < f.numGlyphs; g++ {
		if g < nhm {
			f.advance[g] = u16(hmtx, 4*g)
			f.lsb[g] = int16(u16(hmtx, 4*g+2))
		} else {
			f.advance[g] = f.advance[nhm-1]
			f.lsb[g] = int16(u16(hmtx, 4*nhm+2*(g-nhm)))
		}
	}

	locaSize := 2
	if f.locaLong {
		locaSize = 4
	}
	loca, err := need("loca", locaSize*(f.numGlyphs+1))
	if err != nil {
		return err
	}
	glyf := f.table("glyf")
	if glyf == nil {
		return errors.New(`missing "glyf" table (only TrueType outlines are supported)`)
	}
	f.loca = make([]uint32, f.numGlyphs+1)
	for i := range f.loca {
		if f.locaLong {
			f.loca[i] = u32(loca, 4*i)
		} else {
			f.loca[i] = uint32(u16(loca, 2*i)) * 2
		}
		if f.loca[i] > uint32(len(glyf)) || (i > 0 && f.loca[i] < f.loca[i-1]) {
			return fmt.Errorf("bad loca entry %d", i)
		}
	}

	if os2 := f.table("OS/2"); len(os2) >= 78 {
		f.weight = u16(os2, 4)
		if u16(os2, 0) >= 2 && len(os2) >= 90 {
			f.capHeight = int16(u16(os2, 88))
		}
	}
	if f.weight == 0 {
		f.weight = 400
	}
	if f.capHeight == 0 {
		f.capHeight = f.ascender
	}
	if post := f.table("post"); len(post) >= 16 {
		f.italic = float64(int32(u32(post, 4))) / 65536
		f.fixedPitch = u32(post, 12) != 0
	}
	f.psName = f.postScriptName()

	if err := f.parseCmap(); err != nil {
		return err
	}
	f.lowGID = make([]uint16, lowRunes)
	f.lowAdv = make([]uint16, lowRunes)
	for r := rune(0); r < lowRunes; r++ {
		g := f.lookup(r)
		f.lowGID[r] = g
		f.lowAdv[r] = f.advance[g]
	}
	return nil
}

// postScriptName reads name ID 6, falling back to "Font".
func (f *Font) postScriptName() string {
	name := f.table("name")
	if len(name) < 6 {
		return "Font"
	}
	count := int(u16(name, 2))
	strOff := int(u16(name, 4))
	if len(name) < 6+12*count {
		return "Font"
	}
	var mac string
	for i := 0; i < count; i++ {
		r := name[6+12*i:]
		pid, eid, nid := u16(r, 0), u16(r, 2), u16(r, 6)
		ln, off := int(u16(r, 8)), int(u16(r, 10))
		if nid != 6 || strOff+off+ln > len(name) {
			continue
		}
		s := name[strOff+off : strOff+off+ln]
		switch {
		case pid == 3 && (eid == 1 || eid == 0) || pid == 0:
			u := make([]uint16, len(s)/2)
			for j := range u {
				u[j] = u16(s, 2*j)
			}
			if v := string(utf16.Decode(u)); v != "" {
				return sanitizePSName(v)
			}
		case pid == 1 && mac == "":
			mac = string(s)
		}
	}
	if mac != "" {
		return sanitizePSName(mac)
	}
	return "Font"
}

// sanitizePSName keeps the characters allowed in PostScript names.
func sanitizePSName(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c > 0x20 && c < 0x7f && c != '[' && c != ']' && c != '(' && c != ')' && c != '{' &&
			c != '}' && c != '<' && c != '>' && c != '/' && c != '%' {
			b = append(b, c)
		}
	}
	if len(b) == 0 {
		return "Font"
	}
	return string(b)
}

func (f *Font) parseCmap() error {
	cm := f.table("cmap")
	if cm == nil {
		return nil // a subset font without cmap: no character mapping
	}
	if len(cm) < 4 {
		return fmt.Errorf("cmap: %w", errShort)
	}
	n := int(u16(cm, 2))
	if len(cm) < 4+8*n {
		return fmt.Errorf("cmap: %w", errShort)
	}
	best, bestRank := -1, 0
	for i := 0; i < n; i++ {
		pid, eid := u16(cm, 4+8*i), u16(cm, 6+8*i)
		off := int(u32(cm, 8+8*i))
		if off+4 > len(cm) {
			continue
		}
		format := int(u16(cm, off))
		rank := 0
		switch {
		case format == 12 && (pid == 3 && eid == 10 || pid == 0):
			rank = 4
		case format == 4 && pid == 3 && eid == 1:
			rank = 3
		case format == 4 && pid == 0:
			rank = 2
		}
		if rank > bestRank {
			best, bestRank = off, rank
		}
	}
	if best < 0 {
		return nil
	}
	sub := cm[best:]
	switch f.cmapFormat = int(u16(sub, 0)); f.cmapFormat {
	case 4:
		if len(sub) < 14 {
			return fmt.Errorf("cmap format 4: %w", errShort)
		}
		ln := int(u16(sub, 2))
		if ln > len(sub) || ln < 14 {
			ln = len(sub) // some fonts have a wrong length; the checks in lookup keep us in bounds
		}
		sub = sub[:ln]
		segs := int(u16(sub, 6)) / 2
		if len(sub) < 16+8*segs {
			return fmt.Errorf("cmap format 4: %w", errShort)
		}
	case 12:
		if len(sub) < 16 {
			return fmt.Errorf("cmap format 12: %w", errShort)
		}
		ln := u32(sub, 4)
		if uint64(ln) <= uint64(len(sub)) {
			sub = sub[:ln]
		}
		if uint64(len(sub)) < 16+12*uint64(u32(sub, 12)) {
			return fmt.Errorf("cmap format 12: %w", errShort)
		}
	}
	f.cmap = sub
	return nil
}

// lookup maps a rune to a glyph through the cmap (0 when unmapped).
func (f *Font) lookup(r rune) uint16 {
	if r < 0 || f.cmap == nil {
		return 0
	}
	var g uint32
	switch f.cmapFormat {
	case 4:
		if r > 0xFFFF {
			return 0
		}
		c := uint32(r)
		sub := f.cmap
		segs := int(u16(sub, 6)) / 2
		ends, starts, deltas, ranges := 14, 16+2*segs, 16+4*segs, 16+6*segs
		lo, hi := 0, segs
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if uint32(u16(sub, ends+2*m)) < c {
				lo = m + 1
			} else {
				hi = m
			}
		}
		if lo >= segs {
			return 0
		}
		start := uint32(u16(sub, starts+2*lo))
		if c < start {
			return 0
		}
		delta := uint32(u16(sub, deltas+2*lo))
		ro := int(u16(sub, ranges+2*lo))
		if ro == 0 {
			g = (c + delta) & 0xFFFF
		} else {
			addr := ranges + 2*lo + ro + 2*int(c-start)
			if addr+2 > len(sub) {
				return 0
			}
			g = uint32(u16(sub, addr))
			if g != 0 {
				g = (g + delta) & 0xFFFF
			}
		}
	case 12:
		c := uint32(r)
		sub := f.cmap
		n := int(u32(sub, 12))
		lo, hi := 0, n
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if u32(sub, 16+12*m+4) < c {
				lo = m + 1
			} else {
				hi = m
			}
		}
		if lo >= n {
			return 0
		}
		grp := 16 + 12*lo
		start := u32(sub, grp)
		if c < start {
			return 0
		}
		g = u32(sub, grp+8) + (c - start)
	default:
		return 0
	}
	if g >= uint32(f.numGlyphs) {
		return 0
	}
	return uint16(g)
}

// glyph maps a rune to a glyph id (0, .notdef, when the font lacks it).
func (f *Font) glyph(r rune) uint16 {
	if uint32(r) < lowRunes {
		return f.lowGID[r]
	}
	return f.lookup(r)
}

// Has reports whether the font has a glyph for r.
func (f *Font) Has(r rune) bool { return f.glyph(r) != 0 }

// RuneWidth is the advance width of r in points at the given size. A rune the font lacks
// is drawn as .notdef and measured as such.
func (f *Font) RuneWidth(r rune, size float64) float64 {
	if uint32(r) < lowRunes {
		return float64(f.lowAdv[r]) * size / float64(f.unitsPerEm)
	}
	return float64(f.advance[f.lookup(r)]) * size / float64(f.unitsPerEm)
}

// Width is the advance width of s in points at the given size (no kerning).
func (f *Font) Width(s string, size float64) float64 {
	return float64(f.widthUnits(s)) * size / float64(f.unitsPerEm)
}

func (f *Font) widthUnits(s string) int {
	w := 0
	adv := f.lowAdv[:lowRunes]
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			w += int(adv[c])
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if r < lowRunes {
			w += int(adv[r])
		} else {
			w += int(f.advance[f.lookup(r)])
		}
	}
	return w
}

// Ascent is the distance from the baseline to the top of the line (hhea ascender) in
// points; positive.
func (f *Font) Ascent(size float64) float64 {
	return float64(f.ascender) * size / float64(f.unitsPerEm)
}

// Descent is the distance from the baseline to the bottom of the line (hhea descender) in
// points; negative, as in the font.
func (f *Font) Descent(size float64) float64 {
	return float64(f.descender) * size / float64(f.unitsPerEm)
}

// LineHeight is Ascent - Descent + line gap, in points.
func (f *Font) LineHeight(size float64) float64 {
	return float64(int(f.ascender)-int(f.descender)+int(f.lineGap)) * size / float64(f.unitsPerEm)
}

// CapHeight is the height of capital letters in points.
func (f *Font) CapHeight(size float64) float64 {
	return float64(f.capHeight) * size / float64(f.unitsPerEm)
}

// Name is the font's PostScript name.
func (f *Font) Name() string { return f.psName }

// NumGlyphs is the number of glyphs in the font.
func (f *Font) NumGlyphs() int { return f.numGlyphs }

// glyphData is the outline data of glyph g (empty for glyphs without outline).
func (f *Font) glyphData(g int) []byte {
	glyf := f.table("glyf")
	return glyf[f.loca[g]:f.loca[g+1]]
}

// components returns the glyphs a composite glyph refers to (nil for simple glyphs).
func (f *Font) components(g int, dst []uint16) []uint16 {
	b := f.glyphData(g)
	if len(b) < 10 || int16(u16(b, 0)) >= 0 {
		return dst
	}
	p := 10
	for p+4 <= len(b) {
		flags := u16(b, p)
		dst = append(dst, u16(b, p+2))
		p += 4
		if flags&0x0001 != 0 { // ARG_1_AND_2_ARE_WORDS
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&0x0008 != 0: // WE_HAVE_A_SCALE
			p += 2
		case flags&0x0040 != 0: // WE_HAVE_AN_X_AND_Y_SCALE
			p += 4
		case flags&0x0080 != 0: // WE_HAVE_A_TWO_BY_TWO
			p += 8
		}
		if flags&0x0020 == 0 { // MORE_COMPONENTS
			break
		}
	}
	return dst
}

// Hash is the SHA-256 of the font file, in hex: an input of every PDF that embeds it.
func (f *Font) Hash() string {
	s := sha256.Sum256(f.data)
	return hex.EncodeToString(s[:])
}
