package disclose

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"utlamnande/processor/internal/approval"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/intake"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/testrepo"
)

var today = date.New(2026, 11, 22)

// Markers: the secret ones must never reach the PDF; the visible one must (so the search
// itself is shown to work).
const (
	secretMasked  = "KANARIEMASKAD"
	secretHidden  = "KANARIEDOLDRAD"
	secretComment = "KANARIEKOMMENTAR"
	visible       = "SYNLIGMARKOR"
)

// canaryCase makes a repository with one case: a raw Excel export with the markers in a
// subject that gets masked, in a hidden row (masked as a whole), and in a comment; it is
// imported, masked and decided like a registrator would.
func canaryCase(t *testing.T) (*repo.Repo, string) {
	t.Helper()
	root := t.TempDir()
	must(t, testrepo.Make(root, ""))
	dir := filepath.Join(root, "cases", "2026-0007")
	exportDir := filepath.Join(dir, "arbetsyta", "export")
	must(t, os.MkdirAll(exportDir, 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "request.md"), []byte(canaryRequest), 0o644))

	raw := excelize.NewFile()
	rows := [][]any{
		{"Received", "SenderAddress", "RecipientAddress", "Subject", "FromIP"},
		{"2026-10-05T06:12:00Z", "vard@region.example", "erik.exempel@region.example", "Ang. patient " + secretMasked + " remiss", "10.0.0.1"},
		{"2026-10-05T07:12:00Z", "hr@region.example", "erik.exempel@region.example", secretHidden + " sjukskrivning", "10.0.0.2"},
		{"2026-10-06T08:00:00Z", "anna@region.example", "erik.exempel@region.example", "Möte om " + visible, "10.0.0.3"},
		{"2026-10-06T09:00:00Z", "lisa@mail.example", "erik.exempel@region.example", "Middag på lördag?", "10.0.0.4"},
		{"2026-10-07T09:00:00Z", "vard@region.example", "erik.exempel@region.example", "Vidarebefordrat: " + secretMasked, "10.0.0.5"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		must(t, raw.SetSheetRow("Sheet1", cell, &r))
	}
	must(t, raw.SetRowVisible("Sheet1", 3, false))
	must(t, raw.AddComment("Sheet1", excelize.Comment{Cell: "D2", Author: "M365", Text: secretComment}))
	must(t, raw.SaveAs(filepath.Join(exportDir, "export.xlsx")))

	r, err := repo.Open(root)
	must(t, err)
	if _, fs, err := intake.Run(r, dir, intake.Options{Signer: "reg1", Today: date.New(2026, 11, 18)}); err != nil {
		t.Fatalf("import: %v %v", err, fs)
	}
	wb, err := excelize.OpenFile(filepath.Join(dir, "arbetsyta", "e-postlogg.xlsx"))
	must(t, err)
	must(t, wb.SetCellStr("Logg", "F2", "Ang. patient [25 kap. 1 § OSL] remiss"))
	must(t, wb.SetCellStr("Logg", "F3", "[39 kap. 2 § OSL] sjukskrivning"))
	must(t, wb.SetCellStr("Logg", "G5", "P"))
	must(t, wb.SetCellStr("Logg", "F6", "Vidarebefordrat: [25 kap. 1 § OSL]"))
	must(t, wb.Save())
	must(t, wb.Close())
	data, err := os.ReadFile(filepath.Join(dir, "request.md"))
	must(t, err)
	decided := strings.Replace(string(data), "---\nTestfall", canaryDecision+"---\nTestfall", 1)
	must(t, os.WriteFile(filepath.Join(dir, "request.md"), []byte(decided), 0o644))
	// The reviewer approves this version, as processor godkänn does.
	if _, fs, err := approval.Approve(r, dir, approval.Options{Signer: "jur1", Today: date.New(2026, 11, 19)}); err != nil {
		t.Fatalf("approval: %v %v", err, fs)
	}
	return r, dir
}

