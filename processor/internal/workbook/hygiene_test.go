package workbook

// Tests of the review workbook's hygiene: each way of hiding text instead of masking it, done
// to a workbook that WriteReview wrote, by excelize where it can and by hand-made parts where
// it cannot, must give exactly the findings listed (rule and cell), and nothing else.

import (
	"archive/zip"
	"bytes"
	"errors"
	"image"
	"image/png"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/finding"
)

// hygieneRows are three data rows: Nr 1–3 on sheet rows 2–4.
func hygieneRows() [][]Cell {
	at := time.Date(2026, 10, 5, 8, 12, 0, 0, date.Stockholm)
	return [][]Cell{
		{1, ToSerial(at), "Inkorg", "anna@region.example", "erik@region.example", "Möte om budget"},
		{2, ToSerial(at.Add(time.Hour)), "Skickat", "erik@region.example", "bo@region.example", "Ang. patient [25 kap. 1 § OSL]"},
		{3, ToSerial(at.Add(2 * time.Hour)), "Inkorg", "x@y.se", "erik@region.example", "Fakturan"},
	}
}

// freshReview writes a review workbook of hygieneRows.
func freshReview(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "e-postlogg.xlsx")
	if err := WriteReview(path, reviewSpec(t), hygieneRows(), Meta{Title: "E-postlogg 2026-0001"}); err != nil {
		t.Fatal(err)
	}
	return path
}

// excelizeEdit opens path with excelize, edits it and saves it.
func excelizeEdit(t *testing.T, path string, edit func(t *testing.T, f *excelize.File)) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edit(t, f)
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// deletePart, as a value of patchPackage, removes the part.
const deletePart = "\x00delete"

// patchPackage rewrites the package at path: parts in patch replace (or are added to) the
// package's, deletePart removes one; edit, when not nil, changes a part's bytes.
func patchPackage(t *testing.T, path string, patch map[string]string, edit func(name string, b []byte) []byte) {
	t.Helper()
	data, err := os.ReadFile(path)
	ok(t, err)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	ok(t, err)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if _, ok := patch[f.Name]; ok {
			continue
		}
		rc, err := f.Open()
		ok(t, err)
		b, err := io.ReadAll(rc)
		ok(t, err)
		rc.Close()
		if edit != nil {
			b = edit(f.Name, b)
		}
		w, err := zw.Create(f.Name)
		ok(t, err)
		w.Write(b)
	}
	for _, name := range slices.Sorted(maps.Keys(patch)) {
		if patch[name] == deletePart {
			continue
		}
		w, err := zw.Create(name)
		ok(t, err)
		io.WriteString(w, patch[name])
	}
	ok(t, zw.Close())
	ok(t, os.WriteFile(path, buf.Bytes(), 0o644))
}

