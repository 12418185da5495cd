package main

// A minimal compound file writer (MS-CFB version 3: 512-byte sectors, no DIFAT
// sectors). Streams shorter than the mini stream cutoff (4096 bytes) MUST be stored
// in the mini stream (64-byte mini sectors, allocated by the mini FAT), as MS-CFB
// 2.6.3 says and as readers (mscfb, Outlook) assume; longer ones get a chain of
// regular sectors in the FAT. The mini stream and the mini FAT are only written when
// some stream needs them (else the header and the root entry say ENDOFCHAIN).
//
// Layout: regular stream sectors, the mini stream's sectors, the mini FAT, the
// directory, the FAT. Every directory node is black and each storage's children
// form a balanced binary search tree in MS-CFB's order (MS-CFB 2.6.4 allows marking
// every node black). Times and state bits are zero: the output depends only on the
// input.

import (
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"unicode/utf16"
)

const (
	sectorSize   = 512
	miniSector   = 64
	miniCutoff   = 4096
	maxRegSect   = 0xFFFFFFFA
	freeSect     = 0xFFFFFFFF
	endOfChain   = 0xFFFFFFFE
	fatSect      = 0xFFFFFFFD
	noStream     = 0xFFFFFFFF
	headerDIFATs = 109
	entrySize    = 128
	idsPerSector = sectorSize / 4
)

var cfbSignature = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// node is a stream (storage false) or a storage with children.
type node struct {
	name    string
	storage bool
	data    []byte
	kids    []*node
}

func stream(name string, data []byte) *node { return &node{name: name, data: data} }

func storage(name string, kids ...*node) *node { return &node{name: name, storage: true, kids: kids} }

// cfbLess is MS-CFB's order of sibling names: shorter first, then by the upper-case
// UTF-16 code units.
func cfbLess(a, b string) bool {
	ua, ub := utf16.Encode([]rune(strings.ToUpper(a))), utf16.Encode([]rune(strings.ToUpper(b)))
	if len(ua) != len(ub) {
		return len(ua) < len(ub)
	}
	for i := range ua {
		if ua[i] != ub[i] {
			return ua[i] < ub[i]
		}
	}
	return false
}

type dirEntry struct {
	n                  *node
	typ                byte // 1 storage, 2 stream, 5 root
	left, right, child uint32
	start              uint32
	size               uint64
}

