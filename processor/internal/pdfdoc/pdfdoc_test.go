package pdfdoc

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// Strings the sample document draws, each on its own line.
const (
	strHeading = "Ärende 2026-0042 – Begäran om e-maillogg"
	strOSL     = "25 kap. 1 § OSL"
	strVowels  = "åäö ÅÄÖ é"
	strNBSP    = "Belopp:\u00a012\u00a0345\u00a0kr"
	strMissing = "Saknas i typsnittet: 中文 ☃"
	strTitle   = "Utlämnande av e-postlogg – åäö ÅÄÖ"
)

// canary is never passed to Text or Info; it must not appear anywhere in the output.
const canary = "HEMLIGT-lösenord-Canary-7f3a"

var sampleDate = time.Date(2026, 3, 5, 14, 30, 0, 0, time.FixedZone("CET", 3600))

func sampleInfo() Info {
	return Info{
		Title:    strTitle,
		Subject:  "Begäran om allmän handling",
		Author:   "Registrator Åsa Öberg",
		Keywords: "e-post, logg, OSL",
		Producer: "utlamnande pdfdoc",
		Creator:  "utlamnande (test)",
		Date:     sampleDate,
		Lang:     "sv-SE",
	}
}

const samplePages = 3

// sampleDoc builds a three-page document using every drawing operation and style,
// including text added to earlier pages after later pages exist.
func sampleDoc() *Doc {
	d := New(sampleInfo())
	var pages []*Page
	for i := 0; i < samplePages; i++ {
		p := d.AddPage(841.89, 595.28)
		pages = append(pages, p)
		p.Rect(40, 540, 760, 24, RGB{0.9, 0.92, 0.96})
		p.StrokeRect(40, 540, 760, 24, 0.75, RGB{0.2, 0.3, 0.5})
		p.Text(48, 548, strHeading, TextStyle{Size: 14, Bold: true, Color: RGB{0.1, 0.1, 0.3}})
		p.Text(48, 500, strOSL, TextStyle{Size: 11, Italic: true})
		p.Text(48, 470, strVowels, TextStyle{Size: 11})
		p.Text(48, 440, strNBSP, TextStyle{Size: 11, Color: RGB{0.6, 0, 0}})
		p.Text(48, 410, strMissing, TextStyle{Size: 11})
		p.Line(40, 400, 800, 400, 0.5, RGB{0.5, 0.5, 0.5})
		for r := 0; r < 10; r++ {
			y := 370 - float64(r)*16
			if r%2 == 1 {
				p.Rect(40, y-4, 760, 16, RGB{0.95, 0.95, 0.95})
			}
			p.Text(48, y, fmt.Sprintf("Rad %d på sida %d", r+1, i+1), TextStyle{Size: 9})
			p.Text(300, y, "avsandare@kommun.se", TextStyle{Size: 9, Italic: r%3 == 0, Bold: r%4 == 0})
		}
	}
	for i, p := range pages {
		p.Text(700, 20, fmt.Sprintf("Sida %d av %d", i+1, samplePages), TextStyle{Size: 8, Color: RGB{0.4, 0.4, 0.4}})
	}
	return d
}

