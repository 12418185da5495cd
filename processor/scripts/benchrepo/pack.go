package main

// Writing git objects straight into a packfile. git fast-import spends most of its time
// formatting and delta-compressing the cases tree (thousands of entries, one new version per
// commit: 23 s for 2,000 cases and 20,000 commits, 49 s for 10,000 cases); here each new
// version of a tree is stored as a delta against the previous one, made from the one edit we
// know, and git repack -f then computes git's own deltas.

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

type oid [20]byte

func (h oid) String() string { return hex.EncodeToString(h[:]) }

// Object types in a pack.
const (
	objCommit   = 1
	objTree     = 2
	objBlob     = 3
	objOFSDelta = 6
)

var typeNames = map[int]string{objCommit: "commit", objTree: "tree", objBlob: "blob"}

// maxDepth is the longest delta chain written, as git's default pack.depth.
const maxDepth = 50

type packed struct {
	id     oid
	offset int64
	crc    uint32
}

// packWriter writes one packfile and its index.
type packWriter struct {
	dir   string // .git/objects/pack
	f     *os.File
	w     *bufio.Writer
	off   int64
	crc   hash.Hash32
	zbuf  bytes.Buffer
	zw    *zlib.Writer
	objs  []packed
	known map[oid]int64 // object -> offset
	depth map[int64]int // offset -> delta depth
	hbuf  []byte
}

func newPackWriter(gitDir string) (*packWriter, error) {
	dir := filepath.Join(gitDir, "objects", "pack")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, "tmp_pack_")
	if err != nil {
		return nil, err
	}
	p := &packWriter{dir: dir, f: f, w: bufio.NewWriterSize(f, 1<<20), crc: crc32.NewIEEE(),
		known: map[oid]int64{}, depth: map[int64]int{}}
	p.zw, _ = zlib.NewWriterLevel(&p.zbuf, zlib.BestSpeed)
	// Header: the object count is filled in by finish.
	_, err = p.w.Write([]byte{'P', 'A', 'C', 'K', 0, 0, 0, 2, 0, 0, 0, 0})
	p.off = 12
	return p, err
}

// objectID is git's name of an object of type typ with content data.
func objectID(typ int, data []byte) oid {
	h := sha1.New()
	h.Write([]byte(typeNames[typ] + " " + strconv.Itoa(len(data)) + "\x00"))
	h.Write(data)
	var id oid
	h.Sum(id[:0])
	return id
}

// put stores data as an object, as the delta against the object at offset base when
// delta is not nil and base's chain is not too long; it returns the object's name and offset.
func (p *packWriter) put(typ int, data []byte, base int64, delta []byte) (oid, int64, error) {
	id := objectID(typ, data)
	if off, ok := p.known[id]; ok {
		return id, off, nil
	}
	off := p.off
	payload, hdrType, depth := data, typ, 0
	if delta != nil && base > 0 && p.depth[base] < maxDepth {
		payload, hdrType, depth = delta, objOFSDelta, p.depth[base]+1
	}
	p.hbuf = p.hbuf[:0]
	size := uint64(len(payload))
	c := byte(hdrType<<4) | byte(size&0x0f)
	size >>= 4
	for size > 0 {
		p.hbuf = append(p.hbuf, c|0x80)
		c = byte(size & 0x7f)
		size >>= 7
	}
	p.hbuf = append(p.hbuf, c)
	if hdrType == objOFSDelta {
		// Offset back to the base, in git's big-endian varint where each continuation adds one.
		d := uint64(off - base)
		var tmp [10]byte
		i := len(tmp) - 1
		tmp[i] = byte(d & 0x7f)
		for d >>= 7; d > 0; d >>= 7 {
			d--
			i--
			tmp[i] = 0x80 | byte(d&0x7f)
		}
		p.hbuf = append(p.hbuf, tmp[i:]...)
	}
	p.zbuf.Reset()
	p.zw.Reset(&p.zbuf)
	if _, err := p.zw.Write(payload); err != nil {
		return id, 0, err
	}
	if err := p.zw.Close(); err != nil {
		return id, 0, err
	}
	p.crc.Reset()
	p.crc.Write(p.hbuf)
	p.crc.Write(p.zbuf.Bytes())
	if _, err := p.w.Write(p.hbuf); err != nil {
		return id, 0, err
	}
	if _, err := p.w.Write(p.zbuf.Bytes()); err != nil {
		return id, 0, err
	}
	p.off += int64(len(p.hbuf) + p.zbuf.Len())
	p.objs = append(p.objs, packed{id: id, offset: off, crc: p.crc.Sum32()})
	p.known[id] = off
	if depth > 0 {
		p.depth[off] = depth
	}
	return id, off, nil
}

// editDelta is a git delta for replacing base[pos:pos+removed] (base has baseLen bytes)
// by inserted.
func editDelta(baseLen, pos, removed int, inserted []byte) []byte {
	d := binary.AppendUvarint(nil, uint64(baseLen))
	d = binary.AppendUvarint(d, uint64(baseLen-removed+len(inserted)))
	d = appendCopy(d, 0, pos)
	for len(inserted) > 0 {
		n := min(len(inserted), 127)
		d = append(d, byte(n))
		d = append(d, inserted[:n]...)
		inserted = inserted[n:]
	}
	return appendCopy(d, pos+removed, baseLen-pos-removed)
}

