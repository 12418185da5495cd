package casefile

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"utlamnande/processor/internal/yamldoc"
)

const approvalValue = "{datum: 2026-11-22, av: jur1, granskningsbok_sha256: ab12}"

// blockCase has a step in block form (sekretessprövad, with a value spanning lines and
// comments) and one on one line (mottagen).
const blockCase = `---
ärende: 2026-0001 # nummer
typ: e-postlogg
steg:
  mottagen: {datum: 2026-11-20, av: reg1} # per telefon
  sekretessprövad:
    datum: 2026-11-21 # prövad
    av: reg1
    bestämmelser:
      "25 kap. 1 § OSL": 2
      "39 kap. 2 § OSL": 1
# efter stegen
---
Text
`

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

func parse(t *testing.T, data string) *Case {
	t.Helper()
	c, fs := Parse("d", "d/request.md", []byte(data))
	if c.Root == nil {
		t.Fatalf("test input does not parse: %v", fs)
	}
	return c
}

func TestSetStepKey(t *testing.T) {
	for _, tc := range []struct {
		name, in, step, key, value, want string
	}{
		{name: "block: added after the step's last line", in: blockCase, step: "sekretessprövad", key: "godkänd", value: approvalValue,
			want: strings.Replace(blockCase, `      "39 kap. 2 § OSL": 1`+"\n", `      "39 kap. 2 § OSL": 1`+"\n    godkänd: "+approvalValue+"\n", 1)},
		{name: "block: one-line key replaced", in: blockCase, step: "sekretessprövad", key: "av", value: "reg2",
			want: strings.Replace(blockCase, "    av: reg1\n", "    av: reg2\n", 1)},
		{name: "block: value spanning lines replaced", in: blockCase, step: "sekretessprövad", key: "bestämmelser", value: `{"25 kap. 1 § OSL": 3}`,
			want: strings.Replace(blockCase, "    bestämmelser:\n      \"25 kap. 1 § OSL\": 2\n      \"39 kap. 2 § OSL\": 1\n", "    bestämmelser: {\"25 kap. 1 § OSL\": 3}\n", 1)},
		{name: "block: block-form approval replaced, the key after it kept",
			in:   "---\nsteg:\n  sekretessprövad:\n    av: reg1\n    godkänd:\n      datum: 2026-11-21\n      av: jur1 # gammal\n    anteckning: kvar\n---\n",
			step: "sekretessprövad", key: "godkänd", value: approvalValue,
			want: "---\nsteg:\n  sekretessprövad:\n    av: reg1\n    godkänd: " + approvalValue + "\n    anteckning: kvar\n---\n"},
		{name: "block: flow value over two lines replaced",
			in:   "---\nsteg:\n  sekretessprövad:\n    godkänd: {datum: 2026-11-21,\n      av: jur1}\n    av: reg1\n---\n",
			step: "sekretessprövad", key: "godkänd", value: approvalValue,
			want: "---\nsteg:\n  sekretessprövad:\n    godkänd: " + approvalValue + "\n    av: reg1\n---\n"},
		{name: "block: indentation of the step kept",
			in:   "---\nsteg:\n    gallrad:\n        datum: 2026-11-30\n        beslut: DHP 4.2\n---\n",
			step: "gallrad", key: "raderade", value: `["ab  arbetsyta/x.xlsx"]`,
			want: "---\nsteg:\n    gallrad:\n        datum: 2026-11-30\n        beslut: DHP 4.2\n        raderade: [\"ab  arbetsyta/x.xlsx\"]\n---\n"},
		{name: "flow: added before the closing brace, comment kept", in: blockCase, step: "mottagen", key: "godkänd", value: approvalValue,
			want: strings.Replace(blockCase, "  mottagen: {datum: 2026-11-20, av: reg1} # per telefon\n", "  mottagen: {datum: 2026-11-20, av: reg1, godkänd: "+approvalValue+"} # per telefon\n", 1)},
		{name: "flow: space before the brace", in: "---\nsteg:\n  mottagen: { datum: 2026-11-20 }\n---\n", step: "mottagen", key: "av", value: "reg1",
			want: "---\nsteg:\n  mottagen: { datum: 2026-11-20, av: reg1}\n---\n"},
		{name: "flow: empty", in: "---\nsteg:\n  mottagen: {}\n---\n", step: "mottagen", key: "av", value: "reg1",
			want: "---\nsteg:\n  mottagen: {av: reg1}\n---\n"},
		{name: "crlf and bom: block", in: "\ufeff" + crlf(blockCase), step: "sekretessprövad", key: "godkänd", value: approvalValue,
			want: "\ufeff" + crlf(strings.Replace(blockCase, `      "39 kap. 2 § OSL": 1`+"\n", `      "39 kap. 2 § OSL": 1`+"\n    godkänd: "+approvalValue+"\n", 1))},
		{name: "crlf and bom: replaced", in: "\ufeff" + crlf(blockCase), step: "sekretessprövad", key: "bestämmelser", value: "{}",
			want: "\ufeff" + crlf(strings.Replace(blockCase, "    bestämmelser:\n      \"25 kap. 1 § OSL\": 2\n      \"39 kap. 2 § OSL\": 1\n", "    bestämmelser: {}\n", 1))},
		{name: "crlf and bom: flow", in: "\ufeff" + crlf(blockCase), step: "mottagen", key: "godkänd", value: approvalValue,
			want: "\ufeff" + crlf(strings.Replace(blockCase, "av: reg1} # per telefon", "av: reg1, godkänd: "+approvalValue+"} # per telefon", 1))},
		{name: "steg: as the last key, no newline at the end", in: "---\nsteg:\n  mottagen:\n    av: reg1\n---", step: "mottagen", key: "datum", value: "2026-11-20",
			want: "---\nsteg:\n  mottagen:\n    av: reg1\n    datum: 2026-11-20\n---"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := parse(t, tc.in)
			got, err := SetStepKey([]byte(tc.in), c, tc.step, tc.key, tc.value)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got\n%q\nwant\n%q", got, tc.want)
			}
			again := parse(t, string(got))
			if v, ok := stepNode(again, tc.step, tc.key); !ok || yamldoc.Canon(v) != canonOf(t, tc.value) {
				t.Errorf("%s.%s reads back as %s, want %s", tc.step, tc.key, yamldoc.Canon(v), canonOf(t, tc.value))
			}
			if len(again.Steps) != len(c.Steps) {
				t.Errorf("%d steps after the edit, %d before", len(again.Steps), len(c.Steps))
			}
		})
	}
}

