package casefile

import "testing"

func TestAddStep(t *testing.T) {
	fields := []Field{{"datum", "2026-11-22"}, {"av", "reg1"}, {"fil", "export 1.csv"}, {"rader", "3"}}
	want := "    export_mottagen:\n      datum: 2026-11-22\n      av: reg1\n      fil: export 1.csv\n      rader: 3\n"
	for _, tc := range []struct{ name, in, want string }{
		{"block", "---\närende: 2026-0001\nsteg:\n  mottagen:\n    datum: 2026-11-20 # kommentar\n    av: reg1\n# slut\n---\nText\n",
			"---\närende: 2026-0001\nsteg:\n  mottagen:\n    datum: 2026-11-20 # kommentar\n    av: reg1\n" +
				"  export_mottagen:\n    datum: 2026-11-22\n    av: reg1\n    fil: export 1.csv\n    rader: 3\n# slut\n---\nText\n"},
		{"flow steps inside block", "---\nsteg:\n    mottagen: {datum: 2026-11-20, av: reg1}\nannat: x\n---\n",
			"---\nsteg:\n    mottagen: {datum: 2026-11-20, av: reg1}\n" + want + "annat: x\n---\n"},
		{"empty steg", "---\närende: 2026-0001\nsteg:\n---\n",
			"---\närende: 2026-0001\nsteg:\n  export_mottagen:\n    datum: 2026-11-22\n    av: reg1\n    fil: export 1.csv\n    rader: 3\n---\n"},
		{"no steg", "---\närende: 2026-0001\n---\nx\n",
			"---\närende: 2026-0001\nsteg:\n  export_mottagen:\n    datum: 2026-11-22\n    av: reg1\n    fil: export 1.csv\n    rader: 3\n---\nx\n"},
		{"crlf and bom", "\ufeff---\r\nsteg:\r\n  mottagen:\r\n    av: reg1\r\n---\r\n",
			"\ufeff---\r\nsteg:\r\n  mottagen:\r\n    av: reg1\r\n  export_mottagen:\r\n    datum: 2026-11-22\r\n    av: reg1\r\n    fil: export 1.csv\r\n    rader: 3\r\n---\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, fs := Parse("d", "d/request.md", []byte(tc.in))
			if c.Root == nil {
				t.Fatal(fs)
			}
			got, err := AddStep([]byte(tc.in), c, "export_mottagen", fields)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
			again, fs := Parse("d", "d/request.md", got)
			if again.Root == nil || len(again.Steps) != len(c.Steps)+1 {
				t.Errorf("result does not parse back with one more step: %v", fs)
			}
		})
	}
	c, _ := Parse("d", "d/request.md", []byte("---\nsteg: {mottagen: {av: reg1}}\n---\n"))
	if _, err := AddStep([]byte("---\nsteg: {mottagen: {av: reg1}}\n---\n"), c, "x", fields); err == nil {
		t.Error("a non-empty flow mapping must be refused")
	}
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{"reg1": "reg1", "2026-11-22": "2026-11-22", "a: b": `'a: b'`, "#x": `'#x'`, "": `""`, "ja": "ja", "export.csv": "export.csv"} {
		if got := quote(in); got != want {
			t.Errorf("quote(%q) = %s, want %s", in, got, want)
		}
	}
}
