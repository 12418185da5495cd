package casefile

import (
	"strings"
	"testing"
)

const importedCase = `---
ärende: 2026-0001 # nummer
typ: e-postlogg
steg:
  mottagen: {datum: 2026-11-20, av: reg1, anteckning: "ringde, två gånger"} # per telefon
  export_mottagen:
    datum: 2026-11-21 # första exporten
    av: 'reg1'
    fil: "export 1.csv"
    sha256: aaaa
    rader: 12
  privat_granskad: {antal_privata: 2, åäö: öäå, av: reg1}
# efter stegen
---
Text med sha256: aaaa
`

func TestReplaceStepValues(t *testing.T) {
	for _, tc := range []struct {
		name, in, step string
		fields         []Field
		want           string
	}{
		{name: "block: plain values, comments kept", in: importedCase, step: "export_mottagen",
			fields: []Field{{"sha256", "bbbb"}, {"rader", "13"}, {"datum", "2026-11-22"}},
			want: strings.NewReplacer("    sha256: aaaa\n", "    sha256: bbbb\n", "rader: 12", "rader: 13",
				"datum: 2026-11-21 # första", "datum: 2026-11-22 # första").Replace(importedCase)},
		{name: "block: quoted values stay quoted", in: importedCase, step: "export_mottagen",
			fields: []Field{{"fil", `export "2".csv`}, {"av", "jur'1"}},
			want:   strings.NewReplacer(`fil: "export 1.csv"`, `fil: "export \"2\".csv"`, "av: 'reg1'", "av: 'jur''1'").Replace(importedCase)},
		{name: "block: a plain value that needs quotes", in: importedCase, step: "export_mottagen",
			fields: []Field{{"sha256", "a: b"}},
			want:   strings.Replace(importedCase, "    sha256: aaaa\n", "    sha256: \"a: b\"\n", 1)},
		{name: "flow: one value among others", in: importedCase, step: "mottagen",
			fields: []Field{{"av", "reg2"}},
			want:   strings.Replace(importedCase, "av: reg1, anteckning", "av: reg2, anteckning", 1)},
		{name: "flow: quoted value with a comma", in: importedCase, step: "mottagen",
			fields: []Field{{"anteckning", "en gång"}},
			want:   strings.Replace(importedCase, `"ringde, två gånger"`, `"en gång"`, 1)},
		{name: "flow: columns counted in characters", in: importedCase, step: "privat_granskad",
			fields: []Field{{"av", "jur1"}, {"antal_privata", "3"}},
			want:   strings.Replace(importedCase, "{antal_privata: 2, åäö: öäå, av: reg1}", "{antal_privata: 3, åäö: öäå, av: jur1}", 1)},
		{name: "crlf and bom", in: "\ufeff" + crlf(importedCase), step: "export_mottagen",
			fields: []Field{{"sha256", "cccc"}, {"rader", "1"}},
			want:   "\ufeff" + crlf(strings.NewReplacer("    sha256: aaaa\n", "    sha256: cccc\n", "rader: 12", "rader: 1").Replace(importedCase))},
		{name: "crlf and bom, flow", in: "\ufeff" + crlf(importedCase), step: "privat_granskad",
			fields: []Field{{"av", "reg2"}},
			want:   "\ufeff" + crlf(strings.Replace(importedCase, "öäå, av: reg1}", "öäå, av: reg2}", 1))},
		{name: "the same value", in: importedCase, step: "export_mottagen", fields: []Field{{"rader", "12"}}, want: importedCase},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := parse(t, tc.in)
			got, err := ReplaceStepValues([]byte(tc.in), c, tc.step, tc.fields)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got\n%q\nwant\n%q", got, tc.want)
			}
			again := parse(t, string(got))
			for _, f := range tc.fields {
				if v, ok := stepValue(again, tc.step, f.Key); !ok || v != f.Value {
					t.Errorf("%s reads back as %q, want %q", f.Key, v, f.Value)
				}
			}
		})
	}
}

func TestReplaceStepValuesErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in, step string
		fields         []Field
		want           string
	}{
		{"step not recorded", importedCase, "sekretessprövad", []Field{{"av", "reg2"}}, "steget sekretessprövad är inte registrerat"},
		{"key not there", importedCase, "export_mottagen", []Field{{"storlek", "1"}}, "storlek i steget export_mottagen i d/request.md kan inte bytas"},
		{"one of the keys not there", importedCase, "export_mottagen", []Field{{"rader", "1"}, {"storlek", "1"}}, "storlek i steget"},
		{"not a scalar", "---\nsteg:\n  mottagen:\n    av: [reg1]\n---\n", "mottagen", []Field{{"av", "reg2"}}, "av i steget mottagen"},
		{"literal text", "---\nsteg:\n  mottagen:\n    anteckning: |\n      rad 1\n---\n", "mottagen", []Field{{"anteckning", "x"}}, "skriv det som ett enkelt värde på en rad"},
		{"quoted text over two lines", "---\nsteg:\n  mottagen:\n    anteckning: \"rad 1\n      rad 2\"\n---\n", "mottagen", []Field{{"anteckning", "x"}}, "skriv det som ett enkelt värde på en rad"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := parse(t, tc.in)
			got, err := ReplaceStepValues([]byte(tc.in), c, tc.step, tc.fields)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %q, %v; want an error with %q", got, err, tc.want)
			}
		})
	}
	in := "---\nsteg: [\n---\n"
	c, _ := Parse("d", "d/request.md", []byte(in))
	if _, err := ReplaceStepValues([]byte(in), c, "mottagen", []Field{{"av", "x"}}); err == nil || !strings.Contains(err.Error(), "front matter i d/request.md kan inte läsas") {
		t.Errorf("front matter that does not parse: %v", err)
	}
}