func render(t testing.TB, d *Doc) []byte {
	t.Helper()
	var buf bytes.Buffer
	n, err := d.WriteTo(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(buf.Len()) {
		t.Fatalf("WriteTo returned %d, wrote %d bytes", n, buf.Len())
	}
	return buf.Bytes()
}

func TestDeterministic(t *testing.T) {
	a := render(t, sampleDoc())
	b := render(t, sampleDoc())
	if !bytes.Equal(a, b) {
		t.Fatal("two identical documents differ")
	}
	// Writing the same document again gives the same bytes.
	d := sampleDoc()
	if c, e := render(t, d), render(t, d); !bytes.Equal(c, e) || !bytes.Equal(a, c) {
		t.Fatal("writing a document twice gives different bytes")
	}
	// A larger document, compressed in parallel, is stable too.
	rows := benchRows(2000)
	x, y := render(t, renderRows(rows)), render(t, renderRows(rows))
	if !bytes.Equal(x, y) {
		t.Fatal("two identical 2000-row documents differ")
	}
	if bytes.Contains(a, []byte(canary)) {
		t.Fatal("canary in output")
	}
}

func TestPageCount(t *testing.T) {
	d := sampleDoc()
	if d.PageCount() != samplePages {
		t.Fatalf("PageCount = %d, want %d", d.PageCount(), samplePages)
	}
	out := render(t, d)
	if n := bytes.Count(out, []byte("/Type /Page ")); n != samplePages {
		t.Fatalf("%d page objects, want %d", n, samplePages)
	}
	if !bytes.Contains(out, []byte("/Type /Pages /Count "+strconv.Itoa(samplePages)+" ")) {
		t.Fatal("page tree /Count missing or wrong")
	}
	if New(Info{}).PageCount() != 0 {
		t.Fatal("new document has pages")
	}
	rows := benchRows(1000) // 28 rows a page: 36 pages
	if n := renderRows(rows).PageCount(); n != 36 {
		t.Fatalf("1000 rows: %d pages, want 36", n)
	}
	if _, err := exec.LookPath("pdfinfo"); err == nil {
		info := runTool(t, "pdfinfo", writeTemp(t, out))
		if !strings.Contains(info, "\nPages:           "+strconv.Itoa(samplePages)+"\n") {
			t.Fatalf("pdfinfo page count:\n%s", info)
		}
	}
}

// TestStructure checks the file layout without external tools: header, binary comment,
// one xref with correct offsets, one trailer, one %%EOF, the /ID.
func TestStructure(t *testing.T) {
	out := render(t, sampleDoc())
	if !bytes.HasPrefix(out, []byte("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")) {
		t.Fatalf("bad header %q", out[:20])
	}
	for _, s := range []string{"%%EOF", "xref", "startxref", "trailer"} {
		want := 1
		if s == "xref" {
			want = 2 // "xref" itself and inside "startxref"
		}
		if n := bytes.Count(out, []byte(s)); n != want {
			t.Fatalf("%q occurs %d times, want %d", s, n, want)
		}
	}
	if !bytes.HasSuffix(out, []byte("\n%%EOF\n")) {
		t.Fatal("file does not end with the end-of-file marker")
	}
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(out)
	if m == nil {
		t.Fatal("no startxref")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(out[xref:], []byte("xref\n0 ")) {
		t.Fatal("startxref does not point at the xref table")
	}
	lines := strings.Split(string(out[xref:]), "\n")
	size, _ := strconv.Atoi(strings.Fields(lines[1])[1])
	if lines[2] != "0000000000 65535 f " {
		t.Fatalf("bad free entry %q", lines[2])
	}
	for n := 1; n < size; n++ {
		e := lines[2+n]
		if len(e) != 19 || !strings.HasSuffix(e, " 00000 n ") {
			t.Fatalf("bad xref entry %d: %q", n, e)
		}
		off, _ := strconv.Atoi(e[:10])
		if want := strconv.Itoa(n) + " 0 obj\n"; !bytes.HasPrefix(out[off:], []byte(want)) {
			t.Fatalf("xref entry %d points at %q", n, out[off:off+20])
		}
	}
	if !strings.HasPrefix(lines[2+size], "trailer") {
		t.Fatalf("no trailer after xref: %q", lines[2+size])
	}
	sum := sha256.Sum256(out[:xref])
	id := strings.ToUpper(hex.EncodeToString(sum[:16]))
	if !bytes.Contains(out, []byte("/ID [<"+id+"> <"+id+">]")) {
		t.Fatalf("trailer /ID is not SHA-256 of the body (%s)", id)
	}
}

func TestStrings(t *testing.T) {
	d := sampleDoc()
	got := d.Strings()
	if len(got) != samplePages*(5+20)+samplePages {
		t.Fatalf("%d strings", len(got))
	}
	if got[0] != strHeading || got[4] != strMissing || got[len(got)-1] != "Sida 3 av 3" {
		t.Fatalf("unexpected strings %q ... %q", got[:5], got[len(got)-1])
	}
	// Many strings (more than one block of the log).
	d = New(Info{})
	p := d.AddPage(100, 100)
	for i := 0; i < 3*stringLogBlock+5; i++ {
		p.Text(1, 1, strconv.Itoa(i), TextStyle{})
	}
	got = d.Strings()
	if len(got) != 3*stringLogBlock+5 || got[stringLogBlock] != strconv.Itoa(stringLogBlock) {
		t.Fatal("string log lost or reordered strings")
	}
}

func TestInfoEncoding(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain", "(plain)"},
		{`a(b)c\d`, `(a\(b\)c\\d)`},
		{"tab\tnl\n", `(tab\011nl\012)`},
		{"åä", "<FEFF00E500E4>"},
		{"😀", "<FEFFD83DDE00>"},
	}
	for _, c := range cases {
		if got := string(appendTextString(nil, c.in)); got != c.want {
			t.Errorf("appendTextString(%q) = %s, want %s", c.in, got, c.want)
		}
	}
	dates := []struct {
		t    time.Time
		want string
	}{
		{sampleDate, "D:20260305143000+01'00'"},
		{time.Date(2026, 7, 1, 9, 5, 7, 0, time.UTC), "D:20260701090507+00'00'"},
		{time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("", -(5*3600+30*60))), "D:20260102030405-05'30'"},
	}
	for _, c := range dates {
		if got := string(appendDate(nil, c.t)); got != c.want {
			t.Errorf("appendDate(%v) = %s, want %s", c.t, got, c.want)
		}
	}
	out := render(t, sampleDoc())
	for _, s := range []string{"/CreationDate (D:20260305143000+01'00')", "/ModDate (D:20260305143000+01'00')",
		"/Lang (sv-SE)", "/Keywords (e-post, logg, OSL)"} {
		if !bytes.Contains(out, []byte(s)) {
			t.Errorf("output lacks %s", s)
		}
	}
}

