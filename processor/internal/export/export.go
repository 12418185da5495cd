// Package export reads raw Microsoft 365 exports of an employee's mailbox (message trace
// CSV from Get-MessageTraceV2 or the downloadable report, or an Excel workbook) and turns
// them into the rows of a review workbook: the columns a case type declares, mapped from the
// export's headings, with everything else dropped (data minimisation: no IP addresses,
// message ids or sizes). The same conversion backs the masking proof: a review workbook must
// equal what Read makes of the raw export, except for masks.
package export

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/finding"
	"utlamnande/processor/internal/workbook"
	"utlamnande/processor/internal/workflow"
)

// Rule is the rule name of problems in a raw export.
const Rule = "råexport-innehåll"

// MaxSize is the largest raw export read (a year of a busy mailbox is a few tens of MB).
const MaxSize = 512 << 20

// Log is a raw export converted to review rows.
type Log struct {
	File     string   // path shown in messages
	SHA256   string   // of the file's bytes
	Encoding string   // for CSV
	Headings []string // as found in the export
	Rows     []Row
}

// Row is one e-mail: Nr (1-based position in the export), where it came from, and one
// value per declared column.
type Row struct {
	Nr     int
	Source string // "rad 17" (CSV line) or "Blad1!A17"
	Values []Value
}

// Value is one cell: a time for date columns, otherwise text.
type Value struct {
	Text string
	Time time.Time
}

// IsTime reports whether v holds a time.
func (v Value) IsTime() bool { return !v.Time.IsZero() }

// ReadOptions are the options of ReadWith.
type ReadOptions struct {
	// Context stops the read early (Ctrl-C during an import): Read then returns its error,
	// having removed its temporary files. nil: never.
	Context context.Context
	// TmpDir is the folder in which an xlsx read makes its private folder for excelize's
	// temporary files (large worksheets and string tables are unpacked to disk: they hold
	// the raw export's text), removed again before Read returns; TmpDir itself is removed
	// too when it is then empty. It must be inside the case's working area. "": the folder
	// TmpFolder beside the raw export's folder, which for a raw export in the working area's
	// export/ is the working area's .tmp/.
	TmpDir string
}

// Read reads the raw export at path (name is its path in messages). employee is the
// employee's address, used to tell Inkorg from Skickat when the export has no folder. The
// error is for a file that cannot be read at all; problems in its content are findings, all
// of them, and a Log with findings of severity error must not be imported.
func Read(path, name string, spec *workflow.WorkbookSpec, employee string) (*Log, finding.List, error) {
	return ReadWith(path, name, spec, employee, ReadOptions{})
}

// ReadWith is Read with options.
func ReadWith(path, name string, spec *workflow.WorkbookSpec, employee string, opts ReadOptions) (*Log, finding.List, error) {
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, nil, fmt.Errorf("kan inte läsa råexporten %s: %w", name, err)
	}
	if info.Size() > MaxSize {
		return nil, nil, fmt.Errorf("råexporten %s är %d MiB, gränsen är %d MiB", name, info.Size()>>20, MaxSize>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("kan inte läsa råexporten %s: %w", name, err)
	}
	sum := sha256.Sum256(data)
	log := &Log{File: name, SHA256: hex.EncodeToString(sum[:])}
	var table [][]string
	var sources func(i int) string
	var cells func(i, col int) (line int, cell string)
	var date1904 bool
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		tmp := opts.TmpDir
		if tmp == "" {
			tmp = filepath.Join(filepath.Dir(filepath.Dir(path)), TmpFolder)
		}
		// The bytes hashed are the bytes read: the file may change on disk meanwhile.
		t, err := readXLSX(ctx, data, name, tmp)
		if err != nil {
			return nil, nil, err
		}
		table, date1904 = t.Rows, t.Date1904
		sources = func(i int) string { return fmt.Sprintf("%s!A%d", t.Sheet, i+1) }
		cells = func(i, col int) (int, string) { return 0, fmt.Sprintf("%s!%s%d", t.Sheet, columnName(col), i+1) }
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, nil, &workbook.Error{File: name, Msg: "filen är lösenordsskyddad eller en gammal .xls-fil",
			Hint: "spara den utan lösenord som Excel-arbetsbok (.xlsx) eller CSV (UTF-8)"}
	default:
		var lines []int
		var fs finding.List
		table, lines, log.Encoding, fs = readCSV(ctx, data, name)
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if fs.HasErrors() {
			return log, fs, nil
		}
		sources = func(i int) string { return fmt.Sprintf("rad %d", lines[i]) }
		cells = func(i, _ int) (int, string) { return lines[i], "" }
	}
	fs := log.convert(ctx, table, sources, cells, spec, employee, date1904)
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	return log, fs, nil
}