const canaryRequest = `---
ärende: 2026-0007
typ: e-postlogg
inkom_via: medarbetare
frågeställare: {namn: Åsa Frågvis}
medarbetare: {namn: Erik Exempel, brevlåda: erik.exempel@region.example}
omfattning: {mappar: [Inkorg, Skickat], från: 2026-10-01, till: 2026-10-31}
steg:
  mottagen: {datum: 2026-11-16, av: reg1}
  kvalitetsgranskad: {datum: 2026-11-16, av: reg1, komplettering: nej}
  logg_beställd: {datum: 2026-11-17, av: reg1, beställd_från: m365@region.example}
  bevakning: {datum: 2026-11-17, av: reg1, bevakas_till: 2026-11-19}
---
Testfall.
`

const canaryDecision = `  privat_granskad: {datum: 2026-11-18, av: reg1, antal_privata: 1}
  sekretessprövad:
    datum: 2026-11-19
    av: reg1
    jurist_konsulterad: ja
    bestämmelser: {"25 kap. 1 § OSL": 2, "39 kap. 2 § OSL": 1}
`

func build(t *testing.T, r *repo.Repo, dir string, force bool) (*Result, []byte) {
	t.Helper()
	res, fs, err := Build(r, dir, Options{Today: today, Version: "test", Force: force})
	if err != nil {
		t.Fatalf("build: %v %v", err, fs)
	}
	pdf, err := os.ReadFile(filepath.Join(r.Root, filepath.FromSlash(res.PDF)))
	must(t, err)
	return res, pdf
}

func TestCanariesNeverReachThePDF(t *testing.T) {
	r, dir := canaryCase(t)
	res, pdf := build(t, r, dir, false)
	if !res.Built || !res.RawChecked || res.Rows != 5 || res.Masks != 3 {
		t.Fatalf("result: %+v", res)
	}
	secrets := []string{secretMasked, secretHidden, secretComment}
	// The bytes as written (compressed streams, glyph ids) …
	for _, s := range secrets {
		if bytes.Contains(pdf, []byte(s)) {
			t.Errorf("%s in the PDF bytes", s)
		}
	}
	// … the text an independent reader extracts, the metadata, and every stream decompressed.
	tools := map[string][]string{
		"pdftotext": {"-layout", "PDF", "-"},
		"pdfinfo":   {"PDF"},
		"qpdf":      {"--qdf", "--object-streams=disable", "PDF", "-"},
	}
	path := filepath.Join(r.Root, filepath.FromSlash(res.PDF))
	for tool, args := range tools {
		out := runTool(t, tool, args, path)
		if out == "" {
			continue
		}
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s: %s found", tool, s)
			}
		}
		if tool == "pdftotext" {
			for _, want := range []string{visible, "25 kap. 1 § OSL", "39 kap. 2 § OSL", "Åsa Frågvis", "Middag på lördag?",
				"Sida 1 av", "Ärende 2026-0007", "Kammarrätten i Stockholm", "Sammanställning av maskningar"} {
				if !strings.Contains(out, want) {
					t.Errorf("pdftotext output lacks %q", want)
				}
			}
		}
	}
}

// runTool runs an independent PDF reader (see testrepo.PDFTool).
func runTool(t *testing.T, tool string, args []string, pdf string) string {
	t.Helper()
	return testrepo.PDFTool(t, tool, args, pdf)
}

