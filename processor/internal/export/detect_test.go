package export

// Tests of LooksLikeExport, the pre-commit hook's test for a raw export: the headings are
// found behind decoys (rows above them, a harmless first sheet, a hidden sheet, a sheet the
// workbook does not list), in workbooks written by excelize and by other writers (package
// xlsxtest, hand-written parts, LibreOffice), and in text with decoy lines; harmless files,
// also workbooks of many sheets, are not exports; the reader reads what excelize reads; the
// check writes nothing to disk and reads only the first rows of each sheet.

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"utlamnande/processor/internal/xlsxtest"
)

// sheet is one worksheet of a workbook written by excelize: its name, rows, and visibility
// ("" visible, "hidden", "veryHidden").
type sheet struct {
	name  string
	rows  [][]any
	state string
}

// excelizeBook writes the sheets with excelize (shared strings, as excelize writes text).
func excelizeBook(t testing.TB, sheets ...sheet) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			if len(row) == 0 {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(s.name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	// excelize leaves the active sheet visible: a visible one is made active first.
	if i := slices.IndexFunc(sheets, func(s sheet) bool { return s.state == "" }); i >= 0 {
		f.SetActiveSheet(i)
	}
	for _, s := range sheets {
		if s.state != "" {
			if err := f.SetSheetVisible(s.name, false, s.state == "veryHidden"); err != nil {
				t.Fatal(err)
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	check, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	for _, s := range sheets {
		if vis, err := check.GetSheetVisible(s.name); err != nil || vis != (s.state == "") {
			t.Fatalf("sheet %s: visible %v (%v), want state %q", s.name, vis, err, s.state)
		}
	}
	return buf.Bytes()
}

// exportRows are a raw export's headings and two e-mails.
var exportRows = [][]any{
	{"Received", "SenderAddress", "RecipientAddress", "Subject", "Status"},
	{"2026-10-05T06:12:00Z", "anna@region.example", "erik.exempel@region.example", "Möte, onsdag", "Delivered"},
	{"2026-10-05T07:00:00Z", "vard@region.example", "erik.exempel@region.example", "Remiss", "Delivered"},
}

// decoyRows are a harmless sheet: a budget with a date and a sender but no recipient or subject.
func decoyRows(n int) [][]any {
	rows := [][]any{{"Datum", "Från", "Belopp", "Kommentar"}}
	for i := range n {
		rows = append(rows, []any{fmt.Sprintf("2026-01-%02d", 1+i%28), "ekonomi@region.example", 100 + i, fmt.Sprintf("Rad %d", i)})
	}
	return rows
}

// below puts rows under a title, a blank row and a note: headings on row 4.
func below(rows [][]any) [][]any {
	return append([][]any{{"Kvartalsrapport"}, {}, {"Sammanställd av ekonomi", "2026-01-31"}}, rows...)
}

// addSheet adds a worksheet (its XML) to an xlsxtest package: listed in the workbook first
// or last (state: its visibility, "" visible), or not listed at all, as part name.
func addSheet(t testing.TB, pkg []byte, part, name, state, body string, where string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	entry := `<sheet name="` + name + `" sheetId="9" r:id="rId99"`
	if state != "" {
		entry += ` state="` + state + `"`
	}
	entry += `/>`
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		s := string(data)
		switch f.Name {
		case "xl/workbook.xml":
			switch where {
			case "first":
				s = strings.Replace(s, "<sheets>", "<sheets>"+entry, 1)
			case "last":
				s = strings.Replace(s, "</sheets>", entry+"</sheets>", 1)
			}
		case "xl/_rels/workbook.xml.rels":
			if where != "unlisted" {
				s = strings.Replace(s, "</Relationships>", `<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/`+part+`"/></Relationships>`, 1)
			}
		case "[Content_Types].xml":
			s = strings.Replace(s, "</Types>", `<Override PartName="/`+part+`" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`, 1)
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, s)
	}
	w, err := zw.Create(part)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, body)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// inlineSheet is a worksheet's XML with inline strings, as openpyxl writes one.
func inlineSheet(rows ...[]string) string {
	var b strings.Builder
	b.WriteString(sheetStart)
	for r, row := range rows {
		fmt.Fprintf(&b, `<row r="%d">`, r+1)
		for c, v := range row {
			fmt.Fprintf(&b, `<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>`, columnName(c), r+1, v)
		}
		b.WriteString(`</row>`)
	}
	b.WriteString(sheetEnd)
	return b.String()
}

var decoySheetXML = inlineSheet([]string{"Datum", "Från", "Belopp"}, []string{"2026-01-01", "ekonomi@region.example", "100"})

// exportBuild is the raw export as Excel writes it (xlsxtest: shared strings, rich text).
func exportBuild(t testing.TB, rows [][]any) []byte {
	return xlsxtest.Build(t, xlsxtest.Style{SharedStrings: true, ExcelCR: true, Sheet: "Blad1"}, rows)
}

func TestLooksLikeExportXLSX(t *testing.T) {
	libre, err := os.ReadFile(filepath.Join("testdata", "libreoffice.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	manyDecoys := func(n int) []sheet {
		var s []sheet
		for i := range n {
			s = append(s, sheet{name: fmt.Sprintf("Blad%d", i+1), rows: decoyRows(200)})
		}
		return s
	}
	fifty := func(rows [][]any) [][]any { // 50 non-blank decoy rows, blank rows among them, then rows
		var out [][]any
		for i := range 50 {
			out = append(out, []any{fmt.Sprintf("Anteckning %d", i)}, []any{}, []any{" "})
		}
		return append(out, rows...)
	}
	exportSheetXML := inlineSheet([]string{"Received", "SenderAddress", "RecipientAddress", "Subject"}, []string{"46300.5", "a@x.se", "b@y.se", "Hej"})
	cases := []struct {
		name string
		data func(t testing.TB) []byte
		want bool
	}{
		// excelize as the writer.
		{"excelize: export on the only sheet", func(t testing.TB) []byte { return excelizeBook(t, sheet{name: "Blad1", rows: exportRows}) }, true},
		{"excelize: decoy first sheet, export on sheet 2", func(t testing.TB) []byte {
			return excelizeBook(t, sheet{name: "Budget", rows: decoyRows(20)}, sheet{name: "Blad2", rows: exportRows})
		}, true},
		{"excelize: export on a hidden sheet", func(t testing.TB) []byte {
			return excelizeBook(t, sheet{name: "Budget", rows: decoyRows(20)}, sheet{name: "Dold", rows: exportRows, state: "hidden"})
		}, true},
		{"excelize: export on a very hidden first sheet", func(t testing.TB) []byte {
			return excelizeBook(t, sheet{name: "Dold", rows: exportRows, state: "veryHidden"}, sheet{name: "Budget", rows: decoyRows(20)})
		}, true},
		{"excelize: headings on row 4 below decoy rows", func(t testing.TB) []byte { return excelizeBook(t, sheet{name: "Blad1", rows: below(exportRows)}) }, true},
		{"excelize: decoy sheet, export on sheet 3 below decoy rows", func(t testing.TB) []byte {
			return excelizeBook(t, sheet{name: "Budget", rows: decoyRows(20)}, sheet{name: "Tom"}, sheet{name: "Logg", rows: below(exportRows)})
		}, true},
		{"excelize: headings on the 50th non-blank row (blank rows do not count)", func(t testing.TB) []byte {
			return excelizeBook(t, sheet{name: "Blad1", rows: fifty(exportRows)[3:]})
		}, true},
		{"excelize: headings on the 51st non-blank row: past what is looked at", func(t testing.TB) []byte {
			return excelizeBook(t, sheet{name: "Blad1", rows: fifty(exportRows)})
		}, false},
		{"excelize: headings split over two rows", func(t testing.TB) []byte {
			return excelizeBook(t, sheet{name: "Blad1", rows: [][]any{{"Received", "SenderAddress"}, {"RecipientAddress", "Subject"}}})
		}, false},
		{"excelize: harmless workbook of 40 sheets", func(t testing.TB) []byte { return excelizeBook(t, manyDecoys(40)...) }, false},
		{"excelize: harmless workbook, one sheet of 20,000 rows", func(t testing.TB) []byte {
			return excelizeBook(t, sheet{name: "Budget", rows: decoyRows(20000)})
		}, false},
		{"excelize: empty workbook", func(t testing.TB) []byte { return excelizeBook(t, sheet{name: "Blad1"}) }, false},

		// Other writers: xlsxtest (Excel's shared strings and rich text, openpyxl's inline
		// strings), hand-written parts, LibreOffice.
		{"Excel style: export below decoy rows", func(t testing.TB) []byte { return exportBuild(t, below(xlsxRows("Datum", "Hej", xlsxDates...))) }, true},
		{"openpyxl style: export below decoy rows", func(t testing.TB) []byte {
			return xlsxtest.Build(t, xlsxtest.Style{}, below(xlsxRows("Datum", "Hej", xlsxDates...)))
		}, true},
		{"Excel style: headings in rich text with _xHHHH_ escapes", func(t testing.TB) []byte {
			return exportBuild(t, [][]any{{xlsxtest.Rich{"Dat", "um"}, "Fr_x00E5_n", "Till", xlsxtest.Rich{"Ä", "mne"}}, {"x", "a@x.se", "b@y.se", "Hej"}})
		}, true},
		{"hand-written decoy first sheet, Excel-style export on sheet 2", func(t testing.TB) []byte {
			return addSheet(t, exportBuild(t, xlsxRows("Datum", "Hej", xlsxDates...)), "xl/worksheets/sheet9.xml", "Översikt", "", decoySheetXML, "first")
		}, true},
		{"hand-written hidden export sheet after a harmless Excel-style sheet", func(t testing.TB) []byte {
			return addSheet(t, exportBuild(t, decoyRows(30)), "xl/worksheets/sheet9.xml", "Data", "hidden", exportSheetXML, "last")
		}, true},
		{"export in a worksheet under another part name", func(t testing.TB) []byte {
			return addSheet(t, exportBuild(t, decoyRows(30)), "xl/data/logg.xml", "Data", "", exportSheetXML, "last")
		}, true},
		{"export in a worksheet the workbook does not list", func(t testing.TB) []byte {
			return addSheet(t, exportBuild(t, decoyRows(30)), "xl/worksheets/sheet9.xml", "", "", exportSheetXML, "unlisted")
		}, true},
		{"harmless Excel-style workbook with a hand-written second sheet", func(t testing.TB) []byte {
			return addSheet(t, exportBuild(t, decoyRows(30)), "xl/worksheets/sheet9.xml", "Översikt", "", decoySheetXML, "last")
		}, false},
		{"LibreOffice", func(testing.TB) []byte { return libre }, true},
		{"blank shared strings do not count as rows", func(t testing.TB) []byte {
			sheetXML := sheetStart
			for r := 1; r <= 60; r++ {
				sheetXML += fmt.Sprintf(`<row r="%d"><c r="A%d" t="s"><v>0</v></c><c r="B%d" t="s"><v>1</v></c></row>`, r, r, r)
			}
			sheetXML += `<row r="61"><c t="s"><v>2</v></c><c t="s"><v>3</v></c><c t="s"><v>4</v></c><c t="s"><v>5</v></c></row>` + sheetEnd
			return genXLSX(t, text(sheetXML), text(sstStart+`<si><t xml:space="preserve"> </t></si><si><t></t></si><si><t>Datum</t></si><si><t>Från</t></si><si><t>Till</t></si><si><t>Ämne</t></si></sst>`))
		}, true},
		{"a shared string index out of range, negative or no number", func(t testing.TB) []byte {
			return genXLSX(t, text(sheetStart+`<row r="1"><c t="s"><v>-1</v></c><c t="s"><v>99</v></c><c t="s"><v>x</v></c></row>`+
				`<row r="2"><c t="inlineStr"><is><t>Datum</t></is></c><c t="inlineStr"><is><t>Från</t></is></c><c t="inlineStr"><is><t>Till</t></is></c><c t="inlineStr"><is><t>Ämne</t></is></c></row>`+sheetEnd),
				text(sstStart+`<si><t>Rubrik</t></si></sst>`))
		}, false}, // refused by checkPackage: excelize would index the table with -1 and panic
		{"refused by checkPackage (elements nested 5,000 deep): not read", func(t testing.TB) []byte { return nestedCell(t, 5000, "r") }, false},
		{"not a workbook: a zip of text", func(t testing.TB) []byte {
			var b bytes.Buffer
			zw := zip.NewWriter(&b)
			w, _ := zw.Create("export.csv")
			io.WriteString(w, threeMailsCSV(",", "\n"))
			zw.Close()
			return b.Bytes()
		}, false},
		{"a damaged package", func(t testing.TB) []byte { return exportBuild(t, exportRows)[:300] }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := LooksLikeExport(c.data(t), "bilaga.xlsx", testSpec(t)); got != c.want {
				t.Errorf("LooksLikeExport = %v, want %v", got, c.want)
			}
		})
	}
}

func TestLooksLikeExportText(t *testing.T) {
	decoy := "Anteckningar från mötet\n\"ett citat som aldrig slutar\nPunkt 1, punkt 2, punkt 3\n\n"
	var lines49, lines50 strings.Builder
	for i := range 49 {
		fmt.Fprintf(&lines49, "rad %d\n\n", i)
	}
	lines50.WriteString(lines49.String() + "rad 49\n")
	cases := []struct {
		name string
		data []byte
		want bool
	}{
		{"CSV", []byte(threeMailsCSV(",", "\r\n")), true},
		{"PowerShell 5 with its #TYPE line", []byte(powerShell5CSV), true},
		{"decoy lines (one with an open quote) above the headings", []byte(decoy + threeMailsCSV(";", "\n")), true},
		{"a decoy line with commas above semicolon headings", []byte("a,b,c,d,e\n" + threeMailsCSV(";", "\n")), true},
		{"tab-separated below decoy lines", []byte(decoy + threeMailsCSV("\t", "\r\n")), true},
		{"sep= line, decoy lines, then the headings", []byte("sep=|\r\n" + decoy + threeMailsCSV("|", "\r\n")), true},
		{"UTF-16LE with a BOM, decoy lines", utf16LE(decoy + powerShell5CSV[strings.Index(powerShell5CSV, "\n")+1:]), true},
		{"UTF-16BE with a BOM, decoy lines", utf16BE(decoy + threeMailsCSV(",", "\r\n")), true},
		{"UTF-8 BOM", append([]byte{0xEF, 0xBB, 0xBF}, threeMailsCSV(";", "\r\n")...), true},
		{"Windows-1252 below decoy lines", windows1252(t, decoy+threeMailsCSV(";", "\r\n")), true},
		{"headings on the 50th non-blank line", []byte(lines49.String() + threeMailsCSV(",", "\n")), true},
		{"headings on the 51st non-blank line", []byte(lines50.String() + threeMailsCSV(",", "\n")), false},
		{"headings in prose", []byte("Kolumnerna heter Datum, Från, Till och Ämne.\n"), false},
		{"harmless CSV", []byte("Datum;Från;Belopp\n2026-01-01;ekonomi@region.example;100\n"), false},
		{"empty", nil, false},
		{"binary", []byte{0x89, 'P', 'N', 'G', 0, 0, 0xFF}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := LooksLikeExport(c.data, "bilaga.csv", testSpec(t)); got != c.want {
				t.Errorf("LooksLikeExport = %v, want %v", got, c.want)
			}
		})
	}
}

// TestHeadingSetIsMapHeadings: the one-pass test of a row gives what mapHeadings reports, for
// rows drawn from the headings and other words in any order and case.
func TestHeadingSetIsMapHeadings(t *testing.T) {
	spec := testSpec(t)
	words := []string{"Belopp", " Status ", "", "\ufeffReceived", "\"Subject\"", "'Från'", "ämne", "TILL", "Mapp", "Datum", "Recipient", "From", "x"}
	for _, c := range spec.Columns {
		words = append(words, c.Headings...)
	}
	want := newHeadingSet(spec)
	rng := rand.New(rand.NewPCG(1, 2))
	matches := 0
	for range 20000 {
		row := make([]string, rng.IntN(7))
		for i := range row {
			row[i] = words[rng.IntN(len(words))]
			if rng.IntN(4) == 0 {
				row[i] = strings.ToUpper(row[i])
			}
		}
		_, _, missing := mapHeadings(row, spec)
		if got := want.match(row); got != (len(missing) == 0) {
			t.Fatalf("match(%q) = %v, mapHeadings misses %q", row, got, missing)
		}
		if len(missing) == 0 {
			matches++
		}
	}
	if matches < 100 {
		t.Errorf("only %d rows had the headings: the test does not test much", matches)
	}
}

// TestPartRowsAsExcelize: the rows the detector reads from each worksheet are the rows
// excelize reads (empty cells left out), for workbooks from every writer the tests have.
func TestPartRowsAsExcelize(t *testing.T) {
	libre, err := os.ReadFile(filepath.Join("testdata", "libreoffice.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	books := map[string][]byte{
		"excelize":          excelizeBook(t, sheet{name: "Budget", rows: decoyRows(20)}, sheet{name: "Logg", rows: below(exportRows), state: "hidden"}),
		"Excel style":       exportBuild(t, xlsxRows("Datum", xlsxtest.Rich{"Rad ett\r\n", "Rad två"}, xlsxDates...)),
		"openpyxl style":    xlsxtest.Build(t, xlsxtest.Style{RowNumbers: []int{1, 3, 4, 9}}, xlsxRows("Datum", "Rad ett\r\nRad två", xlsxDates...)),
		"hand-written":      addSheet(t, exportBuild(t, decoyRows(30)), "xl/data/logg.xml", "Data", "hidden", decoySheetXML, "first"),
		"LibreOffice":       libre,
		"large, many items": bigExport(t, 2000),
	}
	for name, data := range books {
		t.Run(name, func(t *testing.T) {
			z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			sst := &sharedStrings{}
			defer sst.close()
			for _, f := range z.File {
				if kindOf(f.Name) == partStrings {
					sst.f = f
				}
			}
			var ours [][][]string
			for _, f := range z.File {
				var rows [][]string
				partRows(f, sst, func(row []string) bool {
					rows = append(rows, slices.Clone(row))
					return true
				})
				if len(rows) > 0 {
					ours = append(ours, rows)
				}
			}
			x, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true, TmpDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			sheets := 0
			for _, s := range x.GetSheetList() {
				it, err := x.Rows(s)
				if err != nil {
					t.Fatal(err)
				}
				var rows [][]string
				for it.Next() {
					cols, err := it.Columns()
					if err != nil {
						t.Fatal(err)
					}
					rows = append(rows, slices.DeleteFunc(cols, func(c string) bool { return c == "" }))
				}
				it.Close()
				// excelize's rows for gaps in the row numbers: blank, as the detector skips them.
				rows = slices.DeleteFunc(rows, func(r []string) bool { return len(r) == 0 })
				if len(rows) == 0 {
					continue
				}
				sheets++
				found := slices.ContainsFunc(ours, func(o [][]string) bool {
					o = slices.DeleteFunc(slices.Clone(o), func(r []string) bool { return len(r) == 0 })
					return slices.EqualFunc(o, rows, slices.Equal)
				})
				if !found {
					t.Errorf("sheet %s: excelize reads %q, the detector none such (it read %d parts)", s, rows[:min(3, len(rows))], len(ours))
				}
			}
			if sheets == 0 {
				t.Fatal("excelize read no rows")
			}
		})
	}
}

// TestLooksLikeExportWritesNothing: the check of a large export (whose worksheet and string
// table excelize would unpack to temporary files) and of one in a hidden second sheet writes
// nothing to the system's temporary folder, or anywhere.
func TestLooksLikeExportWritesNothing(t *testing.T) {
	_, sysTmp := dedicatedTMPDIR(t)
	cwd := t.TempDir()
	t.Chdir(cwd)
	for _, data := range [][]byte{bigExport(t, 30000),
		excelizeBook(t, sheet{name: "Budget", rows: decoyRows(20)}, sheet{name: "Logg", rows: exportRows, state: "hidden"})} {
		if !LooksLikeExport(data, "bilaga.xlsx", testSpec(t)) {
			t.Error("the export is not found")
		}
	}
	assertEmpty(t, sysTmp)
	assertEmpty(t, cwd)
}

// TestLooksLikeExportBounded: on a large harmless workbook (sheets of 100,000 rows) the check
// costs little more than checkPackage, which reads every part once anyway: only the first
// rows of each sheet are read, not the sheets, and the shared strings only as far as those
// rows refer. Hostile packages are refused by checkPackage as quickly as Read refuses them.
func TestLooksLikeExportBounded(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("timings")
	}
	// An export's rows under headings made harmless (no subject), and a decoy first sheet.
	harmless := addSheet(t, bigTable(t, 100000, "Kommentar"), "xl/worksheets/sheet9.xml", "Översikt", "", decoySheetXML, "first")
	spec := testSpec(t)
	if LooksLikeExport(harmless, "bok.xlsx", spec) {
		t.Fatal("the harmless workbook looks like an export")
	}
	cost := func(f func()) (time.Duration, uint64) {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		cpu := cpuTime()
		f()
		cpu = cpuTime() - cpu
		runtime.ReadMemStats(&after)
		return cpu, after.TotalAlloc - before.TotalAlloc
	}
	check, _ := cost(func() { checkPackage(t.Context(), harmless, "bok.xlsx") })
	looks, alloc := cost(func() { LooksLikeExport(harmless, "bok.xlsx", spec) })
	t.Logf("%d KiB workbook: checkPackage %v, LooksLikeExport %v (%d MiB allocated)", len(harmless)>>10, check.Round(time.Millisecond), looks.Round(time.Millisecond), alloc>>20)
	if looks > check*3/2+100*time.Millisecond {
		t.Errorf("LooksLikeExport took %v of processor time, checkPackage %v: it reads more than the first rows", looks, check)
	}
	if alloc > 64<<20 {
		t.Errorf("LooksLikeExport allocated %d MiB, want under 64", alloc>>20)
	}
	for _, c := range hostile {
		data := c.data(t)
		cpu, alloc := cost(func() { LooksLikeExport(data, "bilaga.xlsx", spec) })
		if cpu > time.Second || alloc > 100<<20 {
			t.Errorf("%s: %v of processor time, %d MiB allocated; want under a second and 100 MiB", c.name, cpu, alloc>>20)
		}
	}
}

// bigTable is bigExport with the subject column headed subject.
func bigTable(t testing.TB, n int, subject string) []byte {
	t.Helper()
	rows := [][]any{{"Datum", "Från", "Till", subject, "Status"}}
	for i := range n {
		rows = append(rows, []any{xlsxtest.NewDate(2026, 10, 1+i%28, i%24, i%60, 0), fmt.Sprintf("avsandare%d@kommun.example", i%500),
			"erik.exempel@region.example", fmt.Sprintf("Ärende %d: %s", i, strings.Repeat("lång ämnesrad ", 8)), "Delivered"})
	}
	return xlsxtest.Build(t, xlsxtest.Style{SharedStrings: true, Sheet: "Blad1"}, rows)
}

// BenchmarkLooksLikeExport: the hook's check of a 100,000-row export (found on its first
// row) and of a harmless workbook as large (all rows looked at that it looks at).
func BenchmarkLooksLikeExport(b *testing.B) {
	big := bigExport(b, 100000)
	harmless := bigTable(b, 100000, "Kommentar")
	spec := testSpec(b)
	for _, c := range []struct {
		name string
		data []byte
		want bool
	}{{"export-100k-rows", big, true}, {"harmless-100k-rows", harmless, false}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if LooksLikeExport(c.data, "export.xlsx", spec) != c.want {
					b.Fatal("wrong answer")
				}
			}
		})
	}
}
