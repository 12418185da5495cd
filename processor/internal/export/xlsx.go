package export

// Reading a raw xlsx export. The package is checked first (checkPackage): every part is
// unpacked once and counted as it is read, and the XML parts are scanned (xmlscan.go), so that
// a zip bomb, a table of millions of shared strings or elements nested thousands deep are
// refused in a fraction of a second, before excelize has spent minutes and gigabytes on them.
// The limits are far above what a real e-mail log needs (a 100,000-row log is a worksheet of
// some 30 MiB and a string table of a few MiB) and at or below Excel's own.
//
// Then excelize reads the very bytes that were checked and hashed, with its own limits set,
// and with its temporary files (it unpacks large worksheets and string tables to disk) in a
// private folder inside the case's working area, never in the system's temporary folder:
// they hold the raw export's text. The folder is removed when the read returns, however it
// returns.

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"utlamnande/processor/internal/workbook"
)

// MaxCellChars is the most text one cell can hold in Excel: 32,767 characters, counted in
// UTF-16 code units as Excel and excelize count them. excelize cuts a longer value when it
// writes the review workbook, without a word; the import refuses it instead.
const MaxCellChars = workbook.MaxCellChars

const excelCellLimit = "32 767 tecken"

// Limits of a raw xlsx export's package (sizes as unpacked, counted while reading): those
// of the review workbook's readers, so that what the import writes can be read back.
const (
	maxParts       = workbook.MaxParts
	maxUnzipped    = workbook.MaxUnzipped          // all parts together
	maxSheetPart   = workbook.MaxSheetPart         // a worksheet (xl/worksheets/sheet*.xml)
	maxStringsPart = workbook.MaxSharedStringsPart // the shared string table
	maxOtherPart   = workbook.MaxPart              // any other part (styles, theme, properties, …)
	// maxInMemory bounds the parts excelize keeps in memory together: all but the worksheets
	// and string table larger than xmlInMemory, which it unpacks to temporary files.
	maxInMemory = 64 << 20
	// xmlInMemory is excelize's UnzipXMLSizeLimit: a worksheet or string table larger than
	// this is read from a temporary file (the string table then costs some 50 bytes of memory
	// a string instead of some 250).
	xmlInMemory = 4 << 20
)

// xlsxLimits are the scanner's limits for a raw export's parts.
var xlsxLimits = scanLimits{
	depth:     workbook.MaxDepth,         // a worksheet needs 7 levels, a drawing 20 or so
	strings:   workbook.MaxSharedStrings, // a 100,000-row log has a few hundred thousand
	cellBytes: 8 * MaxCellChars,          // as Excel writes them, no character takes more than 8 bytes (&#65535;)
	rows:      1 << 20,                   // Excel: 1,048,576 rows
	cols:      1 << 14,                   // Excel: 16,384 columns (XFD)
	slots:     1 << 24,                   // cells in all rows, counting the empty ones before a cell
	rowText:   16 << 20,                  // the text of one row
	text:      maxTableText,              // the text of all rows
}

// maxTableText bounds the text of all cells read: what the table of rows holds in memory.
const maxTableText = 256 << 20

// TmpFolder is the folder for temporary files inside a working area: a hidden folder, which
// the watcher ignores and nothing else reads.
const TmpFolder = ".tmp"

const tmpPrefix = "lasning-"

// staleAfter: a private folder older than this was left by a read that was killed (a second
// Ctrl-C, a power cut) and is removed by the next read.
const staleAfter = time.Hour

// hint texts of refused packages.
const (
	hintNewExport = "beställ en ny export från M365; kommer filen från någon annan än M365-administratören, kontrollera var den kommer ifrån"
	hintResave    = "öppna filen i Excel och spara den som Excel-arbetsbok (.xlsx), eller beställ en ny export från M365"
	hintDamaged   = "filen är skadad: kopiera den på nytt från M365-exporten, eller beställ en ny export"
)

// partError is a refused part: the file, the part (and where in it, if known), what is wrong
// and what to do.
func partError(name, part, where, what, hint string) error {
	if where != "" {
		part += " (" + where + ")"
	}
	return &workbook.Error{File: name, Msg: fmt.Sprintf("delen %s i arbetsboken: %s", part, what), Hint: hint}
}

// partKind is what a part is to excelize.
type partKind int

const (
	partOther partKind = iota
	partSheet
	partStrings
)

// kindOf classifies a part as excelize does when it unpacks the package.
func kindOf(name string) partKind {
	lower := strings.ToLower(strings.ReplaceAll(name, "\\", "/"))
	switch {
	case lower == "xl/sharedstrings.xml":
		return partStrings
	case strings.HasPrefix(lower, "xl/worksheets/sheet"):
		return partSheet
	}
	return partOther
}

