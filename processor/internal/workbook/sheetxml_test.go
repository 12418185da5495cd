package workbook

// Tests of the fast worksheet reader (sheetxml.go). Three oracles:
//   - excelize (OpenFile with RawCellValue, GetRows, GetRowVisible/GetRowHeight,
//     GetColVisible, GetCellStyle) on workbooks from several writers;
//   - refSheet below, the same rules implemented with encoding/xml's tokenizer, on every sheet
//     and in the fuzz test, read with many scanner buffer sizes so that the XML is cut at
//     every place;
//   - explicit expectations for hand-made edge cases, where excelize is known to differ.

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/workflow"
	"utlamnande/processor/internal/xlsxtest"
)

// ---- Comparison with excelize ----

// dense returns the rows as excelize's GetRows has them: indexed by row number, trailing
// empty cells and rows dropped.
func dense(d *SheetData) [][]string {
	var out [][]string
	for _, r := range d.Rows {
		for len(out) < r.Num-1 {
			out = append(out, nil)
		}
		out = append(out, r.Cells)
	}
	return trimRows(out)
}

func trimRows(rows [][]string) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		n := len(r)
		for n > 0 && r[n-1] == "" {
			n--
		}
		out[i] = r[:n]
		if n == 0 {
			out[i] = nil
		}
	}
	for len(out) > 0 && out[len(out)-1] == nil {
		out = out[:len(out)-1]
	}
	return out
}

// excelizeView is what excelize reads from a sheet.
type excelizeView struct {
	rows       [][]string
	date1904   bool
	hiddenRows map[int]bool // rows of the sheet that are hidden or under 1 point high
	hiddenCols []int        // hidden or narrow columns among 1..maxCol
	f          *excelize.File
}

func readExcelize(t *testing.T, path, sheet string, rowNums []int, maxCol int) *excelizeView {
	t.Helper()
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	v := &excelizeView{rows: trimRows(rows), date1904: date1904(f), hiddenRows: map[int]bool{}, f: f}
	for _, n := range rowNums {
		vis, err := f.GetRowVisible(sheet, n)
		height, herr := f.GetRowHeight(sheet, n)
		if err == nil && !vis || herr == nil && height < 1 {
			v.hiddenRows[n] = true
		}
	}
	narrow := zeroWidthColumns(path, sheet)
	for c := 1; c <= maxCol; c++ {
		name, _ := excelize.ColumnNumberToName(c)
		if vis, err := f.GetColVisible(sheet, name); err == nil && !vis || slices.Contains(narrow, c) {
			v.hiddenCols = append(v.hiddenCols, c)
		}
	}
	return v
}

// diff tells how ReadSheet and excelize differ on a sheet, "" when they agree.
func diff(t *testing.T, path, sheet string, d *SheetData) string {
	t.Helper()
	var nums []int
	maxCol := 0
	for _, r := range d.Rows {
		nums = append(nums, r.Num)
		maxCol = max(maxCol, len(r.Cells))
	}
	maxCol += 3
	x := readExcelize(t, path, sheet, nums, maxCol)
	var out []string
	if got := dense(d); !reflect.DeepEqual(got, x.rows) {
		for i := range max(len(got), len(x.rows)) {
			var g, w []string
			if i < len(got) {
				g = got[i]
			}
			if i < len(x.rows) {
				w = x.rows[i]
			}
			if !slices.Equal(g, w) {
				out = append(out, fmt.Sprintf("row %d: ReadSheet %q, excelize %q", i+1, g, w))
			}
		}
	}
	if d.Date1904 != x.date1904 {
		out = append(out, fmt.Sprintf("Date1904: ReadSheet %v, excelize %v", d.Date1904, x.date1904))
	}
	for _, r := range d.Rows {
		if r.Hidden != x.hiddenRows[r.Num] {
			out = append(out, fmt.Sprintf("row %d hidden: ReadSheet %v, excelize %v", r.Num, r.Hidden, x.hiddenRows[r.Num]))
		}
		for i, s := range r.Styles {
			cell, _ := excelize.CoordinatesToCellName(i+1, r.Num)
			if want, err := x.f.GetCellStyle(sheet, cell); err == nil && want != s && !(s == 0 && r.Cells[i] == "") {
				out = append(out, fmt.Sprintf("style of %s: ReadSheet %d, excelize %d", cell, s, want))
			}
		}
	}
	var hidden []int
	for _, c := range d.HiddenCols {
		if c <= maxCol {
			hidden = append(hidden, c)
		}
	}
	if !slices.Equal(hidden, x.hiddenCols) {
		out = append(out, fmt.Sprintf("hidden columns 1–%d: ReadSheet %v, excelize %v", maxCol, hidden, x.hiddenCols))
	}
	return strings.Join(out, "\n")
}

// check reads a sheet with ReadSheet and compares it with excelize and with refSheet.
func check(t *testing.T, path, sheet string) *SheetData {
	t.Helper()
	d, err := ReadSheet(path, filepath.Base(path), sheet)
	if err != nil {
		t.Fatal(err)
	}
	if msg := diff(t, path, sheet, d); msg != "" {
		t.Errorf("%s!%s differs from excelize:\n%s", filepath.Base(path), sheet, msg)
	}
	checkReference(t, path, sheet, d)
	return d
}

// ---- Fixtures ----

func reviewSpec(t testing.TB) *workflow.WorkbookSpec {
	t.Helper()
	types, _, err := workflow.LoadTypes("../../../templates", "templates")
	if err != nil {
		t.Fatal(err)
	}
	return types["e-postlogg"].Workbook
}

// trickyRows are review rows with what XML and Excel must escape.
func trickyRows() [][]Cell {
	at := time.Date(2026, 10, 5, 8, 12, 0, 0, date.Stockholm)
	return [][]Cell{
		{1, ToSerial(at), "Inkorg", "anna@region.example", "erik@region.example", "Möte\nrad två"},
		{2, ToSerial(at.Add(time.Hour)), "Skickat", "erik@region.example", "a@x.se; b@y.se", "  mellanslag först och sist  "},
		{3, ToSerial(at.Add(2 * time.Hour)), "Inkorg", `"Anna" <anna&co@x.se>`, "'b'@y.se", "Rad ett\r\nRad två\rtre"},
		{4, ToSerial(at.Add(3 * time.Hour)), "Inkorg", "x@y.se", "", "bokstavligt _x000D_ och _x005F_ och _xABCD_"},
		{5, ToSerial(at.Add(4 * time.Hour)), "Skickat", "x@y.se", "z@y.se", "emoji 😀, tab\there, ÅÄÖ åäö é ß"},
		{6, 46300.5, "Inkorg", "", "", ""},
		{7, ToSerial(at.Add(6 * time.Hour)), "Inkorg", "x@y.se", "z@y.se", strings.Repeat("lång ", 200)},
	}
}

func writeReviewFile(t testing.TB, dir string, rows [][]Cell) string {
	t.Helper()
	path := filepath.Join(dir, "e-postlogg.xlsx")
	if err := WriteReview(path, reviewSpec(t), rows, Meta{Title: "E-postlogg 2026-0001"}); err != nil {
		t.Fatal(err)
	}
	return path
}

// editWithExcelize opens a review workbook and changes it as a registrator's edits in a
// program built on excelize would: shared strings, rich text, a formula, hidden and low rows,
// hidden and narrow columns.
func editWithExcelize(t *testing.T, src, dst string) {
	t.Helper()
	f, err := excelize.OpenFile(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetCellStr("Logg", "G2", "P"))
	must(f.SetCellStr("Logg", "F3", "Ang. patient [OSL 25:1] & <mer>"))
	must(f.SetCellStr("Logg", "F4", "delad\r\nsträng _x000D_"))
	must(f.SetCellRichText("Logg", "F5", []excelize.RichTextRun{{Text: "fet "}, {Text: "text", Font: &excelize.Font{Bold: true}}}))
	must(f.SetCellFormula("Logg", "H2", "A2*2"))
	must(f.SetCellBool("Logg", "H3", true))
	must(f.SetCellStr("Logg", "J12", "utanför"))
	must(f.SetRowVisible("Logg", 3, false))
	must(f.SetRowHeight("Logg", 4, 0))
	must(f.SetColVisible("Logg", "C", false))
	must(f.SetColWidth("Logg", "E", "E", 0))
	must(f.SaveAs(dst))
}

