package casefile

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func TestParseSplitsFrontMatter(t *testing.T) {
	for _, tc := range []struct {
		name, in   string
		id, typ    string
		steps      int
		bodyLine   int
		body       string
		findingPos string // "line:col rule" of the single expected finding, or ""
	}{
		{name: "plain", in: "---\närende: 2026-0001\ntyp: e-postlogg\nsteg:\n  mottagen: {datum: 2026-11-20, av: reg1}\n---\n# Rubrik\n",
			id: "2026-0001", typ: "e-postlogg", steps: 1, bodyLine: 7, body: "# Rubrik\n"},
		{name: "bom and crlf", in: "\ufeff---\r\närende: 2026-0002\r\ntyp: e-post\r\n---\r\ntext\r\n",
			id: "2026-0002", typ: "e-post", bodyLine: 5, body: "text\r\n"},
		{name: "dots close", in: "---\närende: 2026-0003\ntyp: e-post\n...\n", id: "2026-0003", typ: "e-post", bodyLine: 5},
		{name: "trailing spaces on fence", in: "--- \närende: 2026-0004\ntyp: e-post\n---\t\n", id: "2026-0004", typ: "e-post", bodyLine: 5},
		{name: "no front matter", in: "# Bara text\n", findingPos: "1:1 front-matter"},
		{name: "empty file", in: "", findingPos: "1:1 front-matter"},
		{name: "never closed", in: "---\närende: 2026-0001\n", findingPos: "1:1 front-matter"},
		{name: "empty front matter", in: "---\n---\n", bodyLine: 3, findingPos: "2:1 front-matter"},
		{name: "bad id", in: "---\närende: 26-1\ntyp: e-post\n---\n", id: "26-1", typ: "e-post", bodyLine: 5, findingPos: "2:9 ärende-id"},
		{name: "missing typ", in: "---\närende: 2026-0001\n---\n", id: "2026-0001", bodyLine: 4, findingPos: "2:1 ärendetyp"},
		{name: "list instead of mapping", in: "---\n- a\n- b\n---\n", bodyLine: 5, findingPos: "2:1 fel-värdetyp"},
		{name: "example flag", in: "---\närende: 2026-0001\ntyp: e-post\nexempel: kanske\n---\n", id: "2026-0001", typ: "e-post", bodyLine: 6, findingPos: "4:10 fel-värdetyp"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, fs := Parse("cases/x", "cases/x/request.md", []byte(tc.in))
			if c.ID != tc.id || c.Type != tc.typ || len(c.Steps) != tc.steps {
				t.Errorf("got id %q type %q %d steps, want %q %q %d", c.ID, c.Type, len(c.Steps), tc.id, tc.typ, tc.steps)
			}
			if c.BodyLine != tc.bodyLine || string(c.Body) != tc.body {
				t.Errorf("body at line %d %q, want line %d %q", c.BodyLine, c.Body, tc.bodyLine, tc.body)
			}
			var got []string
			for _, f := range fs {
				got = append(got, fmt.Sprintf("%d:%d %s", f.Line, f.Col, f.Rule))
			}
			want := []string{}
			if tc.findingPos != "" {
				want = append(want, tc.findingPos)
			}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("findings %v, want %v (%v)", got, want, fs)
			}
		})
	}
}

// FuzzParse: any bytes give a Case and findings, never a panic; every finding has a
// position inside the file.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"---\närende: 2026-0001\ntyp: e-postlogg\nsteg:\n  mottagen: {datum: 2026-11-20, av: reg1}\n---\n",
		"\ufeff---\r\närende: 2026-0001\r\n---\r\n",
		"---\na: &x [1]\nb: *x\n---\n",
		"---\na:\n\tb: 1\n---\n",
		"---\na: 'x\n---\n",
		"---\na: 1\na: 2\n---\n",
		"",
		"---",
		"---\n\"\r\r0\n---",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, fs := Parse("d", "d/request.md", data)
		if c == nil {
			t.Fatal("nil case")
		}
		// Lines as YAML and editors count them: a lone CR ends a line too (the fuzzer's
		// "---\n\"\r\r0\n---" has five lines, and its finding on line 5 is right).
		lines := bytes.Count(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\n")) +
			bytes.Count(bytes.ReplaceAll(data, []byte("\r\n"), nil), []byte("\r")) + 2
		for _, f := range fs {
			if f.Line < 1 || f.Line > lines || f.Rule == "" || f.Message == "" {
				t.Fatalf("finding out of range or empty (file has %d lines): %+v", lines, f)
			}
		}
	})
}