func (k partKind) limit() int64 {
	switch k {
	case partSheet:
		return maxSheetPart
	case partStrings:
		return maxStringsPart
	}
	return maxOtherPart
}

// checkPackage checks the xlsx package in data before excelize reads it. Errors are
// *workbook.Error in Swedish naming the file (name) and the part, with a hint; or ctx's error.
func checkPackage(ctx context.Context, data []byte, name string) error {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return &workbook.Error{File: name, Msg: "filen är ingen läsbar xlsx-arbetsbok (skadad, eller i ett annat format)", Hint: hintResave}
	}
	if len(z.File) > maxParts {
		return &workbook.Error{File: name, Msg: fmt.Sprintf("arbetsboken har %d delar; en arbetsbok har ett tiotal (gränsen är %d)", len(z.File), maxParts), Hint: hintNewExport}
	}
	// What the headers declare first: a part that claims to be too large is refused without
	// unpacking a byte. (The claims are then held to: Go's zip reader fails a part that
	// unpacks to more than its header says.)
	var total, inMemory uint64
	var sst *zip.File
	seen := make(map[string]bool, len(z.File))
	for _, f := range z.File {
		norm := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		if seen[norm] {
			return partError(name, f.Name, "", "finns två gånger i arbetsboken", hintDamaged)
		}
		seen[norm] = true
		kind := kindOf(f.Name)
		size := f.UncompressedSize64
		if size > uint64(kind.limit()) {
			return partError(name, f.Name, "", fmt.Sprintf("packas upp till mer än %d MiB (en zip-bomb?)", kind.limit()>>20), hintNewExport)
		}
		if total += size; total > maxUnzipped {
			return &workbook.Error{File: name, Msg: fmt.Sprintf("arbetsboken packas upp till mer än %d MiB (en zip-bomb?)", maxUnzipped>>20), Hint: hintNewExport}
		}
		if kind == partOther || size <= xmlInMemory {
			if inMemory += size; inMemory > maxInMemory {
				return &workbook.Error{File: name, Msg: fmt.Sprintf("arbetsbokens delar utom bladen packas upp till mer än %d MiB", maxInMemory>>20), Hint: hintNewExport}
			}
		}
		if kind == partStrings {
			sst = f
		}
	}
	// Then every part, unpacked once and counted while it is read (Go's zip reader checks
	// each part's size and CRC-32 at its end: excelize ignores read errors, so a damaged part
	// would silently lose rows). The shared strings come first: the worksheets' cells are
	// counted with their lengths.
	var lengths []int32
	if sst != nil {
		s, err := checkPart(ctx, name, sst, scanStrings, nil)
		if err != nil {
			return err
		}
		lengths = s.lengths
	}
	for _, f := range z.File {
		if f == sst {
			continue
		}
		if _, err := checkPart(ctx, name, f, scanSheet, lengths); err != nil {
			return err
		}
	}
	return nil
}

// checkPart unpacks and scans one part.
func checkPart(ctx context.Context, name string, f *zip.File, kind scanKind, lengths []int32) (*xmlScan, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	limit := kindOf(f.Name).limit()
	rc, err := f.Open()
	if err != nil {
		return nil, partError(name, f.Name, "", "kan inte läsas ("+zipError(err)+")", hintDamaged)
	}
	defer rc.Close()
	r := &countingReader{r: io.LimitReader(rc, limit+1), ctx: ctx}
	s, err := scanXML(r, kind, xlsxLimits, lengths)
	if err == nil {
		_, err = io.Copy(io.Discard, r) // the rest, after where an XML reader would stop
	}
	switch {
	case r.n > limit:
		return nil, partError(name, f.Name, "", fmt.Sprintf("packas upp till mer än %d MiB (en zip-bomb?)", limit>>20), hintNewExport)
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case err == nil:
		return s, nil
	}
	var sl *scanLimit
	if errors.As(err, &sl) {
		hint := hintResave
		if sl.cell {
			hint = hintLongCell
		}
		return nil, partError(name, f.Name, sl.where, sl.what, hint)
	}
	return nil, partError(name, f.Name, "", "är skadad ("+zipError(err)+")", hintDamaged)
}

// zipError says in Swedish what the zip reader found wrong with a part.
func zipError(err error) string {
	switch {
	case errors.Is(err, zip.ErrFormat):
		return "den packas upp till en annan storlek än zip-filen anger"
	case errors.Is(err, zip.ErrChecksum):
		return "kontrollsumman stämmer inte"
	case errors.Is(err, zip.ErrAlgorithm):
		return "okänd komprimering"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "den slutar för tidigt"
	}
	return err.Error()
}

// countingReader counts the bytes read and stops when ctx is done.
type countingReader struct {
	r   io.Reader
	n   int64
	ctx context.Context
}

