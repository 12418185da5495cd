// Package gitcli reads a repository through the git command line: the staged changes and
// files, a commit's changes and files, blobs through one cat-file --batch process, the
// commits of a range, and the identity of the author of the commit being made.
//
// The git command line, not go-git, because a pre-commit hook must see what git is about to
// commit: during `git commit -a` and `git commit <path>` git hands the hook a temporary index
// in GIT_INDEX_FILE, which the git command honours and go-git does not.
package gitcli

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// EmptyTree is the hash of git's empty tree: what the first commit is compared with.
const EmptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

// Git runs git in Dir (any folder of the work tree).
type Git struct {
	Dir string
}

// env is the environment of every git process: paths are literal (a case folder name is
// never a glob), no prompts, and no optional locks (a hook runs while git holds the index).
func env() []string {
	return append(os.Environ(), "GIT_LITERAL_PATHSPECS=1", "GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0")
}

func (g Git) command(args ...string) *exec.Cmd {
	cmd := exec.Command("git", args...)
	cmd.Dir = g.Dir
	cmd.Env = env()
	return cmd
}

// Output runs git with args and returns its standard output. The error includes git's
// own message.
func (g Git) Output(args ...string) ([]byte, error) {
	cmd := g.command(args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return out, fmt.Errorf("git %s: %s", args[0], strings.TrimSpace(stderr.String()))
		}
		return out, fmt.Errorf("git kan inte köras (är git installerat?): %w", err)
	}
	return out, nil
}

