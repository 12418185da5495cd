package review

import (
	"bytes"
	"encoding/json"
	"errors"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"utlamnande/processor/internal/approval"
	"utlamnande/processor/internal/intake"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/testrepo"
	"utlamnande/processor/internal/validate"
)

const mailID = "2026-0003"

// The e-mails of case 2026-0003, requested from the demo's released log 2026-0001 (rows 1, 3
// and 4): an HTML e-mail with a subject that is markup and a paragraph its reader does not
// see, a private e-mail in an unnamed charset (withheld), and one with a patient's name (masked
// twice), text that is markup in its body, and an attachment withheld for secrecy.
var mailExport = map[string]string{
	"0001.eml": `From: Anna Andersson <anna.andersson@region.example>
To: Erik Exempel <erik.exempel@region.example>
Subject: Protokoll ledningsgrupp 1 oktober <b>x</b>
Date: Thu, 01 Oct 2026 07:57:30 +0200
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><body><p>Hej Erik,</p><p>Protokollet är klart.</p><div style="display:none">Dold rad om lönesamtalet</div></body></html>
`,
	"0003.eml": `From: Lisa <lisa.privat@mail.example>
To: erik.exempel@region.example
Subject: =?utf-8?q?Middag_p=C3=A5_l=C3=B6rdag=3F?=
Date: Thu, 01 Oct 2026 17:02:10 +0200
MIME-Version: 1.0
Content-Type: text/plain
Content-Transfer-Encoding: quoted-printable

Kommer ni vid sju? Barnvakten Gunilla Hemlig kan till tio. Hon heter Lindstr=F6m.
`,
	"0004.eml": `From: vard.remiss@region.example
To: erik.exempel@region.example
Subject: Ang. patient Anna Patientsson, remiss till ortopeden
Date: Fri, 02 Oct 2026 08:29:40 +0200
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

Remissen för patient Anna Patientsson gäller knät.
Kod: <img src=x onerror=alert(1)>
--b1
Content-Type: text/plain; name="remiss.txt"
Content-Disposition: attachment; filename="remiss.txt"

Journalanteckning, se bilaga
--b1--
`,
}

const mailRequest = `---
ärende: 2026-0003
typ: e-post
e-postlogg_ärende: 2026-0001
begärda_e-post: [1, 3, 4]
e-postbeslut:
  - {nr: 1, beslut: lämnas_ut}
  - {nr: 3, beslut: lämnas_inte_ut, skäl: privat}
  - {nr: 4, beslut: lämnas_ut_maskad, bilagor: [{nr: 1, beslut: lämnas_inte_ut, skäl: sekretess, bestämmelse: 25 kap. 1 § OSL}]}
medarbetare: {namn: Erik Exempel, brevlåda: erik.exempel@region.example}
steg:
  mottagen: {datum: 2026-11-16, av: reg1}
  kvalitetsgranskad: {datum: 2026-11-16, av: reg1, komplettering: nej}
  medarbetare_informerad: {datum: 2026-11-17, av: reg1, fullmakt: ja, fullmakt_datum: 2026-11-17}
---
`

