package export

// A scanner that counts what excelize will make of one XML part of a raw xlsx export, before
// excelize reads it: how deep elements nest, how many shared strings there are and how long
// each is, how many cells the rows will hold and how much text. It reads the part once, a
// byte at a time, and keeps nothing of it but counters: it costs a fraction of what
// excelize's own read costs, and refuses a hostile part at the limit instead of at the end.
//
// The scanner tokenizes as encoding/xml does (the decoder excelize uses), and where it cannot
// tell it counts more, never less: every '<' that starts a tag counts as an element, whether
// or not encoding/xml would accept its name. It stops at the first place where encoding/xml
// certainly stops with an error (invalid UTF-8, a character XML forbids, an unquoted attribute
// value, '<' inside an attribute value, a broken comment): nothing after that is ever
// decoded, by excelize or anyone. So a binary part (an image) is read past, not counted.
// FuzzScanXML checks that the depth it finds is never less than encoding/xml's.
//
// Two things encoding/xml would do that the scanner cannot follow are refused instead: a
// document type declaration (<!DOCTYPE …>, which no spreadsheet program writes) and an XML
// declaration naming an encoding other than UTF-8 (excelize would then decode the rest
// through a charset reader, so the bytes the scanner sees are not the characters it reads).

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"
)

// scanKind tells the scanner what the part is to excelize.
type scanKind int

const (
	// scanSheet: any part but the shared strings. Rows and cells are counted wherever they
	// are (a worksheet may be stored under any name the relationships give it); in parts
	// that are no worksheet the counts stay near zero.
	scanSheet scanKind = iota
	// scanStrings: xl/sharedStrings.xml, the table excelize loads whole.
	scanStrings
)

// errStop means encoding/xml would stop here with a syntax error: the rest of the part is
// never decoded and need not be counted.
var errStop = errors.New("stop")

// scanLimit is a limit the part exceeds; what tells where and which limit.
type scanLimit struct {
	what  string // Swedish, e.g. "elementen är nästlade mer än 64 nivåer djupt"
	where string // e.g. "cellen E17" or "delad sträng nr 4"; "" if none
	// cell: the limit is the length of one cell or shared string (for the message's advice).
	cell bool
}

func (e *scanLimit) Error() string { return e.what }

// xmlScan holds the counts of one part.
type xmlScan struct {
	r    *bufio.Reader
	kind scanKind
	lim  scanLimits

	depth    int
	maxDepth int
	starts   int64 // start tags

	// Shared strings (scanStrings): the length in bytes of each string's text as written
	// (entities and Excel's _xHHHH_ escapes not decoded: at least the decoded length).
	lengths []int32
	siDepth int // depth of the open <si>, 0 when none
	siText  int64

	// Worksheets (scanSheet): the row being read, its widest column, and the text and cell
	// slots of all rows so far.
	strings   []int32 // lengths of the shared strings, to count t="s" cells
	row       int
	rowCells  int
	rowText   int64
	col       int
	slots     int64
	text      int64
	cellDepth int // depth of the open <c>, 0 when none
	cellText  int64
	cellType  string
	cellRef   string
	vDepth    int // depth of the open <v> in a shared-string cell
	v         []byte

	nameBuf [8]byte // the local name name() returns
}

// scanLimits are the limits a part is held to.
type scanLimits struct {
	depth     int   // deepest nesting
	strings   int   // shared strings in the table
	cellBytes int64 // text of one cell or shared string, as written
	rows      int   // highest row number
	cols      int   // highest column number
	slots     int64 // cells the rows hold, counting the empty ones before a cell
	rowText   int64 // text of one row
	text      int64 // text of all rows
}

// scanXML reads the part from r to its end (or to where encoding/xml would stop) and returns
// its counts, or a *scanLimit for a limit it exceeds, or another error for a part it refuses
// (*scanLimit too). strings are the shared string lengths for a worksheet.
func scanXML(r io.Reader, kind scanKind, lim scanLimits, strings []int32) (*xmlScan, error) {
	s := &xmlScan{r: bufio.NewReaderSize(r, 64<<10), kind: kind, lim: lim, strings: strings}
	err := s.run()
	if errors.Is(err, errStop) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = nil
	}
	if err == nil && kind == scanSheet {
		err = s.endRow()
	}
	return s, err
}

