package pdfdoc

import (
	"crypto/sha256"
	"hash"
	"io"
	"math"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Fixed object numbers; font objects follow, then the pages with their content streams.
const (
	objCatalog   = 1
	objPages     = 2
	objInfo      = 3
	objResources = 4
	objFirstFont = 5
	objsPerFont  = 5 // Type0, CIDFontType2, FontDescriptor, FontFile2, ToUnicode
)

// WriteTo writes the document as PDF 1.7: one body, one cross-reference table, one
// trailer. Pages can still be added and drawn on afterwards and the document written again.
func (d *Doc) WriteTo(w io.Writer) (int64, error) {
	for _, p := range d.pages {
		p.finish()
	}
	d.wg.Wait()

	// Object numbers.
	next := objFirstFont + objsPerFont*len(d.fonts)
	pageObj := make([]int, len(d.pages))
	for i, p := range d.pages {
		pageObj[i] = next
		next += 1 + len(p.chunks)
	}
	pw := &pdfWriter{w: w, h: sha256.New(), offsets: make([]int64, next), buf: make([]byte, 0, 64<<10)}

	pw.raw("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")

	// Catalog.
	b := pw.obj(objCatalog)
	b = append(b, "<< /Type /Catalog /Pages 2 0 R"...)
	if d.info.Lang != "" {
		b = append(b, " /Lang "...)
		b = appendTextString(b, d.info.Lang)
	}
	b = append(b, " >>"...)
	pw.endObj(b)

	// Page tree: one node (readers cope well with thousands of kids).
	b = pw.obj(objPages)
	b = append(b, "<< /Type /Pages /Count "...)
	b = strconv.AppendInt(b, int64(len(d.pages)), 10)
	b = append(b, " /Kids ["...)
	for i, n := range pageObj {
		if i%16 == 0 {
			b = append(b, '\n')
		} else {
			b = append(b, ' ')
		}
		b = appendRef(b, n)
		pw.buf = b
		b = pw.room(32)
	}
	b = append(b, "\n] >>"...)
	pw.endObj(b)

	// Document information.
	b = pw.obj(objInfo)
	b = append(b, "<<"...)
	for _, kv := range [...]struct{ k, v string }{
		{"Title", d.info.Title}, {"Subject", d.info.Subject}, {"Author", d.info.Author},
		{"Keywords", d.info.Keywords}, {"Creator", d.info.Creator}, {"Producer", d.info.Producer},
	} {
		if kv.v != "" {
			b = append(b, " /"...)
			b = append(b, kv.k...)
			b = append(b, ' ')
			b = appendTextString(b, kv.v)
		}
	}
	if !d.info.Date.IsZero() {
		b = append(b, " /CreationDate ("...)
		b = appendDate(b, d.info.Date)
		b = append(b, ") /ModDate ("...)
		b = appendDate(b, d.info.Date)
		b = append(b, ')')
	}
	b = append(b, " >>"...)
	pw.endObj(b)

	// Shared resources.
	b = pw.obj(objResources)
	b = append(b, "<< /Font <<"...)
	for i, u := range d.fonts {
		b = append(b, " /"...)
		b = append(b, u.name...)
		b = append(b, ' ')
		b = appendRef(b, objFirstFont+objsPerFont*i)
	}
	b = append(b, " >> >>"...)
	pw.endObj(b)

	for i, u := range d.fonts {
		d.writeFont(pw, u, objFirstFont+objsPerFont*i)
	}

	for i, p := range d.pages {
		n := pageObj[i]
		b = pw.obj(n)
		b = append(b, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 "...)
		b = appendNum(b, p.w, 2)
		b = append(b, ' ')
		b = appendNum(b, p.h, 2)
		b = append(b, "] /Resources 4 0 R"...)
		switch len(p.chunks) {
		case 0:
		case 1:
			b = append(b, " /Contents "...)
			b = appendRef(b, n+1)
		default:
			b = append(b, " /Contents ["...)
			for j := range p.chunks {
				if j > 0 {
					b = append(b, ' ')
				}
				b = appendRef(b, n+1+j)
			}
			b = append(b, ']')
		}
		b = append(b, " >>"...)
		pw.endObj(b)
		for j, c := range p.chunks {
			pw.stream(n+1+j, nil, c.data, c.compressed)
		}
	}

	// Cross-reference table and trailer; the /ID hashes everything before them.
	pw.flush()
	id := pw.h.Sum(nil)
	pw.h = nil
	xref := pw.pos()
	b = pw.room(64)
	b = append(b, "xref\n0 "...)
	b = strconv.AppendInt(b, int64(next), 10)
	b = append(b, "\n0000000000 65535 f \n"...)
	pw.buf = b
	for n := 1; n < next; n++ {
		b = pw.room(20)
		var e [20]byte
		v := pw.offsets[n]
		for k := 9; k >= 0; k-- {
			e[k] = '0' + byte(v%10)
			v /= 10
		}
		copy(e[10:], " 00000 n \n")
		pw.buf = append(b, e[:]...)
	}
	b = pw.room(256)
	b = append(b, "trailer\n<< /Size "...)
	b = strconv.AppendInt(b, int64(next), 10)
	b = append(b, " /Root 1 0 R /Info 3 0 R /ID [<"...)
	var idHex []byte
	for _, c := range id[:16] {
		idHex = append(idHex, hexDigits[c>>4], hexDigits[c&15])
	}
	b = append(b, idHex...)
	b = append(b, "> <"...)
	b = append(b, idHex...)
	b = append(b, ">] >>\nstartxref\n"...)
	b = strconv.AppendInt(b, xref, 10)
	b = append(b, "\n%%EOF\n"...)
	pw.buf = b
	pw.flush()
	return pw.n, pw.err
}

// writeFont writes the five objects of a Type0 font starting at object number n.
func (d *Doc) writeFont(pw *pdfWriter, u *fontUse, n int) {
	f := u.font
	srcs := make([]uint16, len(u.extra))
	for i, a := range u.extra {
		srcs[i] = a.src
	}
	sub := f.subset(u.used, srcs)
	baseFont := sub.tag + "+" + f.psName
	scale := 1000 / float64(f.unitsPerEm)

	// Type0 font.
	b := pw.obj(n)
	b = append(b, "<< /Type /Font /Subtype /Type0 /BaseFont /"...)
	b = append(b, baseFont...)
	b = append(b, " /Encoding /Identity-H /DescendantFonts ["...)
	b = appendRef(b, n+1)
	b = append(b, "] /ToUnicode "...)
	b = appendRef(b, n+4)
	b = append(b, " >>"...)
	pw.endObj(b)

	// CIDFont with widths of the drawn glyphs.
	b = pw.obj(n + 1)
	b = append(b, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /"...)
	b = append(b, baseFont...)
	b = append(b, " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor "...)
	b = appendRef(b, n+2)
	b = append(b, " /CIDToGIDMap /Identity /DW "...)
	b = strconv.AppendInt(b, int64(math.Round(float64(f.advance[0])*scale)), 10) // DW is an integer (PDF 32000 9.7.4.3)
	b = append(b, " /W ["...)
	width := func(cid int) float64 {
		if cid >= f.numGlyphs {
			return float64(f.advance[u.extra[cid-f.numGlyphs].src]) * scale
		}
		return float64(f.advance[cid]) * scale
	}
	drawn := func(cid int) bool {
		if cid >= f.numGlyphs {
			return cid < f.numGlyphs+len(u.extra)
		}
		return u.used[cid]
	}
	total := f.numGlyphs + len(u.extra)
	for cid := 0; cid < total; {
		if !drawn(cid) {
			cid++
			continue
		}
		b = append(b, '\n')
		b = strconv.AppendInt(b, int64(cid), 10)
		b = append(b, " ["...)
		for first := true; cid < total && drawn(cid); cid++ {
			if !first {
				b = append(b, ' ')
			}
			first = false
			b = appendNum(b, width(cid), 3)
		}
		b = append(b, ']')
		pw.buf = b
		b = pw.room(64)
	}
	b = append(b, "\n] >>"...)
	pw.endObj(b)

	// Font descriptor.
	flags := 4 // symbolic
	if f.fixedPitch {
		flags |= 1
	}
	if f.italic != 0 {
		flags |= 64
	}
	b = pw.obj(n + 2)
	b = append(b, "<< /Type /FontDescriptor /FontName /"...)
	b = append(b, baseFont...)
	b = append(b, " /Flags "...)
	b = strconv.AppendInt(b, int64(flags), 10)
	b = append(b, " /FontBBox ["...)
	for i, v := range f.bbox {
		if i > 0 {
			b = append(b, ' ')
		}
		b = appendNum(b, float64(v)*scale, 0)
	}
	b = append(b, "] /ItalicAngle "...)
	b = appendNum(b, f.italic, 2)
	b = append(b, " /Ascent "...)
	b = appendNum(b, float64(f.ascender)*scale, 0)
	b = append(b, " /Descent "...)
	b = appendNum(b, float64(f.descender)*scale, 0)
	b = append(b, " /CapHeight "...)
	b = appendNum(b, float64(f.capHeight)*scale, 0)
	b = append(b, " /StemV "...)
	b = appendNum(b, 10+220*float64(int(f.weight)-50)/900, 0)
	b = append(b, " /FontFile2 "...)
	b = appendRef(b, n+3)
	b = append(b, " >>"...)
	pw.endObj(b)

	// Font file.
	extra := strconv.AppendInt([]byte("/Length1 "), int64(len(sub.ttf)), 10)
	pw.stream(n+3, extra, deflate(sub.ttf, fontLevel), true)

	// ToUnicode.
	pw.stream(n+4, nil, deflate(d.toUnicode(u), fontLevel), true)
}

// toUnicode builds the CMap from CIDs to the runes they were drawn for.
func (d *Doc) toUnicode(u *fontUse) []byte {
	type pair struct {
		cid int
		r   rune
	}
	var m []pair
	for g, r := range u.uni {
		if r != 0 {
			m = append(m, pair{g, r - 1})
		}
	}
	for i, a := range u.extra {
		m = append(m, pair{u.font.numGlyphs + i, a.r})
	}
	b := []byte("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for len(m) > 0 {
		k := min(len(m), 100)
		b = strconv.AppendInt(b, int64(k), 10)
		b = append(b, " beginbfchar\n"...)
		for _, p := range m[:k] {
			b = append(b, '<')
			b = appendHex16(b, uint16(p.cid))
			b = append(b, "> <"...)
			if r1, r2 := utf16.EncodeRune(p.r); r1 != utf8.RuneError {
				b = appendHex16(b, uint16(r1))
				b = appendHex16(b, uint16(r2))
			} else if p.r >= 0 && p.r <= 0xFFFF && (p.r < 0xD800 || p.r > 0xDFFF) {
				b = appendHex16(b, uint16(p.r))
			} else {
				b = append(b, "FFFD"...)
			}
			b = append(b, ">\n"...)
		}
		b = append(b, "endbfchar\n"...)
		m = m[k:]
	}
	b = append(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"...)
	return b
}

func appendHex16(b []byte, v uint16) []byte {
	return append(b, hexDigits[v>>12], hexDigits[v>>8&15], hexDigits[v>>4&15], hexDigits[v&15])
}

func appendRef(b []byte, n int) []byte {
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, " 0 R"...)
}

// appendDate writes D:YYYYMMDDHHmmSS+HH'mm' with the time's own zone offset.
func appendDate(b []byte, t time.Time) []byte {
	b = append(b, "D:"...)
	b = t.AppendFormat(b, "20060102150405")
	_, off := t.Zone()
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	off /= 60
	h, m := off/60, off%60
	return append(b, sign, '0'+byte(h/10), '0'+byte(h%10), '\'', '0'+byte(m/10), '0'+byte(m%10), '\'')
}

// appendTextString writes a PDF text string: a literal string when s is ASCII, otherwise
// UTF-16BE with a byte order mark, in hex.
func appendTextString(b []byte, s string) []byte {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		b = append(b, '(')
		for i := 0; i < len(s); i++ {
			switch c := s[i]; {
			case c == '(' || c == ')' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20 || c == 0x7f:
				b = append(b, '\\', '0'+c>>6, '0'+c>>3&7, '0'+c&7)
			default:
				b = append(b, c)
			}
		}
		return append(b, ')')
	}
	b = append(b, "<FEFF"...)
	for _, r := range s {
		if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
			b = appendHex16(b, uint16(r1))
			b = appendHex16(b, uint16(r2))
		} else {
			b = appendHex16(b, uint16(r))
		}
	}
	return append(b, '>')
}

// pdfWriter buffers output, hashes the body and records object offsets.
type pdfWriter struct {
	w       io.Writer
	h       hash.Hash // nil once the body is complete
	n       int64     // bytes handed to w
	buf     []byte
	err     error
	offsets []int64
}

func (pw *pdfWriter) pos() int64 { return pw.n + int64(len(pw.buf)) }

func (pw *pdfWriter) flush() {
	if len(pw.buf) == 0 {
		return
	}
	pw.put(pw.buf)
	pw.buf = pw.buf[:0]
}

func (pw *pdfWriter) put(p []byte) {
	if pw.err != nil {
		return
	}
	if pw.h != nil {
		pw.h.Write(p)
	}
	n, err := pw.w.Write(p)
	pw.n += int64(n)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	pw.err = err
}

// room returns the buffer, flushed first if fewer than n bytes fit.
func (pw *pdfWriter) room(n int) []byte {
	if cap(pw.buf)-len(pw.buf) < n {
		pw.flush()
	}
	return pw.buf
}

func (pw *pdfWriter) raw(s string) {
	pw.buf = append(pw.room(len(s)), s...)
}

// obj starts object n and returns the buffer to append its body to.
func (pw *pdfWriter) obj(n int) []byte {
	b := pw.room(4096)
	pw.offsets[n] = pw.n + int64(len(b))
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, " 0 obj\n"...)
}

func (pw *pdfWriter) endObj(b []byte) {
	pw.buf = append(b, "\nendobj\n"...)
}

// stream writes object n as a stream; extra is added to its dictionary.
func (pw *pdfWriter) stream(n int, extra, data []byte, compressed bool) {
	b := pw.obj(n)
	b = append(b, "<< /Length "...)
	b = strconv.AppendInt(b, int64(len(data)), 10)
	if compressed {
		b = append(b, " /Filter /FlateDecode"...)
	}
	if len(extra) > 0 {
		b = append(b, ' ')
		b = append(b, extra...)
	}
	b = append(b, " >>\nstream\n"...)
	if len(data) > cap(b)-len(b) {
		pw.buf = b
		pw.flush()
		pw.put(data)
		b = pw.buf
	} else {
		b = append(b, data...)
	}
	pw.buf = append(b, "\nendstream\nendobj\n"...)
}
