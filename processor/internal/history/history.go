// Package history reads the git history of case folders: the commits that changed a
// folder, listed as `git log -- folder` lists them, and the files of a folder in a commit.
//
// go-git finds the repository, resolves revisions, parses pack indexes and the
// commit-graph, and reads loose objects. The walk itself does not use go-git's commit and
// tree types or its packfile reader: packed objects are read by this package (packs.go),
// commits come from the commit-graph when there is one, and a tree is scanned in its raw
// bytes for the one entry the path needs. One case's history on 20,000 commits takes about
// as long as git log or less (processor/scripts/bench-audit.sh).
//
// A Repo keeps what it read (commit headers, walks, recent objects) between calls, so it
// is not safe for concurrent use.
package history

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/util"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	commitgraph "github.com/go-git/go-git/v5/plumbing/format/commitgraph/v2"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// Commit is one commit that changed a case folder.
type Commit struct {
	Hash          string
	Parents       []string
	AuthorName    string
	AuthorEmail   string
	AuthorWhen    time.Time
	CommitterWhen time.Time
	Subject       string // first line of the message
	Tree          string // hash of the folder's tree in this commit, "" when the folder is absent
}

// Repo is a git repository opened for reading history. It sees the pack files there were
// when it was opened (and every loose object): open it again after a gc or fetch. Close
// releases the pack files it keeps open.
type Repo struct {
	repo    *git.Repository
	objs    storer.EncodedObjectStorer // go-git's storage, for objects not in a pack
	closer  io.Closer
	packs   *packSet          // nil when the storage is not a .git folder
	graph   commitgraph.Index // nil without a commit-graph
	shallow map[plumbing.Hash]bool
	commits map[plumbing.Hash]*node
	walks   map[walkKey]walkResult
	buf     []byte // scratch buffer for objects read through go-git
}

// node is what the walk needs of a commit.
type node struct {
	tree    plumbing.Hash // root tree
	parents []plumbing.Hash
	when    int64 // committer time, Unix seconds: git's commit date
}

// Cache sizes: our cache of packed objects (mostly delta bases; see baseCache for how
// much of it is used) and go-git's object cache, which only serves loose objects.
const (
	packCacheSize = 96 << 20
	gitCacheSize  = 4 * cache.MiByte
)

