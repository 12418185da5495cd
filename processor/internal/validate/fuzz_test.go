package validate

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/workflow"
)

// FuzzCheck feeds any bytes as request.md through the parser and the engine with the
// project's real types: never a panic, every finding inside the file. The seeds are the
// demo case and every request.md of the corpus.
func FuzzCheck(f *testing.F) {
	r := newTestRepo(f, "")
	seeds, _ := filepath.Glob("testdata/corpus/*/*/request.md")
	seeds = append(seeds, filepath.Join(repoRoot, "cases/2026-0001/request.md"))
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	env := workflow.Env{Settings: r.Settings, Catalog: r.Catalog, Today: today}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, fs := casefile.Parse("cases/2026-0001", "cases/2026-0001/request.md", data)
		if typ, ok := r.Types[c.Type]; ok && c.Root != nil {
			_, more := workflow.Check(c, typ, env)
			fs = append(fs, more...)
		}
		lines := bytes.Count(data, []byte("\n")) + 2
		for _, f := range fs {
			if f.Line < 1 || f.Line > lines || f.Message == "" {
				t.Fatalf("finding out of range or empty (file has %d lines): %+v", lines, f)
			}
		}
	})
}