// columnName returns the column letters of a 0-based column index: 0 A, 25 Z, 26 AA.
func columnName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

func readCSV(ctx context.Context, data []byte, name string) (table [][]string, lines []int, encoding string, fs finding.List) {
	text, encoding := decodeText(data)
	sep, text, skipped := sniffSeparator(text)
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sep
	r.FieldsPerRecord = -1
	for n := 0; ; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return nil, nil, encoding, nil
		}
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				fs.Add(name, pe.StartLine+skipped, pe.Column, Rule, "CSV-filen kan inte läsas: "+csvError(pe.Err), "kontrollera citattecknen på raden; ett fält med citattecken måste avslutas med citattecken")
				return nil, nil, encoding, fs
			}
			fs.Add(name, 0, 0, Rule, "CSV-filen kan inte läsas: "+err.Error(), "")
			return nil, nil, encoding, fs
		}
		line, _ := r.FieldPos(0)
		line += skipped
		if len(table) == 0 && len(rec) > 0 && strings.HasPrefix(rec[0], "#TYPE") {
			continue // PowerShell 5's Export-Csv type line
		}
		table = append(table, slices.Clone(rec))
		lines = append(lines, line)
	}
	return table, lines, encoding, fs
}

func csvError(err error) string {
	switch {
	case errors.Is(err, csv.ErrQuote):
		return "ett citattecken på fel ställe"
	case errors.Is(err, csv.ErrBareQuote):
		return "ett citattecken mitt i ett fält utan citattecken"
	}
	return err.Error()
}

// normHeading makes headings comparable: no BOM, no surrounding spaces or quotes, lower case.
func normHeading(s string) string {
	return strings.ToLower(strings.Trim(strings.TrimPrefix(s, "\ufeff"), " \t\"'"))
}

// mapHeadings finds the export column feeding each of spec's columns (-1: none), whether
// its times are UTC, and the required columns that have no heading.
func mapHeadings(headings []string, spec *workflow.WorkbookSpec) (index []int, utc []bool, missing []string) {
	index = make([]int, len(spec.Columns))
	utc = make([]bool, len(spec.Columns))
	for i, c := range spec.Columns {
		index[i] = -1
		for j, h := range headings {
			for _, want := range c.Headings {
				if normHeading(h) == normHeading(want) && index[i] < 0 {
					index[i] = j
					utc[i] = slices.ContainsFunc(c.UTC, func(u string) bool { return normHeading(u) == normHeading(want) })
				}
			}
		}
		if index[i] < 0 && !(c.Optional || c.Kind == workflow.ColFolder) {
			missing = append(missing, fmt.Sprintf("%s (%s)", c.Name, strings.Join(c.Headings, " / ")))
		}
	}
	return index, utc, missing
}

