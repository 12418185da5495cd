package pdfdoc

import (
	"crypto/sha256"
	"encoding/binary"
	"sort"
)

// subsetResult is a subset TrueType font ready for /FontFile2.
type subsetResult struct {
	ttf        []byte
	tag        string // six uppercase letters
	numGlyphs  int    // glyphs in the subset (ids kept: glyph id = CID)
	withData   int    // glyphs that kept outline data
	needed     []bool // per subset glyph: kept its data
	glyfLength int
}

// keepTables are copied unchanged into a subset (besides the rebuilt head, hhea, maxp,
// loca, glyf, hmtx and post). cmap is dropped: with /CIDToGIDMap /Identity the PDF reader
// does not need it.
var keepTables = []string{"OS/2", "cvt ", "fpgm", "name", "prep"}

// subset builds a TrueType font in which only the glyphs marked in used, glyph 0, the
// sources of the alias glyphs and the components of composite glyphs keep their outlines.
// Glyph ids are unchanged; alias glyphs (copies of extraSrc[i]) are appended after the
// font's last glyph, at id numGlyphs+i. Without aliases the font is cut after the highest
// kept glyph.
func (f *Font) subset(used []bool, extraSrc []uint16) subsetResult {
	need := make([]bool, f.numGlyphs)
	need[0] = true
	for g, u := range used {
		if u && g < f.numGlyphs {
			need[g] = true
		}
	}
	for _, g := range extraSrc {
		need[g] = true
	}
	// Close over composite glyph components.
	var stack, comps []uint16
	for g, n := range need {
		if n {
			stack = append(stack, uint16(g))
		}
	}
	for len(stack) > 0 {
		g := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		comps = f.components(int(g), comps[:0])
		for _, c := range comps {
			if int(c) < f.numGlyphs && !need[c] {
				need[c] = true
				stack = append(stack, c)
			}
		}
	}
	total := f.numGlyphs + len(extraSrc)
	if len(extraSrc) == 0 {
		total = 1
		for g := f.numGlyphs - 1; g > 0; g-- {
			if need[g] {
				total = g + 1
				break
			}
		}
	}
	src := func(g int) int {
		if g >= f.numGlyphs {
			return int(extraSrc[g-f.numGlyphs])
		}
		if need[g] {
			return g
		}
		return -1
	}

	res := subsetResult{numGlyphs: total, needed: make([]bool, total)}

	// glyf and loca offsets; every glyph is padded to 4 bytes.
	offs := make([]uint32, total+1)
	var glyf []byte
	for g := 0; g < total; g++ {
		offs[g] = uint32(len(glyf))
		if s := src(g); s >= 0 {
			res.needed[g] = true
			if b := f.glyphData(s); len(b) > 0 {
				glyf = append(glyf, b...)
				for len(glyf)%4 != 0 {
					glyf = append(glyf, 0)
				}
				res.withData++
			}
		}
	}
	offs[total] = uint32(len(glyf))
	res.glyfLength = len(glyf)
	shortLoca := len(glyf)/2 <= 0xFFFF
	var loca []byte
	if shortLoca {
		loca = make([]byte, 2*(total+1))
		for i, o := range offs {
			binary.BigEndian.PutUint16(loca[2*i:], uint16(o/2))
		}
	} else {
		loca = make([]byte, 4*(total+1))
		for i, o := range offs {
			binary.BigEndian.PutUint32(loca[4*i:], o)
		}
	}

	hmtx := make([]byte, 4*total)
	for g := 0; g < total; g++ {
		if s := src(g); s >= 0 {
			binary.BigEndian.PutUint16(hmtx[4*g:], f.advance[s])
			binary.BigEndian.PutUint16(hmtx[4*g+2:], uint16(f.lsb[s]))
		}
	}

	head := append([]byte(nil), f.table("head")...)
	binary.BigEndian.PutUint32(head[8:], 0) // checkSumAdjustment, set below
	if shortLoca {
		binary.BigEndian.PutUint16(head[50:], 0)
	} else {
		binary.BigEndian.PutUint16(head[50:], 1)
	}
	hhea := append([]byte(nil), f.table("hhea")...)
	binary.BigEndian.PutUint16(hhea[34:], uint16(total))
	maxp := append([]byte(nil), f.table("maxp")...)
	binary.BigEndian.PutUint16(maxp[4:], uint16(total))

	// post format 3: no glyph names (they would have to match the new glyph count).
	post := make([]byte, 32)
	if p := f.table("post"); len(p) >= 32 {
		copy(post, p[:32])
	}
	binary.BigEndian.PutUint32(post[0:], 0x00030000)

	tables := map[string][]byte{
		"glyf": glyf, "loca": loca, "hmtx": hmtx, "head": head, "hhea": hhea,
		"maxp": maxp, "post": post,
	}
	for _, tag := range keepTables {
		if b := f.table(tag); b != nil {
			tables[tag] = b
		}
	}
	tags := make([]string, 0, len(tables))
	for tag := range tables {
		tags = append(tags, tag)
	}
	sort.Strings(tags) // deterministic output, and the order the table directory requires

	res.ttf = writeSFNT(tags, tables)

	h := sha256.New()
	var b4 [4]byte
	binary.BigEndian.PutUint32(b4[:], uint32(total))
	h.Write(b4[:])
	for g := 0; g < total; g++ {
		if res.needed[g] {
			binary.BigEndian.PutUint32(b4[:], uint32(g)<<16|uint32(uint16(src(g))))
			h.Write(b4[:])
		}
	}
	sum := h.Sum(nil)
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	res.tag = string(tag)
	return res
}

func tableChecksum(b []byte) uint32 {
	var sum uint32
	n := len(b) &^ 3
	for i := 0; i < n; i += 4 {
		sum += binary.BigEndian.Uint32(b[i:])
	}
	if n < len(b) {
		var last [4]byte
		copy(last[:], b[n:])
		sum += binary.BigEndian.Uint32(last[:])
	}
	return sum
}

// writeSFNT assembles a TrueType file from tables given in tag order.
func writeSFNT(tags []string, tables map[string][]byte) []byte {
	n := len(tags)
	size := 12 + 16*n
	for _, t := range tags {
		size += (len(tables[t]) + 3) &^ 3
	}
	out := make([]byte, 12+16*n, size)
	binary.BigEndian.PutUint32(out[0:], 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	es := 0
	for 1<<(es+1) <= n {
		es++
	}
	sr := 16 << es
	binary.BigEndian.PutUint16(out[6:], uint16(sr))
	binary.BigEndian.PutUint16(out[8:], uint16(es))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-sr))
	headOff := 0
	for i, t := range tags {
		b := tables[t]
		rec := out[12+16*i:]
		copy(rec, t)
		binary.BigEndian.PutUint32(rec[4:], tableChecksum(b))
		binary.BigEndian.PutUint32(rec[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(b)))
		if t == "head" {
			headOff = len(out)
		}
		out = append(out, b...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	if _, ok := tables["head"]; ok {
		binary.BigEndian.PutUint32(out[headOff+8:], 0xB1B0AFBA-tableChecksum(out))
	}
	return out
}