func TestReadSheetMatchesExcelize(t *testing.T) {
	dir := t.TempDir()
	review := writeReviewFile(t, dir, trickyRows())
	edited := filepath.Join(dir, "edited.xlsx")
	editWithExcelize(t, review, edited)
	cases := []struct{ name, path, sheet string }{
		{"WriteReview", review, "Logg"},
		{"WriteReview instruction (shared strings)", review, InstructionSheet},
		{"edited and saved by excelize", edited, "Logg"},
		{"LibreOffice export fixture", "../export/testdata/libreoffice.xlsx", "libreoffice"},
		{"LibreOffice round trip", "testdata/sheetxml/sheetxml-libreoffice.xlsx", "Logg"},
		{"demo workbook", "../../../cases/2026-0001/utlamnande/e-postlogg.xlsx", "Logg"},
		{"demo workbook instruction", "../../../cases/2026-0001/utlamnande/e-postlogg.xlsx", InstructionSheet},
	}
	for i, st := range []xlsxtest.Style{
		{},
		{Date1904: "1"},
		{Date1904: "true", SharedStrings: true},
		{SharedStrings: true, ExcelCR: true, Sheet: "Blad1"},
		{SharedStrings: true, ExcelCR: true, Date1904: "1", Sheet: "Blad1", RowNumbers: []int{1, 2, 5, 9}},
	} {
		path := filepath.Join(dir, fmt.Sprintf("writer%d.xlsx", i))
		xlsxtest.Write(t, path, st, writerRows(xlsxtest.Rich{"Rad ett\r\n", "Rad två"}))
		sheet := cmpOr(st.Sheet, "Sheet")
		cases = append(cases, struct{ name, path, sheet string }{fmt.Sprintf("test writer %+v", st), path, sheet})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := check(t, c.path, c.sheet)
			if len(d.Rows) == 0 {
				t.Fatal("no rows")
			}
		})
	}

	t.Run("WriteReview values", func(t *testing.T) {
		d := check(t, review, "Logg")
		rows := trickyRows()
		if len(d.Rows) != len(rows)+1 || !slices.Equal(d.Rows[0].Cells, reviewSpec(t).Headers()) {
			t.Fatalf("rows: %+v", d.Rows[:1])
		}
		want := map[string]string{
			"F3": "  mellanslag först och sist  ",
			"F4": "Rad ett\r\nRad två\rtre",
			"D4": `"Anna" <anna&co@x.se>`,
			"F5": "bokstavligt _x000D_ och _x005F_ och _xABCD_",
			"F6": "emoji 😀, tab\there, ÅÄÖ åäö é ß",
			"A2": "1",
			"B7": "46300.5",
			"G2": "",
		}
		for ref, w := range want {
			col, row, _ := excelize.CellNameToCoordinates(ref)
			if got := d.Rows[row-1].Cells[col-1]; got != w {
				t.Errorf("%s = %q, want %q", ref, got, w)
			}
		}
		for _, r := range d.Rows {
			if r.Hidden || len(r.Cells) != 7 || len(r.Styles) != 7 {
				t.Errorf("row %d: %+v", r.Num, r)
			}
		}
		if d.HiddenCols != nil || d.Date1904 {
			t.Errorf("HiddenCols %v, Date1904 %v", d.HiddenCols, d.Date1904)
		}
	})

	t.Run("edited by excelize: hidden facts", func(t *testing.T) {
		d := check(t, edited, "Logg")
		hidden := map[int]bool{}
		for _, r := range d.Rows {
			if r.Hidden {
				hidden[r.Num] = true
			}
		}
		if !reflect.DeepEqual(hidden, map[int]bool{3: true, 4: true}) {
			t.Errorf("hidden rows %v, want 3 and 4", hidden)
		}
		if !slices.Equal(d.HiddenCols, []int{3, 5}) {
			t.Errorf("HiddenCols = %v, want [3 5]", d.HiddenCols)
		}
		if got := d.Rows[2].Cells[5]; got != "Ang. patient [OSL 25:1] & <mer>" {
			t.Errorf("F3 = %q", got)
		}
		// excelize's SetCellStr does not escape a literal _x000D_ (its stream writer does), so
		// the text reads back, in excelize as here, with a CR.
		if got := d.Rows[3].Cells[5]; got != "delad\r\nsträng \r" {
			t.Errorf("F4 = %q", got)
		}
		if got := d.Rows[4].Cells[5]; got != "fet text" {
			t.Errorf("F5 = %q", got)
		}
		if last := d.Rows[len(d.Rows)-1]; last.Num != 12 || len(last.Cells) != 10 || last.Cells[9] != "utanför" {
			t.Errorf("last row = %+v", last)
		}
	})
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// writerRows are rows for the independent test writer: an export as other programs write it.
func writerRows(subject3 any) [][]any {
	dates := []xlsxtest.Date{xlsxtest.NewDate(2026, 10, 5, 8, 12, 0), xlsxtest.NewDate(2026, 11, 5, 14, 30, 15), xlsxtest.NewDate(2026, 12, 24, 23, 59, 59)}
	return [][]any{
		{"Datum", "Från", "Till", "Ämne", "Storlek"},
		{dates[0], "erik.exempel@region.example", "anna.andersson@kommun.example", "Återkoppling: små ändringar i ärendet", 48213},
		{dates[1], "Anna.Andersson@kommun.example", nil, `Svar: "budget" & <möte>`, 1024.5},
		{dates[2], "nyhetsbrev@example.com", "erik.exempel@region.example", subject3, nil, "  extra  "},
	}
}