// findingKeys returns the findings as "rule@Blad!A1", " (varning)" after a warning.
func findingKeys(fs finding.List) []string {
	var out []string
	for _, f := range fs {
		k := f.Rule + "@" + f.Cell
		if f.Severity == finding.Warning {
			k += " (varning)"
		}
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func readFindings(t *testing.T, path string) finding.List {
	t.Helper()
	_, fs, err := ReadReview(path, "e-postlogg.xlsx", reviewSpec(t))
	if err != nil {
		t.Fatalf("ReadReview: %v", err)
	}
	for _, f := range fs {
		if f.Message == "" || f.Hint == "" || f.File != "e-postlogg.xlsx" {
			t.Errorf("a finding without message, hint or file: %+v", f)
		}
	}
	return fs
}

func tinyPNG(t *testing.T) []byte {
	var b bytes.Buffer
	ok(t, png.Encode(&b, image.NewGray(image.Rect(0, 0, 2, 2))))
	return b.Bytes()
}

func style(t *testing.T, f *excelize.File, st *excelize.Style, cells ...string) {
	t.Helper()
	id, err := f.NewStyle(st)
	ok(t, err)
	for _, c := range cells {
		ok(t, f.SetCellStyle("Logg", c, c, id))
	}
}

func numFmt(code string) *excelize.Style { return &excelize.Style{CustomNumFmt: &code} }

const sheetRels = "xl/worksheets/_rels/sheet1.xml.rels"

func relsDoc(rels ...string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + strings.Join(rels, "") + `</Relationships>`
}

func TestHygiene(t *testing.T) {
	two := 2.0
	cases := []struct {
		name  string
		edit  func(t *testing.T, f *excelize.File)
		patch map[string]string
		bytes func(name string, b []byte) []byte // edits a part's bytes
		want  []string
		texts map[string]string // a finding's message or hint contains
	}{
		{name: "as written by the import"},
		{name: "saved by excelize", edit: func(t *testing.T, f *excelize.File) {}},
		{
			name: "a formula",
			edit: func(t *testing.T, f *excelize.File) { ok(t, f.SetCellFormula("Logg", "F3", `"Ang. patient "&"Anna"`)) },
			want: []string{"dolt-innehåll@Logg!F3"}, texts: map[string]string{"dolt-innehåll@Logg!F3": "formel"},
		},
		{
			name: "a formula with its cached value, in Instruktion",
			bytes: func(name string, b []byte) []byte {
				if name == "xl/worksheets/sheet2.xml" {
					return bytes.Replace(b, []byte(`<c r="A1" t="s"><v>0</v></c>`), []byte(`<c r="A1" t="s"><f>Logg!F3</f><v>0</v></c>`), 1)
				}
				return b
			},
			want: []string{"dolt-innehåll@Instruktion!A1"},
		},
		{
			name: "number formats that show nothing: ;;;@ on a number, \"\" on a date, text sections",
			edit: func(t *testing.T, f *excelize.File) {
				style(t, f, numFmt(";;;@"), "A3", "F2") // hides the number; shows the text
				style(t, f, numFmt(`""`), "B3")
				style(t, f, numFmt(`0;-0;0;`), "F3")
				style(t, f, numFmt(`;;;"x"`), "E3")
				style(t, f, numFmt(`"   "`), "A4", "F4") // hides the number; text has no text section
				style(t, f, numFmt(`_(* #,##0_);_(* (#,##0);_(* "-"_);_(@_)`), "D3")
			},
			want:  []string{"dolt-innehåll@Logg!A3", "dolt-innehåll@Logg!A4", "dolt-innehåll@Logg!B3", "dolt-innehåll@Logg!E3", "dolt-innehåll@Logg!F3"},
			texts: map[string]string{"dolt-innehåll@Logg!E3": `talformatet ”;;;"x"”`},
		},
		{
			name: "the ;;; format",
			edit: func(t *testing.T, f *excelize.File) { style(t, f, numFmt(";;;"), "F3", "A3") },
			want: []string{"dolt-innehåll@Logg!A3", "dolt-innehåll@Logg!F3"},
		},
		{
			name: "a white number format colour",
			edit: func(t *testing.T, f *excelize.File) { style(t, f, numFmt("[White]General"), "F3") },
			want: []string{"dolt-innehåll@Logg!F3"}, texts: map[string]string{"dolt-innehåll@Logg!F3": "samma färg som bakgrunden"},
		},
		{
			name: "white and background-coloured fonts",
			edit: func(t *testing.T, f *excelize.File) {
				style(t, f, &excelize.Style{Font: &excelize.Font{Color: "FFFFFF"}}, "F3")
				style(t, f, &excelize.Style{Font: &excelize.Font{Color: "F2F2F2"}}, "D2")
				style(t, f, &excelize.Style{Font: &excelize.Font{Color: "1F4E78"}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E78"}}}, "E4")
				zero := 0
				style(t, f, &excelize.Style{Font: &excelize.Font{ColorTheme: &zero}}, "C2") // theme colour 0: white
				// Readable: white on dark blue, black on yellow, dark red.
				style(t, f, &excelize.Style{Font: &excelize.Font{Color: "FFFFFF"}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E78"}}}, "C3")
				style(t, f, &excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFFF00"}}}, "C4")
				style(t, f, &excelize.Style{Font: &excelize.Font{Color: "C00000"}}, "D4")
			},
			want: []string{"dolt-innehåll@Logg!C2", "dolt-innehåll@Logg!D2", "dolt-innehåll@Logg!E4", "dolt-innehåll@Logg!F3"},
		},
		{
			name: "black on a black fill",
			edit: func(t *testing.T, f *excelize.File) {
				style(t, f, &excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"000000"}}}, "F3")
			},
			want: []string{"dolt-innehåll@Logg!F3"},
		},
		{
			name: "a tiny font",
			edit: func(t *testing.T, f *excelize.File) {
				style(t, f, &excelize.Style{Font: &excelize.Font{Size: 2}}, "F3")
				style(t, f, &excelize.Style{Font: &excelize.Font{Size: 4}}, "F4") // small but readable
			},
			want: []string{"dolt-innehåll@Logg!F3"}, texts: map[string]string{"dolt-innehåll@Logg!F3": "teckenstorleken 2 punkter"},
		},
		{
			name: "a white run in a rich text",
			edit: func(t *testing.T, f *excelize.File) {
				ok(t, f.SetCellRichText("Logg", "F3", []excelize.RichTextRun{{Text: "Ang. patient ", Font: &excelize.Font{Color: "000000"}},
					{Text: "Anna Patientsson", Font: &excelize.Font{Color: "FFFFFF"}}}))
				ok(t, f.SetCellRichText("Logg", "F4", []excelize.RichTextRun{{Text: "Faktura "}, {Text: "nr 12", Font: &excelize.Font{Size: 1}}}))
				ok(t, f.SetCellRichText("Logg", "F2", []excelize.RichTextRun{{Text: "Möte om "}, {Text: "budget", Font: &excelize.Font{Bold: true, Color: "000000"}}}))
			},
			want:  []string{"dolt-innehåll@Logg!F3", "dolt-innehåll@Logg!F4"},
			texts: map[string]string{"dolt-innehåll@Logg!F3": "en del av cellens text", "dolt-innehåll@Logg!F4": "1 punkter"},
		},
		{
			name: "a white run in an inline rich text",
			bytes: func(name string, b []byte) []byte {
				if name == "xl/worksheets/sheet1.xml" {
					return bytes.Replace(b, []byte(`<is><t>Fakturan</t></is>`), []byte(`<is><r><t>Faktura</t></r><r><rPr><color rgb="FFFFFFFF"/></rPr><t>n Anna</t></r></is>`), 1)
				}
				return b
			},
			want: []string{"dolt-innehåll@Logg!F4"},
		},
		{
			name: "conditional formats: a white font, a data bar without the value",
			edit: func(t *testing.T, f *excelize.File) {
				id, err := f.NewConditionalStyle(&excelize.Style{Font: &excelize.Font{Color: "FFFFFF"}})
				ok(t, err)
				ok(t, f.SetConditionalFormat("Logg", "F3:F4", []excelize.ConditionalFormatOptions{{Type: "formula", Criteria: "TRUE", Format: &id}}))
				ok(t, f.SetConditionalFormat("Logg", "A2:A4", []excelize.ConditionalFormatOptions{{Type: "data_bar", Criteria: "=", MinType: "min", MaxType: "max", BarColor: "#638EC6", BarOnly: true}}))
				bold, err := f.NewConditionalStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "C00000"}})
				ok(t, err)
				ok(t, f.SetConditionalFormat("Logg", "C2:C4", []excelize.ConditionalFormatOptions{{Type: "formula", Criteria: "TRUE", Format: &bold}}))
			},
			want: []string{"dolt-innehåll@Logg!A2", "dolt-innehåll@Logg!F3"},
		},
		{
			name: "a conditional format with a hiding number format, in an extension",
			bytes: func(name string, b []byte) []byte {
				if name == "xl/worksheets/sheet1.xml" {
					return bytes.Replace(b, []byte(`</worksheet>`), []byte(`<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">`+
						`<x14:conditionalFormattings><x14:conditionalFormatting xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:cfRule type="expression" priority="1" id="{1}">`+
						`<xm:f>TRUE</xm:f><x14:dxf><numFmt numFmtId="200" formatCode=";;;"/></x14:dxf></x14:cfRule><xm:sqref>E2:E4</xm:sqref></x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst></worksheet>`), 1)
				}
				return b
			},
			want: []string{"dolt-innehåll@Logg!E2"},
		},
		{
			name: "sheets: a visible extra one, a hidden one",
			edit: func(t *testing.T, f *excelize.File) {
				_, err := f.NewSheet("Anteckningar")
				ok(t, err)
				_, err = f.NewSheet("Omaskat")
				ok(t, err)
				ok(t, f.SetCellStr("Omaskat", "A1", "Anna Patientsson"))
				ok(t, f.SetSheetVisible("Omaskat", false, true))
			},
			want: []string{"dolt-innehåll@Anteckningar!A1", "dolt-innehåll@Omaskat!A1"},
		},
		{
			name: "the workbook's window hidden",
			bytes: func(name string, b []byte) []byte {
				if name == "xl/workbook.xml" {
					return bytes.Replace(b, []byte(`<workbookView `), []byte(`<workbookView visibility="hidden" `), 1)
				}
				return b
			},
			want: []string{"dolt-innehåll@Logg!A1"},
		},
		{
			name: "Instruktion changed: a line edited, a line emptied, text added",
			edit: func(t *testing.T, f *excelize.File) {
				ok(t, f.SetCellStr("Instruktion", "A3", "1. Privata: Anna Patientsson"))
				ok(t, f.SetCellStr("Instruktion", "A5", ""))
				ok(t, f.SetCellStr("Instruktion", "C20", "Anna"))
			},
			want: []string{"dolt-innehåll@Instruktion!A3", "dolt-innehåll@Instruktion!A5", "dolt-innehåll@Instruktion!C20"},
		},
		{
			name: "Instruktion as version 0.5.0 wrote it (before P rows could be masked): accepted",
			edit: func(t *testing.T, f *excelize.File) {
				setInstruction(t, f, earlierInstructions[0])
			},
		},
		{
			name: "Instruktion as version 0.4.0 wrote it (ten lines): accepted",
			edit: func(t *testing.T, f *excelize.File) {
				setInstruction(t, f, earlierInstructions[1])
			},
		},
		{
			name: "Instruktion of an earlier version with a line changed: found against that version",
			edit: func(t *testing.T, f *excelize.File) {
				setInstruction(t, f, earlierInstructions[1])
				ok(t, f.SetCellStr("Instruktion", "A7", "Anna Patientsson"))
			},
			want: []string{"dolt-innehåll@Instruktion!A7"},
		},
		{
			name: "Instruktion removed",
			edit: func(t *testing.T, f *excelize.File) { ok(t, f.DeleteSheet("Instruktion")) },
		},
		{
			name: "data validations: a list with other text, the P list with its own message",
			edit: func(t *testing.T, f *excelize.File) {
				dv := excelize.NewDataValidation(true)
				dv.Sqref = "F3:F4"
				ok(t, dv.SetDropList([]string{"Anna Patientsson", "Berit"}))
				ok(t, f.AddDataValidation("Logg", dv))
				dv = excelize.NewDataValidation(true)
				dv.Sqref = "G3"
				ok(t, dv.SetDropList([]string{"P"}))
				dv.SetInput("Markering", "Patienten heter Anna Patientsson")
				ok(t, f.AddDataValidation("Logg", dv))
				dv = excelize.NewDataValidation(true) // numbers only: no text
				dv.Sqref = "A2:A4"
				ok(t, dv.SetRange(1, 100000, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween))
				ok(t, f.AddDataValidation("Logg", dv))
			},
			want: []string{"dolt-innehåll@Logg!F3", "dolt-innehåll@Logg!G3"},
		},
		{
			name: "a shape with text",
			edit: func(t *testing.T, f *excelize.File) {
				ok(t, f.AddShape("Logg", &excelize.Shape{Cell: "C5", Type: "rect", Paragraph: []excelize.RichTextRun{{Text: "Anna Patientsson"}}}))
			},
			want: []string{"dolt-innehåll@Logg!C5"}, texts: map[string]string{"dolt-innehåll@Logg!C5": "textruta ovanpå cellerna (xl/drawings/drawing1.xml)"},
		},
		{
			name: "a picture with alternative text",
			edit: func(t *testing.T, f *excelize.File) {
				ok(t, f.AddPictureFromBytes("Logg", "D6", &excelize.Picture{Extension: ".png", File: tinyPNG(t), Format: &excelize.GraphicOptions{AltText: "Anna Patientsson"}}))
			},
			want: []string{"dolt-innehåll@Logg!D6"}, texts: map[string]string{"dolt-innehåll@Logg!D6": "en bild med alternativtext"},
		},
		{
			name: "a chart",
			edit: func(t *testing.T, f *excelize.File) {
				ok(t, f.AddChart("Logg", "E8", &excelize.Chart{Type: excelize.Col, Series: []excelize.ChartSeries{{Name: "Logg!$A$1", Categories: "Logg!$C$2:$C$4", Values: "Logg!$A$2:$A$4"}},
					Title: []excelize.RichTextRun{{Text: "Anna Patientsson"}}}))
			},
			want: []string{"dolt-innehåll@Logg!E8"}, texts: map[string]string{"dolt-innehåll@Logg!E8": "ett diagram"},
		},
		{
			name: "a comment (its VML is not reported again)",
			edit: func(t *testing.T, f *excelize.File) {
				ok(t, f.AddComment("Logg", excelize.Comment{Cell: "F3", Author: "reg", Text: "Anna Patientsson"}))
			},
			want: []string{"dolt-innehåll@Logg!F3"},
		},
		{
			name: "a threaded comment and its list of persons",
			patch: map[string]string{
				sheetRels: relsDoc(`<Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2017/10/relationships/threadedComment" Target="../threadedComments/threadedComment1.xml"/>`),
				"xl/threadedComments/threadedComment1.xml": `<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"><threadedComment ref="E4" dT="2026-10-05T08:00:00" personId="{1}" id="{2}"><text>Anna Patientsson</text></threadedComment></ThreadedComments>`,
				"xl/persons/person.xml":                    `<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"><person displayName="Rita Registrator" id="{1}"/></personList>`,
			},
			want: []string{"arbetsbok-metadata@Logg!A1 (varning)", "dolt-innehåll@Logg!E4"},
		},
		{
			name: "notes without comments, a button: VML",
			patch: map[string]string{
				sheetRels: relsDoc(`<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing" Target="../drawings/vmlDrawing1.vml"/>`),
				"xl/drawings/vmlDrawing1.vml": `<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">` +
					`<v:shape id="_x0000_s1025" type="#_x0000_t201"><v:textbox><div>Anna</div></v:textbox><x:ClientData ObjectType="Button"><x:Anchor>1, 15, 0, 2, 3, 15, 3, 16</x:Anchor></x:ClientData></v:shape></xml>`,
			},
			want: []string{"dolt-innehåll@Logg!A1"}, texts: map[string]string{"dolt-innehåll@Logg!A1": "formulärkontroller (Button)"},
		},
		{
			name: "a hyperlink",
			edit: func(t *testing.T, f *excelize.File) {
				ok(t, f.SetCellHyperLink("Logg", "F3", "https://example.com/?patient=Anna", "External"))
			},
			want: []string{"dolt-innehåll@Logg!F3"},
		},
		{
			name: "a header with text; a footer with a page number only",
			edit: func(t *testing.T, f *excelize.File) {
				ok(t, f.SetHeaderFooter("Logg", &excelize.HeaderFooterOptions{OddHeader: "&L&\"Arial,Fet\"Anna Patientsson", OddFooter: "&C&P av &N"}))
				ok(t, f.SetHeaderFooter("Instruktion", &excelize.HeaderFooterOptions{OddFooter: "&R&D &T &12&KFF0000&F"}))
			},
			want: []string{"dolt-innehåll@Logg!A1"}, texts: map[string]string{"dolt-innehåll@Logg!A1": "bladet Logg har text i sidhuvud"},
		},
		{
			name: "a table",
			edit: func(t *testing.T, f *excelize.File) {
				ok(t, f.AddTable("Logg", &excelize.Table{Range: "A1:G4", Name: "Patienter"}))
			},
			want: []string{"dolt-innehåll@Logg!A1"}, texts: map[string]string{"dolt-innehåll@Logg!A1": "en tabell"},
		},
		{
			name: "revision history, a thumbnail, custom XML",
			patch: map[string]string{
				"xl/revisions/revisionHeaders.xml": `<headers xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>`,
				"docProps/thumbnail.jpeg":          "\xff\xd8\xff\xe0 not really a jpeg",
				"customXml/item1.xml":              `<root>SharePoint</root>`,
			},
			want: []string{"arbetsbok-metadata@Logg!A1 (varning)", "dolt-innehåll@Logg!A1", "dolt-innehåll@Logg!A1"},
		},
		{
			name: "document properties with text",
			edit: func(t *testing.T, f *excelize.File) {
				ok(t, f.SetDocProps(&excelize.DocProperties{Creator: "processor", LastModifiedBy: "processor", Description: "Anna Patientsson", Keywords: "patient"}))
			},
			want: []string{"arbetsbok-metadata@Logg!A1 (varning)", "arbetsbok-metadata@Logg!A1 (varning)"},
		},
		{
			name: "Nr written otherwise than as the integer",
			bytes: func(name string, b []byte) []byte {
				if name == "xl/worksheets/sheet1.xml" {
					b = bytes.Replace(b, []byte(`<c r="A2" s="4"><v>1</v></c>`), []byte(`<c r="A2" s="4"><v>0x1p0</v></c>`), 1)
					b = bytes.Replace(b, []byte(`<c r="A3" s="4"><v>2</v></c>`), []byte(`<c r="A3" s="4"><v>2.000</v></c>`), 1)
					b = bytes.Replace(b, []byte(`<c r="A4" s="4"><v>3</v></c>`), []byte(`<c r="A4" s="4" t="inlineStr"><is><t>3</t></is></c>`), 1)
				}
				return b
			},
			want:  []string{"granskningsbok-form@Logg!A2", "granskningsbok-form@Logg!A3", "granskningsbok-form@Logg!A4"},
			texts: map[string]string{"granskningsbok-form@Logg!A2": `Nr är skrivet "0x1p0"`, "granskningsbok-form@Logg!A4": `Nr är texten "3"`},
		},
		{
			name: "Nr as 5e0 and 2.5",
			bytes: func(name string, b []byte) []byte {
				if name == "xl/worksheets/sheet1.xml" {
					b = bytes.Replace(b, []byte(`<c r="A2" s="4"><v>1</v></c>`), []byte(`<c r="A2" s="4"><v>1e0</v></c>`), 1)
					b = bytes.Replace(b, []byte(`<c r="A3" s="4"><v>2</v></c>`), []byte(`<c r="A3" s="4"><v>2.5</v></c>`), 1)
				}
				return b
			},
			want: []string{"granskningsbok-form@Logg!A2", "granskningsbok-form@Logg!A3"},
		},
		{
			name: "Nr written by excelize as a float",
			edit: func(t *testing.T, f *excelize.File) { ok(t, f.SetCellFloat("Logg", "A3", two, -1, 64)) },
		},
		{
			name: "a worksheet and comments no sheet of the workbook uses",
			patch: map[string]string{
				"xl/worksheets/sheet9.xml": `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Anna</t></is></c></row></sheetData></worksheet>`,
				"xl/comments7.xml":         `<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><commentList><comment ref="F3"><text><t>Anna</t></text></comment></commentList></comments>`,
			},
			want:  []string{"dolt-innehåll@Logg!A1", "dolt-innehåll@Logg!A1"},
			texts: map[string]string{"dolt-innehåll@Logg!A1": "(xl/worksheets/sheet9.xml)"},
		},
		{
			name: "conditional formats: a black fill under black text, a colour scale to black",
			edit: func(t *testing.T, f *excelize.File) {
				id, err := f.NewConditionalStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"000000"}}})
				ok(t, err)
				ok(t, f.SetConditionalFormat("Logg", "D2:D4", []excelize.ConditionalFormatOptions{{Type: "formula", Criteria: "TRUE", Format: &id}}))
				ok(t, f.SetConditionalFormat("Logg", "B2:B4", []excelize.ConditionalFormatOptions{{Type: "2_color_scale", Criteria: "=", MinType: "min", MaxType: "max", MinColor: "#000000", MaxColor: "#111111"}}))
				ok(t, f.SetConditionalFormat("Logg", "A2:A4", []excelize.ConditionalFormatOptions{{Type: "2_color_scale", Criteria: "=", MinType: "min", MaxType: "max", MinColor: "#F8696B", MaxColor: "#63BE7B"}}))
			},
			want: []string{"dolt-innehåll@Logg!B2", "dolt-innehåll@Logg!D2"},
		},
		{
			name: "hidden rows, many: counted after 20",
			edit: func(t *testing.T, f *excelize.File) {
				for r := 5; r <= 30; r++ {
					ok(t, f.SetCellStr("Logg", "F"+strconv.Itoa(r), "x"))
					ok(t, f.SetCellInt("Logg", "A"+strconv.Itoa(r), int64(r-1)))
					ok(t, f.SetRowVisible("Logg", r, false))
				}
			},
			want: func() []string {
				var out []string
				for r := 5; r <= 25; r++ {
					out = append(out, "dolt-innehåll@Logg!A"+strconv.Itoa(r))
				}
				return out
			}(),
			texts: map[string]string{"dolt-innehåll@Logg!A25": "… och 6 celler till där raden är dold"},
		},
		{
			name: "text below the table",
			edit: func(t *testing.T, f *excelize.File) { ok(t, f.SetCellStr("Logg", "H10", "Anna Patientsson")) },
			want: []string{"granskningsbok-form@Logg!H10"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := freshReview(t)
			if tc.edit != nil {
				excelizeEdit(t, path, tc.edit)
			}
			if tc.patch != nil || tc.bytes != nil {
				patchPackage(t, path, tc.patch, tc.bytes)
			}
			fs := readFindings(t, path)
			for _, f := range fs {
				t.Log(f.String())
			}
			got := findingKeys(fs)
			want := slices.Sorted(slices.Values(tc.want))
			if !slices.Equal(got, want) {
				var b strings.Builder
				for _, f := range fs {
					b.WriteString("  " + f.String() + "\n")
				}
				t.Fatalf("findings\n got  %q\n want %q\n%s", got, want, b.String())
			}
			for k, text := range tc.texts {
				found := false
				for _, f := range fs {
					if findingKeys(finding.List{f})[0] == k && strings.Contains(f.Message+" (tips: "+f.Hint+")", text) {
						found = true
					}
				}
				if !found {
					t.Errorf("no finding %s says %q", k, text)
				}
			}
			// Every part ReadReview accepted, PartTexts reads whole.
			data, err := os.ReadFile(path)
			ok(t, err)
			if err := PartTexts(data, func(string, string) bool { return true }); err != nil {
				t.Errorf("PartTexts: %v", err)
			}
		})
	}
}

