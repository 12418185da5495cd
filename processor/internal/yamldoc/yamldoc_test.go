package yamldoc

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func findings(t *testing.T, in string, firstLine int) []string {
	t.Helper()
	d := &Decoder{File: "f.yaml"}
	d.Parse([]byte(in), firstLine)
	var out []string
	for _, f := range d.Findings.Sorted() {
		out = append(out, fmt.Sprintf("%d:%d %s", f.Line, f.Col, f.Rule))
	}
	return out
}

func TestParseStructuralFindings(t *testing.T) {
	for _, tc := range []struct {
		name, in  string
		firstLine int
		want      []string
	}{
		{"clean", "a: 1\nb: [x, y]\n", 1, nil},
		{"duplicate top", "a: 1\nb: 2\na: 3\n", 1, []string{"3:1 dubblett-nyckel"}},
		{"duplicate nested, shifted", "s:\n  x: 1\n  x: 2\n", 2, []string{"4:3 dubblett-nyckel"}},
		{"tab indent", "a:\n\tb: 1\n", 2, []string{"3:1 yaml-tabb"}},
		{"tab after dash", "a:\n  -\tb\n", 1, []string{"2:4 yaml-tabb"}},
		{"tab inside a value is fine", "a: \"x\ty\"\n", 1, nil},
		{"alias", "a: &x [1]\nb: *x\n", 1, []string{"1:4 yaml-alias", "2:4 yaml-alias"}},
		{"syntax with line", "a: [1, 2\nb: 3\n", 5, []string{"5:0 yaml-syntax"}},
		{"syntax unclosed quote", "a: 'x\nb: 2\n", 2, []string{"4:0 yaml-syntax"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := findings(t, tc.in, tc.firstLine)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// A billion-laughs document is reported, not expanded: it must return at once.
func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [", i, i)
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	done := make(chan []string)
	go func() { done <- findings(t, b.String(), 1) }()
	select {
	case got := <-done:
		if len(got) == 0 || !strings.Contains(strings.Join(got, " "), "yaml-alias") {
			t.Errorf("alias bomb not reported: %v", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("alias bomb was expanded (no answer within 10 s)")
	}
}

func TestSizeLimit(t *testing.T) {
	got := findings(t, "a: "+strings.Repeat("x", MaxBytes), 1)
	if len(got) != 1 || !strings.HasSuffix(got[0], RuleSize) {
		t.Errorf("got %v", got)
	}
	var b strings.Builder
	for i := 0; i < MaxNodes; i++ {
		fmt.Fprintf(&b, "k%d: v\n", i)
	}
	got = findings(t, b.String(), 1)
	if len(got) != 1 || !strings.HasSuffix(got[0], RuleSize) {
		t.Errorf("node limit: got %v", got)
	}
}

func TestSyntaxMessagesAreSwedish(t *testing.T) {
	d := &Decoder{File: "f"}
	d.Parse([]byte("a: b: c\n"), 1)
	if len(d.Findings) != 1 || !strings.Contains(d.Findings[0].Message, "kolon på fel ställe") {
		t.Errorf("got %v", d.Findings)
	}
}

func TestDuplicateInLargeMapping(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&b, "k%d: v\n", i)
	}
	b.WriteString("k7: again\n")
	got := findings(t, b.String(), 1)
	if strings.Join(got, "|") != "101:1 dubblett-nyckel" {
		t.Errorf("got %v", got)
	}
}

func TestComposesDecomposedSwedishLetters(t *testing.T) {
	d := &Decoder{File: "f"}
	root := d.Parse([]byte("brevla\u030ada: \"O\u0308rjan\"\n"), 1)
	if root == nil || root.Content[0].Value != "brevlåda" || root.Content[1].Value != "Örjan" {
		t.Fatalf("not composed: %+v", root)
	}
	if len(d.Findings) != 1 || d.Findings[0].Rule != RuleNFD || d.Findings[0].Severity != "varning" {
		t.Errorf("want one teckenform warning, got %v", d.Findings)
	}
}