func (s *xmlScan) run() error {
	for {
		// Plain text, a buffer at a time.
		buf, err := s.peek()
		if err != nil {
			return err
		}
		i := 0
		for i < len(buf) && plainText[buf[i]] {
			i++
		}
		if i > 0 {
			if err := s.addText(int64(i), buf[:i]); err != nil {
				return err
			}
			s.r.Discard(i)
			continue
		}
		b, _ := s.r.ReadByte()
		if b != '<' {
			n, err := s.char(b)
			if err != nil {
				return err
			}
			if err := s.addText(int64(n), nil); err != nil {
				return err
			}
			continue
		}
		if err := s.markup(); err != nil {
			return err
		}
	}
}

// peek returns what is buffered, reading more when nothing is.
func (s *xmlScan) peek() ([]byte, error) {
	if s.r.Buffered() == 0 {
		if _, err := s.r.Peek(1); err != nil {
			return nil, err
		}
	}
	buf, _ := s.r.Peek(s.r.Buffered())
	return buf, nil
}

// plainText: the bytes of text that need no more than counting (ASCII, allowed in XML, not
// markup); nameBytes: the ASCII bytes of names; plainValue: those of attribute values that
// need no more than copying.
var plainText, nameBytes, plainValue [256]bool

func init() {
	for c := range 256 {
		b := byte(c)
		plainText[c] = b < 0x80 && b != '<' && (b >= 0x20 || b == '\t' || b == '\n' || b == '\r')
		nameBytes[c] = isNameByte(b)
		plainValue[c] = plainText[c] && b != '"' && b != '\''
	}
}

// char checks the character that starts with byte b, reading the rest of it: a character
// encoding/xml rejects (invalid UTF-8, or outside XML's Char production) stops the scan.
// It returns the character's length in bytes.
func (s *xmlScan) char(b byte) (int, error) {
	if b < utf8.RuneSelf {
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
			return 0, errStop
		}
		return 1, nil
	}
	var buf [utf8.UTFMax]byte
	buf[0] = b
	n := 0
	switch {
	case b >= 0xC2 && b <= 0xDF:
		n = 2
	case b >= 0xE0 && b <= 0xEF:
		n = 3
	case b >= 0xF0 && b <= 0xF4:
		n = 4
	default:
		return 0, errStop
	}
	for i := 1; i < n; i++ {
		c, err := s.r.ReadByte()
		if err != nil {
			return 0, err
		}
		buf[i] = c
	}
	r, size := utf8.DecodeRune(buf[:n])
	if size != n || !xmlChar(r) {
		return 0, errStop
	}
	return n, nil
}

// xmlChar is XML's Char production, as encoding/xml checks it.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

func (s *xmlScan) next() (byte, error) {
	b, err := s.r.ReadByte()
	if err != nil {
		return 0, errStop // inside markup: encoding/xml reports an unexpected EOF
	}
	return b, nil
}

func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == ':' || c == '.' || c == '-'
}

func isSpace(c byte) bool { return c == ' ' || c == '\r' || c == '\n' || c == '\t' }