// TestReadSheetLibreOffice checks the LibreOffice round trip fixture against what is known
// about it. testdata/sheetxml/sheetxml-libreoffice.xlsx was made from the flat ODS file next
// to it with LibreOffice 7 (soffice --headless --convert-to xlsx sheetxml-libreoffice.fods);
// the test does not need LibreOffice.
func TestReadSheetLibreOffice(t *testing.T) {
	d := check(t, "testdata/sheetxml/sheetxml-libreoffice.xlsx", "Logg")
	want := [][]string{
		{"Nr", "Datum", "Dold kolumn", "Smal kolumn", "Ämne", "Formel"},
		{"1", "46300.3416666667", "dolt & <gömt>", `smalt "citat" 'apostrof'`, "Rad ett\nRad två med fetstil och 😀", "1 st"},
		{"2", "46300.3958333333", "", "", "Dold rad _x000D_ bokstavligt", "#DIV/0!"},
		{"3", "46301.4166666667", "", "", "  Låg rad, mellanslag först", "1"},
		{"4", "", "", "", "Efter tomma celler"},
		nil,
		{"5.25", "efter en tom rad"},
	}
	var got [][]string
	var hidden []int
	for i, r := range d.Rows {
		if r.Num != i+1 {
			t.Fatalf("row %d has Num %d", i+1, r.Num)
		}
		got = append(got, r.Cells)
		if r.Hidden {
			hidden = append(hidden, r.Num)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows\n got %q\nwant %q", got, want)
	}
	if !slices.Equal(hidden, []int{3, 4}) { // 3 hidden, 4 0.3 points high
		t.Errorf("hidden rows %v, want [3 4]", hidden)
	}
	if !slices.Equal(d.HiddenCols, []int{3, 4}) { // C hidden, D 0.08 characters wide
		t.Errorf("HiddenCols %v, want [3 4]", d.HiddenCols)
	}
	if d.Rows[1].Styles[1] == 0 || d.Rows[1].Styles[0] != 0 {
		t.Errorf("styles of row 2: %v", d.Rows[1].Styles)
	}
}

// ---- Hand-made edge cases ----

const mainNS = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

// buildPackage makes a minimal xlsx package with one sheet, Blad1, whose XML is sheetXML;
// sstXML is the shared string table (none when empty), workbookPr the <workbookPr> element.
func buildPackage(t testing.TB, sheetXML, sstXML, workbookPr string) []byte {
	t.Helper()
	return buildPackageWith(t, zip.Deflate, sheetXML, sstXML, workbookPr)
}

// buildPackageWith is buildPackage with the parts compressed by method.
func buildPackageWith(t testing.TB, method uint16, sheetXML, sstXML, workbookPr string) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", xlsxtest.ContentTypes(sstXML != "")},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook ` + mainNS + `>` + workbookPr + `<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", xlsxtest.WorkbookRels(sstXML != "")},
		{"xl/worksheets/sheet1.xml", sheetXML},
		{"xl/styles.xml", xlsxtest.StylesXML},
	}
	if sstXML != "" {
		parts = append(parts, struct{ name, body string }{"xl/sharedStrings.xml", sstXML})
	}
	for _, p := range parts {
		w, err := z.CreateHeader(&zip.FileHeader{Name: p.name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, p.body)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sheetDoc(body string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n<worksheet " + mainNS + ">" + body + "</worksheet>"
}

func sstDoc(items ...string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n<sst " + mainNS + ` count="` + strconv.Itoa(len(items)) + `">` + strings.Join(items, "") + "</sst>"
}

// row is an expected row: its number, hidden, and cells (styles not checked when nil).
type row struct {
	num    int
	hidden bool
	cells  []string
	styles []int
}

func TestReadSheetEdgeCases(t *testing.T) {
	cases := []struct {
		name       string
		sheet, sst string
		workbookPr string
		rows       []row
		hiddenCols []int
		date1904   bool
		excelize   string // how excelize differs, when it does ("" when it agrees)
	}{
		{
			name: "entities and character references",
			sheet: sheetDoc(`<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#10;f&#x0A;g&#xD;h&#128512;&#x1F600;</t></is></c>` +
				`<c r="B1" t="s"><v>0</v></c><c r="C1" t="str"><v>&amp;&#38;&#x26;</v></c></row></sheetData>`),
			sst:  sstDoc(`<si><t>&lt;&lt;&amp;&gt;&gt; &#8220;citat&#8221;</t></si>`),
			rows: []row{{1, false, []string{"a & b <c> \"d\" 'e' \nf\ng\rh😀😀", "<<&>> “citat”", "&&&"}, nil}},
		},
		{
			name: "Excel's _xHHHH_ escapes",
			sheet: sheetDoc(`<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a_x000D__x000A_b _x005F_x000D_ _x0009_ _x000d_ _x00G0_ _x12_ __x0041_</t></is></c>` +
				`<c r="B1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c><c r="D1"><v>_x0041_</v></c></row></sheetData>`),
			sst: sstDoc(`<si><t>rad ett_x000D_
rad två</t></si>`, `<si><r><t>de_x005F_</t></r><r><t>x000D_lat</t></r></si>`),
			rows: []row{{1, false, []string{"a\r\nb _x000D_ \t \r _x00G0_ _x12_ _A", "rad ett\r\nrad två", "de_x000D_lat", "_x0041_"}, nil}},
		},
		{
			name:     "a surrogate pair as two escapes",
			sheet:    sheetDoc(`<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>_xD83D__xDE00_ ensam _xD800_ slut</t></is></c></row></sheetData>`),
			rows:     []row{{1, false, []string{"😀 ensam \uFFFD slut"}, nil}},
			excelize: "excelize drops each half of a pair (strconv.Unquote of a lone surrogate fails)",
		},
		{
			name:     "formula string results have their escapes decoded",
			sheet:    sheetDoc(`<sheetData><row r="1"><c r="A1" t="str"><f>A2&amp;CHAR(13)</f><v>x_x000D_</v></c></row></sheetData>`),
			rows:     []row{{1, false, []string{"x\r"}, nil}},
			excelize: "excelize returns t=\"str\" values without decoding _xHHHH_",
		},
		{
			name: "rich text and phonetic runs",
			sheet: sheetDoc(`<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><r><t>in</t></r><r><rPr><b/></rPr><t xml:space="preserve"> line</t></r>` +
				`<rPh sb="0" eb="1"><t>ふりがな</t></rPh><phoneticPr fontId="1"/></is></c></row></sheetData>`),
			sst:  sstDoc(`<si><r><rPr><b/><sz val="11"/></rPr><t>fet</t></r><r><t xml:space="preserve"> normal</t></r><rPh sb="0" eb="1"><t>ふりがな</t></rPh><phoneticPr fontId="1"/></si>`),
			rows: []row{{1, false, []string{"fet normal", "in line"}, nil}},
		},
		{
			name: "rows and cells without r",
			sheet: sheetDoc(`<sheetData><row><c><v>1</v></c><c t="inlineStr"><is><t>b</t></is></c></row>` +
				`<row r="4"><c r="C4"><v>3</v></c><c><v>4</v></c><c r="F4"/></row><row><c><v>5</v></c></row></sheetData>`),
			rows: []row{{1, false, []string{"1", "b"}, nil}, {4, false, []string{"", "", "3", "4", "", ""}, nil}, {5, false, []string{"5"}, nil}},
		},
		{
			name: "hidden and low rows",
			sheet: sheetDoc(`<sheetFormatPr defaultRowHeight="15"/><sheetData>` +
				`<row r="1"><c r="A1"><v>1</v></c></row>` +
				`<row r="2" hidden="1"><c r="A2"><v>2</v></c></row>` +
				`<row r="3" ht="0" customHeight="1"><c r="A3"><v>3</v></c></row>` +
				`<row r="4" hidden="true"><c r="A4"><v>4</v></c></row>` +
				`<row r="5" ht="0.5"><c r="A5"><v>5</v></c></row>` +
				`<row r="6" hidden="false" ht="15" customHeight="1"><c r="A6"><v>6</v></c></row>` +
				`<row r="7" ht="1"><c r="A7"><v>7</v></c></row>` +
				`<row r="8" hidden="0" customHeight="1"/>` +
				`</sheetData>`),
			rows: []row{{1, false, []string{"1"}, nil}, {2, true, []string{"2"}, nil}, {3, true, []string{"3"}, nil}, {4, true, []string{"4"}, nil},
				{5, true, []string{"5"}, nil}, {6, false, []string{"6"}, nil}, {7, false, []string{"7"}, nil}, {8, false, nil, nil}},
		},
		{
			name: "hidden and narrow columns",
			sheet: sheetDoc(`<cols><col min="2" max="2" width="0" customWidth="1"/><col min="3" max="4" hidden="1" width="9" customWidth="1"/>` +
				`<col min="5" max="5" width="0.4"/><col min="6" max="6" width="0.5"/><col min="7" max="7" hidden="false" width="3"/><col min="9" max="16384" hidden="1"/></cols>` +
				`<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>`),
			rows:       []row{{1, false, []string{"1"}, nil}},
			hiddenCols: append([]int{2, 3, 4, 5}, seq(9, 16384)...),
		},
		{
			name: "namespace prefixes",
			sheet: `<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:cols><x:col min="2" max="2" hidden="1"/></x:cols>` +
				`<x:sheetData><x:row r="1" hidden="1"><x:c r="A1" t="s" s="1"><x:v>0</x:v></x:c><x:c r="B1" t="inlineStr"><x:is><x:r><x:t>inline</x:t></x:r></x:is></x:c><x:c r="C1"><x:f>1+1</x:f><x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
			sst:        `<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:si><x:t>delad</x:t></x:si></x:sst>`,
			rows:       []row{{1, true, []string{"delad", "inline", "2"}, []int{1, 0, 0}}},
			hiddenCols: []int{2},
		},
		{
			name: "CDATA, comments and processing instructions",
			sheet: sheetDoc(`<!-- före --><?pi data?><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[<b>&amp;</b>]]> och <!-- inte --> text<?pi x?></t></is></c>` +
				`<c r="B1"><v><![CDATA[42]]></v></c><!-- <c r="C1"><v>9</v></c> --><c r="D1" t="s"><v>0</v></c></row></sheetData>`),
			sst:  sstDoc(`<si><t><![CDATA[a]]]]><![CDATA[>b]]></t></si>`),
			rows: []row{{1, false, []string{"<b>&amp;</b> och  text", "42", "", "a]]>b"}, nil}},
		},
		{
			name:  "self-closing cells with styles",
			sheet: sheetDoc(`<sheetData><row r="1"><c r="A1" s="1"/><c r="B1" s="2"><v>7</v></c><c r="D1" s="1"></c></row></sheetData>`),
			rows:  []row{{1, false, []string{"", "7", "", ""}, []int{1, 2, 0, 1}}},
		},
		{
			name: "cell types and formulas",
			sheet: sheetDoc(`<sheetData><row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="C1" t="b"><v>1</v></c>` +
				`<c r="D1" t="e"><v>#N/A</v></c><c r="E1" t="d"><v>2026-10-05T08:12:00</v></c><c r="F1" t="n"><v>1.5E-3</v></c><c r="G1" t="b"><v>0</v></c>` +
				`<c r="H1"><f>NOW()</f></c><c r="I1" t="inlineStr"><v>ingen is</v></c><c r="J1" t="s"><v> 0 </v></c><c r="K1" t="s"></c></row></sheetData>`),
			sst:  sstDoc(`<si><t>noll</t></si>`),
			rows: []row{{1, false, []string{"2", "ab", "1", "#N/A", "2026-10-05T08:12:00", "1.5E-3", "0", "", "ingen is", "noll", ""}, nil}},
		},
		{
			name: "white space and line ends",
			sheet: sheetDoc("<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">  två  </t></is></c>" +
				"<c r=\"B1\" t=\"inlineStr\"><is><t> utan preserve </t></is></c><c r=\"C1\" t=\"inlineStr\"><is><t>a\r\nb\rc\nd&#13;&#10;e</t></is></c>" +
				"<c r=\"D1\" t=\"inlineStr\"><is><t>\t</t></is></c></row></sheetData>"),
			rows: []row{{1, false, []string{"  två  ", " utan preserve ", "a\nb\nc\nd\r\ne", "\t"}, nil}},
		},
		{
			name:  "quoting and spacing in tags",
			sheet: sheetDoc("<sheetData\n><row  r = '1'\t><c r='A1' s = \"2\" t='inlineStr' ><is ><t\n>x&gt;y</t ></is></c ><c\nr=\"B1\"\n/></row\n></sheetData >"),
			rows:  []row{{1, false, []string{"x>y", ""}, []int{2, 0}}},
		},
		{
			name:       "1904 date system",
			sheet:      sheetDoc(`<sheetData><row r="1"><c r="A1"><v>0.5</v></c></row></sheetData>`),
			workbookPr: `<workbookPr date1904="true"/>`,
			rows:       []row{{1, false, []string{"0.5"}, nil}},
			date1904:   true,
		},
		{
			name:       "1900 date system written out",
			sheet:      sheetDoc(`<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>`),
			workbookPr: `<workbookPr date1904="false" filterPrivacy="1"/>`,
			rows:       []row{{1, false, []string{"1"}, nil}},
		},
		{
			name:     "zeroHeight hides rows without a height",
			sheet:    sheetDoc(`<sheetFormatPr defaultRowHeight="15" zeroHeight="1"/><sheetData><row r="1" ht="15" customHeight="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row></sheetData>`),
			rows:     []row{{1, false, []string{"1"}, nil}, {2, true, []string{"2"}, nil}},
			excelize: "excelize's GetRowVisible and GetRowHeight ignore zeroHeight",
		},
		{
			name:  "a custom default row height under 1 point",
			sheet: sheetDoc(`<sheetFormatPr defaultRowHeight="0.5" customHeight="1"/><sheetData><row r="1" ht="15"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row></sheetData>`),
			rows:  []row{{1, false, []string{"1"}, nil}, {2, true, []string{"2"}, nil}},
		},
		{
			name:       "a default column width under half a character",
			sheet:      sheetDoc(`<sheetFormatPr defaultRowHeight="15" defaultColWidth="0"/><cols><col min="1" max="2" width="9"/></cols><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>`),
			rows:       []row{{1, false, []string{"1"}, nil}},
			hiddenCols: seq(3, 16384),
			excelize:   "excelize's GetColVisible ignores defaultColWidth",
		},
		{
			name:  "byte order mark, no declaration, empty sheet data",
			sheet: "\xef\xbb\xbf<worksheet " + mainNS + "><sheetData/></worksheet>",
		},
		{
			name:  "gaps between rows",
			sheet: sheetDoc(`<sheetData><row r="2"><c r="B2"><v>1</v></c></row><row r="7" spans="1:3"><c r="C7" t="inlineStr"><is><t>sju</t></is></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>`),
			rows:  []row{{2, false, []string{"", "1"}, nil}, {7, false, []string{"", "", "sju"}, nil}},
		},
		{
			name: "lower-case cell references, elements after sheetData",
			sheet: sheetDoc(`<sheetData><row r="1"><c r="b1"><v>2</v></c></row></sheetData><cols><col min="1" max="1" hidden="1"/></cols>` +
				`<extLst><ext><row r="9"><c r="A9"><v>9</v></c></row></ext></extLst>`),
			rows:     []row{{1, false, []string{"", "2"}, nil}},
			excelize: "excelize reads a <cols> after <sheetData> (Excel would not open such a file)",
		},
	}
	dir := t.TempDir()
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, fmt.Sprintf("edge%d.xlsx", i))
			if err := os.WriteFile(path, buildPackage(t, c.sheet, c.sst, c.workbookPr), 0o644); err != nil {
				t.Fatal(err)
			}
			d, err := ReadSheet(path, "edge.xlsx", "Blad1")
			if err != nil {
				t.Fatal(err)
			}
			var got []row
			for _, r := range d.Rows {
				if len(r.Styles) != len(r.Cells) {
					t.Errorf("row %d: %d styles for %d cells", r.Num, len(r.Styles), len(r.Cells))
				}
				got = append(got, row{r.Num, r.Hidden, r.Cells, r.Styles})
			}
			for i := range got {
				if i < len(c.rows) && c.rows[i].styles == nil {
					got[i].styles = nil
				}
			}
			if !reflect.DeepEqual(got, c.rows) {
				t.Errorf("rows\n got %#v\nwant %#v", got, c.rows)
			}
			if !slices.Equal(d.HiddenCols, c.hiddenCols) {
				t.Errorf("HiddenCols = %v, want %v", d.HiddenCols, c.hiddenCols)
			}
			if d.Date1904 != c.date1904 {
				t.Errorf("Date1904 = %v", d.Date1904)
			}
			checkReference(t, path, "Blad1", d)
			msg := diff(t, path, "Blad1", d)
			switch {
			case c.excelize == "" && msg != "":
				t.Errorf("differs from excelize:\n%s", msg)
			case c.excelize != "" && msg == "":
				t.Errorf("expected excelize to differ (%s), but it agrees", c.excelize)
			case c.excelize != "":
				t.Logf("known difference from excelize (%s):\n%s", c.excelize, msg)
			}
		})
	}
}

