package workbook

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// PartTexts calls fn with the name and the text of every XML part of the xlsx package data
// (cells, shared strings – also those no cell uses –, comments, threaded comments, drawings,
// charts, VML, document properties, data validations, headers and footers …), for the search
// of text that must not be anywhere in the file. It stops at fn's first false.
//
// A part's text is its character data, entities and Excel's _xHHHH_ escapes decoded, each
// element's kept apart from the next one's by a 0 byte – except within and between a rich
// text's runs (<r>), which are one text –, then its attribute values and its comments, each
// followed by a 0 byte. XML parts are told by name (.xml, .rels, .vml) or content; UTF-16 and
// single-byte encodings are decoded. A part that is not well formed is searched as far as it
// could be read and then whole, as bytes.
//
// PartTexts reads each part within the limits of limits.go (a worksheet MaxSheetPart, the
// shared strings MaxSharedStringsPart, another part MaxPart; MaxUnzipped in all): the error
// names the first part it could not read whole (too big, damaged), after fn has had every
// part it could read. ReadReview refuses a workbook with such a part.
func PartTexts(data []byte, fn func(name, text string) bool) error {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	if len(z.File) > MaxParts {
		return fmt.Errorf("arbetsboken har %d delar, fler än %d", len(z.File), MaxParts)
	}
	k := kindsOf(z)
	var first error
	var total int64
	for _, f := range z.File {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		limit := k.limit(f.Name)
		text, n, ok, err := partText(f, limit)
		if err != nil && first == nil {
			if errors.Is(err, errTooBig) {
				err = fmt.Errorf("delen packas upp till mer än %d MiB", limit>>20)
			}
			first = fmt.Errorf("delen %s kan inte läsas hel: %w", f.Name, err)
		}
		if total += n; total > MaxUnzipped {
			return fmt.Errorf("arbetsboken packas upp till mer än %d MiB", MaxUnzipped>>20)
		}
		if ok && !fn(f.Name, text) {
			return first
		}
	}
	return first
}

// partText returns the text of an XML part (ok false for a part that is not XML), and how
// many bytes were unpacked.
func partText(f *zip.File, limit int64) (text string, n int64, ok bool, err error) {
	if f.UncompressedSize64 > uint64(limit) {
		return "", 0, false, errTooBig
	}
	r, rc, isXML, wide, err := openPart(f)
	if err != nil {
		return "", 0, false, err
	}
	defer rc.Close()
	if !isXML {
		return "", 0, false, nil
	}
	counted := &countingReader{r: io.LimitReader(r, limit+1)}
	var src io.Reader = counted
	if wide {
		b, err := io.ReadAll(counted)
		if err != nil {
			return "", counted.n, false, err
		}
		src = bytes.NewReader(fromUTF16(b))
	} else {
		src = decodeSingleByte(src)
	}
	t := &textScan{main: make([]byte, 0, min(f.UncompressedSize64, uint64(limit))+16)}
	perr := t.read(src)
	if counted.n > limit {
		return t.result(), counted.n, true, errTooBig
	}
	if perr != nil {
		var xe xmlError
		if !errors.As(perr, &xe) {
			return t.result(), counted.n, true, perr // damaged: a zip error
		}
		// Not well formed: search the whole part as bytes too.
		raw, n, err := rawPart(f, limit)
		t.main = append(append(t.main, 0), raw...)
		return t.result(), max(counted.n, n), true, err
	}
	return t.result(), counted.n, true, nil
}

// rawPart returns a part's bytes (UTF-16 decoded).
func rawPart(f *zip.File, limit int64) ([]byte, int64, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, 0, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit))
	if _, wide := sniffXML(b); wide {
		b = fromUTF16(b)
	}
	return b, int64(len(b)), err
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

// textScan collects a part's texts.
type textScan struct {
	main, attrs, comments []byte
}