// Open opens the repository whose work tree (or .git folder) holds path.
func Open(path string) (*Repo, error) {
	plain, err := git.PlainOpenWithOptions(path, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if err != nil {
		return nil, fmt.Errorf("kan inte öppna git-förrådet för %s: %w", path, err)
	}
	r := &Repo{repo: plain, objs: plain.Storer, commits: map[plumbing.Hash]*node{}, walks: map[walkKey]walkResult{}}
	shallow, err := plain.Storer.Shallow()
	if err != nil {
		return nil, fmt.Errorf("kan inte läsa .git/shallow: %w", err)
	}
	if len(shallow) > 0 {
		r.shallow = map[plumbing.Hash]bool{}
		for _, h := range shallow {
			r.shallow[h] = true
		}
	}
	fsys, ok := plain.Storer.(*filesystem.Storage)
	if !ok {
		return r, nil
	}
	// go-git's storage again, with the pack files kept open between reads and a small
	// cache: it only serves what is not in a pack.
	st := filesystem.NewStorageWithOptions(fsys.Filesystem(), cache.NewObjectLRU(gitCacheSize),
		filesystem.Options{KeepDescriptors: true})
	if r.repo, err = git.Open(st, nil); err != nil {
		return nil, fmt.Errorf("kan inte öppna git-förrådet för %s: %w", path, err)
	}
	r.objs, r.closer = st, st
	if r.packs, err = openPacks(fsys.Filesystem(), packCacheSize); err != nil {
		st.Close()
		return nil, fmt.Errorf("kan inte öppna git-förrådet för %s: %w", path, err)
	}
	// git does not use a commit-graph in a shallow repository.
	if r.shallow == nil {
		r.graph = openGraph(fsys.Filesystem())
	}
	return r, nil
}

// Close releases the files the repository keeps open.
func (r *Repo) Close() error {
	var err error
	if r.packs != nil {
		err = r.packs.close()
	}
	if r.closer != nil {
		if cerr := r.closer.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// Resolve returns the full hash of the commit rev names: "HEAD", a branch, a tag, a short
// or full hash, or anything else go-git's revision parser accepts (e.g. "HEAD~2"). As in
// git, a full hash wins over a branch or tag of that name, and a branch or tag over a
// short hash it looks like. An annotated tag is followed to its commit.
func (r *Repo) Resolve(rev string) (string, error) {
	h, err := r.resolve(rev)
	if err != nil {
		return "", err
	}
	return h.String(), nil
}

func (r *Repo) resolve(rev string) (plumbing.Hash, error) {
	if rev == "" {
		return plumbing.ZeroHash, errors.New("tom revision")
	}
	// go-git's parser reads "HEAD^{tree}" and "HEAD:path" as HEAD: only the peeling to a
	// commit is allowed here.
	name := strings.TrimSuffix(strings.TrimSuffix(rev, "^{commit}"), "^{}")
	if strings.Contains(name, "^{") || strings.Contains(name, ":") {
		return plumbing.ZeroHash, fmt.Errorf("revision %q: bara incheckningar kan anges", rev)
	}
	rev = name
	h, found := parseHash(rev)
	if !found && !strings.ContainsAny(rev, "~^@{}: ") {
		for _, rule := range plumbing.RefRevParseRules {
			ref, err := storer.ResolveReference(r.repo.Storer, plumbing.ReferenceName(fmt.Sprintf(rule, rev)))
			if err == nil {
				h, found = ref.Hash(), true
				break
			}
		}
	}
	if !found {
		p, err := r.repo.ResolveRevision(plumbing.Revision(rev))
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("okänd revision %q: %w", rev, err)
		}
		h = *p
	}
	// Follow annotated tags to the commit.
	for range 10 {
		t, data, err := r.readAny(h)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("revision %q: %w", rev, err)
		}
		switch t {
		case plumbing.CommitObject:
			return h, nil
		case plumbing.TagObject:
			target, ok := headerHash(data, "object ")
			if !ok {
				return plumbing.ZeroHash, fmt.Errorf("revision %q: trasig tagg %s", rev, h)
			}
			h = target
		default:
			return plumbing.ZeroHash, fmt.Errorf("revision %q är ett %s, inte en incheckning", rev, t)
		}
	}
	return plumbing.ZeroHash, fmt.Errorf("revision %q: för många taggar i rad", rev)
}

// parseHash parses a full hex hash.
func parseHash(s string) (plumbing.Hash, bool) {
	var h plumbing.Hash
	if len(s) != 2*len(h) {
		return h, false
	}
	_, err := hex.Decode(h[:], []byte(s))
	return h, err == nil
}

// read returns the content of object h, which must be of type t. The slice is valid until
// the next read and must not be changed.
func (r *Repo) read(h plumbing.Hash, t plumbing.ObjectType) ([]byte, error) {
	typ, data, err := r.readAny(h)
	if err != nil {
		return nil, err
	}
	if typ != t {
		return nil, fmt.Errorf("objektet %s är ett %s, inte ett %s", h, typ, t)
	}
	return data, nil
}

// readAny returns the type and content of object h, as read does.
func (r *Repo) readAny(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	if r.packs != nil {
		typ, data, found, err := r.packs.read(h)
		if err != nil {
			return plumbing.InvalidObject, nil, fmt.Errorf("kan inte läsa objektet %s: %w", h, err)
		}
		if found {
			return typ, data, nil
		}
	}
	obj, err := r.objs.EncodedObject(plumbing.AnyObject, h)
	if err != nil {
		return plumbing.InvalidObject, nil, fmt.Errorf("kan inte läsa objektet %s: %w", h, err)
	}
	size := int(obj.Size())
	if cap(r.buf) < size {
		r.buf = make([]byte, size)
	}
	buf := r.buf[:size]
	rd, err := obj.Reader()
	if err != nil {
		return plumbing.InvalidObject, nil, fmt.Errorf("kan inte läsa objektet %s: %w", h, err)
	}
	_, err = io.ReadFull(rd, buf)
	if cerr := rd.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return plumbing.InvalidObject, nil, fmt.Errorf("kan inte läsa objektet %s: %w", h, err)
	}
	return obj.Type(), buf, nil
}