func seq(from, to int) []int {
	var out []int
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

// ---- Errors ----

func TestReadSheetErrors(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("å", MaxCellChars) // Excel's longest cell text
	cases := []struct {
		name, sheet, sst string
		want             string // in the message
	}{
		{"rows out of order", sheetDoc(`<sheetData><row r="2"/><row r="1"/></sheetData>`), "", "rad 1 står efter rad 2"},
		{"cells out of order", sheetDoc(`<sheetData><row r="1"><c r="B1"/><c r="A1"/></row></sheetData>`), "", "cell A1 står efter cell B1"},
		{"a bad cell reference", sheetDoc(`<sheetData><row r="1"><c r="1A"/></row></sheetData>`), "", "ogiltig cellreferens"},
		{"a column beyond XFD", sheetDoc(`<sheetData><row r="1"><c r="XFE1"/></row></sheetData>`), "", "ogiltig cellreferens"},
		{"a row beyond Excel's last", sheetDoc(`<sheetData><row r="1048577"/></sheetData>`), "", "ogiltigt radnummer"},
		{"a bad style index", sheetDoc(`<sheetData><row r="1"><c r="A1" s="-1"/></row></sheetData>`), "", "ogiltigt formatindex"},
		{"an unknown entity", sheetDoc(`<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&nbsp;</t></is></c></row></sheetData>`), "", "okänd entitet &nbsp;"},
		{"a bad character reference", sheetDoc(`<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&#0;</t></is></c></row></sheetData>`), "", "ogiltig teckenreferens"},
		{"a DOCTYPE", `<!DOCTYPE worksheet [<!ENTITY x "y">]>` + sheetDoc(`<sheetData/>`), "", "DOCTYPE"},
		{"cut off", sheetDoc(`<sheetData><row r="1"><c r="A1"><v>1</v></c>`)[:120], "", "tar slut"},
		{"cut off in a tag", `<worksheet><sheetData><row r="1`, "", "tar slut mitt i en tagg"},
		{"invalid UTF-8", sheetDoc("<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>\xff</t></is></c></row></sheetData>"), "", "UTF-8"},
		{"UTF-16", "\xff\xfe<\x00w\x00", "", "UTF-16"},
		{"another encoding", `<?xml version="1.0" encoding="ISO-8859-1"?>` + "<worksheet/>", "", "ISO-8859-1"},
		{"a shared string that is missing", sheetDoc(`<sheetData><row r="1"><c r="A1" t="s"><v>1</v></c></row></sheetData>`), sstDoc(`<si><t>a</t></si>`), "den delade strängen 1 saknas"},
		{"a bad shared string index", sheetDoc(`<sheetData><row r="1"><c r="A1" t="s"><v>x</v></c></row></sheetData>`), sstDoc(`<si><t>a</t></si>`), "ogiltigt index"},
		{"no shared strings", sheetDoc(`<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>`), "", "den delade strängen 0 saknas"},
		{"a string over 32,767 characters", sheetDoc(`<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>` + long + `x</t></is></c></row></sheetData>`), "", "längre än 32 767 tecken (cell A1)"},
		{"a value over 32,767 characters", sheetDoc(`<sheetData><row r="1"><c r="A1"><v>` + strings.Repeat("9", MaxCellChars+1) + `</v></c></row></sheetData>`), "", "längre än 32 767 tecken"},
		{"a value far over the limit", sheetDoc(`<sheetData><row r="1"><c r="A1"><v>` + strings.Repeat("9", 8*MaxCellChars) + `</v></c></row></sheetData>`), "", "längre än 32 767 tecken"},
		{"rich text over 32,767 characters", sheetDoc(`<sheetData><row r="1"><c r="A1" t="inlineStr"><is><r><t>` + long + `</t></r><r><t>x</t></r></is></c></row></sheetData>`), "", "längre än 32 767 tecken"},
		{"escapes decoding to over 32,767 characters", sheetDoc(`<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>` + strings.Repeat("_x0041_", MaxCellChars+1) + `</t></is></c></row></sheetData>`), "", "längre än 32 767 tecken"},
		{"emoji count twice", sheetDoc(`<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>` + strings.Repeat("😀", MaxCellChars/2+1) + `</t></is></c></row></sheetData>`), "", "längre än 32 767 tecken"},
		{"a shared string over 32,767 characters", sheetDoc(`<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>`), sstDoc(`<si><t>` + long + `</t><t>x</t></si>`), "xl/sharedStrings.xml) kan inte läsas: en text är längre än 32 767 tecken"},
		{"elements nested too deep in a cell", sheetDoc(`<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>` + strings.Repeat("<x>", MaxDepth) + `</t></is></c></row></sheetData>`), "", "nästlade i mer än 64 nivåer"},
		{"elements nested too deep after the cells", sheetDoc(`<sheetData/><extLst>` + strings.Repeat("<x>", 3000)), "", "bladet Blad1 (xl/worksheets/sheet1.xml) kan inte läsas (efter raderna): elementen är nästlade i mer än 64 nivåer"},
		{"elements nested too deep in the shared strings", sheetDoc(`<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>`), sstDoc(`<si><t>a</t></si>` + strings.Repeat("<si>", 100)), "nästlade i mer än 64 nivåer"},
		{"a tag over 2 MiB", sheetDoc(`<sheetData><row r="1" x="` + strings.Repeat("a", 2*maxTag) + `"/></sheetData>`), "", "tagg är längre än 2 MiB"},
		{"a cell inside a cell", sheetDoc(`<sheetData><row r="1"><c r="A1"><c r="B1"/></c></row></sheetData>`), "", "en cell står i en annan cell"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, fmt.Sprintf("bad%d.xlsx", i))
			if err := os.WriteFile(path, buildPackage(t, c.sheet, c.sst, ""), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadSheet(path, "bad.xlsx", "Blad1")
			var we *Error
			if !errors.As(err, &we) || we.File != "bad.xlsx" || !strings.Contains(we.Msg, c.want) {
				t.Fatalf("error %v, want an *Error with %q", err, c.want)
			}
			t.Log(we.Msg)
		})
	}

	t.Run("strings of exactly 32,767 characters are read", func(t *testing.T) {
		path := filepath.Join(dir, "long.xlsx")
		sheet := sheetDoc(`<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>` + long + `</t></is></c><c r="B1" t="s"><v>0</v></c></row></sheetData>`)
		if err := os.WriteFile(path, buildPackage(t, sheet, sstDoc(`<si><t>`+long+`</t></si>`), ""), 0o644); err != nil {
			t.Fatal(err)
		}
		d, err := ReadSheet(path, "long.xlsx", "Blad1")
		if err != nil || d.Rows[0].Cells[0] != long || d.Rows[0].Cells[1] != long {
			t.Fatalf("%v", err)
		}
	})

	t.Run("files", func(t *testing.T) {
		notZip := filepath.Join(dir, "not.xlsx")
		os.WriteFile(notZip, []byte("Datum;Från\n"), 0o644)
		encrypted := filepath.Join(dir, "encrypted.xlsx")
		os.WriteFile(encrypted, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), 0o644)
		good := filepath.Join(dir, "good.xlsx")
		os.WriteFile(good, buildPackage(t, sheetDoc(`<sheetData/>`), "", ""), 0o644)
		noSheetPart := filepath.Join(dir, "nopart.xlsx")
		os.WriteFile(noSheetPart, dropPart(t, buildPackage(t, sheetDoc(`<sheetData/>`), "", ""), "xl/worksheets/sheet1.xml"), 0o644)
		big := filepath.Join(dir, "big.xlsx")
		os.WriteFile(big, claimSize(t, buildPackage(t, sheetDoc(`<sheetData/>`), "", ""), "xl/worksheets/sheet1.xml", 1<<30), 0o644)
		for _, c := range []struct{ path, sheet, want string }{
			{filepath.Join(dir, "missing.xlsx"), "Blad1", "filen finns inte"},
			{notZip, "Blad1", "ingen läsbar xlsx-arbetsbok"},
			{encrypted, "Blad1", "lösenordsskyddad"},
			{good, "Logg", "bladet Logg finns inte"},
			{noSheetPart, "Blad1", "saknar sin del xl/worksheets/sheet1.xml"},
			{big, "Blad1", "bladet Blad1 (xl/worksheets/sheet1.xml) packas upp till mer än 256 MiB"},
		} {
			_, err := ReadSheet(c.path, "fil.xlsx", c.sheet)
			var we *Error
			if !errors.As(err, &we) || !strings.Contains(we.Msg, c.want) {
				t.Errorf("%s: error %v, want %q", filepath.Base(c.path), err, c.want)
			}
		}
	})

	t.Run("a damaged part", func(t *testing.T) {
		// A stored (uncompressed) sheet with one byte changed: the zip reader's checksum
		// fails at the end of the part, which ReadSheet reads to the end.
		data := buildPackageWith(t, zip.Store, sheetDoc(`<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><pageMargins left="0.7"/>`), "", "")
		i := bytes.Index(data, []byte(`left="0.7"`))
		data[i+7] = '8'
		path := filepath.Join(dir, "damaged.xlsx")
		os.WriteFile(path, data, 0o644)
		_, err := ReadSheet(path, "damaged.xlsx", "Blad1")
		var we *Error
		if !errors.As(err, &we) || !strings.Contains(we.Msg, "kontrollsumman stämmer inte") {
			t.Errorf("error %v, want a checksum error", err)
		}
	})
}