func (c *countingReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// readXLSX checks and reads the raw export in data (the file's bytes; name is its path in
// messages): the first visible worksheet, as text, numbers raw. excelize's temporary files go
// into a private folder in tmpBase, removed before it returns.
func readXLSX(ctx context.Context, data []byte, name, tmpBase string) (*workbook.Table, error) {
	if err := checkPackage(ctx, data, name); err != nil {
		return nil, err
	}
	dir, cleanup, err := privateTmp(tmpBase)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue: true, UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: xmlInMemory, TmpDir: dir})
	if f != nil {
		defer f.Close() // removes excelize's temporary files (before cleanup removes the folder)
	}
	if err != nil {
		return nil, openError(name, err)
	}
	if testHookOpened != nil {
		testHookOpened(dir)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t := &workbook.Table{}
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil && *p.Date1904 {
		t.Date1904 = true
	}
	for _, s := range f.GetSheetList() {
		if vis, err := f.GetSheetVisible(s); err == nil && vis {
			t.Sheet = s
			break
		}
	}
	if t.Sheet == "" {
		return nil, &workbook.Error{File: name, Msg: "arbetsboken har inget synligt kalkylblad", Hint: hintResave}
	}
	it, err := f.Rows(t.Sheet)
	if err != nil {
		return nil, &workbook.Error{File: name, Msg: "bladet " + t.Sheet + " kan inte läsas: " + err.Error(), Hint: hintResave}
	}
	defer it.Close() // its temporary file must be closed before the folder is removed
	var text int64
	for i := 0; it.Next(); i++ {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		cols, err := it.Columns()
		if err != nil {
			return nil, &workbook.Error{File: name, Msg: "bladet " + t.Sheet + " kan inte läsas: " + err.Error(), Hint: hintResave}
		}
		for _, c := range cols {
			text += int64(len(c))
		}
		if text > maxTableText {
			return nil, &workbook.Error{File: name, Msg: fmt.Sprintf("bladet %s har mer än %d MiB text", t.Sheet, maxTableText>>20), Hint: hintNewExport}
		}
		t.Rows = append(t.Rows, cols)
	}
	if err := it.Error(); err != nil {
		return nil, &workbook.Error{File: name, Msg: "bladet " + t.Sheet + " kan inte läsas: " + err.Error(), Hint: hintResave}
	}
	return t, nil
}

// testHookOpened, when set by a test, is called with the private folder once excelize has
// opened the package (and unpacked what it unpacks to temporary files).
var testHookOpened func(dir string)

// openError explains why excelize could not open a package that passed checkPackage.
func openError(name string, err error) error {
	switch {
	case errors.Is(err, excelize.ErrWorkbookPassword), strings.Contains(err.Error(), "password"), strings.Contains(err.Error(), "decrypt"):
		return &workbook.Error{File: name, Msg: "arbetsboken är lösenordsskyddad eller krypterad", Hint: "spara en kopia utan lösenord (Arkiv > Info > Skydda arbetsbok)"}
	case strings.Contains(err.Error(), "unzip size exceeds"):
		return &workbook.Error{File: name, Msg: fmt.Sprintf("arbetsboken packas upp till mer än %d MiB (en zip-bomb?)", maxUnzipped>>20), Hint: hintNewExport}
	}
	return &workbook.Error{File: name, Msg: "filen är ingen läsbar xlsx-arbetsbok (skadad, eller i ett annat format)", Hint: "öppna den i Excel och spara som Excel-arbetsbok (.xlsx): " + err.Error()}
}

// privateTmp makes a private folder for excelize's temporary files in base (made if need
// be). cleanup removes it, and base too when nothing else is left in it. Folders that reads
// killed before their cleanup left behind (older than staleAfter) are removed first.
func privateTmp(base string) (dir string, cleanup func(), err error) {
	if entries, err := os.ReadDir(base); err == nil {
		for _, e := range entries {
			if info, err := e.Info(); err == nil && e.IsDir() && strings.HasPrefix(e.Name(), tmpPrefix) && time.Since(info.ModTime()) > staleAfter {
				os.RemoveAll(filepath.Join(base, e.Name()))
			}
		}
	}
	// Another read may remove base between MkdirAll and MkdirTemp (its cleanup): try again.
	for range 3 {
		if err = os.MkdirAll(base, 0o700); err != nil {
			break
		}
		if dir, err = os.MkdirTemp(base, tmpPrefix); err == nil {
			return dir, func() {
				os.RemoveAll(dir)
				os.Remove(base) // only when empty
			}, nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			break
		}
	}
	return "", nil, fmt.Errorf("kan inte skapa en mapp för tillfälliga filer i arbetsytan (%s): %w", base, err)
}
