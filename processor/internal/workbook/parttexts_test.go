package workbook

import (
	"archive/zip"
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func zipOf(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Every XML part's text is searched: entities unescaped, a rich text's runs joined, values
// of attributes included, one element's text kept apart from the next one's; other files
// (images) are not read.
func TestPartTexts(t *testing.T) {
	data := zipOf(t, map[string]string{
		"xl/sharedStrings.xml":     `<sst><si><t>Kalle &amp; Anka</t></si><si><r><t>Berit </t></r><r><rPr><b/></rPr><t>Skyddad</t></r></si><si><t>Stor</t></si><si><t>gatan</t></si></sst>`,
		"xl/worksheets/sheet1.xml": `<worksheet><dataValidations><dataValidation><formula1>"Lista med Hemlig Person"</formula1></dataValidation></dataValidations></worksheet>`,
		"docProps/core.xml":        `<cp:coreProperties xmlns:cp="x"><dc:title xmlns:dc="y" val="Titel Attributtext"/></cp:coreProperties>`,
		"xl/media/image1.png":      "Kalle Anka i en bild",
	})
	got := map[string]string{}
	if err := PartTexts(data, func(name, text string) bool { got[name] = text; return true }); err != nil {
		t.Fatal(err)
	}
	for part, want := range map[string]string{
		"xl/sharedStrings.xml":     "Kalle & Anka",
		"docProps/core.xml":        "Titel Attributtext",
		"xl/worksheets/sheet1.xml": "Lista med Hemlig Person",
	} {
		if !strings.Contains(got[part], want) {
			t.Errorf("%s: %q lacks %q", part, got[part], want)
		}
	}
	if !strings.Contains(got["xl/sharedStrings.xml"], "Berit Skyddad") {
		t.Errorf("a rich text's runs are one text: %q", got["xl/sharedStrings.xml"])
	}
	if strings.Contains(got["xl/sharedStrings.xml"], "Storgatan") {
		t.Errorf("two strings ran together: %q", got["xl/sharedStrings.xml"])
	}
	if _, ok := got["xl/media/image1.png"]; ok {
		t.Error("an image was read as text")
	}
	n := 0
	_ = PartTexts(data, func(string, string) bool { n++; return false })
	if n != 1 {
		t.Errorf("fn returned false but was called %d times", n)
	}
	if err := PartTexts([]byte("inte en zip"), func(string, string) bool { return true }); err == nil {
		t.Error("a file that is no zip gave no error")
	}
}

func FuzzPartTexts(f *testing.F) {
	f.Add([]byte(`<sst><si><t>Kalle &amp; Anka</t></si></sst>`))
	f.Add([]byte(`<a b="&lt;x&gt;"><![CDATA[text]]><c/></a>`))
	f.Add([]byte(`<a><b>`))
	f.Fuzz(func(t *testing.T, xml []byte) {
		data := zipOf(t, map[string]string{"xl/sharedStrings.xml": string(xml)})
		calls := 0
		if err := PartTexts(data, func(name, text string) bool {
			calls++
			if name != "xl/sharedStrings.xml" {
				t.Errorf("part %q", name)
			}
			return true
		}); err != nil {
			t.Fatal(err)
		}
		if calls != 1 {
			t.Errorf("%d calls for one part", calls)
		}
	})
}

// Every text-carrying part of a real workbook is searched: shared strings (also one no cell
// uses any more), comments and their VML, threaded comments, drawings (a text box), charts
// (a title), document properties, data validations, headers and footers, custom XML.
func TestPartTextsCoverage(t *testing.T) {
	path := freshReview(t)
	excelizeEdit(t, path, func(t *testing.T, f *excelize.File) {
		ok(t, f.SetCellStr("Logg", "F3", "Ang. patient Gammal Text")) // then masked again: the string stays in the table
		ok(t, f.SetCellStr("Logg", "F3", "Ang. patient [25 kap. 1 § OSL]"))
		ok(t, f.AddComment("Logg", excelize.Comment{Cell: "F4", Author: "Kommentar Författare", Text: "Kommentar Text"}))
		ok(t, f.AddShape("Logg", &excelize.Shape{Cell: "C5", Type: "rect", Paragraph: []excelize.RichTextRun{{Text: "Textruta Innehåll"}}}))
		ok(t, f.AddChart("Logg", "E8", &excelize.Chart{Type: excelize.Col, Series: []excelize.ChartSeries{{Name: "Logg!$A$1", Categories: "Logg!$C$2:$C$4", Values: "Logg!$A$2:$A$4"}},
			Title: []excelize.RichTextRun{{Text: "Diagram Rubrik"}}}))
		ok(t, f.SetDocProps(&excelize.DocProperties{Creator: "processor", Description: "Egenskap Beskrivning", Title: "Egenskap Titel"}))
		ok(t, f.SetAppProps(&excelize.AppProperties{Company: "Egenskap Företag"}))
		ok(t, f.SetCustomProps(excelize.CustomProperty{Name: "Anpassad", Value: "Anpassad Egenskap"}))
		dv := excelize.NewDataValidation(true)
		dv.Sqref = "F2"
		ok(t, dv.SetDropList([]string{"Lista Värde"}))
		dv.SetInput("Rubrik", "Validering Meddelande")
		ok(t, f.AddDataValidation("Logg", dv))
		ok(t, f.SetHeaderFooter("Logg", &excelize.HeaderFooterOptions{OddHeader: "&LSidhuvud Text"}))
	})
	patchPackage(t, path, map[string]string{
		"xl/threadedComments/threadedComment1.xml": `<ThreadedComments xmlns="x"><threadedComment ref="E4"><text>Tråd Kommentar</text></threadedComment></ThreadedComments>`,
		"customXml/item1.xml":                      `<root><a>Anpassad XML</a></root>`,
	}, nil)
	data, err := os.ReadFile(path)
	ok(t, err)
	texts := map[string]string{}
	if err := PartTexts(data, func(name, text string) bool { texts[name] = text; return true }); err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct{ part, text string }{
		{"xl/sharedStrings.xml", "Ang. patient Gammal Text"},
		{"xl/comments1.xml", "Kommentar Text"},
		{"xl/comments1.xml", "Kommentar Författare"},
		{"xl/threadedComments/threadedComment1.xml", "Tråd Kommentar"},
		{"xl/drawings/drawing1.xml", "Textruta Innehåll"},
		{"xl/charts/chart1.xml", "Diagram Rubrik"},
		{"docProps/core.xml", "Egenskap Beskrivning"},
		{"docProps/core.xml", "Egenskap Titel"},
		{"docProps/app.xml", "Egenskap Företag"},
		{"docProps/custom.xml", "Anpassad Egenskap"},
		{"xl/worksheets/sheet1.xml", `"Lista Värde"`},
		{"xl/worksheets/sheet1.xml", "Validering Meddelande"},
		{"xl/worksheets/sheet1.xml", "&LSidhuvud Text"},
		{"customXml/item1.xml", "Anpassad XML"},
	} {
		if !strings.Contains(texts[want.part], want.text) {
			t.Errorf("%s: %q lacks %q", want.part, texts[want.part], want.text)
		}
	}
	if _, ok := texts["xl/drawings/vmlDrawing1.vml"]; !ok {
		t.Error("the VML part was not read")
	}
}

// What is hidden in a part's XML is found too: rich text runs with fonts are one text, Excel's
// escapes are decoded, comments of the XML are read, UTF-16 and Latin-1 parts are decoded, a
// part named otherwise is told by its content, one that is not well formed is read as bytes.
func TestPartTextsHidden(t *testing.T) {
	data := zipOf(t, map[string]string{
		"xl/sharedStrings.xml": `<sst><si><r><rPr><sz val="11"/><color theme="1"/><rFont val="Calibri"/></rPr><t xml:space="preserve">Berit </t></r>` +
			`<r><rPr><b/><sz val="11"/><rFont val="Calibri"/></rPr><t>Skyddad</t></r></si><si><t>Anna_x0020_Patientsson</t></si></sst>`,
		"xl/styles.xml":            `<styleSheet><!-- Kommentar i XML --><?pi Instruktion i XML?></styleSheet>`,
		"docProps/custom.xml":      "\xff\xfe" + utf16le(`<Properties><p>Sextonbitars Text</p></Properties>`),
		"docProps/app.xml":         "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Properties><Company>G\xe5rdsbolaget</Company></Properties>",
		"xl/strings.bin":           `<sst><si><t>Omdöpt Del</t></si></sst>`,
		"xl/worksheets/bad.xml":    `<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Före</t></is></c></row></sheetData><x a="Trasig Attribut`,
		"xl/drawings/drawing1.xml": `<xdr:wsDr><xdr:sp><xdr:txBody><a:p><a:r><a:rPr lang="sv-SE"/><a:t>Anna </a:t></a:r><a:r><a:rPr b="1"/><a:t>Patientsson</a:t></a:r></a:p></xdr:txBody></xdr:sp></xdr:wsDr>`,
		"xl/media/image1.png":      "\x89PNG Bild Text",
		"xl/printerSettings.bin":   "\x00\x01 binärt",
	})
	texts := map[string]string{}
	if err := PartTexts(data, func(name, text string) bool { texts[name] = text; return true }); err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct{ part, text string }{
		{"xl/sharedStrings.xml", "Berit Skyddad"},
		{"xl/sharedStrings.xml", "Anna Patientsson"},
		{"xl/drawings/drawing1.xml", "Anna Patientsson"},
		{"xl/styles.xml", "Kommentar i XML"},
		{"xl/styles.xml", "Instruktion i XML"},
		{"docProps/custom.xml", "Sextonbitars Text"},
		{"docProps/app.xml", "Gårdsbolaget"},
		{"xl/strings.bin", "Omdöpt Del"},
		{"xl/worksheets/bad.xml", "Före"},
		{"xl/worksheets/bad.xml", "Trasig Attribut"},
	} {
		if !strings.Contains(texts[want.part], want.text) {
			t.Errorf("%s: %q lacks %q", want.part, texts[want.part], want.text)
		}
	}
	for _, part := range []string{"xl/media/image1.png", "xl/printerSettings.bin"} {
		if _, ok := texts[part]; ok {
			t.Errorf("%s was read as text", part)
		}
	}
}

func utf16le(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteByte(byte(r))
		b.WriteByte(byte(r >> 8))
	}
	return b.String()
}

// A part past its limit is not read; PartTexts says so, after giving the other parts.
func TestPartTextsBounded(t *testing.T) {
	data := zipOf(t, map[string]string{"xl/sharedStrings.xml": "<sst/>", "docProps/core.xml": "<core>Titel</core>"})
	data = claimSize(t, data, "xl/sharedStrings.xml", MaxSharedStringsPart+1)
	var names []string
	err := PartTexts(data, func(name, text string) bool { names = append(names, name); return true })
	if err == nil || !strings.Contains(err.Error(), "delen xl/sharedStrings.xml kan inte läsas hel: delen packas upp till mer än 64 MiB") {
		t.Errorf("error %v", err)
	}
	if !slices.Equal(names, []string{"docProps/core.xml"}) {
		t.Errorf("parts given: %v", names)
	}
}