// dropPart removes a part from a package.
func dropPart(t *testing.T, data []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if f.Name == name {
			continue
		}
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	zw.Close()
	return buf.Bytes()
}

// claimSize changes the uncompressed size of a part in the central directory, as a zip bomb
// that lies about its size would.
func claimSize(t testing.TB, data []byte, name string, size uint32) []byte {
	t.Helper()
	i := bytes.Index(data, []byte("PK\x01\x02"))
	for i >= 0 {
		nameLen := int(binary.LittleEndian.Uint16(data[i+28:]))
		if string(data[i+46:i+46+nameLen]) == name {
			binary.LittleEndian.PutUint32(data[i+24:], size)
			return data
		}
		next := bytes.Index(data[i+4:], []byte("PK\x01\x02"))
		if next < 0 {
			break
		}
		i += 4 + next
	}
	t.Fatalf("no %s in the central directory", name)
	return nil
}

// ---- The reference reader ----

// partsOf returns the XML of a sheet and of the shared strings (nil when there are none).
func partsOf(t testing.TB, path, sheet string) (sheetXML, sstXML []byte, date1904 bool) {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	read := func(name string) []byte {
		f := zipFile(&z.Reader, name)
		if f == nil {
			return nil
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var wb struct {
		Pr struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
	}
	decodePart(&z.Reader, "xl/workbook.xml", &wb)
	return read(sheetPart(&z.Reader, sheet)), read(sharedStringsPart(&z.Reader)), xsdBool(wb.Pr.Date1904)
}

// checkReference compares d with refSheet, and reads the sheet again with scanner buffers of
// many sizes.
func checkReference(t *testing.T, path, sheet string, d *SheetData) {
	t.Helper()
	sheetXML, sstXML, date1904 := partsOf(t, path, sheet)
	want, err := refSheet(sheetXML, sstXML)
	if err != nil {
		t.Fatalf("reference reader: %v", err)
	}
	want.Date1904 = date1904
	if msg := compareSheets(d, want); msg != "" {
		t.Errorf("ReadSheet and the reference reader differ: %s", msg)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	sizes := []int{16, 17, 19, 23, 29, 64, 100, 1000}
	if len(sheetXML) > 200000 {
		sizes = []int{16, 1000}
	}
	for _, size := range sizes {
		got, err := readSheet(z, "x.xlsx", sheet, size)
		if err != nil {
			t.Fatalf("buffer %d: %v", size, err)
		}
		if msg := compareSheets(got, d); msg != "" {
			t.Fatalf("buffer %d: %s", size, msg)
		}
	}
}

func compareSheets(got, want *SheetData) string {
	if len(got.Rows) != len(want.Rows) {
		return fmt.Sprintf("%d rows, want %d", len(got.Rows), len(want.Rows))
	}
	for i, g := range got.Rows {
		w := want.Rows[i]
		if g.Num != w.Num || g.Hidden != w.Hidden || !slices.Equal(g.Cells, w.Cells) || !slices.Equal(g.Styles, w.Styles) || !slices.Equal(g.Kinds, w.Kinds) {
			return fmt.Sprintf("row %d: %#v, want %#v", i, g, w)
		}
	}
	if got.Date1904 != want.Date1904 || !slices.Equal(got.HiddenCols, want.HiddenCols) {
		return fmt.Sprintf("Date1904 %v, HiddenCols %v; want %v, %v", got.Date1904, got.HiddenCols, want.Date1904, want.HiddenCols)
	}
	return ""
}

var xEscapeRE = regexp.MustCompile(`_x[0-9A-Fa-f]{4}_`)

// refXString decodes Excel's _xHHHH_ escapes, written apart from decodeXString: with a
// regular expression and the UTF-16 decoder.
func refXString(s string) string {
	var units []uint16
	var out strings.Builder
	flush := func() {
		if len(units) > 0 {
			out.WriteString(string(utf16.Decode(units)))
			units = units[:0]
		}
	}
	last := 0
	for _, m := range xEscapeRE.FindAllStringIndex(s, -1) {
		if m[0] > last {
			flush()
			out.WriteString(s[last:m[0]])
		}
		v, _ := strconv.ParseUint(s[m[0]+2:m[1]-1], 16, 16)
		units = append(units, uint16(v))
		last = m[1]
	}
	flush()
	out.WriteString(s[last:])
	return out.String()
}

// refSST reads a shared string table with encoding/xml.
func refSST(data []byte) ([]string, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var out []string
	var cur strings.Builder
	inSI, inT, rph, nest := false, false, 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch {
			case inT:
				nest++
			case tok.Name.Local == "si":
				inSI, rph = true, 0
				cur.Reset()
			case tok.Name.Local == "t" && inSI && rph == 0:
				inT = true
			case tok.Name.Local == "rPh" && inSI:
				rph++
			}
		case xml.EndElement:
			switch {
			case nest > 0:
				nest--
			case inT:
				inT = false
			case tok.Name.Local == "si" && inSI:
				out = append(out, refXString(cur.String()))
				inSI = false
			case tok.Name.Local == "rPh" && inSI:
				rph--
			}
		case xml.CharData:
			if inT && nest == 0 {
				cur.Write(tok)
			}
		}
	}
}

// refSheet reads a worksheet with encoding/xml's tokenizer, by the rules ReadSheet documents
// (it assumes what ReadSheet checks: rows and cells in order, shared string indexes valid).
func refSheet(sheetXML, sstXML []byte) (*SheetData, error) {
	var sst []string
	if sstXML != nil {
		var err error
		if sst, err = refSST(sstXML); err != nil {
			return nil, err
		}
	}
	attr := func(e xml.StartElement, name string) (string, bool) {
		v, ok := "", false
		for _, a := range e.Attr {
			if a.Name.Space == "" && a.Name.Local == name {
				v, ok = a.Value, true
			}
		}
		return v, ok
	}
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return -1
		}
		return v
	}
	out := &SheetData{}
	cols := map[int]bool{}
	described := map[int]bool{}
	defaultHidden, narrowDefault := false, false
	inData, inCols, inRow, inCell := false, false, false, false
	var cur SheetRow
	type cellState struct {
		col, style     int
		t              string
		v, is          strings.Builder
		sawV, sawIs    bool
		inV, inT, inIs bool
		rph            int
		formula        bool
	}
	var c *cellState
	nest := 0
	d := xml.NewDecoder(bytes.NewReader(sheetXML))
