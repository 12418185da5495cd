package xlsxtest

import (
	"archive/zip"
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"
)

func TestSerial(t *testing.T) {
	for _, c := range []struct {
		d        Date
		date1904 bool
		want     float64
	}{
		{NewDate(1900, 3, 1, 0, 0, 0), false, 61},
		{NewDate(2000, 1, 1, 0, 0, 0), false, 36526},
		{NewDate(2000, 1, 1, 12, 0, 0), false, 36526.5},
		{NewDate(2000, 1, 1, 0, 0, 0), true, 35064},
		{NewDate(1904, 1, 1, 6, 0, 0), true, 0.25},
	} {
		if got := c.d.Serial(c.date1904); got != c.want {
			t.Errorf("%+v.Serial(%v) = %v, want %v", c.d, c.date1904, got, c.want)
		}
	}
}

func TestColName(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA"} {
		if got := ColName(i); got != want {
			t.Errorf("ColName(%d) = %q, want %q", i, got, want)
		}
	}
}

// TestBuild checks the parts of a package and the cells of its sheet.
func TestBuild(t *testing.T) {
	data := Build(t, Style{SharedStrings: true, ExcelCR: true, Date1904: "1", Sheet: "A&B", RowNumbers: []int{2}},
		[][]any{{"x\r<", Rich{"a", "b"}, NewDate(1904, 1, 2, 0, 0, 0), 7, 0.5, nil, "x\r<"}})
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	var names []string
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, f.Name)
		parts[f.Name] = string(b)
	}
	if want := []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
		"xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/sharedStrings.xml"}; !slices.Equal(names, want) {
		t.Errorf("parts %q, want %q", names, want)
	}
	for name, want := range map[string]string{
		"xl/workbook.xml":            `<workbookPr date1904="1"/><bookViews><workbookView/></bookViews><sheets><sheet name="A&amp;B" sheetId="1" r:id="rId1"/></sheets>`,
		"xl/worksheets/sheet1.xml":   `<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="C2" s="1"><v>1</v></c><c r="D2"><v>7</v></c><c r="E2"><v>0.5</v></c><c r="G2" t="s"><v>0</v></c></row>`,
		"xl/sharedStrings.xml":       `count="2" uniqueCount="2"><si><t xml:space="preserve">x_x000D_&lt;</t></si><si><r><t xml:space="preserve">a</t></r><r><rPr><b/><sz val="11"/><rFont val="Calibri"/></rPr><t xml:space="preserve">b</t></r></si></sst>`,
		"[Content_Types].xml":        `/xl/sharedStrings.xml`,
		"xl/_rels/workbook.xml.rels": `Target="sharedStrings.xml"`,
	} {
		if !strings.Contains(parts[name], want) {
			t.Errorf("%s = %s\nwant it to contain %s", name, parts[name], want)
		}
	}

	inline := Build(t, Style{}, [][]any{{"x\r"}})
	z, err = zip.NewReader(bytes.NewReader(inline), int64(len(inline)))
	if err != nil {
		t.Fatal(err)
	}
	if len(z.File) != 6 {
		t.Errorf("%d parts without shared strings, want 6", len(z.File))
	}
	r, err := z.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	if want := `<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve">x&#13;</t></is></c></row>`; !strings.Contains(string(b), want) {
		t.Errorf("sheet = %s\nwant it to contain %s", b, want)
	}
}
