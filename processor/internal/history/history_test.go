package history

// The oracle in every test is git itself: a repository is built with the git CLI (porcelain
// commands, or git fast-import for random histories), and what the package returns is
// compared with `git log --format=%H rev -- folder`, `git ls-tree`, `git cat-file` and
// `git rev-parse` run in the same repository. Each history is checked with loose objects,
// in a pack with offset deltas and a commit-graph, and in a pack with reference deltas and
// no commit-graph; the pack reader is also run with tiny windows and a tiny cache.

import (
	"bufio"
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// gitRepo is a repository in a temporary folder, driven by the git CLI.
type gitRepo struct {
	t   testing.TB
	dir string
	env []string
	// What git says, by rev and folder: the same in every storage.
	logs  map[[2]string][]Commit
	trees map[[2]string]map[string]string
	blobs map[string]string // blob or rev:path -> content, "" with ok false when not a blob
}

func newGitRepo(t testing.TB) *gitRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git finns inte")
	}
	dir := t.TempDir()
	g := &gitRepo{t: t, dir: dir, logs: map[[2]string][]Commit{}, trees: map[[2]string]map[string]string{}, blobs: map[string]string{}}
	g.env = append(os.Environ(),
		"GIT_CONFIG_GLOBAL="+filepath.Join(dir, ".no-global-config"), "GIT_CONFIG_NOSYSTEM=1",
		"HOME="+dir, "LC_ALL=C", "TZ=UTC",
		"GIT_AUTHOR_NAME=Rita Registrator", "GIT_AUTHOR_EMAIL=rita.registrator@region.example",
		"GIT_COMMITTER_NAME=Rita Registrator", "GIT_COMMITTER_EMAIL=rita.registrator@region.example",
	)
	g.run(nil, "-c", "init.defaultBranch=main", "init", "-q")
	g.run(nil, "config", "gc.auto", "0")
	g.run(nil, "config", "core.autocrlf", "false")
	return g
}

// run runs git with extra environment and returns its standard output; it fails the test
// when git fails.
func (g *gitRepo) run(env []string, args ...string) string {
	g.t.Helper()
	out, err := g.try(env, nil, args...)
	if err != nil {
		g.t.Fatal(err)
	}
	return out
}