tokens:
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		capturing := c != nil && (c.inV || c.inT)
		switch tok := tok.(type) {
		case xml.CharData:
			if capturing && nest == 0 {
				if c.inV {
					c.v.Write(tok)
				} else {
					c.is.Write(tok)
				}
			}
			continue
		case xml.StartElement:
			if capturing {
				nest++
				continue
			}
			name := tok.Name.Local
			if !inData {
				switch name {
				case "sheetFormatPr":
					zero, _ := attr(tok, "zeroHeight")
					custom, _ := attr(tok, "customHeight")
					h, hok := attr(tok, "defaultRowHeight")
					w, wok := attr(tok, "defaultColWidth")
					defaultHidden = xsdBool(zero) || xsdBool(custom) && hok && num(h) >= 0 && num(h) < 1
					narrowDefault = wok && num(w) >= 0 && num(w) < 0.5
				case "cols":
					inCols = true
				case "col":
					if !inCols {
						break
					}
					lo, _ := attr(tok, "min")
					hi, _ := attr(tok, "max")
					h, _ := attr(tok, "hidden")
					w, wok := attr(tok, "width")
					l, _ := strconv.Atoi(strings.TrimSpace(lo))
					m, _ := strconv.Atoi(strings.TrimSpace(hi))
					for i := max(l, 1); i <= min(m, 16384); i++ {
						described[i] = true
						if xsdBool(h) || wok && num(w) != -1 && num(w) < 0.5 {
							cols[i] = true
						}
					}
				case "sheetData":
					inData = true
				}
				continue
			}
			switch name {
			case "row":
				cur = SheetRow{Num: cur.Num + 1}
				if r, ok := attr(tok, "r"); ok {
					cur.Num, _ = strconv.Atoi(strings.TrimSpace(r))
				}
				h, _ := attr(tok, "hidden")
				ht, hasHt := attr(tok, "ht")
				if hasHt && num(ht) == -1 && strings.TrimSpace(ht) != "-1" {
					hasHt = false
				}
				cur.Hidden = xsdBool(h) || hasHt && num(ht) < 1 || !hasHt && defaultHidden
				inRow = true
			case "c":
				if !inRow {
					break
				}
				c = &cellState{col: len(cur.Cells) + 1}
				if r, ok := attr(tok, "r"); ok {
					col := 0
					for _, ch := range strings.ToUpper(strings.TrimRight(r, "0123456789 \t\r\n")) {
						col = col*26 + int(ch-'A') + 1
					}
					c.col = col
				}
				s, _ := attr(tok, "s")
				c.style, _ = strconv.Atoi(strings.TrimSpace(s))
				c.t, _ = attr(tok, "t")
				inCell = true
			case "v":
				if inCell && !c.inIs {
					c.inV, c.sawV = true, true
					c.v.Reset()
				}
			case "is":
				if inCell {
					c.inIs, c.sawIs, c.rph = true, true, 0
					c.is.Reset()
				}
			case "t":
				if inCell && c.inIs && c.rph == 0 {
					c.inT = true
				}
			case "rPh":
				if inCell && c.inIs {
					c.rph++
				}
			case "f":
				if inCell {
					c.formula = true
				}
			}
		case xml.EndElement:
			if nest > 0 {
				nest--
				continue
			}
			name := tok.Name.Local
			if !inData {
				if name == "cols" {
					inCols = false
				}
				continue
			}
			switch name {
			case "sheetData":
				break tokens
			case "row":
				if inRow {
					out.Rows = append(out.Rows, cur)
					inRow = false
				}
			case "c":
				if !inCell {
					break
				}
				val := ""
				switch {
				case c.t == "s":
					if idx := strings.TrimSpace(c.v.String()); c.sawV && idx != "" {
						n, _ := strconv.Atoi(idx)
						val = sst[n]
					}
				case c.t == "inlineStr" && c.sawIs:
					val = refXString(c.is.String())
				case c.sawV && c.t == "str":
					val = refXString(c.v.String())
				case c.sawV:
					val = c.v.String()
				}
				for len(cur.Cells) < c.col {
					cur.Cells = append(cur.Cells, "")
					cur.Styles = append(cur.Styles, 0)
					cur.Kinds = append(cur.Kinds, KindNone)
				}
				kind := map[string]CellKind{"": KindNumber, "n": KindNumber, "s": KindShared, "inlineStr": KindInline, "str": KindFormulaString,
					"b": KindBool, "e": KindError, "d": KindDate}[c.t]
				if kind == KindNone {
					kind = KindOther
				}
				if c.formula {
					kind |= KindFormula
				}
				cur.Cells[c.col-1], cur.Styles[c.col-1], cur.Kinds[c.col-1] = val, c.style, kind
				c, inCell = nil, false
			case "v":
				if inCell {
					c.inV = false
				}
			case "is":
				if inCell {
					c.inIs, c.inT = false, false
				}
			case "t":
				if inCell {
					c.inT = false
				}
			case "rPh":
				if inCell && c.inIs {
					c.rph--
				}
			}
		}
	}
	for i := 1; i <= 16384; i++ {
		if cols[i] || narrowDefault && !described[i] {
			out.HiddenCols = append(out.HiddenCols, i)
		}
	}
	return out, nil
}

// ---- Fuzzing ----