// The import writes the P list of the Markering column (a stream writer drops a validation
// added after it), and ReadReview accepts it.
func TestWriteReviewValidation(t *testing.T) {
	path := freshReview(t)
	z, err := zip.OpenReader(path)
	ok(t, err)
	defer z.Close()
	d, err := readSheet(&z.Reader, "x.xlsx", "Logg", scanBuffer)
	ok(t, err)
	var dvs []*xnode
	for _, root := range d.tail {
		dvs = append(dvs, root.all("dataValidation")...)
	}
	if len(dvs) != 1 {
		t.Fatalf("%d data validations, want 1", len(dvs))
	}
	if sq, _ := dvs[0].attr("sqref"); sq != "G2:G4" || formulaOf(dvs[0], "formula1") != `"P"` {
		t.Errorf("validation %s %q", sq, formulaOf(dvs[0], "formula1"))
	}
}

// Many cells of one kind give maxCellFindings findings and one that counts the rest.
func TestHygieneCapped(t *testing.T) {
	path := freshReview(t)
	excelizeEdit(t, path, func(t *testing.T, f *excelize.File) {
		for r := 2; r <= 40; r++ {
			ok(t, f.SetCellFormula("Logg", "H"+strconv.Itoa(r), "1+1"))
		}
	})
	fs := readFindings(t, path)
	formulas, counted := 0, false
	for _, f := range fs {
		if f.Rule == RuleHidden && strings.Contains(f.Message+f.Hint, "formel") {
			formulas++
			counted = counted || f.Message == "… och 19 celler till där det finns en formel" && f.Cell == "Logg!H22"
		}
	}
	if formulas != maxCellFindings+1 || !counted {
		t.Errorf("%d formula findings, want %d with a count of 19 more at H22: %v", formulas, maxCellFindings+1, fs)
	}
}

