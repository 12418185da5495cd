package gate

import (
	"os"
	"strings"
	"testing"

	"utlamnande/processor/internal/validate"
)

// The README's table of git rules is gate.Rules: same names, same texts, same order, and no
// name shared with the case rules.
func TestReadmeListsEveryGitRule(t *testing.T) {
	data, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "<!-- git-regler:start -->")
	table, _, ok2 := strings.Cut(rest, "<!-- git-regler:slut -->")
	if !ok || !ok2 {
		t.Fatal("README.md lacks the <!-- git-regler:start --> … <!-- git-regler:slut --> table")
	}
	var want strings.Builder
	want.WriteString("\n| regel | kontrollerar |\n|---|---|\n")
	for _, r := range Rules {
		want.WriteString("| `" + r.Name + "` | " + r.Text + " |\n")
	}
	if table != want.String() {
		t.Errorf("README git rule table differs from gate.Rules; it should read:\n%s", want.String())
	}
	seen := map[string]bool{}
	for _, r := range validate.Rules {
		seen[r.Name] = true
	}
	for _, r := range Rules {
		if seen[r.Name] {
			t.Errorf("rule %s listed twice", r.Name)
		}
		seen[r.Name] = true
	}
}