// FuzzReadSheet reads fuzz bytes as the sheet1.xml of a minimal package (and the second
// argument, when not empty, as its shared string table), with a scanner buffer whose size
// depends on the input. ReadSheet must not panic or hang; what it reads must be consistent,
// and when encoding/xml finds the XML well formed, equal to what the reference reader reads.
func FuzzReadSheet(f *testing.F) {
	defaultSST := sstDoc(`<si><t>noll</t></si>`, `<si><r><t>ett_x000D_</t></r><rPh><t>x</t></rPh></si>`, `<si><t xml:space="preserve"> två &amp; </t></si>`)
	seeds := []string{
		sheetDoc(`<sheetData><row r="1"><c r="A1" t="s"><v>1</v></c><c r="C1" s="2"><v>3.5</v></c></row><row r="3" hidden="1"><c t="inlineStr"><is><t>x&lt;y</t></is></c></row></sheetData>`),
		sheetDoc(`<sheetFormatPr zeroHeight="1" defaultColWidth="0.2"/><cols><col min="1" max="3" hidden="1"/></cols><sheetData><row ht="0.5"><c><v><![CDATA[1]]></v></c></row></sheetData>`),
		`<x:worksheet xmlns:x="urn:x"><x:sheetData><x:row><x:c r="B1" t="str"><x:f>1</x:f><x:v>_xD83D__xDE00_</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
		"\xef\xbb\xbf<?xml version='1.0'?><!-- c --><worksheet><sheetData><row r='2'><c r='A2' t='b'><v>1</v></c></row></sheetData></worksheet>",
	}
	for _, s := range seeds {
		f.Add([]byte(s), []byte(""))
	}
	f.Add([]byte(seeds[0]), []byte(sstDoc(`<si><t>a</t></si>`, `<si/>`, `<si><r><t>b</t></r></si>`)))
	for _, p := range []string{"testdata/sheetxml/sheetxml-libreoffice.xlsx", "../export/testdata/libreoffice.xlsx"} {
		sheet := "Logg"
		if strings.Contains(p, "export") {
			sheet = "libreoffice"
		}
		s, sst, _ := partsOf(f, p, sheet)
		f.Add(s, sst)
	}
	f.Fuzz(func(t *testing.T, sheetXML, sstXML []byte) {
		sst := string(sstXML)
		if sst == "" {
			sst = defaultSST
		}
		data := buildPackageWith(t, zip.Store, string(sheetXML), sst, "") // stored: faster to fuzz
		z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		size := 16 + len(sheetXML)%61
		d, err := readSheet(z, "fuzz.xlsx", "Blad1", size)
		if err != nil {
			var we *Error
			if !errors.As(err, &we) || we.Msg == "" {
				t.Fatalf("error %v is not an *Error", err)
			}
			return
		}
		prev := 0
		for _, r := range d.Rows {
			if r.Num <= prev || r.Num > maxSheetRows || len(r.Cells) != len(r.Styles) || len(r.Cells) > maxSheetCols {
				t.Fatalf("row %+v after %d", r, prev)
			}
			prev = r.Num
		}
		if !slices.IsSorted(d.HiddenCols) || len(d.HiddenCols) > 0 && (d.HiddenCols[0] < 1 || d.HiddenCols[len(d.HiddenCols)-1] > maxSheetCols) {
			t.Fatalf("HiddenCols %v", d.HiddenCols)
		}
		again, err := readSheet(z, "fuzz.xlsx", "Blad1", scanBuffer)
		if err != nil {
			t.Fatalf("buffer %d reads it, the default buffer fails: %v", size, err)
		}
		if msg := compareSheets(d, again); msg != "" {
			t.Fatalf("buffer %d and the default buffer differ: %s", size, msg)
		}
		if xml.Unmarshal(sheetXML, new(any)) != nil || !wellFormed(sheetXML) || !wellFormed([]byte(sst)) {
			return
		}
		want, err := refSheet(sheetXML, []byte(sst))
		if err != nil {
			return
		}
		if msg := compareSheets(d, want); msg != "" {
			t.Fatalf("ReadSheet and the reference reader differ: %s", msg)
		}
	})
}

// FuzzReadSheetGenerated makes a well-formed worksheet and shared string table from the fuzz
// bytes (each byte chooses: elements, attributes, prefixes, quoting, text with entities,
// CDATA, comments, escapes), which ReadSheet must read, and read as the reference reader
// does. It reaches far more of the rules than raw bytes, which are rarely well formed.
func FuzzReadSheetGenerated(f *testing.F) {
	for _, seed := range []string{"", "\x01\x02\x03\x04\x05\x06\x07\x08\x09", "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4", "0123456789abcdefghijklmnopqrstuvwxyz"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, choices []byte) {
		g := &sheetGen{choices: choices}
		sheetXML, sstXML := g.sheet(), g.sst()
		data := buildPackageWith(t, zip.Store, sheetXML, sstXML, "")
		z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		d, err := readSheet(z, "fuzz.xlsx", "Blad1", 16+len(choices)%61)
		if err != nil {
			t.Fatalf("%v\nsheet: %s\nsst: %s", err, sheetXML, sstXML)
		}
		want, err := refSheet([]byte(sheetXML), []byte(sstXML))
		if err != nil {
			t.Fatalf("reference reader: %v\nsheet: %s\nsst: %s", err, sheetXML, sstXML)
		}
		if msg := compareSheets(d, want); msg != "" {
			t.Fatalf("ReadSheet and the reference reader differ: %s\nsheet: %s\nsst: %s", msg, sheetXML, sstXML)
		}
	})
}

// sheetGen writes worksheets as the fuzz bytes choose.
type sheetGen struct {
	choices []byte
	prefix  string
	strings int // items in the shared string table
}

// pick returns a choice in [0, n).
func (g *sheetGen) pick(n int) int {
	if len(g.choices) == 0 {
		return 0
	}
	c := int(g.choices[0]) % n
	g.choices = g.choices[1:]
	return c
}

var textPieces = []string{"a", "Å", "ö", " ", "  ", "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#10;", "&#13;", "&#x9;",
	"&#x1F600;", "&#229;", "\r\n", "\r", "\n", "\t", "_x000D_", "_x005F_x000D_", "_xD83D__xDE00_", "_xd800_", "_x00", "x000D_",
	"<![CDATA[<&>]]>", "<![CDATA[a\r\nb]]]]><![CDATA[>]]>", "<!-- c -->", "<?pi x?>", "<u>inne</u>", "<u/>", "😀", "1.5", "42", ">", "'", `"`}

func (g *sheetGen) text() string {
	var b strings.Builder
	for range g.pick(5) {
		b.WriteString(textPieces[g.pick(len(textPieces))])
	}
	return b.String()
}

// attr writes a name="value" attribute with either quote and some white space.
func (g *sheetGen) attr(name, value string) string {
	q := `"`
	if g.pick(4) == 0 {
		q = "'"
	}
	sp := []string{" ", "  ", "\n", "\t"}[g.pick(4)]
	eq := []string{"=", " = ", "="}[g.pick(3)]
	return sp + name + eq + q + value + q
}

func (g *sheetGen) el(name string) string { return g.prefix + name }

func (g *sheetGen) sheet() string {
	if g.pick(3) == 0 {
		g.prefix = "x:"
	}
	g.strings = 1 + g.pick(4)
	var b strings.Builder
	if g.pick(2) == 0 {
		b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	}
	fmt.Fprintf(&b, `<%s xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`, g.el("worksheet"))
	if g.pick(2) == 0 {
		b.WriteString("<" + g.el("sheetFormatPr"))
		heights := []string{"15", "0", "0.5", "1", "x"}
		b.WriteString(g.attr("defaultRowHeight", heights[g.pick(len(heights))]))
		for _, a := range []string{"customHeight", "zeroHeight"} {
			if v := g.pick(4); v > 0 {
				b.WriteString(g.attr(a, []string{"", "1", "false", "true"}[v]))
			}
		}
		if g.pick(2) == 0 {
			b.WriteString(g.attr("defaultColWidth", []string{"9", "0", "0.4", "0.5"}[g.pick(4)]))
		}
		b.WriteString("/>")
	}
	if n := g.pick(4); n > 0 {
		b.WriteString("<" + g.el("cols") + ">")
		lo := 1
		for range n {
			lo += g.pick(3)
			hi := lo + g.pick(3)
			if g.pick(8) == 0 {
				hi = 16384
			}
			b.WriteString("<" + g.el("col") + g.attr("min", strconv.Itoa(lo)) + g.attr("max", strconv.Itoa(hi)))
			if g.pick(2) == 0 {
				b.WriteString(g.attr("width", []string{"9", "0", "0.49", "0.5", "12.5"}[g.pick(5)]))
			}
			if v := g.pick(3); v > 0 {
				b.WriteString(g.attr("hidden", []string{"", "1", "false"}[v]))
			}
			b.WriteString("/>")
			lo = hi + 1
		}
		b.WriteString("</" + g.el("cols") + ">")
	}
	b.WriteString("<" + g.el("sheetData") + ">")
	num := 0
	for range g.pick(6) {
		b.WriteString("<" + g.el("row"))
		if g.pick(4) > 0 {
			num += 1 + g.pick(3)
			b.WriteString(g.attr("r", strconv.Itoa(num)))
		} else {
			num++ // the running count
		}
		if v := g.pick(3); v > 0 {
			b.WriteString(g.attr("hidden", []string{"", "1", "0"}[v]))
		}
		if v := g.pick(5); v > 0 {
			b.WriteString(g.attr("ht", []string{"", "0", "0.9", "15", "abc"}[v]))
		}
		if g.pick(3) == 0 {
			b.WriteString(g.attr("customHeight", "1"))
		}
		cells := g.pick(5)
		if cells == 0 && g.pick(2) == 0 {
			b.WriteString("/>")
			continue
		}
		b.WriteString(">")
		col := 0
		for range cells {
			b.WriteString(g.cell(num, &col))
		}
		b.WriteString("</" + g.el("row") + ">")
	}
	b.WriteString("</" + g.el("sheetData") + ">")
	if g.pick(3) == 0 {
		b.WriteString("<" + g.el("mergeCells") + `><` + g.el("mergeCell") + ` ref="A1:B2"/></` + g.el("mergeCells") + ">")
	}
	// Elements after the cells, which ReadSheet keeps for the review's checks.
	tails := []string{
		`<` + g.el("conditionalFormatting") + ` sqref="A1:B3"><` + g.el("cfRule") + ` type="expression" dxfId="0" priority="1"><` + g.el("formula") + `>TRUE</` + g.el("formula") + `></` + g.el("cfRule") + `></` + g.el("conditionalFormatting") + `>`,
		`<` + g.el("dataValidations") + ` count="1"><` + g.el("dataValidation") + ` type="list" sqref="G2"><` + g.el("formula1") + `>"P"</` + g.el("formula1") + `></` + g.el("dataValidation") + `></` + g.el("dataValidations") + `>`,
		`<` + g.el("hyperlinks") + `><` + g.el("hyperlink") + ` ref="A1" r:id="rId1" xmlns:r="urn:r"/></` + g.el("hyperlinks") + `>`,
		`<` + g.el("headerFooter") + `><` + g.el("oddHeader") + `>` + g.text() + `</` + g.el("oddHeader") + `></` + g.el("headerFooter") + `>`,
		`<` + g.el("extLst") + `><` + g.el("ext") + ` uri="{x}"><` + g.el("row") + ` r="99"><` + g.el("c") + `><` + g.el("v") + `>9</` + g.el("v") + `></` + g.el("c") + `></` + g.el("row") + `></` + g.el("ext") + `></` + g.el("extLst") + `>`,
	}
	for range g.pick(4) {
		b.WriteString(tails[g.pick(len(tails))])
	}
	b.WriteString("</" + g.el("worksheet") + ">")
	return b.String()
}

func (g *sheetGen) cell(row int, col *int) string {
	var b strings.Builder
	b.WriteString("<" + g.el("c"))
	if g.pick(4) > 0 {
		*col += 1 + g.pick(2)
		ref := xlsxtest.ColName(*col-1) + strconv.Itoa(row)
		if g.pick(5) == 0 {
			ref = strings.ToLower(ref)
		}
		b.WriteString(g.attr("r", ref))
	} else {
		*col++ // the running column
	}
	if g.pick(2) == 0 {
		b.WriteString(g.attr("s", strconv.Itoa(g.pick(5))))
	}
	types := []string{"", "s", "inlineStr", "str", "b", "n", "e", "d"}
	typ := types[g.pick(len(types))]
	if typ != "" {
		b.WriteString(g.attr("t", typ))
	}
	if g.pick(6) == 0 {
		b.WriteString("/>")
		return b.String()
	}
	b.WriteString(">")
	if g.pick(4) == 0 {
		b.WriteString("<" + g.el("f") + ">A1&amp;B1</" + g.el("f") + ">")
	}
	switch {
	case typ == "s":
		if g.pick(4) > 0 {
			b.WriteString("<" + g.el("v") + ">" + []string{"", " "}[g.pick(2)] + strconv.Itoa(g.pick(g.strings)) + "</" + g.el("v") + ">")
		}
	case typ == "inlineStr" && g.pick(4) > 0:
		b.WriteString("<" + g.el("is") + ">" + g.runs() + "</" + g.el("is") + ">")
	case g.pick(5) > 0:
		b.WriteString("<" + g.el("v") + ">" + g.text() + "</" + g.el("v") + ">")
	}
	b.WriteString("</" + g.el("c") + ">")
	return b.String()
}

// runs writes the content of an <is> or <si>: text, rich text runs, phonetic runs.
func (g *sheetGen) runs() string {
	var b strings.Builder
	t := func() string {
		space := ""
		if g.pick(2) == 0 {
			space = ` xml:space="preserve"`
		}
		if g.pick(6) == 0 {
			return "<" + g.el("t") + space + "/>"
		}
		return "<" + g.el("t") + space + ">" + g.text() + "</" + g.el("t") + ">"
	}
	if g.pick(2) == 0 {
		b.WriteString(t())
	}
	for range g.pick(4) {
		b.WriteString("<" + g.el("r") + ">")
		switch g.pick(3) {
		case 0:
			b.WriteString("<" + g.el("rPr") + "><" + g.el("b") + "/><" + g.el("sz") + ` val="11"/></` + g.el("rPr") + ">")
		case 1:
			b.WriteString("<" + g.el("rPr") + "><" + g.el("color") + ` rgb="FFFFFFFF"/><` + g.el("sz") + ` val="2"/></` + g.el("rPr") + ">")
		}
		b.WriteString(t() + "</" + g.el("r") + ">")
	}
	if g.pick(3) == 0 {
		b.WriteString("<" + g.el("rPh") + ` sb="0" eb="1">` + t() + "</" + g.el("rPh") + "><" + g.el("phoneticPr") + ` fontId="1"/>`)
	}
	return b.String()
}

func (g *sheetGen) sst() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	fmt.Fprintf(&b, `<%s xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="%d">`, g.el("sst"), g.strings)
	for range g.strings {
		if g.pick(8) == 0 {
			b.WriteString("<" + g.el("si") + "/>")
			continue
		}
		b.WriteString("<" + g.el("si") + ">" + g.runs() + "</" + g.el("si") + ">")
	}
	b.WriteString("</" + g.el("sst") + ">")
	return b.String()
}

// wellFormed tells whether encoding/xml reads all of data without an error.
func wellFormed(data []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return true
		}
		if err != nil {
			return false
		}
	}
}

