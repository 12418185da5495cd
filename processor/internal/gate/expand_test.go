package gate

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"utlamnande/processor/internal/mask"
)

// expand finds what a staged file holds however it is packed: the file, zip members (also a
// zip in a zip), gzip content and base64, wrapped or inline, after any text.
func TestExpand(t *testing.T) {
	secret := "Received,SenderAddress,RecipientAddress,Subject\nKANARIE HEMLIG RAD MED TEXT\n"
	enc := base64.StdEncoding.EncodeToString([]byte(secret))
	wrapped := enc[:40] + "\n" + enc[40:] + "\n"
	var inner bytes.Buffer
	zw := zip.NewWriter(&inner)
	w, _ := zw.Create("export.csv")
	w.Write([]byte(secret))
	zw.Close()
	var outer bytes.Buffer
	zw = zip.NewWriter(&outer)
	w, _ = zw.Create("bilaga.zip")
	w.Write(inner.Bytes())
	zw.Close()
	var gz bytes.Buffer
	gw := gzip.NewWriter(&gz)
	gw.Write([]byte(secret))
	gw.Close()
	for name, data := range map[string][]byte{
		"wrapped base64 after text": []byte("# Begäran om e-postlogg\n" + wrapped),
		"inline base64":             []byte("data: " + enc + " slut"),
		"zip in a zip":              outer.Bytes(),
		"gzip":                      gz.Bytes(),
	} {
		found := false
		expand("f", data, func(p piece) bool {
			found = found || bytes.Equal(p.data, []byte(secret))
			return true
		})
		if !found {
			t.Errorf("%s: the content was not found", name)
		}
	}
	// Ordinary text gives no base64 runs; a short word of the alphabet is no run.
	if runs := base64Runs([]byte(strings.Repeat("Ett vanligt stycke text med ord. ", 20) + "\nabcdEFGH1234\n")); len(runs) != 0 {
		t.Errorf("runs in ordinary text: %q", runs)
	}
}

