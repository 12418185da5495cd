package history

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

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
