package main

import (
	"bytes"
	"fmt"

	"golang.org/x/text/encoding/charmap"
)

// protocolPDF is a one-page PDF 1.4 (the attachment protokoll.pdf of Nr 1): Helvetica in
// WinAnsiEncoding, a cross-reference table with the objects' true offsets.
func protocolPDF() []byte {
	lines := []string{
		"Protokoll ledningsgrupp 1 oktober 2026",
		"Påhittat protokoll för demoärendet – inget verkligt innehåll.",
		"§ 1 Mötet öppnas. § 2 Budget 2027. § 3 Mötet avslutas.",
	}
	var content bytes.Buffer
	content.WriteString("BT\n/F1 16 Tf\n72 770 Td\n")
	for i, l := range lines {
		if i == 1 {
			content.WriteString("/F1 11 Tf\n0 -28 Td\n")
		} else if i > 1 {
			content.WriteString("0 -16 Td\n")
		}
		fmt.Fprintf(&content, "%s Tj\n", pdfString(l))
	}
	content.WriteString("ET\n")

	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f\r\n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n\r\n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// pdfString is s as a PDF literal string in WinAnsiEncoding, bytes above ASCII as octal
// escapes.
func pdfString(s string) string {
	enc, err := charmap.Windows1252.NewEncoder().String(s)
	if err != nil {
		panic(err)
	}
	var b bytes.Buffer
	b.WriteByte('(')
	for _, c := range []byte(enc) {
		switch {
		case c == '(' || c == ')' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 32 || c > 126:
			fmt.Fprintf(&b, "\\%03o", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(')')
	return b.String()
}
