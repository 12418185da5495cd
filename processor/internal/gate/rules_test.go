package gate

import (
	"flag"
	"os"
	"testing"

	"utlamnande/processor/internal/validate"
)

// The README's table of git rules is gate.Rules: same names, same texts, same order, and no
// name shared with the case rules.
var updateReadme = flag.Bool("update", false, "rewrite the README's table of git rules")

func TestReadmeListsEveryGitRule(t *testing.T) {
	data, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	table, ok := validate.ReadmeTable(string(data), "git-regler")
	if !ok {
		t.Fatal("README.md lacks the <!-- git-regler:start --> … <!-- git-regler:slut --> table")
	}
	if want := validate.RuleTable(Rules); table != want && *updateReadme {
		if err := os.WriteFile("../../../README.md", []byte(validate.WithReadmeTable(string(data), "git-regler", want)), 0o644); err != nil {
			t.Fatal(err)
		}
	} else if table != want {
		t.Errorf("README git rule table differs from gate.Rules; it should read (go test -run Readme -update rewrites it):\n%s", want)
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