// utf16Bytes is s in UTF-16, little- or big-endian, with a byte order mark or not.
func utf16Bytes(s string, bigEndian, bom bool) []byte {
	var b []byte
	put := func(u uint16) {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	if bom {
		put(0xfeff)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		put(u)
	}
	return b
}

// hitIn expands data as the hook does and searches the pieces for the masked spans: where
// the first hit is (findIn's " (i ...)"), and whether the file's own bytes alone hit.
func hitIn(idx *mask.SpanIndex, data []byte) (where string, found, plain bool) {
	var pieces []piece
	expand("f", data, func(p piece) bool {
		pieces = append(pieces, p)
		return true
	})
	hit, where := findIn(idx, "f", pieces, new(bool))
	plainHit, _ := findIn(idx, "f", pieces[:1], new(bool))
	return where, hit != nil, plainHit != nil
}

// A masked span written in another encoding than UTF-8 is found in the text decoded, and
// the piece is named for the message; the file's own bytes do not give it away.
func TestExpandDecodings(t *testing.T) {
	idx := mask.NewSpanIndex([]mask.SpanAt{
		{Text: "Åsa Öberg", Cell: "2026-0002 Logg!F3"},
		{Text: "Anna Andersson", Cell: "2026-0002 Logg!F4"},
	})
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	var gz bytes.Buffer
	gw := gzip.NewWriter(&gz)
	gw.Write(utf16Bytes("Samtal med Åsa Öberg om remissen.\r\n", false, true))
	gw.Close()
	for _, tc := range []struct {
		name, data, where string
	}{
		{"html named entities", "<p>Remissen g&auml;ller &Aring;sa &Ouml;berg.</p>", " (i html-kodad text)"},
		{"html decimal references", "<td>&#197;sa&#32;&#214;berg</td>", " (i html-kodad text)"},
		{"html hex references", "&#xC5;sa &#xD6;berg", " (i html-kodad text)"},
		{"html no-break space between the words", "Anna&nbsp;Andersson", " (i html-kodad text)"},
		{"xml escaped twice", "&amp;Aring;sa &amp;Ouml;berg", " (i html-kodad text › html-kodad text)"},
		{"json \\u escapes", `{"ämne": "Remiss \u00c5sa \u00d6berg"}`, " (i json-kodad text)"},
		{"json upper-case \\u and a newline escape", `{"text": "Anna\nAndersson \uD83D\uDE00"}`, " (i json-kodad text)"},
		{"javascript \\x and \\u{}", `var s = "\xc5sa \u{D6}berg";`, " (i json-kodad text)"},
		{"c \\x bytes of utf-8", `char *s = "\xc3\x85sa \xc3\x96berg";`, " (i json-kodad text)"},
		{"quoted-printable utf-8", "Content-Transfer-Encoding: quoted-printable\r\n\r\nHej, det g=C3=A4ller =C3=85sa =C3=96berg.\r\n", " (i quoted-printable)"},
		{"quoted-printable soft line break", "Content-Transfer-Encoding: quoted-printable\n\nRemissen g=C3=A4ller Anna Ander=\nsson, se journalen.\n", " (i quoted-printable)"},
		{"quoted-printable soft line break after a full line", "Remissen gällde, enligt vad som framgår av journalen fr=C3=A5n i g=C3=A5r, Anna Ander=\r\nsson, se journalen.\r\n", " (i quoted-printable)"},
		{"quoted-printable of ascii, soft line break only", strings.Repeat("x", 60) + " Anna Ander=\r\nsson\r\n", " (i quoted-printable)"},
		{"quoted-printable latin-1", "Content-Type: text/plain; charset=iso-8859-1\n\n=C5sa =D6berg\n", " (i quoted-printable › latin-1)"},
		{"rfc 2047 q, iso-8859-1", "Subject: =?iso-8859-1?q?Remiss_=C5sa_=D6berg?=\r\n", " (i mime-kodad rubrik)"},
		{"rfc 2047 b, utf-8", "Subject: =?UTF-8?B?" + b64("Remiss Åsa Öberg") + "?=\r\n", " (i mime-kodad rubrik)"},
		{"rfc 2047 windows-1252", "From: =?windows-1252?Q?=C5sa_=D6berg?= <a@b.example>\n", " (i mime-kodad rubrik)"},
		{"rfc 2047 words folded, a letter split between them", "Subject: =?utf-8?q?Remiss_=C3?=\r\n =?utf-8?q?=85sa_=C3=96berg?=\r\n", " (i mime-kodad rubrik)"},
		{"rfc 2047 words folded between the letters of a name", "Subject: =?utf-8?b?" + b64("Anna Ander") + "?=\r\n =?utf-8?b?" + b64("sson") + "?=\r\n", " (i mime-kodad rubrik)"},
		{"utf-16le with bom", string(utf16Bytes("Remiss: Åsa Öberg\r\n", false, true)), " (i utf-16)"},
		{"utf-16be with bom", string(utf16Bytes("Remiss: Åsa Öberg\r\n", true, true)), " (i utf-16)"},
		{"utf-16le without bom", string(utf16Bytes("Received;Subject\r\n2024-12-05;Remiss Anna Andersson\r\n", false, false)), " (i utf-16)"},
		{"utf-16be without bom", string(utf16Bytes("Received;Subject\r\n2024-12-05;Remiss Anna Andersson\r\n", true, false)), " (i utf-16)"},
		{"latin-1", "Remiss g\xe4llande \xc5sa \xd6berg\r\n", " (i latin-1)"},
		{"windows-1252 with its quotes", "\x93\xc5sa \xd6berg\x94 \x96 remiss", " (i latin-1)"},
		{"base64 of html-escaped text", "Bilaga:\n" + b64(strings.Repeat("<p>Remiss</p>", 5)+"<p>&Aring;sa &Ouml;berg</p>") + "\n", " (i base64 › html-kodad text)"},
		{"gzip of utf-16", gz.String(), " (i gzip › utf-16)"},
		{"html in a json string", `{"html": "\u0026Aring;sa \u0026Ouml;berg"}`, " (i json-kodad text › html-kodad text)"},
		{"quoted-printable html", "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p style=3D\"margin:0\">Remissen g=C3=A4ller &Ar=\r\ning;sa &Ouml;berg</p>\r\n", " (i quoted-printable › html-kodad text)"},
	} {
		where, found, plain := hitIn(idx, []byte(tc.data))
		switch {
		case plain:
			t.Errorf("%s: the file's own bytes hit; the test shows nothing", tc.name)
		case !found:
			t.Errorf("%s: the masked text was not found", tc.name)
		case where != tc.where:
			t.Errorf("%s: found%s, want%s", tc.name, where, tc.where)
		}
	}
	// A zip member in UTF-16 is decoded as a piece of its own (findIn reads a zip by its
	// parts, which workbook.PartTexts decodes itself: here the piece is for the search of a
	// member that is not read so, and for the raw export check).
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	w, _ := zw.Create("anteckning.txt")
	w.Write(utf16Bytes("Samtal med Åsa Öberg om remissen.\r\n", false, true))
	zw.Close()
	found := false
	expand("f", zipped.Bytes(), func(p piece) bool {
		found = found || p.name == "f › anteckning.txt › utf-16" && string(p.data) == "Samtal med Åsa Öberg om remissen.\r\n"
		return true
	})
	if !found {
		t.Error("a zip member in utf-16: no piece of its text")
	}
}

// Ordinary text, in UTF-8 with å ä ö, with an & or a = or a backslash that is no escape,
// and base64 that ends in padding, gives no decoded piece.
func TestExpandOrdinaryText(t *testing.T) {
	for _, text := range []string{
		strings.Repeat("Ett vanligt stycke text om en remiss till vårdcentralen, med å ä ö. ", 50),
		"Frågor & svar: Q&A, R&D, AT&T och 2+2=4; se https://www.region.example/sok?q=remiss&sida=2.\n",
		"a = b; x==y; =?; ==\n# Rubrik\n=======\n",
		`C:\Users\Dokument\Remiss.docx och C:\Program Files\Word`,
		"-----BEGIN DATA-----\n" + base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("ordinär text "), 20)) + "\n-----END DATA-----\n",
		strings.Join(strings.SplitAfter(base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("ordinär text. "), 30)), "Q"), "\n"),
	} {
		var names []string
		expand("f", []byte(text), func(p piece) bool {
			if !strings.HasSuffix(p.name, "base64") {
				names = append(names, p.name)
			}
			return true
		})
		if len(names) != 1 {
			t.Errorf("%.40q...: pieces %q, want only the file", text, names)
		}
	}
	// Binary data that happens to hold an entity, a backslash escape or a = is not read as
	// text; neither are random bytes as UTF-16.
	bin := make([]byte, 1<<16)
	for i := range bin {
		bin[i] = byte(i*7919 + i>>8*31)
	}
	copy(bin[100:], "&Aring;sa \\u00c5 =C5\x00")
	var names []string
	expand("f", bin, func(p piece) bool {
		names = append(names, p.name)
		return true
	})
	if len(names) != 1 {
		t.Errorf("binary data: pieces %q, want only the file", names)
	}
}

