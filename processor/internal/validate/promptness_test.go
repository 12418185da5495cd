package validate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/finding"
)

// promptCase is a log request received on received and, when released is given, released
// then; note adds the record that the requester was told of the delay.
func promptCase(received, released string, note bool) string {
	s := `---
ärende: 2026-0500
typ: e-postlogg
inkom_via: medarbetare
medarbetare:
  namn: Erik Exempel
  brevlåda: erik.exempel@region.example
omfattning:
  mappar: [Inkorg, Skickat]
`
	if note {
		s += "dröjsmål:\n  underrättad: " + received + "\n  skäl: Omfattande sekretessprövning.\n"
	}
	s += "steg:\n  mottagen:\n    datum: " + received + "\n    av: reg1\n"
	if released != "" {
		// Only the promptness rule is under test: the steps between are not written, so
		// steg-överhoppat and the missing fields are expected too and filtered out below.
		s += "  utlämnad:\n    datum: " + released + "\n    av: reg1\n    sätt: e-post\n"
	}
	return s + "---\n"
}

func promptFindings(t *testing.T, text string, today date.Date) finding.List {
	t.Helper()
	r := newTestRepo(t, "")
	dir := filepath.Join(r.Root, "cases", "2026-0500")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "request.md"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	res := Cases(r, []string{dir}, Options{Today: today, FrontMatterOnly: true})
	var out finding.List
	for _, f := range res.Findings {
		if f.Rule == "skyndsamhet" {
			out = append(out, f)
		}
	}
	return out
}

// Handling time is counted in Swedish working days with the real calendar: 24–27 December
// 2026 (julafton, juldagen, annandag jul, a Sunday) are not working days.
func TestPromptnessCountsSwedishWorkingDays(t *testing.T) {
	today := date.New(2027, 1, 20)
	// 2026-12-23 → 2026-12-28: one working day (the 28th); target 3: nothing to say.
	if fs := promptFindings(t, promptCase("2026-12-23", "2026-12-28", false), today); len(fs) != 0 {
		t.Errorf("1 working day waited must pass: %v", fs)
	}
	// 2026-12-23 → 2027-01-04: 28, 29, 30 December, 4 January (31 Dec nyårsafton, 1 Jan
	// nyårsdagen are not): 4 working days, over the target of 3, under the delay limit 5.
	fs := promptFindings(t, promptCase("2026-12-23", "2027-01-04", false), today)
	if len(fs) != 1 || fs[0].Severity != finding.Warning || !strings.Contains(fs[0].Message, "4 arbetsdagar") {
		t.Errorf("want one warning for 4 working days, got %v", fs)
	}
	// 2026-12-23 → 2027-01-05: 5 working days: the delay note is required.
	fs = promptFindings(t, promptCase("2026-12-23", "2027-01-05", false), today)
	if len(fs) != 1 || fs[0].Severity != finding.Error || !strings.Contains(fs[0].Message, "5 arbetsdagar") || !strings.Contains(fs[0].Hint, "dröjsmål:") {
		t.Errorf("want an error asking for the delay note at 5 working days, got %v", fs)
	}
	// With the note, a warning remains.
	fs = promptFindings(t, promptCase("2026-12-23", "2027-01-05", true), today)
	if len(fs) != 1 || fs[0].Severity != finding.Warning {
		t.Errorf("with the delay note: want one warning, got %v", fs)
	}
	// 6 January (trettondedag jul) is not a working day: to 7 January is 6, not 7.
	fs = promptFindings(t, promptCase("2026-12-23", "2027-01-07", true), today)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "6 arbetsdagar") {
		t.Errorf("want 6 working days to 7 January, got %v", fs)
	}
	// An open case counts to today.
	fs = promptFindings(t, promptCase("2027-01-11", "", false), date.New(2027, 1, 13))
	if len(fs) != 0 {
		t.Errorf("2 working days open: no finding, got %v", fs)
	}
	fs = promptFindings(t, promptCase("2027-01-11", "", false), date.New(2027, 1, 18))
	if len(fs) != 1 || fs[0].Severity != finding.Warning || !strings.Contains(fs[0].Message, "till i dag") || !strings.Contains(fs[0].Hint, "dröjsmål:") {
		t.Errorf("5 working days open without a note: want a warning asking for the note, got %v", fs)
	}
}
