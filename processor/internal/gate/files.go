package gate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/disclose"
	"utlamnande/processor/internal/export"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/gitcli"
	"utlamnande/processor/internal/mailtext"
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
	for _, ty := range r.Types {
		if ty.Mail == nil || t != nil && ty != t {
			continue
		}
		// The approved texts of the released e-mails (NNNN.txt), beside the PDF.
		for _, c := range changes {
			folder, name := path.Split(c.rest)
			if _, ok := mailtext.NrOf(name); ok && folder == disclose.Folder+"/"+ty.Mail.Folder+"/" {
				release[c.rest] = true
			}
		}
	}
	// The written decisions: each enters with its step and is frozen once it has been sent.
	decisions := map[string]*workflow.DecisionDoc{}
	if t != nil {
		for _, doc := range t.Decisions {
			decisions[disclose.Folder+"/"+doc.FileName(id)] = doc
		}
	}
	for _, c := range changes {
		p := c.path
		if doc := decisions[c.rest]; doc != nil && !isWorkArea(r.Settings, c.rest) {
			switch {
			case before.recorded(doc.Frozen):
				what := "ändras"
				if c.deleted {
					what = "tas bort"
				}
				fs.Add(p, 0, 0, RuleReleased, fmt.Sprintf("beslutet är skickat (steget %s) och %s", doc.Frozen, what),
					"ett beslut som har skickats ändras aldrig; ett nytt beslut fattas i ett nytt ärende")
			case !c.deleted && !after.recorded(doc.Step):
				fs.Add(p, 0, 0, RuleReleaseEarly, "beslutet checkas in först tillsammans med steget "+doc.Step+", signerat av den som beslutar",
					"ta bort filen ur det som checkas in (git rm --cached \""+p+"\") och checka in den med steget "+doc.Step)
			}
			continue
		}
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

// FictitiousList is the list of the program's fictitious test exports: "<sha256>  <path>"
// a line. A file with a raw export's headings is accepted only under processor/**/testdata/
// and only when its content is on the list as it is in the parent commit: a new test export
// is listed in one commit (and reviewed), added in the next.
const FictitiousList = "processor/fiktiva-exporter.txt"

// rawOutside checks a file outside the case folders that the change adds or modifies: a
// table with the headings of a raw export is refused wherever it is, also packed in a zip
// or gzip file or written out as base64 (expand), unless it is listed fictitious test data.
func (ch Change) rawOutside(r *repo.Repo, b *gitcli.Batch, fc fileChange, tmp string) finding.List {
	data, size, ok, err := b.GetLimited(fc.oid, maxScanned)
	if err != nil || !ok {
		return nil
	}
	if data == nil {
		var fs finding.List
		fs.Add(fc.path, 0, 0, RuleRaw, fmt.Sprintf("filen är %d MiB och för stor för att kontrolleras (gränsen är %d MiB): den kan vara en råexport", size>>20, maxScanned>>20),
			"så stora filer hör inte hemma i ärendekatalogen; ta bort den ur det som checkas in: git rm --cached \""+fc.path+"\"")
		return fs
	}
	fs := rawPieces(r, fc.path, data, tmp, true)
	if len(fs) == 0 || !strings.HasPrefix(fc.path, "processor/") || !strings.Contains(fc.path, "/testdata/") {
		return fs
	}
	sum := sha256.Sum256(data)
	if ch.Before != "" {
		if list, ok, _ := b.Get(ch.Before + ":" + FictitiousList); ok && listed(list, hex.EncodeToString(sum[:]), fc.path) {
			return nil
		}
	}
	for i := range fs {
		fs[i].Hint = "testdata med en råexports rubriker ska vara påhittad och stå i " + FictitiousList + " (raden \"" +
			hex.EncodeToString(sum[:]) + "  " + fc.path + "\"), incheckad i en commit före filen"
	}
	return fs
}

// listed reports whether list has the line "<sum>  <path>".
func listed(list []byte, sum, path string) bool {
	for _, line := range strings.Split(string(list), "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && f[0] == sum && f[1] == path {
			return true
		}
	}
	return false
}

// rawPieces reports the file path (content data) when it, or anything packed in it, has
// the headings of a raw export. self: the file itself is looked at too (not for a
// request.md, whose own text is no table). Each piece is read in memory (export.LooksLikeExport
// writes nothing to disk); the folder parameter is no longer used.
func rawPieces(r *repo.Repo, file string, data []byte, _ string, self bool) finding.List {
	var fs finding.List
	expand(file, data, func(p piece) bool {
		if p.name == file && !self {
			return true
		}
		// The program's own files (code and test data, reviewed as code) are tables when
		// their first line is; anything else when any of its first lines is (a title line
		// above an export's headings hides nothing).
		lines := tableLines
		if strings.HasPrefix(file, "processor/") {
			lines = 1
		}
		if !looksLikeTable(p, lines) {
			return true
		}
		where := ""
		if p.name != file {
			where = " (i " + strings.TrimPrefix(p.name, file+" › ") + ")"
		}
		for _, tn := range r.TypeNames() {
			t := r.Types[tn]
			if t.Workbook == nil {
				continue
			}
			var err error
			if bytes.HasPrefix(p.data, []byte("PK\x03\x04")) {
				err = checkXLSX(p.data, p.name) // remembered: the content scan asks too
			}
			match := err == nil && export.HasExportHeadings(p.data, p.name, t.Workbook)
			switch {
			case err != nil:
				fs.Add(file, 0, 0, RuleRaw, "filen"+where+" är en arbetsbok som inte kan kontrolleras: "+finding.Printable(err.Error()),
					"en arbetsbok som processorn inte kan läsa kan vara en råexport och checkas inte in; ta bort den ur det som checkas in: git rm --cached \""+file+"\"")
				return false
			case match:
				fs.Add(file, 0, 0, RuleRaw, "filen"+where+" har en råexports rubriker (datum, avsändare, mottagare, ämne) och får inte checkas in",
					"råexporter ligger i ärendets arbetsyta, som aldrig checkas in; ta bort filen ur det som checkas in: git rm --cached \""+file+"\"")
				return false
			}
		}
		return true
	})
	return fs
}

// tableLines is how many lines of a text are looked at for separators (as many as
// export.LooksLikeExport looks at for the headings).
const tableLines = 50

// looksLikeTable: a piece worth reading as a table: a spreadsheet, or text where one of the
// first lines lines has separators (whatever its file name says).
func looksLikeTable(p piece, lines int) bool {
	if bytes.HasPrefix(p.data, []byte("PK\x03\x04")) {
		return bytes.Contains(p.data, []byte("xl/")) // an xlsx, not any zip
	}
	rest := p.data
	for n := 0; n < lines && len(rest) > 0; n++ {
		head := rest[:min(len(rest), 4096)]
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			head, rest = head[:i], rest[i+1:]
		} else {
			rest = rest[len(head):]
		}
		if bytes.Count(head, []byte(",")) >= 2 || bytes.Count(head, []byte(";")) >= 2 || bytes.Count(head, []byte("\t")) >= 2 ||
			bytes.Count(head, []byte{',', 0}) >= 2 || bytes.Count(head, []byte{';', 0}) >= 2 || bytes.Count(head, []byte{'\t', 0}) >= 2 {
			return true
		}
	}
	return false
}