// Each decoding gives at most limit bytes however much its input would give, and what
// it decodes is exact at the edges (surrogate pairs, a lone half, \xHH runs, soft line
// breaks at the end, unknown charsets).
func TestTextDecodings(t *testing.T) {
	big := strings.Repeat("&Aring;\\u00c5=C3=85=?utf-8?q?=C3=85?=", 1000)
	for _, d := range textDecodings {
		in := []byte(big)
		switch d.name {
		case "utf-16":
			in = utf16Bytes(big, false, true)
		case "latin-1":
			in = append([]byte{0xc5}, in...)
		}
		out := d.decode(in, 100)
		if out == nil || len(out) > 100 {
			t.Errorf("%s: %d bytes with a limit of 100", d.name, len(out))
		}
	}
	for _, tc := range []struct {
		name string
		fn   func([]byte, int) []byte
		in   string
		want string // "" for nil: nothing to decode
	}{
		{"json", unescapeJSON, `\ud83d\ude00 \ud83d x \u00e5\u00E4 \"a\" \/ \\u00e5 \q \u12`, `😀 ` + "\uFFFD" + ` x åä "a" / \u00e5 \q \u12`},
		{"json", unescapeJSON, `\xe5\xe4\x41 \xc3\xa5 \xZZ\x4`, `åäA å \xZZ\x4`},
		{"json", unescapeJSON, `\u{1F600}\u{110000}\u{}`, "😀\uFFFD\\u{}"},
		{"json", unescapeJSON, `C:\Users\Dokument\Remiss.docx`, ""},
		{"json", unescapeJSON, `slut\`, ""},
		{"quoted-printable", fromQuotedPrintable, "quoted-printable\na=3Db=\r\nc=\nd=  \ne=\n==\nZm8=\nZg==\n", "quoted-printable\na=bcde==\nZm8=\nZg==\n"},
		{"quoted-printable", fromQuotedPrintable, "=c3=a5 = =G1 =4", "å = =G1 =4"},
		{"quoted-printable", fromQuotedPrintable, "Zm9vYmFy\nZm9vYg==\n", ""},
		{"quoted-printable", fromQuotedPrintable, "x=10&y=FF, a=78 b=C3 x=\ny", ""},
		{"mime", decodeWords, "=?x-okänd?q?abc?= =?utf-8?q?=C3=85?= =?utf-8?q?sa?= x =?utf-8?q?b?=", "=?x-okänd?q?abc?= Åsa x b"},
		{"mime", decodeWords, "=?utf-8?q?inte slut", ""},
		{"html", unescapeHTML, "a & b &c &#; &", ""},
		{"html", unescapeHTML, "&lt;b&gt; &amp &aring", "<b> & å"},
	} {
		got := tc.fn([]byte(tc.in), 1<<20)
		if got == nil && tc.want != "" || got != nil && string(got) != tc.want {
			t.Errorf("%s(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

// What tells quoted-printable and JSON escapes from ordinary text and code.
func TestDecodingSigns(t *testing.T) {
	long := strings.Repeat("a", 70)
	for in, want := range map[string]bool{
		"Content-Transfer-Encoding: Quoted-Printable\n": true,
		"g=C3=A5r":                              true,
		"=C5sa":                                 true,
		long + "=\r\nb":                         true,
		long + "=  \nb":                         true,
		"kort rad=\nb":                          false,
		strings.Repeat("=", 70) + "=\n":         false,
		strings.Repeat("QUJD", 17)[:67] + "=\n": false,
		"x=10, a=78, color=FF0000":              false,
		"=C3 =A5 =C3=41":                        false,
		"=C5SA":                                 false,
	} {
		if got := qpSigns([]byte(in), strings.IndexByte(in, '=')); got != want {
			t.Errorf("qpSigns(%q) = %v", in, got)
		}
	}
	for in, want := range map[string]bool{
		`\u00e5`:                true,
		`\u{e5}`:                true,
		`\xe5`:                  true,
		`Anna\nAndersson`:       true,
		`Anna\tAndersson`:       true,
		`\nÅsa`:                 true,
		`2024\/123`:             true,
		`fmt.Printf("%s\n", x)`: false,
		`"\"citat\""`:           false,
		`\u12 \x4 \q`:           false,
		`C:\Users\Dokument`:     false,
		`slut\`:                 false,
	} {
		if got := escapeSigns([]byte(in)); got != want {
			t.Errorf("escapeSigns(%q) = %v", in, got)
		}
	}
}

// base64Runs finds the same runs as the regular expression it was written with first.
func TestBase64RunsAsBefore(t *testing.T) {
	word := regexp.MustCompile(`^[A-Za-z0-9+/]+={0,2}$`)
	before := func(text []byte) [][]byte {
		var runs [][]byte
		var cur []byte
		flush := func() {
			if len(cur) >= minBase64 {
				runs = append(runs, cur)
			}
			cur = nil
		}
		for _, line := range bytes.Split(text, []byte("\n")) {
			line = bytes.TrimSpace(line)
			if len(line) > 0 && word.Match(line) {
				cur = append(cur, line...)
				if bytes.HasSuffix(line, []byte("=")) {
					flush()
				}
				continue
			}
			flush()
			for _, w := range bytes.Fields(line) {
				if len(w) >= minBase64 && word.Match(w) {
					runs = append(runs, w)
				}
			}
			if len(runs) >= 64 {
				break
			}
		}
		flush()
		return runs
	}
	enc := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("Anteckning om rad 2, "), 10))
	texts := []string{
		"", "\n", "=", "==", "a=", "abc===", enc, enc + "\n", " " + enc + "\u00a0x\n",
		enc[:40] + "\n" + enc[40:80] + "\n" + enc[80:] + "\n",
		"text " + enc + " text\r\n" + enc[:62] + "=\n" + enc[:61] + "==\n" + enc[:63] + "x\u2003" + enc,
		strings.Repeat("data: "+enc+" slut\n", 70),
		strings.Repeat("kort\nrad\n", 40) + "Hej\n" + enc[:30] + "\n",
	}
	for _, text := range texts {
		if got, want := base64Runs([]byte(text)), before([]byte(text)); !slices.EqualFunc(got, want, bytes.Equal) {
			t.Errorf("base64Runs(%.50q...) = %d runs, want %d", text, len(got), len(want))
		}
	}
}

// typicalText is about n bytes of ordinary text of the given kind, the same every time.
func typicalText(kind string, n int) []byte {
	words := strings.Fields("och att det som en på är av för med till den har de inte om ett han men var jag sig från vi så kan man när år säger hon under också efter eller nu sin där vid mot ska skulle kommer ut får finns vara hade alla andra mycket än här då sedan över bara in blir upp även vad få två vill ha många hur mer går sverige kronor detta nya procent skriver hans utan sina något svenska allt första fick måste mellan blev bli dag någon några sitt stora varit dem bland bra tre ta genom del hela annat fram gör ingen stockholm göra enligt mig redan inom kom du helt ju samma kanske själv oss tidigare se miljoner dock denna både tid kunna fått stor olika ser flera plats kunde gång sätt åt fyra regionen remiss möte beslut handläggare")
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	line := 0
	for b.Len() < n {
		switch kind {
		case "csv":
			fmt.Fprintf(&b, "2024-12-%02dT%02d:%02d:00Z,person%d@region.example,mottagare%d@region.example,\"%s %s %s\"\n",
				1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(500), r.IntN(500), words[r.IntN(len(words))], words[r.IntN(len(words))], words[r.IntN(len(words))])
			continue
		case "code":
			if line%7 == 0 {
				fmt.Fprintf(&b, "\tfmt.Fprintf(w, \"%%s: %s\\n\", \"\\\"%s\\\"\") // a=%d & b\n", words[r.IntN(len(words))], words[r.IntN(len(words))], r.IntN(100))
				line++
				continue
			}
		case "prose":
			if line%40 == 0 {
				b.WriteString("Se https://www.region.example/sok?q=remiss&sida=2 och Q&A om 2+2=4.\n")
			}
		}
		for range 8 + r.IntN(8) {
			b.WriteString(words[r.IntN(len(words))])
			b.WriteByte(' ')
		}
		b.WriteString("\n")
		line++
	}
	return []byte(b.String())
}

// The hook's scan of a 1 MB text file that holds no secret, against 1000 masked spans:
// expand, then findIn, as scanWorkAreas does.
func BenchmarkScanTypical(b *testing.B) {
	var spans []mask.SpanAt
	for i := range 1000 {
		spans = append(spans, mask.SpanAt{Text: fmt.Sprintf("Förnamn%d Efternamnsson %d", i, 19000000+i), Cell: fmt.Sprintf("2026-0001 Logg!F%d", i+2)})
	}
	idx := mask.NewSpanIndex(spans)
	for _, kind := range []string{"prose", "csv", "code"} {
		data := typicalText(kind, 1<<20)
		b.Run(kind, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var pieces []piece
				expand("f.txt", data, func(p piece) bool {
					pieces = append(pieces, p)
					return true
				})
				if hit, _ := findIn(idx, "f.txt", pieces, new(bool)); hit != nil {
					b.Fatalf("a hit in ordinary text: %v", hit)
				}
			}
		})
	}
}

// The worst a text of 1 MB can do: every decoding at every level. The budget (maxExpanded)
// bounds what it is unpacked to.
func BenchmarkScanHostile(b *testing.B) {
	idx := mask.NewSpanIndex([]mask.SpanAt{{Text: "Förnamn Efternamnsson", Cell: "2026-0001 Logg!F2"}})
	unit := "quoted-printable &amp;Aring; \\u0026amp;#229; =C3=85=3D26aring; =?utf-8?q?=C3=85?= \\\\u00e5 \\nx \xc5\n"
	data := []byte(strings.Repeat(unit, (1<<20)/len(unit)))
	b.SetBytes(int64(len(data)))
	var n, total int
	for b.Loop() {
		var pieces []piece
		n, total = 0, 0
		expand("f.txt", data, func(p piece) bool {
			pieces = append(pieces, p)
			n, total = n+1, total+len(p.data)
			return true
		})
		findIn(idx, "f.txt", pieces, new(bool))
	}
	b.ReportMetric(float64(n), "pieces")
	b.ReportMetric(float64(total)/float64(len(data)), "x-size")
}