func TestCrossCheckWithIndependentReaders(t *testing.T) {
	r, dir := canaryCase(t)
	res, _ := build(t, r, dir, false)
	path := filepath.Join(r.Root, filepath.FromSlash(res.PDF))
	if out := runTool(t, "qpdf", []string{"--check", "PDF"}, path); out != "" && !strings.Contains(out, "No syntax or stream encoding errors") {
		t.Errorf("qpdf --check:\n%s", out)
	}
	if out := runTool(t, "pdffonts", []string{"PDF"}, path); out != "" {
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) < 3 {
			t.Fatalf("pdffonts lists no font:\n%s", out)
		}
		for _, l := range lines[2:] {
			if f := strings.Fields(l); len(f) < 7 || f[len(f)-5] != "yes" {
				t.Errorf("font not embedded: %s", l)
			}
		}
	}
	// The letter as a lawyer reads it: a P row is not released, only the authority's own
	// decision can be appealed (6 kap. 3 § andra stycket OSL), "e-post", never "e-mail".
	if out := runTool(t, "pdftotext", []string{"PDF", "-"}, path); out != "" {
		text := strings.Join(strings.Fields(out), " ")
		for _, want := range []string{"Ett e-postmeddelande är markerat med P.", "därför inte en allmän handling; det lämnas inte ut.",
			"Loggen är ändå allmän handling i sin helhet", "kan du begära att frågan prövas av myndigheten",
			"Det är bara myndighetens eget beslut som kan överklagas (6 kap. 3 § andra stycket offentlighets- och sekretesslagen).",
			// The official who made the assessment (the signer of sekretessprövad), from the settings.
			"Har du frågor om utlämnandet kan du kontakta Rita Registrator, Registrator, Centrala diariet, rita.registrator@region.example."} {
			if !strings.Contains(text, want) {
				t.Errorf("the letter lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(strings.ToLower(text), "e-mail") {
			t.Errorf("the letter says e-mail:\n%s", text)
		}
	}
	if out := runTool(t, "pdfinfo", []string{"PDF"}, path); out != "" {
		for _, want := range []string{"Title:           Utlämnande av e-postlogg, ärende 2026-0007", "Producer:        processor test",
			"Pages:           2"} {
			if !strings.Contains(out, want) {
				t.Errorf("pdfinfo lacks %q:\n%s", want, out)
			}
		}
		for _, banned := range []string{"root", os.Getenv("USER"), os.Getenv("HOSTNAME")} {
			if banned != "" && strings.Contains(out, banned) {
				t.Errorf("pdfinfo shows a user or machine name %q", banned)
			}
		}
	}
}

func TestDeterministicAndNoRebuild(t *testing.T) {
	r, dir := canaryCase(t)
	_, first := build(t, r, dir, false)
	res, same := build(t, r, dir, false)
	if res.Built {
		t.Error("nothing changed, but the PDF was rebuilt")
	}
	res, again := build(t, r, dir, true)
	if !res.Built || !bytes.Equal(first, again) || !bytes.Equal(first, same) {
		t.Error("building twice gave different bytes")
	}
	m, err := ReadManifest(filepath.Join(r.Root, filepath.FromSlash(res.Manifest)))
	must(t, err)
	if m.Outputs[PDFName("2026-0007")] != sum(first) || m.Inputs["beslut"] == "" || m.Inputs["granskningsbok"] == "" || m.Pages != 2 {
		t.Errorf("manifest: %+v", m)
	}
	// The approved workbook is released beside the PDF, byte for byte, and the manifest
	// names it.
	work, err := os.ReadFile(filepath.Join(dir, "arbetsyta", "e-postlogg.xlsx"))
	must(t, err)
	released, err := os.ReadFile(filepath.Join(dir, Folder, "e-postlogg.xlsx"))
	must(t, err)
	if !bytes.Equal(work, released) || m.Inputs["granskningsbok"] != sum(work) {
		t.Errorf("the released workbook is not the approved one (manifest %s, approved %s)", m.Inputs["granskningsbok"], sum(work))
	}
	// A change in what the PDF shows rebuilds it.
	wb, err := excelize.OpenFile(filepath.Join(dir, "arbetsyta", "e-postlogg.xlsx"))
	must(t, err)
	must(t, wb.SetCellStr("Logg", "G4", "P"))
	must(t, wb.Save())
	data, _ := os.ReadFile(filepath.Join(dir, "request.md"))
	must(t, os.WriteFile(filepath.Join(dir, "request.md"), bytes.Replace(data, []byte("antal_privata: 1"), []byte("antal_privata: 2"), 1), 0o644))
	if _, fs, err := Build(r, dir, Options{Today: today, Version: "test"}); err == nil || !hasRule(fs, "godkännande-inaktuellt") {
		t.Fatalf("a workbook changed after the approval was built: %v %v", err, fs)
	}
	if _, fs, err := approval.Approve(r, dir, approval.Options{Signer: "jur1", Today: date.New(2026, 11, 20)}); err != nil {
		t.Fatalf("approval of the new version: %v %v", err, fs)
	}
	res, changed := build(t, r, dir, false)
	if !res.Built || bytes.Equal(changed, first) {
		t.Error("a changed workbook did not rebuild the PDF")
	}
}

func TestFailedBuildKeepsThePreviousPDF(t *testing.T) {
	r, dir := canaryCase(t)
	res, before := build(t, r, dir, false)
	// Unmask the secret in one of its two rows (and count one mask less): the text masked in
	// the other row would reach the PDF. Validation finds it at its cell, naming the cell
	// that masks it and never the text, and the build refuses.
	wb, err := excelize.OpenFile(filepath.Join(dir, "arbetsyta", "e-postlogg.xlsx"))
	must(t, err)
	must(t, wb.SetCellStr("Logg", "F6", "Vidarebefordrat: "+secretMasked))
	must(t, wb.Save())
	data, _ := os.ReadFile(filepath.Join(dir, "request.md"))
	must(t, os.WriteFile(filepath.Join(dir, "request.md"), bytes.Replace(data, []byte(`"25 kap. 1 § OSL": 2`), []byte(`"25 kap. 1 § OSL": 1`), 1), 0o644))
	_, fs, err := Build(r, dir, Options{Today: today, Version: "test", Force: true})
	if err == nil {
		t.Fatal("a workbook with the secret unmasked in one row was built")
	}
	var leak bool
	for _, f := range fs {
		if strings.Contains(f.String(), secretMasked) {
			t.Errorf("a finding names the secret: %s", f)
		}
		if f.Rule == "maskning-ofullständig" && f.File == "cases/2026-0007/arbetsyta/e-postlogg.xlsx" && f.Cell == "Logg!F6" && strings.Contains(f.Message+f.Hint, "Logg!F2") {
			leak = true
		}
	}
	if !leak {
		t.Errorf("no leak finding at Logg!F6 naming Logg!F2: %v", fs)
	}
	after, _ := os.ReadFile(filepath.Join(r.Root, filepath.FromSlash(res.PDF)))
	if !bytes.Equal(before, after) {
		t.Error("the previous PDF was not kept")
	}
	entries, _ := os.ReadDir(filepath.Join(dir, Folder))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

func TestSelfCheckFindsMaskedTextAnywhere(t *testing.T) {
	r, dir := canaryCase(t)
	res, pdf := build(t, r, dir, false)
	_ = res
	written := []string{"Möte om något", "Ang. patient " + secretMasked}
	if err := SelfCheck(pdf, written, [][]string{{secretMasked}}); err == nil || strings.Contains(err.Error(), secretMasked) {
		t.Errorf("self-check must refuse, without naming the secret: %v", err)
	}
	if err := SelfCheck(pdf, written[:1], [][]string{{secretMasked}}); err != nil {
		t.Errorf("self-check refused a clean PDF: %v", err)
	}
	if err := SelfCheck([]byte("%PDF-1.7\nnot a pdf"), nil, nil); err == nil {
		t.Error("pdfcpu validation did not reject a broken PDF")
	}
}

func hasRule(fs finding.List, rule string) bool {
	for _, f := range fs {
		if f.Rule == rule {
			return true
		}
	}
	return false
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestCurrentAcrossVersions: a PDF built by an earlier version of the processor is current in
// history (verify) as long as its inputs are, although the model names its producer; with the
// same version it is rebuilt byte for byte; a changed input is stale under either.
func TestCurrentAcrossVersions(t *testing.T) {
	r, dir := canaryCase(t)
	if _, fs, err := Build(r, dir, Options{Today: today, Version: "0.1.0"}); err != nil {
		t.Fatalf("build: %v %v", err, fs)
	}
	if fs, _ := Current(r, dir, true, CheckOptions{Options: Options{Today: today, Version: "0.2.0"}, History: true}); len(fs) > 0 {
		t.Errorf("a PDF of an earlier version with unchanged inputs: %v", fs)
	}
	if fs, rebuilt := Current(r, dir, true, CheckOptions{Options: Options{Today: today, Version: "0.1.0"}, History: true, Rebuild: true}); len(fs) > 0 || !rebuilt {
		t.Errorf("the same version: %v (rebuilt %v)", fs, rebuilt)
	}
	data, _ := os.ReadFile(filepath.Join(r.Root, "templates", "e-postlogg", "brev.md"))
	must(t, os.WriteFile(filepath.Join(r.Root, "templates", "e-postlogg", "brev.md"), append(data, []byte("\nP.S.\n")...), 0o644))
	if fs, _ := Current(r, dir, true, CheckOptions{Options: Options{Today: today, Version: "0.2.0"}, History: true}); !hasRule(fs, RuleStale) {
		t.Errorf("a changed letter template was not stale: %v", fs)
	}
}