// TopLevel returns the work tree's root folder.
func (g Git) TopLevel() (string, error) {
	out, err := g.Output("rev-parse", "--show-toplevel")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// Resolve returns the commit rev names, or ok false when there is none (as HEAD before the
// first commit).
func (g Git) Resolve(rev string) (hash string, ok bool, err error) {
	out, err := g.Output("rev-parse", "-q", "--verify", "--end-of-options", rev+"^{commit}")
	if err != nil {
		if len(out) == 0 {
			return "", false, nil // -q: a name that resolves to nothing fails silently
		}
		return "", false, err
	}
	return strings.TrimSpace(string(out)), true, nil
}

// Change is one changed path, as git diff --raw reports it.
type Change struct {
	Status  byte   // A added, M modified, D deleted, R renamed, C copied, T type changed
	OldMode string // "000000" when added
	NewMode string // "000000" when deleted
	OldOID  string
	NewOID  string
	Path    string // the path after the change (of a deletion: the deleted path)
	OldPath string // renames and copies: the path before
}

// StagedChanges lists what the index changes relative to base (a commit, or EmptyTree).
func (g Git) StagedChanges(base string) ([]Change, error) {
	out, err := g.Output("diff", "--cached", "--raw", "-z", "-M", "--no-abbrev", "--no-ext-diff", base, "--")
	if err != nil {
		return nil, err
	}
	return ParseRaw(out)
}

// CommitChanges lists what commit changes relative to parent (a commit, or EmptyTree).
func (g Git) CommitChanges(parent, commit string) ([]Change, error) {
	out, err := g.Output("diff-tree", "-r", "-z", "-M", "--raw", "--no-abbrev", "--no-commit-id", parent, commit, "--")
	if err != nil {
		return nil, err
	}
	return ParseRaw(out)
}

// ParseRaw reads the output of git diff --raw -z: for each change ":oldmode newmode oldoid
// newoid status" NUL path NUL, with a second path for renames and copies.
func ParseRaw(data []byte) ([]Change, error) {
	var out []Change
	for len(data) > 0 {
		head, rest, ok := bytes.Cut(data, []byte{0})
		if !ok || len(head) == 0 || head[0] != ':' {
			return out, fmt.Errorf("oväntad rad från git diff --raw: %q", clip(head))
		}
		f := strings.Fields(string(head[1:]))
		if len(f) != 5 || len(f[4]) == 0 {
			return out, fmt.Errorf("oväntad rad från git diff --raw: %q", clip(head))
		}
		c := Change{OldMode: f[0], NewMode: f[1], OldOID: f[2], NewOID: f[3], Status: f[4][0]}
		if !strings.ContainsRune("ACDMRTUX", rune(c.Status)) {
			return out, fmt.Errorf("okänd ändringstyp %q från git diff --raw", f[4])
		}
		var path []byte
		if path, rest, ok = bytes.Cut(rest, []byte{0}); !ok {
			return out, fmt.Errorf("git diff --raw slutar mitt i en ändring")
		}
		c.Path = string(path)
		if c.Status == 'R' || c.Status == 'C' {
			if path, rest, ok = bytes.Cut(rest, []byte{0}); !ok {
				return out, fmt.Errorf("git diff --raw slutar mitt i en namnändring")
			}
			c.OldPath, c.Path = c.Path, string(path)
		}
		out = append(out, c)
		data = rest
	}
	return out, nil
}

func clip(b []byte) []byte {
	if len(b) > 80 {
		return b[:80]
	}
	return b
}

// Entry is a file in the index or in a commit's tree.
type Entry struct {
	Mode string
	OID  string
	Path string
}

// IndexFiles lists the staged files under paths (files or folders, relative to the root).
func (g Git) IndexFiles(paths ...string) ([]Entry, error) {
	out, err := g.Output(append([]string{"ls-files", "-s", "-z", "--full-name", "--"}, paths...)...)
	if err != nil {
		return nil, err
	}
	return parseEntries(out, func(meta string) (mode, oid string, ok bool) {
		f := strings.Fields(meta) // "mode oid stage"
		if len(f) != 3 {
			return "", "", false
		}
		return f[0], f[1], true
	})
}

func parseEntries(data []byte, meta func(string) (string, string, bool)) ([]Entry, error) {
	var out []Entry
	for len(data) > 0 {
		rec, rest, _ := bytes.Cut(data, []byte{0})
		data = rest
		m, path, ok := bytes.Cut(rec, []byte{'\t'})
		if !ok {
			return out, fmt.Errorf("oväntad rad från git: %q", clip(rec))
		}
		mode, oid, ok := meta(string(m))
		if !ok {
			return out, fmt.Errorf("oväntad rad från git: %q", clip(rec))
		}
		out = append(out, Entry{Mode: mode, OID: oid, Path: string(path)})
	}
	return out, nil
}

// Ident is a git identity.
type Ident struct {
	Name  string
	Email string
	When  time.Time
}

// ParseIdent reads "Name <email> 1700000000 +0100".
func ParseIdent(s string) (Ident, error) {
	s = strings.TrimSpace(s)
	lt, gt := strings.LastIndexByte(s, '<'), strings.LastIndexByte(s, '>')
	if lt < 0 || gt < lt {
		return Ident{}, fmt.Errorf("identiteten %q kan inte läsas", s)
	}
	id := Ident{Name: strings.TrimSpace(s[:lt]), Email: strings.TrimSpace(s[lt+1 : gt])}
	if f := strings.Fields(s[gt+1:]); len(f) >= 1 {
		if sec, err := strconv.ParseInt(f[0], 10, 64); err == nil {
			id.When = time.Unix(sec, 0)
		}
	}
	return id, nil
}

// AuthorIdent returns the author of the commit being made, as git will record it
// (GIT_AUTHOR_* in the environment, else the configuration).
func (g Git) AuthorIdent() (Ident, error) {
	out, err := g.Output("var", "GIT_AUTHOR_IDENT")
	if err != nil {
		return Ident{}, err
	}
	return ParseIdent(string(out))
}

// Commit is one commit of a range.
type Commit struct {
	Hash      string
	Parents   []string
	Author    Ident
	Committer Ident
	Subject   string
}

// Commits lists the commits reachable from head and not from since ("" for all), parents
// before children.
func (g Git) Commits(since, head string) ([]Commit, error) {
	rng := head
	if since != "" {
		rng = since + ".." + head
	}
	out, err := g.Output("log", "-z", "--reverse", "--topo-order", "--format=%H%x1f%P%x1f%an%x1f%ae%x1f%at%x1f%cn%x1f%ce%x1f%ct%x1f%s", rng, "--")
	if err != nil {
		return nil, err
	}
	var cs []Commit
	for _, rec := range bytes.Split(out, []byte{0}) {
		if len(bytes.TrimSpace(rec)) == 0 {
			continue
		}
		f := strings.Split(string(bytes.TrimLeft(rec, "\n")), "\x1f")
		if len(f) != 9 {
			return nil, fmt.Errorf("oväntad rad från git log: %q", clip(rec))
		}
		at, _ := strconv.ParseInt(f[4], 10, 64)
		ct, _ := strconv.ParseInt(f[7], 10, 64)
		cs = append(cs, Commit{Hash: f[0], Parents: strings.Fields(f[1]),
			Author:    Ident{Name: f[2], Email: f[3], When: time.Unix(at, 0)},
			Committer: Ident{Name: f[5], Email: f[6], When: time.Unix(ct, 0)}, Subject: f[8]})
	}
	return cs, nil
}

// Batch reads objects through one git cat-file --batch process.
type Batch struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Reader
	last ObjectInfo // of the last object read
}

// CatFile starts a cat-file --batch process. Close it when done.
func (g Git) CatFile() (*Batch, error) {
	cmd := g.command("cat-file", "--batch")
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("git kan inte köras (är git installerat?): %w", err)
	}
	return &Batch{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 64<<10)}, nil
}

// Get returns the content of the object spec names: a hash, or "rev:path". ok is false when
// there is no such object.
func (b *Batch) Get(spec string) (data []byte, ok bool, err error) {
	data, _, ok, err = b.GetLimited(spec, math.MaxInt-1)
	return data, ok, err
}

