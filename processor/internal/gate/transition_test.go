package gate

import (
	"strings"
	"testing"

	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/testrepo"
	"utlamnande/processor/internal/workflow"
)

const head = `---
ärende: 2026-0002
typ: e-postlogg
inkom_via: medarbetare
medarbetare: {namn: Erik Exempel, brevlåda: erik.exempel@region.example}
omfattning: {mappar: [Inkorg]}
`

var stepLines = map[string]string{
	"mottagen":          "  mottagen: {datum: 2025-01-08, av: reg1}\n",
	"kvalitetsgranskad": "  kvalitetsgranskad: {datum: 2025-01-08, av: reg1, komplettering: nej}\n",
	"logg_beställd":     "  logg_beställd: {datum: 2025-01-09, av: reg1, beställd_från: m365@region.example}\n",
	"bevakning":         "  bevakning: {datum: 2025-01-09, av: reg1, bevakas_till: 2025-01-14}\n",
}

func version(t *testing.T, r *repo.Repo, extra string, steps ...string) state {
	t.Helper()
	var b strings.Builder
	b.WriteString(head + extra + "steg:\n")
	for _, s := range steps {
		if line, ok := stepLines[s]; ok {
			b.WriteString(line)
		} else {
			b.WriteString(s) // a literal line
		}
	}
	b.WriteString("---\n")
	c, fs := casefile.Parse("cases/2026-0002", "cases/2026-0002/request.md", []byte(b.String()))
	if c.Root == nil {
		t.Fatalf("test case does not parse: %v", fs)
	}
	rec, _ := workflow.Check(c, r.Types[c.Type], workflow.Env{Settings: r.Settings, Catalog: r.Catalog, Today: date.New(2025, 2, 1)})
	return state{c: c, rec: rec}
}

// Each row is one change to a case: the rules it breaks, or none.
func TestTransition(t *testing.T) {
	r, err := repo.Open(testrepo.Root())
	if err != nil {
		t.Fatal(err)
	}
	corr := "rättelser:\n  - {steg: bevakning, datum: 2025-01-10, av: reg1, skäl: Fel datum.}\n"
	corr2 := corr + "  - {steg: mottagen, datum: 2025-01-11, av: reg1, skäl: Fel signatur.}\n"
	bevakningChanged := "  bevakning: {datum: 2025-01-09, av: reg1, bevakas_till: 2025-01-15}\n"
	// The same step written in another style says the same: not a change.
	bevakningBlock := "  bevakning:\n    bevakas_till: 2025-01-14\n    av: reg1 # signerat\n    datum: \"2025-01-09\"\n"
	tests := []struct {
		name          string
		before, after state
		want          []string // rule names, in order
	}{
		{"a step added", version(t, r, "", "mottagen"), version(t, r, "", "mottagen", "kvalitetsgranskad"), nil},
		{"same step rewritten in another style", version(t, r, "", "mottagen", "kvalitetsgranskad", "logg_beställd", "bevakning"),
			version(t, r, "", "mottagen", "kvalitetsgranskad", "logg_beställd", bevakningBlock), nil},
		{"a committed step changed", version(t, r, "", "mottagen", "kvalitetsgranskad", "logg_beställd", "bevakning"),
			version(t, r, "", "mottagen", "kvalitetsgranskad", "logg_beställd", bevakningChanged), []string{RuleStepChanged}},
		{"a committed step changed with its correction", version(t, r, "", "mottagen", "kvalitetsgranskad", "logg_beställd", "bevakning"),
			version(t, r, corr, "mottagen", "kvalitetsgranskad", "logg_beställd", bevakningChanged), nil},
		{"a committed step removed", version(t, r, "", "mottagen", "kvalitetsgranskad"), version(t, r, "", "mottagen"), []string{RuleStepChanged}},
		{"a correction that corrects nothing", version(t, r, "", "mottagen", "kvalitetsgranskad", "logg_beställd", "bevakning"),
			version(t, r, corr, "mottagen", "kvalitetsgranskad", "logg_beställd", "bevakning"), []string{RuleCorrection}},
		{"a committed correction removed", version(t, r, corr, "mottagen", "kvalitetsgranskad", "logg_beställd", bevakningChanged),
			version(t, r, "", "mottagen", "kvalitetsgranskad", "logg_beställd", bevakningChanged), []string{RuleCorrection}},
		{"corrections added to", version(t, r, corr, "mottagen", "kvalitetsgranskad", "logg_beställd", bevakningChanged),
			version(t, r, corr2, "  mottagen: {datum: 2025-01-08, av: reg2}\n", "kvalitetsgranskad", "logg_beställd", bevakningChanged), nil},
		{"a step inserted before a committed one", version(t, r, "", "mottagen", "logg_beställd"),
			version(t, r, "", "mottagen", "kvalitetsgranskad", "logg_beställd"), []string{RuleStepInserted}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, _ := transition(tt.before, tt.after, false)
			var got []string
			for _, f := range fs {
				got = append(got, f.Rule)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("rules %v, want %v; findings:\n%v", got, tt.want, fs)
			}
		})
	}
}

// An approval added to a committed step is handed on for the four-eyes rule; one added with
// its step is marked as such.
func TestTransitionReportsApprovals(t *testing.T) {
	r, err := repo.Open(testrepo.Root())
	if err != nil {
		t.Fatal(err)
	}
	decision := "  sekretessprövad: {datum: 2025-01-14, av: reg1, jurist_konsulterad: nej, bestämmelser: {}}\n"
	approved := "  sekretessprövad: {datum: 2025-01-14, av: reg1, jurist_konsulterad: nej, bestämmelser: {}, godkänd: {datum: 2025-01-15, av: jur1}}\n"
	base := []string{"mottagen", "kvalitetsgranskad", "logg_beställd", "bevakning"}
	_, as := transition(version(t, r, "", append(base, decision)...), version(t, r, "", append(base, approved)...), false)
	if len(as) != 1 || as[0].Step != "sekretessprövad" || as[0].Signer != "jur1" || as[0].NewStep {
		t.Errorf("approval on a committed step: %+v", as)
	}
	_, as = transition(version(t, r, "", base...), version(t, r, "", append(base, approved)...), false)
	if len(as) != 1 || !as[0].NewStep {
		t.Errorf("approval with its step: %+v", as)
	}
}
