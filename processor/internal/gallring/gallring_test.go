package gallring

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/testrepo"
	"utlamnande/processor/internal/validate"
	"utlamnande/processor/internal/workflow"
)

// closedCase is a case avslutad 2026-08-31: it may be purged from 2026-11-30 (three months
// later; November has 30 days).
const closedCase = "../validate/testdata/corpus/ok-gallras-månadsslut/2026-0153/request.md"

const (
	id       = "2026-0153"
	decision = "Dokumenthanteringsplanen 4.2.1"
)

var dueDay = date.New(2026, 11, 30)

// workFiles are the files put in the working area (relative to the case folder) and their
// content; nested folders and a legacy raw/ folder included.
var workFiles = map[string]string{
	"arbetsyta/e-postlogg.xlsx":                  "granskningsboken",
	"arbetsyta/export/export-2026-07-06.xlsx":    "råexporten",
	"arbetsyta/export-anteckning.txt":            "sorteras före export/", // '-' < '/'
	"arbetsyta/förhandsvisning/sida 1.png":       "förhandsvisning",
	"arbetsyta/förhandsvisning/djup/rapport.txt": "granskningsrapport",
	"arbetsyta/förhandsvisning/djup/tom":         "",
	"raw/gammal-export.csv":                      "en råexport där tidigare versioner lade den",
}

type fixture struct {
	r       *repo.Repo
	dir     string
	request string
}

// newCase makes a repository holding the closed case, with request.md as given (the
// corpus case when "") and the working area filled with workFiles.
func newCase(t *testing.T, request string) *fixture {
	t.Helper()
	return newCaseIn(t, request, "")
}

// newCaseIn is newCase with the working areas on share (an absolute path, set as the
// settings' arbetsyta:) when it is not "": the case's is then share/<id>/.
func newCaseIn(t *testing.T, request, share string) *fixture {
	t.Helper()
	if request == "" {
		request = corpusCase(t)
	}
	root := t.TempDir()
	must(t, testrepo.Make(root, ""))
	if share != "" {
		settings := filepath.Join(root, "installningar.yaml")
		data, err := os.ReadFile(settings)
		must(t, err)
		changed := strings.Replace(string(data), "\narbetsyta: arbetsyta\n", "\narbetsyta: "+share+"\n", 1)
		if changed == string(data) {
			t.Fatal("installningar.yaml has no line arbetsyta: arbetsyta")
		}
		must(t, os.WriteFile(settings, []byte(changed), 0o644))
	}
	dir := filepath.Join(root, "cases", id)
	must(t, os.MkdirAll(dir, 0o755))
	f := &fixture{dir: dir, request: filepath.Join(dir, "request.md")}
	must(t, os.WriteFile(f.request, []byte(request), 0o644))
	for rel, content := range workFiles {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if share != "" && strings.HasPrefix(rel, "arbetsyta/") {
			p = filepath.Join(share, id, filepath.FromSlash(strings.TrimPrefix(rel, "arbetsyta/")))
		}
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, []byte(content), 0o644))
	}
	r, err := repo.Open(root)
	must(t, err)
	if len(r.Findings) != 0 {
		t.Fatalf("the project's settings or templates have findings: %v", r.Findings)
	}
	f.r = r
	return f
}

func corpusCase(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(closedCase)
	must(t, err)
	return string(data)
}

func (f *fixture) read(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(f.request)
	must(t, err)
	return string(data)
}

// record checks the case's front matter as Purge does and returns its record.
func (f *fixture) record(t *testing.T, today date.Date) (*workflow.Record, finding.List) {
	t.Helper()
	checked := validate.Case(f.r, f.dir, validate.Options{Today: today, FrontMatterOnly: true})
	if checked.Record == nil {
		t.Fatalf("the case cannot be checked: %v", checked.Findings)
	}
	return checked.Record, checked.Findings
}

