package validate

import (
	"os"
	"testing"
)

// The README's rule table is the list of rules: same names, same texts, same order.
func TestReadmeListsEveryRule(t *testing.T) {
	data, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	table, ok := ReadmeTable(string(data), "regler")
	if !ok {
		t.Fatal("README.md lacks the <!-- regler:start --> … <!-- regler:slut --> table")
	}
	if want := RuleTable(Rules); table != want && *update {
		if err := os.WriteFile("../../../README.md", []byte(WithReadmeTable(string(data), "regler", want)), 0o644); err != nil {
			t.Fatal(err)
		}
	} else if table != want {
		t.Errorf("README rule table differs from validate.Rules; it should read (go test -run Readme -update rewrites it):\n%s", want)
	}
	seen := map[string]bool{}
	for _, r := range Rules {
		if seen[r.Name] {
			t.Errorf("rule %s listed twice", r.Name)
		}
		seen[r.Name] = true
	}
}