// convert turns the table into rows of spec's columns. source names a row for messages ("rad
// 17", "Blad1!A17"); cell gives the position of a cell (table row i, export column col) as
// a finding's line or cell.
func (log *Log) convert(ctx context.Context, table [][]string, source func(int) string, cellAt func(i, col int) (line int, cell string),
	spec *workflow.WorkbookSpec, employee string, date1904 bool) finding.List {
	var fs finding.List
	header := -1
	for i, row := range table {
		if !blank(row) {
			header = i
			break
		}
	}
	if header < 0 {
		fs.Add(log.File, 0, 0, Rule, "råexporten är tom", "beställ en ny export från M365")
		return fs
	}
	log.Headings = table[header]
	index, utc, missing := mapHeadings(log.Headings, spec)
	if len(missing) > 0 {
		seen := make([]string, 0, len(log.Headings))
		nul := false
		for _, h := range log.Headings {
			nul = nul || strings.ContainsRune(h, 0)
			seen = append(seen, strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		}
		hint := "exporten ska ha datum, avsändare, mottagare och ämne; lägg till rubriken i ärendetypens granskningsbok om M365 har bytt namn på den"
		if nul {
			// UTF-16 without a byte order mark, read as bytes: every other byte is NUL. The
			// headings are shown without them (the finding would escape each one).
			for i := range seen {
				seen[i] = strings.ReplaceAll(seen[i], "\x00", "")
			}
			hint = "filen har NUL-tecken mellan bokstäverna: den är troligen sparad som UTF-16 utan byteordningsmärke (BOM). " +
				"Beställ exporten på nytt som CSV i UTF-8, eller öppna den i Excel och spara som CSV UTF-8"
		}
		fs.Add(log.File, headerLine(source, header), 0, Rule,
			fmt.Sprintf("råexporten saknar kolumner: %s. Rubrikerna i filen är: %s", strings.Join(missing, "; "), strings.Join(seen, ", ")), hint)
		return fs
	}
	dateOrder := map[int]slashOrder{}
	for i, c := range spec.Columns {
		if c.Kind == workflow.ColDate {
			dateOrder[i] = inferSlashOrder(table[header+1:], index[i])
		}
	}
	for r := header + 1; r < len(table); r++ {
		if r%4096 == 0 && ctx.Err() != nil {
			return nil
		}
		row := table[r]
		if blank(row) {
			continue
		}
		out := Row{Nr: len(log.Rows) + 1, Source: source(r), Values: make([]Value, len(spec.Columns))}
		for i, c := range spec.Columns {
			cell := ""
			if index[i] >= 0 && index[i] < len(row) {
				cell = row[index[i]]
			}
			cell = strings.ReplaceAll(cell, "\r\n", "\n")
			switch c.Kind {
			case workflow.ColDate:
				t, err := parseTime(cell, utc[i], dateOrder[i], date1904)
				if err != nil {
					fs.Add(log.File, lineOf(out.Source), 0, Rule, fmt.Sprintf("%s: %s %q går inte att läsa som datum: %v", out.Source, c.Name, cell, err),
						"datum som 2026-10-05 08:12, 2026-10-05T06:12:00Z eller 10/5/2026 8:12 AM går att läsa")
					continue
				}
				out.Values[i] = Value{Time: t}
			case workflow.ColAddress:
				out.Values[i] = Value{Text: addresses(cell)}
			default:
				out.Values[i] = Value{Text: strings.TrimRight(cell, " ")}
			}
			if n := utf16Len(out.Values[i].Text); n > MaxCellChars {
				line, at := cellAt(r, index[i])
				heading := strings.TrimSpace(strings.TrimPrefix(log.Headings[index[i]], "\ufeff"))
				pos := fmt.Sprintf("%s, kolumn %s", out.Source, columnName(index[i]))
				if at != "" {
					pos = at
				}
				fs = append(fs, finding.Finding{File: log.File, Line: line, Cell: at, Rule: Rule, Severity: finding.Error,
					Message: fmt.Sprintf("%s (%s): cellen har %s tecken, men en cell i Excel rymmer högst %s; granskningsboken skulle få den avkortad utan att det syns, och det som lämnas ut vore inte hela e-mailets uppgift",
						pos, heading, groupDigits(n), excelCellLimit),
					Hint: longCellHint(c.Kind)})
			}
		}
		log.Rows = append(log.Rows, out)
	}
	if len(log.Rows) == 0 && !fs.HasErrors() {
		fs.Add(log.File, headerLine(source, header), 0, Rule, "råexporten har rubriker men inga e-mail", "kontrollera beställningen: period och mappar")
	}
	// Folder: from the export, or derived from the sender.
	if f := spec.Column(workflow.ColFolder) - 1; f >= 0 && index[f] < 0 {
		from := -1
		for i, c := range spec.Columns {
			if c.Kind == workflow.ColAddress {
				from = i
				break
			}
		}
		for i := range log.Rows {
			folder := "Inkorg"
			if from >= 0 && employee != "" && strings.EqualFold(strings.TrimSpace(log.Rows[i].Values[from].Text), employee) {
				folder = "Skickat"
			}
			log.Rows[i].Values[f] = Value{Text: folder}
		}
	}
	return fs
}

// hintLongCell is what to do about a cell longer than Excel can hold. The raw export is
// never edited: it is the document received, and the import records its SHA-256.
const hintLongCell = "ändra inte i råexporten (den är handlingen som kom in, och importen registrerar dess SHA-256). " +
	"Be M365-administratören om en ny export där fältet är uppdelat på flera rader eller kolumner, om exporten kan det; " +
	"annars kontakta systemförvaltningen för processorn: cellen kan inte föras över till granskningsboken utan att kortas, " +
	"och den delen av loggen behöver prövas och lämnas ut på annat sätt"

// hintLongAddresses is the advice for a list of addresses: in the downloadable message trace
// report all recipients of an e-mail share one cell (recipient_status); Get-MessageTraceV2
// gives one row per recipient.
const hintLongAddresses = "ändra inte i råexporten (den är handlingen som kom in, och importen registrerar dess SHA-256). " +
	"Beställ en ny export från M365 med en rad per mottagare: meddelandespårningen med Get-MessageTraceV2 har en mottagare per rad, " +
	"den nedladdningsbara rapporten samlar alla mottagare i en cell; går det inte, kontakta systemförvaltningen för processorn"

func longCellHint(kind string) string {
	if kind == workflow.ColAddress {
		return hintLongAddresses
	}
	return hintLongCell
}

// utf16Len is the length of s in UTF-16 code units, as Excel and excelize count it.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// groupDigits writes n the Swedish way: 40 312.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + " " + s[i:]
	}
	return s
}

