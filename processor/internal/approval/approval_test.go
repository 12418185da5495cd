package approval

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/intake"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/testrepo"
	"utlamnande/processor/internal/validate"
	"utlamnande/processor/internal/workflow"
)

var (
	importDay  = date.New(2026, 11, 18)
	approveDay = date.New(2026, 11, 19)
	laterDay   = date.New(2026, 11, 20)
)

// The case before its decision, with comments the registrator wrote (they must survive
// every edit).
const request = `---
# Ärendet skrivs för hand; kommentarerna ska stå kvar.
ärende: 2026-0009
typ: e-postlogg
inkom_via: medarbetare
frågeställare: {namn: Åsa Frågvis}
medarbetare: {namn: Erik Exempel, brevlåda: erik.exempel@region.example}
omfattning: {mappar: [Inkorg, Skickat], från: 2026-10-01, till: 2026-10-31}
steg:
  mottagen: {datum: 2026-11-16, av: reg1} # per telefon först
  kvalitetsgranskad: {datum: 2026-11-16, av: reg1, komplettering: nej}
  logg_beställd: {datum: 2026-11-17, av: reg1, beställd_från: m365@region.example}
  bevakning: {datum: 2026-11-17, av: reg1, bevakas_till: 2026-11-19}
---
Testfall för godkännandet.
`

// decision is appended after the import's step; SIGNER is who made the decision.
const decision = `  privat_granskad: {datum: 2026-11-18, av: reg1, antal_privata: 1}
  sekretessprövad:
    datum: 2026-11-19
    av: SIGNER # registratorn som prövade
    jurist_konsulterad: ja
    bestämmelser: {"25 kap. 1 § OSL": 1}
# slut på stegen
`

const rawCSV = "Received,SenderAddress,RecipientAddress,Subject\r\n" +
	"2026-10-05T06:12:00Z,vard@region.example,erik.exempel@region.example,Ang. patient Hemlig Hemligsson remiss\r\n" +
	"2026-10-06T08:00:00Z,anna@region.example,erik.exempel@region.example,Möte om budget\r\n" +
	"2026-10-06T09:00:00Z,lisa@mail.example,erik.exempel@region.example,Middag på lördag?\r\n"

type fixture struct {
	r        *repo.Repo
	dir      string
	request  string // request.md's path
	workbook string // the review workbook in the working area
	raw      string // the raw export in the working area
}

// newCase makes a repository with one case: a raw CSV export imported into the workbook,
// one subject masked and one row marked P, and the decision made by signer.
func newCase(t *testing.T, signer string) *fixture {
	t.Helper()
	root := t.TempDir()
	must(t, testrepo.Make(root, ""))
	dir := filepath.Join(root, "cases", "2026-0009")
	f := &fixture{dir: dir, request: filepath.Join(dir, "request.md"),
		workbook: filepath.Join(dir, "arbetsyta", "e-postlogg.xlsx"),
		raw:      filepath.Join(dir, "arbetsyta", "export", "meddelandesparning.csv")}
	must(t, os.MkdirAll(filepath.Dir(f.raw), 0o755))
	must(t, os.WriteFile(f.request, []byte(request), 0o644))
	must(t, os.WriteFile(f.raw, []byte(rawCSV), 0o644))
	r, err := repo.Open(root)
	must(t, err)
	if len(r.Findings) != 0 {
		t.Fatalf("the project's settings or templates have findings: %v", r.Findings)
	}
	f.r = r
	if _, fs, err := intake.Run(r, dir, intake.Options{Signer: "reg1", Today: importDay}); err != nil {
		t.Fatalf("import: %v %v", err, fs)
	}
	f.setCells(t, map[string]string{"F2": "Ang. patient [25 kap. 1 § OSL] remiss", "G4": "P"})
	data := f.read(t)
	if !strings.Contains(data, "---\nTestfall") {
		t.Fatalf("the import changed the end of the front matter:\n%s", data)
	}
	decided := strings.Replace(data, "---\nTestfall", strings.ReplaceAll(decision, "SIGNER", signer)+"---\nTestfall", 1)
	must(t, os.WriteFile(f.request, []byte(decided), 0o644))
	return f
}

func (f *fixture) setCells(t *testing.T, cells map[string]string) {
	t.Helper()
	wb, err := excelize.OpenFile(f.workbook)
	must(t, err)
	for cell, v := range cells {
		must(t, wb.SetCellStr("Logg", cell, v))
	}
	must(t, wb.Save())
	must(t, wb.Close())
}

func (f *fixture) read(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(f.request)
	must(t, err)
	return string(data)
}

func (f *fixture) write(t *testing.T, s string) {
	t.Helper()
	must(t, os.WriteFile(f.request, []byte(s), 0o644))
}

