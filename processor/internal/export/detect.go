package export

// Telling whether a file is a raw export, for the pre-commit hook (LooksLikeExport): a file
// with a raw export's headings must not be committed anywhere, whatever it is called, also
// when a decoy hides it: harmless rows above the headings, or a harmless first worksheet and
// the export on the second, or on a hidden one.
//
// An xlsx package is checked as Read checks it (checkPackage: every part unpacked once and
// counted, every limit of xlsx.go and xmlscan.go), and then read here, not by excelize: every
// part of the package that holds rows is streamed from the zip in memory (encoding/xml, as
// excelize reads a worksheet, cell values as excelize gives them with RawCellValue) only up
// to its first headingRows non-blank rows, and the shared strings only as far as the cells
// read refer. Nothing is unpacked to disk: no temporary folder is needed, and none of the
// export's text lands in the system's temporary folder. excelize instead unpacks every part,
// writes the large worksheets and the string table to temporary files and loads the whole
// string table for the first shared-string cell.

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"utlamnande/processor/internal/workflow"
)

// headingRows is how many non-blank rows of each worksheet, or non-blank lines of a text,
// LooksLikeExport looks through for a raw export's headings.
const headingRows = 50

// LooksLikeExport reports whether data, a file's bytes (an xlsx package, or CSV or other
// text; name is its path in messages), holds a raw export of spec: a row with the headings
// of every required column of spec (as mapHeadings finds them) among the first headingRows
// non-blank rows of any worksheet of the package, visible or hidden, or among the first
// headingRows non-blank lines of the text, split at any of the separators Read knows. A
// file that cannot be read is not one; so is an xlsx package that Read refuses before
// reading it (checkPackage's limits). It writes nothing to disk.
func LooksLikeExport(data []byte, name string, spec *workflow.WorkbookSpec) bool {
	match, _ := ScreenExport(data, name, spec)
	return match
}

// ScreenExport is LooksLikeExport that also says why an xlsx package could not be looked
// at: err is checkPackage's refusal (a limit, a damaged part), for a caller that must not
// let through what it cannot read (the pre-commit hook).
func ScreenExport(data []byte, name string, spec *workflow.WorkbookSpec) (bool, error) {
	if len(data) > MaxSize {
		return false, nil
	}
	want := newHeadingSet(spec)
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		if err := checkPackage(context.Background(), data, name); err != nil {
			return false, err
		}
		return xlsxHasHeadings(data, name, want), nil
	}
	return textHasHeadings(data, want), nil
}

// headingSet is what makes a row the headings of a raw export: for each required column of
// a spec, the headings that give it (normalised).
type headingSet struct {
	columns int              // required columns
	of      map[string][]int // normalised heading → the required columns it gives
}

func newHeadingSet(spec *workflow.WorkbookSpec) headingSet {
	h := headingSet{of: map[string][]int{}}
	for _, c := range spec.Columns {
		if c.Optional || c.Kind == workflow.ColFolder {
			continue
		}
		for _, want := range c.Headings {
			n := normHeading(want)
			if cols := h.of[n]; len(cols) == 0 || cols[len(cols)-1] != h.columns {
				h.of[n] = append(cols, h.columns)
			}
		}
		h.columns++
	}
	return h
}

// match reports whether row has a heading for every required column: what mapHeadings
// reports as nothing missing, in one pass over the row.
func (h headingSet) match(row []string) bool {
	if h.columns == 0 {
		return true
	}
	seen := make([]bool, h.columns)
	found := 0
	for _, cell := range row {
		for _, c := range h.of[normHeading(cell)] {
			if !seen[c] {
				seen[c] = true
				if found++; found == h.columns {
					return true
				}
			}
		}
	}
	return false
}

// textHasHeadings looks through the first headingRows non-blank lines of a text file, decoded
// as Read decodes it, for a line with the headings. Each line is split on its own (a quote
// that a decoy line leaves open does not swallow the lines after it), at each separator
// sniffSeparator can choose: a decoy line above the headings does not decide the separator.
func textHasHeadings(data []byte, want headingSet) bool {
	seps := []rune{',', ';', '\t'}
	n := 0
	found := false
	textLines(data, func(line string) bool {
		if strings.TrimSpace(line) == "" {
			return true
		}
		if n == 0 && strings.HasPrefix(strings.ToLower(line), "sep=") && len(line) == 5 && !strings.ContainsRune(string(seps), rune(line[4])) {
			seps = append(seps, rune(line[4])) // Excel's separator line
		}
		for _, sep := range seps {
			if want.match(splitLine(line, sep)) {
				found = true
				return false
			}
		}
		n++
		return n < headingRows
	})
	return found
}