// mailCase writes the e-post case 2026-0003 beside the demo's released log, imports its
// e-mails, masks the patient's name and the markup in 0004.txt and, when decided, records
// the steps up to the secrecy decision (not approved).
func mailCase(t *testing.T, decided bool) (*repo.Repo, string) {
	t.Helper()
	r, cases := newRepo(t)
	demo := filepath.Join(testrepo.Root(), repo.CasesDir, "2026-0001")
	for _, f := range []string{"request.md", "utlamnande"} {
		if err := testrepo.CopyTree(filepath.Join(demo, f), filepath.Join(cases, "2026-0001", f)); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(cases, mailID)
	export := filepath.Join(r.WorkArea(dir, mailID), "export")
	if err := os.MkdirAll(export, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, data := range mailExport {
		if err := os.WriteFile(filepath.Join(export, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	req := filepath.Join(dir, "request.md")
	if err := os.WriteFile(req, []byte(mailRequest), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, fs, err := intake.Run(r, dir, intake.Options{Signer: "reg1", Today: today}); err != nil {
		t.Fatalf("import: %v %v", err, fs)
	}
	text := filepath.Join(r.WorkArea(dir, mailID), "e-post", "0004.txt")
	edit(t, text, "Ang. patient Anna Patientsson", "Ang. patient [25 kap. 1 § OSL]")
	edit(t, text, "för patient Anna Patientsson", "för patient [OSL 25:1]")
	edit(t, text, "Kod: <img src=x onerror=alert(1)>", "Kod: [OSL 25:1]")
	if decided {
		edit(t, req, "\n---\n", "\n  allmän_handling_prövad: {datum: 2026-11-22, av: reg1, granskade: 3, ej_allmän_handling: 1}\n"+
			"  sekretessprövad: {datum: 2026-11-22, av: reg1, jurist_konsulterad: nej, bestämmelser: {\"25 kap. 1 § OSL\": 4}}\n---\n")
	}
	return r, dir
}

// edit replaces old (once, the last occurrence) with new in file.
func edit(t *testing.T, file, old, new string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.LastIndex(string(data), old)
	if i < 0 {
		t.Fatalf("%s has no %q", file, old)
	}
	if err := os.WriteFile(file, []byte(string(data[:i])+new+string(data[i+len(old):])), 0o600); err != nil {
		t.Fatal(err)
	}
}

func buildMail(t *testing.T, r *repo.Repo, dir string) (*MailReport, validate.Checked) {
	t.Helper()
	c := validate.Case(r, dir, validate.Options{Today: today})
	rep, err := BuildMail(r, c, Options{Today: today, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return rep, c
}

func mailHTML(t *testing.T, rep *MailReport) string {
	t.Helper()
	var b bytes.Buffer
	if err := rep.HTML(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestMailReport(t *testing.T) {
	r, dir := mailCase(t, true)
	rep, c := buildMail(t, r, dir)
	if len(rep.Errors) != 0 {
		t.Fatalf("errors: %v", rep.Errors)
	}
	if rep.Status != StatusApprovable || !rep.Approvable {
		t.Errorf("status %q", rep.Status)
	}
	facts := c.Mail.Facts
	if rep.Approval.MailSHA256 != facts.WorkbookSHA256 || rep.Approval.RawSHA256 != facts.RawSHA256 || facts.RawSHA256 == "" || facts.WorkbookSHA256 == "" {
		t.Errorf("hashes %s/%s, facts %s/%s", rep.Approval.MailSHA256, rep.Approval.RawSHA256, facts.WorkbookSHA256, facts.RawSHA256)
	}
	wantLine := "godkänd: {datum: 2026-11-22, av: SIGNATUR, e-post_sha256: " + facts.WorkbookSHA256 + ", råexport_sha256: " + facts.RawSHA256 + "}"
	if rep.Approval.Line != wantLine || rep.Approval.Command != "processor godkänn --av SIGNATUR 2026-0003" || rep.Approval.Step != "sekretessprövad" {
		t.Errorf("approval %+v", rep.Approval)
	}
	if rep.Mails != 3 || rep.Masks != 3 || rep.Withheld != 1 || rep.WithheldAttachments != 1 || rep.Notes != 2 {
		t.Errorf("counts: %d mails, %d masks, %d withheld, %d attachments withheld, %d notes", rep.Mails, rep.Masks, rep.Withheld, rep.WithheldAttachments, rep.Notes)
	}
	if len(rep.Provisions) != 1 || rep.Provisions[0].Ref != "25 kap. 1 § OSL" || rep.Provisions[0].Decided != 4 || rep.Provisions[0].Masked != 4 {
		t.Errorf("provisions %+v", rep.Provisions)
	}
	if rep.LogCase != "2026-0001" || rep.Employee.Name != "Erik Exempel" {
		t.Errorf("log case %q, employee %+v", rep.LogCase, rep.Employee)
	}
	var nrs []int
	for _, m := range rep.Messages {
		nrs = append(nrs, m.Nr)
	}
	if len(nrs) != 3 || nrs[0] != 1 || nrs[1] != 3 || nrs[2] != 4 {
		t.Fatalf("e-mails %v", nrs)
	}
	m1, m3, m4 := rep.Messages[0], rep.Messages[1], rep.Messages[2]

	if m1.Decision.Label != LabelRelease || m1.Withheld || len(m1.Masks) != 0 || !m1.Derived {
		t.Errorf("nr 1: %+v", m1)
	}
	if len(m1.Notes) != 1 || !strings.Contains(m1.Notes[0], "inte visas för läsaren") || len(m1.Hidden) != 1 {
		t.Errorf("nr 1: notes %q, hidden %q", m1.Notes, m1.Hidden)
	}
	if subj := header(m1, "Ämne"); subj != "Protokoll ledningsgrupp 1 oktober <b>x</b>" {
		t.Errorf("nr 1: subject %q", subj)
	}

	if !m3.Withheld || m3.Decision.Label != LabelWithhold || m3.Decision.Reason != "privat" || !strings.HasPrefix(m3.Decision.ReasonTitle, "Uteslutande privat") {
		t.Errorf("nr 3: %+v", m3.Decision)
	}
	if len(m3.Notes) != 1 || !strings.Contains(m3.Notes[0], "teckenuppsättning") || m3.TextFrom != "granskningstexten" || !strings.Contains(m3.Parts[0].Text, "Gunilla Hemlig") {
		t.Errorf("nr 3: notes %q, text from %q, parts %+v", m3.Notes, m3.TextFrom, m3.Parts)
	}

	if m4.Decision.Label != LabelMasked || !m4.Derived || len(m4.Problems) != 0 {
		t.Errorf("nr 4: %+v, problems %+v", m4.Decision, m4.Problems)
	}
	want := []Mask{
		{Line: 4, Col: 20, Written: "[25 kap. 1 § OSL]", Provision: "25 kap. 1 § OSL", Text: "Anna Patientsson"},
		{Line: 6, Col: 22, Written: "[OSL 25:1]", Provision: "25 kap. 1 § OSL", Text: "Anna Patientsson"},
		{Line: 7, Col: 6, Written: "[OSL 25:1]", Provision: "25 kap. 1 § OSL", Text: "<img src=x onerror=alert(1)>"},
	}
	if len(m4.Masks) != len(want) {
		t.Fatalf("nr 4: masks %+v", m4.Masks)
	}
	for i, w := range want {
		got := m4.Masks[i]
		if got.Title == "" {
			t.Errorf("nr 4 mask %d has no title", i)
		}
		got.Title = ""
		if got != w {
			t.Errorf("nr 4 mask %d: %+v, want %+v", i, got, w)
		}
	}
	spans := c.Mail.Proofs[4].Spans
	if len(spans) != 3 || spans[0] != m4.Masks[0].Text {
		t.Errorf("proof spans %q", spans)
	}
	if len(m4.Attachments) != 1 {
		t.Fatalf("nr 4: attachments %+v", m4.Attachments)
	}
	if a := m4.Attachments[0]; a.Name != "remiss.txt" || a.Size != 28 || a.Decision.Label != LabelWithhold || a.Decision.Provision != "25 kap. 1 § OSL" || a.Decision.ProvisionTitle == "" || !strings.HasPrefix(a.Decision.ReasonTitle, "Omfattas") {
		t.Errorf("nr 4: attachment %+v", a)
	}

	page := mailHTML(t, rep)
	checkAppliesAt(t, r, rep.Provisions, page)
	for nr, res := range c.Mail.Proofs {
		for _, s := range res.Spans {
			if !strings.Contains(page, "<mark>"+html.EscapeString(s)+"</mark>") {
				t.Errorf("nr %d: the page does not mark %q", nr, s)
			}
		}
	}
	for _, want := range []string{
		`<html lang="sv">`, `<meta charset="utf-8">`, facts.WorkbookSHA256, facts.RawSHA256, html.EscapeString(wantLine),
		`<section class="epost undantas">`, "Lämnas inte ut: Uteslutande privat", "Barnvakten Gunilla Hemlig",
		"Protokoll ledningsgrupp 1 oktober &lt;b&gt;x&lt;/b&gt;", "<mark>&lt;img src=x onerror=alert(1)&gt;</mark>",
		html.EscapeString(m1.Notes[0]), html.EscapeString(m3.Notes[0]), "Dold rad om lönesamtalet", "<code>4:20</code>",
		"remiss.txt", "Omfattas i sin helhet av sekretess", "processor godkänn --av SIGNATUR 2026-0003",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "<link", "<img", "<b>x", "href=", "http://", "https://"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page has %q", bad)
		}
	}

	// godkänn writes exactly the hashes the report shows; the report then says so.
	if _, fs, err := approval.Approve(r, dir, approval.Options{Signer: "jur1", Today: today}); err != nil {
		t.Fatalf("approve: %v %v", err, fs)
	}
	data, err := os.ReadFile(filepath.Join(dir, "request.md"))
	if err != nil {
		t.Fatal(err)
	}
	if line := strings.Replace(rep.Approval.Line, "SIGNATUR", "jur1", 1); !strings.Contains(string(data), line) {
		t.Errorf("request.md lacks the report's approval line %q:\n%s", line, data)
	}
	again, _ := buildMail(t, r, dir)
	if again.Status != StatusApproved || again.Approval.Existing == nil || !again.Approval.Existing.Current ||
		again.Approval.Existing.MailSHA256 != rep.Approval.MailSHA256 || again.Approval.Existing.RawSHA256 != rep.Approval.RawSHA256 {
		t.Errorf("after the approval: status %q, existing %+v", again.Status, again.Approval.Existing)
	}
	if !strings.Contains(mailHTML(t, again), "Det gäller exakt dessa filer.") {
		t.Error("the page does not say the approval holds")
	}
}

func header(m Mail, label string) string {
	for _, h := range m.Headers {
		if h.Label == label {
			return h.Value
		}
	}
	return ""
}

func TestMailReportBeforeDecision(t *testing.T) {
	r, dir := mailCase(t, false)
	rep, _ := buildMail(t, r, dir)
	if rep.Status != StatusNoDecision || rep.Approvable || rep.Decision.Step != "sekretessprövad" {
		t.Errorf("status %q, decision %+v", rep.Status, rep.Decision)
	}
	if !strings.Contains(mailHTML(t, rep), "är inte registrerat ännu") {
		t.Error("the page does not say the decision is missing")
	}
}

func TestMailReportWithheldWithoutText(t *testing.T) {
	// The withheld e-mail's review text is gone: the reviewer sees the e-mail as imported.
	r, dir := mailCase(t, true)
	if err := os.Remove(filepath.Join(r.WorkArea(dir, mailID), "e-post", "0003.txt")); err != nil {
		t.Fatal(err)
	}
	rep, _ := buildMail(t, r, dir)
	m3 := rep.Messages[1]
	if m3.Nr != 3 || !m3.Withheld || m3.TextFrom != "e-postmeddelandet" || len(m3.Parts) != 1 || !strings.Contains(m3.Parts[0].Text, "Gunilla Hemlig") {
		t.Errorf("nr 3: %+v", m3)
	}
	if !strings.Contains(mailHTML(t, rep), "texten nedan är e-postmeddelandets, omaskad") {
		t.Error("the page does not say where the text is from")
	}
}

func TestMailReportProblems(t *testing.T) {
	// A word changed beside a mask: the proof's problem at its line and column; do not approve.
	r, dir := mailCase(t, true)
	edit(t, filepath.Join(r.WorkArea(dir, mailID), "e-post", "0004.txt"), "gäller knät", "gäller höften")
	rep, _ := buildMail(t, r, dir)
	m4 := rep.Messages[2]
	if len(m4.Problems) == 0 || m4.Problems[0].Line != 6 || m4.Problems[0].Rule != "cell-ändrad" || m4.Derived {
		t.Fatalf("nr 4: problems %+v, derived %v", m4.Problems, m4.Derived)
	}
	if rep.Status != StatusErrors || rep.Blocking == 0 {
		t.Errorf("status %q, blocking %d", rep.Status, rep.Blocking)
	}
	page := mailHTML(t, rep)
	if !strings.Contains(page, "<code>6:") || !strings.Contains(page, "Godkänn inte") || !strings.Contains(page, `<mark class="okand">?</mark>`) {
		t.Error("the page does not show the problem")
	}
}

func TestMailReportFiles(t *testing.T) {
	r, dir := mailCase(t, true)
	work := r.WorkArea(dir, mailID)
	var got [2][2][]byte
	for i := range got {
		rep, _ := buildMail(t, r, dir)
		h, j, err := rep.WriteFiles(work)
		if err != nil {
			t.Fatal(err)
		}
		for k, p := range []string{h, j} {
			if filepath.Dir(p) != work {
				t.Errorf("%s is not in the working area", p)
			}
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
	var back MailReport
	if err := json.Unmarshal(got[0][1], &back); err != nil {
		t.Fatal(err)
	}
	if back.Case != mailID || len(back.Messages) != 3 || back.Messages[2].Masks[0].Text != "Anna Patientsson" || back.Approval.MailSHA256 == "" {
		t.Errorf("JSON read back: %+v", back)
	}
	if len(back.Provisions) != 1 || back.Provisions[0].AppliesAt == "" {
		t.Errorf("JSON read back without gäller_hos: %+v", back.Provisions)
	}
	if !bytes.Contains(got[0][1], []byte(`"e-post_sha256": "`)) || !bytes.Contains(got[0][1], []byte(`"döljer": "Anna Patientsson"`)) || !bytes.Contains(got[0][1], []byte(`"gäller_hos": "`)) {
		t.Error("the JSON lacks its keys")
	}
}

func TestBuildMailRefuses(t *testing.T) {
	t.Run("no export", func(t *testing.T) {
		r, dir := mailCase(t, true)
		if err := os.RemoveAll(filepath.Join(r.WorkArea(dir, mailID), "export")); err != nil {
			t.Fatal(err)
		}
		_, err := BuildMail(r, validate.Case(r, dir, validate.Options{Today: today}), Options{Today: today})
		if !errors.Is(err, ErrNoExport) || !strings.Contains(err.Error(), "cases/2026-0003/arbetsyta/export") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("no texts", func(t *testing.T) {
		r, dir := mailCase(t, true)
		if err := os.RemoveAll(filepath.Join(r.WorkArea(dir, mailID), "e-post")); err != nil {
			t.Fatal(err)
		}
		_, err := BuildMail(r, validate.Case(r, dir, validate.Options{Today: today}), Options{Today: today})
		if !errors.Is(err, ErrNoTexts) || !strings.Contains(err.Error(), "processor import 2026-0003") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("a log case", func(t *testing.T) {
		r, dir := hostileCase(t)
		_, err := BuildMail(r, validate.Case(r, dir, validate.Options{Today: today}), Options{Today: today})
		if !errors.Is(err, ErrNoCase) {
			t.Errorf("got %v", err)
		}
	})
}