func (g *gitRepo) try(env []string, stdin []byte, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = g.dir
	cmd.Env = append(slices.Clone(g.env), env...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String(), nil
}

// at is the environment that dates a commit at Unix time when, in zone +0100, by who.
func at(when int64, who ...string) []string {
	d := fmt.Sprintf("%d +0100", when)
	env := []string{"GIT_AUTHOR_DATE=" + d, "GIT_COMMITTER_DATE=" + d}
	if len(who) == 2 {
		env = append(env, "GIT_AUTHOR_NAME="+who[0], "GIT_AUTHOR_EMAIL="+who[1])
	}
	return env
}

// write sets files in the work tree: path -> content, "" deletes (a folder path deletes the
// folder). Deletions come first.
func (g *gitRepo) write(files map[string]string) {
	g.t.Helper()
	for _, p := range slices.Sorted(maps.Keys(files)) {
		if files[p] == "" {
			if err := os.RemoveAll(filepath.Join(g.dir, filepath.FromSlash(p))); err != nil {
				g.t.Fatal(err)
			}
		}
	}
	for _, p := range slices.Sorted(maps.Keys(files)) {
		if files[p] == "" {
			continue
		}
		full := filepath.Join(g.dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			g.t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(files[p]), 0o644); err != nil {
			g.t.Fatal(err)
		}
	}
}

// commit writes files, stages everything and commits at when; it returns the new hash.
func (g *gitRepo) commit(when int64, msg string, files map[string]string) string {
	g.t.Helper()
	g.write(files)
	g.run(nil, "add", "-A")
	g.run(at(when), "commit", "-q", "--allow-empty", "-m", msg)
	return g.head()
}

func (g *gitRepo) head() string {
	g.t.Helper()
	return strings.TrimSpace(g.run(nil, "rev-parse", "HEAD"))
}

// packed repacks everything into one pack with offset deltas and writes a commit-graph.
func (g *gitRepo) packed() {
	g.t.Helper()
	g.run(nil, "repack", "-a", "-d", "-f", "-q", "--window=50", "--depth=50")
	g.run(nil, "prune-packed")
	g.run(nil, "commit-graph", "write", "--reachable")
}

// refPacked repacks everything with reference deltas (no offset deltas) and removes the
// commit-graph.
func (g *gitRepo) refPacked() {
	g.t.Helper()
	g.run(nil, "-c", "repack.useDeltaBaseOffset=false", "repack", "-a", "-d", "-f", "-q", "--window=50", "--depth=50")
	g.run(nil, "prune-packed")
	for _, p := range []string{"objects/info/commit-graph", "objects/info/commit-graphs"} {
		if err := os.RemoveAll(filepath.Join(g.dir, ".git", filepath.FromSlash(p))); err != nil {
			g.t.Fatal(err)
		}
	}
}

// storages opens the repository as each reader sees it after prepare: default, and (when
// it has packs) with windows of 64 bytes and a cache of 2 kB, so that objects straddle
// windows, are read past them and are evicted and their buffers reused.
func (g *gitRepo) storages(t *testing.T) map[string]*Repo {
	t.Helper()
	out := map[string]*Repo{}
	for _, small := range []bool{false, true} {
		r, err := Open(g.dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		if !small {
			out["standard"] = r
			continue
		}
		if r.packs == nil || len(r.packs.packs) == 0 {
			continue
		}
		r.packs.winSize = 64
		r.packs.cache = newBaseCache(2048)
		r.packs.cache.min = 0
		out["små fönster"] = r
	}
	return out
}

// gitLog is what git log lists for folder ("" is the whole tree).
func (g *gitRepo) gitLog(rev, folder string) []string {
	g.t.Helper()
	spec := folder
	if spec == "" {
		spec = "."
	}
	return strings.Fields(g.run(nil, "log", "--format=%H", rev, "--", spec))
}

// gitCommits is what git log lists for folder, with the details of each commit.
func (g *gitRepo) gitCommits(t *testing.T, rev, folder string) []Commit {
	t.Helper()
	key := [2]string{rev, folder}
	if cs, ok := g.logs[key]; ok {
		return cs
	}
	spec := folder
	if spec == "" {
		spec = "."
	}
	out := g.run(nil, "log", "--format=%H%x00%P%x00%an%x00%ae%x00%at%x00%ai%x00%ct%x00%ci%x00%B%x01", rev, "--", spec)
	var cs []Commit
	var query strings.Builder
	for _, rec := range strings.Split(out, "\x01") {
		f := strings.SplitN(strings.TrimLeft(rec, "\n"), "\x00", 9)
		if len(f) != 9 {
			continue
		}
		subject, _, _ := strings.Cut(f[8], "\n")
		cs = append(cs, Commit{
			Hash: f[0], Parents: strings.Fields(f[1]), AuthorName: f[2], AuthorEmail: f[3],
			AuthorWhen: gitTime(t, f[4], f[5]), CommitterWhen: gitTime(t, f[6], f[7]), Subject: subject,
		})
		fmt.Fprintf(&query, "%s:%s\n", f[0], folder)
	}
	// The folder's tree in each commit: cat-file prints "<hash> tree <size>" or "... missing".
	if len(cs) > 0 {
		out, err := g.try(nil, []byte(query.String()), "cat-file", "--batch-check")
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != len(cs) {
			t.Fatalf("git cat-file --batch-check: %d lines for %d commits", len(lines), len(cs))
		}
		for i, l := range lines {
			if f := strings.Fields(l); len(f) == 3 && f[1] == "tree" {
				cs[i].Tree = f[0]
			}
		}
	}
	g.logs[key] = cs
	return cs
}

// checkFolders compares FolderCommits with git log for every rev and folder, in every
// storage, commit by commit and detail by detail.
func (g *gitRepo) checkFolders(t *testing.T, revs, folders []string) {
	t.Helper()
	for name, r := range g.storages(t) {
		for _, rev := range revs {
			for _, folder := range folders {
				want := g.gitCommits(t, rev, folder)
				got, err := r.FolderCommits(rev, folder)
				if err != nil {
					t.Fatalf("%s: FolderCommits(%s, %q): %v", name, rev, folder, err)
				}
				if !slices.Equal(hashes(got), hashes(want)) {
					t.Errorf("%s: FolderCommits(%s, %q):\n got %s\nwant %s", name, rev, folder, g.describe(hashes(got)), g.describe(hashes(want)))
					continue
				}
				for i := range got {
					if !sameCommit(got[i], want[i]) {
						t.Errorf("%s: FolderCommits(%s, %q), commit %d:\n got %+v\nwant %+v", name, rev, folder, i, got[i], want[i])
					}
				}
			}
		}
	}
}

func hashes(cs []Commit) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Hash)
	}
	return out
}

// describe lists commits by subject, for failure messages.
func (g *gitRepo) describe(hashes []string) string {
	var b strings.Builder
	for _, h := range hashes {
		s := strings.TrimSpace(g.run(nil, "log", "-1", "--format=%s", h))
		fmt.Fprintf(&b, "%s(%s) ", h[:7], s)
	}
	return "[" + strings.TrimSpace(b.String()) + "]"
}

func sameCommit(a, b Commit) bool {
	return a.Hash == b.Hash && slices.Equal(a.Parents, b.Parents) && a.AuthorName == b.AuthorName &&
		a.AuthorEmail == b.AuthorEmail && a.AuthorWhen.Equal(b.AuthorWhen) &&
		a.AuthorWhen.Format("-0700") == b.AuthorWhen.Format("-0700") &&
		a.CommitterWhen.Equal(b.CommitterWhen) && a.CommitterWhen.Format("-0700") == b.CommitterWhen.Format("-0700") &&
		a.Subject == b.Subject && a.Tree == b.Tree
}

