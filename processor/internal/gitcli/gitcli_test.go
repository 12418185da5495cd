package gitcli

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// A real repository: what git diff --cached -z, ls-files and the batch reader say about
// paths with spaces, å/ä/ö, a rename and a deletion.
func TestStagedChangesAgainstRealGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=A", "GIT_AUTHOR_EMAIL=a@example.se", "GIT_COMMITTER_NAME=A", "GIT_COMMITTER_EMAIL=a@example.se", "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write := func(p, s string) {
		t.Helper()
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run("init", "-q", "-b", "main", ".")
	write("cases/2026-0001/request.md", "ett\n")
	write("cases/2026-0001/gammal fil.txt", "en fil som byter namn, lång nog för att git ska känna igen den\n")
	write("cases/2026-0001/bort.txt", "tas bort\n")
	run("add", ".")
	run("commit", "-q", "-m", "första")
	g := Git{Dir: dir}
	head, ok, err := g.Resolve("HEAD")
	if err != nil || !ok {
		t.Fatalf("Resolve(HEAD) = %q, %v, %v", head, ok, err)
	}
	if _, ok, err := g.Resolve("MERGE_HEAD"); ok || err != nil {
		t.Fatalf("Resolve(MERGE_HEAD) = %v, %v; want not found, no error", ok, err)
	}
	write("cases/2026-0001/request.md", "två\n")
	run("mv", "cases/2026-0001/gammal fil.txt", "cases/2026-0001/ny fil med å ä ö.txt")
	run("rm", "-q", "cases/2026-0001/bort.txt")
	write("cases/2026-0002/request.md", "nytt\n")
	run("add", ".")
	changes, err := g.StagedChanges(head)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Change{}
	for _, c := range changes {
		got[c.Path] = c
	}
	want := map[string]byte{
		"cases/2026-0001/request.md":           'M',
		"cases/2026-0001/ny fil med å ä ö.txt": 'R',
		"cases/2026-0001/bort.txt":             'D',
		"cases/2026-0002/request.md":           'A',
	}
	if len(got) != len(want) {
		t.Errorf("got %d changes, want %d: %+v", len(got), len(want), changes)
	}
	for p, st := range want {
		if got[p].Status != st {
			t.Errorf("%s: status %q, want %q", p, got[p].Status, st)
		}
	}
	if r := got["cases/2026-0001/ny fil med å ä ö.txt"]; r.OldPath != "cases/2026-0001/gammal fil.txt" {
		t.Errorf("rename from %q", r.OldPath)
	}

	b, err := g.CatFile()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	data, ok, err := b.Get(got["cases/2026-0001/request.md"].NewOID)
	if err != nil || !ok || string(data) != "två\n" {
		t.Errorf("staged blob = %q, %v, %v", data, ok, err)
	}
	if _, ok, err := b.Get("HEAD:finns/inte"); ok || err != nil {
		t.Errorf("missing object: ok %v, err %v", ok, err)
	}
	files, err := b.Files(head, "cases/2026-0001", "cases/2026-0009")
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, f.Path)
	}
	slices.Sort(paths)
	wantPaths := []string{"cases/2026-0001/bort.txt", "cases/2026-0001/gammal fil.txt", "cases/2026-0001/request.md"}
	if !slices.Equal(paths, wantPaths) {
		t.Errorf("Files(HEAD) = %q, want %q", paths, wantPaths)
	}
	index, err := g.IndexFiles("cases")
	if err != nil {
		t.Fatal(err)
	}
	if len(index) != 3 {
		t.Errorf("IndexFiles = %+v, want 3 files", index)
	}
}

func TestParseRawRejectsDamage(t *testing.T) {
	for _, in := range []string{
		"M\x00path\x00",                           // no colon
		":100644 100644 a b\x00path\x00",          // too few fields
		":100644 100644 a b M\x00",                // path missing
		":100644 100644 a b R100\x00only-one\x00", // rename with one path
	} {
		if _, err := ParseRaw([]byte(in)); err == nil {
			t.Errorf("ParseRaw(%q): no error", in)
		}
	}
}

func TestParseIdent(t *testing.T) {
	id, err := ParseIdent("Julia Jurist <julia.jurist@region.example> 1737000000 +0100\n")
	if err != nil || id.Name != "Julia Jurist" || id.Email != "julia.jurist@region.example" || id.When.Unix() != 1737000000 {
		t.Errorf("ParseIdent = %+v, %v", id, err)
	}
	if _, err := ParseIdent("utan adress"); err == nil {
		t.Error("an identity without <address> was accepted")
	}
}

// FuzzParseRaw: whatever git (or a damaged pipe) gives, the reader returns changes or an
// error and never panics; what it returns reads back the same when written again.
func FuzzParseRaw(f *testing.F) {
	f.Add([]byte(":100644 100644 aaaa bbbb M\x00cases/2026-0001/request.md\x00"))
	f.Add([]byte(":100644 100644 aaaa bbbb R087\x00gammal fil.txt\x00ny fil å.txt\x00:000000 100644 0000 cccc A\x00x\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := ParseRaw(data)
		if err != nil {
			return
		}
		var again []byte
		for _, c := range cs {
			again = append(again, ":"+c.OldMode+" "+c.NewMode+" "+c.OldOID+" "+c.NewOID+" "+string([]byte{c.Status})...)
			again = append(again, 0)
			if c.Status == 'R' || c.Status == 'C' {
				again = append(again, c.OldPath...)
				again = append(again, 0)
			}
			again = append(again, c.Path...)
			again = append(again, 0)
		}
		cs2, err := ParseRaw(again)
		if err != nil || len(cs2) != len(cs) {
			t.Fatalf("re-read: %v, %d vs %d changes", err, len(cs2), len(cs))
		}
		for i := range cs {
			if cs[i].Path != cs2[i].Path || cs[i].OldPath != cs2[i].OldPath || cs[i].Status != cs2[i].Status {
				t.Fatalf("change %d differs: %+v vs %+v", i, cs[i], cs2[i])
			}
		}
	})
}
