package validate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"utlamnande/processor/internal/workflow"
)

// A workbook that cannot be read has unknown counts: the registrator is told the file is
// damaged, never to change the front matter's rows to 0.
func TestDamagedWorkbookIsNotCounted(t *testing.T) {
	src := t.TempDir()
	copyTree(t, filepath.Join(repoRoot, "cases"), src)
	wb := filepath.Join(src, "2026-0001", "utlamnande", "e-postlogg.xlsx")
	data, err := os.ReadFile(wb)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(wb, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	r := newTestRepo(t, src)
	res := Cases(r, []string{filepath.Join(r.Root, "cases", "2026-0001")}, Options{Today: today})
	var rules []string
	for _, f := range res.Findings {
		if f.Rule != workflow.RulePromptness { // the demo case's handling time: not under test
			rules = append(rules, f.Rule)
		}
	}
	if got := strings.Join(rules, " "); got != "maskbevis godkännande-inaktuellt granskningsbok-form" {
		t.Errorf("findings %q, want the damaged file, the secrecy review it blocks and the approval it no longer matches:\n%v", got, res.Findings)
	}
}
