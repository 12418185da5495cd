package intake

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/casegen"
	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/testrepo"
	"utlamnande/processor/internal/validate"
	"utlamnande/processor/internal/workflow"
)

var today = date.New(2026, time.November, 22)

// readyCase is an e-postlogg case whose next step is the import.
const readyCase = `---
ärende: 2026-0001
typ: e-postlogg
inkom_via: medarbetare
medarbetare: {namn: Erik Exempel, brevlåda: erik.exempel@region.example}
omfattning: {mappar: [Inkorg, Skickat]}
steg:
  mottagen: {datum: 2026-11-16, av: reg1}
  kvalitetsgranskad: {datum: 2026-11-16, av: reg1, komplettering: nej}
  logg_beställd: {datum: 2026-11-17, av: reg1, beställd_från: m365@region.example}
  # bevakning lagd av registratorn
  bevakning: {datum: 2026-11-17, av: reg1, bevakas_till: 2026-11-19}
---
Anteckningar.
`

type fixture struct {
	r   *repo.Repo
	dir string
	raw string // the raw export's path
	wb  string // the workbook's path (working area)
}

func setup(t *testing.T, rows int) fixture {
	t.Helper()
	root := t.TempDir()
	if err := testrepo.Make(root, ""); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, repo.CasesDir, "2026-0001")
	writeFile(t, filepath.Join(dir, casefile.FileName), []byte(readyCase))
	r, err := repo.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	f := fixture{r: r, dir: dir, raw: filepath.Join(r.RawDir(dir, "2026-0001"), "export.csv"),
		wb: filepath.Join(r.WorkArea(dir, "2026-0001"), "e-postlogg.xlsx")}
	f.export(t, rows)
	return f
}

// export writes a raw export of n rows, modified an hour ago (a finished copy).
func (f fixture) export(t *testing.T, n int) string {
	t.Helper()
	_, raw, _, _ := casegen.Case{ID: "2026-0001", Rows: n}.Generate()
	writeFile(t, f.raw, []byte(raw))
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(f.raw, old, old); err != nil {
		t.Fatal(err)
	}
	return sha(raw)
}

func (f fixture) run(t *testing.T, opts Options) (*Result, error) {
	t.Helper()
	if opts.Signer == "" {
		opts.Signer = "reg1"
	}
	opts.Today = today
	res, fs, err := Run(f.r, f.dir, opts)
	if len(fs) > 0 {
		t.Logf("findings: %v", fs)
	}
	return res, err
}

func (f fixture) request(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(f.dir, casefile.FileName))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func fileSum(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha(string(data))
}

