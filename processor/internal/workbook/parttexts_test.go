package workbook

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
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