// splitLine splits one line into fields as Read's CSV reader would; a line that reader
// refuses is split at every separator.
func splitLine(line string, sep rune) []string {
	if !strings.ContainsRune(line, sep) {
		return []string{line}
	}
	r := csv.NewReader(strings.NewReader(line))
	r.Comma = sep
	r.FieldsPerRecord = -1
	if rec, err := r.Read(); err == nil {
		return rec
	}
	return strings.Split(line, string(sep))
}

// textLines calls fn with each line of data (without its line ending) until fn returns
// false, decoding only the lines it reads: UTF-8 (a byte order mark removed), UTF-16 with a
// byte order mark, and a line that is no valid UTF-8 as Windows-1252 (decodeText's choices,
// made line by line).
func textLines(data []byte, fn func(string) bool) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		utf16Lines(data[2:], false, fn)
		return
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		utf16Lines(data[2:], true, fn)
		return
	}
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		s := ""
		if utf8.Valid(line) {
			s = string(line)
		} else {
			s = decode1252(line)
		}
		if !fn(s) {
			return
		}
	}
}

func utf16Lines(data []byte, bigEndian bool, fn func(string) bool) {
	for len(data) >= 2 {
		end := len(data) &^ 1
		next := end
		for i := 0; i+1 < len(data); i += 2 {
			if bigEndian && data[i] == 0 && data[i+1] == '\n' || !bigEndian && data[i] == '\n' && data[i+1] == 0 {
				end, next = i, i+2
				break
			}
		}
		line := strings.TrimSuffix(utf16Decode(data[:end], bigEndian), "\r")
		data = data[next:]
		if !fn(line) {
			return
		}
	}
}

// xlsxHasHeadings checks the package as Read does, then looks through the first headingRows
// non-blank rows of each of its parts for the headings, stopping at the first part that has
// them (after checkPackage). Every part is looked at, whatever its name, and whether or not the workbook lists it
// as a sheet or hides it: a worksheet stored under another name (the relationships may give
// it any) or left out of the workbook's list still holds its rows, in the file and in git.
func xlsxHasHeadings(data []byte, name string, want headingSet) bool {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	sst := &sharedStrings{}
	defer sst.close()
	for _, f := range z.File {
		if kindOf(f.Name) == partStrings {
			sst.f = f
		}
	}
	for _, f := range z.File {
		if f == sst.f {
			continue
		}
		found := false
		n := 0
		partRows(f, sst, func(row []string) bool {
			if blank(row) {
				return true
			}
			if want.match(row) {
				found = true
				return false
			}
			n++
			return n < headingRows
		})
		if found {
			return true
		}
	}
	return false
}

// partRows streams the rows of one part (a worksheet) and calls fn with each, blank ones
// too, until fn returns false or the rows end. It reads as excelize's Rows iterator does: a
// row starts at each <row> element, wherever it is, and holds the values of the <c>
// elements after it; the rows end at </sheetData> or where the XML cannot be read on.
// Cell values are excelize's with RawCellValue (empty ones left out): the shared string of
// a t="s" cell, the text of an inline string, otherwise the <v> as written.
func partRows(f *zip.File, sst *sharedStrings, fn func(row []string) bool) {
	rc, err := f.Open()
	if err != nil {
		return
	}
	defer rc.Close()
	// checkPackage has held the part to its limit; Go's zip reader holds it to its header.
	d := xml.NewDecoder(io.LimitReader(rc, kindOf(f.Name).limit()))
	var row []string
	inRow := false
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch {
			case el.Name.Local == "row":
				if inRow && !fn(row) {
					return
				}
				row, inRow = row[:0], true
			case el.Name.Local == "c" && inRow:
				c, err := readCell(d, el)
				if v := c.value(sst); v != "" {
					row = append(row, v)
				}
				if err != nil {
					fn(row)
					return
				}
			}
		case xml.EndElement:
			if el.Name.Local == "sheetData" {
				if inRow {
					fn(row)
				}
				return
			}
		}
	}
	if inRow {
		fn(row)
	}
}

// cellXML is what a <c> element gives its value from.
type cellXML struct {
	t  string
	v  string
	is *stringItem
}

// readCell reads the <c> element start to its end, as excelize's cellXMLHandler does.
func readCell(d *xml.Decoder, start xml.StartElement) (cellXML, error) {
	var c cellXML
	for _, a := range start.Attr {
		if a.Name.Local == "t" {
			c.t = a.Value
		}
	}
	for {
		tok, err := d.Token()
		if err != nil {
			return c, err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch el.Name.Local {
			case "v":
				err = d.DecodeElement(&c.v, &el)
			case "is":
				if c.is == nil {
					c.is = &stringItem{}
				}
				err = d.DecodeElement(c.is, &el)
			case "f":
				err = d.Skip()
			}
			if err != nil {
				return c, err
			}
		case xml.EndElement:
			if el.Name == start.Name {
				return c, nil
			}
		}
	}
}