func TestFmtShows(t *testing.T) {
	cases := []struct {
		code   string
		text   bool
		v      float64
		shows  bool
		colour string
	}{
		{"", false, 5, true, ""},
		{"General", true, 0, true, ""},
		{"yyyy-mm-dd hh:mm", false, 46300.5, true, ""},
		{";;;", false, 5, false, ""},
		{";;;", true, 0, false, ""},
		{";;", false, -5, false, ""},
		{";;", true, 0, true, ""},
		{";;;@", false, 5, false, ""},
		{";;;@", true, 0, true, ""},
		{`""`, false, 5, false, ""},
		{`""`, true, 0, true, ""},
		{`"  "`, false, 5, false, ""},
		{`\ \ `, false, 5, false, ""},
		{`_)_)`, false, 5, false, ""},
		{`* `, false, 5, false, ""},
		{`0;-0;0;`, true, 0, false, ""},
		{`0;-0;0;"text"`, true, 0, false, ""},
		{`0;-0;0;@`, true, 0, true, ""},
		{`0;-0;;@`, false, 0, false, ""},
		{`0;-0;;@`, false, 3, true, ""},
		{`0;;0`, false, -1, false, ""},
		{`[>100]0;[<=100]""`, false, 5, false, ""},
		{`[>100]0;[<=100]0`, false, 5, true, ""},
		{`[$kr-41D] #,##0`, false, 5, true, ""},
		{`[$kr-41D]`, false, 5, false, ""},
		{`[h]`, false, 5, true, ""},
		{`[Red]0`, false, 5, true, "FF0000"},
		{`[White]General`, true, 0, true, "FFFFFF"},
		{`0;[White]-0`, false, -5, true, "FFFFFF"},
		{`[Color2]0`, false, 5, true, "indexed 9"},
		{`@`, false, 5, true, ""},
		{`"Nr "0`, false, 5, true, ""},
		{`"a;b";;;`, true, 0, false, ""},
		{`\;;;;`, true, 0, false, ""},
		{`0;0;0;General`, true, 0, true, ""},
		{`AM/PM`, false, 0.5, true, ""},
	}
	for _, c := range cases {
		shows, col := fmtShows(c.code, c.text, c.v)
		got := ""
		switch {
		case col.rgb != "":
			got = col.rgb
		case col.indexed >= 0 && col.set:
			got = "indexed " + strconv.Itoa(col.indexed)
		}
		if shows != c.shows || got != c.colour {
			t.Errorf("fmtShows(%q, text %v, %g) = %v, %q; want %v, %q", c.code, c.text, c.v, shows, got, c.shows, c.colour)
		}
	}
}

