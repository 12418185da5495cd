package mailfile

// A small compound file (MS-CFB version 3) and .msg (MS-OXMSG) writer for
// tests: it lets the tests build Outlook files with exactly the
// properties a case needs (RTF-only bodies, X500 senders, PT_STRING8 in a
// code page, embedded messages) and damage them on purpose.

import (
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf16"
)

type cfbNode struct {
	name     string
	dir      bool
	data     []byte
	children []*cfbNode
}

func cfbStream(name string, data []byte) *cfbNode { return &cfbNode{name: name, data: data} }

func cfbStorage(name string, children ...*cfbNode) *cfbNode {
	return &cfbNode{name: name, dir: true, children: children}
}

// cfbFile is a written compound file with where its parts went.
type cfbFile struct {
	data     []byte
	fatSecs  []uint32          // FAT sector numbers
	start    map[string]uint32 // stream name -> first (mini)sector
	dirStart uint32
}

// setFAT changes FAT entry s (for damage tests).
func (f *cfbFile) setFAT(s, v uint32) {
	per := uint32(512 / 4)
	sec := f.fatSecs[s/per]
	off := (int(sec)+1)*512 + int(s%per)*4
	binary.LittleEndian.PutUint32(f.data[off:], v)
}

func cfbLess(a, b string) bool {
	ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	if len(ua) != len(ub) {
		return len(ua) < len(ub)
	}
	return strings.ToUpper(a) < strings.ToUpper(b)
}