// appendCopy appends copy instructions for base[off:off+n], at most 64 KiB each.
func appendCopy(d []byte, off, n int) []byte {
	for n > 0 {
		size := min(n, 0x10000)
		op := byte(0x80)
		var args []byte
		for i := range 4 {
			if b := byte(off >> (8 * i)); b != 0 {
				op |= 1 << i
				args = append(args, b)
			}
		}
		if size != 0x10000 { // 0 means 64 KiB
			for i := range 3 {
				if b := byte(size >> (8 * i)); b != 0 {
					op |= 1 << (4 + i)
					args = append(args, b)
				}
			}
		}
		d = append(d, op)
		d = append(d, args...)
		off += size
		n -= size
	}
	return d
}

// finish writes the object count and checksum, then the index (version 2), and names both
// after the checksum as git does.
func (p *packWriter) finish() error {
	if err := p.w.Flush(); err != nil {
		return err
	}
	var count [4]byte
	binary.BigEndian.PutUint32(count[:], uint32(len(p.objs)))
	if _, err := p.f.WriteAt(count[:], 8); err != nil {
		return err
	}
	if _, err := p.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	h := sha1.New()
	if _, err := io.Copy(h, p.f); err != nil {
		return err
	}
	sum := h.Sum(nil)
	if _, err := p.f.Write(sum); err != nil {
		return err
	}
	if err := p.f.Close(); err != nil {
		return err
	}

	slices.SortFunc(p.objs, func(a, b packed) int { return bytes.Compare(a.id[:], b.id[:]) })
	var idx bytes.Buffer
	idx.Write([]byte{0xff, 't', 'O', 'c', 0, 0, 0, 2})
	var fan [256]uint32
	for _, o := range p.objs {
		fan[o.id[0]]++
	}
	var total uint32
	for i := range fan {
		total += fan[i]
		idx.Write(binary.BigEndian.AppendUint32(nil, total))
	}
	for _, o := range p.objs {
		idx.Write(o.id[:])
	}
	for _, o := range p.objs {
		idx.Write(binary.BigEndian.AppendUint32(nil, o.crc))
	}
	var large []uint64
	for _, o := range p.objs {
		if o.offset < 1<<31 {
			idx.Write(binary.BigEndian.AppendUint32(nil, uint32(o.offset)))
		} else {
			idx.Write(binary.BigEndian.AppendUint32(nil, 1<<31|uint32(len(large))))
			large = append(large, uint64(o.offset))
		}
	}
	for _, l := range large {
		idx.Write(binary.BigEndian.AppendUint64(nil, l))
	}
	idx.Write(sum)
	isum := sha1.Sum(idx.Bytes())
	idx.Write(isum[:])

	name := filepath.Join(p.dir, "pack-"+hex.EncodeToString(sum))
	if err := os.WriteFile(name+".idx", idx.Bytes(), 0o444); err != nil {
		return err
	}
	return os.Rename(p.f.Name(), name+".pack")
}

// entry is one tree entry.
type entry struct {
	mode string // "40000" for a tree, "100644" for a file
	name string
	id   oid
}

// treeCompare orders entries as git does: a tree sorts as if its name ended in "/".
func treeCompare(a, b entry) int {
	n := min(len(a.name), len(b.name))
	if c := strings.Compare(a.name[:n], b.name[:n]); c != 0 {
		return c
	}
	return cmp.Compare(nameTail(a, n), nameTail(b, n))
}

func nameTail(e entry, n int) int {
	switch {
	case n < len(e.name):
		return int(e.name[n])
	case e.mode == "40000":
		return '/'
	}
	return 0
}

func appendEntry(b []byte, e entry) []byte {
	b = append(b, e.mode...)
	b = append(b, ' ')
	b = append(b, e.name...)
	b = append(b, 0)
	return append(b, e.id[:]...)
}

func encodeTree(entries []entry) []byte {
	slices.SortFunc(entries, treeCompare)
	var b []byte
	for _, e := range entries {
		b = appendEntry(b, e)
	}
	return b
}

// treeBuf is a tree that changes one entry at a time, with its encoding.
type treeBuf struct {
	entries []entry
	offs    []int // where each entry starts in data
	data    []byte
}

func (t *treeBuf) clone() *treeBuf {
	return &treeBuf{entries: slices.Clone(t.entries), offs: slices.Clone(t.offs), data: slices.Clone(t.data)}
}

// set puts e in its place, replacing the entry of that name. It returns a delta from the
// old encoding to the new one, or nil when nothing changed.
func (t *treeBuf) set(e entry) []byte {
	oldLen := len(t.data)
	i, found := slices.BinarySearchFunc(t.entries, e, treeCompare)
	enc := appendEntry(nil, e)
	pos, removed := oldLen, 0
	if i < len(t.entries) {
		pos = t.offs[i]
	}
	if found {
		old := t.entries[i]
		if old.id == e.id && old.mode == e.mode {
			return nil
		}
		removed = len(old.mode) + len(old.name) + 22
		t.entries[i] = e
	} else {
		t.entries = slices.Insert(t.entries, i, e)
		t.offs = slices.Insert(t.offs, i, pos)
	}
	if len(enc) == removed {
		copy(t.data[pos:], enc)
	} else {
		t.data = slices.Concat(t.data[:pos], enc, t.data[pos+removed:])
		shift := len(enc) - removed
		for j := i + 1; j < len(t.offs); j++ {
			t.offs[j] += shift
		}
	}
	return editDelta(oldLen, pos, removed, enc)
}