// assertUntouched checks that every file of the working area is still there, unchanged.
func (f *fixture) assertUntouched(t *testing.T) {
	t.Helper()
	for rel, content := range workFiles {
		data, err := os.ReadFile(filepath.Join(f.dir, filepath.FromSlash(rel)))
		if err != nil || string(data) != content {
			t.Errorf("%s was deleted or changed by a refused purge (%v)", rel, err)
		}
	}
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestPurgeDeletesTheWorkingAreaAndRecordsIt(t *testing.T) {
	f := newCase(t, "")
	before := f.read(t)
	res, pfs, err := Purge(f.r, f.dir, Options{Signer: "reg1", Decision: decision, Today: dueDay})
	if err != nil {
		t.Fatalf("purge: %v %v", err, pfs)
	}
	if res.Step != "gallrad" || res.WorkArea != "cases/"+id+"/arbetsyta" {
		t.Errorf("result step %q work area %q", res.Step, res.WorkArea)
	}
	// Every file, sorted by path; the working area's relative to the case folder.
	want := []string{
		"arbetsyta/e-postlogg.xlsx",
		"arbetsyta/export-anteckning.txt",
		"arbetsyta/export/export-2026-07-06.xlsx",
		"arbetsyta/förhandsvisning/djup/rapport.txt",
		"arbetsyta/förhandsvisning/djup/tom",
		"arbetsyta/förhandsvisning/sida 1.png",
		"raw/gammal-export.csv",
	}
	if len(res.Deleted) != len(want) {
		t.Fatalf("deleted %+v, want %v", res.Deleted, want)
	}
	var list []string
	for i, d := range res.Deleted {
		content := workFiles[want[i]]
		if d.Path != want[i] || d.SHA256 != sum(content) || d.Size != int64(len(content)) {
			t.Errorf("deleted[%d] = %+v, want %s %s %d", i, d, want[i], sum(content), len(content))
		}
		list = append(list, strconv.Quote(sum(content)+"  "+want[i]))
	}
	for _, gone := range []string{"arbetsyta", "raw"} {
		if _, err := os.Lstat(filepath.Join(f.dir, gone)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s still exists after the purge (%v)", gone, err)
		}
	}
	// request.md gets the step at the end of steg:, and nothing else changes.
	step := "  gallrad:\n    datum: 2026-11-30\n    av: reg1\n    beslut: " + decision + "\n    raderade: [" + strings.Join(list, ", ") + "]\n"
	anchor := "    gallras: 2026-11-30\n"
	wantFile := strings.Replace(before, anchor, anchor+step, 1)
	got := f.read(t)
	if got != wantFile {
		t.Errorf("request.md after the purge:\n%s\nwant:\n%s", got, wantFile)
	}
	rec, findings := f.record(t, dueDay)
	if findings.HasErrors() {
		t.Errorf("the purged case does not validate: %v", findings)
	}
	if _, ok := rec.Recorded("gallrad"); !ok {
		t.Error("the written request.md has no gallrad step")
	}
	if v := rec.Value("steg.gallrad.beslut"); v == nil || v.Text != decision {
		t.Errorf("beslut read back as %+v", v)
	}
	v := rec.Value("steg.gallrad." + RawListKey)
	if v == nil || len(v.List) != len(want) {
		t.Fatalf("raderade read back as %+v", v)
	}
	for i, item := range v.List {
		if w := sum(workFiles[want[i]]) + "  " + want[i]; item != w {
			t.Errorf("raderade[%d] = %q, want %q", i, item, w)
		}
	}
	// Done: no longer due, and a second purge is refused without writing.
	if _, due := Due(rec, dueDay); due {
		t.Error("a purged case is still due")
	}
	if _, _, err := Purge(f.r, f.dir, Options{Signer: "reg1", Decision: decision, Today: dueDay}); err == nil || !strings.Contains(err.Error(), "redan gallrat") {
		t.Errorf("a second purge: %v", err)
	}
	if f.read(t) != got {
		t.Error("a second purge wrote request.md")
	}
}

func TestPurgeWorkingAreaOnAShare(t *testing.T) {
	share := t.TempDir()
	other := filepath.Join(share, "2026-0154", "e-postlogg.xlsx") // another case's
	must(t, os.MkdirAll(filepath.Dir(other), 0o755))
	must(t, os.WriteFile(other, []byte("annat ärende"), 0o644))
	f := newCaseIn(t, "", share)
	res, pfs, err := Purge(f.r, f.dir, Options{Signer: "reg1", Decision: decision, Today: dueDay})
	if err != nil {
		t.Fatalf("purge: %v %v", err, pfs)
	}
	// The share's files are named from the share (<id>/…), the legacy raw/ from the case folder.
	var got []string
	for _, d := range res.Deleted {
		got = append(got, d.Path)
	}
	want := "2026-0153/e-postlogg.xlsx 2026-0153/export-anteckning.txt 2026-0153/export/export-2026-07-06.xlsx " +
		"2026-0153/förhandsvisning/djup/rapport.txt 2026-0153/förhandsvisning/djup/tom 2026-0153/förhandsvisning/sida 1.png raw/gammal-export.csv"
	if strings.Join(got, " ") != want {
		t.Errorf("deleted %v, want %s", got, want)
	}
	if res.WorkArea != filepath.ToSlash(filepath.Join(share, id)) {
		t.Errorf("work area %q", res.WorkArea)
	}
	for _, gone := range []string{filepath.Join(share, id), filepath.Join(f.dir, "raw")} {
		if _, err := os.Lstat(gone); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s still exists after the purge (%v)", gone, err)
		}
	}
	if data, err := os.ReadFile(other); err != nil || string(data) != "annat ärende" {
		t.Errorf("another case's working area was touched: %v", err)
	}
	if !strings.Contains(f.read(t), strconv.Quote(sum("råexporten")+"  2026-0153/export/export-2026-07-06.xlsx")) {
		t.Errorf("request.md does not list the share's file:\n%s", f.read(t))
	}
}