func writeCFB(rootChildren ...*cfbNode) *cfbFile {
	const ss = 512
	type dent struct {
		node               *cfbNode
		typ                byte
		left, right, child uint32
		start              uint32
		size               uint64
	}
	ents := []*dent{{node: &cfbNode{name: "Root Entry", dir: true, children: rootChildren}, typ: 5, left: noStream, right: noStream, child: noStream}}
	// assign ids, children as a balanced tree
	var add func(parent *dent)
	add = func(parent *dent) {
		kids := append([]*cfbNode(nil), parent.node.children...)
		sort.Slice(kids, func(i, j int) bool { return cfbLess(kids[i].name, kids[j].name) })
		ids := make([]uint32, len(kids))
		for i, k := range kids {
			typ := byte(2)
			if k.dir {
				typ = 1
			}
			ents = append(ents, &dent{node: k, typ: typ, left: noStream, right: noStream, child: noStream})
			ids[i] = uint32(len(ents) - 1)
		}
		var tree func(lo, hi int) uint32
		tree = func(lo, hi int) uint32 {
			if lo >= hi {
				return noStream
			}
			mid := (lo + hi) / 2
			e := ents[ids[mid]]
			e.left = tree(lo, mid)
			e.right = tree(mid+1, hi)
			return ids[mid]
		}
		parent.child = tree(0, len(kids))
		for _, id := range ids {
			if ents[id].typ == 1 {
				add(ents[id])
			}
		}
	}
	add(ents[0])

	var regular []byte
	var mini []byte
	var fatChains [][2]int // start sector, count (in regular area)
	var miniFAT []uint32
	out := &cfbFile{start: map[string]uint32{}}
	for _, e := range ents[1:] {
		if e.typ != 2 {
			continue
		}
		e.size = uint64(len(e.node.data))
		switch {
		case len(e.node.data) == 0:
			e.start = secEnd
		case len(e.node.data) < miniLimit:
			first := uint32(len(mini) / miniSize)
			n := (len(e.node.data) + miniSize - 1) / miniSize
			for i := 0; i < n; i++ {
				if i == n-1 {
					miniFAT = append(miniFAT, secEnd)
				} else {
					miniFAT = append(miniFAT, first+uint32(i)+1)
				}
			}
			buf := make([]byte, n*miniSize)
			copy(buf, e.node.data)
			mini = append(mini, buf...)
			e.start = first
		default:
			first := len(regular) / ss
			n := (len(e.node.data) + ss - 1) / ss
			buf := make([]byte, n*ss)
			copy(buf, e.node.data)
			regular = append(regular, buf...)
			fatChains = append(fatChains, [2]int{first, n})
			e.start = uint32(first)
		}
		out.start[e.node.name] = e.start
	}
	nReg := len(regular) / ss
	nMini := (len(mini) + ss - 1) / ss
	nMiniFAT := (len(miniFAT)*4 + ss - 1) / ss
	nDir := (len(ents)*128 + ss - 1) / ss
	base := nReg + nMini + nMiniFAT + nDir
	nFAT := 1
	for (base+nFAT+127)/128 > nFAT {
		nFAT++
	}
	if nFAT > 109 {
		panic("test CFB too large")
	}
	total := base + nFAT
	fat := make([]uint32, nFAT*128)
	for i := range fat {
		fat[i] = secFree
	}
	chain := func(first, n int) {
		for i := 0; i < n; i++ {
			if i == n-1 {
				fat[first+i] = secEnd
			} else {
				fat[first+i] = uint32(first + i + 1)
			}
		}
	}
	for _, c := range fatChains {
		chain(c[0], c[1])
	}
	miniStart := nReg
	if nMini > 0 {
		chain(miniStart, nMini)
		ents[0].start = uint32(miniStart)
		ents[0].size = uint64(len(mini))
	} else {
		ents[0].start = secEnd
	}
	miniFATStart := nReg + nMini
	if nMiniFAT > 0 {
		chain(miniFATStart, nMiniFAT)
	}
	dirStart := nReg + nMini + nMiniFAT
	chain(dirStart, nDir)
	for i := 0; i < nFAT; i++ {
		fat[base+i] = secFAT
		out.fatSecs = append(out.fatSecs, uint32(base+i))
	}
	out.dirStart = uint32(dirStart)

	data := make([]byte, ss*(total+1))
	h := data[:ss]
	copy(h, cfbSignature)
	binary.LittleEndian.PutUint16(h[24:], 0x3E)
	binary.LittleEndian.PutUint16(h[26:], 3)
	binary.LittleEndian.PutUint16(h[28:], 0xFFFE)
	binary.LittleEndian.PutUint16(h[30:], 9)
	binary.LittleEndian.PutUint16(h[32:], 6)
	binary.LittleEndian.PutUint32(h[44:], uint32(nFAT))
	binary.LittleEndian.PutUint32(h[48:], uint32(dirStart))
	binary.LittleEndian.PutUint32(h[56:], miniLimit)
	if nMiniFAT > 0 {
		binary.LittleEndian.PutUint32(h[60:], uint32(miniFATStart))
	} else {
		binary.LittleEndian.PutUint32(h[60:], secEnd)
	}
	binary.LittleEndian.PutUint32(h[64:], uint32(nMiniFAT))
	binary.LittleEndian.PutUint32(h[68:], secEnd)
	for i := 0; i < 109; i++ {
		v := uint32(secFree)
		if i < nFAT {
			v = uint32(base + i)
		}
		binary.LittleEndian.PutUint32(h[76+4*i:], v)
	}
	sec := func(i int) []byte { return data[(i+1)*ss : (i+2)*ss] }
	copy(data[ss:], regular)
	copy(data[(miniStart+1)*ss:], mini)
	for i, v := range miniFAT {
		binary.LittleEndian.PutUint32(data[(miniFATStart+1)*ss+4*i:], v)
	}
	for i := nMiniFAT * ss / 4; i > len(miniFAT); i-- {
		binary.LittleEndian.PutUint32(data[(miniFATStart+1)*ss+4*(i-1):], secFree)
	}
	dir := data[(dirStart+1)*ss : (dirStart+1+nDir)*ss]
	for i := range nDir * ss / 128 {
		e := dir[i*128 : (i+1)*128]
		binary.LittleEndian.PutUint32(e[68:], noStream)
		binary.LittleEndian.PutUint32(e[72:], noStream)
		binary.LittleEndian.PutUint32(e[76:], noStream)
	}
	for i, d := range ents {
		e := dir[i*128 : (i+1)*128]
		u := utf16.Encode([]rune(d.node.name))
		for j, c := range u {
			binary.LittleEndian.PutUint16(e[2*j:], c)
		}
		binary.LittleEndian.PutUint16(e[64:], uint16(2*len(u)+2))
		e[66] = d.typ
		e[67] = 1
		binary.LittleEndian.PutUint32(e[68:], d.left)
		binary.LittleEndian.PutUint32(e[72:], d.right)
		binary.LittleEndian.PutUint32(e[76:], d.child)
		binary.LittleEndian.PutUint32(e[116:], d.start)
		binary.LittleEndian.PutUint64(e[120:], d.size)
	}
	for i := 0; i < nFAT; i++ {
		s := sec(base + i)
		for j := 0; j < 128; j++ {
			binary.LittleEndian.PutUint32(s[4*j:], fat[i*128+j])
		}
	}
	out.data = data
	return out
}

// ---- .msg ----

type mprop struct {
	id, typ uint16
	data    []byte // variable size: stream content
	fixed   uint64 // fixed size value
}

func pUni(id uint16, s string) mprop {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return mprop{id: id, typ: ptUnicode, data: append(b, 0, 0)}
}

func pStr8(id uint16, b []byte) mprop {
	return mprop{id: id, typ: ptString8, data: append(append([]byte(nil), b...), 0)}
}

func pBin(id uint16, b []byte) mprop { return mprop{id: id, typ: ptBinary, data: b} }

func pI32(id uint16, v int32) mprop { return mprop{id: id, typ: ptInt32, fixed: uint64(uint32(v))} }

func pBool(id uint16, v bool) mprop {
	var x uint64
	if v {
		x = 1
	}
	return mprop{id: id, typ: ptBoolean, fixed: x}
}

func pTime(id uint16, t time.Time) mprop {
	ft := uint64(t.Unix()+11644473600)*10000000 + uint64(t.Nanosecond()/100)
	return mprop{id: id, typ: ptSysTime, fixed: ft}
}