// gitTime is a time from git's %at (Unix seconds) and %ai (ISO, for the zone).
func gitTime(t *testing.T, unix, iso string) time.Time {
	sec, err := strconv.ParseInt(unix, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	zone, err := time.Parse("2006-01-02 15:04:05 -0700", iso)
	if err != nil {
		t.Fatal(err)
	}
	return time.Unix(sec, 0).In(zone.Location())
}

// gitFiles is what git ls-tree lists under folder: path -> blob. A path that is a file is
// not a folder and has no files under it.
func (g *gitRepo) gitFiles(t *testing.T, rev, folder string) map[string]string {
	t.Helper()
	key := [2]string{rev, folder}
	if files, ok := g.trees[key]; ok {
		return files
	}
	args := []string{"ls-tree", "-r", "-z", "--full-tree", rev}
	if folder != "" {
		args = append(args, "--", folder)
	}
	files := map[string]string{}
	for _, e := range strings.Split(g.run(nil, args...), "\x00") {
		meta, p, ok := strings.Cut(e, "\t")
		if f := strings.Fields(meta); ok && len(f) == 3 && f[1] == "blob" {
			files[p] = f[2]
		}
	}
	if _, isFile := files[folder]; isFile {
		files = map[string]string{}
	}
	g.trees[key] = files
	return files
}

// checkFiles compares Files and File with git ls-tree and git cat-file for every rev and
// folder, and asks File for paths that are not files.
func (g *gitRepo) checkFiles(t *testing.T, revs, folders []string) {
	t.Helper()
	for name, r := range g.storages(t) {
		for _, rev := range revs {
			for _, folder := range folders {
				want := g.gitFiles(t, rev, folder)
				got, err := r.Files(rev, folder)
				if err != nil {
					t.Fatalf("%s: Files(%s, %q): %v", name, rev, folder, err)
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s: Files(%s, %q):\n got %v\nwant %v", name, rev, folder, got, want)
				}
				for p, blob := range want {
					data, ok, err := r.File(rev, p)
					if err != nil || !ok {
						t.Fatalf("%s: File(%s, %q): %v, %v", name, rev, p, ok, err)
					}
					if wantData, _ := g.blob(blob); string(data) != wantData {
						t.Errorf("%s: File(%s, %q) = %q, want %q", name, rev, p, data, wantData)
					}
				}
				// A folder, and a name that is not there, are not files.
				for _, p := range []string{folder, path.Join(folder, "finns-inte.md")} {
					if _, isFile := g.blob(rev + ":" + p); p == "" || isFile {
						continue
					}
					if data, ok, err := r.File(rev, p); ok || err != nil {
						t.Errorf("%s: File(%s, %q) = %q, %v, %v; want not found", name, rev, p, data, ok, err)
					}
				}
			}
		}
	}
}

// blob returns the content of the blob obj names (a hash or rev:path); ok is false when
// it is not a blob.
func (g *gitRepo) blob(obj string) (content string, ok bool) {
	if c, ok := g.blobs[obj]; ok {
		return c, c != "\x00"
	}
	c := "\x00"
	if out, err := g.try(nil, nil, "cat-file", "-t", obj); err == nil && strings.TrimSpace(out) == "blob" {
		c = g.run(nil, "cat-file", "blob", obj)
	}
	g.blobs[obj] = c
	return c, c != "\x00"
}

// checkAllStorages runs check on the repository as it is (loose objects, unless it was
// made by fast-import), then packed with offset deltas and a commit-graph, then packed with
// reference deltas and no commit-graph. With deltas, it first checks that each pack has
// trees stored as deltas of its kind (small trees are not worth a delta).
func (g *gitRepo) checkAllStorages(t *testing.T, deltas bool, check func(t *testing.T)) {
	t.Run("som byggt", check)
	g.packed()
	t.Run("ofs-delta", func(t *testing.T) {
		if deltas {
			g.requireDeltas(t, packOFSDelta)
		}
		check(t)
	})
	g.refPacked()
	t.Run("ref-delta", func(t *testing.T) {
		if deltas {
			g.requireDeltas(t, packREFDelta)
		}
		check(t)
	})
}

// requireDeltas fails unless the repository's packs hold deltas of kind typ, trees among
// their targets: otherwise the test would not exercise the delta code.
func (g *gitRepo) requireDeltas(t *testing.T, typ int) {
	t.Helper()
	r, err := Open(g.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	n := 0
	for _, p := range r.packs.packs {
		if _, err := p.next(0); err == nil {
			t.Fatal("no object starts at 0: the offsets are wrong")
		}
		for _, off := range p.offsets {
			h, err := r.packs.header(p, off)
			if err != nil {
				t.Fatal(err)
			}
			if h.typ == typ {
				if typ, _, err := r.packs.objectAt(p, off, 0); err != nil {
					t.Fatal(err)
				} else if typ == packTree {
					n++
				}
			}
		}
	}
	if n == 0 {
		t.Fatalf("the packs hold no tree stored as a delta of type %d", typ)
	}
}

func TestLinear(t *testing.T) {
	g := newGitRepo(t)
	a, b := "cases/2026-0001", "cases/2026-0002"
	tm := int64(1_780_000_000)
	step := func(msg string, files map[string]string) {
		tm += 3600
		g.commit(tm, msg, files)
	}
	step("root with a case", map[string]string{"installningar.yaml": "x: 1\n", a + "/request.md": "steg: mottagen\n"})
	step("a step", map[string]string{a + "/request.md": "steg: kvalitetsgranskad\n"})
	step("second case", map[string]string{b + "/request.md": "steg: mottagen\n"})
	step("settings only", map[string]string{"installningar.yaml": "x: 2\n"})
	step("a: a second file", map[string]string{a + "/e-postlogg.xlsx": "xlsx"})
	step("delete a", map[string]string{a: ""})
	step("empty commit", nil)
	step("recreate a as it was", map[string]string{a + "/request.md": "steg: kvalitetsgranskad\n", a + "/e-postlogg.xlsx": "xlsx"})
	step("a: back and forth 1", map[string]string{a + "/request.md": "steg: x\n"})
	step("a: back and forth 2", map[string]string{a + "/request.md": "steg: kvalitetsgranskad\n"})
	if err := os.Chmod(filepath.Join(g.dir, a, "request.md"), 0o755); err != nil {
		t.Fatal(err)
	}
	step("a: executable", nil)
	step("b becomes a file", map[string]string{b: ""})
	step("b the file", map[string]string{b: "now a file\n"})
	step("b a folder again", map[string]string{b: "", b + "/request.md": "steg: mottagen\n"})

	revs := []string{"HEAD", "main", "HEAD~3", "HEAD~13"}
	folders := []string{a, b, "cases", "", "installningar.yaml", "cases/2026-0003", "templates", a + "/request.md"}
	g.checkAllStorages(t, false, func(t *testing.T) {
		g.checkFolders(t, revs, folders)
		g.checkFiles(t, revs, []string{a, b, "cases", "", "cases/2026-0003"})
	})
}

func TestMerges(t *testing.T) {
	g := newGitRepo(t)
	a, b, c := "cases/2026-0001", "cases/2026-0002", "cases/2026-0003"
	tm := int64(1_780_000_000)
	next := func() int64 { tm += 600; return tm }
	commit := func(msg string, files map[string]string) { g.commit(next(), msg, files) }
	branch := func(name string) { g.run(nil, "checkout", "-q", "-b", name) }
	checkout := func(name string) { g.run(nil, "checkout", "-q", name) }
	merge := func(args ...string) {
		g.run(at(next(), "Reza Registrator", "reza.registrator@region.example"), append([]string{"merge", "-q", "--no-edit"}, args...)...)
	}
	// mergeResolved merges with a conflict (or any merge stopped with --no-commit) and
	// commits files as the resolution.
	mergeResolved := func(msg string, files map[string]string, args ...string) {
		g.try(at(next()), nil, append([]string{"merge", "-q", "--no-ff", "--no-commit"}, args...)...)
		g.write(files)
		g.run(nil, "add", "-A")
		g.run(at(next()), "commit", "-q", "-m", msg)
	}

	commit("root", map[string]string{a + "/request.md": "a0\n", b + "/request.md": "b0\n", c + "/request.md": "c0\n"})

	// A reviewer's approval on a side branch while main goes on: the merge takes a from the
	// side (TREESAME to the second parent) and b from main (TREESAME to the first).
	branch("granskning")
	commit("a: godkänd (side)", map[string]string{a + "/request.md": "a1 godkänd\n"})
	checkout("main")
	commit("b: step (main)", map[string]string{b + "/request.md": "b1\n"})
	merge("--no-ff", "granskning")

	// Both sides change a; the conflict is resolved with a third version: the merge is
	// listed and both sides are followed.
	branch("konflikt")
	commit("a: side version", map[string]string{a + "/request.md": "a2 side\n"})
	checkout("main")
	commit("a: main version", map[string]string{a + "/request.md": "a2 main\n"})
	mergeResolved("merge konflikt, resolved", map[string]string{a + "/request.md": "a2 resolved\n"}, "konflikt")

	// The side branch's change to a is thrown away (-s ours): TREESAME to the first parent,
	// the side branch is pruned and its commit never listed.
	branch("kastad")
	commit("a: discarded change", map[string]string{a + "/request.md": "a3 discarded\n"})
	commit("c: discarded too", map[string]string{c + "/request.md": "c3 discarded\n"})
	checkout("main")
	commit("b: step before ours", map[string]string{b + "/request.md": "b3\n"})
	merge("-s", "ours", "kastad")

	// The side changes a and c; the merge keeps c from the side but a from main.
	branch("delvis")
	commit("a and c on side", map[string]string{a + "/request.md": "a4 side\n", c + "/request.md": "c4 side\n"})
	checkout("main")
	commit("b on main", map[string]string{b + "/request.md": "b4\n"})
	mergeResolved("merge delvis, a from main", map[string]string{a + "/request.md": "a2 resolved\n"}, "delvis")

	// Both sides make the same change to a: TREESAME to both, only the first parent is
	// followed, and the side's commit is not listed.
	branch("samma")
	commit("a: same change (side)", map[string]string{a + "/request.md": "a5 same\n"})
	checkout("main")
	commit("a: same change (main)", map[string]string{a + "/request.md": "a5 same\n"})
	merge("--no-ff", "samma")

	// An octopus merge of two branches, each with one change.
	branch("o1")
	commit("b on o1", map[string]string{b + "/request.md": "b6\n"})
	checkout("main")
	branch("o2")
	commit("c on o2", map[string]string{c + "/request.md": "c6\n"})
	checkout("main")
	commit("a before octopus", map[string]string{a + "/request.md": "a6\n"})
	merge("--no-ff", "o1", "o2")

	// Criss-cross: two branches merge each other, then main merges both.
	branch("x1")
	commit("a on x1", map[string]string{a + "/request.md": "a7 x1\n"})
	checkout("main")
	branch("x2")
	commit("b on x2", map[string]string{b + "/request.md": "b7 x2\n"})
	merge("--no-ff", "x1")
	checkout("x1")
	merge("--no-ff", "x2~1")
	commit("c on x1", map[string]string{c + "/request.md": "c7 x1\n"})
	checkout("main")
	merge("--no-ff", "x1")
	merge("--no-ff", "x2")

	// A fast-forward merge and an unrelated history merged in (a second root).
	branch("ff")
	commit("a on ff", map[string]string{a + "/request.md": "a8 ff\n"})
	checkout("main")
	merge("--ff-only", "ff")
	g.run(nil, "checkout", "-q", "--orphan", "annan")
	g.run(nil, "rm", "-rfq", ".")
	commit("other root", map[string]string{"cases/2026-0009/request.md": "other\n", a + "/request.md": "a other root\n"})
	checkout("main")
	mergeResolved("merge unrelated", map[string]string{a + "/request.md": "a9 merged\n", "cases/2026-0009/request.md": "other\n"}, "--allow-unrelated-histories", "annan")

	revs := []string{"HEAD", "granskning", "konflikt", "kastad", "delvis", "x1", "x2", "HEAD^2", "annan"}
	folders := []string{a, b, c, "cases/2026-0009", "cases", ""}
	g.checkAllStorages(t, false, func(t *testing.T) {
		g.checkFolders(t, revs, folders)
		g.checkFiles(t, []string{"HEAD", "kastad"}, []string{"", a})
	})
}

func TestNames(t *testing.T) {
	g := newGitRepo(t)
	// Names that sort around each other: "-" and "." before "/", a file and folders with
	// a common prefix, spaces and å ä ö (and a decomposed ö).
	names := []string{
		"cases/2026-0002", "cases/2026-0002 Åsa Öberg", "cases/2026-0002-b", "cases/2026-00020",
		"cases/2026-0002.d", "cases/ärende ö/sub dir", "cases/a\u0308rende", "cases/2026", "cases/2026-000",
	}
	tm := int64(1_780_000_000)
	for i := range 3 {
		for j, n := range names {
			tm += 60
			files := map[string]string{n + "/request.md": fmt.Sprintf("%s %d\n", n, i)}
			if j%3 == i {
				files[n+"/bilaga med mellanslag.txt"] = fmt.Sprintf("bilaga %d\n", i)
			}
			g.commit(tm, "ändra "+n, files)
		}
		tm += 60
		// A file whose name begins a folder's name: the file sorts before the folder.
		g.commit(tm, "fil med mappens namn", map[string]string{"cases/2026-0002.txt": fmt.Sprint(i), "cases/2026-0002-": fmt.Sprint(i),
			"cases/2026-0003": fmt.Sprint(i), fmt.Sprintf("cases/2026-0003-x/fil%d", i): "x"})
	}
	revs := []string{"HEAD", "HEAD~7", "HEAD~20"}
	folders := append(slices.Clone(names), "cases/2026-0002.txt", "cases/2026-0002-", "cases/2026-0003", "cases/2026-0003-x", "cases/ärende ö", "cases/Ärende ö", "cases/ärende ö/sub", "cases")
	g.checkAllStorages(t, false, func(t *testing.T) {
		g.checkFolders(t, revs, folders)
		g.checkFiles(t, revs[:2], folders)
	})
}

// TestClock: committer dates that go backwards (a child older than its parent) and many
// commits with the same date decide git's order: latest date first, ties in the order the
// commits were queued.
func TestClock(t *testing.T) {
	g := newGitRepo(t)
	a, b := "cases/2026-0001", "cases/2026-0002"
	base := int64(1_780_000_000)
	g.commit(base, "root", map[string]string{a + "/request.md": "0\n", b + "/request.md": "0\n"})
	dates := []int64{base + 100, base - 5000, base + 100, base + 100, base + 50, base - 9000, base + 100, base + 7000, base + 100, base + 100}
	for i, d := range dates {
		br := fmt.Sprintf("gren%d", i)
		g.run(nil, "checkout", "-q", "-b", br, "main")
		g.commit(d, fmt.Sprintf("a on %s", br), map[string]string{a + "/request.md": fmt.Sprintf("a %d\n", i)})
		g.commit(d-7, fmt.Sprintf("b on %s (older than its parent)", br), map[string]string{b + "/request.md": fmt.Sprintf("b %d\n", i)})
		g.run(nil, "checkout", "-q", "main")
		if i%2 == 0 {
			g.commit(d, fmt.Sprintf("a on main %d", i), map[string]string{a + "/request.md": fmt.Sprintf("main %d\n", i)})
		}
		mergeDate := base + 100
		if i%3 == 0 {
			mergeDate = d - 100000
		}
		g.try(at(mergeDate), nil, "merge", "-q", "--no-ff", "--no-commit", br)
		g.write(map[string]string{a + "/request.md": fmt.Sprintf("merged %d\n", i/2)})
		g.run(nil, "add", "-A")
		g.run(at(mergeDate), "commit", "-q", "--allow-empty", "-m", "merge "+br)
	}
	revs := []string{"HEAD", "gren3", "gren7", "HEAD^2"}
	g.checkAllStorages(t, false, func(t *testing.T) {
		g.checkFolders(t, revs, []string{a, b, ""})
	})
}

func TestResolve(t *testing.T) {
	g := newGitRepo(t)
	tm := int64(1_780_000_000)
	first := g.commit(tm, "first", map[string]string{"a.txt": "1\n"})
	g.commit(tm+60, "second", map[string]string{"a.txt": "2\n"})
	g.run(nil, "tag", "lätt")
	g.run(at(tm+120), "tag", "-a", "-m", "annoterad", "v1", "HEAD~1")
	g.run(at(tm+120), "tag", "-a", "-m", "tagg på tagg", "v1b", "v1")
	g.run(nil, "branch", "gren", first)
	// A branch named like a short hash of another commit: git takes the branch.
	g.run(nil, "branch", g.head()[:7], first)
	g.checkAllStorages(t, false, func(t *testing.T) {
		for name, r := range g.storages(t) {
			for _, rev := range []string{"HEAD", "main", "refs/heads/main", "gren", "lätt", "v1", "v1b", "HEAD~1", "HEAD^", "main~1", first, first[:10], g.head()[:7], g.head()} {
				want := strings.TrimSpace(g.run(nil, "rev-parse", "--verify", "-q", rev+"^{commit}"))
				got, err := r.Resolve(rev)
				if err != nil || got != want {
					t.Errorf("%s: Resolve(%q) = %q, %v; want %q", name, rev, got, err, want)
				}
			}
			for _, rev := range []string{"", "finns-inte", "HEAD^{tree}", strings.Repeat("0", 40), "HEAD:a.txt"} {
				if got, err := r.Resolve(rev); err == nil {
					t.Errorf("%s: Resolve(%q) = %q, want an error", name, rev, got)
				}
			}
			if _, err := r.FolderCommits("finns-inte", "cases"); err == nil {
				t.Errorf("%s: FolderCommits with an unknown revision: no error", name)
			}
			for _, bad := range []string{"cases/../x", "cases//x", "./cases"} {
				if _, err := r.FolderCommits("HEAD", bad); err == nil {
					t.Errorf("%s: FolderCommits(%q): no error", name, bad)
				}
			}
		}
	})
}

// TestEmptyRoot: git compares files, so a root commit without files changes no folder, not
// even the whole tree.
func TestEmptyRoot(t *testing.T) {
	g := newGitRepo(t)
	g.commit(1_780_000_000, "empty root", nil)
	g.commit(1_780_000_060, "first file", map[string]string{"cases/2026-0001/request.md": "1\n"})
	g.checkAllStorages(t, false, func(t *testing.T) {
		g.checkFolders(t, []string{"HEAD", "HEAD~1"}, []string{"", "cases", "cases/2026-0001"})
	})
}

func TestOpen(t *testing.T) {
	g := newGitRepo(t)
	g.commit(1_780_000_000, "first", map[string]string{"cases/2026-0001/request.md": "1\n"})
	sub := filepath.Join(g.dir, "cases", "2026-0001")
	r, err := Open(sub)
	if err != nil {
		t.Fatalf("Open from a folder in the work tree: %v", err)
	}
	defer r.Close()
	if got, err := r.FolderCommits("HEAD", "cases/2026-0001"); err != nil || len(got) != 1 {
		t.Errorf("FolderCommits = %v, %v", got, err)
	}
	if _, err := Open(t.TempDir()); err == nil {
		t.Error("Open outside a repository: no error")
	}

	// A linked work tree: its own HEAD, objects and branches in the main .git folder.
	g.packed()
	g.commit(1_780_000_100, "second", map[string]string{"cases/2026-0001/request.md": "2\n"})
	wt := filepath.Join(t.TempDir(), "arbetskopia")
	g.run(nil, "worktree", "add", "-q", "-b", "sidan", wt, "HEAD~1")
	w, err := Open(filepath.Join(wt, "cases"))
	if err != nil {
		t.Fatalf("Open in a linked work tree: %v", err)
	}
	defer w.Close()
	if got, err := w.Resolve("HEAD"); err != nil || got != strings.TrimSpace(g.run(nil, "rev-parse", "HEAD~1")) {
		t.Errorf("Resolve(HEAD) in a linked work tree = %s, %v", got, err)
	}
	if got, err := w.FolderCommits("main", "cases/2026-0001"); err != nil || len(got) != 2 {
		t.Errorf("FolderCommits(main) in a linked work tree: %d commits, %v; want 2", len(got), err)
	}
}

// fiCommit is one commit for fastImport.
type fiCommit struct {
	parents []int // indexes of earlier commits
	// files is the whole tree (path -> content; a "+x " prefix makes the file executable),
	// or, when changes is set, changes are made to the first parent's tree ("" deletes).
	files   map[string]string
	changes map[string]string
	when    int64
	author  string
	msg     string
}

// fastImport writes commits with git fast-import, points main at the last one, and
// returns their hashes.
func (g *gitRepo) fastImport(commits []fiCommit) []string {
	g.t.Helper()
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	blobs := map[string]int{}
	mark := len(commits)
	for i, c := range commits {
		tree := c.files
		if c.changes != nil {
			tree = c.changes
		}
		for _, content := range tree {
			if _, ok := blobs[content]; !ok && content != "" {
				mark++
				blobs[content] = mark
				fmt.Fprintf(w, "blob\nmark :%d\ndata %d\n%s\n", mark, len(content), content)
			}
		}
		if len(c.parents) == 0 && i > 0 {
			// A new root: without the reset, fast-import would continue the branch.
			fmt.Fprintf(w, "reset refs/heads/import\n")
		}
		fmt.Fprintf(w, "commit refs/heads/import\nmark :%d\n", i+1)
		fmt.Fprintf(w, "author %s <%s@region.example> %d +0100\n", c.author, strings.ToLower(strings.Fields(c.author)[0]), c.when)
		fmt.Fprintf(w, "committer Registrator <reg@region.example> %d +0200\n", c.when)
		fmt.Fprintf(w, "data %d\n%s\n", len(c.msg), c.msg)
		for j, p := range c.parents {
			if j == 0 {
				fmt.Fprintf(w, "from :%d\n", p+1)
			} else {
				fmt.Fprintf(w, "merge :%d\n", p+1)
			}
		}
		if c.changes == nil {
			fmt.Fprintf(w, "deleteall\n")
		}
		for _, p := range slices.Sorted(maps.Keys(tree)) {
			content := tree[p]
			if content == "" {
				fmt.Fprintf(w, "D %s\n", quotePath(p))
				continue
			}
			mode := "100644"
			if strings.HasPrefix(content, "+x ") {
				mode = "100755"
			}
			fmt.Fprintf(w, "M %s :%d %s\n", mode, blobs[content], quotePath(p))
		}
		fmt.Fprintln(w)
	}
	w.Flush()
	marks := filepath.Join(g.dir, ".git", "marks")
	if _, err := g.try(nil, b.Bytes(), "fast-import", "--quiet", "--date-format=raw", "--export-marks="+marks); err != nil {
		g.t.Fatal(err)
	}
	data, err := os.ReadFile(marks)
	if err != nil {
		g.t.Fatal(err)
	}
	hashes := make([]string, len(commits))
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		m, h, _ := strings.Cut(line, " ")
		if n, err := strconv.Atoi(strings.TrimPrefix(m, ":")); err == nil && n <= len(commits) {
			hashes[n-1] = h
		}
	}
	g.run(nil, "update-ref", "refs/heads/main", hashes[len(hashes)-1])
	g.run(nil, "update-ref", "-d", "refs/heads/import")
	return hashes
}

// quotePath quotes a path for fast-import when it has a space or a non-ASCII byte.
func quotePath(p string) string {
	if !strings.ContainsAny(p, " \"\\") && !strings.ContainsFunc(p, func(r rune) bool { return r > 127 }) {
		return p
	}
	return strconv.Quote(p)
}

// randomHistory makes n commits over folders: merges of two and three parents (whose trees
// take each folder from a random parent or change it), second roots, dates that go
// backwards and repeat, folders deleted and recreated, files made executable.
func randomHistory(seed uint64, n int, folders []string) []fiCommit {
	rng := rand.New(rand.NewPCG(seed, 42))
	// Many folders that rarely change make the cases tree large enough to be stored as a
	// delta in a pack.
	filler := map[string]string{}
	for i := range 120 {
		filler[fmt.Sprintf("cases/2025-%04d/request.md", i)] = fmt.Sprintf("gammalt ärende %d\n", i)
	}
	people := []string{"Rita Registrator", "Reza Registrator", "Julia Jurist"}
	var commits []fiCommit
	for i := range n {
		c := fiCommit{author: people[rng.IntN(len(people))], msg: fmt.Sprintf("incheckning %d", i)}
		switch {
		case i == 0 || rng.IntN(60) == 0:
			// a root
		case i > 3 && rng.IntN(5) == 0:
			np := 2
			if rng.IntN(8) == 0 {
				np = 3
			}
			for len(c.parents) < np {
				p := i - 1 - rng.IntN(min(i, 12))
				if !slices.Contains(c.parents, p) {
					c.parents = append(c.parents, p)
				}
			}
		default:
			c.parents = []int{i - 1 - rng.IntN(min(i, 4))}
		}
		c.files = map[string]string{}
		if len(c.parents) == 0 {
			for p, v := range filler {
				c.files[p] = v
			}
		} else {
			for p, v := range commits[c.parents[0]].files {
				c.files[p] = v
			}
		}
		// A merge takes each folder from a random parent.
		for _, f := range folders {
			if len(c.parents) < 2 {
				break
			}
			src := commits[c.parents[rng.IntN(len(c.parents))]].files
			for p := range c.files {
				if strings.HasPrefix(p, f+"/") {
					delete(c.files, p)
				}
			}
			for p, v := range src {
				if strings.HasPrefix(p, f+"/") {
					c.files[p] = v
				}
			}
		}
		for range rng.IntN(3) {
			f := folders[rng.IntN(len(folders))]
			switch op := rng.IntN(10); {
			case op == 0:
				for p := range c.files {
					if strings.HasPrefix(p, f+"/") {
						delete(c.files, p)
					}
				}
			case op == 1:
				c.files[f+"/request.md"] = "+x " + c.files[f+"/request.md"]
			default:
				c.files[f+fmt.Sprintf("/fil%d.md", rng.IntN(3))] = fmt.Sprintf("version %d\n", rng.IntN(4))
			}
		}
		c.when = 1_780_000_000 + int64(i)*60
		switch rng.IntN(6) {
		case 0: // older than its parents: a wrong clock
			c.when -= int64(rng.IntN(5000))
		case 1: // the same second as an earlier commit
			if i > 0 {
				c.when = commits[rng.IntN(i)].when
			}
		}
		commits = append(commits, c)
	}
	return commits
}

func TestRandomHistories(t *testing.T) {
	folders := []string{"cases/2026-0001", "cases/2026-0002", "cases/2026-0002 Åsa", "cases/2026-00021", "cases/2026-0002.d", "dok", "a/b/c"}
	seeds := uint64(4)
	if testing.Short() {
		seeds = 1
	}
	for seed := range seeds {
		t.Run(fmt.Sprint("frö", seed), func(t *testing.T) {
			g := newGitRepo(t)
			commits := randomHistory(seed, 160, folders)
			hashes := g.fastImport(commits)
			rng := rand.New(rand.NewPCG(seed, 7))
			revs := []string{"HEAD"}
			for i := range 8 {
				// A branch at each, or repack would drop the commits main does not reach.
				h := hashes[rng.IntN(len(hashes))]
				g.run(nil, "branch", fmt.Sprint("gren", i), h)
				revs = append(revs, h)
			}
			check := append(slices.Clone(folders), "cases", "", "a", "a/b", "cases/2025-0007")
			g.checkAllStorages(t, true, func(t *testing.T) {
				g.checkFolders(t, revs, check)
				g.checkFiles(t, revs[:2], []string{"cases/2026-0002 Åsa", "a"})
			})
		})
	}
}

// benchHistory is a case catalogue: cases that get a step each in turn, many open at once.
func benchHistory(cases, commits int) []fiCommit {
	rng := rand.New(rand.NewPCG(1, 2))
	steps := map[int]int{}
	out := make([]fiCommit, 0, commits)
	for i := range commits {
		id := min(cases, 1+i*cases/commits) - rng.IntN(min(40, 1+i*cases/commits))
		steps[id]++
		p := fmt.Sprintf("cases/2026-%04d/request.md", id)
		c := fiCommit{changes: map[string]string{p: fmt.Sprintf("ärende: 2026-%04d\nsteg: %d\n%s", id, steps[id], strings.Repeat("text om ärendet\n", 20))},
			when: 1_780_000_000 + int64(i)*600, author: "Rita Registrator", msg: p}
		if i == 0 {
			c.changes["installningar.yaml"] = "myndighet: Region Exempel\n"
		} else {
			c.parents = []int{i - 1}
		}
		out = append(out, c)
	}
	return out
}

// BenchmarkFolderCommits times FolderCommits, and git log for the same folder beside it,
// on a packed history of 3,000 commits over 600 cases. For the full-size comparison see
// processor/scripts/bench-audit.sh.
func BenchmarkFolderCommits(b *testing.B) {
	g := newGitRepo(b)
	g.fastImport(benchHistory(600, 3000))
	g.run(nil, "repack", "-a", "-d", "-f", "-q")
	g.run(nil, "commit-graph", "write", "--reachable")
	for _, id := range []string{"2026-0005", "2026-0590"} {
		folder := "cases/" + id
		want := g.gitLog("HEAD", folder)
		b.Run(id+"/history", func(b *testing.B) {
			for b.Loop() {
				r, err := Open(g.dir)
				if err != nil {
					b.Fatal(err)
				}
				got, err := r.FolderCommits("HEAD", folder)
				r.Close()
				if err != nil || len(got) != len(want) {
					b.Fatalf("%d commits, %v; git log lists %d", len(got), err, len(want))
				}
			}
		})
		b.Run(id+"/git-log", func(b *testing.B) {
			for b.Loop() {
				g.gitLog("HEAD", folder)
			}
		})
	}
}