func TestNumbers(t *testing.T) {
	cases := []struct {
		v    float64
		dec  int
		want string
	}{
		{0, 2, "0"}, {12, 2, "12"}, {12.5, 2, "12.5"}, {841.89, 2, "841.89"}, {-0.001, 2, "0"},
		{-3.14159, 3, "-3.142"}, {0.0004, 3, "0"}, {1e20, 2, "100000000000000000000"},
		{595.275, 2, "595.28"}, {0.1 + 0.2, 3, "0.3"},
	}
	for _, c := range cases {
		if got := string(appendNum(nil, c.v, c.dec)); got != c.want {
			t.Errorf("appendNum(%v, %d) = %s, want %s", c.v, c.dec, got, c.want)
		}
	}
}

func TestFontMetrics(t *testing.T) {
	f := DefaultFont()
	if f != DefaultFont() {
		t.Fatal("DefaultFont parsed twice")
	}
	if f.Name() != "DejaVuSansCondensed" {
		t.Fatalf("name %q", f.Name())
	}
	for _, r := range "aåäöÅÄÖé§–\u00a0€" {
		if !f.Has(r) {
			t.Errorf("font lacks %q", r)
		}
	}
	if f.Has('中') || f.Has(0x10FFFF) {
		t.Error("font claims to have a CJK glyph")
	}
	s := "Ärende – åäö 中"
	var sum float64
	for _, r := range s {
		sum += f.RuneWidth(r, 10)
	}
	if w := f.Width(s, 10); w < sum-1e-9 || w > sum+1e-9 || w <= 0 {
		t.Fatalf("Width %v, sum of RuneWidth %v", w, sum)
	}
	if w := f.Width("M", 1000); w < 700 || w > 900 {
		t.Fatalf("width of M at 1000 pt: %v", w)
	}
	if f.Ascent(10) <= 0 || f.Descent(10) >= 0 || f.LineHeight(10) < f.Ascent(10)-f.Descent(10) {
		t.Fatalf("ascent %v descent %v", f.Ascent(10), f.Descent(10))
	}
	if _, err := ParseFont([]byte("not a font")); err == nil {
		t.Fatal("ParseFont accepted garbage")
	}
	g, err := ParseFont(dejaVuSansCondensed)
	if err != nil {
		t.Fatal(err)
	}
	if g.Width(s, 10) != f.Width(s, 10) {
		t.Fatal("ParseFont and DefaultFont disagree")
	}
}