type msgSpec struct {
	props   []mprop
	recips  [][]mprop
	attachs []attSpec
}

type attSpec struct {
	props    []mprop
	embedded *msgSpec // method 5
}

func isFixed(typ uint16) bool {
	switch typ {
	case ptInt32, ptBoolean, ptSysTime, 0x0002, 0x0004, 0x0005, 0x0006, 0x0007, 0x000A, 0x0014:
		return true
	}
	return false
}

// propNodes returns the streams of a property set with a properties
// stream whose header has headerSize bytes.
func propNodes(props []mprop, header []byte) []*cfbNode {
	var nodes []*cfbNode
	ps := append([]byte(nil), header...)
	for _, p := range props {
		var e [16]byte
		binary.LittleEndian.PutUint32(e[0:], uint32(p.id)<<16|uint32(p.typ))
		binary.LittleEndian.PutUint32(e[4:], 6)
		if isFixed(p.typ) {
			binary.LittleEndian.PutUint64(e[8:], p.fixed)
		} else {
			binary.LittleEndian.PutUint32(e[8:], uint32(len(p.data)))
			nodes = append(nodes, cfbStream(fmt.Sprintf("__substg1.0_%04X%04X", p.id, p.typ), p.data))
		}
		ps = append(ps, e[:]...)
	}
	return append(nodes, cfbStream("__properties_version1.0", ps))
}

func (s *msgSpec) nodes(embedded bool) []*cfbNode {
	hdr := make([]byte, 32)
	if embedded {
		hdr = make([]byte, 24)
	}
	binary.LittleEndian.PutUint32(hdr[8:], uint32(len(s.recips)))
	binary.LittleEndian.PutUint32(hdr[12:], uint32(len(s.attachs)))
	binary.LittleEndian.PutUint32(hdr[16:], uint32(len(s.recips)))
	binary.LittleEndian.PutUint32(hdr[20:], uint32(len(s.attachs)))
	nodes := propNodes(s.props, hdr)
	if !embedded {
		nodes = append(nodes, cfbStorage("__nameid_version1.0",
			cfbStream("__substg1.0_00020102", nil), cfbStream("__substg1.0_00030102", nil), cfbStream("__substg1.0_00040102", nil)))
	}
	for i, r := range s.recips {
		nodes = append(nodes, cfbStorage(fmt.Sprintf("__recip_version1.0_#%08X", i), propNodes(r, make([]byte, 8))...))
	}
	for i, a := range s.attachs {
		kids := propNodes(a.props, make([]byte, 8))
		if a.embedded != nil {
			kids = append(kids, cfbStorage("__substg1.0_3701000D", a.embedded.nodes(true)...))
		}
		nodes = append(nodes, cfbStorage(fmt.Sprintf("__attach_version1.0_#%08X", i), kids...))
	}
	return nodes
}

func (s *msgSpec) build() []byte { return writeCFB(s.nodes(false)...).data }

// compressRTFForTest compresses per MS-OXRTFCP with a simple greedy match
// search (matches never overlap the bytes being written).
func compressRTFForTest(raw []byte) []byte {
	var dict [4096]byte
	copy(dict[:], rtfPrebuf)
	wpos := len(rtfPrebuf)
	filled := len(rtfPrebuf)
	var out []byte
	i := 0
	done := false
	for !done {
		ctrlAt := len(out)
		out = append(out, 0)
		var ctrl byte
		for bit := 0; bit < 8; bit++ {
			if i >= len(raw) {
				ctrl |= 1 << bit
				out = append(out, byte(wpos>>4), byte(wpos<<4))
				done = true
				break
			}
			bestLen, bestOff := 0, 0
			for off := 0; off < filled; off++ {
				n := 0
				for n < 17 && i+n < len(raw) {
					p := (off + n) & 0xFFF
					// do not read what this match writes
					if d := (p - wpos + 4096) & 0xFFF; d < 17 {
						break
					}
					if dict[p] != raw[i+n] {
						break
					}
					n++
				}
				if n > bestLen {
					bestLen, bestOff = n, off
				}
			}
			if bestLen >= 2 {
				ctrl |= 1 << bit
				v := bestOff<<4 | (bestLen - 2)
				out = append(out, byte(v>>8), byte(v))
				for k := 0; k < bestLen; k++ {
					dict[wpos] = raw[i+k]
					wpos = (wpos + 1) & 0xFFF
					filled = min(filled+1, 4096)
				}
				i += bestLen
			} else {
				out = append(out, raw[i])
				dict[wpos] = raw[i]
				wpos = (wpos + 1) & 0xFFF
				filled = min(filled+1, 4096)
				i++
			}
		}
		out[ctrlAt] = ctrl
	}
	hdr := make([]byte, 16)
	binary.LittleEndian.PutUint32(hdr[0:], uint32(len(out)+12))
	binary.LittleEndian.PutUint32(hdr[4:], uint32(len(raw)))
	binary.LittleEndian.PutUint32(hdr[8:], rtfCompressed)
	return append(hdr, out...)
}