// GetLimited is Get for an object that may be too large to hold: one larger than max bytes
// is read past (never held) and returned as size with data nil.
func (b *Batch) GetLimited(spec string, max int) (data []byte, size int, ok bool, err error) {
	if strings.ContainsAny(spec, "\n") {
		return nil, 0, false, fmt.Errorf("ogiltigt objektnamn %q", spec)
	}
	if _, err := io.WriteString(b.in, spec+"\n"); err != nil {
		return nil, 0, false, fmt.Errorf("git cat-file: %w", err)
	}
	line, err := b.out.ReadString('\n')
	if err != nil {
		return nil, 0, false, fmt.Errorf("git cat-file: %w", err)
	}
	line = strings.TrimSuffix(line, "\n")
	if strings.HasSuffix(line, " missing") || strings.HasSuffix(line, " ambiguous") {
		return nil, 0, false, nil
	}
	f := strings.Fields(line) // "<oid> <type> <size>"
	if len(f) != 3 {
		return nil, 0, false, fmt.Errorf("oväntat svar från git cat-file: %q", line)
	}
	size, err = strconv.Atoi(f[2])
	if err != nil || size < 0 {
		return nil, 0, false, fmt.Errorf("oväntat svar från git cat-file: %q", line)
	}
	b.last = ObjectInfo{OID: f[0], Type: f[1]}
	if size > max {
		if _, err := io.CopyN(io.Discard, b.out, int64(size)+1); err != nil {
			return nil, 0, false, fmt.Errorf("git cat-file: %w", err)
		}
		return nil, size, true, nil
	}
	data = make([]byte, size+1) // the content and a newline
	if _, err := io.ReadFull(b.out, data); err != nil {
		return nil, 0, false, fmt.Errorf("git cat-file: %w", err)
	}
	return data[:size], size, true, nil
}

// Close ends the process.
func (b *Batch) Close() error {
	b.in.Close()
	return b.cmd.Wait()
}

// Files lists the files under each of paths (files or folders, slash-separated, relative to
// the root) in treeish (a commit or tree), reading the trees through the batch process: no
// git process is started for it. A path that is not there lists nothing.
func (b *Batch) Files(treeish string, paths ...string) ([]Entry, error) {
	var out []Entry
	var walk func(oid, prefix string) error
	walk = func(oid, prefix string) error {
		data, ok, err := b.Get(oid)
		if err != nil || !ok {
			return err
		}
		entries, err := ParseTree(data)
		if err != nil {
			return fmt.Errorf("%s: %w", prefix, err)
		}
		for _, e := range entries {
			p := prefix + "/" + e.Path
			if e.Mode == "40000" {
				if err := walk(e.OID, p); err != nil {
					return err
				}
				continue
			}
			out = append(out, Entry{Mode: e.Mode, OID: e.OID, Path: p})
		}
		return nil
	}
	for _, p := range paths {
		info, ok, err := b.Info(treeish + ":" + p)
		if err != nil {
			return nil, err
		}
		switch {
		case !ok:
		case info.Type == "tree":
			if err := walk(info.OID, p); err != nil {
				return nil, err
			}
		case info.Type == "blob":
			out = append(out, Entry{Mode: "100644", OID: info.OID, Path: p})
		}
	}
	return out, nil
}

// ObjectInfo is an object's id and type.
type ObjectInfo struct {
	OID  string
	Type string
}

// Info returns the id and type of the object spec names (read whole: the batch process
// gives both); ok is false when there is none.
func (b *Batch) Info(spec string) (ObjectInfo, bool, error) {
	_, ok, err := b.Get(spec)
	if err != nil || !ok {
		return ObjectInfo{}, ok, err
	}
	return b.last, true, nil
}

// ParseTree reads a raw tree object: entries of "mode name" NUL and a 20-byte id.
func ParseTree(data []byte) ([]Entry, error) {
	var out []Entry
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		nul := bytes.IndexByte(data, 0)
		if sp < 0 || nul < sp || len(data) < nul+21 {
			return out, fmt.Errorf("trädobjektet kan inte läsas")
		}
		out = append(out, Entry{Mode: string(data[:sp]), Path: string(data[sp+1 : nul]), OID: hex.EncodeToString(data[nul+1 : nul+21])})
		data = data[nul+21:]
	}
	return out, nil
}

// Place is where git is working: the work tree's root, the git folder, HEAD and, during a
// merge, MERGE_HEAD.
type Place struct {
	Top       string
	GitDir    string
	Head      string // "" before the first commit
	MergeHead string // "" unless a merge is being committed
}

// Locate asks one git process for the work tree, the git folder and HEAD, and reads
// MERGE_HEAD from the git folder.
func (g Git) Locate() (Place, error) {
	out, err := g.Output("rev-parse", "--show-toplevel", "--absolute-git-dir", "--verify", "-q", "HEAD")
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 2 {
		if err == nil {
			err = fmt.Errorf("git rev-parse svarade %q", out)
		}
		return Place{}, err
	}
	p := Place{Top: lines[0], GitDir: lines[1]}
	if len(lines) >= 3 {
		p.Head = lines[2]
	}
	if data, err := os.ReadFile(p.GitDir + "/MERGE_HEAD"); err == nil {
		if f := strings.Fields(string(data)); len(f) > 0 {
			p.MergeHead = f[0]
		}
	}
	return p, nil
}
