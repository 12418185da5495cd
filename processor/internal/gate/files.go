package gate

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/disclose"
	"utlamnande/processor/internal/export"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/gitcli"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/workflow"
)

// fileRules checks the files a change adds, modifies or deletes in case id: nothing of the
// working area, nothing but the case's own files, the released record only with the step
// that records the PDF, and nothing released changed.
func fileRules(r *repo.Repo, id string, changes []fileChange, before, after state) finding.List {
	var fs finding.List
	t := typeOf(after)
	workbook := ""
	if t != nil && t.Workbook != nil {
		workbook = t.Workbook.File
	}
	release := map[string]bool{disclose.Folder + "/" + disclose.PDFName(id): true, disclose.Folder + "/" + disclose.ManifestFile: true}
	rootWorkbooks := map[string]bool{}
	for _, ty := range r.Types {
		if ty.Workbook != nil && (t == nil || ty == t) {
			release[disclose.Folder+"/"+ty.Workbook.File] = true
			rootWorkbooks[ty.Workbook.File] = true
		}
	}
	locks := &workflow.LockSpec{}
	created := ""
	if t != nil {
		locks = lockOf(t)
		if t.Disclosure != nil {
			created = t.Disclosure.Created
		}
	}
	released := before.recorded(locks.Released)
	recordsPDF := created != "" && after.recorded(created)
	for _, c := range changes {
		p := c.path
		switch {
		case c.deleted:
		case isWorkArea(r.Settings, c.rest):
			fs.Add(p, 0, 0, RuleWorkArea, "filen ligger i ärendets arbetsyta och får aldrig checkas in (den kan innehålla omaskad text; git-historiken är för alltid, arbetsytan gallras)",
				"ta bort den ur det som checkas in: git rm --cached \""+p+"\"; arbetsytan står i .gitignore")
			continue
		case rootWorkbooks[c.rest]:
			fs.Add(p, 0, 0, RuleWorkArea, "granskningsboken checkas inte in medan den markeras och maskas",
				"den ligger i ärendets arbetsyta ("+r.Rel(r.WorkArea(filepath.Join(r.Root, repo.CasesDir, id), id))+"); den godkända versionen checkas in i "+disclose.Folder+"/ tillsammans med pdf:en (processor build) och steget "+orDefault(created, "pdf_skapad")+". Ta bort den ur det som checkas in: git rm --cached \""+p+"\"")
			continue
		case release[c.rest] && !recordsPDF:
			fs.Add(p, 0, 0, RuleReleaseEarly, "utlämnandet checkas in först tillsammans med steget "+orDefault(created, "pdf_skapad")+", efter att sekretessprövningen har godkänts",
				"ta bort filen ur det som checkas in (git rm --cached \""+p+"\") och checka in den med steget "+orDefault(created, "pdf_skapad")+" när granskaren har godkänt")
			continue
		case c.rest != casefile.FileName && !release[c.rest]:
			fs.Add(p, 0, 0, RuleUnknownFile, "filen hör inte hemma i en ärendemapp", unknownHint(c.rest, workbook))
			continue
		}
		if !released {
			continue
		}
		if rootWorkbooks[c.rest] && c.deleted {
			continue // a workbook committed by an earlier version may go
		}
		if strings.HasPrefix(c.rest, disclose.Folder+"/") {
			what := "ändras"
			if c.deleted {
				what = "tas bort"
			}
			fs.Add(p, 0, 0, RuleReleased, fmt.Sprintf("filen är utlämnad och %s", what),
				"det som lämnats ut ändras aldrig och tas inte bort, inte heller vid gallring")
		}
	}
	return fs
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// unknownHint explains what a stray file in a case folder probably is.
func unknownHint(rest, workbook string) string {
	base := path.Base(rest)
	lower := strings.ToLower(base)
	switch {
	case strings.HasPrefix(base, "~$") || strings.HasPrefix(base, ".~lock."):
		return "det är en låsfil som Excel eller LibreOffice skapar medan filen är öppen; ta bort den ur det som checkas in och lägg ~$* och .~lock.* i .gitignore"
	case lower == ".ds_store" || lower == "thumbs.db" || lower == "desktop.ini":
		return "det är en systemfil; ta bort den ur det som checkas in och lägg den i .gitignore"
	case strings.HasSuffix(lower, ".csv") || strings.HasSuffix(lower, ".xlsx") || strings.HasSuffix(lower, ".xls"):
		return "råexporten och granskningsboken (" + workbook + ") ligger i ärendets arbetsyta, som aldrig checkas in; kopior hör inte hemma här"
	case strings.HasSuffix(lower, ".pdf"):
		return "utlämnande-pdf:en skapas av processor build i utlamnande/; förhandsvisningar ligger i arbetsytan; andra pdf:er hör inte hemma här"
	}
	return "en ärendemapp innehåller request.md och utlamnande/ (pdf, manifest och den godkända granskningsboken); flytta eller ta bort filen"
}

// tableExtensions are the files that could hold an export.
var tableExtensions = []string{".csv", ".tsv", ".txt", ".xlsx", ".xlsm"}

// rawOutside checks a file outside the case folders that the change adds or modifies: a
// table with the headings of a raw export is refused wherever it is. The program's own
// fictitious test data (processor/**/testdata/) is exempt.
func (ch Change) rawOutside(r *repo.Repo, b *gitcli.Batch, fc fileChange, tmp string) finding.List {
	lower := strings.ToLower(fc.path)
	table := false
	for _, ext := range tableExtensions {
		table = table || strings.HasSuffix(lower, ext)
	}
	if !table || strings.HasPrefix(fc.path, "processor/") && strings.Contains(fc.path, "/testdata/") {
		return nil
	}
	data, ok, err := b.Get(fc.oid)
	if err != nil || !ok || len(data) > export.MaxSize {
		return nil
	}
	f, err := os.CreateTemp(tmp, "tabell-*"+filepath.Ext(lower))
	if err != nil {
		return nil
	}
	name := f.Name()
	_, werr := f.Write(data)
	f.Close()
	defer os.Remove(name)
	if werr != nil {
		return nil
	}
	var fs finding.List
	for _, tn := range r.TypeNames() {
		t := r.Types[tn]
		if t.Workbook != nil && export.LooksLikeExport(name, fc.path, t.Workbook) {
			fs.Add(fc.path, 0, 0, RuleRaw, "filen har en råexports rubriker (datum, avsändare, mottagare, ämne) och får inte checkas in",
				"råexporter ligger i ärendets arbetsyta, som aldrig checkas in; ta bort filen ur det som checkas in: git rm --cached \""+fc.path+"\"")
			break
		}
	}
	return fs
}
