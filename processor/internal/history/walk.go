package history

import (
	"container/heap"
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
	key := walkKey{start, strings.Join(path, "/")}
	res, ok := r.walks[key]
	if !ok {
		if res.hashes, res.entries, err = r.walk(start, path); err != nil {
			return nil, err
		}
		r.walks[key] = res
	}
	hashes, entries := res.hashes, res.entries
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

// walkKey and walkResult remember walks: callers ask for the same folder again (one call
// for each step of a case, say), and a walk reads every commit reachable from its start.
type walkKey struct {
	start  plumbing.Hash
	folder string
}

type walkResult struct {
	hashes  []plumbing.Hash
	entries []entryRef
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