// writeCFB returns a compound file whose root storage (with the CLSID clsid) holds kids.
func writeCFB(clsid [16]byte, kids ...*node) ([]byte, error) {
	root := &dirEntry{n: &node{name: "Root Entry", storage: true, kids: kids}, typ: 5, left: noStream, right: noStream, child: noStream}
	ents := []*dirEntry{root}
	var add func(parent *dirEntry) error
	add = func(parent *dirEntry) error {
		kids := append([]*node(nil), parent.n.kids...)
		sort.SliceStable(kids, func(i, j int) bool { return cfbLess(kids[i].name, kids[j].name) })
		ids := make([]uint32, len(kids))
		for i, k := range kids {
			if len(utf16.Encode([]rune(k.name))) > 31 || k.name == "" {
				return fmt.Errorf("ogiltigt namn i den sammansatta filen: %q", k.name)
			}
			if i > 0 && !cfbLess(kids[i-1].name, k.name) {
				return fmt.Errorf("namnet %q finns två gånger i samma lagring", k.name)
			}
			typ := byte(2)
			if k.storage {
				typ = 1
			}
			ents = append(ents, &dirEntry{n: k, typ: typ, left: noStream, right: noStream, child: noStream})
			ids[i] = uint32(len(ents) - 1)
		}
		var tree func(lo, hi int) uint32
		tree = func(lo, hi int) uint32 {
			if lo >= hi {
				return noStream
			}
			mid := (lo + hi) / 2
			e := ents[ids[mid]]
			e.left, e.right = tree(lo, mid), tree(mid+1, hi)
			return ids[mid]
		}
		parent.child = tree(0, len(kids))
		for _, id := range ids {
			if ents[id].typ == 1 {
				if err := add(ents[id]); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := add(root); err != nil {
		return nil, err
	}

	// Place the streams: regular sectors (numbered from 0) or mini sectors.
	var regular, mini []byte
	var chains [][2]uint32 // first sector, count
	var miniFAT []uint32
	for _, e := range ents[1:] {
		if e.typ != 2 {
			continue
		}
		d := e.n.data
		e.size = uint64(len(d))
		switch {
		case len(d) == 0:
			e.start = endOfChain
		case len(d) < miniCutoff:
			first := uint32(len(mini) / miniSector)
			n := (len(d) + miniSector - 1) / miniSector
			for i := 1; i < n; i++ {
				miniFAT = append(miniFAT, first+uint32(i))
			}
			miniFAT = append(miniFAT, endOfChain)
			mini = append(mini, pad(d, miniSector)...)
			e.start = first
		default:
			first := uint32(len(regular) / sectorSize)
			regular = append(regular, pad(d, sectorSize)...)
			chains = append(chains, [2]uint32{first, uint32(len(regular)/sectorSize) - first})
			e.start = first
		}
	}
	nReg := uint32(len(regular) / sectorSize)
	miniStream := pad(mini, sectorSize)
	nMini := uint32(len(miniStream) / sectorSize)
	miniFATBytes := make([]byte, 0, len(miniFAT)*4)
	for _, v := range miniFAT {
		miniFATBytes = binary.LittleEndian.AppendUint32(miniFATBytes, v)
	}
	for len(miniFATBytes)%sectorSize != 0 {
		miniFATBytes = binary.LittleEndian.AppendUint32(miniFATBytes, freeSect)
	}
	nMiniFAT := uint32(len(miniFATBytes) / sectorSize)
	nDir := uint32((len(ents)*entrySize + sectorSize - 1) / sectorSize)
	base := nReg + nMini + nMiniFAT + nDir
	nFAT := uint32(1)
	for (base+nFAT+idsPerSector-1)/idsPerSector > nFAT {
		nFAT++
	}
	if nFAT > headerDIFATs || base+nFAT > maxRegSect {
		return nil, fmt.Errorf("den sammansatta filen blir för stor för denna enkla skrivare (%d sektorer)", base+nFAT)
	}

	fat := make([]uint32, nFAT*idsPerSector)
	for i := range fat {
		fat[i] = freeSect
	}
	link := func(first, n uint32) {
		for i := uint32(0); i < n; i++ {
			if i == n-1 {
				fat[first+i] = endOfChain
			} else {
				fat[first+i] = first + i + 1
			}
		}
	}
	for _, c := range chains {
		link(c[0], c[1])
	}
	miniStart, miniFATStart, dirStart := nReg, nReg+nMini, nReg+nMini+nMiniFAT
	root.start, root.size = endOfChain, 0
	if nMini > 0 {
		link(miniStart, nMini)
		// the root's size is the mini stream's: its used mini sectors
		root.start, root.size = miniStart, uint64(len(mini))
	}
	if nMiniFAT > 0 {
		link(miniFATStart, nMiniFAT)
	}
	link(dirStart, nDir)
	for i := uint32(0); i < nFAT; i++ {
		fat[base+i] = fatSect
	}

	// Header.
	out := make([]byte, 0, sectorSize*int(base+nFAT+1))
	h := make([]byte, sectorSize)
	copy(h, cfbSignature)
	binary.LittleEndian.PutUint16(h[24:], 0x003E) // minor version
	binary.LittleEndian.PutUint16(h[26:], 3)      // major version 3
	binary.LittleEndian.PutUint16(h[28:], 0xFFFE) // byte order: little-endian
	binary.LittleEndian.PutUint16(h[30:], 9)      // sector shift: 512
	binary.LittleEndian.PutUint16(h[32:], 6)      // mini sector shift: 64
	binary.LittleEndian.PutUint32(h[40:], 0)      // directory sectors: 0 in version 3
	binary.LittleEndian.PutUint32(h[44:], nFAT)
	binary.LittleEndian.PutUint32(h[48:], dirStart)
	binary.LittleEndian.PutUint32(h[52:], 0) // transaction signature
	binary.LittleEndian.PutUint32(h[56:], miniCutoff)
	if nMiniFAT > 0 {
		binary.LittleEndian.PutUint32(h[60:], miniFATStart)
	} else {
		binary.LittleEndian.PutUint32(h[60:], endOfChain)
	}
	binary.LittleEndian.PutUint32(h[64:], nMiniFAT)
	binary.LittleEndian.PutUint32(h[68:], endOfChain) // no DIFAT sectors
	binary.LittleEndian.PutUint32(h[72:], 0)
	for i := uint32(0); i < headerDIFATs; i++ {
		v := uint32(freeSect)
		if i < nFAT {
			v = base + i
		}
		binary.LittleEndian.PutUint32(h[76+4*i:], v)
	}
	out = append(out, h...)
	out = append(out, regular...)
	out = append(out, miniStream...)
	out = append(out, miniFATBytes...)

	// Directory; unused entries are empty (no name, siblings and child NOSTREAM).
	dir := make([]byte, nDir*sectorSize)
	for i := 0; i < len(dir)/entrySize; i++ {
		e := dir[i*entrySize : (i+1)*entrySize]
		binary.LittleEndian.PutUint32(e[68:], noStream)
		binary.LittleEndian.PutUint32(e[72:], noStream)
		binary.LittleEndian.PutUint32(e[76:], noStream)
		if i >= len(ents) {
			continue
		}
		d := ents[i]
		u := utf16.Encode([]rune(d.n.name))
		for j, c := range u {
			binary.LittleEndian.PutUint16(e[2*j:], c)
		}
		binary.LittleEndian.PutUint16(e[64:], uint16(2*len(u)+2))
		e[66] = d.typ
		e[67] = 1 // black
		binary.LittleEndian.PutUint32(e[68:], d.left)
		binary.LittleEndian.PutUint32(e[72:], d.right)
		binary.LittleEndian.PutUint32(e[76:], d.child)
		if d.typ == 5 {
			copy(e[80:96], clsid[:])
		}
		if d.typ == 2 || d.typ == 5 {
			binary.LittleEndian.PutUint32(e[116:], d.start)
			binary.LittleEndian.PutUint64(e[120:], d.size)
		}
	}
	out = append(out, dir...)
	for _, v := range fat {
		out = binary.LittleEndian.AppendUint32(out, v)
	}
	return out, nil
}

// pad returns b padded with zero bytes to a multiple of n.
func pad(b []byte, n int) []byte {
	out := append([]byte(nil), b...)
	if r := len(out) % n; r != 0 {
		out = append(out, make([]byte, n-r)...)
	}
	return out
}
