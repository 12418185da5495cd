package decision

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/render"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/testrepo"
	"utlamnande/processor/internal/workflow"
)

var today = date.New(2026, 12, 31)

// Steps after the release of the demo case 2026-0001 (released 2026-11-20): a written
// decision requested, taken by bes1 and sent; an appeal on day 22 after receipt, dismissed.
const (
	decided = `  skriftligt_beslut_begärt:
    datum: 2026-11-23
    av: reg1
    gäller: maskningarna i loggen
  beslut_fattat:
    datum: 2026-11-24
    av: bes1
    skäl: Uppgifterna rör enskildas hälsa, och det kan antas att de lider men om de röjs.
`
	sent = `  beslut_skickat:
    datum: 2026-11-24
    av: reg1
    sätt: e-post
`
	dismissed = `  överklagande_mottaget:
    datum: 2026-12-16
    av: reg1
  rättidsprövad:
    datum: 2026-12-16
    av: reg1
    beslutet_mottaget: 2026-11-24
    i_tid: nej
  överklagande_avvisat:
    datum: 2026-12-17
    av: bes1
`
)

// demoCase is a repository with the demo case 2026-0001 (released, with its workbook in
// utlamnande/) and steps added after its release, with old replaced by new in them.
func demoCase(t *testing.T, steps, old, new string) (*repo.Repo, string) {
	t.Helper()
	root := t.TempDir()
	if err := testrepo.Make(root, ""); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(testrepo.Root(), "cases", "2026-0001")
	dir := filepath.Join(root, "cases", "2026-0001")
	for _, f := range []string{"request.md", "utlamnande"} {
		if err := testrepo.CopyTree(filepath.Join(src, f), filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	req := filepath.Join(dir, "request.md")
	data, err := os.ReadFile(req)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), "    information_om_skriftligt_beslut: ja\n---\n", "    information_om_skriftligt_beslut: ja\n"+strings.Replace(steps, old, new, 1)+"---\n", 1)
	if err := os.WriteFile(req, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := repo.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	return r, dir
}

func opts() Options { return Options{Today: today, Version: "test"} }

func TestDecisionWithAppealInformation(t *testing.T) {
	r, dir := demoCase(t, decided, "", "")
	res, fs, err := Build(r, dir, opts())
	if err != nil || len(fs) > 0 {
		t.Fatalf("Build: %v %v", err, fs)
	}
	if len(res) != 1 || !res[0].Built || res[0].Path != "cases/2026-0001/utlamnande/2026-0001-beslut.pdf" {
		t.Fatalf("results: %+v", res)
	}
	path := filepath.Join(r.Root, res[0].Path)
	first, _ := os.ReadFile(path)

	// Deterministic: built again in another repository, the same bytes.
	r2, dir2 := demoCase(t, decided, "", "")
	if _, _, err := Build(r2, dir2, opts()); err != nil {
		t.Fatal(err)
	}
	again, _ := os.ReadFile(filepath.Join(dir2, "utlamnande", "2026-0001-beslut.pdf"))
	if string(first) != string(again) {
		t.Error("the same case gave another PDF")
	}
	// Current: nothing to say; a second build writes nothing.
	if fs := Current(r, dir, CheckOptions{Options: opts()}); len(fs) > 0 {
		t.Errorf("a current decision has findings: %v", fs)
	}
	if res, _, _ := Build(r, dir, opts()); len(res) != 1 || res[0].Built {
		t.Errorf("a current decision was written again: %+v", res)
	}

	// Independent readers: the text the law requires, the font embedded, the file sound.
	text := testrepo.PDFTool(t, "pdftotext", []string{"-layout", "PDF", "-"}, path)
	if text != "" {
		flat := strings.Join(strings.Fields(text), " ")
		for _, want := range []string{
			"Region Exempel avslår din begäran", // the decision (FL 32 §)
			"25 kap. 1 § OSL",                   // each provision with its heading
			"Hälso- och sjukvård",
			"lider men om de röjs",                 // the decision maker's own reasons
			"skriva till Kammarrätten i Stockholm", // the court from the settings (FL 33 §)
			"inte direkt till kammarrätten",        // sent to the authority (FL 44 §)
			"inom tre veckor från den dag då du fick del av beslutet",
			"nästa vardag",                                             // lag (1930:173)
			"vilket beslut du överklagar", "vilken ändring du vill ha", // FL 43 §
			"Du behöver inte uppge vem du är",                                // 2 kap. 18 § TF
			"Bengt Beslutsfattare", "Chef för Centrala diariet", "punkt 1.4", // FL 31 §, delegation
			"Ärende 2026-0001 · Sida 1 av",
		} {
			if !strings.Contains(flat, want) {
				t.Errorf("the decision lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(flat, "e-mail") {
			t.Error("a text to the public says e-mail")
		}
	}
	if out := testrepo.PDFTool(t, "qpdf", []string{"--check", "PDF"}, path); out != "" && !strings.Contains(out, "No syntax or stream encoding errors") {
		t.Errorf("qpdf --check:\n%s", out)
	}
	if out := testrepo.PDFTool(t, "pdffonts", []string{"PDF"}, path); out != "" {
		lines := strings.Split(strings.TrimSpace(out), "\n")
		for _, l := range lines[2:] {
			if f := strings.Fields(l); len(f) < 7 || f[len(f)-5] != "yes" {
				t.Errorf("font not embedded: %s", l)
			}
		}
	}

	// The case changes after the decision was written: the PDF is stale.
	req := filepath.Join(dir, "request.md")
	data, _ := os.ReadFile(req)
	os.WriteFile(req, []byte(strings.Replace(string(data), "lider men", "lider betydande men", 1)), 0o644)
	if fs := Current(r, dir, CheckOptions{Options: opts()}); len(fs) != 1 || fs[0].Rule != Rule {
		t.Errorf("a stale decision: %v", fs)
	}
	// Unless it was settled (sent) before the change checked.
	if fs := Current(r, dir, CheckOptions{Options: opts(), Settled: func(*workflow.DecisionDoc) bool { return true }}); len(fs) > 0 {
		t.Errorf("a settled decision is not rendered again: %v", fs)
	}
	os.Remove(path)
	if fs := Current(r, dir, CheckOptions{Options: opts()}); len(fs) != 1 || !strings.Contains(fs[0].Message, "saknas") {
		t.Errorf("a missing decision: %v", fs)
	}
}

func TestDismissalOfALateAppeal(t *testing.T) {
	r, dir := demoCase(t, decided+sent+dismissed, "", "")
	res, fs, err := Build(r, dir, opts())
	if err != nil || len(fs) > 0 {
		t.Fatalf("Build: %v %v", err, fs)
	}
	// The decision was sent (beslut_skickat): it is left as it is; the dismissal is written.
	if len(res) != 2 || !res[0].Frozen || res[0].Built || !res[1].Built || !strings.HasSuffix(res[1].Path, "2026-0001-avvisning.pdf") {
		t.Fatalf("results: %+v", res)
	}
	text := testrepo.PDFTool(t, "pdftotext", []string{"PDF", "-"}, filepath.Join(r.Root, res[1].Path))
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{"avvisar ditt överklagande av beslutet den 2026-11-24", "fick del av beslutet den 2026-11-24",
		"gick ut den 2026-12-15", "kom in den 2026-12-16", "skriva till Kammarrätten i Stockholm", "Bengt Beslutsfattare"} {
		if text != "" && !strings.Contains(flat, want) {
			t.Errorf("the dismissal lacks %q:\n%s", want, text)
		}
	}
}

// A decision signed by someone without the role is not written: the case has an error.
func TestNoDecisionWithoutTheRole(t *testing.T) {
	r, dir := demoCase(t, decided, "av: bes1", "av: reg1")
	_, fs, err := Build(r, dir, opts())
	if !errors.Is(err, ErrNotReady) || len(fs) == 0 || fs[0].Rule != "signatur" {
		t.Fatalf("want the role error, got %v %v", err, fs)
	}
	if _, err := os.Stat(filepath.Join(dir, "utlamnande", "2026-0001-beslut.pdf")); err == nil {
		t.Error("a decision was written for a signer without the role")
	}
}

// Every shipped decision template fills in on sample data.
func TestShippedDecisionTemplates(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(testrepo.Root(), "templates", "*", "*.md"))
	n := 0
	for _, p := range paths {
		if b := filepath.Base(p); b != "beslut.md" && b != "avvisning.md" {
			continue
		}
		n++
		data, _ := os.ReadFile(p)
		if err := render.CheckDecision(string(data)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	if n != 4 {
		t.Errorf("want beslut.md and avvisning.md in both types, found %d", n)
	}
}
