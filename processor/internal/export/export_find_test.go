package export

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFindRefusesPaths: the raw export's name from the front matter is a name in the
// export folder (a subfolder is allowed), never a path out of it.
func TestFindRefusesPaths(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "export")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "secret.csv"), []byte("a,b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "export.csv"), []byte("a,b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"../secret.csv", "sub/../../secret.csv", `..\secret.csv`, "..", "/etc/passwd"} {
		if _, err := Find(dir, want); err == nil || !strings.Contains(err.Error(), "sökväg ut ur") {
			t.Errorf("Find(%q) = %v, want a refusal", want, err)
		} else if p, _ := Find(dir, want); p != "" {
			t.Errorf("Find(%q) found %s", want, p)
		}
	}
	if p, err := Find(dir, "export.csv"); err != nil || filepath.Base(p) != "export.csv" {
		t.Errorf("Find(export.csv) = %q, %v", p, err)
	}
}