func TestSetStepKeyErrors(t *testing.T) {
	for _, tc := range []struct{ name, in, step, key, want string }{
		{"step not recorded", blockCase, "pdf_skapad", "godkänd", "steget pdf_skapad är inte registrerat"},
		{"step without a mapping", "---\nsteg:\n  mottagen: ja\n---\n", "mottagen", "av", "steget mottagen är inte registrerat"},
		{"no steg", "---\närende: 2026-0001\n---\n", "mottagen", "av", "är inte registrerat"},
		{"flow: key already there", blockCase, "mottagen", "av", "har redan av på samma rad"},
		{"flow over several lines", "---\nsteg:\n  mottagen: {datum: 2026-11-20,\n    av: reg1}\n---\n", "mottagen", "godkänd", "skrivet över flera rader"},
		// The line edit would not set the key (these were returned as success before the
		// result was read back).
		{"flow: } in the comment", "---\nsteg:\n  mottagen: {datum: 2026-11-20} # ring {tillbaka}\n---\n", "mottagen", "godkänd", "godkänd kan inte skrivas i steget mottagen"},
		{"steg: on one line", "---\nsteg: {mottagen: {av: reg1}}\n---\n", "mottagen", "godkänd", "godkänd kan inte skrivas i steget mottagen"},
		{"block: literal text last", "---\nsteg:\n  mottagen:\n    anteckning: |\n      rad 1\n      rad 2\n---\n", "mottagen", "godkänd", "godkänd kan inte skrivas"},
		{"block: quoted text over two lines last", "---\nsteg:\n  mottagen:\n    anteckning: \"rad 1\n      rad 2\"\n---\n", "mottagen", "godkänd", "godkänd kan inte skrivas"},
		{"flow: an empty value last", "---\nsteg:\n  mottagen: {datum: 2026-11-20, anteckning: }\n---\n", "mottagen", "godkänd", "godkänd kan inte skrivas"},
		{"block: plain text over two lines replaced", "---\nsteg:\n  mottagen:\n    av: reg1\n      reg3\n---\n", "mottagen", "av", "av kan inte skrivas"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := parse(t, tc.in)
			got, err := SetStepKey([]byte(tc.in), c, tc.step, tc.key, "x")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %q, %v; want an error with %q", got, err, tc.want)
			}
		})
	}
	for _, in := range []string{"---\nsteg: [\n---\n", "---\nsteg:\n  mottagen: {av: reg1}\n", "ingen front matter\n", ""} {
		c, _ := Parse("d", "d/request.md", []byte(in))
		if c.Root != nil {
			t.Fatalf("%q parses", in)
		}
		if _, err := SetStepKey([]byte(in), c, "mottagen", "av", "x"); err == nil || !strings.Contains(err.Error(), "front matter i d/request.md kan inte läsas") {
			t.Errorf("SetStepKey(%q): %v", in, err)
		}
		if _, err := AddListItem([]byte(in), c, "rättelser", "{}"); err == nil || !strings.Contains(err.Error(), "front matter i d/request.md kan inte läsas") {
			t.Errorf("AddListItem(%q): %v", in, err)
		}
	}
}

