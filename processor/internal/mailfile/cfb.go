package mailfile

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"
)

// The compound file (CFB, MS-CFB) is checked here before mscfb reads it,
// because mscfb trusts the file: a stream's sector chain is followed as
// long as its declared size says, so a cyclic chain or a huge declared
// size would make it read (or allocate) without end. The check walks every
// chain the reader will follow — DIFAT, FAT, directory, mini FAT, mini
// stream, and each reachable stream — once, with a visited bit per sector,
// so each sector belongs to at most one chain and a chain must be exactly
// as long as its size needs. After that, reading all streams through mscfb
// costs at most the file's size.

const (
	secFree   = 0xFFFFFFFF
	secEnd    = 0xFFFFFFFE
	secFAT    = 0xFFFFFFFD
	secDIFAT  = 0xFFFFFFFC
	noStream  = 0xFFFFFFFF
	miniSize  = 64
	miniLimit = 4096
)

type cfbEntry struct {
	name               string
	typ                byte
	left, right, child uint32
	start              uint32
	size               uint64
}

type cfbError struct{ msg string }

func (e *cfbError) Error() string { return e.msg }

func cfbErr(format string, a ...any) error { return &cfbError{fmt.Sprintf(format, a...)} }

// checkCFB validates the structure of a compound file. It returns the
// directory entries (for isMSG) when valid.
func checkCFB(data []byte, maxEntries int) ([]cfbEntry, error) {
	if len(data) < 512 {
		return nil, cfbErr("filen är för kort för en sammansatt fil (%d byte)", len(data))
	}
	if !bytes.Equal(data[:8], cfbSignature) {
		return nil, cfbErr("fel signatur")
	}
	major := binary.LittleEndian.Uint16(data[26:])
	shift := binary.LittleEndian.Uint16(data[30:])
	if (major != 3 && major != 4) || (shift != 9 && shift != 12) {
		return nil, cfbErr("okänd version %d eller sektorstorlek 2^%d", major, shift)
	}
	ss := 1 << shift
	nsec := uint32((len(data) - ss + ss - 1) / ss) // sectors after the header
	if len(data) <= ss {
		nsec = 0
	}
	numDir := binary.LittleEndian.Uint32(data[40:])
	numFAT := binary.LittleEndian.Uint32(data[44:])
	dirStart := binary.LittleEndian.Uint32(data[48:])
	miniFATStart := binary.LittleEndian.Uint32(data[60:])
	numMiniFAT := binary.LittleEndian.Uint32(data[64:])
	difatStart := binary.LittleEndian.Uint32(data[68:])
	numDIFAT := binary.LittleEndian.Uint32(data[72:])
	for _, c := range []struct {
		n    uint32
		what string
	}{{numDir, "katalogsektorer"}, {numFAT, "FAT-sektorer"}, {numMiniFAT, "mini-FAT-sektorer"}, {numDIFAT, "DIFAT-sektorer"}} {
		if c.n > nsec {
			return nil, cfbErr("huvudet anger %d %s men filen har bara %d sektorer", c.n, c.what, nsec)
		}
	}
	if numFAT == 0 {
		return nil, cfbErr("huvudet anger ingen FAT-sektor")
	}
	used := make([]bool, nsec)
	mark := func(s uint32, what string) error {
		if s >= nsec {
			return cfbErr("%s pekar på sektor %d utanför filen (%d sektorer)", what, s, nsec)
		}
		if used[s] {
			return cfbErr("%s använder sektor %d som redan används (cyklisk eller korslänkad kedja)", what, s)
		}
		used[s] = true
		return nil
	}
	sector := func(s uint32) []byte {
		off := (int(s) + 1) * ss
		end := min(off+ss, len(data))
		b := data[off:end]
		if len(b) < ss {
			b = append(append([]byte(nil), b...), make([]byte, ss-len(b))...)
		}
		return b
	}
	// DIFAT
	fatSecs := make([]uint32, 0, numFAT)
	for i := 0; i < 109 && uint32(len(fatSecs)) < numFAT; i++ {
		s := binary.LittleEndian.Uint32(data[76+4*i:])
		if s == secFree {
			continue
		}
		fatSecs = append(fatSecs, s)
	}
	ds := difatStart
	for i := uint32(0); i < numDIFAT && uint32(len(fatSecs)) < numFAT; i++ {
		if err := mark(ds, "DIFAT-kedjan"); err != nil {
			return nil, err
		}
		b := sector(ds)
		for j := 0; j < ss/4-1 && uint32(len(fatSecs)) < numFAT; j++ {
			s := binary.LittleEndian.Uint32(b[4*j:])
			if s == secFree {
				continue
			}
			fatSecs = append(fatSecs, s)
		}
		ds = binary.LittleEndian.Uint32(b[ss-4:])
	}
	if uint32(len(fatSecs)) < numFAT {
		return nil, cfbErr("DIFAT räcker till %d av %d FAT-sektorer", len(fatSecs), numFAT)
	}
	fat := make([]uint32, 0, len(fatSecs)*ss/4)
	for _, s := range fatSecs {
		if err := mark(s, "FAT"); err != nil {
			return nil, err
		}
		b := sector(s)
		for j := 0; j < ss/4; j++ {
			fat = append(fat, binary.LittleEndian.Uint32(b[4*j:]))
		}
	}
	// chain follows a regular chain of exactly n sectors (n<0: until end).
	chain := func(start uint32, n int64, what string) ([]uint32, error) {
		var out []uint32
		s := start
		for {
			if s == secEnd {
				break
			}
			if n >= 0 && int64(len(out)) >= n {
				return nil, cfbErr("%s är längre än dess storlek", what)
			}
			if err := mark(s, what); err != nil {
				return nil, err
			}
			out = append(out, s)
			if int(s) >= len(fat) {
				return nil, cfbErr("%s: sektor %d saknas i FAT", what, s)
			}
			s = fat[s]
		}
		if n >= 0 && int64(len(out)) != n {
			return nil, cfbErr("%s har %d sektorer men dess storlek kräver %d", what, len(out), n)
		}
		return out, nil
	}
	maxDirSecs := int64(maxEntries)*128/int64(ss) + 1
	dirSecs, err := chain(dirStart, -1, "katalogen")
	if err != nil {
		return nil, err
	}
	if int64(len(dirSecs)) > maxDirSecs {
		return nil, cfbErr("katalogen har fler än %d poster", maxEntries)
	}
	var entries []cfbEntry
	for _, s := range dirSecs {
		b := sector(s)
		for k := 0; k+128 <= ss; k += 128 {
			e := b[k : k+128]
			nl := int(binary.LittleEndian.Uint16(e[64:]))
			var name string
			if nl >= 2 && nl <= 64 {
				u := make([]uint16, 0, nl/2-1)
				for i := 0; i < nl/2-1; i++ {
					u = append(u, binary.LittleEndian.Uint16(e[2*i:]))
				}
				name = string(utf16.Decode(u))
			}
			ent := cfbEntry{name: name, typ: e[66], left: binary.LittleEndian.Uint32(e[68:]), right: binary.LittleEndian.Uint32(e[72:]),
				child: binary.LittleEndian.Uint32(e[76:]), start: binary.LittleEndian.Uint32(e[116:]), size: binary.LittleEndian.Uint64(e[120:])}
			if major == 3 {
				ent.size &= 0xFFFFFFFF
			}
			entries = append(entries, ent)
		}
	}
	if len(entries) == 0 || entries[0].typ != 5 {
		return nil, cfbErr("rotposten saknas i katalogen")
	}
	// reachable entries, without cycles
	reach := make([]bool, len(entries))
	stack := []uint32{entries[0].child}
	reach[0] = true
	count := 1
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if id == noStream {
			continue
		}
		if int(id) >= len(entries) {
			return nil, cfbErr("katalogpost pekar på post %d som inte finns", id)
		}
		if reach[id] {
			return nil, cfbErr("katalogens träd är cykliskt (post %d)", id)
		}
		reach[id] = true
		count++
		if count > maxEntries {
			return nil, cfbErr("katalogen har fler än %d poster", maxEntries)
		}
		e := entries[id]
		if e.typ != 1 && e.typ != 2 {
			return nil, cfbErr("katalogpost %d har okänd typ %d", id, e.typ)
		}
		stack = append(stack, e.left, e.right)
		if e.typ == 1 {
			stack = append(stack, e.child)
		}
	}
	// mini FAT and mini stream
	root := entries[0]
	if root.size > uint64(len(data)) {
		return nil, cfbErr("ministreamen anger storleken %d byte, större än filen", root.size)
	}
	var miniFAT []uint32
	var miniSecs []uint32
	if numMiniFAT > 0 && miniFATStart != secEnd {
		mf, err := chain(miniFATStart, int64(numMiniFAT), "mini-FAT")
		if err != nil {
			return nil, err
		}
		for _, s := range mf {
			b := sector(s)
			for j := 0; j < ss/4; j++ {
				miniFAT = append(miniFAT, binary.LittleEndian.Uint32(b[4*j:]))
			}
		}
	}
	if root.size > 0 {
		need := (int64(root.size) + int64(ss) - 1) / int64(ss)
		miniSecs, err = chain(root.start, need, "ministreamen")
		if err != nil {
			return nil, err
		}
	}
	miniCount := uint32(len(miniSecs) * (ss / miniSize))
	miniUsed := make([]bool, miniCount)
	for id, e := range entries {
		if !reach[id] || e.typ != 2 || e.size == 0 {
			continue
		}
		what := fmt.Sprintf("strömmen %s", Clean(e.name))
		if e.size > uint64(len(data)) {
			return nil, cfbErr("%s anger storleken %d byte, större än hela filen", what, e.size)
		}
		if e.size < miniLimit {
			n := int64((e.size + miniSize - 1) / miniSize)
			s := e.start
			for i := int64(0); ; i++ {
				if s == secEnd {
					if i != n {
						return nil, cfbErr("%s har %d minisektorer men dess storlek kräver %d", what, i, n)
					}
					break
				}
				if i >= n {
					return nil, cfbErr("%s är längre än dess storlek", what)
				}
				if s >= miniCount || int(s) >= len(miniFAT) {
					return nil, cfbErr("%s pekar på minisektor %d utanför ministreamen", what, s)
				}
				if miniUsed[s] {
					return nil, cfbErr("%s använder minisektor %d som redan används (cyklisk eller korslänkad kedja)", what, s)
				}
				miniUsed[s] = true
				s = miniFAT[s]
			}
			continue
		}
		need := (int64(e.size) + int64(ss) - 1) / int64(ss)
		if _, err := chain(e.start, need, what); err != nil {
			return nil, err
		}
	}
	return entries, nil
}