func TestContrast(t *testing.T) {
	st := &styleSheet{palette: defaultPalette, theme: defaultTheme}
	for _, c := range []struct {
		color      xcolor
		unreadable bool
	}{
		{xcolor{set: true, rgb: "FFFFFFFF", theme: -1, indexed: -1}, true},
		{xcolor{set: true, rgb: "FFFFFF00", theme: -1, indexed: -1}, true}, // yellow on white: 1.07
		{xcolor{set: true, rgb: "FFD9D9D9", theme: -1, indexed: -1}, true},
		{xcolor{set: true, rgb: "FFBFBFBF", theme: -1, indexed: -1}, false},
		{xcolor{set: true, theme: 0, indexed: -1}, true},                 // lt1
		{xcolor{set: true, theme: 0, indexed: -1, tint: -0.5}, false},    // 50 % darker
		{xcolor{set: true, theme: 1, indexed: -1}, false},                // dk1
		{xcolor{set: true, theme: 1, indexed: -1, tint: 0.95}, true},     // 95 % lighter
		{xcolor{set: true, theme: -1, indexed: 9}, true},                 // white
		{xcolor{set: true, theme: -1, indexed: 64}, false},               // system foreground
		{xcolor{set: true, auto: true, theme: -1, indexed: -1}, false},   // automatic
		{xcolor{set: true, rgb: "bogus", theme: -1, indexed: -1}, false}, // unreadable colour: automatic
		{xcolor{set: true, theme: -1, indexed: 65, tint: 0}, true},       // system background
		{xcolor{}, false}, // none
		{xcolor{set: true, rgb: "FF1F4E78", theme: -1, indexed: -1, tint: 0.4}, false}, // lighter blue
		{xcolor{set: true, rgb: "FF1F4E78", theme: -1, indexed: -1, tint: 0.8}, true},  // 80 % lighter: faint
	} {
		if got := unreadable(st.resolve(c.color, black), []rgb{white}); got != c.unreadable {
			t.Errorf("%+v on white: unreadable %v, want %v (contrast %.2f)", c.color, got, c.unreadable, contrast(st.resolve(c.color, black), white))
		}
	}
}