func TestAddListItem(t *testing.T) {
	const item = `{steg: sekretessprövad, datum: 2026-11-22, av: jur1, skäl: "ny version"}`
	const earlier = `  - {steg: mottagen, datum: 2026-11-21, av: reg1, skäl: fel datum} # rättat`
	for _, tc := range []struct{ name, in, want string }{
		{"created at the end of the front matter", blockCase,
			strings.Replace(blockCase, "# efter stegen\n---\n", "# efter stegen\nrättelser:\n  - "+item+"\n---\n", 1)},
		{"appended to the list", "---\nsteg:\n  mottagen: {av: reg1}\nrättelser:\n" + earlier + "\nannat: x\n---\nText\n",
			"---\nsteg:\n  mottagen: {av: reg1}\nrättelser:\n" + earlier + "\n  - " + item + "\nannat: x\n---\nText\n"},
		{"appended after an item in block form", "---\nrättelser:\n    - steg: mottagen\n      skäl: fel\n---\n",
			"---\nrättelser:\n    - steg: mottagen\n      skäl: fel\n    - " + item + "\n---\n"},
		{"empty key", "---\nrättelser:\nsteg: {}\n---\n", "---\nrättelser:\n  - " + item + "\nsteg: {}\n---\n"},
		{"empty flow list", "---\nrättelser: [] # inga än\nsteg: {}\n---\n", "---\nrättelser:\n  - " + item + "\nsteg: {}\n---\n"},
		{"crlf and bom, created", "\ufeff" + crlf(blockCase),
			"\ufeff" + crlf(strings.Replace(blockCase, "# efter stegen\n---\n", "# efter stegen\nrättelser:\n  - "+item+"\n---\n", 1))},
		{"crlf and bom, appended", "\ufeff---\r\nrättelser:\r\n" + earlier + "\r\n---\r\n",
			"\ufeff---\r\nrättelser:\r\n" + earlier + "\r\n  - " + item + "\r\n---\r\n"},
		{"closed with dots", "---\närende: 2026-0001\n...\nText\n", "---\närende: 2026-0001\nrättelser:\n  - " + item + "\n...\nText\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := parse(t, tc.in)
			got, err := AddListItem([]byte(tc.in), c, "rättelser", item)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got\n%q\nwant\n%q", got, tc.want)
			}
			again := parse(t, string(got))
			var list *yaml.Node
			for i := 0; i+1 < len(again.Root.Content); i += 2 {
				if again.Root.Content[i].Value == "rättelser" {
					list = again.Root.Content[i+1]
				}
			}
			if list == nil || list.Kind != yaml.SequenceNode || yamldoc.Canon(list.Content[len(list.Content)-1]) != canonOf(t, item) {
				t.Errorf("the item is not the list's last: %s", yamldoc.Canon(list))
			}
		})
	}
	in := "---\nrättelser: [{steg: mottagen}]\n---\n"
	if _, err := AddListItem([]byte(in), parse(t, in), "rättelser", item); err == nil || !strings.Contains(err.Error(), "inte en lista i blockform") {
		t.Errorf("a flow list with items: %v", err)
	}
	in = "---\nrättelser: text\n---\n"
	if _, err := AddListItem([]byte(in), parse(t, in), "rättelser", item); err == nil {
		t.Error("a scalar rättelser: was extended")
	}
}

// stepNode returns the value node of key in the step (the last one, as YAML readers do).
func stepNode(c *Case, step, key string) (*yaml.Node, bool) {
	var v *yaml.Node
	for _, p := range c.Steps {
		if p.Key != step || p.Value.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(p.Value.Content); i += 2 {
			if p.Value.Content[i].Value == key {
				v = p.Value.Content[i+1]
			}
		}
	}
	return v, v != nil
}