// value is the cell's value as excelize gives it with RawCellValue.
func (c cellXML) value(sst *sharedStrings) string {
	switch c.t {
	case "s":
		if c.v == "" {
			return ""
		}
		i, _ := strconv.Atoi(strings.TrimSpace(c.v)) // excelize: not a number is item 0
		if s, ok := sst.item(i); ok {
			return s
		}
		return c.v
	case "inlineStr":
		if c.is != nil {
			return c.is.String()
		}
	}
	return c.v
}

// stringItem is a shared string (<si>) or an inline string (<is>), as excelize's xlsxSI
// reads it.
type stringItem struct {
	T *textXML `xml:"t"`
	R []struct {
		T *textXML `xml:"t"`
	} `xml:"r"`
}

type textXML struct {
	Val string `xml:",chardata"`
}

// String is the item's text: its text and that of its runs (not the phonetic runs), with
// Excel's _xHHHH_ escapes decoded, as excelize's xlsxSI.String.
func (s *stringItem) String() string {
	var b strings.Builder
	if s.T != nil {
		b.WriteString(s.T.Val)
	}
	for _, r := range s.R {
		if r.T != nil {
			b.WriteString(r.T.Val)
		}
	}
	return bstrUnmarshal(b.String())
}

var bstrExp = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)

// bstrUnmarshal decodes Excel's _xHHHH_ escapes as excelize does: _x005F_ is "_", any other
// the character HHHH (nothing for a lone surrogate).
func bstrUnmarshal(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	cursor := 0
	for _, m := range bstrExp.FindAllStringIndex(s, -1) {
		b.WriteString(s[cursor:m[0]])
		cursor = m[1]
		if s[m[0]:m[1]] == "_x005F_" {
			b.WriteByte('_')
			continue
		}
		v, _ := strconv.Unquote(`"\u` + s[m[0]+2:m[1]-1] + `"`)
		b.WriteString(v)
	}
	b.WriteString(s[cursor:])
	return b.String()
}

// sharedStrings is the shared string table, read from the zip as far as the cells read so
// far refer to it (the headings and first rows of an export refer to its first items).
// The items are those excelize reads: the <si> elements under the root.
type sharedStrings struct {
	f     *zip.File // nil: the package has none
	rc    io.ReadCloser
	d     *xml.Decoder
	depth int
	items []string
	done  bool
}

// item returns shared string i, reading on to it.
func (s *sharedStrings) item(i int) (string, bool) {
	for i >= len(s.items) && !s.done {
		s.next()
	}
	if i < 0 || i >= len(s.items) {
		return "", false
	}
	return s.items[i], true
}

// next reads the next item, or marks the table done.
func (s *sharedStrings) next() {
	if s.d == nil {
		if s.f == nil {
			s.done = true
			return
		}
		rc, err := s.f.Open()
		if err != nil {
			s.done = true
			return
		}
		s.rc, s.d = rc, xml.NewDecoder(io.LimitReader(rc, maxStringsPart))
	}
	for {
		tok, err := s.d.Token()
		if err != nil {
			s.done = true
			return
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if s.depth == 1 && el.Name.Local == "si" {
				var si stringItem
				err := s.d.DecodeElement(&si, &el)
				s.items = append(s.items, si.String())
				s.done = err != nil
				return
			}
			s.depth++
		case xml.EndElement:
			s.depth--
		}
	}
}

func (s *sharedStrings) close() {
	if s.rc != nil {
		s.rc.Close()
	}
}

// CheckXLSX checks an xlsx package as Read does before reading it (every part unpacked once
// and counted, in bounded memory): nil, or why it would be refused. For a caller that must
// not unpack what could be a bomb (the pre-commit hook's content scan).
func CheckXLSX(data []byte, name string) error {
	return checkPackage(context.Background(), data, name)
}

// HasExportHeadings is LooksLikeExport for an xlsx package that CheckXLSX has passed (it is
// not checked again), or for text.
func HasExportHeadings(data []byte, name string, spec *workflow.WorkbookSpec) bool {
	if len(data) > MaxSize {
		return false
	}
	want := newHeadingSet(spec)
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return xlsxHasHeadings(data, name, want)
	}
	return textHasHeadings(data, want)
}
