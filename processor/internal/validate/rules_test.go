package validate

import (
	"os"
	"strings"
	"testing"
)

// The README's rule table is the list of rules: same names, same texts, same order.
func TestReadmeListsEveryRule(t *testing.T) {
	data, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "<!-- regler:start -->")
	table, _, ok2 := strings.Cut(rest, "<!-- regler:slut -->")
	if !ok || !ok2 {
		t.Fatal("README.md lacks the <!-- regler:start --> … <!-- regler:slut --> table")
	}
	var want strings.Builder
	want.WriteString("\n| regel | kontrollerar |\n|---|---|\n")
	for _, r := range Rules {
		want.WriteString("| `" + r.Name + "` | " + r.Text + " |\n")
	}
	if table != want.String() {
		t.Errorf("README rule table differs from validate.Rules; it should read:\n%s", want.String())
	}
	seen := map[string]bool{}
	for _, r := range Rules {
		if seen[r.Name] {
			t.Errorf("rule %s listed twice", r.Name)
		}
		seen[r.Name] = true
	}
}
