// Package history reads the git history of case folders: the commits that changed a
// folder, listed as `git log -- folder` lists them, and the files of a folder in a commit.
//
// It reads objects through go-git's object storage but does not use go-git's commit and
// tree types on the hot path: commits and trees are parsed from their raw bytes, and a
// lookup of one folder in a tree stops at the entry it needs. A Repo keeps what it parsed
// (commit headers, folder entries per tree) between calls, so it is not safe for concurrent
// use.
package history

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
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

// Repo is a git repository opened for reading history.
type Repo struct {
	repo    *git.Repository
	objs    storer.EncodedObjectStorer
	closer  io.Closer
	packs   *packSet
	shallow map[plumbing.Hash]bool
	commits map[plumbing.Hash]*node
	buf     []byte // scratch buffer for raw objects
}

// node is what the walk needs of a commit.
type node struct {
	tree    plumbing.Hash // root tree
	parents []plumbing.Hash
	when    int64 // committer time, Unix seconds: git's commit date
}

// Cache sizes: our cache of packed objects (mostly delta bases) and go-git's object cache,
// which only serves loose objects and the few commits read through go-git.
const (
	packCacheSize = 32 << 20
	gitCacheSize  = 4 * cache.MiByte
)

// Open opens the repository whose work tree (or .git folder) holds path.
func Open(path string) (*Repo, error) {
	plain, err := git.PlainOpenWithOptions(path, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if err != nil {
		return nil, fmt.Errorf("kan inte öppna git-förrådet för %s: %w", path, err)
	}
	r := &Repo{repo: plain, objs: plain.Storer, commits: map[plumbing.Hash]*node{}}
	// A storage of our own over the same .git folder: pack files kept open between reads.
	if fsys, ok := plain.Storer.(*filesystem.Storage); ok {
		st := filesystem.NewStorageWithOptions(fsys.Filesystem(), cache.NewObjectLRU(gitCacheSize),
			filesystem.Options{KeepDescriptors: true})
		repo, err := git.Open(st, nil)
		if err != nil {
			return nil, fmt.Errorf("kan inte öppna git-förrådet för %s: %w", path, err)
		}
		r.repo, r.objs, r.closer = repo, st, st
		if r.packs, err = openPacks(fsys.Filesystem(), packCacheSize); err != nil {
			st.Close()
			return nil, fmt.Errorf("kan inte öppna git-förrådet för %s: %w", path, err)
		}
	}
	shallow, err := r.repo.Storer.Shallow()
	if err != nil {
		return nil, fmt.Errorf("kan inte läsa .git/shallow: %w", err)
	}
	if len(shallow) > 0 {
		r.shallow = map[plumbing.Hash]bool{}
		for _, h := range shallow {
			r.shallow[h] = true
		}
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
// git, a branch or tag wins over a short hash it looks like.
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
	var h plumbing.Hash
	found := false
	if !plumbing.IsHash(rev) && !strings.ContainsAny(rev, "~^@{}:") {
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
	// Peel annotated tags down to the commit.
	for range 10 {
		obj, err := r.objs.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("revision %q: kan inte läsa objektet %s: %w", rev, h, err)
		}
		switch obj.Type() {
		case plumbing.CommitObject:
			return h, nil
		case plumbing.TagObject:
			data, err := r.read(h, plumbing.TagObject)
			if err != nil {
				return plumbing.ZeroHash, err
			}
			target, ok := headerHash(data, "object ")
			if !ok {
				return plumbing.ZeroHash, fmt.Errorf("trasig tagg %s", h)
			}
			h = target
		default:
			return plumbing.ZeroHash, fmt.Errorf("revision %q är ett %s, inte en incheckning", rev, obj.Type())
		}
	}
	return plumbing.ZeroHash, fmt.Errorf("revision %q: för många taggar i kedja", rev)
}

// read returns the content of object h, which must be of type t. The slice is valid until
// the next read and must not be changed.
func (r *Repo) read(h plumbing.Hash, t plumbing.ObjectType) ([]byte, error) {
	if r.packs != nil {
		typ, data, found, err := r.packs.read(h)
		if err != nil {
			return nil, fmt.Errorf("kan inte läsa objektet %s: %w", h, err)
		}
		if found {
			if typ != t {
				return nil, fmt.Errorf("objektet %s är ett %s, inte ett %s", h, typ, t)
			}
			return data, nil
		}
	}
	obj, err := r.objs.EncodedObject(plumbing.AnyObject, h)
	if err != nil {
		return nil, fmt.Errorf("kan inte läsa objektet %s: %w", h, err)
	}
	if obj.Type() != t {
		return nil, fmt.Errorf("objektet %s är ett %s, inte ett %s", h, obj.Type(), t)
	}
	size := int(obj.Size())
	if cap(r.buf) < size {
		r.buf = make([]byte, size)
	}
	buf := r.buf[:size]
	rd, err := obj.Reader()
	if err != nil {
		return nil, fmt.Errorf("kan inte läsa objektet %s: %w", h, err)
	}
	_, err = io.ReadFull(rd, buf)
	if cerr := rd.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("kan inte läsa objektet %s: %w", h, err)
	}
	return buf, nil
}

// node returns the parsed header of commit h.
func (r *Repo) node(h plumbing.Hash) (*node, error) {
	if n, ok := r.commits[h]; ok {
		return n, nil
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
			_, when, err := parseSignature(v)
			if err != nil {
				return nil, err
			}
			n.when = when
			return n, nil
		}
	}
	return nil, errors.New("ingen committer-rad")
}

// headerHash parses a header line "<key><40 hex>\n" at the start of data.
func headerHash(data []byte, key string) (plumbing.Hash, bool) {
	var h plumbing.Hash
	end := len(key) + 40
	if len(data) <= end || !bytes.HasPrefix(data, []byte(key)) || data[end] != '\n' {
		return h, false
	}
	_, err := hex.Decode(h[:], data[len(key):end])
	return h, err == nil
}

// parseSignature splits "Name <email> 1234567890 +0100" into the part before the time and
// the time in Unix seconds.
func parseSignature(v []byte) (who []byte, when int64, err error) {
	gt := bytes.LastIndexByte(v, '>')
	if gt < 0 {
		return nil, 0, errors.New("trasig signatur")
	}
	fields := bytes.Fields(v[gt+1:])
	if len(fields) == 0 {
		return v[:gt+1], 0, nil
	}
	var t int64
	for _, c := range fields[0] {
		if c < '0' || c > '9' {
			return nil, 0, errors.New("trasig tid i signatur")
		}
		t = t*10 + int64(c-'0')
	}
	return v[:gt+1], t, nil
}