// result returns the texts as one string, sharing main's bytes (main is not used again).
func (t *textScan) result() string {
	b := decodeXString(t.main)
	b = append(append(append(append(b, 0), t.attrs...), 0), t.comments...)
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

func (t *textScan) read(r io.Reader) error {
	s := newScan(r, 32<<10, math.MaxInt64) // the reader is limited
	s.comments, s.anyEncoding = &t.comments, true
	s.maxDepth = math.MaxInt // nesting costs nothing here
	if err := s.prolog(); err != nil {
		return err
	}
	inRun := 0
	for {
		mark := len(t.main)
		tok, err := s.next(&t.main, math.MaxInt)
		if inRun == 0 && len(bytes.TrimSpace(t.main[mark:])) == 0 {
			t.main = t.main[:mark] // white space between elements is no text
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch tok.kind {
		case tokEnd:
			if string(tok.name) == "r" && inRun > 0 {
				inRun--
			}
			continue
		case tokStart:
			if string(tok.name) == "r" {
				inRun++
			} else if inRun == 0 {
				t.main = append(t.main, 0)
			}
		case tokEmpty:
			if inRun == 0 {
				t.main = append(t.main, 0)
			}
		}
		for attrs := tok.attrs; ; {
			name, val, rest, err := nextAttr(attrs)
			if err != nil || name == nil {
				break
			}
			attrs = rest
			if len(val) > 0 {
				t.attrs = append(append(t.attrs, val...), 0)
			}
		}
	}
}

// fromUTF16 decodes UTF-16 text (by its byte order mark, or little-endian as Windows writes).
func fromUTF16(b []byte) []byte {
	big := bytes.HasPrefix(b, []byte("\xfe\xff")) || bytes.HasPrefix(b, []byte("\x00<"))
	if bytes.HasPrefix(b, []byte("\xfe\xff")) || bytes.HasPrefix(b, []byte("\xff\xfe")) {
		b = b[2:]
	}
	units := make([]uint16, len(b)/2)
	for i := range units {
		if big {
			units[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			units[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	out := make([]byte, 0, len(b))
	for _, r := range utf16.Decode(units) {
		out = utf8.AppendRune(out, r)
	}
	return out
}

// decodeSingleByte returns r decoded to UTF-8 when its XML declaration names ISO-8859-1 or
// Windows-1252 (other encodings are read as they are).
func decodeSingleByte(r io.Reader) io.Reader {
	head := make([]byte, 256)
	n, _ := io.ReadFull(r, head)
	head = head[:n]
	rest := io.MultiReader(bytes.NewReader(head), r)
	decl := strings.ToLower(string(head))
	if !strings.HasPrefix(strings.TrimPrefix(decl, "\xef\xbb\xbf"), "<?xml") {
		return rest
	}
	end := strings.Index(decl, "?>")
	if end < 0 {
		return rest
	}
	for _, enc := range []string{"iso-8859-1", "iso8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "us-ascii"} {
		if strings.Contains(decl[:end], `"`+enc+`"`) || strings.Contains(decl[:end], `'`+enc+`'`) {
			return &latin1Reader{r: rest, cp1252: strings.Contains(enc, "1252")}
		}
	}
	return rest
}

// latin1Reader decodes ISO-8859-1 (or Windows-1252) to UTF-8.
type latin1Reader struct {
	r       io.Reader
	cp1252  bool
	pending []byte
	buf     [4096]byte
}

// cp1252 maps 0x80–0x9F of Windows-1252 (0: undefined there).
var cp1252 = [32]rune{0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178}

func (l *latin1Reader) Read(p []byte) (int, error) {
	for len(l.pending) == 0 {
		n, err := l.r.Read(l.buf[:])
		for _, c := range l.buf[:n] {
			r := rune(c)
			if l.cp1252 && c >= 0x80 && c < 0xA0 && cp1252[c-0x80] != 0 {
				r = cp1252[c-0x80]
			}
			l.pending = utf8.AppendRune(l.pending, r)
		}
		if n == 0 && err != nil {
			return 0, err
		}
	}
	n := copy(p, l.pending)
	l.pending = l.pending[n:]
	return n, nil
}
