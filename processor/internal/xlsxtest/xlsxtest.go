// Package xlsxtest writes minimal xlsx workbooks without excelize, the way other programs
// write them (openpyxl-style inline strings, Excel-style shared strings, dates as serial
// numbers, the 1904 system), for tests that must read files written by something other than
// excelize.
//
// It writes the zip parts of a SpreadsheetML package by hand with archive/zip. It knows the
// few things exports use: text cells (inline strings as openpyxl writes them, or a shared
// string table as Excel writes it), numbers, dates as serial numbers with a date number
// format, and the 1904 date system.
package xlsxtest

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Date is a wall-clock date and time to be written as an Excel serial number with a date
// number format: year, month, day, hour, minute and second. The serial is computed here,
// from the calendar, not with workbook.Serial.
type Date struct {
	Y, M, D, H, Min, S int
}

// NewDate returns the Date of year y, month mo, day d, hour h, minute mi and second s (for
// callers in other packages, whose unkeyed Date literals go vet rejects).
func NewDate(y, mo, d, h, mi, s int) Date {
	return Date{Y: y, M: mo, D: d, H: h, Min: mi, S: s}
}

// Serial returns the date's serial number: whole days since the epoch (1899-12-30 in the
// 1900 system, 1904-01-01 in the 1904 system) plus the fraction of the day.
func (d Date) Serial(date1904 bool) float64 {
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	days := time.Date(d.Y, time.Month(d.M), d.D, 0, 0, 0, 0, time.UTC).Sub(epoch) / (24 * time.Hour)
	return float64(days) + float64(d.H*3600+d.Min*60+d.S)/86400
}

// Rich is a shared string made of formatted runs (<si><r>…</r><r>…</r></si>), as Excel
// writes a cell where part of the text is bold.
type Rich []string

// Style says how the writer stores text and dates.
type Style struct {
	SharedStrings bool   // t="s" and xl/sharedStrings.xml (Excel); otherwise t="inlineStr" (openpyxl)
	Date1904      string // the date1904 attribute of <workbookPr>: "" (absent), "1", "true"
	Sheet         string // sheet name; "Sheet" (openpyxl's default) when empty
	RowNumbers    []int  // the r of each row (1-based), to leave gaps; 1, 2, 3 … when nil
	ExcelCR       bool   // write CR as _x000D_ as Excel does (otherwise a character reference)
}