// streamsWith returns the decoded streams whose dictionary contains key.
func streamsWith(t *testing.T, pdf []byte, key string) [][]byte {
	t.Helper()
	re := regexp.MustCompile(`(?s)\d+ 0 obj\n<<([^\n]*?)>>\nstream\n`)
	var res [][]byte
	for _, m := range re.FindAllSubmatchIndex(pdf, -1) {
		dict := string(pdf[m[2]:m[3]])
		if !strings.Contains(dict, key) {
			continue
		}
		lm := regexp.MustCompile(`/Length (\d+)`).FindStringSubmatch(dict)
		n, _ := strconv.Atoi(lm[1])
		data := pdf[m[1] : m[1]+n]
		if strings.Contains(dict, "/FlateDecode") {
			r, err := zlib.NewReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if data, err = io.ReadAll(r); err != nil {
				t.Fatal(err)
			}
		}
		res = append(res, data)
	}
	return res
}

// TestSubset checks the embedded font of a small document: only the drawn glyphs, glyph
// 0 and composite components have outlines; the font is far smaller than the original.
func TestSubset(t *testing.T) {
	const text = "Hej Åsa, § 7 – ärende på Öland"
	d := New(Info{})
	d.AddPage(200, 100).Text(10, 10, text, TextStyle{})
	out := render(t, d)
	files := streamsWith(t, out, "/Length1")
	if len(files) != 1 {
		t.Fatalf("%d font files", len(files))
	}
	ttf := files[0]
	compressed := regexp.MustCompile(`/Length (\d+) /Filter /FlateDecode /Length1`).FindSubmatch(out)
	csize, _ := strconv.Atoi(string(compressed[1]))
	orig := len(dejaVuSansCondensed)
	t.Logf("original %d bytes; subset %d bytes, %d compressed (%.1f%%)", orig, len(ttf), csize, 100*float64(csize)/float64(orig))
	if len(ttf) > orig/8 || csize > orig/20 {
		t.Fatalf("subset too large: %d bytes (%d compressed) of %d", len(ttf), csize, orig)
	}

	// Table directory, checksums.
	sf, err := ParseFont(ttf)
	if err != nil {
		t.Fatal(err)
	}
	var tags []string
	for _, tb := range sf.tabs {
		tags = append(tags, tb.tag)
		b := ttf[tb.off : tb.off+tb.length]
		want := tableChecksum(b)
		if tb.tag == "head" {
			c := append([]byte(nil), b...)
			binary.BigEndian.PutUint32(c[8:], 0)
			want = tableChecksum(c)
		}
		if got := binary.BigEndian.Uint32(ttf[12+16*len(tags)-16+4:]); got != want {
			t.Errorf("table %s checksum %08x, want %08x", tb.tag, got, want)
		}
	}
	if got := strings.Join(tags, ","); got != "OS/2,cvt ,fpgm,glyf,head,hhea,hmtx,loca,maxp,name,post,prep" {
		t.Fatalf("tables %s", got)
	}
	if tableChecksum(ttf) != 0xB1B0AFBA {
		t.Fatal("whole-font checksum wrong")
	}

	// Which glyphs have outline data.
	full := DefaultFont()
	want := map[int]bool{0: true}
	var stack []uint16
	for _, r := range text {
		stack = append(stack, full.glyph(r))
	}
	for len(stack) > 0 {
		g := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !want[int(g)] {
			want[int(g)] = true
			stack = full.components(int(g), stack)
		}
	}
	composite := 0
	for g := range want {
		if len(full.components(g, nil)) > 0 {
			composite++
		}
	}
	if composite == 0 {
		t.Fatal("test text has no composite glyph (ä, å and Ö are composites in DejaVu)")
	}
	withData := 0
	for g := 0; g < sf.numGlyphs; g++ {
		data := sf.glyphData(g)
		has := len(data) > 0
		if has {
			withData++
		}
		orig := full.glyphData(g)
		switch {
		case want[g] && len(orig) > 0:
			if !bytes.Equal(data[:len(orig)], orig) {
				t.Errorf("glyph %d differs from the original", g)
			}
		case has:
			t.Errorf("glyph %d has data but was not drawn", g)
		}
		if want[g] && sf.advance[g] != full.advance[g] {
			t.Errorf("glyph %d advance %d, want %d", g, sf.advance[g], full.advance[g])
		}
	}
	t.Logf("%d glyphs in subset (ids kept), %d with outlines, %d composite", sf.numGlyphs, withData, composite)
	if !regexp.MustCompile(`/BaseFont /[A-Z]{6}\+DejaVuSansCondensed `).Match(out) {
		t.Fatal("subset font name lacks a six-letter tag")
	}
}