// A package with a part twice (in any case) is refused.
func TestDuplicatePart(t *testing.T) {
	path := freshReview(t)
	patchPackage(t, path, map[string]string{"XL/sharedStrings.xml": `<sst/>`}, nil)
	_, _, err := ReadReview(path, "x.xlsx", reviewSpec(t))
	var we *Error
	if !errors.As(err, &we) || !strings.Contains(we.Msg, "delen XL/sharedStrings.xml finns två gånger") {
		t.Errorf("error %v", err)
	}
}

// Without the data sheet every part is still scanned: a hostile part is refused.
func TestMissingSheetStillScanned(t *testing.T) {
	path := freshReview(t)
	patchPackage(t, path, map[string]string{"xl/drawings/drawing1.xml": strings.Repeat("<a>", 100)}, func(name string, b []byte) []byte {
		if name == "xl/workbook.xml" {
			return bytes.Replace(b, []byte(`name="Logg"`), []byte(`name="Blad1"`), 1)
		}
		return b
	})
	_, _, err := ReadReview(path, "x.xlsx", reviewSpec(t))
	var we *Error
	if !errors.As(err, &we) || !strings.Contains(we.Msg, "delen xl/drawings/drawing1.xml kan inte läsas: elementen är nästlade") {
		t.Errorf("error %v", err)
	}
}

// setInstruction replaces the Instruktion sheet's column A with lines.
func setInstruction(t *testing.T, f *excelize.File, lines []string) {
	t.Helper()
	for n := 1; n <= 20; n++ {
		cell, _ := excelize.CoordinatesToCellName(1, n)
		v := ""
		if n <= len(lines) {
			v = lines[n-1]
		}
		ok(t, f.SetCellStr("Instruktion", cell, v))
	}
}
