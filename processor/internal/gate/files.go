package gate

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"utlamnande/processor/internal/disclose"
	"utlamnande/processor/internal/export"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/gitcli"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/workflow"
)

// fileRules checks the files a change adds, modifies or deletes in case id: no raw export,
// nothing but the case's own files, and nothing released changed.
func fileRules(r *repo.Repo, id string, changes []fileChange, before, after state) finding.List {
	var fs finding.List
	t := typeOf(after)
	allowed := map[string]bool{"request.md": true,
		disclose.Folder + "/" + disclose.PDFName(id): true, disclose.Folder + "/" + disclose.ManifestFile: true}
	workbook := ""
	if t != nil {
		if t.Workbook != nil {
			workbook = t.Workbook.File
		}
	} else {
		for _, ty := range r.Types { // the type is unknown: any type's workbook
			if ty.Workbook != nil {
				allowed[ty.Workbook.File] = true
			}
		}
	}
	if workbook != "" {
		allowed[workbook] = true
	}
	locks := &workflow.LockSpec{}
	if t != nil {
		locks = lockOf(t)
	}
	released := before.recorded(locks.Released)
	purging := locks.Purged != "" && after.recorded(locks.Purged) && !before.recorded(locks.Purged)
	for _, c := range changes {
		p := c.path
		switch {
		case isRaw(c.rest) && !c.deleted:
			fs.Add(p, 0, 0, RuleRaw, "råexporten får aldrig checkas in (git-historiken är för alltid, råexporten gallras efter tre månader)",
				"ta bort den ur det som checkas in: git rm --cached \""+p+"\"; raw/ ska stå i .gitignore")
			continue
		case !c.deleted && !allowed[c.rest]:
			fs.Add(p, 0, 0, RuleUnknownFile, "filen hör inte hemma i en ärendemapp", unknownHint(c.rest, workbook))
			continue
		}
		if !released {
			continue
		}
		if c.rest == workbook && c.deleted && purging {
			continue // gallring: the workbook goes with the retention step
		}
		if c.rest == workbook || strings.HasPrefix(c.rest, disclose.Folder+"/") {
			what := "ändras"
			if c.deleted {
				what = "tas bort"
			}
			fs.Add(p, 0, 0, RuleReleased, fmt.Sprintf("filen är utlämnad och %s", what),
				"det som lämnats ut ändras aldrig; granskningsboken tas bort först med gallringssteget")
		}
	}
	return fs
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
		return "en ärendemapp har en enda granskningsbok (" + workbook + "); råexporter ligger i raw/, som aldrig checkas in, och kopior hör inte hemma här"
	case strings.HasSuffix(lower, ".pdf"):
		return "utlämnande-pdf:en skapas av processor build i utlamnande/; andra pdf:er hör inte hemma här"
	}
	return "en ärendemapp innehåller request.md, granskningsboken och utlamnande/ (pdf och manifest); flytta eller ta bort filen"
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
				"råexporter ligger i ärendets raw/, som aldrig checkas in; ta bort filen ur det som checkas in: git rm --cached \""+fc.path+"\"")
			break
		}
	}
	return fs
}