// name reads a name as encoding/xml's readName does: name bytes, and any non-ASCII
// character (encoding/xml checks those afterwards; the scanner takes them all). It returns the
// local name (after a single colon, as encoding/xml splits it), up to 8 bytes of it: enough
// to recognise row, c, v and si, valid until the next call. The byte after the name is left
// unread.
func (s *xmlScan) name() (local []byte, err error) {
	// Fast: an ASCII name wholly in the buffer.
	if p, err := s.peek(); err == nil {
		i := 0
		for i < len(p) && nameBytes[p[i]] {
			i++
		}
		if i > 0 && i < len(p) && p[i] < utf8.RuneSelf {
			name := p[:i]
			s.r.Discard(i)
			if c := bytes.IndexByte(name, ':'); c >= 0 {
				if c == 0 || c == len(name)-1 || bytes.IndexByte(name[c+1:], ':') >= 0 {
					return nil, nil
				}
				name = name[c+1:]
			}
			if len(name) > len(s.nameBuf) {
				return nil, nil
			}
			return s.nameBuf[:copy(s.nameBuf[:], name)], nil
		}
	}
	buf := &s.nameBuf
	n, colon, total := 0, -1, 0
	for {
		b, err := s.next()
		if err != nil {
			return nil, err
		}
		if b < utf8.RuneSelf && !isNameByte(b) {
			if total == 0 {
				return nil, errStop // encoding/xml: expected element name
			}
			s.r.UnreadByte()
			break
		}
		if b >= utf8.RuneSelf {
			k, err := s.char(b)
			if err != nil {
				return nil, err
			}
			total += k
			n = len(buf) + 1 // not one of the names looked for
			continue
		}
		if b == ':' {
			if colon >= 0 {
				colon = -2 // two colons: encoding/xml refuses the name
			} else if colon == -1 {
				colon = total
			}
			n = 0
			total++
			continue
		}
		if n < len(buf) {
			buf[n] = b
		}
		n++
		total++
	}
	if n > len(buf) {
		return nil, nil
	}
	if colon == 0 || colon == total-1 || colon == -2 {
		return nil, nil // no prefix or no local part: the whole name, none of ours
	}
	return buf[:n], nil
}

func (s *xmlScan) markup() error {
	b, err := s.next()
	if err != nil {
		return err
	}
	switch b {
	case '/':
		if _, err := s.name(); err != nil {
			return err
		}
		if err := s.spaces(); err != nil {
			return err
		}
		if b, err = s.next(); err != nil || b != '>' {
			return errStop
		}
		return s.end()
	case '?':
		return s.procInst()
	case '!':
		return s.bang()
	}
	s.r.UnreadByte()
	return s.startTag()
}

func (s *xmlScan) spaces() error {
	for {
		b, err := s.next()
		if err != nil {
			return err
		}
		if !isSpace(b) {
			s.r.UnreadByte()
			return nil
		}
	}
}

// maxDeclaration is the longest XML declaration read (a real one is some 50 bytes).
const maxDeclaration = 4096

// procInst skips a processing instruction. The XML declaration's encoding must be UTF-8.
func (s *xmlScan) procInst() error {
	target, err := s.piTarget()
	if err != nil {
		return err
	}
	if err := s.spaces(); err != nil {
		return err
	}
	var content []byte
	var b0 byte
	for {
		b, err := s.next()
		if err != nil {
			return err
		}
		if b0 == '?' && b == '>' {
			break
		}
		if target {
			if len(content) >= maxDeclaration {
				return &scanLimit{what: "delens XML-deklaration är längre än " + strconv.Itoa(maxDeclaration) + " byte"}
			}
			content = append(content, b)
		}
		b0 = b
	}
	if target {
		if len(content) > 0 {
			content = content[:len(content)-1] // the '?'
		}
		if enc := procInstParam("encoding", string(content)); enc != "" && !equalFoldASCII(enc, "utf-8") {
			return &scanLimit{what: "delen är skriven i teckenkodningen " + strconv.Quote(enc) + ", inte UTF-8 som Excel skriver"}
		}
	}
	return nil
}

// piTarget reads a processing instruction's target and reports whether it is "xml" (the
// XML declaration, where encoding/xml looks for the encoding).
func (s *xmlScan) piTarget() (bool, error) {
	var buf [4]byte
	n := 0
	for {
		b, err := s.next()
		if err != nil {
			return false, err
		}
		if b < utf8.RuneSelf && !isNameByte(b) {
			if n == 0 {
				return false, errStop
			}
			s.r.UnreadByte()
			return n == 3 && string(buf[:3]) == "xml", nil
		}
		if n < len(buf) {
			buf[n] = b
		}
		n++
	}
}