// TestAliasGlyphs: runes the font lacks and runes sharing a glyph get their own CIDs
// (copies of the glyph) so that ToUnicode gives each its own rune.
func TestAliasGlyphs(t *testing.T) {
	d := New(Info{})
	d.AddPage(200, 100).Text(10, 10, "a 中文 a", TextStyle{})
	out := render(t, d)
	f := DefaultFont()
	n := f.NumGlyphs()
	var cmap string
	for _, s := range streamsWith(t, out, "") {
		if bytes.Contains(s, []byte("begincmap")) {
			cmap = string(s)
		}
	}
	for _, want := range []string{
		fmt.Sprintf("<%04X> <4E2D>", n), fmt.Sprintf("<%04X> <6587>", n+1),
		fmt.Sprintf("<%04X> <0061>", f.glyph('a')), fmt.Sprintf("<%04X> <0020>", f.glyph(' ')),
	} {
		if !strings.Contains(cmap, want) {
			t.Errorf("ToUnicode lacks %s:\n%s", want, cmap)
		}
	}
	sf, err := ParseFont(streamsWith(t, out, "/Length1")[0])
	if err != nil {
		t.Fatal(err)
	}
	if sf.numGlyphs != n+2 {
		t.Fatalf("subset has %d glyphs, want %d", sf.numGlyphs, n+2)
	}
	if !bytes.Equal(sf.glyphData(n)[:len(f.glyphData(0))], f.glyphData(0)) {
		t.Fatal("alias glyph is not a copy of .notdef")
	}
}

// --- external tools ---

func needTools(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			t.Skipf("%s not on PATH", n)
		}
	}
}

func runTool(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "TZ=UTC")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

func writeTemp(t *testing.T, pdf []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(p, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestQPDFCheck(t *testing.T) {
	needTools(t, "qpdf")
	for name, d := range map[string]*Doc{
		"sample": sampleDoc(),
		"rows":   renderRows(benchRows(500)),
		"empty":  New(Info{}),
	} {
		out := runTool(t, "qpdf", "--check", writeTemp(t, render(t, d)))
		if strings.Contains(strings.ToLower(out), "warning") || !strings.Contains(out, "No syntax or stream encoding errors found") {
			t.Errorf("%s: qpdf --check:\n%s", name, out)
		}
	}
}

func TestPDFFonts(t *testing.T) {
	needTools(t, "pdffonts")
	out := runTool(t, "pdffonts", writeTemp(t, render(t, sampleDoc())))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("want one font:\n%s", out)
	}
	re := regexp.MustCompile(`^[A-Z]{6}\+DejaVuSansCondensed +CID TrueType +Identity-H +yes +yes +yes +\d+ +0$`)
	if !re.MatchString(lines[2]) {
		t.Fatalf("font not embedded subset CID TrueType with ToUnicode:\n%s", out)
	}
}

func TestPDFToText(t *testing.T) {
	needTools(t, "pdftotext")
	pdf := writeTemp(t, render(t, sampleDoc()))
	text := runTool(t, "pdftotext", "-layout", "-enc", "UTF-8", pdf, "-")
	for _, s := range []string{strHeading, strOSL, strVowels, "Saknas i typsnittet: 中文 ☃", "Sida 1 av 3", "Sida 3 av 3", "Rad 10 på sida 2"} {
		if !strings.Contains(text, s) {
			t.Errorf("pdftotext output lacks %q", s)
		}
	}
	// Poppler writes U+00A0 as a plain space; the ToUnicode entry is checked in TestQDF.
	if !strings.Contains(text, "Belopp: 12 345 kr") && !strings.Contains(text, strNBSP) {
		t.Errorf("pdftotext output lacks %q", strNBSP)
	}
	if n := strings.Count(text, "\f"); n != samplePages {
		t.Errorf("%d form feeds, want %d", n, samplePages)
	}
	if strings.Contains(text, canary) {
		t.Error("canary extracted")
	}
}

func TestPDFInfo(t *testing.T) {
	needTools(t, "pdfinfo")
	out := runTool(t, "pdfinfo", "-isodates", writeTemp(t, render(t, sampleDoc())))
	for _, s := range []string{
		"Title:           " + strTitle + "\n",
		"Subject:         Begäran om allmän handling\n",
		"Author:          Registrator Åsa Öberg\n",
		"Keywords:        e-post, logg, OSL\n",
		"Creator:         utlamnande (test)\n",
		"Producer:        utlamnande pdfdoc\n",
		"CreationDate:    2026-03-05T14:30:00+01\n",
		"ModDate:         2026-03-05T14:30:00+01\n",
		"PDF version:     1.7\n",
		"Page size:       841.89 x 595.28 pts (A4)\n",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("pdfinfo lacks %q:\n%s", s, out)
		}
	}
}