// Write writes rows to a new workbook at path. A cell is a string, a Rich, a Date, an int
// or a float64; nil leaves the cell out.
func Write(t testing.TB, path string, st Style, rows [][]any) {
	t.Helper()
	if err := os.WriteFile(path, Build(t, st, rows), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Build returns the bytes of the workbook Write writes.
func Build(t testing.TB, st Style, rows [][]any) []byte {
	t.Helper()
	if st.Sheet == "" {
		st.Sheet = "Sheet"
	}
	date1904 := st.Date1904 == "1" || st.Date1904 == "true"

	var shared []string // XML of each <si>
	sharedIndex := map[string]int{}
	addShared := func(si string) int {
		if i, ok := sharedIndex[si]; ok {
			return i
		}
		shared = append(shared, si)
		sharedIndex[si] = len(shared) - 1
		return len(shared) - 1
	}
	text := func(s string) string {
		return `<t xml:space="preserve">` + xmlText(s, st.ExcelCR) + `</t>`
	}

	var sheet strings.Builder
	sheet.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	sheet.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`)
	sheet.WriteString(`<sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData>`)
	for i, row := range rows {
		r := i + 1
		if st.RowNumbers != nil {
			r = st.RowNumbers[i]
		}
		fmt.Fprintf(&sheet, `<row r="%d">`, r)
		for j, cell := range row {
			ref := ColName(j) + strconv.Itoa(r)
			switch v := cell.(type) {
			case nil:
			case string:
				if st.SharedStrings {
					fmt.Fprintf(&sheet, `<c r="%s" t="s"><v>%d</v></c>`, ref, addShared(text(v)))
				} else {
					fmt.Fprintf(&sheet, `<c r="%s" t="inlineStr"><is>%s</is></c>`, ref, text(v))
				}
			case Rich:
				var si strings.Builder
				for k, run := range v {
					si.WriteString(`<r>`)
					if k%2 == 1 {
						si.WriteString(`<rPr><b/><sz val="11"/><rFont val="Calibri"/></rPr>`)
					}
					si.WriteString(text(run) + `</r>`)
				}
				if st.SharedStrings {
					fmt.Fprintf(&sheet, `<c r="%s" t="s"><v>%d</v></c>`, ref, addShared(si.String()))
				} else {
					fmt.Fprintf(&sheet, `<c r="%s" t="inlineStr"><is>%s</is></c>`, ref, si.String())
				}
			case Date:
				fmt.Fprintf(&sheet, `<c r="%s" s="1"><v>%s</v></c>`, ref, strconv.FormatFloat(v.Serial(date1904), 'f', -1, 64))
			case int:
				fmt.Fprintf(&sheet, `<c r="%s"><v>%d</v></c>`, ref, v)
			case float64:
				fmt.Fprintf(&sheet, `<c r="%s"><v>%s</v></c>`, ref, strconv.FormatFloat(v, 'f', -1, 64))
			default:
				t.Fatalf("xlsxtest.Write: cell of type %T", cell)
			}
		}
		sheet.WriteString(`</row>`)
	}
	sheet.WriteString(`</sheetData><pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/></worksheet>`)

	workbookPr := ""
	if st.Date1904 != "" {
		workbookPr = `<workbookPr date1904="` + st.Date1904 + `"/>`
	}
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", ContentTypes(st.SharedStrings)},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			workbookPr + `<bookViews><workbookView/></bookViews><sheets><sheet name="` + xmlText(st.Sheet, false) + `" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", WorkbookRels(st.SharedStrings)},
		{"xl/worksheets/sheet1.xml", sheet.String()},
		{"xl/styles.xml", StylesXML},
	}
	if st.SharedStrings {
		var sst strings.Builder
		fmt.Fprintf(&sst, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+
			`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(shared), len(shared))
		for _, si := range shared {
			sst.WriteString(`<si>` + si + `</si>`)
		}
		sst.WriteString(`</sst>`)
		parts = append(parts, struct{ name, body string }{"xl/sharedStrings.xml", sst.String()})
	}

	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := z.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// ContentTypes returns [Content_Types].xml for a package with one sheet, with a shared
// string table when shared is set.
func ContentTypes(shared bool) string {
	s := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`
	if shared {
		s += `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`
	}
	return s + `</Types>`
}

// WorkbookRels returns xl/_rels/workbook.xml.rels for a package with one sheet, with a
// shared string table when shared is set.
func WorkbookRels(shared bool) string {
	s := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`
	if shared {
		s += `<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`
	}
	return s + `</Relationships>`
}

// StylesXML has two cell formats: 0 General and 1 a date and time (custom format 164, as
// openpyxl writes for datetime values).
const StylesXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
	`<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd h:mm:ss"/></numFmts>` +
	`<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
	`<fills count="2"><fill><patternFill/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
	`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>` +
	`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
	`</styleSheet>`

// xmlText escapes s for XML text. A CR is written as Excel does (_x000D_) when excelCR is
// set, otherwise as a character reference so that the XML parser keeps it.
func xmlText(s string, excelCR bool) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\r':
			if excelCR {
				b.WriteString("_x000D_")
			} else {
				b.WriteString("&#13;")
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ColName returns the column letters of a 0-based column index: 0 A, 25 Z, 26 AA.
func ColName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// Unpacked lists the temporary files excelize has unpacked under dir (excelize-*): where a
// test looks for the raw export's text outside the workbook.
func Unpacked(dir string) []string {
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasPrefix(d.Name(), "excelize-") {
			files = append(files, p)
		}
		return nil
	})
	return files
}

// CancelWhenUnpacked calls cancel as soon as excelize has unpacked something under dir (a
// Ctrl-C while the raw export is on disk), and sends the files it saw, or nil when nothing
// appeared within timeout or ctx ended first.
func CancelWhenUnpacked(ctx context.Context, cancel func(), dir string, timeout time.Duration) <-chan []string {
	seen := make(chan []string, 1)
	go func() {
		deadline := time.Now().Add(timeout)
		for time.Now().Before(deadline) && ctx.Err() == nil {
			if files := Unpacked(dir); len(files) > 0 {
				cancel()
				seen <- files
				return
			}
			time.Sleep(time.Millisecond)
		}
		seen <- nil
	}()
	return seen
}
