package history

// Reading trees: one name looked up in a tree's raw bytes, and a path followed down from a
// root tree with the answer remembered for every tree on the way.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// entryRef is a tree entry found by path; mode 0 means there is none.
type entryRef struct {
	hash plumbing.Hash
	mode uint32
}

const (
	modeTree = 0o40000
	modeFile = 0o100644
	modeExec = 0o100755
	modeLink = 0o120000
)

func (e entryRef) isDir() bool { return e.mode == modeTree }

// emptyTree is the hash of the tree with no entries.
var emptyTree = plumbing.NewHash("4b825dc642cb6eb9a060e54bf8d69288fbee4904")

// walker finds one path in trees, remembering the result for each tree on the way.
type walker struct {
	r    *Repo
	path []string
	memo []map[plumbing.Hash]entryRef // memo[i]: tree at depth i -> entry at the path's end
}

func newWalker(r *Repo, path []string) *walker {
	w := &walker{r: r, path: path, memo: make([]map[plumbing.Hash]entryRef, len(path))}
	for i := range w.memo {
		w.memo[i] = map[plumbing.Hash]entryRef{}
	}
	return w
}

// entry returns the entry at the walker's path in the root tree root.
func (w *walker) entry(root plumbing.Hash) (entryRef, error) {
	return w.from(root, 0)
}

func (w *walker) from(tree plumbing.Hash, depth int) (entryRef, error) {
	if depth == len(w.path) {
		if tree == emptyTree {
			// git compares files, and an empty tree has none: like no folder at all.
			return entryRef{}, nil
		}
		return entryRef{hash: tree, mode: modeTree}, nil
	}
	if e, ok := w.memo[depth][tree]; ok {
		return e, nil
	}
	data, err := w.r.read(tree, plumbing.TreeObject)
	if err != nil {
		return entryRef{}, err
	}
	e, err := findEntry(data, w.path[depth])
	if err != nil {
		return entryRef{}, fmt.Errorf("trädet %s: %w", tree, err)
	}
	switch {
	case depth+1 < len(w.path) && e.isDir():
		if e, err = w.from(e.hash, depth+1); err != nil {
			return entryRef{}, err
		}
	case depth+1 < len(w.path):
		e = entryRef{} // a file where a folder was expected: nothing below it
	case e.isDir() && e.hash == emptyTree:
		e = entryRef{} // see above
	}
	w.memo[depth][tree] = e
	return e, nil
}

// findEntry returns the entry called name in the raw tree data. Entries are sorted by
// name, a folder as if its name ended in "/", so the scan stops after where name would be.
// This scan is the inner loop of the walk (a cases tree has thousands of entries), so it
// looks at as few bytes as it can: the mode only of the entry it returns.
func findEntry(data []byte, name string) (entryRef, error) {
	// Fast path for entries whose name is as long as ours (in a cases tree, all of them):
	// the first eight bytes of the name compared as one big-endian word.
	var head uint64
	var tail []byte
	fast := len(name) >= 8
	if fast {
		head = binary.BigEndian.Uint64([]byte(name[:8]))
		tail = []byte(name[8:])
	}
	pos := 0
	for pos < len(data) {
		// The mode is 5 or 6 octal digits ("40000", "100644").
		sp := pos + 5
		if sp >= len(data) || data[sp] != ' ' {
			sp = pos + bytes.IndexByte(data[pos:min(pos+8, len(data))], ' ')
			if sp < pos+1 {
				return entryRef{}, fmt.Errorf("trasig trädpost vid byte %d", pos)
			}
		}
		if end := sp + 1 + len(name); fast && end+21 <= len(data) && data[end] == 0 {
			w := binary.BigEndian.Uint64(data[sp+1:])
			if !hasZeroByte(w) && noZeroByte(data[sp+9:end]) {
				// The entry's name is exactly as long as ours.
				if w != head {
					if w > head {
						break
					}
					pos = end + 21
					continue
				}
				if c := bytes.Compare(data[sp+9:end], tail); c != 0 {
					if c > 0 {
						break
					}
					pos = end + 21
					continue
				}
				return foundEntry(data, pos, sp, end)
			}
		}
		// Names are short: a plain loop beats IndexByte's call.
		nul := sp + 1
		for nul < len(data) && data[nul] != 0 {
			nul++
		}
		if nul+21 > len(data) {
			return entryRef{}, fmt.Errorf("trasig trädpost vid byte %d", pos)
		}
		entryName := data[sp+1 : nul]
		if len(entryName) == len(name) && string(entryName) == name {
			return foundEntry(data, pos, sp, nul)
		}
		if pastName(entryName, data[pos:sp], name) {
			break
		}
		pos = nul + 21
	}
	return entryRef{}, nil
}

// foundEntry returns the entry at pos whose mode ends at sp and name at nul.
func foundEntry(data []byte, pos, sp, nul int) (entryRef, error) {
	mode, ok := parseMode(data[pos:sp])
	if !ok {
		return entryRef{}, fmt.Errorf("trasigt läge %q vid byte %d", data[pos:sp], pos)
	}
	e := entryRef{mode: mode}
	copy(e.hash[:], data[nul+1:nul+21])
	return e, nil
}

func noZeroByte(b []byte) bool {
	for _, c := range b {
		if c == 0 {
			return false
		}
	}
	return true
}

// hasZeroByte reports whether any of the eight bytes of w is zero.
func hasZeroByte(w uint64) bool {
	return (w-0x0101010101010101)&^w&0x8080808080808080 != 0
}

// pastName reports whether an entry sorts after both places an entry called name could
// have: name as a file and name as a folder (sorted as name + "/").
func pastName(entry, mode []byte, name string) bool {
	n := min(len(entry), len(name))
	i := 0
	for ; i+8 <= n; i += 8 {
		// Eight bytes at a time; big-endian keeps the byte order of the comparison.
		a := binary.BigEndian.Uint64(entry[i:])
		b := uint64(name[i])<<56 | uint64(name[i+1])<<48 | uint64(name[i+2])<<40 | uint64(name[i+3])<<32 |
			uint64(name[i+4])<<24 | uint64(name[i+5])<<16 | uint64(name[i+6])<<8 | uint64(name[i+7])
		if a != b {
			return a > b
		}
	}
	for ; i < n; i++ {
		if entry[i] != name[i] {
			return entry[i] > name[i]
		}
	}
	if len(entry) == len(name) {
		// Same name: a file sorts before name/, a folder is name/ itself.
		return false
	}
	if len(entry) < len(name) {
		// entry is a proper prefix of name: its tail is "/" or nothing.
		tail := byte(0)
		if m, _ := parseMode(mode); m == modeTree {
			tail = '/'
		}
		return tail > name[n]
	}
	// name is a proper prefix of entry: compare entry's next byte with "/".
	return entry[n] > '/'
}

func parseMode(b []byte) (uint32, bool) {
	if len(b) == 0 || len(b) > 7 {
		return 0, false
	}
	var m uint32
	for _, c := range b {
		if c < '0' || c > '7' {
			return 0, false
		}
		m = m<<3 | uint32(c-'0')
	}
	return m, true
}

// splitPath splits a slash path relative to the root into its names; "" and "/" are the root.
func splitPath(p string) ([]string, error) {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil, nil
	}
	names := strings.Split(p, "/")
	for _, n := range names {
		if n == "" || n == "." || n == ".." {
			return nil, fmt.Errorf("ogiltig sökväg %q: använd snedstreck och inga . eller ..", p)
		}
	}
	return names, nil
}