// isMSG reports whether a compound file has stream names of an Outlook
// message (in its directory, UTF-16).
func isMSG(data []byte) bool {
	return bytes.Contains(data, utf16le("__substg1.0_")) || bytes.Contains(data, utf16le("__properties_version1.0"))
}

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// safeCFB opens a checked compound file with mscfb, turning a panic in it
// into an error.
func safeCFB(data []byte) (r *mscfb.Reader, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = cfbErr("mscfb: %v", p)
		}
	}()
	return mscfb.New(bytes.NewReader(data))
}

// readAllCFB reads a stream through mscfb in chunks into w, at most max
// bytes, turning a panic into an error.
func readAllCFB(f *mscfb.File, w io.Writer, limit int64) (n int64, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = cfbErr("mscfb: %v", p)
		}
	}()
	if f.Size > limit {
		return 0, cfbErr("strömmen %s är större än tillåtet (%d byte)", Clean(f.Name), f.Size)
	}
	if f.Size > 0 {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return 0, err
		}
	}
	buf := make([]byte, min(int64(chunk), max(f.Size, 1)))
	for n < f.Size {
		k, rerr := f.Read(buf[:min(int64(len(buf)), f.Size-n)])
		if k > 0 {
			if _, werr := w.Write(buf[:k]); werr != nil {
				return n, werr
			}
			n += int64(k)
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return n, rerr
		}
		if k == 0 {
			return n, cfbErr("strömmen %s tog slut efter %d av %d byte", Clean(f.Name), n, f.Size)
		}
	}
	if n != f.Size {
		return n, cfbErr("strömmen %s tog slut efter %d av %d byte", Clean(f.Name), n, f.Size)
	}
	return n, nil
}
