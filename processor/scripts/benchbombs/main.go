// Command benchbombs prepares what processor/scripts/bench-bombs.sh measures: a case
// repository (testrepo.Make) with a case ready for the import and a case whose review
// workbook is masked and approved (casegen), and a large raw xlsx export streamed to disk.
// For benchmarks; fictitious data.
//
// Usage:
//
//	benchbombs repo ROOT ROWS     the repository: settings, templates, cases/2026-0001 (ready for
//	                              the import, no export), cases/2026-0002 (ROWS rows, masked and
//	                              approved, raw export export.csv) and cases/2026-0003 (the same
//	                              at export_mottagen, its raw export changed since: an import
//	                              reads the workbook to see whether anything is masked yet);
//	                              prints "<id> <working area>" per case
//	benchbombs bigexport FILE N   a raw export of N e-mails as Excel writes it (shared strings)
//
// The large export is written part by part, the worksheet and the string table streamed
// into the zip, so that a million rows cost a few MiB of memory to write.
package main

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"utlamnande/processor/internal/casefile"
	"utlamnande/processor/internal/casegen"
	"utlamnande/processor/internal/repo"
	"utlamnande/processor/internal/testrepo"
	"utlamnande/processor/internal/workflow"
	"utlamnande/processor/internal/xlsxtest"
)

// The cases of the repository.
const (
	ImportCase   = "2026-0001"
	ValidateCase = "2026-0002"
	ReimportCase = "2026-0003"
)

func main() {
	args := os.Args[1:]
	var err error
	switch {
	case len(args) == 3 && args[0] == "repo":
		var n int
		if n, err = strconv.Atoi(args[2]); err == nil {
			err = makeRepo(args[1], n)
		}
	case len(args) == 3 && args[0] == "bigexport":
		var n int
		if n, err = strconv.Atoi(args[2]); err == nil {
			err = bigExport(args[1], n)
		}
	default:
		fmt.Fprintln(os.Stderr, "användning: benchbombs repo ROT ANTAL_RADER | benchbombs bigexport FIL ANTAL_RADER")
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func makeRepo(root string, rows int) error {
	if err := testrepo.Make(root, ""); err != nil {
		return err
	}
	cases := filepath.Join(root, repo.CasesDir)
	if err := os.MkdirAll(filepath.Join(cases, ImportCase), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(cases, ImportCase, casefile.FileName), []byte(casegen.ImportReady(ImportCase)), 0o644); err != nil {
		return err
	}
	r, err := repo.Open(root)
	if err != nil {
		return err
	}
	spec := r.Types["e-postlogg"].Workbook
	// casegen writes into the case folder's arbetsyta/; the settings' working area is
	// the one the processor reads: they must agree for the measurements to mean anything.
	if !r.Settings.WorkAreaInCase() || r.Settings.WorkArea != casegen.WorkArea {
		return fmt.Errorf("installningar.yaml anger arbetsyta %q; benchbombs kan bara arbetsytan %q i ärendemappen", r.Settings.WorkArea, casegen.WorkArea)
	}
	if _, err := (casegen.Case{ID: ValidateCase, Rows: rows}).Write(cases, spec); err != nil {
		return err
	}
	if err := reimportCase(cases, rows, spec); err != nil {
		return err
	}
	for _, id := range []string{ImportCase, ValidateCase, ReimportCase} {
		fmt.Printf("%s %s\n", id, r.WorkArea(filepath.Join(cases, id), id))
	}
	return nil
}

// reimportCase writes the case whose import is recorded (export_mottagen, nothing after it)
// and whose raw export has changed since (one e-mail more): processor import then reads the
// review workbook to decide whether it may import again.
func reimportCase(cases string, rows int, spec *workflow.WorkbookSpec) error {
	dir, err := (casegen.Case{ID: ReimportCase, Rows: rows}).Write(cases, spec)
	if err != nil {
		return err
	}
	req := filepath.Join(dir, casefile.FileName)
	data, err := os.ReadFile(req)
	if err != nil {
		return err
	}
	head, _, ok := strings.Cut(string(data), "  privat_granskad:")
	if !ok {
		return fmt.Errorf("%s: steget privat_granskad saknas", req)
	}
	if err := os.WriteFile(req, []byte(head+"---\nImporterad; råexporten har bytts ut sedan dess.\n"), 0o644); err != nil {
		return err
	}
	raw := filepath.Join(dir, casegen.WorkArea, repo.ExportDir, "export.csv")
	f, err := os.OpenFile(raw, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString("2026-03-01T08:00:00Z,anna.andersson@region.example,\"erik.exempel@region.example\",\"Ett e-mail till\"\n"); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

var subjects = []string{"Protokoll", "Re: Offert", "Budget 2027", "Möte", "Nyhetsbrev", "Faktura", "Dagordning", "Svar"}

// bigExport writes an export of n e-mails: a worksheet of dates (serial numbers with a date
// format) and shared strings, a string table of the distinct texts (every subject is).
func bigExport(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	z := zip.NewWriter(bw)
	z.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	part := func(name string, body func(w *bufio.Writer)) error {
		w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		b := bufio.NewWriterSize(w, 1<<20)
		body(b)
		return b.Flush()
	}
	str := func(w *bufio.Writer, s string) { w.WriteString(s) }
	fixed := []struct{ name, body string }{
		{"[Content_Types].xml", xlsxtest.ContentTypes(true)},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
			`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView/></bookViews><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", xlsxtest.WorkbookRels(true)},
		{"xl/styles.xml", xlsxtest.StylesXML},
	}
	for _, p := range fixed {
		if err := part(p.name, func(w *bufio.Writer) { str(w, p.body) }); err != nil {
			return err
		}
	}
	// Shared strings: 0-3 the headings, 4 the employee, 5-504 the senders, then one subject
	// a row.
	const senders = 500
	const firstSubject = 4 + 1 + senders
	err = part("xl/worksheets/sheet1.xml", func(w *bufio.Writer) {
		str(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+
			`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
		str(w, `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>`)
		var buf []byte
		for i := range n {
			r := i + 2
			serial := xlsxtest.NewDate(2026, 10, 1+i%28, i%24, i%60, 0).Serial(false)
			buf = buf[:0]
			buf = fmt.Appendf(buf, `<row r="%d"><c r="A%d" s="1"><v>%s</v></c><c r="B%d" t="s"><v>%d</v></c><c r="C%d" t="s"><v>4</v></c><c r="D%d" t="s"><v>%d</v></c></row>`,
				r, r, strconv.FormatFloat(serial, 'f', -1, 64), r, 5+i%senders, r, r, firstSubject+i)
			w.Write(buf)
		}
		str(w, `</sheetData></worksheet>`)
	})
	if err != nil {
		return err
	}
	err = part("xl/sharedStrings.xml", func(w *bufio.Writer) {
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+
			`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, firstSubject+n, firstSubject+n)
		for _, s := range []string{"Datum", "Från", "Till", "Ämne", "erik.exempel@region.example"} {
			str(w, "<si><t>"+s+"</t></si>")
		}
		for i := range senders {
			fmt.Fprintf(w, "<si><t>avsandare%d@kommun.example</t></si>", i)
		}
		for i := range n {
			fmt.Fprintf(w, "<si><t>%s %d</t></si>", subjects[i%len(subjects)], i+1)
		}
		str(w, `</sst>`)
	})
	if err != nil {
		return err
	}
	if err := z.Close(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}
