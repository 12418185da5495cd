package history

import (
	"bytes"
	"container/heap"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// FolderCommits lists the commits reachable from rev that changed folder (slash path
// relative to the repository root, e.g. "cases/2026-0001"; "" is the whole tree), newest
// first: exactly the commits `git log --format=%H rev -- folder` lists, in the same order.
//
// This is git's default history simplification: a commit with one parent is listed when
// the folder differs from the parent's, a root commit when the folder exists. A merge whose
// folder equals that of a parent is not listed and only the first such parent is followed;
// any other merge is listed and all its parents are followed. Commits come out in git's
// default order: the walk always takes the pending commit with the latest committer date,
// the one queued first among equal dates. The folder is taken literally: git treats *, ?
// and [ in a pathspec as wildcards.
func (r *Repo) FolderCommits(rev, folder string) ([]Commit, error) {
	start, err := r.resolve(rev)
	if err != nil {
		return nil, err
	}
	path, err := splitPath(folder)
	if err != nil {
		return nil, err
	}
	hashes, entries, err := r.walk(start, path)
	if err != nil {
		return nil, err
	}
	out := make([]Commit, 0, len(hashes))
	for i, h := range hashes {
		c, err := r.commit(h)
		if err != nil {
			return nil, err
		}
		if entries[i].isDir() {
			c.Tree = entries[i].hash.String()
		}
		out = append(out, c)
	}
	return out, nil
}

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
	if depth+1 < len(w.path) {
		if e.isDir() {
			e, err = w.from(e.hash, depth+1)
			if err != nil {
				return entryRef{}, err
			}
		} else {
			e = entryRef{} // a file where a folder was expected: nothing below it
		}
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

// queued is a commit waiting in the walk.
type queued struct {
	hash plumbing.Hash
	n    *node
	seq  int
}

// dateQueue is git's commit queue: latest committer date first, and among equal dates
// the commit queued first (git's prio_queue breaks ties by insertion order).
type dateQueue []queued

func (q dateQueue) Len() int { return len(q) }
func (q dateQueue) Less(i, j int) bool {
	if q[i].n.when != q[j].n.when {
		return q[i].n.when > q[j].n.when
	}
	return q[i].seq < q[j].seq
}
func (q dateQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *dateQueue) Push(x any)   { *q = append(*q, x.(queued)) }
func (q *dateQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// walk returns the commits from start that git log lists for path, with the entry at
// path in each.
func (r *Repo) walk(start plumbing.Hash, path []string) ([]plumbing.Hash, []entryRef, error) {
	w := newWalker(r, path)
	n, err := r.node(start)
	if err != nil {
		return nil, nil, err
	}
	seen := map[plumbing.Hash]bool{start: true}
	q := &dateQueue{{hash: start, n: n}}
	seq := 1
	var hashes []plumbing.Hash
	var entries []entryRef
	for q.Len() > 0 {
		c := heap.Pop(q).(queued)
		ent, err := w.entry(c.n.tree)
		if err != nil {
			return nil, nil, err
		}
		parents := c.n.parents
		show := false
		if len(parents) == 0 {
			show = ent.mode != 0
		} else {
			same := -1
			for i, p := range parents {
				pn, err := r.node(p)
				if err != nil {
					return nil, nil, err
				}
				pe := ent
				if pn.tree != c.n.tree {
					if pe, err = w.entry(pn.tree); err != nil {
						return nil, nil, err
					}
				}
				if pe == ent {
					same = i
					break
				}
			}
			if same >= 0 {
				parents = parents[same : same+1]
			} else {
				show = true
			}
		}
		for _, p := range parents {
			if seen[p] {
				continue
			}
			seen[p] = true
			pn, err := r.node(p)
			if err != nil {
				return nil, nil, err
			}
			heap.Push(q, queued{hash: p, n: pn, seq: seq})
			seq++
		}
		if show {
			hashes = append(hashes, c.hash)
			entries = append(entries, ent)
		}
	}
	return hashes, entries, nil
}

// commit reads the details of commit h.
func (r *Repo) commit(h plumbing.Hash) (Commit, error) {
	data, err := r.read(h, plumbing.CommitObject)
	if err != nil {
		return Commit{}, err
	}
	obj := &plumbing.MemoryObject{}
	obj.SetType(plumbing.CommitObject)
	obj.Write(data)
	c := &object.Commit{}
	if err := c.Decode(obj); err != nil {
		return Commit{}, fmt.Errorf("trasig incheckning %s: %w", h, err)
	}
	out := Commit{
		Hash:          h.String(),
		AuthorName:    c.Author.Name,
		AuthorEmail:   c.Author.Email,
		AuthorWhen:    c.Author.When,
		CommitterWhen: c.Committer.When,
	}
	out.Subject, _, _ = strings.Cut(c.Message, "\n")
	for _, p := range c.ParentHashes {
		out.Parents = append(out.Parents, p.String())
	}
	return out, nil
}

// File returns the content of the file at path (slash, relative to the root) in commit
// (any revision Resolve accepts); ok is false when there is no such file.
func (r *Repo) File(commit, path string) (data []byte, ok bool, err error) {
	h, err := r.resolve(commit)
	if err != nil {
		return nil, false, err
	}
	names, err := splitPath(path)
	if err != nil {
		return nil, false, err
	}
	if len(names) == 0 {
		return nil, false, nil
	}
	n, err := r.node(h)
	if err != nil {
		return nil, false, err
	}
	e, err := newWalker(r, names).entry(n.tree)
	if err != nil {
		return nil, false, err
	}
	if e.mode != modeFile && e.mode != modeExec && e.mode != modeLink {
		return nil, false, nil
	}
	blob, err := r.read(e.hash, plumbing.BlobObject)
	if err != nil {
		return nil, false, err
	}
	return bytes.Clone(blob), true, nil
}

// Files lists the files under folder in commit (any revision Resolve accepts): slash path
// relative to the root -> blob hash. A folder that is not there has no files.
func (r *Repo) Files(commit, folder string) (map[string]string, error) {
	h, err := r.resolve(commit)
	if err != nil {
		return nil, err
	}
	names, err := splitPath(folder)
	if err != nil {
		return nil, err
	}
	n, err := r.node(h)
	if err != nil {
		return nil, err
	}
	e, err := newWalker(r, names).entry(n.tree)
	if err != nil {
		return nil, err
	}
	files := map[string]string{}
	if !e.isDir() {
		return files, nil
	}
	prefix := strings.Join(names, "/")
	if prefix != "" {
		prefix += "/"
	}
	return files, r.listFiles(e.hash, prefix, files)
}

// listFiles adds the files in tree and below to files, their paths prefixed by prefix.
func (r *Repo) listFiles(tree plumbing.Hash, prefix string, files map[string]string) error {
	data, err := r.read(tree, plumbing.TreeObject)
	if err != nil {
		return err
	}
	type sub struct {
		name string
		hash plumbing.Hash
	}
	var subs []sub
	for pos := 0; pos < len(data); {
		nul := bytes.IndexByte(data[pos:], 0)
		sp := bytes.IndexByte(data[pos:], ' ')
		if nul < 0 || sp < 1 || sp > nul || pos+nul+21 > len(data) {
			return fmt.Errorf("trädet %s: trasig trädpost vid byte %d", tree, pos)
		}
		mode, ok := parseMode(data[pos : pos+sp])
		if !ok {
			return fmt.Errorf("trädet %s: trasigt läge vid byte %d", tree, pos)
		}
		name := string(data[pos+sp+1 : pos+nul])
		var h plumbing.Hash
		copy(h[:], data[pos+nul+1:pos+nul+21])
		switch mode {
		case modeTree:
			subs = append(subs, sub{name, h})
		case modeFile, modeExec, modeLink:
			files[prefix+name] = h.String()
		}
		pos += nul + 21
	}
	for _, s := range subs {
		if err := r.listFiles(s.hash, prefix+s.name+"/", files); err != nil {
			return err
		}
	}
	return nil
}
