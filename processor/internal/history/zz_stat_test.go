package history

import "testing"

func TestZZStat(t *testing.T) {
	r, err := Open("/tmp/br1")
	if err != nil {
		t.Fatal(err)
	}
	cs, err := r.FolderCommits("HEAD", "cases/2026-0005")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d commits, reads %d patches %d bytes %d MB", len(cs), StatReads, StatPatches, StatPatchBytes>>20)
}