// node returns the parsed header of commit h, from the commit-graph when it has h.
func (r *Repo) node(h plumbing.Hash) (*node, error) {
	if n, ok := r.commits[h]; ok {
		return n, nil
	}
	if r.graph != nil {
		if i, err := r.graph.GetIndexByHash(h); err == nil {
			if d, err := r.graph.GetCommitDataByIndex(i); err == nil {
				n := &node{tree: d.TreeHash, parents: d.ParentHashes, when: d.When.Unix()}
				r.commits[h] = n
				return n, nil
			}
		}
	}
	data, err := r.read(h, plumbing.CommitObject)
	if err != nil {
		return nil, err
	}
	n, err := parseNode(data)
	if err != nil {
		return nil, fmt.Errorf("trasig incheckning %s: %w", h, err)
	}
	if r.shallow[h] {
		n.parents = nil
	}
	r.commits[h] = n
	return n, nil
}

// openGraph opens the commit-graph under the .git folder fs, read into memory (go-git's
// reader makes several small reads for each commit), or returns nil when there is none or
// it cannot be read: it only makes the walk faster.
func openGraph(fs billy.Filesystem) commitgraph.Index {
	if data, err := util.ReadFile(fs, path.Join("objects", "info", "commit-graph")); err == nil {
		idx, err := commitgraph.OpenFileIndex(memFile{bytes.NewReader(data)})
		if err != nil {
			return nil
		}
		return idx
	}
	dir := path.Join("objects", "info", "commit-graphs")
	data, err := util.ReadFile(fs, path.Join(dir, "commit-graph-chain"))
	if err != nil {
		return nil
	}
	chain, err := commitgraph.OpenChainFile(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	var idx commitgraph.Index
	for _, h := range chain {
		data, err := util.ReadFile(fs, path.Join(dir, "graph-"+h+".graph"))
		if err != nil {
			return nil
		}
		if idx, err = commitgraph.OpenFileIndexWithParent(memFile{bytes.NewReader(data)}, idx); err != nil {
			return nil
		}
	}
	return idx
}

type memFile struct{ *bytes.Reader }

func (memFile) Close() error { return nil }

// parseNode reads the tree, parents and committer time from a raw commit.
func parseNode(data []byte) (*node, error) {
	n := &node{}
	tree, ok := headerHash(data, "tree ")
	if !ok {
		return nil, errors.New("ingen tree-rad")
	}
	n.tree = tree
	rest := data[46:]
	for bytes.HasPrefix(rest, []byte("parent ")) {
		p, ok := headerHash(rest, "parent ")
		if !ok {
			return nil, errors.New("trasig parent-rad")
		}
		n.parents = append(n.parents, p)
		rest = rest[48:]
	}
	for len(rest) > 0 && rest[0] != '\n' {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if v, ok := bytes.CutPrefix(line, []byte("committer ")); ok {
			n.when = signatureTime(v)
			return n, nil
		}
	}
	return nil, errors.New("ingen committer-rad")
}

// headerHash parses a header line "<key><40 hex>\n" at the start of data.
func headerHash(data []byte, key string) (plumbing.Hash, bool) {
	end := len(key) + 40
	if len(data) <= end || !bytes.HasPrefix(data, []byte(key)) || data[end] != '\n' {
		return plumbing.ZeroHash, false
	}
	return parseHash(string(data[len(key):end]))
}

// signatureTime is the time in "Name <email> 1234567890 +0100", read as git reads a
// commit date: the digits after the last ">", 0 when there are none.
func signatureTime(v []byte) int64 {
	gt := bytes.LastIndexByte(v, '>')
	if gt < 0 {
		return 0
	}
	v = bytes.TrimLeft(v[gt+1:], " \t")
	var t int64
	for _, c := range v {
		if c < '0' || c > '9' || t > (1<<62)/10 {
			break
		}
		t = t*10 + int64(c-'0')
	}
	return t
}