// procInstParam is encoding/xml's procInst: the value of param in a processing instruction's
// content, found the way encoding/xml finds it (which is what decides the encoding).
func procInstParam(param, s string) string {
	param += "="
	lenp := len(param)
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := indexString(sub, param)
		if k < 0 || lenp+k >= len(sub) {
			return ""
		}
		i += lenp + k + 1
		if c := sub[lenp+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	for j := i; j < len(s); j++ {
		if s[j] == sep {
			return s[i:j]
		}
	}
	return ""
}

func indexString(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// bang reads what follows "<!": a comment, a CDATA section (text), or a declaration, which is
// refused.
func (s *xmlScan) bang() error {
	b, err := s.next()
	if err != nil {
		return err
	}
	switch b {
	case '-':
		if b, err = s.next(); err != nil || b != '-' {
			return errStop
		}
		var b0, b1 byte
		for {
			b, err := s.next()
			if err != nil {
				return err
			}
			if b0 == '-' && b1 == '-' {
				if b != '>' {
					return errStop // encoding/xml: "--" not allowed in comments
				}
				return nil
			}
			b0, b1 = b1, b
		}
	case '[':
		for i := 0; i < len("CDATA["); i++ {
			if b, err = s.next(); err != nil || b != "CDATA["[i] {
				return errStop
			}
		}
		// Text up to "]]>", its characters checked as encoding/xml checks them.
		var b0, b1 byte
		for {
			b, err := s.next()
			if err != nil {
				return err
			}
			if b0 == ']' && b1 == ']' && b == '>' {
				return nil
			}
			n, err := s.char(b)
			if err != nil {
				return err
			}
			var p []byte
			if n == 1 {
				p = []byte{b}
			}
			if err := s.addText(int64(n), p); err != nil {
				return err
			}
			b0, b1 = b1, b
		}
	}
	return &scanLimit{what: "delen har en dokumenttypdeklaration (<!DOCTYPE …>), som inget kalkylprogram skriver"}
}

// startTag reads a start tag (after '<') with its attributes, as encoding/xml does in strict
// mode, and counts the element.
func (s *xmlScan) startTag() error {
	local, err := s.name()
	if err != nil {
		return err
	}
	el := elementOf(local)
	var rAttr, tAttr []byte
	empty := false
	for {
		if err := s.spaces(); err != nil {
			return err
		}
		b, err := s.next()
		if err != nil {
			return err
		}
		if b == '>' {
			break
		}
		if b == '/' {
			if b, err = s.next(); err != nil || b != '>' {
				return errStop
			}
			empty = true
			break
		}
		s.r.UnreadByte()
		attr, err := s.name()
		if err != nil {
			return err
		}
		if err := s.spaces(); err != nil {
			return err
		}
		if b, err = s.next(); err != nil || b != '=' {
			return errStop // strict: an attribute without a value
		}
		if err := s.spaces(); err != nil {
			return err
		}
		q, err := s.next()
		if err != nil || q != '"' && q != '\'' {
			return errStop // strict: an unquoted value
		}
		keep := el != elOther && len(attr) == 1 && (attr[0] == 'r' || attr[0] == 't')
		var val []byte
		// Fast: a plain ASCII value wholly in the buffer.
		if p, err := s.peek(); err == nil {
			i := 0
			for i < len(p) && plainValue[p[i]] {
				i++
			}
			if i < len(p) && p[i] == q {
				if keep {
					val = append(val, p[:min(i, 64)]...)
				}
				s.r.Discard(i + 1)
				goto value
			}
		}
		for {
			b, err := s.next()
			if err != nil {
				return err
			}
			if b == q {
				break
			}
			if b == '<' {
				return errStop // encoding/xml: unescaped < inside a quoted string
			}
			if _, err := s.char(b); err != nil {
				return err
			}
			if keep && len(val) < 64 {
				val = append(val, b)
			}
		}
	value:
		if keep {
			if attr[0] == 'r' {
				rAttr = val
			} else {
				tAttr = val
			}
		}
	}
	s.starts++
	s.depth++
	if s.depth > s.maxDepth {
		s.maxDepth = s.depth
		if s.maxDepth > s.lim.depth {
			return &scanLimit{what: "elementen är nästlade mer än " + strconv.Itoa(s.lim.depth) + " nivåer djupt (en arbetsbok behöver ett tiotal)", where: s.where()}
		}
	}
	if err := s.start(el, rAttr, tAttr); err != nil {
		return err
	}
	if empty {
		return s.end()
	}
	return nil
}

type element int

const (
	elOther element = iota
	elRow
	elCell
	elValue
	elString
)

func elementOf(local []byte) element {
	switch string(local) {
	case "row":
		return elRow
	case "c":
		return elCell
	case "v":
		return elValue
	case "si":
		return elString
	}
	return elOther
}

// start notes an element that opened at s.depth.
func (s *xmlScan) start(el element, rAttr, tAttr []byte) error {
	switch s.kind {
	case scanStrings:
		if el == elString && s.siDepth == 0 {
			s.siDepth, s.siText = s.depth, 0
		}
	case scanSheet:
		switch {
		case el == elRow:
			if err := s.endRow(); err != nil {
				return err
			}
			// excelize: the row's r, or the one after the last.
			n, err := strconv.Atoi(string(decodeEntities(rAttr)))
			if err != nil || n == 0 {
				n = s.row + 1
			}
			if n > s.lim.rows || n < 0 {
				return &scanLimit{what: "bladet har en rad nr " + strconv.Itoa(n) + "; Excel har högst " + strconv.Itoa(s.lim.rows) + " rader"}
			}
			s.row, s.col = n, 0
		case el == elCell && s.cellDepth == 0:
			// excelize: the cell's r, or the column after the last.
			col := s.col + 1
			ref := decodeEntities(rAttr)
			if c, ok := refColumn(ref); ok {
				col = c
			}
			if col > s.lim.cols {
				return &scanLimit{what: "bladet har en cell i kolumn nr " + strconv.Itoa(col) + "; Excel har högst " + strconv.Itoa(s.lim.cols) + " kolumner", where: s.cellName(ref)}
			}
			s.col = col
			s.rowCells = max(s.rowCells, col)
			s.cellDepth, s.cellText, s.cellType, s.cellRef = s.depth, 0, string(decodeEntities(tAttr)), string(ref)
		case el == elValue && s.cellDepth > 0 && s.depth == s.cellDepth+1 && s.cellType == "s":
			s.vDepth, s.v = s.depth, s.v[:0]
		}
	}
	return nil
}

// end notes an end tag: the element at s.depth closes.
func (s *xmlScan) end() error {
	d := s.depth
	s.depth--
	switch {
	case s.kind == scanStrings && s.siDepth > 0 && d == s.siDepth:
		s.siDepth = 0
		if len(s.lengths) >= s.lim.strings {
			return &scanLimit{what: "tabellen med delade strängar har fler än " + strconv.Itoa(s.lim.strings) + " strängar"}
		}
		s.lengths = append(s.lengths, int32(s.siText))
	case s.kind == scanSheet && s.vDepth > 0 && d == s.vDepth:
		s.vDepth = 0
	case s.kind == scanSheet && s.cellDepth > 0 && d == s.cellDepth:
		s.cellDepth = 0
		text := s.cellText
		if s.cellType == "s" {
			i, err := strconv.Atoi(string(trimSpaceBytes(s.v)))
			if err != nil || i < 0 || i >= len(s.strings) {
				// excelize indexes the table with it (a negative number panics there)
				return &scanLimit{what: "en cell pekar på en delad sträng som inte finns (" + strconv.Quote(string(s.v)) + ")", where: "rad " + strconv.Itoa(s.row)}
			}
			text = max(text, int64(s.strings[i]))
		}
		s.rowText += text
		s.text += text
		if s.rowText > s.lim.rowText {
			return &scanLimit{what: "en rad i bladet har mer än " + mib(s.lim.rowText) + " text", where: "rad " + strconv.Itoa(s.row)}
		}
		if s.text > s.lim.text {
			return &scanLimit{what: "bladets celler har tillsammans mer än " + mib(s.lim.text) + " text"}
		}
	}
	return nil
}

func (s *xmlScan) endRow() error {
	s.slots += int64(s.rowCells)
	s.rowCells, s.rowText = 0, 0
	if s.slots > s.lim.slots {
		return &scanLimit{what: "bladets rader har tillsammans mer än " + strconv.FormatInt(s.lim.slots, 10) + " celler"}
	}
	return nil
}

// addText counts n bytes of text in the open cell or shared string; p are the bytes when
// they are ASCII (nil for one non-ASCII character).
func (s *xmlScan) addText(n int64, p []byte) error {
	switch {
	case s.kind == scanStrings && s.siDepth > 0:
		if s.siText += n; s.siText > s.lim.cellBytes {
			return &scanLimit{what: "en delad sträng är längre än en cell i Excel kan vara (" + excelCellLimit + ")", where: "delad sträng nr " + strconv.Itoa(len(s.lengths)+1), cell: true}
		}
	case s.kind == scanSheet && s.cellDepth > 0:
		if s.cellText += n; s.cellText > s.lim.cellBytes {
			return &scanLimit{what: "cellen är längre än en cell i Excel kan vara (" + excelCellLimit + ")", where: s.cellName([]byte(s.cellRef)), cell: true}
		}
		if s.vDepth > 0 && len(s.v) < 32 {
			if p == nil {
				p = []byte{'x'} // no digit: the value is no index
			}
			s.v = append(s.v, p[:min(len(p), 32)]...) // a shared string's index
		}
	}
	return nil
}

// where names the position for a message: the cell being read, if any.
func (s *xmlScan) where() string {
	if s.kind == scanSheet && s.cellDepth > 0 {
		return s.cellName([]byte(s.cellRef))
	}
	if s.kind == scanStrings && s.siDepth > 0 {
		return "delad sträng nr " + strconv.Itoa(len(s.lengths)+1)
	}
	return ""
}

func (s *xmlScan) cellName(ref []byte) string {
	if len(ref) > 0 && len(ref) <= 12 {
		return "cellen " + string(ref)
	}
	if s.row > 0 {
		return "rad " + strconv.Itoa(s.row)
	}
	return ""
}

func mib(n int64) string { return strconv.FormatInt(n>>20, 10) + " MiB" }

// refColumn returns the column number of a cell reference such as "XFD17" (letters, then
// digits), as excelize's CellNameToCoordinates reads it (letters in either case).
func refColumn(ref []byte) (int, bool) {
	col, i := 0, 0
	for ; i < len(ref); i++ {
		c := ref[i]
		switch {
		case 'A' <= c && c <= 'Z':
			col = col*26 + int(c-'A') + 1
		case 'a' <= c && c <= 'z':
			col = col*26 + int(c-'a') + 1
		default:
			goto digits
		}
		if col > 1<<20 {
			return col, true
		}
	}
digits:
	if i == 0 || i == len(ref) {
		return 0, false
	}
	return col, true
}

func trimSpaceBytes(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// decodeEntities decodes the predefined entities and character references of a short
// attribute value (r and t), as encoding/xml does; anything else is kept as it is.
func decodeEntities(b []byte) []byte {
	if len(b) == 0 {
		return b
	}
	hasAmp := false
	for _, c := range b {
		hasAmp = hasAmp || c == '&'
	}
	if !hasAmp {
		return b
	}
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] != '&' {
			out = append(out, b[i])
			continue
		}
		j := i + 1
		for j < len(b) && b[j] != ';' {
			j++
		}
		if j == len(b) {
			out = append(out, b[i:]...)
			break
		}
		ent := string(b[i+1 : j])
		switch {
		case ent == "lt":
			out = append(out, '<')
		case ent == "gt":
			out = append(out, '>')
		case ent == "amp":
			out = append(out, '&')
		case ent == "apos":
			out = append(out, '\'')
		case ent == "quot":
			out = append(out, '"')
		case len(ent) > 2 && ent[0] == '#' && (ent[1] == 'x'):
			n, err := strconv.ParseUint(ent[2:], 16, 32)
			if err != nil {
				out = append(out, b[i:j+1]...)
			} else {
				out = utf8.AppendRune(out, rune(n))
			}
		case len(ent) > 1 && ent[0] == '#':
			n, err := strconv.ParseUint(ent[1:], 10, 32)
			if err != nil {
				out = append(out, b[i:j+1]...)
			} else {
				out = utf8.AppendRune(out, rune(n))
			}
		default:
			out = append(out, b[i:j+1]...)
		}
		i = j
	}
	return out
}
