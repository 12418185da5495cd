package validate

import (
	"os"
	"testing"

	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/workflow"
)

// benchCase is a complete e-postlogg case through all 12 steps, as in make bench.
const benchCase = "testdata/corpus/ok-e-postlogg-alla-tolv-steg/2026-0152/request.md"

// BenchmarkParse measures reading one front matter (yaml.v3 and the structural checks).
func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(benchCase)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		casefile.Parse("cases/2026-0152", "cases/2026-0152/request.md", data)
	}
}

// BenchmarkCheck measures the engine on one parsed case.
func BenchmarkCheck(b *testing.B) {
	r := newTestRepo(b, "")
	data, err := os.ReadFile(benchCase)
	if err != nil {
		b.Fatal(err)
	}
	c, _ := casefile.Parse("cases/2026-0152", "cases/2026-0152/request.md", data)
	env := workflow.Env{Settings: r.Settings, Catalog: r.Catalog, Today: today}
	for b.Loop() {
		if _, fs := workflow.Check(c, r.Types["e-postlogg"], env); len(fs) != 0 {
			b.Fatal(fs)
		}
	}
}