// A raw export modified a moment ago may still be being copied: refused, nothing written.
// Once old enough it is imported; the very file already imported is never refused.
func TestImportRefusesRecentlyModifiedExport(t *testing.T) {
	f := setup(t, 20)
	info, err := os.Stat(f.raw)
	if err != nil {
		t.Fatal(err)
	}
	before := f.request(t)
	soon := func() time.Time { return info.ModTime().Add(500 * time.Millisecond) }
	_, err = f.run(t, Options{MinAge: 2 * time.Second, Now: soon})
	if !errors.Is(err, ErrRecent) {
		t.Fatalf("an export modified 500 ms ago: err %v, want ErrRecent", err)
	}
	for _, want := range []string{"råexporten ändrades nyss", "vänta tills kopieringen är klar och kör igen", "500 ms"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	if f.request(t) != before {
		t.Error("request.md changed although the import was refused")
	}
	if _, err := os.Stat(f.wb); err == nil {
		t.Error("a workbook was written although the import was refused")
	}

	later := func() time.Time { return info.ModTime().Add(3 * time.Second) }
	res, err := f.run(t, Options{MinAge: 2 * time.Second, Now: later})
	if err != nil || res.Step != "export_mottagen" {
		t.Fatalf("an export modified 3 s ago: %+v, %v; want it imported", res, err)
	}
	// Touched again, unchanged: it is the file imported, whole.
	res, err = f.run(t, Options{MinAge: 2 * time.Second, Now: soon})
	if err != nil || !res.Unchanged {
		t.Errorf("the imported file touched again: %+v, %v; want it kept as imported", res, err)
	}
	// 0 means no check.
	g := setup(t, 5)
	if _, err := g.run(t, Options{Now: func() time.Time { return time.Now().Add(-time.Hour) }}); err != nil {
		t.Errorf("MinAge 0: %v", err)
	}
}

// A raw export that changes after the import but before anything was marked or masked (and
// before any later step) is imported again: the workbook from the new file, the step's
// fil, sha256 and rader updated, every other byte of request.md kept.
func TestImportAgainWhenChangedBeforeMasking(t *testing.T) {
	f := setup(t, 20)
	first, err := f.run(t, Options{})
	if err != nil {
		t.Fatal(err)
	}
	recorded := f.request(t)
	newSHA := f.export(t, 35)
	res, err := f.run(t, Options{MinAge: 2 * time.Second})
	if err != nil {
		t.Fatalf("re-import: %v", err)
	}
	if !res.Reimported || res.OldSHA256 != first.SHA256 || res.SHA256 != newSHA || res.Rows != 35 {
		t.Errorf("re-import: %+v, want reimported from %s to %s with 35 rows", res, first.SHA256, newSHA)
	}
	for _, want := range []string{"råexporten hade ändrats innan något maskats: importerad igen, ny SHA-256 " + newSHA[:12], first.SHA256[:12]} {
		if !strings.Contains(res.Summary(), want) {
			t.Errorf("summary %q lacks %q", res.Summary(), want)
		}
	}
	got := f.request(t)
	want := strings.NewReplacer("sha256: "+first.SHA256, "sha256: "+newSHA, "rader: 20", "rader: 35").Replace(recorded)
	if got != want {
		t.Errorf("request.md after the re-import:\n%s\nwant:\n%s", got, want)
	}
	checked := validate.Case(f.r, f.dir, validate.Options{Today: today})
	if checked.Findings.HasErrors() {
		t.Errorf("after the re-import: %v", checked.Findings)
	}
	if ev := checked.Evidence; ev == nil || ev.Facts.Rows != 35 || ev.Facts.RawSHA256 != newSHA {
		t.Errorf("the workbook is not the new export's: %+v", ev)
	}
}

// Anything masked or marked, or a step after the import: the changed export is refused
// as before, and nothing is written.
func TestImportAgainRefused(t *testing.T) {
	for _, tc := range []struct {
		name  string
		touch func(t *testing.T, f fixture)
	}{
		{"masked and marked", func(t *testing.T, f fixture) {
			types, _, err := workflow.LoadTypes(filepath.Join(testrepo.Root(), repo.TemplatesDir), repo.TemplatesDir)
			if err != nil {
				t.Fatal(err)
			}
			if err := (casegen.Case{ID: "2026-0001", Rows: 20}).WriteWorkbook(f.wb, types["e-postlogg"].Workbook); err != nil {
				t.Fatal(err)
			}
		}},
		{"a later step", func(t *testing.T, f fixture) {
			req := f.request(t)
			i := strings.LastIndex(req, "---\n")
			writeFile(t, filepath.Join(f.dir, casefile.FileName),
				[]byte(req[:i]+"  privat_granskad: {datum: 2026-11-22, av: reg1, antal_privata: 0}\n"+req[i:]))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t, 20)
			if _, err := f.run(t, Options{}); err != nil {
				t.Fatal(err)
			}
			tc.touch(t, f)
			before, wb := f.request(t), fileSum(t, f.wb)
			f.export(t, 35)
			res, err := f.run(t, Options{})
			if err == nil || !strings.Contains(err.Error(), "råexporten har ändrats efter importen") {
				t.Fatalf("got %+v, %v; want the refusal", res, err)
			}
			if f.request(t) != before || fileSum(t, f.wb) != wb {
				t.Error("something was written although the re-import was refused")
			}
		})
	}
}

// A half-parsed old workbook does not matter: with no workbook at all (removed) and the
// export changed, nothing can be lost, and it is imported again.
func TestImportAgainWithoutWorkbook(t *testing.T) {
	f := setup(t, 20)
	if _, err := f.run(t, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(f.wb); err != nil {
		t.Fatal(err)
	}
	newSHA := f.export(t, 21)
	res, err := f.run(t, Options{})
	if err != nil || !res.Reimported || res.SHA256 != newSHA {
		t.Fatalf("got %+v, %v; want a re-import", res, err)
	}
	if !bytes.Contains([]byte(f.request(t)), []byte("rader: 21")) {
		t.Error("rader not updated")
	}
}