func TestPurgeWithoutAWorkingArea(t *testing.T) {
	f := newCase(t, "")
	must(t, os.RemoveAll(filepath.Join(f.dir, "arbetsyta")))
	must(t, os.RemoveAll(filepath.Join(f.dir, "raw")))
	res, fs, err := Purge(f.r, f.dir, Options{Signer: "reg1", Decision: decision, Today: dueDay})
	if err != nil {
		t.Fatalf("purge: %v %v", err, fs)
	}
	if len(res.Deleted) != 0 {
		t.Errorf("deleted %+v from a missing working area", res.Deleted)
	}
	if !strings.Contains(f.read(t), "    beslut: "+decision+"\n    raderade: []\n") {
		t.Errorf("request.md after the purge:\n%s", f.read(t))
	}
	if _, findings := f.record(t, dueDay); findings.HasErrors() {
		t.Errorf("the purged case does not validate: %v", findings)
	}
}

func TestPurgeRefusals(t *testing.T) {
	withoutClosed := func(t *testing.T) string {
		s := corpusCase(t)
		i := strings.Index(s, "  avslutad:\n")
		j := strings.Index(s, "---\n\n")
		if i < 0 || j < i {
			t.Fatal("the corpus case has changed")
		}
		return s[:i] + s[j:]
	}
	for _, tc := range []struct {
		name    string
		request func(t *testing.T) string
		opts    Options
		want    string
	}{
		{name: "the day before", opts: Options{Signer: "reg1", Decision: decision, Today: date.New(2026, 11, 29)},
			want: "ärendet gallras tidigast 2026-11-30 (avslutad: gallras); i dag är det 2026-11-29"},
		{name: "the day before, date computed", opts: Options{Signer: "reg1", Decision: decision, Today: date.New(2026, 11, 29)},
			request: func(t *testing.T) string {
				return strings.Replace(corpusCase(t), "    gallras: 2026-11-30\n", "", 1)
			},
			want: "ärendet gallras tidigast 2026-11-30"},
		{name: "no decision", opts: Options{Signer: "reg1", Today: dueDay}, want: "ange gallringsbeslutet"},
		{name: "blank decision", opts: Options{Signer: "reg1", Decision: " \t", Today: dueDay}, want: "ange gallringsbeslutet"},
		{name: "no signer", opts: Options{Decision: decision, Today: dueDay}, want: "ange vem som gallrar"},
		{name: "not closed", opts: Options{Signer: "reg1", Decision: decision, Today: date.New(2027, 1, 31)},
			request: withoutClosed, want: "registrera steget avslutad först"},
		{name: "unknown signer", opts: Options{Signer: "okänd", Decision: decision, Today: dueDay}, want: ErrFindings.Error()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			request := ""
			if tc.request != nil {
				request = tc.request(t)
			}
			f := newCase(t, request)
			before := f.read(t)
			res, fs, err := Purge(f.r, f.dir, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %+v %v %v, want an error with %q", res, fs, err, tc.want)
			}
			if f.read(t) != before {
				t.Error("request.md was written by a refused purge")
			}
			f.assertUntouched(t)
		})
	}
}

func TestEarliestAndDue(t *testing.T) {
	for _, tc := range []struct {
		name    string
		edit    func(string) string
		ok      bool
		from    string
		earlier date.Date // a day it is not due
	}{
		{name: "written", edit: func(s string) string { return s }, ok: true, from: "avslutad: gallras"},
		{name: "computed", edit: func(s string) string { return strings.Replace(s, "    gallras: 2026-11-30\n", "", 1) }, ok: true, from: "avslutad: gallras"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newCase(t, tc.edit(corpusCase(t)))
			rec, _ := f.record(t, dueDay)
			day, from, ok := Earliest(rec)
			if !ok || day != dueDay || from != tc.from {
				t.Errorf("Earliest = %s %q %v, want %s %q true (2026-08-31 + 3 months)", day, from, ok, dueDay, tc.from)
			}
			for _, c := range []struct {
				today date.Date
				due   bool
			}{{date.New(2026, 11, 29), false}, {dueDay, true}, {date.New(2026, 12, 1), true}, {date.New(2026, 8, 31), false}} {
				earliest, due := Due(rec, c.today)
				if earliest != dueDay || due != c.due {
					t.Errorf("Due(%s) = %s %v, want %s %v", c.today, earliest, due, dueDay, c.due)
				}
			}
		})
	}
	// Not closed: no date yet, and never due.
	s := corpusCase(t)
	open := s[:strings.Index(s, "  avslutad:\n")] + s[strings.Index(s, "---\n\n"):]
	f := newCase(t, open)
	rec, _ := f.record(t, dueDay)
	if day, _, ok := Earliest(rec); ok {
		t.Errorf("Earliest of a case not closed = %s", day)
	}
	if _, due := Due(rec, date.New(2027, 6, 1)); due {
		t.Error("a case not closed is due")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