// TestQDF decompresses everything with qpdf and checks that what was drawn, and only
// that, reached the file, and that the ToUnicode CMap is there.
func TestQDF(t *testing.T) {
	needTools(t, "qpdf")
	d := sampleDoc()
	pdf := writeTemp(t, render(t, d))
	qdf := filepath.Join(t.TempDir(), "qdf.pdf")
	runTool(t, "qpdf", "--qdf", "--object-streams=disable", pdf, qdf)
	raw, err := os.ReadFile(qdf)
	if err != nil {
		t.Fatal(err)
	}
	body := strings.ToUpper(string(raw))
	u := d.fonts[0]
	glyphHex := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			cid := u.font.glyph(r)
			if r < lowRunes && u.low[r] != 0 {
				cid = u.low[r]
			} else if c, ok := u.high[r]; ok {
				cid = c
			}
			fmt.Fprintf(&b, "%04X", cid)
		}
		return b.String()
	}
	utf16Hex := func(s string) string {
		var b strings.Builder
		for _, c := range utf16.Encode([]rune(s)) {
			fmt.Fprintf(&b, "%04X", c)
		}
		return b.String()
	}
	for _, s := range d.Strings() {
		if !strings.Contains(body, "<"+glyphHex(s)+">") {
			t.Fatalf("drawn string %q (%s) not found in the content streams", s, glyphHex(s))
		}
	}
	for _, form := range []string{strings.ToUpper(canary), glyphHex(canary), utf16Hex(canary), glyphHex("Canary")} {
		if strings.Contains(body, form) {
			t.Fatalf("canary found in decompressed output as %q", form)
		}
	}
	for _, s := range []string{"/CMAPNAME /ADOBE-IDENTITY-UCS DEF", "BEGINBFCHAR", "/TOUNICODE",
		fmt.Sprintf("<%04X> <00A0>", u.low[0xA0]), fmt.Sprintf("<%04X> <00A7>", u.low['§']),
		fmt.Sprintf("<%04X> <2013>", u.low['–']), fmt.Sprintf("<%04X> <00E5>", u.low['å']),
		"/LANG (SV-SE)", "/CIDTOGIDMAP /IDENTITY", "/ENCODING /IDENTITY-H", "/FONTFILE2"} {
		if !strings.Contains(body, s) {
			t.Errorf("decompressed output lacks %s", s)
		}
	}
	if u.low[0xA0] == u.low[' '] {
		t.Error("no-break space shares the CID of the space")
	}
}

func TestSortedOutputIndependentOfOrder(t *testing.T) {
	// Fonts are numbered by first use and glyph tables are sorted: two documents drawing the
	// same strings in a different order on separate pages share the font objects.
	a, b := New(Info{}), New(Info{})
	a.AddPage(100, 100).Text(1, 1, "xyz åäö", TextStyle{})
	a.AddPage(100, 100).Text(1, 1, "abc", TextStyle{})
	b.AddPage(100, 100).Text(1, 1, "abc", TextStyle{})
	b.AddPage(100, 100).Text(1, 1, "xyz åäö", TextStyle{})
	fa, fb := streamsWith(t, render(t, a), "/Length1"), streamsWith(t, render(t, b), "/Length1")
	if !bytes.Equal(fa[0], fb[0]) {
		t.Fatal("font subset depends on drawing order")
	}
	if !slices.Equal(a.Strings(), []string{"xyz åäö", "abc"}) {
		t.Fatal("Strings")
	}
}