func fileSHA(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	must(t, err)
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// errorsOf validates the case as processor validate does and returns its errors.
func (f *fixture) errorsOf(t *testing.T, today date.Date) finding.List {
	t.Helper()
	var errs finding.List
	for _, x := range validate.Case(f.r, f.dir, validate.Options{Today: today}).Findings {
		if x.Severity == finding.Error {
			errs = append(errs, x)
		}
	}
	return errs
}

func approvalLine(day date.Date, signer, wb, raw string) string {
	return "    godkänd: {datum: " + day.String() + ", av: " + signer + ", granskningsbok_sha256: " + wb + ", råexport_sha256: " + raw + "}\n"
}

func TestApproveWritesTheHashesOfTheWorkingArea(t *testing.T) {
	f := newCase(t, "reg1")
	before := f.read(t)
	wantWB, wantRaw := fileSHA(t, f.workbook), fileSHA(t, f.raw)
	if !strings.Contains(before, "sha256: "+wantRaw) {
		t.Fatalf("the import did not record the raw export's SHA-256 %s:\n%s", wantRaw, before)
	}
	res, fs, err := Approve(f.r, f.dir, Options{Signer: "jur1", Today: approveDay})
	if err != nil {
		t.Fatalf("approve: %v %v", err, fs)
	}
	if res.Step != "sekretessprövad" || res.WorkbookSHA != wantWB || res.RawSHA != wantRaw || res.Replaced || res.Unchanged {
		t.Errorf("result %+v, want step sekretessprövad, workbook %s, raw %s", res, wantWB, wantRaw)
	}
	// Exactly one line is added, after the step's last line (before the comment that
	// follows the step); every other byte stays.
	anchor := "# slut på stegen\n"
	want := strings.Replace(before, anchor, approvalLine(approveDay, "jur1", wantWB, wantRaw)+anchor, 1)
	if got := f.read(t); got != want {
		t.Errorf("request.md after the approval:\n%s\nwant:\n%s", got, want)
	}
	if errs := f.errorsOf(t, approveDay); len(errs) != 0 {
		t.Errorf("the approved case does not validate: %v", errs)
	}
}

func TestApproveRefusals(t *testing.T) {
	for _, tc := range []struct {
		name    string
		maker   string // who made the decision
		signer  string
		prepare func(t *testing.T, f *fixture)
		want    string // in the error
		// findings: refused by validation (ErrFindings, with a finding that says it)
		findings bool
	}{
		{name: "no signer", maker: "reg1", signer: "", want: "ange vem som godkänner"},
		{name: "unknown signer", maker: "reg1", signer: "okänd", want: `signaturen "okänd" finns inte`},
		{name: "registrator only", maker: "reg2", signer: "reg1", want: "har inte rollen granskare"},
		{name: "four eyes", maker: "reg2", signer: "reg2", want: "fyra ögon: reg2 har själv gjort steget sekretessprövad"},
		{name: "no raw export", maker: "reg1", signer: "jur1", want: "råexporten finns inte i arbetsytan",
			prepare: func(t *testing.T, f *fixture) { must(t, os.Remove(f.raw)) }},
		{name: "no workbook", maker: "reg1", signer: "jur1", want: "e-postlogg.xlsx finns inte i arbetsytan", findings: true,
			prepare: func(t *testing.T, f *fixture) { must(t, os.Remove(f.workbook)) }},
		{name: "after pdf_skapad", maker: "reg1", signer: "reg2", want: "steget pdf_skapad är registrerat",
			prepare: func(t *testing.T, f *fixture) {
				if _, fs, err := Approve(f.r, f.dir, Options{Signer: "jur1", Today: approveDay}); err != nil {
					t.Fatalf("approve: %v %v", err, fs)
				}
				s := f.read(t)
				f.write(t, strings.Replace(s, "# slut på stegen\n", "  pdf_skapad: {datum: 2026-11-20, av: reg1}\n# slut på stegen\n", 1))
				f.setCells(t, map[string]string{"G3": "P"}) // a change that would need a new approval
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newCase(t, tc.maker)
			if tc.prepare != nil {
				tc.prepare(t, f)
			}
			before := f.read(t)
			res, fs, err := Approve(f.r, f.dir, Options{Signer: tc.signer, Today: laterDay})
			if tc.findings {
				if !errors.Is(err, ErrFindings) || !hasMessage(fs, tc.want) {
					t.Fatalf("got %+v %v %v, want ErrFindings with %q", res, fs, err, tc.want)
				}
			} else if err == nil || !strings.Contains(err.Error(), tc.want) || errors.Is(err, ErrFindings) {
				t.Fatalf("got %+v %v %v, want an error with %q", res, fs, err, tc.want)
			}
			if f.read(t) != before {
				t.Error("request.md was written although the approval was refused")
			}
		})
	}
}

func TestApproveRefusesACaseWithErrors(t *testing.T) {
	f := newCase(t, "reg1")
	// One row is marked P in the workbook; the step says two.
	f.write(t, strings.Replace(f.read(t), "antal_privata: 1", "antal_privata: 2", 1))
	before := f.read(t)
	res, fs, err := Approve(f.r, f.dir, Options{Signer: "jur1", Today: approveDay})
	if !errors.Is(err, ErrFindings) || res != nil {
		t.Fatalf("got %+v %v, want ErrFindings", res, err)
	}
	if len(fs) == 0 {
		t.Fatal("ErrFindings without the findings")
	}
	var privateCount bool
	for _, x := range fs {
		if x.Severity != finding.Error || workflow.CuredByApproval(x.Rule) {
			t.Errorf("returned a finding that does not block the approval: %s", x)
		}
		if strings.Contains(x.String(), "antal_privata") {
			privateCount = true
		}
	}
	if !privateCount {
		t.Errorf("no finding about antal_privata: %v", fs)
	}
	if f.read(t) != before {
		t.Error("request.md was written although the case has errors")
	}
}

func TestApproveSameVersionTwiceIsUnchanged(t *testing.T) {
	f := newCase(t, "reg1")
	first, fs, err := Approve(f.r, f.dir, Options{Signer: "jur1", Today: approveDay})
	if err != nil {
		t.Fatalf("approve: %v %v", err, fs)
	}
	approved := f.read(t)
	again, fs, err := Approve(f.r, f.dir, Options{Signer: "jur1", Today: laterDay})
	if err != nil {
		t.Fatalf("second approval: %v %v", err, fs)
	}
	if !again.Unchanged || again.Replaced || again.WorkbookSHA != first.WorkbookSHA || again.RawSHA != first.RawSHA {
		t.Errorf("second approval of the same version: %+v (first %+v)", again, first)
	}
	if got := f.read(t); got != approved {
		t.Errorf("the second approval of the same version wrote request.md:\n%s", got)
	}
}

func TestApproveNewVersionReplacesWithCorrection(t *testing.T) {
	f := newCase(t, "reg1")
	if _, fs, err := Approve(f.r, f.dir, Options{Signer: "jur1", Today: approveDay}); err != nil {
		t.Fatalf("approve: %v %v", err, fs)
	}
	firstWB, raw := fileSHA(t, f.workbook), fileSHA(t, f.raw)
	approved := f.read(t)

	// The registrator marks one more row P (and counts it): the approval is stale.
	f.setCells(t, map[string]string{"G3": "P"})
	changed := strings.Replace(approved, "antal_privata: 1", "antal_privata: 2", 1)
	f.write(t, changed)
	secondWB := fileSHA(t, f.workbook)
	if secondWB == firstWB {
		t.Fatal("the workbook's bytes did not change")
	}
	if errs := f.errorsOf(t, laterDay); len(errs) == 0 {
		t.Fatal("a stale approval is not reported")
	}
	res, fs, err := Approve(f.r, f.dir, Options{Signer: "jur1", Today: laterDay})
	if err != nil {
		t.Fatalf("approval of the new version: %v %v", err, fs)
	}
	if !res.Replaced || res.Unchanged || res.WorkbookSHA != secondWB || res.RawSHA != raw {
		t.Errorf("result %+v, want replaced with workbook %s raw %s", res, secondWB, raw)
	}
	correction := func(day date.Date, sha string) string {
		return `  - {steg: sekretessprövad, datum: ` + day.String() + `, av: jur1, skäl: "ny version av e-postlogg.xlsx godkänd (SHA-256 ` + sha[:12] + `…)"}` + "\n"
	}
	want := strings.Replace(changed, approvalLine(approveDay, "jur1", firstWB, raw), approvalLine(laterDay, "jur1", secondWB, raw), 1)
	want = strings.Replace(want, "---\nTestfall", "rättelser:\n"+correction(laterDay, secondWB)+"---\nTestfall", 1)
	if got := f.read(t); got != want {
		t.Errorf("request.md after the new approval:\n%s\nwant:\n%s", got, want)
	}
	if n := strings.Count(f.read(t), "godkänd:"); n != 1 {
		t.Errorf("%d approvals in the step, want the one replaced", n)
	}
	if errs := f.errorsOf(t, laterDay); len(errs) != 0 {
		t.Errorf("the case does not validate after the new approval: %v", errs)
	}

	// A third version: the correction is appended to the existing rättelser:.
	f.setCells(t, map[string]string{"G3": ""})
	third := strings.Replace(f.read(t), "antal_privata: 2", "antal_privata: 1", 1)
	f.write(t, third)
	thirdWB := fileSHA(t, f.workbook)
	laterStill := date.New(2026, 11, 21)
	res, fs, err = Approve(f.r, f.dir, Options{Signer: "jur1", Today: laterStill})
	if err != nil {
		t.Fatalf("approval of the third version: %v %v", err, fs)
	}
	if !res.Replaced || res.WorkbookSHA != thirdWB {
		t.Errorf("third approval: %+v, want replaced with %s", res, thirdWB)
	}
	want = strings.Replace(third, approvalLine(laterDay, "jur1", secondWB, raw), approvalLine(laterStill, "jur1", thirdWB, raw), 1)
	want = strings.Replace(want, correction(laterDay, secondWB), correction(laterDay, secondWB)+correction(laterStill, thirdWB), 1)
	if got := f.read(t); got != want {
		t.Errorf("request.md after the third approval:\n%s\nwant:\n%s", got, want)
	}
	if n := strings.Count(f.read(t), "rättelser:"); n != 1 {
		t.Errorf("%d rättelser: keys, want 1", n)
	}
}

func hasMessage(fs finding.List, s string) bool {
	for _, f := range fs {
		if strings.Contains(f.Message, s) {
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
