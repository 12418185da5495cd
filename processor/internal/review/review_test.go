package review

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"utlamnande/processor/internal/casegen"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/provision"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/testrepo"
	"utlamnande/processor/internal/validate"
	"utlamnande/processor/internal/workbook"
)

var today = date.New(2026, 11, 22)

// newRepo makes a repository with the project's settings and templates and an empty cases/.
func newRepo(t *testing.T) (*repo.Repo, string) {
	t.Helper()
	root := filepath.Join(t.TempDir(), "repo")
	if err := testrepo.Make(root, ""); err != nil {
		t.Fatal(err)
	}
	cases := filepath.Join(root, repo.CasesDir)
	if err := os.MkdirAll(cases, 0o755); err != nil {
		t.Fatal(err)
	}
	r, err := repo.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	return r, cases
}

func genCase(t *testing.T, c casegen.Case) (*repo.Repo, string) {
	t.Helper()
	r, cases := newRepo(t)
	dir, err := c.Write(cases, r.Types["e-postlogg"].Workbook)
	if err != nil {
		t.Fatal(err)
	}
	return r, dir
}

func build(t *testing.T, r *repo.Repo, dir string) *Report {
	t.Helper()
	rep, err := Build(r, validate.Case(r, dir, validate.Options{Today: today}), Options{Today: today, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func htmlOf(t *testing.T, rep *Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := rep.HTML(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestReportListsEveryMaskAndPrivateRow(t *testing.T) {
	r, dir := genCase(t, casegen.Case{ID: "2026-0001", Rows: 30})
	checked := validate.Case(r, dir, validate.Options{Today: today})
	if checked.Findings.HasErrors() {
		t.Fatalf("the generated case has errors: %v", checked.Findings)
	}
	facts := checked.Evidence.Facts
	rep, err := Build(r, checked, Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range facts.Provisions {
		total += n
	}
	if total == 0 || len(rep.Masked) != total || rep.Masks != total {
		t.Errorf("masked cells %d, masks %d; the workbook's provisions count %d", len(rep.Masked), rep.Masks, total)
	}
	if len(rep.Private) != facts.Private || facts.Private == 0 {
		t.Errorf("P rows %d, facts say %d", len(rep.Private), facts.Private)
	}
	if rep.Approval.WorkbookSHA256 != facts.WorkbookSHA256 || rep.Approval.RawSHA256 != facts.RawSHA256 || facts.RawSHA256 == "" || facts.WorkbookSHA256 == "" {
		t.Errorf("hashes %s/%s, facts %s/%s", rep.Approval.WorkbookSHA256, rep.Approval.RawSHA256, facts.WorkbookSHA256, facts.RawSHA256)
	}
	// casegen's case is approved for exactly these files.
	if rep.Status != StatusApproved || rep.Approvable || rep.Approval.Existing == nil || !rep.Approval.Existing.Current {
		t.Errorf("status %q, approvable %v, existing %+v", rep.Status, rep.Approvable, rep.Approval.Existing)
	}
	wantLine := fmt.Sprintf("godkänd: {datum: 2026-11-22, av: SIGNATUR, granskningsbok_sha256: %s, råexport_sha256: %s}", facts.WorkbookSHA256, facts.RawSHA256)
	if rep.Approval.Line != wantLine || rep.Approval.Command != "processor godkänn --av SIGNATUR 2026-0001" {
		t.Errorf("approval line %q, command %q", rep.Approval.Line, rep.Approval.Command)
	}
	if len(rep.Provisions) != 1 || rep.Provisions[0].Ref != "25 kap. 1 § OSL" || rep.Provisions[0].Decided != total || rep.Provisions[0].Masked != total || rep.Provisions[0].Title == "" {
		t.Errorf("provisions %+v", rep.Provisions)
	}
	for _, mc := range rep.Masked {
		if !mc.Derived || mc.Column != "Ämne" || !strings.HasPrefix(mc.Cell, "Logg!F") {
			t.Errorf("masked cell %+v", mc)
		}
		var spans []string
		for _, p := range mc.Parts {
			if p.Masked {
				spans = append(spans, p.Text)
				if p.Provision != "25 kap. 1 § OSL" || p.Title == "" {
					t.Errorf("%s: provision %q %q", mc.Cell, p.Provision, p.Title)
				}
			}
		}
		if len(spans) != 1 || spans[0] != "Patient Nummer"+mc.Nr {
			t.Errorf("%s: spans %q", mc.Cell, spans)
		}
	}

	page := htmlOf(t, rep)
	checkAppliesAt(t, r, rep.Provisions, page)
	for _, spans := range checked.Evidence.Proof.Spans {
		for _, s := range spans {
			esc := html.EscapeString(s)
			all := strings.Count(page, esc)
			marked := strings.Count(page, "<mark>"+esc+"</mark>")
			if all == 0 || all != marked {
				t.Errorf("masked text %q is in the page %d times, in a <mark> %d times", s, all, marked)
			}
		}
	}
	for _, want := range []string{`<html lang="sv">`, `<meta charset="utf-8">`, facts.WorkbookSHA256, facts.RawSHA256, html.EscapeString(wantLine), "Erik Exempel"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "<link", "src=", "href=", "http://", "https://"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page is not self-contained: it has %q", bad)
		}
	}
}

func TestReportIsDeterministic(t *testing.T) {
	r, dir := genCase(t, casegen.Case{ID: "2026-0002", Rows: 40})
	work := r.WorkArea(dir, "2026-0002")
	var got [2][2][]byte
	for i := range got {
		h, j, err := build(t, r, dir).WriteFiles(work)
		if err != nil {
			t.Fatal(err)
		}
		for k, p := range []string{h, j} {
			if got[i][k], err = os.ReadFile(p); err != nil {
				t.Fatal(err)
			}
			if info, _ := os.Stat(p); info.Mode().Perm() != 0o600 {
				t.Errorf("%s has mode %v", p, info.Mode().Perm())
			}
		}
	}
	if !bytes.Equal(got[0][0], got[1][0]) || !bytes.Equal(got[0][1], got[1][1]) {
		t.Error("two runs wrote different bytes")
	}
	var back Report
	if err := json.Unmarshal(got[0][1], &back); err != nil {
		t.Fatal(err)
	}
	if back.Case != "2026-0002" || len(back.Masked) == 0 {
		t.Errorf("JSON read back: %+v", back)
	}
	if len(back.Provisions) != 1 || back.Provisions[0].AppliesAt == "" || !bytes.Contains(got[0][1], []byte(`"gäller_hos": "`+back.Provisions[0].AppliesAt+`"`)) {
		t.Errorf("the JSON lacks gäller_hos: %+v", back.Provisions)
	}
	entries, _ := os.ReadDir(work)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

// checkAppliesAt checks that the provisions table of a report page has the column Gäller hos
// with each provision's gäller_hos from the catalog, and the hint where the provision applies.
func checkAppliesAt(t *testing.T, r *repo.Repo, rows []ProvisionRow, page string) {
	t.Helper()
	if !strings.Contains(page, "<th>Skaderekvisit</th><th>Gäller hos</th>") {
		t.Error("the provisions table has no column Gäller hos")
	}
	if len(rows) == 0 {
		t.Fatal("no provisions")
	}
	for _, row := range rows {
		ref, err := provision.Parse(row.Ref)
		if err != nil {
			t.Fatal(err)
		}
		p, ok := r.Catalog.Lookup(ref)
		if !ok || p.AppliesAt == "" || row.AppliesAt != p.AppliesAt || row.Hint != p.Hint() {
			t.Errorf("%s: gäller_hos %q, hint %q; the catalog has %q (%v)", row.Ref, row.AppliesAt, row.Hint, p.AppliesAt, ok)
			continue
		}
		cells := "<td>" + html.EscapeString(p.HarmTest) + "</td><td>" + html.EscapeString(p.AppliesAt) + "</td>"
		if !strings.Contains(page, cells) {
			t.Errorf("%s: the page lacks %q", row.Ref, cells)
		}
		if h := p.Hint(); h == "" || !strings.Contains(page, "Tips: "+html.EscapeString(h)) {
			t.Errorf("%s: the page lacks the hint %q", row.Ref, h)
		}
	}
}

func TestProvisionsTableAppliesAt(t *testing.T) {
	rows := []ProvisionRow{
		{Ref: "21 kap. 1 § OSL", Title: "Hälsa", HarmTest: "kvalificerat rakt", AppliesAt: provision.AllAuthorities, Decided: 1, Masked: 1},
		{Ref: "26 kap. 1 § OSL", Title: "Socialtjänst", HarmTest: "omvänt", AppliesAt: "socialtjänst", Hint: "26 kap. 1 § OSL gäller inom socialtjänst: kontrollera <här>", Decided: 2, Masked: 2},
		{Ref: "25 kap. 11 § OSL", Decided: 1},
	}
	for name, page := range map[string]string{
		"e-postlogg": htmlOf(t, &Report{Provisions: rows}),
		"e-post":     mailHTML(t, &MailReport{Provisions: rows}),
	} {
		for _, want := range []string{
			"<th>Skaderekvisit</th><th>Gäller hos</th><th>Antal i beslutet</th>",
			"<td>kvalificerat rakt</td><td>alla myndigheter</td><td>1</td>",
			"<td>omvänt</td><td>socialtjänst</td><td>2</td>",
			"<td></td><td></td><td>1</td><td>0</td>",
			"Tips: 26 kap. 1 § OSL gäller inom socialtjänst: kontrollera &lt;här&gt;.",
		} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the page lacks %q", name, want)
			}
		}
		if n := strings.Count(page, "Tips: "); n != 1 {
			t.Errorf("%s: %d hints, want 1 (none for all authorities or an unknown provision)", name, n)
		}
	}
}

// hostileCase writes an unapproved case whose export has a script in a subject, a masked span
// that is markup, and an unmasked phone number, acknowledged in one cell and not in another.
func hostileCase(t *testing.T) (*repo.Repo, string) {
	t.Helper()
	r, cases := newRepo(t)
	spec := r.Types["e-postlogg"].Workbook
	dir := filepath.Join(cases, "2026-0003")
	work := r.WorkArea(dir, "2026-0003")
	if err := os.MkdirAll(filepath.Join(work, repo.ExportDir), 0o700); err != nil {
		t.Fatal(err)
	}
	raw := []string{
		`<script>alert("rå")</script> & möte`,
		`Ang. <img src=x onerror=alert(1)>, remiss`,
		`Ring mig på 070-123 45 67`,
		`Ring Åsa på 070-765 43 21`,
	}
	masked := []string{raw[0], `Ang. [OSL 25:1], remiss`, raw[2], raw[3]}
	marks := []string{"P", "", "", ""}
	var csv strings.Builder
	csv.WriteString("Received,SenderAddress,RecipientAddress,Subject\n")
	var rows [][]workbook.Cell
	start := time.Date(2026, 10, 1, 8, 0, 0, 0, date.Stockholm)
	for i := range raw {
		at := start.Add(time.Duration(i) * time.Hour)
		fmt.Fprintf(&csv, "%s,anna.andersson@region.example,erik.exempel@region.example,\"%s\"\n", at.UTC().Format("2006-01-02T15:04:05Z"), strings.ReplaceAll(raw[i], `"`, `""`))
		rows = append(rows, []workbook.Cell{i + 1, workbook.ToSerial(at), "Inkorg", "anna.andersson@region.example", "erik.exempel@region.example", masked[i], marks[i]})
	}
	if err := os.WriteFile(filepath.Join(work, repo.ExportDir, "export.csv"), []byte(csv.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := workbook.WriteReview(filepath.Join(work, spec.File), spec, rows, workbook.Meta{Title: "E-postlogg 2026-0003"}); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(csv.String()))
	req := `---
ärende: 2026-0003
typ: e-postlogg
inkom_via: medarbetare
medarbetare: {namn: Erik <b>Exempel</b>, brevlåda: erik.exempel@region.example}
omfattning: {mappar: [Inkorg]}
kvitteringar:
  - {cell: Logg!F4, skäl: "Tjänstenummer <i>inte</i> sekretess"}
steg:
  mottagen: {datum: 2026-11-16, av: reg1}
  kvalitetsgranskad: {datum: 2026-11-16, av: reg1, komplettering: nej}
  logg_beställd: {datum: 2026-11-17, av: reg1, beställd_från: m365@region.example}
  bevakning: {datum: 2026-11-17, av: reg1, bevakas_till: 2026-11-19}
  export_mottagen: {datum: 2026-11-18, av: reg1, fil: export.csv, sha256: ` + hex.EncodeToString(sum[:]) + `, rader: 4}
  privat_granskad: {datum: 2026-11-18, av: reg1, antal_privata: 1}
  sekretessprövad: {datum: 2026-11-19, av: reg1, jurist_konsulterad: nej, bestämmelser: {"25 kap. 1 § OSL": 1}}
---
`
	if err := os.WriteFile(filepath.Join(dir, "request.md"), []byte(req), 0o644); err != nil {
		t.Fatal(err)
	}
	return r, dir
}

func TestReportEscapesHostileText(t *testing.T) {
	r, dir := hostileCase(t)
	rep := build(t, r, dir)
	if len(rep.Errors) != 0 {
		t.Fatalf("errors: %v", rep.Errors)
	}
	if rep.Status != StatusApprovable || !rep.Approvable {
		t.Errorf("status %q", rep.Status)
	}
	if len(rep.Masked) != 1 || rep.Masked[0].Parts[1].Text != "<img src=x onerror=alert(1)>" || rep.Masked[0].Parts[1].Written != "[OSL 25:1]" {
		t.Errorf("masked %+v", rep.Masked)
	}
	if len(rep.Private) != 1 || rep.Private[0].Cell != "Logg!G2" || !strings.HasPrefix(rep.Private[0].Subject, "<script>") {
		t.Errorf("private %+v", rep.Private)
	}
	if len(rep.Hints) != 1 || rep.Hints[0].Cell != "Logg!F5" || rep.Hints[0].Text != `Ring Åsa på 070-765 43 21` {
		t.Errorf("hints %+v", rep.Hints)
	}
	if len(rep.Acks) != 1 || rep.Acks[0].Cell != "Logg!F4" || rep.Acks[0].Text != `Ring mig på 070-123 45 67` {
		t.Errorf("acks %+v", rep.Acks)
	}
	page := htmlOf(t, rep)
	for _, bad := range []string{"<script", "<img", "<b>Exempel", "<i>inte"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page has unescaped %q", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;", "<mark>&lt;img src=x onerror=alert(1)&gt;</mark>", "Erik &lt;b&gt;Exempel&lt;/b&gt;", "&lt;i&gt;inte&lt;/i&gt;", "Åsa"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

func TestReportListsErrors(t *testing.T) {
	// One mask more in the workbook than the decision counts (undantagslogg): do not approve.
	r, dir := genCase(t, casegen.Case{ID: "2026-0004", Rows: 20, Extra: true, Decided: 3})
	rep := build(t, r, dir)
	if rep.Status != StatusErrors || rep.Approvable || rep.Blocking == 0 {
		t.Fatalf("status %q, errors %v", rep.Status, rep.Errors)
	}
	if page := htmlOf(t, rep); !strings.Contains(page, "Godkänn inte") || !strings.Contains(page, rep.Errors[0].Rule) {
		t.Error("the page does not show the errors")
	}
}

func TestReportStaleApprovalCanBeRenewed(t *testing.T) {
	// The workbook was masked differently after the approval: the approval is stale, which a
	// new approval of this version cures.
	r, dir := genCase(t, casegen.Case{ID: "2026-0008", Rows: 20})
	spec := r.Types["e-postlogg"].Workbook
	if err := (casegen.Case{ID: "2026-0008", Rows: 20, Wide: true}).WriteWorkbook(filepath.Join(r.WorkArea(dir, "2026-0008"), spec.File), spec); err != nil {
		t.Fatal(err)
	}
	rep := build(t, r, dir)
	if len(rep.Errors) == 0 || rep.Blocking != 0 || rep.Status != StatusApprovable {
		t.Fatalf("status %q, blocking %d, errors %v", rep.Status, rep.Blocking, rep.Errors)
	}
	if rep.Approval.Existing == nil || rep.Approval.Existing.Current {
		t.Errorf("existing approval %+v", rep.Approval.Existing)
	}
	if !strings.Contains(htmlOf(t, rep), "Det gäller inte dessa filer") {
		t.Error("the page does not say the approval is stale")
	}
}

func TestBuildRefuses(t *testing.T) {
	t.Run("no raw export", func(t *testing.T) {
		r, dir := genCase(t, casegen.Case{ID: "2026-0005", Rows: 10, NoRaw: true})
		_, err := Build(r, validate.Case(r, dir, validate.Options{Today: today}), Options{Today: today})
		if !errors.Is(err, ErrNoRaw) || !strings.Contains(err.Error(), "cases/2026-0005/arbetsyta/export") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("no workbook", func(t *testing.T) {
		r, dir := genCase(t, casegen.Case{ID: "2026-0006", Rows: 10})
		if err := os.Remove(filepath.Join(r.WorkArea(dir, "2026-0006"), "e-postlogg.xlsx")); err != nil {
			t.Fatal(err)
		}
		_, err := Build(r, validate.Case(r, dir, validate.Options{Today: today}), Options{Today: today})
		if !errors.Is(err, ErrNoWorkbook) || !strings.Contains(err.Error(), "e-postlogg.xlsx finns inte") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("unreadable workbook", func(t *testing.T) {
		r, dir := genCase(t, casegen.Case{ID: "2026-0007", Rows: 10})
		if err := os.WriteFile(filepath.Join(r.WorkArea(dir, "2026-0007"), "e-postlogg.xlsx"), []byte("inte en arbetsbok"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Build(r, validate.Case(r, dir, validate.Options{Today: today}), Options{Today: today})
		if !errors.Is(err, ErrNoWorkbook) || !strings.Contains(err.Error(), "kan inte läsas") {
			t.Errorf("got %v", err)
		}
	})
}

func TestApprovalLine(t *testing.T) {
	if got := ApprovalLine(date.Date{}, "jur1", "aa", "bb"); got != "godkänd: {datum: ÅÅÅÅ-MM-DD, av: jur1, granskningsbok_sha256: aa, råexport_sha256: bb}" {
		t.Error(got)
	}
}