func headerLine(source func(int) string, i int) int { return lineOf(source(i)) }

// lineOf returns the CSV line of a "rad N" source, or 0 for a workbook cell.
func lineOf(source string) int {
	var n int
	if _, err := fmt.Sscanf(source, "rad %d", &n); err == nil {
		return n
	}
	return 0
}

func blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// addresses normalises a list of addresses as M365 writes them: separated by ; and, in the
// message trace report, followed by a delivery status after ## ("a@x.se##Receive, Deliver").
// The result is "a@x.se; b@y.se". Commas are not separators: they occur in display names
// ("Exempel, Erik <erik@x.se>") and in the delivery statuses.
func addresses(cell string) string {
	if !strings.Contains(cell, "##") && !strings.Contains(cell, ";") {
		return strings.TrimSpace(cell)
	}
	var out []string
	for _, part := range strings.Split(cell, ";") {
		addr, _, _ := strings.Cut(part, "##")
		if addr = strings.TrimSpace(addr); addr != "" {
			out = append(out, addr)
		}
	}
	return strings.Join(out, "; ")
}

// Cells returns the row as review workbook values: Nr, then each column (dates as Excel
// serial numbers of Swedish wall-clock time).
func (r Row) Cells() []workbook.Cell {
	out := make([]workbook.Cell, 0, len(r.Values)+1)
	out = append(out, r.Nr)
	for _, v := range r.Values {
		if v.IsTime() {
			out = append(out, workbook.ToSerial(v.Time))
		} else {
			out = append(out, v.Text)
		}
	}
	return out
}

// Find returns the raw export in dir: the file named want, or the only export-like file
// there (.csv, .xlsx, .txt). The error says what was found instead.
func Find(dir, want string) (string, error) {
	if want != "" {
		// A name inside the export folder (a subfolder is allowed), never a path out of it.
		if !filepath.IsLocal(filepath.FromSlash(want)) || strings.Contains(want, `\`) {
			return "", fmt.Errorf("råexportens namn %q är en sökväg ut ur %s; ange filnamnet i mappen", want, dir)
		}
		p := filepath.Join(dir, want)
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("råexporten %s finns inte i %s", want, dir)
		}
		return p, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", fmt.Errorf("ingen råexport: mappen %s finns inte", dir)
	}
	var found []string
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if !e.IsDir() && !strings.HasPrefix(e.Name(), "~$") && !strings.HasPrefix(e.Name(), ".") && (ext == ".csv" || ext == ".xlsx" || ext == ".txt") {
			found = append(found, e.Name())
		}
	}
	switch len(found) {
	case 0:
		return "", fmt.Errorf("ingen råexport (.csv eller .xlsx) i %s", dir)
	case 1:
		return filepath.Join(dir, found[0]), nil
	}
	return "", fmt.Errorf("flera filer i %s (%s): ange vilken som är råexporten", dir, strings.Join(found, ", "))
}

// Stockholm is the time zone of the review workbook.
var Stockholm = date.Stockholm