// ---- Benchmark ----

// BenchmarkReadSheet100k reads a 100,000-row review workbook with ReadSheet and with
// excelize's Rows iterator (opening the file included in both).
func BenchmarkReadSheet100k(b *testing.B) {
	const n = 100000
	path := writeReviewFile(b, b.TempDir(), rows100k(n))
	if fi, err := os.Stat(path); err == nil {
		b.Logf("%d rows, %.1f MiB on disk", n, float64(fi.Size())/(1<<20))
	}
	b.Run("ReadSheet", func(b *testing.B) {
		for b.Loop() {
			d, err := ReadSheet(path, "e-postlogg.xlsx", "Logg")
			if err != nil || len(d.Rows) != n+1 {
				b.Fatal(err)
			}
		}
	})
	b.Run("ReadReview", func(b *testing.B) {
		spec := reviewSpec(b)
		for b.Loop() {
			rev, fs, err := ReadReview(path, "e-postlogg.xlsx", spec)
			if err != nil || len(rev.Rows) != n || len(fs) != 0 {
				b.Fatal(err, fs)
			}
		}
	})
	b.Run("excelize", func(b *testing.B) {
		for b.Loop() {
			f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true, UnzipSizeLimit: MaxUnzipped, UnzipXMLSizeLimit: MaxXMLInMemory})
			if err != nil {
				b.Fatal(err)
			}
			it, err := f.Rows("Logg")
			if err != nil {
				b.Fatal(err)
			}
			var got [][]string
			for it.Next() {
				cols, err := it.Columns()
				if err != nil {
					b.Fatal(err)
				}
				got = append(got, cols)
			}
			it.Close()
			f.Close()
			if len(got) != n+1 {
				b.Fatal(len(got))
			}
		}
	})
}

// rows100k returns n review rows like a real log's.
func rows100k(n int) [][]Cell {
	words := []string{"Återkoppling", "möte", "om", "ärendet", "budget", "för", "offert", "städtjänster", "protokoll", "från",
		"ledningsgrupp", "remiss", "till", "ortopeden", "sjukskrivning", "fakturan", "påminnelse", "avtal", "övertid", "schema"}
	at := time.Date(2026, 1, 5, 8, 12, 0, 0, date.Stockholm)
	rows := make([][]Cell, n)
	for i := range rows {
		var text []string
		for k := range 20 {
			text = append(text, words[(i*7+k*3)%len(words)])
		}
		subject := []rune("Sv: " + strings.Join(text, " "))
		subject = subject[:40+i%41] // 40–80 characters
		folder, from, to := "Inkorg", fmt.Sprintf("person.%d@region.example", i%977), "erik.exempel@region.example"
		if i%3 == 0 {
			folder, from, to = "Skickat", to, fmt.Sprintf("mottagare%d@kommun.example", i%1313)
		}
		rows[i] = []Cell{i + 1, ToSerial(at.Add(time.Duration(i) * 7 * time.Minute)), folder, from, to, strings.TrimSpace(string(subject))}
	}
	return rows
}

// zeroWidthColumns returns the 1-based columns of sheet whose width is under half a
// character: invisible in Excel without being marked hidden (excelize reads width 0 as
// "not set").
func zeroWidthColumns(file, sheet string) []int {
	z, err := zip.OpenReader(file)
	if err != nil {
		return nil
	}
	defer z.Close()
	part := sheetPart(&z.Reader, sheet)
	if part == "" {
		return nil
	}
	var ws struct {
		Cols []struct {
			Min   int      `xml:"min,attr"`
			Max   int      `xml:"max,attr"`
			Width *float64 `xml:"width,attr"`
		} `xml:"cols>col"`
	}
	if err := decodePart(&z.Reader, part, &ws); err != nil {
		return nil
	}
	var out []int
	for _, c := range ws.Cols {
		if c.Width != nil && *c.Width < 0.5 && c.Max-c.Min < 1000 {
			for i := c.Min; i <= c.Max; i++ {
				out = append(out, i)
			}
		}
	}
	return out
}