// canonWithout is the canonical form of the front matter root without key in step's
// mapping: what an edit of that key must leave as it was.
func canonWithout(root *yaml.Node, step, key string) string {
	var b strings.Builder
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		b.WriteString(yamldoc.Canon(k) + ":")
		if k.Value != "steg" || v.Kind != yaml.MappingNode {
			b.WriteString(yamldoc.Canon(v) + "\n")
			continue
		}
		for j := 0; j+1 < len(v.Content); j += 2 {
			sk, sv := v.Content[j], v.Content[j+1]
			b.WriteString(" " + yamldoc.Canon(sk) + "=")
			if sk.Value != step || sv.Kind != yaml.MappingNode {
				b.WriteString(yamldoc.Canon(sv))
				continue
			}
			kept := &yaml.Node{Kind: yaml.MappingNode}
			for k := 0; k+1 < len(sv.Content); k += 2 {
				if sv.Content[k].Value != key {
					kept.Content = append(kept.Content, sv.Content[k], sv.Content[k+1])
				}
			}
			b.WriteString(yamldoc.Canon(kept))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// canonOf is the canonical form of a one-line YAML value.
func canonOf(t testing.TB, value string) string {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte("k: "+value), &n); err != nil || len(n.Content) != 1 || len(n.Content[0].Content) != 2 {
		t.Fatalf("value %q is not one line of YAML: %v", value, err)
	}
	return yamldoc.Canon(n.Content[0].Content[1])
}

// FuzzSetStepKey: any request.md bytes, never a panic; when SetStepKey returns no error,
// the result parses and the step's key has the value (a new key and one replaced).
func FuzzSetStepKey(f *testing.F) {
	for _, s := range []string{
		blockCase,
		"\ufeff" + crlf(blockCase),
		"---\nsteg:\n  mottagen: {}\n---\n",
		"---\nsteg:\n  mottagen: { datum: 2026-11-20 } # }\n---\n",
		"---\nsteg:\n  mottagen:\n    av: reg1\n    godkänd:\n      datum: 2026-11-21\n    anteckning: x\n---",
		"---\nsteg:\n  mottagen: {datum: 2026-11-20,\n    av: reg1}\n---\n",
		"---\nsteg:\n  mottagen:\n    anteckning: |\n      rad 1\n      rad 2\n---\n",
		"---\nsteg:\n  mottagen:\n    anteckning: \"rad 1\n      rad 2\"\n---\n",
		"---\nsteg:\n  mottagen: &a {av: reg1}\n  bevakning: *a\n---\n",
		"---\nsteg:\n  mottagen:\n    av: reg1\n...\n",
		"---\nsteg: {mottagen: {av: reg1}}\n---\n",
		"---\nsteg:\n  mottagen: ja\n---\n",
		"---\nsteg:\n  mottagen: {datum: 2026-11-20, anteckning: }\n---\n",
		"",
	} {
		f.Add([]byte(s))
	}
	edits := []struct{ key, value string }{{"godkänd", approvalValue}, {"av", "reg2"}, {"raderade", `["ab  arbetsyta/x y.xlsx"]`}}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, _ := Parse("d", "d/request.md", data)
		if c == nil {
			t.Fatal("nil case")
		}
		steps := []string{"mottagen"}
		for i, p := range c.Steps {
			if i < 3 {
				steps = append(steps, p.Key)
			}
		}
		for _, step := range steps {
			for _, e := range edits {
				got, err := SetStepKey(data, c, step, e.key, e.value)
				if err != nil {
					continue
				}
				again, fs := Parse("d", "d/request.md", got)
				if again.Root == nil {
					t.Fatalf("SetStepKey(%s, %s) gave front matter that does not parse: %v\n%q", step, e.key, fs, got)
				}
				if v, ok := stepNode(again, step, e.key); !ok || yamldoc.Canon(v) != canonOf(t, e.value) {
					t.Fatalf("SetStepKey(%s, %s) reads back as %s, want %s\n%q", step, e.key, yamldoc.Canon(v), canonOf(t, e.value), got)
				}
				if a, b := canonWithout(c.Root, step, e.key), canonWithout(again.Root, step, e.key); a != b || string(again.Body) != string(c.Body) {
					t.Fatalf("SetStepKey(%s, %s) changed more than the key:\n%s\n%s\n%q", step, e.key, a, b, got)
				}
			}
		}
	})
}
